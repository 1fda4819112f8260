"""``ftm-trade``: customs records as FtM EconomicActivity entities, on demand.

Records live in the columnar trade table, not as statements; this exporter
turns each into an EconomicActivity (sender, receiver, declarant, HS code as
``vedCode``, value, dates, countries) with a deterministic id, followed by
the party entities it references. Resolution is applied to party ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TextIO

import orjson

from redthread.model.records import FtMEntity
from redthread.store import Store
from redthread.trade import table


def activity_id(dataset: str, source: str, row: int) -> str:
    """The FtM id of the EconomicActivity for one record."""
    key = f"{dataset}|{source}|{row}".encode()
    return "ea-" + hashlib.sha1(key).hexdigest()[:24]


def _fmt(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def activities(store: Store, dataset: str | None = None, batch: int = 50_000) -> Iterator[FtMEntity]:
    """EconomicActivity entities (FtM JSON) for the store's trade records."""
    cmap = store.canonical_map()
    with table.connect(store.url) as con:
        sql = "SELECT * FROM records" + (" WHERE dataset = ?" if dataset else "") + ' ORDER BY dataset, source, "row"'
        cur = con.execute(sql, [dataset] if dataset else [])
        cols = [d[0] for d in cur.description or []]
        while rows := cur.fetchmany(batch):
            for values in rows:
                r = dict(zip(cols, values, strict=True))
                props: dict[str, list[str]] = {
                    "sender": [cmap.get(r["sender_id"], r["sender_id"])],
                    "receiver": [cmap.get(r["receiver_id"], r["receiver_id"])],
                    "date": [r["date"].isoformat()],
                    "vedCode": [r["hs_code"]],
                    "recordId": [f"{r['source']}:{r['row']}"],
                    "customsAmount": [f"{_fmt(r['value'])} {r['currency']}"],
                    "invoiceAmount": [f"{_fmt(r['value_usd'])} USD"],
                }
                optional = {
                    "declarant": cmap.get(r["declarant_id"], r["declarant_id"]) if r["declarant_id"] else None,
                    "ccdNumber": r["declaration_number"],
                    "goodsDescription": r["goods_description"],
                    "originCountry": r["origin_country"],
                    "destinationCountry": r["destination_country"],
                    "tradingCountry": r["trading_country"],
                    "departureCountry": r["sender_country"],
                    "summary": f"CHPL tier {r['chpl_tier']}" if r["chpl_tier"] else None,
                }
                props.update({k: [str(v)] for k, v in optional.items() if v})
                yield {
                    "id": activity_id(r["dataset"], r["source"], r["row"]),
                    "schema": "EconomicActivity",
                    "properties": props,
                    "datasets": [r["dataset"]],
                }


def export_ftm_trade(store: Store, out: TextIO, dataset: str | None = None) -> int:
    """Write EconomicActivity entities, then the trade parties, as FtM JSON lines."""
    count = 0
    parties: set[str] = set()
    for ent in activities(store, dataset):
        out.write(orjson.dumps(ent, option=orjson.OPT_SORT_KEYS).decode("utf-8") + "\n")
        parties.update(ent["properties"]["sender"] + ent["properties"]["receiver"]
                       + ent["properties"].get("declarant", []))
        count += 1
    for pid in sorted(parties):
        party = store.entity(pid)
        if party is not None:
            out.write(orjson.dumps(party, option=orjson.OPT_SORT_KEYS).decode("utf-8") + "\n")
            count += 1
    return count
