"""GLEIF LEI-CDF / RR-CDF / reporting exceptions, compared with Open Ownership's own BODS mapping of them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
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


def _exceptions(shared: Path) -> list[tuple[str, str, str]]:
    """(LEI, category, reason) of every reporting exception, read with a plain XML parse."""
    ns = {"r": "http://www.gleif.org/data/schema/repex/2016"}
    root = ET.parse(shared / G / "repex-data.xml").getroot()
    return [(e.findtext("r:LEI", namespaces=ns) or "", e.findtext("r:ExceptionCategory", namespaces=ns) or "",
             e.findtext("r:ExceptionReason", namespaces=ns) or "") for e in root.iterfind(".//r:Exception", ns)]


def test_reporting_exceptions_become_unknown_parties(store: Store, shared: Path) -> None:
    """Open Ownership's pipeline: NON_CONSOLIDATING / NON_PUBLIC / NO_LEI → an unknown entity and
    NATURAL_PERSONS → an unknown person, each with an other-influence-or-control interest in the
    LEI's entity (direct for the direct parent); NO_KNOWN_PERSON names no party (kept as a note)."""
    exceptions = _exceptions(shared)
    assert len(exceptions) == 10
    ingest(store, [shared / G / "repex-data.xml"], "gleif")
    links = {e["properties"]["object"][0]: e for e in store.entities(dataset="gleif", schemata=["UnknownLink"])}
    named = [x for x in exceptions if x[2] != "NO_KNOWN_PERSON"]
    assert len(named) == 7 and len(links) == 7
    for lei, category, reason in exceptions:
        ent = store.entity(f"lei-{lei}")
        assert ent is not None and ent["properties"]["leiCode"] == [lei]
        if reason == "NO_KNOWN_PERSON":
            assert f"lei-{lei}" not in links
            assert any("NO_KNOWN_PERSON" in n for n in ent["properties"]["notes"])
            continue
        link = links[f"lei-{lei}"]
        assert link["properties"]["role"] == ["otherInfluenceOrControl (direct)"]  # all DIRECT_... here
        assert category == "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT"
        party = store.entity(link["properties"]["subject"][0])
        assert party is not None and party["schema"] == "LegalEntity"
        assert party["properties"]["legalForm"] == ["unknownEntity"]
        (note,) = party["properties"]["notes"]
        assert note.startswith("unknownEntity: interestedPartyExemptFromDisclosure: ") and reason in note
        assert "notes" not in ent["properties"]  # the exception is the party, not a note


def test_natural_persons_exception_is_an_unknown_person(store: Store, tmp_path: Path) -> None:
    """Our own record (none of the shared sample's exceptions is NATURAL_PERSONS), ultimate parent."""
    path = tmp_path / "repex.xml"
    path.write_text(
        '<repex:ReportingExceptionData xmlns:repex="http://www.gleif.org/data/schema/repex/2016">'
        "<repex:ReportingExceptions><repex:Exception><repex:LEI>5299000EXAMPLE0LEI01</repex:LEI>"
        "<repex:ExceptionCategory>ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT</repex:ExceptionCategory>"
        "<repex:ExceptionReason>NATURAL_PERSONS</repex:ExceptionReason></repex:Exception>"
        "</repex:ReportingExceptions></repex:ReportingExceptionData>")
    ingest(store, [path], "g")
    (link,) = store.entities(dataset="g", schemata=["UnknownLink"])
    assert link["properties"]["role"] == ["otherInfluenceOrControl (indirect)"]
    person = store.entity(link["properties"]["subject"][0])
    assert person is not None and person["schema"] == "Person"
    assert person["properties"]["notes"][0].startswith("unknownPerson: interestedPartyExemptFromDisclosure")
