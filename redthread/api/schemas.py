"""Response shapes of the API, declared so ``/openapi.json`` documents every one.

Routes name these as ``response_model``; FastAPI then validates each answer
against its shape (a route that drifts fails loudly instead of sending clients
something new) and the OpenAPI document says what a field holds. They are
``TypedDict``s, like the records analyses return (:mod:`redthread.model.records`),
and allow extra keys: a route may add a field before its shape here names it,
and no answer loses one. Store dataclasses (datasets, loads, judgements, keys)
are declared here by their JSON fields, not imported, so the API contract is
read in one place.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NotRequired

from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model.records import OPEN, EditDict, EvidenceDict, EvidenceFields, Link, Party
from redthread.monitor.rescreen import RunDict
from redthread.monitor.watchlist import WatchlistDict
from redthread.report.network import NetworkDict, NetworkEdge, NetworkNode
from redthread.resolve.review import PairView
from redthread.resolve.xref import CandidateDict, XrefPage

#: A day as the trade engines give it: a ``date`` (DuckDB) or ISO text; JSON carries ``YYYY-MM-DD`` either way.
Day = date | str


@with_config(OPEN)
class DatasetOut(TypedDict):
    name: str
    entities: int
    statements: int
    removed: int
    sources: int
    last_load: str | None


@with_config(OPEN)
class DatasetsOut(TypedDict):
    datasets: list[DatasetOut]


@with_config(OPEN)
class StatsOut(TypedDict):
    statements: int
    removed_statements: int
    entities: int
    datasets: int
    documents: int
    resolved_entities: int
    schemata: dict[str, int]


@with_config(OPEN)
class DocumentBrief(TypedDict):
    id: str
    dataset: str
    title: str
    mime: str
    publisher: str
    published_at: str
    length: int


@with_config(OPEN)
class DocumentsOut(TypedDict):
    documents: list[DocumentBrief]


@with_config(OPEN)
class Span(TypedDict):
    """Where in the text a statement was read, and what it says."""

    start: int
    end: int
    entity_id: str
    schema: str
    prop: str
    value: str
    statement_id: str
    origin: str
    confidence: float
    hedge: str | None


@with_config(OPEN)
class SpanEntity(TypedDict):
    caption: str
    schema: str | None


@with_config(OPEN)
class DocumentOut(TypedDict):
    id: str
    dataset: str
    title: str
    path: str
    mime: str
    publisher: str
    published_at: str
    text: str
    spans: list[Span]
    entities: dict[str, SpanEntity]


@with_config(OPEN)
class FtMEntity(TypedDict):
    """An entity as FtM writes it (plus ``caption`` and ``datasets`` when assembled from the store)."""

    id: str
    schema: str
    properties: dict[str, list[str]]
    caption: NotRequired[str]
    datasets: NotRequired[list[str]]


@with_config(OPEN)
class SourceOut(EvidenceDict):
    """A value's evidence in a profile, with who stated it and its history."""

    origin: str
    last_seen: str | None


@with_config(OPEN)
class ValueOut(TypedDict):
    value: str
    removed: bool
    sources: list[SourceOut]


@with_config(OPEN)
class PropertyOut(TypedDict):
    prop: str
    label: str
    type: str
    values: list[ValueOut]


@with_config(OPEN)
class ProfileLink(TypedDict):
    direction: str  # "out" or "in"
    prop: str
    id: str
    schema: str | None
    caption: str


@with_config(OPEN)
class ProfileOut(TypedDict):
    entity: FtMEntity | None
    removed: bool
    members: list[str]
    properties: list[PropertyOut]
    links: list[ProfileLink]


@with_config(OPEN)
class SearchHit(TypedDict):
    id: str
    schema: str
    caption: str
    datasets: list[str]
    matched: str
    score: float


@with_config(OPEN)
class SearchOut(TypedDict):
    query: str
    results: list[SearchHit]


@with_config(OPEN)
class StatementOut(TypedDict):
    """One statement with its provenance (:meth:`redthread.model.Statement.to_dict`)."""

    id: str
    entity_id: str
    schema: str
    prop: str
    value: str
    dataset: str
    source: str


@with_config(OPEN)
class StatementsOut(TypedDict):
    id: str
    statements: list[StatementOut]


@with_config(OPEN)
class DocumentRef(TypedDict):
    id: str
    title: str


@with_config(OPEN)
class ExtractOut(TypedDict):
    document: DocumentRef
    backend: str
    entities: list[FtMEntity]
    statements: NotRequired[list[StatementOut]]


#: The candidate pairs and a pair side by side: the resolver's own shapes (:mod:`redthread.resolve`).
CandidateOut = CandidateDict
XrefOut = XrefPage
PairOut = PairView


@with_config(OPEN)
class JudgementOut(TypedDict):
    left_id: str
    right_id: str
    judgement: str  # positive | negative | unsure
    user: str
    created_at: str
    score: float | None


