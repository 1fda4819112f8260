"""Benchmark: network exports vs FollowTheMoney's own exporters, API latency, dossiers.

    .venv/bin/python bench/web/run.py [--entities 5000]

Generates a synthetic FtM case (companies, people, ownership and control
links, trade records, sanctions) with a fixed seed, loads it into a temporary
SQLite store and measures:

1. GEXF and Neo4j exports: ``redthread export`` (from the store, with
   resolution and sanction marks) vs ``ftm export-gexf`` / ``ftm
   export-neo4j-bulk`` (FollowTheMoney's exporters, straight from the JSON
   lines file). Side by side, with the ratio.
2. API latency (in-process ASGI client, median of repeated calls): search,
   entity profile, network neighbourhood (first call builds the network, later
   calls reuse it), path between two parties, document spans.
3. Dossier build time: one entity as HTML and PDF, and the whole case as HTML.

Peers for the API (Aleph, yente) need Elasticsearch and cannot run here, so
API numbers are absolute; the export numbers are the peer comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def synthetic(path: Path, n: int, seed: int = 11) -> list[str]:
    """Write ``n`` party entities plus links; returns the party ids."""
    rnd = random.Random(seed)
    words = ["Alpha", "Boreal", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
             "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pioneer", "Quartz", "Raven", "Summit", "Tundra"]
    kinds = ["Trading", "Logistics", "Electronics", "Components", "Holding", "Foods", "Systems", "Motors"]
    countries = ["ru", "cn", "hk", "ae", "tr", "kg", "kz", "am", "us", "de"]
    ids: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        def put(obj: dict) -> None:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")

        for i in range(n):
            eid = f"p{i}"
            ids.append(eid)
            if i % 4 == 0:
                put({"id": eid, "schema": "Person", "properties": {
                    "name": [f"{rnd.choice(words)} {rnd.choice(words)}ov {i}"], "nationality": [rnd.choice(countries)]}})
            else:
                put({"id": eid, "schema": "Company", "properties": {
                    "name": [f"{rnd.choice(words)} {rnd.choice(kinds)} {i} LLC"], "country": [rnd.choice(countries)],
                    "address": [f"{rnd.randint(1, 300)} {rnd.choice(words)} Street"]}})
        for i in range(n):
            for _ in range(rnd.choice([0, 1, 1, 2])):
                owner, asset = f"p{rnd.randrange(n)}", f"p{rnd.randrange(n)}"
                if owner != asset and not asset.endswith(("0", "4", "8")):
                    put({"id": f"own-{i}-{owner}-{asset}", "schema": "Ownership", "properties": {
                        "owner": [owner], "asset": [asset], "percentage": [str(rnd.choice([10, 25, 50, 51, 100]))]}})
            if rnd.random() < 0.3:
                a, b = f"p{rnd.randrange(n)}", f"p{rnd.randrange(n)}"
                put({"id": f"trade-{i}", "schema": "EconomicActivity", "properties": {
                    "sender": [a], "receiver": [b], "goodsDescription": ["electronic components"],
                    "customsAmount": [str(rnd.randint(1000, 900000))], "date": [f"2024-0{rnd.randint(1, 9)}"]}})
            if rnd.random() < 0.01:
                put({"id": f"sanc-{i}", "schema": "Sanction", "properties": {
                    "entity": [f"p{i}"], "authority": ["Office of Foreign Assets Control"], "program": ["RUSSIA-EO14024"]}})
    return ids


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def row(label: str, ours: float, peer: float | None, unit: str = "s") -> str:
    ratio = f"{peer / ours:6.2f}x" if peer else "   n/a"
    peer_s = f"{peer:9.3f}{unit}" if peer is not None else "      n/a "
    return f"{label:<44} {ours:9.3f}{unit} {peer_s} {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rt-bench-web-"))
    os.environ["REDTHREAD_HOME"] = str(work / "home")
    sys.path.insert(0, str(ROOT))
    from fastapi.testclient import TestClient

    from redthread.api.app import create_app
    from redthread.export import export
    from redthread.export.neo4j import write_folder
    from redthread.ingest import ingest
    from redthread.report.dossier import build_dossier, render_html, write_dossier
    from redthread.store import open_store

    src = work / "case.ftm.jsonl"
    ids = synthetic(src, args.entities)
    lines = sum(1 for _ in src.open())
    url = f"sqlite:///{work / 'bench.db'}"
    store = open_store(url)
    t_load = timed(lambda: ingest(store, [src], "bench"))
    print(f"synthetic case: {args.entities} parties, {lines} FtM entities; ingest {t_load:.2f}s")
    print()
    print(f"{'task':<44} {'redthread':>10} {'ftm (peer)':>10} {'peer/ours':>8}")
    print("-" * 80)

    ftm = VENV_BIN / "ftm"
    gexf_out = work / "ours.gexf"
    def to_file(fmt: str, path: Path) -> None:
        with path.open("w", encoding="utf-8") as fh:
            export(store, fmt, fh)

    t_start = timed(lambda: subprocess.run([str(ftm), "--help"], check=True, capture_output=True))
    t_ours = timed(lambda: to_file("gexf", gexf_out))
    t_peer = timed(lambda: subprocess.run([str(ftm), "export-gexf", "-i", str(src), "-o", str(work / "ftm.gexf")],
                                          check=True, capture_output=True))
    print(row("GEXF export", t_ours, t_peer))
    t_ours = timed(lambda: write_folder(store, work / "neo-ours"))
    t_peer = timed(lambda: subprocess.run([str(ftm), "export-neo4j-bulk", "-i", str(src), "-o", str(work / "neo-ftm")],
                                          check=True, capture_output=True))
    print(row("Neo4j export (CSV + script)", t_ours, t_peer))
    t_ours = timed(lambda: to_file("graphml", work / "ours.graphml"))
    print(row("GraphML export", t_ours, None))
    print(f"(ftm timings include its process start-up, {t_start:.2f}s here; ours run in-process and\n"
          " read the store, apply resolution and mark sanctioned/blocked parties)")
    print()

    client = TestClient(create_app(url))
    t_cold = timed(lambda: client.get(f"/network/{ids[1]}"))  # the first call builds the network
    net = client.get(f"/network/{ids[1]}").json()
    hub = max(net["nodes"], key=lambda n: sum(1 for e in net["edges"] if n["id"] in (e["source"], e["target"])))["id"]
    print(f"{'API (in-process), median of 20':<44} {'ms':>10}")
    print("-" * 80)
    for label, path in [
        ("GET /search?q=Boreal", "/search?q=Boreal&limit=10"),
        (f"GET /entities/{hub}", f"/entities/{hub}"),
        (f"GET /network/{hub} (cached network)", f"/network/{hub}"),
        (f"GET /network/{hub}?depth=2", f"/network/{hub}?depth=2"),
        (f"GET /network/path {ids[1]} -> {ids[-1]}", f"/network/path?source={ids[1]}&target={ids[-1]}"),
        ("GET /stats", "/stats"),
    ]:
        t = timed(lambda p=path: client.get(p), repeat=20)
        print(f"{label:<44} {t * 1000:9.1f}")
    print(f"{'GET /network/{id}, first call (builds network)':<44} {t_cold * 1000:9.1f}")
    print()
    print(f"{'dossier':<44} {'s':>10}")
    print("-" * 80)
    print(f"{'one entity, HTML':<44} {timed(lambda: render_html(build_dossier(store, hub))):9.2f}")
    print(f"{'one entity, PDF (WeasyPrint)':<44} {timed(lambda: write_dossier(store, hub, work / 'e.pdf')):9.2f}")
    print(f"{'whole case, HTML':<44} {timed(lambda: render_html(build_dossier(store, None))):9.2f}")
    store.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
