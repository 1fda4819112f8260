"""Country names to ISO codes, fast enough for the first document of a process.

FtM's ``registry.country.clean`` builds rigour's full territory index on its
first call, transliterating some 30,000 names in every script; in a fresh
process that alone costs seconds, and the extractor asks "is this word a
country?" for nearly every document. This index keeps rigour's territory
data (strong names, then weak names, then places, in that priority, as
rigour does) but keys every name with a cheap normalisation (accents
dropped, casefolded, punctuation squashed) instead of transliterating it:
"Côte d’Ivoire", "Россия" and "中国" are found as written, and a
transliterated spelling that rigour would also accept ("Rossiya") is not,
which English prose does not need.

The Latin-script table, the one nearly every document asks, is generated
from rigour's data ahead of time (``country_names.json``, written by
``python -m redthread.extract.countries``; tests/extract/test_countries.py
checks it against the installed rigour): reading it costs a fresh process a
hundredth of a second where building it cost a fifth. Names in other scripts
are still indexed from rigour when first asked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("country_names.json")

_SKIP = re.compile(r"[.()\[\],;:_\-/ʻ'’]+")


def _norm(name: str) -> str:
    if name.isascii():  # NFKD leaves ASCII as it is and it has no combining marks: the same key, a tenth of the work
        return " ".join(_SKIP.sub(" ", name.casefold()).split())
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return " ".join(_SKIP.sub(" ", name).split())


@cache
def _index(latin: bool = True) -> dict[str, str]:
    """Names → codes; Latin-script names from the generated table, the others built when first asked."""
    if latin:
        data: dict[str, str] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        return data
    return build_index(latin=False)


def build_index(latin: bool = True) -> dict[str, str]:
    """Names → codes from rigour's territory data, for the Latin-script names or the others."""
    from rigour._core import territories_jsonl
    from rigour.data import iter_jsonl_text

    tiers: list[dict[str, str]] = [{}, {}, {}]
    for data in iter_jsonl_text(territories_jsonl()):
        code = data["code"]
        strong = [*data.get("names_strong", []), data.get("name", ""), data.get("full_name", "")]
        for tier, names in enumerate((strong, data.get("names_weak", []), data.get("places", []))):
            for name in names:
                if name and _other_script(name) != latin:
                    tiers[tier].setdefault(_norm(name), code)
        if latin:
            tiers[0].setdefault(code, code)
            if data.get("alpha3"):
                tiers[0].setdefault(data["alpha3"], code)
    out: dict[str, str] = {}
    for table in reversed(tiers):
        out.update(table)
    out.pop("", None)
    return out


def _other_script(text: str) -> bool:
    """Letters outside the Latin script ("Россия", "中国"); punctuation such as ’ does not count."""
    if text.isascii():
        return False
    return any(c.isalpha() and not (c <= "\u024f" or "\u1e00" <= c <= "\u1eff") for c in text)


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO code of the territory ``text`` names ("China" → "cn"), else None."""
    text = text.strip()
    if not text:
        return None
    return _index(not _other_script(text)).get(_norm(text))


def write_table() -> None:
    """Write the Latin-script table from the installed rigour (run after upgrading rigour)."""
    table = build_index(latin=True)
    TABLE_PATH.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                          encoding="utf-8")


if __name__ == "__main__":
    write_table()
