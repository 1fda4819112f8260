"""``/match`` reads its query string as one typed object and answers as before.

The eleven query parameters used to be declared one by one; FastAPI then
looked each up and validated it separately on every request. Read as one
:class:`~redthread.api.routes.match.MatchParams`, they must mean exactly what
they meant: the same values for good query strings, the same 422 bodies for
bad ones, the same documentation. The oracle is FastAPI's own reading of the
parameters declared one by one, as the route declared them before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.api.routes.match import MatchParams
from redthread.ingest import ingest
from redthread.screen import match
from redthread.screen.scorers import DEFAULT
from redthread.store import open_store


def _one_by_one() -> FastAPI:
    """The parameters as the route declared them before (the oracle)."""
    app = FastAPI()

    @app.get("/p")
    def read(
        limit: int = Query(5, ge=1, le=500, description="Results per query."),
        threshold: float = Query(0.7, ge=0.0, le=1.0, description="Score at which a result is a match."),
        cutoff: float = Query(0.0, ge=0.0, le=1.0, description="Results scoring at or below are left out."),
        algorithm: str = Query(DEFAULT, description="Scoring algorithm (GET /algorithms)."),
        exclude_entity_ids: list[str] = Query([], description="Entity ids never to return."),
        include_dataset: list[str] = Query([], description="Only entities in one of these datasets."),
        exclude_dataset: list[str] = Query([], description="Leave out entities found only in these datasets."),
        exclude_schema: list[str] = Query([], description="Leave out entities of these schemata (and narrower)."),
        topics: list[str] = Query([], description="Only entities with one of these topics (e.g. sanction)."),
        changed_since: str | None = Query(None, description="Only entities changed on or after this ISO date."),
    ) -> dict[str, Any]:
        return dict(locals())

    return app


def _as_one() -> FastAPI:
    app = FastAPI()

    @app.get("/p")
    def read(params: Annotated[MatchParams, Query()]) -> dict[str, Any]:
        return params.model_dump()

    return app


QUERY_STRINGS = [
    "", "limit=3", "limit=500", "threshold=0.55&cutoff=0.2", "algorithm=logic-v2",
    "exclude_entity_ids=a&exclude_entity_ids=b", "include_dataset=x&exclude_dataset=y&exclude_schema=Vessel",
    "topics=sanction&topics=sanction.linked", "changed_since=2024-01-01", "limit=2&limit=7", "unknown=1",
    "limit=0", "limit=501", "limit=abc", "limit=", "threshold=1.5", "threshold=-0.1", "cutoff=x",
    "threshold=nan", "limit=3.5", "limit=1e2", "limit=%20%204", "topics=", "changed_since=",
]


@pytest.mark.parametrize("qs", QUERY_STRINGS)
def test_one_typed_object_reads_what_the_declared_parameters_read(qs: str) -> None:
    before = TestClient(_one_by_one()).get(f"/p?{qs}")
    after = TestClient(_as_one()).get(f"/p?{qs}")
    assert after.status_code == before.status_code, (qs, before.text, after.text)
    assert after.json() == before.json(), qs


def test_documented_parameters_are_the_same() -> None:
    def params(app: FastAPI) -> list[dict[str, Any]]:
        return sorted(app.openapi()["paths"]["/p"]["get"]["parameters"], key=lambda p: p["name"])

    assert params(_as_one()) == params(_one_by_one())


def test_served_route_documents_each_parameter(tmp_path: Path) -> None:
    spec = create_app(f"sqlite:///{tmp_path / 'd.db'}").openapi()
    names = {p["name"] for p in spec["paths"]["/match/{dataset}"]["post"]["parameters"]}
    assert set(MatchParams.model_fields) | {"dataset"} <= names


@pytest.fixture
def loaded(tmp_path: Path, fixtures: Path) -> str:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    return url


PARAMS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {}),
    ({"limit": 1}, {"limit": 1}),
    ({"threshold": 0.95, "cutoff": 0.5}, {"threshold": 0.95, "cutoff": 0.5}),
    ({"exclude_entity_ids": ["sl-petrov"]}, {"exclude_entity_ids": {"sl-petrov"}}),
    ({"algorithm": "logic-v2"}, {}),
]


@pytest.mark.parametrize(("params", "kwargs"), PARAMS)
def test_route_applies_each_parameter_as_match_does(loaded: str, params: dict[str, Any],
                                                     kwargs: dict[str, Any]) -> None:
    client = TestClient(create_app(loaded), base_url="http://127.0.0.1")
    st = open_store(loaded)
    try:
        for name in ("Petrov Yegor", "Beihai Electronics", "Ivan Petrov"):
            query = {"schema": "LegalEntity", "properties": {"name": [name]}}
            res = client.post("/match/default", params=params, json={"queries": {"q": query}})
            assert res.status_code == 200, res.text
            want = match(st, {"q": query}, **kwargs)
            assert res.json() == json.loads(json.dumps(want))
    finally:
        st.close()


def test_topic_filter_through_the_query_string(loaded: str) -> None:
    client = TestClient(create_app(loaded), base_url="http://127.0.0.1")
    query = {"schema": "Person", "properties": {"name": ["Petrov"]}}
    every = client.post("/match/default", params={"limit": 10}, json={"queries": {"q": query}}).json()
    listed = client.post("/match/default", params={"limit": 10, "topics": "sanction"},
                         json={"queries": {"q": query}}).json()
    ids = {r["id"] for r in every["responses"]["q"]["results"]}
    kept = {r["id"] for r in listed["responses"]["q"]["results"]}
    assert "sl-petrov" in kept and "sl-petrov-ivan" in ids - kept
