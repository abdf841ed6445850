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
 */

import { Server, type ServerOptions } from './server.js';

export { Server } from './server.js';
export type { ServerOptions } from './server.js';
export type { Config } from './config.js';
export { REDIS_VERSION, CACHETTE_VERSION } from './version.js';

export interface StartOptions extends ServerOptions {
  /** TCP port; 0 picks a free one. Default 0 for embedded servers. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  bind?: string;
  /** Log level; embedded servers default to 'warning' to keep test output clean. */
  loglevel?: 'debug' | 'verbose' | 'notice' | 'warning';
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
}

/** Starts a server and resolves once it is listening. */
export async function startServer(options: StartOptions = {}): Promise<ServerHandle> {
  const server = new Server({ port: 0, loglevel: 'warning', ...options });
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
  };
}

// The cache-aside library is a separate entry point, 'cachette/cache-aside',
// so that starting a server does not load ioredis (~150 ms of import time).
