"""Which sources support each fact, and which contradict each other.

A *fact* is one value of one property of one (resolved) entity. Its support
is the set of statements saying it: how many distinct sources (documents or
records), and how many independent publishers (the document's publisher, or
the dataset when no publisher is known). A fact resting on one publisher is
*single-source*.

A *contradiction* is the same fact key with incompatible values from
different sources: two dates for the same designation, two amounts for the
same deal, two makers for the same product. Keys:

- the entity itself, for properties that hold one value (dates, amounts,
  percentages, a manufacturer);
- for Sanctions: the designated entity and the authority, so two Sanction
  records of the same designation are compared;
- for trades (EconomicActivity) and Payments: the two parties and the goods
  or purpose, so two reports of the same deal are compared;
- for events read from prose (``Event``, see :mod:`redthread.extract.facts`):
  its label of kind, count and product ("order: 5000 Veles"), so two reports
  of the same order compare their dates; an event without a label: its kind
  and the parties involved;
- for unit prices (``Asset`` with an amount): the product and the currency,
  so two prices of one unit compare (an order's total over its count
  counts as a unit price too);
- for other links (ownership, control, directorship, family...): the two
  ends, so two stakes of one owner in one company compare;
- for "maker" links (an edge whose role says it makes, manufactures or
  produces): the product, so two different makers conflict.

When several entities state one fact key, :func:`claims` lists their
values once per key with every source behind them: that is agreement
across sources (corroboration), as conflicts are disagreement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from followthemoney import model
from normality import normalize

from redthread.analyze.sanctions import AUTHORITIES, authority_matches
from redthread.model import Statement
from redthread.model.analysis import Claim, ClaimSource, Conflict, EntityJSON
from redthread.model.entity import assemble
from redthread.model.evidence import Evidence
from redthread.model.records import Party
from redthread.model.statement import BASE
from redthread.store import Store

#: Properties that hold one true value, whatever their type.
SINGLE_VALUED = {
    "birthDate", "deathDate", "incorporationDate", "dissolutionDate", "startDate", "endDate",
    "listingDate", "date", "amount", "amountUsd", "amountEur", "customsAmount", "invoiceAmount",
    "percentage", "sharesCount", "sharesValue", "manufacturer", "unitPrice", "price",
}
#: Relative difference under which two amounts are the same figure, rounded.
AMOUNT_TOLERANCE = 0.01
_MAKER = re.compile(r"\b(make|maker|made|manufactur|produc|develop)", re.IGNORECASE)


def _fact_source(s: Statement, publishers: dict[str, str]) -> ClaimSource:
    return {**Evidence.of(s).to_dict(), "publisher": publishers.get(s.source) or s.dataset}


def compatible(a: str, b: str, type_name: str) -> bool:
    """Whether two values can both be true: partial dates, rounded amounts, same text."""
    if a == b:
        return True
    if type_name == "date":
        return a.startswith(b) or b.startswith(a)
    if type_name == "number" or _is_number(a) and _is_number(b):
        try:
            x, y = float(a.replace(",", "")), float(b.replace(",", ""))
        except ValueError:
            return False
        return abs(x - y) <= AMOUNT_TOLERANCE * max(abs(x), abs(y))
    return bool(normalize(a) == normalize(b))


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", text.strip()))


class _Entities(Mapping[str, EntityJSON]):
    """Canonical id -> assembled entity, built from already-read statements on
    first use: a timeline or claims names a few thousand of a list's forty
    thousand entities, and assembling each costs more than reading it."""

    def __init__(self, stmts: dict[str, list[Statement]]) -> None:
        self._stmts = stmts
        self._built: dict[str, EntityJSON | None] = {}

    def __getitem__(self, eid: str) -> EntityJSON:
        if eid not in self._built:
            stmts = self._stmts.get(eid)
            self._built[eid] = assemble(stmts, entity_id=eid) if stmts else None
        ent = self._built[eid]
        if ent is None:
            raise KeyError(eid)
        return ent

    def __iter__(self) -> Iterator[str]:
        return (eid for eid in self._stmts if eid in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CaseFacts:
    """The case's active statements by canonical id, and its entities, read once.

    A large list (the OFAC SDN file: ~100 k statements) makes each full read
    of the store cost seconds, so the statements are read in one scan and an
    entity is assembled from them when first asked for (:class:`_Entities`),
    rather than all of them read again through ``store.entities()``. :mod:`redthread.analyze.timeline` passes the
    statements it has already read (``statements``, removed ones included:
    they are skipped here) so a timeline reads the store once too.
    """

    def __init__(self, store: Store, statements: Iterable[Statement] | None = None) -> None:
        self.store = store
        self.cmap = store.canonical_map()
        self.publishers = {d.id: d.publisher for d in store.documents() if d.publisher}
        self.stmts: dict[str, list[Statement]] = defaultdict(list)
        self.schema: dict[str, str] = {}
        for s in store.statements() if statements is None else statements:
            if s.removed_at is not None:
                continue
            cid = self.cmap.get(s.entity_id, s.entity_id)
            self.stmts[cid].append(s)
            if s.prop == BASE:
                self.schema.setdefault(cid, s.schema)
        self.entities = _Entities(self.stmts)

    def caption(self, eid: str) -> str:
        ent = self.entities.get(eid)
        return str(ent["caption"]) if ent else eid

    def party(self, eid: str) -> Party:
        ent = self.entities.get(eid)
        return {"id": eid, "name": ent["caption"] if ent else eid, "schema": ent["schema"] if ent else None}

    def values(self, eid: str, prop: str) -> list[str]:
        return sorted({s.value for s in self.stmts.get(eid, []) if s.prop == prop})

    def refs(self, eid: str, prop: str) -> list[str]:
        return sorted({self.cmap.get(v, v) for v in self.values(eid, prop)})


def claims(
    store: Store, conflicts_only: bool = False, single_source: bool = False, *, entity_id: str | None = None
) -> list[Claim] | list[Conflict]:
    """Facts with their support, or (``conflicts_only``) the contradictions.

    A fact: ``{entity, prop, value, sources, source_count, publishers,
    independent, single_source}``. With ``single_source`` only facts resting
    on one publisher are returned. A contradiction: ``{kind: "conflict",
    key, entities, prop, reason, values: [{value, entity, sources,
    publishers}]}``. ``entity_id`` keeps only facts or conflicts about it.
    """
    facts = CaseFacts(store)
    target = store.canonical_id(entity_id) if entity_id else None
    if conflicts_only:
        found = conflicts(facts)
        if target:
            found = [c for c in found if any(e["id"] == target for e in c["entities"])]
        return found
    out: list[Claim] = []
    shared = _shared_keys(facts)
    groups: dict[tuple[str, tuple[str, ...]], dict[tuple[str, str], list[Statement]]] = defaultdict(
        lambda: defaultdict(list))
    for eid in sorted(facts.stmts):
        key = shared.get(eid)
        if target and eid != target and not (key and target in key[1]):
            continue
        for s in facts.stmts[eid]:
            if s.is_meta:
                continue
            groups[key or (eid, (eid,))][(s.prop, s.value)].append(s)
    for (first, members), by_value in sorted(groups.items()):
        for (prop, value), stmts in sorted(by_value.items()):
            sources = [_fact_source(s, facts.publishers) for s in stmts]
            publishers = sorted({src["publisher"] for src in sources})
            item: Claim = {
                "entity": facts.party(first), "prop": prop, "value": value, "sources": sources,
                "source_count": len({(src["dataset"], src["source"]) for src in sources}),
                "publishers": publishers, "independent": len(publishers),
                "single_source": len(publishers) == 1,
            }
            if len(members) > 1:
                item["entities"] = [facts.party(m) for m in members]
            if single_source and not item["single_source"]:
                continue
            out.append(item)
    return out


def fact_groups(store: Store, facts: CaseFacts | None = None) -> dict[str, tuple[str, ...]]:
    """Canonical entity id -> the fact key it states (see the module docstring).

    Entities stating the same key (four Sanction records of one
    designation, two reports of one order) share it, so a timeline can show
    one event per fact with every source behind it. ``facts``: the case
    already read (by a timeline), so the store is not read again.
    """
    out: dict[str, tuple[str, ...]] = {}
    for key, members in sorted(_fact_keys(facts or CaseFacts(store)).items()):
        for m in members:
            out.setdefault(m, key)
    return out


def _shared_keys(facts: CaseFacts) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Entities that state one fact together (events, prices, links): each to its group."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, members in sorted(_fact_keys(facts).items()):
        group = tuple(sorted(set(members)))
        if key[0] == "entity" or len(group) < 2 or any(m in out for m in group):
            continue
        for m in group:
            out[m] = (group[0], group)
    return out


def _fact_keys(facts: CaseFacts) -> dict[tuple[str, ...], list[str]]:  # noqa: C901 — one key per kind of fact (sanction, trade, payment, ownership, ...): a branch each, read as a table
    """Entities that state the same fact (see the module docstring)."""
    keys: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for eid, schema in facts.schema.items():
        if schema == "Sanction":
            auth_values = facts.values(eid, "authority")
            code = next((c for c in AUTHORITIES if authority_matches(c, auth_values)), None)
            auth = code or "|".join(normalize(a) or a for a in auth_values)
            for target in facts.refs(eid, "entity"):
                keys[("Sanction", target, auth)].append(eid)
        elif schema in ("EconomicActivity", "Payment"):
            a, b, what = ("sender", "receiver", "goodsDescription") if schema == "EconomicActivity" \
                else ("payer", "beneficiary", "purpose")
            goods = "|".join(sorted(normalize(v) or v for v in facts.values(eid, what)))
            for x in facts.refs(eid, a):
                for y in facts.refs(eid, b):
                    keys[(schema, x, y, goods)].append(eid)
        elif schema == "Event":
            labels = [v for v in facts.values(eid, "summary") if ":" in v]
            if labels:
                for label in labels:
                    keys[("Event", normalize(label) or label)].append(eid)
            else:
                kinds = "|".join(facts.values(eid, "keywords"))
                keys[("Event", kinds, *facts.refs(eid, "involved"))].append(eid)
        elif schema == "Asset" and facts.values(eid, "amount"):
            for name in facts.values(eid, "name"):
                for currency in facts.values(eid, "currency") or [""]:
                    keys[("Asset", normalize(name) or name, currency)].append(eid)
        elif (edge := _edge_ends(schema)) is not None:
            for x in facts.refs(eid, edge[0]):
                for y in facts.refs(eid, edge[1]):
                    keys[(schema, x, y)].append(eid)
        else:
            keys[("entity", eid)].append(eid)
    return keys


def _edge_ends(schema_name: str) -> tuple[str, str] | None:
    schema = model.get(schema_name)
    if schema is None or not schema.edge or schema.source_prop is None or schema.target_prop is None:
        return None
    return schema.source_prop.name, schema.target_prop.name


def _reason(key: tuple[str, ...], prop: str, facts: CaseFacts, members: list[str]) -> str:
    if key[0] == "Asset":
        return f"different prices of one {facts.caption(members[0])} ({key[2]}) from different sources"
    if key[0] == "Event":
        label = (facts.values(members[0], "summary") or [facts.caption(members[0])])[0]
        return f"different {prop} values for {label} from different sources"
    return f"different {prop} values from different sources"


def conflicts(facts: CaseFacts) -> list[Conflict]:
    out: list[Conflict] = []
    for key, members in sorted(_fact_keys(facts).items()):
        schema = model.get(facts.schema[members[0]])
        by_prop: dict[str, list[Statement]] = defaultdict(list)
        for eid in members:
            for s in facts.stmts[eid]:
                if s.removed_at is None and s.prop in SINGLE_VALUED:
                    by_prop[s.prop].append(s)
        for prop, stmts in sorted(by_prop.items()):
            p = schema.get(prop) if schema else None
            type_name = p.type.name if p else "string"
            conflict = _incompatible(stmts, type_name)
            if conflict:
                out.append(_conflict(facts, key, members, prop, conflict, _reason(key, prop, facts, members)))
    out.extend(_maker_conflicts(facts))
    return out


def _incompatible(stmts: list[Statement], type_name: str) -> dict[str, list[Statement]] | None:
    """Values grouped, when two incompatible ones come from different sources."""
    values: dict[str, list[Statement]] = defaultdict(list)
    for s in stmts:
        values[s.value].append(s)
    names = sorted(values)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if compatible(a, b, type_name):
                continue
            src_a = {(s.dataset, s.source) for s in values[a]}
            src_b = {(s.dataset, s.source) for s in values[b]}
            if src_a != src_b or len(src_a) > 1:
                return dict(values)
    return None


def _conflict(facts: CaseFacts, key: tuple[str, ...], members: list[str], prop: str,
              values: dict[str, list[Statement]], reason: str) -> Conflict:
    subjects = [m for m in members] if key[0] == "entity" else [k for k in key[1:3] if k in facts.schema]
    subjects += [p for m in members for p in facts.refs(m, "involved")]  # the parties of an event
    return {
        "kind": "conflict",
        "key": list(key),
        "entities": [facts.party(e) for e in dict.fromkeys(subjects + members)],
        "prop": prop,
        "reason": reason,
        "values": [
            {
                "value": value,
                "entity": sorted({facts.cmap.get(s.entity_id, s.entity_id) for s in stmts}),
                "sources": [_fact_source(s, facts.publishers) for s in stmts],
                "publishers": sorted({facts.publishers.get(s.source) or s.dataset for s in stmts}),
            }
            for value, stmts in sorted(values.items())
        ],
    }


def _maker_conflicts(facts: CaseFacts) -> list[Conflict]:
    """A product (edge target) attributed to two different makers by different sources."""
    makers: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for eid, schema_name in facts.schema.items():
        schema = model.get(schema_name)
        if schema is None or not schema.edge or schema.source_prop is None or schema.target_prop is None:
            continue
        words = " ".join(facts.values(eid, "role") + facts.values(eid, "relationship")
                         + facts.values(eid, "description"))
        if not _MAKER.search(words):
            continue
        for s in facts.stmts[eid]:
            if s.prop == schema.source_prop.name and s.removed_at is None:
                for product in facts.refs(eid, schema.target_prop.name):
                    makers[product][facts.cmap.get(s.value, s.value)].append(s)
    out: list[Conflict] = []
    for product, by_maker in sorted(makers.items()):
        if len(by_maker) < 2:
            continue
        sources = {m: {(s.dataset, s.source) for s in stmts} for m, stmts in by_maker.items()}
        if len({frozenset(v) for v in sources.values()}) < 2:
            continue
        values = {facts.caption(m): stmts for m, stmts in by_maker.items()}
        item = _conflict(facts, ("maker", product), [product], "maker", values,
                         f"{facts.caption(product)} is attributed to different makers")
        item["entities"] = [facts.party(product)] + [facts.party(m) for m in sorted(by_maker)]
        out.append(item)
    return out
