"""Dossiers: HTML content, honest notes for missing capabilities, PDF pages as pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from typer.testing import CliRunner

from redthread.cli import app as cli_app
from redthread.ingest import ingest
from redthread.model import Statement
from redthread.report.dossier import build_dossier, render_html, write_dossier
from redthread.report.sections import SECTIONS
from redthread.store import Document, LoadBatch, Store, open_store

NOTE = "Field notes. The holding firm Komax directs the plant; a filing names its owner."


def _load(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    start = NOTE.index("Komax")
    store.write(LoadBatch("notes", "note-1", [
        Statement("rt-komax", "Company", "alias", "Komax", "notes", source="note-1", span_start=start,
                  span_end=start + 5, quote="The holding firm Komax directs the plant", hedge=None, origin="test"),
    ], documents=[Document("note-1", "notes", title="Field notes", text=NOTE)]))


@pytest.fixture
def loaded(tmp_path: Path, fixtures: Path) -> Store:
    st = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    _load(st, fixtures)
    return st


def test_entity_dossier_html(loaded: Store) -> None:
    dossier = build_dossier(loaded, "rt-komax")
    by_key = {s.key: s for s in dossier.sections}
    assert [s.key for s in dossier.sections] == [k for k, _, _ in SECTIONS]
    assert dossier.title == "Komax"
    assert ("Name", "Komax") in by_key["summary"].facts
    assert "Aero-HIT" in by_key["network"].svg and "Konstantin Basyuk" in by_key["network"].svg
    quotes = by_key["sources"].quotes
    assert quotes and quotes[0]["quote"] == "The holding firm Komax directs the plant"
    assert quotes[0]["source"] == "Field notes"
    html = render_html(dossier)
    assert "<svg" in html and "The holding firm Komax directs the plant" in html
    for sec in dossier.sections:  # every section has content or says why not
        assert sec.facts or sec.svg or sec.rows or sec.tree or sec.quotes or sec.sentences or sec.note, sec.key


def test_missing_capability_is_noted_not_faked(loaded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import redthread.report.subject as subject

    real = subject.importlib.import_module

    def fake_import(name: str) -> object:
        if name == "redthread.analyze.ownership":
            raise ImportError(name)
        return real(name)

    monkeypatch.setattr(subject.importlib, "import_module", fake_import)
    sec = {s.key: s for s in build_dossier(loaded, "rt-komax").sections}["ownership"]
    assert "not installed in this installation" in sec.note
    assert sec.tree is None and not sec.rows


def test_case_dossier_marks_sanctioned(loaded: Store) -> None:
    dossier = build_dossier(loaded, None)
    facts = dict({s.key: s for s in dossier.sections}["summary"].facts)
    assert facts["Sanctioned parties"] == "Aero-HIT"


@pytest.mark.slow
def test_pdf_pages_render_and_are_not_blank(loaded: Store, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing: run `bash scripts/services.sh install` (poppler-utils)")
    pdf = tmp_path / "dossier.pdf"
    write_dossier(loaded, "rt-komax", pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        img = Image.open(page).convert("L")
        stat = ImageStat.Stat(img)
        assert stat.stddev[0] > 10, f"{page.name} looks blank"
        assert img.getextrema()[0] < 100  # some dark ink (text) on the page


def test_report_cli(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REDTHREAD_STORE", url)
    st = open_store(url)
    _load(st, fixtures)
    st.close()
    runner = CliRunner()
    res = runner.invoke(cli_app, ["report", "Komax", "-o", str(tmp_path / "k.html")])
    assert res.exit_code == 0, res.output
    assert "Komax" in (tmp_path / "k.html").read_text()
    res = runner.invoke(cli_app, ["report", "--case", "-o", str(tmp_path / "case.html")])
    assert res.exit_code == 0, res.output
    assert "Case dossier" in (tmp_path / "case.html").read_text()
    res = runner.invoke(cli_app, ["report", "Komax", "-o", str(tmp_path / "k.docx")])
    assert res.exit_code != 0


@pytest.mark.slow
def test_pdf_embeds_a_cjk_font_for_chinese_names(loaded: Store, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing: run `bash scripts/services.sh install`")
    loaded.write(LoadBatch("notes", "note-2", [
        Statement("rt-komax", "Company", "alias", "科马克斯控股", "notes", source="note-2", origin="test"),
    ]))
    pdf = tmp_path / "cjk.pdf"
    write_dossier(loaded, "rt-komax", pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, f"no CJK font in the PDF (install fonts-noto-cjk):\n{fonts}"
    assert all(" yes " in line for line in cjk)  # embedded, so the reader needs no font of its own
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "科马克斯控股" in text
