"""Where trade SQL runs: DuckDB (default) or Spark, behind one narrow interface.

Every trade query is written once, in DuckDB's SQL dialect, over two tables:
``records`` (see :mod:`redthread.trade.table`) and ``canon`` (party id ->
canonical id, for parties merged with entities from lists or text). A
:class:`TradeEngine` runs it: :class:`DuckDBTrade` on the trade table file,
:class:`SparkTrade` on Parquet files (any path Spark reads, so data beyond
one machine), the SQL transpiled by sqlglot.
"""

from __future__ import annotations

import abc
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from redthread.errors import RedthreadError
from redthread.store import Store
from redthread.trade import table
from redthread.trade.parties import PREFIX


class TradeEngine(abc.ABC):
    """Runs trade SQL (DuckDB dialect) over ``records``, ``parties`` and ``canon``."""

    name: str = ""
    dialect: str = "duckdb"
    #: The store the records belong to (names, sanctions, documents), if any.
    store: Store | None = None
    #: True when ``canon`` maps some party to another id.
    has_canon: bool = False

    def sql(self, query: str) -> str:
        """``query`` in this engine's dialect."""
        if self.dialect == "duckdb":
            return query
        return str(sqlglot.transpile(query, read="duckdb", write=self.dialect)[0])

    def fetch(self, query: str) -> list[dict[str, Any]]:
        """Rows of ``query`` (DuckDB dialect) as dicts."""
        sql = self.sql(query)
        try:
            return self._fetch(sql).to_pylist()
        except Exception as exc:  # the backend's own error types
            raise RedthreadError(f"trade query failed on {self.name}: {exc}\nSQL: {sql}") from exc

    @abc.abstractmethod
    def _fetch(self, sql: str) -> pa.Table: ...

    @abc.abstractmethod
    def set_canon(self, mapping: dict[str, str]) -> None:
        """Register the ``canon`` table (party id -> canonical id)."""

    def close(self) -> None:  # noqa: B027 - optional
        """Release resources."""

    def __enter__(self) -> TradeEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBTrade(TradeEngine):
    """The trade table file of a store, queried in process."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, store: Store | None = None) -> None:
        self.con = con
        self.store = store
        table.init_schema(con)
        self.set_canon({})

    @classmethod
    def for_store(cls, store: Store) -> DuckDBTrade:
        path = table.table_path(store.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(duckdb.connect(str(path)), store)

    def _fetch(self, sql: str) -> pa.Table:
        return self.con.execute(sql).to_arrow_table()

    def set_canon(self, mapping: dict[str, str]) -> None:
        data = pa.table({"party_id": list(mapping), "canonical_id": list(mapping.values())},
                        schema=pa.schema([("party_id", pa.string()), ("canonical_id", pa.string())]))
        self.con.register("canon", data)
        self.has_canon = bool(mapping)

    def close(self) -> None:
        self.con.close()


class SparkTrade(TradeEngine):
    """Records in Parquet, queried with Spark SQL (``local[2]`` unless configured).

    ``records`` is a path or glob Spark can read (local, HDFS, S3); ``parties``
    an optional Parquet path of the parties table.
    """

    name = "spark"
    dialect = "spark"

    def __init__(self, records: str, parties: str | None = None, store: Store | None = None) -> None:
        from redthread.engines.spark import session

        self.spark = session()
        self.store = store
        self.spark.read.parquet(records).createOrReplaceTempView("records")
        if parties:
            self.spark.read.parquet(parties).createOrReplaceTempView("parties")
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.set_canon({})

    @classmethod
    def for_store(cls, store: Store) -> SparkTrade:
        """Export the store's trade table to Parquet and open it in Spark."""
        tmp = tempfile.TemporaryDirectory(prefix="redthread-spark-")
        folder = Path(tmp.name)
        with table.connect(store.url) as con:
            con.execute(f"COPY records TO '{folder / 'records.parquet'}' (FORMAT parquet)")
            con.execute(f"COPY parties TO '{folder / 'parties.parquet'}' (FORMAT parquet)")
        engine = cls(str(folder / "records.parquet"), str(folder / "parties.parquet"), store)
        engine._tmp = tmp
        return engine

    def _fetch(self, sql: str) -> pa.Table:
        df = self.spark.sql(sql)
        if hasattr(df, "toArrow"):
            return df.toArrow()
        return pa.Table.from_pandas(df.toPandas(), preserve_index=False)  # pragma: no cover

    def set_canon(self, mapping: dict[str, str]) -> None:
        from pyspark.sql import types as T

        schema = T.StructType([T.StructField("party_id", T.StringType()), T.StructField("canonical_id", T.StringType())])
        self.spark.createDataFrame(list(mapping.items()), schema).createOrReplaceTempView("canon")
        self.has_canon = bool(mapping)

    def close(self) -> None:
        for name in ("records", "parties", "canon"):
            self.spark.catalog.dropTempView(name)
        if self._tmp is not None:
            self._tmp.cleanup()


ENGINES: dict[str, type[TradeEngine]] = {"duckdb": DuckDBTrade, "spark": SparkTrade}


def open_engine(store: Store, engine: str = "duckdb") -> TradeEngine:
    """The trade engine ``engine`` over ``store``'s records, with its party merges applied."""
    cls = ENGINES.get(engine)
    if cls is None:
        raise RedthreadError(f"unknown trade engine {engine!r}; use one of {', '.join(ENGINES)}")
    eng: TradeEngine = cls.for_store(store)  # type: ignore[attr-defined]
    cmap = store.canonical_map()
    if cmap:
        eng.set_canon({k: v for k, v in cmap.items() if k.startswith(PREFIX) and k != v})
    return eng
