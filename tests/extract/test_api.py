"""``POST /extract`` returns FtM entities (and statements) for a text; nothing is stored."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from redthread.api.app import create_app

SAMPLE = Path(__file__).parents[1] / "fixtures" / "extract" / "sample.txt"


def test_extract_route(tmp_path: Path) -> None:
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'api.db'}"))
    text = SAMPLE.read_text(encoding="utf-8")
    res = client.post("/extract", json={"text": text, "doc_id": "sample.txt", "statements": True})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["backend"] == "rules" and body["document"]["id"] == "sample.txt"
    schemata = {e["schema"] for e in body["entities"]}
    assert {"Company", "Person", "Ownership", "Sanction"} <= schemata
    spans = [s for s in body["statements"] if s["prop"] == "name"]
    assert all(text[s["span"][0] : s["span"][1]] == s["value"] for s in spans if not s["value"].startswith("the "))


def test_extract_route_errors(tmp_path: Path) -> None:
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'api.db'}"))
    assert client.post("/extract", json={"text": ""}).status_code == 422
    res = client.post("/extract", json={"text": "Foo Ltd.", "backend": "nope"})
    assert res.status_code == 422 and "known" in res.json()["detail"]
