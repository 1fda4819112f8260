"""Name analysis prepared once: per indexed candidate (while the index lives) and per query.

The symbolic second opinion (:mod:`redthread.screen.symbolic`, nomenklatura
logic-v2's name matcher) spends most of its time in rigour's analysis of
the two names, not in comparing them; nomenklatura caches that analysis per
entity in an LRU of 1,000 entries, which a server screening a list of
10,000+ entities runs through in a few hundred queries, so a candidate met
again is analysed again. Here the analysis is kept on the candidate's
:class:`~redthread.screen.record.Record` itself (``Record.memo``): the
screening index keeps one record per entity (:meth:`ScreeningIndex.record`),
so each candidate's names are analysed once per index, and a new load or
judgement — which replaces the index (its content digest changes) — starts
afresh, never scoring a candidate on names it no longer has. The query's
record lives for one request: its analysis is made once and used against
every candidate.

:func:`symbolic_score` gives exactly what
:func:`redthread.screen.symbolic.symbolic_score` gives (a test compares them
on the shared peer pairs); it runs nomenklatura's own pieces (pairing,
symbolic alignment, explanation) on the prepared names instead of letting
``name_match`` analyse both entities again.
"""

from __future__ import annotations

import logging
from typing import Any

from followthemoney import model
from followthemoney.names import entity_names, schema_type_tag
from rigour.names import Alignment, CompareConfig, Name, NameTypeTag

import redthread.screen.symbolic as symbolic
from redthread.screen.record import Record

log = logging.getLogger(__name__)

#: The analysed names of one side: all of them, and those not contained in a longer one.
Names = tuple[set[Name], set[Name]]


def _names(rec: Record, schema: str, is_query: bool) -> Names:
    """rigour's tagged names of a record analysed as ``schema`` (memoised on the record)."""
    key = ("symbolic", schema, is_query)
    found: Names | None = rec.memo.get(key)
    if found is None:
        proxy = symbolic._proxy(schema, rec.name_props, query=is_query)
        names = entity_names(proxy, None, infer_initials=is_query, consolidate=False)
        found = (names, Name.consolidate_names(names))  # never mutated: shared by every comparison
        rec.memo[key] = found
    return found


def org_classes(rec: Record) -> frozenset[str]:
    """The organisation-type classes of all of a record's names (memoised on the record)."""
    found: frozenset[str] | None = rec.memo.get("org_classes")
    if found is None:
        found = frozenset().union(*(symbolic.org_classes(n.text) for n in rec.names))
        rec.memo["org_classes"] = found
    return found


def symbolic_score(query: Record, cand: Record) -> tuple[float, str | None]:
    """logic-v2's name score of two records, with its explanation (see the module docstring)."""
    score, detail, _ = symbolic_opinion(query, cand)
    return score, detail


#: logic-v2's score, its explanation and the alignments behind it (what met what, and how).
Opinion = tuple[float, str | None, tuple[Alignment, ...]]


def symbolic_opinion(query: Record, cand: Record) -> Opinion:
    """:func:`symbolic_score` with the alignments of the best name pair (empty when not analysed).

    The alignments say which parts met by a shared symbol (knowledge: a
    given-name group, a nickname, a number) and which only by spelling
    (``symbol`` None), so a caller can weigh the two kinds apart.
    """
    matcher = symbolic._matcher()
    qprops, cprops = query.name_props, cand.name_props
    if matcher is None or not qprops or not cprops:
        return 0.0, None, ()
    try:
        schema = model.common_schema(query.schema, cand.schema)
    except Exception:  # schemata that cannot be the same kind of thing
        return 0.0, None, ()
    fn, config = matcher
    try:
        type_tag = schema_type_tag(schema)
        if type_tag == NameTypeTag.UNK or type_tag == NameTypeTag.OBJ or config.get_optional_string(
                "nm_name_property") is not None:
            # Vessels and the like: a plain distance, no analysis to keep.
            res = fn(symbolic._proxy(schema.name, qprops, query=True), symbolic._proxy(schema.name, cprops), config)
            return float(res.score), res.detail, ()
        q_all, q_cons = _names(query, schema.name, True)
        c_all, c_cons = _names(cand, schema.name, False)
        return _match(q_all, q_cons, c_all, c_cons, config)
    except Exception as err:  # a name rigour cannot analyse costs this opinion, not the query
        log.debug("symbolic name matching failed: %s", err)
        return 0.0, None, ()


def _match(q_all: set[Name], q_cons: set[Name], c_all: set[Name], c_cons: set[Name],
           config: Any) -> Opinion:
    """nomenklatura's ``name_match`` for persons and organisations, on prepared names."""
    from nomenklatura.matching.logic_v2.names.analysis import names_product
    from nomenklatura.matching.logic_v2.names.match import match_name_symbolic
    from nomenklatura.matching.logic_v2.names.util import explain_alignment, part_tags_compatible

    # A literal match ends the comparison early (as name_match does).
    q_comp: dict[str, list[Name]] = {}
    for name in q_all:
        q_comp.setdefault(name.comparable, []).append(name)
    c_comp: dict[str, list[Name]] = {}
    for name in c_all:
        c_comp.setdefault(name.comparable, []).append(name)
    for comparable in sorted(set(q_comp) & set(c_comp), key=len, reverse=True):
        for q_name in q_comp[comparable]:
            for c_name in c_comp[comparable]:
                if part_tags_compatible(q_name, c_name):
                    literal = Alignment(qps=q_name.parts, rps=c_name.parts, score=1.0)
                    return 1.0, explain_alignment(literal), (literal,)
    compare_config = CompareConfig(budget_tolerance=config.get_float("nm_fuzzy_cutoff_factor"))
    extra_query = config.get_float("nm_extra_query_name")
    extra_result = config.get_float("nm_extra_result_name")
    family = config.get_float("nm_family_name_weight")
    best_score = 0.0
    best_detail: str | None = None
    best_matches: list[Alignment] = []
    for q_name, c_name in names_product(q_cons, c_cons):
        res, matches = match_name_symbolic(q_name, c_name, compare_config, extra_query, extra_result, family)
        if res.score >= best_score:
            best_score, best_detail, best_matches = res.score, res.detail, matches
            if best_score == 1.0:
                break
    if best_matches and best_detail is None:
        best_detail = " ".join(explain_alignment(m) for m in best_matches)
    return best_score, best_detail or "No name match found.", tuple(best_matches)
