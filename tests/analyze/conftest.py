"""Stores loaded with our analytics fixtures (tests/fixtures/analyze)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.store import Store


def load(store: Store, fixtures: Path, *names: str) -> Store:
    paths = [fixtures / "analyze" / name for name in names]
    ingest(store, paths, "analyze")
    return store


@pytest.fixture
def ownership_store(store: Store, fixtures: Path) -> Store:
    return load(store, fixtures, "ownership.ftm.jsonl")


@pytest.fixture
def exposure_store(store: Store, fixtures: Path) -> Store:
    """The exposure fixture plus one hedged, low-confidence link written directly."""
    from redthread.model import entity_statements
    from redthread.store import LoadBatch

    load(store, fixtures, "exposure.ftm.jsonl")
    stmts = entity_statements(
        {"id": "x-assoc-hs", "schema": "Associate", "properties": {"person": ["x-h"], "associate": ["x-s"]}},
        "analyze", source="memo.txt", origin="test",
    )
    for s in stmts:
        if s.prop in ("person", "associate"):
            s.hedge = "reportedly"
            s.quote = "Hotel Hedged is reportedly close to the plant"
    store.write(LoadBatch(dataset="analyze", source="memo.txt", statements=stmts))
    return store


@pytest.fixture
def redflags_store(store: Store, fixtures: Path) -> Store:
    """The red-flag fixture, plus a registry extract re-loaded without a director."""
    load(store, fixtures, "redflags.ftm.jsonl")
    folder = fixtures / "analyze"
    ingest(store, [folder / "registry-v1.ftm.jsonl"], "registry", source="registry")
    ingest(store, [folder / "registry-v2.ftm.jsonl"], "registry", source="registry")
    return store


@pytest.fixture
def claims_store(store: Store, fixtures: Path) -> Store:
    """Two publications (datasets) that agree on some facts and contradict each other on others."""
    ingest(store, [fixtures / "analyze" / "claims-a.ftm.jsonl"], "press-a")
    ingest(store, [fixtures / "analyze" / "claims-b.ftm.jsonl"], "press-b")
    return store
