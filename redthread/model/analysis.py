"""Typed results of the analyses: exposure, the 50 % rule, ownership trees, status, claims, timeline, trade.

The analyses used to return untyped dicts: every reader (API, CLI,
dossier, brief, web UI) then guessed the keys, and a renamed key broke a
reader mypy could not see. These records name each key once, beside the
producer's docstring. They are ``TypedDict``s, not classes, because the JSON
shape is the contract: the API sends them as they are and the web UI reads
them, so typing them must not change a byte of any response. Like
:mod:`redthread.model.records` (whose ``Party``, ``Link`` and
``EvidenceDict`` they reuse) each allows extra keys (``extra="allow"``), so
the API can declare them as response models without dropping a field a
producer adds before its record here names it.

The API declares these records as its response shapes (``redthread.api.schemas``
names them by alias: ``ExposureOut`` is :class:`Exposure`, ...), so ``/openapi.json``
documents what the producers send.
"""

from __future__ import annotations

import datetime as dt
from typing import NotRequired

from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model.entity import Entity
from redthread.model.records import OPEN, EvidenceDict, EvidenceFields, Link, Party

#: An assembled entity as the store hands it out: FtM's JSON form (``id``, ``schema``,
#: ``caption``, ``properties``, ``datasets``, ...). The analyses read entities under this one
#: name, so they move to the store's typed entity in one place.
EntityJSON = Entity


# -- parties and designations ---------------------------------------------------------


@with_config(OPEN)
class NamedRef(TypedDict):
    """A party by id and name (the nearest sanctioned party, a controller, an event's party)."""

    id: str
    name: str


@with_config(OPEN)
class SanctionRef(TypedDict):
    """One Sanction naming a party, as the graph reads it (:attr:`Graph.sanctions`)."""

    id: str
    authority: list[str]
    program: list[str]
    start_date: str | None  # the earliest of startDate, listingDate, date
    source: str
    dataset: str


@with_config(OPEN)
class DesignationSource(TypedDict):
    id: str | None
    dataset: str | None
    source: str | None


@with_config(OPEN)
class Designation(TypedDict):
    """One programme's designation, however many sources tell it (:func:`redthread.analyze.status.designations`)."""

    program: str
    authorities: list[str]
    start_date: str | None
    sources: list[DesignationSource]


# -- exposure -------------------------------------------------------------------------------


@with_config(OPEN)
class Exposure(TypedDict):
    """A party within reach of a sanctioned one (:func:`redthread.analyze.exposure.exposure`).

    ``nearest`` and ``path`` are left out beyond the first ``MAX_PATHS`` results.
    """

    id: str
    name: str
    schema: str
    hops: int
    strength: float
    blocked: bool
    nearest: NotRequired[NamedRef | None]
    path: NotRequired[list[Link]]


# -- the 50 % rule --------------------------------------------------------------------------


@with_config(OPEN)
class JointHolder(TypedDict):
    """A co-holder of a joint holding, with its link and evidence."""

    id: str
    name: str
    sanctioned: bool
    blocked: bool
    link: Link


@with_config(OPEN)
class BlockedOwner(TypedDict):
    """A blocked or sanctioned owner of a blocked entity and its direct stake."""

    id: str
    name: str
    share: float
    sanctioned: bool
    indirect: bool
    joint_holders: NotRequired[list[JointHolder]]


@with_config(OPEN)
class SanctionedRoot(TypedDict):
    """A sanctioned party at the top of a blocking chain, with its designations."""

    id: str
    name: str
    sanctions: list[SanctionRef]


@with_config(OPEN)
class Blocked(TypedDict):
    """An entity blocked by operation of law (:func:`redthread.analyze.ownership.blocked`)."""

    id: str
    name: str
    schema: str
    blocked_share: float
    variant: str
    authority: str | None
    round: int
    owners: list[BlockedOwner]
    controllers: list[NamedRef]
    sanctioned_roots: list[SanctionedRoot]
    chain: list[Link]
    via_indirect: list[Link]


@with_config(OPEN)
class BoundedOwner(TypedDict):
    """An owner whose stake may be a band: its lowest and highest share, and the link."""

    id: str
    name: str
    min: float
    max: float
    sanctioned: bool
    indirect: bool
    link: Link
    joint_holders: NotRequired[list[JointHolder]]


@with_config(OPEN)
class BlockedBounds(TypedDict):
    """The 50 % rule over stake bands (:func:`redthread.analyze.ownership.blocked_bounds`)."""

    id: str
    name: str
    schema: str
    status: str  # "blocked" or "possibly blocked"
    share_min: float
    share_max: float
    variant: str
    authority: str | None
    owners: list[BoundedOwner]
    via_indirect: list[Link]


