// The analyst's workbench: the entity page's status banner, trade panel, merge / split and
// manual edits (each with a note and undo), and the paged review queue with a progress bar.
import { api } from "./api.js";
import { h, svg, entityLink, errorBox, notAvailable, table } from "./dom.js";
import { attachSuggest } from "./suggest.js";

const enc = encodeURIComponent;
const usd = (v) => `$${Number(v || 0).toLocaleString("en", { maximumFractionDigits: 0 })}`;
export const AUTHORITIES = ["all", "OFAC", "EU", "UK", "UN", "BIS"];

// A title people read: a name in mixed case (the registry's "Alatoo Trade Bridge LLC"),
// not the customs clerk's capitals, when the entity has one.
export function readableTitle(ent) {
  const names = ((ent.properties || {}).name || []).filter(Boolean);
  const mixed = names.filter((n) => n !== n.toUpperCase() && /[a-z]/i.test(n));
  const latin = mixed.filter((n) => /^[\x00-\x7F\u00C0-\u024F]+$/.test(n));
  const pick = (latin.length ? latin : mixed).sort((a, b) => b.length - a.length)[0];
  return pick || ent.caption;
}

// ------------------------------------------------------------ status banner
export function statusBanner(id) {
  const box = h("div", { id: "status-banner", class: "banner muted" }, "Checking sanctions, ownership and exposure…");
  const pick = h("select", { id: "status-authority", title: "whose sanctions lists count",
    onchange: () => load(pick.value) }, AUTHORITIES.map((a) => h("option", { value: a }, a === "all" ? "all authorities" : a)));
  const wrap = h("div", { class: "banner-wrap" }, box, h("label", { class: "muted banner-choice" }, "lists: ", pick));
  const load = async (authority) => {
    try {
      const st = await api(`/entities/${enc(id)}/status?authority=${enc(authority)}`);
      box.className = `banner ${st.status}`;
      box.replaceChildren(...bannerText(st));
    } catch (e) { box.replaceChildren(e.missing ? notAvailable("The status check") : errorBox(e)); }
  };
  load("all");
  return wrap;
}

function bannerText(st) {
  const who = st.authority === "all" ? "any authority" : st.authority;
  if (st.status === "sanctioned") {
    return [h("b", {}, "SANCTIONED"), " ", (st.designations || []).map((d, i) => h("span", {}, i ? "; " : "",
      d.authorities.join(" / ") || "authority not stated", d.program ? ` — ${d.program}` : "", d.start_date ? ` since ${d.start_date}` : "",
      h("span", { class: "muted" }, ` (${d.sources.length} source${d.sources.length === 1 ? "" : "s"})`)))];
  }
  if (st.status === "blocked") {
    const b = st.blocked || {};
    return [h("b", {}, "BLOCKED BY OWNERSHIP"), ` — ${b.share ?? "?"} % held by sanctioned or blocked owners: `,
      (b.owners || []).map((o, i) => h("span", {}, i ? ", " : "", entityLink(o.id, o.name), o.share !== undefined ? ` (${o.share} %)` : ""))];
  }
  if (st.status === "exposed") {
    const x = st.exposure;
    return [h("b", {}, "EXPOSED"), ` — ${x.hops} link${x.hops === 1 ? "" : "s"} from a party sanctioned by ${who} (tie strength ${x.strength}); see the `,
      h("a", { href: "#/redflags" }, "exposure ranking")];
  }
  return [h("b", {}, "Not sanctioned, blocked or exposed"), ` by ${who} in this store.`];
}

