"""The analytics on the starter case (tests/fixtures/starter.ftm.jsonl), end to end."""

from __future__ import annotations

from pathlib import Path

from redthread.analyze.exposure import exposure, paths
from redthread.analyze.ownership import blocked, owners_tree
from redthread.analyze.redflags import evaluate
from redthread.analyze.timeline import timeline
from redthread.ingest import ingest
from redthread.store import Store


def test_starter_case(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    # No stated percentages: nothing is blocked by ownership, only the designated maker is sanctioned.
    assert blocked(store) == []
    ranked = {r["id"]: r for r in exposure(store)}
    assert ranked["rt-komax"]["hops"] == 1 and ranked["rt-komax"]["path"][0]["type"] == "Control"
    assert ranked["rt-basyuk"]["hops"] == 2
    assert ranked["rt-aeromar"]["nearest"]["id"] == "rt-aerohit"
    (route,) = paths(store, "rt-basyuk", "rt-aeromar")
    assert [n["id"] for n in route["nodes"]] == ["rt-basyuk", "rt-komax", "rt-aerohit", "rt-aeromar"]
    tree = owners_tree(store, "rt-aerohit")
    assert tree["sanctioned"] is True
    assert tree["owners"][0]["node"]["id"] == "rt-komax"
    assert tree["owners"][0]["node"]["owners"][0]["node"]["id"] == "rt-basyuk"
    flags = evaluate(store, "rt-aeromar")
    assert [f["rule"] for f in flags] == ["unrelated-business"]
    events = [(e["date"], e["entity"]["id"]) for e in timeline(store, "rt-aerohit")]
    assert events == [("2023-07", "rt-trade-huasheng"), ("2024-06", "rt-sanction-ofac-aerohit")]
