"""Where one ``/match`` query spends its time, with the 2021 OFAC SDN list loaded (cProfile).

    .venv/bin/python bench/screening/profile_one.py [--store sqlite:///tmp/ofac.db] [--queries 200]

Runs :func:`redthread.screen.match` in-process on the same queries as
single.py (the list's own names, half with a typo or in lower case), after
a warm-up pass, under cProfile. Prints the warm latency (p50/p95 wall ms),
then the cumulative time per query of the parts of a request: logic-v2's
symbolic second opinion, rigour's name analysis, our own name comparison,
store reads and the listing status. Parts overlap (the symbolic opinion
includes rigour's analysis).

``--store``: an existing store with the list loaded (kept between runs, so
the bench does not spend minutes loading it again); without it the list is
loaded into a temporary store first.

``--app``: what the HTTP application adds around screening. The same
queries go through the real ASGI app (``create_app``: middleware, key check,
FastAPI's request parsing and dependencies, the thread-pool hop, the JSON
response) in process, without sockets, and the CPU per request is printed
beside ``GET /healthz`` and beside :func:`redthread.screen.match` called
directly. With ``--top`` the app's requests are also profiled, with the
thread-pool hop run inline so that cProfile sees the route (the hop itself
is then not in the profile). Creates a viewer key in the store.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from served import CLI, OFAC, list_names  # noqa: E402

#: Report rows: label -> (file suffix, function name) whose cumulative time is the part's cost.
PARTS = {
    "logic-v2 second opinion (name_match)": ("nomenklatura/matching/logic_v2/names/match.py", "name_match"),
    "rigour/FtM name analysis (entity_names)": ("followthemoney/names.py", "entity_names"),
    "rigour org classes (analyze_names)": ("redthread/screen/symbolic.py", "org_classes"),
    "our name comparison (compare_names)": ("redthread/screen/compare.py", "compare_names"),
    "our name decoding (NameForm.decode)": ("redthread/screen/names.py", "decode"),
    "blocking (candidates)": ("redthread/screen/index.py", "candidates"),
    "scoring (first opinion)": ("redthread/screen/scorers.py", "first_opinion"),
    "scoring (refine)": ("redthread/screen/scorers.py", "refine"),
    "store reads (Store.entity)": ("redthread/store/base.py", "entity"),
    "store reads (batch)": ("redthread/screen/state.py", "entities"),
    "prepared logic-v2 (prepared.symbolic_score)": ("redthread/screen/prepared.py", "symbolic_score"),
    "content digest": ("redthread/screen/persist.py", "content_digest"),
    "query analysis (query_record)": ("redthread/screen/matching.py", "query_record"),
    "result bodies (result_body)": ("redthread/screen/matching.py", "result_body"),
}


async def _request(app: Any, key: str, method: str, path: str, body: Any = None) -> bytes:
    """One request through an ASGI app, as uvicorn would hand it over; the response body."""
    data = json.dumps(body).encode() if body is not None else b""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
               (b"content-length", str(len(data)).encode()), (b"authorization", f"ApiKey {key}".encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        await asyncio.sleep(3600)  # no disconnect while the app answers
        return {"type": "http.disconnect"}

    status, out = 0, b""

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, out
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            out += message.get("body", b"")

    await app(scope, receive, send)
    if status != 200:
        raise RuntimeError(f"{method} {path}: {status} {out[:200]!r}")
    return out


def _cpu_ms(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for item in items:
        t = time.process_time()
        fn(item)
        out.append((time.process_time() - t) * 1000)
    out.sort()
    return out


def app_costs(url: str, queries: list[dict[str, Any]], top: int) -> None:
    """CPU per request through the ASGI app, beside /healthz and beside match() called directly.

    All requests of a row run in one task, as a server's requests share one
    running loop (anyio keeps its worker threads per root task: a task per
    request would start a thread per request).
    """
    from redthread.api.app import create_app
    from redthread.api.deps import pooled_case
    from redthread.screen import match

    app = create_app(url, warm=True)  # as `redthread serve` makes it: short requests then skip the thread pool
    _, key = pooled_case(url).keys.create("viewer", name="bench profile_one --app")
    t = time.perf_counter()
    app.state.warmup.wait()
    print(f"warm-up ({app.state.warmup.state}): {time.perf_counter() - t:.1f} s")

    def post(q: dict[str, Any]) -> Any:
        return _request(app, key, "POST", "/match/default", {"queries": {"q": q}})

    def health(_: Any) -> Any:
        return _request(app, key, "GET", "/healthz")

    async def cpu_ms(send: Any, items: list[Any], prof: cProfile.Profile | None = None) -> list[float]:
        out = []
        for item in items:
            t = time.process_time()
            if prof is not None:
                prof.enable()
            await send(item)
            if prof is not None:
                prof.disable()
            out.append((time.process_time() - t) * 1000)
        out.sort()
        return out

    async def run() -> list[tuple[str, list[float]]]:
        t = time.perf_counter()
        await post(queries[0])
        print(f"first /match through the app after the warm-up: {(time.perf_counter() - t) * 1000:.1f} ms")
        await cpu_ms(post, queries)  # warm: every candidate met once
        rows = [("GET /healthz through the app", await cpu_ms(health, queries)),
                ("POST /match/default through the app", await cpu_ms(post, queries))]
        if top:
            import anyio.to_thread

            async def inline(func: Any, *args: Any, **_: Any) -> Any:
                return func(*args)

            anyio.to_thread.run_sync = inline  # type: ignore[assignment]  # so that cProfile sees the route
            prof = cProfile.Profile()
            await cpu_ms(post, queries, prof)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(top)
        return rows

    rows = asyncio.run(run())
    store = pooled_case(url).store
    rows.append(("match() called directly", _cpu_ms(lambda q: match(store, {"q": q}), queries)))
    for label, cpu in rows:
        print(f"  {label:<40} CPU p50 {statistics.median(cpu):6.2f} ms, mean {statistics.fmean(cpu):6.2f} ms")
    added = statistics.median(rows[1][1]) - statistics.median(rows[2][1])
    print(f"  what the app adds to screening (p50 difference): {added:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="an existing store URL with the OFAC 2021 list loaded")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--top", type=int, default=0, help="also print the top N functions by own time")
    ap.add_argument("--app", action="store_true", help="measure what the HTTP application adds (see above)")
    a = ap.parse_args()
    queries = list_names(a.queries, a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = a.store
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'ofac.db'}"
            env = dict(os.environ, REDTHREAD_STORE=url, REDTHREAD_HOME=tmp)
            subprocess.run([CLI, "ingest", str(OFAC), "-d", "ofac"], env=env, check=True, capture_output=True)
        if a.app:
            app_costs(url, queries, a.top)
            print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            return
        from redthread.screen import match
        from redthread.store import open_store

        store = open_store(url)
        t = time.perf_counter()
        match(store, {"q": queries[0]})
        print(f"first query (index and status ready): {time.perf_counter() - t:.1f} s")
        for q in queries:  # warm: every candidate met once
            match(store, {"q": q})
        cpu = []
        for q in queries:  # warm, not profiled: CPU per query (the machine's load does not count)
            t = time.process_time()
            match(store, {"q": q})
            cpu.append((time.process_time() - t) * 1000)
        lat = []
        prof = cProfile.Profile()
        for q in queries:
            t = time.perf_counter()
            prof.enable()
            match(store, {"q": q})
            prof.disable()
            lat.append((time.perf_counter() - t) * 1000)
        store.close()
    lat.sort()
    cpu.sort()
    print(f"warm in-process match(), {len(cpu)} queries: CPU p50 {statistics.median(cpu):.2f} ms, "
          f"p95 {cpu[int(0.95 * (len(cpu) - 1))]:.2f} ms, mean {statistics.fmean(cpu):.2f} ms")
    print(f"warm in-process match(), {len(lat)} queries (under cProfile): p50 {statistics.median(lat):.2f} ms, "
          f"p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms")
    stats = pstats.Stats(prof)
    raw = stats.stats  # type: ignore[attr-defined]
    for label, (suffix, fn) in PARTS.items():
        cum = sum(v[3] for (path, _, name), v in raw.items() if path.endswith(suffix) and name == fn)
        calls = sum(v[0] for (path, _, name), v in raw.items() if path.endswith(suffix) and name == fn)
        print(f"  {label:<44}{cum * 1000 / len(lat):>8.2f} ms/query{calls / len(lat):>8.1f} calls/query")
    if a.top:
        stats.sort_stats("tottime").print_stats(a.top)
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
