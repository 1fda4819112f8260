from pathlib import Path

import pytest

from redthread.errors import RedthreadError
from redthread.model import Statement
from redthread.store import Judgement, LoadBatch, Store
from redthread.trade import charts, patterns
from redthread.trade.flows import flows, series
from redthread.trade.parties import party_id

TUNDRA = party_id("Tundra Trading LLC", "ru")
NORTHWIND = party_id("Northwind Electronics Limited", "hk")
CHIPMATIC = party_id("Chipmatic Semiconductor Co", "cn")


def test_top_flows_by_supplier_buyer_hs4(trade_store: Store) -> None:
    rows = flows(trade_store, ["supplier", "buyer", "hs4"], top=3)
    assert [r["hs4"] for r in rows] == ["8507", "8501", "8542"]
    assert rows[0]["supplier_name"] == "Brightcell Battery Co" and rows[0]["buyer"] == TUNDRA
    assert rows[0]["records"] == 18
    assert rows[0]["value_usd"] == pytest.approx(sum(
        r["value_usd"] for r in flows(trade_store, "supplier,buyer,hs4,month")
        if r["supplier"] == rows[0]["supplier"] and r["hs4"] == "8507"
    ))


def test_filters_chpl_and_dates(trade_store: Store) -> None:
    tiers = flows(trade_store, "chpl_tier", chpl_only=True)
    assert {r["chpl_tier"] for r in tiers} == {"1", "3.A"}
    window = flows(trade_store, "month", date_from="2024-01-01", date_to="2024-03-31")
    assert [r["month"] for r in sorted(window, key=lambda r: r["month"])] == ["2024-01", "2024-02", "2024-03"]
    routes = {r["route"] for r in flows(trade_store, "route")}
    assert "cn > hk > ru" in routes and "cn > ae > ru" in routes
    with pytest.raises(RedthreadError, match="unknown flow dimension"):
        flows(trade_store, "shipper")


def test_flows_follow_resolution(trade_store: Store) -> None:
    """A trade party merged with a listed company is counted as that company."""
    trade_store.write(LoadBatch("list", "list.jsonl", [
        Statement("list-tundra", "Company", "id", "list-tundra", "list"),
        Statement("list-tundra", "Company", "name", "Tundra Trading Limited Liability Company", "list"),
    ]))
    trade_store.add_judgement(Judgement(TUNDRA, "list-tundra", "positive", "test", "2024-01-01T00:00:00"))
    canonical = trade_store.canonical_id(TUNDRA)
    buyers = {r["buyer"] for r in flows(trade_store, "buyer")}
    assert canonical in buyers and not ({TUNDRA, "list-tundra"} - {canonical}) & buyers
    assert sum(r["value_usd"] for r in series(trade_store, "list-tundra")) == pytest.approx(
        sum(r["value_usd"] for r in series(trade_store, TUNDRA))
    )


def test_monthly_series(trade_store: Store) -> None:
    rows = series(trade_store, NORTHWIND, role="supplier")
    assert len(rows) == 18 and rows[0]["month"] == "2023-01"
    assert series(trade_store, NORTHWIND, role="any")[0]["records"] == 3  # in, out, and fish


def test_new_entrants_spikes_chains(trade_store: Store) -> None:
    new = patterns.new_entrants(trade_store, since="2024-01-01")
    assert [r["party_name"] for r in new] == ["Kestrel Components FZE"]
    assert str(new[0]["first_date"]) == "2024-02-03"
    spikes = patterns.spikes(trade_store, factor=2.5)
    assert (TUNDRA, "2024-03") in {(r["party"], r["month"]) for r in spikes}
    assert all(r["ratio"] >= 2.5 for r in spikes)
    chains = patterns.reexport_chains(trade_store, max_days=30, top=None)
    assert len(chains) == 18
    first = chains[0]
    assert (first["supplier"], first["intermediary"], first["buyer"]) == (CHIPMATIC, NORTHWIND, TUNDRA)
    assert first["days"] == 8 and first["hs4"] == "8542"
    assert first["in_source"] == "records.csv" and first["out_row"] == first["in_row"] + 1
    assert patterns.reexport_chains(trade_store, max_days=5) == []


def test_charts(trade_store: Store, tmp_path: Path) -> None:
    svg = charts.flow_chart(trade_store, tmp_path / "flows.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "Trade flows" in svg.read_text()
    png = charts.sankey(patterns.reexport_chains(trade_store), tmp_path / "chains.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    left, right = charts.sankey_links(patterns.reexport_chains(trade_store, top=None))
    assert sum(left.values()) == pytest.approx(sum(r["value_usd"] for r in flows(
        trade_store, "supplier,buyer") if r["supplier"] == CHIPMATIC))
    with pytest.raises(RedthreadError):
        charts.sankey([], tmp_path / "x.svg")
    with pytest.raises(RedthreadError):
        charts.flow_chart(trade_store, tmp_path / "x.txt")
