"""Cross-referencing, judging, reviewing and undoing, on every store backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.errors import RedthreadError
from redthread.ingest import ingest
from redthread.keys import KeyRing
from redthread.resolve import judge, pair_view, review, unjudge, xref
from redthread.store import Store, open_store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    ingest(store, [fixtures / "lists" / "registry.ftm.jsonl"], "registry")
    return store


def pairs(cands: list) -> set[tuple[str, str]]:
    return {(c.left_id, c.right_id) for c in cands}


def test_xref_proposes_cross_dataset_pairs(loaded: Store) -> None:
    cands = xref(loaded)
    found = pairs(cands)
    assert ("reg-veter", "sl-veter") in found
    assert ("reg-petrov", "sl-petrov") in found
    assert ("reg-beihai", "sl-beihai") in found
    assert not any("reg-bakery" in p for p in found)
    assert ("reg-petrov", "sl-petrov-ivan") not in found  # near miss stays out
    assert all(c.left_datasets != c.right_datasets for c in cands)
    assert cands == sorted(cands, key=lambda c: -c.score)
    veter = next(c for c in cands if c.left_id == "reg-veter")
    assert veter.features["identifier_match"] == 1.0
    only = xref(loaded, "registry")
    assert pairs(only) == found


def test_judgements_merge_and_undo(loaded: Store) -> None:
    before = {s.id for s in loaded.statements(include_removed=True)}
    judge(loaded, "sl-veter", "reg-veter", "positive", user="tester", score=0.99)
    merged = loaded.entity("reg-veter")
    assert merged is not None and merged["id"] == "reg-veter"  # smallest id is canonical
    assert set(merged["datasets"]) == {"lists", "registry"}
    assert ("reg-veter", "sl-veter") not in pairs(xref(loaded))
    judge(loaded, "sl-petrov", "reg-petrov", "n")
    assert ("reg-petrov", "sl-petrov") not in pairs(xref(loaded))
    assert {s.id for s in loaded.statements(include_removed=True)} == before  # sources untouched
    assert unjudge(loaded, "sl-veter", "reg-veter") is True
    assert loaded.canonical_id("sl-veter") == "sl-veter"
    assert unjudge(loaded, "sl-veter", "reg-veter") is False
    with pytest.raises(RedthreadError):
        judge(loaded, "sl-veter", "nope", "positive")
    with pytest.raises(RedthreadError):
        judge(loaded, "sl-veter", "reg-veter", "maybe")


def test_review_records_answers(loaded: Store) -> None:
    cands = xref(loaded)
    answers = iter(["y", "n", "q"])
    seen: list[dict] = []

    def ask(cand, view):  # type: ignore[no-untyped-def]
        seen.append(view)
        return next(answers)

    counts = review(loaded, cands, ask, user="reviewer")
    assert counts["positive"] == 1 and counts["negative"] == 1
    assert len(loaded.judgements()) == 2
    assert all(j.user == "reviewer" for j in loaded.judgements())
    assert seen[0]["left"]["id"] == cands[0].left_id
    assert any(p["shared"] for p in seen[0]["properties"]) or seen[0]["properties"]


def test_pair_view_side_by_side(loaded: Store) -> None:
    view = pair_view(loaded, "reg-veter", "sl-veter")
    inn = next(p for p in view["properties"] if p["prop"] == "innCode")
    assert inn["shared"] == ["2723123456"]


def test_cli_review_judge_unjudge(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    monkeypatch.setenv("REDTHREAD_STORE", url)
    runner = CliRunner()
    for path, ds in (("screening.ftm.jsonl", "lists"), ("registry.ftm.jsonl", "registry")):
        assert runner.invoke(cli_app, ["ingest", str(fixtures / "lists" / path), "-d", ds]).exit_code == 0
    res = runner.invoke(cli_app, ["xref", "--json"])
    assert res.exit_code == 0 and "reg-veter" in res.output
    res = runner.invoke(cli_app, ["review"], input="y\nu\nq\n")
    assert res.exit_code == 0, res.output
    assert "positive: 1" in res.output and "unsure: 1" in res.output
    st = open_store(url)
    assert len(st.judgements()) == 2
    first = st.judgements()[0]
    st.close()
    res = runner.invoke(cli_app, ["unjudge", first.left_id, first.right_id])
    assert res.exit_code == 0
    res = runner.invoke(cli_app, ["judge", "reg-bakery", "sl-gulf", "negative"])
    assert res.exit_code == 0 and "negative" in res.output
    res = runner.invoke(cli_app, ["judgements"])
    assert "reg-bakery" in res.output


def test_api_xref_and_judgements(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    ingest(st, [fixtures / "lists" / "registry.ftm.jsonl"], "registry")
    _, key = KeyRing(st).create("analyst", "tests")  # writes need a key, even from loopback
    st.close()
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    data = client.get("/xref", params={"wait": True}).json()
    assert data["total"] >= 3 and {"left_id", "right_id", "score", "features"} <= set(data["candidates"][0])
    assert client.get("/xref/reg-veter/sl-veter").json()["left"]["id"] == "reg-veter"
    res = client.post("/judgements", json={"left_id": "reg-veter", "right_id": "sl-veter", "judgement": "positive"})
    assert res.status_code == 201 and res.json()["canonical_id"] == "reg-veter"
    assert len(client.get("/judgements").json()["judgements"]) == 1
    assert client.post("/judgements", json={"left_id": "reg-veter", "right_id": "x", "judgement": "y"}).status_code == 422
    assert client.delete("/judgements/reg-veter/sl-veter").status_code == 200
    assert client.delete("/judgements/reg-veter/sl-veter").status_code == 404
