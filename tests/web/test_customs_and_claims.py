"""Customs records on the graph and the timeline; shipments told in an article read as claims.

A party known from customs records must show its trade on the graph and the
timeline, and a shipment an article reports is a claim with its sentence —
never FtM's "Customs declaration" label, which would pass a reporter's words
off as an official record.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.store import open_store

# Written for this test: parties that also appear in tests/fixtures/trade/records.csv.
NOTE = ("Field note, 12 March 2024.\n\n"
        "According to shipping papers seen by reporters, Orion Parts Trading LLC shipped 4,000 brushless motors "
        "to Tundra Bakery LLC in May 2023.\n")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("claims")
    fixtures = Path(__file__).parents[1] / "fixtures"
    note = tmp / "field-note.txt"
    note.write_text(NOTE, encoding="utf-8")
    url = f"sqlite:///{tmp / 'c.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "trade" / "records.csv"], "customs")
    ingest(st, [note], "documents")
    st.close()
    return TestClient(create_app(url))


def _hits(client: TestClient, name: str) -> list[dict[str, str]]:
    hits = client.get("/search", params={"q": name}).json()
    return list(hits if isinstance(hits, list) else hits["results"])


def _party(client: TestClient, name: str, *, customs: bool = True) -> str:
    """The id of the party named so: its customs record party (``tp-``) or the one read from the note."""
    return str(next(r["id"] for r in _hits(client, name) if r["id"].startswith("tp-") == customs))


def test_customs_records_are_edges_of_the_graph(client: TestClient) -> None:
    tundra = _party(client, "Tundra Trading LLC")
    net = client.get(f"/network/{tundra}").json()
    customs = [e for e in net["edges"] if e["schema"] == "Customs records" and e["target"] == tundra]
    assert customs, "the buyer's customs records are missing from its graph"
    edge = customs[0]
    assert edge["label"].startswith("customs: ") and "$" in edge["label"]
    assert int(edge["properties"]["records"][0]) >= 1
    assert ":" in edge["properties"]["largest_record"][0]  # source:row of the line behind it
    assert {n["id"] for n in net["nodes"]} >= {edge["source"], tundra}


def test_customs_records_are_on_the_timeline(client: TestClient) -> None:
    tundra = _party(client, "Tundra Trading LLC")
    events = client.get("/timeline", params={"entity": tundra}).json()
    customs = [e for e in events if e["kind"] == "customs"]
    assert customs, "no customs event on the party's timeline"
    assert all(any(p["id"] == tundra for p in e["parties"]) for e in customs)
    assert customs[0]["evidence"][0]["location"].endswith("(largest record)")
    assert [e["date"] for e in customs] == sorted(e["date"] for e in customs)
    case = client.get("/timeline").json()
    assert any(e["kind"] == "customs" for e in case)
    facts = client.get("/timeline", params={"customs": False}).json()
    assert facts and not any(e["kind"] == "customs" for e in facts)


def test_an_article_shipment_is_a_claim_not_a_customs_declaration(client: TestClient) -> None:
    bakery = _party(client, "Tundra Bakery", customs=False)
    net = client.get(f"/network/{bakery}").json()
    labels = [e["label"] for e in net["edges"]]
    assert any(lab.startswith("shipment claimed") for lab in labels), labels
    assert not any("Customs declaration" in lab for lab in labels)
    prof = client.get(f"/entities/{bakery}").json()
    claimed = [link for link in prof["links"] if link.get("claimed")]
    assert claimed and claimed[0]["claimed"]["source"].endswith("field-note.txt")
    assert "brushless motors" in (claimed[0]["claimed"]["quote"] or "")
    events = client.get("/timeline", params={"entity": bakery}).json()
    shipped = [e for e in events if "brushless motors" in e["event"]]
    assert shipped and all(e["event"].startswith("claimed: ") for e in shipped)
