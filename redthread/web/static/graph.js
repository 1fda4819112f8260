// The interactive network: Cytoscape.js over /network/{id} and /network/path.
import { api, discover, firstOf } from "./api.js";
import { h, download, entityLink, errorBox } from "./dom.js";
import { attachSuggest } from "./suggest.js";

const STYLE = [
  { selector: "node", style: {
      "label": "data(label)", "font-size": (ele) => Math.min(11 / ele.cy().zoom(), 40), "text-wrap": "wrap", "text-max-width": 120,
      "text-valign": "bottom", "text-margin-y": 4, "background-color": "#6b7f99", "width": 26, "height": 26,
      "border-width": 2, "border-color": "#fff", "color": "#1d232b" } },
  { selector: "node[schema = 'Person']", style: { "shape": "ellipse", "background-color": "#7a6bb0" } },
  { selector: "node[schema = 'Company'], node[schema = 'Organization'], node[schema = 'LegalEntity']", style: { "shape": "round-rectangle" } },
  { selector: "node[schema = 'Address']", style: { "shape": "diamond", "background-color": "#9aa5b1" } },
  { selector: "node.sanctioned", style: { "background-color": "#c0392b", "border-color": "#7b1d14", "border-width": 4 } },
  { selector: "node.blocked", style: { "background-color": "#e67e22", "border-color": "#a04000", "border-width": 4, "border-style": "dashed" } },
  { selector: "node.center", style: { "width": 36, "height": 36, "font-weight": "bold" } },
  { selector: "edge", style: {
      "label": "data(label)", "font-size": (ele) => Math.min(9 / ele.cy().zoom(), 30), "curve-style": "bezier", "target-arrow-shape": "triangle",
      "width": 1.6, "line-color": "#a9b4c2", "target-arrow-color": "#a9b4c2", "text-rotation": "autorotate",
      "text-background-color": "#fff", "text-background-opacity": 0.8, "color": "#4a5561" } },
  { selector: "edge[schema = 'Ownership']", style: { "line-color": "#2e86de", "target-arrow-color": "#2e86de" } },
  { selector: "edge[schema = 'Control']", style: { "line-color": "#8e44ad", "target-arrow-color": "#8e44ad" } },
  { selector: "edge[schema = 'EconomicActivity'], edge[schema = 'Payment']", style: { "line-color": "#27ae60", "target-arrow-color": "#27ae60", "line-style": "dashed" } },
  { selector: "edge[schema = 'Customs records']", style: { "line-color": "#1e8449", "target-arrow-color": "#1e8449", "width": 3 } },
  { selector: "node.path", style: { "border-color": "#f1c40f", "border-width": 6 } },
  { selector: "edge.path", style: { "line-color": "#f1c40f", "target-arrow-color": "#f1c40f", "width": 5, "z-index": 10 } },
  { selector: ".faded", style: { "opacity": 0.25 } },
  { selector: ".hidden", style: { "display": "none" } },
  { selector: ":selected", style: { "overlay-color": "#f1c40f", "overlay-opacity": 0.25 } },
];

function nodeData(n) {
  const classes = [];
  if (n.sanctioned && n.sanctioned.length) classes.push("sanctioned");
  if (n.blocked) classes.push("blocked");
  return { group: "nodes", data: { id: n.id, label: n.caption, schema: n.schema, datasets: n.datasets, raw: n }, classes: classes.join(" ") };
}

// Links of one type between the same two parties (one per source) are drawn as one edge
// ("Control ×4"); the side panel lists each of them.
const edgeKey = (e) => `e:${e.source}:${e.target}:${e.schema}`;

function edgeData(e) {
  return { group: "edges", data: { id: edgeKey(e), source: e.source, target: e.target, label: e.label, schema: e.schema, datasets: e.datasets, raw: e, links: [e] } };
}

