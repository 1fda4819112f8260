"""Hits are assembled in one batch, exactly as the store assembles each one."""

from __future__ import annotations

from pathlib import Path

from redthread.ingest import ingest
from redthread.screen.state import clear, store_state
from redthread.store import Judgement, open_store

LIST = (
    '{"id": "p-1", "schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"], '
    '"birthDate": ["1971-03-14"]}}\n'
    '{"id": "p-2", "schema": "Person", "properties": {"name": ["Egor Petrov"], "nationality": ["ru"]}}\n'
    '{"id": "c-1", "schema": "Company", "properties": {"name": ["Severny Veter LLC"], "country": ["ru"]}}\n'
)


def test_batch_read_assembles_each_entity_as_the_store_does(tmp_path: Path) -> None:
    (tmp_path / "list.ftm.jsonl").write_text(LIST, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    ingest(st, [tmp_path / "list.ftm.jsonl"], "list")
    st.add_judgement(Judgement("p-1", "p-2", "positive", "test", "2025-01-01T00:00:00"))
    clear()
    state = store_state(st)
    ids = ["p-2", "c-1", "missing", st.canonical_id("p-1")]
    got = state.entities(st, ids)
    assert list(got) == ids
    for eid in ids:
        assert got[eid] == st.entity(eid), eid
    merged = got["p-2"]
    assert merged is not None and {"Yegor Sergeyevich Petrov", "Egor Petrov"} <= set(merged["properties"]["name"])
    assert got["missing"] is None
    # From the cache now: the same objects, and single reads agree.
    again = state.entities(st, ids)
    assert all(again[eid] is got[eid] for eid in ids)
    assert state.entity(st, "c-1") is got["c-1"]
    st.close()
