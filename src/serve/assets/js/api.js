// The API client: fetching /api/… (errors as ApiError), a short-lived cache of answers,
// and the adapters that read the server's JSON. Every field of an answer is read here
// and nowhere else, in the shapes the server sends (src/serve/api.rs and the library's
// serde types); a field that is null becomes '' or null and the views leave it out.

import { refOf, symbolWithPart } from './refs.js';

const str = (v) => (v === null || v === undefined ? '' : String(v));
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v) => (Array.isArray(v) ? v : []);
// Character ranges [start, end), end excluded.
const ranges = (v) => arr(v).map(([s, e]) => [s, e]);

// A member of a series, {symbol, part, session}, or null.
function readMember(v) {
  return v ? { symbol: str(v.symbol), part: str(v.part), session: num(v.session) } : null;
}

// A resolution's metadata (a resolution, a side of a diff).
function readMeta(o) {
  return {
    symbol: str(o.symbol), part: str(o.part), session: num(o.session), year: num(o.year),
    date: str(o.date), title: str(o.title),
  };
}

// A record as `unres export` prints it; a search hit adds place, snippet, highlights and,
// collapsed, also_in.
function readRecord(o) {
  return {
    ...readMeta(o),
    kind: str(o.kind),
    para: num(o.para),
    ref: refOf(str(o.kind), num(o.para)),
    place: str(o.place),
    text: str(o.text),
    highlights: ranges(o.highlights),
    snippet: str(o.snippet),
    snippetHighlights: ranges(o.snippet_highlights),
    cites: arr(o.cites).map(str),
    footnotes: arr(o.footnotes),
    alsoIn: arr(o.also_in).map(readMember),
  };
}

// /api/search: a page of hits, each with the previous member of its series (null: none,
// so no comparison to offer).
export function readSearch(o) {
  const hits = arr(o.hits).map(readRecord);
  const previous = o.previous || {};
  for (const h of hits) h.previous = readMember(previous[symbolWithPart(h.symbol, h.part)]);
  return {
    hits,
    total: o.total,
    exact: o.total_exact,
    records: o.records === undefined ? null : o.records,
    recordsExact: o.records_exact !== false,
    tookMs: num(o.took_ms),
    offset: o.offset,
    limit: o.limit,
  };
}

// /api/search?by=session: matching records by session.
export function readSessions(o) {
  return arr(o.sessions).map((s) => ({ session: s.session, count: s.count }));
}

// /api/resolution: its metadata, its neighbours in its series and its records.
export function readResolution(o) {
  return {
    ...readMeta(o),
    records: arr(o.records).map(readRecord),
    previous: readMember(o.previous),
    next: readMember(o.next),
  };
}

// A character-level diff: [op, text] spans, op '=', '-' or '+'.
const OPS = { '=': 'equal', '-': 'delete', '+': 'insert' };
function readChanges(v) {
  return arr(v).map(([op, text]) => ({ op: OPS[op] || '', text: str(text) })).filter((c) => c.op);
}

// One side of a paragraph's diff, or null where the paragraph is new or dropped.
function readVersion(v) {
  return v ? { symbol: str(v.symbol), kind: str(v.kind), para: num(v.para), text: str(v.text) } : null;
}

// /api/diff: both sides (each with its own previous member, or null), the counts of each
// kind, and each paragraph with its status (unchanged, changed, new, dropped), moved and
// its changes.
export function readDiff(o) {
  const paragraphs = arr(o.paragraphs).map((p) => {
    const old = readVersion(p.old);
    const nu = readVersion(p.new);
    return {
      kind: (nu || old).kind, old, new: nu, ops: readChanges(p.changes),
      status: str(p.status), moved: p.moved === true,
    };
  });
  const summary = { changed: 0, new: 0, dropped: 0, moved: 0, unchanged: 0 };
  for (const kind of arr(o.summary)) {
    for (const k of Object.keys(summary)) summary[k] += num(kind[k]) || 0;
  }
  return {
    old: readMeta(o.old), new: readMeta(o.new), oldHasPrevious: o.old.previous !== null,
    summary, paragraphs,
  };
}

// /api/history: the versions of a paragraph, newest first (symbol with its part letter).
export function readHistory(o) {
  return arr(o.versions).map((v) => ({
    symbol: str(v.symbol), session: num(v.session), kind: str(v.kind), para: num(v.para),
    ref: refOf(str(v.kind), num(v.para)), text: str(v.text),
    status: str(v.status), moved: v.moved === true, ops: readChanges(v.changes),
  }));
}

// /api/stats: by_session maps each session to its records of each kind.
export function readStats(o) {
  const sessions = Object.entries(o.by_session || {})
    .map(([s, counts]) => ({ session: Number(s), count: arr(counts).reduce((a, n) => a + n, 0) }))
    .sort((a, b) => a.session - b.session);
  return { records: num(o.records), resolutions: num(o.resolutions), sessions };
}

// {"error": {"message", "column"}}: column (1-based) where a query could not be read.
function readError(o) {
  const e = (o && o.error) || {};
  return { message: str(e.message), column: num(e.column) };
}

export class ApiError extends Error {
  constructor(message, status, column) {
    super(message);
    this.status = status;
    this.column = column;
  }
}

// Slashes and colons are left readable in URLs (both are valid in a query).
export function prettyQuery(qs) {
  return qs.toString().replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

// /api/PATH?…, the empty parameters left out.
export function apiUrl(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== '' && v !== null && v !== undefined && v !== false) qs.set(k, String(v));
  }
  const s = prettyQuery(qs);
  return '/api/' + path + (s ? '?' + s : '');
}

// The answer's JSON; an ApiError for an error answer or no answer.
export async function api(path, params, signal) {
  let res;
  try {
    res = await fetch(apiUrl(path, params), { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('无法连接服务器。', 0, null);
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
  }
  if (!res.ok) {
    const { message, column } = readError(body);
    throw new ApiError(message || `服务器错误（HTTP ${res.status}）。`, res.status, column);
  }
  if (body === null || typeof body !== 'object') throw new ApiError('服务器的答复无法解析。', res.status, null);
  return body;
}

// Answers kept a minute (charts, resolutions, stats), so that paging and the back button
// do not ask again.
const cache = new Map();
const TTL_MS = 60000;
export function cached(key, make) {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.t < TTL_MS) return hit.p;
  const p = make();
  cache.set(key, { p, t: Date.now() });
  p.catch(() => { if (cache.get(key) && cache.get(key).p === p) cache.delete(key); });
  if (cache.size > 40) cache.delete(cache.keys().next().value);
  return p;
}
export const isCached = (key) => cache.has(key) && Date.now() - cache.get(key).t < TTL_MS;
