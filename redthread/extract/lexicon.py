"""The generic vocabulary of the rules extractor, loaded once from lexicon.yaml.

Data, not code: legal forms, role and kinship words, kinds of organisation,
sanctioning authorities, hedge and negation cues. Compiled regexes are built
once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class Authority:
    name: str
    country: str
    forms: tuple[str, ...]


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation, longest first so that "twin brother" beats "brother"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Lexicon:
    """Word lists and the regexes compiled from them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.legal_suffix: list[str] = data["legal_forms_suffix"]
        self.legal_prefix: list[str] = data["legal_forms_prefix"]
        self.public_body_words = frozenset(data["public_body_words"])
        self.organization_words = frozenset(data["organization_words"])
        self.company_words = frozenset(data["company_words"])
        self.company_nouns: list[str] = data["company_nouns"]
        self.organization_nouns: list[str] = data["organization_nouns"]
        self.public_body_nouns: list[str] = data["public_body_nouns"]
        self.person_titles = frozenset(t.rstrip(".") for t in data["person_titles"])
        self.person_nouns = frozenset(data["person_nouns"])
        self.director_roles: list[str] = data["director_roles"]
        self.employment_roles: list[str] = data["employment_roles"]
        self.employer_roles: list[str] = data.get("employer_roles", [])
        self.organisation_passives: list[str] = data.get("organisation_passives", [])
        self.kinship: list[str] = data["kinship"]
        self.associate_words: list[str] = data["associate_words"]
        self.authorities = [
            Authority(a["name"], a.get("country") or "", tuple(a["forms"])) for a in data["authorities"]
        ]
        self.hedges: list[str] = data["hedges"]
        self.negations: list[str] = data["negations"]
        self.authority_by_form = {f.lower(): a for a in self.authorities for f in a.forms}
        by_name = {a.name: a for a in self.authorities}
        self.list_authorities: list[tuple[re.Pattern[str], Authority]] = [
            (re.compile(r"\b" + re.escape(form) + r"\b", re.IGNORECASE), by_name[name])
            for name, forms in (data.get("list_authorities") or {}).items() for form in forms
        ]

        self.legal_suffix_re = _alternation(self.legal_suffix)
        self.legal_prefix_re = _alternation(self.legal_prefix)
        self.role_re = _alternation(self.director_roles + self.employment_roles)
        self.kin_re = _alternation(self.kinship)
        self.assoc_re = _alternation(self.associate_words)
        self.authority_re = re.compile(
            r"(?<![\w.])(?:the\s+)?(" + _alternation([f for a in self.authorities for f in a.forms]) + r")(?![\w])"
        )
        self.hedge_re = re.compile(r"\b(" + _alternation(self.hedges) + r")\b", re.IGNORECASE)
        self.negation_re = re.compile(
            r"(?<![\w'’])(" + _alternation(self.negations) + r")(?![\w'’])", re.IGNORECASE
        )
        self.ref_nouns_re = _alternation(self.company_nouns + self.organization_nouns + self.public_body_nouns)

    def authority(self, form: str) -> Authority | None:
        """The authority a text form names ("US Treasury" → OFAC), or ``None``."""
        key = re.sub(r"^the\s+", "", form.strip(), flags=re.IGNORECASE).lower()
        return self.authority_by_form.get(key)

    def list_authority(self, phrase: str) -> Authority | None:
        """The authority a phrase names ("the Commerce Department's Entity List"), else the one that keeps the list it names."""
        for m in self.authority_re.finditer(phrase):
            found = self.authority(m.group(1))
            if found is not None:
                return found
        for pattern, authority in self.list_authorities:
            if pattern.search(phrase):
                return authority
        return None

    def is_director_role(self, role: str) -> bool:
        return role.lower() in {r.lower() for r in self.director_roles}


def load_yaml(path: Path) -> Any:
    """A vocabulary file, read with libyaml's C loader when present.

    The pure-Python loader takes a few hundred milliseconds of CPU for our
    vocabularies, a large share of a fresh process's first document.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader either way


@cache
def lexicon() -> Lexicon:
    """The lexicon, parsed once per process."""
    return Lexicon(load_yaml(LEXICON_PATH))
