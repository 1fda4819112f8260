"""False-positive classes of the held-out OFAC variants (issue #21, round 4), with names we wrote ourselves.

Each ``different`` pair scored a match on the matcher of round 3 (main at
0ec741a); each ``same`` pair is the look-alike that must stay a match, so a
matcher that fixes a class by refusing everything fails too.
"""

from __future__ import annotations

from typing import Any

import pytest

from redthread.screen.names import ORG, analyze
from redthread.screen.record import make_record
from redthread.screen.scorers import DEFAULT, get_scorer

THRESHOLD = 0.7

Side = str | dict[str, list[str]]


def score(schema: str, query: Side, cand: Side) -> float:
    def props(side: Side) -> dict[str, Any]:
        return {"name": [side]} if isinstance(side, str) else side

    return get_scorer(DEFAULT).score(make_record(schema, props(query)), make_record(schema, props(cand))).score


#: A listed person as a list writes them: "FAMILY, Given", with the name parts.
ZAFAR = {"name": ["ZAFAR, Omar Harun"], "alias": ["HARUN, Omar"], "firstName": ["Omar Harun"],
         "lastName": ["ZAFAR"]}
GHARBI = {"name": ["GHARBI, Samir Ben Taoufik Ben Lotfi Ben"], "firstName": ["Samir Ben Taoufik Ben Lotfi Ben"],
          "lastName": ["GHARBI"]}
BAKRI = {"name": ["AL-BAKRI, Yasin Nasser Hamed"], "firstName": ["Yasin Nasser Hamed"], "lastName": ["AL-BAKRI"]}
SALLOUM = {"name": ["SALLOUM, Ahmad Riyad"], "firstName": ["Ahmad Riyad"], "lastName": ["SALLOUM"]}


@pytest.mark.parametrize(("different", "same"), [
    # The list's family name met only at the query's start, the query ending in a family name of its own.
    (("Nabil Youssef KRAVETZ", "NABIL, Youssef"), ("Youssef Nabil", "NABIL, Youssef")),
    # An alias's family name met in the middle of the query: the query's own family name is last.
    (("Omar Harun PETRENKO", ZAFAR), ("Omar Harun", ZAFAR)),
    # The family name known from lastName (no comma).
    (("Omar Harun PETRENKO", {"name": ["Omar Harun Zafar"], "lastName": ["Zafar"]}),
     ("Omar Zafar", {"name": ["Omar Harun Zafar"], "lastName": ["Zafar"]})),
    # Given names and patronymic chain shared, another family name: only the symbolic opinion matched.
    (("Samir Ben Taoufik Ben Lotfi Ben KHALIFA", GHARBI), ("Samir Ben Taoufik Ben Lotfi Ben GHARBI", GHARBI)),
    (("Hamed AL-NASSER", BAKRI), ("Yasin Hamed AL-BAKRI", BAKRI)),
])
def test_given_names_alone_never_make_a_match(different: tuple[str, Side], same: tuple[str, Side]) -> None:
    assert score("Person", *different) < THRESHOLD
    assert score("Person", *same) >= THRESHOLD


@pytest.mark.parametrize(("query", "cand"), [
    ("Tariq Al-Hatib", "AL-KHATIB, Tariq"),  # one slip, in the family name's first letter
    ("Bilal Said", "SAEED, Bilal"),  # the same consonants, other vowels
    ("BilalSaeed", "SAEED, Bilal"),  # written together
    ("Saeed Bilal", "SAEED, Bilal"),  # family name first
    ("K. T. Haddad", "HADDAD, Karim Tariq"),  # initials
    ("Karim Haddad", "HADDAD, Karim Tariq"),  # a middle name dropped
    ("Kim Song Chol", "KIM, Song Chol"),
])
def test_a_family_name_spelled_another_way_is_still_the_family_name(query: str, cand: str) -> None:
    assert score("Person", query, cand) >= THRESHOLD


@pytest.mark.parametrize(("different", "same"), [
    # A different first letter while the listed name keeps another given name.
    (("Iyad SALLOUM", SALLOUM), ("Riyad SALLOUM", SALLOUM)),
    # Two slips in a given name (the symbolic matcher's fuzzy pair) make another name.
    (("Frederick Hollenbach", "Friedrich Hollenbach"), ("Friedrych Hollenbach", "Friedrich Hollenbach")),
    (("Omar Vellanati", "Omar Akbar Velayati"), ("Omar A. Velayati", "Omar Akbar Velayati")),
])
def test_symbolic_spelling_pairs_obey_our_person_rules(different: tuple[str, Side], same: tuple[str, Side]) -> None:
    assert score("Person", *different) < THRESHOLD
    assert score("Person", *same) >= THRESHOLD


