/**
 * A real Redis Cluster on one machine, for tests: three `redis-server
 * --cluster-enabled yes` masters on free loopback ports, each in its own
 * temporary directory (for its nodes.conf), joined with `redis-cli
 * --cluster create ... --cluster-replicas 0 --cluster-yes` (which assigns
 * the 16384 slots in three ranges), then polled until every node reports
 * `cluster_state:ok`. stop() kills the three processes this helper started
 * (by pid) and removes their directories.
 */

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RespConn } from '../diff/conn.js';
import { tool } from '../setup/oracle.js';

const run = promisify(execFile);

export interface RealCluster {
  /** The masters' ports, in the order given to `--cluster create`. */
  ports: number[];
  /** What ioredis `Cluster` takes as its start-up nodes. */
  nodes: Array<{ host: string; port: number }>;
  /** `redis-cli --cluster create`'s output (slot ranges per master). */
  createOutput: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function call(port: number, args: string[]): Promise<string> {
  const c = await RespConn.connect(port);
  try {
    return await c.call(args);
  } finally {
    c.close();
  }
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await cond()) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`cluster: timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startCluster(size = 3): Promise<RealCluster> {
  const bin = tool('redis-server');
  const cli = tool('redis-cli');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const ports: number[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => new Promise<void>((r) => {
      if (c.exitCode !== null || c.signalCode !== null) { r(); return; }
      c.once('exit', () => r());
      c.kill('SIGKILL');
    })));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      // Cluster bus port = port + 10000: pick a port whose bus port is free too.
      let port = await freePort();
      while (port + 10000 > 65535) port = await freePort();
      const dir = mkdtempSync(path.join(tmpdir(), 'cachette-cluster-'));
      dirs.push(dir);
      const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--dir', dir,
        '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
      children.push(child);
      ports.push(port);
    }
    for (const p of ports) await waitFor(async () => (await call(p, ['PING'])) === '+PONG\r\n', `node ${p} answers PING`);
    const { stdout } = await run(cli, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    if (!stdout.includes('[OK] All 16384 slots covered.')) throw new Error(`redis-cli --cluster create did not cover every slot:\n${stdout}`);
    for (const p of ports) {
      await waitFor(async () => (await call(p, ['CLUSTER', 'INFO'])).includes('cluster_state:ok'), `node ${p} reports cluster_state:ok`);
    }
    // Every node must also know every other one as a master with slots (the cluster bus has gossiped).
    for (const p of ports) {
      await waitFor(async () => ((await call(p, ['CLUSTER', 'NODES'])).match(/master/g) ?? []).length === size, `node ${p} sees ${size} masters`);
    }
    return { ports, nodes: ports.map((port) => ({ host: '127.0.0.1', port })), createOutput: stdout, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
