"""Name analysis and comparison across scripts, forms and orders."""

from __future__ import annotations

import pytest

from redthread.screen.compare import compare_names
from redthread.screen.names import ORG, PERSON, analyze, skeleton
from redthread.screen.record import make_record, normalize_identifier
from redthread.screen.scorers import get_scorer, scorers


def score(schema: str, a: str, b: str, qa: dict | None = None, cb: dict | None = None,
          algorithm: str = "redthread-v1") -> float:
    q = make_record(schema, {"name": [a], **(qa or {})})
    c = make_record(schema, {"name": [b], **(cb or {})})
    return get_scorer(algorithm).score(q, c).score


@pytest.mark.parametrize("a,b", [
    ("yegor", "egor"), ("sergeyevich", "sergeevich"), ("serhii", "sergei"), ("sergey", "sergei"),
    ("dmitriy", "dmitry"), ("tatyana", "tatiana"), ("maksim", "maxim"), ("yuri", "iurii"),
])
def test_skeleton_folds_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_skeleton_keeps_different_names_apart() -> None:
    assert skeleton("ivan") != skeleton("egor")
    assert skeleton("petrov") != skeleton("petrenko")


@pytest.mark.parametrize("text,legal,core", [
    ("ООО «Северный Ветер»", "limited", ("severnyy", "veter")),
    ("Severny Veter LLC", "limited", ("severny", "veter")),
    ("Xiamen Beihai Electronics Co., Ltd.", "limited", ("xiamen", "beihai")),
    ("АО Ромашка", "jsc", ("romashka",)),
    ("JSC Romashka", "jsc", ("romashka",)),
    ("Gulf Star Trading FZE", "fze", ("gulf", "star")),
    ("Northbridge Partners LLP", "llp", ("northbridge", "partners")),
])
def test_legal_forms_across_languages(text: str, legal: str, core: tuple[str, ...]) -> None:
    form = analyze(text, ORG)
    assert form is not None
    assert form.legal == legal
    assert form.core == core


def test_chinese_company_structure() -> None:
    form = analyze("厦门北海电子有限公司", ORG)
    assert form is not None
    assert form.cjk and form.legal == "limited"
    assert form.generic == ("electronics",)
    assert form.core == ("xia", "men", "bei", "hai")
    english = analyze("Xiamen Beihai Electronics Co., Ltd.", ORG)
    assert english is not None
    assert compare_names(english, form).score > 0.9


def test_only_a_legal_form_is_no_name() -> None:
    assert analyze("", ORG) is None
    assert analyze("LLC", ORG) is not None  # a lone word is kept, not dropped


@pytest.mark.parametrize("schema,a,b", [
    ("Person", "Yegor Petrov", "Петров Егор Сергеевич"),             # script, order, missing patronymic
    ("Person", "Yegor Sergeyevich Petrov", "Egor Sergeevich Petrov"),  # transliteration variants
    ("Person", "Serhii Bondarenko", "Сергей Бондаренко"),             # Ukrainian vs Russian spelling
    ("Person", "PETROV, Egor", "Egor Petrov"),                         # list order with a comma
    ("Person", "E. S. Petrov", "Petrov Egor Sergeevich"),              # initials
    ("Person", "Petorv Yegor", "Petrov Egor"),                         # a typo
    ("Person", "Wang Xiaoming", "王小明"),                              # pinyin
    ("Person", "Xiaoming Wang", "王小明"),                              # pinyin, western order
    ("Company", "Xiamen Beihai Electronics Co., Ltd.", "厦门北海电子有限公司"),
    ("Company", "Beihai Electronics", "厦门北海电子有限公司"),           # place left out
    ("Company", "OOO Severny Veter", "ООО Северный ветер"),
    ("Company", "Severnyy Veter LLC", "ООО Северный ветер"),           # OOO = LLC
])
def test_same_party_scores_high(schema: str, a: str, b: str) -> None:
    assert score(schema, a, b) >= 0.75, (a, b)


