// The search form: its fields follow the URL, and typing searches as it goes (after a
// short pause, one history entry for a run of typing), while the selects, the checkbox
// and Enter make an entry each. '/' focuses the query.

import { $, el } from './dom.js';
import { KINDS } from './refs.js';
import { typed, loadSearch } from './search.js';
import { SORTS, emptySearch, isEmptySearch, nav, navigate, normalizeSession, searchHref } from './state.js';

const DEBOUNCE_MS = 150;
const TEXTS = ['q', 'session', 'year', 'symbol', 'cites'];

export const field = {
  q: () => $('#q'), kind: () => $('#f-kind'), session: () => $('#f-session'), year: () => $('#f-year'),
  symbol: () => $('#f-symbol'), cites: () => $('#f-cites'), sort: () => $('#f-sort'), collapse: () => $('#f-collapse'),
};

export function syncForm(s) {
  for (const k of ['q', 'kind', 'session', 'year', 'symbol', 'cites', 'sort']) field[k]().value = s[k];
  field.collapse().checked = s.collapse;
}

function formState() {
  const s = emptySearch();
  s.q = field.q().value;
  for (const k of ['kind', 'year', 'symbol', 'cites']) s[k] = field[k]().value.trim();
  s.session = normalizeSession(field.session().value);
  s.sort = SORTS.includes(field.sort().value) ? field.sort().value : 'relevance';
  s.collapse = field.collapse().checked;
  if (nav.current.view === 'search') s.limit = nav.current.limit;
  return s;
}

let typingTimer = 0;
function scheduleTyping() {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(commitTyping, DEBOUNCE_MS);
}

// Typing makes one history entry (pushed on the first change, replaced after).
function commitTyping() {
  clearTimeout(typingTimer);
  const href = searchHref(formState());
  const cur = nav.current;
  if (cur.view === 'search' && href === searchHref(cur)) return;
  typed();
  const replace = nav.typingEntry || (cur.view === 'search' && isEmptySearch(cur));
  nav.typingEntry = true;
  navigate(href, { replace, fromForm: true });
}

// Selects, the checkbox and Enter make their own history entry.
function commitNow() {
  clearTimeout(typingTimer);
  nav.typingEntry = false;
  const href = searchHref(formState());
  if (nav.current.view === 'search' && href === searchHref(nav.current)) { loadSearch(nav.current); return; }
  navigate(href, { fromForm: true });
}

export function setupForm() {
  // The kinds to filter by, as the library names them.
  const kinds = field.kind();
  for (const k of KINDS) {
    const option = el('option', '', k.label);
    option.value = k.name;
    kinds.append(option);
  }
  $('#search-form').addEventListener('submit', (e) => { e.preventDefault(); commitNow(); });
  for (const k of TEXTS) {
    const input = field[k]();
    input.addEventListener('input', (e) => { if (!e.isComposing) scheduleTyping(); });
    input.addEventListener('compositionend', scheduleTyping);
  }
  for (const k of ['kind', 'sort', 'collapse']) field[k]().addEventListener('change', commitNow);
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key === '/' && !(t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      field.q().focus();
      field.q().select();
    }
  });
}
