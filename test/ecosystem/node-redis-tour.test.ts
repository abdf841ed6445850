/**
 * node-redis (the `redis` package), the same tour as ioredis's in RESP2
 * (`RESP: 2`) and RESP3 (`RESP: 3`, HELLO 3): pipelines (commands issued
 * together, and multi().execAsPipeline()), transactions with WATCH (a
 * WatchError when a rival writes), hashes, lists (a blPop woken by another
 * client), sets, sorted sets, Lua through defineScript (`scripts`) and
 * eval, streams with a consumer group, pub/sub (channels and patterns),
 * and the scan iterators.
 */

import { expect } from 'chai';
import { createClient, defineScript, ErrorReply, WatchError } from 'redis';
import { onBoth, until } from './harness.js';

const incrCapped = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: "local v = redis.call('INCRBY', KEYS[1], ARGV[1]) if v > tonumber(ARGV[2]) then redis.call('SET', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end return v",
  parseCommand(parser: { pushKey(k: string): void; push(...a: string[]): void }, key: string, by: number, cap: number) {
    parser.pushKey(key);
    parser.push(String(by), String(cap));
  },
  transformReply: (reply: unknown) => reply as number,
} as unknown as Parameters<typeof defineScript>[0]);

function open(url: string, RESP: 2 | 3) {
  return createClient({ url, RESP, scripts: { incrCapped } });
}
type Client = ReturnType<typeof open>;
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

