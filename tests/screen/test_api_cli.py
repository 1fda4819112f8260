"""The match API (yente shape) and the screen CLI."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.ingest import ingest
from redthread.store import open_store


@pytest.fixture
def url(tmp_path: Path, fixtures: Path) -> str:
    url = f"sqlite:///{tmp_path / 'screen.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    return url


def test_post_match_yente_shape(url: str) -> None:
    client = TestClient(create_app(url))
    body = {"queries": {"q1": {"schema": "Company", "properties": {"name": ["Xiamen Beihai Electronics Co., Ltd."]}},
                        "q2": {"schema": "Person", "properties": {"name": ["Yegor Petrov"], "nationality": ["ru"]}}}}
    res = client.post("/match/lists", json=body, params={"limit": 2, "threshold": 0.8, "algorithm": "logic-v1"})
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["limit"] == 2 and data["matcher"]["name"] == "redthread-v2"
    r1 = data["responses"]["q1"]
    assert r1["status"] == 200 and r1["results"][0]["id"] == "sl-beihai" and r1["results"][0]["match"]
    assert data["responses"]["q2"]["results"][0]["id"] == "sl-petrov"
    assert len(data["responses"]["q2"]["results"]) <= 2
    # the whole store as yente's "default" collection
    assert client.post("/match/default", json=body).status_code == 200
    assert client.post("/match/nope", json=body).status_code == 404
    bad = {"queries": {"q": {"schema": "Nope", "properties": {"name": ["x"]}}}}
    assert client.post("/match/lists", json=bad).status_code == 400
    assert client.post("/match/lists", json=body, params={"algorithm": "zzz"}).status_code == 400


def test_get_algorithms(url: str) -> None:
    client = TestClient(create_app(url))
    data = client.get("/algorithms").json()
    assert data["default"] == "redthread-v2"
    assert "identifier_match" in {f for a in data["algorithms"] for f in a["features"]}


def test_screen_cli(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", url)
    runner = CliRunner()
    res = runner.invoke(cli_app, ["screen", "Yegor Petrov", "--schema", "Person", "--birth-date", "1971-03-14",
                                  "--json"])
    assert res.exit_code == 0, res.output
    results = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert results[0]["id"] == "sl-petrov" and results[0]["features"]["birth_date_match"] == 1.0
    res = runner.invoke(cli_app, ["screen", "厦门北海电子有限公司", "--schema", "Company"])
    assert res.exit_code == 0 and "sl-beihai" in res.output and "MATCH" in res.output
    src = tmp_path / "cp.csv"
    src.write_text("name,schema\nGulf Star Trading FZE,Company\nNobody Here,Person\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    res = runner.invoke(cli_app, ["screen", "--file", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "sl-gulf" in out.read_text(encoding="utf-8")
    res = runner.invoke(cli_app, ["algorithms"])
    assert res.exit_code == 0 and "redthread-v2" in res.output
