"""Facts added or corrected by hand, each stored as statements with the analyst as origin.

An analyst adds what no source gave (an entity, a link such as owner or
director, a property value) or corrects what a source got wrong (a party
typed as a person that is a company). Each edit is one load into the
:data:`DATASET` dataset, with its own source ``edit:<id>``, so it is
traceable like any other fact:

- ``origin`` is ``analyst:<user>``, ``location`` says when and who, and
  the analyst's note is the statements' ``quote`` (the why, shown beside
  the value wherever sources are shown);
- undo loads the same source again with nothing in it: the store marks
  the edit's statements removed (kept, with the date) as for any source
  that stopped saying something. Nothing is deleted.

A retype is a base (``id``) statement with the new schema; when the
schemata of an entity's statements disagree, an analyst's retype decides
(:func:`redthread.model.entity.assemble`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from followthemoney import model
from followthemoney.schema import Schema

from redthread.errors import InputError, RedthreadError
from redthread.model import Entity, now_iso
from redthread.model.records import EditDict, StatementDict
from redthread.model.statement import ANALYST_ORIGIN, BASE, Statement
from redthread.store import Store
from redthread.store.base import LoadBatch

#: The dataset every manual fact lives in.
DATASET = "analyst"
#: Edit kinds, for listing.
KINDS = ("entity", "link", "property", "retype")


@dataclass
class Edit:
    """One manual edit: what it said, who, why, and whether it was undone."""

    id: str
    kind: str
    user: str
    note: str
    at: str
    entity_id: str
    statements: list[StatementDict] = field(default_factory=list)
    undone_at: str | None = None

    def to_dict(self) -> EditDict:
        return EditDict(id=self.id, kind=self.kind, user=self.user, note=self.note, at=self.at,
                        entity_id=self.entity_id, statements=list(self.statements), undone_at=self.undone_at)


def _schema(name: str, *, field_name: str = "schema") -> Schema:
    schema = model.get(name)
    if schema is None:
        raise InputError(f"unknown schema {name!r} (an FtM schema such as Company, Person, Ownership)",
                         field=field_name)
    return schema


def _clean(schema: Schema, prop: str, value: str, field_name: str) -> str:
    """The value cleaned by FtM's type of ``prop``; a clear error naming the field when it is not valid."""
    p = schema.get(prop)
    if p is None:
        raise InputError(f"{schema.name} has no property {prop!r}", field=field_name)
    if p.stub:
        raise InputError(f"{schema.name}.{prop} is filled from the other side of a link", field=field_name)
    cleaned = p.type.clean(str(value).strip(), proxy=None)
    if not cleaned:
        raise InputError(f"{value!r} is not a valid {p.type.name} for {schema.name}.{prop}", field=field_name)
    return str(cleaned)


def _edit_id(kind: str, user: str, at: str, *parts: str) -> str:
    return hashlib.sha1("|".join((kind, user, at, *parts)).encode("utf-8")).hexdigest()[:12]


def _write(store: Store, edit_id: str, kind: str, user: str, note: str, at: str,
           rows: list[tuple[str, str, str, str]]) -> Edit:
    """Store rows ``(entity id, schema, prop, value)`` as one edit."""
    if not note.strip():
        raise InputError("say why in a note: it is kept as the source of this fact", field="note")
    source = f"edit:{edit_id}"
    stmts = [Statement(eid, schema, prop, value, DATASET, source=source, location=f"{kind} by {user} at {at}",
                       quote=note.strip(), origin=f"{ANALYST_ORIGIN}{user}", first_seen=at, last_seen=at)
             for eid, schema, prop, value in rows]
    store.write(LoadBatch(DATASET, source, stmts, origin=f"{ANALYST_ORIGIN}{user}"))
    return Edit(edit_id, kind, user, note.strip(), at, rows[0][0], [s.to_dict() for s in stmts])


def _existing(store: Store, entity_id: str, field_name: str) -> Entity:
    ent = store.entity(entity_id)
    if ent is None:
        raise InputError(f"no entity {entity_id!r} in the store", field=field_name)
    return ent


def add_entity(store: Store, schema: str, name: str, *, note: str, user: str,
               properties: dict[str, list[str]] | None = None) -> Edit:
    """A new party (or other thing) only the analyst knows of; its id is returned in the edit."""
    sch = _schema(schema)
    if not sch.matchable and not sch.is_a("Thing"):
        raise InputError(f"{schema} is not a thing that can be added as an entity; add a link instead",
                         field="schema")
    at = now_iso()
    eid = "analyst-" + _edit_id("entity", user, at, schema, name)
    rows = [(eid, sch.name, BASE, eid), (eid, sch.name, "name", _clean(sch, "name", name, "name"))]
    for prop, values in (properties or {}).items():
        rows.extend((eid, sch.name, prop, _clean(sch, prop, v, f"properties.{prop}")) for v in values)
    return _write(store, eid.removeprefix("analyst-"), "entity", user, note, at, rows)


