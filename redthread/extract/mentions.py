"""Find the places in a text where a party is named.

Sources of mentions, from most to least trusted: names with a legal form
("Foo Co., Ltd.", "OOO «Foo»"), authority names from the lexicon,
introductions ("a firm called Foo"), native-script and parenthesised names,
and spaCy's PERSON/ORG entities. Each mention carries schema votes from its
own evidence (legal form, head noun, title, appositive); votes are summed per
party later, so a weak NER guess is outvoted by the document.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from redthread.extract.countries import country_code
from redthread.extract.lexicon import Lexicon, lexicon
from redthread.extract.normalize import CURRENCY_WORDS
from redthread.extract.party_types import context_type_votes
from redthread.extract.spans import SpanIndex

#: Latin letters with diacritics count ("Kuršiai Export UAB", "Şahin Makina A.Ş."): Latin-1 and Latin Extended-A.
_UP = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ\u0100-\u017f"
CAP = rf"(?:[{_UP}][{_LETTER}0-9'’&\-]*[{_LETTER}0-9]|[{_UP}])"
CYR = r"[А-ЯЁ][а-яёА-ЯЁ\-]+"
JOIN = r"(?:of|and|&|de|du|for|the|von|van|al|bin|on)"
NAME_SEQ = rf"{CAP}(?:[ \t]+(?:{JOIN}[ \t]+)?{CAP})*"
CJK = r"[\u4e00-\u9fff\u3400-\u4dbf]"

PARTY_SCHEMATA = ("Person", "Company", "Organization", "PublicBody")

#: Trust of each mention source when two overlap.
PRIORITY = {"legal": 5, "prefix": 5, "authority": 4, "intro": 4, "alias": 3, "native": 3, "facility": 2, "ner": 1, "slot": 1}


@dataclass
class Mention:
    """One place where a party is named (or referred to)."""

    start: int
    end: int
    text: str
    source: str
    votes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    alias_of: Mention | None = None  # the mention this one is a parenthesised alias of
    reference: bool = False  # "the Shenzhen firm", "he": resolved by coreference
    country: str | None = None
    party: int = -1
    ner: str | None = None  # spaCy's label, weighed per party, not per mention

    def vote(self, schema: str, weight: float) -> None:
        self.votes[schema] += weight


class Patterns:
    """Mention regexes, compiled once from the lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        self.legal = re.compile(
            rf"(?P<name>{NAME_SEQ}|{CYR}(?:[\s-]{CYR})*)(?:,)?\s+(?P<form>{lex.legal_suffix_re})(?![\w])"
        )
        # Latin "LLC"/"JSC" before a name only with quotes ("LLC «Foo»"): "JSC CEO Foo" is no company
        self.prefix = re.compile(
            rf"(?<![\w])(?:(?P<form>{lex.legal_prefix_re})\s+[«\"“](?P<q>[^»\"”\n]{{2,80}})[»\"”]"
            rf"|(?P<form2>OOO|ООО|AO|АО|ZAO|ЗАО|PAO|ПАО|OAO|ОАО|TOO|ТОО)\s+(?P<n>{NAME_SEQ}|{CYR}(?:[\s-]{CYR})*))"
        )
        nouns = lex.ref_nouns_re + "|individual|man|woman|businessman|businesswoman|person|entrepreneur"
        self.intro = re.compile(
            rf"\b(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,3}}?(?P<noun>{nouns})\s+(?:(?:called|named|known as)\s+)?"
            rf"(?P<name>{NAME_SEQ}|{CYR}(?:\s{CYR})*)"
        )
        self.facility = re.compile(r"\b(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:airport|seaport|port|bonded zone|free zone|shipyard))\b")
        self.cjk = re.compile(rf"{CJK}{{2,}}")
        self.cyrillic = re.compile(rf"{CYR}(?:\s+{CYR}){{0,2}}")
        self.alias_after = re.compile(
            rf"\s*(?:\(\s*(?:also known as |formerly |aka |a\.k\.a\. |known as |or )?(?P<p>[^()\n]{{1,80}}?)\s*\)"
            rf"|,?\s+(?:also |better |commonly )?known as\s+(?P<k>{NAME_SEQ}))"
        )
        self.title_before = re.compile(
            r"(?:\b(?:" + "|".join(re.escape(t) for t in sorted(lex.person_titles, key=len, reverse=True))
            + r")\.?\s+)$"
        )
        # the appositive's head noun is the last word before a preposition, clause word or punctuation
        # (", a family firm in Bursa" → firm, not family); ", the X airport and the company Y" is a list
        self.appositive = re.compile(
            r"^,\s+(?:a|an|the)\s+(?P<words>(?:(?!(?:and|or)\b)[\w’'-]+\s+){0,5}?)(?P<noun>(?!(?:and|or)\b)[\w-]+)"
            r"(?=\s*[,.;:()\n]|\s*$|\s+(?:in|of|with|that|which|who|whose|from|for|at|on|to|based|registered"
            r"|owned|controlled|run|linked|named|called|since|near|under|between|until|\w+ly)\b)"
        )
        self.born = re.compile(r"^\s*(?:\(|,)?\s*(?:born|b\.|aged|\d{2},)", re.IGNORECASE)
        self.acronym = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
        self.name_seq = re.compile(rf"(?<![\w-]){NAME_SEQ}(?![\w-])")
        self.slot_before = re.compile(
            r"(?:(?:owned|controlled|managed|operated|run|founded|acquired|headed)\s+by|"
            r"(?:bought|purchased|ordered|imported|procured|sourced)\b[^.;]{0,60}?\bfrom|"
            r"(?:supplied|shipped|sold|delivered|exported|paid|transferred)\b[^.;]{0,60}?\bto|"
            r"on behalf of|(?:director|owner|shareholder|head|founder|employee|subsidiary)\s+of|"
            r"(?:worked|works)\s+(?:at|for)|paid)\s+(?:the\s+)?$"
        )
        self.slot_after = re.compile(
            r"\s+(?:is|was|has|had|shipped|supplied|sold|exported|bought|purchased|ordered|imported|paid|"
            r"transferred|owns|controls|manages|operates|denied|denies|signed|acted|acts|received|delivered)\b"
            r"|,\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|supplier|manufacturer|maker|trader|wholesaler|"
            r"distributor|exporter|importer|intermediary|business|carrier|operator|group)\b"
        )


