"""A second opinion on two names from their *symbols* (nomenklatura's logic-v2 name matcher).

Our own comparison (:mod:`compare`) works on spellings. Some matches have no
spelling in common at all and need knowledge instead: "Ted" is "Theodore",
"Forty-Four" is "44", "Aktiengesellschaft" is "AG", "Сергей" is "Sergejs"
and "贝拉克·奥巴马" is "Barack Obama". rigour tags name parts with such
symbols (Wikidata given-name groups, numerals, organisation types from its
own database) and nomenklatura's logic-v2 aligns two names on shared symbols
before comparing what is left with a typo-aware distance. We use that
name score as a second opinion (:class:`~redthread.screen.scorers.RedthreadV2`
takes the better of the two and then applies its own evidence penalties).

It costs about a millisecond a pair, so the scorer asks only for candidates
our own comparison has not already settled. Entity proxies are named by a
digest of their names, because nomenklatura caches name analysis per entity
id: the same names are analysed once per process, and different names never
share an id.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from followthemoney import model

from redthread.screen.names import tokens
from redthread.screen.vocabulary import PERSON_TITLES

if TYPE_CHECKING:  # nomenklatura's matching package is imported on first use (it loads scikit-learn)
    from nomenklatura.matching.types import FtResult, ScoringConfig

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
#: nomenklatura's ``name_match`` and its config once loaded (None: unavailable), under the key "fn".
Matcher: TypeAlias = "tuple[Callable[[Any, Any, ScoringConfig], FtResult], ScoringConfig]"
_STATE: dict[str, Matcher | None] = {}


def _matcher() -> Matcher | None:
    """nomenklatura's logic-v2 ``name_match`` and its default config (loaded once)."""
    if "fn" not in _STATE:
        with _LOCK:
            if "fn" not in _STATE:
                try:
                    from nomenklatura.matching import get_algorithm
                    from nomenklatura.matching.logic_v2.names.match import name_match

                    algo = get_algorithm("logic-v2")
                    config = algo.default_config() if algo is not None else None
                    _STATE["fn"] = (name_match, config) if config is not None else None
                except ImportError as err:  # nomenklatura is a dependency; be explicit if it is gone
                    log.warning("symbolic name matching unavailable: %s", err)
                    _STATE["fn"] = None
    return _STATE["fn"]


def warm_up() -> None:
    """Load rigour's name data now (about half a second) rather than on the first query."""
    symbolic_score("Person", (("name", "John Smith"),), "Person", (("name", "Jon Smith"),))


def _untitled(value: str) -> str:
    """A query's person name without the titles of office and honorifics it opens with ("President X", "Dr. X").

    rigour drops the titles it knows itself; ours (``person_titles`` in the
    vocabulary) are dropped from the start of a query's names before it sees
    them, so "Senator X" is compared as "X" by both opinions. A title inside
    a name stays ("... Haji Saif Khan": lists write it among the given names,
    where the other name has it too), as do a listed name's titles ("MOHAMMAD,
    Haji Baz": a query may give it as an initial). A name of titles only is kept.
    """
    words = value.split()
    start = 0
    while start < len(words) - 1 and (toks := tokens(words[start])) and all(t in PERSON_TITLES for t in toks):
        start += 1
    return " ".join(words[start:]) if start else value


@lru_cache(maxsize=100_000)
def _proxy(schema: str, props: tuple[tuple[str, str], ...], query: bool = False) -> Any:
    """An entity proxy of the names (a query's person names without our titles: :func:`_untitled`)."""
    digest = hashlib.sha1(repr((schema, props, query)).encode("utf-8")).hexdigest()
    data: dict[str, list[str]] = {}
    found = model.get(schema)
    person = query and found is not None and found.is_a("Person")
    for prop, value in props:
        data.setdefault(prop, []).append(_untitled(value) if person else value)
    return model.get_proxy({"id": "n" + digest, "schema": schema, "properties": data}, cleaned=False)


def symbolic_score(qschema: str, qprops: tuple[tuple[str, str], ...],
                   cschema: str, cprops: tuple[tuple[str, str], ...]) -> tuple[float, str | None]:
    """logic-v2's name score of two entities given as (property, value) pairs, with its explanation."""
    matcher = _matcher()
    if matcher is None or not qprops or not cprops:
        return 0.0, None
    fn, config = matcher
    try:
        schema = model.common_schema(qschema, cschema)
    except Exception:  # schemata that cannot be the same kind of thing
        return 0.0, None
    try:
        res = fn(_proxy(schema.name, qprops, query=True), _proxy(schema.name, cprops), config)
    except Exception as err:  # a name rigour cannot analyse costs this opinion, not the query
        log.debug("symbolic name matching failed: %s", err)
        return 0.0, None
    return float(res.score), res.detail


@lru_cache(maxsize=100_000)
def org_classes(text: str) -> frozenset[str]:
    """The organisation-type classes (``LLC``, ``JSC``, ...) rigour's database finds in a name.

    "Aktiengesellschaft" and "AG" are both ``JSC``; "GmbH" and "Limited
    Liability Company" both ``LLC``; in any language rigour knows.
    """
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names

    try:
        names = analyze_names(NameTypeTag.ORG, [text], phonetics=False, numerics=False)
    except Exception:  # a name rigour cannot analyse has no known class
        return frozenset()
    return frozenset(str(s.id) for n in names for s in n.symbols if s.category == SymbolCategory.ORG_CLASS)
