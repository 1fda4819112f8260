"""yente's other endpoints, so OpenSanctions clients find what they expect: search, catalog, health.

- ``GET /search/{dataset}?q=...``: name search through the screening index,
  in yente's ``SearchResponse`` shape (``limit``, ``offset``, ``total``,
  ``results`` as entities, ``facets``);
- ``GET /catalog``: every dataset of the store as a yente ``DatasetModel``,
  plus the ``default`` and ``sanctions`` collections (everything);
- ``GET /healthz``, ``GET /readyz``: ``{"status": "ok"}``; ready once the
  store answers and, under ``redthread serve``, the screening path is warm
  (until then ``/readyz`` answers 503 ``{"status": "warming"}``).

The entity route (``/entities/{id}``) keeps redthread's profile shape for our
UI (see :mod:`redthread.api.routes.entities`); with yente's ``nested``
parameter it answers yente's ``EntityResponse`` instead (:func:`yente_entity`),
which is what nomenklatura's YenteEnricher reads on ``expand``;
``/entities/{id}/adjacent[/{property}]`` pages the same neighbours per
linking property (yente's ``EntityAdjacentResponse`` / ``AdjacentResultsResponse``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from followthemoney import model

from redthread.api.deps import get_store, require_role
from redthread.errors import InputError
from redthread.model.entity import Entity
from redthread.screen.filters import MatchFilters
from redthread.screen.index import index_for
from redthread.screen.matching import ALL_DATASETS, POOL_LIMIT, query_record
from redthread.screen.state import store_state
from redthread.screen.warm import Warmup
from redthread.store import Store

router = APIRouter(tags=["yente"])

#: yente collection names that mean the whole store.
COLLECTIONS = ("default", "sanctions")


@router.get("/healthz", dependencies=[require_role("viewer")])
async def healthz() -> dict[str, str]:
    """Liveness: the process answers (guarded like every route: loopback or a key).

    Async: it does no I/O, so it need not pay a hop to FastAPI's thread pool.
    """
    return {"status": "ok"}


@router.get("/readyz", dependencies=[require_role("viewer")], response_model=None)
def readyz(request: Request, store: Store = Depends(get_store)) -> dict[str, str] | JSONResponse:
    """Readiness: the store answers (its loads can be read) and screening is warm.

    While ``redthread serve`` warms the screening path (:mod:`redthread.screen.warm`)
    the answer is 503 with ``{"status": "warming"}`` (yente's ``StatusResponse``
    shape; yente too answers 503 until its index is ready). A warm-up that
    failed does not keep the server out: it is ready, and the first query pays.
    """
    warmup: Warmup | None = getattr(request.app.state, "warmup", None)
    if warmup is not None and not warmup.ready:
        return JSONResponse({"status": "warming"}, status_code=503, headers={"Retry-After": "1"})
    try:
        store_state(store)
    except Exception as err:  # any store failure means not ready; say why
        raise HTTPException(status_code=503, detail=f"store not ready: {err}") from None
    return {"status": "ok"}


def _dataset_model(name: str, title: str, version: str, children: list[str]) -> dict[str, Any]:
    return {"name": name, "title": title, "summary": None, "url": None, "load": True, "entities_url": None,
            "version": version, "index_version": version, "index_current": True, "children": children}


def _entity_body(ent: dict[str, Any]) -> dict[str, Any]:
    return {"id": ent["id"], "caption": ent.get("caption") or ent["id"], "schema": ent["schema"],
            "properties": {k: list(v) for k, v in ent.get("properties", {}).items()},
            "datasets": list(ent.get("datasets", [])), "referents": list(ent.get("referents", [])),
            "target": False, "first_seen": ent.get("first_seen"), "last_seen": ent.get("last_seen"),
            "last_change": ent.get("last_seen")}


def yente_entity(store: Store, entity_id: str, nested: bool) -> dict[str, Any] | None:
    """One entity as yente's ``EntityResponse``; ``nested``: its neighbours inline, one level deep.

    Outgoing references (an ownership's owner) become the referenced entity;
    incoming ones (the ownerships and sanctions pointing here) are listed
    under the reverse property (``ownershipAsset``, ``sanctions``), each
    with this entity's id left as a plain id, as yente does.
    """
    ent = store.entity(entity_id)
    if ent is None:
        return None
    state = store_state(store)
    body = _entity_body(ent)
    listing = state.status(store).of(str(ent["id"]))
    topics = list(dict.fromkeys([str(t) for t in body["properties"].get("topics", [])] + listing["topics"]))
    if topics:
        body["properties"]["topics"] = topics
    body["target"] = any(t.startswith("sanction") for t in topics)
    if not nested:
        return body
    body["properties"].update(_adjacent(store, ent))
    return body


def _adjacent(store: Store, ent: dict[str, Any]) -> dict[str, list[Any]]:
    """The entity's neighbours one level deep, by the property that links them.

    Outgoing references (an ownership's owner) become the referenced entity
    (a dangling id stays a plain id); incoming ones (the ownerships and
    sanctions pointing here) are listed under the reverse property
    (``ownershipAsset``, ``sanctions``), each once.
    """
    out: dict[str, list[Any]] = {}
    schema = model.get(ent["schema"])
    for name, values in ent.get("properties", {}).items():
        prop = schema.get(name) if schema else None
        if prop is None or prop.type.name != "entity":
            continue
        inline: list[Any] = []
        for value in values:
            other = store.entity(str(value))
            inline.append(_entity_body(other) if other else str(value))
        out[name] = inline
    seen: set[str] = set()
    for stmt in store.referencing(str(ent["id"])):
        other_schema = model.get(stmt.schema)
        prop = other_schema.get(stmt.prop) if other_schema else None
        if prop is None or prop.reverse is None or stmt.entity_id in seen:
            continue
        seen.add(stmt.entity_id)
        other = store.entity(stmt.entity_id)
        if other is not None:
            out.setdefault(prop.reverse.name, []).append(_entity_body(other))
    return out


def _page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """One property's neighbours as yente's ``AdjacentResultsResponse``."""
    return {"results": items[offset:offset + limit], "total": {"value": len(items), "relation": "eq"},
            "limit": limit, "offset": offset}


def _known_entity(store: Store, entity_id: str) -> dict[str, Any]:
    ent = store.entity(entity_id)
    if ent is None:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    return ent


@router.get("/entities/{entity_id}/adjacent", dependencies=[require_role("viewer")])
def adjacent(
    entity_id: str,
    limit: int = Query(10, ge=0, le=500, description="Neighbours per property."),
    offset: int = Query(0, ge=0, le=10_000),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """yente's ``EntityAdjacentResponse``: the entity, and its neighbours paged per linking property.

    The same neighbours as ``/entities/{id}?nested=true``, for clients
    (nomenklatura, yente's UI) that page them instead.
    """
    ent = _known_entity(store, entity_id)
    body = yente_entity(store, entity_id, nested=False)
    assert body is not None  # the entity exists: checked above
    return {"entity": body,
            "adjacent": {name: _page(items, limit, offset) for name, items in _adjacent(store, ent).items()}}


@router.get("/entities/{entity_id}/adjacent/{property_name}", dependencies=[require_role("viewer")])
def adjacent_by_property(
    entity_id: str,
    property_name: str,
    limit: int = Query(10, ge=0, le=500, description="Neighbours to return."),
    offset: int = Query(0, ge=0, le=10_000),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """yente's ``AdjacentResultsResponse`` for one linking property; 404 if the schema has no such property."""
    ent = _known_entity(store, entity_id)
    schema = model.get(ent["schema"])
    prop = schema.get(property_name) if schema else None
    if prop is None or prop.type.name != "entity":
        raise HTTPException(status_code=404,
                            detail=f"{ent['schema']} has no entity property {property_name!r}")
    return _page(_adjacent(store, ent).get(property_name, []), limit, offset)


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
    include_dataset: list[str] = Query([], description="Only entities in one of these datasets."),
    exclude_dataset: list[str] = Query([], description="Leave out entities found only in these datasets."),
    exclude_schema: list[str] = Query([], description="Leave out entities of these schemata (and narrower)."),
    topics: list[str] = Query([], description="Only entities with one of these topics (e.g. sanction)."),
    changed_since: str | None = Query(None, description="Only entities changed on or after this ISO date."),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """Entities whose names resemble ``q`` (yente's ``SearchResponse``; best first), filtered as yente's."""
    state = store_state(store)
    scope = None if dataset in ALL_DATASETS else dataset
    if scope is not None and scope not in state.datasets:
        raise HTTPException(status_code=404, detail=f"no dataset {dataset!r}; see GET /catalog")
    try:
        record = query_record("q", {"schema": schema, "properties": {"name": [q]}})
        filters = MatchFilters.parse(include_dataset, exclude_dataset, exclude_schema, topics, changed_since)
    except InputError as err:
        raise HTTPException(status_code=400, detail=err.location_message()) from None
    index = index_for(store, scope, digest=state.digest)
    found = index.search(record, limit=POOL_LIMIT if filters.on_results else offset + limit, cutoff=0.3,
                         **filters.index_kwargs())
    results = []
    for cand in found:
        ent = state.entity(store, cand.id) or Entity()
        listing = state.status(store).of(cand.id)
        props = dict(ent.get("properties", {}))
        topics_all = list(dict.fromkeys([str(t) for t in props.get("topics", [])] + listing["topics"]))
        if topics_all:
            props["topics"] = topics_all
        results.append({
            "id": cand.id, "caption": ent.get("caption", cand.caption), "schema": cand.schema,
            "properties": props, "datasets": ent.get("datasets", list(cand.datasets)),
            "referents": ent.get("referents", []), "target": bool(listing["topics"]),
            "first_seen": ent.get("first_seen"), "last_seen": ent.get("last_seen"),
            "last_change": ent.get("last_seen"),
        })
    if filters.on_results:
        results = [r for r in results if filters.keeps(r)]
    return {"limit": limit, "offset": offset, "total": {"value": len(results), "relation": "eq"},
            "results": results[offset:offset + limit], "facets": {}}