@cache
def patterns() -> Patterns:
    return Patterns(lexicon())


@lru_cache(maxsize=16384)
def _is_country(text: str) -> bool:
    return country_code(text) is not None


@cache
def _stop_caps() -> frozenset[str]:
    return frozenset(lexicon().data["stop_caps"])


@cache
def _lead_titles() -> frozenset[str]:
    return frozenset(lexicon().data.get("name_lead_titles", ()))


@cache
def _office_context() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A public office's title right after a name ("Administrative Law Judge") and its "of" right before one."""
    # public offices only: "Gazprom Chairman Alexei Miller" keeps Gazprom
    after = re.compile(r"\s+(?:Judge|Secretary|Undersecretary|Minister|Attorney\s+General|Ambassador)\b")
    before = re.compile(r"\b(?:Secretary|Under\s+Secretary|Undersecretary|Minister|Attorney\s+General)\s+(?:of|for)"
                        r"\s+(?:the\s+)?$")
    return after, before


@cache
def _role_lead() -> re.Pattern[str]:
    """A leading "CEO of " / "General Director of " inside a name match."""
    return re.compile(rf"(?:(?:former|deputy|acting)\s+)?(?:{lexicon().role_re})\s+(?:of|at)\s+(?:the\s+)?", re.I)


@cache
def _titled_name() -> re.Pattern[str]:
    """A personal name followed by an office title: "Jane Q. Roe, Deputy Secretary of ..."."""
    data = lexicon().data["official_titles"]

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    title = rf"(?:(?:{alt(data['modifiers'])})\s+)*(?:{alt(data['titles'])})"
    return re.compile(rf"(?<![\w.])(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){{1,2}})"
                      rf",\s+(?:the\s+|a\s+|an\s+)?(?:former\s+)?{title}\s+(?:of|for|at)\s+(?:the\s+)?[A-Z]")


@cache
def _instrument_heads() -> frozenset[str]:
    return frozenset(lexicon().data["instrument_heads"])


@cache
def _name_adjectives() -> frozenset[str]:
    return frozenset(lexicon().data["name_adjectives"])


