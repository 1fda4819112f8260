"""Soak test of a running server: mixed reads, /match and an ingest every minute, for minutes.

Starts ``redthread serve`` on 127.0.0.1 over a small store (the starter
fixture and the trade fixture, or ``--store URL``), creates an analyst key,
then for ``--minutes`` keeps ``--clients`` clients busy with reads (search,
entity, network, stats, datasets, trade flows and impact, the 50 % rule) and
``POST /match``, while every ``--ingest-every`` seconds a load arrives:
alternately an upload through ``POST /ingest`` and a ``redthread ingest``
in a separate process writing to the same store (the case that once broke a
running SQLite server). Every 10 s it samples the server's resident memory
and open files.

It reports the requests and errors per route, and memory and open files at
the start of the steady state and at the end; it exits 1 on any error, or
when memory grew by more than 25 % or open files by more than 16 between the
first and the last third of the run. Loopback only; it stops by itself.

    .venv/bin/python bench/load/soak.py                 # 10 minutes
    .venv/bin/python bench/load/soak.py --minutes 1.5 --ingest-every 20   # a quick check
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLI = [str(ROOT / ".venv" / "bin" / "redthread")]
FIXTURES = ROOT / "tests" / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample(pid: int) -> tuple[int, int]:
    """(resident memory in kB, open file descriptors) of process ``pid``."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def entities(n: int, tag: str) -> bytes:
    """FtM lines for ``n`` small companies (written by us, for the load)."""
    rows = [{"id": f"soak-{tag}-{i}", "schema": "Company",
             "properties": {"name": [f"Soak {tag} Trading {i} LLC"], "country": [random.choice(["ru", "ae", "tr"])]}}
            for i in range(n)]
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def prepare(tmp: Path, store: str | None) -> tuple[dict[str, str], str]:
    url = store or f"sqlite:///{tmp / 'soak.db'}"
    env = dict(os.environ, REDTHREAD_STORE=url, REDTHREAD_HOME=str(tmp / "home"))
    if store is None:
        for path, dataset in ((FIXTURES / "starter.ftm.jsonl", "starter"), (FIXTURES / "trade" / "records.csv", "customs"),
                              (FIXTURES / "trade" / "sanctions.ftm.jsonl", "sanctions")):
            subprocess.run(CLI + ["ingest", str(path), "-d", dataset], env=env, check=True, capture_output=True)
    made = subprocess.run(CLI + ["keys", "create", "--role", "analyst", "--name", "soak"], env=env, check=True,
                          capture_output=True, text=True)
    return env, made.stdout.split()[-1]


