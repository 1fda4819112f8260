"""What an extraction produces, and how parties and relations become FtM.

:class:`ExtractionResult` holds the FtM entities (JSON form), the
provenance statements behind every value (span, quote, origin, confidence,
hedge) and the source :class:`~redthread.store.Document`. :class:`Builder`
collects values with their evidence and turns them into both.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import redthread.extract.ftm_types as ftm_types
from redthread.model.statement import BASE, Statement, now_iso
from redthread.store import Document

if TYPE_CHECKING:  # typing only: extraction does not import pydantic's record module at run time
    from redthread.model.records import FtMEntity


@dataclass
class ExtractionResult:
    """FtM entities, their provenance statements and the source document."""

    entities: list[FtMEntity]
    statements: list[Statement]
    document: Document
    backend: str = "rules"

    def by_schema(self, schema: str) -> list[FtMEntity]:
        return [e for e in self.entities if e["schema"] == schema]


def slug(text: str) -> str:
    """An id-safe form of ``text``."""
    return re.sub(r"[^a-zA-Z0-9.-]+", "-", text).strip("-").lower()[:60] or "doc"


def make_id(doc_id: str, *parts: object) -> str:
    """A stable entity id scoped to one document."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in (doc_id, *parts)).encode("utf-8")).hexdigest()
    return f"{slug(doc_id)}-{digest[:12]}"


@dataclass
class Evidence:
    """Where a value was found."""

    start: int
    end: int
    quote: str
    confidence: float = 0.8
    hedge: str | None = None


@dataclass
class _Value:
    value: str
    original: str
    evidence: list[Evidence] = field(default_factory=list)


class Builder:
    """Collects entities' values with evidence; emits FtM entities and statements."""

    def __init__(self, doc_id: str, dataset: str, origin: str, text: str) -> None:
        self.doc_id = doc_id
        self.dataset = dataset
        self.origin = origin
        self.text = text
        self.schemata: dict[str, str] = {}
        self.values: dict[str, dict[str, list[_Value]]] = {}
        self.first: dict[str, Evidence] = {}

    def entity(self, entity_id: str, schema: str, evidence: Evidence) -> str:
        self.schemata.setdefault(entity_id, schema)
        self.values.setdefault(entity_id, {})
        self.first.setdefault(entity_id, evidence)
        return entity_id

    def add(self, entity_id: str, prop_name: str, value: str | None, evidence: Evidence) -> bool:
        """Add a value (cleaned as FtM's type cleans it, ftm_types.py); returns False when FtM would reject it."""
        if value is None or not str(value).strip():
            return False
        type_name = ftm_types.property_type(self.schemata[entity_id], prop_name)
        if type_name is None:
            return False
        cleaned = ftm_types.clean(type_name, str(value))
        if cleaned is None:
            return False
        slot = self.values[entity_id].setdefault(prop_name, [])
        for v in slot:
            if v.value == cleaned:
                if not any(e.start == evidence.start and e.end == evidence.end for e in v.evidence):
                    v.evidence.append(evidence)
                return True
        slot.append(_Value(cleaned, str(value), [evidence]))
        return True

    def has(self, entity_id: str) -> bool:
        return entity_id in self.schemata

    def entities(self) -> list[FtMEntity]:
        out: list[FtMEntity] = []
        for eid, schema in self.schemata.items():
            props = {p: [v.value for v in vals] for p, vals in self.values[eid].items() if vals}
            out.append({"id": eid, "schema": schema, "properties": props})
        return out

    def statements(self) -> list[Statement]:
        seen = now_iso()
        out: list[Statement] = []
        for eid, schema in self.schemata.items():
            first = self.first[eid]
            out.append(self._stmt(eid, schema, BASE, eid, None, first, seen))
            for prop, vals in self.values[eid].items():
                for v in vals:
                    for ev in v.evidence:
                        out.append(self._stmt(eid, schema, prop, v.value, v.original, ev, seen))
        return out

    def _stmt(self, eid: str, schema: str, prop: str, value: str, original: str | None, ev: Evidence,
              seen: str) -> Statement:
        return Statement(
            entity_id=eid,
            schema=schema,
            prop=prop,
            value=value,
            dataset=self.dataset,
            source=self.doc_id,
            span_start=ev.start,
            span_end=ev.end,
            quote=ev.quote,
            original_value=original if original and original != value else None,
            lang="eng",
            origin=self.origin,
            confidence=ev.confidence,
            hedge=ev.hedge,
            first_seen=seen,
            last_seen=seen,
        )
