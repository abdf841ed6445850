#!/usr/bin/env node
// Bound benchmark: does maxmemory hold under a write flood?
//
// Each server (real redis-server, then cachette, each its own process) runs
// with maxmemory 100mb and allkeys-lru while redis-benchmark's 50 clients
// write --requests SETs of 1 KB values to random keys (1 GB by default).
// Every 250 ms a monitor connection reads INFO: used_memory must never exceed
// maxmemory by more than about one command's worth, and RSS must level off.
//
//   node bench/bound.mjs [--requests 1000000] [--maxmemory 100mb]
// Results: Markdown on stdout and in bench/results/bound-<date>.md.

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs();
const requests = Number(args.requests ?? 1000000);
const maxmemory = String(args.maxmemory ?? '100mb');


async function infoMemory(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^\$(\d+)\r\n/.exec(buf);
      if (m && buf.length >= m[0].length + Number(m[1])) {
        s.destroy();
        const f = (k) => Number(new RegExp(`^${k}:(\\d+)`, 'm').exec(buf)[1]);
        resolve({ used: f('used_memory'), rss: f('used_memory_rss'), max: f('maxmemory'), evicted: 0 });
      }
    });
    s.on('error', reject);
    s.write('INFO memory\r\n');
  });
}

async function run(name, startArgs) {
  const port = await freePort();
  const proc = startArgs(port);
  for (let i = 0; i < 100; i++) {
    try { await infoMemory(port); break; } catch { await sleep(50); }
  }
  const samples = [];
  const t0 = Date.now();
  const bench = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-n', String(requests), '-d', '1024', '-r', '100000000', '-t', 'set', '-q'], { stdio: 'ignore' });
  let done = false;
  bench.on('exit', () => { done = true; });
  while (!done) {
    samples.push({ t: Date.now() - t0, ...(await infoMemory(port)) });
    await sleep(250);
  }
  samples.push({ t: Date.now() - t0, ...(await infoMemory(port)) });
  proc.kill('SIGKILL');
  const max = samples[0].max;
  const peakUsed = Math.max(...samples.map((s) => s.used));
  const rss = samples.map((s) => s.rss);
  const half = rss.slice(Math.floor(rss.length / 2));
  return {
    name, seconds: (Date.now() - t0) / 1000, max, peakUsed, overBy: peakUsed - max,
    rssMid: rss[Math.floor(rss.length / 2)], rssEnd: rss[rss.length - 1], rssMaxSecondHalf: Math.max(...half),
    series: samples.filter((_, i) => i % 4 === 0).map((s) => [s.t, s.used, s.rss]),
  };
}

const redisDir = mkdtempSync(path.join(os.tmpdir(), 'cachette-bench-'));
const results = [
  await run('redis', (port) => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--maxmemory', maxmemory, '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' })),
  await run('cachette', (port) => spawn(process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning', '--maxmemory', maxmemory, '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' })),
];
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const table = [
  `maxmemory ${maxmemory}, allkeys-lru; redis-benchmark -c 50 -n ${requests} -d 1024 -t set (random keys); INFO sampled every 250 ms. Redis ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}, node ${process.version}.`,
  '',
  '| Server | Run time | Peak used_memory | Over maxmemory by | RSS at half time | RSS at end | Peak RSS, 2nd half |',
  '|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(1)} s | ${mb(r.peakUsed)} | ${r.overBy > 0 ? r.overBy + ' B' : 'never over'} | ${mb(r.rssMid)} | ${mb(r.rssEnd)} | ${mb(r.rssMaxSecondHalf)} |`),
  '',
  'Series (ms, used_memory, RSS), every second:',
  '',
  ...results.map((r) => `- ${r.name}: ${r.series.map(([t, u, rs]) => `${t}:${mb(u)}/${mb(rs)}`).join(', ')}`),
].join('\n');
console.log(table);
writeResult('bound', table);
process.exit(0);
