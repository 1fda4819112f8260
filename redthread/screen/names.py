"""Name analysis for screening: any script in, comparable tokens out.

A name becomes a :class:`NameForm`:

- ``core``: the identity-bearing tokens, in ASCII (Cyrillic transliterated,
  Chinese characters as pinyin syllables);
- ``generic``: canonical generic words (``electronics``, ``trading``; person
  particles like ``al``/``bin``) that help but do not identify;
- ``legal``: the legal-form class (``limited`` for LLC/OOO/Co., Ltd./有限公司,
  ``jsc`` for JSC/AO/PAO, ``fze``, ``llp``, ``corp``), removed from the tokens;
- ``cjk``: the name was written in Chinese characters.

Comparison then works on :func:`skeleton` forms of tokens, which fold the
spelling variants transliteration standards produce (Yegor/Egor,
Sergeyevich/Sergeevich, Serhii/Sergei/Sergey, Aleksandr/Alexandr) into one.
Chinese company names are parsed by structure: place + core name + industry
word(s) + legal form (厦门北海电子有限公司 -> core ``xia men bei hai``,
generic ``electronics``, legal ``limited``), so they meet the English
rendering "Xiamen Beihai Electronics Co., Ltd." through the compact form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from redthread.screen.translit import has_cjk, pinyin, to_ascii
from redthread.screen.vocabulary import (
    CHINESE_FORMS,
    CHINESE_GENERIC,
    CHINESE_LEGAL_FORMS,
    GENERIC_WORDS,
    LEGAL_FORMS,
    NUMBER_WORDS,
    ORG_PREFIXES,
    PERSON_PARTICLES,
    PERSON_TITLES,
    STOPWORDS,
)

PERSON = "person"
ORG = "org"
#: The longest acronym looked for (letters, words).
MAX_ACRONYM = 8

_SPLIT = re.compile(r"[^a-z0-9]+")
#: Dotted initials in an organisation's name ("A.B.C.", "L.X.C"): one word
#: written with dots, so "A.B.C. Company" is "ABC Company" and the letters
#: keep their order ("C.B.A." is another name).
_DOTTED = re.compile(r"(?<!\w)(?:\w\.){2,}\w?(?!\w)")
_MAX_FORM_TOKENS = max(len(k.split()) for k in LEGAL_FORMS)
_MAX_GENERIC_TOKENS = max(len(k.split()) for k in GENERIC_WORDS if k.isascii())
_GENERIC_ASCII = {k: v for k, v in GENERIC_WORDS.items() if k.isascii()}

# One pass, longest spelling first: each letter group maps to one code letter.
# Code letters only need to be distinct, not readable.
_SKELETON_MAP = {
    "shch": "x", "sch": "x", "sh": "x", "dzh": "j", "dj": "j", "zh": "j", "j": "j", "kh": "q",
    "tch": "c", "ch": "y", "ts": "c", "tz": "c", "ph": "f", "th": "t", "ck": "k", "gh": "g",
    "x": "ks", "q": "k", "w": "v", "c": "k", "h": "g", "y": "i",
    # Russian ё is written e, yo or jo (Semenov / Semyonov / Semjonov, Fedor / Fyodor).
    "yo": "e", "jo": "e",
}
_SKELETON_RE = re.compile("|".join(sorted(_SKELETON_MAP, key=len, reverse=True)))
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLE = re.compile(r"(.)\1+")
_LEADING_Y = re.compile(r"^[yj](?=[aeiou].{2})")
_SKELETONS: dict[str, str] = {}


def skeleton(token: str) -> str:
    """A phonetic key of one ASCII token that folds transliteration variants.

    Leading ``y`` before a vowel is dropped in longer tokens (Yegor -> Egor), letter groups
    are unified (kh, zh, sh, ts, x -> ks, w -> v, h -> g but an initial gh
    apart, y -> i), a run of
    vowels keeps its last vowel (ey/ei/ii/iy -> i, ye -> e) and doubled
    letters collapse. Digits are kept as they are.
    """
    key = _SKELETONS.get(token)
    if key is None:
        if token.isdigit():
            key = token
        else:
            key = _LEADING_Y.sub("", token)
            # h and g meet (Serhii / Sergei, Heorhii / Georgii, Hassan /
            # Gassan), but an initial gh stays apart: Ghassan is not Hassan.
            lead = ""
            if key.startswith("gh"):
                lead, key = "5", key[2:]
            key = lead + _SKELETON_RE.sub(lambda m: _SKELETON_MAP[m.group()], key)
            key = _VOWELS.sub(lambda m: m.group()[-1], key)
            key = _DOUBLE.sub(r"\1", key)
        if len(_SKELETONS) < 2_000_000:
            _SKELETONS[token] = key
    return key


#: A token as comparison needs it: ASCII, skeleton, weight, is a number.
Token = tuple[str, str, float, bool]
GENERIC_WEIGHT = 0.25


def rejoin(skeletons: list[str] | tuple[str, ...]) -> str:
    """Skeletons written together, re-folded across the joins (yong+gui = yonggui)."""
    return _DOUBLE.sub(r"\1", _VOWELS.sub(lambda m: m.group()[-1], "".join(skeletons)))


_CONSONANTS = re.compile(r"[aeiou]")


def consonants(token: str) -> str:
    """A spelling without vowels, doubles collapsed (Mohammed and Muhammad meet here)."""
    return _DOUBLE.sub(r"\1", _CONSONANTS.sub("", token))


@dataclass(frozen=True)
class NameForm:
    """One analysed name (see the module docstring).

    ``hanzi`` keeps the Chinese characters of the core, so that two names
    both written in characters are compared as characters, not as pinyin
    (different characters often share a reading).
    """

    text: str
    kind: str
    core: tuple[str, ...]
    generic: tuple[str, ...] = ()
    legal: str | None = None
    cjk: bool = False
    hanzi: str = ""

    @property
    def skeletons(self) -> tuple[str, ...]:
        return tuple(skeleton(t) for t in self.core)

    @cached_property
    def table(self) -> tuple[Token, ...]:
        """Core then generic tokens, ready for alignment (computed once per name)."""
        core = [(t, skeleton(t), 1.0, t.isdigit()) for t in self.core]
        generic = [(t, skeleton(t), GENERIC_WEIGHT, t.isdigit()) for t in self.generic]
        return tuple(core + generic)

    def compacts(self) -> tuple[tuple[str, str], ...]:
        """The core written together, as (skeleton, ASCII) pairs.

        Chinese person names also give the given-name-first order; a person's
        name with particles also the whole name written together
        (:attr:`whole`). Computed once per name.
        """
        return self._compacts

    @cached_property
    def _compacts(self) -> tuple[tuple[str, str], ...]:
        joined = "".join(self.core)
        out = [(skeleton(joined), joined)]
        if self.cjk and self.kind == PERSON and len(self.core) > 1:
            alt = "".join(self.core[1:] + self.core[:1])
            out.append((skeleton(alt), alt))
        if self.whole is not None:
            out.append(self.whole)
        return tuple(out)

    @cached_property
    def whole(self) -> tuple[str, str] | None:
        """A person's name written together with its particles in place, when it has any.

        A split pinyin given name may hold a syllable that is a particle
        elsewhere ("Deng Tao Bin"); a slip across "Al-Tamimi" moves the
        token boundary.
        """
        if not (self.generic and self.kind == PERSON and not self.cjk):
            return None
        whole = _spelled_whole(self.text)
        return None if whole == "".join(self.core) else (skeleton(whole), whole)

    @cached_property
    def initials(self) -> str:
        """The first letters of an organisation name's words, in order: the acronym it may go by.

        "People's Liberation Army" -> ``pla``; legal forms, stop words, numbers
        and lone letters (the "s" of "People's") left out. Empty for persons,
        Chinese names and names of one word or more than eight.
        """
        if self.kind == PERSON or self.cjk:
            return ""
        toks, _ = _strip_legal(tokens(_DOTTED.sub(lambda m: m.group(0).replace(".", ""), self.text)))
        words = [t for t in toks if t not in STOPWORDS and len(t) > 1 and not t.isdigit()]
        return "".join(w[0] for w in words) if 2 <= len(words) <= MAX_ACRONYM else ""

    def short_words(self) -> tuple[str, ...]:
        """Words of a short organisation name that may be an acronym (two to eight letters)."""
        if self.kind == PERSON or self.cjk or len(self.core) > 2:
            return ()
        return tuple(t for t in self.core if 2 <= len(t) <= MAX_ACRONYM and t.isalpha())

    def encode(self) -> str:
        """A compact string form (what the screening index stores per name)."""
        return "\t".join((" ".join(self.core), " ".join(self.generic), self.legal or "",
                          self.kind, self.hanzi or ("1" if self.cjk else "")))

    @staticmethod
    def decode(text: str, data: str) -> NameForm:
        return _decode(text, data)


@lru_cache(maxsize=500_000)
def _decode(text: str, data: str) -> NameForm:
    core, generic, legal, kind, cjk = data.split("\t")
    hanzi = cjk if cjk and cjk != "1" else ""
    return NameForm(text, kind, tuple(core.split()), tuple(generic.split()), legal or None, bool(cjk), hanzi)


@lru_cache(maxsize=200_000)
def _spelled_whole(text: str) -> str:
    """A person's name written together, particles in place, titles left out."""
    toks = tokens(text)
    return "".join(t for t in toks if t not in PERSON_TITLES) or "".join(toks)


