"""The FastAPI application: discovers route modules in ``api/routes/``.

Every module ``redthread/api/routes/<name>.py`` exposing ``router`` is
included, so capabilities add endpoints without touching this file. The web
UI (``redthread/web/static``) is served at ``/`` and its npm libraries at
``/vendor``, all from local files: the UI works offline.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from redthread import __version__, settings
from redthread.api.auth import make_authenticator
from redthread.api.gate import Gate
from redthread.errors import RedthreadError

WEB = Path(__file__).resolve().parent.parent / "web"
#: Scripts, styles and images from this server only; no framing, no plugins, no form posts elsewhere.
#: (``'unsafe-inline'`` styles: the UI and Swagger set element styles.)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


#: Route modules included first (the rest follow in name order).
FIRST_ROUTES = ("match", "yente")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY")]
#: Swagger's page starts itself with an inline script; everything else runs none.
_DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
_PAGE_HEADERS = [*_HEADERS, (b"content-security-policy", CSP.encode())]
_DOCS_HEADERS = [*_HEADERS, (b"content-security-policy", _DOCS_CSP.encode())]


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (errors and streams too).

    A plain ASGI wrapper of ``send``, not Starlette's ``BaseHTTPMiddleware``:
    that one runs each request through a task and memory streams, about half
    a millisecond a request. Headers a route set itself are kept.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _DOCS_HEADERS if scope["path"] == "/docs" else _PAGE_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store_url: str | None = None, *, warm: bool = False) -> FastAPI:
    """The API over the store at ``store_url`` (default: the configured store).

    ``warm``: start warming the screening path now, in the background
    (:mod:`redthread.screen.warm`; ``/readyz`` says ``warming`` until done).
    ``redthread serve`` asks for it; tests and embedders that never screen need not.
    """
    swagger = WEB / "node_modules" / "swagger-ui-dist"
    app = FastAPI(
        title="redthread",
        version=__version__,
        description="Sourced evidence graph API. Send `Authorization: ApiKey <key>`; "
        "with no key created yet only loopback callers are served, read only.",
        docs_url=None if swagger.is_dir() else "/docs",
    )
    if swagger.is_dir():  # API docs from the local npm package: they work offline too

        @app.get("/docs", include_in_schema=False)
        def docs() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url="/openapi.json", title="redthread API",
                swagger_js_url="/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                swagger_css_url="/vendor/swagger-ui-dist/swagger-ui.css",
                swagger_favicon_url="/vendor/swagger-ui-dist/favicon-32x32.png",
            )

    @app.exception_handler(RedthreadError)
    async def deliberate_error(request: Request, exc: RedthreadError) -> JSONResponse:
        """The one map from our errors to HTTP: each error class carries its status."""
        return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)

    app.state.store_url = store_url or settings.store_url()
    app.state.authenticate = make_authenticator(app.state.store_url)
    if warm:
        from redthread.screen import warm as warming

        app.state.warmup = warming.start(app.state.store_url)
    origins = settings.cors_origins()
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    # Host, Origin, key and body size are checked before any body is read.
    app.add_middleware(Gate, authenticate=app.state.authenticate)
    # Outermost, so the gate's own refusals carry the headers too.
    app.add_middleware(SecurityHeaders)
    import redthread.api.routes as pkg

    # FastAPI tries routes in turn: the screening routes, asked most often, come first.
    # Order changes nothing else: no two routes' paths overlap (tests/api/test_request_floor.py).
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: (i.name not in FIRST_ROUTES, i.name)):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"redthread.api.routes.{info.name}")
        app.include_router(module.router)
    vendor = WEB / "node_modules"
    if vendor.is_dir():
        app.mount("/vendor", StaticFiles(directory=vendor), name="vendor")
    app.mount("/", StaticFiles(directory=WEB / "static", html=True), name="web")
    return app