// ------------------------------------------------------------ trade
export function sparkline(monthly, width = 240, height = 36) {
  if (!monthly.length) return null;
  const max = Math.max(...monthly.map((m) => m.value_usd)) || 1;
  const step = monthly.length > 1 ? width / (monthly.length - 1) : width;
  const pts = monthly.map((m, i) => `${(i * step).toFixed(1)},${(height - 2 - (m.value_usd / max) * (height - 4)).toFixed(1)}`).join(" ");
  return svg("svg", { class: "sparkline", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": `monthly trade ${monthly[0].month} to ${monthly[monthly.length - 1].month}` },
  svg("title", {}, monthly.map((m) => `${m.month}: ${usd(m.value_usd)}`).join("\n")),
  svg("polyline", { points: pts, fill: "none", stroke: "#c0392b", "stroke-width": 1.5 }));
}

export async function tradePanel(id) {
  let t;
  try { t = await api(`/entities/${enc(id)}/trade`); } catch (e) { return e.missing ? notAvailable("Trade records") : errorBox(e); }
  if (!t.records) return h("p", { class: "muted", id: "trade-panel" }, "No customs records name this party.");
  const roles = Object.entries(t.roles).map(([role, r]) => h("div", { class: "trade-role" },
    h("h3", {}, role === "buyer" ? "Bought (as consignee)" : "Sold (as shipper)"),
    h("p", {}, `${usd(r.value_usd)} in ${r.records} record(s), ${r.first_date} – ${r.last_date}; `,
      h("b", { class: r.chpl_share > 0 ? "chpl" : "" }, `${Math.round(r.chpl_share * 100)} % CHPL goods`), ` (${usd(r.chpl_usd)})`),
    table([role === "buyer" ? "top suppliers" : "top buyers", "value", "records"], r.counterparties.map((c) => [
      c.party ? entityLink(c.party, c.party_name) : "?", usd(c.value_usd), c.records])),
    table(["goods (HS-6)", "CHPL", "value"], r.goods.map((g) => [`${g.hs6 || "?"} ${g.goods || ""}`, g.chpl_tier || "", usd(g.value_usd)]))));
  return h("div", { id: "trade-panel" }, h("p", {}, "Monthly value ", sparkline(t.monthly),
    h("span", { class: "muted" }, ` ${t.monthly.length ? `${t.monthly[0].month} – ${t.monthly[t.monthly.length - 1].month}` : ""}`)),
  h("div", { class: "trade-roles" }, roles));
}

// ------------------------------------------------------------ merge / split
export async function resolvePanel(id, members, onChange) {
  const out = h("div", { id: "resolve-panel" });
  const render = async () => {
    const parts = [];
    try {
      const js = (await api("/judgements")).judgements.filter((j) => j.judgement === "positive" && (members.includes(j.left_id) || members.includes(j.right_id)));
      if (js.length) {
        parts.push(h("p", {}, h("b", {}, "Merged records"), " (split one off to undo its merge):"),
          h("ul", { class: "merged" }, js.map((j) => h("li", {}, `${j.left_id} = ${j.right_id} `, h("span", { class: "muted" }, `by ${j.user}`), " ",
            h("button", { class: "split", onclick: async () => { await api(`/judgements/${enc(j.left_id)}/${enc(j.right_id)}`, { method: "DELETE" }); onChange(); } }, "split")))));
      }
      const res = await api(`/xref?entity_id=${enc(id)}&limit=10`);
      if (res.status !== "ready") parts.push(h("p", { class: "muted" }, "Same-party candidates are being computed; see the ", h("a", { href: "#/review" }, "Review"), " page."));
      else if (!res.candidates.length) parts.push(h("p", { class: "muted" }, "No other record looks like this party."));
      else {
        parts.push(h("p", {}, h("b", {}, "May be the same party:")), h("ul", { class: "review", id: "entity-candidates" }, res.candidates.map((c) => {
          const other = c.left_id === id || members.includes(c.left_id) ? [c.right_id, c.right_caption, c.right_datasets] : [c.left_id, c.left_caption, c.left_datasets];
          const judge = (j) => async () => { await api("/judgements", { method: "POST", body: { left_id: c.left_id, right_id: c.right_id, judgement: j, score: c.score } }); onChange(); };
          return h("li", {}, entityLink(other[0], other[1]), h("span", { class: "muted" }, ` (${other[2].join(", ")}) score ${Number(c.score).toFixed(2)}`),
            c.reason ? h("span", { class: "tag" }, c.reason) : null,
            h("button", { class: "merge", onclick: judge("positive") }, "merge"), h("button", { onclick: judge("negative") }, "different"));
        })));
      }
    } catch (e) { parts.push(e.missing ? notAvailable("Resolution") : errorBox(e)); }
    out.replaceChildren(...parts);
  };
  await render();
  return out;
}

// ------------------------------------------------------------ manual edits
const LINKS = ["Ownership", "Directorship", "Representation", "Employment", "Membership", "Family", "Associate", "UnknownLink"];
const PARTIES = ["Company", "Person", "Organization", "LegalEntity", "PublicBody"];
let formsOpen = false; // the forms stay open while an analyst adds several facts (the page is drawn again after each)

function editForm(kind, fields, submit) {
  const status = h("span", { class: "muted status" });
  const form = h("form", { class: `edit-form edit-${kind}`, onsubmit: async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    status.textContent = " saving…";
    try { await submit(fd); status.textContent = " saved"; }
    catch (e) { status.replaceChildren(errorBox(e)); }
  } }, fields,
  h("input", { name: "note", required: true, placeholder: "note: why (kept as the source)", size: 36 }),
  h("button", { type: "submit" }, "add"), status);
  return form;
}

