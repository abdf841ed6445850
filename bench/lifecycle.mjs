// Per-test servers: how long does a fresh server take to start and to stop?
// `npm run bench:lifecycle -- --runs 200`
//
// Measures, interleaved round by round:
//   - cachette in-process: startServer() until listening; close() until done;
//     and start + first ioredis reply + close, the whole cost of a beforeEach/afterEach;
//   - redis-server as a child process (what a test suite without cachette
//     spawns): spawn until the first PING is answered; SIGTERM until exit.
// Prints medians and p95, and the ratio of cachette's full cycle to Redis's.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startServer } from '../dist/src/index.js';
import { freePort, parseArgs, sleep, writeResult } from './lib.mjs';

const args = parseArgs();
const RUNS = Number(args.runs ?? 200);

function pingOnce(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('error', () => resolve(false));
    s.once('data', (d) => { s.destroy(); resolve(d.toString() === '+PONG\r\n'); });
    s.once('connect', () => s.write('PING\r\n'));
  });
}

async function redisCycle(dir) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  while (!(await pingOnce(port))) await sleep(1);
  const t1 = performance.now();
  child.kill('SIGTERM');
  await exited;
  const t2 = performance.now();
  return { start: t1 - t0, stop: t2 - t1 };
}

async function cachetteCycle() {
  const t0 = performance.now();
  const srv = await startServer();
  const t1 = performance.now();
  await srv.close();
  const t2 = performance.now();
  // The whole beforeEach/afterEach with a client: start, connect, one command, disconnect, close.
  const t3 = performance.now();
  const s2 = await startServer();
  const r = new Redis(s2.url);
  await r.ping();
  r.disconnect();
  await s2.close();
  const t4 = performance.now();
  return { start: t1 - t0, stop: t2 - t1, full: t4 - t3 };
}

const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const dir = mkdtempSync(path.join(tmpdir(), 'cachette-lifecycle-'));
const c = { start: [], stop: [], full: [] };
const r = { start: [], stop: [] };
for (let i = 0; i < 10; i++) await cachetteCycle(); // warm-up: JIT, module cache
for (let i = 0; i < RUNS; i++) {
  const a = await cachetteCycle();
  c.start.push(a.start); c.stop.push(a.stop); c.full.push(a.full);
  if (i % 4 === 0) { const b = await redisCycle(dir); r.start.push(b.start); r.stop.push(b.stop); }
}
const f = (x) => x.toFixed(2);
const rFull = pct(r.start, 0.5) + pct(r.stop, 0.5);
const lines = [
  `# Server start/stop (${RUNS} cachette cycles, ${r.start.length} redis-server cycles, interleaved)`,
  '',
  '| | median ms | p95 ms |',
  '|---|---|---|',
  `| cachette startServer() | ${f(pct(c.start, 0.5))} | ${f(pct(c.start, 0.95))} |`,
  `| cachette close() | ${f(pct(c.stop, 0.5))} | ${f(pct(c.stop, 0.95))} |`,
  `| cachette start + ioredis PING + close | ${f(pct(c.full, 0.5))} | ${f(pct(c.full, 0.95))} |`,
  `| redis-server spawn until PING answers | ${f(pct(r.start, 0.5))} | ${f(pct(r.start, 0.95))} |`,
  `| redis-server SIGTERM until exit | ${f(pct(r.stop, 0.5))} | ${f(pct(r.stop, 0.95))} |`,
  '',
  `Ratio, start + stop (medians): cachette ${f(pct(c.start, 0.5) + pct(c.stop, 0.5))} ms / redis-server ${f(rFull)} ms = ${((pct(c.start, 0.5) + pct(c.stop, 0.5)) / rFull).toFixed(2)}×`,
];
console.log(lines.join('\n'));
writeResult('lifecycle', lines.join('\n'));
process.exit(0);
