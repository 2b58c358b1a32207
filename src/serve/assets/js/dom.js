// Small element helpers shared by the views. Every text that comes from the corpus or
// the server is inserted as text (textContent, Text nodes); no markup is ever built from
// strings.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const $ = (sel) => document.querySelector(sel);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
  return e;
}

// Links are built only from our own paths ("/?…" made by URLSearchParams).
export function link(href, text, cls) {
  const a = el('a', cls, text);
  a.setAttribute('href', typeof href === 'string' && href.startsWith('/') && !href.startsWith('//') ? href : '/');
  return a;
}

export function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

// Text with <mark>s over [start, end) ranges counted in code points.
export function appendMarked(parent, text, rs) {
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

// Diff spans: side 'old' shows equal+delete, 'new' equal+insert, 'both' all.
export function appendOps(parent, ops, side) {
  for (const o of ops) {
    if (o.op === 'equal') parent.append(o.text);
    else if (o.op === 'delete' && side !== 'new') parent.append(el('del', '', o.text));
    else if (o.op === 'insert' && side !== 'old') parent.append(el('ins', '', o.text));
  }
}

// Items joined by '、', each appended by `add`.
export function appendList(parent, items, add) {
  items.forEach((item, i) => {
    if (i) parent.append('、');
    add(item);
  });
}

export function joinMeta(parts) {
  return parts.filter((p) => p !== '' && p !== null && p !== undefined).join(' · ');
}
export const sessionName = (s) => (s === null ? '' : `第 ${s} 届会议`);
export const fmt = (n) => (n === null ? '' : n.toLocaleString('zh-CN'));

// What became of a paragraph (a diff's status), and whether it moved.
export const STATUS_NAME = { changed: '修改', new: '新增', dropped: '删除', moved: '移动', unchanged: '未改' };
export function statusTags(parent, status, moved) {
  if (status && !(moved && status === 'unchanged')) parent.append(el('span', 'tag ' + status, STATUS_NAME[status] || status));
  if (moved) parent.append(el('span', 'tag moved', STATUS_NAME.moved));
}
