// Small SVG charts drawn from API rows: horizontal bars, a Sankey, a timeline.
import { svg } from "./dom.js";

const fmt = (v) => (Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : `${+v.toFixed(2)}`);

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

// events: [{date, label}] sorted; drawn on a horizontal axis by year.
export function timelineChart(events, { width = 900 } = {}) {
  const parsed = events.map((e) => ({ ...e, t: Date.parse(String(e.date).length === 4 ? `${e.date}-01-01` : String(e.date).length === 7 ? `${e.date}-01` : e.date) })).filter((e) => !isNaN(e.t));
  if (!parsed.length) return svg("svg", { width: 1, height: 1 });
  const t0 = Math.min(...parsed.map((e) => e.t)), t1 = Math.max(...parsed.map((e) => e.t));
  const span = Math.max(t1 - t0, 86400000 * 30), left = 40, right = width - 40;
  const x = (t) => left + ((t - t0) / span) * (right - left);
  const rows = parsed.map((e, i) => ({ ...e, y: 40 + (i % 6) * 22 }));
  const height = 40 + 6 * 22 + 20;
  const years = [];
  for (let y = new Date(t0).getUTCFullYear(); y <= new Date(t1).getUTCFullYear() + 1; y++) years.push(y);
  return svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "chart timeline", role: "img" },
    svg("line", { x1: left, x2: right, y1: 20, y2: 20, stroke: "#888" }),
    years.map((y) => { const t = Date.UTC(y, 0, 1); if (t < t0 - 1 || t > t0 + span) return null; return svg("g", {}, svg("line", { x1: x(t), x2: x(t), y1: 14, y2: 26, stroke: "#888" }), svg("text", { x: x(t) + 2, y: 12, "font-size": 10 }, y)); }),
    rows.map((e) => svg("g", {}, svg("line", { x1: x(e.t), x2: x(e.t), y1: 20, y2: e.y - 8, stroke: "#ccc" }),
      svg("circle", { cx: x(e.t), cy: e.y - 4, r: 4, fill: "#c0392b" }),
      svg("text", { x: x(e.t) + 7, y: e.y, "font-size": 11 }, `${e.date} ${e.label}`.slice(0, 70)))));
}
