"""OFAC SDN list, legacy CSV format (sdn.csv, alt.csv, add.csv).

A folder holding ``sdn.csv`` (and usually ``alt.csv`` and ``add.csv``) is
one load. Files are latin-1, without a header, and write ``-0-`` for empty.

- ``sdn.csv``: ent_num, name, type (individual/vessel/aircraft/-0-), program,
  title, call sign, vessel type, tonnage, GRT, flag, vessel owner, remarks.
- ``alt.csv``: ent_num, alt_num, alt_type (aka/fka/nka), alt_name, remarks.
- ``add.csv``: ent_num, add_num, address, city/state/postal code, country,
  remarks.

Each entry becomes a Person, Company, Organization, Vessel or Airplane
(``ofac-<ent_num>``) with a Sanction (authority OFAC, one program per value)
and an Identification holding the ent_num. The free-text remarks are parsed
into properties (DOB, POB, nationality, citizenship, gender, passports, tax
and registration numbers, IMO, a.k.a./f.k.a. names, e-mail, website);
``Linked To: NAME`` becomes an Associate (person to person) or an
UnknownLink to the named entry. What is not understood is kept in ``notes``.
Every value's location is ``file:line``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from followthemoney import model
from followthemoney.types import registry

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest._listbuilder import Fragment, ListBuilder, country_code, parse_date, parse_dates, slug
from redthread.ingest.base import IngestContext, register
from redthread.ingest.sanctions_xml import _vocabulary, vessel_owner
from redthread.model import now_iso
from redthread.store import LoadBatch

EMPTY = "-0-"
AUTHORITY = "Office of Foreign Assets Control"

#: sdn.csv type column -> FtM schema (entities without a type are decided by name).
TYPE_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
#: Legal-form words that make an untyped entry a Company rather than an Organization.
_COMPANY_WORDS = re.compile(
    r"\b(LTD|LIMITED|LLC|L\.L\.C|INC|CORP|CORPORATION|CO\.|COMPANY|S\.A|S\.A\.S|GMBH|AG|"
    r"OOO|OAO|ZAO|PAO|JSC|PJSC|FZE|FZCO|LLP|PLC|B\.V|SDN BHD|PTE|SRL|S\.R\.L|SPA|LTDA|"
    r"TRADING|INDUSTRIES|ENTERPRISES?|HOLDINGS?)\b",
    re.I,
)
#: alt.csv alt_type -> property.
ALT_PROPS = {"aka": "alias", "fka": "previousName", "nka": "alias"}


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if not value or value == EMPTY else value


RemarkHandler = Callable[[Fragment, "re.Match[str]"], None]


@dataclass(frozen=True)
class RemarkRule:
    """One remark pattern and what it sets."""

    pattern: re.Pattern[str]
    handle: RemarkHandler


def _setter(prop: str, group: int = 1, transform: Callable[[str], str | None] | None = None) -> RemarkHandler:
    def handle(frag: Fragment, match: re.Match[str]) -> None:
        value = match.group(group).strip().rstrip(".")
        frag.add(prop, transform(value) if transform else value)

    return handle


def _date(value: str) -> str | None:
    return parse_date(value) or value


def _dates(prop: str) -> RemarkHandler:
    """A date remark that may be a range (``DOB 1929 to 1930``): both ends are kept."""

    def handle(frag: Fragment, match: re.Match[str]) -> None:
        value = match.group(1).strip().rstrip(".")
        for iso in parse_dates(value) or [value]:
            frag.add(prop, iso)

    return handle


def _gender(value: str) -> str:
    return value.strip().lower()


def _rule(pattern: str, handle: RemarkHandler) -> RemarkRule:
    return RemarkRule(re.compile(r"^(?:alt\.\s+)?" + pattern + r"$", re.I), handle)


#: Remark patterns, tried in order; the first that matches a remark wins.
REMARK_RULES: list[RemarkRule] = [
    _rule(r"a\.k\.a\.,?\s+'(.+)'", _setter("alias")),
    _rule(r"n\.k\.a\.,?\s+'(.+)'", _setter("alias")),
    _rule(r"f\.k\.a\.,?\s+'(.+)'", _setter("previousName")),
    _rule(r"DOB\s+(.+)", _dates("birthDate")),
    _rule(r"POB\s+(.+)", _setter("birthPlace")),
    _rule(r"nationality\s+(.+)", _setter("nationality")),
    _rule(r"citizen\s+(.+)", _setter("citizenship")),
    _rule(r"Gender\s+(.+)", _setter("gender", transform=_gender)),
    _rule(r"Passport\s+([^\s(]+).*", _setter("passportNumber")),
    _rule(r"(?:Vessel Registration Identification\s+)?IMO\s+(\d{7}).*", _setter("imoNumber")),
    _rule(r"(?:Identification Number|Company Number)\s+IMO\s+(\d{7}).*", _setter("imoNumber")),
    _rule(r"MMSI\s+(\d+).*", _setter("mmsi")),
    _rule(r"Vessel Registration Identification\s+([^\s(]+).*", _setter("registrationNumber")),
    _rule(r"Other Vessel Call Sign\s+(\S+)", _setter("callSign")),
    # OFAC's construction number (line / serial / fuselage number) is the airframe's serial, as the MSN.
    _rule(r"Aircraft Construction Number(?:\s*\([^)]*\))?\s+(\S+)", _setter("serialNumber")),
    _rule(r"Aircraft Tail Number\s+(\S+)", _setter("registrationNumber")),
    _rule(r"(?:Tax ID No\.|NIT #|RUC #|RFC|R\.F\.C\.|V\.A\.T\. Number)\s+([^\s(]+).*", _setter("taxNumber")),
    _rule(
        r"(?:Registration ID|Registration Number|Business Registration Number|Business Registration Document #|"
        r"Company Number|Commercial Registry Number|Folio Mercantil No\.|Matricula Mercantil No|C\.R\. No\.|"
        r"Trade License No\.|Government Gazette Number|Unified Social Credit Code \(USCC\))\s+([^\s(]+).*",
        _setter("registrationNumber"),
    ),
    _rule(
        r"(?:National ID No\.|Cedula No\.|Identification Number|D\.N\.I\.|C\.U\.R\.P\.|Driver's License No\.|"
        r"Personal ID Card|National Foreign ID Number)\s+([^\s(]+).*",
        _setter("idNumber"),
    ),
    # Identifier types OFAC qualifies with a country ("UK Company Number", "US FEIN", "SSN").
    _rule(r"[A-Z][A-Za-z.]*\s+Company Number\s+([^\s(]+).*", _setter("registrationNumber")),
    _rule(r"(?:US FEIN|RIF\s*#?)\s*([^\s(]+).*", _setter("taxNumber")),
    _rule(r"D-U-N-S Number\s+([^\s(]+).*", _setter("dunsCode")),
    _rule(r"SSN\s+([^\s(]+).*", _setter("socialSecurityNumber")),
    _rule(r"Birth Certificate Number\s+([^\s(]+).*", _setter("idNumber")),
    _rule(r"BIK \(RU\)\s+(\S+)", _setter("bikCode")),
    _rule(r"(?:Telephone|Phone Number|Fax)(?:\s+(?:No\.|Number))?\s*:?\s*(.+)", _setter("phone")),
    _rule(r"SWIFT/BIC\s+(\S+)", _setter("swiftBic")),
    _rule(r"Email Address\s+(\S+)", _setter("email")),
    _rule(r"Website\s+(\S+)", _setter("website")),
    _rule(r"Organization Established Date\s+(.+)", _setter("incorporationDate", transform=_date)),
    _rule(r"Vessel Year of Build\s+(\d{4})", _setter("buildDate")),
    _rule(r"Aircraft Manufacture Date\s+(.+)", _setter("buildDate", transform=_date)),
    _rule(r"Aircraft Model\s+(.+)", _setter("model")),
    _rule(r"Aircraft Manufacturer's Serial Number \(MSN\)\s+(\S+)", _setter("serialNumber")),
    _rule(r"Former Vessel Flag\s+(.+)", _setter("pastFlags")),
    _rule(r"Vessel Flag\s+(.+)", _setter("flag")),
]
_LINKED = re.compile(r"^Linked To:\s*(.+?)\.?$", re.I)


def split_remarks(remarks: str) -> list[str]:
    """Split a remarks cell into items (OFAC separates them with ';')."""
    items = (i.strip().rstrip(".").strip() for i in remarks.split(";"))
    return [i for i in items if i]


def sanction_determination(item: str) -> str | None:
    """A remark that is a determination about the sanction (``Additional Sanctions Information -
    Subject to Secondary Sanctions``, ``Executive Order 13662 Directive Determination - Subject to
    Directive 1``), as the advanced XML's feature reads: ``<type>: <detail>``; else None.

    The types are the OFAC vocabulary's ``sanction_features`` (data/ofac.yaml), shared with the
    advanced XML loader, so both formats put them on the Sanction as provisions.
    """
    for ftype in _vocabulary()["sanction_features"]:
        head = ftype.rstrip(" -:")
        if item.lower().startswith(head.lower()):
            detail = item[len(head):].strip(" -:")
            return f"{head}: {detail}" if detail else head
    return None


def apply_remark(frag: Fragment, item: str) -> bool:
    """Set the properties one remark item says; False if no rule knew it."""
    for rule in REMARK_RULES:
        match = rule.pattern.match(item)
        if match:
            rule.handle(frag, match)
            return True
    return False


@dataclass(frozen=True)
class CSVList:
    """One OFAC legacy-CSV list: its file names and the source id it loads as.

    The consolidated (non-SDN) list is the SDN CSV layout under other names.
    """

    main: str
    alt: str
    add: str
    comments: str
    source: str


CSV_LISTS = (
    CSVList("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "ofac-sdn-csv"),
    CSVList("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv", "ofac-cons-csv"),
)


def _which(path: Path) -> tuple[Path, CSVList] | None:
    """The folder and list a path is (a folder holding a main file, or the main file itself)."""
    folder = path if path.is_dir() else path.parent
    for kind in CSV_LISTS:
        if (path.is_dir() and (path / kind.main).is_file()) or (path.is_file() and path.name.lower() == kind.main):
            return folder, kind
    return None


class OFACCSVLoader:
    name = "ofac-csv"
    description = ("OFAC legacy CSV: SDN (sdn.csv, alt.csv, add.csv, sdn_comments.csv) or consolidated "
                   "non-SDN (cons_prim.csv, cons_alt.csv, ...): a folder, or its main file")

    def sniff(self, path: Path, head: bytes) -> bool:
        return _which(path) is not None

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        found = _which(path)
        if found is None:
            raise InputError("an OFAC CSV folder needs sdn.csv or cons_prim.csv (with alt, add and comments files "
                             "beside it)", path=str(path))
        folder, kind = found
        sdn = folder / kind.main
        # The list is what OFAC publishes (sdn.csv), never the folder it was
        # saved in (often a date): the next day's list is the same source.
        source = ctx.source or kind.source
        builder = ListBuilder(ctx.dataset, source, f"redthread.ingest.ofac_csv/{__version__}", now_iso())
        schemata: dict[str, str] = {}
        by_name: dict[str, str] = {}
        links: list[tuple[str, str, str]] = []
        operators: list[tuple[str, str, str]] = []  # (ent_num, operator name, location)
        comments = _comments(folder / kind.comments, ctx)
        for lineno, row in _rows(sdn, 12, ctx):
            ent_num, name = _clean(row[0]), _clean(row[1])
            if ent_num is None or name is None:
                ctx.fail(InputError("missing ent_num or name", path=str(sdn), line=lineno))
                continue
            if ent_num in comments:
                # sdn.csv cuts remarks at 1,000 characters; the comments file holds the rest.
                row[11] = (row[11] if _clean(row[11]) else "") + comments[ent_num]
            links.extend(self._entry(builder, row, lineno, schemata, by_name, kind.main, operators))
            ctx.tick(kind.main, lineno)
        alt = folder / kind.alt
        if alt.is_file():
            for lineno, row in _rows(alt, 5, ctx):
                ent_num, alt_type, alt_name = _clean(row[0]), (_clean(row[2]) or "aka"), _clean(row[3])
                if ent_num is None or alt_name is None or ent_num not in schemata:
                    continue
                frag = builder.fragment(f"ofac-{ent_num}", schemata[ent_num], f"{kind.alt}:{lineno}")
                frag.add(ALT_PROPS.get(alt_type.lower().replace(".", ""), "alias"), alt_name)
        add = folder / kind.add
        if add.is_file():
            for lineno, row in _rows(add, 6, ctx):
                self._address(builder, row, lineno, schemata, kind.add)
        for ent_num, target_name, location in links:
            link_entry(builder, ent_num, target_name, location, schemata, by_name)
        for ent_num, target_name, location in operators:
            operator_entry(builder, ent_num, target_name, location, schemata, by_name)
        hint_phones(builder, ctx, folder)
        yield LoadBatch(
            dataset=ctx.dataset, source=source, statements=builder.statements(),
            replace_dataset=ctx.replace_dataset,
        )

    def _entry(
        self, builder: ListBuilder, row: list[str], lineno: int,
        schemata: dict[str, str], by_name: dict[str, str], fname: str = "sdn.csv",
        operators: list[tuple[str, str, str]] | None = None,
    ) -> list[tuple[str, str, str]]:
        ent_num, name = str(_clean(row[0])), str(_clean(row[1]))
        kind = (_clean(row[2]) or "").lower()
        schema = TYPE_SCHEMA.get(kind) or ("Company" if _COMPANY_WORDS.search(name) else "Organization")
        schemata[ent_num] = schema
        by_name.setdefault(_name_key(name), ent_num)
        by_name.setdefault(_name_key(name.split(",")[0]), ent_num)
        location = f"{fname}:{lineno}"
        eid = f"ofac-{ent_num}"
        frag = builder.fragment(eid, schema, location)
        frag.add("name", name)
        if schema == "Person" and "," in name:
            last, first = name.split(",", 1)
            frag.add("lastName", last)
            frag.add("firstName", first)
        frag.add("position", _clean(row[4]))
        frag.add("topics", "sanction")
        if schema == "Vessel":
            frag.add("callSign", _clean(row[5]))
            frag.add("type", _clean(row[6]))
            frag.add("tonnage", _clean(row[7]))
            frag.add("grossRegisteredTonnage", _clean(row[8]))
            frag.add("flag", _clean(row[9]))
            owner = _clean(row[10])
            if owner:
                self._owner(builder, eid, owner, location)
        links: list[tuple[str, str, str]] = []
        remarks = _clean(row[11])
        provisions: list[str] = []
        for item in split_remarks(remarks or ""):
            linked = linked_to(item)
            determination = sanction_determination(item)
            operator = aircraft_operator(item)
            if operator and operators is not None:
                operators.append((ent_num, operator, location))
            elif linked:
                links.append((ent_num, linked, location))
            elif determination is not None:
                provisions.append(determination)
            elif not apply_remark(frag, item):
                frag.add("notes", item)
        sanction = builder.fragment(f"{eid}-sanction", "Sanction", location)
        sanction.add("entity", eid)
        sanction.add("authority", AUTHORITY)
        sanction.add("country", "us")
        sanction.add("authorityId", ent_num)
        for provision in provisions:
            sanction.add("provisions", provision)
        for program in re.split(r"\]\s*\[", _clean(row[3]) or ""):
            sanction.add("program", program.strip("[] "))
        ident = builder.fragment(f"{eid}-entnum", "Identification", location)
        ident.add("holder", eid)
        ident.add("number", ent_num)
        ident.add("type", "OFAC SDN entry number")
        ident.add("authority", AUTHORITY)
        ident.add("country", "us")
        return links

    def _owner(self, builder: ListBuilder, vessel_id: str, owner: str, location: str) -> None:
        vessel_owner(builder, vessel_id, owner, location)

    def _address(self, builder: ListBuilder, row: list[str], lineno: int, schemata: dict[str, str],
                 fname: str = "add.csv") -> None:
        ent_num, add_num = _clean(row[0]), _clean(row[1])
        if ent_num is None or add_num is None or ent_num not in schemata:
            return
        street, city, country, remark = _clean(row[2]), _clean(row[3]), _clean(row[4]), _clean(row[5])
        full = ", ".join(p for p in (street, city, country) if p)
        if not full:
            return
        location = f"{fname}:{lineno}"
        addr_id = f"ofac-addr-{add_num}"
        addr = builder.fragment(addr_id, "Address", location)
        addr.add("full", full)
        addr.add("street", street)
        addr.add("city", city)
        addr.add("country", country)
        addr.add("remarks", remark)
        owner = builder.fragment(f"ofac-{ent_num}", schemata[ent_num], location)
        owner.add("addressEntity", addr_id)
        owner.add("address", full)
        owner.add("country", country_code(country))


PHONE_NOTE = "phone: "


def hint_phones(builder: ListBuilder, ctx: IngestContext, folder: Path | None = None) -> None:
    """Phone remarks written without a country code, read with the entity's country as the hint.

    FtM's phone type keeps only numbers it can dial; OFAC often writes them the national way
    (``03889402``) or with the code in brackets (``(357)(22660766)``), so they were kept as
    ``phone: …`` notes. The entity's country (from its addresses, known only once add.csv is read)
    is the region they are dialled in: a number that parses the same way for every such country
    becomes the ``phone``; otherwise the note stays and a warning names the value.
    """
    countries: dict[str, set[str]] = {}
    for frag in builder.fragments:
        countries.setdefault(frag.id, set()).update(frag.properties.get("country", []))
    for frag in builder.fragments:
        notes = frag.properties.get("notes")
        schema = model.get(frag.schema)
        if not notes or schema is None or schema.get("phone") is None:
            continue
        for note in [n for n in notes if n.startswith(PHONE_NOTE)]:
            value = note[len(PHONE_NOTE):]
            found = {registry.phone.clean(value, format=c) for c in sorted(countries.get(frag.id, ()))}
            found.discard(None)
            if len(found) == 1:
                notes.remove(note)
                frag.add("phone", found.pop())
                continue
            # A CSV fragment is at ``file:line``, an XML one at ``file#entry[n]``.
            fname, _, line = frag.location.partition(":")
            fname, _, record = fname.partition("#")
            why = "several countries read it differently" if found else "no country of the entity reads it"
            ctx.warnings.append(InputError(
                f"record {frag.id!r}{f' ({record})' if record else ''}: phone {value!r} has no country code "
                f"and {why}; kept as a note",
                path=str(folder / fname if folder else fname), line=int(line) if line.isdigit() else None,
                field="remarks"))
        if not notes:
            del frag.properties["notes"]


_OPERATOR = re.compile(r"^(?:alt\.\s+)?Aircraft Operator\s+(.+?)\.?$", re.I)


def aircraft_operator(item: str) -> str | None:
    """The operator's name of an ``Aircraft Operator <name>`` remark, else None."""
    found = _OPERATOR.match(item.strip())
    return found.group(1).strip() if found else None


