"""The 50 % rule with stakes published as bands (BODS min/max, UK PSC "25-to-50-percent")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redthread.analyze.ownership import blocked, blocked_bounds, percentage_bounds
from redthread.ingest import ingest
from redthread.store import Store


@pytest.mark.parametrize(("text", "bounds"), [
    ("50", (50.0, 50.0)), ("25-50", (25.0, 50.0)), ("25 to 50 %", (25.0, 50.0)),
    ("ownership-of-shares-25-to-50-percent", (25.0, 50.0)),
    ("ownership-of-shares-75-to-100-percent", (75.0, 100.0)),
    ("more-than-25-percent", (25.0, 100.0)), ("a lot", None),
])
def test_percentage_bounds(text: str, bounds: tuple[float, float] | None) -> None:
    assert percentage_bounds(text) == bounds


def _entity(eid: str, schema: str, **props: list[str]) -> dict:
    return {"id": eid, "schema": schema, "properties": props}


def test_blocked_possibly_blocked_not_blocked(store: Store, tmp_path: Path) -> None:
    rows = [
        _entity("s", "Person", name=["Sam Sanctioned"]),
        _entity("s-sanction", "Sanction", entity=["s"], authority=["Office of Foreign Assets Control"]),
        _entity("band-low", "Company", name=["Band Low Ltd"]),
        _entity("band-mid", "Company", name=["Band Mid Ltd"]),
        _entity("band-high", "Company", name=["Band High Ltd"]),
        _entity("exact", "Company", name=["Exact Ltd"]),
        _entity("o1", "Ownership", owner=["s"], asset=["band-low"], percentage=["10-20"]),
        _entity("o2", "Ownership", owner=["s"], asset=["band-mid"], percentage=["25-50"]),
        _entity("o3", "Ownership", owner=["s"], asset=["band-high"], percentage=["ownership-of-shares-50-to-75-percent"]),
        _entity("o4", "Ownership", owner=["s"], asset=["exact"], percentage=["60"]),
    ]
    path = tmp_path / "bands.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ingest(store, [path], "bands")
    result = {r["id"]: r for r in blocked_bounds(store)}
    assert result["band-high"]["status"] == "blocked"
    assert (result["band-high"]["share_min"], result["band-high"]["share_max"]) == (50.0, 75.0)
    assert result["band-mid"]["status"] == "possibly blocked"
    assert (result["band-mid"]["share_min"], result["band-mid"]["share_max"]) == (25.0, 50.0)
    assert result["band-mid"]["owners"][0]["link"]["id"] == "o2"
    assert result["exact"]["status"] == "blocked"
    assert "band-low" not in result
    # The exact-only rule is unchanged: bands are not numbers to it.
    assert {r["id"] for r in blocked(store)} == {"exact"}
