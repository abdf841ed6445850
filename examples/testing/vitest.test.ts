// Jest and vitest: one server per file, emptied between tests. describe, it,
// beforeAll, afterAll and beforeEach are jest's globals; with vitest, import
// them from 'vitest' (or set `globals: true`).
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from 'cachette';

describe('cart (jest / vitest)', () => {
  let srv: ServerHandle;
  let redis: Redis;

  beforeAll(async () => {
    srv = await startServer();
    redis = new Redis(srv.url);
  });

  afterAll(async () => {
    redis.disconnect();
    await srv.close();
  });

  beforeEach(() => srv.flushAll());

  it('reconnects after the server drops the connection', async () => {
    await redis.set('cart:1', '3');
    srv.faults.inject({ command: 'get', times: 1 }, 'close');
    assert.equal(await redis.get('cart:1'), '3'); // ioredis reconnects and resends
  });

  it('starts empty', async () => {
    assert.equal(await redis.dbsize(), 0);
  });
});
