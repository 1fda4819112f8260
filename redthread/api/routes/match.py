"""yente-compatible matching: ``POST /match/{dataset}`` and ``GET /algorithms``.

Request and response bodies follow yente (OpenSanctions' API), so existing
yente clients work unchanged: ``{"queries": {"q1": {"schema": "Person",
"properties": {"name": [...]}}}}`` in, ``{"responses": {"q1": {"status",
"results", "total", "query"}}, "matcher", "limit"}`` out. ``dataset`` is a
redthread dataset name, or ``default`` for the whole store. yente's own
algorithm names (``logic-v1``, ``best``, ...) are accepted and answered by
redthread's default scorer; the ``matcher`` block says which one ran.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from redthread.api.deps import pooled_store, require_role
from redthread.errors import InputError
from redthread.screen import algorithms as list_algorithms
from redthread.screen import match as run_match
from redthread.screen.filters import MatchFilters
from redthread.screen.scorers import DEFAULT, scorers

router = APIRouter(tags=["matching"])

#: Queries per request (yente's own batch limit is 100) and values per query property: an
#: unbounded batch (10,000 queries) held a worker for 30 s and answered 18 MB.
MAX_QUERIES = 100
MAX_VALUES = 50

#: yente algorithm names (and aliases) answered by redthread's default scorer.
YENTE_ALIASES = {"best", "default", "logic-v1", "logic-v2", "regression-v1", "regression-v2", "name-based",
                 "name-qualified", "ofac-249", "erun-v1"}


class EntityExample(BaseModel):
    """An FtM entity example (yente ``EntityExample``)."""

    id: str | None = None
    #: Required, as in yente: a query without a schema is refused (422).
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str] | str] = Field(default_factory=dict)

    model_config = {"populate_by_name": True}


class EntityMatchQuery(BaseModel):
    """yente's ``EntityMatchQuery``: named query examples."""

    queries: dict[str, EntityExample]
    #: Scorer options (yente passes them to its algorithm). redthread's
    #: scorers have none: any option is refused (400) rather than ignored.
    config: dict[str, Any] = Field(default_factory=dict)


def _algorithm(name: str) -> str:
    if name in scorers():
        return name
    if name in YENTE_ALIASES:
        return DEFAULT
    raise HTTPException(status_code=400, detail=f"unknown algorithm {name!r}; see GET /algorithms")


def _json(body: dict[str, Any]) -> Response:
    """The body as JSON, written by orjson: FastAPI's generic encoder walks every result's
    properties, features and explanations first, and the standard library's writer took
    about a millisecond a request, a fifth of scoring a query; orjson takes a tenth of
    that. The same JSON (compact, UTF-8). Only a value orjson cannot write (none are made
    today: a key that is not text, an integer past 64 bits) takes the encoder."""
    try:
        return Response(orjson.dumps(body), media_type="application/json")
    except TypeError:
        return JSONResponse(jsonable_encoder(body))


@router.post("/match/{dataset}", dependencies=[require_role("viewer")], response_model=None)
def match(
    dataset: str,
    body: EntityMatchQuery,
    limit: int = Query(5, ge=1, le=500, description="Results per query."),
    threshold: float = Query(0.7, ge=0.0, le=1.0, description="Score at which a result is a match."),
    cutoff: float = Query(0.0, ge=0.0, le=1.0, description="Results scoring at or below are left out."),
    algorithm: str = Query(DEFAULT, description="Scoring algorithm (GET /algorithms)."),
    exclude_entity_ids: list[str] = Query([], description="Entity ids never to return."),
    include_dataset: list[str] = Query([], description="Only entities in one of these datasets."),
    exclude_dataset: list[str] = Query([], description="Leave out entities found only in these datasets."),
    exclude_schema: list[str] = Query([], description="Leave out entities of these schemata (and narrower)."),
    topics: list[str] = Query([], description="Only entities with one of these topics (e.g. sanction)."),
    changed_since: str | None = Query(None, description="Only entities changed on or after this ISO date."),
    *,
    request: Request,
) -> Response:
    """Match query entities against a dataset; yente's request and response shape.

    The store is the worker thread's own (:func:`pooled_store`), taken here
    rather than through the ``get_store`` dependency: FastAPI enters and
    leaves a generator dependency on its thread pool, two more thread hops
    a request than this route's own, and each hop cost about as much as
    reading the body (a one-query request is dominated by such fixed costs).
    """
    store = pooled_store(getattr(request.app.state, "store_url", None))
    if body.config:
        raise HTTPException(status_code=400, detail=f"unknown config option(s) {', '.join(sorted(body.config))}: "
                            "redthread's scorers take no options")
    if len(body.queries) > MAX_QUERIES:
        raise HTTPException(status_code=413, detail=f"{len(body.queries)} queries in one request; "
                            f"send at most {MAX_QUERIES} per request")
    for qname, q in body.queries.items():
        for prop, values in q.properties.items():
            if isinstance(values, list) and len(values) > MAX_VALUES:
                raise HTTPException(status_code=422, detail=f"query {qname!r}: {len(values)} values for "
                                    f"{prop!r}; at most {MAX_VALUES} per property")
    queries = {name: {"id": q.id, "schema": q.schema_, "properties": q.properties}
               for name, q in body.queries.items()}
    try:
        filters = MatchFilters.parse(include_dataset, exclude_dataset, exclude_schema, topics, changed_since)
    except InputError as err:
        raise HTTPException(status_code=400, detail=err.location_message()) from None
    return _json(dict(run_match(store, queries, dataset=dataset, threshold=threshold, limit=limit,
                           algorithm=_algorithm(algorithm), cutoff=cutoff,
                           exclude_entity_ids=set(exclude_entity_ids) or None, filters=filters)))


@router.get("/algorithms", dependencies=[require_role("viewer")])
def algorithms() -> dict[str, Any]:
    """The scoring algorithms, their features and the default (yente shape)."""
    return dict(list_algorithms())
