"""The analytics commands: thin shells that print tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread.cli import app
from redthread.ingest import ingest
from redthread.store import open_store


@pytest.fixture
def runner(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REDTHREAD_STORE", url)
    store = open_store(url)
    folder = fixtures / "analyze"
    ingest(store, [folder / "ownership.ftm.jsonl", folder / "exposure.ftm.jsonl", folder / "redflags.ftm.jsonl"],
           "analyze")
    store.close()
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_blocked_json_contract(runner: CliRunner) -> None:
    rows = json.loads(run(runner, "blocked", "--format", "json"))
    assert {r["id"] for r in rows} == {"t-a", "t-b", "t-c", "t-g", "t-h"}
    for r in rows:
        assert {"id", "name", "blocked_share", "chain"} <= set(r)
        assert all(link["evidence"] for link in r["chain"])
    eu = json.loads(run(runner, "blocked", "--variant", "eu", "--engine", "memory", "--format", "json"))
    assert [r["id"] for r in eu] == ["t-a"]


def test_tables(runner: CliRunner) -> None:
    # Rich wraps long cells in a narrow terminal: look for short tokens.
    assert "t-c" in run(runner, "blocked")
    tree = run(runner, "ownership", "Beta Exactly Half")
    assert "Alpha Split Stake" in tree and "50%" in tree
    assert "Anna" in run(runner, "exposure", "--top", "3")
    assert "strongest" in run(runner, "path", "x-g", "x-s")
    assert "unrelated-busin" in run(runner, "redflags", "--entity", "r-caterer")
    assert "2024-08-01" in run(runner, "timeline", "--entity", "r-designated")
    assert "Claim" not in run(runner, "claims", "--conflicts")
    assert json.loads(run(runner, "claims", "--single-source", "--format", "json"))


def test_bad_options_say_what_to_do(runner: CliRunner) -> None:
    result = runner.invoke(app, ["blocked", "--format", "xml"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["exposure", "--engine", "oracle"])
    assert result.exit_code != 0
