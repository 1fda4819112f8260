"""How long `redthread demo --no-serve` takes, step by step, against its target.

No peer tool builds a whole case from one command, so the comparison is with
the issue's targets: the demo itself under 2 minutes on 2 cores. Runs the
demo in a subprocess (cold start: imports, spaCy model, fresh store), reads
the per-step timings from its summary.json and reports the peak memory of
the child process. Prints a table; append it to docs/benchmarks.md by hand.

    .venv/bin/python bench/demo/run.py [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "redthread")
TARGET_S = 120.0


def one_run(out: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    subprocess.run([CLI, "demo", "--no-serve", "--out", str(out)], check=True, capture_output=True)
    wall = time.perf_counter() - started
    return wall, json.loads((out / "summary.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    walls: list[float] = []
    summary: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            wall, summary = one_run(Path(tmp) / f"run{i}")
            walls.append(wall)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    best = min(walls)
    print(f"redthread demo --no-serve: {best:.1f} s wall (best of {len(walls)}), target {TARGET_S:.0f} s "
          f"-> {TARGET_S / best:.1f}x under target; peak RSS {peak_mb:.0f} MB")
    print(f"{'step':<10} {'status':<8} {'seconds':>8}  detail")
    steps = summary.get("steps", [])
    assert isinstance(steps, list)
    for st in steps:
        print(f"{st['name']:<10} {st['status']:<8} {st['seconds']:>8.1f}  {str(st['detail'])[:70]}")
    in_steps = sum(float(st["seconds"]) for st in steps)
    print(f"{'(startup)':<10} {'':<8} {best - in_steps:>8.1f}  imports, store creation, summary")
    print(f"parties {summary.get('parties')}, links {summary.get('links')}, documents {summary.get('documents')}")


if __name__ == "__main__":
    sys.exit(main())
