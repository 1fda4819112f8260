"""Facts from prose that can be compared across sources and that red flags need.

Relation extraction says who is tied to whom; investigators also compare
*what happened*: an order of so many units on some date at some price, a
product's unit price, a production rate, and they look for the warning
signs reports describe in words. This module adds, to one document's
:class:`~redthread.extract.result.Builder`, each with its sentence as
evidence:

- events (FtM ``Event``): ``keywords`` is the kind (order, delivery,
  registration, visit, talks, capacity, registry removal), ``name`` the
  words of the text that tell it ("order 5,000 FPV Veles drones"),
  ``summary`` the comparable label ("order: 5000 Veles" — kind, count, and the product or else the counted noun),
  ``date`` (explicit, or "Aug. 29 that year" with the year of the text
  before), ``involved`` the parties named in the sentence, ``description``
  the figures in words;
- unit prices (FtM ``Asset`` per product and currency, ``amount`` the price
  of one unit): stated ("650,000 rubles apiece") or worked out from an
  order's total and count ("100 for 8 million rubles");
- a party's line of business (``sector``), also of a party the text does
  not name ("via a company that normally operates in real estate"), kept
  as a Company named by the words that describe it;
- registry removals (``status`` and a "registry removal" event);
- family ties written as appositions, with their hedge ("Y, possibly his
  brother");
- shared addresses stated without the address ("registered at the same
  address as X"), as one Address entity both parties point at.

Vocabularies live in ``facts.yaml``. Products are recognised generically:
capitalised words right before a counting noun ("Veles drones"), or "the
X, a ... drone"; a sentence that prices "each drone" takes the product of
the sentences just before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from typing_extensions import TypedDict

from redthread.extract.lexicon import lexicon
from redthread.extract.normalize import DATE_RE, MONEY_RE, MONTHS, money_from_match, period_from_match
from redthread.extract.result import Builder, Evidence, make_id
from redthread.model.jsondata import load_yaml

DATA = Path(__file__).with_name("facts.yaml")
Span = tuple[int, int, str]
#: Confidence of a fact read by these patterns; derived figures a little less.
CONFIDENCE = 0.75
DERIVED_CONFIDENCE = 0.65
#: Words that end a counted phrase: "2024 for procuring drones" counts nothing.
_STOP = "for|to|of|in|on|at|by|from|with|or|the|a|an|was|were|is|are|that|which|who|per|each"
_REGISTERED = re.compile(r"\b(?:was|were|been|is|got)\s+(?:newly\s+)?(?:registered|incorporated|founded|established)\b"
                         r"(?!\s+at\b)", re.IGNORECASE)
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")
_DEMONYM = re.compile(r"(?:ian|ese|ish|ean|can|ch|ic)$", re.IGNORECASE)


class FactsVocabulary(TypedDict):
    """``facts.yaml``: word lists and patterns (checked on load, naming the key)."""

    goods_nouns: list[str]
    product_qualifiers: list[str]
    events: dict[str, list[str]]
    goods_events: list[str]
    unit_price_after: list[str]
    unit_price_before: list[str]
    price_words: list[str]
    rate_periods: list[str]
    rate_words: list[str]
    business_nouns: list[str]
    business_connectors: list[str]
    business_verbs: list[str]
    sectors: list[str]
    removal_patterns: list[str]
    relatives: list[str]
    hedges: list[str]
    same_address: list[str]


@cache
def vocabulary() -> FactsVocabulary:
    """facts.yaml, read with libyaml's C loader and checked as :class:`FactsVocabulary`."""
    return load_yaml(FactsVocabulary, DATA)


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _src(pattern: str, flags: int = 0) -> tuple[str, int]:
    return pattern, flags


class _Patterns:
    """The vocabulary's patterns by name, each compiled when a document first needs it.

    Compiling all of them cost a fresh process's first document about a tenth of a second of CPU;
    several (prices, units, lines of business, relatives, shared addresses) are asked only when a
    sentence has money, a party or a trigger word, so a document without those never pays for them.
    """

    def __init__(self, sources: dict[str, tuple[str, int]]) -> None:
        self._sources = sources
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, name: str) -> re.Pattern[str]:
        pattern = self._compiled.get(name)
        if pattern is None:
            pattern = self._compiled[name] = re.compile(*self._sources[name])
        return pattern


@cache
def _patterns() -> _Patterns:
    return _Patterns(_sources())


