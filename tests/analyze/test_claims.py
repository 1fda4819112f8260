"""Support and contradictions between sources."""

from __future__ import annotations

from redthread.analyze.claims import claims, compatible
from redthread.ingest.document import document_id
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


def test_a_date_stated_in_prose_contradicts_a_registry_record(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Facts extracted from text meet structured records: a registration date told two ways."""
    import orjson

    from redthread.ingest import ingest
    from redthread.store import Judgement

    # Written for this test: a wire item and a registry extract that disagree.
    (tmp_path / "wire.txt").write_text(
        "Kestrel Rotor LLC was registered in May 2021, according to a business directory.\n", encoding="utf-8")
    (tmp_path / "registry.ftm.jsonl").write_text(orjson.dumps({
        "id": "reg-kestrel", "schema": "Company",
        "properties": {"name": ["Kestrel Rotor LLC"], "incorporationDate": ["2021-06-15"]},
    }).decode() + "\n", encoding="utf-8")
    ingest(store, [tmp_path / "wire.txt"], "wire")
    ingest(store, [tmp_path / "registry.ftm.jsonl"], "registry")
    doc_party = next(e["id"] for e in store.entities(schemata=["Company"]) if e["id"] != "reg-kestrel"
                     and "Kestrel Rotor LLC" in e["properties"].get("name", []))
    store.add_judgement(Judgement(doc_party, "reg-kestrel", "positive", "test", "2025-01-01T00:00:00"))
    found = [c for c in claims(store, conflicts_only=True) if c["prop"] == "incorporationDate"]
    assert len(found) == 1
    values = {v["value"]: v["sources"][0] for v in found[0]["values"]}
    assert set(values) == {"2021-05", "2021-06-15"}
    assert values["2021-05"]["source"] == document_id("wire", "wire.txt") and "registered in May 2021" in values["2021-05"]["quote"]
