#!/usr/bin/env node
// Memory calibration of the value types (src/types/hash.ts, set.ts, zset.ts):
// V8 heap bytes per value against each module's `bytes` account.
//
// Method (as bench/memory.mjs did for strings): for each type, encoding and
// element count N, force two GCs, build K values of N elements each (K = 10,000
// for small N, fewer for large N so that K * N stays near 2,000,000), keep them
// alive, force two GCs again and divide the growth of V8's heap plus ArrayBuffer
// memory by K. Every field, value and member is a fresh flat string (as the
// protocol parser makes them), so none is shared between values; their own
// bytes (strBytes) are known exactly and are subtracted, leaving the structure's
// cost. A least-squares line over N (per encoding) gives the BASE and PER
// constants; the table then shows the account (the modules' `bytes`, with the
// constants as compiled) against the measured heap, per value.
//
//   npm run build && node --expose-gc bench/types-memory.mjs [--only hash|set|zset]
//
// Not a timing benchmark: heap sizes do not depend on machine load.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { HashValue } = await import(path.join(root, 'dist/src/types/hash.js'));
const { SetValue } = await import(path.join(root, 'dist/src/types/set.js'));
const { ZSetValue } = await import(path.join(root, 'dist/src/types/zset.js'));
const { strBytes } = await import(path.join(root, 'dist/src/types/memory.js'));

if (typeof global.gc !== 'function') { console.error('run with node --expose-gc'); process.exit(1); }
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

function gcNow() { global.gc(); global.gc(); }
function heap() { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; }
/** A fresh flat one-byte string (not an internalized literal, not a cons string). */
function fresh(s) { return Buffer.from(s, 'latin1').latin1Slice(); }

const BIG = { maxEntries: 1e9, maxValue: 1e9 };
const ZERO = { maxEntries: 0, maxValue: 64 };
const HASH_DEFAULT = { maxEntries: 512, maxValue: 64 };
const ZSET_DEFAULT = { maxEntries: 128, maxValue: 64 };

/** Each case: name, encoding label, N, build(i) -> [value, stringBytes]. */
const cases = [];
for (const n of [1, 4, 8, 15]) cases.push(['hash', 'listpack', n, () => buildHash(n, HASH_DEFAULT)]);
for (const n of [16, 32, 64, 128, 256, 512]) cases.push(['hash', 'listpack+index', n, () => buildHash(n, HASH_DEFAULT)]);
for (const n of [1, 8, 64, 513, 2000]) cases.push(['hash', 'hashtable', n, () => buildHash(n, n > 512 ? HASH_DEFAULT : ZERO)]);
for (const n of [1, 8, 64, 256, 512]) cases.push(['set', 'intset', n, () => buildSet(n, false, false)]);
for (const n of [8, 64, 512]) cases.push(['set', 'intset (wide)', n, () => buildSet(n, true, false)]);
for (const n of [1, 8, 64, 513, 2000]) cases.push(['set', 'hashtable', n, () => buildSet(n, false, true)]);
for (const n of [1, 8, 32, 64, 128]) cases.push(['zset', 'listpack', n, () => buildZset(n, ZSET_DEFAULT)]);
for (const n of [1, 8, 64, 129, 1000, 10000, 100000]) cases.push(['zset', 'skiplist', n, () => buildZset(n, n > 128 ? ZSET_DEFAULT : ZERO)]);
for (const n of [1000, 10000, 100000]) cases.push(['zset', 'skiplist (ascending scores)', n, () => buildZset(n, ZSET_DEFAULT, 'up')]);
for (const n of [1000, 10000, 100000]) cases.push(['zset', 'skiplist (random scores)', n, () => buildZset(n, ZSET_DEFAULT, 'random')]);

let serial = 0;
function buildHash(n, limits) {
  const h = new HashValue();
  let s = 0;
  for (let i = 0; i < n; i++) {
    const f = fresh(`field:${String(serial++).padStart(10, '0')}`); // 16 bytes
    const v = fresh(`value:${String(serial).padStart(10, '0')}`);
    h.set(f, v, limits);
    s += strBytes(f.length) + strBytes(v.length);
  }
  return [h, s];
}
function buildSet(n, wide, table) {
  const st = new SetValue();
  let s = 0;
  const limits = { maxIntsetEntries: table && n <= 512 ? 0 : 512 };
  for (let i = 0; i < n; i++) {
    const m = table ? fresh(`member:${String(serial++).padStart(9, '0')}`) : fresh(String(wide ? 9007199254740993n + BigInt(serial++) : serial++ % 1000000));
    st.add(m, limits);
    if (table) s += strBytes(m.length);
  }
  return [st, s];
}
let seed = 1;
function random() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
function buildZset(n, limits, order = 'stride') {
  const z = new ZSetValue();
  let s = 0;
  for (let i = 0; i < n; i++) {
    const m = fresh(`member:${String(serial++).padStart(9, '0')}`);
    // Non-integral scores (unboxed doubles): a stride through 0..100003, ascending, or random.
    const score = order === 'up' ? i + 0.5 : order === 'random' ? random() : (serial * 7919) % 100003 / 7;
    z.set(m, score, limits);
    s += strBytes(m.length);
  }
  return [z, s];
}

const rows = [];
for (const [type, enc, n, build] of cases) {
  if (only !== null && type !== only) continue;
  const k = Math.max(20, Math.min(10_000, Math.floor(2_000_000 / n)));
  const keep = new Array(k).fill(null);
  gcNow();
  const h0 = heap();
  let strings = 0;
  let account = 0;
  for (let i = 0; i < k; i++) { const [v, s] = build(); keep[i] = v; strings += s; }
  gcNow();
  const h1 = heap();
  for (let i = 0; i < k; i++) account += keep[i].bytes;
  const got = keep[0].encoding;
  const label = enc.replace(/ .*|\+.*/, '');
  if (got !== label) throw new Error(`${type} ${enc} ${n}: built ${got}`);
  const perValue = (h1 - h0) / k; // the keep array was allocated before h0
  rows.push({ type, enc, n, k, heap: perValue, structure: perValue - strings / k, account: account / k, accountStructure: (account - strings) / k });
  keep.length = 0;
}

// Least squares per (type, encoding): structure = BASE + PER * n.
const fits = {};
for (const r of rows) (fits[`${r.type} ${r.enc}`] ??= []).push(r);
const fitLines = [];
for (const [name, rs] of Object.entries(fits)) {
  const xs = rs.map((r) => r.n);
  const ys = rs.map((r) => r.structure);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0; let sxx = 0;
  for (let i = 0; i < xs.length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const per = sxx === 0 ? 0 : sxy / sxx;
  fitLines.push(`| ${name} | ${(my - per * mx).toFixed(0)} | ${per.toFixed(1)} |`);
}

console.log(`V8 heap per value (node ${process.version}); strings are 16-byte fields/values/members (32 heap bytes each), intset members are numbers.\n`);
console.log('| type | encoding | elements | values built | heap / value | structure (heap - strings) | account / value | account / heap |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.type} | ${r.enc} | ${r.n} | ${r.k} | ${r.heap.toFixed(0)} | ${r.structure.toFixed(0)} (${(r.structure / r.n).toFixed(1)}/elem) | ${r.account.toFixed(0)} | ${(100 * (r.account / r.heap - 1)).toFixed(1)} % |`);
}
console.log('\nLeast-squares fit of the structure cost: BASE + PER x elements\n');
console.log('| type encoding | BASE | PER element |');
console.log('|---|---|---|');
for (const l of fitLines) console.log(l);
