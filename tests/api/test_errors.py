"""Errors carry their HTTP status; the API maps them by type in one handler, never by message text."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.errors import (
    BadQuery,
    ConfigError,
    InputError,
    InputErrors,
    NotFound,
    RedthreadError,
    StoreError,
    TooLarge,
    UnknownInput,
)
from redthread.ingest import ingest
from redthread.keys import KeyRingError, UnknownKey
from redthread.store import open_store


@pytest.fixture
def client(tmp_path: Path, fixtures: Path) -> TestClient:
    url = f"sqlite:///{tmp_path / 'errors.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    st.close()
    app = create_app(url)

    @app.get("/_raise/{kind}")
    def _raise(kind: str) -> None:
        # The message deliberately says "no entity" for every kind: only the type may decide.
        kinds: dict[str, type[RedthreadError]] = {
            "plain": RedthreadError, "config": ConfigError, "missing": NotFound, "store": StoreError,
        }
        raise kinds[kind]("no entity 'x' has no links")

    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the web UI mounted at "/"
    return TestClient(app)


def test_status_follows_the_type_not_the_message(client: TestClient) -> None:
    assert client.get("/_raise/plain").status_code == 400
    assert client.get("/_raise/config").status_code == 400
    assert client.get("/_raise/missing").status_code == 404
    assert client.get("/_raise/store").status_code == 503
    assert client.get("/_raise/missing").json() == {"detail": "no entity 'x' has no links"}


def test_classes_carry_status() -> None:
    assert InputError("bad", path="f.csv", line=3).status_code == 422
    assert BadQuery("no schema", field="queries.q.schema").status_code == 400  # as yente answers
    assert InputErrors([InputError("bad")]).status_code == 422
    assert TooLarge("big").status_code == 413
    assert UnknownInput("no dataset", field="dataset").status_code == 404
    assert isinstance(UnknownInput("x"), NotFound) and isinstance(UnknownKey("x"), NotFound)
    assert KeyRingError("bad role").status_code == 422 and UnknownKey("x").status_code == 404


def test_real_routes_answer_with_the_error_status(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_LOOPBACK_WRITES", "1")  # keyless loopback callers may write (docs/api.md)
    res = client.get("/ownership/no-such-entity")
    assert res.status_code == 404 and "no-such-entity" in res.json()["detail"]
    res = client.post("/match/no-such-dataset", json={"queries": {"q": {"schema": "Person",
                                                                         "properties": {"name": ["X"]}}}})
    assert res.status_code == 404 and "no-such-dataset" in res.json()["detail"]
    assert client.delete("/keys/nope").status_code == 404
    res = client.post("/keys", json={"role": "emperor"})
    assert res.status_code == 422 and "emperor" in res.json()["detail"]
    res = client.get("/report", params={"entity_id": "no-such-entity"})
    assert res.status_code == 404
    res = client.post("/extract", json={"text": "Acme LLC", "backend": "no-such-backend"})
    assert res.status_code == 422 and "no-such-backend" in res.json()["detail"]
