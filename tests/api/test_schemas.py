"""Every route of the core modules declares its response shape, and real answers fit it."""

from __future__ import annotations

import json
from collections.abc import Callable
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
from redthread.store import Document, Judgement, LoadBatch
from redthread.trade.parties import party_id
from tests.conftest import FIXTURES

#: Route modules whose answers are not declared here, and why.
EXEMPT = {
    "redthread.api.routes.match": "yente models, owned by #21",
    "redthread.api.routes.yente": "yente models, owned by #21",
}
#: Answers that are not JSON (a PDF or HTML dossier, an audit export, a chart): documented by their media type.
NOT_JSON = {("GET", "/report"), ("GET", "/audit"), ("GET", "/trade/charts/flows.{fmt}"),
            ("GET", "/trade/charts/sankey.{fmt}")}
TUNDRA = party_id("Tundra Trading LLC", "ru")
TEXT = "Norden Relay GmbH sold relays to Kestrel Avionics in March 2024."


def _routes(app: Any) -> list[APIRoute]:
    """Every documented route but match/yente's (FastAPI keeps included routers as they are: walk into them)."""
    out, todo = [], list(app.routes)
    while todo:
        route = todo.pop(0)
        if hasattr(route, "original_router"):
            todo.extend(route.original_router.routes)  # routers are included without a prefix
        elif isinstance(route, APIRoute) and route.include_in_schema and route.endpoint.__module__ not in EXEMPT:
            out.append(route)
    return out


@pytest.fixture
def app_and_key(tmp_path: Path, fixtures: Path) -> tuple[Any, str]:
    url = f"sqlite:///{tmp_path / 'schemas.db'}"
    with open_case(url) as case:
        ingest(case.store, [fixtures / "analyze" / "redflags.ftm.jsonl"], "analyze")
        for name in ("ownership", "claims-a", "claims-b"):
            ingest(case.store, [fixtures / "analyze" / f"{name}.ftm.jsonl"], name)
        # customs records, a listed company judged the same as one buyer, and a listed maker's purchasing agent
        ingest(case.store, [fixtures / "trade" / "records.csv"], "customs")
        ingest(case.store, [fixtures / "trade" / "sanctions.ftm.jsonl"], "list")
        case.store.add_judgement(Judgement(TUNDRA, "list-tundra", "positive", "test", "2024-07-01T00:00:00"))
        agent = tmp_path / "agent.ftm.jsonl"
        agent.write_text("\n".join(json.dumps(x) for x in [
            {"id": "t-maker", "schema": "Company", "properties": {"name": ["Arctic Airframe Works AO"]}},
            {"id": "t-maker-sanction", "schema": "Sanction", "properties": {
                "entity": ["t-maker"], "authority": ["Office of Foreign Assets Control"], "program": ["RUSSIA-EO14024"]}},
            {"id": "t-agency", "schema": "Representation", "properties": {
                "agent": [party_id("Polar Seafood LLC", "ru")], "client": ["t-maker"], "role": ["purchasing agent"]}},
        ]) + "\n")
        ingest(case.store, [agent], "agent")
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


