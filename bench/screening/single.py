"""One-query ``POST /match`` latency with the 2021 OFAC SDN list loaded, beside a yente-style baseline.

    .venv/bin/python bench/screening/single.py [--queries 200] [--seconds 20]

Loads ``../shared/data/ofac-sdn-2021`` into a fresh SQLite store
(``redthread ingest``), starts ``redthread serve`` on loopback with a viewer
key, warms the screening index with one request, then sends one query per
request: names of the list itself, half of them with a typo or in lower
case (fixed seed). Prints the latency (p50/p95) of one client sending
requests back to back, and requests/s at 1, 8 and 32 concurrent clients
(each row bounded by ``--queries`` requests and ``--seconds``).

Baseline, in-process: how yente answers a query is its search index
returning candidates and nomenklatura's logic-v2 scoring them. Here the
candidates are the ones our own index blocks for the same query (so the
search step costs both the same), scored by logic-v2 (CPU ms per query,
ratio beside our whole in-process ``match_index``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import OFAC, concurrent, latencies, list_names, load_ofac, match_one, served, store_env  # noqa: E402


def baseline(store_url: str, queries: list[dict[str, Any]]) -> tuple[float, float, int]:
    """CPU ms per query: our whole match_index, and logic-v2 over our blocked candidates."""
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    from redthread.screen import match_index
    from redthread.screen.index import index_for
    from redthread.screen.matching import query_record
    from redthread.store import open_store

    store = open_store(store_url)
    index = index_for(store, None)
    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = algo.default_config()
    for q in queries[:5]:
        match_index(index, {"q": q})
    start = time.process_time()
    for q in queries:
        match_index(index, {"q": q})
    ours = (time.process_time() - start) * 1000 / len(queries)
    scored = 0
    spent = 0.0
    for k, q in enumerate(queries):
        rec = query_record("q", q)
        cands = index.candidates(rec)
        ents = [store.entity(index.ids[i]) for i in cands]
        proxies = [model.get_proxy({"id": e["id"], "schema": e["schema"], "properties": e["properties"]})
                   for e in ents if e]
        qp = model.get_proxy({"id": f"query{k}", "schema": q["schema"], "properties": q["properties"]})
        start = time.process_time()
        for p in proxies:
            algo.compare(qp, p, config)
        spent += time.process_time() - start
        scored += len(proxies)
    store.close()
    return ours, spent * 1000 / len(queries), scored // max(len(queries), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    if not OFAC.exists():
        sys.exit(f"no {OFAC}")
    queries = list_names(a.queries, a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        store_url = f"sqlite:///{Path(tmp) / 'ofac.db'}"
        env = store_env(store_url, Path(tmp))
        print(f"OFAC SDN 2021 loaded in {load_ofac(env):.1f} s")
        with served(env, wait_s=40) as srv, srv.client(300) as c:
            t = time.perf_counter()
            match_one(c, queries[0])
            print(f"first request (index built): {time.perf_counter() - t:.1f} s")
            for q in queries[:10]:
                match_one(c, q)
            lat = latencies(c, lambda cl, i: match_one(cl, queries[i]), len(queries))
            print(f"one client, back to back, {len(lat)} requests: p50 {statistics.median(lat):.2f} ms, "
                  f"p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms")
            print(f"{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
            for n in (1, 8, 32):
                rps, p50, p95 = concurrent(srv, queries, n, a.seconds)
                print(f"{n:>8}{rps:>9.0f}{p50:>9.1f}{p95:>9.1f}")
        if not a.no_baseline:
            os.environ["REDTHREAD_HOME"] = tmp
            ours, theirs, per = baseline(store_url, queries)
            print(f"in-process CPU ms per query: redthread match_index {ours:.2f}; "
                  f"logic-v2 scoring our ~{per} blocked candidates {theirs:.2f} (x{theirs / ours:.1f})")
    load = os.getloadavg()[0]
    print(f"machine load average: {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
