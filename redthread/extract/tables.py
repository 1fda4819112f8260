"""Shipment tables in documents: each row with a sender and a receiver is a supply.

NGO reports and customs summaries list flows as tables ("| Date | Exporter |
Importer | Goods | Value (USD) |"), which sentence rules never read. A table
is a run of lines split by ``|`` or tabs; its first row is the header, and
the lexicon's ``table_columns`` say which header words name the sender, the
receiver, the goods, the value and the date. Each later row whose sender
and receiver cells hold party mentions becomes an ``EconomicActivity`` with
the row as its evidence. A header without both a sender and a receiver
column makes no relations: the table is about something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from redthread.extract.lexicon import lexicon
from redthread.extract.mentions import Mention
from redthread.extract.normalize import DATE_RE, MONEY_RE, money_from_match, period_from_match
from redthread.extract.relations import Relation

_RULE = re.compile(r"^[\s|:+-]+$")  # a markdown separator row "|---|---|"


def _cells(line: str, start: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a table line; empty edge cells dropped."""
    sep = "|" if line.count("|") >= 2 else "\t"
    out = []
    pos = 0
    for part in line.split(sep):
        a = pos + (len(part) - len(part.lstrip()))
        b = pos + len(part.rstrip())
        out.append((start + a, start + max(a, b), part.strip()))
        pos += len(part) + 1
    if out and not out[0][2]:
        out = out[1:]
    if out and not out[-1][2]:
        out = out[:-1]
    return out


def _is_row(line: str) -> bool:
    return line.count("|") >= 2 or line.count("\t") >= 2


@cache
def _columns() -> dict[str, re.Pattern[str]]:
    cols = lexicon().data["table_columns"]
    return {role: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
            for role, words in cols.items()}


def _roles(header: list[tuple[int, int, str]]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for role, pattern in _columns().items():
        for i, (_, _, cell) in enumerate(header):
            if pattern.search(cell) and i not in roles.values():
                roles[role] = i
                break
    return roles


def find_table_flows(text: str, mentions: list[Mention]) -> Iterator[Relation]:
    """Supplies stated by the rows of shipment tables in ``text``."""
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        lines.append((pos, raw.rstrip("\r\n")))
        pos += len(raw)
    i = 0
    while i < len(lines):
        if not _is_row(lines[i][1]):
            i += 1
            continue
        block = []
        while i < len(lines) and (_is_row(lines[i][1]) or _RULE.match(lines[i][1] or "x")):
            if not _RULE.match(lines[i][1] or "x"):
                block.append(lines[i])
            i += 1
        if len(block) < 2:
            continue
        header = _cells(block[0][1], block[0][0])
        roles = _roles(header)
        if "sender" not in roles or "receiver" not in roles:
            continue
        hint = re.search(r"\b(USD|EUR|RUB|CNY|GBP|AED|HKD)\b", header[roles["value"]][2]) if "value" in roles else None
        currency_hint = hint.group(1) if hint else None
        for start, line in block[1:]:
            cells = _cells(line, start)
            if len(cells) != len(header):
                continue
            rel = _row(text, cells, roles, mentions, (start, start + len(line)), currency_hint)
            if rel is not None:
                yield rel


def _party_in(cell: tuple[int, int, str], mentions: list[Mention]) -> Mention | None:
    a, b, _ = cell
    inside = [m for m in mentions if a <= m.start and m.end <= b and m.party >= 0]
    return inside[0] if inside else None


def _row(text: str, cells: list[tuple[int, int, str]], roles: dict[str, int], mentions: list[Mention],
         span: tuple[int, int], currency_hint: str | None) -> Relation | None:
    sender = _party_in(cells[roles["sender"]], mentions)
    receiver = _party_in(cells[roles["receiver"]], mentions)
    if sender is None or receiver is None or sender.party == receiver.party:
        return None
    rel = Relation("EconomicActivity", sender, receiver, span, "table-row")
    if "goods" in roles:
        rel.add("goodsDescription", cells[roles["goods"]][2])
    if "value" in roles:
        value = cells[roles["value"]][2]
        m = MONEY_RE.search(value)
        money = money_from_match(m) if m else None
        if money is not None:
            rel.add("customsAmount", money.value)
            rel.add("description", f"currency: {money.currency}")
        elif re.fullmatch(r"[\d,. ]+", value) and currency_hint:
            rel.add("customsAmount", re.sub(r"[, ]", "", value))
            rel.add("description", f"currency: {currency_hint}")
    if "date" in roles:
        cell = cells[roles["date"]][2]
        d = None if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", cell) else DATE_RE.search(cell)
        period = period_from_match(d) if d else None
        if period is not None:
            rel.add("startDate", period.start)
            rel.add("endDate", period.end)
        elif d is None and re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", cell):
            rel.add("startDate", cell)  # ISO month or day as written
    return rel