def tokens(text: str) -> list[str]:
    """ASCII tokens of a non-Chinese string."""
    return [t for t in _SPLIT.split(to_ascii(text)) if t]


def analyze(text: str, kind: str = ORG) -> NameForm | None:
    """Analyse one name as a person's (``PERSON``) or anything else's (``ORG``).

    Returns None when nothing identifying is left (an empty string, or a
    name that is only a legal form).
    """
    text = text.strip()
    if not text:
        return None
    if has_cjk(text):
        return _analyze_chinese(text, kind)
    if kind == PERSON:
        # No stop words here: "Y. I. Petrov" has initials that look like them.
        return _person(text, tokens(text), cjk=False)
    joined = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    # A per cent sign is a word ("3%ers" are the Three Percenters).
    return _org(text, tokens(joined.replace("%", " percent")))


def _person(text: str, toks: list[str], cjk: bool) -> NameForm | None:
    toks = [t for t in toks if t not in PERSON_TITLES] or toks
    core = tuple(t for t in toks if t not in PERSON_PARTICLES)
    generic = tuple(t for t in toks if t in PERSON_PARTICLES)
    if not core:
        core, generic = tuple(toks), ()
    if not core:
        return None
    return NameForm(text, PERSON, core, generic, None, cjk)


def _strip_legal(toks: list[str]) -> tuple[list[str], str | None]:
    """Remove legal forms (at the ends, or spelled out inside); return their class."""
    legal: str | None = None
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for size in range(min(_MAX_FORM_TOKENS, len(toks) - 1), 0, -1):
            tail = " ".join(toks[-size:])
            if tail in LEGAL_FORMS:
                cls = LEGAL_FORMS[tail]
                legal = legal if (legal and cls == "company") else cls
                toks = toks[:-size]
                changed = True
                break
            head = " ".join(toks[:size])
            if head in LEGAL_FORMS:
                cls = LEGAL_FORMS[head]
                legal = legal if (legal and cls == "company") else cls
                toks = toks[size:]
                changed = True
                break
    # Spelled-out forms inside the name ("Hwasong Co Ltd Branch", a reordered name).
    i = 0
    while len(toks) > 1 and i < len(toks):
        for size in range(min(_MAX_FORM_TOKENS, len(toks) - 1), 0, -1):
            phrase = " ".join(toks[i:i + size])
            if len(phrase) >= 3 and phrase in LEGAL_FORMS and len(toks) - size >= 1:
                cls = LEGAL_FORMS[phrase]
                legal = legal if (legal and cls == "company") else cls
                toks = toks[:i] + toks[i + size:]
                break
        else:
            i += 1
    return toks, legal


