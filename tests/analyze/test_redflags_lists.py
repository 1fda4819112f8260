"""Red flags do not flag what a sanctions list itself says (issue #17): parties
listed together on one list, at one address or one acting for the other, are
listed for that reason; the same facts from a registry or a report are findings."""

from __future__ import annotations

from typing import Any

from redthread.analyze.redflags import evaluate
from redthread.model import entity_statements
from redthread.store import Document, LoadBatch, Store


def put(store: Store, dataset: str, source: str, *entities: dict[str, Any], document: bool = False) -> None:
    stmts = [s for e in entities for s in entity_statements(e, dataset, source=source, origin="test")]
    docs = [Document(id=source, dataset=dataset, title=source, path=source, mime="text/plain", text="x")] \
        if document else []
    store.write(LoadBatch(dataset=dataset, source=source, statements=stmts, documents=docs))


def listed(eid: str, name: str, address: str) -> list[dict[str, Any]]:
    return [
        {"id": eid, "schema": "Company", "properties": {"name": [name], "address": [address]}},
        {"id": f"{eid}-sanction", "schema": "Sanction",
         "properties": {"entity": [eid], "authority": ["Office of Foreign Assets Control"]}},
    ]


def test_co_listed_parties_at_one_address_are_not_a_flag(store: Store) -> None:
    put(store, "sdn", "sdn.csv", *listed("l-1", "Amber Holding", "Office 4, 15 Quay Street, Limassol"),
        *listed("l-2", "Amber Shipping", "Office 4, 15 Quay Street, Limassol"))
    assert evaluate(store, rules=["shared-address"]) == []


def test_a_list_saying_one_acts_for_the_other_is_not_a_flag(store: Store) -> None:
    put(store, "sdn", "sdn.csv", *listed("l-1", "Amber Holding", "1 Pier Road, Limassol"),
        *listed("l-2", "Amber Shipping", "2 Pier Road, Limassol"),
        {"id": "l-rep", "schema": "Representation", "properties": {"agent": ["l-2"], "client": ["l-1"]}})
    assert evaluate(store, rules=["agent-for-sanctioned"]) == []


def test_the_same_facts_from_a_registry_or_report_are_flags(store: Store) -> None:
    put(store, "sdn", "sdn.csv", *listed("l-1", "Amber Holding", "Office 4, 15 Quay Street, Limassol"))
    put(store, "registry", "reg.csv",
        {"id": "r-1", "schema": "Company",
         "properties": {"name": ["Amber Holding"], "address": ["Office 4, 15 Quay Street, Limassol"]}},
        {"id": "r-2", "schema": "Company",
         "properties": {"name": ["Coral Trading"], "address": ["Office 4, 15 Quay Street, Limassol"]}})
    put(store, "press", "story.txt",
        {"id": "p-rep", "schema": "Representation", "properties": {"agent": ["r-2"], "client": ["l-1"]}},
        document=True)
    fired = {(f["rule"], f["entity"]["id"]) for f in evaluate(store, rules=["shared-address", "agent-for-sanctioned"])}
    assert ("agent-for-sanctioned", "r-2") in fired
    assert any(rule == "shared-address" for rule, _ in fired)


def test_a_person_typed_company_in_one_source_is_still_behind_both_sides(store: Store) -> None:
    """After consolidation the party is a Person (most of its statements say so), even
    when its canonical record (the smallest id) was typed Company by one source."""
    from redthread.resolve.consolidate import consolidate

    put(store, "notes", "a.txt",
        {"id": "a-lin", "schema": "Company", "properties": {"name": ["Lin Wei"]}},
        {"id": "a-seller", "schema": "Company", "properties": {"name": ["Jade Motors Ltd"]}},
        {"id": "a-own", "schema": "Ownership", "properties": {"owner": ["a-lin"], "asset": ["a-seller"]}})
    put(store, "notes", "b.txt",
        {"id": "b-lin", "schema": "Person", "properties": {"name": ["Lin Wei"], "birthDate": ["1975"],
                                                           "nationality": ["cn"]}},
        {"id": "b-buyer", "schema": "Company", "properties": {"name": ["Pearl Drones Ltd"]}},
        {"id": "b-dir", "schema": "Directorship", "properties": {"director": ["b-lin"], "organization": ["b-buyer"]}},
        {"id": "b-trade", "schema": "EconomicActivity",
         "properties": {"sender": ["a-seller"], "receiver": ["b-buyer"], "goodsDescription": ["drone motors"]}})
    consolidate(store)
    assert store.entity("a-lin")["schema"] == "Person"  # type: ignore[index]
    flags = evaluate(store, rules=["relatives-both-sides"])
    assert [f["detail"] for f in flags] == ["Lin Wei is behind both Jade Motors Ltd and Pearl Drones Ltd"]


def test_one_fact_told_by_three_sources_is_one_flag_with_all_of_them(store: Store) -> None:
    """Three reports that one firm acts for a blocked buyer: one flag, three sources."""
    put(store, "sdn", "sdn.csv", *listed("l-1", "Amber Holding", "1 Pier Road, Limassol"))
    put(store, "registry", "reg.csv",
        {"id": "r-2", "schema": "Company", "properties": {"name": ["Coral Trading"]}})
    for n in (1, 2, 3):
        put(store, f"press-{n}", f"story-{n}.txt",
            {"id": f"p-rep-{n}", "schema": "Representation", "properties": {"agent": ["r-2"], "client": ["l-1"]}},
            document=True)
    (flag,) = evaluate(store, rules=["agent-for-sanctioned"])
    assert flag["entity"]["id"] == "r-2"
    assert [s["source"] for s in flag["sources"]] == ["story-1.txt", "story-2.txt", "story-3.txt"]
    assert {e["source"] for e in flag["evidence"]} == {"story-1.txt", "story-2.txt", "story-3.txt"}
    (only,) = evaluate(store, "r-2", rules=["agent-for-sanctioned"])
    assert len(only["sources"]) == 3
