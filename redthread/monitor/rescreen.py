"""Re-screening a watchlist: only what changed, against only who could match.

A run looks at two kinds of change since the watchlist's last run:

- **list entities** whose statements were added or removed
  (:func:`redthread.monitor.snapshot.changed_since`) and whose match or
  details fingerprint moved;
- **counterparties** added or changed in the watchlist itself.

A changed entity is turned around into a query against an index of the
*counterparties* (built once per watchlist content, cached in the process
and on disk), so only the counterparties that share its blocking keys or
identifiers are scored; its previous hits are scored again too. New
counterparties are screened the usual way, against the store's index.
Every pair is scored in one direction, counterparty against entity, by the
watchlist's versioned scorer (:mod:`redthread.screen.scorers`), exactly as
``redthread screen`` scores it.

The pairs above :data:`FLOOR` are the watchlist's hits. Comparing new hits
with the previous ones gives the alerts (:mod:`redthread.monitor.alerts`);
the 50 % rule (:func:`redthread.analyze.ownership.blocked`) says which
matched entities are blocked by ownership. Everything a run writes — hits,
fingerprints, alerts, the run record and its audit entries — is written in
one transaction: a failed run leaves the previous state whole.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from followthemoney import model
from pydantic import with_config
from typing_extensions import TypedDict

from redthread import __version__
from redthread.model import now_iso
from redthread.model.records import OPEN
from redthread.monitor import alerts as alerts_mod
from redthread.monitor import audit
from redthread.monitor import watchlist as wl_mod
from redthread.monitor.snapshot import Snapshot, all_entity_ids, changed_since, snapshots
from redthread.monitor.tables import MonitorDB
from redthread.screen.index import ScreeningIndex, index_for
from redthread.screen.record import Record, make_record
from redthread.screen.scorers import Score, get_scorer

log = logging.getLogger(__name__)

#: Pairs scoring at or above this are kept as hits (so a later score that
#: crosses the watchlist's threshold is seen as a crossing).
FLOOR = 0.5
#: Counterparty names scored per changed entity (blocking ranks them).
REVERSE_CANDIDATES = 200
#: Schemata whose change can move the 50 % rule's answer.
OWNERSHIP_SCHEMATA = frozenset({"Ownership", "Sanction", "Directorship", "Membership", "UnknownLink"})
#: Entities scored per new counterparty.
FORWARD_CANDIDATES = 10

ProgressFn = Callable[[str, int, int | None], None]


@dataclass
class Hit:
    row_id: str
    entity_id: str
    score: float
    matched: bool
    blocked: bool = False
    detail: Score | None = None


@with_config(OPEN)
class RunDict(TypedDict):
    """A run as JSON (:meth:`RunResult.to_dict`): ``alerts`` is how many it raised.

    The API's run responses declare this shape itself (extra keys allowed), so
    the two cannot drift."""

    watchlist: str
    run_id: int
    mode: str
    changed_entities: int
    screened_rows: int
    pairs_scored: int
    screened_entities: int
    alerts: int
    seconds: float
    timings: dict[str, float]


@dataclass
class RunResult:
    watchlist: str
    run_id: int
    mode: str
    changed_entities: int
    screened_rows: int
    pairs_scored: int
    screened_entities: int = 0
    alerts: list[alerts_mod.StoredAlert] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> RunDict:
        return RunDict(watchlist=self.watchlist, run_id=self.run_id, mode=self.mode,
                       changed_entities=self.changed_entities, screened_rows=self.screened_rows,
                       pairs_scored=self.pairs_scored, screened_entities=self.screened_entities,
                       alerts=len(self.alerts), seconds=self.seconds, timings=dict(self.timings))


_INDEX_CACHE: dict[str, tuple[str, ScreeningIndex, dict[str, int]]] = {}
_LOCK = threading.Lock()


def counterparty_index(db: MonitorDB, name: str, rows: list[wl_mod.Counterparty]) -> tuple[ScreeningIndex,
                                                                                             dict[str, int]]:
    """The blocking index over a watchlist's counterparties (cached by content).

    ``rows`` may come without their properties (their stored fingerprints
    name the content); the full rows are read only when the index is built.
    """
    from redthread.screen import persist

    digest = hashlib.sha1()
    for cp in rows:
        digest.update(f"{cp.row_id}\x1f{cp.fingerprint}\x1e".encode())
    sig = digest.hexdigest()[:20]
    key = f"{db.store.url}|{name}"
    with _LOCK:
        cached = _INDEX_CACHE.get(key)
        if cached is not None and cached[0] == sig:
            return cached[1], cached[2]
        folder = persist.folder(db.store.url) if persist.enabled() else None
        path = folder / "monitor" / f"{name}-{sig}-{persist.code_digest()}.pkl" if folder is not None else None
        idx = persist.load(path, ScreeningIndex) if path is not None else None
        if idx is None:
            # Name analysis in worker processes for big portfolios (the index is assembled here).
            workers = min(os.cpu_count() or 1, 4) if len(rows) >= 20_000 else 1
            full = wl_mod.rows(db, name, columns=False)
            idx = ScreeningIndex.build([cp.entity() for cp in full], workers=workers)
            if path is not None:
                persist.save(path, idx)
        positions = {rid: i for i, rid in enumerate(idx.ids)}
        _INDEX_CACHE[key] = (sig, idx, positions)
        return idx, positions


def _allowed(schema: str) -> frozenset[str]:
    s = model.get(schema)
    if s is None:
        return frozenset()
    return frozenset({m.name for m in s.matchable_schemata} | {s.name})


class ListVersion(TypedDict):
    """The latest load of a dataset: the list version a run screened against."""

    dataset: str
    load_id: int
    loaded_at: str


def list_versions(store: Any, dataset: str | None = None) -> list[ListVersion]:
    """The latest load of each dataset: the list version a run screened against."""
    sql = "SELECT dataset, MAX(id), MAX(loaded_at) FROM loads"
    params: tuple[Any, ...] = ()
    if dataset is not None:
        sql += " WHERE dataset = ?"
        params = (dataset,)
    return [ListVersion(dataset=r[0], load_id=int(r[1]), loaded_at=r[2])
            for r in store.query(sql + " GROUP BY dataset ORDER BY dataset", params)]


class _Run:
    """One re-screening run's state: the snapshots, rows and pairs its steps share.

    :func:`run` calls the steps in order — :meth:`changes`, :meth:`reverse`,
    :meth:`forward`, :meth:`blocked`, :meth:`alerts`, :meth:`write` — each a
    named stage with its own lap in ``timings``.
    """

    def __init__(self, db: MonitorDB, name: str, *, full: bool, progress: ProgressFn | None) -> None:
        self.db = db
        self.name = name
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.store = db.store
        self.wl = wl_mod.get(db, name)
        self.scorer = get_scorer(self.wl.algorithm)
        self.started = now_iso()
        self.versions = list_versions(self.store, self.wl.dataset)
        self.upto = self.store.query("SELECT MAX(id), MAX(loaded_at) FROM loads")[0]
        self.last = db.query("SELECT upto_time FROM monitor_runs WHERE watchlist = ? ORDER BY id DESC LIMIT 1",
                             (name,))
        self.mode = "full" if full or not self.last or self.last[0][0] is None else "incremental"
        self.since: str | None = None if self.mode == "full" else self.last[0][0]
        # Light rows (id, name, fingerprint); properties are read for the rows a run scores or reports.
        self.rows = wl_mod.rows(db, name, columns=False, properties=False)
        self.by_row = {cp.row_id: cp for cp in self.rows}
        self.complete: set[str] = set()
        self.cmap = self.store.canonical_map()
        self.snaps: dict[str, Snapshot | None] = {}
        self.changed: dict[str, tuple[tuple[str, str] | None, Snapshot | None]] = {}
        self.changed_schemata: set[str] = set()
        self.new_rows: list[wl_mod.Counterparty] = []
        self.affected_rows: set[str] = set()
        self.prev_pairs: dict[tuple[str, str], tuple[float, bool, bool]] = {}
        self.prev_by_entity: dict[str, list[str]] = {}
        self.prev_by_row: dict[str, list[str]] = {}
        self.hits: dict[tuple[str, str], Hit] = {}
        self.current: dict[tuple[str, str], Hit] = {}
        self.scored = 0
        self.cp_records: dict[str, Record] = {}
        self.idx: ScreeningIndex | None = None
        self.positions: dict[str, int] | None = None
        self.to_screen: dict[str, Snapshot] = {}
        self.entity_snaps: dict[str, Snapshot] = {}
        self.nameless: dict[str, list[str]] = {}
        self.allowed_cache: dict[str, frozenset[str]] = {}
        self.block_info: dict[str, alerts_mod.BlockInfo] = {}
        self.raised: list[alerts_mod.RaisedAlert] = []

    def lap(self, label: str, start: float) -> float:
        now = time.perf_counter()
        self.timings[label] = round(now - start, 3)
        return now

    def read_rows(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in self.complete and i in self.by_row]
        for cp in wl_mod.rows(self.db, self.name, columns=False, ids=missing) if missing else ():
            self.by_row[cp.row_id] = cp
        self.complete.update(missing)

    # -- which entities changed ---------------------------------------------
    def changes(self) -> None:
        """The entities whose match or details fingerprint moved since the last run."""
        prev_fp: dict[str, tuple[str, str]] = {}
        prev_content: dict[str, str] = {}
        for r in self.db.query("SELECT entity_id, fingerprint, details, content FROM monitor_entities "
                               "WHERE watchlist = ?", (self.name,)):
            prev_fp[r[0]] = (r[1], r[2])
            prev_content[r[0]] = r[3]
        if self.mode == "full":
            candidates = all_entity_ids(self.store, self.wl.dataset) | set(prev_fp)
        else:
            assert self.since is not None
            candidates, self.changed_schemata = changed_since(self.store, self.since, self.wl.dataset)
            candidates |= {eid for eid, (fp, _) in prev_fp.items() if fp == ""}  # gone before: relisted?
        candidates = {self.cmap.get(e, e) for e in candidates}
        # Incremental: entities whose values and sanctions are as the last run saw them drop out unread.
        self.snaps = snapshots(self.store, candidates, self.cmap, self.wl.dataset,
                               known=prev_content if self.mode == "incremental" else None) if candidates else {}
        for cid, snap in self.snaps.items():
            before = prev_fp.get(cid)
            if before is not None and before[0] == "":
                before = None
            if snap is None and before is None:
                continue
            if snap is not None and before == (snap.match_fp, snap.details_fp):
                continue
            self.changed[cid] = (before, snap)

    # -- the pairs to score ---------------------------------------------------
    def pairs(self) -> None:
        """The new rows, the previous pairs and the entities to screen against the counterparties."""
        db, name = self.db, self.name
        unscreened = {r[0] for r in db.query("SELECT row_id FROM monitor_rows WHERE watchlist = ? AND screened = 0",
                                             (name,))} if self.mode == "incremental" else set()
        self.read_rows(unscreened)
        self.new_rows = [self.by_row[r] for r in sorted(unscreened) if r in self.by_row]
        self.affected_rows = {cp.row_id for cp in self.new_rows}
        for r in db.query("SELECT row_id, entity_id, score, matched, blocked FROM monitor_pairs WHERE watchlist = ?",
                          (name,)):
            self.prev_pairs[(r[0], r[1])] = (float(r[2]), bool(r[3]), bool(r[4]))
        for r_id, e_id in self.prev_pairs:
            self.prev_by_entity.setdefault(e_id, []).append(r_id)
            self.prev_by_row.setdefault(r_id, []).append(e_id)
        # A full run scores every entity (its hits are rebuilt); an incremental one the changed ones.
        self.to_screen = {cid: s for cid, s in self.snaps.items() if s is not None} if self.mode == "full" else \
            {cid: s for cid, (_, s) in self.changed.items() if s is not None}
        if self.to_screen and self.rows:
            self.idx, self.positions = counterparty_index(db, name, self.rows)

    def cp_record(self, row_id: str) -> Record:
        rec = self.cp_records.get(row_id)
        if rec is None:
            pos = self.positions.get(row_id) if self.positions is not None else None
            if self.idx is not None and pos is not None:
                rec = self.idx.record(pos)
            else:  # a row with identifiers only is not in the name index
                self.read_rows([row_id])
                cp = self.by_row[row_id]
                rec = make_record(cp.schema, cp.properties)
            self.cp_records[row_id] = rec
        return rec

    def score_pair(self, row_id: str, snap: Snapshot) -> None:
        rec = self.cp_record(row_id)
        allowed = self.allowed_cache.get(rec.schema)
        if allowed is None:
            allowed = self.allowed_cache[rec.schema] = _allowed(rec.schema)
        if snap.record.schema not in allowed:
            return
        self.scored += 1
        sc = self.scorer.score(rec, snap.record)
        if sc.score >= FLOOR:
            self.hits[(row_id, snap.id)] = Hit(row_id, snap.id, sc.score, sc.score >= self.wl.threshold, detail=sc)

    def reverse(self) -> None:
        """Each changed entity as a query against the counterparty index (and its previous hits)."""
        self.entity_snaps = dict(self.to_screen)
        # Rows without a name are met through their identifiers only.
        if self.to_screen:
            outside = [r for r in self.by_row if self.positions is None or r not in self.positions]
            self.read_rows(outside)
            for rid in outside:
                for value in self.cp_record(rid).id_values:
                    self.nameless.setdefault(value, []).append(rid)
        idx = self.idx
        done = 0
        for cid, snap in self.to_screen.items():
            if idx is None:
                break  # the watchlist has no rows
            rids = {idx.ids[i] for i in idx.candidates(snap.record, limit=REVERSE_CANDIDATES)}
            for value in snap.record.id_values:
                rids.update(self.nameless.get(value, ()))
            rids.update(self.prev_by_entity.get(cid, ()))
            for rid in rids:
                if rid in self.by_row:
                    self.score_pair(rid, snap)
            done += 1
            if self.progress is not None and done % 500 == 0:
                self.progress("entities", done, len(self.to_screen))

    def forward(self) -> None:
        """New or changed counterparties: screened against the store's index."""
        if not self.new_rows:
            return
        main = index_for(self.store, self.wl.dataset)
        found: dict[str, list[str]] = {}
        for cp in self.new_rows:
            rec = make_record(cp.schema, cp.properties)
            self.cp_records[cp.row_id] = rec
            ids = [c.id for c in main.search(rec, algorithm=self.wl.algorithm, limit=FORWARD_CANDIDATES,
                                              cutoff=FLOOR)]
            found[cp.row_id] = [self.cmap.get(e, e) for e in ids] + self.prev_by_row.get(cp.row_id, [])
        need = {e for ids in found.values() for e in ids} - set(self.entity_snaps)
        for cid, snap in (snapshots(self.store, need, self.cmap, self.wl.dataset) if need else {}).items():
            if snap is not None:
                self.entity_snaps[cid] = snap
        for rid, ids in found.items():
            for eid in set(ids):
                snap = self.entity_snaps.get(eid)
                if snap is not None:
                    self.score_pair(rid, snap)

    # -- blocked by ownership ---------------------------------------------------
    def blocked(self) -> None:
        """The current pairs (kept and new) with their blocked-by-ownership flags."""
        prev_pairs = self.prev_pairs

        # Pairs in scope: those touching a changed entity or a new/changed row.
        def in_scope(key: tuple[str, str]) -> bool:
            return key[1] in self.changed or key[0] in self.affected_rows or self.mode == "full"

        current = self.current
        for key, (score, matched, blocked) in prev_pairs.items():
            if not in_scope(key) and key[0] in self.by_row:
                current[key] = Hit(key[0], key[1], score, matched, blocked)
        current.update(self.hits)
        # The 50 % rule reads the whole ownership graph: worked out again only when ownership or
        # sanctions changed, or a pair newly matches; otherwise each pair keeps its blocked flag.
        newly = any(h.matched and not prev_pairs.get(k, (0.0, False, False))[1] for k, h in current.items())
        if self.mode == "full" or newly or self.changed_schemata & OWNERSHIP_SCHEMATA:
            self.block_info = _blocked(self.store) if any(h.matched for h in current.values()) else {}
            for h in current.values():
                h.blocked = h.matched and h.entity_id in self.block_info
        else:
            self.block_info = {}
            for k, h in current.items():
                h.blocked = h.matched and prev_pairs.get(k, (0.0, False, False))[2]

    # -- alerts ---------------------------------------------------------------
    def alerts(self) -> None:
        """The alerts: new hits against the previous ones."""
        self.read_rows({k[0] for k in self.prev_pairs} | {k[0] for k in self.current})  # counterparty whole
        version_of = {v["dataset"]: v for v in self.versions}
        captions: dict[str, tuple[str, str]] = {}
        cmap = self.cmap
        gone = [cid for cid, (_, snap) in self.changed.items() if snap is None]
        for s in self.store.statements(entity_ids=gone, include_removed=True) if gone else ():
            # gone: its last known name, from the removed statements
            if s.prop == "name" and cmap.get(s.entity_id, s.entity_id) not in captions:
                captions[cmap.get(s.entity_id, s.entity_id)] = (s.value, s.schema)
        self.raised = alerts_mod.diff(
            prev_pairs=self.prev_pairs, current=self.current, changed=self.changed,
            entity_snaps=self.entity_snaps, affected_rows=self.affected_rows, by_row=self.by_row,
            threshold=self.wl.threshold, block_info=self.block_info, version_of=version_of,
            scorer=f"{self.wl.algorithm} (redthread {__version__})", first_run=not self.last, captions=captions,
        )

    # -- write it all at once -------------------------------------------------
    def write(self, actor: str, trigger: str) -> RunResult:
        """Hits, fingerprints, alerts, the run record and its audit entry, in one transaction."""
        name, mode, current, prev_pairs = self.name, self.mode, self.current, self.prev_pairs
        result = RunResult(name, 0, mode, len(self.changed),
                           len(self.new_rows) if mode == "incremental" else len(self.rows),
                           self.scored, len(self.to_screen))
        with self.db.tx() as cur:
            run_id = cur.insert((
                "INSERT INTO monitor_runs (watchlist, started_at, finished_at, actor, trigger, mode, since, "
                "upto_load, upto_time, versions, scorer, threshold, changed_entities, screened_rows, pairs, alerts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                (name, self.started, now_iso(), actor, trigger, mode, self.since, self.upto[0],
                 self.upto[1] or self.started, orjson.dumps(self.versions).decode(), self.wl.algorithm,
                 self.wl.threshold, len(self.changed), result.screened_rows, len(current), len(self.raised)))
            result.run_id = run_id
            # Every entity read (changed or not) keeps its fingerprints, so the next run can skip it unread.
            ent_rows = [(name, cid, s.match_fp, s.details_fp, s.content) if s is not None
                        else (name, cid, "", "", "")
                        for cid, s in self.snaps.items() if s is not None or cid in self.changed]
            if mode == "full":
                cur.execute("DELETE FROM monitor_entities WHERE watchlist = ?", (name,))
            upsert = ("INSERT INTO monitor_entities (watchlist, entity_id, fingerprint, details, content) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (watchlist, entity_id) DO UPDATE SET "
                      "fingerprint = excluded.fingerprint, details = excluded.details, "
                      "content = excluded.content")
            for i in range(0, len(ent_rows), 1000):
                cur.executemany(upsert, ent_rows[i:i + 1000])
            gone_pairs = [k for k in prev_pairs if k not in current]
            delete = "DELETE FROM monitor_pairs WHERE watchlist = ? AND row_id = ? AND entity_id = ?"
            for i in range(0, len(gone_pairs), 1000):
                cur.executemany(delete, [(name, r, e) for r, e in gone_pairs[i:i + 1000]])
            put = ("INSERT INTO monitor_pairs (watchlist, row_id, entity_id, score, matched, blocked, run_id) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (watchlist, row_id, entity_id) DO UPDATE SET "
                   "score = excluded.score, matched = excluded.matched, blocked = excluded.blocked, "
                   "run_id = excluded.run_id")
            pair_rows = [(name, h.row_id, h.entity_id, h.score, int(h.matched), int(h.blocked), run_id)
                         for k, h in current.items() if prev_pairs.get(k) != (h.score, h.matched, h.blocked)]
            for i in range(0, len(pair_rows), 1000):
                cur.executemany(put, pair_rows[i:i + 1000])
            cur.execute("UPDATE monitor_rows SET screened = 1 WHERE watchlist = ? AND screened = 0", (name,))
            audit.append(self.db, cur, actor, "screen", watchlist=name, subject=f"run {run_id}", detail={
                "mode": mode, "trigger": trigger, "since": self.since,
                "versions": [{"dataset": v["dataset"], "load_id": v["load_id"], "loaded_at": v["loaded_at"]}
                             for v in self.versions],
                "scorer": self.wl.algorithm, "redthread": __version__, "threshold": self.wl.threshold,
                "rows": len(self.rows), "changed_entities": len(self.changed),
                "screened_rows": result.screened_rows, "pairs_scored": self.scored, "hits": len(current),
                "matches": sum(h.matched for h in current.values()), "alerts": len(self.raised)})
            result.alerts = alerts_mod.store_alerts(self.db, cur, name, run_id, self.raised, actor=actor)
        return result


