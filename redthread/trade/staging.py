"""CSV records streamed into a scratch Parquet file for the loader.

Text columns as they are, plus ``__row``: the line each record starts on
(line breaks inside quoted fields counted), so errors point at CSV lines.
Memory stays bounded by one block however large the file.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from redthread.errors import InputError
from redthread.trade import coded


def csv_to_parquet(path: Path, target: Path, delimiter: str) -> int:
    """Stream a CSV into a Parquet file of text columns plus ``__row`` (its line number).

    Memory stays bounded by one block however large the file. ``__row`` is
    the line a record starts on (the header is line 1), counting the line
    breaks inside quoted fields. Returns the row count.
    """
    import csv as pycsv

    import pyarrow.csv as pacsv

    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        header = next(pycsv.reader(fh, delimiter=delimiter), None)
    if not header:
        raise InputError("empty file: expected a header line", path=str(path))
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header}, strings_can_be_null=False
        ),
    )
    rows = 0
    line = 2  # where the next record starts
    target.parent.mkdir(parents=True, exist_ok=True)
    writer: coded.BackgroundWriter | None = None
    try:
        for batch in reader:
            numbers, line = _line_numbers(batch, line)
            block = pa.Table.from_batches([batch]).add_column(0, "__row", numbers)
            if writer is None:
                # plain and uncompressed: a scratch file, read once (the loader codes what repeats)
                writer = coded.BackgroundWriter(target, block.schema, [])
            writer.put(block)
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None:  # a header and no records
        import pyarrow.parquet as pq

        empty = pa.table({"__row": pa.array([], pa.int64()), **{n: pa.array([], pa.string()) for n in header}})
        pq.write_table(empty, target)
    return rows


def _line_numbers(batch: pa.RecordBatch, first: int) -> tuple[pa.Array, int]:
    """The line each record of ``batch`` starts on, and where the next batch starts.

    A record spans one line plus the line breaks inside its quoted fields.
    """
    import numpy as np
    import pyarrow.compute as pc

    spans = np.ones(batch.num_rows, dtype=np.int64)
    for col in batch.columns:
        if (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) and _has_newline(col):
            breaks = pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
            if breaks.any():
                spans += np.nan_to_num(breaks).astype(np.int64)
    ends = np.cumsum(spans)
    starts = first + ends - spans
    return pa.array(starts, pa.int64()), int(first + ends[-1]) if len(ends) else first


def _has_newline(col: pa.Array) -> bool:
    """Whether any value of a text column holds a line break (one scan of its bytes)."""
    import numpy as np

    buffers = col.buffers()
    if len(buffers) < 3 or buffers[2] is None or len(col) == 0:
        return False
    width = np.int64 if pa.types.is_large_string(col.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=width)[col.offset: col.offset + len(col) + 1]
    data = memoryview(buffers[2])[int(offsets[0]): int(offsets[-1])]
    return data.tobytes().find(b"\n") >= 0
