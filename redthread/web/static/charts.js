// Small SVG charts drawn from API rows: horizontal bars, a Sankey, a timeline.
import { svg } from "./dom.js";

const fmt = (v) => (Math.abs(v) >= 1e9 ? `${(v / 1e9).toFixed(1)} bn` : Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : `${+v.toFixed(2)}`);

export function barChart(rows, { label, value, width = 1000, bar = 22 } = {}) {
  const data = rows.map((r) => ({ l: String(label(r)), v: Number(value(r)) || 0 })).filter((d) => d.v > 0);
  const max = Math.max(1, ...data.map((d) => d.v));
  const left = 430, h = data.length * (bar + 6) + 10;
  return svg("svg", { width, height: h, viewBox: `0 0 ${width} ${h}`, class: "chart", role: "img" },
    data.map((d, i) => {
      const y = 5 + i * (bar + 6), w = ((width - left - 80) * d.v) / max;
      return svg("g", {},
        svg("text", { x: left - 8, y: y + bar * 0.7, "text-anchor": "end", "font-size": 12 }, d.l.length > 58 ? d.l.slice(0, 57) + "…" : d.l),
        svg("rect", { x: left, y, width: Math.max(1, w), height: bar, fill: "#2e86de", rx: 2 }),
        svg("text", { x: left + w + 6, y: y + bar * 0.7, "font-size": 12 }, fmt(d.v)));
    }));
}

// links: [{source, target, value}] (names). Columns come from the link direction.
export function sankey(links, { width = 1100, height = 520 } = {}) {
  const data = links.filter((l) => l.value > 0 && l.source !== l.target);
  const nodes = new Map();
  const node = (name) => { if (!nodes.has(name)) nodes.set(name, { name, col: 0, in: 0, out: 0 }); return nodes.get(name); };
  for (const l of data) { node(l.source).out += l.value; node(l.target).in += l.value; }
  // Longest-path columns (cycles are cut after a few passes).
  for (let pass = 0; pass < 6; pass++) for (const l of data) { const s = nodes.get(l.source), t = nodes.get(l.target); if (t.col <= s.col) t.col = Math.min(s.col + 1, 5); }
  const cols = Math.max(...[...nodes.values()].map((n) => n.col), 0) + 1;
  const byCol = Array.from({ length: cols }, () => []);
  for (const n of nodes.values()) byCol[n.col].push(n);
  const pad = 8, nodeW = 14, colGap = (width - 520) / Math.max(1, cols - 1);
  const total = Math.max(...byCol.map((c) => c.reduce((s, n) => s + Math.max(n.in, n.out), 0)), 1);
  const scale = (height - pad * (Math.max(...byCol.map((c) => c.length)) + 1)) / total;
  byCol.forEach((col, ci) => {
    let y = pad;
    col.sort((a, b) => Math.max(b.in, b.out) - Math.max(a.in, a.out));
    for (const n of col) { n.x = 250 + ci * colGap; n.y = y; n.h = Math.max(2, Math.max(n.in, n.out) * scale); n.oy = n.y; n.iy = n.y; y += n.h + pad; }
  });
  const paths = data.map((l) => {
    const s = nodes.get(l.source), t = nodes.get(l.target), w = Math.max(1, l.value * scale);
    const x0 = s.x + nodeW, x1 = t.x, y0 = s.oy + w / 2, y1 = t.iy + w / 2; s.oy += w; t.iy += w;
    const xm = (x0 + x1) / 2;
    return svg("path", { d: `M${x0},${y0} C${xm},${y0} ${xm},${y1} ${x1},${y1}`, fill: "none", stroke: "#27ae60", "stroke-opacity": 0.35, "stroke-width": w },
      svg("title", {}, `${l.source} → ${l.target}: ${fmt(l.value)}`));
  });
  const rects = [...nodes.values()].map((n) => svg("g", {},
    svg("rect", { x: n.x, y: n.y, width: nodeW, height: n.h, fill: "#1e5f3a" }),
    svg("text", { x: n.col === 0 ? n.x - 4 : n.x + nodeW + 4, y: n.y + n.h / 2 + 4, "font-size": 11, "text-anchor": n.col === 0 ? "end" : "start" }, n.name.trim().slice(0, 36))));
  return svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart sankey", role: "img" }, paths, rects);
}

// events: [{date, label}] sorted; drawn on a horizontal axis. Labels go into the first
// row where they fit; events that fit nowhere keep their dot and a tooltip.
export function timelineChart(events, { width = 1100, maxRows = 12 } = {}) {
  const norm = (d) => { const t = String(d); return t.length === 4 ? `${t}-01-01` : t.length === 7 ? `${t}-01` : t; };
  const parsed = events.map((e) => ({ ...e, t: Date.parse(norm(e.date)) })).filter((e) => !isNaN(e.t)).sort((a, b) => a.t - b.t);
  if (!parsed.length) return svg("svg", { width: 1, height: 1 });
  const t0 = parsed[0].t, t1 = parsed[parsed.length - 1].t;
  const span = Math.max(t1 - t0, 86400000 * 30), left = 30, right = width - 30;
  const x = (t) => left + ((t - t0) / span) * (right - left);
  const taken = Array.from({ length: maxRows }, () => []);
  const placed = parsed.map((e) => {
    const text = `${e.date} ${e.label}`.slice(0, 48);
    const px = x(e.t), w = text.length * 6.2 + 14;
    const flip = px + w > width; // near the right edge the label goes to the left of its dot
    const [lo, hi] = flip ? [px - w, px + 4] : [px - 4, px + w];
    const row = taken.findIndex((spans) => spans.every(([a, b]) => hi < a || lo > b));
    if (row >= 0) taken[row].push([lo, hi]);
    return { ...e, px, text, row, flip };
  });
  const rows = Math.max(1, ...placed.map((e) => e.row + 1));
  const height = 40 + rows * 20 + 10;
  const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear() + 1;
  const step = Math.max(1, Math.ceil((y1 - y0) / 12));
  const ticks = [];
  for (let y = y0; y <= y1; y += step) { const t = Date.UTC(y, 0, 1); if (t >= t0 && t <= t0 + span) ticks.push([y, t]); }
  return svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart timeline", role: "img" },
    svg("line", { x1: left, x2: right, y1: 24, y2: 24, stroke: "#888" }),
    ticks.map(([y, t]) => svg("g", {}, svg("line", { x1: x(t), x2: x(t), y1: 18, y2: 30, stroke: "#888" }), svg("text", { x: x(t) + 2, y: 14, "font-size": 10 }, y))),
    placed.map((e) => (e.row < 0
      ? svg("circle", { cx: e.px, cy: 24, r: 3, fill: "#c0392b" }, svg("title", {}, e.text))
      : svg("g", {}, svg("line", { x1: e.px, x2: e.px, y1: 24, y2: 40 + e.row * 20 - 4, stroke: "#ccc" }),
        svg("circle", { cx: e.px, cy: 40 + e.row * 20 - 4, r: 4, fill: "#c0392b" }, svg("title", {}, `${e.date} ${e.label}`)),
        svg("text", { x: e.flip ? e.px - 7 : e.px + 7, y: 40 + e.row * 20, "font-size": 11, "text-anchor": e.flip ? "end" : "start" }, e.text)))));
}
