"""The demo case: load the example material and summarise what it shows.

``run_demo`` is what ``redthread demo`` (the README's first command) calls.
It loads every file under ``examples/`` into its own store (a SQLite file in
the output folder, so the user's data is never touched) and returns a
summary. Capabilities add their steps here as they land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redthread.ingest import ingest
from redthread.ingest.base import ProgressFn
from redthread.store import LoadResult, Store, open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@dataclass
class DemoResult:
    out_dir: Path
    store_url: str
    loads: list[LoadResult] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def example_sets(root: Path = EXAMPLES) -> list[Path]:
    """Example folders, each loaded as a dataset named after the folder."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def run_demo(out_dir: Path, progress: ProgressFn | None = None) -> tuple[DemoResult, Store]:
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{db.resolve()}"
    store = open_store(url)
    result = DemoResult(out_dir=out_dir, store_url=url)
    for folder in example_sets():
        loads, _ = ingest(store, [folder], folder.name.replace(" ", "_"), progress=progress)
        result.loads.extend(loads)
    result.stats = store.stats()
    return result, store