_LONG_GENERIC = sorted(k for k in _GENERIC_ASCII if " " not in k and len(k) >= 8)
_MISSPELT: dict[str, str | None] = {}


def misspelt_generic(tok: str) -> str | None:
    """The generic word a long token misspells by one slip ("Tecnhology"), else None."""
    if len(tok) < 8 or tok.isdigit():
        return None
    if tok in _MISSPELT:
        return _MISSPELT[tok]
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    hit = process.extractOne(tok, _LONG_GENERIC, scorer=OSA.distance, score_cutoff=1)
    found = _GENERIC_ASCII[hit[0]] if hit is not None else None
    if len(_MISSPELT) < 1_000_000:
        _MISSPELT[tok] = found
    return found


_LONG_LEGAL = sorted(k for k in LEGAL_FORMS if " " not in k and len(k) >= 7)


@lru_cache(maxsize=100_000)
def misspelt_legal(tok: str) -> str | None:
    """The legal-form class a long final word misspells by one slip ("Limiteed", "Corporatoin"), else None."""
    if len(tok) < 7 or tok.isdigit():
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    hit = process.extractOne(tok, _LONG_LEGAL, scorer=OSA.distance, score_cutoff=1)
    return LEGAL_FORMS[hit[0]] if hit is not None else None


#: Tens written as a word (twenty .. ninety), which a following unit joins.
_TENS = frozenset(w for w, v in NUMBER_WORDS.items() if v.isdigit() and 20 <= int(v) <= 90)
_UNIT = re.compile(r"([1-9])(st|nd|rd|th)?")


