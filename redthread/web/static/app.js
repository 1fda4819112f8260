// redthread web UI: a hash router over pages; every page reads the JSON API.
import { api, discover, firstOf, getKey, setKey } from "./api.js";
import { h, download, entityLink, errorBox, notAvailable, table } from "./dom.js";
import { attachSuggest } from "./suggest.js";
import { graphPage } from "./graph.js";
import { barChart, sankey, timelineChart } from "./charts.js";
import { AUTHORITIES, capacityPage, editsPanel, impactPage, pagedList, readableTitle, resolvePanel, reviewPage as workbenchReview, statusBanner, tradePanel } from "./workbench.js";

const main = document.getElementById("main");
const enc = encodeURIComponent;

// Capability routes: found in the server's OpenAPI description by name (see discover()),
// then the agreed paths as a fallback. A missing route shows "not available in this installation".
const ROUTES = {
  ownership: (id) => discover(["owner"], id).then((d) => [...d, `/ownership/${enc(id)}`]),
  blocked: () => discover(["blocked"]).then((d) => [...d, "/blocked"]),
  exposure: (authority = "all") => discover(["exposure"], null, { top: 50, authority }).then((d) => [...d, `/exposure?authority=${enc(authority)}`]),
  redflags: (id) => discover(["redflag"], id).then((d) => [...d, id ? `/redflags?entity_id=${enc(id)}` : "/redflags"]),
  claims: (c) => discover(["claim"], null, { conflicts: c, conflicts_only: c }).then((d) => [...d, `/claims?conflicts=${c}`]),
  timeline: (id) => discover(["timeline"], id).then((d) => [...d, id ? `/timeline?entity_id=${enc(id)}` : "/timeline"]),
  flows: (by) => discover(["flows"], null, { by }).then((d) => [...d.filter((p) => !p.includes("chart")), `/trade/flows?by=${by}`]),
  chains: () => discover(["chains"]).then((d) => [...d, "/trade/chains"]),
  candidates: () => discover(["xref", "candidate"]).then((d) => [...d, "/xref"]),
  judgement: () => ["/judgements"],
};

async function capability(what, paths, render) {
  try { return render(await firstOf([...new Set(await paths)])); }
  catch (e) { return e.missing ? notAvailable(what) : errorBox(e); }
}

const rowsOf = (data, ...keys) => {
  if (Array.isArray(data)) return data;
  for (const k of keys) if (data && Array.isArray(data[k])) return data[k];
  return [];
};

const cell = (v) => {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && v.id && (v.caption || v.name)) return entityLink(v.id, v.caption || v.name);
  if (Array.isArray(v)) return v.map((x) => (typeof x === "object" ? (x.caption || x.name || x.id || JSON.stringify(x)) : x)).join(" → ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

// A table of API rows: party ids shown by name (``x`` with ``x_name``), numbers rounded.
function genericTable(rows) {
  if (!rows.length) return h("p", { class: "muted" }, "Nothing found.");
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const named = new Set(keys.filter((k) => keys.includes(`${k}_name`)));
  const cols = keys.filter((k) => !(k.endsWith("_name") && named.has(k.slice(0, -5)))).slice(0, 10);
  const fmt = (r, c) => {
    const v = r[c];
    if (named.has(c) && typeof v === "string") return entityLink(v, r[`${c}_name`] || v);
    if ((c === "id" || c === "entity_id") && typeof v === "string") return entityLink(v, r.name || r.caption);
    if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 2 });
    return cell(v);
  };
  return table(cols, rows.map((r) => cols.map((c) => fmt(r, c))));
}

// ---------------------------------------------------------------- pages
async function home() {
  const [stats, sets] = await Promise.all([api("/stats"), api("/datasets")]);
  main.replaceChildren(
    h("h1", {}, "Evidence graph"),
    h("p", {}, `${stats.entities} entities · ${stats.statements} statements · ${stats.documents} documents · ${stats.datasets} datasets`),
    stats.entities ? h("div", { class: "start", id: "start" },
      h("p", {}, h("b", {}, "Start here: "), "type a name in the search box above — any script, any case, typos forgiven (",
        h("code", {}, "Стриж"), ", ", h("code", {}, "strizh"), ", ", h("code", {}, "stirzh"), ")."),
      h("ul", {},
        h("li", {}, h("a", { href: "#/redflags" }, "Red flags"), " — what looks like evasion, with why and the sources"),
        h("li", {}, h("a", { href: "#/review" }, "Review"), " — records that may be the same party: merge or keep apart"),
        h("li", {}, h("a", { href: "#/flows" }, "Trade flows"), " — who ships what to whom"),
        h("li", {}, h("a", { href: "#/screen" }, "Screen"), " — check a counterparty against the store"),
        h("li", {}, h("a", { href: "#/upload" }, "Upload"), " — add a document, a list or customs records")))
      : h("div", { class: "start", id: "start" }, h("p", {}, h("b", {}, "The store is empty. "),
        h("a", { href: "#/upload" }, "Upload"), " a document, a sanctions list or customs records, or run ", h("code", {}, "redthread demo"), " for the example case.")),
    h("h2", {}, "Datasets"),
    table(["dataset", "entities", "statements", "removed", "sources", "last load"],
      sets.datasets.map((d) => [d.name, d.entities, d.statements, d.removed, d.sources, d.last_load || ""])),
    h("h2", {}, "By schema"),
    table(["schema", "entities"], Object.entries(stats.schemata).map(([k, v]) => [k, v])));
}

