"""Single-query screening against ``redthread serve`` with the 2021 OFAC SDN list: latency, requests/s, CPU.

    .venv/bin/python bench/load/screening.py [--seconds 8] [--queries 200] [--bulk]

The list is loaded once into a store kept between runs
(``$TMPDIR/redthread-bench-ofac2021/``, or ``--store``), so a run spends its
time on requests, not on loading (the first run loads it: about 30 s of CPU).
Starts ``redthread serve`` on loopback with a viewer key, sends every query
once (each candidate met once, as a server that has been running a while),
then measures, one query per request (the list's own names, half of them
with a typo or in lower case; bench/screening/single.py's queries):

- ``GET /healthz`` p50: what any request costs (HTTP, key check), the floor;
- ``POST /match/default`` p50 and p95 of one client, and the server's CPU
  per request (its own CPU time over the requests, so other load on the
  machine does not count);
- requests/s, p50 and p95 at 1, 8 and 32 concurrent clients (each row at
  most ``--seconds`` and ``--queries`` requests per client).

With ``--bulk`` it also runs bench/screening/bulk_cpu.py (bulk screening CPU
per query, cold and warm, beside redthread-v1). Every number is printed with
its ratio to the issue's target (#21: a one-query /match in 5 ms median;
bulk warm CPU at v1's). Loopback only; bounded in time; stops the server
itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "screening"))

from served import OFAC, concurrent, kept_store, latencies, list_names, match_one, served  # noqa: E402

#: #21's target: a one-query /match answers in 5 ms median with the 2021 OFAC list loaded.
TARGET_P50_MS = 5.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="a store URL with the OFAC 2021 list loaded (default: one kept in $TMPDIR)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bulk", action="store_true", help="also run bench/screening/bulk_cpu.py")
    ap.add_argument("--floor-only", action="store_true",
                    help="measure /healthz only (what any request costs), without the /match index build")
    a = ap.parse_args()
    if not OFAC.exists():
        sys.exit(f"no {OFAC}")
    queries = list_names(a.queries, a.seed)
    _, env = kept_store(a.store)
    with served(env) as srv, srv.client() as c:
        if a.floor_only:
            n = max(a.queries, 200)
            latencies(c, lambda cl, i: cl.get("/healthz"), 20)  # warm
            before = srv.cpu_ms()
            floor = latencies(c, lambda cl, i: cl.get("/healthz"), n)
            cpu = (srv.cpu_ms() - before) / n
            print(f"GET /healthz {n} requests: p50 {statistics.median(floor):.2f} ms, "
                  f"server CPU {cpu:.2f} ms/request (any request's floor)")
            return
        t = time.perf_counter()
        match_one(c, queries[0])
        print(f"first /match after /readyz said ready: {(time.perf_counter() - t) * 1000:.1f} ms")
        for q in queries:  # each candidate met once
            match_one(c, q)
        n = len(queries)
        before = srv.cpu_ms()
        floor = latencies(c, lambda cl, i: cl.get("/healthz"), n)
        floor_cpu = (srv.cpu_ms() - before) / n
        before = srv.cpu_ms()
        lat = latencies(c, lambda cl, i: match_one(cl, queries[i]), n)
        cpu = (srv.cpu_ms() - before) / n
        p50 = statistics.median(lat)
        print(f"GET /healthz p50 {statistics.median(floor):.2f} ms, server CPU {floor_cpu:.2f} ms/request "
              "(any request's floor)")
        print(f"POST /match one client, {n} requests: p50 {p50:.2f} ms (x{p50 / TARGET_P50_MS:.2f} the "
              f"{TARGET_P50_MS:g} ms target), p95 {lat[int(0.95 * (n - 1))]:.2f} ms; "
              f"server CPU {cpu:.2f} ms/request (x{cpu / TARGET_P50_MS:.2f} the target)")
        print(f"{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for clients in (1, 8, 32):
            rps, c50, c95 = concurrent(srv, queries, clients, a.seconds)
            print(f"{clients:>8}{rps:>9.0f}{c50:>9.1f}{c95:>9.1f}")
    if a.bulk:
        out = subprocess.run([sys.executable, str(HERE.parent / "screening" / "bulk_cpu.py")], check=True,
                             capture_output=True, text=True).stdout
        print(out, end="")
        ms = {tuple(line.split()[:2]): float(line.split()[2]) for line in out.splitlines()
              if line.startswith("redthread-v")}
        for label in ("cold", "warm"):
            v1, v2 = ms.get(("redthread-v1", label)), ms.get(("redthread-v2", label))
            if v1 and v2:
                print(f"bulk {label}: redthread-v2 {v2:.2f} CPU ms/query, x{v2 / v1:.2f} redthread-v1's {v1:.2f}")
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
