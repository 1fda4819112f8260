"""The screening index is kept on disk beside the store and reused by the next process."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.screen import clear_cache, index_for, persist, screen
from redthread.screen.index import ScreeningIndex
from redthread.store import Judgement, open_store

LIST = (
    '{"id": "p-1", "schema": "Person", "properties": {"name": ["Yegor Sergeyevich Petrov"], '
    '"birthDate": ["1971-03-14"]}}\n'
    '{"id": "c-1", "schema": "Company", "properties": {"name": ["Severny Veter LLC"], "country": ["ru"]}}\n'
)


def test_index_is_kept_beside_the_store_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "list.ftm.jsonl").write_text(LIST, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    ingest(st, [tmp_path / "list.ftm.jsonl"], "list")
    clear_cache()
    first = screen(st, "Egor Petrov", schema="Person")
    files = sorted((tmp_path / "case.screen").glob("all-*.pkl"))
    assert len(files) == 1 and files[0] == persist.path_for(st, None)

    # A new process (no in-memory cache) loads the file instead of building.
    clear_cache()

    def no_build(*args: object, **kwargs: object) -> ScreeningIndex:
        raise AssertionError("the index should have been loaded, not built")

    monkeypatch.setattr(ScreeningIndex, "build", classmethod(no_build))
    assert screen(st, "Egor Petrov", schema="Person") == first
    monkeypatch.undo()

    # A judgement changes the content: a new file replaces the old one.
    st.add_judgement(Judgement("p-1", "c-1", "negative", "test", "2025-01-01T00:00:00"))
    clear_cache()
    index_for(st)
    now = sorted((tmp_path / "case.screen").glob("all-*.pkl"))
    assert len(now) == 1 and now != files
    st.close()


def test_damaged_file_is_rebuilt_and_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "list.ftm.jsonl").write_text(LIST, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    ingest(st, [tmp_path / "list.ftm.jsonl"], "list")
    path = persist.path_for(st, "list")
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    clear_cache()
    assert len(index_for(st, "list")) == 2  # rebuilt, and the file rewritten
    assert persist.load(path, ScreeningIndex) is not None
    monkeypatch.setenv("REDTHREAD_SCREEN_CACHE", "0")
    assert persist.path_for(st, None) is None
    assert persist.folder("sqlite:///:memory:") is None
    st.close()


def test_a_new_file_replaces_only_its_own_scope(tmp_path: Path) -> None:
    (tmp_path / "list.ftm.jsonl").write_text(LIST, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    ingest(st, [tmp_path / "list.ftm.jsonl"], "list")
    clear_cache()
    index_for(st)
    index_for(st, "list")
    folder = tmp_path / "case.screen"
    assert len(list(folder.glob("all-*.pkl"))) == 1 and len(list(folder.glob("ds-*.pkl"))) == 1
    st.add_judgement(Judgement("p-1", "c-1", "negative", "test", "2025-01-01T00:00:00"))
    clear_cache()
    index_for(st)  # the whole-store index is rebuilt; the dataset's older file stays until it is asked for
    assert len(list(folder.glob("all-*.pkl"))) == 1 and len(list(folder.glob("ds-*.pkl"))) == 1
    st.close()


def test_the_vocabulary_is_part_of_the_code_digest() -> None:
    # A new legal form or trade word changes how names are analysed: an index
    # built with the old vocabulary must not be loaded.
    assert persist.code_files() and any(p.name == "vocabulary.yaml" for p in persist.code_files())
