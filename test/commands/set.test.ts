/**
 * Set commands: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SRANDMEMBER
 * SPOP SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
 * SDIFFSTORE SSCAN.
 *
 *  1. Byte for byte against a real redis-server 7.0 (withPair), in RESP2 and
 *     RESP3: every command and option, every error text and the order of
 *     the checks, the encodings and their conversion points (OBJECT
 *     ENCODING), the numeric order of intset replies, the encoding of stored
 *     results (SDIFF's two algorithms), keyspace events, keyspace hits and
 *     misses, WATCH touched by each write and not by a no-op, MULTI/EXEC,
 *     COMMAND INFO / GETKEYS. Replies whose order is a hashtable's (Redis's
 *     depends on its hash seed) are compared as multisets, and only those.
 *  2. cachette alone, where Redis is random: SPOP and SRANDMEMBER's rules
 *     (distinct members for a positive count, repeats for a negative one,
 *     the whole set at a count >= size, uniform picks, `seed` repeats them),
 *     used_memory following the sets, the bound on a huge negative
 *     SRANDMEMBER count, the test handle's view of a set, eviction.
 *  3. Through real clients: ioredis and node-redis (RESP2, and RESP3 with
 *     node-redis's typed Set replies).
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { entryBytes } from '../../src/keyspace.js';
import { withPair } from '../diff/servers.js';
import { replyLength, RespConn } from '../diff/conn.js';

type Step = [number, string[]];

/** Runs steps (connection index, command) on one server, each reply read in full; returns the replies in order. */
async function run(port: number, proto: 2 | 3, steps: Step[], conns = 1): Promise<string[]> {
  const cs: RespConn[] = [];
  try {
    for (let i = 0; i < conns; i++) {
      const c = await RespConn.connect(port);
      cs.push(c);
      if (proto === 3) await c.call(['HELLO', '3']);
    }
    const out: string[] = [];
    for (const [i, args] of steps) out.push(await cs[i]!.call(args));
    return out;
  } finally {
    for (const c of cs) c.close();
  }
}

/** The element replies of an aggregate reply (null for any other reply). */
function elements(raw: string): string[] | null {
  if (!/^[*~%>]/.test(raw)) return null;
  const b = Buffer.from(raw, 'latin1');
  let p = b.indexOf(13) + 2;
  const items: string[] = [];
  while (p < b.length) {
    const n = replyLength(b, p);
    items.push(b.latin1Slice(p, p + n));
    p += n;
  }
  return items;
}

/** An aggregate reply with its elements sorted: a multiset, for replies in a hashtable's order. */
function multiset(raw: string): string {
  const items = elements(raw);
  if (items === null) return raw;
  return raw.slice(0, raw.indexOf('\r\n') + 2) + [...items].sort().join('');
}

/** A bulk reply's text. */
function bulkText(raw: string): string {
  return raw.replace(/^\$\d+\r\n|\r\n$/g, '');
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => String(from + i));

