#!/usr/bin/env node
// Streams against a real redis-server in the same run (issue 20):
//  1. XADD: --clients connections (default 50) appending to one stream
//     (XADD s * f <value of --size bytes>), each with 1 (P1) or 16 (P16)
//     commands in flight; entries per second.
//  2. XREADGROUP + XACK: a stream pre-filled with --entries entries, one
//     group, --clients consumers each reading with XREADGROUP GROUP g c<i>
//     COUNT 1 STREAMS s > and acknowledging what it got with XACK; with 1
//     (P1) or 16 (P16) reads in flight per consumer (then the 16 XACKs
//     pipelined); entries consumed and acknowledged per second.
//  3. XRANGE over a 1,000,000-entry stream (--big): XRANGE s <id> + COUNT 10
//     with <id> at the start, the middle and the end, and XREVRANGE s + - COUNT
//     10, on one connection with 16 in flight; commands per second at each
//     position (the point: no position is slower than another).
// Rounds alternate the order of the two servers (A B, B A, ...) so machine
// noise hits both alike; figures are medians of --rounds (default 3).
//
//   npm run build && node bench/streams.mjs [--clients 50] [--ops 200000] [--entries 200000]
//                                           [--big 1000000] [--size 16] [--rounds 3] [--pin yes|no]
//                                           [--tests xadd,readack,xrange] [--write no]
//
// With 2+ cores and taskset, both servers run pinned to core 0 (one at a time
// is busy) and this load generator to the others. Target: at least 0.7x
// Redis's rate for XADD and for XREADGROUP+XACK at P1 and P16.

import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, parseArgs, root, sleep, writeResult, waitPort } from './lib.mjs';

const args = parseArgs();
const CLIENTS = Number(args.clients ?? 50);
const OPS = Number(args.ops ?? 200000);
const ENTRIES = Number(args.entries ?? 200000);
const BIG = Number(args.big ?? 1000000);
const SIZE = Number(args.size ?? 16);
const ROUNDS = Number(args.rounds ?? 3);
const XRANGE_OPS = Number(args['xrange-ops'] ?? 50000);

function which(cmd) {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`]).toString().trim(); } catch { return null; }
}
const redisServer = which('redis-server');
if (!redisServer) { console.error('bench needs redis-server'); process.exit(1); }
const taskset = which('taskset');
const pin = args.pin !== 'no' && taskset !== null && os.cpus().length >= 2;
const onCore = (core, cmd, argv) => (pin ? [taskset, ['-c', String(core), cmd, ...argv]] : [cmd, argv]);
if (pin) { try { execFileSync(taskset, ['-cp', `1-${os.cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' }); } catch { /* best effort */ } }

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => { s.setNoDelay(true); resolve(s); });
    s.once('error', reject);
  });
}

