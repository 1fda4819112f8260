"""Every route of the core modules declares its response shape, and real answers fit it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from redthread.api.app import create_app
from redthread.case import open_case
from redthread.ingest import ingest
from redthread.model import Statement
from redthread.store import Document, LoadBatch

#: Route modules whose answers are declared in ``redthread/api/schemas.py``.
MODULES = {f"redthread.api.routes.{m}" for m in (
    "datasets", "documents", "entities", "extract", "judgements", "keys", "monitor", "network", "uploads")}
#: Answers that are not JSON (a PDF or HTML dossier, an audit export): documented by their media type.
NOT_JSON = {("GET", "/report"), ("GET", "/audit")}
TEXT = "Norden Relay GmbH sold relays to Kestrel Avionics in March 2024."


def _routes(app: Any) -> list[APIRoute]:
    """The core modules' routes (FastAPI keeps included routers as they are: walk into them)."""
    out, todo = [], list(app.routes)
    while todo:
        route = todo.pop(0)
        if hasattr(route, "original_router"):
            todo.extend(route.original_router.routes)  # routers are included without a prefix
        elif isinstance(route, APIRoute) and route.endpoint.__module__ in MODULES:
            out.append(route)
    return out


@pytest.fixture
def app_and_key(tmp_path: Path, fixtures: Path) -> tuple[Any, str]:
    url = f"sqlite:///{tmp_path / 'schemas.db'}"
    with open_case(url) as case:
        ingest(case.store, [fixtures / "analyze" / "redflags.ftm.jsonl"], "analyze")
        start = TEXT.index("Norden Relay GmbH")
        stmts = [
            Statement("n-relay", "Company", "id", "n-relay", "notes", source="memo-2"),
            Statement("n-relay", "Company", "name", "Norden Relay GmbH", "notes", source="memo-2",
                      span_start=start, span_end=start + len("Norden Relay GmbH"), quote=TEXT, origin="test"),
        ]
        case.store.write(LoadBatch("notes", "memo-2", stmts,
                                   documents=[Document("memo-2", "notes", title="Memo", text=TEXT)]))
        _, key = case.keys.create("admin", "schemas")
    return create_app(url), key


def _schema_of(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = spec["paths"][path.replace(":path}", "}")][method.lower()]["responses"]  # OpenAPI drops converters
    ok = next(v for k, v in responses.items() if k.startswith("2"))
    return dict(ok.get("content", {}).get("application/json", {}).get("schema", {}))


def test_openapi_documents_every_core_route(app_and_key: tuple[Any, str]) -> None:
    app, _ = app_and_key
    spec = TestClient(app).get("/openapi.json").json()
    components = spec["components"]["schemas"]
    routes = _routes(app)
    assert len(routes) >= 25
    undocumented = []
    for route in routes:
        for method in route.methods:
            if (method, route.path) in NOT_JSON:
                continue
            schema = _schema_of(spec, method, route.path)
            ref = schema.get("$ref", "").rsplit("/", 1)[-1]
            # A bare ``{"type": "object"}`` (what ``-> dict[str, Any]`` gives) says nothing.
            if route.response_model is None or not ref or not components.get(ref, {}).get("properties"):
                undocumented.append(f"{method} {route.path}")
    assert undocumented == []


def test_real_answers_fit_their_declared_shape(app_and_key: tuple[Any, str], tmp_path: Path) -> None:
    app, key = app_and_key
    client = TestClient(app, headers={"Authorization": f"ApiKey {key}"})
    shapes = {(m, r.path): r.response_model for r in _routes(app) for m in r.methods}
    seen: set[tuple[str, str]] = set()

    def call(method: str, template: str, url: str, expect: int = 200, **kwargs: Any) -> dict[str, Any]:
        answer = client.request(method, url, **kwargs)
        assert answer.status_code == expect, (url, answer.text)
        body: dict[str, Any] = answer.json()
        TypeAdapter(shapes[(method, template)]).validate_python(body)
        seen.add((method, template))
        return body

    call("GET", "/datasets", "/datasets")
    call("GET", "/stats", "/stats")
    call("GET", "/documents", "/documents")
    call("GET", "/documents/{doc_id:path}", "/documents/memo-2")
    call("GET", "/entities/{entity_id}", "/entities/n-relay")
    call("GET", "/entities/{entity_id}/statements", "/entities/n-relay/statements")
    assert call("GET", "/search", "/search?q=Norden")["results"]
    call("POST", "/extract", "/extract", json={"text": TEXT})
    pairs = call("GET", "/xref", "/xref?wait=true&threshold=0.0")
    call("GET", "/xref/{left_id}/{right_id}", "/xref/n-relay/r-designated")
    call("POST", "/judgements", "/judgements", 201,
         json={"left_id": "n-relay", "right_id": "r-designated", "judgement": "negative"})
    assert call("GET", "/judgements", "/judgements")["judgements"]
    call("DELETE", "/judgements/{left_id}/{right_id}", "/judgements/n-relay/r-designated")
    call("GET", "/whoami", "/whoami")
    made = call("POST", "/keys", "/keys", 201, json={"role": "viewer", "name": "second"})
    call("GET", "/keys", "/keys")
    call("DELETE", "/keys/{key_id}", f"/keys/{made['id']}")
    center = call("GET", "/entities/{entity_id}", "/entities/r-designated")["entity"]["id"]
    call("GET", "/network/{entity_id}", f"/network/{center}")
    call("GET", "/network/path", f"/network/path?source={center}&target={center}")
    upload = tmp_path / "more.ftm.jsonl"
    upload.write_text('{"id": "x-new", "schema": "Company", "properties": {"name": ["Orbis Kite Ltd"]}}\n')
    with upload.open("rb") as fh:
        call("POST", "/ingest", "/ingest", files={"file": ("more.ftm.jsonl", fh)}, data={"dataset": "more"})
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text("name,country\nNorden Relay GmbH,de\n")
    with portfolio.open("rb") as fh:
        call("POST", "/watchlists/{name}", "/watchlists/book", 201, files={"file": ("portfolio.csv", fh)},
             data={"threshold": "0.5"})
    call("GET", "/watchlists", "/watchlists")
    call("GET", "/watchlists/{name}", "/watchlists/book")
    call("POST", "/rescreen", "/rescreen?full=true")
    alerts = call("GET", "/alerts", "/alerts")["alerts"]
    assert alerts, "the portfolio names a party in the store: a new_match alert"
    call("GET", "/alerts/{alert_id}", f"/alerts/{alerts[0]['id']}")
    call("POST", "/alerts/{alert_id}/decision", f"/alerts/{alerts[0]['id']}/decision",
         json={"decision": "false_positive", "note": "different firm"})
    call("DELETE", "/watchlists/{name}", "/watchlists/book")
    assert pairs["status"] == "ready"
    declared = {k for k in shapes if k not in NOT_JSON}
    assert declared - seen == set()  # every declared JSON route answered and fit its shape
