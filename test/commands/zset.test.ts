/**
 * Sorted-set commands (src/commands/zset.ts).
 *
 *  1. Byte for byte against a real redis-server 7.0 (withPair), in RESP2 and
 *     RESP3: every command and option, every error text and the order of
 *     the checks that produce them, missing keys and WRONGTYPE, score
 *     parsing and formatting, the encodings (OBJECT ENCODING) at the
 *     conversion points and for the values the STORE commands create,
 *     keyspace events (and their order), WATCH being touched only by real
 *     changes, keyspace hits/misses (read versus write lookups), ZSCAN, and
 *     sets (SADD on Redis, the same SetValue placed in cachette's keyspace)
 *     as inputs of ZUNION/ZINTER/ZDIFF. A few replies are also asserted
 *     literally, so the tests say what Redis does.
 *  2. cachette alone: ZRANDMEMBER's rules (distinct members for a positive
 *     count, repeats for a negative one, the PRNG seed makes replies repeat),
 *     used_memory and MEMORY USAGE following the values.
 *  3. Through real clients: ioredis and node-redis (RESP2, and RESP3's typed
 *     doubles and nested pairs).
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { SetValue, SET_DEFAULT_LIMITS } from '../../src/types/set.js';
import { ZSetValue } from '../../src/types/zset.js';
import { withPair } from '../diff/servers.js';
import { RespConn } from '../diff/conn.js';
import { seededRandom } from '../../src/random.js';

type Cmd = string | string[];
const words = (c: Cmd): string[] => (typeof c === 'string' ? c.split(' ') : c);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const NIL = { 2: '$-1\r\n', 3: '_\r\n' } as const;
const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;


/** ZADD commands for `n` members m0.. with scores from `score(i)`, in chunks. */
function zaddMany(key: string, n: number, score: (i: number) => string, member: (i: number) => string = (i) => `m${i}`): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i += 100) {
    const args = ['ZADD', key];
    for (let j = i; j < Math.min(n, i + 100); j++) args.push(score(j), member(j));
    out.push(args);
  }
  return out;
}

