"""Load customs records (CSV or Parquet) into the columnar trade table.

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

import duckdb
import pyarrow as pa
from followthemoney.types import registry

from redthread.errors import InputError
from redthread.trade import fx, hs
from redthread.trade.mapping import Mapping
from redthread.trade.parties import party_id
from redthread.trade.table import RECORD_COLUMNS, init_schema

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
    """SQL expressions for the mapped fields over the ``raw_rows`` view."""

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

    def currency(self) -> str:
        if self.mapping.column("currency"):
            default = _lit(self.mapping.currency) if self.mapping.currency else "NULL"
            return f"coalesce(upper({self.text('currency')}), {default})"
        return _lit(self.mapping.currency or "USD")


def _open_raw(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping) -> dict[str, str]:
    """Create the ``raw_rows`` view (with a ``row`` number) over the file."""
    try:
        if path.suffix.lower() == ".parquet":
            con.execute(
                "CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT file_row_number + 1 AS __row, * "
                f"FROM read_parquet({_lit(str(path))}, file_row_number = true)"
            )
        else:
            delim = mapping.delimiter or ("\t" if path.suffix.lower() == ".tsv" else ",")
            con.execute(
                "CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT * FROM "
                f"read_csv({_lit(str(path))}, all_varchar = true, header = true, delim = {_lit(delim)})"
            )
            # Insertion order is kept, so rowid + 2 is the line number (header = line 1).
            con.execute("CREATE OR REPLACE TEMP VIEW raw_rows AS SELECT rowid + 2 AS __row, * FROM raw_csv")
        described = con.execute("DESCRIBE raw_rows").fetchall()
    except duckdb.Error as exc:
        raise InputError(f"cannot read records: {exc}".splitlines()[0], path=str(path)) from None
    return {str(row[0]): str(row[1]) for row in described if row[0] != "__row"}


def _register_dims(con: duckdb.DuckDBPyConnection, cols: _Columns, path: Path) -> list[PartyRow]:
    """HS, country, currency and party lookup tables, built from distinct values."""
    hs_raw = [r[0] for r in con.execute(f"SELECT DISTINCT {cols.text('hs_code')} FROM raw_rows t").fetchall()]
    hs_rows: dict[str, list[str | None]] = {k: [] for k in ("raw", "hs_code", "hs2", "hs4", "hs6", "chpl_tier")}
    for raw in hs_raw:
        if raw is None:
            continue
        code = hs.normalise_hs(raw)
        hs_rows["raw"].append(raw)
        hs_rows["hs_code"].append(code)
        hs_rows["hs2"].append(hs.chapter(code) if code else None)
        hs_rows["hs4"].append(hs.heading(code) if code else None)
        hs_rows["hs6"].append(hs.subheading(code) if code else None)
        hs_rows["chpl_tier"].append(hs.chpl_tier(code))
    con.register("hs_dim", pa.table(hs_rows, schema=pa.schema([(k, pa.string()) for k in hs_rows])))

    country_exprs = [cols.text(f) for f in COUNTRY_FIELDS if cols.mapping.column(f)]
    countries: dict[str, list[str | None]] = {"raw": [], "iso": []}
    if country_exprs:
        union = " UNION ".join(f"SELECT {e} AS c FROM raw_rows t" for e in country_exprs)
        for (raw,) in con.execute(f"SELECT DISTINCT c FROM ({union}) WHERE c IS NOT NULL").fetchall():
            countries["raw"].append(raw)
            countries["iso"].append(registry.country.clean(raw))
    con.register("country_dim", pa.table(countries, schema=pa.schema([("raw", pa.string()), ("iso", pa.string())])))

    fx_rows = fx.monthly_table()
    con.register("fx_dim", pa.table({
        "currency": [r[0] for r in fx_rows], "month": [r[1] for r in fx_rows], "rate": [r[2] for r in fx_rows],
    }))

    iso_of = dict(zip(countries["raw"], countries["iso"], strict=True))
    parties: list[PartyRow] = []
    dim: dict[str, list[object]] = {"role": [], "name": [], "country": [], "party_id": []}
    for role, (name_field, country_field) in ROLES.items():
        if not cols.mapping.column(name_field):
            continue
        country_expr = cols.text(country_field) if country_field and cols.mapping.column(country_field) else "NULL"
        sql = (
            f"SELECT {cols.text(name_field)} AS n, {country_expr} AS c, min(__row), count(*) "
            "FROM raw_rows t GROUP BY ALL"
        )
        for name, country, first_row, count in con.execute(sql).fetchall():
            if name is None:
                continue
            iso = iso_of.get(country) if country else None
            pid = party_id(name, iso)
            dim["role"].append(role)
            dim["name"].append(name)
            dim["country"].append(country or "")
            dim["party_id"].append(pid)
            if pid is not None:
                parties.append(PartyRow(pid, name, iso, role, int(first_row), int(count)))
    con.register("party_dim", pa.table(dim, schema=pa.schema([(k, pa.string()) for k in dim])))
    return parties


def _party_join(cols: _Columns, role: str, alias: str) -> str:
    name_field, country_field = ROLES[role]
    country_expr = cols.text(country_field) if country_field and cols.mapping.column(country_field) else "NULL"
    return (
        f"LEFT JOIN (SELECT name, country, party_id FROM party_dim WHERE role = {_lit(role)}) {alias} "
        f"ON {alias}.name = {cols.text(name_field)} AND {alias}.country = coalesce({country_expr}, '')"
    )


def _country(cols: _Columns, name: str, alias: str) -> tuple[str, str]:
    """(select expression, join) for a country field."""
    if not cols.mapping.column(name):
        return "CAST(NULL AS VARCHAR)", ""
    return f"{alias}.iso", f"LEFT JOIN country_dim {alias} ON {alias}.raw = {cols.text(name)}"


def _error_expr(cols: _Columns) -> str:
    """A CASE giving ``column|reason`` for the first problem of a row, else NULL."""
    m = cols.mapping.columns
    cur = cols.currency()
    known = ", ".join(_lit(c) for c in fx.currencies())
    checks = [
        (f"{cols.date()} IS NULL", m["date"], f"'not a date: ' || coalesce(CAST({cols.raw('date')} AS VARCHAR), '(empty)')"),
        (f"{cols.number('value')} IS NULL", m["value"], f"'not a number: ' || coalesce(CAST({cols.raw('value')} AS VARCHAR), '(empty)')"),
        (f"{cols.number('value')} < 0", m["value"], "'negative value'"),
        ("hs.hs_code IS NULL", m["hs_code"], f"'not an HS code: ' || coalesce({cols.text('hs_code')}, '(empty)')"),
        ("s.party_id IS NULL", m["sender"], "'no sender name'"),
        ("r.party_id IS NULL", m["receiver"], "'no receiver name'"),
        (f"{cur} IS NULL OR {cur} NOT IN ({known})", m.get("currency", "currency"),
         f"'unknown currency ' || coalesce({cur}, '(empty)') || ' (no exchange rate)'"),
    ]
    if cols.mapping.column("quantity"):
        checks.append((
            f"{cols.text('quantity')} IS NOT NULL AND {cols.number('quantity')} IS NULL", m["quantity"],
            f"'not a number: ' || {cols.text('quantity')}",
        ))
    whens = " ".join(f"WHEN {cond} THEN {_lit(col + '|')} || {reason}" for cond, col, reason in checks)
    return f"CASE {whens} ELSE NULL END"


def _joins(cols: _Columns) -> str:
    joins = [
        f"LEFT JOIN hs_dim hs ON hs.raw = {cols.text('hs_code')}",
        _party_join(cols, "sender", "s"),
        _party_join(cols, "receiver", "r"),
    ]
    if cols.mapping.column("declarant"):
        joins.append(_party_join(cols, "declarant", "d"))
    return " ".join(joins)


def load_records(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Mapping,
    *,
    dataset: str,
    source: str,
    strict: bool = True,
) -> RecordLoad:
    """Validate ``path`` and load its good rows into the trade table.

    Rows of an earlier load of the same dataset and source are replaced.
    With ``strict``, any bad row raises :class:`redthread.errors.InputErrors`
    (listing them as ``file:row: column: reason``) and nothing is loaded;
    otherwise the good rows load and the bad ones come back in ``errors``.
    """
    from redthread.errors import InputErrors

    init_schema(con)
    types = _open_raw(con, path, mapping)
    cols = _Columns(mapping, types, path)
    result = RecordLoad(path=str(path))
    result.parties = _register_dims(con, cols, path)
    joins = _joins(cols)
    error = _error_expr(cols)

    bad = con.execute(
        f"SELECT t.__row, {error} AS err FROM raw_rows t {joins} WHERE err IS NOT NULL ORDER BY t.__row"
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

    date = cols.date()
    month = f"strftime({date}, '%Y-%m')"
    cur = cols.currency()
    selects = {
        "dataset": _lit(dataset),
        "source": _lit(source),
        "row": "t.__row",
        "declaration_number": cols.text("declaration_number"),
        "date": date,
        "month": month,
        "sender_id": "s.party_id",
        "receiver_id": "r.party_id",
        "declarant_id": "d.party_id" if cols.mapping.column("declarant") else "CAST(NULL AS VARCHAR)",
        "hs_code": "hs.hs_code",
        "hs2": "hs.hs2",
        "hs4": "hs.hs4",
        "hs6": "hs.hs6",
        "chpl_tier": "hs.chpl_tier",
        "goods_description": cols.text("goods_description"),
        "value": cols.number("value"),
        "currency": cur,
        "value_usd": f"{cols.number('value')} / fx.rate",
        "quantity": cols.number("quantity"),
        "unit": cols.text("unit"),
    }
    country_joins = []
    for i, name in enumerate(COUNTRY_FIELDS):
        expr, join = _country(cols, name, f"c{i}")
        selects[name] = expr
        if join:
            country_joins.append(join)
    fx_join = (
        f"LEFT JOIN fx_dim fx ON fx.currency = {cur} AND fx.month = "
        f"greatest(least({month}, {_lit(fx.last_month())}), {_lit(fx.first_month())})"
    )
    select_sql = ", ".join(f"{selects[c]} AS {_ident(c)}" for c in RECORD_COLUMNS)
    where = f"WHERE {error} IS NULL" if bad else ""
    sql = f"SELECT {select_sql} FROM raw_rows t {joins} {' '.join(country_joins)} {fx_join} {where}"
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM records WHERE dataset = ? AND source = ?", [dataset, source])
        con.execute(f"INSERT INTO records {sql}")
        con.execute(
            "INSERT OR IGNORE INTO parties SELECT party_id, any_value(name), any_value(country), ? "
            "FROM (SELECT p.party_id, p.name, c.iso AS country FROM party_dim p "
            "LEFT JOIN country_dim c ON c.raw = p.country WHERE p.party_id IS NOT NULL) GROUP BY party_id",
            [mapping.party_schema],
        )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise InputError(f"cannot load records: {exc}".splitlines()[0], path=str(path)) from None
    row = con.execute("SELECT count(*) FROM raw_rows t").fetchone()
    result.rows_read = int(row[0]) if row else 0
    result.rows_loaded = result.rows_read - result.error_count
    for name in ("hs_dim", "country_dim", "fx_dim", "party_dim"):
        con.unregister(name)
    con.execute("DROP VIEW IF EXISTS raw_rows")
    con.execute("DROP TABLE IF EXISTS raw_csv")
    return result
