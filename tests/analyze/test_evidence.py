"""One Evidence record behind every "evidence" list: graph links, red flags, timeline, claims, profile."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import TypeAdapter, ValidationError

from redthread.analyze.claims import claims
from redthread.analyze.exposure import paths
from redthread.analyze.graph import load_graph
from redthread.analyze.profile import profile
from redthread.analyze.redflags import evaluate
from redthread.analyze.timeline import timeline
from redthread.model import Statement
from redthread.model.evidence import BASE_KEYS, FACT_KEYS, LINK_KEY, Evidence
from redthread.model.records import Flag, Link, Path
from redthread.store import Store


def _statement(**extra: object) -> Statement:
    fields = {"entity_id": "acme", "schema": "Company", "prop": "name", "value": "Acme Ltd", "dataset": "press",
              "source": "memo.txt", "origin": "test", "quote": "Acme Ltd, a trader", "span_start": 10, "span_end": 18,
              "hedge": "reportedly", "confidence": 0.7}
    fields.update(extra)
    return Statement(**fields)  # type: ignore[arg-type]


def test_the_record_is_frozen_and_keeps_the_json_shape() -> None:
    s = _statement()
    ev = Evidence.of(s)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.quote = "changed"  # type: ignore[misc]
    out = ev.to_dict()
    assert tuple(out) == BASE_KEYS
    assert out["span"] == [10, 18] and out["hedge"] == "reportedly" and out["confidence"] == 0.7
    assert out["statement_id"] == s.id and out["source"] == "memo.txt"
    fact = Evidence.of(s, with_fact=True).to_dict()
    assert tuple(fact) == BASE_KEYS + FACT_KEYS
    assert (fact["entity_id"], fact["prop"], fact["value"]) == ("acme", "name", "Acme Ltd")
    assert Evidence.of(_statement(span_start=None, span_end=None)).to_dict()["span"] is None


def _all_evidence(items: list[dict]) -> list[dict]:
    return [ev for item in items for ev in item.get("evidence") or []]


def test_every_analysis_gives_the_same_evidence_keys(redflags_store: Store, claims_store: Store) -> None:
    graph = load_graph(redflags_store)
    links = [graph.link(j) for j in range(graph.n_links)]
    lazy = load_graph(redflags_store, evidence=False)
    fetched = [ev for j in range(lazy.n_links) for ev in lazy.link_evidence(j)]  # read per link from the store
    flags = evaluate(redflags_store)
    events = timeline(redflags_store)
    found = {
        "graph": _all_evidence(links), "graph, fetched per link": fetched, "red flags": _all_evidence(flags), "timeline": _all_evidence(events),
    }
    for name, evidence in found.items():
        assert evidence, name
        for ev in evidence:
            assert set(BASE_KEYS) <= set(ev), (name, ev)
            assert set(ev) - set(BASE_KEYS) <= {*FACT_KEYS, LINK_KEY}, (name, ev)
    subject = profile(redflags_store, links[0]["source"])
    assert subject is not None
    values = [v for p in subject["properties"] for v in p["values"]]
    assert values and all(set(BASE_KEYS) <= set(src) for v in values for src in v["sources"])
    facts = claims(claims_store) + claims(claims_store, conflicts_only=True)
    sources = [s for f in facts for s in _sources(f)]
    assert sources and all(set(BASE_KEYS) | {"publisher"} <= set(s) for s in sources)


def _sources(fact: dict) -> list[dict]:
    """A fact's sources, or a contradiction's (per value)."""
    return list(fact.get("sources", [])) + [s for v in fact.get("values", []) for s in v.get("sources", [])]


def test_links_paths_and_flags_are_the_typed_records(redflags_store: Store) -> None:
    """What analyses return validates as the records the API declares (required fields present, typed)."""
    graph = load_graph(redflags_store)
    links = TypeAdapter(list[Link]).validate_python([graph.link(j) for j in range(graph.n_links)])
    assert links and all(link["evidence"] for link in links)
    found = paths(redflags_store, links[0]["source"], links[0]["target"], graph=graph)
    assert TypeAdapter(list[Path]).validate_python(found)[0]["hops"] == 1
    flags = TypeAdapter(list[Flag]).validate_python(evaluate(redflags_store, graph=graph))
    assert flags and all(f["entity"]["id"] and f["evidence"] for f in flags)
    with pytest.raises(ValidationError):  # the records can fail: a flag without its evidence is not one
        TypeAdapter(Flag).validate_python({k: v for k, v in flags[0].items() if k != "evidence"})
