"""What reading the parse spends its time on: the cheap word tests come before the dear tree walks.

These are speed changes that must not change output (bench/extract/identical.py checks that on the
shared and eval documents); the tests here pin down that the dear step is skipped where its answer
cannot matter, and that where it can matter the answer is the same as before.
"""

from __future__ import annotations

from pathlib import Path
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


def test_a_noun_is_looked_up_by_its_modifiers_only_when_its_lemma_can_end_a_frame_phrase(shared: Path) -> None:
    """Exactness of the shortcut over every noun of the shared real documents: never a key lost."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "corpus" / "real" / "texts").glob("*.txt"))]
    phrase_sets = [dependency._noun_phrases(), dependency.frames().sanction_nouns]
    nouns = skipped = 0
    for doc in nlp.run(texts, nlp.PARSE):
        for tok in doc:
            if tok.pos_ not in dependency.NOUN_POS:
                continue
            nouns += 1
            for phrases in phrase_sets:
                if not dependency._may_be_keyed(tok, phrases):
                    skipped += 1
                    assert not phrases & set(dependency._noun_keys(tok)), tok.text
    assert nouns > 500 and skipped > nouns  # most nouns skip the walk for both kinds of frame


def test_a_frame_noun_behind_its_modifiers_is_still_found() -> None:
    sent = _sentence("Arvid Lenz is the general director of Kestrel Dynamics JSC.", ["Arvid Lenz", "Kestrel Dynamics JSC"])
    sent.schema_of[0] = "Person"
    found = [(frame.schema, s.text, t.text) for frame, _, s, t in dependency._candidates(sent)]
    assert ("Directorship", "Arvid Lenz", "Kestrel Dynamics JSC") in found
