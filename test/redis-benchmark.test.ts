/**
 * The real redis-benchmark (7.0.15) against cachette, restricted to the
 * commands cachette implements: PING (inline and multibulk), SET, GET, INCR,
 * MSET. No speed is asserted: only that every test ran to completion, without
 * errors, and that the server really executed the requests.
 */

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { startServer, type ServerHandle } from '../src/index.js';
import { tool } from './setup/oracle.js';

const REDIS_BENCHMARK = tool('redis-benchmark');
const REDIS_CLI = tool('redis-cli');
const TIMEOUT_MS = 20_000;
const N = 2000;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

function run(file: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString('latin1'); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function calls(srv: ServerHandle, name: string): number {
  return srv.server.commands.lookup(name)!.stats.calls;
}

describe('redis-benchmark', function () {
  let srv: ServerHandle;

  before(async function () {
    srv = await startServer({ port: 0 });
  });

  after(async function () {
    for (const c of children) c.kill('SIGKILL');
    await srv.close();
  });

  it(`runs -t ping,set,get,incr,mset with -n ${N} -c 10 -q and no errors`, async function () {
    const cmds = ['ping', 'set', 'get', 'incr', 'mset'] as const;
    const before = Object.fromEntries(cmds.map((c) => [c, calls(srv, c)]));
    const errorsBefore = srv.server.stats.totalErrorReplies;

    const r = await run(REDIS_BENCHMARK, ['-p', String(srv.port), '-n', String(N), '-c', '10', '-q', '-t', 'ping,set,get,incr,mset']);
    expect(r.signal, `killed; output: ${r.stdout}`).to.equal(null);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    // Nothing on stderr: in particular no "WARNING: Could not fetch server CONFIG".
    expect(r.stderr).to.equal('');

    // -q progress lines are overwritten with \r; the final result of each test ends with \n.
    const finals = r.stdout
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1).trim())
      .filter((line) => line.length > 0);
    const names = finals.map((line) => line.slice(0, line.indexOf(':')));
    expect(names).to.deep.equal(['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET (10 keys)']);
    for (const line of finals) {
      expect(line).to.match(/^[A-Z_]+(?: \(10 keys\))?: \d+(?:\.\d+)? requests per second, p50=\d+\.\d{3} msec$/);
    }
    expect(r.stdout).to.not.match(/error/i);

    // The server executed every request, with no error replies.
    expect(calls(srv, 'ping') - before.ping!).to.equal(2 * N);
    expect(calls(srv, 'set') - before.set!).to.equal(N);
    expect(calls(srv, 'get') - before.get!).to.equal(N);
    expect(calls(srv, 'incr') - before.incr!).to.equal(N);
    expect(calls(srv, 'mset') - before.mset!).to.equal(N);
    expect(srv.server.stats.totalErrorReplies).to.equal(errorsBefore);

    // Without -r every request hits the same literal keys.
    const counter = await run(REDIS_CLI, ['-p', String(srv.port), 'get', 'counter:__rand_int__']);
    expect(counter.stdout).to.equal(`${N}\n`);
    const len = await run(REDIS_CLI, ['-p', String(srv.port), 'strlen', 'key:__rand_int__']);
    expect(len.stdout).to.equal('3\n');
  });
});