@with_config(OPEN)
class EffectiveOwner(TypedDict):
    """An owner through every chain, with the effective share (:func:`redthread.analyze.ownership.effective_owners`)."""

    id: str
    name: str
    schema: str
    effective_share: float
    ultimate: bool
    chains: list[list[str]]  # link ids, from the owner down


@with_config(OPEN)
class OwnershipNode(TypedDict):
    """A node of an ownership tree: a party, expanded upwards (``owners``) or downwards (``holdings``)."""

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
    """An indirect interest and the direct links that make it up (empty when the store has none)."""

    chain: list[Link]


@with_config(OPEN)
class OwnershipTree(TypedDict):
    """One entity's owners and holdings (:func:`redthread.analyze.ownership.owners_tree`)."""

    id: str
    name: str
    schema: str
    sanctioned: bool
    blocked: bool
    indirect_owners: list[IndirectInterest]
    indirect_holdings: list[IndirectInterest]
    owners: list[OwnershipChild]
    holdings: list[OwnershipChild]
    ultimate_owners: list[EffectiveOwner]


# -- status and graph views -------------------------------------------------------------------


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
class EntityStatus(TypedDict):
    """Where a party stands (:func:`redthread.analyze.status.entity_status`)."""

    id: str
    authority: str
    status: str  # sanctioned / blocked / exposed / clear
    sanctions: list[SanctionRef]
    blocked: BlockedWhy | None
    exposure: ExposureWhy | None
    designations: NotRequired[list[Designation]]


@with_config(OPEN)
class GraphNode(TypedDict):
    id: str
    caption: str
    schema: str
    sanctioned: bool
    blocked: bool


@with_config(OPEN)
class Neighbourhood(TypedDict):
    """Nodes and links around an entity (:func:`redthread.analyze.views.neighbourhood`)."""

    nodes: list[GraphNode]
    edges: list[Link]
    truncated: bool


# -- claims and conflicts ---------------------------------------------------------------------


@with_config(OPEN)
class ClaimSource(EvidenceDict):
    """A fact's evidence and who published it (a document's publisher, else the dataset)."""

    publisher: str


@with_config(OPEN)
class Claim(TypedDict):
    """A fact with its support (:func:`redthread.analyze.claims.claims`)."""

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
class Conflict(TypedDict):
    """Values of one fact that cannot all be true, told by different sources."""

    kind: str  # "conflict"
    key: list[str]
    entities: list[Party]
    prop: str
    reason: str
    values: list[ConflictValue]


# -- timeline ---------------------------------------------------------------------------------


#: A customs record as an event's evidence: the fields every evidence has, and no ``first_seen``
#: (no statement stands behind a customs record).
RecordEvidence = EvidenceFields


@with_config(OPEN)
class Event(TypedDict):
    """One dated event (:func:`redthread.analyze.timeline.timeline`)."""

    date: str
    event: str
    kind: str  # fact / published / removed / customs
    entity: Party | None
    prop: str | None
    value: str | float | None
    parties: list[NamedRef]
    evidence: list[EvidenceDict | RecordEvidence]
    sources: NotRequired[list[str]]
    entities: NotRequired[list[Party]]
    disputed: NotRequired[list[str]]


# -- profile ----------------------------------------------------------------------------------


@with_config(OPEN)
class ValueSource(EvidenceDict):
    """A value's evidence with who stated it and its history."""

    origin: str
    last_seen: str | None


@with_config(OPEN)
class PropertyValue(TypedDict):
    value: str
    removed: bool
    sources: list[ValueSource]


@with_config(OPEN)
class PropertyValues(TypedDict):
    prop: str
    label: str
    type: str
    values: list[PropertyValue]


@with_config(OPEN)
class Counterpart(TypedDict):
    """The party at the other end of an edge entity."""

    prop: str
    id: str
    caption: str
    schema: str | None


@with_config(OPEN)
class ClaimedIn(TypedDict):
    """The sentence a document states a link in."""

    source: str
    quote: str | None
    span: list[int | None] | None


@with_config(OPEN)
class ProfileLink(TypedDict):
    """An entity this one points to (``out``), or one pointing here (``in``)."""

    direction: str
    prop: str
    id: str
    schema: str | None
    caption: str
    counterpart: NotRequired[Counterpart | None]
    claimed: NotRequired[ClaimedIn]


@with_config(OPEN)
class Profile(TypedDict):
    """One entity's profile (:func:`redthread.analyze.profile.profile`)."""

    entity: EntityJSON | None  # None when every value was removed
    removed: bool
    members: list[str]
    properties: list[PropertyValues]
    links: list[ProfileLink]


# -- trade ------------------------------------------------------------------------------------


@with_config(OPEN)
class TradeLink(TypedDict):
    """Supplier -> buyer in the customs records (:func:`redthread.trade.impact.trade_links`)."""

    supplier: str
    buyer: str
    weighted_usd: float  # CHPL-weighted
    value_usd: float
    records: int
    largest_record: str | None  # ``source:row``


