"""Stores, picked by URL: ``sqlite:///...`` (default) or ``postgresql://...``."""

from __future__ import annotations

from redthread import settings
from redthread.errors import ConfigError
from redthread.store.base import (
    DatasetInfo,
    Document,
    Judgement,
    LoadBatch,
    LoadRecord,
    LoadResult,
    Store,
    StoreStats,
)

__all__ = ["open_store", "Store", "LoadBatch", "LoadResult", "LoadRecord", "StoreStats", "Document", "DatasetInfo",
           "Judgement"]


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (default: ``REDTHREAD_STORE`` or embedded SQLite)."""
    url = url or settings.store_url()
    if url.startswith("sqlite:"):
        from redthread.store.sqlite import SQLiteStore

        return SQLiteStore(url)
    if url.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        from redthread.store.postgres import PostgresStore

        return PostgresStore(url.replace("postgresql+psycopg:", "postgresql:", 1))
    raise ConfigError(
        f"unsupported store URL {url!r}: use sqlite:///path/to/file.db or postgresql://user@host/db"
    )
