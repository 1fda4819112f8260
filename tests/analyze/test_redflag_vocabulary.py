"""The red-flag vocabulary is typed data: the packaged file loads, and a malformed one is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.analyze.redflags import WORD_LISTS, vocabulary
from redthread.errors import InputError


def test_packaged_vocabulary_has_every_word_list() -> None:
    vocab = vocabulary()
    for key in WORD_LISTS:
        words = vocab[key]  # type: ignore[literal-required]
        assert words and all(isinstance(w, str) for w in words), key


def test_a_word_list_that_is_not_a_list_names_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "redflags.yaml"
    bad.write_text("unrelated_business: bakery\nsensitive_goods: [drone]\nfree_zones: []\n"
                   "high_risk_destinations: [ru]\ndiversion_hubs: [am]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        vocabulary(bad)
    assert err.value.field == "unrelated_business"
    assert str(bad) in str(err.value)


def test_a_missing_word_list_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "redflags.yaml"
    bad.write_text("unrelated_business: [bakery]\n", encoding="utf-8")
    with pytest.raises(InputError, match="sensitive_goods"):
        vocabulary(bad)
