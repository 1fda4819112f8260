"""Sanctions as officials and reporters word them: phrases from the lexicon, targets as lists.

The older ``sanction`` rule in :mod:`relations` needs an authority next to
the verb ("designated by OFAC"). Real releases rarely say it that way: the
department that issues a release is the authority of everything it
announces ("Today, Treasury sanctioned A, B and C"; "the designation of
A"; "A was added to the Entity List"; "US-designated A"; "a temporary
denial order against A"). This rule reads, per sentence:

- a phrase from ``sanction_phrases.after`` and the *list* of parties right
  after it (a list continues across commas, "and", parenthesised aliases,
  and short descriptors such as "Russian national"; it ends at a clause
  word such as "for", "who", "alleging");
- an ``added`` verb whose list ends "to the ... List";
- a phrase from ``sanction_phrases.before`` and the list right before it;
- an authority-prefixed ``prenominal`` ("OFAC-designated"): the list after
  it, or before it in "A, B and C, all of which are US-designated".

The authority is the last one the sentence names before the phrase, else
the document's issuer: the first body-like authority the document names
(its dateline or opening line). Phrases are data (lexicon.yaml), so a new
wording is a line of YAML, not code.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from redthread.extract.lexicon import Authority, lexicon
from redthread.extract.mentions import Mention

#: Longest gap (characters) between a phrase and its first target, and between two listed targets.
FIRST_GAP = 110
NEXT_GAP = 90
#: Words a gap may hold (descriptors such as "Hong Kong-based trading company").
GAP_WORDS = 9

#: What opens a list with a colon: "the following entities:", "three entities:", "these firms:".
_FOLLOWING = re.compile(r"\b(?:(?:the\s+)?following|\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                        r"twelve|several|these)(?:\s+[\w-]+){0,4}\s*:", re.I)
_JOINER = re.compile(r",|\band\b|&|\bas well as\b|\bor\b|\bplus\b", re.I)
_PAREN = re.compile(r"\([^()]{0,80}\)|[“”\"«»]")
_BACKREF = re.compile(r"(?:,\s*)?(?:(?:all|both|each|either|some|one|two|three|four|five|six)\s+of\s+(?:which|whom|them)\s+"
                      r"(?:are|is|were|was|have\s+been|has\s+been)\s+|,\s*(?:a|an|which\s+is|which\s+are|who\s+is|who\s+are)\s+"
                      r"|,\s*)(?:(?:a|an|the|already|previously|also)\s+)*$", re.I)


@dataclass(frozen=True)
class Phrases:
    after: re.Pattern[str]
    added: re.Pattern[str]
    list_noun: re.Pattern[str]
    before: re.Pattern[str]
    prenominal: re.Pattern[str]
    stops: re.Pattern[str]


@cache
def phrases() -> Phrases:
    data = lexicon().data["sanction_phrases"]
    forms = sorted({f for a in lexicon().authorities for f in a.forms}, key=len, reverse=True)
    auth = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)

    def alt(items: list[str]) -> str:
        return "|".join(f"(?:{i})" for i in items)

    return Phrases(
        after=re.compile(rf"\b(?:{alt(data['after'])})\b", re.I),
        added=re.compile(rf"\b(?:{alt(data['added'])})\b", re.I),
        list_noun=re.compile(data["list_noun"]),
        before=re.compile(rf"\s*,?\s*(?:{alt(data['before'])})", re.I),  # used with .match(text, pos)
        prenominal=re.compile(rf"(?<![\w])(?P<auth>{auth})[\s-]+(?:{data['prenominal']})\b"),
        stops=re.compile(data["clause_stops"], re.I),
    )


def issuer(text: str) -> Authority | None:
    """The body a document speaks for: the first public-body-like authority it names.

    Demonyms and bare country names ("American", "US") only count when no
    body is named at all.
    """
    lex = lexicon()
    first: Authority | None = None
    for m in lex.authority_re.finditer(text):
        form = m.group(1)
        authority = lex.authority(form)
        if authority is None:
            continue
        if first is None:
            first = authority
        words = form.split()
        if len(words) > 1 and any(w in lex.public_body_words for w in words) or re.fullmatch(r"[A-Z]{3,}", form) \
                or form in ("Treasury",):
            return authority
    return first


def _is_target(m: Mention) -> bool:
    if m.source in ("authority", "pronoun") or m.party < 0:
        return False
    return lexicon().authority(" ".join(m.text.split())) is None


def _gap_ok(gap: str, limit: int, stops: re.Pattern[str]) -> bool:
    if len(gap) > limit:
        return False
    plain = _PAREN.sub(" ", gap)
    return not stops.search(plain) and len(plain.split()) <= GAP_WORDS


def targets_after(text: str, mentions: list[Mention], pos: int, end: int, stops: re.Pattern[str]) -> list[Mention]:
    """The list of parties that starts right after ``pos`` (before ``end``)."""
    out: list[Mention] = []
    parties: set[int] = set()
    cur = pos
    colon = False  # a list opened by a colon separates its items (with their descriptors) by semicolons
    for m in mentions:
        if m.start < pos or m.end > end:
            continue
        if m.party in parties:  # a parenthesised alias or a repeat of a listed name
            cur = max(cur, m.end)
            continue
        gap = text[cur : m.start]
        if not out:  # "designated the following entities: A, B and C": the colon opens the list
            opened = _FOLLOWING.sub(" ", gap)
            colon, gap = opened != gap, opened
        elif colon:
            gap = gap.replace(";", ",")
        if not _gap_ok(gap, NEXT_GAP if out else FIRST_GAP, stops):
            break
        if out and not _JOINER.search(_PAREN.sub(" ", gap)):
            break
        if not _is_target(m):
            cur = m.end
            continue
        out.append(m)
        parties.add(m.party)
        cur = m.end
    return out


def targets_before(text: str, mentions: list[Mention], pos: int, start: int, stops: re.Pattern[str]) -> list[Mention]:
    """The list of parties that ends right before ``pos`` (after ``start``)."""
    out: list[Mention] = []
    parties: set[int] = set()
    cur = pos
    for m in reversed(mentions):
        if m.end > pos or m.start < start:
            continue
        if m.party in parties:
            cur = min(cur, m.start)
            continue
        gap = text[m.end : cur]
        if not _gap_ok(gap, NEXT_GAP if out else 60, stops):
            break
        if out and not _JOINER.search(_PAREN.sub(" ", gap)):
            break
        if not _is_target(m):
            break
        out.append(m)
        parties.add(m.party)
        cur = m.start
    return out


def find(text: str, start: int, end: int, mentions: list[Mention],  # noqa: C901 — one branch per way officials word a sanction
         doc_issuer: Authority | None) -> Iterator[tuple[Mention, Authority, int]]:
    """(target, authority, phrase start) for each sanction the sentence ``text[start:end]`` states."""
    p = phrases()
    lex = lexicon()
    ms = sorted((m for m in mentions if start <= m.start and m.end <= end), key=lambda m: m.start)
    if not ms:
        return
    sentence = text[start:end]

    def authority_before(pos: int) -> Authority | None:
        found = None
        for m in lex.authority_re.finditer(text, start, pos):
            found = lex.authority(m.group(1)) or found
        return found or doc_issuer

    def in_mention(pos: int) -> bool:
        return any(m.start <= pos < m.end for m in ms)

    for m in p.after.finditer(sentence):
        a, b = start + m.start(), start + m.end()
        if in_mention(a):
            continue
        authority = authority_before(a)
        if authority is None:
            continue
        for t in targets_after(text, ms, b, end, p.stops):
            yield t, authority, a
    for m in p.added.finditer(sentence):
        a, b = start + m.start(), start + m.end()
        listed = targets_after(text, ms, b, end, p.stops)
        if not listed:
            continue
        rest = re.match(r"[\s,”\"»)]*(?:\([^()]{0,60}\)[\s,”\"»)]*)?", text[listed[-1].end : end])
        tail = p.list_noun.match(text, listed[-1].end + (rest.end() if rest else 0), end)
        if tail is None:
            continue
        authority = lex.list_authority(tail.group(0)) or authority_before(a)
        if authority is None:
            continue
        for t in listed:
            yield t, authority, a
    for i, last in enumerate(ms):
        bm = p.before.match(text, last.end, end)
        if bm is None or not _is_target(last):
            continue
        auth_form = bm.groupdict().get("auth")
        authority = ((lex.authority(auth_form) if auth_form else None) or lex.list_authority(bm.group(0))
                     or authority_before(last.start))
        if authority is None:
            continue
        for t in targets_before(text, ms[: i + 1], last.end, start, p.stops):
            yield t, authority, last.end
    for m in p.prenominal.finditer(sentence):
        a, b = start + m.start(), start + m.end()
        authority = lex.authority(" ".join(m.group("auth").split()))
        if authority is None:
            continue
        listed = targets_after(text, ms, b, end, p.stops)[:1]
        back = _BACKREF.search(text[max(start, a - 60) : a])
        if back is not None:
            listed += targets_before(text, ms, a - len(back.group(0)), start, p.stops)
        for t in listed:
            yield t, authority, a


_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·*–—-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")
def is_list_item(line: str) -> bool:
    """A bulleted or numbered line (a name alone on one is an item of a list, not a headline)."""
    return bool(_BULLET.match(line))


_LIST_INTRO = re.compile(r"\bthe\s+following\b|:\s*$", re.I)


def listed(text: str, mentions: list[Mention], doc_issuer: Authority | None) -> Iterator[tuple[Mention, Authority, tuple[int, int]]]:
    """Designations announced as a bulleted list: "OFAC is designating the following entities:".

    The line that introduces the list holds a sanction phrase and ends with a
    colon; each bullet (or numbered) line after it names one target, the
    first party on the line. The list ends at the first line that is not an
    item (blank lines between items are allowed).
    """
    p = phrases()
    lex = lexicon()
    ordered = sorted((m for m in mentions if m.party >= 0), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        lines.append((pos, raw.rstrip("\r\n")))
        pos += len(raw)
    authority: Authority | None = None
    for start, line in lines:
        if not line.strip():
            continue
        if authority is not None and _BULLET.match(line):
            i = bisect.bisect_left(starts, start)
            first = next((m for m in ordered[i:] if m.start < start + len(line) and _is_target(m)), None)
            if first is not None:
                yield first, authority, (start, start + len(line))
            continue
        authority = None
        phrase = p.after.search(line)
        if phrase and line.rstrip().endswith(":") and _LIST_INTRO.search(line):
            found = None
            for m in lex.authority_re.finditer(line, 0, phrase.start()):
                found = lex.authority(" ".join(m.group(1).split())) or found
            authority = found or doc_issuer


_MATTER = re.compile(r"^\s*In\s+the\s+Matter\s+of\s*:?\s*(?P<rest>.*)$", re.I)
_RESPONDENTS = re.compile(r"^\s*(?:Respondents?|Related\s+Persons?)\s*[.:;]?\s*$", re.I)
_DENIAL = re.compile(r"\bdenial\s+orders?\b|\bdenying\s+(?:the\s+)?export\s+privileges\b|\bTDO\b", re.I)


def respondents(text: str, mentions: list[Mention], doc_issuer: Authority | None) -> Iterator[tuple[Mention, Authority, tuple[int, int]]]:
    """The parties a denial order lists under "In the Matter of:", up to the "Respondent(s)" line.

    An export-denial order names its targets as a caption block, one party
    (with its address) per entry, not in a sentence; the authority is the
    body issuing the order. Only documents that call themselves a denial
    order are read this way ("In the Matter of" also heads court captions).
    """
    if not _DENIAL.search(text[:3000]):
        return
    doc_issuer = _heading_authority(text[:500]) or doc_issuer  # the order's heading names who issues it
    if doc_issuer is None:
        return
    ordered = sorted((m for m in mentions if m.party >= 0 and _is_target(m)), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    pos = 0
    inside = False
    for raw in text.splitlines(keepends=True):
        start, line = pos, raw.rstrip("\r\n")
        pos += len(raw)
        matter = _MATTER.match(line)
        if matter:
            inside, line, start = True, matter.group("rest"), start + matter.start("rest")
        if not inside or not line.strip():
            continue
        if _RESPONDENTS.match(line) or len(line) > 300:  # the caption ends; a paragraph is no entry
            inside = False
            continue
        i = bisect.bisect_left(starts, start)
        first = next((m for m in ordered[i:] if m.start < start + len(line)), None)
        if first is not None:
            yield first, doc_issuer, (start, start + len(line))


def _heading_authority(head: str) -> Authority | None:
    """The authority a document's heading names in capitals ("BUREAU OF INDUSTRY AND SECURITY")."""
    lex = lexicon()
    for m in re.finditer(lex.authority_re.pattern, head, re.IGNORECASE):
        found = lex.authority(" ".join(m.group(1).split()))
        if found is not None:
            return found
    return None
