"""Extraction quality must not regress: scores on a subset of eval/ stay above measured floors.

Measured with the rules backend when this test was written (party F1 / relation F1):
press_release 1.00/0.96, registry_narrative 1.00/0.89, corpus_short 0.80/1.00, memo (held out) 0.92/0.93.
The floors sit a little below, so a real regression fails and noise does not.
"""

from __future__ import annotations

from pathlib import Path

from redthread.extract.evaluate import load_gold, score_document, summarise

GOLD = Path(__file__).parents[2] / "eval" / "gold"


def _scores(*names: str) -> dict[str, float]:
    scores = [score_document(load_gold(GOLD / f"{n}.yaml")) for n in names]
    total = summarise(scores)["all"]
    return {"parties": total["parties"]["f1"], "relations": total["relations"]["f1"],
            "props": total["key_properties_recall"]}


def test_our_documents_stay_above_floor() -> None:
    got = _scores("press_release", "registry_narrative", "memo")
    assert got["parties"] >= 0.90, got
    assert got["relations"] >= 0.85, got
    assert got["props"] >= 0.90, got


def test_corpus_summary_stays_above_floor(shared: Path) -> None:
    assert (shared / "corpus" / "report-aerohit-short.txt").exists()
    got = _scores("corpus_short")
    assert got["parties"] >= 0.75, got
    assert got["relations"] >= 0.85, got
