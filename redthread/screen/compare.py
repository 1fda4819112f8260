"""Compare two analysed names; say which tokens met which.

Two comparisons run and the better wins:

- *token alignment*: each query token is paired with at most one candidate
  token (same skeleton = 1.0; an initial meeting a name that starts with it;
  else Levenshtein similarity of skeletons above a floor), in any order, so
  "PETROV, Yegor" meets "Egor Petrov". Unpaired tokens cost: a missing
  patronymic or middle name little, an extra query token more. For persons a
  *near-miss guard* applies: when both sides keep an unpaired core token
  (same surname, different given name) the score is cut.
- *compact form*: the core written together, which is what lets pinyin
  syllables (``xia men bei hai``) meet ``Xiamen Beihai`` and catches split
  or joined spellings (used only when the two names are tokenised
  differently, one is Chinese, or a person's name has particles, which are
  then written in place); for Chinese organisation names a compact that ends
  the other (the leading place name left out) still scores, and a shared
  leading place name is no evidence for what follows it.

Generic words (industry words, particles) weigh little; different numbers
in two names ("Fund 2" / "Fund 3") are a strong sign of different parties.
Two names both written in Chinese characters are compared as characters
(:func:`hanzi`), since different characters often share a pinyin reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from redthread.screen.names import PERSON, NameForm, consonants, skeleton
from redthread.screen.translit import pinyin

INITIAL_SCORE = 0.85
VOWEL_VARIANT_SCORE = 0.85
#: A Chinese company name met without its leading place name.
PLACE_DROPPED_SCORE = 0.85
#: Organisation names whose shared distinctive words are all this short (an
#: acronym, "ABC") and that differ in any other word score this much less:
#: many unrelated firms share three letters.
SHORT_ORG_WORD = 3
SHORT_CORE_FACTOR = 0.8
#: First vowels that romanisations of one Arabic or Persian name write either
#: way (Usama / Osama, Uthman / Othman, Ismail / Esmail, Ibrahim / Ebrahim).
#: Such a pair still needs the same consonants (:data:`VOWEL_VARIANT_SCORE`);
#: other first vowels are other names (Omid is not Amid, Omar not Amir).
INITIAL_VOWELS = frozenset({frozenset("ou"), frozenset("ei")})


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The result of comparing two names, with what met what."""

    score: float
    method: str
    pairs: tuple[tuple[str, str, float], ...] = ()


def token_similarity(qa: str, qs: str, ca: str, cs: str, person: bool) -> float:
    """Similarity of two tokens given their ASCII (``a``) and skeleton (``s``) forms.

    Same skeleton: 1.0. An initial meeting a name that starts with it:
    0.85. For persons, the same consonants with close vowels (Mohammed /
    Muhammad, Yousef / Yusuf): 0.85. Else the plain-spelling edit
    similarity (transpositions count one): for persons above 0.8 and with
    the same first letter (a different given name must not pass as a typo),
    for other names at most one slip (two in words of 14 letters or more).
    Skeletons shorter than three letters must match as spelled.
    """
    if qa == ca:
        return 1.0
    if len(qs) < 3 or len(cs) < 3 or (len(qa) >= 6 and is_pinyin_word(qa) and is_pinyin_word(ca)):
        # Short skeletons fold too much, and two pinyin spellings are
        # standard spellings: compare them as written (hanghang is not ganggang).
        qs, cs = qa, ca
    elif qs == cs:
        return 1.0
    if person and (len(qa) == 1 or len(ca) == 1):
        short, long_a, long_s = (qa, ca, cs) if len(qa) == 1 else (ca, qa, qs)
        if len(long_a) > 1 and (long_a[0] == short or long_s[:1] == skeleton(short)
                                or short in _iotated_initials(long_a)):
            return INITIAL_SCORE
        return 0.0
    longest = max(len(qa), len(ca))
    if longest < 4 or qa.isdigit() or ca.isdigit():
        return 0.0
    if abs(len(qa) - len(ca)) > longest * 0.3:
        return 0.0
    if person:
        if qa[0] != ca[0] and qs[0] != cs[0] and frozenset((qa[0], ca[0])) not in INITIAL_VOWELS:
            return 0.0  # Hassan is not Ghassan: typos rarely hit the first letter
        sim = OSA.normalized_similarity(qa, ca)
        sim = sim if sim >= 0.8 else 0.0
        qc = consonants(qa)
        if (len(qc) >= 2 and qc == consonants(ca) and abs(len(qa) - len(ca)) <= 1
                and OSA.normalized_similarity(qs, cs) >= 0.7):
            # Same consonants, other vowels; a plain one-letter slip may score higher.
            return max(VOWEL_VARIANT_SCORE, sim)
        return sim
    # Organisation words: one slip (two in very long words); "Granit" and
    # "Garant" are different words, not a typo.
    # The skeleton's slips count only in long words (compound names written
    # in another standard); in short ones it folds too much (qua/ka).
    slips = OSA.distance(qa, ca) if longest < 8 else min(OSA.distance(qa, ca), OSA.distance(qs, cs))
    if slips > (2 if longest >= 14 else 1) or longest < 5:
        return 0.0
    return 1.0 - slips / longest


