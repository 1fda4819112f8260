"""Support and contradictions between sources."""

from __future__ import annotations

from redthread.analyze.claims import claims, compatible
from redthread.store import Store


def test_support_counts_independent_publishers(claims_store: Store) -> None:
    facts = claims(claims_store)
    name = next(f for f in facts if f["entity"]["id"] == "c-firm" and f["prop"] == "name")
    assert name["value"] == "Claim Firm"
    assert name["independent"] == 2 and name["publishers"] == ["press-a", "press-b"]
    assert name["single_source"] is False
    single = claims(claims_store, single_source=True)
    assert all(f["single_source"] for f in single)
    assert any(f["entity"]["id"] == "c-buyer" and f["prop"] == "name" for f in single)
    assert not any(f["entity"]["id"] == "c-firm" and f["prop"] == "name" for f in single)
    only = claims(claims_store, entity_id="c-person")
    assert {f["prop"] for f in only} == {"name", "birthDate"}


def test_conflicts(claims_store: Store) -> None:
    found = claims(claims_store, conflicts_only=True)
    summary = sorted((c["key"][0], c["prop"], tuple(v["value"] for v in c["values"])) for c in found)
    assert summary == [
        ("EconomicActivity", "customsAmount", ("8,000,000", "8000000", "9500000")),
        ("Sanction", "startDate", ("2024-05-30", "2024-06-12")),
        ("maker", "maker", ("Claim Firm", "Other Maker")),
    ]
    designation = next(c for c in found if c["key"][0] == "Sanction")
    assert designation["key"][1:] == ["c-firm", "OFAC"]
    assert {v["publishers"][0] for v in designation["values"]} == {"press-a", "press-b"}
    assert designation["values"][0]["sources"][0]["location"].startswith("claims-b.ftm.jsonl:")
    assert claims(claims_store, conflicts_only=True, entity_id="c-person") == []


def test_compatible_values() -> None:
    assert compatible("2024-06", "2024-06-12", "date")
    assert not compatible("2024-05-30", "2024-06-12", "date")
    assert compatible("8000000", "8,000,000", "number")
    assert not compatible("8000000", "9500000", "number")
