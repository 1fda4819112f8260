"""CSV of statements with their provenance: one row per property value.

Cells that a spreadsheet would run as formulas are escaped (:mod:`redthread.export.safe_csv`).
"""

from __future__ import annotations

from typing import TextIO

from redthread.export.safe_csv import SafeWriter
from redthread.store import Store

COLUMNS = [
    "entity_id", "schema", "prop", "value", "dataset", "source", "location",
    "span_start", "span_end", "quote", "original_value", "lang", "origin",
    "confidence", "hedge", "first_seen", "last_seen", "id",
]


def export_csv(store: Store, out: TextIO, dataset: str | None = None) -> int:
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    cmap = store.canonical_map()
    count = 0
    for stmt in store.statements(dataset=dataset):
        row: dict[str, object] = dict(stmt.to_dict())
        row["span_start"], row["span_end"] = stmt.span_start, stmt.span_end
        row["entity_id"] = cmap.get(stmt.entity_id, stmt.entity_id)
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in COLUMNS])
        count += 1
    return count
