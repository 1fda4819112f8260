"""The extraction commands, settings, route and formats are documented."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_extraction_is_documented() -> None:
    doc = (ROOT / "docs" / "extraction.md").read_text(encoding="utf-8")
    for text in ("redthread extract", "redthread eval", "redthread ingest report.txt", "--backend llm",
                 "--statements", "REDTHREAD_LLM_URL", "REDTHREAD_LLM_MODEL", "REDTHREAD_LLM_KEY",
                 "REDTHREAD_LLM_TIMEOUT", "REDTHREAD_EXTRACT_BACKEND", "POST /extract", "currency: RUB",
                 "held-out", "bench/extract/run.py"):
        assert text in doc, text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "redthread extract" in readme and "docs/extraction.md" in readme
    arch = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "redthread/extract/" in arch and "redthread/ingest/document.py" in arch
