"""Contract: the trade SQL gives the same answers on DuckDB and Spark."""

from __future__ import annotations

import math
from typing import Any

import pytest

from redthread.store import Store, open_store
from redthread.trade import patterns
from redthread.trade.engine import DuckDBTrade, SparkTrade
from redthread.trade.flows import flows, series
from redthread.trade.parties import party_id

pytestmark = pytest.mark.spark


def _norm(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        items = []
        for key in sorted(row):
            value = row[key]
            if isinstance(value, float):
                value = round(value, 4) if math.isfinite(value) else value
            items.append((key, str(value)))
        out.append(tuple(items))
    return sorted(out)


@pytest.fixture
def engines(tmp_path: Any, trade_dir: Any, request: Any) -> Any:
    pytest.importorskip("pyspark")
    from redthread.ingest import ingest

    st: Store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    ingest(st, [trade_dir / "records.csv"], "customs")
    duck = DuckDBTrade.for_store(st)
    spark = SparkTrade.for_store(st)
    request.node.store = st
    yield duck, spark
    duck.close()
    spark.close()
    st.close()


def test_duckdb_and_spark_agree(engines: Any) -> None:
    duck, spark = engines
    for by in (["supplier", "buyer", "hs4"], ["month", "chpl_tier"], ["route", "year"]):
        assert _norm(flows(duck, by)) == _norm(flows(spark, by))
    assert _norm(flows(duck, "hs6", chpl_only=True, date_from="2024-01-01")) == _norm(
        flows(spark, "hs6", chpl_only=True, date_from="2024-01-01"))
    tundra = party_id("Tundra Trading LLC", "ru")
    assert tundra is not None
    assert _norm(series(duck, tundra)) == _norm(series(spark, tundra))
    assert _norm(patterns.new_entrants(duck, since="2024-01-01")) == _norm(
        patterns.new_entrants(spark, since="2024-01-01"))
    assert _norm(patterns.new_entrants(duck)) == _norm(patterns.new_entrants(spark))
    assert _norm(patterns.spikes(duck)) == _norm(patterns.spikes(spark))
    chains = patterns.reexport_chains(duck, top=None)
    assert len(chains) == 18 and _norm(chains) == _norm(patterns.reexport_chains(spark, top=None))
    from redthread.trade.impact import WEIGHTS, trade_links

    assert _norm(trade_links(duck, WEIGHTS)) == _norm(trade_links(spark, WEIGHTS))


def test_capacity_on_spark_matches_duckdb(engines: Any, trade_dir: Any, request: Any) -> None:
    from redthread.trade.capacity import capacity

    duck, spark = engines
    st = request.node.store
    tundra = party_id("Tundra Trading LLC", "ru")
    a = capacity(st, tundra, trade_dir / "bom.yaml", store_or_engine=duck)
    b = capacity(st, tundra, trade_dir / "bom.yaml", store_or_engine=spark)
    assert a["binding"] == b["binding"] == "esc"
    assert [c["units"] for c in a["components"]] == [c["units"] for c in b["components"]]
