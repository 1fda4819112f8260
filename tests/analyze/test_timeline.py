"""Dated events in order, with removals."""

from __future__ import annotations

from typing import Any

import pytest

from redthread.analyze.claims import claims
from redthread.analyze.timeline import timeline
from redthread.store import Store


def test_case_timeline_in_order(redflags_store: Store) -> None:
    events = timeline(redflags_store)
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    texts = [e["event"] for e in events]
    assert "Office of Foreign Assets Control sanctions Designated Works" in texts
    assert "Maker Electronics ships FPV drones with flight controllers to Northern Catering Services" in texts
    inc = next(e for e in events if e["entity"] and e["entity"]["id"] == "r-fresh")
    assert inc["date"] == "2023-05-01" and inc["evidence"][0]["location"].startswith("redflags.ftm.jsonl:")
    assert texts.index("Maker Electronics ships FPV drones with flight controllers to Northern Catering Services") \
        < texts.index("Office of Foreign Assets Control sanctions Designated Works")


def test_entity_timeline_includes_links_and_removals(redflags_store: Store) -> None:
    events = timeline(redflags_store, "r-designated")
    kinds = {e["kind"] for e in events}
    assert kinds == {"fact", "removed"}
    assert any(e["event"] == "Late Owner owns 60% of Designated Works" and e["date"] == "2024-08-01" for e in events)
    removed = [e for e in events if e["kind"] == "removed"]
    assert removed and all(e["evidence"][0]["dataset"] == "registry" for e in removed)
    assert all(any(p["id"] == "r-designated" for p in e["parties"]) for e in events)


def _count_scans(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count full reads of the store's statements (no entity or value filter)."""
    scans = [0]
    real = store.statements

    def counting(*args: Any, **kwargs: Any) -> Any:
        if not args and kwargs.get("entity_ids") is None and kwargs.get("values") is None:
            scans[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "statements", counting)
    return scans


def test_timeline_and_claims_read_the_statements_once(redflags_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large list (OFAC SDN) makes each full read cost seconds: the fact keys,
    entities and events of a timeline share one read; claims read once too."""
    before = timeline(redflags_store)
    entity = timeline(redflags_store, "r-designated")
    facts = claims(redflags_store)
    scans = _count_scans(redflags_store, monkeypatch)
    assert timeline(redflags_store) == before
    assert scans[0] == 1
    assert timeline(redflags_store, "r-designated") == entity
    assert scans[0] == 2
    assert claims(redflags_store) == facts
    assert scans[0] == 3
