"""Benchmark: the 50 % rule fixed point and 3-hop exposure search on a synthetic graph.

    .venv/bin/python bench/graph/run.py                 # 1,000,000 companies, 1,500,000 links
    .venv/bin/python bench/graph/run.py --size 100000   # a quick run

A synthetic ownership graph (fixed seed): ``size`` companies, ``1.5 × size``
ownership links with stated percentages, ``size / 200`` sanctioned parties.
Side by side, in one run, on the same arrays (graph already in memory):

- fixed point: redthread (memory and DuckDB engines), a scipy.sparse frontier,
  a pure-Python worklist, networkx, and (``--naive``) a full recompute per round;
- exposure (multi-source search, 3 hops): redthread (memory, DuckDB; hops and
  strongest tie), scipy.sparse frontier BFS, pure-Python BFS, networkx;
- loading the graph from a redthread SQLite store (built once and cached), in
  a child process that also runs both analyses: time and peak memory;
- Spark: the same answers on a smaller graph (``--spark-size``; Spark's
  per-job overhead makes the full size take minutes on two cores).

Every implementation must give the same answer; the script stops if not.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from redthread.engines import get_engine  # noqa: E402
from redthread.engines.memory import CSR  # noqa: E402

PCT_CHOICES = np.array([5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 51.0, 60.0, 75.0, 100.0])
PCT_WEIGHTS = np.array([10, 12, 8, 12, 10, 10, 8, 8, 4, 8, 5, 5], dtype=float)
LINK_WEIGHTS = np.array([1.0, 0.9, 0.6, 0.5, 0.4])


def generate(size: int, links: int, sanctioned: int, seed: int) -> dict[str, np.ndarray]:
    """Owner → asset links (deduplicated, no self-ownership), percentages, seeds, tie weights."""
    rng = np.random.default_rng(seed)
    owner = rng.integers(0, size, links, dtype=np.int64)
    asset = rng.integers(0, size, links, dtype=np.int64)
    keep = owner != asset
    key = np.unique(owner[keep] * size + asset[keep])
    owner, asset = key // size, key % size
    pct = rng.choice(PCT_CHOICES, size=owner.shape[0], p=PCT_WEIGHTS / PCT_WEIGHTS.sum())
    weight = rng.choice(LINK_WEIGHTS, size=owner.shape[0])
    seeds = np.sort(rng.choice(size, size=sanctioned, replace=False)).astype(np.int64)
    return {"owner": owner, "asset": asset, "pct": pct, "weight": weight, "seeds": seeds,
            "n": np.array([size])}


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


# -- peers: the 50 % rule -------------------------------------------------------------


def scipy_fixed_point(a_csr: Any, seeds: np.ndarray, n: int) -> np.ndarray:
    """Frontier iteration: add the rows of newly blocked owners to the running shares."""
    blocked = np.zeros(n, dtype=bool)
    blocked[seeds] = True
    share = np.zeros(n)
    frontier = seeds
    while frontier.size:
        share += np.asarray(a_csr[frontier].sum(axis=0)).ravel()
        new = np.flatnonzero((share >= 50.0) & ~blocked)
        blocked[new] = True
        frontier = new
    blocked[seeds] = False
    return np.flatnonzero(blocked)


def python_worklist(adj: list[list[tuple[int, float]]], seeds: list[int]) -> set[int]:
    blocked = set(seeds)
    share: dict[int, float] = {}
    work = deque(seeds)
    while work:
        o = work.popleft()
        for a, p in adj[o]:
            s = share.get(a, 0.0) + p
            share[a] = s
            if s >= 50.0 and a not in blocked:
                blocked.add(a)
                work.append(a)
    return blocked - set(seeds)


def naive_recompute(owner: list[int], asset: list[int], pct: list[float], seeds: list[int]) -> set[int]:
    blocked = set(seeds)
    while True:
        share: dict[int, float] = {}
        for o, a, p in zip(owner, asset, pct, strict=True):
            if o in blocked:
                share[a] = share.get(a, 0.0) + p
        new = {a for a, s in share.items() if s >= 50.0} - blocked
        if not new:
            return blocked - set(seeds)
        blocked |= new


def networkx_fixed_point(g: Any, seeds: list[int]) -> set[int]:
    blocked = set(seeds)
    share: dict[int, float] = {}
    work = deque(seeds)
    while work:
        o = work.popleft()
        for a, data in g.adj[o].items():
            s = share.get(a, 0.0) + data["pct"]
            share[a] = s
            if s >= 50.0 and a not in blocked:
                blocked.add(a)
                work.append(a)
    return blocked - set(seeds)


# -- peers: exposure ---------------------------------------------------------------------


def scipy_bfs(sym: Any, seeds: np.ndarray, n: int, hops: int) -> np.ndarray:
    dist = np.full(n, -1, dtype=np.int64)
    dist[seeds] = 0
    frontier = np.zeros(n, dtype=bool)
    frontier[seeds] = True
    for step in range(1, hops + 1):
        reached = (sym @ frontier.astype(np.int8)) > 0
        new = reached & (dist < 0)
        dist[new] = step
        frontier = new
    return dist


def python_bfs(adj: list[list[int]], seeds: list[int], n: int, hops: int) -> list[int]:
    dist = [-1] * n
    queue = deque()
    for s in seeds:
        dist[s] = 0
        queue.append(s)
    while queue:
        u = queue.popleft()
        d = dist[u]
        if d == hops:
            continue
        for v in adj[u]:
            if dist[v] < 0:
                dist[v] = d + 1
                queue.append(v)
    return dist


# -- the store -------------------------------------------------------------------------


def build_store(db: Path, data: dict[str, np.ndarray], batch: int = 250_000) -> float:
    """Write the synthetic graph into a redthread SQLite store as FtM statements."""
    from redthread.model import Statement
    from redthread.store import LoadBatch, open_store

    store = open_store(f"sqlite:///{db}")
    t0 = time.perf_counter()
    seen = "2026-01-01T00:00:00"
    stmts: list[Statement] = []
    part = 0

    def add(eid: str, schema: str, prop: str, value: str) -> None:
        nonlocal part
        stmts.append(Statement(eid, schema, prop, value, "bench", source=f"part{part}", id=f"{eid}.{prop}",
                               first_seen=seen, last_seen=seen))
        if len(stmts) >= batch:
            flush()

    def flush() -> None:
        nonlocal stmts, part
        if stmts:
            store.write(LoadBatch(dataset="bench", source=f"part{part}", statements=stmts))
            print(f"  stored part {part}", file=sys.stderr, flush=True)
            part += 1
            stmts = []

    n = int(data["n"][0])
    for i in range(n):
        add(f"co{i}", "Company", "id", f"co{i}")
        add(f"co{i}", "Company", "name", f"Company {i}")
    for k, (o, a, p) in enumerate(zip(data["owner"].tolist(), data["asset"].tolist(), data["pct"].tolist(),
                                      strict=True)):
        eid = f"own{k}"
        add(eid, "Ownership", "id", eid)
        add(eid, "Ownership", "owner", f"co{o}")
        add(eid, "Ownership", "asset", f"co{a}")
        add(eid, "Ownership", "percentage", f"{p:g}")
    for k, s in enumerate(data["seeds"].tolist()):
        eid = f"sanc{k}"
        add(eid, "Sanction", "id", eid)
        add(eid, "Sanction", "entity", f"co{s}")
        add(eid, "Sanction", "authority", "Office of Foreign Assets Control")
    flush()
    store.close()
    return time.perf_counter() - t0


def child_load(db: str, engine: str) -> None:
    """In a fresh process: load the graph from the store, run both analyses; print JSON."""
    from redthread.analyze.exposure import exposure_arrays
    from redthread.analyze.graph import load_graph
    from redthread.analyze.ownership import blocked_mask
    from redthread.store import open_store

    base = _vm("VmHWM")
    store = open_store(f"sqlite:///{db}")
    t0, c0 = time.perf_counter(), time.process_time()
    graph = load_graph(store, evidence=False)
    t_load, c_load = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    mask = blocked_mask(graph, "OFAC", "us", engine)
    t_blocked = time.perf_counter() - t0
    seeds = graph.sanctioned("OFAC")
    t0 = time.perf_counter()
    hops, _ = exposure_arrays(graph, seeds, 3, engine)
    t_exp = time.perf_counter() - t0
    blocked_ids = sorted(int(graph.ids[i][2:]) for i in np.flatnonzero(mask & ~seeds))
    reached = int((hops >= 0).sum())
    peak = _vm("VmHWM")
    print(json.dumps({"load_s": t_load, "load_cpu_s": c_load, "loadavg": os.getloadavg()[0],
                      "blocked_s": t_blocked, "exposure_s": t_exp,
                      "nodes": graph.n_nodes, "links": graph.n_links, "blocked": blocked_ids,
                      "reached": reached, "peak_rss_mb": peak / 1024, "base_rss_mb": base / 1024}))


def _vm(field: str) -> float:
    """A memory figure of this process in KiB from /proc (ru_maxrss would include the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# -- main -----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000, help="companies")
    ap.add_argument("--links", type=float, default=1.5, help="ownership links per company")
    ap.add_argument("--sanctioned", type=int, default=None, help="sanctioned parties (default size/200)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hops", type=int, default=3)
    ap.add_argument("--spark-size", type=int, default=50_000, help="graph size for the Spark check (0: skip)")
    ap.add_argument("--no-store", action="store_true", help="skip the load-from-store measurement")
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("--naive", action="store_true", help="also run the full-recompute baseline")
    ap.add_argument("--db", type=Path, default=None, help="store file (default: /tmp, cached per size/seed)")
    ap.add_argument("--child", nargs=2, metavar=("DB", "ENGINE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_load(*args.child)
        return

    size = args.size
    k = args.sanctioned or max(1, size // 200)
    print(f"# load average at start: {os.getloadavg()[0]:.1f} (the machine is shared: wall times vary)")
    print(f"# synthetic graph: {size:,} companies, {int(size * args.links):,} ownership links drawn, "
          f"{k:,} sanctioned, seed {args.seed}; {os.cpu_count()} CPU(s)")
    data = generate(size, int(size * args.links), k, args.seed)
    owner, asset, pct, weight, seeds = data["owner"], data["asset"], data["pct"], data["weight"], data["seeds"]
    n = size
    print(f"# {owner.shape[0]:,} distinct links after removing duplicates and self-ownership\n")
    rows: list[tuple[str, str, float, str]] = []

    # -- 50 % rule -----------------------------------------------------------------
    from scipy.sparse import csr_matrix

    a_csr = csr_matrix((pct, (owner, asset)), shape=(n, n))
    t_scipy, ref = timed(lambda: scipy_fixed_point(a_csr, seeds, n), repeat=3)
    ref_set = set(ref.tolist())
    mem = get_engine("memory")
    own_csr = CSR(owner, asset, pct, n)
    t_mem, res = timed(lambda: mem.blocked(owner, asset, pct, seeds, n=n, csr=own_csr), repeat=3)
    assert set(res.ids.tolist()) == ref_set, "memory engine disagrees with scipy"
    t_mem_cold, _ = timed(lambda: mem.blocked(owner, asset, pct, seeds, n=n))
    duck = get_engine("duckdb")
    # First call copies the links into DuckDB; later calls with the same arrays reuse the tables.
    t_duck_cold, _ = timed(lambda: duck.blocked(owner, asset, pct, seeds))
    t_duck, res_d = timed(lambda: duck.blocked(owner, asset, pct, seeds), repeat=3)
    assert set(res_d.ids.tolist()) == ref_set, "duckdb engine disagrees with scipy"
    rounds = int(res.rounds.max()) if res.rounds.size else 0
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for o, a, p in zip(owner.tolist(), asset.tolist(), pct.tolist(), strict=True):
        adj[o].append((a, p))
    t_py, res_py = timed(lambda: python_worklist(adj, seeds.tolist()))
    assert res_py == ref_set, "python worklist disagrees"
    rows += [
        ("50% rule fixed point", "scipy.sparse frontier (peer)", t_scipy, ""),
        ("50% rule fixed point", "redthread memory engine", t_mem, "CSR index prebuilt"),
        ("50% rule fixed point", "redthread memory engine, cold", t_mem_cold, "incl. CSR build"),
        ("50% rule fixed point", "redthread duckdb engine", t_duck, "links loaded; one recursive statement"),
        ("50% rule fixed point", "redthread duckdb engine, cold", t_duck_cold, "incl. Arrow → DuckDB"),
        ("50% rule fixed point", "pure-Python worklist (peer)", t_py, ""),
    ]
    if not args.no_networkx:
        import networkx as nx

        t0 = time.perf_counter()
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(zip(owner.tolist(), asset.tolist(), pct.tolist(), strict=True), weight="pct")
        t_nx_build = time.perf_counter() - t0
        t_nx, res_nx = timed(lambda: networkx_fixed_point(g, seeds.tolist()))
        assert res_nx == ref_set, "networkx disagrees"
        rows.append(("50% rule fixed point", "networkx worklist (peer)", t_nx, f"graph build {t_nx_build:.1f}s"))
        del g
    if args.naive:
        t_nv, res_nv = timed(lambda: naive_recompute(owner.tolist(), asset.tolist(), pct.tolist(), seeds.tolist()))
        assert res_nv == ref_set
        rows.append(("50% rule fixed point", "naive full recompute, Python (peer)", t_nv, ""))
    adj = []
    gc.collect()

    # -- exposure --------------------------------------------------------------------------
    sym = csr_matrix((np.ones(2 * owner.shape[0], dtype=np.int8),
                      (np.concatenate([owner, asset]), np.concatenate([asset, owner]))), shape=(n, n))
    t_sb, dist_ref = timed(lambda: scipy_bfs(sym, seeds, n, args.hops), repeat=3)
    exp_csr = CSR(np.concatenate([owner, asset]), np.concatenate([asset, owner]),
                  np.concatenate([weight, weight]), n)
    t_me, res_e = timed(lambda: mem.exposure(owner, asset, weight, seeds, args.hops, n=n, csr=exp_csr), repeat=3)
    dist = np.full(n, -1, dtype=np.int64)
    dist[res_e.ids] = res_e.hops
    assert np.array_equal(dist, dist_ref), "memory engine exposure disagrees with scipy BFS"
    t_me_cold, _ = timed(lambda: mem.exposure(owner, asset, weight, seeds, args.hops, n=n))
    t_de_cold, _ = timed(lambda: duck.exposure(owner, asset, weight, seeds, args.hops))
    t_de, res_de = timed(lambda: duck.exposure(owner, asset, weight, seeds, args.hops), repeat=3)
    res_de = res_de.sorted()
    assert np.array_equal(res_de.ids, res_e.ids) and np.array_equal(res_de.hops, res_e.hops)
    assert np.allclose(res_de.strength, res_e.strength, rtol=0, atol=1e-12)
    sadj: list[list[int]] = [[] for _ in range(n)]
    for o, a in zip(owner.tolist(), asset.tolist(), strict=True):
        sadj[o].append(a)
        sadj[a].append(o)
    t_pb, dist_py = timed(lambda: python_bfs(sadj, seeds.tolist(), n, args.hops))
    assert np.array_equal(np.asarray(dist_py), dist_ref), "python BFS disagrees"
    sadj = []
    rows += [
        (f"exposure, {args.hops} hops", "scipy.sparse frontier BFS (peer)", t_sb, "hops only"),
        (f"exposure, {args.hops} hops", "redthread memory engine", t_me, "hops + strongest tie; CSR prebuilt"),
        (f"exposure, {args.hops} hops", "redthread memory engine, cold", t_me_cold, "incl. CSR build"),
        (f"exposure, {args.hops} hops", "redthread duckdb engine", t_de, "hops + strongest tie; links loaded"),
        (f"exposure, {args.hops} hops", "redthread duckdb engine, cold", t_de_cold, "incl. Arrow → DuckDB"),
        (f"exposure, {args.hops} hops", "pure-Python BFS (peer)", t_pb, "hops only"),
    ]
    if not args.no_networkx:
        import networkx as nx

        ug = nx.Graph()
        ug.add_nodes_from(range(n))
        ug.add_edges_from(zip(owner.tolist(), asset.tolist(), strict=True))
        t_nxe, lengths = timed(lambda: nx.multi_source_dijkstra_path_length(ug, set(seeds.tolist()),
                                                                            cutoff=args.hops))
        assert len(lengths) == int((dist_ref >= 0).sum()), "networkx exposure disagrees"
        rows.append((f"exposure, {args.hops} hops", "networkx multi-source (peer)", t_nxe, "hops only"))
        del ug
    gc.collect()
    reached = int((dist_ref >= 0).sum())
    print(f"# answer: {len(ref_set):,} entities blocked in {rounds} rounds; "
          f"{reached:,} parties within {args.hops} hops of a sanctioned one\n")
    _table(rows)

    # -- load from the store --------------------------------------------------------------
    if not args.no_store:
        db = args.db or Path(f"/tmp/redthread-bench-graph-{size}-{args.links}-{k}-{args.seed}.db")
        if not db.exists():
            print(f"\n# building the store {db} (once; cached for later runs) ...", flush=True)
            t_build = build_store(db, data)
            print(f"# store built in {t_build:.0f}s ({db.stat().st_size / 1e9:.2f} GB)")
        for engine in ("memory", "duckdb"):
            out = subprocess.run([sys.executable, __file__, "--child", str(db), engine], capture_output=True,
                                 text=True, check=True)
            child = json.loads(out.stdout.strip().splitlines()[-1])
            assert child["blocked"] == sorted(ref_set), "loaded graph gives a different answer"
            assert child["reached"] == reached
            print(f"\n# from the store, fresh process, engine {engine}: load {child['load_s']:.2f}s "
                  f"(CPU {child['load_cpu_s']:.2f}s, load average {child['loadavg']:.1f}) "
                  f"({child['nodes']:,} nodes, {child['links']:,} links), fixed point {child['blocked_s']:.3f}s, "
                  f"exposure {child['exposure_s']:.3f}s, peak memory {child['peak_rss_mb']:.0f} MB "
                  f"(interpreter and imports {child['base_rss_mb']:.0f} MB)")

    # -- Spark ------------------------------------------------------------------------------
    if args.spark_size:
        ss = min(args.spark_size, size)
        sdata = generate(ss, int(ss * args.links), max(1, ss // 200), args.seed)
        so, sa, sp, sw, sseeds = sdata["owner"], sdata["asset"], sdata["pct"], sdata["weight"], sdata["seeds"]
        spark = get_engine("spark")
        t0 = time.perf_counter()
        spark.blocked(np.array([0]), np.array([1]), np.array([60.0]), np.array([0]))  # warm the JVM
        t_warm = time.perf_counter() - t0
        t_sp, rs = timed(lambda: spark.blocked(so, sa, sp, sseeds).sorted())
        t_spe, rse = timed(lambda: spark.exposure(so, sa, sw, sseeds, args.hops).sorted())
        rd = duck.blocked(so, sa, sp, sseeds).sorted()
        rde = duck.exposure(so, sa, sw, sseeds, args.hops).sorted()
        rm = mem.blocked(so, sa, sp, sseeds, n=ss)
        same = (np.array_equal(rs.ids, rd.ids) and np.array_equal(rs.rounds, rd.rounds)
                and np.array_equal(rm.ids, rd.ids) and np.array_equal(rse.ids, rde.ids)
                and np.array_equal(rse.hops, rde.hops) and np.allclose(rse.strength, rde.strength, atol=1e-12))
        print(f"\n# Spark (local[2]) at {ss:,} companies / {so.shape[0]:,} links: fixed point {t_sp:.1f}s "
              f"({len(rs.ids):,} blocked), exposure {t_spe:.1f}s; session warm-up {t_warm:.0f}s; "
              f"same answers as DuckDB and memory: {'yes' if same else 'NO'}")
        assert same
        spark.close()


def _table(rows: list[tuple[str, str, float, str]]) -> None:
    base: dict[str, float] = {}
    for task, impl, t, _ in rows:
        if "scipy" in impl:
            base[task] = t
    print(f"{'task':<24} {'implementation':<38} {'seconds':>9} {'× scipy':>8}  note")
    for task, impl, t, note in rows:
        ratio = t / base[task] if base.get(task) else float("nan")
        print(f"{task:<24} {impl:<38} {t:>9.4f} {ratio:>8.2f}  {note}")


if __name__ == "__main__":
    main()
