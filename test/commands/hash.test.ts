/**
 * Hash commands (src/commands/hash.ts): HSET HSETNX HGET HMGET HMSET HDEL
 * HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
 *
 *  1. Byte for byte against a real redis-server 7.0.15 (withPair), in RESP2
 *     and RESP3: every command and option, every error text and the order of
 *     the checks, encodings and their conversion points (OBJECT ENCODING,
 *     live config, the ziplist aliases), listpack order, keyspace events,
 *     WATCH touched by each write beside a no-op control, keyspace hits and
 *     misses, COMMAND INFO, the output limit stopping a huge HRANDFIELD.
 *  2. Where Redis's replies depend on its hash seed or its PRNG (hashtable
 *     order, HSCAN pages, HRANDFIELD picks), the same properties are checked
 *     on both servers: multisets, complete scans, distinct picks, the cases
 *     of hrandfieldWithCountCommand.
 *  3. cachette alone: the seeded PRNG repeats, used_memory follows the hash,
 *     the test handle shows it, expiry and RENAME carry it.
 *  4. Through real clients: ioredis and node-redis, RESP2 and RESP3
 *     (node-redis's typed Map replies).
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { withPair } from '../diff/servers.js';
import { replyLength, RespConn } from '../diff/conn.js';

// ---- RESP helpers ------------------------------------------------------------

type R = string | number | null | R[] | { map: R[] } | { set: R[] } | { err: string };

/** Parses one reply (as RespConn returns it) into a JS value: arrays, maps and sets keep their kind. */
function parse(raw: string): R {
  const b = Buffer.from(raw, 'latin1');
  const at = (p: number): [R, number] => {
    const cr = b.indexOf(13, p);
    const line = b.latin1Slice(p + 1, cr);
    const next = cr + 2;
    switch (raw[p]) {
      case '+': return [line, next];
      case '-': return [{ err: line }, next];
      case ':': return [Number(line), next];
      case '_': return [null, next];
      case ',': return [line, next];
      case '$': {
        const n = Number(line);
        if (n < 0) return [null, next];
        return [b.latin1Slice(next, next + n), next + n + 2];
      }
      case '*': case '~': case '%': {
        let n = Number(line);
        if (n < 0) return [null, next];
        if (raw[p] === '%') n *= 2;
        const out: R[] = [];
        let q = next;
        for (let i = 0; i < n; i++) { const [v, e] = at(q); out.push(v); q = e; }
        return [raw[p] === '%' ? { map: out } : raw[p] === '~' ? { set: out } : out, q];
      }
      default: throw new Error(`unexpected reply ${JSON.stringify(raw.slice(p, p + 20))}`);
    }
  };
  const [v, end] = at(0);
  expect(end, `one complete reply: ${JSON.stringify(raw.slice(0, 80))}`).to.equal(b.length);
  return v;
}

/** The elements of an aggregate reply's raw bytes, each as its own raw reply. */
function items(raw: string): string[] {
  const b = Buffer.from(raw, 'latin1');
  const cr = b.indexOf(13);
  const out: string[] = [];
  let p = cr + 2;
  while (p < b.length) { const n = replyLength(b, p); out.push(b.latin1Slice(p, p + n)); p += n; }
  return out;
}

