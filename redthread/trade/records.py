"""Load customs records (CSV or Parquet) into the columnar trade table (Parquet files).

The load is dictionary-coded (:mod:`redthread.trade.coded`): the columns
whose values repeat (parties, countries, HS codes, currencies, dates, goods,
units) are read as dictionaries, and every rule runs once per distinct
value — HS normalisation and CHPL tiers (:mod:`redthread.trade.hs`),
country codes, party spellings, ids and keys
(:mod:`redthread.trade.spellings`), dates, numbers and text as DuckDB SQL
over the distinct values — while rows get the results by NumPy takes.
Reading ahead, the party roles, this chunk's other fields and writing the
last chunk run in threads; monthly sums per party
(:mod:`redthread.trade.monthly`) add up as chunks come. A CSV is first
streamed into Parquet (:mod:`redthread.trade.staging`).

A record that fails validation is reported as ``file:row: column: reason``
(``row`` is the line number for CSV, the 1-based record number for Parquet).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from redthread.errors import InputError
from redthread.trade import coded, fx, hs, table
from redthread.trade.coded import Vocabulary
from redthread.trade.mapping import Mapping
from redthread.trade.monthly import MonthSums, month_label, months_of_days
from redthread.trade.spellings import Parties, PartyRow, RoleSpellings
from redthread.trade.staging import csv_to_parquet
from redthread.trade.table import REQUIRED_COLUMNS, STORED_COLUMNS

__all__ = ["PartyRow", "RecordLoad", "load_records"]

#: Party roles and the mapping fields that hold name and country.
ROLES = {
    "sender": ("sender", "sender_country"),
    "receiver": ("receiver", "receiver_country"),
    "declarant": ("declarant", None),
}
#: Country fields of a record (besides the parties').
COUNTRY_FIELDS = ("sender_country", "receiver_country", "origin_country", "destination_country", "trading_country")
#: Fields read as dictionaries (their values repeat); the rest (numbers, declaration numbers) are read plain.
CODED_FIELDS = ("date", "sender", "receiver", "declarant", "hs_code", "currency", "goods_description", "unit",
                *COUNTRY_FIELDS)
#: Record columns written with statistics (what queries filter on).
STATISTICS = ("row", "date", "sender_key", "receiver_key", "declarant_key", "value_usd")
#: How many bad rows are reported one by one.
MAX_REPORTED = 1000


@dataclass
class RecordLoad:
    """What loading one records file did."""

    path: str
    rows_read: int = 0
    rows_loaded: int = 0
    error_count: int = 0
    errors: list[InputError] = field(default_factory=list)
    spellings: list[PartyRow] | Callable[[], list[PartyRow]] = field(default_factory=list, repr=False)

    @property
    def parties(self) -> list[PartyRow]:
        """One row per spelling of a party in the file.

        Built on first use: writing parties to the store needs them, the
        records table does not (its parties file is already written).
        """
        if callable(self.spellings):
            self.spellings = self.spellings()
        return self.spellings


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _Fields:
    """The mapped fields over one file's columns, and the SQL that cleans each kind of value."""

    def __init__(self, mapping: Mapping, schema: pa.Schema, path: Path) -> None:
        self.mapping = mapping
        self.types: dict[str, pa.DataType] = {f.name: f.type for f in schema if f.name != "__row"}
        missing = [c for c in mapping.columns.values() if c not in self.types]
        if missing:
            raise InputError(
                f"column(s) {', '.join(repr(c) for c in missing)} named in the mapping are not in the file; "
                f"its columns are: {', '.join(self.types)}",
                path=str(path),
                field=missing[0],
            )

    def column(self, name: str | None) -> str | None:
        return self.mapping.column(name) if name else None

    def text_type(self, name: str) -> bool:
        col = self.column(name)
        return bool(col) and coded.is_text(_value_type(self.types[col or ""]))

    def coded_columns(self) -> list[str]:
        """Columns read as dictionaries: text columns of the coded fields."""
        return sorted({c for f in CODED_FIELDS if (c := self.column(f)) and self.text_type(f)})

    def needed(self) -> list[str]:
        return sorted(set(self.mapping.columns.values()))

    # SQL over the column ``v`` (run on distinct values or plain columns by :func:`coded.sql_map`)
    def date_sql(self) -> str:
        fmt = self.mapping.date_format
        if fmt and self.text_type("date"):
            return f"CAST(try_strptime(trim(v), {_lit(fmt)}) AS DATE)"
        return "TRY_CAST(v AS DATE)"

    def number_sql(self, name: str) -> str:
        if self.text_type(name):
            return "TRY_CAST(replace(replace(trim(v), ',', ''), ' ', '') AS DOUBLE)"
        return "TRY_CAST(v AS DOUBLE)"

    TEXT_SQL = "NULLIF(trim(CAST(v AS VARCHAR)), '')"
    KEY_SQL = "coalesce(CAST(v AS VARCHAR), '')"


