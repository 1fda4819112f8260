"""Where trade SQL runs: DuckDB (default) or Spark, behind one narrow interface.

Every trade query is written once, in DuckDB's SQL dialect, over the views
of :mod:`redthread.trade.table` (``trade_records`` with integer party keys,
``records`` with party ids, ``parties``, ``party_months``) and ``canon``
(party id -> canonical id, with both keys, for parties merged with entities
from lists or text). A
:class:`TradeEngine` runs it: :class:`DuckDBTrade` on the trade table's Parquet
files, :class:`SparkTrade` on the same files (or any path Spark reads, so
data beyond one machine), the SQL transpiled by sqlglot.
"""

from __future__ import annotations

import abc
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from redthread.errors import RedthreadError
from redthread.store import Store
from redthread.trade import table
from redthread.trade.parties import PREFIX, party_key


def canon_table(mapping: dict[str, str]) -> pa.Table:
    """The ``canon`` table: party id -> canonical id, with both ids' integer keys."""
    return pa.table(
        {"party_id": list(mapping), "canonical_id": list(mapping.values()),
         "party_key": [party_key(k) for k in mapping], "canonical_key": [party_key(v) for v in mapping.values()]},
        schema=pa.schema([("party_id", pa.string()), ("canonical_id", pa.string()),
                          ("party_key", pa.int64()), ("canonical_key", pa.int64())]),
    )


#: One row of a trade query, keyed by the query's column names. The columns are the query's
#: own (a flow's dimensions follow its ``by``), so a row is a plain mapping here; results with
#: fixed columns are typed where they are produced (:mod:`redthread.model.analysis`).
SqlRow = dict[str, Any]


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

    def fetch(self, query: str) -> list[SqlRow]:
        """Rows of ``query`` (DuckDB dialect) as dicts."""
        sql = self.sql(query)
        try:
            rows: list[SqlRow] = self._fetch(sql).to_pylist()
            return rows
        except Exception as exc:  # the backend's own error types
            # The first line says what was wrong (a bad date, ...); the SQL (and DuckDB's "LINE 1: ..."
            # excerpt of it) reaches API callers through this message, so it goes to the log only.
            logging.getLogger(__name__).debug("trade query failed on %s: %s\nSQL: %s", self.name, exc, sql)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise RedthreadError(f"trade query failed on {self.name}: {first}") from None

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
        self.set_canon({})

    @classmethod
    def for_store(cls, store: Store) -> DuckDBTrade:
        return cls(table.open_connection(store.url), store)

    @classmethod
    def for_folder(cls, folder: Path) -> DuckDBTrade:
        """The trade table in ``folder`` (see :mod:`redthread.trade.table`), without a store."""
        return cls(table.open_connection(folder=folder))

    def _fetch(self, sql: str) -> pa.Table:
        return self.con.execute(sql).to_arrow_table()

    def set_canon(self, mapping: dict[str, str]) -> None:
        self.con.register("canon", canon_table(mapping))
        self.has_canon = bool(mapping)

    def close(self) -> None:
        self.con.close()


class SparkTrade(TradeEngine):
    """Records in Parquet, queried with Spark SQL (``local[2]`` unless configured).

    ``records`` are paths or globs Spark can read (local, HDFS, S3);
    ``parties`` optional paths of party files (same layout as
    :mod:`redthread.trade.table`).
    """

    name = "spark"
    dialect = "spark"

    def __init__(
        self,
        records: str | list[str],
        parties: str | list[str] | None = None,
        store: Store | None = None,
        months: list[str] | None = None,
    ) -> None:
        from redthread.engines.spark import session

        self.spark = session().newSession()  # its own temporary views: concurrent calls don't collide
        self.store = store
        paths = [records] if isinstance(records, str) else records
        self.spark.read.parquet(*paths).createOrReplaceTempView("stored_records")
        self.spark.sql(self.sql(table.records_view_sql("stored_records"))).createOrReplaceTempView("trade_records")
        if parties:
            party_paths = [parties] if isinstance(parties, str) else parties
            self.spark.read.parquet(*party_paths).createOrReplaceTempView("raw_parties")
        else:
            self.spark.createDataFrame([], "party_id string, party_key bigint, name string, country string, "
                                           "schema string").createOrReplaceTempView("raw_parties")
        self.spark.sql(
            "SELECT party_id, min(party_key) AS party_key, min(name) AS name, min(country) AS country, "
            "min(schema) AS schema FROM raw_parties GROUP BY party_id"
        ).createOrReplaceTempView("parties")
        self.spark.sql(self.sql(table.records_with_ids_sql())).createOrReplaceTempView("records")
        if months:
            self.spark.read.parquet(*months).createOrReplaceTempView("party_months")
        self.set_canon({})

    @classmethod
    def for_store(cls, store: Store) -> SparkTrade:
        """Spark over the Parquet files of the store's trade table."""
        return cls.for_folder(table.table_dir(store.url), store)

    @classmethod
    def for_folder(cls, folder: Path, store: Store | None = None) -> SparkTrade:
        records = table.files(folder, "records")
        if not records:
            raise RedthreadError(f"no trade records in {folder}: load customs records first")
        parties = table.files(folder, "parties")
        months = table.files(folder, "months")
        return cls([str(p) for p in records], [str(p) for p in parties] or None, store,
                   [str(p) for p in months] or None)

    def _fetch(self, sql: str) -> pa.Table:
        df = self.spark.sql(sql)
        if hasattr(df, "toArrow"):
            return df.toArrow()
        return pa.Table.from_pandas(df.toPandas(), preserve_index=False)  # pragma: no cover

    def set_canon(self, mapping: dict[str, str]) -> None:
        data = canon_table(mapping)
        if data.num_rows:
            df = self.spark.createDataFrame(data)
        else:
            df = self.spark.createDataFrame([], "party_id string, canonical_id string, party_key bigint, "
                                                "canonical_key bigint")
        df.createOrReplaceTempView("canon")
        self.has_canon = bool(mapping)

    def close(self) -> None:
        for name in ("records", "trade_records", "stored_records", "raw_parties", "parties", "party_months", "canon"):
            self.spark.catalog.dropTempView(name)


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