const enc = (...a) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`;

/** Parses one RESP2 reply at `p`: [value, next] (errors as Error, nulls as null), or null when incomplete. */
function parse(b, p) {
  if (p >= b.length) return null;
  const e = b.indexOf(10, p);
  if (e === -1) return null;
  const line = b.latin1Slice(p + 1, e - 1);
  const t = b[p];
  if (t === 43 /* + */) return [line, e + 1];
  if (t === 45 /* - */) return [new Error(line), e + 1];
  if (t === 58 /* : */) return [Number(line), e + 1];
  const n = Number(line);
  if (t === 36 /* $ */) {
    if (n < 0) return [null, e + 1];
    if (e + 1 + n + 2 > b.length) return null;
    return [b.latin1Slice(e + 1, e + 1 + n), e + 1 + n + 2];
  }
  if (n < 0) return [null, e + 1];
  const out = [];
  let q = e + 1;
  for (let i = 0; i < n; i++) {
    const r = parse(b, q);
    if (r === null) return null;
    out.push(r[0]);
    q = r[1];
  }
  return [out, q];
}

/** A connection whose replies are handed to `onReply` in order. */
async function conn(port, onReply) {
  const s = await connect(port);
  let buf = Buffer.alloc(0);
  s.on('data', (d) => {
    buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
    let p = 0;
    for (;;) {
      const r = parse(buf, p);
      if (r === null) break;
      p = r[1];
      if (r[0] instanceof Error) { console.error(`error reply: ${r[0].message}`); process.exit(1); }
      onReply(r[0]);
    }
    buf = buf.subarray(p);
  });
  return s;
}

async function call(port, ...cmds) {
  return new Promise(async (resolve) => {
    const out = [];
    const s = await conn(port, (v) => { out.push(v); if (out.length === cmds.length) { s.destroy(); resolve(out); } });
    s.write(cmds.map((c) => enc(...c)).join(''));
  });
}

/** Loads `n` entries into `key` with explicit IDs 1-0, 2-0, ... (pipelined). */
async function fill(port, key, n) {
  await new Promise(async (resolve) => {
    let acked = 0;
    let sent = 0;
    const value = 'v'.repeat(SIZE);
    const s = await conn(port, () => { acked++; if (acked === n) { s.destroy(); resolve(); } else if (acked === sent) pump(); });
    const pump = () => {
      let out = '';
      const until = Math.min(n, sent + 5000);
      for (; sent < until; sent++) out += enc('XADD', key, `${sent + 1}-0`, 'f', value);
      s.write(out);
    };
    pump();
  });
}

/** XADD from CLIENTS connections, `depth` in flight each, OPS in all: entries per second. */
async function xaddRun(port, depth) {
  await call(port, ['DEL', 's']);
  const value = 'v'.repeat(SIZE);
  const per = Math.ceil(OPS / CLIENTS);
  let left = CLIENTS;
  let done;
  const finished = new Promise((r) => { done = r; });
  const socks = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CLIENTS; i++) {
    let sent = 0;
    let got = 0;
    const s = await conn(port, () => {
      got++;
      if (got === per) { if (--left === 0) done(); return; }
      if (sent < per) { sent++; s.write(enc('XADD', 's', '*', 'f', value)); }
    });
    socks.push(s);
    let out = '';
    for (; sent < Math.min(depth, per); sent++) out += enc('XADD', 's', '*', 'f', value);
    s.write(out);
  }
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const s of socks) s.destroy();
  return (per * CLIENTS) / secs;
}

/** XREADGROUP COUNT 1 + XACK by CLIENTS consumers, `depth` reads in flight each: entries per second. */
async function readAckRun(port, depth) {
  await call(port, ['DEL', 's']);
  await fill(port, 's', ENTRIES);
  await call(port, ['XGROUP', 'CREATE', 's', 'g', '0']);
  let consumed = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const socks = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CLIENTS; i++) {
    const me = `c${i}`;
    const read = enc('XREADGROUP', 'GROUP', 'g', me, 'COUNT', '1', 'STREAMS', 's', '>');
    let phase = 'read';
    let waiting = 0;
    let ids = [];
    let empty = false;
    const start = () => { phase = 'read'; waiting = depth; ids = []; s.write(read.repeat(depth)); };
    const s = await conn(port, (v) => {
      waiting--;
      if (phase === 'read') {
        if (v === null) empty = true; else ids.push(v[0][1][0][0]);
        if (waiting > 0) return;
        if (ids.length === 0) { if (empty) { s.destroy(); if (--live === 0) done(); } return; }
        phase = 'ack';
        waiting = ids.length;
        s.write(ids.map((id) => enc('XACK', 's', 'g', id)).join(''));
        return;
      }
      consumed++;
      if (waiting > 0) return;
      if (consumed >= ENTRIES) { if (consumed === ENTRIES) done(); return; }
      start();
    });
    socks.push(s);
    start();
  }
  let live = CLIENTS;
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const s of socks) s.destroy();
  return consumed / secs;
}

/** XRANGE at a position of the big stream: one connection, 16 in flight, XRANGE_OPS commands: per second. */
async function xrangeRun(port, cmd) {
  let got = 0;
  let sent = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const req = enc(...cmd);
  const s = await conn(port, () => { got++; if (got === XRANGE_OPS) done(); else if (sent < XRANGE_OPS) { sent++; s.write(req); } });
  const t0 = process.hrtime.bigint();
  sent = Math.min(16, XRANGE_OPS);
  s.write(req.repeat(sent));
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  s.destroy();
  return XRANGE_OPS / secs;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const redisPort = await freePort();
const cachettePort = await freePort();
const procs = [
  spawn(...onCore(0, redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()]), { stdio: 'ignore' }),
  spawn(...onCore(0, process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(cachettePort), '--loglevel', 'warning']), { stdio: 'ignore' }),
];
process.on('exit', () => { for (const p of procs) p.kill('SIGTERM'); });
process.on('SIGINT', () => process.exit(130));
await waitPort(redisPort);
await waitPort(cachettePort);

const ports = { redis: redisPort, cachette: cachettePort };
const rows = [];
const measure = async (label, fn) => {
  const res = { redis: [], cachette: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? ['redis', 'cachette'] : ['cachette', 'redis']) {
      const v = await fn(ports[name]);
      res[name].push(v);
      process.stderr.write(`${label} round ${r + 1}/${ROUNDS} ${name}: ${Math.round(v)}/s\n`);
    }
  }
  rows.push({ label, redis: median(res.redis), cachette: median(res.cachette) });
};

// --tests xadd,readack,xrange (default all): which workloads to run.
const TESTS = new Set(String(args.tests ?? 'xadd,readack,xrange').split(','));
if (TESTS.has('xadd')) {
  await measure('XADD, P1', (p) => xaddRun(p, 1));
  await measure('XADD, P16', (p) => xaddRun(p, 16));
}
if (TESTS.has('readack')) {
  await measure('XREADGROUP + XACK, P1', (p) => readAckRun(p, 1));
  await measure('XREADGROUP + XACK, P16', (p) => readAckRun(p, 16));
}
if (TESTS.has('xrange')) {
  for (const port of Object.values(ports)) { await call(port, ['DEL', 'big']); await fill(port, 'big', BIG); }
  const mid = Math.floor(BIG / 2);
  await measure(`XRANGE big 1 + COUNT 10 (start of ${BIG})`, (p) => xrangeRun(p, ['XRANGE', 'big', '1', '+', 'COUNT', '10']));
  await measure(`XRANGE big ${mid} + COUNT 10 (middle)`, (p) => xrangeRun(p, ['XRANGE', 'big', String(mid), '+', 'COUNT', '10']));
  await measure(`XRANGE big ${BIG - 9} + COUNT 10 (end)`, (p) => xrangeRun(p, ['XRANGE', 'big', String(BIG - 9), '+', 'COUNT', '10']));
  await measure('XREVRANGE big + - COUNT 10 (end, backwards)', (p) => xrangeRun(p, ['XREVRANGE', 'big', '+', '-', 'COUNT', '10']));
}

const md = [
  `Streams: ${CLIENTS} clients, ${OPS} XADDs, ${ENTRIES} entries read and acknowledged, XRANGE over ${BIG} entries (${XRANGE_OPS} commands each, 16 in flight); values of ${SIZE} bytes; median of ${ROUNDS} rounds (node ${process.version}, ${os.cpus().length} cores${pin ? ', servers pinned to core 0' : ''}).`,
  '',
  '| workload | redis /s | cachette /s | cachette / redis |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${Math.round(r.redis)} | ${Math.round(r.cachette)} | **${(r.cachette / r.redis).toFixed(2)}x** |`),
  '',
  'Target: at least 0.7x for XADD and XREADGROUP + XACK; XRANGE about the same at every position.',
].join('\n');
console.log(md);
if (args.write !== 'no') writeResult('streams', md);
process.exit(0);
