"""From mentions to parties: clustering name forms, typing, coreference.

One party = one entity per document. Forms of the same party (full name,
short name, surname, acronym, native-script name, "the Shenzhen firm") are
clustered; the longest Latin-script form becomes ``name``, the rest
``alias``. The schema is decided by summing the evidence of every mention
(legal forms, head nouns, titles, appositives, roles in relations), so a
wrong NER label on one mention is outvoted by the document.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache

from redthread.extract.lexicon import lexicon
from redthread.extract.mentions import CJK, PARTY_SCHEMATA, Mention
from redthread.extract.spans import SpanIndex

_JOIN_WORDS = frozenset({"of", "and", "&", "de", "du", "for", "the", "von", "van", "al", "bin", "on"})
_PRONOUNS = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)


@dataclass
class Party:
    """A party of the document: its mentions and the votes on its schema."""

    index: int
    mentions: list[Mention] = field(default_factory=list)
    votes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    country: str | None = None
    _name_cache: tuple[int, str] | None = field(default=None, repr=False, compare=False)

    @property
    def names(self) -> list[Mention]:
        return [m for m in self.mentions if not m.reference]

    @property
    def schema(self) -> str:
        """The schema with the most evidence; organisations default to Company."""
        totals: dict[str, float] = defaultdict(float)
        for m in self.names:
            for k, v in m.votes.items():
                totals[k] += v
        for k, v in self.votes.items():
            totals[k] += v
        labelled = [m.ner for m in self.names if m.ner]
        for label in set(labelled):
            totals[label] += 2.0 * labelled.count(label) / len(labelled)
        if not totals:
            return "Company"
        strong = {k for k, v in totals.items() if v > 0} - {m.ner for m in self.names if m.ner}
        if not strong and all(_is_acronym(m.text) for m in self.names) and "Person" not in totals:
            return "Organization"  # a bare acronym ("KGB", "NATO") with no other evidence
        order = {"Company": 3, "Organization": 2, "PublicBody": 1, "Person": 0}
        return max(PARTY_SCHEMATA, key=lambda s: (totals.get(s, 0.0), order[s]))

    @property
    def name(self) -> str:
        cached = self._name_cache
        if cached is not None and cached[0] == len(self.mentions):
            return cached[1]
        name = self._pick_name()
        self._name_cache = (len(self.mentions), name)
        return name

    def _pick_name(self) -> str:
        forms = [m.text for m in self.names]
        latin = [f for f in forms if not _is_native(f) and not _is_acronym(f)]
        pool = latin or forms
        return max(pool, key=lambda f: (len(f.split()), len(f), -forms.index(f)))

    @property
    def aliases(self) -> list[str]:
        name_key = key(self.name)
        out: list[str] = []
        seen = {name_key}
        for m in self.mentions:
            if m.source in ("pronoun", "ref"):
                continue
            k = key(m.text)
            if k and k not in seen:
                seen.add(k)
                out.append(m.text)
        return out


def _is_native(text: str) -> bool:
    return bool(re.search(rf"{CJK}|[А-Яа-яЁё]", text))


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&-]{1,9}", text))


@cache
def _legal_tail() -> re.Pattern[str]:
    forms = sorted({f.lower().rstrip(".") for f in lexicon().legal_suffix}, key=len, reverse=True)
    return re.compile(r"(?:,?\s+(?:" + "|".join(re.escape(f) for f in forms) + r")\.?)+$")


@cache
def _country_words() -> frozenset[str]:
    """Key words that only say whose a body is ("us", "russian"): "U.S. X Department" is "X Department"."""
    lex = lexicon()
    words = {key(d) for d in lex.data["demonyms"]} | {"us", "u s", "usa", "uk", "eu", "un"}
    return frozenset(w for w in words if " " not in w)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A comparison key: case, punctuation, legal forms and spelling variants removed."""
    k = text.casefold().replace("’", "'")
    k = re.sub(r"^(?:the)\s+", "", k)
    k = _legal_tail().sub("", k)
    k = re.sub(r"^(?:ooo|ооо|ao|ао|zao|зао|pao|пао|oao|оао|too|тоо|llc|jsc)\s+", "", k)
    k = re.sub(r"[«»\"“”'.,()]", "", k)
    k = re.sub(r"[\s-]+", " ", k).strip()
    k = k.replace("defence", "defense")
    m = re.fullmatch(r"(\w+) ministry", k)
    if m:
        k = f"ministry of {m.group(1)}"
    # "Justice Department", "Department of the Treasury": one body, two word orders
    m = re.fullmatch(r"((?:\w+ )*?)(?:(\w+) department|department of (?:the )?(\w+))", k)
    if m:
        k = f"{m.group(1)}department of {m.group(2) or m.group(3)}"
    return k


