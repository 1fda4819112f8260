"""Scripts to Latin: Cyrillic, Chinese (pinyin), accented Latin, the rest.

Pure functions. Cyrillic uses a fixed table (Russian and Ukrainian letters,
BGN/PCGN-like) rather than ICU: it is ten times faster and deterministic;
the spelling variants different standards produce (Yegor/Egor,
Sergeyevich/Sergeevich, Serhii/Sergei) are reconciled later by
:func:`redthread.screen.names.skeleton`. Chinese characters become pinyin
syllables (pypinyin, no tones), one token per character. Any other script
falls back to ``normality.ascii_text``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian, Serbian/Macedonian, Kazakh letters
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "g", "ќ": "k", "ә": "a", "ғ": "g", "қ": "k",
    "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}
#: Latin letters that Unicode decomposition does not reduce to ASCII.
LATIN_EXTRA = {
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ħ": "h", "ŋ": "n", "ſ": "s",
}
_TABLE = str.maketrans({**CYRILLIC, **LATIN_EXTRA})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese characters."""
    return _CJK.search(text) is not None


def pinyin(text: str) -> list[str]:
    """Pinyin syllables of the Chinese characters in ``text`` (other runs kept as words)."""
    from pypinyin import lazy_pinyin

    return [s for s in (to_ascii(p) for p in lazy_pinyin(text, errors="default")) if s.strip()]


@lru_cache(maxsize=200_000)
def to_ascii(text: str) -> str:
    """Lower-case ASCII form of a non-Chinese string (letters, digits, spaces)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TABLE)
    if _NON_ASCII.search(text):
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        if _NON_ASCII.search(text):
            import normality

            text = normality.ascii_text(text) or ""
    return text
