"""GraphML, GEXF and Neo4j exports of the party network, read back by their readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from redthread.cli import app as cli_app
from redthread.export import export
from redthread.ingest import ingest
from redthread.store import Store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    return store


def test_graphml_reads_back(loaded: Store) -> None:
    buf = io.StringIO()
    assert export(loaded, "graphml", buf) == 5
    graph = nx.parse_graphml(buf.getvalue(), force_multigraph=True)
    assert graph.nodes["rt-aerohit"]["label"] == "Aero-HIT"
    assert graph.nodes["rt-aerohit"]["sanctioned"] is True
    assert graph.nodes["rt-komax"]["sanctioned"] is False
    edges = {(u, v, d["schema"]) for u, v, d in graph.edges(data=True)}
    assert ("rt-basyuk", "rt-komax", "Ownership") in edges
    assert ("rt-huasheng", "rt-aerohit", "EconomicActivity") in edges


def test_gexf_reads_back(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    with path.open("w", encoding="utf-8") as fh:
        export(loaded, "gexf", fh)
    graph = nx.read_gexf(path)
    assert graph.nodes["rt-basyuk"]["label"] == "Konstantin Basyuk"
    assert graph.number_of_edges() == 4


def test_neo4j_folder_via_cli(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", f"sqlite:///{tmp_path / 'n.db'}")
    runner = CliRunner()
    assert runner.invoke(cli_app, ["ingest", str(fixtures / "starter.ftm.jsonl"), "-d", "starter"]).exit_code == 0
    out = tmp_path / "neo"
    res = runner.invoke(cli_app, ["export", "--format", "neo4j", "-o", str(out)])
    assert res.exit_code == 0, res.output
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    assert {n["id"] for n in nodes} >= {"rt-aerohit", "rt-komax", "rt-basyuk"}
    assert [n["sanctioned"] for n in nodes if n["id"] == "rt-aerohit"] == ["true"]
    assert {(e["source"], e["target"], e["type"]) for e in edges} >= {
        ("rt-basyuk", "rt-komax", "OWNERSHIP"), ("rt-aerohit", "rt-aeromar", "ECONOMIC_ACTIVITY")}
    script = (out / "load.cypher").read_text()
    assert "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv'" in script
    assert "MERGE (a)-[r:OWNERSHIP" in script and "SET p:Company" in script
    # GraphML through the CLI too
    res = runner.invoke(cli_app, ["export", "--format", "graphml", "-o", str(tmp_path / "g.graphml")])
    assert res.exit_code == 0 and nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 5


def test_neo4j_needs_a_folder(loaded: Store) -> None:
    with pytest.raises(Exception, match="-o FOLDER"):
        export(loaded, "neo4j", io.StringIO())
