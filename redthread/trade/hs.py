"""Harmonized System (HS) codes and the Common High Priority List (CHPL).

Pure functions: they return ``None`` for input that is not an HS code
instead of raising. The CHPL tiers come from ``redthread/data/chpl_hs6.csv``
(HS-6 code, tier such as ``1``, ``2``, ``3.A``, ``4.B``). A code's chapter,
heading and subheading are its 2-, 4- and 6-digit prefixes (worked out in
the trade views: :data:`redthread.trade.table.DERIVED_COLUMNS`).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

_DIGITS = re.compile(r"[\s.\-/]")
_FLOAT = re.compile(r"\d{5,}\.0")
#: Lengths a normalised HS code may have (chapter, heading, subheading, national lines).
VALID_LENGTHS = (2, 4, 6, 8, 10)


def normalise_hs(raw: object) -> str | None:
    """HS code as digits only: ``"8507.60"`` -> ``"850760"``; None if invalid.

    Dots, spaces, dashes and slashes are dropped; a code of odd length one
    short of a valid length had its leading zero lost in a spreadsheet and
    gets it back (``"30490"`` -> ``"030490"``). Anything left that is not 2,
    4, 6, 8 or 10 digits is not an HS code.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if _FLOAT.fullmatch(text):  # a spreadsheet turned the code into a number
        text = text[:-2]
    text = _DIGITS.sub("", text)
    if not text.isdigit():
        return None
    if len(text) % 2 == 1 and len(text) >= 3 and len(text) + 1 in VALID_LENGTHS:
        text = "0" + text
    if len(text) not in VALID_LENGTHS or text[:2] == "00":
        return None
    return text


@lru_cache(maxsize=1)
def chpl_table() -> dict[str, str]:
    """HS-6 -> CHPL tier, from the copy of the list shipped with redthread."""
    path = resources.files("redthread.data").joinpath("chpl_hs6.csv")
    with path.open("r", encoding="utf-8") as fh:
        return {row["hs6"].strip(): row["tier"].strip() for row in csv.DictReader(fh)}


def chpl_tier(code: str | None) -> str | None:
    """The CHPL tier of a normalised HS code (matched at HS-6), or None."""
    if not code or len(code) < 6:
        return None
    return chpl_table().get(code[:6])


def tier_rank(tier: str | None) -> int | None:
    """The numeric tier (1 = highest priority) of ``"3.A"`` and the like."""
    if not tier:
        return None
    head = tier.split(".", 1)[0]
    return int(head) if head.isdigit() else None
