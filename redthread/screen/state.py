"""What screening knows about a store's current content, worked out once per change.

A one-query ``/match`` must not recount every dataset's entities and
statements to check a dataset name, assemble each hit's entity from its
statements again, or reload the graph to tell whether a hit is sanctioned.
All of that depends only on the store's content, which
:func:`~redthread.screen.persist.content_digest` names (every load and
judgement): so it is kept here per store URL and digest, and a new load or
judgement starts afresh. Entities are kept in a bounded LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from redthread.model.entity import Entity, assemble
from redthread.model.statement import Statement
from redthread.screen.persist import load, save, status_path_for
from redthread.screen.status import ListingStatus, listing_status
from redthread.store import Store

#: Assembled hit entities kept per store.
ENTITY_CACHE = 20_000


@dataclass
class StoreState:
    """Per-content facts of one store."""

    digest: str
    datasets: frozenset[str]
    _entities: OrderedDict[str, Entity | None] = field(default_factory=OrderedDict)
    _status: ListingStatus | None = None
    _cmap: dict[str, str] | None = None
    _merged: dict[str, list[str]] = field(default_factory=dict)
    #: The one dataset all the store's statements are in ("" when there are several or none; None: not read yet).
    _sole: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def entity(self, store: Store, entity_id: str) -> Entity | None:
        """The assembled entity (from the cache while the content stays the same)."""
        with self._lock:
            if entity_id in self._entities:
                self._entities.move_to_end(entity_id)
                return self._entities[entity_id]
        ent = store.entity(entity_id)
        with self._lock:
            self._entities[entity_id] = ent
            while len(self._entities) > ENTITY_CACHE:
                self._entities.popitem(last=False)
        return ent

    def entities(self, store: Store, entity_ids: list[str]) -> dict[str, Entity | None]:
        """Several assembled entities: those not in the cache read in one batch of statements.

        A query's hits are assembled together (one read instead of one per
        hit), each exactly as :meth:`Store.entity` assembles it: the
        statements of every id resolved to the same canonical entity.
        """
        out: dict[str, Entity | None] = {}
        missing: list[str] = []
        with self._lock:
            for eid in dict.fromkeys(entity_ids):
                if eid in self._entities:
                    self._entities.move_to_end(eid)
                    out[eid] = self._entities[eid]
                else:
                    missing.append(eid)
        if not missing:
            return out
        cmap = self._canonical(store)
        canonical = {eid: cmap.get(eid, eid) for eid in missing}
        members = {m for cid in canonical.values() for m in self._members(cmap, cid)}
        groups: dict[str, list[Statement]] = {}
        for stmt in store.statements(sorted(members)):
            groups.setdefault(cmap.get(stmt.entity_id, stmt.entity_id), []).append(stmt)
        with self._lock:
            for eid, cid in canonical.items():
                ent = assemble(groups.get(cid, []), entity_id=cid)
                out[eid] = self._entities[eid] = ent
            while len(self._entities) > ENTITY_CACHE:
                self._entities.popitem(last=False)
        return out

    def _canonical(self, store: Store) -> dict[str, str]:
        """The store's canonical map (read once per content: judgements change the digest)."""
        if self._cmap is None:
            cmap = store.canonical_map()
            members: dict[str, list[str]] = {}
            for eid, cid in cmap.items():
                members.setdefault(cid, []).append(eid)
            self._cmap, self._merged = cmap, members
        return self._cmap

    def _members(self, cmap: dict[str, str], cid: str) -> list[str]:
        return [cid, *self._merged.get(cid, ())]

    def index_scope(self, store: Store, scope: str | None) -> str | None:
        """The index that answers for ``scope``: None (the whole store's) when ``scope`` covers the store.

        yente clients name a dataset in ``/match/{dataset}``; when every
        statement of the store is in that dataset, its index would hold
        exactly the entities of the whole-store index (the same statements,
        assembled the same way), so the whole-store index, the one
        ``redthread serve`` warms, answers: the same results, no second index
        in memory, no cold build on the first such request. Read once per
        content (one grouped count of the statements).
        """
        if scope is None:
            return None
        if self._sole is None:
            names = {d.name for d in store.datasets()}
            self._sole = next(iter(names)) if len(names) == 1 else ""
        return None if scope == self._sole else scope

    @property
    def scopes_known(self) -> bool:
        """Whether :meth:`index_scope` answers from memory (no count of the statements)."""
        return self._sole is not None

    @property
    def status_loaded(self) -> bool:
        """Whether :meth:`status` answers from memory (no file read, no graph load)."""
        return self._status is not None

    def status(self, store: Store) -> ListingStatus:
        """Sanctions and 50 %-rule blocks (read from disk, or computed on first use and kept there).

        Working them out loads the whole graph (seconds on a sanctions list):
        a restarted server reads the file the index build or an earlier
        process wrote for the same content instead (:func:`~redthread.screen.persist.status_path_for`).
        """
        if self._status is None:
            path = status_path_for(store, self.digest)
            computed = load(path, ListingStatus) if path is not None else None
            if computed is None:
                computed = listing_status(store)
                if path is not None:
                    save(path, computed)
            with self._lock:
                if self._status is None:
                    self._status = computed
        assert self._status is not None
        return self._status


_STATES: dict[str, StoreState] = {}
_LOCK = threading.Lock()


def store_state(store: Store) -> StoreState:
    """The state of ``store``'s current content (one read of its loads and judgements)."""
    from redthread.screen.persist import content_digest

    digest = content_digest(store)
    with _LOCK:
        state = _STATES.get(store.url)
        if state is not None and state.digest == digest:
            return state
    datasets = frozenset(str(row["dataset"]) for row in store.loads())
    state = StoreState(digest, datasets)
    with _LOCK:
        _STATES[store.url] = state
    return state


def clear() -> None:
    with _LOCK:
        _STATES.clear()
