// The page of `unres serve`, its entry module: it routes the URL to its view (search,
// resolution, diff, history), follows the page's own links without reloading, and wires
// the form and the chart. The views, the API client and the state are modules under
// /js/, served as they are; /js/model.js is written by the server from the library.

import { setupChart } from './js/chart.js';
import { loadDiff } from './js/diff.js';
import { field, setupForm, syncForm } from './js/form.js';
import { loadHistory } from './js/history.js';
import { loadResolution } from './js/resolution.js';
import { loadSearch } from './js/search.js';
import { nav, navigate, onNavigate, readState } from './js/state.js';

const VIEWS = { search: 'search-view', resolution: 'resolution', diff: 'diff', history: 'history' };

// Shows the view the URL names and loads it. opts.pop: back or forward (the scroll is
// the browser's); opts.fromForm: the form made the URL (its fields are left as typed).
function route(opts = {}) {
  const state = readState(location.search);
  const prev = nav.current;
  nav.current = state;
  for (const [view, id] of Object.entries(VIEWS)) document.getElementById(id).hidden = view !== state.view;
  if (state.view === 'search' && !opts.fromForm) syncForm(state);
  if (!opts.pop && !opts.fromForm && !(state.view === 'resolution' && state.ref)) window.scrollTo(0, 0);
  if (state.view === 'resolution') loadResolution(state, prev);
  else if (state.view === 'diff') loadDiff(state);
  else if (state.view === 'history') loadHistory(state);
  else loadSearch(state);
}

// The page's own links ("/?…") change the view without reloading the page.
function followLinks(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!a || a.target) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//')) return;
  const url = new URL(href, location.origin);
  if (url.pathname !== '/') return;
  e.preventDefault();
  nav.typingEntry = false;
  navigate(url.pathname + url.search);
}

function start() {
  onNavigate(route);
  window.addEventListener('popstate', () => {
    nav.typingEntry = false;
    route({ pop: true });
  });
  document.addEventListener('click', followLinks);
  setupForm();
  setupChart();
  route({ pop: true });
  if (nav.current.view === 'search' && !nav.current.q) field.q().focus();
  // The modules loaded and the page is wired (the browser test waits for this).
  document.documentElement.dataset.ready = 'true';
}

start();
