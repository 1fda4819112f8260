"""Every yente-compatible answer validates against yente's response models.

yente 5.x cannot be installed beside our followthemoney / nomenklatura /
fastapi versions (``pip install --dry-run yente`` would downgrade all three),
so its response models are written out here from yente's published field
lists (``yente/data/common.py``), strict about unknown types and required
fields; the matcher block uses nomenklatura's own ``AlgorithmDocs``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nomenklatura.matching.types import AlgorithmDocs
from pydantic import BaseModel, Field

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.store import open_store


class EntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float]
    match: bool


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityExample(BaseModel):
    id: str | None = None
    schema_: str = Field(alias="schema")
    properties: dict[str, str | list[Any]]


class EntityMatches(BaseModel):
    status: int
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: AlgorithmDocs
    limit: int


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmDocs]
    default: str
    best: str


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, Any]


class AdjacentResultsResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[str | EntityResponse] = []


class EntityAdjacentResponse(BaseModel):
    entity: EntityResponse
    adjacent: dict[str, AdjacentResultsResponse]


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str]


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class StatusResponse(BaseModel):
    status: str


@pytest.fixture
def client(tmp_path: Path, fixtures: Path) -> TestClient:
    url = f"sqlite:///{tmp_path / 'wire.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    return TestClient(create_app(url), base_url="http://127.0.0.1")


def test_match_validates(client: TestClient) -> None:
    body = {"queries": {
        "q1": {"schema": "Person", "properties": {"name": ["Yegor Petrov"], "birthDate": ["1971-03-14"]}},
        "q2": {"schema": "Company", "properties": {"name": "Xiamen Beihai Electronics Co., Ltd."}},
    }}
    for collection in ("lists", "default", "sanctions"):
        res = client.post(f"/match/{collection}", json=body)
        assert res.status_code == 200, res.text
        parsed = EntityMatchResponse.model_validate(res.json())
        q1 = parsed.responses["q1"]
        assert q1.results and q1.results[0].match
        assert q1.total.value == sum(1 for r in q1.results if r.match)


def test_cutoff_drops_at_or_below(client: TestClient) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Yegor Petrov"]}}}}
    top = client.post("/match/default", json=body).json()["responses"]["q"]["results"][0]["score"]
    res = client.post("/match/default", json=body, params={"cutoff": top}).json()
    assert all(r["score"] > top for r in res["responses"]["q"]["results"])


def test_algorithms_validate(client: TestClient) -> None:
    parsed = AlgorithmResponse.model_validate(client.get("/algorithms").json())
    assert parsed.default in {a.name for a in parsed.algorithms}


def test_search_catalog_health_validate(client: TestClient) -> None:
    res = client.get("/search/default", params={"q": "Yegor Petrov", "schema": "Person"})
    assert res.status_code == 200, res.text
    found = SearchResponse.model_validate(res.json())
    assert found.results and found.results[0].id == "sl-petrov"
    assert client.get("/search/nope", params={"q": "x"}).status_code == 404
    cat = DataCatalogModel.model_validate(client.get("/catalog").json())
    assert {"lists", "default", "sanctions"} <= {d.name for d in cat.datasets}
    assert StatusResponse.model_validate(client.get("/healthz").json()).status == "ok"
    assert StatusResponse.model_validate(client.get("/readyz").json()).status == "ok"


def test_entity_validates_with_nested(client: TestClient) -> None:
    for nested in ("false", "true"):
        res = client.get("/entities/sl-beihai", params={"nested": nested})
        assert res.status_code == 200, res.text
        ent = EntityResponse.model_validate(res.json())
        assert ent.id == "sl-beihai" and ent.target


def test_adjacent_validates_both_directions(client: TestClient) -> None:
    """Incoming links under the reverse property, outgoing ones inline; limit/offset page each property."""
    res = client.get("/entities/sl-beihai/adjacent")
    assert res.status_code == 200, res.text
    adj = EntityAdjacentResponse.model_validate(res.json())
    assert adj.entity.id == "sl-beihai" and adj.entity.target
    sanctions = adj.adjacent["sanctions"]
    assert sanctions.total.value == 1
    assert [r.id for r in sanctions.results if isinstance(r, EntityResponse)] == ["sl-beihai-sanction"]
    out = EntityAdjacentResponse.model_validate(client.get("/entities/sl-beihai-sanction/adjacent").json())
    assert [r.id for r in out.adjacent["entity"].results if isinstance(r, EntityResponse)] == ["sl-beihai"]
    paged = EntityAdjacentResponse.model_validate(
        client.get("/entities/sl-beihai/adjacent", params={"limit": 0}).json())
    assert paged.adjacent["sanctions"].results == [] and paged.adjacent["sanctions"].total.value == 1
    assert client.get("/entities/no-such-id/adjacent").status_code == 404


def test_adjacent_by_property_validates(client: TestClient) -> None:
    res = client.get("/entities/sl-beihai/adjacent/sanctions")
    assert res.status_code == 200, res.text
    one = AdjacentResultsResponse.model_validate(res.json())
    assert one.total.value == 1 and isinstance(one.results[0], EntityResponse)
    assert one.results[0].id == "sl-beihai-sanction"
    skipped = AdjacentResultsResponse.model_validate(
        client.get("/entities/sl-beihai/adjacent/sanctions", params={"offset": 1}).json())
    assert skipped.results == [] and skipped.offset == 1
    none = AdjacentResultsResponse.model_validate(client.get("/entities/sl-beihai/adjacent/ownershipAsset").json())
    assert none.total.value == 0
    assert client.get("/entities/sl-beihai/adjacent/name").status_code == 404
    assert client.get("/entities/sl-beihai/adjacent/noSuchProperty").status_code == 404
