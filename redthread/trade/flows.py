"""Trade flows: value and count of records grouped by any dimensions.

``flows(store, by=["supplier", "buyer", "hs4"])`` answers "who ships what to
whom, how much, when". Parties are grouped by canonical id, so a shipper
merged with a listed company counts as that company.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from redthread.errors import RedthreadError
from redthread.store import Store
from redthread.trade.engine import SqlRow, TradeEngine, open_engine
from redthread.trade.parties import party_key


@dataclass(frozen=True)
class Dimension:
    """A way to group records: its SQL over ``base`` and whether it is a party."""

    name: str
    sql: str
    party: bool = False
    help: str = ""


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("supplier", "supplier", True, "sender (canonical party id)"),
        Dimension("buyer", "buyer", True, "receiver (canonical party id)"),
        Dimension("declarant", "declarant", True, "customs declarant"),
        Dimension("hs", "hs_code", help="HS code as declared (normalised)"),
        Dimension("chapter", "hs2", help="HS chapter (2 digits)"),
        Dimension("hs2", "hs2", help="HS chapter (2 digits)"),
        Dimension("hs4", "hs4", help="HS heading (4 digits)"),
        Dimension("hs6", "hs6", help="HS subheading (6 digits)"),
        Dimension("chpl_tier", "chpl_tier", help="CHPL tier (None: not on the list)"),
        Dimension("month", "month", help="YYYY-MM"),
        Dimension("year", "substr(month, 1, 4)", help="YYYY"),
        Dimension("route", "concat_ws(' > ', origin_country, trading_country, destination_country)",
                  help="origin > trading country > destination"),
        Dimension("origin", "origin_country", help="country of origin"),
        Dimension("destination", "destination_country", help="country of destination"),
        Dimension("sender_country", "sender_country", help="shipper country"),
        Dimension("receiver_country", "receiver_country", help="consignee country"),
        Dimension("dataset", "dataset", help="dataset"),
        Dimension("source", "source", help="records file"),
    )
}


def lit(value: object) -> str:
    """A SQL literal (strings quoted, numbers as is)."""
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def base_sql(
    *,
    chpl_only: bool = False,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    where: Iterable[str] = (),
    canon: bool = True,
    keyed: bool = False,
) -> str:
    """``SELECT`` of records with canonical ``supplier``/``buyer``/``declarant``, filtered.

    The parties are ids (text); with ``keyed`` they are the integer keys of
    those ids (:func:`redthread.trade.parties.party_key`), read straight
    from ``trade_records`` without joining ids in: what big aggregations
    group by, naming only the rows they return (:func:`key_ids`).
    """
    conds = list(where)
    if chpl_only:
        conds.append("r.chpl_tier IS NOT NULL")
    if date_from:
        conds.append(f"r.date >= CAST({lit(str(date_from))} AS DATE)")
    if date_to:
        conds.append(f"r.date <= CAST({lit(str(date_to))} AS DATE)")
    cond = " AND ".join(conds) or "TRUE"
    table, suffix, target = ("trade_records", "key", "canonical_key") if keyed else ("records", "id", "canonical_id")
    roles = (("supplier", "sender"), ("buyer", "receiver"), ("declarant", "declarant"))
    if not canon:  # no merged parties: skip the joins
        cols = ", ".join(f"r.{col}_{suffix} AS {name}" for name, col in roles)
        return f"SELECT r.*, {cols} FROM {table} AS r WHERE {cond}"
    cols = ", ".join(f"coalesce(c{i}.{target}, r.{col}_{suffix}) AS {name}" for i, (name, col) in enumerate(roles))
    joins = " ".join(f"LEFT JOIN canon AS c{i} ON c{i}.party_{suffix} = r.{col}_{suffix}"
                     for i, (_, col) in enumerate(roles))
    return f"SELECT r.*, {cols} FROM {table} AS r {joins} WHERE {cond}"


def key_ids(eng: TradeEngine, keys: Iterable[int | None]) -> dict[int, str]:
    """Party ids of integer party keys: trade parties, and canonical ids of merged ones."""
    wanted = sorted({int(k) for k in keys if k is not None})
    if not wanted:
        return {}
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 5000):
        in_list = ", ".join(str(k) for k in wanted[start:start + 5000])
        for row in eng.fetch(f"SELECT party_key, party_id FROM parties WHERE party_key IN ({in_list})"):
            out[row["party_key"]] = row["party_id"]
        if eng.has_canon:
            for row in eng.fetch(f"SELECT DISTINCT canonical_key, canonical_id FROM canon "
                                 f"WHERE canonical_key IN ({in_list})"):
                out[row["canonical_key"]] = row["canonical_id"]
    return out


def dimensions(by: Sequence[str] | str) -> list[Dimension]:
    names = [b.strip() for b in (by.split(",") if isinstance(by, str) else by) if b.strip()]
    if not names:
        raise RedthreadError(f"--by needs at least one dimension: {', '.join(DIMENSIONS)}")
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise RedthreadError(f"unknown flow dimension(s) {', '.join(unknown)}; use: {', '.join(DIMENSIONS)}")
    return [DIMENSIONS[n] for n in names]


@contextmanager
def engine_for(store_or_engine: Store | TradeEngine, engine: str = "duckdb") -> Iterator[TradeEngine]:
    """An engine over a store's records (closed after), or the engine given."""
    if isinstance(store_or_engine, TradeEngine):
        yield store_or_engine
        return
    eng = open_engine(store_or_engine, engine)
    try:
        yield eng
    finally:
        eng.close()


