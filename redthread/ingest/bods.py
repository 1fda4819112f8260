"""Beneficial Ownership Data Standard (BODS) 0.2, 0.3 and 0.4: persons, entities, relationships.

Open Ownership's standard for who owns and controls companies. A file is a
JSON array of statements (or JSON lines). 0.2/0.3 statements carry a
``statementType`` and point at each other by ``statementID``; 0.4 statements
describe *records* (``recordId``, ``recordType``, ``recordDetails``) that
later statements update or close. The latest statement of each record
(by ``statementDate``, then file order) is its state; a closed relationship
ends at its closing statement's date.

- person → Person (names, birth/death date, nationalities, addresses, identifiers, PEP status);
- entity → Company (registered), Organization (legal entity), PublicBody (state, state body) or
  LegalEntity (arrangements such as trusts, anonymous or unknown entities; the subtype as legal form);
- relationship → one link per interest: shareholding and voting rights become Ownership with the
  share as ``percentage`` (exact, or ``min-max`` when the standard gives a range), board and
  management roles become Directorship, anything else UnknownLink; the interest type, direct or
  indirect, start and end dates are kept on the link.

An indirect interest is not a direct stake: it loads with its level in the role
(``shareholding (indirect)``), and graph analytics keep it apart from direct
ownership (the 50 % rule never adds it to the direct stakes of the chain that
makes it up). A 0.4 indirect relationship lists the records of that chain in
``componentRecords``; those component records (``isComponent``) are the real
intermediaries and the direct stakes between them, so they load as parties and
links, each marked as a component of the relationship it explains, and the
relationship keeps the chain in order (``through component records: <ids>``)
so that the path stays visible and ``export --format bods`` writes it back.

Persons and entities the source cannot name (``unknownPerson``, ``anonymousEntity``
...) keep the BODS unspecified reason as a note ``<type>: <reason>: <description>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import orjson
import yaml

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import Fragment, ListBuilder, country_code, slug
from redthread.ingest.base import IngestContext, register, source_name
from redthread.model import now_iso
from redthread.model.jsondata import JSONObject, items, obj, objects, opt_text
from redthread.store import LoadBatch

#: Interest types that are stakes (the 50 % rule reads their share).
OWNERSHIP = {"shareholding", "votingRights"}
#: Interest types that are seats on, or management of, the subject.
DIRECTORSHIP = {"boardMember", "boardChair", "seniorManagingOfficial", "appointmentOfBoard"}
ENTITY_SCHEMA = {"registeredEntity": "Company", "legalEntity": "Organization", "state": "PublicBody",
                 "stateBody": "PublicBody"}
IDENTIFIER_PROPS = {"GB-COH": "registrationNumber", "XI-LEI": "leiCode", "US-EIN": "taxNumber"}
#: BODS 0.4 person identifier schemes are ``<ISO 3166-1 alpha-3>-<PASSPORT|TAXID|IDCARD>``.
PERSON_ID_PROPS = {"PASSPORT": "passportNumber", "TAXID": "taxNumber", "IDCARD": "idNumber"}
#: Identifier properties our export names in ``schemeName`` (read back as the same property).
OWN_ID_PROPS = {"registrationNumber", "idNumber", "taxNumber", "passportNumber", "leiCode"}
#: Person and entity types that stand for a party the source cannot or will not name.
#: Entity subtypes of an ``arrangement`` that are not a joint holding (a trust or a nomination has
#: roles of its own: settlor, trustee, nominee...).
NOT_JOINT_SUBTYPES = {"trust", "nomination"}
#: The role mark of a joint holder's interest (read by the graph, see ``analyze.graph.JOINT_MARK``).
JOINT_MARK = "(joint)"
UNSPECIFIED_TYPES = {"unknownPerson", "anonymousPerson", "unknownEntity", "anonymousEntity"}
#: The role of the link between two co-holders of one joint holding (both ways: an UnknownLink).
CO_HOLDER_ROLE = "joint holder with"
#: Joint holdings larger than this get no pairwise co-holder links (each still links to the holding).
MAX_CO_HOLDERS = 25
#: How an indirect relationship records the component records of its chain (FtM ids, in order).
CHAIN_PREFIX = "through component records: "
#: How a component record (party or link) records the indirect relationship it belongs to.
COMPONENT_PREFIX = "component of indirect relationship "


#: BODS 0.4 codelist unspecifiedReason (0.2/0.3 spelled them in kebab case).
UNSPECIFIED_REASONS = {"noBeneficialOwners", "subjectUnableToConfirmOrIdentifyBeneficialOwner",
                       "interestedPartyHasNotProvidedInformation", "subjectExemptFromDisclosure",
                       "interestedPartyExemptFromDisclosure", "unknown", "informationUnknownToPublisher"}


def _reason(code: Any) -> str:
    """A BODS unspecified reason as its 0.4 code (``interested-party-exempt-...`` → camel case)."""
    words = str(code or "").strip().split("-")
    camel = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
    return camel if camel in UNSPECIFIED_REASONS else "unknown"


def unspecified_note(kind: str, reason: str | None, description: str | None) -> str:
    """The note that keeps why a party is not named: ``unknownEntity: <reason>: <description>``."""
    return ": ".join(p for p in (kind, _reason(reason), description) if p)


def read_unspecified_note(note: str) -> tuple[str, str, str | None] | None:
    """(type, reason, description) of a note written by :func:`unspecified_note`, else None."""
    kind, _, rest = note.partition(": ")
    if kind not in UNSPECIFIED_TYPES or not rest:
        return None
    reason, _, description = rest.partition(": ")
    if reason not in UNSPECIFIED_REASONS:  # not ours: the whole text is the description
        return kind, "unknown", rest
    return kind, reason, description or None


def chain_of(descriptions: list[str]) -> list[str]:
    """The component ids an indirect link recorded with :data:`CHAIN_PREFIX`, in order."""
    for text in descriptions:
        if text.startswith(CHAIN_PREFIX):
            return [c.strip() for c in text[len(CHAIN_PREFIX):].split(",") if c.strip()]
    return []


class Record:
    """One BODS record's latest state, whatever the version."""

    def __init__(self, kind: str, rid: str, date: str, status: str, details: JSONObject, where: str) -> None:
        self.kind, self.id, self.date, self.status, self.details, self.where = kind, rid, date, status, details, where
        #: The indirect relationships (record ids) this record is a component of.
        self.component_of: list[str] = []

    @property
    def components(self) -> list[str]:
        """The record ids of this (indirect) relationship's chain, as the statement lists them."""
        found = self.details.get("componentRecords")
        return [str(c) for c in found if isinstance(c, str)] if isinstance(found, list) else []


