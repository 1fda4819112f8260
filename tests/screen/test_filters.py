"""yente's result filters on /match and /search: datasets, schemata, topics, change date; strict requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.screen.filters import MatchFilters
from redthread.store import open_store

#: A registry record of the same name as a listed person (written for this test).
REGISTRY = [
    {"id": "reg-petrov", "schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"],
                                                           "birthDate": ["1971-03-14"]}},
    {"id": "reg-petrov-co", "schema": "Company", "properties": {"name": ["Yegor Petrov"]}},
]
QUERY = {"queries": {"q": {"schema": "LegalEntity", "properties": {"name": ["Yegor Petrov"]}}}}


@pytest.fixture
def client(tmp_path: Path, fixtures: Path) -> TestClient:
    url = f"sqlite:///{tmp_path / 'filters.db'}"
    registry = tmp_path / "registry.ftm.jsonl"
    registry.write_text("".join(json.dumps(e) + "\n" for e in REGISTRY), encoding="utf-8")
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    ingest(st, [registry], "registry")
    st.close()
    return TestClient(create_app(url), base_url="http://127.0.0.1")


def _ids(client: TestClient, **params: Any) -> set[str]:
    res = client.post("/match/default", json=QUERY, params={"cutoff": 0.1, **params})
    assert res.status_code == 200, res.text
    return {r["id"] for r in res.json()["responses"]["q"]["results"]}


def _search_ids(client: TestClient, **params: Any) -> set[str]:
    res = client.get("/search/default", params={"q": "Yegor Petrov", "schema": "LegalEntity", **params})
    assert res.status_code == 200, res.text
    return {r["id"] for r in res.json()["results"]}


def test_unfiltered_sees_both_datasets(client: TestClient) -> None:
    assert {"sl-petrov", "reg-petrov", "reg-petrov-co"} <= _ids(client)
    assert {"sl-petrov", "reg-petrov"} <= _search_ids(client)


@pytest.mark.parametrize("ids", [_ids, _search_ids])
def test_dataset_filters(client: TestClient, ids: Any) -> None:
    only_registry = ids(client, include_dataset="registry")
    assert only_registry and only_registry <= {"reg-petrov", "reg-petrov-co"}
    no_lists = ids(client, exclude_dataset="lists")
    assert no_lists and not any(i.startswith("sl-") for i in no_lists)


@pytest.mark.parametrize("ids", [_ids, _search_ids])
def test_schema_filter_drops_narrower_schemata(client: TestClient, ids: Any) -> None:
    no_people = ids(client, exclude_schema="Person")
    assert "reg-petrov-co" in no_people and not no_people & {"sl-petrov", "reg-petrov", "sl-petrov-ivan"}
    assert not ids(client, exclude_schema="LegalEntity")


@pytest.mark.parametrize("ids", [_ids, _search_ids])
def test_topics_filter(client: TestClient, ids: Any) -> None:
    # sl-petrov carries the sanction topic; the registry namesakes do not.
    assert ids(client, topics="sanction") == {"sl-petrov"}


@pytest.mark.parametrize("ids", [_ids, _search_ids])
def test_changed_since(client: TestClient, ids: Any) -> None:
    assert ids(client, changed_since="2000-01-01")
    assert not ids(client, changed_since="2999-01-01")


def test_bad_filter_values_are_400(client: TestClient) -> None:
    res = client.post("/match/default", json=QUERY, params={"changed_since": "last tuesday"})
    assert res.status_code == 400 and "changed_since" in res.json()["detail"]
    res = client.post("/match/default", json=QUERY, params={"exclude_schema": "Spaceship"})
    assert res.status_code == 400 and "exclude_schema" in res.json()["detail"]
    res = client.get("/search/default", params={"q": "x", "changed_since": "soon"})
    assert res.status_code == 400


def test_unknown_config_option_is_400(client: TestClient) -> None:
    res = client.post("/match/default", json={**QUERY, "config": {"nm_number_mismatch": 0.5}})
    assert res.status_code == 400 and "nm_number_mismatch" in res.json()["detail"]
    assert client.post("/match/default", json={**QUERY, "config": {}}).status_code == 200


def test_query_without_schema_is_422(client: TestClient) -> None:
    res = client.post("/match/default", json={"queries": {"q": {"properties": {"name": ["Yegor Petrov"]}}}})
    assert res.status_code == 422


def test_filters_parse() -> None:
    f = MatchFilters.parse(exclude_schema=["LegalEntity"], changed_since="2024-05-01T10:00:00Z")
    assert {"Company", "Person", "Organization"} <= f.exclude_schemata
    assert f.changed_since is not None and f.changed_since.year == 2024 and f.on_results
    assert not MatchFilters.parse().on_results
    with pytest.raises(InputError):
        MatchFilters.parse(changed_since="2024-13-45")


def test_index_loads_the_symbolic_matcher_with_it(tmp_path: Path, fixtures: Path) -> None:
    """The first query after an index is built does not pay for loading rigour's name data."""
    from redthread.screen import symbolic
    from redthread.screen.index import clear_cache, index_for

    st = open_store(f"sqlite:///{tmp_path / 'warm.db'}")
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    clear_cache()
    symbolic._STATE.clear()
    index_for(st)
    assert symbolic._STATE.get("fn") is not None
    st.close()
