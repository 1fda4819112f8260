"""The store interface every backend implements.

A store holds provenance statements, the record of every load, source
documents (so spans can be shown in context) and resolution judgements.
Entities are assembled from statements on read. Backends are picked by URL
(see :func:`redthread.store.open_store`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from redthread.errors import StoreError
from redthread.model.statement import Statement

if TYPE_CHECKING:  # assembling entities needs followthemoney, which a store's users that write only do not
    from redthread.model.entity import Entity


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
    #: Side files of this load (e.g. customs records) to publish once the store has committed it,
    #: or discard if it did not: anything with ``write_journal(content_hash, after_load)``,
    #: ``publish()`` and ``discard()`` (see :class:`redthread.trade.table.Staged`).
    staged: Any = None
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


class LoadRecord(TypedDict):
    """One row of the store's load log (:meth:`Store.loads`), oldest first."""

    id: int
    dataset: str
    source: str
    content_hash: str
    origin: str
    loaded_at: str
    added: int
    kept: int
    removed: int
    unchanged: int  # 1 when the file was the same as the last load of its source
    entities_added: int
    entities_removed: int
    entities_changed: int


class StoreStats(TypedDict):
    """Counts over the store (:meth:`Store.stats`)."""

    statements: int
    removed_statements: int
    entities: int
    datasets: int
    documents: int
    resolved_entities: int
    schemata: dict[str, int]


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


#: Statement columns a bulk read may ask for (``statement id`` is ``id``).
BULK_COLUMNS = (
    "id", "entity_id", "schema", "prop", "value", "dataset", "source", "location", "span_start",
    "span_end", "quote", "original_value", "lang", "origin", "confidence", "hedge", "first_seen",
    "last_seen",
)


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The requested columns, refusing any that is not a statement column (they reach SQL)."""
    bad = [c for c in columns if c not in BULK_COLUMNS]
    if bad:
        raise ValueError(f"unknown statement column(s) {bad}; known: {', '.join(BULK_COLUMNS)}")
    return tuple(columns)


class TableCursor(Protocol):
    """The cursor of one side-table write transaction (:meth:`Store.transaction`).

    SQL is written once with ``?`` placeholders; the store translates them for
    its dialect, so callers never see which database they write to.
    """

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Insert one row and return its generated ``id``."""
        ...


