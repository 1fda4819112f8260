"""Record and undo resolution judgements (positive, negative, unsure)."""

from __future__ import annotations

from redthread.errors import InputError
from redthread.model import now_iso
from redthread.store import Store
from redthread.store.base import Judgement

VERDICTS = ("positive", "negative", "unsure")
#: Short answers accepted wherever a verdict is typed.
ALIASES = {"y": "positive", "yes": "positive", "n": "negative", "no": "negative", "u": "unsure",
           "same": "positive", "different": "negative"}


def verdict(text: str) -> str:
    """A verdict from its name or a short answer (y/n/u)."""
    value = ALIASES.get(text.strip().lower(), text.strip().lower())
    if value not in VERDICTS:
        raise InputError(f"unknown judgement {text!r}; use positive, negative or unsure (y/n/u)",
                         field="judgement")
    return value


def judge(store: Store, left_id: str, right_id: str, judgement: str, *, user: str = "cli",
          score: float | None = None) -> Judgement:
    """Say whether two entities are the same party; positive merges them.

    Both entities must exist; an entity cannot be judged against itself.
    A new judgement on the same pair replaces the old one.
    """
    if left_id == right_id:
        raise InputError("an entity cannot be judged against itself", field="right_id")
    for field, eid in (("left_id", left_id), ("right_id", right_id)):
        if store.entity(eid) is None:  # a bad value in the request, not a missing resource: 422
            raise InputError(f"no entity {eid!r} in the store; see `redthread search`", field=field)
    record = Judgement(left_id, right_id, verdict(judgement), user, now_iso(), score)
    store.add_judgement(record)
    return record


def unjudge(store: Store, left_id: str, right_id: str) -> bool:
    """Undo the judgement on a pair (and the merge it made); False if there was none."""
    return store.remove_judgement(left_id, right_id)
