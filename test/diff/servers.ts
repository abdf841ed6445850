/**
 * The two servers under differential test: a real redis-server (Debian's
 * package, 7.0) started on a free loopback port, and an in-process cachette.
 * A missing redis-server is an error, never a skip.
 */

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type ServerHandle } from '../../src/index.js';
import { RespConn } from './conn.js';
import { tool } from '../setup/oracle.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** The oracle's redis-server: on the PATH or CACHETTE_ORACLE, version-guarded to 7.0.x (setup/oracle.ts). */
export function findRedisServer(): string {
  return tool('redis-server');
}

export interface RealRedis { port: number; version: string; stop(): Promise<void> }

/** Starts redis-server with no persistence and the DEBUG command enabled (for SET-ACTIVE-EXPIRE). */
export async function startRedis(): Promise<RealRedis> {
  const bin = findRedisServer();
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'cachette-diff-'));
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--enable-debug-command', 'yes', '--protected-mode', 'no'], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error(`redis-server exited at start (${version})`);
    try {
      const c = await RespConn.connect(port);
      const pong = await c.call(['PING']);
      c.close();
      if (pong === '+PONG\r\n') break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    version,
    stop: async () => {
      if (!exited) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Pair { redis: RealRedis; cachette: ServerHandle }

export async function startPair(): Promise<Pair> {
  const redis = await startRedis(); // throws first when redis-server is missing
  try {
    return { redis, cachette: await startServer({ 'enable-debug-command': 'yes' }) };
  } catch (e) {
    await redis.stop();
    throw e;
  }
}

/**
 * For a describe block: starts a real Redis and a cachette (startPair) before
 * its tests and stops both after. The returned object is filled in by then.
 */
export function withPair(): Pair {
  const pair = {} as Pair;
  before(async () => { Object.assign(pair, await startPair()); });
  after(async () => {
    await pair.cachette?.close();
    await pair.redis?.stop();
  });
  return pair;
}