describe('sorted sets, byte for byte against Redis', function () {
  this.timeout(60_000);
  const pair = withPair();

  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      const a = await RespConn.connect(port);
      for (const cmd of [['FLUSHALL'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64',
        'notify-keyspace-events', '', 'client-output-buffer-limit', 'normal 0 0 0']]) {
        expect(await a.call(cmd)).to.equal('+OK\r\n');
      }
      a.close();
    }
  });

  /**
   * Runs the commands on both servers, one connection each (RESP `proto`),
   * and expects every reply to be the same bytes. Returns the replies.
   */
  async function same(cmds: Cmd[], proto: 2 | 3 = 2): Promise<string[]> {
    const [rc, cc] = await Promise.all([RespConn.connect(pair.redis.port), RespConn.connect(pair.cachette.port)]);
    const out: string[] = [];
    try {
      if (proto === 3) {
        await rc.call(['HELLO', '3']);
        await cc.call(['HELLO', '3']);
      }
      for (const cmd of cmds) {
        const args = words(cmd);
        const want = await rc.call(args);
        const got = await cc.call(args);
        expect(got, `${JSON.stringify(args)} (RESP${proto})`).to.equal(want);
        out.push(got);
      }
    } finally {
      rc.close();
      cc.close();
    }
    return out;
  }

  /** Both protocols: the same script, from a flushed keyspace each time. */
  async function sameBoth(cmds: Cmd[]): Promise<{ 2: string[]; 3: string[] }> {
    const r2 = await same(['FLUSHALL', ...cmds], 2);
    const r3 = await same(['FLUSHALL', ...cmds], 3);
    return { 2: r2.slice(1), 3: r3.slice(1) };
  }

  describe('ZADD and ZINCRBY', () => {
    it('adds, updates, CH, NX/XX/GT/LT, and replies 0/1 counts; options in any case and order', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c', 'ZADD z 1 a', 'ZADD z 5 a', 'ZADD z CH 5 a 6 b 7 d', 'ZADD z 1 a 2 a 3 a', 'ZADD z ch 1 a 2 a 3 a',
        'ZADD z NX 10 a 11 e', 'ZADD z XX 10 a 11 f', 'ZADD z XX CH 10 a 11 f', 'ZADD z GT CH 1 a 20 b 5 g', 'ZADD z LT CH 100 c 0 d',
        'ZADD z gT xX cH 30 b 0 c', 'ZADD z lt 1 new', 'ZRANGE z 0 -1 WITHSCORES', 'ZADD z Nx nX 1 nx', 'ZADD z 1 nx 2 xx 3 ch 4 incr',
        'ZADD z ch ch ch 5 nx', 'ZADD nokey XX 1 a', 'EXISTS nokey', 'ZADD nokey XX INCR 1 a', 'EXISTS nokey',
        'ZADD z 1.1 f 0x10 g inf h -inf i +inf j 1e308 k 5e-324 l -0 m 0 n', 'ZRANGE z 0 -1 WITHSCORES', 'ZSCORE z f',
      ]);
      expect(r[2].slice(0, 4)).to.deep.equal([':3\r\n', ':0\r\n', ':0\r\n', ':2\r\n']); // CH: b changed, d added (a was 5 already)
      expect(r[2][23]).to.equal(bulk('1.1000000000000001')); // %.17g
      expect(r[3][23]).to.equal(',1.1000000000000001\r\n');
      expect(r[2][18]).to.equal(':0\r\n'); // no key with XX: not created
    });

    it('errors: syntax, incompatible options (each text), INCR with several pairs, bad scores; checked in Redis\'s order', async () => {
      const r = await sameBoth([
        'ZADD z 1', 'ZADD z 1 a 2', 'ZADD z NX', 'ZADD z NX XX 1 a', 'ZADD z XX NX GT 1 a', 'ZADD z GT NX 1 a', 'ZADD z LT NX 1 a',
        'ZADD z GT LT 1 a', 'ZADD z GT LT XX 1 a', 'ZADD z INCR 1 a 2 b', 'ZADD z INCR NX XX 1 a 2 b', 'ZADD z NX XX 1', 'ZADD z abc a',
        'ZADD z 1 a nan b', 'ZADD z NaN a', 'ZADD z 1e400 a', 'ZADD z -1e400 a', 'ZADD z 1e-400 a', 'ZADD z "" a', ['ZADD', 'z', ' 1', 'a'],
        ['ZADD', 'z', '1 ', 'a'], ['ZADD', 'z', '1\0', 'a'], ['ZADD', 'z', '', 'a'], 'ZADD z 0x1p3 a', 'ZADD z infinity b', 'ZADD z -Infinity c',
        'ZADD z FOO 1 a', 'ZADD', 'ZADD z', 'ZADD z 1', 'EXISTS z', 'ZRANGE z 0 -1 WITHSCORES', 'SET s v', 'ZADD s 1 a', 'ZADD s abc a',
        'ZADD s XX NX 1 a', ['ZADD', 'z', 'NX\0junk', '5', 'a'], 'ZSCORE z a',
      ]);
      expect(r[2][3]).to.equal('-ERR XX and NX options at the same time are not compatible\r\n');
      expect(r[2][5]).to.equal('-ERR GT, LT, and/or NX options at the same time are not compatible\r\n');
      expect(r[2][9]).to.equal('-ERR INCR option supports a single increment-element pair\r\n');
      expect(r[2][12]).to.equal('-ERR value is not a valid float\r\n');
      expect(r[2][34]).to.equal('-ERR value is not a valid float\r\n'); // the scores are parsed before the type check
      expect(r[2][33]).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    });

    it('INCR and ZINCRBY: a double reply, nil when nothing is done (NX on an existing member, XX on a missing one, GT/LT refusing), NaN refused', async () => {
      const r = await sameBoth([
        'ZINCRBY z 1 a', 'ZINCRBY z 2.5 a', 'ZINCRBY z -0.1 a', 'ZADD z INCR 1 a', 'ZADD z INCR NX 1 a', 'ZADD z INCR XX 1 nosuch',
        'ZADD z INCR GT -1 a', 'ZADD z INCR GT 1 a', 'ZADD z INCR LT 1 a', 'ZADD z INCR LT -1 a', 'ZADD z INCR 0 a', 'ZINCRBY z 0 a',
        'ZINCRBY z inf a', 'ZINCRBY z -inf a', 'ZSCORE z a', 'ZINCRBY z inf a', 'ZINCRBY z abc a', 'ZINCRBY z nx a', 'ZINCRBY z 1 nx',
        'ZINCRBY z XX 1', 'ZINCRBY z incr a', 'ZINCRBY z 1 b c', 'ZINCRBY nokey', 'ZINCRBY z 1e308 big', 'ZINCRBY z 1e308 big', 'SET s v',
        'ZINCRBY s 1 a', 'ZRANGE z 0 -1 WITHSCORES',
      ]);
      expect(r[2][0]).to.equal(bulk('1'));
      expect(r[3][1]).to.equal(',3.5\r\n');
      expect(r[2][4]).to.equal(NIL[2]);
      expect(r[3][4]).to.equal(NIL[3]);
      expect(r[2][13]).to.equal('-ERR resulting score is not a number (NaN)\r\n');
      expect(r[2][17]).to.equal('-ERR syntax error\r\n'); // ZINCRBY parses ZADD's options: "nx" is one
      expect(r[3][24]).to.equal(',inf\r\n');
    });
  });

  describe('reads: ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT', () => {
    it('replies, missing keys and members, WRONGTYPE, arity (7.0 has no ZRANK ... WITHSCORE)', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 2 c 3 d -5 e', 'ZCARD z', 'ZCARD nokey', 'ZSCORE z c', 'ZSCORE z nosuch', 'ZSCORE nokey a', 'ZMSCORE z a nosuch e',
        'ZMSCORE nokey a b', 'ZRANK z e', 'ZRANK z c', 'ZREVRANK z c', 'ZREVRANK z e', 'ZRANK z nosuch', 'ZRANK nokey a', 'ZRANK z a WITHSCORE',
        'ZREVRANK z a WITHSCORE', 'ZSCORE z', 'ZMSCORE z', 'ZCARD', 'SET s v', 'ZCARD s', 'ZSCORE s a', 'ZMSCORE s a', 'ZRANK s a',
        'ZREVRANK s a', 'ZCOUNT s 0 1', 'ZLEXCOUNT s - +',
      ]);
      expect(r[2][6]).to.equal(`*3\r\n${bulk('1')}${NIL[2]}${bulk('-5')}`);
      expect(r[3][6]).to.equal(`*3\r\n,1\r\n${NIL[3]},-5\r\n`);
      expect(r[2][14]).to.equal("-ERR wrong number of arguments for 'zrank' command\r\n");
    });

    it('ZCOUNT and ZLEXCOUNT over bound tables, both encodings', async () => {
      const bounds = ['-inf', '+inf', 'inf', '(1', '1', '(2', '2', '2.5', '(3', '3', '(-5', '-5', '(inf', '(-inf', '', '(', 'abc', '(abc', 'nan', '1e400', '-1e400', ' 2', '0x2', '(0x1p1'];
      const lexb = ['-', '+', '[a', '(a', '[b', '(b', '[bb', '(c', '[', '(', 'a', '-x', '+x', '[\xff'];
      const cmds: Cmd[] = [];
      for (const enc of ['listpack', 'skiplist']) {
        cmds.push('DEL z', 'DEL l', 'ZADD z 1 a 2 b 2 c 3 d -5 e inf f -inf g', 'ZADD l 0 a 0 b 0 bb 0 c 0 d 0 \xff');
        if (enc === 'skiplist') cmds.push(['ZADD', 'z', '0', 'x'.repeat(65)], ['ZADD', 'l', '0', '~'.repeat(65)], 'OBJECT ENCODING z', 'OBJECT ENCODING l');
        for (const a of bounds) for (const b of ['+inf', '(2', '2', '-inf', 'abc', '(inf']) cmds.push(['ZCOUNT', 'z', a, b]);
        for (const a of lexb) for (const b of ['+', '(c', '[c', '-', 'c', '[bb']) cmds.push(['ZLEXCOUNT', 'l', a, b]);
      }
      cmds.push('ZCOUNT nokey abc 1', 'ZCOUNT nokey 0 1', 'ZLEXCOUNT nokey a b', 'ZLEXCOUNT nokey - +');
      const r = await same(cmds);
      expect(r).to.include('-ERR min or max is not a float\r\n');
      expect(r).to.include('-ERR min or max not valid string range item\r\n');
    });
  });

  describe('ZRANGE and its forms', () => {
    const ranges: Cmd[] = [];
    for (const k of ['z', 'big']) {
      for (const [a, b] of [['0', '-1'], ['1', '2'], ['-2', '-1'], ['-100', '100'], ['3', '1'], ['5', '5'], ['200', '300'], ['-1', '-200'], ['0', '0']]) {
        ranges.push(['ZRANGE', k, a, b], ['ZRANGE', k, a, b, 'WITHSCORES'], ['ZRANGE', k, a, b, 'REV', 'WITHSCORES'], ['ZREVRANGE', k, a, b], ['ZREVRANGE', k, a, b, 'WITHSCORES']);
      }
      for (const [a, b] of [['-inf', '+inf'], ['(1', '3'], ['2', '2'], ['(2', '2'], ['3', '1'], ['-inf', '(-inf'], ['1.5', '(90'], ['(10', '+inf']]) {
        ranges.push(['ZRANGE', k, a, b, 'BYSCORE'], ['ZRANGE', k, b, a, 'BYSCORE', 'REV', 'WITHSCORES'], ['ZRANGEBYSCORE', k, a, b, 'WITHSCORES'], ['ZREVRANGEBYSCORE', k, b, a]);
        for (const [o, n] of [['0', '2'], ['1', '-1'], ['2', '1'], ['-1', '2'], ['0', '0'], ['5', '100'], ['1000', '1']]) {
          ranges.push(['ZRANGEBYSCORE', k, a, b, 'LIMIT', o, n], ['ZREVRANGEBYSCORE', k, b, a, 'WITHSCORES', 'LIMIT', o, n], ['ZRANGE', k, b, a, 'BYSCORE', 'REV', 'LIMIT', o, n]);
        }
      }
    }
    for (const k of ['lex', 'biglex']) {
      for (const [a, b] of [['-', '+'], ['[b', '(e'], ['(b', '[e'], ['[c', '[c'], ['(c', '[c'], ['[e', '[b'], ['+', '-'], ['[m10', '(m20'], ['[a', '[zzz']]) {
        ranges.push(['ZRANGEBYLEX', k, a, b], ['ZREVRANGEBYLEX', k, b, a], ['ZRANGE', k, a, b, 'BYLEX'], ['ZRANGE', k, b, a, 'BYLEX', 'REV']);
        for (const [o, n] of [['0', '2'], ['1', '-1'], ['-1', '1'], ['0', '0'], ['3', '100'], ['500', '1']]) {
          ranges.push(['ZRANGEBYLEX', k, a, b, 'LIMIT', o, n], ['ZREVRANGEBYLEX', k, b, a, 'LIMIT', o, n]);
        }
      }
    }
    const setup: Cmd[] = [
      'ZADD z 1 a 2 b 2 c 3 d -5 e 10 f 1.5 g', ...zaddMany('big', 300, (i) => String(i % 37 - 5)),
      'ZADD lex 0 a 0 b 0 c 0 d 0 e 0 f', ...zaddMany('biglex', 300, () => '0'),
      'OBJECT ENCODING z', 'OBJECT ENCODING big', 'OBJECT ENCODING lex', 'OBJECT ENCODING biglex',
    ];

    for (const proto of [2, 3] as const) {
      it(`RESP${proto}: ranges by rank, score and lex, REV, LIMIT, WITHSCORES, on listpacks and skiplists`, async () => {
        const r = await same(['FLUSHALL', ...setup, ...ranges], proto);
        expect(r.slice(setup.length + 1 - 4, setup.length + 1)).to.deep.equal([bulk('listpack'), bulk('skiplist'), bulk('listpack'), bulk('skiplist')]);
        if (proto === 3) expect(r[setup.length + 2]).to.equal('*7\r\n*2\r\n$1\r\ne\r\n,-5\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\ng\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,2\r\n*2\r\n$1\r\nd\r\n,3\r\n*2\r\n$1\r\nf\r\n,10\r\n');
      });
    }

    it('option parsing and its errors: LIMIT needs BYSCORE/BYLEX (LIMIT x -1 passes), BYLEX refuses WITHSCORES, fixed forms refuse REV/BY*', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c', 'ZRANGE z 0 -1 LIMIT 0 1', 'ZRANGE z 0 -1 LIMIT 5 -1', 'ZRANGE z - + BYLEX WITHSCORES', 'ZRANGEBYLEX z - + WITHSCORES',
        'ZRANGE z 0 -1 BYSCORE BYLEX', 'ZRANGE z 0 -1 BYSCORE BYSCORE', 'ZRANGE z 0 -1 REV REV', 'ZRANGE z 0 -1 WITHSCORES WITHSCORES',
        'ZRANGE z 0 -1 LIMIT 0', 'ZRANGE z 0 -1 LIMIT', 'ZRANGE z 0 -1 BYSCORE LIMIT a 1', 'ZRANGE z 0 -1 BYSCORE LIMIT 0 b',
        'ZRANGE z 0 -1 BYSCORE LIMIT 0 1 LIMIT 1 1', 'ZRANGE z 0 -1 FOO', 'ZRANGEBYSCORE z 0 1 REV', 'ZRANGEBYSCORE z 0 1 BYLEX',
        'ZREVRANGE z 0 1 REV', 'ZREVRANGE z 0 1 BYSCORE', 'ZREVRANGE z 0 1 LIMIT 0 1', 'ZRANGEBYLEX z - + BYSCORE', 'ZRANGE z a 1',
        'ZRANGE z 0 b', 'ZRANGE z abc 1 BYSCORE', 'ZRANGE z a b BYLEX', 'ZRANGE z 0 9223372036854775808', 'ZRANGE nokey a b',
        'ZRANGE nokey 0 -1 FOO', 'ZRANGE nokey 0 -1 LIMIT 0 1', 'ZRANGE nokey 0 -1', 'SET s v', 'ZRANGE s 0 -1', 'ZRANGE s a b',
        'ZRANGEBYSCORE s 0 1', 'ZRANGE', 'ZRANGE z 0', 'ZRANGE z (1 +inf BYSCORE LIMIT 0 1 WITHSCORES REV',
        'ZRANGE z +inf (1 BYSCORE LIMIT 0 1 WITHSCORES REV', ['ZRANGE', 'z', '0', '-1', 'withscores\0x'],
      ]);
      expect(r[2][1]).to.equal('-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n');
      expect(r[2][2]).to.equal('*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
      expect(r[2][3]).to.equal('-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n');
      expect(r[2][21]).to.equal('-ERR value is not an integer or out of range\r\n');
    });

    it('BYLEX on a listpack whose scores differ follows Redis\'s scan from the head (or tail)', async () => {
      const cmds: Cmd[] = ['ZADD z 1 d 2 a 3 c 4 b 5 e'];
      for (const [a, b] of [['-', '+'], ['[b', '[d'], ['(a', '(e'], ['[c', '+'], ['-', '[b']]) {
        cmds.push(['ZRANGEBYLEX', 'z', a, b], ['ZREVRANGEBYLEX', 'z', b, a], ['ZLEXCOUNT', 'z', a, b], ['ZRANGEBYLEX', 'z', a, b, 'LIMIT', '1', '2']);
      }
      cmds.push('ZREMRANGEBYLEX z [b [d', 'ZRANGE z 0 -1 WITHSCORES');
      await sameBoth(cmds);
    });
  });

  describe('ZRANGESTORE', () => {
    it('stores ranges of every kind, replaces any type and TTL, deletes the destination on an empty result, WRONGTYPE leaves it', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c 4 d', 'ZRANGESTORE d z 0 1', 'ZRANGE d 0 -1 WITHSCORES', 'ZRANGESTORE d z (1 +inf BYSCORE REV LIMIT 1 2',
        'ZRANGE d 0 -1 WITHSCORES', 'ZADD l 0 a 0 b 0 c', 'ZRANGESTORE d l [b + BYLEX', 'ZRANGE d 0 -1 WITHSCORES', 'SET d str EX 100',
        'ZRANGESTORE d z 0 0', 'TYPE d', 'TTL d', 'ZRANGESTORE d z 5 10', 'EXISTS d', 'SET d x', 'ZRANGESTORE d nokey 0 -1', 'EXISTS d',
        'SET s v', 'SET d x', 'ZRANGESTORE d s 0 -1', 'GET d', 'ZRANGESTORE d z 0 -1 WITHSCORES', 'ZRANGESTORE d z 0 -1 LIMIT 0 1',
        'ZRANGESTORE z z 1 2', 'ZRANGE z 0 -1', 'ZRANGESTORE d z a b', 'ZRANGESTORE d z', 'OBJECT ENCODING z',
      ]);
      expect(r[2][1]).to.equal(':2\r\n');
      expect(r[2][21]).to.equal('-ERR syntax error\r\n');
    });

    it('the result\'s encoding: a rank range longer than zset-max-listpack-entries is a skiplist from the start (its -0 stays -0), others convert as ZADD does', async () => {
      // A skiplist from its first ZADD (a 65-byte member), so its -0 scores stay -0.
      const long = 'x'.repeat(65);
      const cmds: Cmd[] = [['ZADD', 'z', '5000', long], ...zaddMany('z', 200, (i) => (i < 150 ? '-0' : String(i))), ['ZREM', 'z', long], 'OBJECT ENCODING z', 'ZSCORE z m0'];
      for (const [a, b, by] of [['0', '127', ''], ['0', '128', ''], ['0', '149', ''], ['-inf', '0', 'BYSCORE'], ['-inf', '(150', 'BYSCORE'], ['[m0', '[m1', 'BYLEX']]) {
        const args = ['ZRANGESTORE', 'd', 'z', a, b];
        if (by !== '') args.push(by);
        cmds.push(args, 'OBJECT ENCODING d', 'ZSCORE d m0', 'ZSCORE d m99', 'ZRANGE d 0 2 WITHSCORES', 'ZCARD d');
      }
      cmds.push(['ZADD', 'long', '1', 'a', '2', long], 'ZRANGESTORE d long 0 0', 'OBJECT ENCODING d', 'ZRANGESTORE d long 0 1', 'OBJECT ENCODING d');
      cmds.push('CONFIG SET zset-max-listpack-entries 0', 'ZRANGESTORE d z 0 0', 'OBJECT ENCODING d', 'ZRANGESTORE d z -inf 0 BYSCORE LIMIT 0 1', 'OBJECT ENCODING d');
      const r = await same(['FLUSHALL', ...cmds]);
      const at = 1 + cmds.findIndex((c) => Array.isArray(c) && c[0] === 'ZRANGESTORE'); // the first ZRANGESTORE's reply (after FLUSHALL)
      expect(r.slice(at, at + 3)).to.deep.equal([':128\r\n', bulk('listpack'), bulk('0')]); // 128 members: a listpack, -0 written as 0
      expect(r.slice(at + 6, at + 9)).to.deep.equal([':129\r\n', bulk('skiplist'), bulk('-0')]); // 129: a skiplist from the start
    });
  });

  describe('ZREM and ZREMRANGEBY*', () => {
    it('removes members and ranges, deletes the emptied key, parses before looking up', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c 4 d 5 e 6 f', 'ZREM z a nosuch a', 'ZREM z nosuch', 'ZREM nokey a', 'ZREMRANGEBYRANK z 0 0', 'ZREMRANGEBYRANK z -1 -1',
        'ZREMRANGEBYRANK z 5 10', 'ZREMRANGEBYRANK z 2 1', 'ZREMRANGEBYRANK z a 1', 'ZREMRANGEBYRANK z 0 b', 'ZRANGE z 0 -1', 'ZREMRANGEBYSCORE z (3 4',
        'ZREMRANGEBYSCORE z abc 1', 'ZREMRANGEBYSCORE z 10 0', 'ZREMRANGEBYSCORE nokey abc 1', 'ZRANGE z 0 -1', 'ZREMRANGEBYSCORE z -inf +inf', 'EXISTS z',
        'ZADD l 0 a 0 b 0 c 0 d', 'ZREMRANGEBYLEX l (a [c', 'ZREMRANGEBYLEX l a c', 'ZREMRANGEBYLEX l [z [a', 'ZREMRANGEBYLEX l - +', 'EXISTS l',
        'ZADD z 1 a', 'ZREM z a b', 'EXISTS z', 'ZREMRANGEBYRANK nokey 0 -1', 'ZREMRANGEBYLEX nokey - +', 'SET s v', 'ZREM s a',
        'ZREMRANGEBYRANK s 0 -1', 'ZREMRANGEBYSCORE s 0 1', 'ZREMRANGEBYLEX s - +', 'ZREMRANGEBYLEX s x y', 'ZREM z', 'ZREMRANGEBYRANK z 0',
        ...zaddMany('big', 500, (i) => String(i % 50)), 'ZREMRANGEBYSCORE big (10 20', 'ZREMRANGEBYRANK big 100 -100', 'ZCARD big',
        'ZRANGE big 0 10 WITHSCORES', 'OBJECT ENCODING big', 'ZREM big m1 m2 m3', 'ZREMRANGEBYRANK big 0 -1', 'EXISTS big',
      ]);
      expect(r[2][1]).to.equal(':1\r\n');
      expect(r[2][8]).to.equal('-ERR value is not an integer or out of range\r\n');
    });
  });

  describe('ZPOPMIN ZPOPMAX ZMPOP', () => {
    it('reply shapes (RESP3: flat without a count, pairs with one; ZMPOP [key, pairs] or a null array), counts, errors', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c 4 d 5 e', 'ZPOPMIN z', 'ZPOPMAX z', 'ZPOPMIN z 1', 'ZPOPMAX z 0', 'ZPOPMIN z 1 2', 'ZPOPMIN z abc', 'ZPOPMIN z -1',
        'ZPOPMIN nokey', 'ZPOPMIN nokey 5', 'ZPOPMIN nokey -1', 'ZPOPMAX z 100', 'EXISTS z', 'ZADD z 1 a 2 b 3 c 4 d 5 e',
        'ZMPOP 1 z MIN', 'ZMPOP 2 nokey z max COUNT 2', 'ZMPOP 1 nokey MIN', 'ZMPOP 1 z min count 100', 'EXISTS z', 'ZMPOP 0 z MIN',
        'ZMPOP -1 z MIN', 'ZMPOP abc z MIN', 'ZMPOP 1 z', 'ZMPOP 2 z MIN', 'ZMPOP 1 z FOO', 'ZMPOP 1 z MIN COUNT 0', 'ZMPOP 1 z MIN COUNT -1',
        'ZMPOP 1 z MIN COUNT abc', 'ZMPOP 1 z MIN COUNT', 'ZMPOP 1 z MIN COUNT 1 COUNT 1', 'ZMPOP 1 z MIN FOO', 'SET s v', 'ZADD z 1 a',
        'ZPOPMIN s', 'ZPOPMIN s 0', 'ZMPOP 2 nokey s MIN', 'ZMPOP 2 z s MIN', 'ZMPOP 2 s z MIN', 'ZCARD z', 'ZADD z 1 x inf y -inf w',
        'ZPOPMAX z 2', 'ZPOPMIN z 2',
      ]);
      expect(r[2][1]).to.equal('*2\r\n$1\r\na\r\n$1\r\n1\r\n');
      expect(r[3][1]).to.equal('*2\r\n$1\r\na\r\n,1\r\n');
      expect(r[3][3]).to.equal('*1\r\n*2\r\n$1\r\nb\r\n,2\r\n');
      expect(r[2][6]).to.equal('-ERR value is out of range, must be positive\r\n');
      expect(r[2][16]).to.equal('*-1\r\n');
      expect(r[3][16]).to.equal('_\r\n');
      expect(r[2][19]).to.equal('-ERR numkeys should be greater than 0\r\n');
      expect(r[2][25]).to.equal('-ERR count should be greater than 0\r\n');
    });

    it('pops from a skiplist in order', async () => {
      await sameBoth([...zaddMany('z', 300, (i) => String((i * 7919) % 301)), 'ZPOPMIN z 3', 'ZPOPMAX z 3', 'ZMPOP 1 z MAX COUNT 5', 'ZPOPMIN z 290', 'ZPOPMIN z 10', 'EXISTS z']);
    });
  });

  describe('ZRANDMEMBER', () => {
    it('errors in Redis\'s order, missing keys, the whole set (reverse order) when count >= size, reply shapes', async () => {
      const r = await sameBoth([
        'ZADD z 1 a 2 b 3 c', 'ZRANDMEMBER nokey', 'ZRANDMEMBER nokey 5', 'ZRANDMEMBER nokey 5 WITHSCORES', 'ZRANDMEMBER z 0', 'ZRANDMEMBER z 0 WITHSCORES',
        'ZRANDMEMBER z 3', 'ZRANDMEMBER z 100 WITHSCORES', 'ZRANDMEMBER z abc', 'ZRANDMEMBER z -9223372036854775808',
        'ZRANDMEMBER z 9223372036854775807 WITHSCORES', 'ZRANDMEMBER z -4611686018427387904 WITHSCORES', 'ZRANDMEMBER z 1 WITHSCORE',
        'ZRANDMEMBER z 1 WITHSCORES x', 'ZRANDMEMBER nokey abc', 'ZRANDMEMBER nokey 1 x', 'SET s v', 'ZRANDMEMBER s', 'ZRANDMEMBER s 1',
        'ZRANDMEMBER s abc', ...zaddMany('big', 200, (i) => String(i)), 'ZRANDMEMBER big 200 WITHSCORES', 'ZRANDMEMBER big 1000',
      ]);
      expect(r[2][6]).to.equal('*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n');
      expect(r[3][7]).to.equal('*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n');
      expect(r[2][9]).to.equal('-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
      expect(r[2][10]).to.equal('-ERR value is out of range\r\n');
    });

    it('random replies: shapes and sizes match Redis, members come from the set (compared as multisets of shapes)', async () => {
      for (const proto of [2, 3] as const) {
        const ports = [pair.redis.port, pair.cachette.port];
        const shapes: string[][] = [[], []];
        for (let side = 0; side < 2; side++) {
          const c = await RespConn.connect(ports[side]!);
          if (proto === 3) await c.call(['HELLO', '3']);
          await c.call(['DEL', 'z', 'big']);
          await c.call(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f', '7', 'g', '8', 'h', '9', 'i', '10', 'j']);
          for (const a of zaddMany('big', 300, (i) => String(i))) await c.call(a);
          for (const k of ['z', 'big']) {
            for (const args of [[k], [k, '1'], [k, '-1'], [k, '4'], [k, '9'], [k, '-30'], [k, '4', 'WITHSCORES'], [k, '9', 'WITHSCORES'], [k, '-30', 'WITHSCORES'], [k, '150', 'WITHSCORES']]) {
              const reply = await c.call(['ZRANDMEMBER', ...args]);
              // The shape: every bulk member replaced by M, every score kept as its type.
              shapes[side]!.push(reply.replace(/\$\d+\r\n(?:m?\d+|[a-j])\r\n/g, 'M').replace(/,\d+\r\n/g, 'S'));
            }
          }
          c.close();
        }
        expect(shapes[1], `RESP${proto}`).to.deep.equal(shapes[0]);
      }
    });

    it('a huge negative count stops when the client hits its output buffer limit, and the server lives on (as Redis)', async () => {
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const a = await RespConn.connect(port);
        await a.call(['ZADD', 'z', '1', 'a', '2', 'b']);
        await a.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 1mb 0']);
        const victim = await RespConn.connect(port);
        expect(await victim.call(['ZRANDMEMBER', 'z', '-100000000', 'WITHSCORES'], 20_000), `port ${port}`).to.equal('<closed>');
        expect(await a.call(['ZCARD', 'z'])).to.equal(':2\r\n');
        a.close();
      }
    });
  });

  describe('ZUNION ZINTER ZDIFF ZINTERCARD and the STORE forms', () => {
    it('WEIGHTS, AGGREGATE, WITHSCORES, inf + -inf = 0 in SUM, inf * 0 = 0, repeated keys, missing keys', async () => {
      const r = await sameBoth([
        'ZADD a 1 x 2 y 3 z inf i -inf j 0 k', 'ZADD b 10 y 20 z 30 w -inf i inf j 5 k', 'ZADD c 0.1 x 0.2 y',
        'ZUNION 2 a b WITHSCORES', 'ZUNION 2 a b WEIGHTS 2 3 WITHSCORES', 'ZUNION 2 a b WEIGHTS 0 1 WITHSCORES', 'ZUNION 2 a b AGGREGATE MIN WITHSCORES',
        'ZUNION 2 a b AGGREGATE max WITHSCORES', 'ZUNION 3 a b c WEIGHTS 1 -1 0.5 AGGREGATE sum WITHSCORES', 'ZUNION 2 a nokey WITHSCORES',
        'ZUNION 1 nokey', 'ZUNION 2 a a WITHSCORES', 'ZINTER 2 a b WITHSCORES', 'ZINTER 2 a b AGGREGATE MIN WITHSCORES', 'ZINTER 2 a b WEIGHTS -1 0 WITHSCORES',
        'ZINTER 2 a a WITHSCORES', 'ZINTER 3 a b c', 'ZINTER 2 a nokey', 'ZDIFF 2 a b WITHSCORES', 'ZDIFF 2 b a', 'ZDIFF 2 a a', 'ZDIFF 3 a nokey c WITHSCORES',
        'ZDIFF 1 nokey', 'ZINTERCARD 2 a b', 'ZINTERCARD 2 a b LIMIT 2', 'ZINTERCARD 2 a b LIMIT 0', 'ZINTERCARD 2 a nokey', 'ZINTERCARD 1 a LIMIT 100',
        'ZUNION 2 a b WEIGHTS 1 2 WEIGHTS 3 4 AGGREGATE MIN AGGREGATE MAX WITHSCORES WITHSCORES', 'ZUNION 1 a WEIGHTS 0 WITHSCORES',
        'ZUNION 1 a WEIGHTS -0 WITHSCORES', 'ZINTER 1 a WEIGHTS -1 WITHSCORES',
      ]);
      // inf + -inf = 0 for i and j, which then sort by member before x.
      expect(r[2][3]).to.equal('*14\r\n$1\r\ni\r\n$1\r\n0\r\n$1\r\nj\r\n$1\r\n0\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\nk\r\n$1\r\n5\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n');
    });

    it('float sums are aggregated smallest input first (a stable sort on size), as Redis', async () => {
      const r = await sameBoth([
        'ZADD p 0.1 m', 'ZADD q 0.2 m', 'ZADD s 0.3 m', 'ZADD big 0.3 m 1 n', 'ZUNION 3 p q s WITHSCORES', 'ZUNION 3 s q p WITHSCORES',
        'ZUNION 3 q s p WITHSCORES', 'ZINTER 3 p q s WITHSCORES', 'ZINTER 3 s q p WITHSCORES', 'ZUNION 3 big q p WITHSCORES', 'ZINTER 3 big p q WITHSCORES',
        'ZUNION 3 p q s WEIGHTS 3 7 11 WITHSCORES', 'ZUNION 3 s p q WEIGHTS 0.7 1e-3 1e10 WITHSCORES',
      ]);
      expect(r[2][4]).to.equal('*2\r\n$1\r\nm\r\n$19\r\n0.60000000000000009\r\n');
      expect(r[2][5]).to.equal('*2\r\n$1\r\nm\r\n$19\r\n0.59999999999999998\r\n');
    });

    it('errors in Redis\'s order: numkeys, then every key\'s type, then the options', async () => {
      const r = await sameBoth([
        'ZADD a 1 x', 'SET s v', 'ZUNION 0 a', 'ZUNION -1 a', 'ZUNION abc a', 'ZUNION 3 a', 'ZUNION 9223372036854775808 a', 'ZINTER 0 a',
        'ZDIFF 0 a', 'ZINTERCARD 0 a', 'ZUNIONSTORE d 0 a', 'ZINTERSTORE d 0 a', 'ZDIFFSTORE d 0 a', 'ZUNION 2 a s', 'ZUNION 2 s a FOO',
        'ZUNION 1 a FOO', 'ZUNION 1 a WEIGHTS', 'ZUNION 2 a a WEIGHTS 1', 'ZUNION 1 a WEIGHTS abc', 'ZUNION 1 a WEIGHTS nan',
        'ZUNION 1 a WEIGHTS 1e400', 'ZUNION 1 a AGGREGATE', 'ZUNION 1 a AGGREGATE avg', 'ZUNIONSTORE d 1 a WITHSCORES', 'ZDIFF 1 a WEIGHTS 1',
        'ZDIFF 1 a AGGREGATE SUM', 'ZINTERCARD 1 a WITHSCORES', 'ZINTERCARD 1 a WEIGHTS 1', 'ZINTERCARD 1 a LIMIT', 'ZINTERCARD 1 a LIMIT abc',
        'ZINTERCARD 1 a LIMIT -1', 'ZINTERCARD 1 a LIMIT 1 LIMIT 2', 'ZINTERSTORE d 1 s', 'EXISTS d', 'ZUNION', 'ZUNIONSTORE d 1',
      ]);
      expect(r[2][2]).to.equal("-ERR at least 1 input key is needed for 'zunion' command\r\n");
      expect(r[2][14]).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      expect(r[2][18]).to.equal('-ERR weight value is not a float\r\n');
      expect(r[2][29]).to.equal("-ERR LIMIT can't be negative\r\n");
    });

    it('STORE forms: replies, events aside; destination replaced (TTL gone) or deleted when empty; result encoded as a listpack when it fits', async () => {
      const r = await sameBoth([
        'ZADD a 1 x 2 y 3 z', 'ZADD b 10 y', 'SET d v EX 100', 'ZUNIONSTORE d 2 a b', 'TTL d', 'ZRANGE d 0 -1 WITHSCORES', 'OBJECT ENCODING d',
        'ZINTERSTORE d 2 a b WEIGHTS 1 -1', 'ZRANGE d 0 -1 WITHSCORES', 'ZDIFFSTORE d 2 a b', 'ZRANGE d 0 -1 WITHSCORES', 'ZINTERSTORE d 2 a nokey',
        'EXISTS d', 'ZDIFFSTORE d 2 a a', 'ZUNIONSTORE a 2 a b', 'ZRANGE a 0 -1 WITHSCORES', ...zaddMany('big', 200, (i) => String(i)),
        'ZUNIONSTORE d 1 big', 'OBJECT ENCODING d', 'ZINTERSTORE d 2 big a', 'OBJECT ENCODING d', 'ZDIFFSTORE d 2 big nokey', 'OBJECT ENCODING d',
        ['ZADD', 'long', '1', 'x'.repeat(65)], 'ZUNIONSTORE d 1 long', 'OBJECT ENCODING d', 'ZUNIONSTORE d 1 a WEIGHTS -0', 'ZRANGE d 0 -1 WITHSCORES',
        'CONFIG SET zset-max-listpack-entries 2', 'ZUNIONSTORE d 1 a', 'OBJECT ENCODING d', 'ZUNIONSTORE d 1 b', 'OBJECT ENCODING d',
        'CONFIG SET zset-max-listpack-entries 128', 'ZUNION 1 big WEIGHTS 0 WITHSCORES',
      ]);
      expect(r[2][3]).to.equal(':3\r\n');
      expect(r[2][4]).to.equal(':-1\r\n');
    });

    it('sets as inputs: every member scores 1 (intset and hashtable sets; SADD on Redis, the same SetValue placed in cachette)', async () => {
      const sets: Record<string, string[]> = { si: ['1', '2', '3', '10'], sh: ['x', 'y', '2', 'w'] };
      const rc = await RespConn.connect(pair.redis.port);
      for (const [k, ms] of Object.entries(sets)) expect(await rc.call(['SADD', k, ...ms])).to.equal(`:${ms.length}\r\n`);
      expect(await rc.call(['OBJECT', 'ENCODING', 'si'])).to.equal(bulk('intset'));
      rc.close();
      const db = pair.cachette.server.dbs[0]!;
      for (const [k, ms] of Object.entries(sets)) {
        const s = new SetValue();
        for (const m of ms) s.add(m, SET_DEFAULT_LIMITS);
        db.add(k, s, Date.now());
      }
      const cmds: Cmd[] = ['ZADD z 5 2 7 x 1 q'];
      for (const op of ['ZUNION', 'ZINTER']) {
        cmds.push(`${op} 2 z si WITHSCORES`, `${op} 2 si sh WITHSCORES`, `${op} 3 si z sh WEIGHTS 2 3 4 WITHSCORES`, `${op} 2 sh z AGGREGATE MAX WITHSCORES`, `${op} 1 si WITHSCORES`);
      }
      cmds.push('ZDIFF 2 si z WITHSCORES', 'ZDIFF 2 z si WITHSCORES', 'ZDIFF 2 sh si WITHSCORES', 'ZINTERCARD 2 si sh', 'ZINTERCARD 2 z sh LIMIT 1',
        'ZUNIONSTORE d 2 si sh', 'ZRANGE d 0 -1 WITHSCORES', 'ZINTERSTORE d 2 sh z', 'ZRANGE d 0 -1 WITHSCORES', 'ZDIFFSTORE d 1 si', 'ZRANGE d 0 -1 WITHSCORES',
        'ZRANGE si 0 -1', 'ZCARD sh');
      for (const proto of [2, 3] as const) {
        const r = await same(cmds, proto);
        // ZUNION 2 z si: 2 scores 5 + 1; 1, 3, 10 score 1 and sort with q by member bytes.
        const pairs: Array<[string, string]> = [['1', '1'], ['10', '1'], ['3', '1'], ['q', '1'], ['2', '6'], ['x', '7']];
        expect(r[1]).to.equal(proto === 2 ? `*12\r\n${pairs.map(([m, x]) => bulk(m) + bulk(x)).join('')}` : `*6\r\n${pairs.map(([m, x]) => `*2\r\n${bulk(m)},${x}\r\n`).join('')}`);
      }
    });

    it('large inputs (skiplists) give the same sorted results', async () => {
      const rnd = seededRandom(7);
      const cmds: Cmd[] = [...zaddMany('a', 400, () => String(Math.floor(rnd() * 100) / 4)), ...zaddMany('b', 300, () => String(Math.floor(rnd() * 50)), (i) => `m${i * 2}`)];
      cmds.push('ZUNION 2 a b WITHSCORES', 'ZINTER 2 a b WEIGHTS 0.5 3 WITHSCORES', 'ZDIFF 2 a b WITHSCORES', 'ZINTERCARD 2 a b', 'ZUNIONSTORE d 2 a b AGGREGATE MAX',
        'ZRANGE d 0 -1 WITHSCORES', 'OBJECT ENCODING d');
      await same(cmds, 3);
    });
  });

  describe('ZSCAN', () => {
    it('a listpack whole with cursor 0, its scores as the listpack holds them (integers in full up to 2^62); MATCH, COUNT, errors', async () => {
      const r = await sameBoth([
        'ZADD z 123456789012345678 big 1e17 e17 4611686018427387904 p62 4611686018427388928 p62b -4611686018427387904 m62 -0 negz 1.5 f 9007199254740993 x53 inf i -inf ni 1.1 g',
        'ZSCAN z 0', 'ZSCAN z 123', 'ZSCAN z 0 COUNT 1', 'ZSCAN z 0 MATCH *6* COUNT 1000', 'ZSCAN z 0 MATCH [fg]', 'ZSCAN z abc', 'ZSCAN z -1', 'ZSCAN z 0 COUNT 0',
        'ZSCAN z 0 COUNT abc', 'ZSCAN z 0 TYPE zset', 'ZSCAN z 0 MATCH', 'ZSCAN z 0 FOO bar', 'ZSCAN nokey 0', 'ZSCAN nokey 0 COUNT 0', 'ZSCAN nokey abc',
        'SET s v', 'ZSCAN s 0', 'ZSCAN s 0 COUNT 0', 'ZSCAN', 'ZRANGE z 0 -1 WITHSCORES',
      ]);
      expect(r[2][1]).to.include(`${bulk('e17')}${bulk('100000000000000000')}`);
      expect(r[2][1]).to.include(`${bulk('p62')}${bulk('4611686018427387904')}`);
      expect(r[2][1]).to.include(`${bulk('p62b')}${bulk('4.6116860184273889e+18')}`);
      expect(r[2][20]).to.include(`${bulk('e17')}${bulk('1e+17')}`);
    });

    it('a skiplist: a full iteration returns every member once with %.17g scores (compared as a set), MATCH filters pairs', async () => {
      for (const match of [null, 'm1*']) {
        const got: string[][] = [];
        for (const port of [pair.redis.port, pair.cachette.port]) {
          const c = await RespConn.connect(port);
          await c.call(['DEL', 'z']);
          for (const a of zaddMany('z', 500, (i) => (i % 3 === 0 ? String(i / 7) : String(1e17 + i * 1e3)))) await c.call(a);
          expect(await c.call(['OBJECT', 'ENCODING', 'z'])).to.equal(bulk('skiplist'));
          const seen = new Set<string>();
          let cursor = '0';
          do {
            const reply = await c.call(['ZSCAN', 'z', cursor, 'COUNT', '37', ...(match === null ? [] : ['MATCH', match])]);
            const parts = reply.split('\r\n');
            cursor = parts[2]!;
            const items = parts.slice(4).filter((_, i) => i % 2 === 1);
            for (let i = 0; i + 1 < items.length; i += 2) seen.add(`${items[i]}=${items[i + 1]}`);
          } while (cursor !== '0');
          got.push([...seen].sort());
          c.close();
        }
        expect(got[1]).to.deep.equal(got[0]);
        expect(got[0]!.length).to.equal(match === null ? 500 : 111);
        if (match === null) {
          expect(got[0]).to.include('m3=0.42857142857142855');
          expect(got[0]).to.include('m1=1.0000000000000099e+17'); // 1e17 + 1000 rounds to ...992
        }
      }
    });
  });

  describe('encodings', () => {
    it('listpack up to zset-max-listpack-entries members and -value bytes; converted before the 129th member or a 65-byte one; never back', async () => {
      const r = await same([
        ...zaddMany('z', 128, (i) => String(i)), 'OBJECT ENCODING z', 'ZADD z 0 m0', 'OBJECT ENCODING z', 'ZADD z 500 extra', 'OBJECT ENCODING z',
        'ZREM z extra', 'OBJECT ENCODING z', 'ZREMRANGEBYRANK z 0 -2', 'OBJECT ENCODING z', 'ZCARD z',
        ['ZADD', 'v', '1', 'x'.repeat(64)], 'OBJECT ENCODING v', ['ZADD', 'v', '1', 'y'.repeat(65)], 'OBJECT ENCODING v',
        ['ZADD', 'w', '1', 'y'.repeat(65)], 'OBJECT ENCODING w', ['ZADD', 'w2', '1', 'a', '2', 'y'.repeat(65)], 'OBJECT ENCODING w2',
        'CONFIG SET zset-max-listpack-entries 0', 'ZADD e 1 a', 'OBJECT ENCODING e', 'CONFIG SET zset-max-listpack-entries 2 zset-max-listpack-value 3',
        'ZADD f 1 a 2 b', 'OBJECT ENCODING f', 'ZADD f 3 c', 'OBJECT ENCODING f', 'ZADD g 1 abcd', 'OBJECT ENCODING g', 'ZADD h 1 abc', 'OBJECT ENCODING h',
        'CONFIG SET zset-max-ziplist-entries 5 zset-max-ziplist-value 10', 'CONFIG GET zset-max-listpack-entries', 'CONFIG GET zset-max-ziplist-value',
        'ZADD i 1 a 2 b 3 c 4 d 5 e', 'OBJECT ENCODING i', 'ZADD i 6 f', 'OBJECT ENCODING i',
        'ZADD j -0 a', 'ZSCORE j a', 'ZADD j 1 b 2 c 3 d 4 e 5 f', 'OBJECT ENCODING j', 'ZADD j -0 g', 'ZSCORE j g', 'ZSCORE j a', 'ZINCRBY j -0 g', 'ZSCORE j g',
        'TYPE j', 'ZUNIONSTORE k 1 j', 'OBJECT ENCODING k', 'ZSCORE k g',
      ]);
      expect(r[2]).to.equal(bulk('listpack'));
      expect(r[6]).to.equal(bulk('skiplist'));
      expect(r).to.include(bulk('-0'));
    });
  });

  describe('keyspace events, WATCH, keyspace hits and misses', () => {
    /** Runs the commands with a PSUBSCRIBE watcher on each server; the event streams (and replies) must be equal. */
    async function sameEvents(cmds: Cmd[], flags: string): Promise<string> {
      const streams: string[] = [];
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const a = await RespConn.connect(port);
        expect(await a.call(['CONFIG', 'SET', 'notify-keyspace-events', flags])).to.equal('+OK\r\n');
        const w = await RespConn.connect(port);
        expect(await w.call(['PSUBSCRIBE', '__key*__:*'])).to.match(/psubscribe/);
        let events = '';
        for (const cmd of cmds) {
          events += `> ${words(cmd).join(' ')}\n`;
          await a.call(words(cmd));
          // The command's events reached the watcher before its reply reached us; a PING
          // on the watcher's socket comes back after them.
          for (let e = await w.call(['PING']); !e.includes('pong'); e = await w.read()) {
            const m = /\$\d+\r\n(__key(?:space|event)@\d+__:[^\r]*)\r\n\$\d+\r\n([^\r]*)\r\n$/.exec(e);
            events += m === null ? e : `${m[1]} ${m[2]}\n`;
          }
        }
        w.close();
        await a.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
        a.close();
        streams.push(events);
      }
      expect(streams[1]).to.equal(streams[0]);
      return streams[0]!;
    }

    it('each write fires Redis\'s event (and del when emptied, new when created); no-ops fire nothing', async () => {
      const ev = await sameEvents([
        'ZADD z 1 a 2 b 3 c', 'ZADD z 1 a', 'ZADD z XX 5 nosuch', 'ZADD z INCR 1 a', 'ZINCRBY z 0 a', 'ZINCRBY z 1 a', 'ZADD z NX 1 a', 'ZREM z nosuch',
        'ZREM z a', 'ZREMRANGEBYSCORE z 100 200', 'ZREMRANGEBYSCORE z 2 2', 'ZREMRANGEBYRANK z 0 0', 'ZADD z 1 a 2 b 3 c', 'ZREMRANGEBYLEX z [a [b',
        'ZREMRANGEBYLEX z - +', 'ZADD z 1 a 2 b 3 c', 'ZPOPMIN z', 'ZPOPMAX z 0', 'ZPOPMAX z 5', 'ZADD z 1 a 2 b 3 c', 'ZMPOP 1 z MAX COUNT 3',
        'ZADD z 1 a 2 b 3 c', 'ZADD w 1 a', 'ZUNIONSTORE d 2 z w', 'ZINTERSTORE d 2 z w', 'ZDIFFSTORE d 2 z w', 'ZDIFFSTORE d 2 z z', 'ZDIFFSTORE d 2 z z',
        'ZRANGESTORE d z 0 0', 'ZRANGESTORE d z 5 6', 'ZRANGESTORE d nokey 0 1', 'ZSCORE nokey a', 'ZRANGE nokey 0 -1', 'ZMPOP 1 nokey MIN',
        'ZUNION 2 nokey z', 'SET s v', 'ZUNIONSTORE s 1 z', 'ZRANGESTORE s z 0 0', 'ZCARD z', 'ZRANDMEMBER nokey', 'ZSCAN nokey 0',
      ], 'KEA');
      expect(ev).to.include('__keyevent@0__:zpopmax z\n__keyspace@0__:z del\n__keyevent@0__:del z\n');
      const ev2 = await sameEvents(['ZADD n 1 a', 'ZSCORE nokey a', 'ZADD nokey XX 1 a', 'ZRANGESTORE d2 n 0 -1', 'ZUNIONSTORE d3 1 n', 'ZMSCORE nokey a',
        'ZRANK nokey a', 'ZCOUNT nokey 0 1', 'ZRANGEBYLEX nokey - +', 'ZPOPMIN nokey', 'ZREM nokey a', 'ZINTERCARD 2 nokey n', 'ZRANDMEMBER nokey 5'], 'KEAnm');
      expect(ev2).to.include('__keyevent@0__:new n\n');
    });

    it('RESP3: a client subscribed to its own events gets them where Redis writes them (ZPOPMIN\'s inside its reply)', async () => {
      const cmds = ['HELLO 3', 'CONFIG SET notify-keyspace-events KEA', 'PSUBSCRIBE __keyevent*__:*', 'ZADD z 1 a 2 b 3 c', 'ZPOPMIN z 2',
        'ZMPOP 1 z MAX COUNT 5', 'ZADD z 1 a', 'ZREM z a', 'ZADD y 1 a', 'ZUNIONSTORE d 1 y', 'ZRANGESTORE d nokey 0 1', 'CONFIG SET notify-keyspace-events ""'];
      const outs: string[] = [];
      for (const port of [pair.redis.port, pair.cachette.port]) {
        const c = await RespConn.connect(port);
        let out = '';
        for (const cmd of cmds) {
          // Read every frame this command produces: its reply and the push messages around it, up to a PING's reply.
          out += await c.call(words(cmd));
          for (let e = await c.call(['PING']); e !== '+PONG\r\n'; e = await c.read()) out += e;
        }
        c.close();
        outs.push(out.replace(/(\$2\r\nid\r\n:)\d+/, '$1N'));
      }
      expect(outs[1]).to.equal(outs[0]);
      // ZPOPMIN's array header, then the event, then its elements.
      expect(outs[0]).to.include('*2\r\n>4\r\n$8\r\npmessage\r\n$15\r\n__keyevent*__:*\r\n$22\r\n__keyevent@0__:zpopmin\r\n$1\r\nz\r\n*2\r\n$1\r\na\r\n,1\r\n');
    });

    it('WATCH is touched by a write that changes the set, not by one that changes nothing', async () => {
      const cmds: Cmd[] = ['ZADD z 1 a 2 b 3 c', 'SET s v'];
      const writes = ['ZADD z 1 a', 'ZADD z 5 a', 'ZADD z XX 1 nosuch', 'ZADD z NX 1 a', 'ZADD z GT 0 a', 'ZINCRBY z 0 a', 'ZINCRBY z 1 a', 'ZREM z nosuch',
        'ZREM z a', 'ZREMRANGEBYSCORE z 100 200', 'ZREMRANGEBYRANK z 0 0', 'ZREMRANGEBYLEX z (zz +', 'ZPOPMIN z 0', 'ZPOPMIN z', 'ZPOPMIN nokey',
        'ZMPOP 1 z MAX', 'ZUNIONSTORE z 1 z', 'ZINTERSTORE z 2 z nokey', 'ZRANGESTORE nokey2 nokey 0 -1', 'ZRANGESTORE z z 0 0', 'ZADD s 1 a'];
      for (const wcmd of writes) {
        cmds.push('DEL z', 'ZADD z 1 a 2 b 3 c', 'WATCH z nokey2', wcmd, 'MULTI', 'PING', 'EXEC');
      }
      const r = await same(cmds);
      // ZADD z 1 a (same score) leaves a watcher alone; ZADD z 5 a does not.
      expect(r[8]).to.equal('*1\r\n+PONG\r\n');
      expect(r[15]).to.equal('*-1\r\n');
    });

    it('reads count keyspace hits and misses, writes do not (lookupKeyRead versus lookupKeyWrite)', async () => {
      const cmds = ['ZADD z 1 a', 'ZCARD nokey', 'ZSCORE nokey a', 'ZMSCORE nokey a', 'ZRANK nokey a', 'ZREVRANK nokey a', 'ZCOUNT nokey 0 1', 'ZLEXCOUNT nokey - +',
        'ZRANGE nokey 0 -1', 'ZRANGEBYSCORE nokey 0 1', 'ZREVRANGE nokey 0 1', 'ZRANGESTORE d nokey 0 1', 'ZRANDMEMBER nokey', 'ZRANDMEMBER nokey 3',
        'ZSCAN nokey 0', 'ZUNION 2 nokey z', 'ZINTERCARD 2 z nokey', 'ZUNIONSTORE d 2 z nokey', 'ZADD nokey XX 1 a', 'ZINCRBY z 1 a', 'ZREM nokey a',
        'ZREMRANGEBYRANK nokey 0 1', 'ZPOPMIN nokey', 'ZMPOP 2 nokey z MIN', 'ZADD z 1 a', 'ZCOUNT z abc 1', 'ZRANGE z 0 -1 FOO'];
      const stats: string[][] = [[], []];
      for (const [side, port] of [pair.redis.port, pair.cachette.port].entries()) {
        const c = await RespConn.connect(port);
        for (const cmd of cmds) {
          await c.call(['CONFIG', 'RESETSTAT']);
          await c.call(words(cmd));
          const info = await c.call(['INFO', 'stats']);
          stats[side]!.push(`${cmd}: ${/keyspace_hits:\d+/.exec(info)![0]} ${/keyspace_misses:\d+/.exec(info)![0]}`);
        }
        c.close();
      }
      expect(stats[1]).to.deep.equal(stats[0]);
      expect(stats[0]).to.include('ZUNION 2 nokey z: keyspace_hits:1 keyspace_misses:1');
    });
  });

  describe('large sorted sets (skiplist) against Redis', () => {
    it('ranks, scores, ranges and lex ranges over 2,000 members', async () => {
      const rnd = seededRandom(42);
      const cmds: Cmd[] = [...zaddMany('z', 2000, () => String(Math.floor(rnd() * 500) - 250)), ...zaddMany('l', 1000, () => '0', (i) => `k${(i * 7919) % 1000}`)];
      for (let i = 0; i < 20; i++) {
        const m = `m${Math.floor(rnd() * 2100)}`;
        const a = Math.floor(rnd() * 600) - 300;
        cmds.push(['ZRANK', 'z', m], ['ZREVRANK', 'z', m], ['ZSCORE', 'z', m], ['ZCOUNT', 'z', String(a), `(${a + 40}`],
          ['ZRANGE', 'z', String(a * 5), String(a * 5 + 12), 'WITHSCORES'], ['ZRANGEBYSCORE', 'z', `(${a}`, String(a + 3), 'WITHSCORES', 'LIMIT', '2', '5'],
          ['ZREVRANGEBYSCORE', 'z', String(a + 3), String(a), 'LIMIT', '1', '4'], ['ZRANGEBYLEX', 'l', `[k${a + 300}`, `(k${a + 350}`, 'LIMIT', '0', '6'],
          ['ZLEXCOUNT', 'l', `(k${a + 300}`, '+'], ['ZREVRANGEBYLEX', 'l', `[k${a + 400}`, '-', 'LIMIT', '3', '3']);
      }
      cmds.push('ZREMRANGEBYLEX l [k5 (k6', 'ZCARD l', 'ZREMRANGEBYSCORE z (0 10', 'ZCARD z', 'ZRANGE z 990 1010 WITHSCORES');
      await same(cmds, 3);
    });
  });
});

