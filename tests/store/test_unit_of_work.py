"""A multi-file load as one unit of work (``Case.load(..., atomic=True)``, ``redthread ingest --atomic``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from redthread.case import open_case
from redthread.errors import InputError
from redthread.model import Statement
from redthread.store import LoadBatch, open_store

GOOD = [
    {"id": "uow-holder", "schema": "Company", "properties": {"name": ["Ferrow Holdings"], "country": ["cy"]}},
    {"id": "uow-sub", "schema": "Company", "properties": {"name": ["Ferrow Marine"]}},
]
LINKS = [{"id": "uow-own", "schema": "Ownership", "properties": {"owner": ["uow-holder"], "asset": ["uow-sub"]}}]
#: A second file whose third line names a schema FtM does not have: the file is refused.
BAD = [*LINKS, {"id": "uow-x", "schema": "Company", "properties": {"name": ["Ok"]}},
       {"id": "uow-y", "schema": "NoSuchSchema", "properties": {}}]


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_bad_second_file_leaves_nothing_of_the_first(store_url: str, tmp_path: Path) -> None:
    first, second = _write(tmp_path / "a.jsonl", GOOD), _write(tmp_path / "b.jsonl", BAD)
    with open_case(store_url) as case:
        with pytest.raises(InputError) as err:
            case.load([first, second], "reg", atomic=True)
        assert err.value.path is not None and err.value.path.endswith("b.jsonl")
        assert case.store.entity("uow-holder") is None
        assert case.store.loads() == []
        assert list(case.store.statements()) == []
    # Nor does another connection see any of it.
    other = open_store(store_url)
    try:
        assert list(other.statements()) == [] and other.loads() == []
    finally:
        other.close()


def test_by_default_each_file_is_its_own_transaction(store_url: str, tmp_path: Path) -> None:
    first, second = _write(tmp_path / "a.jsonl", GOOD), _write(tmp_path / "b.jsonl", BAD)
    with open_case(store_url) as case:
        with pytest.raises(InputError):
            case.load([first, second], "reg")
        assert case.store.entity("uow-holder") is not None  # the good first file is kept
        assert [r["source"] for r in case.store.loads()] == ["a.jsonl"]


def test_good_files_commit_together_and_the_store_stays_usable(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    _write(folder / "a.jsonl", GOOD)
    _write(folder / "b.jsonl", LINKS)
    with open_case(store_url) as case:
        results, errors = case.load([folder], "reg", atomic=True)
        assert errors == [] and sorted(r.source for r in results) == ["a.jsonl", "b.jsonl"]
        assert sorted(r["source"] for r in case.store.loads()) == ["a.jsonl", "b.jsonl"]
        # Outside a unit a write commits on its own again.
        case.store.write(LoadBatch("notes", "n1", [Statement("uow-note", "Note", "id", "uow-note", "notes")]))
    other = open_store(store_url)
    try:
        assert other.entity("uow-own") is not None and other.entity("uow-note") is not None
    finally:
        other.close()


def test_a_failure_inside_a_unit_rolls_back_every_write(store_url: str) -> None:
    store = open_store(store_url)
    try:
        with pytest.raises(RuntimeError), store.unit_of_work():
            store.write(LoadBatch("a", "s1", [Statement("u1", "Person", "id", "u1", "a")]))
            with store.unit_of_work():  # a unit inside a unit is part of it
                store.write(LoadBatch("b", "s2", [Statement("u2", "Person", "id", "u2", "b")]))
            assert store.entity("u2") is not None  # the unit reads its own writes
            raise RuntimeError("stop")
        assert store.entity("u1") is None and store.entity("u2") is None and store.loads() == []
    finally:
        store.close()


def test_customs_files_are_refused_in_a_multi_file_unit(store_url: str, tmp_path: Path, fixtures: Path) -> None:
    records = shutil.copy(fixtures / "trade" / "records.csv", tmp_path / "records.csv")
    shutil.copy(fixtures / "trade" / "records.mapping.yaml", tmp_path / "records.mapping.yaml")
    parties = _write(tmp_path / "a.jsonl", GOOD)
    with open_case(store_url) as case:
        with pytest.raises(InputError) as err:
            case.load([parties, Path(records)], "mixed", atomic=True)
        assert err.value.field == "atomic"
        assert case.store.loads() == [] and case.store.entity("uow-holder") is None
        trade = case.trade_dir
        assert not trade.exists() or not list(trade.rglob("*.parquet"))