onBoth('node-redis tour', (t) => {
  for (const RESP of [2, 3] as const) {
    describe(`RESP${RESP}`, () => {
      let client: Client;
      let other: Client;
      const extra: Client[] = [];
      const dup = async (): Promise<Client> => {
        const c = client.duplicate();
        await c.connect();
        extra.push(c);
        return c;
      };

      before(async () => {
        client = open(t.url, RESP);
        await client.connect();
        other = await dup();
      });
      after(async () => {
        for (const c of extra) if (c.isOpen) c.destroy();
        await client.close();
      });
      beforeEach(async () => { await client.flushAll(); });

      it('speaks the protocol asked for', async () => {
        const info = String(await client.sendCommand(['CLIENT', 'INFO']));
        expect(info).to.match(new RegExp(` resp=${RESP}\\b`));
      });

      it('pipelines: commands issued together, and execAsPipeline with an error in its slot', async () => {
        const sets = await Promise.all(Array.from({ length: 200 }, (_, i) => client.set(`k${i}`, String(i))));
        expect(sets.every((r) => r === 'OK')).to.equal(true);
        const gets = await Promise.all(Array.from({ length: 200 }, (_, i) => client.get(`k${i}`)));
        expect(gets).to.deep.equal(Array.from({ length: 200 }, (_, i) => String(i)));
        // execAsPipeline: every command runs; the promise rejects with the first error reply.
        const err = await client.multi().incr('k1').hSet('k2', 'f', 'v').set('k3', 'three').execAsPipeline().then(() => null, (e: unknown) => e);
        expect(err).to.be.instanceOf(ErrorReply);
        expect((err as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
        expect(await client.mGet(['k1', 'k2', 'k3'])).to.deep.equal(['2', '2', 'three']);
        expect(await client.multi().incr('k1').get('k1').execAsPipeline()).to.deep.equal([3, '3']);
      });

      it('transactions: MULTI/EXEC; WATCH aborts with WatchError when a rival writes, then the retry wins', async () => {
        expect(await client.multi().set('a', '1').incr('a').get('a').exec()).to.deep.equal(['OK', 2, '2']);
        await client.set('balance', '100');
        let attempts = 0;
        for (;;) {
          attempts++;
          await client.watch('balance');
          const balance = Number(await client.get('balance'));
          if (attempts === 1) await other.incrBy('balance', 50);
          try {
            await client.multi().set('balance', String(balance - 30)).exec();
            break;
          } catch (e) {
            expect(e).to.be.instanceOf(WatchError);
          }
        }
        expect(attempts).to.equal(2);
        expect(await client.get('balance')).to.equal('120');
        const queued = await client.multi().set('x', '1').addCommand(['NOSUCHCMD']).exec().then(() => null, (e: Error) => e);
        // node-redis reports the queued command's own error (Redis answered EXECABORT to the EXEC).
        expect(queued).to.be.instanceOf(ErrorReply);
        expect(queued!.message).to.equal("ERR unknown command 'NOSUCHCMD', with args beginning with: ");
        expect(await client.exists('x')).to.equal(0);
      });

      it('hashes: hSet an object, hGetAll, hIncrBy, hmGet, hDel', async () => {
        expect(await client.hSet('user:1', { name: 'alice', visits: '0', plan: 'free' })).to.equal(3);
        expect({ ...(await client.hGetAll('user:1')) }).to.deep.equal({ name: 'alice', visits: '0', plan: 'free' });
        expect(await client.hIncrBy('user:1', 'visits', 5)).to.equal(5);
        expect(await client.hmGet('user:1', ['name', 'nope', 'visits'])).to.deep.equal(['alice', null, '5']);
        expect(await client.hDel('user:1', ['plan', 'nope'])).to.equal(1);
        expect(await client.hExists('user:1', 'plan')).to.equal(0);
        expect(await client.hLen('user:1')).to.equal(2);
        expect({ ...(await client.hGetAll('nobody')) }).to.deep.equal({});
      });

      it('lists: push, range, pop with a count, move, and a blPop woken by another client', async () => {
        expect(await client.rPush('jobs', ['a', 'b', 'c', 'd'])).to.equal(4);
        expect(await client.lPush('jobs', 'z')).to.equal(5);
        expect(await client.lRange('jobs', 0, -1)).to.deep.equal(['z', 'a', 'b', 'c', 'd']);
        expect(await client.lPopCount('jobs', 2)).to.deep.equal(['z', 'a']);
        expect(await client.lMove('jobs', 'done', 'RIGHT', 'LEFT')).to.equal('d');
        expect(await client.lLen('jobs')).to.equal(2);
        const waiter = await dup();
        const popped = waiter.blPop('queue', 5);
        await until(async () => /blocked_clients:1/.test(await other.info('clients')), 'the BLPOP is blocked');
        await other.rPush('queue', 'job-1');
        expect({ ...((await popped) as Any) }).to.deep.equal({ key: 'queue', element: 'job-1' });
        expect(await waiter.blPop('queue', 0.01)).to.equal(null);
      });

      it('sets: sAdd, sMembers, sIsMember, smIsMember, sInter, sUnionStore', async () => {
        expect(await client.sAdd('tags:1', ['red', 'green', 'blue'])).to.equal(3);
        expect(await client.sAdd('tags:2', ['green', 'yellow'])).to.equal(2);
        expect([...(await client.sMembers('tags:1'))].sort()).to.deep.equal(['blue', 'green', 'red']);
        expect(await client.sIsMember('tags:1', 'red')).to.equal(1);
        expect(await client.smIsMember('tags:1', ['red', 'pink'])).to.deep.equal([1, 0]);
        expect([...(await client.sInter(['tags:1', 'tags:2']))]).to.deep.equal(['green']);
        expect(await client.sUnionStore('all', ['tags:1', 'tags:2'])).to.equal(4);
        expect(await client.sCard('all')).to.equal(4);
      });

      it('sorted sets: a leaderboard (zAdd, zIncrBy, zRangeWithScores, zRank, zPopMin)', async () => {
        expect(await client.zAdd('board', [{ score: 10, value: 'alice' }, { score: 20, value: 'bob' }, { score: 15, value: 'carol' }])).to.equal(3);
        expect(await client.zIncrBy('board', 7, 'alice')).to.equal(17);
        expect(await client.zRange('board', 0, -1, { REV: true })).to.deep.equal(['bob', 'alice', 'carol']);
        expect((await client.zRangeWithScores('board', 0, -1)).map((e: Any) => ({ ...e }))).to.deep.equal([
          { value: 'carol', score: 15 }, { value: 'alice', score: 17 }, { value: 'bob', score: 20 }]);
        expect(await client.zRange('board', '+inf', 16, { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: 1 } })).to.deep.equal(['bob']);
        expect(await client.zRevRank('board', 'alice')).to.equal(1);
        expect(await client.zScore('board', 'carol')).to.equal(15);
        expect({ ...((await client.zPopMin('board')) as Any) }).to.deep.equal({ value: 'carol', score: 15 });
      });

      it('Lua: a script from `scripts` (EVALSHA, EVAL after SCRIPT FLUSH) and eval', async () => {
        const c = client as unknown as { incrCapped(key: string, by: number, cap: number): Promise<number> };
        expect(await c.incrCapped('counter', 4, 10)).to.equal(4);
        expect(await c.incrCapped('counter', 4, 10)).to.equal(8);
        expect(await c.incrCapped('counter', 4, 10)).to.equal(10);
        expect(await client.scriptFlush()).to.equal('OK');
        expect(await c.incrCapped('counter', -3, 10)).to.equal(7);
        expect(await client.eval("return {KEYS[1], ARGV[1], redis.call('GET', KEYS[1])}", { keys: ['counter'], arguments: ['x'] })).to.deep.equal(['counter', 'x', '7']);
        const err = await client.eval("return redis.call('HGET', KEYS[1], 'f')", { keys: ['counter'] }).then(() => null, (e: Error) => e);
        expect(err).to.be.instanceOf(ErrorReply);
        expect(err!.message).to.match(/^WRONGTYPE Operation against a key holding the wrong kind of value/);
      });

      it('streams: a consumer group (xReadGroup, xAck, xPending, xAutoClaim) and a blocked read woken by xAdd', async () => {
        expect(await client.xGroupCreate('events', 'workers', '$', { MKSTREAM: true })).to.equal('OK');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) ids.push(await client.xAdd('events', '*', { type: 'order', n: String(i) }));
        const read = (await client.xReadGroup('workers', 'w1', { key: 'events', id: '>' }, { COUNT: 2 })) as Any[];
        expect(read[0].name).to.equal('events');
        expect(read[0].messages.map((m: Any) => [m.id, { ...m.message }])).to.deep.equal([[ids[0], { type: 'order', n: '0' }], [ids[1], { type: 'order', n: '1' }]]);
        expect(await client.xAck('events', 'workers', ids[0]!)).to.equal(1);
        const pending = (await client.xPending('events', 'workers')) as Any;
        expect([pending.pending, pending.firstId, pending.lastId]).to.deep.equal([1, ids[1], ids[1]]);
        expect(pending.consumers.map((c: Any) => ({ ...c }))).to.deep.equal([{ name: 'w1', deliveriesCounter: 1 }]);
        const claimed = (await client.xAutoClaim('events', 'workers', 'w2', 0, '0-0')) as Any;
        expect(claimed.messages.map((m: Any) => m.id)).to.deep.equal([ids[1]]);
        const reader = await dup();
        await reader.xReadGroup('workers', 'w3', { key: 'events', id: '>' }, { COUNT: 10 });
        const blocked = reader.xReadGroup('workers', 'w3', { key: 'events', id: '>' }, { BLOCK: 5000 });
        await until(async () => /blocked_clients:1/.test(await other.info('clients')), 'the XREADGROUP is blocked');
        const id = await other.xAdd('events', '*', { type: 'refund' });
        const woke = (await blocked) as Any[];
        expect(woke[0].messages.map((m: Any) => [m.id, { ...m.message }])).to.deep.equal([[id, { type: 'refund' }]]);
        expect(await client.xTrim('events', 'MAXLEN', 2)).to.equal(2);
        expect(await client.xLen('events')).to.equal(2);
      });

      it('pub/sub: channels and patterns, with the receiver counts PUBLISH returns', async () => {
        const sub = await dup();
        const got: string[] = [];
        await sub.subscribe(['news', 'alerts'], (m, ch) => got.push(`${ch}:${m}`));
        await sub.pSubscribe('user:*', (m, ch) => got.push(`p|${ch}:${m}`));
        expect(await other.publish('news', 'hello')).to.equal(1);
        expect(await other.publish('user:7', 'login')).to.equal(1);
        expect(await other.publish('nobody', 'x')).to.equal(0);
        expect({ ...(await other.pubSubNumSub(['news', 'nobody'])) }).to.deep.equal({ news: 1, nobody: 0 });
        await until(() => got.length === 2, 'two messages arrived');
        expect(got).to.deep.equal(['news:hello', 'p|user:7:login']);
        await sub.unsubscribe('news');
        expect(await other.publish('news', 'again')).to.equal(0);
      });

      it('scan iterators: scanIterator with MATCH, hScanIterator, sScanIterator, zScanIterator', async () => {
        const m = client.multi();
        for (let i = 0; i < 300; i++) m.set(`item:${i}`, 'x');
        for (let i = 0; i < 50; i++) m.set(`other:${i}`, 'x');
        for (let i = 0; i < 200; i++) m.hSet('big:hash', `f${i}`, String(i));
        for (let i = 0; i < 200; i++) m.sAdd('big:set', `m${i}`);
        for (let i = 0; i < 200; i++) m.zAdd('big:zset', { score: i, value: `z${i}` });
        await m.execAsPipeline();
        const keys: string[] = [];
        for await (const batch of client.scanIterator({ MATCH: 'item:*', COUNT: 37 })) keys.push(...(batch as string[]));
        expect(new Set(keys).size).to.equal(300);
        expect(keys.every((k) => k.startsWith('item:'))).to.equal(true);
        const fields = new Map<string, string>();
        for await (const batch of client.hScanIterator('big:hash', { COUNT: 20 })) for (const e of batch as Any[]) fields.set(e.field, e.value);
        expect(fields.size).to.equal(200);
        expect(fields.get('f150')).to.equal('150');
        const members = new Set<string>();
        for await (const batch of client.sScanIterator('big:set', { MATCH: 'm1*', COUNT: 20 })) for (const e of batch as string[]) members.add(e);
        expect(members.size).to.equal(111);
        const scores = new Map<string, number>();
        for await (const batch of client.zScanIterator('big:zset', { COUNT: 20 })) for (const e of batch as Any[]) scores.set(e.value, e.score);
        expect(scores.size).to.equal(200);
        expect(scores.get('z42')).to.equal(42);
      });
    });
  }
});
