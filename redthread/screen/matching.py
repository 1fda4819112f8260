"""The yente ``/match`` contract as a library function.

Request (yente's ``EntityMatchQuery``)::

    {"queries": {"q1": {"schema": "Person", "properties": {"name": ["..."], "birthDate": ["..."]}}}}

Response (yente's ``EntityMatchResponse``)::

    {"responses": {"q1": {"status": 200, "results": [...], "total": {"value": n, "relation": "eq"},
                          "query": {...}}},
     "matcher": {"name": ..., "description": ..., "features": {...}},
     "limit": 5}

Each result is a yente ``ScoredEntityResponse``: ``id``, ``caption``,
``schema``, ``properties``, ``datasets``, ``referents``, ``target``,
``first_seen``, ``last_seen``, ``last_change``, ``score``, ``match``
(score >= threshold) and ``features`` (feature -> score). redthread adds
``explanations`` (feature -> which query value met which candidate value),
which yente clients ignore.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import TypedDict

from redthread.errors import BadQuery, InputError, UnknownInput
from redthread.screen.filters import NO_FILTERS, MatchFilters
from redthread.screen.index import Candidate, ScreeningIndex, index_for
from redthread.screen.record import Record, make_record
from redthread.screen.scorers import DEFAULT, get_scorer, scorers
from redthread.screen.state import StoreState, store_state
from redthread.screen.status import Blocked, Listed, Listing
from redthread.store import Store

DEFAULT_THRESHOLD = 0.7
DEFAULT_LIMIT = 5
#: Results scored before the topic and change-date filters cut (every blocked candidate, in practice).
POOL_LIMIT = 500
#: Dataset names that mean "everything in the store" (yente's collection names).
ALL_DATASETS = {"default", "all", "sanctions", ""}
#: Properties that carry a name to screen.
NAME_PROPS = ("name", "alias", "previousName", "firstName", "lastName", "weakAlias")


class FeatureDoc(TypedDict):
    """One feature of a matcher as yente documents it (``FeatureDoc``)."""

    description: str
    coefficient: float
    url: str


class MatcherInfo(TypedDict):
    """yente's ``matcher`` block: an algorithm, its features, its options (redthread's take none)."""

    name: str
    description: str
    features: dict[str, FeatureDoc]
    config: dict[str, str]


class AlgorithmList(TypedDict):
    """yente's ``GET /algorithms`` body."""

    algorithms: list[MatcherInfo]
    default: str
    best: str


class ScoredResult(TypedDict):
    """One yente ``ScoredEntityResponse``, with redthread's explanations and listing status."""

    id: str
    caption: str
    schema: str
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    score: float
    match: bool
    features: dict[str, float]
    #: feature -> which query value met which candidate value (:class:`~redthread.screen.scorers.Score`).
    explanations: Mapping[str, Mapping[str, Any]]
    #: Sanctions of the hit (authority, program, listing date, dataset) and 50 %-rule blocks (:mod:`~redthread.screen.status`).
    sanctions: list[Listed]
    blocked: list[Blocked]


class Total(TypedDict):
    value: int
    relation: str


class QueryResponse(TypedDict):
    """The answer to one query of a ``/match`` request (yente's ``EntityMatches``)."""

    status: int
    results: list[ScoredResult]
    total: Total
    #: The query as it was sent, with its ``id`` (None when it had none).
    query: dict[str, object]


class MatchBody(TypedDict):
    """yente's ``EntityMatchResponse``: the answers by query name, the matcher, the limit."""

    responses: dict[str, QueryResponse]
    matcher: MatcherInfo
    limit: int


def query_record(name: str, query: Mapping[str, Any]) -> Record:
    """Validate one yente query example and turn it into a record."""
    if not isinstance(query, Mapping):
        raise BadQuery("a query must be an object with 'schema' and 'properties'", field=f"queries.{name}")
    props = query.get("properties") or {}
    if not isinstance(props, Mapping):
        raise InputError("'properties' must be an object of lists", field=f"queries.{name}.properties")
    clean: dict[str, list[str]] = {}
    for prop, values in props.items():
        if isinstance(values, (str, int, float)):
            values = [values]
        if not isinstance(values, list):
            raise InputError("property values must be a list", field=f"queries.{name}.properties.{prop}")
        clean[prop] = [str(v) for v in values if v is not None and str(v).strip()]
    try:
        record = make_record(query.get("schema") or "LegalEntity", clean)
    except InputError as err:
        raise BadQuery(err.reason, field=f"queries.{name}.schema") from None
    if not record.names and not record.identifiers and not any(clean.get(p) for p in NAME_PROPS):
        # A name in a script we cannot read (Khmer, say) is a valid query that
        # finds nothing; it must not fail the other queries of the request.
        raise InputError("the query has no name and no identifier to match on",
                         field=f"queries.{name}.properties.name")
    return record


def matcher_info(algorithm: str) -> MatcherInfo:
    """yente's ``matcher`` block (algorithm docs)."""
    scorer = get_scorer(algorithm)
    return {
        "name": scorer.name,
        "description": scorer.description,
        # yente's FeatureDoc needs a number: ours are not linear weights, so 1.0.
        "features": {k: {"description": v, "coefficient": 1.0, "url": ""} for k, v in scorer.features.items()},
        "config": {},
    }


def algorithms() -> AlgorithmList:
    """yente's ``GET /algorithms`` body."""
    return {
        "algorithms": [matcher_info(name) for name in sorted(scorers())],
        "default": DEFAULT,
        "best": DEFAULT,
    }


