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

from typing import Any, NotRequired

from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model.records import OPEN, EvidenceDict


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


@with_config(OPEN)
class CandidateOut(TypedDict):
    """A proposed same-party pair with its per-feature scores."""

    left_id: str
    right_id: str
    score: float
    left_caption: str
    right_caption: str
    schema: str
    left_datasets: list[str]
    right_datasets: list[str]
    features: dict[str, Any]
    explanations: Any
    reason: str
    within: bool


@with_config(OPEN)
class XrefOut(TypedDict):
    """A page of candidates (``status`` ``ready``), or progress while they are computed."""

    status: str  # "ready", "computing" or "failed"
    candidates: list[CandidateOut]
    total: int | None
    offset: NotRequired[int]
    limit: NotRequired[int]
    stage: NotRequired[str]
    done: NotRequired[int]
    error: NotRequired[str | None]


@with_config(OPEN)
class PairSide(TypedDict):
    id: str | None
    schema: str | None
    caption: str | None
    datasets: list[str] | None


@with_config(OPEN)
class PairProperty(TypedDict):
    prop: str
    left: list[str]
    right: list[str]
    shared: list[str]


@with_config(OPEN)
class PairOut(TypedDict):
    left: PairSide
    right: PairSide
    properties: list[PairProperty]


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
class NetworkNode(TypedDict):
    id: str
    schema: str
    caption: str
    datasets: list[str]
    countries: list[str]
    sanctioned: list[dict[str, Any]]  # the designations naming it (authority, program, start date, datasets)
    blocked: dict[str, Any] | None  # why it is blocked under the 50 % rule, if it is


@with_config(OPEN)
class NetworkEdge(TypedDict):
    id: str
    source: str
    target: str
    schema: str
    label: str
    datasets: list[str]
    properties: dict[str, list[str]]


@with_config(OPEN)
class NetworkOut(TypedDict):
    center: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


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


@with_config(OPEN)
class WatchlistOut(TypedDict):
    name: str
    created_at: str
    created_by: str
    columns: list[str]
    dataset: str | None
    threshold: float
    algorithm: str
    four_eyes: bool
    webhook: str | None
    command: str | None
    rows: int


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
class WatchlistDetailOut(WatchlistOut):
    counterparties: list[Counterparty]


@with_config(OPEN)
class RunOut(TypedDict):
    """One screening run of a watchlist (``alerts``: how many it raised)."""

    watchlist: str
    run_id: int
    mode: str
    changed_entities: int
    screened_rows: int
    pairs_scored: int
    screened_entities: int
    alerts: int
    seconds: float


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
