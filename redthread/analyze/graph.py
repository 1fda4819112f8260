"""The evidence graph: every link between parties, in columnar form, with its evidence.

Links come from FtM itself, never from a home-made list: every edge schema
(Ownership owner → asset with its percentage, Control, Directorship,
Employment, Family, Associate, Representation agent → client, Payment
payer → beneficiary, UnknownLink, ...), EconomicActivity (sender → receiver)
and shared addresses (the same Address entity via ``addressEntity``, or the
same normalised address string). Ids are canonical (resolution applied via
``store.canonical_map()``), so merged entities are one node.

The graph is held as numpy arrays (``src``, ``dst``, ``kind``, ``pct``,
``weight``) so batch analytics (the 50 % rule fixed point, multi-source
exposure search) run vectorised or in an engine (see :mod:`redthread.engines`).
Evidence (dataset, source, location or span, quote, confidence, hedge) is kept
per link: eagerly for case-sized graphs, or fetched from the store on demand
(``load_graph(store, evidence=False)``) for very large ones.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from followthemoney import model
from normality import normalize

from redthread.model import Statement
from redthread.store import Store

#: Tie strength per link type, used for the "strongest path" (product of
#: weights along a path). Why these values: ownership and control move assets
#: and decisions directly; officers and agents act for the firm; relatives and
#: associates are close but deniable; trade and payments show a business tie;
#: a shared address or an unspecified link is the weakest hint.
LINK_WEIGHTS: dict[str, float] = {
    "Ownership": 1.0,
    "IndirectOwnership": 0.8,
    "Control": 1.0,
    "Succession": 0.9,
    "Directorship": 0.9,
    "Representation": 0.9,
    "Family": 0.8,
    "Employment": 0.7,
    "Membership": 0.6,
    "Associate": 0.6,
    "Payment": 0.6,
    "EconomicActivity": 0.5,
    "ContractAward": 0.5,
    "Debt": 0.5,
    "Occupancy": 0.5,
    "UnknownLink": 0.4,
    "ProjectParticipant": 0.3,
    "SharedAddress": 0.3,
}
#: A hedged statement ("reportedly", "allegedly") weakens the link by this factor.
HEDGE_FACTOR = 0.7
#: An ownership link is as strong as its stake: ``0.5 + 0.5 × pct / 100`` (a
#: 100 % owner 1.0, a 10 % owner 0.55); an unstated stake counts like 50 %.
UNKNOWN_STAKE = 50.0
#: Edge schemata that are not ties between parties (a document mentions someone).
_SKIP_EDGES = {"Documentation", "CourtCaseParty"}
#: Interval schemata that link two parties although FtM does not mark them as edges.
_EXTRA_EDGES: dict[str, tuple[str, str, bool]] = {"EconomicActivity": ("sender", "receiver", True)}
#: An Ownership whose role carries this level is an indirect interest (BODS, PSC, GLEIF loaders write
#: ``shareholding (indirect)``): a stake held through intermediaries, not a direct ownership edge.
#: It becomes an ``IndirectOwnership`` link. The 50 % rule and effective ownership follow the chain
#: of direct stakes when the graph has one (counting the stated stake too would count it twice), and
#: count the indirect stake itself only when it is all that was published
#: (:func:`redthread.analyze.ownership.indirect_only`).
INDIRECT_MARK = "(indirect)"
#: An Ownership whose role carries this mark is a joint holder's interest in a jointly held stake (BODS:
#: an interested party of an ``arrangement`` entity that holds the shares). A joint holder's interest
#: extends to the whole undivided holding (OFAC blocks property in which a blocked person has any
#: interest, a joint account in full), so an unstated share counts as 100 % of the arrangement; the
#: arrangement's own stake then counts once, however many co-holders are blocked.
JOINT_MARK = "(joint)"
#: Props of an edge entity kept as the link's label / dates.
_LABEL_PROPS = ("role", "relationship", "ownershipType", "goodsDescription", "purpose")
_DATE_PROPS = ("startDate", "endDate", "date")
_SANCTION_PROPS = ("entity", "authority", "program", "startDate", "listingDate", "date", "endDate")
#: Largest group of parties at one address linked pairwise (bigger groups get a star).
MAX_ADDRESS_CLIQUE = 25
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class LinkType:
    """One kind of link: the FtM schema it comes from and how to read it."""

    name: str
    source_prop: str
    target_prop: str
    directed: bool
    label: str
    weight: float


def _link_types() -> list[LinkType]:
    types: list[LinkType] = []
    for schema in sorted(model.schemata.values(), key=lambda s: s.name):
        if not schema.edge or schema.name in _SKIP_EDGES:
            continue
        if schema.source_prop is None or schema.target_prop is None:
            continue
        types.append(
            LinkType(
                schema.name, schema.source_prop.name, schema.target_prop.name,
                bool(schema.edge_directed), schema.edge_label or schema.label,
                LINK_WEIGHTS.get(schema.name, 0.4),
            )
        )
    for name, (src, tgt, directed) in _EXTRA_EDGES.items():
        types.append(LinkType(name, src, tgt, directed, "traded with", LINK_WEIGHTS[name]))
    types.append(LinkType("SharedAddress", "", "", False, "shares an address with", LINK_WEIGHTS["SharedAddress"]))
    types.append(LinkType("IndirectOwnership", "owner", "asset", True, "owns indirectly",
                          LINK_WEIGHTS["IndirectOwnership"]))
    return types


#: Every link type, in a fixed order: ``Graph.kind`` holds indexes into it.
LINK_TYPES: list[LinkType] = _link_types()
KIND: dict[str, int] = {t.name: i for i, t in enumerate(LINK_TYPES)}
#: Link kinds that are not an FtM schema of their own (derived while loading the graph).
_DERIVED = {"SharedAddress", "IndirectOwnership"}
_BY_SCHEMA: dict[str, LinkType] = {t.name: t for t in LINK_TYPES if t.name not in _DERIVED}


@dataclass
class Graph:
    """Parties and the links between them, columnar.

    ``ids[i]`` is the canonical id of node ``i``; link ``j`` goes from
    ``src[j]`` to ``dst[j]``, has type ``LINK_TYPES[kind[j]]``, ownership
    percentage ``pct[j]`` (NaN when not an ownership or not stated), tie
    strength ``weight[j]`` (type weight × confidence, less when hedged) and
    comes from the edge entity ``link_ids[j]``.
    """

    ids: list[str]
    index: dict[str, int]
    schema: list[str]
    caption: list[str]
    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    pct: np.ndarray
    weight: np.ndarray
    link_ids: list[str]
    link_labels: list[str]
    link_dates: list[dict[str, str]]
    sanctions: dict[int, list[dict[str, Any]]]
    evidence: dict[int, list[dict[str, Any]]] | None = None
    store: Store | None = field(default=None, repr=False)
    #: Derived arrays (deduplicated ownership, CSR indexes) computed once per graph.
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def n_links(self) -> int:
        return int(self.src.shape[0])

    def node(self, entity_id: str) -> int | None:
        """The node index of an entity (canonical or member id), or None."""
        return self.index.get(entity_id)

    def mask(self, *kinds: str) -> np.ndarray:
        """Boolean mask over links of the given types."""
        codes = [KIND[k] for k in kinds]
        return np.isin(self.kind, np.asarray(codes, dtype=self.kind.dtype))

    def link_evidence(self, j: int) -> list[dict[str, Any]]:
        """The evidence of link ``j``: the statements that make it, with provenance."""
        if self.evidence is not None:
            return self.evidence.get(j, [])
        if self.store is None:
            return []
        lid = self.link_ids[j]
        ids = lid[len("addr:"):].split("|") if lid.startswith("addr:") else [lid]
        out = []
        for s in self.store.statements(ids):
            if _is_link_statement(s):
                out.append(evidence_of(s))
        return out

    def link(self, j: int) -> dict[str, Any]:
        """Link ``j`` as a JSON-ready dict with its evidence."""
        lt = LINK_TYPES[int(self.kind[j])]
        s, t = int(self.src[j]), int(self.dst[j])
        pct = float(self.pct[j])
        out: dict[str, Any] = {
            "id": self.link_ids[j],
            "type": lt.name,
            "label": self.link_labels[j] or lt.label,
            "source": self.ids[s],
            "source_name": self.caption[s],
            "target": self.ids[t],
            "target_name": self.caption[t],
            "directed": lt.directed,
            "percentage": None if math.isnan(pct) else pct,
            "weight": round(float(self.weight[j]), 6),
            "evidence": self.link_evidence(j),
        }
        out.update(self.link_dates[j])
        return out

    def sanctioned(self, authority: str | None = "OFAC") -> np.ndarray:
        """Boolean mask of nodes with a Sanction from ``authority`` (None: any)."""
        from redthread.analyze.sanctions import authority_matches

        mask = np.zeros(self.n_nodes, dtype=bool)
        for i, items in self.sanctions.items():
            if any(authority_matches(authority, item.get("authority", [])) for item in items):
                mask[i] = True
        return mask


def evidence_of(s: Statement) -> dict[str, Any]:
    """The provenance of one statement, as shown next to a link."""
    return {
        "dataset": s.dataset,
        "source": s.source,
        "location": s.location,
        "span": [s.span_start, s.span_end] if s.span_start is not None else None,
        "quote": s.quote,
        "confidence": s.confidence,
        "hedge": s.hedge,
        "first_seen": s.first_seen,
        "statement_id": s.id,
    }


def _is_link_statement(s: Statement) -> bool:
    lt = _BY_SCHEMA.get(s.schema)
    if lt is not None:
        return s.prop in (lt.source_prop, lt.target_prop, "percentage")
    return s.prop in ("addressEntity", "address")


def _wanted_props() -> set[str]:
    props = {"id", "name", "addressEntity", "address", "full", "percentage"}
    props.update(_LABEL_PROPS, _DATE_PROPS, _SANCTION_PROPS)
    for lt in _BY_SCHEMA.values():
        props.update((lt.source_prop, lt.target_prop))
    return props


_COLS = (
    "entity_id", "schema", "prop", "value", "dataset", "source", "location",
    "span_start", "span_end", "quote", "confidence", "hedge", "first_seen", "id",
)


def _rows(store: Store, props: set[str], skip_schemata: Iterable[str] = ()) -> Iterator[tuple[Any, ...]]:
    """Active statements of the given props as plain tuples (``_COLS`` order).

    Read through the store's bulk read (:meth:`Store.rows`): no Statement
    objects, since loading a million-node graph must stay fast.
    """
    return store.rows(_COLS, props, skip_schemata=skip_schemata)


_NO_DATES: dict[str, str] = {}


def _ev(row: Sequence[Any]) -> dict[str, Any]:
    return {
        "dataset": row[4], "source": row[5], "location": row[6],
        "span": [row[7], row[8]] if row[7] is not None else None,
        "quote": row[9], "confidence": float(row[10]), "hedge": row[11],
        "first_seen": row[12], "statement_id": row[13],
    }


def parse_percentage(value: str) -> float | None:
    """A stated percentage as a number in 0..100, or None when unreadable."""
    text = value.strip().rstrip("%").replace(",", ".").strip()
    try:
        pct = float(text)
    except ValueError:
        return None
    if math.isnan(pct) or pct < 0:
        return None
    return min(pct, 100.0)


def normalize_address(text: str) -> str | None:
    """A comparable form of an address string, or None when too vague to share.

    An address without any number (a city, a country) is not specific enough
    for two parties to "share" it.
    """
    if not _DIGIT.search(text):
        return None
    norm = normalize(text, ascii=True)
    return norm or None


class _Builder:
    def __init__(self, canonical: dict[str, str], evidence: bool) -> None:
        self.canonical = canonical
        self.keep_evidence = evidence
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.schema: list[str] = []
        self.caption: list[str] = []

    def node(self, raw_id: str, schema: str = "") -> int:
        cid = self.canonical.get(raw_id, raw_id)
        i = self.index.get(cid)
        if i is None:
            i = len(self.ids)
            self.index[cid] = i
            self.ids.append(cid)
            self.schema.append(schema)
            self.caption.append("")
        elif schema and not self.schema[i]:
            self.schema[i] = schema
        return i


def load_graph(store: Store, *, evidence: bool = True, progress: Any = None) -> Graph:
    """Read every link (and every party at its ends) from ``store`` into a :class:`Graph`.

    ``evidence=False`` keeps only link ids and fetches evidence from the store
    when a link is shown (use it for very large graphs). ``progress`` is an
    optional ``(label, done, total)`` callback.
    """
    canonical = store.canonical_map()
    b = _Builder(canonical, evidence)
    # edge entity id -> collected fields
    ends: dict[str, list[Any]] = {}  # [schema, sources[], targets[], pct, conf, hedged, labels, dates, ev]
    sanctions: dict[str, dict[str, Any]] = {}
    addr_entity: dict[str, set[str]] = defaultdict(set)  # Address id -> party ids
    addr_text: dict[str, set[str]] = defaultdict(set)  # normalised address -> party ids
    addr_ev: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[str, str] = {}
    schemata: dict[str, str] = {}
    address_names: dict[str, str] = {}
    done = 0
    edge_props = {"percentage", *_LABEL_PROPS, *_DATE_PROPS}
    for lt in _BY_SCHEMA.values():
        edge_props.update((lt.source_prop, lt.target_prop))
    from redthread.analyze import columnar

    cols = None
    if not evidence and columnar.available(store):
        cols = columnar.load_columns(
            store, {k: (lt.source_prop, lt.target_prop) for k, lt in _BY_SCHEMA.items()},
            _LABEL_PROPS, _DATE_PROPS, {"addressEntity", "address", "full", *_SANCTION_PROPS},
        )
        b.ids, b.schema, b.caption = cols.ids, cols.schema, cols.caption
        b.index = {cid: i for i, cid in enumerate(cols.ids)}
    if cols is None:
        for row in _rows(store, edge_props):
            eid, schema, prop, value = row[0], row[1], row[2], row[3]
            row_type = _BY_SCHEMA.get(schema)
            if row_type is None:
                continue
            rec = ends.get(eid)
            if rec is None:
                rec = ends[eid] = [schema, [], [], None, 1.0, False, [], {}, []]
            if prop == row_type.source_prop:
                rec[1].append(value)
            elif prop == row_type.target_prop:
                rec[2].append(value)
            elif prop == "percentage":
                stake = parse_percentage(value)
                if stake is not None:
                    rec[3] = stake if rec[3] is None else max(rec[3], stake)
                continue
            elif prop in _LABEL_PROPS:
                if value not in rec[6]:
                    rec[6].append(value)
                    rec[6].sort()
                continue
            elif prop in _DATE_PROPS:
                if prop not in rec[7] or value < rec[7][prop]:
                    rec[7][prop] = value
                continue
            else:
                continue
            rec[4] = min(rec[4], float(row[10]))
            rec[5] = rec[5] or bool(row[11])
            if evidence:
                rec[8].append(_ev(row))
    other_props = {"id", "name", "addressEntity", "address", "full", *_SANCTION_PROPS}
    other_rows: Iterable[tuple[Any, ...]] = (
        _rows(store, other_props, set(_BY_SCHEMA)) if cols is None
        else ((*r[:4], r[4], r[5], "", None, None, None, 1.0, None, None, None) for r in cols.extra_rows)
    )
    for row in other_rows:
        done += 1
        if progress is not None and done % 200000 == 0:
            progress("statements", done, None)
        eid, schema, prop, value = row[0], row[1], row[2], row[3]
        if schema == "Sanction":
            if prop in _SANCTION_PROPS:
                rec_s = sanctions.setdefault(eid, {"id": eid, "source": row[5], "dataset": row[4]})
                rec_s.setdefault(prop, []).append(value)
            continue
        if schema == "Address":
            if prop in ("full", "name") and eid not in address_names:
                address_names[eid] = value
            continue
        if prop == "id":
            schemata.setdefault(eid, schema)
        elif prop == "name":
            if eid not in names or (len(value), value) < (len(names[eid]), names[eid]):
                names[eid] = value
            schemata.setdefault(eid, schema)
        elif prop == "addressEntity":
            addr_entity[value].add(eid)
            addr_ev[(eid, "e:" + value)] = _ev(row)
        elif prop == "address":
            norm = normalize_address(value)
            if norm is not None:
                addr_text[norm].add(eid)
                addr_ev[(eid, "t:" + norm)] = _ev(row)

    src: list[int] = []
    dst: list[int] = []
    kind: list[int] = []
    pct: list[float] = []
    weight: list[float] = []
    link_ids: list[str] = []
    labels: list[str] = []
    dates: list[dict[str, str]] = []
    ev: dict[int, list[dict[str, Any]]] = {}
    nan = float("nan")
    if cols is None:
        records: Iterable[Any] = ((eid, *rec) for eid, rec in ends.items())
        no_ev: list[dict[str, Any]] = []
        for rec in records:
            eid, schema, sources, targets, p, conf, hedged, lab, dts = rec[:9]
            evs = rec[9] if len(rec) > 9 else no_ev
            lt = _BY_SCHEMA[schema]
            w = lt.weight * conf * (HEDGE_FACTOR if hedged else 1.0)
            if schema == "Ownership":
                w *= 0.5 + 0.5 * (UNKNOWN_STAKE if p is None else p) / 100.0
            k = KIND[schema]
            for s_id in sources:
                for t_id in targets:
                    si, ti = b.node(s_id), b.node(t_id)
                    if si == ti:
                        continue
                    if evidence:
                        ev[len(src)] = evs
                    src.append(si)
                    dst.append(ti)
                    kind.append(k)
                    pct.append(p if p is not None and schema == "Ownership" else nan)
                    weight.append(w)
                    link_ids.append(eid)
                    labels.append("; ".join(lab))
                    dates.append(dts or _NO_DATES)
        arrays: list[np.ndarray] = [np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64),
                  np.asarray(kind, dtype=np.int16), np.asarray(pct, dtype=np.float64),
                  np.asarray(weight, dtype=np.float64)]
    else:
        arrays = _column_arrays(cols)
        link_ids, labels, dates = cols.link_ids, cols.labels, cols.dates
    n_edges = int(arrays[0].shape[0])
    _mark_indirect(arrays[2], labels)
    _mark_joint(arrays[2], arrays[3], labels)
    src, dst, kind, pct, weight = [], [], [], [], []
    k_addr = KIND["SharedAddress"]

    def add_address_links(key: str, label: str, parties: Iterable[str]) -> None:
        members = sorted({canonical.get(p, p) for p in parties})
        if len(members) < 2:
            return
        raw = {canonical.get(p, p): p for p in parties}
        pairs: list[tuple[str, str]]
        if len(members) <= MAX_ADDRESS_CLIQUE:
            pairs = [(a, c) for i, a in enumerate(members) for c in members[i + 1:]]
        else:
            pairs = [(members[0], c) for c in members[1:]]
        for a, c in pairs:
            if evidence:
                ev[n_edges + len(src)] = [addr_ev[(raw[a], key)], addr_ev[(raw[c], key)]]
            src.append(b.node(a))
            dst.append(b.node(c))
            kind.append(k_addr)
            pct.append(nan)
            weight.append(LINK_WEIGHTS["SharedAddress"])
            link_ids.append(f"addr:{raw[a]}|{raw[c]}")
            labels.append(label)
            dates.append(_NO_DATES)

    for addr_id, parties in sorted(addr_entity.items()):
        add_address_links("e:" + addr_id, address_names.get(addr_id, addr_id), parties)
    for norm, parties in sorted(addr_text.items()):
        add_address_links("t:" + norm, norm, parties)

    sanction_map: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sid, rec_s in sanctions.items():
        for target in rec_s.get("entity", []):
            i = b.node(target)
            sanction_map[i].append(
                {
                    "id": sid,
                    "authority": rec_s.get("authority", []),
                    "program": rec_s.get("program", []),
                    "start_date": min(rec_s.get("startDate", []) + rec_s.get("listingDate", [])
                                      + rec_s.get("date", []), default=None),
                    "source": rec_s["source"],
                    "dataset": rec_s["dataset"],
                }
            )
    # Schema and caption of every node: the canonical entity's own, else a member's.
    best_schema: dict[int, tuple[bool, str]] = {}
    for raw_id, sch in schemata.items():
        cid = canonical.get(raw_id, raw_id)
        at = b.index.get(cid)
        if at is not None and (at not in best_schema or (raw_id != cid, sch) < best_schema[at]):
            best_schema[at] = (raw_id != cid, sch)
    best_name: dict[int, tuple[bool, int, str]] = {}
    for raw_id, name in names.items():
        cid = canonical.get(raw_id, raw_id)
        at = b.index.get(cid)
        key = (raw_id != cid, len(name), name)
        if at is not None and (at not in best_name or key < best_name[at]):
            best_name[at] = key
    for i, (_, sch) in best_schema.items():
        if not b.schema[i]:
            b.schema[i] = sch
    for i, (_, _, name) in best_name.items():
        if not b.caption[i]:
            b.caption[i] = name
    if cols is not None:
        for i, cid in enumerate(b.ids):
            if not b.caption[i] and cid in cols.extra_names:
                b.caption[i] = cols.extra_names[cid]
    for i, cid in enumerate(b.ids):
        if not b.caption[i]:
            b.caption[i] = cid
        if not b.schema[i]:
            b.schema[i] = "LegalEntity"
    return Graph(
        ids=b.ids,
        index=_member_index(b.index, canonical),
        schema=b.schema,
        caption=b.caption,
        src=np.concatenate([arrays[0], np.asarray(src, dtype=np.int64)]),
        dst=np.concatenate([arrays[1], np.asarray(dst, dtype=np.int64)]),
        kind=np.concatenate([arrays[2], np.asarray(kind, dtype=np.int16)]),
        pct=np.concatenate([arrays[3], np.asarray(pct, dtype=np.float64)]),
        weight=np.concatenate([arrays[4], np.asarray(weight, dtype=np.float64)]),
        link_ids=link_ids,
        link_labels=labels,
        link_dates=dates,
        sanctions=dict(sanction_map),
        evidence=ev if evidence else None,
        store=None if evidence else store,
    )


def _mark_indirect(kinds: np.ndarray, labels: Sequence[str]) -> None:
    """Ownership links labelled as indirect interests become ``IndirectOwnership`` (in place)."""
    k_own, k_ind = KIND["Ownership"], KIND["IndirectOwnership"]
    for j in np.flatnonzero(kinds == k_own).tolist():
        if INDIRECT_MARK in labels[j]:
            kinds[j] = k_ind


def _mark_joint(kinds: np.ndarray, pct: np.ndarray, labels: Sequence[str]) -> None:
    """A joint holder's Ownership without a stated share holds the whole arrangement (in place)."""
    for j in np.flatnonzero((kinds == KIND["Ownership"]) & np.isnan(pct)).tolist():
        if JOINT_MARK in labels[j]:
            pct[j] = 100.0


