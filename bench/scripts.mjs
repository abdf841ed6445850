#!/usr/bin/env node
// Scripting throughput (issue 19): EVALSHA of a script making 5 redis.call()s (INCR, HSET,
// LPUSH, LTRIM, LLEN: a small job-queue step), against cachette and a real redis-server in
// the same run, with redis-benchmark at pipeline depths 1 and 16 (50 clients, random keys
// from 10,000). Rounds alternate the servers (A B, B A, ...) so machine noise hits both alike;
// reported: the median requests/s per server and depth, and cachette's ratio to Redis.
//
//   npm run build && node bench/scripts.mjs [--requests 100000] [--clients 50] [--pipelines 1,16]
//                                           [--rounds 3] [--pin yes|no] [--write no]
//
// With 2+ cores and taskset, both servers run pinned to core 0 and redis-benchmark to core 1.
// Target (issue 19): at least 0.3x Redis.

import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, parseArgs, root, sleep, writeResult, waitPort } from './lib.mjs';

const args = parseArgs();
const REQUESTS = Number(args.requests ?? 100000);
const CLIENTS = Number(args.clients ?? 50);
const PIPELINES = String(args.pipelines ?? '1,16').split(',').map(Number);
const ROUNDS = Number(args.rounds ?? 3);

const SCRIPT = `local n = redis.call('incr', KEYS[1])
redis.call('hset', KEYS[2], 'n', n, 'data', ARGV[1])
redis.call('lpush', KEYS[3], n)
redis.call('ltrim', KEYS[3], 0, 99)
return redis.call('llen', KEYS[3])`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

function which(cmd) {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`]).toString().trim(); } catch { return null; }
}
const redisServer = which('redis-server');
const redisBenchmark = which('redis-benchmark');
if (!redisServer || !redisBenchmark) { console.error('bench needs redis-server and redis-benchmark'); process.exit(1); }
const taskset = which('taskset');
const pin = args.pin !== 'no' && taskset !== null && os.cpus().length >= 2;
const onCore = (core, cmd, argv) => (pin ? [taskset, ['-c', String(core), cmd, ...argv]] : [cmd, argv]);

/** SCRIPT LOAD through redis-cli-less RESP: one request, one reply. */
function scriptLoad(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      const b = Buffer.from(SCRIPT);
      s.write(Buffer.concat([Buffer.from(`*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n$${b.length}\r\n`), b, Buffer.from('\r\n')]));
    });
    s.once('data', (d) => { s.destroy(); const r = d.toString(); if (r.includes(SHA)) resolve(); else reject(new Error(`SCRIPT LOAD: ${r}`)); });
    s.once('error', reject);
  });
}

function bench(port, pipeline) {
  const [cmd, argv] = onCore(1, redisBenchmark, ['-p', String(port), '-c', String(CLIENTS), '-n', String(REQUESTS), '-P', String(pipeline),
    '-r', '10000', '--csv', 'EVALSHA', SHA, '3', 'c:__rand_int__', 'h:__rand_int__', 'l:__rand_int__', 'payload']);
  const out = execFileSync(cmd, argv, { encoding: 'utf8' });
  const line = out.trim().split('\n').pop();
  return Number(JSON.parse(`[${line}]`)[1]);
}

const redisPort = await freePort();
const cachettePort = await freePort();
const procs = [
  spawn(...onCore(0, redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()]), { stdio: 'ignore' }),
  spawn(...onCore(0, process.execPath, [path.join(root, 'bin/cachette.js'), '--port', String(cachettePort), '--loglevel', 'warning']), { stdio: 'ignore' }),
];
try {
  await waitPort(redisPort);
  await waitPort(cachettePort);
  await scriptLoad(redisPort);
  await scriptLoad(cachettePort);
  const results = {};
  for (const p of PIPELINES) {
    results[p] = { redis: [], cachette: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of r % 2 === 0 ? ['redis', 'cachette'] : ['cachette', 'redis']) {
        const rps = bench(name === 'redis' ? redisPort : cachettePort, p);
        results[p][name].push(rps);
        process.stderr.write(`P${p} round ${r + 1}/${ROUNDS} ${name}: ${Math.round(rps)} req/s\n`);
      }
    }
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const lines = [
    `EVALSHA of a 5-redis.call script (INCR, HSET, LPUSH, LTRIM, LLEN), redis-benchmark -c ${CLIENTS} -n ${REQUESTS} -r 10000, median of ${ROUNDS} rounds (node ${process.version}, ${os.cpus().length} cores${pin ? ', servers pinned to core 0' : ''}).`,
    '',
    '| pipeline | redis req/s | cachette req/s | ratio |',
    '|---|---|---|---|',
  ];
  for (const p of PIPELINES) {
    const R = median(results[p].redis);
    const C = median(results[p].cachette);
    lines.push(`| P${p} | ${Math.round(R)} | ${Math.round(C)} | ${(C / R).toFixed(2)}x |`);
  }
  const md = lines.join('\n');
  console.log(md);
  if (args.write !== 'no') writeResult('scripts', md);
} finally {
  for (const p of procs) p.kill('SIGKILL');
}
