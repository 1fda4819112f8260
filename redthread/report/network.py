"""The evidence graph as a network of parties, for figures, exports and the UI.

Nodes are things (people, companies, addresses, ...); FtM edge schemata
(Ownership, Control, Directorship, EconomicActivity, Payment, ...) become
edges from their source to their target property, and any other entity-typed
property (``Sanction.entity`` aside) becomes an edge whose type and label
are the property's label (e.g. ``Address``). A Sanction is not drawn as a node: it marks its entity
``sanctioned`` with the authority and programme.

:func:`build_network` reads the whole store once; :func:`neighbourhood` and
:func:`shortest_path` answer from that network.
"""

from __future__ import annotations

import importlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model.entity import Entity
from redthread.model.records import OPEN
from redthread.store import Store

#: Schemata that annotate their entity instead of being drawn as a node.
ANNOTATIONS = {"Sanction"}
#: Facts read from prose (events, unit prices: redthread.extract.facts) belong to the
#: timeline and claims; drawn as nodes they would crowd out the parties.
NOT_DRAWN = {"Event", "Asset"}
#: Non-edge FtM schemata drawn as an edge between two of their properties.
PAIRS = {"EconomicActivity": ("sender", "receiver")}


@with_config(OPEN)
class NodeDesignation(TypedDict):
    """A designation naming a node (from a Sanction entity)."""

    id: str
    authority: str
    program: str
    startDate: str
    datasets: list[str]


@with_config(OPEN)
class NodeBlocked(TypedDict):
    """Why a node is blocked under the 50 % rule (the ownership analysis' share and chain)."""

    blocked_share: float | None
    chain: Any


@dataclass
class Node:
    """A party of the network. One record: the API declares it as it is, and its JSON form is its
    fields in order (FastAPI/pydantic and orjson serialise dataclasses), not a restated dict."""

    id: str
    schema: str
    caption: str
    datasets: list[str]
    countries: list[str] = field(default_factory=list)
    sanctioned: list[NodeDesignation] = field(default_factory=list)
    blocked: NodeBlocked | None = None


@dataclass
class Edge:
    """A link of the network between two nodes (JSON: its fields in order, like :class:`Node`)."""

    id: str
    source: str
    target: str
    schema: str
    label: str
    datasets: list[str]
    properties: dict[str, list[str]] = field(default_factory=dict)


@with_config(OPEN)
class NetworkDict(TypedDict):
    """A network as the API sends it: its nodes as a list (the :class:`Network` keys them by id)."""

    nodes: list[Node]
    edges: list[Edge]


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def adjacency(self) -> dict[str, list[Edge]]:
        adj: dict[str, list[Edge]] = {n: [] for n in self.nodes}
        for e in self.edges:
            adj.setdefault(e.source, []).append(e)
            adj.setdefault(e.target, []).append(e)
        return adj

    def subgraph(self, ids: set[str]) -> Network:
        return Network(
            nodes={i: n for i, n in self.nodes.items() if i in ids},
            edges=[e for e in self.edges if e.source in ids and e.target in ids],
        )

    def to_dict(self) -> NetworkDict:
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges)}


#: Edge type of aggregated customs records (not an FtM schema: a summary of many records).
CUSTOMS = "Customs records"
#: Label of a shipment or payment told in a document: a claim, never a customs declaration.
CLAIMED = "shipment claimed"


def is_claim(schema_name: str, props: dict[str, list[str]]) -> bool:
    """A trade or payment entity read from prose: it names its ``proof`` document.

    FtM labels EconomicActivity "Customs declaration"; an article saying a
    firm shipped motors is a claim to check against the records, and must
    not read as one.
    """
    return schema_name in PAIRS and bool(props.get("proof"))


def _edge_label(schema_name: str, props: dict[str, list[str]]) -> str:
    schema = model.get(schema_name)
    label = schema.label if schema is not None else schema_name
    if is_claim(schema_name, props):
        goods = (props.get("goodsDescription") or [""])[0]
        return f"{CLAIMED}: {goods}" if goods else CLAIMED
    pct = props.get("percentage")
    if pct:
        return f"{label} {pct[0].rstrip('%')}%"
    return str(label)


def build_network(store: Store, dataset: str | None = None, *, customs: bool = False) -> Network:
    """The whole store (or one dataset) as a network; resolution applied.

    With ``customs``, the customs records join as one edge per supplier ->
    buyer pair (:data:`CUSTOMS`, value and records in its properties).
    """
    net = Network()
    cmap = store.canonical_map()
    pending: list[Entity] = []
    for ent in store.entities(dataset=dataset):
        schema = model.get(ent.schema)
        if schema is None or ent.schema in NOT_DRAWN:
            continue
        if schema.edge or ent.schema in ANNOTATIONS or ent.schema in PAIRS:
            pending.append(ent)
            continue
        countries = sorted(set(ent.values_of("country") + ent.values_of("jurisdiction")
                               + ent.values_of("nationality")))
        net.nodes[ent.id] = Node(ent.id, ent.schema, ent.caption, ent.datasets, countries)
        pending.append(ent)  # its own entity-typed properties become edges too
    for ent in pending:
        _add_links(net, ent, cmap)
    if customs:
        add_customs(net, store)
    _mark_blocked(net, store)
    return net


