"""What the one-query screening benches share: the OFAC 2021 store, a served ``redthread serve``, the timing loops.

Used by ``bench/screening/single.py`` (a fresh store, the yente-style
baseline beside) and ``bench/load/screening.py`` (a store kept between runs,
server CPU per request). One place for:

- :func:`list_names`: the queries (the list's own names, half with a typo or
  in lower case; fixed seed);
- :func:`load_ofac` / :func:`kept_store`: the list loaded into a store (a
  fresh one, or one kept under ``$TMPDIR`` between runs);
- :func:`served`: ``redthread serve`` on loopback with a viewer key, ready
  (``/readyz`` answers 200: the screening warm-up is done), stopped afterwards;
- :func:`latencies`, :func:`concurrent`, :func:`server_cpu_ms`: one client
  back to back, N clients bounded in count and time, the server's own CPU.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import os
import random
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


def store_env(url: str, home: Path) -> dict[str, str]:
    """The environment that serves the store at ``url`` (``REDTHREAD_HOME`` for its keys and indexes)."""
    return dict(os.environ, REDTHREAD_STORE=url, REDTHREAD_HOME=str(home))


def load_ofac(env: dict[str, str]) -> float:
    """Load the list into ``env``'s store; seconds taken."""
    t = time.perf_counter()
    subprocess.run([CLI, "ingest", str(OFAC), "-d", "ofac"], env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def kept_store(url: str | None) -> tuple[str, dict[str, str]]:
    """A store with the list loaded, kept between runs (``$TMPDIR/redthread-bench-ofac2021/``, loaded now if
    it is not), or the caller's own store ``url`` (loaded already); with the environment to serve it."""
    home = Path(tempfile.gettempdir()) / "redthread-bench-ofac2021"
    home.mkdir(exist_ok=True)
    env = store_env(url or f"sqlite:///{home / 'ofac.db'}", home)
    if url is None and not (home / "loaded").exists():
        took = load_ofac(env)
        (home / "loaded").write_text(env["REDTHREAD_STORE"])
        print(f"OFAC SDN 2021 loaded in {took:.1f} s (kept for the next run)")
    return env["REDTHREAD_STORE"], env


@dataclass
class Served:
    """A running ``redthread serve``: its process, base URL and a viewer key's headers."""

    proc: subprocess.Popen[bytes]
    base: str
    headers: dict[str, str]

    def client(self, timeout: float = 600) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers=self.headers, timeout=timeout)

    def cpu_ms(self) -> float:
        return server_cpu_ms(self.proc.pid)


@contextmanager
def started(env: dict[str, str]) -> Iterator[Served]:
    """``redthread serve`` on loopback with a new viewer key, as soon as the process runs (not yet
    answering: :func:`served` waits for readiness; first_query.py watches it); stopped afterwards."""
    made = subprocess.run([CLI, "keys", "create", "--role", "viewer"], env={**env, "COLUMNS": "500"}, check=True,
                          capture_output=True, text=True).stdout
    key = next(w for w in reversed(made.split()) if w.startswith("rt_"))
    port = free_port()
    proc = subprocess.Popen([CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield Served(proc, f"http://127.0.0.1:{port}", {"Authorization": f"ApiKey {key}"})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def served(env: dict[str, str], wait_s: float = 900) -> Iterator[Served]:
    """``redthread serve`` (:func:`started`), once ``/readyz`` says ready (the screening warm-up
    done: after a code change that includes building the index), or after ``wait_s``."""
    with started(env) as srv:
        with srv.client() as c:
            ready(c, wait_s)
        yield srv


def ready(client: httpx.Client, wait_s: float) -> bool:
    """Whether ``/readyz`` said ready within ``wait_s`` seconds (asked every 0.2 s)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            if client.get("/readyz").status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return False


def match_one(client: httpx.Client, query: dict[str, Any], dataset: str = "default") -> httpx.Response:
    """One one-query ``POST /match/{dataset}`` (raises on an error status)."""
    res = client.post(f"/match/{dataset}", json={"queries": {"q": query}})
    res.raise_for_status()
    return res


def latencies(client: httpx.Client, send: Callable[[httpx.Client, int], Any], n: int) -> list[float]:
    """Wall ms of ``n`` requests sent back to back by one client, sorted."""
    out = []
    for i in range(n):
        t = time.perf_counter()
        send(client, i).raise_for_status()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return out


def concurrent(srv: Served, queries: list[dict[str, Any]], clients: int,
               seconds: float) -> tuple[float, float, float]:
    """Requests/s, p50 and p95 ms of one-query ``/match`` with ``clients`` concurrent clients.

    Each client sends at most ``len(queries)`` requests, all stop after ``seconds``.
    """
    deadline = time.perf_counter() + seconds
    lat: list[float] = []

    def worker(k: int) -> None:
        with srv.client(60) as c:
            for i in range(k, k + len(queries)):
                if time.perf_counter() > deadline:
                    return
                t = time.perf_counter()
                match_one(c, queries[i % len(queries)])
                lat.append((time.perf_counter() - t) * 1000)

    start = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    wall = time.perf_counter() - start
    lat.sort()
    return len(lat) / wall, statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]


def server_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of a process so far, in ms."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