export async function editsPanel(ent, onChange) {
  const id = ent.id;
  const list = h("div", { id: "edits-list" });
  const refresh = async () => {
    try {
      const res = await api(`/edits?entity_id=${enc(id)}`);
      list.replaceChildren(res.edits.length ? table(["edit", "by", "at", "note", ""], res.edits.map((e) => [
        `${e.kind}: ${e.statements.filter((s) => s.prop !== "id").map((s) => `${s.prop} = ${s.value}`).join(", ") || e.statements[0].schema}`,
        e.user, e.at.slice(0, 16).replace("T", " "), e.note,
        e.undone_at ? h("span", { class: "muted" }, `undone ${e.undone_at.slice(0, 16).replace("T", " ")}`)
          : h("button", { class: "undo", onclick: async () => { await api(`/edits/${enc(e.id)}`, { method: "DELETE" }); onChange(); } }, "undo")]))
        : h("p", { class: "muted" }, "No manual edits."));
    } catch (e) { list.replaceChildren(e.missing ? notAvailable("Manual edits") : errorBox(e)); }
  };
  const done = () => onChange();
  const other = h("input", { name: "other", placeholder: "other party: type a name", autocomplete: "off", required: true, size: 28 });
  const otherBox = h("span", { class: "search-box inline" }, other, h("ul", { class: "suggest", hidden: true }));
  let otherId = null;
  const propForm = editForm("property", [
    h("input", { name: "prop", required: true, placeholder: "property (e.g. website, country)", size: 22 }),
    h("input", { name: "value", required: true, placeholder: "value", size: 22 })],
  async (fd) => { await api("/edits/property", { method: "POST", body: { entity_id: id, prop: fd.get("prop"), value: fd.get("value"), note: fd.get("note") } }); done(); });
  const linkForm = editForm("link", [
    h("select", { name: "direction" }, h("option", { value: "out" }, "this party is the owner / director / agent of"), h("option", { value: "in" }, "this party is owned / directed / represented by")),
    h("select", { name: "schema" }, LINKS.map((s) => h("option", {}, s))), otherBox,
    h("input", { name: "percentage", placeholder: "% (ownership)", size: 8 })],
  async (fd) => {
    if (!otherId) throw new Error("pick the other party from the suggestions");
    const [src, dst] = fd.get("direction") === "out" ? [id, otherId] : [otherId, id];
    const properties = fd.get("percentage") ? { percentage: [fd.get("percentage")] } : {};
    await api("/edits/link", { method: "POST", body: { schema: fd.get("schema"), source_id: src, target_id: dst, note: fd.get("note"), properties } }); done();
  });
  const retypeForm = editForm("retype", [h("span", {}, `is a ${ent.schema}; correct to `),
    h("select", { name: "schema" }, PARTIES.filter((s) => s !== ent.schema).map((s) => h("option", {}, s)))],
  async (fd) => { await api("/edits/retype", { method: "POST", body: { entity_id: id, schema: fd.get("schema"), note: fd.get("note") } }); done(); });
  attachSuggest(other, (hit) => { otherId = hit.id; });
  other.addEventListener("input", () => { otherId = null; });
  await refresh();
  return h("div", { id: "edits-panel" }, list,
    h("details", { class: "edit-forms", open: formsOpen, ontoggle: (ev) => { formsOpen = ev.target.open; } }, h("summary", {}, "Add or correct a fact by hand"),
      h("p", {}, h("b", {}, "Property "), propForm), h("p", {}, h("b", {}, "Link "), linkForm), h("p", {}, h("b", {}, "Type "), retypeForm),
      h("p", { class: "muted" }, "Each edit is stored as a statement with you as its origin and your note as its source; undo keeps it in the history.")));
}

