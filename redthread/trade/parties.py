"""Trade parties: one FtM entity per normalised name and country.

The id is deterministic, so the same shipper in two files (or two loads)
is one entity, and other modules can compute it from a name and country.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

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


def party_key(pid: str) -> int:
    """A 64-bit integer standing for the party id ``pid`` in the columnar records.

    Records carry these keys instead of id strings (grouping and writing
    integers is several times faster); the ``parties`` table maps them back.
    Derived from the id alone, so the same party has the same key in every
    load, and canonical ids (from any source) get keys the same way. Two ids
    share a key with odds of about n²/2⁶⁵ (n parties).
    """
    return int.from_bytes(hashlib.sha1(pid.encode("utf-8")).digest()[:8], "big", signed=True)


def normalise_names(names: list[str]) -> list[str]:
    """:func:`normalise_name` of each name, vectorised for the (usual) ASCII ones.

    For ASCII text casefolding is lowercasing and ``[\\W_]`` is anything but
    ``[a-z0-9]`` once lowercased, so Arrow's kernels give the same result;
    other names go through :func:`normalise_name` one by one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not names:
        return []
    arr = pa.array(names, pa.string())
    cleaned = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(arr), r"[^a-z0-9]+", " "), " ")
    out: list[str] = cleaned.to_pylist()
    ascii_ = pc.string_is_ascii(arr).to_pylist()
    for i, ok in enumerate(ascii_):
        if not ok:
            out[i] = normalise_name(names[i])
    return out


def party_ids_keys(norms: list[str], countries: list[str | None],
                   con: duckdb.DuckDBPyConnection | None = None) -> tuple[list[str], list[int]]:
    """:func:`party_id` and :func:`party_key` of many normalised names with their countries, vectorised.

    The same SHA-1 of the same bytes as the one-at-a-time functions, computed
    in DuckDB; ``norms`` must be non-empty normalised names.
    """
    import duckdb
    import numpy as np
    import pyarrow as pa

    if not norms:
        return [], []
    own = con is None
    con = duckdb.connect(":memory:") if con is None else con
    try:
        con.register("names", pa.table({"n": pa.array(norms, pa.string()),
                                        "c": pa.array(countries, pa.string())}))
        table = con.execute(
            f"SELECT '{PREFIX}' || left(sha1(n || '|' || lower(coalesce(c, ''))), 20) AS pid FROM names"
        ).fetch_arrow_table()
        con.register("ids", table)
        keys = con.execute("SELECT CAST('0x' || left(sha1(pid), 16) AS UBIGINT) AS k FROM ids").fetch_arrow_table()
    finally:
        con.unregister("names")
        con.unregister("ids")
        if own:
            con.close()
    as_signed = keys.column(0).to_numpy().astype(np.uint64).view(np.int64)
    return table.column(0).to_pylist(), as_signed.tolist()
