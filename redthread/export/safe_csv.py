"""CSV for people who open it in a spreadsheet: cells that would run as formulas are escaped.

Compliance users open exports and screening results in Excel or LibreOffice,
where a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``). Names and
quotes come from sanctions lists, registries and documents anyone can write,
so, as OWASP advises, such a cell gets a leading ``'``: the spreadsheet shows
the text and runs nothing. Numbers (``-0.5``, ``+7``) stay as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet cell a formula (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet (strings only change; plain numbers never)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose cells are passed through :func:`cell`."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(v) for v in row])
