"""Figures for dossiers, drawn server-side as plain SVG (no browser, no network).

:func:`network_svg` lays a party network out with networkx (seeded, so the
same graph always gives the same picture) and draws it; :func:`bar_svg`
draws horizontal bars. Sanctioned parties are red, parties blocked by
ownership orange; the centre party has a thick outline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar
from xml.sax.saxutils import escape

import networkx as nx

from redthread.report.network import Network

COLORS = {"Person": "#7a6bb0", "Address": "#9aa5b1"}
EDGE_COLORS = {"Ownership": "#2e86de", "Control": "#8e44ad", "EconomicActivity": "#27ae60", "Payment": "#27ae60"}


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def network_svg(net: Network, center: str | None = None, width: int = 900, height: int | None = None) -> str:
    """The network as a standalone SVG document (taller for bigger networks)."""
    height = height or (620 if len(net.nodes) <= 20 else 740)
    if not net.nodes:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60"><text x="10" y="30">No links.</text></svg>'
    pos = packed_layout(net)
    pad_x, pad_y = 110, 40
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def xy(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return (pad_x + (x - min(xs)) / span_x * (width - 2 * pad_x),
                pad_y + (y - min(ys)) / span_y * (height - 2 * pad_y - 20))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="20" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8896a5"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    # Labels never overlap: node labels are placed first (the centre first), each at the first
    # free spot around its node; an edge label is drawn only where it is free (the legend's
    # colours carry the link type anyway).
    boxes: list[Box] = [_node_box(*xy(n)) for n in net.nodes]
    order = sorted(net.nodes.values(), key=lambda n: (n.id != center, n.caption))
    node_labels: dict[str, tuple[float, float, str]] = {}
    for node in order:
        x, y = xy(node.id)
        text = _short(node.caption)
        spot = _free_spot(x, y, _text_width(text, 11), 13, boxes, width, height)
        if spot is None:
            text = _short(node.caption, 14)
            spot = _free_spot(x, y, _text_width(text, 11), 13, boxes, width, height)
        if spot is not None:
            node_labels[node.id] = (spot[0], spot[1], text)
            boxes.append(spot[2])
    for e in net.edges:
        (x1, y1), (x2, y2) = xy(e.source), xy(e.target)
        color = EDGE_COLORS.get(e.schema, "#a9b4c2")
        dash = ' stroke-dasharray="6 4"' if e.schema in ("EconomicActivity", "Payment") else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                     f'stroke-width="1.6"{dash} marker-end="url(#arrow)"/>')
        label = _short(e.label, 24)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - 3
        box = _text_box(mx, my, _text_width(label, 9), 11)
        if label and not any(_overlaps(box, b) for b in boxes):
            boxes.append(box)
            parts.append(f'<text x="{mx:.1f}" y="{my:.1f}" font-size="9" fill="#4a5561" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for node in net.nodes.values():
        x, y = xy(node.id)
        fill = "#c0392b" if node.sanctioned else "#e67e22" if node.blocked else COLORS.get(node.schema, "#6b7f99")
        stroke = "#1d232b" if node.id == center else "#ffffff"
        width_ = 3 if node.id == center else 1.5
        if node.schema == "Person":
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{fill}" stroke="{stroke}" stroke-width="{width_}"/>'
        else:
            shape = (f'<rect x="{x - 11:.1f}" y="{y - 11:.1f}" width="22" height="22" rx="4" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="{width_}"/>')
        weight = ' font-weight="bold"' if node.id == center else ""
        placed = node_labels.get(node.id)
        text = (f'<text x="{placed[0]:.1f}" y="{placed[1]:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#1d232b"{weight}>{escape(placed[2])}</text>') if placed else ""
        parts.append(f"<g><title>{escape(node.caption)} ({escape(node.schema)})</title>{shape}{text}</g>")
    legend = [("#c0392b", "sanctioned"), ("#e67e22", "blocked by ownership"), ("#6b7f99", "company"),
              ("#7a6bb0", "person")]
    lx = 10
    for color, label in legend:
        parts.append(f'<rect x="{lx}" y="{height - 18}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{lx + 14}" y="{height - 9}" font-size="10">{escape(label)}</text>')
        lx += 14 + len(label) * 6 + 18
    for schema, color in [("ownership", "#2e86de"), ("control", "#8e44ad"), ("trade / payment", "#27ae60")]:
        parts.append(f'<line x1="{lx}" y1="{height - 13}" x2="{lx + 18}" y2="{height - 13}" stroke="{color}" stroke-width="2"/>'
                     f'<text x="{lx + 22}" y="{height - 9}" font-size="10">{escape(schema)}</text>')
        lx += 22 + len(schema) * 6 + 18
    parts.append("</svg>")
    return "".join(parts)


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _text_width(text: str, size: float) -> float:
    """Rough width of a label: wide (CJK) characters count double."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in text) * size


