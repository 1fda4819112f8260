"""The screening vocabulary is data (vocabulary.yaml): loaded once, checked, and refused when malformed."""

from __future__ import annotations

import pytest

from redthread.errors import InputError
from redthread.screen import vocabulary
from redthread.screen.vocabulary import VOCABULARY_PATH, load, parse

GOOD = VOCABULARY_PATH.read_text(encoding="utf-8")


def test_packaged_vocabulary_gives_the_lookup_tables() -> None:
    voc = load()
    assert voc.legal_forms["ooo"] == "limited"
    assert voc.legal_forms["ano"] == "nonprofit"
    assert voc.generic_words["torgovyi dom"] == "trading"
    assert voc.chinese_legal_forms["有限公司"] == "limited"
    assert "bin" in voc.person_particles and "sheikh" in voc.person_titles
    assert voc.cyrillic["щ"] == "shch"
    # The module's tables are the file's (what names.py and translit.py use).
    assert vocabulary.LEGAL_FORMS == voc.legal_forms
    assert vocabulary.CHINESE_FORMS[0] == "股份有限公司"  # longest first


def _error(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, "voc.yaml")
    return info.value


def test_a_word_that_is_not_text_is_refused_with_its_line_and_section() -> None:
    bad = GOOD.replace('  corp: ["inc",', '  corp: [12,', 1)
    line = bad.splitlines().index(next(ln for ln in bad.splitlines() if ln.startswith("  corp: [12"))) + 1
    err = _error(bad)
    assert (err.path, err.line, err.field) == ("voc.yaml", line, "legal_forms.corp")
    assert str(err).startswith(f"voc.yaml:{line}: legal_forms.corp:")


def test_a_spelling_in_two_classes_is_refused() -> None:
    err = _error(GOOD.replace('  corp: ["inc",', '  corp: ["ooo", "inc",', 1))
    assert "'ooo' is already in class 'limited'" in str(err) and err.line is not None


def test_broken_yaml_missing_and_unknown_sections_are_named() -> None:
    assert _error("legal_forms: [unclosed\n").line is not None
    missing = _error(GOOD.replace("stopwords:", "stop_words:", 1))
    assert missing.field == "stop_words" and "unknown section" in str(missing)
    assert "missing section(s): latin_extra" in str(_error(GOOD.split("\n# Latin letters")[0]))
    assert "must be a mapping" in str(_error("- a list\n- not sections\n"))
    prefixes = next(ln for ln in GOOD.splitlines() if ln.startswith("org_prefixes:"))
    wrong = _error(GOOD.replace(prefixes, 'org_prefixes: {"mv": "vessel"}', 1))
    assert wrong.field == "org_prefixes" and "must be a list of words" in str(wrong)
    assert "empty" in str(_error(""))


def test_letter_tables_take_single_letters_only() -> None:
    err = _error(GOOD.replace('"ß": "ss"', '"ss": "ss"', 1))
    assert err.field == "latin_extra" and "single letters" in str(err)
