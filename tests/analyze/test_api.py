"""The analytics endpoints over a real store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.store import open_store


def client(tmp_path: Path, fixtures: Path, *names: str) -> TestClient:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    store = open_store(url)
    ingest(store, [fixtures / "analyze" / n for n in names], "analyze")
    store.close()
    return TestClient(create_app(url))


def test_ownership_blocked_and_graph(tmp_path: Path, fixtures: Path) -> None:
    api = client(tmp_path, fixtures, "ownership.ftm.jsonl")
    res = api.get("/blocked")
    assert res.status_code == 200
    rows = {r["id"]: r for r in res.json()}
    assert sorted(rows) == ["t-a", "t-b", "t-c", "t-g", "t-h"]
    assert rows["t-a"]["blocked_share"] == 55.0 and rows["t-a"]["chain"][0]["evidence"]
    assert [r["id"] for r in api.get("/blocked", params={"variant": "eu"}).json()] == ["t-a"]
    assert api.get("/blocked", params={"engine": "nope"}).status_code == 400
    tree = api.get("/ownership/t-b").json()
    assert tree["blocked"] is True and tree["owners"][0]["node"]["id"] == "t-a"
    assert api.get("/ownership/nope").status_code == 404
    graph = api.get("/graph/t-a", params={"depth": 1}).json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert set(nodes) == {"t-a", "t-b", "t-s1", "t-s2"}
    assert nodes["t-s1"]["sanctioned"] and nodes["t-a"]["blocked"] and not nodes["t-a"]["sanctioned"]
    edge = next(e for e in graph["edges"] if e["source"] == "t-a")
    assert edge["target"] == "t-b" and edge["type"] == "Ownership" and edge["evidence"]


def test_exposure_paths_redflags_claims_timeline(tmp_path: Path, fixtures: Path) -> None:
    api = client(tmp_path, fixtures, "exposure.ftm.jsonl", "redflags.ftm.jsonl")
    top = api.get("/exposure", params={"top": 2}).json()
    assert len(top) == 2 and top[0]["id"] == "x-a" and top[0]["path"][0]["evidence"]
    found = api.get("/paths", params={"a": "x-g", "b": "x-s"}).json()
    assert [p["kind"] for p in found] == ["shortest", "strongest"]
    flags = api.get("/redflags", params={"entity": "r-caterer"}).json()
    assert {f["rule"] for f in flags} >= {"unrelated-business"}
    assert api.get("/redflags", params={"rule": "nope"}).status_code == 400
    assert api.get("/claims", params={"conflicts": True}).status_code == 200
    assert any(f["prop"] == "name" for f in api.get("/claims", params={"entity": "x-a"}).json())
    events = api.get("/timeline", params={"entity": "r-designated"}).json()
    assert any(e["date"] == "2024-06-12" for e in events)
