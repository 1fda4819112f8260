"""How close is a party to a sanctioned one, and through which links?

Two measures, over links taken in either direction:

- **hops**: the fewest links to any sanctioned party;
- **strength**: the strongest tie, the largest product of link weights along
  a path (weights per link type in :data:`redthread.analyze.graph.LINK_WEIGHTS`,
  scaled by the statements' confidence and lowered for hedged ones). A
  100 % owner of a sanctioned firm scores 1.0; a firm sharing an address with
  the supplier of a sanctioned firm scores 0.3 × 0.5 = 0.15.

The batch search over every party runs in an engine (DuckDB by default, see
:mod:`redthread.engines`); the paths shown for each result are rebuilt here,
every link with its evidence.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from redthread.analyze.graph import Graph, adjacency, load_graph
from redthread.analyze.ownership import blocked_mask
from redthread.engines import Engine, get_engine
from redthread.engines.memory import CSR, MemoryEngine
from redthread.errors import NotFound, RedthreadError
from redthread.model.analysis import Exposure
from redthread.model.records import Path
from redthread.store import Store

#: Results beyond this many get no reconstructed path (ranking stays complete).
MAX_PATHS = 1000


def exposure_arrays(
    graph: Graph, seeds: np.ndarray, max_hops: int = 3, engine: str | Engine | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per node: hops to the nearest seed (-1: not within ``max_hops``) and strongest tie."""
    eng = engine if isinstance(engine, Engine) else get_engine(engine)
    try:
        if isinstance(eng, MemoryEngine):
            if "exposure_csr" not in graph.cache:  # the undirected index, built once per graph
                graph.cache["exposure_csr"] = CSR(np.concatenate([graph.src, graph.dst]),
                                                  np.concatenate([graph.dst, graph.src]),
                                                  np.concatenate([graph.weight, graph.weight]), graph.n_nodes)
            res = eng.exposure(graph.src, graph.dst, graph.weight, np.flatnonzero(seeds), max_hops,
                               n=graph.n_nodes, csr=graph.cache["exposure_csr"])
        else:
            res = eng.exposure(graph.src, graph.dst, graph.weight, np.flatnonzero(seeds), max_hops)
    finally:
        if not isinstance(engine, Engine):
            eng.close()
    hops = np.full(graph.n_nodes, -1, dtype=np.int64)
    strength = np.zeros(graph.n_nodes, dtype=np.float64)
    hops[res.ids] = res.hops
    strength[res.ids] = res.strength
    return hops, strength


def exposure(
    store: Store,
    max_hops: int = 3,
    top: int | None = None,
    *,
    authority: str | None = "OFAC",
    engine: str | Engine | None = None,
    graph: Graph | None = None,
) -> list[Exposure]:
    """Parties within ``max_hops`` of a sanctioned party, most exposed first.

    Each item: ``id``, ``name``, ``schema``, ``hops``, ``strength``,
    ``blocked`` (by the US 50 % rule), ``nearest`` (the sanctioned party at the
    end of the shortest path) and ``path``: the links of the shortest path,
    from the party to the sanctioned one, each with its evidence. Sorted by
    strength (descending), then hops, then name.
    """
    if max_hops < 1:
        raise RedthreadError("--max-hops must be at least 1")
    graph = graph or load_graph(store)
    seeds = graph.sanctioned(authority)
    hops, strength = exposure_arrays(graph, seeds, max_hops, engine)
    reached = np.flatnonzero((hops > 0) & ~seeds)
    order = sorted(reached.tolist(), key=lambda i: (-strength[i], hops[i], graph.caption[i].lower()))
    if top is not None:
        order = order[:top]
    blocked = blocked_mask(graph, authority, "us", engine)
    adj = adjacency(graph) if order else []
    out: list[Exposure] = []
    for rank, i in enumerate(order):
        item: Exposure = {
            "id": graph.ids[i], "name": graph.caption[i], "schema": graph.schema[i],
            "hops": int(hops[i]), "strength": round(float(strength[i]), 6), "blocked": bool(blocked[i]),
        }
        if rank < MAX_PATHS:
            nodes, links = _bfs_path(graph, adj, i, seeds, max_hops)
            item["nearest"] = {"id": graph.ids[nodes[-1]], "name": graph.caption[nodes[-1]]} if nodes else None
            item["path"] = [graph.link(j) for j in links]
        out.append(item)
    return out