def _names_a_body(rest: str) -> bool:
    """The words after a leading adjective hold a body's head noun (Division, Bank, Ministry...)."""
    lex = lexicon()
    words = set(rest.split())
    return bool(words & (lex.public_body_words | lex.organization_words | lex.company_words)) or bool(
        words & set(lex.data["body_heads"]))


#: "-based " and its kin after a place name that describes the party named next.
_BASED = re.compile(r"-(?:based|headquartered|registered|incorporated|designated|sanctioned|listed|blacklisted)\b\s*")

_STRIP_TAIL = re.compile(r"(?:['’]s?|[,;:])$")


def trim(text: str, start: int) -> tuple[str, int, str | None]:
    """Strip leading stop words, possessive GPEs and demonyms; returns (text, start, country)."""
    stops = _stop_caps()
    demonyms: dict[str, str] = lexicon().data["demonyms"]
    country: str | None = None
    changed = True
    while changed:
        changed = False
        m = re.match(r"^(\S+?)(['’]s)?\s+", text)
        if not m:
            break
        word = m.group(1)
        if m.group(2) and (_is_country(word) or word in stops):
            country = country_code(word) or country
        elif word in demonyms and len(text.split()) > 1:
            country = demonyms[word]
        elif word in _name_adjectives() and _names_a_body(text[m.end():]):
            break  # "National Security Division", "Central Bank of X": the adjective is part of the name
        elif word in stops or word.lower() == "the" or (word in _lead_titles() and len(text.split()) > 1):
            pass  # "ALJ Cantrell", "Defendant JANE ROE": a title before a name is not part of it
        else:
            break
        start += m.end()
        text = text[m.end():]
        changed = True
    role = _role_lead().match(text)
    if role and role.end() < len(text):
        start += role.end()
        text = text[role.end():]
    while True:
        m2 = _STRIP_TAIL.search(text)
        if not m2 or len(text) <= 2:
            break
        text = text[: m2.start()]
    return text, start, country


def _head_votes(mention: Mention, lex: Lexicon) -> None:
    tokens = mention.text.replace(",", " ").split()
    if not tokens:
        return
    if any(t in lex.public_body_words for t in tokens):
        mention.vote("PublicBody", 3.0)
    elif any(t in lex.organization_words for t in tokens):
        mention.vote("Organization", 3.0)
    elif any(t in lex.company_words for t in tokens):
        mention.vote("Company", 2.0)
    if re.search(r"(?:вич|вна|ович|евич|овна|евна)\b", mention.text):
        mention.vote("Person", 4.0)
    if 2 <= len(tokens) <= 3 and all(t.isalpha() and t[0].isupper() and not t.isupper() for t in tokens) and re.search(
        r"(?:ov|ev|yev|in|ova|eva|ina|sky|skiy|skaya|enko|uk|yuk|ich|vich|ovich|ovna|evna)$", tokens[-1]
    ) and not any(t in lex.company_words or t in lex.organization_words for t in tokens):
        mention.vote("Person", 1.5)  # Slavic surname endings


def _context_votes(text: str, mention: Mention, p: Patterns, lex: Lexicon) -> None:
    before = text[max(0, mention.start - 30) : mention.start]
    after = text[mention.end : mention.end + 80]
    if p.title_before.search(before):
        mention.vote("Person", 3.0)
    if p.born.search(after):
        mention.vote("Person", 3.0)
    based = re.match(r"\s*(?:\([^)]*\))?,\s+(?:a|an|the)\s+([A-Z][\w ]*?)-based\b", after)
    if based and _is_country(based.group(1)):
        mention.country = country_code(based.group(1))
    m = p.appositive.search(after)
    if m:
        noun = m.group("noun").lower()
        words = m.group("words").lower()
        if noun in lex.company_nouns or re.search(r"-based$", words.strip()):
            mention.vote("Company", 2.0)
        elif noun in lex.organization_nouns:
            mention.vote("Organization", 2.0)
        elif noun in lex.public_body_nouns:
            mention.vote("PublicBody", 2.0)
        elif noun in lex.person_nouns:
            mention.vote("Person", 2.0)
    if re.match(r"^\s+(?:shipped|supplied|exported|manufactures|produces|sells|sold|imported)\b", after):
        mention.vote("Company", 1.0)
    if re.match(r"^[’']s\s+(?:brother|sister|wife|husband|son|daughter|father|mother|twin)\b", after):
        mention.vote("Person", 3.0)


