"""Where a party stands, in one look: sanctioned, blocked by ownership, exposed.

The entity page and the dossier header open with this (as OpenSanctions'
hit badges and Sayari's profile headers do): before any detail, whether
the party is itself designated (by which authority, under which
programme), blocked by operation of law (the 50 % rule), or within a few
links of a sanctioned party (how many, through whom). ``authority``
chooses whose lists count; the default is every authority.
"""

from __future__ import annotations

import numpy as np

from redthread.analyze.exposure import exposure_arrays
from redthread.analyze.graph import load_graph
from redthread.analyze.ownership import blocked as blocked_parties
from redthread.model.analysis import Designation, EntityStatus, SanctionRef
from redthread.store import Store

#: Links walked to call a party exposed.
EXPOSURE_HOPS = 3


def designations(sanctions: list[SanctionRef]) -> list[Designation]:
    """One row per programme (the same designation told by several sources is one fact with its sources)."""
    groups: dict[str, Designation] = {}
    for s in sanctions:
        programs = s.get("program") or [""]
        for program in programs:
            g = groups.setdefault(program, {"program": program, "authorities": [], "start_date": None, "sources": []})
            for a in s.get("authority", []):
                if a not in g["authorities"]:
                    g["authorities"].append(a)
            start = s.get("start_date")
            if start and (g["start_date"] is None or start < g["start_date"]):
                g["start_date"] = start
            g["sources"].append({"id": s.get("id"), "dataset": s.get("dataset"), "source": s.get("source")})
    return sorted(groups.values(), key=lambda g: (-len(g["sources"]), g["program"]))


def entity_status(store: Store, entity_id: str, *, authority: str = "all") -> EntityStatus:
    """``status`` (sanctioned / blocked / exposed / clear), with the sanctions, blocking and nearest tie.

    ``sanctions``: each designation (authority, programme, start date, source).
    ``blocked``: the 50 % rule result (aggregate share, owners) or None.
    ``exposure``: hops and strength to the nearest sanctioned party, or None.
    """
    cid = store.canonical_id(entity_id)
    graph = load_graph(store)
    index = {pid: i for i, pid in enumerate(graph.ids)}
    out: EntityStatus = {"id": cid, "authority": authority, "status": "clear", "sanctions": [],
                           "blocked": None, "exposure": None}
    i = index.get(cid)
    if i is None:
        return out  # no link and no designation: nothing to say
    from redthread.analyze.sanctions import authority_matches

    out["sanctions"] = [s for s in graph.sanctions.get(i, []) if authority_matches(authority, s.get("authority", []))]
    if out["sanctions"]:
        out["status"] = "sanctioned"
        out["designations"] = designations(out["sanctions"])
        return out
    hit = next((b for b in blocked_parties(store, authority, graph=graph) if b["id"] == cid), None)
    if hit is not None:
        out["status"] = "blocked"
        out["blocked"] = {"share": hit["blocked_share"], "owners": hit["owners"], "roots": hit["sanctioned_roots"]}
        return out
    seeds = graph.sanctioned(authority)
    if seeds.any():
        hops, strength = exposure_arrays(graph, seeds, EXPOSURE_HOPS)
        if int(hops[i]) > 0:
            out["status"] = "exposed"
            out["exposure"] = {"hops": int(hops[i]), "strength": round(float(strength[i]), 4),
                               "sanctioned_parties": int(np.count_nonzero(seeds))}
    return out
