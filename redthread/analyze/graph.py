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
from typing import Any, NamedTuple, cast

import numpy as np
from followthemoney import model
from normality import normalize

from redthread.model import Statement
from redthread.model.analysis import SanctionRef
from redthread.model.evidence import Evidence
from redthread.model.records import EvidenceDict, Link
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
    sanctions: dict[int, list[SanctionRef]]
    #: Per link, the records it rests on (typed; :meth:`link_evidence` gives their JSON shape).
    evidence: dict[int, list[Evidence]] | None = None
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

    def link_evidence(self, j: int) -> list[EvidenceDict]:
        """The evidence of link ``j``: the statements that make it, with provenance."""
        if self.evidence is not None:
            return [e.to_dict() for e in self.evidence.get(j, ())]
        if self.store is None:
            return []
        lid = self.link_ids[j]
        ids = lid[len("addr:"):].split("|") if lid.startswith("addr:") else [lid]
        out = []
        for s in self.store.statements(ids):
            if _is_link_statement(s):
                out.append(evidence_of(s))
        return out

    def link(self, j: int) -> Link:
        """Link ``j`` as a JSON-ready dict with its evidence."""
        lt = LINK_TYPES[int(self.kind[j])]
        s, t = int(self.src[j]), int(self.dst[j])
        pct = float(self.pct[j])
        out: Link = {
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
        out.update(cast(Link, self.link_dates[j]))  # only its startDate / endDate / date
        return out

    def sanctioned(self, authority: str | None = "OFAC") -> np.ndarray:
        """Boolean mask of nodes with a Sanction from ``authority`` (None: any)."""
        from redthread.analyze.sanctions import authority_matches

        mask = np.zeros(self.n_nodes, dtype=bool)
        for i, items in self.sanctions.items():
            if any(authority_matches(authority, item.get("authority", [])) for item in items):
                mask[i] = True
        return mask


def evidence_of(s: Statement) -> EvidenceDict:
    """The provenance of one statement, as shown next to a link."""
    return Evidence.of(s).to_dict()


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


class StatementRow(NamedTuple):
    """One statement of the bulk read, by name (the columns of :meth:`Store.rows`, in this order)."""

    entity_id: str
    schema: str
    prop: str
    value: str
    dataset: str
    source: str
    location: str
    span_start: int | None
    span_end: int | None
    quote: str | None
    confidence: float
    hedge: str | None
    first_seen: str | None
    id: str

    def evidence(self) -> Evidence:
        """The provenance of this statement, as shown next to a link."""
        return Evidence.of_row(self.dataset, self.source, self.location, self.span_start, self.span_end,
                               self.quote, self.confidence, self.hedge, self.first_seen, self.id)


_COLS = StatementRow._fields


def _rows(store: Store, props: set[str], skip_schemata: Iterable[str] = ()) -> Iterator[StatementRow]:
    """Active statements of the given props, as :class:`StatementRow`.

    Read through the store's bulk read (:meth:`Store.rows`): no Statement
    objects, since loading a million-node graph must stay fast.
    """
    return map(StatementRow._make, store.rows(_COLS, props, skip_schemata=skip_schemata))


_NO_DATES: dict[str, str] = {}


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


@dataclass(slots=True)
class _LinkRecord:
    """What the statements of one link entity (Ownership, Directorship, ...) say, gathered row by row."""

    schema: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    pct: float | None = None
    confidence: float = 1.0
    hedged: bool = False
    labels: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class _SanctionValues:
    """One Sanction entity's values read so far (authority, programme, dates, targets) and where from."""

    source: str
    dataset: str
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Parties:
    """What the statements of parties, addresses and sanctions say (everything but the links)."""

    sanctions: dict[str, _SanctionValues] = field(default_factory=dict)
    addr_entity: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # Address id -> party ids
    addr_text: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # normalised address -> ids
    addr_ev: dict[tuple[str, str], Evidence] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    schemata: dict[str, str] = field(default_factory=dict)
    address_names: dict[str, str] = field(default_factory=dict)


@dataclass
class _Links:
    """The links read so far: the five arrays (src, dst, kind, pct, weight) and each link's id, label, dates."""

    arrays: list[np.ndarray]
    link_ids: list[str]
    labels: list[str]
    dates: list[dict[str, str]]


_EDGE_PROPS = frozenset({"percentage", *_LABEL_PROPS, *_DATE_PROPS,
                         *(p for lt in _BY_SCHEMA.values() for p in (lt.source_prop, lt.target_prop))})
_PARTY_PROPS = frozenset({"id", "name", "addressEntity", "address", "full", *_SANCTION_PROPS})


def _read_link_rows(rows: Iterable[StatementRow], evidence: bool) -> dict[str, _LinkRecord]:
    """Row strategy, links: gather each link entity's ends, stake, labels, dates and evidence."""
    ends: dict[str, _LinkRecord] = {}
    for row in rows:
        row_type = _BY_SCHEMA.get(row.schema)
        if row_type is None:
            continue
        prop, value = row.prop, row.value
        rec = ends.get(row.entity_id)
        if rec is None:
            rec = ends[row.entity_id] = _LinkRecord(row.schema)
        if prop == row_type.source_prop:
            rec.sources.append(value)
        elif prop == row_type.target_prop:
            rec.targets.append(value)
        elif prop == "percentage":
            stake = parse_percentage(value)
            if stake is not None:
                rec.pct = stake if rec.pct is None else max(rec.pct, stake)
            if evidence:  # who states the stake is evidence of the link, as the lazy read finds it
                rec.evidence.append(row.evidence())
            continue
        elif prop in _LABEL_PROPS:
            if value not in rec.labels:
                rec.labels.append(value)
                rec.labels.sort()
            continue
        elif prop in _DATE_PROPS:
            if prop not in rec.dates or value < rec.dates[prop]:
                rec.dates[prop] = value
            continue
        else:
            continue
        rec.confidence = min(rec.confidence, float(row.confidence))
        rec.hedged = rec.hedged or bool(row.hedge)
        if evidence:
            rec.evidence.append(row.evidence())
    return ends


def _link_arrays(ends: dict[str, _LinkRecord], b: _Builder, evidence: bool,
                 ev: dict[int, list[Evidence]]) -> _Links:
    """Row strategy, links: one link per (source, target) of each link entity, weighted by its type,
    confidence, hedging and (ownership) stake; evidence by link index into ``ev``."""
    src: list[int] = []
    dst: list[int] = []
    kind: list[int] = []
    pct: list[float] = []
    weight: list[float] = []
    link_ids: list[str] = []
    labels: list[str] = []
    dates: list[dict[str, str]] = []
    nan = float("nan")
    for eid, rec in ends.items():
        schema, p = rec.schema, rec.pct
        lt = _BY_SCHEMA[schema]
        w = lt.weight * rec.confidence * (HEDGE_FACTOR if rec.hedged else 1.0)
        if schema == "Ownership":
            w *= 0.5 + 0.5 * (UNKNOWN_STAKE if p is None else p) / 100.0
        k = KIND[schema]
        for s_id in rec.sources:
            for t_id in rec.targets:
                si, ti = b.node(s_id), b.node(t_id)
                if si == ti:
                    continue
                if evidence:
                    ev[len(src)] = rec.evidence
                src.append(si)
                dst.append(ti)
                kind.append(k)
                pct.append(p if p is not None and schema == "Ownership" else nan)
                weight.append(w)
                link_ids.append(eid)
                labels.append("; ".join(rec.labels))
                dates.append(rec.dates or _NO_DATES)
    arrays: list[np.ndarray] = [np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64),
                                np.asarray(kind, dtype=np.int16), np.asarray(pct, dtype=np.float64),
                                np.asarray(weight, dtype=np.float64)]
    return _Links(arrays, link_ids, labels, dates)