def _sources() -> dict[str, tuple[str, int]]:
    """Each pattern's source and flags, built from the vocabulary (cheap: string joins only)."""
    v = vocabulary()
    goods = _words(v["goods_nouns"])
    return {
        "goods": _src(rf"\b(?:{goods})\b"),
        "quantity": _src(
            rf"(?<![\w$€£¥₽.,])(?P<q>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\s*(?:-|–|to)\s*(?P<q2>\d{{1,3}}(?:,\d{{3}})+|\d+))?"
            rf"\s+(?P<what>(?:(?!(?:{_STOP})\b)[\w-]+\s+){{0,4}}?(?:{goods}))\b"),
        "appositive": _src(
            rf"\bthe\s+(?P<name>[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){{0,3}}),\s+an?\s+[^.;]{{0,80}}?\b(?:{goods})\b"),
        "rate": _src(
            rf"(?P<q>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\s*(?:-|–|to)\s*(?P<q2>\d{{1,3}}(?:,\d{{3}})+|\d+))?\s+"
            rf"(?P<what>(?:[\w-]+\s+){{0,3}}?(?:{goods}))\s+(?:a|per|each)\s+(?P<per>{_words(v['rate_periods'])})\b",
            re.IGNORECASE),
        "goods_kind": _src(
            rf"\b(?:{_words(w for k in v['goods_events'] for w in v['events'][k])})\b", re.IGNORECASE),
        "rate_word": _src(rf"\b(?:{_words(v['rate_words'])})", re.IGNORECASE),
        "unit_after": _src(rf"^\)?\s*,?\s*(?:VAT included,?\s*)?(?:{_words(v['unit_price_after'])})\b",
                                 re.IGNORECASE),
        "unit_before": _src("|".join(v["unit_price_before"]), re.IGNORECASE),
        "price_word": _src(rf"\b(?:{_words(v['price_words'])})\b", re.IGNORECASE),
        "business": _src(
            rf"^\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?:{_words(v['business_nouns'])})\s+(?:that|which)\s+"
            rf"(?:[^.;]{{0,60}}?\s)?(?:{_words(v['business_verbs'])})\s+(?P<biz>[^.;]+)", re.IGNORECASE),
        "business_from": _src(
            rf"^\s*(?:,|\(|–|—)\s*(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{_words(v['business_nouns'])})\s+"
            rf"(?:{_words(v['business_connectors'])})\s+(?P<biz>[^.;)]+)", re.IGNORECASE),
        "business_appos": _src(r"^\s*(?:,|\(|–|—)\s*(?:a|an)\s+(?P<biz>[^,.;()]{3,80})", re.IGNORECASE),
        "unnamed": _src(
            rf"\b(?:via|through|by|from|to|with)\s+(?P<desc>(?:a|an)\s+(?P<pre>(?:[\w-]+\s+){{0,3}}?)"
            rf"(?:{_words(v['business_nouns'])})\b(?:\s+(?:that|which)\s+(?:[^.;]{{0,60}}?\s)?"
            rf"(?:{_words(v['business_verbs'])})\s+(?P<biz>[^.;]+)|\s+(?:{_words(v['business_connectors'])})\s+"
            rf"(?P<biz2>[^.;)]+))?)", re.IGNORECASE),
        "sector": _src(rf"\b(?:{_words(v['sectors'])})", re.IGNORECASE),
        "removal": _src("|".join(f"(?:{p})" for p in v["removal_patterns"]), re.IGNORECASE),
        "family": _src(
            rf"^\s*(?:,|\(|–|—)\s*(?:who\s+(?:is|was|may\s+be|might\s+be)\s+)?(?:(?P<hedge>{_words(v['hedges'])})\s+)?"
            rf"(?:also\s+)?(?P<whose>his|her|their)\s+"
            rf"(?P<rel>{_words(v['relatives'])})\b", re.IGNORECASE),
        "same_address": _src("|".join(v["same_address"]), re.IGNORECASE),
        "that_year": _src(
            r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|"
            r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?)?,?\s+"
            r"(?:of\s+)?(?:that|the same)\s+year"),
    }


def _clip_business(text: str) -> str:
    """A line of business without the clause that follows it (lists are kept)."""
    text = re.split(r"\s+(?:to|for|including|but|while|since|who|which|whose|with)\s+|,\s+(?:which|who|whose|and is|but|"
                    r"including|according|although|as|in|on)\b", text, maxsplit=1)[0]
    return text.strip(" ,;:").strip()


@dataclass
class _Product:
    name: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.name.lower()


