"""The store's side-table interface (keys, monitoring) on both backends, and that
nothing outside ``redthread/store`` reaches into a store's connection."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import redthread
from redthread.store import Store

PACKAGE = Path(redthread.__file__).parent
DDL = "CREATE TABLE IF NOT EXISTS side_demo (id {serial}, label TEXT NOT NULL)"


def _make(store: Store) -> None:
    assert not store.has_tables("side_demo")
    with store.transaction() as cur:
        cur.execute(DDL.format(serial=store.serial_key))
    assert store.has_tables("side_demo")


def test_insert_returns_generated_ids_and_query_reads_them(store: Store) -> None:
    _make(store)
    with store.transaction() as cur:
        first = cur.insert("INSERT INTO side_demo (label) VALUES (?)", ("a",))
        second = cur.insert("INSERT INTO side_demo (label) VALUES (?)", ("b",))
        cur.execute("SELECT label FROM side_demo WHERE id = ?", (second,))
        assert cur.fetchone() == ("b",)
    assert second > first
    assert store.query("SELECT id, label FROM side_demo ORDER BY id") == [(first, "a"), (second, "b")]


def test_a_failed_transaction_leaves_nothing_and_the_store_usable(store: Store) -> None:
    _make(store)
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.executemany("INSERT INTO side_demo (label) VALUES (?)", [("x",), ("y",)])
        raise RuntimeError("half-way")
    assert store.query("SELECT COUNT(*) FROM side_demo") == [(0,)]
    # A failing read (unknown table) is rolled back: the next statement works (PostgreSQL aborts otherwise).
    with pytest.raises(Exception, match="no_such_table"):  # noqa: B017 - each driver has its own error class
        store.query("SELECT * FROM no_such_table")
    assert store.execute("INSERT INTO side_demo (label) VALUES (?)", ("z",)) == 1
    assert store.execute("UPDATE side_demo SET label = ? WHERE label = ?", ("w", "none"), best_effort=True) == 0
    assert store.query("SELECT label FROM side_demo") == [("z",)]
    assert store.dialect_name in ("sqlite", "postgresql")


def test_has_tables_is_false_for_any_missing_table(store: Store) -> None:
    _make(store)
    assert not store.has_tables("side_demo", "side_missing")
    assert store.has_tables("statements", "side_demo")


def _connection_reaches(tree: ast.AST) -> list[int]:
    """Lines using a store's private connection members (``.conn``, ``._query``, ``._tx``, ``._sql``)."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("conn", "_query", "_tx", "_sql")
            or isinstance(node, ast.Constant) and node.value in ("conn", "_query")]


def test_nothing_outside_the_store_touches_its_connection() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "store" and path.parent.parent == PACKAGE or "node_modules" in path.parts:
            continue
        offenders += [f"{path.relative_to(PACKAGE)}:{n}" for n in _connection_reaches(ast.parse(path.read_text("utf-8")))]
    assert offenders == []
