"""The analyst's workbench in Chromium at 1280x720: find, read, resolve and edit.

Search in any script, the entity page's status banner and trade panel, merge
and split from the entity page, manual facts with a note and undo, the paged
review queue, the exposure authority choice and the home page's start.
Screenshots go to tests/web/artifacts/ (gitignored; CI keeps them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from redthread.ingest import ingest
from redthread.store import open_store
from tests.serving import serving
from tests.web.test_browser import ARTIFACTS, CHROMIUM, WEB

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path, fixtures: Path) -> Iterator[str]:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = "Debian chromium is missing: run `bash scripts/services.sh install`"
    elif not (WEB / "node_modules" / "cytoscape").exists():
        missing = "web UI libraries missing: run scripts/setup.sh (npm install in redthread/web)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    ingest(st, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    ingest(st, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    ingest(st, [fixtures / "trade" / "records.csv"], "customs")
    st.close()
    # These pages write (merge, edits, uploads) as the keyless loopback user: the operator's documented
    # opt-in; keys in the browser are tested in test_browser.py.
    with serving(url, tmp_path / "home", env={"REDTHREAD_LOOPBACK_WRITES": "1"}) as base:
        yield base


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium"), executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            viewport={"width": 1280, "height": 720},
            # wait_for_function evaluates its string in the page, which the server's CSP forbids;
            # tests/web/test_browser.py checks the UI with the CSP enforced.
            bypass_csp=True,
        )
        pg = context.pages[0] if context.pages else context.new_page()
        pg.set_default_timeout(60_000)
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        yield pg
        context.close()
        assert not errors, f"JavaScript errors: {errors}"


def fits(page) -> None:  # type: ignore[no-untyped-def]
    """Usable at 1280x720: nothing wider than the window (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_search_any_script_then_entity_banner_and_trade(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.wait_for_selector("#start")
    assert "Red flags" in page.inner_text("#start")
    page.fill("#q", "стриж")  # lower case, Cyrillic: the stored name is "ООО Стриж Авиа"
    page.wait_for_selector("#suggest li:has-text('Стриж')")
    page.fill("#q", "Loskutow Vadim")  # Latin, another order, one letter off
    page.wait_for_selector("#suggest li:has-text('Лоскутов')")
    page.screenshot(path=str(ARTIFACTS / "wb-01-search.png"))

    page.goto(server + "/#/entity/rt-aerohit")
    page.wait_for_selector("#status-banner.sanctioned")
    assert "SANCTIONED" in page.inner_text("#status-banner")
    page.screenshot(path=str(ARTIFACTS / "wb-02-sanctioned.png"))
    page.goto(server + "/#/entity/rt-komax")  # controls Aero-HIT: one link away
    page.wait_for_selector("#status-banner.exposed")
    page.select_option("#status-authority", "UN")  # nobody here is on a UN list
    page.wait_for_selector("#status-banner.clear")

    st_id = httpx.get(f"{server}/search", params={"q": "Tundra Trading"}).json()["results"][0]["id"]
    page.goto(f"{server}/#/entity/{st_id}")
    page.wait_for_selector("#trade-panel svg.sparkline")
    trade = page.inner_text("#trade-panel")
    assert "Bought" in trade and "Lingxi Motor" in trade and "CHPL" in trade
    assert page.inner_text("#entity-title").startswith("Tundra Trading")
    page.wait_for_selector("text=No owners, holdings or controllers are known.")  # no links: said plainly
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-03-trade.png"), full_page=True)


def test_merge_and_split_from_the_entity_page(server: str, page) -> None:  # type: ignore[no-untyped-def]
    httpx.get(f"{server}/xref", params={"wait": True}, timeout=300)
    page.goto(server + "/#/entity/art1-iskakov")
    page.wait_for_selector("#entity-candidates li:has-text('ISKAKOV')")
    page.locator("#entity-candidates li", has_text="ISKAKOV").locator("button.merge").click()
    page.wait_for_selector("text=merged from 2 records")
    js = httpx.get(f"{server}/judgements").json()["judgements"]
    assert [(j["left_id"], j["right_id"], j["judgement"]) for j in js] == [("art1-iskakov", "art2-iskakov", "positive")]
    page.screenshot(path=str(ARTIFACTS / "wb-04-merged.png"), full_page=True)
    page.click("button.split")
    page.wait_for_selector("#entity-candidates li:has-text('ISKAKOV')")
    assert httpx.get(f"{server}/judgements").json()["judgements"] == []


def test_manual_fact_with_note_and_undo(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/entity/reg-tendik")
    page.wait_for_selector("#edits-panel")
    page.click("#edits-panel summary")
    form = page.locator("form.edit-property")
    form.locator("input[name=prop]").fill("website")
    form.locator("input[name=value]").fill("https://tendik.example")
    form.locator("input[name=note]").fill("their own site, seen 2 May")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("table.props :text('https://tendik.example/')")
    assert "their own site, seen 2 May" in page.inner_text("#edits-list")
    # the fact's source is the analyst's note
    assert "their own site, seen 2 May" in page.inner_text("table.props")
    # a link to another party, picked by name
    form = page.locator("form.edit-link")
    form.locator("input[name=other]").fill("Лоскутов")
    page.wait_for_selector("form.edit-link .suggest li")
    page.click("form.edit-link .suggest li >> nth=0")
    form.locator("select[name=direction]").select_option("in")
    form.locator("input[name=note]").fill("board minutes")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("ul.links :text('Лоскутов')")
    page.wait_for_selector("#edits-list table")
    page.screenshot(path=str(ARTIFACTS / "wb-05-edits.png"), full_page=True)
    page.locator("#edits-list tr", has_text="website").locator("button.undo").click()
    page.wait_for_selector("#edits-list :text('undone')")
    # kept in the history, struck through, with the date it was taken back
    assert page.locator("table.props li.removed", has_text="https://tendik.example/").count() == 1
    fits(page)


def test_review_queue_pages_with_progress(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/review")
    page.wait_for_selector("#review-list li")
    text = page.inner_text("main")
    assert "ISKAKOV" in text and "same dataset" in text  # a pair inside one dataset
    assert "cross-script" in text  # the Cyrillic twin of a Latin name
    assert "abbreviation" in text
    page.screenshot(path=str(ARTIFACTS / "wb-06-review.png"), full_page=True)
    page.click("text=only across datasets")
    page.wait_for_function("!document.querySelector('main').innerText.includes('same dataset')")
    fits(page)


def test_exposure_authority_is_a_visible_choice(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/redflags")
    page.wait_for_selector("#exposure-authority")
    page.wait_for_selector("#exposure table, #exposure p")
    assert page.input_value("#exposure-authority") == "all"
    assert "Komax" in page.inner_text("#exposure")
    page.select_option("#exposure-authority", "UN")
    page.wait_for_function("!document.querySelector('#exposure').innerText.includes('Komax')")
    page.screenshot(path=str(ARTIFACTS / "wb-07-exposure.png"))


def test_flows_page_controls_and_labels(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/flows?by=month,chpl_tier")
    page.wait_for_selector("#flow-controls")
    page.wait_for_selector("main svg.chart")
    text = page.inner_text("main")
    assert "not on CHPL" in text and "CHPL tier" in text
    assert "→ ?" not in text and "Sankey" not in text  # a Sankey only between parties
    page.select_option("#flow-controls select[name=first]", "supplier")
    page.select_option("#flow-controls select[name=second]", "buyer")
    page.check("#flow-controls input[name=chpl]")
    page.click("#flow-controls button[type=submit]")
    page.wait_for_selector("text=Sankey: supplier → buyer")
    assert "chpl_only=true" in page.url
    bars = " ".join(page.locator("main svg.chart text").all_text_contents())
    assert re.search(r"\d(\.\d)? [kM]\b", bars) and "e+" not in bars  # 1.2 M, not 1200000 or 1.2e+6
    # a date range: only records inside it count
    page.select_option("#flow-controls select[name=first]", "month")
    page.select_option("#flow-controls select[name=second]", "")
    page.fill("#flow-controls input[name=from]", "2024-01-01")
    page.fill("#flow-controls input[name=to]", "2024-03-31")
    page.click("#flow-controls button[type=submit]")
    page.wait_for_selector("text=2024-01-01 to 2024-03-31")
    assert "from=2024-01-01" in page.url
    months = [t.strip() for t in page.locator("main table >> nth=-1").locator("tbody tr td:first-child").all_inner_texts()]
    assert months and all("2024-01" <= m <= "2024-03" for m in months), months
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-08-flows.png"), full_page=True)


def test_long_lists_filter_group_and_page(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/redflags")
    page.wait_for_selector("#flag-list")
    total = page.locator("#flag-list ul.flags li.flag").count()
    assert total >= 1
    rules = page.locator("#flag-list select[name=rule_title] option").all_inner_texts()
    assert rules[0].startswith("every") and len(rules) >= 2
    page.select_option("#flag-list select[name=rule_title]", index=1)
    chosen = rules[1].rsplit(" (", 1)[0]
    heads = page.locator("#flag-list .group h3").all_inner_texts()
    assert heads and all(hd.startswith(chosen) for hd in heads)  # grouped by rule, the why said once
    page.fill("#flag-list input.filter", "no party has this name")
    page.wait_for_selector("#flag-list :text('nothing matches')")
    page.screenshot(path=str(ARTIFACTS / "wb-09-redflags.png"))
    page.goto(server + "/#/timeline")
    page.wait_for_selector("#timeline-list")
    assert page.locator("#timeline-list tbody tr").count() <= 50
    fits(page)


def test_upload_customs_records_with_their_mapping(server: str, page, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/upload")
    page.set_input_files("#upload-form input[name=file]", str(fixtures / "trade" / "records.csv"))
    page.set_input_files("#upload-form input[name=mapping]", str(fixtures / "trade" / "records.mapping.yaml"))
    page.fill("#upload-form input[name=dataset]", "customs2")
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-result table")
    text = page.inner_text("#upload-result")
    assert "records.csv" in text and "null" not in text
    page.screenshot(path=str(ARTIFACTS / "wb-10-upload.png"))
    names = {d["name"] for d in httpx.get(f"{server}/datasets").json()["datasets"]}
    assert "customs2" in names


def test_impact_and_capacity_pages(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/impact")
    page.wait_for_function("!document.querySelector('main').innerText.includes('Loading')")
    page.wait_for_selector("#impact-table, main .muted >> nth=1")
    text = page.inner_text("main")
    assert "Designation impact" in text and "error" not in text.lower()
    page.screenshot(path=str(ARTIFACTS / "wb-11-impact.png"), full_page=True)
    page.goto(server + "/#/capacity")
    page.fill("#capacity-form input[name=buyer_name]", "Tundra")
    page.wait_for_selector("#capacity-form .suggest li")
    page.click("#capacity-form .suggest li >> nth=0")
    page.click("#capacity-form button[type=submit]")
    page.wait_for_function("!document.querySelector('#capacity-result').innerText.includes('Computing')")
    result = page.inner_text("#capacity-result")
    assert "error" not in result.lower() and result.strip()
    fits(page)
    page.screenshot(path=str(ARTIFACTS / "wb-12-capacity.png"), full_page=True)


def test_graph_labels_stay_readable_when_zoomed_out(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/#/graph/rt-komax")
    page.wait_for_function("window.__cy && window.__cy.nodes().length >= 3")
    page.evaluate("window.__cy.zoom(0.3)")
    page.wait_for_timeout(300)
    size = page.evaluate("parseFloat(window.__cy.nodes()[0].renderedStyle('font-size'))")
    assert size >= 10, size  # on screen, not 11 px times the zoom
    page.screenshot(path=str(ARTIFACTS / "wb-13-graph-zoomed-out.png"))
