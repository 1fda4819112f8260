"""Trade parties: one FtM entity per normalised name and country.

The id is deterministic, so the same shipper in two files (or two loads)
is one entity, and other modules can compute it from a name and country.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: Prefix of party entity ids.
PREFIX = "tp-"


def normalise_name(name: str) -> str:
    """Casefolded, accents dropped, punctuation and spacing collapsed."""
    if name.isascii():  # NFKD leaves ASCII as it is and finds no combining marks
        text = name
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def party_id(name: str, country: str | None) -> str | None:
    """The FtM id of the party called ``name`` in ``country`` (ISO code or None).

    None when the name has no letters or digits.
    """
    norm = normalise_name(name)
    if not norm:
        return None
    key = f"{norm}|{(country or '').lower()}"
    return PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


#: Hex digits of a trade party id after :data:`PREFIX`, and how many of them make its key.
ID_HEX, KEY_HEX = 20, 16
_HEX = frozenset("0123456789abcdef")


def party_key(pid: str) -> int:
    """A 64-bit integer standing for the party id ``pid`` in the columnar records.

    Records carry these keys instead of id strings (grouping and writing
    integers is several times faster); the ``parties`` table maps them back.
    Derived from the id alone, so the same party has the same key in every
    load, and canonical ids (from any source) get keys the same way: a trade
    party id is already a hash (:func:`party_id`), so its first 64 bits are
    the key; any other id is hashed (SHA-1, first 64 bits). Two ids share a
    key with odds of about n²/2⁶⁵ (n parties).
    """
    digits = pid[len(PREFIX):]
    if pid.startswith(PREFIX) and len(digits) == ID_HEX and _HEX.issuperset(digits):
        return int.from_bytes(bytes.fromhex(digits[:KEY_HEX]), "big", signed=True)
    return int.from_bytes(hashlib.sha1(pid.encode("utf-8")).digest()[:8], "big", signed=True)


def _ascii_table() -> np.ndarray:
    """Byte -> byte: ASCII letters lowercased, digits kept, anything else a space."""
    table = np.full(256, ord(" "), dtype=np.uint8)
    for ch in "abcdefghijklmnopqrstuvwxyz0123456789":
        table[ord(ch)] = ord(ch)
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(ch)] = ord(ch.lower())
    return table


_ASCII = _ascii_table()


def normalise_array(names: pa.Array) -> pa.Array:
    """:func:`normalise_name` of each of an Arrow array of names, vectorised for the (usual) ASCII ones.

    For ASCII text casefolding is lowercasing and ``[\\W_]`` is anything but
    a letter or digit, so a byte table, dropping each space that follows a
    space (or starts a name) and a right trim give the same result over the
    whole array at once; other names go through :func:`normalise_name` one
    by one. Nulls stay null.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = names.cast(pa.string())
    if arr.offset:
        arr = pa.concat_arrays([arr])  # own buffers from offset 0
    if not len(arr):
        return arr
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=len(arr) + 1)
    data_buf = arr.buffers()[2]
    size = int(offsets[-1])
    data = np.frombuffer(data_buf, dtype=np.uint8, count=size) if data_buf is not None else np.zeros(0, np.uint8)
    mapped = np.take(_ASCII, data)
    space = mapped == ord(" ")
    after_space = np.empty(size, dtype=bool)
    if size:
        after_space[0] = True
        after_space[1:] = space[:-1]
        starts = offsets[:-1]
        after_space[starts[starts < size]] = True  # a name's first byte: its leading spaces go
    keep = ~(space & after_space)
    kept = np.zeros(size + 1, dtype=np.int32)  # bytes kept before each position (offsets are int32)
    np.cumsum(keep, dtype=np.int32, out=kept[1:])
    new_offsets = kept[offsets]
    cleaned = pa.StringArray.from_buffers(len(arr), pa.py_buffer(new_offsets), pa.py_buffer(mapped[keep]),
                                          arr.buffers()[0], arr.null_count)
    cleaned = pc.utf8_rtrim(cleaned, " ")
    other = np.flatnonzero(~pc.fill_null(pc.string_is_ascii(arr), True).to_numpy(zero_copy_only=False))
    if other.size:
        out = cleaned.to_pylist()
        raw = arr.take(pa.array(other)).to_pylist()
        for i, name in zip(other.tolist(), raw, strict=True):
            out[i] = normalise_name(name)
        cleaned = pa.array(out, pa.string())
    return cleaned


def party_ids_keys(norms: list[str], countries: list[str | None],
                   con: duckdb.DuckDBPyConnection | None = None) -> tuple[list[str], list[int]]:
    """:func:`party_id` and :func:`party_key` of many normalised names with their countries, vectorised.

    The same SHA-1 of the same bytes as the one-at-a-time functions, computed
    in DuckDB; ``norms`` must be non-empty normalised names.
    """
    import duckdb
    import pyarrow as pa

    if not norms:
        return [], []
    own = con is None
    con = duckdb.connect(":memory:") if con is None else con
    try:
        con.register("names", pa.table({"n": pa.array(norms, pa.string()),
                                        "c": pa.array(countries, pa.string())}))
        table = con.execute(
            f"WITH h AS (SELECT sha1(n || '|' || lower(coalesce(c, ''))) AS d FROM names) "
            f"SELECT '{PREFIX}' || left(d, {ID_HEX}) AS pid, CAST('0x' || left(d, {KEY_HEX}) AS UBIGINT) AS k FROM h"
        ).to_arrow_table()
    finally:
        con.unregister("names")
        if own:
            con.close()
    as_signed = table.column(1).to_numpy().astype(np.uint64).view(np.int64)
    return table.column(0).to_pylist(), as_signed.tolist()
