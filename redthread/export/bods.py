"""BODS 0.4 out: the store's people, entities and ownership/control links as BODS statements.

One JSON array (Open Ownership's Beneficial Ownership Data Standard 0.4):
persons and entities first, then relationships, each a statement about a
record whose ``recordId`` is the entity id, so a later export of the same
store describes the same records. Ownership becomes a relationship with a
``shareholding`` (or its ``ownershipType`` when that is a BODS interest type)
interest, the share exact or as ``minimum``/``maximum`` when the store holds
a band; Directorship becomes a board or management interest; UnknownLinks
whose role is a BODS interest type become that interest. Other links have
no BODS meaning and are left out. Reading the file back with the ``bods``
loader gives the same parties, stakes and dates (a test holds them equal, and
validates the file against the BODS 0.4 schema with Open Ownership's lib-cove-bods).

An indirect interest that kept its chain (loaded from 0.4 component records)
is written with ``componentRecords``, and the records of the chain with
``isComponent: true``. Parties the source could not name (unknown or anonymous
persons and entities, GLEIF reporting exceptions) are written as such, with
their unspecified reason. Person identifiers use the BODS 0.4 person schemes
(``<nationality alpha-3>-PASSPORT|TAXID|IDCARD``, ``XXX`` when the nationality
is not one known country), the FtM property as ``schemeName``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import NotRequired, TextIO, TypedDict

from followthemoney.types import registry
from rigour.territories import get_territory

from redthread import __version__
from redthread.ingest.bods import UNSPECIFIED_TYPES, chain_of, read_unspecified_note
from redthread.model.analysis import EntityJSON
from redthread.store import Store

BODS_VERSION = "0.4"
#: BODS 0.4 interest types (codelist interestType).
INTEREST_TYPES = {
    "shareholding", "votingRights", "appointmentOfBoard", "otherInfluenceOrControl", "seniorManagingOfficial",
    "settlor", "trustee", "protector", "beneficiaryOfLegalArrangement", "rightsToSurplusAssetsOnDissolution",
    "rightsToProfitOrIncome", "rightsGrantedByContract", "conditionalRightsGrantedByContract",
    "controlViaCompanyRulesOrArticles", "controlByLegalFramework", "boardMember", "boardChair",
    "unknownInterest", "unpublishedInterest", "enjoymentAndUseOfAssets", "rightToProfitOrIncomeFromAssets",
    "nominee", "nominator",
}
PARTY_SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "PublicBody"}
ENTITY_TYPE = {"Company": "registeredEntity", "Organization": "legalEntity", "LegalEntity": "legalEntity",
               "PublicBody": "stateBody"}
ARRANGEMENT_FORMS = {"trust", "arrangement"}
#: FtM property -> BODS 0.4 person identifier scheme type (the scheme is ``<alpha-3>-<type>``).
PERSON_ID_SCHEMES = {"passportNumber": "PASSPORT", "taxNumber": "TAXID", "idNumber": "IDCARD",
                     "registrationNumber": "IDCARD"}


# -- BODS 0.4 record shapes (what libcovebods validates; the keys are the standard's) ----------


class Interest(TypedDict):
    """One interest of a relationship: its type, direct or indirect, share (exact or a band), dates."""

    type: str
    directOrIndirect: str
    beneficialOwnershipOrControl: bool
    share: NotRequired[dict[str, float]]
    startDate: NotRequired[str]
    endDate: NotRequired[str]


class PoliticalExposure(TypedDict):
    status: str  # "isPep"
    details: list[dict[str, str]]  # each {"reason": ...}


class PersonDetails(TypedDict):
    isComponent: bool
    personType: str
    names: list[dict[str, str]]
    unspecifiedPersonDetails: NotRequired[dict[str, str]]
    birthDate: NotRequired[str]
    deathDate: NotRequired[str]
    nationalities: NotRequired[list[dict[str, str]]]
    politicalExposure: NotRequired[PoliticalExposure]
    identifiers: NotRequired[list[dict[str, str]]]
    addresses: NotRequired[list[dict[str, str]]]


class EntityDetails(TypedDict):
    isComponent: bool
    entityType: dict[str, str]
    name: str
    unspecifiedEntityDetails: NotRequired[dict[str, str]]
    alternateNames: NotRequired[list[str]]
    jurisdiction: NotRequired[dict[str, str]]
    foundingDate: NotRequired[str]
    dissolutionDate: NotRequired[str]
    identifiers: NotRequired[list[dict[str, str]]]
    addresses: NotRequired[list[dict[str, str]]]


class RelationshipDetails(TypedDict):
    isComponent: bool
    subject: str
    interestedParty: str
    interests: list[Interest]
    componentRecords: NotRequired[list[str]]


RecordDetails = PersonDetails | EntityDetails | RelationshipDetails


class Source(TypedDict):
    type: list[str]
    description: str


class Publication(TypedDict):
    publicationDate: str
    bodsVersion: str
    publisher: dict[str, str]


class Record(TypedDict):
    recordId: str
    recordType: str  # person, entity or relationship
    recordDetails: RecordDetails


class BODSStatement(Record):
    """One BODS 0.4 statement: the record with its id, subject, date, status, source and publication."""

    statementId: str
    declarationSubject: str
    statementDate: str
    recordStatus: str
    source: Source
    publicationDetails: Publication


def _first(props: dict[str, list[str]], name: str) -> str | None:
    values = props.get(name) or []
    return values[0] if values else None


def _statement_id(record: Record) -> str:
    """A stable id (BODS asks for 32-64 characters) from the record's content."""
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()


