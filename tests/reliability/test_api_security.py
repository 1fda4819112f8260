"""Every API route is guarded, and keys can't be forged: across all route modules.

Route modules are added by several capabilities; this test walks the app's
route table so a new unguarded route fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.keys import KeyRing
from redthread.store import open_store

#: Routes that are public on purpose (the UI shell and the API description).
PUBLIC = re.compile(r"^/(openapi\.json|docs.*|redoc.*|static.*|ui.*|assets.*|)$|^/web/.*|^/favicon")


@pytest.fixture
def keyed(tmp_path: Path, fixtures: Path) -> tuple[str, str, str]:
    url = f"sqlite:///{tmp_path / 'sec.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    ring = KeyRing(st)
    _, viewer = ring.create("viewer", "v")
    revoked_rec, revoked = ring.create("viewer", "gone")
    ring.revoke(revoked_rec.id)
    st.close()
    return url, viewer, revoked


def _operations(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(METHOD, path) for every operation the app publishes in its OpenAPI spec."""
    return [(method.upper(), path) for path, item in app.openapi()["paths"].items()
            for method in item if method in {"get", "post", "put", "patch", "delete"}]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "rt-komax", path).replace(":path", "")


def test_every_route_refuses_anonymous_and_bad_keys(keyed: tuple[str, str, str]) -> None:
    url, viewer, revoked = keyed
    app = create_app(url)
    client = TestClient(app, client=("203.0.113.7", 4000))
    tampered = viewer[:-2] + ("AA" if not viewer.endswith("AA") else "BB")
    checked = 0
    for method, raw in _operations(app):
        if PUBLIC.match(raw):
            continue
        path = _concrete(raw)
        if True:
            for headers in ({}, {"Authorization": f"ApiKey {tampered}"}, {"Authorization": f"ApiKey {revoked}"},
                            {"Authorization": "Bearer nonsense"}):
                res = client.request(method, path, headers=headers)
                assert res.status_code in (401, 403), (method, path, headers, res.status_code)
            checked += 1
    assert checked >= 20


def test_viewer_cannot_write(keyed: tuple[str, str, str]) -> None:
    url, viewer, _ = keyed
    app = create_app(url)
    client = TestClient(app, client=("203.0.113.7", 4000))
    auth = {"Authorization": f"ApiKey {viewer}"}
    # /match is a read (viewer) despite being a POST; capacity computes, it stores nothing.
    writes = [(m, p) for m, p in _operations(app)
              if m in {"POST", "DELETE", "PUT", "PATCH"} and not p.startswith(("/match", "/trade/capacity"))]
    assert writes
    for method, path in writes:
        res = client.request(method, _concrete(path), headers=auth)
        assert res.status_code in (403, 422), (method, path, res.status_code)
        if res.status_code == 422:
            # Validation ran first; with a valid body the role check must still refuse.
            assert method in {"POST", "PUT", "PATCH"}
