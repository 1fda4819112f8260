"""What reading the parse spends its time on: the cheap word tests come before the dear tree walks.

These are speed changes that must not change output (bench/extract/identical.py checks that on the
shared and eval documents); the tests here pin down that the dear step is skipped where its answer
cannot matter, and that where it can matter the answer is the same as before.
"""

from __future__ import annotations

from typing import Any

from redthread.extract import dependency, nlp
from redthread.extract.mentions import Mention


class _CountingSentence(dependency._Sentence):
    """A parsed sentence that counts how often a negation is looked for."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.negation_walks = 0

    def negated(self, tok: Any) -> bool:
        self.negation_walks += 1
        return super().negated(tok)


def _sentence(text: str, names: list[str]) -> _CountingSentence:
    doc = next(nlp.run([text], nlp.PARSE))
    mentions = []
    for i, name in enumerate(names):
        start = text.index(name)
        mentions.append(Mention(start, start + len(name), name, "legal", party=i))
    return _CountingSentence(doc, 0, mentions, dict.fromkeys(range(len(names)), "Company"), [])


def test_a_sentence_without_a_sanction_word_walks_to_no_negation() -> None:
    sent = _sentence("Kestrel Dynamics JSC shipped twelve gyroscopes to Borova Holding OAO in the spring of 2023.",
                     ["Kestrel Dynamics JSC", "Borova Holding OAO"])
    assert list(dependency._sanction_targets(sent)) == []
    assert sent.negation_walks == 0  # before: one walk up the tree for every token outside a name


def test_a_sanction_predicate_still_asks_for_its_negation() -> None:
    said = _sentence("The Treasury sanctioned Kestrel Dynamics JSC on Monday.", ["Kestrel Dynamics JSC"])
    assert [(pred.lemma_, m.text) for pred, m in dependency._sanction_targets(said)] == [
        ("sanction", "Kestrel Dynamics JSC")]
    assert said.negation_walks == 1
    denied = _sentence("The Treasury did not sanction Kestrel Dynamics JSC on Monday.", ["Kestrel Dynamics JSC"])
    assert list(dependency._sanction_targets(denied)) == []
    assert denied.negation_walks == 1

