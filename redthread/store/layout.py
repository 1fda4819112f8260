"""The folders kept beside a store, worked out from its URL in this one place.

A SQLite store ``cases/acme.db`` keeps its trade records in ``cases/acme.trade/``,
its screening indexes in ``cases/acme.screen/`` and its review candidates in
``cases/acme.xref/``: copying the case folder copies the whole case. A store
with no file of its own (PostgreSQL, or SQLite URLs other than a file path)
keeps them under ``REDTHREAD_HOME`` in a folder named by a digest of its URL.
An in-memory SQLite store keeps no caches on disk (they would outlive it), but
its trade records still need a folder, so they go under ``REDTHREAD_HOME``.

Before this module the URL was re-parsed into folders in four places (trade
table, screening cache, review candidates, SQLite backend), each with its own
idea of which URLs have a file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from redthread import settings

SQLITE_FILE = "sqlite:///"


@dataclass(frozen=True)
class Layout:
    """Where the things kept beside the store at ``url`` live.

    Folders under ``REDTHREAD_HOME`` are worked out when asked, so a changed
    home (tests, a second case in one process) is honoured.
    """

    url: str

    @property
    def database(self) -> Path | None:
        """The SQLite file of the store, or ``None`` (PostgreSQL, in-memory, other SQLite URLs)."""
        if not self.url.startswith(SQLITE_FILE):
            return None
        raw = self.url[len(SQLITE_FILE):]
        if raw in ("", ":memory:"):
            return None
        return Path(raw)

    @property
    def embedded(self) -> bool:
        """True for an embedded (SQLite) store, read in this process; False for a server across the network."""
        return self.url.startswith("sqlite:")

    @property
    def in_memory(self) -> bool:
        """True for SQLite stores with no file: ``sqlite:///:memory:``, other ``sqlite:`` URLs, ``mode=memory``."""
        return self.embedded and (self.database is None or "mode=memory" in self.url)

    def _digest(self) -> str:
        return hashlib.sha1(self.url.encode("utf-8")).hexdigest()[:16]

    def _beside(self, suffix: str) -> Path | None:
        """``<stem>.<suffix>/`` next to the database file; under the home for a server; None in memory."""
        if self.in_memory:
            return None
        db = self.database
        if db is not None:
            return db.with_name(f"{db.stem}.{suffix}")
        return settings.home() / suffix / self._digest()

    @property
    def trade(self) -> Path:
        """The trade records' Parquet folder (always one: an in-memory store's goes under the home)."""
        return self._beside("trade") or settings.home() / "trade" / self._digest()

    @property
    def screen(self) -> Path | None:
        """The screening indexes' folder, or ``None`` for an in-memory store."""
        return self._beside("screen")

    @property
    def xref(self) -> Path | None:
        """The review candidates' folder, or ``None`` for an in-memory store."""
        return self._beside("xref")


def layout(url: str | None = None) -> Layout:
    """The layout of the store at ``url`` (default: the configured store)."""
    return Layout(url or settings.store_url())