def _share(text: str) -> dict[str, float] | None:
    from redthread.analyze.ownership import percentage_bounds

    bounds = percentage_bounds(text)
    if bounds is None:
        return None
    low, high = bounds
    return {"exact": low} if low == high else {"minimum": low, "maximum": high}


def _interest_type(role: str | None, fallback: str) -> tuple[str, str]:
    """(BODS interest type, direct/indirect/unknown) from a stored role such as ``shareholding (direct)``."""
    if not role:
        return fallback, "unknown"
    word, _, rest = role.partition(" (")
    # The role may carry more than the level: ``shareholding (direct) (joint)`` (a joint holder).
    marks = {m.strip("() ") for m in rest.split("(")}
    level = next((m for m in ("direct", "indirect") if m in marks), "unknown")
    return (word if word in INTEREST_TYPES else fallback), level


def _alpha3(props: dict[str, list[str]]) -> str:
    """The one nationality (or country) of a person as ISO alpha-3, else ``XXX`` (unspecified)."""
    codes = set(props.get("nationality") or props.get("country") or [])
    territory = get_territory(codes.pop()) if len(codes) == 1 else None
    alpha3 = territory.alpha3 if territory is not None else None
    return alpha3.upper() if alpha3 else "XXX"


def _unspecified(props: dict[str, list[str]]) -> tuple[str, dict[str, str]] | None:
    """(BODS type, unspecified details) of a party the source could not name, else None."""
    for note in props.get("notes", []):
        found = read_unspecified_note(note)
        if found is not None:
            kind, reason, description = found
            details = {"reason": reason}
            if description:
                details["description"] = description
            return kind, details
    return None


def _party_details(entity: EntityJSON) -> tuple[str, PersonDetails | EntityDetails]:
    """A party's BODS kind (``person`` or ``entity``) and record details: names, dates, identifiers, addresses."""
    props = entity["properties"]
    person = entity["schema"] == "Person"
    ids: list[dict[str, str]] = [{"id": v, "scheme": "XI-LEI"} for v in props.get("leiCode", [])]
    if person:
        country = _alpha3(props)
        ids += [{"id": v, "scheme": f"{country}-{kind}", "schemeName": p}
                for p, kind in PERSON_ID_SCHEMES.items() for v in props.get(p, [])]
    else:
        ids += [{"id": v, "schemeName": p} for p in ("registrationNumber", "idNumber", "taxNumber")
                for v in props.get(p, [])]
    addresses = [{"type": "registered" if not person else "residence", "address": a}
                 for a in props.get("address", [])]
    details: PersonDetails | EntityDetails = (
        _person_details(props, _unspecified(props)) if person else _entity_details(entity, _unspecified(props)))
    if ids:
        details["identifiers"] = ids
    if addresses:
        details["addresses"] = addresses
    return ("person" if person else "entity"), details