NerFn = Callable[[list[tuple[int, int]]], list[tuple[int, int, str]]]


def find_mentions(text: str, ner: NerFn | list[tuple[int, int, str]], skip: list[tuple[int, int]],  # noqa: C901, PLR0915 — one pass over the name patterns, a few lines per kind of candidate
                  sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Party mentions in ``text``; ``skip`` spans are ignored.

    ``ner`` is spaCy's (start, end, label) list, or a function that runs NER
    over given (start, end) spans: then only sentences with a capitalised
    name that the patterns have not already explained go through the model,
    which is what keeps the extractor fast.
    """
    lex = lexicon()
    p = patterns()
    found: list[Mention] = []

    def add(start: int, end: int, source: str, schema: str | None = None, weight: float = 0.0) -> Mention | None:  # noqa: C901 — the closure that weighs one candidate against the kinds found before it
        raw = text[start:end]
        if source == "ner" and lex.authority(raw) is not None and not any(
            w in lex.public_body_words for w in raw.split()
        ):
            return None  # "European Union", "UK": countries acting as authorities are not parties
        if source == "legal":
            head, sep, tail = raw.rpartition(" and ")
            if sep and len(tail.split()) >= 3:
                if p.legal.fullmatch(head):  # "Foo Ltd and Bar LLC": two companies, both named
                    add(start, start + len(head), "legal", schema, weight)
                start += len(head) + len(sep)
                raw = tail
        based = _BASED.search(raw)
        if based:  # "Hong Kong-based Foo Ltd", "OFAC-designated Foo Ltd": a descriptor, not part of the name
            country = country_code(raw[: based.start()])
            start += based.end()
            raw = raw[based.end():]
            if not raw.strip():
                return None
            mention = add(start, start + len(raw), source, schema, weight)
            if mention is not None and country and not mention.country:
                mention.country = country
            return mention
        if _BASED.match(text, end):  # "Foo-based": a place, never a party
            return None
        poss = re.search(r"['’]s\s+(?=[A-Z])", raw) if source != "authority" else None
        if poss:  # "the Justice Department's National Security Division": two bodies, the owner first
            head = raw[: poss.start()]
            if any(w in lex.public_body_words for w in head.split()) or lex.authority(head) is not None:
                add(start, start + len(head), source, schema, weight)
                division = add(start + poss.end(), start + len(raw), source, schema, weight)
                if division is not None:
                    division.vote("PublicBody", 2.0)  # a public body's division is a public body
                return division
        if source == "authority":
            clean, cstart, country = raw, start, None
        else:
            clean, cstart, country = trim(raw, start)
        if not clean or len(clean) < 2:
            return None
        mention = Mention(cstart, cstart + len(clean), clean, source, country=country)
        if schema and source == "ner":
            mention.ner = schema
        elif schema:
            mention.vote(schema, weight)
        if re.fullmatch(r"[A-Z][\w]*(?:-[A-Z0-9][\w]*)+", clean) and re.search(r"-[A-Z]{2,}|-(?:Invest|Trade|Group)", clean):
            mention.vote("Company", 1.5)  # "Foo-DV", "Foo-Invest": company-style compounds
        found.append(mention)
        return mention

    for m in p.legal.finditer(text):
        add(m.start(), m.end(), "legal", "Company", 5.0)
    for m in p.prefix.finditer(text):
        add(m.start(), m.end(), "prefix", "Company", 5.0)
    for m in p.intro.finditer(text):
        noun = m.group("noun").lower()
        schema = (
            "Person" if noun in ("individual", "man", "woman", "businessman", "businesswoman", "person", "entrepreneur")
            else "Organization" if noun in lex.organization_nouns
            else "PublicBody" if noun in lex.public_body_nouns
            else "Company"
        )
        add(m.start("name"), m.end("name"), "intro", schema, 3.0)
    for m in lex.authority_re.finditer(text):
        form = m.group(1)
        words = form.split()
        bodylike = (len(words) > 1 and any(w in lex.public_body_words for w in words)) or (
            p.acronym.match(form) and len(form) >= 3 and not _is_country(form)
        )
        if bodylike and form not in ("Treasury",):
            add(m.start(1), m.end(1), "authority", "PublicBody", 4.0)
    for m in p.facility.finditer(text):
        add(m.start(), m.end(), "facility", "Company", 1.0)
    for m in p.cjk.finditer(text):
        is_company = any(m.group().endswith(s) for s in lex.data["cjk_company_suffixes"])
        in_parens = text[m.start() - 1 : m.start()] in ("(", "（") and text[m.end() : m.end() + 1] in (")", "）", ",", ";")
        if is_company or in_parens:
            add(m.start(), m.end(), "native", "Company" if is_company else None, 3.0)
    for m in p.cyrillic.finditer(text):
        if len(m.group().split()) >= 2 or text[m.start() - 1 : m.start()] == "(":
            add(m.start(), m.end(), "native", None)
    _slot_candidates(text, p, add)
    for m in _HYPHENATED_GIVEN.finditer(text):  # "O Yong-ho", "Wong Ka-ming": NER misses the short family names
        add(m.start(), m.end(), "intro", "Person", 3.0)
    for m in _titled_name().finditer(text):  # "Jane Roe, Assistant Secretary of Commerce": a person
        add(m.start("name"), m.end("name"), "intro", "Person", 3.0)
    if callable(ner):
        spans = _needs_ner(text, sentences or [(0, len(text))], skip, found, p)
        ner = ner(spans)
    # NER reads an untyped slot name ("owned by Ali Kaya") for a person; its ORG label there adds
    # nothing (an untyped name is a company already) and outvotes a Slavic surname's person vote
    untyped = {(m.start, m.end) for m in found if not m.votes}
    for start, end, label in _join_split_entities(text, ner):
        if label == "ORG" and (start, end) in untyped:
            continue
        if label == "PERSON":
            add(start, end, "ner", "Person", 1.5)
        elif label == "ORG":
            add(start, end, "ner", "Company", 1.0)
        elif label == "FAC":
            words = text[start:end].split()
            if any(w in lex.company_words or w in lex.organization_words for w in words):
                add(start, end, "ner", None)
    mentions = _select(found, skip)
    _LINE_TEXT.set(text)
    mentions = [mn for mn in mentions if _plausible(mn, lex, p)]
    _add_aliases(text, mentions, p)
    for mn in mentions:
        _head_votes(mn, lex)
        _context_votes(text, mn, p, lex)
        context_type_votes(text, mn, lex)
    mentions.sort(key=lambda mn: mn.start)
    return mentions


#: A romanised East Asian name: a short family name and a hyphenated given name ("Kim Song-hun",
#: "O Yong-ho", "Wong Ka-ming"). The given name's second part is a syllable, never a descriptor
#: ("Hong Kong-based", "Saudi-led" do not match: 2-5 lowercase letters and not a participle).
_HYPHENATED_GIVEN = re.compile(
    r"(?<![\w’'-])[A-Z][a-z]{0,4}\s+[A-Z][a-z]{1,6}-(?!(?:based|owned|led|made|run|held|born|like|linked|listed|backed|"
    r"style|era|area|wide|level)\b)[a-z]{2,5}(?![\w-])"
)


def _join_split_entities(text: str, ner: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Two names of one label with a single space between are one name the model cut in two.

    The small model reads "Arkona Tezgah Sanayi" as the persons "Arkona" and "Tezgah Sanayi";
    English never puts two names side by side without a comma or a word between them.
    """
    out: list[tuple[int, int, str]] = []
    demonyms = lexicon().data["demonyms"]
    for start, end, label in sorted(ner):
        if out and out[-1][2] == "NORP" and label in ("PERSON", "ORG") and text[out[-1][1] : start] == " " \
                and " " not in text[out[-1][0] : end].replace(" ", "", 1) \
                and text[out[-1][0] : out[-1][1]] not in demonyms and not _is_country(text[out[-1][0] : out[-1][1]]):
            # "Vladyslav" (read as a nationality) + "Vlasiuk": an unfamiliar given name and its surname
            out[-1] = (out[-1][0], end, "PERSON")
        elif out and out[-1][2] == label and label in ("PERSON", "ORG") and text[out[-1][1] : start] == " " \
                and text[out[-1][1] - 1 : out[-1][1]].isalnum():  # "Irina Valko, Saltmarsh Ltd" stays two
            out[-1] = (out[-1][0], end, label)
        elif out and out[-1][2] == "ORG" and label in ("ORG", "GPE") and _continues_body(text, out[-1][1], start, label):
            out[-1] = (out[-1][0], end, "ORG")
        else:
            out.append((start, end, label))
    return [(a, _topic_end(text, b) if label == "ORG" else b, label) for a, b, label in out]


_TOPIC = re.compile(r"\s+(?:on|for)\s+((?:[A-Z][\w’'-]*)(?:\s+(?:and\s+|&\s+)?[A-Z][\w’'-]*)*)")
_DATE_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                         "february", "march", "april", "may", "june", "july", "august", "september", "october",
                         "november", "december"})


