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
- for "maker" links (an edge whose role says it makes, manufactures or
  produces): the product, so two different makers conflict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from followthemoney import model
from normality import normalize

from redthread.analyze.sanctions import AUTHORITIES, authority_matches
from redthread.model import Statement
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


def _fact_source(s: Statement, publishers: dict[str, str]) -> dict[str, Any]:
    return {
        "dataset": s.dataset, "source": s.source, "location": s.location,
        "span": [s.span_start, s.span_end] if s.span_start is not None else None,
        "quote": s.quote, "confidence": s.confidence, "hedge": s.hedge,
        "publisher": publishers.get(s.source) or s.dataset, "statement_id": s.id,
    }


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


class _Facts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.cmap = store.canonical_map()
        self.publishers = {d.id: d.publisher for d in store.documents() if d.publisher}
        self.stmts: dict[str, list[Statement]] = defaultdict(list)
        self.schema: dict[str, str] = {}
        for s in store.statements():
            cid = self.cmap.get(s.entity_id, s.entity_id)
            self.stmts[cid].append(s)
            if s.prop == BASE:
                self.schema.setdefault(cid, s.schema)
        self.entities = {e["id"]: e for e in store.entities()}

    def caption(self, eid: str) -> str:
        ent = self.entities.get(eid)
        return str(ent["caption"]) if ent else eid

    def party(self, eid: str) -> dict[str, Any]:
        ent = self.entities.get(eid)
        return {"id": eid, "name": ent["caption"] if ent else eid, "schema": ent["schema"] if ent else None}

    def values(self, eid: str, prop: str) -> list[str]:
        return sorted({s.value for s in self.stmts.get(eid, []) if s.prop == prop})

    def refs(self, eid: str, prop: str) -> list[str]:
        return sorted({self.cmap.get(v, v) for v in self.values(eid, prop)})


def claims(
    store: Store, conflicts_only: bool = False, single_source: bool = False, *, entity_id: str | None = None
) -> list[dict[str, Any]]:
    """Facts with their support, or (``conflicts_only``) the contradictions.

    A fact: ``{entity, prop, value, sources, source_count, publishers,
    independent, single_source}``. With ``single_source`` only facts resting
    on one publisher are returned. A contradiction: ``{kind: "conflict",
    key, entities, prop, reason, values: [{value, entity, sources,
    publishers}]}``. ``entity_id`` keeps only facts or conflicts about it.
    """
    facts = _Facts(store)
    target = store.canonical_id(entity_id) if entity_id else None
    if conflicts_only:
        found = conflicts(facts)
        if target:
            found = [c for c in found if any(e["id"] == target for e in c["entities"])]
        return found
    out = []
    for eid in sorted(facts.stmts):
        if target and eid != target:
            continue
        groups: dict[tuple[str, str], list[Statement]] = defaultdict(list)
        for s in facts.stmts[eid]:
            if s.is_meta:
                continue
            groups[(s.prop, s.value)].append(s)
        for (prop, value), stmts in sorted(groups.items()):
            sources = [_fact_source(s, facts.publishers) for s in stmts]
            publishers = sorted({src["publisher"] for src in sources})
            item = {
                "entity": facts.party(eid), "prop": prop, "value": value, "sources": sources,
                "source_count": len({(src["dataset"], src["source"]) for src in sources}),
                "publishers": publishers, "independent": len(publishers),
                "single_source": len(publishers) == 1,
            }
            if single_source and not item["single_source"]:
                continue
            out.append(item)
    return out


def _fact_keys(facts: _Facts) -> dict[tuple[str, ...], list[str]]:
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
        else:
            keys[("entity", eid)].append(eid)
    return keys


def conflicts(facts: _Facts) -> list[dict[str, Any]]:
    out = []
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
                out.append(_conflict(facts, key, members, prop, conflict,
                                     f"different {prop} values from different sources"))
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


def _conflict(facts: _Facts, key: tuple[str, ...], members: list[str], prop: str,
              values: dict[str, list[Statement]], reason: str) -> dict[str, Any]:
    subjects = [m for m in members] if key[0] == "entity" else [k for k in key[1:3] if k in facts.schema]
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


def _maker_conflicts(facts: _Facts) -> list[dict[str, Any]]:
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
    out = []
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