#: Letters that write the glide of a Cyrillic iotated vowel (Е, Ё, Ю, Я) at the
#: start of a name in one standard or another: Yevgeniy / Evgenij, Yuriy / Jurij
#: / Iurii, Yaroslav / Jaroslav / Iaroslav.
_GLIDES = "yji"


@lru_cache(maxsize=10_000)
def _iotated_initials(token: str) -> frozenset[str]:
    """Other initials a name may be abbreviated with, where it starts with an iotated vowel."""
    if len(token) < 3:
        return frozenset()
    if token[0] in _GLIDES and token[1] in "aeiou" and token[1] != token[0]:
        # Yevgeniy, Jurij, Iaroslav: the glide may be written y, j or i, or dropped before e.
        return frozenset(_GLIDES) | ({"e"} if token[1] == "e" else set())
    if token[0] == "e":
        return frozenset("yj")  # Evgenij may be Yevgeniy
    return frozenset()


@lru_cache(maxsize=100_000)
def _given_syllables(hanzi: str) -> tuple[str, ...]:
    return tuple(pinyin(hanzi[1:]))


def syllable_match(token: str, syllables: tuple[str, ...]) -> float:
    """A Latin given name against the pinyin syllables of a Chinese one.

    Each syllable must be met in turn, exactly or with one slip that keeps
    its first letter (a typo), so ``xiaomnig`` meets xiao+ming but
    ``xiaoping`` does not: a different initial is a different character,
    and a slip that still reads as pinyin (``qihang`` for ``qiang``) is
    another name.
    """

    def walk(pos: int, k: int, slips: int) -> int | None:
        if k == len(syllables):
            return slips if pos == len(token) else None
        syl = syllables[k]
        if token.startswith(syl, pos):
            found = walk(pos + len(syl), k + 1, slips)
            if found is not None:
                return found
        if slips:
            return None
        for size in (len(syl), len(syl) - 1, len(syl) + 1):
            seg = token[pos:pos + size]
            if size > 0 and seg[:1] == syl[:1] and seg != syl and OSA.distance(seg, syl) <= 1:
                found = walk(pos + size, k + 1, slips + 1)
                if found is not None:
                    return found
        return None

    slips = walk(0, 0, 0)
    if slips is None:
        return 0.0
    if slips and is_pinyin_word(token):
        return 0.0  # a valid reading of other characters (qi+hang is not qiang), not a typo
    return 1.0 if slips == 0 else 0.9


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    from redthread.screen.translit import to_ascii

    out = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            out.add(to_ascii(reading))
    return frozenset(s for s in out if s.isalpha())


@lru_cache(maxsize=100_000)
def is_pinyin_word(token: str) -> bool:
    """True when a token splits into valid pinyin syllables."""
    valid = _syllables()
    ok = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        ok[end] = any(ok[start] and token[start:end] in valid for start in range(max(0, end - 6), end))
    return ok[len(token)]


def _pair_similarity(query: NameForm, cand: NameForm, i: int, j: int, person: bool) -> float:
    qa, qs = query.table[i][0], query.table[i][1]
    ca, cs = cand.table[j][0], cand.table[j][1]
    if query.cjk or cand.cjk:
        # Pinyin is a standard spelling: compare it as written (the
        # skeleton would merge q/c/k and distinct finals).
        if qa == ca:
            return 1.0
        qs, cs = qa, ca
    elif qs == cs and len(qs) >= 3 and not (len(qa) >= 6 and is_pinyin_word(qa) and is_pinyin_word(ca)):
        return 1.0
    if person and (cand.hanzi and not query.hanzi and j == 1) and len(qa) > 1:
        return syllable_match(qa, _given_syllables(cand.hanzi))
    if person and (query.hanzi and not cand.hanzi and i == 1) and len(ca) > 1:
        return syllable_match(ca, _given_syllables(query.hanzi))
    key = (qs, cs, qa, ca, person)
    sim = _MEMO.get(key)
    if sim is None:
        sim = token_similarity(qa, qs, ca, cs, person)
        if len(_MEMO) < 2_000_000:
            _MEMO[key] = sim
    return sim


