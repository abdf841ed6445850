/**
 * The differential suite's normalisation rules (test/diff/runner.ts), on
 * their own: each must hide only what is nondeterministic by nature, so each
 * case here pairs what a rule lets through with a difference it must still
 * report.
 */

import { expect } from 'chai';
import { hashMultiset, normalise } from './diff/runner.js';

/** True when the rule for `args` makes the two replies compare equal. */
function same(args: string[], cachette: string, redis: string, skewMs = 3): boolean {
  const [c, r] = normalise(args, cachette, redis, { skewMs });
  return c === r;
}

const bulk = (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
const line = (o: Record<string, string | number>): string => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(' ') + '\n';
const client = (over: Record<string, string | number> = {}, libFields = false): string => line({
  id: 4, addr: '127.0.0.1:5000', laddr: '127.0.0.1:6379', fd: 7, name: '', age: 1, idle: 0, flags: 'N', db: 0, sub: 0, psub: 0, ssub: 0,
  multi: -1, qbuf: 26, 'qbuf-free': 20448, 'argv-mem': 10, 'multi-mem': 0, rbs: 16384, rbp: 16384, obl: 0, oll: 0, omem: 0,
  'tot-mem': 37658, events: 'r', cmd: 'client|list', user: 'default', redir: -1, resp: 2, ...(libFields ? { 'lib-name': '', 'lib-ver': '' } : {}), ...over,
});

describe('differential normalisation rules', () => {
  it('CLIENT LIST / INFO: ids, addresses, ages and buffer sizes are masked; every other field is compared', () => {
    const redis = bulk(client());
    expect(same(['CLIENT', 'LIST'], bulk(client({ id: 1, addr: '127.0.0.1:1', fd: 30, age: 0, qbuf: 0, 'qbuf-free': 0, 'tot-mem': 0 }, true)), redis)).to.equal(true);
    for (const [k, v] of [['cmd', 'get'], ['flags', 'e'], ['db', 3], ['name', 'app'], ['sub', 1], ['psub', 1], ['ssub', 1], ['multi', 0], ['resp', 3], ['events', 'rw']] as const) {
      expect(same(['CLIENT', 'INFO'], bulk(client({ [k]: v })), redis), `${k}=${v}`).to.equal(false);
    }
    // A client missing, or the lines in another order.
    expect(same(['CLIENT', 'LIST'], bulk(client()), bulk(client() + client({ cmd: 'get' })))).to.equal(false);
    // A length header that does not match the body is never normalised away.
    expect(same(['CLIENT', 'INFO'], `$5\r\n${client()}\r\n`, redis)).to.equal(false);
  });

  it('CLIENT ID: any integer, but an integer', () => {
    expect(same(['CLIENT', 'ID'], ':1\r\n', ':7\r\n')).to.equal(true);
    expect(same(['CLIENT', 'ID'], '$1\r\n1\r\n', ':7\r\n')).to.equal(false);
  });

  it('INFO: section names, field names, keyspace lines and errorstats are compared; values are not', () => {
    const redis = bulk('# Server\r\nredis_version:7.0.15\r\ngcc_version:12.2.0\r\nuptime_in_seconds:5\r\n\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=9000\r\n');
    const ok = '# Server\r\nredis_version:7.0.15\r\ncachette_version:0.1.0\r\nuptime_in_seconds:0\r\n\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=8123\r\n';
    expect(same(['INFO'], bulk(ok), redis)).to.equal(true);
    expect(same(['INFO'], `=${Buffer.byteLength(ok) + 4}\r\ntxt:${ok}\r\n`, `=${Buffer.byteLength(ok) + 4}\r\ntxt:${ok}\r\n`)).to.equal(true);
    expect(same(['INFO'], bulk(ok.replace('keys=2', 'keys=3')), redis), 'keyspace keys').to.equal(false);
    expect(same(['INFO'], bulk(ok.replace('expires=1', 'expires=0')), redis), 'keyspace expires').to.equal(false);
    expect(same(['INFO'], bulk(ok.replace('uptime_in_seconds:0\r\n', '')), redis), 'a missing field').to.equal(false);
    expect(same(['INFO'], bulk(ok.replace('uptime_in_seconds', 'uptime_seconds')), redis), 'a misspelt field').to.equal(false);
    expect(same(['INFO'], bulk(ok.replace('count=2', 'count=3')), redis), 'errorstats').to.equal(false);
    expect(same(['INFO'], bulk(ok.replace('# Errorstats', '# ErrorStats')), redis), 'a section name').to.equal(false);
  });

  it('PTTL / TTL: relative, so within the measured skew only', () => {
    expect(same(['PTTL', 'k'], ':1999998\r\n', ':2000000\r\n', 1)).to.equal(true);
    expect(same(['PTTL', 'k'], ':1999990\r\n', ':2000000\r\n', 3)).to.equal(false);
    expect(same(['PTTL', 'k'], ':-1\r\n', ':-2\r\n')).to.equal(false);
    expect(same(['TTL', 'k'], ':1999\r\n', ':2000\r\n')).to.equal(true);
    expect(same(['TTL', 'k'], ':1998\r\n', ':2000\r\n')).to.equal(false);
  });

  it('PEXPIRETIME / EXPIRETIME: exact for absolute times (2100, 2^53+1, int64), within the skew only for relative TTLs', () => {
    const rel = Date.now() + 2_000_000;
    expect(same(['PEXPIRETIME', 'k'], `:${rel}\r\n`, `:${rel + 2}\r\n`)).to.equal(true);
    expect(same(['PEXPIRETIME', 'k'], `:${rel}\r\n`, `:${rel + 50}\r\n`)).to.equal(false);
    expect(same(['PEXPIRETIME', 'k'], ':4102444800001\r\n', ':4102444800000\r\n')).to.equal(false);
    // Past 2^53 a Number cannot tell these apart; BigInt can.
    expect(same(['PEXPIRETIME', 'k'], ':9007199254740992\r\n', ':9007199254740993\r\n')).to.equal(false);
    expect(same(['EXPIRETIME', 'k'], ':9223372036854774\r\n', ':9223372036854775\r\n')).to.equal(false);
    expect(same(['EXPIRETIME', 'k'], ':4102444801\r\n', ':4102444800\r\n')).to.equal(false);
    expect(same(['EXPIRETIME', 'k'], `:${Math.round(rel / 1000)}\r\n`, `:${Math.round(rel / 1000) + 1}\r\n`)).to.equal(true);
  });

  it('HRANDFIELD: errors, nil, lengths and RESP3 pairs compared; fields distinct for a positive count; the picks themselves not', () => {
    const arr = (...xs: string[]): string => `*${xs.length}\r\n${xs.map(bulk).join('')}`;
    const pairs3 = (...xs: string[]): string => `*${xs.length / 2}\r\n${Array.from({ length: xs.length / 2 }, (_v, i) => `*2\r\n${bulk(xs[2 * i]!)}${bulk(xs[2 * i + 1]!)}`).join('')}`;
    expect(same(['HRANDFIELD', 'h'], bulk('a'), bulk('b'))).to.equal(true);
    expect(same(['HRANDFIELD', 'h'], '$-1\r\n', bulk('b'))).to.equal(false);
    expect(same(['HRANDFIELD', 'h', '2'], arr('a', 'b'), arr('c', 'd'))).to.equal(true);
    expect(same(['HRANDFIELD', 'h', '2'], arr('a', 'a'), arr('a', 'b')), 'a repeat for a positive count').to.equal(false);
    expect(same(['HRANDFIELD', 'h', '-2'], arr('a', 'a'), arr('a', 'b'))).to.equal(true);
    expect(same(['HRANDFIELD', 'h', '-2'], arr('a'), arr('a', 'b'))).to.equal(false);
    // WITHVALUES: values may repeat (RESP2 flat), fields may not; RESP3 pairs are not a flat list.
    expect(same(['HRANDFIELD', 'h', '2', 'WITHVALUES'], arr('a', '1', 'b', '1'), arr('c', '2', 'd', '3'))).to.equal(true);
    expect(same(['HRANDFIELD', 'h', '2', 'WITHVALUES'], arr('a', '1', 'a', '2'), arr('c', '2', 'd', '3'))).to.equal(false);
    expect(same(['HRANDFIELD', 'h', '2', 'WITHVALUES'], pairs3('a', '1', 'b', '1'), pairs3('c', '2', 'd', '3'))).to.equal(true);
    expect(same(['HRANDFIELD', 'h', '2', 'WITHVALUES'], pairs3('a', '1', 'a', '1'), pairs3('c', '2', 'd', '3'))).to.equal(false);
    expect(same(['HRANDFIELD', 'h', '2', 'WITHVALUES'], arr('a', '1', 'b', '1'), pairs3('c', '2', 'd', '3'))).to.equal(false);
    expect(same(['HRANDFIELD', 'h', 'x'], '-ERR value is not an integer or out of range\r\n', '-ERR syntax error\r\n')).to.equal(false);
  });

  it('hashtable-encoded hashes (applied only when both servers report hashtable): multisets, pairs kept together', () => {
    const arr = (...xs: string[]): string => `*${xs.length}\r\n${xs.map(bulk).join('')}`;
    const ms = (args: string[], a: string, b: string): boolean => hashMultiset(args, a) === hashMultiset(args, b);
    expect(ms(['HGETALL', 'h'], arr('a', '1', 'b', '2'), arr('b', '2', 'a', '1'))).to.equal(true);
    expect(ms(['HGETALL', 'h'], arr('a', '1', 'b', '2'), arr('a', '2', 'b', '1')), 'values swapped between fields').to.equal(false);
    expect(ms(['HGETALL', 'h'], `%2\r\n${['a', '1', 'b', '2'].map(bulk).join('')}`, `%2\r\n${['b', '2', 'a', '1'].map(bulk).join('')}`)).to.equal(true);
    expect(ms(['HKEYS', 'h'], arr('a', 'b', 'c'), arr('c', 'a', 'b'))).to.equal(true);
    expect(ms(['HVALS', 'h'], arr('1', '1', '2'), arr('1', '2', '2')), 'a multiset, not a set').to.equal(false);
    const scan = (cursor: string, ...xs: string[]): string => `*2\r\n${bulk(cursor)}${arr(...xs)}`;
    expect(ms(['HSCAN', 'h', '0'], scan('0', 'a', '1', 'b', '2'), scan('0', 'b', '2', 'a', '1'))).to.equal(true);
    expect(ms(['HSCAN', 'h', '0'], scan('0', 'a', '1'), scan('0', 'b', '2', 'a', '1'))).to.equal(false);
    expect(ms(['HSCAN', 'h', '0'], scan('5', 'a', '1'), scan('9', 'b', '2'))).to.equal(true);
    expect(ms(['HSCAN', 'h', '1'], scan('0', 'a', '1'), scan('0', 'b', '2', 'a', '1')), 'from another cursor: bucket arithmetic').to.equal(true);
    expect(ms(['HSCAN', 'h', '1'], '-ERR invalid cursor\r\n', scan('0'))).to.equal(false);
    expect(ms(['HGETALL', 'h'], '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', arr())).to.equal(false);
  });

  it('streams: XPENDING idle times, XINFO CONSUMERS idle and XINFO STREAM FULL times are masked; IDs, owners, counts and names are not', () => {
    const entry = (id: string, owner: string, idle: number, n: number): string => `*4\r\n${bulk(id)}${bulk(owner)}:${idle}\r\n:${n}\r\n`;
    const xp = ['XPENDING', 'x1', 'g1', '-', '+', '10'];
    expect(same(xp, `*2\r\n${entry('1-1', 'c1', 3, 1)}${entry('2-1', 'c2', 5000000003, 2)}`, `*2\r\n${entry('1-1', 'c1', 0, 1)}${entry('2-1', 'c2', 5000000000, 2)}`)).to.equal(true);
    expect(same(xp, `*1\r\n${entry('1-1', 'c1', 3, 1)}`, `*1\r\n${entry('1-2', 'c1', 3, 1)}`)).to.equal(false);
    expect(same(xp, `*1\r\n${entry('1-1', 'c1', 3, 1)}`, `*1\r\n${entry('1-1', 'c2', 3, 1)}`)).to.equal(false);
    expect(same(xp, `*1\r\n${entry('1-1', 'c1', 3, 1)}`, `*1\r\n${entry('1-1', 'c1', 3, 2)}`)).to.equal(false);
    // The summary form has no times: compared exactly.
    expect(same(['XPENDING', 'x1', 'g1'], '*4\r\n:2\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n*0\r\n', '*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n*0\r\n')).to.equal(false);
    const consumer = (name: string, pending: number, idle: number): string => `*6\r\n${bulk('name')}${bulk(name)}${bulk('pending')}:${pending}\r\n${bulk('idle')}:${idle}\r\n`;
    expect(same(['XINFO', 'CONSUMERS', 'x1', 'g1'], `*1\r\n${consumer('c1', 2, 17)}`, `*1\r\n${consumer('c1', 2, 0)}`)).to.equal(true);
    expect(same(['XINFO', 'CONSUMERS', 'x1', 'g1'], `*1\r\n${consumer('c1', 2, 17)}`, `*1\r\n${consumer('c1', 1, 17)}`)).to.equal(false);
    const full = (seen: string, added: number): string => `*4\r\n${bulk('entries-added')}:${added}\r\n${bulk('seen-time')}:${seen}\r\n`;
    expect(same(['XINFO', 'STREAM', 'x1', 'FULL'], full('1796196111365', 5), full('1796196111392', 5))).to.equal(true);
    expect(same(['XINFO', 'STREAM', 'x1', 'FULL'], full('1796196111365', 5), full('1796196111365', 6))).to.equal(false);
    // Other stream commands are compared byte for byte.
    expect(same(['XRANGE', 'x1', '-', '+'], '*0\r\n', '*-1\r\n')).to.equal(false);
  });

  it('TIME: the shape only; other commands: bytes', () => {
    expect(same(['TIME'], '*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n', '*2\r\n$10\r\n1700000001\r\n$1\r\n5\r\n')).to.equal(true);
    expect(same(['TIME'], '*2\r\n$10\r\n1700000000\r\n', '*2\r\n$10\r\n1700000001\r\n$1\r\n5\r\n')).to.equal(false);
    expect(same(['INCRBY', 'k', '1'], ':9007199254740992\r\n', ':9007199254740993\r\n')).to.equal(false);
  });
});