@with_config(OPEN)
class JudgementsOut(TypedDict):
    judgements: list[JudgementOut]


@with_config(OPEN)
class JudgedOut(TypedDict):
    judgement: JudgementOut
    canonical_id: str


@with_config(OPEN)
class RemovedOut(TypedDict):
    removed: bool


@with_config(OPEN)
class WhoAmIOut(TypedDict):
    role: str | None
    user: str | None
    roles: list[str]


@with_config(OPEN)
class KeyOut(TypedDict):
    """A key's public record (never the secret)."""

    id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None
    last_used_at: str | None


@with_config(OPEN)
class KeysOut(TypedDict):
    keys: list[KeyOut]


@with_config(OPEN)
class NewKeyOut(KeyOut):
    key: str  # shown only in this response


@with_config(OPEN)
class NetworkOut(NetworkDict):
    """An entity's neighbourhood: the library's network shape (:mod:`redthread.report.network`) and its centre."""

    center: str


@with_config(OPEN)
class NetworkPathOut(TypedDict):
    source: str
    target: str
    found: bool
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


@with_config(OPEN)
class LoadOut(TypedDict):
    """What one load did (:class:`redthread.store.LoadResult`)."""

    dataset: str
    source: str
    added: int
    kept: int
    removed: int
    unchanged: bool
    entities_added: int
    entities_removed: int
    entities_changed: int


@with_config(OPEN)
class IngestOut(TypedDict):
    file: str
    results: list[LoadOut]
    skipped: list[str]


#: A watchlist as the library writes it (:class:`redthread.monitor.watchlist.WatchlistDict`).
WatchlistOut = WatchlistDict


@with_config(OPEN)
class WatchlistsOut(TypedDict):
    watchlists: list[WatchlistOut]


@with_config(OPEN)
class Counterparty(TypedDict):
    id: str
    name: str
    schema: str
    columns: dict[str, Any]


@with_config(OPEN)
class WatchlistDetailOut(WatchlistDict):
    counterparties: list[Counterparty]


#: One screening run of a watchlist as the library writes it (:class:`redthread.monitor.rescreen.RunDict`).
RunOut = RunDict


@with_config(OPEN)
class WatchlistAddedOut(TypedDict):
    watchlist: str
    rows: dict[str, int]
    run: RunOut
    skipped: list[str]


@with_config(OPEN)
class RowsRemovedOut(TypedDict):
    rows: int


@with_config(OPEN)
class RunsOut(TypedDict):
    runs: list[RunOut]


@with_config(OPEN)
class AlertEntity(TypedDict):
    id: str
    caption: str
    schema: str


@with_config(OPEN)
class AlertOut(TypedDict):
    """What changed for one counterparty / entity pair, with its evidence and status."""

    id: int
    watchlist: str
    kind: str
    status: str
    score: float | None
    evidence: Any
    scorer: str
    run_id: int
    created_at: str
    counterparty: dict[str, str]
    entity: AlertEntity


@with_config(OPEN)
class AlertsOut(TypedDict):
    alerts: list[AlertOut]
    total: int


# --- analytics: ownership, the 50 % rule, exposure, claims, timeline, graph -------------------------

@with_config(OPEN)
class OwnershipNode(TypedDict):
    """One party of an ownership tree; ``owners`` (up) or ``holdings`` (down) one level further."""

    id: str
    name: str
    schema: str
    sanctioned: bool
    blocked: bool
    cycle: NotRequired[bool]  # met again on the same branch: not expanded
    owners: NotRequired[list[OwnershipChild]]
    holdings: NotRequired[list[OwnershipChild]]


@with_config(OPEN)
class OwnershipChild(TypedDict):
    link: Link
    node: OwnershipNode


@with_config(OPEN)
class IndirectInterest(OwnershipChild):
    """An indirect interest stated about the entity, with the direct links that make it up (if stored)."""

    chain: list[Link]


@with_config(OPEN)
class UltimateOwner(TypedDict):
    id: str
    name: str
    schema: str
    effective_share: float
    ultimate: bool
    chains: list[Any]  # each chain as the analysis walked it


@with_config(OPEN)
class OwnershipOut(TypedDict):
    """The entity at the root of its tree: owners up, holdings down, indirect interests, ultimate owners."""

    id: str
    name: str
    schema: str
    sanctioned: bool
    blocked: bool
    indirect_owners: list[IndirectInterest]
    indirect_holdings: list[IndirectInterest]
    owners: list[OwnershipChild]
    holdings: list[OwnershipChild]
    ultimate_owners: list[UltimateOwner]


@with_config(OPEN)
class BlockedOwner(TypedDict):
    id: str
    name: str
    share: float
    sanctioned: bool
    indirect: bool


