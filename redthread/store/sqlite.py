"""SQLite backend: the embedded default, one file under ``REDTHREAD_HOME``.

WAL journal, so readers never block a loading writer; a second writer queues
behind the first, saying so on the ``redthread.store`` logger (printed on
stderr when nothing else is configured), for up to ``REDTHREAD_WRITE_WAIT_S``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redthread import settings
from redthread.errors import ConfigError, StoreError
from redthread.store.sql import Dialect, SQLStore, schema_tables


def sqlite_path(url: str) -> str:
    """The file path of a SQLite URL, as SQLAlchemy reads them.

    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, ``sqlite:///:memory:``.
    """
    if not url.startswith("sqlite:///"):
        raise ConfigError(f"not a SQLite URL: {url!r} (expected sqlite:///path/to/file.db)")
    path = url[len("sqlite:///"):]
    if not path:
        raise ConfigError(f"SQLite URL has no path: {url!r}")
    return path


class SQLiteStore(SQLStore):
    dialect = Dialect(name="sqlite", param="?", serial="INTEGER PRIMARY KEY AUTOINCREMENT")
    # Bulk reads take most of the table: one scan and a sort beat an index walk with a lookup per row.
    _scan_hint = " NOT INDEXED"

    def _connect(self) -> Any:
        path = sqlite_path(self.url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=60000")
        # Up to 256 MiB of page cache (taken as needed): bulk loads insert in random key order
        # into several indexes, and the default 2 MiB makes them re-read pages from disk.
        conn.execute("PRAGMA cache_size=-262144")
        return conn

    def _schema_ready(self) -> bool:
        tables = schema_tables(self.dialect)
        marks = ", ".join("?" for _ in tables)
        row = self.conn.execute(
            f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})", tables
        ).fetchone()
        return bool(row and row[0] == len(tables))

    def _begin(self) -> None:
        # IMMEDIATE takes the write lock up front: two loaders serialise
        # cleanly instead of one failing half-way with "database is locked".
        # Tried a second at a time, so a queued writer can say that it waits and for how long.
        log = logging.getLogger("redthread.store")
        limit = settings.write_wait_seconds()
        started = time.monotonic()
        told = -1.0
        self.conn.execute("PRAGMA busy_timeout=1000")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                waited = time.monotonic() - started
                if waited >= limit:
                    raise StoreError(f"another writer has held {self.safe_url} for {waited:.0f} s; gave up "
                                     "(raise REDTHREAD_WRITE_WAIT_S to wait longer); nothing was stored")
                if told < 0 or waited - told >= 30:
                    log.warning("another load is writing to %s: waiting for it to finish (%.0f s so far, "
                                "up to %.0f s)", self.safe_url, waited, limit)
                    told = waited
        finally:
            self.conn.execute("PRAGMA busy_timeout=60000")

    @contextmanager
    def _short_wait(self, short: bool) -> Iterator[None]:
        # A best-effort write (a key's last use) must not queue behind a load for a minute.
        if not short:
            yield
            return
        self.conn.execute("PRAGMA busy_timeout=50")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA busy_timeout=60000")

    def _busy_error_skippable(self) -> bool:
        return True

    def _end_read(self) -> None:
        # Autocommit mode (isolation_level=None): reads hold no transaction.
        return None