def _value_type(t: pa.DataType) -> pa.DataType:
    return t.value_type if pa.types.is_dictionary(t) else t


@lru_cache(maxsize=1)
def _rates() -> tuple[tuple[str, ...], int, np.ndarray]:
    """Currencies, the month index of the table's first month, and rates [currency, month - first]."""
    rows = fx.monthly_table()
    currencies = tuple(sorted({c for c, _, _ in rows}))
    months = sorted({m for _, m, _ in rows})
    index = {m: i for i, m in enumerate(months)}
    matrix = np.full((len(currencies), len(months)), np.nan)
    for cur, month, rate in rows:
        matrix[currencies.index(cur), index[month]] = rate
    first = int(months[0][:4]) * 12 + int(months[0][5:7]) - 1
    return currencies, first, matrix


class _Loader:
    """Validates and converts one file chunk by chunk; keeps what spans chunks (codes, parties, months)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fields: _Fields, dataset: str, source: str,
                 path: Path) -> None:
        self.con = con
        self.fields = fields
        self.path = path
        self.dataset = dataset
        self.source = source
        self.parties = Parties(con)
        to_text = self.to_text
        self.roles = {role: RoleSpellings(role, to_text) for role, (name, _) in ROLES.items() if fields.column(name)}
        self.pool = ThreadPoolExecutor(len(self.roles), thread_name_prefix="redthread-parties")
        # Per distinct raw text: ISO country (index into isos), HS dimension row, rate-table
        # currency, days since 1970 (dates given as text), cleaned goods and unit; -1 or the
        # int64 minimum (dates) for none.
        self.isos = Vocabulary()
        self.countries = coded.Lookup(to_text, self._derive_countries)
        self.hs_vocab = {k: Vocabulary() for k in ("hs_code", "chpl_tier")}  # (chapter, heading: in the views)
        self.hs_dim: dict[str, list[int]] = {k: [] for k in self.hs_vocab}
        self.hs = coded.Lookup(to_text, self._derive_hs)
        self.currencies, self.first_month, self.rates = _rates()
        self.currency = coded.Lookup(to_text, lambda texts: [self._currency(t) for t in texts])
        self.cur_vocab = Vocabulary()
        for c in self.currencies:
            self.cur_vocab.index(c)
        self.dates = coded.Lookup(to_text, lambda texts: _days(coded.sql_map(
            self.con, self.fields.date_sql(), pa.array(texts, pa.string()))))
        self.text_vocab = {f: Vocabulary() for f in ("goods_description", "unit")}
        self.texts = {f: coded.Lookup(to_text, self._text_deriver(vocab)) for f, vocab in self.text_vocab.items()}
        self.months = Vocabulary()
        self.month_sums: dict[str, MonthSums] = {}
        self.rows_read = 0
        self.rows_loaded = 0
        self.error_count = 0
        self.errors: list[InputError] = []

    # ------------------------------------------------------------------ distinct values
    def to_text(self, values: pa.Array) -> pa.Array:
        return coded.sql_map(self.con, self.fields.KEY_SQL, values)

    def _currency(self, raw: str) -> int:
        code = raw.strip().upper() or (self.fields.mapping.currency or "")
        return self.currencies.index(code) if code in self.currencies else -1

    def party_of(self, norm_ids: np.ndarray, country_codes: np.ndarray) -> np.ndarray:
        return self.parties.lookup(norm_ids, self.isos.values, self.countries.values[country_codes])

    def _derive_countries(self, texts: list[str]) -> list[int]:
        return [self.isos.index(registry.country.clean(t.strip()) if t.strip() else None) for t in texts]

    def _derive_hs(self, texts: list[str]) -> list[int]:
        rows = []
        for raw in texts:
            code = hs.normalise_hs(raw)
            if code is None:
                rows.append(-1)
                continue
            rows.append(len(self.hs_dim["hs_code"]))
            values = {"hs_code": code, "chpl_tier": hs.chpl_tier(code)}
            for k, v in values.items():
                self.hs_dim[k].append(self.hs_vocab[k].index(v))
        return rows

    def _text_deriver(self, vocab: Vocabulary) -> Callable[[list[str]], list[int]]:
        def derive(texts: list[str]) -> list[int]:
            cleaned = coded.sql_map(self.con, self.fields.TEXT_SQL, pa.array(texts, pa.string())).to_pylist()
            return [vocab.index(c) for c in cleaned]
        return derive

    def _dates(self, column: pa.ChunkedArray) -> np.ndarray:
        """Days since 1970 per row; the int64 minimum where it is not a date."""
        bad = np.iinfo(np.int64).min
        if pa.types.is_date32(column.type):
            days = pc.fill_null(column.cast(pa.int32()), 0).to_numpy().astype(np.int64)
            nulls = column.is_null().to_numpy(zero_copy_only=False)
            days[nulls] = bad
            out: np.ndarray = days
            return out
        if self.fields.text_type("date"):
            return self.dates.rows(column)[1]
        return _days(coded.sql_map(self.con, self.fields.date_sql(), column.combine_chunks()))

    def _numbers(self, name: str, column: pa.ChunkedArray | None, n: int) -> np.ndarray:
        """Floats per row (NaN for none or not a number)."""
        if column is None:
            return np.full(n, np.nan)
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_decimal(column.type):
            values = column.cast(pa.float64())
        else:
            values = coded.sql_map(self.con, self.fields.number_sql(name), column.combine_chunks())
        out: np.ndarray = pc.fill_null(values, np.nan).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
        return out

    def _text(self, name: str, column: pa.ChunkedArray | None, n: int, keep: np.ndarray | None) -> pa.Array:
        """A text field: trimmed, empty as null (a dictionary for goods and units); ``keep`` rows only."""
        if column is None:
            k = n if keep is None else int(np.count_nonzero(keep))
            return self.text_vocab[name].nulls(k) if name in self.texts else pa.nulls(k, pa.string())
        if name in self.texts:
            return self.text_vocab[name].coded(self.texts[name].coded(column), self.texts[name].values, keep)
        if coded.is_text(column.type):
            text = column.combine_chunks().cast(pa.string())
            if _padded_or_empty(text):
                text = pc.utf8_trim(text, " ")
                empty = pc.equal(text, "")
                if pc.any(empty).as_py():
                    text = pc.if_else(empty, pa.scalar(None, pa.string()), text)
        else:
            text = coded.sql_map(self.con, self.fields.TEXT_SQL, column.combine_chunks()).cast(pa.string())
        return text if keep is None else text.filter(pa.array(keep))

    # ------------------------------------------------------------------ one chunk
    def chunk(self, tb: pa.Table, rows: np.ndarray) -> pa.Table | None:  # noqa: PLR0915 — one validated chunk: columns checked in order while the parties resolve in threads; splitting would pass the chunk's state through every helper
        """Validate a chunk (``rows``: its row numbers); its good rows in table form, or None if none."""
        f = self.fields
        n = tb.num_rows
        self.rows_read += n

        def col(name: str | None) -> pa.ChunkedArray | None:
            c = f.column(name)
            return tb.column(c) if c else None

        country = {name: self.countries.coded(c) for name in COUNTRY_FIELDS if (c := col(name)) is not None}
        # The roles' parties in parallel threads while this one does the other fields.
        pending = {}
        for role, r in self.roles.items():
            name_col = col(ROLES[role][0])
            assert name_col is not None
            cfield = ROLES[role][1]
            countries = country[cfield].codes() if cfield in country else np.zeros(n, dtype=np.int64)
            pending[role] = self.pool.submit(r.rows, name_col, countries, rows, self.parties, self.party_of)
        date_col, value_col, hs_col = col("date"), col("value"), col("hs_code")
        assert date_col is not None and value_col is not None and hs_col is not None  # required fields
        days = self._dates(date_col)
        date_ok = days != np.iinfo(np.int64).min
        month = months_of_days(days if date_ok.all() else np.where(date_ok, days, 0))
        value = self._numbers("value", value_col, n)
        hs = self.hs.coded(hs_col)
        cur_col = col("currency")
        currency = self.currency.coded(cur_col) if cur_col is not None else None
        cur = currency.take(self.currency.values) if currency else np.full(n, self.currency.values[0])
        span = self.rates.shape[1]
        rate = self.rates[np.maximum(cur, 0), np.clip(month - self.first_month, 0, span - 1)]
        quantity = self._numbers("quantity", col("quantity"), n)
        party = {role: future.result() for role, future in pending.items()}
        quantity_bad = None
        if f.text_type("quantity"):
            q = col("quantity")
            assert q is not None
            text = coded.sql_map(self.con, f.TEXT_SQL, q.combine_chunks())
            quantity_bad = text.is_valid().to_numpy(zero_copy_only=False) & np.isnan(quantity)

        checks: list[tuple[str, np.ndarray | None]] = [
            ("date", ~date_ok),
            ("value", np.isnan(value)),
            ("negative", value < 0),
            ("hs_code", hs.where(self.hs.values < 0)),
            ("sender", party["sender"] < 0),
            ("receiver", party["receiver"] < 0),
            ("currency", cur < 0),
            ("quantity", quantity_bad),
        ]
        first_bad = np.zeros(n, dtype=np.int8)
        for i in range(len(checks) - 1, -1, -1):
            mask = checks[i][1]
            if mask is not None:
                first_bad[mask] = i + 1
        bad = np.flatnonzero(first_bad)
        if bad.size:
            self._report(tb, rows, bad, first_bad, [c for c, _ in checks], hs, currency)
        good = None if not bad.size else first_bad == 0
        k = n - bad.size
        self.rows_loaded += k
        if not k:
            return None

        def pick(a: np.ndarray) -> np.ndarray:
            return a if good is None else a[good]

        month_g = pick(month)
        value_usd = pick(value) / pick(rate)
        keys = {role: self.parties.keys[pick(p)] for role, p in party.items()}
        for role, label in (("receiver", "buyer"), ("sender", "supplier")):
            self.month_sums.setdefault(label, MonthSums()).add(pick(party[role]), month_g, value_usd)
        qty = pick(quantity)
        declarant = party.get("declarant")
        if declarant is not None:
            d = pick(declarant)
            declarant_key = pa.array(self.parties.keys[np.maximum(d, 0)], pa.int64(), mask=d < 0)
        else:
            declarant_key = pa.nulls(k, pa.int64())
        out: dict[str, pa.Array] = {
            "dataset": Vocabulary.constant(self.dataset, k),
            "source": Vocabulary.constant(self.source, k),
            "row": pa.array(pick(rows), pa.int64()),
            "declaration_number": self._text("declaration_number", col("declaration_number"), n, good),
            "date": pa.array(pick(days).astype(np.int32), pa.int32()).view(pa.date32()),
            "month": self.months.array(self._month_indices(month_g), nulls=False),
            "sender_key": pa.array(keys["sender"], pa.int64()),
            "receiver_key": pa.array(keys["receiver"], pa.int64()),
            "declarant_key": declarant_key,
            "goods_description": self._text("goods_description", col("goods_description"), n, good),
            "value": pa.array(pick(value), pa.float64()),
            "currency": self.cur_vocab.array(pick(cur), nulls=False),
            "value_usd": pa.array(value_usd, pa.float64()),
            "quantity": _floats(qty),
            "unit": self._text("unit", col("unit"), n, good),
        }
        hs_row = np.maximum(self.hs.values, 0)  # bad codes' rows are not kept
        for key, vocab in self.hs_vocab.items():
            out[key] = vocab.coded(hs, np.asarray(self.hs_dim[key], dtype=np.int64)[hs_row], good)
        for name in COUNTRY_FIELDS:
            out[name] = (self.isos.coded(country[name], self.countries.values, good) if name in country
                         else self.isos.nulls(k))
        # Validated columns are required in the file (no definition levels to write or read).
        schema = pa.schema([pa.field(c, out[c].type, nullable=c not in REQUIRED_COLUMNS) for c in STORED_COLUMNS])
        return pa.Table.from_arrays([out[c] for c in STORED_COLUMNS], schema=schema)

    def _month_indices(self, month: np.ndarray) -> np.ndarray:
        """Indices of the ``YYYY-MM`` labels of month numbers (a table over their range when it is short)."""
        lo, hi = int(month.min()), int(month.max())
        if hi - lo < 1 << 16:
            lut = np.asarray([self.months.index(month_label(m)) for m in range(lo, hi + 1)], dtype=np.int64)
            out: np.ndarray = lut[month - lo]
            return out
        unique, inverse = np.unique(month, return_inverse=True)
        lut = np.asarray([self.months.index(month_label(int(m))) for m in unique], dtype=np.int64)
        return lut[inverse.reshape(-1)]

    def _report(self, tb: pa.Table, rows: np.ndarray, bad: np.ndarray, first_bad: np.ndarray,
                checks: list[str], hs: coded.Coded, currency: coded.Coded | None) -> None:
        """Count the bad rows and describe the first :data:`MAX_REPORTED` as ``file:row: column: reason``."""
        self.error_count += bad.size
        room = MAX_REPORTED - len(self.errors)
        if room <= 0:
            return
        m = self.fields.mapping.columns
        shown = bad[:room]
        taken = pa.array(shown)

        def raw(name: str) -> list[Any]:
            out: list[Any] = tb.column(m[name]).take(taken).to_pylist()
            return out

        date_raw, value_raw = raw("date"), raw("value")
        hs_raw = hs.codes()
        cur_raw = currency.codes() if currency is not None else np.zeros(len(first_bad), dtype=np.int64)
        qty_raw = raw("quantity") if "quantity" in m else [None] * len(shown)
        for j, i in enumerate(shown.tolist()):
            check = checks[first_bad[i] - 1]
            if check == "date":
                column, reason = m["date"], f"not a date: {_show(date_raw[j])}"
            elif check == "value":
                column, reason = m["value"], f"not a number: {_show(value_raw[j])}"
            elif check == "negative":
                column, reason = m["value"], "negative value"
            elif check == "hs_code":
                column, reason = m["hs_code"], f"not an HS code: {self.hs.text(hs_raw[i]) or '(empty)'}"
            elif check in ("sender", "receiver"):
                column, reason = m[check], f"no {check} name"
            elif check == "currency":
                shown_cur = self.currency.text(cur_raw[i]) or "(empty)"
                column, reason = m.get("currency", "currency"), f"unknown currency {shown_cur} (no exchange rate)"
            else:
                column, reason = m["quantity"], f"not a number: {str(qty_raw[j]).strip()}"
            self.errors.append(InputError(reason, path=str(self.path), line=int(rows[i]), field=column))

    def write_months(self, target: Path) -> None:
        """Per party key, role and month: value in USD and records (a row group per role)."""
        import pyarrow.parquet as pq

        schema = pa.schema([("party_key", pa.int64()), ("role", coded.DICT_TEXT), ("month", coded.DICT_TEXT),
                            ("value_usd", pa.float64()), ("records", pa.int64())])
        sums = {role: self.pool.submit(s.result) for role, s in sorted(self.month_sums.items())}
        with pq.ParquetWriter(target, schema, compression="none", use_dictionary=["role", "month"],
                              write_statistics=False) as writer:
            for role, future in sums.items():
                party, month, value, records = future.result()
                if not len(party):
                    continue
                writer.write_table(pa.table({
                    "party_key": pa.array(self.parties.keys[party], pa.int64()),
                    "role": Vocabulary.constant(role, len(party)),
                    "month": self.months.array(self._month_indices(month)),
                    "value_usd": pa.array(value, pa.float64()),
                    "records": pa.array(records, pa.int64()),
                }, schema=schema))

    def parties_table(self, schema: str) -> pa.Table:
        """One row per party, in order of first appearance: id, key, a name and country (the least of its
        spellings), schema."""
        parties = self.parties
        party: list[np.ndarray] = []
        names: list[str] = []
        for r in self.roles.values():
            keep = np.flatnonzero(r.spell_party >= 0)
            party.append(r.spell_party[keep])
            texts = r.stripped
            names.extend([texts[n] for n in np.asarray(r.spell_name, dtype=np.int64)[keep].tolist()])
        spelled = np.concatenate(party) if party else np.zeros(0, dtype=np.int64)
        name = np.empty(len(parties.ids), dtype=object)
        if not len(spelled) or np.bincount(spelled).max() == 1:  # one spelling each: its name
            name[spelled] = names
        else:
            con = parties.con
            con.register("spellings", pa.table({"p": spelled, "name": pa.array(names, pa.string())}))
            try:
                best = con.execute("SELECT p, min(name) AS name FROM spellings GROUP BY p").to_arrow_table()
            finally:
                con.unregister("spellings")
            name[best.column("p").to_numpy()] = best.column("name").to_numpy(zero_copy_only=False)
        return pa.table({
            "party_id": pa.array(parties.ids, pa.string()),
            "party_key": pa.array(parties.keys, pa.int64()),
            "name": pa.array(name, pa.string()),
            "country": pa.array(parties.countries, pa.string()),
            "schema": Vocabulary.constant(schema, len(parties.ids)).cast(pa.string()),
        })

    def party_rows(self) -> Callable[[], list[PartyRow]]:
        """The spelling rows, built when first asked for (holding only the roles and parties)."""
        roles, parties = list(self.roles.values()), self.parties
        return lambda: [p for r in roles for p in r.party_rows(parties)]


def _padded_or_empty(text: pa.StringArray) -> bool:
    """Whether any value of ``text`` may need cleaning: empty, or starting or ending with a space."""
    if text.null_count or text.offset:
        padded = pc.or_(pc.starts_with(text, " "), pc.ends_with(text, " "))
        return bool(pc.any(padded).as_py()) or bool(pc.any(pc.equal(text, "")).as_py())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1)
    starts, ends = offsets[:-1], offsets[1:]
    if not len(text) or bool((starts == ends).any()):
        return bool(len(text))
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)
    return bool((np.take(data, starts) == 32).any() or (np.take(data, ends - 1) == 32).any())


def _floats(values: np.ndarray) -> pa.Array:
    """A float column, NaN as null."""
    missing = np.isnan(values)
    return pa.array(values, pa.float64(), mask=missing if missing.any() else None)


def _show(value: Any) -> str:
    """A raw value in a message, as SQL's CAST to text would write it; ``(empty)`` for none."""
    return "(empty)" if value is None else str(value)


