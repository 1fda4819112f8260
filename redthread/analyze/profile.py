"""An entity profile: every property value with its sources, and its links.

This is the view behind ``redthread entity`` and the API's entity endpoint:
for each value, which dataset and source said it, where (record location or
character span), the quote, the extractor and confidence, when it was first
and last seen, and whether a later load removed it.
"""

from __future__ import annotations

from collections import defaultdict

from followthemoney import model

from redthread.model import Statement, assemble
from redthread.model.analysis import (
    Counterpart,
    EntityJSON,
    Profile,
    ProfileLink,
    PropertyValues,
    ValueSource,
)
from redthread.model.evidence import Evidence
from redthread.model.statement import BASE
from redthread.store import Store


def _source(s: Statement) -> ValueSource:
    """A value's evidence, with who stated it and its history (the profile shows every source)."""
    return {**Evidence.of(s).to_dict(), "origin": s.origin, "last_seen": s.last_seen, "removed_at": s.removed_at}


def profile(store: Store, entity_id: str) -> Profile | None:
    """The profile of one entity, or ``None`` if the store has no such entity."""
    with store.resolution_snapshot():
        return _profile(store, entity_id)


def _profile(store: Store, entity_id: str) -> Profile | None:
    cid = store.canonical_id(entity_id)
    stmts = store.entity_statements(cid, include_removed=True)
    entity = assemble(stmts, entity_id=cid)
    if entity is None and not stmts:
        return None
    values: dict[str, dict[str, list[ValueSource]]] = defaultdict(lambda: defaultdict(list))
    for s in stmts:
        if s.prop == BASE or s.prop.startswith("$"):
            continue
        values[s.prop][s.value].append(_source(s))
    props: list[PropertyValues] = []
    schema = model.get(entity["schema"]) if entity else model.get(stmts[0].schema)
    for prop_name in sorted(values):
        prop = schema.get(prop_name) if schema else None
        props.append(
            {
                "prop": prop_name,
                "label": prop.label if prop else prop_name,
                "type": prop.type.name if prop else "",
                "values": [
                    {
                        "value": value,
                        "removed": all(src["removed_at"] for src in sources),
                        "sources": sources,
                    }
                    for value, sources in sorted(values[prop_name].items())
                ],
            }
        )
    return {
        "entity": entity,
        "removed": entity is None,
        "members": store.members(cid),
        "properties": props,
        "links": links(store, cid, stmts),
    }


def links(store: Store, cid: str, own: list[Statement] | None = None) -> list[ProfileLink]:
    """Entities this one points to, and entities (often edges) pointing here."""
    own = own if own is not None else store.entity_statements(cid, include_removed=False)
    out: list[ProfileLink] = []
    seen: set[tuple[str, str, str]] = set()
    for s in own:
        if s.removed_at is not None or s.prop == BASE or s.prop.startswith("$"):
            continue
        schema = model.get(s.schema)
        prop = schema.get(s.prop) if schema else None
        if prop is None or prop.type.name != "entity":
            continue
        key = ("out", s.prop, s.value)
        if key in seen:
            continue
        seen.add(key)
        other = store.entity(s.value)
        out.append(
            {"direction": "out", "prop": s.prop, "id": store.canonical_id(s.value),
             "schema": other["schema"] if other else None,
             "caption": other["caption"] if other else s.value}
        )
    for s in store.referencing(cid):
        key = ("in", s.prop, s.entity_id)
        if key in seen:
            continue
        seen.add(key)
        other = store.entity(s.entity_id)
        link: ProfileLink = {
            "direction": "in", "prop": s.prop, "id": store.canonical_id(s.entity_id),
            "schema": other["schema"] if other else s.schema,
            "caption": other["caption"] if other else s.entity_id,
        }
        if other is not None:
            link["counterpart"] = _counterpart(store, other, s.prop)
            if other["properties"].get("proof"):
                # Told in a document: the sentence beside the link; a shipment told so is a claim,
                # not a customs declaration, whatever FtM calls the schema.
                link["claimed"] = {"source": s.source, "quote": s.quote,
                                   "span": [s.span_start, s.span_end] if s.span_start is not None else None}
        out.append(link)
    return out


def _counterpart(store: Store, edge: EntityJSON, via: str) -> Counterpart | None:
    """For an edge entity (Ownership, Control, ...), the party at its other end."""
    schema = model.get(edge["schema"])
    if schema is None:
        return None
    if schema.edge and schema.source_prop is not None and schema.target_prop is not None:
        src, tgt = schema.source_prop.name, schema.target_prop.name
        other_prop = tgt if via == src else src if via == tgt else None
    else:  # not an FtM edge (a shipment: sender -> receiver): the first other featured party property
        other_prop = next((name for name in schema.featured if name != via and schema.get(name) is not None
                           and schema.properties[name].type.name == "entity"
                           and edge["properties"].get(name)), None)
    if other_prop is None:
        return None
    for value in edge["properties"].get(other_prop, []):
        ent = store.entity(value)
        return {
            "prop": other_prop,
            "id": store.canonical_id(value),
            "caption": ent["caption"] if ent else value,
            "schema": ent["schema"] if ent else None,
        }
    return None
