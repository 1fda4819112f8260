"""Raw JSON and YAML as read from a file or a wire, before it becomes a record.

A source file (BODS, PSC, GLEIF, an FtM line, a model's answer) is JSON we
do not control, so its values are typed as :data:`JSON` — the recursive type
of what ``json.loads`` / ``yaml.safe_load`` return — not ``Any``: mypy then
makes every reader narrow a value before using it, with the helpers below,
so a wrong type in one field costs that field (an empty string or list), not
a crash in the middle of a file.

Vocabularies (our YAML data with a known shape) are checked once on load by
:func:`checked` against a ``TypedDict``, naming the file and the key that is
wrong, and are read as that record afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

from redthread.errors import InputError

#: Any value JSON (or YAML's JSON subset) can hold (a ``TypeAliasType``, so pydantic can declare it too).
JSON = TypeAliasType("JSON", 'str | int | float | bool | None | list["JSON"] | dict[str, "JSON"]')
#: A JSON object: the usual shape of one record of a source file.
JSONObject: TypeAlias = dict[str, JSON]

T = TypeVar("T")


def obj(value: JSON) -> JSONObject:
    """``value`` if it is an object, else an empty one (a missing or mistyped part reads as empty)."""
    return value if isinstance(value, dict) else {}


def as_object(value: JSON) -> JSONObject:
    """``value`` as an object, empty when missing or empty; ``TypeError`` for any other type.

    For a loader that refuses a record whose part has the wrong shape (rather than read past it).
    """
    if not value:
        return {}
    if isinstance(value, dict):
        return value
    raise TypeError(f"expected an object, not {type(value).__name__}")


def as_list(value: JSON) -> list[JSON]:
    """``value`` as a list, empty when missing or empty; ``TypeError`` for any other type."""
    if not value:
        return []
    if isinstance(value, list):
        return value
    raise TypeError(f"expected a list, not {type(value).__name__}")


def objects(value: JSON) -> list[JSONObject]:
    """The objects of a list (other items, or a value that is no list, are left out)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def items(value: JSON) -> list[JSON]:
    """``value`` if it is a list, else no items."""
    return value if isinstance(value, list) else []


def text(value: JSON) -> str:
    """A scalar as text (``""`` for null, a list or an object)."""
    if value is None or isinstance(value, (list, dict)):
        return ""
    return str(value)


def opt_text(value: JSON) -> str | None:
    """A scalar as text, or None (for null, an empty string, a list or an object)."""
    return text(value) or None


def texts(value: JSON) -> list[str]:
    """The non-empty scalars of a list (or of one scalar) as text."""
    values = value if isinstance(value, list) else [value]
    return [t for t in (text(v) for v in values) if t]


def checked(kind: type[T], data: object, path: Path | str) -> T:
    """``data`` validated as ``kind`` (a ``TypedDict``); the error names the file and the key."""
    try:
        return TypeAdapter(kind).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(first["msg"], path=str(path), field=where) from None


def load_yaml(kind: type[T], path: Path) -> T:
    """A YAML vocabulary file read (libyaml's C loader when present: the pure-Python one is far slower
    for our vocabularies, a share of a fresh process's first extraction) and checked as ``kind``."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return checked(kind, yaml.load(fh, Loader=loader), path)  # noqa: S506 - a safe loader either way
