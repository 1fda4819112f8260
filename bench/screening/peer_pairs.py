"""Peer projects' labelled pairs: redthread's scorers beside nomenklatura's logic-v1 and logic-v2.

    .venv/bin/python bench/screening/peer_pairs.py [--pairs ../shared/data/matching/pairs-dev.jsonl] [-v]

The pairs file (one JSON object a line: ``schema``, ``query``, ``candidate``,
``match``) holds the expectations of nomenklatura's and yente's own test
suites. redthread is scored the way ``../shared/tools/score_pairs.py`` does
through HTTP, but in-process: every distinct candidate goes into one
screening index, each query is run through :func:`match_index` (threshold
0.7, cutoff 0, limit 500) and a pair counts as a match when its candidate
comes back flagged ``match`` (not returned = no match, so retrieval counts).
nomenklatura's algorithms score each pair directly (no retrieval step, which
favours them) at the same threshold. Prints accuracy, precision and recall
per algorithm, side by side; ``-v`` lists redthread's errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from redthread.screen import ScreeningIndex, match_index  # noqa: E402
from redthread.screen.scorers import DEFAULT, scorers  # noqa: E402

THRESHOLD = 0.7
DEFAULT_PAIRS = HERE.parents[2] / "shared" / "data" / "matching" / "pairs-dev.jsonl"


def measures(pairs: list[dict[str, Any]], verdict: dict[str, bool]) -> dict[str, float]:
    tp = sum(1 for p in pairs if p["match"] and verdict[p["pair"]])
    fp = sum(1 for p in pairs if not p["match"] and verdict[p["pair"]])
    fn = sum(1 for p in pairs if p["match"] and not verdict[p["pair"]])
    tn = len(pairs) - tp - fp - fn
    return {"accuracy": (tp + tn) / len(pairs), "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0}


def redthread_verdicts(pairs: list[dict[str, Any]], algorithm: str,
                       returned: dict[str, bool] | None = None) -> dict[str, bool]:
    """Whether each pair's candidate comes back flagged ``match``; ``returned`` (when given) gets whether it
    comes back at all (the index retrieved it and the scorer gave it more than 0)."""
    ids: dict[tuple[str, str], str] = {}
    entities = []
    for p in pairs:
        key = (p["schema"], json.dumps(p["candidate"]["properties"], sort_keys=True, ensure_ascii=False))
        if key not in ids:
            ids[key] = f"c{len(ids):04d}"
            entities.append({"id": ids[key], "schema": p["schema"], "properties": p["candidate"]["properties"],
                             "datasets": ["peer"]})
        p["cid"] = ids[key]
    index = ScreeningIndex.build(entities)
    verdict = {}
    for p in pairs:
        body = {p["pair"]: {"schema": p["schema"], "properties": p["query"]["properties"]}}
        try:
            out = match_index(index, body, threshold=THRESHOLD, limit=500, algorithm=algorithm)
        except Exception:  # a query redthread refuses counts as no match
            verdict[p["pair"]] = False
            if returned is not None:
                returned[p["pair"]] = False
            continue
        res = out["responses"][p["pair"]]["results"]
        verdict[p["pair"]] = any(r["id"] == p["cid"] and r["match"] for r in res)
        if returned is not None:
            returned[p["pair"]] = any(r["id"] == p["cid"] for r in res)
    return verdict


def nomenklatura_verdicts(pairs: list[dict[str, Any]], name: str) -> dict[str, bool]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algo = get_algorithm(name)
    assert algo is not None
    config = algo.default_config() if hasattr(algo, "default_config") else None
    verdict = {}
    for p in pairs:
        try:
            q = model.get_proxy({"id": "q" + p["pair"], "schema": p["schema"], "properties": p["query"]["properties"]})
            c = model.get_proxy({"id": "c" + p["pair"], "schema": p["schema"], "properties": p["candidate"]["properties"]})
            res = algo.compare(q, c, config) if config is not None else algo.compare(q, c)
            verdict[p["pair"]] = res.score >= THRESHOLD
        except Exception:
            verdict[p["pair"]] = False
    return verdict


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", default=str(DEFAULT_PAIRS))
    ap.add_argument("--only", default="", help="comma-separated algorithm names")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    pairs = [json.loads(line) for line in open(a.pairs, encoding="utf-8") if line.strip()]
    names = [n for n in a.only.split(",") if n] or [*sorted(scorers()), "logic-v1", "logic-v2"]
    print(f"{len(pairs)} pairs, threshold {THRESHOLD}")
    print(f"{'algorithm':<16}{'accuracy':>10}{'precision':>11}{'recall':>9}{'seconds':>9}")
    for name in names:
        start = time.perf_counter()
        if name in scorers():
            verdict = redthread_verdicts(pairs, name)
        else:
            verdict = nomenklatura_verdicts(pairs, name)
        m = measures(pairs, verdict)
        print(f"{name:<16}{m['accuracy']:>10.3f}{m['precision']:>11.3f}{m['recall']:>9.3f}"
              f"{time.perf_counter() - start:>9.1f}")
        if a.verbose and name == DEFAULT:
            for p in pairs:
                if p["match"] != verdict[p["pair"]]:
                    print(("  MISS  " if p["match"] else "  FALSE ")
                          + json.dumps([p["query"]["properties"], p["candidate"]["properties"]],
                                       ensure_ascii=False))


if __name__ == "__main__":
    main()
