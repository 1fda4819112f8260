"""What a dossier is about, and what each of its sections holds.

Apart from :mod:`redthread.report.sections` (the list of sections) so that
the sentence writer of the first page (:mod:`redthread.report.brief`) and the
sections can share these types without importing each other.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from redthread.model.entity import Entity
from redthread.report.network import Network, cached_network, neighbourhood
from redthread.store import Store

if TYPE_CHECKING:
    from redthread.model.analysis import OwnershipTree


@dataclass
class Subject:
    """What a dossier is about: one entity, or the whole case (``entity_id`` None)."""

    store: Store
    entity_id: str | None
    network: Network
    entity: Entity | None = None
    _graph: Any = None

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call an analysis, handing it the shared analytics graph when it takes one
        (so the store is read into a graph once per dossier, not once per section)."""
        if "graph" in inspect.signature(fn).parameters:
            if self._graph is None:
                self._graph = capability("redthread.analyze.graph", "load_graph")(self.store)
            kwargs["graph"] = self._graph
        return fn(*args, **kwargs)

    @property
    def ids(self) -> set[str]:
        """The entity and its neighbours (the whole network for a case)."""
        if self.entity_id is None:
            return set(self.network.nodes)
        return set(neighbourhood(self.network, self.entity_id, depth=1).nodes) | {self.entity_id}


class Quote(TypedDict):
    """A quoted sentence behind a fact, as the evidence section lists it."""

    entity: str  # the entity's caption (its id when it has none)
    prop: str
    value: str
    quote: str
    dataset: str
    source: str  # the document's title, else its source id
    where: str | None  # ``chars a–b``, else the record's location
    hedge: str


@dataclass
class Section:
    key: str
    title: str
    note: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    svg: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    tree: OwnershipTree | None = None
    quotes: list[Quote] = field(default_factory=list)
    #: Plain sentences (the first page's brief).
    sentences: list[str] = field(default_factory=list)


Builder = Callable[[Subject, Section], None]


class NotInstalled(Exception):
    """The capability behind a section is not part of this installation."""


def capability(module: str, name: str) -> Callable[..., Any]:
    """A library function from another capability, or :class:`NotInstalled`."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise NotInstalled(module) from exc
    fn = getattr(mod, name, None)
    if fn is None:
        raise NotInstalled(f"{module}.{name}")
    return fn  # type: ignore[no-any-return]



def subject_for(store: Store, entity_id: str | None) -> Subject:
    net = cached_network(store)
    entity = store.entity(entity_id) if entity_id else None
    return Subject(store, store.canonical_id(entity_id) if entity_id else None, net, entity)
