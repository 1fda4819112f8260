"""The party network as a networkx graph, shared by the GraphML, GEXF and Neo4j exporters.

Attributes are flat scalars (lists joined with ``;``) because GraphML and
GEXF readers (Gephi, yEd, Cytoscape desktop) expect that.
"""

from __future__ import annotations

import networkx as nx

from redthread.report.network import Network, build_network
from redthread.store import Store


def _join(values: list[str] | None) -> str:
    return ";".join(values or [])


def to_networkx(net: Network) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for n in net.nodes.values():
        graph.add_node(
            n.id, label=n.caption, schema=n.schema, datasets=_join(n.datasets), countries=_join(n.countries),
            sanctioned=bool(n.sanctioned),
            sanctions=_join([f"{s['authority']} {s['program']}".strip() for s in n.sanctioned]),
            blocked=n.blocked is not None,
        )
    for e in net.edges:
        pct = (e.properties.get("percentage") or [""])[0].rstrip("%")
        attrs: dict[str, object] = {"label": e.label, "schema": e.schema, "entity_id": e.id,
                                    "datasets": _join(e.datasets)}
        try:
            attrs["percentage"] = float(pct) if pct else -1.0
        except ValueError:
            attrs["percentage"] = -1.0
        for key in ("startDate", "endDate", "goodsDescription", "role", "amount", "customsAmount"):
            if e.properties.get(key):
                attrs[key] = _join(e.properties[key])
        graph.add_edge(e.source, e.target, key=e.id, **attrs)
    return graph


def network_graph(store: Store, dataset: str | None = None) -> nx.MultiDiGraph:
    """The store (or one dataset) as a directed multigraph of parties."""
    return to_networkx(build_network(store, dataset))
