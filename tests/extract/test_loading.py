"""How the extractor loads: the trimmed start-up must give the very pipeline the full load gave.

Start-up speed is measured in bench/extract/startup.py; these tests check that what the shortcuts
skip is truly the same, so a newer model or spaCy turns the shortcut off instead of changing output.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import spacy

from redthread.extract import countries, nlp


def test_the_packaged_tokenizer_is_spacys_default_and_its_digest_is_the_recorded_one() -> None:
    full = spacy.load(nlp.MODEL, exclude=["senter"])  # the tokenizer read from the model's folder
    saved = Path(full.path) / "tokenizer"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == nlp.DEFAULT_TOKENIZER_SHA256
    default = spacy.load(nlp.MODEL, exclude=["senter", "tokenizer"])  # built from the English defaults
    assert default.tokenizer.to_bytes(exclude=["vocab"]) == full.tokenizer.to_bytes(exclude=["vocab"])


def test_the_pipeline_tokenizes_as_the_full_load_with_dashes_split() -> None:
    old = spacy.load(nlp.MODEL, exclude=["senter"])
    nlp._split_dashes(old)  # what pipeline() did before: read from disk, then the dash rule set on top
    new = nlp.pipeline()
    assert new.tokenizer.to_bytes(exclude=["vocab"]) == old.tokenizer.to_bytes(exclude=["vocab"])
    assert new.pipe_names == old.pipe_names
    text = "(“Kavro”)—three firms—and Lenta–Ost shipped it, e.g. to St. Petersburg."
    assert [t.text for t in new(text)] == [t.text for t in old(text)]
    assert "—" in [t.text for t in new.make_doc(text)]


def test_a_model_whose_tokenizer_differs_is_read_from_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    old = spacy.load(nlp.MODEL, exclude=["senter"])
    nlp._split_dashes(old)
    rebuilt: list[object] = []
    split = nlp._split_dashes

    def spy(loaded: object) -> None:
        rebuilt.append(loaded)
        split(loaded)

    nlp.pipeline.cache_clear()
    monkeypatch.setattr(nlp, "DEFAULT_TOKENIZER_SHA256", "0" * 64)
    monkeypatch.setattr(nlp, "_split_dashes", spy)
    try:
        loaded = nlp.pipeline()
        assert rebuilt == [loaded]  # the file was read and the dash rule set on top, as before
        assert loaded.tokenizer.to_bytes(exclude=["vocab"]) == old.tokenizer.to_bytes(exclude=["vocab"])
    finally:
        nlp.pipeline.cache_clear()


def test_the_ascii_shortcut_of_country_keys_gives_the_full_normalisation() -> None:
    import unicodedata

    def full(name: str) -> str:
        name = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
        return " ".join(countries._SKIP.sub(" ", name).split())

    for name in ["China", "  Hong-Kong ", "St. Kitts & Nevis", "U.S.A.", "Côte d’Ivoire", "Россия", "KOREA (NORTH)", ""]:
        assert countries._norm(name) == full(name)
    assert not countries._other_script("Bosnia and Herzegovina")
    assert countries._other_script("中国")


def test_tokens_map_to_mentions_as_every_token_against_every_mention_did() -> None:
    from redthread.extract.dependency import _Sentence
    from redthread.extract.mentions import Mention

    text = "Orders went from Kavro Optics GmbH and Lenta Ost LLC to Norvel Trading LLC, Petra Lindqvist said."
    names = ["Kavro Optics GmbH", "Lenta Ost LLC", "Norvel Trading LLC", "Optics GmbH", "Petra Lindqvist"]
    mentions = [Mention(text.index(n), text.index(n) + len(n), n, "legal", party=i) for i, n in enumerate(names)]
    offset = 7  # the sentence as the parse sees it: a slice of a longer text
    mentions = [Mention(m.start + offset, m.end + offset, m.text, m.source, party=m.party) for m in mentions]
    doc = next(nlp.run([text], nlp.PARSE))
    brute: dict[int, Mention] = {}
    for m in mentions:
        for tok in doc:
            if m.start <= offset + tok.idx < m.end:
                brute.setdefault(tok.i, m)
    sent = _Sentence(doc, offset, mentions, {}, [])
    assert list(sent.by_token.items()) == list(brute.items())
    assert sent.by_token[next(t.i for t in doc if t.text == "Optics")].text == "Kavro Optics GmbH"

