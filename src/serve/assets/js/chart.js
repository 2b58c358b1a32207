// The chart of matches by session (an SVG of bars): a click or Enter on a bar filters
// the search to that session, again clears the filter. Redrawn to the width of the
// window when it is resized.

import { $, el, fmt, svg } from './dom.js';
import { emptySearch, nav, navigate, searchHref } from './state.js';

let lastChart = null;

export function hideChart() {
  $('#chart').hidden = true;
  lastChart = null;
}

// Bars per session; `selected` ({lo, hi} or null) highlights a range of them.
export function drawChart(sessions, selected, caption) {
  const box = $('#chart');
  lastChart = [sessions, selected, caption];
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
    const label = `第 ${d.session} 届会议：${fmt(d.count)} 条`;
    const g = svg('g', { class: 'bar-group' });
    const area = svg('rect', { x, y: padT, width: step, height: plotH, class: 'bar-area', 'data-session': d.session });
    const bar = svg('rect', {
      x: x + step * 0.12, y: padT + plotH - h, width: Math.max(1, step * 0.76), height: h,
      class: 'bar' + (selected ? (inRange ? ' selected' : ' dimmed') : ''),
      'data-session': d.session, 'data-count': d.count, tabindex: 0, role: 'button',
      'aria-label': label,
    });
    for (const target of [bar, area]) {
      const title = svg('title');
      title.textContent = label;
      target.append(title);
    }
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
  nav.typingEntry = false;
  const base = nav.current.view === 'search' ? nav.current : emptySearch();
  const same = base.session === session;
  navigate(searchHref({ ...base, session: same ? '' : session, offset: 0 }));
}

export function setupChart() {
  const box = $('#chart');
  box.addEventListener('click', (e) => chartPick(chartTarget(e)));
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      const s = chartTarget(e);
      if (s) { e.preventDefault(); chartPick(s); }
    }
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (lastChart) drawChart(...lastChart); }, 100);
  });
}
