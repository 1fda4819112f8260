"""Red flags of diversion and sanctions evasion: a registry of rules.

Each rule has an id, a title, why it matters (as published by export-control
and financial-crime authorities), and a check that yields flags, each with
the evidence that fired it (statements with their provenance). Rules
register themselves with :func:`rule`; vocabularies and thresholds live in
``analyze/data/redflags.yaml`` and the CHPL list in ``analyze/data/chpl_hs6.csv``
(``REDTHREAD_CHPL`` points at another copy), both read at run time.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

import numpy as np
import yaml

from redthread import settings
from redthread.analyze.graph import KIND, Graph, load_graph
from redthread.analyze.ownership import blocked_mask
from redthread.errors import InputError
from redthread.model import Statement
from redthread.model.analysis import EntityJSON
from redthread.model.evidence import Evidence
from redthread.model.records import EvidenceDict, Flag, Link, Party
from redthread.model.statement import BASE
from redthread.store import Store

DATA = Path(__file__).parent / "data"
Check = Callable[["Case"], Iterator[Flag]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    why: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, why: str) -> Callable[[Check], Check]:
    """Register a check function as a red-flag rule."""

    def wrap(fn: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, title, why, fn)
        return fn

    return wrap


class Vocabulary(TypedDict):
    """The rules' word lists (``data/redflags.yaml``): lines of business, goods, free zones, countries."""

    unrelated_business: list[str]
    sensitive_goods: list[str]
    free_zones: list[str]
    high_risk_destinations: list[str]
    diversion_hubs: list[str]
    new_company_days: NotRequired[int]  # a company this young at its first trade is new (default 365)


WORD_LISTS = ("unrelated_business", "sensitive_goods", "free_zones", "high_risk_destinations", "diversion_hubs")


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The rules' word lists (``data/redflags.yaml``, or ``path``); a missing or malformed list names the file and key."""
    path = path or DATA / "redflags.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise InputError("the red-flag vocabulary must be a mapping of word lists", path=str(path))
    for key in WORD_LISTS:
        words = data.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise InputError(f"{key!r} must be a list of words", path=str(path), field=key)
    return cast(Vocabulary, data)


def chpl_path() -> Path:
    """The CHPL HS-6 list: ``REDTHREAD_CHPL`` or the packaged copy."""
    return settings.chpl_override() or DATA / "chpl_hs6.csv"


@cache
def _chpl(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["hs6"].strip(): row["tier"].strip() for row in csv.DictReader(fh) if row.get("hs6")}


def chpl() -> dict[str, str]:
    """HS-6 code -> CHPL tier."""
    return _chpl(str(chpl_path()))


def chpl_tier(code: str) -> str | None:
    """The CHPL tier of an HS code (6+ digits: its HS-6; 4 digits: any HS-6 under it)."""
    digits = re.sub(r"\D", "", code)
    table = chpl()
    if len(digits) >= 6:
        return table.get(digits[:6])
    if len(digits) == 4:
        tiers = sorted(t for hs6, t in table.items() if hs6.startswith(digits))
        return tiers[0] if tiers else None
    return None


def _terms_regex(terms: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(t.lower()) for t in terms), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(alts) + r")", re.IGNORECASE)


def parse_date(value: str | None) -> date | None:
    """An ISO date, possibly partial ("2023", "2023-07"), as its first day."""
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


_BUSINESS_PROPS = ("sector", "notes", "description", "classification", "summary", "keywords")
_GOODS_PROPS = ("goodsDescription", "description", "vedCodeDescription")
_PEOPLE_LINKS = ("Ownership", "Control", "Directorship")
#: Kinds of prose events that move goods (see redthread.extract.facts).
_GOODS_EVENTS = ("order", "delivery")


