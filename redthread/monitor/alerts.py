"""Alerts: each change in a watchlist's hits, with its evidence.

Kinds:

- ``new_match``: a counterparty now matches an entity it did not match
  (a new designation, a new counterparty, or a renamed entity);
- ``match_gone``: a match went away — ``reason`` says ``delisted`` (the
  entity left the list) or ``changed`` (its names or identifiers changed);
- ``score_crossed``: a known pair's score crossed the threshold, up or down
  (``direction``);
- ``blocked`` / ``unblocked``: a matched entity became, or stopped being,
  blocked by ownership (the 50 % rule);
- ``details_changed``: a matched entity's sanction details (programme,
  dates, authority, status) changed.

Every alert names the counterparty (the watchlist row's id and name), the
entity, the evidence (features, the names that met and where each was
stated, the sanctions, the blocked owners), the list version (load id and
date of the entity's dataset) and the scorer version. An earlier final
decision on the same pair is reused when neither side changed since
(:mod:`redthread.monitor.decisions`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

import orjson

from redthread.errors import RedthreadError
from redthread.model import now_iso
from redthread.monitor import audit
from redthread.monitor.snapshot import EntityBrief, NameSource, Snapshot, details_diff
from redthread.monitor.tables import MonitorDB

if TYPE_CHECKING:
    from redthread.monitor.rescreen import ListVersion
from redthread.store.base import TableCursor

KINDS = ("new_match", "match_gone", "score_crossed", "blocked", "unblocked", "details_changed")
#: Statuses: ``open`` until decided; ``pending`` awaits a second reviewer (four eyes).
STATUSES = ("open", "pending", "needs_review", "true_match", "false_positive")
FINAL = ("true_match", "false_positive")

class Counterparty(TypedDict):
    id: str
    name: str


class AlertEntity(TypedDict):
    id: str
    caption: str
    schema: str


class BlockInfo(TypedDict):
    """Why a matched entity is blocked by ownership: the share and the owners behind it."""

    blocked_share: float
    owners: list[Any]
    sanctioned_roots: list[Any]


class PreviousHit(TypedDict):
    score: float
    matched: bool
    blocked: bool


class RowRef(TypedDict):
    """The watchlist row as screened."""

    id: str
    name: str
    schema: str
    properties: dict[str, list[str]]


class AlertEvidence(TypedDict, total=False):
    """What changed, as the rule that raised the alert tells it (each kind fills its own keys)."""

    reason: str
    direction: str
    changes: Any
    threshold: float
    previous: PreviousHit
    features: Any
    explanations: Any
    name_sources: list[NameSource]
    entity: EntityBrief
    sanctions: Any
    blocked_by_ownership: BlockInfo
    counterparty: RowRef
    list_versions: list[ListVersion]


class RaisedAlert(TypedDict):
    """An alert as a run raises it, before it is stored."""

    row_id: str
    row_name: str
    kind: str
    entity_id: str
    entity_caption: str
    entity_schema: str
    score: float | None
    evidence: AlertEvidence
    load_id: int | None
    list_date: str | None
    scorer: str
    pair_fingerprint: str


class StoredAlert(RaisedAlert):
    """An alert as a run stored it: its id, run and status (an earlier decision may be reused)."""

    id: int
    watchlist: str
    run_id: int
    created_at: str
    status: str
    reused_from: int | None


class Decision(TypedDict):
    """One decision on an alert (``step``: the first reviewer's, or the confirmation under four eyes)."""

    id: int
    decision: str
    note: str
    actor: str
    step: str
    created_at: str


class Alert(StoredAlert):
    """A stored alert: the ``monitor_alerts`` row (what a run stored), its evidence read back, the pair
    named, and (one alert read by id) the decisions taken on it."""

    counterparty: Counterparty
    entity: AlertEntity
    decisions: NotRequired[list[Decision]]


_COLUMNS = ("id", "watchlist", "row_id", "row_name", "kind", "entity_id", "entity_caption", "entity_schema",
            "score", "evidence", "load_id", "list_date", "scorer", "run_id", "created_at", "status",
            "pair_fingerprint", "reused_from")


def _pair_fp(row_fp: str, snap: Snapshot | None) -> str:
    ent = f"{snap.match_fp}:{hashlib.sha1(snap.details_fp.encode()).hexdigest()}" if snap is not None else "gone"
    return hashlib.sha1(f"{row_fp}|{ent}".encode()).hexdigest()


def diff(
    *,
    prev_pairs: Mapping[tuple[str, str], tuple[float, bool, bool]],
    current: Mapping[tuple[str, str], Any],
    changed: Mapping[str, tuple[tuple[str, str] | None, Snapshot | None]],
    entity_snaps: Mapping[str, Snapshot],
    affected_rows: set[str],
    by_row: Mapping[str, Any],
    threshold: float,
    block_info: Mapping[str, BlockInfo],
    version_of: Mapping[str, ListVersion],
    scorer: str,
    first_run: bool,
    captions: Mapping[str, tuple[str, str]],
) -> list[RaisedAlert]:
    """The alerts between the previous hits and the current ones (not yet stored)."""
    out: list[RaisedAlert] = []
    for key in sorted(set(prev_pairs) | set(current)):
        row_id, eid = key
        row = by_row.get(row_id)
        if row is None:
            continue  # the counterparty left the watchlist
        prev = prev_pairs.get(key)
        cur = current.get(key)
        pm = bool(prev and prev[1])
        cm = bool(cur is not None and cur.matched)
        before, _ = changed.get(eid, (None, None))
        snap = entity_snaps.get(eid)
        entity_changed = eid in changed
        gone = entity_changed and changed[eid][1] is None
        kind: str | None = None
        extra: AlertEvidence = {}
        if cm and not pm:
            if prev is not None and row_id not in affected_rows:
                kind, extra = "score_crossed", {"direction": "up"}
            else:
                kind = "new_match"
                extra = {"reason": "first screening" if first_run else
                         "counterparty added or changed" if row_id in affected_rows else
                         "entity added" if entity_changed and before is None else "entity changed"}
        elif pm and not cm:
            if gone:
                kind, extra = "match_gone", {"reason": "delisted"}
            elif cur is not None:
                kind, extra = "score_crossed", {"direction": "down"}
            else:
                kind, extra = "match_gone", {"reason": "counterparty changed" if row_id in affected_rows
                                             else "changed"}
        elif pm and cm:
            assert prev is not None and cur is not None
            if entity_changed and snap is not None and before is not None and before[1] != snap.details_fp:
                kind, extra = "details_changed", {"changes": details_diff(before[1], snap.details_fp)}
                if _sanctioned(before[1]) and not snap.sanctions:
                    extra["reason"] = "delisted"  # still in the store (another source), no longer sanctioned
            elif cur.blocked != prev[2]:
                kind = "blocked" if cur.blocked else "unblocked"
        if kind is None:
            continue
        out.append(_alert(kind, extra, row, eid, snap, cur, prev, threshold, block_info, version_of, scorer,
                          captions))
        if kind == "details_changed" and cur is not None and prev is not None and cur.blocked != prev[2]:
            out.append(_alert("blocked" if cur.blocked else "unblocked", {}, row, eid, snap, cur, prev,
                              threshold, block_info, version_of, scorer, captions))
    return out


def _sanctioned(details: str) -> bool:
    return bool(details and orjson.loads(details).get("sanctions"))


def _alert(kind: str, extra: AlertEvidence, row: Any, eid: str, snap: Snapshot | None, cur: Any,
           prev: tuple[float, bool, bool] | None, threshold: float, block_info: Mapping[str, BlockInfo],
           version_of: Mapping[str, ListVersion], scorer: str,
           captions: Mapping[str, tuple[str, str]]) -> RaisedAlert:
    evidence: AlertEvidence = extra.copy()
    evidence["threshold"] = threshold
    if prev is not None:
        evidence["previous"] = {"score": prev[0], "matched": prev[1], "blocked": prev[2]}
    detail = getattr(cur, "detail", None)
    if detail is not None:
        evidence["features"] = detail.features
        evidence["explanations"] = detail.explanations
        matched_name = detail.explanations.get("name", {}).get("candidate")
        if matched_name and snap is not None:
            evidence["name_sources"] = snap.name_sources(matched_name)
    if snap is not None:
        evidence["entity"] = snap.brief()
        evidence["sanctions"] = snap.sanctions
    if cur is not None and cur.blocked and eid in block_info:
        evidence["blocked_by_ownership"] = block_info[eid]
    evidence["counterparty"] = {"id": row.row_id, "name": row.name, "schema": row.schema,
                                "properties": row.properties}
    datasets = (snap.entity.datasets if snap is not None else None) or sorted(version_of)
    version = next((version_of[d] for d in datasets if d in version_of), None)
    caption, schema = (snap.caption, snap.entity.schema) if snap is not None else \
        captions.get(eid, (eid, ""))
    evidence["list_versions"] = [version_of[d] for d in datasets if d in version_of]
    return {
        "row_id": row.row_id, "row_name": row.name, "kind": kind, "entity_id": eid,
        "entity_caption": caption, "entity_schema": schema,
        "score": cur.score if cur is not None else (prev[0] if prev else None),
        "evidence": evidence, "load_id": version["load_id"] if version else None,
        "list_date": version["loaded_at"] if version else None, "scorer": scorer,
        "pair_fingerprint": _pair_fp(row.fingerprint, snap),
    }


def store_alerts(db: MonitorDB, cur: TableCursor, watchlist: str, run_id: int, raised: list[RaisedAlert], *,
                 actor: str) -> list[StoredAlert]:
    """Insert a run's alerts (inside its transaction), reusing earlier final decisions."""
    now = now_iso()
    stored: list[StoredAlert] = []
    for a in raised:
        status, reused = "open", None
        if a["kind"] in ("new_match", "score_crossed", "details_changed", "blocked", "unblocked"):
            found = reusable_decision(db, cur, watchlist, a["row_id"], a["entity_id"], a["pair_fingerprint"])
            if found is not None:
                status, reused = found
        alert_id = cur.insert((
            "INSERT INTO monitor_alerts (watchlist, row_id, row_name, kind, entity_id, entity_caption, "
            "entity_schema, score, evidence, load_id, list_date, scorer, run_id, created_at, status, "
            "pair_fingerprint, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            (watchlist, a["row_id"], a["row_name"], a["kind"], a["entity_id"], a["entity_caption"],
             a["entity_schema"], a["score"], orjson.dumps(a["evidence"]).decode(), a["load_id"], a["list_date"],
             a["scorer"], run_id, now, status, a["pair_fingerprint"], reused))
        body = StoredAlert(**a, id=alert_id, watchlist=watchlist, run_id=run_id, created_at=now, status=status,
                           reused_from=reused)
        audit.append(db, cur, actor, "alert", watchlist=watchlist, subject=f"alert {alert_id}", detail={
            "kind": a["kind"], "row_id": a["row_id"], "row_name": a["row_name"], "entity_id": a["entity_id"],
            "entity_caption": a["entity_caption"], "score": a["score"], "load_id": a["load_id"],
            "list_date": a["list_date"], "scorer": a["scorer"], "run_id": run_id, "status": status})
        if reused is not None:
            cur.execute("INSERT INTO monitor_decisions (alert_id, decision, note, actor, step, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                        (alert_id, status, f"reused from alert {reused}: nothing relevant changed", "system",
                         "reused", now))
            audit.append(db, cur, "system", "decision_reused", watchlist=watchlist, subject=f"alert {alert_id}",
                         detail={"decision": status, "from_alert": reused})
        stored.append(body)
    return stored


