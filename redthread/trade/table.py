"""The columnar trade table: where bulk customs records live.

Records are never exploded into statements. Each load of a records file is
written as one Parquet file (and one small file of its parties) in a folder
that follows the store: beside a SQLite store (``store.db`` ->
``store.trade/``), or ``REDTHREAD_HOME/trade/<hash of the store URL>/`` for
other stores, so each store (and each test) has its own::

    records/<dataset>/<hash of source>.parquet   one row per record (parties as integer keys)
    parties/<dataset>/<hash of source>.parquet   party id, key, name, country, schema
    months/<dataset>/<hash of source>.parquet    per party key, role and month: value, records

A reload of the same dataset and source replaces its files (staged beside,
renamed once the store has committed the load's party statements: see
:class:`Staged`). Queries see them through DuckDB views ``trade_records`` (as
stored), ``records`` (with party ids joined in), ``parties`` and
``party_months`` (:func:`connect`; the last makes one party's series a small
read); Spark reads the same files. Parties are stored as 64-bit keys
(:func:`redthread.trade.parties.party_key`): aggregations group integers,
and writing them is several times cheaper than id strings. Every record keeps
its provenance (dataset, source file, row) and is keyed to FtM party ids.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypedDict

import duckdb

from redthread import settings
from redthread.store.base import LoadRecord
from redthread.store.layout import layout

try:  # POSIX: a load in progress holds a lock on its journal (see :meth:`Staged.write_journal`)
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, recovery as before
    fcntl = None  # type: ignore[assignment]

RECORDS_DDL = """
CREATE TEMP TABLE {name} (
    dataset VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    "row" BIGINT NOT NULL,
    declaration_number VARCHAR,
    date DATE NOT NULL,
    month VARCHAR NOT NULL,
    sender_key BIGINT NOT NULL,
    receiver_key BIGINT NOT NULL,
    declarant_key BIGINT,
    sender_country VARCHAR,
    receiver_country VARCHAR,
    hs_code VARCHAR NOT NULL,
    chpl_tier VARCHAR,
    goods_description VARCHAR,
    value DOUBLE NOT NULL,
    currency VARCHAR NOT NULL,
    value_usd DOUBLE NOT NULL,
    quantity DOUBLE,
    unit VARCHAR,
    origin_country VARCHAR,
    destination_country VARCHAR,
    trading_country VARCHAR
)
"""

PARTIES_DDL = """
CREATE TEMP TABLE {name} (party_id VARCHAR, party_key BIGINT, name VARCHAR, country VARCHAR, schema VARCHAR)
"""

MONTHS_DDL = """
CREATE TEMP TABLE {name} (party_key BIGINT, role VARCHAR, month VARCHAR, value_usd DOUBLE, records BIGINT)
"""

#: Record columns that are never null (written as required Parquet columns: no definition levels).
REQUIRED_COLUMNS = frozenset(
    line.split()[0].strip('"') for line in RECORDS_DDL.strip().splitlines()[1:-1] if "NOT NULL" in line
)

#: Kinds of files per load, and the view each is seen through.
KINDS = ("records", "parties", "months")

#: Record columns as the views show them.
RECORD_COLUMNS = (
    "dataset", "source", "row", "declaration_number", "date", "month", "sender_key", "receiver_key",
    "declarant_key", "sender_country", "receiver_country", "hs_code", "hs2", "hs4", "hs6", "chpl_tier",
    "goods_description", "value", "currency", "value_usd", "quantity", "unit", "origin_country",
    "destination_country", "trading_country",
)

#: Columns the views work out from the stored ones (SQL both DuckDB and Spark read): the HS chapter,
#: heading and subheading are prefixes of the normalised code (none where it is shorter).
DERIVED_COLUMNS = {
    "hs2": "substr(hs_code, 1, 2)",
    "hs4": "CASE WHEN length(hs_code) >= 4 THEN substr(hs_code, 1, 4) END",
    "hs6": "CASE WHEN length(hs_code) >= 6 THEN substr(hs_code, 1, 6) END",
}

#: Record columns in file order (what loaders must produce).
STORED_COLUMNS = tuple(c for c in RECORD_COLUMNS if c not in DERIVED_COLUMNS)


def records_view_sql(source: str) -> str:
    """The record columns (:data:`RECORD_COLUMNS`) over ``source``, a table of the stored ones."""
    cols = ", ".join(f"{DERIVED_COLUMNS[c]} AS {c}" if c in DERIVED_COLUMNS else f'"{c}"' for c in RECORD_COLUMNS)
    return f"SELECT {cols} FROM {source}"


def table_dir(store_url: str | None = None) -> Path:
    """The folder holding the trade records of the store at ``store_url`` (see :mod:`redthread.store.layout`)."""
    return layout(store_url).trade


def source_key(source: str) -> str:
    """A file-name-safe key for a source name."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def _key(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def source_files(folder: Path, dataset: str, source: str) -> dict[str, Path]:
    """Kind (see :data:`KINDS`) -> file, for one dataset and source."""
    key = _key(source)
    return {kind: folder / kind / dataset / f"{key}.parquet" for kind in KINDS}


