/**
 * List commands (src/commands/list.ts), non-blocking forms and the blocking
 * forms where they do not block (data present, or inside MULTI):
 *
 *  1. Byte for byte against a real redis-server 7.0 (withPair), in RESP2 and
 *     RESP3: every command and option, each error text and which error wins
 *     (argument checks before or after the key lookup), missing keys and
 *     WRONGTYPE, int64 edges (LONG_MIN ranks, counts and indexes), long lists
 *     crossing cachette's 128-element chunks, OBJECT ENCODING / TYPE, the
 *     list CONFIG parameters, keyspace events in order around each reply,
 *     keyspace hits and misses (read versus write lookups), WATCH touched by
 *     each write and not by failed ones, commandstats.
 *  2. cachette alone: used_memory follows the lists as they grow and shrink
 *     (the account against a recount), the test handle's view.
 *  3. Through real clients: ioredis and node-redis (RESP2 and RESP3).
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { withPair } from '../diff/servers.js';
import { RespConn, runScript, runStream as stream } from '../diff/conn.js';
import type { ListValue } from '../../src/types/list.js';

const run = runScript;



const LONG_MIN = '-9223372036854775808';
const LONG_MAX = '9223372036854775807';

describe('list commands', function () {
  const pair = withPair();

  /** Runs the script on both servers after FLUSHALL and a fixed data set; asserts equal replies; returns cachette's. */
  async function both(script: string[][], proto: '2' | '3' = '2'): Promise<string[]> {
    const long = Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? 'x' : String(i % 37)));
    const setup: string[][] = [
      ['HELLO', proto], ['FLUSHALL'], ['CONFIG', 'RESETSTAT'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'a'],
      ['RPUSH', 'long', ...long],
      ['SET', 'str', 'v'],
    ];
    const r = await run(pair.redis.port, [...setup, ...script]);
    const c = await run(pair.cachette.port, [...setup, ...script]);
    expect(c.slice(setup.length)).to.deep.equal(r.slice(setup.length));
    return c.slice(setup.length);
  }

  for (const proto of ['2', '3'] as const) {
    it(`push, pop with and without a count, LLEN, LPUSHX/RPUSHX (RESP${proto})`, async () => {
      const r = await both([
        ['LPUSH', 'n', '1', '2', '3'], ['RPUSH', 'n', '4', ''], ['LRANGE', 'n', '0', '-1'], ['LLEN', 'n'], ['LLEN', 'nokey'], ['LLEN', 'str'],
        ['LPUSHX', 'nokey', 'a'], ['RPUSHX', 'nokey', 'a', 'b'], ['EXISTS', 'nokey'], ['LPUSHX', 'n', 'h1', 'h2'], ['RPUSHX', 'n', 't'], ['LPUSHX', 'str', 'a'],
        ['LPUSH', 'str', 'a'], ['RPUSH', 'str'], ['LPOP', 'n'], ['RPOP', 'n'], ['LPOP', 'n', '2'], ['RPOP', 'n', '2'], ['LPOP', 'n', '0'],
        ['LPOP', 'n', '100'], ['EXISTS', 'n'], ['LPOP', 'n'], ['LPOP', 'n', '1'], ['LPOP', 'n', '0'], ['RPOP', 'n', '0'],
        ['LPOP', 'l', '-1'], ['LPOP', 'l', 'abc'], ['LPOP', 'nokey', 'abc'], ['LPOP', 'str', 'abc'], ['LPOP', 'str', '0'], ['LPOP', 'str'],
        ['LPOP', 'l', '1', '2'], ['RPOP', 'l', '1', '2'], ['RPOP', 'l', LONG_MAX], ['LPOP', 'long', '3'], ['RPOP', 'long', '3'], ['LLEN', 'long'],
      ], proto);
      expect(r[0]).to.equal(':3\r\n');
      expect(r[2]).to.equal('*5\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n4\r\n$0\r\n\r\n');
      expect(r[11]).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      expect(r[18]).to.equal('*0\r\n');
      expect(r[22]).to.equal(proto === '2' ? '*-1\r\n' : '_\r\n');
      expect(r[25]).to.equal('-ERR value is out of range, must be positive\r\n');
      expect(r[31]).to.equal("-ERR wrong number of arguments for 'lpop' command\r\n");
    });

    it(`LINDEX, LSET, LRANGE, LTRIM: indexes from both ends, int64 edges, argument checks against the lookup (RESP${proto})`, async () => {
      const r = await both([
        ['LINDEX', 'l', '0'], ['LINDEX', 'l', '-1'], ['LINDEX', 'l', '5'], ['LINDEX', 'l', '6'], ['LINDEX', 'l', '-7'], ['LINDEX', 'l', LONG_MIN], ['LINDEX', 'l', LONG_MAX],
        ['LINDEX', 'nokey', 'abc'], ['LINDEX', 'l', 'abc'], ['LINDEX', 'str', 'abc'], ['LINDEX', 'long', '150'], ['LINDEX', 'long', '-150'], ['LINDEX', 'long', '299'],
        ['LSET', 'l', '0', 'A'], ['LSET', 'l', '-1', 'Z'], ['LSET', 'l', '6', 'x'], ['LSET', 'l', '-7', 'x'], ['LSET', 'l', LONG_MIN, 'x'], ['LSET', 'nokey', 'abc', 'x'],
        ['LSET', 'l', 'abc', 'x'], ['LSET', 'str', 'abc', 'x'], ['LSET', 'long', '200', 'mid'], ['LINDEX', 'long', '200'],
        ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l', '-100', '100'], ['LRANGE', 'l', '2', '1'], ['LRANGE', 'l', '6', '10'], ['LRANGE', 'l', '-2', '-1'],
        ['LRANGE', 'l', LONG_MIN, LONG_MAX], ['LRANGE', 'nokey', '0', '-1'], ['LRANGE', 'nokey', 'a', 'b'], ['LRANGE', 'str', '0', '1'], ['LRANGE', 'l', '0', 'x'],
        ['LRANGE', 'long', '120', '140'], ['LRANGE', 'long', '-140', '-120'], ['LRANGE', 'long', '250', '1000'],
        ['LTRIM', 'nokey', 'a', 'b'], ['LTRIM', 'nokey', '0', '1'], ['LTRIM', 'str', '0', '1'], ['LTRIM', 'long', '100', '-100'], ['LLEN', 'long'], ['LRANGE', 'long', '0', '4'],
        ['LTRIM', 'long', '-3', '-1'], ['LRANGE', 'long', '0', '-1'], ['LTRIM', 'long', LONG_MAX, LONG_MIN], ['EXISTS', 'long'], ['LTRIM', 'l', '1', '1'], ['LRANGE', 'l', '0', '-1'],
      ], proto);
      expect(r[3]).to.equal(proto === '2' ? '$-1\r\n' : '_\r\n');
      expect(r[7]).to.equal(proto === '2' ? '$-1\r\n' : '_\r\n'); // a missing key answers before the bad index
      expect(r[8]).to.equal('-ERR value is not an integer or out of range\r\n');
      expect(r[15]).to.equal('-ERR index out of range\r\n');
      expect(r[18]).to.equal('-ERR no such key\r\n');
      expect(r[30]).to.equal('-ERR value is not an integer or out of range\r\n'); // LRANGE checks its indexes first
      expect(r[44]).to.equal('+OK\r\n');
      expect(r[45]).to.equal(':0\r\n');
    });

    it(`LINSERT, LREM, LPOS with RANK/COUNT/MAXLEN and their LONG_MIN edges (RESP${proto})`, async () => {
      const r = await both([
        ['LINSERT', 'l', 'BEFORE', 'b', 'X'], ['LINSERT', 'l', 'after', 'a', 'Y'], ['LINSERT', 'l', 'AFTER', 'nope', 'Y'], ['LINSERT', 'l', 'middle', 'a', 'Y'],
        ['LINSERT', 'nokey', 'BEFORE', 'a', 'b'], ['LINSERT', 'nokey', 'MIDDLE', 'a', 'b'], ['LINSERT', 'str', 'BEFORE', 'a', 'b'], ['LINSERT', 'str', 'MIDDLE', 'a', 'b'],
        ['LRANGE', 'l', '0', '-1'], ['LINSERT', 'long', 'BEFORE', '36', 'in'], ['LINDEX', 'long', '36'], ['LINSERT', 'long', 'AFTER', 'x', 'after-x'], ['LRANGE', 'long', '0', '3'],
        ['LPOS', 'l', 'a'], ['LPOS', 'l', 'a', 'RANK', '2'], ['LPOS', 'l', 'a', 'RANK', '-1'], ['LPOS', 'l', 'a', 'RANK', '-2'], ['LPOS', 'l', 'a', 'RANK', '10'],
        ['LPOS', 'l', 'a', 'COUNT', '0'], ['LPOS', 'l', 'a', 'COUNT', '2'], ['LPOS', 'l', 'a', 'RANK', '-1', 'COUNT', '0'], ['LPOS', 'l', 'a', 'RANK', '2', 'COUNT', '1'],
        ['LPOS', 'l', 'a', 'MAXLEN', '1'], ['LPOS', 'l', 'a', 'MAXLEN', '2', 'COUNT', '0'], ['LPOS', 'l', 'a', 'RANK', '-1', 'MAXLEN', '2'], ['LPOS', 'l', 'zz'], ['LPOS', 'l', 'zz', 'COUNT', '0'],
        ['LPOS', 'l', 'a', 'RANK', LONG_MIN], ['LPOS', 'l', 'a', 'RANK', LONG_MIN, 'COUNT', '0'], ['LPOS', 'l', 'a', 'RANK', LONG_MIN, 'COUNT', '1'], ['LPOS', 'l', 'a', 'RANK', '-9223372036854775807'],
        ['LPOS', 'l', 'a', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', 'x'], ['LPOS', 'l', 'a', 'COUNT', '-1'], ['LPOS', 'l', 'a', 'COUNT', 'x'], ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
        ['LPOS', 'l', 'a', 'MAXLEN', 'x'], ['LPOS', 'l', 'a', 'RANK'], ['LPOS', 'l', 'a', 'FOO', '1'], ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '3'], ['LPOS', 'str', 'a'],
        ['LPOS', 'str', 'a', 'COUNT', 'x'], ['LPOS', 'long', 'x', 'COUNT', '3', 'RANK', '-2'], ['LPOS', 'long', '5', 'RANK', '3'],
        ['LREM', 'l', '1', 'a'], ['LREM', 'l', '-1', 'a'], ['LREM', 'l', '0', 'b'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', 'x', 'a'], ['LREM', 'nokey', 'x', 'a'], ['LREM', 'nokey', '0', 'a'],
        ['LREM', 'str', '0', 'a'], ['LREM', 'long', '-3', 'x'], ['LREM', 'long', LONG_MIN, 'x'], ['LLEN', 'long'], ['LREM', 'long', '0', 'nothing'],
        ['RPUSH', 'dup', 'q', 'q', 'q'], ['LREM', 'dup', '0', 'q'], ['EXISTS', 'dup'],
      ], proto);
      expect(r[0]).to.equal(':7\r\n');
      expect(r[2]).to.equal(':-1\r\n');
      expect(r[4]).to.equal(':0\r\n');
      expect(r[5]).to.equal('-ERR syntax error\r\n'); // BEFORE/AFTER is checked before the lookup
      expect(r[31]).to.equal("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
      expect(r[34]).to.equal("-ERR COUNT can't be negative\r\n");
      expect(r[49]).to.equal('-ERR value is not an integer or out of range\r\n');
    });

    it(`RPOPLPUSH, LMOVE (same key, new destination, WRONGTYPE on either side), LMPOP (RESP${proto})`, async () => {
      const r = await both([
        ['RPOPLPUSH', 'l', 'd'], ['LMOVE', 'l', 'd', 'LEFT', 'RIGHT'], ['LMOVE', 'l', 'l', 'RIGHT', 'LEFT'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'd', '0', '-1'],
        ['LMOVE', 'l', 'l', 'left', 'left'], ['LMOVE', 'l', 'l', 'up', 'down'], ['LMOVE', 'nokey', 'd', 'up', 'LEFT'], ['LMOVE', 'nokey', 'd', 'LEFT', 'LEFT'],
        ['LMOVE', 'nokey', 'str', 'LEFT', 'LEFT'], ['LMOVE', 'l', 'str', 'LEFT', 'LEFT'], ['LMOVE', 'str', 'l', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'str', 'l'], ['LLEN', 'l'],
        ['RPUSH', 'one', 'only'], ['LMOVE', 'one', 'two', 'LEFT', 'LEFT'], ['EXISTS', 'one'], ['RPOPLPUSH', 'two', 'two'], ['LRANGE', 'two', '0', '-1'],
        ['LMPOP', '2', 'nokey', 'l', 'LEFT'], ['LMPOP', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '2'], ['LMPOP', '1', 'nokey', 'LEFT'], ['LMPOP', '1', 'long', 'left', 'count', '1000'],
        ['EXISTS', 'long'], ['LMPOP', '2', 'str', 'l', 'LEFT'], ['LMPOP', '2', 'nokey', 'str', 'LEFT'], ['LMPOP', '0', 'l', 'LEFT'], ['LMPOP', 'x', 'l', 'LEFT'],
        ['LMPOP', '2', 'l', 'LEFT'], ['LMPOP', '1', 'l', 'MIDDLE'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '0'],
        ['LMPOP', '1', 'l', 'LEFT', 'COUNT', 'x'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '1', 'COUNT', '1'], ['LMPOP', '1', 'l', 'LEFT', 'FOO'], ['LMPOP', LONG_MAX, 'l', 'LEFT'],
        ['LMPOP', '-1', 'l', 'LEFT'], ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', LONG_MAX],
      ], proto);
      expect(r[0]).to.equal('$1\r\na\r\n');
      expect(r[6]).to.equal('-ERR syntax error\r\n');
      expect(r[8]).to.equal(proto === '2' ? '$-1\r\n' : '_\r\n');
      expect(r[9]).to.equal(proto === '2' ? '$-1\r\n' : '_\r\n'); // a missing source answers before the destination's type is looked at
      expect(r[10]).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      expect(r[19]).to.equal('*2\r\n$1\r\nl\r\n*1\r\n$1\r\nb\r\n');
      expect(r[21]).to.equal(proto === '2' ? '*-1\r\n' : '_\r\n');
      expect(r[26]).to.equal('-ERR numkeys should be greater than 0\r\n');
      expect(r[31]).to.equal('-ERR count should be greater than 0\r\n');
    });

    it(`blocking forms that find data, and inside MULTI where they never block (RESP${proto})`, async () => {
      const r = await both([
        ['BLPOP', 'nokey', 'l', '0'], ['BRPOP', 'l', 'nokey', '0'], ['BLPOP', 'nokey', 'str', '0'], ['BLPOP', 'l', 'abc'], ['BLPOP', 'l', '-1'], ['BLPOP', 'l', 'inf'],
        ['BLPOP', 'l', '1e16'], ['BLPOP', 'l', 'nan'], ['BLPOP', 'l', '0x10'], ['BLPOP', 'l', '-0.0001'], ['BLPOP', 'l', '9223372036854775.807'],
        ['BRPOPLPUSH', 'long', 'd', '0'], ['BLMOVE', 'long', 'd', 'RIGHT', 'LEFT', '0'], ['BLMOVE', 'l', 'd', 'UP', 'LEFT', 'abc'], ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', 'abc'],
        ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', '0'], ['BLMOVE', 'long', 'str', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'l', 'd', '-1'], ['LRANGE', 'd', '0', '-1'],
        ['BLMPOP', '0', '2', 'nokey', 'long', 'RIGHT', 'COUNT', '3'], ['BLMPOP', 'abc', '1', 'l', 'LEFT'], ['BLMPOP', 'abc', '0', 'l', 'LEFT'], ['BLMPOP', '-1', '1', 'l', 'LEFT', 'COUNT', '0'],
        ['BLMPOP', '-1', '1', 'l', 'LEFT'], ['BLMPOP', '0', '1', 'str', 'LEFT'],
        ['MULTI'], ['BLPOP', 'nokey', '0'], ['BRPOP', 'nokey', 'l', '0'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'nokey', 'd', '0'],
        ['BLMPOP', '0', '1', 'nokey', 'LEFT'], ['BLMPOP', '0', '1', 'long', 'LEFT'], ['BLPOP', 'str', '0'], ['EXEC'],
      ], proto);
      expect(r[0]).to.equal('*2\r\n$1\r\nl\r\n$1\r\na\r\n');
      expect(r[3]).to.equal('-ERR timeout is not a float or out of range\r\n');
      expect(r[4]).to.equal('-ERR timeout is negative\r\n');
      expect(r[5]).to.equal('-ERR timeout is negative\r\n');
      expect(r[33]).to.equal(proto === '2'
        ? '*7\r\n*-1\r\n*2\r\n$1\r\nl\r\n$1\r\nb\r\n$-1\r\n$-1\r\n*-1\r\n*2\r\n$4\r\nlong\r\n*1\r\n$1\r\nx\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'
        : '*7\r\n_\r\n*2\r\n$1\r\nl\r\n$1\r\nb\r\n_\r\n_\r\n_\r\n*2\r\n$4\r\nlong\r\n*1\r\n$1\r\nx\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    });
  }

  it('TYPE and OBJECT ENCODING (quicklist at every size), the list CONFIG parameters', async () => {
    const r = await both([
      ['TYPE', 'l'], ['OBJECT', 'ENCODING', 'l'], ['OBJECT', 'ENCODING', 'long'], ['SCAN', '0', 'TYPE', 'list', 'MATCH', 'lo*', 'COUNT', '100'],
      ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'GET', 'list-max-ziplist-size'], ['CONFIG', 'GET', 'list-compress-depth'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['RPUSH', 'small', '1', '2', '3', '4', '5'], ['OBJECT', 'ENCODING', 'small'], ['CONFIG', 'GET', 'list-max-ziplist-size'],
      ['CONFIG', 'SET', 'list-max-ziplist-size', '-3'], ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'SET', 'list-compress-depth', '2'], ['CONFIG', 'GET', 'list-compress-depth'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-6'], ['CONFIG', 'SET', 'list-compress-depth', '-1'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['CONFIG', 'SET', 'list-compress-depth', '0'],
    ]);
    expect(r[0]).to.equal('+list\r\n');
    expect(r[1]).to.equal('$9\r\nquicklist\r\n');
    expect(r[9]).to.equal('$9\r\nquicklist\r\n');
  });

  it('keyspace events: names, order and the del of an emptied list, around each reply (RESP3, the writer subscribed)', async () => {
    const script: string[][] = [
      ['HELLO', '3'], ['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEAn'], ['PSUBSCRIBE', '__key*__:*'],
      ['LPUSH', 'k', 'a', 'b'], ['RPUSH', 'k', 'c'], ['LPUSHX', 'k', 'd'], ['RPUSHX', 'nokey', 'd'], ['LINSERT', 'k', 'BEFORE', 'a', 'i'], ['LINSERT', 'k', 'BEFORE', 'zz', 'i'],
      ['LSET', 'k', '0', 's'], ['LSET', 'k', '99', 's'], ['LREM', 'k', '1', 'i'], ['LREM', 'k', '1', 'zz'], ['LTRIM', 'k', '0', '-1'], ['LTRIM', 'k', '1', '-1'],
      ['LPOP', 'k'], ['RPOP', 'k', '1'], ['RPOPLPUSH', 'k', 'k2'], ['EXISTS', 'k'], ['LMOVE', 'k2', 'k2', 'LEFT', 'RIGHT'], ['RPUSH', 'k3', 'x', 'y'],
      ['LMPOP', '2', 'nokey', 'k3', 'RIGHT', 'COUNT', '5'], ['RPUSH', 'k4', 'v'], ['BLPOP', 'k4', '0'], ['RPUSH', 'k5', 'v'], ['BLMOVE', 'k5', 'k6', 'RIGHT', 'LEFT', '0'],
      ['RPUSH', 'k7', 'a', 'b'], ['LTRIM', 'k7', '5', '10'], ['RPUSH', 'k8', 'a'], ['LREM', 'k8', '0', 'a'], ['RPUSH', 'k9', 'a'], ['LPUSH', 'k9', 'b'], ['BLMPOP', '0', '1', 'k9', 'LEFT', 'COUNT', '9'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ];
    const want = await stream(pair.redis.port, script);
    const got = await stream(pair.cachette.port, script);
    expect(got).to.equal(want);
    expect(want).to.include('>4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$22\r\n__keyevent@0__:linsert\r\n$1\r\nk\r\n');
    // RPOPLPUSH k k2 creates k2: its lpush event, then k's rpop.
    expect(want).to.match(/__keyevent@0__:lpush\r\n\$2\r\nk2\r\n[^]*__keyevent@0__:rpop\r\n\$1\r\nk\r\n/);
    expect(want).to.include('$18\r\n__keyevent@0__:del\r\n');
  });

  it('keyspace hits and misses: reads count them, writes do not', async () => {
    const stats = async (port: number): Promise<string> => {
      const out = await run(port, [
        ['FLUSHALL'], ['RPUSH', 'l', 'a'], ['CONFIG', 'RESETSTAT'],
        ['LLEN', 'l'], ['LLEN', 'no'], ['LINDEX', 'l', '0'], ['LINDEX', 'no', '0'], ['LRANGE', 'l', '0', '1'], ['LRANGE', 'no', '0', '1'], ['LPOS', 'l', 'a'], ['LPOS', 'no', 'a'],
        ['LPUSH', 'no2', 'x'], ['LPOP', 'no3'], ['LSET', 'no4', '0', 'x'], ['LINSERT', 'no5', 'BEFORE', 'a', 'b'], ['LREM', 'no6', '0', 'x'], ['LTRIM', 'no7', '0', '1'],
        ['LMOVE', 'no8', 'l', 'LEFT', 'LEFT'], ['LMPOP', '1', 'no9', 'LEFT'], ['BLPOP', 'l', 'no', '0'], ['INFO', 'stats'],
      ]);
      return out[out.length - 1]!.split('\r\n').filter((l) => l.startsWith('keyspace_')).join(',');
    };
    const want = await stats(pair.redis.port);
    expect(want).to.equal('keyspace_hits:4,keyspace_misses:4');
    expect(await stats(pair.cachette.port)).to.equal(want);
  });

  it('WATCH: each list write touches the key; failed and no-op writes do not', async () => {
    // Per case: WATCH k, the write from a second connection, then MULTI/EXEC on the first: null when touched.
    const cases: Array<[string[], string[]]> = [
      [['RPUSH', 'k', 'a', 'b'], ['LPUSH', 'k', 'x']], [['RPUSH', 'k', 'a'], ['LPOP', 'k']], [['RPUSH', 'k', 'a'], ['LSET', 'k', '0', 'y']],
      [['RPUSH', 'k', 'a'], ['LSET', 'k', '5', 'y']], [['RPUSH', 'k', 'a'], ['LINSERT', 'k', 'BEFORE', 'a', 'y']], [['RPUSH', 'k', 'a'], ['LINSERT', 'k', 'BEFORE', 'no', 'y']],
      [['RPUSH', 'k', 'a'], ['LREM', 'k', '0', 'a']], [['RPUSH', 'k', 'a'], ['LREM', 'k', '0', 'zz']], [['RPUSH', 'k', 'a'], ['LTRIM', 'k', '0', '-1']],
      [['RPUSH', 'k', 'a'], ['LMOVE', 'k', 'o', 'LEFT', 'LEFT']], [['RPUSH', 'o', 'a'], ['LMOVE', 'o', 'k', 'LEFT', 'LEFT']], [['RPUSH', 'k', 'a'], ['LPUSHX', 'k', 'b']],
      [['SET', 'x', '1'], ['LPUSHX', 'k', 'b']], [['RPUSH', 'k', 'a'], ['LPOP', 'k', '0']], [['SET', 'k', 's'], ['LPUSH', 'k', 'b']], [['RPUSH', 'k', 'a'], ['LMPOP', '1', 'k', 'LEFT']],
      [['RPUSH', 'k', 'a'], ['BRPOP', 'k', '0']],
    ];
    const runCase = async (port: number, setup: string[], write: string[]): Promise<string> => {
      const a = await RespConn.connect(port);
      const b = await RespConn.connect(port);
      try {
        await a.call(['FLUSHALL']);
        await a.call(setup);
        await a.call(['WATCH', 'k']);
        await b.call(write);
        await a.call(['MULTI']);
        await a.call(['PING']);
        return await a.call(['EXEC']);
      } finally { a.close(); b.close(); }
    };
    const outs: string[] = [];
    for (const [setup, write] of cases) {
      const want = await runCase(pair.redis.port, setup, write);
      expect(await runCase(pair.cachette.port, setup, write), `${write.join(' ')}`).to.equal(want);
      outs.push(want);
    }
    const touched = '*-1\r\n';
    const ran = '*1\r\n+PONG\r\n';
    expect(outs).to.deep.equal([touched, touched, touched, ran, touched, ran, touched, ran, touched, touched, touched, touched, ran, ran, ran, touched, touched]);
  });

  it('commandstats: calls, failed calls and rejected calls', async () => {
    const stats = async (port: number): Promise<string> => {
      const out = await run(port, [
        ['FLUSHALL'], ['SET', 'str', 'v'], ['CONFIG', 'RESETSTAT'], ['LPUSH', 'l', 'a'], ['LPUSH', 'str', 'a'], ['LPUSH', 'l'], ['LPOP', 'l', 'x'], ['BLPOP', 'l', 'x'], ['LINSERT', 'l', 'mid', 'a', 'b'],
        ['INFO', 'commandstats'],
      ]);
      return out[out.length - 1]!.split('\r\n').filter((l) => /^cmdstat_(lpush|lpop|blpop|linsert)/.test(l)).map((l) => l.replace(/usec=[^,]*,usec_per_call=[^,]*,/, '')).sort().join('\n');
    };
    const want = await stats(pair.redis.port);
    expect(want).to.include('cmdstat_lpush:calls=2,rejected_calls=1,failed_calls=1');
    expect(await stats(pair.cachette.port)).to.equal(want);
  });

  it('a 100,000-element list: inserts and removals in the middle, ranges near both ends, against Redis', async () => {
    const script: string[][] = [['FLUSHALL']];
    for (let i = 0; i < 20; i++) script.push(['RPUSH', 'big', ...Array.from({ length: 5000 }, (_, j) => String((i * 5000 + j) % 1000))]);
    script.push(['LLEN', 'big'], ['LINSERT', 'big', 'BEFORE', '500', 'ins'], ['LPOS', 'big', 'ins'], ['LINDEX', 'big', '50000'], ['LSET', 'big', '-50000', 'set'],
      ['LRANGE', 'big', '49990', '50010'], ['LREM', 'big', '7', '999'], ['LREM', 'big', '-7', '998'], ['LPOS', 'big', '999', 'COUNT', '3'], ['LPOS', 'big', '998', 'RANK', '-1', 'COUNT', '3'],
      ['LRANGE', 'big', '0', '5'], ['LRANGE', 'big', '-5', '-1'], ['LTRIM', 'big', '1000', '-1000'], ['LLEN', 'big'], ['LINDEX', 'big', '0'], ['LINDEX', 'big', '-1'],
      ['LREM', 'big', '0', '5'], ['LLEN', 'big'], ['LPOS', 'big', '5']);
    const r = await run(pair.redis.port, script);
    const c = await run(pair.cachette.port, script);
    expect(c).to.deep.equal(r);
    expect(r[21]).to.equal(':100000\r\n');
    expect(r[22]).to.equal(':100001\r\n');
  });
});

describe('list commands (cachette alone)', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ clock: 'manual' }); });
  after(async () => { await srv.close(); });

  it('used_memory follows a list as it grows and shrinks, equal to a recount', async () => {
    const c = await RespConn.connect(srv.port);
    try {
      await c.call(['FLUSHALL']);
      const db = srv.server.dbs[0]!;
      const recount = (): number => {
        let n = 0;
        for (let s = 0; s < db.size; s++) {
          const v = db.vals[s]!;
          n += 22 + ((16 + db.keys[s]!.length + 7) & ~7) + (typeof v === 'string' ? ((16 + v.length + 7) & ~7) : v.bytes);
        }
        return n;
      };
      const empty = db.bytes;
      await c.call(['RPUSH', 'k', ...Array.from({ length: 1000 }, (_, i) => `element-${i}`)]);
      const grown = db.bytes;
      expect(grown - empty).to.be.within(1000 * 32, 1000 * 60);
      expect(db.bytes).to.equal(recount());
      const steps: string[][] = [['LINSERT', 'k', 'BEFORE', 'element-500', 'x'.repeat(1000)], ['LSET', 'k', '10', 'y'.repeat(500)], ['LREM', 'k', '0', 'element-7'],
        ['LTRIM', 'k', '100', '-100'], ['LPOP', 'k', '50'], ['RPOPLPUSH', 'k', 'k2'], ['LMOVE', 'k', 'k', 'LEFT', 'RIGHT'], ['LMPOP', '1', 'k', 'RIGHT', 'COUNT', '10'],
        ['RPUSH', 'k2', 'a', 'b'], ['BLMOVE', 'k2', 'k3', 'LEFT', 'LEFT', '0'], ['BRPOP', 'k3', '0']];
      for (const s of steps) {
        await c.call(s);
        expect(db.bytes, s[0]).to.equal(recount());
      }
      expect(db.bytes).to.be.below(grown);
      await c.call(['DEL', 'k', 'k2']);
      expect(db.bytes).to.equal(empty);
      const info = await c.call(['MEMORY', 'USAGE', 'nokey']);
      expect(info).to.equal('$-1\r\n');
    } finally { c.close(); }
  });

  it('the test handle shows a list as its elements, head first', async () => {
    const c = await RespConn.connect(srv.port);
    try {
      await c.call(['FLUSHALL']);
      await c.call(['RPUSH', 'k', 'a', '\xc3\xa9', 'c']);
      expect(srv.get('k')).to.deep.equal({ type: 'list', value: ['a', 'é', 'c'] });
      const v = srv.server.dbs[0]!.vals[srv.server.dbs[0]!.find('k')] as unknown as ListValue;
      expect(v.toArray()).to.deep.equal(['a', '\xc3\xa9', 'c']);
    } finally { c.close(); }
  });
});

