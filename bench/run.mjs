#!/usr/bin/env node
// Throughput benchmark: cachette against a real redis-server and against the
// runtime's floor, a plain-Node GET/SET server (bench/plain-node-server.mjs:
// net sockets, a Map, hand-rolled RESP, one write per read), same machine,
// same run; then the memory-return scenario (bench/memory-return.mjs).
//
// Starts the servers on free loopback ports, then runs redis-benchmark
// against each in interleaved rounds (A B C, C B A, ...) so machine noise hits
// all alike, and reports the median requests/s and p50/p99 latency per test,
// with two ratios: cachette / Redis and cachette / plain Node ("our
// overhead" apart from "the runtime's"). The plain server only knows GET and
// SET, so it runs only in those tests.
//
//   node bench/run.mjs [--rounds 3] [--requests 100000] [--clients 50]
//                      [--pipelines 1,16] [--tests set,get,incr,ping_mbulk,mset,mget]
//                      (also any redis-benchmark -t name, e.g. hset,sadd,spop,zadd,zpopmin,
//                      lpush,rpush,lpop,rpop,lrange_100, and the custom zrange_100, zrangebyscore_100)
//                      [--pin yes|no] [--memory yes|no]
//
// With 2+ cores and taskset available, each server runs pinned to core 0 and
// redis-benchmark to core 1 (--pin no to let the scheduler place them). On
// this 2-core machine, unpinned runs were bimodal (the same build measured
// 270k and 480k GET/s at P16 depending on where the processes landed).
//
// It also times start-up: a fresh `node` importing cachette and awaiting
// startServer(), median of 7 runs.
//
// Targets (issue 22): cachette >= 1.0x plain Node at P1 and P16; >= 0.6x
// Redis at P1 and 0.5x at P16 on SET and GET; p99 at P1 <= 2x Redis's; after
// the memory-return burst, RSS growth kept <= 2x Redis's + 20 MB.
//
// Results: a Markdown table on stdout and in bench/results/throughput-<date>.md,
// an SVG chart of the ratios (and the memory return) in bench/results/throughput-<date>.svg and
// bench/results/throughput-latest.svg (git-ignored; the README shows a dated chart), raw runs in
// bench/results/throughput-<date>.raw.json (git-ignored).

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { ratioChart } from './svg.mjs';
import { memoryReturn } from './memory-return.mjs';
import { writeFileSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs();
const rounds = Number(args.rounds ?? 3);
const requests = Number(args.requests ?? 100000);
const clients = Number(args.clients ?? 50);
const pipelines = String(args.pipelines ?? '1,16').split(',').map(Number);
const tests = String(args.tests ?? 'set,get,incr,ping_mbulk,mset,mget').split(',');
const TARGETS = { 1: 0.6, 16: 0.5 };
const PLAIN_TARGET = 1.0;
/** p99 at P1 at most this many times Redis's. */
const P99_TARGET = 2;
/** Tests the plain-Node server can run. */
const PLAIN_TESTS = new Set(['set', 'get']);
const withMemory = args.memory !== 'no';

function which(cmd) {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`]).toString().trim(); } catch { return null; }
}
const redisServer = which('redis-server');
const redisBenchmark = which('redis-benchmark');
if (!redisServer || !redisBenchmark) {
  console.error('bench needs redis-server and redis-benchmark (Debian: apt-get install redis-server redis-tools)');
  process.exit(1);
}
const taskset = which('taskset');
const pin = args.pin !== 'no' && taskset !== null && os.cpus().length >= 2;
/** [command, args] run on `core` when pinning. */
const onCore = (core, cmd, argv) => (pin ? [taskset, ['-c', String(core), cmd, ...argv]] : [cmd, argv]);

/** Median ms of `startServer()` in a fresh process (and of the whole process until ready). */
function startupTimes(runs = 7) {
  const script = `const t0 = performance.now(); const { startServer } = await import(${JSON.stringify(path.join(root, 'dist/src/index.js'))}); const t1 = performance.now(); const s = await startServer(); const t2 = performance.now(); await s.close(); console.log(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1 }));`;
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    xs.push({ ...JSON.parse(out), processMs: Date.now() - t0 });
  }
  const med = (f) => median(xs.map((x) => x[f]));
  return { startMs: med('startMs'), importMs: med('importMs'), processMs: med('processMs') };
}


async function waitPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}

// One redis-benchmark invocation; returns { rps, p50, p99 } from its CSV output.
function runBenchmark(port, test, pipeline) {
  const base = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(requests), '-P', String(pipeline), '-d', '100', '-r', '100000', '--csv'];
  let argv;
  if (test === 'mget') {
    const keys = Array.from({ length: 10 }, () => 'key:__rand_int__');
    argv = [...base, 'MGET', ...keys];
  } else if (CUSTOM[test] !== undefined) {
    argv = [...base, ...CUSTOM[test].argv];
  } else {
    argv = [...base, '-t', test];
  }
  const [cmd, full] = onCore(1, redisBenchmark, argv);
  const out = execFileSync(cmd, full, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const lines = out.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"'));
  const cols = lines[lines.length - 1].split(',').map((s) => s.replace(/"/g, ''));
  return { rps: Number(cols[1]), p50: Number(cols[4]), p99: Number(cols[6]) };
}

/**
 * Tests that redis-benchmark has no -t name for: a command line run as is,
 * against data loaded into both servers first (a 1,000-member sorted set
 * with scores 0..999 for the range reads).
 */
const ZB_MEMBERS = 1000;
const CUSTOM = {
  zrange_100: { argv: ['ZRANGE', 'bench:zset', '0', '99'], load: 'zset' },
  zrangebyscore_100: { argv: ['ZRANGEBYSCORE', 'bench:zset', '400', '499'], load: 'zset' },
};

/** Loads what the custom tests read, in one pipeline per server. */
async function preload(port) {
  const cmds = [];
  for (let i = 0; i < ZB_MEMBERS; i += 100) {
    const args = ['ZADD', 'bench:zset'];
    for (let j = i; j < i + 100; j++) args.push(String(j), `member:${String(j).padStart(4, '0')}`);
    cmds.push(args);
  }
  const payload = cmds.map((a) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`).join('');
  await new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(payload));
    let got = 0;
    c.on('data', (d) => { got += d.toString().split('\r\n').length - 1; if (got >= cmds.length) { c.destroy(); resolve(); } });
    c.on('error', reject);
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const redisPort = await freePort();
const cachettePort = await freePort();
const plainPort = await freePort();
const procs = [
  spawn(...onCore(0, redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()]), { stdio: 'ignore' }),
  spawn(...onCore(0, process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(cachettePort), '--loglevel', 'warning']), { stdio: 'ignore' }),
  spawn(...onCore(0, process.execPath, [path.join(root, 'bench/plain-node-server.mjs'), String(plainPort)]), { stdio: 'ignore' }),
];
const stop = () => { for (const p of procs) p.kill('SIGTERM'); };
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