@cache
def _body_heads() -> frozenset[str]:
    """Key words that head a body's name ("force", "division", "committee"): a body goes by its last words."""
    lex = lexicon()
    return frozenset(key(w) for w in lex.public_body_words | lex.organization_words) | {"force", "group"}


def acronym(text: str) -> str:
    """Initials of the significant words: "Far Eastern Polytechnic Institute" → "FEPI"."""
    words = [w for w in re.split(r"[\s-]+", text) if w and w.lower() not in _JOIN_WORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _is_personish(m: Mention) -> bool:
    person = m.votes.get("Person", 0.0) + (1.0 if m.ner == "Person" else 0.0)
    return person > max((v for k, v in m.votes.items() if k != "Person"), default=0.0)


#: A romanised East Asian name, family name first ("Wong Ka-ming", "Kim Song-hun"): its first word is the surname.
_FAMILY_FIRST = re.compile(r"[A-Z][a-z]{0,4}\s+[A-Z][a-z]{1,6}-[a-z]{2,5}")

_TEXT: ContextVar[str] = ContextVar("_TEXT", default="")


def cluster(mentions: list[Mention], text: str = "") -> list[Party]:  # noqa: C901, PLR0915 — clustering keys (same key, prefix, acronym, surname, alias) tried in a fixed order on one shared index
    """Group mentions into parties (full names first, then short forms and aliases)."""
    _TEXT.set(text)
    generic = {w.lower() for w in lexicon().company_words | lexicon().organization_words | lexicon().public_body_words}
    parties: list[Party] = []
    by_key: dict[str, list[Party]] = defaultdict(list)
    # Parties by the first and last word and the initials of their name: a shorter form can only
    # join a party sharing its first word (a prefix), its last (a surname) or its initials, so
    # each mention looks at those few parties instead of all of them (a list of thousands of
    # names stays linear).
    by_first: dict[str, set[int]] = defaultdict(set)
    by_last: dict[str, set[int]] = defaultdict(set)
    by_acronym: dict[str, set[int]] = defaultdict(set)

    def new_party(m: Mention) -> Party:
        party = Party(len(parties))
        parties.append(party)
        return party

    def join(m: Mention, party: Party) -> None:
        m.party = party.index
        party.mentions.append(m)
        if m.country and not party.country:
            party.country = m.country
        k = key(m.text)
        if party not in by_key[k]:
            by_key[k].append(party)
        pk = key(party.name).split()
        if pk:  # where later, shorter forms look for this party (see ``pool`` below)
            by_first[pk[0]].add(party.index)
            by_last[pk[-1]].add(party.index)
            by_acronym[acronym(party.name)].add(party.index)

    aliases: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.alias_of is not None:
            aliases[id(m.alias_of)].append(m)

    def join_with_aliases(m: Mention, party: Party) -> None:
        join(m, party)
        for a in aliases.pop(id(m), []):
            join(a, party)

    names = sorted(
        (m for m in mentions if m.alias_of is None),
        key=lambda m: (-len(key(m.text).split()), -len(m.text), m.start),
    )
    for m in names:
        k = key(m.text)
        if not k:
            continue
        same = [p for p in by_key.get(k, []) if not (m.country and p.country and m.country != p.country)]
        if same:
            join_with_aliases(m, same[0])
            continue
        tokens = k.split()
        candidates: list[Party] = []
        pool = set(by_first.get(tokens[0], ()))
        for word in _country_words() & set(by_first):
            pool |= by_first[word]
        if len(tokens) == 1 or tokens[-1] in _body_heads():
            pool |= by_last.get(tokens[-1], set())
        if _is_acronym(m.text):
            pool |= by_acronym.get(m.text, set())
        for party in (parties[i] for i in sorted(pool)):
            pk = key(party.name)
            ptoks = pk.split()
            if len(tokens) >= len(ptoks):
                continue
            person = any(_is_personish(x) for x in party.names) or (
                _is_personish(m) and not any(x.votes for x in party.names if x.source in ("legal", "prefix", "intro"))
                and len(ptoks) in (2, 3)
            )
            if person:
                if len(tokens) == 1 and tokens[0] == ptoks[-1]:
                    candidates.append(party)
                elif len(tokens) == 1 and len(ptoks) >= 2 and tokens[0] == ptoks[0] and _FAMILY_FIRST.fullmatch(party.name):
                    candidates.append(party)  # "Wong" after "Wong Ka-ming": the family name comes first
                elif len(tokens) >= 2 and ptoks[: len(tokens)] == tokens and m.votes.get("Person", 0.0) <= 0:
                    # "Bosphorus Tezgah" after "Bosphorus Tezgah Sanayi": people are not called by their
                    # first two names, firms drop their last word; the full name was NER's person, and
                    # NER's person label on the short form says no more (only the text's own cues do)
                    candidates.append(party)
                continue
            if _is_acronym(m.text) and acronym(party.name) == m.text:
                candidates.append(party)
            elif ptoks[: len(tokens)] == tokens and not all(t in generic for t in tokens):
                candidates.append(party)
            elif ptoks[len(ptoks) - len(tokens):] == tokens and len(tokens) >= 2 and all(
                    t in _country_words() for t in ptoks[: len(ptoks) - len(tokens)]):
                candidates.append(party)  # "Commerce Department" is "U.S. Commerce Department"
            elif ptoks[len(ptoks) - len(tokens):] == tokens and len(tokens) >= 2 and tokens[-1] in _body_heads():
                candidates.append(party)  # "the Strike Force" after "Disruptive Technology Strike Force"
        if len(candidates) > 1 and len(tokens) == 1:
            # a bare surname shared by several people means the one introduced first
            earlier = [c for c in candidates if c.mentions and min(x.start for x in c.mentions) < m.start]
            candidates = sorted(earlier, key=lambda c: min(x.start for x in c.mentions))[:1]
        if len(candidates) == 1:
            join_with_aliases(m, candidates[0])
        else:
            join_with_aliases(m, new_party(m))
    for m in mentions:
        if m.alias_of is not None and m.party < 0:
            target = m.alias_of
            if target.party >= 0:
                join(m, parties[target.party])
    return [p for p in parties if p.mentions]


def propagate(text: str, parties: list[Party], mentions: list[Mention], skip: list[tuple[int, int]]) -> list[Mention]:
    """Every other occurrence of a known name form becomes a mention of its party.

    spaCy finds a name in one sentence and misses it in the next; a name
    the document has established is a mention wherever it appears again.
    """
    forms: dict[str, Party] = {}
    for party in parties:
        for m in party.names:
            if len(m.text) >= 3 or _is_acronym(m.text):
                forms.setdefault(m.text, party)
    # A person's surname alone ("Roe said") names them when no other party shares it.
    surnames: dict[str, list[Party]] = defaultdict(list)
    stops = {w.lower() for w in lexicon().data["stop_caps"]}
    for party in parties:
        if party.schema == "Person":
            words = party.name.split()
            if len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?", words[-1]) and len(words[-1]) >= 4 \
                    and words[-1].lower() not in stops:
                surnames[words[-1]].append(party)
    for surname, owners in surnames.items():
        if len(owners) == 1 and surname not in forms:
            forms[surname] = owners[0]
    if not forms:
        return []
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in taken]
    skipped = SpanIndex(skip)
    added: list[Mention] = []

    for hit in pattern.finditer(text):
        a, b = hit.span()
        i = bisect.bisect_right(starts, b)
        if any(x < b and a < y for x, y in taken[max(0, i - 3) : i]):
            continue
        if skipped.covers(a):
            continue
        party = forms[hit.group()]
        m = Mention(a, b, hit.group(), "echo", party=party.index)
        party.mentions.append(m)
        added.append(m)
        _merge_parenthesised(text, m, party, parties, mentions)
    return added


