"""What a run compares: each list entity as screening sees it, fingerprinted.

A :class:`Snapshot` is one entity (resolution applied) with two
fingerprints: ``match`` over what the scorer reads (schema, names,
countries, birth dates, identifiers) and ``details`` over its sanctions
(programme, authority, dates, provisions, status) and topics. A run keeps
both per entity; the next run re-screens an entity only when its match
fingerprint moved, and raises a "details changed" alert when only the
details did.

:func:`changed_since` finds the entities whose statements were added or
removed since a moment (``first_seen`` / ``removed_at``), mapping a changed
Sanction to the entity it sanctions. Fingerprints then drop the entities
whose statements were re-issued without a change in content (a list whose
statement identity moved with its line numbers still re-screens only what
really changed).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

import orjson
from followthemoney import model

from redthread.model import Entity, Statement, assemble
from redthread.screen.record import Record, entity_record
from redthread.store import Store

#: Sanction properties whose change is reported as "sanction details changed".
SANCTION_PROPS = ("program", "programId", "authority", "startDate", "endDate", "listingDate", "provisions",
                  "status", "reason", "country", "unscId", "authorityId")
_MATCHABLE = frozenset(s.name for s in model.schemata.values() if s.matchable and not s.is_a("Address"))


class NameSource(TypedDict):
    """Where a matched name was stated."""

    dataset: str
    source: str
    location: str
    first_seen: str | None


class EntityBrief(TypedDict):
    """What an alert shows of the listed entity."""

    id: str
    schema: str
    caption: str
    names: list[str]
    countries: list[str]
    birth_dates: list[str]
    identifiers: dict[str, list[str]]
    topics: list[str]
    datasets: list[str]


@dataclass
class Snapshot:
    id: str
    entity: Entity
    record: Record
    sanctions: list[dict[str, list[str]]]
    statements: list[Statement] = field(default_factory=list)
    content: str = ""

    @property
    def caption(self) -> str:
        return self.entity.caption

    @property
    def match_fp(self) -> str:
        r = self.record
        body = [r.schema, sorted(n.text for n in r.names), sorted(r.countries), sorted(r.birth_dates),
                {k: sorted(v) for k, v in sorted(r.identifiers.items())}]
        return hashlib.sha1(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()

    @property
    def details_fp(self) -> str:
        """The sanction details themselves, as canonical JSON (kept, so a change can be shown)."""
        topics = sorted(self.entity.values_of("topics"))
        return orjson.dumps({"topics": topics, "sanctions": self.sanctions}, option=orjson.OPT_SORT_KEYS).decode()

    def name_sources(self, name: str) -> list[NameSource]:
        """Where the matched name was stated: dataset, source, record location, first seen."""
        return [NameSource(dataset=s.dataset, source=s.source, location=s.location, first_seen=s.first_seen)
                for s in self.statements if s.value == name and s.removed_at is None][:5]

    def brief(self) -> EntityBrief:
        return EntityBrief(
            id=self.id, schema=self.entity.schema, caption=self.caption,
            names=sorted(n.text for n in self.record.names)[:20],
            countries=sorted(self.record.countries), birth_dates=sorted(self.record.birth_dates),
            identifiers={k: sorted(v) for k, v in self.record.identifiers.items()},
            topics=self.entity.values_of("topics"), datasets=self.entity.datasets,
        )


def changed_since(store: Any, since: str, dataset: str | None = None) -> tuple[set[str], set[str]]:
    """Ids (as stored) of entities with a statement added or removed at or after ``since``.

    Inclusive: a load in the same second as the last run is looked at again
    (fingerprints tell whether anything changed). A changed Sanction counts
    for the entity it sanctions. Also returns the schemata that changed (an
    Ownership change means the 50 % rule must be worked out again).
    """
    sql = "SELECT DISTINCT entity_id, schema FROM statements WHERE (first_seen >= ? OR removed_at >= ?)"
    params: list[Any] = [since, since]
    if dataset is not None:
        sql += " AND dataset = ?"
        params.append(dataset)
    rows = store.query(sql, params)
    ids = {r[0] for r in rows if r[1] in _MATCHABLE}
    schemata = {r[1] for r in rows}
    sanctions = {r[0] for r in rows if r[1] == "Sanction"}
    if sanctions:
        for s in store.statements(entity_ids=sanctions, include_removed=True):
            if s.prop == "entity":
                ids.add(s.value)
    return ids, schemata


def all_entity_ids(store: Any, dataset: str | None = None) -> set[str]:
    """Ids of every active entity of a screenable schema."""
    sql = "SELECT DISTINCT entity_id, schema FROM statements WHERE removed_at IS NULL"
    params: list[Any] = []
    if dataset is not None:
        sql += " AND dataset = ?"
        params.append(dataset)
    return {r[0] for r in store.query(sql, params) if r[1] in _MATCHABLE}


def content_fingerprint(stmts: Iterable[Statement], sanctions: list[dict[str, list[str]]]) -> str:
    """A digest of an entity's active values and sanctions, cheap to compute (no name analysis)."""
    parts = sorted({f"{s.schema}\x1f{s.prop}\x1f{s.value}" for s in stmts if s.removed_at is None})
    parts.append(orjson.dumps(sanctions, option=orjson.OPT_SORT_KEYS).decode())
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()