#: Token-pair similarities already computed (name tokens repeat a lot).
_MEMO: dict[tuple[str, str, str, str, bool], float] = {}


def align(query: NameForm, cand: NameForm) -> NameMatch:  # noqa: C901 — the hot loop of every comparison: one greedy alignment with the person/organisation weights inline, a call per token pair would cost more than it reads better
    """Order-independent token alignment score (see the module docstring)."""
    person = query.kind == PERSON
    q_tok = query.table
    c_tok = cand.table
    scored: list[tuple[float, int, int]] = []
    for i in range(len(q_tok)):
        for j in range(len(c_tok)):
            sim = _pair_similarity(query, cand, i, j, person)
            if sim > 0:
                scored.append((sim, i, j))
    if not scored:
        return NameMatch(0.0, "tokens")
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[str, str, float]] = []
    matched = 0.0
    total = 0.0
    n_core = len(query.core)
    core_pairs = 0
    initial_pairs: list[tuple[str, str]] = []
    for sim, i, j in scored:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        weight = (q_tok[i][2] + c_tok[j][2]) / 2
        if person and (len(q_tok[i][0]) == 1) != (len(c_tok[j][0]) == 1):
            # An initial met a full name (tell it by the lengths: a vowel
            # variant scores the same as an initial but is full evidence).
            weight *= 0.6
            initial_pairs.append((q_tok[i][0], c_tok[j][0]))
        matched += sim * weight
        total += weight
        core_pairs += i < n_core
        pairs.append((q_tok[i][0], c_tok[j][0], round(sim, 3)))
    if core_pairs == 0:
        return NameMatch(0.0, "tokens")
    q_missing = [q_tok[i] for i in range(len(q_tok)) if i not in used_q]
    c_missing = [c_tok[j] for j in range(len(c_tok)) if j not in used_c]
    # An extra query word costs more than an extra candidate word (lists carry
    # longer names than people type); for organisations nearly as much as a
    # met word: "Sepahan Cement X" is not "Sepahan Cement".
    alpha, beta = (0.6, 0.3) if person else (0.9, 0.5)
    total += alpha * sum(t[2] for t in q_missing)
    # The first missing candidate token (a patronymic, a middle name) costs little.
    c_weights = sorted((t[2] for t in c_missing), reverse=True)
    total += sum(beta * w if k == 0 else 2 * beta * w for k, w in enumerate(c_weights))
    score = matched / total if total else 0.0
    if person:
        q_core_missing = any(t[2] == 1.0 and len(t[0]) > 1 for t in q_missing)
        c_core_missing = any(t[2] == 1.0 and len(t[0]) > 1 for t in c_missing)
        if q_core_missing and c_core_missing:
            score *= 0.7  # near-miss guard: a shared surname, a different given name
        elif any((len(qa) > 1 and c_core_missing) or (len(ca) > 1 and q_core_missing) for qa, ca in initial_pairs):
            score *= 0.7  # "Leopold" met only a middle initial while a full given name is left over
        if core_pairs == 1 and len(cand.core) > 1:
            score *= 0.85  # one name against a full name is weak evidence
    else:
        if query.generic and cand.generic and not set(query.generic) & set(cand.generic):
            score *= 0.85  # same core, different trade
        if (q_missing or c_missing) and all(len(q_tok[i][0]) <= SHORT_ORG_WORD for i in used_q if i < n_core):
            score *= SHORT_CORE_FACTOR  # "ABC International" / "ABC Company": three letters identify little
    if any(t[3] for t in q_missing) or any(t[3] for t in c_missing):
        score *= 0.5  # "Fund 2" is not "Fund 3"
    return NameMatch(min(score, 1.0), "tokens", tuple(pairs))


def hanzi(query: NameForm, cand: NameForm) -> NameMatch:
    """Two names written in Chinese characters: compare the characters."""
    q, c = query.hanzi, cand.hanzi
    sim = Levenshtein.normalized_similarity(q, c)
    if query.kind != PERSON and sim < 1.0 and min(len(q), len(c)) >= 2:
        short, long_ = sorted((q, c), key=len)
        if long_.endswith(short):  # the leading place name left out
            sim = max(sim, PLACE_DROPPED_SCORE / 0.9)
    if sim < 1.0:
        sim *= 0.9
    if query.kind != PERSON and query.generic and cand.generic and not set(query.generic) & set(cand.generic):
        sim *= 0.85
    return NameMatch(sim, "hanzi", ((q, c, round(sim, 3)),))


