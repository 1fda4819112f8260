"""Why screening queries fail: a dump of recall misses and false positives.

    .venv/bin/python bench/screening/misses.py --size 200000 [--out misses.jsonl]

Builds the same index and labelled queries as ``run.py`` (same seed), runs
every query and, for each recall miss, says whether the expected entity was
among the blocked candidates at all (and at which blocking rank), its score,
and what outranked it; for each false positive, what matched. Prints a count
by cause and noise kind and writes one JSON line per failure.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import run  # noqa: E402
import synth  # noqa: E402

from redthread.screen import ScreeningIndex  # noqa: E402
from redthread.screen.matching import query_record  # noqa: E402
from redthread.screen.record import entity_record  # noqa: E402
from redthread.screen.scorers import get_scorer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=200_000)
    ap.add_argument("--positives", type=int, default=2000)
    ap.add_argument("--negatives", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20241122)
    ap.add_argument("--out", default="")
    args = ap.parse_args()

    real = run.load_ofac()
    real_by_id = {e["id"]: e for e in real}
    ents = list(synth.entities(args.seed, args.size)) + real
    index = ScreeningIndex.build(ents, workers=args.workers)
    del ents
    scorer = get_scorer("redthread-v1")
    queries = synth.queries(args.seed, args.size, args.positives, args.negatives, real)
    pos = {index.ids[k]: k for k in range(len(index.ids))}
    causes: collections.Counter[str] = collections.Counter()
    by_noise: collections.Counter[str] = collections.Counter()
    rows: list[dict[str, Any]] = []
    for q in queries:
        record = query_record("q", q.query)
        found = index.search(record, limit=5)
        res = [(c.id, c.score.score) for c in found]
        qname = q.query["properties"]["name"][0]
        if q.target is None:
            if any(s >= run.THRESHOLD for _, s in res):
                top = found[0]
                causes["false positive"] += 1
                by_noise[q.noise] += 1
                rows.append({"kind": "fp", "noise": q.noise, "query": qname, "top": top.id,
                             "top_names": [n.text for n in index.record(top.index).names],
                             "top_score": top.score.score, "expl": top.score.explanations.get("name")})
            continue
        tgt = run.candidate_entity(q.target, args.seed, real_by_id)
        tscore = scorer.score(record, entity_record(tgt))
        if run.correct(res, q.target, tscore.score):
            continue
        cands = index.candidates(record)
        eidx = pos.get(q.target)
        rank = cands.index(eidx) if eidx in cands else None
        if tscore.score < run.THRESHOLD:
            cause = "target scores below threshold"
        elif rank is None:
            cause = "target not among blocked candidates"
        else:
            cause = "outranked"
        causes[cause] += 1
        by_noise[f"{q.noise} / {cause}"] += 1
        rows.append({"kind": cause, "noise": q.noise, "query": qname, "target": q.target,
                     "target_names": [n.text for n in entity_record(tgt).names],
                     "target_score": tscore.score, "target_expl": tscore.explanations.get("name"),
                     "blocking_rank": rank, "n_candidates": len(cands),
                     "top": [(c.id, c.score.score, [n.text for n in index.record(c.index).names][:2])
                             for c in found[:3]]})
    print(f"index {len(index):,} entities; {len(queries)} queries; {sum(causes.values())} failures")
    for cause, n in causes.most_common():
        print(f"  {cause:40}{n}")
    print("by noise kind / cause:")
    for key, n in by_noise.most_common():
        print(f"  {key:70}{n}")
    if args.out:
        with open(args.out, "w") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
