"""Versioned scoring algorithms, side by side in a registry.

A scorer compares a query :class:`Record` with a candidate and returns a
:class:`Score`: the overall score, per-feature scores (the yente
``features`` object) and an explanation per feature saying which query
value met which candidate value. Scorers never change once published; a
better one is added under a new name (``redthread-v2``), so old results can
be reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from rapidfuzz.distance import OSA
from typing_extensions import TypedDict

from redthread.errors import RedthreadError
from redthread.screen.compare import NameMatch, compare_names, token_similarity
from redthread.screen.family import (
    aligned_family_mismatch,
    best_name_by_family,
    family_mismatch_everywhere,
    person_word_meets,
    spelling_pairs_hold,
)
from redthread.screen.names import PERSON, NameForm, skeleton
from redthread.screen.prepared import symbolic_opinion
from redthread.screen.record import EXCLUSIVE_IDS, Record
from redthread.screen.symbolic import org_classes

#: What one side of a feature showed: a name, date or legal class, the sorted list of them, or name parts
#: as (property, value) pairs.
Shown = str | list[str] | tuple[tuple[str, str], ...]


class Explanation(TypedDict, total=False):
    """Why one feature fired: which query value met (or missed) which candidate value.

    Each feature fills the keys it has: ``name`` its ``method`` and the
    aligned ``tokens`` (query word, candidate word, similarity);
    ``identifier_match`` the ``props`` holding the shared value;
    ``identifier_mismatch`` the ``prop`` whose values differ;
    ``name_symbolic`` logic-v2's ``detail``. It is sent as it stands in
    ``/match``'s ``explanations`` and read back by the CSV writer.
    """

    query: Shown
    candidate: Shown
    method: str
    tokens: list[list[str | float]]
    props: list[str]
    prop: str
    detail: str | None


@dataclass
class Score:
    """A scored comparison, explained."""

    score: float
    features: dict[str, float] = field(default_factory=dict)
    explanations: dict[str, Explanation] = field(default_factory=dict)


class Scorer(Protocol):
    name: str
    description: str
    features: dict[str, str]

    def score(self, query: Record, cand: Record) -> Score: ...


_SCORERS: dict[str, Scorer] = {}


def register(scorer: Scorer) -> Scorer:
    _SCORERS[scorer.name] = scorer
    return scorer


def get_scorer(name: str) -> Scorer:
    try:
        return _SCORERS[name]
    except KeyError:
        raise RedthreadError(f"unknown matching algorithm {name!r}; known: {', '.join(sorted(_SCORERS))}") from None


def scorers() -> dict[str, Scorer]:
    return dict(_SCORERS)


DEFAULT = "redthread-v2"


def best_name(query: Record, cand: Record) -> tuple[NameMatch, str, str]:
    """The best name comparison over all name pairs, with the two names."""
    best = NameMatch(0.0, "none")
    pair = ("", "")
    for qn in query.names:
        for cn in cand.names:
            res = compare_names(qn, cn)
            if res.score > best.score:
                best, pair = res, (qn.text, cn.text)
                if best.score >= 0.999:
                    return best, pair[0], pair[1]
    return best, pair[0], pair[1]


def _year(date: str) -> str:
    return date[:4]


class NameV1:
    """Names only: the best name pair's score."""

    name = "name-v1"
    description = "Names only (transliteration, pinyin, legal forms, order, initials); no other evidence."
    features = {"name": "Best name-pair similarity (token alignment or compact form)."}

    def score(self, query: Record, cand: Record) -> Score:
        match, qname, cname = best_name(query, cand)
        expl: dict[str, Explanation] = {"name": {"query": qname, "candidate": cname, "method": match.method,
                                                 "tokens": [list(p) for p in match.pairs]}}
        return Score(round(match.score, 4), {"name": round(match.score, 4)}, expl)


