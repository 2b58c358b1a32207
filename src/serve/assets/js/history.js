// The history view: one paragraph back through its resolution's series, newest first,
// each version with what changed from the one before it and a link to compare the two
// resolutions in full.

import { ApiError, api, readHistory } from './api.js';
import { $, appendOps, el, link, sessionName, statusTags } from './dom.js';
import { placeLabel, refLabel, symbolWithPart } from './refs.js';
import { diffHref, resolutionHref } from './state.js';
import { begin, failed, finish, showError } from './status.js';

export async function loadHistory(state) {
  const box = $('#history');
  box.replaceChildren();
  if (!state.symbol || !state.ref) {
    begin('');
    showError(new ApiError('缺少决议文号或段落。', 400, null));
    return;
  }
  const name = `${symbolWithPart(state.symbol, state.part)} ${refLabel(state.ref)}`;
  document.title = `${name} 的历史 – 联合国裁军决议检索`;
  const head = el('header', 'doc-head');
  const h2 = el('h2', 'doc-symbol');
  h2.append(link(resolutionHref(state.symbol, state.part, state.ref), name), ' 的历史');
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

// A version's symbol carries its part letter (A/RES/78/47 A), as the server reads it back.
function historyItem(v, older) {
  const li = el('li', `version ${v.status}${v.moved ? ' moved' : ''}`);
  const head = el('div', 'version-head');
  head.append(link(resolutionHref(v.symbol, '', v.ref), `${v.symbol} ${placeLabel(v.kind, v.para)}`, 'place'));
  const meta = sessionName(v.session);
  if (meta) head.append(el('span', 'meta', meta));
  statusTags(head, v.status, v.moved);
  if (older) head.append(link(diffHref(older.symbol, v.symbol), '比较两届全文', 'to-diff'));
  li.append(head);
  const text = el('p', 'version-text');
  if (v.status === 'unchanged') text.append(v.text);
  else appendOps(text, v.ops, 'both');
  li.append(text);
  return li;
}
