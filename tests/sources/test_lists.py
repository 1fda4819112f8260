"""Real published sanctions lists in ../shared/data/formats: counts from SOURCES.md and spot values."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.ingest._listbuilder import Fragment, parse_date, parse_dates, period, slug
from redthread.store import Store

F = "data/formats"


def _schemata(store: Store, dataset: str) -> Counter[str]:
    return Counter(s.schema for s in store.statements(dataset=dataset) if s.prop == "id")


def _props(store: Store, entity_id: str) -> dict[str, list[str]]:
    ent = store.entity(entity_id)
    assert ent is not None, entity_id
    props: dict[str, list[str]] = ent["properties"]
    return props


@pytest.mark.parametrize(("path", "source", "counts"), [
    ("un-list/un-consolidated-2018-06-07.xml", "un-sc-consolidated", {"Person": 693, "Organization": 405}),
    ("un-list/opendatalabcz-un-data.xml", "un-sc-consolidated", {"Person": 130, "Organization": 109}),
    ("ofac-xml/ofac-cons_advanced-2020-03-17.xml", "ofac-cons-advanced",
     {"Person": 82, "Sanction": 375, "Identification": 573}),
    ("ofac-csv/sdn-2019", "ofac-sdn-csv", {"Person": 3845, "Vessel": 323, "Airplane": 217, "Sanction": 7379}),
    ("ofac-csv/cons-nonsdn", "ofac-cons-csv", {"Sanction": 442}),
    ("uk-list/uk-sanctions-list-2026-03-26-excerpt.xml", "uk-sanctions-list",
     {"Person": 3, "Organization": 1, "Vessel": 4, "Sanction": 8}),
    ("eu-fsf/eu-fsf-2018-12-21-excerpt-2entities.xml", "eu-fsf-consolidated", {"Sanction": 2}),
])
def test_lists_load_with_their_counts(store: Store, shared: Path, path: str, source: str,
                                      counts: dict[str, int]) -> None:
    (result,), errors = ingest(store, [shared / F / path], "l")
    assert errors == [] and result.source == source
    found = _schemata(store, "l")
    assert {k: found[k] for k in counts} == counts


def test_ofac_xml_year_only_birth_date_is_a_year(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "ofac-xml/ofac-cons_advanced-2020-03-17.xml"], "o")
    assert _props(store, "ofac-9639")["birthDate"] == ["1962"]


def test_ofac_csv_ranges_and_comments(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "ofac-csv/sdn-2019"], "o")
    assert sorted(_props(store, "ofac-15496")["birthDate"]) == ["1929", "1930"]
    # Remarks cut at 1,000 characters in sdn.csv continue in sdn_comments.csv.
    links = [s for s in store.referencing("ofac-12300") if s.prop == "subject"]
    said = {v for s in links for v in _props(store, s.entity_id).get("description", [])}
    said |= set(_props(store, "ofac-12300").get("notes", []))
    assert "Linked To: R D I S.A" in said  # the last item of the continuation
    assert "Linked To: PROMO RAIZ S.A.S" in said  # the item cut in two


def test_a_single_main_file_is_its_folder(store: Store, shared: Path) -> None:
    (result,), _ = ingest(store, [shared / F / "ofac-csv/history/2022-02-24/sdn.csv"], "o")
    assert result.source == "ofac-sdn-csv" and result.entities_added > 9000


@pytest.mark.parametrize(("text", "expected"), [
    ("00/05/1980", "1980-05"), ("dd/mm/1957", "1957"), ("30/08/1966", "1966-08-30"),
    ("10 Dec 1948", "1948-12-10"), ("Dec 1948", "1948-12"), ("circa 1955", "1955"),
])
def test_dates_keep_source_precision(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_ranges_keep_both_ends() -> None:
    assert parse_dates("1929 to 1930") == ["1929", "1930"]
    assert parse_dates("01 Jan 1953 to 31 Dec 1954") == ["1953", "1954"]
    assert period((1962, 1, 1), (1962, 12, 31)) == ["1962"]
    assert period((1962, 5, 1), (1962, 5, 31)) == ["1962-05"]
    assert period((1962, 5, 2), (1962, 5, 31)) == ["1962-05-02", "1962-05-31"]
    frag = Fragment("x", "Person", "here")
    frag.add("birthDate", "1929 to 1930")
    assert frag.properties["birthDate"] == ["1929", "1930"]


def test_un_between_birth_years(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "un-list/un-consolidated-2018-08-24.xml"], "u")
    assert {"1955", "1958", "1945", "1950"} <= set(_props(store, "un-110577")["birthDate"])


def test_ofac_xml_every_field(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "ofac-xml/ofac-cons_advanced-2020-03-17.xml"], "o")
    stmts = list(store.statements(dataset="o"))
    by_prop = Counter((s.schema, s.prop) for s in stmts)
    # "Owned or Controlled By" is ownership (the 50 % rule reads it), not an unknown link.
    assert by_prop[("Ownership", "owner")] == 276 and by_prop[("UnknownLink", "subject")] == 0
    assert by_prop[("Organization", "website")] == 184
    assert by_prop[("Organization", "swiftBic")] == 34
    directives = [s for s in stmts if s.prop == "provisions" and "Subject to Directive" in s.value]
    assert len(directives) == 310
    programs = {s.value for s in stmts if s.prop == "program"}
    assert {"Sectoral Sanctions Identifications List", "FSE List", "CAPTA List"} <= programs
    assert not any(s.prop == "notes" and s.value.startswith(("Website", "Email", "SWIFT")) for s in stmts)


def test_uk_list_every_field(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "uk-list/uk-sanctions-list-2026-03-26-excerpt.xml"], "uk")
    ship = _props(store, "uk-RUS2898")
    assert ship["imoNumber"] == ["IMO9640528"] and ship["flag"] == ["ru"] and ship["buildDate"] == ["2012"]
    owners = [s for s in store.referencing("uk-RUS2898") if s.schema == "Ownership"]
    assert owners and _props(store, owners[0].entity_id)["owner"]
    person = _props(store, "uk-RUS0621")
    assert person["passportNumber"] == ["757318656"] and person["birthDate"] == ["1966-08-30"]
    assert _props(store, "uk-AFG0001")["email"] == ["helmand_exchange_msp@yahoo.com"]
    sanction = _props(store, "uk-AFG0001-sanction")
    assert sanction["unscId"] == ["TAe.010"] and "Asset freeze" in sanction["provisions"]
    postcodes = {s.value for s in store.statements(dataset="uk") if s.prop == "postalCode"}
    assert "103265" in postcodes


def test_un_list_every_field(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "un-list/un-consolidated-2018-08-24.xml"], "u")
    akhund = _props(store, "un-110577")
    assert {"Mullah", "Haji"} <= set(akhund["title"])
    assert any("Kandahar Province" in p for p in akhund["birthPlace"])
    stmts = list(store.statements(dataset="u"))
    assert any(s.prop == "gender" for s in stmts)
    assert any(s.schema == "Address" and s.prop == "region" for s in stmts)


def test_eu_fsf_every_field(store: Store, shared: Path) -> None:
    ingest(store, [shared / F / "eu-fsf/eu-fsf-2022-putin-entity-wrapped.xml"], "eu1")
    putin = store.entity("eu-135909")
    assert putin is not None and putin["caption"] == "Vladimir Vladimirovich PUTIN"
    assert "Vladimir Vladimirovitj PUTIN" in putin["properties"]["alias"]
    sanction = _props(store, "eu-135909-sanction")
    assert sanction["listingDate"] == ["2022-02-25"] and sanction["recordId"] == ["135909"]
    ingest(store, [shared / F / "eu-fsf/eu-fsf-2018-12-21-excerpt-2entities.xml"], "eu2")
    mugabe = _props(store, "eu-1")
    assert mugabe["birthDate"] == ["1924-02-21"]
    assert "birthPlace" not in mugabe  # the list's "UNKNOWN" country is no place
    assert _props(store, "eu-1-sanction")["authorityId"] == ["EU.36.64"]


def test_a_list_saved_without_xml_suffix(store: Store, shared: Path, tmp_path: Path) -> None:
    import shutil

    from redthread.ingest.base import sniff_loader

    path = tmp_path / "export"
    shutil.copy(shared / F / "eu-fsf/eu-fsf-2018-12-21-excerpt-2entities.xml", path)
    assert sniff_loader(path).name == "eu-fsf"
    (result,), _ = ingest(store, [path], "eu")
    assert result.source == "eu-fsf-consolidated" and result.entities_added > 0


def test_ofac_legacy_sdnlist_xml(store: Store, shared: Path) -> None:
    from redthread.ingest.base import sniff_loader

    path = shared / F / "ofac-legacy-xml/ofac-consolidated-nonsdn-2018-04-06.xml"
    assert sniff_loader(path).name == "ofac-legacy-xml"
    (result,), errors = ingest(store, [path], "leg")
    assert errors == [] and result.source == "ofac-cons-legacy-xml"
    found = _schemata(store, "leg")
    assert found["Sanction"] == 639  # Record_Count
    # The 639 entries, and the one company their vessels' owner remarks name (NITC).
    assert found["Person"] + found["Organization"] + found["Company"] + found["Vessel"] == 639 + 1
    haniya = _props(store, "ofac-9639")
    assert haniya["birthDate"] == ["1962"] and haniya["birthPlace"] == ["Shati"]
    assert "HANIYYA, Ismaeel" in haniya["alias"]
    assert _props(store, "ofac-9639-sanction")["program"] == ["NS-PLC"]


def _raw_remark_items(path: Path, column: int | None = None) -> list[str]:
    """Remark items of an OFAC CSV (column 11) or legacy XML (<remarks>), read with a plain parse."""
    import csv
    import xml.etree.ElementTree as ET

    if column is not None:
        cells = [r[column] for r in csv.reader(path.open(encoding="latin-1")) if len(r) > column]
    else:
        root = ET.parse(path).getroot()
        ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
        cells = [e.text or "" for e in root.iter(f"{ns}remarks")]
    return [i.strip().rstrip(".").strip() for c in cells for i in c.split(";") if i.strip()]


def test_ofac_csv_determinations_and_qualified_ids(store: Store, shared: Path) -> None:
    """Determinations about the sanction go on the Sanction as provisions (as the advanced XML's
    features do), not into the party's notes; country-qualified id types land in their property."""
    folder = shared / F / "ofac-csv/sdn-2019"
    items = _raw_remark_items(folder / "sdn.csv", 11)
    secondary = [i for i in items if i.startswith("Additional Sanctions Information")]
    assert len(secondary) > 1000
    ingest(store, [folder], "o")
    provisions = [s.value for s in store.statements(dataset="o") if s.prop == "provisions"]
    assert sum(v.startswith("Additional Sanctions Information: ") for v in provisions) == len(secondary)
    notes = [s.value for s in store.statements(dataset="o") if s.prop == "notes"]
    assert not any(n.startswith("Additional Sanctions Information") for n in notes)
    aaps = _props(store, "ofac-19709")  # "UK Company Number 03632365" in its remarks
    assert aaps["registrationNumber"] == ["03632365"]
    assert "UK Company Number 03632365" not in aaps.get("notes", [])