def _topic_end(text: str, end: int) -> int:
    """Where a body's name ends when its head noun takes a capitalised topic the model left out.

    "Working Group" + " on Dual-Use Exports", "Council" + " for Trade Security": the topic is part of
    the name. A date ("the Council on Monday") is not.
    """
    head = re.search(r"(\w+)$", text[max(0, end - 40) : end])
    if not head or head.group(1).lower() not in _body_heads():
        return end
    m = _TOPIC.match(text, end)
    if not m or m.group(1).split()[0].lower() in _DATE_WORDS:
        return end
    return m.end()


@cache
def _body_heads() -> frozenset[str]:
    lex = lexicon()
    return frozenset(w.lower() for w in lex.public_body_words | lex.organization_words) | {"group", "force"}


def _continues_body(text: str, end: int, start: int, label: str) -> bool:
    """The name after ``end`` is the rest of the body's name the model cut at a preposition.

    "the Office of the President of" + "Ukraine": a name never ends in a preposition; "The Working
    Group" + "on" + "Export Controls": a body's head noun takes its topic ("Council on Foreign
    Relations", "Institute for Science") as part of its name.
    """
    gap = text[end:start]
    left = text[max(0, end - 40) : end]
    if gap == " " and re.search(r"\s(?:of|on|for)$", left):
        return True
    head = re.search(r"(\w+)$", left)
    return bool(label == "ORG" and re.fullmatch(r"\s+(?:on|for|of)\s+(?:the\s+)?", gap)
                and head and head.group(1).lower() in _body_heads())


