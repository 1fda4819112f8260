"""Load customs records (CSV or Parquet) into the columnar trade table (Parquet files).

The load is dictionary-coded (:mod:`redthread.trade.coded`): the columns
whose values repeat (parties, countries, HS codes, currencies, dates, goods,
units) are read as dictionaries, and every rule runs once per distinct
value — HS normalisation and CHPL tiers (:mod:`redthread.trade.hs`),
country codes, party ids and keys (:mod:`redthread.trade.parties`), dates,
numbers and text as DuckDB SQL over the distinct values — while rows get the
results by NumPy takes. Reading the next chunk, working on this one and
writing the last one overlap (three threads). A CSV is first streamed into
Parquet (text columns plus its line numbers).

A record that fails validation is reported as ``file:row: column: reason``
(``row`` is the line number for CSV, the 1-based record number for Parquet).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from redthread.errors import InputError
from redthread.trade import coded, fx, hs, table
from redthread.trade.coded import Codes, Vocabulary
from redthread.trade.mapping import Mapping
from redthread.trade.parties import normalise_names, party_ids_keys
from redthread.trade.table import RECORD_COLUMNS

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
#: Cells (parties x months) of a role's dense monthly sums before they fall back to sorting.
MONTH_CELLS = 1 << 24
#: How many bad rows are reported one by one.
MAX_REPORTED = 1000
#: Month index (``year * 12 + month - 1``) of 1970-01, where NumPy's months start.
EPOCH_MONTH = 1970 * 12


class PartyRow(NamedTuple):
    """One spelling of one party as it appears in a file."""

    party_id: str
    name: str
    country: str | None
    role: str
    first_row: int
    records: int


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


def csv_to_parquet(path: Path, target: Path, delimiter: str) -> int:
    """Stream a CSV into a Parquet file of text columns plus ``__row`` (its line number).

    Memory stays bounded by one block however large the file. ``__row`` is
    the line a record starts on (the header is line 1), counting the line
    breaks inside quoted fields. Returns the row count.
    """
    import csv as pycsv

    import pyarrow.csv as pacsv

    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        header = next(pycsv.reader(fh, delimiter=delimiter), None)
    if not header:
        raise InputError("empty file: expected a header line", path=str(path))
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header}, strings_can_be_null=False
        ),
    )
    rows = 0
    line = 2  # where the next record starts
    target.parent.mkdir(parents=True, exist_ok=True)
    writer: coded.BackgroundWriter | None = None
    try:
        for batch in reader:
            numbers, line = _line_numbers(batch, line)
            block = pa.Table.from_batches([batch]).add_column(0, "__row", numbers)
            if writer is None:
                # plain and uncompressed: a scratch file, read once (the loader codes what repeats)
                writer = coded.BackgroundWriter(target, block.schema, [])
            writer.put(block)
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None:  # a header and no records
        import pyarrow.parquet as pq

        empty = pa.table({"__row": pa.array([], pa.int64()), **{n: pa.array([], pa.string()) for n in header}})
        pq.write_table(empty, target)
    return rows


def _line_numbers(batch: pa.RecordBatch, first: int) -> tuple[pa.Array, int]:
    """The line each record of ``batch`` starts on, and where the next batch starts.

    A record spans one line plus the line breaks inside its quoted fields.
    """
    import numpy as np
    import pyarrow.compute as pc

    spans = np.ones(batch.num_rows, dtype=np.int64)
    for col in batch.columns:
        if (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) and _has_newline(col):
            breaks = pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
            if breaks.any():
                spans += np.nan_to_num(breaks).astype(np.int64)
    ends = np.cumsum(spans)
    starts = first + ends - spans
    return pa.array(starts, pa.int64()), int(first + ends[-1]) if len(ends) else first


def _has_newline(col: pa.Array) -> bool:
    """Whether any value of a text column holds a line break (one scan of its bytes)."""
    import numpy as np

    buffers = col.buffers()
    if len(buffers) < 3 or buffers[2] is None or len(col) == 0:
        return False
    width = np.int64 if pa.types.is_large_string(col.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=width)[col.offset: col.offset + len(col) + 1]
    data = memoryview(buffers[2])[int(offsets[0]): int(offsets[-1])]
    return data.tobytes().find(b"\n") >= 0


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


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class _Parties:
    """The parties named in a file, shared by the roles: one per normalised name and country."""

    #: Pair code = normalised name id * SPAN + country id + 1 (fits while there are fewer countries).
    SPAN = 1 << 12

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        import threading

        self.con = con.cursor()  # its own connection: roles work in parallel threads
        self.lock = threading.Lock()
        self.norms = Codes(lambda values: values)  # code 0: nothing left of the name
        self.known = np.zeros(0, dtype=np.int64)  # pair codes, sorted
        self.known_party = np.zeros(0, dtype=np.int64)  # their parties
        self.ids: list[str] = []
        self.keys = np.zeros(0, dtype=np.int64)
        self.countries: list[str | None] = []

    def norm_ids(self, names: list[str]) -> np.ndarray:
        """Ids of the normalised forms of ``names`` (stripped); -1 where nothing is left."""
        normalised = pa.array(normalise_names(names), pa.string())
        with self.lock:
            codes, _ = self.norms.encode(normalised)
        out: np.ndarray = np.where(codes == 0, -1, codes)
        return out

    def lookup(self, norm_ids: np.ndarray, isos: list[str], iso_ids: np.ndarray) -> np.ndarray:
        """Party indices for (normalised name, country) pairs, creating the new ones; -1 without a name."""
        if len(isos) >= self.SPAN - 1:  # pragma: no cover - more distinct countries than exist
            raise InputError(f"more than {self.SPAN - 2} distinct countries")
        codes = np.where(norm_ids < 0, -1, norm_ids * self.SPAN + iso_ids + 1)
        with self.lock:
            return self._lookup(codes, isos)

    def _find(self, codes: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(self.known, codes), max(len(self.known) - 1, 0))
        if not len(self.known):
            return np.full(len(codes), -1, dtype=np.int64)
        out: np.ndarray = np.where(self.known[at] == codes, self.known_party[at], -1)
        return out

    def _lookup(self, codes: np.ndarray, isos: list[str]) -> np.ndarray:
        out = np.where(codes < 0, -1, self._find(codes))
        missing = np.flatnonzero((out < 0) & (codes >= 0))
        if missing.size:
            new = np.unique(codes[missing])
            start = len(self.ids)
            texts = self.norms.texts
            norms = [texts[c // self.SPAN] for c in new.tolist()]
            countries = [isos[c % self.SPAN - 1] if c % self.SPAN else None for c in new.tolist()]
            ids, keys = party_ids_keys(norms, countries, self.con)
            self.ids.extend(ids)
            self.countries.extend(countries)
            self.keys = np.concatenate([self.keys, np.asarray(keys, dtype=np.int64)])
            known = np.concatenate([self.known, new])
            party = np.concatenate([self.known_party, start + np.arange(len(new), dtype=np.int64)])
            order = np.argsort(known, kind="stable")
            self.known, self.known_party = known[order], party[order]
            out[missing] = start + np.searchsorted(new, codes[missing])
        return out


class _Role:
    """The spellings (raw name and raw country) of one party role, and the rows they head.

    A name usually comes with one country: the first country a name is seen
    with gives its main spelling (found by array lookups); other countries
    for the same name are looked up pair by pair, only on the rows that have
    them.
    """

    def __init__(self, role: str, to_text: Any) -> None:
        self.role = role
        self.names = Codes(to_text)
        self.stripped: list[str] = [""]  # per name code: the name without surrounding space
        self.norm = np.full(1, -1, dtype=np.int64)  # per name code
        self.first_country = np.full(1, -1, dtype=np.int64)  # per name code
        self.main = np.full(1, -1, dtype=np.int64)  # per name code: its main spelling
        self.other: dict[tuple[int, int], int] = {}
        self.spell_name: list[int] = []
        self.spell_country: list[int] = []
        self.spell_party = np.zeros(0, dtype=np.int64)
        self.first_row = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)

    def _add(self, names: np.ndarray, countries: np.ndarray, party: np.ndarray, first_row: np.ndarray
             ) -> np.ndarray:
        start = len(self.spell_name)
        self.spell_name.extend(names.tolist())
        self.spell_country.extend(countries.tolist())
        self.spell_party = np.concatenate([self.spell_party, party])
        self.first_row = np.concatenate([self.first_row, first_row.astype(np.int64)])
        self.count = coded.grow(self.count, len(names), 0)
        return start + np.arange(len(names), dtype=np.int64)

    def rows(self, column: pa.ChunkedArray, countries: np.ndarray, loader: _Loader,
             rows: np.ndarray) -> np.ndarray:
        """Party index per row (-1 where the name is empty).

        Rows come in file order, so a spelling's first row is where it
        first appears in the chunk that brings it.
        """
        codes, new = self.names.encode(column)
        if new:
            stripped = [t.strip() for t in new]
            self.stripped.extend(stripped)
            self.norm = np.concatenate([self.norm, loader.parties.norm_ids(stripped)])
            self.first_country = coded.grow(self.first_country, len(new), -1)
            self.main = coded.grow(self.main, len(new), -1)
        fresh = np.flatnonzero(self.main[codes] < 0)
        if fresh.size:
            first = np.full(len(self.names), np.iinfo(np.int64).max)
            np.minimum.at(first, codes[fresh], fresh)
            names = np.flatnonzero(first != np.iinfo(np.int64).max)
            self.first_country[names] = countries[first[names]]
            self.main[names] = self._add(names, self.first_country[names],
                                         loader.party_of(self.norm[names], self.first_country[names]),
                                         rows[first[names]])
        spelling = self.main[codes]
        odd = np.flatnonzero(countries != self.first_country[codes])
        if odd.size:
            pairs = np.stack([codes[odd], countries[odd]], axis=1)
            unique, index, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
            ids = np.empty(len(unique), dtype=np.int64)
            todo = []
            for i, (n, c) in enumerate(unique.tolist()):
                s = self.other.get((n, c))
                if s is None:
                    todo.append(i)
                else:
                    ids[i] = s
            if todo:
                t = np.asarray(todo)
                ids[t] = self._add(unique[t, 0], unique[t, 1], loader.party_of(self.norm[unique[t, 0]], unique[t, 1]),
                                   rows[odd[index[t]]])
                for i in todo:
                    self.other[(int(unique[i, 0]), int(unique[i, 1]))] = int(ids[i])
            spelling[odd] = ids[inverse.reshape(-1)]
        self.count += np.bincount(spelling, minlength=len(self.count))
        out: np.ndarray = self.spell_party[spelling]
        return out

    def party_rows(self, parties: _Parties) -> list[PartyRow]:
        """One row per spelling that names a party."""
        keep = np.flatnonzero((self.spell_party >= 0) & (self.count > 0))
        texts = self.stripped
        names = np.asarray(self.spell_name, dtype=np.int64)[keep].tolist()
        party = self.spell_party[keep].tolist()
        first = self.first_row[keep].tolist()
        count = self.count[keep].tolist()
        ids, countries = parties.ids, parties.countries
        return list(map(PartyRow._make, zip([ids[p] for p in party], [texts[n] for n in names],
                                            [countries[p] for p in party], [self.role] * len(party), first, count,
                                            strict=True)))


class _Loader:
    """Validates and converts one file chunk by chunk; keeps what spans chunks (codes, parties, months)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fields: _Fields, dataset: str, source: str,
                 path: Path) -> None:
        self.con = con
        self.fields = fields
        self.path = path
        self.dataset = dataset
        self.source = source
        self.parties = _Parties(con)
        to_text = self.to_text
        self.roles = {role: _Role(role, to_text) for role, (name, _) in ROLES.items() if fields.column(name)}
        self.pool = ThreadPoolExecutor(len(self.roles), thread_name_prefix="redthread-parties")
        # countries: raw text -> ISO code (index into self.isos, -1 for none)
        self.country_codes = Codes(to_text)
        self.country_iso = np.full(1, -1, dtype=np.int64)
        self.isos = Vocabulary()
        # HS: raw text -> row of the HS dimension (-1 for a bad code)
        self.hs_codes = Codes(to_text)
        self.hs_row = np.full(1, -1, dtype=np.int64)
        self.hs_vocab = {k: Vocabulary() for k in ("hs_code", "hs2", "hs4", "hs6", "chpl_tier")}
        self.hs_dim: dict[str, list[int]] = {k: [] for k in self.hs_vocab}
        # currency: raw text -> index into the rate table's currencies (-1 unknown)
        self.currencies, self.first_month, self.rates = _rates()
        self.cur_codes = Codes(to_text)
        self.cur_index = np.full(1, -1, dtype=np.int64)
        self.cur_index[0] = self._currency("")
        self.cur_vocab = Vocabulary()
        for c in self.currencies:
            self.cur_vocab.index(c)
        # dates given as text: raw text -> days since 1970 (None: not a date)
        self.date_codes = Codes(to_text)
        self.date_days = np.full(1, np.iinfo(np.int64).min, dtype=np.int64)
        self.texts = {f: (Codes(to_text), Vocabulary(), [np.full(1, -1, dtype=np.int64)])
                      for f in ("goods_description", "unit")}
        self.months = Vocabulary()
        self.month_sums: dict[str, _MonthSums] = {}
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
        iso_ids = self.country_iso[country_codes]
        return self.parties.lookup(norm_ids, self.isos.values, iso_ids)

    def _countries(self, column: pa.ChunkedArray | None, n: int) -> np.ndarray:
        """Country code per row (0, the empty text, when the field is not mapped)."""
        if column is None:
            return np.zeros(n, dtype=np.int64)
        codes, new = self.country_codes.encode(column)
        if new:
            isos = [registry.country.clean(t.strip()) if t.strip() else None for t in new]
            self.country_iso = np.concatenate([self.country_iso, np.asarray([self.isos.index(i) for i in isos],
                                                                             dtype=np.int64)])
        return codes

    def _hs(self, column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
        """(raw code, HS dimension row) per row."""
        codes, new = self.hs_codes.encode(column)
        if new:
            rows = np.full(len(new), -1, dtype=np.int64)
            for i, raw in enumerate(new):
                code = hs.normalise_hs(raw)
                if code is None:
                    continue
                rows[i] = len(self.hs_dim["hs_code"])
                values = {"hs_code": code, "hs2": hs.chapter(code), "hs4": hs.heading(code),
                          "hs6": hs.subheading(code), "chpl_tier": hs.chpl_tier(code)}
                for k, v in values.items():
                    self.hs_dim[k].append(self.hs_vocab[k].index(v))
            self.hs_row = np.concatenate([self.hs_row, rows])
        return codes, self.hs_row[codes]

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
            codes, new = self.date_codes.encode(column)
            if new:
                parsed = coded.sql_map(self.con, self.fields.date_sql(), pa.array(new, pa.string()))
                self.date_days = np.concatenate([self.date_days, _days(parsed)])
            coded_days: np.ndarray = self.date_days[codes]
            return coded_days
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

    def _text(self, name: str, column: pa.ChunkedArray | None, n: int) -> pa.Array:
        """A text field: trimmed, empty as null (a dictionary for goods and units)."""
        if column is None:
            return pa.nulls(n, coded.DICT_TEXT if name in self.texts else pa.string())
        if name not in self.texts:
            if coded.is_text(column.type):
                text = column.combine_chunks().cast(pa.string())
                padded = pc.or_(pc.starts_with(text, " "), pc.ends_with(text, " "))
                if pc.any(padded).as_py():
                    text = pc.utf8_trim(text, " ")
                empty = pc.equal(text, "")
                return pc.if_else(empty, pa.scalar(None, pa.string()), text) if pc.any(empty).as_py() else text
            return coded.sql_map(self.con, self.fields.TEXT_SQL, column.combine_chunks()).cast(pa.string())
        codes_, vocab, index = self.texts[name]
        codes, new = codes_.encode(column)
        if new:
            cleaned = coded.sql_map(self.con, self.fields.TEXT_SQL, pa.array(new, pa.string())).to_pylist()
            index[0] = np.concatenate([index[0], np.asarray([vocab.index(c) for c in cleaned], dtype=np.int64)])
        return vocab.array(index[0][codes])

    # ------------------------------------------------------------------ one chunk
    def chunk(self, tb: pa.Table, rows: np.ndarray) -> pa.Table | None:
        """Validate a chunk (``rows``: its row numbers); its good rows in table form, or None if none."""
        f = self.fields
        n = tb.num_rows
        self.rows_read += n

        def col(name: str | None) -> pa.ChunkedArray | None:
            c = f.column(name)
            return tb.column(c) if c else None

        country = {name: self._countries(col(name), n) for name in COUNTRY_FIELDS}
        # The roles' parties in parallel threads while this one does the other fields.
        pending = {}
        for role, r in self.roles.items():
            name_col = col(ROLES[role][0])
            assert name_col is not None
            cfield = ROLES[role][1]
            pending[role] = self.pool.submit(r.rows, name_col, country[cfield] if cfield else np.zeros(n, dtype=np.int64),
                                             self, rows)
        date_col, value_col = col("date"), col("value")
        assert date_col is not None and value_col is not None  # required fields
        days = self._dates(date_col)
        date_ok = days != np.iinfo(np.int64).min
        month = _months(np.where(date_ok, days, 0))
        value = self._numbers("value", value_col, n)
        hs_col = col("hs_code")
        assert hs_col is not None
        hs_raw, hs_row = self._hs(hs_col)
        cur_col = col("currency")
        if cur_col is not None:
            cur_raw, new = self.cur_codes.encode(cur_col)
            if new:
                self.cur_index = np.concatenate([self.cur_index, np.asarray([self._currency(t) for t in new],
                                                                             dtype=np.int64)])
        else:
            cur_raw = np.zeros(n, dtype=np.int64)
        cur = self.cur_index[cur_raw]
        span = self.rates.shape[1]
        rate = np.where(cur >= 0, self.rates[np.maximum(cur, 0), np.clip(month - self.first_month, 0, span - 1)],
                        np.nan)
        quantity = self._numbers("quantity", col("quantity"), n)
        party = {role: future.result() for role, future in pending.items()}
        quantity_bad = np.zeros(n, dtype=bool)
        if f.text_type("quantity"):
            q = col("quantity")
            assert q is not None
            text = coded.sql_map(self.con, f.TEXT_SQL, q.combine_chunks())
            quantity_bad = text.is_valid().to_numpy(zero_copy_only=False) & np.isnan(quantity)

        checks = [
            ("date", ~date_ok),
            ("value", np.isnan(value)),
            ("negative", value < 0),
            ("hs_code", hs_row < 0),
            ("sender", party["sender"] < 0),
            ("receiver", party["receiver"] < 0),
            ("currency", cur < 0),
            ("quantity", quantity_bad),
        ]
        first_bad = np.zeros(n, dtype=np.int8)
        for i in range(len(checks) - 1, -1, -1):
            first_bad[checks[i][1]] = i + 1
        bad = np.flatnonzero(first_bad)
        if bad.size:
            self._report(tb, rows, bad, first_bad, checks, hs_raw, cur_raw)
        good = None if not bad.size else first_bad == 0
        k = n - bad.size
        self.rows_loaded += k
        if not k:
            return None

        def pick(a: np.ndarray) -> np.ndarray:
            return a if good is None else a[good]

        def pick_arrow(a: pa.Array) -> pa.Array:
            return a if good is None else a.filter(pa.array(good))

        month_g = pick(month)
        value_usd = pick(value / rate)
        keys = {role: self.parties.keys[pick(p)] for role, p in party.items()}
        for role, label in (("receiver", "buyer"), ("sender", "supplier")):
            self._add_months(label, pick(party[role]), month_g, value_usd)
        month_out = self._month_indices(month_g)
        hs_g = pick(hs_row)
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
            "declaration_number": pick_arrow(self._text("declaration_number", col("declaration_number"), n)),
            "date": pa.array(pick(days).astype(np.int32), pa.int32()).view(pa.date32()),
            "month": self.months.array(month_out),
            "sender_key": pa.array(keys["sender"], pa.int64()),
            "receiver_key": pa.array(keys["receiver"], pa.int64()),
            "declarant_key": declarant_key,
            "goods_description": pick_arrow(self._text("goods_description", col("goods_description"), n)),
            "value": pa.array(pick(value), pa.float64()),
            "currency": self.cur_vocab.array(pick(cur)),
            "value_usd": pa.array(value_usd, pa.float64()),
            "quantity": pa.array(qty, pa.float64(), mask=np.isnan(qty)),
            "unit": pick_arrow(self._text("unit", col("unit"), n)),
        }
        for key, vocab in self.hs_vocab.items():
            out[key] = vocab.array(np.asarray(self.hs_dim[key], dtype=np.int64)[hs_g])
        for name in COUNTRY_FIELDS:
            out[name] = self.isos.array(pick(self.country_iso[country[name]]))
        return pa.table({c: out[c] for c in RECORD_COLUMNS})

    def _month_indices(self, month: np.ndarray) -> np.ndarray:
        """Indices of the ``YYYY-MM`` labels of month numbers (a table over their range when it is short)."""
        lo, hi = int(month.min()), int(month.max())
        if hi - lo < 1 << 16:
            lut = np.asarray([self.months.index(_month_label(m)) for m in range(lo, hi + 1)], dtype=np.int64)
            out: np.ndarray = lut[month - lo]
            return out
        unique, inverse = np.unique(month, return_inverse=True)
        lut = np.asarray([self.months.index(_month_label(int(m))) for m in unique], dtype=np.int64)
        return lut[inverse.reshape(-1)]

    def _report(self, tb: pa.Table, rows: np.ndarray, bad: np.ndarray, first_bad: np.ndarray,
                checks: list[tuple[str, np.ndarray]], hs_raw: np.ndarray, cur_raw: np.ndarray) -> None:
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
        qty_raw = raw("quantity") if "quantity" in m else [None] * len(shown)
        for j, i in enumerate(shown.tolist()):
            check = checks[first_bad[i] - 1][0]
            if check == "date":
                column, reason = m["date"], f"not a date: {_show(date_raw[j])}"
            elif check == "value":
                column, reason = m["value"], f"not a number: {_show(value_raw[j])}"
            elif check == "negative":
                column, reason = m["value"], "negative value"
            elif check == "hs_code":
                column, reason = m["hs_code"], f"not an HS code: {self.hs_codes.texts[hs_raw[i]] or '(empty)'}"
            elif check in ("sender", "receiver"):
                column, reason = m[check], f"no {check} name"
            elif check == "currency":
                shown_cur = self.cur_codes.texts[cur_raw[i]] or "(empty)"
                column, reason = m.get("currency", "currency"), f"unknown currency {shown_cur} (no exchange rate)"
            else:
                column, reason = m["quantity"], f"not a number: {str(qty_raw[j]).strip()}"
            self.errors.append(InputError(reason, path=str(self.path), line=int(rows[i]), field=column))

    def _add_months(self, role: str, party: np.ndarray, month: np.ndarray, value_usd: np.ndarray) -> None:
        """Add a chunk's rows to the sums per party and month of ``role``."""
        self.month_sums.setdefault(role, _MonthSums()).add(party, month, value_usd)

    def write_months(self, target: Path) -> None:
        """Per party key, role and month: value in USD and records (a row group per role)."""
        import pyarrow.parquet as pq

        schema = pa.schema([("party_key", pa.int64()), ("role", coded.DICT_TEXT), ("month", coded.DICT_TEXT),
                            ("value_usd", pa.float64()), ("records", pa.int64())])
        with pq.ParquetWriter(target, schema, compression="none", use_dictionary=["role", "month"],
                              write_statistics=False) as writer:
            for role in sorted(self.month_sums):
                party, month, value, records = self.month_sums[role].result()
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
        """One row per party, by id: key, a name and country (the least of its spellings), schema."""
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
                best = con.execute("SELECT p, min(name) AS name FROM spellings GROUP BY p").fetch_arrow_table()
            finally:
                con.unregister("spellings")
            name[best.column("p").to_numpy()] = best.column("name").to_numpy(zero_copy_only=False)
        unsorted = pa.table({
            "party_id": pa.array(parties.ids, pa.string()),
            "party_key": pa.array(parties.keys, pa.int64()),
            "name": pa.array(name, pa.string()),
            "country": pa.array(parties.countries, pa.string()),
            "schema": Vocabulary.constant(schema, len(parties.ids)).cast(pa.string()),
        })
        return unsorted.take(pc.sort_indices(unsorted.column("party_id")))

    def party_rows(self) -> Callable[[], list[PartyRow]]:
        """The spelling rows, built when first asked for (holding only the roles and parties)."""
        roles, parties = list(self.roles.values()), self.parties
        return lambda: [p for r in roles for p in r.party_rows(parties)]


