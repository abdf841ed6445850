#!/usr/bin/env node
// A/B throughput of two builds of cachette: the working tree (B) against a git
// ref (A, default HEAD~1), so a change can show it did not slow a path down.
//
//   node bench/ab.mjs [--ref <commit>] [--rounds 5] [--tests set,get] [--pipelines 1,16]
//                     [--requests 100000] [--clients 50]
//
// The ref is checked out into a temporary git worktree, built with this
// checkout's node_modules, and both servers run side by side; redis-benchmark
// runs against each in interleaved rounds (A B, B A, ...), pinned like
// bench/run.mjs (servers on core 0, redis-benchmark on core 1). Reports the
// median req/s of each build and the ratio B/A per test; 1.00 = no change.
// Noise on this 2-core VM is a few percent between identical builds: read a
// ratio within ±5 % as "no measurable change".

import { freePort, parseArgs, root } from './lib.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs();
const ref = String(args.ref ?? 'HEAD~1');
const rounds = Number(args.rounds ?? 5);
const requests = Number(args.requests ?? 100000);
const clients = Number(args.clients ?? 50);
const pipelines = String(args.pipelines ?? '1,16').split(',').map(Number);
const tests = String(args.tests ?? 'set,get').split(',');

const sh = (cmd) => { try { return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trim(); } catch { return null; } };
const redisBenchmark = sh('command -v redis-benchmark');
if (!redisBenchmark) { console.error('bench:ab needs redis-benchmark (Debian: apt-get install redis-tools)'); process.exit(1); }
const taskset = sh('command -v taskset');
const pin = taskset !== null && os.cpus().length >= 2;
const onCore = (core, cmd, argv) => (pin ? [taskset, ['-c', String(core), cmd, ...argv]] : [cmd, argv]);

const sha = execFileSync('git', ['-C', root, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(path.join(os.tmpdir(), 'cachette-ab-'));
execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', dir, sha], { stdio: 'ignore' });
symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'inherit' });

async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}

function bench(port, test, P) {
  const argv = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(requests), '-P', String(P), '-d', '100', '-r', '100000', '--csv', '-t', test];
  const [cmd, full] = onCore(1, redisBenchmark, argv);
  const out = execFileSync(cmd, full, { encoding: 'utf8' });
  const line = out.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"')).pop();
  return Number(line.split(',')[1].replace(/"/g, ''));
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const procs = [];
try {
  const builds = [];
  for (const [name, tree] of [['A', dir], ['B', root]]) {
    const port = await freePort();
    procs.push(spawn(...onCore(0, process.execPath, [path.join(tree, 'bin/cachette.js'), '--port', String(port), '--loglevel', 'warning']), { stdio: 'ignore' }));
    await waitPort(port);
    builds.push([name, port]);
  }
  const raw = [];
  for (let r = 0; r < rounds; r++) {
    for (const test of tests) {
      for (const P of pipelines) {
        for (const [name, port] of r % 2 === 0 ? builds : [...builds].reverse()) {
          const rps = bench(port, test, P);
          raw.push({ name, test, P, rps });
          process.stderr.write(`round ${r + 1}/${rounds} ${test} P${P} ${name}: ${Math.round(rps)}\n`);
        }
      }
    }
  }
  console.log(`A = ${sha} (${ref}), B = working tree; medians of ${rounds} interleaved rounds, redis-benchmark -c ${clients} -n ${requests} -d 100 -r 100000, ${pin ? 'pinned' : 'not pinned'}; node ${process.version}.`);
  console.log('');
  console.log('| Test | Pipeline | A req/s | B req/s | B/A |');
  console.log('|---|---|---|---|---|');
  for (const test of tests) {
    for (const P of pipelines) {
      const a = median(raw.filter((x) => x.name === 'A' && x.test === test && x.P === P).map((x) => x.rps));
      const b = median(raw.filter((x) => x.name === 'B' && x.test === test && x.P === P).map((x) => x.rps));
      console.log(`| ${test.toUpperCase()} | ${P} | ${Math.round(a)} | ${Math.round(b)} | **${(b / a).toFixed(2)}** |`);
    }
  }
} finally {
  for (const p of procs) p.kill('SIGTERM');
  execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
