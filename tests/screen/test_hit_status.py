"""Hits say whether they are sanctioned (by whom, since when) or blocked by the 50 % rule."""

from __future__ import annotations

import json
from pathlib import Path

from redthread.ingest import ingest
from redthread.screen import match
from redthread.screen.state import store_state
from redthread.store import Store

ENTITIES = [
    {"id": "st-owner", "schema": "Company", "properties": {"name": ["Karvane Heavy Industries"]}},
    {"id": "st-sub", "schema": "Company", "properties": {"name": ["Karvane Logistics"]}},
    {"id": "st-minor", "schema": "Company", "properties": {"name": ["Karvane Minority Holding"]}},
    {"id": "st-plain", "schema": "Company", "properties": {"name": ["Karvane Bakery"]}},
    {"id": "st-sanction", "schema": "Sanction", "properties": {
        "entity": ["st-owner"], "authority": ["Office of Foreign Assets Control"], "program": ["RUSSIA-EO14024"],
        "startDate": ["2022-04-06"]}},
    {"id": "st-own-1", "schema": "Ownership", "properties": {
        "owner": ["st-owner"], "asset": ["st-sub"], "percentage": ["60"]}},
    {"id": "st-own-2", "schema": "Ownership", "properties": {
        "owner": ["st-owner"], "asset": ["st-minor"], "percentage": ["20"]}},
]


def _load(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "status.ftm.json"
    path.write_text("\n".join(json.dumps(e) for e in ENTITIES) + "\n", encoding="utf-8")
    ingest(store, [path], "status")
    return store


def _hit(store: Store, name: str) -> dict:
    body = match(store, {"q": {"schema": "Company", "properties": {"name": [name]}}}, limit=10)
    return next(r for r in body["responses"]["q"]["results"] if r["caption"] == name)


def test_sanctioned_hit_says_by_whom_and_since_when(store: Store, tmp_path: Path) -> None:
    hit = _hit(_load(store, tmp_path), "Karvane Heavy Industries")
    assert hit["target"] is True
    assert "sanction" in hit["properties"]["topics"]
    (sanction,) = hit["sanctions"]
    assert "Foreign Assets Control" in sanction["authority"]
    assert sanction["program"] == "RUSSIA-EO14024" and sanction["listing_date"] == "2022-04-06"


def test_fifty_percent_rule_makes_a_linked_target(store: Store, tmp_path: Path) -> None:
    loaded = _load(store, tmp_path)
    sub = _hit(loaded, "Karvane Logistics")
    assert sub["target"] is True and sub["properties"]["topics"] == ["sanction.linked"]
    ofac = next(b for b in sub["blocked"] if b["authority"] == "OFAC")
    assert ofac["blocked_share"] == 60.0 and ofac["owners"][0]["id"] == "st-owner"
    minor = _hit(loaded, "Karvane Minority Holding")  # 20 %: not blocked
    assert minor["target"] is False and minor["blocked"] == [] and "topics" not in minor["properties"]
    plain = _hit(loaded, "Karvane Bakery")
    assert plain["target"] is False and plain["sanctions"] == []


def test_state_follows_the_store(store: Store, tmp_path: Path) -> None:
    """A new load changes the digest: datasets and status are worked out afresh, not served stale."""
    loaded = _load(store, tmp_path)
    before = store_state(loaded)
    assert store_state(loaded) is before  # cached while nothing changes
    extra = tmp_path / "more.ftm.json"
    extra.write_text(json.dumps({"id": "st-new", "schema": "Company", "properties": {"name": ["Ostrava Mills"]}})
                     + "\n", encoding="utf-8")
    ingest(loaded, [extra], "more")
    after = store_state(loaded)
    assert after is not before and "more" in after.datasets
    body = match(loaded, {"q": {"schema": "Company", "properties": {"name": ["Ostrava Mills"]}}}, dataset="more")
    assert body["responses"]["q"]["results"][0]["id"] == "st-new"


def test_results_csv_has_the_columns_an_analyst_files(store: Store, tmp_path: Path) -> None:
    import csv

    from redthread.screen.screening import screen_file

    loaded = _load(store, tmp_path)
    src = tmp_path / "parties.csv"
    src.write_text("id,name,schema\nr1,Karvane Heavy Industries,Company\nr2,Karvane Logistics,Company\n",
                   encoding="utf-8")
    out = tmp_path / "results.csv"
    screen_file(loaded, src, out, limit=1)
    rows = {r["row"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["r1"]["sanctioned"] == "true" and rows["r1"]["program"] == "RUSSIA-EO14024"
    assert rows["r1"]["listing_date"] == "2022-04-06" and rows["r1"]["topics"] == "sanction"
    assert rows["r2"]["sanctioned"] == "false" and rows["r2"]["topics"] == "sanction.linked"
    assert rows["r2"]["blocked_share"] == "60" and "OFAC" in rows["r2"]["blocked_authority"]
    assert rows["r2"]["blocked_owners"] == "Karvane Heavy Industries"
