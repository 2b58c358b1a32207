// The page of `unres serve`: search, resolution, diff and history views.
// Every text that comes from the corpus or the server is inserted as text
// (textContent, Text nodes); no markup is ever built from strings.

const LIMIT_DEFAULT = 10;
const DEBOUNCE_MS = 150;
const SVG_NS = 'http://www.w3.org/2000/svg';

const KIND_NAME = { preamble: '序言部分', operative: '执行部分', footnote: '脚注', annex: '附件' };
const REF_PREFIX = { preamble: 'pre', operative: 'op', footnote: 'fn', annex: 'annex' };
const PREFIX_KIND = { pre: 'preamble', op: 'operative', fn: 'footnote', annex: 'annex' };
const STATUS_NAME = { changed: '修改', new: '新增', dropped: '删除', moved: '移动', unchanged: '未改' };
const SORTS = ['relevance', 'newest', 'oldest'];

// ---------------------------------------------------------------------------
// API adapters: every field of the server's JSON is read here and nowhere else.
// Missing or odd fields become '' / null / [] and the views leave them out.
// ---------------------------------------------------------------------------

const str = (v) => (v === null || v === undefined || typeof v === 'object') ? '' : String(v);
const arr = (v) => (Array.isArray(v) ? v : []);
const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
function num(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}
function ranges(v) {
  return arr(v)
    .filter((r) => Array.isArray(r) && r.length >= 2)
    .map((r) => [num(r[0]), num(r[1])])
    .filter(([s, e]) => s !== null && e !== null && e > s);
}

// A resolution named by the server: "A/RES/77/71" or {symbol, part, session}.
function readLink(v) {
  if (typeof v === 'string') return v ? { symbol: v, part: '', session: null } : null;
  const o = obj(v);
  const symbol = str(o.symbol);
  return symbol ? { symbol, part: str(o.part), session: num(o.session) } : null;
}

// Resolution metadata (resolution, diff sides, by=resolution rows).
function readMeta(v) {
  const o = obj(v);
  return {
    symbol: str(o.symbol), part: str(o.part), session: num(o.session), year: num(o.year),
    date: str(o.date), title: str(o.title), count: num(o.count),
  };
}

// A record (paragraph, footnote) or a search hit.
function readRecord(v) {
  const o = obj(v);
  const kind = str(o.kind);
  const para = num(o.para);
  return {
    ...readMeta(o),
    kind, para,
    ref: str(o.ref) || refOf(kind, para),
    place: str(o.place),
    text: str(o.text),
    highlights: ranges(o.highlights),
    snippet: str(o.snippet),
    snippetHighlights: ranges(o.snippet_highlights),
    cites: arr(o.cites).map(str).filter(Boolean),
    footnotes: arr(o.footnotes).map(num).filter((n) => n !== null),
    related: arr(o.related).map(obj).map((r) => ({ kind: str(r.kind), para: num(r.para), text: str(r.text) })),
    alsoIn: arr(o.also_in).map(readLink).filter(Boolean),
  };
}

function readSearch(v) {
  const o = obj(v);
  const hits = arr(o.hits).map(readRecord);
  // The previous member of each hit's series (null: none, so no comparison to offer).
  const previous = obj(o.previous);
  for (const h of hits) h.previous = readLink(previous[symbolWithPart(h.symbol, h.part)]);
  const total = num(o.total);
  return {
    hits,
    total: total === null ? hits.length : total,
    exact: o.total_exact !== false,
    records: num(o.records),
    recordsExact: o.records_exact !== false,
    tookMs: num(o.took_ms),
    offset: num(o.offset),
    limit: num(o.limit),
  };
}

function readSessions(v) {
  return arr(obj(v).sessions).map(obj)
    .map((s) => ({ session: num(s.session), count: num(s.count) || 0 }))
    .filter((s) => s.session !== null);
}

function readResolution(v) {
  const o = obj(v);
  return {
    ...readMeta(o),
    records: arr(o.records).map(readRecord),
    previous: readLink(o.previous),
    next: readLink(o.next),
  };
}

function readOps(v) {
  const name = (op) => {
    const s = str(op);
    if (s === 'equal' || s === '=' || s === 'eq') return 'equal';
    if (s === 'delete' || s === '-' || s === 'del') return 'delete';
    if (s === 'insert' || s === '+' || s === 'ins') return 'insert';
    return '';
  };
  return arr(v).map((o) => (Array.isArray(o)
    ? { op: name(o[0]), text: str(o[1]) }
    : { op: name(obj(o).op), text: str(obj(o).text) }))
    .filter((o) => o.op);
}

// status "moved" or moved:true; the base status then says whether the text changed.
function readStatus(o, ops) {
  let status = str(o.status);
  let moved = o.moved === true;
  if (status === 'moved') {
    moved = true;
    status = ops.some((x) => x.op !== 'equal') ? 'changed' : 'unchanged';
  }
  return { status, moved };
}

function readSide(v) {
  if (!v || typeof v !== 'object') return null;
  return { para: num(v.para), text: str(v.text), kind: str(v.kind), symbol: str(v.symbol) };
}

function readDiff(v) {
  const o = obj(v);
  const paragraphs = arr(o.paragraphs).map(obj).map((p) => {
    const ops = readOps(p.ops !== undefined ? p.ops : p.changes);
    const old = readSide(p.old);
    const nu = readSide(p.new);
    const kind = str(p.kind) || (nu && nu.kind) || (old && old.kind) || '';
    return { kind, old, new: nu, ops, ...readStatus(p, ops) };
  });
  // previous: null says the old side has no earlier member to compare it with.
  const oldHasPrevious = obj(o.old).previous !== null;
  return { old: readMeta(o.old), new: readMeta(o.new), oldHasPrevious, summary: readSummary(o.summary, paragraphs), paragraphs };
}