#: "Foo-DV", "Foo-Invest", "Foo-HIT": compounds that name companies, not people or places.
_COMPANY_SHAPE = re.compile(r"[A-Z][a-z]+(?:-(?:[A-Z]{2,}|Invest|Trade|Group|Service|Stroy|Tech|Avia))+")


def _needs_ner(text: str, sentences: list[tuple[int, int]], skip: list[tuple[int, int]],
               found: list[Mention], p: Patterns) -> list[tuple[int, int]]:
    """Sentences holding a capitalised name the patterns did not explain."""
    demonyms = lexicon().data["demonyms"]
    stops = _stop_caps()
    # a name found by a slot pattern alone ("owned by Ali Kaya") has no type yet: NER still reads it
    typed = [m for m in found if m.votes]
    covered = SpanIndex((m.start, m.end) for m in typed)
    skipped = SpanIndex(skip)
    known = {m.text for m in typed}
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        if skipped.covers(a):
            continue
        for m in p.name_seq.finditer(text, a, b):
            words = [
                w.group() for w in re.finditer(r"\S+", m.group())
                if not covered.covers(m.start() + w.start())
                and w.group() not in stops and w.group() not in demonyms
            ]
            if not words or " ".join(words) in known or (len(words) == 1 and _is_country(words[0])):
                continue
            # a window of context around the name is enough for the model
            ws = _word_edge(text, max(a, m.start() - NER_CONTEXT), a, back=True)
            we = _word_edge(text, min(b, m.end() + NER_CONTEXT), b, back=False)
            if out and ws <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], we))
            else:
                out.append((ws, we))
    return out


#: Characters of context on each side of a name sent to the NER model.
NER_CONTEXT = 70


def _word_edge(text: str, pos: int, limit: int, back: bool) -> int:
    """Move ``pos`` onto a word boundary, towards the name; ``limit`` (a sentence edge) stays as is."""
    if pos == limit:
        return pos
    if back:  # window start: forward to the start of the next word
        while pos < len(text) and not text[pos - 1].isspace():
            pos += 1
        return pos
    while pos > 0 and not text[pos].isspace():  # window end: back to the end of a word
        pos -= 1
    return pos


