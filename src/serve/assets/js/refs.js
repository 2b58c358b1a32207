// Record kinds and references, read from the library's own values (./model.js, written
// by the server from unres::Kind): a kind's Chinese name, a record's place
// (执行部分第 3 段), its reference (op.3) and a symbol with its part (A/RES/78/47 A).

import { KINDS } from './model.js';

const BY_NAME = new Map(KINDS.map((k) => [k.name, k]));
// A reference names its kind by its prefix (op) or its full name (operative).
const BY_PREFIX = new Map(KINDS.flatMap((k) => [[k.ref, k], [k.name, k]]));

export { KINDS };

export const kindName = (kind) => (BY_NAME.has(kind) ? BY_NAME.get(kind).label : kind);

// Where a record stands: 序言部分第 2 段, 脚注 4.
export function placeLabel(kind, para) {
  const k = BY_NAME.get(kind);
  if (para === null || para === undefined) return k ? k.label : kind;
  return k ? k.place.replace('{n}', String(para)) : `${kind} ${para}`;
}

// op.3, as the library writes a record reference.
export function refOf(kind, para) {
  if (!kind || para === null || para === undefined) return '';
  const k = BY_NAME.get(kind);
  return `${k ? k.ref : kind}.${para}`;
}

// op.3 or operative.3 → {kind: 'operative', para: 3}; null for anything else.
export function parseRef(ref) {
  const m = /^([a-z]+)\.(\d+)$/i.exec(ref || '');
  const k = m && BY_PREFIX.get(m[1].toLowerCase());
  return k ? { kind: k.name, para: Number(m[2]) } : null;
}

export function refLabel(ref) {
  const r = parseRef(ref);
  return r ? placeLabel(r.kind, r.para) : ref;
}

// A class name for a record's kind (kind-op), from its reference prefix.
export const kindClass = (kind) => 'kind-' + (BY_NAME.has(kind) ? BY_NAME.get(kind).ref : 'other');

// A resolution as a reference names it: its symbol, then its part letter.
export const symbolWithPart = (symbol, part) => (part ? `${symbol} ${part}` : symbol);