/** A flat [f, v, f, v...] list as sorted "f=v" strings (a hash's content as a multiset). */
function pairSet(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}=${flat[i + 1]}`);
  return out.sort();
}

const sorted = (xs: string[]): string[] => [...xs].sort();

async function connect(port: number, proto: 2 | 3): Promise<RespConn> {
  const c = await RespConn.connect(port);
  if (proto === 3) expect(await c.call(['HELLO', '3'])).to.match(/^%7\r\n/);
  return c;
}

/** Config every test starts from on both servers. */
const RESET = [['FLUSHALL'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64', 'notify-keyspace-events', '',
  'client-output-buffer-limit', 'normal 0 0 0', 'maxmemory', '0']];

const OK = '+OK\r\n';
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INT = '-ERR value is not an integer or out of range\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;
const arr = (...xs: string[]): string => `*${xs.length}\r\n${xs.map(bulk).join('')}`;

describe('hash commands', function () {
  this.timeout(60_000);
  const pair = withPair();

  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      const c = await RespConn.connect(port);
      for (const cmd of RESET) expect(await c.call(cmd)).to.equal(OK);
      c.close();
    }
  });

  /**
   * Runs the commands on both servers (one connection each, in `proto`) and
   * requires every reply to be equal byte for byte. Returns cachette's replies.
   */
  async function same(proto: 2 | 3, cmds: string[][]): Promise<string[]> {
    const r = await connect(pair.redis.port, proto);
    const c = await connect(pair.cachette.port, proto);
    const out: string[] = [];
    try {
      for (const cmd of cmds) {
        const [a, b] = await Promise.all([r.call(cmd), c.call(cmd)]);
        expect(b, `RESP${proto} ${JSON.stringify(cmd).slice(0, 200)}`).to.equal(a);
        out.push(b);
      }
    } finally {
      r.close();
      c.close();
    }
    return out;
  }

  /** Runs the commands on each server and returns both servers' replies (for replies that differ by nature). */
  async function each(proto: 2 | 3, cmds: string[][]): Promise<{ redis: string[]; cachette: string[] }> {
    const res: string[][] = [];
    for (const port of [pair.redis.port, pair.cachette.port]) {
      const c = await connect(port, proto);
      const out: string[] = [];
      for (const cmd of cmds) out.push(await c.call(cmd));
      c.close();
      res.push(out);
    }
    return { redis: res[0]!, cachette: res[1]! };
  }

  for (const proto of [2, 3] as const) {
    describe(`RESP${proto}, byte for byte`, () => {
      it('HSET / HMSET / HGET / HMGET / HLEN / HSTRLEN / HEXISTS, arity and WRONGTYPE', async () => {
        const out = await same(proto, [
          ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['HSET', 'h', 'f1', 'x', 'f3', '3', 'f3', '4'], ['HSET', 'h', 'f'], ['HSET', 'h'], ['HSET', 'h', 'a', 'b', 'c'],
          ['HMSET', 'h', 'a'], ['HMSET', 'h', 'a', 'b', 'c'], ['HMSET', 'h', 'a', 'b'], ['hmset', 'h', 'a', 'b'],
          ['HGET', 'h', 'f1'], ['HGET', 'h', 'nope'], ['HGET', 'nokey', 'f'], ['HGET', 'h'],
          ['HMGET', 'h', 'f1', 'nope', 'f3'], ['HMGET', 'nokey', 'a', 'b'], ['HMGET', 'h'],
          ['HLEN', 'h'], ['HLEN', 'nokey'], ['HSTRLEN', 'h', 'f1'], ['HSTRLEN', 'h', 'zz'], ['HSTRLEN', 'nokey', 'a'],
          ['HEXISTS', 'h', 'f1'], ['HEXISTS', 'h', 'q'], ['HEXISTS', 'nokey', 'q'],
          ['SET', 's', '1'], ['HSET', 's', 'a', 'b'], ['HMSET', 's', 'a', 'b'], ['HGET', 's', 'a'], ['HMGET', 's', 'a'], ['HLEN', 's'], ['HSTRLEN', 's', 'a'], ['HEXISTS', 's', 'a'],
          ['GET', 'h'], ['TYPE', 'h'], ['OBJECT', 'ENCODING', 'h'],
          // Binary and empty fields and values; integers are kept as written.
          ['HSET', 'b', '', '', '\x00\xff', 'x\r\ny', '007', '-0', '1', '10'], ['HGETALL', 'b'], ['HSTRLEN', 'b', '\x00\xff'], ['HSTRLEN', 'b', '007'],
        ]);
        expect(out.slice(0, 9)).to.deep.equal([':2\r\n', ':1\r\n', "-ERR wrong number of arguments for 'hset' command\r\n", "-ERR wrong number of arguments for 'hset' command\r\n",
          "-ERR wrong number of arguments for 'hset' command\r\n", "-ERR wrong number of arguments for 'hmset' command\r\n", "-ERR wrong number of arguments for 'hmset' command\r\n", OK, OK]);
        expect(out[13]).to.equal(`*3\r\n${bulk('x')}${proto === 3 ? '_\r\n' : '$-1\r\n'}${bulk('4')}`);
        expect(out.slice(25, 32)).to.deep.equal(Array(7).fill(WRONGTYPE));
        expect(out[33]).to.equal('+hash\r\n');
        expect(out[36]).to.equal(`${proto === 3 ? '%4' : '*8'}\r\n${['', '', '\x00\xff', 'x\r\ny', '007', '-0', '1', '10'].map(bulk).join('')}`);
      });

      it('HKEYS / HVALS / HGETALL: listpack insertion order, empty replies, HGETALL a RESP3 map', async () => {
        const out = await same(proto, [
          ['HSET', 'h', 'c', '3', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', 'x'], ['HDEL', 'h', 'c'], ['HSET', 'h', 'c', 'y'],
          ['HGETALL', 'h'], ['HKEYS', 'h'], ['HVALS', 'h'],
          ['HGETALL', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'],
          ['SET', 's', 'v'], ['HGETALL', 's'], ['HKEYS', 's'], ['HVALS', 's'], ['HGETALL', 'h', 'x'],
        ]);
        expect(out[4]).to.equal(`${proto === 3 ? '%3' : '*6'}\r\n${['a', 'x', 'b', '2', 'c', 'y'].map(bulk).join('')}`);
        expect(out[5]).to.equal(arr('a', 'b', 'c'));
        expect(out[6]).to.equal(arr('x', '2', 'y'));
        expect(out.slice(7, 10)).to.deep.equal([proto === 3 ? '%0\r\n' : '*0\r\n', '*0\r\n', '*0\r\n']);
        expect(out.slice(11, 14)).to.deep.equal(Array(3).fill(WRONGTYPE));
      });

      it('HSETNX and HDEL (the key goes with its last field)', async () => {
        const out = await same(proto, [
          ['HSETNX', 'h', 'f', 'v'], ['HSETNX', 'h', 'f', 'w'], ['HGET', 'h', 'f'], ['HSETNX', 'h', 'g', 'w'], ['HSETNX', 'h', 'g'], ['HSETNX', 'h', 'g', 'w', 'x'],
          ['HDEL', 'h', 'nope'], ['HDEL', 'h', 'f', 'f', 'nope'], ['HDEL', 'nokey', 'a'], ['HDEL', 'h'], ['EXISTS', 'h'],
          ['HDEL', 'h', 'g', 'g'], ['EXISTS', 'h'], ['TYPE', 'h'], ['HLEN', 'h'],
          ['SET', 's', '1'], ['HSETNX', 's', 'a', 'b'], ['HDEL', 's', 'a'], ['HDEL', 's', 'a', 'b'],
        ]);
        expect(out.slice(0, 4)).to.deep.equal([':1\r\n', ':0\r\n', bulk('v'), ':1\r\n']);
        expect(out.slice(6, 15)).to.deep.equal([':0\r\n', ':1\r\n', ':0\r\n', "-ERR wrong number of arguments for 'hdel' command\r\n", ':1\r\n', ':1\r\n', ':0\r\n', '+none\r\n', ':0\r\n']);
        expect(out.slice(16)).to.deep.equal([WRONGTYPE, WRONGTYPE, WRONGTYPE]);
      });

      it('HINCRBY: int64 bounds, bad values, the increment checked before the type', async () => {
        const out = await same(proto, [
          ['HINCRBY', 'h', 'n', '5'], ['HINCRBY', 'h', 'n', '-7'], ['HINCRBY', 'h', 'big', '9223372036854775807'], ['HINCRBY', 'h', 'big', '1'],
          ['HINCRBY', 'h', 'small', '-9223372036854775808'], ['HINCRBY', 'h', 'small', '-1'], ['HINCRBY', 'h', 'small', '9223372036854775807'],
          ['HSET', 'h', 's', 'abc', 'sp', ' 1', 'z', '007', 'fl', '1.5', 'neg0', '-0', 'max', '9223372036854775808'],
          ['HINCRBY', 'h', 's', '1'], ['HINCRBY', 'h', 'sp', '1'], ['HINCRBY', 'h', 'z', '1'], ['HINCRBY', 'h', 'fl', '1'], ['HINCRBY', 'h', 'neg0', '1'], ['HINCRBY', 'h', 'max', '0'],
          ['HINCRBY', 'h', 'n', 'abc'], ['HINCRBY', 'h', 'n', '1.5'], ['HINCRBY', 'h', 'n', '9223372036854775808'], ['HINCRBY', 'h', 'n', ''], ['HINCRBY', 'h', 'n', '+1'],
          ['SET', 's', '1'], ['HINCRBY', 's', 'f', '1'], ['HINCRBY', 's', 'f', 'x'], ['HINCRBY', 'new', 'f', '-3'], ['HGETALL', 'h'],
        ]);
        expect(out.slice(0, 7)).to.deep.equal([':5\r\n', ':-2\r\n', ':9223372036854775807\r\n', '-ERR increment or decrement would overflow\r\n',
          ':-9223372036854775808\r\n', '-ERR increment or decrement would overflow\r\n', ':-1\r\n']);
        expect(out.slice(8, 14)).to.deep.equal(Array(6).fill('-ERR hash value is not an integer\r\n'));
        expect(out.slice(14, 19)).to.deep.equal(Array(5).fill(NOT_INT));
        expect(out.slice(20, 23)).to.deep.equal([WRONGTYPE, NOT_INT, ':-3\r\n']);
      });

      it('HINCRBYFLOAT: long double sums, inf/nan, the increment checked before the type', async () => {
        const out = await same(proto, [
          ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'f', '0.1'], ['HINCRBYFLOAT', 'h', 'f', '-1.6'], ['HINCRBYFLOAT', 'h', 'g', '3.0e3'],
          ['HINCRBYFLOAT', 'h', 'g', '0x10'], ['HINCRBYFLOAT', 'h', 'g', '1e-5000'], ['HINCRBYFLOAT', 'h', 'e', '5e-324'], ['HINCRBYFLOAT', 'hb', 'big', '1e4931'], ['HINCRBYFLOAT', 'hb', 'big', '1.18e4932'],
          ['HINCRBYFLOAT', 'h', 'f', 'inf'], ['HINCRBYFLOAT', 'h', 'f', '-inf'], ['HINCRBYFLOAT', 'h', 'f', 'nan'], ['HINCRBYFLOAT', 'h', 'f', 'abc'], ['HINCRBYFLOAT', 'h', 'f', '1e5000'],
          ['HINCRBYFLOAT', 'h', 'f', ' 1'], ['HINCRBYFLOAT', 'h', 'f', ''],
          ['HSET', 'h', 'sp', ' 1', 'inf', 'inf', 'txt', 'abc', 'int', '7', 'five', '5.0'], ['HSET', 'hb', 'huge', '1e308'],
          ['HINCRBYFLOAT', 'h', 'sp', '1'], ['HINCRBYFLOAT', 'h', 'txt', '1'], ['HINCRBYFLOAT', 'h', 'inf', '1'], ['HINCRBYFLOAT', 'h', 'int', '0.5'], ['HINCRBYFLOAT', 'h', 'five', '0'],
          ['HINCRBYFLOAT', 'hb', 'huge', '1e308'], ['HINCRBY', 'h', 'five', '1'],
          ['SET', 's', '1'], ['HINCRBYFLOAT', 's', 'f', '1'], ['HINCRBYFLOAT', 's', 'f', 'inf'], ['HINCRBYFLOAT', 's', 'f', 'x'], ['HGETALL', 'h'],
        ]);
        expect(out.slice(0, 3)).to.deep.equal([bulk('1.5'), bulk('1.6'), bulk('0')]);
        expect(out.slice(9, 16)).to.deep.equal(['-ERR value is NaN or Infinity\r\n', '-ERR value is NaN or Infinity\r\n', '-ERR value is not a valid float\r\n',
          '-ERR value is not a valid float\r\n', '-ERR value is not a valid float\r\n', '-ERR value is not a valid float\r\n', '-ERR value is not a valid float\r\n']);
        expect(out.slice(18, 21)).to.deep.equal(['-ERR hash value is not a float\r\n', '-ERR hash value is not a float\r\n', '-ERR increment would produce NaN or Infinity\r\n']);
        expect(out[21]).to.equal(bulk('7.5'));
        expect(out[22]).to.equal(bulk('5'));
        expect(out.slice(26, 29)).to.deep.equal([WRONGTYPE, '-ERR value is NaN or Infinity\r\n', '-ERR value is not a valid float\r\n']);
      });

      it('HRANDFIELD: errors in Redis\'s order, empty and deterministic cases, reply shapes', async () => {
        const out = await same(proto, [
          ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3'], ['HRANDFIELD', 'nokey', '-3', 'WITHVALUES'], ['HRANDFIELD', 'nokey', '0'],
          ['SET', 's', '1'], ['HRANDFIELD', 's'], ['HRANDFIELD', 's', '0'], ['HRANDFIELD', 's', '-1', 'withvalues'],
          ['HRANDFIELD', 's', 'abc'], ['HRANDFIELD', 's', '1', 'x'], ['HRANDFIELD', 's', '1', 'WITHVALUES', 'x'],
          ['HRANDFIELD', 's', '-9223372036854775808'], ['HRANDFIELD', 's', '9223372036854775808'], ['HRANDFIELD', 's', '-9223372036854775808', 'WITHVALUES'],
          ['HRANDFIELD', 's', '4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 's', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 's', '4611686018427387903', 'WITHVALUES'],
          ['HRANDFIELD', 'nokey', '4611686018427387904', 'x'], ['HRANDFIELD', 's', '1.5'], ['HRANDFIELD', 's', ''], ['HRANDFIELD', 's', '+1'], ['HRANDFIELD', 's', '1', 'withvalues\x00x'],
          ['HSET', 'one', 'f', 'v'], ['HRANDFIELD', 'one'], ['HRANDFIELD', 'one', '1'], ['HRANDFIELD', 'one', '1', 'WITHVALUES'], ['HRANDFIELD', 'one', '-3', 'WITHVALUES'], ['HRANDFIELD', 'one', '-2'],
          ['HSET', 'lp', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'], ['HDEL', 'lp', 'b'], ['HSET', 'lp', 'b', '22'],
          ['HRANDFIELD', 'lp', '5'], ['HRANDFIELD', 'lp', '9223372036854775807'], ['HRANDFIELD', 'lp', '6', 'WITHVALUES'], ['HRANDFIELD', 'lp', '4611686018427387903', 'withvalues'],
        ]);
        const nil = proto === 3 ? '_\r\n' : '$-1\r\n';
        expect(out.slice(0, 4)).to.deep.equal([nil, '*0\r\n', '*0\r\n', '*0\r\n']);
        expect(out.slice(5, 8)).to.deep.equal([WRONGTYPE, WRONGTYPE, WRONGTYPE]);
        expect(out.slice(8, 22)).to.deep.equal([NOT_INT, SYNTAX, SYNTAX,
          '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n', NOT_INT,
          '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
          '-ERR value is out of range\r\n', '-ERR value is out of range\r\n', WRONGTYPE, SYNTAX, NOT_INT, NOT_INT, NOT_INT, WRONGTYPE]);
        const pairF = proto === 3 ? `*1\r\n*2\r\n${bulk('f')}${bulk('v')}` : arr('f', 'v');
        expect(out.slice(23, 28)).to.deep.equal([bulk('f'), arr('f'), pairF,
          proto === 3 ? `*3\r\n${`*2\r\n${bulk('f')}${bulk('v')}`.repeat(3)}` : arr('f', 'v', 'f', 'v', 'f', 'v'), arr('f', 'f')]);
        // Case 2 (count >= size): the whole hash in its listpack order.
        expect(out[31]).to.equal(arr('a', 'c', 'd', 'e', 'b'));
        expect(out[32]).to.equal(out[31]);
        const flat = ['a', '1', 'c', '3', 'd', '4', 'e', '5', 'b', '22'];
        const withValues = proto === 3 ? `*5\r\n${[0, 2, 4, 6, 8].map((i) => `*2\r\n${bulk(flat[i]!)}${bulk(flat[i + 1]!)}`).join('')}` : arr(...flat);
        expect(out[33]).to.equal(withValues);
        expect(out[34]).to.equal(withValues);
      });

      it('HSCAN: a listpack whole with cursor 0 whatever the cursor; MATCH; errors after the lookup', async () => {
        const out = await same(proto, [
          ['HSET', 'h', 'a1', '1', 'b1', '2', 'a2', '3', '7', 'x'],
          ['HSCAN', 'h', '0'], ['HSCAN', 'h', '123', 'COUNT', '1'], ['HSCAN', 'h', '0', 'MATCH', 'a*'], ['HSCAN', 'h', '0', 'match', '[0-9]', 'COUNT', '100'],
          ['HSCAN', 'h', '0', 'MATCH', 'a*', 'MATCH', 'b*'], ['HSCAN', 'h', '0', 'MATCH', '*'], ['HSCAN', 'h', '0', 'COUNT', '9223372036854775807'],
          ['HSCAN', 'h', '0', 'COUNT', '0'], ['HSCAN', 'h', '0', 'COUNT', '-1'], ['HSCAN', 'h', '0', 'COUNT', 'abc'], ['HSCAN', 'h', '0', 'COUNT', '9223372036854775808'],
          ['HSCAN', 'h', '0', 'COUNT'], ['HSCAN', 'h', '0', 'TYPE', 'hash'], ['HSCAN', 'h', '0', 'FOO', 'x'], ['HSCAN', 'h', '0', 'NOVALUES'],
          ['HSCAN', 'h', 'abc'], ['HSCAN', 'h', '-1'], ['HSCAN', 'h', '18446744073709551615'], ['HSCAN', 'h', '18446744073709551616'], ['HSCAN', 'h', ''], ['HSCAN', 'h', '1.5'],
          ['HSCAN', 'nokey', '0'], ['HSCAN', 'nokey', '0', 'COUNT', 'abc', 'FOO'], ['HSCAN', 'nokey', 'abc'],
          ['SET', 's', '1'], ['HSCAN', 's', '0'], ['HSCAN', 's', '0', 'COUNT', '0'], ['HSCAN', 's', 'x'], ['HSCAN', 'h'],
        ]);
        const all = `*2\r\n${bulk('0')}${arr('a1', '1', 'b1', '2', 'a2', '3', '7', 'x')}`;
        expect(out[1]).to.equal(all);
        expect(out[2]).to.equal(all);
        expect(out[3]).to.equal(`*2\r\n${bulk('0')}${arr('a1', '1', 'a2', '3')}`);
        expect(out[4]).to.equal(`*2\r\n${bulk('0')}${arr('7', 'x')}`);
        expect(out[5]).to.equal(`*2\r\n${bulk('0')}${arr('b1', '2')}`);
        expect(out.slice(8, 16)).to.deep.equal([SYNTAX, SYNTAX, NOT_INT, NOT_INT, SYNTAX, SYNTAX, SYNTAX, SYNTAX]);
        expect(out[16]).to.equal('-ERR invalid cursor\r\n');
        expect(out[17]).to.equal(all);
        expect(out.slice(22, 25)).to.deep.equal(['*2\r\n$1\r\n0\r\n*0\r\n', '*2\r\n$1\r\n0\r\n*0\r\n', '-ERR invalid cursor\r\n']);
        expect(out.slice(26, 29)).to.deep.equal([WRONGTYPE, WRONGTYPE, '-ERR invalid cursor\r\n']);
      });
    });
  }

  describe('encodings and conversion points (OBJECT ENCODING)', () => {
    it('512 fields stay a listpack, the 513th converts; deleting never converts back', async () => {
      const fields = (from: number, to: number): string[] => { const a: string[] = []; for (let i = from; i < to; i++) a.push(`f${i}`, `${i}`); return a; };
      const out = await same(2, [
        ['HSET', 'h', ...fields(0, 512)], ['OBJECT', 'ENCODING', 'h'], ['HSET', 'h', 'f0', 'again'], ['OBJECT', 'ENCODING', 'h'],
        ['HSET', 'h', ...fields(512, 513)], ['OBJECT', 'ENCODING', 'h'], ['HDEL', 'h', ...fields(1, 513).filter((_, i) => i % 2 === 0)], ['HLEN', 'h'], ['OBJECT', 'ENCODING', 'h'],
        ['HSET', 'g', ...fields(0, 513)], ['OBJECT', 'ENCODING', 'g'], ['CONFIG', 'GET', 'hash-max-listpack-entries'],
      ]);
      expect(out[1]).to.equal(bulk('listpack'));
      expect(out[3]).to.equal(bulk('listpack'));
      expect(out[5]).to.equal(bulk('hashtable'));
      expect(out[7]).to.equal(':1\r\n');
      expect(out[8]).to.equal(bulk('hashtable'));
      expect(out[10]).to.equal(bulk('hashtable'));
    });

    it('a field or value of 65 bytes converts before it is stored, in every writing command', async () => {
      const x64 = 'x'.repeat(64);
      const x65 = 'x'.repeat(65);
      const enc = (k: string): string[] => ['OBJECT', 'ENCODING', k];
      const out = await same(2, [
        ['HSET', 'a', x64, x64], enc('a'), ['HSET', 'a', 'f', x65], enc('a'),
        ['HSET', 'b', x65, '1'], enc('b'),
        // HSET checks every argument first: a long value overwritten in the same command still converts.
        ['HSET', 'c', 'f', x65, 'f', 'short'], enc('c'), ['HGET', 'c', 'f'],
        ['HSETNX', 'd', 'f', '1'], ['HSETNX', 'd', 'f', x65], enc('d'), ['HSETNX', 'd', 'g', x64], enc('d'), ['HSETNX', 'd', x65, '1'], enc('d'),
        ['HMSET', 'e', 'f', '1'], ['HMSET', 'e', 'g', x65], enc('e'),
        ['HSET', 'i', 'f', '1'], ['HINCRBY', 'i', 'g', '1'], enc('i'), ['HINCRBY', 'i', x65, '1'], enc('i'),
        ['HSET', 'j', 'f', '1'], ['HINCRBYFLOAT', 'j', x65, '1'], enc('j'),
        ['HSET', 'k', 'f', x65], ['HDEL', 'k', 'f'], ['EXISTS', 'k'], ['HSET', 'k', 'f', '1'], enc('k'),
        ['HSET', 'l', 'f', x65], ['HSET', 'l', 'g', '1'], ['HDEL', 'l', 'f'], enc('l'),
      ]);
      const lp = bulk('listpack');
      const ht = bulk('hashtable');
      expect([out[1], out[3], out[5], out[7]]).to.deep.equal([lp, ht, ht, ht]);
      expect([out[11], out[13], out[15]]).to.deep.equal([lp, lp, ht]);
      expect([out[18], out[21], out[23], out[26]]).to.deep.equal([ht, lp, ht, ht]);
      expect(out[31]).to.equal(lp);
      expect(out[35]).to.equal(ht);
    });

    it('the limits are read live, with their ziplist aliases; 0 entries or 0 bytes', async () => {
      const out = await same(3, [
        ['CONFIG', 'SET', 'hash-max-ziplist-entries', '2'], ['CONFIG', 'GET', 'hash-max-listpack-entries'],
        ['HSET', 'a', 'f1', '1', 'f2', '2'], ['OBJECT', 'ENCODING', 'a'], ['HSET', 'a', 'f3', '3'], ['OBJECT', 'ENCODING', 'a'],
        ['HSET', 'b', 'f1', '1', 'f2', '2', 'f3', '3'], ['OBJECT', 'ENCODING', 'b'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'], ['HSET', 'c', 'f', 'v'], ['OBJECT', 'ENCODING', 'c'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-ziplist-value', '0'], ['CONFIG', 'GET', 'hash-max-listpack-value'],
        ['HSET', 'd', '', ''], ['OBJECT', 'ENCODING', 'd'], ['HSET', 'd', 'x', ''], ['OBJECT', 'ENCODING', 'd'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '3'], ['HSET', 'e', 'abc', 'abc'], ['OBJECT', 'ENCODING', 'e'], ['HINCRBYFLOAT', 'e', 'abc2', '0.25'], ['OBJECT', 'ENCODING', 'e'],
      ]);
      expect(out[1]).to.equal(`%1\r\n${bulk('hash-max-listpack-entries')}${bulk('2')}`);
      expect([out[3], out[5], out[7], out[10]]).to.deep.equal([bulk('listpack'), bulk('hashtable'), bulk('hashtable'), bulk('hashtable')]);
      expect([out[14], out[16], out[19], out[21]]).to.deep.equal([bulk('listpack'), bulk('hashtable'), bulk('listpack'), bulk('hashtable')]);
    });

    it('a hashtable hash: HGETALL/HKEYS/HVALS hold the same multiset as Redis; HSCAN iterations are complete', async () => {
      const args: string[] = [];
      for (let i = 0; i < 600; i++) args.push(`field:${i}`, `value:${i}`);
      for (const proto of [2, 3] as const) {
        const { redis, cachette } = await each(proto, [['DEL', 'h'], ['HSET', 'h', ...args], ['OBJECT', 'ENCODING', 'h'], ['HGETALL', 'h'], ['HKEYS', 'h'], ['HVALS', 'h'], ['HLEN', 'h']]);
        for (const out of [redis, cachette]) {
          expect(out[1]).to.equal(':600\r\n');
          expect(out[2]).to.equal(bulk('hashtable'));
          expect(out[3]!.startsWith(proto === 3 ? '%600\r\n' : '*1200\r\n')).to.equal(true);
        }
        expect(pairSet(items(cachette[3]!).map((x) => parse(x) as string))).to.deep.equal(pairSet(items(redis[3]!).map((x) => parse(x) as string)));
        expect(sorted(items(cachette[4]!))).to.deep.equal(sorted(items(redis[4]!)));
        expect(sorted(items(cachette[5]!))).to.deep.equal(sorted(items(redis[5]!)));
      }
      // Complete HSCAN iterations, with COUNT and MATCH, while fields are deleted and added.
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const c = await connect(port, 2);
        for (const opts of [[], ['COUNT', '7'], ['COUNT', '1000'], ['MATCH', 'field:1*', 'COUNT', '20']]) {
          const seen = new Map<string, string>();
          let cursor = '0';
          let calls = 0;
          do {
            const r = parse(await c.call(['HSCAN', 'h', cursor, ...opts])) as [string, string[]];
            cursor = r[0];
            for (let i = 0; i < r[1].length; i += 2) seen.set(r[1][i]!, r[1][i + 1]!);
            if (opts[1] === '7') expect(r[1].length).to.be.below(2 * 7 * 10);
            calls++;
          } while (cursor !== '0' && calls < 10_000);
          const want = opts[0] === 'MATCH' ? 111 : 600;
          expect(seen.size, `${port} ${opts.join(' ')}`).to.equal(want);
          for (const [f, v] of seen) expect(v).to.equal(f.replace('field', 'value'));
          if (opts[1] === '7') expect(calls).to.be.above(20);
        }
        // Fields present for the whole scan are returned even when others come and go.
        const seen = new Set<string>();
        let cursor = '0';
        let step = 0;
        do {
          const r = parse(await c.call(['HSCAN', 'h', cursor, 'COUNT', '10'])) as [string, string[]];
          cursor = r[0];
          for (let i = 0; i < r[1].length; i += 2) seen.add(r[1][i]!);
          await c.call(['HDEL', 'h', `field:${500 + step}`]);
          await c.call(['HSET', 'h', `extra:${step}`, 'v']);
          step++;
        } while (cursor !== '0' && step < 10_000);
        for (let i = 0; i < 500; i++) expect(seen.has(`field:${i}`), `${port} field:${i}`).to.equal(true);
        c.close();
      }
    });
  });

  describe('HRANDFIELD picks (random on both servers: the rules, not the picks, are compared)', () => {
    /** A listpack hash of `n` fields f0..f(n-1) = v0.. in that order. */
    function fill(key: string, n: number, prefix = 'f'): string[] {
      const a = ['HSET', key];
      for (let i = 0; i < n; i++) a.push(`${prefix}${i}`, `v${i}`);
      return a;
    }

    for (const proto of [2, 3] as const) {
      it(`RESP${proto}: distinct fields for a positive count, repeats for a negative one, values beside their fields`, async () => {
        const big = fill('big', 600);
        const cmds: string[][] = [fill('lp', 20), big];
        const counts = ['3', '6', '10', '19', '-5', '-30', '-1'];
        for (let round = 0; round < 20; round++) {
          for (const k of ['lp', 'big']) {
            for (const n of counts) cmds.push(['HRANDFIELD', k, n], ['HRANDFIELD', k, n, 'WITHVALUES']);
            cmds.push(['HRANDFIELD', k]);
          }
          cmds.push(['HRANDFIELD', 'big', '250'], ['HRANDFIELD', 'big', '250', 'WITHVALUES']);
        }
        const { redis, cachette } = await each(proto, cmds);
        for (const [name, out] of [['redis', redis], ['cachette', cachette]] as const) {
          let i = 2;
          for (let round = 0; round < 20; round++) {
            for (const k of ['lp', 'big']) {
              const size = k === 'lp' ? 20 : 600;
              for (const n of counts) {
                const count = Number(n);
                const plain = parse(out[i++]!) as string[];
                const withv = parse(out[i++]!) as R[];
                const want = Math.abs(count);
                expect(plain, `${name} ${k} ${n}`).to.have.length(want);
                for (const f of plain) expect(Number(f.slice(1))).to.be.within(0, size - 1);
                // With values: RESP3 [field, value] pairs, RESP2 a flat list.
                const ps: Array<[string, string]> = proto === 3
                  ? (withv as string[][]).map((p) => { expect(p).to.have.length(2); return [p[0]!, p[1]!]; })
                  : Array.from({ length: withv.length / 2 }, (_, j) => [withv[2 * j] as string, withv[2 * j + 1] as string]);
                expect(ps, `${name} ${k} ${n} WITHVALUES`).to.have.length(want);
                for (const [f, v] of ps) expect(v).to.equal(f.replace('f', 'v'));
                if (count > 0) {
                  expect(new Set(plain).size, `${name} ${k} ${n} distinct`).to.equal(want);
                  expect(new Set(ps.map((p) => p[0])).size).to.equal(want);
                  // A listpack's distinct picks for a small count come in its order (lpRandomPairsUnique).
                  if (k === 'lp' && count * 3 <= size) {
                    const idx = plain.map((f) => Number(f.slice(1)));
                    expect(idx, `${name} listpack order`).to.deep.equal([...idx].sort((a, b) => a - b));
                  }
                }
                if (count === -30 && k === 'lp') expect(new Set(plain).size).to.be.below(21); // 30 picks of 20 fields repeat
              }
              expect(parse(out[i++]!) as string).to.match(/^f\d+$/);
            }
            const most = parse(out[i++]!) as string[];
            expect(new Set(most).size).to.equal(250);
            expect((parse(out[i++]!) as R[]).length).to.equal(proto === 3 ? 250 : 500);
          }
        }
      });
    }

    it('the output limit stops a count that can never be served (-LONG_MAX), and the server stays up', async () => {
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const c = await RespConn.connect(port);
        expect(await c.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0'])).to.equal(OK);
        expect(await c.call(['HSET', 'h', 'a', '1', 'b', '2'])).to.equal(':2\r\n');
        expect(await c.call(['HRANDFIELD', 'h', '-9223372036854775807'], 20_000)).to.equal('<closed>');
        const d = await RespConn.connect(port);
        expect(await d.call(['PING'])).to.equal('+PONG\r\n');
        expect(await d.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'])).to.equal(OK);
        d.close();
      }
    });
  });

  describe('keyspace events, WATCH, keyspace hits and misses, COMMAND INFO', () => {
    /** Every keyspace event (and a final marker) a subscriber sees while `cmds` run, as raw bytes. */
    async function events(port: number, proto: 2 | 3, flags: string, cmds: string[][]): Promise<string> {
      const sub = await connect(port, proto);
      const c = await connect(port, proto);
      expect(await c.call(['FLUSHALL'])).to.equal(OK);
      expect(await c.call(['CONFIG', 'SET', 'notify-keyspace-events', flags])).to.equal(OK);
      await sub.call(['PSUBSCRIBE', '__key*__:*']);
      await sub.call(['SUBSCRIBE', 'end']);
      for (const cmd of cmds) await c.call(cmd);
      await c.call(['PUBLISH', 'end', 'x']);
      let out = '';
      for (;;) {
        const m = await sub.read();
        expect(m).to.not.equal('<timeout>');
        if (m.includes('\r\n$3\r\nend\r\n$1\r\nx\r\n')) break;
        out += m;
      }
      expect(await c.call(['CONFIG', 'SET', 'notify-keyspace-events', ''])).to.equal(OK);
      sub.close();
      c.close();
      return out;
    }

    it('hset, hdel then del, hincrby, hincrbyfloat, new and keymiss: the same events in the same order', async () => {
      const cmds = [
        ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', '1'], ['HMSET', 'h', 'c', '3'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'd', '4'], ['HSETNX', 'n', 'f', 'v'],
        ['HDEL', 'h', 'zz'], ['HDEL', 'h', 'a', 'zz'], ['HDEL', 'h', 'b', 'c', 'd', 'e'], ['HDEL', 'h', 'a'],
        ['HINCRBY', 'i', 'f', '1'], ['HINCRBY', 'i', 'f', 'x'], ['HSET', 'i', 's', 'abc'], ['HINCRBY', 'i', 's', '1'], ['HINCRBYFLOAT', 'i', 'g', '1.5'], ['HINCRBYFLOAT', 'i', 's', '1'],
        ['HGET', 'missing', 'f'], ['HMGET', 'missing', 'f'], ['HGETALL', 'missing'], ['HSCAN', 'missing', '0'], ['HRANDFIELD', 'missing'], ['HLEN', 'missing'], ['HEXISTS', 'missing', 'f'], ['HSTRLEN', 'missing', 'f'],
        ['HDEL', 'missing', 'f'], ['SET', 's', '1'], ['HSET', 's', 'a', 'b'], ['HGET', 's', 'a'],
        ['HSET', 'x', 'f', 'v'], ['EXPIRE', 'x', '100'], ['RENAME', 'x', 'y'], ['DEL', 'y'],
      ];
      for (const flags of ['KEA', 'KEhgnm', 'Eh', 'Kg']) {
        for (const proto of [2, 3] as const) {
          const want = await events(pair.redis.port, proto, flags, cmds);
          const got = await events(pair.cachette.port, proto, flags, cmds);
          expect(got, `${flags} RESP${proto}`).to.equal(want);
          if (flags === 'Eh') {
            const names = [...want.matchAll(/__keyevent@0__:(\w+)/g)].map((m) => m[1]);
            expect(names).to.deep.equal(['hset', 'hset', 'hset', 'hset', 'hset', 'hdel', 'hdel', 'hincrby', 'hset', 'hincrbyfloat', 'hset']);
          }
          if (flags === 'KEA') expect(want).to.include('__keyevent@0__:hdel\r\n$1\r\nh\r\n').and.include('__keyevent@0__:del\r\n$1\r\nh\r\n');
        }
      }
      // The del after the hdel that emptied the hash, never before it.
      const seq = await events(pair.cachette.port, 2, 'Egh', [['HSET', 'q', 'f', 'v'], ['HDEL', 'q', 'f']]);
      const order = [...seq.matchAll(/__keyevent@0__:(\w+)/g)].map((m) => m[1]);
      expect(order).to.deep.equal(['hset', 'hdel', 'del']);
    });

    it('RESP3, events to the writing connection itself: HDEL\'s come before its reply, the others\' after', async () => {
      const streams: string[] = [];
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const c = await connect(port, 3);
        expect(await c.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Eghx'])).to.equal(OK);
        await c.call(['SUBSCRIBE', '__keyevent@0__:hset', '__keyevent@0__:hdel', '__keyevent@0__:del', '__keyevent@0__:hincrby', '__keyevent@0__:hincrbyfloat']);
        for (let i = 0; i < 4; i++) expect(await c.read()).to.match(/^>3\r\n\$9\r\nsubscribe/);
        const out: string[] = [];
        for (const cmd of [['HSET', 'h', 'a', '1'], ['HDEL', 'h', 'a'], ['HINCRBY', 'h', 'a', '1'], ['HINCRBYFLOAT', 'h', 'a', '1'], ['HSETNX', 'h', 'b', '1'], ['HMSET', 'h', 'c', '1'], ['HDEL', 'h', 'a', 'b', 'c'], ['ECHO', 'end']]) {
          // Each call sends one command and reads the next frame of the stream, whatever it is.
          out.push(await c.call(cmd));
        }
        while (out[out.length - 1] !== bulk('end')) {
          const m = await c.read();
          expect(m).to.not.equal('<timeout>');
          out.push(m);
        }
        expect(await c.call(['CONFIG', 'SET', 'notify-keyspace-events', ''])).to.equal(OK);
        c.close();
        streams.push(out.map((m) => (m.startsWith('>') ? m.split('\r\n')[4] : m.trim().replace(/\r\n/g, ' '))).join(' '));
      }
      expect(streams[1]).to.equal(streams[0]);
      expect(streams[0]).to.equal(':1 __keyevent@0__:hset __keyevent@0__:hdel __keyevent@0__:del :1 :1 __keyevent@0__:hincrby $1 2 __keyevent@0__:hincrbyfloat '
        + ':1 __keyevent@0__:hset +OK __keyevent@0__:hset __keyevent@0__:hdel __keyevent@0__:del :3 $3 end');
    });

    it('WATCH: every write that changes a hash aborts EXEC; a write that changes nothing does not', async () => {
      /** WATCH k on one connection, `write` on another, then MULTI/PING/EXEC: returns EXEC's reply. */
      const cases: Array<[string[][], string[]]> = [
        [[['HSET', 'k', 'f', 'v']], ['HSET', 'k', 'f', 'v']],
        [[['HSET', 'k', 'f', 'v']], ['HSET', 'k', 'g', 'w']],
        [[['HSET', 'k', 'f', 'v']], ['HMSET', 'k', 'f', 'w']],
        [[['HSET', 'k', 'f', 'v']], ['HSETNX', 'k', 'f', 'w']],
        [[['HSET', 'k', 'f', 'v']], ['HSETNX', 'k', 'g', 'w']],
        [[], ['HSETNX', 'k', 'g', 'w']],
        [[['HSET', 'k', 'f', 'v', 'g', 'w']], ['HDEL', 'k', 'zz']],
        [[['HSET', 'k', 'f', 'v', 'g', 'w']], ['HDEL', 'k', 'f']],
        [[['HSET', 'k', 'f', 'v']], ['HDEL', 'k', 'f']],
        [[['HSET', 'k', 'f', 'v']], ['HINCRBY', 'k', 'f', '1']],
        [[['HSET', 'k', 'f', '1']], ['HINCRBY', 'k', 'f', '1']],
        [[['HSET', 'k', 'f', '1']], ['HINCRBYFLOAT', 'k', 'f', 'abc']],
        [[['HSET', 'k', 'f', '1']], ['HINCRBYFLOAT', 'k', 'f', '0.5']],
        [[['HSET', 'k', 'f', '1']], ['HGET', 'k', 'f']],
        [[['HSET', 'k', 'f', '1']], ['HGETALL', 'k']],
        [[['HSET', 'k', 'f', '1']], ['HSCAN', 'k', '0']],
        [[['HSET', 'k', 'f', '1']], ['HRANDFIELD', 'k', '-3']],
        [[['SET', 'k', 'v']], ['HSET', 'k', 'f', 'v']],
      ];
      const results: string[] = [];
      for (const [setup, write] of cases) {
        const replies: string[] = [];
        for (const port of [pair.redis.port, pair.cachette.port]) {
          const a = await RespConn.connect(port);
          const b = await RespConn.connect(port);
          await a.call(['FLUSHALL']);
          for (const s of setup) await a.call(s);
          expect(await a.call(['WATCH', 'k'])).to.equal(OK);
          await b.call(write);
          expect(await a.call(['MULTI'])).to.equal(OK);
          expect(await a.call(['PING'])).to.equal('+QUEUED\r\n');
          replies.push(await a.call(['EXEC']));
          a.close();
          b.close();
        }
        expect(replies[1], `${JSON.stringify(setup)} then ${write.join(' ')}`).to.equal(replies[0]);
        results.push(replies[1]!);
      }
      const aborted = '*-1\r\n';
      const ran = '*1\r\n+PONG\r\n';
      expect(results).to.deep.equal([aborted, aborted, aborted, ran, aborted, aborted, ran, aborted, aborted, ran, aborted, ran, aborted, ran, ran, ran, ran, ran]);
    });

    it('keyspace hits and misses: reads count, writes do not (INFO stats equal to Redis\'s)', async () => {
      const cmds = [
        ['HSET', 'h', 'f', '1'], ['HGET', 'h', 'f'], ['HGET', 'nokey', 'f'], ['HMGET', 'h', 'f'], ['HMGET', 'nokey', 'f'], ['HLEN', 'h'], ['HLEN', 'nokey'],
        ['HSTRLEN', 'h', 'f'], ['HEXISTS', 'nokey', 'f'], ['HKEYS', 'h'], ['HVALS', 'nokey'], ['HGETALL', 'h'], ['HSCAN', 'h', '0'], ['HSCAN', 'nokey', '0'],
        ['HRANDFIELD', 'h'], ['HRANDFIELD', 'nokey', '2'], ['HINCRBY', 'h', 'f', '1'], ['HINCRBY', 'new', 'f', '1'], ['HINCRBYFLOAT', 'h', 'f', '1'],
        ['HDEL', 'nokey', 'f'], ['HSETNX', 'h', 'f', 'x'], ['HSETNX', 'new2', 'f', 'x'], ['HMSET', 'h', 'g', '1'],
      ];
      const stats: string[] = [];
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const c = await RespConn.connect(port);
        expect(await c.call(['CONFIG', 'RESETSTAT'])).to.equal(OK);
        for (const cmd of cmds) await c.call(cmd);
        const info = parse(await c.call(['INFO', 'stats'])) as string;
        stats.push([...info.matchAll(/keyspace_(?:hits|misses):\d+/g)].map((m) => m[0]).join(' '));
        c.close();
      }
      expect(stats[1]).to.equal(stats[0]);
      expect(stats[0]).to.equal('keyspace_hits:8 keyspace_misses:7');
    });

    it('COMMAND INFO for every hash command equals Redis\'s (flags, key specs, categories, tips)', async () => {
      const names = ['hset', 'hsetnx', 'hget', 'hmget', 'hmset', 'hdel', 'hlen', 'hstrlen', 'hexists', 'hkeys', 'hvals', 'hgetall', 'hincrby', 'hincrbyfloat', 'hrandfield', 'hscan'];
      const out = await same(3, [['COMMAND', 'INFO', ...names], ['COMMAND', 'INFO', 'HSET']]);
      expect(out[0]).to.include('nondeterministic_output_order').and.include('+@hash');
    });
  });

  describe('cachette alone', () => {
    let srv: ServerHandle;
    before(async () => { srv = await startServer({ port: 0, seed: 42 }); });
    after(async () => { await srv.close(); });
    beforeEach(() => srv.flushAll());

    it('the seeded PRNG makes HRANDFIELD repeat from one server start to the next; every field comes up', async () => {
      const runs: string[][] = [];
      for (let k = 0; k < 2; k++) {
        const s = await startServer({ port: 0, seed: 7 });
        const c = await RespConn.connect(s.port);
        const fields: string[] = [];
        for (let i = 0; i < 20; i++) fields.push(`f${i}`, `${i}`);
        await c.call(['HSET', 'h', ...fields]);
        await c.call(['HSET', 'big', ...fields, 'x'.repeat(70), '1']);
        const out: string[] = [];
        for (const k2 of ['h', 'big']) {
          for (const cmd of [['HRANDFIELD', k2], ['HRANDFIELD', k2, '3'], ['HRANDFIELD', k2, '-8', 'WITHVALUES'], ['HRANDFIELD', k2, '12']]) out.push(await c.call(cmd));
        }
        runs.push(out);
        // Uniform enough: 2,000 single picks over 20 fields give each one at least 50 times.
        const counts = new Map<string, number>();
        for (const f of parse(await c.call(['HRANDFIELD', 'h', '-2000'])) as string[]) counts.set(f, (counts.get(f) ?? 0) + 1);
        expect(counts.size).to.equal(20);
        for (const n of counts.values()) expect(n).to.be.within(50, 160);
        c.close();
        await s.close();
      }
      expect(runs[1]).to.deep.equal(runs[0]);
    });

    it('HRANDFIELD with a count that can never be served and no output limit: the client is closed at 256 MiB, the server goes on', async () => {
      const c = await RespConn.connect(srv.port);
      const f = 'f'.repeat(60);
      expect(await c.call(['HSET', 'h', f, 'v'])).to.equal(':1\r\n');
      expect(await c.call(['CONFIG', 'GET', 'client-output-buffer-limit'])).to.include('normal 0 0 0');
      const before = srv.server.stats.obufDisconnections;
      const x = await RespConn.connect(srv.port);
      expect(await x.call(['HRANDFIELD', 'h', '-9223372036854775807'], 60_000)).to.equal('<closed>');
      expect(srv.server.stats.obufDisconnections).to.equal(before + 1);
      expect(await c.call(['HLEN', 'h'])).to.equal(':1\r\n');
      // A large but bounded count is answered in full.
      const y = await RespConn.connect(srv.port);
      const big = await y.call(['HRANDFIELD', 'h', '-100000', 'WITHVALUES']);
      expect(big.startsWith(`*200000\r\n$60\r\n${f}\r\n$1\r\nv\r\n`)).to.equal(true);
      expect(big.length).to.equal(9 + 100000 * (67 + 7));
      y.close();
      c.close();
    });

    it('used_memory and MEMORY USAGE follow a hash as it grows, converts and shrinks', async () => {
      const c = await RespConn.connect(srv.port);
      const used = (): number => Number(srv.info('memory').used_memory);
      const usage = async (): Promise<number> => parse(await c.call(['MEMORY', 'USAGE', 'h'])) as number;
      const base = used();
      await c.call(['HSET', 'h', 'f0', 'v0']);
      const one = await usage();
      expect(used() - base).to.equal(one);
      const args: string[] = [];
      for (let i = 1; i < 400; i++) args.push(`f${i}`, `value-${i}`.repeat(3));
      await c.call(['HSET', 'h', ...args]);
      const many = await usage();
      expect(many).to.be.above(one + 399 * 40);
      expect(used() - base).to.equal(many);
      await c.call(['HSET', 'h', 'long', 'x'.repeat(100)]);
      expect(parse(await c.call(['OBJECT', 'ENCODING', 'h']))).to.equal('hashtable');
      const converted = await usage();
      expect(converted).to.be.above(many); // the Map index and the long value
      expect(used() - base).to.equal(converted);
      await c.call(['HDEL', 'h', ...Array.from({ length: 200 }, (_, i) => `f${i}`)]);
      const fewer = await usage();
      expect(fewer).to.be.below(converted);
      expect(used() - base).to.equal(fewer);
      await c.call(['HINCRBYFLOAT', 'h', 'n', '1.5']);
      expect(used() - base).to.equal(await usage());
      await c.call(['DEL', 'h']);
      expect(used()).to.equal(base);
      c.close();
    });

    it('eviction frees hashes: under maxmemory, HSET evicts whole hashes and used_memory stays under the limit', async () => {
      const c = await RespConn.connect(srv.port);
      const fields: string[] = [];
      for (let i = 0; i < 50; i++) fields.push(`field-${i}`, 'v'.repeat(40));
      for (let k = 0; k < 40; k++) expect(await c.call(['HSET', `h${k}`, ...fields])).to.equal(':50\r\n');
      const used = Number(srv.info('memory').used_memory);
      const limit = used - 20_000;
      expect(await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru', 'maxmemory', String(limit)])).to.equal(OK);
      try {
        expect(await c.call(['HSET', 'h0', 'one-more', 'v'])).to.equal(':1\r\n');
        const evicted = Number(srv.info('stats').evicted_keys);
        expect(evicted).to.be.within(1, 39);
        expect(Number(srv.info('memory').used_memory)).to.be.at.most(limit);
        expect(parse(await c.call(['DBSIZE']))).to.equal(40 - evicted);
        // noeviction: HSET is refused (denyoom), reads and HDEL still run.
        expect(await c.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction', 'maxmemory', '1'])).to.equal(OK);
        expect(await c.call(['HSET', 'h0', 'x', 'y'])).to.equal("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
        expect(await c.call(['HINCRBY', 'h0', 'n', '1'])).to.equal("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
        expect(await c.call(['HLEN', 'h0'])).to.equal(':51\r\n');
        expect(await c.call(['HDEL', 'h0', 'one-more'])).to.equal(':1\r\n');
      } finally {
        expect(await c.call(['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction'])).to.equal(OK);
        c.close();
      }
    });

    it('the test handle shows a hash; TYPE, EXPIRE, lazy expiry and RENAME carry it', async () => {
      const c = await RespConn.connect(srv.port);
      const e = Buffer.from('é', 'utf8').latin1Slice(); // the UTF-8 bytes, as a client sends them
      await c.call(['HSET', 'h', 'b', '2', 'a', e]);
      expect(srv.get('h')).to.deep.equal({ type: 'hash', value: { b: '2', a: 'é' } });
      expect(await c.call(['TYPE', 'h'])).to.equal('+hash\r\n');
      expect(await c.call(['SCAN', '0', 'TYPE', 'hash'])).to.equal(`*2\r\n${bulk('0')}${arr('h')}`);
      expect(await c.call(['RENAME', 'h', 'g'])).to.equal(OK);
      expect(await c.call(['HGETALL', 'g'])).to.equal(arr('b', '2', 'a', e));
      expect(await c.call(['PEXPIRE', 'g', '100'])).to.equal(':1\r\n');
      srv.clock.advance(101);
      expect(await c.call(['HLEN', 'g'])).to.equal(':0\r\n');
      expect(await c.call(['HSET', 'g', 'x', 'y'])).to.equal(':1\r\n');
      expect(await c.call(['TTL', 'g'])).to.equal(':-1\r\n');
      expect(srv.dump()).to.deep.equal({ 0: { g: { value: { type: 'hash', value: { x: 'y' } }, ttl: null } } });
      c.close();
    });
  });

  describe('through real clients', () => {
    let srv: ServerHandle;
    before(async () => { srv = await startServer({ port: 0 }); });
    after(async () => { await srv.close(); });
    beforeEach(() => srv.flushAll());

    for (const protocol of [2, 3] as const) {
      it(`ioredis, RESP${protocol}: hset/hgetall/hmget/hincrby(float)/hdel/hrandfield/hscanStream`, async () => {
        const r = new Redis(srv.url, { protocol, lazyConnect: true, retryStrategy: () => null });
        await r.connect();
        try {
          expect(await r.hset('user:1', { name: 'ada', visits: '1' })).to.equal(2);
          expect(await r.hset('user:1', 'lang', 'en')).to.equal(1);
          expect(await r.hgetall('user:1')).to.deep.equal({ name: 'ada', visits: '1', lang: 'en' });
          expect(await r.hmget('user:1', 'name', 'nope')).to.deep.equal(['ada', null]);
          expect(await r.hincrby('user:1', 'visits', 41)).to.equal(42);
          expect(await r.hincrbyfloat('user:1', 'score', 1.5)).to.equal('1.5');
          expect(await r.hsetnx('user:1', 'name', 'bob')).to.equal(0);
          expect(await r.hkeys('user:1')).to.deep.equal(['name', 'visits', 'lang', 'score']);
          expect(await r.hvals('user:1')).to.deep.equal(['ada', '42', 'en', '1.5']);
          expect(await r.hlen('user:1')).to.equal(4);
          expect(await r.hexists('user:1', 'lang')).to.equal(1);
          expect(await r.hstrlen('user:1', 'name')).to.equal(3);
          expect(await r.hmset('user:2', { a: '1' })).to.equal('OK');
          const pick = await r.hrandfield('user:1', 2, 'WITHVALUES');
          // ioredis flattens RESP3's [field, value] pairs.
          expect(pick).to.have.length(4);
          expect(['lang', 'name', 'score', 'visits']).to.include.members([pick![0], pick![2]]);
          const fields: string[] = [];
          await new Promise<void>((resolve, reject) => {
            const s = r.hscanStream('user:1', { count: 2 });
            s.on('data', (chunk: string[]) => { for (let i = 0; i < chunk.length; i += 2) fields.push(chunk[i]!); });
            s.on('end', resolve);
            s.on('error', reject);
          });
          expect(fields.sort()).to.deep.equal(['lang', 'name', 'score', 'visits']);
          expect(await r.hdel('user:1', 'name', 'visits', 'lang', 'score')).to.equal(4);
          expect(await r.exists('user:1')).to.equal(0);
          await r.set('str', 'v');
          let err: unknown = null;
          try { await r.hget('str', 'f'); } catch (e) { err = e; }
          expect((err as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
        } finally {
          r.disconnect();
        }
      });

      it(`node-redis, RESP${protocol}: hSet/hGetAll (a Map with RESP3 type mapping)/hIncrByFloat/hRandFieldCountWithValues/hScan`, async () => {
        const client = createClient({ url: srv.url, RESP: protocol });
        client.on('error', () => {});
        await client.connect();
        try {
          expect(await client.hSet('h', { a: '1', b: '2' })).to.equal(2);
          expect(await client.hGet('h', 'a')).to.equal('1');
          expect(await client.hIncrBy('h', 'a', 5)).to.equal(6);
          expect(await client.hIncrByFloat('h', 'f', 0.25)).to.equal('0.25');
          expect(await client.hmGet('h', ['a', 'zz'])).to.deep.equal(['6', null]);
          expect({ ...(await client.hGetAll('h')) }).to.deep.equal({ a: '6', b: '2', f: '0.25' });
          if (protocol === 3) {
            const typed = client.withTypeMapping({ [RESP_TYPES.MAP]: Map });
            const m = await typed.hGetAll('h');
            expect(m).to.be.instanceOf(Map);
            expect([...(m as unknown as Map<string, string>).entries()]).to.deep.equal([['a', '6'], ['b', '2'], ['f', '0.25']]);
          }
          const picks = await client.hRandFieldCountWithValues('h', 3);
          expect(picks.map((p) => p.field).sort()).to.deep.equal(['a', 'b', 'f']);
          for (const p of picks) expect(p.value).to.equal({ a: '6', b: '2', f: '0.25' }[p.field as 'a' | 'b' | 'f']);
          const scan = await client.hScan('h', '0');
          expect(scan.cursor).to.equal('0');
          expect(scan.entries.map((e) => e.field)).to.deep.equal(['a', 'b', 'f']);
          expect(await client.hDel('h', ['a', 'b', 'f'])).to.equal(3);
          expect(await client.exists('h')).to.equal(0);
        } finally {
          client.destroy();
        }
      });
    }
  });
});
