"""Relations between parties, found sentence by sentence by registered rules.

Each rule looks at pairs of party mentions in one sentence and the words
between them ("X is owned by Y", "X shipped drone parts to Y", "Y's brother
X") and yields :class:`Relation` objects with their FtM schema, the two
parties in FtM's edge roles and normalised properties (percentage, role,
amount, currency, dates, authority). Negated statements ("denied selling
to", "was not designated") yield nothing; hedged ones ("possibly",
"according to") keep a hedge marker and a lower confidence.

Rules register with :func:`rule`; the registry order is the file order.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import redthread.extract.budget as budget
from redthread.extract.lexicon import Authority, lexicon
from redthread.extract.mentions import Mention
from redthread.extract.normalize import (
    DATE_RE,
    MONEY_RE,
    format_percentage,
    money_from_match,
    parse_percentage,
    period_from_match,
)

CONFIDENCE = 0.8
#: Characters of context a rule reads around a mention, and the widest gap between two related mentions.
WINDOW = 400
#: How many mentions back a pair may reach (a list between the two ends breaks any phrase rule).
MAX_BACK = 12
HEDGED_CONFIDENCE = 0.5


@dataclass
class Relation:
    """One relation found in one sentence."""

    schema: str
    source: Mention  # owner, director, sender, payer, agent, person; the entity of a Sanction
    target: Mention | None  # asset, organization, receiver, ...; None for a Sanction
    sentence: tuple[int, int]
    rule: str
    props: dict[str, list[str]] = field(default_factory=dict)
    confidence: float = CONFIDENCE
    hedge: str | None = None

    def add(self, prop: str, value: str | None) -> None:
        if value:
            values = self.props.setdefault(prop, [])
            if value not in values:
                values.append(value)


#: FtM property names of the two ends of each edge schema.
ENDS: dict[str, tuple[str, str]] = {
    "Ownership": ("owner", "asset"),
    "Control": ("controller", "controlled"),
    "Directorship": ("director", "organization"),
    "Employment": ("employee", "employer"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "UnknownLink": ("subject", "object"),
    "Representation": ("agent", "client"),
    "Payment": ("payer", "beneficiary"),
    "EconomicActivity": ("sender", "receiver"),
    "Sanction": ("entity", ""),
    "Attribute": ("", ""),  # a fact about the source party itself (its properties)
}


@dataclass
class SentenceContext:
    """A sentence, its party mentions in order, and the whole text."""

    text: str
    start: int
    end: int
    mentions: list[Mention]
    issuer: Authority | None = None  # the body the document speaks for (see sanctions.issuer)

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]
        self._between: dict[tuple[int, int], str] = {}
        self._core: dict[tuple[int, int], int] = {}

    @cached_property
    def sentence(self) -> str:
        return self.text[self.start : self.end]

    def core_start(self, a: Mention, b: Mention) -> int:
        """Where the words linking ``a`` to ``b`` start, after an appositive on ``a``.

        In "X, a company that serves Y, bought Z from W" the clause between
        the commas describes X; the verb that links X to W comes after it.
        """
        k = (id(a), id(b))
        hit = self._core.get(k)
        if hit is None:
            hit = self._core[k] = self._core_start(a, b)
        return hit

    def _core_start(self, a: Mention, b: Mention) -> int:
        raw = self.text[a.end : b.start]
        paren = re.match(r"\s*\([^()]*\)", raw)
        if paren:  # "Foo (Фу) is the owner of": the parenthesis names a again
            return a.end + paren.end()
        m = re.match(r"\s*,\s*(?:a|an|which|who|whose|one of|itself)\b", raw)
        if m and raw.count(",") >= 2:
            last = raw.rfind(",")
            if re.match(r",\s*(?:[a-z]+\s+){0,3}?[a-z]+(?:ed|s)?\b", raw[last:]):
                return a.end + last + 1
        return a.end

    def between(self, a: Mention, b: Mention) -> str:
        """The words linking ``a`` to ``b``, without a descriptor glued to ``b`` ("... to Oslo-based B").

        Memoised per pair: every rule asks for the same pairs.
        """
        k = (id(a), id(b))
        hit = self._between.get(k)
        if hit is not None:
            return hit
        raw = self.text[self.core_start(a, b) : b.start]
        d = _TRAILING_DESCRIPTOR.search(raw, max(0, len(raw) - 80))
        out = raw[: d.start()] if d else raw
        self._between[k] = out
        return out

    def after(self, m: Mention) -> str:
        """The rest of the sentence after ``m``, at most :data:`WINDOW` characters of it."""
        return self.text[m.end : min(self.end, m.end + WINDOW)]

    def before(self, m: Mention) -> str:
        """The sentence before ``m``, at most :data:`WINDOW` characters of it."""
        return self.text[max(self.start, m.start - WINDOW) : m.start]

    def pairs(self) -> Iterator[tuple[Mention, Mention]]:
        """Ordered pairs (a before b) of mentions of different parties, nearest first.

        Only pairs at most :data:`WINDOW` characters and :data:`MAX_BACK`
        mentions apart: every rule reads a bounded phrase between the two,
        and this keeps a sentence holding a list of thousands of names linear.
        """
        ms = self.mentions
        for j in range(len(ms)):
            if j % 64 == 63:
                budget.check("reading relations", ms[j].start)
            for i in range(j - 1, max(-1, j - 1 - MAX_BACK), -1):
                if ms[j].start - ms[i].end > WINDOW:
                    break
                if ms[i].party != ms[j].party and ms[i].end <= ms[j].start:
                    yield ms[i], ms[j]

    def inside(self, a: Mention, b: Mention) -> list[Mention]:
        start = self.core_start(a, b)
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, b.start)
        return [m for m in self.mentions[lo:hi] if m.end <= b.start]

    def in_appositive(self, a: Mention) -> bool:
        """``a`` sits in a ", a firm that ... a," clause describing an earlier mention."""
        before = self.text[self.start : a.start]
        comma = before.rfind(",")
        if comma < 0:
            return False
        return bool(re.match(r",\s*(?:a|an|which|who|whose)\b", before[comma:])) and any(
            m.end <= self.start + comma for m in self.mentions
        )


Rule = Callable[[SentenceContext], Iterator[Relation]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a relation rule under ``name``."""

    def deco(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return deco


# -- shared helpers -------------------------------------------------------------


def _negated(text: str) -> bool:
    return bool(lexicon().negation_re.search(text))


@lru_cache(maxsize=256)
def _hedge(sentence: str) -> str | None:
    """Cached: every relation of a sentence asks about the same sentence."""
    m = lexicon().hedge_re.search(sentence)
    return m.group(1).lower() if m else None


def _finish(rel: Relation, ctx: SentenceContext, dates: bool = True) -> Relation:
    rel.hedge = _hedge(ctx.sentence)
    if rel.hedge:
        rel.confidence = HEDGED_CONFIDENCE
    if dates:
        _add_dates(rel, ctx.sentence)
    return rel


def _add_dates(rel: Relation, text: str) -> None:
    period = _first_period(text)
    if period is not None:
        rel.add("startDate", period[0])
        rel.add("endDate", period[1])


@lru_cache(maxsize=256)
def _first_period(text: str) -> tuple[str, str | None] | None:
    """The first date or period of ``text`` that is not a birth date (cached per sentence)."""
    for m in DATE_RE.finditer(text):
        if re.search(r"\b(?:born|b\.|birth|aged|died)\s*(?:on|in)?\s*$", text[max(0, m.start() - 14) : m.start()], re.I):
            continue  # a birth date is not the date of the relation
        period = period_from_match(m)
        if period is None:
            continue
        return period.start, period.end
    return None


def _subject_ok(ctx: SentenceContext, a: Mention, b: Mention) -> bool:
    """``a`` can be the subject of a verb that sits between ``a`` and ``b``."""
    between = ctx.between(a, b)
    if re.match(r"\s*(?:and|or)\b", between):
        return False  # "X and Y are owned by": handled as a coordination, not a pair
    if ";" in between:
        return False
    raw = ctx.text[a.end : b.start]
    if ctx.in_appositive(a) and "," in raw:
        return False  # a sits in a clause describing someone else, closed before the verb
    if re.match(r"\s*,\s*(?:a|an|the|which|who|that)\b", raw):
        return True  # "..., by Foo, a company owned by": the appositive describes a itself
    before = ctx.text[max(ctx.start, a.start - 12) : a.start]
    if re.search(r"\b(?:of|with|from|to|for|by|at|in|on|and|than|about|including|between|among|via|through|against|after|before)\s+(?:the\s+)?$", before, re.IGNORECASE):
        return False  # a is the object of a preposition
    return True


def _no_party_between(ctx: SentenceContext, a: Mention, b: Mention) -> bool:
    return not [m for m in ctx.inside(a, b) if m.party not in (a.party, b.party)]


_GAP = r"[^;]{0,160}?"
_TRAILING_DESCRIPTOR = re.compile(r"(?<=\s)(?:[A-Z][\w.]*\s+)?[\w.]+-(?:based|owned|run|controlled|registered|headquartered)\s+$")
#: Words that describe a party before its name without being part of it: "Washington-based", "state-owned".
_DESCRIPTOR = r"(?:(?:[A-Z][\w.]*\s+)?[\w.]+-(?:based|owned|run|controlled|registered|headquartered)\s+)?"

# -- ownership ------------------------------------------------------------------

_PCT = r"(?:\d{1,3}(?:\.\d+)?\s?(?:%|percent|per cent)|half|one[- ]third|two[- ]thirds|a quarter)"
_OWNED_BY = re.compile(
    rf"{_GAP}\b(?:is|was|are|were|has been|had been|being|remains|,)?\s*"
    rf"(?P<pct>{_PCT})?[-\s]*(?P<kind>wholly|fully|majority|minority|partly|jointly|ultimately|indirectly|"
    rf"directly|solely|partially|beneficially)?[-\s]*owned\s+(?:[\w-]+\s+){{0,2}}?by\s+(?:[\w-]+\s+){{0,3}}?",
    re.IGNORECASE,
)
_OWNS = re.compile(
    r"\s*,?\s*(?:which|who)?\s*(?:also\s+|now\s+|still\s+|reportedly\s+|jointly\s+)?"
    r"(?P<verb>owns|owned|holds|held|has held|acquired|bought|took over|took control of)\s+"
    rf"(?P<share>(?:a|an|the|its|his|her)?\s*(?:(?:{_PCT})|majority|minority|controlling|stake|share|interest|"
    r"shares|equity|\s)*(?:stake|share|shares|interest|equity)?\s*(?:in|of)?)\s*(?:the\s+)?",
    re.IGNORECASE,
)
_SHAREHOLDER_OF = re.compile(
    r"\s*,?\s*(?:who|which)?\s*(?:is|was|became|remains|,)?\s*(?:also\s+)?(?:the\s+|a\s+|an\s+)?(?:former\s+)?"
    r"(?P<kind>sole|majority|main|principal|largest|ultimate|beneficial|controlling|minority)?\s*"
    r"(?P<noun>shareholder|owner|co-owner|beneficial owner|parent company|parent|founder and owner|owner and founder)"
    r"\s+(?:of|in)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_SUBSIDIARY_OF = re.compile(
    r"\s*,?\s*(?:which is|is|was|,)?\s*(?:a|an|the)\s+(?P<kind>wholly[- ]owned|majority[- ]owned)?\s*subsidiary\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
_POSS_OWNER = re.compile(
    r"['’]s?\s+(?P<kind>sole|majority|main|ultimate|beneficial)?\s*(?P<noun>owner|shareholder|parent company|parent)\s*,?\s*",
    re.IGNORECASE,
)
_SHARES_BELONG = re.compile(r"\s+(?:belong|belongs|belonged|are held by|is held by|were held by|went)\s+(?:to\s+)?(?:the\s+)?", re.I)
_SHARES_IN = re.compile(r"(?:\b[\w.%-]+\s+(?:of\s+)?(?:the\s+)?)?(?:shares|stake|equity|interest)\s+(?:in|of)\s+(?:the\s+)?$", re.I)
_POSS_SUBSIDIARY = re.compile(r"['’]s?\s+(?:\w+\s+)?subsidiary\s*,?\s*", re.IGNORECASE)


def _ownership(ctx: SentenceContext, owner: Mention, asset: Mention, text: str, rule_name: str,
               kind: str | None = None, pct_text: str | None = None) -> Relation | None:
    """``pct_text``: the percentage the pattern tied to this owner, when it found one (else the first in ``text``)."""
    if _negated(text):
        return None
    rel = Relation("Ownership", owner, asset, (ctx.start, ctx.end), rule_name)
    pct = parse_percentage(pct_text) if pct_text else parse_percentage(text)
    if pct is not None:
        rel.add("percentage", format_percentage(pct))
    if kind:
        kind = kind.lower().replace("-", " ")
        if kind in ("majority", "minority", "sole", "wholly", "fully", "beneficial", "ultimate", "controlling",
                    "indirectly", "directly", "jointly", "ultimately", "beneficially"):
            rel.add("ownershipType", kind if kind not in ("wholly", "fully") else "sole")
        if kind in ("sole", "wholly", "fully") and pct is None:
            rel.add("percentage", "100")
    return _finish(rel, ctx)


@rule("ownership")
def ownership(ctx: SentenceContext) -> Iterator[Relation]:
    done: set[tuple[int, int]] = set()
    used: set[int] = set()  # an "owned by X" phrase names the owner of one asset
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        key = (a.party, b.party)
        m = _OWNED_BY.fullmatch(between)
        if m and id(b) not in used and _subject_ok(ctx, a, b) and (b.party, a.party) not in done:
            used.add(id(b))
            # "A is 30% owned by B and 25% owned by C": each owner with the share next to it
            rel = _ownership(ctx, b, a, between, "owned-by", m.group("kind"), m.group("pct"))
            if rel:
                done.add((b.party, a.party))
                yield rel
            continue
        if not _no_party_between(ctx, a, b) or key in done:
            continue
        if _SHARES_BELONG.fullmatch(between):
            lead = _SHARES_IN.search(ctx.before(a)[-120:])
            if lead:  # "half of the shares in A belong to B"
                rel = _ownership(ctx, b, a, lead.group(0) + between, "shares-belong")
                if rel:
                    done.add((b.party, a.party))
                    yield rel
                continue
        for pattern, owner_first in ((_OWNS, True), (_SHAREHOLDER_OF, True), (_SUBSIDIARY_OF, False),
                                     (_POSS_OWNER, False), (_POSS_SUBSIDIARY, True)):
            m = pattern.fullmatch(between)
            if not m:
                continue
            if pattern is _OWNS and not (m.group("verb").lower() in ("owns", "owned", "holds", "held", "has held")
                                         or re.search(r"stake|share|interest|equity|%|percent", between, re.I)):
                continue
            owner, asset = (a, b) if owner_first else (b, a)
            kind = m.groupdict().get("kind")
            rel = _ownership(ctx, owner, asset, between, pattern is _OWNS and "owns" or "shareholder", kind)
            if rel:
                done.add((owner.party, asset.party))
                yield rel
            break


# -- control ----------------------------------------------------------------------

_CONTROLLED_BY = re.compile(
    rf"{_GAP}\b(?:is|was|are|were|has been|being|remains|,)?\s*(?:\w+\s+)?(?P<verb>controlled|run|managed|operated)\s+by\s+(?:the\s+)?",
    re.IGNORECASE,
)
_CONTROLS = re.compile(
    r"\s*,?\s*(?:which|who|that)?\s*(?:also\s+|effectively\s+|now\s+|still\s+)?"
    r"(?P<verb>controls|controlled|manages|managed|operates|operated|runs|ran)\s+(?:the\s+)?",
    re.IGNORECASE,
)


@rule("control")
def control(ctx: SentenceContext) -> Iterator[Relation]:
    used: set[int] = set()
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        by = _CONTROLLED_BY.fullmatch(between)
        if by and id(b) not in used and _subject_ok(ctx, a, b):
            used.add(id(b))
            if not _negated(between):
                yield _finish(Relation("Control", b, a, (ctx.start, ctx.end), "controlled-by:" + by["verb"].lower()), ctx)
            continue
        verb = _CONTROLS.fullmatch(between)
        if verb and _no_party_between(ctx, a, b) and _subject_ok(ctx, a, b):
            if not _negated(between):
                yield _finish(Relation("Control", a, b, (ctx.start, ctx.end), "controls:" + verb["verb"].lower()), ctx)


# -- directorship / employment ---------------------------------------------------------


@cache
def _role_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    roles = lexicon().role_re
    person_org = re.compile(
        r"\s*,?\s*(?:who\s+is\s+|who\s+was\s+|who\s+became\s+|is\s+|was\s+|became\s+|has been\s+|had been\s+|"
        r"serves as\s+|served as\s+|acts as\s+|acted as\s+|was appointed\s+(?:as\s+)?|has been appointed\s+(?:as\s+)?)?"
        r"(?:also\s+)?(?:the\s+|a\s+|an\s+|its\s+)?(?P<prefix>former\s+|then\s+|current\s+|acting\s+|new\s+|longtime\s+)?"
        rf"(?P<role>{roles})\s+(?:of|at|for|in|with)\s+(?:the\s+)?{_DESCRIPTOR}",
        re.IGNORECASE,
    )
    org_person = re.compile(
        rf"(?:['’]s?)?\s+(?P<prefix>former\s+|then\s+|current\s+|acting\s+|new\s+)?(?P<role>{roles})\s*,?\s*",
        re.IGNORECASE,
    )
    verb = re.compile(
        r"\s*,?\s*(?:who\s+)?(?:also\s+|now\s+|currently\s+|previously\s+|formerly\s+)?"
        r"(?P<verb>heads|headed|leads|led|founded|co-founded|chairs|chaired|directs|directed|runs|ran)\s+(?:the\s+)?",
        re.IGNORECASE,
    )
    by = re.compile(
        rf"{_GAP}\b(?:is|was|are|were|has been|had been|,)?\s*(?:also\s+|now\s+|currently\s+|previously\s+)?"
        r"(?P<verb>headed|led|founded|co-founded|chaired|co-chaired|co-led|co-headed|directed|run)\s+by\s+(?:the\s+)?",
        re.IGNORECASE,
    )
    works = re.compile(
        r"\s*,?\s*(?:who\s+)?(?:had\s+|has\s+)?(?P<when>previously\s+|formerly\s+|once\s+|still\s+|now\s+|currently\s+|later\s+)?"
        r"(?P<verb>works|worked|has worked|had worked|is employed|was employed|was hired)\s+(?:\w+\s+)?(?:at|for|by)\s+(?:the\s+)?",
        re.IGNORECASE,
    )
    return person_org, org_person, verb, works, by


_VERB_ROLES = {"heads": "head", "headed": "head", "leads": "head", "led": "head", "founded": "founder", "run": "head",
               "co-founded": "co-founder", "chairs": "chairman", "chaired": "chairman", "directs": "director",
               "co-chaired": "co-chair", "co-led": "co-head", "co-headed": "co-head",
               "directed": "director", "runs": "head", "ran": "head"}


def _role_relation(ctx: SentenceContext, person: Mention, org: Mention, role: str, rule_name: str,
                   former: bool = False) -> Relation:
    lex = lexicon()
    schema = "Directorship" if lex.is_director_role(role) else "Employment"
    rel = Relation(schema, person, org, (ctx.start, ctx.end), rule_name)
    rel.add("role", ("former " if former else "") + role.lower())
    if former:
        rel.add("status", "former")
    person.vote("Person", 1.0)
    return _finish(rel, ctx)


@rule("role")
def roles(ctx: SentenceContext) -> Iterator[Relation]:
    person_org, org_person, verb, works, by = _role_patterns()
    seen: set[tuple[int, int]] = set()
    for a, b in ctx.pairs():
        if not _no_party_between(ctx, a, b) or (a.party, b.party) in seen or (b.party, a.party) in seen:
            continue
        between = ctx.between(a, b)
        if _negated(between):
            continue
        m = person_org.fullmatch(between)
        if m:
            seen.add((a.party, b.party))
            yield _role_relation(ctx, a, b, m.group("role"), "role-of", bool(m.group("prefix") and "former" in m.group("prefix").lower()))
            continue
        m = verb.fullmatch(between)
        if m:
            seen.add((a.party, b.party))
            yield _role_relation(ctx, a, b, _VERB_ROLES[m.group("verb").lower()], "heads")
            continue
        m = by.fullmatch(between)
        if m and _subject_ok(ctx, a, b):
            seen.add((b.party, a.party))  # "A is headed by B"
            yield _role_relation(ctx, b, a, _VERB_ROLES[m.group("verb").lower()], "headed-by")
            continue
        m = works.fullmatch(between)
        if m:
            seen.add((a.party, b.party))
            when = (m.group("when") or "").strip().lower()
            rel = Relation("Employment", a, b, (ctx.start, ctx.end), "works-at")
            rel.add("role", f"{when} {m.group('verb').lower()} at".strip() if when else "employee")
            if when in ("previously", "formerly", "once"):
                rel.add("status", "former")
            a.vote("Person", 1.0)
            yield _finish(rel, ctx)
            continue
        lead = re.search(rf"(?:the\s+)?(?P<role>{lexicon().role_re})\s+of\s+(?:the\s+)?$", ctx.before(a)[-120:], re.I)
        if lead and re.fullmatch(r"[\"»”']?\s*(?:is|was|has been)\s+", between):
            seen.add((b.party, a.party))  # "the general director of A is B"
            yield _role_relation(ctx, b, a, lead.group("role"), "role-of-is")
            continue
        m = org_person.fullmatch(between)
        if m and not ctx.text[b.end : b.end + 4].startswith(" of"):
            seen.add((b.party, a.party))
            yield _role_relation(ctx, b, a, m.group("role"), "org-role", bool(m.group("prefix") and "former" in m.group("prefix").lower()))


# -- family and associates --------------------------------------------------------------


@cache
def _kin_patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    kin, assoc = lex.kin_re, lex.assoc_re
    hedge = r"(?P<hedge>possibly|reportedly|allegedly|apparently|probably|presumably|believed to be|thought to be)?\s*"
    return {
        # X's brother Y / X's wife, Y
        "poss": re.compile(rf"['’]s?\s+{hedge}(?:former\s+|late\s+|younger\s+|elder\s+|older\s+)?(?P<rel>{kin})\s*,?\s*", re.I),
        # Y, X's brother / Y, the brother of X
        "appos_of": re.compile(rf"\s*,\s*{hedge}(?:the\s+|a\s+)?(?:former\s+|younger\s+|elder\s+|older\s+)?(?P<rel>{kin})\s+of\s+", re.I),
        # (X ...) His wife, Y
        "pron": re.compile(rf"\s+{hedge}(?:former\s+|late\s+|younger\s+|elder\s+|older\s+)?(?P<rel>{kin})\s*,?\s*", re.I),
        # X, whose brother Y / X, whose wife, Y,
        "whose": re.compile(rf"\s*,\s*whose\s+{hedge}(?:former\s+|late\s+|younger\s+|elder\s+|older\s+)?(?P<rel>{kin})\s*,?\s*", re.I),
        # X and his wife Y
        "and_his": re.compile(rf"\s+and\s+(?:his|her)\s+{hedge}(?P<rel>{kin})\s*,?\s*", re.I),
        # Y is the brother of X
        "is_of": re.compile(rf"\s+(?:is|was|is also|was also)\s+{hedge}(?:the\s+|a\s+)?(?P<rel>{kin})\s+of\s+", re.I),
        "assoc_poss": re.compile(rf"['’]s?\s+{hedge}(?:longtime\s+|close\s+|former\s+)?(?P<rel>{assoc})\s*,?\s*", re.I),
        "assoc_of": re.compile(rf"\s*,\s*{hedge}(?:a|an|the)\s+(?:longtime\s+|close\s+|former\s+)?(?P<rel>{assoc})\s+of\s+", re.I),
    }


@rule("family")
def family(ctx: SentenceContext) -> Iterator[Relation]:
    pats = _kin_patterns()
    kin = lexicon().kin_re
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        if not _no_party_between(ctx, a, b) or _negated(between):
            continue
        for name, schema, first_is_person in (
            ("pron", "Family", True), ("poss", "Family", True), ("whose", "Family", True), ("and_his", "Family", True),
            ("appos_of", "Family", False),
            ("is_of", "Family", False), ("assoc_poss", "Associate", True), ("assoc_of", "Associate", False),
        ):
            m = pats[name].fullmatch(between)
            if not m:
                continue
            if (a.source == "pronoun") != (name == "pron") and name != "poss":
                continue  # "his wife Y" only after a possessive pronoun
            if name == "pron" and a.text.lower() not in ("his", "her"):
                continue
            person, other = (a, b) if first_is_person else (b, a)
            rel = Relation(schema, person, other, (ctx.start, ctx.end), name)
            rel.add("relationship", m.group("rel").lower())
            person.vote("Person", 1.0)
            other.vote("Person", 1.0)
            rel = _finish(rel, ctx, dates=False)
            if m.group("hedge"):
                rel.hedge = m.group("hedge").lower()
                rel.confidence = HEDGED_CONFIDENCE
            yield rel
            break
    # "Y, possibly his twin brother": a pronoun right after Y's appositive comma
    for i, pron in enumerate(ctx.mentions):
        if pron.source != "pronoun" or i == 0:
            continue
        prev = ctx.mentions[i - 1]
        if prev.party == pron.party:
            continue
        gap = ctx.between(prev, pron)
        km = re.fullmatch(r"\s*,\s*(?P<hedge>possibly|reportedly|allegedly|apparently|probably|presumably)?\s*", gap)
        after = re.match(rf"\s+(?P<rel>{kin})\b", ctx.text[pron.end : pron.end + 40], re.I)
        if km and after:
            rel = Relation("Family", pron, prev, (ctx.start, ctx.end), "appos-pronoun")
            rel.add("relationship", after.group("rel").lower())
            rel = _finish(rel, ctx, dates=False)
            if km.group("hedge"):
                rel.hedge = km.group("hedge").lower()
                rel.confidence = HEDGED_CONFIDENCE
            prev.vote("Person", 1.0)
            yield rel


# -- representation -------------------------------------------------------------------

_ON_BEHALF = re.compile(rf"{_GAP}\b(?:on behalf of|acting for|on the instructions of|at the request of)\s+(?:the\s+)?", re.I)
_AGENT_FOR = re.compile(
    r"\s*,?\s*(?:which|who)?\s*(?:\w+ly\s+)?(?:acted|acts|served|serves|was used|is used|operated|operates|worked)?\s*"
    r"(?:as\s+)?(?:a|an|the|its|their)?\s*(?:[\w-]+\s+){0,2}?(?:purchasing|procurement|buying|sales|import|export|front|shell)?\s*"
    r"(?:agent|intermediary|representative|proxy|front company|front|middleman|broker|buyer of record)\s+(?:for|of|to)\s+(?:the\s+)?",
    re.I,
)
_USED_AS = re.compile(r"\s+(?:used|uses|relied on|relies on|hired|engaged|employed)\s+(?:the\s+)?", re.I)


@rule("representation")
def representation(ctx: SentenceContext) -> Iterator[Relation]:
    seen: set[tuple[int, int]] = set()
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        if (a.party, b.party) in seen or _negated(between):
            continue
        if _ON_BEHALF.fullmatch(between) and _subject_ok(ctx, a, b) and _no_party_between(ctx, a, b):
            seen.add((a.party, b.party))
            rel = Relation("Representation", a, b, (ctx.start, ctx.end), "on-behalf-of")
            role = re.search(r"\b(procur\w*|purchas\w*|buy\w*|bought|import\w*|acting|act\w*|order\w*)\b", between, re.I)
            rel.add("role", "purchasing agent" if role and role.group(1).lower().startswith(("procur", "purchas", "buy", "bought", "order")) else "agent")
            yield _finish(rel, ctx)
        elif _AGENT_FOR.fullmatch(between) and _no_party_between(ctx, a, b):
            seen.add((a.party, b.party))
            rel = Relation("Representation", a, b, (ctx.start, ctx.end), "agent-for")
            noun = re.search(r"(agent|intermediary|representative|proxy|front company|front|middleman|broker|buyer of record)", between, re.I)
            rel.add("role", noun.group(1).lower() if noun else "agent")
            yield _finish(rel, ctx)
        elif _USED_AS.fullmatch(between) and _no_party_between(ctx, a, b):
            after = re.match(r"\s+as\s+(?:a|an|its|their)?\s*(?:[\w-]+\s+)?(?P<role>intermediary|agent|front|proxy|middleman|broker)", ctx.text[b.end : ctx.end], re.I)
            if after:
                seen.add((a.party, b.party))
                rel = Relation("Representation", b, a, (ctx.start, ctx.end), "used-as")
                rel.add("role", after.group("role").lower())
                yield _finish(rel, ctx)


# -- payments and supplies -------------------------------------------------------------


def _money_in(text: str) -> list[tuple[str, str]]:
    out = []
    for m in MONEY_RE.finditer(text):
        money = money_from_match(m)
        if money is not None:
            out.append((money.value, money.currency))
    return out


_PAID_TO = re.compile(r"\s+(?:has\s+|had\s+)?(?:paid|transferred|wired|sent|remitted)\s+(?P<what>[^;]{0,80}?)\s*to\s+(?:the\s+)?", re.I)
_PAID = re.compile(r"\s+(?:has\s+|had\s+)?(?:paid|transferred|wired)\s+(?:the\s+)?", re.I)
_RECEIVED_FROM = re.compile(r"\s+(?:has\s+|had\s+)?(?:received|got|was paid)\s+(?P<what>[^;]{0,80}?)\s*from\s+(?:the\s+)?", re.I)


_PAYMENTS_BACK = re.compile(r"\W*(?:the|these|those|such|this|that|all|both)\s+(?:[\w-]+\s+){0,2}?"
                            r"(?:payments?|transfers?|wires?|remittances?|transactions?|sums?)\b", re.I)


def payment_totals(text: str, sentences: list[tuple[int, int]], relations: list[Relation]) -> None:
    """A payment's amount stated in the next sentence ("X received payments from Y. The payments totalled EUR 2m").

    Analysts read the sum onto the payment just described; a sentence that opens on "the payments" with
    one amount and no payment of its own is that payment's total (and its date when the first had none).
    """
    starts = [a for a, _ in sentences]
    own = {r.sentence for r in relations if r.schema == "Payment"}
    for rel in relations:
        if rel.schema != "Payment" or "amount" in rel.props:
            continue
        i = bisect.bisect_right(starts, rel.sentence[0])
        if i >= len(sentences) or sentences[i] in own:
            continue
        after = text[slice(*sentences[i])]
        money = _money_in(after)
        if _PAYMENTS_BACK.match(after) and len(money) == 1:
            rel.add("amount", money[0][0])
            rel.add("currency", money[0][1])
            if "startDate" not in rel.props:
                _add_dates(rel, after)


@rule("payment")
def payment(ctx: SentenceContext) -> Iterator[Relation]:
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        if not _no_party_between(ctx, a, b) or _negated(between):
            continue
        payer = beneficiary = None
        amount_text = ""
        m = _PAID_TO.fullmatch(between)
        if m and _money_in(m.group("what")):
            payer, beneficiary, amount_text = a, b, m.group("what")
        elif _PAID.fullmatch(between) and _money_in(ctx.after(b)[:60]):
            payer, beneficiary, amount_text = a, b, ctx.after(b)[:60]
        else:
            m = _RECEIVED_FROM.fullmatch(between)
            if m and _money_in(m.group("what")):
                payer, beneficiary, amount_text = b, a, m.group("what")
            elif re.fullmatch(r"\s+to\s+(?:the\s+)?", between) and re.search(
                r"payments?\s+of\s+[^;]{1,40}?\s+from\s+(?:the\s+)?$", ctx.before(a), re.I
            ):
                payer, beneficiary, amount_text = a, b, ctx.before(a)[-60:]
        if payer is None or beneficiary is None:
            continue
        rel = Relation("Payment", payer, beneficiary, (ctx.start, ctx.end), "paid")
        money = _money_in(amount_text)
        if money:
            rel.add("amount", money[0][0])
            rel.add("currency", money[0][1])
        yield _finish(rel, ctx)


_SUPPLY_VERBS = (
    r"supplied|supplies|supply|supplying|shipped|ships|ship|shipping|sold|sells|sell|selling|delivered|delivers|"
    r"deliver|delivering|exported|exports|export|exporting|provided|provides|provide|providing|re-exported"
)
_BUY_VERBS = (
    r"bought|buys|buy|buying|purchased|purchases|purchase|purchasing|imported|imports|import|importing|ordered|"
    r"orders|order|procured|procures|procure|procuring|received|receives|obtained|sourced|acquired"
)
_SUPPLY_TO = re.compile(rf"(?P<left>{_GAP})\b(?P<verb>{_SUPPLY_VERBS})\b(?P<goods>[^;]{{0,140}}?)\s+to\s+(?:the\s+)?", re.I)
_SUPPLY_WITH = re.compile(rf"(?P<left>{_GAP})\b(?P<verb>supply|supplying|supplied|supplies|provide|providing|provided|equip|equipping|equipped)\s+(?:the\s+)?", re.I)
_CONTRACT_WITH = re.compile(rf"(?P<left>{_GAP})\b(?:contract\w*|agreement|deal|signed)\s+(?:[\w-]+\s+){{0,3}}?with\s+(?:the\s+)?", re.I)
_BUY_FROM = re.compile(rf"(?P<left>{_GAP})\b(?P<verb>{_BUY_VERBS})\b(?P<goods>[^;]{{0,140}}?)\s+from\s+(?:the\s+)?", re.I)
_SUPPLIER_OF = re.compile(r"\s*,?\s*(?:is|was|a|an|the|its|their|,|\s)*(?:main\s+|key\s+|major\s+)?(?:supplier|vendor|exporter)\s+(?:of\s+[^;]{0,40}?\s+)?(?:to|of|for)\s+(?:the\s+)?", re.I)
_POSS_SUPPLIER = re.compile(r"['’]s?\s+(?:main\s+|key\s+|major\s+)?(?:supplier|vendor)\s*,?\s*", re.I)
_BREAKDOWN = re.compile(
    rf"(?P<money>(?:{MONEY_RE.pattern}))\s+(?:worth\s+)?(?:of|in)\s+(?P<goods>[a-z][\w\s-]{{2,50}}?)(?=,|;|\.|\s+and\b|\s+in\b|$)",
    re.I,
)


def _clean_goods(text: str) -> str:
    text = MONEY_RE.sub(" ", text)
    text = DATE_RE.sub(" ", text)
    filler = r"to|the|a|an|some|about|around|at least|as many as|more than|worth|of|in|on|for|during|between|since|by|and"
    previous = None
    while previous != text:
        previous = text
        text = re.sub(rf"\s+(?:{filler})\s*$", "", " " + text.strip(" ,.-"), flags=re.I).strip()
        text = re.sub(rf"^(?:{filler})\s+", "", text.strip(" ,.-"), flags=re.I)
    text = re.sub(r"\s+", " ", text).strip(" ,.-")
    return text if re.search(r"[a-z]", text) else ""


def _payment_only(goods: str) -> bool:
    """The object of the verb is an amount of money (or "payments", "funds") and nothing else."""
    if re.fullmatch(r"\s*(?:the\s+|a\s+|several\s+|regular\s+|large\s+)?(?:payments?|funds?|money|cash|wire transfers?"
                    r"|transfers?|loans?|proceeds|fees?)\s*", goods, re.IGNORECASE):
        return True
    return bool(_money_in(goods)) and not _clean_goods(goods)


def _supply(ctx: SentenceContext, sender: Mention, receiver: Mention, goods: str, scope: str, rule_name: str) -> Relation:
    rel = Relation("EconomicActivity", sender, receiver, (ctx.start, ctx.end), rule_name)
    rel.add("goodsDescription", _clean_goods(goods))
    money = _money_in(scope)
    if money:
        rel.add("customsAmount", money[0][0])
        rel.add("description", f"currency: {money[0][1]}")
    sender.vote("Company", 0.5)
    return _finish(rel, ctx)


@rule("supply")
def supply(ctx: SentenceContext) -> Iterator[Relation]:
    seen: set[tuple[int, int]] = set()
    for a, b in ctx.pairs():
        between = ctx.between(a, b)
        pair = (a.party, b.party)
        if pair in seen or (b.party, a.party) in seen or not _no_party_between(ctx, a, b):
            continue
        after = ctx.after(b)
        m = _SUPPLY_TO.fullmatch(between)
        if m and _payment_only(m.group("goods")):
            m = None  # "sent $5 million to": a payment
        if m and _subject_ok(ctx, a, b) and not _negated(between):
            seen.add(pair)
            yield _supply(ctx, a, b, m.group("goods"), m.group("goods") + after, "supplied-to")
            continue
        m = _BUY_FROM.fullmatch(between)
        if m and _payment_only(m.group("goods")):
            m = None  # "received $2 million from": a payment
        if m and _subject_ok(ctx, a, b) and not _negated(between):
            seen.add(pair)
            yield _supply(ctx, b, a, m.group("goods"), m.group("goods") + after, "bought-from")
            continue
        m = _SUPPLY_WITH.fullmatch(between)
        w = re.match(r"\s+with\s+(?P<goods>[^,;.]{3,100})", after)
        if m and w and _subject_ok(ctx, a, b) and not _negated(m.group("left")):
            seen.add(pair)
            yield _supply(ctx, a, b, w.group("goods"), after, "supply-with")
            continue
        m = _CONTRACT_WITH.fullmatch(between)
        c = re.match(r"\s+to\s+(?:supply|deliver|sell|provide|ship)\b(?P<rest>[^;]*)", after, re.I)
        if m and c and _subject_ok(ctx, a, b) and not _negated(m.group("left")):
            seen.add(pair)
            rest = c.group("rest")
            g = re.search(r"\bwith\s+(?P<goods>[^,;.]{3,100})", rest)
            yield _supply(ctx, a, b, g.group("goods") if g else rest, after, "contract-to-supply")
            continue
        if _SUPPLIER_OF.fullmatch(between) and not _negated(between):
            seen.add(pair)
            yield _supply(ctx, a, b, "", after, "supplier-of")
            continue
        if _POSS_SUPPLIER.fullmatch(between):
            seen.add(pair)
            yield _supply(ctx, b, a, "", after, "poss-supplier")


@rule("supply-breakdown")
def supply_breakdown(ctx: SentenceContext) -> Iterator[Relation]:
    """"including $3 million of motors and $1 million of batteries": one flow per category."""
    flows = list(supply(ctx))
    if len(flows) != 1:
        return
    base = flows[0]
    parts = list(_BREAKDOWN.finditer(ctx.sentence))
    if len(parts) < 2:
        return
    for part in parts:
        m = MONEY_RE.match(part.group("money"))
        money = money_from_match(m) if m else None
        if money is None:
            continue
        rel = Relation("EconomicActivity", base.source, base.target, base.sentence, "breakdown")
        rel.add("goodsDescription", part.group("goods").strip())
        rel.add("customsAmount", money.value)
        rel.add("description", f"currency: {money.currency}")
        yield _finish(rel, ctx)


# -- sanctions ----------------------------------------------------------------------------

_SANCTION_VERB = r"sanctioned|designated|blacklisted|listed|added to (?:the |its |a )?[\w\s'’-]{0,40}?list"


@cache
def _sanction_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    # Any run of white space between the words of a form: names wrap across lines.
    alt = "|".join(re.escape(f).replace(r"\ ", r"\s+")
                   for f in sorted({f for a in lexicon().authorities for f in a.forms}, key=len, reverse=True))
    auth = rf"(?:the\s+)?(?P<auth>{alt})(?![\w])"
    passive = re.compile(
        rf"(?P<gap>[^;]{{0,90}}?)\b(?:was|were|is|are|has been|have been|had been|being|been|got|,)?\s*"
        rf"(?:also\s+|later\s+|subsequently\s+|itself\s+|then\s+|already\s+|previously\s+)?(?P<verb>{_SANCTION_VERB})\s+"
        rf"by\s+{auth}",
        re.I,
    )
    active = re.compile(
        rf"{auth}\)?\s+(?:has\s+|had\s+|also\s+|later\s+|today\s+)?(?:sanctioned|designated|blacklisted|imposed sanctions on|"
        rf"placed sanctions on|added)\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?$",
        re.I,
    )
    under = re.compile(rf"(?P<gap>[^;]{{0,120}}?)\bunder\s+(?:the\s+)?{auth}\s+sanctions\b", re.I)
    return passive, active, under


_PROGRAM = re.compile(
    r"\b(?:under|pursuant to)\s+(?:the\s+)?(?P<prog>(?:Executive Order|E\.O\.)\s*\d+|[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,6}\s+"
    r"(?:program|programme|regime|Regulations?|sanctions list))"
)


@rule("sanction")
def sanction(ctx: SentenceContext) -> Iterator[Relation]:
    passive, active, under = _sanction_patterns()
    lex = lexicon()
    seen: set[tuple[int, str]] = set()
    for m in ctx.mentions:
        if m.source == "authority":
            continue
        after = ctx.after(m)
        found: list[tuple[str, int, int]] = []  # (authority form, clause start, clause end)
        pm = passive.match(after)
        if pm and not _other_party(ctx, m, m.end, m.end + pm.start("verb"), coordinated=True):
            if not _negated(pm.group("gap") or ""):
                found.append((pm.group("auth"), m.end + pm.start("verb"), m.end + pm.end()))
        um = under.match(after)
        if um and not _other_party(ctx, m, m.end, m.end + um.start("auth")) and not _negated(um.group("gap")):
            found.append((um.group("auth"), m.end + um.start(), m.end + um.end()))
        lead = ctx.before(m)[-200:]
        am = active.search(lead)
        if am and not _negated(am.group(0)):
            found.append((am.group("auth"), m.start - len(lead) + am.start(), m.end))
        for form, cstart, _cend in found:
            form = " ".join(form.split())  # a name wrapped across lines
            authority = lex.authority(form)
            name = authority.name if authority else form
            if (m.party, name) in seen:
                continue
            seen.add((m.party, name))
            rel = Relation("Sanction", m, None, (ctx.start, ctx.end), "sanctioned")
            rel.add("authority", name)
            if authority and authority.country:
                rel.add("country", authority.country)
            prog = _PROGRAM.search(ctx.text[cstart : min(ctx.end, cstart + WINDOW)])
            if prog:
                rel.add("program", prog.group("prog"))
            rel = _finish(rel, ctx, dates=False)
            _add_dates(rel, ctx.text[cstart : min(ctx.end, cstart + WINDOW)] + " " + ctx.sentence)
            yield rel


_COORDINATION = re.compile(r"(?:\s*(?:,|;|&|\band\b|\bor\b|\bas well as\b)\s*\x00)+\s*,?\s*"
                           r"(?:(?:was|were|is|are|has been|have been|had been|been|being|got)\b\s*)?"
                           r"(?:(?:also|later|subsequently|then|already|previously|all|both)\s+)?", re.I)


# -- facts about one party --------------------------------------------------------------

_INCORPORATED = re.compile(
    r"(?P<gap>\s*(?:\([^)]{0,60}\)\s*)?(?:,[^,;]{0,80},\s*)?(?:,\s*(?:which|that)\s+)?)"
    r"(?:was|is|had been|has been|were)\s+(?:first\s+|originally\s+|officially\s+|only\s+)?"
    r"(?:registered|incorporated|founded|established|set up|formed|created)\b"
    r"(?P<where>(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})?)"
    r"\s*,?\s+(?:in|on)\s+(?=\S)",
)


@rule("incorporation")
def incorporation(ctx: SentenceContext) -> Iterator[Relation]:
    """"X was registered / incorporated / founded in October 2022" → X's incorporationDate."""
    done: set[int] = set()
    for m in ctx.mentions:
        if m.source == "authority" or m.party in done:
            continue
        after = ctx.after(m)
        im = _INCORPORATED.match(after)
        if im is None or _negated(im.group(0)) or _other_party(ctx, m, m.end, m.end + im.start("where")):
            continue
        dm = DATE_RE.match(after, im.end())
        period = period_from_match(dm) if dm else None
        if period is None or period.end is not None:  # a season or "early 2021" is not a date to compare
            continue
        done.add(m.party)
        rel = Relation("Attribute", m, None, (ctx.start, ctx.end), "incorporated")
        rel.add("incorporationDate", period.start)
        yield _finish(rel, ctx, dates=False)


def _other_party(ctx: SentenceContext, m: Mention, start: int, end: int, coordinated: bool = False) -> bool:
    """Whether another party is named between ``start`` and ``end``.

    With ``coordinated``, parties that only extend a list with ``m`` ("A, B
    and C were designated") do not count: the verb is every one's.
    """
    others = sorted((o for o in ctx.mentions if o.party != m.party and start <= o.start < end
                     and o.source != "authority"), key=lambda o: o.start)
    if not others:
        return False
    if not coordinated:
        return True
    gap, pos = [], start
    for o in others:
        if o.start < pos:
            continue
        gap.append(ctx.text[pos:o.start])
        gap.append("\x00")
        pos = max(pos, o.end)
    gap.append(ctx.text[pos:end])
    return _COORDINATION.fullmatch("".join(gap)) is None


@rule("sanction-phrase")
def sanction_phrase(ctx: SentenceContext) -> Iterator[Relation]:
    """Sanctions worded as releases and news word them (see :mod:`redthread.extract.sanctions`)."""
    import redthread.extract.sanctions as sanctions

    seen: set[tuple[int, str]] = set()
    for target, authority, pos in sanctions.find(ctx.text, ctx.start, ctx.end, ctx.mentions, ctx.issuer):
        if (target.party, authority.name) in seen or _negated(ctx.text[max(ctx.start, pos - 40) : pos + 40]):
            continue
        seen.add((target.party, authority.name))
        rel = Relation("Sanction", target, None, (ctx.start, ctx.end), "sanction-phrase")
        rel.add("authority", authority.name)
        if authority.country:
            rel.add("country", authority.country)
        prog = _PROGRAM.search(ctx.text[pos : min(ctx.end, pos + WINDOW)])
        if prog:
            rel.add("program", prog.group("prog"))
        yield _finish(rel, ctx)


def find_relations(text: str, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[Relation]:
    """Every relation the registered rules find, sentence by sentence."""
    from redthread.extract.sanctions import issuer

    doc_issuer = issuer(text)
    ordered = sorted((m for m in mentions if m.party >= 0), key=lambda m: m.start)
    out: list[Relation] = []
    idx = 0
    for start, end in sentences:
        while idx < len(ordered) and ordered[idx].start < start:
            idx += 1
        j = idx
        inside: list[Mention] = []
        while j < len(ordered) and ordered[j].end <= end:
            inside.append(ordered[j])
            j += 1
        if not inside:
            continue
        budget.check("reading relations", start)
        ctx = SentenceContext(text, start, end, inside, doc_issuer)
        for name, fn in RULES.items():
            if name == "supply-breakdown":
                continue
            out.extend(fn(ctx))
        out.extend(supply_breakdown(ctx))
    return out
