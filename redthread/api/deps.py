"""Request dependencies shared by every route: the store and access roles.

Roles, weakest first: ``viewer`` (read), ``analyst`` (also ingest and
judge), ``admin`` (also manage keys). Route modules declare what they need
with ``Depends(require_role("viewer"))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from redthread.store import Store, open_store

ROLES = ("viewer", "analyst", "admin")
LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


def get_store(request: Request) -> Iterator[Store]:
    """One store connection per request (the URL is fixed when the app is made)."""
    url = getattr(request.app.state, "store_url", None)
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


#: Declares the key header in the OpenAPI description (so /docs has an "Authorize" box);
#: the check itself is ``app.state.authenticate`` (see :mod:`redthread.api.auth`).
API_KEY_HEADER = APIKeyHeader(name="Authorization", auto_error=False,
                              description="`ApiKey <key>` (see `redthread keys create`)")


def authenticate(request: Request, _header: str | None = Security(API_KEY_HEADER)) -> str:
    """The caller's role. With no key system configured, only loopback is served."""
    auth: Callable[[Request], str] | None = getattr(request.app.state, "authenticate", None)
    if auth is not None:
        return auth(request)
    host = request.client.host if request.client else ""
    if host not in LOOPBACK:
        raise HTTPException(status_code=403, detail="no API keys exist yet: only loopback requests are served")
    return "admin"


def require_role(role: str) -> Any:
    """A dependency that admits callers with ``role`` or a stronger one."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def check(caller: str = Depends(authenticate)) -> str:
        if ROLES.index(caller) < ROLES.index(role):
            raise HTTPException(status_code=403, detail=f"this needs the {role} role; your key is {caller}")
        return caller

    return Depends(check)
