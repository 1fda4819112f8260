"""Keys and roles: hashed storage, loopback-only until a key exists, role checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.keys import KeyRing, KeyRingError
from redthread.store import Store, open_store


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def test_keyring_hashes_and_verifies(store: Store) -> None:
    ring = KeyRing(store)
    record, key = ring.create("analyst", "desk")
    raw = store._query("SELECT salt, digest FROM api_keys")  # type: ignore[attr-defined]
    assert key.split("_", 2)[2] not in str(raw)  # the secret itself is never stored
    assert ring.verify(key).role == "analyst"  # type: ignore[union-attr]
    assert ring.verify(key[:-2] + "xx") is None
    assert ring.verify("nonsense") is None
    ring.revoke(record.id)
    assert ring.verify(key) is None
    with pytest.raises(KeyRingError, match="known ids"):
        ring.revoke("nope")
    with pytest.raises(KeyRingError, match="unknown role"):
        ring.create("root")


def test_loopback_only_until_first_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    local = TestClient(create_app(url))
    assert local.get("/whoami").json()["role"] == "viewer"  # keyless loopback reads only
    remote = TestClient(create_app(url), client=("203.0.113.9", 5000))
    res = remote.get("/stats")
    assert res.status_code == 403 and "loopback" in res.json()["detail"]


def test_roles_after_keys_exist(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    st = open_store(url)
    ring = KeyRing(st)
    _, viewer = ring.create("viewer", "reader")
    _, admin = ring.create("admin")
    st.close()
    client = TestClient(create_app(url), client=("203.0.113.9", 5000))
    assert client.get("/stats").status_code == 401  # keys exist: anonymous is refused
    assert TestClient(create_app(url)).get("/stats").status_code == 401  # loopback too
    assert client.get("/stats", headers=_auth(viewer)).status_code == 200
    assert client.get("/whoami", headers=_auth(viewer)).json() == {
        "role": "viewer", "user": "reader", "roles": ["viewer", "analyst", "admin"]}
    assert client.get("/keys", headers=_auth(viewer)).status_code == 403
    assert client.post("/ingest", headers=_auth(viewer), data={"dataset": "x"},
                       files={"file": ("a.txt", b"x")}).status_code == 403
    res = client.post("/keys", headers=_auth(admin), json={"role": "analyst", "name": "desk"})
    assert res.status_code == 201
    new = res.json()
    assert client.get("/whoami", headers=_auth(new["key"])).json()["role"] == "analyst"
    listed = client.get("/keys", headers=_auth(admin)).json()["keys"]
    assert {k["name"] for k in listed} == {"reader", "", "desk"}
    assert all("digest" not in k and "key" not in k for k in listed)
    assert client.delete(f"/keys/{new['id']}", headers=_auth(admin)).status_code == 200
    assert client.get("/whoami", headers=_auth(new["key"])).status_code == 401
    assert client.delete("/keys/nope", headers=_auth(admin)).status_code == 404
    assert client.post("/keys", headers=_auth(admin), json={"role": "god"}).status_code == 422


def test_keys_cli_prints_key_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    res = runner.invoke(cli_app, ["keys", "create", "--role", "viewer", "--name", "ci"])
    assert res.exit_code == 0, res.output
    key = res.output.split()[-1]
    st = open_store(f"sqlite:///{tmp_path / 'cli.db'}")
    record = KeyRing(st).verify(key)
    st.close()
    assert record is not None and record.role == "viewer" and record.name == "ci"
    res = runner.invoke(cli_app, ["keys", "list"])
    assert record.id in res.output and "viewer" in res.output
    res = runner.invoke(cli_app, ["keys", "revoke", record.id])
    assert res.exit_code == 0 and "revoked" in res.output


def test_key_check_does_not_wait_for_a_loading_writer(tmp_path: Path) -> None:
    """A long ingest holds SQLite's write lock; API key checks still answer at once."""
    import sqlite3
    import time

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    st = open_store(url)
    _, key = KeyRing(st).create("viewer")
    st.close()
    writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # what a loader does for its whole file
    try:
        client = TestClient(create_app(url))
        started = time.perf_counter()
        res = client.get("/whoami", headers=_auth(key))
        assert res.status_code == 200 and res.json()["role"] == "viewer"
        assert time.perf_counter() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()
