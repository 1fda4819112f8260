"""Review candidates: within one dataset, cross-script and abbreviation pairs, kept per store content, paged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.resolve import judge, xref
from redthread.resolve.xref import clear_cache, compute, reason_for, select
from redthread.store import Store, open_store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    ingest(store, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    return store


def keys(cands: list) -> set[tuple[str, str]]:
    return {(c.left_id, c.right_id) for c in cands}


def test_pairs_inside_one_dataset_are_proposed(loaded: Store) -> None:
    assert ("art1-iskakov", "art2-iskakov") in keys(xref(loaded, within=True))
    # across datasets only: the same two articles' people are not a pair
    assert ("art1-iskakov", "art2-iskakov") not in keys(xref(loaded, within=False))


def test_cross_script_and_abbreviation_pairs_reach_review(loaded: Store) -> None:
    by_key = {(c.left_id, c.right_id): c for c in xref(loaded, within=True)}
    assert ("art1-baiterek", "reg-baiterek") in by_key  # Cyrillic and Latin twins
    tendik = by_key[("art2-tendik", "reg-tendik")]
    assert tendik.reason == "cross-script" and tendik.score < 0.7
    kestrel = by_key[("art1-kestrel", "reg-kestrel")]  # reaches review, by score or by its reason
    assert kestrel.score >= 0.7 or kestrel.reason == "abbreviation"
    # a low score sharing one word is still not proposed
    assert ("art1-kestrel", "reg-marine") not in by_key


def test_reason_needs_two_aligned_words() -> None:
    one = {"name": {"tokens": [["kestrel", "kestrel", 1.0]]}}
    two = {"name": {"tokens": [["kestrel", "kestrel", 1.0], ["ridge", "ridge", 1.0]]}}
    assert reason_for("Kestrel Ridge Gen. Trading", "Kestrel Ridge General Trading", one) == ""
    assert reason_for("Kestrel Ridge Gen. Trading", "Kestrel Ridge General Trading", two) == "abbreviation"
    assert reason_for("ОсОО Байтерек Логистик", "Baiterek Logistik LLC", two) == "cross-script"
    assert reason_for("Baiterek Logistik", "Baiterek Logistik LLC", two) == ""


def test_computed_once_per_load_and_incrementally(tmp_path: Path, fixtures: Path) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    ingest(st, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    first = compute(st)
    assert first.scanned == 6
    assert compute(st) is first  # nothing loaded: the same set, no scanning
    clear_cache()
    again = compute(st)  # a new process: read from the file beside the store
    assert again.scanned == 6 and again.digest == first.digest and (tmp_path / "c.xref").is_dir()
    judge(st, "art1-iskakov", "art2-iskakov", "negative")
    assert compute(st).digest == first.digest  # a judgement needs no new scan
    ingest(st, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    grown = compute(st)
    assert grown.scanned == 6  # only the six new registry entities were scanned
    assert ("art1-baiterek", "reg-baiterek") in grown.pairs
    # the judged pair is kept in the set but no longer offered
    assert ("art1-iskakov", "art2-iskakov") in grown.pairs
    assert ("art1-iskakov", "art2-iskakov") not in keys(select(st, grown, within=True))
    st.close()


def test_pages_and_entity_filter(loaded: Store) -> None:
    everything = xref(loaded, within=True, limit=100)
    assert len(everything) >= 4
    page2 = xref(loaded, within=True, limit=2, offset=2)
    assert [c.left_id for c in page2] == [c.left_id for c in everything[2:4]]
    cset = compute(loaded)
    about = select(loaded, cset, within=True, entity_id="reg-tendik")
    assert keys(about) == {("art2-tendik", "reg-tendik")}


def test_api_computes_in_the_background_and_serves_pages(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    ingest(st, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    st.close()
    client = TestClient(create_app(url))
    first = client.get("/xref", params={"limit": 2}).json()
    deadline = time.time() + 120
    while first["status"] != "ready" and time.time() < deadline:
        assert first["status"] == "computing" and "done" in first
        time.sleep(0.2)
        first = client.get("/xref", params={"limit": 2}).json()
    assert first["status"] == "ready" and first["total"] >= 4 and len(first["candidates"]) == 2
    second = client.get("/xref", params={"limit": 2, "offset": 2}).json()
    assert second["candidates"][0]["left_id"] not in {c["left_id"] for c in first["candidates"]} or \
        second["candidates"][0]["right_id"] not in {c["right_id"] for c in first["candidates"]}
    within = {(c["left_id"], c["right_id"]): c for c in client.get("/xref", params={"limit": 100}).json()["candidates"]}
    assert within[("art1-iskakov", "art2-iskakov")]["within"] is True
    across = client.get("/xref", params={"limit": 100, "within": False}).json()["candidates"]
    assert all(not c["within"] for c in across)
    # one record: the answer is the Candidate's fields in order, datasets as arrays
    import dataclasses

    from redthread.resolve.xref import Candidate

    fields = [f.name for f in dataclasses.fields(Candidate)]
    assert fields[-1] == "within" and all(list(c) == fields for c in across)
    assert all(isinstance(c["left_datasets"], list) for c in across)
