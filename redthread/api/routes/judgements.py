"""Resolution over HTTP: candidate pairs, judgements, undo.

``GET /xref`` proposes same-party pairs (viewer); ``GET /judgements`` lists
judgements (viewer); ``POST /judgements`` records one (analyst);
``DELETE /judgements/{left_id}/{right_id}`` undoes one (analyst). A
positive judgement merges the two entities under one canonical id; source
statements are never changed.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from redthread.api.deps import authenticate, get_store, require_role
from redthread.api.schemas import JudgedOut, JudgementOut, JudgementsOut, PairOut, RemovedOut, XrefOut
from redthread.resolve import judge, pair_view, unjudge
from redthread.resolve.xref import compute, compute_in_background, fresh, select
from redthread.store import Judgement, Store

router = APIRouter(tags=["resolution"])


class JudgementIn(BaseModel):
    left_id: str
    right_id: str
    judgement: str
    score: float | None = None


@router.get("/xref", response_model=XrefOut, dependencies=[require_role("viewer")])
def get_xref(
    dataset: str | None = Query(None, description="Only pairs with an entity from this dataset."),
    threshold: float = Query(0.7, ge=0.0, le=1.0),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, description="Skip this many pairs (pages of ``limit``)."),
    within: bool = Query(True, description="Also pairs inside one dataset."),
    entity_id: str | None = Query(None, description="Only pairs about this entity."),
    wait: bool = Query(False, description="Compute the candidates now instead of in the background."),
    store: Store = Depends(get_store),
) -> XrefOut:
    """Proposed same-party pairs, best first, with per-feature scores, one page at a time.

    Candidates are computed once per store content. While they are being
    computed (after a load) the answer is ``{"status": "computing", "done",
    "total"}``: ask again; ``wait=true`` computes them in the request.
    """
    cset = compute(store) if wait else fresh(store)
    if cset is None:
        page = compute_in_background(store).to_dict()
        page["total"] = None
        return page
    cands = select(store, cset, dataset, threshold=threshold, within=within, entity_id=entity_id)
    return {"status": "ready", "candidates": cands[offset:offset + limit],
            "total": len(cands), "offset": offset, "limit": limit}


@router.get("/xref/{left_id}/{right_id}", response_model=PairOut, dependencies=[require_role("viewer")])
def get_pair(left_id: str, right_id: str, store: Store = Depends(get_store)) -> PairOut:
    """Two entities side by side, for review."""
    view = pair_view(store, left_id, right_id)
    if view["left"]["id"] is None or view["right"]["id"] is None:
        raise HTTPException(status_code=404, detail="one of the entities does not exist")
    return view


@router.get("/judgements", response_model=JudgementsOut, dependencies=[require_role("viewer")])
def list_judgements(store: Store = Depends(get_store)) -> JudgementsOut:
    return JudgementsOut(judgements=[_judgement(j) for j in store.judgements()])


@router.post("/judgements", response_model=JudgedOut, status_code=201, dependencies=[require_role("analyst")])
def post_judgement(body: JudgementIn, store: Store = Depends(get_store),
                   caller: str = Depends(authenticate)) -> JudgedOut:
    """Record a judgement; positive merges the pair."""
    rec = judge(store, body.left_id, body.right_id, body.judgement, user=f"api:{caller}", score=body.score)
    return JudgedOut(judgement=_judgement(rec), canonical_id=store.canonical_id(body.left_id))


@router.delete("/judgements/{left_id}/{right_id}", response_model=RemovedOut, dependencies=[require_role("analyst")])
def delete_judgement(left_id: str, right_id: str, store: Store = Depends(get_store)) -> RemovedOut:
    """Undo a judgement (and the merge it made)."""
    if not unjudge(store, left_id, right_id):
        raise HTTPException(status_code=404, detail=f"no judgement on {left_id} / {right_id}")
    return RemovedOut(removed=True)


def _judgement(j: Judgement) -> JudgementOut:
    return JudgementOut(left_id=j.left_id, right_id=j.right_id, judgement=j.judgement, user=j.user,
                        created_at=j.created_at, score=j.score)
