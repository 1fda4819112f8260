"""Family names: which words of a person's name are the family name, and whether another name keeps it.

Two persons who share given names and nothing else are different people,
however many given names they share and however common those are: "Muhammad
Harris RADIC" is not "DAR, Muhammad Harris", and "Ali Hasan KOVALCHUK" is not
"ALI, Hassan". A word-by-word comparison cannot see this (it scores the two
shared words), so the family name is found first and checked on its own.

Where the family name is known:

- a name written "FAMILY, Given" (how sanctions lists write persons, names
  and aliases alike): the words before the comma;
- the ``lastName`` part, when the name holds all its words.

A query typed in natural order ("Muhammad Harris Radic") has no comma; its
family name is at one end, last in most orders, first in East Asian and
list order ("Kim Jong Un", "PETROV Yegor"). A listed family name met at the
query's start reads the query family-first, so the query's last word must
then be one of the listed name's words too: "Ali Ahmad KHORSHEVA" ends with a
family name of its own and is not "'ALI, Ahmad".

A family name made only of particles says nothing and is left unknown; so
is any name in Chinese characters (their order is their own). One made only
of titles ("SHEIKH, Qari ...") is what the list gives as the family name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import OSA
from rigour.names import Alignment

from redthread.screen.compare import NameMatch, compare_names, token_similarity
from redthread.screen.names import PERSON, NameForm, consonants, skeleton, tokens
from redthread.screen.record import Record
from redthread.screen.vocabulary import PERSON_PARTICLES, PERSON_TITLES

#: How alike two person words must be to count as one word (by :func:`token_similarity`,
#: else by plain edit similarity with the same first letter: transliterations
#: differ in more than one letter, Sergejs / Sergey).
WORD_SIMILARITY = 0.8
SPELLING_SIMILARITY = 0.7
#: A family name met inside a word written together ("VladimirPutin") must be this long.
JOINED_MIN = 4


def person_word_meets(t: str, c: str) -> bool:
    """Same word, or a spelling variant that keeps the first letter (Hassan is not Ghassan).

    An initial meets nothing here: a family name is never abbreviated.
    """
    if len(t) < 2 or len(c) < 2:
        return False
    if token_similarity(t, skeleton(t), c, skeleton(c), True) >= WORD_SIMILARITY:
        return True
    return t[0] == c[0] and OSA.normalized_similarity(t, c) >= SPELLING_SIMILARITY


def _meets_any(word: str, family: Iterable[str]) -> bool:
    """Whether a word may be one of the family name's words, spelled another way.

    Looser than :func:`person_word_meets`: a family name is only *refused* here,
    so any reading that makes it the same name counts: one slip anywhere (Hatib
    / Khatib, a romanisation that drops a letter) or the same consonants (Said /
    Saeed: Arabic romanisations differ mostly in their vowels).
    """
    for f in family:
        if person_word_meets(word, f):
            return True
        if min(len(word), len(f)) >= 4 and OSA.distance(word, f) <= 1:
            return True
        if word[:1] == f[:1] and len(consonants(f)) >= 2 and consonants(word) == consonants(f):
            return True
        if len(f) >= JOINED_MIN and len(word) >= len(f) + 2 and (word.startswith(f) or word.endswith(f)):
            return True  # the name written together: "vladimirputin" holds "putin"
    return False


def _distinct(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in PERSON_PARTICLES and w not in PERSON_TITLES and len(w) > 1)


@lru_cache(maxsize=200_000)
def family_words(form: NameForm, last_names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The family name's words of one analysed person name, or () when unknown (see the module docstring).

    ``last_names``: the record's ``lastName`` values.
    """
    if form.kind != PERSON or form.cjk:
        return ()
    if "," in form.text:
        # A family name of titles only is still the family name the list gives (SHEIKH).
        head = tokens(form.text.split(",", 1)[0])
        return _distinct(head) or tuple(w for w in head if w in PERSON_TITLES)
    for value in last_names:
        words = _distinct(tokens(value))
        if words and all(w in form.core for w in words):
            return words
    return ()


def _ends_meet(core: tuple[str, ...], family: tuple[str, ...], cand_core: tuple[str, ...]) -> bool:
    """Whether a natural-order query's family position meets a listed family name (see the module docstring)."""
    words = [w for w in core if len(w) > 1]
    if not words:
        return True  # initials only: nothing to tell

    def at(word: str, pair: str | None) -> bool:
        # The end word, or the two end words written apart ("Soltan Mohammadi"
        # for SOLTANMOHAMMADI): the pair meets the family name as one word.
        return _meets_any(word, family) or (pair is not None and any(person_word_meets(pair, f) for f in family))

    two = len(words) > 1
    if at(words[-1], words[-2] + words[-1] if two else None):
        return True
    if not at(words[0], words[0] + words[1] if two else None):
        return False
    return not two or any(person_word_meets(words[-1], c) for c in cand_core)