// Dossiers come from GET /report (with the key header, so not a plain link).
async function downloadReport(id, fmt) {
  const headers = getKey() ? { Authorization: `ApiKey ${getKey()}` } : {};
  const res = await fetch(`/report?format=${fmt}${id ? `&entity_id=${enc(id)}` : ""}`, { headers });
  if (!res.ok) { alert(`The dossier could not be made: ${res.status} ${await res.text()}`); return; }
  download(`dossier-${id || "case"}.${fmt}`, await res.blob());
}

function sourceLine(src) {
  const where = src.span ? h("a", { class: "span-link", href: `#/document/${enc(src.source)}?span=${src.span[0]}-${src.span[1]}` }, `chars ${src.span[0]}–${src.span[1]}`) : (src.location || "");
  return h("li", { class: src.removed_at ? "removed" : "" },
    h("span", { class: "ds" }, src.dataset), " ", src.source && !(src.location || "").startsWith(src.source) ? h("span", {}, src.source, " ") : null, where,
    src.first_seen ? h("span", { class: "muted" }, ` · seen ${src.first_seen.slice(0, 10)}${src.last_seen && src.last_seen !== src.first_seen ? `–${src.last_seen.slice(0, 10)}` : ""}`) : null,
    src.hedge ? h("span", { class: "tag" }, `hedged: ${src.hedge}`) : null,
    src.confidence < 1 ? h("span", { class: "muted" }, ` confidence ${src.confidence}`) : null,
    src.removed_at ? h("span", { class: "tag removed" }, `removed ${src.removed_at}`) : null,
    src.quote ? h("blockquote", {}, src.quote) : null);
}

