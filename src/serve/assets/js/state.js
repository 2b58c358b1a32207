// The page's state and its URL: each view's state is read from the query string and
// written back to it (a shared URL opens the same view), and navigation pushes a history
// entry, then routes (the router is the entry's, registered with onNavigate).

import { prettyQuery } from './api.js';

export const LIMIT_DEFAULT = 10;
export const SORTS = ['relevance', 'newest', 'oldest'];
const FILTERS = ['kind', 'session', 'year', 'symbol', 'cites'];

export function emptySearch() {
  return { view: 'search', q: '', kind: '', session: '', year: '', symbol: '', cites: '', sort: 'relevance', collapse: false, offset: 0, limit: LIMIT_DEFAULT };
}

export const isEmptySearch = (s) => !s.q.trim() && FILTERS.every((k) => !s[k]);

// The state a query string says.
export function readState(search) {
  const p = new URLSearchParams(search);
  const g = (k) => (p.get(k) || '').trim();
  const view = g('view');
  if (view === 'resolution' || view === 'history') return { view, symbol: g('symbol'), part: g('part'), ref: g('ref') };
  if (view === 'diff') return { view, old: g('old'), new: g('new') };
  const s = emptySearch();
  s.q = p.get('q') || '';
  for (const k of FILTERS) s[k] = g(k);
  s.sort = SORTS.includes(g('sort')) ? g('sort') : 'relevance';
  s.collapse = g('collapse') === 'true' || g('collapse') === '1';
  s.offset = Math.max(0, parseInt(g('offset'), 10) || 0);
  s.limit = Math.min(100, Math.max(1, parseInt(g('limit'), 10) || LIMIT_DEFAULT));
  return s;
}

export function searchHref(s) {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  for (const k of FILTERS) if (s[k]) p.set(k, s[k]);
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
export const resolutionHref = (symbol, part, ref) => viewHref('resolution', { symbol, part, ref });
export const historyHref = (symbol, part, ref) => viewHref('history', { symbol, part, ref });
export const diffHref = (old, nu) => viewHref('diff', { old, new: nu });
export const citesHref = (symbol) => searchHref({ ...emptySearch(), cites: symbol });

// "７０－７８", "70–78", "70~78", "70 至 78" → "70-78"
export function normalizeSession(v) {
  return v.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/[\u2010-\u2015\u2212\uff0d~\uff5e\u81f3\u5230]/g, '-');
}

export function parseSessionRange(v) {
  const m = /^(\d+)(?:-(\d+))?$/.exec(normalizeSession(v || ''));
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return { lo: Math.min(a, b), hi: Math.max(a, b) };
}

// The state shown, and whether the current history entry was made by typing.
export const nav = { current: emptySearch(), typingEntry: false };

let router = () => {};
export function onNavigate(route) {
  router = route;
}

// A new history entry (or, with opts.replace, the current one replaced), then its view.
export function navigate(href, opts = {}) {
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  router(opts);
}