class Store(abc.ABC):
    """Narrow interface over a statement store.

    Besides statements, features keep their own tables in the store's database
    (API keys, monitoring). They reach them only through the side-table
    methods below (:meth:`query`, :meth:`execute`, :meth:`transaction`,
    :meth:`has_tables`), never through a connection: the store alone knows its
    connection, its placeholder style and its locking.
    """

    url: str

    # -- writing -------------------------------------------------------
    @abc.abstractmethod
    def write(self, batch: LoadBatch) -> LoadResult:
        """Apply one load atomically: all of it, or nothing."""

    @abc.abstractmethod
    def write_many(self, batches: Sequence[LoadBatch]) -> list[LoadResult]:
        """Apply several loads in one transaction."""

    def unit_of_work(self) -> AbstractContextManager[None]:
        """Every write inside (loads, judgements, side tables) commits together at the end, or none does.

        What a multi-file load uses (:meth:`redthread.case.Case.load` with
        ``atomic``): a bad second file leaves nothing of the first stored. It
        holds the write lock for its whole length, so other writers wait.
        """
        raise StoreError(f"{type(self).__name__} has no unit of work")

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
    def loads(self, dataset: str | None = None) -> list[LoadRecord]: ...

    @abc.abstractmethod
    def stats(self) -> StoreStats: ...

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

    # -- side tables (keys, monitoring): SQL with ``?`` placeholders ----------
    @property
    def dialect_name(self) -> str:
        """``"sqlite"`` or ``"postgresql"``: side-table DDL differs a little (triggers)."""
        raise self._no_tables()

    @property
    def serial_key(self) -> str:
        """The DDL of an auto-increment ``id`` primary key in this dialect."""
        raise self._no_tables()

    def _no_tables(self) -> Exception:
        from redthread.errors import ConfigError

        return ConfigError(f"side tables (API keys, monitoring) need a SQL store; {self.url!r} is not one")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read query; the connection stays usable if it fails."""
        raise self._no_tables()

    def has_tables(self, *tables: str) -> bool:
        """True when every table named exists (a read: never takes the write lock)."""
        raise self._no_tables()

    def execute(self, sql: str, params: Sequence[Any] = (), *, best_effort: bool = False) -> int:
        """One small write in its own short transaction; the number of rows it changed.

        Not the load transaction: that one serialises loaders, which a key
        check on every API request must never wait for. ``best_effort``: when
        another writer holds the database, skip (return 0) instead of waiting.
        """
        raise self._no_tables()

    def transaction(self) -> AbstractContextManager[TableCursor]:
        """The store's write transaction over side tables: all of it commits, or none.

        It serialises with loads, so a reader of the statements inside it sees
        a list version whole.
        """
        raise self._no_tables()

    # -- bulk reads (analytics) -------------------------------------------
    def rows(
        self,
        columns: Sequence[str],
        props: Iterable[str],
        *,
        schemata: Iterable[str] | None = None,
        skip_schemata: Iterable[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Active statements of ``props`` as plain tuples of ``columns``, in no particular order.

        This is the one way analytics read many statements at once: through
        the store's own connection, never by opening its database a second
        time (a second SQLite library on the live file deletes the WAL under
        a running server). Backends override it with one streamed query; this
        fallback walks :meth:`statements`.
        """
        cols = check_columns(columns)
        wanted = set(props)
        only = set(schemata) if schemata is not None else None
        skip = set(skip_schemata or ())
        for s in self.statements():
            if s.prop in wanted and s.schema not in skip and (only is None or s.schema in only):
                yield tuple(getattr(s, c) for c in cols)

    def table(
        self,
        columns: Sequence[str],
        props: Iterable[str],
        *,
        schemata: Iterable[str] | None = None,
        skip_schemata: Iterable[str] | None = None,
        chunk: int = 50_000,
    ) -> Any:
        """:meth:`rows` as one Arrow table (built chunk by chunk, so no row list is ever whole)."""
        import pyarrow as pa

        cols = check_columns(columns)
        schema = pa.schema([(c, pa.float64() if c == "confidence" else
                             pa.int64() if c in ("span_start", "span_end") else pa.string()) for c in cols])
        batches: list[Any] = []
        buffer: list[tuple[Any, ...]] = []

        def flush() -> None:
            if buffer:
                arrays = [pa.array(list(col), type=f.type) for col, f in zip(zip(*buffer, strict=True), schema,
                                                                             strict=True)]
                batches.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
                buffer.clear()

        for row in self.rows(cols, props, schemata=schemata, skip_schemata=skip_schemata):
            buffer.append(row)
            if len(buffer) >= chunk:
                flush()
        flush()
        return pa.Table.from_batches(batches, schema=schema)

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

    def _resolution_token(self) -> object | None:
        """A cheap value that changes whenever the resolution does (in any process), or None.

        With a token, the canonical map and its clusters are read once per
        change instead of once per :meth:`members` call; a backend without
        one (None) reads them every time.
        """
        return None

    def _forget_resolution(self) -> None:
        """Drop the cached resolution (called on this store's writes and judgements)."""
        self._resolution_cache: tuple[object, dict[str, str], dict[str, list[str]]] | None = None

    def _resolution(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """The canonical map and its inverse (canonical id -> member ids), cached per change."""
        snap = getattr(self, "_cmap_snapshot", None)
        if snap is not None:
            held = getattr(self, "_snapshot_clusters", None)
            if held is None or held[0] is not snap:
                held = self._snapshot_clusters = (snap, _clusters(snap))
            return snap, held[1]
        token = self._resolution_token()
        cached = getattr(self, "_resolution_cache", None)
        if token is not None and cached is not None and cached[0] == token:
            return cached[1], cached[2]
        # Read after the token: a change in between is cached under the old token and re-read next call.
        cmap = self.canonical_map()
        clusters = _clusters(cmap)
        if token is not None:
            self._resolution_cache = (token, cmap, clusters)
        return cmap, clusters

    def _cmap(self) -> dict[str, str]:
        return self._resolution()[0]

    def members(self, entity_id: str) -> list[str]:
        """All entity ids that resolve to the same canonical entity."""
        cmap, clusters = self._resolution()
        cid = cmap.get(entity_id, entity_id)
        ids = {cid, entity_id}
        ids.update(clusters.get(cid, ()))
        return sorted(ids)

    def canonical_id(self, entity_id: str) -> str:
        return self._cmap().get(entity_id, entity_id)

    def entity(self, entity_id: str, include_removed: bool = False) -> Entity | None:
        """One assembled entity (resolution applied), or None: an :class:`~redthread.model.entity.Entity`,
        so readers get typed accessors and, through ``proxy()``, FtM's ``StatementEntity``."""
        from redthread.model.entity import assemble

        cid = self.canonical_id(entity_id)
        stmts = list(self.statements(self.members(cid), include_removed=include_removed))
        return assemble(stmts, entity_id=cid)

    def entity_statements(self, entity_id: str, include_removed: bool = True) -> list[Statement]:
        return list(self.statements(self.members(entity_id), include_removed=include_removed))

    def entities(self, dataset: str | None = None, schemata: Iterable[str] | None = None) -> Iterator[Entity]:
        """Stream assembled entities, grouped by canonical id."""
        from redthread.model.entity import assemble

        cmap = self.canonical_map()
        wanted = set(schemata) if schemata else None
        groups: dict[str, list[Statement]] = {}
        # Statements arrive ordered by entity id; merged groups may span
        # several ids, so merged ones are held back until the end.
        current: str | None = None
        batch: list[Statement] = []

        def flush() -> Iterator[Entity]:
            if batch:
                ent = assemble(batch, entity_id=current)
                if ent is not None and (wanted is None or ent.schema in wanted):
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
            if ent is not None and (wanted is None or ent.schema in wanted):
                yield ent

    def referencing(self, entity_id: str) -> list[Statement]:
        """Active statements elsewhere whose entity-typed value points here."""
        ids = self.members(entity_id)
        return [s for s in self.statements(prop_type="entity", values=ids)]


def _clusters(cmap: dict[str, str]) -> dict[str, list[str]]:
    """canonical id -> the entity ids resolving to it (the inverse of a canonical map)."""
    out: dict[str, list[str]] = {}
    for entity_id, canonical in cmap.items():
        out.setdefault(canonical, []).append(entity_id)
    return out
