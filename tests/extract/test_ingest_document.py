"""`redthread ingest report.txt` extracts and stores statements with spans and the document text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from redthread.ingest import ingest, sniff_loader
from redthread.ingest.document import DocumentLoader
from redthread.store import Store

SAMPLE = Path(__file__).parents[1] / "fixtures" / "extract" / "sample.txt"


def test_ingest_document_keeps_spans_and_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    shutil.copy(SAMPLE, path)
    results, _ = ingest(store, [path], "docs")
    assert results[0].added > 0
    text = path.read_text(encoding="utf-8")
    (doc,) = store.documents("docs")
    assert doc.text == text and doc.id == "docs/report.txt"
    stmts = [s for s in store.statements(dataset="docs") if s.prop == "name"]
    assert stmts
    for s in stmts:
        assert s.source == doc.id
        assert s.span_start is not None and s.span_end is not None
        if not s.value.startswith("the "):
            assert text[s.span_start : s.span_end] == s.value
        assert s.quote and s.origin.startswith("redthread.extract.rules/")
    found = [eid for eid in store.search("Northwind", limit=5)]
    assert found and store.entity(found[0])["schema"] == "Company"
    # loading it again changes nothing
    again, _ = ingest(store, [path], "docs")
    assert again[0].unchanged or again[0].added == 0


def test_loader_claims_documents_only(tmp_path: Path) -> None:
    loader = DocumentLoader()
    for name in ("a.txt", "a.html", "a.htm", "a.pdf", "a.docx"):
        assert loader.sniff(tmp_path / name, b"hello"), name
    for name in ("a.csv", "a.jsonl", "a.yaml", "a.yml", "a.xml", "a.json", "a.parquet", "README.md"):
        assert not loader.sniff(tmp_path / name, b"hello"), name
    assert loader.sniff(tmp_path / "noext", b"%PDF-1.4 ...")
    assert not loader.sniff(tmp_path / "noext", b"just bytes")


def test_sniffing_picks_the_document_loader(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("Foo Trading LLC shipped motors to Bar Avia JSC in May 2024.\n")
    assert sniff_loader(path).name == "document"
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n1,2\n")
    assert sniff_loader_name(csv) != "document"


def sniff_loader_name(path: Path) -> str | None:
    try:
        return sniff_loader(path).name
    except Exception:  # no loader for it at all is fine too
        return None


def test_empty_document_is_refused(store: Store, tmp_path: Path) -> None:
    from redthread.errors import InputError

    path = tmp_path / "empty.txt"
    path.write_text("   \n")
    with pytest.raises(InputError, match="no text"):
        ingest(store, [path], "docs")
