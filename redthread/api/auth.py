"""Who is calling: API keys from ``Authorization: ApiKey <key>``.

Plugged into the app as ``app.state.authenticate`` (see :mod:`redthread.api.deps`).
Until the first key is created the server answers loopback callers only,
and only to read (a page in the browser on another origin, or a DNS-rebound
host name, must not be able to write with the machine's own address): they
act as ``viewer``, or as ``admin`` when the operator opts in with
``REDTHREAD_LOOPBACK_WRITES=1``. Keyless requests must also name a loopback
host (``Host: attacker.example`` resolving to 127.0.0.1 is DNS rebinding).
Once any key exists, every request must carry a valid one.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request

from redthread import settings
from redthread.api.deps import LOOPBACK, LOOPBACK_HOSTS, pooled_case

SCHEME = "apikey"


def presented_key(request: Request) -> str | None:
    """The key a request carries (``Authorization: ApiKey <key>``), if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == SCHEME and value.strip():
        return value.strip()
    return None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "ApiKey"})


def make_authenticator(store_url: str) -> Callable[[Request], str]:
    """An ``authenticate(request) -> role`` over the keys kept in ``store_url``."""

    def authenticate(request: Request) -> str:
        cached: str | None = getattr(request.state, "role", None)
        if cached is not None:
            return cached
        key = presented_key(request)
        ring = pooled_case(store_url).keys
        if key is None:
            if ring.any_created():
                raise _unauthorized("send an API key: `Authorization: ApiKey <key>` (see `redthread keys create`)")
            host = request.client.host if request.client else ""
            if host not in LOOPBACK:
                raise HTTPException(
                    status_code=403,
                    detail="no API keys exist yet: only loopback requests are served; "
                    "create one with `redthread keys create --role viewer`",
                )
            from redthread.api.gate import host_name

            if host_name(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
                raise HTTPException(
                    status_code=403,
                    detail="keyless requests must name this machine (localhost, 127.0.0.1, [::1]) as Host; "
                    "send an API key to use another host name",
                )
            role, user = ("admin" if settings.loopback_writes() else "viewer"), "local"
        else:
            record = ring.verify(key, touch=True)
            if record is None:
                raise _unauthorized("this API key is unknown or revoked")
            role, user = record.role, record.name or record.id
        request.state.role = role
        request.state.user = user
        return role

    return authenticate
