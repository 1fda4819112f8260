"""Shared fixtures: a store on every backend, the fixtures folder, the CLI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from redthread.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pg_admin_url() -> str | None:
    return os.environ.get("REDTHREAD_TEST_PG")


def _require_pg() -> str:
    url = pg_admin_url()
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("REDTHREAD_TEST_PG is not set in CI: scripts/services.sh must start PostgreSQL")
    pytest.skip("no PostgreSQL server (set REDTHREAD_TEST_PG, see scripts/services.sh)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    import psycopg

    admin = _require_pg()
    name = f"rt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store on each backend (the contract suite runs on both)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    st = open_store(store_url)
    yield st
    st.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real data folder from a test."""
    monkeypatch.setenv("REDTHREAD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REDTHREAD_STORE", raising=False)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(f"../shared is missing beside the repository (looked in {SHARED})")
    return SHARED