def _ordinal(n: int) -> str:
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")


def numbers(toks: list[str]) -> list[str]:
    """Number words written as digits, the way the other spelling of the name writes them.

    "Brigade Forty-Four", "Brigade Forty 4" and "Brigade 44" are one name; so
    are "Seventh Fleet" and "7th Fleet". A tens word takes the unit after it
    (a word or one digit: "forty 4" is 44, "twenty first" is 21st). The
    words are English (``number_words`` in the vocabulary); a number that
    differs stays a different number ("Fund 2" / "Fund 3").
    """
    out: list[str] = []
    after_tens = False
    for tok in toks:
        num = NUMBER_WORDS.get(tok, tok)
        unit = _UNIT.fullmatch(num) if after_tens else None
        if unit is not None:
            total = int(out[-1]) + int(unit.group(1))
            out[-1] = _ordinal(total) if unit.group(2) else str(total)
            after_tens = False
            continue
        after_tens = tok in _TENS
        out.append(num)
    return out


def _org(text: str, toks: list[str]) -> NameForm | None:
    toks = numbers(toks)
    # A misspelt legal form at the end is a legal form ("Co., Limiteed").
    slip = misspelt_legal(toks[-1]) if len(toks) > 1 else None
    if slip is not None:
        toks = toks[:-1]
    # Legal forms first, stop words after: "S. de R.L. de C.V." is one form
    # only while its "de" is still there.
    toks, legal = _strip_legal(toks)
    legal = legal if slip is None or (legal and legal != "company") else slip
    toks = [t for t in toks if t not in STOPWORDS] or toks
    core: list[str] = []
    generic: list[str] = []
    i = 0
    while i < len(toks):
        for size in range(min(_MAX_GENERIC_TOKENS, len(toks) - i), 0, -1):
            phrase = " ".join(toks[i:i + size])
            if phrase in _GENERIC_ASCII:
                generic.append(_GENERIC_ASCII[phrase])
                i += size
                break
        else:
            tok = toks[i]
            near = misspelt_generic(tok)
            if near is not None:
                generic.append(near)
            else:
                (generic if (len(tok) == 1 and not tok.isdigit()) or tok in ORG_PREFIXES else core).append(tok)
            i += 1
    if not core:
        if not generic:
            return None
        core, generic = generic, []
    return NameForm(text, ORG, tuple(core), tuple(dict.fromkeys(generic)), legal, False)


def _analyze_chinese(text: str, kind: str) -> NameForm | None:
    compact = re.sub(r"[\s()（）·・,，.。\"'“”《》「」]+", "", text)
    if kind == PERSON:
        syllables = pinyin(compact)
        if not syllables:
            return None
        # Surname, then the given name as one word (how pinyin renderings write it).
        person_core = (syllables[0], "".join(syllables[1:])) if len(syllables) > 1 else tuple(syllables)
        return NameForm(text, PERSON, person_core, (), None, True, compact)
    legal: str | None = None
    generic: list[str] = []
    changed = True
    while changed:
        changed = False
        for form in CHINESE_FORMS:
            if compact.endswith(form) and len(compact) > len(form):
                cls = CHINESE_LEGAL_FORMS[form]
                legal = legal if (legal and cls == "company") else cls
                compact = compact[: -len(form)]
                changed = True
                break
        for word in CHINESE_GENERIC:
            if compact.endswith(word) and len(compact) > len(word):
                generic.insert(0, GENERIC_WORDS[word])
                compact = compact[: -len(word)]
                changed = True
                break
    split_core = [t for part in pinyin(compact) for t in _SPLIT.split(part) if t]
    if not split_core:
        return None
    return NameForm(text, ORG, tuple(split_core), tuple(dict.fromkeys(generic)), legal, True, compact)