@cache
def _joint_words() -> re.Pattern[str]:
    """Words of ``data/bods.yaml`` that say an interest is held jointly, as one pattern."""
    words = yaml.safe_load((Path(__file__).parent / "data" / "bods.yaml").read_text(encoding="utf-8"))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words["joint_words"]) + ")", re.I)


def says_joint(details: Any) -> bool:
    """True when an interest's free-text ``details`` say the stake is held jointly."""
    return isinstance(details, str) and bool(_joint_words().search(details))


def _party_name(rec: Record | None) -> str:
    """A person's or entity's name as the record gives it (for naming a joint holding)."""
    if rec is None:
        return ""
    names = rec.details.get("names")
    if isinstance(names, list):
        for n in names:
            if isinstance(n, dict) and n.get("fullName"):
                return str(n["fullName"])
    return str(rec.details.get("name") or "")


def _is_joint_arrangement(details: JSONObject) -> bool:
    """An ``arrangement`` entity that is not a trust or nomination: the vehicle of a joint holding."""
    etype = details.get("entityType")
    kind, subtype = (etype.get("type"), etype.get("subtype")) if isinstance(etype, dict) else (etype, None)
    return kind == "arrangement" and subtype not in NOT_JOINT_SUBTYPES


def _eid(record_id: str) -> str:
    """The FtM id of a BODS record (records written by our own export already carry it)."""
    return record_id if record_id.startswith("bods-") else f"bods-{record_id}"


def _party(ref: Any) -> str | None:
    """A 0.2/0.3 ``{"describedBy...Statement": id}`` or a 0.4 record id."""
    if isinstance(ref, str):
        return ref
    if isinstance(ref, dict):
        for key in ("describedByPersonStatement", "describedByEntityStatement"):
            if isinstance(ref.get(key), str):
                return str(ref[key])
    return None


