"""Designation impact: which not-yet-sanctioned party carries the most flow to sanctioned buyers?

The trade records become a directed graph, supplier -> buyer, each edge
weighted by its value in USD times a CHPL weight (:data:`WEIGHTS`: goods on
the Common High Priority List count more). Sanctioned parties (those with a
Sanction entity in the store, resolution applied) are the sinks. Goods are
conserved: a party can pass on what it received plus what it ships beyond
that (its own supply, ``max(0, out - in)``), so flow through intermediaries
is bounded by what reached them.

For each candidate party we report:

- ``through_usd``: the weighted flow that passes through it in a maximum
  flow from all suppliers to the sanctioned sinks;
- ``cut_usd``: how much that maximum flow drops when the party is removed
  (designated): what a designation would cut, alternatives considered;
- ``in_min_cut``/``min_cut_usd``: whether (and with how much) the party is
  in a minimum cut: a cheapest set of designations that separates every
  supplier from every sanctioned buyer; a cut trade link is charged to its
  shipper. The ``min_cut_usd`` of all parties add up to the total flow;
- ``evidence``: its largest incoming and outgoing trade links, each with its
  largest record (``source:row``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

import networkx as nx

from redthread.model.analysis import Impact, NamedTradeLink, TradeLink
from redthread.store import Store
from redthread.trade.engine import TradeEngine
from redthread.trade.flows import base_sql, engine_for, party_names

#: CHPL tier -> weight of a dollar of such goods; ``None``: not on the list.
WEIGHTS: dict[int | None, float] = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25, None: 0.1}
#: How many candidates (largest throughput first) get the exact removal test.
EXACT_LIMIT = 50
_SOURCE, _SINK = "__source__", "__sink__"


def sanctioned_ids(store: Store) -> set[str]:
    """Canonical ids of every entity a Sanction in the store points to."""
    cmap = store.canonical_map()
    out: set[str] = set()
    for ent in store.entities(schemata=["Sanction"]):
        for target in ent["properties"].get("entity", []):
            out.add(cmap.get(target, target))
    return out


def owned_ids(store: Store, authority: str | None = None) -> set[str]:
    """Canonical ids of parties blocked by the 50 % rule (owned by sanctioned ones), not listed themselves.

    ``authority`` None: sanctions from any authority seed the rule (as
    :func:`sanctioned_ids` counts them); the US reading (50 % or more).
    """
    import numpy as np

    from redthread.analyze.graph import load_graph
    from redthread.analyze.ownership import blocked_mask

    graph = load_graph(store, evidence=False)
    if graph.n_nodes == 0:
        return set()
    mask = blocked_mask(graph, authority, "us") & ~graph.sanctioned(authority)
    return {graph.ids[i] for i in np.flatnonzero(mask).tolist()}


def _weight_sql(weights: dict[int | None, float]) -> str:
    whens = " ".join(
        f"WHEN substr(chpl_tier, 1, 1) = '{tier}' THEN {w!r}" for tier, w in weights.items() if tier is not None
    )
    return f"CASE {whens} ELSE {weights.get(None, 0.0)!r} END"


def trade_links(eng: TradeEngine, weights: dict[int | None, float]) -> list[TradeLink]:
    """Supplier -> buyer links: weighted and raw value, records, largest record."""
    base = base_sql(canon=eng.has_canon)
    return cast("list[TradeLink]", eng.fetch(
        f"SELECT supplier, buyer, sum(value_usd * {_weight_sql(weights)}) AS weighted_usd, "
        "sum(value_usd) AS value_usd, count(*) AS records, "
        "max(CASE WHEN k = 1 THEN source || ':' || CAST(\"row\" AS VARCHAR) END) AS largest_record "
        "FROM (SELECT *, row_number() OVER (PARTITION BY supplier, buyer "
        f"ORDER BY value_usd DESC, source, \"row\") AS k FROM ({base}) AS b0) AS b "
        "WHERE supplier <> buyer GROUP BY supplier, buyer"
    ))


def _flow_network(links: list[TradeLink], sinks: set[str]) -> nx.DiGraph:
    """Node-split network: v_in -> v_out bounded by what v can pass on."""
    graph = nx.DiGraph()
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for link in links:
        if link["supplier"] in sinks:
            continue  # what sanctioned parties ship on is not flow into them
        inflow[link["buyer"]] += link["weighted_usd"]
        outflow[link["supplier"]] += link["weighted_usd"]
        graph.add_edge(("out", link["supplier"]), ("in", link["buyer"]), capacity=link["weighted_usd"])
    for node in set(inflow) | set(outflow):
        if node in sinks:
            graph.add_edge(("in", node), _SINK)  # no capacity attribute: unbounded
            continue
        supply = max(0.0, outflow[node] - inflow[node])
        if supply > 0:
            graph.add_edge(_SOURCE, ("in", node), capacity=supply)
        graph.add_edge(("in", node), ("out", node), capacity=inflow[node] + supply)
    return graph


def _max_flow(graph: nx.DiGraph) -> tuple[float, dict[Any, dict[Any, float]]]:
    if _SOURCE not in graph or _SINK not in graph:
        return 0.0, {}
    value, flow = nx.maximum_flow(graph, _SOURCE, _SINK)
    return float(value), flow


def impact(
    store: Store,
    top: int | None = None,
    *,
    weights: dict[int | None, float] | None = None,
    store_or_engine: Store | TradeEngine | None = None,
    engine: str = "duckdb",
    owned: bool = True,
) -> list[Impact]:
    """Not-yet-sanctioned parties ranked by the flow a designation would cut.

    Rows: ``id``, ``name``, ``cut_usd``, ``cut_share`` (of all flow reaching
    sanctioned parties), ``through_usd``, ``direct_usd`` (weighted value it
    ships straight to sanctioned parties), ``value_usd`` (unweighted value it
    ships toward them), ``in_min_cut``, ``sanctioned_buyers`` (names it
    reaches), ``owned_buyers`` (those of them blocked only through ownership),
    ``min_cut_usd``, ``evidence`` (``in``/``out`` links with ``largest_record``).
    With ``owned`` (the default), parties blocked by the 50 % rule — owned
    50 % or more by sanctioned parties, directly or through other blocked
    ones — count as sanctioned end users too, and are not ranked.
    Values are CHPL-weighted USD unless named ``value_usd``. Empty when no
    party in the records is sanctioned.
    """
    w = weights or WEIGHTS
    with engine_for(store_or_engine or store, engine) as eng:
        links = trade_links(eng, w)
        if not links:  # no trade records: no need to walk a large list's sanctions and ownership
            return []
        sinks_all = sanctioned_ids(store)
        by_ownership = owned_ids(store) - sinks_all if owned and sinks_all else set()
        sinks_all |= by_ownership
        nodes = {link["supplier"] for link in links} | {link["buyer"] for link in links}
        sinks = sinks_all & nodes
        if not sinks:
            return []
        graph = _flow_network(links, sinks)
        total, flow = _max_flow(graph)
        if total <= 0:
            return []
        through = {
            n[1]: sum(flow.get(n, {}).values())
            for n in graph.nodes if isinstance(n, tuple) and n[0] == "out"
        }
        candidates = sorted((n for n, v in through.items() if v > 0 and n not in sinks), key=lambda n: -through[n])
        _, (reach, _) = nx.minimum_cut(graph, _SOURCE, _SINK)
        min_cut: dict[str, float] = defaultdict(float)
        for u in reach:
            for v, attrs in graph[u].items():
                if v not in reach:  # a cut arc: charge it to the party whose designation removes it
                    party = v[1] if u == _SOURCE else u[1]
                    min_cut[party] += float(attrs.get("capacity", 0.0))
        cuts: dict[str, float | None] = {}
        for rank, node in enumerate(candidates):
            cut = None
            if rank < EXACT_LIMIT:
                reduced = graph.copy()
                reduced.remove_nodes_from([("in", node), ("out", node)])
                cut = total - _max_flow(reduced)[0]
            cuts[node] = cut
        names = party_names(eng, list(cuts) + sorted(sinks) +
                            [x for link in links for x in (link["supplier"], link["buyer"])])
    # Parties upstream of each sanctioned sink (its "in" node), to name whom a party reaches.
    # A sanctioned party that only ships to other sanctioned ones has no "in" node.
    upstream = {
        s: {n[1] for n in nx.ancestors(graph, ("in", s)) if isinstance(n, tuple)}
        for s in sinks if ("in", s) in graph
    }
    reach_sink = set(sinks).union(*upstream.values())
    rows: list[Impact] = []
    for node, cut in cuts.items():
        outs = [link for link in links if link["supplier"] == node and link["buyer"] in reach_sink]
        ins = [link for link in links if link["buyer"] == node]
        rows.append({
            "id": node, "through_usd": through[node], "cut_usd": cut,
            "name": names.get(node, node),
            "cut_share": (cut or 0.0) / total,
            "direct_usd": sum(link["weighted_usd"] for link in outs if link["buyer"] in sinks),
            "value_usd": sum(link["value_usd"] for link in outs),
            "in_min_cut": min_cut.get(node, 0.0) > 0,
            "min_cut_usd": min_cut.get(node, 0.0),
            "sanctioned_buyers": sorted(names.get(s, s) for s, up in upstream.items() if node in up),
            "owned_buyers": sorted(names.get(s, s) for s, up in upstream.items() if node in up and s in by_ownership),
            "evidence": {
                "in": [_link(link, names) for link in sorted(ins, key=lambda x: -x["weighted_usd"])[:3]],
                "out": [_link(link, names) for link in sorted(outs, key=lambda x: -x["weighted_usd"])[:3]],
            },
        })
    rows.sort(key=lambda r: (-(r["cut_usd"] if r["cut_usd"] is not None else -1.0), -r["through_usd"], r["id"]))
    return rows[:top] if top else rows


def _link(link: TradeLink, names: dict[str, str]) -> NamedTradeLink:
    return {
        "supplier": link["supplier"],
        "supplier_name": names.get(link["supplier"], link["supplier"]),
        "buyer": link["buyer"],
        "buyer_name": names.get(link["buyer"], link["buyer"]),
        "weighted_usd": link["weighted_usd"],
        "value_usd": link["value_usd"],
        "records": link["records"],
        "largest_record": link["largest_record"],
    }
