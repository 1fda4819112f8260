"""A document past its time budget keeps what the finished stages found.

The clock is the one thing these tests control: the budget's deadline is made to pass when a chosen stage
checks it, so the stop lands at the same place on any machine; every stage runs for real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from redthread.extract import extract_text
from redthread.extract.budget import Budget, ExtractionTimeout

TEXT = ("Norvel Trading LLC is owned by Amsel Holdings Ltd. Petra Lindqvist is the director of Norvel Trading LLC. "
        "Kavro Optics GmbH shipped lenses to Norvel Trading LLC in 2023.")


def _stop_at(monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    """The deadline passes when ``stage`` first checks the budget."""
    check = Budget.check

    def late(self: Budget, at: str, position: int | None = None) -> None:
        if at == stage:
            self.deadline = float("-inf")
        check(self, at, position)

    monkeypatch.setattr(Budget, "check", late)


def _names(entities: list[dict[str, Any]]) -> set[str]:
    return {n for e in entities if e["schema"] in ("Company", "Person", "Organization", "LegalEntity")
            for n in e["properties"].get("name", [])}


def test_a_timeout_keeps_the_parties_found_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    full = extract_text(TEXT, doc_id="note.txt", dataset="t")
    _stop_at(monkeypatch, "reading the parse")
    with pytest.raises(ExtractionTimeout) as err:
        extract_text(TEXT, doc_id="note.txt", dataset="t", path="note.txt")
    assert str(err.value).startswith("note.txt: extraction stopped after")
    partial = err.value.partial
    assert partial is not None
    names = _names(partial.entities)
    assert "Norvel Trading LLC" in names and len(names) >= 3
    assert names <= _names(full.entities)
    document = next(e for e in partial.entities if e["schema"] == "Document")
    assert document["properties"]["processingStatus"] == ["partial"]
    assert "per-document budget" in document["properties"]["processingError"][0]
    assert any(s.prop == "processingStatus" and s.value == "partial" for s in partial.statements)
    # nothing found after the stop is there, nothing found before it is new
    full_ids = {e["id"] for e in full.entities}
    assert {e["id"] for e in partial.entities} <= full_ids


def test_a_timeout_while_reading_names_keeps_the_document_only(monkeypatch: pytest.MonkeyPatch) -> None:
    _stop_at(monkeypatch, "recognising names")
    with pytest.raises(ExtractionTimeout) as err:
        extract_text(TEXT, doc_id="d", dataset="t")
    partial = err.value.partial
    assert partial is not None
    assert [e["schema"] for e in partial.entities] == ["Document"]


def test_cli_keep_partial_writes_what_was_found_and_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from redthread.cli import app

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("Quillon Holdings Ltd owns Zorbaa Trading LLC.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    _stop_at(monkeypatch, "reading the parse")
    res = CliRunner().invoke(app, ["extract", str(first), str(second), "-o", str(out), "--keep-partial"])
    assert res.exit_code == 0, res.output
    assert "first.txt" in res.output and "kept what was found" in res.output
    rows = [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    documents = [r for r in rows if r["schema"] == "Document"]
    assert len(documents) == 2
    assert all(d["properties"].get("processingStatus") == ["partial"] for d in documents)
    assert {"Norvel Trading LLC", "Zorbaa Trading LLC"} <= _names(rows)

    # without the option the run stops and leaves nothing behind (as before)
    out.unlink()
    res = CliRunner().invoke(app, ["extract", str(first), str(second), "-o", str(out)])
    assert res.exit_code != 0 and not out.exists()
