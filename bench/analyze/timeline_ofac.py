"""Benchmark: the whole-case timeline and claims with the real OFAC 2021 list loaded.

    .venv/bin/python bench/analyze/timeline_ofac.py [--db /tmp/ofac-bench.db]

Loading the list takes about two minutes here: with ``--db`` the loaded store
is kept at that path and reused by the next run (before/after a change).

Loads ../shared/data/ofac-sdn-2021 (the ``ofac-csv`` loader) into a temporary
SQLite store, then times :func:`redthread.analyze.timeline.timeline` for the
whole case and :func:`redthread.analyze.claims.claims`, and counts how many
times each read the store's statements (``Store.statements`` calls without an
entity filter: full scans). Prints one line per measure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from redthread.analyze.claims import claims  # noqa: E402
from redthread.analyze.timeline import timeline  # noqa: E402
from redthread.ingest.base import IngestContext, get_loader  # noqa: E402
from redthread.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="keep the loaded store here and reuse it")
    args = parser.parse_args()
    folder = ROOT.parent / "shared" / "data" / "ofac-sdn-2021"
    if not folder.exists():
        sys.exit(f"{folder} not found")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        fresh = not path.exists()
        store = open_store(f"sqlite:///{path}")
        if fresh:
            t0 = time.perf_counter()
            for batch in get_loader("ofac-csv").read(folder, IngestContext(dataset="ofac")):
                store.write(batch)
            print(f"load ofac-sdn-2021: {time.perf_counter() - t0:.1f} s")
        measure(store)


def measure(store: Any) -> None:
    scans = {"n": 0}
    real = store.statements

    def counting(*args: Any, **kwargs: Any) -> Any:
        if not args and kwargs.get("entity_ids") is None and kwargs.get("values") is None:
            scans["n"] += 1
        return real(*args, **kwargs)

    store.statements = counting
    for name, fn in (("timeline (whole case)", lambda: timeline(store)),
                     ("claims (all facts)", lambda: claims(store))):
        scans["n"] = 0
        t0 = time.perf_counter()
        out = fn()
        print(f"{name}: {time.perf_counter() - t0:.1f} s, {len(out)} items, "
              f"{scans['n']} full statement scans")


if __name__ == "__main__":
    main()