def _merge_parenthesised(text: str, m: Mention, party: Party, parties: list[Party], mentions: list[Mention]) -> None:
    """"Name (Имя)" after a repeated name: the parenthesised party is the same one."""
    from redthread.extract.mentions import patterns

    am = patterns().alias_after.match(text, m.end)
    if am is None or not am.group("p"):
        return
    start = am.start("p")
    for other in mentions:
        if other.start == start and other.party >= 0 and other.party != party.index:
            index = {p.index: p for p in parties}
            source = index.get(other.party)
            if source is None or len(source.names) > 2 or not all(_is_native(x.text) or _is_acronym(x.text) for x in source.names):
                return
            for x in source.mentions:
                x.party = party.index
            party.mentions.extend(source.mentions)
            source.mentions = []
            return


def drop_products(text: str, parties: list[Party]) -> list[Party]:
    """Parties left after removing product names ("Foo drones") and defined terms ("First-Person View (FPV)")."""
    _TEXT.set(text)
    keep = [p for p in parties if p.mentions and not _is_product(p) and not _is_term(text, p)]
    dropped = {p.index for p in parties} - {p.index for p in keep}
    for p in parties:
        if p.index in dropped:
            for m in p.mentions:
                m.party = -1
    return keep


_PRODUCT_AFTER = re.compile(
    r"\s+(?:[A-Z]{2,}\s+)?(?:drones?|models?|units|kits?|systems?|aircraft|quadcopters?|rifles?|missiles?|"
    r"engines?|motors?|chips?|series|brand|devices?)\b"
)


