"""Name analysis kept per candidate record: same answers as analysing afresh, and never stale after a load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redthread.ingest import ingest
from redthread.screen import clear_cache, screen
from redthread.screen import symbolic as plain
from redthread.screen.index import ScreeningIndex, index_for
from redthread.screen.matching import match_index
from redthread.screen.prepared import symbolic_score
from redthread.screen.record import make_record
from redthread.store import open_store


def _pairs(shared: Path) -> list[dict[str, Any]]:
    path = shared / "data" / "matching" / "pairs-dev.jsonl"
    if not path.exists():
        pytest.skip(f"no {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_prepared_symbolic_score_is_logic_v2_name_match_on_the_shared_pairs(shared: Path) -> None:
    """Every pair: the prepared analysis gives nomenklatura's own name_match score (and explanation)."""
    compared = 0
    for pair in _pairs(shared):
        query = make_record(pair["schema"], pair["query"]["properties"])
        cand = make_record(pair["schema"], pair["candidate"]["properties"])
        if not query.name_props or not cand.name_props:
            continue
        expected = plain.symbolic_score(query.schema, query.name_props, cand.schema, cand.name_props)
        got = symbolic_score(query, cand)
        assert got[0] == expected[0], (pair["pair"], got, expected)
        assert symbolic_score(query, cand) == got  # the second time from the records' memo
        compared += 1
    assert compared > 200


def _entities(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"c-{p['pair']}", "schema": p["schema"], "properties": p["candidate"]["properties"]}
            for p in pairs]


def _run(index: ScreeningIndex, pairs: list[dict[str, Any]], fresh: bool) -> list[Any]:
    out = []
    for p in pairs:
        if fresh:
            index._records.clear()  # every candidate analysed again: no cache
        body = match_index(index, {"q": {"schema": p["schema"], "properties": p["query"]["properties"]}},
                           threshold=0.7, limit=10)
        out.append([(r["id"], r["score"], r["match"], r["features"]) for r in body["responses"]["q"]["results"]])
    return out


def test_results_with_and_without_the_candidate_cache_are_identical(shared: Path) -> None:
    pairs = [p for p in _pairs(shared)[::3] if p["query"]["properties"].get("name")]
    index = ScreeningIndex.build(_entities(_pairs(shared)))
    without = _run(index, pairs, fresh=True)
    cold = _run(index, pairs, fresh=False)
    warm = _run(index, pairs, fresh=False)  # every candidate's analysis from its record now
    assert len(index._records) > 0
    assert without == cold == warm
    assert sum(1 for results in warm if any(r[2] for r in results)) > 20  # the sample has matches to compare


LIST_V1 = ('{"id": "c-1", "schema": "Company", "properties": {"name": ["Severny Veter Trading LLC"]}}\n'
           '{"id": "c-2", "schema": "Company", "properties": {"name": ["Volga Shipping JSC"]}}\n')
LIST_V2 = ('{"id": "c-1", "schema": "Company", "properties": {"name": ["Yuzhny Bereg Logistics LLC"]}}\n'
           '{"id": "c-2", "schema": "Company", "properties": {"name": ["Volga Shipping JSC"]}}\n')


def test_a_new_load_drops_the_cached_analysis_of_a_renamed_candidate(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_SCREEN_CACHE", "0")
    source = tmp_path / "list.ftm.jsonl"
    source.write_text(LIST_V1, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    ingest(st, [source], "list")
    clear_cache()
    hits = screen(st, "Severny Veter Trading", schema="Company")
    assert hits and hits[0]["id"] == "c-1" and hits[0]["match"]
    before = index_for(st)
    assert before._records  # the candidate's record (and its analysis) is kept ...

    source.write_text(LIST_V2, encoding="utf-8")
    ingest(st, [source], "list")
    # ... until the next load: the old name no longer finds it, the new one does, and is what it is scored on.
    assert not any(h["id"] == "c-1" and h["match"] for h in screen(st, "Severny Veter Trading", schema="Company"))
    hits = screen(st, "Yuzhny Bereg Logistics", schema="Company")
    assert hits and hits[0]["id"] == "c-1" and hits[0]["match"]
    assert hits[0]["explanations"]["name"]["candidate"] == "Yuzhny Bereg Logistics LLC"
    assert index_for(st) is not before
    st.close()