def read_records(statements: list[Any], fname: str, ctx: IngestContext, path: Path) -> list[Record]:
    """Normalise statements of any version to records, the latest state of each."""
    latest: dict[str, tuple[tuple[str, int], Record]] = {}
    for n, st in enumerate(statements, start=1):
        where = f"{fname}#statement[{n}]"
        if not isinstance(st, dict):
            ctx.fail(InputError("a BODS statement must be a JSON object", path=str(path), line=n))
            continue
        date = str(st.get("statementDate") or "")
        if "recordDetails" in st:  # 0.4
            kind, rid = str(st.get("recordType") or ""), st.get("recordId") or st.get("statementId")
            details = st.get("recordDetails") or {}
            status = str(st.get("recordStatus") or "new")
        else:  # 0.2 / 0.3
            kind = {"personStatement": "person", "entityStatement": "entity",
                    "ownershipOrControlStatement": "relationship"}.get(str(st.get("statementType")), "")
            rid, details, status = st.get("statementID"), st, "new"
            if st.get("replacesStatements"):
                for old in st["replacesStatements"]:
                    latest.pop(str(old), None)
        if kind not in ("person", "entity", "relationship") or not isinstance(rid, str) or not isinstance(details, dict):
            ctx.fail(InputError("not a BODS person, entity or relationship statement (no type or id)",
                                path=str(path), line=n, field="recordType"))
            continue
        key = (date, n)
        if rid not in latest or latest[rid][0] <= key:
            latest[rid] = (key, Record(kind, rid, date, status, details, where))
    return [rec for _, rec in latest.values()]


def _identifier_prop(ident: JSONObject) -> str:
    """The FtM property of a BODS identifier: by its scheme (``GB-COH``, ``XI-LEI``, a person's
    ``IRL-PASSPORT``), else by a ``schemeName`` that is an FtM identifier property (our export
    writes those), else ``idNumber``."""
    scheme = str(ident.get("scheme") or "")
    if scheme in IDENTIFIER_PROPS:
        return IDENTIFIER_PROPS[scheme]
    kind = scheme.rpartition("-")[2]
    if scheme.count("-") == 1 and kind in PERSON_ID_PROPS:
        return PERSON_ID_PROPS[kind]
    name = str(ident.get("schemeName") or "")
    return name if name in OWN_ID_PROPS else "idNumber"


def _share(share: Any) -> str | None:
    """A BODS share as an FtM percentage text: ``50``, or ``25-50`` for a range."""
    if not isinstance(share, dict):
        return None
    if share.get("exact") is not None:
        return f"{share['exact']:g}" if isinstance(share["exact"], (int, float)) else str(share["exact"])
    low = share.get("minimum", share.get("exclusiveMinimum"))
    high = share.get("maximum", share.get("exclusiveMaximum"))
    if low is None and high is None:
        return None
    low_s = f"{low:g}" if isinstance(low, (int, float)) else "0"
    high_s = f"{high:g}" if isinstance(high, (int, float)) else "100"
    return low_s if low_s == high_s else f"{low_s}-{high_s}"


@contextmanager
def _record(ctx: IngestContext, path: Path, rec: Record, builder: ListBuilder) -> Iterator[None]:
    """A field of the wrong shape (a number where a list belongs) makes this record bad, not the loader:
    it is reported and skipped whole, none of its fragments kept (:meth:`ListBuilder.record`)."""
    try:
        with builder.record():
            yield
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        ctx.fail(InputError(f"malformed BODS {rec.kind} {rec.id!r} at {rec.where} ({type(exc).__name__}: {exc})",
                            path=str(path)))


def _mark_component(frag: Fragment, rec: Record) -> None:
    """Keep which indirect relationship(s) a component record explains."""
    for primary in rec.component_of:
        frag.add("description", COMPONENT_PREFIX + _eid(primary))


