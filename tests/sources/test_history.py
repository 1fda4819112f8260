"""History across real list updates: identity is content, never position.

The dated pairs in ../shared/data/formats are real published versions of the
same list. Reloading the newer one must keep every unchanged value (one live
statement, the first load's first_seen), mark what vanished removed, add what
is new, and count entries the way a reader of the two lists would.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from followthemoney import model

from redthread.ingest import ingest
from redthread.ingest.base import source_name
from redthread.model import Statement
from redthread.store import Store

#: Schemata that are list entries themselves; everything else (sanctions,
#: identifications, addresses, links) belongs to the entry it points at.
ENTRY_SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}


def _entry_of(stmts: list[Statement]) -> dict[str, str]:
    """Each entity id -> the list entry it is part of."""
    schema = {s.entity_id: s.schema for s in stmts}
    owner: dict[str, str] = {e: e for e, sc in schema.items() if sc in ENTRY_SCHEMATA}
    for s in stmts:
        sch = model.get(s.schema)
        prop = sch.get(s.prop) if sch is not None and not s.is_meta else None
        if prop is None or prop.type.name != "entity" or s.value not in schema:
            continue
        if sch is not None and sch.edge_source and s.prop != sch.edge_source:
            continue  # a link belongs to the entry it starts from
        if s.entity_id in owner and s.value not in owner:  # an entry pointing at its address
            owner[s.value] = s.entity_id
        elif s.value in owner and s.entity_id not in owner:  # a sanction / identification of an entry
            owner[s.entity_id] = owner[s.value]
    return owner


def _snapshot(store: Store, dataset: str) -> dict[str, Statement]:
    return {s.id: s for s in store.statements(dataset=dataset)}


def _entry_diff(before: dict[str, Statement], after: dict[str, Statement]) -> tuple[int, int, int]:
    owner = _entry_of([*before.values(), *after.values()])
    entries_before = {owner[s.entity_id] for s in before.values() if s.entity_id in owner}
    entries_after = {owner[s.entity_id] for s in after.values() if s.entity_id in owner}
    touched = {owner.get(s.entity_id, s.entity_id) for k, s in before.items() if k not in after}
    touched |= {owner.get(s.entity_id, s.entity_id) for k, s in after.items() if k not in before}
    both = entries_before & entries_after
    return len(entries_before - entries_after), len(entries_after - entries_before), len(touched & both)


def _check_history(store: Store, dataset: str, before: dict[str, Statement], after: dict[str, Statement]) -> None:
    everything = list(store.statements(dataset=dataset, include_removed=True))
    live: dict[tuple[str, str, str], int] = defaultdict(int)
    for s in everything:
        if s.removed_at is None:
            live[(s.entity_id, s.prop, s.value)] += 1
    assert max(live.values()) == 1, "one live statement per value"
    by_id = {s.id: s for s in everything}
    kept = before.keys() & after.keys()
    assert kept
    for k in kept:
        assert by_id[k].removed_at is None
        assert by_id[k].first_seen == before[k].first_seen, "unchanged values keep their first_seen"
    for k in before.keys() - after.keys():
        assert by_id[k].removed_at is not None, "vanished values are marked removed, with the date"
    for k in after.keys() - before.keys():
        assert by_id[k].removed_at is None


def test_un_list_update_keeps_history(store: Store, shared: Path, tmp_path: Path) -> None:
    folder = shared / "data/formats/un-list"
    # Saved under the names the UN never uses: the list is known by its content.
    old, new = tmp_path / "a.xml", tmp_path / "b.xml"
    shutil.copy(folder / "un-consolidated-2018-06-21.xml", old)
    shutil.copy(folder / "un-consolidated-2018-08-24.xml", new)
    ingest(store, [old], "un")
    before = _snapshot(store, "un")
    (result,), _ = ingest(store, [new], "un")
    after = _snapshot(store, "un")
    assert result.source == "un-sc-consolidated"
    assert result.kept > 20000 and result.removed < 500
    assert _entry_diff(before, after) == (8, 6, 14)
    _check_history(store, "un", before, after)


def test_ofac_csv_update_keeps_history(store: Store, shared: Path) -> None:
    history = shared / "data/formats/ofac-csv/history"
    ingest(store, [history / "2022-02-24"], "sdn")
    before = _snapshot(store, "sdn")
    (result,), _ = ingest(store, [history / "2022-02-28"], "sdn")
    after = _snapshot(store, "sdn")
    assert result.source == "ofac-sdn-csv"
    assert _entry_diff(before, after) == (0, 99, 6)
    _check_history(store, "sdn", before, after)


def test_same_bytes_under_another_name_are_unchanged(store: Store, shared: Path, tmp_path: Path) -> None:
    src = shared / "data/formats/ftm/yente-parteispenden.entities.ftm.json"
    copy = tmp_path / "donations-renamed.json"
    shutil.copy(src, copy)
    (first,), _ = ingest(store, [src], "d")
    count = sum(1 for _ in store.statements(dataset="d"))
    (second,), _ = ingest(store, [copy], "d")
    assert second.unchanged and second.added == 0
    assert sum(1 for _ in store.statements(dataset="d", include_removed=True)) == count


def test_deleting_a_line_removes_only_that_entity(store: Store, shared: Path, tmp_path: Path) -> None:
    lines = (shared / "data/formats/ftm/yente-parteispenden.entities.ftm.json").read_bytes().splitlines(keepends=True)
    path = tmp_path / "donations.json"
    path.write_bytes(b"".join(lines))
    (first,), _ = ingest(store, [path], "d")
    path.write_bytes(b"".join(lines[1:]))
    (second,), _ = ingest(store, [path], "d")
    assert second.entities_removed == 1 and second.entities_added == 0
    assert second.kept == first.added - second.removed
    assert 0 < second.removed < 20


@pytest.mark.parametrize(("name", "expected"), [
    ("consolidated-2018-10-29.xml", "consolidated.xml"),
    ("entities-20240527194702.delta.json", "entities.delta.json"),
    ("sdn.csv", "sdn.csv"),
    ("20240101.json", "20240101.json"),
    ("report2019.txt", "report2019.txt"),
])
def test_source_name_drops_date_stamps(name: str, expected: str) -> None:
    assert source_name(Path(name)) == expected


def test_dated_file_names_are_one_source(store: Store, fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "starter.ftm.jsonl").read_text().splitlines(keepends=True)
    (tmp_path / "starter-2024-01-01.jsonl").write_text("".join(text))
    (tmp_path / "starter-2024-02-01.jsonl").write_text("".join(text[:-1]))
    ingest(store, [tmp_path / "starter-2024-01-01.jsonl"], "s")
    (second,), _ = ingest(store, [tmp_path / "starter-2024-02-01.jsonl"], "s")
    assert second.source == "starter.jsonl"
    assert second.removed > 0 and second.kept > 0