// ------------------------------------------------------------ review queue
const PAGE = 25;

export async function reviewPage(main) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const offset = Number(params.get("offset") || 0);
  const within = params.get("within") !== "false";
  const threshold = params.get("threshold") || "0.7";
  const link = (o, w = within) => `#/review?offset=${o}&within=${w}&threshold=${threshold}`;
  const bar = h("progress", { id: "xref-progress", max: 1, value: 0 });
  const note = h("p", { class: "muted" });
  main.replaceChildren(h("h1", {}, "Review: same party?"), note);
  let res;
  for (;;) {
    try { res = await api(`/xref?limit=${PAGE}&offset=${offset}&within=${within}&threshold=${threshold}`); }
    catch (e) { main.append(e.missing ? notAvailable("The resolution review queue") : errorBox(e)); return; }
    if (res.status === "ready") break;
    if (res.status === "failed") { main.append(errorBox(new Error(res.error))); return; }
    bar.max = res.total || 1; bar.value = res.total ? res.done : 0;
    note.replaceChildren("Computing candidates once for this store content ", bar, ` ${res.stage} ${res.done}${res.total ? ` / ${res.total}` : ""}`);
    if (!location.hash.startsWith("#/review")) return;
    await new Promise((r) => setTimeout(r, 700));
  }
  note.replaceChildren(`${res.total} pair(s) waiting, best first; pairs inside one dataset ${within ? "included" : "left out"}. `,
    h("a", { href: link(0, !within) }, within ? "only across datasets" : "include pairs inside one dataset"),
    ". Cross-script and abbreviation pairs are shown from 0.4 with their reason.");
  if (!res.candidates.length) { main.append(h("p", { class: "muted" }, "No candidates waiting for review.")); return; }
  const pager = (top) => h("p", { class: "pager" },
    offset > 0 ? h("a", { class: "button", href: link(Math.max(0, offset - PAGE)) }, "← previous") : null, " ",
    h("span", { class: "muted" }, `${offset + 1}–${offset + res.candidates.length} of ${res.total}`), " ",
    offset + PAGE < res.total ? h("a", { class: "button", id: top ? "next-page" : null, href: link(offset + PAGE) }, "next →") : null);
  main.append(pager(true), h("ul", { class: "review", id: "review-list" }, res.candidates.map((c) => {
    const status = h("span", { class: "muted status" });
    const judge = (j) => async () => {
      try { await api("/judgements", { method: "POST", body: { left_id: c.left_id, right_id: c.right_id, judgement: j, score: c.score } }); status.textContent = ` recorded: ${j}`; }
      catch (e) { status.replaceChildren(e.missing ? notAvailable("Recording judgements") : errorBox(e)); }
    };
    return h("li", {}, entityLink(c.left_id, c.left_caption), h("span", { class: "muted" }, ` (${c.left_datasets.join(", ")})`), " ≟ ",
      entityLink(c.right_id, c.right_caption), h("span", { class: "muted" }, ` (${c.right_datasets.join(", ")})`),
      h("span", { class: "muted" }, ` score ${Number(c.score).toFixed(2)} `), c.reason ? h("span", { class: "tag reason" }, c.reason) : null,
      c.within ? h("span", { class: "tag" }, "same dataset") : null,
      h("button", { onclick: judge("positive") }, "same"), h("button", { onclick: judge("negative") }, "different"), h("button", { onclick: judge("unsure") }, "unsure"), status,
      c.explanations && Object.keys(c.explanations).length ? h("details", {}, h("summary", {}, "why"), explainPair(c.explanations)) : null);
  })), pager(false));
}

