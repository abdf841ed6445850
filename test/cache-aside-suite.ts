/**
 * The cache-aside library's tests (src/cache-aside/), as a suite any backend
 * can run: single-flight, error propagation, the circuit breaker, TTL
 * jitter, write-then-delete order, fall-through when the cache is down or
 * hung, and early refresh. test/cache-aside.test.ts runs it against an
 * embedded cachette (manual clock: TTLs read back exactly); test/cluster.test.ts
 * against a real 3-master Redis Cluster through ioredis `Cluster` (real
 * time: a TTL read back may be up to a second less than the one set).
 *
 * The breaker and hang tests also use a scripted fake client, to control
 * exactly when the cache fails.
 */

import { expect } from 'chai';
import net from 'node:net';
import type { Cluster, Redis } from 'ioredis';
import { CacheAside, CircuitBreaker, SingleFlight, cacheReady, createCacheClient } from '../src/cache-aside/index.js';
import { rejection } from './helpers.js';

/**
 * A loader that counts its calls and answers only once the test opens its
 * gate, so a test decides when loads finish (after every caller has missed),
 * instead of racing a timer.
 */
function gatedLoader<T>(value: T | Error): { load: () => Promise<T>; calls: () => number; open: () => void } {
  let calls = 0;
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  return {
    load: async () => { calls++; await gate; if (value instanceof Error) throw value; return value; },
    calls: () => calls,
    open,
  };
}

/** Waits until `cond()` holds (checked every few ms), or fails after `ms`. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A loader that counts its calls. */
function countingLoader<T>(value: T): { load: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    load: async () => { calls++; return value; },
    calls: () => calls,
  };
}

/** Wraps a client so every call made to it is recorded as [method, ...args]. */
function recording(client: Redis, log: unknown[][]): Redis {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || !['get', 'set', 'del', 'pipeline'].includes(String(prop))) return v;
      return (...args: unknown[]) => { log.push([String(prop), ...args]); return (v as (...a: unknown[]) => unknown).apply(target, args); };
    },
  });
}

/** A fake client whose GET/SET/DEL do whatever `behave` says: resolve, reject, or hang. */
function fakeClient(behave: () => 'ok' | 'fail' | 'hang'): { client: Redis; calls: () => number } {
  let calls = 0;
  const op = (result: unknown) => (): Promise<unknown> => {
    calls++;
    const b = behave();
    if (b === 'ok') return Promise.resolve(result);
    if (b === 'fail') return Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    return new Promise(() => {});
  };
  const client = { get: op(null), set: op('OK'), del: op(1) } as unknown as Redis;
  return { client, calls: () => calls };
}

/** What the suite runs against. */
export interface Backend {
  /** An ioredis Redis or Cluster, ready. */
  client: Redis | Cluster;
  /** Empties every node. */
  flush(): Promise<void>;
  /** Keys matching `pattern` on every node. */
  keys(pattern: string): Promise<string[]>;
  /** True under a manual clock: a TTL reads back exactly as set. */
  exactTtl: boolean;
  close(): Promise<void>;
}

