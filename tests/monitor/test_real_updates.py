"""Two real dated versions of a list: the alerts must be the differences.

The expected differences are computed here from the files themselves (by
record id: entries gone, new, changed), independently of redthread's
loaders; the watchlist is made of the names of the entries involved plus
entries that did not change, which must raise nothing.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import redthread.monitor.hook as hook
from redthread.case import Case
from redthread.ingest import ingest
from redthread.monitor import MonitorDB, alerts, rescreen, watchlist
from redthread.screen import scorers
from redthread.store import open_store

UN_DIR = "data/formats/un-list"
OFAC_DIR = "data/formats/ofac-csv/history"


def un_entries(path: Path) -> dict[str, dict[str, str]]:
    """DATAID -> {child tag: serialised element} for every INDIVIDUAL and ENTITY."""
    out = {}
    for tag in ("INDIVIDUAL", "ENTITY"):
        for e in ET.parse(path).getroot().iter(tag):
            fields = {c.tag: ET.tostring(c, encoding="unicode").strip() for c in e}
            names = [(e.findtext(t) or "").strip() for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            fields["_name"] = " ".join(" ".join(names).split())
            fields["_schema"] = "Person" if tag == "INDIVIDUAL" else "Organization"
            out[e.findtext("DATAID") or ""] = fields
    return out


def ofac_rows(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="latin-1") as fh:
        return {r[0]: r for r in csv.reader(fh) if len(r) >= 12}  # the file ends with a one-field trailer


def _write_watchlist(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "schema"])
        w.writerows(rows)


def _by_row(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in items:
        out[a["row_id"]].append(a)
    return out


@pytest.fixture(scope="module")
def un_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.conftest import SHARED

    folder = SHARED / UN_DIR
    old = un_entries(folder / "un-consolidated-2018-06-21.xml")
    new = un_entries(folder / "un-consolidated-2018-08-24.xml")
    gone = set(old) - set(new)
    added = set(new) - set(old)
    changed = {k for k in set(old) & set(new) if old[k] != new[k]}
    steady = sorted(k for k in set(old) & set(new) if old[k] == new[k])[::40]  # unchanged: must stay quiet
    rows = [(f"cp-{k}", (old.get(k) or new[k])["_name"], (old.get(k) or new[k])["_schema"])
            for k in sorted(gone | added | changed) + steady]
    tmp = tmp_path_factory.mktemp("un")
    _write_watchlist(tmp / "wl.csv", rows)
    st = open_store(f"sqlite:///{tmp / 'store.db'}")
    ingest(st, [folder / "un-consolidated-2018-06-21.xml"], "un", "un-list", source="un.xml")
    db = MonitorDB(st)
    watchlist.add(db, "portfolio", tmp / "wl.csv", actor="alice")
    first = rescreen.run(db, "portfolio", actor="alice", notify=False)
    Case(st).load([folder / "un-consolidated-2018-08-24.xml"], "un", "un-list", source="un.xml")  # re-screens
    runs = hook.LAST.get("runs", [])
    return {"db": db, "gone": gone, "added": added, "changed": changed, "steady": steady, "first": first,
            "runs": runs, "old": old, "new": new}


def test_un_counts_are_the_published_ones(un_case: dict[str, Any]) -> None:
    assert (len(un_case["gone"]), len(un_case["added"]), len(un_case["changed"])) == (8, 6, 14)


def test_un_first_run_matches_what_was_listed(un_case: dict[str, Any]) -> None:
    first = un_case["first"]
    assert first.mode == "full"
    new_matches = {a["row_id"] for a in first.alerts if a["kind"] == "new_match"}
    # every row naming an entry of the old list matches it on the first run
    listed = {f"cp-{k}" for k in un_case["gone"] | un_case["changed"]} | {f"cp-{k}" for k in un_case["steady"]}
    assert listed <= new_matches
    assert not {f"cp-{k}" for k in un_case["added"]} & new_matches  # not listed yet


def test_un_update_alerts_are_the_differences(un_case: dict[str, Any]) -> None:
    runs = un_case["runs"]
    assert len(runs) == 1 and runs[0].mode == "incremental" and runs[0].watchlist == "portfolio"
    run = runs[0]
    by_row = _by_row(run.alerts)
    for k in un_case["added"]:
        kinds = [(a["kind"], a["entity_id"]) for a in by_row[f"cp-{k}"]]
        assert ("new_match", f"un-{k}") in kinds, k
    for k in un_case["gone"]:
        gone = [a for a in by_row[f"cp-{k}"] if a["kind"] == "match_gone" and a["entity_id"] == f"un-{k}"]
        assert gone and gone[0]["evidence"]["reason"] == "delisted", k
    for k in un_case["changed"]:
        # Changes of comments, addresses, titles or the case of a name keep the match.
        assert not [a for a in by_row[f"cp-{k}"] if a["kind"] in ("match_gone", "new_match")], k
    for k in un_case["steady"]:
        assert not by_row[f"cp-{k}"], k
    # Only entities that really changed were re-screened (not the whole list).
    assert run.changed_entities <= len(un_case["gone"] | un_case["added"] | un_case["changed"])


def test_un_alert_carries_evidence_and_versions(un_case: dict[str, Any]) -> None:
    run = un_case["runs"][0]
    k = sorted(un_case["added"])[0]
    alert = next(a for a in run.alerts if a["row_id"] == f"cp-{k}" and a["kind"] == "new_match")
    ev = alert["evidence"]
    assert alert["row_name"] == un_case["new"][k]["_name"]
    assert ev["features"]["name"] >= 0.7 and ev["explanations"]["name"]["candidate"]
    assert ev["name_sources"] and ev["name_sources"][0]["dataset"] == "un"
    assert ev["sanctions"] and ev["sanctions"][0]["authority"]
    loads = un_case["db"].store.loads("un")
    assert alert["load_id"] == loads[-1]["id"] and alert["list_date"] == loads[-1]["loaded_at"]
    assert alert["scorer"].startswith(scorers.DEFAULT)
    stored = alerts.get_alert(un_case["db"], alert["id"])
    assert stored["counterparty"] == {"id": f"cp-{k}", "name": un_case["new"][k]["_name"]}
    assert stored["entity"]["id"] == f"un-{k}" and stored["status"] == "open"


def test_un_nothing_changed_nothing_raised(un_case: dict[str, Any]) -> None:
    again = rescreen.run(un_case["db"], "portfolio", actor="alice", notify=False)
    assert again.alerts == [] and again.changed_entities == 0
    # The incremental runs left the same hits as screening everything again would.
    full = rescreen.run(un_case["db"], "portfolio", actor="alice", full=True, notify=False)
    assert full.mode == "full" and full.alerts == []
    assert full.screened_entities > 1000


@pytest.fixture(scope="module")
def ofac_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.conftest import SHARED

    folder = SHARED / OFAC_DIR
    old = ofac_rows(folder / "2022-02-24" / "sdn.csv")
    new = ofac_rows(folder / "2022-02-28" / "sdn.csv")
    added = set(new) - set(old)
    changed = {k for k in set(old) & set(new) if old[k] != new[k]}
    steady = sorted(k for k in set(old) & set(new) if old[k] == new[k])[::300]

    def schema(r: list[str]) -> str:
        return {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}.get(r[2].strip(), "LegalEntity")

    rows = [(f"cp-{k}", (old.get(k) or new[k])[1], schema(old.get(k) or new[k]))
            for k in sorted(added | changed) + steady]
    tmp = tmp_path_factory.mktemp("ofac")
    _write_watchlist(tmp / "wl.csv", rows)
    st = open_store(f"sqlite:///{tmp / 'store.db'}")
    ingest(st, [folder / "2022-02-24" / "sdn.csv"], "ofac", "ofac-csv", source="sdn.csv")
    db = MonitorDB(st)
    watchlist.add(db, "book", tmp / "wl.csv", actor="alice")
    rescreen.run(db, "book", actor="alice", notify=False)
    Case(st).load([folder / "2022-02-28" / "sdn.csv"], "ofac", "ofac-csv", source="sdn.csv")
    return {"db": db, "added": added, "changed": changed, "steady": steady, "old": old, "new": new,
            "runs": hook.LAST.get("runs", [])}


def test_ofac_counts_are_the_published_ones(ofac_case: dict[str, Any]) -> None:
    assert (len(ofac_case["added"]), len(ofac_case["changed"])) == (99, 6)


def test_ofac_update_alerts_are_the_differences(ofac_case: dict[str, Any]) -> None:
    (run,) = ofac_case["runs"]
    by_row = _by_row(run.alerts)
    old, new = ofac_case["old"], ofac_case["new"]
    for k in ofac_case["added"]:
        assert ("new_match", f"ofac-{k}") in [(a["kind"], a["entity_id"]) for a in by_row[f"cp-{k}"]], k
    for k in ofac_case["changed"]:
        kinds = {a["kind"] for a in by_row[f"cp-{k}"] if a["entity_id"] == f"ofac-{k}"}
        if old[k][3] != new[k][3]:  # the programme column changed
            detail = next(a for a in by_row[f"cp-{k}"] if a["kind"] == "details_changed")
            added_programs = set(detail["evidence"]["changes"]["program"]["added"])
            assert added_programs and added_programs <= {p.strip() for p in new[k][3].replace("]", "").split("[")}
        if old[k][1] != new[k][1] and old[k][1].lower() not in " ".join(new[k]).lower():
            # renamed, the old name nowhere in the new entry: the match went away or fell below
            assert kinds & {"match_gone", "score_crossed"}, k
        if old[k][1] == new[k][1] and old[k][3] == new[k][3]:
            assert not kinds, k  # remarks only: nothing to say
    for k in ofac_case["steady"]:
        assert not [a for a in by_row[f"cp-{k}"] if a["entity_id"] == f"ofac-{k}"], k
    assert run.changed_entities <= len(ofac_case["added"]) + len(ofac_case["changed"]) + 10