// {changed, unchanged, new, dropped, moved}, or a list of such per kind, or absent.
function readSummary(v, paragraphs) {
  const keys = ['changed', 'new', 'dropped', 'moved', 'unchanged'];
  const sum = Object.fromEntries(keys.map((k) => [k, 0]));
  const parts = Array.isArray(v) ? v.map(obj) : (v && typeof v === 'object' ? [v] : []);
  let any = false;
  for (const p of parts) {
    for (const k of keys) {
      const n = num(p[k]);
      if (n !== null) { sum[k] += n; any = true; }
    }
  }
  if (any) return sum;
  for (const p of paragraphs) {
    if (p.status in sum) sum[p.status] += 1;
    if (p.moved) sum.moved += 1;
  }
  return sum;
}

function readHistory(v) {
  const list = Array.isArray(v) ? v : arr(obj(v).versions);
  return list.map(obj).map((x) => {
    const ops = readOps(x.ops !== undefined ? x.ops : x.changes);
    return { ...readRecord(x), ops, ...readStatus(x, ops) };
  });
}

// `unres stats --json`: by_session maps each session to its records of each kind.
function readStats(v) {
  const o = obj(v);
  let sessions = readSessions(o);
  if (!sessions.length) {
    sessions = Object.entries(obj(o.by_session))
      .map(([s, counts]) => ({ session: num(s), count: arr(counts).reduce((a, n) => a + (num(n) || 0), 0) }))
      .filter((s) => s.session !== null)
      .sort((a, b) => a.session - b.session);
  }
  return { records: num(o.records), resolutions: num(o.resolutions), sessions };
}

function readError(v) {
  const o = obj(v);
  const e = o.error;
  if (typeof e === 'string') return { message: e, column: null };
  return { message: str(obj(e).message) || str(o.message), column: num(obj(e).column) };
}

// ---------------------------------------------------------------------------
// Fetching
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, status, column) {
    super(message);
    this.status = status;
    this.column = column;
  }
}

function apiUrl(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== '' && v !== null && v !== undefined && v !== false) qs.set(k, String(v));
  }
  const s = prettyQuery(qs);
  return '/api/' + path + (s ? '?' + s : '');
}

async function api(path, params, signal) {
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
  if (body === null) throw new ApiError('服务器的答复无法解析。', res.status, null);
  return body;
}

// One view loads at a time: a new load aborts the one before, and an answer
// that arrives late is dropped (live() is false).
let inflight = null;
let loadSeq = 0;
function begin(statusText) {
  if (inflight) inflight.abort();
  inflight = new AbortController();
  const mine = ++loadSeq;
  setStatus(statusText);
  clearError();
  return { signal: inflight.signal, live: () => mine === loadSeq };
}
function finish(job) {
  if (job.live()) setStatus('');
}
function failed(job, e, query) {
  if (!job.live() || (e && e.name === 'AbortError')) return;
  setStatus('');
  showError(e, query);
}

// Answers kept a minute (charts, resolutions, stats), so paging and the back
// button do not ask again.
const cache = new Map();
function cached(key, make) {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.t < 60000) return hit.p;
  const p = make();
  cache.set(key, { p, t: Date.now() });
  p.catch(() => { if (cache.get(key) && cache.get(key).p === p) cache.delete(key); });
  if (cache.size > 40) cache.delete(cache.keys().next().value);
  return p;
}
const isCached = (key) => cache.has(key) && Date.now() - cache.get(key).t < 60000;

// ---------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------

const $ = (sel) => document.querySelector(sel);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
  return e;
}

