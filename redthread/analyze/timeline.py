"""Dated facts and events in order, for one entity or the whole case.

Every date-typed property value becomes an event (a designation's start, a
shipment, a payment, a stake acquired, an incorporation), described in words
from the entity's schema and its parties; document publications and values
removed by a later load (with their removal date) are events too. Each event
carries its evidence.

One fact is one event: entities that state the same fact (four Sanction
records of one designation, two reports of one order — the fact keys of
:mod:`redthread.analyze.claims`) give one event with every source behind it;
a partial date joins the precise one it fits. When sources date one fact
differently, each date is an event and lists the others as ``disputed``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from followthemoney import model

from redthread.analyze.claims import CaseFacts, fact_groups
from redthread.model import Statement
from redthread.model.analysis import EntityJSON, Event
from redthread.model.evidence import Evidence
from redthread.model.records import EvidenceDict
from redthread.store import Store

Describe = Callable[["_Case", EntityJSON, str], str]

#: How to say what happened, per schema (``prop`` is the date property).
DESCRIBE: dict[str, Describe] = {}


def describes(*schemata: str) -> Callable[[Describe], Describe]:
    def wrap(fn: Describe) -> Describe:
        for name in schemata:
            DESCRIBE[name] = fn
        return fn

    return wrap


class _Case:
    """Names and entities for descriptions: those of the case's facts, read once."""

    def __init__(self, facts: CaseFacts) -> None:
        self.store = facts.store
        self.cmap = facts.cmap
        self.entities = facts.entities

    def cid(self, raw: str) -> str:
        return self.cmap.get(raw, raw)

    def name(self, raw: str) -> str:
        ent = self.entities.get(self.cid(raw))
        return str(ent["caption"]) if ent else raw

    def names(self, ent: EntityJSON, prop: str) -> str:
        return ", ".join(self.name(v) for v in ent["properties"].get(prop, [])) or "?"

    def first(self, ent: EntityJSON, prop: str) -> str:
        values = ent["properties"].get(prop, [])
        return str(values[0]) if values else ""


@describes("Sanction")
def _sanction(case: _Case, ent: EntityJSON, prop: str) -> str:
    who = case.first(ent, "authority") or "an authority"
    verb = {"endDate": "lifts sanctions on"}.get(prop, "sanctions")
    program = case.first(ent, "program")
    return f"{who} {verb} {case.names(ent, 'entity')}" + (f" ({program})" if program else "")


@describes("EconomicActivity")
def _trade(case: _Case, ent: EntityJSON, prop: str) -> str:
    goods = case.first(ent, "goodsDescription") or case.first(ent, "vedCode") or "goods"
    said = f"{case.names(ent, 'sender')} ships {goods} to {case.names(ent, 'receiver')}"
    # Read from prose (it names its proof document): a claim, not a customs declaration.
    return f"claimed: {said}" if ent["properties"].get("proof") else said


@describes("Payment")
def _payment(case: _Case, ent: EntityJSON, prop: str) -> str:
    amount = " ".join(x for x in (case.first(ent, "amount"), case.first(ent, "currency")) if x)
    return f"{case.names(ent, 'payer')} pays {amount or 'money'} to {case.names(ent, 'beneficiary')}".replace("  ", " ")


@describes("Ownership")
def _ownership(case: _Case, ent: EntityJSON, prop: str) -> str:
    pct = case.first(ent, "percentage")
    share = f"{pct}% of " if pct else ""
    verb = "stops owning" if prop == "endDate" else "owns"
    return f"{case.names(ent, 'owner')} {verb} {share}{case.names(ent, 'asset')}"


@describes("Event")
def _event(case: _Case, ent: EntityJSON, prop: str) -> str:
    """An event told in prose: its label and who took part."""
    label = case.first(ent, "summary") or case.first(ent, "name") or "event"
    who = ent["properties"].get("involved", [])
    return f"{label} ({case.names(ent, 'involved')})" if who else label