def _read_columns(store: Store, b: _Builder) -> tuple[_Links, Iterator[StatementRow], dict[str, str]]:
    """Columnar strategy (no evidence kept): links, party rows and extra captions read as Arrow columns."""
    from redthread.analyze import columnar

    cols = columnar.load_columns(
        store, {k: (lt.source_prop, lt.target_prop) for k, lt in _BY_SCHEMA.items()},
        _LABEL_PROPS, _DATE_PROPS, {"addressEntity", "address", "full", *_SANCTION_PROPS},
    )
    b.ids, b.schema, b.caption = cols.ids, cols.schema, cols.caption
    b.index = {cid: i for i, cid in enumerate(cols.ids)}
    links = _Links(_column_arrays(cols), cols.link_ids, cols.labels, cols.dates)
    rows = (StatementRow(r[0], r[1], r[2], r[3], r[4], r[5], "", None, None, None, 1.0, None, None, "")
            for r in cols.extra_rows)
    return links, rows, cols.extra_names


def _read_party_rows(rows: Iterable[StatementRow], progress: Any) -> _Parties:
    """Parties, addresses and sanctions: names, schemata, shared-address keys with their evidence."""
    out = _Parties()
    done = 0
    for row in rows:
        done += 1
        if progress is not None and done % 200000 == 0:
            progress("statements", done, None)
        eid, schema, prop, value = row.entity_id, row.schema, row.prop, row.value
        if schema == "Sanction":
            if prop in _SANCTION_PROPS:
                rec_s = out.sanctions.setdefault(eid, _SanctionValues(row.source, row.dataset))
                rec_s.values.setdefault(prop, []).append(value)
            continue
        if schema == "Address":
            if prop in ("full", "name") and eid not in out.address_names:
                out.address_names[eid] = value
            continue
        if prop == "id":
            out.schemata.setdefault(eid, schema)
        elif prop == "name":
            if eid not in out.names or (len(value), value) < (len(out.names[eid]), out.names[eid]):
                out.names[eid] = value
            out.schemata.setdefault(eid, schema)
        elif prop == "addressEntity":
            out.addr_entity[value].add(eid)
            out.addr_ev[(eid, "e:" + value)] = row.evidence()
        elif prop == "address":
            norm = normalize_address(value)
            if norm is not None:
                out.addr_text[norm].add(eid)
                out.addr_ev[(eid, "t:" + norm)] = row.evidence()
    return out