def add_link(store: Store, schema: str, source_id: str, target_id: str, *, note: str, user: str,
             properties: dict[str, list[str]] | None = None) -> Edit:
    """A link between two parties (Ownership, Directorship, Representation, ...): an FtM edge entity.

    ``source_id`` fills the schema's source side (the owner, the director,
    the agent), ``target_id`` its target side (the asset, the organization).
    """
    sch = _schema(schema)
    if not sch.edge or sch.source_prop is None or sch.target_prop is None:
        raise InputError(f"{schema} is not a link; use one of "
                         f"{', '.join(sorted(s.name for s in model.schemata.values() if s.edge and not s.abstract))}",
                         field="schema")
    if store.canonical_id(source_id) == store.canonical_id(target_id):
        raise InputError("a link needs two different parties", field="target_id")
    src = _existing(store, source_id, "source_id")
    dst = _existing(store, target_id, "target_id")
    for ent, side, fname in ((src, sch.source_prop, "source_id"), (dst, sch.target_prop, "target_id")):
        rng = side.range
        if rng is not None and not ent.is_a(rng.name):
            raise InputError(f"{sch.name}.{side.name} takes a {rng.name}; {ent.caption} is a {ent.schema}",
                             field=fname)
    at = now_iso()
    edit_id = _edit_id("link", user, at, schema, source_id, target_id)
    eid = f"analyst-{edit_id}"
    rows = [(eid, sch.name, BASE, eid), (eid, sch.name, sch.source_prop.name, src["id"]),
            (eid, sch.name, sch.target_prop.name, dst["id"])]
    for name, values in (properties or {}).items():
        rows.extend((eid, sch.name, name, _clean(sch, name, v, f"properties.{name}")) for v in values)
    return _write(store, edit_id, "link", user, note, at, rows)


def add_property(store: Store, entity_id: str, prop: str, value: str, *, note: str, user: str) -> Edit:
    """One more value of one property of an existing entity."""
    ent = _existing(store, entity_id, "entity_id")
    sch = ent.ftm_schema
    cleaned = _clean(sch, prop, value, "value" if sch.get(prop) else "prop")
    at = now_iso()
    edit_id = _edit_id("property", user, at, entity_id, prop, cleaned)
    return _write(store, edit_id, "property", user, note, at, [(ent.id, sch.name, prop, cleaned)])


def retype(store: Store, entity_id: str, schema: str, *, note: str, user: str) -> Edit:
    """Correct an entity's type (a company taken for a person); its values stay, the analyst's type wins."""
    ent = _existing(store, entity_id, "entity_id")
    sch = _schema(schema)
    if not sch.matchable:
        raise InputError(f"{schema} is not a party type (use Company, Person, Organization, LegalEntity, ...)",
                         field="schema")
    if sch.name == ent.schema:
        raise InputError(f"{ent.caption} is a {schema} already", field="schema")
    at = now_iso()
    edit_id = _edit_id("retype", user, at, entity_id, schema)
    return _write(store, edit_id, "retype", user, note, at, [(ent.id, sch.name, BASE, ent.id)])


def edits(store: Store, entity_id: str | None = None) -> list[Edit]:
    """Every manual edit, newest first (undone ones too, with when); ``entity_id``: only those touching it."""
    groups: dict[str, list[Statement]] = defaultdict(list)
    for st in store.statements(dataset=DATASET, include_removed=True):
        groups[st.source].append(st)
    want = store.canonical_id(entity_id) if entity_id else None
    out: list[Edit] = []
    for source, stmts in groups.items():
        first = stmts[0]
        kind = first.location.split(" by ", 1)[0]
        user = first.origin.removeprefix(ANALYST_ORIGIN)
        touched = {store.canonical_id(s.entity_id) for s in stmts}
        touched |= {store.canonical_id(s.value) for s in stmts if _is_entity_prop(s)}
        if want is not None and want not in touched:
            continue
        main = next((s.entity_id for s in stmts if s.prop == BASE), first.entity_id)
        removed = [s.removed_at for s in stmts if s.removed_at]
        out.append(Edit(source.removeprefix("edit:"), kind, user, first.quote or "", first.first_seen or "", main,
                        [s.to_dict() for s in stmts], max(removed) if len(removed) == len(stmts) else None))
    out.sort(key=lambda e: (e.at, e.id), reverse=True)
    return out


def _is_entity_prop(st: Statement) -> bool:
    sch = model.get(st.schema)
    prop = sch.get(st.prop) if sch else None
    return prop is not None and prop.type.name == "entity"


def undo(store: Store, edit_id: str) -> Edit:
    """Take an edit back: its statements are marked removed (kept in history)."""
    found = next((e for e in edits(store) if e.id == edit_id), None)
    if found is None:
        raise RedthreadError(f"no edit {edit_id!r}; see `redthread edits`")
    if found.undone_at is not None:
        raise InputError(f"edit {edit_id} was undone already at {found.undone_at}", field="edit_id")
    store.write(LoadBatch(DATASET, f"edit:{edit_id}", [], origin=f"{ANALYST_ORIGIN}undo"))
    return next(e for e in edits(store) if e.id == edit_id)
