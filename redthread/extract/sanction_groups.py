"""Sanctions announced on a counted group whose members are named afterwards.

Releases and news about designations often announce the action on a group
first and name its members in the sentences that follow: "Treasury imposed
sanctions on five North Koreans ... Treasury identified one of the
individuals as X ... It accuses Y of ...". No target list follows the
phrase, so :mod:`redthread.extract.sanctions` finds nothing; the members
are the persons named next.

This reader takes a sanction word followed within a few words by a counted
group of people (a number or "several", then up to three descriptor words,
then a person noun from ``lexicon.yaml``'s ``person_group_nouns`` or a
capitalised plural such as a demonym, "North Koreans"). The members are the
persons named after the phrase, in that sentence and the next
``WINDOW`` sentences, up to the count. Office holders (persons with an
employment by a public body, e.g. the official quoted in the release) and
persons already sanctioned by another reading are not members.

A count of organisations ("added five companies to the Entity List",
"designated two entities") is read more strictly (:func:`org_members`): a
release names customers and suppliers that are not designated next to
them, so members come only from a following sentence that names the group
as such ("The companies are A, B and C", "They include A", "The first, A,
..."), as the list that opens it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from redthread.extract.lexicon import Authority, lexicon
from redthread.extract.mentions import Mention
from redthread.extract.sanctions import phrases, targets_after

#: Sentences after the announcing one in which members may be named.
WINDOW = 3
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "several": 0, "multiple": 0, "a number of": 0}


@cache
def _group_re() -> re.Pattern[str]:
    lex = lexicon()
    nouns = "|".join(re.escape(n) for n in sorted(lex.data.get("person_group_nouns", []), key=len, reverse=True))
    counts = "|".join(re.escape(c) for c in sorted(_COUNTS, key=len, reverse=True))
    # the sanction word and the count in any case; a demonym ("North Koreans") capitalised
    return re.compile(
        r"(?i:\b(?:sanction(?:s|ed|ing)?|designat(?:ed|es|ing|ions?)|penalt(?:y|ies)|penali[sz]ed|blacklist(?:ed|ing)?)\b)"
        r"(?:\s+[\w’'-]+){0,4}?\s+(?:on\s+|against\s+)?"
        rf"(?P<count>\d{{1,2}}|(?i:{counts}))\s+(?P<desc>(?:[\w’'-]+\s+){{0,3}}?)"
        rf"(?P<noun>(?i:{nouns})\b|[A-Z][a-z]+s\b)"
    )


def members(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], persons: set[int],
            excluded: set[int], doc_issuer: Authority | None) -> Iterator[tuple[Mention, Authority, tuple[int, int]]]:
    """(member, authority, evidence span) for each person named after a sanction on a counted group of people.

    ``persons`` are the party indexes typed Person; ``excluded`` the parties that cannot be members
    (office holders, parties already sanctioned). The evidence span runs from the announcing
    sentence to the end of the sentence naming the member, so the quote holds both.
    """
    lex = lexicon()
    ordered = sorted((m for m in mentions if m.party in persons and not m.reference), key=lambda m: m.start)
    taken: set[int] = set(excluded)
    for si, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        found = _group_re().search(sentence)
        if found is None or lex.negation_re.search(sentence[: found.start()]):
            continue
        raw = found.group("count").lower()
        count = int(raw) if raw.isdigit() else _COUNTS.get(raw, 0)
        authority = None
        for a in lex.authority_re.finditer(sentence, 0, found.start()):
            authority = lex.authority(a.group(1)) or authority
        authority = authority or doc_issuer
        if authority is None:
            continue
        last = sentences[min(len(sentences) - 1, si + WINDOW)][1]
        got = 0
        for m in ordered:
            if m.start < start + found.end() or m.start >= last or m.party in taken:
                continue
            member_end = next(b for a, b in sentences[si:] if a <= m.start < b)
            taken.add(m.party)
            got += 1
            yield m, authority, (start, member_end)
            if count and got >= count:
                break


@cache
def _org_group_re() -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in sorted(lexicon().data.get("organisation_group_nouns", []),
                                                     key=len, reverse=True))
    counts = "|".join(re.escape(c) for c in sorted(_COUNTS, key=len, reverse=True))
    return re.compile(
        r"(?i:\b(?P<verb>sanction(?:s|ed|ing)?|designat(?:ed|es|ing|ions?)|penalt(?:y|ies)|penali[sz]ed|"
        r"blacklist(?:ed|ing)?|added|adds|adding|placed|places)\b)"
        r"(?:\s+[\w’'-]+){0,4}?\s+(?:on\s+|against\s+)?"
        rf"(?P<count>\d{{1,2}}|(?i:{counts}))\s+(?:[\w’'-]+\s+){{0,3}}?(?i:{nouns})\b"
    )


#: A sentence that names the group just announced: "The companies are", "They include", "The first, ...".
_NAMES_GROUP = re.compile(
    r"^\W*(?:(?:The|These|Those|Both|All|Among)\s+(?:(?:\w+\s+){0,2}(?:companies|entities|firms|businesses|"
    r"suppliers|banks|vessels|organi[sz]ations|them)\b)|(?:They|Those)\s+(?:are|were|include|included|comprise)\b|"
    r"(?:The\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|other|remaining|final)"
    r"(?:\s+(?:one|entity|company|firm))?\s*,|One\s+of\s+them\b|Another\b)"
)


def org_members(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], organisations: set[int],
                excluded: set[int], doc_issuer: Authority | None
                ) -> Iterator[tuple[Mention, Authority, tuple[int, int]]]:
    """(member, authority, evidence span) for each organisation a following sentence names as a counted group's member.

    ``organisations`` are the party indexes typed Company or Organization (never the public bodies that act).
    """
    lex = lexicon()
    stops = phrases().stops
    ordered = sorted((m for m in mentions if not m.reference and m.party >= 0), key=lambda m: m.start)
    taken: set[int] = set(excluded)
    for si, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        found = _org_group_re().search(sentence)
        if found is None or lex.negation_re.search(sentence[: found.start()]):
            continue
        raw = found.group("count").lower()
        count = int(raw) if raw.isdigit() else _COUNTS.get(raw, 0)
        authority = None
        if found.group("verb").lower().startswith(("add", "place")):
            listed = phrases().list_noun.search(sentence, found.end())
            authority = lex.list_authority(listed.group(0)) if listed else None
            if listed is None:
                continue  # "added five companies" is a sanction only "to the ... List"
        for a in lex.authority_re.finditer(sentence, 0, found.start()):
            authority = authority or lex.authority(a.group(1))
        authority = authority or doc_issuer
        if authority is None:
            continue
        if any(start + found.end() <= m.start < end and m.party in excluded for m in ordered):
            continue  # the group is named in the sentence itself ("on three entities: A, B and C")
        got = 0
        for s2, e2 in sentences[si + 1 : si + 1 + WINDOW]:
            if _org_group_re().search(text, s2, e2) or _group_re().search(text, s2, e2):
                break  # the next announcement: its own members follow it
            if not _NAMES_GROUP.match(text[s2:e2]):
                continue
            here = [m for m in ordered if s2 <= m.start and m.end <= e2]
            for m in targets_after(text, here, s2, e2, stops):
                if m.party not in organisations or m.party in taken:
                    continue
                taken.add(m.party)
                got += 1
                yield m, authority, (start, e2)
                if count and got >= count:
                    break
            if count and got >= count:
                break