class Case:
    """Everything the rules look at: entities, graph, statements (lazily)."""

    def __init__(self, store: Store, graph: Graph | None = None) -> None:
        self.store = store
        self.cmap = store.canonical_map()
        self.entities: dict[str, EntityJSON] = {e["id"]: e for e in store.entities()}
        self.graph = graph or load_graph(store)
        self.vocab = vocabulary()
        self._stmts: dict[str, list[Statement]] = {}
        self.documents = {d.id for d in store.documents()}
        self._listed: dict[str, set[str]] | None = None

    def cid(self, raw: str) -> str:
        return self.cmap.get(raw, raw)

    def props(self, eid: str, prop: str) -> list[str]:
        ent = self.entities.get(eid)
        return list(ent["properties"].get(prop, [])) if ent else []

    def refs(self, eid: str, prop: str) -> list[str]:
        return [self.cid(v) for v in self.props(eid, prop)]

    def of_schema(self, *names: str) -> list[EntityJSON]:
        return [e for e in self.entities.values() if e["schema"] in names]

    def party(self, eid: str) -> Party:
        ent = self.entities.get(eid)
        return {"id": eid, "name": ent["caption"] if ent else eid, "schema": ent["schema"] if ent else None}

    def statements(self, eid: str) -> list[Statement]:
        if eid not in self._stmts:
            self._stmts[eid] = self.store.entity_statements(eid, include_removed=True)
        return self._stmts[eid]

    def evidence(self, eid: str, prop: str, values: Iterable[str] | None = None,
                 removed: bool = False) -> list[EvidenceDict]:
        """Provenance of ``eid``'s ``prop`` statements (optionally only some values)."""
        wanted = set(values) if values is not None else None
        out = []
        for s in self.statements(eid):
            if s.prop != prop or (wanted is not None and s.value not in wanted):
                continue
            if (s.removed_at is not None) != removed:
                continue
            out.append(statement_evidence(s))
        return out

    def trades(self) -> list[EntityJSON]:
        return self.of_schema("EconomicActivity")

    def events(self, *kinds: str) -> list[EntityJSON]:
        """Events read from prose (:mod:`redthread.extract.facts`), of the given kinds."""
        return [e for e in self.of_schema("Event")
                if not kinds or set(e["properties"].get("keywords", [])) & set(kinds)]

    def listed_by(self, eid: str) -> set[str]:
        """Datasets holding a sanction on ``eid``: the lists that name it."""
        if self._listed is None:
            listed: dict[str, set[str]] = defaultdict(set)
            for sanc in self.of_schema("Sanction"):
                lists = {s.dataset for s in self.statements(sanc["id"]) if s.source not in self.documents}
                for target in self.refs(sanc["id"], "entity"):
                    listed[target].update(lists)
            self._listed = listed
        return self._listed.get(eid, set())

    def list_says(self, parties: Iterable[str], evidence: Iterable[EvidenceDict]) -> bool:
        """Whether every piece of evidence comes from a sanctions list naming all ``parties``.

        What a list says about the parties it lists (that they share an
        address, that one acts for another) is why they are listed, not a
        sign of evasion found beyond the list.
        """
        evidence = list(evidence)
        datasets = {e.get("dataset") for e in evidence}
        if not datasets or None in datasets or any(e.get("source") in self.documents for e in evidence):
            return False  # a report or a registry saying so is a finding
        common: set[str] | None = None
        for p in parties:
            common = self.listed_by(p) if common is None else common & self.listed_by(p)
        return bool(common) and datasets <= (common or set())

    def country(self, eid: str) -> list[str]:
        out: list[str] = []
        for prop in ("country", "jurisdiction", "mainCountry"):
            out += self.props(eid, prop)
        return out


def statement_evidence(s: Statement) -> EvidenceDict:
    """The provenance of ``s`` with the fact it states (a flag's reader sees which value it rests on)."""
    return Evidence.of(s, with_fact=True).to_dict()


def _flag(case: Case, rule_id: str, eid: str, detail: str, evidence: list[EvidenceDict],
          parties: Iterable[str] = (), severity: str = "medium") -> Flag:
    r = RULES[rule_id]
    ids = [eid, *[p for p in parties if p != eid]]
    return {
        "rule": r.id, "title": r.title, "why": r.why, "severity": severity,
        "entity": case.party(eid), "parties": [case.party(p) for p in dict.fromkeys(ids)],
        "detail": detail, "evidence": evidence,
    }