def _documented(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A named shape with fields, a list of them, or a choice of them; a bare ``object`` says nothing."""
    if schema.get("type") == "array":
        return _documented(schema.get("items", {}), components)
    if "anyOf" in schema:
        return all(_documented(s, components) for s in schema["anyOf"])
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    return bool(ref and components.get(ref, {}).get("properties"))


def _schema_of(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = spec["paths"][path.replace(":path}", "}")][method.lower()]["responses"]  # OpenAPI drops converters
    ok = next(v for k, v in responses.items() if k.startswith("2"))
    return dict(ok.get("content", {}).get("application/json", {}).get("schema", {}))


def test_openapi_documents_every_json_route(app_and_key: tuple[Any, str]) -> None:
    app, _ = app_and_key
    spec = TestClient(app).get("/openapi.json").json()
    components = spec["components"]["schemas"]
    routes = _routes(app)
    assert len(routes) >= 50
    undocumented = []
    for route in routes:
        for method in route.methods:
            if (method, route.path) in NOT_JSON:
                continue
            schema = _schema_of(spec, method, route.path)
            # A bare ``{"type": "object"}`` (what ``-> dict[str, Any]`` gives) says nothing.
            if route.response_model is None or not _documented(schema, components):
                undocumented.append(f"{method} {route.path}")
    assert undocumented == []


def test_real_answers_fit_their_declared_shape(app_and_key: tuple[Any, str], tmp_path: Path) -> None:
    app, key = app_and_key
    client = TestClient(app, headers={"Authorization": f"ApiKey {key}"})
    shapes = {(m, r.path): r.response_model for r in _routes(app) for m in r.methods}
    seen: set[tuple[str, str]] = set()

    def call(method: str, template: str, url: str, expect: int = 200, **kwargs: Any) -> Any:
        answer = client.request(method, url, **kwargs)
        assert answer.status_code == expect, (url, answer.text)
        body = answer.json()
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
    _analytics(call)
    _trade(call, (FIXTURES / "trade" / "bom.yaml").read_text())
    made = call("POST", "/edits/entity", "/edits/entity", 201,
                json={"schema": "Company", "name": "Orbis Kite Ltd", "note": "seen on a shipping document"})
    target = made["edit"]["entity_id"]
    call("POST", "/edits/property", "/edits/property", 201,
         json={"entity_id": target, "prop": "country", "value": "de", "note": "registry"})
    call("POST", "/edits/link", "/edits/link", 201,
         json={"schema": "Ownership", "source_id": "t-s1", "target_id": target, "note": "filing"})
    call("POST", "/edits/retype", "/edits/retype", 201, json={"entity_id": target, "schema": "Organization", "note": "ngo"})
    assert call("GET", "/edits", "/edits")["edits"]
    assert call("DELETE", "/edits/{edit_id}", f"/edits/{made['edit']['id']}")["edit"]["undone_at"]
    assert pairs["status"] == "ready"
    declared = {k for k in shapes if k not in NOT_JSON}
    assert declared - seen == set()  # every declared JSON route answered and fit its shape


def _analytics(call: Callable[..., Any]) -> None:
    """Ownership, the 50 % rule, exposure, claims, timeline and graph, and the entity page's status."""
    tree = call("GET", "/ownership/{entity_id}", "/ownership/t-s1")
    assert tree["holdings"] and tree["holdings"][0]["link"]["evidence"]
    blocked = call("GET", "/blocked", "/blocked")
    assert blocked and blocked[0]["chain"]
    exposed = call("GET", "/exposure", "/exposure")
    assert any("path" in row for row in exposed)
    assert call("GET", "/paths", "/paths?a=t-s1&b=t-s1") is not None
    assert call("GET", "/redflags", "/redflags")
    assert call("GET", "/claims", "/claims")
    assert call("GET", "/claims", "/claims?conflicts=true")[0]["kind"] == "conflict"
    kinds = {event["kind"] for event in call("GET", "/timeline", "/timeline")}
    assert "customs" in kinds and "fact" in kinds  # events with and without a statement behind them
    assert call("GET", "/graph/{entity_id}", "/graph/t-s1")["edges"]
    for entity in ("t-s1", blocked[0]["id"], exposed[-1]["id"]):  # sanctioned, blocked, exposed or clear
        call("GET", "/entities/{entity_id}/status", f"/entities/{entity}/status")
    assert call("GET", "/entities/{entity_id}/status", f"/entities/{blocked[0]['id']}/status")["blocked"]


def _trade(call: Callable[..., Any], bom: str) -> None:
    """The trade routes and the entity page's trade panel over the customs records."""
    assert call("GET", "/entities/{entity_id}/trade", f"/entities/{TUNDRA}/trade")["roles"]
    flows = call("GET", "/trade/flows", "/trade/flows?by=supplier,hs4&top=3")
    assert list(flows[0])[:2] == ["supplier", "hs4"]  # the requested dimensions lead each row, as produced
    assert call("GET", "/trade/entrants", "/trade/entrants")
    assert call("GET", "/trade/spikes", "/trade/spikes?factor=1.1")
    assert call("GET", "/trade/chains", "/trade/chains")
    months = call("GET", "/trade/series/{party_id}", f"/trade/series/{TUNDRA}")
    assert months and all(isinstance(m["records"], int) for m in months)  # a count, not the text "3"
    assert call("POST", "/trade/capacity", "/trade/capacity", json={"buyer": TUNDRA, "bom": bom})["components"]
    assert call("GET", "/trade/impact", "/trade/impact")
    assert call("GET", "/trade/impact/buyers", "/trade/impact/buyers", params={"bom": bom})[0]["flags"]


def test_the_api_declares_the_library_shapes(app_and_key: tuple[Any, str]) -> None:
    """Watchlists and runs are declared by the monitor's own TypedDicts, not restated copies that drift
    (the restated run shape had lost ``timings``, which every run answer carries)."""
    from redthread.api import schemas
    from redthread.model.records import EvidenceDict, EvidenceFields
    from redthread.monitor.rescreen import RunDict, RunResult
    from redthread.monitor.watchlist import WatchlistDict

    assert schemas.RunOut is RunDict and schemas.WatchlistOut is WatchlistDict
    app, _ = app_and_key
    spec = TestClient(app).get("/openapi.json").json()
    components = spec["components"]["schemas"]
    run = _schema_of(spec, "POST", "/rescreen")["$ref"].rsplit("/", 1)[-1]
    runs_item = components[run]["properties"]["runs"]["items"]["$ref"].rsplit("/", 1)[-1]
    documented = set(components[runs_item]["properties"])
    answer = RunResult("w", 1, "full", 0, 0, 0, 0).to_dict()
    assert documented == set(answer) and "timings" in documented
    # The timeline's evidence is the evidence record or, for a customs record, its common fields (no
    # ``first_seen``): nothing restated.
    event, fields, evidence = (TypeAdapter(t).json_schema() for t in (schemas.EventOut, EvidenceFields,
                                                                      EvidenceDict))
    assert schemas.EventEvidence is EvidenceFields
    options = event["properties"]["evidence"]["items"]["anyOf"]
    named = [set(event["$defs"][o["$ref"].rsplit("/", 1)[-1]]["properties"]) for o in options]
    assert sorted(named, key=len) == [set(fields["properties"]), set(evidence["properties"])]
    assert set(fields["required"]) == set(evidence["required"]) - {"first_seen"}
