"""Turn FtM entities into provenance statements and back.

Entities are never stored whole: they are split into statements (one per
property value) and re-assembled on read, grouped by canonical id so that
resolution can merge entities without rewriting what any source said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from followthemoney import Dataset, StatementEntity, model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from redthread.errors import InputError
from redthread.model.statement import (
    ANALYST_ORIGIN,
    BASE,
    META_DATASET,
    META_LAST_CHANGE,
    META_REFERENT,
    META_TARGET,
    Statement,
    make_statement_id,
)

#: Called with a bad value's error instead of raising: the value is dropped, the entity kept.
InvalidValueFn = Callable[[InputError], None]


class Entity(dict[str, Any]):
    """One assembled entity as the store hands it out: FtM's JSON form with typed accessors.

    Why a ``dict`` underneath rather than FtM's ``StatementEntity`` itself:
    this JSON form (``id``, ``schema``, ``caption``, ``properties``,
    ``datasets``, ``referents``, ``first_seen``/``last_seen``,
    ``last_change``, ``target``) is what the API, the CLI, exports and
    dossiers have always sent, and readers in every layer index it. Keeping it
    means nothing downstream changes shape (a response, an export, a cached
    screening hit) while readers move to the accessors below, which mypy
    checks. Where FtM's behaviour is wanted (type-aware values, schema
    tests, merging) :meth:`proxy` gives the same entity as a
    ``StatementEntity``, built from the values the store assembled (cleaned
    already, so nothing is parsed twice).
    """

    #: The statements it was assembled from (removed ones left out), when the store made it.
    __slots__ = ("_statements",)

    def __init__(self, data: Mapping[str, Any] | None = None, statements: Iterable[Statement] = ()) -> None:
        super().__init__(data or {})
        self._statements: tuple[Statement, ...] = tuple(statements)

    @property
    def id(self) -> str:
        return str(self["id"])

    @property
    def schema(self) -> str:
        """The schema's name (the most specific one all merged members share)."""
        return str(self["schema"])

    @property
    def ftm_schema(self) -> Schema:
        return _schema(self.schema)

    @property
    def caption(self) -> str:
        return str(self.get("caption") or self.id)

    @property
    def properties(self) -> dict[str, list[str]]:
        props: dict[str, list[str]] = self.get("properties") or {}
        return props

    @property
    def datasets(self) -> list[str]:
        return list(self.get("datasets") or [])

    @property
    def referents(self) -> list[str]:
        return list(self.get("referents") or [])

    @property
    def first_seen(self) -> str | None:
        return _str_or_none(self.get("first_seen"))

    @property
    def last_seen(self) -> str | None:
        return _str_or_none(self.get("last_seen"))

    @property
    def target(self) -> bool | None:
        target = self.get("target")
        return target if isinstance(target, bool) else None

    def values_of(self, prop: str) -> list[str]:
        """Every value of one property (empty when it has none or the schema lacks it)."""
        return list(self.properties.get(prop, []))

    def first(self, prop: str) -> str | None:
        """The first value of a property (values are sorted), or None."""
        found = self.properties.get(prop)
        return found[0] if found else None

    def is_a(self, schema: str) -> bool:
        """Whether this entity's schema is (or extends) ``schema``: FtM's schema test."""
        return self.ftm_schema.is_a(schema)

    def proxy(self) -> StatementEntity:
        """The same entity as FtM's ``StatementEntity``.

        Built from the statements the store assembled it from, so each value
        keeps its dataset, first/last seen and original text; an entity made
        from JSON alone gets its values under one default dataset. Values the
        assembly dropped (removed, or a property the final schema lacks) stay out.
        """
        proxy = StatementEntity(_default_dataset(), {"id": self.id, "schema": self.schema,
                                                    "referents": self.referents})
        props = self.properties
        added: set[tuple[str, str]] = set()
        for s in getattr(self, "_statements", ()):
            if s.value in props.get(s.prop, ()):
                proxy.unsafe_add(self.ftm_schema.properties[s.prop], s.value, cleaned=True, dataset=s.dataset,
                                 seen=s.first_seen, original_value=s.original_value, origin=s.origin or None)
                added.add((s.prop, s.value))
        for prop, values in props.items():
            for value in values:
                if (prop, value) not in added:
                    proxy.unsafe_add(self.ftm_schema.properties[prop], value, cleaned=True)
        return proxy

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Validated and sent as its JSON form, so records naming it (``Profile.entity``) stay
        usable as response models: a plain ``dict`` in, an ``Entity`` out, the same JSON back."""
        return core_schema.no_info_after_validator_function(
            lambda data: data if isinstance(data, Entity) else cls(data), handler(dict),
            serialization=core_schema.plain_serializer_function_ser_schema(dict))

    def to_dict(self) -> dict[str, Any]:
        """A plain ``dict`` copy (the JSON form)."""
        return dict(self)


@cache
def _default_dataset() -> Dataset:
    """The dataset FtM files values under when an entity carries no statements."""
    return Dataset.make({"name": "redthread", "title": "redthread"})


def _schema(name: str) -> Schema:
    schema = model.get(name)
    if schema is None:
        raise InputError(f"unknown FtM schema {name!r}", field="schema")
    return schema


def entity_statements(  # noqa: C901 — one pass over an FtM entity's JSON: each way a value can be malformed is its own branch, reported per value (one bad value costs that value)
    data: Mapping[str, Any],
    dataset: str,
    *,
    source: str = "",
    location: str = "",
    origin: str = "",
    confidence: float = 1.0,
    seen: str | None = None,
    on_invalid: InvalidValueFn | None = None,
) -> list[Statement]:
    """Split one FtM entity (JSON form) into statements.

    Values are cleaned by FtM's type system (dates, countries, ...); when the
    cleaned form differs from the input the raw value is kept as
    ``original_value``. An unknown schema or a missing id raises
    ``InputError``: without them there is no entity; so does a property the
    schema lacks (a wrong mapping). A value that does not parse raises too,
    unless ``on_invalid`` is given: then that one value is reported to it and dropped, and the
    entity loads with all its good values (one bad phone number must not cost
    a sanctioned company its 41 sanctions).

    OpenSanctions fields are kept: ``referents``, ``datasets`` (a single
    string is one dataset), ``first_seen``/``last_seen``, ``last_change`` and
    ``target`` (as ``$last_change`` / ``$target`` statements).
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

    def bad(error: InputError) -> None:
        if on_invalid is None:
            raise error
        on_invalid(error)

    out = [make(BASE, entity_id)]
    for prop_name, values in props.items():
        field_name = f"properties.{prop_name}"
        prop = schema.get(prop_name)
        if prop is None:
            # A property the schema lacks is a wrong mapping, not a bad value: the record is refused.
            raise InputError(f"schema {schema.name} has no property {prop_name!r}", field=field_name)
        if isinstance(values, (str, int, float)):
            values = [values]
        if not isinstance(values, list):
            bad(InputError(f"property values must be a list, not {type(values).__name__}", field=field_name))
            continue
        for raw in values:
            if raw is None:
                continue
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                bad(InputError(f"invalid {prop.type.name} value {raw!r}: not a text value", field=field_name))
                continue
            text = str(raw)
            cleaned = _clean(prop.type, text)
            if cleaned is not None:
                out.append(make(prop.name, cleaned, text))
                continue
            parts = [p.strip() for p in text.split(";")] if ";" in text else []
            parsed = [_clean(prop.type, p) for p in parts if p]
            if parsed and all(parsed):
                # Several values in one ("+7 ...; +7 ..."): each is kept with the text as given.
                out.extend(make(prop.name, str(c), text) for c in parsed)
                continue
            bad(InputError(f"invalid {prop.type.name} value {text!r}", field=field_name))
    for ref in _text_list(data.get("referents")):
        out.append(make(META_REFERENT, ref))
    for ds in _text_list(data.get("datasets")):
        if ds != dataset:
            out.append(make(META_DATASET, ds))
    last_change = _str_or_none(data.get("last_change"))
    if last_change is not None:
        out.append(make(META_LAST_CHANGE, last_change))
    target = data.get("target")
    if isinstance(target, bool):
        out.append(make(META_TARGET, "true" if target else "false"))
    return out


