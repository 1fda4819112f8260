"""The FastAPI application: discovers route modules in ``api/routes/``."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI

from redthread import __version__, settings


def create_app(store_url: str | None = None) -> FastAPI:
    app = FastAPI(title="redthread", version=__version__, description="Sourced evidence graph API")
    app.state.store_url = store_url or settings.store_url()
    import redthread.api.routes as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"redthread.api.routes.{info.name}")
        app.include_router(module.router)
    return app
