"""Charts of trade flows, written as SVG or PNG (by the file's extension).

- :func:`flow_chart`: monthly value, stacked by a dimension (CHPL tier by
  default, or the top suppliers/buyers).
- :func:`sankey`: supplier -> intermediary -> buyer bands, from re-export
  chains (:func:`redthread.trade.patterns.reexport_chains`) or any rows with
  those three keys and a value.

Both return the path written; the web and report code call them directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from redthread.errors import RedthreadError
from redthread.store import Store
from redthread.trade.engine import SqlRow, TradeEngine
from redthread.trade.flows import flows

FORMATS = (".svg", ".png", ".pdf")


def _figure_module() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RedthreadError("charts need matplotlib: pip install 'redthread[report]'") from exc
    return plt


def _check(path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise RedthreadError(f"chart file must end in {', '.join(FORMATS)}: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def money_tick(value: float, _pos: object = None) -> str:
    """An axis number a reader takes in at a glance: 1.2 M, 350 k, 0 — never matplotlib's "1e6" offset."""
    for size, unit in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:.0f}"


def _label(row: SqlRow, key: str) -> str:
    value = row.get(f"{key}_name", row.get(key))
    return "not on CHPL" if value is None and key == "chpl_tier" else str(value)


def flow_chart(
    store_or_engine: Store | TradeEngine,
    path: Path | str,
    *,
    split: str = "chpl_tier",
    top: int = 6,
    chpl_only: bool = False,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    title: str = "Trade flows by month (USD)",
) -> Path:
    """Monthly value stacked by ``split`` (its ``top`` largest, the rest as "other")."""
    out = _check(Path(path))
    rows = flows(store_or_engine, ["month", split], chpl_only=chpl_only, date_from=date_from, date_to=date_to)
    if not rows:
        raise RedthreadError("no trade records to chart (load customs records first)")
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[_label(r, split)] += r["value_usd"] or 0.0
    keep = [k for k, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    months = sorted({r["month"] for r in rows})
    series: dict[str, list[float]] = {k: [0.0] * len(months) for k in keep}
    other = [0.0] * len(months)
    index = {m: i for i, m in enumerate(months)}
    for r in rows:
        label = _label(r, split)
        target = series[label] if label in series else other
        target[index[r["month"]]] += r["value_usd"] or 0.0
    if any(other):
        series["other"] = other
    plt = _figure_module()
    fig, ax = plt.subplots(figsize=(10, 4.8))
    bottom = [0.0] * len(months)
    for label, values in series.items():
        ax.bar(months, values, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title)
    ax.set_ylabel("USD")
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(money_tick))
    ax.legend(title=split, fontsize=8, loc="upper left")
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def sankey_links(rows: Iterable[SqlRow]) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """(supplier -> intermediary, intermediary -> buyer) values from chain rows."""
    left: dict[tuple[str, str], float] = defaultdict(float)
    right: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        s, m, b = _label(r, "supplier"), _label(r, "intermediary"), _label(r, "buyer")
        left[(s, m)] += float(r.get("in_usd", r.get("value_usd")) or 0.0)
        right[(m, b)] += float(r.get("out_usd", r.get("value_usd")) or 0.0)
    return dict(left), dict(right)


def _column(values: dict[str, float], x: float, scale: float, gap: float) -> dict[str, list[float]]:
    """Node name -> [x, y_bottom, height, next free y for bands out, next free y for bands in]."""
    out: dict[str, list[float]] = {}
    y = 0.0
    for name, value in sorted(values.items(), key=lambda kv: -kv[1]):
        h = value * scale
        out[name] = [x, y, h, y, y]
        y += h + gap
    return out


def sankey(
    rows: Sequence[SqlRow],
    path: Path | str,
    *,
    title: str = "Supplier \u2192 intermediary \u2192 buyer (USD)",
) -> Path:
    """A three-column Sankey of chain rows (``supplier``, ``intermediary``, ``buyer``, values)."""
    out = _check(Path(path))
    if not rows:
        raise RedthreadError("no chains to draw: nothing matched (try a larger --days)")
    left, right = sankey_links(rows)
    sup: dict[str, float] = defaultdict(float)
    mid_in: dict[str, float] = defaultdict(float)
    mid_out: dict[str, float] = defaultdict(float)
    buy: dict[str, float] = defaultdict(float)
    for (s, m), v in left.items():
        sup[s] += v
        mid_in[m] += v
    for (m, b), v in right.items():
        mid_out[m] += v
        buy[b] += v
    mid = {m: max(mid_in.get(m, 0.0), mid_out.get(m, 0.0)) for m in set(mid_in) | set(mid_out)}
    total = max(sum(sup.values()), sum(mid.values()), sum(buy.values())) or 1.0
    n = max(len(sup), len(mid), len(buy))
    gap = 0.04
    scale = (1.0 - gap * max(n - 1, 0)) / total
    cols = [_column(sup, 0.0, scale, gap), _column(mid, 1.0, scale, gap), _column(buy, 2.0, scale, gap)]

    plt = _figure_module()
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    fig, ax = plt.subplots(figsize=(11, max(4.0, 0.5 * n + 2)))
    width = 0.06
    colours = plt.get_cmap("tab20")

    def band(a: list[float], b: list[float], value: float, colour: Any) -> None:
        h = value * scale
        x0, x1 = a[0] + width, b[0]
        y0, y1 = a[3], b[4]
        a[3] += h
        b[4] += h
        xm = (x0 + x1) / 2
        verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + h), (xm, y1 + h), (xm, y0 + h), (x0, y0 + h),
                 (x0, y0)]
        codes = [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4, MPath.LINETO, MPath.CURVE4,
                 MPath.CURVE4, MPath.CURVE4, MPath.CLOSEPOLY]
        ax.add_patch(PathPatch(MPath(verts, codes), facecolor=colour, alpha=0.45, lw=0))

    for i, ((s, m), v) in enumerate(sorted(left.items(), key=lambda kv: -kv[1])):
        band(cols[0][s], cols[1][m], v, colours(i % 20))
    for i, ((m, b), v) in enumerate(sorted(right.items(), key=lambda kv: -kv[1])):
        band(cols[1][m], cols[2][b], v, colours((i + 7) % 20))
    for c, col in enumerate(cols):
        values = (sup, mid, buy)[c]
        for name, (x, y, h, _, _) in col.items():
            ax.add_patch(Rectangle((x, y), width, max(h, 0.002), color="#333333"))
            ha, tx = ("right", x - 0.02) if c == 0 else ("left", x + width + 0.02)
            ax.text(tx, y + h / 2, f"{name}\n{values[name]:,.0f}", va="center", ha=ha, fontsize=7)
    for x, head in ((0.0, "suppliers"), (1.0, "intermediaries"), (2.0, "buyers")):
        ax.text(x + width / 2, 1.03, head, ha="center", fontsize=9, weight="bold")
    ax.set_xlim(-0.9, 2.9)
    ax.set_ylim(-0.02, 1.08)
    ax.axis("off")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
