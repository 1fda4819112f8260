"""``/match/{dataset}`` with a named collection is warm and fast, with the same answers.

yente clients (nomenklatura's YenteEnricher, most integrations) name a
collection: ``default``, ``sanctions`` or a dataset. The warm-up used to load
only the whole-store index, so a request naming a dataset never took the
event loop and its first one built or loaded an index of its own. Now a
dataset that holds every statement of the store is answered by the
whole-store index, and the catalog's other datasets are warmed too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from redthread.api.app import create_app
from redthread.api.routes.match import MatchParams, _on_loop
from redthread.ingest import ingest
from redthread.screen import warm as warming
from redthread.screen.filters import NO_FILTERS
from redthread.screen.index import ScreeningIndex, is_loaded
from redthread.screen.matching import match_index
from redthread.screen.state import store_state
from redthread.store import open_store

ONE = {"q": {"schema": "Person", "properties": {"name": ["Petrov Yegor"]}}}

QUERIES: list[dict[str, Any]] = [
    {"schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"], "birthDate": ["1971-03-14"]}},
    {"schema": "Company", "properties": {"name": ["厦门北海电子有限公司"]}},
    {"schema": "LegalEntity", "properties": {"name": ["Beihai Electronics"]}},
    {"schema": "Company", "properties": {"name": ["Ostrava Crane Works"]}},
    {"schema": "Person", "properties": {"name": ["Nobody Atall"]}},
]


def _store(tmp_path: Path, fixtures: Path, *, second: bool) -> str:
    url = f"sqlite:///{tmp_path / 'collections.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    if second:
        more = tmp_path / "more.ftm.jsonl"
        more.write_text(json.dumps({"id": "more-1", "schema": "Company",
                                    "properties": {"name": ["Ostrava Crane Works"], "country": ["cz"]}}) + "\n")
        ingest(st, [more], "more")
    st.close()
    return url


def _warm(url: str) -> FastAPI:
    app = create_app(url, warm=True)
    assert app.state.warmup.wait(300) and app.state.warmup.state == "ready", app.state.warmup.error
    return app


def _request(app: FastAPI, dataset: str) -> Request:
    return Request({"type": "http", "app": app, "headers": [], "method": "POST", "path": f"/match/{dataset}"})


def _as_before(url: str, dataset: str, query: dict[str, Any], params: dict[str, Any]) -> Any:
    """The answer as it was: from an index of that dataset alone, built afresh."""
    st = open_store(url)
    try:
        index = ScreeningIndex.build(st.entities(dataset=dataset))
        body = match_index(index, {"q": query}, store=st, state=store_state(st), **params)
        return json.loads(json.dumps(body))
    finally:
        st.close()


def test_a_dataset_that_covers_the_store_is_answered_by_the_whole_store_index(
        tmp_path: Path, fixtures: Path) -> None:
    url = _store(tmp_path, fixtures, second=False)
    app = _warm(url)
    assert _on_loop(_request(app, "lists"), "lists", ONE, MatchParams(), NO_FILTERS)
    st = open_store(url)
    assert not is_loaded(url, "lists", store_state(st).digest)  # no second index was loaded for it
    st.close()
    client = TestClient(app, base_url="http://127.0.0.1")
    for query in QUERIES:
        for params in ({}, {"limit": 2, "threshold": 0.9}):
            res = client.post("/match/lists", params=params, json={"queries": {"q": query}})
            assert res.status_code == 200, res.text
            assert res.json() == _as_before(url, "lists", query, params)
            assert res.json()["responses"] == client.post(
                "/match/default", params=params, json={"queries": {"q": query}}).json()["responses"]


def test_the_catalog_s_other_datasets_are_warmed_and_answer_as_before(tmp_path: Path, fixtures: Path) -> None:
    url = _store(tmp_path, fixtures, second=True)
    app = _warm(url)
    st = open_store(url)
    digest = store_state(st).digest
    st.close()
    for name in ("lists", "more"):
        assert is_loaded(url, name, digest), name  # its own index, loaded by the warm-up
        assert _on_loop(_request(app, name), name, ONE, MatchParams(), NO_FILTERS)
    client = TestClient(app, base_url="http://127.0.0.1")
    catalog = {d["name"] for d in client.get("/catalog").json()["datasets"]}
    assert {"lists", "more"} <= catalog
    for name in ("lists", "more"):
        for query in QUERIES:
            res = client.post(f"/match/{name}", json={"queries": {"q": query}})
            assert res.status_code == 200, res.text
            assert res.json() == _as_before(url, name, query, {})
    # a one-dataset answer is not the whole store's
    both = client.post("/match/default", json={"queries": {"q": QUERIES[3]}}).json()
    only = client.post("/match/lists", json={"queries": {"q": QUERIES[3]}}).json()
    assert "more-1" in [r["id"] for r in both["responses"]["q"]["results"]]
    assert "more-1" not in [r["id"] for r in only["responses"]["q"]["results"]]


def test_the_warm_up_is_bounded(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _store(tmp_path, fixtures, second=True)
    monkeypatch.setattr(warming, "WARM_DATASETS", 1)
    app = _warm(url)
    st = open_store(url)
    digest = store_state(st).digest
    assert warming.collections(st, store_state(st)) == ["lists"]
    st.close()
    assert is_loaded(url, "lists", digest) and not is_loaded(url, "more", digest)
    assert not _on_loop(_request(app, "more"), "more", ONE, MatchParams(), NO_FILTERS)  # not warmed: the pool
