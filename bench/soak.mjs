#!/usr/bin/env node
// Soak: 50 clients run a mixed workload against one cachette process for a
// set time, under maxmemory with eviction, and the run reports errors, the
// server's RSS over time and p50/p99 latency per window.
//
//   node bench/soak.mjs [--minutes 10] [--clients 50] [--window 60] [--maxmemory 64mb]
//
// Workload per client, in a loop until the time is up (each step awaited):
// 50 % GET, 25 % SET of a 100-1000 byte value (a third with EX 1-30 s),
// 10 % INCR, 5 % DEL, 5 % MGET of 5 keys, 5 % EXPIRE; keys drawn from 200,000.
// "Errors" are error replies or failed commands; the OOM error cannot occur
// (allkeys-lru), so every error counts.
//
// A bystander process on its own raw connection sends one PING at a time
// (the next 10 ms after each PONG) for the whole run; its worst PING latency
// per window and overall is reported: a stalled event loop shows there,
// whatever the load clients see.
//
// Results: Markdown on stdout and in bench/results/soak-<date>.md.

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');

const args = parseArgs();
const minutes = Number(args.minutes ?? 10);
const clients = Number(args.clients ?? 50);
const windowS = Number(args.window ?? 60);
const maxmemory = String(args.maxmemory ?? '64mb');
const KEYS = 200_000;

const port = await freePort();
const server = spawn(process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning',
  '--maxmemory', maxmemory, '--maxmemory-policy', 'allkeys-lru'], { stdio: ['ignore', 'ignore', 'inherit'] });
let exitCode = null;
server.on('exit', (c) => { exitCode = c; });
const stop = () => { if (exitCode === null) server.kill('SIGTERM'); };
process.on('exit', stop);

const rssKb = () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(server.pid)], { encoding: 'utf8' }).trim());

// Wait for the port, then connect the clients.
for (let tries = 0; ; tries++) {
  const up = await new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
  if (up) break;
  if (tries > 100) throw new Error('cachette did not start');
  await sleep(100);
}
const conns = [];
for (let i = 0; i < clients; i++) {
  const c = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  c.on('error', () => { /* counted per command */ });
  await c.connect();
  conns.push(c);
}

const endAt = Date.now() + minutes * 60_000;
const started = Date.now();
const windows = []; // { lat: number[], ops, errors, rssMb, pingMs }
const win = () => {
  const i = Math.floor((Date.now() - started) / (windowS * 1000));
  while (windows.length <= i) windows.push({ lat: [], ops: 0, errors: 0, rssMb: 0, pingMs: 0 });
  return windows[i];
};
const errorSamples = [];
const value = (n) => 'v'.repeat(n);
const key = () => `soak:${Math.floor(Math.random() * KEYS)}`;

async function client(c) {
  while (Date.now() < endAt) {
    const r = Math.random();
    const t0 = performance.now();
    try {
      if (r < 0.5) await c.get(key());
      else if (r < 0.75) {
        const v = value(100 + Math.floor(Math.random() * 900));
        if (Math.random() < 1 / 3) await c.set(key(), v, 'EX', 1 + Math.floor(Math.random() * 30));
        else await c.set(key(), v);
      } else if (r < 0.85) await c.incr(`soak:counter:${Math.floor(Math.random() * 1000)}`);
      else if (r < 0.9) await c.del(key());
      else if (r < 0.95) await c.mget(key(), key(), key(), key(), key());
      else await c.expire(key(), 1 + Math.floor(Math.random() * 60));
      const w = win();
      w.ops++;
      if (w.lat.length < 200_000) w.lat.push(performance.now() - t0);
    } catch (e) {
      const w = win();
      w.ops++;
      w.errors++;
      if (errorSamples.length < 5) errorSamples.push(String(e && e.message));
    }
  }
}

