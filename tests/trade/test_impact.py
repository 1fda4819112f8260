from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.store import Judgement, Store
from redthread.trade.impact import impact, sanctioned_ids
from redthread.trade.parties import party_id

TUNDRA = party_id("Tundra Trading LLC", "ru")
NORTHWIND = party_id("Northwind Electronics Limited", "hk")
CHIPMATIC = party_id("Chipmatic Semiconductor Co", "cn")
BRIGHTCELL = party_id("Brightcell Battery Co", "cn")


@pytest.fixture
def sanctioned(trade_store: Store, trade_dir: Path) -> Store:
    """The customs records plus a listed, sanctioned company merged with the buyer."""
    ingest(trade_store, [trade_dir / "sanctions.ftm.jsonl"], "list")
    trade_store.add_judgement(Judgement(TUNDRA, "list-tundra", "positive", "test", "2024-07-01T00:00:00"))
    return trade_store


def test_no_sanctioned_party_no_impact(trade_store: Store) -> None:
    assert impact(trade_store) == []


def test_ranked_by_what_a_designation_cuts(sanctioned: Store) -> None:
    assert sanctioned.canonical_id(TUNDRA) in sanctioned_ids(sanctioned)
    rows = impact(sanctioned)
    by_id = {r["id"]: r for r in rows}
    assert sanctioned.canonical_id(TUNDRA) not in by_id  # already sanctioned
    assert rows[0]["id"] == NORTHWIND and rows[0]["name"] == "Northwind Electronics Limited"
    # flight controllers (CHPL tier 1, weight 1.0) all pass through the Hong Kong intermediary
    assert rows[0]["cut_usd"] == pytest.approx(1_092_000)
    assert rows[0]["in_min_cut"] is True
    assert rows[0]["sanctioned_buyers"] == ["Tundra Trading LLC"] or rows[0]["sanctioned_buyers"] == [
        "Tundra Trading Limited Liability Company"]
    # its supplier can pass only what the intermediary can forward: fish (weight 0.1) keeps some flowing
    assert by_id[CHIPMATIC]["cut_usd"] == pytest.approx(1_092_000 - 720_000 * 0.1)
    # batteries are not on the CHPL: counted at weight 0.1
    assert by_id[BRIGHTCELL]["direct_usd"] == pytest.approx(by_id[BRIGHTCELL]["value_usd"] * 0.1)
    assert [r["cut_usd"] for r in rows] == sorted((r["cut_usd"] for r in rows), reverse=True)
    total = rows[0]["cut_usd"] / rows[0]["cut_share"]
    assert sum(r["min_cut_usd"] for r in rows) == pytest.approx(total)  # max flow = min cut
    ev = rows[0]["evidence"]
    assert ev["in"][0]["supplier"] == CHIPMATIC and ev["out"][0]["largest_record"].startswith("records.csv:")
    assert impact(sanctioned, top=2) == rows[:2]


def test_sanctioned_party_that_only_ships_to_sanctioned_ones(sanctioned: Store) -> None:
    """Brightcell ships only to the sanctioned buyer; sanctioning it too must not break the ranking."""
    from redthread.model import Statement
    from redthread.store import LoadBatch

    assert BRIGHTCELL is not None
    sanctioned.write(LoadBatch("list2", "l2", [
        Statement("s-bright", "Sanction", "id", "s-bright", "list2"),
        Statement("s-bright", "Sanction", "entity", BRIGHTCELL, "list2"),
    ]))
    rows = impact(sanctioned)
    ids = [r["id"] for r in rows]
    assert BRIGHTCELL not in ids and ids[0] == NORTHWIND
    assert all(r["sanctioned_buyers"] for r in rows)


def test_parties_owned_by_sanctioned_ones_count_as_sanctioned_buyers(sanctioned: Store) -> None:
    from redthread.model import Statement
    from redthread.store import LoadBatch

    polar = party_id("Polar Seafood LLC", "ru")
    assert polar is not None
    # The listed (sanctioned) company holds 60 % of the seafood firm that buys cameras.
    sanctioned.write(LoadBatch("registry", "reg", [
        Statement("own-polar", "Ownership", "owner", "list-tundra", "registry"),
        Statement("own-polar", "Ownership", "asset", polar, "registry"),
        Statement("own-polar", "Ownership", "percentage", "60", "registry"),
    ]))
    from redthread.trade.impact import owned_ids

    assert owned_ids(sanctioned) == {sanctioned.canonical_id(polar)}
    rows = {r["id"]: r for r in impact(sanctioned)}
    assert polar not in rows  # blocked by the 50 % rule: an end user, not a candidate
    camera = next(r for r in rows.values() if r["name"] == "Skyview Optics Ltd")
    assert camera["owned_buyers"] == ["Polar Seafood LLC"] and "Polar Seafood LLC" in camera["sanctioned_buyers"]
    assert camera["direct_usd"] > 0
    listed_only = {r["id"]: r for r in impact(sanctioned, owned=False)}
    assert polar in listed_only and all(not r["owned_buyers"] for r in listed_only.values())
    # cameras reach the sanctioned buyer only through the fish trade then: far less is cut
    assert (listed_only[camera["id"]]["cut_usd"] or 0.0) < camera["cut_usd"]
