"""Faults an outside review found (issue #16): each test failed on the code before its fix.

See docs/reliability.md, "Review findings", for the case behind each test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from redthread.analyze.graph import load_graph
from redthread.ingest import ingest
from redthread.store import open_store

PACKAGE = Path(__file__).resolve().parents[2] / "redthread"


# -- 1. one SQLite library per file ----------------------------------------------------------------
def test_fast_graph_load_keeps_the_servers_wal(tmp_path: Path, fixtures: Path) -> None:
    """The columnar graph read must not delete the WAL under the store's live connection."""
    db = tmp_path / "live.db"
    url = f"sqlite:///{db}"
    server = open_store(url)  # a long-lived connection, as the API keeps one per thread
    ingest(server, [fixtures / "starter.ftm.jsonl"], "starter")
    assert Path(f"{db}-wal").exists()
    graph = load_graph(server, evidence=False)
    assert graph.n_nodes > 0
    assert Path(f"{db}-wal").exists(), "a second SQLite library closed the file and removed the WAL"
    other = open_store(url)
    ingest(other, [fixtures / "starter.ftm.jsonl"], "again")
    other.close()
    assert {d.name for d in server.datasets()} >= {"starter", "again"}
    server.close()


def test_nothing_outside_the_store_opens_its_database() -> None:
    """No module outside ``store/`` imports a SQLite library or reaches for a store's connection."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("store/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "sqlite3" or n.startswith("adbc_driver") for n in names):
                offenders.append(f"{rel}:{node.lineno} imports {names}")
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "conn"):
                offenders.append(f"{rel}:{node.lineno} getattr(store, 'conn')")
    assert not offenders, offenders


@pytest.mark.parametrize("evidence", [True, False])
def test_bulk_read_gives_the_same_rows_as_statements(tmp_path: Path, fixtures: Path, evidence: bool) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'rows.db'}")
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    cols = ("entity_id", "schema", "prop", "value", "confidence") if evidence else ("entity_id", "prop")
    props = {"name", "country"}
    fast = sorted(st.rows(cols, props, skip_schemata={"Ownership"}))
    slow = sorted(tuple(getattr(s, c) for c in cols) for s in st.statements()
                  if s.prop in props and s.schema != "Ownership")
    assert fast == slow and fast
    assert st.table(cols, props, skip_schemata={"Ownership"}).num_rows == len(fast)
    with pytest.raises(ValueError, match="unknown statement column"):
        list(st.rows(("value; DROP TABLE statements",), props))
    st.close()
