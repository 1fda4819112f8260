"""Which sanctioning authority a Sanction entity belongs to.

Sources name authorities in many ways ("OFAC", "Office of Foreign Assets
Control", "US Treasury", "U.S. Department of the Treasury"). ``AUTHORITIES``
maps a short code to the phrases that mean it; any other ``--authority``
text is matched as a case-insensitive phrase inside the authority value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Authority code -> phrases (lower case, punctuation-free) that name it.
AUTHORITIES: dict[str, tuple[str, ...]] = {
    "OFAC": (
        "ofac", "office of foreign assets control", "us treasury", "u s treasury",
        "united states treasury", "us department of the treasury",
        "u s department of the treasury", "united states department of the treasury",
        "department of the treasury",
    ),
    "BIS": ("bis", "bureau of industry and security", "us department of commerce", "entity list"),
    "EU": ("eu", "european union", "council of the european union", "european council"),
    "UK": (
        "uk", "ofsi", "hm treasury", "united kingdom", "office of financial sanctions implementation",
        "foreign commonwealth and development office", "fcdo", "uk government",
    ),
    "UN": ("un", "united nations", "un security council", "unsc", "security council"),
}
#: Authority values meaning "every authority".
ANY = {"", "any", "all", "*"}
_PUNCT = re.compile(r"[^\w]+")


def _norm(text: str) -> str:
    return " " + _PUNCT.sub(" ", text.lower().replace("&", " and ")).strip() + " "


def phrases(authority: str) -> tuple[str, ...]:
    """The phrases that name ``authority`` (its aliases, or itself)."""
    code = authority.strip().upper()
    if code in AUTHORITIES:
        return AUTHORITIES[code]
    for aliases in AUTHORITIES.values():
        if _norm(authority).strip() in aliases:
            return aliases
    return (_norm(authority).strip(),)


def authority_matches(authority: str | None, values: Iterable[str]) -> bool:
    """True when one of the Sanction's authority ``values`` is ``authority``.

    ``None`` or ``"any"`` matches every sanction, including ones without an
    authority. Matching is by whole-word phrase, case-insensitive, so "US
    Treasury" matches OFAC but "HM Treasury" does not.
    """
    if authority is None or authority.strip().lower() in ANY:
        return True
    wanted = phrases(authority)
    for value in values:
        text = _norm(value)
        if any(f" {p} " in text for p in wanted):
            return True
    return False
