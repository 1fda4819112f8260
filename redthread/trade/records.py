"""Load customs records (CSV or Parquet) into the columnar trade table (Parquet files).

The work is vectorised in DuckDB; only the distinct values of HS codes,
countries and party names (thousands, not millions) pass through Python, so
that each rule (HS normalisation, country codes, party ids) is written once,
in :mod:`redthread.trade.hs` and :mod:`redthread.trade.parties`.

A record that fails validation is reported as ``file:row: column: reason``
(``row`` is the line number for CSV, the 1-based record number for Parquet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from followthemoney.types import registry

from redthread.errors import InputError
from redthread.trade import fx, hs, table
from redthread.trade.mapping import Mapping
from redthread.trade.parties import party_id, party_key
from redthread.trade.table import RECORD_COLUMNS

#: Party roles and the mapping fields that hold name and country.
ROLES = {
    "sender": ("sender", "sender_country"),
    "receiver": ("receiver", "receiver_country"),
    "declarant": ("declarant", None),
}
#: Country fields of a record (besides the parties').
COUNTRY_FIELDS = ("sender_country", "receiver_country", "origin_country", "destination_country", "trading_country")
#: How many bad rows are reported one by one.
MAX_REPORTED = 1000


@dataclass
class PartyRow:
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
    parties: list[PartyRow] = field(default_factory=list)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _Columns:
    """SQL expressions for the mapped fields over the ``raw_rows`` view (aliased ``t``)."""

    def __init__(self, mapping: Mapping, types: dict[str, str], path: Path) -> None:
        self.mapping = mapping
        self.types = types
        missing = [c for c in mapping.columns.values() if c not in types]
        if missing:
            raise InputError(
                f"column(s) {', '.join(repr(c) for c in missing)} named in the mapping are not in the file; "
                f"its columns are: {', '.join(types)}",
                path=str(path),
                field=missing[0],
            )

    @staticmethod
    def q(col: str) -> str:
        """A column of the records file, qualified (joined tables have columns too)."""
        return "t." + _ident(col)

    def raw(self, name: str) -> str:
        col = self.mapping.column(name)
        return self.q(col) if col else "NULL"

    def key(self, name: str | None) -> str:
        """The raw value as text, '' for NULL: the join key into a lookup table.

        Cleaning (trimming, case) happens once per distinct value in Python.
        """
        col = self.mapping.column(name) if name else None
        if not col:
            return "''"
        expr = self.q(col) if self.types[col].upper() == "VARCHAR" else f"CAST({self.q(col)} AS VARCHAR)"
        return f"coalesce({expr}, '')"

    def text(self, name: str) -> str:
        col = self.mapping.column(name)
        if not col:
            return "CAST(NULL AS VARCHAR)"
        return f"NULLIF(trim(CAST({self.q(col)} AS VARCHAR)), '')"

    def number(self, name: str) -> str:
        col = self.mapping.column(name)
        if not col:
            return "CAST(NULL AS DOUBLE)"
        if self.types[col].upper() == "VARCHAR":
            return f"TRY_CAST(replace(replace(trim({self.q(col)}), ',', ''), ' ', '') AS DOUBLE)"
        return f"TRY_CAST({self.q(col)} AS DOUBLE)"

    def date(self) -> str:
        col = self.q(self.mapping.columns["date"])
        fmt = self.mapping.date_format
        if fmt and self.types[self.mapping.columns["date"]].upper() == "VARCHAR":
            return f"CAST(try_strptime(trim({col}), {_lit(fmt)}) AS DATE)"
        return f"TRY_CAST({col} AS DATE)"

    def month_start(self) -> str:
        """The first day of the record's month (a DATE: cheaper to compute and join on than text)."""
        return f"CAST(date_trunc('month', {self.date()}) AS DATE)"


def csv_to_parquet(path: Path, target: Path, delimiter: str) -> int:
    """Stream a CSV into a Parquet file of text columns plus ``__row`` (its line number).

    Memory stays bounded by one block however large the file. ``__row`` is
    the line a record starts on (the header is line 1), counting the line
    breaks inside quoted fields. Returns the row count.
    """
    import csv as pycsv

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

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
    writer: pq.ParquetWriter | None = None
    try:
        for batch in reader:
            numbers, line = _line_numbers(batch, line)
            block = pa.Table.from_batches([batch]).add_column(0, "__row", numbers)
            if writer is None:
                writer = pq.ParquetWriter(target, block.schema, compression="snappy")
            writer.write_table(block)
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


