"""The dossier's network figure: labels never overlap, however dense the network."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from redthread.report.figure import _overlaps, _text_box, _text_width, network_svg
from redthread.report.network import Edge, Network, Node


def dense() -> Network:
    net = Network()
    net.nodes["hub"] = Node("hub", "Company", "Northwind Component Holding Group", ["x"])
    for i in range(24):
        nid = f"n{i}"
        net.nodes[nid] = Node(nid, "Person" if i % 3 else "Company", f"Supplier Number {i} Trading Company", ["x"])
        net.edges.append(Edge(f"e{i}", nid, "hub", "Ownership", "owner of", ["x"]))
        if i:
            net.edges.append(Edge(f"t{i}", nid, f"n{i - 1}", "EconomicActivity", "shipped goods to", ["x"]))
    return net


def label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    root = ElementTree.fromstring(svg)
    out = []
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        y = float(el.get("y", 0))
        if y > float(root.get("height", 0)) - 22:
            continue  # the legend row
        size = float(el.get("font-size", 11))
        out.append(_text_box(float(el.get("x", 0)), y, _text_width(el.text or "", size), size + 2))
    return out


def test_labels_do_not_overlap() -> None:
    svg = network_svg(dense(), center="hub")
    boxes = label_boxes(svg)
    assert len(boxes) >= 20  # most parties keep a label
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlaps(a, b), (a, b)
    assert "Northwind Component Holding" in svg  # the centre is always labelled
    assert re.search(r'font-family="[^"]*Noto Sans CJK', svg)  # Chinese names print in the figure too