def drop_other_sources(folder: Path, dataset: str, keep: set[str]) -> int:
    """Remove the files of ``dataset`` whose source is not in ``keep``; how many went.

    For a load that replaces the whole dataset (``ingest --replace``): its
    other sources' records leave the trade table as their party statements
    leave the store (marked removed there; the rows themselves are not kept).
    """
    keys = {_key(s) for s in keep}
    gone = 0
    for kind in KINDS:
        for path in sorted((folder / kind / dataset).glob("*.parquet")):
            if path.stem not in keys:
                path.unlink()
                gone += 1
    return gone


def files(folder: Path, kind: str) -> list[Path]:
    """The Parquet files of ``kind`` (``records`` or ``parties``), in name order."""
    return sorted((folder / kind).glob("*/*.parquet"))


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def attach_views(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """(Re)create the views over the files in ``folder``.

    ``trade_records`` is the files as stored (parties as integer keys: what
    aggregations read); ``records`` adds ``sender_id``, ``receiver_id`` and
    ``declarant_id`` (joined from ``parties``) for queries that want ids;
    ``parties`` and ``party_months`` as stored.
    """
    for kind, view, ddl, body in (
        ("records", "trade_records", RECORDS_DDL, records_view_sql("{src}")),
        ("parties", "parties", PARTIES_DDL,
         "SELECT party_id, min(party_key) AS party_key, min(name) AS name, min(country) AS country, "
         "min(schema) AS schema FROM {src} GROUP BY party_id"),
        ("months", "party_months", MONTHS_DDL, "SELECT * FROM {src}"),
    ):
        found = files(folder, kind)
        con.execute(f"DROP VIEW IF EXISTS {view}")
        con.execute(f"DROP TABLE IF EXISTS {kind}_empty")
        if found:
            src = "read_parquet([" + ", ".join(_quote(p) for p in found) + "], union_by_name = true)"
        else:
            con.execute(ddl.format(name=f"{kind}_empty"))
            src = f"{kind}_empty"
        con.execute(f"CREATE TEMP VIEW {view} AS {body.format(src=src)}")
    con.execute("DROP VIEW IF EXISTS records")
    con.execute(f"CREATE TEMP VIEW records AS {records_with_ids_sql()}")


def records_with_ids_sql() -> str:
    """``records``: the stored rows with party ids beside the keys (plain SQL, any backend)."""
    cols = ", ".join(f'r."{c}"' for c in RECORD_COLUMNS)
    by_key = "(SELECT party_key, min(party_id) AS party_id FROM parties GROUP BY party_key)"
    return (
        f"SELECT {cols}, ps.party_id AS sender_id, pr.party_id AS receiver_id, pd.party_id AS declarant_id "
        f"FROM trade_records AS r LEFT JOIN {by_key} AS ps ON ps.party_key = r.sender_key "
        f"LEFT JOIN {by_key} AS pr ON pr.party_key = r.receiver_key "
        f"LEFT JOIN {by_key} AS pd ON pd.party_key = r.declarant_key"
    )


def duckdb_threads() -> int:
    """DuckDB threads for trade queries: ``REDTHREAD_ENGINE_THREADS``, else twice the cores (at most 8 more).

    DuckDB's default is one thread per core. On the two-core benchmark
    machine the 10 M-row group-by took ~2.1 s that way and ~1.3 s with four
    threads — and half the CPU-seconds (4.3 against 2.2), so the extra
    threads are not just taking more of the machine; more than twice the
    cores was slower again (docs/benchmarks.md).
    """
    threads = settings.engine_threads()
    if threads > 0:
        return threads
    cores = os.cpu_count() or 1
    return min(2 * cores, cores + 8)


def work_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with :func:`duckdb_threads` threads."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {duckdb_threads()}")
    return con