def _line_numbers(batch: pa.RecordBatch, first: int) -> tuple[pa.Array, int]:
    """The line each record of ``batch`` starts on, and where the next batch starts.

    A record spans one line plus the line breaks inside its quoted fields.
    """
    import numpy as np
    import pyarrow.compute as pc

    spans = np.ones(batch.num_rows, dtype=np.int64)
    for col in batch.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            breaks = pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
            if breaks.any():
                spans += np.nan_to_num(breaks).astype(np.int64)
    ends = np.cumsum(spans)
    starts = first + ends - spans
    return pa.array(starts, pa.int64()), int(first + ends[-1]) if len(ends) else first


def _open_raw(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, staging: Path) -> dict[str, str]:
    """Create the ``raw_rows`` view (with a ``__row`` number) over the file.

    A CSV is first streamed into ``staging`` as Parquet (bounded memory,
    line numbers kept).
    """
    try:
        if path.suffix.lower() == ".parquet":
            con.execute(
                "CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT file_row_number + 1 AS __row, * "
                f"FROM read_parquet({_lit(str(path))}, file_row_number = true)"
            )
        else:
            delim = mapping.delimiter or ("\t" if path.suffix.lower() == ".tsv" else ",")
            try:
                csv_to_parquet(path, staging, delim)
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read CSV: {exc}".splitlines()[0], path=str(path)) from None
            con.execute(f"CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT * FROM read_parquet({_lit(str(staging))})")
        described = con.execute("DESCRIBE raw_rows").fetchall()
    except duckdb.Error as exc:
        raise InputError(f"cannot read records: {exc}".splitlines()[0], path=str(path)) from None
    return {str(row[0]): str(row[1]) for row in described if row[0] != "__row"}


@dataclass
class _Dims:
    """Lookup tables built from distinct raw values, and the raw values that fail."""

    parties: list[PartyRow] = field(default_factory=list)
    bad: dict[str, list[str]] = field(default_factory=dict)
    #: Per party role: whether its lookup can join on the hash of name and country.
    hashed: dict[str, bool] = field(default_factory=dict)


def _register(con: duckdb.DuckDBPyConnection, name: str, data: dict[str, list[Any]], types: dict[str, Any],
              enums: tuple[str, ...] = ()) -> None:
    """Make ``data`` the table ``name``; ``enums`` columns become DuckDB ENUM types.

    A record column joined from an ENUM column is written to Parquet as a
    dictionary without hashing each of its millions of values again (about
    8x cheaper than text); it reads back as text.
    """
    arrow = pa.table(data, schema=pa.schema([(k, types.get(k, pa.string())) for k in data]))
    if not enums:
        con.register(name, arrow)
        return
    con.register(f"{name}__arrow", arrow)
    cols = []
    for col in data:
        if col in enums:
            con.execute(f"DROP TYPE IF EXISTS {name}_{col}")
            con.execute(f"CREATE TYPE {name}_{col} AS ENUM "
                        f"(SELECT DISTINCT {_ident(col)} FROM {name}__arrow WHERE {_ident(col)} IS NOT NULL)")
            cols.append(f"CAST({_ident(col)} AS {name}_{col}) AS {_ident(col)}")
        else:
            cols.append(_ident(col))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(cols)} FROM {name}__arrow")
    con.unregister(f"{name}__arrow")


