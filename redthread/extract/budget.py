"""A per-document time budget for the offline extractor.

Extraction runs inside request handlers (``POST /extract``) and document
ingest; one pathological document (a megabyte without a full stop, a list
of thousands of names) must not hold a worker for minutes. The rules
backend opens a :func:`budget` around each document; the stages check it
between sentences and pairs, and when the time is spent the document stops
with an :class:`ExtractionTimeout` naming the document, the stage reached
and how far into the text it got, instead of running on.

Time is the CPU time of the thread doing the work (``time.thread_time``):
a busy machine or a slow neighbour does not stop a document that would
finish, while a document that needs minutes of computing does stop.

The budget is ``REDTHREAD_EXTRACT_SECONDS`` (default 30 s) per started
100 KB of text: ordinary documents at the documented speed (>= 50 KB/s per
core, 2 s per 100 KB) stay far below it even on a busy machine, and a
document that would take minutes stops. ``0`` turns the limit off.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redthread import settings
from redthread.errors import InputError

if TYPE_CHECKING:
    from redthread.extract.result import ExtractionResult

DEFAULT_SECONDS = 30.0
#: The budget grows with the text in steps of this many characters.
STEP = 100_000


class ExtractionTimeout(InputError):
    """A document took longer than its extraction budget.

    ``partial`` holds what the finished stages found (set by the backend that stopped; None if it
    kept nothing), its Document entity marked ``processingStatus: partial``.
    """

    partial: ExtractionResult | None = None


@dataclass
class Budget:
    doc_id: str
    seconds: float
    deadline: float
    size: int

    def check(self, stage: str, position: int | None = None) -> None:
        """Raise :class:`ExtractionTimeout` once the deadline has passed."""
        if time.thread_time() <= self.deadline:
            return
        where = f" at character {position:,} of {self.size:,}" if position is not None else ""
        raise ExtractionTimeout(
            f"extraction stopped after {self.seconds:g} s (the per-document budget) in {stage}{where}; "
            f"split the document or raise REDTHREAD_EXTRACT_SECONDS (0 = no limit)",
            path=self.doc_id,
        )


_CURRENT: ContextVar[Budget | None] = ContextVar("_CURRENT", default=None)


def seconds_for(size: int) -> float:
    """The budget for a text of ``size`` characters (0 or less: no limit)."""
    raw = settings.extract_seconds()
    try:
        base = float(raw) if raw else DEFAULT_SECONDS
    except ValueError:
        raise InputError(f"REDTHREAD_EXTRACT_SECONDS must be a number of seconds, not {raw!r}",
                         field="REDTHREAD_EXTRACT_SECONDS") from None
    if base <= 0:
        return 0.0
    return base * max(1.0, size / STEP)


@contextmanager
def budget(doc_id: str, size: int, seconds: float | None = None) -> Iterator[Budget | None]:
    """Run the block under a budget for one document; ``check()`` reads it."""
    limit = seconds_for(size) if seconds is None else seconds
    if limit <= 0:
        token = _CURRENT.set(None)
        try:
            yield None
        finally:
            _CURRENT.reset(token)
        return
    b = Budget(doc_id, limit, time.thread_time() + limit, size)
    token = _CURRENT.set(b)
    try:
        yield b
    finally:
        _CURRENT.reset(token)


def check(stage: str, position: int | None = None) -> None:
    """Check the current document's budget (no budget open: nothing to do)."""
    b = _CURRENT.get()
    if b is not None:
        b.check(stage, position)
