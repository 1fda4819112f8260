"""A small list we wrote, in two versions, and a watchlist against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from redthread.case import Case as StoreCase
from redthread.monitor import MonitorDB
from redthread.store import open_store


def _sanction(eid: str, target: str, programs: list[str]) -> dict[str, Any]:
    return {"id": eid, "schema": "Sanction", "properties": {"entity": [target], "program": programs,
                                                          "authority": ["Office of Foreign Assets Control"]}}


def _own(eid: str, owner: str, asset: str, pct: str) -> dict[str, Any]:
    return {"id": eid, "schema": "Ownership", "properties": {"owner": [owner], "asset": [asset],
                                                            "percentage": [pct]}}


def list_v1() -> list[dict[str, Any]]:
    return [
        {"id": "t-vantorin", "schema": "Person", "properties": {"name": ["Oleg Vantorin"], "birthDate": ["1961-03-02"]}},
        _sanction("s-vantorin", "t-vantorin", ["UKRAINE-EO13661"]),
        {"id": "t-kestrel", "schema": "Company", "properties": {"name": ["Kestrel Marine Logistics LLC"]}},
        _sanction("s-kestrel", "t-kestrel", ["RUSSIA-EO14024"]),
        {"id": "t-halvorsk", "schema": "Person", "properties": {"name": ["Dmitri Halvorsk"]}},
        _sanction("s-halvorsk", "t-halvorsk", ["RUSSIA-EO14024"]),
        {"id": "t-solvetz", "schema": "Person", "properties": {"name": ["Irina Solvetz"]}},
        _sanction("s-solvetz", "t-solvetz", ["RUSSIA-EO14024"]),
        {"id": "t-brightwater", "schema": "Company", "properties": {"name": ["Brightwater Components Ltd"]}},
        _own("o-1", "t-halvorsk", "t-brightwater", "30"),
        _own("o-2", "t-solvetz", "t-brightwater", "10"),
    ]


def list_v2() -> list[dict[str, Any]]:
    out = [e for e in list_v1() if e["id"] not in ("t-kestrel", "s-kestrel", "o-2", "s-vantorin")]
    out.append(_sanction("s-vantorin", "t-vantorin", ["UKRAINE-EO13661", "RUSSIA-EO14024"]))
    out.append(_own("o-2", "t-solvetz", "t-brightwater", "25"))
    out.append({"id": "t-northgate", "schema": "Company", "properties": {"name": ["Northgate Avionics JSC"]}})
    out.append(_sanction("s-northgate", "t-northgate", ["RUSSIA-EO14024"]))
    return out


WATCHLIST = (
    "id,name,schema,country\n"
    "c1,Oleg Vantorin,Person,\n"
    "c2,Kestrel Marine Logistics,Company,\n"
    "c3,Brightwater Components,Company,\n"
    "c4,Northgate Avionics,Company,\n"
    "c5,Acme Bakery,Company,\n"
)


def write_jsonl(path: Path, entities: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


class Case:
    def __init__(self, tmp: Path, url: str | None = None) -> None:
        self.tmp = tmp
        self.url = url or f"sqlite:///{tmp / 'store.db'}"
        self.store = open_store(self.url)
        self.db = MonitorDB(self.store)
        self.v1 = write_jsonl(tmp / "v1.ftm.json", list_v1())
        self.v2 = write_jsonl(tmp / "v2.ftm.json", list_v2())
        self.watchlist = tmp / "wl.csv"
        self.watchlist.write_text(WATCHLIST, encoding="utf-8")

    def load(self, path: Path) -> None:
        """A load through the case: the monitor's after-load step follows it, as in the CLI and API."""
        StoreCase(self.store).load([path], "lists", "ftm", source="list.json")


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """The case on SQLite (CLI and API tests)."""
    c = Case(tmp_path)
    yield c
    c.store.close()


@pytest.fixture
def any_case(tmp_path: Path, store_url: str) -> Iterator[Case]:
    """The case on each backend (SQLite, PostgreSQL)."""
    c = Case(tmp_path, store_url)
    yield c
    c.store.close()
