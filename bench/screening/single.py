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
import concurrent.futures as cf
import csv
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "redthread")
OFAC = ROOT.parent / "shared" / "data" / "ofac-sdn-2021"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def list_names(n: int, seed: int) -> list[dict[str, Any]]:
    """Queries from the SDN list's own primary names (individuals as Person, the rest LegalEntity)."""
    rows = []
    with open(OFAC / "sdn.csv", encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) > 2 and row[1].strip() and row[2].strip() in {"individual", "-0-", "vessel"}:
                rows.append((row[1].strip(), row[2].strip()))
    r = random.Random(seed)
    out = []
    for name, kind in r.sample(rows, min(n, len(rows))):
        noise = r.random()
        if noise < 0.25:
            name = name.lower()
        elif noise < 0.5 and len(name) > 6:
            k = r.randrange(1, len(name) - 1)
            name = name[:k] + name[k + 1:]
        schema = {"individual": "Person", "vessel": "Vessel"}.get(kind, "LegalEntity")
        out.append({"schema": schema, "properties": {"name": [name]}})
    return out


def one(client: httpx.Client, query: dict[str, Any]) -> float:
    start = time.perf_counter()
    res = client.post("/match/default", json={"queries": {"q": query}})
    took = (time.perf_counter() - start) * 1000
    res.raise_for_status()
    return took


def concurrent(url: str, headers: dict[str, str], queries: list[dict[str, Any]], clients: int,
               seconds: float) -> tuple[float, float, float]:
    """Requests/s, p50 and p95 ms for ``clients`` concurrent clients (bounded in count and time)."""
    deadline = time.perf_counter() + seconds
    lat: list[float] = []

    def worker(k: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            for i in range(k, len(queries), clients):
                if time.perf_counter() > deadline:
                    return
                lat.append(one(c, queries[i]))

    start = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    wall = time.perf_counter() - start
    lat.sort()
    return len(lat) / wall, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]


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
        env = dict(os.environ, REDTHREAD_STORE=store_url, REDTHREAD_HOME=tmp)
        t = time.perf_counter()
        subprocess.run([CLI, "ingest", str(OFAC), "-d", "ofac"], env=env, check=True, capture_output=True)
        print(f"OFAC SDN 2021 loaded in {time.perf_counter() - t:.1f} s")
        out = subprocess.run([CLI, "keys", "create", "--role", "viewer"], env=env, check=True,
                             capture_output=True, text=True).stdout
        key = next(w for w in reversed(out.split()) if w.startswith("rt_"))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"ApiKey {key}"}
        srv = subprocess.Popen([CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with httpx.Client(base_url=url, headers=headers, timeout=300) as c:
                for _ in range(200):
                    try:
                        if c.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.2)
                t = time.perf_counter()
                one(c, queries[0])
                print(f"first request (index built): {time.perf_counter() - t:.1f} s")
                for q in queries[:10]:
                    one(c, q)
                lat = sorted(one(c, q) for q in queries)
            print(f"one client, back to back, {len(lat)} requests: p50 {statistics.median(lat):.2f} ms, "
                  f"p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms")
            print(f"{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
            for n in (1, 8, 32):
                rps, p50, p95 = concurrent(url, headers, queries, n, a.seconds)
                print(f"{n:>8}{rps:>9.0f}{p50:>9.1f}{p95:>9.1f}")
        finally:
            srv.terminate()
            srv.wait(timeout=30)
        if not a.no_baseline:
            os.environ["REDTHREAD_HOME"] = tmp
            ours, theirs, per = baseline(store_url, queries)
            print(f"in-process CPU ms per query: redthread match_index {ours:.2f}; "
                  f"logic-v2 scoring our ~{per} blocked candidates {theirs:.2f} (x{theirs / ours:.1f})")
    load = os.getloadavg()[0]
    print(f"machine load average: {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
