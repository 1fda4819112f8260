"""Shared pieces of the sanctions-list loaders (OFAC, EU, UK, UN).

A list record contributes *fragments*: parts of one FtM entity, each with the
place in the file it came from (``sdn.csv:12``, ``eu.xml:/export/entity[3]``).
Fragments of the same id are merged on read, so every value keeps its own
location. Values that FtM's type system rejects (an unparseable date, an
unknown country) are moved to ``notes`` instead of failing the whole list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry

from redthread.model import Statement, entity_statements

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(?![\d-])")
_DOTTED = re.compile(r"^(\d{1,2}|dd|DD)[./](\d{1,2}|mm|MM)[./](\d{4})$")
_RANGE = re.compile(r"^(.+?)\s+(?:to|-|–|until)\s+(.+)$", re.I)


def parse_date(text: str | None) -> str | None:
    """An ISO date (or year / year-month) from list spellings, else None.

    Understands ``10 Dec 1948``, ``Dec 1948``, ``1948``, ``circa 1955``,
    ``1948-12-10`` and ``10.12.1948`` / ``10/12/1948`` (day first). A day or
    month the source does not know (``00/05/1980``, ``dd/mm/1957``) keeps the
    precision it has (``1980-05``, ``1957``), never an invalid ``-00``.
    """
    if not text:
        return None
    value = text.strip().rstrip(".").strip()
    value = re.sub(r"^(circa|approximately|approx\.?|c\.)\s+", "", value, flags=re.I)
    if m := _DMY.match(value):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    if m := _MY.match(value):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            return f"{m.group(2)}-{month:02d}"
    if m := _Y.match(value):
        return m.group(1)
    if m := _DOTTED.match(value):
        dd, mm = str(m.group(1)), str(m.group(2))
        if not mm.isdigit() or not 1 <= int(mm) <= 12:
            return m.group(3)
        if not dd.isdigit() or not 1 <= int(dd) <= 31:
            return f"{m.group(3)}-{int(mm):02d}"
        return f"{m.group(3)}-{int(mm):02d}-{int(dd):02d}"
    if m := _ISO.match(value):
        return m.group(0)
    return None


def parse_dates(text: str | None) -> list[str]:
    """Dates from a spelling that may be a range: both ends of ``1929 to 1930``, else one date.

    FtM has no range type; a range is kept as its two ends (the values
    OpenSanctions stores), never cut to its start.
    """
    if not text:
        return []
    if not _RANGE.match(text.strip()) or re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        one = parse_date(text)
        return [one] if one is not None else []
    if m := _RANGE.match(text.strip()):
        first, last = parse_date(m.group(1)), parse_date(m.group(2))
        if first and last:
            if len(first) == len(last) == 10:  # two days: at the precision the span really has
                return period(_ymd(first), _ymd(last))
            return [first, last]
    return []


def _ymd(iso: str) -> tuple[int, int, int]:
    return int(iso[:4]), int(iso[5:7]), int(iso[8:10])


def period(start: tuple[int, int, int], end: tuple[int, int, int]) -> list[str]:
    """A date period as FtM values at the precision it really has.

    Lists write "born in 1962" as the period 1962-01-01..1962-12-31; that is
    the year ``1962``, not the day 1962-01-01. A whole month is ``YYYY-MM``;
    a span of whole years or of days keeps both ends.
    """
    import calendar

    (y1, m1, d1), (y2, m2, d2) = start, end
    if start == end:
        return [f"{y1:04d}-{m1:02d}-{d1:02d}"]
    whole_years = (m1, d1) == (1, 1) and (m2, d2) == (12, 31)
    if whole_years:
        return [f"{y1:04d}"] if y1 == y2 else [f"{y1:04d}", f"{y2:04d}"]
    if (y1, m1) == (y2, m2) and d1 == 1 and d2 == calendar.monthrange(y2, m2)[1]:
        return [f"{y1:04d}-{m1:02d}"]
    return [f"{y1:04d}-{m1:02d}-{d1:02d}", f"{y2:04d}-{m2:02d}-{d2:02d}"]


def country_code(text: str | None) -> str | None:
    """An FtM country code from a name or code (``Russia`` -> ``ru``), else None."""
    if not text:
        return None
    return registry.country.clean(text.strip(), fuzzy=True)


@dataclass
class Fragment:
    """Part of one entity, from one place in the source file."""

    id: str
    schema: str
    location: str
    properties: dict[str, list[str]] = field(default_factory=dict)

    def add(self, prop: str, value: Any) -> None:
        """Add a value (skipping empties); invalid typed values go to notes."""
        if value is None:
            return
        text = str(value).strip()
        if not text:
            return
        schema = model.get(self.schema)
        assert schema is not None
        prop_obj = schema.get(prop)
        if prop_obj is not None and prop_obj.type == registry.date and _RANGE.match(text):
            ends = parse_dates(text)
            if len(ends) > 1:  # a range: FtM's parser would keep only its start
                for iso in ends:
                    self.add(prop, iso)
                return
        if prop_obj is None:
            self._note(schema, prop, text)
            return
        cleaned = prop_obj.type.clean(text, proxy=None, fuzzy=False)
        if cleaned is None:
            if not self._add_uncleaned(prop_obj, text) and schema.get("notes") is not None:
                self.properties.setdefault("notes", []).append(f"{prop}: {text}")
            return
        values = self.properties.setdefault(prop, [])
        if cleaned not in values:
            values.append(cleaned)

    def _add_uncleaned(self, prop_obj: Property, text: str) -> bool:
        """A value FtM's type refused, read our way: a country by name, a date as lists write it.
        False when this reading fails too (the value then goes to notes)."""
        prop = prop_obj.name
        if prop_obj.type == registry.country:
            code = country_code(text)
            if code is not None:
                self.properties.setdefault(prop, []).append(code)
                return True
        if prop_obj.type == registry.date:
            isos = parse_dates(text)
            if isos:
                for iso in isos:
                    if iso not in self.properties.setdefault(prop, []):
                        self.properties[prop].append(iso)
                return True
        return False

    def _note(self, schema: Schema, prop: str, text: str) -> None:
        """Keep a value the schema has no place for as a ``prop: value`` note (when it has notes)."""
        if prop != "notes" and schema.get("notes") is not None:
            self.properties.setdefault("notes", []).append(f"{prop}: {text}")


@dataclass
class ListBuilder:
    """Collects fragments of a list and turns them into statements."""

    dataset: str
    source: str
    origin: str
    seen: str
    fragments: list[Fragment] = field(default_factory=list)

    def fragment(self, entity_id: str, schema: str, location: str) -> Fragment:
        frag = Fragment(entity_id, schema, location)
        self.fragments.append(frag)
        return frag

    @contextmanager
    def record(self) -> Iterator[None]:
        """One source record: its fragments are kept only when the whole record is read.

        A record that fails part-way (a field of the wrong shape three fields
        in) must not leave the entity or links built before the failure: the
        store would hold half a record that no line of the file states. The
        fragments made inside the block are dropped when it raises, and the
        error goes on to the loader, which reports the record (file and line)
        and skips it whole. Fragments are only ever appended, never edited by
        a later record, so cutting the list back is the whole undo.
        """
        mark = len(self.fragments)
        try:
            yield
        except BaseException:
            del self.fragments[mark:]
            raise

    def statements(self) -> list[Statement]:
        out: list[Statement] = []
        for frag in self.fragments:
            out.extend(self._fragment_statements(frag))
        return out

    def _fragment_statements(self, frag: Fragment) -> Iterable[Statement]:
        return entity_statements(
            {"id": frag.id, "schema": frag.schema, "properties": frag.properties},
            self.dataset,
            source=self.source,
            location=frag.location,
            origin=self.origin,
            seen=self.seen,
        )


def slug(text: str) -> str:
    """A short, stable id part from free text."""
    import hashlib

    return hashlib.sha1(text.strip().lower().encode("utf-8")).hexdigest()[:12]