def _bfs_path(
    graph: Graph, adj: list[list[tuple[int, int]]], start: int, goal: np.ndarray, max_hops: int | None
) -> tuple[list[int], list[int]]:
    """Fewest-hop path from ``start`` to any goal node: (nodes, link indexes)."""
    if goal[start]:
        return [start], []
    prev: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([(start, 0)])
    while queue:
        u, d = queue.popleft()
        if max_hops is not None and d >= max_hops:
            continue
        # Strongest link first, so ties in hops prefer the stronger tie.
        for v, j in sorted(adj[u], key=lambda vj: (-graph.weight[vj[1]], graph.ids[vj[0]])):
            if v in prev:
                continue
            prev[v] = (u, j)
            if goal[v]:
                return _unwind(prev, v)
            queue.append((v, d + 1))
    return [], []


def _unwind(prev: dict[int, tuple[int, int]], end: int) -> tuple[list[int], list[int]]:
    nodes, links = [end], []
    node = end
    while prev[node][0] != -1:
        node, j = prev[node]
        nodes.append(node)
        links.append(j)
    nodes.reverse()
    links.reverse()
    return nodes, links


def _best_links(graph: Graph) -> tuple[csr_matrix, dict[tuple[int, int], int]]:
    """Undirected cost matrix (-log weight) keeping the strongest link per pair."""
    cached = graph.cache.get("best_links")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    a = np.minimum(graph.src, graph.dst)
    b = np.maximum(graph.src, graph.dst)
    best: dict[tuple[int, int], int] = {}
    for j in np.argsort(-graph.weight, kind="stable").tolist():
        best.setdefault((int(a[j]), int(b[j])), j)
    pairs = list(best.items())
    rows = np.asarray([p[0][0] for p in pairs] + [p[0][1] for p in pairs], dtype=np.int64)
    cols = np.asarray([p[0][1] for p in pairs] + [p[0][0] for p in pairs], dtype=np.int64)
    w = np.asarray([graph.weight[p[1]] for p in pairs] * 2, dtype=np.float64)
    # A tiny cost per hop keeps every stored cost positive and prefers fewer hops on ties.
    cost = -np.log(np.clip(w, 1e-12, 1.0)) + 1e-9
    matrix = csr_matrix((cost, (rows, cols)), shape=(graph.n_nodes, graph.n_nodes))
    graph.cache["best_links"] = (matrix, best)
    return matrix, best


def _path_dict(graph: Graph, kind: str, nodes: list[int], links: list[int]) -> Path:
    strength = math.prod(float(graph.weight[j]) for j in links) if links else 1.0
    return {
        "kind": kind,
        "hops": len(links),
        "strength": round(strength, 6),
        "nodes": [{"id": graph.ids[n], "name": graph.caption[n], "schema": graph.schema[n]} for n in nodes],
        "links": [graph.link(j) for j in links],
    }


def paths(store: Store, a: str, b: str, *, graph: Graph | None = None) -> list[Path]:
    """The shortest (fewest links) and the strongest path between two parties.

    Returns a list of paths, each ``{kind, hops, strength, nodes, links}``
    with ``kind`` ``"shortest"`` or ``"strongest"``; one item with kind
    ``"shortest+strongest"`` when both are the same path; empty when the
    parties are not connected. Links carry their evidence.
    """
    graph = graph or load_graph(store)
    ia, ib = graph.node(store.canonical_id(a)), graph.node(store.canonical_id(b))
    if ia is None or ib is None:
        missing = a if ia is None else b
        raise NotFound(f"{missing!r} has no links in the graph; check the id with `redthread entity`")
    goal = np.zeros(graph.n_nodes, dtype=bool)
    goal[ib] = True
    s_nodes, s_links = _bfs_path(graph, adjacency(graph), ia, goal, None)
    if not s_nodes:
        return []
    matrix, best = _best_links(graph)
    _, pred = dijkstra(matrix, directed=True, indices=ia, return_predecessors=True)
    w_nodes = [ib]
    while w_nodes[-1] != ia:
        w_nodes.append(int(pred[w_nodes[-1]]))
    w_nodes.reverse()
    w_links = [best[(min(u, v), max(u, v))] for u, v in zip(w_nodes, w_nodes[1:], strict=False)]
    shortest = _path_dict(graph, "shortest", s_nodes, s_links)
    strongest = _path_dict(graph, "strongest", w_nodes, w_links)
    if s_nodes == w_nodes or strongest["strength"] <= shortest["strength"]:
        shortest["kind"] = "shortest+strongest"
        return [shortest]
    return [shortest, strongest]