describe('sorted sets in cachette alone', function () {
  this.timeout(30_000);

  it('ZRANDMEMBER: distinct members for a positive count, repeats for a negative one, a seeded server repeats its replies', async () => {
    const replies: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const srv = await startServer({ seed: 1234 });
      const c = await RespConn.connect(srv.port);
      try {
        const out: string[] = [];
        for (const a of zaddMany('small', 20, (i) => String(i))) await c.call(a);
        for (const a of zaddMany('big', 500, (i) => String(i))) await c.call(a);
        for (const [k, n] of [['small', '7'], ['small', '15'], ['big', '7'], ['big', '300'], ['big', '40']] as const) {
          const reply = await c.call(['ZRANDMEMBER', k, n]);
          const members = reply.split('\r\n').filter((x) => x.startsWith('m'));
          expect(members.length, `${k} ${n}`).to.equal(Number(n));
          expect(new Set(members).size, `${k} ${n}: distinct`).to.equal(Number(n));
          out.push(reply);
        }
        const neg = await c.call(['ZRANDMEMBER', 'small', '-200']);
        const members = neg.split('\r\n').filter((x) => x.startsWith('m'));
        expect(members.length).to.equal(200);
        expect(new Set(members).size).to.be.lessThan(200); // 200 draws from 20 members must repeat
        for (const m of members) expect(Number(m.slice(1))).to.be.within(0, 19);
        out.push(neg, await c.call(['ZRANDMEMBER', 'big']), await c.call(['ZRANDMEMBER', 'big', '-5', 'WITHSCORES']));
        replies.push(out);
      } finally {
        c.close();
        await srv.close();
      }
    }
    expect(replies[1]).to.deep.equal(replies[0]);
  });

  it('used_memory and MEMORY USAGE follow a sorted set as it grows, converts, shrinks and goes', async () => {
    const srv = await startServer();
    const c = await RespConn.connect(srv.port);
    const used = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await c.call(['INFO', 'memory']))![1]);
    const usage = async (k: string): Promise<number> => Number(/^:(\d+)/.exec(await c.call(['MEMORY', 'USAGE', k]))![1]);
    try {
      const base = await used();
      await c.call(['ZADD', 'z', '1', 'a']);
      const one = await usage('z');
      for (const a of zaddMany('z', 100, (i) => String(i))) await c.call(a);
      const hundred = await usage('z');
      expect(hundred).to.be.greaterThan(one + 100 * 16);
      expect(await c.call(['OBJECT', 'ENCODING', 'z'])).to.equal(bulk('listpack'));
      for (const a of zaddMany('z', 1000, (i) => String(i))) await c.call(a);
      expect(await c.call(['OBJECT', 'ENCODING', 'z'])).to.equal(bulk('skiplist'));
      const thousand = await usage('z');
      expect(thousand).to.be.greaterThan(hundred * 5);
      const grown = await used();
      expect(grown - base).to.be.within(thousand, thousand + 20_000);
      await c.call(['ZREMRANGEBYRANK', 'z', '0', '899']);
      const shrunk = await usage('z');
      expect(shrunk).to.be.lessThan(thousand);
      // In-place changes keep the database's account exact: the entry (22 bytes, the key's
      // string) plus what the value reports now.
      const db = srv.server.dbs[0]!;
      const v = db.vals[db.find('z')] as ZSetValue;
      expect(db.bytes).to.equal(22 + ((16 + 1 + 7) & ~7) + v.bytes);
      await c.call(['ZPOPMIN', 'z', '1000']);
      expect(await c.call(['EXISTS', 'z'])).to.equal(':0\r\n');
      expect(srv.server.dbs[0]!.bytes).to.equal(0);
      expect(await used()).to.be.within(base - 2000, base + 2000);
    } finally {
      c.close();
      await srv.close();
    }
  });
});

