"""The yente-compatible match function and the screening index over a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.screen import ScreeningIndex, algorithms, index_for, match, screen
from redthread.screen.screening import screen_file
from redthread.store import Store

RESULT_KEYS = {"id", "caption", "schema", "properties", "datasets", "referents", "target", "first_seen",
               "last_seen", "score", "match", "features"}


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    return store


def test_match_has_the_yente_shape(loaded: Store) -> None:
    body = match(loaded, {"queries": {
        "q1": {"schema": "Person", "properties": {"name": ["Yegor Petrov"], "birthDate": ["1971-03-14"]}},
        "q2": {"schema": "Company", "properties": {"name": ["Xiamen Beihai Electronics Co., Ltd."]}},
    }}, threshold=0.7, limit=3)
    assert set(body) == {"responses", "matcher", "limit"}
    assert body["limit"] == 3 and body["matcher"]["name"] == "redthread-v2"
    assert "name" in body["matcher"]["features"]
    q1 = body["responses"]["q1"]
    assert q1["status"] == 200 and q1["total"]["relation"] == "eq"
    assert q1["query"]["schema"] == "Person"
    top = q1["results"][0]
    assert RESULT_KEYS <= set(top)
    assert top["id"] == "sl-petrov" and top["match"] is True and top["target"] is True
    assert top["features"]["birth_date_match"] == 1.0
    assert top["datasets"] == ["lists"]
    assert all(r["id"] != "sl-petrov-ivan" or not r["match"] for r in q1["results"])
    q2 = body["responses"]["q2"]["results"][0]
    assert q2["id"] == "sl-beihai" and q2["match"] and q2["target"]  # target via the Sanction entity


def test_identifiers_find_a_renamed_party(loaded: Store) -> None:
    body = match(loaded, {"q": {"schema": "Company", "properties": {"name": ["Completely Other Name"],
                                                                     "innCode": ["2723123456"]}}})
    top = body["responses"]["q"]["results"][0]
    assert top["id"] == "sl-veter" and top["features"]["identifier_match"] == 1.0
    vessel = match(loaded, {"q": {"schema": "Vessel", "properties": {"name": ["Sea Falcon"],
                                                                    "imoNumber": ["IMO 9123456"]}}})
    assert vessel["responses"]["q"]["results"][0]["id"] == "sl-falcon"


def test_schema_and_dataset_scope(loaded: Store) -> None:
    body = match(loaded, {"q": {"schema": "Vessel", "properties": {"name": ["Petrov Egor"]}}})
    assert body["responses"]["q"]["results"] == []
    with pytest.raises(InputError):
        match(loaded, {"q": {"schema": "Person", "properties": {"name": ["x"]}}}, dataset="nope")
    with pytest.raises(InputError, match="queries.q"):
        match(loaded, {"q": {"schema": "NoSuchSchema", "properties": {"name": ["x"]}}})
    with pytest.raises(InputError):
        match(loaded, {"q": {"schema": "Person", "properties": {}}})
    with pytest.raises(Exception, match="unknown matching algorithm"):
        match(loaded, {"q": {"schema": "Person", "properties": {"name": ["x"]}}}, algorithm="nope")


def test_screen_one_name(loaded: Store) -> None:
    results = screen(loaded, "Serhii Wang", schema="Person")
    assert all(not r["match"] for r in results)
    results = screen(loaded, "Xiaoming Wang", schema="Person", country="cn")
    assert results[0]["id"] == "sl-wang" and results[0]["match"]
    assert results[0]["explanations"]["name"]["candidate"] == "王小明"


def test_index_is_cached_until_the_store_changes(loaded: Store, fixtures: Path, tmp_path: Path) -> None:
    first = index_for(loaded)
    assert index_for(loaded) is first
    extra = tmp_path / "more.ftm.jsonl"
    extra.write_text('{"id": "x-1", "schema": "Person", "properties": {"name": ["Anna Karenina"]}}\n')
    ingest(loaded, [extra], "more")
    second = index_for(loaded)
    assert second is not first and len(second) == len(first) + 1


def test_index_build_skips_non_matchable() -> None:
    idx = ScreeningIndex.build([
        {"id": "a", "schema": "Person", "properties": {"name": ["Anna Karenina"]}},
        {"id": "s", "schema": "Sanction", "properties": {"entity": ["a"]}},
        {"id": "ad", "schema": "Address", "properties": {"full": ["Somewhere 1"]}},
    ])
    assert idx.ids == ["a"]


def test_bulk_screen_file(loaded: Store, tmp_path: Path) -> None:
    src = tmp_path / "counterparties.csv"
    src.write_text("id,name,schema,country,inn\nc1,Yegor Petrov,Person,ru,\nc2,Unrelated Bakery,Company,fr,\n"
                   "c3,Severny Veter OOO,Company,,2723123456\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    stats = screen_file(loaded, src, out)
    assert stats["rows"] == 3 and stats["matched"] == 2
    text = out.read_text(encoding="utf-8")
    assert "sl-petrov" in text and "sl-veter" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("who\nx\n")
    with pytest.raises(InputError, match="name"):
        screen_file(loaded, bad, tmp_path / "o.csv")


def test_algorithms_listing() -> None:
    body = algorithms()
    assert body["default"] == "redthread-v2"
    assert {a["name"] for a in body["algorithms"]} >= {"redthread-v1", "redthread-v2", "name-v1"}