@with_config(OPEN)
class SanctionOut(TypedDict):
    """A designation as the graph holds it."""

    id: str | None
    authority: list[str]
    program: list[str]
    start_date: str | None
    source: str | None
    dataset: str | None


@with_config(OPEN)
class SanctionedRoot(TypedDict):
    id: str
    name: str
    sanctions: list[SanctionOut]


@with_config(OPEN)
class BlockedOut(TypedDict):
    """A party blocked by the 50 % rule, with whose shares add up and the chain of links with sources."""

    id: str
    name: str
    schema: str
    blocked_share: float
    variant: str
    authority: str
    round: int
    owners: list[BlockedOwner]
    controllers: list[NamedRef]  # as :class:`redthread.model.analysis.Blocked` names them
    sanctioned_roots: list[SanctionedRoot]
    chain: list[Link]
    via_indirect: list[Link]


@with_config(OPEN)
class NamedRef(TypedDict):
    id: str
    name: str


@with_config(OPEN)
class ExposureOut(TypedDict):
    """A party's distance to sanctioned parties; the top ranks carry the nearest one and the path."""

    id: str
    name: str
    schema: str
    hops: int
    strength: float
    blocked: bool
    nearest: NotRequired[NamedRef | None]
    path: NotRequired[list[Link]]


@with_config(OPEN)
class ClaimSource(EvidenceDict):
    publisher: str


@with_config(OPEN)
class ClaimOut(TypedDict):
    """A fact with every source that states it and how many independent publishers."""

    entity: Party
    prop: str
    value: str
    sources: list[ClaimSource]
    source_count: int
    publishers: list[str]
    independent: int
    single_source: bool
    entities: NotRequired[list[Party]]


@with_config(OPEN)
class ConflictValue(TypedDict):
    value: str
    entity: list[str]
    sources: list[ClaimSource]
    publishers: list[str]


@with_config(OPEN)
class ConflictOut(TypedDict):
    """Sources that disagree about one fact (``kind: conflict``)."""

    kind: str
    key: list[str]
    entities: list[Party]
    prop: str
    reason: str
    values: list[ConflictValue]


@with_config(OPEN)
class EventEvidence(EvidenceFields):
    """Where a dated event comes from: a statement, a document, or a customs record (no statement,
    so no ``first_seen``): the evidence record's fields, ``first_seen`` optional."""

    first_seen: NotRequired[str | None]


@with_config(OPEN)
class EventOut(TypedDict):
    """A dated fact or event (``kind``: fact, customs, published, removed, ...) with its evidence."""

    date: str
    event: str
    kind: str
    entity: Party | None
    prop: str | None
    value: str | float | None
    parties: list[NamedRef]
    evidence: list[EventEvidence]
    sources: NotRequired[list[str]]
    entities: NotRequired[list[Party]]
    disputed: NotRequired[list[str]]


@with_config(OPEN)
class GraphNode(TypedDict):
    id: str
    caption: str
    schema: str
    sanctioned: bool
    blocked: bool


@with_config(OPEN)
class GraphOut(TypedDict):
    """An entity's neighbourhood for the graph view; ``truncated`` when the node limit cut it."""

    nodes: list[GraphNode]
    edges: list[Link]
    truncated: bool


# --- the entity page: status and trade -------------------------------------------------------------

@with_config(OPEN)
class DesignationSource(TypedDict):
    id: str | None
    dataset: str | None
    source: str | None


@with_config(OPEN)
class Designation(TypedDict):
    program: str
    authorities: list[str]
    start_date: str | None
    sources: list[DesignationSource]


@with_config(OPEN)
class BlockedWhy(TypedDict):
    share: float | None
    owners: list[BlockedOwner]
    roots: list[SanctionedRoot]


@with_config(OPEN)
class ExposureWhy(TypedDict):
    hops: int
    strength: float
    sanctioned_parties: int


@with_config(OPEN)
class StatusOut(TypedDict):
    """``status``: sanctioned, blocked (by ownership), exposed (within three links) or clear; with the why."""

    id: str
    authority: str
    status: str
    sanctions: list[SanctionOut]
    blocked: BlockedWhy | None
    exposure: ExposureWhy | None
    designations: NotRequired[list[Designation]]


@with_config(OPEN)
class CounterpartyValue(TypedDict):
    party: str | None
    value_usd: float | None
    records: int
    party_name: NotRequired[str | None]


@with_config(OPEN)
class GoodsOut(TypedDict):
    hs6: str | None
    chpl_tier: str | None
    goods: str | None
    value_usd: float | None
    records: int


@with_config(OPEN)
class TradeRole(TypedDict):
    records: int
    value_usd: float
    chpl_usd: float
    chpl_share: float
    first_date: str
    last_date: str
    counterparties: list[CounterpartyValue]
    goods: list[GoodsOut]


