"""Evidence: the one provenance record shown beside any fact.

Graph links, red flags, the timeline and party consolidation each used to
build their own "evidence" dict from a statement, with drifting keys (one had
``first_seen``, another not; one named the fact, another only its source).
Every reader (API, dossier, brief, CLI) then guessed which keys to expect.
:class:`Evidence` is that record, made once, from a :class:`Statement` or a
bulk-read row, or for a whole document; :meth:`Evidence.to_dict` gives the JSON
shape the API and the UI read (unchanged keys: ``span`` as ``[start, end]`` or
``null``; the fact keys ``entity_id`` / ``prop`` / ``value`` / ``removed_at``
only when the evidence names its fact; ``link`` when a red flag rests on a
graph link).
"""

from __future__ import annotations

from dataclasses import dataclass

from redthread.model.records import EvidenceDict
from redthread.model.statement import Statement

#: Keys every evidence dict carries, in order.
BASE_KEYS = ("dataset", "source", "location", "span", "quote", "confidence", "hedge", "first_seen", "statement_id")
#: Keys of evidence that names its fact (which entity, property and value it supports).
FACT_KEYS = ("entity_id", "prop", "value", "removed_at")
#: Red flags resting on graph links add ``link``: the link in words ("A owns B").
LINK_KEY = "link"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where one fact comes from: the dataset and source, the place in it, the words, how sure."""

    dataset: str
    source: str
    location: str = ""
    span: tuple[int, int] | None = None
    quote: str | None = None
    confidence: float = 1.0
    hedge: str | None = None
    first_seen: str | None = None
    statement_id: str | None = None
    #: The fact supported, when the reader needs it beside the source (red flags, merges).
    fact: tuple[str, str, str] | None = None
    removed_at: str | None = None

    @classmethod
    def of(cls, s: Statement, *, with_fact: bool = False) -> Evidence:
        """The provenance of statement ``s`` (and, ``with_fact``, the entity, property and value it states)."""
        return cls(
            dataset=s.dataset, source=s.source, location=s.location,
            span=(s.span_start, s.span_end) if s.span_start is not None and s.span_end is not None else None,
            quote=s.quote, confidence=float(s.confidence), hedge=s.hedge, first_seen=s.first_seen,
            statement_id=s.id, fact=(s.entity_id, s.prop, s.value) if with_fact else None,
            removed_at=s.removed_at,
        )

    @classmethod
    def of_row(cls, dataset: str, source: str, location: str, span_start: int | None, span_end: int | None,
               quote: str | None, confidence: float, hedge: str | None, first_seen: str | None,
               statement_id: str) -> Evidence:
        """From the columns of a bulk read (no :class:`Statement` is built for a million links)."""
        return cls(dataset=dataset, source=source, location=location or "",
                   span=(span_start, span_end) if span_start is not None and span_end is not None else None,
                   quote=quote, confidence=float(confidence), hedge=hedge, first_seen=first_seen,
                   statement_id=statement_id)

    @classmethod
    def of_document(cls, dataset: str, doc_id: str, path: str) -> Evidence:
        """A whole document as the source (its publication is the fact)."""
        return cls(dataset=dataset, source=doc_id, location=path)

    def to_dict(self) -> EvidenceDict:
        """The JSON shape (see the module docstring)."""
        out: EvidenceDict = {
            "dataset": self.dataset, "source": self.source, "location": self.location,
            "span": list(self.span) if self.span is not None else None, "quote": self.quote,
            "confidence": self.confidence, "hedge": self.hedge, "first_seen": self.first_seen,
            "statement_id": self.statement_id,
        }
        if self.fact is not None:
            out["entity_id"], out["prop"], out["value"] = self.fact
            out["removed_at"] = self.removed_at
        return out