def snapshots(store: Store, ids: Iterable[str], cmap: dict[str, str], dataset: str | None = None,  # noqa: C901 — the cheap path (fingerprint unchanged: skip) and the full one (assemble, sanctions, identifiers) in one read of the store
              known: dict[str, str] | None = None) -> dict[str, Snapshot | None]:
    """Canonical id -> its snapshot now (None: gone, or no longer screenable).

    With ``known`` (canonical id -> content fingerprint of the last run), an
    entity whose values and sanctions are the same is left out of the
    answer without being assembled or analysed: a reload that re-issued
    statements without changing them costs one read.
    """
    members: dict[str, str] = {}
    by_canonical: dict[str, list[str]] = defaultdict(list)
    for member, cid in cmap.items():
        by_canonical[cid].append(member)
    for eid in ids:
        cid = cmap.get(eid, eid)
        members[cid] = cid
        for m in by_canonical.get(cid, ()):
            members[m] = cid
    groups: dict[str, list[Statement]] = defaultdict(list)
    for s in store.statements(entity_ids=list(members)):
        if dataset is None or s.dataset == dataset:
            groups[members[s.entity_id]].append(s)
    # Sanctions pointing at any member.
    targets: dict[str, str] = {}
    for s in store.statements(prop_type="entity", values=list(members)):
        if s.schema == "Sanction" and s.prop == "entity":
            targets[s.entity_id] = members[s.value]
    sanctions: dict[str, list[dict[str, list[str]]]] = defaultdict(list)
    if targets:
        props: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for s in store.statements(entity_ids=list(targets)):
            if s.prop in SANCTION_PROPS:
                props[s.entity_id].setdefault(s.prop, []).append(s.value)
        for sid, cid in targets.items():
            if sid in props:
                sanctions[cid].append({k: sorted(set(v)) for k, v in sorted(props[sid].items())})
    out: dict[str, Snapshot | None] = {}
    for cid in {members[m] for m in members}:
        stmts = groups.get(cid, [])
        cid_sanctions = sorted(sanctions.get(cid, []), key=lambda d: orjson.dumps(d, option=orjson.OPT_SORT_KEYS))
        content = content_fingerprint(stmts, cid_sanctions) if stmts else ""
        if known is not None and content and known.get(cid) == content:
            continue
        ent = assemble(stmts, entity_id=cid) if stmts else None
        if ent is None or ent.schema not in _MATCHABLE:
            out[cid] = None
            continue
        record = entity_record(ent)
        if not record.names and not record.identifiers:
            out[cid] = None
            continue
        out[cid] = Snapshot(cid, ent, record, cid_sanctions, stmts, content)
    return out


def details_diff(before: str, after: str) -> dict[str, dict[str, list[str]]]:
    """Sanction values (and topics) added or removed between two details fingerprints, by property."""

    def values(text: str) -> dict[str, set[str]]:
        data = orjson.loads(text) if text else {}
        out: dict[str, set[str]] = defaultdict(set)
        out["topics"].update(data.get("topics", []))
        for sanction in data.get("sanctions", []):
            for prop, vals in sanction.items():
                out[prop].update(vals)
        return out

    old, new = values(before), values(after)
    diff: dict[str, dict[str, list[str]]] = {}
    for prop in sorted(set(old) | set(new)):
        added, removed = sorted(new[prop] - old[prop]), sorted(old[prop] - new[prop])
        if added or removed:
            diff[prop] = {"added": added, "removed": removed}
    return diff
