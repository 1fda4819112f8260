"""Cross-reference: propose pairs of entities that may be the same party.

Every matchable entity is screened against the index of the whole store
(the same blocking and scorer as ``redthread screen``). Pairs are kept when
they come from different datasets (or, with ``within=True``, from any),
score at least ``threshold``, and have not been judged yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redthread.screen.index import index_for
from redthread.screen.scorers import DEFAULT
from redthread.store import Store

ProgressFn = Callable[[str, int, int | None], None]


@dataclass
class Candidate:
    """A proposed same-party pair, with the evidence for it."""

    left_id: str
    right_id: str
    score: float
    left_caption: str
    right_caption: str
    schema: str
    left_datasets: tuple[str, ...]
    right_datasets: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict)
    explanations: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "left_id": self.left_id, "right_id": self.right_id, "score": self.score,
            "left_caption": self.left_caption, "right_caption": self.right_caption, "schema": self.schema,
            "left_datasets": list(self.left_datasets), "right_datasets": list(self.right_datasets),
            "features": self.features, "explanations": self.explanations,
        }


def judged_pairs(store: Store) -> set[tuple[str, str]]:
    """Pairs (canonical ids, sorted) that already carry a judgement."""
    cmap = store.canonical_map()
    out = set()
    for j in store.judgements():
        a, b = cmap.get(j.left_id, j.left_id), cmap.get(j.right_id, j.right_id)
        out.add((min(a, b), max(a, b)))
    return out


def xref(
    store: Store,
    dataset: str | None = None,
    *,
    threshold: float = 0.7,
    limit: int = 100,
    per_entity: int = 5,
    algorithm: str = DEFAULT,
    within: bool = False,
    progress: ProgressFn | None = None,
) -> list[Candidate]:
    """Proposed same-party pairs, best first (at most ``limit``).

    ``dataset`` limits the left side to entities with statements in that
    dataset; the right side is the whole store. Already-judged pairs and
    merged entities are left out.
    """
    index = index_for(store, None)
    judged = judged_pairs(store)
    left_ids = None
    if dataset is not None:
        left_ids = {e["id"] for e in store.entities(dataset=dataset)}
    seen: set[tuple[str, str]] = set()
    out: list[Candidate] = []
    for eidx, eid in enumerate(index.ids):
        if progress is not None and eidx % 200 == 0:
            progress("entities", eidx, len(index))
        if left_ids is not None and eid not in left_ids:
            continue
        record = index.record(eidx)
        for cand in index.search(record, algorithm=algorithm, limit=per_entity, cutoff=threshold, skip=eidx):
            pair = (min(eid, cand.id), max(eid, cand.id))
            if pair in seen or pair in judged:
                continue
            mine, theirs = index.datasets[eidx], cand.datasets
            if not within and set(mine) == set(theirs):
                continue
            seen.add(pair)
            left, right = (eidx, cand.index) if eid == pair[0] else (cand.index, eidx)
            out.append(Candidate(
                index.ids[left], index.ids[right], cand.score.score, index.captions[left], index.captions[right],
                cand.schema, index.datasets[left], index.datasets[right], cand.score.features,
                cand.score.explanations,
            ))
    out.sort(key=lambda c: (-c.score, c.left_id, c.right_id))
    return out[:limit]
