// Rate limiting in integration tests: an express app limited by
// express-rate-limit with its counters in Redis (rate-limit-redis), tested
// against an embedded cachette. The manual clock ends the one-minute window
// at once, so the test proves the limit resets without waiting a minute.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from 'cachette';

// The code under test: an API limited to 3 requests a minute per API key.
function createApp(redis: Redis): express.Express {
  const app = express();
  app.use(rateLimit({
    windowMs: 60_000,
    limit: 3,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: (req) => String(req.headers['x-api-key']),
    store: new RedisStore({ sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as never }),
  }));
  app.get('/search', (_req, res) => { res.json({ results: [] }); });
  return app;
}

describe('API rate limit (express-rate-limit + rate-limit-redis on cachette)', function () {
  let srv: ServerHandle;
  let redis: Redis;
  let server: http.Server;
  let base: string;

  const search = async (key: string): Promise<number> => {
    const res = await fetch(`${base}/search`, { headers: { 'x-api-key': key } });
    await res.arrayBuffer();
    return res.status;
  };

  before(async () => {
    srv = await startServer({ clock: 'manual' });
    redis = new Redis(srv.url);
    server = http.createServer(createApp(redis));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    redis.disconnect();
    await srv.close();
  });

  it('allows 3 requests a minute per key, then answers 429', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await search('key-1'));
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(await search('key-2'), 200); // each key has its own budget
  });

  it('a new window starts when the minute is over (no waiting: the clock moves)', async () => {
    assert.equal(await search('key-1'), 429);
    srv.clock.advance(60_000);
    assert.equal(await search('key-1'), 200);
    assert.equal(srv.get('rl:key-1'), '1'); // the counter, read without touching it
  });
});
