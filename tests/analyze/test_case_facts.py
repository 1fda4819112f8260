"""Facts from prose (redthread.extract.facts) on two notes we wrote: events
that can be compared, unit prices, lines of business, registry removals,
hedged family ties and shared addresses, and the red flags they feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redthread.analyze.claims import claims
from redthread.analyze.redflags import evaluate
from redthread.extract import extract_text
from redthread.ingest import ingest
from redthread.resolve.consolidate import consolidate
from redthread.store import Store, open_store
from tests.conftest import FIXTURES

MEMO = FIXTURES / "analyze" / "case-memo.txt"
NOTE = FIXTURES / "analyze" / "case-note.txt"


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('facts') / 'facts.db'}")
    ingest(store, [MEMO, NOTE], "notes")
    consolidate(store)
    yield store
    store.close()


def _entities(path: Path, schema: str) -> list[dict]:  # type: ignore[type-arg]
    result = extract_text(path.read_text(encoding="utf-8"), doc_id=path.name, dataset="t")
    return result.by_schema(schema)


def test_events_carry_kind_count_product_date_and_price() -> None:
    events = {e["properties"]["summary"][0]: e["properties"] for e in _entities(MEMO, "Event")}
    assert events["order: 40 Kestrel"]["date"] == ["2023-02"]
    assert events["order: 12 Kestrel"]["description"] == ["price 3600000 RUB"]
    assert events["delivery: 15 drones"]["date"] == ["2024-04"]
    assert not any(name.startswith("order: 2024") for name in events)  # a year is not a count


def test_a_date_that_year_takes_the_year_written_before() -> None:
    removal = [e for e in _entities(MEMO, "Event") if e["properties"]["keywords"] == ["registry removal"]]
    assert removal and removal[0]["properties"]["date"] == ["2024-09-02"]


def test_unit_prices_stated_and_worked_out() -> None:
    assets = _entities(MEMO, "Asset")
    assert {(a["properties"]["name"][0], tuple(sorted(a["properties"]["amount"]))) for a in assets} == {
        ("Kestrel", ("250000", "300000"))}


def test_line_of_business_of_named_and_unnamed_firms() -> None:
    companies = {e["properties"]["name"][0]: e["properties"] for e in _entities(MEMO, "Company")}
    assert companies["Bluefin Foods LLC"]["sector"] == ["frozen seafood"]
    unnamed = [p for n, p in companies.items() if n.startswith("a firm that")]  # named by its description
    assert unnamed and unnamed[0]["sector"] == ["hotel management and tourism"]


def test_registry_removal_goes_to_the_party_the_text_is_about() -> None:
    removed = [e for e in _entities(MEMO, "Company") if e["properties"].get("status")]
    assert [e["properties"]["name"] for e in removed] == [["Northwind Trading LLC"]]


def test_hedged_family_apposition() -> None:
    result = extract_text(NOTE.read_text(encoding="utf-8"), doc_id=NOTE.name, dataset="t")
    family = result.by_schema("Family")
    assert family and family[0]["properties"]["relationship"] == ["cousin"]
    hedges = {s.hedge for s in result.statements if s.schema == "Family" and s.prop == "relative"}
    assert hedges == {"reportedly"}


def test_shared_address_without_the_address() -> None:
    addresses = _entities(MEMO, "Address")
    assert len(addresses) == 1
    holders = [e for e in _entities(MEMO, "Company") if e["properties"].get("addressEntity") == [addresses[0]["id"]]]
    assert {e["properties"]["name"][0] for e in holders} == {"Harbor Parts LLC", "Northwind Trading LLC"}


def test_two_notes_disagree_on_a_date_and_a_price(notes: Store) -> None:
    conflicts = claims(notes, conflicts_only=True)
    dates = [{v["value"] for v in c["values"]} for c in conflicts if c["prop"] == "date"]
    assert {"2023-02", "2023-01"} in dates
    prices = [c for c in conflicts if c["key"][0] == "Asset"]
    assert prices and {v["value"] for v in prices[0]["values"]} >= {"280000", "250000"}


def test_prose_fires_the_registry_rules(notes: Store) -> None:
    fired = {(f["rule"], f["entity"]["name"]) for f in evaluate(notes)}
    assert ("unrelated-business", "Bluefin Foods LLC") in fired
    assert ("relatives-both-sides", "Ivan Sorokin") in fired or ("relatives-both-sides", "Pavel Sorokin") in fired
    assert ("removed-after-exposure", "Northwind Trading LLC") in fired
    assert any(rule == "shared-address" for rule, _ in fired)
    assert any(rule == "unrelated-business" and name.startswith("a firm that") for rule, name in fired)


def test_other_phrasings_of_the_same_facts() -> None:
    path = FIXTURES / "analyze" / "case-variants.txt"
    result = extract_text(path.read_text(encoding="utf-8"), doc_id=path.name, dataset="t")
    companies = {e["properties"]["name"][0]: e for e in result.by_schema("Company")}
    assert companies["Nordsee Holding"]["properties"]["sector"] == ["real estate and seafood"]
    unnamed = [e for n, e in companies.items() if n == "a seafood company"]
    assert unnamed and unnamed[0]["properties"]["sector"] == ["seafood"]
    assert not any("Shenzhen" in n for n in companies)  # a place says where, not what a firm does
    delivery = [e for e in result.by_schema("Event") if e["properties"]["keywords"] == ["delivery"]]
    assert unnamed[0]["id"] in delivery[0]["properties"]["involved"]
    removed = companies["Severin Trade LLC"]["properties"]
    assert removed["status"] == ["removed from the registry"] and removed["dissolutionDate"] == ["2024-08"]
    people = {e["id"]: e["properties"]["name"][0] for e in result.by_schema("Person")}
    family = result.by_schema("Family")
    assert len(family) == 1
    ends = {people.get(family[0]["properties"][p][0]) for p in ("person", "relative")}
    assert ends == {"Pavel Grom", "Igor Grom"}  # "his brother": both are people
    hedges = {s.hedge for s in result.statements if s.schema == "Family" and s.prop == "relative"}
    assert hedges == {"possibly"}


def test_counted_goods_make_an_order_whatever_the_noun(tmp_path: Path) -> None:
    text = ("Supply note\n\nOn 3 May 2023 the agency asked for bids. In June of that year, it signed a contract "
            "for 5,000 Heron drones.\nA batch of 100 Heron drones cost 8 million roubles.\n")
    result = extract_text(text, doc_id="supply.txt", dataset="t")
    events = {e["properties"]["summary"][0]: e["properties"] for e in result.by_schema("Event")}
    assert events["order: 5000 Heron"]["date"] == ["2023-06"]  # "June of that year": the year written before
    assert events["order: 100 Heron"]["description"] == ["price 8000000 RUB"]
    assert {a["properties"]["amount"][0] for a in result.by_schema("Asset")} == {"80000"}


def test_a_firm_registered_shortly_before_its_first_order_is_flagged(tmp_path: Path) -> None:
    note = tmp_path / "setup.txt"
    note.write_text("Set-up note\n\nKestrel Works LLC was registered in Omsk in March 2024. "
                    "In May 2024, Kestrel Works LLC ordered 300 Falke drones.\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'setup.db'}")
    ingest(store, [note], "notes")
    company = [e for e in store.entities() if e["caption"] == "Kestrel Works LLC"][0]
    assert company["properties"]["incorporationDate"] == ["2024-03"]
    flags = evaluate(store, rules=["new-company"])
    assert [f["entity"]["name"] for f in flags] == ["Kestrel Works LLC"]
    store.close()