describe('sorted sets through client libraries', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });
  beforeEach(() => srv.flushAll());

  for (const protocol of [2, 3] as const) {
    it(`ioredis (RESP${protocol}): zadd, zincrby, zrange withscores, byscore limit, zscore, zpopmin, zunionstore, zscan, errors`, async () => {
      const r = new Redis(srv.url, { protocol } as Record<string, unknown>);
      try {
        expect(await r.zadd('lb', 10, 'alice', 20, 'bob', 15, 'carol')).to.equal(3);
        expect(await r.zadd('lb', 'GT', 'CH', 5, 'alice', 25, 'bob')).to.equal(1);
        expect(await r.zincrby('lb', 1.5, 'carol')).to.equal('16.5');
        // ioredis flattens RESP3's pairs back into RESP2's shape.
        expect(await r.zrange('lb', '0', '-1', 'WITHSCORES')).to.deep.equal(['alice', '10', 'carol', '16.5', 'bob', '25']);
        expect(await r.zrangebyscore('lb', '(10', '+inf', 'LIMIT', 0, 1)).to.deep.equal(['carol']);
        expect(await r.zrevrank('lb', 'bob')).to.equal(0);
        expect(await r.zscore('lb', 'nobody')).to.equal(null);
        expect(await r.zcard('lb')).to.equal(3);
        expect(await r.zpopmin('lb')).to.deep.equal(['alice', '10']);
        await r.zadd('other', 1, 'carol');
        expect(await r.zunionstore('u', 2, 'lb', 'other', 'WEIGHTS', 1, 10)).to.equal(2);
        expect(await r.zrange('u', '0', '-1')).to.deep.equal(['bob', 'carol']);
        const [cursor, items] = await r.zscan('u', 0);
        expect(cursor).to.equal('0');
        expect(items).to.deep.equal(['bob', '25', 'carol', '26.5']);
        await r.set('str', 'x');
        const err = await r.zadd('str', 1, 'a').catch((e: Error) => e);
        expect((err as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
        const nan = await r.zadd('lb', 'INCR', '-inf', 'bob').then(() => r.zadd('lb', 'INCR', '+inf', 'bob')).catch((e: Error) => e);
        expect((nan as Error).message).to.equal('ERR resulting score is not a number (NaN)');
      } finally {
        r.disconnect();
      }
    });
  }

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}): zAdd, zIncrBy, zRangeWithScores, zRange BY SCORE, zScore (a number), zMPop, zRandMember, zInter`, async () => {
      const c = createClient({ url: srv.url, RESP });
      await c.connect();
      try {
        expect(await c.zAdd('lb', [{ score: 10, value: 'alice' }, { score: 20, value: 'bob' }, { score: 1.1, value: 'x' }])).to.equal(3);
        expect(await c.zAdd('lb', { score: 30, value: 'bob' }, { condition: 'XX', comparison: 'GT', CH: true })).to.equal(1);
        expect(await c.zIncrBy('lb', 2, 'alice')).to.equal(12);
        expect(await c.zRangeWithScores('lb', 0, -1)).to.deep.equal([{ value: 'x', score: 1.1 }, { value: 'alice', score: 12 }, { value: 'bob', score: 30 }]);
        expect(await c.zRange('lb', 11, '+inf', { BY: 'SCORE', LIMIT: { offset: 0, count: 1 } })).to.deep.equal(['alice']);
        expect(await c.zScore('lb', 'x')).to.equal(1.1);
        expect(await c.zScore('lb', 'nobody')).to.equal(null);
        expect(await c.zRank('lb', 'bob')).to.equal(2);
        expect(await c.zmScore('lb', ['bob', 'nobody'])).to.deep.equal([30, null]);
        expect(await c.zmPop('lb', 'MIN', { COUNT: 2 })).to.deep.equal({ key: 'lb', members: [{ value: 'x', score: 1.1 }, { value: 'alice', score: 12 }] });
        expect(await c.zmPop('nokey', 'MAX')).to.equal(null);
        expect(await c.zRandMember('lb')).to.equal('bob');
        expect(await c.zRandMemberCountWithScores('lb', 5)).to.deep.equal([{ value: 'bob', score: 30 }]);
        await c.zAdd('o', [{ score: 2, value: 'bob' }]);
        expect(await c.zInterWithScores(['lb', 'o'])).to.deep.equal([{ value: 'bob', score: 32 }]);
        expect(await c.zPopMax('lb')).to.deep.equal({ value: 'bob', score: 30 });
        expect(await c.exists('lb')).to.equal(0);
      } finally {
        await c.close();
      }
    });
  }
});
