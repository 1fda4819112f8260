"""Every engine gives the same answers: the 50 % rule fixed point and exposure search."""

from __future__ import annotations

import numpy as np
import pytest

from redthread.engines import engine_names, get_engine
from redthread.engines.base import BlockedResult, Engine, ExposureResult, SQLEngine
from redthread.engines.duckdb import DuckDBEngine
from redthread.errors import ConfigError


def random_ownership(seed: int, n: int = 300, m: int = 450, k: int = 12) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    owner = rng.integers(0, n, m)
    asset = rng.integers(0, n, m)
    keep = owner != asset
    owner, asset = owner[keep], asset[keep]
    key = np.unique(owner * n + asset)
    owner, asset = key // n, key % n
    pct = rng.choice([10.0, 20.0, 25.0, 30.0, 50.0, 51.0, 60.0, 100.0], size=owner.shape[0])
    seeds = rng.choice(n, size=k, replace=False)
    weight = rng.choice([0.3, 0.5, 0.6, 0.9, 1.0], size=owner.shape[0])
    return owner, asset, pct, seeds, weight


def run_blocked(engine: Engine, data: tuple[np.ndarray, ...], **kw: object) -> BlockedResult:
    owner, asset, pct, seeds, _ = data
    return engine.blocked(owner, asset, pct, seeds, **kw).sorted()  # type: ignore[arg-type]


def run_exposure(engine: Engine, data: tuple[np.ndarray, ...]) -> ExposureResult:
    owner, asset, _, seeds, weight = data
    return engine.exposure(owner, asset, weight, seeds, 3).sorted()


def reference_blocked(data: tuple[np.ndarray, ...], threshold: float = 50.0, strict: bool = False) -> set[int]:
    """The rule recomputed from scratch each round: slow, obviously right."""
    owner, asset, pct, seeds, _ = data
    blocked = set(seeds.tolist())
    while True:
        share: dict[int, float] = {}
        for o, a, p in zip(owner.tolist(), asset.tolist(), pct.tolist(), strict=True):
            if o in blocked:
                share[a] = share.get(a, 0.0) + p
        new = {a for a, s in share.items() if (s > threshold if strict else s >= threshold)} - blocked
        if not new:
            return blocked - set(seeds.tolist())
        blocked |= new


@pytest.mark.parametrize("name", ["memory", "duckdb"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_blocked_matches_reference(name: str, seed: int) -> None:
    data = random_ownership(seed)
    with get_engine(name) as engine:
        got = run_blocked(engine, data)
        strict = run_blocked(engine, data, strict=True)
    assert set(got.ids.tolist()) == reference_blocked(data)
    assert set(strict.ids.tolist()) == reference_blocked(data, strict=True)
    assert len(got.ids) > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duckdb_and_memory_agree_on_exposure(seed: int) -> None:
    data = random_ownership(seed)
    with get_engine("memory") as mem, get_engine("duckdb") as duck:
        a, b = run_exposure(mem, data), run_exposure(duck, data)
        ba, bb = run_blocked(mem, data), run_blocked(duck, data)
    assert np.array_equal(a.ids, b.ids) and np.array_equal(a.hops, b.hops)
    assert np.allclose(a.strength, b.strength, rtol=0, atol=1e-12)
    assert np.array_equal(ba.ids, bb.ids) and np.array_equal(ba.rounds, bb.rounds)
    assert a.hops.max() == 3


def test_control_links_block_in_the_eu_reading() -> None:
    with get_engine("duckdb") as duck, get_engine("memory") as mem:
        for engine in (duck, mem):
            res = engine.blocked(np.array([0]), np.array([1]), np.array([50.0]), np.array([0]), strict=True,
                                 controller=np.array([0, 2]), controlled=np.array([2, 3]))
            res = res.sorted()
            assert res.ids.tolist() == [2, 3] and res.rounds.tolist() == [1, 2]


def test_unknown_engine_says_what_to_use() -> None:
    assert {"duckdb", "spark", "memory"} <= set(engine_names())
    with pytest.raises(ConfigError, match="duckdb"):
        get_engine("oracle")


@pytest.mark.spark
def test_spark_gives_identical_results() -> None:
    pytest.importorskip("pyspark")
    data = random_ownership(3, n=80, m=130, k=5)  # 8 blocked in 3 rounds: enough, and quick on Spark
    with get_engine("spark") as spark, get_engine("duckdb") as duck:
        sb, db = run_blocked(spark, data), run_blocked(duck, data)
        se, de = run_exposure(spark, data), run_exposure(duck, data)
        ctl = spark.blocked(np.array([0]), np.array([1]), np.array([50.0]), np.array([0]), strict=True,
                            controller=np.array([0, 2]), controlled=np.array([2, 3]))
    assert np.array_equal(sb.ids, db.ids) and np.array_equal(sb.rounds, db.rounds)
    assert len(sb.ids) > 0
    assert np.array_equal(se.ids, de.ids) and np.array_equal(se.hops, de.hops)
    assert np.allclose(se.strength, de.strength, rtol=0, atol=1e-12)
    assert sorted(ctl.ids.tolist()) == [2, 3]


class _IterativeDuckDB(DuckDBEngine):
    """DuckDB running the portable one-statement-per-iteration fixpoint (what Spark runs)."""

    fixpoint = SQLEngine.fixpoint


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_portable_fixpoint_matches_keyed_recursion(seed: int) -> None:
    data = random_ownership(seed)
    owner, asset, pct, seeds, _ = data
    ctl = (np.array([int(seeds[0]), 7]), np.array([7, 8]))
    with DuckDBEngine() as rec, _IterativeDuckDB() as it:
        for kw in ({}, {"strict": True}, {"controller": ctl[0], "controlled": ctl[1]}):
            a = rec.blocked(owner, asset, pct, seeds, **kw).sorted()  # type: ignore[arg-type]
            b = it.blocked(owner, asset, pct, seeds, **kw).sorted()  # type: ignore[arg-type]
            assert np.array_equal(a.ids, b.ids) and np.array_equal(a.rounds, b.rounds)
            assert len(a.ids) > 0


def test_loaded_links_are_reused_only_for_the_same_arrays() -> None:
    owner, asset, pct, seeds = np.array([0, 1]), np.array([1, 2]), np.array([60.0, 60.0]), np.array([0])
    with DuckDBEngine() as duck:
        assert sorted(duck.blocked(owner, asset, pct, seeds).ids.tolist()) == [1, 2]
        assert sorted(duck.blocked(owner, asset, pct, seeds).ids.tolist()) == [1, 2]  # reused tables
        # New arrays (a different graph) are loaded again, never confused with the old ones.
        assert duck.blocked(owner, asset, np.array([60.0, 40.0]), seeds).ids.tolist() == [1]
        assert sorted(duck.exposure(owner, asset, np.array([0.5, 0.5]), seeds, 3).ids.tolist()) == [0, 1, 2]
        assert sorted(duck.exposure(owner[:1], asset[:1], np.array([0.5]), seeds, 3).ids.tolist()) == [0, 1]