def operator_entry(
    builder: ListBuilder, ent_num: str, name: str, location: str,
    schemata: dict[str, str], by_name: dict[str, str],
) -> None:
    """An ``Aircraft Operator <name>`` remark: FtM's ``operator`` of the aircraft, an entity.

    OFAC lists many of the airlines it names as operators, so the entry of that name in the same
    list is the operator (looked up as Linked To names are); otherwise an Organization of that name
    stands for it (one per name).
    """
    eid = f"ofac-{ent_num}"
    frag = builder.fragment(eid, schemata[ent_num], location)
    if model.get(schemata[ent_num]).get("operator") is None:  # type: ignore[union-attr]
        frag.add("notes", f"Aircraft Operator {name}")
        return
    target = by_name.get(_name_key(name))
    if target is not None and target != ent_num and schemata[target] not in ("Vessel", "Airplane"):
        frag.add("operator", f"ofac-{target}")
        return
    oid = f"ofac-operator-{slug(name)}"
    builder.fragment(oid, "Organization", location).add("name", name)
    frag.add("operator", oid)


def link_entry(
    builder: ListBuilder, ent_num: str, target_name: str, location: str,
    schemata: dict[str, str], by_name: dict[str, str],
) -> None:
    """A ``Linked To: <name>`` remark: a link to the entry of that name in the same list (Associate
    between two people, else UnknownLink), or a note when the list has no such entry."""
    target = by_name.get(_name_key(target_name))
    eid = f"ofac-{ent_num}"
    if target is None or target == ent_num:
        builder.fragment(eid, schemata[ent_num], location).add("notes", f"Linked To: {target_name}")
        return
    tid = f"ofac-{target}"
    if schemata[ent_num] == "Person" and schemata[target] == "Person":
        link = builder.fragment(f"{eid}-assoc-{target}", "Associate", location)
        link.add("person", eid)
        link.add("associate", tid)
    else:
        link = builder.fragment(f"{eid}-link-{target}", "UnknownLink", location)
        link.add("subject", eid)
        link.add("object", tid)
    link.add("role", "Linked To")
    # The name as the list writes it: when OFAC renames the target, the
    # entry that points at it has changed too, though the link has not.
    link.add("description", f"Linked To: {target_name}")


