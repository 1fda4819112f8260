"""UK OFSI consolidated list, CSV ("sanctionsconlist.csv").

A "Last Updated" line, a header, then one row per *name*: rows of one
designation share a ``Group ID`` and repeat its details. Each group becomes a
Person, Organization or Vessel (``ofsi-<group id>``) with a Sanction
(authority OFSI, the regime as programme, listed-on and last-updated dates,
the UN reference when Other Information gives one). The "Prime Alias" row's
name is the name; the rest are aliases. Dates keep the precision the list
has (``00/00/1980`` is ``1980``). Every value's location is ``file:line``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import ListBuilder, slug
from redthread.ingest.base import IngestContext, register
from redthread.model import now_iso
from redthread.store import LoadBatch

AUTHORITY = "Office of Financial Sanctions Implementation"
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
_NUMBERED = re.compile(r"\s*\(?\d+\)\s*")
_UN_REF = re.compile(r"UN\s*Ref(?:erence)?\.?\s*:?\s*([A-Z]{2,3}[a-z]?\.[A-Z0-9.]+?)(?=[.,;\s]*(?:\s|$))", re.I)


def _split_numbered(value: str) -> list[str]:
    """``1) Saudi Arabia 2) Qatar`` → the two values; a plain value stays one."""
    parts = [p.strip(" ,;") for p in _NUMBERED.split(value) if p.strip(" ,;")]
    return parts or [value]


class OFSILoader:
    name = "uk-ofsi"
    description = "UK OFSI consolidated list (CSV, one row per name, grouped by Group ID)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and b"Group ID" in head and b"Name 6" in head and b"Alias Type" in head

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        reader = csv.reader(io.StringIO(text, newline=""))
        header: list[str] | None = None
        source = ctx.source or "uk-ofsi-conlist"
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.ofsi/{__version__}", now_iso())
        primary: set[str] = set()
        lineno = 0
        for row in reader:
            lineno = reader.line_num
            if header is None:
                if "Group ID" in row:
                    header = [h.strip() for h in row]
                continue
            if not any(c.strip() for c in row):
                continue
            rec = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            group = rec.get("Group ID", "")
            if not group:
                ctx.fail(InputError("row has no Group ID", path=str(path), line=lineno, field="Group ID"))
                continue
            try:
                self._row(builder, rec, group, f"{path.name}:{lineno}", primary)
            except (TypeError, ValueError) as exc:  # pragma: no cover - defensive: cells are text
                ctx.fail(InputError(f"malformed row ({exc})", path=str(path), line=lineno))
        if header is None:
            raise InputError("no header with 'Group ID' found (not an OFSI consolidated list CSV)", path=str(path))
        if not builder.fragments and not ctx.errors:
            raise InputError("no entries found in this list", path=str(path))
        yield LoadBatch(dataset=ctx.dataset, source=source, statements=builder.statements(),
                        replace_dataset=ctx.replace_dataset)

    @staticmethod
    def _row(builder: ListBuilder, rec: dict[str, str], group: str, loc: str, primary: set[str]) -> None:
        schema = SCHEMA.get(rec.get("Group Type", "").lower(), "LegalEntity")
        eid = f"ofsi-{group}"
        frag = builder.fragment(eid, schema, loc)
        name = " ".join(rec.get(f"Name {i}", "") for i in (1, 2, 3, 4, 5, 6) if rec.get(f"Name {i}"))
        is_prime = rec.get("Alias Type", "").lower().startswith("prime")
        frag.add("name" if is_prime and eid not in primary else "alias", name)
        if is_prime:
            primary.add(eid)
        frag.add("topics", "sanction")
        if schema == "Person":
            frag.add("title", rec.get("Title"))
            frag.add("birthDate", rec.get("DOB"))
            frag.add("birthPlace", ", ".join(p for p in (rec.get("Town of Birth"), rec.get("Country of Birth")) if p))
            frag.add("birthCountry", rec.get("Country of Birth"))
            for nat in _split_numbered(rec.get("Nationality", "")) if rec.get("Nationality") else []:
                frag.add("nationality", nat)
            frag.add("position", rec.get("Position"))
            frag.add("idNumber", rec.get("NI Number"))
            frag.add("notes", f"Passport details: {rec['Passport Details']}" if rec.get("Passport Details") else None)
        lines = [rec.get(f"Address {i}", "") for i in range(1, 7)]
        postcode, country = rec.get("Post/Zip Code", ""), rec.get("Country", "")
        full = ", ".join(p for p in [*lines, postcode, country] if p)
        if full:
            addr = builder.fragment(f"ofsi-addr-{slug(eid + full)}", "Address", loc)
            addr.add("full", full)
            addr.add("postalCode", postcode)
            addr.add("country", country)
            frag.add("addressEntity", addr.id)
            frag.add("address", full)
        other = rec.get("Other Information", "")
        frag.add("notes", other)
        sanction = builder.fragment(f"{eid}-sanction", "Sanction", loc)
        sanction.add("entity", eid)
        sanction.add("authority", AUTHORITY)
        sanction.add("country", "gb")
        sanction.add("authorityId", group)
        sanction.add("program", rec.get("Regime"))
        sanction.add("listingDate", rec.get("Listed On"))
        sanction.add("startDate", rec.get("Listed On"))
        sanction.add("modifiedAt", rec.get("Last Updated"))
        if m := _UN_REF.search(other):
            sanction.add("unscId", m.group(1).rstrip("."))


register(OFSILoader())
