"""Check: a speed or layout change leaves what is extracted exactly as it was.

Extracts every document of the shared real corpus (``../shared/corpus/real``),
the shared corpus reports, our evaluation documents (``eval/docs``) and the
example documents, and reduces each result to a digest of its sorted entities
and statements (every field but the time stamps). ``--save FILE`` writes the
digests of the code as it is; ``--check FILE`` extracts again and lists every
document whose digest differs. Save with the old code, check with the new one:

    .venv/bin/python bench/extract/identical.py --save /tmp/extract-before.json
    ... change the code ...
    .venv/bin/python bench/extract/identical.py --check /tmp/extract-before.json

The file holds hashes and document names only, never text; still, keep it out
of the repository (it is only meaningful for one pair of commits).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REDTHREAD_EXTRACT_SECONDS", "0")  # compare outputs, never stop a document

SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf"}


def documents() -> list[Path]:
    """The documents compared, in a stable order."""
    shared = ROOT.parent / "shared" / "corpus"
    folders = [shared / "real" / "texts", shared, ROOT / "eval" / "docs", ROOT / "examples" / "drone-components" / "documents"]
    out: list[Path] = []
    for folder in folders:
        out.extend(sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in SUFFIXES))
    return out


def digest(path: Path) -> str:
    """A hash of the sorted entities and statements extracted from ``path``."""
    from redthread.extract import extract_path

    result = extract_path(path, dataset="identical")
    entities = sorted(json.dumps(e, sort_keys=True) for e in result.entities)
    statements = []
    for s in result.statements:
        row = asdict(s)
        row.pop("first_seen", None)
        row.pop("last_seen", None)
        statements.append(json.dumps(row, sort_keys=True, default=str))
    blob = json.dumps({"entities": entities, "statements": sorted(statements)}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def digests() -> dict[str, str]:
    return {str(p.relative_to(ROOT.parent)): digest(p) for p in documents()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write the digests of the current code to this file")
    mode.add_argument("--check", type=Path, help="compare the current code's digests with this file")
    args = ap.parse_args()
    now = digests()
    if args.save:
        args.save.write_text(json.dumps(now, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(now)} documents saved to {args.save}")
        return 0
    before: dict[str, str] = json.loads(args.check.read_text(encoding="utf-8"))
    changed = sorted(k for k in before.keys() & now.keys() if before[k] != now[k])
    missing = sorted(before.keys() - now.keys())
    for name in changed:
        print(f"CHANGED  {name}")
    for name in missing:
        print(f"MISSING  {name}")
    same = len(before.keys() & now.keys()) - len(changed)
    print(f"{same} identical, {len(changed)} changed, {len(missing)} missing, {len(now.keys() - before.keys())} new")
    return 1 if changed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
