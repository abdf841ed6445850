/**
 * The differential suite's normalisation rules (test/diff/runner.ts), on
 * their own: each must hide only what is nondeterministic by nature, so each
 * case here pairs what a rule lets through with a difference it must still
 * report.
 */

import { expect } from 'chai';
import { normalise } from './diff/runner.js';

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

  it('TIME: the shape only; other commands: bytes', () => {
    expect(same(['TIME'], '*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n', '*2\r\n$10\r\n1700000001\r\n$1\r\n5\r\n')).to.equal(true);
    expect(same(['TIME'], '*2\r\n$10\r\n1700000000\r\n', '*2\r\n$10\r\n1700000001\r\n$1\r\n5\r\n')).to.equal(false);
    expect(same(['INCRBY', 'k', '1'], ':9007199254740992\r\n', ':9007199254740993\r\n')).to.equal(false);
  });
});
