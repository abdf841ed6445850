#!/usr/bin/env node
// Reclaim benchmark: how fast does active expiry remove keys nobody touches?
//
// For each server (a real redis-server and cachette, each its own process,
// default hz 10), in alternating order for --rounds rounds:
//   1. load N keys (16-byte names) with the same absolute deadline (PXAT D),
//      D far enough ahead that the load finishes first;
//   2. from D on, poll DBSIZE (which counts expired keys not yet reclaimed)
//      and note when 50/90/99/100 % of the keys are gone;
//   3. meanwhile a second connection sends GET every 5 ms and records the
//      worst latency, i.e. how long an expire cycle can stall a client.
//
//   node bench/expiry.mjs [--keys 1000000] [--rounds 1] [--lead 15000]
// Results: Markdown on stdout and in bench/results/expiry-<date>.md.

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs();
const N = Number(args.keys ?? 1000000);
const rounds = Number(args.rounds ?? 1);
const lead = Number(args.lead ?? 15000);

const connect = (port) => new Promise((resolve, reject) => {
  const s = net.connect(port, '127.0.0.1', () => { s.setNoDelay(true); resolve(s); });
  s.once('error', reject);
});

/** A connection that sends one command at a time and returns its reply line. */
async function simple(port) {
  const s = await connect(port);
  let buf = '';
  let waiter = null;
  s.on('data', (d) => { buf += d.toString('latin1'); if (waiter && buf.includes('\r\n')) { const w = waiter; waiter = null; w(); } });
  return {
    async call(line) {
      buf = '';
      const done = new Promise((r) => { waiter = r; });
      s.write(line + '\r\n');
      if (!buf.includes('\r\n')) await done;
      return buf.split('\r\n')[0];
    },
    close: () => s.destroy(),
  };
}

async function load(port, deadline) {
  const s = await connect(port);
  let pending = 0;
  let waiter = null;
  let carry = 0;
  s.on('data', (d) => {
    carry += d.length;
    const n = Math.floor(carry / 5);
    carry -= n * 5;
    pending -= n;
    if (pending === 0 && waiter) { const w = waiter; waiter = null; w(); }
  });
  const at = String(deadline);
  for (let i = 0; i < N; i += 10000) {
    let req = '';
    const end = Math.min(N, i + 10000);
    for (let j = i; j < end; j++) req += `*5\r\n$3\r\nSET\r\n$16\r\nk:${String(j).padStart(14, '0')}\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$${at.length}\r\n${at}\r\n`;
    pending += end - i;
    await new Promise((resolve) => { waiter = resolve; s.write(req, 'latin1'); });
  }
  s.destroy();
}

async function measure(name, port) {
  const ctl = await simple(port);
  await ctl.call('FLUSHALL');
  const deadline = Date.now() + lead;
  const t0 = Date.now();
  await load(port, deadline);
  const loadMs = Date.now() - t0;
  if (Date.now() >= deadline) throw new Error(`${name}: loading took ${loadMs} ms, longer than --lead ${lead}`);
  const probe = await simple(port);
  await sleep(deadline - Date.now());
  const marks = { 50: null, 90: null, 99: null, 100: null };
  let worst = 0;
  let stop = false;
  const prober = (async () => {
    while (!stop) {
      const s = performance.now();
      await probe.call('GET probe-missing-key');
      worst = Math.max(worst, performance.now() - s);
      await sleep(5);
    }
  })();
  const start = Date.now();
  while (Date.now() - start < 120000) {
    const left = Number((await ctl.call('DBSIZE')).slice(1));
    const gone = (N - left) / N;
    const t = Date.now() - start;
    for (const p of [50, 90, 99]) if (marks[p] === null && gone >= p / 100) marks[p] = t;
    if (left === 0) { marks[100] = t; break; }
    await sleep(25);
  }
  stop = true;
  await prober;
  ctl.close();
  probe.close();
  return { name, loadMs, marks, worstGetMs: worst };
}

async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cachette-bench-'));
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  return { port, proc: p };
}
async function startCachette() {
  const port = await freePort();
  const p = spawn(process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning'], { stdio: 'ignore' });
  return { port, proc: p };
}

const results = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? [['redis', startRedis], ['cachette', startCachette]] : [['cachette', startCachette], ['redis', startRedis]];
  for (const [name, start] of order) {
    const srv = await start();
    for (let i = 0; i < 100; i++) { try { (await connect(srv.port)).destroy(); break; } catch { await sleep(50); } }
    try {
      const res = await measure(name, srv.port);
      results.push(res);
      process.stderr.write(JSON.stringify(res) + '\n');
    } finally {
      srv.proc.kill('SIGKILL');
    }
  }
}

const median = (xs) => { const s = xs.filter((x) => x !== null).sort((a, b) => a - b); if (s.length === 0) return null; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => (x === null ? 'not reached' : `${(x / 1000).toFixed(2)} s`);
const row = (name) => {
  const rs = results.filter((x) => x.name === name);
  return `| ${name} | ${[50, 90, 99, 100].map((p) => fmt(median(rs.map((x) => x.marks[p])))).join(' | ')} | ${median(rs.map((x) => x.worstGetMs)).toFixed(1)} ms |`;
};
const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2];
const table = [
  `Reclaim of ${N.toLocaleString('en-US')} untouched keys sharing one deadline; time after the deadline until the share is gone (medians of ${rounds} round${rounds > 1 ? 's' : ''}; Redis ${redisVersion}, hz 10; node ${process.version}).`,
  '',
  '| Server | 50 % | 90 % | 99 % | 100 % | Worst GET latency meanwhile |',
  '|---|---|---|---|---|---|',
  row('redis'),
  row('cachette'),
].join('\n');
console.log(table);
writeResult('expiry', table);
process.exit(0);
