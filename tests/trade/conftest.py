"""Trade fixtures: a store with the invented customs records loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.store import Store

TRADE = Path(__file__).resolve().parents[1] / "fixtures" / "trade"


@pytest.fixture
def trade_dir() -> Path:
    return TRADE


@pytest.fixture
def trade_store(store: Store) -> Store:
    """A store (SQLite and PostgreSQL) with tests/fixtures/trade/records.csv loaded."""
    ingest(store, [TRADE / "records.csv"], "customs")
    return store