def test_ofac_legacy_xml_links_urls_and_mmsi(store: Store, shared: Path) -> None:
    path = shared / F / "ofac-legacy-xml/ofac-consolidated-nonsdn-2018-04-06.xml"
    linked = [i for i in _raw_remark_items(path) if "Linked To:" in i]
    assert len(linked) == 365
    ingest(store, [path], "leg")
    links = list(store.entities(dataset="leg", schemata=["UnknownLink", "Associate"]))
    unresolved = [s for s in store.statements(dataset="leg") if s.prop == "notes" and s.value.startswith("Linked To:")]
    assert len(links) + len(unresolved) == len(linked) and len(links) > 0
    assert not any(s.value.startswith("(Linked To") for s in store.statements(dataset="leg") if s.prop == "notes")
    numbers = [s.value for s in store.statements(dataset="leg") if s.prop == "number"]
    assert not any(n.startswith("http") for n in numbers)  # a "see this page" link is not an identifier
    urls = [s.value for s in store.statements(dataset="leg") if s.prop == "sourceUrl"]
    assert len(urls) == 264  # every "For more information, please see:" on its Sanction (not the 58 websites)
    assert _props(store, "ofac-15036")["mmsi"] == ["572469210"]


def test_eu_legacy_whole_xml(store: Store, shared: Path) -> None:
    from redthread.ingest.base import sniff_loader

    path = shared / F / "eu-fsf-legacy/eu-legacy-whole-2016-11-02.xml"
    assert sniff_loader(path).name == "eu-fsf-legacy"
    (result,), errors = ingest(store, [path], "eu0")
    assert errors == [] and result.source == "eu-fsf-consolidated"  # the same list as FSF 1.1
    found = _schemata(store, "eu0")
    assert (found["Person"], found["Organization"], found["Sanction"]) == (319, 276, 595)
    mugabe = _props(store, "eu-1")  # the same id as in FSF 1.1 (logicalId 1)
    assert mugabe["name"] == ["Robert Gabriel Mugabe"] and "alias" not in mugabe
    assert mugabe["birthDate"] == ["1924-02-21"] and mugabe["passportNumber"] == ["AD001095"]
    assert _props(store, "eu-1-sanction")["program"] == ["ZWE"]


