"""Word lists the name analyser uses, loaded once from ``vocabulary.yaml`` (package data).

Legal forms, generic business words, particles, titles and the Cyrillic
table are linguistic resources (how legal forms and trade words are spelled
in English, Russian, Ukrainian, Chinese and a few other languages), not facts
about any party, so they live in a data file a linguist can extend without
touching code. The file groups spellings by class (``limited: [ltd, llc,
ooo, ...]``); this module turns it into the lookup tables the analyser uses
(spelling -> class) and checks it on the way: a malformed file fails at
import with an :class:`~redthread.errors.InputError` naming the file, the
line and the section, never with a half-loaded vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from redthread.errors import InputError

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

#: Sections of class -> list of spellings (inverted into spelling -> class).
_GROUPED = ("legal_forms", "chinese_legal_forms", "generic_words", "number_words")
#: Sections that are plain lists of words.
_LISTS = ("org_prefixes", "stopwords", "person_particles", "person_titles")
#: Sections of letter -> Latin letters.
_LETTERS = ("cyrillic", "latin_extra")


@dataclass(frozen=True)
class Vocabulary:
    """The tables of one vocabulary file, ready for lookups."""

    legal_forms: dict[str, str]
    chinese_legal_forms: dict[str, str]
    generic_words: dict[str, str]
    number_words: dict[str, str]
    org_prefixes: frozenset[str]
    stopwords: frozenset[str]
    person_particles: frozenset[str]
    person_titles: frozenset[str]
    cyrillic: dict[str, str]
    latin_extra: dict[str, str]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node, path: str, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
        raise InputError("must be a non-empty text (quote numbers and yes/no)", path, _line(node), where)
    return str(node.value)


def _words(node: yaml.Node, path: str, where: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise InputError("must be a list of words", path, _line(node), where)
    return [_text(item, path, where) for item in node.value]


def _pairs(node: yaml.Node, path: str, where: str) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise InputError("must be a mapping", path, _line(node), where)
    return list(node.value)


def parse(text: str, path: str = str(VOCABULARY_PATH)) -> Vocabulary:  # noqa: C901 — one flat check per kind of malformed node, each naming file, line and section
    """Check and read a vocabulary file's text; errors name the file, line and section."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(err, 'problem', err)}", path,
                         mark.line + 1 if mark is not None else None) from None
    if root is None:
        raise InputError("empty vocabulary file", path)
    sections: dict[str, yaml.Node] = {}
    for key, value in _pairs(root, path, "vocabulary"):
        name = _text(key, path, "section name")
        if name in sections:
            raise InputError("section given twice", path, _line(key), name)
        if name not in (*_GROUPED, *_LISTS, *_LETTERS):
            raise InputError(f"unknown section (known: {', '.join((*_GROUPED, *_LISTS, *_LETTERS))})",
                             path, _line(key), name)
        sections[name] = value
    missing = [s for s in (*_GROUPED, *_LISTS, *_LETTERS) if s not in sections]
    if missing:
        raise InputError(f"missing section(s): {', '.join(missing)}", path)
    tables: dict[str, object] = {}
    for name in _GROUPED:
        table: dict[str, str] = {}
        for key, value in _pairs(sections[name], path, name):
            cls = _text(key, path, name)
            words = _words(value, path, f"{name}.{cls}")  # a sequence node from here on
            for word_node, word in zip(value.value, words, strict=True):
                if word in table and table[word] != cls:
                    raise InputError(f"{word!r} is already in class {table[word]!r}", path,
                                     _line(word_node), f"{name}.{cls}")
                table[word] = cls
        tables[name] = table
    for name in _LISTS:
        tables[name] = frozenset(_words(sections[name], path, name))
    for name in _LETTERS:
        letters: dict[str, str] = {}
        for key, value in _pairs(sections[name], path, name):
            letter = _text(key, path, name)
            if len(letter) != 1:
                raise InputError(f"{letter!r}: keys must be single letters", path, _line(key), name)
            if not isinstance(value, yaml.ScalarNode):
                raise InputError("must be text", path, _line(value), f"{name}.{letter}")
            letters[letter] = str(value.value)
        tables[name] = letters
    return Vocabulary(**tables)  # type: ignore[arg-type]


def load(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Read and check a vocabulary file."""
    return parse(path.read_text(encoding="utf-8"), str(path))


_VOCABULARY = load()

#: Legal-form spellings (ASCII token sequences) -> a cross-language class.
LEGAL_FORMS: dict[str, str] = _VOCABULARY.legal_forms
#: Chinese legal forms -> class.
CHINESE_LEGAL_FORMS: dict[str, str] = _VOCABULARY.chinese_legal_forms
#: Generic business words -> a canonical token (several languages, and Chinese).
GENERIC_WORDS: dict[str, str] = _VOCABULARY.generic_words
#: Number words (English cardinals and ordinals) -> the digits they write ("sixty" -> 60, "seventh" -> 7th).
NUMBER_WORDS: dict[str, str] = _VOCABULARY.number_words
#: Chinese generic words, longest first, for stripping from the end of a name.
CHINESE_GENERIC = sorted((k for k in GENERIC_WORDS if not k.isascii()), key=len, reverse=True)
#: Chinese legal forms, longest first.
CHINESE_FORMS = sorted(CHINESE_LEGAL_FORMS, key=len, reverse=True)
#: Prefixes of vessel and other organisation names that do not identify.
ORG_PREFIXES = _VOCABULARY.org_prefixes
#: Words that carry no identity in any name.
STOPWORDS = _VOCABULARY.stopwords
#: Person-name particles and honorifics: kept, but weigh little.
PERSON_PARTICLES = _VOCABULARY.person_particles
#: Titles dropped from person names.
PERSON_TITLES = _VOCABULARY.person_titles
#: Cyrillic letters -> Latin (BGN/PCGN-like).
CYRILLIC: dict[str, str] = _VOCABULARY.cyrillic
#: Latin letters that Unicode decomposition does not reduce to ASCII.
LATIN_EXTRA: dict[str, str] = _VOCABULARY.latin_extra
