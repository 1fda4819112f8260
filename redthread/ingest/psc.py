"""UK Companies House "persons with significant control" snapshot lines.

Each line is ``{"company_number", "data"}`` as in the PSC bulk snapshot (the
totals line is skipped). Mapped the way Open Ownership's UK PSC pipeline
reads it: the company (registration number, GB), the person or corporate
entity with control (an individual's name parts, month and year of birth,
nationality, residence, address; a corporate's register and number), and one
link per nature of control. Shares and voting rights become Ownership with
the band as published (``ownership-of-shares-25-to-50-percent`` → percentage
``25-50``, which the 50 % rule reads as bounds); other natures (appointing
directors, significant influence) become UnknownLink with the nature as
role. ``notified_on`` and ``ceased_on`` date the links; a PSC statement
("no individual with significant control") is kept as a note on the company.

Each link's role is the nature with its level, as BODS's ``directOrIndirect``
(``ownership-of-shares-25-to-50-percent-as-trust (indirect)``), read from the
nature and the kind of PSC (:func:`nature_level`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import Fragment, ListBuilder, slug
from redthread.ingest.base import IngestContext, register, source_name
from redthread.model import now_iso
from redthread.model.jsondata import JSON, JSONObject, as_list, as_object
from redthread.store import LoadBatch

_BAND = re.compile(r"(\d+)-to-(\d+)-percent")
_MORE = re.compile(r"more-than-(\d+)-percent")


def nature_share(nature: str) -> str | None:
    """The published band of a share or voting nature as ``25-50`` (``more-than-25`` → ``25-100``)."""
    if m := _BAND.search(nature):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _MORE.search(nature):
        return f"{m.group(1)}-100"
    return None


#: Natures held through a trust or a firm (the trustees or the firm hold the shares; the PSC controls them).
_THROUGH = re.compile(r"-as-(?:control-over-)?(?:trust|firm)(?:-|$)")
#: PSC kinds that are legal entities: a relevant legal entity is the registered holder at the top of its
#: own register's chain (the people behind it are on that entity's register, not this one).
_ENTITY_KINDS = ("corporate-entity-", "legal-person-")


def nature_level(kind: str, nature: str) -> str:
    """``direct``, ``indirect`` or ``unknown``: how the PSC holds the interest, as far as the register says.

    - ``…-as-trust`` / ``…-as-firm`` (and the overseas-entity ``as-control-over-trust/firm``): the shares or
      rights are held by the trustees or the firm and the PSC controls them → ``indirect``;
    - a relevant legal entity (corporate or legal-person PSC) is registered because it holds the interest
      itself; whoever is above it is on its own register, so the chain goes on through it → ``direct``;
    - an individual's plain nature does not say: UK rules register an individual who holds directly or
      through entities that are not registrable themselves → ``unknown`` (as Open Ownership's pipelines
      write every PSC interest). The 50 % rule reads ``unknown`` as a direct stake, as before.
    """
    if _THROUGH.search(nature):
        return "indirect"
    if kind.startswith(_ENTITY_KINDS):
        return "direct"
    return "unknown"


def _month(value: JSON) -> int:
    """A birth month as given (a number, or digits in text); ``TypeError`` makes the record bad."""
    if isinstance(value, (int, float, str)):
        return int(value)
    raise TypeError(f"a month is a number, not {type(value).__name__}")


def _address(addr: JSON) -> str | None:
    if not isinstance(addr, dict):
        return None
    keys = ("care_of", "po_box", "premises", "address_line_1", "address_line_2", "locality", "region",
            "postal_code", "country")
    return ", ".join(str(addr[k]) for k in keys if addr.get(k)) or None


class PSCLoader:
    name = "uk-psc"
    description = "UK Companies House persons with significant control (snapshot JSON lines)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir() or not head.lstrip().startswith(b"{"):
            return False
        return b'"data"' in head and (b"significant-control" in head or b"persons-of-significant-control" in head)

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        source = ctx.source or source_name(path)
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.psc/{__version__}", now_iso())
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    row = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    ctx.fail(InputError(f"not valid JSON ({exc})", path=str(path), line=lineno))
                    continue
                data = row.get("data") if isinstance(row, dict) else None
                if not isinstance(data, dict):
                    ctx.fail(InputError("expected {\"company_number\", \"data\"}", path=str(path), line=lineno))
                    continue
                kind = str(data.get("kind") or "")
                if kind.startswith("totals#"):
                    continue
                number = row.get("company_number")
                if not isinstance(number, str) or not number:
                    ctx.fail(InputError("no company_number", path=str(path), line=lineno, field="company_number"))
                    continue
                try:
                    with builder.record():
                        self._line(builder, number, data, kind, f"{path.name}:{lineno}")
                except (TypeError, ValueError, AttributeError, KeyError) as exc:
                    # A field of the wrong shape (a list where an object belongs): this record is bad.
                    ctx.fail(InputError(f"malformed PSC record ({type(exc).__name__}: {exc})",
                                        path=str(path), line=lineno))
        if not builder.fragments and not ctx.errors:
            raise InputError("no PSC records found", path=str(path))
        yield LoadBatch(dataset=ctx.dataset, source=source, statements=builder.statements(),
                        replace_dataset=ctx.replace_dataset)

    def _line(self, builder: ListBuilder, number: str, data: JSONObject, kind: str, loc: str) -> None:
        company = builder.fragment(f"gb-coh-{number}", "Company", loc)
        company.add("registrationNumber", number)
        company.add("jurisdiction", "gb")
        if kind == "persons-with-significant-control-statement":
            company.add("notes", f"PSC statement: {data.get('statement')}"
                                 + (f" (ceased {data['ceased_on']})" if data.get("ceased_on") else ""))
            return
        link = str(as_object(data.get("links")).get("self") or "")
        # Companies House PSC ids use "_" and may start with "-", which FtM ids may not: hash the self link.
        pid = f"gb-psc-{slug(link or str(data.get('etag')))}"
        party = self._party(builder, pid, data, kind, loc)
        for nature in as_list(data.get("natures_of_control")):
            if not isinstance(nature, str):
                raise TypeError(f"a nature of control is text, not {type(nature).__name__}")
            share = nature_share(str(nature))
            is_stake = nature.startswith(("ownership-of-shares", "voting-rights")) and share is not None
            rel = builder.fragment(f"{pid}-{nature}", "Ownership" if is_stake else "UnknownLink", loc)
            rel.add("owner" if is_stake else "subject", party.id)
            rel.add("asset" if is_stake else "object", company.id)
            if is_stake:
                rel.add("percentage", share)
                rel.add("ownershipType", "shares" if nature.startswith("ownership") else "voting rights")
            rel.add("role", f"{nature} ({nature_level(kind, str(nature))})")
            rel.add("startDate", data.get("notified_on"))
            rel.add("endDate", data.get("ceased_on"))

    @staticmethod
    def _party(builder: ListBuilder, pid: str, data: JSONObject, kind: str, loc: str) -> Fragment:
        individual = kind.startswith(("individual", "super-secure"))
        schema = "Person" if individual else ("Company" if kind.startswith("corporate") else "LegalEntity")
        party = builder.fragment(pid, schema, loc)
        party.add("name", data.get("name") or (data.get("description") if individual else None))
        if individual:
            names = as_object(data.get("name_elements"))
            party.add("firstName", names.get("forename"))
            party.add("middleName", names.get("middle_name"))
            party.add("lastName", names.get("surname"))
            party.add("title", names.get("title"))
            dob = as_object(data.get("date_of_birth"))
            if dob.get("year"):
                party.add("birthDate", f"{dob['year']}-{_month(dob['month']):02d}" if dob.get("month") else dob["year"])
            party.add("nationality", data.get("nationality"))
            party.add("country", data.get("country_of_residence"))
        ident = as_object(data.get("identification"))
        party.add("registrationNumber", ident.get("registration_number"))
        party.add("legalForm", ident.get("legal_form"))
        party.add("jurisdiction", ident.get("country_registered") or ident.get("place_registered"))
        party.add("notes", f"legal authority: {ident['legal_authority']}" if ident.get("legal_authority") else None)
        party.add("address", _address(data.get("address") or data.get("principal_office_address")))
        if data.get("is_sanctioned") is True:
            party.add("topics", "sanction")
        return party


register(PSCLoader())