def party_names(eng: TradeEngine, ids: Iterable[str | None]) -> dict[str, str]:
    """Display names of party ids: from the store (resolution applied), else the parties table."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    names: dict[str, str] = {}
    in_list = ", ".join(lit(i) for i in wanted)
    try:
        for row in eng.fetch(f"SELECT party_id, name FROM parties WHERE party_id IN ({in_list})"):
            names[row["party_id"]] = row["name"]
    except RedthreadError:
        pass  # an engine without a parties table
    if eng.store is not None:
        for pid in wanted:
            if pid not in names or not pid.startswith("tp-"):
                ent = eng.store.entity(pid)
                if ent is not None:
                    names[pid] = ent["caption"]
    return names


def add_names(eng: TradeEngine, rows: list[SqlRow], keys: Iterable[str]) -> list[SqlRow]:
    """Add ``<key>_name`` beside each party id column in ``keys``."""
    keys = list(keys)
    names = party_names(eng, (row.get(k) for row in rows for k in keys))
    for row in rows:
        for k in keys:
            row[f"{k}_name"] = names.get(row.get(k) or "", row.get(k))
    return rows


def flows(
    store_or_engine: Store | TradeEngine,
    by: Sequence[str] | str,
    chpl_only: bool = False,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    top: int | None = None,
    *,
    engine: str = "duckdb",
) -> list[SqlRow]:
    """Aggregate trade records by ``by`` (see :data:`DIMENSIONS`), largest value first.

    Each row has the dimension values (``supplier``, ``hs4``, ...; party
    dimensions also get ``<name>_name``), ``value_usd``, ``records``,
    ``quantity``, ``first_date`` and ``last_date``. ``chpl_only`` keeps
    records whose HS code is on the CHPL; ``date_from``/``date_to`` are
    inclusive ISO dates; ``top`` limits the rows.
    """
    dims = dimensions(by)
    select = ", ".join(f"{d.sql} AS {d.name}" for d in dims)
    group = ", ".join(str(i + 1) for i in range(len(dims)))
    limit = f" LIMIT {int(top)}" if top else ""
    parties = [d.name for d in dims if d.party]
    with engine_for(store_or_engine, engine) as eng:
        # Grouped on integer party keys; only the rows returned are named.
        base = base_sql(chpl_only=chpl_only, date_from=date_from, date_to=date_to, canon=eng.has_canon,
                        keyed=True)
        rows = eng.fetch(
            f"SELECT {select}, sum(value_usd) AS value_usd, count(*) AS records, sum(quantity) AS quantity, "
            f"min(date) AS first_date, max(date) AS last_date FROM ({base}) AS base "
            f"GROUP BY {group} ORDER BY value_usd DESC, {group}{limit}"
        )
        if parties:
            ids = key_ids(eng, (row[p] for row in rows for p in parties))
            for row in rows:
                for p in parties:
                    row[p] = ids.get(row[p]) if row[p] is not None else None
            if not top:  # the order among equal values was by key: make it by id, as documented
                rows.sort(key=lambda r: (-(r["value_usd"] or 0.0), *(str(r[d.name]) for d in dims)))
        return add_names(eng, rows, parties)


def series(
    store_or_engine: Store | TradeEngine,
    party_id: str,
    role: str = "buyer",
    *,
    engine: str = "duckdb",
) -> list[SqlRow]:
    """One party's monthly series (as ``buyer``, ``supplier`` or ``any`` = both): value, records.

    Read from the per-party monthly aggregate written at load time, so it
    stays fast however many records there are.
    """
    if role not in ("buyer", "supplier", "any"):
        raise RedthreadError(f"role must be buyer, supplier or any, not {role!r}")
    with engine_for(store_or_engine, engine) as eng:
        ids = [party_id]
        if eng.store is not None:
            ids = eng.store.members(party_id)
        in_list = ", ".join(str(party_key(i)) for i in ids)
        roles = {"buyer": "'buyer'", "supplier": "'supplier'", "any": "'buyer', 'supplier'"}[role]
        return eng.fetch(
            "SELECT month, sum(value_usd) AS value_usd, sum(records) AS records FROM party_months "
            f"WHERE party_key IN ({in_list}) AND role IN ({roles}) GROUP BY month ORDER BY month"
        )
