"""The gate every request passes before the app reads a byte of its body.

FastAPI parses a request's body (JSON, multipart uploads spooled to disk)
before it runs the dependencies that check the key, so an anonymous caller
could make the server read and store a gigabyte before the 401. This ASGI
middleware answers first:

* a ``Host`` outside ``REDTHREAD_ALLOWED_HOSTS`` (when set) is refused (421);
* a write (any method but GET/HEAD/OPTIONS) from a browser page on another
  origin is refused (403): ``Origin`` must be this server's own or one of
  ``REDTHREAD_CORS_ORIGINS``, and ``Sec-Fetch-Site: cross-site`` is refused.
  A multipart ``fetch(..., {mode: "no-cors"})`` needs no CORS preflight, so
  CORS alone does not stop a page from writing;
* a write is authenticated here, from its headers, before its body is read
  (on the event loop, without a thread-pool hop: the check is a small read,
  see :mod:`redthread.api.auth`);
* bodies are capped per route: ``Content-Length`` over the cap is refused at
  once (413), and a body streamed without one is cut off at the cap.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from redthread import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Routes that take file uploads (capped by REDTHREAD_MAX_UPLOAD_MB plus room for the form around it).
UPLOAD_ROUTES = ("/ingest",)
_FORM_SLACK = 1024 * 1024


def body_cap(path: str) -> int:
    """The largest body (bytes) the route at ``path`` reads."""
    if path.rstrip("/") in UPLOAD_ROUTES:
        return settings.max_upload_bytes() + _FORM_SLACK
    return settings.max_body_bytes()


def host_name(host: str) -> str:
    """``Host`` header value without its port, lower case (``[::1]:8000`` -> ``[::1]``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(origin: str, host: str) -> bool:
    """Whether the ``Origin`` header names the server the request was sent to."""
    parts = urlsplit(origin)
    return bool(parts.scheme in ("http", "https") and parts.netloc) and parts.netloc.lower() == host.strip().lower()


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Gate:
    """ASGI middleware: Host, Origin, key and body size, checked from the headers alone."""

    def __init__(self, app: ASGIApp, authenticate: Callable[[Request], str] | None = None) -> None:
        self.app = app
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        allowed = settings.allowed_hosts()
        if allowed and "*" not in allowed and host_name(host) not in allowed:
            await _answer(send, 421, f"this server does not answer for host {host_name(host)!r} "
                          "(REDTHREAD_ALLOWED_HOSTS)")
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        origin = request.headers.get("origin")
        cross = request.headers.get("sec-fetch-site", "").lower() == "cross-site"
        if (origin is not None and not same_origin(origin, host) and origin not in settings.cors_origins()) or (
                cross and origin not in settings.cors_origins()):
            await _answer(send, 403, "cross-site writes are refused: this request came from a page on another "
                          "origin (list trusted origins in REDTHREAD_CORS_ORIGINS)")
            return
        if self.authenticate is not None:
            try:
                if getattr(self.authenticate, "off_loop", False):  # a network store: not on the event loop
                    await run_in_threadpool(self.authenticate, request)
                else:
                    self.authenticate(request)
            except HTTPException as exc:
                await _answer(send, exc.status_code, str(exc.detail), dict(exc.headers or {}))
                return
        cap = body_cap(scope["path"])
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            await _answer(send, 413, f"request body of {int(length)} bytes is over this route's limit of "
                          f"{cap} bytes (REDTHREAD_MAX_BODY_MB, REDTHREAD_MAX_UPLOAD_MB for uploads)")
            return
        await _Capped(self.app, cap)(scope, receive, send)


class _Capped:
    """Runs the app on a body cut off at ``cap`` bytes: past it, the caller gets 413 and the app a disconnect."""

    def __init__(self, app: ASGIApp, cap: int) -> None:
        self.app, self.cap = app, cap
        self.seen = 0
        self.refused = False
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def capped_receive() -> Message:
            if self.refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                self.seen += len(message.get("body", b""))
                if self.seen > self.cap:
                    self.refused = True
                    if not self.started:
                        self.started = True
                        await _answer(send, 413, f"request body is over this route's limit of {self.cap} bytes "
                                      "(REDTHREAD_MAX_BODY_MB, REDTHREAD_MAX_UPLOAD_MB for uploads)")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if self.refused:
                return  # the 413 is already on its way
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, guarded_send)
        except Exception:
            if not self.refused:
                raise
            # The app failed on the body it was denied; the caller already has its 413.