def test_xml_layout_breaks_are_not_in_values(store: Store, shared: Path) -> None:
    """The UN file wraps long values onto indented lines: the break and indentation are layout."""
    ingest(store, [shared / F / "un-list/un-consolidated-2018-08-24.xml"], "un")
    wrapped = [s for s in store.statements(dataset="un") if "\n" in s.value]
    assert wrapped == []
    assert _props(store, "un-110897")["position"] == ["Deputy Minister of Civil Aviation under the Taliban regime"]


def test_ofac_csv_phones_read_with_the_entity_country(store: Store, shared: Path) -> None:
    """OFAC writes many numbers the national way (``Telephone No. 03889402``) or with the code in
    brackets; read with the entity's country (its addresses) as the hint they are phones. A number no
    country of the entity reads stays a note, with a warning naming it."""
    folder = shared / F / "ofac-csv/sdn-2019"
    items = _raw_remark_items(folder / "sdn.csv", 11)
    assert "Telephone No. 03889402" in items  # the real remark the spot value below comes from
    warnings: list = []
    ingest(store, [folder], "o", warnings=warnings)
    waad = _props(store, "ofac-11346")  # Lebanon; four numbers, none with "+"
    assert sorted(waad["phone"]) == ["+9613380223", "+9613669916", "+9613679153", "+9613889402"]
    assert not any(n.startswith("phone:") for n in waad.get("notes", []))
    phones = [s.value for s in store.statements(dataset="o") if s.prop == "phone"]
    notes = [s.value for s in store.statements(dataset="o") if s.prop == "notes" and s.value.startswith("phone: ")]
    assert len(phones) > 80 and all(p.startswith("+") for p in phones)
    mmcz = _props(store, "ofac-10958")  # Zimbabwe: a number of an old numbering plan, not dialable
    assert "phone: 263-4-487261" in mmcz["notes"]
    assert len(notes) == sum("phone" in w.reason and "kept as a note" in w.reason for w in warnings)
    assert any("'263-4-487261'" in w.reason and w.line == 2012 for w in warnings)


