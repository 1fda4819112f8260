"""Review proposed pairs one by one and record the answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from redthread.model.entity import Entity
from redthread.resolve.judgements import judge, verdict
from redthread.resolve.xref import Candidate
from redthread.store import Store

#: What a reviewer can answer: y(es) n(o) u(nsure) s(kip) q(uit).
ANSWERS = {"y": "positive", "n": "negative", "u": "unsure", "s": "skip", "q": "quit"}


def pair_view(store: Store, left_id: str, right_id: str) -> dict[str, Any]:
    """Two entities side by side: per property, each side's values (and where from)."""
    left, right = store.entity(left_id), store.entity(right_id)
    props: list[dict[str, Any]] = []
    left_props = left.properties if left else {}
    right_props = right.properties if right else {}
    for prop in sorted(set(left_props) | set(right_props)):
        lv, rv = left_props.get(prop, []), right_props.get(prop, [])
        props.append({"prop": prop, "left": lv, "right": rv, "shared": sorted(set(lv) & set(rv))})
    return {"left": _side(left), "right": _side(right), "properties": props}


def _side(entity: Entity | None) -> dict[str, Any]:
    """One side's header (``None`` values when the entity is gone)."""
    if entity is None:
        return dict.fromkeys(("id", "schema", "caption", "datasets"))
    return {"id": entity.id, "schema": entity.schema, "caption": entity.caption, "datasets": entity.datasets}


def review(
    store: Store,
    candidates: Iterable[Candidate],
    ask: Callable[[Candidate, dict[str, Any]], str],
    *,
    user: str = "cli",
) -> dict[str, int]:
    """Ask about each candidate and record the answer; stops on ``q``.

    ``ask`` gets the candidate and its :func:`pair_view` and returns one of
    y/n/u/s/q (or a verdict name). Returns counts per answer.
    """
    counts = {"positive": 0, "negative": 0, "unsure": 0, "skip": 0}
    for cand in candidates:
        if store.canonical_id(cand.left_id) == store.canonical_id(cand.right_id):
            continue  # merged meanwhile (a transitive positive)
        answer = ask(cand, pair_view(store, cand.left_id, cand.right_id)).strip().lower()
        action = ANSWERS.get(answer[:1], answer) if answer else "skip"
        if action == "quit":
            break
        if action == "skip":
            counts["skip"] += 1
            continue
        decided = verdict(action)
        judge(store, cand.left_id, cand.right_id, decided, user=user, score=cand.score)
        counts[decided] += 1
    return counts
