"""``redthread serve`` warms screening at start; ``/readyz`` says ``warming`` until it is warm.

Before, ``/readyz`` said ready as soon as the store answered, and the first
real ``/match`` paid the index load, rigour's tagger build and
nomenklatura's import (16-21 s on the OFAC list). These tests run the real
warm-up over a real store; the readiness answers validate against yente's
``StatusResponse`` shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from redthread import settings
from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.screen import clear_cache, state
from redthread.screen import index as screen_index
from redthread.screen.index import index_for
from redthread.screen.warm import MADE_UP, Warmup, queries_for, warm
from redthread.store import open_store


class StatusResponse(BaseModel):
    """yente's readiness answer (``yente/data/common.py``)."""

    status: str


@pytest.fixture
def url(tmp_path: Path, fixtures: Path) -> str:
    store_url = f"sqlite:///{tmp_path / 'warm.db'}"
    st = open_store(store_url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    return store_url


def test_readyz_says_warming_until_the_warm_up_is_done(url: str) -> None:
    app = create_app(url)
    app.state.warmup = Warmup()
    client = TestClient(app, base_url="http://127.0.0.1")
    res = client.get("/readyz")
    assert res.status_code == 503
    assert StatusResponse.model_validate(res.json()).status == "warming"
    assert client.get("/healthz").status_code == 200  # alive while warming
    app.state.warmup.finish("ready", 0.5)
    res = client.get("/readyz")
    assert res.status_code == 200 and StatusResponse.model_validate(res.json()).status == "ok"


def test_a_failed_warm_up_does_not_keep_the_server_out(url: str) -> None:
    app = create_app(url)
    app.state.warmup = Warmup()
    app.state.warmup.finish("failed", 0.1, "OSError: disk full")
    assert TestClient(app, base_url="http://127.0.0.1").get("/readyz").json() == {"status": "ok"}


def test_warm_app_loads_the_index_and_listing_status_before_ready(url: str) -> None:
    state.clear()
    clear_cache()
    app = create_app(url, warm=True)
    warmup: Warmup = app.state.warmup
    assert warmup.wait(300), "the warm-up did not finish"
    assert warmup.state == "ready", warmup.error
    assert warmup.seconds is not None and warmup.seconds > 0
    assert (url, None) in screen_index._CACHE  # the whole store's index is in memory
    kept = state._STATES[url]
    assert kept._status is not None  # and the hits' listing status
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.get("/readyz").json() == {"status": "ok"}
    body = client.post("/match/default", json={"queries": {"q": {
        "schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"]}}}}).json()
    assert body["responses"]["q"]["results"][0]["id"] == "sl-petrov"
    # the request used the index the warm-up loaded, not one of its own
    assert screen_index._CACHE[(url, None)][1] is index_for(open_store(url))


def test_an_app_made_without_warm_has_no_warm_up(url: str) -> None:
    app = create_app(url)
    assert getattr(app.state, "warmup", None) is None
    assert TestClient(app, base_url="http://127.0.0.1").get("/readyz").json() == {"status": "ok"}


def test_the_setting_turns_the_warm_up_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDTHREAD_SERVE_WARMUP", raising=False)
    assert settings.serve_warmup() is True
    for off in ("0", "off", "false"):
        monkeypatch.setenv("REDTHREAD_SERVE_WARMUP", off)
        assert settings.serve_warmup() is False


def test_warm_up_queries_take_the_index_s_own_person_and_other_entity(url: str) -> None:
    clear_cache()
    st = open_store(url)
    try:
        idx = index_for(st)
    finally:
        st.close()
    queries = queries_for(idx)
    assert set(MADE_UP) < set(queries)
    person, other = queries["listed_person"], queries["listed_other"]
    assert person["schema"] == "Person" and other["schema"] != "Person"
    for q in (person, other):
        name = q["properties"]["name"][0]  # type: ignore[index]
        assert name in idx.captions


def test_warm_on_a_store_that_cannot_be_read_fails_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a SQLite file" * 100)
    with pytest.raises(Exception, match="(?i)database|file"):
        warm(f"sqlite:///{bad}")
