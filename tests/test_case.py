"""A Case owns its store and what lives beside it; the folder layout is worked out in one place."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import redthread
from redthread.api.app import create_app
from redthread.case import Case, open_case
from redthread.ingest.base import IngestContext, file_hash, get_loader
from redthread.screen import persist
from redthread.store import LoadBatch
from redthread.store.layout import layout
from redthread.trade import table
from tests.conftest import FIXTURES

PACKAGE = Path(redthread.__file__).parent
#: The module (``redthread.resolve.xref`` the attribute is the function of that name).
xref_module = importlib.import_module("redthread.resolve.xref")


def test_a_sqlite_file_keeps_its_folders_beside_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases' / 'acme.db'}"
    where = layout(url)
    assert where.database == tmp_path / "cases" / "acme.db" and not where.in_memory
    assert where.trade == tmp_path / "cases" / "acme.trade"
    assert where.screen == tmp_path / "cases" / "acme.screen"
    assert where.xref == tmp_path / "cases" / "acme.xref"
    # The features that keep files read the same layout (no second parse of the URL).
    assert table.table_dir(url) == where.trade
    assert persist.folder(url) == where.screen


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://", "sqlite:///file:x?mode=memory&cache=shared"])
def test_an_in_memory_store_keeps_no_cache_on_disk(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_HOME", str(tmp_path))
    where = layout(url)
    assert where.in_memory and where.screen is None and where.xref is None
    assert where.trade.parent == tmp_path / "trade"  # trade records still need a folder


def test_a_server_store_keeps_its_folders_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_HOME", str(tmp_path))
    one, two = layout("postgresql://u@h/one"), layout("postgresql://u@h/two")
    assert one.database is None and not one.in_memory
    assert one.trade.parent == tmp_path / "trade" and one.screen is not None and one.screen.parent == tmp_path / "screen"
    assert one.xref is not None and one.trade.name == one.screen.name == one.xref.name  # one digest per store
    assert one.trade != two.trade


def test_the_case_owns_store_keys_monitor_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_SCREEN_CACHE", "1")
    url = f"sqlite:///{tmp_path / 'acme.db'}"
    with open_case(url) as case:
        assert isinstance(case, Case) and case.url == url
        assert case.trade_dir == tmp_path / "acme.trade" and case.screen_dir == tmp_path / "acme.screen"
        assert case.xref_dir == tmp_path / "acme.xref"
        cached = xref_module._path(case.store, "redthread-v2", 5)
        assert cached is not None and cached.parent == case.xref_dir
        assert not case.store.has_tables("api_keys")  # made on first use only
        record, key = case.keys.create("viewer", "tests")
        assert case.keys is case.keys and case.keys.verify(key) == record
        assert case.store.has_tables("api_keys", "monitor_alerts") is False
        assert case.monitor.query("SELECT COUNT(*) FROM monitor_watchlists") == [(0,)]
        assert case.store.has_tables("monitor_alerts", "monitor_audit")
    monkeypatch.setenv("REDTHREAD_SCREEN_CACHE", "0")
    with open_case(url) as case:
        assert case.screen_dir is None and case.xref_dir is None
        assert case.keys.any_created()  # the same store, reopened


def test_the_api_hands_each_route_the_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    with open_case(url) as case:
        _, key = case.keys.create("admin", "tests")
    client = TestClient(create_app(url))
    listed = client.get("/keys", headers={"Authorization": f"ApiKey {key}"})
    assert listed.status_code == 200 and [k["name"] for k in listed.json()["keys"]] == ["tests"]
    assert client.get("/watchlists", headers={"Authorization": f"ApiKey {key}"}).json() == {"watchlists": []}


def test_only_the_layout_parses_store_urls_into_folders() -> None:
    """A ``sqlite:///`` literal outside ``store/`` means someone parses a URL again (settings and the demo
    only build one)."""
    allowed = {"settings.py", "demo.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "store" and path.parent.parent == PACKAGE or path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("sqlite:"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


# -- a load is one unit of work across the store and the trade files ---------------------------------
def _stage_customs(case: Case) -> list[LoadBatch]:
    """What a customs load does before the store commits: stage its trade files and journal them."""
    path = FIXTURES / "trade" / "records.csv"
    batches = list(get_loader("customs").read(path, IngestContext(dataset="customs", store_url=case.url)))
    for batch in batches:
        batch.content_hash, batch.origin = file_hash(path), "customs"
        assert batch.staged is not None
        batch.staged.write_journal(batch.content_hash, 0)
    return batches


def _trade_rows(url: str) -> int:
    with table.connect(url) as con:
        return table.record_count(con)


def _leftovers(url: str) -> list[str]:
    """Staged parts and journals left in the trade folder (published files are ``.parquet``)."""
    return sorted(p.name for p in table.table_dir(url).rglob("*") if p.is_file() and p.suffix != ".parquet")


def test_a_load_in_flight_is_not_rolled_back_by_another_load(tmp_path: Path) -> None:
    """Another load's recovery (another request's thread, another process) leaves a running load alone.

    It used to take the journal of a load still committing for a crashed one and delete its staged
    files: the load then committed its party statements and published no trade records.
    """
    with open_case(f"sqlite:///{tmp_path / 'flight.db'}") as case:
        batches = _stage_customs(case)
        case.load([FIXTURES / "starter.ftm.jsonl"], "starter")  # meanwhile: its recovery runs first
        assert _leftovers(case.url), "the running load's staged files and journal are kept"
        case.store.write_many(batches)  # the running load commits, then publishes
        for batch in batches:
            assert batch.staged is not None
            batch.staged.publish()
        assert _trade_rows(case.url) > 0 and list(case.store.statements(dataset="customs"))
        assert _leftovers(case.url) == []


@pytest.mark.parametrize("committed", [True, False])
def test_a_load_whose_process_died_is_finished_or_undone_by_the_next(tmp_path: Path, committed: bool) -> None:
    """Neither half stays alone: committed statements get their trade files, uncommitted files go."""
    with open_case(f"sqlite:///{tmp_path / 'died.db'}") as case:
        batches = _stage_customs(case)
        if committed:
            case.store.write_many(batches)
        for batch in batches:  # the process dies: the OS lets go of its lock, nothing is published
            assert batch.staged is not None
            batch.staged.release()
        assert _trade_rows(case.url) == 0
        case.load([FIXTURES / "starter.ftm.jsonl"], "starter")
        assert (_trade_rows(case.url) > 0) == committed
        assert bool(list(case.store.statements(dataset="customs"))) == committed
        assert _leftovers(case.url) == []
