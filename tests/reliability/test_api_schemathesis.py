"""Property-based API fuzzing from our own OpenAPI spec: no 5xx, ever."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.store import open_store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "starter.ftm.jsonl"
_tmp = tempfile.mkdtemp(prefix="rt-schemathesis-")
_url = f"sqlite:///{Path(_tmp) / 'fuzz.db'}"
_store = open_store(_url)
ingest(_store, [FIXTURE], "starter")
_store.close()

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_url))


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_errors(case: schemathesis.Case) -> None:
    # Uploads would write files into the data folder on every example; the
    # upload route has its own tests for limits and path confinement.
    if case.path == "/ingest":
        return
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