def _row_dict(r: tuple[Any, ...]) -> Alert:
    d = dict(zip(_COLUMNS, r, strict=True))
    d["evidence"] = orjson.loads(d["evidence"])
    d["counterparty"] = Counterparty(id=d["row_id"], name=d["row_name"])
    d["entity"] = AlertEntity(id=d["entity_id"], caption=d["entity_caption"], schema=d["entity_schema"])
    return cast(Alert, d)  # the columns are the record's keys, in order


def list_alerts(db: MonitorDB, *, watchlist: str | None = None, status: str | None = None,
                kind: str | None = None, limit: int | None = None) -> list[Alert]:
    """Alerts, newest first, filtered."""
    where, params = [], []
    for col, value in (("watchlist", watchlist), ("status", status), ("kind", kind)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    if status is not None and status not in STATUSES:
        raise RedthreadError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    if kind is not None and kind not in KINDS:
        raise RedthreadError(f"unknown alert kind {kind!r}: use one of {', '.join(KINDS)}")
    sql = f"SELECT {', '.join(_COLUMNS)} FROM monitor_alerts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_row_dict(r) for r in db.query(sql, params)]


def decisions_of(db: MonitorDB, alert_id: int) -> list[Decision]:
    """The decisions taken on one alert, oldest first."""
    rows = db.query("SELECT id, decision, note, actor, step, created_at FROM monitor_decisions "
                    "WHERE alert_id = ? ORDER BY id", (alert_id,))
    keys = ("id", "decision", "note", "actor", "step", "created_at")
    return [cast(Decision, dict(zip(keys, r, strict=True))) for r in rows]


def get_alert(db: MonitorDB, alert_id: int) -> Alert:
    rows = db.query(f"SELECT {', '.join(_COLUMNS)} FROM monitor_alerts WHERE id = ?", (alert_id,))
    if not rows:
        raise RedthreadError(f"no alert {alert_id}; see `redthread alerts`")
    alert = _row_dict(rows[0])
    alert["decisions"] = decisions_of(db, alert_id)
    return alert


def reusable_decision(db: MonitorDB, cur: TableCursor, watchlist: str, row_id: str, entity_id: str,
                      pair_fingerprint: str) -> tuple[str, int] | None:
    """The final status of the latest decided alert on the same, unchanged pair, and its id.

    Here rather than in :mod:`redthread.monitor.decisions` (which reads alerts): storing a run's
    alerts reuses earlier decisions, and the two modules imported each other.
    """
    cur.execute(
        "SELECT id, status FROM monitor_alerts WHERE watchlist = ? AND row_id = ? AND entity_id = ? "
        "AND pair_fingerprint = ? AND status IN ('true_match', 'false_positive') ORDER BY id DESC LIMIT 1",
        (watchlist, row_id, entity_id, pair_fingerprint))
    row = cur.fetchone()
    return (str(row[1]), int(row[0])) if row else None