def _person_details(props: dict[str, list[str]], unspecified: tuple[str, dict[str, str]] | None) -> PersonDetails:
    """A person statement's details: names, the PEP status, birth and death, nationalities."""
    names = [{"type": "legal", "fullName": n} for n in props.get("name", [])]
    names += [{"type": "alternative", "fullName": n} for n in props.get("alias", [])]
    details: PersonDetails = {"isComponent": False, "personType": "knownPerson", "names": names}
    if unspecified is not None and unspecified[0].endswith("Person"):
        details["personType"], details["unspecifiedPersonDetails"] = unspecified
    if birth := _first(props, "birthDate"):
        details["birthDate"] = birth
    if death := _first(props, "deathDate"):
        details["deathDate"] = death
    if nats := props.get("nationality"):
        details["nationalities"] = [{"name": registry.country.caption(c) or c.upper(), "code": c.upper()}
                                    for c in nats]
    if "role.pep" in props.get("topics", []):
        details["politicalExposure"] = {"status": "isPep", "details": [
            {"reason": r} for r in props.get("position", [])] or [{"reason": "politically exposed person"}]}
    return details


def _entity_details(entity: EntityJSON, unspecified: tuple[str, dict[str, str]] | None) -> EntityDetails:
    """An entity statement's details: its type (an arrangement for a joint holding), names, jurisdiction, dates."""
    props = entity["properties"]
    form = (_first(props, "legalForm") or "").lower()
    etype: dict[str, str] = {"type": ENTITY_TYPE.get(entity["schema"], "legalEntity")}
    if form in ARRANGEMENT_FORMS:
        # "arrangement" is the type itself (a joint holding), not one of its subtypes.
        etype = {"type": "arrangement", **({"subtype": form} if form != "arrangement" else {})}
    details: EntityDetails = {"isComponent": False, "entityType": etype, "name": entity["caption"]}
    if unspecified is not None and unspecified[0].endswith("Entity"):
        details["entityType"], details["unspecifiedEntityDetails"] = {"type": unspecified[0]}, unspecified[1]
    elif _first(props, "legalForm") in UNSPECIFIED_TYPES:
        details["entityType"] = {"type": str(_first(props, "legalForm"))}  # one of UNSPECIFIED_TYPES
    if alt := [n for n in props.get("name", []) + props.get("alias", []) if n != entity["caption"]]:
        details["alternateNames"] = alt
    jurisdiction = _first(props, "jurisdiction") or _first(props, "country")
    if jurisdiction:
        details["jurisdiction"] = {"code": jurisdiction.upper(),
                                   "name": registry.country.caption(jurisdiction) or jurisdiction.upper()}
    if founded := _first(props, "incorporationDate"):
        details["foundingDate"] = founded
    if dissolved := _first(props, "dissolutionDate"):
        details["dissolutionDate"] = dissolved
    return details


