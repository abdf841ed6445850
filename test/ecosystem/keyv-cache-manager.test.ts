/**
 * keyv with @keyv/redis (node-redis 5 inside), and cache-manager on top of
 * it: set/get with a TTL (PX) read back as PTTL, expiry, delete, has,
 * setMany/getMany (MULTI), a namespace-scoped clear (SCAN + UNLINK) that
 * leaves other keys alone, and cache-manager's mset/mget/ttl/del/clear and
 * wrap(), whose function runs once for concurrent callers and not again
 * while the value is cached.
 */

import { expect } from 'chai';
import KeyvRedis, { Keyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Redis } from 'ioredis';
import { onBoth, until } from './harness.js';

onBoth('keyv + @keyv/redis + cache-manager', (t) => {
  let raw: Redis;
  let keyv: Keyv;

  before(async () => {
    raw = new Redis(t.url);
    await raw.flushall();
    keyv = new Keyv({ store: new KeyvRedis(t.url), namespace: 'app', useKeyPrefix: false });
    keyv.on('error', () => { /* surfaced by the failing call */ });
  });
  after(async () => {
    await keyv.disconnect();
    raw.disconnect();
  });
  beforeEach(async () => { await raw.flushall(); });

  it('keyv: set/get with a TTL, has, delete, expiry', async () => {
    expect(await keyv.set('user:1', { name: 'alice', roles: ['admin'] }, 60_000)).to.equal(true);
    expect(await keyv.get('user:1')).to.deep.equal({ name: 'alice', roles: ['admin'] });
    // Stored under the namespace, as keyv's JSON envelope, with a PX TTL.
    expect(await raw.keys('*')).to.deep.equal(['app::user:1']);
    const stored = JSON.parse((await raw.get('app::user:1'))!) as { value: unknown; expires: number };
    expect(stored.value).to.deep.equal({ name: 'alice', roles: ['admin'] });
    expect(await raw.pttl('app::user:1')).to.be.within(59_000, 60_000);
    expect(await keyv.has('user:1')).to.equal(true);
    expect(await keyv.has('user:2')).to.equal(false);
    expect(await keyv.get('user:2')).to.equal(undefined);
    expect(await keyv.delete('user:1')).to.equal(true);
    expect(await keyv.delete('user:1')).to.equal(false);
    expect(await keyv.get('user:1')).to.equal(undefined);

    await keyv.set('short', 'lived', 30);
    expect(await keyv.get('short')).to.equal('lived');
    await until(async () => (await raw.exists('app::short')) === 0, 'the 30 ms key expired');
    expect(await keyv.get('short')).to.equal(undefined);
  });

  it('keyv: setMany/getMany/deleteMany, and clear() removes only its namespace', async () => {
    await keyv.setMany([{ key: 'a', value: 1 }, { key: 'b', value: 'two', ttl: 60_000 }, { key: 'c', value: [3] }]);
    expect(await keyv.getMany(['a', 'b', 'x', 'c'])).to.deep.equal([1, 'two', undefined, [3]]);
    expect(await raw.pttl('app::a')).to.equal(-1);
    expect(await raw.pttl('app::b')).to.be.within(59_000, 60_000);
    expect(await keyv.deleteMany(['a', 'c'])).to.equal(true);
    expect(await keyv.getMany(['a', 'b', 'c'])).to.deep.equal([undefined, 'two', undefined]);

    await raw.set('other:key', 'kept');
    for (let i = 0; i < 250; i++) await keyv.set(`bulk:${i}`, i);
    expect(await raw.dbsize()).to.equal(252);
    await keyv.clear();
    expect(await raw.keys('*')).to.deep.equal(['other:key']);
  });

  it('cache-manager: set/get/ttl/del, mset/mget, clear', async () => {
    const cache = createCache({ stores: [keyv], ttl: 60_000 });
    const before = Date.now();
    expect(await cache.set('product:1', { price: 1299 })).to.deep.equal({ price: 1299 });
    expect(await cache.get('product:1')).to.deep.equal({ price: 1299 });
    const expires = await cache.ttl('product:1');
    expect(expires).to.be.within(before + 59_000, Date.now() + 60_000);
    expect(await raw.pttl('app::product:1')).to.be.within(59_000, 60_000);
    await cache.set('product:2', 'custom', 5_000);
    expect(await raw.pttl('app::product:2')).to.be.within(4_000, 5_000);

    await cache.mset([{ key: 'm1', value: 'one' }, { key: 'm2', value: 'two', ttl: 10_000 }]);
    expect(await cache.mget(['m1', 'missing', 'm2'])).to.deep.equal(['one', undefined, 'two']);
    expect(await raw.pttl('app::m2')).to.be.within(9_000, 10_000);

    expect(await cache.del('m1')).to.equal(true);
    expect(await cache.get('m1')).to.equal(undefined);
    expect(await cache.mdel(['m2', 'product:2'])).to.equal(true);
    expect(await cache.mget(['m2', 'product:2'])).to.deep.equal([undefined, undefined]);

    await raw.set('other:key', 'kept');
    expect(await cache.clear()).to.equal(true);
    expect(await raw.keys('*')).to.deep.equal(['other:key']);
  });

  it('cache-manager: wrap() calls its function once for concurrent callers, then serves the cache', async () => {
    const cache = createCache({ stores: [keyv] });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const load = async (): Promise<{ id: number }> => { calls++; await gate; return { id: 7 }; };
    const waiting = Array.from({ length: 20 }, () => cache.wrap('wrapped', load, 30_000));
    await until(() => calls === 1, 'the first wrap() called its function');
    release();
    const got = await Promise.all(waiting);
    expect(got).to.deep.equal(Array.from({ length: 20 }, () => ({ id: 7 })));
    expect(calls).to.equal(1);
    expect(await cache.wrap('wrapped', load, 30_000)).to.deep.equal({ id: 7 });
    expect(calls).to.equal(1);
    expect(await raw.pttl('app::wrapped')).to.be.within(29_000, 30_000);
    // Once the key is gone, the next wrap() calls it again.
    await cache.del('wrapped');
    expect(await cache.wrap('wrapped', load, 30_000)).to.deep.equal({ id: 7 });
    expect(calls).to.equal(2);
  });
});