def _edge(case: _Case, ent: EntityJSON, prop: str) -> str:
    schema = model.get(ent["schema"])
    if schema is None or schema.source_prop is None or schema.target_prop is None:
        return _generic(case, ent, prop)
    label = schema.edge_label or schema.label
    prefix = "ends: " if prop == "endDate" else ""
    return (f"{prefix}{case.names(ent, schema.source_prop.name)} {label} "
            f"{case.names(ent, schema.target_prop.name)}")


def _generic(case: _Case, ent: EntityJSON, prop: str) -> str:
    schema = model.get(ent["schema"])
    p = schema.get(prop) if schema else None
    return f"{ent['caption']}: {p.label if p else prop}"


def _describe(case: _Case, ent: EntityJSON, prop: str) -> str:
    fn = DESCRIBE.get(ent["schema"])
    if fn is not None:
        return fn(case, ent, prop)
    schema = model.get(ent["schema"])
    if schema is not None and schema.edge and prop in ("startDate", "endDate", "date"):
        return _edge(case, ent, prop)
    return _generic(case, ent, prop)


def _evidence(s: Statement) -> EvidenceDict:
    return Evidence.of(s).to_dict()


def _involved(case: _Case, ent: EntityJSON) -> list[str]:
    schema = model.get(ent["schema"])
    ids = [ent["id"]]
    if schema is None:
        return ids
    for prop_name, values in ent["properties"].items():
        prop = schema.get(prop_name)
        if prop is not None and prop.type.name == "entity":
            ids += [case.cid(v) for v in values]
    return list(dict.fromkeys(ids))


def _same_dates(stmts: list[Statement]) -> list[tuple[str, list[Statement]]]:
    """Statements grouped by date, a partial date joining the precise one it fits
    ("2024-06" with "2024-06-12"), so one fact is one event."""
    groups: list[tuple[str, list[Statement]]] = []
    for value in sorted({s.value for s in stmts}, key=len, reverse=True):
        for when, members in groups:
            if when.startswith(value):
                members.extend(s for s in stmts if s.value == value)
                break
        else:
            groups.append((value, [s for s in stmts if s.value == value]))
    return groups


def _fact_event(case: _Case, prop: str, when: str, stmts: list[Statement],
                disputed: list[str]) -> list[Event]:
    """One event for one dated fact, however many entities and sources state it."""
    members = list(dict.fromkeys(case.cid(s.entity_id) for s in stmts))
    ents = [case.entities[m] for m in members if m in case.entities]
    if not ents:
        return []
    ent = ents[0]
    parties = list(dict.fromkeys(p for e in ents for p in _involved(case, e)))
    event: Event = {
        "date": when, "event": _describe(case, ent, prop), "kind": "fact",
        "entity": {"id": ent["id"], "name": ent["caption"], "schema": ent["schema"]},
        "prop": prop, "value": when,
        "parties": [{"id": p, "name": case.name(p)} for p in parties],
        "evidence": [_evidence(s) for s in stmts],
        "sources": sorted({s.source for s in stmts}),
    }
    if len(members) > 1:
        event["entities"] = [{"id": e["id"], "name": e["caption"], "schema": e["schema"]} for e in ents]
    if disputed:
        event["disputed"] = sorted(disputed)  # other sources date the same fact otherwise
    return [event]


def _money(usd: float) -> str:
    for size, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(usd) >= size:
            return f"${usd / size:.1f}{unit}"
    return f"${usd:,.0f}"


def customs_events(store: Store, entity_id: str | None = None) -> list[Event]:
    """Customs records on the timeline, kind ``customs``.

    For one party: its records per month and counterparty. For the whole
    case: one event per supplier -> buyer pair, dated at its first record
    (the span to its last in the text), so thousands of lines stay a few
    dozen events. The evidence is the largest record (``source:row``).
    """
    from redthread.trade.links import customs_links, customs_months

    rows = customs_months(store, entity_id) if entity_id else customs_links(store)
    out: list[Event] = []
    for r in rows:
        span = f"in {r['month']}" if entity_id else (
            f"from {r['first_date']} to {r['last_date']}" if r["first_date"] != r["last_date"] else f"on {r['first_date']}")
        chpl = f", {round(100 * r['chpl_usd'] / r['value_usd'])} % CHPL goods" if r["chpl_usd"] and r["value_usd"] else ""
        source, _, row = str(r["largest_record"] or "").rpartition(":")
        out.append({
            "date": r["first_date"], "kind": "customs", "entity": None, "prop": None, "value": r["value_usd"],
            "event": f"customs records: {r['supplier_name']} ships {_money(r['value_usd'])} to {r['buyer_name']} "
                     f"{span} ({r['records']} record(s){chpl})",
            "parties": [{"id": r["supplier"], "name": r["supplier_name"]}, {"id": r["buyer"], "name": r["buyer_name"]}],
            "evidence": [{"dataset": r["dataset"], "source": source or r["largest_record"],
                          "location": f"{r['largest_record']} (largest record)", "span": None,
                          "quote": r["largest_goods"], "confidence": 1.0, "hedge": None, "statement_id": None}],
            "sources": [source] if source else [],
        })
    return out


