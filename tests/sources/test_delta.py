"""OpenSanctions delta files: ADD / MOD / DEL applied to a dataset with history."""

from __future__ import annotations

import json
from pathlib import Path

from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.store import Store


def _lines(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_real_delta_file_loads(store: Store, shared: Path) -> None:
    path = shared / "data/formats/ftm/yente-t2-20240527194702.entities.delta.json"
    assert sniff_loader(path).name == "ftm-delta"
    (result,), errors = ingest(store, [path], "t2")
    assert errors == [] and result.entities_added == 2
    ent = store.entity("NK-2T3S8Hu29ktYnKSTgQp2wL")
    assert ent is not None and "AL-QAIDA IN IRAQ" in ent["properties"]["name"]


def test_add_mod_del_keep_history(store: Store, tmp_path: Path) -> None:
    base = _lines(tmp_path / "entities.ftm.json", [
        {"id": "a", "schema": "Company", "properties": {"name": ["Alpha Ltd"], "country": ["ru"]}},
        {"id": "b", "schema": "Person", "properties": {"name": ["Boris Example"]}},
        {"id": "k", "schema": "Person", "properties": {"name": ["Kept Untouched"]}},
    ])
    ingest(store, [base], "os")
    first_seen = {s.id: s.first_seen for s in store.statements(dataset="os")}
    delta = _lines(tmp_path / "entities.delta.json", [
        {"op": "MOD", "entity": {"id": "a", "schema": "Company", "properties": {"name": ["Alpha Ltd"],
                                                                                "country": ["by"]}}},
        {"op": "DEL", "entity": {"id": "b", "schema": "Person", "properties": {}}},
        {"op": "ADD", "entity": {"id": "c", "schema": "Person", "properties": {"name": ["Chris New"]}}},
    ])
    (result,), _ = ingest(store, [delta], "os")
    assert (result.entities_added, result.entities_removed, result.entities_changed) == (1, 1, 1)
    a = store.entity("a")
    assert a is not None and a["properties"]["country"] == ["by"]
    names = [s for s in store.entity_statements("a") if s.prop == "name"]
    assert len(names) == 1 and names[0].removed_at is None
    assert names[0].first_seen == first_seen[names[0].id]  # unchanged value: same statement, first_seen kept
    removed = [s for s in store.entity_statements("a") if s.prop == "country" and s.value == "ru"]
    assert removed and removed[0].removed_at is not None
    assert store.entity("b") is None
    assert store.entity("c") is not None
    assert store.entity("k") is not None  # entities the delta does not name are untouched
