// The status line, the error box, and the loading of views: one view loads at a time, a
// new load aborts the one before, and an answer that arrives late is dropped.

import { ApiError } from './api.js';
import { $, el } from './dom.js';

export function setStatus(text) {
  $('#status').textContent = text;
}

export function clearError() {
  const box = $('#error');
  box.hidden = true;
  box.replaceChildren();
}

// An error, and for a query that could not be read, the query with the column marked.
export function showError(e, query) {
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

let inflight = null;
let loadSeq = 0;

// A load begins: the one before is aborted; live() is false once another began.
export function begin(statusText) {
  if (inflight) inflight.abort();
  inflight = new AbortController();
  const mine = ++loadSeq;
  setStatus(statusText);
  clearError();
  return { signal: inflight.signal, live: () => mine === loadSeq };
}

export function finish(job) {
  if (job.live()) setStatus('');
}

export function failed(job, e, query) {
  if (!job.live() || (e && e.name === 'AbortError')) return;
  setStatus('');
  showError(e, query);
}
