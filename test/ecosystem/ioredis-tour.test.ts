/**
 * ioredis, a tour of what applications commonly use, in RESP2 and RESP3:
 * pipelines (an error in its own slot), transactions (MULTI/EXEC, a
 * queued error aborting, optimistic locking with WATCH against a rival
 * writer), hashes, lists (with a BLPOP woken by another client), sets,
 * sorted sets, Lua through defineCommand (EVALSHA, with the EVAL fallback
 * after SCRIPT FLUSH) and eval, streams with a consumer group (XREADGROUP,
 * XACK, XPENDING, XAUTOCLAIM, a blocked XREADGROUP woken by XADD), pub/sub
 * (channels and patterns), and the scan iterators (scanStream, hscanStream,
 * sscanStream, zscanStream).
 */

import { expect } from 'chai';
import { Redis, ReplyError } from 'ioredis';
import { onBoth, until } from './harness.js';

/** Reads a scan stream to its end and returns everything it yielded. */
async function drain(stream: NodeJS.ReadableStream): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of stream) out.push(...(batch as unknown as string[]));
  return out;
}

onBoth('ioredis tour', (t) => {
  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      let redis: Redis;
      let other: Redis;
      const open = async (): Promise<Redis> => {
        const c = new Redis(t.url, { protocol, lazyConnect: true });
        await c.connect();
        return c;
      };

      before(async () => {
        redis = await open();
        other = await open();
      });
      after(() => {
        redis.disconnect();
        other.disconnect();
      });
      beforeEach(async () => { await redis.flushall(); });

      it('pipelines: 500 commands in one round trip, an error in its own slot', async () => {
        const p = redis.pipeline();
        for (let i = 0; i < 250; i++) p.set(`k${i}`, String(i));
        for (let i = 0; i < 248; i++) p.get(`k${i}`);
        p.incr('k0');
        p.hset('k1', 'f', 'v'); // WRONGTYPE, in its own slot
        const res = await p.exec();
        expect(res).to.have.length(500);
        expect(res!.slice(0, 250).every(([e, v]) => e === null && v === 'OK')).to.equal(true);
        expect(res![250]).to.deep.equal([null, '0']);
        expect(res![497]).to.deep.equal([null, '247']);
        expect(res![498]).to.deep.equal([null, 1]);
        expect(res![499]![0]).to.be.instanceOf(ReplyError);
        expect((res![499]![0] as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
      });

      it('transactions: MULTI/EXEC, a queued error aborts, a runtime error stays in its slot', async () => {
        expect(await redis.multi().set('a', '1').incr('a').get('a').exec()).to.deep.equal([[null, 'OK'], [null, 2], [null, '2']]);
        const aborted = await redis.multi().set('a', '5').call('NOSUCHCMD').exec().then(() => null, (e: Error) => e);
        expect(aborted).to.be.instanceOf(ReplyError);
        expect(aborted!.message).to.equal('EXECABORT Transaction discarded because of previous errors.');
        expect(await redis.get('a')).to.equal('2');
        const res = await redis.multi().lpush('a', 'x').incr('a').exec();
        expect((res![0]![0] as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
        expect(res![1]).to.deep.equal([null, 3]);
      });

      it('WATCH: an optimistic update retries when a rival writes between WATCH and EXEC', async () => {
        await redis.set('balance', '100');
        let attempts = 0;
        const withdraw = async (amount: number): Promise<string> => {
          for (;;) {
            attempts++;
            await redis.watch('balance');
            const balance = Number(await redis.get('balance'));
            if (attempts === 1) await other.incrby('balance', 50); // the rival, between WATCH and EXEC
            const res = await redis.multi().set('balance', String(balance - amount)).exec();
            if (res !== null) return (await redis.get('balance'))!;
          }
        };
        expect(await withdraw(30)).to.equal('120');
        expect(attempts).to.equal(2);
        // UNWATCH: a later write does not abort.
        await redis.watch('balance');
        await redis.unwatch();
        await other.set('balance', '0');
        expect(await redis.multi().get('balance').exec()).to.deep.equal([[null, '0']]);
      });

      it('hashes: HSET an object, HGETALL, HINCRBY, HMGET, HDEL, HEXISTS', async () => {
        expect(await redis.hset('user:1', { name: 'alice', visits: '0', plan: 'free' })).to.equal(3);
        expect(await redis.hgetall('user:1')).to.deep.equal({ name: 'alice', visits: '0', plan: 'free' });
        expect(await redis.hincrby('user:1', 'visits', 5)).to.equal(5);
        expect(await redis.hincrbyfloat('user:1', 'score', '1.5')).to.equal('1.5');
        expect(await redis.hmget('user:1', 'name', 'nope', 'visits')).to.deep.equal(['alice', null, '5']);
        expect(await redis.hdel('user:1', 'plan', 'nope')).to.equal(1);
        expect(await redis.hexists('user:1', 'plan')).to.equal(0);
        expect(await redis.hlen('user:1')).to.equal(3);
        expect((await redis.hkeys('user:1')).sort()).to.deep.equal(['name', 'score', 'visits']);
        expect(await redis.hsetnx('user:1', 'name', 'bob')).to.equal(0);
        expect(await redis.hgetall('nobody')).to.deep.equal({});
      });

      it('lists: push, range, pop with a count, trim, and a BLPOP woken by another client', async () => {
        expect(await redis.rpush('jobs', 'a', 'b', 'c', 'd')).to.equal(4);
        expect(await redis.lpush('jobs', 'z')).to.equal(5);
        expect(await redis.lrange('jobs', 0, -1)).to.deep.equal(['z', 'a', 'b', 'c', 'd']);
        expect(await redis.lpop('jobs', 2)).to.deep.equal(['z', 'a']);
        expect(await redis.rpoplpush('jobs', 'done')).to.equal('d');
        expect(await redis.lmove('jobs', 'done', 'LEFT', 'LEFT')).to.equal('b');
        expect(await redis.lrange('done', 0, -1)).to.deep.equal(['b', 'd']);
        expect(await redis.ltrim('done', 0, 0)).to.equal('OK');
        expect(await redis.llen('done')).to.equal(1);
        const waiter = redis.duplicate();
        try {
          const popped = waiter.blpop('queue', 5);
          await until(async () => /blocked_clients:1/.test(await other.info('clients')), 'the BLPOP is blocked');
          await other.rpush('queue', 'job-1');
          expect(await popped).to.deep.equal(['queue', 'job-1']);
          expect(await waiter.blpop('queue', 0.01)).to.equal(null);
        } finally {
          waiter.disconnect();
        }
      });

      it('sets: SADD, SMEMBERS, SISMEMBER, SMISMEMBER, SINTER, SUNIONSTORE, SREM', async () => {
        expect(await redis.sadd('tags:1', 'red', 'green', 'blue')).to.equal(3);
        expect(await redis.sadd('tags:2', 'green', 'yellow')).to.equal(2);
        expect((await redis.smembers('tags:1')).sort()).to.deep.equal(['blue', 'green', 'red']);
        expect(await redis.sismember('tags:1', 'red')).to.equal(1);
        expect(await redis.smismember('tags:1', 'red', 'pink')).to.deep.equal([1, 0]);
        expect(await redis.sinter('tags:1', 'tags:2')).to.deep.equal(['green']);
        expect(await redis.sunionstore('all', 'tags:1', 'tags:2')).to.equal(4);
        expect(await redis.scard('all')).to.equal(4);
        expect(await redis.srem('all', 'red', 'nope')).to.equal(1);
        expect((await redis.sdiff('all', 'tags:2')).sort()).to.deep.equal(['blue']);
      });

      it('sorted sets: a leaderboard (ZADD, ZINCRBY, ranges, ranks, ZPOPMIN)', async () => {
        expect(await redis.zadd('board', 10, 'alice', 20, 'bob', 15, 'carol')).to.equal(3);
        expect(await redis.zincrby('board', 7, 'alice')).to.equal('17');
        expect(await redis.zrevrange('board', 0, -1)).to.deep.equal(['bob', 'alice', 'carol']);
        const withScores = await redis.zrange('board', '0', '-1', 'WITHSCORES');
        expect(withScores.map(String)).to.deep.equal(['carol', '15', 'alice', '17', 'bob', '20']);
        expect(await redis.zrangebyscore('board', 16, '+inf')).to.deep.equal(['alice', 'bob']);
        expect(await redis.zrange('board', '+inf', '16', 'BYSCORE', 'REV', 'LIMIT', 0, 1)).to.deep.equal(['bob']);
        expect(await redis.zrevrank('board', 'alice')).to.equal(1);
        expect(String(await redis.zscore('board', 'carol'))).to.equal('15');
        expect(await redis.zcount('board', 15, 17)).to.equal(2);
        expect((await redis.zpopmin('board')).map(String)).to.deep.equal(['carol', '15']);
        expect(await redis.zcard('board')).to.equal(2);
      });

      it('Lua: defineCommand (EVALSHA, EVAL again after SCRIPT FLUSH) and eval', async () => {
        const r = redis as Redis & { incrCapped(key: string, by: number, cap: number): Promise<number> };
        r.defineCommand('incrCapped', {
          numberOfKeys: 1,
          lua: "local v = redis.call('INCRBY', KEYS[1], ARGV[1]) if v > tonumber(ARGV[2]) then redis.call('SET', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end return v",
        });
        expect(await r.incrCapped('counter', 4, 10)).to.equal(4);
        expect(await r.incrCapped('counter', 4, 10)).to.equal(8);
        expect(await r.incrCapped('counter', 4, 10)).to.equal(10);
        expect(await redis.script('FLUSH')).to.equal('OK');
        expect(await r.incrCapped('counter', -3, 10)).to.equal(7);
        expect(await redis.eval("return {KEYS[1], ARGV[1], redis.call('GET', KEYS[1])}", 1, 'counter', 'x')).to.deep.equal(['counter', 'x', '7']);
        const err = await redis.eval("return redis.call('HGET', KEYS[1], 'f')", 1, 'counter').then(() => null, (e: Error) => e);
        expect(err).to.be.instanceOf(ReplyError);
        expect(err!.message).to.match(/^WRONGTYPE Operation against a key holding the wrong kind of value/);
      });

      it('streams: a consumer group (XREADGROUP, XACK, XPENDING, XAUTOCLAIM) and a blocked read woken by XADD', async () => {
        expect(await redis.xgroup('CREATE', 'events', 'workers', '$', 'MKSTREAM')).to.equal('OK');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push((await redis.xadd('events', '*', 'type', 'order', 'n', String(i)))!);
        expect(await redis.xlen('events')).to.equal(3);
        const read = (await redis.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', 2, 'STREAMS', 'events', '>')) as Array<[string, Array<[string, string[]]>]>;
        expect(read[0]![0]).to.equal('events');
        expect(read[0]![1]).to.deep.equal([[ids[0], ['type', 'order', 'n', '0']], [ids[1], ['type', 'order', 'n', '1']]]);
        expect(await redis.xack('events', 'workers', ids[0]!)).to.equal(1);
        const pending = (await redis.xpending('events', 'workers')) as [number, string, string, Array<[string, string]>];
        expect(pending).to.deep.equal([1, ids[1], ids[1], [['w1', '1']]]);
        // Another consumer claims what w1 left pending.
        const claimed = (await redis.xautoclaim('events', 'workers', 'w2', 0, '0-0')) as [string, Array<[string, string[]]>, string[]];
        expect(claimed[1]).to.deep.equal([[ids[1], ['type', 'order', 'n', '1']]]);
        // A blocked XREADGROUP is woken by a new entry.
        const reader = redis.duplicate();
        try {
          await reader.xreadgroup('GROUP', 'workers', 'w3', 'COUNT', 10, 'STREAMS', 'events', '>'); // takes ids[2]
          const blocked = reader.xreadgroup('GROUP', 'workers', 'w3', 'BLOCK', 5000, 'STREAMS', 'events', '>') as Promise<Array<[string, Array<[string, string[]]>]>>;
          await until(async () => /blocked_clients:1/.test(await other.info('clients')), 'the XREADGROUP is blocked');
          const id = await other.xadd('events', '*', 'type', 'refund');
          expect((await blocked)[0]![1]).to.deep.equal([[id, ['type', 'refund']]]);
        } finally {
          reader.disconnect();
        }
        expect(await redis.xtrim('events', 'MAXLEN', 2)).to.equal(2);
        expect((await redis.xrange('events', '-', '+')).map(([, f]) => f[1])).to.deep.equal(['order', 'refund']);
      });

      it('pub/sub: channels and patterns, with the receiver counts PUBLISH returns', async () => {
        const sub = redis.duplicate();
        try {
          const got: string[] = [];
          sub.on('message', (ch: string, m: string) => got.push(`${ch}:${m}`));
          sub.on('pmessage', (p: string, ch: string, m: string) => got.push(`${p}|${ch}:${m}`));
          expect(await sub.subscribe('news', 'alerts')).to.equal(2);
          expect(await sub.psubscribe('user:*')).to.equal(3);
          expect(await other.publish('news', 'hello')).to.equal(1);
          expect(await other.publish('user:7', 'login')).to.equal(1);
          expect(await other.publish('nobody', 'x')).to.equal(0);
          expect(await other.pubsub('NUMSUB', 'news', 'nobody')).to.deep.equal(['news', 1, 'nobody', 0]);
          await until(() => got.length === 2, 'two messages arrived');
          expect(got).to.deep.equal(['news:hello', 'user:*|user:7:login']);
          await sub.unsubscribe('news');
          expect(await other.publish('news', 'again')).to.equal(0);
        } finally {
          sub.disconnect();
        }
      });

      it('scan iterators: scanStream with MATCH, hscanStream, sscanStream, zscanStream', async () => {
        const p = redis.pipeline();
        for (let i = 0; i < 300; i++) p.set(`item:${i}`, 'x');
        for (let i = 0; i < 50; i++) p.set(`other:${i}`, 'x');
        for (let i = 0; i < 200; i++) p.hset('big:hash', `f${i}`, String(i));
        for (let i = 0; i < 200; i++) p.sadd('big:set', `m${i}`);
        for (let i = 0; i < 200; i++) p.zadd('big:zset', i, `z${i}`);
        await p.exec();
        const keys = await drain(redis.scanStream({ match: 'item:*', count: 37 }));
        expect(new Set(keys).size).to.equal(300);
        expect(keys.every((k) => k.startsWith('item:'))).to.equal(true);
        const fields = await drain(redis.hscanStream('big:hash', { count: 20 }));
        expect(fields.length).to.equal(400);
        expect(new Set(fields.filter((_, i) => i % 2 === 0)).size).to.equal(200);
        const members = await drain(redis.sscanStream('big:set', { match: 'm1*', count: 20 }));
        expect(new Set(members)).to.deep.equal(new Set(Array.from({ length: 200 }, (_, i) => `m${i}`).filter((m) => m.startsWith('m1'))));
        const zs = await drain(redis.zscanStream('big:zset', { count: 20 }));
        expect(zs.length).to.equal(400);
      });
    });
  }
});
