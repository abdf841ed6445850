#!/usr/bin/env node
// Blocking round trip: producers LPUSH, consumers BRPOP, against cachette and a
// real redis-server in the same run.
//
// Each server gets --producers connections (default 50) pushing messages one at
// a time (LPUSH q <id>:<send time>, waiting for each reply) and --consumers
// connections (default 50) looping on BRPOP q 0. A consumer records, for every
// message it pops, the time from just before the producer wrote the LPUSH to
// the moment the BRPOP reply was read (one process, one clock:
// process.hrtime). Reported per server: messages per second over the whole
// run, and the p50 / p99 / max push-to-pop latency; then cachette's ratio.
// Rounds alternate the order of the two servers (A B, B A, ...) so machine
// noise hits both alike.
//
//   npm run build && node bench/blocking.mjs [--messages 200000] [--producers 50]
//                                            [--consumers 50] [--rounds 3] [--pin yes|no]
//
// With 2+ cores and taskset, both servers run pinned to core 0 (one at a time
// is busy) and this load generator to the others. Target (issue 18): at least
// 0.7x Redis's messages/s.

import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, parseArgs, root, sleep, writeResult, waitPort } from './lib.mjs';

const args = parseArgs();
const MESSAGES = Number(args.messages ?? 200000);
const PRODUCERS = Number(args.producers ?? 50);
const CONSUMERS = Number(args.consumers ?? 50);
const ROUNDS = Number(args.rounds ?? 3);

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

/** Splits a buffer of complete RESP2 replies of the two shapes used here (`:n` and BRPOP's `*2 $k $v`). */
function* replies(state, chunk) {
  state.buf = state.buf.length === 0 ? chunk : Buffer.concat([state.buf, chunk]);
  let p = 0;
  const b = state.buf;
  for (;;) {
    if (p >= b.length) break;
    if (b[p] === 58 /* : */ || b[p] === 45 /* - */) {
      const e = b.indexOf(10, p);
      if (e === -1) break;
      yield b.latin1Slice(p, e - 1);
      p = e + 1;
      continue;
    }
    // *2\r\n$<n>\r\n<key>\r\n$<n>\r\n<value>\r\n
    let q = b.indexOf(10, p);
    if (q === -1) break;
    const parts = [];
    let ok = true;
    for (let i = 0; i < 2; i++) {
      const e = b.indexOf(10, q + 1);
      if (e === -1) { ok = false; break; }
      const n = Number(b.latin1Slice(q + 2, e - 1));
      if (e + 1 + n + 2 > b.length) { ok = false; break; }
      parts.push(b.latin1Slice(e + 1, e + 1 + n));
      q = e + 1 + n + 1;
    }
    if (!ok) break;
    yield parts[1];
    p = q + 1;
  }
  state.buf = b.subarray(p);
}

async function runOnce(port) {
  const admin = await connect(port);
  admin.write(enc('DEL', 'q'));
  await new Promise((r) => admin.once('data', r));
  const lat = new Float64Array(MESSAGES);
  let popped = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const consumers = [];
  for (let i = 0; i < CONSUMERS; i++) {
    const s = await connect(port);
    const st = { buf: Buffer.alloc(0) };
    s.on('data', (d) => {
      const now = process.hrtime.bigint();
      for (const v of replies(st, d)) {
        const sent = BigInt(v.slice(v.indexOf(':') + 1));
        lat[popped++] = Number(now - sent) / 1e3;
        if (popped === MESSAGES) done();
        else s.write(enc('BRPOP', 'q', '0'));
      }
    });
    s.write(enc('BRPOP', 'q', '0'));
    consumers.push(s);
  }
  await sleep(100); // let every consumer block before the clock starts
  const t0 = process.hrtime.bigint();
  const per = Math.ceil(MESSAGES / PRODUCERS);
  let next = 0;
  const producers = [];
  for (let i = 0; i < PRODUCERS; i++) {
    const s = await connect(port);
    const st = { buf: Buffer.alloc(0) };
    let sent = 0;
    const send = () => {
      if (sent === per || next >= MESSAGES) return;
      sent++;
      s.write(enc('LPUSH', 'q', `${next++}:${process.hrtime.bigint()}`));
    };
    s.on('data', (d) => { for (const _ of replies(st, d)) send(); });
    producers.push({ s, send });
  }
  for (const p of producers) p.send();
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const s of consumers) s.destroy();
  for (const p of producers) p.s.destroy();
  admin.destroy();
  const sorted = Array.from(lat).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { rate: MESSAGES / secs, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
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
const results = { redis: [], cachette: [] };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? [['redis', redisPort], ['cachette', cachettePort]] : [['cachette', cachettePort], ['redis', redisPort]];
  for (const [name, port] of order) {
    const res = await runOnce(port);
    results[name].push(res);
    process.stderr.write(`round ${r + 1}/${ROUNDS} ${name}: ${Math.round(res.rate)} msg/s, p99 ${res.p99.toFixed(0)} us\n`);
  }
}
const sum = (name) => ({
  rate: median(results[name].map((x) => x.rate)), p50: median(results[name].map((x) => x.p50)),
  p99: median(results[name].map((x) => x.p99)), max: median(results[name].map((x) => x.max)),
});
const R = sum('redis');
const C = sum('cachette');
const md = [
  `Blocking round trip: ${PRODUCERS} producers LPUSH, ${CONSUMERS} consumers BRPOP, ${MESSAGES} messages, median of ${ROUNDS} rounds (node ${process.version}, ${os.cpus().length} cores${pin ? ', servers pinned to core 0' : ''}).`,
  '',
  '| server | messages/s | push-to-pop p50 (us) | p99 (us) | max (us) |',
  '|---|---|---|---|---|',
  `| redis | ${Math.round(R.rate)} | ${R.p50.toFixed(0)} | ${R.p99.toFixed(0)} | ${R.max.toFixed(0)} |`,
  `| cachette | ${Math.round(C.rate)} | ${C.p50.toFixed(0)} | ${C.p99.toFixed(0)} | ${C.max.toFixed(0)} |`,
  '',
  `cachette / Redis: **${(C.rate / R.rate).toFixed(2)}x** messages/s (target 0.7x); p99 ${(C.p99 / R.p99).toFixed(2)}x Redis's.`,
].join('\n');
console.log(md);
if (args.write !== 'no') writeResult('blocking', md);
process.exit(0);