def result_body(cand: Candidate, threshold: float, store: Store | None,
                state: StoreState | None = None) -> ScoredResult:
    """One yente ``ScoredEntityResponse`` (with redthread's explanations and listing status).

    ``properties.topics`` gains ``sanction`` (listed) and ``sanction.linked``
    (blocked by a 50 % rule) from our own analytics; ``sanctions`` and
    ``blocked`` say by whom, under which program, since when and with which
    blocked share. ``target`` is true for both.
    """
    # The stored entity as the store assembles it (its JSON form); the index's caption without a store.
    entity: Mapping[str, Any] | None = None
    if store is not None:
        state = state or store_state(store)
        entity = state.entity(store, cand.id)
    if entity is None:
        entity = {"id": cand.id, "schema": cand.schema, "caption": cand.caption, "properties": {},
                  "datasets": list(cand.datasets), "referents": []}
    props = dict(entity.get("properties", {}))
    listing = Listing(topics=[], sanctions=[], blocked=[])
    if store is not None and state is not None:
        listing = state.status(store).of(str(entity["id"]))
    own_topics = [str(t) for t in props.get("topics", [])]
    topics = list(dict.fromkeys(own_topics + listing["topics"]))
    if topics:
        props["topics"] = topics
    return {
        "id": entity["id"],
        "caption": entity.get("caption", cand.caption),
        "schema": entity["schema"],
        "properties": props,
        "datasets": entity.get("datasets", list(cand.datasets)),
        "referents": entity.get("referents", []),
        "target": any(t.startswith("sanction") for t in topics),
        "first_seen": entity.get("first_seen"),
        "last_seen": entity.get("last_seen"),
        "last_change": entity.get("last_seen"),
        "score": cand.score.score,
        "match": cand.score.score >= threshold,
        "features": cand.score.features,
        "explanations": cand.score.explanations,
        "sanctions": listing["sanctions"],
        "blocked": listing["blocked"],
    }


def match_index(
    index: ScreeningIndex,
    queries: Mapping[str, Any],
    *,
    store: Store | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    algorithm: str = DEFAULT,
    cutoff: float = 0.0,
    datasets: set[str] | None = None,
    exclude_entity_ids: set[str] | None = None,
    state: StoreState | None = None,
    filters: MatchFilters = NO_FILTERS,
) -> MatchBody:
    """Run yente-shaped queries against a prepared index (see :func:`match`)."""
    if "queries" in queries and isinstance(queries["queries"], Mapping):
        queries = queries["queries"]
    get_scorer(algorithm)
    if not 0 <= threshold <= 1:
        raise InputError("threshold must be between 0 and 1", field="threshold")
    if limit < 1:
        raise InputError("limit must be at least 1", field="limit")
    records = {name: query_record(name, q) for name, q in queries.items()}
    responses: dict[str, QueryResponse] = {}
    for name, record in records.items():
        kwargs = filters.index_kwargs()
        if datasets:
            kwargs["datasets"] = datasets & kwargs["datasets"] if kwargs["datasets"] else datasets
        found = index.search(record, algorithm=algorithm, limit=POOL_LIMIT if filters.on_results else limit,
                             cutoff=cutoff, exclude=exclude_entity_ids, threshold=threshold, **kwargs)
        if store is not None and found:
            state = state or store_state(store)
            state.entities(store, [c.id for c in found])  # the hits read in one batch, then from the cache
        results = [result_body(c, threshold, store, state) for c in found]
        if filters.on_results:
            results = [r for r in results if filters.keeps(r)][:limit]
        query = dict(queries[name])
        query.setdefault("id", None)
        responses[name] = {
            "status": 200,
            "results": results,
            # yente counts the matches, not the results returned.
            "total": {"value": sum(1 for r in results if r["match"]), "relation": "eq"},
            "query": query,
        }
    return {"responses": responses, "matcher": matcher_info(algorithm), "limit": limit}


def match(
    store: Store,
    queries: Mapping[str, Any],
    *,
    dataset: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    algorithm: str = DEFAULT,
    cutoff: float = 0.0,
    exclude_entity_ids: set[str] | None = None,
    filters: MatchFilters = NO_FILTERS,
    state: StoreState | None = None,
) -> MatchBody:
    """Match yente query examples against a store; returns yente's /match body.

    ``queries`` is the request's ``queries`` object (or the whole request
    body). ``dataset`` limits candidates to one dataset (``default``/``all``
    or None: everything). Results scoring at or below ``cutoff`` are left out (as yente);
    ``match`` is true at or above ``threshold``. ``filters`` are yente's
    dataset, schema, topic and change-date filters. Bad queries raise
    ``InputError`` naming the query and field. ``state``: the store's
    :func:`store_state`, when the caller has just read it (one read of the
    content digest a request, not two).
    """
    scope = None if dataset is None or dataset in ALL_DATASETS else dataset
    if state is None:
        state = store_state(store)  # per store content: no recount of datasets per request
    if (scope is not None and scope not in state.datasets
            and scope not in {d.name for d in store.datasets()}):
        raise UnknownInput(f"no dataset {scope!r} in the store; see `redthread datasets`", field="dataset")
    index = index_for(store, state.index_scope(store, scope), digest=state.digest)
    return match_index(index, queries, store=store, threshold=threshold, limit=limit, algorithm=algorithm,
                       cutoff=cutoff, exclude_entity_ids=exclude_entity_ids, state=state, filters=filters)
