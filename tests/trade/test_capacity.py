from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.store import Document, LoadBatch, Store
from redthread.trade.capacity import capacity, parse_bom
from redthread.trade.parties import party_id

TUNDRA = party_id("Tundra Trading LLC", "ru")
# Written for this test (not from any article).
TEXT = (
    "Tundra Trading LLC told investors that its assembly line can turn out up to 10,000 drones per month "
    "by next year.\n"
    "An unrelated firm, Other Works, said it makes 50 drones a week.\n"
)


def test_capacity_from_component_flows(trade_store: Store, trade_dir: Path) -> None:
    result = capacity(trade_store, TUNDRA, trade_dir / "bom.yaml")
    assert result["buyer_name"] == "Tundra Trading LLC" and result["months"] == 18
    comps = {c["name"]: c for c in result["components"]}
    assert set(comps) == {"motor", "flight_controller", "esc", "battery"}
    assert sorted(result["missing"]) == ["camera", "video_transmitter"]  # cameras go to another buyer
    motor = comps["motor"]
    # pieces are counted from declared quantities: 4,000 a month, 12,000 from March 2024
    assert motor["units"] == 14 * 4000 + 4 * 12000
    assert motor["supported_per_month"] == pytest.approx(motor["units"] / 18 / 4)
    assert motor["evidence"][0]["source"] == "records.csv" and motor["evidence"][0]["value_usd"] == 180000
    assert result["binding"] == "esc"  # the fewest units per month
    assert result["supported_per_month"] == pytest.approx(7000 / 18)
    assert result["recent_supported_per_month"] == pytest.approx(1400)
    assert result["claims"] == []


def test_claims_in_documents_naming_the_buyer(trade_store: Store, trade_dir: Path) -> None:
    trade_store.write(LoadBatch("press", "memo.txt", [], documents=[
        Document(id="doc-memo", dataset="press", title="Investor memo", text=TEXT),
        Document(id="doc-other", dataset="press", title="Other", text="Someone makes 99 drones per day."),
    ]))
    result = capacity(trade_store, TUNDRA, trade_dir / "bom.yaml")
    claims = result["claims"]
    assert [c["document"] for c in claims] == ["doc-memo", "doc-memo"]
    big, small = claims
    assert big["quote"] == "10,000 drones per month" and big["high"] == 10000 and big["near"]
    assert TEXT[big["span"][0]:big["span"][1]] == big["quote"]
    assert big["ratio"] == pytest.approx(10000 / result["supported_per_month"])
    assert small["low"] == pytest.approx(50 * 4.35)


def test_bom_validation() -> None:
    with pytest.raises(InputError, match="components"):
        parse_bom({"product": "x"})
    with pytest.raises(InputError, match="unit_price_usd"):
        parse_bom({"components": {"motor": {"per_unit": 4, "hs": ["8501"]}}})
    with pytest.raises(InputError, match="not an HS code"):
        parse_bom({"components": {"motor": {"hs": ["zz"], "unit_price_usd": 3}}})


def test_claims_in_a_published_report(store: Store, shared: Path) -> None:
    from redthread.trade.capacity import find_claims

    text = (shared / "corpus" / "report-aerohit-short.txt").read_text(encoding="utf-8")
    store.write(LoadBatch("press", "short", [], documents=[Document(id="short", dataset="press", text=text)]))
    claims = find_claims(store, ["Aero-HIT"], ["drones", "FPV drones"])
    assert [(c["low"], c["high"]) for c in claims] == [(10000, 10000), (200, 300)]
    assert claims[0]["near"] and TEXT not in claims[0]["context"]
    assert find_claims(store, ["Nobody Such Firm"], ["drones"]) == []
