"""The Capacity page works for a read-only caller: computing a buyer's capacity
from a bill of materials stores nothing, so it needs the viewer role, as
``POST /match`` does (the keyless journalist on this machine is a viewer)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.keys import KeyRing
from redthread.store import open_store
from redthread.trade.parties import party_id

TRADE = Path(__file__).resolve().parents[1] / "fixtures" / "trade"
TUNDRA = party_id("Tundra Trading LLC", "ru")


def _store(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    store = open_store(url)
    ingest(store, [TRADE / "records.csv"], "customs")
    store.close()
    return url


BODY = {"buyer": TUNDRA, "bom": (TRADE / "bom.yaml").read_text()}


def test_capacity_keyless_on_loopback(tmp_path: Path) -> None:
    """No key exists yet: the journalist's keyless browser on this machine reads as viewer."""
    keyless = TestClient(create_app(_store(tmp_path, "open.db")), client=("127.0.0.1", 4000))
    res = keyless.post("/trade/capacity", json=BODY)
    assert res.status_code == 200, res.text
    assert res.json()["binding"] == "esc"


def test_capacity_with_a_viewer_key(tmp_path: Path) -> None:
    url = _store(tmp_path, "keyed.db")
    store = open_store(url)
    _, viewer = KeyRing(store).create("viewer", "reader")
    store.close()
    remote = TestClient(create_app(url), client=("203.0.113.7", 4000))
    res = remote.post("/trade/capacity", json=BODY, headers={"Authorization": f"ApiKey {viewer}"})
    assert res.status_code == 200, res.text
    assert res.json()["binding"] == "esc"
    # Still gated: without a key it is refused before the body is read.
    assert remote.post("/trade/capacity", json=BODY).status_code == 401