class RedthreadV1:
    """Names, then identifiers, birth dates and countries as evidence."""

    name = "redthread-v1"
    description = (
        "Name similarity across scripts (transliteration variants, pinyin, Chinese company structure, "
        "legal forms, order, missing middle names, initials, near-miss guard), raised by a shared "
        "identifier (INN, OGRN, USCC, IMO, LEI, ...), lowered by conflicting identifiers, birth dates "
        "or countries."
    )
    features = {
        "name": "Best name-pair similarity.",
        "identifier_match": "A shared identifier (strong evidence): score at least 0.95.",
        "identifier_mismatch": "Both carry an exclusive identifier (INN, OGRN, LEI, IMO, USCC, BIC) and none agree.",
        "birth_date_match": "Same full date of birth.",
        "birth_date_mismatch": "Birth years differ.",
        "country_mismatch": "Both give countries and none agree.",
        "legal_form_mismatch": "Different legal-form classes (LLC vs JSC).",
    }

    def score(self, query: Record, cand: Record) -> Score:
        match, qname, cname = best_name(query, cand)
        return self.evidence(query, cand, match, qname, cname)

    def evidence(self, query: Record, cand: Record, match: NameMatch, qname: str, cname: str) -> Score:
        """The score of a name comparison weighed with the other evidence (identifiers, dates, countries)."""
        score = match.score
        features = {"name": round(match.score, 4)}
        expl: dict[str, Explanation] = {
            "name": {"query": qname, "candidate": cname, "method": match.method,
                     "tokens": [list(p) for p in match.pairs]}}
        shared = query.id_values & cand.id_values
        if shared:
            value = sorted(shared)[0]
            features["identifier_match"] = 1.0
            expl["identifier_match"] = {"query": value, "candidate": value,
                                        "props": sorted(p for p, v in cand.identifiers.items() if value in v)}
            score = max(score, 0.95) if score >= 0.5 else max(score, 0.85)
        else:
            for prop in EXCLUSIVE_IDS:
                qv, cv = query.identifiers.get(prop), cand.identifiers.get(prop)
                if qv and cv:
                    features["identifier_mismatch"] = 1.0
                    expl["identifier_mismatch"] = {"prop": prop, "query": sorted(qv), "candidate": sorted(cv)}
                    score *= 0.6
                    break
        if query.birth_dates and cand.birth_dates:
            full = query.birth_dates & cand.birth_dates
            years_q = {_year(d) for d in query.birth_dates}
            years_c = {_year(d) for d in cand.birth_dates}
            if any(len(d) == 10 for d in full):
                features["birth_date_match"] = 1.0
                expl["birth_date_match"] = {"query": sorted(full)[0], "candidate": sorted(full)[0]}
                score = min(1.0, score + 0.05 * (1 - score) + 0.02)
            elif not years_q & years_c:
                features["birth_date_mismatch"] = 1.0
                expl["birth_date_mismatch"] = {"query": sorted(query.birth_dates),
                                               "candidate": sorted(cand.birth_dates)}
                score *= 0.75
        if query.countries and cand.countries and not query.countries & cand.countries:
            features["country_mismatch"] = 1.0
            expl["country_mismatch"] = {"query": sorted(query.countries), "candidate": sorted(cand.countries)}
            score *= 0.9
        qn = next((n for n in query.names if n.text == qname), None)
        # Any of the candidate's names may carry the query's legal form: a
        # rendering often uses another class than the original (a Chinese
        # joint-stock company written "Co., Ltd.").
        c_legal = sorted({n.legal for n in cand.names if n.legal and n.legal != "company"})
        if qn and qn.legal and qn.legal != "company" and c_legal and qn.legal not in c_legal:
            features["legal_form_mismatch"] = 1.0
            expl["legal_form_mismatch"] = {"query": qn.legal, "candidate": c_legal[0]}
            score *= 0.97
        return Score(round(min(score, 1.0), 4), features, expl)


