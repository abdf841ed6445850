#!/usr/bin/env node
// Hit-ratio benchmark: how good is sampled LRU eviction?
//
// One seeded trace of --requests GETs over --keys keys drawn from a Zipf
// distribution (s = 0.99); on a miss the client SETs the key (cache-aside).
// Each cache holds about --capacity keys (10 % of the keyspace by default):
//   - exact LRU: an in-process simulation with exactly that many keys;
//   - Redis and cachette: maxmemory set to what that many keys use on each
//     (measured by loading them first), policy allkeys-lru.
// The first 20 % of the trace warms the caches and is not counted.
//
//   node bench/hitratio.mjs [--keys 1000000] [--requests 1500000] [--capacity 100000]
// Results: Markdown on stdout and in bench/results/hitratio-<date>.md.

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { seededRandom } from '../dist/src/random.js';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs();
const KEYS = Number(args.keys ?? 1000000);
const REQUESTS = Number(args.requests ?? 1500000);
const CAPACITY = Number(args.capacity ?? 100000);
const WARMUP = Math.floor(REQUESTS * 0.2);
const VALUE = 'v'.repeat(100);

// ---- the trace -----------------------------------------------------------
const cdf = new Float64Array(KEYS);
let acc = 0;
for (let i = 0; i < KEYS; i++) { acc += 1 / Math.pow(i + 1, 0.99); cdf[i] = acc; }
const rand = seededRandom(20261126);
// Ranks are shuffled onto key ids so popularity is not key order.
const perm = new Uint32Array(KEYS);
for (let i = 0; i < KEYS; i++) perm[i] = i;
for (let i = KEYS - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
const trace = new Uint32Array(REQUESTS);
for (let r = 0; r < REQUESTS; r++) {
  const u = rand() * acc;
  let lo = 0;
  let hi = KEYS - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
  trace[r] = perm[lo];
}
const keyName = (id) => 'key:' + String(id).padStart(12, '0');

// ---- exact LRU -----------------------------------------------------------
function exactLru() {
  const m = new Map();
  let hits = 0;
  for (let r = 0; r < REQUESTS; r++) {
    const k = trace[r];
    if (m.has(k)) { m.delete(k); m.set(k, 1); if (r >= WARMUP) hits++; }
    else {
      m.set(k, 1);
      if (m.size > CAPACITY) m.delete(m.keys().next().value);
    }
  }
  return hits / (REQUESTS - WARMUP);
}

// ---- servers -------------------------------------------------------------

/** A pipelined RESP client: send a batch of commands, get their replies in order. */
async function client(port) {
  const s = await new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  });
  s.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let want = 0;
  let waiter = null;
  const replies = [];
  const parse = () => {
    let p = 0;
    while (replies.length < want && p < buf.length) {
      const cr = buf.indexOf(13, p);
      if (cr === -1) break;
      const t = buf[p];
      if (t === 36) {
        const n = Number(buf.latin1Slice(p + 1, cr));
        if (n < 0) { replies.push(null); p = cr + 2; continue; }
        if (cr + 2 + n + 2 > buf.length) break;
        replies.push(buf.latin1Slice(cr + 2, cr + 2 + n));
        p = cr + 2 + n + 2;
      } else { replies.push(buf.latin1Slice(p, cr)); p = cr + 2; }
    }
    buf = buf.subarray(p);
  };
  s.on('data', (d) => { buf = buf.length ? Buffer.concat([buf, d]) : d; parse(); if (replies.length >= want && waiter) { const w = waiter; waiter = null; w(); } });
  return {
    async batch(cmds) {
      replies.length = 0;
      want = cmds.length;
      let out = '';
      for (const c of cmds) { out += `*${c.length}\r\n`; for (const a of c) out += `$${a.length}\r\n${a}\r\n`; }
      const done = new Promise((r) => { waiter = r; });
      s.write(out, 'latin1');
      if (replies.length < want) await done;
      return replies.slice();
    },
    close: () => s.destroy(),
  };
}

async function usedMemory(c) {
  const [info] = await c.batch([['INFO', 'memory']]);
  return Number(/^used_memory:(\d+)/m.exec(info)[1]);
}

async function runServer(name, spawnAt) {
  const port = await freePort();
  const proc = spawnAt(port);
  let c;
  for (let i = 0; i < 100; i++) { try { c = await client(port); break; } catch { await sleep(50); } }
  // Size maxmemory to what CAPACITY keys use on this server.
  const base = await usedMemory(c);
  for (let i = 0; i < CAPACITY; i += 1000) {
    const cmds = [];
    for (let j = i; j < Math.min(CAPACITY, i + 1000); j++) cmds.push(['SET', keyName(KEYS + j), VALUE]);
    await c.batch(cmds);
  }
  const full = await usedMemory(c);
  await c.batch([['FLUSHALL'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'SET', 'maxmemory', String(full)]]);
  let hits = 0;
  for (let r = 0; r < REQUESTS; r += 200) {
    const ids = Array.from(trace.subarray(r, Math.min(REQUESTS, r + 200)));
    const got = await c.batch(ids.map((id) => ['GET', keyName(id)]));
    const misses = new Set();
    got.forEach((v, i) => { if (v === null) misses.add(ids[i]); else if (r + i >= WARMUP) hits++; });
    if (misses.size) await c.batch([...misses].map((id) => ['SET', keyName(id), VALUE]));
  }
  const [info] = await c.batch([['INFO', 'stats']]);
  const evicted = Number(/^evicted_keys:(\d+)/m.exec(info)[1]);
  c.close();
  proc.kill('SIGKILL');
  return { name, hitRatio: hits / (REQUESTS - WARMUP), maxmemory: full, baseline: base, evicted };
}

const lru = exactLru();
const redisDir = mkdtempSync(path.join(os.tmpdir(), 'cachette-bench-'));
const redis = await runServer('redis', (port) => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' }));
const cachette = await runServer('cachette', (port) => spawn(process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning'], { stdio: 'ignore' }));
const pct = (x) => `${(x * 100).toFixed(2)} %`;
const table = [
  `Zipf s=0.99 over ${KEYS.toLocaleString('en-US')} keys, ${REQUESTS.toLocaleString('en-US')} GETs (SET on miss, 100-byte values), capacity ${CAPACITY.toLocaleString('en-US')} keys, first 20 % as warm-up; allkeys-lru, maxmemory-samples 5. Redis ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}, node ${process.version}.`,
  '',
  '| Cache | Hit ratio | vs exact LRU |',
  '|---|---|---|',
  `| exact LRU (simulation) | ${pct(lru)} | 1.000 |`,
  `| Redis | ${pct(redis.hitRatio)} | ${(redis.hitRatio / lru).toFixed(3)} |`,
  `| cachette | ${pct(cachette.hitRatio)} | **${(cachette.hitRatio / lru).toFixed(3)}** |`,
].join('\n');
console.log(table);
writeResult('hitratio', table);
process.exit(0);
