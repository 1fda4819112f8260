"""Who is calling: API keys from ``Authorization: ApiKey <key>``.

Plugged into the app as ``app.state.authenticate`` (see :mod:`redthread.api.deps`).
Until the first key is created the server answers loopback callers only,
and only to read (a page in the browser on another origin, or a DNS-rebound
host name, must not be able to write with the machine's own address): they
act as ``viewer``, or as ``admin`` when the operator opts in with
``REDTHREAD_LOOPBACK_WRITES=1``. Keyless requests must also name a loopback
host (``Host: attacker.example`` resolving to 127.0.0.1 is DNS rebinding).
Once any key exists, every request must carry a valid one.

Checking a key runs on the event loop (no thread-pool hop) and is cheap: a
verified key is remembered per (SHA-256 of the key, state of the keys
table). Every request still reads the table's state, one aggregate row
(keys created, keys revoked); keys are never deleted and revoking only ever
sets ``revoked_at``, so any create or revoke, from this server or another
process, changes that state and the next request verifies afresh: a
revoked key is refused at once. Only a hit skips the key's row read and its
HMAC; an unknown key is verified (and refused) every time.

That state read is a file read on SQLite but a network round trip on
PostgreSQL, where it would block the event loop (every other request) for
the round trip: there the check is marked ``off_loop`` and its callers
(:func:`redthread.api.deps.authenticate`, the gate) run it on the thread
pool instead. It is still read on every request, so a key revoked from
any process is refused on the next one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from fastapi import HTTPException, Request

from redthread import settings
from redthread.api.deps import LOOPBACK, LOOPBACK_HOSTS, pooled_case
from redthread.keys import TOUCH_EVERY, ApiKey, KeyRing
from redthread.store.layout import layout

SCHEME = "apikey"
#: Verified keys remembered at most (the cache starts afresh past it).
CACHE_SIZE = 1024
#: ``SELECT`` of the keys table's state: keys created, keys revoked (both only ever grow).
_STATE_SQL = "SELECT COUNT(*), COUNT(revoked_at) FROM api_keys"


def presented_key(request: Request) -> str | None:
    """The key a request carries (``Authorization: ApiKey <key>``), if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == SCHEME and value.strip():
        return value.strip()
    return None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "ApiKey"})


def table_state(ring: KeyRing) -> tuple[int, int]:
    """The keys table's state: (keys created, keys revoked); both only ever grow."""
    created, revoked = ring.store.query(_STATE_SQL)[0]
    return int(created), int(revoked)


def off_loop(store_url: str) -> bool:
    """Whether the key check must leave the event loop: its reads cross the network (not SQLite)."""
    return not layout(store_url).embedded


def make_authenticator(store_url: str) -> Callable[[Request], str]:
    """An ``authenticate(request) -> role`` over the keys kept in ``store_url``.

    Meant to be called on the event loop for SQLite: its reads are one small
    aggregate row, plus the key's own row and HMAC when the key or the table
    changed. For other stores it carries ``off_loop = True`` (see the module).
    """
    #: key hash -> (keys table state, when verified (monotonic s), the key's record)
    verified: dict[bytes, tuple[tuple[int, int], float, ApiKey]] = {}

    def check_key(ring: KeyRing, key: str, state: tuple[int, int]) -> ApiKey | None:
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        hit = verified.get(digest)
        now = time.monotonic()
        # Verified afresh at least every TOUCH_EVERY seconds, so last_used_at stays as current as without the cache.
        if hit is not None and hit[0] == state and now - hit[1] < TOUCH_EVERY:
            return hit[2]
        record = ring.verify(key, touch=True)  # also writes last_used_at, at most once a minute
        if record is None:
            verified.pop(digest, None)
            return None
        if len(verified) >= CACHE_SIZE:
            verified.clear()
        verified[digest] = (state, now, record)
        return record

    def authenticate(request: Request) -> str:
        cached: str | None = getattr(request.state, "role", None)
        if cached is not None:
            return cached
        key = presented_key(request)
        ring = pooled_case(store_url).keys
        state = table_state(ring)
        if key is None:
            if state[0]:
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
            record = check_key(ring, key, state)
            if record is None:
                raise _unauthorized("this API key is unknown or revoked")
            role, user = record.role, record.name or record.id
        request.state.role = role
        request.state.user = user
        return role

    authenticate.off_loop = off_loop(store_url)  # type: ignore[attr-defined]
    return authenticate
