"""A case: one store opened once from its URL, and everything kept beside it.

The CLI and the API used to open a store and then let each feature find its
own neighbours: the key ring and the monitoring tables were built from the
store anew, and the trade table, screening indexes and review candidates each
re-parsed the store URL into a folder. A :class:`Case` owns all of them, so
wiring is explicit: a command opens one case and closes it on exit; the API
hands each request its thread's case through a dependency
(:func:`redthread.api.deps.get_case`).

A load through the case (:meth:`Case.load`) is followed by the monitor's
after-load step (re-screening every watchlist), called here rather than
registered with the ingest driver, so what follows a load is read in one place.

The folder layout is :mod:`redthread.store.layout`'s (one URL parse); the
side tables are reached through the store's public side-table interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any

from redthread import settings
from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.ingest.base import expand
from redthread.keys import KeyRing
from redthread.monitor import hook
from redthread.monitor.tables import MonitorDB
from redthread.store import LoadResult, Store, open_store
from redthread.store.layout import Layout, layout


class Case:
    """The store at one URL, its key ring, its monitoring tables and its folders.

    Parts are made on first use: a command that only reads statements never
    creates the key or monitoring tables.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.layout: Layout = layout(store.url)

    @property
    def url(self) -> str:
        return self.store.url

    @cached_property
    def keys(self) -> KeyRing:
        """API keys and roles (the ``api_keys`` table, created on first use)."""
        return KeyRing(self.store)

    @cached_property
    def monitor(self) -> MonitorDB:
        """The monitoring tables (created on first use)."""
        return MonitorDB(self.store)

    @property
    def trade_dir(self) -> Path:
        """The trade records' Parquet folder."""
        return self.layout.trade

    @property
    def screen_dir(self) -> Path | None:
        """The screening indexes' folder; ``None`` when none is kept on disk (in memory, or the cache is off)."""
        return self.layout.screen if settings.screen_cache() else None

    @property
    def xref_dir(self) -> Path | None:
        """The review candidates' folder; ``None`` when none is kept on disk."""
        return self.layout.xref if settings.screen_cache() else None

    def load(self, paths: Iterable[Path | str], dataset: str, fmt: str | None = None, *,
             atomic: bool = False, **options: Any) -> tuple[list[LoadResult], list[InputError]]:
        """Load ``paths`` into ``dataset`` (:func:`redthread.ingest.ingest`'s options), then run
        :meth:`after_load`. The loads are committed first: a failing re-screen never undoes them.

        Each file is its own transaction by default: files are usually separate
        sources, and a bad file 39 of 40 should not cost the 38 good ones (a
        re-run skips what is already stored, byte for byte). With ``atomic`` the
        files (folders expanded) are one unit of work: all commit together, or,
        when one fails, none is stored, for files that are parts of one release
        (entities in one, their links in another). Customs files commit on their
        own (their Parquet parts are published after the commit) and are refused
        in a multi-file atomic load.
        """
        files = [Path(p) for p in paths]
        if atomic and len(list(expand(files, fmt))) > 1:
            with self.store.unit_of_work():
                results, errors = ingest(self.store, files, dataset, fmt, **options)
        else:
            results, errors = ingest(self.store, files, dataset, fmt, **options)
        self.after_load(results)
        return results, errors

    def after_load(self, results: list[LoadResult]) -> list[Any]:
        """What follows a load: the monitor re-screens every watchlist when the load changed the store.

        Returns the re-screening runs (also kept in :data:`redthread.monitor.hook.LAST`)."""
        return hook.after_load(self.store, results)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Case({getattr(self.store, 'safe_url', self.url)!r})"


def open_case(url: str | None = None) -> Case:
    """Open the case whose store is at ``url`` (default: ``REDTHREAD_STORE`` or embedded SQLite)."""
    return Case(open_store(url))
