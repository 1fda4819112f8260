// Type-ahead over /search: suggestions appear as you type; Enter or click picks one.
import { api } from "./api.js";
import { h } from "./dom.js";

export function attachSuggest(input, onPick) {
  const list = input.parentElement.querySelector(".suggest");
  let timer = null, hits = [], active = -1, seq = 0;
  const close = () => { list.hidden = true; active = -1; };
  const render = () => {
    list.replaceChildren(...hits.map((r, i) => h("li", {
      role: "option", class: i === active ? "active" : "", onmousedown: (ev) => { ev.preventDefault(); pick(i); },
    }, h("b", {}, r.caption), r.matched && r.matched !== r.caption ? h("span", {}, ` “${r.matched}”`) : null, " ",
    h("span", { class: "muted" }, `${r.schema} · ${r.datasets.join(", ")}`))));
    list.hidden = hits.length === 0;
  };
  const pick = (i) => { const hit = hits[i]; if (!hit) return; input.value = hit.caption; close(); onPick(hit); };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { hits = []; render(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const res = await api(`/search?q=${encodeURIComponent(q)}&limit=10`);
        if (mine === seq) { hits = res.results; active = hits.length ? 0 : -1; render(); }
      } catch { hits = []; render(); }
    }, 150);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); render(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
    else if (ev.key === "Enter") { if (active >= 0) pick(active); ev.preventDefault(); }
    else if (ev.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  window.addEventListener("hashchange", () => { clearTimeout(timer); seq++; hits = []; close(); });
}
