"""Entities: profile with statements and sources, search."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from redthread.analyze.profile import profile
from redthread.api.deps import get_store, require_role
from redthread.api.routes.yente import yente_entity
from redthread.api.schemas import ProfileOut, SearchHit, SearchOut, StatementsOut
from redthread.model.analysis import Profile
from redthread.search import search as find
from redthread.store import Store

router = APIRouter(tags=["entities"])


@router.get("/entities/{entity_id}", response_model=ProfileOut, dependencies=[require_role("viewer")])
def get_entity(entity_id: str, store: Store = Depends(get_store),
               nested: bool | None = Query(None, description="yente's EntityResponse instead of the profile "
                                                            "(true: neighbours inline)")) -> Profile | JSONResponse:
    """An entity's profile: every value with its sources; links in and out (yente's shape with ``nested``)."""
    if nested is not None:
        body = yente_entity(store, entity_id, nested)
        if body is None:
            raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
        return JSONResponse(body)  # yente's shape, not the profile the schema documents
    prof = profile(store, entity_id)
    if prof is None:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    return prof


@router.get("/search", response_model=SearchOut, dependencies=[require_role("viewer")])
def search(q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=200),
           store: Store = Depends(get_store)) -> SearchOut:
    """Entities whose names match ``q`` in any script, case or transliteration, forgiving typos."""
    results: list[SearchHit] = []
    for hit in find(store, q, limit=limit):
        ent = store.entity(hit["id"])
        if ent:
            results.append(SearchHit(id=hit["id"], schema=ent.schema, caption=ent.caption, datasets=ent.datasets,
                                     matched=hit["name"], score=hit["score"]))
    return {"query": q, "results": results}


@router.get("/entities/{entity_id}/statements", response_model=StatementsOut, dependencies=[require_role("viewer")])
def entity_statements(entity_id: str, include_removed: bool = Query(True),
                      store: Store = Depends(get_store)) -> StatementsOut:
    """Every statement about an entity (and entities merged into it), with provenance."""
    cid = store.canonical_id(entity_id)
    stmts = store.entity_statements(cid, include_removed=include_removed)
    if not stmts:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    return {"id": cid, "statements": [s.to_dict() for s in stmts]}