function explainPair(ex) {
  return h("ul", { class: "explain" }, Object.entries(ex).map(([feature, v]) => h("li", {}, h("b", {}, feature), ": ",
    v && typeof v === "object" ? `${v.query ?? ""} ≈ ${v.candidate ?? ""}${v.method ? ` (${v.method})` : ""}` : String(v))));
}

// ------------------------------------------------------------ long lists: filter, group, pages
// A list of rows shown a page at a time, with a text filter and optional selects
// (`choices`: {field: label}); `render(rowsOfPage)` draws one page.
export function pagedList(rows, render, { pageSize = 25, id = "paged", choices = {}, text = (r) => JSON.stringify(r), groupBy = null } = {}) {
  const state = { page: 0, q: "", pick: {} };
  const body = h("div", { class: "paged-body" });
  const info = h("span", { class: "muted" });
  const prev = h("button", { type: "button", class: "prev", onclick: () => { state.page--; draw(); } }, "← previous");
  const next = h("button", { type: "button", class: "next", onclick: () => { state.page++; draw(); } }, "next →");
  const search = h("input", { type: "search", placeholder: "filter…", class: "filter", oninput: () => { state.q = search.value.toLowerCase(); state.page = 0; draw(); } });
  const selects = Object.entries(choices).map(([field, label]) => {
    const values = [...new Set(rows.map((r) => r[field]).filter((v) => v !== undefined && v !== null && v !== ""))].sort();
    const counts = Object.fromEntries(values.map((v) => [v, rows.filter((r) => r[field] === v).length]));
    const sel = h("select", { name: field, onchange: () => { state.pick[field] = sel.value; state.page = 0; draw(); } },
      h("option", { value: "" }, `every ${label}`), values.map((v) => h("option", { value: v }, `${v} (${counts[v]})`)));
    return sel;
  });
  const draw = () => {
    const kept = rows.filter((r) => Object.entries(state.pick).every(([f, v]) => !v || r[f] === v) && (!state.q || text(r).toLowerCase().includes(state.q)));
    const pages = Math.max(1, Math.ceil(kept.length / pageSize));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const slice = kept.slice(state.page * pageSize, (state.page + 1) * pageSize);
    info.textContent = kept.length ? ` ${state.page * pageSize + 1}–${state.page * pageSize + slice.length} of ${kept.length}${kept.length < rows.length ? ` (filtered from ${rows.length})` : ""} ` : " nothing matches ";
    prev.disabled = state.page === 0; next.disabled = state.page >= pages - 1;
    body.replaceChildren(groupBy ? groups(slice, groupBy, render) : render(slice));
  };
  draw();
  return h("div", { id, class: "paged" }, h("p", { class: "paged-controls" }, search, " ", selects, " ", prev, info, next), body);
}

function groups(rows, key, render) {
  const order = [];
  const by = new Map();
  for (const r of rows) { const k = key(r); if (!by.has(k)) { by.set(k, []); order.push(k); } by.get(k).push(r); }
  return h("div", {}, order.map((k) => h("div", { class: "group" }, h("h3", {}, k), render(by.get(k)))));
}

// ------------------------------------------------------------ impact and capacity
// Impact: not-yet-sanctioned parties ranked by the (CHPL-weighted) flow a designation would
// cut, each with the shipments behind its rank.
// $6.0 M, $850 k: a figure's size at a glance.
const short = (v) => {
  const x = Number(v || 0);
  for (const [size, unit] of [[1e9, " bn"], [1e6, " M"], [1e3, " k"]]) if (Math.abs(x) >= size) return `$${(x / size).toFixed(1)}${unit}`;
  return usd(x);
};
const linkWhy = (e) => h("li", {}, entityLink(e.supplier, e.supplier_name), " → ", entityLink(e.buyer, e.buyer_name),
  ` ${short(e.value_usd)} in ${e.records} record(s), largest ${e.largest_record || "?"}`);

