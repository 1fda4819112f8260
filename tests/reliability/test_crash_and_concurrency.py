"""Crash safety and concurrent writers, on SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from redthread.ingest import ingest
from redthread.store import open_store

CLI = [sys.executable, "-m", "redthread.cli"]


def _write_entities(path: Path, n: int, prefix: str) -> None:
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({
                "id": f"{prefix}-{i}", "schema": "Company",
                "properties": {"name": [f"{prefix} Trading {i} LLC"], "country": ["kg"],
                               "registrationNumber": [str(100000 + i)]},
            }) + "\n")


def _writing(url: str) -> bool:
    """True while another process is inserting statements into the store."""
    if url.startswith("sqlite:"):
        wal = Path(url[len("sqlite:///"):] + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO statements%' AND state = 'active'"
        ).fetchone()
        return bool(row and row[0])


def _count(url: str, dataset: str) -> int:
    st = open_store(url)
    try:
        return sum(1 for s in st.statements(dataset=dataset, include_removed=True))
    finally:
        st.close()


def test_sigkill_mid_ingest_leaves_store_consistent(store_url: str, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    _write_entities(big, 60000, "kill")
    env = dict(os.environ, REDTHREAD_STORE=store_url)
    # Establish the schema first so the kill lands inside the data write.
    open_store(store_url).close()
    proc = subprocess.Popen(CLI + ["ingest", str(big), "--dataset", "k"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill once the writer is inside its transaction, inserting statements.
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and not _writing(store_url):
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed mid-write"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(store_url, "k")
    assert partial in (0, 60000 * 4), f"half-written store: {partial} statements"
    # Re-running completes the load exactly once: no duplicates.
    done = subprocess.run(CLI + ["ingest", str(big), "--dataset", "k"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _count(store_url, "k") == 60000 * 4
    st = open_store(store_url)
    try:
        ids = [s.id for s in st.statements(dataset="k")]
        assert len(ids) == len(set(ids))
    finally:
        st.close()


def test_two_concurrent_ingests_and_readers(store_url: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write_entities(a, 3000, "alpha")
    _write_entities(b, 3000, "beta")
    open_store(store_url).close()
    errors: list[BaseException] = []
    reads: list[int] = []

    def load(path: Path, dataset: str) -> None:
        try:
            st = open_store(store_url)
            ingest(st, [path], dataset)
            st.close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    def read() -> None:
        try:
            st = open_store(store_url)
            for _ in range(10):
                reads.append(len(st.datasets()))
                time.sleep(0.05)
            st.close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    statuses: list[int] = []

    def api_read() -> None:
        from fastapi.testclient import TestClient

        from redthread.api.app import create_app

        try:
            client = TestClient(create_app(store_url))
            for i in range(15):
                statuses.append(client.get("/search", params={"q": "trading"}).status_code)
                statuses.append(client.get("/stats").status_code)
                time.sleep(0.03 * (i % 3))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(a, "alpha")), threading.Thread(target=load, args=(b, "beta")),
               threading.Thread(target=read), threading.Thread(target=api_read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert _count(store_url, "alpha") == 3000 * 4
    assert _count(store_url, "beta") == 3000 * 4
    assert len(reads) == 10
    assert statuses and all(code == 200 for code in statuses), statuses


def test_size_limit_is_configurable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from redthread.errors import InputError

    path = tmp_path / "big.jsonl"
    _write_entities(path, 2000, "size")
    monkeypatch.setenv("REDTHREAD_MAX_INPUT_MB", "0.01")
    st = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        ingest(st, [path], "d")
    except InputError as err:
        assert str(path) in str(err) and "REDTHREAD_MAX_INPUT_MB" in str(err)
    else:
        raise AssertionError("a file over the limit was accepted")
    assert st.stats()["statements"] == 0
    monkeypatch.setenv("REDTHREAD_MAX_INPUT_MB", "50")
    ingest(st, [path], "d")
    assert st.stats()["statements"] == 2000 * 4
    st.close()
