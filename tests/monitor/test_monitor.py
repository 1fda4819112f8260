"""Watchlists, alert kinds, triage with four eyes and reuse, the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

import redthread.monitor.hook as hook
from redthread.errors import InputError, RedthreadError
from redthread.monitor import alerts, audit, decisions, rescreen, watchlist
from redthread.screen import scorers
from tests.monitor.conftest import Case


def _kinds(run: rescreen.RunResult) -> set[tuple[str, str, str]]:
    return {(a["row_id"], a["kind"], a["entity_id"]) for a in run.alerts}


def test_each_kind_of_change_raises_its_alert(any_case: Case) -> None:
    case = any_case
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    first = rescreen.run(case.db, "book", actor="alice", notify=False)
    assert _kinds(first) == {("c1", "new_match", "t-vantorin"), ("c2", "new_match", "t-kestrel"),
                             ("c3", "new_match", "t-brightwater")}
    assert not any(a["evidence"].get("blocked_by_ownership") for a in first.alerts)  # 30 + 10 < 50
    case.load(case.v2)  # the hook re-screens
    (run,) = hook.LAST["runs"]
    assert run.mode == "incremental"
    assert _kinds(run) == {("c1", "details_changed", "t-vantorin"), ("c2", "match_gone", "t-kestrel"),
                           ("c3", "blocked", "t-brightwater"), ("c4", "new_match", "t-northgate")}
    by = {a["kind"]: a for a in run.alerts}
    assert by["details_changed"]["evidence"]["changes"]["program"] == {"added": ["RUSSIA-EO14024"], "removed": []}
    assert by["match_gone"]["evidence"]["reason"] == "delisted"
    assert by["new_match"]["evidence"]["counterparty"] == {
        "id": "c4", "name": "Northgate Avionics", "schema": "Company", "properties": {"name": ["Northgate Avionics"]}}
    assert by["match_gone"]["entity_caption"] == "Kestrel Marine Logistics LLC"
    blocked = by["blocked"]["evidence"]["blocked_by_ownership"]
    assert blocked["blocked_share"] == pytest.approx(55.0)
    assert {o["id"] for o in blocked["owners"]} == {"t-halvorsk", "t-solvetz"}
    # Nothing changed since: no alert (a blocked pair stays blocked without the rule being run again).
    again = rescreen.run(case.db, "book", actor="alice", notify=False)
    assert again.alerts == [] and again.changed_entities == 0
    # A counterparty added to the watchlist that matches a blocked entity: blocked from the start.
    extra = case.tmp / "more.csv"
    extra.write_text(case.watchlist.read_text() + "c6,Brightwater Components Limited,Company,\n")
    watchlist.add(case.db, "book", extra, actor="alice")
    added = rescreen.run(case.db, "book", actor="alice", notify=False)
    (alert,) = [a for a in added.alerts if a["row_id"] == "c6"]
    assert alert["kind"] == "new_match" and alert["evidence"]["blocked_by_ownership"]["blocked_share"] == 55.0


def test_score_crossing_and_rename(case: Case, tmp_path: Path) -> None:
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice", threshold=0.95)
    rescreen.run(case.db, "book", actor="alice", notify=False)
    # The entity is renamed to a near spelling: still a hit, now below 0.95.
    renamed = [dict(e) for e in case_list(case)]
    for e in renamed:
        if e["id"] == "t-vantorin":
            e["properties"] = {**e["properties"], "name": ["Oleg Vantorina"]}
    from tests.monitor.conftest import write_jsonl

    case.load(write_jsonl(tmp_path / "v1b.json", renamed))
    (run,) = hook.LAST["runs"]
    crossed = [a for a in run.alerts if a["row_id"] == "c1"]
    assert [(a["kind"], a["evidence"]["direction"]) for a in crossed] == [("score_crossed", "down")]
    # Renamed to something else entirely: the hit is gone, not delisted.
    for e in renamed:
        if e["id"] == "t-kestrel":
            e["properties"] = {"name": ["Pelican Freight Services"]}
    case.load(write_jsonl(tmp_path / "v1c.json", renamed))
    (run,) = hook.LAST["runs"]
    gone = [a for a in run.alerts if a["row_id"] == "c2"]
    assert [(a["kind"], a["evidence"]["reason"]) for a in gone] == [("match_gone", "changed")]


def case_list(case: Case) -> list[dict[str, object]]:
    from tests.monitor.conftest import list_v1

    return list_v1()


def test_false_positive_stays_dismissed_until_the_entity_changes(any_case: Case, tmp_path: Path) -> None:
    case = any_case
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    first = rescreen.run(case.db, "book", actor="alice", notify=False)
    a1 = next(a for a in first.alerts if a["row_id"] == "c1")
    decisions.decide(case.db, a1["id"], "false_positive", actor="alice", note="different person, other DOB")
    without = tmp_path / "without.csv"
    without.write_text("\n".join(line for line in case.watchlist.read_text().splitlines()
                                 if not line.startswith("c1,")) + "\n")
    watchlist.add(case.db, "book", without, actor="alice")
    rescreen.run(case.db, "book", actor="alice", notify=False)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")  # the row is back, nothing else changed
    again = rescreen.run(case.db, "book", actor="alice", notify=False)
    (a2,) = [a for a in again.alerts if a["row_id"] == "c1"]
    assert a2["status"] == "false_positive" and a2["reused_from"] == a1["id"]
    assert [d["step"] for d in alerts.get_alert(case.db, a2["id"])["decisions"]] == ["reused"]
    # The entity changes (a new programme): the same dance gives an open alert.
    watchlist.add(case.db, "book", without, actor="alice")
    case.load(case.v2)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    third = rescreen.run(case.db, "book", actor="alice", notify=False)
    (a3,) = [a for a in third.alerts if a["row_id"] == "c1"]
    assert a3["status"] == "open" and a3["reused_from"] is None


def test_four_eyes(any_case: Case) -> None:
    case = any_case
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice", four_eyes=True)
    run = rescreen.run(case.db, "book", actor="alice", notify=False)
    aid = run.alerts[0]["id"]
    assert decisions.decide(case.db, aid, "true_match", actor="alice", note="same DOB")["status"] == "pending"
    with pytest.raises(RedthreadError, match="another reviewer"):
        decisions.decide(case.db, aid, "true_match", actor="alice", confirm=True)
    with pytest.raises(RedthreadError, match="proposed as true_match"):
        decisions.decide(case.db, aid, "false_positive", actor="bob", confirm=True)
    done = decisions.decide(case.db, aid, "true_match", actor="bob", confirm=True)
    assert done["status"] == "true_match"
    assert [(d["actor"], d["step"]) for d in done["decisions"]] == [("alice", "decision"), ("bob", "confirmation")]
    # needs_review is never final, so it needs no second pair of eyes
    other = run.alerts[1]["id"]
    assert decisions.decide(case.db, other, "review", actor="alice")["status"] == "needs_review"
    with pytest.raises(RedthreadError, match="unknown decision"):
        decisions.decide(case.db, other, "maybe", actor="alice")


def test_audit_trail_is_append_only_and_complete(any_case: Case, tmp_path: Path) -> None:
    case = any_case
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    run = rescreen.run(case.db, "book", actor="alice", notify=False)
    decisions.decide(case.db, run.alerts[0]["id"], "false_positive", actor="bob", note="checked")
    actions = [e.action for e in audit.entries(case.db)]
    assert actions[:2] == ["watchlist_add", "screen"] and actions.count("alert") == 3 and actions[-1] == "decide"
    screen = next(e for e in audit.entries(case.db) if e.action == "screen")
    assert screen.detail["versions"][0]["load_id"] == case.store.loads()[-1]["id"]
    assert screen.detail["scorer"] == scorers.DEFAULT  # the scorer that ran, recorded for the audit
    assert audit.verify(case.db) == []
    conn = case.store.conn  # type: ignore[attr-defined]
    for sql in ("UPDATE monitor_audit SET actor = 'mallory'", "DELETE FROM monitor_audit",
                "UPDATE monitor_decisions SET decision = 'true_match'"):
        with pytest.raises(Exception, match="append-only"):
            conn.execute(sql)
        conn.rollback()
    # Behind the store's back (triggers dropped), an edit still shows.
    sqlite = case.url.startswith("sqlite")
    conn.execute("DROP TRIGGER monitor_audit_no_update" if sqlite else
                 "ALTER TABLE monitor_audit DISABLE TRIGGER monitor_audit_append_only")
    conn.execute("UPDATE monitor_audit SET actor = 'mallory' WHERE action = 'decide'")
    conn.commit()
    assert any("edited" in p for p in audit.verify(case.db))
    out = tmp_path / "audit.csv"
    n = audit.export_file(case.db, out)
    lines = out.read_text().splitlines()
    assert n == len(actions) and lines[0].startswith("id,at,actor,action") and len(lines) == n + 1
    # JSON lines: each entry is the AuditEntry record as it is, its fields the trail's columns in order
    import dataclasses
    import io

    import orjson

    buf = io.StringIO()
    assert audit.export(case.db, buf, "jsonl") == n
    rows = [orjson.loads(line) for line in buf.getvalue().splitlines()]
    assert [f.name for f in dataclasses.fields(audit.AuditEntry)] == list(audit.COLUMNS)
    assert all(list(r) == list(audit.COLUMNS) and isinstance(r["detail"], dict) for r in rows)


def test_watchlist_bad_rows_cost_only_themselves(case: Case, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,schema\nr1,Oleg Vantorin,Person\nr2,,Person\nr1,Someone Else,Person\n"
                   "r3,Kestrel Marine,Spaceship\n", encoding="utf-8")
    counts, errors = watchlist.add(case.db, "w", bad, actor="alice")
    assert counts["added"] == 2
    assert [(e.line, e.field) for e in errors] == [(3, "name"), (4, "id"), (5, "schema")]
    assert {r.row_id: r.schema for r in watchlist.rows(case.db, "w")} == {"r1": "Person", "r3": "LegalEntity"}
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("id,label\n1,x\n")
    with pytest.raises(InputError, match="'name' column"):
        watchlist.add(case.db, "w", nocol, actor="alice")
    with pytest.raises(RedthreadError, match="invalid watchlist name"):
        watchlist.add(case.db, "../x", bad, actor="alice")


def test_watchlist_from_ftm_json_lines(case: Case, tmp_path: Path) -> None:
    case.load(case.v1)
    path = tmp_path / "cps.jsonl"
    path.write_text('{"id": "k-1", "schema": "Company", "properties": {"name": ["Kestrel Marine Logistics"]}}\n'
                    'not json\n', encoding="utf-8")
    counts, errors = watchlist.add(case.db, "j", path, actor="alice")
    assert counts["added"] == 1 and errors[0].line == 2
    run = rescreen.run(case.db, "j", actor="alice", notify=False)
    assert _kinds(run) == {("k-1", "new_match", "t-kestrel")}
    assert watchlist.remove(case.db, "j", actor="alice") == {"rows": 1}
    with pytest.raises(RedthreadError, match="no watchlist"):
        watchlist.get(case.db, "j")
    assert alerts.list_alerts(case.db, watchlist="j")  # the record stays


def test_counterparty_known_by_identifier_only(case: Case, tmp_path: Path) -> None:
    from tests.monitor.conftest import list_v1, write_jsonl

    case.load(case.v1)
    path = tmp_path / "ids.csv"
    path.write_text("id,name,inn\nx1,,7701234567\nx2,Quiet Harbour Foods,\n", encoding="utf-8")
    watchlist.add(case.db, "ids", path, actor="alice")
    assert rescreen.run(case.db, "ids", actor="alice", notify=False).alerts == []
    listed = list_v1() + [{"id": "t-inn", "schema": "Company",
                           "properties": {"name": ["Volna Trade House"], "innCode": ["7701234567"]}}]
    case.load(write_jsonl(tmp_path / "v1-inn.json", listed))
    (run,) = hook.LAST["runs"]
    (alert,) = run.alerts
    assert (alert["row_id"], alert["kind"], alert["entity_id"]) == ("x1", "new_match", "t-inn")
    assert alert["evidence"]["features"]["identifier_match"] == 1.0


def test_sanctions_lifted_while_the_entity_stays(case: Case, tmp_path: Path) -> None:
    from tests.monitor.conftest import list_v1, write_jsonl

    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    rescreen.run(case.db, "book", actor="alice", notify=False)
    lifted = [e for e in list_v1() if e["id"] != "s-vantorin"]
    case.load(write_jsonl(tmp_path / "lifted.json", lifted))
    (run,) = hook.LAST["runs"]
    (alert,) = run.alerts
    assert (alert["row_id"], alert["kind"], alert["evidence"]["reason"]) == ("c1", "details_changed", "delisted")
    assert alert["evidence"]["changes"]["program"] == {"added": [], "removed": ["UKRAINE-EO13661"]}


def test_relisted_entity_matches_again(case: Case) -> None:
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    rescreen.run(case.db, "book", actor="alice", notify=False)
    case.load(case.v2)  # Kestrel delisted
    case.load(case.v1)  # and back: the same statements come back to life with their old first_seen
    (run,) = hook.LAST["runs"]
    back = [(a["kind"], a["entity_id"]) for a in run.alerts if a["row_id"] == "c2"]
    assert back == [("new_match", "t-kestrel")]


def test_the_after_load_step_is_wired_through_the_case(case: Case) -> None:
    """A bare ingest re-screens nothing (no hook list in the ingest driver); a load through the case does."""
    import redthread.ingest.base as ingest_base
    from redthread.case import Case as StoreCase
    from redthread.ingest import ingest

    assert not hasattr(ingest_base, "AFTER_LOAD")
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    rescreen.run(case.db, "book", actor="alice", notify=False)
    before = len(alerts.list_alerts(case.db, watchlist="book"))
    hook.LAST.clear()
    results, _ = ingest(case.store, [case.v2], "lists", "ftm", source="list.json")
    assert hook.LAST == {} and len(alerts.list_alerts(case.db, watchlist="book")) == before
    (run,) = StoreCase(case.store).after_load(results)  # the case's step, called explicitly
    assert ("c4", "new_match", "t-northgate") in _kinds(run)
    assert hook.LAST["runs"] == [run]


def test_watchlist_settings_round_trip_by_name(any_case: Case) -> None:
    """Every setting written by ``add`` (insert, then update) is read back into its own field."""
    case = any_case
    watchlist.add(case.db, "book", case.watchlist, actor="alice", dataset="lists", threshold=0.81,
                  four_eyes=True, webhook="http://127.0.0.1:9/hook", command="true")
    first = watchlist.get(case.db, "book").to_dict()
    assert (first["dataset"], first["threshold"], first["four_eyes"], first["webhook"], first["command"]) == \
        ("lists", 0.81, True, "http://127.0.0.1:9/hook", "true")
    assert first["created_by"] == "alice" and first["rows"] == 5 and first["columns"][:2] == ["id", "name"]
    watchlist.add(case.db, "book", case.watchlist, actor="bob", threshold=0.9)
    second = watchlist.get(case.db, "book").to_dict()
    assert (second["dataset"], second["threshold"], second["four_eyes"], second["webhook"], second["command"]) == \
        (None, 0.9, False, None, None)
    assert second["created_by"] == "alice" and second["created_at"] == first["created_at"]
