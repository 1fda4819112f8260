"""Typed records that cross layers: evidence, parties, links, paths, red flags.

Analyses hand these to the API, the CLI, exports and dossiers as JSON-ready
dicts (their shape is what the UI and API clients read), so they are
``TypedDict``s rather than classes: mypy checks every producer and reader,
and the API declares them as response models, so ``/openapi.json`` documents
each field. Each allows extra keys (``extra="allow"``): a producer may add a
field before its record here names it, and a response never loses it.

The values of an evidence list are :class:`redthread.model.evidence.Evidence`
records turned into dicts (:class:`EvidenceDict`).
"""

from __future__ import annotations

from typing import NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

OPEN = ConfigDict(extra="allow")


@with_config(OPEN)
class EvidenceFields(TypedDict):
    """The fields every evidence shape has: where a fact was said, the words, how sure.

    :class:`EvidenceDict` adds when it was first seen (always known for a
    statement); shapes whose evidence may lack a statement (a customs record
    in a timeline) derive from this one instead of restating it.
    """

    dataset: str
    source: str
    location: str
    span: list[int] | None
    quote: str | None
    confidence: float
    hedge: str | None
    statement_id: str | None


@with_config(OPEN)
class EvidenceDict(EvidenceFields):
    """Where one fact comes from (see :class:`~redthread.model.evidence.Evidence`)."""

    first_seen: str | None
    entity_id: NotRequired[str]
    prop: NotRequired[str]
    value: NotRequired[str]
    removed_at: NotRequired[str | None]
    link: NotRequired[str]


@with_config(OPEN)
class Party(TypedDict):
    """A party as lists show it: canonical id, caption, schema."""

    id: str
    name: str
    schema: str | None


@with_config(OPEN)
class Link(TypedDict):
    """One link of the evidence graph (:meth:`redthread.analyze.graph.Graph.link`)."""

    id: str
    type: str
    label: str
    source: str
    source_name: str
    target: str
    target_name: str
    directed: bool
    percentage: float | None
    weight: float
    evidence: list[EvidenceDict]
    startDate: NotRequired[str]
    endDate: NotRequired[str]
    date: NotRequired[str]


@with_config(OPEN)
class Path(TypedDict):
    """A path between two parties (:func:`redthread.analyze.exposure.paths`)."""

    kind: str  # "shortest", "strongest" or "shortest+strongest"
    hops: int
    strength: float
    nodes: list[Party]
    links: list[Link]


class FlagSource(TypedDict):
    """One dataset and source behind a flag's evidence."""

    dataset: str
    source: str


@with_config(OPEN)
class Flag(TypedDict):
    """A red flag (:mod:`redthread.analyze.redflags`): the rule, why it matters, who, and the evidence."""

    rule: str
    title: str
    why: str
    severity: str
    entity: Party
    parties: list[Party]
    detail: str
    evidence: list[EvidenceDict]
    #: ``{dataset, source}`` behind the evidence (a fact told by several sources is one flag)
    sources: NotRequired[list[FlagSource]]


@with_config(OPEN)
class FtMEntity(TypedDict):
    """An entity as FtM writes it (plus ``caption`` and ``datasets`` when assembled from the store).

    An extraction's entities (:class:`redthread.extract.result.ExtractionResult`) have the first three.
    """

    id: str
    schema: str
    properties: dict[str, list[str]]
    caption: NotRequired[str]
    datasets: NotRequired[list[str]]


@with_config(OPEN)
class StatementDict(TypedDict):
    """A statement's JSON form (:meth:`redthread.model.Statement.to_dict`; FtM's fields and our provenance)."""

    id: str
    entity_id: str
    schema: str
    prop: str
    value: str
    dataset: str
    source: str
    location: str
    span: list[int | None] | None  # [start, end] in the source text
    quote: str | None
    original_value: str | None
    lang: str | None
    origin: str
    confidence: float
    hedge: str | None
    first_seen: str | None
    last_seen: str | None
    removed_at: str | None


@with_config(OPEN)
class EditDict(TypedDict):
    """One manual edit (:class:`redthread.resolve.edits.Edit`): kind, analyst, note, when, its statements,
    and when it was undone (its statements then carry ``removed_at``)."""

    id: str
    kind: str
    user: str
    note: str
    at: str
    entity_id: str
    statements: list[StatementDict]
    undone_at: str | None
