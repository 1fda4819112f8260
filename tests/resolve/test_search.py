"""Type-ahead search: any script, case and transliteration, with typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.resolve import judge
from redthread.search import fold, search
from redthread.store import Store, open_store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest(store, [fixtures / "resolve" / "articles.ftm.jsonl"], "articles")
    ingest(store, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    return store


def ids(store: Store, q: str) -> list[str]:
    return [str(h["id"]) for h in search(store, q, limit=5)]


@pytest.mark.parametrize(("query", "expected"), [
    ("Стриж", "reg-strizh"),          # Cyrillic, any case (SQLite folds ASCII only)
    ("стриж", "reg-strizh"),
    ("Strizh", "reg-strizh"),         # Latin query, Cyrillic name
    ("Вадим Лоскутов", "reg-loskutov"),  # words in another order
    ("vadim loskutov", "reg-loskutov"),
    ("Loskutow", "reg-loskutov"),     # a transliteration variant (one edit)
    ("Kestrl Ridge", "art1-kestrel"),  # a typo
    ("kestrel ri", "art1-kestrel"),   # still typing
    ("байтерек", "art1-baiterek"),
    ("iskakov marat", "art1-iskakov"),
])
def test_finds_in_any_script_case_and_with_typos(loaded: Store, query: str, expected: str) -> None:
    assert expected in ids(loaded, query)


def test_no_match_finds_nothing_and_merged_entities_appear_once(loaded: Store) -> None:
    assert ids(loaded, "Zyxwvut") == []
    judge(loaded, "art1-iskakov", "art2-iskakov", "positive")
    hits = ids(loaded, "iskakov")
    assert hits.count(loaded.canonical_id("art2-iskakov")) == 1 and len(hits) == 1


def test_exact_names_rank_first(loaded: Store) -> None:
    assert ids(loaded, "Kestrel Marine Gen. Supplies")[0] == "reg-marine"
    assert fold("ООО «Стриж-Авиа»") == "ooo strizh avia"


def test_search_route(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "resolve" / "registry.ftm.jsonl"], "registry")
    st.close()
    res = TestClient(create_app(url)).get("/search", params={"q": "стриж"}).json()
    assert res["results"][0]["id"] == "reg-strizh" and res["results"][0]["matched"] == "ООО Стриж Авиа"