def test_one_slip_in_a_fully_met_name_still_holds_for_the_symbolic_opinion() -> None:
    # Every part met, one of them with a first-letter slip: a typo, not another person.
    assert score("Person", "Karim Bashir Haji Ssaif Khan Durrani", "Haji Asaif Khan Durrani Karim Bashir") >= THRESHOLD


def test_compact_form_does_not_hide_a_different_word_on_each_side() -> None:
    listed = "SUE RC 'NOVOROSSIYSK SHIPBUILDING YARD'"
    assert score("Company", "KOREA 'NOVOROSSIYSK SHIPBUILDING YARD'", listed) < THRESHOLD
    # Split or joined words are still the compact form's to catch.
    assert score("Company", "NOVOROSSIYSK SHIPBUILDINGYARD", "NOVOROSSIYSK SHIPBUILDING YARD") >= THRESHOLD


@pytest.mark.parametrize(("text", "core", "legal"), [
    ("ALFARERIA TALAVERA, S. DE R.L. DE C.V.", ("alfareria", "talavera"), "limited"),
    ("ALFARERIA TALAVERA, S.A. DE C.V.", ("alfareria", "talavera"), "jsc"),
    ("ALFARERIA TALAVERA S. EN C.", ("alfareria", "talavera"), "llp"),
    ("OTKRYTOE AKTSIONERNOE OBSHCHESTVO ZVEZDA SEVERA", ("zvezda", "severa"), "jsc"),
    ("ZAKRYTOE AKTSIONERNOE OBSHCHESTVO ZVEZDA SEVERA", ("zvezda", "severa"), "jsc"),
])
def test_legal_forms_with_stop_words_and_spelled_out_forms_are_stripped(text: str, core: tuple[str, ...],
                                                                        legal: str) -> None:
    form = analyze(text, ORG)
    assert form is not None
    assert (form.core, form.legal) == (core, legal)
    assert score("Company", text, " ".join(core).upper()) >= 0.9


RUIZ = {"name": ["RUIZ PARRA, Jorge Ivan"], "alias": ["JORGE IVAN", "RUIZ PARRA, Jorge"]}


def test_an_alias_of_given_names_only_has_no_family_name_to_meet() -> None:
    # "JORGE IVAN" is made of the words the list itself gives as given names.
    assert score("Person", "Jorge Ivan KOWALSKI", RUIZ) < THRESHOLD
    assert score("Person", "Jorge Ivan", RUIZ) >= THRESHOLD
    assert score("Person", "Jorge Ivan Ruiz", RUIZ) >= THRESHOLD


def test_symbolic_spelling_pairs_obey_our_organisation_word_rule() -> None:
    listed = {"name": ["PESETA TRANSFER AND EXCHANGE"], "alias": ["PESETA EXCHANGE COMPANY"]}
    # Two slips in an eight-letter word make another word ...
    assert score("Company", "LA PESETITA EXCHANGE COMPANY", listed) < THRESHOLD
    # ... one slip is a typo.
    assert score("Company", "LA PESETTA EXCHANGE COMPANY", listed) >= THRESHOLD


def test_peruvian_closed_joint_stock_form_is_a_legal_form() -> None:
    form = analyze("ANDINA TOURS S.A.C.", ORG)
    assert form is not None and (form.core, form.legal) == (("andina", "tours"), "jsc")


def test_a_misspelt_legal_form_at_the_end_is_a_legal_form() -> None:
    form = analyze("HUBEI STONE GROUP CO., LIMITEED", ORG)
    assert form is not None and (form.core, form.legal) == (("hubei", "stone"), "limited")
    assert score("Company", "HUBEI STONE GROUP CO., LIMITEED", "HUBEI STONE GROUP CO., LIMITED") >= THRESHOLD


def test_a_query_adding_a_word_of_its_own_is_no_middling_symbolic_match() -> None:
    # Round 3 made our own comparison refuse it; the symbolic opinion's
    # middling band must not take it back ...
    assert score("Company", "NORVELL SYSTEMS LIMITED", "NORVELL LTD") < THRESHOLD
    # ... while a country added says where, not who.
    assert score("Company", "Kestrel Bank (Schweiz) AG", "Kestrel Bank AG") >= THRESHOLD