def _days(dates: pa.Array) -> np.ndarray:
    """Days since 1970 of a date array; the int64 minimum for null."""
    days = pc.fill_null(dates.cast(pa.date32()).cast(pa.int32()), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    days[dates.is_null().to_numpy(zero_copy_only=False)] = np.iinfo(np.int64).min
    out: np.ndarray = days
    return out


def _open(path: Path, mapping: Mapping, staging: Path) -> Path:
    """The Parquet file to read: ``path`` itself, or a CSV streamed into ``staging`` (with ``__row``)."""
    if path.suffix.lower() == ".parquet":
        return path
    delim = mapping.delimiter or ("\t" if path.suffix.lower() == ".tsv" else ",")
    try:
        csv_to_parquet(path, staging, delim)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read CSV: {exc}".splitlines()[0], path=str(path)) from None
    return staging


def load_records(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    *,
    dataset: str,
    source: str,
    strict: bool = True,
    folder: Path,
    publish: bool = True,
) -> RecordLoad:
    """Validate ``path`` and write its good rows to the trade table in ``folder``.

    ``con`` is any DuckDB connection (its SQL cleans the distinct values).
    The files of an earlier load of the same dataset and source are replaced.
    With ``strict``, any bad row raises :class:`redthread.errors.InputErrors`
    (listing them as ``file:row: column: reason``) and nothing is loaded;
    otherwise the good rows load and the bad ones come back in ``errors``.
    With ``publish=False`` the files stay staged (``<target>.part``) for the
    caller to publish once the store has committed (:class:`table.Staged`).
    A full disk raises :class:`redthread.errors.StoreError` naming the file
    and the folder; nothing is kept.
    """
    import gc

    from redthread.errors import StoreError

    staging = folder / ".staging" / f"{table.source_key(dataset + '/' + source)}.parquet"
    targets = table.source_files(folder, dataset, source)
    tmps = {kind: table.part_file(p) for kind, p in targets.items()}
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects (spellings, parties) and no cycles among them
    try:
        result = _load(con, path, mapping, dataset=dataset, source=source, strict=strict, staging=staging,
                       tmps=tmps)
    except BaseException as exc:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        if _disk_full(exc):  # pyarrow and DuckDB report it as a bare OSError deep in a writer
            raise StoreError(f"{path.name}: cannot write trade records under {folder}: the disk is full; "
                             "nothing was stored") from None
        raise
    finally:
        staging.unlink(missing_ok=True)
        if collecting:
            gc.enable()
    if publish:
        for kind, target in targets.items():
            table.replace_file(tmps[kind], target)
    return result


def _disk_full(exc: BaseException) -> bool:
    import errno

    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)


