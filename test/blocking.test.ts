/**
 * Blocking (src/blocking.ts) and the blocking list commands:
 *
 *  1. Scenarios run on a real redis-server 7.0 and on cachette, every reply
 *     compared byte for byte: first-blocked first-served on one key, a client
 *     waiting on several keys served by the first to become ready, waiters
 *     served only once the transaction that pushed has finished, BLMOVE
 *     chains, timeouts (RESP2 and RESP3 null forms), a key that changes type
 *     while clients wait, a BLMOVE whose destination has the wrong type, a
 *     client that disconnects while blocked, requests pipelined behind a
 *     blocking command, keys made ready by RENAME, MOVE, COPY, SORT STORE and
 *     SWAPDB, CLIENT UNBLOCK (TIMEOUT and ERROR), CLIENT PAUSE (WRITE and
 *     ALL, UNPAUSE, the end of the pause), WAIT, INFO blocked_clients and
 *     clients_in_timeout_table, CLIENT LIST's flag b, the keyspace events
 *     and commandstats of served clients; BZPOPMIN/BZPOPMAX/BZMPOP, and list
 *     and sorted-set waiters on one key each served by their own type.
 *     "Blocked" is established by polling INFO blocked_clients, never by a
 *     fixed wait.
 *  2. cachette alone: the manual clock times clients out exactly when it
 *     passes their deadline (and ends a pause), the test handle lists blocked
 *     clients, the timeout arithmetic of Redis's ceill(t * 1000.0).
 *  3. Worker loops through ioredis brpop and node-redis blPop.
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type ServerHandle } from '../src/index.js';
import { withPair } from './diff/servers.js';
import { Raw, resp } from './helpers.js';
import { ceilLongDouble, mulLongDoubleInt, parseLongDouble } from '../src/longdouble.js';

/** A raw connection: send a command, read framed replies. */
class Conn {
  private constructor(readonly raw: Raw) {}
  static async open(port: number, proto: 2 | 3 = 2): Promise<Conn> {
    const c = new Conn(await Raw.connect(port));
    if (proto === 3) { c.send('HELLO', '3'); await c.reply(); }
    return c;
  }
  send(...args: string[]): void { this.raw.send(resp(...args)); }
  reply(timeoutMs = 3000): Promise<string> { return this.raw.reply(timeoutMs); }
  async call(...args: string[]): Promise<string> { this.send(...args); return this.reply(); }
  close(): void { this.raw.close(); }
}

/** INFO field of a section, as a string. */
async function infoField(c: Conn, section: string, field: string): Promise<string> {
  const r = await c.call('INFO', section);
  const m = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(r);
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return m[1]!;
}

