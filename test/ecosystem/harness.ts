/**
 * The ecosystem suite's harness (issue 21): each library's flow runs twice in
 * the same mocha run, first against a real redis-server 7.0 (the oracle: a
 * failure there means the test itself is wrong), then against an embedded
 * cachette. Both servers are started before the block's tests and stopped
 * after them; the flow gets the target's URL, host and port.
 *
 * Helpers here are what several flows share: a small HTTP client for
 * express apps on port 0, and `until()` for events a library reports
 * asynchronously (polled on the event loop, never a fixed sleep).
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type ServerHandle } from '../../src/index.js';
import { startRedis, type RealRedis } from '../diff/servers.js';

export type TargetName = 'Redis 7.0' | 'cachette';

export interface Target {
  name: TargetName;
  host: string;
  port: number;
  url: string;
  /** The embedded cachette's handle (null on Redis). */
  cachette: ServerHandle | null;
}

/**
 * Declares `describe(`${title} on Redis 7.0`)` and `describe(`${title} on
 * cachette`)`, each with its own server, and runs `body` inside both.
 */
export function onBoth(title: string, body: (t: Target) => void): void {
  for (const name of ['Redis 7.0', 'cachette'] as const) {
    describe(`${title} on ${name}`, function () {
      const t: Target = { name, host: '127.0.0.1', port: 0, url: '', cachette: null };
      let redis: RealRedis | null = null;
      before(async function () {
        if (name === 'Redis 7.0') {
          redis = await startRedis();
          t.port = redis.port;
        } else {
          t.cachette = await startServer();
          t.port = t.cachette.port;
        }
        t.url = `redis://127.0.0.1:${t.port}`;
      });
      body(t);
      // Registered after the body's hooks, so it runs after them: the flow's clients close first.
      after(async function () {
        await t.cachette?.close();
        await redis?.stop();
      });
    });
  }
}

/** Waits until `cond()` holds (checked on every event-loop turn, a few ms apart), or fails after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts an http.Server for `handler` on a free loopback port; resolves with its base URL and a close(). */
export async function listen(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
