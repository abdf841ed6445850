/**
 * redlock 5 (the ioredis-based beta; EVALSHA, falling back to EVAL on
 * NOSCRIPT, for acquire, extend and release): a lock is acquired with its
 * TTL, a contender gives up after its retries while it is held, the holder
 * extends it, releases it, and the contender then gets it; an expired lock
 * cannot be extended; using() runs a routine under a lock.
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import * as redlockModule from 'redlock';
import type * as RedlockTypes from '../../node_modules/redlock/dist/index.js';

const { default: Redlock, ExecutionError } = redlockModule as typeof RedlockTypes;
type Redlock = RedlockTypes.default;
type ExecutionError = RedlockTypes.ExecutionError;
import { onBoth } from './harness.js';

/** Where an acquire the test expects to succeed fails, the servers' own errors (redlock only says "no quorum"). */
async function acquire(r: Redlock, keys: string[], ttl: number): Promise<RedlockTypes.Lock> {
  try {
    return await r.acquire(keys, ttl);
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    const why = new Set<string>();
    for (const a of e.attempts) for (const err of (await a).votesAgainst.values()) why.add(err.message);
    throw new Error(`redlock could not acquire ${keys.join(', ')}: ${[...why].join('; ')}`);
  }
}

onBoth('redlock', (t) => {
  let client: Redis;
  let holder: Redlock;
  let contender: Redlock;

  before(async () => {
    client = new Redis(t.url);
    await client.flushall();
    // redlock's types name ioredis 5's client; ioredis 6's is the same at run time.
    const clients = [client] as unknown as ConstructorParameters<typeof Redlock>[0];
    holder = new Redlock(clients, { retryCount: 0 });
    contender = new Redlock(clients, { retryCount: 3, retryDelay: 10, retryJitter: 5 });
  });
  after(() => { client.disconnect(); });

  it('acquire, contention, extend, release; then the contender gets it', async () => {
    const lock = await acquire(holder, ['lock:order:1'], 2000);
    expect(await client.get('lock:order:1')).to.equal(lock.value);
    expect(await client.pttl('lock:order:1')).to.be.within(1900, 2000);

    // Contended: three retries 10 ms apart, then an ExecutionError naming the attempts.
    const err = await contender.acquire(['lock:order:1'], 2000).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(ExecutionError);
    expect((err as ExecutionError).attempts).to.have.length(4);
    expect(await client.get('lock:order:1')).to.equal(lock.value);

    const extended = await lock.extend(10_000);
    expect(extended.value).to.equal(lock.value);
    expect(await client.pttl('lock:order:1')).to.be.within(9900, 10_000);

    await extended.release();
    expect(await client.exists('lock:order:1')).to.equal(0);
    const second = await acquire(contender, ['lock:order:1'], 1000);
    expect(await client.get('lock:order:1')).to.equal(second.value);
    expect(second.value).to.not.equal(lock.value);
    // The old holder's release is refused: the lock's value is no longer its own.
    const stale = await extended.release().then(() => null, (e: unknown) => e);
    expect(stale).to.be.instanceOf(ExecutionError);
    expect(await client.get('lock:order:1')).to.equal(second.value);
    await second.release();
  });

  it('a multi-resource lock holds every key; a lock whose key expired cannot be extended', async () => {
    const lock = await acquire(holder, ['lock:a', 'lock:b'], 1000);
    expect(await client.mget('lock:a', 'lock:b')).to.deep.equal([lock.value, lock.value]);
    // Another holder of one of the keys blocks the whole set.
    const err = await contender.acquire(['lock:b', 'lock:c'], 1000).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(ExecutionError);
    expect(await client.exists('lock:c')).to.equal(0);
    await lock.release();
    expect(await client.exists('lock:a', 'lock:b')).to.equal(0);

    const short = await acquire(holder, ['lock:short'], 1000);
    await client.del('lock:short'); // what expiry would do
    const ext = await short.extend(1000).then(() => null, (e: unknown) => e);
    expect(ext).to.be.instanceOf(ExecutionError);
  });

  it('using() runs the routine under the lock and releases it after', async () => {
    const seen: Array<string | null> = [];
    const result = await holder.using(['lock:job'], 1000, async (signal) => {
      seen.push(await client.get('lock:job'));
      expect(signal.aborted).to.equal(false);
      return 'done';
    });
    expect(result).to.equal('done');
    expect(seen[0]).to.be.a('string');
    expect(await client.exists('lock:job')).to.equal(0);
  });
});