def _trade_date(case: Case, trade: EntityJSON) -> tuple[date | None, str | None, str | None]:
    best: tuple[date | None, str | None, str | None] = (None, None, None)
    for prop in ("date", "startDate"):
        for value in case.props(trade["id"], prop):
            d = parse_date(value)
            if d is not None and (best[0] is None or d < best[0]):
                best = (d, prop, value)
    return best


# -- the rules ------------------------------------------------------------------


@rule(
    "unrelated-business",
    "Buyer's line of business is unrelated to the goods",
    "A caterer, fish trader or real-estate firm buying drones or electronic components has no "
    "use for them itself: a classic sign of a front buyer for diverted goods.",
)
def unrelated_business(case: Case) -> Iterator[Flag]:
    business = _terms_regex(case.vocab["unrelated_business"])
    goods = _terms_regex(case.vocab["sensitive_goods"])
    flagged: set[str] = set()
    for trade in case.trades():
        goods_hits = [(p, v, m.group(1).lower()) for p in _GOODS_PROPS for v in case.props(trade["id"], p)
                      for m in goods.finditer(v)]
        hs_hits = [(v, t) for v in case.props(trade["id"], "vedCode") if (t := chpl_tier(v))]
        if not goods_hits and not hs_hits:
            continue
        for buyer in case.refs(trade["id"], "receiver"):
            biz = [(p, v, m.group(1)) for p in _BUSINESS_PROPS for v in case.props(buyer, p)
                   if (m := business.search(v))]
            if not biz:
                continue
            what = ", ".join(sorted({g[2] for g in goods_hits} | {f"HS {v} (CHPL tier {t})" for v, t in hs_hits}))
            line = "; ".join(sorted({b[1] for b in biz}))
            ev = [e for p, v, _ in biz for e in case.evidence(buyer, p, [v])]
            for p, v in dict.fromkeys((p, v) for p, v, _ in goods_hits):
                ev += case.evidence(trade["id"], p, [v])
            ev += [e for v, _ in hs_hits for e in case.evidence(trade["id"], "vedCode", [v])]
            senders = case.refs(trade["id"], "sender")
            flagged.add(buyer)
            yield _flag(case, "unrelated-business", buyer,
                        f"{case.party(buyer)['name']} ({line}) receives {what}", ev, senders, "high")
    # Orders and deliveries told in prose: any party to them with an unrelated line of business.
    for event in case.events(*_GOODS_EVENTS):
        eid = event["id"]
        goods_hits = [(p, v, m.group(1).lower()) for p in ("name", "summary", "description")
                      for v in case.props(eid, p) for m in goods.finditer(v)]
        if not goods_hits:
            continue
        for party in case.refs(eid, "involved"):
            if party in flagged:
                continue
            lines = [(p, v) for p in _BUSINESS_PROPS for v in case.props(party, p) if business.search(v)]
            if not lines:
                continue
            flagged.add(party)
            name = case.party(party)["name"]
            line = "; ".join(sorted({v for _, v in lines if v not in name}))
            ev = [e for p, v in lines for e in case.evidence(party, p, [v])] + case.evidence(eid, "name")
            others = [x for x in case.refs(eid, "involved") if x != party]
            yield _flag(case, "unrelated-business", party,
                        f"{name}{f' ({line})' if line else ''} is party to {event['caption']}", ev, others, "high")


