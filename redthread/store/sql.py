"""One SQL implementation of the store, shared by SQLite and PostgreSQL.

Backends differ only in how they connect, their placeholder style and a few
DDL words (see :class:`Dialect`); every query is written once here.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, cast

from followthemoney.statement.util import get_prop_type

from redthread.errors import InputError, StoreError
from redthread.model import Statement, now_iso
from redthread.model.statement import BASE
from redthread.store.base import (
    DatasetInfo,
    Document,
    Judgement,
    LoadBatch,
    LoadRecord,
    LoadResult,
    Store,
    StoreStats,
    TableCursor,
    check_columns,
)

STATEMENT_COLUMNS = (
    "id", "entity_id", "schema", "prop", "prop_type", "value", "dataset", "source",
    "location", "span_start", "span_end", "quote", "original_value", "lang", "origin",
    "confidence", "hedge", "first_seen", "last_seen", "removed_at",
)
_SELECT = ", ".join(c for c in STATEMENT_COLUMNS if c != "prop_type")
_CHUNK = 500


@dataclass(frozen=True)
class Dialect:
    name: str
    param: str  # "?" or "%s"
    serial: str  # auto-increment primary key DDL


def schema_ddl(d: Dialect) -> list[str]:
    return [
        """CREATE TABLE IF NOT EXISTS statements (
            id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, schema TEXT NOT NULL,
            prop TEXT NOT NULL, prop_type TEXT NOT NULL, value TEXT NOT NULL,
            dataset TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '', span_start INTEGER, span_end INTEGER,
            quote TEXT, original_value TEXT, lang TEXT, origin TEXT NOT NULL DEFAULT '',
            confidence REAL NOT NULL DEFAULT 1.0, hedge TEXT,
            first_seen TEXT, last_seen TEXT, removed_at TEXT)""",
        "CREATE INDEX IF NOT EXISTS ix_stmt_entity ON statements (entity_id)",
        "CREATE INDEX IF NOT EXISTS ix_stmt_scope ON statements (dataset, source)",
        "CREATE INDEX IF NOT EXISTS ix_stmt_type_value ON statements (prop_type, value)",
        f"""CREATE TABLE IF NOT EXISTS loads (
            id {d.serial}, dataset TEXT NOT NULL, source TEXT NOT NULL,
            content_hash TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '',
            loaded_at TEXT NOT NULL, added INTEGER NOT NULL, kept INTEGER NOT NULL,
            removed INTEGER NOT NULL, unchanged INTEGER NOT NULL DEFAULT 0,
            entities_added INTEGER NOT NULL DEFAULT 0, entities_removed INTEGER NOT NULL DEFAULT 0,
            entities_changed INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS ix_loads_scope ON loads (dataset, source)",
        """CREATE TABLE IF NOT EXISTS documents (
            id TEXT PRIMARY KEY, dataset TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '', mime TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '', published_at TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '')""",
        """CREATE TABLE IF NOT EXISTS judgements (
            left_id TEXT NOT NULL, right_id TEXT NOT NULL, judgement TEXT NOT NULL,
            username TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, score REAL,
            PRIMARY KEY (left_id, right_id))""",
        """CREATE TABLE IF NOT EXISTS canonical (
            entity_id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS ix_canonical ON canonical (canonical_id)",
        # One row, bumped with every rebuild of `canonical`: a cheap token for caches of the resolution.
        "CREATE TABLE IF NOT EXISTS resolution (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)",
    ]


def schema_tables(d: Dialect) -> list[str]:
    """Names of the tables :func:`schema_ddl` creates."""
    return [m.group(1) for ddl in schema_ddl(d) if (m := re.match(r"\s*CREATE TABLE IF NOT EXISTS (\w+)", ddl))]


#: Query parameters of a store URL that hold secrets (libpq accepts ``?password=``).
SECRET_PARAMS = frozenset({"password", "passwd", "pwd", "sslpassword", "passfile", "sslkey"})


def redact_url(url: str) -> str:
    """``url`` with the password in ``user:password@`` and in secret query parameters blanked."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    rest, _, query = rest.partition("?")
    if "@" in rest:
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        rest = f"{user}:***@{host}" if ":" in creds else f"{user}@{host}"
    if query:
        parts = []
        for item in query.split("&"):
            key, eq, _value = item.partition("=")
            parts.append(f"{key}=***" if eq and key.lower() in SECRET_PARAMS else item)
        rest += "?" + "&".join(parts)
    return f"{scheme}://{rest}"


class SQLStore(Store):
    """Statement store over a DB-API connection (see the subclasses)."""

    dialect: Dialect
    #: Whether every table exists (set when the store is opened).
    schema_done: bool = False
    #: The cursor of the open :meth:`unit_of_work`, which every write joins (None: each write commits alone).
    _unit: Any = None

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = self._connect()
        try:
            # Opening an existing store must not take the write lock: the API
            # opens one per request, and readers must never queue behind DDL.
            self.schema_done = self._schema_ready()
            if self.schema_done:
                self._migrate()
                return
            with self._tx() as cur:
                for ddl in schema_ddl(self.dialect):
                    cur.execute(ddl)
            self.schema_done = True
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot initialise store at {self.safe_url}: {exc}") from exc

    #: Columns added to tables after their first release: (table, column, DDL type).
    _ADDED_COLUMNS = (
        ("loads", "entities_added", "INTEGER NOT NULL DEFAULT 0"),
        ("loads", "entities_removed", "INTEGER NOT NULL DEFAULT 0"),
        ("loads", "entities_changed", "INTEGER NOT NULL DEFAULT 0"),
    )

    def _migrate(self) -> None:
        """Add columns a store made by an older version lacks (the write lock only then)."""
        columns: dict[str, set[str]] = {}
        for table in sorted({t for t, _, _ in self._ADDED_COLUMNS}):
            cur = self.conn.cursor()
            try:
                cur.execute(f"SELECT * FROM {table} WHERE 1 = 0")
                columns[table] = {d[0] for d in cur.description}
            finally:
                cur.close()
            self._end_read()
        missing = [f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"
                   for table, column, ddl in self._ADDED_COLUMNS if column not in columns[table]]
        if missing:
            with self._tx() as cur:
                for ddl in missing:
                    cur.execute(ddl)

    # -- backend hooks ------------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> Any: ...

    @abc.abstractmethod
    def _schema_ready(self) -> bool:
        """True when every table of :func:`schema_ddl` already exists."""

    @abc.abstractmethod
    def _begin(self) -> None:
        """Start a write transaction."""

    @property
    def safe_url(self) -> str:
        """The URL with any password blanked, for messages."""
        return redact_url(self.url)

    def _sql(self, sql: str) -> str:
        return sql if self.dialect.param == "?" else sql.replace("?", "%s")

    def _tx(self) -> _Transaction | _Joined:
        return _Transaction(self) if self._unit is None else _Joined(self._unit)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """See :meth:`Store.unit_of_work`: one transaction that every write inside joins.

        Reads inside see the unit's own writes (one connection) and end no
        transaction; a failed read leaves the rollback to the unit. A unit
        inside a unit is part of the outer one.
        """
        if self._unit is not None:
            yield
            return
        self._forget_resolution()
        try:
            with _Transaction(self) as cur:
                self._unit = cur
                try:
                    yield
                finally:
                    self._unit = None
        finally:
            self._forget_resolution()  # a rolled-back unit's resolution version was never committed

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            rows = list(cur.fetchall())
        except Exception:
            # Leave a long-lived connection usable (PostgreSQL aborts the
            # transaction on any error until it is rolled back); inside a unit of work the unit rolls back.
            if self._unit is None:
                self.conn.rollback()
            raise
        finally:
            cur.close()
        self._end_read()
        return rows

    def _end_read(self) -> None:
        """Close the implicit read transaction (PostgreSQL holds one open), unless a unit of work is open."""
        if self._unit is None:
            self.conn.commit()

    # -- side tables (see Store.query / execute / transaction) -----------------
    @property
    def dialect_name(self) -> str:
        return self.dialect.name

    @property
    def serial_key(self) -> str:
        return self.dialect.serial

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._query(sql, params)

    def has_tables(self, *tables: str) -> bool:
        try:
            for table in tables:
                self._query(f"SELECT COUNT(*) FROM {table} WHERE 1 = 0")
        except Exception:
            return False  # _query rolled back: the connection stays usable
        return True

    def execute(self, sql: str, params: Sequence[Any] = (), *, best_effort: bool = False) -> int:
        if self._unit is not None:  # part of the open unit of work: it commits or rolls back
            cur = self.conn.cursor()
            try:
                cur.execute(self._sql(sql), tuple(params))
                return int(cur.rowcount or 0)
            finally:
                cur.close()
        with self._short_wait(best_effort):
            cur = self.conn.cursor()
            try:
                cur.execute(self._sql(sql), tuple(params))
                count = int(cur.rowcount or 0)
                self.conn.commit()
            except Exception:
                self.conn.rollback()
                if best_effort and self._busy_error_skippable():
                    return 0
                raise
            finally:
                cur.close()
        return count

    @contextmanager
    def transaction(self) -> Iterator[TableCursor]:
        with self._tx() as cur:
            yield _TableCursor(self, cur)

    @contextmanager
    def _short_wait(self, short: bool) -> Iterator[None]:
        """Backends that queue writers wait only briefly inside (see SQLiteStore)."""
        yield

    def _busy_error_skippable(self) -> bool:
        """Whether a best-effort write may be dropped on error (SQLite: a held write lock)."""
        return False

    # -- writing ------------------------------------------------------------
    def write(self, batch: LoadBatch) -> LoadResult:
        return self.write_many([batch])[0]

    def write_many(self, batches: Sequence[LoadBatch]) -> list[LoadResult]:
        if self._unit is not None and any(b.staged is not None for b in batches):
            # Side files are moved into place after their batch commits; inside a unit that commit
            # comes later, and a replaced file cannot be put back if the unit then rolls back.
            raise InputError(f"{batches[0].source}: a load with side files (customs records) commits on its "
                             "own and cannot join a multi-file unit of work; load it separately",
                             path=batches[0].source, field="atomic")
        self._forget_resolution()
        results = []
        try:
            with self._tx() as cur:
                for batch in batches:
                    results.append(self._apply(cur, batch))
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"write to {self.safe_url} failed, nothing was stored: {exc}") from exc
        return results

    def _apply(self, cur: Any, batch: LoadBatch) -> LoadResult:
        now = now_iso()
        result = LoadResult(batch.dataset, batch.source)
        if batch.content_hash:
            same = self._same_content(cur, batch)
            if same is not None:
                # The same bytes again, under this source or another name: the
                # store already holds exactly this; a second copy would double
                # every statement.
                result.source = same
                result.unchanged = True
                self._log_load(cur, batch, result, now)
                return result
        if batch.entity_scope:
            active = self._entity_scope(cur, batch)
        elif batch.replace_dataset:
            cur.execute(
                self._sql("SELECT id, entity_id FROM statements WHERE dataset = ? AND removed_at IS NULL"),
                (batch.dataset,),
            )
        else:
            cur.execute(
                self._sql(
                    "SELECT id, entity_id FROM statements WHERE dataset = ? AND source = ? AND removed_at IS NULL"
                ),
                (batch.dataset, batch.source),
            )
        if not batch.entity_scope:
            active = {r[0]: r[1] for r in cur.fetchall()}
        new: dict[str, Statement] = {}
        for stmt in batch.statements:
            if stmt.first_seen is None:
                stmt.first_seen = now
            if stmt.last_seen is None:
                stmt.last_seen = now
            # The first place a value is said stays its location (a list may
            # repeat a value in several parts of one entry).
            new.setdefault(stmt.id, stmt)
        cols = ", ".join(STATEMENT_COLUMNS)
        marks = ", ".join("?" for _ in STATEMENT_COLUMNS)
        update = ", ".join(
            f"{c} = excluded.{c}"
            for c in ("location", "last_seen", "quote", "original_value", "lang", "origin", "confidence", "hedge")
        )
        # first_seen is never overwritten: a value seen again keeps the date
        # it was first seen, and one that comes back after removal is live again.
        sql = self._sql(
            f"INSERT INTO statements ({cols}) VALUES ({marks}) "
            f"ON CONFLICT (id) DO UPDATE SET {update}, removed_at = NULL"
        )
        kept = active.keys() & new.keys()
        # New values (and removed ones coming back) are upserted whole; a kept
        # value only moves its last_seen and location: a reload of a big list
        # with few changes writes two columns per row, not twenty.
        keys = sorted(k for k in new if k not in kept)  # in key order: B-tree inserts stay local
        for i in range(0, len(keys), _CHUNK):
            cur.executemany(sql, [self._row(new[k]) for k in keys[i : i + _CHUNK]])
        touch = self._sql(
            "UPDATE statements SET last_seen = ?, location = ?, quote = ?, original_value = ?, lang = ?, origin = ?, "
            "confidence = ?, hedge = ? WHERE id = ?"
        )
        kept_keys = sorted(kept)
        for i in range(0, len(kept_keys), _CHUNK):
            cur.executemany(touch, [(s.last_seen, s.location, s.quote, s.original_value, s.lang, s.origin,
                                     s.confidence, s.hedge, s.id) for s in (new[k] for k in kept_keys[i : i + _CHUNK])])
        result.kept = len(kept)
        result.added = len(new) - result.kept
        gone = sorted(active.keys() - new.keys())
        result.removed = len(gone)
        for i in range(0, len(gone), _CHUNK):
            cur.executemany(
                self._sql("UPDATE statements SET removed_at = ? WHERE id = ?"),
                [(now, g) for g in gone[i : i + _CHUNK]],
            )
        self._count_entities(result, active, new, gone)
        for doc in batch.documents:
            self._put_document(cur, doc)
        self._log_load(cur, batch, result, now)
        return result

    def _entity_scope(self, cur: Any, batch: LoadBatch) -> dict[str, str]:
        """Live statements of the entities a change set names; its values adopt their entity's stored source."""
        ids = sorted({s.entity_id for s in batch.statements} | set(batch.deleted))
        rows: list[tuple[str, str, str]] = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            cur.execute(
                self._sql(
                    "SELECT id, entity_id, source FROM statements WHERE dataset = ? AND removed_at IS NULL "
                    f"AND entity_id IN ({', '.join('?' for _ in chunk)})"
                ),
                (batch.dataset, *chunk),
            )
            rows.extend(cur.fetchall())
        sources: dict[str, str] = {}
        for _, entity_id, source in sorted(rows, key=lambda r: (r[1], r[2])):
            sources.setdefault(entity_id, source)
        batch.statements = [
            replace(s, source=sources[s.entity_id], id="") if sources.get(s.entity_id, s.source) != s.source else s
            for s in batch.statements
        ]
        return {r[0]: r[1] for r in rows}

    def _same_content(self, cur: Any, batch: LoadBatch) -> str | None:
        """The source whose latest load in this dataset had these very bytes, if any."""
        cur.execute(
            self._sql(
                "SELECT source, content_hash FROM loads WHERE id IN ("
                "SELECT MAX(id) FROM loads WHERE dataset = ? AND unchanged = 0 GROUP BY source)"
            ),
            (batch.dataset,),
        )
        latest = {r[0]: r[1] for r in cur.fetchall()}
        if latest.get(batch.source) == batch.content_hash:
            return batch.source
        if batch.replace_dataset:
            return None
        return next((src for src, digest in sorted(latest.items()) if digest == batch.content_hash), None)

    @staticmethod
    def _count_entities(result: LoadResult, active: dict[str, str], new: dict[str, Statement],
                        gone: list[str]) -> None:
        """Entity-level history: new, vanished, and changed (some value added or removed)."""
        before = set(active.values())
        after = {s.entity_id for s in new.values()}
        touched = {active[g] for g in gone}
        touched.update(s.entity_id for k, s in new.items() if k not in active)
        result.entities_added = len(after - before)
        result.entities_removed = len(before - after)
        result.entities_changed = len(touched & before & after)

    def _log_load(self, cur: Any, batch: LoadBatch, result: LoadResult, now: str) -> None:
        cur.execute(
            self._sql(
                "INSERT INTO loads (dataset, source, content_hash, origin, loaded_at, added, kept, removed, unchanged, "
                "entities_added, entities_removed, entities_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            (batch.dataset, result.source, batch.content_hash, batch.origin, now,
             result.added, result.kept, result.removed, int(result.unchanged),
             result.entities_added, result.entities_removed, result.entities_changed),
        )

    def _put_document(self, cur: Any, doc: Document) -> None:
        # A document belongs to one dataset: never let another dataset's load overwrite its text
        # (its statements' spans point into that text).
        cur.execute(self._sql("SELECT dataset FROM documents WHERE id = ?"), (doc.id,))
        row = cur.fetchone()
        if row is not None and row[0] != doc.dataset:
            raise StoreError(f"document {doc.id!r} belongs to dataset {row[0]!r}; a load into {doc.dataset!r} "
                             "may not replace it (give the document another id); nothing was stored")
        cur.execute(
            self._sql(
                "INSERT INTO documents (id, dataset, title, path, mime, publisher, published_at, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "title = excluded.title, path = excluded.path, mime = excluded.mime, "
                "publisher = excluded.publisher, published_at = excluded.published_at, text = excluded.text"
            ),
            (doc.id, doc.dataset, doc.title, doc.path, doc.mime, doc.publisher, doc.published_at, doc.text),
        )

    @staticmethod
    def _row(s: Statement) -> tuple[Any, ...]:
        prop_type = "id" if s.prop == BASE else ("meta" if s.prop.startswith("$") else get_prop_type(s.schema, s.prop))
        return (
            s.id, s.entity_id, s.schema, s.prop, prop_type, s.value, s.dataset, s.source,
            s.location, s.span_start, s.span_end, s.quote, s.original_value, s.lang,
            s.origin, s.confidence, s.hedge, s.first_seen, s.last_seen, s.removed_at,
        )

    # -- reading ------------------------------------------------------------
    def statements(
        self,
        entity_ids: Iterable[str] | None = None,
        dataset: str | None = None,
        include_removed: bool = False,
        prop_type: str | None = None,
        values: Iterable[str] | None = None,
    ) -> Iterator[Statement]:
        where: list[str] = []
        params: list[Any] = []
        if not include_removed:
            where.append("removed_at IS NULL")
        if dataset is not None:
            where.append("dataset = ?")
            params.append(dataset)
        if prop_type is not None:
            where.append("prop_type = ?")
            params.append(prop_type)
        id_lists: list[tuple[str, list[str]]] = []
        if entity_ids is not None:
            id_lists.append(("entity_id", sorted(set(entity_ids))))
        if values is not None:
            id_lists.append(("value", sorted(set(values))))
        base = f"SELECT {_SELECT} FROM statements"
        if not id_lists:
            sql = base + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY entity_id, prop, value"
            yield from self._stream(sql, params)
            return
        column, ids = id_lists[0]
        extra = id_lists[1:]
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            clauses = list(where) + [f"{column} IN ({', '.join('?' for _ in chunk)})"]
            cparams = list(params) + chunk
            for col2, ids2 in extra:
                if not ids2:
                    return
                clauses.append(f"{col2} IN ({', '.join('?' for _ in ids2)})")
                cparams.extend(ids2)
            sql = base + " WHERE " + " AND ".join(clauses) + " ORDER BY entity_id, prop, value"
            yield from (self._to_statement(r) for r in self._query(sql, cparams))

    #: Table hint for full scans in :meth:`rows` (SQLite: a scan and no index walk).
    _scan_hint = ""

    def rows(
        self,
        columns: Sequence[str],
        props: Iterable[str],
        *,
        schemata: Iterable[str] | None = None,
        skip_schemata: Iterable[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """One streamed query on this store's own connection (see :meth:`Store.rows`)."""
        cols = check_columns(columns)
        params: list[Any] = sorted(set(props))
        if not params or (schemata is not None and not set(schemata)):
            return
        sql = (f"SELECT {', '.join(cols)} FROM statements{self._scan_hint} WHERE removed_at IS NULL "
               f"AND prop IN ({', '.join('?' for _ in params)})")
        for op, names in (("IN", schemata), ("NOT IN", skip_schemata)):
            if names is not None and (wanted := sorted(set(names))):
                sql += f" AND schema {op} ({', '.join('?' for _ in wanted)})"
                params += wanted
        cur = self.conn.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            while chunk := cur.fetchmany(20_000):
                yield from chunk
        finally:
            cur.close()
            self._end_read()

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Statement]:
        cur = self.conn.cursor()
        try:
            cur.execute(self._sql(sql), tuple(params))
            while True:
                rows = cur.fetchmany(5000)
                if not rows:
                    break
                for r in rows:
                    yield self._to_statement(r)
        finally:
            cur.close()
            self._end_read()

    @staticmethod
    def _to_statement(r: Sequence[Any]) -> Statement:
        return Statement(
            id=r[0], entity_id=r[1], schema=r[2], prop=r[3], value=r[4], dataset=r[5],
            source=r[6], location=r[7], span_start=r[8], span_end=r[9], quote=r[10],
            original_value=r[11], lang=r[12], origin=r[13], confidence=float(r[14]),
            hedge=r[15], first_seen=r[16], last_seen=r[17], removed_at=r[18],
        )

    def canonical_map(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._query("SELECT entity_id, canonical_id FROM canonical")}

    def _resolution_token(self) -> object | None:
        """The ``resolution`` version: one row read, moved by any store's judgement (any process)."""
        rows = self._query("SELECT version FROM resolution WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    def search(self, text: str, limit: int = 20) -> list[str]:
        # The text is matched literally: '%' and '_' in it are escaped, not wildcards ('%' matched all).
        escaped = text.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
        like = f"%{escaped}%"
        rows = self._query(
            "SELECT entity_id, MIN(LENGTH(value)) AS l FROM statements WHERE removed_at IS NULL "
            "AND prop_type = 'name' AND LOWER(value) LIKE ? ESCAPE '!' GROUP BY entity_id ORDER BY l, entity_id "
            "LIMIT ?",
            (like, limit * 3),
        )
        cmap = self._cmap()
        out: list[str] = []
        for r in rows:
            cid = cmap.get(r[0], r[0])
            if cid not in out:
                out.append(cid)
        return out[:limit]

    def datasets(self) -> list[DatasetInfo]:
        rows = self._query(
            "SELECT dataset, COUNT(DISTINCT entity_id), "
            "SUM(CASE WHEN removed_at IS NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END), COUNT(DISTINCT source) "
            "FROM statements GROUP BY dataset ORDER BY dataset"
        )
        last = dict(self._query("SELECT dataset, MAX(loaded_at) FROM loads GROUP BY dataset"))
        return [
            DatasetInfo(r[0], int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4]), last.get(r[0]))
            for r in rows
        ]

    def loads(self, dataset: str | None = None) -> list[LoadRecord]:
        keys = ("id", "dataset", "source", "content_hash", "origin", "loaded_at", "added", "kept", "removed",
                "unchanged", "entities_added", "entities_removed", "entities_changed")
        sql = f"SELECT {', '.join(keys)} FROM loads"
        params: tuple[Any, ...] = ()
        if dataset is not None:
            sql += " WHERE dataset = ?"
            params = (dataset,)
        # the selected columns are the record's keys, in order
        return [cast(LoadRecord, dict(zip(keys, r, strict=True))) for r in self._query(sql + " ORDER BY id", params)]

    def stats(self) -> StoreStats:
        schema_rows = self._query(
            "SELECT schema, COUNT(DISTINCT entity_id) FROM statements "
            "WHERE removed_at IS NULL AND prop = 'id' GROUP BY schema ORDER BY 2 DESC"
        )
        totals = self._query(
            "SELECT COUNT(*), SUM(CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END), "
            "COUNT(DISTINCT entity_id), COUNT(DISTINCT dataset) FROM statements"
        )[0]
        docs = self._query("SELECT COUNT(*) FROM documents")[0][0]
        merged = self._query("SELECT COUNT(*) FROM canonical")[0][0]
        return StoreStats(
            statements=int(totals[0] or 0),
            removed_statements=int(totals[1] or 0),
            entities=int(totals[2] or 0),
            datasets=int(totals[3] or 0),
            documents=int(docs),
            resolved_entities=int(merged),
            schemata={r[0]: int(r[1]) for r in schema_rows},
        )

    # -- documents ----------------------------------------------------------
    _DOC = "SELECT id, dataset, title, path, mime, publisher, published_at, text FROM documents"

    def document(self, doc_id: str) -> Document | None:
        rows = self._query(self._DOC + " WHERE id = ?", (doc_id,))
        return Document(*rows[0]) if rows else None

    def documents(self, dataset: str | None = None) -> list[Document]:
        if dataset is None:
            return [Document(*r) for r in self._query(self._DOC + " ORDER BY id")]
        return [Document(*r) for r in self._query(self._DOC + " WHERE dataset = ? ORDER BY id", (dataset,))]

    # -- resolution ---------------------------------------------------------
    def add_judgement(self, judgement: Judgement) -> None:
        left, right = sorted((judgement.left_id, judgement.right_id))
        with self._tx() as cur:
            cur.execute(self._sql("DELETE FROM judgements WHERE left_id = ? AND right_id = ?"), (left, right))
            cur.execute(
                self._sql(
                    "INSERT INTO judgements (left_id, right_id, judgement, username, created_at, score) "
                    "VALUES (?, ?, ?, ?, ?, ?)"
                ),
                (left, right, judgement.judgement, judgement.user, judgement.created_at, judgement.score),
            )
            self._rebuild_canonical(cur)

    def judgements(self) -> list[Judgement]:
        rows = self._query(
            "SELECT left_id, right_id, judgement, username, created_at, score FROM judgements ORDER BY created_at"
        )
        return [Judgement(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def remove_judgement(self, left_id: str, right_id: str) -> bool:
        left, right = sorted((left_id, right_id))
        with self._tx() as cur:
            cur.execute(self._sql("DELETE FROM judgements WHERE left_id = ? AND right_id = ?"), (left, right))
            existed = bool(cur.rowcount)
            self._rebuild_canonical(cur)
        return existed

    def _rebuild_canonical(self, cur: Any) -> None:
        """Canonical ids are derived from positive judgements (union-find).

        The canonical id of a cluster is its smallest member id, so it is
        stable across rebuilds and never a new invented id.
        """
        cur.execute(self._sql("SELECT left_id, right_id FROM judgements WHERE judgement = 'positive'"))
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for left, right in cur.fetchall():
            a, b = find(left), find(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
        cur.execute("DELETE FROM canonical")
        cur.execute("UPDATE resolution SET version = version + 1 WHERE id = 1")
        if not cur.rowcount:
            cur.execute("INSERT INTO resolution (id, version) VALUES (1, 1)")
        self._forget_resolution()
        rows = [(x, find(x)) for x in parent]
        rows = [r for r in rows if r[0] != r[1]] + [(c, c) for c in {r[1] for r in rows if r[0] != r[1]}]
        if rows:
            cur.executemany(self._sql("INSERT INTO canonical (entity_id, canonical_id) VALUES (?, ?)"), rows)

    def close(self) -> None:
        self.conn.close()


class _TableCursor:
    """A :class:`~redthread.store.base.TableCursor` over a DB-API cursor (placeholders translated)."""

    def __init__(self, store: SQLStore, cur: Any) -> None:
        self._store = store
        self._cur = cur

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount or 0)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if not params:  # DDL may hold a literal '%' (PL/pgSQL), which psycopg reads as a placeholder
            self._cur.execute(sql)
            return
        self._cur.execute(self._store._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._cur.executemany(self._store._sql(sql), [tuple(r) for r in rows])

    def fetchone(self) -> tuple[Any, ...] | None:
        row = self._cur.fetchone()
        return tuple(row) if row is not None else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._cur.fetchall()]

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        if self._store.dialect.name == "sqlite":
            self._cur.execute(self._store._sql(sql), tuple(params))
            return int(self._cur.lastrowid)
        self._cur.execute(self._store._sql(sql + " RETURNING id"), tuple(params))
        return int(self._cur.fetchone()[0])


class _Joined:
    """Context manager: the open unit of work's cursor; the unit commits or rolls back, not this."""

    def __init__(self, cur: Any) -> None:
        self.cur = cur

    def __enter__(self) -> Any:
        return self.cur

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        return None


class _Transaction:
    """Context manager: a cursor whose work commits together or not at all."""

    def __init__(self, store: SQLStore) -> None:
        self.store = store
        self.cur: Any = None

    def __enter__(self) -> Any:
        self.store._begin()
        self.cur = self.store.conn.cursor()
        return self.cur

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.store.conn.commit()
            else:
                self.store.conn.rollback()
        finally:
            self.cur.close()
