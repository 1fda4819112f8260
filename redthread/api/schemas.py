"""Response shapes of the API, declared so ``/openapi.json`` documents every one.

Routes name these as ``response_model``; FastAPI then validates each answer
against its shape (a route that drifts fails loudly instead of sending clients
something new) and the OpenAPI document says what a field holds. They are
``TypedDict``s, like the records analyses return (:mod:`redthread.model.records`),
and allow extra keys: a route may add a field before its shape here names it,
and no answer loses one. Store dataclasses (datasets, loads, judgements, keys)
are declared here by their JSON fields, not imported, so the API contract is
read in one place. What a library module already declares (the analyses' records in
:mod:`redthread.model.analysis`, watchlists, runs, candidate pairs, networks) is named
here by alias, not restated, so the contract cannot drift from what the producer sends.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NotRequired

from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model import analysis, records
from redthread.model.records import OPEN, EditDict
from redthread.monitor.rescreen import RunDict
from redthread.monitor.watchlist import WatchlistDict
from redthread.report.network import Edge, NetworkDict, Node
from redthread.resolve.review import PairView
from redthread.resolve.xref import Candidate, XrefPage

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


#: An entity as FtM writes it: the records' own shape (:mod:`redthread.model.records`).
FtMEntity = records.FtMEntity


#: A profile's parts: the profile's own records (:mod:`redthread.model.analysis`).
SourceOut = analysis.ValueSource
ValueOut = analysis.PropertyValue
PropertyOut = analysis.PropertyValues
ProfileLink = analysis.ProfileLink


@with_config(OPEN)
class ProfileOut(TypedDict):
    """:class:`redthread.model.analysis.Profile` with ``entity`` spelt out as :class:`FtMEntity`: the store's
    ``Entity`` is a ``dict`` subclass that OpenAPI can only call an object, and clients read its fields."""

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
CandidateOut = Candidate
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
    nodes: list[Node]
    edges: list[Edge]


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
    columns: dict[str, str | None]


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


# --- analytics, the entity page's status and trade, capacity and impact ----------------------------
# The analyses' own records (:mod:`redthread.model.analysis`), declared as they are, not restated:
# a restated copy drifts from what the producer sends (the API's had lost ``joint_holders`` of a
# blocked owner and typed an ultimate owner's chains as ``Any``).

OwnershipNode = analysis.OwnershipNode
OwnershipChild = analysis.OwnershipChild
IndirectInterest = analysis.IndirectInterest
UltimateOwner = analysis.EffectiveOwner
OwnershipOut = analysis.OwnershipTree
BlockedOwner = analysis.BlockedOwner
SanctionOut = analysis.SanctionRef
SanctionedRoot = analysis.SanctionedRoot
BlockedOut = analysis.Blocked
NamedRef = analysis.NamedRef
ExposureOut = analysis.Exposure
ClaimSource = analysis.ClaimSource
ClaimOut = analysis.Claim
ConflictValue = analysis.ConflictValue
ConflictOut = analysis.Conflict
EventEvidence = analysis.RecordEvidence
EventOut = analysis.Event
GraphNode = analysis.GraphNode
GraphOut = analysis.Neighbourhood
DesignationSource = analysis.DesignationSource
Designation = analysis.Designation
BlockedWhy = analysis.BlockedWhy
ExposureWhy = analysis.ExposureWhy
StatusOut = analysis.EntityStatus
CounterpartyValue = analysis.Counterparty
GoodsOut = analysis.Goods
TradeRole = analysis.TradeRole
PartyTradeOut = analysis.PartyTrade
RecordRef = analysis.ComponentRecord
ComponentOut = analysis.ComponentSupport
CapacityClaim = analysis.CapacityClaim
CapacityOut = analysis.Capacity
TradeLinkOut = analysis.NamedTradeLink
ImpactOut = analysis.Impact
BuyerSupplier = analysis.BuyerSupplier
BuyerFlag = analysis.BuyerFlag
BuyerCapacity = analysis.BuyerCapacity
BuyerImpactOut = analysis.BuyerImpact


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


#: The party's monthly series straight from SQL (``/trade/series``): a month of records whose values are
#: all missing sums to ``null``, unlike the entity page's :class:`~redthread.model.analysis.TradeMonth`.
@with_config(OPEN)
class MonthOut(TypedDict):
    month: str
    value_usd: float | None
    records: int


# --- manual edits --------------------------------------------------------------------------------

@with_config(OPEN)
class EditsOut(TypedDict):
    edits: list[EditDict]


@with_config(OPEN)
class EditDoneOut(TypedDict):
    edit: EditDict