class _MonthSums:
    """Value and records per (party, month), summed as chunks come.

    A dense table (parties x months, grown as needed) while it stays under
    :data:`MONTH_CELLS`; past that (absurd date ranges), rows are kept and
    summed by sorting at the end.
    """

    def __init__(self) -> None:
        self.base = 0
        self.width = 0
        self.sums = np.zeros((0, 0))
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self.local = np.zeros(0, dtype=np.int64)  # file party -> row of this table (-1 if none)
        self.parties = np.zeros(0, dtype=np.int64)  # row of this table -> file party

    def add(self, party: np.ndarray, month: np.ndarray, value: np.ndarray) -> None:
        if not len(party):
            return
        party = self._local(party)
        if self.rows is None:
            lo = min(int(month.min()), self.base if self.width else int(month.min()))
            hi = max(int(month.max()), self.base + self.width - 1 if self.width else int(month.max()))
            parties = max(int(party.max()) + 1, self.sums.shape[0])
            if parties * (hi - lo + 1) <= MONTH_CELLS:
                self._fit(parties, lo, hi)
                code = party * self.width + (month - self.base)
                np.add.at(self.sums.reshape(-1), code, value)
                np.add.at(self.counts.reshape(-1), code, np.ones(len(code), dtype=np.int64))  # (a scalar is slower)
                return
            self.rows = [self._dense_rows()]
        self.rows.append((party, month, value))

    def _local(self, party: np.ndarray) -> np.ndarray:
        """The role's own dense numbering of parties (a role sees only some of the file's parties)."""
        top = int(party.max()) + 1
        if top > len(self.local):
            self.local = coded.grow(self.local, top - len(self.local), -1)
        seen = np.bincount(party, minlength=top) > 0
        new = np.flatnonzero(seen & (self.local[:top] < 0))
        if new.size:
            self.local[new] = len(self.parties) + np.arange(new.size)
            self.parties = np.concatenate([self.parties, new])
        out: np.ndarray = self.local[party]
        return out

    def _fit(self, parties: int, lo: int, hi: int) -> None:
        """Grow the table to hold ``parties`` rows and months ``lo..hi`` (with room to spare)."""
        if parties <= self.sums.shape[0] and self.width and lo >= self.base and hi < self.base + self.width:
            return
        cap = max(parties, self.sums.shape[0] * 2 if parties > self.sums.shape[0] else self.sums.shape[0])
        base = min(lo, self.base) if self.width else lo
        top = max(hi, self.base + self.width - 1) if self.width else hi
        width = top - base + 1
        if cap * width > MONTH_CELLS:
            cap = parties
        sums = np.zeros((cap, width))
        counts = np.zeros((cap, width), dtype=np.int64)
        if self.width:
            off = self.base - base
            sums[: self.sums.shape[0], off: off + self.width] = self.sums
            counts[: self.counts.shape[0], off: off + self.width] = self.counts
        self.sums, self.counts, self.base, self.width = sums, counts, base, width

    def _dense_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        party, month = np.nonzero(self.counts)
        return party, month + self.base, self.sums[party, month]

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(party, month, value, records) per pair that has records."""
        if self.rows is None:
            party, month = np.nonzero(self.counts)
            return self.parties[party], month + self.base, self.sums[party, month], self.counts[party, month]
        dense = self.rows[0]
        counts_first = self.counts[dense[0], dense[1] - self.base] if len(dense[0]) else np.zeros(0, dtype=np.int64)
        parts = [(dense[0], dense[1], dense[2], counts_first)]
        parts += [(p, m, v, np.ones(len(p), dtype=np.int64)) for p, m, v in self.rows[1:]]
        party = np.concatenate([p[0] for p in parts]).astype(np.int64)
        month = np.concatenate([p[1] for p in parts]).astype(np.int64)
        value = np.concatenate([p[2] for p in parts])
        records = np.concatenate([p[3] for p in parts])
        keys = np.stack([party, month], axis=1)
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        sums = np.bincount(inverse, weights=value, minlength=len(unique))
        counts = np.bincount(inverse, weights=records, minlength=len(unique)).astype(np.int64)
        return self.parties[unique[:, 0]], unique[:, 1], sums, counts


def _months(days: np.ndarray) -> np.ndarray:
    """Month index (``year * 12 + month - 1``) of days since 1970 (a table over their range when it is short)."""
    if not len(days):
        return days
    lo, hi = int(days.min()), int(days.max())
    if hi - lo < len(days) // 4:
        table_ = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        out: np.ndarray = table_[days - lo] + EPOCH_MONTH
        return out
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + EPOCH_MONTH


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
) -> RecordLoad:
    """Validate ``path`` and write its good rows to the trade table in ``folder``.

    ``con`` is any DuckDB connection (its SQL cleans the distinct values).
    The files of an earlier load of the same dataset and source are replaced.
    With ``strict``, any bad row raises :class:`redthread.errors.InputErrors`
    (listing them as ``file:row: column: reason``) and nothing is loaded;
    otherwise the good rows load and the bad ones come back in ``errors``.
    """
    import gc

    staging = folder / ".staging" / f"{table.source_key(dataset + '/' + source)}.parquet"
    targets = table.source_files(folder, dataset, source)
    tmps = {kind: p.with_name(p.name + ".part") for kind, p in targets.items()}
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects (spellings, parties) and no cycles among them
    try:
        result = _load(con, path, mapping, dataset=dataset, source=source, strict=strict, staging=staging,
                       tmps=tmps)
    except BaseException:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise
    finally:
        staging.unlink(missing_ok=True)
        if collecting:
            gc.enable()
    for kind, target in targets.items():
        table.replace_file(tmps[kind], target)
    return result


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
