"""What the store hands out for an entity: a typed :class:`Entity` with FtM's StatementEntity behind it."""

from __future__ import annotations

import json
from pathlib import Path

from followthemoney import StatementEntity

from redthread.ingest import ingest
from redthread.model import Entity
from redthread.store import Judgement, Store


def test_entity_is_typed_and_keeps_its_json_shape(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    ent = store.entity("rt-aerohit")
    assert isinstance(ent, Entity)
    # The typed accessors read the same JSON form the API and exports send.
    assert ent.id == ent["id"] == "rt-aerohit"
    assert ent.schema == ent["schema"] == "Company"
    assert ent.caption == ent["caption"] == "Aero-HIT"
    assert ent.values_of("name") == ent["properties"]["name"] == ["Aero-HIT"]
    assert ent.first("name") == "Aero-HIT"
    assert ent.values_of("noSuchProperty") == [] and ent.first("noSuchProperty") is None
    assert ent.datasets == ["starter"]
    assert ent.is_a("LegalEntity") and not ent.is_a("Person")
    # Nothing new in its JSON: it serialises as the plain dict it always was.
    assert json.loads(json.dumps(ent)) == ent.to_dict() and type(ent.to_dict()) is dict
    assert set(ent.to_dict()) <= {"id", "schema", "caption", "properties", "datasets", "referents",
                                  "first_seen", "last_seen", "last_change", "target"}


def test_proxy_is_ftm_statement_entity(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    ent = store.entity("rt-aerohit")
    assert ent is not None
    proxy = ent.proxy()
    assert isinstance(proxy, StatementEntity)
    assert proxy.id == ent.id and proxy.schema.name == ent.schema
    assert proxy.caption == ent.caption
    for prop, values in ent.properties.items():
        assert sorted(proxy.get(prop)) == values
    # FtM's type-aware reads work on it (all names of the entity, alias included).
    assert set(ent.values_of("alias")) <= set(proxy.get_type_values(proxy.schema.properties["name"].type))


def test_merged_entity_keeps_members_datasets_and_referents(store: Store, tmp_path: Path) -> None:
    a = {"id": "x-1", "schema": "Company", "properties": {"name": ["Ostro Trading"], "country": ["ru"]}}
    b = {"id": "y-1", "schema": "LegalEntity", "properties": {"name": ["Ostro Trading LLC"]}}
    (tmp_path / "a.jsonl").write_text(json.dumps(a) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps(b) + "\n")
    ingest(store, [tmp_path / "a.jsonl"], "reg-a")
    ingest(store, [tmp_path / "b.jsonl"], "reg-b")
    store.add_judgement(Judgement("x-1", "y-1", "positive", user="t", created_at="2026-01-01T00:00:00"))
    ent = store.entity("y-1")
    assert isinstance(ent, Entity)
    assert ent.schema == "Company"  # the most specific schema the members share
    assert ent.datasets == ["reg-a", "reg-b"]
    assert sorted([ent.id, *ent.referents]) == ["x-1", "y-1"]
    assert ent.values_of("name") == ["Ostro Trading", "Ostro Trading LLC"]
    proxy = ent.proxy()
    assert sorted(proxy.get("name")) == ent.values_of("name")
    assert set(proxy.referents) == set(ent.referents)
    assert proxy.datasets == set(ent.datasets)  # each value filed under the dataset that stated it
    # Streaming gives the same typed entity.
    streamed = [e for e in store.entities() if e.id == ent.id]
    assert streamed == [ent] and isinstance(streamed[0], Entity)


def test_profile_names_the_store_entity_and_validates_as_a_response(store: Store, fixtures: Path) -> None:
    """The analyses' ``EntityJSON`` is the store's :class:`Entity`, and a record naming it stays a
    pydantic-checkable response: a profile validates, keeps an ``Entity``, and sends the same JSON."""
    from pydantic import TypeAdapter

    from redthread.analyze.profile import profile
    from redthread.model.analysis import EntityJSON, Profile

    assert EntityJSON is Entity
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    prof = profile(store, "rt-aerohit")
    assert prof is not None and isinstance(prof["entity"], Entity)
    adapter = TypeAdapter(Profile)
    checked = adapter.validate_python(prof)
    assert isinstance(checked["entity"], Entity) and checked["entity"].caption == "Aero-HIT"
    assert json.loads(adapter.dump_json(checked)) == json.loads(json.dumps(prof))
    # A plain dict from JSON (a cached response, a client) comes back as the typed entity.
    again = adapter.validate_json(adapter.dump_json(checked))
    assert isinstance(again["entity"], Entity) and again["entity"] == prof["entity"]