// Links are built only from our own paths ("/?…" made by URLSearchParams).
function link(href, text, cls) {
  const a = el('a', cls, text);
  a.setAttribute('href', typeof href === 'string' && href.startsWith('/') && !href.startsWith('//') ? href : '/');
  return a;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

// Text with <mark>s over [start, end) ranges counted in code points.
function appendMarked(parent, text, rs) {
  if (!rs || !rs.length) { parent.append(text); return; }
  const chars = Array.from(text);
  const n = chars.length;
  const sorted = rs.map(([s, e]) => [Math.max(0, Math.min(n, s)), Math.max(0, Math.min(n, e))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) parent.append(chars.slice(pos, s).join(''));
    parent.append(el('mark', '', chars.slice(s, e).join('')));
    pos = e;
  }
  if (pos < n) parent.append(chars.slice(pos).join(''));
}

// Diff operations: side 'old' shows equal+delete, 'new' equal+insert, 'both' all.
function appendOps(parent, ops, side) {
  for (const o of ops) {
    if (o.op === 'equal') parent.append(o.text);
    else if (o.op === 'delete' && side !== 'new') parent.append(el('del', '', o.text));
    else if (o.op === 'insert' && side !== 'old') parent.append(el('ins', '', o.text));
  }
}

function joinMeta(parts) {
  return parts.filter((p) => p !== '' && p !== null && p !== undefined).join(' · ');
}
const sessionName = (s) => (s === null ? '' : `第 ${s} 届会议`);
const fmt = (n) => (n === null ? '' : n.toLocaleString('zh-CN'));

function placeLabel(kind, para) {
  if (para === null || para === undefined) return KIND_NAME[kind] || kind;
  switch (kind) {
    case 'preamble': return `序言部分第 ${para} 段`;
    case 'operative': return `执行部分第 ${para} 段`;
    case 'footnote': return `脚注 ${para}`;
    case 'annex': return `附件第 ${para} 段`;
    default: return `${kind} ${para}`;
  }
}
function refOf(kind, para) {
  return kind && para !== null && para !== undefined ? `${REF_PREFIX[kind] || kind}.${para}` : '';
}
function parseRef(ref) {
  const m = /^([a-z]+)\.(\d+)$/i.exec(ref || '');
  if (!m) return null;
  return { kind: PREFIX_KIND[m[1].toLowerCase()] || m[1], para: Number(m[2]) };
}
function refLabel(ref) {
  const r = parseRef(ref);
  return r ? placeLabel(r.kind, r.para) : ref;
}
const symbolWithPart = (symbol, part) => (part ? `${symbol} ${part}` : symbol);

// ---------------------------------------------------------------------------
// State in the URL
// ---------------------------------------------------------------------------

// Slashes and colons are left readable in shared URLs (both are valid in a query).
function prettyQuery(qs) {
  return qs.toString().replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

function emptySearch() {
  return { view: 'search', q: '', kind: '', session: '', year: '', symbol: '', cites: '', sort: 'relevance', collapse: false, offset: 0, limit: LIMIT_DEFAULT };
}

function readState(search) {
  const p = new URLSearchParams(search);
  const g = (k) => (p.get(k) || '').trim();
  const view = g('view');
  if (view === 'resolution' || view === 'history') return { view, symbol: g('symbol'), part: g('part'), ref: g('ref') };
  if (view === 'diff') return { view, old: g('old'), new: g('new') };
  const s = emptySearch();
  s.q = p.get('q') || '';
  for (const k of ['kind', 'session', 'year', 'symbol', 'cites']) s[k] = g(k);
  s.sort = SORTS.includes(g('sort')) ? g('sort') : 'relevance';
  s.collapse = g('collapse') === 'true' || g('collapse') === '1';
  s.offset = Math.max(0, parseInt(g('offset'), 10) || 0);
  s.limit = Math.min(100, Math.max(1, parseInt(g('limit'), 10) || LIMIT_DEFAULT));
  return s;
}

function searchHref(s) {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  for (const k of ['kind', 'session', 'year', 'symbol', 'cites']) if (s[k]) p.set(k, s[k]);
  if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.collapse) p.set('collapse', 'true');
  if (s.offset) p.set('offset', String(s.offset));
  if (s.limit && s.limit !== LIMIT_DEFAULT) p.set('limit', String(s.limit));
  const q = prettyQuery(p);
  return q ? '/?' + q : '/';
}
function viewHref(view, fields) {
  const p = new URLSearchParams({ view });
  for (const [k, v] of Object.entries(fields)) if (v) p.set(k, v);
  return '/?' + prettyQuery(p);
}
const resolutionHref = (symbol, part, ref) => viewHref('resolution', { symbol, part, ref });
const historyHref = (symbol, part, ref) => viewHref('history', { symbol, part, ref });
const diffHref = (old, nu) => viewHref('diff', { old, new: nu });

const isEmptySearch = (s) => !s.q.trim() && !s.kind && !s.session && !s.year && !s.symbol && !s.cites;

// "７０－７８", "70–78", "70~78", "70 至 78" → "70-78"
function normalizeSession(v) {
  return v.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/[\u2010-\u2015\u2212\uff0d~\uff5e\u81f3\u5230]/g, '-');
}
function parseSessionRange(v) {
  const m = /^(\d+)(?:-(\d+))?$/.exec(normalizeSession(v || ''));
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return { lo: Math.min(a, b), hi: Math.max(a, b) };
}

// ---------------------------------------------------------------------------
// Navigation
// ---------------------------------------------------------------------------

let current = emptySearch();
let typingEntry = false; // the current history entry was made by typing

function navigate(href, opts = {}) {
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  route(opts);
}

window.addEventListener('popstate', () => {
  typingEntry = false;
  route({ pop: true });
});

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!a || a.target) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//')) return;
  const url = new URL(href, location.origin);
  if (url.pathname !== '/') return;
  e.preventDefault();
  typingEntry = false;
  navigate(url.pathname + url.search);
});

function route(opts = {}) {
  const state = readState(location.search);
  const prev = current;
  current = state;
  for (const id of ['search-view', 'resolution', 'diff', 'history']) {
    $('#' + id).hidden = id !== (state.view === 'search' ? 'search-view' : state.view);
  }
  if (state.view === 'search' && !opts.fromForm) syncForm(state);
  if (!opts.pop && !opts.fromForm && !(state.view === 'resolution' && state.ref)) window.scrollTo(0, 0);
  if (state.view === 'resolution') loadResolution(state, prev);
  else if (state.view === 'diff') loadDiff(state);
  else if (state.view === 'history') loadHistory(state);
  else loadSearch(state);
}

// ---------------------------------------------------------------------------
// The search form
// ---------------------------------------------------------------------------

const form = {
  q: () => $('#q'), kind: () => $('#f-kind'), session: () => $('#f-session'), year: () => $('#f-year'),
  symbol: () => $('#f-symbol'), cites: () => $('#f-cites'), sort: () => $('#f-sort'), collapse: () => $('#f-collapse'),
};

function syncForm(s) {
  form.q().value = s.q;
  for (const k of ['kind', 'session', 'year', 'symbol', 'cites']) form[k]().value = s[k];
  form.sort().value = s.sort;
  form.collapse().checked = s.collapse;
}

function formState() {
  const s = emptySearch();
  s.q = form.q().value;
  for (const k of ['kind', 'year', 'symbol', 'cites']) s[k] = form[k]().value.trim();
  s.session = normalizeSession(form.session().value);
  s.sort = SORTS.includes(form.sort().value) ? form.sort().value : 'relevance';
  s.collapse = form.collapse().checked;
  if (current.view === 'search') s.limit = current.limit;
  return s;
}

let typingTimer = 0;
// When the last debounce fired (performance.now()); the time from it to the hits shown
// is left in <body data-typed-to-hits-ms> for measurements.
let typedAt = null;
function scheduleTyping() {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(commitTyping, DEBOUNCE_MS);
}

// Typing makes one history entry (pushed on the first change, replaced after).
function commitTyping() {
  clearTimeout(typingTimer);
  const href = searchHref(formState());
  const here = current.view === 'search' ? searchHref(current) : null;
  if (href === here) return;
  typedAt = performance.now();
  const replace = typingEntry || (current.view === 'search' && isEmptySearch(current));
  typingEntry = true;
  navigate(href, { replace, fromForm: true });
}

