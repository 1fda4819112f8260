"""The exporter registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from redthread.errors import RedthreadError
from redthread.store import Store

ExportFn = Callable[[Store, TextIO, "str | None"], int]

EXPORTER_MODULES = ["redthread.export.ftm", "redthread.export.csv"]
_REGISTRY: dict[str, ExportFn] = {}


def register(name: str) -> Callable[[ExportFn], ExportFn]:
    def deco(fn: ExportFn) -> ExportFn:
        _REGISTRY[name] = fn
        return fn

    return deco


def exporters() -> dict[str, ExportFn]:
    for mod in EXPORTER_MODULES:
        importlib.import_module(mod)
    return dict(_REGISTRY)


def export(store: Store, fmt: str, out: TextIO, dataset: str | None = None) -> int:
    """Write the store (or one dataset) to ``out``; returns the count written."""
    fns = exporters()
    if fmt not in fns:
        raise RedthreadError(f"unknown export format {fmt!r}; known: {', '.join(sorted(fns))}")
    return fns[fmt](store, out, dataset)
