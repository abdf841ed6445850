/**
 * The embedding API: `startServer()` starts an isolated cachette server in this
 * process and returns a handle to it.
 *
 *   await using srv = await startServer({ port: 0 });
 *   const redis = new Redis(srv.url);
 *
 * Every option is a redis.conf parameter by name ('maxmemory', 'requirepass',
 * 'maxmemory-policy', ...), plus `logger`. Servers share nothing, so a test
 * suite can run as many as it likes.
 *
 * An embedded server prints nothing unless asked: pass `logger` to receive its
 * log lines, or set CACHETTE_LOG=1 in the environment to have them printed to
 * stdout (the `cachette` executable always logs to stdout, like redis-server).
 */

import { Server, type ServerOptions } from './server.js';
import type { Faults } from './faults.js';
import { blockedClients, dumpAll, getKey, infoFields, keysOf, ttlOf, type DumpEntry, type InspectedValue } from './inspect.js';
import type { BlockedClientInfo } from './blocking.js';

export { Server } from './server.js';
export type { ServerOptions } from './server.js';
export type { Config } from './config.js';
export { REDIS_VERSION, CACHETTE_VERSION } from './version.js';
export type { Fault, FaultAction, FaultActionSpec, FaultMatch, Faults } from './faults.js';
export { FAULT_ERRORS } from './faults.js';
export type { DumpEntry, InspectedValue } from './inspect.js';
export type { BlockedClientInfo } from './blocking.js';
export type { ClockMode } from './clock.js';

/** The server's clock, as a test drives it (see clock.ts). */
export interface TestClock {
  /** 'manual' when started with `clock: 'manual'`. */
  readonly mode: 'system' | 'manual';
  /** The server's current time, epoch ms. */
  now(): number;
  /**
   * Moves time forward by `ms`, running every active-expiry and eviction
   * tick it passes over. Works in both modes (in 'system' mode it adds an offset).
   */
  advance(ms: number): void;
  /** Sets the time to `epochMs` (forward runs the ticks passed over; backward just moves). */
  set(epochMs: number): void;
}

export interface StartOptions extends ServerOptions {
  /** TCP port; 0 picks a free one. Default 0 for embedded servers. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  bind?: string;
  /** Log level; embedded servers default to 'warning'. */
  loglevel?: 'debug' | 'verbose' | 'notice' | 'warning';
}

/** The default logger of embedded servers: silent, unless CACHETTE_LOG=1 asks for stdout. */
function defaultLogger(): (line: string) => void {
  return process.env['CACHETTE_LOG'] === '1' ? (line) => { process.stdout.write(line + '\n'); } : () => {};
}

export interface ServerHandle extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** `redis://host:port`, ready for any client library. */
  readonly url: string;
  /** The server itself, for inspection. */
  readonly server: Server;
  /** Stops accepting, closes every client, and resolves when done. Safe to call twice. */
  close(): Promise<void>;
  /** The clock: advance() and set() move time, and run the expiry that time brings. */
  readonly clock: TestClock;
  /** Fault injection: inject(match, action), list(), clear(). */
  readonly faults: Faults;
  /** A key's value (a string as UTF-8; other types as { type, value }), or null. No side effects: no lazy expiry, no LRU stamp, no stats. */
  get(key: string, db?: number): InspectedValue | null;
  /** Remaining TTL in ms (like PTTL): -1 no TTL, -2 no key. */
  ttl(key: string, db?: number): number;
  /** Live keys matching a glob pattern (default '*'). */
  keys(pattern?: string, db?: number): string[];
  /** Every live key: { [db]: { [key]: { value, ttl } } }, non-empty databases only; ttl in ms or null. */
  dump(): Record<number, Record<string, DumpEntry>>;
  /** INFO fields by name, e.g. info('stats').expired_keys. */
  info(section?: string): Record<string, string>;
  /** Empties every database (FLUSHALL). */
  flushAll(): void;
  /**
   * The clients blocked right now (BLPOP, BLMOVE..., WAIT, or held by CLIENT
   * PAUSE), by client id: what they wait on and the server-clock ms left
   * before their timeout (null: none). With `clock: 'manual'`, advancing the
   * clock past that times them out.
   */
  blocked(): BlockedClientInfo[];
}

/** Starts a server and resolves once it is listening. */
export async function startServer(options: StartOptions = {}): Promise<ServerHandle> {
  const server = new Server({ port: 0, loglevel: 'warning', ...options, logger: options.logger ?? defaultLogger() });
  await server.listen();
  const host = server.config.bind;
  const port = server.port;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= server.close());
  server.onShutdown = () => { void close(); };
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    server,
    close,
    [Symbol.asyncDispose]: close,
    clock: {
      get mode() { return server.time.mode; },
      now: () => server.clock(),
      advance: (ms: number) => server.advanceClock(ms),
      set: (epochMs: number) => server.setClock(epochMs),
    },
    faults: server.faults,
    get: (key, db) => getKey(server, key, db),
    ttl: (key, db) => ttlOf(server, key, db),
    keys: (pattern, db) => keysOf(server, pattern, db),
    dump: () => dumpAll(server),
    info: (section) => infoFields(server, section),
    flushAll: () => server.flushAll(),
    blocked: () => blockedClients(server),
  };
}

// The cache-aside library is a separate entry point, 'cachette/cache-aside',
// so that starting a server does not load ioredis (~150 ms of import time).