@with_config(OPEN)
class NamedTradeLink(TypedDict):
    """A trade link with both parties named, as impact's evidence shows it."""

    supplier: str
    supplier_name: str
    buyer: str
    buyer_name: str
    weighted_usd: float
    value_usd: float
    records: int
    largest_record: str | None


@with_config(OPEN)
class Impact(TypedDict):
    """A party ranked by the flow its designation would cut (:func:`redthread.trade.impact.impact`)."""

    id: str
    through_usd: float
    cut_usd: float | None  # None beyond the parties whose cut is computed exactly
    name: str
    cut_share: float
    direct_usd: float
    value_usd: float
    in_min_cut: bool
    min_cut_usd: float
    sanctioned_buyers: list[str]
    owned_buyers: list[str]
    evidence: dict[str, list[NamedTradeLink]]  # "in" and "out"


@with_config(OPEN)
class BuyerFlag(TypedDict):
    """A red flag as a buyer's ranking shows it."""

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
class BuyerSupplier(TypedDict):
    id: str
    name: str
    value_usd: float
    records: int
    largest_record: str | None


@with_config(OPEN)
class BuyerCapacity(TypedDict):
    product: str
    supported_per_month: float | None
    binding: str | None
    period: list[str] | None


@with_config(OPEN)
class BuyerImpact(TypedDict):
    """A flagged buyer of CHPL goods (:func:`redthread.trade.buyers.buyer_impact`)."""

    id: str
    name: str
    weighted_usd: float
    value_usd: float
    chpl_usd: float
    records: int
    suppliers: list[BuyerSupplier]
    flags: list[BuyerFlag]
    sanctioned_ties: list[str]
    capacity: BuyerCapacity | None


@with_config(OPEN)
class CapacityClaim(TypedDict):
    """A claimed output in a document naming the buyer (:func:`redthread.trade.capacity.find_claims`)."""

    document: str
    title: str
    quote: str
    context: str
    span: list[int]
    low: float  # per month
    high: float
    near: bool  # a buyer name within a few sentences
    ratio: NotRequired[float | None]  # claimed high / supported per month


@with_config(OPEN)
class ComponentRecord(TypedDict):
    """One of a component's largest customs records."""

    source: str
    row: int
    date: dt.date | str  # the engine's date value: a ``datetime.date`` from DuckDB (ISO text in JSON)
    value_usd: float | None
    goods_description: str | None


@with_config(OPEN)
class ComponentSupport(TypedDict):
    """What one bill-of-materials component's recorded flows support."""

    name: str
    per_unit: float
    unit_price_usd: float
    hs: list[str]
    records: int
    value_usd: float
    units: float
    units_per_month: float
    supported_per_month: float
    recent_supported_per_month: float
    peak_month: str
    peak_supported: float
    evidence: list[ComponentRecord]


@with_config(OPEN)
class Capacity(TypedDict):
    """Products a month the component flows into a buyer could support (:func:`redthread.trade.capacity.capacity`)."""

    buyer: str
    buyer_name: str
    product: str
    period: list[str] | None
    months: int
    components: list[ComponentSupport]
    binding: str | None
    supported_per_month: float | None
    peak_supported: float | None
    recent_supported_per_month: float | None
    missing: list[str]
    claims: NotRequired[list[CapacityClaim]]


@with_config(OPEN)
class Counterparty(TypedDict):
    party: str | None
    value_usd: float | None
    records: int
    party_name: NotRequired[str | None]


@with_config(OPEN)
class Goods(TypedDict):
    hs6: str | None
    chpl_tier: str | None
    goods: str | None
    value_usd: float | None
    records: int


@with_config(OPEN)
class TradeRole(TypedDict):
    """A party's trade in one role (buyer or supplier)."""

    records: int
    value_usd: float
    chpl_usd: float
    chpl_share: float
    first_date: str
    last_date: str
    counterparties: list[Counterparty]
    goods: list[Goods]


@with_config(OPEN)
class TradeMonth(TypedDict):
    month: str
    value_usd: float
    records: int


@with_config(OPEN)
class PartyTrade(TypedDict):
    """One party's trade at a glance (:func:`redthread.trade.summary.party_trade`)."""

    id: str
    records: int
    roles: dict[str, TradeRole]
    monthly: list[TradeMonth]


@with_config(OPEN)
class CustomsPair(TypedDict):
    """Supplier -> buyer in the customs records, for the timeline (:func:`redthread.trade.links.customs_links`)."""

    supplier: str
    buyer: str
    supplier_name: str
    buyer_name: str
    dataset: str
    records: int
    value_usd: float
    chpl_usd: float
    first_date: str
    last_date: str
    largest_record: str  # ``source:row`` (every pair has a largest record)
    largest_goods: str | None
    month: NotRequired[str]  # per month (:func:`redthread.trade.links.customs_months`)