/** Waits until INFO reports `n` blocked clients (polling, with a deadline). */
async function blocked(admin: Conn, n: number): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const got = Number(await infoField(admin, 'clients', 'blocked_clients'));
    if (got === n) return;
    if (Date.now() > deadline) throw new Error(`blocked_clients stayed ${got}, expected ${n}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('blocking commands', function () {
  const pair = withPair();

  /** Runs a scenario on Redis, then on cachette (each after FLUSHALL); the observations must be equal. Returns cachette's. */
  async function onBoth(fn: (admin: Conn, open: (proto?: 2 | 3) => Promise<Conn>) => Promise<string[]>): Promise<string[]> {
    const results: string[][] = [];
    for (const port of [pair.redis.port, pair.cachette.port]) {
      const conns: Conn[] = [];
      const open = async (proto: 2 | 3 = 2): Promise<Conn> => { const c = await Conn.open(port, proto); conns.push(c); return c; };
      const admin = await open();
      expect(await admin.call('FLUSHALL')).to.equal('+OK\r\n');
      await admin.call('CONFIG', 'RESETSTAT');
      try {
        results.push(await fn(admin, open));
      } finally {
        // Nobody may stay blocked into the next scenario.
        await admin.call('CLIENT', 'UNPAUSE');
        for (const c of conns) c.close();
        await blocked(await open(), 0);
        for (const c of conns) c.close();
      }
    }
    expect(results[1], 'cachette against Redis').to.deep.equal(results[0]);
    return results[1]!;
  }

  it('first blocked, first served on one key; each waiter gets one element', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = [await open(), await open(), await open()];
      for (let i = 0; i < 3; i++) { w[i]!.send('BLPOP', 'k', '0'); await blocked(admin, i + 1); }
      const out = [await admin.call('RPUSH', 'k', 'a', 'b', 'c', 'd')];
      for (const c of w) out.push(await c.reply());
      out.push(await admin.call('LRANGE', 'k', '0', '-1'), await infoField(admin, 'clients', 'blocked_clients'));
      return out;
    });
    expect(r).to.deep.equal([':4\r\n', '*2\r\n$1\r\nk\r\n$1\r\na\r\n', '*2\r\n$1\r\nk\r\n$1\r\nb\r\n', '*2\r\n$1\r\nk\r\n$1\r\nc\r\n', '*1\r\n$1\r\nd\r\n', '0']);
  });

  it('a client waiting on several keys is served by the first that becomes ready; served only after the transaction', async () => {
    const r = await onBoth(async (admin, open) => {
      const w1 = await open();
      const w2 = await open(3);
      w1.send('BLPOP', 'k1', 'k2', '0');
      await blocked(admin, 1);
      w2.send('BRPOP', 'k1', '0');
      await blocked(admin, 2);
      const out = [await admin.call('MULTI'), await admin.call('RPUSH', 'k2', 'x'), await admin.call('RPUSH', 'k1', 'y1', 'y2'), await admin.call('LPUSH', 'k2', 'z'), await admin.call('EXEC')];
      out.push(await w1.reply(), await w2.reply(), await admin.call('LRANGE', 'k1', '0', '-1'), await admin.call('LRANGE', 'k2', '0', '-1'));
      return out;
    });
    // k2 became ready first: w1 takes z (its head once EXEC is over), w2 the tail of k1.
    expect(r[5]).to.equal('*2\r\n$2\r\nk2\r\n$1\r\nz\r\n');
    expect(r[6]).to.equal('*2\r\n$2\r\nk1\r\n$2\r\ny2\r\n');
  });

  it('a transaction that creates then deletes the key serves nobody; the next push does', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      w.send('BLPOP', 'k', '0');
      await blocked(admin, 1);
      const out = [await admin.call('MULTI'), await admin.call('RPUSH', 'k', 'a'), await admin.call('DEL', 'k'), await admin.call('EXEC')];
      out.push(await infoField(admin, 'clients', 'blocked_clients'));
      out.push(await admin.call('MULTI'), await admin.call('RPUSH', 'k', 'a', 'b'), await admin.call('LPOP', 'k'), await admin.call('EXEC'), await w.reply());
      return out;
    });
    expect(r[4]).to.equal('1');
    expect(r[9]).to.equal('*2\r\n$1\r\nk\r\n$1\r\nb\r\n');
  });

  it('BLMOVE chains: each move makes the next destination ready, in one go', async () => {
    const r = await onBoth(async (admin, open) => {
      const a = await open();
      const b = await open(3);
      const c = await open();
      const d = await open();
      a.send('BLMOVE', 'src', 'mid', 'RIGHT', 'LEFT', '0');
      await blocked(admin, 1);
      b.send('BRPOPLPUSH', 'mid', 'dst', '0');
      await blocked(admin, 2);
      c.send('BLMPOP', '0', '2', 'nokey', 'dst', 'LEFT', 'COUNT', '5');
      await blocked(admin, 3);
      d.send('BLMOVE', 'src', 'src', 'LEFT', 'RIGHT', '0');
      await blocked(admin, 4);
      const out = [await admin.call('RPUSH', 'src', 'one', 'two')];
      out.push(await a.reply(), await b.reply(), await c.reply(), await d.reply());
      for (const k of ['src', 'mid', 'dst']) out.push(await admin.call('LRANGE', k, '0', '-1'));
      out.push(await infoField(admin, 'clients', 'blocked_clients'));
      return out;
    });
    expect(r.slice(1, 4)).to.deep.equal(['$3\r\ntwo\r\n', '$3\r\ntwo\r\n', '*2\r\n$3\r\ndst\r\n*1\r\n$3\r\ntwo\r\n']);
    expect(r[4]).to.equal('$3\r\none\r\n'); // src onto itself: the remaining element goes round
    expect(r[5]).to.equal('*1\r\n$3\r\none\r\n');
  });

  it('timeouts: a null array in RESP2 and RESP3, whatever the command (BLMOVE too)', async () => {
    const r = await onBoth(async (admin, open) => {
      const out: string[] = [];
      for (const proto of [2, 3] as const) {
        const c = await open(proto);
        for (const cmd of [['BLPOP', 'k', '0.02'], ['BRPOP', 'k', 'k2', '0.02'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.02'], ['BRPOPLPUSH', 'k', 'd', '0.02'],
          ['BLMPOP', '0.02', '1', 'k', 'LEFT', 'COUNT', '2'], ['BLPOP', 'k', '0.001'], ['BLPOP', 'k', '1e-400']]) {
          out.push(await c.call(...cmd));
        }
      }
      out.push(await infoField(admin, 'clients', 'blocked_clients'), await admin.call('EXISTS', 'd'));
      return out;
    });
    expect(r.slice(0, 7)).to.deep.equal(Array(7).fill('*-1\r\n'));
    expect(r.slice(7, 14)).to.deep.equal(Array(7).fill('_\r\n'));
  });

  it('a key that changes type while clients wait does not serve them; WRONGTYPE to a BLMOVE whose destination is no list', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      const m = await open();
      const w2 = await open();
      w.send('BLPOP', 'k', '0');
      await blocked(admin, 1);
      m.send('BLMOVE', 'src', 'str', 'LEFT', 'LEFT', '0');
      await blocked(admin, 2);
      w2.send('BLPOP', 'src', '0');
      await blocked(admin, 3);
      const out = [await admin.call('SET', 'k', 'v'), await infoField(admin, 'clients', 'blocked_clients'), await admin.call('LPUSH', 'k', 'x')];
      out.push(await admin.call('SET', 'str', 's'), await admin.call('RPUSH', 'src', 'e1'));
      // The BLMOVE is answered WRONGTYPE and leaves the element for the next waiter on src.
      out.push(await m.reply(), await w2.reply());
      out.push(await admin.call('DEL', 'k'), await admin.call('RPUSH', 'k', 'y'), await w.reply());
      const stats = await admin.call('INFO', 'commandstats');
      out.push(/cmdstat_blmove:calls=1,[^\r]*failed_calls=1/.test(stats) ? 'blmove failed once' : stats);
      out.push(await infoField(admin, 'errorstats', 'errorstat_WRONGTYPE'));
      return out;
    });
    expect(r[1]).to.equal('3');
    expect(r[5]).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    expect(r[6]).to.equal('*2\r\n$3\r\nsrc\r\n$2\r\ne1\r\n');
    expect(r[9]).to.equal('*2\r\n$1\r\nk\r\n$1\r\ny\r\n');
    expect(r[10]).to.equal('blmove failed once');
  });

  it('a client that disconnects (or is killed) while blocked is gone: the next waiter, or the list, gets the element', async () => {
    const r = await onBoth(async (admin, open) => {
      const gone = await open();
      const w = await open();
      gone.send('BLPOP', 'k', '0');
      await blocked(admin, 1);
      w.send('BLPOP', 'k', '0');
      await blocked(admin, 2);
      gone.close();
      await blocked(admin, 1);
      const out = [await admin.call('RPUSH', 'k', 'a', 'b'), await w.reply(), await admin.call('LRANGE', 'k', '0', '-1')];
      const alone = await open();
      out.push(await admin.call('LPOP', 'k')); // k is now gone: alone blocks
      alone.send('BRPOPLPUSH', 'k', 'd', '0');
      await blocked(admin, 1);
      alone.close();
      await blocked(admin, 0);
      out.push(await admin.call('RPUSH', 'k', 'c'), await admin.call('LRANGE', 'k', '0', '-1'), await admin.call('EXISTS', 'd'));
      // CLIENT KILL of a blocked client: it is gone before anything can be served to it.
      const killed = await open();
      const kid = (await killed.call('CLIENT', 'ID')).slice(1, -2);
      killed.send('BLPOP', 'k2', '0');
      await blocked(admin, 1);
      out.push(await admin.call('CLIENT', 'KILL', 'ID', kid), await admin.call('RPUSH', 'k2', 'z'), await admin.call('LLEN', 'k2'), await infoField(admin, 'clients', 'blocked_clients'));
      return out;
    });
    expect(r).to.deep.equal([':2\r\n', '*2\r\n$1\r\nk\r\n$1\r\na\r\n', '*1\r\n$1\r\nb\r\n', '$1\r\nb\r\n', ':1\r\n', '*1\r\n$1\r\nc\r\n', ':0\r\n',
      ':1\r\n', ':1\r\n', ':1\r\n', '0']);
  });

  it('requests pipelined behind a blocking command wait for it, then run in order', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      w.raw.send(Buffer.concat([resp('BLPOP', 'k', '0'), resp('PING'), resp('SET', 'after', '1'), resp('BLPOP', 'k2', '0'), resp('ECHO', 'x')]));
      await blocked(admin, 1);
      const out = [await admin.call('GET', 'after')];
      out.push(await admin.call('RPUSH', 'k', 'v'));
      out.push(await w.reply(), await w.reply(), await w.reply());
      await blocked(admin, 1); // the second BLPOP blocks in turn
      out.push(await admin.call('GET', 'after'), await admin.call('RPUSH', 'k2', 'v2'), await w.reply(), await w.reply());
      return out;
    });
    expect(r).to.deep.equal(['$-1\r\n', ':1\r\n', '*2\r\n$1\r\nk\r\n$1\r\nv\r\n', '+PONG\r\n', '+OK\r\n', '$1\r\n1\r\n', ':1\r\n', '*2\r\n$2\r\nk2\r\n$2\r\nv2\r\n', '$1\r\nx\r\n']);
  });

  it('keys made ready by RENAME, MOVE, COPY, SORT STORE and SWAPDB serve their waiters', async () => {
    const r = await onBoth(async (admin, open) => {
      const ws: Conn[] = [];
      const keys = ['renamed', 'moved', 'copied', 'sorted', 'swapped'];
      for (let i = 0; i < keys.length; i++) {
        const w = await open();
        w.send('BLPOP', keys[i]!, '0');
        ws.push(w);
        await blocked(admin, i + 1);
      }
      const out: string[] = [];
      out.push(await admin.call('RPUSH', 'l', '3', '1', '2'));
      out.push(await admin.call('RENAME', 'l', 'renamed'), await ws[0]!.reply());
      out.push(await admin.call('SELECT', '1'), await admin.call('RPUSH', 'moved', 'm'), await admin.call('MOVE', 'moved', '0'), await ws[1]!.reply());
      out.push(await admin.call('SELECT', '0'), await admin.call('RPUSH', 'src', 'c1'), await admin.call('COPY', 'src', 'copied'), await ws[2]!.reply());
      out.push(await admin.call('RPUSH', 'nums', '9', '7', '8'), await admin.call('SORT', 'nums', 'STORE', 'sorted'), await ws[3]!.reply());
      out.push(await admin.call('SELECT', '1'), await admin.call('RPUSH', 'swapped', 's1', 's2'), await admin.call('SWAPDB', '0', '1'), await ws[4]!.reply());
      out.push(await admin.call('LRANGE', 'swapped', '0', '-1'), await admin.call('SELECT', '0'), await admin.call('LRANGE', 'swapped', '0', '-1'));
      return out;
    });
    expect(r[2]).to.equal('*2\r\n$7\r\nrenamed\r\n$1\r\n3\r\n');
    expect(r[13]).to.equal('*2\r\n$6\r\nsorted\r\n$1\r\n7\r\n');
    expect(r[17]).to.equal('*2\r\n$7\r\nswapped\r\n$2\r\ns1\r\n');
  });

  it('CLIENT UNBLOCK: TIMEOUT gives the timeout reply, ERROR the -UNBLOCKED error; 0 for anyone not blocked; its errors', async () => {
    const r = await onBoth(async (admin, open) => {
      const a = await open();
      const b = await open(3);
      const c = await open();
      const ida = (await a.call('CLIENT', 'ID')).slice(1, -2);
      const idb = (await b.call('CLIENT', 'ID')).slice(1, -2);
      const idc = (await c.call('CLIENT', 'ID')).slice(1, -2);
      a.send('BLPOP', 'k', '0');
      b.send('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '100');
      c.send('BLMPOP', '0', '1', 'k', 'LEFT');
      await blocked(admin, 3);
      const out = [await infoField(admin, 'clients', 'clients_in_timeout_table')];
      out.push(await admin.call('CLIENT', 'UNBLOCK', ida), await a.reply(), await admin.call('CLIENT', 'UNBLOCK', ida));
      out.push(await admin.call('CLIENT', 'UNBLOCK', idb, 'timeout'), await b.reply());
      out.push(await admin.call('CLIENT', 'UNBLOCK', idc, 'ERROR'), await c.reply());
      out.push(await admin.call('CLIENT', 'UNBLOCK', idc, 'FOO'), await admin.call('CLIENT', 'UNBLOCK', 'abc'), await admin.call('CLIENT', 'UNBLOCK', '999999'));
      out.push(await admin.call('CLIENT', 'UNBLOCK', 'abc', 'FOO'), await admin.call('CLIENT', 'UNBLOCK'), await admin.call('CLIENT', 'UNBLOCK', '1', '2', '3'));
      out.push(await infoField(admin, 'errorstats', 'errorstat_UNBLOCKED'), await infoField(admin, 'clients', 'clients_in_timeout_table'));
      const stats = await admin.call('INFO', 'commandstats');
      for (const cmd of ['blpop', 'blmove', 'blmpop']) out.push(new RegExp(`cmdstat_${cmd}:calls=1,[^\\r]*rejected_calls=0,failed_calls=1`).test(stats) ? `${cmd} failed once` : stats);
      // The unblocked clients run their next commands as usual.
      out.push(await a.call('PING'), await c.call('PING'));
      return out;
    });
    expect(r.slice(0, 8)).to.deep.equal(['1', ':1\r\n', '*-1\r\n', ':0\r\n', ':1\r\n', '_\r\n', ':1\r\n', '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n']);
    expect(r[8]).to.equal('-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n');
    expect(r[9]).to.equal('-ERR value is not an integer or out of range\r\n');
    expect(r[11]).to.equal('-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n');
    expect(r.slice(14, 16)).to.deep.equal(['count=1', '0']);
  });

  it('CLIENT PAUSE WRITE holds writes (queued or not) and lets reads run; UNPAUSE releases them in order; flag b, blocked_clients', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      const w2 = await open();
      const rd = await open();
      const out = [await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE')];
      w.send('SET', 'a', '1');
      await blocked(admin, 1);
      out.push(await rd.call('GET', 'a'), await rd.call('PING'), await rd.call('MULTI'));
      rd.send('SET', 'b', '1'); // queueing a write is held too
      await blocked(admin, 2);
      w2.send('INCR', 'a');
      await blocked(admin, 3);
      const list = await admin.call('CLIENT', 'LIST');
      out.push([...list.matchAll(/ flags=(\S+) /g)].map((m) => m[1]).sort().join(','), / cmd=set /.test(list) ? 'cmd=set' : list);
      out.push(await admin.call('CLIENT', 'UNPAUSE'), await w.reply(), await rd.reply(), await w2.reply(), await rd.call('EXEC'));
      out.push(await infoField(admin, 'clients', 'blocked_clients'), await admin.call('MGET', 'a', 'b'));
      return out;
    });
    expect(r).to.deep.equal(['+OK\r\n', '$-1\r\n', '+PONG\r\n', '+OK\r\n', 'N,b,b,xb', 'cmd=set', '+OK\r\n', '+OK\r\n', '+QUEUED\r\n', ':2\r\n', '*1\r\n+OK\r\n', '0', '*2\r\n$1\r\n2\r\n$1\r\n1\r\n']);
  });

  it('CLIENT PAUSE ALL holds everything until its time is up; pauses merge to the stricter, later one; its errors', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      const out = [await admin.call('CLIENT', 'PAUSE', '50', 'WRITE'), await admin.call('CLIENT', 'PAUSE', '150')];
      w.send('PING');
      out.push(await w.reply(), await admin.call('CLIENT', 'PAUSE', '0', 'ALL'), await admin.call('CLIENT', 'PAUSE', 'abc'), await admin.call('CLIENT', 'PAUSE', '-1'));
      out.push(await admin.call('CLIENT', 'PAUSE', '10', 'SOME'), await admin.call('CLIENT', 'PAUSE', '9223372036854775807'), await w.call('SET', 'x', '1'), await admin.call('CLIENT', 'UNPAUSE'), await admin.call('CLIENT', 'UNPAUSE', 'x'));
      return out;
    });
    expect(r).to.deep.equal(['+OK\r\n', '+OK\r\n', '+PONG\r\n', '+OK\r\n', '-ERR timeout is not an integer or out of range\r\n', '-ERR timeout is negative\r\n',
      '-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n', '+OK\r\n', '+OK\r\n', '+OK\r\n', "-ERR wrong number of arguments for 'client|unpause' command\r\n"]);
  });

  it('CLIENT PAUSE keeps the dataset static: an expired key reads as missing but stays until the pause ends', async () => {
    const r = await onBoth(async (admin, open) => {
      const rd = await open();
      const out = [await admin.call('SET', 'k', 'v', 'PX', '200'), await admin.call('SET', 'keep', 'v'), await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE')];
      // Wait (polling, read-only) until k has expired.
      const deadline = Date.now() + 3000;
      while (await rd.call('PTTL', 'k') !== ':-2\r\n') if (Date.now() > deadline) throw new Error('k never expired');
      out.push(await rd.call('GET', 'k'), await rd.call('EXISTS', 'k'), await rd.call('DBSIZE'), await infoField(admin, 'stats', 'expired_keys'), await rd.call('SCAN', '0', 'COUNT', '100'));
      out.push(await admin.call('CLIENT', 'UNPAUSE'), await rd.call('GET', 'k'), await rd.call('DBSIZE'), await infoField(admin, 'stats', 'expired_keys'));
      return out;
    });
    expect(r.slice(3, 7)).to.deep.equal(['$-1\r\n', ':0\r\n', ':2\r\n', '0']);
    expect(r.slice(8)).to.deep.equal(['+OK\r\n', '$-1\r\n', ':1\r\n', '1']);
  });

  it('WAIT: 0 at once when asked for no replica or inside MULTI; otherwise after its timeout, or when unblocked', async () => {
    const r = await onBoth(async (admin, open) => {
      const w = await open();
      const id = (await w.call('CLIENT', 'ID')).slice(1, -2);
      const out = [await w.call('WAIT', '0', '0'), await w.call('WAIT', '-1', '100'), await w.call('WAIT', '1', '20'), await w.call('WAIT', 'x', '0'), await w.call('WAIT', '1', '-1'), await w.call('WAIT', '1', '1.5')];
      out.push(await w.call('MULTI'), await w.call('WAIT', '3', '0'), await w.call('EXEC'));
      w.send('WAIT', '1', '0');
      await blocked(admin, 1);
      out.push(await infoField(admin, 'clients', 'clients_in_timeout_table'), await admin.call('CLIENT', 'UNBLOCK', id), await w.reply());
      w.send('WAIT', '1', '0');
      await blocked(admin, 1);
      out.push(await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR'), await w.reply());
      return out;
    });
    expect(r).to.deep.equal([':0\r\n', ':0\r\n', ':0\r\n', '-ERR value is not an integer or out of range\r\n', '-ERR timeout is negative\r\n', '-ERR timeout is not an integer or out of range\r\n',
      '+OK\r\n', '+QUEUED\r\n', '*1\r\n:0\r\n', '0', ':1\r\n', ':0\r\n', ':1\r\n', '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n']);
  });

  it('INFO blocked_clients and clients_in_timeout_table, CLIENT LIST flags b', async () => {
    const r = await onBoth(async (admin, open) => {
      const a = await open();
      const b = await open();
      a.send('BLPOP', 'k', '0');
      b.send('BRPOP', 'k', 'j', '1000');
      await blocked(admin, 2);
      const list = await admin.call('CLIENT', 'LIST');
      const out = [await infoField(admin, 'clients', 'clients_in_timeout_table'), list.split('\n').map((l) => / flags=(\S+) .* cmd=(\S+) /.exec(l)).filter((m) => m !== null).map((m) => `${m![1]} ${m![2]}`).sort().join(',')];
      out.push(await admin.call('RPUSH', 'j', 'x'), await b.reply(), await infoField(admin, 'clients', 'clients_in_timeout_table'), await infoField(admin, 'clients', 'blocked_clients'));
      return out;
    });
    expect(r).to.deep.equal(['1', 'N client|list,b blpop,b brpop', ':1\r\n', '*2\r\n$1\r\nj\r\n$1\r\nx\r\n', '0', '1']);
  });

  it('BZPOPMIN, BZPOPMAX, BZMPOP: served by ZADD and by a stored sorted set; list and zset waiters on one key each get their type', async () => {
    const r = await onBoth(async (admin, open) => {
      const a = await open();
      const b = await open(3);
      const c = await open();
      const l = await open();
      const d = await open(3);
      a.send('BZPOPMIN', 'z1', 'z2', '0');
      await blocked(admin, 1);
      b.send('BZPOPMAX', 'z2', '0');
      await blocked(admin, 2);
      l.send('BLPOP', 'z2', '0');
      await blocked(admin, 3);
      c.send('BZMPOP', '0', '2', 'nokey', 'z2', 'MAX', 'COUNT', '2');
      await blocked(admin, 4);
      d.send('BZMPOP', '0', '1', 'z3', 'MIN');
      await blocked(admin, 5);
      const out = [await admin.call('ZADD', 'z2', '1', 'one', '2.5', 'two', '3', 'three', '4', 'four')];
      out.push(await a.reply(), await b.reply(), await c.reply(), await infoField(admin, 'clients', 'blocked_clients'));
      out.push(await admin.call('RPUSH', 'z2', 'x'), await admin.call('DEL', 'z2'), await admin.call('RPUSH', 'z2', 'x'), await l.reply());
      out.push(await admin.call('ZADD', 'src', '5', 'm5', '-1', 'm-1'), await admin.call('ZUNIONSTORE', 'z3', '1', 'src'), await d.reply(), await admin.call('ZRANGE', 'z3', '0', '-1', 'WITHSCORES'));
      out.push(await a.call('BZPOPMIN', 'nokey', '0.01'), await b.call('BZMPOP', '0.01', '1', 'nokey', 'MIN'), await a.call('BZPOPMIN', 'z2', '0'), await a.call('BZPOPMIN', 'z', '-1'));
      out.push(await a.call('BZMPOP', '0', '1', 'z', 'MIDDLE'), await a.call('BZMPOP', 'x', '1', 'z', 'MIN'), await a.call('BZMPOP', '0', '0', 'z', 'MIN'));
      return out;
    });
    expect(r[1]).to.equal('*3\r\n$2\r\nz2\r\n$3\r\none\r\n$1\r\n1\r\n');
    expect(r[2]).to.equal('*3\r\n$2\r\nz2\r\n$4\r\nfour\r\n,4\r\n');
    expect(r[3]).to.equal('*2\r\n$2\r\nz2\r\n*2\r\n*2\r\n$5\r\nthree\r\n$1\r\n3\r\n*2\r\n$3\r\ntwo\r\n$3\r\n2.5\r\n');
    expect(r[4]).to.equal('2'); // the BLPOP waiter is not served by a sorted set
    expect(r.slice(5, 9)).to.deep.equal([':1\r\n', ':0\r\n', ':1\r\n', '*2\r\n$2\r\nz2\r\n$1\r\nx\r\n']); // z2 was emptied: the push re-creates it as a list
    expect(r[11]).to.equal('*2\r\n$2\r\nz3\r\n*1\r\n*2\r\n$3\r\nm-1\r\n,-1\r\n');
    expect(r.slice(13, 15)).to.deep.equal(['*-1\r\n', '_\r\n']);
  });

  it('keyspace events of a served client: the pop and the del, after the push', async () => {
    const r = await onBoth(async (admin, open) => {
      await admin.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      const sub = await open(3);
      await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
      const w = await open();
      const m = await open();
      w.send('BLPOP', 'k', '0');
      m.send('BLMOVE', 'k2', 'k3', 'LEFT', 'RIGHT', '0');
      await blocked(admin, 2);
      await admin.call('RPUSH', 'k', 'a', 'b');
      await admin.call('RPUSH', 'k2', 'c');
      await w.reply();
      await m.reply();
      const out: string[] = [];
      for (let i = 0; i < 6; i++) out.push(await sub.reply());
      await admin.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      return out;
    });
    const events = r.map((x) => /__keyevent@0__:(\w+)\r\n\$\d+\r\n(\w+)/.exec(x)).map((m) => `${m![1]} ${m![2]}`);
    // A served BLMOVE: the push onto its destination, then the pop and the del of the emptied source.
    expect(events).to.deep.equal(['rpush k', 'lpop k', 'rpush k2', 'rpush k3', 'lpop k2', 'del k2']);
  });
});

describe('blocking (cachette alone)', function () {
  let srv: ServerHandle;
  beforeEach(async () => { srv = await startServer({ clock: 'manual' }); });
  afterEach(async () => { await srv.close(); });

  async function handleBlocked(n: number): Promise<void> {
    const deadline = Date.now() + 3000;
    while (srv.blocked().length !== n) {
      if (Date.now() > deadline) throw new Error(`blocked() stayed at ${srv.blocked().length}, expected ${n}`);
      await new Promise((r) => setImmediate(r));
    }
  }

  it('the manual clock times a client out exactly past its deadline, and the handle lists what it waits on', async () => {
    const w = await Conn.open(srv.port);
    const w2 = await Conn.open(srv.port, 3);
    await w.call('CLIENT', 'SETNAME', 'worker');
    w.send('BLPOP', 'q1', 'q2', '5');
    w2.send('BLMOVE', 'q3', 'd', 'LEFT', 'LEFT', '0');
    await handleBlocked(2);
    const list = srv.blocked();
    expect(list.map(({ id: _id, ...rest }) => rest)).to.deep.equal([
      { name: 'worker', db: 0, command: 'blpop', type: 'list', keys: ['q1', 'q2'], timeoutMs: 5000 },
      { name: '', db: 0, command: 'blmove', type: 'list', keys: ['q3'], timeoutMs: null },
    ]);
    srv.clock.advance(5000); // at the deadline: not yet (Redis times out when the clock is past it)
    expect(srv.blocked().length).to.equal(2);
    expect(srv.blocked()[0]!.timeoutMs).to.equal(0);
    srv.clock.advance(1);
    expect(await w.reply()).to.equal('*-1\r\n');
    expect(srv.blocked().map((b) => b.command)).to.deep.equal(['blmove']);
    srv.clock.advance(10 ** 9);
    expect(srv.blocked().length).to.equal(1); // timeout 0: forever
    expect(await w.call('PING')).to.equal('+PONG\r\n');
    w.close();
    w2.close();
  });

  it('timeouts in seconds are ceill(t * 1000) in long double: 0.0001 is 1 ms, 0.1 is 100 ms, 1.0005 is 1001 ms', async () => {
    const cases: Array<[string, number]> = [['0.0001', 1], ['0.1', 100], ['1.0005', 1001], ['0.0015', 2], ['1e-400', 1], ['0.3', 300], ['2.5e-3', 3]];
    const conns: Conn[] = [];
    for (const [t] of cases) { const c = await Conn.open(srv.port); c.send('BLPOP', 'k', t); conns.push(c); }
    await handleBlocked(cases.length);
    expect(srv.blocked().map((b) => b.timeoutMs)).to.deep.equal(cases.map(([, ms]) => ms));
    for (const c of conns) c.close();
    // The arithmetic itself, against values worked out by hand: 0.1 as a long double is slightly above 0.1,
    // but the product rounds back to exactly 100 in 64 bits.
    const ms = (s: string): bigint => ceilLongDouble(mulLongDoubleInt(parseLongDouble(s)!, 1000n)!);
    expect(ms('0.1')).to.equal(100n);
    expect(ms('-0.0001')).to.equal(0n);
    expect(ms('9223372036854775.807')).to.equal(9223372036854775807n);
    expect(ms('0.0010000000000000000001')).to.equal(2n);
  });

  it('WAIT and CLIENT PAUSE follow the manual clock too', async () => {
    const admin = await Conn.open(srv.port);
    const w = await Conn.open(srv.port);
    w.send('WAIT', '1', '1000');
    await handleBlocked(1);
    expect(srv.blocked()[0]).to.include({ command: 'wait', type: 'wait', timeoutMs: 1000 });
    srv.clock.advance(1001);
    expect(await w.reply()).to.equal(':0\r\n');
    expect(await admin.call('CLIENT', 'PAUSE', '500', 'WRITE')).to.equal('+OK\r\n');
    w.send('SET', 'k', 'v');
    await handleBlocked(1);
    expect(srv.blocked()[0]).to.include({ command: 'set', type: 'postponed', timeoutMs: null });
    expect(await admin.call('GET', 'k')).to.equal('$-1\r\n');
    srv.clock.advance(500);
    expect(srv.blocked().length).to.equal(1);
    srv.clock.advance(1);
    expect(await w.reply()).to.equal('+OK\r\n');
    expect(await admin.call('GET', 'k')).to.equal('$1\r\nv\r\n');
    admin.close();
    w.close();
  });

  it('nobody blocked: pushes queue no ready key', async () => {
    const c = await Conn.open(srv.port);
    await c.call('RPUSH', 'k', 'a');
    await c.call('RENAME', 'k', 'k2');
    expect(srv.server.blocking.ready.length).to.equal(0);
    expect(srv.server.dbs[0]!.waiters.size).to.equal(0);
    c.close();
  });
});

describe('worker loops through client libraries', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer({}); });
  after(async () => { await srv.close(); });

  it('ioredis: a brpop worker drains 200 jobs pushed by a producer while it waits, then times out', async () => {
    const worker = new Redis({ port: srv.port, host: '127.0.0.1' });
    const producer = new Redis({ port: srv.port, host: '127.0.0.1' });
    try {
      const got: string[] = [];
      const loop = (async () => {
        for (;;) {
          const r = await worker.brpop('jobs', 'urgent', 1);
          if (r === null) return;
          got.push(`${r[0]}:${r[1]}`);
        }
      })();
      for (let i = 0; i < 200; i++) await producer.lpush(i % 10 === 0 ? 'urgent' : 'jobs', `job-${i}`);
      await loop;
      expect(got.length).to.equal(200);
      expect(got.filter((g) => g.startsWith('jobs:')).map((g) => g.slice(5))).to.deep.equal(
        Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 10 !== 0).map((i) => `job-${i}`));
      expect(await producer.exists('jobs', 'urgent')).to.equal(0);
    } finally {
      worker.disconnect();
      producer.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}): a blPop worker on its own connection and a blMove hand-off`, async () => {
      const producer = createClient({ url: srv.url, RESP });
      const worker = producer.duplicate();
      await producer.connect();
      await worker.connect();
      try {
        await producer.flushAll();
        const got: string[] = [];
        const loop = (async () => {
          for (;;) {
            const r = await worker.blPop('tasks', 1);
            if (r === null) return;
            got.push(r.element);
            await worker.lPush('done', r.element);
          }
        })();
        for (let i = 0; i < 50; i++) await producer.rPush('tasks', `t${i}`);
        await loop;
        expect(got).to.deep.equal(Array.from({ length: 50 }, (_, i) => `t${i}`));
        expect(await producer.lLen('done')).to.equal(50);
        const moved = worker.blMove('inbox', 'processing', 'LEFT', 'RIGHT', 5);
        await producer.rPush('inbox', 'm1');
        expect(await moved).to.equal('m1');
        expect(await producer.lRange('processing', 0, -1)).to.deep.equal(['m1']);
      } finally {
        await worker.quit();
        await producer.quit();
      }
    });
  }
});
