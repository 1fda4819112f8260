"""Bulk screening CPU per query, cold and warm, per scorer.

    .venv/bin/python bench/screening/bulk_cpu.py [--size 20000] [--positives 300] [--negatives 100]

One index of ``--size`` synthetic entities plus the 2021 OFAC SDN list (as
run.py), the same labelled queries run twice per scorer in one process
(threshold 0.7, limit 5). The first pass is cold (for redthread-v2: rigour's
and nomenklatura's name data load, and each list entry's names are analysed
the first time they are met); the second warm (a long-running screen or
server). Prints CPU ms per query and symbolic opinions asked per query.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import run  # noqa: E402
import synth  # noqa: E402

import redthread.screen.scorers as scorers  # noqa: E402
from redthread.screen import ScreeningIndex, match_index  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--positives", type=int, default=300)
    ap.add_argument("--negatives", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20241122)
    ap.add_argument("--algorithms", default="redthread-v1,redthread-v2")
    ap.add_argument("--warm-up", action="store_true",
                    help="load rigour's name data first, as index_for does (the cold pass then counts "
                         "only the names met for the first time)")
    a = ap.parse_args()
    real = run.load_ofac()
    index = ScreeningIndex.build([*synth.entities(a.seed, a.size), *real])
    queries = synth.queries(a.seed, a.size, a.positives, a.negatives, real)
    calls = [0]
    ask = scorers.symbolic_score

    def counted(*args: object) -> tuple[float, str | None]:
        calls[0] += 1
        return ask(*args)  # type: ignore[arg-type]

    scorers.symbolic_score = counted  # type: ignore[assignment]
    if a.warm_up:
        from redthread.screen.symbolic import warm_up

        warm_up()
    print(f"{len(index):,} entities, {len(queries)} queries")
    for algorithm in a.algorithms.split(","):
        for label in ("cold", "warm"):
            calls[0] = 0
            start = time.process_time()
            for q in queries:
                match_index(index, {"q": q.query}, threshold=0.7, limit=5, algorithm=algorithm)
            ms = (time.process_time() - start) * 1000 / len(queries)
            print(f"{algorithm:<14}{label:>6}{ms:>9.2f} CPU ms/query{calls[0] / len(queries):>7.2f} symbolic/query")
    print(f"machine load average: {run.os.getloadavg()[0]:.1f} on {run.os.cpu_count()} cores")


if __name__ == "__main__":
    main()
