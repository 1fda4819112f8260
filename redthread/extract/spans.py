"""Character spans and fast overlap queries (extraction stays linear on long documents)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanIndex:
    """(start, end) spans, possibly overlapping, queried by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._starts = [a for a, _ in self._spans]
        self._longest = max((b - a for a, b in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._spans.insert(i, (start, end))
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans that share at least one character with [start, end)."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s[0] < end and start < s[1]]

    def covers(self, pos: int) -> bool:
        """Some span contains character ``pos``."""
        return bool(self.overlapping(pos, pos + 1))
