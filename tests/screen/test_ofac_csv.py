"""The OFAC SDN legacy CSV loader, on our fixture and on the real 2021 list."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.ingest._listbuilder import parse_date
from redthread.ingest.base import sniff_loader
from redthread.ingest.ofac_csv import split_remarks
from redthread.store import Store


def test_sniffs_a_folder_with_sdn_csv(fixtures: Path) -> None:
    assert sniff_loader(fixtures / "lists" / "ofac-csv").name == "ofac-csv"


def test_loads_entries_remarks_aliases_addresses(store: Store, fixtures: Path) -> None:
    results, errors = ingest(store, [fixtures / "lists" / "ofac-csv"], "ofac", "ofac-csv")
    assert not errors and results[0].added > 0
    person = store.entity("ofac-9001")
    assert person is not None and person["schema"] == "Person"
    props = person["properties"]
    assert props["birthDate"] == ["1971-03-14"]
    assert props["nationality"] == ["ru"]
    assert props["gender"] == ["male"]
    assert props["passportNumber"] == ["7512345678"]
    assert props["taxNumber"] == ["272312345678"]
    assert set(props["alias"]) == {"PETROV, Egor", "PETROV, Egor Sergeevich"}
    assert props["country"] == ["ru"]
    assert props["birthPlace"] == ["Khabarovsk, Russia"]
    company = store.entity("ofac-9002")
    assert company is not None and company["schema"] == "Company"
    assert company["properties"]["previousName"] == ["SEVERNY VETER OOO"]
    assert company["properties"]["registrationNumber"] == ["1192700012345"]
    assert company["properties"]["incorporationDate"] == ["2019"]
    vessel = store.entity("ofac-9003")
    assert vessel is not None and vessel["schema"] == "Vessel"
    assert vessel["properties"]["imoNumber"] == ["9123456"]
    assert vessel["properties"]["flag"] == ["mt"]
    plane = store.entity("ofac-9004")
    assert plane is not None and plane["schema"] == "Airplane"
    assert plane["properties"]["serialNumber"] == ["1003403104"]
    # accented latin-1 names survive
    maria = store.entity("ofac-9005")
    assert maria is not None and maria["properties"]["name"] == ["GÓMEZ, María"]
    assert maria["properties"]["birthDate"] == ["1960"]


def test_sanctions_identifiers_and_links(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "lists" / "ofac-csv"], "ofac", "ofac-csv")
    sanction = store.entity("ofac-9002-sanction")
    assert sanction is not None
    assert sanction["properties"]["program"] == ["RUSSIA-EO14024", "UKRAINE-EO13660"]
    assert sanction["properties"]["authorityId"] == ["9002"]
    ident = store.entity("ofac-9002-entnum")
    assert ident is not None and ident["properties"]["number"] == ["9002"]
    link = store.entity("ofac-9001-link-9002")
    assert link is not None and link["schema"] == "UnknownLink"
    assert link["properties"]["object"] == ["ofac-9002"]
    assoc = store.entity("ofac-9005-assoc-9001")
    assert assoc is not None and assoc["schema"] == "Associate"
    owner = store.entity("ofac-9003-owner-" + [
        s.entity_id for s in store.statements() if s.entity_id.startswith("ofac-owner-")][0][len("ofac-owner-"):])
    assert owner is not None and owner["properties"]["asset"] == ["ofac-9003"]


def test_provenance_is_file_and_line(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "lists" / "ofac-csv"], "ofac", "ofac-csv")
    locs = {s.location for s in store.statements(["ofac-9001"]) if s.prop == "alias"}
    assert locs == {"sdn.csv:1", "alt.csv:1"}
    addr = [s for s in store.statements(["ofac-9002"]) if s.prop == "address"]
    assert addr[0].location == "add.csv:2"


def test_remark_helpers() -> None:
    assert split_remarks("DOB 1950; a.k.a. 'X'.") == ["DOB 1950", "a.k.a. 'X'"]
    assert parse_date("10 Dec 1948") == "1948-12-10"
    assert parse_date("Dec 1948") == "1948-12"
    assert parse_date("circa 1955") == "1955"
    assert parse_date("1979-1980") is None
    assert parse_date("nonsense") is None


def test_real_2021_list(tmp_path: Path, shared: Path) -> None:
    from redthread.store import open_store

    folder = shared / "data" / "ofac-sdn-2021"
    if not folder.exists():
        pytest.skip("the 2021 OFAC copy is not in ../shared")
    st = open_store(f"sqlite:///{tmp_path / 'ofac.db'}")
    ingest(st, [folder], "ofac", "ofac-csv")
    info = {d.name: d for d in st.datasets()}["ofac"]
    assert info.entities > 30000
    ent = st.entity("ofac-2676")
    assert ent is not None and ent["properties"]["birthDate"] == ["1951-06-19"]
    assert "ofac-2676" in st.search("ZAWAHIRI")
    st.close()
