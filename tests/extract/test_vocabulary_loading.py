"""Vocabularies read with libyaml's C loader hold the same data as the pure-Python safe loader gives."""

from __future__ import annotations

import yaml

from redthread.extract import facts


def test_facts_vocabulary_reads_as_the_safe_loader_does() -> None:
    """facts.yaml read with the C loader is the same data the pure-Python safe loader gives."""
    assert facts.vocabulary() == yaml.safe_load(facts.DATA.read_text(encoding="utf-8"))
    assert facts.vocabulary()["goods_nouns"]