def test_ofac_csv_aircraft_and_vessel_remarks(store: Store, shared: Path) -> None:
    """Aircraft operator, construction number and tail number remarks land in FtM's Airplane
    properties (they were notes); the operator is the list's own entry when OFAC lists it."""
    folder = shared / F / "ofac-csv/sdn-2019"
    items = _raw_remark_items(folder / "sdn.csv", 11)
    operated = [i for i in items if i.startswith(("Aircraft Operator", "alt. Aircraft Operator"))]
    assert len(operated) > 150
    ingest(store, [folder], "o")
    yas = _props(store, "ofac-15431")  # EP-GOM: construction number 8401, MSN 1023409321, operator YAS AIR
    assert sorted(yas["serialNumber"]) == ["1023409321", "8401"]
    (op,) = yas["operator"]
    assert _props(store, op)["name"] == ["YAS AIR"]
    assert _props(store, "ofac-25497")["operator"] == ["ofac-25237"]  # operated by Iran Air, itself listed
    operators = {s.entity_id for s in store.statements(dataset="o") if s.prop == "operator"}
    rows = [r for r in csv.reader((folder / "sdn.csv").open(encoding="latin-1")) if len(r) > 11]
    assert operators == {f"ofac-{r[0]}" for r in rows if "Aircraft Operator" in r[11]}
    notes = [s.value for s in store.statements(dataset="o") if s.prop == "notes"]
    assert not any(n.startswith(("Aircraft Operator", "Aircraft Construction Number", "Aircraft Tail Number"))
                   for n in notes)
    tails = [i.split()[-1] for i in items if i.startswith("Aircraft Tail Number")]
    regs = {s.value for s in store.statements(dataset="o") if s.prop == "registrationNumber" and s.schema == "Airplane"}
    assert tails and set(tails) <= regs