class Soak:
    def __init__(self, base: str, key: str, env: dict[str, str], pid: int, args: argparse.Namespace) -> None:
        self.base, self.key, self.env, self.pid, self.args = base, key, env, pid, args
        self.done: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.examples: list[str] = []
        self.samples: list[tuple[float, int, int]] = []
        self.loads = 0

    def fail(self, route: str, what: str) -> None:
        self.errors[route] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{route}: {what}"[:300])

    async def reader(self, client: httpx.AsyncClient, ids: list[str], names: list[str], deadline: float) -> None:
        routes = [
            ("GET /search", lambda: ("GET", "/search", {"q": random.choice(names)[:4]}, None)),
            ("GET /entities/{id}", lambda: ("GET", f"/entities/{random.choice(ids)}", None, None)),
            ("GET /network/{id}", lambda: ("GET", f"/network/{random.choice(ids)}", None, None)),
            ("GET /stats", lambda: ("GET", "/stats", None, None)),
            ("GET /datasets", lambda: ("GET", "/datasets", None, None)),
            ("GET /trade/flows", lambda: ("GET", "/trade/flows", {"by": "supplier", "top": 5}, None)),
            ("GET /trade/impact", lambda: ("GET", "/trade/impact", None, None)),
            ("GET /blocked", lambda: ("GET", "/blocked", None, None)),
            ("POST /match", lambda: ("POST", "/match/default", None, {"queries": {
                f"q{i}": {"schema": "Company", "properties": {"name": [random.choice(names)]}} for i in range(5)}})),
        ]
        while time.monotonic() < deadline:
            route, make = random.choice(routes)
            method, path, params, body = make()
            try:
                res = await client.request(method, path, params=params, json=body)
                if res.status_code >= 400 and not (res.status_code == 404 and "entities" in route):
                    self.fail(route, f"{res.status_code} {res.text}")
                else:
                    self.done[route] += 1
            except httpx.HTTPError as exc:
                self.fail(route, repr(exc))

    async def loader(self, client: httpx.AsyncClient, deadline: float) -> None:
        while True:
            await asyncio.sleep(self.args.ingest_every)
            if time.monotonic() >= deadline:
                return
            self.loads += 1
            tag = f"{self.loads}"
            if self.loads % 2:  # an upload through the API
                res = await client.post("/ingest", data={"dataset": "soak"},
                                        files={"file": (f"soak-{tag}.ftm.jsonl", entities(300, tag))})
                if res.status_code != 200:
                    self.fail("POST /ingest", f"{res.status_code} {res.text}")
                else:
                    self.done["POST /ingest"] += 1
            else:  # another process writing to the same store
                path = Path(self.env["REDTHREAD_HOME"]) / f"cli-{tag}.ftm.jsonl"
                path.write_bytes(entities(300, f"cli{tag}"))
                proc = await asyncio.create_subprocess_exec(*CLI, "ingest", str(path), "-d", "soak-cli", env=self.env,
                                                            stdout=asyncio.subprocess.DEVNULL,
                                                            stderr=asyncio.subprocess.PIPE)
                _, err = await proc.communicate()
                if proc.returncode != 0:
                    self.fail("cli ingest", err.decode(errors="replace"))
                else:
                    self.done["cli ingest"] += 1

    async def sampler(self, deadline: float) -> None:
        t0 = time.monotonic()
        while time.monotonic() < deadline:
            rss, fds = sample(self.pid)
            self.samples.append((time.monotonic() - t0, rss, fds))
            await asyncio.sleep(10)

    async def run(self) -> None:
        headers = {"Authorization": f"ApiKey {self.key}"}
        async with httpx.AsyncClient(base_url=self.base, headers=headers, timeout=120) as client:
            found = (await client.get("/search", params={"q": "a", "limit": 50})).json()["results"]
            ids = [r["id"] for r in found] or ["missing"]
            names = [r["caption"] for r in found] or ["Komax"]
            deadline = time.monotonic() + self.args.minutes * 60
            await asyncio.gather(self.sampler(deadline), self.loader(client, deadline),
                                 *(self.reader(client, ids, names, deadline) for _ in range(self.args.clients)))


def verdict(soak: Soak) -> int:
    for route in sorted(set(soak.done) | set(soak.errors)):
        print(f"{route:22} ok {soak.done[route]:6}  errors {soak.errors[route]}")
    for example in soak.examples:
        print("  error:", example)
    status = 1 if sum(soak.errors.values()) else 0
    third = max(1, len(soak.samples) // 3)
    if len(soak.samples) >= 3:
        first = soak.samples[third:2 * third] if len(soak.samples) >= 6 else soak.samples[:third]
        last = soak.samples[-third:]
        rss0, rss1 = statistics.median(s[1] for s in first), statistics.median(s[1] for s in last)
        fd0, fd1 = statistics.median(s[2] for s in first), statistics.median(s[2] for s in last)
        print(f"memory  {rss0 / 1024:7.1f} MB -> {rss1 / 1024:7.1f} MB (max {max(s[1] for s in soak.samples) / 1024:.1f})")
        print(f"open files {fd0:5.0f} -> {fd1:5.0f} (max {max(s[2] for s in soak.samples)})")
        if rss1 > rss0 * 1.25 or fd1 > fd0 + 16:
            print("growth over the limits (memory +25 %, open files +16)")
            status = 1
    print(f"loads: {soak.loads}; total errors: {sum(soak.errors.values())}")
    return status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--ingest-every", type=float, default=60, help="seconds between loads")
    parser.add_argument("--clients", type=int, default=4, help="concurrent reading clients")
    parser.add_argument("--store", default=None, help="an existing store URL (default: a fresh small one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env, key = prepare(Path(tmp), args.store)
        port = free_port()
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(CLI + ["serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            soak = Soak(base, key, env, server.pid, args)
            asyncio.run(soak.run())
        finally:
            server.terminate()
            server.wait(20)
            log.close()
        status = verdict(soak)
        if status:
            tail = (Path(tmp) / "server.log").read_text(errors="replace").splitlines()[-15:]
            print("server log (last lines):", *tail, sep="\n  ")
    sys.exit(status)


if __name__ == "__main__":
    main()