// Selects, the checkbox and Enter make their own history entry.
function commitNow() {
  clearTimeout(typingTimer);
  typingEntry = false;
  const href = searchHref(formState());
  if (current.view === 'search' && href === searchHref(current)) { loadSearch(current); return; }
  navigate(href, { fromForm: true });
}

function setupForm() {
  $('#search-form').addEventListener('submit', (e) => { e.preventDefault(); commitNow(); });
  for (const k of ['q', 'session', 'year', 'symbol', 'cites']) {
    const input = form[k]();
    input.addEventListener('input', (e) => { if (!e.isComposing) scheduleTyping(); });
    input.addEventListener('compositionend', scheduleTyping);
  }
  for (const k of ['kind', 'sort', 'collapse']) form[k]().addEventListener('change', commitNow);
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key === '/' && !(t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      form.q().focus();
      form.q().select();
    }
  });
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (lastChart) drawChart(...lastChart); }, 100);
  });
}
let resizeTimer = 0;

// ---------------------------------------------------------------------------
// Status and errors
// ---------------------------------------------------------------------------

function setStatus(text) {
  $('#status').textContent = text;
}
function clearError() {
  const box = $('#error');
  box.hidden = true;
  box.replaceChildren();
}

function showError(e, query) {
  const box = $('#error');
  box.replaceChildren();
  box.hidden = false;
  const status = e instanceof ApiError ? e.status : 0;
  const column = e instanceof ApiError ? e.column : null;
  const head = status === 400 ? '查询有误' : status === 404 ? '未找到' : '出错了';
  const where = column !== null ? `（第 ${column} 列）` : '';
  const message = (e && e.message) || String(e);
  box.append(el('p', 'error-message', `${head}${where}：${message}`));
  // Point at the column in the query (1-based, counted in characters).
  if (column !== null && query) {
    const chars = Array.from(query);
    const at = Math.max(0, Math.min(chars.length, column - 1));
    let end = at;
    while (end < chars.length && !/\s/.test(chars[end])) end += 1;
    if (end === at && at < chars.length) end = at + 1;
    const line = el('p', 'error-query');
    line.append(chars.slice(0, at).join(''));
    line.append(el('mark', 'error-at', chars.slice(at, end).join('') || ' '));
    line.append(chars.slice(end).join(''));
    box.append(line);
  }
}

// ---------------------------------------------------------------------------
// Search view
// ---------------------------------------------------------------------------

let lastChart = null;

async function loadSearch(state) {
  document.title = state.q.trim() ? `${state.q.trim()} – 联合国裁军决议检索` : '联合国裁军决议检索';
  const view = $('#search-view');
  if (isEmptySearch(state)) {
    const job = begin('');
    view.classList.remove('busy');
    showHome(job);
    return;
  }
  $('#home').hidden = true;
  const job = begin('正在搜索…');
  view.classList.add('busy');
  const filters = { q: state.q.trim(), kind: state.kind, session: state.session, year: state.year, symbol: state.symbol, cites: state.cites };
  const params = { ...filters, sort: state.sort, collapse: state.collapse ? 'true' : '', limit: state.limit, offset: state.offset };
  // The chart shows every session (the session filter only highlights bars),
  // so a click on a bar can move to any session.
  const chartParams = { ...filters, session: '', by: 'session' };
  const chartKey = apiUrl('search', chartParams);
  const chartP = cached(chartKey, () => api('search', chartParams).then(readSessions));
  chartP.catch(() => {});
  let res = null;
  try {
    res = readSearch(await api('search', params, job.signal));
    if (!job.live()) return;
    renderTotal(res, state);
    renderHits(res, state);
    renderPager(res, state);
    view.classList.remove('busy');
    finish(job);
    if (typedAt !== null) {
      document.body.dataset.typedToHitsMs = (performance.now() - typedAt).toFixed(1);
      typedAt = null;
    }
  } catch (e) {
    if (!job.live()) return;
    view.classList.remove('busy');
    $('#total').textContent = '';
    $('#hits').replaceChildren();
    $('#pager').replaceChildren();
    $('#chart').hidden = true;
    lastChart = null;
    failed(job, e, state.q);
    return;
  }
  try {
    const sessions = await chartP;
    if (!job.live()) return;
    const range = parseSessionRange(state.session);
    drawChart(sessions, range, '各届会议的匹配数', state);
    // The chart counts every matching record: a total given as a lower bound is made
    // exact from it (records only; a collapsed page counts paragraphs).
    if (res && !res.exact && !state.collapse && (range || !state.session)) {
      const inRange = (s) => !range || (s.session >= range.lo && s.session <= range.hi);
      const total = sessions.filter(inRange).reduce((n, s) => n + s.count, 0);
      if (total >= res.total) renderTotal({ ...res, total, exact: true }, state);
    }
  } catch (e) {
    if (job.live()) { $('#chart').hidden = true; lastChart = null; }
  }
}

function renderTotal(res, state) {
  const t = $('#total');
  t.replaceChildren();
  const unit = '条';
  t.append(el('strong', 'count', res.exact ? `共 ${fmt(res.total)} ${unit}` : `至少 ${fmt(res.total)} ${unit}`));
  const extra = [];
  if (state.collapse && res.records !== null) extra.push(`每个系列一次，合并自${res.recordsExact ? '' : '至少'} ${fmt(res.records)} 条记录`);
  if (res.hits.length) {
    const from = (res.offset !== null ? res.offset : state.offset) + 1;
    extra.push(`第 ${fmt(from)}–${fmt(from + res.hits.length - 1)} ${unit}`);
  }
  if (res.tookMs !== null) extra.push(`用时 ${res.tookMs < 10 ? res.tookMs.toFixed(1) : Math.round(res.tookMs)} 毫秒`);
  if (extra.length) t.append(el('span', 'muted', ' · ' + extra.join(' · ')));
}