def _is_term(text: str, party: Party) -> bool:
    """An acronym defined for a plain term: "a first-person view (FPV) drone"."""
    names = party.names
    if not names or not all(_is_acronym(m.text) for m in names):
        return False
    first = min(names, key=lambda m: m.start)
    if text[first.start - 1 : first.start] != "(":
        return False
    words = re.findall(r"[\w]+", text[max(0, first.start - 80) : first.start - 1])
    n = len(first.text)
    initials = "".join(w[0] for w in words[-n:]).upper() if len(words) >= n else ""
    owner = [m for m in names if m.alias_of is not None]
    return initials == first.text.upper() and not owner


def _is_product(party: Party) -> bool:
    """Most mentions read "Foo drones"/"the Foo model": a product name, not a party."""
    names = party.names
    if not names or any(m.source in ("legal", "prefix", "intro", "authority") for m in names):
        return False
    text = _TEXT.get()
    hits = sum(1 for m in names if _PRODUCT_AFTER.match(text, m.end))
    return hits * 3 >= len(names)


@cache
def _reference_re() -> re.Pattern[str]:
    lex = lexicon()
    return re.compile(
        r"\b(?P<det>[Tt]he|[Tt]his|[Tt]hat)\s+(?P<mod>(?:[A-Z][\w’'-]*|[\w]+-based)\s+)?"
        rf"(?P<noun>{lex.ref_nouns_re})\b(?!\s+(?:called|named|known|of\b|[A-Z]))"
    )


def resolve_references(  # noqa: C901 — one short branch per kind of reference (pronoun, description, collective)
    text: str, sentences: list[tuple[int, int]], mentions: list[Mention], parties: list[Party]
) -> list[Mention]:
    """Mentions for "the Shenzhen firm"/"he" style references, linked to the party meant.

    A descriptive reference goes to the most recent party of a fitting kind
    whose name, country or surrounding description contains the modifier
    ("Shenzhen", "Russian"); a personal pronoun to the most recent person.
    """
    lex = lexicon()
    demonyms: dict[str, str] = lex.data["demonyms"]
    taken = [(m.start, m.end) for m in mentions]
    described: dict[int, str] = defaultdict(str)
    for m in mentions:
        if m.party >= 0:
            described[m.party] += " " + text[max(0, m.start - 60) : m.start] + "\x00" + text[m.end : m.end + 80]
    out: list[Mention] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    index = parties_by_index(parties)

    sent_starts = [a for a, _ in sentences]
    mention_starts = [m.start for m in ordered]
    taken_index = SpanIndex(taken)

    def sentence_start(pos: int, back: int) -> int:
        idx = max(0, bisect.bisect_right(sent_starts, pos) - 1)
        return sentences[max(0, idx - back)][0] if sentences else 0

    def before(pos: int, window: int) -> Iterator[Mention]:
        """Mentions starting in [window, pos), nearest first."""
        i = bisect.bisect_left(mention_starts, pos)
        while i > 0:
            i -= 1
            if ordered[i].start < window:
                return
            yield ordered[i]

    for rm in _reference_re().finditer(text):
        if taken_index.overlapping(rm.start(), rm.end()):
            continue
        noun = rm.group("noun").lower()
        mod = (rm.group("mod") or "").strip()
        passes = (
            [{"PublicBody"}] if noun in lex.public_body_nouns
            else [{"Organization"}, {"Company"}] if noun in lex.organization_nouns
            else [{"Company"}, {"Organization"}]
        )
        window = 0 if mod else sentence_start(rm.start(), 2)
        best = _named_after(before(rm.start(), sentence_start(rm.start(), 6)), index, noun)
        for kinds in passes if best is None else []:
            best = _nearest(_not_its_subject(text, before(rm.start(), window), rm.start()), index, kinds, mod,
                            described, demonyms, lex.ref_nouns_re)
            if best is not None:
                break
        if best is None and mod.replace("-based", "") in demonyms:
            # "the Russian plant" after a plant whose country the text never stated: the nearest party of the
            # kind in the last two sentences whose country is unknown (a known other country still rules it out)
            for kinds in passes:
                best = _nearest(before(rm.start(), sentence_start(rm.start(), 2)), index, kinds, mod, described,
                                demonyms, lex.ref_nouns_re, unknown_country_fits=True)
                if best is not None:
                    break
        if best is None:
            continue
        # only a specific description ("the Shenzhen firm") is worth keeping as an alias
        ref = Mention(rm.start(), rm.end(), rm.group(0), "reference" if mod else "ref", reference=True, party=best.index)
        best.mentions.append(ref)
        out.append(ref)
    for pm in _PRONOUNS.finditer(text):
        window = sentence_start(pm.start(), 2)
        for m in before(pm.start(), window):
            if m.party < 0:
                continue
            party = index.get(m.party)
            if re.fullmatch(r"\s*,\s*(?:[a-z]+\s+)?", text[m.end : pm.start()]):
                continue  # "X, possibly his brother": "his" is not X
            if party is not None and party.schema == "Person":
                ref = Mention(pm.start(), pm.end(), pm.group(0), "pronoun", reference=True, party=party.index)
                party.mentions.append(ref)
                out.append(ref)
                break
    return out


