"""GLEIF golden copy: LEI-CDF (legal entities), RR-CDF (relationships) and reporting exceptions.

Mapped the way Open Ownership's GLEIF pipeline maps them to BODS (its output
for the records beside our samples is the reference the tests compare to):

- an LEI record → Company ``lei-<LEI>``: legal name (other and transliterated
  names as previous names or aliases), LEI, the registration authority's
  entity id, legal jurisdiction, legal and headquarters addresses, creation
  date, status, legal form, last update;
- a relationship record → a link from the parent (end node) to the child
  (start node) with Open Ownership's interest, "other influence or control",
  direct, or indirect for ultimate consolidation; the GLEIF relationship type,
  status and period dates are kept;
- a reporting exception → Open Ownership's unknown interested party: an unknown
  entity (NO_LEI, NON_CONSOLIDATING, NON_PUBLIC and the reasons it replaced) or
  unknown person (NATURAL_PERSONS) ``lei-repex-<LEI>-<direct|indirect>-<reason>`` with the
  BODS unspecified reason, linked to the entity by "other influence or control",
  direct for the direct parent, indirect for the ultimate parent. A reason that
  names no party (NO_KNOWN_PERSON), as in Open Ownership's pipeline, invents none:
  it stays a note on the entity. The vocabulary is ``data/gleif.yaml``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element

from typing_extensions import TypedDict

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import ListBuilder
from redthread.ingest.base import IngestContext, register
from redthread.ingest.bods import unspecified_note
from redthread.ingest.sanctions_xml import parse_xml, text
from redthread.model import now_iso
from redthread.model.jsondata import load_yaml
from redthread.store import LoadBatch

KINDS = {b"gleif.org/data/schema/leidata": "LEIData", b"gleif.org/data/schema/rr/": "RelationshipData",
         b"gleif.org/data/schema/repex": "ReportingExceptionData"}
#: GLEIF relationship type -> direct / indirect (Open Ownership's reading).
LEVEL = {"IS_ULTIMATELY_CONSOLIDATED_BY": "indirect"}


class UnknownParty(TypedDict):
    """The unknown interested party a reporting exception stands for."""

    party: Literal["person", "entity"]
    reason: str
    description: str


class GleifVocabulary(TypedDict):
    """``data/gleif.yaml``: exception reason -> unknown party; exception category -> direct / indirect."""

    unknown_parties: dict[str, UnknownParty]
    levels: dict[str, str]


@functools.cache
def _vocabulary() -> GleifVocabulary:
    """The reporting-exception vocabulary (data/gleif.yaml), checked on load."""
    return load_yaml(GleifVocabulary, Path(__file__).parent / "data" / "gleif.yaml")


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _address(el: Element | None) -> str | None:
    if el is None:
        return None
    lines = [text(el, t) for t in ("FirstAddressLine", "AdditionalAddressLine", "City")]
    return ", ".join(p for p in lines if p) or None


class GLEIFLoader:
    name = "gleif"
    description = "GLEIF LEI-CDF, relationship (RR-CDF) and reporting-exception XML"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and head.lstrip().startswith(b"<") and any(k in head for k in KINDS)

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        root = parse_xml(path)
        kind = root.tag
        if kind not in KINDS.values():
            raise InputError(f"expected a GLEIF LEIData, RelationshipData or ReportingExceptionData document, "
                             f"found <{kind}>", path=str(path))
        source = ctx.source or f"gleif-{kind}"
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.gleif/{__version__}", now_iso())
        if kind == "LEIData":
            for n, rec in enumerate(root.findall("LEIRecords/LEIRecord"), start=1):
                self._lei(builder, rec, f"{path.name}#LEIRecord[{n}]")
        elif kind == "RelationshipData":
            for n, rec in enumerate(root.findall("RelationshipRecords/RelationshipRecord"), start=1):
                self._relationship(builder, rec, f"{path.name}#RelationshipRecord[{n}]")
        else:
            for n, exc in enumerate(root.findall("ReportingExceptions/Exception"), start=1):
                self._exception(builder, exc, f"{path.name}#Exception[{n}]")
        if not builder.fragments:
            raise InputError("no GLEIF records found", path=str(path))
        yield LoadBatch(dataset=ctx.dataset, source=source, statements=builder.statements(),
                        replace_dataset=ctx.replace_dataset)

    @staticmethod
    def _lei(builder: ListBuilder, rec: Element, loc: str) -> None:
        lei = text(rec, "LEI")
        ent = rec.find("Entity")
        if not lei or ent is None:
            return
        frag = builder.fragment(f"lei-{lei}", "Company", loc)
        frag.add("name", text(ent, "LegalName"))
        frag.add("leiCode", lei)
        for other in list(ent.findall("OtherEntityNames/OtherEntityName")) + list(
                ent.findall("TransliteratedOtherEntityNames/TransliteratedOtherEntityName")):
            frag.add("previousName" if "PREVIOUS" in (other.get("type") or "") else "alias", text(other))
        frag.add("registrationNumber", text(ent, "RegistrationAuthority/RegistrationAuthorityEntityID"))
        jurisdiction = text(ent, "LegalJurisdiction")
        frag.add("jurisdiction", jurisdiction[:2] if jurisdiction else None)
        legal, hq = ent.find("LegalAddress"), ent.find("HeadquartersAddress")
        frag.add("address", _address(legal))
        frag.add("address", _address(hq))
        frag.add("country", text(legal, "Country") if legal is not None else None)
        frag.add("incorporationDate", _date(text(ent, "EntityCreationDate")))
        frag.add("status", text(ent, "EntityStatus"))
        frag.add("legalForm", text(ent, "LegalForm/OtherLegalForm") or text(ent, "LegalForm/EntityLegalFormCode"))
        frag.add("sector", text(ent, "EntityCategory"))
        frag.add("modifiedAt", _date(text(rec, "Registration/LastUpdateDate")))

    @staticmethod
    def _exception(builder: ListBuilder, exc: Element, loc: str) -> None:
        """A reporting exception: the unknown parent it stands for, or a note when it stands for none."""
        lei = text(exc, "LEI")
        if not lei:
            return
        category, reason = text(exc, "ExceptionCategory") or "", text(exc, "ExceptionReason") or ""
        subject = builder.fragment(f"lei-{lei}", "Company", loc)
        subject.add("leiCode", lei)
        vocab = _vocabulary()
        party = vocab["unknown_parties"].get(reason)
        if party is None:
            subject.add("notes", f"GLEIF reporting exception: {category}: {reason}")
            return
        level = vocab["levels"].get(category, "unknown")
        pid = f"lei-repex-{lei}-{level}-{reason}".lower().replace("_", "-")  # FtM ids: no "_"
        person = party["party"] == "person"
        kind = "unknownPerson" if person else "unknownEntity"
        unknown = builder.fragment(pid, "Person" if person else "LegalEntity", loc)
        unknown.add("name", f"unknown {'person(s)' if person else 'entity'} controlling LEI {lei} ({reason})")
        if not person:
            unknown.add("legalForm", kind)
        unknown.add("notes", unspecified_note(kind, party["reason"], party["description"]))
        link = builder.fragment(f"{pid}-link", "UnknownLink", loc)
        link.add("subject", pid)
        link.add("object", f"lei-{lei}")
        link.add("role", f"otherInfluenceOrControl ({level})")
        link.add("description", f"{category}: {reason}")

    @staticmethod
    def _relationship(builder: ListBuilder, rec: Element, loc: str) -> None:
        rel = rec.find("Relationship")
        if rel is None:
            return
        child, parent = text(rel, "StartNode/NodeID"), text(rel, "EndNode/NodeID")
        rtype = text(rel, "RelationshipType") or ""
        if not child or not parent:
            return
        link = builder.fragment(f"lei-rel-{child}-{rtype.lower()}-{parent}", "UnknownLink", loc)
        link.add("subject", f"lei-{parent}")
        link.add("object", f"lei-{child}")
        link.add("role", f"otherInfluenceOrControl ({LEVEL.get(rtype, 'direct')})")
        link.add("description", rtype)
        link.add("status", text(rel, "RelationshipStatus"))
        for period in rel.findall("RelationshipPeriods/RelationshipPeriod"):
            if text(period, "PeriodType") == "RELATIONSHIP_PERIOD":
                link.add("startDate", _date(text(period, "StartDate")))
                link.add("endDate", _date(text(period, "EndDate")))
        for lei in (child, parent):
            builder.fragment(f"lei-{lei}", "Company", loc).add("leiCode", lei)


register(GLEIFLoader())