// The bystander: one PING in flight at a time, on a raw socket, in a process
// of its own (so the 50 clients' work in this process never delays it). It
// prints "<epoch ms> <latency ms> <ok 1|0>" per PING; the windows take the worst.
let pingWorst = 0;
let pings = 0;
let pingErrors = 0;
const BYSTANDER = `
const net = require('node:net');
const s = net.connect(Number(process.argv[1]), '127.0.0.1');
s.setNoDelay(true);
s.setEncoding('latin1');
let t0 = 0, buf = '';
const ping = () => { t0 = performance.now(); s.write('PING\\r\\n'); };
s.on('connect', ping);
s.on('data', (d) => {
  buf += d;
  const i = buf.indexOf('\\r\\n');
  if (i === -1) return;
  const line = buf.slice(0, i);
  buf = buf.slice(i + 2);
  process.stdout.write(Date.now() + ' ' + (performance.now() - t0).toFixed(3) + ' ' + (line === '+PONG' ? 1 : 0) + '\\n');
  setTimeout(ping, 10);
});
s.on('error', () => {});
s.on('close', () => process.exit(0));
`;
const by = spawn(process.execPath, ['-e', BYSTANDER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
let byBuf = '';
by.stdout.setEncoding('utf8');
by.stdout.on('data', (d) => {
  byBuf += d;
  let nl;
  while ((nl = byBuf.indexOf('\n')) !== -1) {
    const [at, ms, ok] = byBuf.slice(0, nl).split(' ').map(Number);
    byBuf = byBuf.slice(nl + 1);
    pings++;
    if (ok !== 1) pingErrors++;
    const i = Math.floor((at - started) / (windowS * 1000));
    if (i >= 0) {
      while (windows.length <= i) windows.push({ lat: [], ops: 0, errors: 0, rssMb: 0, pingMs: 0 });
      if (ms > windows[i].pingMs) windows[i].pingMs = ms;
    }
    if (ms > pingWorst) pingWorst = ms;
  }
});
process.on('exit', () => by.kill());

const sampler = (async () => {
  while (Date.now() < endAt && exitCode === null) {
    win().rssMb = Math.max(win().rssMb, rssKb() / 1024);
    await sleep(1000);
  }
})();
await Promise.all([...conns.map(client), sampler]);
by.kill();
const info = await conns[0].info('stats');
const evicted = /evicted_keys:(\d+)/.exec(info)?.[1];
const expired = /expired_keys:(\d+)/.exec(info)?.[1];
for (const c of conns) c.disconnect();

const pct = (xs, p) => { if (xs.length === 0) return 0; const s = Float64Array.from(xs).sort(); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
// A last window shorter than half its length is dropped (it only holds the tail).
if (windows.length > 1 && (Date.now() - started) / 1000 - (windows.length - 1) * windowS < windowS / 2) windows.pop();
const rows = windows.map((w, i) => `| ${i * windowS}–${(i + 1) * windowS} s | ${w.ops} | ${w.errors} | ${pct(w.lat, 50).toFixed(2)} | ${pct(w.lat, 99).toFixed(2)} | ${w.pingMs.toFixed(1)} | ${w.rssMb.toFixed(0)} |`);
const totalErrors = windows.reduce((a, w) => a + w.errors, 0);
const table = [
  `Soak: ${clients} clients, ${minutes} min, maxmemory ${maxmemory} allkeys-lru, mixed workload over ${KEYS} keys; node ${process.version}. Server ${exitCode === null ? 'still running at the end' : `EXITED with ${exitCode}`}; errors ${totalErrors}${errorSamples.length ? ` (e.g. ${errorSamples[0]})` : ''}; evicted_keys ${evicted}, expired_keys ${expired}. Bystander: ${pings} PINGs, worst latency ${pingWorst.toFixed(1)} ms${pingErrors ? `, ${pingErrors} WRONG replies` : ''}.`,
  '',
  '| Window | Ops | Errors | p50 ms | p99 ms | Bystander worst PING ms | Peak RSS MB |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
writeResult('soak', table);
stop();
process.exit(totalErrors === 0 && pingErrors === 0 && exitCode === null ? 0 : 1);
