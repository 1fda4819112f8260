// The one place the UI talks to the API: adds the key, turns errors into exceptions.
const KEY = "redthread.apikey";

export function getKey() { return sessionStorage.getItem(KEY) || ""; }
export function setKey(key) { key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY); }

export class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
  // A route that is not installed (vs. a 404 about a missing record, which has its own detail).
  get missing() { return this.status === 405 || (this.status === 404 && this.message === "Not Found"); }
}

export async function api(path, { method = "GET", body, form } = {}) {
  const headers = {};
  const key = getKey();
  if (key) headers["Authorization"] = `ApiKey ${key}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  const res = await fetch(path, { method, headers, body: payload });
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    const detail = data && data.detail ? (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail)) : res.statusText;
    throw new ApiError(res.status, detail);
  }
  return data;
}

// Try endpoints in order (capabilities may name their routes differently); the first
// that exists answers. Throws the last 404 when none is installed.
export async function firstOf(paths, opts) {
  let last;
  for (const p of paths) {
    try { return await api(p, opts); } catch (e) { if (!(e instanceof ApiError) || !e.missing) throw e; last = e; }
  }
  throw last;
}

// Capabilities land their routes in their own modules; the UI finds them in the
// server's OpenAPI description instead of hard-coding every path.
let spec = null;
export async function openapi() {
  if (!spec) spec = await fetch("/openapi.json").then((r) => (r.ok ? r.json() : { paths: {} })).catch(() => ({ paths: {} }));
  return spec;
}

// GET paths whose name contains one of `words` (ignoring "-" and "_"). With `id`, only
// paths taking one path parameter or an entity query parameter, filled with it.
// `query` adds query parameters the route declares (others are left out).
export async function discover(words, id = null, query = {}) {
  const s = await openapi();
  const out = [];
  for (const [path, ops] of Object.entries(s.paths || {})) {
    if (!ops.get) continue;
    const flat = path.toLowerCase().replace(/[-_]/g, "");
    if (!words.some((w) => flat.includes(w))) continue;
    const declared = (ops.get.parameters || []).filter((p) => p.in === "query").map((p) => p.name);
    const holes = path.match(/\{[^}]+\}/g) || [];
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (declared.includes(k)) qs.set(k, v);
    let url = null;
    if (id !== null) {
      if (holes.length === 1) url = path.replace(holes[0], encodeURIComponent(id));
      else if (!holes.length) {
        const name = declared.find((n) => ["entity_id", "entity", "id"].includes(n));
        if (name) { qs.set(name, id); url = path; }
      }
    } else if (!holes.length) url = path;
    if (url) out.push(qs.toString() ? `${url}?${qs}` : url);
  }
  return out;
}
