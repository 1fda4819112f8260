"""Patterns in trade flows: new entrants, spikes, re-export chains.

- **new entrants**: parties whose first record (as supplier or buyer) falls
  on or after a date: firms that start trading suddenly.
- **spikes**: months in which a party's value is a multiple of its own
  earlier monthly average (months with records only).
- **re-export chains**: A ships to B, then B ships goods of the same HS-4
  heading and similar value to C within N days: the intermediary pattern of
  transshipment through third countries.

Each function takes a store or a :class:`~redthread.trade.engine.TradeEngine`;
the SQL is written once (DuckDB dialect) and runs on every engine.
"""

from __future__ import annotations

from datetime import date

from redthread.errors import RedthreadError
from redthread.store import Store
from redthread.trade.engine import SqlRow, TradeEngine
from redthread.trade.flows import add_names, base_sql, engine_for, lit

ROLES = {"buyer": "buyer", "supplier": "supplier"}


def _role(role: str) -> str:
    if role not in ROLES:
        raise RedthreadError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return ROLES[role]


def new_entrants(
    store_or_engine: Store | TradeEngine,
    since: str | date | None = None,
    role: str = "buyer",
    chpl_only: bool = False,
    top: int | None = None,
    *,
    engine: str = "duckdb",
) -> list[SqlRow]:
    """Parties whose first record in ``role`` is on or after ``since``.

    ``since`` defaults to six months before the latest record. Rows: ``party``,
    ``party_name``, ``first_date``, ``records``, ``value_usd``, ``counterparties``;
    largest value first.
    """
    col = _role(role)
    other = "supplier" if col == "buyer" else "buyer"
    with engine_for(store_or_engine, engine) as eng:
        base = base_sql(chpl_only=chpl_only, canon=eng.has_canon)
        if since is None:
            latest = eng.fetch("SELECT max(date) AS d FROM records")[0]["d"]
            if latest is None:
                return []
            since_sql = f"CAST({lit(str(latest))} AS DATE) - INTERVAL 6 MONTH"
        else:
            since_sql = f"CAST({lit(str(since))} AS DATE)"
        limit = f" LIMIT {int(top)}" if top else ""
        rows = eng.fetch(
            f"SELECT {col} AS party, min(date) AS first_date, count(*) AS records, sum(value_usd) AS value_usd, "
            f"count(DISTINCT {other}) AS counterparties FROM ({base}) AS base GROUP BY {col} "
            f"HAVING min(date) >= {since_sql} ORDER BY value_usd DESC, party{limit}"
        )
        return add_names(eng, rows, ["party"])


def spikes(
    store_or_engine: Store | TradeEngine,
    role: str = "buyer",
    factor: float = 2.5,
    min_history: int = 3,
    chpl_only: bool = False,
    top: int | None = None,
    *,
    engine: str = "duckdb",
) -> list[SqlRow]:
    """Months where a party's value is at least ``factor`` times its earlier monthly mean.

    Only parties with ``min_history`` earlier months with records count.
    Rows: ``party``, ``party_name``, ``month``, ``value_usd``, ``baseline_usd``
    (mean of earlier months), ``ratio``; highest ratio first.
    """
    col = _role(role)
    with engine_for(store_or_engine, engine) as eng:
        base = base_sql(chpl_only=chpl_only, canon=eng.has_canon)
        limit = f" LIMIT {int(top)}" if top else ""
        rows = eng.fetch(
            "SELECT party, month, value_usd, baseline_usd, value_usd / baseline_usd AS ratio FROM ("
            "SELECT party, month, value_usd, "
            "avg(value_usd) OVER (PARTITION BY party ORDER BY month "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS baseline_usd, "
            "count(*) OVER (PARTITION BY party ORDER BY month "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS history "
            f"FROM (SELECT {col} AS party, month, sum(value_usd) AS value_usd FROM ({base}) AS b "
            f"GROUP BY {col}, month) AS m) AS w "
            f"WHERE history >= {int(min_history)} AND baseline_usd > 0 AND value_usd >= {float(factor)!r} * baseline_usd "
            f"ORDER BY ratio DESC, party, month{limit}"
        )
        return add_names(eng, rows, ["party"])


def reexport_chains(
    store_or_engine: Store | TradeEngine,
    max_days: int = 30,
    tolerance: float = 0.25,
    chpl_only: bool = False,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    top: int | None = 100,
    *,
    engine: str = "duckdb",
) -> list[SqlRow]:
    """Pairs of records A -> B then B -> C of the same HS-4 within ``max_days``.

    The second value must be within ``tolerance`` (a fraction) of the first,
    and C must differ from A. Rows: ``supplier``, ``intermediary``, ``buyer``
    (with ``_name``), ``hs4``, ``days``, ``in_usd``, ``out_usd``, and the
    provenance of both records (``in_source``, ``in_row``, ``in_date``,
    ``out_source``, ``out_row``, ``out_date``); largest value first.
    """
    with engine_for(store_or_engine, engine) as eng:
        base = base_sql(chpl_only=chpl_only, date_from=date_from, date_to=date_to, canon=eng.has_canon)
        lo, hi = 1.0 / (1.0 + float(tolerance)), 1.0 + float(tolerance)
        limit = f" LIMIT {int(top)}" if top else ""
        rows = eng.fetch(
            f"WITH base AS ({base}) "
            "SELECT a.supplier AS supplier, a.buyer AS intermediary, b.buyer AS buyer, a.hs4 AS hs4, "
            "date_diff('day', a.date, b.date) AS days, a.value_usd AS in_usd, b.value_usd AS out_usd, "
            "a.source AS in_source, a.\"row\" AS in_row, a.date AS in_date, "
            "b.source AS out_source, b.\"row\" AS out_row, b.date AS out_date "
            "FROM base AS a JOIN base AS b ON b.supplier = a.buyer AND b.hs4 = a.hs4 "
            "AND b.date >= a.date "
            f"WHERE date_diff('day', a.date, b.date) <= {int(max_days)} AND b.buyer <> a.supplier "
            f"AND b.value_usd >= {lo!r} * a.value_usd AND b.value_usd <= {hi!r} * a.value_usd "
            f"ORDER BY in_usd DESC, in_source, in_row, out_source, out_row{limit}"
        )
        return add_names(eng, rows, ["supplier", "intermediary", "buyer"])
