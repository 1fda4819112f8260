"""The key check on PostgreSQL (#21): its keys-table read never runs on the event loop, yet a revoke is seen at once.

On SQLite the read is a local file read and stays on the loop (no hop); on
PostgreSQL it is a network round trip, which on the loop would hold up every
other request.
"""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from redthread.api import auth
from redthread.api.app import create_app
from redthread.keys import KeyRing
from redthread.store import open_store


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture()
def where(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each keys-table state read ran on the event loop."""
    seen: list[bool] = []
    real = auth.table_state

    def recorded(ring: KeyRing) -> tuple[int, int]:
        seen.append(_on_loop())
        return real(ring)

    monkeypatch.setattr(auth, "table_state", recorded)
    return seen


def _keys(url: str) -> tuple[str, str, str]:
    st = open_store(url)
    try:
        ring = KeyRing(st)
        record, viewer = ring.create("viewer", "reader")
        _, analyst = ring.create("analyst")
    finally:
        st.close()
    return viewer, record.id, analyst


def test_postgres_key_check_off_loop_and_revoke_refused_at_once(pg_url: str, where: list[bool]) -> None:
    viewer, viewer_id, analyst = _keys(pg_url)
    client = TestClient(create_app(pg_url))
    head = {"Authorization": f"ApiKey {viewer}"}
    assert client.get("/healthz", headers=head).status_code == 200
    assert client.get("/healthz", headers=head).status_code == 200
    # A write: the gate checks the key before reading the body, off the loop too.
    assert client.post("/judgements", headers={"Authorization": f"ApiKey {analyst}"}, json={}).status_code == 422
    other = open_store(pg_url)  # another connection, as `redthread keys revoke` from another process
    try:
        KeyRing(other).revoke(viewer_id)
    finally:
        other.close()
    res = client.get("/healthz", headers=head)
    assert res.status_code == 401 and "revoked" in res.json()["detail"]
    assert where and not any(where), where


def test_sqlite_key_check_stays_on_loop(tmp_path: object, where: list[bool]) -> None:
    url = f"sqlite:///{tmp_path}/k.db"
    viewer, _, _ = _keys(url)
    client = TestClient(create_app(url))
    assert client.get("/healthz", headers={"Authorization": f"ApiKey {viewer}"}).status_code == 200
    assert where and all(where), where
