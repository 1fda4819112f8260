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

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from redthread.api.deps import get_store, require_role
from redthread.screen import algorithms as list_algorithms
from redthread.screen import match as run_match
from redthread.screen.scorers import DEFAULT, scorers
from redthread.store import Store

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
    schema_: str = Field("LegalEntity", alias="schema")
    properties: dict[str, list[str] | str] = Field(default_factory=dict)

    model_config = {"populate_by_name": True}


class EntityMatchQuery(BaseModel):
    """yente's ``EntityMatchQuery``: named query examples."""

    queries: dict[str, EntityExample]


def _algorithm(name: str) -> str:
    if name in scorers():
        return name
    if name in YENTE_ALIASES:
        return DEFAULT
    raise HTTPException(status_code=400, detail=f"unknown algorithm {name!r}; see GET /algorithms")


@router.post("/match/{dataset}", dependencies=[require_role("viewer")])
def match(
    dataset: str,
    body: EntityMatchQuery,
    limit: int = Query(5, ge=1, le=500, description="Results per query."),
    threshold: float = Query(0.7, ge=0.0, le=1.0, description="Score at which a result is a match."),
    cutoff: float = Query(0.0, ge=0.0, le=1.0, description="Results scoring at or below are left out."),
    algorithm: str = Query(DEFAULT, description="Scoring algorithm (GET /algorithms)."),
    exclude_entity_ids: list[str] = Query([], description="Entity ids never to return."),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """Match query entities against a dataset; yente's request and response shape."""
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
    return run_match(store, queries, dataset=dataset, threshold=threshold, limit=limit,
                     algorithm=_algorithm(algorithm), cutoff=cutoff,
                     exclude_entity_ids=set(exclude_entity_ids) or None)


@router.get("/algorithms", dependencies=[require_role("viewer")])
def algorithms() -> dict[str, Any]:
    """The scoring algorithms, their features and the default (yente shape)."""
    return list_algorithms()
