// The diff view: two versions of a resolution side by side (one column on a narrow
// screen), paragraph by paragraph, with the counts of what changed; runs of unchanged
// paragraphs are folded. A small form asks for two symbols.

import { api, readDiff } from './api.js';
import { $, STATUS_NAME, appendOps, el, joinMeta, link, sessionName, statusTags } from './dom.js';
import { kindName, placeLabel, symbolWithPart } from './refs.js';
import { diffHref, navigate, resolutionHref } from './state.js';
import { begin, failed, finish } from './status.js';

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

export async function loadDiff(state) {
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

const foldText = (n, open) => `${open ? '隐藏' : '显示'} ${n} 段未改动的段落`;

// Unchanged paragraphs, folded behind a button.
function fold(run) {
  const box = el('div', 'fold');
  const rows = el('div', 'fold-rows');
  rows.hidden = true;
  for (const p of run) rows.append(diffRow(p));
  const btn = el('button', 'fold-toggle', foldText(run.length, false));
  btn.type = 'button';
  btn.setAttribute('aria-expanded', 'false');
  btn.addEventListener('click', () => {
    rows.hidden = !rows.hidden;
    btn.setAttribute('aria-expanded', String(!rows.hidden));
    btn.textContent = foldText(run.length, !rows.hidden);
  });
  box.append(btn, rows);
  return box;
}

function renderDiff(box, d, state) {
  const oldSym = symbolWithPart(d.old.symbol, d.old.part) || state.old;
  const newSym = symbolWithPart(d.new.symbol, d.new.part) || state.new;
  const head = el('header', 'doc-head');
  head.append(el('h2', 'doc-symbol', `${oldSym || '上一届'} → ${newSym}`));
  box.append(head);

  const sum = el('p', 'summary');
  for (const k of ['changed', 'new', 'dropped', 'moved', 'unchanged']) {
    sum.append(el('span', 'tag ' + k, `${STATUS_NAME[k]} ${d.summary[k]}`), ' ');
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
    if (run.length) grid.append(fold(run));
    run = [];
  };
  for (const p of d.paragraphs) {
    if (p.kind !== kind) {
      flush();
      kind = p.kind;
      grid.append(el('h3', 'kind-head', kindName(kind)));
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
      for (const b of folds) {
        if ((b.getAttribute('aria-expanded') === 'true') !== open) b.click();
      }
    });
    sum.append(all);
  }
}

function diffRow(p) {
  const row = el('div', `diff-row ${p.status}${p.moved ? ' moved' : ''}`);
  const label = el('div', 'diff-label');
  statusTags(label, p.status, p.moved);
  row.append(label);
  for (const side of ['old', 'new']) {
    const v = p[side];
    const cell = el('div', 'diff-' + side);
    if (!v) {
      cell.classList.add('empty');
      row.append(cell);
      continue;
    }
    cell.append(el('span', 'para-label', placeLabel(v.kind, v.para)));
    const text = el('p', 'diff-text');
    if (p.status === 'unchanged') text.append(v.text);
    else appendOps(text, p.ops, side);
    cell.append(text);
    row.append(cell);
  }
  return row;
}
