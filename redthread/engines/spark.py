"""Apache Spark: the same SQL, transpiled to Spark SQL, for graphs beyond one machine.

Needs the ``spark`` extra (``pip install redthread[spark]``) and Java 17.
The session is small and local by default (``local[2]``, 4 shuffle
partitions, no UI); set ``REDTHREAD_SPARK_MASTER`` to use a cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from redthread import settings
from redthread.engines.base import SQLEngine
from redthread.engines.registry import register
from redthread.errors import ConfigError

if TYPE_CHECKING:  # pyspark is an optional extra, imported when the engine starts
    from pyspark.sql import DataFrame

_SESSION: Any = None


def session() -> Any:
    """The shared SparkSession (created on first use, reused after)."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ConfigError("the spark engine needs pyspark: pip install 'redthread[spark]'") from exc
    master = settings.spark_master()
    _SESSION = (
        SparkSession.builder.master(master)
        .appName("redthread")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", settings.spark_memory())
        .getOrCreate()
    )
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


class SparkEngine(SQLEngine):
    """SQL on Spark temp views over local checkpoints, so plans stay short."""

    name = "spark"
    dialect = "spark"

    def __init__(self) -> None:
        super().__init__()
        # A session of its own (sharing the one JVM and context): temporary views are per session,
        # so engines working at once never see, replace or drop each other's tables.
        self.spark = session().newSession()
        self.frames: dict[str, DataFrame] = {}

    def load(self, name: str, table: pa.Table) -> None:
        if table.num_rows == 0:
            df = self.spark.createDataFrame([], _spark_schema(table.schema))
        else:
            try:  # Spark 4 reads Arrow tables directly
                df = self.spark.createDataFrame(table)
            except TypeError:  # pragma: no cover - older pyspark
                df = self.spark.createDataFrame(table.to_pandas())
        self._register(name, df.localCheckpoint(eager=True))

    def materialize(self, name: str, sql: str, count: bool = False) -> int:
        # An eager local checkpoint: later plans start from the stored result
        # (without it, plans of an iterative algorithm grow every round).
        df = self.spark.sql(sql).localCheckpoint(eager=True)
        self._register(name, df)
        return int(df.count()) if count else 0

    def _register(self, name: str, df: Any) -> None:
        self.drop(name)
        df.createOrReplaceTempView(name)
        self.frames[name] = df

    def fetch(self, sql: str) -> pa.Table:
        df = self.spark.sql(sql)
        if hasattr(df, "toArrow"):
            return df.toArrow()
        return pa.Table.from_pandas(df.toPandas(), preserve_index=False)  # pragma: no cover

    def drop(self, name: str) -> None:
        if self.frames.pop(name, None) is not None:
            self.spark.catalog.dropTempView(name)

    def close(self) -> None:
        self._inputs.clear()
        for name in list(self.frames):
            self.drop(name)


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types as T

    mapping = {pa.int64(): T.LongType(), pa.float64(): T.DoubleType(), pa.string(): T.StringType()}
    return T.StructType([T.StructField(f.name, mapping.get(f.type, T.StringType())) for f in schema])


register("spark", SparkEngine)