def add_customs(net: Network, store: Store) -> None:
    """Customs records as edges: one per supplier -> buyer pair, labelled with value and count."""
    from redthread.trade.links import customs_links

    for link in customs_links(store):
        for pid in (link["supplier"], link["buyer"]):
            if pid not in net.nodes:  # a trade party the store does not hold as an entity
                name = link["supplier_name"] if pid == link["supplier"] else link["buyer_name"]
                net.nodes[pid] = Node(pid, "LegalEntity", name, [link["dataset"]])
        props = {k: [str(link[k])] for k in ("records", "value_usd", "chpl_usd", "first_date", "last_date",
                                              "largest_record", "largest_goods") if link.get(k) is not None}
        label = f"customs: {link['records']} record(s), {_money(link['value_usd'])}"
        net.edges.append(Edge(f"customs:{link['supplier']}:{link['buyer']}", link["supplier"], link["buyer"],
                              CUSTOMS, label, [link["dataset"]], props))


def _money(usd: float) -> str:
    """$1.2 M, $45 k: short enough for an edge label."""
    for size, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(usd) >= size:
            return f"${usd / size:.1f}{unit}"
    return f"${usd:,.0f}"


_CACHE: dict[str, tuple[tuple[object, ...], Network]] = {}


def store_version(store: Store) -> tuple[object, ...]:
    """Changes whenever a load or a judgement could have changed the network."""
    loads = store.loads()
    last = loads[-1]["id"] if loads else None
    return (last, len(loads), hash(frozenset(store.canonical_map().items())))


def cached_network(store: Store, *, customs: bool = False) -> Network:
    """:func:`build_network` for the whole store, rebuilt only after a load or judgement.

    Servers call this per request; readers must treat the result as read-only.
    The UI's graph asks for ``customs`` links; dossiers draw the sourced facts only.
    """
    version = store_version(store)
    key = f"{store.url}#customs" if customs else store.url
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    net = build_network(store, customs=customs)
    _CACHE[key] = (version, net)
    return net


def _add_links(net: Network, ent: Entity, cmap: dict[str, str]) -> None:  # noqa: C901 — one branch per kind of FtM link (annotation, edge schema, entity-valued property) the network view draws
    schema = model.get(ent.schema)
    if schema is None:
        return
    props = ent.properties
    if ent.schema in ANNOTATIONS:
        for target in props.get("entity", []):
            node = net.nodes.get(cmap.get(target, target))
            if node is not None:
                node.sanctioned.append({
                    "id": ent.id, "authority": (props.get("authority") or [""])[0],
                    "program": (props.get("program") or [""])[0],
                    "startDate": (props.get("startDate") or [""])[0], "datasets": ent.datasets,
                })
        return
    pair: tuple[str, str] | None = PAIRS.get(ent.schema)
    if pair is None and schema.edge and schema.source_prop is not None and schema.target_prop is not None:
        pair = (schema.source_prop.name, schema.target_prop.name)
    if pair is not None:
        plain = {}
        for k, v in props.items():
            prop = schema.get(k)
            if prop is not None and prop.type.name != "entity":
                plain[k] = v
        for src in props.get(pair[0], []):
            for tgt in props.get(pair[1], []):
                s, t = cmap.get(src, src), cmap.get(tgt, tgt)
                if s in net.nodes and t in net.nodes:
                    net.edges.append(Edge(ent.id, s, t, ent.schema, _edge_label(ent.schema, props),
                                          ent.datasets, plain))
        return
    for prop_name, values in props.items():
        prop = schema.get(prop_name)
        if prop is None or prop.type.name != "entity":
            continue
        for value in values:
            t = cmap.get(value, value)
            if t in net.nodes and ent.id in net.nodes and t != ent.id:
                # A property link's type is the property (e.g. "Address"), not the holder's schema.
                net.edges.append(Edge(f"{ent.id}:{prop_name}:{t}", ent.id, t, str(prop.label),
                                      str(prop.label), ent.datasets))


def _mark_blocked(net: Network, store: Store) -> None:
    """Mark parties blocked by operation of law, when the ownership analysis is installed."""
    try:
        ownership = importlib.import_module("redthread.analyze.ownership")
    except ImportError:
        return
    fn = getattr(ownership, "blocked", None)
    if fn is None:
        return
    try:
        rows = fn(store)
    except Exception:  # an analysis failure must not hide the graph
        return
    for row in rows or []:
        node = net.nodes.get(str(row.get("id")))
        if node is not None:
            node.blocked = {"blocked_share": row.get("blocked_share"), "chain": row.get("chain")}


def neighbourhood(net: Network, entity_id: str, depth: int = 1, limit: int = 400) -> Network:
    """The parties within ``depth`` links of ``entity_id`` (at most ``limit`` nodes)."""
    if entity_id not in net.nodes:
        return Network()
    adj = net.adjacency()
    seen = {entity_id}
    frontier = deque([(entity_id, 0)])
    while frontier and len(seen) < limit:
        node, dist = frontier.popleft()
        if dist >= depth:
            continue
        for e in adj.get(node, []):
            other = e.target if e.source == node else e.source
            if other not in seen:
                seen.add(other)
                frontier.append((other, dist + 1))
                if len(seen) >= limit:
                    break
    return net.subgraph(seen)


def shortest_path(net: Network, a: str, b: str, max_hops: int = 8) -> list[Edge] | None:
    """The edges of a shortest path between two parties (links in either direction)."""
    if a not in net.nodes or b not in net.nodes:
        return None
    if a == b:
        return []
    adj = net.adjacency()
    prev: dict[str, tuple[str, Edge]] = {}
    frontier = deque([(a, 0)])
    seen = {a}
    while frontier:
        node, dist = frontier.popleft()
        if dist >= max_hops:
            continue
        for e in adj.get(node, []):
            other = e.target if e.source == node else e.source
            if other in seen:
                continue
            seen.add(other)
            prev[other] = (node, e)
            if other == b:
                path: list[Edge] = []
                cur = b
                while cur != a:
                    cur, edge = prev[cur]
                    path.append(edge)
                return list(reversed(path))
            frontier.append((other, dist + 1))
    return None