function renderHits(res, state) {
  const list = $('#hits');
  list.replaceChildren();
  list.setAttribute('start', String(state.offset + 1));
  if (!res.hits.length) {
    list.append(el('li', 'no-hits', '没有找到匹配的段落。'));
    return;
  }
  for (const h of res.hits) list.append(renderHit(h));
}

function renderHit(h) {
  const li = el('li', 'hit');
  li.dataset.symbol = h.symbol;
  if (h.ref) li.dataset.ref = h.ref;

  const head = el('div', 'hit-head');
  const place = h.place || `${symbolWithPart(h.symbol, h.part)} ${placeLabel(h.kind, h.para)}`.trim();
  head.append(link(resolutionHref(h.symbol, h.part, h.ref), place, 'place'));
  const meta = joinMeta([sessionName(h.session), h.date, h.title]);
  if (meta) head.append(el('span', 'meta', meta));
  li.append(head);

  // The snippet, with a button to show the whole paragraph.
  const text = el('p', 'hit-text');
  const useSnippet = h.snippet !== '';
  if (useSnippet) appendMarked(text, h.snippet, h.snippetHighlights);
  else appendMarked(text, h.text, h.highlights);
  li.append(text);
  if (useSnippet && h.text && h.snippet !== h.text) {
    const more = el('button', 'more', '展开全文');
    more.type = 'button';
    let full = false;
    more.addEventListener('click', () => {
      full = !full;
      text.replaceChildren();
      if (full) appendMarked(text, h.text, h.highlights);
      else appendMarked(text, h.snippet, h.snippetHighlights);
      more.textContent = full ? '收起' : '展开全文';
    });
    text.append(' ', more);
  }

  // Footnotes the paragraph cites (or, for a footnote, the paragraph citing it).
  if (h.related.length) {
    const ul = el('ul', 'related');
    for (const r of h.related) {
      const item = el('li');
      const label = h.kind === 'footnote' && r.kind !== 'footnote' ? `引用此脚注的${placeLabel(r.kind, r.para)}` : placeLabel(r.kind, r.para);
      item.append(link(resolutionHref(h.symbol, h.part, refOf(r.kind, r.para)), label, 'rel-place'), '：', r.text);
      ul.append(item);
    }
    li.append(ul);
  } else if (h.footnotes.length) {
    const p = el('p', 'related');
    p.append('脚注 ');
    h.footnotes.forEach((n, i) => {
      if (i) p.append('、');
      p.append(link(resolutionHref(h.symbol, h.part, `fn.${n}`), String(n)));
    });
    li.append(p);
  }

  if (h.cites.length) {
    const p = el('p', 'cites');
    p.append('引用：');
    h.cites.forEach((c, i) => {
      if (i) p.append('、');
      p.append(link(searchHref({ ...emptySearch(), cites: c }), c, 'cite'));
    });
    li.append(p);
  }

  if (h.alsoIn.length) {
    const p = el('p', 'also');
    p.append(`亦见于 ${h.alsoIn.length} 项决议：`);
    h.alsoIn.forEach((a, i) => {
      if (i) p.append('、');
      const label = symbolWithPart(a.symbol, a.part) + (a.session !== null ? `（第 ${a.session} 届）` : '');
      p.append(link(resolutionHref(a.symbol, a.part, ''), label));
    });
    li.append(p);
  }

  const links = el('p', 'hit-links');
  links.append(link(resolutionHref(h.symbol, h.part, h.ref), '查看全文', 'to-resolution'));
  if (h.previous) links.append(link(diffHref('', h.symbol), '与上届比较', 'to-diff'));
  if (h.ref) links.append(link(historyHref(h.symbol, h.part, h.ref), '历史', 'to-history'));
  li.append(links);
  return li;
}

function renderPager(res, state) {
  const nav = $('#pager');
  nav.replaceChildren();
  const limit = state.limit;
  const offset = state.offset;
  const hasPrev = offset > 0;
  const hasNext = res.exact ? offset + res.hits.length < res.total : res.hits.length >= limit;
  if (!hasPrev && !hasNext) return;
  const item = (ok, id, text, off) => {
    if (!ok) { const s = el('span', 'disabled', text); s.id = id; return s; }
    const a = link(searchHref({ ...state, offset: Math.max(0, off) }), text);
    a.id = id;
    return a;
  };
  nav.append(item(hasPrev, 'page-prev', '上一页', offset - limit));
  const page = Math.floor(offset / limit) + 1;
  const pages = res.exact ? Math.max(1, Math.ceil(res.total / limit)) : null;
  nav.append(el('span', 'page', pages ? `第 ${page} / ${pages} 页` : `第 ${page} 页`));
  nav.append(item(hasNext, 'page-next', '下一页', offset + limit));
}

