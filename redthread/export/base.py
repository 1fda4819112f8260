"""The exporter registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from redthread.errors import RedthreadError
from redthread.store import Store

ExportFn = Callable[[Store, TextIO, "str | None"], int]

_REGISTRY: dict[str, ExportFn] = {}


def register(name: str) -> Callable[[ExportFn], ExportFn]:
    def deco(fn: ExportFn) -> ExportFn:
        _REGISTRY[name] = fn
        return fn

    return deco


def exporters() -> dict[str, ExportFn]:
    import pkgutil

    import redthread.export as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name != "base" and not info.name.startswith("_"):
            importlib.import_module(f"redthread.export.{info.name}")
    return dict(_REGISTRY)


def export(store: Store, fmt: str, out: TextIO, dataset: str | None = None) -> int:
    """Write the store (or one dataset) to ``out``; returns the count written."""
    fns = exporters()
    if fmt not in fns:
        raise RedthreadError(f"unknown export format {fmt!r}; known: {', '.join(sorted(fns))}")
    return fns[fmt](store, out, dataset)
