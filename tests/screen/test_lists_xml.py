"""OFAC advanced, EU, UK and UN list loaders on fixtures we wrote; hostile XML refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.ingest.base import sniff_loader
from redthread.screen import match
from redthread.store import Store

LISTS = {
    "ofac-advanced.xml": "ofac-xml",
    "eu-fsf.xml": "eu-fsf",
    "uk-sanctions-list.xml": "uk-list",
    "un-consolidated.xml": "un-list",
}


@pytest.mark.parametrize("fname,fmt", sorted(LISTS.items()))
def test_sniffed_by_root_element(fixtures: Path, fname: str, fmt: str) -> None:
    assert sniff_loader(fixtures / "lists" / fname).name == fmt


def load(store: Store, fixtures: Path, fname: str) -> None:
    results, errors = ingest(store, [fixtures / "lists" / fname], fname.split(".")[0])
    assert not errors and results[0].added > 0


def test_eu_fsf(store: Store, fixtures: Path) -> None:
    load(store, fixtures, "eu-fsf.xml")
    person = store.entity("eu-9001")
    assert person is not None and person["schema"] == "Person"
    p = person["properties"]
    assert p["name"] == ["Egor Sergeevich PETROV"] and "Егор Сергеевич ПЕТРОВ" in p["alias"]
    assert p["birthDate"] == ["1971-03-14"] and p["nationality"] == ["ru"]
    assert p["passportNumber"] == ["7512345678"] and p["taxNumber"] == ["272312345678"]
    sanction = store.entity("eu-9001-sanction")
    assert sanction is not None
    assert sanction["properties"]["program"] == ["RUS"]
    assert sanction["properties"]["authorityId"] == ["EU.9001.11"]
    org = store.entity("eu-9002")
    assert org is not None and org["properties"]["registrationNumber"] == ["91350200MA2XXXXX1K"]
    locs = {s.location for s in store.statements(["eu-9002"])}
    assert locs == {"eu-fsf.xml#sanctionEntity[2]"}


def test_un_list(store: Store, fixtures: Path) -> None:
    load(store, fixtures, "un-consolidated.xml")
    person = store.entity("un-8000001")
    assert person is not None
    p = person["properties"]
    assert p["name"] == ["RI YONG HO"]
    assert set(p["alias"]) == {"리영호", "Ri Yong-ho"} and p["weakAlias"] == ["Mr Ri"]
    assert p["birthDate"] == ["1964-07-17"] and p["nationality"] == ["kp"]
    entity = store.entity("un-8000002")
    assert entity is not None and entity["schema"] == "Organization"
    assert entity["properties"]["country"] == ["ae"]
    sanction = store.entity("un-8000002-sanction")
    assert sanction is not None and sanction["properties"]["authorityId"] == ["KPe.901"]
    assert sanction["properties"]["startDate"] == ["2018-03-30"]


def test_uk_list(store: Store, fixtures: Path) -> None:
    load(store, fixtures, "uk-sanctions-list.xml")
    person = store.entity("uk-RUS9001")
    assert person is not None
    p = person["properties"]
    assert p["name"] == ["Egor Sergeevich PETROV"] and "Егор Сергеевич ПЕТРОВ" in p["alias"]
    assert p["birthDate"] == ["1971-03-14"] and p["gender"] == ["male"]
    company = store.entity("uk-RUS9002")
    assert company is not None and company["properties"]["registrationNumber"] == ["1192700012345"]
    ship = store.entity("uk-RUS9003")
    assert ship is not None and ship["schema"] == "Vessel"
    assert ship["properties"]["imoNumber"] == ["9123456"] and ship["properties"]["flag"] == ["mt"]
    sanction = store.entity("uk-RUS9001-sanction")
    assert sanction is not None and "Asset" not in str(sanction["properties"].get("program"))
    assert sanction["properties"]["startDate"] == ["2024-11-19"]


def test_ofac_advanced(store: Store, fixtures: Path) -> None:
    load(store, fixtures, "ofac-advanced.xml")
    person = store.entity("ofac-9001")
    assert person is not None and person["schema"] == "Person"
    p = person["properties"]
    assert p["name"] == ["PETROV, Yegor Sergeyevich"] and p["alias"] == ["PETROV, Egor"]
    assert p["birthDate"] == ["1971-03-14"] and p["nationality"] == ["ru"]
    assert p["passportNumber"] == ["7512345678"] and p["gender"] == ["male"]
    assert p["birthPlace"] == ["Khabarovsk, Russia"]
    company = store.entity("ofac-9002")
    assert company is not None
    assert set(company["properties"]["name"]) == {"XIAMEN BEIHAI ELECTRONICS CO., LTD."}
    assert "厦门北海电子有限公司" in company["properties"]["alias"]
    assert company["properties"]["registrationNumber"] == ["91350200MA2XXXXX1K"]
    link = store.entity("ofac-rel-69001")
    assert link is not None and link["properties"]["role"] == ["Associate Of"]
    sanction = store.entity("ofac-9001-sanction")
    assert sanction is not None and sanction["properties"]["program"] == ["RUSSIA-EO14024"]
    assert sanction["properties"]["startDate"] == ["2024-06-12"]


def test_one_party_across_four_lists(store: Store, fixtures: Path) -> None:
    for fname in LISTS:
        load(store, fixtures, fname)
    body = match(store, {"q": {"schema": "Person", "properties": {"name": ["Петров Егор"],
                                                                   "birthDate": ["1971-03-14"]}}}, limit=10)
    hits = {r["id"] for r in body["responses"]["q"]["results"] if r["match"]}
    assert hits == {"ofac-9001", "eu-9001", "uk-RUS9001"}


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&lol4;</FIRST_NAME></INDIVIDUAL>
</INDIVIDUALS></CONSOLIDATED_LIST>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE export [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<export xmlns="http://eu.europa.ec/fpi/fsd/export"><sanctionEntity logicalId="1">
<nameAlias wholeName="&secret;"/></sanctionEntity></export>
"""


def test_entity_expansion_bomb_is_refused(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(BOMB)
    with pytest.raises(InputError, match="refused"):
        ingest(store, [path], "bomb", "un-list")
    assert store.datasets() == []


def test_external_entity_is_refused(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(XXE)
    with pytest.raises(InputError, match="refused"):
        ingest(store, [path], "xxe", "eu-fsf")
    assert not any("root:" in s.value for s in store.statements())


def test_wrong_root_and_broken_xml(tmp_path: Path, store: Store, fixtures: Path) -> None:
    with pytest.raises(InputError, match="expected a <Designations>"):
        ingest(store, [fixtures / "lists" / "eu-fsf.xml"], "x", "uk-list")
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS>")
    with pytest.raises(InputError, match="well-formed"):
        ingest(store, [broken], "x", "un-list")