def family_mismatch(query: NameForm, cand: NameForm, query_last: tuple[str, ...] = (),
                    cand_last: tuple[str, ...] = (), cand_given: frozenset[str] = frozenset()) -> bool:
    """True when one side's known family name is not where the other keeps its family name.

    ``query_last`` / ``cand_last``: the records' ``lastName`` values;
    ``cand_given``: the words the candidate's own names use as given names
    (:func:`given_words`). Both names must be persons' (else False).
    """
    if query.kind != PERSON or cand.kind != PERSON or query.cjk or cand.cjk:
        return False
    q_family = family_words(query, query_last)
    c_family = family_words(cand, cand_last)
    if c_family:
        if q_family:
            return not any(_meets_any(w, c_family) for w in q_family) and not any(
                _meets_any(w, q_family) for w in c_family)
        return not _ends_meet(query.core, c_family, cand.core)
    if q_family:
        return not _ends_meet(cand.core, q_family, query.core)
    if cand_given and all(w in cand_given for w in cand.core):
        # An alias of given names only ("CARLOS MARIO" beside "OCHOA VASCO,
        # Carlos Mario"): a query with a word of its own at either end has a
        # family name this alias does not have.
        words = [w for w in query.core if len(w) > 1]
        return any(not _meets_any(end, cand.core) for end in {words[0], words[-1]}) if words else False
    return False


def given_words(rec: Record) -> frozenset[str]:
    """The words a record's own names use as given names: after the comma of its "FAMILY, Given" names, and
    its ``firstName``, ``middleName`` and ``secondName`` parts (memoised on the record)."""
    found: frozenset[str] | None = rec.memo.get("given_words")
    if found is None:
        words = {w for n in rec.names if n.kind == PERSON and "," in n.text for w in tokens(n.text.split(",", 1)[1])}
        words.update(w for p, v in rec.parts if p in ("firstName", "middleName", "secondName") for w in tokens(v))
        found = frozenset(words)
        rec.memo["given_words"] = found
    return found


def _last_names(rec: Record) -> tuple[str, ...]:
    return tuple(v for p, v in rec.parts if p == "lastName")


def best_name_by_family(query: Record, cand: Record, factor: float) -> tuple[NameMatch, str, str, bool]:
    """The best name pair of two records with a family-name mismatch costing ``factor`` of its score.

    Returns the pair's comparison (its own score), the two names, and
    whether their family names disagree.
    """
    best, best_eff, pair, flag = NameMatch(0.0, "none"), 0.0, ("", ""), False
    q_last, c_last = _last_names(query), _last_names(cand)
    for qn in query.names:
        for cn in cand.names:
            res = compare_names(qn, cn)
            if res.score <= best_eff:
                continue
            mismatch = family_mismatch(qn, cn, q_last, c_last, given_words(cand))
            eff = res.score * factor if mismatch else res.score
            if eff > best_eff:
                best, best_eff, pair, flag = res, eff, (qn.text, cn.text), mismatch
                if eff >= 0.999:
                    return best, pair[0], pair[1], flag
    return best, pair[0], pair[1], flag


def family_mismatch_everywhere(query: Record, cand: Record) -> bool:
    """Whether every name pair of two records has disagreeing family names (for an opinion that may pick any)."""
    q_last, c_last, given = _last_names(query), _last_names(cand), given_words(cand)
    return all(family_mismatch(qn, cn, q_last, c_last, given) for qn in query.names for cn in cand.names)


def spelling_pairs_hold(aligned: Iterable[Alignment], person: bool = True) -> bool:
    """Whether every pair of name parts the symbolic matcher met by spelling alone is one word to us.

    The symbolic matcher brings knowledge (given-name groups across scripts,
    nicknames: Ted is Theodore); where it pairs parts by edit distance only
    it is looser than our own person rules. A spelling pair holds when our
    word comparison takes it, or when it is one slip: in the first letter
    only if nothing else is left over on either side (HAJI SSAD KHAN is HAJI
    ASAD KHAN, but "Iyad HIMSI" is not "Muhammad Riyad HIMSI"). Two slips in a
    name ("Vellabati" / "Velayati", "Frederick" / "Friedrich") are another
    name. Organisation words hold by our organisation word rule (one slip in
    a word of five letters or more: "Monedita" is not "Moneta", "Taliban" not
    "Ali"). An opinion resting on a pair that does not hold is no better than ours.
    """
    aligned = tuple(aligned)
    extras = any(not a.qps or not a.rps for a in aligned)
    for a in aligned:
        # A spelling pair scored 0 claims nothing (it counts as unmatched).
        if a.symbol is None and a.qps and a.rps and a.qstr != a.rstr and a.score > 0:
            q, r = a.qstr.replace(" ", ""), a.rstr.replace(" ", "")
            sim = token_similarity(q, skeleton(q), r, skeleton(r), person)
            if sim >= WORD_SIMILARITY or (sim > 0 and not person):
                continue
            if not person or OSA.distance(q, r) > 1 or (q[:1] != r[:1] and extras):
                return False
    return True


def _closest(forms: set[str], names: list[NameForm]) -> NameForm | None:
    best, best_n = None, 0
    for form in names:
        n = len(forms & set(form.core + form.generic))
        if n > best_n:
            best, best_n = form, n
    return best


def aligned_family_mismatch(aligned: Iterable[Alignment], query: Record, cand: Record) -> bool:
    """The family-name check for the symbolic opinion: on the name pair its alignments were made of.

    The symbolic matcher compares every name pair and keeps the best; its
    alignments name the parts they cover, which tell the two names apart
    (the list's name among its aliases). Without alignments, every name pair
    must disagree (:func:`family_mismatch_everywhere`).
    """
    aligned = tuple(aligned)
    qn = _closest({p.comparable for a in aligned for p in a.qps}, query.names)
    cn = _closest({p.comparable for a in aligned for p in a.rps}, cand.names)
    if qn is None or cn is None:
        return family_mismatch_everywhere(query, cand)
    return family_mismatch(qn, cn, _last_names(query), _last_names(cand), given_words(cand))
