"""The monitoring tables, kept beside the statements in the store's database.

Like the ``api_keys`` table (:mod:`redthread.keys`) they are created on first
use, with the store's own dialect, so monitoring works the same on SQLite and
PostgreSQL and a team sharing one PostgreSQL store shares its watchlists,
alerts and audit trail. Nothing here touches the statement tables.

- ``monitor_watchlists``: a named portfolio and its settings.
- ``monitor_rows``: its counterparties (own id, name, schema, FtM properties,
  the original columns).
- ``monitor_runs``: one row per screening run (who, which list versions,
  which scorer, counts).
- ``monitor_entities``: per watchlist, the fingerprint of every screened
  entity as of the last run; the next run compares against it.
- ``monitor_pairs``: per watchlist, the counterparty/entity pairs scoring
  above the floor as of the last run (the "current hits").
- ``monitor_alerts``, ``monitor_decisions``: what changed, and what people
  decided about it.
- ``monitor_audit``: the append-only trail; each row hashes the one before,
  and triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from redthread.store import Store
from redthread.store.base import TableCursor

TABLES = ("monitor_watchlists", "monitor_rows", "monitor_runs", "monitor_entities", "monitor_pairs",
          "monitor_alerts", "monitor_decisions", "monitor_audit")


def _ddl(serial: str, dialect: str) -> list[str]:
    stmts = [
        """CREATE TABLE IF NOT EXISTS monitor_watchlists (
            name TEXT PRIMARY KEY, created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',
            columns TEXT NOT NULL DEFAULT '[]', dataset TEXT, threshold REAL NOT NULL,
            algorithm TEXT NOT NULL, four_eyes INTEGER NOT NULL DEFAULT 0,
            webhook TEXT, command TEXT)""",
        """CREATE TABLE IF NOT EXISTS monitor_rows (
            watchlist TEXT NOT NULL, row_id TEXT NOT NULL, name TEXT NOT NULL, schema TEXT NOT NULL,
            properties TEXT NOT NULL, columns TEXT NOT NULL DEFAULT '{}', line INTEGER,
            fingerprint TEXT NOT NULL, screened INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (watchlist, row_id))""",
        f"""CREATE TABLE IF NOT EXISTS monitor_runs (
            id {serial}, watchlist TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '', trigger TEXT NOT NULL DEFAULT '', mode TEXT NOT NULL,
            since TEXT, upto_load INTEGER, upto_time TEXT, versions TEXT NOT NULL DEFAULT '[]',
            scorer TEXT NOT NULL, threshold REAL NOT NULL, changed_entities INTEGER NOT NULL,
            screened_rows INTEGER NOT NULL, pairs INTEGER NOT NULL, alerts INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS ix_monitor_runs ON monitor_runs (watchlist)",
        """CREATE TABLE IF NOT EXISTS monitor_entities (
            watchlist TEXT NOT NULL, entity_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
            details TEXT NOT NULL, content TEXT NOT NULL DEFAULT '', PRIMARY KEY (watchlist, entity_id))""",
        """CREATE TABLE IF NOT EXISTS monitor_pairs (
            watchlist TEXT NOT NULL, row_id TEXT NOT NULL, entity_id TEXT NOT NULL, score REAL NOT NULL,
            matched INTEGER NOT NULL, blocked INTEGER NOT NULL DEFAULT 0, run_id INTEGER,
            PRIMARY KEY (watchlist, row_id, entity_id))""",
        "CREATE INDEX IF NOT EXISTS ix_monitor_pairs_entity ON monitor_pairs (watchlist, entity_id)",
        f"""CREATE TABLE IF NOT EXISTS monitor_alerts (
            id {serial}, watchlist TEXT NOT NULL, row_id TEXT NOT NULL, row_name TEXT NOT NULL,
            kind TEXT NOT NULL, entity_id TEXT NOT NULL, entity_caption TEXT NOT NULL DEFAULT '',
            entity_schema TEXT NOT NULL DEFAULT '', score REAL, evidence TEXT NOT NULL,
            load_id INTEGER, list_date TEXT, scorer TEXT NOT NULL, run_id INTEGER NOT NULL,
            created_at TEXT NOT NULL, status TEXT NOT NULL, pair_fingerprint TEXT NOT NULL,
            reused_from INTEGER)""",
        "CREATE INDEX IF NOT EXISTS ix_monitor_alerts ON monitor_alerts (watchlist, status)",
        "CREATE INDEX IF NOT EXISTS ix_monitor_alerts_pair ON monitor_alerts (watchlist, row_id, entity_id)",
        f"""CREATE TABLE IF NOT EXISTS monitor_decisions (
            id {serial}, alert_id INTEGER NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            actor TEXT NOT NULL, step TEXT NOT NULL, created_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS ix_monitor_decisions ON monitor_decisions (alert_id)",
        f"""CREATE TABLE IF NOT EXISTS monitor_audit (
            id {serial}, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            watchlist TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    ]
    if dialect == "sqlite":
        for table in ("monitor_audit", "monitor_decisions"):
            for op in ("UPDATE", "DELETE"):
                stmts.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    else:
        stmts.append(
            "CREATE OR REPLACE FUNCTION monitor_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in ("monitor_audit", "monitor_decisions"):
            stmts.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            stmts.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION monitor_append_only()"
            )
    return stmts


#: Store URLs whose monitoring tables are known to exist (checked once per process, not per request).
_READY: set[str] = set()


class MonitorDB:
    """Reads and writes of the monitoring tables, through the store's side-table interface."""

    def __init__(self, store: Store) -> None:
        self.store = store
        if store.url in _READY:
            return
        if not store.has_tables(*TABLES):  # a read first: opening never takes the write lock when tables exist
            with store.transaction() as cur:
                for ddl in _ddl(store.serial_key, store.dialect_name):
                    cur.execute(ddl)
        _READY.add(store.url)

    @property
    def dialect(self) -> str:
        return self.store.dialect_name

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.store.query(sql, params)

    def tx(self) -> AbstractContextManager[TableCursor]:
        """One write transaction (the store's: it serialises with loaders, so a
        run sees a list version whole)."""
        return self.store.transaction()
