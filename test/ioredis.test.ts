/**
 * ioredis 6 against cachette, in both protocols: RESP3 (ioredis's default,
 * negotiated with HELLO 3) and RESP2 (`protocol: 2`, no HELLO at all).
 *
 * Every expectation here was checked against a real redis-server 7.0.15.
 */

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import { startServer, type ServerHandle } from '../src/index.js';
import { rejection } from './helpers.js';

type Protocol = 2 | 3;

const NOT_INT = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';

/** Asserts a rejection is an ioredis ReplyError carrying exactly `message`. */
async function expectReplyError(p: Promise<unknown>, message: string): Promise<void> {
  const err = await rejection(p);
  expect(err).to.be.instanceOf(ReplyError);
  expect(err.message).to.equal(message);
}

/** A flat [k, v, k, v...] reply as an object. */
function pairs(flat: unknown): Record<string, unknown> {
  expect(flat).to.be.an('array');
  const a = flat as unknown[];
  expect(a.length % 2).to.equal(0);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) out[String(a[i])] = a[i + 1];
  return out;
}

/** Connects a client and waits for 'ready' (HELLO/AUTH handshake + INFO ready check). */
async function connect(url: string, protocol: Protocol, extra: Record<string, unknown> = {}): Promise<Redis> {
  const client = new Redis(url, { protocol, lazyConnect: true, retryStrategy: () => null, ...extra });
  await client.connect();
  return client;
}