def _column_arrays(cols: Any) -> list[np.ndarray]:
    """src, dst, kind, pct, weight from columns read by :mod:`redthread.analyze.columnar`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = [t.name for t in LINK_TYPES]
    kind = pc.index_in(cols.kinds, value_set=pa.array(names)).to_numpy(zero_copy_only=False).astype(np.int16)
    type_weight = np.asarray([t.weight for t in LINK_TYPES])[kind]
    own = kind == KIND["Ownership"]
    pct = np.where(own, cols.pct, np.nan)
    stake = np.where(np.isnan(cols.pct), UNKNOWN_STAKE, cols.pct)
    weight = type_weight * cols.conf * np.where(cols.hedged, HEDGE_FACTOR, 1.0)
    weight = np.where(own, weight * (0.5 + 0.5 * stake / 100.0), weight)
    return [cols.src, cols.dst, kind, pct, weight]


def _member_index(index: dict[str, int], canonical: dict[str, str]) -> dict[str, int]:
    """Node lookup by canonical id, and by every member id merged into it."""
    if not canonical:
        return index
    out = dict(index)
    for member, cid in canonical.items():
        if cid in index:
            out.setdefault(member, index[cid])
    return out


def neighbourhood(graph: Graph, entity_id: str, depth: int = 1, limit: int = 500) -> dict[str, Any]:
    """Nodes and links within ``depth`` hops of an entity, for a graph view.

    Nodes carry id, caption, schema and ``sanctioned`` (any authority) and
    ``blocked`` (US 50 % rule, OFAC) flags; links carry source, target, type,
    label and evidence. At most ``limit`` nodes are returned (nearest first).
    """
    from redthread.analyze.ownership import blocked_mask

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
    nodes = [
        {"id": graph.ids[i], "caption": graph.caption[i], "schema": graph.schema[i],
         "sanctioned": bool(sanctioned[i]), "blocked": bool(blocked[i] and not sanctioned[i])}
        for i in order
    ]
    inside = np.zeros(graph.n_nodes, dtype=bool)
    inside[list(seen)] = True
    edges = [graph.link(j) for j in np.flatnonzero(inside[graph.src] & inside[graph.dst]).tolist()]
    return {"nodes": nodes, "edges": edges, "truncated": truncated}


def adjacency(graph: Graph) -> list[list[tuple[int, int]]]:
    """Undirected adjacency lists: node -> [(neighbour, link index)]."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(graph.n_nodes)]
    for j, (s, t) in enumerate(zip(graph.src.tolist(), graph.dst.tolist(), strict=True)):
        adj[s].append((t, j))
        adj[t].append((s, j))
    return adj