def _address_links(parties: _Parties, b: _Builder, canonical: dict[str, str], evidence: bool, offset: int,
                   ev: dict[int, list[Evidence]]) -> _Links:
    """Shared-address links: parties at one Address entity, or at one specific address text
    (a clique, or a star beyond :data:`MAX_ADDRESS_CLIQUE`); link indexes start at ``offset``."""
    src: list[int] = []
    dst: list[int] = []
    link_ids: list[str] = []
    labels: list[str] = []

    def add(key: str, label: str, members_raw: Iterable[str]) -> None:
        members = sorted({canonical.get(p, p) for p in members_raw})
        if len(members) < 2:
            return
        raw = {canonical.get(p, p): p for p in members_raw}
        pairs: list[tuple[str, str]]
        if len(members) <= MAX_ADDRESS_CLIQUE:
            pairs = [(a, c) for i, a in enumerate(members) for c in members[i + 1:]]
        else:
            pairs = [(members[0], c) for c in members[1:]]
        for a, c in pairs:
            if evidence:
                ev[offset + len(src)] = [parties.addr_ev[(raw[a], key)], parties.addr_ev[(raw[c], key)]]
            src.append(b.node(a))
            dst.append(b.node(c))
            link_ids.append(f"addr:{raw[a]}|{raw[c]}")
            labels.append(label)

    for addr_id, members_raw in sorted(parties.addr_entity.items()):
        add("e:" + addr_id, parties.address_names.get(addr_id, addr_id), members_raw)
    for norm, members_raw in sorted(parties.addr_text.items()):
        add("t:" + norm, norm, members_raw)
    n = len(src)
    arrays: list[np.ndarray] = [np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64),
                                np.full(n, KIND["SharedAddress"], dtype=np.int16),
                                np.full(n, np.nan, dtype=np.float64),
                                np.full(n, LINK_WEIGHTS["SharedAddress"], dtype=np.float64)]
    return _Links(arrays, link_ids, labels, [_NO_DATES] * n)


