"""One party's trade at a glance, for its entity page and dossier header.

What an analyst asks first about a party seen in customs records: how much
it bought and sold, from and to whom, which goods, how much of it is on
the Common High Priority List, and how it moved month by month. Merged
parties count once (their members' records are under the canonical id).
"""

from __future__ import annotations

from typing import cast

from redthread.errors import RedthreadError
from redthread.model.analysis import Counterparty, Goods, PartyTrade
from redthread.store import Store
from redthread.trade.flows import add_names, base_sql, engine_for, key_ids, series
from redthread.trade.parties import party_key


def party_trade(store: Store, entity_id: str, *, top: int = 5) -> PartyTrade:
    """Totals, top counterparties and goods per role (``buyer``, ``supplier``), CHPL share, monthly series.

    ``{"records": 0}`` when the party has no trade records (or the store none at all).
    """
    cid = store.canonical_id(entity_id)
    keys = ", ".join(sorted({str(party_key(m)) for m in [cid, *store.members(cid)]}))
    out: PartyTrade = {"id": cid, "records": 0, "roles": {}, "monthly": []}
    try:
        with engine_for(store) as eng:
            base = base_sql(canon=eng.has_canon, keyed=True)
            for role, other in (("buyer", "supplier"), ("supplier", "buyer")):
                where = f"FROM ({base}) AS b WHERE b.{role} IN ({keys})"
                total = eng.fetch(
                    "SELECT count(*) AS records, sum(value_usd) AS value_usd, "
                    "sum(CASE WHEN chpl_tier IS NOT NULL THEN value_usd ELSE 0 END) AS chpl_usd, "
                    f"min(date) AS first_date, max(date) AS last_date {where}")[0]
                if not total["records"]:
                    continue
                parties = eng.fetch(f"SELECT {other} AS party, sum(value_usd) AS value_usd, count(*) AS records "
                                    f"{where} GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT {int(top)}")
                ids = key_ids(eng, (r["party"] for r in parties))
                for r in parties:
                    r["party"] = ids.get(r["party"]) if r["party"] is not None else None
                goods = eng.fetch(
                    "SELECT hs6, chpl_tier, min(goods_description) AS goods, sum(value_usd) AS value_usd, "
                    f"count(*) AS records {where} GROUP BY 1, 2 ORDER BY 4 DESC NULLS LAST, 1 LIMIT {int(top)}")
                value = float(total["value_usd"] or 0.0)
                out["roles"][role] = {
                    "records": int(total["records"]), "value_usd": value,
                    "chpl_usd": float(total["chpl_usd"] or 0.0),
                    "chpl_share": (float(total["chpl_usd"] or 0.0) / value) if value else 0.0,
                    "first_date": str(total["first_date"] or ""), "last_date": str(total["last_date"] or ""),
                    # the columns of the two queries above
                    "counterparties": cast("list[Counterparty]", add_names(eng, parties, ["party"])),
                    "goods": cast("list[Goods]", goods),
                }
                out["records"] += int(total["records"])
            if out["records"]:
                out["monthly"] = [{"month": r["month"], "value_usd": float(r["value_usd"] or 0.0),
                                   "records": int(r["records"] or 0)} for r in series(eng, cid, "any")]
    except RedthreadError:
        return {"id": cid, "records": 0, "roles": {}, "monthly": []}  # no trade records in this store
    return out
