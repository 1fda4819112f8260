"""Sentences and boilerplate lines, with character offsets into the text."""

from __future__ import annotations

import re
from functools import cache

from redthread.extract.lexicon import lexicon

_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'”’»)\]]*[ \t]+(?=[\"'“‘«(\[]?[A-Z0-9\u0400-\u042F\u4e00-\u9fff])|\n+"
)
_ABBREVIATIONS = frozenset(
    "co ltd inc corp mr mrs ms dr prof st no jr sr u.s u.k e.g i.e vs jan feb mar apr jun jul aug sep "
    "sept oct nov dec gen col gov sen rep dept approx l.l.c s.a b.v pte nos art para fig ref llc".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\.[\"'”’»)\]]*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; newlines always end one, abbreviations never do."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group() == "\n" and _wrapped(text, m.start()):
            continue  # a hard-wrapped line goes on
        if m.group().strip(" \t") == "" or "\n" not in m.group():
            before = text[start : m.start()]
            last = _LAST_WORD.search(before)
            # an abbreviation, an initial ("J. Roe") or initials ("P.B. Sadr") never end a sentence
            if last and (last.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last.group(1))):
                continue
        _push(text, start, m.start(), out)
        start = m.end()
    _push(text, start, len(text), out)
    return out


def _wrapped(text: str, pos: int) -> bool:
    """The newline at ``pos`` wraps a long line in mid-sentence (e.g. text from PDFs)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = text[line_start:pos].rstrip()
    # The next line's first character, past its indentation (a wrapped list item is indented).
    indent = len(text) - len(text[pos + 1 :].lstrip(" \t"))
    after = text[indent : indent + 1]
    if len(line) < 40 or not line or line[-1] in ".!?:;\"”»)]" or not after or after.isspace():
        return False
    if "," not in line and after.isupper() and is_headline(line):
        return False  # a title line ("Commerce Targets Networks Supplying ...") ends where the text begins
    return not re.match(r"[-*•\d]", after)


def _push(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


@cache
def _boilerplate_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in lexicon().data["boilerplate"]), re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """True for credit lines and page furniture (photo credits, bylines, menus)."""
    return bool(_boilerplate_re().search(line))


def is_headline(line: str) -> bool:
    """A title-case line without final punctuation ("Russian Drone Documents Draw Line ...")."""
    words = line.split()
    if len(words) < 4 or line.rstrip()[-1:] in ".!?:;\"”" or ":" in line:
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.7
