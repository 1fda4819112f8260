"""Where a party stands (sanctioned / blocked / exposed / clear), its trade, and who is on the other side of a shipment."""

from __future__ import annotations

from pathlib import Path

from redthread.analyze.profile import profile
from redthread.analyze.status import entity_status
from redthread.ingest import ingest
from redthread.search import search
from redthread.store import Store
from redthread.trade.summary import party_trade


def test_status_per_authority(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    st = entity_status(store, "rt-aerohit")
    assert st["status"] == "sanctioned" and st["designations"][0]["sources"]
    assert entity_status(store, "rt-komax")["status"] == "exposed"
    assert entity_status(store, "rt-komax")["exposure"]["hops"] == 1
    assert entity_status(store, "rt-komax", authority="UN")["status"] == "clear"  # only OFAC lists Aero-HIT


def test_shipment_links_name_the_counterparty(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    prof = profile(store, "rt-aeromar")
    assert prof is not None
    ships = [link for link in prof["links"] if link["schema"] == "EconomicActivity"]
    assert ships and all(link["counterpart"] and link["counterpart"]["caption"] for link in ships)


def test_party_trade(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "trade" / "records.csv"], "customs")
    tundra = str(search(store, "Tundra Trading")[0]["id"])
    t = party_trade(store, tundra)
    buyer = t["roles"]["buyer"]
    assert buyer["records"] > 0 and 0 < buyer["chpl_share"] < 1
    assert buyer["counterparties"][0]["party_name"]
    assert sum(m["records"] for m in t["monthly"]) == t["records"]
