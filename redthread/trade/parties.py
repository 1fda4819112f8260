"""Trade parties: one FtM entity per normalised name and country.

The id is deterministic, so the same shipper in two files (or two loads)
is one entity, and other modules can compute it from a name and country.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: Prefix of party entity ids.
PREFIX = "tp-"


def normalise_name(name: str) -> str:
    """Casefolded, accents dropped, punctuation and spacing collapsed."""
    if name.isascii():  # NFKD leaves ASCII as it is and finds no combining marks
        text = name
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def party_id(name: str, country: str | None) -> str | None:
    """The FtM id of the party called ``name`` in ``country`` (ISO code or None).

    None when the name has no letters or digits.
    """
    norm = normalise_name(name)
    if not norm:
        return None
    key = f"{norm}|{(country or '').lower()}"
    return PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def party_key(pid: str) -> int:
    """A 64-bit integer standing for the party id ``pid`` in the columnar records.

    Records carry these keys instead of id strings (grouping and writing
    integers is several times faster); the ``parties`` table maps them back.
    Derived from the id alone, so the same party has the same key in every
    load, and canonical ids (from any source) get keys the same way. Two ids
    share a key with odds of about n²/2⁶⁵ (n parties).
    """
    return int.from_bytes(hashlib.sha1(pid.encode("utf-8")).digest()[:8], "big", signed=True)