async function entityPage(id) {
  const prof = await api(`/entities/${enc(id)}`);
  const ent = prof.entity || { caption: id, schema: "?", datasets: [], properties: {} };
  const eid = prof.entity ? prof.entity.id : id;
  const captions = Object.fromEntries(prof.links.filter((l) => l.direction === "out").map((l) => [l.id, l.caption]));
  const props = prof.properties.map((p) => h("tr", {},
    h("th", {}, p.label),
    h("td", {}, h("ul", { class: "values" }, p.values.map((v) => h("li", { class: v.removed ? "removed" : "" },
      p.type === "entity" ? entityLink(v.value, captions[v.value] || v.value) : h("span", { class: "value" }, v.value),
      h("details", { open: v.sources.length <= 2 }, h("summary", {}, `${v.sources.length} source(s)`), h("ul", { class: "sources" }, v.sources.map(sourceLine)))))))));
  // A link reads as a sentence: "receiver of brushless motors from Kowloon Bright (EconomicActivity)".
  // A shipment read from an article is a claim with its sentence, never a "customs declaration".
  const SHIPMENTS = new Set(["EconomicActivity", "Payment"]);
  const shipmentClaim = (l) => l.claimed && SHIPMENTS.has(l.schema);
  const claimLine = (c, shipment) => h("div", { class: "claim" }, h("span", { class: "tag claim" }, shipment ? "claimed" : "stated"), " in ",
    c.span ? h("a", { href: `#/document/${enc(c.source)}?span=${c.span[0]}-${c.span[1]}` }, c.source) : c.source,
    c.quote ? h("blockquote", {}, c.quote) : null);
  const links = prof.links.map((l) => h("li", { class: shipmentClaim(l) ? "claimed-link" : "" },
    l.direction === "out" ? "→ " : "← ", h("span", { class: "muted" }, `${l.prop} `),
    l.counterpart ? [entityLink(l.counterpart.id, l.counterpart.caption), h("span", { class: "muted" }, ` (${l.counterpart.prop}) · `), entityLink(l.id, l.caption)]
      : entityLink(l.id, l.caption), shipmentClaim(l) ? " (shipment claimed in a document)" : ` (${l.schema || "?"})`,
    l.claimed ? claimLine(l.claimed, shipmentClaim(l)) : null));
  const flags = h("div", {}, h("p", { class: "muted" }, "…"));
  const own = h("div", {}, h("p", { class: "muted" }, "…"));
  const trade = h("div", {}, h("p", { class: "muted" }, "…"));
  const resolve = h("div", {}, h("p", { class: "muted" }, "…"));
  const edits = h("div", {}, h("p", { class: "muted" }, "…"));
  const merged = prof.members.length > 1 ? h("details", { class: "members" }, h("summary", {}, `merged from ${prof.members.length} records`),
    h("ul", {}, prof.members.map((m) => h("li", {}, h("code", {}, m))))) : null;
  const title = readableTitle(ent);
  main.replaceChildren(...[
    h("h1", { id: "entity-title" }, title, " ", h("small", { class: "muted" },
      ent.schema === "EconomicActivity" && (ent.properties.proof || []).length ? "shipment claimed in a document (not a customs record)" : ent.schema)),
    title !== ent.caption ? h("p", { class: "muted aka" }, `also written ${ent.caption}`) : null,
    statusBanner(eid),
    h("p", {}, h("a", { id: "open-graph", class: "button", href: `#/graph/${enc(eid)}` }, "Network graph"), " ",
      h("a", { class: "button", href: `#/timeline/${enc(id)}` }, "Timeline"), " ",
      h("button", { id: "dossier-pdf", onclick: () => downloadReport(eid, "pdf") }, "Dossier (PDF)"), " ",
      h("button", { onclick: () => downloadReport(eid, "html") }, "Dossier (HTML)"), " ",
      h("span", { class: "muted" }, `datasets: ${ent.datasets.join(", ")}`), merged),
    prof.removed ? h("div", { class: "notice" }, "Every value of this entity was removed by a later load.") : null,
    h("h2", {}, "Trade"), trade,
    h("h2", {}, "Properties and sources"), h("table", { class: "props" }, h("tbody", {}, props)),
    h("h2", {}, "Links"), links.length ? h("ul", { class: "links" }, links) : h("p", { class: "muted" }, "No links."),
    h("h2", {}, "Ownership"), own, h("h2", {}, "Red flags"), flags,
    h("h2", {}, "Same party?"), resolve, h("h2", {}, "Manual edits"), edits].filter(Boolean));
  const again = () => entityPage(id);
  trade.replaceChildren(await tradePanel(eid));
  if (prof.entity) {
    resolve.replaceChildren(await resolvePanel(eid, prof.members, again));
    edits.replaceChildren(await editsPanel(prof.entity, again));
  }
  // A party with no ownership or control links is not an error: say so plainly.
  own.replaceChildren(await capability("Ownership analysis", ROUTES.ownership(id), renderOwnership).then((el) =>
    (el.classList && el.classList.contains("error") && /in the graph|has no links/.test(el.textContent)
      ? h("p", { class: "muted" }, "No owners, holdings or controllers are known.") : el)));
  flags.replaceChildren(await capability("Red flags", ROUTES.redflags(id), renderFlags));
}

// owners_tree shape: {id, name, sanctioned, blocked, owners: [{link, node}], holdings: [...], ultimate_owners}
function renderOwnership(data) {
  const root = data.tree || data;
  const node = (n, key, depth) => {
    if (!n || depth > 8) return null;
    const kids = n[key] || [];
    return h("li", {}, entityLink(n.id, n.name || n.caption),
      n.sanctioned ? h("span", { class: "tag sanctioned" }, "sanctioned") : null,
      n.blocked ? h("span", { class: "tag blocked" }, "blocked") : null, n.cycle ? " (cycle)" : null,
      kids.length ? h("ul", {}, kids.map((k) => h("li", {},
        h("span", { class: "pct" }, k.link && k.link.percentage !== null && k.link.percentage !== undefined ? `${k.link.percentage}% ` : `${(k.link && (k.link.label || k.link.type)) || ""} `),
        h("ul", {}, node(k.node, key, depth + 1))))) : null);
  };
  const ultimate = root.ultimate_owners || [];
  return h("div", { class: "ownership" },
    h("p", {}, h("b", {}, "Owners and controllers")), h("ul", { class: "tree", id: "owners-tree" }, node(root, "owners", 0)),
    (root.holdings || []).length ? h("p", {}, h("b", {}, "Holdings")) : null,
    (root.holdings || []).length ? h("ul", { class: "tree" }, node(root, "holdings", 0)) : null,
    ultimate.length ? h("p", {}, h("b", {}, "Ultimate owners: "), ultimate.map((o, i) => h("span", {}, i ? "; " : "", entityLink(o.id, o.name), o.share !== undefined && o.share !== null ? ` (${o.share}%)` : ""))) : null);
}