def test_ofac_legacy_xml_owners_and_phones_as_the_csv_loader(store: Store, shared: Path) -> None:
    """The legacy XML makes the links and phones the CSV loader makes: each ``vesselOwner`` a
    ``registered owner`` Ownership from a Company of that name (before: the name went into the
    entity-typed ``ownerOrganization`` and was lost), and phone remarks without a country code read
    with the entity's country (before: 8 phones, 55 ``phone:`` notes)."""
    path = shared / F / "ofac-legacy-xml/ofac-consolidated-nonsdn-2018-04-06.xml"
    raw = ET.parse(path).getroot()
    ns = raw.tag.split("}")[0] + "}" if raw.tag.startswith("{") else ""
    owned = [(e.findtext(f"{ns}uid"), e.findtext(f"{ns}vesselInfo/{ns}vesselOwner")) for e in raw.iter(f"{ns}sdnEntry")
             if e.findtext(f"{ns}vesselInfo/{ns}vesselOwner")]
    assert len(owned) == 5
    phones = [i for i in _raw_remark_items(path) if i.startswith(("Telephone", "Phone", "Fax"))]
    assert len(phones) == 63
    warnings: list = []
    ingest(store, [path], "leg", warnings=warnings)
    links = [e["properties"] for e in store.entities(dataset="leg", schemata=["Ownership"])]
    assert sorted((p["asset"][0], p["role"][0]) for p in links) == sorted(
        (f"ofac-{uid}", "registered owner") for uid, _ in owned)
    owner = store.entity(links[0]["owner"][0])
    assert owner is not None and owner["schema"] == "Company" and owner["properties"]["name"] == ["NITC"]
    statements = list(store.statements(dataset="leg"))
    assert sum(s.prop == "phone" for s in statements) == len(phones)
    assert not any(s.prop == "notes" and s.value.startswith("phone: ") for s in statements)
    assert "+35722660766" in _props(store, "ofac-15120")["phone"]  # "Telephone (357)(22660766)"
    assert warnings == []


LEGACY_AIRCRAFT = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <sdnEntry><uid>90001</uid><lastName>TESTWING AIR</lastName><sdnType>Entity</sdnType>
    <programList><program>TEST</program></programList></sdnEntry>
  <sdnEntry><uid>90002</uid><lastName>EP-TST</lastName><sdnType>Aircraft</sdnType>
    <programList><program>TEST</program></programList>
    <remarks>Aircraft Construction Number (also called L/N or S/N or F/N) 12345; Aircraft Operator TESTWING AIR.</remarks>
  </sdnEntry>
  <sdnEntry><uid>90003</uid><lastName>EP-TSU</lastName><sdnType>Aircraft</sdnType>
    <programList><program>TEST</program></programList>
    <remarks>Aircraft Operator UNLISTED CARGO LINES.</remarks>
    <addressList><address><uid>1</uid><country>Iran</country></address></addressList>
  </sdnEntry>
  <sdnEntry><uid>90004</uid><lastName>TESTCALL TRADING</lastName><sdnType>Entity</sdnType>
    <programList><program>TEST</program></programList>
    <remarks>Telephone 02112345678; Telephone (98)(21)(87654321).</remarks>
    <addressList><address><uid>2</uid><city>Tehran</city><country>Iran</country></address></addressList>
  </sdnEntry>