// Bars per session; a click filters to that session (again: clears the filter).
function drawChart(sessions, selected, caption, state) {
  const box = $('#chart');
  lastChart = [sessions, selected, caption, state];
  box.replaceChildren();
  const data = sessions.filter((s) => s.count > 0).sort((a, b) => a.session - b.session);
  if (!data.length) { box.hidden = true; return; }
  box.hidden = false;
  box.append(el('p', 'chart-caption', caption));
  const lo = data[0].session;
  const hi = data[data.length - 1].session;
  const n = hi - lo + 1;
  const W = Math.max(280, Math.min(1200, box.clientWidth || 800));
  const H = 150;
  const padL = 44, padR = 6, padT = 10, padB = 22;
  const plotH = H - padT - padB;
  const step = (W - padL - padR) / n;
  const max = Math.max(...data.map((d) => d.count));
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': caption });
  root.append(svg('line', { x1: padL, x2: W - padR, y1: padT + plotH + 0.5, y2: padT + plotH + 0.5, class: 'axis' }));
  root.append(svg('line', { x1: padL, x2: W - padR, y1: padT + 0.5, y2: padT + 0.5, class: 'grid' }));
  const yMax = svg('text', { x: padL - 6, y: padT + 4, class: 'tick y' });
  yMax.textContent = fmt(max);
  const yZero = svg('text', { x: padL - 6, y: padT + plotH, class: 'tick y' });
  yZero.textContent = '0';
  root.append(yMax, yZero);
  const labelEvery = step >= 26 ? 1 : step >= 13 ? 2 : step >= 6 ? 5 : 10;
  for (let s = lo; s <= hi; s += 1) {
    if (s % labelEvery !== 0 && !(labelEvery > 1 && (s === lo || s === hi) && step >= 10)) continue;
    const t = svg('text', { x: padL + (s - lo + 0.5) * step, y: H - 6, class: 'tick x' });
    t.textContent = String(s);
    root.append(t);
  }
  for (const d of data) {
    const x = padL + (d.session - lo) * step;
    const h = Math.max(2, (d.count / max) * plotH);
    const inRange = selected && d.session >= selected.lo && d.session <= selected.hi;
    const g = svg('g', { class: 'bar-group' });
    const area = svg('rect', { x, y: padT, width: step, height: plotH, class: 'bar-area', 'data-session': d.session });
    const bar = svg('rect', {
      x: x + step * 0.12, y: padT + plotH - h, width: Math.max(1, step * 0.76), height: h,
      class: 'bar' + (selected ? (inRange ? ' selected' : ' dimmed') : ''),
      'data-session': d.session, 'data-count': d.count, tabindex: 0, role: 'button',
      'aria-label': `第 ${d.session} 届会议：${d.count} 条`,
    });
    const title = svg('title');
    title.textContent = `第 ${d.session} 届会议：${fmt(d.count)} 条`;
    bar.append(title);
    const title2 = svg('title');
    title2.textContent = title.textContent;
    area.append(title2);
    g.append(area, bar);
    root.append(g);
  }
  box.append(root);
}

function chartTarget(e) {
  const t = e.target instanceof Element ? e.target.closest('[data-session]') : null;
  return t ? t.getAttribute('data-session') : null;
}
function chartPick(session) {
  if (!session) return;
  typingEntry = false;
  const base = current.view === 'search' ? current : emptySearch();
  const same = base.session === session;
  navigate(searchHref({ ...base, session: same ? '' : session, offset: 0 }));
}
function setupChart() {
  const box = $('#chart');
  box.addEventListener('click', (e) => chartPick(chartTarget(e)));
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      const s = chartTarget(e);
      if (s) { e.preventDefault(); chartPick(s); }
    }
  });
}

// The page with no query: what the index holds and how to ask.
const EXAMPLES = [
  ['小武器', '含有“小武器”的段落（一个字也可以）'],
  ['妇女 决策', '同时含有两个词'],
  ['"2022 年 6 月"', '加引号的词语按原样检索'],
  ['小武器 -妇女', '含有“小武器”但不含“妇女”'],
  ['行动纲领 OR 国际追查文书', '含有其中之一'],
  ['輕武器', '繁体字也能找到简体文本'],
  ['kind:operative', '种类：preamble、operative、footnote、annex'],
  ['session:78', '届会；也可用 year:2023、symbol:A/RES/78/46'],
  ['cites:A/RES/77/71', '引用该文件的段落（包括通过脚注引用）'],
];

async function showHome(job) {
  $('#total').textContent = '';
  $('#hits').replaceChildren();
  $('#pager').replaceChildren();
  const home = $('#home');
  home.hidden = false;
  home.replaceChildren();
  const intro = el('p', 'intro', '逐段检索联合国大会裁军决议的中文文本。输入时即显示结果。');
  const help = el('table', 'syntax');
  const caption = el('caption', '', '检索语法');
  help.append(caption);
  const body = el('tbody');
  for (const [q, what] of EXAMPLES) {
    const tr = el('tr');
    const td = el('td');
    td.append(link(searchHref({ ...emptySearch(), q }), q, 'example'));
    tr.append(td, el('td', '', what));
    body.append(tr);
  }
  help.append(body);
  home.append(intro, help);
  $('#chart').hidden = true;
  lastChart = null;
  try {
    const stats = readStats(await cached('/api/stats', () => api('stats', {})));
    if (!job.live()) return;
    const parts = [];
    if (stats.resolutions !== null) parts.push(`${fmt(stats.resolutions)} 项决议`);
    if (stats.records !== null) parts.push(`${fmt(stats.records)} 个段落和脚注`);
    const ss = stats.sessions.map((s) => s.session);
    if (ss.length) parts.push(`第 ${Math.min(...ss)}–${Math.max(...ss)} 届会议`);
    if (parts.length) intro.after(el('p', 'stats', '索引收录：' + parts.join('，') + '。'));
    drawChart(stats.sessions, null, '各届会议的记录数（点击查看该届会议）', null);
  } catch (e) {
    // The page works without the numbers.
  }
}

// ---------------------------------------------------------------------------
// Resolution view
// ---------------------------------------------------------------------------

async function loadResolution(state, prev) {
  const box = $('#resolution');
  if (!state.symbol) { begin(''); box.replaceChildren(); showError(new ApiError('缺少决议文号。', 400, null)); return; }
  document.title = `${state.symbol} – 联合国裁军决议检索`;
  const key = apiUrl('resolution', { symbol: state.symbol, part: state.part });
  const sameDoc = prev && prev.view === 'resolution' && prev.symbol === state.symbol && prev.part === state.part && box.firstChild;
  if (sameDoc && isCached(key)) {
    // Same resolution, another record: mark it without redrawing.
    clearError();
    markTarget(box, state.ref);
    return;
  }
  const job = begin('正在加载…');
  try {
    // Not aborted (the answer is cached for the next visit); a late answer is dropped by live().
    const r = readResolution(await cached(key, () => api('resolution', { symbol: state.symbol, part: state.part })));
    if (!job.live()) return;
    renderResolution(box, r, state);
    finish(job);
    markTarget(box, state.ref);
  } catch (e) {
    if (job.live()) box.replaceChildren();
    failed(job, e);
  }
}

