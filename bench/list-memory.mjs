#!/usr/bin/env node
// Memory calibration of ListValue (src/types/list.ts): V8 heap bytes per list
// against its `bytes` account, by bench/types-memory.mjs's method: force two
// GCs, build K lists of N elements (K * N near 2,000,000), keep them alive,
// force two GCs again and divide the heap growth (plus ArrayBuffer memory) by
// K. Elements are fresh 16-byte flat strings (32 heap bytes each), counted
// exactly and shown apart. Lists are built by tail pushes, head pushes,
// alternating ends, and by middle inserts (split chunks).
//
//   npm run build && node --expose-gc bench/list-memory.mjs
//
// Not a timing benchmark: heap sizes do not depend on machine load.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ListValue } = await import(path.join(root, 'dist/src/types/list.js'));
const { strBytes } = await import(path.join(root, 'dist/src/types/memory.js'));

if (typeof global.gc !== 'function') { console.error('run with node --expose-gc'); process.exit(1); }

function gcNow() { global.gc(); global.gc(); }
function heap() { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; }
function fresh(s) { return Buffer.from(s, 'latin1').latin1Slice(); }

let serial = 0;
function build(n, how) {
  const l = new ListValue();
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = fresh(`elem:${String(serial++).padStart(11, '0')}`); // 16 bytes
    s += strBytes(v.length);
    if (how === 'tail') l.pushTail(v);
    else if (how === 'head') l.pushHead(v);
    else if (how === 'both') { if (i & 1) l.pushHead(v); else l.pushTail(v); }
    else l.insertAt(l.size >> 1, v);
  }
  return [l, s];
}

const rows = [];
// Warm up (class shapes settle, lazy compilation) so the first row measures lists alone.
for (let i = 0; i < 3000; i++) build(40, 'both');
for (const how of ['tail', 'head', 'both', 'middle']) {
  // The first row after a group of large lists measures less than nothing (the heap settles
  // then), so each group starts with a throwaway row.
  for (const n of [0, 1, 3, 8, 50, 128, 500, 5000, 100000]) {
    if (how === 'middle' && n > 5000) continue;
    const k = Math.max(10, Math.min(10_000, Math.floor(2_000_000 / n)));
    const keep = new Array(k).fill(null);
    gcNow();
    const h0 = heap();
    let strings = 0;
    for (let i = 0; i < k; i++) { const [v, s] = build(n, how); keep[i] = v; strings += s; }
    gcNow();
    const h1 = heap();
    let account = 0;
    for (let i = 0; i < k; i++) account += keep[i].bytes;
    const perValue = (h1 - h0) / k;
    if (n === 0) continue;
    rows.push({ how, n, k, heap: perValue, structure: perValue - strings / k, account: account / k });
    keep.length = 0;
    gcNow(); await new Promise((r) => setTimeout(r, 200)); gcNow(); // concurrent sweeping done: the next row starts clean
  }
}
console.log(`V8 heap per list (node ${process.version}); elements are 16-byte strings (32 heap bytes each).\n`);
console.log('| built by | elements | lists built | heap / list | structure (heap - strings) | account / list | account / heap |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.how} | ${r.n} | ${r.k} | ${r.heap.toFixed(0)} | ${r.structure.toFixed(0)} (${(r.structure / r.n).toFixed(1)}/elem) | ${r.account.toFixed(0)} | ${(100 * (r.account / r.heap - 1)).toFixed(1)} % |`);
}