</sdnList>
"""


def test_ofac_legacy_xml_aircraft_operator(store: Store, tmp_path: Path) -> None:
    """An ``Aircraft Operator <name>`` remark is the aircraft's ``operator`` as in the CSV: the listed
    entry of that name, else an Organization of that name (before: a note). Our file, invented names."""
    path = tmp_path / "sdn.xml"
    path.write_text(LEGACY_AIRCRAFT)
    (result,), errors = ingest(store, [path], "air")
    assert errors == [] and result.source == "ofac-sdn-legacy-xml"
    assert _props(store, "ofac-90002")["operator"] == ["ofac-90001"]
    assert _props(store, "ofac-90002")["serialNumber"] == ["12345"]
    (other,) = _props(store, "ofac-90003")["operator"]
    assert _props(store, other)["name"] == ["UNLISTED CARGO LINES"]
    notes = [s.value for s in store.statements(dataset="air") if s.prop == "notes"]
    assert not any("Aircraft Operator" in n for n in notes)
    assert sorted(_props(store, "ofac-90004")["phone"]) == ["+982112345678", "+982187654321"]


# One vessel and its owner written three ways (the formats OFAC publishes); invented names.
ADVANCED_VESSEL = """<?xml version="1.0" encoding="utf-8"?>
<Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
  <ReferenceValueSets>
    <AliasTypeValues><AliasType ID="1403">Name</AliasType></AliasTypeValues>
    <FeatureTypeValues><FeatureType ID="1">Vessel Owner</FeatureType><FeatureType ID="2">Vessel Flag</FeatureType>
    </FeatureTypeValues>
    <NamePartTypeValues><NamePartType ID="1525">Entity Name</NamePartType></NamePartTypeValues>
    <PartySubTypeValues><PartySubType ID="1" PartyTypeID="3">Vessel</PartySubType></PartySubTypeValues>
    <PartyTypeValues><PartyType ID="3">Vessel</PartyType></PartyTypeValues>
  </ReferenceValueSets>
  <DistinctParties>
    <DistinctParty FixedRef="90011">
      <Profile ID="90011" PartySubTypeID="1">
        <Identity ID="190011" FixedRef="90011" Primary="true" False="false">
          <Alias FixedRef="90011" AliasTypeID="1403" Primary="true" LowQuality="false">
            <DocumentedName ID="290011" FixedRef="90011" DocNameStatusID="1">
              <DocumentedNamePart><NamePartValue NamePartGroupID="1">QUIET HERON</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
          <NamePartGroups><MasterNamePartGroup><NamePartGroup ID="1" NamePartTypeID="1525"/></MasterNamePartGroup>
          </NamePartGroups>
        </Identity>
        <Feature ID="1" FeatureTypeID="1"><FeatureVersion ID="1"><VersionDetail>Heronbay Maritime S.A.</VersionDetail>
        </FeatureVersion></Feature>
        <Feature ID="2" FeatureTypeID="2"><FeatureVersion ID="2"><VersionDetail>Panama</VersionDetail>
        </FeatureVersion></Feature>
      </Profile>
    </DistinctParty>
  </DistinctParties>
</Sanctions>
"""
LEGACY_VESSEL = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <sdnEntry><uid>90011</uid><lastName>QUIET HERON</lastName><sdnType>Vessel</sdnType>
    <programList><program>TEST</program></programList>
    <vesselInfo><vesselFlag>Panama</vesselFlag><vesselOwner>Heronbay Maritime S.A.</vesselOwner></vesselInfo>
  </sdnEntry>
</sdnList>
"""
CSV_VESSEL = ('90011,"QUIET HERON","vessel","TEST",-0- ,-0- ,-0- ,-0- ,-0- ,"Panama",'
              '"Heronbay Maritime S.A.",-0- \n')


def _owner_links(store: Store, dataset: str) -> set[tuple[str, str, str, str, str, tuple[str, ...]]]:
    """(Ownership id, owner, asset, role, owner's schema, owner's names) of every Ownership."""
    links = set()
    for ent in store.entities(dataset=dataset, schemata=["Ownership"]):
        props = ent["properties"]
        owner = store.entity(props["owner"][0])
        assert owner is not None, props["owner"]
        links.add((ent["id"], props["owner"][0], props["asset"][0], props["role"][0], owner["schema"],
                   tuple(owner["properties"]["name"])))
    return links


