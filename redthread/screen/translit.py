"""Scripts to Latin: Cyrillic, Chinese (pinyin), accented Latin, the rest.

Pure functions. Cyrillic uses a fixed table (Russian and Ukrainian letters,
BGN/PCGN-like, kept in ``vocabulary.yaml``) rather than ICU: it is ten times
faster and deterministic; the spelling variants different standards produce (Yegor/Egor,
Sergeyevich/Sergeevich, Serhii/Sergei) are reconciled later by
:func:`redthread.screen.names.skeleton`. Chinese characters become pinyin
syllables (pypinyin, no tones), one token per character. Any other script
falls back to ``normality.ascii_text``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from redthread.screen.vocabulary import CYRILLIC, LATIN_EXTRA

_TABLE = str.maketrans({**CYRILLIC, **LATIN_EXTRA})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: Hiragana and katakana (the katakana middle dot ・ separates the words of a foreign name).
_KANA = re.compile(r"[\u3041-\u30ff]")
_KANA_DOT = re.compile(r"[?\u30fb]")


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese characters."""
    return _CJK.search(text) is not None


@cache
def _char_pinyin(char: str) -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    return to_ascii(readings.split(",")[0]) if readings else ""


def _phrases() -> dict[str, list[list[str]]]:
    from pypinyin.phrases_dict import phrases_dict

    table: dict[str, list[list[str]]] = phrases_dict
    return table


def pinyin(text: str) -> list[str]:
    """Pinyin syllables (no tones) of the Chinese characters in ``text``.

    Uses pypinyin's dictionaries directly: the longest known phrase (up to
    four characters) first, so heteronyms read right (重庆 -> chong qing),
    else each character's first reading. Runs of other characters are kept
    as ASCII words. Ten times faster than calling ``lazy_pinyin`` per name.
    """
    phrases = _phrases()
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        if not _CJK.match(text[i]):
            j = i
            while j < n and not _CJK.match(text[j]):
                j += 1
            out.extend(w for w in to_ascii(text[i:j]).split() if w)
            i = j
            continue
        for size in (4, 3, 2):
            seg = text[i:i + size]
            if len(seg) == size and seg in phrases:
                out.extend(to_ascii(r[0]) for r in phrases[seg])
                i += size
                break
        else:
            syl = _char_pinyin(text[i])
            if syl:
                out.append(syl)
            i += 1
    return [s for s in out if s]


@lru_cache(maxsize=200_000)
def to_ascii(text: str) -> str:
    """Lower-case ASCII form of a non-Chinese string (letters, digits, spaces).

    Accents are dropped by decomposition, except in Japanese kana, whose
    voicing marks decompose too but make another sound (バ is ba, ハ is ha):
    kana go to normality whole.
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(_TABLE)
    if _KANA.search(text):
        import normality

        return _KANA_DOT.sub(" ", normality.ascii_text(text) or "")
    if _NON_ASCII.search(text):
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        if _NON_ASCII.search(text):
            import normality

            text = normality.ascii_text(text) or ""
    return text
