"""Manual facts: each a statement with the analyst as origin and a note; undo keeps history."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.errors import InputError, RedthreadError
from redthread.ingest import ingest
from redthread.resolve import edits
from redthread.store import Store, open_store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    ingest(store, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    return store


def test_add_link_is_a_statement_by_the_analyst_with_the_note(loaded: Store) -> None:
    e = edits.add_link(loaded, "Ownership", "art1-iskakov", "reg-kestrel", note="registry extract seen 3 May",
                       user="alice", properties={"percentage": ["51"]})
    link = loaded.entity(f"analyst-{e.id}")
    assert link is not None and link["schema"] == "Ownership"
    assert link["properties"]["owner"] == ["art1-iskakov"] and link["properties"]["asset"] == ["reg-kestrel"]
    assert link["properties"]["percentage"] == ["51"]
    stmts = loaded.entity_statements(f"analyst-{e.id}")
    assert {s.origin for s in stmts} == {"analyst:alice"}
    assert {s.quote for s in stmts} == {"registry extract seen 3 May"}
    assert {s.dataset for s in stmts} == {"analyst"}
    assert [x.id for x in edits.edits(loaded, "reg-kestrel")] == [e.id]


def test_undo_marks_removed_and_keeps_history(loaded: Store) -> None:
    e = edits.add_property(loaded, "reg-tendik", "website", "https://tendik.example", note="their site", user="bob")
    assert "https://tendik.example/" in loaded.entity("reg-tendik")["properties"]["website"]
    undone = edits.undo(loaded, e.id)
    assert undone.undone_at is not None
    assert "website" not in loaded.entity("reg-tendik")["properties"]
    kept = [s for s in loaded.entity_statements("reg-tendik", include_removed=True) if s.prop == "website"]
    assert len(kept) == 1 and kept[0].removed_at is not None
    with pytest.raises(InputError):
        edits.undo(loaded, e.id)  # twice
    with pytest.raises(RedthreadError):
        edits.undo(loaded, "nope")


def test_retype_corrects_the_schema_and_undo_restores_it(loaded: Store) -> None:
    assert loaded.entity("art2-crust")["schema"] == "Person"
    e = edits.retype(loaded, "art2-crust", "Company", note="a bakery chain, not a person", user="carol")
    assert loaded.entity("art2-crust")["schema"] == "Company"
    assert loaded.entity("art2-crust")["properties"]["name"] == ["Lena Strizhova"]
    edits.undo(loaded, e.id)
    assert loaded.entity("art2-crust")["schema"] == "Person"


def test_add_entity_and_bad_values_name_the_field(loaded: Store) -> None:
    e = edits.add_entity(loaded, "Company", "Ala-Too Components", note="named by a source we protect", user="dan",
                         properties={"country": ["kg"]})
    ent = loaded.entity(e.entity_id)
    assert ent is not None and ent["properties"]["country"] == ["kg"]
    with pytest.raises(InputError) as err:
        edits.add_property(loaded, "reg-tendik", "incorporationDate", "not a date", note="x", user="dan")
    assert err.value.field == "value"
    with pytest.raises(InputError) as err:
        edits.add_property(loaded, "reg-tendik", "colour", "red", note="x", user="dan")
    assert err.value.field == "prop"
    with pytest.raises(InputError) as err:
        edits.add_link(loaded, "Ownership", "reg-tendik", "nobody", note="x", user="dan")
    assert err.value.field == "target_id"
    with pytest.raises(InputError) as err:
        edits.add_link(loaded, "Company", "reg-tendik", "reg-kestrel", note="x", user="dan")
    assert err.value.field == "schema"
    with pytest.raises(InputError) as err:
        edits.add_property(loaded, "reg-tendik", "website", "https://x.example", note=" ", user="dan")
    assert err.value.field == "note"
    # nothing half-written: the failed edits left no statement behind
    assert len(edits.edits(loaded)) == 1


def test_api_and_cli(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    st.close()
    monkeypatch.setenv("REDTHREAD_LOOPBACK_WRITES", "1")  # keyless loopback writes, by the operator's consent
    client = TestClient(create_app(url))
    res = client.post("/edits/link", json={"schema": "Directorship", "source_id": "reg-loskutov",
                                           "target_id": "reg-strizh", "note": "board list", "user": "erin"})
    assert res.status_code == 201, res.text
    eid = res.json()["edit"]["id"]
    assert client.get("/edits", params={"entity_id": "reg-strizh"}).json()["edits"][0]["user"] == "erin (admin)"
    bad = client.post("/edits/property", json={"entity_id": "reg-strizh", "prop": "incorporationDate",
                                               "value": "soon", "note": "x"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "value"
    assert client.delete(f"/edits/{eid}").status_code == 200
    assert client.delete(f"/edits/{eid}").status_code == 422
    monkeypatch.setenv("REDTHREAD_STORE", url)
    runner = CliRunner()
    res = runner.invoke(cli_app, ["retype", "reg-strizh", "Organization", "--note", "an aero club", "--user", "f"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli_app, ["edits"])
    assert "retype" in res.output and "an aero club" in res.output