describe('list commands through clients', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer({}); });
  after(async () => { await srv.close(); });

  for (const protocol of [2, 3] as const) {
    it(`ioredis (RESP${protocol}): lpush, rpush, lrange, lpop with a count, linsert, lpos, lmove, lmpop`, async () => {
      const r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, ...(protocol === 3 ? { protocol: 3 } : {}) } as never);
      await r.connect();
      try {
        await r.flushall();
        expect(await r.rpush('q', 'a', 'b', 'c')).to.equal(3);
        expect(await r.lpush('q', 'z')).to.equal(4);
        expect(await r.lrange('q', 0, -1)).to.deep.equal(['z', 'a', 'b', 'c']);
        expect(await r.lpop('q', 2)).to.deep.equal(['z', 'a']);
        expect(await r.linsert('q', 'BEFORE', 'c', 'bb')).to.equal(3);
        expect(await r.lpos('q', 'c')).to.equal(2);
        expect(await r.lmove('q', 'q2', 'RIGHT', 'LEFT')).to.equal('c');
        expect(await r.call('LMPOP', '2', 'nokey', 'q', 'LEFT', 'COUNT', '5')).to.deep.equal(['q', ['b', 'bb']]);
        expect(await r.lpop('q')).to.equal(null);
        expect(await r.brpop('q2', 1)).to.deep.equal(['q2', 'c']);
        expect(await r.type('q2')).to.equal('none');
      } finally { r.disconnect(); }
    });
  }

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}): lPush, rPush, lRange, lPopCount, lRem, lSet, lTrim, lmPop`, async () => {
      const c = createClient({ url: srv.url, RESP });
      await c.connect();
      try {
        await c.flushAll();
        expect(await c.rPush('q', ['a', 'b', 'a', 'c'])).to.equal(4);
        expect(await c.lRange('q', 0, -1)).to.deep.equal(['a', 'b', 'a', 'c']);
        expect(await c.lRem('q', 0, 'a')).to.equal(2);
        expect(await c.lSet('q', 0, 'B')).to.equal('OK');
        expect(await c.lPopCount('q', 5)).to.deep.equal(['B', 'c']);
        expect(await c.lPopCount('q', 5)).to.equal(null);
        await c.rPush('r', ['1', '2', '3']);
        expect(await c.lTrim('r', 1, -1)).to.equal('OK');
        expect(await c.lmPop(['nokey', 'r'], 'RIGHT')).to.deep.equal(RESP === 2 ? ['r', ['3']] : ['r', ['3']]);
        expect(await c.lLen('r')).to.equal(1);
      } finally { await c.quit(); }
    });
  }
});