_NATIVE_AFTER = re.compile(r"\s*[(（]\s*(?:[А-ЯЁ][а-яё]|[«\"]?[А-ЯЁ]|[\u4e00-\u9fff])")
_PERSON_BEFORE = re.compile(r"\b(?:national|citizen|resident|businessman|businesswoman|entrepreneur|individual)\s+$")


def _slot_candidates(text: str, p: Patterns, add: Any) -> None:
    """Capitalised names standing where a party must stand ("owned by X", "X shipped").

    spaCy's small model misses many company names; a name in the slot of a
    relation verb, or followed by ", a company", is a party candidate.
    """
    demonyms = lexicon().data["demonyms"]
    for m in p.name_seq.finditer(text):
        a, b = m.span()
        words = m.group().split()
        if all(w in _stop_caps() or w in demonyms for w in words):
            continue
        before = text[max(0, a - 80) : a]
        shaped = len(words) == 1 and bool(_COMPANY_SHAPE.fullmatch(m.group()))
        native = bool(_NATIVE_AFTER.match(text, b))  # "Ruslan Osmonov (Руслан Осмонов)"
        person = bool(_PERSON_BEFORE.search(before)) and len(words) >= 2
        if shaped or native or person or p.slot_before.search(before) or p.slot_after.match(text, b):
            mention = add(a, b, "slot", "Person" if person else None, 2.0)
            if mention is not None and native and re.match(r"\s*\([А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна)\b", text[b : b + 60]):
                mention.vote("Person", 3.0)


def _select(found: list[Mention], skip: list[tuple[int, int]]) -> list[Mention]:
    """Keep non-overlapping mentions, preferring trusted sources, then longer spans."""
    skipped = SpanIndex(skip)
    found = [m for m in found if not skipped.covers(m.start)]
    found.sort(key=lambda m: (-PRIORITY.get(m.source, 0), -(m.end - m.start), m.start))
    chosen: list[Mention] = []
    index = SpanIndex()
    by_span: dict[tuple[int, int], Mention] = {}
    for m in found:
        clash = [by_span[s] for s in index.overlapping(m.start, m.end)]
        if not clash:
            chosen.append(m)
            index.add(m.start, m.end)
            by_span[(m.start, m.end)] = m
        else:
            for c in clash:  # the kept mention inherits the votes of what it covers
                if c.start <= m.start and m.end <= c.end:
                    for k, v in m.votes.items():
                        c.votes[k] += v * 0.5
                    if m.ner and not c.ner and (m.start, m.end) == (c.start, c.end):
                        c.ner = m.ner
    return chosen


def _plausible(m: Mention, lex: Lexicon, p: Patterns) -> bool:  # noqa: C901 — one list of independent reasons a candidate is no party, read top to bottom
    text = m.text
    if text in _stop_caps() or text.lower() in ("the", "it"):
        return False
    if m.source in ("legal", "prefix", "authority", "intro"):
        return True
    if text.split()[-1] in _instrument_heads() or text in lex.data.get("instrument_acronyms", ()):
        return False  # "Temporary Denial Order", "Entity List", "TDO": instruments, not parties
    if _is_country(text) or text in lex.data["demonyms"] or lex.authority(text) and len(text) <= 3:
        return False
    if m.source in ("ner", "slot") and text.isupper() and text.lower() in CURRENCY_WORDS:
        return False  # "paid USD 400,000 to": a currency code, not a party
    if m.source in ("ner", "slot") and _in_dateline(m):
        return False  # "ANKARA (Anadolu Wire) -": the agency that filed the story
    if m.source in ("ner", "slot") and len(text.split()) == 1 and (
        text in lex.public_body_words or text in lex.organization_words or text in lex.company_words
    ):
        return False  # "Customs records show": a capitalised common noun
    if m.source == "ner" and not re.search(r"[a-z]", text) and (" " in text or _alone_on_line(m)):
        return False  # "WIRE BRIEF", "MEMORANDUM": an all-caps heading
    if m.source in ("ner", "slot"):
        after, before = _office_context()
        line = _LINE_TEXT.get()
        if after.match(line, m.end) and not lex.authority(text) or before.search(line[max(0, m.start - 40) : m.start]):
            return False  # "Administrative Law Judge", "Secretary of Commerce for Export Enforcement": an office
    words = text.split()
    if m.source in ("ner", "slot") and (words[0] in lex.data.get("street_words_first", ())
                                        or words[-1] in lex.data.get("street_words_last", ())):
        return False  # "Ulitsa Kirova", "Harbour Road": a street, part of an address
    if m.source in ("ner", "slot") and _plural_body(text.split()[0], lex):
        return False  # "the Departments of State and Treasury": two bodies, not one party
    if m.source == "ner" and not re.search(r"[A-Za-z]", text):
        return False  # spaCy's English model on other scripts
    if m.source == "ner" and re.search(r"\d", text):
        return False  # product models and dates ("EVO Max 4T", "IFA 2022")
    if text.isupper() and len(text) <= 2:
        return False
    if not (text[0].isupper() or re.match(CJK, text[0])):
        return False
    return True


