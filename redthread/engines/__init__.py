"""Execution engines for the batch analytics: DuckDB (default), Spark, in-memory numpy.

``get_engine(name)`` picks one by name; the default comes from
``REDTHREAD_ENGINE`` (``duckdb`` when unset). Engine modules in this package
register themselves at import, like loaders and exporters; heavy backends
(Spark) import their library only when an engine is created.
"""

from __future__ import annotations

import importlib
import pkgutil

from redthread import settings
from redthread.engines.base import BlockedResult, Engine, ExposureResult, SQLEngine
from redthread.engines.registry import factories
from redthread.errors import ConfigError

__all__ = ["Engine", "SQLEngine", "BlockedResult", "ExposureResult", "get_engine", "engine_names", "default_engine"]
DEFAULT = "duckdb"
_loaded = False


def _load_modules() -> None:
    global _loaded
    if _loaded:
        return
    import redthread.engines as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name not in ("base", "registry") and not info.name.startswith("_"):
            importlib.import_module(f"redthread.engines.{info.name}")
    _loaded = True


def engine_names() -> list[str]:
    """Names accepted by ``--engine``."""
    _load_modules()
    return sorted(factories())


def default_engine() -> str:
    """``REDTHREAD_ENGINE``, or ``duckdb``."""
    return settings.engine_name() or DEFAULT


def get_engine(name: str | None = None) -> Engine:
    """A new engine by name (default: :func:`default_engine`)."""
    _load_modules()
    name = name or default_engine()
    factory = factories().get(name)
    if factory is None:
        raise ConfigError(f"unknown engine {name!r}: use one of {', '.join(engine_names())} "
                          "(--engine or REDTHREAD_ENGINE)")
    return factory()