@rule(
    "shared-address",
    "Address shared by otherwise unrelated parties",
    "Firms registered at the same address with no declared tie are often shells run by the same "
    "people, or mass-registration addresses used to hide who is behind a company.",
)
def shared_address(case: Case) -> Iterator[Flag]:
    g = case.graph
    pairs: dict[tuple[int, int], set[int]] = defaultdict(set)
    for j in range(g.n_links):
        a, b = sorted((int(g.src[j]), int(g.dst[j])))
        pairs[(a, b)].add(int(g.kind[j]))
    k_addr = KIND["SharedAddress"]
    for j in np.flatnonzero(g.kind == k_addr).tolist():
        a, b = sorted((int(g.src[j]), int(g.dst[j])))
        if pairs[(a, b)] != {k_addr}:
            continue  # they are tied anyway: a shared address is no surprise
        ia, ib = g.ids[a], g.ids[b]
        evidence = g.link_evidence(j)
        if case.list_says((ia, ib), evidence):
            continue  # co-listed parties at one address: the list's own statement (issue #17)
        yield _flag(case, "shared-address", ia,
                    f"{g.caption[a]} and {g.caption[b]} share the address {g.link_labels[j]}",
                    evidence, [ib])


@rule(
    "new-company",
    "Company incorporated shortly before its first shipment",
    "Companies set up weeks or months before trading restricted goods are typical of procurement "
    "networks that replace designated firms with fresh ones.",
)
def new_company(case: Case) -> Iterator[Flag]:
    limit = int(case.vocab.get("new_company_days", 365))
    first: dict[str, tuple[date, EntityJSON, str, str]] = {}
    for trade in case.trades():
        d, prop, value = _trade_date(case, trade)
        if d is None or prop is None or value is None:
            continue
        for party in case.refs(trade["id"], "sender") + case.refs(trade["id"], "receiver"):
            if party not in first or d < first[party][0]:
                first[party] = (d, trade, prop, value)
    for event in case.events(*_GOODS_EVENTS):  # orders and deliveries told in reports
        for value in case.props(event["id"], "date"):
            d = parse_date(value)
            for party in case.refs(event["id"], "involved") if d is not None else []:
                if d is not None and (party not in first or d < first[party][0]):
                    first[party] = (d, event, "date", value)
    for party, (d, trade, prop, value) in sorted(first.items()):
        for inc in case.props(party, "incorporationDate"):
            born = parse_date(inc)
            if born is None:
                continue
            days = (d - born).days
            if 0 <= days <= limit:
                ev = case.evidence(party, "incorporationDate", [inc]) + case.evidence(trade["id"], prop, [value])
                yield _flag(case, "new-company", party,
                            f"incorporated {inc}, first shipment or order {value} ({days} days later)", ev)


@rule(
    "transshipment",
    "Transshipment through a third country or a free/bonded zone",
    "Routing goods through third countries or free and bonded zones breaks the paper trail "
    "between the maker and the end user; it is the main route for diverted dual-use goods.",
)
def transshipment(case: Case) -> Iterator[Flag]:
    zones = _terms_regex(case.vocab["free_zones"])
    flagged_zone: set[str] = set()
    for trade in case.trades():
        tid = trade["id"]
        origin = set(case.props(tid, "originCountry"))
        departure = set(case.props(tid, "departureCountry"))
        trading = set(case.props(tid, "tradingCountry"))
        dest = set(case.props(tid, "destinationCountry"))
        senders = case.refs(tid, "sender")
        sender_countries = {c for s in senders for c in case.country(s)}
        reasons = []
        ev: list[EvidenceDict] = []
        if origin and departure and not origin & departure:
            reasons.append(f"made in {', '.join(sorted(origin))}, shipped from {', '.join(sorted(departure))}")
            ev += case.evidence(tid, "originCountry") + case.evidence(tid, "departureCountry")
        if trading and not trading <= (origin | dest):
            reasons.append(f"traded through {', '.join(sorted(trading - origin - dest))}")
            ev += case.evidence(tid, "tradingCountry")
        if origin and sender_countries and not origin & sender_countries:
            reasons.append(f"goods of {', '.join(sorted(origin))} origin sold by a firm in "
                           f"{', '.join(sorted(sender_countries))}")
            ev += case.evidence(tid, "originCountry")
            ev += [e for s in senders for e in case.evidence(s, "country")]
        parties = senders + case.refs(tid, "receiver")
        if reasons:
            yield _flag(case, "transshipment", tid, "; ".join(reasons), ev, parties)
    # Parties in free or bonded zones that trade or are tied to anyone.
    g = case.graph
    linked = set(np.unique(np.concatenate([g.src, g.dst])).tolist()) if g.n_links else set()
    partners: dict[str, set[str]] = defaultdict(set)  # parties that take part in one event told in prose
    for event in case.events():
        involved = case.refs(event["id"], "involved")
        for x in involved:
            partners[x].update(y for y in involved if y != x)
    for ent in case.entities.values():
        eid = ent["id"]
        if eid in flagged_zone or (g.node(eid) not in linked and not partners.get(eid)):
            continue
        for prop in ("name", "address", "notes", "description", "alias"):
            hits = [v for v in ent["properties"].get(prop, []) if zones.search(v)]
            if hits:
                flagged_zone.add(eid)
                node = g.node(eid)
                neighbours = sorted(set(_neighbours(g, node) if node is not None else []) | partners.get(eid, set()))
                yield _flag(case, "transshipment", eid,
                            f"{ent['caption']} is in a free or bonded zone ({hits[0]})",
                            case.evidence(eid, prop, hits), neighbours)
                break


