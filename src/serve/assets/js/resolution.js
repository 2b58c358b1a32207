// The resolution view: a resolution's records, kind by kind, each with its footnotes,
// its citations and its history; the neighbours in its series and a comparison with the
// previous one. A reference in the URL (ref=op.3) marks and scrolls to its record.

import { ApiError, api, apiUrl, cached, isCached, readResolution } from './api.js';
import { $, appendList, el, joinMeta, link, sessionName } from './dom.js';
import { kindClass, kindName, placeLabel, refLabel, refOf, symbolWithPart } from './refs.js';
import { citesHref, diffHref, emptySearch, historyHref, resolutionHref, searchHref } from './state.js';
import { begin, clearError, failed, finish, showError } from './status.js';

export async function loadResolution(state, prev) {
  const box = $('#resolution');
  if (!state.symbol) {
    begin('');
    box.replaceChildren();
    showError(new ApiError('缺少决议文号。', 400, null));
    return;
  }
  document.title = `${state.symbol} – 联合国裁军决议检索`;
  const params = { symbol: state.symbol, part: state.part };
  const key = apiUrl('resolution', params);
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
    const r = readResolution(await cached(key, () => api('resolution', params)));
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
    const d = link(diffHref('', symbolWithPart(symbol, part)), '与上届比较');
    d.id = 'diff-link';
    nav.append(a, d);
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
      list.append(el('h3', 'kind-head', kindName(kind)));
    }
    list.append(renderRecord(rec, symbol, part));
  }
  if (!r.records.length) list.append(el('p', 'muted', '此决议没有记录。'));
  box.append(list);
}

function renderRecord(rec, symbol, part) {
  const div = el('div', 'record ' + kindClass(rec.kind));
  div.dataset.ref = rec.ref;
  const top = el('div', 'rec-head');
  top.append(link(resolutionHref(symbol, part, rec.ref), placeLabel(rec.kind, rec.para), 'rec-place'));
  const foot = el('span', 'rec-links');
  if (rec.footnotes.length) {
    foot.append('脚注 ');
    appendList(foot, rec.footnotes, (n) => foot.append(link(resolutionHref(symbol, part, refOf('footnote', n)), String(n))));
    foot.append(' · ');
  }
  if (rec.cites.length) {
    foot.append('引用 ');
    appendList(foot, rec.cites, (c) => foot.append(link(citesHref(c), c)));
    foot.append(' · ');
  }
  foot.append(link(historyHref(symbol, part, rec.ref), '历史'));
  top.append(foot);
  const p = el('p', 'rec-text');
  p.append(rec.text);
  div.append(top, p);
  return div;
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