def open_connection(store_url: str | None = None, folder: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with ``records``, ``parties`` and ``party_months`` views (caller closes)."""
    con = work_connection()
    attach_views(con, folder or table_dir(store_url))
    return con


@contextmanager
def connect(store_url: str | None = None, folder: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the trade records of a store, closed afterwards."""
    con = open_connection(store_url, folder)
    try:
        yield con
    finally:
        con.close()


def replace_file(tmp: Path, target: Path) -> None:
    """Move a finished file into place (atomic on one file system)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)


def record_count(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> int:
    sql = "SELECT count(*) FROM trade_records" + (" WHERE dataset = ?" if dataset else "")
    row = con.execute(sql, [dataset] if dataset else []).fetchone()
    return int(row[0]) if row else 0


# -- one unit of work with the store -------------------------------------------------------------
# A customs load writes Parquet files here and party statements to the store. Files are staged as
# ``<target>.part``; a journal naming the moves is written before the store commits; the moves
# happen after it committed. A crash leaves a journal behind, and :func:`recover` finishes the
# moves if the store holds the load, or deletes the staged files if it does not: readers never
# see records whose parties the store does not know.

JOURNAL = ".journal"


def part_file(target: Path) -> Path:
    """Where ``target`` is staged until its load commits."""
    return target.with_name(target.name + ".part")


class Journal(TypedDict):
    """A staged load's journal entry (JSON beside the staged files): which load, the files to move
    into place, and the load log's last id when it was staged (a newer matching entry means it committed)."""

    dataset: str
    source: str
    content_hash: str
    after_load: int
    moves: dict[str, str]  # staged file -> its place
    keep_sources: list[str] | None


@dataclass
class Staged:
    """Staged trade files of one load, published only once the store has committed it."""

    folder: Path
    dataset: str
    source: str
    moves: dict[str, str]
    #: With ``ingest --replace``: after publishing, drop this dataset's files of other sources.
    keep_sources: list[str] | None = None
    journal: Path | None = None
    #: The open journal, locked while this load runs: another ingest's recovery (another process, or
    #: another request's thread) leaves a locked journal alone instead of rolling back a load in flight.
    _held: IO[str] | None = field(default=None, repr=False, compare=False)

    def write_journal(self, content_hash: str, after_load: int) -> None:
        """Record the pending moves (and what decides them) durably, before the store commits.

        The journal is locked before it is renamed into place and stays locked until
        :meth:`publish` or :meth:`discard`; a process that dies releases it, so its load is
        then finished or undone by the next ingest's :func:`recover`.
        """
        folder = self.folder / JOURNAL
        folder.mkdir(parents=True, exist_ok=True)
        self.journal = folder / f"{source_key(self.dataset + '/' + self.source)}.json"
        body: Journal = {"dataset": self.dataset, "source": self.source, "content_hash": content_hash,
                "after_load": after_load, "moves": self.moves, "keep_sources": self.keep_sources}
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        out = tmp.open("w", encoding="utf-8")
        try:
            _lock(out, wait=True)
            json.dump(body, out)
            out.flush()
            os.fsync(out.fileno())
            os.replace(tmp, self.journal)
        except BaseException:
            out.close()
            raise
        self._held = out

    def release(self) -> None:
        """Let go of the journal's lock (the load is published, discarded, or its process gone)."""
        if self._held is not None:
            self._held.close()
            self._held = None

    def publish(self) -> None:
        """Move the staged files into place (the store has committed)."""
        for tmp, target in self.moves.items():
            if Path(tmp).exists():
                replace_file(Path(tmp), Path(target))
        if self.keep_sources is not None:
            drop_other_sources(self.folder, self.dataset, set(self.keep_sources))
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)
        self.release()

    def discard(self) -> None:
        """Delete the staged files (the store did not commit)."""
        for tmp in self.moves:
            Path(tmp).unlink(missing_ok=True)
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)
        self.release()


def _lock(fh: IO[str], *, wait: bool) -> bool:
    """An exclusive lock on an open journal; ``False`` when another load holds it (``wait=False``)."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def pending(folder: Path) -> list[tuple[Staged, Journal]]:
    """Loads a crash left unfinished: their staged files and journal entries."""
    out: list[tuple[Staged, Journal]] = []
    for path in sorted((folder / JOURNAL).glob("*.json")):
        try:
            held = path.open("r", encoding="utf-8")
        except FileNotFoundError:  # published or discarded meanwhile
            continue
        if not _lock(held, wait=False):  # a load still running (its process holds the lock)
            held.close()
            continue
        try:
            body: Journal = json.loads(held.read())
            staged = Staged(folder, body["dataset"], body["source"], dict(body["moves"]),
                            body.get("keep_sources"), journal=path, _held=held)
        except (ValueError, KeyError, TypeError):  # a journal torn before its rename never counted
            path.unlink(missing_ok=True)
            held.close()
            continue
        out.append((staged, body))
    return out


def recover(folder: Path, loads: Sequence[LoadRecord]) -> list[str]:
    """Finish or undo the loads a crash interrupted; ``loads`` is the store's load log.

    A load committed if the log has an entry for its dataset, source and file
    content newer than the last entry when it was staged: then its files are
    published; otherwise they are deleted. Returns what was done, one line each.
    """
    done = []
    for staged, body in pending(folder):
        committed = any(
            int(row["id"]) > int(body.get("after_load", 0)) and row["dataset"] == body["dataset"]
            and row["source"] == body["source"] and row["content_hash"] == body["content_hash"]
            for row in loads
        )
        if committed:
            staged.publish()
            done.append(f"completed the interrupted load of {body['dataset']}/{body['source']}")
        else:
            staged.discard()
            done.append(f"rolled back the interrupted load of {body['dataset']}/{body['source']}")
    return done
