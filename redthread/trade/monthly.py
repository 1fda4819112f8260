"""Value and records per party and month: what ``party_months`` holds.

Months are numbered ``year * 12 + month - 1``. Sums are added up as a
file's chunks come, in a dense parties x months table per role (each role
numbers its own parties), or by sorting when that table would pass
:data:`MONTH_CELLS` (absurd date ranges).
"""

from __future__ import annotations

import numpy as np

from redthread.trade import coded

#: Cells (parties x months) of a role's dense monthly sums before they fall back to sorting.
MONTH_CELLS = 1 << 24
#: Month number of 1970-01, where NumPy's months start.
EPOCH_MONTH = 1970 * 12


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_of_days(days: np.ndarray) -> np.ndarray:
    """Month index (``year * 12 + month - 1``) of days since 1970 (a table over their range when it is short)."""
    if not len(days):
        return days
    lo, hi = int(days.min()), int(days.max())
    if hi - lo < len(days) // 4:
        table_ = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        out: np.ndarray = table_[days - lo] + EPOCH_MONTH
        return out
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + EPOCH_MONTH


class MonthSums:
    """Value and records per (party, month), summed as chunks come.

    A dense table (parties x months, grown as needed) while it stays under
    :data:`MONTH_CELLS`; past that (absurd date ranges), rows are kept and
    summed by sorting at the end.
    """

    def __init__(self) -> None:
        self.base = 0
        self.width = 0
        self.cells = np.zeros((0, 0), dtype=np.complex128)  # value + records * 1j per (party, month)
        self.rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = None
        self.local = np.zeros(0, dtype=np.int64)  # file party -> row of this table (-1 if none)
        self.parties = np.zeros(0, dtype=np.int64)  # row of this table -> file party

    def add(self, party: np.ndarray, month: np.ndarray, value: np.ndarray) -> None:
        if not len(party):
            return
        party = self._local(party)
        if self.rows is None:
            lo = min(int(month.min()), self.base if self.width else int(month.min()))
            hi = max(int(month.max()), self.base + self.width - 1 if self.width else int(month.max()))
            parties = max(int(party.max()) + 1, self.cells.shape[0])
            if parties * (hi - lo + 1) <= MONTH_CELLS:
                self._fit(parties, lo, hi)
                code = party * self.width + (month - self.base)
                # One scattered add per row: the value as the real part, one record as the imaginary.
                np.add.at(self.cells.reshape(-1), code, value + 1j)
                return
            self.rows = [self._dense_rows()]
        self.rows.append((party, month, value, np.ones(len(party), dtype=np.int64)))

    def _local(self, party: np.ndarray) -> np.ndarray:
        """The role's own dense numbering of parties (a role sees only some of the file's parties)."""
        top = int(party.max()) + 1
        if top > len(self.local):
            self.local = coded.grow(self.local, top - len(self.local), -1)
        seen = np.bincount(party, minlength=top) > 0
        new = np.flatnonzero(seen & (self.local[:top] < 0))
        if new.size:
            self.local[new] = len(self.parties) + np.arange(new.size)
            self.parties = np.concatenate([self.parties, new])
        out: np.ndarray = self.local[party]
        return out

    def _fit(self, parties: int, lo: int, hi: int) -> None:
        """Grow the table to hold ``parties`` rows and months ``lo..hi`` (with room to spare)."""
        rows = self.cells.shape[0]
        if parties <= rows and self.width and lo >= self.base and hi < self.base + self.width:
            return
        cap = max(parties, rows * 2 if parties > rows else rows)
        base = min(lo, self.base) if self.width else lo
        top = max(hi, self.base + self.width - 1) if self.width else hi
        width = top - base + 1
        if cap * width > MONTH_CELLS:
            cap = parties
        cells = np.zeros((cap, width), dtype=np.complex128)
        if self.width:
            off = self.base - base
            cells[:rows, off: off + self.width] = self.cells
        self.cells, self.base, self.width = cells, base, width

    def _dense_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(table row, month, value, records) of the dense table's filled cells."""
        flat = self.cells[: len(self.parties)].reshape(-1)  # rows past the role's parties are room to grow
        filled = np.flatnonzero(flat.imag)
        cells = flat[filled]
        return filled // self.width, filled % self.width + self.base, cells.real.copy(), cells.imag.astype(np.int64)

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(party, month, value, records) per pair that has records."""
        if self.rows is None:
            party, month, value, records = self._dense_rows()
            return self.parties[party], month, value, records
        party = np.concatenate([r[0] for r in self.rows]).astype(np.int64)
        month = np.concatenate([r[1] for r in self.rows]).astype(np.int64)
        value = np.concatenate([r[2] for r in self.rows])
        records = np.concatenate([r[3] for r in self.rows])
        unique, inverse = np.unique(np.stack([party, month], axis=1), axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        sums = np.bincount(inverse, weights=value, minlength=len(unique))
        counts = np.bincount(inverse, weights=records, minlength=len(unique)).astype(np.int64)
        return self.parties[unique[:, 0]], unique[:, 1], sums, counts
