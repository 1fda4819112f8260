"""Buyers a designation would cut off: the other half of the impact question.

:func:`redthread.trade.impact.impact` asks which *supplier* carries the most
flow to parties already sanctioned. It cannot see the largest buyer of
high-priority goods when that buyer is not listed itself — yet a front buyer
acting for a sanctioned manufacturer is exactly whom a designation should
reach. Here every not-yet-sanctioned buyer of CHPL goods that a red flag ties
to evasion is ranked by what it received (CHPL-weighted, as in impact), with
the evidence a reader needs to judge the ranking: its largest suppliers with
their largest records, every red flag with its detail and the sanctioned
parties the flags name, and, given a bill of materials, the units a month its
components could build (:mod:`redthread.trade.capacity`).

A buyer without a red flag is not ranked: buying drone parts is no finding
by itself.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from redthread.model.analysis import BuyerFlag, BuyerImpact, TradeLink
from redthread.model.records import Flag
from redthread.store import Store
from redthread.trade.capacity import BOM, capacity, load_bom
from redthread.trade.flows import engine_for, party_names
from redthread.trade.impact import WEIGHTS, owned_ids, sanctioned_ids, trade_links


def _flags_by_party(store: Store) -> dict[str, list[Flag]]:
    """Red flags per canonical party they are about."""
    from redthread.analyze.redflags import evaluate

    cmap = store.canonical_map()
    out: dict[str, list[Flag]] = defaultdict(list)
    for flag in evaluate(store):
        subject = flag.get("entity") or {}
        if subject.get("schema") == "Person":
            # a flag about the people behind a deal concerns every party they stand behind
            for pid in {cmap.get(p["id"], p["id"]) for p in flag.get("parties", [])}:
                out[pid].append(flag)
        elif subject.get("id"):
            # a flag about a firm is that firm's; its counterparties in the flag are not flagged by it
            out[cmap.get(subject["id"], subject["id"])].append(flag)
    return out


def _flag_row(flag: Flag, buyer: str, sinks: set[str], cmap: dict[str, str]) -> BuyerFlag:
    others = [p for p in flag.get("parties", []) if cmap.get(p["id"], p["id"]) != buyer]
    ev = flag.get("evidence") or []
    first = ev[0] if ev else None
    return {
        "rule": flag["rule"], "title": flag["title"], "severity": flag.get("severity"),
        "detail": flag.get("detail"), "why": flag.get("why"),
        "sanctioned_parties": sorted({p["name"] for p in others if cmap.get(p["id"], p["id"]) in sinks}),
        "source": first.get("source") if first else None, "quote": first.get("quote") if first else None,
        "evidence": ev,
    }


def buyer_impact(
    store: Store,
    top: int | None = 10,
    *,
    bom: BOM | Path | str | None = None,
    owned: bool = True,
) -> list[BuyerImpact]:
    """Not-yet-sanctioned buyers of CHPL goods with red flags, ranked by CHPL-weighted value received.

    Rows: ``id``, ``name``, ``weighted_usd``, ``value_usd``, ``chpl_usd``,
    ``records``, ``suppliers`` (its three largest, each with
    ``largest_record``), ``flags`` (rule, title, severity, detail, why,
    ``sanctioned_parties`` the flag names, first ``source``/``quote``),
    ``sanctioned_ties`` (every sanctioned party its flags name) and
    ``capacity`` (with ``bom``: ``product``, ``supported_per_month``,
    ``binding``; else None). Empty without trade records.
    """
    plan = load_bom(Path(bom)) if isinstance(bom, (str, Path)) else bom
    with engine_for(store) as eng:
        links = trade_links(eng, WEIGHTS)
        if not links:  # no trade records: skip the red flags and sanctions of a large list
            return []
        into: dict[str, list[TradeLink]] = defaultdict(list)
        for link in links:
            into[link["buyer"]].append(link)
        chpl = {r["buyer"]: float(r["chpl_usd"] or 0.0) for r in eng.fetch(
            "SELECT buyer, sum(CASE WHEN chpl_tier IS NOT NULL THEN value_usd ELSE 0 END) AS chpl_usd "
            f"FROM ({_base(eng)}) AS b GROUP BY buyer")}
        names = party_names(eng, [x for link in links for x in (link["supplier"], link["buyer"])])
    sinks = sanctioned_ids(store)
    if owned and sinks:
        sinks |= owned_ids(store)
    cmap = store.canonical_map()
    flags = _flags_by_party(store)
    rows: list[BuyerImpact] = []
    for buyer, ins in into.items():
        if buyer in sinks or chpl.get(buyer, 0.0) <= 0 or not flags.get(buyer):
            continue
        found = [_flag_row(f, buyer, sinks, cmap) for f in flags[buyer]]
        found.sort(key=lambda f: (f["severity"] != "high", not f["sanctioned_parties"], f["rule"]))
        ins.sort(key=lambda x: -x["weighted_usd"])
        rows.append({
            "id": buyer, "name": names.get(buyer, buyer),
            "weighted_usd": sum(x["weighted_usd"] for x in ins), "value_usd": sum(x["value_usd"] for x in ins),
            "chpl_usd": chpl.get(buyer, 0.0), "records": sum(int(x["records"]) for x in ins),
            "suppliers": [{"id": x["supplier"], "name": names.get(x["supplier"], x["supplier"]),
                           "value_usd": x["value_usd"], "records": x["records"],
                           "largest_record": x["largest_record"]} for x in ins[:3]],
            "flags": found,
            "sanctioned_ties": sorted({n for f in found for n in f["sanctioned_parties"]}),
            "capacity": None,
        })
    rows.sort(key=lambda r: (-r["weighted_usd"], r["id"]))
    rows = rows[:top] if top else rows
    if plan is not None:
        for row in rows:
            cap = capacity(store, row["id"], plan)
            row["capacity"] = {"product": cap["product"], "supported_per_month": cap["supported_per_month"],
                               "binding": cap["binding"], "period": cap["period"]}
    return rows


def _base(eng: Any) -> str:
    from redthread.trade.flows import base_sql

    return base_sql(canon=eng.has_canon)
