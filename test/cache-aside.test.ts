/**
 * The cache-aside library (src/cache-aside/) against an embedded cachette
 * through ioredis: the whole suite in cache-aside-suite.ts. The manual clock
 * makes every TTL read back exactly as it was set. (test/cluster.test.ts
 * runs the same suite against a real Redis Cluster.)
 */

import { expect } from 'chai';
import { cacheReady, createCacheClient } from '../src/cache-aside/index.js';
import { startServer } from '../src/index.js';
import { describeCacheAside } from './cache-aside-suite.js';

describeCacheAside('cache-aside library', async () => {
  const srv = await startServer({ clock: 'manual' });
  const client = createCacheClient(srv.url);
  expect(await cacheReady(client)).to.equal(true);
  return {
    client,
    flush: async () => { await client.flushall(); },
    keys: (pattern) => client.keys(pattern),
    exactTtl: true,
    close: async () => { client.disconnect(); await srv.close(); },
  };
});
