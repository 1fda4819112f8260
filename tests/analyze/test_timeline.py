"""Dated events in order, with removals."""

from __future__ import annotations

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
