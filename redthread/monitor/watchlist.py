"""Watchlists: named portfolios of counterparties, each with its own ids.

A watchlist is read from a CSV (a ``name`` column; optional ``id``,
``schema`` and the columns :data:`redthread.screen.screening.COLUMN_PROPS`
knows: country, birth_date, inn, ogrn, imo, lei, ...) or from FtM JSON lines
(one entity per line). Every original column is kept with the row, so an
alert can show the counterparty as the team knows it.

Bad input costs only what is bad: a row without a name or identifier, or
with a duplicate id, is skipped and reported with its file and line; an
unknown schema falls back to ``LegalEntity`` (reported too). Adding a
watchlist that exists updates it: new and changed rows are screened at the
next run, rows no longer in the file are dropped with their hits.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model, registry
from pydantic import with_config
from typing_extensions import TypedDict

from redthread.errors import InputError, RedthreadError
from redthread.model import now_iso
from redthread.model.records import OPEN, FtMEntity
from redthread.monitor import audit
from redthread.monitor.tables import MonitorDB
from redthread.screen.matching import DEFAULT_THRESHOLD
from redthread.screen.scorers import DEFAULT, get_scorer
from redthread.screen.screening import COLUMN_PROPS

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass
class Counterparty:
    """One watchlist row: its own id, a name to show, and what is screened."""

    row_id: str
    name: str
    schema: str
    properties: dict[str, list[str]]
    columns: dict[str, str | None] = field(default_factory=dict)  # the file's own columns, as read
    line: int | None = None
    stored_fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        if self.stored_fingerprint is not None:
            return self.stored_fingerprint
        body = orjson.dumps([self.schema, {k: sorted(v) for k, v in sorted(self.properties.items())}],
                            option=orjson.OPT_SORT_KEYS)
        return hashlib.sha1(body).hexdigest()

    def entity(self) -> FtMEntity:
        """The row as an FtM entity dict (what the screening index takes)."""
        return {"id": self.row_id, "schema": self.schema, "properties": self.properties, "caption": self.name}


@with_config(OPEN)
class WatchlistDict(TypedDict):
    """A watchlist's settings and row count as JSON (:meth:`Watchlist.to_dict`).

    The API declares this very shape (``/watchlists``), so it is a pydantic-ready
    ``TypedDict`` with extra keys allowed rather than a restated copy there."""

    name: str
    created_at: str
    created_by: str
    columns: list[str]
    dataset: str | None
    threshold: float
    algorithm: str
    four_eyes: bool
    webhook: str | None
    command: str | None
    rows: int


@dataclass
class Watchlist:
    name: str
    created_at: str
    created_by: str
    columns: list[str]
    dataset: str | None
    threshold: float
    algorithm: str
    four_eyes: bool
    webhook: str | None = None
    command: str | None = None
    rows: int = 0

    def to_dict(self) -> WatchlistDict:
        return WatchlistDict(name=self.name, created_at=self.created_at, created_by=self.created_by,
                             columns=list(self.columns), dataset=self.dataset, threshold=self.threshold,
                             algorithm=self.algorithm, four_eyes=self.four_eyes, webhook=self.webhook,
                             command=self.command, rows=self.rows)


def check_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise RedthreadError(f"invalid watchlist name {name!r}: use letters, digits, '_', '-' or '.' (max 64)")
    return name


def _schema(value: str, path: Path, line: int, errors: list[InputError]) -> str:
    if not value:
        return "LegalEntity"
    schema = model.get(value)
    if schema is None or not schema.matchable:
        errors.append(InputError(f"unknown or unscreenable schema {value!r}, screened as LegalEntity",
                                 path=str(path), line=line, field="schema"))
        return "LegalEntity"
    return schema.name


def _screenable(cp: Counterparty) -> bool:
    """A name or an identifier to screen on (checked by property type: no name analysis per row)."""
    schema = model.get(cp.schema)
    if schema is None:
        return False
    for prop, values in cp.properties.items():
        p = schema.get(prop)
        if p is not None and values and p.type in (registry.name, registry.identifier):
            return True
    return False


def read_csv(path: Path, errors: list[InputError]) -> tuple[list[str], Iterator[Counterparty]]:
    fh = path.open(encoding="utf-8-sig", newline="")
    reader = csv.DictReader(fh)
    header = [h for h in (reader.fieldnames or [])]
    fields = {f.lower().strip(): f for f in header}
    if "name" not in fields:
        fh.close()
        raise InputError("a watchlist CSV needs a 'name' column", path=str(path), line=1, field="name")

    def rows() -> Iterator[Counterparty]:
        with fh:
            for n, row in enumerate(reader, start=2):
                props: dict[str, list[str]] = {}
                for col, prop in COLUMN_PROPS.items():
                    value = (row.get(fields[col]) or "").strip() if col in fields else ""
                    if value:
                        props.setdefault(prop, []).append(value)
                schema = _schema((row.get(fields["schema"]) or "").strip() if "schema" in fields else "",
                                 path, n, errors)
                rid = (row.get(fields["id"]) or "").strip() if "id" in fields else ""
                name = (props.get("name") or [""])[0]
                columns = {k: v for k, v in row.items() if k is not None}
                yield Counterparty(rid or str(n - 1), name, schema, props, columns, n)

    return header, rows()


def read_jsonl(path: Path, errors: list[InputError]) -> tuple[list[str], Iterator[Counterparty]]:
    def rows() -> Iterator[Counterparty]:
        with path.open("rb") as fh:
            for n, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    ent = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    errors.append(InputError(f"not JSON: {exc}", path=str(path), line=n))
                    continue
                if not isinstance(ent, dict) or not isinstance(ent.get("properties"), dict):
                    errors.append(InputError("not an FtM entity (needs 'properties')", path=str(path), line=n,
                                             field="properties"))
                    continue
                schema = _schema(str(ent.get("schema") or ""), path, n, errors)
                props: dict[str, list[str]] = {}
                for prop, values in ent["properties"].items():
                    vals = values if isinstance(values, list) else [values]
                    clean = [str(v).strip() for v in vals if v is not None and str(v).strip()]
                    if clean:
                        props[str(prop)] = clean
                names = props.get("name") or props.get("alias") or []
                rid = str(ent.get("id") or "").strip() or str(n)
                yield Counterparty(rid, names[0] if names else "", schema, props,
                                   {"id": rid, "schema": schema}, n)

    return ["id", "schema", "properties"], rows()


def read_counterparties(path: Path) -> tuple[list[str], list[Counterparty], list[InputError]]:
    """The rows of a watchlist file, and the rows or values that were left out."""
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    errors: list[InputError] = []
    is_json = path.suffix.lower() in (".json", ".jsonl", ".ndjson", ".ftm")
    columns, rows = (read_jsonl if is_json else read_csv)(path, errors)
    out: list[Counterparty] = []
    seen: set[str] = set()
    for cp in rows:
        if cp.row_id in seen:
            errors.append(InputError(f"duplicate id {cp.row_id!r}, row skipped", path=str(path), line=cp.line,
                                     field="id"))
            continue
        if not _screenable(cp):
            errors.append(InputError("no name or identifier to screen, row skipped", path=str(path),
                                     line=cp.line, field="name"))
            continue
        if not cp.name:
            cp.name = next(iter(v[0] for v in cp.properties.values() if v), cp.row_id)
        seen.add(cp.row_id)
        out.append(cp)
    return columns, out, sorted(errors, key=lambda e: e.line or 0)


def add(
    db: MonitorDB,
    name: str,
    path: Path,
    *,
    actor: str,
    dataset: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    algorithm: str = DEFAULT,
    four_eyes: bool = False,
    webhook: str | None = None,
    command: str | None = None,
) -> tuple[dict[str, int], list[InputError]]:
    """Create or update a watchlist from a file; counts of added/changed/removed/unchanged rows."""
    check_name(name)
    get_scorer(algorithm)
    if not 0 < threshold <= 1:
        raise RedthreadError("threshold must be in (0, 1]")
    columns, rows, errors = read_counterparties(path)
    if not rows:
        raise InputError("no screenable rows in the file", path=str(path))
    now = now_iso()
    counts = {"added": 0, "changed": 0, "removed": 0, "unchanged": 0}
    with db.tx() as cur:
        cur.execute("SELECT name FROM monitor_watchlists WHERE name = ?", (name,))
        exists = cur.fetchone() is not None
        settings = (orjson.dumps(columns).decode(), dataset, threshold, algorithm, int(four_eyes), webhook, command)
        if exists:
            cur.execute(_UPDATE, (*settings, name))
        else:
            cur.execute(_INSERT, (name, now, actor, *settings))
        cur.execute("SELECT row_id, fingerprint FROM monitor_rows WHERE watchlist = ?", (name,))
        old = dict(cur.fetchall())
        new_ids = {cp.row_id for cp in rows}
        gone = sorted(set(old) - new_ids)
        for rid in gone:
            cur.execute("DELETE FROM monitor_rows WHERE watchlist = ? AND row_id = ?", (name, rid))
            cur.execute("DELETE FROM monitor_pairs WHERE watchlist = ? AND row_id = ?", (name, rid))
        counts["removed"] = len(gone)
        upsert = (
            "INSERT INTO monitor_rows (watchlist, row_id, name, schema, properties, columns, line, fingerprint, "
            "screened) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (watchlist, row_id) DO UPDATE SET "
            "name = excluded.name, schema = excluded.schema, properties = excluded.properties, "
            "columns = excluded.columns, line = excluded.line, fingerprint = excluded.fingerprint, screened = 0"
        )
        batch = []
        for cp in rows:
            fp = cp.fingerprint
            if old.get(cp.row_id) == fp:
                counts["unchanged"] += 1
                continue
            counts["changed" if cp.row_id in old else "added"] += 1
            batch.append((name, cp.row_id, cp.name, cp.schema, orjson.dumps(cp.properties).decode(),
                          orjson.dumps(cp.columns).decode(), cp.line, fp))
        for i in range(0, len(batch), 1000):
            cur.executemany(upsert, batch[i:i + 1000])
        audit.append(db, cur, actor, "watchlist_update" if exists else "watchlist_add", watchlist=name,
                     subject=str(path.name),
                     detail={**counts, "skipped": len(errors), "dataset": dataset, "threshold": threshold,
                             "algorithm": algorithm, "four_eyes": four_eyes,
                             "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return counts, errors


#: A watchlist's settings columns, in the one order its INSERT, UPDATE and SELECT (and ``add``'s values) use.
_SETTINGS = ("columns", "dataset", "threshold", "algorithm", "four_eyes", "webhook", "command")
_UPDATE = "UPDATE monitor_watchlists SET " + ", ".join(f"{c} = ?" for c in _SETTINGS) + " WHERE name = ?"
_INSERT = (f"INSERT INTO monitor_watchlists (name, created_at, created_by, {', '.join(_SETTINGS)}) "
           f"VALUES ({', '.join('?' * (3 + len(_SETTINGS)))})")
_SELECT = ("SELECT w.name, w.created_at, w.created_by, " + ", ".join(f"w.{c}" for c in _SETTINGS)
           + ", (SELECT COUNT(*) FROM monitor_rows r WHERE r.watchlist = w.name) FROM monitor_watchlists w")


def _watchlist(row: tuple[Any, ...]) -> Watchlist:
    """A :data:`_SELECT` row, read by column name."""
    f = dict(zip(("name", "created_at", "created_by", *_SETTINGS, "rows"), row, strict=True))
    return Watchlist(f["name"], f["created_at"], f["created_by"], orjson.loads(f["columns"]), f["dataset"],
                     float(f["threshold"]), f["algorithm"], bool(f["four_eyes"]), f["webhook"], f["command"],
                     int(f["rows"] or 0))


def list_all(db: MonitorDB) -> list[Watchlist]:
    return [_watchlist(r) for r in db.query(_SELECT + " ORDER BY w.name")]


def get(db: MonitorDB, name: str) -> Watchlist:
    rows = db.query(_SELECT + " WHERE w.name = ?", (name,))
    if not rows:
        known = ", ".join(w.name for w in list_all(db)) or "none"
        raise RedthreadError(f"no watchlist {name!r}; known: {known} (see `redthread watchlist list`)")
    return _watchlist(rows[0])


def rows(db: MonitorDB, name: str, *, unscreened: bool = False, columns: bool = True, properties: bool = True,
         ids: Iterable[str] | None = None) -> list[Counterparty]:
    """A watchlist's rows (optionally only ``ids``).

    ``columns=False`` leaves the original columns out and ``properties=False``
    the screened properties (a run reads those only for the rows it scores).
    """
    cols = "columns" if columns else "'{}'"
    props = "properties" if properties else "'{}'"
    sql = (f"SELECT row_id, name, schema, {props}, {cols}, line, fingerprint FROM monitor_rows "
           "WHERE watchlist = ?")
    if unscreened:
        sql += " AND screened = 0"
    found: list[tuple[Any, ...]] = []
    if ids is None:
        found = db.query(sql + " ORDER BY row_id", (name,))
    else:
        wanted = sorted(set(ids))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            found.extend(db.query(sql + f" AND row_id IN ({', '.join('?' for _ in chunk)})", (name, *chunk)))
    return [Counterparty(r[0], r[1], r[2], orjson.loads(r[3]) if properties else {},
                         orjson.loads(r[4]) if columns else {}, r[5], r[6]) for r in found]


def remove(db: MonitorDB, name: str, *, actor: str) -> dict[str, int]:
    """Drop a watchlist, its rows and hits. Its alerts, decisions and audit entries stay: they are the record."""
    wl = get(db, name)
    with db.tx() as cur:
        for table in ("monitor_rows", "monitor_pairs", "monitor_entities"):
            cur.execute(f"DELETE FROM {table} WHERE watchlist = ?", (name,))
        cur.execute("DELETE FROM monitor_watchlists WHERE name = ?", (name,))
        audit.append(db, cur, actor, "watchlist_remove", watchlist=name, detail={"rows": wl.rows})
    return {"rows": wl.rows}
