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

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, JsonValue
from starlette.concurrency import run_in_threadpool

from redthread.api.auth import off_loop
from redthread.api.deps import pooled_store, require_role
from redthread.errors import InputError
from redthread.screen import algorithms as list_algorithms
from redthread.screen import match as run_match
from redthread.screen.filters import MatchFilters
from redthread.screen.index import is_loaded
from redthread.screen.matching import ALL_DATASETS
from redthread.screen.scorers import DEFAULT, scorers
from redthread.screen.screening import QueryExample
from redthread.screen.state import StoreState, store_state
from redthread.screen.warm import Warmup

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
    config: dict[str, JsonValue] = Field(default_factory=dict)


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


class MatchParams(BaseModel):
    """The ``/match`` query string, read from the request in one validation.

    Declared one by one, FastAPI looked up, validated and collected eleven
    parameters separately on every request (about a millisecond, the largest
    part of what the app added to a one-query match); as one model they are
    one pydantic validation, with the same bounds, the same documentation and
    the same 422 errors (``loc: ["query", <name>]``).
    """

    limit: int = Field(5, ge=1, le=500, description="Results per query.")
    threshold: float = Field(0.7, ge=0.0, le=1.0, description="Score at which a result is a match.")
    cutoff: float = Field(0.0, ge=0.0, le=1.0, description="Results scoring at or below are left out.")
    algorithm: str = Field(DEFAULT, description="Scoring algorithm (GET /algorithms).")
    exclude_entity_ids: list[str] = Field([], description="Entity ids never to return.")
    include_dataset: list[str] = Field([], description="Only entities in one of these datasets.")
    exclude_dataset: list[str] = Field([], description="Leave out entities found only in these datasets.")
    exclude_schema: list[str] = Field([], description="Leave out entities of these schemata (and narrower).")
    topics: list[str] = Field([], description="Only entities with one of these topics (e.g. sanction).")
    changed_since: str | None = Field(None, description="Only entities changed on or after this ISO date.")


#: Largest ``limit`` a request may ask for and still be answered on the event loop (see :func:`_on_loop`).
LOOP_LIMIT = 25


def _checked(body: EntityMatchQuery) -> dict[str, QueryExample]:
    """The request's queries as :func:`redthread.screen.match` takes them; 400/413/422 for what we refuse."""
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
    return {name: QueryExample(id=q.id, schema=q.schema_, properties=q.properties)
            for name, q in body.queries.items()}


def _filters(params: MatchParams) -> MatchFilters:
    try:
        return MatchFilters.parse(params.include_dataset, params.exclude_dataset, params.exclude_schema,
                                  params.topics, params.changed_since)
    except InputError as err:
        raise HTTPException(status_code=400, detail=err.location_message()) from None


def _answer(store_url: str | None, dataset: str, queries: dict[str, QueryExample], params: MatchParams,
            filters: MatchFilters, state: StoreState | None = None) -> Response:
    """The match body, on whichever thread runs it (the store is that thread's own: :func:`pooled_store`).

    ``state``: the store's state as :func:`_on_loop` just read it on this
    same thread (its content digest is a read of the store's loads and
    judgements, and was read twice a request).
    """
    store = pooled_store(store_url)
    return _json(dict(run_match(store, queries, dataset=dataset, threshold=params.threshold, limit=params.limit,
                                algorithm=_algorithm(params.algorithm), cutoff=params.cutoff,
                                exclude_entity_ids=set(params.exclude_entity_ids) or None, filters=filters,
                                state=state)))


def _on_loop(request: Request, dataset: str, queries: dict[str, QueryExample], params: MatchParams,
             filters: MatchFilters) -> StoreState | None:
    """The store's state if this request is answered on the event loop, None for the thread pool.

    The hop to FastAPI's thread pool and back cost about 0.7 ms of CPU, a
    fifth of a warm one-query match, and bought nothing for it: scoring is
    Python under the GIL, so a worker thread does not run beside the loop
    anyway. A request is answered in place only when it is known to be
    short: a warmed server (:mod:`redthread.screen.warm`), one query, at
    most :data:`LOOP_LIMIT` results, no filter that makes the matcher score
    a whole pool, an embedded (SQLite) store whose reads do not cross the
    network, and the index and listing status of the current content in
    memory (a new load would otherwise build an index on the loop); a named
    dataset also needs the store's datasets read (:meth:`StoreState.index_scope`:
    a dataset that covers the store is answered by the whole-store index). Anything
    else (a batch, a network store, a cold index) goes to the thread pool
    as before, so the loop keeps answering ``/healthz`` and ``/readyz``.
    """
    warmup: Warmup | None = getattr(request.app.state, "warmup", None)
    store_url: str | None = getattr(request.app.state, "store_url", None)
    if (warmup is None or warmup.state != "ready" or store_url is None or len(queries) != 1
            or params.limit > LOOP_LIMIT or filters.on_results or off_loop(store_url)):
        return None
    store = pooled_store(store_url)
    state = store_state(store)
    if dataset not in ALL_DATASETS and not state.scopes_known:
        return None
    scope = state.index_scope(store, None if dataset in ALL_DATASETS else dataset)
    return state if state.status_loaded and is_loaded(store.url, scope, state.digest) else None


@router.post("/match/{dataset}", dependencies=[require_role("viewer")], response_model=None)
async def match(
    dataset: str,
    body: EntityMatchQuery,
    params: Annotated[MatchParams, Query()],
    *,
    request: Request,
) -> Response:
    """Match query entities against a dataset; yente's request and response shape.

    The store is the running thread's own (:func:`pooled_store`), taken
    inside rather than through the ``get_store`` dependency: FastAPI enters
    and leaves a generator dependency on its thread pool, two more thread
    hops a request. A short request on a warmed server is answered on the
    event loop, any other on the thread pool (:func:`_on_loop`).
    """
    queries = _checked(body)
    filters = _filters(params)
    store_url: str | None = getattr(request.app.state, "store_url", None)
    state = _on_loop(request, dataset, queries, params, filters)
    if state is not None:
        return _answer(store_url, dataset, queries, params, filters, state)
    return await run_in_threadpool(_answer, store_url, dataset, queries, params, filters)


@router.get("/algorithms", dependencies=[require_role("viewer")])
def algorithms() -> dict[str, Any]:
    """The scoring algorithms, their features and the default (yente shape)."""
    return dict(list_algorithms())
