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
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from single import CLI, OFAC, list_names  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="an existing store URL with the OFAC 2021 list loaded")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--top", type=int, default=0, help="also print the top N functions by own time")
    a = ap.parse_args()
    queries = list_names(a.queries, a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = a.store
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'ofac.db'}"
            env = dict(os.environ, REDTHREAD_STORE=url, REDTHREAD_HOME=tmp)
            subprocess.run([CLI, "ingest", str(OFAC), "-d", "ofac"], env=env, check=True, capture_output=True)
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
