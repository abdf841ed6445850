/**
 * rate-limiter-flexible's RateLimiterRedis on ioredis (a Lua script,
 * defined with defineCommand, for each consume; MULTI for get/block):
 * exact counts of allowed and rejected calls, msBeforeNext and
 * remainingPoints on each, penalty and reward, block() for a fixed time,
 * get() and delete(), and the counter's key and TTL as Redis holds them.
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { onBoth } from './harness.js';

/** Runs consume() and returns its result, or the RateLimiterRes it rejected with. */
async function attempt(l: RateLimiterRedis, key: string, points = 1): Promise<{ ok: boolean; res: RateLimiterRes }> {
  try {
    return { ok: true, res: await l.consume(key, points) };
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return { ok: false, res: e };
  }
}

onBoth('rate-limiter-flexible (RateLimiterRedis)', (t) => {
  let client: Redis;
  let limiter: RateLimiterRedis;

  before(async () => {
    client = new Redis(t.url, { enableOfflineQueue: false });
    await new Promise((r) => client.once('ready', r));
    await client.flushall();
    limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: 'login', points: 5, duration: 60 });
  });
  after(() => { client.disconnect(); });

  it('allows exactly 5 calls in the window and rejects the next 7, with msBeforeNext', async () => {
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await attempt(limiter, '203.0.113.7'));
    expect(results.map((r) => r.ok)).to.deep.equal([true, true, true, true, true, false, false, false, false, false, false, false]);
    expect(results.map((r) => r.res.remainingPoints)).to.deep.equal([4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(results.map((r) => r.res.consumedPoints)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const r of results) expect(r.res.msBeforeNext).to.be.within(58_000, 60_000);
    // The counter as Redis holds it: one key, the window as its TTL.
    expect(await client.get('login:203.0.113.7')).to.equal('12');
    expect(await client.pttl('login:203.0.113.7')).to.be.within(58_000, 60_000);
    // Another key has its own budget.
    expect((await attempt(limiter, '198.51.100.1')).res.remainingPoints).to.equal(4);
  });

  it('penalty and reward move the count; consume of several points at once', async () => {
    const key = 'user:42';
    expect((await attempt(limiter, key, 3)).res.remainingPoints).to.equal(2);
    expect((await limiter.penalty(key, 2)).remainingPoints).to.equal(0);
    expect((await attempt(limiter, key)).ok).to.equal(false);
    expect((await limiter.reward(key, 4)).remainingPoints).to.equal(3);
    expect((await attempt(limiter, key, 3)).ok).to.equal(true);
    expect((await attempt(limiter, key)).ok).to.equal(false);
  });

  it('get() reads the state without consuming; delete() resets the key', async () => {
    const state = await limiter.get('203.0.113.7');
    expect(state!.consumedPoints).to.equal(12);
    expect(state!.remainingPoints).to.equal(0);
    expect(state!.msBeforeNext).to.be.within(50_000, 60_000);
    expect(await limiter.get('never-seen')).to.equal(null);
    expect(await limiter.delete('203.0.113.7')).to.equal(true);
    expect(await limiter.delete('203.0.113.7')).to.equal(false);
    expect(await limiter.get('203.0.113.7')).to.equal(null);
    expect((await attempt(limiter, '203.0.113.7')).res.remainingPoints).to.equal(4);
  });

  it('block() shuts a key out for the given seconds, whatever its count', async () => {
    const res = await limiter.block('abuser', 30);
    expect(res.msBeforeNext).to.equal(30_000);
    const r = await attempt(limiter, 'abuser');
    expect(r.ok).to.equal(false);
    expect(r.res.msBeforeNext).to.be.within(29_000, 30_000);
    expect(await client.pttl('login:abuser')).to.be.within(29_000, 30_000);
    const state = await limiter.get('abuser');
    expect(state!.remainingPoints).to.equal(0);
  });
});
