"""A short ``/match`` on a warmed server is answered on the event loop, with the same answer.

The thread-pool hop cost about 0.7 ms of a one-query request and bought no
parallelism (scoring holds the GIL). Only requests known to be short take
the loop; these tests pin which ones, and that the answers do not change.
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
from redthread.api.routes.match import LOOP_LIMIT, MatchParams, _on_loop
from redthread.ingest import ingest
from redthread.screen import match
from redthread.screen.filters import NO_FILTERS, MatchFilters
from redthread.store import open_store

ONE = {"q": {"schema": "Person", "properties": {"name": ["Petrov Yegor"]}}}


@pytest.fixture
def warm_app(tmp_path: Path, fixtures: Path) -> tuple[str, FastAPI]:
    url = f"sqlite:///{tmp_path / 'loop.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    app = create_app(url, warm=True)
    assert app.state.warmup.wait(300) and app.state.warmup.state == "ready", app.state.warmup.error
    return url, app


def _request(app: FastAPI) -> Request:
    return Request({"type": "http", "app": app, "headers": [], "method": "POST", "path": "/match/default"})


def test_short_requests_on_a_warm_server_take_the_loop(warm_app: tuple[str, FastAPI]) -> None:
    _, app = warm_app
    req = _request(app)
    assert _on_loop(req, "default", ONE, MatchParams(), NO_FILTERS)
    assert _on_loop(req, "sanctions", ONE, MatchParams(limit=LOOP_LIMIT), NO_FILTERS)
    # what may take longer goes to the thread pool
    two = {**ONE, "r": ONE["q"]}
    assert not _on_loop(req, "default", two, MatchParams(), NO_FILTERS)  # a batch
    assert not _on_loop(req, "default", ONE, MatchParams(limit=LOOP_LIMIT + 1), NO_FILTERS)
    topics = MatchFilters.parse([], [], [], ["sanction"], None)
    assert topics.on_results and not _on_loop(req, "default", ONE, MatchParams(), topics)  # scores a pool
    assert _on_loop(req, "lists", ONE, MatchParams(), NO_FILTERS)  # the store's one dataset: the whole-store index


def test_a_new_load_sends_requests_back_to_the_pool_until_its_index_is_in(
        warm_app: tuple[str, FastAPI], tmp_path: Path) -> None:
    url, app = warm_app
    extra = tmp_path / "more.ftm.jsonl"
    extra.write_text(json.dumps({"id": "x-1", "schema": "Company", "properties": {"name": ["Ostrava Cranes"]}}) + "\n")
    st = open_store(url)
    ingest(st, [extra], "more")
    req = _request(app)
    assert not _on_loop(req, "default", ONE, MatchParams(), NO_FILTERS)  # new content: the index is stale
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.post("/match/default", json={"queries": ONE}).status_code == 200  # built on the pool
    assert _on_loop(req, "default", ONE, MatchParams(), NO_FILTERS)
    st.close()


def test_no_loop_without_a_finished_warm_up(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cold.db'}"
    app = create_app(url)
    assert not _on_loop(_request(app), "default", ONE, MatchParams(), NO_FILTERS)


QUERIES: list[dict[str, Any]] = [
    {"schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"], "birthDate": ["1971-03-14"]}},
    {"schema": "Person", "properties": {"name": ["Petrov Ivan"]}},
    {"schema": "Company", "properties": {"name": ["厦门北海电子有限公司"]}},
    {"schema": "LegalEntity", "properties": {"name": ["Beihai Electronics"], "registrationNumber": ["91350200MA2XXXXX1K"]}},
    {"schema": "Person", "properties": {"name": ["Nobody Atall"]}},
]


def test_answers_on_the_loop_are_the_library_s(warm_app: tuple[str, FastAPI]) -> None:
    url, app = warm_app
    client = TestClient(app, base_url="http://127.0.0.1")
    st = open_store(url)
    try:
        for query in QUERIES:
            for params in ({}, {"limit": 2, "threshold": 0.9}):
                res = client.post("/match/default", params=params, json={"queries": {"q": query}})
                assert res.status_code == 200, res.text
                want = match(st, {"q": query}, **params)  # type: ignore[arg-type]
                assert res.json() == json.loads(json.dumps(want))
    finally:
        st.close()


def test_a_request_on_the_loop_reads_the_content_digest_once(
        warm_app: tuple[str, FastAPI], monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest (a read of the store's loads and judgements) was read by ``_on_loop`` and again by
    ``match()``; the state read on the loop is handed on. Answers are the library's, in yente's shape."""
    from redthread.screen import persist
    from tests.screen.test_yente_wire import EntityMatchResponse

    url, app = warm_app
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.post("/match/default", json={"queries": ONE}).status_code == 200  # the key table, once
    reads: list[str] = []
    real = persist.content_digest

    def counted(store: Any) -> str:
        reads.append(store.url)
        return real(store)

    monkeypatch.setattr(persist, "content_digest", counted)
    st = open_store(url)
    try:
        for query in QUERIES:
            reads.clear()
            res = client.post("/match/default", json={"queries": {"q": query}})
            assert res.status_code == 200, res.text
            assert reads == [url]
            EntityMatchResponse.model_validate(res.json())
            assert res.json() == json.loads(json.dumps(match(st, {"q": query})))
    finally:
        st.close()
