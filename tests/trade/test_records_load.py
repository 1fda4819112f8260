"""The dictionary-coded records loader: chunking, coding and typed columns give the same answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.errors import InputErrors
from redthread.trade import coded, monthly, records, table
from redthread.trade.mapping import parse_mapping
from redthread.trade.parties import normalise_array, normalise_name, party_id, party_ids_keys, party_key

MAPPING = parse_mapping({
    "currency": "USD",
    "columns": {"declaration_number": "no", "date": "day", "sender": "shipper", "sender_country": "from",
                "receiver": "buyer", "receiver_country": "to", "hs_code": "hs", "value": "amount",
                "currency": "cur", "quantity": "qty", "unit": "unit", "goods_description": "goods",
                "origin_country": "origin"},
})
SHIPPERS = ["Acme Parts Ltd.", "ACME PARTS LTD", "Ömer Şirketi A.Ş.", "Nova Components Co", "Delta Motors"]
BUYERS = ["Tundra Trading LLC", "Polar Supply OOO", "Kama Systems"]


def _rows(n: int) -> dict[str, list[Any]]:
    """Invented records: spellings of one party, a name in two countries, and a few bad rows."""
    out: dict[str, list[Any]] = {k: [] for k in ("no", "day", "shipper", "from", "buyer", "to", "hs", "amount",
                                                 "cur", "qty", "unit", "goods", "origin")}
    for i in range(n):
        out["no"].append(f"  D{i:05d} " if i % 7 == 0 else ("" if i % 11 == 0 else f"D{i:05d}"))
        out["day"].append(dt.date(2023, 1, 1) + dt.timedelta(days=(i * 37) % 700))
        out["shipper"].append(SHIPPERS[i % len(SHIPPERS)] if i % 97 != 60 else "  ")  # blank names are bad
        out["from"].append("China" if i % 3 else ("HK" if i % 2 else "CN"))
        out["buyer"].append(BUYERS[(i // 2) % len(BUYERS)])
        out["to"].append("RU" if i % 5 else "Kazakhstan")
        out["hs"].append(["8501.31", "850760", "85423100", "ABC", "8807.30"][i % 5] if i % 13 != 12 else "8806")
        out["amount"].append(float(100 + i) if i % 89 != 50 else -5.0)
        out["cur"].append(["USD", "CNY", "EUR", "usd ", ""][i % 5])
        out["qty"].append(float(i % 40) if i % 6 else None)
        out["unit"].append(" pcs" if i % 2 else "kg")
        out["goods"].append(["motors", "batteries", "chips", None][i % 4])
        out["origin"].append(["CN", "China", "", None][i % 4])
    return out


def _write(path: Path, n: int, row_group: int) -> Path:
    pq.write_table(pa.table(_rows(n)), path, row_group_size=row_group)
    return path


def _load(path: Path, folder: Path, **kw: Any) -> tuple[records.RecordLoad, dict[str, list[tuple[Any, ...]]]]:
    con = table.work_connection()
    try:
        result = records.load_records(con, path, MAPPING, dataset="d", source=path.name, strict=False,
                                      folder=folder, **kw)
    finally:
        con.close()
    with table.connect(folder=folder) as tcon:
        got = {
            "records": tcon.execute('SELECT * FROM records ORDER BY "row"').fetchall(),
            "parties": tcon.execute("SELECT * FROM parties ORDER BY party_id").fetchall(),
            "months": tcon.execute("SELECT * FROM party_months ORDER BY ALL").fetchall(),
        }
    return result, got


def test_chunks_and_month_tables_do_not_change_the_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "r.parquet", 3000, row_group=250)
    one, got_one = _load(path, tmp_path / "one")
    monkeypatch.setattr(coded, "CHUNK_ROWS", 1)  # a chunk per row group: codes must hold across chunks
    monkeypatch.setattr(monthly, "MONTH_CELLS", 1)  # monthly sums by sorting instead of a dense table
    seen: list[int] = []
    chunk = records._Loader.chunk
    monkeypatch.setattr(records._Loader, "chunk", lambda self, tb, rows: seen.append(tb.num_rows) or chunk(self, tb, rows))
    many, got_many = _load(path, tmp_path / "many")
    assert seen == [250] * 12
    assert got_one == got_many
    assert (one.rows_loaded, one.error_count) == (many.rows_loaded, many.error_count)
    assert sorted(one.parties) == sorted(many.parties)
    assert [(e.line, e.field) for e in one.errors] == [(e.line, e.field) for e in many.errors]
    # The monthly table is the records summed per party and month.
    with table.connect(folder=tmp_path / "many") as con:
        expected = con.execute(
            "SELECT receiver_key, month, round(sum(value_usd), 6), count(*) FROM trade_records GROUP BY ALL "
            "ORDER BY ALL").fetchall()
        stored = con.execute("SELECT party_key, month, round(value_usd, 6), records FROM party_months "
                             "WHERE role = 'buyer' ORDER BY ALL").fetchall()
    assert stored == expected


def test_rows_are_validated_cleaned_and_keyed(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.parquet", 400, row_group=100)
    result, got = _load(path, tmp_path / "out")
    bad = {e.line: (e.field, e.reason) for e in result.errors}
    # the first failing check of a row is reported: date, value, sign, HS code, names, currency, quantity
    assert bad[4][0] == "hs" and "not an HS code: ABC" in bad[4][1]
    assert bad[51] == ("amount", "negative value")
    assert bad[61] == ("shipper", "no sender name")
    assert result.rows_loaded + result.error_count == result.rows_read == 400
    rows = {r[2]: dict(zip(table.RECORD_COLUMNS, r, strict=False)) for r in got["records"]}
    assert rows[1]["declaration_number"] == "D00000"  # trimmed
    assert rows[12]["declaration_number"] is None  # empty
    assert rows[2]["unit"] == "pcs" and rows[1]["unit"] == "kg"
    assert rows[2]["hs_code"] == "850760" and rows[2]["hs4"] == "8507" and rows[2]["hs2"] == "85"
    assert rows[13]["hs_code"] == "8806" and rows[13]["hs6"] is None
    assert rows[2]["sender_country"] == "cn" and rows[1]["sender_country"] == "cn"  # "China" and "CN"
    assert rows[1]["origin_country"] == "cn" and rows[3]["origin_country"] is None
    assert rows[5]["currency"] == "USD"  # "" takes the mapping's default
    assert rows[2]["value_usd"] < rows[2]["value"]  # CNY
    assert rows[2]["month"] == str(rows[2]["date"])[:7]
    # spellings of one party share its key; the same name in another country is another party
    keys = {r[6] for r in got["records"] if r[6] is not None}
    acme = party_key(party_id("Acme Parts Ltd.", "cn") or "")
    acme_hk = party_key(party_id("Acme Parts Ltd.", "hk") or "")
    assert acme in keys and acme_hk in keys
    spellings = {(p.name, p.country) for p in result.parties if p.party_id == party_id("acme parts ltd", "cn")}
    assert spellings == {("Acme Parts Ltd.", "cn"), ("ACME PARTS LTD", "cn")}
    acme_rows = [p for p in result.parties if p.party_id == party_id("acme parts ltd", "cn")]
    raw = _rows(400)
    expected = sum(1 for name, country in zip(raw["shipper"], raw["from"], strict=True)
                   if name in SHIPPERS[:2] and country != "HK")
    assert min(p.first_row for p in acme_rows) == 1 and sum(p.records for p in acme_rows) == expected
    parties = {p[0]: p for p in got["parties"]}
    assert parties[party_id("acme parts ltd", "cn")][2] == "ACME PARTS LTD"  # the least spelling


def test_typed_and_text_columns_read_as_before(tmp_path: Path) -> None:
    """Numbers as text, HS codes as integers, dates as timestamps or text with a format."""
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({
        "day": pa.array([dt.datetime(2024, 3, 5, 10), dt.datetime(2024, 3, 6), None], pa.timestamp("s")),
        "shipper": ["A Co", "B Co", "C Co"], "buyer": ["X", "Y", "Z"],
        "hs": pa.array([85076000, 8501, 85423100], pa.int64()),
        "amount": ["1,234.50", " 100 ", "12"],
        "qty": ["3", "", "lots"],
    }), path)
    mapping = parse_mapping({"currency": "EUR", "columns": {"date": "day", "sender": "shipper", "receiver": "buyer",
                                                            "hs_code": "hs", "value": "amount", "quantity": "qty"}})
    con = duckdb.connect()
    result = records.load_records(con, path, mapping, dataset="t", source="t", strict=False, folder=tmp_path / "o")
    assert [(e.line, e.field, e.reason) for e in result.errors] == [
        (3, "day", "not a date: (empty)")]
    with table.connect(folder=tmp_path / "o") as tcon:
        got = tcon.execute('SELECT "row", date, hs_code, value, quantity FROM trade_records ORDER BY 1').fetchall()
    assert got == [(1, dt.date(2024, 3, 5), "85076000", 1234.5, 3.0), (2, dt.date(2024, 3, 6), "8501", 100.0, None)]
    with pytest.raises(InputErrors):
        records.load_records(con, path, mapping, dataset="t", source="t", strict=True, folder=tmp_path / "o")


@pytest.mark.parametrize("ratio", [0, 10**9], ids=["dict", "arrow-index-in"])
def test_codes_hold_across_chunks_with_repeats_and_nulls(ratio: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coded.Codes, "DICT_RATIO", ratio)  # each way of finding known texts
    codes = coded.Codes(lambda v: v.cast(pa.string()))
    a, new_a = codes.encode(pa.chunked_array([pa.array(["x", "y", None, "x", ""]).dictionary_encode()]))
    # a dictionary that repeats a value and holds a null: coded one by one
    odd = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 3], pa.int32()), pa.array(["z", "z", None, "y"]))
    b, new_b = codes.encode(odd)
    c, _ = codes.encode(pa.array(["y", "w", "x"]))
    assert new_a == ["x", "y"] and new_b == ["z"]
    assert a.tolist() == [1, 2, 0, 1, 0]
    assert b.tolist() == [3, 3, 0, 2]
    assert c.tolist() == [2, 4, 1]
    assert codes.texts == ["", "x", "y", "z", "w"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=24), min_size=1, max_size=20))
def test_vectorised_names_and_ids_match_one_at_a_time(names: list[str]) -> None:
    normalised = normalise_array(pa.array(names, pa.string())).to_pylist()
    assert normalised == [normalise_name(n) for n in names]
    norms = [n for n in normalised if n]
    countries = [None if i % 2 else "ru" for i in range(len(norms))]
    ids, keys = party_ids_keys(norms, countries)
    assert ids == [party_id(n, c) for n, c in zip(norms, countries, strict=True)]
    assert keys == [party_key(i) for i in ids]


def test_party_keys_come_from_the_id_hash_or_sha1() -> None:
    import hashlib

    pid = party_id("Acme Parts Ltd.", "cn") or ""
    assert party_key(pid) == int.from_bytes(bytes.fromhex(pid[3:19]), "big", signed=True)

    def sha1_key(i: str) -> int:
        return int.from_bytes(hashlib.sha1(i.encode()).digest()[:8], "big", signed=True)

    # canonical ids from elsewhere, and anything only shaped like a trade id, are hashed
    for other in ("Q123", "ofac-4567", "tp-" + "g" * 20, pid[:-1], pid + "0"):
        assert party_key(other) == sha1_key(other)
    assert len({party_key(pid), sha1_key(pid)}) == 2


def test_files_without_records_load_nothing(tmp_path: Path) -> None:
    mapping = parse_mapping({"currency": "USD", "columns": {"date": "d", "sender": "s", "receiver": "r",
                                                            "hs_code": "h", "value": "v"}})
    csv = tmp_path / "header.csv"
    csv.write_text("d,s,r,h,v\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("d,s,r,h,v\nsoon,A,B,8501,1\n", encoding="utf-8")
    con = duckdb.connect()
    for path in (csv, bad):
        result = records.load_records(con, path, mapping, dataset="e", source=path.name, strict=False,
                                      folder=tmp_path / "o")
        assert result.rows_loaded == 0 and result.parties == [] or path == bad
    assert [(e.line, e.field) for e in result.errors] == [(2, "d")]
    with table.connect(folder=tmp_path / "o") as tcon:
        assert tcon.execute("SELECT count(*) FROM trade_records").fetchone() == (0,)
        assert tcon.execute("SELECT count(*) FROM party_months").fetchone() == (0,)


def test_trade_connections_take_their_threads_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_ENGINE_THREADS", "3")
    con = table.work_connection()
    assert con.execute("SELECT current_setting('threads')").fetchone() == (3,)
    con.close()
    monkeypatch.delenv("REDTHREAD_ENGINE_THREADS")
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert table.duckdb_threads() == 4  # twice the cores on a small machine
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert table.duckdb_threads() == 72  # at most eight more on a big one
