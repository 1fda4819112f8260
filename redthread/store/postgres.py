"""PostgreSQL backend, for teams: ``REDTHREAD_STORE=postgresql://user@host/db``."""

from __future__ import annotations

from typing import Any

from redthread.errors import StoreError
from redthread.store.sql import Dialect, SQLStore, schema_tables


class PostgresStore(SQLStore):
    dialect = Dialect(name="postgresql", param="%s", serial="BIGSERIAL PRIMARY KEY")

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - dependency is declared
            raise StoreError("PostgreSQL support needs psycopg: pip install 'psycopg[binary]'") from exc
        url = self.url.replace("postgres://", "postgresql://", 1)
        try:
            return psycopg.connect(url, autocommit=False)
        except Exception as exc:
            raise StoreError(f"cannot connect to {self.safe_url}: {exc}") from exc

    def _begin(self) -> None:
        # psycopg opens a transaction implicitly on the first statement; a
        # table lock serialises concurrent loaders so history stays exact.
        # (While the schema itself is being created there is nothing to lock.)
        if self.schema_done:
            self.conn.execute("LOCK TABLE loads IN EXCLUSIVE MODE")

    def _schema_ready(self) -> bool:
        tables = schema_tables(self.dialect)
        row = self.conn.execute(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s)", (tables,)
        ).fetchone()
        self.conn.commit()
        return bool(row and row[0] == len(tables))
