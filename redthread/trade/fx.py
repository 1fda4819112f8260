"""Dated exchange rates: value in a currency on a date -> US dollars.

The table shipped in ``redthread/data/fx_usd.csv`` holds approximate
monthly averages (units of currency per dollar) at anchor months; months in
between are interpolated linearly, months after the last anchor carry it
forward and months before the first use the first. See that file's header
and docs/trade.md for sources and precision.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from importlib import resources

#: Months the expanded table covers (inclusive).
FIRST_MONTH = (2018, 1)
LAST_MONTH = (2027, 12)


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@lru_cache(maxsize=1)
def anchors() -> dict[str, list[tuple[int, float]]]:
    """Currency -> sorted (month index, units per USD) anchors from the data file."""
    path = resources.files("redthread.data").joinpath("fx_usd.csv")
    out: dict[str, list[tuple[int, float]]] = {}
    with path.open("r", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            year, month = (int(p) for p in row["month"].split("-"))
            out.setdefault(row["currency"].upper(), []).append(
                (_month_index(year, month), float(row["units_per_usd"]))
            )
    for points in out.values():
        points.sort()
    return out


def currencies() -> list[str]:
    """ISO codes the rate table knows."""
    return sorted(anchors())


def _interpolate(points: list[tuple[int, float]], index: int) -> float:
    if index <= points[0][0]:
        return points[0][1]
    for (i0, r0), (i1, r1) in zip(points, points[1:], strict=False):
        if i0 <= index <= i1:
            return r0 + (r1 - r0) * (index - i0) / (i1 - i0)
    return points[-1][1]


@lru_cache(maxsize=1)
def monthly_table() -> list[tuple[str, str, float]]:
    """(currency, ``YYYY-MM``, units per USD) for every month in range."""
    rows: list[tuple[str, str, float]] = []
    lo, hi = _month_index(*FIRST_MONTH), _month_index(*LAST_MONTH)
    for cur, points in sorted(anchors().items()):
        for idx in range(lo, hi + 1):
            rows.append((cur, _month_label(idx), round(_interpolate(points, idx), 6)))
    return rows


def rate(currency: str, when: date) -> float | None:
    """Units of ``currency`` per US dollar in the month of ``when``; None if unknown."""
    points = anchors().get(currency.strip().upper())
    if not points:
        return None
    return _interpolate(points, _month_index(when.year, when.month))


def to_usd(value: float, currency: str, when: date) -> float | None:
    """``value`` in ``currency`` converted at the month's rate; None if unknown."""
    r = rate(currency, when)
    return None if r is None or r == 0 else value / r


def first_month() -> str:
    """``YYYY-MM`` of the first month of the expanded table."""
    return _month_label(_month_index(*FIRST_MONTH))


def last_month() -> str:
    """``YYYY-MM`` of the last month of the expanded table."""
    return _month_label(_month_index(*LAST_MONTH))
