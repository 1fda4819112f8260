"""Datasets and store statistics."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from redthread.api.deps import get_store, require_role
from redthread.api.schemas import DatasetOut, DatasetsOut, StatsOut
from redthread.store import Store, StoreStats

router = APIRouter(tags=["datasets"])


@router.get("/datasets", response_model=DatasetsOut, dependencies=[require_role("viewer")])
def datasets(store: Store = Depends(get_store)) -> DatasetsOut:
    """Every dataset with entity, statement and source counts and its last load."""
    return DatasetsOut(datasets=[
        DatasetOut(name=d.name, entities=d.entities, statements=d.statements, removed=d.removed, sources=d.sources,
                   last_load=d.last_load) for d in store.datasets()])


@router.get("/stats", response_model=StatsOut, dependencies=[require_role("viewer")])
def stats(store: Store = Depends(get_store)) -> StoreStats:
    """Counts of statements, entities, documents, by schema."""
    return store.stats()
