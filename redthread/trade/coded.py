"""Dictionary-coded columns: each distinct raw value is worked on once.

Customs files repeat the same few thousand HS codes, currencies, countries
and dates, and the same parties, across millions of rows. The records
loader reads such columns as dictionaries (Parquet stores most of them that
way), gives each distinct text a code that holds across the whole file
(:class:`Codes`), applies every rule (HS normalisation, country codes, party
ids, date parsing) to the distinct texts only, and carries the results to
the rows as NumPy takes over the codes. Output text columns are written as
dictionaries too (:class:`Vocabulary`), so no string is hashed per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

#: Rows read and worked on at a time (whole row groups; bounds memory).
CHUNK_ROWS = 1 << 20

#: Chunks read ahead of the one being worked on.
AHEAD = 2

#: An Arrow dictionary-encoded text type, as written for coded output columns.
DICT_TEXT = pa.dictionary(pa.int32(), pa.string())


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def sql_map(con: duckdb.DuckDBPyConnection, expr: str, values: pa.Array) -> pa.Array:
    """``expr`` (SQL over the column ``v``) applied to each of ``values``, in order.

    Rules written once in SQL (DuckDB's casts and date parsing) run over the
    distinct values of a column, not its rows.
    """
    con.register("__coded_values", pa.table({"v": values}))
    try:
        out = con.execute(f"SELECT {expr} AS r FROM __coded_values").to_arrow_table().column(0)
    finally:
        con.unregister("__coded_values")
    return out.combine_chunks() if out.num_chunks != 1 else out.chunk(0)


def grow(arr: np.ndarray, extra: int, fill: int | float) -> np.ndarray:
    """``arr`` with ``extra`` more items set to ``fill``."""
    if extra <= 0:
        return arr
    return np.concatenate([arr, np.full(extra, fill, dtype=arr.dtype)])


class Coded:
    """One column's rows as codes, kept in two steps: a code per dictionary entry, an entry per row.

    Anything per code (a value, a flag) reaches the rows through one take
    over the entries: :meth:`take` composes ``per_code`` with the entries'
    codes (a small array) before indexing the rows, and :meth:`where` skips
    the rows altogether when no entry is flagged.
    """

    def __init__(self, parts: list[tuple[np.ndarray, np.ndarray]]) -> None:
        #: (code per dictionary entry, entry per row) for each Arrow chunk
        self.parts = parts

    def take(self, per_code: np.ndarray) -> np.ndarray:
        """``per_code[code]`` for each row."""
        taken = [np.take(per_code[codes], rows) for codes, rows in self.parts]
        if len(taken) == 1:
            return taken[0]
        return np.concatenate(taken) if taken else np.zeros(0, dtype=per_code.dtype)

    def codes(self) -> np.ndarray:
        """The code of each row (int64)."""
        taken = [np.take(codes, rows) for codes, rows in self.parts]
        if len(taken) == 1:
            return taken[0]
        return np.concatenate(taken) if taken else np.zeros(0, dtype=np.int64)

    def where(self, flag: np.ndarray) -> np.ndarray | None:
        """Per row, whether ``flag[code]``; None when no row's code is flagged."""
        if not any(flag[codes].any() for codes, _ in self.parts):
            return None
        return self.take(flag)


class Codes:
    """Codes ``0..n-1`` for the distinct texts of one field, stable across chunks.

    Code 0 is the empty text, which null also gets (a missing value and an
    empty cell are the same key). ``to_text`` turns a non-text column into
    text first (the SQL cast, so numbers read as they did before).
    """

    #: A chunk whose distinct values are fewer than the known texts over this ratio is looked up
    #: in a dict (kept once built); more, by hashing the known texts with Arrow (``index_in``).
    DICT_RATIO = 3

    def __init__(self, to_text: Callable[[pa.Array], pa.Array]) -> None:
        self.texts: list[str] = [""]
        self._known = pa.array([""], pa.string())
        self._pending: list[pa.Array] = []
        self._index: dict[str, int] | None = None
        self._to_text = to_text

    def __len__(self) -> int:
        return len(self.texts)

    def _value_set(self) -> pa.Array:
        if self._pending:
            self._known = pa.concat_arrays([self._known, *self._pending])
            self._pending = []
        return self._known

    def encode(self, column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
        """Per-row codes of ``column`` and the texts it brought that were new, in code order."""
        coded, new = self.coded(column)
        return coded.codes(), new

    def coded(self, column: pa.ChunkedArray | pa.Array) -> tuple[Coded, list[str]]:
        """``column`` as codes (see :class:`Coded`) and the texts it brought that were new, in code order."""
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        start = len(self.texts)
        for chunk in chunks:
            distinct = False  # whether the dictionary's values are known to be distinct
            if not pa.types.is_dictionary(chunk.type):
                chunk = pc.dictionary_encode(chunk if is_text(chunk.type) else self._to_text(chunk))
                distinct = True
            dictionary = chunk.dictionary
            if not pa.types.is_string(dictionary.type):
                dictionary = (dictionary.cast(pa.string()) if is_text(dictionary.type)
                              else self._to_text(dictionary).cast(pa.string()))
            lookup = np.append(self._find(dictionary), 0)  # the last: null rows, the empty text
            missing = np.flatnonzero(lookup < 0)
            if missing.size:
                new_texts = dictionary.take(pa.array(missing))
                if new_texts.null_count == 0 and (distinct or pc.count_distinct(new_texts).as_py() == len(new_texts)):
                    # the usual case: a dictionary's values are distinct
                    lookup[missing] = len(self.texts) + np.arange(len(missing))
                    self._extend(new_texts.to_pylist(), new_texts.cast(pa.string()))
                else:
                    self._add_one_by_one(new_texts.to_pylist(), missing, lookup)
            indices = chunk.indices
            if indices.null_count:
                indices = pc.fill_null(indices, len(lookup) - 1)
            parts.append((lookup, indices.to_numpy(zero_copy_only=False)))
        return Coded(parts), self.texts[start:]

    def _add_one_by_one(self, texts: list[str | None], positions: np.ndarray, lookup: np.ndarray) -> None:
        """Codes for new texts that may repeat or be null (null is the empty text, code 0)."""
        fresh: dict[str, int] = {}
        base = len(self.texts)
        codes = []
        for text in texts:
            if text is None:
                codes.append(0)
                continue
            code = fresh.get(text)
            if code is None:
                code = fresh[text] = base + len(fresh)
            codes.append(code)
        lookup[positions] = codes
        if fresh:
            self._extend(list(fresh), pa.array(list(fresh), pa.string()))

    def _find(self, dictionary: pa.Array) -> np.ndarray:
        """The code of each of ``dictionary``'s texts; -1 where it is new (or null)."""
        if len(dictionary) * self.DICT_RATIO < len(self.texts):
            if self._index is None:
                self._index = {t: i for i, t in enumerate(self.texts)}
            get = self._index.get
            return np.fromiter((get(t, -1) for t in dictionary.to_pylist()), dtype=np.int64, count=len(dictionary))
        found = pc.index_in(dictionary, value_set=self._value_set())
        out: np.ndarray = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return out

    def _extend(self, texts: list[str], array: pa.Array) -> None:
        """Add new distinct texts (in code order), as a list and as an Arrow array."""
        if self._index is not None:
            start = len(self.texts)
            self._index.update(zip(texts, range(start, start + len(texts)), strict=True))
        self.texts.extend(texts)
        self._pending.append(array)


class Lookup:
    """A value per distinct text of one field, worked out once per text: ``derive`` maps new texts to values.

    ``values[code]`` is the value of each code; code 0 (empty or null) gets
    ``derive([""])``, so a missing cell follows the same rule as an empty one.
    """

    def __init__(self, to_text: Callable[[pa.Array], pa.Array], derive: Callable[[list[str]], Any]) -> None:
        self.codes = Codes(to_text)
        self._derive = derive
        self.values = np.asarray(derive([""]), dtype=np.int64)

    def rows(self, column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """(code, value) per row of ``column``."""
        coded = self.coded(column)
        return coded.codes(), coded.take(self.values)

    def coded(self, column: pa.ChunkedArray | pa.Array) -> Coded:
        """``column`` as codes, with the values of its new texts worked out (in :attr:`values`)."""
        coded, new = self.codes.coded(column)
        if new:
            self.values = np.concatenate([self.values, np.asarray(self._derive(new), dtype=np.int64)])
        return coded

    def text(self, code: int) -> str:
        return self.codes.texts[code]


class Vocabulary:
    """The distinct texts of an output column: the dictionary it is written with."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}
        self._arrow: pa.Array | None = None

    def index(self, value: str | None) -> int:
        """The index of ``value`` (added if new); -1 for None."""
        if value is None:
            return -1
        i = self._index.get(value)
        if i is None:
            i = self._index[value] = len(self.values)
            self.values.append(value)
        return i

    @staticmethod
    def constant(value: str, n: int) -> pa.DictionaryArray:
        """``value`` on each of ``n`` rows."""
        return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value], pa.string()))

    def array(self, idx: np.ndarray, nulls: bool | None = None) -> pa.DictionaryArray:
        """The column whose rows are ``idx`` (indices into :attr:`values`; -1 is null).

        ``nulls=False`` says no index is -1 (not checked row by row).
        """
        mask = None
        if nulls is None or nulls:
            negative = idx < 0
            mask = negative if negative.any() else None
        indices = pa.array(idx.astype(np.int32, copy=False), pa.int32(), mask=mask)
        return pa.DictionaryArray.from_arrays(indices, self._dictionary())

    def nulls(self, n: int) -> pa.DictionaryArray:
        """A column of ``n`` nulls."""
        return pa.DictionaryArray.from_arrays(pa.nulls(n, pa.int32()), self._dictionary())

    def _dictionary(self) -> pa.Array:
        """:attr:`values` as Arrow (converted again only when it has grown)."""
        if self._arrow is None or len(self._arrow) != len(self.values):
            self._arrow = pa.array(self.values, pa.string())
        return self._arrow

    def coded(self, coded: Coded, per_code: np.ndarray, keep: np.ndarray | None = None) -> pa.DictionaryArray:
        """The column whose rows are ``per_code[code]`` of ``coded``'s rows (-1 is null), ``keep`` rows only."""
        idx = coded.take(per_code.astype(np.int32))
        if keep is not None:
            idx = idx[keep]
        return self.array(idx, nulls=bool((per_code < 0).any()))


class ReadAhead:
    """A Parquet file as tables of whole row groups (about :data:`CHUNK_ROWS` rows each).

    Reading starts at once, in a thread: the first chunk with all cores
    (nothing else to do yet), then :data:`AHEAD` chunks are kept ready while
    the caller works. Iterate once; :meth:`close` stops early.
    """

    def __init__(self, file: pq.ParquetFile, columns: list[str], rows: int | None = None) -> None:
        rows = rows or CHUNK_ROWS
        groups: list[list[int]] = [[]]
        size = 0
        for i in range(file.metadata.num_row_groups):
            if size >= rows:
                groups.append([])
                size = 0
            groups[-1].append(i)
            size += file.metadata.row_group(i).num_rows
        self._groups = [g for g in groups if g]
        self._file = file
        self._columns = columns
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="redthread-read")
        self._ahead = [self._pool.submit(self._read, g, i == 0) for i, g in enumerate(self._groups[: 1 + AHEAD])]

    def _read(self, group: list[int], threads: bool) -> pa.Table:
        return self._file.read_row_groups(group, columns=self._columns, use_threads=threads)

    def __iter__(self) -> Iterator[pa.Table]:
        try:
            for i in range(len(self._groups)):
                table = self._ahead.pop(0).result()
                if i + 1 + AHEAD < len(self._groups):
                    self._ahead.append(self._pool.submit(self._read, self._groups[i + 1 + AHEAD], False))
                yield table
        finally:
            self.close()

    def close(self) -> None:
        for future in self._ahead:
            future.cancel()
        self._pool.shutdown(wait=True)


def open_parquet(path: Path, coded: list[str]) -> pq.ParquetFile:
    """A Parquet file whose ``coded`` columns read as dictionaries."""
    return pq.ParquetFile(path, read_dictionary=coded, pre_buffer=True)


class BackgroundWriter:
    """Appends tables to one Parquet file from a thread, so writing overlaps the work on the next chunk.

    Text columns that are dictionaries are written as Parquet dictionaries
    as they are (no hashing); statistics are kept for the plain columns
    named in ``statistics`` (numbers, dates, keys: what filters prune on).
    """

    def __init__(self, path: Path, schema: pa.Schema, statistics: list[str], compression: str = "none") -> None:
        import queue
        import threading

        dictionaries = [f.name for f in schema if pa.types.is_dictionary(f.type)]
        self._writer = pq.ParquetWriter(path, schema, compression=compression, use_dictionary=dictionaries,
                                        write_statistics=[c for c in statistics if c in schema.names])
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="redthread-write", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            table = self._queue.get()
            if table is None:
                return
            if self._error is None:
                try:
                    self._writer.write_table(table, row_group_size=max(table.num_rows, 1))
                except BaseException as exc:  # re-raised by put() or close()
                    self._error = exc

    def put(self, table: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(table)

    def close(self) -> None:
        """Wait for the writes, close the file; raises what a write raised."""
        self._queue.put(None)
        self._thread.join()
        self._writer.close()
        if self._error is not None:
            raise self._error
