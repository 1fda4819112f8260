"""One-query ``/match`` latency against a large synthetic store (#21: <= 20 ms median at 1 M entities).

    .venv/bin/python bench/screening/million.py [--size 1000000] [--queries 200] [--budget 3600]

Writes ``--size`` synthetic sanctions-like entities (synth.py: multi-script
persons, companies and vessels made from generated name parts, a fixed
seed) to an FtM JSON-lines file, loads it with ``redthread ingest`` into a
SQLite store under ``$TMPDIR/redthread-bench-million-<size>/`` (kept: a
second run reuses the store and its screening index), starts ``redthread
serve`` on loopback (its warm-up builds or loads the index; ``/readyz`` says
when it is done), then sends ``--queries`` one-query requests from one
client: synthetic names with one kind of noise each (typo, transliteration,
word order, a dropped word; synth.positive). Prints the build times, the
first ``/match`` after ready, the p50/p95 latency, the server's CPU per
request and the ratio to the target.

Each step is bounded by ``--budget`` seconds (the load and the warm-up): on
the shared machine 1 M entities takes far longer than a bench should, so run
it with ``--size 100000`` and ``--size 300000`` to see how latency grows
(docs/screening.md has the figures and the time each size takes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from served import CLI, latencies, match_one, ready, started, store_env  # noqa: E402

#: #21's target: a one-query /match in 20 ms median at 1 M entities.
TARGET_P50_MS = 20.0
SEED = 7


def build_store(size: int, budget: float) -> tuple[dict[str, str], Path]:
    """The store of ``size`` synthetic entities (built now unless kept from an earlier run)."""
    home = Path(tempfile.gettempdir()) / f"redthread-bench-million-{size}"
    home.mkdir(exist_ok=True)
    env = store_env(f"sqlite:///{home / 'synthetic.db'}", home)
    done = home / "loaded"
    if done.exists():
        print(f"store of {size:,} entities kept from an earlier run ({home})")
        return env, home
    source = home / "synthetic.ftm.jsonl"
    t = time.perf_counter()
    with source.open("w", encoding="utf-8") as fh:
        for ent in synth.entities(SEED, size):
            fh.write(json.dumps(ent, ensure_ascii=False) + "\n")
    print(f"wrote {size:,} entities in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    subprocess.run([CLI, "ingest", str(source), "-d", "synthetic"], env=env, check=True, capture_output=True,
                   timeout=budget)
    took = time.perf_counter() - t
    source.unlink()
    done.write_text(f"{took:.1f}\n")
    print(f"loaded into the store in {took:.1f} s (kept for the next run)")
    return env, home


def queries(size: int, n: int) -> list[dict[str, object]]:
    """One-query requests: entities of the store, each with one kind of noise (synth.positive)."""
    r = random.Random(SEED + 29)
    return [synth.positive(SEED, r, synth.entity(SEED, r.randrange(size))).query for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--budget", type=float, default=3600, help="seconds each of the load and the warm-up may take")
    a = ap.parse_args()
    env, _ = build_store(a.size, a.budget)
    with started(env) as srv, srv.client() as c:
        start = time.perf_counter()
        if not ready(c, a.budget):
            sys.exit(f"not ready after {a.budget:g} s")
        print(f"server ready (index built or loaded, warm) after {time.perf_counter() - start:.1f} s")
        qs = queries(a.size, a.queries)
        t = time.perf_counter()
        match_one(c, qs[0])
        print(f"first /match after ready: {(time.perf_counter() - t) * 1000:.1f} ms")
        for q in qs:  # each candidate met once, as a server that has been running a while
            match_one(c, q)
        before = srv.cpu_ms()
        lat = latencies(c, lambda cl, i: match_one(cl, qs[i]), len(qs))
        cpu = (srv.cpu_ms() - before) / len(qs)
        p50 = statistics.median(lat)
        print(f"{a.size:,} entities, POST /match one client, {len(qs)} requests: p50 {p50:.2f} ms "
              f"(x{p50 / TARGET_P50_MS:.2f} the {TARGET_P50_MS:g} ms target), p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms; "
              f"server CPU {cpu:.2f} ms/request")
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
