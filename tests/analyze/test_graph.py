"""The evidence graph: links from FtM edges, trades and shared addresses; resolution; fast load."""

from __future__ import annotations

import math

import pytest

from redthread.analyze.graph import LINK_TYPES, load_graph, normalize_address, parse_percentage
from redthread.analyze.views import neighbourhood
from redthread.model import now_iso
from redthread.store import Judgement, Store


def link_set(graph) -> set[tuple]:  # type: ignore[no-untyped-def]
    out = set()
    for j in range(graph.n_links):
        pct = float(graph.pct[j])
        out.add((graph.ids[int(graph.src[j])], graph.ids[int(graph.dst[j])], LINK_TYPES[int(graph.kind[j])].name,
                 None if math.isnan(pct) else pct, round(float(graph.weight[j]), 9), graph.link_ids[j],
                 graph.link_labels[j], tuple(sorted(graph.link_dates[j].items()))))
    return out


def test_links_of_every_kind(exposure_store: Store) -> None:
    graph = load_graph(exposure_store)
    kinds = {LINK_TYPES[int(k)].name for k in graph.kind}
    assert kinds == {"Directorship", "EconomicActivity", "Family", "UnknownLink", "Employment", "Associate",
                     "SharedAddress"}
    j = graph.link_ids.index("x-trade")
    link = graph.link(j)
    assert (link["source"], link["target"], link["label"], link["date"]) == (
        "x-b", "x-s", "flight controllers", "2023-08-01")
    assert {e["location"] for e in link["evidence"]} == {"exposure.ftm.jsonl:12"}
    assert graph.caption[graph.index["x-b"]] == "Bravo Supplies"
    assert graph.sanctions[graph.index["x-s"]][0]["start_date"] == "2024-06-12"


@pytest.mark.parametrize("columnar", [True, False])
def test_fast_load_gives_the_same_graph(exposure_store: Store, columnar: bool,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from redthread.analyze import columnar as col

    exposure_store.add_judgement(Judgement("x-c", "x-e", "positive", "test", now_iso()))
    full = load_graph(exposure_store)
    if not columnar:
        monkeypatch.setattr(col, "available", lambda store: False)
    fast = load_graph(exposure_store, evidence=False)
    assert link_set(full) == link_set(fast)
    assert sorted(full.ids) == sorted(fast.ids)
    assert {full.ids[i]: (full.caption[i], full.schema[i]) for i in range(full.n_nodes)} == \
        {fast.ids[i]: (fast.caption[i], fast.schema[i]) for i in range(fast.n_nodes)}
    assert fast.index["x-e"] == fast.index["x-c"]
    # Evidence is fetched from the store on demand.
    j = fast.link_ids.index("x-assoc-hs")
    assert fast.link(j)["evidence"][0]["hedge"] == "reportedly"
    j = next(j for j in range(fast.n_links) if fast.link_ids[j].startswith("addr:"))
    assert {e["location"] for e in fast.link(j)["evidence"]} == \
        {e["location"] for e in full.link(full.link_ids.index(fast.link_ids[j]))["evidence"]}


def test_bulk_rows_are_named_and_carry_their_statements_evidence(exposure_store: Store) -> None:
    """The read path's rows are :class:`StatementRow`: fields by name, evidence as the statement's own."""
    from redthread.analyze.graph import StatementRow, _rows
    from redthread.model.evidence import Evidence

    rows = list(_rows(exposure_store, {"name", "percentage"}))
    stated = {s.id: s for s in exposure_store.statements() if s.prop in ("name", "percentage")}
    assert rows and len(rows) == len(stated)
    for row in rows:
        assert isinstance(row, StatementRow)
        s = stated[row.id]
        assert (row.entity_id, row.schema, row.prop, row.value) == (s.entity_id, s.schema, s.prop, s.value)
        assert row.evidence() == Evidence.of(s)


def test_resolution_merges_nodes(exposure_store: Store) -> None:
    exposure_store.add_judgement(Judgement("x-c", "x-e", "positive", "test", now_iso()))
    graph = load_graph(exposure_store)
    cid = exposure_store.canonical_id("x-c")
    assert graph.index["x-c"] == graph.index["x-e"] == graph.index[cid]
    neighbours = {graph.ids[int(t)] for s, t in zip(graph.src, graph.dst, strict=True)
                  if graph.ids[int(s)] == cid} | \
        {graph.ids[int(s)] for s, t in zip(graph.src, graph.dst, strict=True) if graph.ids[int(t)] == cid}
    assert neighbours == {"x-a", "x-d", "x-f"}


def test_neighbourhood(exposure_store: Store) -> None:
    graph = load_graph(exposure_store)
    view = neighbourhood(graph, "x-s", depth=1)
    ids = {n["id"] for n in view["nodes"]}
    assert ids == {"x-s", "x-a", "x-b", "x-g", "x-h"}
    assert next(n for n in view["nodes"] if n["id"] == "x-s")["sanctioned"] is True
    assert all(e["source"] in ids and e["target"] in ids for e in view["edges"])
    assert neighbourhood(graph, "nope") == {"nodes": [], "edges": [], "truncated": False}


def test_helpers() -> None:
    assert parse_percentage("25%") == 25.0
    assert parse_percentage("12,5") == 12.5
    assert parse_percentage("lots") is None
    assert normalize_address("Khabarovsk, Russia") is None  # no number: too vague to share
    assert normalize_address("12 Harbour Road") == normalize_address("12  HARBOUR road")
