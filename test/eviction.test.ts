/**
 * maxmemory and eviction (evict.ts) and the memory account (keyspace.ts):
 * the OOM rule, every policy's choice of victims, live CONFIG SET maxmemory,
 * and MEMORY USAGE / INFO memory reporting the same account.
 *
 * Every server here is seeded (SEED) and runs on the manual clock, so the
 * sampled victims, the LRU/LFU clocks and the cron ticks that evict are the
 * same on every run: a survival ratio is a fixed number, not a likely one.
 */

import { expect } from 'chai';
import { startServer, type ServerHandle } from '../src/index.js';
import { info, Raw, resp } from './helpers.js';

const OK = '+OK\r\n';
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const SEED = 20261126;
const CLOCK_START = 1_900_000_000_000; // a whole second: LRU stamps tick in seconds

/**
 * Sends commands in pipelined chunks of 40 and waits for all replies. Small
 * chunks keep the connection's reply buffer at its initial size: client
 * buffers count in used_memory, as in Redis.
 */
async function pipeline(r: Raw, cmds: string[][]): Promise<string> {
  let all = '';
  for (let i = 0; i < cmds.length; i += 40) {
    const chunk = cmds.slice(i, i + 40);
    r.send(Buffer.concat(chunk.map((c) => resp(...c))));
    all += (await r.replies(chunk.length, 10_000)).join('');
  }
  return all;
}

/** Cron ticks on the manual clock: client buffers are re-counted and eviction runs (Redis: "after settling"). */
function settle(srv: ServerHandle): void {
  srv.clock.advance(250);
}

async function existing(r: Raw, keys: string[]): Promise<number> {
  const reply = await pipeline(r, keys.map((k) => ['EXISTS', k]));
  return (reply.match(/:1\r\n/g) ?? []).length;
}