def timeline(store: Store, entity_id: str | None = None, *, customs: bool = True) -> list[Event]:  # noqa: C901 — one read of the statements feeds every kind of event (fact, published, removed, customs); each kind is its own helper
    """Events in date order: ``{date, event, kind, entity, prop, value, parties, evidence}``.

    ``kind`` is ``fact`` (a dated property value), ``published`` (a source
    document), ``removed`` (a value a later load no longer contained) or
    ``customs`` (customs records, :func:`customs_events`; off with ``customs=False``).
    With ``entity_id`` only events involving that entity are kept.
    """
    # One read of the store's statements (removed ones included) serves the
    # fact keys, the entities and the events below.
    every = list(store.statements(include_removed=True))
    facts = CaseFacts(store, every)
    case = _Case(facts)
    target = case.cid(entity_id) if entity_id else None
    keys = fact_groups(store, facts)
    by_fact: dict[tuple[tuple[str, ...], str], list[Statement]] = defaultdict(list)
    removed: list[Statement] = []
    for s in every:
        if s.removed_at is not None:
            if not s.is_meta:
                removed.append(s)
            continue
        schema = model.get(s.schema)
        ftm_prop = schema.get(s.prop) if schema and not s.is_meta else None
        if ftm_prop is not None and ftm_prop.type.name == "date":
            cid = case.cid(s.entity_id)
            by_fact[(keys.get(cid, ("entity", cid)), s.prop)].append(s)
    out: list[Event] = []
    for (_key, prop), stmts in by_fact.items():
        for when, group in _same_dates(stmts):
            out.extend(_fact_event(case, prop, when, group, disputed=[w for w, _ in _same_dates(stmts) if w != when]))
    by_source: dict[str, set[str]] = defaultdict(set)
    if target:
        for s in every:
            if s.removed_at is None:
                by_source[s.source].add(case.cid(s.entity_id))
    for doc in store.documents():
        if not doc.published_at:
            continue
        mentioned = sorted(by_source.get(doc.id, ()))
        out.append({
            "date": doc.published_at, "event": f"published: {doc.title or doc.id}"
            + (f" ({doc.publisher})" if doc.publisher else ""), "kind": "published",
            "entity": None, "prop": None, "value": doc.id,
            "parties": [{"id": p, "name": case.name(p)} for p in mentioned],
            "evidence": [Evidence.of_document(doc.dataset, doc.id, doc.path).to_dict()],
        })
    for s in removed:
        cid = case.cid(s.entity_id)
        ent = case.entities.get(cid)
        name = ent["caption"] if ent else cid
        parties = _involved(case, ent) if ent else [cid]
        if s.value in case.cmap or s.value in case.entities:
            parties.append(case.cid(s.value))  # a removed link still names its party
        out.append({
            "date": (s.removed_at or "")[:10], "event": f"removed from {s.dataset}: {name} {s.prop} = {s.value}",
            "kind": "removed", "entity": {"id": cid, "name": name, "schema": s.schema},
            "prop": s.prop, "value": s.value,
            "parties": [{"id": p, "name": case.name(p)} for p in parties],
            "evidence": [_evidence(s)],
        })
    if target:
        out = [e for e in out if any(p["id"] == target for p in e["parties"])]
    if customs:
        out.extend(customs_events(store, target))
    out.sort(key=lambda e: (e["date"], e["event"]))
    return out
