"""Benchmark: extraction time grows linearly with input, and the first document's start-up.

Three measures, each in CPU seconds of this process (the machine's other load
does not count):

1. one sentence holding a list of N company names (N = 300, 1,000, 3,000;
   the 3,000-name list is about 60 KB): CPU time per name must stay flat
   (issue #16 item 8: it took 46 s for 3,000 before the fix);
2. ordinary prose (our evaluation documents and the shared corpus reports)
   repeated to about 1 MB in one document: KB per CPU second;
3. a fresh process that imports redthread.extract and extracts one short
   document: CPU seconds for the imports and for the first document.

    .venv/bin/python bench/extract/scaling.py            # about a minute on a quiet machine
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["REDTHREAD_EXTRACT_SECONDS"] = "0"  # measure, never stop


def list_sentence(n: int) -> str:
    names = [f"Kor{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}{chr(97 + (i // 676) % 26)} Trading LLC" for i in range(n)]
    return "The ministry designated the following entities: " + ", ".join(names) + "."


def cpu(fn: object, *args: object) -> float:
    c = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - c


FIRST = """
import time
c0 = time.process_time()
from redthread.extract import extract_text
c1 = time.process_time()
extract_text("Kestrel Trading LLC shipped drone motors to Amur Systems OOO. John Harlow is its director.",
             doc_id="d", dataset="b")
c2 = time.process_time()
print(f"{c1 - c0:.2f} {c2 - c1:.2f}")
"""


def main() -> None:
    from redthread.extract import extract_text

    extract_text(list_sentence(5) + " John Smith is the director of Foo Ltd.", doc_id="w", dataset="b")  # warm-up
    print("1. one sentence with a list of N names")
    per = []
    for n in (300, 1000, 3000):
        text = list_sentence(n)
        s = cpu(lambda t: extract_text(t, doc_id="l", dataset="b"), text)
        per.append(s / n * 1000)
        print(f"   N={n:>5}  {len(text) / 1024:6.1f} KB  {s:6.2f} CPU s  {per[-1]:.2f} ms/name")
    print(f"   growth of ms/name from 300 to 3000 names: x{per[-1] / per[0]:.2f} (1.0 = linear)")

    print("2. ordinary prose in one document")
    paths = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")) + sorted((ROOT / "eval" / "docs").glob("*.txt"))
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in paths)
    for target in (250_000, 1_000_000):
        text = (base + "\n\n") * max(1, target // len(base))
        s = cpu(lambda t: extract_text(t, doc_id="p", dataset="b"), text)
        print(f"   {len(text.encode()) / 1024:7.0f} KB  {s:6.2f} CPU s  {len(text.encode()) / 1024 / s:6.1f} KB/s per core")

    print("3. a fresh process: imports, then the first document")
    out = subprocess.run([sys.executable, "-c", FIRST], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True).stdout.split()
    print(f"   import {out[0]} CPU s, first document {out[1]} CPU s, together {float(out[0]) + float(out[1]):.2f}")


if __name__ == "__main__":
    main()
