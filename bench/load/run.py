"""Load test of the HTTP API on loopback: requests/s and p95 latency.

Starts ``redthread serve`` on 127.0.0.1 over a store loaded with the demo
case, creates a viewer key, then drives /match, /entities/{id},
/network/{id} and /search at 1, 8 and 32 concurrent clients. Every run is
bounded in request count and time, targets only loopback, and stops by
itself. Prints a table; append it to docs/benchmarks.md by hand.

    .venv/bin/python bench/load/run.py [--requests 400] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLI = [str(ROOT / ".venv" / "bin" / "redthread")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(tmp: Path) -> tuple[dict[str, str], str]:
    out = tmp / "demo"
    subprocess.run(CLI + ["demo", "--no-serve", "--out", str(out)], check=True, capture_output=True)
    env = dict(os.environ, REDTHREAD_STORE=f"sqlite:///{(out / 'demo.db').resolve()}", REDTHREAD_HOME=str(tmp))
    made = subprocess.run(CLI + ["keys", "create", "--role", "viewer"], env=env, check=True,
                          capture_output=True, text=True)
    key = made.stdout.split()[-1]
    return env, key


async def drive(client: httpx.AsyncClient, make_request, concurrency: int, total: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, sent
        while sent < total and time.perf_counter() < deadline:
            sent += 1
            method, url, body = make_request(sent)
            t0 = time.perf_counter()
            try:
                res = await client.request(method, url, json=body)
                if res.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return {"n": len(latencies), "rps": len(latencies) / wall, "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": p95 * 1000, "errors": errors}


async def main_async(base: str, key: str, total: int, seconds: float) -> list[tuple[str, int, dict]]:
    headers = {"Authorization": f"ApiKey {key}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as client:
        found = (await client.get("/search", params={"q": "a", "limit": 50})).json()["results"]
        ids = [r["id"] for r in found] or ["missing"]
        names = [r["caption"] for r in found] or ["Aero"]
        scenarios = {
            "POST /match/default": lambda i: ("POST", "/match/default", {"queries": {"q": {
                "schema": "Company", "properties": {"name": [names[i % len(names)]]}}}}),
            "GET /entities/{id}": lambda i: ("GET", f"/entities/{ids[i % len(ids)]}", None),
            "GET /network/{id}": lambda i: ("GET", f"/network/{ids[i % len(ids)]}", None),
            "GET /search": lambda i: ("GET", f"/search?q={names[i % len(names)][:4]}", None),
        }
        rows = []
        for name, fn in scenarios.items():
            for conc in (1, 8, 32):
                rows.append((name, conc, await drive(client, fn, conc, total, seconds)))
                r = rows[-1][2]
                print(f"{name:24} c={conc:<3} n={r['n']:<5} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms"
                      f"  p95 {r['p95_ms']:7.1f} ms  errors {r['errors']}", flush=True)
        return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400, help="max requests per scenario and concurrency")
    parser.add_argument("--seconds", type=float, default=20, help="max seconds per scenario and concurrency")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env, key = prepare(Path(tmp))
        port = free_port()
        server = subprocess.Popen(CLI + ["serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            rows = asyncio.run(main_async(base, key, args.requests, args.seconds))
        finally:
            server.terminate()
            server.wait(10)
    bad = sum(r["errors"] for _, _, r in rows)
    print(f"total errors: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