def _neighbours(g: Graph, i: int) -> list[str]:
    out = set(g.dst[g.src == i].tolist()) | set(g.src[g.dst == i].tolist())
    return sorted(g.ids[n] for n in out)


@rule(
    "third-party-payment",
    "Payment by a third party",
    "When someone other than the buyer of record pays the supplier, the real end user or a "
    "sanctioned financier may be hiding behind the buyer.",
)
def third_party_payment(case: Case) -> Iterator[Flag]:
    buyers_of: dict[str, set[str]] = defaultdict(set)
    for trade in case.trades():
        for seller in case.refs(trade["id"], "sender"):
            buyers_of[seller].update(case.refs(trade["id"], "receiver"))
    for pay in case.of_schema("Payment"):
        for payee in case.refs(pay["id"], "beneficiary"):
            buyers = buyers_of.get(payee)
            if not buyers:
                continue
            for payer in case.refs(pay["id"], "payer"):
                if payer in buyers or payer == payee:
                    continue
                names = ", ".join(sorted(case.party(b)["name"] for b in buyers))
                ev = case.evidence(pay["id"], "payer") + case.evidence(pay["id"], "beneficiary")
                yield _flag(case, "third-party-payment", payer,
                            f"{case.party(payer)['name']} paid {case.party(payee)['name']}, "
                            f"whose buyer of record is {names}", ev, [payee, *sorted(buyers)], "high")


@rule(
    "removed-after-exposure",
    "Ownership change or registry record removed right after exposure",
    "Owners and directors who vanish from a registry, or stakes that change hands, just after a "
    "designation or a published investigation suggest an attempt to escape the sanction.",
)
def removed_after_exposure(case: Case) -> Iterator[Flag]:
    exposed = _exposure_dates(case)
    for eid, (when, why, ev0) in sorted(exposed.items()):
        members = case.store.members(eid)
        refs = list(case.store.statements(prop_type="entity", values=members, include_removed=True))
        removed = [s for s in case.statements(eid) if s.removed_at and s.prop != BASE]
        removed += [s for s in refs if s.removed_at]
        late = [s for s in removed if (parse_date(s.removed_at) or date.min) >= when]
        if late:
            first = min(s.removed_at or "" for s in late)
            yield _flag(case, "removed-after-exposure", eid,
                        f"{len(late)} record(s) removed from {first[:10]} on, after {why} on {when.isoformat()}",
                        ev0 + [statement_evidence(s) for s in late], {s.entity_id for s in refs}, "high")
        told = [ev for ev in case.events("registry removal") if eid in case.refs(ev["id"], "involved")]
        for event in told:
            dates = [d for v in case.props(event["id"], "date") if (d := parse_date(v)) is not None]
            designated = why.startswith("designation")
            if (dates and max(dates) >= when) or (not dates and designated):
                said = f"on {max(dates).isoformat()}" if dates else "(no date given)"
                yield _flag(case, "removed-after-exposure", eid,
                            f"a source reports its registry record removed {said}, after {why} on "
                            f"{when.isoformat()}", ev0 + case.evidence(event["id"], "summary"), [], "high")
        changes = []
        for s in refs:
            if s.schema not in _PEOPLE_LINKS or s.removed_at:
                continue
            for prop in ("startDate", "endDate", "date"):
                for value in case.props(case.cid(s.entity_id), prop):
                    d = parse_date(value)
                    if d is not None and 0 <= (d - when).days <= 365:
                        changes.append((s.entity_id, prop, value))
        if changes:
            ev = [e for edge, prop, value in changes for e in case.evidence(case.cid(edge), prop, [value])]
            yield _flag(case, "removed-after-exposure", eid,
                        f"{len(changes)} ownership or control change(s) within a year after {why} "
                        f"on {when.isoformat()}", ev0 + ev, {c[0] for c in changes})


