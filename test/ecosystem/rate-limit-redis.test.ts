/**
 * rate-limit-redis as the store of express-rate-limit, over real HTTP
 * (express 5 on port 0, node-redis; SCRIPT LOAD then EVALSHA per request):
 * exact 200/429 counts with the RateLimit headers, one budget shared by two
 * app instances through Redis (what a multi-process deployment relies on),
 * the key and its window TTL in Redis, and resetKey().
 */

import { expect } from 'chai';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { listen, onBoth } from './harness.js';

const redisClient = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof redisClient>;

onBoth('rate-limit-redis + express-rate-limit', (t) => {
  let client: RedisClient;
  const stores: RedisStore[] = [];
  const apps: Array<{ base: string; close(): Promise<void> }> = [];

  /** One app instance, as one process of a deployment would run it: its own store, the shared prefix. */
  function app(): express.Express {
    const store = new RedisStore({ prefix: 'rl:', sendCommand: (...args: string[]) => client.sendCommand(args) });
    stores.push(store);
    const a = express();
    a.use(rateLimit({
      windowMs: 60_000,
      limit: 5,
      standardHeaders: 'draft-6',
      legacyHeaders: false,
      keyGenerator: (req) => String(req.headers['x-api-key'] ?? 'anonymous'),
      store,
    }));
    a.get('/api', (_req, res) => { res.json({ ok: true }); });
    return a;
  }

  async function hit(base: string, key: string): Promise<{ status: number; remaining: string | null; reset: string | null }> {
    const r = await fetch(`${base}/api`, { headers: { 'x-api-key': key } });
    await r.arrayBuffer();
    return { status: r.status, remaining: r.headers.get('ratelimit-remaining'), reset: r.headers.get('ratelimit-reset') };
  }

  before(async () => {
    client = redisClient(t.url);
    await client.connect();
    await client.flushAll();
    apps.push(await listen(app()), await listen(app()));
  });
  after(async () => {
    for (const a of apps) await a.close();
    await client.close();
  });

  it('answers 200 five times, then 429, with the remaining count in the headers', async () => {
    const got = [];
    for (let i = 0; i < 8; i++) got.push(await hit(apps[0]!.base, 'key-a'));
    expect(got.map((g) => g.status)).to.deep.equal([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(got.map((g) => g.remaining)).to.deep.equal(['4', '3', '2', '1', '0', '0', '0', '0']);
    for (const g of got) expect(Number(g.reset)).to.be.within(59, 60);
    expect(await client.get('rl:key-a')).to.equal('8');
    expect(await client.pTTL('rl:key-a')).to.be.within(59_000, 60_000);
  });

  it('two app instances share one budget through Redis', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await hit(apps[0]!.base, 'key-b')).status);
      statuses.push((await hit(apps[1]!.base, 'key-b')).status);
    }
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(statuses.filter((s) => s === 200)).to.have.length(5);
    // Other keys are untouched.
    expect((await hit(apps[1]!.base, 'key-c')).remaining).to.equal('4');
  });

  it('resetKey() gives the key a fresh window', async () => {
    expect((await hit(apps[0]!.base, 'key-a')).status).to.equal(429);
    await stores[0]!.resetKey('key-a');
    expect(await client.exists('rl:key-a')).to.equal(0);
    const r = await hit(apps[1]!.base, 'key-a');
    expect([r.status, r.remaining]).to.deep.equal([200, '4']);
  });
});
