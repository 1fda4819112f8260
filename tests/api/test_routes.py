"""Documents with spans, datasets, stats, statements, network, uploads, CORS."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread import settings
from redthread.api.app import create_app
from redthread.api.uploads import safe_name
from redthread.ingest import ingest
from redthread.keys import KeyRing
from redthread.model import Statement
from redthread.store import Document, LoadBatch, open_store

TEXT = "Acme Widgets LLC shipped relays to Borealis Trading in 2023."


@pytest.fixture
def client(tmp_path: Path, fixtures: Path) -> TestClient:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    start = TEXT.index("Acme Widgets LLC")
    end = start + len("Acme Widgets LLC")
    stmts = [
        Statement("doc-acme", "Company", "id", "doc-acme", "notes", source="memo-1"),
        Statement("doc-acme", "Company", "name", "Acme Widgets LLC", "notes", source="memo-1",
                  span_start=start, span_end=end, quote=TEXT, origin="test"),
    ]
    st.write(LoadBatch("notes", "memo-1", stmts, documents=[Document("memo-1", "notes", title="Memo", text=TEXT)]))
    _, key = KeyRing(st).create("analyst", "tests")  # writes need a key, even from loopback
    st.close()
    return TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})


def test_document_spans(client: TestClient) -> None:
    body = client.get("/documents/memo-1").json()
    assert body["text"] == TEXT
    spans = [s for s in body["spans"] if s["prop"] == "name"]
    assert len(spans) == 1
    assert TEXT[spans[0]["start"]:spans[0]["end"]] == "Acme Widgets LLC"
    assert spans[0]["entity_id"] == "doc-acme"
    assert body["entities"]["doc-acme"] == {"caption": "Acme Widgets LLC", "schema": "Company"}
    assert [d["id"] for d in client.get("/documents").json()["documents"]] == ["memo-1"]
    assert client.get("/documents/none").status_code == 404


def test_datasets_stats_statements(client: TestClient) -> None:
    names = {d["name"] for d in client.get("/datasets").json()["datasets"]}
    assert names == {"starter", "notes"}
    assert client.get("/stats").json()["documents"] == 1
    stmts = client.get("/entities/rt-komax/statements").json()["statements"]
    assert {s["prop"] for s in stmts} >= {"name", "country"}
    assert all(s["location"].startswith("starter.ftm.jsonl:") for s in stmts)
    assert client.get("/entities/nope/statements").status_code == 404


def test_network_neighbourhood_and_path(client: TestClient) -> None:
    body = client.get("/network/rt-komax").json()
    ids = {n["id"] for n in body["nodes"]}
    assert ids == {"rt-komax", "rt-basyuk", "rt-aerohit"}
    assert {(e["source"], e["target"], e["schema"]) for e in body["edges"]} == {
        ("rt-basyuk", "rt-komax", "Ownership"), ("rt-komax", "rt-aerohit", "Control")}
    aerohit = [n for n in body["nodes"] if n["id"] == "rt-aerohit"][0]
    assert aerohit["sanctioned"][0]["program"] == "RUSSIA-EO14024"
    deeper = client.get("/network/rt-komax", params={"depth": 2}).json()
    assert {"rt-huasheng", "rt-aeromar"} <= {n["id"] for n in deeper["nodes"]}
    path = client.get("/network/path", params={"source": "rt-basyuk", "target": "rt-aeromar"}).json()
    assert path["found"] is True
    hops = [(e["source"], e["target"]) for e in path["edges"]]
    assert hops == [("rt-basyuk", "rt-komax"), ("rt-komax", "rt-aerohit"), ("rt-aerohit", "rt-aeromar")]
    assert client.get("/network/nope").status_code == 404


def test_network_json_is_the_records_fields(client: TestClient) -> None:
    """Node and Edge are the one record: the answer is their fields in order, nothing restated or lost."""
    import dataclasses

    from redthread.report.network import Edge, Node

    body = client.get("/network/rt-komax").json()
    assert list(body) == ["nodes", "edges", "center"]
    assert all(list(n) == [f.name for f in dataclasses.fields(Node)] for n in body["nodes"])
    assert all(list(e) == [f.name for f in dataclasses.fields(Edge)] for e in body["edges"])
    path = client.get("/network/path", params={"source": "rt-basyuk", "target": "rt-aeromar"}).json()
    assert all(list(e) == [f.name for f in dataclasses.fields(Edge)] for e in path["edges"])
    assert {n["id"] for n in path["nodes"]} == {"rt-basyuk", "rt-komax", "rt-aerohit", "rt-aeromar"}


def test_upload_ingest_is_confined_and_limited(client: TestClient, fixtures: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data = (fixtures / "starter.ftm.jsonl").read_bytes()
    res = client.post("/ingest", data={"dataset": "upload"},
                      files={"file": ("../../etc/evil name.ftm.jsonl", data)})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["results"][0]["added"] > 0
    saved = list((settings.home() / "uploads").iterdir())
    assert len(saved) == 1 and saved[0].name.endswith("-evil_name.ftm.jsonl")
    assert body["file"] == saved[0].name
    assert "upload" in {d["name"] for d in client.get("/datasets").json()["datasets"]}
    res = client.post("/ingest", data={"dataset": "bad name!"}, files={"file": ("a.ftm.jsonl", data)})
    assert res.status_code == 422
    monkeypatch.setenv("REDTHREAD_MAX_UPLOAD_MB", "0.0001")
    res = client.post("/ingest", data={"dataset": "upload"}, files={"file": ("big.jsonl", data)})
    assert res.status_code == 413 and "REDTHREAD_MAX_UPLOAD_MB" in res.json()["detail"]
    assert len(list((settings.home() / "uploads").iterdir())) == 1  # refused files are gone


def test_safe_name() -> None:
    assert safe_name("../../x/../.bashrc") == "bashrc"
    assert safe_name("C:\\Users\\me\\report 1.pdf") == "report_1.pdf"
    assert safe_name("") == "upload"
    assert "/" not in safe_name("a/b/c")


def test_static_paths_cannot_escape(client: TestClient) -> None:
    for path in ("/../redthread.db", "/vendor/../../keys.py", "/%2e%2e/%2e%2e/pyproject.toml"):
        res = client.get(path)
        assert res.status_code == 404 or "[project]" not in res.text


def test_cors_closed_by_default_and_opened_by_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    res = TestClient(create_app(url)).options("/stats", headers=headers)
    assert "access-control-allow-origin" not in res.headers
    monkeypatch.setenv("REDTHREAD_CORS_ORIGINS", "https://desk.example")
    app = create_app(url)
    res = TestClient(app).options("/stats", headers={**headers, "Origin": "https://desk.example"})
    assert res.headers.get("access-control-allow-origin") == "https://desk.example"
    res = TestClient(app).options("/stats", headers=headers)
    assert res.headers.get("access-control-allow-origin") is None


def test_network_cache_follows_loads(tmp_path: Path, fixtures: Path) -> None:
    from redthread.report.network import cached_network

    st = open_store(f"sqlite:///{tmp_path / 'cache.db'}")
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    first = cached_network(st)
    assert cached_network(st) is first  # nothing changed: reused
    st.write(LoadBatch("more", "m", [Statement("x-new", "Company", "name", "Newco", "more")]))
    second = cached_network(st)
    assert second is not first and "x-new" in second.nodes
    st.close()


def test_report_route(client: TestClient) -> None:
    res = client.get("/report", params={"entity_id": "rt-komax"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert "Komax" in res.text and "<svg" in res.text
    pdf = client.get("/report", params={"entity_id": "rt-komax", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert client.get("/report", params={"entity_id": "nope"}).status_code == 404
    assert client.get("/report", params={"format": "docx"}).status_code == 422


def test_uploaded_article_is_extracted_with_spans(client: TestClient, shared: Path) -> None:
    """Upload a published article: the document view's spans point at the right text."""
    article = shared / "corpus" / "report-aerohit-short.txt"
    res = client.post("/ingest", data={"dataset": "news"}, files={"file": (article.name, article.read_bytes())})
    if res.status_code == 422 and "format" in res.text:
        pytest.skip("no document loader installed")
    assert res.status_code == 200, res.text
    docs = [d for d in client.get("/documents").json()["documents"] if d["dataset"] == "news"]
    assert len(docs) == 1
    body = client.get(f"/documents/{docs[0]['id']}").json()
    names = [s for s in body["spans"] if s["prop"] == "name"]
    assert names, "the extractor stated no names with spans"
    for span in names:
        assert body["text"][span["start"]:span["end"]].strip(), span
        assert span["entity_id"] in body["entities"]


def test_docs_and_ui_need_no_cdn(client: TestClient) -> None:
    web = Path(__file__).resolve().parents[2] / "redthread" / "web"
    if not (web / "node_modules" / "swagger-ui-dist").is_dir():
        pytest.skip("npm packages not installed (scripts/setup.sh)")
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text
    index = client.get("/").text
    assert "/vendor/cytoscape/dist/cytoscape.min.js" in index and "http" not in index.replace("http-equiv", "")
    assert client.get("/vendor/cytoscape/dist/cytoscape.min.js").status_code == 200
    assert client.get("/").headers["x-content-type-options"] == "nosniff"
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert any(s.get("name") == "Authorization" for s in schemes.values())
