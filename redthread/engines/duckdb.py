"""The default engine: DuckDB, in process, on Arrow tables (no copy in)."""

from __future__ import annotations

import pyarrow as pa

from redthread import settings
from redthread.engines.base import SQLEngine
from redthread.engines.registry import register


class DuckDBEngine(SQLEngine):
    """SQL on an in-memory DuckDB connection; ``threads`` defaults to all cores."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        super().__init__()
        self.con = duckdb.connect(":memory:")
        threads = threads or settings.engine_threads()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")

    def load(self, name: str, table: pa.Table) -> None:
        # Copied into a native table: iterative queries scan it many times, and
        # scanning native storage is several times faster than an Arrow view.
        self.con.register(f"{name}__arrow", table)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}__arrow")
        self.con.unregister(f"{name}__arrow")

    def materialize(self, name: str, sql: str, count: bool = False) -> int:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        if not count:
            return 0
        row = self.con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()
        return int(row[0]) if row else 0

    def fetch(self, sql: str) -> pa.Table:
        return self.con.execute(sql).to_arrow_table()

    def fixpoint(self, columns: str, key: str, seed: str, step: str, result: str) -> pa.Table:
        """One statement: ``WITH RECURSIVE ... USING KEY`` (DuckDB 1.3+) keeps the keyed state."""
        body = step.format(work="rt_fx", state="recurring.rt_fx")
        return self.fetch(f"WITH RECURSIVE rt_fx({columns}) USING KEY ({key}) AS ({seed} UNION ({body})) "
                          + result.format(state="rt_fx"))

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        self._inputs.clear()
        self.con.close()


register("duckdb", DuckDBEngine)
