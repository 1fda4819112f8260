"""Designation impact ranks buyers too, with the evidence beside each rank.

The supplier ranking (flow to parties already sanctioned) cannot see a front
buyer that is not listed itself: the largest buyer of CHPL goods, acting for a
sanctioned manufacturer, was missing from ``impact`` entirely. Here such a
buyer must rank, with its value, estimated capacity and red flags, in the
API, the CLI tables (not only JSON) and the page.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.ingest import ingest
from redthread.store import open_store
from redthread.trade.buyers import buyer_impact
from redthread.trade.impact import impact
from redthread.trade.parties import party_id

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Customs records, and a list naming a maker whose agent is one of the buyers (written for this test)."""
    tmp = tmp_path_factory.mktemp("buyers")
    polar = party_id("Polar Seafood LLC", "ru")
    lines = [
        {"id": "t-maker", "schema": "Company", "properties": {"name": ["Arctic Airframe Works AO"], "country": ["ru"]}},
        {"id": "t-maker-sanction", "schema": "Sanction", "properties": {
            "entity": ["t-maker"], "authority": ["Office of Foreign Assets Control"], "program": ["RUSSIA-EO14024"]}},
        {"id": "t-agency", "schema": "Representation", "properties": {
            "agent": [polar], "client": ["t-maker"], "role": ["purchasing agent"]}},
    ]
    (tmp / "list.ftm.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    url = f"sqlite:///{tmp / 'b.db'}"
    st = open_store(url)
    ingest(st, [FIXTURES / "trade" / "records.csv"], "customs")
    ingest(st, [tmp / "list.ftm.jsonl"], "list")
    st.close()
    return url


def test_the_agent_buyer_ranks_with_value_capacity_and_flags(url: str) -> None:
    st = open_store(url)
    polar = party_id("Polar Seafood LLC", "ru")
    # the supplier ranking alone never names it: no record reaches a listed party
    assert all(r["id"] != polar for r in impact(st))
    rows = buyer_impact(st, bom=FIXTURES / "trade" / "bom.yaml")
    st.close()
    row = next(r for r in rows if r["id"] == polar)
    assert row["chpl_usd"] > 0 and row["value_usd"] >= row["chpl_usd"]
    assert [f["rule"] for f in row["flags"]][0] == "agent-for-sanctioned"
    assert row["sanctioned_ties"] == ["Arctic Airframe Works AO"]
    assert row["suppliers"][0]["largest_record"].startswith("records.csv:")
    assert row["capacity"] is not None and row["capacity"]["supported_per_month"] > 0
    # a buyer no red flag concerns is not ranked: buying parts is no finding by itself
    assert all(r["flags"] for r in rows)


def test_api_and_cli_show_the_buyers_and_why(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(url))
    bom = (FIXTURES / "trade" / "bom.yaml").read_text(encoding="utf-8")
    rows = client.get("/trade/impact/buyers", params={"bom": bom}).json()
    assert rows[0]["name"] == "Polar Seafood LLC" and rows[0]["capacity"]["binding"]
    bad = client.get("/trade/impact/buyers", params={"bom": "components: [1, 2"})
    assert bad.status_code == 422 and "bom" in bad.text
    monkeypatch.setenv("REDTHREAD_STORE", url)
    res = CliRunner().invoke(cli_app, ["impact", "--bom", str(FIXTURES / "trade" / "bom.yaml")])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "buyers of CHPL goods with red flags" in out
    assert "Polar Seafood LLC" in out and "agent-for-sanctioned" in out
    # the evidence is in the table output, not only in JSON: who supplied it, from which record, and the flag
    assert "largest records.csv:" in out and "acts for Arctic Airframe Works AO" in out
    assert "could build about" in out
    res = CliRunner().invoke(cli_app, ["impact", "--buyers", "--json"])
    assert orjson.loads(res.output)[0]["name"] == "Polar Seafood LLC"
