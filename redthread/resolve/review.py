"""Review proposed pairs one by one and record the answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import with_config
from typing_extensions import TypedDict

from redthread.model.entity import Entity
from redthread.model.records import OPEN
from redthread.resolve.judgements import judge, verdict
from redthread.resolve.xref import Candidate
from redthread.store import Store

#: What a reviewer can answer: y(es) n(o) u(nsure) s(kip) q(uit).
ANSWERS = {"y": "positive", "n": "negative", "u": "unsure", "s": "skip", "q": "quit"}


@with_config(OPEN)
class PairSide(TypedDict):
    """One side's header (all ``None`` when the entity is gone)."""

    id: str | None
    schema: str | None
    caption: str | None
    datasets: list[str] | None


@with_config(OPEN)
class PairProperty(TypedDict):
    prop: str
    left: list[str]
    right: list[str]
    shared: list[str]


@with_config(OPEN)
class PairView(TypedDict):
    """Two entities side by side (``/xref/{left}/{right}`` declares this shape)."""

    left: PairSide
    right: PairSide
    properties: list[PairProperty]


def pair_view(store: Store, left_id: str, right_id: str) -> PairView:
    """Two entities side by side: per property, each side's values (and where from)."""
    left, right = store.entity(left_id), store.entity(right_id)
    props: list[PairProperty] = []
    left_props = left.properties if left else {}
    right_props = right.properties if right else {}
    for prop in sorted(set(left_props) | set(right_props)):
        lv, rv = left_props.get(prop, []), right_props.get(prop, [])
        props.append(PairProperty(prop=prop, left=lv, right=rv, shared=sorted(set(lv) & set(rv))))
    return PairView(left=_side(left), right=_side(right), properties=props)


def _side(entity: Entity | None) -> PairSide:
    if entity is None:
        return PairSide(id=None, schema=None, caption=None, datasets=None)
    return PairSide(id=entity.id, schema=entity.schema, caption=entity.caption, datasets=entity.datasets)


def review(
    store: Store,
    candidates: Iterable[Candidate],
    ask: Callable[[Candidate, PairView], str],
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
