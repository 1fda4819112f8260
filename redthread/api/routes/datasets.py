"""Datasets and store statistics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from redthread.api.deps import get_store, require_role
from redthread.api.schemas import DatasetsOut, StatsOut
from redthread.store import Store

router = APIRouter(tags=["datasets"])


@router.get("/datasets", response_model=DatasetsOut, dependencies=[require_role("viewer")])
def datasets(store: Store = Depends(get_store)) -> dict[str, Any]:
    """Every dataset with entity, statement and source counts and its last load."""
    return {"datasets": [d.__dict__ for d in store.datasets()]}


@router.get("/stats", response_model=StatsOut, dependencies=[require_role("viewer")])
def stats(store: Store = Depends(get_store)) -> dict[str, Any]:
    """Counts of statements, entities, documents, by schema."""
    return store.stats()
