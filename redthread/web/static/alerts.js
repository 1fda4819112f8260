// Alert triage: list alerts (GET /alerts), show each one's evidence, record
// a decision (POST /alerts/{id}/decision). With four eyes on, a decision
// leaves the alert "pending" and a different reviewer confirms it.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);
const USER = "redthread.reviewer";

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value ?? "";
  if (cls) el.className = cls;
  return el;
}

function evidence(alert) {
  const ev = alert.evidence || {};
  const box = document.createElement("details");
  box.append(text("summary", ev.reason || ev.direction || "evidence"));
  const name = ev.explanations && ev.explanations.name;
  if (name) box.append(text("div", `name: ${name.query} ~ ${name.candidate} (${name.method})`));
  for (const src of ev.name_sources || []) box.append(text("div", `stated in ${src.dataset} / ${src.source} ${src.location}`));
  for (const s of ev.sanctions || []) box.append(text("div", `sanction: ${(s.program || []).join(", ")} ${(s.authority || []).join(", ")}`));
  if (ev.changes) box.append(text("pre", JSON.stringify(ev.changes, null, 1)));
  if (ev.blocked_by_ownership) box.append(text("div", `blocked by ownership: ${ev.blocked_by_ownership.blocked_share} %`));
  return box;
}

async function decide(alert, decision, confirm) {
  const user = $("user").value.trim();
  if (!user) { $("message").textContent = "enter your name as reviewer first"; return; }
  localStorage.setItem(USER, user);
  const note = confirm ? "" : (prompt(`Note for ${decision.replace("_", " ")} on alert ${alert.id}:`) ?? "");
  try {
    const out = await api(`/alerts/${alert.id}/decision`, { method: "POST", body: { decision, note, user, confirm } });
    $("message").textContent = `alert ${alert.id}: ${out.status}`;
    await load();
  } catch (err) { $("message").textContent = err.message; }
}

function buttons(alert) {
  const cell = document.createElement("td");
  const add = (label, decision, confirm = false) => {
    const b = text("button", label);
    b.type = "button";
    b.addEventListener("click", () => decide(alert, decision, confirm));
    cell.append(b);
  };
  if (alert.status === "pending") {
    const proposed = [...(alert.decisions || [])].reverse().find((d) => d.step === "decision");
    if (proposed) add(`confirm ${proposed.decision.replace("_", " ")}`, proposed.decision, true);
  }
  add("true match", "true_match");
  add("false positive", "false_positive");
  add("needs review", "needs_review");
  return cell;
}

async function load() {
  const params = new URLSearchParams();
  if ($("watchlist").value) params.set("watchlist", $("watchlist").value);
  if ($("status").value) params.set("status", $("status").value);
  const body = $("alerts").querySelector("tbody");
  try {
    const data = await api(`/alerts?${params}`);
    body.replaceChildren();
    for (const a of data.alerts) {
      if (a.status === "pending") Object.assign(a, await api(`/alerts/${a.id}`));
      const row = document.createElement("tr");
      const entity = text("td", `${a.entity.caption} (${a.entity.id})`);
      entity.append(evidence(a));
      row.append(text("td", a.id), text("td", a.kind), text("td", `${a.counterparty.name} (${a.counterparty.id})`), entity,
        text("td", a.score == null ? "" : a.score.toFixed(3)), text("td", `load ${a.load_id} · ${a.list_date || ""}`),
        text("td", a.status), buttons(a));
      body.append(row);
    }
    $("message").textContent = data.alerts.length ? "" : "no alerts";
  } catch (err) {
    $("message").textContent = err.missing ? "monitoring is not available in this installation" : err.message;
  }
}

async function init() {
  $("user").value = localStorage.getItem(USER) || "";
  try {
    const data = await api("/watchlists");
    for (const w of data.watchlists) $("watchlist").append(new Option(`${w.name} (${w.rows})`, w.name));
  } catch (err) { $("message").textContent = err.message; }
  $("watchlist").addEventListener("change", load);
  $("status").addEventListener("change", load);
  await load();
}

init();
