"""Postal addresses stated for parties ("registered at ...", "Address: ...").

Each distinct address becomes one FtM Address entity; every party stated
at it links to it through ``addressEntity``, so an address shared by two
firms is one node with two edges.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from redthread.extract.mentions import Mention

_CUE = re.compile(
    r"\b(?:(?:is|are|was|were|both|all)\s+)?(?:registered|located|based|headquartered|domiciled|incorporated|"
    r"share[sd]?\s+(?:an?\s+|the\s+same\s+)?(?:office|address|premises)|"
    r"(?:use|used|uses|list|listed|lists)\s+(?:the\s+same\s+|an?\s+)?(?:address|office))"
    r"\s*(?:at|in|:|,)?\s*(?:the\s+same\s+address\s*,?\s*|an?\s+(?:office|apartment|flat)\s+at\s+)?"
    r"(?P<addr>(?:(?:office|suite|room|unit|apt\.?|apartment|flat|building|bldg\.?|floor|no\.?)\s*[\w/-]+,\s*)*"
    r"\d+[\w/-]*,?\s+[^;\n]{3,100}?)(?=\s*(?:[;.](?:\s|$)|$|\s+(?:and|which|where|since|while|but)\s))",
    re.I,
)
_LABEL = re.compile(r"^\s*(?:registered\s+)?address\s*:\s*(?P<addr>[^\n]{5,160}?)\s*$", re.I | re.M)


@dataclass
class AddressFact:
    full: str
    start: int
    end: int
    parties: list[int]
    sentence: tuple[int, int]


def address_key(full: str) -> str:
    return re.sub(r"[^\w]+", " ", full.casefold()).strip()


def find_addresses(text: str, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[AddressFact]:
    """Addresses with the parties stated at them, in text order."""
    ordered = sorted((m for m in mentions if m.party >= 0 and m.source != "pronoun"), key=lambda m: m.start)
    out: list[AddressFact] = []
    starts = [m.start for m in ordered]
    for start, end in sentences:
        sentence = text[start:end]
        if not _CUE.search(sentence) and not _LABEL.search(sentence):
            continue
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = [m for m in ordered[lo:hi] if m.end <= end]
        for cue in list(_CUE.finditer(sentence)) + list(_LABEL.finditer(sentence)):
            a_start = start + cue.start("addr")
            a_end = start + cue.end("addr")
            before = [m for m in inside if m.end <= start + cue.start()]
            if not before:
                # registry lines: "Address: ..." belongs to the party of the previous sentence
                before = [m for m in ordered[max(0, lo - 1) : lo] if m.end <= start]
                if not before:
                    continue
            subject = [before[-1]]
            for m in reversed(before[:-1]):
                gap = text[m.end : subject[-1].start]
                if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
                    subject.append(m)
                else:
                    break
            parties = sorted({m.party for m in subject})
            full = text[a_start:a_end].strip(" ,")
            if not re.search(r"\d", full):
                continue
            out.append(AddressFact(full, a_start, a_end, parties, (start, end)))
    return out
