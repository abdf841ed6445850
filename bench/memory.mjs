#!/usr/bin/env node
// Memory per key: cachette against a real redis-server, same keys, same run.
//
// For each value size, loads N keys (16-byte keys) into a fresh server of each
// kind through one pipelined connection, then reports bytes per key:
//   - Redis: growth of used_memory and of used_memory_rss (INFO memory);
//   - cachette: growth of the V8 heap in use and of the process RSS, measured
//     after two forced GCs (run with node --expose-gc; cachette runs in this
//     process so the GC can be forced; the loader's own garbage is collected),
//     and the growth of its deterministic account (used_memory_dataset), to
//     check the account against the real heap (target: within 15 %).
//
//   node --expose-gc bench/memory.mjs [--keys 1000000] [--sizes 16,100,256,1024,4096]
//     [--types no] [--elements 1000000] [--rows ...]
// then runs bench/memory-types.mjs (bytes per element of hashes, sets, sorted
// sets and lists against Redis; --elements and --rows go to it).
// (each size runs in its own child process; --child marks one)

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { startServer } = await import(path.join(root, 'dist/src/index.js'));
const args = parseArgs();
const N = Number(args.keys ?? 1000000);
const sizes = String(args.sizes ?? '16,100,256,1024,4096').split(',').map(Number);
if (typeof global.gc !== 'function') { console.error('run with node --expose-gc'); process.exit(1); }


function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends one command and returns its (bulk) reply body. */
async function command(port, line) {
  const s = await connect(port);
  let buf = '';
  return new Promise((resolve) => {
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^\$(\d+)\r\n/.exec(buf);
      if (m && buf.length >= m[0].length + Number(m[1]) + 2) { s.destroy(); resolve(buf.slice(m[0].length, m[0].length + Number(m[1]))); }
    });
    s.write(line + '\r\n');
  });
}

async function infoField(port, field) {
  const body = await command(port, 'INFO memory');
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(body);
  return Number(m[1]);
}

/** Loads N keys "k:<14 digits>" (16 bytes) with values of `size` bytes, 10k per batch. */
async function load(port, size) {
  const s = await connect(port);
  const batch = 10000;
  const pad = 'v'.repeat(Math.max(0, size - 16));
  let pendingOk = 0;
  let waiter = null;
  let carry = 0;
  s.on('data', (d) => {
    carry += d.length;
    const oks = Math.floor(carry / 5);
    carry -= oks * 5;
    pendingOk -= oks;
    if (pendingOk === 0 && waiter) { const w = waiter; waiter = null; w(); }
  });
  for (let i = 0; i < N; i += batch) {
    let req = '';
    const end = Math.min(N, i + batch);
    for (let j = i; j < end; j++) {
      const key = 'k:' + String(j).padStart(14, '0');
      const val = size >= 16 ? ('x:' + String(j).padStart(14, '0') + pad) : 'x'.repeat(size);
      req += `*3\r\n$3\r\nSET\r\n$16\r\n${key}\r\n$${val.length}\r\n${val}\r\n`;
    }
    pendingOk += end - i;
    await new Promise((resolve) => { waiter = resolve; s.write(req, 'latin1'); });
  }
  s.destroy();
}

function gcNow() { global.gc(); global.gc(); }

// Each size is measured in a fresh process, so a heap grown by an earlier
// size cannot make a later one look cheaper.
if (sizes.length > 1 || args.child === undefined) {
  const rows = [];
  for (const size of sizes) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', '1', '--keys', String(N), '--sizes', String(size)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    rows.push(JSON.parse(out.trim().split('\n').pop()));
  }
  report(rows);
  // The value types' table (bench/memory-types.mjs), in the same run; --types no skips it.
  if (args.types !== 'no') {
    execFileSync(process.execPath, [path.join(root, 'bench/memory-types.mjs'), ...['elements', 'rows'].flatMap((f) => (args[f] === undefined ? [] : [`--${f}`, args[f]]))], { stdio: 'inherit' });
  }
  process.exit(0);
}

const results = [];
for (const size of sizes) {
  // Real Redis.
  const rport = await freePort();
  const redis = spawn('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) { try { (await connect(rport)).destroy(); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
  await sleep(300); // used_memory_rss is sampled by Redis's cron (every 100 ms)
  const rUsed0 = await infoField(rport, 'used_memory');
  const rRss0 = await infoField(rport, 'used_memory_rss');
  await load(rport, size);
  await sleep(300);
  const rUsed1 = await infoField(rport, 'used_memory');
  const rRss1 = await infoField(rport, 'used_memory_rss');
  redis.kill('SIGKILL');

  // cachette, in this process.
  gcNow();
  const m0 = process.memoryUsage();
  const srv = await startServer();
  const a0 = srv.server.datasetBytes();
  await load(srv.port, size);
  gcNow();
  await new Promise((r) => setTimeout(r, 200));
  gcNow();
  const m1 = process.memoryUsage();
  const a1 = srv.server.datasetBytes();
  const row = {
    size, keys: N,
    redisUsedPerKey: (rUsed1 - rUsed0) / N,
    redisRssPerKey: (rRss1 - rRss0) / N,
    cachetteHeapPerKey: (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / N,
    cachetteRssPerKey: (m1.rss - m0.rss) / N,
    accountPerKey: (a1 - a0) / N,
  };
  results.push(row);
  await srv.close();
  srv.server.dbs.forEach((d) => d.clear());
  gcNow();
}

console.log(JSON.stringify(results[0]));
process.exit(0);

function report(results) {
const table = [
  `Bytes per key, ${N.toLocaleString('en-US')} keys of 16 bytes; Redis ${execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2]}, node ${process.version}.`,
  '',
  '| Value size | Redis used_memory | Redis RSS | cachette heap | cachette RSS | RSS ratio | cachette account | account / heap |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.size} B | ${r.redisUsedPerKey.toFixed(1)} | ${r.redisRssPerKey.toFixed(1)} | ${r.cachetteHeapPerKey.toFixed(1)} | ${r.cachetteRssPerKey.toFixed(1)} | **${(r.cachetteRssPerKey / r.redisRssPerKey).toFixed(2)}×** | ${r.accountPerKey.toFixed(1)} | ${(100 * (r.accountPerKey / r.cachetteHeapPerKey - 1)).toFixed(1)} % |`),
].join('\n');
console.log(table);
writeResult('memory', table);
}