// One line per authority and programme, with the earliest date and how many records say so.
function sanctionLines(list) {
  const groups = new Map();
  for (const s of list || []) {
    const key = `${s.authority || "?"} ${s.program || ""}`.trim();
    const g = groups.get(key) || { dates: [], n: 0 };
    g.n += 1; if (s.startDate) g.dates.push(s.startDate);
    groups.set(key, g);
  }
  return [...groups].map(([key, g]) => `Sanctioned: ${key}${g.dates.length ? ` since ${g.dates.sort()[0]}` : ""}${g.n > 1 ? ` (${g.n} records)` : ""}`);
}

export async function graphPage(main, entityId) {
  if (typeof cytoscape === "undefined") {
    main.replaceChildren(errorBox("Cytoscape.js is not installed: run scripts/setup.sh (npm install in redthread/web)."));
    return;
  }
  const info = h("div", { class: "graph-info" }, h("p", { class: "muted" }, "Click a party for details; double-click to expand its neighbours."));
  const typeBox = h("div", { class: "filters", id: "type-filters" });
  const dsBox = h("div", { class: "filters", id: "dataset-filters" });
  const pathInput = h("input", { id: "path-to", type: "search", placeholder: "Path to… (name)", autocomplete: "off" });
  const pathStatus = h("div", { id: "path-status", class: "muted" });
  const canvas = h("div", { id: "cy", class: "cy" });
  const side = h("aside", { class: "graph-side" },
    h("h3", {}, "Path"), h("div", { class: "search-box" }, pathInput, h("ul", { class: "suggest", hidden: true })), pathStatus,
    h("h3", {}, "Link types"), typeBox, h("h3", {}, "Datasets"), dsBox,
    h("h3", {}, "Legend"), h("ul", { class: "legend" },
      h("li", {}, h("span", { class: "swatch sanctioned" }), "sanctioned"),
      h("li", {}, h("span", { class: "swatch blocked" }), "blocked by ownership (derived)"),
      h("li", {}, h("span", { class: "swatch path" }), "path")),
    h("h3", {}, "Export"),
    h("button", { id: "export-png", onclick: () => download(`network-${entityId}.png`, cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" })) }, "PNG"), " ",
    h("button", { id: "export-svg", onclick: () => download(`network-${entityId}.svg`, cy.svg({ full: true, bg: "#ffffff" }), "image/svg+xml") }, "SVG"),
    h("h3", {}, "Selected"), info);
  main.replaceChildren(h("div", { class: "graph-page" }, h("div", { class: "graph-head" },
    h("h2", {}, "Network of ", h("span", { id: "graph-title" }, entityLink(entityId, entityId))), h("span", { id: "graph-counts", class: "muted" })), h("div", { class: "graph-body" }, canvas, side)));

  const cy = cytoscape({ container: canvas, style: STYLE, wheelSensitivity: 0.3, elements: [], minZoom: 0.1, maxZoom: 1.6 });
  window.__cy = cy; // for tests and the console
  // Labels stay readable when the view zooms out to fit a bigger network: their size is
  // divided by the zoom (see STYLE: about 11 px on screen for names, 9 px for links).
  let pending = false;
  cy.on("zoom", () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; cy.style().update(); }); } });
  const expanded = new Set();

  const relayout = () => cy.layout({
    name: "cose", animate: false, randomize: false, padding: 40, nodeRepulsion: () => 600000,
    idealEdgeLength: () => 160, edgeElasticity: () => 80, nodeOverlap: 40, componentSpacing: 120, gravity: 0.2,
  }).run();

  // Link types in words: FtM's schema names ("EconomicActivity") mean nothing to a
  // reader, and its label for them ("Customs declaration") is wrong for a shipment an
  // article tells; customs records are their own link type ("Customs records").
  const LINK_TYPES = {
    EconomicActivity: "Shipment claimed in a source", Payment: "Payment", Ownership: "Ownership",
    Control: "Control", Directorship: "Director", Representation: "Agent / representative",
    UnknownLink: "Other link", Associate: "Associate", Family: "Family", Membership: "Member",
    Employment: "Employment", Succession: "Successor", Debt: "Debt", ContractAward: "Contract award",
  };
  const typeLabel = (t) => LINK_TYPES[t] || String(t).replace(/([a-z])([A-Z])/g, "$1 $2");

  function refreshFilters() {
    const types = [...new Set(cy.edges().map((e) => e.data("schema")))].sort();
    const sets = [...new Set(cy.elements().flatMap((e) => e.data("datasets") || []))].sort();
    const keep = (box) => new Set([...box.querySelectorAll("input:not(:checked)")].map((i) => i.value));
    const offT = keep(typeBox), offD = keep(dsBox);
    const mk = (box, values, off, say) => box.replaceChildren(...values.map((v) => h("label", {},
      h("input", { type: "checkbox", value: v, checked: !off.has(v), onchange: applyFilters }), " ", say(v))));
    mk(typeBox, types, offT, typeLabel); mk(dsBox, sets, offD, (v) => v);
    document.getElementById("graph-counts").textContent = `${cy.nodes().length} parties, ${cy.edges().length} links`;
  }

  function applyFilters() {
    const offT = new Set([...typeBox.querySelectorAll("input:not(:checked)")].map((i) => i.value));
    const onD = new Set([...dsBox.querySelectorAll("input:checked")].map((i) => i.value));
    cy.elements().removeClass("hidden");
    cy.edges().forEach((e) => {
      if (offT.has(e.data("schema")) || !(e.data("datasets") || []).some((d) => onD.has(d))) e.addClass("hidden");
    });
    cy.nodes().forEach((n) => {
      if (n.data("id") === entityId) return;
      const inSet = (n.data("datasets") || []).some((d) => onD.has(d));
      const visibleEdge = n.connectedEdges().some((e) => !e.hasClass("hidden"));
      if (!inSet || !visibleEdge) n.addClass("hidden");
    });
  }

  function add(data) {
    cy.batch(() => {
      for (const n of data.nodes) if (cy.getElementById(n.id).empty()) cy.add(nodeData(n));
      for (const e of data.edges) {
        const existing = cy.getElementById(edgeKey(e));
        if (existing.empty()) { cy.add(edgeData(e)); continue; }
        const links = existing.data("links");
        if (links.some((l) => l.id === e.id)) continue;
        links.push(e);
        existing.data("datasets", [...new Set([...existing.data("datasets"), ...e.datasets])]);
        existing.data("label", `${links[0].label} ×${links.length}`);
      }
    });
  }

  async function expand(id) {
    if (expanded.has(id)) return null;
    expanded.add(id);
    const data = await api(`/network/${encodeURIComponent(id)}`);
    expanded.add(data.center);
    add(data);
    relayout(); refreshFilters(); applyFilters();
    return data;
  }

  function showInfo(ele) {
    const raw = ele.data("raw");
    if (ele.isNode()) {
      info.replaceChildren(...[h("p", {}, entityLink(raw.id, raw.caption), ` (${raw.schema})`),
        raw.countries.length ? h("p", {}, "Countries: ", raw.countries.join(", ")) : null,
        ...sanctionLines(raw.sanctioned).map((t) => h("p", { class: "tag sanctioned" }, t)),
        raw.blocked ? h("p", { class: "tag blocked" }, `Blocked by ownership: ${raw.blocked.blocked_share ?? "?"}% held by blocked owners`) : null,
        h("button", { onclick: () => expand(raw.id) }, "Expand neighbours"), " ",
        h("a", { href: `#/graph/${encodeURIComponent(raw.id)}` }, "Centre here")].filter(Boolean));
    } else if (raw.schema === "Customs records") {
      // Aggregated customs lines, not an entity: the numbers and the largest line to open in the file.
      const p = Object.fromEntries(Object.entries(raw.properties || {}).map(([k, v]) => [k, v[0]]));
      info.replaceChildren(h("p", { id: "customs-info" }, h("b", {}, "Customs records"), ` (${raw.datasets.join(", ")})`),
        h("p", {}, `${p.records} record(s), ${raw.label.replace(/^customs: \d+ record\(s\), /, "")} from ${p.first_date} to ${p.last_date}`,
          Number(p.chpl_usd) ? `, CHPL goods ${Math.round(100 * Number(p.chpl_usd) / Number(p.value_usd))} %` : ""),
        p.largest_record ? h("p", { class: "muted" }, `largest: ${p.largest_record}${p.largest_goods ? ` — ${p.largest_goods}` : ""}`) : null);
    } else {
      const links = ele.data("links") || [raw];
      info.replaceChildren(h("p", {}, `${raw.label.replace(/ ×\d+$/, "")} (${typeLabel(raw.schema).toLowerCase()}), ${links.length} record(s):`),
        h("ul", {}, links.map((l) => h("li", {}, entityLink(l.id.split(":")[0], (l.properties.role || l.properties.goodsDescription || [l.label])[0]),
          h("span", { class: "muted" }, ` ${l.datasets.join(", ")}`),
          Object.entries(l.properties || {}).filter(([k]) => !["role", "goodsDescription"].includes(k)).map(([k, v]) => h("div", { class: "muted" }, `${k}: ${v.join("; ")}`))))),
        h("p", { class: "muted" }, "Each record's page lists its sources and quotes."));
    }
  }

  cy.on("tap", "node, edge", (evt) => showInfo(evt.target));
  cy.on("dbltap", "node", (evt) => expand(evt.target.id()).catch((e) => info.replaceChildren(errorBox(e))));

  async function showPath(targetId, caption) {
    pathStatus.textContent = "Looking for a path…";
    cy.elements().removeClass("path faded");
    const res = await api(`/network/path?source=${encodeURIComponent(entityId)}&target=${encodeURIComponent(targetId)}`);
    if (!res.found) { pathStatus.textContent = `No path to ${caption || targetId} within 8 links.`; return; }
    add(res); relayout(); refreshFilters(); applyFilters();
    const onPath = cy.collection();
    for (const n of res.nodes) onPath.merge(cy.getElementById(n.id));
    for (const e of res.edges) onPath.merge(cy.getElementById(edgeKey(e)));
    cy.elements().not(onPath).addClass("faded");
    onPath.addClass("path");
    pathStatus.replaceChildren(h("span", { id: "path-result" }, `${res.edges.length} link(s): `),
      ...res.edges.map((e, i) => h("span", {}, i ? " → " : "", e.label)));
    cy.fit(onPath, 60);
    // The analytics capability also weighs links (ownership beats a shared address): show its
    // shortest and strongest paths with their evidence when it is installed.
    try {
      const routes = await discover(["paths"], null, { a: entityId, b: targetId });
      if (!routes.length) return;
      const found = await firstOf(routes);
      pathStatus.append(h("div", { id: "path-kinds" }, (found || []).map((p) => h("details", {},
        h("summary", {}, `${p.kind}: ${p.hops} link(s), strength ${Number(p.strength).toFixed(2)}`),
        h("ol", {}, (p.links || []).map((l) => h("li", {}, `${l.source_name} —${l.label || l.type}→ ${l.target_name}`,
          h("span", { class: "muted" }, ` (${(l.evidence || []).length} source statement(s))`))))))));
    } catch { /* the graph's own path stands */ }
  }

  attachSuggest(pathInput, (hit) => showPath(hit.id, hit.caption).catch((e) => pathStatus.replaceChildren(errorBox(e))));

  try {
    const first = await expand(entityId);
    entityId = first.center; // the canonical id (merged entities are one party)
    const center = cy.getElementById(entityId).addClass("center");
    if (!center.empty()) {
      showInfo(center);
      document.getElementById("graph-title").replaceChildren(entityLink(entityId, center.data("label")));
    }
  } catch (e) {
    main.replaceChildren(errorBox(e));
  }
}