def _exposure_dates(case: Case) -> dict[str, tuple[date, str, list[EvidenceDict]]]:
    """Per entity: the earliest designation or publication naming it."""
    out: dict[str, tuple[date, str, list[EvidenceDict]]] = {}

    def note(eid: str, d: date | None, why: str, ev: list[EvidenceDict]) -> None:
        if d is not None and (eid not in out or d < out[eid][0]):
            out[eid] = (d, why, ev)

    for sanc in case.of_schema("Sanction"):
        dates = [(parse_date(v), p, v) for p in ("startDate", "listingDate", "date") for v in case.props(sanc["id"], p)]
        dates = [d for d in dates if d[0] is not None]
        if not dates:
            continue
        d, prop, value = min(dates, key=lambda x: x[0] or date.max)
        authority = ", ".join(case.props(sanc["id"], "authority")) or "a sanctions authority"
        for target in case.refs(sanc["id"], "entity"):
            note(target, d, f"designation by {authority}", case.evidence(sanc["id"], prop, [value]))
    published = {doc.id: doc for doc in case.store.documents() if doc.published_at}
    if published:
        for eid in case.entities:
            for s in case.statements(eid):
                doc = published.get(s.source)
                if doc is not None:
                    note(eid, parse_date(doc.published_at), f"publication of {doc.title or doc.id}",
                         [statement_evidence(s)])
                    break
    return out


@rule(
    "relatives-both-sides",
    "Relatives or the same person on both sides of a deal",
    "A supplier and a buyer run by the same person or by relatives are not at arm's length: the "
    "deal may disguise who the real end user is.",
)
def relatives_both_sides(case: Case) -> Iterator[Flag]:
    g = case.graph
    behind = _people_behind(g, case)
    family: dict[int, set[int]] = defaultdict(set)
    for j in np.flatnonzero(g.kind == KIND["Family"]).tolist():
        a, b = int(g.src[j]), int(g.dst[j])
        family[a].add(j)
        family[b].add(j)
    deals = [(t["id"], case.refs(t["id"], "sender"), case.refs(t["id"], "receiver")) for t in case.trades()]
    deals += [(p["id"], case.refs(p["id"], "payer"), case.refs(p["id"], "beneficiary"))
              for p in case.of_schema("Payment")]
    for event in case.events(*_GOODS_EVENTS):  # prose names the parties, not always their sides
        involved = case.refs(event["id"], "involved")
        deals += [(event["id"], [x], [y]) for i, x in enumerate(involved) for y in involved[i + 1:]]
    for deal_id, left_ids, right_ids in deals:
        for x in left_ids:
            for y in right_ids:
                ix, iy = g.node(x), g.node(y)
                if ix is None or iy is None or ix == iy:
                    continue
                lx, ly = behind(ix), behind(iy)
                same = set(lx) & set(ly)
                for person in sorted(same):
                    ev = [g.link(j) for j in lx[person] + ly[person]]
                    yield _flag(case, "relatives-both-sides", g.ids[person],
                                f"{g.caption[person]} is behind both {g.caption[ix]} and {g.caption[iy]}",
                                _link_ev(ev), [g.ids[ix], g.ids[iy], deal_id], "high")
                for a in lx:
                    for j in family.get(a, ()):
                        b = int(g.dst[j]) if int(g.src[j]) == a else int(g.src[j])
                        if b in ly and a not in same and b not in same:
                            ev = [g.link(k) for k in lx[a] + ly[b] + [j]]
                            yield _flag(case, "relatives-both-sides", g.ids[a],
                                        f"{g.caption[a]} (behind {g.caption[ix]}) and {g.caption[b]} "
                                        f"(behind {g.caption[iy]}) are relatives",
                                        _link_ev(ev), [g.ids[b], g.ids[ix], g.ids[iy], deal_id], "high")
                for a in lx:
                    for b in ly:
                        if a != b and _same_surname_and_birth(case, g.ids[a], g.ids[b]):
                            said = [e for pid in (g.ids[a], g.ids[b]) for p in ("birthDate", "lastName", "name")
                                    for e in case.evidence(pid, p)]
                            yield _flag(case, "relatives-both-sides", g.ids[a],
                                        f"{g.caption[a]} and {g.caption[b]} share surname and birth date",
                                        said, [g.ids[b], g.ids[ix], g.ids[iy], deal_id])


