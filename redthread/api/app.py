"""The FastAPI application: discovers route modules in ``api/routes/``.

Every module ``redthread/api/routes/<name>.py`` exposing ``router`` is
included, so capabilities add endpoints without touching this file. The web
UI (``redthread/web/static``) is served at ``/`` and its npm libraries at
``/vendor``, all from local files: the UI works offline.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from redthread import __version__, settings
from redthread.api.auth import make_authenticator

WEB = Path(__file__).resolve().parent.parent / "web"


def create_app(store_url: str | None = None) -> FastAPI:
    """The API over the store at ``store_url`` (default: the configured store)."""
    app = FastAPI(
        title="redthread",
        version=__version__,
        description="Sourced evidence graph API. Send `Authorization: ApiKey <key>`; "
        "with no key created yet only loopback callers are served.",
    )
    app.state.store_url = store_url or settings.store_url()
    app.state.authenticate = make_authenticator(app.state.store_url)
    origins = settings.cors_origins()
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    import redthread.api.routes as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"redthread.api.routes.{info.name}")
        app.include_router(module.router)
    vendor = WEB / "node_modules"
    if vendor.is_dir():
        app.mount("/vendor", StaticFiles(directory=vendor), name="vendor")
    app.mount("/", StaticFiles(directory=WEB / "static", html=True), name="web")
    return app
