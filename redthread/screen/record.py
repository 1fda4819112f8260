"""What screening compares: names, countries, birth dates, identifiers.

A :class:`Record` is built from an FtM entity dict (a stored entity or a
yente-style query example). Property types come from FtM's model, so any
schema works: every ``name``-typed property gives names, every
``country``-typed one countries, every ``identifier``-typed one identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from followthemoney.types import registry

from redthread.screen.names import ORG, PERSON, NameForm, analyze

#: Identifier properties that say "not the same party" when both sides have
#: one and none agree (a company has one INN; a vessel one IMO number).
EXCLUSIVE_IDS = frozenset({"innCode", "ogrnCode", "leiCode", "imoNumber", "uscCode", "swiftBic"})
#: Person name-part properties, kept with their role.
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "motherName", "lastName")
#: Identifier-typed properties that do not identify a party.
IGNORED_IDS = frozenset({"okvedCode", "programId", "callSign"})
_ALNUM = re.compile(r"[^0-9A-Z]")


def normalize_identifier(value: str) -> str | None:
    """Upper-case alphanumerics; None for values too short or without digits."""
    text = _ALNUM.sub("", value.upper())
    if text.startswith("IMO") and text[3:].isdigit():
        text = text[3:]
    if len(text) < 4 or not any(c.isdigit() for c in text):
        return None
    return text


def name_kind(schema: Schema) -> str:
    return PERSON if schema.is_a("Person") else ORG


@dataclass
class Record:
    """The comparable parts of one entity or query."""

    schema: str
    names: list[NameForm] = field(default_factory=list)
    countries: frozenset[str] = frozenset()
    birth_dates: frozenset[str] = frozenset()
    identifiers: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Name-part values (``firstName``, ``lastName``, ...) as (property, value)
    #: pairs: which part of a name a word is, when the source says so.
    parts: tuple[tuple[str, str], ...] = ()
    #: Analyses of this record kept with it (rigour's tagged names, organisation
    #: classes; see :mod:`redthread.screen.prepared`): a record lives as long
    #: as what it describes (an indexed entity's as long as its index, a
    #: query's one request), so they are made once and can never be stale.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id_values(self) -> set[str]:
        return {v for vals in self.identifiers.values() for v in vals}

    @property
    def name_props(self) -> tuple[tuple[str, str], ...]:
        """Names and name parts as FtM (property, value) pairs (for the symbolic matcher)."""
        return tuple(("name", n.text) for n in self.names) + self.parts

    def part_values(self, *props: str) -> frozenset[str]:
        """Lower-case words of the given name-part properties."""
        return frozenset(w for p, v in self.parts if p in props for w in v.lower().split())


@lru_cache(maxsize=512)
def schema_of(name: str | None) -> Schema:
    schema = model.get(name or "LegalEntity")
    if schema is None:
        from redthread.errors import InputError

        raise InputError(f"unknown FtM schema {name!r}; use Person, Company, Organization, LegalEntity, "
                         "Vessel or Airplane", field="schema")
    return schema


@lru_cache(maxsize=512)
def _prop_kinds(schema_name: str) -> dict[str, str]:
    """What each property of a schema contributes: name, country, dob or identifier."""
    schema = schema_of(schema_name)
    kinds: dict[str, str] = {}
    for prop in schema.properties.values():
        if prop.type == registry.name and prop.name != "weakAlias":
            kinds[prop.name] = "name"
        elif prop.type == registry.country:
            kinds[prop.name] = "country"
        elif prop.type == registry.date and prop.name == "birthDate":
            kinds[prop.name] = "dob"
        elif prop.type == registry.identifier and prop.name not in IGNORED_IDS:
            kinds[prop.name] = "id"
    return kinds


@lru_cache(maxsize=4096)
def _country(value: str) -> str | None:
    if len(value) == 2 and value.islower():
        return value
    code: str | None = registry.country.clean(value, fuzzy=True)
    return code


def _name_parts(properties: Mapping[str, Iterable[Any]]) -> list[tuple[str, str]]:
    """A person's name parts (``firstName``, ``lastName``, ...) as (property, value) pairs, blanks left out."""
    parts: list[tuple[str, str]] = []
    for prop_name in NAME_PARTS:
        raw = properties.get(prop_name) or []
        for v in [raw] if isinstance(raw, str) else raw:
            if v is not None and str(v).strip():
                parts.append((prop_name, str(v).strip()))
    return parts


def _joined_parts(parts: list[tuple[str, str]]) -> str:
    """A name made of the parts, given names first (for a query that gives parts and no name)."""
    return " ".join(v for p in ("firstName", "secondName", "middleName", "fatherName", "lastName")
                    for k, v in parts if k == p)


def make_record(schema_name: str | None, properties: Mapping[str, Iterable[Any]]) -> Record:
    """A record from a schema name and FtM properties (unknown properties ignored)."""
    schema = schema_of(schema_name)
    kind = name_kind(schema)
    kinds = _prop_kinds(schema.name)
    names: list[NameForm] = []
    seen: set[str] = set()
    countries: set[str] = set()
    dates: set[str] = set()
    ids: dict[str, set[str]] = {}
    parts: list[tuple[str, str]] = []

    def add_name(text: str) -> None:
        if text in seen:
            return
        seen.add(text)
        form = analyze(text, kind)
        if form is not None:
            names.append(form)

    for prop_name, values in properties.items():
        what = kinds.get(prop_name)
        if what is None:
            continue
        vals = [str(v) for v in ([values] if isinstance(values, str) else values) if v]
        if what == "name":
            for v in vals:
                add_name(v)
        elif what == "country":
            countries.update(c for c in (_country(v) for v in vals) if c)
        elif what == "dob":
            dates.update(v[:10] for v in vals)
        else:
            norm = {n for n in (normalize_identifier(v) for v in vals) if n}
            if norm:
                ids.setdefault(prop_name, set()).update(norm)
    if kind == PERSON:
        parts = _name_parts(properties)
        if not names:
            joined = _joined_parts(parts)
            if joined.strip():
                add_name(joined)
    return Record(schema.name, names, frozenset(countries), frozenset(dates),
                  {k: frozenset(v) for k, v in ids.items()}, tuple(parts))


def entity_record(entity: Mapping[str, Any]) -> Record:
    """A record from an FtM entity dict."""
    return make_record(entity.get("schema"), entity.get("properties") or {})
