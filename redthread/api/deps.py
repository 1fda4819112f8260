"""Request dependencies shared by every route: the case (and its store) and access roles.

Roles, weakest first: ``viewer`` (read), ``analyst`` (also ingest and
judge), ``admin`` (also manage keys). Route modules declare what they need
with ``Depends(require_role("viewer"))``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from redthread.case import Case, open_case
from redthread.store import Store

ROLES = ("viewer", "analyst", "admin")
LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}
#: Host names a keyless (loopback) request may use; ``testserver`` is Starlette's test client.
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}


_pool = threading.local()
#: Cases kept per thread (one per store URL; servers use one URL).
_POOL_URLS = 4


def pooled_case(url: str | None) -> Case:
    """A case (its store connection and what lives beside it) kept per worker thread and URL.

    Requests run on a thread pool; opening a connection per request (and per
    authentication) cost more than most queries. Each thread keeps its own
    case, so no connection is ever shared between concurrent requests.
    """
    cases: OrderedDict[str | None, Case] | None = getattr(_pool, "cases", None)
    if cases is None:
        cases = _pool.cases = OrderedDict()
    case = cases.get(url)
    if case is None:
        case = cases[url] = open_case(url)
        while len(cases) > _POOL_URLS:
            cases.popitem(last=False)[1].close()
    cases.move_to_end(url)
    return case


def pooled_store(url: str | None) -> Store:
    """The store of :func:`pooled_case`."""
    return pooled_case(url).store


def get_case(request: Request) -> Iterator[Case]:
    """The calling thread's case (the store URL is fixed when the app is made)."""
    yield pooled_case(getattr(request.app.state, "store_url", None))


def get_store(request: Request) -> Iterator[Store]:
    """The calling thread's store connection: the case's."""
    yield pooled_case(getattr(request.app.state, "store_url", None)).store


#: Declares the key header in the OpenAPI description (so /docs has an "Authorize" box);
#: the check itself is ``app.state.authenticate`` (see :mod:`redthread.api.auth`).
API_KEY_HEADER = APIKeyHeader(name="Authorization", auto_error=False,
                              description="`ApiKey <key>` (see `redthread keys create`)")


async def authenticate(request: Request, _header: str | None = Security(API_KEY_HEADER)) -> str:
    """The caller's role. With no key system configured, only loopback is served.

    Async so that it runs on the event loop: FastAPI runs a sync dependency on
    its thread pool, a hop that cost more than the check (one small read).
    """
    auth: Callable[[Request], str] | None = getattr(request.app.state, "authenticate", None)
    if auth is not None:
        if getattr(auth, "off_loop", False) and getattr(request.state, "role", None) is None:
            # A store across the network: its round trip must not hold up the event loop.
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(auth, request)
        return auth(request)
    host = request.client.host if request.client else ""
    if host not in LOOPBACK:
        raise HTTPException(status_code=403, detail="no API keys exist yet: only loopback requests are served")
    request.state.user = "local"
    from redthread import settings

    return "admin" if settings.loopback_writes() else "viewer"


def require_role(role: str) -> Any:
    """A dependency that admits callers with ``role`` or a stronger one."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    async def check(request: Request, caller: str = Depends(authenticate)) -> str:  # no I/O: no thread hop
        if ROLES.index(caller) < ROLES.index(role):
            if getattr(request.state, "user", None) == "local":
                raise HTTPException(status_code=403, detail=(
                    f"this needs the {role} role: writes need an API key even from this machine "
                    f"(`redthread keys create --role {role}`), or start the server with "
                    "REDTHREAD_LOOPBACK_WRITES=1"))
            raise HTTPException(status_code=403, detail=f"this needs the {role} role; your key is {caller}")
        return caller

    return Depends(check)