#: A name score at or above this is settled by our own comparison; below it
#: the symbolic matcher is asked for a second opinion.
SETTLED = 0.97
#: The symbolic opinion overrules ours only when it is this confident: below
#: it, it matches on what our analysis knows to be weak evidence (a place and
#: a trade word shared by two Chinese companies, a shared family name).
SYMBOLIC_CONFIDENT = 0.8
#: Between this and :data:`SYMBOLIC_CONFIDENT` the symbolic opinion counts
#: only when the two names also share a distinctive word (see
#: :func:`shares_core_word`): then a nickname, a transliteration or a
#: dropped word explains the rest, and the opinion is not resting on a place
#: and a trade word alone.
SYMBOLIC_FLOOR = 0.7
#: How alike two core words must be to count as shared: for organisation
#: words by :func:`token_similarity` (one slip); person words by
#: :func:`~redthread.screen.family.person_word_meets`.
CORE_WORD_SIMILARITY = 0.8
#: Words left over on both sides of two person names this alike (plain edit
#: similarity) are taken for one word misspelt, not for two different names.
LEFTOVER_SIMILARITY = 0.6


def _core(form: NameForm) -> list[str]:
    """Core words that can carry a name: three letters for persons (Kim, Ali), four for firms (not BAE)."""
    shortest = 3 if form.kind == PERSON else 4
    return [t for t in form.core if len(t) >= shortest and not t.isdigit()]


def _org_covered(short: list[str], long: list[str]) -> bool:
    """Every core word of the shorter organisation name is (nearly) a word of the longer one."""
    longs = [(t, skeleton(t)) for t in long]
    return all(any(token_similarity(t, skeleton(t), c, cs, False) >= CORE_WORD_SIMILARITY for c, cs in longs)
               for t in short)


def _person_shared(qwords: list[str], cwords: list[str]) -> tuple[int, bool]:
    """How many query name words meet a different candidate name word, and
    whether both names keep a word the other lacks (a different family name
    or given name beside the shared ones)."""
    free = list(cwords)
    left: list[str] = []
    for t in qwords:
        hit = next((c for c in free if person_word_meets(t, c)), None)
        if hit is not None:
            free.remove(hit)
        else:
            left.append(t)
    shared = len(qwords) - len(left)
    # What is left on both sides may still be one word written two ways: a
    # slip in the first letter (Ssad / Asad), or split on one side and joined
    # on the other (Mohammad Hasni / Mohammadhasni).
    for t in list(left):
        hit = next((c for c in free if OSA.normalized_similarity(t, c) >= LEFTOVER_SIMILARITY), None)
        if hit is not None:
            free.remove(hit)
            left.remove(t)
    for words, others in ((left, free), (free, left)):
        for a, b in zip(list(words), list(words)[1:], strict=False):
            joined = next((c for c in others if OSA.normalized_similarity(a + b, c) >= CORE_WORD_SIMILARITY), None)
            if joined is not None and a in words and b in words:
                words.remove(a)
                words.remove(b)
                others.remove(joined)
    return shared, bool(left) and bool(free)


def shares_core_word(query: Record, cand: Record) -> bool:
    """Whether the two names agree on enough distinctive words for a middling symbolic score to count.

    Core words are what is left of a name without legal forms, generic trade
    words and particles. Organisations: every core word of the query is
    (nearly) a word of the candidate — two firms that share a place and a
    trade word but not their own word do not pass, nor a query that adds a
    word of its own, unless it adds a country's name to the whole candidate
    name (round 3's rule for our own comparison). Persons: at
    least two words meet (a shared family name alone does not pass), or the
    query is a single word that meets one, and not both names keep a word
    the other lacks (Isa Tarif Mahmoud is not Isa Tarif Ali). Chinese
    organisation names are
    left out (their leading place name is core; two companies in one city
    share it).
    """
    for qn in query.names:
        qwords = _core(qn)
        if not qwords or (qn.cjk and qn.kind != PERSON):
            continue
        for cn in cand.names:
            cwords = _core(cn)
            if not cwords or (cn.cjk and cn.kind != PERSON):
                continue
            if qn.kind == PERSON:
                shared, both_keep = _person_shared(qwords, cwords)
                if shared >= min(2, len(qwords)) and not both_keep:
                    return True
            elif _org_covered(qwords, cwords):
                # The query's every word: a query adding a word of its own
                # ("X Systems Ltd" for "X Ltd") names another firm ...
                return True
            else:
                # ... but a country added to the whole listed name
                # ("Deutsche Bank (Schweiz) AG") says where, not who.
                rest = [w for w in qwords if not _is_territory(w)]
                if rest and len(rest) < len(qwords) and _org_covered(rest, cwords) and _org_covered(cwords, rest):
                    return True
    return False


