"""Office holders: a title before or after a person's name names the body they work for.

"Under Secretary of Commerce for Industry and Security Jane Roe", "Treasury
Secretary Jane Roe", "Assistant Secretary Jane Roe of the Commerce
Department's Bureau of Industry and Security", "Jane Roe, a Treasury
sanctions official": each is an Employment of the person by the body the
office belongs to, with the title as ``role``. The words of the office that
are not the body ("for Industry and Security", "for Export Enforcement")
are not parties; :func:`office_spans` lets the caller drop parties made of
nothing else.

The body is found among the document's parties: a party named at that
place, else one whose name holds the office word ("Commerce" → "U.S.
Commerce Department"), else one the lexicon knows as the same authority.
Titles are data (``official_titles`` in lexicon.yaml).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from redthread.extract.lexicon import lexicon
from redthread.extract.mentions import Mention
from redthread.extract.parties import Party, key

_CAPS = r"[A-Z][\w.&'’-]*"
_ORGSEQ = rf"{_CAPS}(?:\s+(?:of\s+|and\s+|for\s+|the\s+|&\s+)*{_CAPS})*"
#: A body's name after a person: "and" joins one last word ("Industry and Security"), never a next title.
_BODYSEQ = rf"{_CAPS}(?:\s+(?:of\s+|for\s+|the\s+|&\s+)*{_CAPS}|\s+and\s+{_CAPS}(?!\s+{_CAPS}))*"


@dataclass
class Office:
    """A title held by ``person`` at the body named by ``org`` (text span) or ``party``."""

    person: Mention
    title: str
    org_start: int
    org_end: int
    sentence: tuple[int, int]
    office_end: int = -1  # where the office's words end (before the person, or after for "X, Title of Y")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = lexicon().data["official_titles"]

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    title = rf"(?:(?:{alt(data['modifiers'])})\s+)*(?:{alt(data['titles'])})"
    # "Secretary of the Treasury Jane Roe", "Under Secretary of Commerce for Industry and Security Jane Roe"
    of_body = re.compile(rf"(?P<title>{title})(?:\s+\([^()]{{1,12}}\))?\s+(?:of|for)\s+(?:the\s+)?"
                         rf"(?P<org>{_CAPS}(?:\s+{_CAPS})*?)(?P<rest>(?:\s+(?:of|for|and|on)\s+(?:the\s+)?{_ORGSEQ})*)"
                         rf"(?:\s+\([^()]{{1,12}}\))?\s*,?\s*$")
    # "Treasury Secretary Jane Roe", "Commerce Department Assistant Secretary Jane Roe"
    body_title = re.compile(rf"(?<![\w’'])(?P<org>{_CAPS}(?:\s+{_CAPS}){{0,3}}?)(?:['’]s)?\s+(?P<title>{title})"
                            rf"(?:\s+\([^()]{{1,12}}\))?\s*,?\s*$")
    bare_title = re.compile(rf"(?P<title>{title})(?:\s+\([^()]{{1,12}}\))?(?:\s+(?:of|for)\s+(?:the\s+)?{_ORGSEQ})?"
                            rf"(?:\s+\([^()]{{1,12}}\))?\s*$")
    # after the name: "Jane Roe, a Treasury sanctions official"
    appos = re.compile(rf"^\s*,\s*(?:the|a|an|its)\s+(?:(?:former|senior|top|deputy|acting)\s+)?"
                       rf"(?P<org>{_CAPS}(?:\s+{_CAPS}){{0,3}})\s+(?:[a-z][\w-]*\s+){{0,5}}?"
                       rf"(?P<title>{alt(data['nouns'])})\b")
    # after the name: "Jane Roe, Assistant Secretary of Commerce for Export Enforcement"
    after_title = re.compile(rf"^\s*,\s*(?:the\s+|a\s+|an\s+)?(?:former\s+)?(?P<title>{title})\s+(?:of|for|at)\s+(?:the\s+)?"
                             rf"(?P<org>{_CAPS}(?:\s+{_CAPS})*?)(?P<rest>(?:\s+(?:of|for|and|on)\s+(?:the\s+)?{_ORGSEQ})*)"
                             rf"(?=\s*[,.;)]|\s*$)")
    return of_body, body_title, bare_title, appos, after_title


def _is_title_word(word: str) -> bool:
    data = lexicon().data["official_titles"]
    return word in data["titles"] or word in data["modifiers"]


def find_offices(text: str, sentences: list[tuple[int, int]], persons: list[Mention]) -> list[Office]:
    """Every title next to a person mention, in the order to try them (the first whose body resolves wins)."""
    of_body, body_title, bare_title, appos, after_title = _patterns()
    starts = [a for a, _ in sentences]
    out: list[Office] = []
    for p in persons:
        i = max(0, bisect.bisect_right(starts, p.start) - 1)
        s = sentences[i] if sentences else (0, len(text))
        lead_start = max(s[0], p.start - 160)
        lead = text[lead_start : p.start]
        m = of_body.search(lead)
        if m and not _is_title_word(m.group("org").split()[0]):
            out.append(Office(p, " ".join(m.group("title").split()), lead_start + m.start("org"),
                              lead_start + m.end("org"), s))
        m = body_title.search(lead)
        if m and not _is_title_word(m.group("org").split()[0]) and m.group("org").split()[0] not in lexicon().data["stop_caps"]:
            out.append(Office(p, " ".join(m.group("title").split()), lead_start + m.start("org"),
                              lead_start + m.end("org"), s))
        after = text[p.end : min(s[1], p.end + 160)]
        m = after_title.match(after)
        if m and not _is_title_word(m.group("org").split()[0]):
            out.append(Office(p, " ".join(m.group("title").split()), p.end + m.start("org"), p.end + m.end("org"), s,
                              p.end + m.end()))
        m = appos.match(after)
        if m:
            out.append(Office(p, m.group("title"), p.end + m.start("org"), p.end + m.end("org"), s))
        m = bare_title.search(lead)
        tail = re.match(r"\s*(?:\([^()]{1,12}\)\s*)?(?:of|at|from)\s+(?:the\s+)?", after)
        if m and tail:  # "Assistant Secretary Jane Roe of the Commerce Department's Bureau ..."
            rest = after[tail.end():]
            org = re.match(rf"{_BODYSEQ}(?:['’]s\s+{_BODYSEQ})*", rest)
            if org:
                last = re.split(r"['’]s\s+", org.group(0))[-1]
                start = p.end + tail.end() + org.end() - len(last)
                out.append(Office(p, " ".join(m.group("title").split()), start, start + len(last), s))
    return out


def body_of(office: Office, text: str, mentions: list[Mention], parties: list[Party]) -> Party | None:
    """The party that is the body of ``office``, if the document names it."""
    by_index = {p.index: p for p in parties}
    inside = [m for m in mentions if m.party in by_index and office.org_start <= m.start and m.end <= office.org_end + 2]
    inside = [m for m in inside if by_index[m.party].schema != "Person"]
    if inside:
        return by_index[inside[0].party]
    org = text[office.org_start : office.org_end]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", org) if w.lower() not in ("the", "of", "for", "and", "u", "s", "us")]
    if not words:
        return None
    head = words[0]
    lex = lexicon()
    bodies = [p for p in parties if p.schema in ("PublicBody", "Organization", "Company")]
    named = [p for p in bodies if head in re.findall(r"[A-Za-z][\w-]*", p.name)]
    if named:
        return min(named, key=lambda p: (p.schema != "PublicBody", min(m.start for m in p.mentions)))
    wanted = {a for form in (org, f"{head} Department", f"Department of {head}", f"Department of the {head}")
              if (a := lex.authority(form)) is not None}
    for p in bodies:
        if any(lex.authority(" ".join(m.text.split())) in wanted for m in p.names):
            return p
    return None


def office_spans(offices: list[Office], text: str) -> list[tuple[int, int]]:
    """Spans of office words that are not a body's name: from the title's body word to the person."""
    spans = []
    for o in offices:
        if o.office_end > o.org_start:
            spans.append((o.org_start, o.office_end))
        elif o.org_end <= o.person.start:
            spans.append((o.org_start, o.person.start))
    return spans


__all__ = ["Office", "body_of", "find_offices", "key", "office_spans"]
