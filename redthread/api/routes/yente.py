"""yente's other endpoints, so OpenSanctions clients find what they expect: search, catalog, health.

- ``GET /search/{dataset}?q=...``: name search through the screening index,
  in yente's ``SearchResponse`` shape (``limit``, ``offset``, ``total``,
  ``results`` as entities, ``facets``);
- ``GET /catalog``: every dataset of the store as a yente ``DatasetModel``,
  plus the ``default`` and ``sanctions`` collections (everything);
- ``GET /healthz``, ``GET /readyz``: ``{"status": "ok"}``; ready once the
  store answers.

The entity route (``/entities/{id}``) keeps redthread's profile shape for our
UI (see :mod:`redthread.api.routes.entities`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query

from redthread.api.deps import get_store, require_role
from redthread.errors import InputError
from redthread.screen.index import index_for
from redthread.screen.matching import ALL_DATASETS, query_record
from redthread.screen.state import store_state
from redthread.store import Store

router = APIRouter(tags=["yente"])

#: yente collection names that mean the whole store.
COLLECTIONS = ("default", "sanctions")


@router.get("/healthz", dependencies=[require_role("viewer")])
def healthz() -> dict[str, str]:
    """Liveness: the process answers (guarded like every route: loopback or a key)."""
    return {"status": "ok"}


@router.get("/readyz", dependencies=[require_role("viewer")])
def readyz(store: Store = Depends(get_store)) -> dict[str, str]:
    """Readiness: the store answers (its loads can be read)."""
    try:
        store_state(store)
    except Exception as err:  # any store failure means not ready; say why
        raise HTTPException(status_code=503, detail=f"store not ready: {err}") from None
    return {"status": "ok"}


def _dataset_model(name: str, title: str, version: str, children: list[str]) -> dict[str, Any]:
    return {"name": name, "title": title, "summary": None, "url": None, "load": True, "entities_url": None,
            "version": version, "index_version": version, "index_current": True, "children": children}


@router.get("/catalog", dependencies=[require_role("viewer")])
def catalog(store: Store = Depends(get_store)) -> dict[str, Any]:
    """Datasets as yente's ``DataCatalogModel``; versions are the store's content digest."""
    state = store_state(store)
    names = sorted(state.datasets)
    models = [_dataset_model(n, n, state.digest, []) for n in names]
    models += [_dataset_model(c, f"Everything in the store ({c})", state.digest, names) for c in COLLECTIONS]
    every = [m["name"] for m in models]
    return {"datasets": models, "current": every, "outdated": [], "index_stale": False}


@router.get("/search/{dataset}", dependencies=[require_role("viewer")])
def search(
    dataset: str,
    q: str = Query(..., min_length=1, description="A name to look for."),
    schema: str = Query("LegalEntity", description="FtM schema of what is looked for."),
    limit: int = Query(10, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """Entities whose names resemble ``q`` (yente's ``SearchResponse``; best first)."""
    state = store_state(store)
    scope = None if dataset in ALL_DATASETS else dataset
    if scope is not None and scope not in state.datasets:
        raise HTTPException(status_code=404, detail=f"no dataset {dataset!r}; see GET /catalog")
    try:
        record = query_record("q", {"schema": schema, "properties": {"name": [q]}})
    except InputError as err:
        raise HTTPException(status_code=400, detail=err.location_message()) from None
    index = index_for(store, scope, digest=state.digest)
    found = index.search(record, limit=offset + limit, cutoff=0.3)
    results = []
    for cand in found[offset:offset + limit]:
        ent = state.entity(store, cand.id) or {}
        results.append({
            "id": cand.id, "caption": ent.get("caption", cand.caption), "schema": cand.schema,
            "properties": ent.get("properties", {}), "datasets": ent.get("datasets", list(cand.datasets)),
            "referents": ent.get("referents", []), "target": bool(state.status(store).of(cand.id)["topics"]),
            "first_seen": ent.get("first_seen"), "last_seen": ent.get("last_seen"),
            "last_change": ent.get("last_seen"),
        })
    return {"limit": limit, "offset": offset, "total": {"value": len(found), "relation": "eq"},
            "results": results, "facets": {}}