def _drop_dims(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> None:
    """Forget the lookup tables (registered views or ENUM tables; their types go with the connection)."""
    for name in names:
        try:
            con.unregister(name)
        except duckdb.Error:  # pragma: no cover - not registered
            pass
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _register_dims(con: duckdb.DuckDBPyConnection, cols: _Columns) -> _Dims:
    """HS, country, currency/rate and party lookup tables, keyed by raw values."""
    dims = _Dims()
    m = cols.mapping

    hs_rows: dict[str, list[Any]] = {k: [] for k in ("raw", "hs_code", "hs2", "hs4", "hs6", "chpl_tier")}
    for (raw,) in con.execute(f"SELECT DISTINCT {cols.key('hs_code')} FROM raw_rows t").fetchall():
        code = hs.normalise_hs(raw)
        if code is None:
            dims.bad.setdefault("hs_code", []).append(raw)
            continue
        hs_rows["raw"].append(raw)
        hs_rows["hs_code"].append(code)
        hs_rows["hs2"].append(hs.chapter(code))
        hs_rows["hs4"].append(hs.heading(code))
        hs_rows["hs6"].append(hs.subheading(code))
        hs_rows["chpl_tier"].append(hs.chpl_tier(code))
    _register(con, "hs_dim", hs_rows, {}, enums=("hs_code", "hs2", "hs4", "hs6", "chpl_tier"))

    country_fields = [f for f in COUNTRY_FIELDS if m.column(f)]
    iso_of: dict[str, str | None] = {"": None}
    if country_fields:
        union = " UNION ".join(f"SELECT {cols.key(f)} AS c FROM raw_rows t" for f in country_fields)
        for (raw,) in con.execute(f"SELECT DISTINCT c FROM ({union})").fetchall():
            iso_of[raw] = registry.country.clean(raw.strip()) if raw.strip() else None
    _register(con, "country_dim", {"raw": list(iso_of), "iso": list(iso_of.values())}, {}, enums=("iso",))

    # Currency and month -> ISO code and rate; a code the table lacks is a bad value.
    known = {(cur, month): rate for cur, month, rate in fx.monthly_table()}
    lo, hi = fx.first_month(), fx.last_month()
    cur_rows: dict[str, list[Any]] = {"raw": [], "month_start": [], "month": [], "currency": [], "rate": []}
    sql = f"SELECT DISTINCT {cols.key('currency')}, {cols.month_start()} FROM raw_rows t"
    for raw, start in con.execute(sql).fetchall():
        code = raw.strip().upper() or (m.currency or "")
        if start is None:
            continue  # a bad date, reported as such
        month = start.strftime("%Y-%m")
        rate = known.get((code, min(max(month, lo), hi)))
        if rate is None:
            dims.bad.setdefault("currency", []).append(raw)
            continue
        cur_rows["raw"].append(raw)
        cur_rows["month_start"].append(start)
        cur_rows["month"].append(month)
        cur_rows["currency"].append(code)
        cur_rows["rate"].append(rate)
    _register(con, "cur_dim", cur_rows, {"rate": pa.float64(), "month_start": pa.date32()},
              enums=("month", "currency"))

    for role, (name_field, country_field) in ROLES.items():
        if not m.column(name_field):
            continue
        data: dict[str, list[Any]] = {"name": [], "country": [], "party_id": [], "party_key": []}
        sql = (
            f"SELECT {cols.key(name_field)} AS n, {cols.key(country_field)} AS c, min(__row), count(*) "
            "FROM raw_rows t GROUP BY ALL"
        )
        for raw_name, raw_country, first_row, count in con.execute(sql).fetchall():
            name = raw_name.strip()
            iso = iso_of.get(raw_country)
            pid = party_id(name, iso) if name else None
            if pid is None:
                if role != "declarant":  # a record may have no declarant
                    dims.bad.setdefault(role, []).append(raw_name)
                continue
            data["name"].append(raw_name)
            data["country"].append(raw_country)
            data["party_id"].append(pid)
            data["party_key"].append(party_key(pid))
            dims.parties.append(PartyRow(pid, name, iso, role, int(first_row), int(count)))
        # Records find their party by a 64-bit hash of the raw name and country
        # (an integer join); the text join is kept for the unlikely file whose
        # distinct spellings share a hash.
        _register(con, f"party_{role}__src", data, {"party_key": pa.int64()})
        con.execute(f"CREATE OR REPLACE TEMP TABLE party_{role} AS "
                    f"SELECT *, hash(name, country) AS h FROM party_{role}__src")
        con.unregister(f"party_{role}__src")
        row = con.execute(f"SELECT count(*) = count(DISTINCT h) FROM party_{role}").fetchone()
        dims.hashed[role] = bool(row and row[0])
    return dims


def _in_list(expr: str, values: list[str]) -> str:
    if not values:
        return "FALSE"
    return f"{expr} IN ({', '.join(_lit(v) for v in values)})"


def _error_expr(cols: _Columns, bad: dict[str, list[str]]) -> str:
    """A CASE giving ``column|reason`` for the first problem of a row, else NULL.

    It needs no joins: the raw HS codes, names and currencies that fail are
    known from the distinct values (usually none).
    """
    m = cols.mapping.columns
    checks = [
        (f"{cols.date()} IS NULL", m["date"],
         f"'not a date: ' || coalesce(CAST({cols.raw('date')} AS VARCHAR), '(empty)')"),
        (f"{cols.number('value')} IS NULL", m["value"],
         f"'not a number: ' || coalesce(CAST({cols.raw('value')} AS VARCHAR), '(empty)')"),
        (f"{cols.number('value')} < 0", m["value"], "'negative value'"),
        (_in_list(cols.key("hs_code"), bad.get("hs_code", [])), m["hs_code"],
         f"'not an HS code: ' || coalesce(NULLIF({cols.key('hs_code')}, ''), '(empty)')"),
        (_in_list(cols.key("sender"), bad.get("sender", [])), m["sender"], "'no sender name'"),
        (_in_list(cols.key("receiver"), bad.get("receiver", [])), m["receiver"], "'no receiver name'"),
        (_in_list(cols.key("currency"), bad.get("currency", [])), m.get("currency", "currency"),
         f"'unknown currency ' || coalesce(NULLIF({cols.key('currency')}, ''), '(empty)') || ' (no exchange rate)'"),
    ]
    if cols.mapping.column("quantity"):
        checks.append((
            f"{cols.text('quantity')} IS NOT NULL AND {cols.number('quantity')} IS NULL", m["quantity"],
            f"'not a number: ' || {cols.text('quantity')}",
        ))
    whens = " ".join(
        f"WHEN {cond} THEN {_lit(col + '|')} || {reason}" for cond, col, reason in checks if cond != "FALSE"
    )
    return f"CASE {whens} ELSE NULL END"


def _select_sql(cols: _Columns, dataset: str, source: str, where: str,
                hashed: dict[str, bool] | None = None) -> str:
    """The records in table form: cleaned values and lookups joined in."""
    m = cols.mapping
    joins = [
        f"JOIN hs_dim AS hs ON hs.raw = {cols.key('hs_code')}",
        f"JOIN cur_dim AS fx ON fx.raw = {cols.key('currency')} AND fx.month_start = {cols.month_start()}",
    ]
    for role, (name_field, country_field) in ROLES.items():
        if m.column(name_field):
            kind = "LEFT JOIN" if role == "declarant" else "JOIN"
            if (hashed or {}).get(role):
                cond = f"p_{role}.h = hash({cols.key(name_field)}, {cols.key(country_field)})"
            else:
                cond = f"p_{role}.name = {cols.key(name_field)} AND p_{role}.country = {cols.key(country_field)}"
            joins.append(f"{kind} party_{role} AS p_{role} ON {cond}")
    selects = {
        # constants typed as one-value ENUMs: written as a dictionary, not hashed per row
        "dataset": f"CAST({_lit(dataset)} AS ENUM({_lit(dataset)}))",
        "source": f"CAST({_lit(source)} AS ENUM({_lit(source)}))",
        "row": "t.__row",
        "declaration_number": cols.text("declaration_number"),
        "date": cols.date(),
        "month": "fx.month",
        "sender_key": "p_sender.party_key",
        "receiver_key": "p_receiver.party_key",
        "declarant_key": "p_declarant.party_key" if m.column("declarant") else "CAST(NULL AS BIGINT)",
        "hs_code": "hs.hs_code",
        "hs2": "hs.hs2",
        "hs4": "hs.hs4",
        "hs6": "hs.hs6",
        "chpl_tier": "hs.chpl_tier",
        "goods_description": cols.text("goods_description"),
        "value": cols.number("value"),
        "currency": "fx.currency",
        "value_usd": f"{cols.number('value')} / fx.rate",
        "quantity": cols.number("quantity"),
        "unit": cols.text("unit"),
    }
    for i, name in enumerate(COUNTRY_FIELDS):
        if m.column(name):
            joins.append(f"LEFT JOIN country_dim AS c{i} ON c{i}.raw = {cols.key(name)}")
            selects[name] = f"c{i}.iso"
        else:
            selects[name] = "CAST(NULL AS VARCHAR)"
    select_sql = ", ".join(f"{selects[c]} AS {_ident(c)}" for c in RECORD_COLUMNS)
    return f"SELECT {select_sql} FROM raw_rows AS t {' '.join(joins)} {where}"


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

    ``con`` is any DuckDB connection (used for the work). The files of an
    earlier load of the same dataset and source are replaced.
    With ``strict``, any bad row raises :class:`redthread.errors.InputErrors`
    (listing them as ``file:row: column: reason``) and nothing is loaded;
    otherwise the good rows load and the bad ones come back in ``errors``.
    """
    staging = folder / ".staging" / f"{table.source_key(dataset + '/' + source)}.parquet"
    try:
        return _load(con, path, mapping, dataset=dataset, source=source, strict=strict, folder=folder,
                     staging=staging)
    finally:
        staging.unlink(missing_ok=True)


def _load(
    con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, *, dataset: str, source: str, strict: bool,
    folder: Path, staging: Path,
) -> RecordLoad:
    from redthread.errors import InputErrors

    types = _open_raw(con, path, mapping, staging)
    # Row numbers are explicit from here on, so output order is free (parallel writes).
    con.execute("SET preserve_insertion_order = false")
    cols = _Columns(mapping, types, path)
    result = RecordLoad(path=str(path))
    dims = _register_dims(con, cols)
    result.parties = dims.parties
    error = _error_expr(cols, dims.bad)

    bad = con.execute(
        f"SELECT t.__row, {error} AS err FROM raw_rows t WHERE err IS NOT NULL ORDER BY t.__row"
    ).fetchall()
    result.error_count = len(bad)
    for row, err in bad[:MAX_REPORTED]:
        column, reason = str(err).split("|", 1)
        result.errors.append(InputError(reason, path=str(path), line=int(row), field=column))
    if result.error_count > MAX_REPORTED:
        result.errors.append(InputError(
            f"... and {result.error_count - MAX_REPORTED} more bad rows", path=str(path)
        ))
    if strict and bad:
        raise InputErrors(result.errors)
    sql = _select_sql(cols, dataset, source, f"WHERE {error} IS NULL" if bad else "", dims.hashed)
    targets = table.source_files(folder, dataset, source)
    tmps = {kind: path.with_name(path.name + ".part") for kind, path in targets.items()}
    for tmp in tmps.values():
        tmp.parent.mkdir(parents=True, exist_ok=True)
    _register(con, "party_rows", {
        "party_id": [p.party_id for p in dims.parties],
        "party_key": [party_key(p.party_id) for p in dims.parties],
        "name": [p.name for p in dims.parties],
        "country": [p.country for p in dims.parties],
    }, {"party_key": pa.int64()})
    written = _lit(str(tmps["records"]))
    try:
        con.execute(f"COPY ({sql}) TO {written} (FORMAT parquet, COMPRESSION snappy)")
        con.execute(
            "COPY (SELECT party_id, min(party_key) AS party_key, min(name) AS name, min(country) AS country, "
            f"{_lit(mapping.party_schema)} AS schema FROM party_rows GROUP BY party_id "
            f"ORDER BY party_id) TO {_lit(str(tmps['parties']))} (FORMAT parquet)"
        )
        # Per party (integer key) and month: a party's series reads this, not every
        # record (unsorted: filtering a few million integers takes milliseconds).
        con.execute(
            "COPY (SELECT * FROM ("
            "SELECT receiver_key AS party_key, 'buyer' AS role, month, sum(value_usd) AS value_usd, "
            f"count(*) AS records FROM read_parquet({written}) GROUP BY ALL UNION ALL "
            "SELECT sender_key, 'supplier', month, sum(value_usd), count(*) "
            f"FROM read_parquet({written}) GROUP BY ALL)) "
            f"TO {_lit(str(tmps['months']))} (FORMAT parquet, COMPRESSION snappy)"
        )
    except duckdb.Error as exc:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise InputError(f"cannot load records: {exc}".splitlines()[0], path=str(path)) from None
    for kind, target in targets.items():
        table.replace_file(tmps[kind], target)
    rec_file = targets["records"]
    row = con.execute("SELECT count(*) FROM raw_rows t").fetchone()
    result.rows_read = int(row[0]) if row else 0
    row = con.execute(f"SELECT count(*) FROM read_parquet({_lit(str(rec_file))})").fetchone()
    result.rows_loaded = int(row[0]) if row else 0
    _drop_dims(con, ("hs_dim", "country_dim", "cur_dim", "party_sender", "party_receiver", "party_declarant",
                     "party_rows"))
    con.execute("DROP VIEW IF EXISTS raw_rows")
    return result
