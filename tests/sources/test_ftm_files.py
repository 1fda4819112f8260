"""OpenSanctions / FtM JSON lines from ../shared/data/formats/ftm: every entity, every field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.store import Store

FTM = "data/formats/ftm"


@pytest.mark.parametrize(("name", "entities"), [
    ("yente-t1.entities.ftm.json", 7),
    ("yente-zala.entities.ftm.json", 91),
    ("yente-parteispenden.entities.ftm.json", 475),
])
def test_every_entity_loads(store: Store, shared: Path, name: str, entities: int) -> None:
    (result,), errors = ingest(store, [shared / FTM / name], "os")
    assert errors == []
    assert result.entities_added == entities
    assert len(list(store.entities(dataset="os"))) == entities


def test_one_bad_value_costs_that_value_only(store: Store, shared: Path) -> None:
    """ZALA Aero's own record lists three phones in one value; the entity and its sanctions load."""
    warnings: list[InputError] = []
    ingest(store, [shared / FTM / "yente-zala.entities.ftm.json"], "zala", warnings=warnings)
    zala = store.entity("NK-abdzbEBkqyT29GyREbiURZ")
    assert zala is not None and zala["schema"] == "Company"
    assert "+73412430505" in zala["properties"]["phone"]
    sanctions = [s for s in store.referencing("NK-abdzbEBkqyT29GyREbiURZ") if s.schema == "Sanction"]
    assert len(sanctions) == 28
    # Every one of the file's 41 sanctions points at an entity that loaded.
    targets = [s.value for s in store.statements(dataset="zala") if s.schema == "Sanction" and s.prop == "entity"]
    assert len(targets) == 41 and all(store.entity(t) is not None for t in targets)


def test_unparseable_value_dropped_with_warning(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    rows = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Anna Example"], "birthDate": ["not a date"],
                                                         "country": ["ru"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["Boris Example"], "notes": [{"a": 1}]}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    warnings: list[InputError] = []
    (result,), errors = ingest(store, [path], "w", warnings=warnings)
    assert errors == [] and result.entities_added == 2
    messages = [w.location_message() for w in warnings]
    assert len(messages) == 2
    assert messages[0].startswith(f"{path}:1: properties.birthDate: record 'p1': invalid date value 'not a date'")
    assert messages[1].startswith(f"{path}:2: properties.notes:")
    p1 = store.entity("p1")
    assert p1 is not None and p1["properties"]["country"] == ["ru"] and "birthDate" not in p1["properties"]
    p2 = store.entity("p2")
    assert p2 is not None and p2["properties"] == {"name": ["Boris Example"]}


def test_strict_refuses_the_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text(json.dumps({"id": "p1", "schema": "Person", "properties": {"birthDate": ["soon"]}}) + "\n")
    with pytest.raises(InputError, match=r"people.jsonl:1: properties.birthDate: .*'soon'"):
        ingest(store, [path], "w", strict=True)
    assert list(store.statements(include_removed=True)) == []


def test_opensanctions_fields_kept(store: Store, shared: Path, tmp_path: Path) -> None:
    ingest(store, [shared / FTM / "yente-t1.entities.ftm.json"], "t1")
    ent = store.entity("NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert ent is not None
    assert ent["target"] is True
    assert ent["last_change"] == "2023-07-26T20:01:14"
    assert ent["first_seen"] == "2023-04-20T18:00:25"
    assert "ofac-32733" in ent["referents"] and "eu_fsf" in ent["datasets"]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "x", "schema": "Person", "datasets": "abc", "properties": {}}) + "\n")
    ingest(store, [path], "one")
    x = store.entity("x")
    assert x is not None and x["datasets"] == ["abc", "one"]
