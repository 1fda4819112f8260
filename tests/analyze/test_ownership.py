"""The 50 % rule and effective ownership on a fixture with known answers."""

from __future__ import annotations

import pytest

from redthread.analyze.graph import load_graph
from redthread.analyze.ownership import blocked, effective_owners, owners_tree
from redthread.store import Store


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_us_rule_aggregates_blocked_owners_to_a_fixed_point(ownership_store: Store) -> None:
    result = by_id(blocked(ownership_store, "OFAC", "us"))
    # 30 % + 25 % by two different sanctioned owners; 50 % exactly; chains; a loop.
    assert sorted(result) == ["t-a", "t-b", "t-c", "t-g", "t-h"]
    assert result["t-a"]["blocked_share"] == pytest.approx(55.0)
    assert result["t-b"]["blocked_share"] == pytest.approx(50.0)
    assert result["t-c"]["blocked_share"] == pytest.approx(60.0)
    # G: 50 % from a sanctioned owner plus 10 % from H, blocked in turn.
    assert result["t-g"]["blocked_share"] == pytest.approx(60.0)
    assert result["t-h"]["blocked_share"] == pytest.approx(100.0)
    assert [result[k]["round"] for k in ("t-a", "t-b", "t-c")] == [1, 2, 3]


def test_blocked_chain_reaches_the_sanctioned_parties_with_evidence(ownership_store: Store) -> None:
    c = by_id(blocked(ownership_store))["t-c"]
    assert {r["id"] for r in c["sanctioned_roots"]} == {"t-s1", "t-s2"}
    assert {link["id"] for link in c["chain"]} == {"t-o-b-c", "t-o-a-b", "t-o-s1-a", "t-o-s2-a"}
    link = next(link for link in c["chain"] if link["id"] == "t-o-b-c")
    assert link["percentage"] == 60.0 and link["type"] == "Ownership"
    assert link["evidence"][0]["location"].startswith("ownership.ftm.jsonl:")
    assert c["name"] == "Gamma Chain End"


def test_duplicate_stakes_count_once_and_49_percent_is_not_blocked(ownership_store: Store) -> None:
    result = by_id(blocked(ownership_store))
    assert "t-i" not in result  # 30 % stated twice + 15 % = 45 %, not 75 %
    assert "t-d" not in result
    assert "t-e" not in result and "t-f" not in result


def test_eu_variant_needs_more_than_half_or_control(ownership_store: Store) -> None:
    assert sorted(by_id(blocked(ownership_store, "OFAC", "eu"))) == ["t-a"]
    assert sorted(by_id(blocked(ownership_store, "EU", "eu"))) == ["t-k"]
    assert blocked(ownership_store, "EU", "us") == []


def test_authority_aliases(ownership_store: Store) -> None:
    graph = load_graph(ownership_store)
    ids = lambda mask: sorted(graph.ids[i] for i in mask.nonzero()[0])  # noqa: E731
    assert ids(graph.sanctioned("OFAC")) == ["t-s1", "t-s2"]
    assert ids(graph.sanctioned("office of foreign assets control")) == ["t-s1", "t-s2"]
    assert ids(graph.sanctioned("UK")) == ["t-s4"]
    assert ids(graph.sanctioned(None)) == ["t-s1", "t-s2", "t-s3", "t-s4"]


def test_effective_ownership_sums_over_a_diamond(ownership_store: Store) -> None:
    graph = load_graph(ownership_store)
    owners = by_id(effective_owners(graph, graph.index["t-z"]))
    assert owners["t-p"]["effective_share"] == pytest.approx(50.0)
    assert owners["t-p"]["ultimate"] is True
    assert len(owners["t-p"]["chains"]) == 2
    assert owners["t-x"]["effective_share"] == pytest.approx(50.0)
    assert owners["t-x"]["ultimate"] is False


def test_effective_ownership_survives_cycles(ownership_store: Store) -> None:
    graph = load_graph(ownership_store)
    owners = by_id(effective_owners(graph, graph.index["t-e"]))
    # S1 40 % direct; F 20 % direct; E owns 60 % of F but a path may not pass E twice.
    assert owners["t-s1"]["effective_share"] == pytest.approx(40.0)
    assert owners["t-f"]["effective_share"] == pytest.approx(20.0)


def test_owners_tree(ownership_store: Store) -> None:
    tree = owners_tree(ownership_store, "t-b")
    assert tree["blocked"] is True and tree["sanctioned"] is False
    (up,) = tree["owners"]
    assert up["node"]["id"] == "t-a" and up["link"]["percentage"] == 50.0
    assert {o["node"]["id"] for o in up["node"]["owners"]} == {"t-s1", "t-s2"}
    assert [h["node"]["id"] for h in tree["holdings"]] == ["t-c"]
    loop = owners_tree(ownership_store, "t-g")
    child = loop["holdings"][0]["node"]
    assert child["id"] == "t-h"
    assert child["holdings"][0]["node"]["cycle"] is True


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_engines_agree_through_the_library(ownership_store: Store, engine: str) -> None:
    graph = load_graph(ownership_store)
    for authority, var in (("OFAC", "us"), ("OFAC", "eu"), ("EU", "eu")):
        got = blocked(ownership_store, authority, var, engine=engine, graph=load_graph(ownership_store))
        ref = blocked(ownership_store, authority, var, engine="duckdb", graph=graph)
        assert [(r["id"], r["blocked_share"], r["round"]) for r in got] == \
            [(r["id"], r["blocked_share"], r["round"]) for r in ref]
