"""Monitoring at scale: re-screen a portfolio after a real OFAC list update.

    .venv/bin/python bench/monitor/run.py [--rows 100000] [--workdir /tmp/rt-bench-monitor]

Loads the real OFAC SDN list of 2022-02-24 (``../shared/data/formats/ofac-csv/history``),
makes a synthetic portfolio of ``--rows`` counterparties (generated names,
plus one in a hundred taken from the 2022-02-28 list so that matches exist),
screens it in full, then loads the 2022-02-28 list and re-screens
incrementally. Prints the incremental run beside a full re-screen of the same
portfolio against the updated list. Loads are set-up, not timed.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from redthread.ingest import ingest  # noqa: E402
from redthread.monitor import MonitorDB, hook, rescreen, watchlist  # noqa: E402
from redthread.store import open_store  # noqa: E402

SHARED = HERE.parents[2] / "shared" / "data" / "formats" / "ofac-csv" / "history"
_C = "bdfghklmnprstvz"
_V = "aeiou"
_FORMS = ["LLC", "Ltd", "GmbH", "JSC", "Trading Co", "Holdings", "SA", "Logistics", "Industries"]


def _token(rng: random.Random) -> str:
    return "".join(rng.choice(_C) + rng.choice(_V) for _ in range(rng.randint(2, 4))).capitalize()


def portfolio(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with (SHARED / "2022-02-28" / "sdn.csv").open(encoding="latin-1") as fh:
        listed = [r for r in csv.reader(fh) if len(r) >= 12]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "schema", "country"])
        for n in range(rows):
            if n % 100 == 0:
                r = rng.choice(listed)
                w.writerow([f"cp{n}", r[1], "Person" if r[2] == "individual" else "LegalEntity", ""])
            elif rng.random() < 0.5:
                w.writerow([f"cp{n}", f"{_token(rng)} {_token(rng)}", "Person", rng.choice(["de", "fr", "ru", ""])])
            else:
                w.writerow([f"cp{n}", f"{_token(rng)} {_token(rng)} {rng.choice(_FORMS)}", "Company", ""])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/rt-bench-monitor"))
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    import os

    os.environ["REDTHREAD_HOME"] = str(args.workdir / "home")
    os.environ["REDTHREAD_MONITOR"] = "off"  # the bench calls the runs itself, to time them
    st = open_store(f"sqlite:///{args.workdir / 'store.db'}")
    t = time.perf_counter()
    ingest(st, [SHARED / "2022-02-24" / "sdn.csv"], "ofac", "ofac-csv", source="sdn.csv")
    print(f"set-up: OFAC 2022-02-24 loaded in {time.perf_counter() - t:.1f} s", flush=True)
    portfolio(args.workdir / "portfolio.csv", args.rows)
    db = MonitorDB(st)
    t = time.perf_counter()
    watchlist.add(db, "book", args.workdir / "portfolio.csv", actor="bench")
    print(f"set-up: {args.rows} counterparties stored in {time.perf_counter() - t:.1f} s")
    first = rescreen.run(db, "book", actor="bench", notify=False)
    print(f"first full screen (index built): {first.seconds:.1f} s, {len(first.alerts)} alerts, {first.timings}",
          flush=True)
    t = time.perf_counter()
    ingest(st, [SHARED / "2022-02-28" / "sdn.csv"], "ofac", "ofac-csv", source="sdn.csv")
    print(f"set-up: OFAC 2022-02-28 loaded in {time.perf_counter() - t:.1f} s")
    rescreen._INDEX_CACHE.clear()  # a fresh process: the counterparty index comes from disk
    inc = rescreen.run(db, "book", actor="bench", trigger="load", notify=False)
    print(f"incremental: {inc.seconds:.1f} s, phases {inc.timings}", flush=True)
    full = rescreen.run(db, "book", actor="bench", full=True, notify=False)
    print()
    print(f"{'':28}{'incremental':>14}{'full':>14}")
    print(f"{'seconds':28}{inc.seconds:>14.2f}{full.seconds:>14.2f}")
    print(f"{'entities screened':28}{inc.screened_entities:>14}{full.screened_entities:>14}")
    print(f"{'pairs scored':28}{inc.pairs_scored:>14}{full.pairs_scored:>14}")
    print(f"{'alerts':28}{len(inc.alerts):>14}{len(full.alerts):>14}")
    print(f"incremental phases: {inc.timings}")
    print(f"full phases: {full.timings}")
    _ = hook


if __name__ == "__main__":
    main()
