"""Edges of an extraction as comparable triples, for tests that state facts in our own sentences."""

from __future__ import annotations

from redthread.extract.relations import ENDS as EDGE_ENDS
from redthread.extract.result import ExtractionResult


def edge_triples(r: ExtractionResult) -> set[tuple[str, str, str]]:
    """(schema, first end's name, second end's name or the authority) of every edge."""
    names = {e["id"]: (e["properties"].get("name") or ["?"])[0] for e in r.entities}
    out = set()
    for e in r.entities:
        if e["schema"] not in EDGE_ENDS:
            continue
        first, second = EDGE_ENDS[e["schema"]]
        p = e["properties"]
        other = names[p[second][0]] if second else ",".join(p.get("authority", []))
        out.add((e["schema"], names[p[first][0]], other))
    return out
