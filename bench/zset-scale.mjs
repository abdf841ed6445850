#!/usr/bin/env node
// Sorted-set operations at growing sizes (src/types/zset.ts, in process, no
// server): per-operation time of ZADD (a new member), ZADD (a new score for an
// existing member), ZRANK, ZRANGE by rank (place a cursor at a random rank and
// read 10 members) and ZRANGEBYSCORE's first-in-range search, at 10,000,
// 100,000 and 1,000,000 members. O(log n) operations should stay roughly flat
// across the rows.
//
//   npm run build && node bench/zset-scale.mjs [--sizes 10000,100000,1000000] [--ops 200000]
//
// Each size builds its own set (random scores, members "member:<n>"), then
// times each operation over --ops random picks (seeded, so runs repeat), after
// a warm-up of a tenth as many. A timing benchmark: run it on a quiet machine.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ZSetValue, ZSET_DEFAULT_LIMITS } = await import(path.join(root, 'dist/src/types/zset.js'));
const { parseScoreRange } = await import(path.join(root, 'dist/src/types/score.js'));
const { seededRandom } = await import(path.join(root, 'dist/src/random.js'));

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
}
const sizes = String(arg('sizes', '10000,100000,1000000')).split(',').map(Number);
const OPS = Number(arg('ops', 200000));

function time(ops, fn) {
  fn(Math.max(1, Math.floor(ops / 10))); // warm-up
  const t0 = process.hrtime.bigint();
  fn(ops);
  return Number(process.hrtime.bigint() - t0) / ops; // ns per op
}

const rows = [];
for (const n of sizes) {
  const rnd = seededRandom(n);
  const z = new ZSetValue();
  const members = new Array(n);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) { members[i] = `member:${i}`; z.set(members[i], rnd() * 1e6, ZSET_DEFAULT_LIMITS); }
  const buildNs = Number(process.hrtime.bigint() - t0) / n;
  let sink = 0;
  let extra = 0;
  const zaddNew = time(OPS, (k) => {
    for (let i = 0; i < k; i++) { z.set(`new:${extra++}`, rnd() * 1e6, ZSET_DEFAULT_LIMITS); }
  });
  // Put the set back to n members so every row measures the same size.
  for (let i = 0; i < extra; i++) z.delete(`new:${i}`);
  const zaddUpdate = time(OPS, (k) => {
    for (let i = 0; i < k; i++) z.set(members[Math.floor(rnd() * n)], rnd() * 1e6, ZSET_DEFAULT_LIMITS);
  });
  const zrank = time(OPS, (k) => {
    for (let i = 0; i < k; i++) sink += z.rank(members[Math.floor(rnd() * n)]);
  });
  const zrange10 = time(OPS, (k) => {
    for (let i = 0; i < k; i++) {
      const c = z.cursor(Math.floor(rnd() * (n - 10)));
      for (let j = 0; j < 10; j++, c.next()) sink += c.member.length;
    }
  });
  const ranges = Array.from({ length: 1024 }, () => { const x = rnd() * 1e6; return parseScoreRange(String(x), String(x + 1000)); });
  const zrangebyscore = time(OPS, (k) => {
    for (let i = 0; i < k; i++) sink += z.firstInScoreRange(ranges[i & 1023]);
  });
  rows.push({ n, buildNs, zaddNew, zaddUpdate, zrank, zrange10, zrangebyscore, sink });
}

const f = (ns) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`Sorted set, in process, node ${process.version}; ${OPS.toLocaleString('en-US')} random operations per cell.\n`);
console.log('| members | build (per ZADD) | ZADD new | ZADD update | ZRANK | ZRANGE 10 by rank | first in score range |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n.toLocaleString('en-US')} | ${f(r.buildNs)} | ${f(r.zaddNew)} | ${f(r.zaddUpdate)} | ${f(r.zrank)} | ${f(r.zrange10)} | ${f(r.zrangebyscore)} |`);
