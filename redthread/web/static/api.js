// The one place the UI talks to the API: adds the key, turns errors into exceptions.
const KEY = "redthread.apikey";

export function getKey() { return localStorage.getItem(KEY) || ""; }
export function setKey(key) { key ? localStorage.setItem(KEY, key) : localStorage.removeItem(KEY); }

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
