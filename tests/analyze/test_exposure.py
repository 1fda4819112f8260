"""Exposure ranking and paths on a fixture with known hops and strengths."""

from __future__ import annotations

import pytest

from redthread.analyze.exposure import exposure, paths
from redthread.analyze.graph import LINK_WEIGHTS as W
from redthread.errors import RedthreadError
from redthread.store import Store


def test_ranking_by_strength_then_hops(exposure_store: Store) -> None:
    result = exposure(exposure_store, max_hops=3)
    got = [(r["id"], r["hops"], r["strength"]) for r in result]
    assert got == [
        ("x-a", 1, pytest.approx(W["Directorship"])),
        ("x-c", 2, pytest.approx(W["Directorship"] * W["Family"])),
        # G: one hop by a weak UnknownLink, but its strongest tie runs through A.
        ("x-g", 1, pytest.approx(W["Directorship"] * W["Employment"])),
        ("x-b", 1, pytest.approx(W["EconomicActivity"])),
        ("x-h", 1, pytest.approx(W["Associate"] * 0.7)),  # hedged
        ("x-d", 2, pytest.approx(W["EconomicActivity"] * W["SharedAddress"])),
        ("x-e", 3, pytest.approx(W["EconomicActivity"] * W["SharedAddress"] * W["UnknownLink"])),
    ]


def test_hops_count_the_fewest_links(exposure_store: Store) -> None:
    by_id = {r["id"]: r for r in exposure(exposure_store, max_hops=3)}
    assert "x-f" not in by_id  # four hops away
    assert "x-s" not in by_id  # the sanctioned party itself is not listed
    assert len(exposure(exposure_store, max_hops=4)) == 8
    assert [r["id"] for r in exposure(exposure_store, max_hops=3, top=2)] == ["x-a", "x-c"]


def test_each_result_has_its_path_with_evidence(exposure_store: Store) -> None:
    by_id = {r["id"]: r for r in exposure(exposure_store)}
    d = by_id["x-d"]
    assert d["nearest"]["id"] == "x-s"
    assert [link["type"] for link in d["path"]] == ["SharedAddress", "EconomicActivity"]
    assert d["path"][0]["evidence"][0]["location"].startswith("exposure.ftm.jsonl:")
    h = by_id["x-h"]
    assert h["path"][0]["evidence"][0]["hedge"] == "reportedly"
    assert h["path"][0]["evidence"][0]["quote"].startswith("Hotel Hedged")


def test_paths_shortest_and_strongest(exposure_store: Store) -> None:
    found = paths(exposure_store, "x-g", "x-s")
    assert [p["kind"] for p in found] == ["shortest", "strongest"]
    shortest, strongest = found
    assert shortest["hops"] == 1 and shortest["links"][0]["type"] == "UnknownLink"
    assert [n["id"] for n in strongest["nodes"]] == ["x-g", "x-a", "x-s"]
    assert strongest["strength"] == pytest.approx(W["Employment"] * W["Directorship"])
    same = paths(exposure_store, "x-c", "x-s")
    assert [p["kind"] for p in same] == ["shortest+strongest"]
    assert paths(exposure_store, "x-f", "x-b")[0]["hops"] == 3
    with pytest.raises(RedthreadError):
        paths(exposure_store, "x-nobody", "x-s")


def test_memory_engine_gives_the_same_ranking(exposure_store: Store) -> None:
    def key(rows: list[dict]) -> list[tuple]:
        return [(r["id"], r["hops"], r["strength"]) for r in rows]

    assert key(exposure(exposure_store, engine="memory")) == key(exposure(exposure_store, engine="duckdb"))
