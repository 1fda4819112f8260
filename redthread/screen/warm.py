"""Warming the screening path of a fresh server, so its first real ``/match`` is fast.

A process that has just started has the screening index on disk but not in
memory, rigour's person-name tagger not built (seconds in its Rust core) and
nomenklatura's matching package (scikit-learn) not imported. Whichever
request met them first paid for all of them: 16-21 s of CPU on the shared
machine for the first ``/match`` of the 2021 OFAC list. ``redthread serve``
therefore runs :func:`warm` on a background thread as it starts
(:func:`start`), and ``/readyz`` says ``warming`` until it is done, so a
client or load balancer that waits for readiness meets a warm server.

The warm-up runs the real path, not a list of imports that could drift from
it: :func:`~redthread.screen.matching.match` on the whole store with a few
queries, some made up (a person in Latin and in Cyrillic script, a firm)
and some taken from the index itself (its first person and its first other
entity, whatever the store holds), so that candidates are found and scored
with every opinion the scorer asks for. The catalog's named datasets are
warmed too (:func:`collections`), so ``/match/{dataset}`` is as fast as
``/match/default``. Everything it loads is kept per
process (the index and store state per store URL and content), so the
request threads find it ready.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from redthread.screen.filters import NO_FILTERS

if TYPE_CHECKING:
    from redthread.screen.index import ScreeningIndex
    from redthread.screen.state import StoreState
    from redthread.store import Store

log = logging.getLogger(__name__)

WarmState = Literal["warming", "ready", "failed"]

#: Made-up queries: a person with a birth date, the same kind of name in Cyrillic, a firm with a legal form.
MADE_UP: dict[str, tuple[str, dict[str, list[str]]]] = {
    "person": ("Person", {"name": ["Maria Elena Castellano"], "birthDate": ["1970-01-01"]}),
    "cyrillic": ("Person", {"name": ["Мария Кастеллано"]}),
    "firm": ("Organization", {"name": ["Northwind Harbour Trading LLC"], "country": ["cy"]}),
}


@dataclass
class Warmup:
    """A warm-up under way or finished: what ``/readyz`` reports."""

    state: WarmState = "warming"
    #: Seconds the warm-up took (once finished).
    seconds: float | None = None
    #: Why it failed (the server still answers; the first request pays what was not warmed).
    error: str | None = None
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def ready(self) -> bool:
        """Finished, well or not: a failed warm-up must not keep the server out of service forever."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until finished (or ``timeout`` seconds); whether it finished."""
        return self._done.wait(timeout)

    def finish(self, state: WarmState, seconds: float, error: str | None = None) -> None:
        self.state, self.seconds, self.error = state, seconds, error
        self._done.set()


def queries_for(index: ScreeningIndex) -> dict[str, dict[str, object]]:
    """The warm-up queries: :data:`MADE_UP` and the index's first person and first other entity."""
    out: dict[str, dict[str, object]] = {
        name: {"schema": schema, "properties": props} for name, (schema, props) in MADE_UP.items()}
    found: dict[str, int] = {}
    for n in range(len(index)):
        label = "listed_person" if index.schema_of(n) == "Person" else "listed_other"
        if label not in found and index.captions[n]:
            found[label] = n
            if len(found) == 2:
                break
    for label, n in found.items():
        out[label] = {"schema": index.schema_of(n), "properties": {"name": [index.captions[n]]}}
    return out


#: Most single-dataset indexes a warm-up loads (each is a second index in memory beside the whole store's).
WARM_DATASETS = 8


def collections(store: Store, state: StoreState) -> list[str]:
    """The datasets ``/catalog`` lists whose ``/match/{dataset}`` needs an index of its own, at most :data:`WARM_DATASETS`.

    yente clients name a collection: ``default`` and ``sanctions`` are the
    whole store, and a dataset that holds every statement of the store is
    answered by the whole-store index too (:meth:`StoreState.index_scope`,
    read here so a request does not count the statements); any other
    dataset of the catalog gets its index loaded (or built and kept on disk)
    now (the first :data:`WARM_DATASETS` by name), so the first request naming it is fast too.
    """
    named = [name for name in sorted(state.datasets) if state.index_scope(store, name) is not None]
    return named[:WARM_DATASETS]


def warm(store_url: str) -> None:
    """Load and exercise everything a ``/match`` of the whole store needs (see the module docstring)."""
    from redthread.screen.index import index_for
    from redthread.screen.matching import match
    from redthread.screen.state import store_state
    from redthread.store import open_store

    store = open_store(store_url)
    try:
        state = store_state(store)
        index = index_for(store, None, digest=state.digest)
        state.status(store)
        match(store, queries_for(index), limit=5, filters=NO_FILTERS)
        for name in collections(store, state):
            index_for(store, name, digest=state.digest)
    finally:
        store.close()


def start(store_url: str) -> Warmup:
    """:func:`warm` on a daemon thread (a server stopping does not wait for it); its progress."""
    warmup = Warmup()

    def run() -> None:
        began = time.perf_counter()
        try:
            warm(store_url)
        except Exception as err:  # the server still answers: the first request pays instead
            log.warning("screening warm-up failed: %s", err)
            warmup.finish("failed", time.perf_counter() - began, f"{type(err).__name__}: {err}")
            return
        took = time.perf_counter() - began
        log.info("screening warmed in %.1f s", took)
        warmup.finish("ready", took)

    threading.Thread(target=run, name="screening-warm-up", daemon=True).start()
    return warmup