try {
  await waitPort(redisPort);
  await waitPort(cachettePort);
  await waitPort(plainPort);
  const servers = [['redis', redisPort], ['cachette', cachettePort], ['plain', plainPort]];
  if (tests.some((t) => CUSTOM[t] !== undefined)) for (const [, port] of servers.slice(0, 2)) await preload(port);
  const raw = [];
  for (let r = 0; r < rounds; r++) {
    for (const test of tests) {
      for (const P of pipelines) {
        const here = PLAIN_TESTS.has(test) ? servers : servers.slice(0, 2);
        const order = r % 2 === 0 ? here : [...here].reverse();
        for (const [name, port] of order) {
          const res = runBenchmark(port, test, P);
          raw.push({ round: r, server: name, test, pipeline: P, ...res });
          process.stderr.write(`round ${r + 1}/${rounds} ${test} P${P} ${name}: ${Math.round(res.rps)} req/s\n`);
        }
      }
    }
  }
  const rows = [];
  const chartRows = [];
  for (const test of tests) {
    for (const P of pipelines) {
      const pick = (name, f) => median(raw.filter((x) => x.server === name && x.test === test && x.pipeline === P).map((x) => x[f]));
      const rr = pick('redis', 'rps');
      const cr = pick('cachette', 'rps');
      const ratio = cr / rr;
      const main = test === 'get' || test === 'set';
      const t = TARGETS[P] !== undefined && main ? (ratio >= TARGETS[P] ? ` (target ${TARGETS[P]}× met)` : ` (target ${TARGETS[P]}×)`) : '';
      const hasPlain = PLAIN_TESTS.has(test);
      const pr = hasPlain ? pick('plain', 'rps') : NaN;
      const plainRatio = cr / pr;
      const pt = hasPlain ? ` (target ${PLAIN_TARGET}×${plainRatio >= PLAIN_TARGET ? ' met' : ''})` : '';
      const p99 = P === 1 && main ? (pick('cachette', 'p99') <= P99_TARGET * pick('redis', 'p99') ? ` (p99 ≤ ${P99_TARGET}× Redis: met)` : ` (p99 target ${P99_TARGET}× Redis)`) : '';
      rows.push(`| ${test.toUpperCase()} | ${P} | ${Math.round(rr)} | ${hasPlain ? Math.round(pr) : '–'} | ${Math.round(cr)} | **${ratio.toFixed(2)}×**${t} | ${hasPlain ? `**${plainRatio.toFixed(2)}×**${pt}` : '–'} | ${pick('redis', 'p50')} / ${pick('redis', 'p99')} | ${hasPlain ? `${pick('plain', 'p50')} / ${pick('plain', 'p99')}` : '–'} | ${pick('cachette', 'p50')} / ${pick('cachette', 'p99')}${p99} |`);
      chartRows.push({ label: test.toUpperCase(), pipeline: P, ratio, ...(hasPlain ? { plainRatio } : {}) });
    }
  }
  const startup = startupTimes();
  const redisVersion = execFileSync(redisServer, ['--version'], { encoding: 'utf8' }).trim();
  const setup = `Medians of ${rounds} interleaved rounds; redis-benchmark -c ${clients} -n ${requests} -d 100 -r 100000; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${pin ? 'servers pinned to core 0, redis-benchmark to core 1' : 'not pinned'}; node ${process.version}, ${redisVersion.split(' ').slice(0, 3).join(' ')}.`;
  const table = [
    setup,
    '',
    '| Test | Pipeline | Redis req/s | plain Node req/s | cachette req/s | cachette / Redis | cachette / plain Node | Redis p50/p99 ms | plain Node p50/p99 ms | cachette p50/p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Start-up: \`startServer()\` resolves in **${startup.startMs.toFixed(1)} ms** (median of 7 fresh processes; importing cachette takes ${startup.importMs.toFixed(1)} ms more, and the whole \`node\` process from spawn to a listening server ${startup.processMs.toFixed(0)} ms).`,
  ].join('\n');
  // The throughput servers are stopped first: the memory scenario runs on a quiet machine.
  stop();
  let mem = null;
  if (withMemory) {
    process.stderr.write('memory return: Redis, then cachette (about 30 s)\n');
    mem = await memoryReturn();
  }
  const full = mem === null ? table : `${table}\n\n**Memory return.** ${mem.table}`;
  console.log(full);
  const growthMb = (r) => Math.max(0, r.after - r.before) / 1048576;
  const memRows = mem === null ? null : mem.rows.map((r) => ({ name: r.name, mb: growthMb(r) }));
  const memLimit = mem === null ? undefined : 2 * growthMb(mem.rows.find((r) => r.name === 'redis')) + 20;
  const svg = ratioChart(chartRows, { title: 'cachette throughput relative to Redis 7.0 and to plain Node (redis-benchmark, same run)', subtitle: `-c ${clients} -d 100 -r 100000, medians of ${rounds} interleaved rounds, ${pin ? 'pinned' : 'unpinned'}, ${new Date().toISOString().slice(0, 10)}`, targets: TARGETS, plainTarget: PLAIN_TARGET, memory: memRows, memoryLimit: memLimit });
  writeResult('throughput', full, { '.svg': svg, '.raw.json': JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, redis: redisVersion, pinned: pin }, startup, raw, memory: mem?.rows ?? null }, null, 2) });
  // The README embeds a dated chart, the one whose figures its text states;
  // this copy is for a quick look and is not tracked, so a run never rewrites
  // a file the README describes.
  writeFileSync(path.join(root, 'bench/results/throughput-latest.svg'), svg);
} finally {
  stop();
}
