"""Case-level consolidation: same-named parties merged or proposed, the type
decided from all mentions, merges undoable (redthread.resolve.consolidate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from redthread.cli import app
from redthread.model import entity_statements
from redthread.resolve import judge, unjudge
from redthread.resolve.consolidate import consolidate, decide_type, name_key
from redthread.store import LoadBatch, Store, open_store


def put(store: Store, dataset: str, source: str, *entities: dict[str, Any]) -> None:
    stmts = [s for e in entities for s in entity_statements(e, dataset, source=source, origin="test")]
    store.write(LoadBatch(dataset=dataset, source=source, statements=stmts))


def ent(eid: str, schema: str, **props: list[str]) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "properties": props}


def test_name_key_folds_legal_forms_spelling_and_case() -> None:
    assert name_key("Orion Parts Co. Ltd") == name_key("ORION PARTS")
    assert name_key("Ministry of Defence") == name_key("ministry of defense")
    assert name_key("Orion Parts") != name_key("Orion Tools")


def test_same_name_in_one_dataset_is_one_party_typed_by_most_mentions(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Person", name=["Lev Marin"], alias=["Marin"]),
        ent("a-2", "Company", name=["Orion Parts LLC"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Lev Marin"]),
        ent("b-2", "Company", name=["Orion Parts"]))
    put(store, "notes", "c.txt", ent("c-1", "Person", name=["Lev Marin"], birthDate=["1970"]))
    result = consolidate(store)
    assert len(result.merged) == 3
    people = [e for e in store.entities() if e["caption"] == "Lev Marin"]
    assert len(people) == 1 and people[0]["schema"] == "Person"  # two Person mentions, one Company
    assert len([e for e in store.entities() if name_key(e["caption"]) == "orion parts"]) == 1
    assert result.merged[0].evidence and all(ev["source"] for ev in result.merged[0].evidence)


def test_alias_overlap_merges_but_descriptions_do_not(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Vega Robotics"], alias=["Vega", "the Chinese firm"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Vega"]),
        ent("b-2", "Company", name=["the Chinese firm"]))
    result = consolidate(store)
    pairs = {frozenset((p.left_id, p.right_id)) for p in result.merged}
    assert pairs == {frozenset(("a-1", "b-1"))}


def test_doubtful_pairs_are_proposed_not_merged(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Polar Star LLC"], country=["kz"]),
        ent("a-2", "Company", name=["Tundra"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Polar Star"], country=["ae"]))
    put(store, "registry", "reg.csv", ent("r-1", "Company", name=["Tundra"]))
    result = consolidate(store)
    assert result.merged == []
    reasons = sorted(p.reason for p in result.proposed)
    assert len(reasons) == 2
    assert any("different country" in r for r in reasons)
    assert any("one-word name" in r for r in reasons)
    assert store.canonical_id("a-1") != store.canonical_id("b-1")


def test_a_multi_word_name_merges_across_datasets(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Granite Bay Trading"]))
    put(store, "registry", "reg.csv", ent("r-1", "Company", name=["GRANITE BAY TRADING LLC"], registrationNumber=["77"]))
    consolidate(store)
    assert store.canonical_id("a-1") == store.canonical_id("r-1")


def test_negative_judgements_and_dry_runs_are_respected(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Kite Works"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Kite Works"]))
    assert len(consolidate(store, apply=False).merged) == 1
    assert store.canonical_id("a-1") != store.canonical_id("b-1")  # the dry run wrote nothing
    consolidate(store)
    assert store.canonical_id("a-1") == store.canonical_id("b-1")
    assert unjudge(store, "a-1", "b-1")
    judge(store, "a-1", "b-1", "no")
    assert consolidate(store).merged == []


def test_addresses_written_alike_become_one(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-addr", "Address", full=["12 Harbour Road, Port Vale"]),
        ent("a-1", "Company", name=["Brook Ltd"], addressEntity=["a-addr"]))
    put(store, "notes", "b.txt", ent("b-addr", "Address", full=["12 Harbor Road, Port Vale"]),
        ent("b-1", "Company", name=["Stone Ltd"], addressEntity=["b-addr"]))
    consolidate(store)
    assert store.canonical_id("a-addr") == store.canonical_id("b-addr")


def test_decide_type_keeps_compatible_schemata_specific(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "LegalEntity", name=["Mira Group"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Mira Group"]))
    assert decide_type(list(store.statements())) == "Company"


def test_transliteration_variants_are_proposed_never_merged(store: Store) -> None:
    put(store, "notes", "a.txt", ent("a-1", "Person", name=["Oleksandr Zhytomyrskiy"]))
    put(store, "notes", "b.txt", ent("b-1", "Person", name=["Oleksandr Zhytomyrskyy"]))
    result = consolidate(store)
    assert result.merged == []
    assert [(p.left_id, p.right_id) for p in result.proposed] == [("a-1", "b-1")]
    assert "transliteration" in result.proposed[0].reason and result.proposed[0].evidence


def test_consolidate_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REDTHREAD_STORE", url)
    store = open_store(url)
    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Kite Works"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Kite Works"]))
    store.close()
    runner = CliRunner()
    dry = runner.invoke(app, ["consolidate", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert len(json.loads(dry.stdout)["merged"]) == 1
    assert open_store(url).canonical_id("a-1") == "a-1"
    done = runner.invoke(app, ["consolidate"])
    assert done.exit_code == 0 and "Kite Works" in done.output
    assert open_store(url).canonical_id("a-1") == open_store(url).canonical_id("b-1")


def test_json_form_is_the_record_fields_in_order(store: Store) -> None:
    """One record, one serialiser: ``--json`` writes each pair's fields as the dataclass declares them."""
    import dataclasses

    import orjson

    from redthread.resolve.consolidate import Pair

    put(store, "notes", "a.txt", ent("a-1", "Company", name=["Orion Parts LLC"]))
    put(store, "notes", "b.txt", ent("b-1", "Company", name=["Orion Parts"]))
    result = consolidate(store, apply=False)
    data = orjson.loads(result.to_json())
    assert list(data) == ["merged", "proposed", "types"]
    (pair,) = data["merged"]
    assert list(pair) == [f.name for f in dataclasses.fields(Pair)]
    assert {pair["left_id"], pair["right_id"]} == {"a-1", "b-1"} and pair["merged"] is True
    assert pair["evidence"] and all(ev["source"] for ev in pair["evidence"])


def test_vocabulary_is_checked_on_load() -> None:
    from redthread.resolve.consolidate import vocabulary

    v = vocabulary()
    assert isinstance(v["min_alias_letters"], int) and v["spellings"]["defence"] == "defense"
