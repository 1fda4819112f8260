"""Mutation fuzzing of every input format: corrupt a valid file, ingest it.

Whatever the damage (truncation, flipped bytes, inserted junk, a swapped
encoding), a loader either loads or raises a ``RedthreadError`` that names
the file, and a refused file leaves the store exactly as it was. Any other
exception is a bug.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redthread.errors import RedthreadError
from redthread.ingest import ingest
from redthread.store import open_store

FIX = Path(__file__).resolve().parents[1] / "fixtures"
DOCS = Path(__file__).resolve().parents[2] / "examples" / "drone-components" / "documents"


def _pdf_seed() -> Path:
    """A small real PDF (WeasyPrint), made once per test session."""
    out = Path(tempfile.gettempdir()) / "redthread-fuzz-seed.pdf"
    if not out.exists():
        from weasyprint import HTML

        HTML(string="<p>Ivan Petrov is the general director of Northwind Trading LLC, "
                    "a company registered in Bishkek.</p>").write_pdf(out)
    return out

# format -> (files to copy into the work folder, the file to corrupt, the path to ingest)
SEEDS: dict[str, tuple[list[Path], str, str]] = {
    "ftm": ([FIX / "starter.ftm.jsonl"], "starter.ftm.jsonl", "starter.ftm.jsonl"),
    "customs": ([FIX / "trade" / "records.csv", FIX / "trade" / "records.mapping.yaml"], "records.csv", "records.csv"),
    "customs-mapping": ([FIX / "trade" / "records.csv", FIX / "trade" / "records.mapping.yaml"],
                        "records.mapping.yaml", "records.csv"),
    "ofac-xml": ([FIX / "lists" / "ofac-advanced.xml"], "ofac-advanced.xml", "ofac-advanced.xml"),
    "eu-fsf": ([FIX / "lists" / "eu-fsf.xml"], "eu-fsf.xml", "eu-fsf.xml"),
    "uk-list": ([FIX / "lists" / "uk-sanctions-list.xml"], "uk-sanctions-list.xml", "uk-sanctions-list.xml"),
    "un-list": ([FIX / "lists" / "un-consolidated.xml"], "un-consolidated.xml", "un-consolidated.xml"),
    "ofac-csv": ([FIX / "lists" / "ofac-csv"], "ofac-csv/sdn.csv", "ofac-csv"),
    "document": ([FIX / "extract" / "sample.txt"], "sample.txt", "sample.txt"),
    "document-html": ([DOCS / "01-treasury-press-release.html"], "01-treasury-press-release.html",
                      "01-treasury-press-release.html"),
    "document-docx": ([DOCS / "05-investigator-memo.docx"], "05-investigator-memo.docx", "05-investigator-memo.docx"),
    "document-pdf": ([], "seed.pdf", "seed.pdf"),
}
FORMAT = {"customs-mapping": "customs", "document-html": "document", "document-docx": "document",
          "document-pdf": "document"}

Mutation = Callable[[bytes], bytes]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "latin1", "empty"]))
    pos = draw(st.floats(min_value=0, max_value=1))
    junk = draw(st.binary(min_size=1, max_size=40))

    def apply(data: bytes) -> bytes:
        at = int(pos * len(data))
        if kind == "truncate":
            return data[:at]
        if kind == "flip":
            return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:] if data[at:at + 1] else data + b"\xff"
        if kind == "insert":
            return data[:at] + junk + data[at:]
        if kind == "delete":
            return data[:at] + data[at + len(junk):]
        if kind == "latin1":
            return data.decode("utf-8", "replace").encode("latin-1", "replace")
        return b""

    return apply


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_corrupted_inputs_fail_cleanly(name: str) -> None:
    files, target, entry = SEEDS[name]

    @settings(max_examples=int(os.environ.get("REDTHREAD_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutate=mutations())
    def run(mutate: Mutation) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for f in files:
                (shutil.copytree if f.is_dir() else shutil.copy)(f, work / f.name)
            if name == "document-pdf":
                shutil.copy(_pdf_seed(), work / "seed.pdf")
            victim = work / target
            victim.write_bytes(mutate(victim.read_bytes()))
            store = open_store(f"sqlite:///{work / 'fuzz.db'}")
            try:
                ingest(store, [FIX / "starter.ftm.jsonl"], "base")
                before = sorted(s.id for s in store.statements(include_removed=True))
                try:
                    ingest(store, [work / entry], "fuzz", FORMAT.get(name, name))
                except RedthreadError as err:
                    assert str(work) in str(err) or entry in str(err) or target.split("/")[-1] in str(err), str(err)
                    assert sorted(s.id for s in store.statements(include_removed=True)) == before
            finally:
                store.close()

    run()
