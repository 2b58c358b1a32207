// The search view: the total, the hits (snippet, footnotes, citations, the other
// sessions of a collapsed paragraph, links to the resolution, the diff and the history),
// the pager, and the chart of matches by session.

import { api, apiUrl, cached, readSearch, readSessions } from './api.js';
import { drawChart, hideChart } from './chart.js';
import { $, appendList, appendMarked, el, fmt, joinMeta, link, sessionName } from './dom.js';
import { showHome } from './home.js';
import { placeLabel, refOf, symbolWithPart } from './refs.js';
import {
  citesHref, diffHref, historyHref, isEmptySearch, parseSessionRange, resolutionHref, searchHref,
} from './state.js';
import { begin, failed, finish } from './status.js';

// When the last debounce fired (performance.now()); the time from it to the hits shown
// is left in <body data-typed-to-hits-ms> for measurements.
let typedAt = null;
export function typed() {
  typedAt = performance.now();
}

export async function loadSearch(state) {
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
  // The chart shows every session (the session filter only highlights bars), so that a
  // click on a bar can move to any session.
  const chartParams = { ...filters, session: '', by: 'session' };
  const chartP = cached(apiUrl('search', chartParams), () => api('search', chartParams).then(readSessions));
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
    hideChart();
    failed(job, e, state.q);
    return;
  }
  try {
    const sessions = await chartP;
    if (!job.live()) return;
    const range = parseSessionRange(state.session);
    drawChart(sessions, range, '各届会议的匹配数');
    // The chart counts every matching record: a total given as a lower bound is made
    // exact from it (records only; a collapsed page counts paragraphs).
    if (!res.exact && !state.collapse && (range || !state.session)) {
      const inRange = (s) => !range || (s.session >= range.lo && s.session <= range.hi);
      const total = sessions.filter(inRange).reduce((n, s) => n + s.count, 0);
      if (total >= res.total) renderTotal({ ...res, total, exact: true }, state);
    }
  } catch (e) {
    if (job.live()) hideChart();
  }
}

function renderTotal(res, state) {
  const t = $('#total');
  t.replaceChildren();
  t.append(el('strong', 'count', res.exact ? `共 ${fmt(res.total)} 条` : `至少 ${fmt(res.total)} 条`));
  const extra = [];
  if (state.collapse && res.records !== null) extra.push(`每个系列一次，合并自${res.recordsExact ? '' : '至少'} ${fmt(res.records)} 条记录`);
  if (res.hits.length) {
    const from = res.offset + 1;
    extra.push(`第 ${fmt(from)}–${fmt(from + res.hits.length - 1)} 条`);
  }
  if (res.tookMs !== null) extra.push(`用时 ${res.tookMs < 10 ? res.tookMs.toFixed(1) : Math.round(res.tookMs)} 毫秒`);
  // Each item kept on one line ("第 1–10 条" is not broken).
  for (const item of extra) t.append(el('span', 'muted', ' · '), el('span', 'muted extra', item));
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
  li.dataset.ref = h.ref;

  const head = el('div', 'hit-head');
  const place = h.place || `${symbolWithPart(h.symbol, h.part)} ${placeLabel(h.kind, h.para)}`;
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
      text.append(' ', more);
    });
    text.append(' ', more);
  }

  // The footnotes the paragraph cites.
  if (h.footnotes.length) {
    const p = el('p', 'related');
    p.append('脚注 ');
    appendList(p, h.footnotes, (n) => p.append(link(resolutionHref(h.symbol, h.part, refOf('footnote', n)), String(n))));
    li.append(p);
  }

  if (h.cites.length) {
    const p = el('p', 'cites');
    p.append('引用：');
    appendList(p, h.cites, (c) => p.append(link(citesHref(c), c, 'cite')));
    li.append(p);
  }

  if (h.alsoIn.length) {
    const p = el('p', 'also');
    p.append(`亦见于 ${h.alsoIn.length} 项决议：`);
    appendList(p, h.alsoIn, (a) => {
      const label = symbolWithPart(a.symbol, a.part) + (a.session !== null ? `（第 ${a.session} 届）` : '');
      p.append(link(resolutionHref(a.symbol, a.part, ''), label));
    });
    li.append(p);
  }

  const links = el('p', 'hit-links');
  links.append(link(resolutionHref(h.symbol, h.part, h.ref), '查看全文', 'to-resolution'));
  if (h.previous) links.append(link(diffHref('', symbolWithPart(h.symbol, h.part)), '与上届比较', 'to-diff'));
  links.append(link(historyHref(h.symbol, h.part, h.ref), '历史', 'to-history'));
  li.append(links);
  return li;
}

function renderPager(res, state) {
  const nav = $('#pager');
  nav.replaceChildren();
  const { limit, offset } = state;
  const hasPrev = offset > 0;
  const hasNext = res.exact ? offset + res.hits.length < res.total : res.hits.length >= limit;
  if (!hasPrev && !hasNext) return;
  const item = (ok, id, text, off) => {
    const e = ok ? link(searchHref({ ...state, offset: Math.max(0, off) }), text) : el('span', 'disabled', text);
    e.id = id;
    return e;
  };
  nav.append(item(hasPrev, 'page-prev', '上一页', offset - limit));
  const page = Math.floor(offset / limit) + 1;
  const pages = res.exact ? Math.max(1, Math.ceil(res.total / limit)) : null;
  nav.append(el('span', 'page', pages ? `第 ${page} / ${pages} 页` : `第 ${page} 页`));
  nav.append(item(hasNext, 'page-next', '下一页', offset + limit));
}
