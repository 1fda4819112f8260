"""FtM's property types and value cleaning for what extraction writes, without importing followthemoney.

Importing followthemoney costs a fresh process about a second of CPU (its dataset, statement and
SQL layers come with it), more than the spaCy model itself; extraction needs only two things from
it: which type each property of the schemata it writes has, and how that type cleans a value. The
first is a table generated from FtM's model (``ftm_properties.json``, written by
``python -m redthread.extract.ftm_types``; tests/extract/test_ftm_types.py checks it against the
installed FtM). The second calls the very functions FtM's types call (normality, prefixdate,
rigour), which load in a few hundredths of a second. A schema or type outside the table is asked of
FtM itself, so nothing cleans differently; FtM is imported only there and where entities are
assembled or stored.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("ftm_properties.json")

#: The schemata extraction writes (parties, relations, facts, the document): the table holds these.
SCHEMATA = ("Document", "Person", "Company", "Organization", "PublicBody", "LegalEntity", "Address", "Asset",
            "Event", "Ownership", "Control", "Directorship", "Employment", "Family", "Associate", "UnknownLink",
            "Representation", "Payment", "EconomicActivity", "Sanction")

#: FtM's ``EntityType.REGEX``: what an entity id may look like.
_ENTITY_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z\.\-]*[0-9a-zA-Z])?$")


@cache
def properties() -> dict[str, dict[str, str]]:
    """Schema name → property name → FtM type name, for :data:`SCHEMATA` (inherited properties included)."""
    data: dict[str, dict[str, str]] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return data


def generate() -> dict[str, dict[str, str]]:
    """The table from the installed FtM's model (what ``ftm_properties.json`` holds)."""
    from followthemoney import model

    out: dict[str, dict[str, str]] = {}
    for name in SCHEMATA:
        schema = model.get(name)
        if schema is None:
            raise KeyError(f"followthemoney has no schema {name!r}")
        out[name] = {p.name: p.type.name for p in schema.properties.values()}
    return out


def _sanitize(value: str) -> str | None:
    """FtM's ``sanitize_text`` for a string: NFC, unsafe characters removed, stripped; empty is None."""
    from normality.cleaning import remove_unsafe_chars

    text = remove_unsafe_chars(unicodedata.normalize("NFC", value)).strip()
    return text or None


def _name(text: str) -> str | None:
    from normality.cleaning import squash_spaces, strip_quotes

    name = strip_quotes(text)
    if name is None:
        return None
    name = squash_spaces(name)
    return name or None


def _date(text: str) -> str | None:
    from prefixdate import parse

    return parse(text).text


def _country(text: str) -> str | None:
    from rigour.territories import lookup_territory

    territory = lookup_territory(text, fuzzy=False)
    return territory.ftm_country if territory is not None else None


def _mimetype(text: str) -> str | None:
    from rigour.mime import DEFAULT, normalize_mimetype

    mime = normalize_mimetype(text)
    return mime if mime != DEFAULT else None


def _as_is(text: str) -> str | None:
    return text


#: How each type FtM cleans a sanitised value (its ``clean_text``); types not here are asked of FtM.
_CLEAN_TEXT: dict[str, Callable[[str], str | None]] = {
    "string": _as_is, "text": _as_is, "number": _as_is, "name": _name, "date": _date, "country": _country,
    "mimetype": _mimetype,
}


def property_type(schema: str, prop: str) -> str | None:
    """The FtM type name of ``schema``'s property ``prop``, or None when the schema has no such property."""
    table = properties()
    if schema in table:
        return table[schema].get(prop)
    from followthemoney import model

    found = model.get(schema)
    p = found.get(prop) if found is not None else None
    return p.type.name if p is not None else None


def clean(type_name: str, value: str) -> str | None:
    """``value`` cleaned as FtM's type ``type_name`` cleans it (``prop.type.clean(value)``), None if rejected."""
    if type_name == "entity":  # EntityType.clean: the id as normality reads it, then the id pattern
        from normality import stringify

        entity_id = stringify(value)
        return entity_id if entity_id is not None and _ENTITY_ID.match(entity_id) else None
    step = _CLEAN_TEXT.get(type_name)
    if step is None:
        from followthemoney import registry

        cleaned: str | None = registry[type_name].clean(value, proxy=None, fuzzy=False)
        return cleaned
    text = _sanitize(value)
    return None if text is None else step(text)


if __name__ == "__main__":
    TABLE_PATH.write_text(json.dumps(generate(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {TABLE_PATH}")
