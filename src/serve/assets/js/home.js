// The page with no query: what the index holds (its stats and a chart of records by
// session) and how to ask (examples of the query language).

import { api, cached, readStats } from './api.js';
import { drawChart, hideChart } from './chart.js';
import { $, el, fmt, link } from './dom.js';
import { KINDS } from './refs.js';
import { emptySearch, searchHref } from './state.js';

const EXAMPLES = [
  ['小武器', '含有“小武器”的段落（一个字也可以）'],
  ['妇女 决策', '同时含有两个词'],
  ['"2022 年 6 月"', '加引号的词语按原样检索'],
  ['小武器 -妇女', '含有“小武器”但不含“妇女”'],
  ['行动纲领 OR 国际追查文书', '含有其中之一'],
  ['輕武器', '繁体字也能找到简体文本'],
  ['kind:operative', '种类：' + KINDS.map((k) => k.name).join('、')],
  ['session:78', '届会；也可用 year:2023、symbol:A/RES/78/46'],
  ['cites:A/RES/77/71', '引用该文件的段落（包括通过脚注引用）'],
];

export async function showHome(job) {
  $('#total').textContent = '';
  $('#hits').replaceChildren();
  $('#pager').replaceChildren();
  const home = $('#home');
  home.hidden = false;
  home.replaceChildren();
  const intro = el('p', 'intro', '逐段检索联合国大会裁军决议的中文文本。输入时即显示结果。');
  const help = el('table', 'syntax');
  help.append(el('caption', '', '检索语法'));
  const body = el('tbody');
  for (const [q, what] of EXAMPLES) {
    const tr = el('tr');
    const td = el('td');
    td.append(link(searchHref({ ...emptySearch(), q }), q, 'example'));
    tr.append(td, el('td', '', what));
    body.append(tr);
  }
  help.append(body);
  home.append(intro, help);
  hideChart();
  try {
    const stats = readStats(await cached('/api/stats', () => api('stats', {})));
    if (!job.live()) return;
    const parts = [];
    if (stats.resolutions !== null) parts.push(`${fmt(stats.resolutions)} 项决议`);
    if (stats.records !== null) parts.push(`${fmt(stats.records)} 个段落和脚注`);
    const ss = stats.sessions.map((s) => s.session);
    if (ss.length) parts.push(`第 ${Math.min(...ss)}–${Math.max(...ss)} 届会议`);
    if (parts.length) intro.after(el('p', 'stats', '索引收录：' + parts.join('，') + '。'));
    drawChart(stats.sessions, null, '各届会议的记录数（点击查看该届会议）');
  } catch (e) {
    // The page works without the numbers.
  }
}