@pytest.mark.parametrize("schema,a,b", [
    ("Person", "Ivan Petrov", "Egor Petrov"),            # near miss: same surname, other given name
    ("Person", "Ivan Petrov", "Petrov Egor Sergeevich"),
    ("Person", "Wang Xiaoping", "王小明"),
    ("Company", "Alpha Fund 2", "Alpha Fund 3"),         # different numbers
    ("Company", "Northern Wind", "Southern Cross"),
    ("Person", "Petrov", "Petrov Egor Sergeevich"),      # a surname alone is weak
])
def test_different_parties_score_low(schema: str, a: str, b: str) -> None:
    assert score(schema, a, b) < 0.7, (a, b)


def test_identifiers_dates_countries_as_evidence() -> None:
    same_inn = score("Company", "Lomashka", "Romashka", {"innCode": ["7701234567"]}, {"taxNumber": ["7701234567"]})
    assert same_inn >= 0.95
    other_inn = score("Company", "Romashka", "Romashka", {"innCode": ["7701234567"]}, {"innCode": ["7709999999"]})
    assert other_inn < 0.7
    dob_conflict = score("Person", "Egor Petrov", "Egor Petrov", {"birthDate": ["1971-03-14"]},
                         {"birthDate": ["1985-01-01"]})
    dob_same = score("Person", "Egor Petrov", "Egor Petrov Sergeevich", {"birthDate": ["1971-03-14"]},
                     {"birthDate": ["1971-03-14"]})
    assert dob_conflict < 0.8 < dob_same
    country_conflict = score("Company", "Alpha Star", "Alpha Star", {"country": ["cn"]}, {"country": ["ru"]})
    assert country_conflict < 1.0
    assert normalize_identifier("IMO 9123456") == "9123456"
    assert normalize_identifier("n/a") is None


def test_scores_explain_themselves() -> None:
    q = make_record("Person", {"name": ["Yegor Petrov"], "birthDate": ["1971-03-14"]})
    c = make_record("Person", {"name": ["Петров Егор"], "birthDate": ["1971-03-14"]})
    result = get_scorer("redthread-v1").score(q, c)
    assert set(result.features) == {"name", "birth_date_match"}
    name = result.explanations["name"]
    assert name["query"] == "Yegor Petrov" and name["candidate"] == "Петров Егор"
    assert ["yegor", "egor", 1.0] in name["tokens"]
    assert result.explanations["birth_date_match"]["candidate"] == "1971-03-14"


def test_scorer_registry_is_versioned() -> None:
    assert {"redthread-v1", "name-v1"} <= set(scorers())
    assert score("Person", "Egor Petrov", "Egor Petrov", {"birthDate": ["1971"]}, {"birthDate": ["1985"]},
                 algorithm="name-v1") == 1.0


def test_person_kind() -> None:
    form = analyze("AL ZAWAHIRI, Dr. Ayman", PERSON)
    assert form is not None and form.core == ("zawahiri", "ayman") and form.generic == ("al",)


def test_chinese_given_names_by_syllable() -> None:
    from redthread.screen.compare import syllable_match

    assert syllable_match("xiaoming", ("xiao", "ming")) == 1.0
    assert syllable_match("xiaomnig", ("xiao", "ming")) == 0.9      # a typo inside a syllable
    assert syllable_match("xiaoping", ("xiao", "ming")) == 0.0      # another character
    assert score("Person", "Wang Xiaomnig", "王小明") >= 0.75
    # both in characters: characters decide, not their shared reading
    assert score("Person", "王晓明", "王小明") < 0.7
    assert score("Company", "北海电子", "厦门北海电子有限公司") >= 0.75


def test_arabic_vowel_variants_and_first_letter_guard() -> None:
    assert score("Person", "Muhammad Al-Rashid", "Mohammed Al Rashid") >= 0.8
    assert score("Person", "Yusuf Al-Harbi", "Yousef Al Harbi") >= 0.8
    assert score("Person", "Ghassan Al-Harbi", "Hassan Al Harbi") < 0.7


@pytest.mark.parametrize("a,b", [("semyonov", "semenov"), ("semjonov", "semenov"), ("fyodor", "fedor"),
                                 ("heorhii", "georgii")])
def test_skeleton_folds_yo_and_h(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_initial_gh_stays_apart_and_middle_initial_guard() -> None:
    assert skeleton("ghassan") != skeleton("hassan")
    assert score("Person", "Leopold Garwil", "Daniel L. Garwil") < 0.7
    assert score("Person", "Chen Hanghang", "Chen Gangyang") < 0.7
