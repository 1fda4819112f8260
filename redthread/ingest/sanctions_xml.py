"""Sanctions lists in XML: OFAC advanced, EU consolidated (FSF), UK, UN.

One loader per list format, each registered under its own name and sniffed
from the root element:

- ``ofac-xml``: OFAC's SDN_ADVANCED.XML (``<Sanctions>``: reference value
  sets, distinct parties with aliases and documented name parts, features
  such as birth date and nationality, ID documents, profile relationships,
  sanctions entries);
- ``eu-fsf``: the EU Financial Sanctions Files export (``<export>`` of
  ``<sanctionEntity>`` with ``nameAlias``, ``birthdate``, ``citizenship``,
  ``identification``, ``address``, ``regulation``);
- ``uk-list``: the UK Sanctions List (``<Designations>`` of
  ``<Designation>`` with Name1..Name6, non-Latin names, individual, entity
  and ship details);
- ``un-list``: the UN Security Council consolidated list
  (``<CONSOLIDATED_LIST>`` of ``INDIVIDUAL`` and ``ENTITY``).

Every entry becomes an FtM party plus a Sanction (authority, program,
listing date) and, where the list has them, Address, Identification and
relationship entities. Locations are ``file#Element[n]`` (the n-th record of
that kind). XML is parsed with defusedxml: documents that declare entities
(entity-expansion "billion laughs" bombs, external entities) are refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, cast
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import yaml
from defusedxml import DefusedXmlException
from followthemoney import model
from followthemoney.types import registry

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import Fragment, ListBuilder, country_code, parse_date, period, slug
from redthread.ingest.base import IngestContext, register
from redthread.model import now_iso
from redthread.store import LoadBatch


def parse_xml(path: Path) -> Element:
    """Parse an XML file safely; namespaces are stripped from tag names.

    Raises ``InputError`` for malformed XML and for documents that declare
    entities or reference external resources (refused, never expanded).
    """
    try:
        tree = SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            f"refused: the XML declares entities or external references ({type(exc).__name__}); "
            "sanctions lists never need them, so this file may be an attack",
            path=str(path),
        ) from None
    except SafeET.ParseError as exc:
        raise InputError(f"not well-formed XML ({exc})", path=str(path)) from None
    root: Element = tree.getroot()
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


_LAYOUT_BREAK = re.compile(r"[ \t]*\r?\n\s*")


def text(el: Element | None, path: str = "") -> str | None:
    """Stripped text of an element (or of a child path), None when empty.

    A line break with the indentation around it is the file's layout (lists are
    published pretty-printed, values wrapped onto indented lines), not part of
    the value: it reads as one space.
    """
    if el is None:
        return None
    node = el.find(path) if path else el
    if node is None or node.text is None:
        return None
    value = _LAYOUT_BREAK.sub(" ", node.text.strip())
    return value or None


def texts(el: Element, path: str) -> list[str]:
    return [t for t in (text(n) for n in el.findall(path)) if t]


def _add_texts(frag: Fragment, el: Element, fields: tuple[tuple[str, str], ...]) -> None:
    """Each (property, path): every non-empty text at ``path`` under ``el`` added to ``frag`` as is."""
    for prop, path in fields:
        for value in texts(el, path):
            frag.add(prop, value)


#: A UK designation's ship details copied as they stand (property, path).
_UK_SHIP_TEXTS = (
    ("imoNumber", "IMONumbers/IMONumber"),
    ("flag", "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"),
    ("pastFlags", "PreviousFlags/PreviousFlag"),
    ("buildDate", "YearsBuilt/YearBuilt"),
    ("type", "TypeOfShips/TypeOfShip"),
)


_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")


def root_tag(head: bytes) -> bytes | None:
    """The root element's local name from a file's first bytes (comments skipped)."""
    body = re.sub(rb"<!--.*?-->", b"", head[:8192], flags=re.S)
    match = _ROOT.search(body)
    return match.group(1) if match else None


class XMLListLoader:
    """Shared driver: parse safely, build fragments, yield one batch."""

    name = ""
    description = ""
    root = b""
    authority = ""
    prefix = ""

    def sniff(self, path: Path, head: bytes) -> bool:
        # The content decides, not the name: lists are often saved without ".xml"
        # (a download named "export" or "content?token=...").
        return path.is_file() and head.lstrip().startswith(b"<") and root_tag(head) == self.root

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        root = parse_xml(path)
        if root.tag != self.root.decode():
            raise InputError(f"expected a <{self.root.decode()}> document for --format {self.name}, "
                             f"found <{root.tag}>", path=str(path))
        source = ctx.source or self.list_source(root, path)
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.sanctions_xml/{__version__}", now_iso())
        self.build(root, path.name, builder, ctx)
        if not builder.fragments:
            raise InputError("no entries found in this list", path=str(path))
        yield LoadBatch(dataset=ctx.dataset, source=source, statements=builder.statements(),
                        replace_dataset=ctx.replace_dataset)

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        raise NotImplementedError

    #: The source id of this publisher's list, whatever the file is called.
    list_id = ""

    def list_source(self, root: Element, path: Path) -> str:
        """Which published list this file is, told from its content (not its name).

        History is kept per source: the next version of the same list must
        land on the same source however the file was saved, so a newer UN
        list marks vanished designations removed instead of sitting beside
        the old one.
        """
        return self.list_id

    # helpers ---------------------------------------------------------------
    def sanction(self, builder: ListBuilder, eid: str, loc: str, *, program: list[str] | None = None,
                 start: str | None = None, reason: str | None = None, authority_id: str | None = None,
                 url: str | None = None) -> Fragment:
        frag = builder.fragment(f"{eid}-sanction", "Sanction", loc)
        frag.add("entity", eid)
        frag.add("authority", self.authority)
        for p in program or []:
            frag.add("program", p)
        frag.add("startDate", parse_date(start) if start else None)
        frag.add("listingDate", parse_date(start) if start else None)
        frag.add("reason", reason)
        frag.add("authorityId", authority_id)
        frag.add("sourceUrl", url)
        return frag

    def address(self, builder: ListBuilder, owner: Fragment, loc: str, parts: list[str | None],
                country: str | None, **fields: str | None) -> None:
        """An Address entity (and the owner's address text); ``fields``: Address properties the list has
        separately (``city``, ``region``, ``postalCode``, ``remarks``)."""
        full = ", ".join(p for p in parts if p)
        if not full and not country:
            return
        full = full or str(country)
        addr = builder.fragment(f"{self.prefix}-addr-{slug(owner.id + full)}", "Address", loc)
        addr.add("full", full)
        addr.add("country", country)
        for prop, value in fields.items():
            addr.add(prop, value)
        owner.add("addressEntity", addr.id)
        owner.add("address", full)
        owner.add("country", country_code(country) if country else None)

    def owner(self, builder: ListBuilder, asset: Fragment, loc: str, name: str) -> None:
        """A named owner or operator: a LegalEntity and the Ownership that says so."""
        owner_id = f"{self.prefix}-owner-{slug(name)}"
        builder.fragment(owner_id, "LegalEntity", loc).add("name", name)
        own = builder.fragment(f"{asset.id}-owner-{slug(name)}", "Ownership", loc)
        own.add("owner", owner_id)
        own.add("asset", asset.id)
        own.add("role", "owner or operator")

    def identification(self, builder: ListBuilder, holder: Fragment, loc: str, number: str | None,
                       kind: str | None, country: str | None) -> None:
        if not number:
            return
        ident = builder.fragment(f"{self.prefix}-id-{slug(holder.id + number)}", "Identification", loc)
        ident.add("holder", holder.id)
        ident.add("number", number)
        ident.add("type", kind)
        ident.add("country", country)


# -- EU ------------------------------------------------------------------------

EU_ID_PROPS = {"passport": "passportNumber", "tin": "taxNumber", "regnumber": "registrationNumber",
               "id": "idNumber", "other": "idNumber"}


class EUFSFLoader(XMLListLoader):
    name = "eu-fsf"
    description = "EU consolidated financial sanctions list (FSF XML export)"
    root = b"export"
    authority = "European Union"
    prefix = "eu"
    list_id = "eu-fsf-consolidated"

    def sniff(self, path: Path, head: bytes) -> bool:
        return super().sniff(path, head) and (b"sanctionEntity" in head or b"fsd/export" in head)


    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        for n, ent in enumerate(root.findall("sanctionEntity"), start=1):
            lid = ent.get("logicalId") or str(n)
            loc = f"{fname}#sanctionEntity[{n}]"
            subject = ent.find("subjectType")
            code = subject.get("code") if subject is not None else ""
            schema = "Person" if code == "person" else "Organization"
            eid = f"eu-{lid}"
            frag = builder.fragment(eid, schema, loc)
            frag.add("topics", "sanction")
            frag.add("notes", text(ent, "remark"))
            aliases = ent.findall("nameAlias")
            # The caption is the name in the regulation's own language (nameLanguage empty or EN),
            # never whichever translation happens to come first.
            main = next((a for a in aliases if (a.get("nameLanguage") or "").upper() in ("", "EN")
                         and a.get("wholeName")), aliases[0] if aliases else None)
            for alias in aliases:
                whole = alias.get("wholeName")
                frag.add("name" if alias is main else "alias", whole)
                if schema == "Person":
                    frag.add("firstName", alias.get("firstName"))
                    frag.add("middleName", alias.get("middleName"))
                    frag.add("lastName", alias.get("lastName"))
                    frag.add("gender", {"M": "male", "F": "female"}.get(alias.get("gender") or ""))
                    frag.add("position", alias.get("function"))
                    frag.add("title", alias.get("title"))
            for cit in ent.findall("citizenship"):
                code = _eu_country(cit)
                frag.add("nationality" if schema == "Person" else "country", code)
            for bd in ent.findall("birthdate"):
                frag.add("birthDate", bd.get("birthdate") or _eu_partial_date(bd))
                country = cit_name if (cit_name := bd.get("countryDescription")) and _eu_country(bd) else None
                frag.add("birthPlace", ", ".join(p for p in (bd.get("place"), bd.get("city"), bd.get("region"),
                                                             country) if p))
                frag.add("birthCountry", _eu_country(bd))
            for ident in ent.findall("identification"):
                number = ident.get("number")
                kind = (ident.get("identificationTypeCode") or "other").lower()
                frag.add(EU_ID_PROPS.get(kind, "idNumber"), number)
                self.identification(builder, frag, loc, number, ident.get("identificationTypeDescription"),
                                    _eu_country(ident))
            for addr in ent.findall("address"):
                country = _eu_country(addr)
                self.address(builder, frag, loc, [addr.get("street"), addr.get("zipCode"), addr.get("city"),
                                                  addr.get("region"), addr.get("countryDescription") if country
                                                  else None], country,
                             street=addr.get("street"), postalCode=addr.get("zipCode"), city=addr.get("city"),
                             region=addr.get("region"), postOfficeBox=addr.get("poBox"))
            regs = ent.findall("regulation")
            programs = [r.get("programme") or "" for r in regs if r.get("programme")]
            # The designation date when the list gives it; else the earliest regulation.
            start = ent.get("designationDate") or min((r.get("publicationDate") or "" for r in regs),
                                                      default="") or None
            url = text(regs[0], "publicationUrl") if regs else None
            sanction = self.sanction(builder, eid, loc, program=programs, start=start,
                                     authority_id=ent.get("euReferenceNumber"), url=url)
            sanction.add("unscId", ent.get("unitedNationId"))
            sanction.add("recordId", ent.get("logicalId"))
            sanction.add("reason", ent.get("designationDetails"))
            for reg in regs:
                sanction.add("provisions", reg.get("numberTitle"))


def _eu_country(el: Element) -> str | None:
    """An element's ISO country, None for the list's "00" / UNKNOWN placeholder."""
    code = (el.get("countryIso2Code") or "").strip()
    if not code or code == "00" or (el.get("countryDescription") or "").upper() == "UNKNOWN":
        return None
    return code.lower()


def _eu_partial_date(bd: Element) -> str | None:
    """A birth date the list gives only in parts (year, or year and month)."""
    year, month = bd.get("year"), bd.get("monthOfYear")
    if not year:
        return None
    return f"{year}-{int(month):02d}" if month and month.isdigit() else year


# -- UN ------------------------------------------------------------------------


class UNListLoader(XMLListLoader):
    name = "un-list"
    description = "UN Security Council consolidated sanctions list (XML)"
    root = b"CONSOLIDATED_LIST"
    authority = "United Nations Security Council"
    prefix = "un"
    list_id = "un-sc-consolidated"

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        for kind, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
            for n, ent in enumerate(root.iter(kind), start=1):
                self.entry(ent, kind, schema, f"{fname}#{kind}[{n}]", builder)

    def entry(self, ent: Element, kind: str, schema: str, loc: str, builder: ListBuilder) -> None:
        dataid = text(ent, "DATAID") or slug(loc)
        eid = f"un-{dataid}"
        frag = builder.fragment(eid, schema, loc)
        parts = [text(ent, p) for p in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        frag.add("name", " ".join(p for p in parts if p))
        frag.add("alias", text(ent, "NAME_ORIGINAL_SCRIPT"))
        frag.add("topics", "sanction")
        frag.add("notes", text(ent, "COMMENTS1"))
        for alias in ent.findall(f"{kind}_ALIAS"):
            quality = (text(alias, "QUALITY") or "").lower()
            frag.add("weakAlias" if quality in ("low", "very low") else "alias", text(alias, "ALIAS_NAME"))
        for val in texts(ent, "NATIONALITY/VALUE"):
            frag.add("nationality" if schema == "Person" else "country", val)
        for val in texts(ent, "DESIGNATION/VALUE"):
            frag.add("position" if schema == "Person" else "notes", val)
        for val in texts(ent, "TITLE/VALUE"):
            frag.add("title", val)
        frag.add("gender", (text(ent, "GENDER") or "").lower() or None)
        for dob in ent.findall(f"{kind}_DATE_OF_BIRTH"):
            frag.add("birthDate", text(dob, "DATE") or text(dob, "YEAR"))
            # BETWEEN: both ends of the range (FtM has no range type).
            frag.add("birthDate", text(dob, "FROM_YEAR"))
            frag.add("birthDate", text(dob, "TO_YEAR"))
        for pob in ent.findall(f"{kind}_PLACE_OF_BIRTH"):
            frag.add("birthPlace", ", ".join(
                p for p in (text(pob, "CITY"), text(pob, "STATE_PROVINCE"), text(pob, "COUNTRY")) if p))
            frag.add("birthCountry", text(pob, "COUNTRY"))
        for doc in ent.findall(f"{kind}_DOCUMENT"):
            number, dtype = text(doc, "NUMBER"), text(doc, "TYPE_OF_DOCUMENT") or ""
            frag.add("passportNumber" if "passport" in dtype.lower() else "idNumber", number)
            self.identification(builder, frag, loc, number, dtype, text(doc, "ISSUING_COUNTRY"))
        for addr in ent.findall(f"{kind}_ADDRESS"):
            country = text(addr, "COUNTRY")
            street, city, region, zipcode = (text(addr, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"))
            self.address(builder, frag, loc, [street, city, region, zipcode, country], country,
                         street=street, city=city, region=region, postalCode=zipcode, remarks=text(addr, "NOTE"))
        sanction = self.sanction(builder, eid, loc, program=[text(ent, "UN_LIST_TYPE") or ""],
                                 start=text(ent, "LISTED_ON"), authority_id=text(ent, "REFERENCE_NUMBER"))
        sanction.add("unscId", text(ent, "REFERENCE_NUMBER"))
        for updated in texts(ent, "LAST_DAY_UPDATED/VALUE"):
            sanction.add("modifiedAt", updated)


# -- UK ------------------------------------------------------------------------

UK_SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}


class UKListLoader(XMLListLoader):
    name = "uk-list"
    description = "UK Sanctions List (FCDO XML export)"
    root = b"Designations"
    authority = "United Kingdom"
    prefix = "uk"
    list_id = "uk-sanctions-list"

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        for n, des in enumerate(root.findall("Designation"), start=1):
            self._designation(builder, des, f"{fname}#Designation[{n}]")

    def _designation(self, builder: ListBuilder, des: Element, loc: str) -> None:
        """One ``Designation``: the party (names, person, entity or ship details, contacts, addresses) and its Sanction."""
        uid = text(des, "UniqueID") or slug(loc)
        schema = UK_SCHEMA.get((text(des, "IndividualEntityShip") or "entity").lower(), "LegalEntity")
        eid = f"uk-{uid}"
        frag = builder.fragment(eid, schema, loc)
        frag.add("topics", "sanction")
        frag.add("notes", text(des, "OtherInformation"))
        for name in des.findall("Names/Name"):
            full = " ".join(t for t in (text(name, f"Name{i}") for i in range(1, 7)) if t)
            primary = (text(name, "NameType") or "").lower().startswith("primary")
            frag.add("name" if primary else "alias", full)
        for nl in texts(des, "NonLatinNames/NonLatinName/NameNonLatinScript"):
            frag.add("alias", nl)
        for ind in des.findall("IndividualDetails/Individual"):
            self._individual(builder, frag, ind, loc)
        for ent_d in des.findall("EntityDetails"):
            frag.add("legalForm", text(ent_d, "TypeOfEntity"))
            for reg in texts(ent_d, "BusinessRegistrationNumbers/BusinessRegistrationNumber"):
                frag.add("registrationNumber", reg)
        for ship in des.findall("ShipDetails/Ship"):
            self._ship(builder, frag, ship, loc)
        for phone in texts(des, "PhoneNumbers/PhoneNumber"):
            frag.add("phone", phone)
        for email in texts(des, "EmailAddresses/EmailAddress"):
            frag.add("email", email)
        for site in texts(des, "WebsiteAddresses/WebsiteAddress"):
            frag.add("website", site)
        for addr in des.findall("Addresses/Address"):
            lines = [text(addr, f"AddressLine{i}") for i in range(1, 7)]
            country, postcode = text(addr, "AddressCountry"), text(addr, "AddressPostalCode")
            self.address(builder, frag, loc, [*lines, postcode, country], country, postalCode=postcode)
        sanction = self.sanction(builder, eid, loc, program=[text(des, "RegimeName") or ""],
                                 start=text(des, "DateDesignated"), reason=text(des, "UKStatementofReasons"),
                                 authority_id=uid)
        sanction.add("unscId", text(des, "UNReferenceNumber"))
        sanction.add("modifiedAt", text(des, "LastUpdated"))
        sanction.add("recordId", text(des, "OFSIGroupID"))
        source_list = text(des, "DesignationSource")
        sanction.add("description", f"Designation source: {source_list}" if source_list else None)
        for imposed in (text(des, "SanctionsImposed") or "").split("|"):
            sanction.add("provisions", imposed)

    def _individual(self, builder: ListBuilder, frag: Fragment, ind: Element, loc: str) -> None:
        """A person's details: birth, nationality, gender, positions, passports and national ids."""
        _add_texts(frag, ind, (("birthDate", "DOBs/DOB"), ("nationality", "Nationalities/Nationality")))
        for g in texts(ind, "Genders/Gender"):
            frag.add("gender", g.lower())
        _add_texts(frag, ind, (("position", "Positions/Position"),))
        for passport in ind.findall("PassportDetails/Passport"):
            number = text(passport, "PassportNumber")
            frag.add("passportNumber", number)
            self.identification(builder, frag, loc, number, "Passport", None)
            frag.add("notes", text(passport, "PassportAdditionalInformation"))
        for nid in ind.findall("NationalIdentifierDetails/NationalIdentifier"):
            frag.add("idNumber", text(nid, "NationalIdentifierNumber"))
        for loc_el in ind.findall("BirthDetails/Location"):
            frag.add("birthPlace", ", ".join(p for p in (text(loc_el, "TownOfBirth"),
                                                          text(loc_el, "CountryOfBirth")) if p))

    def _ship(self, builder: ListBuilder, frag: Fragment, ship: Element, loc: str) -> None:
        """A ship's IMO number, flags, build year, type and owners or operators."""
        _add_texts(frag, ship, _UK_SHIP_TEXTS)
        for owner in texts(ship, "CurrentOwnerOperators/CurrentOwnerOperator"):
            self.owner(builder, frag, loc, owner)


# -- OFAC advanced ---------------------------------------------------------------


def _refs(root: Element, path: str) -> dict[str, str]:
    return {el.get("ID") or "": (el.text or "").strip() for el in root.findall(path)}


@dataclass
class _AdvancedRefs:
    """The advanced XML's reference value sets (id -> value), read once: alias, feature, document,
    name-part, relation and sanction types, detail references, party subtypes, countries, lists
    and the file's locations."""

    alias_types: dict[str, str]
    feature_types: dict[str, str]
    doc_types: dict[str, str]
    part_types: dict[str, str]
    relation_types: dict[str, str]
    details: dict[str, str]
    subtypes: dict[str, tuple[str, str]]  # subtype id -> (party type, subtype)
    countries: dict[str, str]
    locations: dict[str, tuple[str, str | None]]  # location id -> (text, country)
    lists: dict[str, str]
    measures: dict[str, str]

    @classmethod
    def read(cls, root: Element,
             location: Callable[[Element, dict[str, str]], tuple[str, str | None]]) -> _AdvancedRefs:
        ref = "ReferenceValueSets/"
        party_types = _refs(root, ref + "PartyTypeValues/PartyType")
        countries = {el.get("ID") or "": el.get("ISO2") or (el.text or "").strip()
                     for el in root.findall(ref + "CountryValues/Country")}
        return cls(
            alias_types=_refs(root, ref + "AliasTypeValues/AliasType"),
            feature_types=_refs(root, ref + "FeatureTypeValues/FeatureType"),
            doc_types=_refs(root, ref + "IDRegDocTypeValues/IDRegDocType"),
            part_types=_refs(root, ref + "NamePartTypeValues/NamePartType"),
            relation_types=_refs(root, ref + "RelationTypeValues/RelationType"),
            details=_refs(root, ref + "DetailReferenceValues/DetailReference"),
            subtypes={el.get("ID") or "": (party_types.get(el.get("PartyTypeID") or "", ""), (el.text or "").strip())
                      for el in root.findall(ref + "PartySubTypeValues/PartySubType")},
            countries=countries,
            locations={loc.get("ID") or "": location(loc, countries) for loc in root.findall("Locations/Location")},
            lists=_refs(root, ref + "ListValues/List"),
            measures=_refs(root, ref + "SanctionsTypeValues/SanctionsType"),
        )


@dataclass
class _Parties:
    """What the parties tell the documents, relationships and entries read after them."""

    schemata: dict[str, str] = field(default_factory=dict)  # profile id -> schema
    identities: dict[str, Fragment] = field(default_factory=dict)  # identity id -> its party
    determinations: dict[str, list[str]] = field(default_factory=dict)  # profile id -> sanction features


class OFACXMLLoader(XMLListLoader):
    name = "ofac-xml"
    description = "OFAC SDN list, advanced XML (SDN_ADVANCED.XML)"
    root = b"Sanctions"
    authority = "Office of Foreign Assets Control"
    prefix = "ofac"

    def list_source(self, root: Element, path: Path) -> str:
        """``ofac-sdn-advanced`` or ``ofac-cons-advanced``: the list most entries are on.

        sdn_advanced.xml and cons_advanced.xml share one schema and one root;
        what tells them apart is the list their SanctionsEntry elements name.
        """
        names = _refs(root, "ReferenceValueSets/ListValues/List")
        counts: dict[str, int] = {}
        for entry in root.findall("SanctionsEntries/SanctionsEntry"):
            name = names.get(entry.get("ListID") or "", "")
            counts[name] = counts.get(name, 0) + 1
        main = max(counts, key=lambda k: counts[k], default="SDN List")
        return "ofac-sdn-advanced" if main.upper().startswith("SDN") else "ofac-cons-advanced"

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        refs = _AdvancedRefs.read(root, self._location)
        parties = _Parties()
        for n, party in enumerate(root.findall("DistinctParties/DistinctParty"), start=1):
            self._party(builder, party, n, f"{fname}#DistinctParty[{n}]", refs, parties)
        for doc in root.findall("IDRegDocuments/IDRegDocument"):
            self._document(builder, doc, refs, parties)
        relations = _vocabulary()["relations"]
        for rel in root.findall("ProfileRelationships/ProfileRelationship"):
            src, dst = rel.get("From-ProfileID") or "", rel.get("To-ProfileID") or ""
            if src not in parties.schemata or dst not in parties.schemata:
                continue
            rtype = refs.relation_types.get(rel.get("RelationTypeID") or "", "related to")
            loc = f"{fname}#ProfileRelationship[{rel.get('ID')}]"
            how: Relation = relations.get(rtype) or {"schema": "UnknownLink", "from": "subject", "to": "object"}
            link = builder.fragment(f"ofac-rel-{rel.get('ID')}", how["schema"], loc)
            link.add(how["from"], f"ofac-{src}")
            link.add(how["to"], f"ofac-{dst}")
            link.add("role", rtype)
        for n, entry in enumerate(root.findall("SanctionsEntries/SanctionsEntry"), start=1):
            if (entry.get("ProfileID") or "") in parties.schemata:
                loc = f"{fname}#SanctionsEntry[{n}]"
                self._entry(builder, entry, loc, refs, parties, _entry_start(entry.find("EntryEvent/Date"), loc, ctx))

    def _party(self, builder: ListBuilder, party: Element, n: int, loc: str, refs: _AdvancedRefs,
               parties: _Parties) -> None:
        """One ``DistinctParty``: its schema from the party (sub)type, names per identity, features;
        features that are sanction determinations are kept for the party's Sanction."""
        profile = party.find("Profile")
        if profile is None:
            return
        pid = profile.get("ID") or party.get("FixedRef") or str(n)
        ptype, sub = refs.subtypes.get(profile.get("PartySubTypeID") or "", ("", ""))
        schema = {"Individual": "Person", "Vessel": "Vessel", "Aircraft": "Airplane"}.get(
            sub if sub in ("Vessel", "Aircraft") else ptype, "Organization")
        parties.schemata[pid] = schema
        frag = builder.fragment(f"ofac-{pid}", schema, loc)
        frag.add("topics", "sanction")
        for identity in profile.findall("Identity"):
            parties.identities[identity.get("ID") or ""] = frag
            self._identity(frag, identity, refs, schema)
        for feature in profile.findall("Feature"):
            ftype = refs.feature_types.get(feature.get("FeatureTypeID") or "", "")
            if ftype in _vocabulary()["sanction_features"]:
                for version in feature.findall("FeatureVersion"):
                    detail = _detail(version, refs.details)
                    parties.determinations.setdefault(pid, []).append(
                        f"{ftype.rstrip(' -')}: {detail}" if detail else ftype)
                continue
            self._feature(frag, feature, ftype, refs.locations, builder, loc, refs.details)

    def _identity(self, frag: Fragment, identity: Element, refs: _AdvancedRefs, schema: str) -> None:
        """An identity's names: the primary one, previous names (F.K.A.), aliases, weak aliases."""
        groups = {g.get("ID") or "": refs.part_types.get(g.get("NamePartTypeID") or "", "")
                  for g in identity.findall("NamePartGroups/MasterNamePartGroup/NamePartGroup")}
        for alias in identity.findall("Alias"):
            atype = refs.alias_types.get(alias.get("AliasTypeID") or "", "")
            for doc_name in alias.findall("DocumentedName"):
                name = self._name(doc_name, groups, schema)
                primary = alias.get("Primary") == "true" and doc_name.get("DocNameStatusID") == "1"
                prop = "name" if primary else ("previousName" if atype == "F.K.A." else "alias")
                if alias.get("LowQuality") == "true":
                    prop = "weakAlias"
                frag.add(prop, name)

    def _document(self, builder: ListBuilder, doc: Element, refs: _AdvancedRefs, parties: _Parties) -> None:
        """An identity or registration document: a number on its holder and an Identification."""
        holder = parties.identities.get(doc.get("IdentityID") or "")
        number = text(doc, "IDRegistrationNo")
        if holder is None or not number:
            return
        dtype = refs.doc_types.get(doc.get("IDRegDocTypeID") or "", "")
        prop = ("passportNumber" if "Passport" in dtype else "taxNumber" if "Tax" in dtype
                else "registrationNumber" if ("Registration" in dtype or "USCC" in dtype) else "idNumber")
        holder.add(prop, number)
        self.identification(builder, holder, holder.location, number, dtype,
                            refs.countries.get(doc.get("IssuedBy-CountryID") or ""))

    def _entry(self, builder: ListBuilder, entry: Element, loc: str, refs: _AdvancedRefs, parties: _Parties,
               start: str | None) -> None:
        """A ``SanctionsEntry``: the party's Sanction with its programmes, list, measures, date and determinations."""
        pid = entry.get("ProfileID") or ""
        measures = refs.measures
        # A measure of type "Program" names the programme in its comment; a file without
        # the SanctionsType reference set is read the same way (its commented measures).
        programs = [text(m, "Comment") or "" for m in entry.findall("SanctionsMeasure")
                    if measures.get(m.get("SanctionsTypeID") or "", "Program") == "Program"
                    and text(m, "Comment")]
        provisions = [measures.get(m.get("SanctionsTypeID") or "", "") for m in entry.findall("SanctionsMeasure")
                      if measures.get(m.get("SanctionsTypeID") or "") not in (None, "", "Program")]
        sanction = self.sanction(builder, f"ofac-{pid}", loc, program=programs, start=start, authority_id=pid)
        # The list the entry is on (SDN, SSI, FSE, CAPTA, ...) and its measures.
        sanction.add("program", refs.lists.get(entry.get("ListID") or ""))
        for provision in provisions:
            sanction.add("provisions", provision)
        for determination in parties.determinations.get(pid, []):
            sanction.add("provisions", determination)

    @staticmethod
    def _location(loc: Element, countries: dict[str, str]) -> tuple[str, str | None]:
        parts = [text(v) for v in loc.findall("LocationPart/LocationPartValue/Value")]
        country_el = loc.find("LocationCountry")
        country = countries.get(country_el.get("CountryID") or "") if country_el is not None else None
        return ", ".join(p for p in parts if p), country

    @staticmethod
    def _name(doc_name: Element, groups: dict[str, str], schema: str) -> str:
        parts: dict[str, list[str]] = {}
        for value in doc_name.findall("DocumentedNamePart/NamePartValue"):
            kind = groups.get(value.get("NamePartGroupID") or "", "")
            if value.text and value.text.strip():
                parts.setdefault(kind, []).append(value.text.strip())
        if schema == "Person" and "Last Name" in parts:
            given = parts.get("First Name", []) + parts.get("Middle Name", [])
            return f"{' '.join(parts['Last Name'])}, {' '.join(given)}".strip(", ")
        return " ".join(v for vals in parts.values() for v in vals)

    def _feature(self, frag: Fragment, feature: Element, ftype: str,
                 locations: dict[str, tuple[str, str | None]], builder: ListBuilder, loc: str,
                 details: dict[str, str] | None = None) -> None:
        for version in feature.findall("FeatureVersion"):
            detail = _detail(version, details or {})
            where = version.find("VersionLocation")
            place = locations.get(where.get("LocationID") or "") if where is not None else None
            handler = FEATURES.get(ftype)
            prop = _vocabulary()["features"].get(ftype)
            if handler is not None:
                handler(self, frag, version, detail, place, builder, loc)
            elif prop is not None:
                values: list[str | None] = [detail] if detail else []
                for value in values or list(_ofac_dates(version)) or [place[0] if place else None]:
                    frag.add(prop, value)
            elif detail:
                frag.add("notes", f"{ftype}: {detail}")


def _detail(version: Element, details: dict[str, str]) -> str | None:
    """A feature version's detail: its text, or the reference value it names ("Subject to Directive 1")."""
    el = version.find("VersionDetail")
    if el is None:
        return None
    return text(el) or details.get(el.get("DetailReferenceID") or "") or None


#: How an OFAC relation type becomes a link: its schema and the properties of its two ends.
Relation = TypedDict("Relation", {"schema": str, "from": str, "to": str})


class OFACVocabulary(TypedDict):
    """The OFAC vocabulary (data/ofac.yaml)."""

    features: dict[str, str]  # feature type -> the FtM property it fills
    sanction_features: frozenset[str]  # feature types that are sanction determinations
    relations: dict[str, Relation]  # relation type -> link


@functools.cache
def _vocabulary() -> OFACVocabulary:
    """The OFAC vocabulary (data/ofac.yaml): features, sanction determinations, relations."""
    path = Path(__file__).parent / "data" / "ofac.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["sanction_features"] = frozenset(data.get("sanction_features") or [])
    _check_feature_properties(data.get("features") or {}, path)
    return cast(OFACVocabulary, data)


#: The schemata an OFAC party becomes (see ``OFACXMLLoader.build``).
_OFAC_PARTY_SCHEMATA = ("Person", "Organization", "Vessel", "Airplane")


def _check_feature_properties(features: dict[str, str], path: Path) -> None:
    """A feature's text is a value, never an entity id: a feature mapped to an entity-typed property
    (``Vessel Owner: owner``) would store a bare name as a reference to an entity that does not
    exist. Such a feature needs a handler in ``FEATURES`` that makes the entity and the link.
    (A property no party has keeps the text as a ``prop: value`` note, see ``Fragment.add``.)"""
    for ftype, prop in features.items():
        for name in _OFAC_PARTY_SCHEMATA:
            schema = model.get(name)
            found = schema.get(prop) if schema is not None else None
            if found is not None and found.type == registry.entity:
                raise InputError(f"feature {ftype!r} maps to {name}.{prop}, an entity reference; a feature's "
                                 "text is a value, not an entity id: give the feature a handler in FEATURES",
                                 path=str(path), field=f"features.{ftype}")


def _entry_start(date: Element | None, loc: str, ctx: IngestContext) -> str | None:
    """The listing date of a ``SanctionsEntry`` (``Year``, ``Month``, ``Day``) at the precision it has.

    A part that is not a number (``<Month>June</Month>``) is one bad value: it is dropped with a warning
    naming the file, the entry and the part, and the date keeps the parts before it (``2024``); it used
    to stop the whole list with a ``ValueError``.
    """
    if date is None:
        return None
    parts: list[str] = []
    for tag in ("Year", "Month", "Day"):
        value = text(date, tag)
        if not value:
            break
        if not value.isdigit():
            fname, _, where = loc.partition("#")
            ctx.drop_value(InputError(f"{where}: the entry date's {tag} {value!r} is not a number",
                                      path=fname, field=f"EntryEvent/Date/{tag}"))
            break
        parts.append(value if tag == "Year" else f"{int(value):02d}")
    return "-".join(parts) or None


def _ymd(el: Element | None) -> tuple[int, int, int] | None:
    if el is None or not text(el, "Year"):
        return None
    try:
        return int(text(el, "Year") or 0), int(text(el, "Month") or 1), int(text(el, "Day") or 1)
    except ValueError:
        return None


def _ofac_dates(version: Element) -> list[str]:
    """A feature's DatePeriod at its real precision (a year-only birth date is ``1962``; ranges keep both ends)."""
    period_el = version.find("DatePeriod")
    if period_el is None:
        return []
    start = _ymd(period_el.find("Start/From"))
    end = _ymd(period_el.find("End/To")) or _ymd(period_el.find("End/From"))
    if start is None:
        return []
    return period(start, end or start)


FeatureHandler = Callable[[OFACXMLLoader, Fragment, Element, "str | None", "tuple[str, str | None] | None",
                           ListBuilder, str], None]


def _f_birthdate(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder, loc: str) -> None:
    for value in _ofac_dates(v):
        frag.add("birthDate", value)


def _f_birthplace(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder, loc: str) -> None:
    frag.add("birthPlace", d or (p[0] if p else None))


def _f_nationality(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder, loc: str) -> None:
    frag.add("nationality" if frag.schema == "Person" else "country", (p[1] if p else None) or d)


def _f_location(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder, loc: str) -> None:
    if p:
        ld.address(b, frag, loc, [p[0]], p[1])


def _f_gender(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder, loc: str) -> None:
    frag.add("gender", d.lower() if d else None)


def vessel_owner(builder: ListBuilder, vessel_id: str, owner: str, location: str) -> None:
    """A vessel's owner as OFAC names it (CSV column, legacy XML ``vesselOwner``, advanced XML
    ``Vessel Owner`` feature): a Company of that name and the Ownership that says so (``registered
    owner``); one id per name in every format, so the three formats give the same link."""
    owner_id = f"ofac-owner-{slug(owner)}"
    builder.fragment(owner_id, "Company", location).add("name", owner)
    own = builder.fragment(f"{vessel_id}-owner-{slug(owner)}", "Ownership", location)
    own.add("owner", owner_id)
    own.add("asset", vessel_id)
    own.add("role", "registered owner")


def _f_vessel_owner(ld: OFACXMLLoader, frag: Fragment, v: Element, d: Any, p: Any, b: ListBuilder,
                    loc: str) -> None:
    if d:
        vessel_owner(b, frag.id, d, loc)


#: OFAC feature type name -> what it sets (a registry, not a chain of ifs).
FEATURES: dict[str, FeatureHandler] = {
    "Birthdate": _f_birthdate,
    "Place of Birth": _f_birthplace,
    "Nationality Country": _f_nationality,
    "Citizenship Country": _f_nationality,
    "Location": _f_location,
    "Gender": _f_gender,
    "Vessel Owner": _f_vessel_owner,
}


class EULegacyLoader(XMLListLoader):
    """The old EU consolidated list, XML 1.0 (``WHOLE/ENTITY``), the same list as FSF 1.1 (same ids)."""

    name = "eu-fsf-legacy"
    description = "EU consolidated financial sanctions list, old XML 1.0 (WHOLE/ENTITY)"
    root = b"WHOLE"
    authority = "European Union"
    prefix = "eu"
    list_id = "eu-fsf-consolidated"

    def build(self, root: Element, fname: str, builder: ListBuilder, ctx: IngestContext) -> None:
        for n, ent in enumerate(root.findall("ENTITY"), start=1):
            lid = ent.get("Id") or str(n)
            loc = f"{fname}#ENTITY[{n}]"
            schema = "Person" if ent.get("Type") == "P" else "Organization"
            eid = f"eu-{lid}"
            frag = builder.fragment(eid, schema, loc)
            frag.add("topics", "sanction")
            names = ent.findall("NAME")
            main = next((el for el in names if (text(el, "LANGUAGE") or "").upper() in ("", "EN")
                         and text(el, "WHOLENAME")), names[0] if names else None)
            main_name = text(main, "WHOLENAME") if main is not None else None
            for el in names:
                whole = text(el, "WHOLENAME")
                frag.add("name" if el is main else "alias", whole if el is main or whole != main_name else None)
                if schema == "Person":
                    if el is main:
                        frag.add("firstName", text(el, "FIRSTNAME"))
                        frag.add("middleName", text(el, "MIDDLENAME"))
                        frag.add("lastName", text(el, "LASTNAME"))
                    frag.add("gender", {"M": "male", "F": "female"}.get(text(el, "GENDER") or ""))
                    frag.add("title", text(el, "TITLE"))
                    frag.add("position", text(el, "FUNCTION"))
            for birth in ent.findall("BIRTH"):
                frag.add("birthDate", text(birth, "DATE"))
                frag.add("birthPlace", ", ".join(p for p in (text(birth, "PLACE"), text(birth, "COUNTRY")) if p))
                frag.add("birthCountry", text(birth, "COUNTRY"))
            for cit in texts(ent, "CITIZEN/COUNTRY"):
                frag.add("nationality" if schema == "Person" else "country", cit)
            for passport in ent.findall("PASSPORT"):
                raw = text(passport, "NUMBER")
                number = re.split(r"\s*\(", raw, maxsplit=1)[0].strip() if raw else None
                frag.add("passportNumber", number)
                self.identification(builder, frag, loc, number, raw, text(passport, "COUNTRY"))
            for addr in ent.findall("ADDRESS"):
                parts = [text(addr, t) for t in ("NUMBER", "STREET", "ZIPCODE", "CITY")]
                country = text(addr, "COUNTRY")
                self.address(builder, frag, loc, [*parts, country], country, street=text(addr, "STREET"),
                             postalCode=text(addr, "ZIPCODE"), city=text(addr, "CITY"), remarks=text(addr, "OTHER"))
            sanction = self.sanction(builder, eid, loc, program=[ent.get("programme") or ""],
                                     start=ent.get("reg_date"), url=ent.get("pdf_link"))
            sanction.add("recordId", lid)
            sanction.add("provisions", ent.get("legal_basis"))
            sanction.add("summary", ent.get("remark"))


register(EUFSFLoader())
register(EULegacyLoader())
register(OFACXMLLoader())
register(UKListLoader())
register(UNListLoader())
