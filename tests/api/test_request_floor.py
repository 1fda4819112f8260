"""What every request pays: the key check (cached, yet a revoked key is refused at once) and the security headers."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from redthread.api import deps
from redthread.api.app import CSP, SecurityHeaders, create_app
from redthread.keys import KeyRing
from redthread.store import open_store

HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY",
           "content-security-policy": CSP}


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def _secured(headers: object) -> None:
    for name, value in HEADERS.items():
        assert headers[name] == value, name  # type: ignore[index]


@pytest.fixture()
def keyed(tmp_path: Path) -> tuple[str, str, str, str]:
    """A store with a viewer key and an admin key: (url, viewer key, its id, admin key)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    st = open_store(url)
    ring = KeyRing(st)
    record, viewer = ring.create("viewer", "reader")
    _, admin = ring.create("admin")
    st.close()
    return url, viewer, record.id, admin


def test_revoked_key_refused_at_once_via_api(keyed: tuple[str, str, str, str]) -> None:
    url, viewer, viewer_id, admin = keyed
    client = TestClient(create_app(url))
    assert client.get("/stats", headers=_auth(viewer)).status_code == 200
    assert client.get("/stats", headers=_auth(viewer)).status_code == 200  # now remembered
    assert client.delete(f"/keys/{viewer_id}", headers=_auth(admin)).status_code == 200
    res = client.get("/stats", headers=_auth(viewer))
    assert res.status_code == 401 and "revoked" in res.json()["detail"]
    assert client.get("/stats", headers=_auth(admin)).status_code == 200


def test_revoked_key_refused_at_once_from_another_process(keyed: tuple[str, str, str, str]) -> None:
    """``redthread keys revoke`` runs in its own process, on its own connection."""
    url, viewer, viewer_id, _ = keyed
    client = TestClient(create_app(url))
    assert client.get("/whoami", headers=_auth(viewer)).json()["role"] == "viewer"
    other = open_store(url)
    try:
        KeyRing(other).revoke(viewer_id)
    finally:
        other.close()
    assert client.get("/whoami", headers=_auth(viewer)).status_code == 401
    # A write is refused by the gate, before its body is read, the same way.
    assert client.post("/judgements", headers=_auth(viewer), json={}).status_code == 401


def test_key_verified_once_per_keys_table_state(keyed: tuple[str, str, str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A known key's row read and HMAC are made again only when a key is created or revoked."""
    url, viewer, _, _ = keyed
    calls: list[str] = []
    real = KeyRing.verify

    def counted(self: KeyRing, key: str, touch: bool = False) -> object:
        calls.append(key)
        return real(self, key, touch)

    monkeypatch.setattr(KeyRing, "verify", counted)
    client = TestClient(create_app(url))
    for _ in range(3):
        assert client.get("/stats", headers=_auth(viewer)).status_code == 200
    assert calls == [viewer]
    other = open_store(url)
    try:
        KeyRing(other).create("viewer")  # the table changed: verify afresh
    finally:
        other.close()
    assert client.get("/stats", headers=_auth(viewer)).status_code == 200
    assert calls == [viewer, viewer]
    bad = viewer[:-2] + ("xx" if not viewer.endswith("xx") else "yy")
    for _ in range(2):  # an unknown key is never remembered
        assert client.get("/stats", headers=_auth(bad)).status_code == 401
    assert calls == [viewer, viewer, bad, bad]


def test_key_check_dependencies_run_on_the_event_loop() -> None:
    """Sync dependencies run on FastAPI's thread pool; the key and role checks do no blocking work."""
    assert inspect.iscoroutinefunction(deps.authenticate)
    check = deps.require_role("viewer").dependency
    assert inspect.iscoroutinefunction(check)


def test_security_headers_on_every_response(keyed: tuple[str, str, str, str]) -> None:
    url, viewer, _, _ = keyed
    client = TestClient(create_app(url))
    _secured(client.get("/healthz").headers)
    _secured(client.get("/stats", headers=_auth(viewer)).headers)
    _secured(client.get("/stats").headers)  # 401 from the key check
    _secured(client.get("/entities/no-such-entity", headers=_auth(viewer)).headers)  # 404
    refused = client.post("/judgements", headers={**_auth(viewer), "Origin": "https://evil.example"}, json={})
    assert refused.status_code == 403  # the gate's own answer
    _secured(refused.headers)
    docs = client.get("/docs")
    assert "script-src 'self' 'unsafe-inline'" in docs.headers["content-security-policy"]
    assert docs.headers["x-frame-options"] == "DENY"


def test_security_headers_on_streams_and_route_headers_kept() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"a"
        yield b"b"

    async def stream(request: Request) -> StreamingResponse:
        return StreamingResponse(chunks(), headers={"X-Frame-Options": "SAMEORIGIN"})

    client = TestClient(SecurityHeaders(Starlette(routes=[Route("/s", stream)])))
    res = client.get("/s")
    assert res.content == b"ab"
    assert res.headers["x-frame-options"] == "SAMEORIGIN"  # the route's own choice is kept
    assert res.headers["content-security-policy"] == CSP and res.headers["x-content-type-options"] == "nosniff"
    assert res.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


def test_no_two_route_modules_overlap() -> None:
    """Route modules are included with the screening ones first; that is safe only while no path of one
    module matches a path of another (within a module, its own order stands)."""
    import importlib
    import pkgutil

    from fastapi.routing import APIRoute
    from starlette.routing import compile_path

    import redthread.api.routes as pkg

    routes = []
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"redthread.api.routes.{info.name}")
        routes += [(info.name, r.path, set(r.methods or ())) for r in module.router.routes if isinstance(r, APIRoute)]
    assert {"/match/{dataset}", "/healthz"} <= {path for _, path, _ in routes} and len(routes) > 20
    for name, path, methods in routes:
        sample = re.sub(r"\{[^}]+\}", "x", path)
        for other_name, other, other_methods in routes:
            if other_name != name and compile_path(other)[0].match(sample):
                assert not methods & other_methods, f"{path} ({name}) and {other} ({other_name}) overlap"
