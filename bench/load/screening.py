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
import concurrent.futures as cf
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "screening"))

from single import CLI, OFAC, free_port, list_names  # noqa: E402

#: #21's target: a one-query /match answers in 5 ms median with the 2021 OFAC list loaded.
TARGET_P50_MS = 5.0


def server_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of a process so far, in ms."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def prepared_store(url: str | None) -> tuple[str, dict[str, str]]:
    """The store URL with the list loaded (loaded now if it is not) and the environment to serve it."""
    home = Path(tempfile.gettempdir()) / "redthread-bench-ofac2021"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, REDTHREAD_STORE=url or f"sqlite:///{home / 'ofac.db'}", REDTHREAD_HOME=str(home))
    if url is not None:  # the caller's own store, loaded already
        return url, env
    url = env["REDTHREAD_STORE"]
    done = home / "loaded"
    if not done.exists():
        t = time.perf_counter()
        subprocess.run([CLI, "ingest", str(OFAC), "-d", "ofac"], env=env, check=True, capture_output=True)
        done.write_text(url)
        print(f"OFAC SDN 2021 loaded in {time.perf_counter() - t:.1f} s (kept for the next run)")
    return url, env


def latencies(client: httpx.Client, send: Any, n: int) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        send(client, i).raise_for_status()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return out


def concurrent(url: str, headers: dict[str, str], queries: list[dict[str, Any]], clients: int,
               seconds: float) -> tuple[float, float, float]:
    """Requests/s, p50 and p95 ms with ``clients`` concurrent clients (bounded in count and time)."""
    deadline = time.perf_counter() + seconds
    lat: list[float] = []

    def worker(k: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            for i in range(k, k + len(queries)):
                if time.perf_counter() > deadline:
                    return
                t = time.perf_counter()
                c.post("/match/default", json={"queries": {"q": queries[i % len(queries)]}}).raise_for_status()
                lat.append((time.perf_counter() - t) * 1000)

    start = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    wall = time.perf_counter() - start
    lat.sort()
    return len(lat) / wall, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]


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
    url, env = prepared_store(a.store)
    made = subprocess.run([CLI, "keys", "create", "--role", "viewer"], env={**env, "COLUMNS": "500"}, check=True,
                          capture_output=True, text=True).stdout
    key = next(w for w in reversed(made.split()) if w.startswith("rt_"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"ApiKey {key}"}
    srv = subprocess.Popen([CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
            for _ in range(300):
                try:
                    if c.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            if a.floor_only:
                n = max(a.queries, 200)
                latencies(c, lambda cl, i: cl.get("/healthz"), 20)  # warm
                before = server_cpu_ms(srv.pid)
                floor = latencies(c, lambda cl, i: cl.get("/healthz"), n)
                cpu = (server_cpu_ms(srv.pid) - before) / n
                print(f"GET /healthz {n} requests: p50 {statistics.median(floor):.2f} ms, "
                      f"server CPU {cpu:.2f} ms/request (any request's floor)")
                return
            t = time.perf_counter()
            c.post("/match/default", json={"queries": {"q": queries[0]}}).raise_for_status()
            print(f"first /match (index and listing status ready): {time.perf_counter() - t:.1f} s")
            for q in queries:  # each candidate met once
                c.post("/match/default", json={"queries": {"q": q}}).raise_for_status()
            n = len(queries)
            before = server_cpu_ms(srv.pid)
            floor = latencies(c, lambda cl, i: cl.get("/healthz"), n)
            floor_cpu = (server_cpu_ms(srv.pid) - before) / n
            before = server_cpu_ms(srv.pid)
            lat = latencies(c, lambda cl, i: cl.post("/match/default", json={"queries": {"q": queries[i]}}), n)
            cpu = (server_cpu_ms(srv.pid) - before) / n
        p50 = statistics.median(lat)
        print(f"GET /healthz p50 {statistics.median(floor):.2f} ms, server CPU {floor_cpu:.2f} ms/request "
              "(any request's floor)")
        print(f"POST /match one client, {n} requests: p50 {p50:.2f} ms (x{p50 / TARGET_P50_MS:.2f} the "
              f"{TARGET_P50_MS:g} ms target), p95 {lat[int(0.95 * (n - 1))]:.2f} ms; "
              f"server CPU {cpu:.2f} ms/request (x{cpu / TARGET_P50_MS:.2f} the target)")
        print(f"{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
        for clients in (1, 8, 32):
            rps, c50, c95 = concurrent(base, headers, queries, clients, a.seconds)
            print(f"{clients:>8}{rps:>9.0f}{c50:>9.1f}{c95:>9.1f}")
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            srv.kill()
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
