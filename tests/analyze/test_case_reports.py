"""The case's two published reports loaded together: one node per party, the
contradictions between them, the red flags they describe (issue #20).

The reports are read from ../shared/corpus, never copied. Every assertion
below follows from what the reports say; none of it is in the code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from redthread.analyze.claims import claims
from redthread.analyze.redflags import evaluate
from redthread.analyze.timeline import timeline
from redthread.ingest import ingest
from redthread.ingest.document import document_id
from redthread.resolve.consolidate import consolidate, name_key
from redthread.store import Store, open_store
from tests.conftest import SHARED

REPORTS = ("report-aerohit-long.txt", "report-aerohit-short.txt")
# Each report's statements carry its document id (dataset and file name) as their source.
LONG, SHORT = (document_id("reports", name) for name in REPORTS)
PARTY_SCHEMATA = {"Person", "Company", "Organization", "PublicBody", "LegalEntity"}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = SHARED / "corpus"
    if not all((folder / name).exists() for name in REPORTS):
        pytest.fail(f"the case reports are missing from {folder}")
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('case') / 'case.db'}")
    ingest(store, [folder / name for name in REPORTS], "reports")
    consolidate(store)
    yield store
    store.close()


def _parties(store: Store) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in store.entities() if e["schema"] in PARTY_SCHEMATA]


def _one(store: Store, name: str) -> dict:  # type: ignore[type-arg]
    found = [e for e in _parties(store) if name_key(name) in {name_key(n) for n in e["properties"].get("name", [])}]
    assert len(found) == 1, f"{name}: {[(e['id'], e['schema']) for e in found]}"
    return found[0]


def test_each_party_is_one_node(case: Store) -> None:
    keys = Counter(name_key(e["caption"]) for e in _parties(case))
    assert [k for k, n in keys.items() if n > 1] == []
    for name in ("Aero-HIT", "Komax", "Konstantin Basyuk", "Harbin Institute of Technology"):
        party = _one(case, name)
        assert len({s.source for s in case.entity_statements(party["id"])}) == 2, name
    assert _one(case, "Konstantin Basyuk")["schema"] == "Person"


def test_the_order_date_contradiction(case: Store) -> None:
    found = [c for c in claims(case, conflicts_only=True) if c["prop"] == "date"]
    dates = [{v["value"] for v in c["values"]} for c in found]
    assert {"2024-03", "2024-08-29"} in dates
    conflict = found[dates.index({"2024-03", "2024-08-29"})]
    assert "5000" in conflict["key"][1]
    by_date = {v["value"]: {s["source"] for s in v["sources"]} for v in conflict["values"]}
    assert by_date == {"2024-03": {SHORT}, "2024-08-29": {LONG}}
    # the event is attached to the parties the reports name
    assert "Aero-HIT" in {e["name"] for e in conflict["entities"]}


def test_the_unit_price_contradiction(case: Store) -> None:
    prices = [c for c in claims(case, conflicts_only=True) if c["key"][0] == "Asset" and c["key"][2] == "RUB"]
    assert len(prices) == 1
    values = {v["value"]: {s["source"] for s in v["sources"]} for v in prices[0]["values"]}
    assert values == {"650000": {SHORT}, "80000": {LONG}}
    derived = [s for s in prices[0]["values"] if s["value"] == "80000"][0]["sources"][0]
    assert "8 million rubles" in derived["quote"]  # worked out from the order's total and count


def test_what_both_reports_say_is_corroborated(case: Store) -> None:
    facts = claims(case)
    capacity = [f for f in facts if f["prop"] == "summary" and f["value"].startswith("capacity: 10000")]
    assert capacity and capacity[0]["source_count"] == 2


def test_the_flags_the_reports_describe(case: Store) -> None:
    flags = evaluate(case)
    fired = {(f["rule"], f["entity"]["name"]) for f in flags}
    assert ("unrelated-business", "Aeromar-DV") in fired
    assert ("agent-for-sanctioned", "Renovatsio-Invest") in fired
    assert ("transshipment", "Harbin Comprehensive Bonded Zone") in fired
    unnamed = [f for f in flags if f["rule"] == "unrelated-business" and f["entity"]["name"] != "Aeromar-DV"]
    assert unnamed and "real estate" in unnamed[0]["detail"] and "seafood" in unnamed[0]["detail"]
    for flag in flags:
        assert flag["evidence"] and all(e["quote"] for e in flag["evidence"]), flag["rule"]


def test_timeline_has_one_event_per_fact(case: Store) -> None:
    events = [e for e in timeline(case) if e["kind"] == "fact"]
    seen = Counter((e["date"], e["event"]) for e in events)
    assert [k for k, n in seen.items() if n > 1] == []
    aero = _one(case, "Aero-HIT")["id"]
    designations = [e for e in events if e["entity"]["schema"] == "Sanction"
                    and aero in {p["id"] for p in e["parties"]}]
    assert len(designations) == 1
    disputed = [e for e in events if e.get("disputed")]
    assert {e["date"] for e in disputed} >= {"2024-03", "2024-08-29"}



def test_the_network_draws_each_party_once_and_no_prose_facts(case: Store) -> None:
    from redthread.report.network import build_network

    net = build_network(case)
    schemata = Counter(n.schema for n in net.nodes.values())
    assert not {"Event", "Asset"} & set(schemata)
    names = Counter(name_key(n.caption) for n in net.nodes.values() if n.schema in PARTY_SCHEMATA)
    assert [k for k, n in names.items() if n > 1] == []
