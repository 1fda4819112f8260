"""FtM JSON lines: one assembled entity per line (resolution applied)."""

from __future__ import annotations

from typing import TextIO

import orjson

from redthread.store import Store


def export_ftm(store: Store, out: TextIO, dataset: str | None = None) -> int:
    count = 0
    for entity in store.entities(dataset=dataset):
        out.write(orjson.dumps(entity, option=orjson.OPT_SORT_KEYS).decode("utf-8"))
        out.write("\n")
        count += 1
    return count
