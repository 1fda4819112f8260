"""The first ``/match`` of a fresh ``redthread serve`` once ``/readyz`` says ready (OFAC 2021 loaded).

    .venv/bin/python bench/screening/first_query.py [--store URL] [--queries 5] [--dataset ofac]

A server that has just started has its screening index on disk but not yet
in memory, rigour's person-name tagger not yet built and nomenklatura's
matching package not yet imported: whichever request meets them first pays
for them (16-21 s of CPU on the shared machine). ``redthread serve`` warms
that path in the background and ``/readyz`` answers 503 ``warming`` until it
is done; a client or load balancer that waits for ``/readyz`` then meets a
server that answers at full speed.

Uses the store bench/load/screening.py keeps in ``$TMPDIR`` (loading it the
first time) and whatever index is kept beside it (run bench/load/screening.py
once after a code change, so the index build is not counted here). Prints
seconds from start to ``/readyz`` 200, then the latency of the first
``--queries`` one-query ``/match`` requests. Bounded: gives up after
``--wait`` seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import kept_store, list_names, match_one, started  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="a store URL with the OFAC 2021 list loaded (default: the kept one)")
    ap.add_argument("--queries", type=int, default=5)
    ap.add_argument("--wait", type=float, default=300, help="seconds to wait for /readyz")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--dataset", default="default",
                    help="the collection the requests name (/match/{dataset}; the kept store's list is `ofac`)")
    a = ap.parse_args()
    queries = list_names(a.queries, a.seed)
    _, env = kept_store(a.store)
    with started(env) as srv, srv.client() as c:
        start = time.perf_counter()
        answering = ready = None
        states: list[str] = []
        while time.perf_counter() - start < a.wait:
            try:
                res = c.get("/readyz")
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            answering = answering or time.perf_counter() - start
            status = str(res.json().get("status", res.status_code))
            if not states or states[-1] != status:
                states.append(status)
            if res.status_code == 200:
                ready = time.perf_counter() - start
                break
            time.sleep(0.2)
        if ready is None:
            sys.exit(f"/readyz not ready after {a.wait:g} s (states {states})")
        print(f"server answers after {answering:.1f} s; /readyz 200 after {ready:.1f} s "
              f"(states seen: {' -> '.join(states)})")
        took = []
        for q in queries:
            t = time.perf_counter()
            match_one(c, q, a.dataset)
            took.append((time.perf_counter() - t) * 1000)
        print(f"first /match/{a.dataset} requests after ready (ms): " + ", ".join(f"{ms:.1f}" for ms in took))
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
