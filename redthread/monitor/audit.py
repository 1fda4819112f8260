"""The audit trail: who screened what against which list version, what was
found and what was decided, in order, and nothing of it editable.

Every entry is appended inside the same transaction as the change it
records (a run's alerts, a decision), so the trail never disagrees with the
tables. Each entry carries the SHA-256 of the entry before it and of its own
content: :func:`verify` recomputes the chain, so an edit made behind the
store's back (the tables refuse UPDATE and DELETE through triggers) still
shows. :func:`export` writes the trail as JSON lines or CSV.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from redthread.errors import RedthreadError
from redthread.model import now_iso
from redthread.model.jsondata import JSONObject
from redthread.monitor.tables import MonitorDB
from redthread.store.base import TableCursor

GENESIS = "0" * 64
COLUMNS = ("id", "at", "actor", "action", "watchlist", "subject", "detail", "prev_hash", "hash")


@dataclass
class AuditEntry:
    """One entry of the trail; exported as JSON by orjson as it is (its fields are :data:`COLUMNS`, in order)."""

    id: int
    at: str
    actor: str
    action: str
    watchlist: str
    subject: str
    detail: JSONObject
    prev_hash: str
    hash: str


def _digest(prev: str, at: str, actor: str, action: str, watchlist: str, subject: str, detail: str) -> str:
    body = "\x1f".join((prev, at, actor, action, watchlist, subject, detail))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(db: MonitorDB, cur: TableCursor, actor: str, action: str, *, watchlist: str = "", subject: str = "",
           detail: JSONObject | None = None) -> str:
    """Append one entry within the caller's transaction; returns its hash."""
    cur.execute("SELECT hash FROM monitor_audit ORDER BY id DESC LIMIT 1")
    row = cur.fetchone()
    prev = row[0] if row else GENESIS
    at = now_iso()
    text = orjson.dumps(detail or {}, option=orjson.OPT_SORT_KEYS).decode()
    digest = _digest(prev, at, actor, action, watchlist, subject, text)
    cur.execute(
        "INSERT INTO monitor_audit (at, actor, action, watchlist, subject, detail, prev_hash, hash) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, actor, action, watchlist, subject, text, prev, digest),
    )
    return digest


def entries(db: MonitorDB, watchlist: str | None = None) -> Iterator[AuditEntry]:
    """The trail in order (optionally one watchlist's entries)."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM monitor_audit"
    params: tuple[Any, ...] = ()
    if watchlist is not None:
        sql += " WHERE watchlist = ?"
        params = (watchlist,)
    for r in db.query(sql + " ORDER BY id", params):
        yield AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], r[5], orjson.loads(r[6]), r[7], r[8])


def verify(db: MonitorDB) -> list[str]:
    """Problems in the hash chain (empty when the trail is intact)."""
    problems: list[str] = []
    prev = GENESIS
    for r in db.query(f"SELECT {', '.join(COLUMNS)} FROM monitor_audit ORDER BY id"):
        if r[7] != prev:
            problems.append(f"entry {r[0]}: previous hash does not match entry before it")
        if _digest(r[7], r[1], r[2], r[3], r[4], r[5], r[6]) != r[8]:
            problems.append(f"entry {r[0]}: content does not match its hash (edited)")
        prev = r[8]
    return problems


def export(db: MonitorDB, out: IO[str], fmt: str = "jsonl", watchlist: str | None = None) -> int:
    """Write the trail as ``jsonl`` or ``csv``; returns the number of entries."""
    if fmt not in ("jsonl", "csv"):
        raise RedthreadError(f"unknown audit format {fmt!r}: use jsonl or csv")
    n = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    for entry in entries(db, watchlist):
        if writer is not None:
            detail = orjson.dumps(entry.detail, option=orjson.OPT_SORT_KEYS).decode()
            writer.writerow([detail if c == "detail" else getattr(entry, c) for c in COLUMNS])
        else:
            out.write(orjson.dumps(entry).decode() + "\n")
        n += 1
    return n


def export_file(db: MonitorDB, path: Path, fmt: str | None = None, watchlist: str | None = None) -> int:
    """:func:`export` to a file (format from the suffix when not given), written whole or not at all."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = export(db, fh, fmt, watchlist)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