// One piece of evidence (a statement's provenance): dataset, where, quote; spans link to the document.
function evidenceLine(ev) {
  const where = ev.span ? h("a", { href: `#/document/${enc(ev.source)}?span=${ev.span[0]}-${ev.span[1]}` }, `${ev.source} chars ${ev.span[0]}–${ev.span[1]}`) : (ev.location || ev.source || "");
  return h("li", { class: ev.removed_at ? "removed" : "" }, h("span", { class: "ds" }, ev.dataset || ""), " ", where,
    ev.hedge ? h("span", { class: "tag" }, `hedged: ${ev.hedge}`) : null,
    ev.removed_at ? h("span", { class: "tag removed" }, `removed ${ev.removed_at}`) : null,
    ev.quote ? h("blockquote", {}, ev.quote) : null);
}

// Red flags: {rule, title, why, severity, entity, parties, detail, evidence, sources}; one per fact.
function renderFlags(data) {
  const rows = rowsOf(data, "flags", "results", "redflags");
  if (!rows.length) return h("p", { class: "muted" }, "No red flags raised.");
  return h("ul", { class: "flags" }, rows.map((f) => h("li", { class: `flag ${f.severity || ""}` },
    h("b", {}, f.title || f.rule), f.severity ? h("span", { class: `tag sev-${f.severity}` }, f.severity) : null, " ",
    (f.parties || (f.entity ? [f.entity] : [])).map((p, i) => h("span", {}, i ? ", " : "", entityLink(p.id || p, p.name || p.caption))),
    f.detail ? h("p", {}, f.detail) : null, f.why ? h("p", { class: "muted" }, f.why) : null,
    (f.evidence || []).length ? h("details", {}, h("summary", {}, `${f.evidence.length} source statement(s)` + ((f.sources || []).length > 1 ? ` from ${f.sources.length} sources` : "")), h("ul", { class: "sources" }, f.evidence.map(evidenceLine))) : null)));
}

