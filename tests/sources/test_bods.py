"""BODS 0.2 / 0.3 / 0.4 from Open Ownership's own examples in ../shared/data/formats/bods."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.store import Store

B = "data/formats/bods"


def _links(store: Store, dataset: str) -> list[dict]:
    return list(store.entities(dataset=dataset, schemata=["Ownership", "Directorship", "UnknownLink"]))


@pytest.mark.parametrize(("name", "counts"), [
    ("bods-0.2-libcove-basic_1.json", {"Person": 1, "Company": 1, "Ownership": 1}),
    ("bods-0.3-libcove-basic_1.json", {"Person": 1, "Company": 1, "Ownership": 1}),
    ("bods-0.4-fermcat.json", {"Person": 3, "Company": 1, "Ownership": 3, "Directorship": 2}),
    ("bods-0.4-levent.json", {"Person": 3, "LegalEntity": 1, "UnknownLink": 4}),
    ("bods-0.4-tecido.json", {"Person": 1, "Company": 2, "Ownership": 4, "Directorship": 1}),
    ("bods-0.4-full-pep-declaration.json", {"Person": 1, "Company": 1, "Ownership": 2}),
])
def test_bods_examples_load(store: Store, shared: Path, name: str, counts: dict[str, int]) -> None:
    path = shared / B / name
    assert sniff_loader(path).name == "bods"
    (result,), errors = ingest(store, [path], "b")
    assert errors == []
    found = Counter(e["schema"] for e in store.entities(dataset="b"))
    assert dict(found) == counts


def test_bods_02_direct_shareholding(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.2-libcove-basic_1.json"], "b")
    (own,) = _links(store, "b")
    person = store.entity(own["properties"]["owner"][0])
    company = store.entity(own["properties"]["asset"][0])
    assert person is not None and person["caption"] == "Christopher Taggart"
    assert "Chris Taggart" in person["properties"]["alias"] and person["properties"]["birthDate"] == ["1964-04"]
    assert company is not None and company["properties"]["registrationNumber"] == ["07444723"]
    assert own["properties"]["percentage"] == ["100"] and own["properties"]["startDate"] == ["2016-04-06"]


def test_bods_04_updates_and_closures(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-tecido.json"], "t")
    stakes = {(o["properties"]["owner"][0], o["properties"]["ownershipType"][0]): o["properties"]
              for o in _links(store, "t") if o["schema"] == "Ownership"}
    trust = stakes[("bods-033E84672B", "shareholding")]
    assert trust["percentage"] == ["80"]  # the latest statement of the record wins
    maria = stakes[("bods-018AF6B3EB", "shareholding")]
    assert maria["percentage"] == ["30"] and maria["endDate"] == ["2023-03-03"]  # closed


def test_bods_04_share_ranges(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-full-pep-declaration.json"], "p")
    pcts = {o["properties"]["percentage"][0] for o in _links(store, "p")}
    assert pcts == {"25-50"}
    person = next(e for e in store.entities(dataset="p") if e["schema"] == "Person")
    assert "role.pep" in person["properties"]["topics"]


def test_bods_04_arrangement_roles(store: Store, shared: Path) -> None:
    ingest(store, [shared / B / "bods-0.4-levent.json"], "l")
    trust = next(e for e in store.entities(dataset="l") if e["schema"] == "LegalEntity")
    assert trust["properties"]["legalForm"] == ["trust"]
    roles = {r.split(" ")[0] for o in _links(store, "l") for r in o["properties"]["role"]}
    assert roles == {"trustee", "settlor", "beneficiaryOfLegalArrangement"}