def _link_ev(links: list[Link]) -> list[EvidenceDict]:
    """The links' evidence, each naming its link in words (``LINK_KEY``)."""
    out = []
    for link in links:
        for e in link["evidence"]:
            ev = e.copy()
            ev["link"] = f"{link['source_name']} {link['label']} {link['target_name']}"
            out.append(ev)
    return out


def _people_behind(g: Graph, case: Case) -> Callable[[int], dict[int, list[int]]]:
    """For a party: the persons owning, controlling or directing it (two levels up), with links."""
    up: dict[int, list[int]] = defaultdict(list)

    def is_person(i: int) -> bool:
        # the type decided from all the party's statements (a merged party may have been a
        # Company in one source), else the graph's
        ent = case.entities.get(g.ids[i])
        return (ent["schema"] if ent else g.schema[i]) == "Person"

    for j in np.flatnonzero(g.mask(*_PEOPLE_LINKS)).tolist():
        up[int(g.dst[j])].append(j)

    def behind(i: int) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        if is_person(i):
            out[i] = []
        frontier = [(i, [])]  # type: list[tuple[int, list[int]]]
        for _ in range(2):
            nxt = []
            for node, path in frontier:
                for j in up.get(node, []):
                    owner = int(g.src[j])
                    if owner not in out and owner != i:
                        if is_person(owner):
                            out[owner] = [*path, j]
                        nxt.append((owner, [*path, j]))
            frontier = nxt
        return out

    return behind


def _surname(case: Case, eid: str) -> set[str]:
    names = {n.lower() for n in case.props(eid, "lastName")}
    if not names:
        names = {n.split()[-1].lower() for n in case.props(eid, "name") if n.split()}
    return names


def _same_surname_and_birth(case: Case, a: str, b: str) -> bool:
    births = set(case.props(a, "birthDate")) & set(case.props(b, "birthDate"))
    return bool(births) and bool(_surname(case, a) & _surname(case, b))


@rule(
    "chpl-high-risk",
    "CHPL goods to a high-risk destination",
    "Items on the Common High Priority List are found in weapons on the battlefield; shipments to "
    "restricted destinations or known diversion hubs need the strongest end-use checks.",
)
def chpl_high_risk(case: Case) -> Iterator[Flag]:
    high = set(case.vocab["high_risk_destinations"])
    hubs = set(case.vocab["diversion_hubs"])
    for trade in case.trades():
        tid = trade["id"]
        hs = [(v, t) for v in case.props(tid, "vedCode") if (t := chpl_tier(v))]
        if not hs:
            continue
        dest = set(case.props(tid, "destinationCountry"))
        dest_prop = "destinationCountry"
        receivers = case.refs(tid, "receiver")
        if not dest:
            dest = {c for r in receivers for c in case.country(r)}
            dest_prop = "country"
        risky = dest & high
        hub = dest & hubs
        if not risky and not hub:
            continue
        codes = ", ".join(f"{v} (tier {t})" for v, t in hs)
        where = ", ".join(sorted(risky or hub))
        kind = "a restricted destination" if risky else "a diversion hub"
        ev = [e for v, _ in hs for e in case.evidence(tid, "vedCode", [v])]
        if dest_prop == "destinationCountry":
            ev += case.evidence(tid, "destinationCountry")
        else:
            ev += [e for r in receivers for e in case.evidence(r, "country")]
        yield _flag(case, "chpl-high-risk", tid, f"CHPL HS {codes} to {where} ({kind})", ev,
                    case.refs(tid, "sender") + receivers, "high" if risky else "medium")


