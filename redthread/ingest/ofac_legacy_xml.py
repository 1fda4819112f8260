"""OFAC legacy ``sdnList`` XML (sdn.xml, consolidated.xml): the same entries as the legacy CSV.

Each ``sdnEntry`` becomes ``ofac-<uid>`` (the same ids as the CSV's ent_num
and the advanced XML's profile ids, so versions and formats line up):
Person, Organization / Company, Vessel or Airplane, with a Sanction
(programmes), aliases by type and strength, identifiers by ``idType`` (the
OFAC vocabulary of ``data/ofac.yaml`` for websites, e-mail, SWIFT/BIC ...;
sanctions information as provisions), addresses, birth dates at their
precision, birth places, nationalities, citizenships, vessel details and the
remarks (parsed by the CSV loader's rules), and the links the CSV loader makes:
a vessel's owner as a ``registered owner`` Ownership, an aircraft's operator
(``Aircraft Operator <name>``) as its ``operator``, "Linked To" links, and phone
numbers without a country code read with the entity's country. The list is ``sdn.xml`` or the
consolidated non-SDN list, told by the name OFAC publishes it under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from redthread.ingest._listbuilder import Fragment, ListBuilder, country_code
from redthread.ingest.base import IngestContext, register
from redthread.ingest.ofac_csv import (
    _COMPANY_WORDS,
    AUTHORITY,
    _name_key,
    aircraft_operator,
    apply_remark,
    hint_phones,
    link_entry,
    linked_to,
    operator_entry,
    sanction_determination,
    split_remarks,
)
from redthread.ingest.sanctions_xml import (
    OFACVocabulary,
    XMLListLoader,
    _vocabulary,
    text,
    texts,
    vessel_owner,
)

SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
ALIAS = {"a.k.a.": "alias", "n.k.a.": "alias", "f.k.a.": "previousName"}


def _name(el: Element) -> str:
    last, first = text(el, "lastName"), text(el, "firstName")
    return f"{last}, {first}" if last and first else (last or first or "")


@dataclass
class _Entries:
    """What the entries tell about each other, resolved once every entry is read: schemata and
    name keys by uid, remarks linking one entry to another, aircraft operators named in remarks."""

    schemata: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (uid, target, location)
    operators: list[tuple[str, str, str]] = field(default_factory=list)  # (uid, operator name, location)


def _remarks(frag: Fragment, sanction: Fragment, entry: Element, uid: str, loc: str, found: _Entries) -> None:
    """An entry's remarks: a link to another entry or an aircraft operator (kept for later), a
    sanction determination, a value for a property, else a note."""
    for item in split_remarks(text(entry, "remarks") or ""):
        determination = sanction_determination(item)
        target = linked_to(item)
        operator = aircraft_operator(item)
        if operator:
            found.operators.append((uid, operator, loc))
        elif target is not None:
            found.links.append((uid, target, loc))
        elif determination is not None:
            sanction.add("provisions", determination)
        elif not apply_remark(frag, item):
            frag.add("notes", item)


class OFACLegacyXMLLoader(XMLListLoader):
    name = "ofac-legacy-xml"
    description = "OFAC legacy sdnList XML (sdn.xml, consolidated non-SDN consolidated.xml)"
    root = b"sdnList"
    authority = AUTHORITY
    prefix = "ofac"

    def list_source(self, root: Element, path: Path) -> str:
        """``ofac-sdn-legacy-xml`` for sdn.xml, else the consolidated non-SDN list."""
        stem = path.stem.lower()
        return "ofac-sdn-legacy-xml" if stem.startswith("sdn") else "ofac-cons-legacy-xml"

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        vocab = _vocabulary()
        found = _Entries()
        for n, entry in enumerate(root.findall("sdnEntry"), start=1):
            uid = text(entry, "uid")
            if uid:
                self._entry(builder, entry, uid, f"{fname}#sdnEntry[{n}]", vocab, found)
        for uid, target, loc in found.links:  # after the loop: a link may point at a later entry
            link_entry(builder, uid, target, loc, found.schemata, found.by_name)
        for uid, name, loc in found.operators:
            operator_entry(builder, uid, name, loc, found.schemata, found.by_name)
        hint_phones(builder, ctx)

    def _entry(self, builder: ListBuilder, entry: Element, uid: str, loc: str, vocab: OFACVocabulary,
               found: _Entries) -> None:
        """One ``sdnEntry``: the party, its names, its Sanction with identifiers, places, vessel and remarks."""
        name = _name(entry)
        kind = (text(entry, "sdnType") or "").lower()
        schema = SCHEMA.get(kind) or ("Company" if _COMPANY_WORDS.search(name) else "Organization")
        eid = f"ofac-{uid}"
        frag = builder.fragment(eid, schema, loc)
        frag.add("name", name)
        frag.add("topics", "sanction")
        found.schemata[uid] = schema
        found.by_name.setdefault(_name_key(name), uid)
        found.by_name.setdefault(_name_key(name.split(",")[0]), uid)
        if schema == "Person":
            frag.add("firstName", text(entry, "firstName"))
            frag.add("lastName", text(entry, "lastName"))
        frag.add("position", text(entry, "title"))
        for aka in entry.findall("akaList/aka"):
            prop = ALIAS.get((text(aka, "type") or "").lower(), "alias")
            if (text(aka, "category") or "").lower() == "weak":
                prop = "weakAlias"
            frag.add(prop, _name(aka))
        sanction = self.sanction(builder, eid, loc, program=texts(entry, "programList/program"),
                                 authority_id=uid)
        sanction.add("country", "us")
        for ident in entry.findall("idList/id"):
            self._ident(builder, frag, sanction, ident, loc, vocab)
        self._places(builder, frag, entry, schema, loc)
        vessel = entry.find("vesselInfo")
        if vessel is not None:
            for tag, prop in (("callSign", "callSign"), ("vesselType", "type"), ("vesselFlag", "flag"),
                              ("tonnage", "tonnage"), ("grossRegisteredTonnage", "grossRegisteredTonnage")):
                frag.add(prop, text(vessel, tag))
            owner = text(vessel, "vesselOwner")
            if owner:
                vessel_owner(builder, eid, owner, loc)
        _remarks(frag, sanction, entry, uid, loc, found)

    def _places(self, builder: ListBuilder, frag: Fragment, entry: Element, schema: str, loc: str) -> None:
        """Addresses, birth date and place, nationality and citizenship (a country for a non-person)."""
        for addr in entry.findall("addressList/address"):
            parts = [text(addr, t) for t in ("address1", "address2", "address3", "city", "stateOrProvince",
                                             "postalCode")]
            country = text(addr, "country")
            self.address(builder, frag, loc, [*parts, country], country, city=text(addr, "city"),
                         region=text(addr, "stateOrProvince"), postalCode=text(addr, "postalCode"))
        for dob in texts(entry, "dateOfBirthList/dateOfBirthItem/dateOfBirth"):
            frag.add("birthDate", dob)
        for pob in texts(entry, "placeOfBirthList/placeOfBirthItem/placeOfBirth"):
            frag.add("birthPlace", pob)
        for nat in texts(entry, "nationalityList/nationality/country"):
            frag.add("nationality" if schema == "Person" else "country", nat)
        for cit in texts(entry, "citizenshipList/citizenship/country"):
            frag.add("citizenship" if schema == "Person" else "country", cit)

    def _ident(self, builder: ListBuilder, frag: Fragment, sanction: Fragment, ident: Element, loc: str,
               vocab: OFACVocabulary) -> None:
        kind = (text(ident, "idType") or "").strip()
        number = text(ident, "idNumber")
        if not number:
            return
        if kind in vocab["sanction_features"] or kind.rstrip(" -") + " -" in vocab["sanction_features"]:
            sanction.add("provisions", f"{kind.rstrip(' -')}: {number}")
            return
        prop = vocab["features"].get(kind)
        if prop is not None:
            frag.add(prop, number)
            return
        if number.lower().startswith(("http://", "https://")):  # "For more information, please see:"
            sanction.add("sourceUrl", number)
            return
        lowered = kind.lower()
        prop = ("passportNumber" if "passport" in lowered else "taxNumber" if "tax" in lowered
                else "imoNumber" if "imo" in number.lower() and "vessel" in lowered
                else "registrationNumber" if "registration" in lowered else "idNumber")
        frag.add(prop, number.replace("IMO ", "") if prop == "imoNumber" else number)
        self.identification(builder, frag, loc, number, kind, country_code(text(ident, "idCountry")))


register(OFACLegacyXMLLoader())