@lru_cache(maxsize=100_000)
def _is_territory(word: str) -> bool:
    """Whether a word names a country or territory (rigour's territory database, in many languages)."""
    from rigour.territories import lookup_territory

    return lookup_territory(word) is not None


#: Our legal-form classes (:data:`~redthread.screen.vocabulary.LEGAL_FORMS`)
#: as rigour's organisation-type ids, for names whose form rigour's database
#: does not know (the Russian ANO). "corp" and "company" say too little.
_RIGOUR_CLASS = {"limited": "LLC", "jsc": "JSC", "llp": "LLP", "fze": "LLC", "nonprofit": "NGO"}


def legal_classes(record: Record) -> frozenset[str]:
    """The organisation types a record's names state: rigour's, else ours for a name rigour finds none in.

    Memoised on the record, so an indexed candidate's classes are found once per index.
    """
    cached: frozenset[str] | None = record.memo.get("legal_classes")
    if cached is not None:
        return cached
    out: set[str] = set()
    for n in record.names:
        found = org_classes(n.text)
        if not found and n.legal in _RIGOUR_CLASS:
            found = frozenset({_RIGOUR_CLASS[n.legal]})
        out |= found
    found = frozenset(out)
    record.memo["legal_classes"] = found
    return found


def _name_parts_swapped(query: Record, cand: Record) -> bool:
    """Both sides say which word is the given name and which the family name, and they say it crosswise."""
    q_first, q_last = query.part_values("firstName"), query.part_values("lastName")
    c_first, c_last = cand.part_values("firstName"), cand.part_values("lastName")
    if not (q_first and q_last and c_first and c_last) or q_last & c_last:
        return False
    return bool(q_last & c_first or q_first & c_last)


