"""Recall classes of the peers' labelled pairs left open after round 4 (issue #21, round 5), with our own names.

Each ``same`` pair failed on the matcher of main at 800d645; each ``different``
pair is its look-alike that must stay below the bar, so a matcher that
fixes a class by taking everything fails too. Names are made up.
"""

from __future__ import annotations

from typing import Any

import pytest

from redthread.screen.index import ScreeningIndex
from redthread.screen.names import ORG, PERSON, analyze
from redthread.screen.record import make_record
from redthread.screen.scorers import DEFAULT, get_scorer

THRESHOLD = 0.7
Side = str | dict[str, list[str]]


def score(schema: str, query: Side, cand: Side) -> float:
    def props(side: Side) -> dict[str, Any]:
        return {"name": [side]} if isinstance(side, str) else side

    return get_scorer(DEFAULT).score(make_record(schema, props(query)), make_record(schema, props(cand))).score


# --- Numbers written out, in part or in symbols ("Brigade Forty 4", "3%ers") -----------------------------


@pytest.mark.parametrize(("query", "cand"), [
    ("Battalion Sixty 2", "Battalion 62"),  # a tens word with a digit
    ("Battalion Sixty-Two", "Battalion 62"),
    ("Twenty One Harbour Guards", "21 Harbour Guards"),
    ("The 5%ers Network", "The Five Percenters Network"),  # a per cent sign inside a word
    ("Seventh Tide Brigade", "7th Tide Brigade"),  # an ordinal written out
])
def test_numbers_written_out_meet_their_digits(query: str, cand: str) -> None:
    assert score("Organization", query, cand) >= THRESHOLD


@pytest.mark.parametrize(("query", "cand"), [
    ("Battalion Sixty 3", "Battalion 62"),
    ("Twenty Two Harbour Guards", "21 Harbour Guards"),
    ("The 6%ers Network", "The Five Percenters Network"),
    ("Eighth Tide Brigade", "7th Tide Brigade"),
])
def test_other_numbers_written_out_stay_other_numbers(query: str, cand: str) -> None:
    assert score("Organization", query, cand) < THRESHOLD


def test_number_words_are_digits_in_the_analysis() -> None:
    form = analyze("Battalion Sixty-Two", ORG)
    assert form is not None and "62" in form.core
    form = analyze("The 5%ers Network", ORG)
    assert form is not None and "5" in form.core and "percenters" in form.core


def test_a_number_written_out_retrieves_its_digits() -> None:
    names = ["Battalion 62", "Battalion of the North", "Harbour Guards Sixty", "62 Harbour Street Trading"]
    index = ScreeningIndex.build([{"id": f"e{k}", "schema": "Organization", "properties": {"name": [n]}}
                                  for k, n in enumerate(names)])
    found = [index.captions[k] for k in index.candidates(make_record("Organization",
                                                                     {"name": ["Battalion Sixty 2"]}))]
    assert "Battalion 62" in found


# --- Titles of office before a family name ("President X") ----------------------------------------------


@pytest.mark.parametrize(("query", "cand"), [
    ("President Valdoriev", "Anatol Petrovich Valdoriev"),
    ("Senator Okonkwe", "Chidubem Okonkwe"),
])
def test_a_title_of_office_with_the_family_name_meets_the_person(query: str, cand: str) -> None:
    assert score("Person", query, cand) >= THRESHOLD


def test_a_title_of_office_with_another_family_name_meets_no_one() -> None:
    assert score("Person", "President Valdoriev", "Anatol Petrovich Valdorin") < THRESHOLD


@pytest.mark.parametrize(("query", "cand"), [
    ("President Anatol", "Anatol Petrovich Valdoriev"),
    ("Ambassador Chidubem", "Chidubem Okonkwe"),
    ("Governor Okonkwe", "Chidubem Okonkwo"),
])
def test_a_title_of_office_adds_nothing(query: str, cand: str) -> None:
    bare = query.split(" ", 1)[1]
    assert score("Person", query, cand) == score("Person", bare, cand)


def test_a_title_of_office_is_dropped_from_the_name() -> None:
    form = analyze("President Anatol Valdoriev", PERSON)
    assert form is not None and form.core == ("anatol", "valdoriev")


# --- Arabic romanisations differing in the first vowel (Usama / Osama, Ismail / Esmail) -----------------


@pytest.mark.parametrize(("query", "cand"), [
    ("Osama bin Haddadeh", "Usama bin Khalid ibn Salim ibn Haddadeh"),  # the patronymic chain left out
    ("Esmail Haddadeh", "ISMAIL HADDADEH"),
    ("Omran Kassab", "UMRAN, Kassab"),
])
def test_an_initial_vowel_written_another_way_is_the_same_name(query: str, cand: str) -> None:
    assert score("Person", query, cand) >= THRESHOLD


@pytest.mark.parametrize(("query", "cand"), [
    ("Amir Haddadeh", "OMAR HADDADEH"),  # other vowels and another name, not a romanisation
    ("Omid Haddadeh", "AMID HADDADEH"),  # o/a is no Arabic romanisation pair
    ("Osama bin Haddadeh", "Usama bin Khalid ibn Salim ibn Farouk"),  # another family name
])
def test_other_first_vowels_are_other_names(query: str, cand: str) -> None:
    assert score("Person", query, cand) < THRESHOLD


# --- German legal forms written out (found by bench/screening/peer_style.py) -----------------------------


@pytest.mark.parametrize(("query", "cand"), [
    ("Brennerwald Handel Gesellschaft mit beschränkter Haftung", "BRENNERWALD HANDEL GMBH"),
    ("Brennerwald Handel Gesellschaft mit beschraenkter Haftung", "Brennerwald Handel GmbH"),
    ("Ostmark Kontor Aktiengesellschaft", "OSTMARK KONTOR AG"),
])
def test_a_german_legal_form_written_out_is_its_short_form(query: str, cand: str) -> None:
    assert score("Company", query, cand) >= THRESHOLD
    form = analyze(query, ORG)
    assert form is not None and form.legal is not None and "gesellschaft" not in form.core


def test_a_german_legal_form_written_out_keeps_its_class() -> None:
    assert score("Company", "Ostmark Kontor Gesellschaft mit beschränkter Haftung", "OSTMARK KONTOR AG") < THRESHOLD
