"""Type evidence from the words around a name, beyond its own words.

A trading name without a legal form ("Foo Bar Makine") reads like a person's
name to NER; what the sentence says about it does not: "a director of X" and
"X was incorporated" only fit an organisation, "X is a supplier" and "the dealer, X," name its kind,
"a stake in X" only fits a firm, "X's chief executive, Y" makes Y a person. Each cue is one vote on the mention
(weight 2.0, equal to a unanimous NER label, so a tie goes to the evidence and
two cues outvote NER). Vocabulary lives in lexicon.yaml (``employer_roles``,
``organisation_passives``, ``company_nouns``, ``person_nouns``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Protocol

from redthread.extract.lexicon import Lexicon

_WEIGHT = 2.0
_HEAD_END = r"(?=\s*(?:[,.;:)]|$|\s(?:of|in|with|that|which|who|for|from|and|to|at|on|since|until|by)\b))"


class _Votable(Protocol):
    start: int
    end: int

    def vote(self, schema: str, weight: float) -> None: ...


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns(roles: tuple[str, ...], passives: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    role = _alt(list(roles))
    employer = re.compile(rf"\b(?:{role})\s+(?:of|at|with)\s+(?:the\s+)?$", re.IGNORECASE)
    holder = re.compile(rf"(?:['’]s|\bits)\s+(?:former\s+|then\s+|current\s+)?(?:{role}),?\s+$", re.IGNORECASE)
    passive = re.compile(rf"^\s+(?:was|were|is|has been|had been)\s+(?:\w+ly\s+)?(?:{_alt(list(passives))})\b")
    predicate = re.compile(
        rf"^\s+(?:is|was|remains|became)\s+(?:also\s+)?(?:a|an)\s+((?:[\w-]+\s+){{0,3}}?[\w-]+){_HEAD_END}"
    )
    owner = re.compile(rf"^['’]s\s+(?:former\s+|then\s+|current\s+)?(?:{role})\b", re.IGNORECASE)
    return employer, holder, passive, predicate, owner


#: "a 40 percent stake in X", "shares in X": only an organisation has shares.
_STAKE_IN = re.compile(r"\b(?:stake|stakes|shares|shareholding|equity|interest|holding)\s+in\s+(?:the\s+)?$", re.I)
#: "The dealer, X, ..." / "a supplier, X": a kind named just before the name, set off by a comma.
_KIND_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:[\w-]+\s+){0,3}?([a-z][\w-]*),\s+$")


def context_type_votes(text: str, mention: _Votable, lex: Lexicon) -> None:
    """Vote on ``mention``'s schema from roles, organisation verbs and predicates around it."""
    employer, holder, passive, predicate, owner = _patterns(
        tuple(lex.employer_roles), tuple(lex.organisation_passives)
    )
    before = text[max(0, mention.start - 60) : mention.start]
    after = text[mention.end : mention.end + 80]
    if employer.search(before):
        mention.vote("Company", _WEIGHT)
    if holder.search(before):
        mention.vote("Person", _WEIGHT)
    if passive.match(after) or owner.match(after) or _STAKE_IN.search(before):
        mention.vote("Company", _WEIGHT)
    kind = _KIND_BEFORE.search(before)
    if kind:
        if kind.group(1) in lex.company_nouns:
            mention.vote("Company", _WEIGHT)
        elif kind.group(1) in lex.person_nouns:
            mention.vote("Person", _WEIGHT)
    m = predicate.match(after)
    if m:
        words = m.group(1).lower().split()
        heads = [" ".join(words[-2:]), words[-1]] if len(words) > 1 else [words[-1]]
        company, person = set(lex.company_nouns), lex.person_nouns
        if any(h in company for h in heads):
            mention.vote("Company", _WEIGHT)
        elif any(h in person for h in heads):
            mention.vote("Person", _WEIGHT)