@with_config(OPEN)
class MonthOut(TypedDict):
    month: str
    value_usd: float | None
    records: int


@with_config(OPEN)
class PartyTradeOut(TypedDict):
    """A party's trade as buyer and supplier (``roles``), and its monthly series; ``records: 0`` when none."""

    id: str
    records: int
    roles: dict[str, TradeRole]
    monthly: list[MonthOut]


# --- trade ----------------------------------------------------------------------------------------

@with_config(OPEN)
class FlowOut(TypedDict):
    """One aggregated flow; its other keys are the requested dimensions (and their ``*_name``)."""

    value_usd: float | None
    records: int
    quantity: NotRequired[float | None]
    first_date: Day | None
    last_date: Day | None


@with_config(OPEN)
class EntrantOut(TypedDict):
    party: str | None
    first_date: Day | None
    records: int
    value_usd: float | None
    counterparties: int
    party_name: NotRequired[str | None]


@with_config(OPEN)
class SpikeOut(TypedDict):
    party: str | None
    month: str
    value_usd: float | None
    baseline_usd: float | None
    ratio: float | None
    party_name: NotRequired[str | None]


@with_config(OPEN)
class ChainOut(TypedDict):
    """A re-export chain supplier -> intermediary -> buyer, with both records' source and row."""

    supplier: str | None
    intermediary: str | None
    buyer: str | None
    hs4: str | None
    days: int
    in_usd: float | None
    out_usd: float | None
    in_source: str
    in_row: int
    in_date: Day
    out_source: str
    out_row: int
    out_date: Day


@with_config(OPEN)
class RecordRef(TypedDict):
    """A customs record a capacity estimate rests on."""

    source: str
    row: int
    date: Day | None
    value_usd: float | None
    goods_description: str | None


@with_config(OPEN)
class ComponentOut(TypedDict):
    name: str
    per_unit: float
    unit_price_usd: float | None
    hs: list[str]
    records: int
    value_usd: float
    units: float
    units_per_month: float
    supported_per_month: float
    recent_supported_per_month: float
    peak_month: str | None
    peak_supported: float
    evidence: list[RecordRef]


@with_config(OPEN)
class CapacityClaim(TypedDict):
    """A production figure a document states for the buyer, beside the estimate."""

    document: str
    title: str | None
    quote: str
    context: str
    span: list[int]
    low: float
    high: float
    near: bool
    ratio: float | None


@with_config(OPEN)
class CapacityOut(TypedDict):
    """Units per month the component flows support, the binding component, and stated claims."""

    buyer: str
    buyer_name: str
    product: str
    period: list[str] | None
    months: int
    components: list[ComponentOut]
    binding: str | None
    supported_per_month: float | None
    peak_supported: float | None
    recent_supported_per_month: float | None
    missing: list[str]
    claims: list[CapacityClaim]


@with_config(OPEN)
class TradeLinkOut(TypedDict):
    supplier: str
    supplier_name: str
    buyer: str
    buyer_name: str
    weighted_usd: float
    value_usd: float | None
    records: int
    largest_record: str | None


@with_config(OPEN)
class ImpactOut(TypedDict):
    """A not-yet-sanctioned party and the flow into sanctioned buyers its designation would cut."""

    id: str
    name: str
    through_usd: float
    cut_usd: float | None
    cut_share: float
    direct_usd: float
    value_usd: float
    in_min_cut: bool
    min_cut_usd: float
    sanctioned_buyers: list[str]
    owned_buyers: list[str]
    evidence: dict[str, list[TradeLinkOut]]  # "in" and "out": the largest links each way


@with_config(OPEN)
class BuyerSupplier(TypedDict):
    id: str
    name: str
    value_usd: float | None
    records: int
    largest_record: str | None


@with_config(OPEN)
class BuyerFlag(TypedDict):
    rule: str
    title: str
    severity: str | None
    detail: str | None
    why: str | None
    sanctioned_parties: list[str]
    source: str | None
    quote: str | None
    evidence: list[EvidenceDict]


@with_config(OPEN)
class BuyerCapacity(TypedDict):
    product: str | None
    supported_per_month: float | None
    binding: str | None
    period: list[str] | None


@with_config(OPEN)
class BuyerImpactOut(TypedDict):
    """A flagged buyer of CHPL goods ranked by CHPL-weighted value received, with its flags' evidence."""

    id: str
    name: str
    weighted_usd: float
    value_usd: float | None
    chpl_usd: float
    records: int
    suppliers: list[BuyerSupplier]
    flags: list[BuyerFlag]
    sanctioned_ties: list[str]
    capacity: BuyerCapacity | None


# --- manual edits --------------------------------------------------------------------------------

@with_config(OPEN)
class EditsOut(TypedDict):
    edits: list[EditDict]


@with_config(OPEN)
class EditDoneOut(TypedDict):
    edit: EditDict