class RedthreadV2(RedthreadV1):
    """redthread-v1's name comparison with a symbolic second opinion and firmer evidence penalties."""

    name = "redthread-v2"
    description = (
        "redthread-v1's name similarity, with a second opinion from name symbols (rigour's given-name "
        "groups across scripts and nicknames, numbers written out, organisation types; nomenklatura "
        "logic-v2's name matcher) taken when it is higher; a shared identifier raises the score; "
        "conflicting identifiers, birth years, legal forms, countries or swapped first and last names "
        "lower it."
    )
    features = {
        **RedthreadV1.features,
        "name_symbolic": "Name similarity from shared symbols (logic-v2's name matcher), when it beats ours.",
        "name_parts_swapped": "firstName and lastName given on both sides, crosswise.",
        "legal_form_mismatch": "Different organisation types by rigour's database (AG is JSC, GmbH is LLC).",
    }
    #: Penalties (multipliers): evidence against, strong enough to take a
    #: perfect name under the usual 0.7 threshold on its own.
    BIRTH_DATE_MISMATCH = 0.6
    LEGAL_FORM_MISMATCH = 0.68
    NAME_PARTS_SWAPPED = 0.6
    #: Two persons' names whose family names disagree (:mod:`redthread.screen.family`):
    #: shared given names alone never make a match.
    FAMILY_NAME_MISMATCH = 0.6
    #: The index asks for :meth:`first_opinion` of every candidate, then
    #: :meth:`refine` for its best few.

    def score(self, query: Record, cand: Record, second_opinion: bool = True) -> Score:
        first = self.first_opinion(query, cand)
        return self.refine(query, cand, first) if second_opinion else first

    def first_opinion(self, query: Record, cand: Record) -> Score:
        """Our own name comparison, weighed with the evidence (no symbolic opinion).

        Name pairs are chosen with the family-name check applied (a pair
        whose family names disagree counts as that much weaker), so an alias
        that keeps the family name wins over one that does not.
        """
        match, qname, cname, mismatch = best_name_by_family(query, cand, self.FAMILY_NAME_MISMATCH)
        base = self.evidence(query, cand, match, qname, cname)
        features = dict(base.features)
        expl = dict(base.explanations)
        if mismatch:
            features["family_name_mismatch"] = 1.0
            expl["family_name_mismatch"] = {"query": qname, "candidate": cname}
        features.pop("legal_form_mismatch", None)
        expl.pop("legal_form_mismatch", None)
        if query.schema != "Person" and cand.schema != "Person":
            q_cls, c_cls = legal_classes(query), legal_classes(cand)
            if q_cls and c_cls and not q_cls & c_cls:
                features["legal_form_mismatch"] = 1.0
                expl["legal_form_mismatch"] = {"query": sorted(q_cls), "candidate": sorted(c_cls)}
        if _name_parts_swapped(query, cand):
            features["name_parts_swapped"] = 1.0
            expl["name_parts_swapped"] = {"query": query.parts, "candidate": cand.parts}
        return Score(self.weigh(features["name"], features), features, expl)

    def weigh(self, name: float, features: dict[str, float]) -> float:
        """The overall score of a name score, given the evidence found (the features)."""
        score = name
        if "identifier_match" in features:
            score = max(score, 0.95) if score >= 0.5 else max(score, 0.85)
        elif "identifier_mismatch" in features:
            score *= 0.6
        if features.get("birth_date_match"):
            score = min(1.0, score + 0.05 * (1 - score) + 0.02)
        elif features.get("birth_date_mismatch"):
            score *= self.BIRTH_DATE_MISMATCH
        if features.get("country_mismatch"):
            score *= 0.9
        if features.get("legal_form_mismatch"):
            score *= self.LEGAL_FORM_MISMATCH
        if features.get("name_parts_swapped"):
            score *= self.NAME_PARTS_SWAPPED
        if features.get("family_name_mismatch"):
            score *= self.FAMILY_NAME_MISMATCH
        return round(min(score, 1.0), 4)

    def refine(self, query: Record, cand: Record, first: Score, threshold: float | None = None) -> Score:
        """The first opinion, with the symbolic second opinion where it can matter.

        The symbolic matcher is asked only when our name score is not settled
        and, given a ``threshold``, only when its answer can change the
        decision: the first opinion is not already a match, and a perfect
        name with the same evidence would be one.
        """
        name = first.features["name"]
        if name >= SETTLED:
            return first
        # The symbolic matcher may meet another name pair than ours: the
        # family-name check holds for it only where it holds for every pair.
        features = {k: v for k, v in first.features.items() if k != "family_name_mismatch"}
        if "family_name_mismatch" in first.features and family_mismatch_everywhere(query, cand):
            features["family_name_mismatch"] = 1.0
        if threshold is not None and (first.score >= threshold or self.weigh(1.0, features) < threshold):
            return first
        sym, detail, aligned = symbolic_opinion(query, cand)  # names analysed once per record (prepared.py)
        if not (sym > name and (sym >= SYMBOLIC_CONFIDENT
                                or (sym >= SYMBOLIC_FLOOR and shares_core_word(query, cand)))):
            return first
        if not spelling_pairs_hold(aligned, person=any(n.kind == PERSON for n in query.names)):
            return first
        features.pop("family_name_mismatch", None)
        if cand.schema == "Person" and aligned_family_mismatch(aligned, query, cand):
            features["family_name_mismatch"] = 1.0
        features["name_symbolic"] = round(sym, 4)
        expl = {k: v for k, v in first.explanations.items() if k in features}
        expl["name_symbolic"] = {"detail": detail}
        second = Score(self.weigh(sym, features), features, expl)
        return second if second.score > first.score else first


register(RedthreadV1())
register(RedthreadV2())
register(NameV1())
