/**
 * Generic key commands that move values between keys and databases: MOVE and
 * COPY, byte for byte against a real redis-server 7.0 (replies, keyspace
 * events, WATCH) and on the typed values (COPY is a deep copy). The rest of
 * the generic family (DEL, EXISTS, EXPIRE...) is covered by the byte-exact
 * vectors and the differential suite.
 */

import { expect } from 'chai';
import { withPair } from '../diff/servers.js';
import { RespConn, runScript } from '../diff/conn.js';

const run = runScript;

describe('generic commands: MOVE and COPY', function () {
  const pair = withPair();

  async function both(script: string[][]): Promise<string[]> {
    const [r, c] = [await run(pair.redis.port, [['FLUSHALL'], ...script]), await run(pair.cachette.port, [['FLUSHALL'], ...script])];
    expect(c).to.deep.equal(r);
    return c;
  }

  it('MOVE: replies, TTL kept, errors in Redis\'s order', async () => {
    const r = await both([
      ['SET', 'a', '1', 'EX', '100'], ['MOVE', 'a', '1'], ['MOVE', 'a', '1'], ['SELECT', '1'], ['TTL', 'a'], ['MOVE', 'a', '1'],
      ['SELECT', '0'], ['SET', 'a', 'x'], ['SELECT', '1'], ['MOVE', 'a', '0'], ['MOVE', 'a', 'x'], ['MOVE', 'a', '99'],
      ['MOVE', 'a', '-1'], ['MOVE', 'a', '99999999999'], ['MOVE', 'nokey', '0'], ['MOVE', 'a'],
    ]);
    expect(r.slice(2, 4)).to.deep.equal([':1\r\n', ':0\r\n']);
    expect(r[5]).to.equal(':100\r\n');
    expect(r[6]).to.equal('-ERR source and destination objects are the same\r\n');
    expect(r[10]).to.equal(':0\r\n');
    expect(r.slice(11, 15)).to.deep.equal(['-ERR value is not an integer or out of range\r\n', '-ERR DB index is out of range\r\n',
      '-ERR DB index is out of range\r\n', '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n']);
  });

  it('COPY: DB, REPLACE, TTL, encodings, and option errors before lookups', async () => {
    const r = await both([
      ['SET', 's', 'hello', 'PXAT', '4102444800123'], ['COPY', 's', 't'], ['PEXPIRETIME', 't'], ['COPY', 's', 't'], ['SET', 't', 'other'], ['COPY', 's', 't', 'REPLACE'], ['GET', 't'],
      ['COPY', 's', 's'], ['COPY', 's', 's', 'DB', '1'], ['SELECT', '1'], ['GET', 's'], ['SELECT', '0'], ['COPY', 's', 'u', 'DB', 'x'],
      ['COPY', 's', 'u', 'DB'], ['COPY', 's', 'u', 'FOO'], ['COPY', 'nokey', 'u'], ['COPY', 'nokey', 'u', 'DB', '99'],
      ['SET', 'n', '123'], ['COPY', 'n', 'n2'], ['OBJECT', 'ENCODING', 'n2'], ['APPEND', 'r', 'xy'], ['APPEND', 'r', 'z'], ['COPY', 'r', 'r2'], ['OBJECT', 'ENCODING', 'r2'],
    ]);
    expect(r.slice(2, 4)).to.deep.equal([':1\r\n', ':4102444800123\r\n']);
    expect(r.slice(4, 8)).to.deep.equal([':0\r\n', '+OK\r\n', ':1\r\n', '$5\r\nhello\r\n']);
    expect(r[8]).to.equal('-ERR source and destination objects are the same\r\n');
    expect(r[11]).to.equal('$5\r\nhello\r\n');
    expect(r.slice(13, 18)).to.deep.equal(['-ERR value is not an integer or out of range\r\n', '-ERR syntax error\r\n', '-ERR syntax error\r\n',
      ':0\r\n', '-ERR DB index is out of range\r\n']);
    expect(r[20]).to.equal('$3\r\nint\r\n');
    expect(r[24]).to.equal('$3\r\nraw\r\n');
  });

  it('keyspace events: move_from/move_to in each database, copy_to, new', async () => {
    async function events(port: number): Promise<string[]> {
      const sub = await RespConn.connect(port);
      const c = await RespConn.connect(port);
      try {
        await c.call(['FLUSHALL']);
        await c.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
        await sub.call(['PSUBSCRIBE', '__key*@*__:*']);
        for (const cmd of [['SET', 'a', '1'], ['MOVE', 'a', '2'], ['SELECT', '2'], ['COPY', 'a', 'b', 'DB', '3'], ['COPY', 'a', 'b', 'DB', '3', 'REPLACE'], ['PING']]) await c.call(cmd);
        await sub.call(['PING']);
        const out: string[] = [];
        // Every event frame arrived before the PING's reply.
        for (;;) {
          const f = await sub.read();
          if (f.includes('pong')) break;
          out.push(f);
        }
        return out;
      } finally {
        await c.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
        sub.close();
        c.close();
      }
    }
    const r = await events(pair.redis.port);
    const c = await events(pair.cachette.port);
    expect(c).to.deep.equal(r);
    expect(c.join('')).to.contain('move_from').and.contain('move_to').and.contain('copy_to');
  });

  it('WATCH: MOVE touches the key in both databases, COPY the destination', async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      const w = await RespConn.connect(port);
      const o = await RespConn.connect(port);
      try {
        await o.call(['FLUSHALL']);
        await o.call(['SET', 'k', 'v']);
        // Watch k in db 1 (absent), then MOVE it there: the watcher's transaction fails.
        await w.call(['SELECT', '1']);
        expect(await w.call(['WATCH', 'k'])).to.equal('+OK\r\n');
        expect(await o.call(['MOVE', 'k', '1'])).to.equal(':1\r\n');
        await w.call(['MULTI']);
        await w.call(['PING']);
        expect(await w.call(['EXEC'])).to.equal('*-1\r\n');
        // COPY onto a watched destination touches it; the source is not touched.
        await w.call(['SELECT', '0']);
        await o.call(['SELECT', '1']);
        expect(await w.call(['WATCH', 'dst'])).to.equal('+OK\r\n');
        expect(await o.call(['COPY', 'k', 'dst', 'DB', '0'])).to.equal(':1\r\n');
        await w.call(['MULTI']);
        expect(await w.call(['EXEC'])).to.equal('*-1\r\n');
        await w.call(['SELECT', '1']);
        await w.call(['WATCH', 'k']);
        expect(await o.call(['COPY', 'k', 'k2'])).to.equal(':1\r\n');
        await w.call(['MULTI']);
        expect(await w.call(['EXEC'])).to.equal('*0\r\n');
      } finally {
        w.close();
        o.close();
      }
    }
  });

  it('COPY of a typed value is a deep copy with its own memory account', async () => {
    const server = pair.cachette.server;
    const c = await RespConn.connect(pair.cachette.port);
    try {
      await c.call(['FLUSHALL']);
      const db = server.dbs[0]!;
      // A stand-in typed value until the hash family lands: any TypedValue is copied through clone().
      const { HashValue } = await import('../../src/types/hash.js');
      const h = new HashValue();
      h.set('f', 'v', { maxEntries: 512, maxValue: 64 });
      db.add('h', h, server.now);
      const before = db.bytes;
      expect(await c.call(['COPY', 'h', 'h2'])).to.equal(':1\r\n');
      const s2 = db.find('h2');
      const copyVal = db.vals[s2]!;
      expect(copyVal).to.not.equal(h);
      expect(typeof copyVal === 'string' ? null : copyVal.inspect((x) => x)).to.deep.equal(h.inspect((x) => x));
      expect(db.bytes - before).to.be.greaterThan(h.bytes);
      h.set('g', 'w', { maxEntries: 512, maxValue: 64 });
      expect(typeof copyVal === 'string' ? -1 : copyVal.size).to.equal(1);
      expect(await c.call(['TYPE', 'h2'])).to.equal('+hash\r\n');
      expect(await c.call(['OBJECT', 'ENCODING', 'h2'])).to.equal('$8\r\nlistpack\r\n');
    } finally {
      c.close();
    }
  });
});
