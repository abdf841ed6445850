#!/usr/bin/env node
// Memory-return benchmark: does memory come back after a burst of large values?
//
// As a new user would try it: an autopipelining ioredis client sends 300 SETs
// of distinct 1 MB values at once, reads them back with 300 GETs, runs
// FLUSHALL, and then the server sits idle for 10 s. RSS (from /proc, outside
// the server process) is taken before the burst, sampled every 50 ms for the
// peak, and read after the idle time. Redis and cachette run one after the
// other, each in its own process.
//
// Target (issue 22): the RSS growth left after the idle time is at most
// 2 x Redis's + 20 MB.
//
//   node bench/memory-return.mjs [--values 300] [--size 1048576] [--idle 10] [--server cachette|redis|both]
//   (also imported by bench/run.mjs: memoryReturn())

import { freePort, parseArgs, root, sleep } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Redis = require('ioredis');

/** RSS of a process in bytes (VmRSS). */
export function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`port ${port} did not open`);
}

/** One server through the scenario; returns { before, peak, after } RSS in bytes. */
async function scenario(name, { values, size, idleSeconds }) {
  const port = await freePort();
  const proc = name === 'redis'
    ? spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync(path.join(os.tmpdir(), 'cachette-bench-'))], { stdio: 'ignore' })
    : spawn(process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning'], { stdio: 'ignore' });
  try {
    await waitPort(port);
    const client = new Redis({ port, host: '127.0.0.1', enableAutoPipelining: true, lazyConnect: true });
    await client.connect();
    await sleep(500);
    const before = rssOf(proc.pid);
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, rssOf(proc.pid)); }, 50);
    // Distinct values: each one a fresh 1 MB buffer with its own first bytes.
    const payloads = Array.from({ length: values }, (_, i) => { const b = Buffer.alloc(size, 97 + (i % 26)); b.writeUInt32LE(i, 0); return b; });
    await Promise.all(payloads.map((b, i) => client.set(`big:${i}`, b)));
    const got = await Promise.all(payloads.map((_, i) => client.getBuffer(`big:${i}`)));
    if (got.some((g, i) => g === null || g.length !== size || g.readUInt32LE(0) !== i)) throw new Error(`${name}: a value did not come back intact`);
    got.length = 0;
    await client.flushall();
    peak = Math.max(peak, rssOf(proc.pid));
    clearInterval(sampler);
    client.disconnect();
    await sleep(idleSeconds * 1000);
    const after = rssOf(proc.pid);
    return { name, before, peak, after };
  } finally {
    proc.kill('SIGKILL');
  }
}

/** Runs the scenario on Redis and on cachette; returns the rows and a Markdown table. */
export async function memoryReturn({ values = 300, size = 1 << 20, idleSeconds = 10, servers = ['redis', 'cachette'] } = {}) {
  const rows = [];
  for (const s of servers) rows.push(await scenario(s, { values, size, idleSeconds }));
  const mb = (b) => (b / 1048576).toFixed(0);
  const redis = rows.find((r) => r.name === 'redis');
  const cachette = rows.find((r) => r.name === 'cachette');
  let verdict = '';
  if (redis && cachette) {
    const limit = 2 * Math.max(0, redis.after - redis.before) + 20 * 1048576;
    const growth = cachette.after - cachette.before;
    verdict = `cachette keeps ${mb(growth)} MB more than before the burst; the target is at most 2 × Redis's ${mb(Math.max(0, redis.after - redis.before))} MB + 20 MB = ${mb(limit)} MB: **${growth <= limit ? 'met' : 'not met'}**.`;
  }
  const table = [
    `${values} SETs of distinct ${(size / 1048576).toFixed(0)} MB values through an autopipelining ioredis client, ${values} GETs, FLUSHALL, then ${idleSeconds} s idle; RSS from /proc.`,
    '',
    '| Server | RSS before | Peak RSS | RSS after FLUSHALL + idle | Growth kept |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${mb(r.before)} MB | ${mb(r.peak)} MB | ${mb(r.after)} MB | ${mb(r.after - r.before)} MB |`),
    '',
    verdict,
  ].join('\n');
  return { rows, table };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs();
  const servers = args.server === undefined || args.server === 'both' ? ['redis', 'cachette'] : [args.server];
  const { table } = await memoryReturn({ values: Number(args.values ?? 300), size: Number(args.size ?? 1 << 20), idleSeconds: Number(args.idle ?? 10), servers });
  console.log(`node ${process.version}, ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}`);
  console.log(table);
}
