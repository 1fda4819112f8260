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
from typing import Any, TypedDict

import orjson
from followthemoney import model

from redthread import __version__
from redthread.model import now_iso
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


class RunDict(TypedDict):
    """A run as JSON (:meth:`RunResult.to_dict`): ``alerts`` is how many it raised."""

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
    alerts: list[dict[str, Any]] = field(default_factory=list)
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


def list_versions(store: Any, dataset: str | None = None) -> list[dict[str, Any]]:
    """The latest load of each dataset: the list version a run screened against."""
    sql = "SELECT dataset, MAX(id), MAX(loaded_at) FROM loads"
    params: tuple[Any, ...] = ()
    if dataset is not None:
        sql += " WHERE dataset = ?"
        params = (dataset,)
    return [{"dataset": r[0], "load_id": int(r[1]), "loaded_at": r[2]}
            for r in store.query(sql + " GROUP BY dataset ORDER BY dataset", params)]


def run(  # noqa: C901, PLR0915 — one re-screening run: changed entities, pairs to score, the 50 % rule and the alerts share the run's snapshots and timings; its steps are marked `# --` sections (splitting into a class is the next step)
    db: MonitorDB,
    name: str,
    *,
    actor: str = "",
    trigger: str = "manual",
    full: bool = False,
    notify: bool = True,
    progress: ProgressFn | None = None,
) -> RunResult:
    """Re-screen one watchlist; returns what was done and the alerts raised."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(label: str, start: float) -> float:
        now = time.perf_counter()
        timings[label] = round(now - start, 3)
        return now

    store = db.store
    wl = wl_mod.get(db, name)
    scorer = get_scorer(wl.algorithm)
    started = now_iso()
    versions = list_versions(store, wl.dataset)
    upto = store.query("SELECT MAX(id), MAX(loaded_at) FROM loads")[0]
    last = db.query("SELECT upto_time FROM monitor_runs WHERE watchlist = ? ORDER BY id DESC LIMIT 1", (name,))
    mode = "full" if full or not last or last[0][0] is None else "incremental"
    since = None if mode == "full" else last[0][0]

    # Light rows (id, name, fingerprint); properties are read for the rows a run scores or reports.
    rows = wl_mod.rows(db, name, columns=False, properties=False)
    by_row = {cp.row_id: cp for cp in rows}
    complete: set[str] = set()

    def read_rows(ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in complete and i in by_row]
        for cp in wl_mod.rows(db, name, columns=False, ids=missing) if missing else ():
            by_row[cp.row_id] = cp
        complete.update(missing)
    cmap = store.canonical_map()
    t = time.perf_counter()

    # -- which entities changed ---------------------------------------------
    prev_fp: dict[str, tuple[str, str]] = {}
    prev_content: dict[str, str] = {}
    for r in db.query("SELECT entity_id, fingerprint, details, content FROM monitor_entities WHERE watchlist = ?",
                      (name,)):
        prev_fp[r[0]] = (r[1], r[2])
        prev_content[r[0]] = r[3]
    changed_schemata: set[str] = set()
    if mode == "full":
        candidates = all_entity_ids(store, wl.dataset) | set(prev_fp)
    else:
        assert since is not None
        candidates, changed_schemata = changed_since(store, since, wl.dataset)
        candidates |= {eid for eid, (fp, _) in prev_fp.items() if fp == ""}  # gone before: relisted?
    candidates = {cmap.get(e, e) for e in candidates}
    # Incremental: entities whose values and sanctions are as the last run saw them drop out unread.
    snaps = snapshots(store, candidates, cmap, wl.dataset,
                      known=prev_content if mode == "incremental" else None) if candidates else {}
    t = lap("changes", t)
    changed: dict[str, tuple[tuple[str, str] | None, Snapshot | None]] = {}
    for cid, snap in snaps.items():
        before = prev_fp.get(cid)
        if before is not None and before[0] == "":
            before = None
        if snap is None and before is None:
            continue
        if snap is not None and before == (snap.match_fp, snap.details_fp):
            continue
        changed[cid] = (before, snap)

    # -- the pairs to score ---------------------------------------------------
    unscreened = {r[0] for r in db.query("SELECT row_id FROM monitor_rows WHERE watchlist = ? AND screened = 0",
                                         (name,))} if mode == "incremental" else set()
    read_rows(unscreened)
    new_rows = [by_row[r] for r in sorted(unscreened) if r in by_row]
    affected_rows = {cp.row_id for cp in new_rows}
    prev_pairs: dict[tuple[str, str], tuple[float, bool, bool]] = {}
    for r in db.query("SELECT row_id, entity_id, score, matched, blocked FROM monitor_pairs WHERE watchlist = ?",
                      (name,)):
        prev_pairs[(r[0], r[1])] = (float(r[2]), bool(r[3]), bool(r[4]))
    prev_by_entity: dict[str, list[str]] = {}
    prev_by_row: dict[str, list[str]] = {}
    for r_id, e_id in prev_pairs:
        prev_by_entity.setdefault(e_id, []).append(r_id)
        prev_by_row.setdefault(r_id, []).append(e_id)
    hits: dict[tuple[str, str], Hit] = {}
    scored = 0
    cp_records: dict[str, Record] = {}
    idx = positions = None
    # A full run scores every entity (its hits are rebuilt); an incremental one the changed ones.
    to_screen = {cid: s for cid, s in snaps.items() if s is not None} if mode == "full" else \
        {cid: s for cid, (_, s) in changed.items() if s is not None}
    if to_screen and rows:
        idx, positions = counterparty_index(db, name, rows)
    t = lap("index", t)
    entity_snaps: dict[str, Snapshot] = dict(to_screen)

    def cp_record(row_id: str) -> Record:
        rec = cp_records.get(row_id)
        if rec is None:
            pos = positions.get(row_id) if positions is not None else None
            if idx is not None and pos is not None:
                rec = idx.record(pos)
            else:  # a row with identifiers only is not in the name index
                read_rows([row_id])
                cp = by_row[row_id]
                rec = make_record(cp.schema, cp.properties)
            cp_records[row_id] = rec
        return rec

    # Rows without a name are met through their identifiers only.
    nameless: dict[str, list[str]] = {}
    if to_screen:
        outside = [r for r in by_row if positions is None or r not in positions]
        read_rows(outside)
        for rid in outside:
            for value in cp_record(rid).id_values:
                nameless.setdefault(value, []).append(rid)

    allowed_cache: dict[str, frozenset[str]] = {}

    def score_pair(row_id: str, snap: Snapshot) -> None:
        nonlocal scored
        rec = cp_record(row_id)
        allowed = allowed_cache.get(rec.schema)
        if allowed is None:
            allowed = allowed_cache[rec.schema] = _allowed(rec.schema)
        if snap.record.schema not in allowed:
            return
        scored += 1
        sc = scorer.score(rec, snap.record)
        if sc.score >= FLOOR:
            hits[(row_id, snap.id)] = Hit(row_id, snap.id, sc.score, sc.score >= wl.threshold, detail=sc)

    done = 0
    for cid, snap in to_screen.items():
        if idx is None:
            break  # the watchlist has no rows
        rids = {idx.ids[i] for i in idx.candidates(snap.record, limit=REVERSE_CANDIDATES)}
        for value in snap.record.id_values:
            rids.update(nameless.get(value, ()))
        rids.update(prev_by_entity.get(cid, ()))
        for rid in rids:
            if rid in by_row:
                score_pair(rid, snap)
        done += 1
        if progress is not None and done % 500 == 0:
            progress("entities", done, len(to_screen))
    t = lap("reverse", t)
    if new_rows:
        # New or changed counterparties: screened against the store's index.
        main = index_for(store, wl.dataset)
        found: dict[str, list[str]] = {}
        for cp in new_rows:
            rec = make_record(cp.schema, cp.properties)
            cp_records[cp.row_id] = rec
            found[cp.row_id] = [c.id for c in main.search(rec, algorithm=wl.algorithm, limit=FORWARD_CANDIDATES,
                                                            cutoff=FLOOR)]
            found[cp.row_id] = [cmap.get(e, e) for e in found[cp.row_id]]
            found[cp.row_id] += prev_by_row.get(cp.row_id, [])
        need = {e for ids in found.values() for e in ids} - set(entity_snaps)
        for cid, snap in (snapshots(store, need, cmap, wl.dataset) if need else {}).items():
            if snap is not None:
                entity_snaps[cid] = snap
        for rid, ids in found.items():
            for eid in set(ids):
                snap = entity_snaps.get(eid)
                if snap is not None:
                    score_pair(rid, snap)
    t = lap("forward", t)

    # -- blocked by ownership ---------------------------------------------------
    # Pairs in scope: those touching a changed entity or a new/changed row.
    def in_scope(key: tuple[str, str]) -> bool:
        return key[1] in changed or key[0] in affected_rows or mode == "full"

    current: dict[tuple[str, str], Hit] = {}
    for key, (score, matched, blocked) in prev_pairs.items():
        if not in_scope(key) and key[0] in by_row:
            current[key] = Hit(key[0], key[1], score, matched, blocked)
    current.update(hits)
    # The 50 % rule reads the whole ownership graph: worked out again only when ownership or
    # sanctions changed, or a pair newly matches; otherwise each pair keeps its blocked flag.
    newly = any(h.matched and not prev_pairs.get(k, (0.0, False, False))[1] for k, h in current.items())
    if mode == "full" or newly or changed_schemata & OWNERSHIP_SCHEMATA:
        block_info = _blocked(store) if any(h.matched for h in current.values()) else {}
        for h in current.values():
            h.blocked = h.matched and h.entity_id in block_info
    else:
        block_info = {}
        for k, h in current.items():
            h.blocked = h.matched and prev_pairs.get(k, (0.0, False, False))[2]
    t = lap("blocked", t)

    # -- alerts ---------------------------------------------------------------
    read_rows({k[0] for k in prev_pairs} | {k[0] for k in current})  # alerts show the counterparty whole
    version_of = {v["dataset"]: v for v in versions}
    captions: dict[str, tuple[str, str]] = {}
    gone = [cid for cid, (_, snap) in changed.items() if snap is None]
    for s in store.statements(entity_ids=gone, include_removed=True) if gone else ():
        # gone: its last known name, from the removed statements
        if s.prop == "name" and cmap.get(s.entity_id, s.entity_id) not in captions:
            captions[cmap.get(s.entity_id, s.entity_id)] = (s.value, s.schema)
    raised = alerts_mod.diff(
        prev_pairs=prev_pairs, current=current, changed=changed, entity_snaps=entity_snaps,
        affected_rows=affected_rows, by_row=by_row, threshold=wl.threshold, block_info=block_info,
        version_of=version_of, scorer=f"{wl.algorithm} (redthread {__version__})",
        first_run=not last, captions=captions,
    )
    t = lap("diff", t)

    # -- write it all at once -------------------------------------------------
    result = RunResult(name, 0, mode, len(changed), len(new_rows) if mode == "incremental" else len(rows),
                       scored, len(to_screen))
    with db.tx() as cur:
        run_id = cur.insert((
            "INSERT INTO monitor_runs (watchlist, started_at, finished_at, actor, trigger, mode, since, upto_load, "
            "upto_time, versions, scorer, threshold, changed_entities, screened_rows, pairs, alerts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            (name, started, now_iso(), actor, trigger, mode, since, upto[0], upto[1] or started,
             orjson.dumps(versions).decode(), wl.algorithm, wl.threshold, len(changed), result.screened_rows,
             len(current), len(raised)))
        result.run_id = run_id
        # Every entity read (changed or not) keeps its fingerprints, so the next run can skip it unread.
        ent_rows = [(name, cid, s.match_fp, s.details_fp, s.content) if s is not None else (name, cid, "", "", "")
                    for cid, s in snaps.items() if s is not None or cid in changed]
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
        audit.append(db, cur, actor, "screen", watchlist=name, subject=f"run {run_id}", detail={
            "mode": mode, "trigger": trigger, "since": since, "versions": versions, "scorer": wl.algorithm,
            "redthread": __version__, "threshold": wl.threshold, "rows": len(rows),
            "changed_entities": len(changed), "screened_rows": result.screened_rows, "pairs_scored": scored,
            "hits": len(current), "matches": sum(h.matched for h in current.values()), "alerts": len(raised)})
        result.alerts = alerts_mod.store_alerts(db, cur, name, run_id, raised, actor=actor)
    lap("write", t)
    result.seconds = round(time.perf_counter() - t0, 3)
    result.timings = timings
    if notify:
        from redthread.monitor import notify as notify_mod

        notify_mod.send_all(wl, [a for a in result.alerts if a["status"] == "open"])
    return result


def _blocked(store: Any) -> dict[str, dict[str, Any]]:
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
    return {str(b["id"]): {"blocked_share": b["blocked_share"], "owners": b["owners"][:10],
                           "sanctioned_roots": b["sanctioned_roots"][:10]} for b in items}


def run_all(db: MonitorDB, *, actor: str = "", trigger: str = "load", notify: bool = True) -> list[RunResult]:
    """Re-screen every watchlist (the hook after a load)."""
    return [run(db, wl.name, actor=actor, trigger=trigger, notify=notify) for wl in wl_mod.list_all(db)]