_SAME_CLAUSE = re.compile(r"\s+(?:(?:has|had|have|was|were|is|later|then|also|recently|quietly)\s+)*[a-z]+(?:ed|s|t|ught|old|ew|ok)?"
                          r"(?:\s+(?:to|in|into|from|with|for|on))?\s+$")
_REPORTING = frozenset({"said", "says", "told", "stated", "claimed", "denied", "added", "noted", "confirmed", "argued",
                        "believes", "believed", "thinks", "explained", "insisted", "replied", "announced", "that"})


def _not_its_subject(text: str, candidates: Iterable[Mention], pos: int) -> Iterator[Mention]:
    """Candidates for a definite description, without the subject of its own clause.

    "Aldren Ltd bought the company" never means Aldren bought itself: the name just before the verb whose
    object the description is is its subject, and the description points further back. After a reporting
    verb ("X said the company ...") the description is the speaker, as a rule, and is kept.
    """
    for m in candidates:
        between = text[m.end:pos]
        words = between.split()
        if _SAME_CLAUSE.fullmatch(between) and not _REPORTING.intersection(w.lower() for w in words):
            continue
        yield m


def _named_after(candidates: Iterable[Mention], index: dict[int, Party], noun: str) -> Party | None:
    """The most recent party whose own name's head is the noun.

    "the airport" → "Foo Airport"; "the group" → "Working Group on Export Controls": a name
    whose head noun is followed by "on / of / for" and a topic still has that head.
    """
    head = re.compile(rf"\s{re.escape(noun)}(?:$|\s+(?:on|of|for)\s)", re.IGNORECASE)
    for m in candidates:
        if m.party < 0:
            continue
        party = index.get(m.party)
        if party is not None and head.search(party.name):
            return party
    return None


def _nearest(candidates: Iterable[Mention], index: dict[int, Party], kinds: set[str], mod: str,
             described: dict[int, str], demonyms: dict[str, str], nouns: str,
             unknown_country_fits: bool = False) -> Party | None:
    """The most recent party of one of ``kinds`` (candidates come nearest first) that fits the modifier.

    ``unknown_country_fits``: a demonym modifier also fits a party whose country is not known.
    """
    best: Party | None = None
    for m in candidates:
        if m.party < 0:
            continue
        party = index.get(m.party)
        if party is None or party.schema not in kinds:
            continue
        if mod:
            base = mod.replace("-based", "")
            if base in demonyms:
                ok = party.country == demonyms[base] or (unknown_country_fits and not party.country) or bool(
                    re.search(rf"\b{re.escape(base)}\s+(?:[\w-]+\s+){{0,2}}(?:{nouns})\s+(?:called\s+|named\s+)?\x00"
                              rf"|\x00,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?{re.escape(base)}\b", described[party.index])
                )
            else:
                ok = base.lower() in party.name.lower() or bool(
                    re.search(rf"\x00[)）]?\s*(?:\([^)]*\))?,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?{re.escape(base)}\b"
                              rf"|\b{re.escape(base)}(?:-based)?\s+(?:[\w-]+\s+)?(?:{nouns})\s+(?:called\s+|named\s+)?\x00",
                              described[party.index])
                )
            if not ok:
                continue
        best = party
        break
    return best


def parties_by_index(parties: list[Party]) -> dict[int, Party]:
    return {p.index: p for p in parties}
