"""Ingest: one loader per input format, registered by name.

``ingest(store, paths, dataset)`` finds the loader for each path (by
``--format`` or by sniffing the content), turns the file into statement
batches and writes each file in one transaction: a file with a bad record is
refused whole (``file:line: reason``) unless ``skip_errors`` is set, in which
case the good records load and every bad one is reported.
"""

from __future__ import annotations

from redthread.ingest.base import (
    IngestContext,
    Loader,
    get_loader,
    ingest,
    loaders,
    register,
    sniff_loader,
)

__all__ = ["IngestContext", "Loader", "get_loader", "ingest", "loaders", "register", "sniff_loader"]