def _interests(link: EntityJSON) -> tuple[str, str, list[Interest]] | None:
    """(subject, interested party, interests) of a link, or None when it has no BODS meaning."""
    props = link["properties"]
    schema = link["schema"]
    if schema == "Ownership":
        subject, party = _first(props, "asset"), _first(props, "owner")
        itype, level = _interest_type(_first(props, "role"), "shareholding")
        if _first(props, "ownershipType") in INTEREST_TYPES:
            itype = str(_first(props, "ownershipType"))
        if itype not in ("shareholding", "votingRights"):
            itype = "shareholding"
    elif schema == "Directorship":
        subject, party = _first(props, "organization"), _first(props, "director")
        itype, level = _interest_type(_first(props, "role"), "boardMember")
    elif schema == "UnknownLink":
        subject, party = _first(props, "object"), _first(props, "subject")
        itype, level = _interest_type(_first(props, "role"), "")
        if not itype:
            return None
    else:
        return None
    if not subject or not party:
        return None
    interest: Interest = {"type": itype, "directOrIndirect": level,
                          "beneficialOwnershipOrControl": "beneficial ownership or control" in props.get("summary", [])}
    if schema == "Ownership" and (pct := _first(props, "percentage")) and (share := _share(pct)):
        interest["share"] = share
    if start := _first(props, "startDate"):
        interest["startDate"] = start
    if end := _first(props, "endDate"):
        interest["endDate"] = end
    return subject, party, [interest]


def export_bods(store: Store, out: TextIO, dataset: str | None = None) -> int:
    """Write BODS 0.4 statements (a JSON array); returns how many."""
    today = datetime.now(UTC).date().isoformat()
    publication: Publication = {"publicationDate": today, "bodsVersion": BODS_VERSION,
                   "publisher": {"name": f"redthread {__version__}"}}
    parties: dict[str, tuple[str, PersonDetails | EntityDetails, EntityJSON]] = {}
    links: list[EntityJSON] = []
    for entity in store.entities(dataset=dataset):
        if entity["schema"] in PARTY_SCHEMATA:
            kind, details = _party_details(entity)
            parties[entity["id"]] = (kind, details, entity)
        else:
            links.append(entity)
    # The relationships that have a BODS meaning and both parties exported.
    relationships: dict[str, tuple[EntityJSON, str, str, list[Interest]]] = {}
    for link in links:
        found = _interests(link)
        if found is not None and found[0] in parties and found[1] in parties:
            relationships[link["id"]] = (link, *found)
    # The records of an indirect relationship's chain: the loader kept them as FtM ids of
    # parties, and of relationship records, whose links carry the record id in ``recordId``.
    by_record: dict[str, list[str]] = {}
    for lid, (link, *_) in relationships.items():
        by_record.setdefault(lid, []).append(lid)
        for rid in link["properties"].get("recordId", []):
            by_record.setdefault(rid if rid.startswith("bods-") else f"bods-{rid}", []).append(lid)
    chains: dict[str, list[str]] = {}
    for lid, (link, *_) in relationships.items():
        members = [m for c in chain_of(link["properties"].get("description", []))
                   for m in ([c] if c in parties else by_record.get(c, []))]
        if members:
            chains[lid] = list(dict.fromkeys(members))
    components = {m for members in chains.values() for m in members}
    statements: list[BODSStatement] = []

    def statement(record_id: str, kind: str, details: RecordDetails, subject: str, seen: str | None) -> None:
        record: Record = {"recordId": record_id, "recordType": kind, "recordDetails": details}
        statements.append({
            "statementId": _statement_id(record), "declarationSubject": subject,
            "statementDate": (seen or today)[:10], "recordStatus": "new",
            "source": {"type": ["thirdParty"], "description": "redthread store"},
            "publicationDetails": publication, **record,
        })

    for eid, (kind, details, record_entity) in parties.items():
        details["isComponent"] = eid in components
        statement(eid, kind, details, eid, record_entity.get("first_seen"))
    for lid, (link, subject, party, interests) in relationships.items():
        relation: RelationshipDetails = {"isComponent": lid in components, "subject": subject,
                                         "interestedParty": party, "interests": interests}
        if lid in chains:
            relation["componentRecords"] = chains[lid]
        statement(lid, "relationship", relation, subject, link.get("first_seen"))
    out.write(json.dumps(statements, indent=1, ensure_ascii=False))
    out.write("\n")
    return len(statements)
