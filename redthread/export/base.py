"""The export formats: an explicit list of name -> writer.

Each writer module is imported when the formats are asked for (some pull in
networkx or the report's network), so importing :mod:`redthread.export` stays
cheap; the writers themselves know nothing of this list (no registry to
register with, no import back here). A new format is a module with an
:data:`ExportFn` and one line in :func:`exporters`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from redthread.errors import RedthreadError
from redthread.store import Store

ExportFn = Callable[[Store, TextIO, "str | None"], int]


def exporters() -> dict[str, ExportFn]:
    """Every export format by name (a writer may carry ``folder``: it writes several files)."""
    from redthread.export.bods import export_bods
    from redthread.export.csv import export_csv
    from redthread.export.ftm import export_ftm
    from redthread.export.ftm_trade import export_ftm_trade
    from redthread.export.gexf import export_gexf
    from redthread.export.graphml import export_graphml
    from redthread.export.neo4j import export_neo4j

    return {
        "bods": export_bods,
        "csv": export_csv,
        "ftm": export_ftm,
        "ftm-trade": export_ftm_trade,
        "gexf": export_gexf,
        "graphml": export_graphml,
        "neo4j": export_neo4j,
    }


def export(store: Store, fmt: str, out: TextIO, dataset: str | None = None) -> int:
    """Write the store (or one dataset) to ``out``; returns the count written."""
    fns = exporters()
    if fmt not in fns:
        raise RedthreadError(f"unknown export format {fmt!r}; known: {', '.join(sorted(fns))}")
    return fns[fmt](store, out, dataset)
