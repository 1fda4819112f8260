"""Vocabularies read with libyaml's C loader hold the same data as the pure-Python safe loader gives."""

from __future__ import annotations

import yaml

from redthread.extract import facts


def test_facts_vocabulary_reads_as_the_safe_loader_does() -> None:
    """facts.yaml read with the C loader is the same data the pure-Python safe loader gives."""
    assert facts.vocabulary() == yaml.safe_load(facts.DATA.read_text(encoding="utf-8"))
    assert facts.vocabulary()["goods_nouns"]


def test_fact_patterns_compile_on_demand() -> None:
    """A pattern is compiled when first asked, is the same object after, and an unknown name is an error."""
    import re

    import pytest

    patterns = facts._Patterns(facts._sources())
    assert not patterns._compiled
    goods = patterns["goods"]
    assert isinstance(goods, re.Pattern) and patterns["goods"] is goods
    assert list(patterns._compiled) == ["goods"]
    with pytest.raises(KeyError):
        patterns["no such pattern"]
