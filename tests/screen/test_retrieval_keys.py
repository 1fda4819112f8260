"""Names the scorer takes but the index never retrieved (issue #21, round 4): acronyms and kana.

Retrieval is tested on its own (:meth:`ScreeningIndex.candidates`): a name the
index never hands to the scorer is a miss however well it would score.
"""

from __future__ import annotations

from redthread.screen.index import ScreeningIndex, name_keys, query_keys
from redthread.screen.names import ORG, PERSON, analyze
from redthread.screen.record import make_record
from redthread.screen.translit import to_ascii

#: Organisations we made up, and enough others that blocking has something to leave out.
FIRMS = ["Northern Ocean Shipping Trust", "NOSTRA", "Ocean Trust Bank", "Northern Lights Trading",
         "Shipping Services Company", "Trust Company of the North"] + [
    f"{a} {b} Company" for a in ("Amber", "Basalt", "Cobalt", "Delta", "Ember", "Flint")
    for b in ("Mining", "Textiles", "Freight", "Marine", "Grain", "Steel")]


def _index(names: list[str]) -> ScreeningIndex:
    return ScreeningIndex.build([{"id": f"e{k}", "schema": "Organization", "properties": {"name": [n]}}
                                 for k, n in enumerate(names)])


def _retrieved(index: ScreeningIndex, query: str, schema: str = "Organization") -> list[str]:
    return [index.captions[k] for k in index.candidates(make_record(schema, {"name": [query]}))]


def test_an_acronym_retrieves_the_name_it_stands_for() -> None:
    assert "Northern Ocean Shipping Trust" in _retrieved(_index(FIRMS), "NOST")
    assert "Northern Ocean Shipping Trust" in _retrieved(_index(FIRMS), "N.O.S.T.")


def test_a_full_name_retrieves_its_listed_acronym() -> None:
    index = _index([*FIRMS[1:], "NOST"])
    assert "NOST" in _retrieved(index, "Northern Ocean Shipping Trust")


def test_two_long_names_with_the_same_initials_share_no_acronym_key() -> None:
    a, b = analyze("Bright Morning Investments", ORG), analyze("Blue Mountain Imports", ORG)
    assert a is not None and b is not None and a.initials == b.initials == "bmi"
    assert not {k for k in query_keys(a) & name_keys(b) if k[0] in "Aa"}


def test_acronym_keys_are_for_organisations_only() -> None:
    form = analyze("Ali Bin Hassan", PERSON)
    assert form is not None and form.initials == "" and form.short_words() == ()


def test_kana_keep_their_voicing_marks() -> None:
    # バ is ba and ハ is ha: the voicing mark decomposes like an accent but is not one.
    assert to_ascii("バラク・オバマ") == "baraku obama"
    assert to_ascii("ハナ") == "hana"
    assert to_ascii("Müller") == "muller"


def test_a_kana_name_is_retrieved_by_its_latin_spelling() -> None:
    index = ScreeningIndex.build([{"id": "p1", "schema": "Person", "properties": {"name": ["ボリス・ガルバノフ"]}}]
                                 + [{"id": f"x{k}", "schema": "Person", "properties": {"name": [n]}}
                                    for k, n in enumerate(["Boris Petrov", "Ivan Galkin", "Hans Barfuss"])])
    assert "ボリス・ガルバノフ" in _retrieved(index, "Boris Garbanov", "Person")