async function documentPage(id, params) {
  const doc = await api(`/documents/${id.split("/").map(enc).join("/")}`);
  const want = (params.get("span") || "").split("-").map(Number);
  const text = doc.text, parts = [];
  // Spans overlap (a name inside the sentence that states a relation): cut the text at
  // every span boundary; each piece is marked by the spans covering it, the shortest on top.
  const cuts = [...new Set([0, text.length, ...doc.spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  let firstTarget = null;
  for (let i = 0; i < cuts.length - 1; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = text.slice(a, b);
    const over = doc.spans.filter((s) => s.start <= a && s.end >= b);
    if (!over.length) { parts.push(piece); continue; }
    over.sort((x, y) => (x.end - x.start) - (y.end - y.start));
    const top = over[0];
    const inTarget = want.length === 2 && a >= want[0] && b <= want[1];
    const cls = [top.end - top.start > 80 ? "sentence" : "name", inTarget ? "target" : ""].join(" ").trim();
    const mark = h("mark", { class: cls, title: over.map((s) => `${s.prop}: ${s.value} (${s.schema})`).join("\n"), dataset: { entity: top.entity_id } },
      h("a", { href: `#/entity/${enc(top.entity_id)}` }, piece));
    if (inTarget && !firstTarget) { firstTarget = mark; mark.id = "target-span"; }
    parts.push(mark);
  }
  const meta = [doc.dataset, doc.publisher, doc.published_at, `${doc.spans.length} highlighted span(s)`].filter(Boolean).join(" · ");
  const mentioned = new Map();
  for (const s of doc.spans) if (!mentioned.has(s.entity_id)) mentioned.set(s.entity_id, s.schema);
  main.replaceChildren(h("h1", {}, doc.title || doc.id), h("p", { class: "muted" }, meta),
    h("div", { class: "doc-text" }, parts),
    mentioned.size ? h("h2", {}, "Entities stated in this document") : "",
    h("ul", { class: "mentioned" }, [...mentioned].map(([id, schema]) => h("li", {}, entityLink(id, (doc.entities && doc.entities[id] && doc.entities[id].caption) || id),
      h("span", { class: "muted" }, ` ${(doc.entities && doc.entities[id] && doc.entities[id].schema) || schema}`)))));
  const target = document.getElementById("target-span");
  if (target) target.scrollIntoView({ block: "center" });
}

async function documentsPage() {
  const res = await api("/documents");
  main.replaceChildren(h("h1", {}, "Documents"), table(["title", "dataset", "publisher", "published", "length"],
    res.documents.map((d) => [h("a", { href: `#/document/${enc(d.id)}` }, d.title || d.id), d.dataset, d.publisher, d.published_at, d.length])));
}

// Dimensions the flows route groups by (docs/trade.md); parties get names, others their value.
const FLOW_DIMS = ["supplier", "buyer", "declarant", "month", "year", "chpl_tier", "hs2", "hs4", "hs6", "route", "origin", "destination", "sender_country", "receiver_country", "dataset"];
const PARTY_DIMS = new Set(["supplier", "buyer", "declarant"]);
const usd = (v) => `$${Number(v || 0).toLocaleString("en", { maximumFractionDigits: 0 })}`;

async function flowsPage() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const by = params.get("by") || "supplier,buyer";
  const keys = by.split(",").filter(Boolean);
  const chpl = params.get("chpl_only") === "true";
  const top = params.get("top") || "50";
  const from = params.get("from") || "", to = params.get("to") || "";
  // Controls: two grouping dimensions, CHPL goods only, a date range, how many rows.
  const dimSelect = (name, value, blank) => h("select", { name }, blank ? h("option", { value: "" }, "(none)") : null,
    FLOW_DIMS.map((d) => h("option", { value: d, selected: d === value }, d.replace("_", " "))));
  const form = h("form", { id: "flow-controls", class: "edit-form", onsubmit: (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const dims = [fd.get("first"), fd.get("second")].filter(Boolean);
    const range = ["from", "to"].filter((k) => fd.get(k)).map((k) => `&${k}=${fd.get(k)}`).join("");
    location.hash = `#/flows?by=${[...new Set(dims)].join(",")}&chpl_only=${fd.get("chpl") === "on"}&top=${fd.get("top")}${range}`;
  } }, h("label", {}, "group by ", dimSelect("first", keys[0])), h("label", {}, " then ", dimSelect("second", keys[1] || "", true)),
  h("label", {}, h("input", { type: "checkbox", name: "chpl", checked: chpl }), " CHPL goods only"),
  h("label", {}, " from ", h("input", { name: "from", type: "date", value: from })),
  h("label", {}, " to ", h("input", { name: "to", type: "date", value: to })),
  h("label", {}, " rows ", h("input", { name: "top", type: "number", min: 1, max: 1000, value: top, size: 4 })),
  h("button", { type: "submit" }, "show"));
  const range = `${from ? `&from=${enc(from)}` : ""}${to ? `&to=${enc(to)}` : ""}`;
  const paths = discover(["flows"], null, { by, chpl_only: chpl, top, ...(from ? { from } : {}), ...(to ? { to } : {}) })
    .then((d) => [...d.filter((p) => !p.includes("chart")), `/trade/flows?by=${by}&chpl_only=${chpl}&top=${top}${range}`]);
  main.replaceChildren(h("h1", {}, "Trade flows"), form,
    await capability("Trade flow analysis", paths, (data) => {
      const rows = rowsOf(data, "flows", "results", "rows");
      if (!rows.length) return h("p", { class: "muted" }, "No trade records.");
      const name = (v) => (v && typeof v === "object" ? v.caption || v.name || v.id : v);
      // An empty value has a meaning per dimension: not on the CHPL, or not declared.
      const pick = (r, k) => name(r[`${k}_name`]) ?? name(r[k]) ?? (k === "chpl_tier" ? "not on CHPL" : "not declared");
      const shown = (r, k) => (k === "chpl_tier" && r[k] ? `CHPL tier ${r[k]}` : String(pick(r, k)));
      const label = (r) => keys.map((k) => shown(r, k)).join(" · ");
      const sankeyOk = keys.length >= 2 && PARTY_DIMS.has(keys[0]) && PARTY_DIMS.has(keys[1]);
      const links = sankeyOk ? rows.map((r) => ({ source: shown(r, keys[0]), target: ` ${shown(r, keys[1])}`, value: Number(r.value_usd) || 0 })) : [];
      const tableRows = rows.slice(0, 200).map((r) => [...keys.map((k) => (PARTY_DIMS.has(k) && r[k] ? entityLink(r[k], shown(r, k)) : shown(r, k))),
        usd(r.value_usd), (r.records ?? 0).toLocaleString("en"), r.first_date || "", r.last_date || ""]);
      // Grouped first by time, the bars read in date order; otherwise largest first.
      const timeFirst = ["month", "year"].includes(keys[0]);
      const bars = timeFirst ? [...rows].sort((a, b) => String(a[keys[0]]).localeCompare(String(b[keys[0]]))).slice(0, 60) : rows.slice(0, 25);
      return h("div", {}, h("p", { class: "muted" }, `value in US dollars, grouped by ${keys.join(" and ")}${chpl ? ", CHPL goods only" : ""}${from || to ? `, ${from || "…"} to ${to || "…"}` : ""}`),
        barChart(bars, { label, value: (r) => r.value_usd }),
        links.length ? h("h2", {}, `Sankey: ${keys[0]} → ${keys[1]}`) : null, links.length ? sankey(links.slice(0, 40)) : null,
        table([...keys, "value (USD)", "records", "first", "last"], tableRows));
    }));
  // Re-export chains (supplier → intermediary → buyer), when the trade capability has them.
  main.append(h("h2", {}, "Re-export chains"), await capability("Re-export chain analysis", ROUTES.chains(), (data) => {
    const rows = rowsOf(data, "chains", "results");
    if (!rows.length) return h("p", { class: "muted" }, "No re-export chains found.");
    const nm = (r, k) => r[`${k}_name`] || r[k] || "?";
    const links = [];
    for (const r of rows.slice(0, 60)) {
      links.push({ source: nm(r, "supplier"), target: `${nm(r, "intermediary")} `, value: Number(r.in_usd ?? r.value_usd) || 0 });
      links.push({ source: `${nm(r, "intermediary")} `, target: `  ${nm(r, "buyer")}`, value: Number(r.out_usd ?? r.value_usd) || 0 });
    }
    return h("div", { id: "chains-sankey" }, sankey(links));
  }));
}

async function listPage(title, what, paths, render) {
  main.replaceChildren(h("h1", {}, title), await capability(what, paths, render));
}

async function timelinePage(id) {
  // The party's readable name in the title, not its id.
  const who = id ? await api(`/entities/${enc(id)}`).then((p) => (p.entity ? readableTitle(p.entity) : id), () => id) : null;
  await listPage(id ? `Timeline of ${who}` : "Timeline", "The timeline", ROUTES.timeline(id), (data) => {
    const rows = rowsOf(data, "events", "timeline", "results");
    const events = rows.map((r) => ({ date: r.date || r.start || r.when, label: r.event || r.title || r.label || r.summary || r.prop || "" }));
    // The axis shows every event; the table a page at a time, filtered by kind or text.
    return h("div", {}, timelineChart(events.slice(0, 400)), pagedList(rows, (page) => table(["date", "event", "kind", "parties", "sources"], page.map((r) => [
      r.date, r.event || r.title || "", r.kind || "", (r.parties || (r.entity ? [r.entity] : [])).map((p, i) => h("span", {}, i ? ", " : "", entityLink(p.id, p.name))),
      (r.evidence || []).length ? h("details", {}, h("summary", {}, `${r.evidence.length}`), h("ul", { class: "sources" }, r.evidence.map(evidenceLine))) : ""])),
    { id: "timeline-list", pageSize: 50, choices: { kind: "kind" },
      text: (r) => `${r.date} ${r.event || r.title || ""} ${(r.parties || []).map((p) => p.name).join(" ")}` }));
  });
}

// Claims: conflicts {prop, reason, entities, values: [{value, entity, sources, publishers}]},
// or facts {entity, prop, value, sources, source_count, publishers, independent, single_source}.
async function claimsPage() {
  const conflicts = (new URLSearchParams(location.hash.split("?")[1] || "").get("conflicts") ?? "true") === "true";
  await listPage(conflicts ? "Claims in conflict" : "Claims", "Claims analysis", ROUTES.claims(conflicts), (data) => {
    const rows = rowsOf(data, "claims", "results");
    const toggle = h("p", {}, h("a", { href: `#/claims?conflicts=${!conflicts}` }, conflicts ? "show all claims with their support" : "only conflicts"));
    if (!rows.length) return h("div", {}, toggle, h("p", { class: "muted" }, conflicts ? "No sources contradict each other." : "No claims."));
    if (conflicts) {
      return h("div", {}, toggle, h("ul", { class: "claims" }, rows.map((c) => h("li", {},
        h("b", {}, c.prop), " of ", (c.entities || []).map((e, i) => h("span", {}, i ? ", " : "", entityLink(e.id, e.name))),
        c.reason ? h("span", { class: "muted" }, ` — ${c.reason}`) : null,
        table(["value", "said by", "sources"], (c.values || []).map((v) => [cell(v.value), (v.publishers || []).join(", "),
          h("ul", { class: "sources" }, (v.sources || []).map(evidenceLine))]))))));
    }
    return h("div", {}, toggle, table(["entity", "property", "value", "sources", "publishers", "independent"], rows.slice(0, 500).map((f) => [
      f.entity && f.entity.id ? entityLink(f.entity.id, f.entity.name) : cell(f.entity), f.prop, cell(f.value),
      f.source_count ?? (f.sources || []).length, (f.publishers || []).join(", "), f.single_source ? "single source" : (f.independent ? "yes" : "")])));
  });
}

async function reviewPage() {
  await workbenchReview(main);
}

// A match explanation: one line per feature ("name: query ≈ candidate (method)").
function explain(ex) {
  if (!ex || typeof ex !== "object") return cell(ex);
  return h("ul", { class: "explain" }, Object.entries(ex).map(([feature, v]) => h("li", {},
    h("b", {}, feature), ": ", v && typeof v === "object"
      ? [v.query !== undefined ? `${v.query} ≈ ${v.candidate}` : "", v.method ? ` (${v.method})` : "", v.score !== undefined ? ` ${Number(v.score).toFixed(2)}` : ""].join("")
      : String(v))));
}

// Screening through the yente-compatible POST /match/{dataset}.
function screenPage() {
  const out = h("div", { id: "screen-results" });
  const form = h("form", { id: "screen-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const props = { name: [fd.get("name")] };
    if (fd.get("country")) props.country = [fd.get("country")];
    out.replaceChildren(h("p", { class: "muted" }, "Screening…"));
    try {
      const res = await api(`/match/${enc(fd.get("dataset") || "default")}`, { method: "POST", body: { queries: { q: { schema: fd.get("schema"), properties: props } } } });
      const results = (res.responses && res.responses.q && res.responses.q.results) || [];
      out.replaceChildren(results.length ? table(["score", "match", "name", "schema", "datasets", "sanctioned", "why"], results.map((r) => [
        Number(r.score).toFixed(3), r.match ? "yes" : "", entityLink(r.id, r.caption), r.schema, (r.datasets || []).join(", "), r.target ? "yes" : "",
        explain(r.explanations || r.features)])) : h("p", { class: "muted" }, "No candidates."));
    } catch (e) { out.replaceChildren(e.missing ? notAvailable("Screening") : errorBox(e)); }
  } },
  h("p", {}, h("label", {}, "Name ", h("input", { name: "name", required: true, size: 40 }))),
  h("p", {}, h("label", {}, "Type ", h("select", { name: "schema" }, ["LegalEntity", "Company", "Person", "Organization"].map((s) => h("option", {}, s)))), " ",
    h("label", {}, "Country ", h("input", { name: "country", size: 4, placeholder: "ru" })), " ",
    h("label", {}, "Dataset ", h("input", { name: "dataset", value: "default", size: 12 }))),
  h("p", {}, h("button", { type: "submit" }, "Screen")));
  main.replaceChildren(h("h1", {}, "Screen a counterparty"), h("p", { class: "muted" }, "Names in Latin, Cyrillic or Chinese; scored against the store with explanations."), form, out);
}

const FORMATS = ["", "document", "ftm", "customs", "ofac-csv", "ofac-xml", "eu-fsf", "uk-list", "un-list"];

function uploadPage() {
  const out = h("div", { id: "upload-result" });
  const form = h("form", { id: "upload-form", onsubmit: async (ev) => {
    ev.preventDefault();
    out.replaceChildren(h("p", { class: "muted" }, "Uploading…"));
    const fd = new FormData(form);
    if (!fd.get("format")) fd.delete("format");
    if (!(fd.get("mapping") && fd.get("mapping").size)) fd.delete("mapping");
    try {
      const res = await api("/ingest", { method: "POST", form: fd });
      const results = (res && res.results) || [];
      // replaceChildren writes a null child as the text "null": leave empty parts out.
      out.replaceChildren(...[
        results.length ? table(["source", "added", "kept", "removed", "unchanged"], results.map((r) => [r.source, r.added ?? 0, r.kept ?? 0, r.removed ?? 0, r.unchanged ? "yes" : ""]))
          : h("p", { class: "muted" }, "Nothing was loaded from this file."),
        (res.skipped || []).length ? h("div", {}, h("p", {}, `${res.skipped.length} value(s) skipped:`), h("pre", {}, res.skipped.join("\n"))) : null,
        h("p", {}, h("a", { href: "#/" }, "Back to the overview"), " · search the new names in the box above.")].filter(Boolean));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  } },
  h("p", {}, h("label", {}, "File ", h("input", { type: "file", name: "file", required: true }))),
  h("p", {}, h("label", {}, "Dataset ", h("input", { name: "dataset", required: true, pattern: "[A-Za-z0-9_.\\-]+" })), " ",
    h("label", {}, "Format ", h("select", { name: "format" }, FORMATS.map((f) => h("option", { value: f }, f || "detect"))))),
  h("p", {}, h("label", {}, "Column mapping (customs records) ", h("input", { type: "file", name: "mapping", accept: ".yaml,.yml" })),
    h("span", { class: "muted" }, " — the YAML that says which column is the shipper, the consignee, the HS code… (docs/trade.md)")),
  h("p", {}, h("label", {}, h("input", { type: "checkbox", name: "skip_errors", value: "true" }), " skip bad values (each is listed) instead of refusing the file")),
  h("p", {}, h("button", { type: "submit" }, "Upload and ingest")));
  main.replaceChildren(h("h1", {}, "Upload"), h("p", { class: "muted" }, "Needs the analyst role. Files are kept in the server's data folder: documents (.txt, .html, .pdf, .docx), FtM JSON lines, sanctions lists, customs records with their mapping."), form, out);
}

// Red flags at list scale: a summary per rule, then the flags filtered by rule, severity or
// text, grouped by rule (the rule's "why" said once per group), a page at a time.
async function redflagsPage() {
  await listPage("Red flags", "Red-flag rules", ROUTES.redflags(null), (data) => {
    const rows = rowsOf(data, "flags", "results", "redflags").map((f) => ({ ...f, rule_title: f.title || f.rule }));
    if (!rows.length) return h("p", { class: "muted" }, "No red flags raised.");
    const byRule = new Map();
    for (const f of rows) byRule.set(f.rule_title, (byRule.get(f.rule_title) || 0) + 1);
    const names = (f) => (f.parties || (f.entity ? [f.entity] : [])).map((p) => p.name || p.caption || p.id || p).join(" ");
    return h("div", {}, h("p", { class: "muted" }, `${rows.length} flag(s) from ${byRule.size} rule(s): `,
      [...byRule].map(([t, n], i) => h("span", {}, i ? " · " : "", `${t} ${n}`))),
    pagedList(rows, (page) => renderFlags(page.map((f) => ({ ...f, why: undefined, title: undefined, rule: undefined }))), {
      id: "flag-list", pageSize: 25, choices: { rule_title: "rule", severity: "severity" },
      text: (f) => `${f.rule_title} ${names(f)} ${f.detail || ""}`,
      groupBy: (f) => `${f.rule_title}${f.why ? ` — ${f.why}` : ""}` }));
  });
  main.append(h("h2", {}, "Blocked by ownership"), await capability("The 50 % rule analysis", ROUTES.blocked(), (d) => genericTable(rowsOf(d, "blocked", "results"))));
  // Whose lists count is a visible choice (default: every authority's).
  const expo = h("div", { id: "exposure" });
  const showExposure = async (authority) => expo.replaceChildren(await capability("Exposure analysis", ROUTES.exposure(authority), (d) => genericTable(rowsOf(d, "exposure", "results").map((r) => ({
    id: r.id, name: r.name, schema: r.schema, hops: r.hops, strength: r.strength, blocked: r.blocked, nearest: r.nearest,
    path: (r.path || []).map((l) => `${l.source_name} —${l.label || l.type}→ ${l.target_name}`).join("; "),
  })))));
  const pick = h("select", { id: "exposure-authority", onchange: () => showExposure(pick.value) },
    AUTHORITIES.map((a) => h("option", { value: a }, a === "all" ? "all authorities" : a)));
  main.append(h("h2", {}, "Exposure to sanctioned parties"), h("p", {}, h("label", {}, "sanctioned by ", pick)), expo);
  await showExposure("all");
}

const PAGES = [
  [/^#?\/?$/, () => home()],
  [/^#\/entity\/(.+)$/, (m) => entityPage(decodeURIComponent(m[1]))],
  [/^#\/graph\/(.+)$/, (m) => graphPage(main, decodeURIComponent(m[1]))],
  [/^#\/document\/([^?]+)$/, (m, p) => documentPage(decodeURIComponent(m[1]), p)],
  [/^#\/documents$/, () => documentsPage()],
  [/^#\/flows$/, () => flowsPage()],
  [/^#\/timeline(?:\/(.+))?$/, (m) => timelinePage(m[1] ? decodeURIComponent(m[1]) : null)],
  [/^#\/redflags$/, () => redflagsPage()],
  [/^#\/claims$/, () => claimsPage()],
  [/^#\/review$/, () => reviewPage()],
  [/^#\/upload$/, () => uploadPage()],
  [/^#\/screen$/, () => screenPage()],
  [/^#\/impact$/, () => impactPage(main)],
  [/^#\/capacity$/, () => capacityPage(main)],
];

async function route() {
  const [path, query] = location.hash.split("?");
  const params = new URLSearchParams(query || "");
  for (const [re, page] of PAGES) {
    const m = (path || "#/").match(re);
    if (m) {
      main.replaceChildren(h("p", { class: "muted" }, "Loading…"));
      try { await page(m, params); } catch (e) { main.replaceChildren(errorBox(e)); }
      document.body.dataset.page = path.split("/")[1] || "home";
      return;
    }
  }
  main.replaceChildren(h("p", {}, "No such page. ", h("a", { href: "#/" }, "Home")));
}

attachSuggest(document.getElementById("q"), (hit) => { location.hash = `#/entity/${enc(hit.id)}`; });
const dialog = document.getElementById("key-dialog");
document.getElementById("key-btn").addEventListener("click", () => { document.getElementById("key-input").value = getKey(); dialog.showModal(); });
dialog.addEventListener("close", () => {
  if (dialog.returnValue === "save") setKey(document.getElementById("key-input").value.trim());
  if (dialog.returnValue === "clear") setKey("");
  route();
});
window.addEventListener("hashchange", route);
route();
