"""GLEIF LEI-CDF / RR-CDF / reporting exceptions, compared with Open Ownership's own BODS mapping of them."""

from __future__ import annotations

import json
from pathlib import Path

from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.store import Store

G = "data/formats/gleif"


def test_lei_records_match_open_ownership(store: Store, shared: Path) -> None:
    path = shared / G / "lei-data.xml"
    assert sniff_loader(path).name == "gleif"
    ingest(store, [path], "gleif")
    reference = json.loads((shared / G / "lei-data-out.json").read_text())
    assert reference
    for st in reference:
        lei = next(i["id"] for i in st["identifiers"] if i.get("scheme") == "XI-LEI")
        ent = store.entity(f"lei-{lei}")
        assert ent is not None, lei
        props = ent["properties"]
        assert props["name"] == [st["name"]]
        assert props.get("incorporationDate") == ([st["foundingDate"][:10]] if st.get("foundingDate") else None)
        if st.get("incorporatedInJurisdiction"):
            assert props["jurisdiction"] == [st["incorporatedInJurisdiction"]["code"][:2].lower()]
        others = {i["id"] for i in st["identifiers"] if i.get("scheme") != "XI-LEI" and i.get("id")}
        assert others <= set(props.get("registrationNumber", []))
        for addr in st["addresses"]:  # theirs: first line and city; ours keeps the additional line too
            first, city = addr["address"].split(", ")[0], addr["address"].split(", ")[-1]
            assert any(a.startswith(first) and a.endswith(city) for a in props["address"]), addr


def test_relationships_match_open_ownership(store: Store, shared: Path) -> None:
    ingest(store, [shared / G / "rr-data.xml"], "gleif")
    links = [e for e in store.entities(dataset="gleif", schemata=["UnknownLink"])]
    reference = json.loads((shared / G / "rr-data-out.json").read_text())
    assert len(links) == len(reference) == 10
    ours = sorted((r.split("(")[1].rstrip(")"), e["properties"]["startDate"][0])
                  for e in links for r in e["properties"]["role"])
    theirs = sorted((i["interestLevel"], i["startDate"][:10]) for st in reference for i in st["interests"])
    assert ours == theirs
    assert all(r.startswith("otherInfluenceOrControl") for e in links for r in e["properties"]["role"])


def test_reporting_exceptions_are_notes(store: Store, shared: Path) -> None:
    ingest(store, [shared / G / "repex-data.xml"], "gleif")
    ent = store.entity("lei-001GPB6A9XPE8XJICC14")
    assert ent is not None
    assert any("NO_KNOWN_PERSON" in n for n in ent["properties"]["notes"])
