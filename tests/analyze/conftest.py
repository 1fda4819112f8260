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