describe('sets, byte for byte against Redis', function () {
  this.timeout(60_000);
  const pair = withPair();

  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      await run(port, 2, [[0, ['FLUSHALL']], [0, ['CONFIG', 'SET', 'notify-keyspace-events', '', 'set-max-intset-entries', '512', 'maxmemory', '0']], [0, ['CONFIG', 'RESETSTAT']], [0, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]]);
    }
  });

  /**
   * Runs the steps on both servers and expects equal replies. The replies at
   * `unordered` (indexes) are in a hashtable's order and are compared as
   * multisets; those at `random` are random picks, compared by reply type
   * and element count. Returns cachette's replies.
   */
  async function same(steps: Step[] | string[][], proto: 2 | 3 = 2, unordered: number[] = [], conns = 1, random: number[] = []): Promise<string[]> {
    const st: Step[] = steps.map((s) => (typeof s[0] === 'number' ? s as Step : [0, s as string[]]));
    const [want, got] = await Promise.all([run(pair.redis.port, proto, st, conns), run(pair.cachette.port, proto, st, conns)]);
    for (let i = 0; i < st.length; i++) {
      const what = `RESP${proto} reply ${i} to ${st[i]![1].join(' ').slice(0, 120)}`;
      if (random.includes(i)) {
        expect(got[i]![0], what).to.equal(want[i]![0]);
        expect(elements(got[i]!)?.length, what).to.equal(elements(want[i]!)?.length);
        continue;
      }
      const free = unordered.includes(i);
      expect(free ? multiset(got[i]!) : got[i], what).to.equal(free ? multiset(want[i]!) : want[i]);
    }
    return got;
  }

  /** Puts both servers back in the state beforeEach leaves. */
  async function reset(): Promise<void> {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      await run(port, 2, [[0, ['FLUSHALL']], [0, ['CONFIG', 'SET', 'notify-keyspace-events', '', 'set-max-intset-entries', '512']]]);
    }
  }

  /** `same` in RESP2 and RESP3. */
  async function both(steps: string[][], unordered: number[] = []): Promise<[string[], string[]]> {
    const a = await same(steps, 2, unordered);
    await reset();
    const b = await same(steps, 3, unordered);
    return [a, b];
  }

  /**
   * Keyspace events of a command sequence: a watcher PSUBSCRIBEd to every
   * keyspace/keyevent channel and to 'sync:done' collects frames until the
   * PUBLISH on sync:done sent after the commands (no timing window).
   */
  async function events(port: number, proto: 2 | 3, flags: string, cmds: string[][]): Promise<{ replies: string[]; events: string[] }> {
    const w = await RespConn.connect(port);
    const c = await RespConn.connect(port);
    try {
      if (proto === 3) { await w.call(['HELLO', '3']); await c.call(['HELLO', '3']); }
      await c.call(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
      await w.call(['PSUBSCRIBE', '__key*__:*', 'sync:done']);
      await w.read();
      const replies: string[] = [];
      for (const a of cmds) replies.push(await c.call(a));
      await c.call(['PUBLISH', 'sync:done', 'x']);
      const evs: string[] = [];
      for (;;) {
        const f = await w.read();
        if (f === '<timeout>' || f === '<closed>') throw new Error(`watcher: ${f}`);
        if (f.includes('$9\r\nsync:done\r\n$9\r\nsync:done\r\n')) break;
        evs.push(f);
      }
      await c.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
      return { replies, events: evs };
    } finally {
      w.close();
      c.close();
    }
  }

  async function sameEvents(cmds: string[][], flags = 'KEA', proto: 2 | 3 = 2, unordered: number[] = []): Promise<string[]> {
    const want = await events(pair.redis.port, proto, flags, cmds);
    const got = await events(pair.cachette.port, proto, flags, cmds);
    for (let i = 0; i < cmds.length; i++) {
      const free = unordered.includes(i);
      expect(free ? multiset(got.replies[i]!) : got.replies[i], `reply to ${cmds[i]!.join(' ')}`).to.equal(free ? multiset(want.replies[i]!) : want.replies[i]);
    }
    expect(got.events.join(''), 'keyspace events').to.equal(want.events.join(''));
    return got.events;
  }

  const event = (key: string, name: string): string =>
    `*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$${15 + key.length}\r\n__keyspace@0__:${key}\r\n$${name.length}\r\n${name}\r\n`;

  // ---- SADD SREM SCARD SISMEMBER SMISMEMBER ------------------------------------

  it('SADD / SREM / SCARD / SISMEMBER / SMISMEMBER: counts, duplicates, missing keys, binary members, arity', async () => {
    const [r2, r3] = await both([
      ['SADD', 's', 'a', 'b', 'a', '', '\x00\xff'], ['SADD', 's', 'a'], ['SCARD', 's'], ['SCARD', 'nokey'],
      ['SISMEMBER', 's', 'a'], ['SISMEMBER', 's', 'z'], ['SISMEMBER', 's', ''], ['SISMEMBER', 'nokey', 'a'], ['SISMEMBER', 's', '\x00\xff'],
      ['SMISMEMBER', 's', 'a', 'z', '', 'a'], ['SMISMEMBER', 'nokey', 'a', 'b'],
      ['SREM', 's', 'a', 'a', 'zz'], ['SREM', 'nokey', 'a'], ['SCARD', 's'],
      ['SADD', 's'], ['SREM', 's'], ['SCARD'], ['SCARD', 's', 'x'], ['SISMEMBER', 's'], ['SMISMEMBER', 's'],
      ['SREM', 's', 'b', '', '\x00\xff'], ['EXISTS', 's'], ['SREM', 's', 'b'],
    ]);
    expect(r2[0]).to.equal(':4\r\n');
    expect(r2[9]).to.equal('*4\r\n:1\r\n:0\r\n:1\r\n:1\r\n');
    expect(r3[9]).to.equal('*4\r\n:1\r\n:0\r\n:1\r\n:1\r\n'); // an array of integers in RESP3 too
    expect(r2[14]).to.equal("-ERR wrong number of arguments for 'sadd' command\r\n");
    expect(r2[21]).to.equal(':0\r\n');
  });

  it('WRONGTYPE from every command on a string, and no effect on the string', async () => {
    await both([
      ['SET', 'str', 'v'], ['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SCARD', 'str'], ['SISMEMBER', 'str', 'a'], ['SMISMEMBER', 'str', 'a'],
      ['SMEMBERS', 'str'], ['SRANDMEMBER', 'str'], ['SRANDMEMBER', 'str', '2'], ['SRANDMEMBER', 'str', '0'], ['SPOP', 'str'], ['SPOP', 'str', '2'], ['SPOP', 'str', '0'],
      ['SMOVE', 'str', 'x', 'a'], ['SINTER', 'str'], ['SINTERCARD', '1', 'str'], ['SINTERSTORE', 'd', 'str'], ['SUNION', 'str'], ['SUNIONSTORE', 'd', 'str'],
      ['SDIFF', 'str'], ['SDIFFSTORE', 'd', 'str'], ['SSCAN', 'str', '0'], ['GET', 'str'], ['TYPE', 'str'],
      ['SADD', 'set', 'a'], ['GET', 'set'], ['INCR', 'set'], ['APPEND', 'set', 'x'], ['TYPE', 'set'], ['OBJECT', 'ENCODING', 'set'],
    ]);
  });

  // ---- encodings --------------------------------------------------------------------

  it('intset while every member is an integer (string2ll), hashtable at the first other member, for good', async () => {
    const ints = ['0', '-1', '9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993', '42'];
    const notInts = ['007', '-0', '+1', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', '1.0', '0x10', '1e3', ''];
    const steps: string[][] = [['SADD', 'i', ...ints], ['OBJECT', 'ENCODING', 'i'], ['SMEMBERS', 'i'], ['SSCAN', 'i', '0'], ['SISMEMBER', 'i', '9007199254740992'], ['SISMEMBER', 'i', '9007199254740993']];
    for (const [n, m] of notInts.entries()) {
      steps.push(['SADD', `h${n}`, '1', '2'], ['SADD', `h${n}`, m], ['OBJECT', 'ENCODING', `h${n}`], ['SREM', `h${n}`, m], ['OBJECT', 'ENCODING', `h${n}`], ['SISMEMBER', `h${n}`, '1']);
      steps.push(['SADD', `f${n}`, m, '1'], ['OBJECT', 'ENCODING', `f${n}`]);
    }
    const [r2, r3] = await both(steps);
    expect(bulkText(r2[1]!)).to.equal('intset');
    // Ascending numeric order, exactly (int64, beyond 2^53).
    expect(r2[2]).to.equal('*7\r\n$20\r\n-9223372036854775808\r\n$17\r\n-9007199254740993\r\n$2\r\n-1\r\n$1\r\n0\r\n$2\r\n42\r\n$16\r\n9007199254740993\r\n$19\r\n9223372036854775807\r\n');
    expect(r3[2]!.startsWith('~7\r\n')).to.equal(true);
    expect(bulkText(r2[8]!)).to.equal('hashtable');
    expect(bulkText(r2[10]!)).to.equal('hashtable'); // never back
  });

  it('intset up to set-max-intset-entries (512), hashtable from the 513th member; the setting is read live; 0 means never an intset', async () => {
    await both([
      ['SADD', 'a', ...range(0, 512)], ['OBJECT', 'ENCODING', 'a'], ['SADD', 'a', '511'], ['OBJECT', 'ENCODING', 'a'],
      ['SADD', 'a', '512'], ['OBJECT', 'ENCODING', 'a'], ['SREM', 'a', '512', '511', '0'], ['OBJECT', 'ENCODING', 'a'], ['SCARD', 'a'],
      ['SADD', 'b', ...range(-600, -87)], ['OBJECT', 'ENCODING', 'b'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '3'], ['SADD', 'c', '3', '2', '1'], ['OBJECT', 'ENCODING', 'c'], ['SMEMBERS', 'c'],
      ['SADD', 'c', '4'], ['OBJECT', 'ENCODING', 'c'], ['SREM', 'c', '4'], ['OBJECT', 'ENCODING', 'c'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['SADD', 'd', '1'], ['OBJECT', 'ENCODING', 'd'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['SADD', 'e', '5', '-5'], ['OBJECT', 'ENCODING', 'e'], ['SMEMBERS', 'e'],
      ['CONFIG', 'GET', 'set-max-intset-entries'],
    ]);
  });

  it('SMEMBERS: intset in numeric order, hashtable as a multiset; RESP3 sets; empty set for a missing key', async () => {
    const [r2, r3] = await both([
      ['SADD', 'i', '10', '9', '-3', '100', '2'], ['SMEMBERS', 'i'], ['SMEMBERS', 'nokey'],
      ['SADD', 'h', 'x', 'y', '1', 'z'], ['SMEMBERS', 'h'], ['SMEMBERS'], ['SMEMBERS', 'i', 'h'],
    ], [4]);
    expect(r2[1]).to.equal('*5\r\n$2\r\n-3\r\n$1\r\n2\r\n$1\r\n9\r\n$2\r\n10\r\n$3\r\n100\r\n');
    expect(r3[1]).to.equal('~5\r\n$2\r\n-3\r\n$1\r\n2\r\n$1\r\n9\r\n$2\r\n10\r\n$3\r\n100\r\n');
    expect(r2[2]).to.equal('*0\r\n');
    expect(r3[2]).to.equal('~0\r\n');
    expect(r3[4]!.startsWith('~4\r\n')).to.equal(true);
  });

  // ---- SMOVE -------------------------------------------------------------------------

  it('SMOVE: missing source (before type checks), WRONGTYPE on either side, same key, absent member, emptied source, created destination', async () => {
    await both([
      ['SET', 'str', 'v'], ['SMOVE', 'nokey', 'str', 'a'], ['SMOVE', 'str', 'nokey', 'a'],
      ['SADD', 'src', 'a', '1', '2'], ['SMOVE', 'src', 'str', 'a'], ['SMOVE', 'src', 'src', 'a'], ['SMOVE', 'src', 'src', 'zz'],
      ['SMOVE', 'src', 'dst', 'zz'], ['EXISTS', 'dst'], ['SMOVE', 'src', 'dst', '1'], ['SMEMBERS', 'dst'], ['OBJECT', 'ENCODING', 'dst'],
      ['SMOVE', 'src', 'dst', 'a'], ['OBJECT', 'ENCODING', 'dst'], ['SADD', 'src', '1'], ['SMOVE', 'src', 'dst', '1'], ['SMEMBERS', 'src'],
      ['SMOVE', 'src', 'dst', '2'], ['EXISTS', 'src'], ['SCARD', 'dst'], ['SMOVE', 'src', 'dst', '2'],
      ['SMOVE', 'a', 'b'], ['SMOVE', 'a', 'b', 'c', 'd'],
    ]);
  });

  it('SMOVE after the destination expired moves into a new set (the source found again after the expiry)', async () => {
    await same([
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SADD', 'z-dst', 'x'], ['SADD', 'a-src', '1', '2'], ['PEXPIRE', 'z-dst', '1'], ['DEBUG', 'SLEEP', '0.01'],
      ['SMOVE', 'a-src', 'z-dst', '1'], ['SMEMBERS', 'z-dst'], ['SMEMBERS', 'a-src'], ['PTTL', 'z-dst'], ['OBJECT', 'ENCODING', 'z-dst'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ]);
  });

  // ---- SPOP SRANDMEMBER (the deterministic forms) ---------------------------------------

  it('SPOP / SRANDMEMBER: errors in Redis\'s order, count 0, missing keys, the whole set when the count reaches the size', async () => {
    const [r2, r3] = await both([
      ['SPOP', 'nokey'], ['SPOP', 'nokey', '0'], ['SPOP', 'nokey', '3'], ['SPOP', 'nokey', '-1'], ['SPOP', 'nokey', 'abc'], ['SPOP', 'nokey', '1', '2'],
      ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'], ['SRANDMEMBER', 'nokey', '-3'], ['SRANDMEMBER', 'nokey', '0'], ['SRANDMEMBER', 'nokey', 'abc'],
      ['SRANDMEMBER', 'nokey', '-9223372036854775808'], ['SRANDMEMBER', 'nokey', '9223372036854775808'], ['SRANDMEMBER', 'nokey', '1', '2'],
      ['SPOP', 'nokey', '-0'], ['SPOP', 'nokey', '9223372036854775808'],
      ['SADD', 's', '5', '3', '-1', '100'], ['SPOP', 's', '0'], ['SRANDMEMBER', 's', '0'], ['SRANDMEMBER', 's', '4'], ['SRANDMEMBER', 's', '1000'],
      ['SPOP', 's', '-5'], ['SPOP', 's', '1', '2'], ['SRANDMEMBER', 's', '1', '2'], ['SCARD', 's'],
      ['SPOP', 's', '9223372036854775807'], ['EXISTS', 's'],
      ['SADD', 'one', 'only'], ['SPOP', 'one'], ['EXISTS', 'one'], ['SADD', 'one', 'x'], ['SRANDMEMBER', 'one'], ['SRANDMEMBER', 'one', '-3'], ['SRANDMEMBER', 'one', '1'], ['SPOP', 'one', '1'], ['EXISTS', 'one'],
    ]);
    expect(r2[3]).to.equal('-ERR value is out of range, must be positive\r\n');
    expect(r2[4]).to.equal('-ERR value is out of range, must be positive\r\n');
    expect(r2[11]).to.equal('-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n');
    expect(r3[1]).to.equal('~0\r\n');
    expect(r3[7]).to.equal('*0\r\n');
    expect(r2[19]).to.equal('*4\r\n$2\r\n-1\r\n$1\r\n3\r\n$1\r\n5\r\n$3\r\n100\r\n');
    expect(r3[25]).to.equal('~4\r\n$2\r\n-1\r\n$1\r\n3\r\n$1\r\n5\r\n$3\r\n100\r\n');
    expect(r2[32]).to.equal('*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n');
  });

  it('SPOP of the whole set replies as SUNION does: an intset-first result, numeric order for integers even from a hashtable', async () => {
    await both([
      ['SADD', 'h', 'a', '3', '1', '2'], ['SREM', 'h', 'a'], ['OBJECT', 'ENCODING', 'h'], ['SPOP', 'h', '3'], ['EXISTS', 'h'],
      ['SADD', 'h2', 'b', 'a'], ['SPOP', 'h2', '5'],
    ], [6]);
  });

  it('SPOP with a count that leaves few members rebuilds the set: a hashtable of integers becomes an intset again (TTL kept)', async () => {
    // The popped members are random on both sides: compare the shapes, then the encodings and sizes.
    const steps: string[][] = [['SADD', 'big', ...range(0, 600)], ['OBJECT', 'ENCODING', 'big'], ['EXPIRE', 'big', '1000'],
      ['SPOP', 'big', '550'], ['OBJECT', 'ENCODING', 'big'], ['SCARD', 'big'], ['TTL', 'big'],
      ['SADD', 'big2', ...range(0, 600)], ['SPOP', 'big2', '10'], ['OBJECT', 'ENCODING', 'big2'], ['SCARD', 'big2']];
    for (const proto of [2, 3] as const) {
      const [want, got] = await Promise.all([run(pair.redis.port, proto, steps.map((s) => [0, s] as Step)), run(pair.cachette.port, proto, steps.map((s) => [0, s] as Step))]);
      for (const port of [pair.redis.port, pair.cachette.port]) await run(port, 2, [[0, ['FLUSHALL']]]);
      for (const i of [1, 2, 4, 5, 6, 9, 10]) expect(got[i], `RESP${proto} reply to ${steps[i]![0]} ${steps[i]![1]}`).to.equal(want[i]);
      expect(bulkText(got[4]!)).to.equal('intset');
      expect(bulkText(got[9]!)).to.equal('hashtable');
      for (const i of [3, 8]) {
        expect(got[i]!.slice(0, 6)).to.equal(want[i]!.slice(0, 6));
        expect(elements(got[i]!)!.length).to.equal(elements(want[i]!)!.length);
        expect(new Set(elements(got[i]!)).size, 'distinct').to.equal(elements(got[i]!)!.length);
      }
    }
  });

  // ---- SINTER SINTERCARD SINTERSTORE ---------------------------------------------------

  it('SINTER / SINTERCARD / SINTERSTORE: errors, missing and repeated keys, LIMIT, type checks after a missing key', async () => {
    const [r2] = await both([
      ['SADD', 'a', '1', '2', '3', '4', '5'], ['SADD', 'b', '2', '3', '4', '9'], ['SADD', 'c', '4', '3', 'x'], ['SET', 'str', 'v'],
      ['SINTER', 'a', 'b'], ['SINTER', 'a', 'a'], ['SINTER', 'a'], ['SINTER', 'a', 'nokey'], ['SINTER', 'nokey', 'str'], ['SINTER', 'a', 'str', 'nokey'],
      ['SINTER', 'a', 'b', 'c'], ['SINTER'],
      ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '2'], ['SINTERCARD', '2', 'a', 'b', 'limit', '0'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '100'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'LIMIT', '3'], ['SINTERCARD', '3', 'a', 'b', 'nokey'], ['SINTERCARD', '2', 'nokey', 'str'],
      ['SINTERCARD', '0', 'a'], ['SINTERCARD', '-1', 'a'], ['SINTERCARD', 'abc', 'a'], ['SINTERCARD', '9223372036854775808', 'a'], ['SINTERCARD', '3', 'a', 'b'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '-1'], ['SINTERCARD', '1', 'a', 'LIMIT', 'abc'], ['SINTERCARD', '1', 'a', 'LIMIT'], ['SINTERCARD', '1', 'a', 'FOO', '1'],
      ['SINTERCARD', '1', 'str', 'LIMIT', '-1'], ['SINTERCARD', '1'], ['SINTERCARD', '1', 'a', 'LIMIT\x00x', '1'],
      ['SINTERSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'], ['SINTERSTORE', 'd', 'a', 'c'], ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'str', 'a', 'b'], ['TYPE', 'str'], ['SINTERSTORE', 'd', 'a', 'nokey'], ['EXISTS', 'd'], ['SINTERSTORE', 'd', 'a', 'nokey'],
      ['SINTERSTORE', 'e', 'nokey', 'str'], ['SINTERSTORE', 'a', 'a', 'b'], ['SMEMBERS', 'a'], ['SINTERSTORE', 'd'],
      ['SADD', 'x', 'p'], ['SINTERSTORE', 'd', 'b', 'x'], ['EXISTS', 'd'],
    ], [10]); // SINTER a b c: c, a hashtable, is the smallest
    expect(r2[4]).to.equal('*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n');
    expect(r2[19]).to.equal('-ERR numkeys should be greater than 0\r\n');
    expect(r2[23]).to.equal("-ERR Number of keys can't be greater than number of args\r\n");
    expect(r2[25]).to.equal("-ERR LIMIT can't be negative\r\n");
  });

  it('SINTER replies in its smallest set\'s order; SINTERSTORE of integers from hashtables is an intset, and drops the TTL', async () => {
    await both([
      // i (4 members, an intset) is the smallest: its numeric order; h1 and h2 are hashtables.
      ['SADD', 'h1', 'a', '30', '10', '20', '40', '99'], ['SADD', 'h2', 'b', '40', '20', '10', '30', '50', '99'], ['SADD', 'i', '40', '10', '20', '30'],
      ['SINTER', 'h1', 'h2'], ['SINTER', 'h1', 'i'], ['SINTER', 'h2', 'i', 'h1'],
      ['SINTERSTORE', 'd', 'h1', 'h2'], ['OBJECT', 'ENCODING', 'd'], ['SMEMBERS', 'd'],
      ['SET', 't', 'v', 'EX', '100'], ['SINTERSTORE', 't', 'h1', 'i'], ['TTL', 't'], ['SMEMBERS', 't'],
      ['SADD', 'h1', 'b'], ['SINTERSTORE', 'd', 'h1', 'h2'], ['OBJECT', 'ENCODING', 'd'],
    ], [3]);
  });

  // ---- SUNION SUNIONSTORE SDIFF SDIFFSTORE --------------------------------------------

  it('SUNION / SDIFF and their STORE forms: results of integers come out sorted whatever the sources; errors; missing keys; same set', async () => {
    const [r2] = await both([
      ['SADD', 'h', 'a', '30', '10'], ['SADD', 'i', '20', '10', '5'], ['SADD', 'j', '5'], ['SET', 'str', 'v'],
      ['SREM', 'h', 'a'], ['OBJECT', 'ENCODING', 'h'], ['SUNION', 'h', 'i'], ['SUNION', 'i', 'nokey', 'h'], ['SUNION', 'nokey'], ['SUNION', 'i', 'str'], ['SUNION', 'nokey', 'str'],
      ['SDIFF', 'i', 'h'], ['SDIFF', 'h', 'i'], ['SDIFF', 'i', 'j', 'h'], ['SDIFF', 'i', 'i'], ['SDIFF', 'i', 'nokey', 'i'], ['SDIFF', 'nokey', 'i'], ['SDIFF', 'i'], ['SDIFF', 'i', 'str'],
      ['SUNIONSTORE', 'u', 'h', 'i'], ['OBJECT', 'ENCODING', 'u'], ['SMEMBERS', 'u'], ['SUNIONSTORE', 'u', 'nokey'], ['EXISTS', 'u'], ['SUNIONSTORE', 'u', 'nokey'],
      ['SDIFFSTORE', 'v', 'i', 'h'], ['SMEMBERS', 'v'], ['SDIFFSTORE', 'v', 'i', 'i'], ['EXISTS', 'v'], ['SDIFFSTORE', 'str', 'i', 'j'], ['TYPE', 'str'], ['SMEMBERS', 'str'],
      ['SUNIONSTORE', 'x', 'str'], ['SDIFFSTORE', 'x'], ['SUNION'], ['SDIFF'], ['SUNIONSTORE', 'x'],
      ['SADD', 'w', 'b', 'a'], ['SUNION', 'w', 'i'], ['SDIFF', 'w', 'nokey'], ['SUNIONSTORE', 'y', 'w', 'i'], ['OBJECT', 'ENCODING', 'y'],
    ], [38, 39]);
    expect(r2[6]).to.equal('*4\r\n$1\r\n5\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n');
  });

  it('SDIFFSTORE: Redis\'s choice between its two algorithms decides the stored encoding; SUNIONSTORE converts past the limit', async () => {
    await both([
      ['SADD', 'big', ...range(0, 600)], ['SADD', 's1', ...range(0, 50)], ['SADD', 's2', ...range(50, 100)], ['SADD', 's3', ...range(0, 95)],
      // algorithm 2 (the first set copied whole, then trimmed): hashtable though 500 integers remain
      ['SDIFFSTORE', 'r', 'big', 's1', 's2'], ['OBJECT', 'ENCODING', 'r'], ['SCARD', 'r'],
      // algorithm 1 (each member probed): an intset
      ['SDIFFSTORE', 'r', 'big', 's3'], ['OBJECT', 'ENCODING', 'r'], ['SCARD', 'r'], ['SDIFF', 'big', 's3'],
      ['SUNIONSTORE', 'u', 's1', 's2'], ['OBJECT', 'ENCODING', 'u'], ['SUNIONSTORE', 'u', 'big', 's1'], ['OBJECT', 'ENCODING', 'u'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '20'], ['SUNIONSTORE', 'u', 's1'], ['OBJECT', 'ENCODING', 'u'], ['SDIFF', 's2', 's3'],
    ]);
  });

  // ---- SSCAN -------------------------------------------------------------------------

  it('SSCAN: an intset whole with cursor 0 whatever the cursor and COUNT; MATCH; the cursor checked before the key, the options after', async () => {
    const [r2, r3] = await both([
      ['SADD', 'i', '3', '1', '2', '10', '-20', '100'], ['SSCAN', 'i', '0'], ['SSCAN', 'i', '123', 'COUNT', '1'], ['SSCAN', 'i', '0', 'MATCH', '1*'],
      ['SSCAN', 'i', '0', 'match', '-*', 'count', '2'], ['SSCAN', 'i', '0', 'MATCH', '*'], ['SSCAN', 'i', '0', 'MATCH', '[0-2]', 'MATCH', '3'],
      ['SSCAN', 'i', 'abc'], ['SSCAN', 'nokey', 'abc'], ['SSCAN', 'i', '-1'], ['SSCAN', 'i', '18446744073709551616'], ['SSCAN', 'i', ' 0'],
      ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['SSCAN', 'nokey', '0', 'FOO'],
      ['SSCAN', 'i', '0', 'COUNT', '0'], ['SSCAN', 'i', '0', 'COUNT', '-1'], ['SSCAN', 'i', '0', 'COUNT', 'abc'], ['SSCAN', 'i', '0', 'COUNT'],
      ['SSCAN', 'i', '0', 'TYPE', 'set'], ['SSCAN', 'i', '0', 'FOO', 'bar'], ['SSCAN', 'i'],
      ['SET', 'str', 'v'], ['SSCAN', 'str', '0'], ['SSCAN', 'str', '0', 'COUNT', '0'], ['SSCAN', 'str', 'x'],
    ]);
    expect(r2[1]).to.equal('*2\r\n$1\r\n0\r\n*6\r\n$3\r\n-20\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$3\r\n100\r\n');
    expect(r3[1]).to.equal(r2[1]); // arrays in RESP3 too
    expect(r2[13]).to.equal('*2\r\n$1\r\n0\r\n*0\r\n');
  });

  it('SSCAN over a hashtable: a full iteration returns every member (compared as a set), with MATCH and COUNT', async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      await run(port, 2, [[0, ['SADD', 'h', ...range(0, 300).map((n) => `m${n}`), 'x', 'yy']]]);
    }
    const full = async (port: number, opts: string[]): Promise<string[]> => {
      const c = await RespConn.connect(port);
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const items = elements(await c.call(['SSCAN', 'h', cursor, ...opts]))!;
        cursor = bulkText(items[0]!);
        for (const m of elements(items[1]!)!) seen.add(bulkText(m));
        calls++;
      } while (cursor !== '0' && calls < 1000);
      c.close();
      return [...seen].sort();
    };
    for (const opts of [[], ['COUNT', '7'], ['MATCH', 'm1*'], ['MATCH', 'm1?', 'COUNT', '1000'], ['MATCH', 'nothing*']]) {
      const [want, got] = await Promise.all([full(pair.redis.port, opts), full(pair.cachette.port, opts)]);
      expect(got, `SSCAN ${opts.join(' ')}`).to.deep.equal(want);
    }
    expect((await full(pair.cachette.port, [])).length).to.equal(302);
  });

  // ---- events, stats, WATCH, MULTI, COMMAND ----------------------------------------------

  it('keyspace events of every write, in Redis\'s order (sadd, srem, del, spop, smove, the STORE events, new, keymiss), RESP2 and RESP3', async () => {
    const cmds: string[][] = [
      ['SADD', 's', '1', '2'], ['SADD', 's', '1'], ['SREM', 's', 'x'], ['SREM', 's', '1', '2', '3'], ['EXISTS', 's'],
      ['SADD', 's', '1', '2', 'a'], ['SMOVE', 's', 'd', 'zz'], ['SMOVE', 's', 'd', '1'], ['SMOVE', 's', 'd', '1'], ['SMOVE', 's', 'd', '2'], ['SMOVE', 's', 'd', 'a'],
      ['SMOVE', 'd', 'd', 'a'], ['SADD', 'one', 'x'], ['SPOP', 'one'], ['SPOP', 'd', '0'], ['SPOP', 'd', '10'], ['SPOP', 'nokey', '2'],
      ['SADD', 'x', '1', '2', '3'], ['SINTERSTORE', 'y', 'x', 'x'], ['SINTERSTORE', 'y', 'x', 'nokey'], ['SINTERSTORE', 'y', 'x', 'nokey'],
      ['SUNIONSTORE', 'y', 'x'], ['SDIFFSTORE', 'y', 'x', 'x'], ['SDIFFSTORE', 'y', 'x', 'nokey'], ['SUNIONSTORE', 'z', 'nokey'],
      ['SINTER', 'x', 'nokey', 'm2'], ['SINTERCARD', '2', 'nokey', 'm3'], ['SUNION', 'm4', 'x'], ['SMISMEMBER', 'm5', 'a'], ['SRANDMEMBER', 'm6'], ['SSCAN', 'm7', '0'],
      ['SMEMBERS', 'm8'], ['SCARD', 'm9'], ['SISMEMBER', 'm10', 'a'], ['SPOP', 'm11'], ['SREM', 'm12', 'a'], ['SMOVE', 'm13', 'm14', 'a'], ['SDIFFSTORE', 'q', 'm15'],
    ];
    for (const proto of [2, 3] as const) {
      for (const flags of ['KEA', 'KEAnm', 'Es', 'Kgn']) {
        const evs = await sameEvents(cmds, flags, proto, [15]); // SPOP d 10: the whole of a hashtable
        if (flags === 'KEA' && proto === 2) expect(evs.slice(0, 2).join('')).to.equal(event('s', 'sadd') + '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$19\r\n__keyevent@0__:sadd\r\n$1\r\ns\r\n');
        for (const port of [pair.redis.port, pair.cachette.port]) await run(port, 2, [[0, ['FLUSHALL']]]);
      }
    }
  });

  it('SPOP with a count: the spop event, then del when the set is emptied (the popped members are random: shapes and events)', async () => {
    const cmds = [['SADD', 'p', '1', '2', '3', '4', '5', '6', '7'], ['SPOP', 'p', '2'], ['SPOP', 'p', '4'], ['SPOP', 'p'], ['SPOP', 'p'], ['EXISTS', 'p']];
    for (const proto of [2, 3] as const) {
      const want = await events(pair.redis.port, proto, 'KEA', cmds);
      const got = await events(pair.cachette.port, proto, 'KEA', cmds);
      expect(got.events.join('')).to.equal(want.events.join(''));
      // sadd, spop (2 popped), spop (4), spop (the last), del: each on a keyspace and a keyevent channel.
      expect(got.events.length).to.equal(2 * 5);
      for (const i of [0, 4, 5]) expect(got.replies[i]).to.equal(want.replies[i]);
      for (const i of [1, 2]) expect(elements(got.replies[i]!)!.length).to.equal(elements(want.replies[i]!)!.length);
      expect(got.replies[1]!.slice(0, 4)).to.equal(proto === 3 ? '~2\r\n' : '*2\r\n');
      expect(got.replies[3]).to.match(/^\$1\r\n[1-7]\r\n$/);
      for (const port of [pair.redis.port, pair.cachette.port]) await run(port, 2, [[0, ['FLUSHALL']]]);
    }
  });

  it('keyspace hits and misses: reads and every source of SINTER/SUNION/SDIFF (STORE forms too) count, writes do not', async () => {
    const steps: string[][] = [
      ['SADD', 'a', '1', '2'], ['SADD', 'b', '2'], ['SREM', 'nokey', 'x'], ['SMOVE', 'nokey', 'nokey2', 'x'], ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'],
      ['SCARD', 'a'], ['SCARD', 'nokey'], ['SISMEMBER', 'a', '1'], ['SMISMEMBER', 'nokey', 'x'], ['SMEMBERS', 'a'], ['SRANDMEMBER', 'nokey', '2'],
      ['SINTER', 'a', 'nokey', 'b'], ['SINTERSTORE', 'd', 'a', 'b'], ['SUNIONSTORE', 'd', 'nokey', 'a'], ['SDIFF', 'a', 'b', 'nokey'], ['SINTERCARD', '2', 'a', 'b'],
      ['SSCAN', 'a', '0'], ['SSCAN', 'nokey', '0'], ['SPOP', 'a', '10'], ['INFO', 'stats'],
    ];
    const pick = (info: string): string => (info.match(/keyspace_(hits|misses):\d+/g) ?? []).join(' ');
    const [want, got] = await Promise.all([run(pair.redis.port, 2, steps.map((s) => [0, s] as Step)), run(pair.cachette.port, 2, steps.map((s) => [0, s] as Step))]);
    expect(pick(got[20]!)).to.equal(pick(want[20]!));
    expect(pick(want[20]!)).to.match(/keyspace_hits:\d+ keyspace_misses:\d+/);
  });

  it('WATCH: every write that changes a set aborts EXEC; a write that changes nothing does not', async () => {
    const writes: Array<[string[], string[]]> = [
      // [setup, the other client's command]
      [['SADD', 'k', 'a'], ['SADD', 'k', 'b']], [['SADD', 'k', 'a'], ['SADD', 'k', 'a']],
      [['SADD', 'k', 'a', 'b'], ['SREM', 'k', 'a']], [['SADD', 'k', 'a'], ['SREM', 'k', 'zz']], [['SADD', 'k', 'a'], ['SREM', 'k', 'a']],
      [['SADD', 'k', 'a'], ['SMOVE', 'k', 'o', 'a']], [['SADD', 'k', 'a'], ['SMOVE', 'k', 'o', 'zz']], [['SADD', 'o', 'a'], ['SMOVE', 'o', 'k', 'a']],
      [['SADD', 'k', 'a'], ['SMOVE', 'k', 'k', 'a']], [['SADD', 'k', 'a', 'b'], ['SPOP', 'k']], [['SADD', 'k', 'a'], ['SPOP', 'k', '0']], [['SADD', 'k', 'a'], ['SPOP', 'k', '5']],
      [['SADD', 'o', 'a'], ['SINTERSTORE', 'k', 'o']], [['SADD', 'o', 'a'], ['SINTERSTORE', 'k', 'o', 'nokey']], [['SADD', 'k', 'a'], ['SINTERSTORE', 'k', 'nokey']],
      [['SADD', 'o', 'a'], ['SUNIONSTORE', 'k', 'o']], [['SADD', 'o', 'a'], ['SDIFFSTORE', 'k', 'o', 'o']], [['SADD', 'k', 'a'], ['SDIFFSTORE', 'k', 'o', 'o']],
      [['SADD', 'k', 'a'], ['SMEMBERS', 'k']], [['SADD', 'k', 'a'], ['SRANDMEMBER', 'k', '-3']], [['SADD', 'k', 'a', 'b'], ['SPOP', 'k', '1']],
    ];
    for (const [setup, other] of writes) {
      const steps: Step[] = [[0, ['FLUSHALL']], [0, setup], [0, ['WATCH', 'k']], [1, other], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']]];
      const random = other[0] === 'SPOP' && setup.length > 3 ? [3] : [];
      const got = await same(steps, 2, [], 2, random);
      expect(got[6], `${setup.join(' ')} / ${other.join(' ')}`).to.match(/^\*(-1|1)\r\n/);
    }
  });

  it('MULTI/EXEC with set commands, in RESP2 and RESP3', async () => {
    await both([
      ['MULTI'], ['SADD', 's', '3', '1', '2'], ['SMEMBERS', 's'], ['SINTERCARD', '1', 's'], ['SPOP', 's', '0'], ['SMISMEMBER', 's', '1', '9'],
      ['SUNIONSTORE', 'u', 's'], ['SADD', 'u'], ['EXEC'],
      ['MULTI'], ['SADD', 's', 'x'], ['SCARD', 's'], ['SET', 'str', 'v'], ['SADD', 'str', 'a'], ['SCARD', 's'], ['EXEC'],
    ]);
  });

  it('COMMAND INFO of the single-key-spec set commands, and COMMAND GETKEYS (SINTERCARD\'s numkeys too)', async () => {
    await both([
      ['COMMAND', 'INFO', 'sadd', 'srem', 'scard', 'sismember', 'smismember', 'smembers', 'srandmember', 'spop', 'sinter', 'sunion', 'sdiff', 'sscan'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '3', 'a', 'b'], ['COMMAND', 'GETKEYS', 'SINTERCARD', 'x', 'a'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '1'], ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'], ['COMMAND', 'GETKEYS', 'SINTERSTORE', 'd', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'SADD', 'k', 'a', 'b'], ['COMMAND', 'GETKEYS', 'SSCAN', 'k', '0'],
    ]);
    // The commands with two key specs (or a keynum spec): cachette declares one range spec (README,
    // Known differences), so only name, arity, flags, legacy key positions, ACL categories and tips are compared.
    const info = ['COMMAND', 'INFO', 'smove', 'sinterstore', 'sunionstore', 'sdiffstore', 'sintercard'];
    const [want, got] = await Promise.all([run(pair.redis.port, 2, [[0, info]]), run(pair.cachette.port, 2, [[0, info]])]);
    const head = (raw: string): string[] => elements(raw)!.map((e) => elements(e)!.slice(0, 8).join(''));
    expect(head(got[0]!)).to.deep.equal(head(want[0]!));
  });

  it('MONITOR shows the set commands as sent (SPOP and SPOP with a count as such: Redis rewrites only what it replicates)', async () => {
    const cmds = [['SADD', 's', '1', '2', '3', 'a b'], ['SPOP', 's', '1'], ['SPOP', 's'], ['SPOP', 's', '10'], ['SMOVE', 'x', 'y', '\x00'], ['SINTERCARD', '1', 's', 'LIMIT', '2']];
    const watch = async (port: number): Promise<string> => {
      const m = await RespConn.connect(port);
      const c = await RespConn.connect(port);
      try {
        expect(await m.call(['MONITOR'])).to.equal('+OK\r\n');
        for (const a of cmds) await c.call(a);
        let out = '';
        for (let i = 0; i < cmds.length; i++) out += await m.read();
        return out.replace(/\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\]/g, '+T [0 A]');
      } finally {
        m.close();
        c.close();
      }
    };
    const want = await watch(pair.redis.port);
    expect(await watch(pair.cachette.port)).to.equal(want);
    expect(want).to.equal('+T [0 A] "SADD" "s" "1" "2" "3" "a b"\r\n+T [0 A] "SPOP" "s" "1"\r\n+T [0 A] "SPOP" "s"\r\n+T [0 A] "SPOP" "s" "10"\r\n'
      + '+T [0 A] "SMOVE" "x" "y" "\\x00"\r\n+T [0 A] "SINTERCARD" "1" "s" "LIMIT" "2"\r\n');
  });

  it('RENAME, EXPIRE and DEL on a set; TYPE and SCAN TYPE see it', async () => {
    await both([
      ['SADD', 's', '2', '1'], ['RENAME', 's', 't'], ['SMEMBERS', 't'], ['TYPE', 't'], ['SCAN', '0', 'TYPE', 'set'], ['OBJECT', 'ENCODING', 't'],
      ['EXPIRE', 't', '100'], ['SADD', 't', '3'], ['TTL', 't'], ['DEL', 't'], ['EXISTS', 't'],
    ]);
  });
});

