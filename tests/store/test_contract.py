"""The store contract: the same tests on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redthread.errors import InputError, StoreError
from redthread.ingest import ingest
from redthread.model import Statement
from redthread.store import Judgement, LoadBatch, Store, open_store


def _ftm_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_ingest_and_assemble(store: Store, fixtures: Path) -> None:
    results, errors = ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    assert errors == []
    assert results[0].added > 0 and results[0].removed == 0
    ent = store.entity("rt-aerohit")
    assert ent is not None
    assert ent["schema"] == "Company"
    assert ent["properties"]["name"] == ["Aero-HIT"]
    assert "Аэро-ХИТ" in ent["properties"]["alias"]
    assert ent["datasets"] == ["starter"]


def test_provenance_is_kept(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    stmts = [s for s in store.entity_statements("rt-komax") if s.prop == "name"]
    assert len(stmts) == 1
    s = stmts[0]
    assert s.dataset == "starter"
    assert s.source == "starter.ftm.jsonl"
    assert s.location == "starter.ftm.jsonl:2"
    assert s.origin.startswith("redthread.ingest.ftm/")
    assert s.first_seen and s.last_seen and s.removed_at is None


def test_reingest_changes_nothing(store: Store, fixtures: Path) -> None:
    path = fixtures / "starter.ftm.jsonl"
    ingest(store, [path], "starter")
    before = sorted((s.id, s.first_seen, s.last_seen) for s in store.statements(include_removed=True))
    results, _ = ingest(store, [path], "starter")
    after = sorted((s.id, s.first_seen, s.last_seen) for s in store.statements(include_removed=True))
    assert results[0].unchanged
    assert before == after


def test_reload_marks_vanished_values_removed(store: Store, tmp_path: Path, fixtures: Path) -> None:
    lines = _ftm_lines(fixtures / "starter.ftm.jsonl")
    path = tmp_path / "registry.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in lines))
    ingest(store, [path], "registry")
    # The registry drops Komax entirely and changes Aeromar's sector.
    changed = [e for e in lines if e["id"] != "rt-komax"]
    for e in changed:
        if e["id"] == "rt-aeromar":
            e["properties"]["sector"] = ["Seafood"]
    path.write_text("\n".join(json.dumps(e) for e in changed))
    results, _ = ingest(store, [path], "registry")
    assert results[0].removed > 0
    assert store.entity("rt-komax") is None
    removed = [s for s in store.entity_statements("rt-komax") if s.prop == "name"]
    assert removed and removed[0].removed_at is not None
    aeromar = store.entity("rt-aeromar")
    assert aeromar is not None
    assert aeromar["properties"]["sector"] == ["Seafood"]
    old = [s for s in store.entity_statements("rt-aeromar") if s.prop == "sector" and s.value == "Airline catering"]
    assert old and old[0].removed_at is not None
    # Reloading the original brings the value back as present again.
    path.write_text("\n".join(json.dumps(e) for e in lines))
    ingest(store, [path], "registry")
    assert store.entity("rt-komax") is not None


def test_bad_line_refuses_whole_file(store: Store, tmp_path: Path, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    before = store.stats()
    bad = tmp_path / "bad.jsonl"
    good = '{"id": "a", "schema": "Person", "properties": {"name": ["Anna"]}}'
    bad.write_text(good + "\n" + '{"id": "b", "schema": "Person", "properties": {"nmae": ["x"]}}\n')
    with pytest.raises(InputError) as err:
        ingest(store, [bad], "starter")
    assert str(err.value).startswith(f"{bad}:2: ")
    assert "nmae" in str(err.value)
    assert store.stats() == before


def test_skip_errors_loads_good_lines(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "mixed.jsonl"
    bad.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["Anna"]}}\n'
        "{not json\n"
        '{"id": "c", "schema": "Spaceship", "properties": {}}\n'
        '{"id": "d", "schema": "Company", "properties": {"name": ["Dora Ltd"]}}\n'
    )
    results, errors = ingest(store, [bad], "mixed", skip_errors=True)
    assert [e.line for e in errors] == [2, 3]
    assert store.entity("a") is not None and store.entity("d") is not None
    assert store.entity("c") is None


def test_write_is_atomic(store: Store) -> None:
    ok = Statement(entity_id="x", schema="Person", prop="name", value="X", dataset="d", source="s")
    ok_id = Statement(entity_id="x", schema="Person", prop="id", value="x", dataset="d", source="s")
    broken = Statement(entity_id="y", schema="Person", prop="name", value="Y", dataset="d", source="s2")
    broken.entity_id = None  # type: ignore[assignment]  # violates NOT NULL in the database
    with pytest.raises(StoreError):
        store.write_many([LoadBatch("d", "s", [ok, ok_id]), LoadBatch("d", "s2", [broken])])
    assert store.entity("x") is None
    assert store.loads() == []


def test_datasets_and_stats(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    infos = store.datasets()
    assert [i.name for i in infos] == ["starter"]
    assert infos[0].entities == 10
    stats = store.stats()
    assert stats["schemata"]["Company"] == 4
    assert stats["datasets"] == 1


def test_search_and_links(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    assert store.search("huasheng") == ["rt-huasheng"]
    refs = {s.entity_id for s in store.referencing("rt-aerohit")}
    assert refs == {"rt-ctrl-komax-aerohit", "rt-trade-huasheng", "rt-trade-aeromar", "rt-sanction-ofac-aerohit"}


def test_judgements_merge_and_undo(store: Store, fixtures: Path, tmp_path: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    other = tmp_path / "list.jsonl"
    other.write_text('{"id": "ofac-1", "schema": "Company", "properties": {"name": ["AERO-HIT LLC"]}}\n')
    ingest(store, [other], "ofac")
    store.add_judgement(Judgement("rt-aerohit", "ofac-1", "positive", "tester", "2026-01-01T00:00:00"))
    merged = store.entity("ofac-1")
    assert merged is not None
    assert merged["id"] == "ofac-1"  # smallest id is canonical
    assert set(merged["properties"]["name"]) == {"Aero-HIT", "AERO-HIT LLC"}
    assert set(merged["datasets"]) == {"starter", "ofac"}
    # Source statements are untouched by the merge.
    assert {s.entity_id for s in store.statements(dataset="ofac")} == {"ofac-1"}
    assert store.remove_judgement("ofac-1", "rt-aerohit")
    assert store.entity("rt-aerohit")["properties"]["name"] == ["Aero-HIT"]  # type: ignore[index]


def test_two_stores_see_the_same_data(store_url: str, fixtures: Path) -> None:
    a = open_store(store_url)
    ingest(a, [fixtures / "starter.ftm.jsonl"], "starter")
    b = open_store(store_url)
    assert b.entity("rt-basyuk") is not None
    a.close()
    b.close()


def test_opening_existing_store_does_not_wait_for_a_writer(tmp_path: Path, fixtures: Path) -> None:
    """Readers (one store per API request) never queue behind a loading writer."""
    import sqlite3
    import time

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    st.close()
    writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # hold the write lock, as a long ingest does
    try:
        t0 = time.perf_counter()
        reader = open_store(url)
        assert reader.entity("rt-komax") is not None
        assert time.perf_counter() - t0 < 2.0
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_members_see_a_new_judgement_at_once(store_url: str, fixtures: Path) -> None:
    """members() is cached per resolution change: a judgement made here or by another
    store (another connection, another process) is seen by the next call, and undone likewise."""
    a = open_store(store_url)
    b = open_store(store_url)
    try:
        ingest(a, [fixtures / "starter.ftm.jsonl"], "starter")
        assert a.members("rt-aerohit") == ["rt-aerohit"]
        assert b.members("rt-aerohit") == ["rt-aerohit"]  # both caches warm
        a.add_judgement(Judgement("rt-aerohit", "rt-komax", "positive", "tester", "2026-01-01T00:00:00"))
        assert a.members("rt-aerohit") == ["rt-aerohit", "rt-komax"]
        assert b.members("rt-komax") == ["rt-aerohit", "rt-komax"]
        assert b.canonical_id("rt-komax") == "rt-aerohit"
        b.add_judgement(Judgement("rt-basyuk", "rt-komax", "positive", "tester", "2026-01-01T00:00:01"))
        assert a.members("rt-basyuk") == ["rt-aerohit", "rt-basyuk", "rt-komax"]
        assert a.remove_judgement("rt-aerohit", "rt-komax")
        assert b.members("rt-aerohit") == ["rt-aerohit"]
        assert b.members("rt-komax") == ["rt-basyuk", "rt-komax"]
    finally:
        a.close()
        b.close()


def test_members_read_the_canonical_map_once_per_change(store: Store, fixtures: Path) -> None:
    """The canonical map is walked once per resolution change, not on every members() call."""
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    reads = []
    real = store.canonical_map

    def counted() -> dict[str, str]:
        reads.append(1)
        return real()

    store.canonical_map = counted  # type: ignore[method-assign]
    for _ in range(5):
        store.members("rt-aerohit")
        store.canonical_id("rt-komax")
    assert len(reads) == 1
    store.add_judgement(Judgement("rt-aerohit", "rt-komax", "positive", "tester", "2026-01-01T00:00:00"))
    assert store.members("rt-aerohit") == ["rt-aerohit", "rt-komax"]
    store.members("rt-komax")
    assert len(reads) == 2
