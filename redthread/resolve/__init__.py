"""Entity resolution: propose same-party pairs, record judgements, undo them.

Judgements go to the store (``store.add_judgement``), which derives
canonical ids from positive ones; source statements are never rewritten.
Entry points: :func:`xref`, :func:`judge`, :func:`unjudge`,
:func:`pair_view`, :func:`review`.
"""

from __future__ import annotations

from redthread.resolve.judgements import VERDICTS, judge, unjudge
from redthread.resolve.review import pair_view, review
from redthread.resolve.xref import Candidate, xref

__all__ = ["VERDICTS", "Candidate", "judge", "pair_view", "review", "unjudge", "xref"]
