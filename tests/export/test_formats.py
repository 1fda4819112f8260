"""The export formats are an explicit list: every writer module is on it, and nothing else."""

from __future__ import annotations

import importlib
import pkgutil

import redthread.export as pkg
from redthread.export import exporters


def test_every_writer_module_is_listed_once() -> None:
    """A module defining an ``export_*`` writer must be in :func:`exporters` (no registry finds it any more)."""
    listed = exporters()
    writers = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"redthread.export.{info.name}")
        writers.update({f"{mod.__name__}.{n}": getattr(mod, n) for n in dir(mod)
                        if n.startswith("export_") and getattr(getattr(mod, n), "__module__", "") == mod.__name__})
    assert sorted(f"{fn.__module__}.{fn.__name__}" for fn in listed.values()) == sorted(writers)
    assert {"ftm", "csv", "bods", "graphml", "gexf", "neo4j", "ftm-trade"} == set(listed)
    assert getattr(listed["neo4j"], "folder", None) is not None  # the one writer of a folder keeps saying so