// ---- cachette alone ---------------------------------------------------------------------

describe('sets, cachette alone (random replies, memory, bounds, handle)', function () {
  this.timeout(60_000);
  let srv: ServerHandle;
  let conn: RespConn;
  before(async () => {
    srv = await startServer({ seed: 12345 });
    conn = await RespConn.connect(srv.port);
  });
  after(async () => {
    conn.close();
    await srv.close();
  });
  beforeEach(async () => { await conn.call(['FLUSHALL']); });

  const members = (raw: string): string[] => elements(raw)!.map(bulkText);

  it('SRANDMEMBER: distinct members of the set for a positive count (every strategy), repeats for a negative count, uniform', async () => {
    for (const [size, enc] of [[10, 'intset'], [40, 'hashtable'], [600, 'hashtable']] as const) {
      const set = enc === 'intset' ? range(0, size) : range(0, size).map((n) => `m${n}`);
      await conn.call(['DEL', 's']);
      await conn.call(['SADD', 's', ...set]);
      expect(bulkText(await conn.call(['OBJECT', 'ENCODING', 's']))).to.equal(enc);
      // count*3 > size (Redis's case 3) and count*3 <= size (case 4), and at and past the size (case 2).
      for (const count of [1, 2, Math.floor(size / 3), Math.floor(size / 2), size - 1, size, size + 5]) {
        for (let t = 0; t < 5; t++) {
          const got = members(await conn.call(['SRANDMEMBER', 's', String(count)]));
          expect(got.length).to.equal(Math.min(count, size));
          expect(new Set(got).size, `distinct for count ${count}`).to.equal(got.length);
          for (const m of got) expect(set).to.include(m);
          if (count >= size && enc === 'intset') expect(got).to.deep.equal(set); // the whole intset, in order
        }
      }
      const rep = members(await conn.call(['SRANDMEMBER', 's', '-50']));
      expect(rep.length).to.equal(50);
      for (const m of rep) expect(set).to.include(m);
    }
    // Repeats do happen for a negative count (a 2-member set, 40 picks), and the picks are roughly uniform.
    await conn.call(['DEL', 's']);
    await conn.call(['SADD', 's', 'a', 'b', 'c', 'd']);
    const counts: Record<string, number> = {};
    for (const m of members(await conn.call(['SRANDMEMBER', 's', '-4000']))) counts[m] = (counts[m] ?? 0) + 1;
    expect(Object.keys(counts).sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    for (const n of Object.values(counts)) expect(n).to.be.within(850, 1150);
    const single = new Set<string>();
    for (let i = 0; i < 200; i++) single.add(bulkText(await conn.call(['SRANDMEMBER', 's'])));
    expect([...single].sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(await conn.call(['SCARD', 's'])).to.equal(':4\r\n');
  });

  it('SPOP: removes exactly the members it returns, distinct, in both strategies and both encodings', async () => {
    for (const [size, count, enc] of [[10, 3, 'intset'], [10, 9, 'intset'], [300, 20, 'hashtable'], [300, 290, 'hashtable'], [700, 650, 'hashtable']] as const) {
      const set = enc === 'intset' || size === 700 ? range(0, size) : range(0, size).map((n) => `m${n}`);
      await conn.call(['DEL', 's']);
      await conn.call(['SADD', 's', ...set]);
      const popped = members(await conn.call(['SPOP', 's', String(count)]));
      expect(popped.length).to.equal(count);
      expect(new Set(popped).size).to.equal(count);
      const left = members(await conn.call(['SMEMBERS', 's']));
      expect([...popped, ...left].sort()).to.deep.equal([...set].sort());
      expect(await conn.call(['SCARD', 's'])).to.equal(`:${size - count}\r\n`);
      // Case 3 (remaining * 5 <= count) rebuilds the set: the 50 integers left of 700 are an intset again.
      if (size === 700) expect(bulkText(await conn.call(['OBJECT', 'ENCODING', 's']))).to.equal('intset');
      if (size === 10 && count === 9) expect(popped).to.deep.equal([...popped].sort((a, b) => Number(a) - Number(b))); // the rest of an intset, in order
    }
    await conn.call(['SADD', 'one', 'a', 'b']);
    const first = bulkText(await conn.call(['SPOP', 'one']));
    const second = bulkText(await conn.call(['SPOP', 'one']));
    expect([first, second].sort()).to.deep.equal(['a', 'b']);
    expect(await conn.call(['EXISTS', 'one'])).to.equal(':0\r\n');
  });

  it('the same `seed` gives the same SPOP and SRANDMEMBER replies; another seed other ones', async () => {
    const replies = async (seed: number): Promise<string[]> => {
      const s = await startServer({ seed });
      const c = await RespConn.connect(s.port);
      try {
        await c.call(['SADD', 's', ...range(0, 100).map((n) => `m${n}`)]);
        await c.call(['SADD', 'i', ...range(0, 100)]);
        const out: string[] = [];
        for (const args of [['SRANDMEMBER', 's', '5'], ['SRANDMEMBER', 's', '-5'], ['SRANDMEMBER', 'i'], ['SPOP', 's', '3'], ['SPOP', 'i'], ['SPOP', 'i', '90']]) out.push(await c.call(args));
        return out;
      } finally {
        c.close();
        await s.close();
      }
    };
    const a = await replies(7);
    expect(await replies(7)).to.deep.equal(a);
    expect(await replies(8)).to.not.deep.equal(a);
  });

  it('used_memory and MEMORY USAGE follow a set as it grows, converts, shrinks, is rebuilt by SPOP and goes', async () => {
    const used = (): number => Number(srv.info('memory').used_memory_dataset);
    /** The account must always equal the sum over the entries, recomputed from scratch. */
    const exact = (): void => {
      const db = srv.server.dbs[0]!;
      let sum = db.tableBytes();
      for (let i = 0; i < db.size; i++) sum += entryBytes(db.keys[i]!, db.vals[i]!);
      expect(db.bytes + db.tableBytes(), 'account = sum of entries').to.equal(sum);
    };
    const base = used();
    await conn.call(['SADD', 's', ...range(0, 500)]);
    exact();
    const intset = used();
    expect(intset).to.be.above(base + 500 * 8);
    await conn.call(['SADD', 's', 'x']);
    exact();
    const ht = used();
    expect(ht, 'a hashtable costs more than an intset').to.be.above(intset);
    const usage = Number((await conn.call(['MEMORY', 'USAGE', 's'])).slice(1));
    expect(usage).to.be.above(ht - intset);
    await conn.call(['SREM', 's', ...range(0, 400)]);
    exact();
    expect(used()).to.be.below(ht);
    await conn.call(['SPOP', 's', '10']); // pops one by one (case 2)
    exact();
    await conn.call(['SPOP', 's', '80']); // keeps 11 of 91 in a new set (case 3)
    exact();
    await conn.call(['SINTERSTORE', 'd', 's', 's']);
    await conn.call(['SUNIONSTORE', 'u', 's', 'd']);
    await conn.call(['SDIFFSTORE', 'u', 's', 'd']);
    exact();
    await conn.call(['SMOVE', 's', 'd', (members(await conn.call(['SMEMBERS', 's'])))[0]!]);
    await conn.call(['SPOP', 'd']);
    exact();
    await conn.call(['DEL', 's', 'd']);
    expect(used()).to.equal(base);
  });

  it('the test handle shows a set (intset members in order); eviction frees sets', async () => {
    await conn.call(['SADD', 's', '10', '2', '-1']);
    expect(srv.get('s')).to.deep.equal({ type: 'set', value: ['-1', '2', '10'] });
    await conn.call(['SADD', 'h', 'b', 'a']);
    expect((srv.get('h') as { value: string[] }).value.sort()).to.deep.equal(['a', 'b']);
    await conn.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random']);
    await conn.call(['CONFIG', 'SET', 'maxmemory', '1']);
    expect(await conn.call(['SADD', 'n', 'x'])).to.match(/^-OOM /);
    await conn.call(['CONFIG', 'SET', 'maxmemory', '0']);
    await conn.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    expect(await conn.call(['DBSIZE'])).to.equal(':0\r\n');
  });

  it('SRANDMEMBER with a huge negative count: the client is closed at its output limit (as Redis), or at 256 MiB; the server goes on', async () => {
    await conn.call(['SADD', 's', 'a-member-of-16-b']);
    await conn.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0']);
    const before = srv.server.stats.obufDisconnections;
    const c = await RespConn.connect(srv.port);
    expect(await c.call(['SRANDMEMBER', 's', '-9223372036854775807'])).to.equal('<closed>');
    expect(srv.server.stats.obufDisconnections).to.equal(before + 1);
    await conn.call(['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0']);
    const c2 = await RespConn.connect(srv.port);
    expect(await c2.call(['SRANDMEMBER', 's', '-9223372036854775807'], 30_000)).to.equal('<closed>');
    expect(srv.server.stats.obufDisconnections).to.equal(before + 2);
    expect(await conn.call(['SCARD', 's'])).to.equal(':1\r\n');
    // A large but bounded count is answered in full.
    const c3 = await RespConn.connect(srv.port);
    const big = await c3.call(['SRANDMEMBER', 's', '-100000']);
    expect(big.startsWith('*100000\r\n$16\r\na-member-of-16-b\r\n')).to.equal(true);
    expect(big.length).to.equal(9 + 100000 * 23);
    c3.close();
  });

  it('a fault injected on a key matches SINTERCARD\'s numkeys keys (movable keys) and no other argument', async () => {
    srv.faults.inject({ key: 'target' }, { error: 'ERR injected' });
    try {
      expect(await conn.call(['SINTERCARD', '2', 'x', 'target'])).to.equal('-ERR injected\r\n');
      expect(await conn.call(['SINTERCARD', '1', 'x', 'LIMIT', '5'])).to.equal(':0\r\n');
      expect(await conn.call(['SMEMBERS', 'target'])).to.equal('-ERR injected\r\n');
      expect(await conn.call(['SADD', 'x', 'target'])).to.equal(':1\r\n');
    } finally {
      srv.faults.clear();
    }
  });
});

// ---- real clients ---------------------------------------------------------------------

describe('sets through ioredis and node-redis', function () {
  this.timeout(30_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer({}); });
  after(async () => { await srv.close(); });

  for (const protocol of [3, 2] as const) it(`ioredis (protocol ${protocol}): sadd, smembers, sismember, smismember, sinter, sunionstore, sdiff, smove, spop, srandmember, sscanStream`, async () => {
    const r = new Redis(srv.port, '127.0.0.1', { lazyConnect: true, protocol });
    await r.connect();
    try {
      await r.flushall();
      expect(await r.sadd('s', 3, 1, 2)).to.equal(3);
      expect(await r.smembers('s')).to.deep.equal(['1', '2', '3']);
      expect(await r.sismember('s', 2)).to.equal(1);
      expect(await r.smismember('s', 1, 9)).to.deep.equal([1, 0]);
      expect(await r.sadd('t', 2, 3, 4)).to.equal(3);
      expect(await r.sinter('s', 't')).to.deep.equal(['2', '3']);
      expect(await r.sintercard(2, 's', 't')).to.equal(2);
      expect(await r.sunionstore('u', 's', 't')).to.equal(4);
      expect(await r.sdiff('u', 's')).to.deep.equal(['4']);
      expect(await r.smove('u', 's', '4')).to.equal(1);
      expect(await r.scard('s')).to.equal(4);
      const popped = await r.spop('s', 2);
      expect(popped).to.have.length(2);
      expect(await r.scard('s')).to.equal(2);
      expect(await r.srandmember('s', -5)).to.have.length(5);
      const seen: string[] = [];
      await r.sadd('big', ...range(0, 100).map((n) => `m${n}`));
      await new Promise<void>((resolve, reject) => {
        const st = r.sscanStream('big', { count: 10 });
        st.on('data', (b: string[]) => seen.push(...b));
        st.on('end', resolve);
        st.on('error', reject);
      });
      expect(new Set(seen).size).to.equal(100);
      await r.set('str', 'v');
      let err: Error | null = null;
      try { await r.sadd('str', 'a'); } catch (e) { err = e as Error; }
      expect(err?.message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
    } finally {
      r.disconnect();
    }
  });

  for (const resp of [2, 3] as const) {
    it(`node-redis RESP${resp}: set commands; in RESP3 SMEMBERS/SINTER/SUNION/SDIFF are typed Sets with a type mapping`, async () => {
      const c = createClient({ url: srv.url, RESP: resp });
      c.on('error', () => {});
      await c.connect();
      try {
        await c.flushAll();
        expect(await c.sAdd('s', ['3', '1', '2'])).to.equal(3);
        expect(await c.sMembers('s')).to.deep.equal(['1', '2', '3']);
        expect(await c.sIsMember('s', '1')).to.equal(1);
        expect(await c.smIsMember('s', ['1', 'x'])).to.deep.equal([1, 0]);
        expect(await c.sCard('s')).to.equal(3);
        expect(await c.sAdd('t', ['2', '9'])).to.equal(2);
        expect(await c.sInter(['s', 't'])).to.deep.equal(['2']);
        expect(await c.sInterCard(['s', 't'], { LIMIT: 1 })).to.equal(1);
        expect(await c.sUnion(['s', 't'])).to.deep.equal(['1', '2', '3', '9']);
        expect(await c.sDiffStore('d', ['s', 't'])).to.equal(2);
        expect(await c.sMove('d', 't', '1')).to.equal(1);
        expect(await c.sRem('t', ['1', 'zz'])).to.equal(1);
        const scan = await c.sScan('s', '0');
        expect(scan).to.deep.equal({ cursor: '0', members: ['1', '2', '3'] });
        expect((await c.sRandMemberCount('s', -4)).length).to.equal(4);
        expect(await c.sPopCount('s', 10)).to.deep.equal(['1', '2', '3']);
        if (resp === 3) {
          const typed = c.withTypeMapping({ [RESP_TYPES.SET]: Set });
          await c.sAdd('x', ['b', 'a']);
          const m = await typed.sMembers('x');
          expect(m).to.be.instanceOf(Set);
          expect([...(m as unknown as Set<string>)].sort()).to.deep.equal(['a', 'b']);
          expect(await typed.sUnion(['x', 'nokey'])).to.be.instanceOf(Set);
          expect(await typed.sInter(['x', 'nokey'])).to.be.instanceOf(Set);
          expect(await typed.sDiff(['x', 'nokey'])).to.be.instanceOf(Set);
        }
      } finally {
        c.destroy();
      }
    });
  }
});