function renderResolution(box, r, state) {
  box.replaceChildren();
  const symbol = r.symbol || state.symbol;
  const part = r.part || state.part;
  const head = el('header', 'doc-head');
  head.append(el('h2', 'doc-symbol', symbolWithPart(symbol, part)));
  if (r.title) head.append(el('p', 'doc-title', r.title));
  const meta = joinMeta([sessionName(r.session), r.date]);
  if (meta) head.append(el('p', 'meta', meta));
  box.append(head);

  const nav = el('nav', 'doc-nav');
  nav.setAttribute('aria-label', '同一系列');
  if (r.previous) {
    const a = link(resolutionHref(r.previous.symbol, r.previous.part, ''), `← 上一届：${symbolWithPart(r.previous.symbol, r.previous.part)}`);
    a.id = 'prev';
    a.rel = 'prev';
    nav.append(a);
    const d = link(diffHref('', symbol), '与上届比较');
    d.id = 'diff-link';
    nav.append(d);
  }
  if (r.next) {
    const a = link(resolutionHref(r.next.symbol, r.next.part, ''), `下一届：${symbolWithPart(r.next.symbol, r.next.part)} →`);
    a.id = 'next';
    a.rel = 'next';
    nav.append(a);
  }
  nav.append(link(searchHref({ ...emptySearch(), symbol }), '在本决议中检索'));
  box.append(nav);

  const list = el('div', 'records');
  let kind = null;
  for (const rec of r.records) {
    if (rec.kind !== kind) {
      kind = rec.kind;
      list.append(el('h3', 'kind-head', KIND_NAME[kind] || kind));
    }
    const div = el('div', 'record kind-' + (REF_PREFIX[rec.kind] || 'other'));
    div.dataset.ref = rec.ref;
    const top = el('div', 'rec-head');
    top.append(link(resolutionHref(symbol, part, rec.ref), placeLabel(rec.kind, rec.para), 'rec-place'));
    const foot = el('span', 'rec-links');
    if (rec.footnotes.length) {
      foot.append('脚注 ');
      rec.footnotes.forEach((n, i) => {
        if (i) foot.append('、');
        foot.append(link(resolutionHref(symbol, part, `fn.${n}`), String(n)));
      });
      foot.append(' · ');
    }
    if (rec.cites.length) {
      foot.append('引用 ');
      rec.cites.forEach((c, i) => {
        if (i) foot.append('、');
        foot.append(link(searchHref({ ...emptySearch(), cites: c }), c));
      });
      foot.append(' · ');
    }
    if (rec.ref) foot.append(link(historyHref(symbol, part, rec.ref), '历史'));
    top.append(foot);
    const p = el('p', 'rec-text');
    p.append(rec.text);
    div.append(top, p);
    list.append(div);
  }
  if (!r.records.length) list.append(el('p', 'muted', '此决议没有记录。'));
  box.append(list);
}

function markTarget(box, ref) {
  for (const old of box.querySelectorAll('.record.target')) old.classList.remove('target');
  if (!ref) return;
  const target = Array.from(box.querySelectorAll('.record')).find((d) => d.dataset.ref === ref);
  if (!target) {
    showError(new ApiError(`此决议中没有${refLabel(ref)}。`, 404, null));
    return;
  }
  target.classList.add('target');
  target.scrollIntoView({ block: 'center' });
}

// ---------------------------------------------------------------------------
// Diff view
// ---------------------------------------------------------------------------

function compareForm(oldSym, newSym) {
  const f = el('form', 'compare');
  const o = el('input');
  o.name = 'old';
  o.placeholder = '上一届（留空）';
  o.value = oldSym;
  o.setAttribute('aria-label', '旧文号');
  const n = el('input');
  n.name = 'new';
  n.placeholder = 'A/RES/79/40';
  n.value = newSym;
  n.setAttribute('aria-label', '新文号');
  const b = el('button', '', '比较');
  b.type = 'submit';
  f.append(el('span', '', '比较'), o, el('span', '', '→'), n, b);
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!n.value.trim()) { n.focus(); return; }
    navigate(diffHref(o.value.trim(), n.value.trim()));
  });
  return f;
}

async function loadDiff(state) {
  const box = $('#diff');
  box.replaceChildren();
  document.title = `比较 ${state.new} – 联合国裁军决议检索`;
  if (!state.new) { begin(''); box.append(compareForm(state.old, state.new)); return; }
  const job = begin('正在比较…');
  try {
    const d = readDiff(await api('diff', { old: state.old, new: state.new }, job.signal));
    if (!job.live()) return;
    renderDiff(box, d, state);
    finish(job);
  } catch (e) {
    if (job.live() && e.name !== 'AbortError') box.append(compareForm(state.old, state.new));
    failed(job, e);
  }
}

function sideHead(label, m) {
  const div = el('div', 'side-head');
  div.append(el('span', 'side-label', label));
  if (m.symbol) div.append(link(resolutionHref(m.symbol, m.part, ''), symbolWithPart(m.symbol, m.part), 'side-symbol'));
  const meta = joinMeta([sessionName(m.session), m.date]);
  if (meta) div.append(el('span', 'meta', meta));
  if (m.title) div.append(el('span', 'side-title', m.title));
  return div;
}

