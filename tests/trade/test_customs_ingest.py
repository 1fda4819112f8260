from pathlib import Path

import duckdb
import pytest

from redthread.errors import InputError, InputErrors
from redthread.ingest import ingest
from redthread.store import Store
from redthread.trade import table
from redthread.trade.parties import party_id


def records(store: Store) -> list[tuple]:
    with table.connect(store.url) as con:
        return con.execute(
            "SELECT source, \"row\", date, sender_id, receiver_id, hs_code, hs4, chpl_tier, value, currency, "
            "value_usd, origin_country, trading_country FROM records ORDER BY source, \"row\""
        ).fetchall()


def test_csv_records_load_with_beside_mapping(trade_store: Store) -> None:
    rows = records(trade_store)
    assert len(rows) == 106
    first = rows[0]
    assert first[0] == "records.csv" and first[1] == 2  # line 2: first data row
    assert first[5] == "850131" and first[6] == "8501" and first[7] is None
    # CNY batteries in 2023-01 converted at the shipped rate (6.78 CNY/USD)
    battery = rows[1]
    assert battery[9] == "CNY" and battery[10] == pytest.approx(1_800_000 / 6.78)
    tiers = {r[5]: r[7] for r in rows}
    assert tiers["85423100"] == "1" and tiers["852589"] == "3.A"
    # flight controllers re-exported through Hong Kong keep the trading country
    assert any(r[5] == "85423100" and r[12] == "hk" for r in rows)


def test_parties_become_ftm_entities_with_record_provenance(trade_store: Store) -> None:
    pid = party_id("Tundra Trading LLC", "ru")
    assert pid is not None
    ent = trade_store.entity(pid)
    assert ent is not None and ent["schema"] == "Company"
    assert ent["properties"]["name"] == ["Tundra Trading LLC"]
    assert ent["properties"]["country"] == ["ru"]
    stmts = [s for s in trade_store.entity_statements(pid) if s.prop == "name"]
    assert stmts[0].location == "records.csv:2" and stmts[0].dataset == "customs"
    companies = list(trade_store.entities(schemata=["Company"]))
    assert len(companies) == 9  # 8 traders and one customs broker
    with table.connect(trade_store.url) as con:
        ids = {r[0] for r in con.execute("SELECT sender_id FROM records UNION SELECT receiver_id FROM records").fetchall()}
    assert ids <= {c["id"] for c in companies}


def test_reload_replaces_rows_and_keeps_store_history(trade_store: Store) -> None:
    results, _ = ingest(trade_store, [Path(__file__).parents[1] / "fixtures/trade/records.csv"], "customs")
    assert results[0].unchanged
    assert len(records(trade_store)) == 106


def test_parquet_and_explicit_mapping(store: Store, trade_dir: Path, tmp_path: Path) -> None:
    pq = tmp_path / "shipments.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{trade_dir / 'records.csv'}', all_varchar=true)) TO '{pq}' (FORMAT parquet)"
    )
    with pytest.raises(InputError):  # no mapping beside it and none given
        ingest(store, [pq], "pq", "customs")
    ingest(store, [pq], "pq", "customs", options={"mapping": str(trade_dir / "records.mapping.yaml")})
    rows = records(store)
    assert len(rows) == 106
    assert rows[0][1] == 1  # Parquet rows are numbered from 1
    assert sum(r[10] for r in rows) == pytest.approx(11_548_132.5787, rel=1e-6)


def test_bad_rows_are_reported_by_file_row_field(store: Store, trade_dir: Path) -> None:
    with pytest.raises(InputErrors) as info:
        ingest(store, [trade_dir / "bad.csv"], "bad")
    messages = [e.location_message() for e in info.value.errors]
    assert messages == [
        f"{trade_dir / 'bad.csv'}:3: date: not a date: 31/02/2023",
        f"{trade_dir / 'bad.csv'}:5: hs_code: not an HS code: ABC",
    ]
    assert records(store) == []  # refused whole
    _, errors = ingest(store, [trade_dir / "bad.csv"], "bad", skip_errors=True)
    assert [(e.line, e.field) for e in errors] == [(3, "date"), (5, "hs_code")]
    assert [r[1] for r in records(store)] == [2, 4, 6]