def _plural_body(word: str, lex: Lexicon) -> bool:
    """ "Departments", "Ministries", "Agencies": the plural of a public body's head noun."""
    if not word.endswith("s") or len(word) < 5:
        return False
    stem = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return stem in lex.public_body_words


def _alone_on_line(m: Mention) -> bool:
    text = _LINE_TEXT.get()
    start = text.rfind("\n", 0, m.start) + 1
    end = text.find("\n", m.end)
    return text[start : end if end >= 0 else len(text)].strip(" :-—\t") == m.text


_LINE_TEXT: ContextVar[str] = ContextVar("_LINE_TEXT", default="")

#: A wire story's dateline: "ALMATY, May 3 (Steppe Wire) -", "Riga (Baltic Newswire) —", "REUTERS -".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[\w .,]{1,30}?)?"  # a place in capitals, a date
    r"|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s*[\w .,]{1,30}?)"  # or a place and a date
    r"\s*\((?P<paren>[^()\n]{2,40})\)\s*[-–—]"
    r"|(?P<caps>[A-Z][A-Z&.'’ ]{1,30})\s+[-–—]\s"
)


def _in_dateline(m: Mention) -> bool:
    """The news agency of a dateline at the start of a line is the story's source, not a party in it."""
    text = _LINE_TEXT.get()
    start = text.rfind("\n", 0, m.start) + 1
    d = _DATELINE.match(text, start)
    if d is None:
        return False
    group = "paren" if d.group("paren") is not None else "caps"
    return (d.start(group), d.end(group)) == (m.start, m.end) or d.group(group).strip() == m.text


def _add_aliases(text: str, mentions: list[Mention], p: Patterns) -> None:
    """Parenthesised or "known as" forms right after a mention are aliases of it."""
    by_start = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in by_start]
    extra: list[Mention] = []
    for m in by_start:
        am = p.alias_after.match(text, m.end)
        if am is None:
            continue
        group = "p" if am.group("p") else "k"
        alias = am.group(group).strip()
        start = am.start(group)
        quoted = re.fullmatch(r"(?:the\s+)?[“\"'‘]([A-Z][^“”\"'‘’]{0,60})[”\"'’]", alias)
        if quoted:
            # a defined short form, '(“Hong Fan”)': kept when its words are the name's ("the “Company”" is not)
            inner = quoted.group(1)
            words = {w.lower() for w in re.findall(r"[\w-]+", m.text)}
            if not all(w.lower() in words for w in re.findall(r"[\w-]+", inner)) or inner == m.text:
                continue
            start += quoted.start(1)
            alias = inner
        ok = bool(p.acronym.match(alias)) or bool(re.search(rf"{CJK}|[А-Яа-яЁё]", alias)) or group == "k" \
            or bool(quoted)
        if not ok or re.search(r"\d{3,}", alias):
            continue
        i = bisect.bisect_left(starts, start)
        existing = [o for o in by_start[i : i + 4] if o.start >= start and o.end <= start + len(alias) + 1]
        for o in existing:
            o.alias_of = m
        if not existing:
            new = Mention(start, start + len(alias), alias, "alias")
            new.alias_of = m
            extra.append(new)
    mentions.extend(extra)
