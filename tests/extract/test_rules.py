"""The offline rules extractor on a document we wrote (tests/fixtures/extract/sample.txt)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from redthread.extract import ExtractionResult, extract_text

PARTIES = ("Person", "Company", "Organization", "PublicBody")


@pytest.fixture(scope="module")
def sample_text() -> str:
    return (Path(__file__).parents[1] / "fixtures" / "extract" / "sample.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(sample_text: str) -> ExtractionResult:
    return extract_text(sample_text, doc_id="sample.txt", dataset="t")


def party(result: ExtractionResult, name: str) -> dict[str, Any]:
    hits = [e for e in result.entities if e["schema"] in PARTIES and name in e["properties"].get("name", [])]
    assert len(hits) == 1, f"{name}: {hits}"
    return hits[0]


def edges(result: ExtractionResult, schema: str) -> list[dict[str, Any]]:
    return [e for e in result.entities if e["schema"] == schema]


def names(result: ExtractionResult, ids: list[str]) -> list[str]:
    by_id = {e["id"]: e for e in result.entities}
    return [by_id[i]["properties"]["name"][0] for i in ids]


def test_types_come_from_context(result: ExtractionResult) -> None:
    assert party(result, "Northwind Components Co., Ltd.")["schema"] == "Company"
    assert party(result, "Kama Trade LLP")["schema"] == "Company"
    assert party(result, "Timur Gareev")["schema"] == "Person"
    assert party(result, "Ruslan Gareev")["schema"] == "Person"
    assert party(result, "Far Eastern Polytechnic Institute")["schema"] == "Organization"
    assert party(result, "Office of Foreign Assets Control")["schema"] == "PublicBody"


def test_one_entity_per_party_with_aliases(result: ExtractionResult) -> None:
    northwind = party(result, "Northwind Components Co., Ltd.")
    assert "北风元件有限公司" in northwind["properties"]["alias"]
    assert "the Shenzhen firm" in northwind["properties"]["alias"]
    assert "FEPI" in party(result, "Far Eastern Polytechnic Institute")["properties"]["alias"]
    ruslan = party(result, "Ruslan Gareev")
    assert {"Gareev", "Руслан Гареев"} <= set(ruslan["properties"]["alias"])
    taymyr = [e for e in result.entities if "Taymyr Avia LLC" in e["properties"].get("name", [])]
    assert len(taymyr) == 1


def test_ownership_percentages(result: ExtractionResult) -> None:
    got = {
        tuple(names(result, e["properties"]["owner"] + e["properties"]["asset"])): e["properties"]
        for e in edges(result, "Ownership")
    }
    assert got[("Ruslan Gareev", "Taymyr Avia LLC")]["percentage"] == ["60"]
    assert got[("Ruslan Gareev", "Polar Motors LLC")]["percentage"] == ["50"]
    assert got[("Baikal Holding JSC", "Polar Motors LLC")]["percentage"] == ["100"]
    majority = got[("Baikal Holding JSC", "Kama Avionika LLC")]
    assert majority["ownershipType"] == ["majority"] and "percentage" not in majority


def test_supply_with_amount_currency_and_date(result: ExtractionResult) -> None:
    flows = {tuple(names(result, e["properties"]["sender"] + e["properties"]["receiver"])): e["properties"]
             for e in edges(result, "EconomicActivity")}
    first = flows[("Northwind Components Co., Ltd.", "Taymyr Avia LLC")]
    assert first["customsAmount"] == ["304000000"]
    assert first["description"] == ["currency: USD"]
    assert first["goodsDescription"] == ["flight controllers"]
    assert first["startDate"] == ["2024-06"]
    # resolved through "the Shenzhen firm"
    second = flows[("Northwind Components Co., Ltd.", "Polar Motors LLC")]
    assert second["customsAmount"] == ["8000000"] and second["description"] == ["currency: RUB"]


def test_negations_yield_nothing(result: ExtractionResult) -> None:
    kama = party(result, "Kama Trade LLP")["id"]
    assert not [e for e in edges(result, "EconomicActivity") if kama in e["properties"]["sender"]]
    polar = party(result, "Polar Motors LLC")["id"]
    sanctioned = [e["properties"]["entity"][0] for e in edges(result, "Sanction")]
    assert polar not in sanctioned
    assert party(result, "Taymyr Avia LLC")["id"] in sanctioned


def test_sanction_authority_and_period(result: ExtractionResult) -> None:
    (sanction,) = edges(result, "Sanction")
    assert sanction["properties"]["authority"] == ["Office of Foreign Assets Control"]
    assert sanction["properties"]["startDate"] == ["2025-09"]
    assert sanction["properties"]["endDate"] == ["2025-12"]


def test_family_with_hedge(result: ExtractionResult) -> None:
    rels = {tuple(names(result, e["properties"]["person"] + e["properties"]["relative"])): e
            for e in edges(result, "Family")}
    assert rels[("Ruslan Gareev", "Timur Gareev")]["properties"]["relationship"] == ["brother"]
    twin = rels[("Timur Gareev", "Albert Gareev")]
    assert twin["properties"]["relationship"] == ["twin brother"]
    stmts = [s for s in result.statements if s.entity_id == twin["id"]]
    assert all(s.hedge == "possibly" and s.confidence < 0.8 for s in stmts)
    # hedged by "according to"
    flow = [e for e in edges(result, "EconomicActivity") if e["properties"]["customsAmount"] == ["8000000"]][0]
    assert {s.hedge for s in result.statements if s.entity_id == flow["id"]} == {"according to"}


def test_directorship_role(result: ExtractionResult) -> None:
    (d,) = edges(result, "Directorship")
    assert names(result, d["properties"]["director"]) == ["Timur Gareev"]
    assert d["properties"]["role"] == ["general director"]


def test_shared_address_is_one_entity(result: ExtractionResult) -> None:
    (address,) = edges(result, "Address")
    assert address["properties"]["full"] == ["12 Lenina Street, Kazan"]
    linked = [e for e in result.entities if address["id"] in e["properties"].get("addressEntity", [])]
    assert {e["properties"]["name"][0] for e in linked} == {"Kama Trade LLP", "Polar Motors LLC"}


def test_statements_carry_spans_quotes_and_origin(result: ExtractionResult, sample_text: str) -> None:
    assert result.document.text == sample_text
    (doc,) = edges(result, "Document")
    for e in result.entities:
        if e["schema"] in ("Ownership", "EconomicActivity", "Sanction", "Family", "Directorship"):
            assert e["properties"]["proof"] == [doc["id"]]
    for s in result.statements:
        assert s.origin.startswith("redthread.extract.rules/")
        assert s.span_start is not None and s.span_end is not None and s.quote
        assert 0 < s.confidence <= 1
        if s.prop in ("name", "alias") and not s.value.startswith("the "):
            assert sample_text[s.span_start : s.span_end] == s.value
        if s.schema in ("Ownership", "EconomicActivity", "Sanction"):
            assert sample_text[s.span_start : s.span_end] == s.quote


def test_no_case_names_in_extraction_code() -> None:
    """Knowledge of the world comes from data loaded at run time, never from the code."""
    root = Path(__file__).parents[2] / "redthread" / "extract"
    banned = ("aero-hit", "komax", "basyuk", "huasheng", "autel", "aeromar", "renovatsio", "harbin", "khabarovsk")
    for path in list(root.glob("*.py")) + list(root.glob("*.yaml")):
        text = path.read_text(encoding="utf-8").lower()
        assert not [b for b in banned if b in text], path
