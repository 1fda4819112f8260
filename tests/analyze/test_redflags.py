"""Each red-flag rule fires on the fixture case written for it, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.analyze.redflags import RULES, chpl_tier, evaluate, parse_date
from redthread.store import Store


def fired(flags: list[dict], rule: str) -> list[dict]:
    return [f for f in flags if f["rule"] == rule]


@pytest.fixture
def flags(redflags_store: Store) -> list[dict]:
    return evaluate(redflags_store)


def test_every_flag_explains_itself(flags: list[dict]) -> None:
    assert {f["rule"] for f in flags} == set(RULES)
    for f in flags:
        assert f["title"] and f["why"] and f["detail"]
        assert f["evidence"], f
        assert all(e.get("dataset") for e in f["evidence"])


def test_unrelated_business(flags: list[dict]) -> None:
    (flag,) = fired(flags, "unrelated-business")
    assert flag["entity"]["id"] == "r-caterer"
    assert "drone" in flag["detail"] and "Airline catering" in flag["detail"]
    assert {e["prop"] for e in flag["evidence"]} >= {"sector", "goodsDescription", "vedCode"}
    assert flag["evidence"][0]["location"].startswith("redflags.ftm.jsonl:")


def test_shared_address_only_between_unrelated_parties(flags: list[dict]) -> None:
    (flag,) = fired(flags, "shared-address")
    assert {p["id"] for p in flag["parties"]} == {"r-shell-1", "r-shell-2"}


def test_new_company(flags: list[dict]) -> None:
    (flag,) = fired(flags, "new-company")
    assert flag["entity"]["id"] == "r-fresh"
    assert "106 days" in flag["detail"]


def test_transshipment_third_country_and_bonded_zone(flags: list[dict]) -> None:
    found = {f["entity"]["id"]: f for f in fired(flags, "transshipment")}
    assert set(found) == {"r-trade-1", "r-bonded"}
    assert "shipped from hk" in found["r-trade-1"]["detail"]
    assert "Bonded Zone" in found["r-bonded"]["detail"]


def test_third_party_payment(flags: list[dict]) -> None:
    (flag,) = fired(flags, "third-party-payment")
    assert flag["entity"]["id"] == "r-payer"
    assert "Maker Electronics" in flag["detail"]


def test_removed_and_changed_after_designation(flags: list[dict]) -> None:
    found = fired(flags, "removed-after-exposure")
    assert {f["entity"]["id"] for f in found} == {"r-designated"}
    removed = next(f for f in found if "removed" in f["detail"])
    assert any(e["removed_at"] and e["entity_id"] == "r-reg-dir" for e in removed["evidence"])
    changed = next(f for f in found if "change" in f["detail"])
    assert any(e["value"] == "2024-08-01" for e in changed["evidence"])


def test_relatives_and_same_person_on_both_sides(flags: list[dict]) -> None:
    found = fired(flags, "relatives-both-sides")
    details = " | ".join(f["detail"] for f in found)
    assert "Ivan Samplov (behind Family Supplier Co) and Olga Samplova (behind Family Buyer Co) are relatives" in details
    assert "Petr Common is behind both Common Supplier Co and Common Buyer Co" in details
    assert "share surname and birth date" in details
    assert len(found) == 3


def test_chpl_to_restricted_destination(flags: list[dict]) -> None:
    (flag,) = fired(flags, "chpl-high-risk")
    assert flag["entity"]["id"] == "r-trade-1"
    assert flag["severity"] == "high" and "tier 2" in flag["detail"]


def test_agent_for_sanctioned(flags: list[dict]) -> None:
    (flag,) = fired(flags, "agent-for-sanctioned")
    assert flag["entity"]["id"] == "r-agent"


def test_filter_by_entity(redflags_store: Store) -> None:
    only = evaluate(redflags_store, "r-maker")
    assert only and all(any(p["id"] == "r-maker" for p in f["parties"]) for f in only)
    assert {f["rule"] for f in only} == {"unrelated-business", "transshipment", "third-party-payment",
                                         "chpl-high-risk"}


def test_chpl_list_and_dates(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_CHPL", str(shared / "data" / "chpl_hs6.csv"))
    assert chpl_tier("8542.31.00") == "1"
    assert chpl_tier("8542") == "1"
    assert chpl_tier("0303") is None
    assert parse_date("2023-07") is not None and parse_date("2023-07").month == 7  # type: ignore[union-attr]
    assert parse_date("soon") is None
