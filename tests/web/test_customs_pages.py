"""Customs records and claimed shipments in Chromium at 1280x720; the Impact page's buyers.

The entity page labels a shipment an article reports as a claim with its
sentence; the graph draws customs records as their own links (value and
records, the largest line on click); the timeline lists them; the Impact
page ranks the buyer acting for a sanctioned maker, with its capacity once a
bill of materials is given. Screenshots go to tests/web/artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from redthread.ingest import ingest
from redthread.store import open_store
from redthread.trade.parties import party_id
from tests.serving import serving
from tests.web.test_browser import ARTIFACTS, CHROMIUM, WEB
from tests.web.test_customs_and_claims import NOTE
from tests.web.test_workbench import fits, page  # noqa: F401  (the Chromium page fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path, fixtures: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists() or not (WEB / "node_modules" / "cytoscape").exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium or the web UI libraries are missing (scripts/setup.sh)")
        pytest.skip("Chromium or the web UI libraries are missing (scripts/setup.sh)")
    note = tmp_path / "field-note.txt"
    note.write_text(NOTE, encoding="utf-8")
    polar = party_id("Polar Seafood LLC", "ru")
    lines = [
        {"id": "t-maker", "schema": "Company", "properties": {"name": ["Arctic Airframe Works AO"]}},
        {"id": "t-maker-sanction", "schema": "Sanction", "properties": {"entity": ["t-maker"],
                                                                         "authority": ["Office of Foreign Assets Control"]}},
        {"id": "t-agency", "schema": "Representation", "properties": {"agent": [polar], "client": ["t-maker"]}},
    ]
    (tmp_path / "list.ftm.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    url = f"sqlite:///{tmp_path / 'cp.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "trade" / "records.csv"], "customs")
    ingest(st, [note], "documents")
    ingest(st, [tmp_path / "list.ftm.jsonl"], "list")
    st.close()
    with serving(url, tmp_path / "home") as base:
        yield base


def _id(server: str, name: str, customs: bool) -> str:
    hits = httpx.get(f"{server}/search", params={"q": name}).json()
    rows = hits if isinstance(hits, list) else hits["results"]
    return str(next(r["id"] for r in rows if r["id"].startswith("tp-") == customs))


def test_claimed_shipment_on_the_entity_page(server: str, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    bakery = _id(server, "Tundra Bakery", customs=False)
    page.goto(f"{server}/#/entity/{bakery}")
    page.wait_for_selector("ul.links li.claimed-link")
    line = page.inner_text("ul.links li.claimed-link")
    assert "claimed" in line and "field-note.txt" in line and "brushless motors" in line
    assert "Customs declaration" not in page.inner_text("main")
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-13-claimed-shipment.png"), full_page=True)


def test_graph_link_types_read_in_words(server: str, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The link-type filter names a claimed shipment as such, never by its schema
    ("EconomicActivity") nor FtM's label for it ("Customs declaration")."""
    bakery = _id(server, "Tundra Bakery", customs=False)
    page.goto(f"{server}/#/graph/{bakery}")
    page.wait_for_selector("#type-filters input[value='EconomicActivity']")
    labels = page.inner_text("#type-filters")
    assert "Shipment claimed in a source" in labels
    assert "EconomicActivity" not in labels and "Customs declaration" not in labels
    page.click("#type-filters input[value='EconomicActivity']")  # the filter still works by type
    assert not page.is_checked("#type-filters input[value='EconomicActivity']")


def test_customs_records_on_the_graph_and_timeline(server: str, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tundra = _id(server, "Tundra Trading LLC", customs=True)
    page.goto(f"{server}/#/graph/{tundra}")
    page.wait_for_selector("#type-filters input[value='Customs records']")
    page.screenshot(path=str(ARTIFACTS / "wb-14-graph-customs.png"))
    page.goto(f"{server}/#/timeline/{tundra}")
    page.wait_for_selector("#timeline-list tbody tr")
    text = page.inner_text("#timeline-list")
    assert "customs records:" in text and "customs" in page.locator("#timeline-list select").first.inner_text()
    assert "Timeline of Tundra Trading LLC" in page.inner_text("h1")  # a name, not an id
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-15-timeline-customs.png"))


def test_impact_page_ranks_the_agent_buyer(server: str, page, fixtures: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{server}/#/impact")
    page.wait_for_selector("#impact-buyers-table")
    row = page.inner_text("#impact-buyers-table tbody tr >> nth=0")
    assert "Polar Seafood LLC" in row and "Acting for a sanctioned or blocked party" in row
    assert "largest records.csv:" in row and "acts for Arctic Airframe Works AO" in row
    page.click("#impact-bom summary")
    page.fill("#impact-bom textarea", (fixtures / "trade" / "bom.yaml").read_text(encoding="utf-8"))
    page.click("#impact-bom button[type=submit]")
    page.wait_for_selector("#impact-buyers-table :text('binds:')")
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-16-impact-buyers.png"), full_page=True)