def test_mapping_naming_a_missing_column(store: Store, trade_dir: Path, tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text((trade_dir / "records.csv").read_text())
    text = (trade_dir / "records.mapping.yaml").read_text().replace("value: value", "value: amount")
    (tmp_path / "r.mapping.yaml").write_text(text)
    with pytest.raises(InputError) as info:
        ingest(store, [csv], "x")
    assert info.value.field == "amount" and "not in the file" in str(info.value)


def test_mapping_validation(tmp_path: Path) -> None:
    from redthread.trade.mapping import parse_mapping

    with pytest.raises(InputError, match="required field"):
        parse_mapping({"columns": {"date": "d"}, "currency": "USD"})
    with pytest.raises(InputError, match="unknown field"):
        parse_mapping({"columns": {"date": "d", "shipper": "s"}})
    with pytest.raises(InputError, match="no currency"):
        parse_mapping({"columns": {"date": "d", "sender": "s", "receiver": "r", "hs_code": "h", "value": "v"}})


def test_tsv_with_date_format_default_currency_and_messy_values(store: Store, tmp_path: Path) -> None:
    tsv = tmp_path / "ledger.tsv"
    tsv.write_text(
        "no\tday\tfrom\tto\ttariff\tamount\n"
        "A1\t05/03/2024\t  Acme Parts Ltd. \tBuyer Co\t  8542.31 \t1,234.50\n"
        "A2\t17/03/2024\tACME PARTS LTD\tBuyer Co\t85423100\t 100 \n",
        encoding="utf-8",
    )
    (tmp_path / "ledger.mapping.yaml").write_text(
        "date_format: '%d/%m/%Y'\ncurrency: EUR\ncolumns:\n  declaration_number: 'no'\n  date: day\n"
        "  sender: from\n  receiver: to\n  hs_code: tariff\n  value: amount\n",
        encoding="utf-8",
    )
    ingest(store, [tsv], "ledger")
    with table.connect(store.url) as con:
        rows = con.execute(
            "SELECT \"row\", date, hs_code, value, currency, value_usd, sender_id FROM records ORDER BY \"row\""
        ).fetchall()
    assert [r[0] for r in rows] == [2, 3]
    assert str(rows[0][1]) == "2024-03-05" and rows[0][2] == "854231" and rows[1][2] == "85423100"
    assert rows[0][3] == 1234.5 and rows[0][4] == "EUR"
    assert rows[0][5] == pytest.approx(1234.5 / 0.93, rel=0.02)  # March 2024, between the EUR anchors
    assert rows[0][6] == rows[1][6] == party_id("Acme Parts Ltd", None)  # one party, two spellings
    ent = store.entity(rows[0][6])
    assert ent is not None and sorted(ent["properties"]["name"]) == ["ACME PARTS LTD", "Acme Parts Ltd."]


def test_records_store_integer_party_keys_that_name_back_to_ids(trade_store: Store) -> None:
    from redthread.trade.parties import party_key

    with table.connect(trade_store.url) as con:
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE trade_records)").fetchall())
        assert types["sender_key"] == "BIGINT" and "sender_id" not in types
        rows = con.execute("SELECT sender_key, sender_id, receiver_key, receiver_id, declarant_key, declarant_id "
                           "FROM records").fetchall()
        parties = con.execute("SELECT party_id, party_key FROM parties").fetchall()
    assert rows and all(sk == party_key(sid) and rk == party_key(rid) for sk, sid, rk, rid, _, _ in rows)
    assert all((dk is None) == (did is None) for *_, dk, did in rows)
    assert any(did is not None for *_, did in rows)  # the customs broker declares some records
    assert all(key == party_key(pid) for pid, key in parties)
    # keys are stable: derived from the id alone, the same in every load
    assert party_key(party_id("Tundra Trading LLC", "ru") or "") == party_key(party_id("TUNDRA TRADING LLC", "ru") or "")


def test_replace_drops_other_sources_records(trade_store: Store, trade_dir: Path, tmp_path: Path) -> None:
    lines = (trade_dir / "records.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "more.csv").write_text("".join(lines[:4]), encoding="utf-8")
    (tmp_path / "more.mapping.yaml").write_text((trade_dir / "records.mapping.yaml").read_text(encoding="utf-8"))
    ingest(trade_store, [tmp_path / "more.csv"], "customs")  # a second source: both kept
    with table.connect(trade_store.url) as con:
        assert table.record_count(con, "customs") == 106 + 3
    ingest(trade_store, [tmp_path / "more.csv"], "customs", replace_dataset=True)
    with table.connect(trade_store.url) as con:
        assert table.record_count(con, "customs") == 3
        assert {r[0] for r in con.execute("SELECT DISTINCT source FROM trade_records").fetchall()} == {"more.csv"}
        assert con.execute("SELECT count(*) FROM party_months WHERE records > 0").fetchone()[0] > 0


def test_line_numbers_count_line_breaks_inside_quoted_fields(store: Store, trade_dir: Path, tmp_path: Path) -> None:
    lines = (trade_dir / "records.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, first, second, third = lines[0], lines[1], lines[2], lines[3]
    # The first record's goods description spans three lines; the third record has a bad date.
    first = first.replace("brushless DC motors 2207", '"brushless DC motors\nsize 2207\r\nKV 1750"')
    third = third.replace(third.split(",")[1], "not-a-date", 1)
    (tmp_path / "multi.csv").write_text(header + first + second + third, encoding="utf-8", newline="")
    (tmp_path / "multi.mapping.yaml").write_text((trade_dir / "records.mapping.yaml").read_text(encoding="utf-8"))
    _, errors = ingest(store, [tmp_path / "multi.csv"], "multi", skip_errors=True)
    assert [(e.line, e.field) for e in errors] == [(6, "date")]  # lines 2-4, 5, then 6
    with table.connect(store.url) as con:
        rows = con.execute('SELECT "row", goods_description FROM records ORDER BY "row"').fetchall()
    assert [r[0] for r in rows] == [2, 5]
    assert rows[0][1].startswith("brushless DC motors\nsize 2207")