def _clean(prop_type: Any, text: str) -> str | None:
    """FtM's cleaning of one value; None when it does not parse."""
    try:
        cleaned: str | None = prop_type.clean(text, proxy=None, fuzzy=False)
    except (InvalidData, ValueError):  # pragma: no cover - defensive
        return None
    return cleaned


def _text_list(value: Any) -> list[str]:
    """A JSON list of texts; one text is a list of one (never its characters)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v)]
    return []


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
                id=make_statement_id(dataset, source, entity_id, schema.name, prop_name, value),
            ))
    return out


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def assemble(statements: Iterable[Statement], entity_id: str | None = None) -> Entity | None:  # noqa: C901 — assembly rules read in one place: analyst retype, common schema of merged members, datasets, referents, first/last seen
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
        weights: dict[str, int] = defaultdict(int)
        for s in stmts:
            weights[s.schema] += 1
        schema = _common_schema(set(weights), weights)
    props: dict[str, list[str]] = defaultdict(list)
    datasets: set[str] = set()
    referents: set[str] = set()
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    target: bool | None = None
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
        if s.prop == META_LAST_CHANGE:
            last_change = max(last_change or s.value, s.value)
            continue
        if s.prop == META_TARGET:
            target = bool(target) or s.value == "true"
            continue
        if schema.get(s.prop) is None:
            continue
        if s.value not in props[s.prop]:
            props[s.prop].append(s.value)
    referents.update(i for i in ids if i != eid)
    proxy: EntityProxy = model.get_proxy(
        {"id": eid, "schema": schema.name, "properties": dict(props)}, cleaned=True
    )
    data = Entity({
        "id": eid,
        "schema": schema.name,
        "caption": proxy.caption,
        "properties": {k: sorted(v) for k, v in sorted(props.items())},
        "datasets": sorted(datasets),
        "referents": sorted(referents),
    }, stmts)
    if first_seen:
        data["first_seen"] = first_seen
    if last_seen:
        data["last_seen"] = last_seen
    if last_change:
        data["last_change"] = last_change
    if target is not None:
        data["target"] = target
    return data


def assemble_many(
    statements: Iterable[Statement], canonical: Mapping[str, str] | None = None
) -> list[Entity]:
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


def _common_schema(names: set[str], weights: Mapping[str, int] | None = None) -> Schema:
    """The most specific schema all ``names`` share; when two cannot be combined
    (a party typed Person in one source, Company in another) the one with more
    statements (``weights``: mentions across the case) wins, then the deeper one."""
    schemata = [_schema(n) for n in sorted(names)]
    weight = weights or {}
    result = schemata[0]
    for other in schemata[1:]:
        try:
            result = model.common_schema(result, other)
        except InvalidData:
            mine, theirs = weight.get(result.name, 0), weight.get(other.name, 0)
            if theirs > mine or (theirs == mine and len(other.schemata) > len(result.schemata)):
                result = other
    return result
