"""Exposure counts every authority's list unless asked otherwise.

A case whose only designation is British printed "Nothing found" for
exposure (the API and CLI counted OFAC alone, without saying so) while the
red flags called the same party sanctioned. The default is now every list
loaded, and the CLI's title says which authority counted.
"""

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

# Written for this test: a firm on the UK list only, and a company it holds a stake in.
LINES = [
    {"id": "u-maker", "schema": "Company", "properties": {"name": ["Northern Rotor Plant JSC"]}},
    {"id": "u-maker-sanction", "schema": "Sanction", "properties": {
        "entity": ["u-maker"], "authority": ["HM Treasury, Office of Financial Sanctions Implementation"]}},
    {"id": "u-trader", "schema": "Company", "properties": {"name": ["Baltic Parts Trading LLC"]}},
    {"id": "u-stake", "schema": "Ownership", "properties": {
        "owner": ["u-maker"], "asset": ["u-trader"], "percentage": ["30"]}},
]


@pytest.fixture
def url(tmp_path: Path) -> str:
    path = tmp_path / "uk.ftm.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(x) for x in LINES) + b"\n")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    st = open_store(url)
    ingest(st, [path], "uk")
    st.close()
    return url


def test_default_exposure_counts_every_authority(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(url))
    assert [r["id"] for r in client.get("/exposure").json()] == ["u-trader"]
    assert client.get("/exposure", params={"authority": "OFAC"}).json() == []
    assert [r["id"] for r in client.get("/exposure", params={"authority": "UK"}).json()] == ["u-trader"]
    monkeypatch.setenv("REDTHREAD_STORE", url)
    out = CliRunner().invoke(cli_app, ["exposure"]).output
    assert "Baltic Parts Trading LLC" in out and "authority: all" in out
    assert "Baltic Parts" not in CliRunner().invoke(cli_app, ["exposure", "--authority", "OFAC"]).output
