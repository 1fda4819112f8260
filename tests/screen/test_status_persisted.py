"""The hits' listing status is kept on disk with the index: a fresh server does not work it out again.

Working it out loads the whole graph (seconds on a sanctions list); it used
to fall on the first ``/match`` of every new process even with the index on
disk. These tests run the real store and files; the only stand-in is a
``listing_status`` that refuses to run, to show it is not called.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redthread.ingest import ingest
from redthread.screen import clear_cache, match, persist, state
from redthread.screen.status import ListingStatus
from redthread.store import Store

ENTITIES = [
    {"id": "ps-owner", "schema": "Company", "properties": {"name": ["Velmora Shipping Holdings"]}},
    {"id": "ps-sub", "schema": "Company", "properties": {"name": ["Velmora Tankers"]}},
    {"id": "ps-plain", "schema": "Company", "properties": {"name": ["Velmora Fisheries"]}},
    {"id": "ps-sanction", "schema": "Sanction", "properties": {
        "entity": ["ps-owner"], "authority": ["Office of Foreign Assets Control"], "program": ["IRAN"],
        "startDate": ["2019-05-08"]}},
    {"id": "ps-own", "schema": "Ownership", "properties": {
        "owner": ["ps-owner"], "asset": ["ps-sub"], "percentage": ["75"]}},
]


def _write(tmp_path: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _hits(store: Store) -> dict[str, dict[str, Any]]:
    body = match(store, {"q": {"schema": "Company", "properties": {"name": ["Velmora"]}}}, limit=10)
    return {r["id"]: {k: r[k] for k in ("target", "sanctions", "blocked")} | {"topics": r["properties"].get("topics")}
            for r in body["responses"]["q"]["results"]}


def _fresh_process() -> None:
    """What a restarted server starts with: nothing in memory, the store's files on disk."""
    state.clear()
    clear_cache()


def _refuse(store: Store) -> ListingStatus:
    raise AssertionError("the listing status was worked out again")


def test_fresh_process_reads_the_status_from_disk(store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(store, [_write(tmp_path, "ps.ftm.json", ENTITIES)], "ps")
    before = _hits(store)
    assert before["ps-owner"]["topics"] == ["sanction"] and before["ps-sub"]["topics"] == ["sanction.linked"]
    path = persist.status_path_for(store, persist.content_digest(store))
    assert path is not None and path.exists()
    _fresh_process()
    monkeypatch.setattr(state, "listing_status", _refuse)
    assert _hits(store) == before  # same hits, same status, from the file


def test_a_new_load_works_the_status_out_afresh(store: Store, tmp_path: Path) -> None:
    ingest(store, [_write(tmp_path, "ps.ftm.json", ENTITIES)], "ps")
    assert _hits(store)["ps-plain"]["target"] is False
    extra = {"id": "ps-sanction-2", "schema": "Sanction", "properties": {
        "entity": ["ps-plain"], "authority": ["Office of Foreign Assets Control"], "program": ["IRAN"]}}
    ingest(store, [_write(tmp_path, "more.ftm.json", [extra])], "more")
    _fresh_process()
    after = _hits(store)["ps-plain"]
    assert after["target"] is True and after["topics"] == ["sanction"]
    files = list(path.parent.glob("status-*.pkl")) if (path := persist.status_path_for(
        store, persist.content_digest(store))) is not None else []
    assert files == [path]  # the old content's status file is gone