def _digits(form: NameForm) -> set[str]:
    return {t for t in form.core if t.isdigit()}


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _compact_pairs(query: NameForm, cand: NameForm) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Joined forms to compare: core with core; a form with particles only
    with the other's form with particles, or with its core where it has none
    (so the particle "al" does not pass for the given name "Ali")."""
    qw, cw = query.whole, cand.whole
    q_core = [c for c in query.compacts() if c != qw]
    c_core = [c for c in cand.compacts() if c != cw]
    pairs = [(q, c) for q in q_core for c in c_core]
    if qw is not None and cw is not None:
        pairs.append((qw, cw))
    elif qw is not None:
        pairs.extend((qw, c) for c in c_core)
    elif cw is not None:
        pairs.extend((q, cw) for q in q_core)
    return pairs


def compact(query: NameForm, cand: NameForm) -> NameMatch:
    """Similarity of the names written together (pinyin, joined/split words)."""
    person = query.kind == PERSON
    best = 0.0
    best_pair = ("", "")
    cjk = query.cjk or cand.cjk
    for (qc, qa), (cc, ca) in _compact_pairs(query, cand):
        if min(len(qc), len(cc)) < 4:
            continue
        if cjk or (is_pinyin_word(qa) and is_pinyin_word(ca)):
            # Pinyin is compared as written: the skeleton folds distinct
            # syllables (yong and eng, xuan and xian).
            sim = Levenshtein.normalized_similarity(qa, ca)
            lead = _common_prefix(qa, ca)
            if not person and sim < 1.0 and lead >= 4:
                # A shared leading place name is no evidence for the rest:
                # compare what follows it.
                sim = Levenshtein.normalized_similarity(qa[lead:], ca[lead:])
        else:
            sim = Levenshtein.normalized_similarity(qc, cc)
        if not person and cjk and sim < 0.9 and min(len(qa), len(ca)) >= 4:
            # Chinese names lead with a place that renderings often drop.
            short, long_ = sorted((qa, ca), key=len)
            if long_.endswith(short):
                sim = max(sim, PLACE_DROPPED_SCORE)
        if sim > best:
            best, best_pair = sim, (qa, ca)
    if best < (0.93 if person else 0.85):
        return NameMatch(0.0, "compact")
    if not person and query.generic and cand.generic and not set(query.generic) & set(cand.generic):
        best *= 0.85
    if (_digits(query) or _digits(cand)) and _digits(query) != _digits(cand):
        best *= 0.5
    return NameMatch(best * 0.97, "compact", ((best_pair[0], best_pair[1], round(best, 3)),))


def compare_names(query: NameForm, cand: NameForm) -> NameMatch:
    """Characters when both names are Chinese; else the better of tokens and compact form."""
    if query.hanzi and cand.hanzi:
        return hanzi(query, cand)
    tok = align(query, cand)
    if tok.score >= 0.97:
        return tok
    if (not (query.cjk or cand.cjk) and len(query.core) == len(cand.core)
            and not (query.kind == PERSON and (query.generic or cand.generic))):
        # Same tokenisation: the joined form adds nothing but noise, unless
        # particles are involved (a slip across "Al-Tamimi" moves the boundary).
        return tok
    comp = compact(query, cand)
    if comp.score <= tok.score or _different_words_left(query, cand, tok):
        return tok
    return comp


#: Words left over on both sides of two organisation names less alike than
#: this (written together) are different words, not one word split or joined.
LEFTOVER_SIMILARITY = 0.5


def _different_words_left(query: NameForm, cand: NameForm, tok: NameMatch) -> bool:
    """Whether the token alignment met words and left a different word on each side.

    The compact form is for one name split or joined differently
    ("SiemensAG", "Good Will"); two organisation names sharing a long run of
    words and each keeping a short one of its own ("KOREA MARINE FEODOSIA
    OPTICAL PLANT" / "SUE RC FEODOSIA OPTICAL PLANT") are alike written
    together only because the shared words outweigh the differing ones.
    """
    if query.kind == PERSON or query.cjk or cand.cjk or not tok.pairs:
        return False
    met_q = {p[0] for p in tok.pairs}
    met_c = {p[1] for p in tok.pairs}
    q_left = "".join(t for t in query.core if t not in met_q)
    c_left = "".join(t for t in cand.core if t not in met_c)
    return bool(q_left and c_left) and Levenshtein.normalized_similarity(q_left, c_left) < LEFTOVER_SIMILARITY