def test_ofac_vessel_owner_the_same_link_in_all_three_formats(store: Store, tmp_path: Path) -> None:
    """The advanced XML's ``Vessel Owner`` feature is a ``registered owner`` Ownership from a Company of
    that name, with the ids the legacy XML and CSV loaders give the same fact (before: mapped to
    ``ownerOrganization``, the name ended in a note ``ownerOrganization: ...`` and no link was made)."""
    (tmp_path / "adv").mkdir()
    (tmp_path / "leg").mkdir()
    (tmp_path / "csv").mkdir()
    (tmp_path / "adv" / "sdn_advanced.xml").write_text(ADVANCED_VESSEL)
    (tmp_path / "leg" / "sdn.xml").write_text(LEGACY_VESSEL)
    (tmp_path / "csv" / "sdn.csv").write_text(CSV_VESSEL)
    found = {}
    for fmt, path in (("ofac-xml", "adv/sdn_advanced.xml"), ("ofac-legacy-xml", "leg/sdn.xml"),
                      ("ofac-csv", "csv/sdn.csv")):
        (result,), errors = ingest(store, [tmp_path / path], fmt.replace("-", ""))
        assert errors == [], errors
        found[fmt] = _owner_links(store, fmt.replace("-", ""))
        assert not any(s.prop == "ownerOrganization" for s in store.statements(dataset=fmt.replace("-", "")))
    key = slug("Heronbay Maritime S.A.")
    assert found["ofac-xml"] == {(f"ofac-90011-owner-{key}", f"ofac-owner-{key}", "ofac-90011",
                                  "registered owner", "Company", ("Heronbay Maritime S.A.",))}
    assert found["ofac-xml"] == found["ofac-legacy-xml"] == found["ofac-csv"]
    assert _props(store, "ofac-90011")["flag"] == ["pa"]


def test_ofac_xml_real_sample_has_no_dangling_reference(store: Store, shared: Path) -> None:
    """Every value of an entity-typed property in the real advanced XML's load is the id of an entity
    of that load (a bare name there would be a link to nothing)."""
    from followthemoney import model
    from followthemoney.types import registry

    ingest(store, [shared / F / "ofac-xml/ofac-cons_advanced-2020-03-17.xml"], "o")
    stmts = list(store.statements(dataset="o"))
    ids = {s.entity_id for s in stmts}
    refs = [(s.entity_id, s.prop, s.value) for s in stmts
            if (schema := model.get(s.schema)) is not None and (prop := schema.get(s.prop)) is not None
            and prop.type == registry.entity]
    assert len(refs) > 1000  # owners, assets, sanctions' entities, holders, addresses ...
    assert [r for r in refs if r[2] not in ids] == []


def test_ofac_vocabulary_refuses_a_feature_mapped_to_an_entity_reference(tmp_path: Path) -> None:
    """A feature's text is a value, never an entity id: the vocabulary may not map one to an
    entity-typed property (it would be a link to nothing); the error names file and field."""
    from redthread.errors import InputError
    from redthread.ingest.sanctions_xml import _check_feature_properties

    _check_feature_properties({"Vessel Flag": "flag", "Website": "website"}, tmp_path / "ofac.yaml")
    for prop, schema in (("owner", "Vessel"), ("parent", "Person")):
        with pytest.raises(InputError, match=f"{schema}.{prop}, an entity reference") as err:
            _check_feature_properties({"Vessel Owner": prop}, tmp_path / "ofac.yaml")
        assert err.value.field == "features.Vessel Owner" and err.value.path == str(tmp_path / "ofac.yaml")


def test_ofac_advanced_entry_date_part_that_is_no_number_costs_that_part(store: Store, fixtures: Path,
                                                                          tmp_path: Path) -> None:
    """``<Month>June</Month>`` in one entry's listing date is one bad value: dropped with a warning naming
    the file, entry and part, that Sanction keeping the year; every other record loads (it used to stop
    the whole list with a bare ValueError)."""
    from redthread.errors import InputError

    xml = (fixtures / "lists" / "ofac-advanced.xml").read_text()
    entry_date = 'LegalBasisID="1"><Date><Year>2024</Year><Month>6</Month>'
    assert xml.count(entry_date) == 2
    path = tmp_path / "advanced.xml"
    path.write_text(xml.replace(entry_date, entry_date.replace(">6<", ">June<"), 1))
    warnings: list[InputError] = []
    ingest(store, [path], "ofac", "ofac-xml", warnings=warnings)
    assert [(w.path, w.field) for w in warnings] == [("advanced.xml", "EntryEvent/Date/Month")]
    assert "SanctionsEntry[1]" in warnings[0].reason and "'June'" in warnings[0].reason
    starts = sorted(s["properties"]["startDate"][0] for s in store.entities(dataset="ofac", schemata=["Sanction"]))
    assert starts == ["2024", "2024-06-12"]
    assert {e["schema"] for e in store.entities(dataset="ofac")} >= {"Sanction", "Organization"}
