"""The entity and search endpoints over a real store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.store import open_store


def test_entity_and_search(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    store = open_store(url)
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    client = TestClient(create_app(url))
    res = client.get("/search", params={"q": "komax"})
    assert res.status_code == 200
    assert [r["id"] for r in res.json()["results"]] == ["rt-komax"]
    res = client.get("/entities/rt-komax")
    assert res.status_code == 200
    body = res.json()
    names = [p for p in body["properties"] if p["prop"] == "name"][0]
    assert names["values"][0]["sources"][0]["location"] == "starter.ftm.jsonl:2"
    assert any(link["prop"] == "controller" for link in body["links"])
    assert client.get("/entities/nope").status_code == 404
