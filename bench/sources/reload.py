"""Reloading a newer version of a list costs no more than the first load (issue #18).

Loads the real OFAC SDN CSV of 2022-02-24 into a fresh SQLite store, then the
2022-02-28 version into the same dataset (99 designations added, 6 changed),
then the 2022-02-28 file again (nothing changed). Prints wall time and the
history counts of each load. Bounded: three loads of one ~9,000-entry list.

    .venv/bin/python bench/sources/reload.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from redthread.ingest import ingest
from redthread.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    history = args.shared / "data/formats/ofac-csv/history"
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/store.db")
        rows = []
        for label, folder in (("first load 2022-02-24", "2022-02-24"), ("update to 2022-02-28", "2022-02-28"),
                              ("same file again", "2022-02-28")):
            start = time.perf_counter()
            (result,), _ = ingest(store, [history / folder / "sdn.csv"], "ofac")
            rows.append((label, time.perf_counter() - start, result))
        store.close()
    print("| load | seconds | values added / kept / removed | entries added / removed / changed |")
    print("|---|---|---|---|")
    for label, seconds, r in rows:
        same = " (unchanged)" if r.unchanged else ""
        print(f"| {label} | {seconds:.1f} | {r.added:,} / {r.kept:,} / {r.removed:,}{same} | "
              f"{r.entities_added} / {r.entities_removed} / {r.entities_changed} |")


if __name__ == "__main__":
    main()
