"""Turn FtM entities into provenance statements and back.

Entities are never stored whole: they are split into statements (one per
property value) and re-assembled on read, grouped by canonical id so that
resolution can merge entities without rewriting what any source said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema

from redthread.errors import InputError
from redthread.model.statement import (
    ANALYST_ORIGIN,
    BASE,
    META_DATASET,
    META_REFERENT,
    Statement,
    make_statement_id,
)


def _schema(name: str) -> Schema:
    schema = model.get(name)
    if schema is None:
        raise InputError(f"unknown FtM schema {name!r}", field="schema")
    return schema


def entity_statements(
    data: Mapping[str, Any],
    dataset: str,
    *,
    source: str = "",
    location: str = "",
    origin: str = "",
    confidence: float = 1.0,
    seen: str | None = None,
) -> list[Statement]:
    """Split one FtM entity (JSON form) into statements.

    Values are cleaned by FtM's type system (dates, countries, ...); when the
    cleaned form differs from the input the raw value is kept as
    ``original_value``. Unknown schemata or properties raise ``InputError``
    naming the field.
    """
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise InputError("entity has no 'id'", field="id")
    schema_name = data.get("schema")
    if not isinstance(schema_name, str):
        raise InputError("entity has no 'schema'", field="schema")
    schema = _schema(schema_name)
    if schema.abstract:
        raise InputError(f"schema {schema_name!r} is abstract", field="schema")
    props = data.get("properties") or {}
    if not isinstance(props, Mapping):
        raise InputError("'properties' must be an object", field="properties")
    first_seen = _str_or_none(data.get("first_seen")) or seen
    last_seen = _str_or_none(data.get("last_seen")) or seen

    def make(prop: str, value: str, original: str | None = None) -> Statement:
        return Statement(
            entity_id=entity_id,
            schema=schema.name,
            prop=prop,
            value=value,
            dataset=dataset,
            source=source,
            location=location,
            original_value=original if original != value else None,
            origin=origin,
            confidence=confidence,
            first_seen=first_seen,
            last_seen=last_seen,
        )

    out = [make(BASE, entity_id)]
    for prop_name, values in props.items():
        prop = schema.get(prop_name)
        if prop is None:
            raise InputError(
                f"schema {schema.name} has no property {prop_name!r}",
                field=f"properties.{prop_name}",
            )
        if isinstance(values, (str, int, float)):
            values = [values]
        if not isinstance(values, list):
            raise InputError("property values must be a list", field=f"properties.{prop_name}")
        for raw in values:
            if raw is None:
                continue
            text = str(raw)
            try:
                cleaned = prop.type.clean(text, proxy=None, fuzzy=False)
            except (InvalidData, ValueError) as exc:  # pragma: no cover - defensive
                raise InputError(str(exc), field=f"properties.{prop_name}") from exc
            if cleaned is None:
                raise InputError(
                    f"invalid {prop.type.name} value {text!r}",
                    field=f"properties.{prop_name}",
                )
            out.append(make(prop.name, cleaned, text))
    for ref in data.get("referents") or []:
        out.append(make(META_REFERENT, str(ref)))
    for ds in data.get("datasets") or []:
        if ds != dataset:
            out.append(make(META_DATASET, str(ds)))
    return out


def bulk_statements(
    schema_name: str,
    entities: Iterable[tuple[str, Mapping[str, list[str]], str]],
    dataset: str,
    *,
    source: str = "",
    origin: str = "",
    seen: str | None = None,
) -> list[Statement]:
    """:func:`entity_statements` of many entities of one schema: ``(id, properties, location)`` each.

    The same statements (a test holds them equal), built for bulk loads such
    as the parties of a customs file: each distinct raw value of a property
    is cleaned by FtM once, and ids are hashed as the statements are made
    (:func:`redthread.model.statement.make_statement_id`).
    """
    schema = _schema(schema_name)
    if schema.abstract:
        raise InputError(f"schema {schema_name!r} is abstract", field="schema")
    cleaned: dict[tuple[str, str], str] = {}
    out: list[Statement] = []
    for entity_id, props, location in entities:
        if not entity_id.strip():
            raise InputError("entity has no 'id'", field="id")
        rows: list[tuple[str, str, str | None]] = [(BASE, entity_id, None)]
        for prop_name, values in props.items():
            prop = schema.get(prop_name)
            if prop is None:
                raise InputError(f"schema {schema.name} has no property {prop_name!r}",
                                 field=f"properties.{prop_name}")
            for text in values:
                value = cleaned.get((prop_name, text))
                if value is None:
                    value = prop.type.clean(text, proxy=None, fuzzy=False)
                    if value is None:
                        raise InputError(f"invalid {prop.type.name} value {text!r}",
                                         field=f"properties.{prop_name}")
                    cleaned[(prop_name, text)] = value
                rows.append((prop.name, value, text))
        for prop_name, value, original in rows:
            out.append(Statement(
                entity_id=entity_id, schema=schema.name, prop=prop_name, value=value, dataset=dataset,
                source=source, location=location, original_value=original if original != value else None,
                origin=origin, first_seen=seen, last_seen=seen,
                id=make_statement_id(dataset, source, entity_id, schema.name, prop_name, value, location),
            ))
    return out


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def assemble(statements: Iterable[Statement], entity_id: str | None = None) -> dict[str, Any] | None:
    """Build one FtM entity dict from statements (removed ones skipped).

    With several schemata (merged entities) the most specific common schema
    wins. Returns ``None`` when nothing active is left.
    """
    stmts = [s for s in statements if s.removed_at is None]
    if not stmts:
        return None
    retyped = [s for s in stmts if s.prop == BASE and s.origin.startswith(ANALYST_ORIGIN)]
    if retyped:  # an analyst corrected the type: the latest correction wins over the sources
        schema = _schema(max(retyped, key=lambda s: (s.first_seen or "", s.id)).schema)
    else:
        schema = _common_schema({s.schema for s in stmts})
    props: dict[str, list[str]] = defaultdict(list)
    datasets: set[str] = set()
    referents: set[str] = set()
    first_seen: str | None = None
    last_seen: str | None = None
    ids = {s.entity_id for s in stmts}
    eid = entity_id or sorted(ids)[0]
    for s in stmts:
        datasets.add(s.dataset)
        if s.first_seen and (first_seen is None or s.first_seen < first_seen):
            first_seen = s.first_seen
        if s.last_seen and (last_seen is None or s.last_seen > last_seen):
            last_seen = s.last_seen
        if s.prop == BASE:
            continue
        if s.prop == META_REFERENT:
            referents.add(s.value)
            continue
        if s.prop == META_DATASET:
            datasets.add(s.value)
            continue
        if schema.get(s.prop) is None:
            continue
        if s.value not in props[s.prop]:
            props[s.prop].append(s.value)
    referents.update(i for i in ids if i != eid)
    proxy: EntityProxy = model.get_proxy(
        {"id": eid, "schema": schema.name, "properties": dict(props)}, cleaned=True
    )
    data: dict[str, Any] = {
        "id": eid,
        "schema": schema.name,
        "caption": proxy.caption,
        "properties": {k: sorted(v) for k, v in sorted(props.items())},
        "datasets": sorted(datasets),
        "referents": sorted(referents),
    }
    if first_seen:
        data["first_seen"] = first_seen
    if last_seen:
        data["last_seen"] = last_seen
    return data


def assemble_many(
    statements: Iterable[Statement], canonical: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Group statements by canonical id and assemble each group."""
    groups: dict[str, list[Statement]] = defaultdict(list)
    canonical = canonical or {}
    for s in statements:
        groups[canonical.get(s.entity_id, s.entity_id)].append(s)
    out = []
    for cid, stmts in groups.items():
        entity = assemble(stmts, entity_id=cid)
        if entity is not None:
            out.append(entity)
    return out


def _common_schema(names: set[str]) -> Schema:
    schemata = [_schema(n) for n in sorted(names)]
    result = schemata[0]
    for other in schemata[1:]:
        try:
            result = model.common_schema(result, other)
        except InvalidData:
            # Incompatible schemata on one id: keep the more specific by depth.
            if len(other.schemata) > len(result.schemata):
                result = other
    return result