def run(
    db: MonitorDB,
    name: str,
    *,
    actor: str = "",
    trigger: str = "manual",
    full: bool = False,
    notify: bool = True,
    progress: ProgressFn | None = None,
) -> RunResult:
    """Re-screen one watchlist; returns what was done and the alerts raised.

    The steps are :class:`_Run`'s methods; each gets its lap in ``timings``.
    """
    t0 = time.perf_counter()
    r = _Run(db, name, full=full, progress=progress)
    t = time.perf_counter()
    r.changes()
    t = r.lap("changes", t)
    r.pairs()
    t = r.lap("index", t)
    r.reverse()
    t = r.lap("reverse", t)
    r.forward()
    t = r.lap("forward", t)
    r.blocked()
    t = r.lap("blocked", t)
    r.alerts()
    t = r.lap("diff", t)
    result = r.write(actor, trigger)
    r.lap("write", t)
    result.seconds = round(time.perf_counter() - t0, 3)
    result.timings = r.timings
    if notify:
        from redthread.monitor import notify as notify_mod

        notify_mod.send_all(r.wl, [a for a in result.alerts if a["status"] == "open"])
    return result


def _blocked(store: Any) -> dict[str, alerts_mod.BlockInfo]:
    """Entities blocked by ownership (the 50 % rule, any authority), with their blocked owners."""
    has = store.query("SELECT 1 FROM statements WHERE schema = 'Ownership' AND removed_at IS NULL LIMIT 1")
    if not has:
        return {}
    from redthread.analyze.ownership import blocked

    try:
        items = blocked(store, authority=None)
    except Exception as exc:  # the rule is evidence for alerts, never a reason to lose a run
        log.warning("50 %% rule failed, blocked status left out: %s", exc)
        return {}
    return {str(b["id"]): alerts_mod.BlockInfo(blocked_share=b["blocked_share"], owners=b["owners"][:10],
                                               sanctioned_roots=b["sanctioned_roots"][:10]) for b in items}


def run_all(db: MonitorDB, *, actor: str = "", trigger: str = "load", notify: bool = True) -> list[RunResult]:
    """Re-screen every watchlist (the hook after a load)."""
    return [run(db, wl.name, actor=actor, trigger=trigger, notify=notify) for wl in wl_mod.list_all(db)]