def _sanction_map(parties: _Parties, b: _Builder) -> dict[int, list[SanctionRef]]:
    """Node -> the sanctions naming it (authority, programmes, earliest date, provenance)."""
    sanction_map: dict[int, list[SanctionRef]] = defaultdict(list)
    for sid, rec_s in parties.sanctions.items():
        values = rec_s.values
        for target in values.get("entity", []):
            i = b.node(target)
            sanction_map[i].append(
                {
                    "id": sid,
                    "authority": values.get("authority", []),
                    "program": values.get("program", []),
                    "start_date": min(values.get("startDate", []) + values.get("listingDate", [])
                                      + values.get("date", []), default=None),
                    "source": rec_s.source,
                    "dataset": rec_s.dataset,
                }
            )
    return dict(sanction_map)


def _name_nodes(parties: _Parties, b: _Builder, canonical: dict[str, str], extra_names: dict[str, str]) -> None:
    """Schema and caption of every node: the canonical entity's own, else a member's, else a default."""
    best_schema: dict[int, tuple[bool, str]] = {}
    for raw_id, sch in parties.schemata.items():
        cid = canonical.get(raw_id, raw_id)
        at = b.index.get(cid)
        if at is not None and (at not in best_schema or (raw_id != cid, sch) < best_schema[at]):
            best_schema[at] = (raw_id != cid, sch)
    best_name: dict[int, tuple[bool, int, str]] = {}
    for raw_id, name in parties.names.items():
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
    if extra_names:
        for i, cid in enumerate(b.ids):
            if not b.caption[i] and cid in extra_names:
                b.caption[i] = extra_names[cid]
    for i, cid in enumerate(b.ids):
        if not b.caption[i]:
            b.caption[i] = cid
        if not b.schema[i]:
            b.schema[i] = "LegalEntity"


def load_graph(store: Store, *, evidence: bool = True, progress: Any = None) -> Graph:
    """Read every link (and every party at its ends) from ``store`` into a :class:`Graph`.

    ``evidence=False`` keeps only link ids and fetches evidence from the store
    when a link is shown (use it for very large graphs). ``progress`` is an
    optional ``(label, done, total)`` callback.

    Two read strategies give the same graph: statement rows (:class:`StatementRow`,
    always used with evidence) or, without evidence and when the store allows it,
    Arrow columns (:mod:`redthread.analyze.columnar`).
    """
    from redthread.analyze import columnar

    canonical = store.canonical_map()
    b = _Builder(canonical, evidence)
    ev: dict[int, list[Evidence]] = {}
    extra_names: dict[str, str] = {}
    if not evidence and columnar.available(store):
        links, party_rows, extra_names = _read_columns(store, b)
    else:
        links = _link_arrays(_read_link_rows(_rows(store, set(_EDGE_PROPS)), evidence), b, evidence, ev)
        party_rows = _rows(store, set(_PARTY_PROPS), set(_BY_SCHEMA))
    _mark_indirect(links.arrays[2], links.labels)
    _mark_joint(links.arrays[2], links.arrays[3], links.labels)
    parties = _read_party_rows(party_rows, progress)
    shared = _address_links(parties, b, canonical, evidence, int(links.arrays[0].shape[0]), ev)
    sanctions = _sanction_map(parties, b)
    _name_nodes(parties, b, canonical, extra_names)
    arrays = [np.concatenate([a, c]) for a, c in zip(links.arrays, shared.arrays, strict=True)]
    return Graph(
        ids=b.ids,
        index=_member_index(b.index, canonical),
        schema=b.schema,
        caption=b.caption,
        src=arrays[0],
        dst=arrays[1],
        kind=arrays[2],
        pct=arrays[3],
        weight=arrays[4],
        link_ids=links.link_ids + shared.link_ids,
        link_labels=links.labels + shared.labels,
        link_dates=links.dates + shared.dates,
        sanctions=sanctions,
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


def adjacency(graph: Graph) -> list[list[tuple[int, int]]]:
    """Undirected adjacency lists: node -> [(neighbour, link index)]."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(graph.n_nodes)]
    for j, (s, t) in enumerate(zip(graph.src.tolist(), graph.dst.tolist(), strict=True)):
        adj[s].append((t, j))
        adj[t].append((s, j))
    return adj