export function describeCacheAside(title: string, open: () => Promise<Backend>): void {
describe(title, function () {
  let backend: Backend;
  let client: Redis;
  /** A PTTL read back: exactly `ms` under the manual clock, else at most a second less. */
  const expectTtl = (got: number, ms: number): void => {
    if (backend.exactTtl) expect(got).to.equal(ms);
    else expect(got).to.be.within(ms - 1000, ms);
  };

  before(async () => {
    backend = await open();
    // A Cluster has the same command methods; the tests use them through Redis's types.
    client = backend.client as Redis;
  });
  after(async () => {
    await backend.close();
  });
  beforeEach(async () => {
    await backend.flush();
  });

  describe('read-through', () => {
    it('misses, loads, SETs with the TTL, then hits without calling the loader', async () => {
      const cache = new CacheAside(client, { prefix: 'p:', ttl: 30 });
      const l = countingLoader({ id: 1, name: 'lamp' });
      expect(await cache.get('a', l.load)).to.deep.equal({ id: 1, name: 'lamp' });
      expect(await client.get('p:a')).to.equal('{"id":1,"name":"lamp"}');
      expectTtl(await client.pttl('p:a'), 30_000);
      expect(await cache.get('a', l.load)).to.deep.equal({ id: 1, name: 'lamp' });
      expect(l.calls()).to.equal(1);
      const s = cache.stats();
      expect([s.hits, s.misses, s.loads, s.sets, s.cacheErrors]).to.deep.equal([1, 1, 1, 1, 0]);
    });

    it('caches null but not undefined, and treats an unreadable value as a miss', async () => {
      const cache = new CacheAside(client, { ttl: 30 });
      expect(await cache.get('n', async () => null)).to.equal(null);
      expect(await client.get('n')).to.equal('null');
      expect(await cache.get('u', async () => undefined)).to.equal(undefined);
      expect(await client.exists('u')).to.equal(0);
      await client.set('bad', '{not json');
      expect(await cache.get('bad', async () => 'fresh')).to.equal('fresh');
      expect(await client.get('bad')).to.equal('"fresh"');
    });

    it('rejects a bad ttl or jitter', () => {
      expect(() => new CacheAside(client, { ttl: 0 })).to.throw(RangeError, 'ttl must be a positive number of seconds, got 0');
      expect(() => new CacheAside(client, { ttl: 5, jitter: -1 })).to.throw(RangeError, 'jitter must be zero or more seconds, got -1');
      const cache = new CacheAside(client);
      expect(() => cache.ttlMs({ ttl: Number.NaN })).to.throw(RangeError);
    });
  });

  describe('single-flight', () => {
    it('1,000 concurrent misses on one key make one loader call; all get its value; nothing is kept after', async () => {
      const cache = new CacheAside(client, { ttl: 30 });
      const l = gatedLoader({ v: 42 });
      const pending = Promise.all(Array.from({ length: 1000 }, () => cache.get('hot', l.load)));
      await until(() => cache.stats().misses === 1000, 'all 1,000 callers have missed');
      l.open();
      const results = await pending;
      expect(l.calls()).to.equal(1);
      expect(results.every((r) => (r as { v: number }).v === 42)).to.equal(true);
      const s = cache.stats();
      expect(s.misses).to.equal(1000);
      expect(s.loads).to.equal(1);
      expect(s.coalesced).to.equal(999);
      expect(await client.get('hot')).to.equal('{"v":42}');
      // No state kept: once the key is gone, the next miss loads again.
      await client.del('hot');
      await cache.get('hot', l.load);
      expect(l.calls()).to.equal(2);
    });

    it('different keys do not share a flight', async () => {
      const cache = new CacheAside(client, { ttl: 30 });
      const l = gatedLoader('x');
      const pending = Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map((k) => cache.get(k, l.load)));
      await until(() => cache.stats().misses === 6, 'all 6 callers have missed');
      l.open();
      await pending;
      expect(l.calls()).to.equal(3);
    });

    it('without single-flight every concurrent miss calls the loader', async () => {
      const cache = new CacheAside(client, { ttl: 30, singleFlight: false });
      const l = gatedLoader('x');
      const pending = Promise.all(Array.from({ length: 50 }, () => cache.get('k', l.load)));
      await until(() => cache.stats().misses === 50, 'all 50 callers have missed');
      l.open();
      await pending;
      expect(l.calls()).to.equal(50);
    });

    it('a loader error reaches every waiter, nothing is cached, and the next call tries again', async () => {
      const cache = new CacheAside(client, { ttl: 30 });
      const boom = new Error('database unavailable');
      const failing = gatedLoader<string>(boom);
      const pending = Promise.allSettled(Array.from({ length: 1000 }, () => cache.get('k', failing.load)));
      await until(() => cache.stats().misses === 1000, 'all 1,000 callers have missed');
      failing.open();
      const settled = await pending;
      expect(failing.calls()).to.equal(1);
      expect(settled.every((s) => s.status === 'rejected' && s.reason === boom)).to.equal(true);
      expect(await client.exists('k')).to.equal(0);
      expect(cache.stats().loadErrors).to.equal(1);
      expect(await cache.get('k', async () => 'recovered')).to.equal('recovered');
      expect(failing.calls()).to.equal(1);
      expect(cache.stats().loads).to.equal(2);
    });

    it('SingleFlight removes its entry when the work settles, resolved or rejected', async () => {
      const sf = new SingleFlight<number>();
      const p1 = sf.do('k', async () => 1);
      const p2 = sf.do('k', async () => 2);
      expect(p2).to.equal(p1);
      expect(sf.size).to.equal(1);
      expect(await p1).to.equal(1);
      expect(sf.size).to.equal(0);
      const err = await rejection(sf.do('k', async () => { throw new Error('x'); }));
      expect(err.message).to.equal('x');
      expect(sf.has('k')).to.equal(false);
      expect(sf.coalesced).to.equal(1);
    });
  });

  describe('jitter', () => {
    it('each TTL is ttl plus random() times jitter: EX when whole seconds, PX otherwise', async () => {
      const randoms = [0, 0.5, 0.999];
      const log: unknown[][] = [];
      const cache = new CacheAside(recording(client, log), { ttl: 10, jitter: 5, random: () => randoms.shift()! });
      for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
      const sets = log.filter((c) => c[0] === 'set').map((c) => c.slice(3));
      expect(sets).to.deep.equal([['EX', 10], ['PX', 12500], ['PX', 14995]]);
      expectTtl(await client.pttl('a'), 10_000);
      expectTtl(await client.pttl('b'), 12_500);
      expectTtl(await client.pttl('c'), 14_995);
    });

    it('with Math.random, 500 TTLs all fall in [ttl, ttl + jitter] and spread over it', async () => {
      const cache = new CacheAside(client, { ttl: 20, jitter: 10 });
      await Promise.all(Array.from({ length: 500 }, (_v, i) => cache.get(`k${i}`, async () => i)));
      const ttls = await Promise.all(Array.from({ length: 500 }, (_v, i) => client.pttl(`k${i}`)));
      expect(Math.min(...ttls)).to.be.at.least(backend.exactTtl ? 20_000 : 19_000);
      expect(Math.max(...ttls)).to.be.at.most(30_000);
      expect(Math.max(...ttls) - Math.min(...ttls)).to.be.above(8_000);
      const tenths = new Set(ttls.map((t) => Math.floor(t / 1000)));
      expect(tenths.size).to.be.at.least(9);
    });

    it('per-call ttl and jitter override the defaults', async () => {
      const cache = new CacheAside(client, { ttl: 100, jitter: 0, random: () => 0.5 });
      await cache.get('k', async () => 1, { ttl: 2, jitter: 2 });
      expectTtl(await client.pttl('k'), 3_000);
    });
  });

  describe('invalidation', () => {
    it('write() runs the database write first, then DELs the key', async () => {
      const log: unknown[][] = [];
      const cache = new CacheAside(recording(client, log), { prefix: 'p:', ttl: 30 });
      await cache.get('user:1', async () => ({ name: 'old' }));
      log.length = 0;
      const result = await cache.write('user:1', async () => {
        log.push(['db-write']);
        expect(await client.exists('p:user:1')).to.equal(1); // still cached while the database write runs
        return 'written';
      });
      expect(result).to.equal('written');
      expect(log).to.deep.equal([['db-write'], ['del', 'p:user:1']]);
      expect(await client.exists('p:user:1')).to.equal(0);
      expect(cache.stats().invalidations).to.equal(1);
    });

    it('a failed database write invalidates nothing and its error reaches the caller', async () => {
      const cache = new CacheAside(client, { ttl: 30 });
      await cache.get('k', async () => 'cached');
      const err = await rejection(cache.write('k', async () => { throw new Error('constraint violated'); }));
      expect(err.message).to.equal('constraint violated');
      expect(await client.get('k')).to.equal('"cached"');
      expect(cache.stats().invalidations).to.equal(0);
    });

    it('invalidate() takes several keys and reports whether the cache confirmed', async () => {
      const cache = new CacheAside(client, { prefix: 'p:', ttl: 30 });
      for (const k of ['a', 'b', 'c']) await client.set(`p:${k}`, k);
      expect(await cache.invalidate(['a', 'b'])).to.equal(true);
      expect(await backend.keys('p:*')).to.deep.equal(['p:c']);
      const down = new CacheAside(fakeClient(() => 'fail').client, { ttl: 30 });
      expect(await down.invalidate('a')).to.equal(false);
      expect(down.stats().invalidationErrors).to.equal(1);
    });
  });

  describe('cache outage', () => {
    it('a cache that refuses connections: reads still return the loader value, fast', async () => {
      const closed = net.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
      const port = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const dead = createCacheClient(`redis://127.0.0.1:${port}`);
      dead.on('error', () => {});
      try {
        expect(await cacheReady(dead, 200)).to.equal(false);
        const cache = new CacheAside(dead, { ttl: 30, breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) expect(await cache.get('k', async () => `v${i}`)).to.equal(`v${i}`);
        expect(performance.now() - t0).to.be.below(1000);
        const s = cache.stats();
        expect(s.cacheErrors).to.equal(3);
        expect(s.bypassed).to.equal(7);
        expect(s.loads).to.equal(10);
        expect(s.breaker.state).to.equal('open');
      } finally {
        dead.disconnect();
      }
    });

    it('a hung cache costs one timeout per request until the breaker opens, then none', async () => {
      const fake = fakeClient(() => 'hang');
      const cache = new CacheAside(fake.client, { ttl: 30, timeout: 30, breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        expect(await cache.get('k', async () => 'db')).to.equal('db');
        times.push(performance.now() - t0);
      }
      // Each of the first three waited out its timeout; the open breaker then
      // never called the client again, so no later request could wait on it.
      expect(fake.calls()).to.equal(3);
      expect(times.slice(0, 3).every((t) => t >= 25)).to.equal(true);
      const s = cache.stats();
      expect([s.timeouts, s.cacheErrors, s.bypassed, s.breaker.state]).to.deep.equal([3, 3, 3, 'open']);
    });

    it('after the cool-down one probe goes through; its success closes the breaker', async () => {
      let now = 0;
      let mode: 'ok' | 'fail' = 'fail';
      const fake = fakeClient(() => mode);
      const cache = new CacheAside(fake.client, { ttl: 30, now: () => now, breaker: { failureThreshold: 2, cooldownMs: 1000 } });
      await cache.get('k', async () => 1);
      await cache.get('k', async () => 1);
      expect(cache.stats().breaker.state).to.equal('open');
      now = 999;
      await cache.get('k', async () => 1);
      expect(fake.calls()).to.equal(2);
      now = 1000;
      mode = 'ok';
      await cache.get('k', async () => 1); // the probe: GET (miss) then SET
      expect(cache.stats().breaker.state).to.equal('closed');
      expect(fake.calls()).to.equal(4);
      expect(cache.stats().breaker.transitions.map((t) => `${t.from}>${t.to}@${t.at}`)).to.deep.equal(['closed>open@0', 'open>half-open@1000', 'half-open>closed@1000']);
    });
  });

  describe('CircuitBreaker', () => {
    it('closed → open after N consecutive failures; a success resets the count', () => {
      const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 100, now: () => 0 });
      b.failure(); b.failure(); b.success(); b.failure(); b.failure();
      expect(b.state).to.equal('closed');
      b.failure();
      expect(b.state).to.equal('open');
      expect(b.allow()).to.equal(false);
      expect(b.opened).to.equal(1);
    });

    it('open → half-open lets exactly one probe through; a failed probe reopens for another cool-down', () => {
      let now = 0;
      const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
      b.failure();
      now = 99;
      expect(b.allow()).to.equal(false);
      now = 100;
      expect(b.allow()).to.equal(true);
      expect(b.state).to.equal('half-open');
      expect(b.allow()).to.equal(false);
      b.failure();
      expect(b.state).to.equal('open');
      now = 199;
      expect(b.allow()).to.equal(false);
      now = 200;
      expect(b.allow()).to.equal(true);
      b.success();
      expect(b.state).to.equal('closed');
      expect(b.allow()).to.equal(true);
      expect(b.transitions.map((t) => [t.from, t.to, t.at])).to.deep.equal([
        ['closed', 'open', 0], ['open', 'half-open', 100], ['half-open', 'open', 100], ['open', 'half-open', 200], ['half-open', 'closed', 200],
      ]);
      expect(b.opened).to.equal(2);
    });

    it('rejects nonsense settings', () => {
      expect(() => new CircuitBreaker({ failureThreshold: 0 })).to.throw(RangeError);
      expect(() => new CircuitBreaker({ cooldownMs: -1 })).to.throw(RangeError);
    });
  });

  describe('early refresh', () => {
    it('a hit near expiry refreshes the key in the background; the reader gets the cached value at once', async () => {
      let u = 0.999;
      let now = 0; // the library's clock: every load takes exactly 10 ms of it
      const cache = new CacheAside(client, { ttl: 30, earlyRefresh: { beta: 1 }, random: () => u, now: () => now });
      let version = 1;
      const loader = async (): Promise<number> => { now += 10; return version; };
      expect(await cache.get('k', loader)).to.equal(1);
      version = 2;
      expect(await cache.get('k', loader)).to.equal(1); // -ln(0.999) * ~10 ms is far below 30 s: no refresh
      expect(cache.stats().earlyRefreshes).to.equal(0);
      u = 1e-300; // -ln(u) ≈ 690, times ~10 ms ≈ 7 s: still below 30 s
      expect(await cache.get('k', loader)).to.equal(1);
      expect(cache.stats().earlyRefreshes).to.equal(0);
      await client.pexpire('k', 500); // now close to expiry
      expect(await cache.get('k', loader)).to.equal(1); // served from cache...
      expect(cache.stats().earlyRefreshes).to.equal(1);
      await until(() => cache.stats().sets === 2, 'the background refresh has stored its value');
      expect(await client.get('k')).to.equal('2'); // ...and refreshed behind it, with a full TTL
      expectTtl(await client.pttl('k'), 30_000);
      expect(cache.stats().loads).to.equal(2);
      expect(cache.stats().misses).to.equal(1);
    });
  });
});
}
