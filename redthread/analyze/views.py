"""Views of the evidence graph for the API and the UI: an entity's neighbourhood.

Kept apart from :mod:`redthread.analyze.graph` because a view marks blocked
parties, which needs the 50 % rule (:mod:`redthread.analyze.ownership`), and
ownership is computed over the graph: with the view inside ``graph.py`` the two
modules imported each other.
"""

from __future__ import annotations

import numpy as np

from redthread.analyze.graph import Graph, adjacency
from redthread.analyze.ownership import blocked_mask
from redthread.model.analysis import GraphNode, Neighbourhood


def neighbourhood(graph: Graph, entity_id: str, depth: int = 1, limit: int = 500) -> Neighbourhood:
    """Nodes and links within ``depth`` hops of an entity, for a graph view.

    Nodes carry id, caption, schema and ``sanctioned`` (any authority) and
    ``blocked`` (US 50 % rule, OFAC) flags; links carry source, target, type,
    label and evidence. At most ``limit`` nodes are returned (nearest first).
    """
    start = graph.node(entity_id)
    if start is None:
        return {"nodes": [], "edges": [], "truncated": False}
    order = [start]
    seen = {start}
    frontier = [start]
    adj = adjacency(graph)
    truncated = False
    for _ in range(depth):
        nxt = []
        for u in frontier:
            for v, _j in adj[u]:
                if v not in seen:
                    if len(order) >= limit:
                        truncated = True
                        break
                    seen.add(v)
                    order.append(v)
                    nxt.append(v)
        frontier = nxt
    sanctioned = graph.sanctioned(None)
    blocked = blocked_mask(graph, "OFAC", "us")
    nodes: list[GraphNode] = [
        {"id": graph.ids[i], "caption": graph.caption[i], "schema": graph.schema[i],
         "sanctioned": bool(sanctioned[i]), "blocked": bool(blocked[i] and not sanctioned[i])}
        for i in order
    ]
    inside = np.zeros(graph.n_nodes, dtype=bool)
    inside[list(seen)] = True
    edges = [graph.link(j) for j in np.flatnonzero(inside[graph.src] & inside[graph.dst]).tolist()]
    return {"nodes": nodes, "edges": edges, "truncated": truncated}
