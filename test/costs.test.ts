/**
 * "No single request can stall the server": one test per row of the README's
 * table of unbounded costs (Security section). cachette runs as a child
 * process (bin/cachette.js) next to a real redis-server 7.0; each row sends
 * the costly request to both, checks cachette's reply against Redis's (and
 * the exact text where there is one), and checks that a bystander client's
 * PINGs were answered the whole time (worst latency under a generous bound,
 * so that a stall fails the row instead of hanging it). After the rows,
 * SIGTERM must still stop the child cleanly (exit 0, promptly).
 *
 * Where Redis itself is O(N) (KEYS, SCAN with a huge COUNT, FLUSHALL, MSET and
 * DEL over many keys), the rows check that cachette invents no limit.
 */

import { expect } from 'chai';
import { startRedis, type RealRedis } from './diff/servers.js';
import { RespConn, runStream } from './diff/conn.js';
import { PingWatch, startChild, type Child } from './costs/child.js';

/** Worst PING wait allowed during one row (the machine is shared and slow; a stall is unbounded). */
const PING_BOUND_MS = 1000;
const A40 = 'a'.repeat(40);
const NESTED = 'a*'.repeat(20) + 'b'; // the pattern
const NESTED_MATCH = 'a*'.repeat(20).slice(0, -1); // matches A40
const TOO_BIG = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';

/** The bulk strings of an array reply (nested arrays walked too), sorted: for replies in hash order. */
function sortedBulks(reply: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < reply.length) {
    const cr = reply.indexOf('\r\n', i);
    if (reply[i] === '$') {
      const n = Number(reply.slice(i + 1, cr));
      if (n >= 0) { out.push(reply.slice(cr + 2, cr + 2 + n)); i = cr + 2 + n + 2; continue; }
    }
    i = cr + 2;
  }
  return out.sort();
}