function renderDiff(box, d, state) {
  const oldSym = d.old.symbol || state.old;
  const newSym = d.new.symbol || state.new;
  const head = el('header', 'doc-head');
  head.append(el('h2', 'doc-symbol', `${oldSym || '上一届'} → ${newSym}`));
  box.append(head);

  const s = d.summary;
  const sum = el('p', 'summary');
  for (const k of ['changed', 'new', 'dropped', 'moved', 'unchanged']) {
    sum.append(el('span', 'tag ' + k, `${STATUS_NAME[k]} ${s[k]}`), ' ');
  }
  box.append(sum);

  const nav = el('nav', 'doc-nav');
  if (oldSym && d.oldHasPrevious) nav.append(link(diffHref('', oldSym), `← ${oldSym} 与其上一届比较`));
  nav.append(compareForm(state.old, state.new));
  box.append(nav);

  const grid = el('div', 'diff-grid');
  const top = el('div', 'diff-head');
  top.append(el('div', 'diff-label'), sideHead('旧', d.old), sideHead('新', d.new));
  grid.append(top);

  let kind = null;
  let run = [];
  const flush = () => {
    if (!run.length) return;
    const fold = el('div', 'fold');
    const rows = el('div', 'fold-rows');
    rows.hidden = true;
    for (const p of run) rows.append(diffRow(p));
    const btn = el('button', 'fold-toggle', `显示 ${run.length} 段未改动的段落`);
    btn.type = 'button';
    btn.setAttribute('aria-expanded', 'false');
    const count = run.length;
    btn.addEventListener('click', () => {
      rows.hidden = !rows.hidden;
      btn.setAttribute('aria-expanded', String(!rows.hidden));
      btn.textContent = rows.hidden ? `显示 ${count} 段未改动的段落` : `隐藏 ${count} 段未改动的段落`;
    });
    fold.append(btn, rows);
    grid.append(fold);
    run = [];
  };
  for (const p of d.paragraphs) {
    if (p.kind !== kind) {
      flush();
      kind = p.kind;
      grid.append(el('h3', 'kind-head', KIND_NAME[kind] || kind));
    }
    if (p.status === 'unchanged' && !p.moved) run.push(p);
    else { flush(); grid.append(diffRow(p)); }
  }
  flush();
  if (!d.paragraphs.length) grid.append(el('p', 'muted', '没有段落。'));
  box.append(grid);

  const folds = grid.querySelectorAll('.fold-toggle');
  if (folds.length > 1) {
    const all = el('button', 'fold-all', '显示全部未改动的段落');
    all.type = 'button';
    all.addEventListener('click', () => {
      const open = all.dataset.open !== 'true';
      all.dataset.open = String(open);
      all.textContent = open ? '隐藏全部未改动的段落' : '显示全部未改动的段落';
      for (const b of grid.querySelectorAll('.fold-toggle')) {
        if ((b.getAttribute('aria-expanded') === 'true') !== open) b.click();
      }
    });
    sum.append(all);
  }
}

function diffRow(p) {
  const row = el('div', `diff-row ${p.status || 'unknown'}${p.moved ? ' moved' : ''}`);
  const label = el('div', 'diff-label');
  if (p.status && !(p.moved && p.status === 'unchanged')) label.append(el('span', 'tag ' + p.status, STATUS_NAME[p.status] || p.status));
  if (p.moved) label.append(el('span', 'tag moved', STATUS_NAME.moved));
  row.append(label);
  const ops = p.ops;
  for (const side of ['old', 'new']) {
    const v = p[side];
    const cell = el('div', 'diff-' + side);
    if (!v) {
      cell.classList.add('empty');
      row.append(cell);
      continue;
    }
    cell.append(el('span', 'para-label', placeLabel(v.kind || p.kind, v.para)));
    const text = el('p', 'diff-text');
    if (ops.length && p.status !== 'unchanged') appendOps(text, ops, side);
    else if (p.status === 'dropped' && side === 'old') text.append(el('del', '', v.text));
    else if (p.status === 'new' && side === 'new') text.append(el('ins', '', v.text));
    else text.append(v.text);
    cell.append(text);
    row.append(cell);
  }
  return row;
}

// ---------------------------------------------------------------------------
// History view
// ---------------------------------------------------------------------------

async function loadHistory(state) {
  const box = $('#history');
  box.replaceChildren();
  if (!state.symbol || !state.ref) { begin(''); showError(new ApiError('缺少决议文号或段落。', 400, null)); return; }
  document.title = `${state.symbol} ${refLabel(state.ref)} 的历史 – 联合国裁军决议检索`;
  const head = el('header', 'doc-head');
  const h2 = el('h2', 'doc-symbol');
  h2.append(link(resolutionHref(state.symbol, state.part, state.ref), `${symbolWithPart(state.symbol, state.part)} ${refLabel(state.ref)}`), ' 的历史');
  head.append(h2);
  box.append(head);
  const job = begin('正在加载…');
  try {
    const versions = readHistory(await api('history', { symbol: state.symbol, part: state.part, ref: state.ref }, job.signal));
    if (!job.live()) return;
    box.append(el('p', 'muted', `共 ${versions.length} 个版本，最新的在前；每个版本标出与前一版本相比的改动。`));
    const list = el('ol', 'versions');
    versions.forEach((v, i) => list.append(historyItem(v, versions[i + 1])));
    box.append(list);
    finish(job);
  } catch (e) {
    failed(job, e);
  }
}

function historyItem(v, older) {
  const li = el('li', `version ${v.status || 'unknown'}${v.moved ? ' moved' : ''}`);
  const head = el('div', 'version-head');
  head.append(link(resolutionHref(v.symbol, v.part, v.ref), `${symbolWithPart(v.symbol, v.part)} ${placeLabel(v.kind, v.para)}`.trim(), 'place'));
  const meta = joinMeta([sessionName(v.session), v.date]);
  if (meta) head.append(el('span', 'meta', meta));
  if (v.status && !(v.moved && v.status === 'unchanged')) head.append(el('span', 'tag ' + v.status, STATUS_NAME[v.status] || v.status));
  if (v.moved) head.append(el('span', 'tag moved', STATUS_NAME.moved));
  if (older && older.symbol && v.symbol) head.append(link(diffHref(older.symbol, v.symbol), '比较两届全文', 'to-diff'));
  li.append(head);
  const text = el('p', 'version-text');
  if (v.ops.length && v.status !== 'unchanged') appendOps(text, v.ops, 'both');
  else text.append(v.text);
  li.append(text);
  return li;
}

// ---------------------------------------------------------------------------

function start() {
  setupForm();
  setupChart();
  route({ pop: true });
  if (current.view === 'search' && !current.q) form.q().focus();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
