/**
 * An ioredis client configured to fail fast, which is what a cache wants:
 * when the cache is unreachable, a command should fail at once (and the
 * application read the database) instead of waiting in a queue.
 *
 * - enableOfflineQueue: false: commands issued while disconnected fail
 *   immediately instead of being queued until a reconnect;
 * - maxRetriesPerRequest: 0: commands in flight when the connection drops
 *   fail instead of being resent later;
 * - commandTimeout / connectTimeout: short, so a hung server cannot hold a
 *   request for long (CacheAside has its own per-command timeout too);
 * - retryStrategy: reconnect forever in the background, backing off to 1 s.
 */

import { Redis, type RedisOptions } from 'ioredis';

export function createCacheClient(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 500,
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
    ...options,
  });
}

/**
 * Resolves true once `client` is ready, or false after `timeoutMs` (for
 * example when the cache is down at startup: the application can run on the
 * database alone and the client keeps reconnecting in the background).
 */
export function cacheReady(client: Redis, timeoutMs = 2000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}