describe('maxmemory and eviction', function () {
  let srv: ServerHandle;
  let r: Raw;
  beforeEach(async () => {
    srv = await startServer({ seed: SEED, clock: 'manual', clockStart: CLOCK_START });
    r = await Raw.connect(srv.port);
  });
  afterEach(async () => {
    r.close();
    await srv.close();
  });

  /** Sets maxmemory to the current usage plus `extra` bytes. */
  async function limitTo(extra: number, policy: string): Promise<number> {
    await r.expect(`CONFIG SET maxmemory-policy ${policy}\r\n`, OK);
    const used = Number((await info(r, 'memory'))['used_memory']);
    const max = used + extra;
    await r.expect(`CONFIG SET maxmemory ${max}\r\n`, OK);
    return max;
  }

  it('noeviction: denyoom commands get OOM; reads, DEL and EXPIRE still work', async () => {
    await r.expect('SET a 1\r\n', OK);
    await limitTo(2000, 'noeviction');
    const cmds: string[][] = [];
    for (let i = 0; i < 100; i++) cmds.push(['SET', `k${i}`, 'x'.repeat(50)]);
    const replies = await pipeline(r, cmds);
    expect(replies).to.include(OOM);
    await r.expect('SET newkey v\r\n', OOM);
    await r.expect('INCR a\r\n', OOM);
    await r.expect('SETRANGE a 0 x\r\n', OOM);
    await r.expect('APPEND a x\r\n', OOM);
    await r.expect('GET a\r\n', '$1\r\n1\r\n');
    await r.expect('EXPIRE a 100\r\n', ':1\r\n');
    await r.expect('PING\r\n', '+PONG\r\n');
    const st = await info(r, 'stats');
    expect(st['evicted_keys']).to.equal('0');
    // DEL frees memory, so writes work again.
    await pipeline(r, cmds.map((c) => ['DEL', c[1]!]));
    await r.expect('SET newkey v\r\n', OK);
  });

  it('allkeys-lru evicts the least recently used keys and stays under maxmemory', async () => {
    const max = await limitTo(40000, 'allkeys-lru');
    const old: string[][] = [];
    for (let i = 0; i < 150; i++) old.push(['SET', `old${i}`, 'v'.repeat(100)]);
    await pipeline(r, old);
    srv.clock.advance(1100); // the LRU clock ticks in seconds
    const hot = old.slice(0, 50).map((c) => c[1]!);
    await pipeline(r, hot.map((k) => ['GET', k]));
    const fresh: string[][] = [];
    for (let i = 0; i < 150; i++) fresh.push(['SET', `new${i}`, 'v'.repeat(100)]);
    expect(await pipeline(r, fresh)).to.not.include('OOM');
    settle(srv);
    const m = await info(r, 'memory');
    expect(Number(m['used_memory'])).to.be.at.most(max);
    expect(Number((await info(r, 'stats'))['evicted_keys'])).to.be.greaterThan(0);
    const cold = old.slice(50).map((c) => c[1]!);
    const hotLeft = await existing(r, hot);
    const coldLeft = await existing(r, cold);
    // Sampled LRU: recently read keys survive far better than untouched ones.
    expect(hotLeft / hot.length).to.be.greaterThan(coldLeft / cold.length + 0.3);
  });

  it('allkeys-lfu keeps frequently used keys', async () => {
    await limitTo(40000, 'allkeys-lfu');
    const keys: string[][] = [];
    for (let i = 0; i < 150; i++) keys.push(['SET', `f${i}`, 'v'.repeat(100)]);
    await pipeline(r, keys);
    const hot = keys.slice(0, 40).map((c) => c[1]!);
    for (let round = 0; round < 30; round++) await pipeline(r, hot.map((k) => ['GET', k]));
    const fresh: string[][] = [];
    for (let i = 0; i < 150; i++) fresh.push(['SET', `g${i}`, 'v'.repeat(100)]);
    await pipeline(r, fresh);
    const hotLeft = await existing(r, hot);
    const coldLeft = await existing(r, keys.slice(40).map((c) => c[1]!));
    expect(hotLeft / hot.length).to.be.greaterThan(coldLeft / 110 + 0.3);
    r.send('OBJECT FREQ f0\r\n');
    expect(Number(/^:(\d+)\r\n$/.exec(await r.reply())?.[1])).to.be.greaterThan(5);
  });

  it('volatile-ttl evicts the soonest-expiring keys and never persistent ones', async () => {
    await limitTo(30000, 'volatile-ttl');
    const cmds: string[][] = [];
    for (let i = 0; i < 60; i++) cmds.push(['SET', `soon${i}`, 'v'.repeat(100), 'EX', String(100 + i)]);
    for (let i = 0; i < 60; i++) cmds.push(['SET', `late${i}`, 'v'.repeat(100), 'EX', String(100000 + i)]);
    for (let i = 0; i < 40; i++) cmds.push(['SET', `keep${i}`, 'v'.repeat(100)]);
    await pipeline(r, cmds);
    const soon = await existing(r, cmds.slice(0, 60).map((c) => c[1]!));
    const late = await existing(r, cmds.slice(60, 120).map((c) => c[1]!));
    expect(await existing(r, cmds.slice(120).map((c) => c[1]!))).to.equal(40);
    expect(soon).to.be.lessThan(late);
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random']) {
    it(`${policy} evicts only keys with a TTL, then refuses writes`, async () => {
      await limitTo(20000, policy);
      const cmds: string[][] = [];
      for (let i = 0; i < 30; i++) cmds.push(['SET', `p${i}`, 'v'.repeat(100)]);
      for (let i = 0; i < 200; i++) cmds.push(['SET', `t${i}`, 'v'.repeat(100), 'EX', '1000']);
      const replies = await pipeline(r, cmds);
      expect(await existing(r, cmds.slice(0, 30).map((c) => c[1]!))).to.equal(30);
      expect(Number((await info(r, 'stats'))['evicted_keys'])).to.be.greaterThan(0);
      // Once no TTL keys are left, nothing can be evicted: OOM for writes.
      await pipeline(r, cmds.slice(30).map((c) => ['DEL', c[1]!]));
      const more: string[][] = [];
      for (let i = 0; i < 200; i++) more.push(['SET', `q${i}`, 'v'.repeat(100)]);
      expect(await pipeline(r, more)).to.include(OOM);
      expect(replies).to.not.include(OOM);
    });
  }

  it('allkeys-random evicts until under the limit', async () => {
    const max = await limitTo(20000, 'allkeys-random');
    const cmds: string[][] = [];
    for (let i = 0; i < 300; i++) cmds.push(['SET', `r${i}`, 'v'.repeat(100)]);
    expect(await pipeline(r, cmds)).to.not.include('OOM');
    settle(srv);
    expect(Number((await info(r, 'memory'))['used_memory'])).to.be.at.most(max);
    expect(Number((await info(r, 'stats'))['evicted_keys'])).to.be.greaterThan(150);
  });

  it('CONFIG SET maxmemory below usage evicts at once', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 200; i++) cmds.push(['SET', `c${i}`, 'v'.repeat(200)]);
    await pipeline(r, cmds);
    await r.expect('CONFIG SET maxmemory-policy allkeys-lru\r\n', OK);
    const used = Number((await info(r, 'memory'))['used_memory']);
    const target = used - 20000;
    await r.expect(`CONFIG SET maxmemory ${target}\r\n`, OK);
    settle(srv);
    expect(Number((await info(r, 'memory'))['used_memory'])).to.be.at.most(target);
    expect(Number((await info(r, 'stats'))['evicted_keys'])).to.be.greaterThan(0);
  });

  it('reports one account in MEMORY USAGE and INFO memory', async () => {
    const m0 = await info(r, 'memory');
    await r.expect('SET k v\r\n', OK);
    // 22 bytes of entry overhead + two 24-byte one-byte strings.
    await r.expect('MEMORY USAGE k\r\n', ':70\r\n');
    await r.expect(resp('SET', 'key16bytes......', 'x'.repeat(100)), OK);
    // 22 + 32 (16-byte key) + 120 (100-byte value).
    await r.expect('MEMORY USAGE key16bytes......\r\n', ':174\r\n');
    const m1 = await info(r, 'memory');
    expect(Number(m1['used_memory_dataset']) - Number(m0['used_memory_dataset'])).to.equal(70 + 174); // two keys: no table grew
    expect(Number(m1['used_memory'])).to.equal(Number(m1['used_memory_startup']) + Number(m1['used_memory_dataset']) + Number(m1['mem_clients_normal']));
    expect(m1['maxmemory_policy']).to.equal('noeviction');
    expect(m1['maxmemory_human']).to.equal('0B');
    await r.expect('DEL k key16bytes......\r\n', ':2\r\n');
    expect((await info(r, 'memory'))['used_memory_dataset']).to.equal(m0['used_memory_dataset']);
  });
});