describe('ioredis 6', function () {
  let srv: ServerHandle;
  const clients: Redis[] = [];

  before(async function () {
    srv = await startServer({ port: 0 });
  });

  after(async function () {
    for (const c of clients) c.disconnect();
    await srv.close();
  });

  async function open(protocol: Protocol, extra: Record<string, unknown> = {}): Promise<Redis> {
    const c = await connect(srv.url, protocol, extra);
    clients.push(c);
    return c;
  }

  for (const protocol of [3, 2] as const) {
    describe(`RESP${protocol} (protocol: ${protocol})`, function () {
      let redis: Redis;

      before(async function () {
        redis = await open(protocol);
      });

      beforeEach(async function () {
        await redis.flushall();
      });

      it('connects, passes the INFO ready check and negotiates the protocol', async function () {
        const info = srv.server.commands.lookup('info')!.stats;
        const hello = srv.server.commands.lookup('hello')!.stats;
        const infoBefore = info.calls;
        const helloBefore = hello.calls;
        const c = await open(protocol);
        expect(c.status).to.equal('ready');
        // The ready check is one INFO; HELLO is sent only for RESP3.
        expect(info.calls - infoBefore).to.equal(1);
        expect(hello.calls - helloBefore).to.equal(protocol === 3 ? 1 : 0);
        // The server side of this very connection speaks the negotiated protocol.
        const id = await c.client('ID');
        expect(id).to.be.a('number');
        expect(srv.server.clients.get(id as number)!.resp).to.equal(protocol);
        const ci = (await c.client('INFO')) as string;
        expect(ci).to.match(new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ `));
        expect(ci).to.contain(` resp=${protocol}`);
        expect(await c.ping()).to.equal('PONG');
        expect(await c.ping('hi')).to.equal('hi');
        expect(await c.echo('echo me')).to.equal('echo me');
      });

      it('SET / GET, including a missing key', async function () {
        expect(await redis.set('k', 'v')).to.equal('OK');
        expect(await redis.get('k')).to.equal('v');
        expect(await redis.get('missing')).to.equal(null);
        expect(await redis.set('k', 'v2')).to.equal('OK');
        expect(await redis.get('k')).to.equal('v2');
        expect(await redis.set('empty', '')).to.equal('OK');
        expect(await redis.get('empty')).to.equal('');
        expect(await redis.set('num', 42)).to.equal('OK');
        expect(await redis.get('num')).to.equal('42');
      });

      it('SET with EX / PX / NX / XX / GET / KEEPTTL', async function () {
        expect(await redis.set('ex', 'v', 'EX', 100)).to.equal('OK');
        expect(await redis.ttl('ex')).to.be.within(99, 100);
        expect(await redis.set('px', 'v', 'PX', 5000)).to.equal('OK');
        expect(await redis.pttl('px')).to.be.within(4000, 5000);

        // NX: only when absent. A refused NX is a null reply.
        expect(await redis.set('nx', 'first', 'NX')).to.equal('OK');
        expect(await redis.set('nx', 'second', 'NX')).to.equal(null);
        expect(await redis.get('nx')).to.equal('first');

        // XX: only when present.
        expect(await redis.set('xx', 'v', 'XX')).to.equal(null);
        expect(await redis.exists('xx')).to.equal(0);
        expect(await redis.set('nx', 'third', 'XX')).to.equal('OK');
        expect(await redis.get('nx')).to.equal('third');

        // GET returns the old value (or null), and still sets.
        expect(await redis.set('g', 'old')).to.equal('OK');
        expect(await redis.set('g', 'new', 'GET')).to.equal('old');
        expect(await redis.get('g')).to.equal('new');
        expect(await redis.set('g2', 'v', 'GET')).to.equal(null);
        expect(await redis.get('g2')).to.equal('v');
        // NX GET on an existing key: returns the old value, does not set (Redis 7.0).
        expect(await redis.set('g', 'newer', 'NX', 'GET')).to.equal('new');
        expect(await redis.get('g')).to.equal('new');
        // XX GET on a missing key: null, nothing set.
        expect(await redis.set('g3', 'v', 'XX', 'GET')).to.equal(null);
        expect(await redis.exists('g3')).to.equal(0);

        // A plain SET drops the TTL; KEEPTTL keeps it.
        await redis.set('t', 'v', 'EX', 100);
        expect(await redis.set('t', 'v2', 'KEEPTTL')).to.equal('OK');
        expect(await redis.ttl('t')).to.be.within(99, 100);
        expect(await redis.get('t')).to.equal('v2');
        expect(await redis.set('t', 'v3')).to.equal('OK');
        expect(await redis.ttl('t')).to.equal(-1);

        // Option errors, with Redis's exact messages.
        await expectReplyError(redis.call('SET', 'k', 'v', 'EX', '10', 'PX', '100'), SYNTAX);
        await expectReplyError(redis.call('SET', 'k', 'v', 'KEEPTTL', 'EX', '10'), SYNTAX);
        await expectReplyError(redis.call('SET', 'k', 'v', 'NX', 'XX'), SYNTAX);
        await expectReplyError(redis.call('SET', 'k', 'v', 'EX', 'abc'), NOT_INT);
        await expectReplyError(redis.call('SET', 'k', 'v', 'EX', '0'), "ERR invalid expire time in 'set' command");
        await expectReplyError(redis.call('SET', 'k', 'v', 'PX', '-5'), "ERR invalid expire time in 'set' command");
        expect(await redis.exists('k')).to.equal(0);
      });

      it('MSET / MGET with a missing key in the middle', async function () {
        expect(await redis.mset('a', '1', 'b', '2', 'c', '3')).to.equal('OK');
        expect(await redis.mget('a', 'nope', 'c', 'b')).to.deep.equal(['1', null, '3', '2']);
        expect(await redis.mset({ x: 'X', y: 'Y' })).to.equal('OK');
        expect(await redis.mget(['x', 'y', 'z'])).to.deep.equal(['X', 'Y', null]);
        await expectReplyError(redis.call('MSET', 'a', '1', 'b'), "ERR wrong number of arguments for 'mset' command");
        expect(await redis.msetnx('a', 'no', 'fresh', 'no')).to.equal(0);
        expect(await redis.get('fresh')).to.equal(null);
        expect(await redis.msetnx('fresh', 'yes', 'fresh2', 'yes')).to.equal(1);
        expect(await redis.mget('fresh', 'fresh2')).to.deep.equal(['yes', 'yes']);
      });

      it('INCR / INCRBY / DECRBY / INCRBYFLOAT', async function () {
        expect(await redis.incr('n')).to.equal(1);
        expect(await redis.incr('n')).to.equal(2);
        expect(await redis.incrby('n', 40)).to.equal(42);
        expect(await redis.decrby('n', 50)).to.equal(-8);
        expect(await redis.decr('n')).to.equal(-9);
        expect(await redis.get('n')).to.equal('-9');
        // INCRBYFLOAT replies with a bulk string, in RESP3 too.
        expect(await redis.incrbyfloat('f', '10.5')).to.equal('10.5');
        expect(await redis.incrbyfloat('f', '0.1')).to.equal('10.6');
        expect(await redis.incrbyfloat('f', '-5')).to.equal('5.6');
        expect(await redis.incrbyfloat('f', '-5.6')).to.equal('0');
        await redis.set('e', '5.0e3');
        expect(await redis.incrbyfloat('e', '1')).to.equal('5001');
        // Largest and smallest signed 64-bit values.
        // As a JS number 2^63 - 1 would round to 2^63 (and so would 2^63 - 2), so the
        // reply is read as a string (stringNumbers), digit for digit.
        const exact = await open(protocol, { stringNumbers: true });
        await redis.set('big', '9223372036854775806');
        expect(await exact.incr('big')).to.equal('9223372036854775807');
        await expectReplyError(redis.incr('big'), 'ERR increment or decrement would overflow');
        expect(await redis.get('big')).to.equal('9223372036854775807');
      });

      it('APPEND / STRLEN / GETRANGE / SETRANGE', async function () {
        expect(await redis.append('s', 'hello')).to.equal(5);
        expect(await redis.append('s', ' world')).to.equal(11);
        expect(await redis.strlen('s')).to.equal(11);
        expect(await redis.strlen('missing')).to.equal(0);
        expect(await redis.getrange('s', 0, 4)).to.equal('hello');
        expect(await redis.getrange('s', -5, -1)).to.equal('world');
        expect(await redis.getrange('s', 10, 5)).to.equal('');
        expect(await redis.getrange('s', 0, 1000)).to.equal('hello world');
        expect(await redis.setrange('s', 6, 'Redis')).to.equal(11);
        expect(await redis.get('s')).to.equal('hello Redis');
        // SETRANGE past the end pads with zero bytes.
        expect(await redis.setrange('pad', 3, 'x')).to.equal(4);
        expect(await redis.getBuffer('pad')).to.deep.equal(Buffer.from([0, 0, 0, 0x78]));
        await expectReplyError(redis.setrange('s', -1, 'x'), 'ERR offset is out of range');
      });

      it('DEL / EXISTS / EXPIRE / TTL / PTTL / PERSIST / TYPE', async function () {
        await redis.mset('a', '1', 'b', '2');
        expect(await redis.exists('a', 'b', 'nope', 'a')).to.equal(3);
        expect(await redis.del('a', 'nope')).to.equal(1);
        expect(await redis.exists('a')).to.equal(0);

        expect(await redis.ttl('b')).to.equal(-1);
        expect(await redis.pttl('b')).to.equal(-1);
        expect(await redis.ttl('nope')).to.equal(-2);
        expect(await redis.pttl('nope')).to.equal(-2);
        expect(await redis.expire('b', 100)).to.equal(1);
        expect(await redis.ttl('b')).to.be.within(99, 100);
        expect(await redis.pttl('b')).to.be.within(99000, 100000);
        expect(await redis.expire('nope', 100)).to.equal(0);
        expect(await redis.call('EXPIRE', 'b', '200', 'NX')).to.equal(0);
        expect(await redis.call('EXPIRE', 'b', '200', 'XX')).to.equal(1);
        expect(await redis.ttl('b')).to.be.within(199, 200);
        expect(await redis.persist('b')).to.equal(1);
        expect(await redis.persist('b')).to.equal(0);
        expect(await redis.ttl('b')).to.equal(-1);
        await expectReplyError(redis.call('EXPIRE', 'b', 'abc'), NOT_INT);

        // An expiry in the past deletes the key at once.
        expect(await redis.pexpireat('b', 1)).to.equal(1);
        expect(await redis.exists('b')).to.equal(0);
        expect(await redis.get('b')).to.equal(null);

        await redis.set('s', 'v');
        expect(await redis.type('s')).to.equal('string');
        expect(await redis.type('nope')).to.equal('none');
      });

      it('KEYS and a full scanStream over 500 keys', async function () {
        const want = new Set<string>();
        const p = redis.pipeline();
        for (let i = 0; i < 500; i++) {
          want.add(`scan:${i}`);
          p.set(`scan:${i}`, String(i));
        }
        p.set('other', 'x');
        await p.exec();

        const keys = await redis.keys('scan:*');
        expect(keys).to.have.length(500);
        expect(new Set(keys)).to.deep.equal(want);
        expect(await redis.keys('scan:1?')).to.have.members(Array.from({ length: 10 }, (_, i) => `scan:1${i}`));
        expect(await redis.keys('nomatch*')).to.deep.equal([]);

        const seen = new Set<string>();
        let batches = 0;
        await new Promise<void>((resolve, reject) => {
          const stream = redis.scanStream({ match: 'scan:*', count: 50 });
          stream.on('data', (batch: string[]) => {
            batches++;
            for (const k of batch) seen.add(k);
          });
          stream.on('end', resolve);
          stream.on('error', reject);
        });
        expect(seen).to.deep.equal(want);
        // The cursor really was followed over several calls.
        expect(batches).to.be.greaterThan(1);

        // Without MATCH every key is seen, including 'other'.
        const all = new Set<string>();
        await new Promise<void>((resolve, reject) => {
          const stream = redis.scanStream({ count: 100 });
          stream.on('data', (batch: string[]) => { for (const k of batch) all.add(k); });
          stream.on('end', resolve);
          stream.on('error', reject);
        });
        expect(all.size).to.equal(501);
        expect(all.has('other')).to.equal(true);
      });

      it('RENAME / RENAMENX', async function () {
        await redis.set('src', 'v', 'EX', 100);
        expect(await redis.rename('src', 'dst')).to.equal('OK');
        expect(await redis.get('src')).to.equal(null);
        expect(await redis.get('dst')).to.equal('v');
        // The TTL moves with the value.
        expect(await redis.ttl('dst')).to.be.within(99, 100);
        await expectReplyError(redis.rename('nope', 'x'), 'ERR no such key');
        await redis.set('other', 'o');
        expect(await redis.renamenx('dst', 'other')).to.equal(0);
        expect(await redis.renamenx('dst', 'fresh')).to.equal(1);
        expect(await redis.get('fresh')).to.equal('v');
      });

      it('SELECT isolates databases; DBSIZE counts per database', async function () {
        const db3 = await open(protocol, { db: 3 });
        await redis.mset('a', '0', 'b', '0');
        await db3.set('a', '3');
        expect(await redis.dbsize()).to.equal(2);
        expect(await db3.dbsize()).to.equal(1);
        expect(await redis.get('a')).to.equal('0');
        expect(await db3.get('a')).to.equal('3');
        expect(await db3.get('b')).to.equal(null);

        // SELECT on an open connection, and back.
        expect(await db3.select(0)).to.equal('OK');
        expect(await db3.get('b')).to.equal('0');
        expect(await db3.select(3)).to.equal('OK');
        expect(await db3.get('b')).to.equal(null);

        await expectReplyError(redis.select(16), 'ERR DB index is out of range');
        await expectReplyError(redis.call('SELECT', 'abc'), NOT_INT);
        db3.disconnect();
      });

      it('FLUSHDB empties only the selected database', async function () {
        const db1 = await open(protocol, { db: 1 });
        await redis.mset('a', '1', 'b', '2');
        await db1.set('keep', 'me');
        expect(await redis.flushdb()).to.equal('OK');
        expect(await redis.dbsize()).to.equal(0);
        expect(await redis.get('a')).to.equal(null);
        expect(await db1.get('keep')).to.equal('me');
        expect(await db1.dbsize()).to.equal(1);
        expect(await redis.flushall()).to.equal('OK');
        expect(await db1.dbsize()).to.equal(0);
        db1.disconnect();
      });

      it('keeps order across a pipeline of 1000 SETs then 1000 GETs', async function () {
        const sets = redis.pipeline();
        for (let i = 0; i < 1000; i++) sets.set(`p:${i}`, `value-${i}`);
        const setRes = await sets.exec();
        expect(setRes).to.have.length(1000);
        for (const [err, res] of setRes!) {
          expect(err).to.equal(null);
          expect(res).to.equal('OK');
        }
        const gets = redis.pipeline();
        for (let i = 0; i < 1000; i++) gets.get(`p:${i}`);
        const getRes = await gets.exec();
        expect(getRes).to.have.length(1000);
        getRes!.forEach(([err, res], i) => {
          expect(err).to.equal(null);
          expect(res).to.equal(`value-${i}`);
        });
        expect(await redis.dbsize()).to.equal(1000);
      });

      it('reports a failing command inside a pipeline in its own slot', async function () {
        const res = await redis.pipeline().set('s', 'abc').incr('s').get('s').incr('n').exec();
        expect(res).to.have.length(4);
        expect(res![0]).to.deep.equal([null, 'OK']);
        const err = res![1]![0] as Error;
        expect(err).to.be.instanceOf(ReplyError);
        expect(err.message).to.equal(NOT_INT);
        expect(res![2]).to.deep.equal([null, 'abc']);
        expect(res![3]).to.deep.equal([null, 1]);
      });

      it('surfaces errors as ReplyError with the exact Redis message', async function () {
        await redis.set('s', 'not a number');
        await expectReplyError(redis.incr('s'), NOT_INT);
        await expectReplyError(redis.incrby('s', 1), NOT_INT);
        await expectReplyError(redis.incrbyfloat('s', 1), 'ERR value is not a valid float');
        await expectReplyError(redis.call('SET', 'k', 'v', 'foo'), SYNTAX);
        await expectReplyError(redis.call('GET'), "ERR wrong number of arguments for 'get' command");
        await expectReplyError(
          redis.call('NOSUCHCOMMAND', 'a', 'b'),
          "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ",
        );
        await expectReplyError(redis.call('CONFIG', 'NOPE'), "ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
        // The connection is still usable after errors.
        expect(await redis.get('s')).to.equal('not a number');
      });

      it('is binary-safe: all 256 byte values in a value and in a key', async function () {
        const all = Buffer.alloc(256);
        for (let i = 0; i < 256; i++) all[i] = i;
        expect(await redis.set('bin', all)).to.equal('OK');
        expect(await redis.getBuffer('bin')).to.deep.equal(all);
        expect(await redis.strlen('bin')).to.equal(256);
        expect(await redis.getrangeBuffer('bin', 250, 255)).to.deep.equal(all.subarray(250));
        // CR LF and NUL inside a value do not confuse the framing.
        const tricky = Buffer.from('a\r\nb\0c\r\n$3\r\n*1\r\n', 'latin1');
        await redis.set('tricky', tricky);
        expect(await redis.getBuffer('tricky')).to.deep.equal(tricky);

        const binKey = Buffer.concat([Buffer.from('k:'), all]);
        expect(await redis.set(binKey, 'v')).to.equal('OK');
        expect(await redis.get(binKey)).to.equal('v');
        expect(await redis.exists(binKey)).to.equal(1);
        const keys = await redis.keysBuffer('k:*');
        expect(keys).to.have.length(1);
        expect(keys[0]).to.deep.equal(binKey);

        // UTF-8 text round-trips as text.
        const text = 'héllo wörld ✓ 日本語 😀';
        await redis.set('utf8', text);
        expect(await redis.get('utf8')).to.equal(text);
        expect(await redis.strlen('utf8')).to.equal(Buffer.byteLength(text));
        await redis.append('utf8', '€');
        expect(await redis.get('utf8')).to.equal(text + '€');
      });

      it('round-trips a 1 MB value', async function () {
        const big = randomBytes(1024 * 1024);
        expect(await redis.set('big', big)).to.equal('OK');
        expect(await redis.strlen('big')).to.equal(1024 * 1024);
        const back = await redis.getBuffer('big');
        expect(back).to.be.instanceOf(Buffer);
        expect(back!.equals(big)).to.equal(true);
        const text = 'x'.repeat(1024 * 1024 - 1) + 'y';
        await redis.set('bigtext', text);
        expect(await redis.get('bigtext')).to.equal(text);
      });

      it('CLIENT SETNAME / GETNAME, and connectionName', async function () {
        expect(await redis.client('GETNAME')).to.equal(null);
        expect(await redis.client('SETNAME', `ioredis-resp${protocol}`)).to.equal('OK');
        expect(await redis.client('GETNAME')).to.equal(`ioredis-resp${protocol}`);
        await expectReplyError(
          redis.client('SETNAME', 'has space'),
          'ERR Client names cannot contain spaces, newlines or special characters.',
        );
        expect(await redis.client('GETNAME')).to.equal(`ioredis-resp${protocol}`);
        const named = await open(protocol, { connectionName: 'named-conn' });
        expect(await named.client('GETNAME')).to.equal('named-conn');
        expect((await named.client('INFO')) as string).to.contain(' name=named-conn ');
        named.disconnect();
      });

      it('CONFIG GET', async function () {
        expect(await redis.config('GET', 'maxmemory')).to.deep.equal(['maxmemory', '0']);
        expect(await redis.config('GET', 'databases')).to.deep.equal(['databases', '16']);
        expect(await redis.config('GET', 'maxmemory-p*')).to.deep.equal(['maxmemory-policy', 'noeviction']);
        expect(await redis.config('GET', 'no-such-param')).to.deep.equal([]);
        const port = pairs(await redis.config('GET', 'port'));
        expect(port).to.deep.equal({ port: String(srv.port) });
      });

      it('HELLO reports server, version and protocol', async function () {
        // HELLO with no protocol argument reports the connection's protocol.
        const cur = pairs(await redis.call('HELLO'));
        expect(cur.server).to.equal('redis');
        expect(cur.version).to.equal('7.0.15');
        expect(cur.proto).to.equal(protocol);
        expect(cur.id).to.equal(await redis.client('ID'));
        expect(cur.mode).to.equal('standalone');
        expect(cur.role).to.equal('master');
        expect(cur.modules).to.deep.equal([]);
        await expectReplyError(
          redis.call('HELLO', '4'),
          'NOPROTO unsupported protocol version',
        );
      });

      if (protocol === 3) {
        it('RESP3 HELLO 3 fields, and RESP3 maps with replyMapping "resp3"', async function () {
          const h = pairs(await redis.call('HELLO', '3'));
          expect(h).to.deep.equal({
            server: 'redis',
            version: '7.0.15',
            proto: 3,
            id: await redis.client('ID'),
            mode: 'standalone',
            role: 'master',
            modules: [],
          });
          // With replyMapping "resp3", maps arrive as objects: proof the server sent a real map.
          const r3 = await open(3, { replyMapping: 'resp3' });
          const h3 = (await r3.call('HELLO', '3')) as Record<string, unknown>;
          expect(h3).to.not.be.an('array');
          expect(h3.server).to.equal('redis');
          expect(h3.version).to.equal('7.0.15');
          expect(h3.proto).to.equal(3);
          expect(await r3.config('GET', 'maxmemory')).to.deep.equal({ maxmemory: '0' });
          expect(await r3.get('missing')).to.equal(null);
          r3.disconnect();
        });
      }
    });
  }

  describe('requirepass', function () {
    let authSrv: ServerHandle;
    const authClients: Redis[] = [];

    before(async function () {
      authSrv = await startServer({ port: 0, requirepass: 'pw' });
    });

    after(async function () {
      for (const c of authClients) c.disconnect();
      await authSrv.close();
    });

    for (const protocol of [3, 2] as const) {
      it(`RESP${protocol}: connects with password and works`, async function () {
        const c = await connect(authSrv.url, protocol, { password: 'pw' });
        authClients.push(c);
        expect(c.status).to.equal('ready');
        expect(await c.set('k', `v${protocol}`)).to.equal('OK');
        expect(await c.get('k')).to.equal(`v${protocol}`);
        const id = (await c.client('ID')) as number;
        expect(authSrv.server.clients.get(id)!.resp).to.equal(protocol);
        expect(authSrv.server.clients.get(id)!.authenticated).to.equal(true);
      });

      it(`RESP${protocol}: without a password commands fail with NOAUTH`, async function () {
        // The GET waits in the offline queue; the failed handshake rejects it with the server's error.
        const c = new Redis(authSrv.url, { protocol, retryStrategy: () => null });
        authClients.push(c);
        const events: Error[] = [];
        c.on('error', (e: Error) => events.push(e));
        const err = await rejection(c.get('k'));
        // RESP3 fails at HELLO 3, RESP2 at the INFO ready check: Redis's exact texts.
        const want = protocol === 3
          ? 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time'
          : 'NOAUTH Authentication required.';
        expect(err).to.be.instanceOf(ReplyError);
        expect(err.message).to.equal(want);
        expect(events.map((e) => e.message)).to.deep.equal([want]);
        expect(c.status).to.not.equal('ready');
      });

      it(`RESP${protocol}: a wrong password fails with WRONGPASS`, async function () {
        const c = new Redis(authSrv.url, { protocol, password: 'bad', retryStrategy: () => null });
        authClients.push(c);
        const events: Error[] = [];
        c.on('error', (e: Error) => events.push(e));
        const err = await rejection(c.get('k'));
        const want = 'WRONGPASS invalid username-password pair or user is disabled.';
        expect(err).to.be.instanceOf(ReplyError);
        expect(err.message).to.equal(want);
        expect(events.map((e) => e.message)).to.deep.equal([want]);
      });
    }

    it('NOAUTH for a raw command on a connection that skipped auth', async function () {
      // No handshake and no ready check: the first user command meets NOAUTH itself.
      const c = await connect(authSrv.url, 2, { enableReadyCheck: false });
      authClients.push(c);
      await expectReplyError(c.get('k'), 'NOAUTH Authentication required.');
      await expectReplyError(c.set('k', 'x'), 'NOAUTH Authentication required.');
      await expectReplyError(c.ping(), 'NOAUTH Authentication required.');
      // AUTH on the open connection lifts the restriction.
      expect(await c.auth('pw')).to.equal('OK');
      expect(await c.set('k', 'after-auth')).to.equal('OK');
      expect(await c.get('k')).to.equal('after-auth');
    });
  });
});