export async function impactPage(main) {
  main.replaceChildren(h("h1", {}, "Designation impact"), h("p", { class: "muted" },
    "Who to designate next: suppliers ranked by the flow to sanctioned buyers their designation would cut (CHPL goods weighted), then buyers of CHPL goods that red flags tie to evasion. The evidence is beside each rank."),
    h("h2", {}, "Suppliers"));
  const suppliers = h("div", { id: "impact-suppliers" }, h("p", { class: "muted" }, "Loading…"));
  const buyers = h("div", { id: "impact-buyers" }, h("p", { class: "muted" }, "Loading…"));
  const bomBox = h("textarea", { name: "bom", rows: 6, cols: 80 }, BOM_EXAMPLE);
  const bomForm = h("form", { id: "impact-bom", onsubmit: (ev) => { ev.preventDefault(); loadBuyers(bomBox.value); } },
    h("details", {}, h("summary", {}, "Estimate each buyer's capacity from a bill of materials"),
      h("p", {}, bomBox), h("p", {}, h("button", { type: "submit" }, "Estimate capacity"))));
  main.append(suppliers, h("h2", {}, "Buyers of CHPL goods with red flags"), bomForm, buyers);
  let rows;
  try { rows = await api("/trade/impact?top=50"); } catch (e) { suppliers.replaceChildren(e.missing ? notAvailable("Designation impact") : errorBox(e)); rows = null; }
  if (rows && !rows.length) suppliers.replaceChildren(h("p", { class: "muted" }, "No flow to sanctioned buyers in the trade records."));
  else if (rows) {
    suppliers.replaceChildren(h("table", { id: "impact-table" }, h("thead", {}, h("tr", {}, ["#", "party", "would cut", "share of its flow", "in the min cut", "sanctioned buyers", "why (largest links, largest record)"].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.map((r, i) => h("tr", {}, h("td", {}, i + 1), h("td", {}, entityLink(r.id, r.name)), h("td", {}, short(r.cut_usd)),
        h("td", {}, `${Math.round((r.cut_share || 0) * 100)} %`), h("td", {}, r.in_min_cut ? "yes" : ""),
        h("td", {}, (r.sanctioned_buyers || []).join(", ")),
        h("td", { class: "why" }, h("ul", { class: "sources" }, [...(r.evidence.out || []), ...(r.evidence.in || [])].map(linkWhy))))))));
  }
  async function loadBuyers(bom) {
    buyers.replaceChildren(h("p", { class: "muted" }, bom ? "Estimating capacity…" : "Loading…"));
    let list;
    try { list = await api(`/trade/impact/buyers?top=20${bom ? `&bom=${encodeURIComponent(bom)}` : ""}`); }
    catch (e) { buyers.replaceChildren(e.missing ? notAvailable("Buyer impact") : errorBox(e)); return; }
    if (!list.length) { buyers.replaceChildren(h("p", { class: "muted" }, "No buyer of CHPL goods has a red flag.")); return; }
    buyers.replaceChildren(h("table", { id: "impact-buyers-table" }, h("thead", {}, h("tr", {}, ["#", "buyer", "CHPL goods", "all goods", "capacity a month", "red flags", "why"].map((c) => h("th", {}, c)))),
      h("tbody", {}, list.map((r, i) => {
        // Each kind of flag once, with how many times it fired, its detail and its source sentence.
        const kinds = new Map();
        for (const f of r.flags) { if (!kinds.has(f.rule)) kinds.set(f.rule, { f, n: 0 }); kinds.get(f.rule).n += 1; }
        const cap = r.capacity;
        return h("tr", {}, h("td", {}, i + 1), h("td", {}, entityLink(r.id, r.name)), h("td", {}, short(r.chpl_usd)), h("td", {}, short(r.value_usd)),
          h("td", {}, cap && cap.supported_per_month ? `≈ ${Math.round(cap.supported_per_month).toLocaleString("en")} ${cap.product} (binds: ${cap.binding})` : h("span", { class: "muted" }, cap ? "none of the bill's components" : "give a bill of materials")),
          h("td", {}, [...kinds.values()].map(({ f, n }) => h("div", {}, h("span", { class: `tag sev-${f.severity || ""}` }, f.title), n > 1 ? ` ×${n}` : ""))),
          h("td", { class: "why" }, h("ul", { class: "sources" },
            r.suppliers.map((x) => h("li", {}, "from ", entityLink(x.id, x.name), ` ${short(x.value_usd)} in ${x.records} record(s), largest ${x.largest_record || "?"}`)),
            [...kinds.values()].map(({ f }) => h("li", {}, f.detail || f.title, f.source ? h("span", { class: "muted" }, ` — ${f.source}`) : null,
              f.quote ? h("blockquote", {}, f.quote) : null)))));
      }))));
  }
  await loadBuyers(null);
}

// Capacity: units a month the component flows into a buyer could support, from a bill of materials.
const BOM_EXAMPLE = "# one unit: each component, how many per unit, its HS codes, words in the goods description, a unit price\nproduct: FPV quadcopter\ncomponents:\n  motor: {per_unit: 4, hs: [\"8501.31\"], keywords: [brushless motor], unit_price_usd: 15}\n  flight_controller: {per_unit: 1, hs: [\"8542.31\"], keywords: [flight controller], unit_price_usd: 30}\n  esc: {per_unit: 1, hs: [\"8504.40\"], keywords: [speed controller], unit_price_usd: 25}\n";
export function capacityPage(main) {
  const out = h("div", { id: "capacity-result" });
  const buyer = h("input", { name: "buyer_name", placeholder: "buyer: type a name", autocomplete: "off", required: true, size: 36 });
  let buyerId = null;
  const form = h("form", { id: "capacity-form", onsubmit: async (ev) => {
    ev.preventDefault();
    if (!buyerId) { out.replaceChildren(errorBox(new Error("pick the buyer from the suggestions"))); return; }
    out.replaceChildren(h("p", { class: "muted" }, "Computing…"));
    try {
      const r = await api("/trade/capacity", { method: "POST", body: { buyer: buyerId, bom: new FormData(form).get("bom") } });
      out.replaceChildren(capacityResult(r));
    } catch (e) { out.replaceChildren(e.missing ? notAvailable("Capacity") : errorBox(e)); }
  } },
  h("p", {}, h("span", { class: "search-box inline" }, buyer, h("ul", { class: "suggest", hidden: true }))),
  h("p", {}, h("label", {}, "Bill of materials (YAML, see docs/trade.md)", h("br"), h("textarea", { name: "bom", rows: 7, cols: 80 }, BOM_EXAMPLE))),
  h("p", {}, h("button", { type: "submit" }, "Compute capacity")));
  attachSuggest(buyer, (hit) => { buyerId = hit.id; });
  buyer.addEventListener("input", () => { buyerId = null; });
  main.replaceChildren(h("h1", {}, "Production capacity"), h("p", { class: "muted" },
    "How many units a month the components shipped to a buyer could build, which component binds, and what documents claim."), form, out);
}

function capacityResult(r) {
  const rows = Object.entries(r).filter(([, v]) => typeof v !== "object" || v === null).map(([k, v]) => [k.replaceAll("_", " "), typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 1 }) : String(v ?? "")]);
  const lists = Object.entries(r).filter(([, v]) => Array.isArray(v) && v.length && typeof v[0] === "object");
  return h("div", {}, table(["", ""], rows), lists.map(([k, v]) => h("div", {}, h("h3", {}, k.replaceAll("_", " ")),
    table(Object.keys(v[0]).slice(0, 8), v.slice(0, 50).map((x) => Object.keys(v[0]).slice(0, 8).map((c) => {
      const val = x[c];
      return val && typeof val === "object" ? JSON.stringify(val).slice(0, 120) : typeof val === "number" ? val.toLocaleString("en", { maximumFractionDigits: 1 }) : String(val ?? "");
    }))))));
}
