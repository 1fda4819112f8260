"""The flow chart's value axis reads 1.2 M or 350 k, never matplotlib's "1e6" offset.

The chart behind ``GET /trade/charts/flows.svg`` (and the demo's flows.svg)
printed "0 1 2 … 8" with "1e6" in the corner: a reader had to do the sum.
Matplotlib writes each text of an SVG as a comment, which is what we read.
"""

from __future__ import annotations

import re
from pathlib import Path

from redthread.ingest import ingest
from redthread.store import open_store
from redthread.trade.charts import flow_chart, money_tick


def test_money_ticks() -> None:
    assert money_tick(0) == "0"
    assert money_tick(1_200_000) == "1.2 M"
    assert money_tick(350_000) == "350 k"
    assert money_tick(2.5e9) == "2.5 bn"


def test_flow_chart_axis_has_no_exponent(tmp_path: Path, fixtures: Path) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    ingest(st, [fixtures / "trade" / "records.csv"], "customs")
    out = flow_chart(st, tmp_path / "flows.svg")
    st.close()
    texts = re.findall(r"<!-- (.*?) -->", out.read_text(encoding="utf-8"))
    assert not any(re.fullmatch(r"1e[+-]?\d+", t) for t in texts), texts
    assert any(re.fullmatch(r"\d+(\.\d+)? [kM]", t) for t in texts), texts
