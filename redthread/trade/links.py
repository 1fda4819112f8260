"""Customs records as links between parties, for the graph and the timeline.

The network and the timeline are built from statements; customs records live
in the trade tables beside the store. Without these links a party known
mostly from customs (the buyer of $6 M of drone parts) shows on the graph and
the timeline only through what articles *claim* about it. Records are
aggregated per supplier -> buyer pair (and per month for one party's
timeline), each aggregate carrying its largest record (``source:row``) as
evidence, so a reader can open the line behind it.
"""

from __future__ import annotations

from typing import cast

from redthread.errors import RedthreadError
from redthread.model.analysis import CustomsPair
from redthread.store import Store
from redthread.trade.flows import base_sql, engine_for, key_ids, party_names
from redthread.trade.parties import party_key

_LARGEST = ("max(CASE WHEN k = 1 THEN source || ':' || CAST(\"row\" AS VARCHAR) END) AS largest_record, "
            "max(CASE WHEN k = 1 THEN goods_description END) AS largest_goods")


def _pairs(store: Store, extra_group: str, where: str) -> list[CustomsPair]:
    with engine_for(store) as eng:
        base = base_sql(canon=eng.has_canon, keyed=True)
        group = f"supplier, buyer{extra_group}"
        rows = eng.fetch(
            f"SELECT {group}, count(*) AS records, sum(value_usd) AS value_usd, "
            "sum(CASE WHEN chpl_tier IS NOT NULL THEN value_usd ELSE 0 END) AS chpl_usd, min(dataset) AS dataset, "
            f"CAST(min(date) AS VARCHAR) AS first_date, CAST(max(date) AS VARCHAR) AS last_date, {_LARGEST} "
            f"FROM (SELECT *, row_number() OVER (PARTITION BY {group} ORDER BY value_usd DESC NULLS LAST, "
            f"source, \"row\") AS k FROM (SELECT * FROM ({base}) AS b0 {where}) AS b1) AS b WHERE supplier IS NOT NULL AND buyer IS NOT NULL "
            f"AND supplier <> buyer GROUP BY {group}")
        ids = key_ids(eng, [k for r in rows for k in (r["supplier"], r["buyer"])])
        for r in rows:
            r["supplier"], r["buyer"] = ids.get(r["supplier"]), ids.get(r["buyer"])
        rows = [r for r in rows if r["supplier"] and r["buyer"]]
        names = party_names(eng, [x for r in rows for x in (r["supplier"], r["buyer"])])
    for r in rows:
        r["supplier_name"] = names.get(r["supplier"], r["supplier"])
        r["buyer_name"] = names.get(r["buyer"], r["buyer"])
        r["value_usd"] = float(r["value_usd"] or 0.0)
        r["chpl_usd"] = float(r["chpl_usd"] or 0.0)
    return cast("list[CustomsPair]", rows)  # the query's columns, named and numbers made floats above


def customs_links(store: Store) -> list[CustomsPair]:
    """One row per supplier -> buyer pair in the customs records (canonical parties).

    Keys: ``supplier``, ``buyer`` (ids) and their ``_name``, ``dataset``, ``records``,
    ``value_usd``, ``chpl_usd``, ``first_date``, ``last_date``,
    ``largest_record`` (``source:row``), ``largest_goods``. Empty when the
    store has no trade records.
    """
    try:
        return _pairs(store, "", "")
    except RedthreadError:
        return []


def customs_months(store: Store, entity_id: str) -> list[CustomsPair]:
    """One party's customs records per month and counterparty (as buyer or supplier), oldest first.

    Keys as :func:`customs_links` plus ``month`` (``YYYY-MM``).
    """
    cid = store.canonical_id(entity_id)
    keys = ", ".join(sorted({str(party_key(m)) for m in [cid, *store.members(cid)]}))
    where = f"WHERE supplier IN ({keys}) OR buyer IN ({keys})"
    try:
        rows = _pairs(store, ", month", f"{where}")
    except RedthreadError:
        return []
    rows.sort(key=lambda r: (r.get("month", ""), -r["value_usd"]))
    return rows