def _text_box(x: float, baseline: float, w: float, h: float) -> Box:
    """The box of a centred label whose baseline is at ``baseline``."""
    return (x - w / 2, baseline - h + 2, x + w / 2, baseline + 3)


def _node_box(x: float, y: float) -> Box:
    return (x - 12, y - 12, x + 12, y + 12)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _free_spot(x: float, y: float, w: float, h: float, boxes: list[Box], width: float,
               height: float) -> tuple[float, float, Box] | None:
    """The first spot around a node (below, above, right, left, then further out) where a label fits."""
    for dy in (25, -17, 38, -30, 51, -43):
        for dx in (0.0, w / 2 + 16, -(w / 2 + 16)):
            bx, by = x + dx, y + dy
            box = _text_box(bx, by, w, h)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height - 22:
                continue
            if not any(_overlaps(box, b) for b in boxes):
                return bx, by, box
    return None


def packed_layout(net: Network) -> dict[str, tuple[float, float]]:
    """Positions: each connected group laid out on its own (seeded spring layout),
    groups packed in rows, largest first, each in a cell sized by its node count,
    so a few big clusters and many small ones all stay readable."""
    graph = nx.Graph()
    graph.add_nodes_from(net.nodes)
    graph.add_edges_from((e.source, e.target) for e in net.edges)
    groups = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    total = sum(math.sqrt(len(c)) for c in groups)
    row_width = max(total / max(1.0, math.sqrt(len(groups))), math.sqrt(len(groups[0])) if groups else 1.0)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for group in groups:
        size = math.sqrt(len(group))
        if x > 0 and x + size > row_width + 1e-9:
            x, y, row_height = 0.0, y + row_height, 0.0
        sub = graph.subgraph(group)
        if len(group) == 1:
            local = {group[0]: (0.0, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=7, k=1.8 / math.sqrt(len(group)), iterations=200)
            local = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
        lx = [p[0] for p in local.values()]
        ly = [p[1] for p in local.values()]
        sx, sy = (max(lx) - min(lx)) or 1.0, (max(ly) - min(ly)) or 1.0
        inner = size * 0.8
        for n, (px, py) in local.items():
            cx = (px - min(lx)) / sx * inner if len(group) > 1 else inner / 2
            cy = (py - min(ly)) / sy * inner if len(group) > 1 else inner / 2
            pos[n] = (x + size * 0.1 + cx, y + size * 0.1 + cy)
        x += size
        row_height = max(row_height, size)
    return pos


#: A row a chart draws: any record (a flow's ``SqlRow``, an analysis's TypedDict); ``label`` and
#: ``value`` read it, so the chart needs no shape of its own.
Row = TypeVar("Row")


def bar_svg(rows: Sequence[Row], label: Callable[[Row], str],
            value: Callable[[Row], float], width: int = 760, unit: str = "") -> str:
    """Horizontal bars, largest first as given."""
    data = [(label(r), float(value(r) or 0.0)) for r in rows]
    data = [d for d in data if d[1] > 0]
    if not data:
        return ""
    top = max(v for _, v in data)
    bar, left = 18, 280
    height = len(data) * (bar + 6) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif">']
    for i, (name, v) in enumerate(data):
        y = 5 + i * (bar + 6)
        w = max(1.0, (width - left - 90) * v / top)
        parts.append(f'<text x="{left - 6}" y="{y + 13}" font-size="11" text-anchor="end">{escape(_short(name, 40))}</text>'
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#2e86de"/>'
                     f'<text x="{left + w + 5:.1f}" y="{y + 13}" font-size="11">{escape(_fmt(v))}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fmt(v: float) -> str:
    if abs(v) >= 1e6:
        return f"{v / 1e6:.1f}M"
    if abs(v) >= 1e3:
        return f"{v / 1e3:.1f}k"
    return f"{v:g}"
