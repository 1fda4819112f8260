"""The store interface every backend implements.

A store holds provenance statements, the record of every load, source
documents (so spans can be shown in context) and resolution judgements.
Entities are assembled from statements on read. Backends are picked by URL
(see :func:`redthread.store.open_store`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from redthread.model import Statement, assemble


@dataclass
class Document:
    """A source document: its text is kept so spans can be shown in context."""

    id: str
    dataset: str
    title: str = ""
    path: str = ""
    mime: str = "text/plain"
    publisher: str = ""
    published_at: str = ""
    text: str = ""


@dataclass
class LoadBatch:
    """Everything one input (a file, a record set) contributes to a dataset.

    ``source`` scopes history: on reload, active statements of the same
    dataset and source that the new batch no longer contains are marked
    removed. With ``replace_dataset`` the scope is the whole dataset.
    """

    dataset: str
    source: str
    statements: list[Statement]
    content_hash: str = ""
    origin: str = ""
    documents: list[Document] = field(default_factory=list)
    replace_dataset: bool = False
    #: A change set, not a snapshot (OpenSanctions delta files): history is
    #: scoped to the entities the batch names, in any source of the dataset,
    #: and ``deleted`` entities have every live statement marked removed.
    #: Values of an entity already stored keep that entity's source, so an
    #: unchanged value stays one live statement with its first_seen.
    entity_scope: bool = False
    deleted: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    dataset: str
    source: str
    added: int = 0
    kept: int = 0
    removed: int = 0
    unchanged: bool = False
    #: Entities (not values) that are new, that vanished, and that kept some
    #: values but gained or lost others: what a list update did, in entries.
    entities_added: int = 0
    entities_removed: int = 0
    entities_changed: int = 0


@dataclass
class DatasetInfo:
    name: str
    entities: int
    statements: int
    removed: int
    sources: int
    last_load: str | None


@dataclass
class Judgement:
    left_id: str
    right_id: str
    judgement: str  # positive | negative | unsure
    user: str
    created_at: str
    score: float | None = None


class Store(abc.ABC):
    """Narrow interface over a statement store."""

    url: str

    # -- writing -------------------------------------------------------
    @abc.abstractmethod
    def write(self, batch: LoadBatch) -> LoadResult:
        """Apply one load atomically: all of it, or nothing."""

    @abc.abstractmethod
    def write_many(self, batches: Sequence[LoadBatch]) -> list[LoadResult]:
        """Apply several loads in one transaction."""

    # -- reading -------------------------------------------------------
    @abc.abstractmethod
    def statements(
        self,
        entity_ids: Iterable[str] | None = None,
        dataset: str | None = None,
        include_removed: bool = False,
        prop_type: str | None = None,
        values: Iterable[str] | None = None,
    ) -> Iterator[Statement]:
        """Statements, filtered; ordered by entity id."""

    @abc.abstractmethod
    def canonical_map(self) -> dict[str, str]:
        """entity id -> canonical id, for every resolved entity."""

    @abc.abstractmethod
    def search(self, text: str, limit: int = 20) -> list[str]:
        """Canonical ids of entities whose names contain ``text``."""

    @abc.abstractmethod
    def datasets(self) -> list[DatasetInfo]: ...

    @abc.abstractmethod
    def loads(self, dataset: str | None = None) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]: ...

    # -- documents -----------------------------------------------------
    @abc.abstractmethod
    def document(self, doc_id: str) -> Document | None: ...

    @abc.abstractmethod
    def documents(self, dataset: str | None = None) -> list[Document]: ...

    # -- resolution ----------------------------------------------------
    @abc.abstractmethod
    def add_judgement(self, judgement: Judgement) -> None:
        """Record a judgement; positive ones merge canonical ids."""

    @abc.abstractmethod
    def judgements(self) -> list[Judgement]: ...

    @abc.abstractmethod
    def remove_judgement(self, left_id: str, right_id: str) -> bool:
        """Undo a judgement (and the merge it made). True if one existed."""

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- derived (backend-independent) ------------------------------------
    @contextmanager
    def resolution_snapshot(self) -> Iterator[None]:
        """Read the canonical-id map once for a burst of lookups.

        Inside the block, ``members``/``canonical_id``/``entity`` use one
        snapshot of the resolution instead of re-reading it per call.
        """
        outer = getattr(self, "_cmap_snapshot", None)
        if outer is None:
            self._cmap_snapshot: dict[str, str] | None = self.canonical_map()
        try:
            yield
        finally:
            if outer is None:
                self._cmap_snapshot = None

    def _cmap(self) -> dict[str, str]:
        snap = getattr(self, "_cmap_snapshot", None)
        return snap if snap is not None else self.canonical_map()

    def members(self, entity_id: str) -> list[str]:
        """All entity ids that resolve to the same canonical entity."""
        cmap = self._cmap()
        cid = cmap.get(entity_id, entity_id)
        ids = {cid, entity_id}
        ids.update(k for k, v in cmap.items() if v == cid)
        return sorted(ids)

    def canonical_id(self, entity_id: str) -> str:
        return self._cmap().get(entity_id, entity_id)

    def entity(self, entity_id: str, include_removed: bool = False) -> dict[str, Any] | None:
        """One assembled entity (resolution applied), or None."""
        cid = self.canonical_id(entity_id)
        stmts = list(self.statements(self.members(cid), include_removed=include_removed))
        return assemble(stmts, entity_id=cid)

    def entity_statements(self, entity_id: str, include_removed: bool = True) -> list[Statement]:
        return list(self.statements(self.members(entity_id), include_removed=include_removed))

    def entities(self, dataset: str | None = None, schemata: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """Stream assembled entities, grouped by canonical id."""
        cmap = self.canonical_map()
        wanted = set(schemata) if schemata else None
        groups: dict[str, list[Statement]] = {}
        # Statements arrive ordered by entity id; merged groups may span
        # several ids, so merged ones are held back until the end.
        current: str | None = None
        batch: list[Statement] = []

        def flush() -> Iterator[dict[str, Any]]:
            if batch:
                ent = assemble(batch, entity_id=current)
                if ent is not None and (wanted is None or ent["schema"] in wanted):
                    yield ent

        for stmt in self.statements(dataset=dataset):
            cid = cmap.get(stmt.entity_id)
            if cid is not None:
                groups.setdefault(cid, []).append(stmt)
                continue
            if stmt.entity_id != current:
                yield from flush()
                current = stmt.entity_id
                batch = []
            batch.append(stmt)
        yield from flush()
        for cid, stmts in groups.items():
            ent = assemble(stmts, entity_id=cid)
            if ent is not None and (wanted is None or ent["schema"] in wanted):
                yield ent

    def referencing(self, entity_id: str) -> list[Statement]:
        """Active statements elsewhere whose entity-typed value points here."""
        ids = self.members(entity_id)
        return [s for s in self.statements(prop_type="entity", values=ids)]