def _json_statements(path: Path, ctx: IngestContext) -> Any:
    """The file's statements: one JSON array (or object), else JSON lines, a bad line reported by number."""
    raw = path.read_bytes()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = []
        for lineno, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                try:
                    data.append(orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    ctx.fail(InputError(f"not valid JSON ({exc})", path=str(path), line=lineno))
    return [data] if isinstance(data, dict) else data


def _link_components(records: list[Record], path: Path, ctx: IngestContext) -> dict[str, Record]:
    """Records by id, each component record told which record(s) it makes up; a component
    missing from the file is a warning (it may have been published in an earlier file)."""
    by_id = {rec.id: rec for rec in records}
    for rec in records:
        for component in rec.components:
            if component in by_id:
                by_id[component].component_of.append(rec.id)
            else:
                # It may have been published in an earlier file: the chain keeps its id.
                ctx.warnings.append(InputError(f"component record {component!r} of {rec.id!r} is not in "
                                               "this file", path=str(path), field="componentRecords"))
    return by_id


class BODSLoader:
    name = "bods"
    description = "Beneficial Ownership Data Standard 0.2 / 0.3 / 0.4 (JSON array or lines)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir() or head.lstrip()[:1] not in (b"[", b"{"):
            return False
        return (b'"statementType"' in head and b'"statementID"' in head) or (
            b'"recordDetails"' in head or (b'"recordType"' in head and b'"recordId"' in head))

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        source = ctx.source or source_name(path)
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.bods/{__version__}", now_iso())
        records = read_records(_json_statements(path, ctx), path.name, ctx, path)
        by_id = _link_components(records, path, ctx)
        schemata: dict[str, str] = {}
        joint = {rec.id for rec in records if rec.kind == "entity" and _is_joint_arrangement(rec.details)}
        for rec in records:
            if rec.kind == "relationship":
                continue
            with _record(ctx, path, rec, builder):
                if rec.kind == "person":
                    self._person(builder, rec)
                    schema = "Person"
                else:
                    schema = self._entity(builder, rec)
                _mark_component(builder.fragment(_eid(rec.id), schema, rec.where), rec)
                # Known to relationships only once the whole record is read.
                schemata[rec.id] = schema
        stated_joint = _joint_groups(builder, records, schemata, joint, by_id)
        holders: dict[str, list[tuple[str, str]]] = {}
        for rec in records:
            if rec.kind == "relationship":
                mine: dict[str, list[tuple[str, str]]] = {}
                with _record(ctx, path, rec, builder):
                    self._relationship(builder, rec, schemata, joint, stated_joint, mine)
                    # The record's joint holders join the others only once the whole record is read.
                    for arrangement, held in mine.items():
                        holders.setdefault(arrangement, []).extend(held)
        _link_co_holders(builder, holders)
        if not builder.fragments:
            raise InputError("no BODS statements found", path=str(path))
        yield LoadBatch(dataset=ctx.dataset, source=source, statements=builder.statements(),
                        replace_dataset=ctx.replace_dataset)

    @staticmethod
    def _common(frag: Fragment, d: JSONObject, nationality_prop: str) -> None:
        for ident in objects(d.get("identifiers")):
            if ident.get("id"):
                frag.add(_identifier_prop(ident), ident["id"])
        for addr in objects(d.get("addresses")):
            if addr.get("address"):
                frag.add("address", ", ".join(str(p) for p in (addr.get("address"), addr.get("postCode"),
                                                               addr.get("country")) if p))
                frag.add("country", addr.get("country") if isinstance(addr.get("country"), str)
                         else obj(addr.get("country")).get("code"))
        for nat in objects(d.get("nationalities")):
            frag.add(nationality_prop, nat.get("code") or country_code(opt_text(nat.get("name"))))

    def _person(self, builder: ListBuilder, rec: Record) -> None:
        d = rec.details
        frag = builder.fragment(_eid(rec.id), "Person", rec.where)
        names = objects(d.get("names"))
        main = next((n for n in names if n.get("type") in ("legal", "individual")), names[0] if names else None)
        for n in names:
            frag.add("name" if n is main else "alias", n.get("fullName") or " ".join(
                str(n[k]) for k in ("givenName", "familyName") if n.get(k)))
            if n is main:
                frag.add("firstName", n.get("givenName"))
                frag.add("lastName", n.get("familyName"))
        frag.add("birthDate", d.get("birthDate"))
        frag.add("deathDate", d.get("deathDate"))
        self._common(frag, d, "nationality")
        for pep in items(obj(d.get("politicalExposure")).get("details")):
            frag.add("topics", "role.pep")
            if isinstance(pep, dict):
                frag.add("position", pep.get("reason"))
        unspecified = d.get("unspecifiedPersonDetails")
        if isinstance(unspecified, dict) or d.get("personType") in UNSPECIFIED_TYPES:
            unspecified = unspecified if isinstance(unspecified, dict) else {}
            frag.add("notes", unspecified_note(str(d.get("personType") or "unknownPerson"),
                                               opt_text(unspecified.get("reason")),
                                               opt_text(unspecified.get("description"))))
            if not names:
                frag.add("name", unspecified.get("description") or d.get("personType"))

    def _entity(self, builder: ListBuilder, rec: Record) -> str:
        d = rec.details
        etype = d.get("entityType")
        kind, subtype = (etype.get("type"), etype.get("subtype")) if isinstance(etype, dict) else (etype, None)
        schema = ENTITY_SCHEMA.get(str(kind), "LegalEntity")
        frag = builder.fragment(_eid(rec.id), schema, rec.where)
        frag.add("name", d.get("name"))
        for alt in items(d.get("alternateNames")):
            frag.add("alias", alt)
        frag.add("legalForm", subtype or (kind if schema == "LegalEntity" else None))
        if isinstance(etype, dict):
            frag.add("notes", etype.get("details"))
        jur = d.get("jurisdiction") or d.get("incorporatedInJurisdiction")
        if isinstance(jur, dict):
            code = str(jur.get("code") or "")
            frag.add("jurisdiction", code[:2] if code else country_code(opt_text(jur.get("name"))))
        frag.add("incorporationDate", d.get("foundingDate"))
        frag.add("dissolutionDate", d.get("dissolutionDate"))
        frag.add("website", d.get("uri"))
        unspecified = d.get("unspecifiedEntityDetails")
        if isinstance(unspecified, dict) or kind in UNSPECIFIED_TYPES:
            unspecified = unspecified if isinstance(unspecified, dict) else {}
            frag.add("notes", unspecified_note(str(kind if kind in UNSPECIFIED_TYPES else "unknownEntity"),
                                               opt_text(unspecified.get("reason")),
                                               opt_text(unspecified.get("description"))))
            if not d.get("name"):
                frag.add("name", unspecified.get("description") or kind)
        self._common(frag, d, "country")
        if rec.status == "closed":
            frag.add("status", "closed")
        return schema

    def _relationship(self, builder: ListBuilder, rec: Record, schemata: dict[str, str],
                      joint: set[str] | frozenset[str] = frozenset(),
                      stated_joint: dict[tuple[str, int], str] | None = None,
                      holders: dict[str, list[tuple[str, str]]] | None = None) -> None:
        d = rec.details
        subject, party = _party(d.get("subject")), _party(d.get("interestedParty"))
        if subject is None or subject not in schemata:
            return
        if party is None or party not in schemata:
            unspecified = d.get("interestedParty")
            note = unspecified.get("unspecified", unspecified) if isinstance(unspecified, dict) else unspecified
            builder.fragment(_eid(subject), schemata[subject], rec.where).add(
                "notes", f"interested party not identified: {note}")
            return
        for n, interest in enumerate(items(d.get("interests"))):
            if not isinstance(interest, dict):
                continue
            # A joint holding: the holder's interest is in the arrangement (as published, or made
            # for a holding stated jointly in the interests' details), which holds the stake.
            arrangement = (stated_joint or {}).get((rec.id, n)) or (_eid(subject) if subject in joint else None)
            itype = str(interest.get("type") or "unknownInterest")
            level = interest.get("directOrIndirect") or interest.get("interestLevel")
            suffix = f"-{itype}-{level or ''}-{interest.get('startDate') or ''}"
            # A record written by our export is already one link: its id ends with the suffix.
            key = _eid(rec.id) if _eid(rec.id).endswith(suffix) else _eid(rec.id) + suffix
            if itype in OWNERSHIP:
                link = builder.fragment(key, "Ownership", rec.where)
                link.add("owner", _eid(party))
                link.add("asset", arrangement or _eid(subject))
                if not (stated_joint or {}).get((rec.id, n)):  # else the share is the holding's
                    link.add("percentage", _share(interest.get("share")))
                link.add("ownershipType", itype)
            elif itype in DIRECTORSHIP:
                if schemata[subject] == "Person":
                    continue
                link = builder.fragment(key, "Directorship", rec.where)
                link.add("director", _eid(party))
                link.add("organization", _eid(subject))
            else:
                link = builder.fragment(key, "UnknownLink", rec.where)
                link.add("subject", _eid(party))
                link.add("object", _eid(subject))
            role = itype if not level else f"{itype} ({level})"
            if itype in OWNERSHIP and arrangement:
                # BODS models shares held jointly as an arrangement whose interested parties are the
                # joint holders: each holds an undivided interest in the arrangement's whole stake.
                role = f"{role} {JOINT_MARK}"
                link.add("description", f"joint holder of arrangement {arrangement}")
                if holders is not None:
                    holders.setdefault(arrangement, []).append((_eid(party), rec.where))
            link.add("role", role)
            link.add("startDate", interest.get("startDate"))
            end = interest.get("endDate") or (rec.date if rec.status == "closed" else None)
            link.add("endDate", end)
            link.add("recordId", rec.id)
            link.add("description", interest.get("details"))
            if rec.components:
                link.add("description", CHAIN_PREFIX + ", ".join(_eid(c) for c in rec.components))
            _mark_component(link, rec)
            if interest.get("beneficialOwnershipOrControl") is True:
                link.add("summary", "beneficial ownership or control")


def _joint_groups(builder: ListBuilder, records: list[Record], schemata: dict[str, str], joint: set[str],
                  by_id: dict[str, Record]) -> dict[tuple[str, int], str]:
    """Joint holdings stated only in the interests' free-text ``details``, as arrangements.

    BODS's own shape for shares held jointly is an ``arrangement`` entity; some publishers instead
    give each co-holder a relationship to the company with the same interest and say "held jointly"
    in ``details``. Two or more parties of one subject stating the same stake (type, level, share,
    start) that way are one holding: it becomes an arrangement (``legalForm: arrangement``) holding
    the stake, each co-holder's interest pointing at it, so the 50 % rule counts the stake once and
    reads it the same way whichever shape was published. One party alone stays as published.
    Returns (relationship record id, interest index) → the arrangement's FtM id.
    """
    groups: dict[tuple[str, str, str, str, str], list[tuple[Record, int, str]]] = {}
    for rec in records:
        if rec.kind != "relationship":
            continue
        subject, party = _party(rec.details.get("subject")), _party(rec.details.get("interestedParty"))
        if subject is None or party is None or subject in joint or subject not in schemata \
                or party not in schemata:
            continue
        interests = rec.details.get("interests")
        for n, interest in enumerate(interests if isinstance(interests, list) else []):
            if not isinstance(interest, dict) or str(interest.get("type")) not in OWNERSHIP \
                    or not says_joint(interest.get("details")):
                continue
            level = interest.get("directOrIndirect") or interest.get("interestLevel") or ""
            key = (subject, str(interest["type"]), str(level), _share(interest.get("share")) or "",
                   str(interest.get("startDate") or ""))
            groups.setdefault(key, []).append((rec, n, party))
    found: dict[tuple[str, int], str] = {}
    for (subject, itype, level, share, start), members in groups.items():
        parties = sorted({p for _, _, p in members})
        if len(parties) < 2:
            continue
        aid = f"{_eid(subject)}-joint-{slug('|'.join([*parties, itype, level, start]))}"
        first = members[0][0]
        arr = builder.fragment(aid, "LegalEntity", first.where)
        arr.add("name", "joint holding of " + " and ".join(_party_name(by_id.get(p)) or p for p in parties))
        arr.add("legalForm", "arrangement")
        arr.add("notes", "held jointly, as stated in the details of relationships "
                + ", ".join(sorted({r.id for r, _, _ in members})))
        stake = builder.fragment(f"{aid}-{itype}", "Ownership", first.where)
        stake.add("owner", aid)
        stake.add("asset", _eid(subject))
        stake.add("percentage", share or None)
        stake.add("ownershipType", itype)
        stake.add("role", f"{itype} ({level})" if level else itype)
        stake.add("startDate", start or None)
        for rec, n, _ in members:
            found[(rec.id, n)] = aid
    return found


def _link_co_holders(builder: ListBuilder, holders: dict[str, list[tuple[str, str]]]) -> None:
    """The co-holders of each joint holding linked to each other (``joint holder with``), so the
    graph shows who holds together without going through the holding."""
    for arrangement, members in holders.items():
        where = {h: w for h, w in members}
        people = sorted(where)
        if len(people) > MAX_CO_HOLDERS:
            continue
        for a, b in combinations(people, 2):
            link = builder.fragment(f"{a}-co-{b}-{slug(arrangement)}", "UnknownLink", where[a])
            link.add("subject", a)
            link.add("object", b)
            link.add("role", CO_HOLDER_ROLE)
            link.add("description", f"co-holders of arrangement {arrangement}")


register(BODSLoader())
