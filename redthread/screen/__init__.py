"""Screening: match names in any script against the store, yente-style.

Entry points: :func:`match` (the yente ``/match`` body), :func:`screen`
(one name, a few keyword filters), :class:`ScreeningIndex` /
:func:`index_for` (the cached blocking index) and the scorer registry in
:mod:`redthread.screen.scorers`.
"""

from __future__ import annotations

from redthread.screen.index import ScreeningIndex, clear_cache, index_for
from redthread.screen.matching import algorithms, match, match_index
from redthread.screen.screening import screen

__all__ = ["ScreeningIndex", "algorithms", "clear_cache", "index_for", "match", "match_index", "screen"]
