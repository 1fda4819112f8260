"""Triage: true match, false positive or needs review, with a note; four eyes.

A decision is appended, never changed: a later decision on the same alert
is a new row, and the alert's status follows the latest. With four eyes on
(per watchlist, or ``REDTHREAD_FOUR_EYES=1`` for all), a final decision
(true match / false positive) first leaves the alert ``pending``; a second
reviewer — a different person — confirms it (or decides otherwise, which
starts over). ``needs_review`` is never final.

A final decision is reused for a later alert on the same pair when neither
side changed since (same counterparty fingerprint, same entity match and
details fingerprints): a dismissed false positive stays dismissed until the
entity changes.
"""

from __future__ import annotations

from redthread import settings
from redthread.errors import RedthreadError
from redthread.model import now_iso
from redthread.monitor import audit
from redthread.monitor.alerts import FINAL, Alert, get_alert
from redthread.monitor.tables import MonitorDB

DECISIONS = ("true_match", "false_positive", "needs_review")
_ALIASES = {"true": "true_match", "match": "true_match", "tp": "true_match", "false": "false_positive",
            "fp": "false_positive", "review": "needs_review"}


def four_eyes_default() -> bool:
    return settings.four_eyes()


def normalise(decision: str) -> str:
    d = decision.strip().lower().replace("-", "_").replace(" ", "_")
    d = _ALIASES.get(d, d)
    if d not in DECISIONS:
        raise RedthreadError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    return d


def decide(db: MonitorDB, alert_id: int, decision: str, *, actor: str, note: str = "",
           confirm: bool = False) -> Alert:
    """Record a decision (or, with ``confirm``, a second reviewer's confirmation); returns the alert."""
    if not actor:
        raise RedthreadError("a decision needs the reviewer's name (--user)")
    decision = normalise(decision)
    alert = get_alert(db, alert_id)
    setting = db.query("SELECT four_eyes FROM monitor_watchlists WHERE name = ?", (alert["watchlist"],))
    four_eyes = four_eyes_default() or bool(setting and setting[0][0])
    history = alert["decisions"]
    step = "decision"
    status = decision
    if confirm:
        if alert["status"] != "pending":
            raise RedthreadError(f"alert {alert_id} is {alert['status']}, not pending a second review")
        proposed = next((d for d in reversed(history) if d["step"] == "decision"), None)
        assert proposed is not None
        if proposed["actor"] == actor:
            raise RedthreadError(f"four eyes: {actor!r} proposed this decision; another reviewer must confirm it")
        if proposed["decision"] != decision:
            raise RedthreadError(f"alert {alert_id} was proposed as {proposed['decision']}; to disagree, "
                                 "record a new decision instead of confirming")
        step = "confirmation"
    elif four_eyes and decision in FINAL:
        status = "pending"
    with db.tx() as cur:
        now = now_iso()
        cur.execute("INSERT INTO monitor_decisions (alert_id, decision, note, actor, step, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (alert_id, decision, note, actor, step, now))
        cur.execute("UPDATE monitor_alerts SET status = ? WHERE id = ?", (status, alert_id))
        audit.append(db, cur, actor, "confirm" if confirm else "decide", watchlist=alert["watchlist"],
                     subject=f"alert {alert_id}", detail={
                         "decision": decision, "status": status, "note": note, "kind": alert["kind"],
                         "row_id": alert["row_id"], "entity_id": alert["entity_id"], "four_eyes": four_eyes})
    return get_alert(db, alert_id)
