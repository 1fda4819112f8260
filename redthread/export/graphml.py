"""GraphML: the party network for yEd, Gephi, Cytoscape desktop or networkx."""

from __future__ import annotations

from typing import TextIO

import networkx as nx

from redthread.export._graph import network_graph
from redthread.store import Store


def export_graphml(store: Store, out: TextIO, dataset: str | None = None) -> int:
    """Write parties as nodes and links as edges; returns the node count."""
    graph = network_graph(store, dataset)
    for line in nx.generate_graphml(graph, named_key_ids=True):
        out.write(line)
        out.write("\n")
    return int(graph.number_of_nodes())