describe('no single request can stall the server (README: Security, unbounded costs)', function () {
  this.timeout(120_000);
  let redis: RealRedis;
  let child: Child;
  let r: RespConn;
  let c: RespConn;

  before(async () => {
    redis = await startRedis();
    child = await startChild(['--loglevel', 'warning']);
    r = await RespConn.connect(redis.port);
    c = await RespConn.connect(child.port);
  });
  after(async () => {
    r?.close();
    c?.close();
    await child?.kill();
    await redis?.stop();
  });
  /**
   * One row: both servers flushed, then `body` runs while a bystander PINGs
   * cachette; the row fails if a PING waited longer than the bound (or got a
   * wrong reply), even when the replies were right.
   */
  const row = (title: string, body: () => Promise<void>): void => {
    it(title, async () => {
      for (const conn of [r, c]) expect(await conn.call(['FLUSHALL'])).to.equal('+OK\r\n');
      const watch = await PingWatch.start(child.port);
      let worst: number;
      try {
        await body();
      } finally {
        worst = await watch.stop();
      }
      if (process.env['COSTS_VERBOSE']) console.log(`      bystander: ${watch.pings} PINGs, worst ${worst.toFixed(1)} ms`);
      expect(watch.wrong, 'bystander got a wrong reply').to.equal(0);
      expect(watch.pings, 'bystander PINGs answered').to.be.above(0);
      expect(worst, "bystander's worst PING latency (ms)").to.be.below(PING_BOUND_MS);
    });
  };

  /** Runs a command on both servers and returns the two replies. */
  const both = async (cmd: string[], timeoutMs = 20_000): Promise<[string, string]> =>
    Promise.all([r.call(cmd, timeoutMs), c.call(cmd, timeoutMs)]);
  /** Runs a command on both and expects cachette's reply to be Redis's, byte for byte. */
  const same = async (cmd: string[]): Promise<string> => {
    const [a, b] = await both(cmd);
    expect(b, cmd.join(' ').slice(0, 100)).to.equal(a);
    return b;
  };

  describe('glob patterns (src/glob.ts: O(n·m), no recursion)', () => {
    row("KEYS: the issue's nested-star pattern over a 40-byte key answers an empty array at once", async () => {
      for (const conn of [r, c]) expect(await conn.call(['SET', A40, '1'])).to.equal('+OK\r\n');
      expect(await same(['KEYS', NESTED])).to.equal('*0\r\n');
      expect(await same(['KEYS', NESTED_MATCH])).to.equal(`*1\r\n$40\r\n${A40}\r\n`);
    });

    row('SCAN MATCH with the nested-star pattern', async () => {
      for (const conn of [r, c]) expect(await conn.call(['SET', A40, '1'])).to.equal('+OK\r\n');
      expect(await same(['SCAN', '0', 'MATCH', NESTED, 'COUNT', '100'])).to.equal('*2\r\n$1\r\n0\r\n*0\r\n');
      expect(await same(['SCAN', '0', 'MATCH', NESTED_MATCH])).to.equal(`*2\r\n$1\r\n0\r\n*1\r\n$40\r\n${A40}\r\n`);
    });

    row('PSUBSCRIBE with nested-star patterns, then PUBLISH to a 40-byte channel: every pattern runs, at once', async () => {
      for (const port of [redis.port, child.port]) {
        const sub = await RespConn.connect(port);
        const pub = await RespConn.connect(port);
        expect(await sub.call(['PSUBSCRIBE', NESTED])).to.equal(`*3\r\n$10\r\npsubscribe\r\n$${NESTED.length}\r\n${NESTED}\r\n:1\r\n`);
        expect(await sub.call(['PSUBSCRIBE', NESTED_MATCH])).to.equal(`*3\r\n$10\r\npsubscribe\r\n$${NESTED_MATCH.length}\r\n${NESTED_MATCH}\r\n:2\r\n`);
        expect(await pub.call(['PUBLISH', A40, 'hi'])).to.equal(':1\r\n');
        expect(await sub.read()).to.equal(`*4\r\n$8\r\npmessage\r\n$${NESTED_MATCH.length}\r\n${NESTED_MATCH}\r\n$40\r\n${A40}\r\n$2\r\nhi\r\n`);
        expect(await pub.call(['PUBLISH', A40 + 'c', 'hi'])).to.equal(':0\r\n');
        sub.close();
        pub.close();
      }
    });

    row('PUBSUB CHANNELS with the nested-star pattern over a subscribed 40-byte channel', async () => {
      const subs = await Promise.all([redis.port, child.port].map((p) => RespConn.connect(p)));
      for (const s of subs) expect(await s.call(['SUBSCRIBE', A40])).to.equal(`*3\r\n$9\r\nsubscribe\r\n$40\r\n${A40}\r\n:1\r\n`);
      expect(await same(['PUBSUB', 'CHANNELS', NESTED])).to.equal('*0\r\n');
      expect(await same(['PUBSUB', 'CHANNELS', NESTED_MATCH])).to.equal(`*1\r\n$40\r\n${A40}\r\n`);
      for (const s of subs) s.close();
    });

    row('CONFIG GET and COMMAND LIST FILTERBY PATTERN with nested stars (case-folding matcher)', async () => {
      const none = ['*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*e*q', '*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*'];
      for (const pattern of none) {
        expect(await same(['CONFIG', 'GET', pattern])).to.equal('*0\r\n');
        expect(await same(['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', pattern])).to.equal('*0\r\n');
      }
      // Redis has one more maxmemory-* parameter (maxmemory-clients); the four cachette has are in both replies.
      const [a, b] = await both(['CONFIG', 'GET', '*M*A*X*M*E*M*O*R*Y*']);
      const names = (s: string): string[] => sortedBulks(s).filter((n) => n.startsWith('maxmemory'));
      expect(names(b)).to.deep.equal(['maxmemory', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
      expect(names(a)).to.include.members(names(b));
    });

    row('a long pattern against a long key: 500 star groups over 10,000 bytes', async () => {
      const key = 'a'.repeat(10_000);
      for (const conn of [r, c]) expect(await conn.call(['SET', key, '1'])).to.equal('+OK\r\n');
      expect(await same(['KEYS', '*a'.repeat(500) + 'b'])).to.equal('*0\r\n');
      expect(await same(['KEYS', '*a'.repeat(500)])).to.equal(`*1\r\n$10000\r\n${key}\r\n`);
    });
  });

  describe('strings', () => {
    row('SETRANGE and APPEND past proto-max-bulk-len: Redis\'s error, nothing allocated', async () => {
      expect(await same(['SETRANGE', 'k', '536870912', 'x'])).to.equal(TOO_BIG);
      expect(await same(['SETRANGE', 'k', '9223372036854775807', 'x'])).to.equal(TOO_BIG);
      expect(await same(['EXISTS', 'k'])).to.equal(':0\r\n');
      for (const conn of [r, c]) expect(await conn.call(['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'])).to.equal('+OK\r\n');
      try {
        expect(await same(['SET', 'm', 'x'.repeat(1048575)])).to.equal('+OK\r\n');
        expect(await same(['APPEND', 'm', 'x'])).to.equal(':1048576\r\n');
        expect(await same(['APPEND', 'm', 'y'])).to.equal(TOO_BIG);
        expect(await same(['SETRANGE', 'm', '1048575', 'zz'])).to.equal(TOO_BIG);
        expect(await same(['STRLEN', 'm'])).to.equal(':1048576\r\n');
      } finally {
        for (const conn of [r, c]) expect(await conn.call(['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'])).to.equal('+OK\r\n');
      }
    });

    row('GETRANGE and SUBSTR with int64 extremes: clamped, the cost is the reply', async () => {
      expect(await same(['SET', 's', 'hello'])).to.equal('+OK\r\n');
      expect(await same(['GETRANGE', 's', '-9223372036854775808', '9223372036854775807'])).to.equal('$5\r\nhello\r\n');
      expect(await same(['SUBSTR', 's', '9223372036854775807', '-9223372036854775808'])).to.equal('$0\r\n\r\n');
      expect(await same(['GETRANGE', 's', '-9223372036854775808', '-9223372036854775808'])).to.equal('$1\r\nh\r\n');
    });

    row('INCRBYFLOAT: inputs of 5120 bytes or more are not floats (strtold buffer); the largest value prints in full, as Redis', async () => {
      const NOT_FLOAT = '-ERR value is not a valid float\r\n';
      expect(await same(['INCRBYFLOAT', 'f', '1'.repeat(5120)])).to.equal(NOT_FLOAT);
      expect(await same(['INCRBYFLOAT', 'f', '0.' + '0'.repeat(1_000_000) + '1'])).to.equal(NOT_FLOAT);
      expect(await same(['SET', 'd', '1'.repeat(1_000_000)])).to.equal('+OK\r\n');
      expect(await same(['INCRBYFLOAT', 'd', '1'])).to.equal(NOT_FLOAT);
      expect(await same(['INCR', 'd'])).to.equal('-ERR value is not an integer or out of range\r\n');
      const big = await same(['INCRBYFLOAT', 'f', '1.18973149535723176502e+4932']);
      expect(big.length).to.be.above(4900);
      expect(await same(['INCRBYFLOAT', 'f', '1e4932'])).to.equal('-ERR increment would produce NaN or Infinity\r\n');
      await same(['INCRBYFLOAT', 'g', '3.6e-4951']);
    });
  });

  describe('keys', () => {
    row('SCAN COUNT 9223372036854775807: the whole keyspace in one call, as Redis (O(N), no invented limit)', async () => {
      const keys = Array.from({ length: 5000 }, (_v, i) => `key:${i}`);
      expect(await same(['MSET', ...keys.flatMap((k) => [k, '1'])])).to.equal('+OK\r\n');
      const [a, b] = await both(['SCAN', '0', 'COUNT', '9223372036854775807']);
      expect(b.startsWith('*2\r\n$1\r\n0\r\n*5000\r\n')).to.equal(true);
      expect(sortedBulks(b)).to.deep.equal(sortedBulks(a));
    });

    row('a SCAN cursor of ten million digits: one linear parse (leading zeros are fine, 21 significant digits are not)', async () => {
      const [a, b] = await both(['SCAN', '0'.repeat(10_000_000)]);
      expect(b).to.equal(a);
      expect(b).to.equal('*2\r\n$1\r\n0\r\n*0\r\n');
      expect(await same(['SCAN', '7'.repeat(10_000_000)])).to.equal('-ERR invalid cursor\r\n');
      expect(await same(['SCAN', '-' + '0'.repeat(999_999) + '1'.repeat(21)])).to.equal('-ERR invalid cursor\r\n');
    });

    row('long argument lists: MSET, MGET, EXISTS, DEL over 50,000 keys; KEYS * and FLUSHALL are O(N) as in Redis', async () => {
      const n = 50_000;
      const keys = Array.from({ length: n }, (_v, i) => `k${i}`);
      expect(await same(['MSET', ...keys.flatMap((k) => [k, 'v'])])).to.equal('+OK\r\n');
      const [ga, gb] = await both(['MGET', ...keys]);
      expect(gb).to.equal(ga);
      expect(await same(['EXISTS', ...keys])).to.equal(`:${n}\r\n`);
      const [ka, kb] = await both(['KEYS', '*']);
      expect(sortedBulks(kb)).to.deep.equal(sortedBulks(ka));
      expect(await same(['DEL', ...keys.slice(0, n / 2)])).to.equal(`:${n / 2}\r\n`);
      expect(await same(['FLUSHALL'])).to.equal('+OK\r\n');
      expect(await same(['DBSIZE'])).to.equal(':0\r\n');
    });
  });

  describe('hashes', () => {
    row('HRANDFIELD: Redis\'s count range checks; a negative count that can never be served is cut by the output limit, as in Redis', async () => {
      expect(await same(['HSET', 'h', 'a', '1', 'b', '2'])).to.equal(':2\r\n');
      expect(await same(['HRANDFIELD', 'h', '-9223372036854775808'])).to.equal('-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
      expect(await same(['HRANDFIELD', 'h', '9223372036854775808'])).to.equal('-ERR value is not an integer or out of range\r\n');
      expect(await same(['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'])).to.equal('-ERR value is out of range\r\n');
      // A huge positive count is the whole hash (in listpack order): the cost is the hash.
      expect(await same(['HRANDFIELD', 'h', '9223372036854775807'])).to.equal('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
      expect(await same(['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'])).to.equal('*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
      for (const port of [redis.port, child.port]) {
        const admin = await RespConn.connect(port);
        const x = await RespConn.connect(port);
        expect(await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0'])).to.equal('+OK\r\n');
        try {
          expect(await x.call(['HRANDFIELD', 'h', '-9223372036854775807', 'WITHVALUES'])).to.equal('-ERR value is out of range\r\n');
          expect(await x.call(['HRANDFIELD', 'h', '-9223372036854775807'], 20_000)).to.equal('<closed>');
          expect(await admin.call(['HLEN', 'h'])).to.equal(':2\r\n');
        } finally {
          expect(await admin.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'])).to.equal('+OK\r\n');
          admin.close();
          x.close();
        }
      }
    });

    row('100,000 fields: HSCAN COUNT 9223372036854775807, HGETALL, HRANDFIELD of most or few fields, HDEL of half: O(N) in one call, as Redis', async () => {
      const n = 100_000;
      for (let from = 0; from < n; from += 20_000) {
        const args: string[] = [];
        for (let i = from; i < from + 20_000; i++) args.push(`field:${i}`, `${i}`);
        expect(await same(['HSET', 'h', ...args])).to.equal(':20000\r\n');
      }
      const [sa, sb] = await both(['HSCAN', 'h', '0', 'COUNT', '9223372036854775807']);
      expect(sb.startsWith(`*2\r\n$1\r\n0\r\n*${2 * n}\r\n`)).to.equal(true);
      expect(sortedBulks(sb)).to.deep.equal(sortedBulks(sa));
      const [ga, gb] = await both(['HGETALL', 'h']);
      expect(sortedBulks(gb)).to.deep.equal(sortedBulks(ga));
      // 60,000 of 100,000: removal from a copy (case 3); 20,000: distinct random picks (case 4); -100,000: with repeats (case 1).
      for (const count of ['60000', '20000', '-100000']) {
        const [ra, rb] = await both(['HRANDFIELD', 'h', count]);
        const fa = sortedBulks(ra);
        const fb = sortedBulks(rb);
        expect(fb.length).to.equal(fa.length);
        expect(fb.length).to.equal(Math.abs(Number(count)));
        if (Number(count) > 0) expect(new Set(fb).size).to.equal(fb.length);
      }
      expect(await same(['HDEL', 'h', ...Array.from({ length: n / 2 }, (_v, i) => `field:${2 * i}`)])).to.equal(`:${n / 2}\r\n`);
      expect(await same(['HLEN', 'h'])).to.equal(`:${n / 2}\r\n`);
    });

    row('a 20,000-field listpack (hash-max-listpack-entries raised): HDEL of every field, front to back, in one call', async () => {
      for (const conn of [r, c]) expect(await conn.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '1000000'])).to.equal('+OK\r\n');
      try {
        const n = 20_000;
        const args: string[] = [];
        for (let i = 0; i < n; i++) args.push(`field:${i}`, `${i}`);
        // Redis's lpFind makes this HSET O(n^2) (about 3 s); cachette's field index keeps it linear.
        expect(await same(['HSET', 'h', ...args])).to.equal(`:${n}\r\n`);
        expect(await same(['OBJECT', 'ENCODING', 'h'])).to.equal('$8\r\nlistpack\r\n');
        expect(await same(['HDEL', 'h', ...Array.from({ length: n - 1 }, (_v, i) => `field:${i}`)])).to.equal(`:${n - 1}\r\n`);
        expect(await same(['HGETALL', 'h'])).to.equal('*2\r\n$11\r\nfield:19999\r\n$5\r\n19999\r\n');
      } finally {
        for (const conn of [r, c]) expect(await conn.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '512'])).to.equal('+OK\r\n');
      }
    });

    row('HSCAN with a ten-million-digit cursor and nested-star MATCH; HINCRBYFLOAT with a 5120-byte increment: the shared parsers\' bounds', async () => {
      expect(await same(['HSET', 'h', A40, '1'])).to.equal(':1\r\n');
      expect(await same(['HSCAN', 'h', '7'.repeat(10_000_000)])).to.equal('-ERR invalid cursor\r\n');
      expect(await same(['HSCAN', 'h', '0'.repeat(10_000_000), 'MATCH', NESTED])).to.equal('*2\r\n$1\r\n0\r\n*0\r\n');
      expect(await same(['HSCAN', 'h', '0', 'MATCH', NESTED_MATCH])).to.equal(`*2\r\n$1\r\n0\r\n*2\r\n$40\r\n${A40}\r\n$1\r\n1\r\n`);
      expect(await same(['HINCRBYFLOAT', 'h', 'f', '1'.repeat(5120)])).to.equal('-ERR value is not a valid float\r\n');
      expect(await same(['HINCRBYFLOAT', 'h', 'f', '0.' + '0'.repeat(1_000_000) + '1'])).to.equal('-ERR value is not a valid float\r\n');
      expect(await same(['HSET', 'h', 'd', '1'.repeat(1_000_000)])).to.equal(':1\r\n');
      expect(await same(['HINCRBYFLOAT', 'h', 'd', '1'])).to.equal('-ERR hash value is not a float\r\n');
      expect(await same(['HINCRBY', 'h', 'd', '1'])).to.equal('-ERR hash value is not an integer\r\n');
    });
  });

  describe('connection and server', () => {
    row('an error text quoting an argument with a million newlines: trimmed and mapped in linear time, as Redis', async () => {
      const arg = '\r\n' + 'x' + '\n'.repeat(1_000_000) + 'y\r\n';
      const reply = await same(['CLIENT', 'KILL', 'TYPE', arg]);
      expect(reply.length).to.equal("-ERR Unknown client type ''\r\n".length + arg.length);
      expect(reply.startsWith("-ERR Unknown client type '  x   ")).to.equal(true);
    });

    row('CONFIG SET with a ten-million-digit memory value or soft_seconds: Redis\'s errors, one linear parse', async () => {
      expect(await same(['CONFIG', 'SET', 'maxmemory', '1'.repeat(10_000_000)])).to.equal(
        "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n");
      expect(await same(['CONFIG', 'SET', 'maxmemory', '0'.repeat(126) + '5'])).to.equal('+OK\r\n'); // 127 digits: fine
      expect(await same(['CONFIG', 'SET', 'maxmemory', '0'.repeat(127) + '5'])).to.match(/^-ERR CONFIG SET failed/); // 128: refused
      expect(await same(['CONFIG', 'SET', 'maxmemory', '0'])).to.equal('+OK\r\n');
      expect(await same(['CONFIG', 'SET', 'client-output-buffer-limit', `normal 0 0 ${'9'.repeat(10_000_000)}`])).to.equal(
        "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.\r\n");
      expect(await same(['CONFIG', 'SET', 'client-output-buffer-limit', `normal 0 0 ${'0'.repeat(10_000_000)}7`])).to.equal('+OK\r\n');
      expect(await same(['CONFIG', 'GET', 'client-output-buffer-limit'])).to.include('normal 0 0 7 ');
      // The rest of Redis's parse: (int)strtoll keeps the low 32 bits, a sign is fine, a NUL ends the word,
      // every single space splits (so two make an empty word), and hard/soft go up to 2^64-1.
      for (const v of ['normal 0 0 4294967301', 'normal 0 0 2147483648', 'normal 0 0 +7', 'normal 0 0 5\x00x', 'normal  0 0 0',
        'normal 18446744073709551615 99999999999999999999 0']) {
        await same(['CONFIG', 'SET', 'client-output-buffer-limit', v]);
        await same(['CONFIG', 'GET', 'client-output-buffer-limit']);
      }
      expect(await same(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'])).to.equal('+OK\r\n');
    });

    row('CLIENT LIST ID with 20,000 ids: one line per id given (repeats included), as Redis', async () => {
      const [ia, ib] = await both(['CLIENT', 'ID']);
      const ids = (reply: string): string[] => Array.from({ length: 20_000 }, () => reply.slice(1, -2));
      const [la, lb] = await Promise.all([r.call(['CLIENT', 'LIST', 'ID', ...ids(ia)]), c.call(['CLIENT', 'LIST', 'ID', ...ids(ib)])]);
      const lines = (s: string): number => s.split('\n').filter((l) => l.startsWith('id=')).length;
      expect(lines(lb)).to.equal(lines(la));
      expect(lines(lb)).to.equal(20_000);
    });

    row('SUBSCRIBE to 50,000 channels at once, then UNSUBSCRIBE from all: linear, as Redis', async () => {
      const names = Array.from({ length: 50_000 }, (_v, i) => `ch${i}`);
      for (const [port, conn] of [[redis.port, r], [child.port, c]] as const) {
        const s = await RespConn.connect(port);
        const first = await s.call(['SUBSCRIBE', ...names]);
        expect(first).to.equal('*3\r\n$9\r\nsubscribe\r\n$3\r\nch0\r\n:1\r\n');
        let last = first;
        for (let i = 1; i < names.length; i++) last = await s.read();
        expect(last).to.equal(`*3\r\n$9\r\nsubscribe\r\n$7\r\nch49999\r\n:50000\r\n`);
        expect(await conn.call(['PUBSUB', 'NUMSUB', 'ch123'])).to.equal('*2\r\n$5\r\nch123\r\n:1\r\n');
        expect(await s.call(['UNSUBSCRIBE'])).to.match(/^\*3\r\n\$11\r\nunsubscribe\r\n\$\d+\r\nch\d+\r\n:49999\r\n$/);
        for (let i = 1; i < names.length; i++) last = await s.read();
        expect(last).to.match(/:0\r\n$/);
        expect(await conn.call(['PUBSUB', 'NUMSUB', 'ch123'])).to.equal('*2\r\n$5\r\nch123\r\n:0\r\n');
        s.close();
      }
    });
  });

  describe('streams (src/types/stream.ts)', () => {
    // Every ID here has sequence 0, as `XADD *` gives them. V8 hashes a BigInt
    // by its low 64 bits only, so pending-entries maps keyed by raw IDs put all
    // of these in one hash chain: reading 100,000 into a group took 4 minutes.
    row('a 50,000-entry pending list of <ms>-0 IDs: XREADGROUP, XCLAIM (ascending, then descending) and XACK of all of it in one call each, as in Redis', async () => {
      const n = 50_000;
      const ids = Array.from({ length: n }, (_v, i) => `${i + 1}-0`);
      const adds = ids.map((id) => ['XADD', 's', id, 'f', 'v']);
      const [fa, fb] = await Promise.all([runStream(redis.port, adds), runStream(child.port, adds)]);
      expect(fb).to.equal(fa);
      expect(await same(['XGROUP', 'CREATE', 's', 'g', '0'])).to.equal('+OK\r\n');
      const read = await same(['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', String(n), 'STREAMS', 's', '>']);
      expect(read.startsWith('*1\r\n*2\r\n$1\r\ns\r\n*50000\r\n*2\r\n$3\r\n1-0\r\n')).to.equal(true);
      expect(await same(['XPENDING', 's', 'g'])).to.equal(`*4\r\n:${n}\r\n$3\r\n1-0\r\n$7\r\n${n}-0\r\n*1\r\n*2\r\n$2\r\nc1\r\n$5\r\n${n}\r\n`);
      const half = ids.filter((_v, i) => i % 2 === 1);
      const claimed = await same(['XCLAIM', 's', 'g', 'c2', '0', ...half, 'JUSTID']);
      expect(claimed.startsWith(`*${half.length}\r\n$3\r\n2-0\r\n`)).to.equal(true);
      expect(await same(['XPENDING', 's', 'g'])).to.equal(
        `*4\r\n:${n}\r\n$3\r\n1-0\r\n$7\r\n${n}-0\r\n*2\r\n*2\r\n$2\r\nc1\r\n$5\r\n${n / 2}\r\n*2\r\n$2\r\nc2\r\n$5\r\n${n / 2}\r\n`);
      // Claimed in descending order, into a consumer holding later IDs: each lands before the rest
      // (a single sorted array made 100,000 of these take 5.9 s).
      const desc = [...ids].reverse();
      const all = await same(['XCLAIM', 's', 'g', 'c3', '0', ...desc, 'JUSTID']);
      expect(all.startsWith(`*${n}\r\n$7\r\n${n}-0\r\n`)).to.equal(true);
      // The idle times (ms since the claim) may differ by one between the servers: matched, not compared.
      for (const reply of await both(['XPENDING', 's', 'g', '-', '+', '3', 'c3'])) {
        expect(reply).to.match(/^\*3\r\n\*4\r\n\$3\r\n1-0\r\n\$2\r\nc3\r\n:\d+\r\n:1\r\n\*4\r\n\$3\r\n2-0\r\n/);
      }
      expect(await same(['XACK', 's', 'g', ...ids])).to.equal(`:${n}\r\n`);
      expect(await same(['XPENDING', 's', 'g'])).to.equal('*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n');
    });
  });

  describe('cachette only: DEBUG JUMP', () => {
    let jumper: Child;
    before(async () => { jumper = await startChild(['--loglevel', 'warning', '--enable-debug-jump', 'yes', '--maxmemory', '100mb']); });
    after(async () => { await jumper?.kill(); });

    it('DEBUG JUMP of int64 milliseconds over keys with far and spread TTLs, under maxmemory: replays only the ticks that matter', async () => {
      const j = await RespConn.connect(jumper.port);
      const by = await PingWatch.start(jumper.port);
      expect(await j.call(['SET', 'far', 'v', 'PXAT', '99999999999999'])).to.equal('+OK\r\n');
      for (let i = 1; i <= 1000; i++) expect(await j.call(['SET', `t${i}`, 'v', 'PX', String(i * 1_000_000)])).to.equal('+OK\r\n');
      expect(await j.call(['DEBUG', 'JUMP', '31536000000000'], 30_000)).to.equal('+OK\r\n'); // a thousand years
      expect(await j.call(['DBSIZE'])).to.equal(':1\r\n'); // only 'far' (year 5138) is left
      expect(await j.call(['DEBUG', 'JUMP', '9223372036854775807'], 30_000)).to.equal('+OK\r\n');
      expect(await j.call(['DBSIZE'])).to.equal(':0\r\n');
      const worst = await by.stop();
      expect(worst).to.be.below(PING_BOUND_MS);
      j.close();
    });
  });

  describe('after all of the above', () => {
    it('SIGTERM still stops the server cleanly: exit code 0, promptly', async () => {
      expect(child.exitCode()).to.equal(null);
      child.proc.kill('SIGTERM');
      expect(await child.waitExit(5000)).to.equal(0);
      expect(child.log()).to.include('Received SIGTERM scheduling shutdown...');
      expect(child.log()).to.include('ready to exit, bye bye...');
    });
  });
});