class _Doc:
    """One document's text, sentences and party spans, with helpers."""

    def __init__(self, b: Builder, sents: list[tuple[int, int]], spans: list[Span]) -> None:
        self.b = b
        self.text = b.text
        self.sents = sents
        self.starts = [a for a, _ in sents]
        self.spans = sorted((s for s in spans if s[2] in b.schemata), key=lambda s: s[0])
        self.span_starts = [s[0] for s in self.spans]
        self.p = _patterns()
        self.products = self._known_products()

    def quote(self, a: int, b: int) -> Evidence:
        return Evidence(a, b, self.text[a:b], CONFIDENCE)

    def parties_in(self, a: int, b: int) -> list[Span]:
        i = bisect.bisect_left(self.span_starts, a)
        out = []
        while i < len(self.spans) and self.spans[i][0] < b:
            out.append(self.spans[i])
            i += 1
        return out

    def schema(self, eid: str) -> str:
        return self.b.schemata.get(eid, "")

    # -- products ---------------------------------------------------------------

    def _product_before(self, pos: int, sent_start: int) -> str | None:
        """The capitalised words right before ``pos`` (a counting noun), qualifiers dropped."""
        qualifiers = {q.lower() for q in vocabulary()["product_qualifiers"]}
        words = re.findall(r"[\w][\w-]*", self.text[sent_start:pos])
        taken: list[str] = []
        for w in reversed(words[-5:]):
            if w[0].isupper() or any(c.isdigit() for c in w) and any(c.isalpha() for c in w):
                taken.append(w)
                continue
            break
        taken.reverse()
        while taken and (taken[0].lower() in qualifiers or taken[0].lower() in STOP_WORDS
                         or _DEMONYM.search(taken[0].split("-")[0])):
            taken.pop(0)
        while taken and taken[-1].lower() in qualifiers:
            taken.pop()
        if not taken or (len(taken) == 1 and taken[0].isdigit()):
            return None
        return " ".join(taken)

    def _known_products(self) -> list[str]:
        found: dict[str, None] = {}
        party_names = {v.value.lower() for vals in self.b.values.values() for v in vals.get("name", [])}
        for a, b in self.sents:
            sent = self.text[a:b]
            for m in self.p["goods"].finditer(sent):
                name = self._product_before(a + m.start(), a)
                if name and name.lower() not in party_names:
                    found.setdefault(name)
            for m in self.p["appositive"].finditer(sent):
                found.setdefault(m.group("name"))
        return sorted(found, key=len, reverse=True)

    def products_in(self, a: int, b: int) -> list[_Product]:
        out: list[_Product] = []
        taken: list[tuple[int, int]] = []
        for name in self.products:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", self.text[a:b]):
                s, e = a + m.start(), a + m.end()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                out.append(_Product(name, s, e))
        return sorted(out, key=lambda p: p.start)

    def product_at(self, pos: int, sent_start: int) -> _Product | None:
        """The product named right before the counting noun at ``pos``, with its span."""
        name = self._product_before(pos, sent_start)
        if not name:
            return None
        start = self.text.rfind(name, sent_start, pos)
        return _Product(name, start, start + len(name)) if start >= 0 else None

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.sents[i] if self.sents else (0, len(self.text))

    def recent_product(self, sent_index: int, back: int = 2) -> _Product | None:
        for i in range(sent_index - 1, max(-1, sent_index - 1 - back), -1):
            found = self.products_in(*self.sents[i])
            if found:
                return found[0]
        return None

    # -- dates ------------------------------------------------------------------

    def date_in(self, a: int, b: int) -> str | None:
        sent = self.text[a:b]
        m = self.p["that_year"].search(sent)
        if m:
            year = self.year_before(a)
            month = MONTHS.get(m.group("m").lower().rstrip("."))
            if year and month:
                return f"{year}-{month:02d}" + (f"-{int(m.group('d')):02d}" if m.group("d") else "")
        for dm in DATE_RE.finditer(sent):
            period = period_from_match(dm)
            if period is not None:
                return period.start
        return None

    def year_before(self, pos: int) -> str | None:
        """The last explicit year written before ``pos`` (for "that year")."""
        years = re.findall(r"\b((?:19|20)\d{2})\b", self.text[max(0, pos - 1500):pos])
        return years[-1] if years else None


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _amount(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def add_facts(b: Builder, sents: list[tuple[int, int]], spans: list[Span]) -> None:
    """Add events, unit prices, lines of business, removals, family ties and shared
    addresses found in ``b.text`` to the builder (``spans``: party mentions as
    ``(start, end, entity_id)``)."""
    doc = _Doc(b, sents, spans)
    for i, (a, e) in enumerate(sents):
        _events(doc, i, a, e)
        _business(doc, a, e)
        _removal(doc, i, a, e)
        _family(doc, a, e)
        _same_address(doc, a, e)


def _kind(doc: _Doc, sent: str, before: int, goods: bool) -> tuple[str, int, int] | None:
    """The event kind whose word comes last before ``before`` in the sentence, with the
    word's span: among kinds that move goods (``goods``) or among the others."""
    best: tuple[str, int, int] | None = None
    goods_kinds = set(vocabulary()["goods_events"])
    for kind, words in vocabulary()["events"].items():
        if (kind in goods_kinds) != goods:
            continue
        for m in re.finditer(rf"\b(?:{_words(words)})\b", sent[:before], re.IGNORECASE):
            if best is None or m.start() > best[1]:
                best = (kind, m.start(), m.end())
    return best


def _events(doc: _Doc, i: int, a: int, e: int) -> None:  # noqa: C901 — one sentence read once in order: a production rate, each counted quantity (with its price), then an event without a count; each step skips what an earlier one took
    sent = doc.text[a:e]
    involved = [eid for _, _, eid in doc.parties_in(a, e)]
    date = doc.date_in(a, e)
    done_goods = False
    rate = doc.p["rate"].search(sent)
    if rate and doc.p["rate_word"].search(sent[:rate.start()]):
        qty = rate.group("q") + (f"-{rate.group('q2')}" if rate.group("q2") else "")
        what = rate.group("what").split()[-1]
        label = f"capacity: {qty.replace(',', '')} {what} per {rate.group('per').lower()}"
        _event(doc, a, e, "capacity", label, (a + rate.start(), a + rate.end()), date, involved, [])
    for m in doc.p["quantity"].finditer(sent):
        if rate and rate.start() <= m.start() < rate.end():
            continue
        if _YEARLIKE.fullmatch(m.group("q")) and not m.group("q2"):
            continue  # "in 2024 drones were ..." is a year, not a count
        found = _kind(doc, sent, m.start(), True) or _kind(doc, sent, len(sent), True)
        if found is None:
            continue
        kind = found[0]
        start = a + m.start("what")
        products = doc.products_in(start, a + m.end("what") + 1)
        noun = m.group("what").split()[-1]
        product = products[0] if products else doc.product_at(a + m.end("what") - len(noun), start)
        quantity = _number(m.group("q"))
        label = f"{kind}: {quantity} {product.name if product else noun}"
        span = (a + min(found[1], m.start()), a + max(found[2], m.end()))
        figures = []
        total = None
        for mm in MONEY_RE.finditer(sent):
            money = money_from_match(mm)
            if money is None or _is_unit(doc, sent, mm):
                continue
            if doc.p["price_word"].search(sent[max(0, mm.start() - 40):mm.start()]):
                total = money
                break
        if total is not None:
            figures.append(f"price {_amount(total.amount)} {total.currency}")
        _event(doc, a, e, kind, label, span, date, involved, figures)
        done_goods = True
        if total is not None and product:
            _unit_price(doc, a, e, product, total.amount / quantity, total.currency, derived=True,
                        note=f"{_amount(total.amount)} {total.currency} for {quantity}")
    _unit_prices(doc, i, a, e)
    if done_goods:
        return
    if doc.p["goods_kind"].search(sent):
        return  # a sentence about an order or delivery without a count is not another kind of event
    found = _kind(doc, sent, len(sent), False)
    if found is None or not (date or len(involved) >= 2):
        return
    kind = found[0]
    if kind == "registration" and not _REGISTERED.search(sent):
        return  # "registered at the same address" says where, not that it was set up
    if not involved:
        return
    _event(doc, a, e, kind, kind, (a + found[1], a + found[2]), date, involved, [])



def _is_unit(doc: _Doc, sent: str, m: re.Match[str]) -> bool:
    if doc.p["unit_after"].search(sent[m.end():m.end() + 40]):
        return True
    if doc.p["unit_before"].search(sent[max(0, m.start() - 60):m.start()]):
        return True
    # a converted figure in brackets right after a unit price: "RUB 650,000 (about US$8,317)"
    head = sent[:m.start()]
    opened = head.rfind("(")
    if opened >= 0 and ")" not in head[opened:]:
        prev = list(MONEY_RE.finditer(sent[:opened]))
        if prev and not sent[prev[-1].end():opened].strip(" ,") and _is_unit(doc, sent, prev[-1]):
            return True
    return False


def _unit_prices(doc: _Doc, i: int, a: int, e: int) -> None:
    sent = doc.text[a:e]
    for m in MONEY_RE.finditer(sent):
        money = money_from_match(m)
        if money is None or not _is_unit(doc, sent, m):
            continue
        products = doc.products_in(a, a + m.start())
        product = products[-1] if products else doc.recent_product(i)
        if product is None:
            continue
        _unit_price(doc, a, e, product, money.amount, money.currency, derived=False, note=None)


def _unit_price(doc: _Doc, a: int, e: int, product: _Product, amount: float, currency: str, *, derived: bool,
                note: str | None) -> None:
    b = doc.b
    ev = Evidence(a, e, doc.text[a:e], DERIVED_CONFIDENCE if derived else CONFIDENCE)
    aid = b.entity(make_id(b.doc_id, "Asset", product.key, currency), "Asset", ev)
    ps, pe = doc.sentence_of(product.start)
    b.add(aid, "name", product.name, Evidence(product.start, product.end, doc.text[ps:pe], CONFIDENCE))
    b.add(aid, "amount", _amount(amount), ev)
    b.add(aid, "currency", currency, ev)
    b.add(aid, "summary", "price of one unit", ev)
    if note:
        b.add(aid, "description", f"unit price worked out from {note}", ev)


def _event(doc: _Doc, a: int, e: int, kind: str, label: str, span: tuple[int, int], date: str | None,
           involved: list[str], figures: list[str]) -> str:
    """An Event: ``name`` the words of the text that tell it, ``summary`` the
    comparable label, ``keywords`` the kind."""
    b = doc.b
    ev = doc.quote(a, e)
    eid = b.entity(make_id(b.doc_id, "Event", label, date or "", a), "Event", ev)
    b.add(eid, "name", doc.text[span[0]:span[1]], Evidence(span[0], span[1], doc.text[a:e], CONFIDENCE))
    b.add(eid, "summary", label, ev)
    b.add(eid, "keywords", kind, ev)
    if date:
        b.add(eid, "date", date, ev)
    for party in dict.fromkeys(involved):
        b.add(eid, "involved", party, ev)
    for fig in figures:
        b.add(eid, "description", fig, ev)
    return eid


def _business(doc: _Doc, a: int, e: int) -> None:
    b = doc.b
    sent = doc.text[a:e]
    for _start, end, eid in doc.parties_in(a, e):
        if doc.schema(eid) == "Person":
            continue
        biz = _line_of_business(doc, doc.text[end:e])
        if biz:
            b.add(eid, "sector", biz, doc.quote(a, e))
    for m in doc.p["unnamed"].finditer(sent):
        said = m.group("biz") or m.group("biz2")
        biz = _clip_business(said) if said else (m.group("pre") or "").strip()
        if not biz or (not m.group("biz") and not doc.p["sector"].search(biz)):
            continue  # "from a company in Shenzhen" says where, not what it does
        if doc.parties_in(a + m.start(), a + m.end()):
            continue
        ev = doc.quote(a, e)
        ns = a + m.start("desc")
        ne = (a + m.start("biz" if m.group("biz") else "biz2") + len(biz)) if said else a + m.end("desc")
        uid = b.entity(make_id(b.doc_id, "unnamed", ns), "Company", ev)
        b.add(uid, "name", doc.text[ns:ne], Evidence(ns, ne, doc.text[a:e], CONFIDENCE))  # the words that describe it
        b.add(uid, "sector", biz, ev)
        b.add(uid, "description", "not named in the source; described by its line of business", ev)
        for eid in b.schemata:
            if b.schemata[eid] == "Event" and any(x.evidence[0].start == a for x in b.values[eid].get("summary", [])):
                b.add(eid, "involved", uid, ev)


def _line_of_business(doc: _Doc, rest: str) -> str | None:
    """What the words right after a party's name say it does, if they say it.

    ", a company that provides catering services" (a business verb: taken as
    said); ", a firm from real estate and seafood" and ", an airline caterer"
    (taken when a sector word is in them)."""
    m = doc.p["business"].match(rest)
    if m:
        return _clip_business(m.group("biz")) or None
    m = doc.p["business_from"].match(rest)
    if m and doc.p["sector"].search(m.group("biz")):
        return _clip_business(m.group("biz")) or None
    m = doc.p["business_appos"].match(rest)
    if m and doc.p["sector"].search(m.group("biz")):
        return _clip_business(m.group("biz")) or None
    return None


def _subject(doc: _Doc, i: int, a: int, e: int) -> str | None:
    """The party a sentence is about: its first organisation, else the last one before."""
    for _, _, eid in doc.parties_in(a, e):
        return eid
    for j in range(i - 1, max(-1, i - 3), -1):
        found = [eid for _, _, eid in doc.parties_in(*doc.sents[j]) if doc.schema(eid) not in ("Person", "PublicBody")]
        if found:
            return found[0]  # "its" points back at what the sentence before was about: its first party
    return None


def _removal(doc: _Doc, i: int, a: int, e: int) -> None:
    sent = doc.text[a:e]
    m = doc.p["removal"].search(sent)
    if not m:
        return
    named = [eid for s, _, eid in doc.parties_in(a, a + m.start()) if doc.schema(eid) != "Person"]
    party = named[-1] if named else _subject(doc, i, a, e)
    if party is None:
        return
    ev = doc.quote(a, e)
    doc.b.add(party, "status", "removed from the registry", ev)
    date = doc.date_in(a, e)
    if date:
        doc.b.add(party, "dissolutionDate", date, ev)
    _event(doc, a, e, "registry removal", "registry removal", (a + m.start(), a + m.end()), date, [party], [])


def _personlike(doc: _Doc, eid: str) -> bool:
    """A person, or a party typed otherwise whose names carry no legal form or
    business word: "his brother" says the one it points back at is a person."""
    schema = doc.schema(eid)
    if schema == "Person":
        return True
    if schema not in ("LegalEntity", "Company", "Organization"):
        return False
    lex = lexicon()
    business = {w.lower() for w in (*lex.legal_suffix, *lex.legal_prefix, *lex.company_words,
                                    *lex.organization_words, *lex.public_body_words)}
    for v in doc.b.values[eid].get("name", []):
        words = re.findall(r"[\w.]+", v.value)
        if not 2 <= len(words) <= 4 or any(w.lower().rstrip(".") in business or w.lower() in business
                                           or not w[0].isupper() for w in words):
            return False
    return True


def _family(doc: _Doc, a: int, e: int) -> None:
    b = doc.b
    for start, end, eid in doc.parties_in(a, e):
        if not _personlike(doc, eid):
            continue
        m = doc.p["family"].match(doc.text[end:e])
        if not m:
            continue
        before = [s for s in doc.spans if s[1] <= start and s[2] != eid and _personlike(doc, s[2])]
        if not before:
            continue
        other = before[-1][2]
        for person in (other, eid):
            b.schemata[person] = "Person"  # a family tie is between people
        if _has_family(b, other, eid):
            continue  # relation extraction already read this tie
        hedge = m.group("hedge")
        ev = Evidence(a, e, doc.text[a:e], 0.5 if hedge else CONFIDENCE, hedge.lower() if hedge else None)
        fid = b.entity(make_id(b.doc_id, "Family", other, eid), "Family", ev)
        b.add(fid, "person", other, ev)
        b.add(fid, "relative", eid, ev)
        b.add(fid, "relationship", m.group("rel").lower(), ev)


def _has_family(b: Builder, x: str, y: str) -> bool:
    for eid, schema in b.schemata.items():
        if schema == "Family":
            ends = {v.value for prop in ("person", "relative") for v in b.values[eid].get(prop, [])}
            if ends == {x, y}:
                return True
    return False


def _same_address(doc: _Doc, a: int, e: int) -> None:
    sent = doc.text[a:e]
    m = doc.p["same_address"].search(sent)
    if not m:
        return
    left = [eid for _, _, eid in doc.parties_in(a, a + m.start())]
    right = [eid for _, _, eid in doc.parties_in(a + m.end(), e)]
    if not left or not right or left[-1] == right[0]:
        return
    b = doc.b
    ev = doc.quote(a, e)
    aid = b.entity(make_id(b.doc_id, "Address", "same", left[-1], right[0]), "Address", ev)
    names = [vals[0].value for p in (left[-1], right[0]) if (vals := b.values[p].get("name"))]
    b.add(aid, "full", f"the address {' and '.join(names)} share (not given in the source)", ev)
    b.add(aid, "remarks", "the source says they share an address without giving it", ev)
    for party in (left[-1], right[0]):
        b.add(party, "addressEntity", aid, ev)
