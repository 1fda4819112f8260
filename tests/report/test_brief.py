"""The dossier's first page reads as a brief: at most five sentences, strongest findings, their sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.ingest import ingest
from redthread.report.brief import MAX_SENTENCES, brief
from redthread.report.dossier import build_dossier, render_html
from redthread.report.subject import subject_for
from redthread.store import Store, open_store


@pytest.fixture
def loaded(tmp_path: Path, fixtures: Path) -> Store:
    st = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    ingest(st, [fixtures / "trade" / "records.csv"], "customs")
    return st


def test_case_brief(loaded: Store) -> None:
    text = brief(subject_for(loaded, None))
    assert 3 <= len(text) <= MAX_SENTENCES
    assert any("sanctioned" in t and "Aero-HIT" in t for t in text)
    assert any("Customs records show $" in t and "Common High Priority List" in t for t in text)
    assert any("(source" in t or "sources:" in t for t in text)  # findings say where they come from


def test_brief_opens_the_dossier(loaded: Store) -> None:
    dossier = build_dossier(loaded, None)
    assert dossier.sections[0].key == "brief" and dossier.sections[0].sentences
    html = render_html(dossier)
    assert html.index('id="brief"') < html.index('id="summary"')


def test_entity_brief(loaded: Store) -> None:
    text = brief(subject_for(loaded, "rt-aerohit"))
    assert text[0].startswith("Aero-HIT is a company")
    assert any(t.startswith("Aero-HIT is sanctioned") for t in text)
