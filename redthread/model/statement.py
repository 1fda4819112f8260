"""A statement: one property value of one entity, with full provenance.

This extends FollowTheMoney's statement (entity, schema, prop, value,
dataset, first/last seen) with what an investigator needs to trust a value:
the source it came from (document or record id), where inside it (a record
location like ``file.jsonl:12`` or a character span), the exact quote or raw
value, the extractor or loader that produced it and its version, a
confidence, an optional hedge marker, and whether the value was removed by a
later load of the same source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # extraction writes statements without followthemoney or pydantic: FtM's is made in to_ftm
    from followthemoney.statement import Statement as FtMStatement

    from redthread.model.records import StatementDict

#: The pseudo-property that says "this entity exists, with this schema".
BASE = "id"
#: Origin prefix of facts an analyst stated by hand (``analyst:<user>``); see redthread/resolve/edits.py.
ANALYST_ORIGIN = "analyst:"
#: Pseudo-properties that carry entity metadata from FtM exports.
META_REFERENT = "$referent"
META_DATASET = "$dataset"
#: When the publisher last changed the entity, and whether it is a target of
#: sanctions (OpenSanctions' ``last_change`` and ``target``).
META_LAST_CHANGE = "$last_change"
META_TARGET = "$target"


def now_iso() -> str:
    """UTC now, to the second, ISO 8601 (the format FtM uses for seen dates)."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def make_statement_id(dataset: str, source: str, entity_id: str, schema: str, prop: str, value: str,
                      span_start: int | None = None, span_end: int | None = None) -> str:
    """A content hash over what a statement says: never over where a file put it.

    The id covers dataset, source, entity, schema, property and value. A
    record's position (``file:line``, an XML path) is provenance only: a newer
    version of a list that inserts one entry shifts every later line, and an
    id that included the line would turn every shifted value into "removed
    and re-added", wiping history. Character spans stay in the id because in
    prose each sentence that says a fact is its own evidence.

    SHA-1 of each field as UTF-8 text (None as empty) followed by a unit
    separator, hashed in one call (fixed fields in one f-string: bulk loads
    hash hundreds of thousands).
    """
    start = "" if span_start is None else span_start
    end = "" if span_end is None else span_end
    text = f"{dataset}\x1f{source}\x1f{entity_id}\x1f{schema}\x1f{prop}\x1f{value}\x1f{start}\x1f{end}\x1f"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Statement:
    """One value of one property of one entity, and where it came from."""

    entity_id: str
    schema: str
    prop: str
    value: str
    dataset: str
    source: str = ""
    location: str = ""
    span_start: int | None = None
    span_end: int | None = None
    quote: str | None = None
    original_value: str | None = None
    lang: str | None = None
    origin: str = ""
    confidence: float = 1.0
    hedge: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    removed_at: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.key()

    def key(self) -> str:
        """Identity of a statement: what is said, by which source.

        Two loads of the same record produce the same key wherever the record
        sits in the file, so a reload can tell kept, new and vanished values
        apart; ``location`` is provenance, not identity.
        """
        return make_statement_id(
            self.dataset,
            self.source,
            self.entity_id,
            self.schema,
            self.prop,
            self.value,
            self.span_start,
            self.span_end,
        )

    @property
    def is_meta(self) -> bool:
        return self.prop == BASE or self.prop.startswith("$")

    def with_seen(self, first_seen: str | None, last_seen: str | None) -> Statement:
        return replace(self, first_seen=first_seen, last_seen=last_seen)

    def to_dict(self) -> StatementDict:
        """JSON form; the field names extend FtM's statement format."""
        return {
            "id": self.id,
            "entity_id": self.entity_id,
            "schema": self.schema,
            "prop": self.prop,
            "value": self.value,
            "dataset": self.dataset,
            "source": self.source,
            "location": self.location,
            "span": [self.span_start, self.span_end] if self.span_start is not None else None,
            "quote": self.quote,
            "original_value": self.original_value,
            "lang": self.lang,
            "origin": self.origin,
            "confidence": self.confidence,
            "hedge": self.hedge,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "removed_at": self.removed_at,
        }

    def to_ftm(self, canonical_id: str | None = None) -> FtMStatement:
        """The plain FtM statement (provenance beyond FtM's fields dropped)."""
        from followthemoney.statement import Statement as FtMStatement

        return FtMStatement(
            entity_id=self.entity_id,
            canonical_id=canonical_id or self.entity_id,
            prop=self.prop,
            schema=self.schema,
            value=self.value,
            dataset=self.dataset,
            lang=self.lang,
            original_value=self.original_value,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            origin=self.origin or None,
            id=self.id,
        )