def _load(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, *, dataset: str, source: str,
          strict: bool, staging: Path, tmps: dict[str, Path]) -> RecordLoad:
    import pyarrow.parquet as pq

    from redthread.errors import InputErrors

    read_path = _open(path, mapping, staging)
    try:
        schema = pq.read_schema(read_path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read records: {exc}".splitlines()[0], path=str(path)) from None
    fields = _Fields(mapping, schema, path)
    numbered = "__row" in schema.names
    columns = fields.needed() + (["__row"] if numbered else [])
    try:
        reader = coded.ReadAhead(coded.open_parquet(read_path, fields.coded_columns()), columns)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read records: {exc}".splitlines()[0], path=str(path)) from None
    loader = _Loader(con, fields, dataset, source, path)  # while the first chunk is read
    for tmp in tmps.values():
        tmp.parent.mkdir(parents=True, exist_ok=True)
    writer: coded.BackgroundWriter | None = None
    offset = 0
    try:
        for tb in reader:
            if numbered:
                rows = tb.column("__row").to_numpy().astype(np.int64)
            else:
                rows = np.arange(offset + 1, offset + tb.num_rows + 1, dtype=np.int64)
            offset += tb.num_rows
            out = loader.chunk(tb, rows)
            if out is None or (strict and loader.error_count):
                continue
            if writer is None:
                writer = coded.BackgroundWriter(tmps["records"], out.schema, list(STATISTICS))
            writer.put(out)
        if not (strict and loader.error_count):  # at once, while the last chunks are written
            parties = loader.pool.submit(lambda: pq.write_table(loader.parties_table(mapping.party_schema),
                                                                tmps["parties"]))
            loader.write_months(tmps["months"])
            parties.result()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, duckdb.Error) as exc:
        if _disk_full(exc):  # not the input's fault: load_records names the folder
            raise
        raise InputError(f"cannot read records: {exc}".splitlines()[0], path=str(path)) from None
    finally:
        reader.close()
        loader.pool.shutdown()
        if writer is not None:
            writer.close()
    result = RecordLoad(path=str(path), rows_read=loader.rows_read, rows_loaded=loader.rows_loaded,
                        error_count=loader.error_count, errors=loader.errors)
    if loader.error_count > MAX_REPORTED:
        result.errors.append(InputError(f"... and {loader.error_count - MAX_REPORTED} more bad rows", path=str(path)))
    if strict and loader.error_count:
        raise InputErrors(result.errors)
    if writer is None:  # no good rows: an empty file of the right shape
        con.execute(table.RECORDS_DDL.format(name="records_none"))
        con.execute(f"COPY records_none TO {_lit(str(tmps['records']))} (FORMAT parquet)")
        con.execute("DROP TABLE records_none")
    result.spellings = loader.party_rows()
    return result