def linked_to(item: str) -> str | None:
    """The entry name of a ``Linked To:`` remark (``(Linked To: X)`` in the legacy XML), else None."""
    found = _LINKED.match(item.strip().strip("()").strip())
    return found.group(1).strip() if found else None


def _name_key(name: str) -> str:
    """How Linked To names are looked up: case, spaces and punctuation ignored."""
    return re.sub(r"[^0-9A-Z]", "", name.upper())


def _comments(path: Path, ctx: IngestContext) -> dict[str, str]:
    """ent_num -> the rest of its remarks (sdn_comments.csv: ent_num, remarks continued)."""
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for _lineno, row in _rows(path, 2, ctx):
        ent_num = _clean(row[0])
        if ent_num is not None and row[1] and row[1].strip() != EMPTY:
            out[ent_num] = out.get(ent_num, "") + row[1]
    return out


def _rows(path: Path, width: int, ctx: IngestContext) -> Iterator[tuple[int, list[str]]]:
    """Rows of a latin-1 OFAC CSV file with their line numbers (short rows padded)."""
    with path.open("r", encoding="latin-1", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        for row in reader:
            lineno = start
            start = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].strip() == "\x1a":
                continue
            if len(row) < width:
                if len(row) < 2:
                    ctx.fail(InputError(f"expected {width} columns, found {len(row)}", path=str(path), line=lineno))
                    continue
                row = row + [EMPTY] * (width - len(row))
            yield lineno, row


register(OFACCSVLoader())