@rule(
    "agent-for-sanctioned",
    "Acting for a sanctioned or blocked party",
    "An agent or intermediary that buys or contracts on behalf of a sanctioned or blocked party "
    "lets it keep trading under another name.",
)
def agent_for_sanctioned(case: Case) -> Iterator[Flag]:
    g = case.graph
    bad = blocked_mask(g, None, "us")
    for j in np.flatnonzero(g.kind == KIND["Representation"]).tolist():
        agent, client = int(g.src[j]), int(g.dst[j])
        if not bad[client]:
            continue
        evidence = _link_ev([g.link(j)])
        if case.list_says((g.ids[agent], g.ids[client]), evidence):
            continue  # the list that names both says so: not a finding beyond it (issue #17)
        also = " (and is itself sanctioned or blocked)" if bad[agent] else ""
        yield _flag(case, "agent-for-sanctioned", g.ids[agent],
                    f"{g.caption[agent]} acts for {g.caption[client]}, which is sanctioned or blocked{also}",
                    evidence, [g.ids[client]], "high")


def evaluate(
    store: Store, entity_id: str | None = None, *, rules: Iterable[str] | None = None, graph: Graph | None = None
) -> list[Flag]:
    """Run the red-flag rules; with ``entity_id``, only flags involving that entity.

    Each flag: ``rule`` (id), ``title``, ``why``, ``severity`` (high or
    medium), ``entity`` (``{id, name, schema}``), ``parties`` (every party
    involved), ``detail`` (what fired, in words) and ``evidence`` (the
    statements, each with dataset, source, location or span, quote,
    confidence, hedge, and ``removed_at`` for removed records), and
    ``sources`` (``{dataset, source}`` behind the evidence). A fact told by
    several sources is one flag with all of them (:func:`_merge`).
    """
    case = Case(store, graph)
    wanted = list(rules) if rules is not None else list(RULES)
    target = case.cid(entity_id) if entity_id else None
    out: dict[tuple[Any, ...], Flag] = {}
    for rid in wanted:
        for flag in RULES[rid].check(case):
            if target is None or any(p["id"] == target for p in flag["parties"]):
                _merge(out, flag)
    for flag in out.values():
        pairs = sorted({(e.get("dataset") or "", e.get("source") or "") for e in flag["evidence"]})
        flag["sources"] = [{"dataset": d, "source": src} for d, src in pairs]
    return list(out.values())


def _merge(out: dict[tuple[Any, ...], Flag], flag: Flag) -> None:
    """One flag per fact: the same finding told by several sources (three
    articles saying one firm acts for a blocked buyer, two registries giving
    one stake) is one flag carrying every source's evidence, not one flag per
    link record. The fact is the rule, the parties and what fired."""
    key = (flag["rule"], flag["entity"]["id"], tuple(sorted(p["id"] for p in flag["parties"])), flag["detail"])
    seen = out.get(key)
    if seen is None:
        out[key] = flag
        return
    have = {(e.get("statement_id"), e.get("entity_id"), e.get("prop"), e.get("value")) for e in seen["evidence"]}
    for e in flag["evidence"]:
        if (e.get("statement_id"), e.get("entity_id"), e.get("prop"), e.get("value")) not in have:
            seen["evidence"].append(e)
    if flag["severity"] == "high":
        seen["severity"] = "high"
