/**
 * Transactions: MULTI EXEC DISCARD WATCH UNWATCH, SWAPDB, and the "key
 * modified" signal that WATCH relies on.
 *
 *  1. Byte for byte against a real redis-server 7.0 (withPair): every error
 *     text, queue-time errors that abort EXEC, runtime errors inside EXEC,
 *     each WATCH trigger next to a control that must not trigger, Redis 7.0's
 *     rule for keys already expired when WATCHed, FLUSHDB / FLUSHALL / SWAPDB,
 *     eviction, SELECT, pub/sub in both protocols, MONITOR, keyspace events,
 *     CLIENT LIST, commandstats, COMMAND INFO/DOCS, a transaction pipelined in
 *     one write, the clock frozen for one EXEC.
 *  2. cachette alone, where Redis depends on wall time or memory layout:
 *     active and lazy expiry and the test handle's writes touching watches
 *     (seen as CLIENT LIST's `d` flag), a connection closed mid-MULTI,
 *     injected faults inside EXEC, the manual clock, atomicity and one write
 *     for EXEC's replies, no watch left behind.
 *  3. Through real clients: ioredis multi()/watch(), node-redis multi() and
 *     WATCH on an isolated pool connection, in RESP2 and RESP3.
 */

import { expect } from 'chai';
import net from 'node:net';
import { Redis } from 'ioredis';
import { createClient, createClientPool, WatchError } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { withPair } from '../diff/servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A raw connection that collects everything it receives. */
class Tap {
  out = '';
  closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.out += d.toString('latin1'); });
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => {});
  }
  static open(port: number): Promise<Tap> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Tap(s)));
      s.once('error', reject);
    });
  }
  send(s: string): void { this.socket.write(Buffer.from(s, 'latin1')); }
  take(): string { const o = this.out; this.out = ''; return o; }
  /** Waits until `pred` holds for what arrived (or 2 s). */
  async waitFor(pred: (out: string) => boolean): Promise<string> {
    for (let i = 0; i < 400 && !pred(this.out); i++) await sleep(5);
    return this.out;
  }
}

/**
 * Runs a script on a server: steps are [connection, bytes], each sent as one
 * write, then `settleMs` to let the server answer. Returns what each
 * connection received.
 */
async function script(port: number, conns: number, steps: Array<[number, string]>, settleMs = 25): Promise<string[]> {
  const taps: Tap[] = [];
  for (let i = 0; i < conns; i++) taps.push(await Tap.open(port));
  for (const [i, bytes] of steps) {
    taps[i]!.send(bytes);
    await sleep(settleMs);
  }
  await sleep(50);
  const outs = taps.map((t) => t.take());
  for (const t of taps) t.socket.destroy();
  return outs;
}

/**
 * What may differ between the two servers by design: HELLO's connection id,
 * CLIENT LIST's ids, addresses, ages and buffer sizes (and cachette's
 * Redis 7.2 lib-name/lib-ver fields), MONITOR's timestamps and ports.
 */
function norm(o: string): string {
  return o
    .replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n')
    .replace(/[$=]\d+\r\n(txt:)?id=/g, '$L\r\nid=')
    .replace(/id=\d+ addr=\S+ laddr=\S+ fd=-?\d+/g, 'id=N')
    .replace(/age=\d+ idle=\d+/g, 'age=A')
    .replace(/qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+/g, 'BUF')
    .replace(/ lib-name=\S* lib-ver=\S*/g, '')
    .replace(/\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/g, '+T [$1 A]');
}

const NIL_ARRAY = { 2: '*-1\r\n', 3: '_\r\n' } as const;

describe('transactions, byte for byte against Redis', function () {
  this.timeout(30_000);
  const pair = withPair();
  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      await script(port, 1, [[0, 'FLUSHALL\r\nCONFIG SET notify-keyspace-events ""\r\nCONFIG SET maxmemory 0\r\nDEBUG SET-ACTIVE-EXPIRE 1\r\n']], 5);
    }
  });

  /** Runs the script on both servers; every connection's bytes must be equal. Returns cachette's. */
  async function same(conns: number, steps: Array<[number, string]>, settleMs?: number): Promise<string[]> {
    const want = (await script(pair.redis.port, conns, steps, settleMs)).map(norm);
    const got = (await script(pair.cachette.port, conns, steps, settleMs)).map(norm);
    for (let i = 0; i < conns; i++) expect(got[i], `connection ${i}`).to.equal(want[i]);
    return got;
  }

  it('MULTI / EXEC / DISCARD / WATCH errors and their exact texts', async () => {
    const [out] = await same(1, [
      [0, 'EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nWATCH a\r\nSET a 1\r\nEXEC\r\n'],
      [0, 'MULTI\r\nDISCARD\r\nDISCARD\r\nMULTI x\r\nEXEC x\r\nDISCARD x\r\nWATCH\r\nUNWATCH x\r\nUNWATCH\r\n'],
      [0, 'MULTI\r\nEXEC x\r\nEXEC\r\n'],
    ]);
    expect(out).to.equal(
      '-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n-ERR MULTI calls can not be nested\r\n'
      + '-ERR WATCH inside MULTI is not allowed\r\n+QUEUED\r\n*1\r\n+OK\r\n'
      + '+OK\r\n+OK\r\n-ERR DISCARD without MULTI\r\n'
      + "-ERR wrong number of arguments for 'multi' command\r\n"
      + "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"
      + "-ERR wrong number of arguments for 'discard' command\r\n"
      + "-ERR wrong number of arguments for 'watch' command\r\n"
      + "-ERR wrong number of arguments for 'unwatch' command\r\n+OK\r\n"
      + "+OK\r\n-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n-ERR EXEC without MULTI\r\n",
    );
  });

  it('queue-time errors flag the transaction: unknown command, unknown subcommand, arity, not allowed in MULTI', async () => {
    const [out] = await same(1, [
      [0, 'MULTI\r\nSET a 1\r\nNOSUCH x\r\nINCR a\r\nEXEC\r\nGET a\r\n'],
      [0, 'MULTI\r\nSET a 2\r\nCONFIG NOSUCH\r\nEXEC\r\n'],
      [0, 'MULTI\r\nSET a 3\r\nGET\r\nEXEC\r\n'],
      [0, 'MULTI\r\nSET a 4\r\nSHUTDOWN NOSAVE\r\nEXEC\r\nGET a\r\n'],
    ]);
    expect(out).to.equal(
      "+OK\r\n+QUEUED\r\n-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n+QUEUED\r\n-EXECABORT Transaction discarded because of previous errors.\r\n$-1\r\n"
      + "+OK\r\n+QUEUED\r\n-ERR unknown subcommand 'NOSUCH'. Try CONFIG HELP.\r\n-EXECABORT Transaction discarded because of previous errors.\r\n"
      + "+OK\r\n+QUEUED\r\n-ERR wrong number of arguments for 'get' command\r\n-EXECABORT Transaction discarded because of previous errors.\r\n"
      + '+OK\r\n+QUEUED\r\n-ERR Command not allowed inside a transaction\r\n-EXECABORT Transaction discarded because of previous errors.\r\n$-1\r\n',
    );
  });

  it('OOM under maxmemory: inside MULTI every command but EXEC/DISCARD/QUIT/RESET is refused; EXEC of a denyoom queue aborts', async () => {
    const [out] = await same(2, [
      [0, 'SET x 1\r\nMULTI\r\nSET a 1\r\nGET x\r\n'],
      [1, 'CONFIG SET maxmemory 1\r\n'],
      [0, 'GET x\r\nPING\r\nMULTI\r\nWATCH x\r\nEXEC\r\n'],
      [0, 'MULTI\r\nDISCARD\r\nMULTI\r\nGET x\r\nRESET\r\nMULTI\r\nEXEC\r\n'],
      [1, 'CONFIG SET maxmemory 0\r\n'],
    ]);
    const oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
    expect(out).to.equal('+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n' + oom.repeat(4)
      + "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n"
      + `+OK\r\n+OK\r\n+OK\r\n${oom}+RESET\r\n+OK\r\n*0\r\n`);
  });

  it('NOAUTH: an unauthenticated MULTI ... EXEC pipeline is refused, EXEC with the EXECABORT reason', async () => {
    // A connection opened while no password is set stays authenticated, so this one connects after CONFIG SET.
    const run = async (port: number): Promise<string> => {
      await script(port, 1, [[0, 'CONFIG SET requirepass pw\r\n']]);
      const [out] = await script(port, 1, [[0, 'MULTI\r\nSET a 1\r\nEXEC\r\nDISCARD\r\nWATCH a\r\nAUTH pw\r\nMULTI\r\nAUTH x\r\nAUTH pw\r\nEXEC\r\n']]);
      await script(port, 1, [[0, 'AUTH pw\r\nCONFIG SET requirepass ""\r\n']]);
      return out!;
    };
    const out = await run(pair.cachette.port);
    expect(out).to.equal(await run(pair.redis.port));
    expect(out).to.equal('-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n'
      + '-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n'
      + '-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n'
      + '*2\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n');
  });

  it('DEBUG refused by enable-debug-command is a queue-time error (cachette started with DEBUG off)', async () => {
    // Redis rejects the protected command before queueing it; cachette's check sits in the same place.
    const srv = await startServer();
    try {
      const [out] = await script(srv.port, 1, [[0, 'MULTI\r\nDEBUG SET-ACTIVE-EXPIRE 1\r\nPING\r\nEXEC\r\nINFO commandstats\r\n']]);
      expect(out).to.match(/^\+OK\r\n-ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server\.\r\n\+QUEUED\r\n-EXECABORT Transaction discarded because of previous errors\.\r\n/);
      expect(out).to.include('cmdstat_debug:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0');
    } finally {
      await srv.close();
    }
  });

  for (const proto of [2, 3] as const) {
    const hello = proto === 3 ? 'HELLO 3\r\n' : '';
    it(`RESP${proto}: runtime errors are replies inside EXEC's array, the other commands run; replies in the client's protocol`, async () => {
      const [out] = await same(1, [
        [0, hello],
        [0, 'MULTI\r\nSET s str\r\nINCR s\r\nSET n 1\r\nINCR n\r\nINCRBYFLOAT n abc\r\nGET nothing\r\nMGET s n\r\nRENAME nothing x\r\nCONFIG GET hz\r\nEXEC\r\n'],
        [0, 'MULTI\r\nEXEC\r\n'],
      ]);
      expect(out).to.include('*9\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n:2\r\n-ERR value is not a valid float\r\n'
        + (proto === 3 ? '_\r\n' : '$-1\r\n'));
      expect(out.endsWith('+OK\r\n*0\r\n')).to.equal(true);
    });

    it(`RESP${proto}: a watched key written by another client makes EXEC return a null array (${JSON.stringify(NIL_ARRAY[proto])}); UNWATCH, DISCARD, RESET and EXEC forget watches`, async () => {
      const [out] = await same(2, [
        [0, hello],
        [0, 'SET k 1\r\nWATCH k\r\n'],
        [1, 'SET k 2\r\n'],
        [0, 'MULTI\r\nSET k 3\r\nEXEC\r\nGET k\r\n'],
        // UNWATCH clears both the watch and the dirty state.
        [0, 'WATCH k\r\n'], [1, 'SET k 4\r\n'], [0, 'UNWATCH\r\nMULTI\r\nGET k\r\nEXEC\r\n'],
        // DISCARD unwatches.
        [0, 'WATCH k\r\nMULTI\r\nDISCARD\r\n'], [1, 'SET k 5\r\n'], [0, 'MULTI\r\nGET k\r\nEXEC\r\n'],
        // RESET unwatches.
        [0, 'WATCH k\r\nRESET\r\n' + hello], [1, 'SET k 6\r\n'], [0, 'MULTI\r\nGET k\r\nEXEC\r\n'],
        // A successful EXEC unwatches too.
        [0, 'WATCH k\r\nMULTI\r\nGET k\r\nEXEC\r\n'], [1, 'SET k 7\r\n'], [0, 'MULTI\r\nGET k\r\nEXEC\r\n'],
        // A watch in another database is another key.
        [0, 'WATCH k\r\n'], [1, 'SELECT 1\r\nSET k x\r\nSELECT 0\r\n'], [0, 'MULTI\r\nGET k\r\nEXEC\r\n'],
      ]);
      expect(out).to.include(`+OK\r\n+QUEUED\r\n${NIL_ARRAY[proto]}$1\r\n2\r\n`);
      expect(out).to.include('*1\r\n$1\r\n5\r\n');
    });
  }

  /**
   * One WATCH trigger: WATCH k, `between` (run by connection `by`), then
   * MULTI PING EXEC. Returns EXEC's reply on both servers (asserted equal).
   */
  async function watchOutcome(setup: string, between: string, by = 1): Promise<string> {
    const [out] = await same(2, [
      [1, `FLUSHALL\r\n${setup}`],
      [0, 'WATCH k\r\n'],
      [by, between],
      [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
    ], 15);
    return out!.slice(out!.lastIndexOf('+QUEUED\r\n') + 9);
  }
  const RAN = '*1\r\n+PONG\r\n';
  const ABORTED = '*-1\r\n';

  const triggers: Array<[string, string, string]> = [
    // [setup, the write, a variant that must not touch k]
    ['SET k 1\r\n', 'SET k 1\r\n', 'SET other 1\r\n'],
    ['', 'SET k 1\r\n', 'GET k\r\n'],
    ['SET k 1\r\n', 'SET k 2 XX GET\r\n', 'SET k 2 NX GET\r\n'],
    ['', 'SETNX k 1\r\n', 'SETNX other 1\r\n'],
    ['SET k 1\r\n', 'SET k 1 KEEPTTL\r\n', 'SETNX k 2\r\n'],
    ['SET k 1\r\n', 'DEL k\r\n', 'DEL nothing\r\n'],
    ['SET k 1\r\n', 'UNLINK k\r\n', 'UNLINK nothing\r\n'],
    ['SET k 1\r\n', 'GETDEL k\r\n', 'GETDEL nothing\r\n'],
    ['SET k 1\r\n', 'INCR k\r\n', 'INCR other\r\n'],
    ['SET k 1\r\n', 'INCRBY k 0\r\n', 'INCRBY k abc\r\n'],
    ['SET k 1\r\n', 'DECRBY k 2\r\n', 'DECR other\r\n'],
    ['SET k 1\r\n', 'INCRBYFLOAT k 1.5\r\n', 'INCRBYFLOAT k abc\r\n'],
    ['SET k 1\r\n', 'APPEND k ""\r\n', 'STRLEN k\r\n'],
    ['SET k 1\r\n', 'SETRANGE k 0 x\r\n', 'SETRANGE k 0 ""\r\n'],
    ['SET k 1\r\n', 'GETSET k 2\r\n', 'GETRANGE k 0 -1\r\n'],
    ['SET k 1\r\n', 'MSET a 1 k 2\r\n', 'MSETNX a 1 k 2\r\n'],
    ['SET k 1\r\n', 'PSETEX k 100000 v\r\n', 'PTTL k\r\n'],
    ['SET k 1\r\n', 'SETEX k 100 v\r\n', 'TTL k\r\n'],
    ['SET k 1\r\n', 'EXPIRE k 100\r\n', 'EXPIRE nothing 100\r\n'],
    ['SET k 1 EX 100\r\n', 'EXPIRE k 200 GT\r\n', 'EXPIRE k 50 GT\r\n'],
    ['SET k 1\r\n', 'PEXPIREAT k 1\r\n', 'EXPIRETIME k\r\n'],
    ['SET k 1 EX 100\r\n', 'PERSIST k\r\n', 'PERSIST nothing\r\n'],
    ['SET k 1\r\n', 'GETEX k EX 100\r\n', 'GETEX k\r\n'],
    ['SET k 1 EX 100\r\n', 'GETEX k PERSIST\r\n', 'GETEX nothing PERSIST\r\n'],
    ['SET k 1\r\n', 'RENAME k k2\r\n', 'RENAME k k\r\n'],
    ['SET k2 1\r\n', 'RENAME k2 k\r\n', 'RENAMENX k2 k2\r\n'],
    ['SET k 1\r\n', 'FLUSHDB\r\n', 'SELECT 1\r\nFLUSHDB\r\nSELECT 0\r\n'],
    ['SET k 1\r\n', 'FLUSHALL\r\n', 'DBSIZE\r\n'],
    ['SET k 1\r\n', 'SWAPDB 0 1\r\n', 'SWAPDB 1 2\r\n'],
    ['SELECT 1\r\nSET k 1\r\nSELECT 0\r\n', 'SWAPDB 1 0\r\n', 'SWAPDB 0 0\r\n'],
  ];
  for (const [setup, write, harmless] of triggers) {
    const w = write.trim().replace(/\r\n/g, '; ');
    const h = harmless.trim().replace(/\r\n/g, '; ');
    it(`WATCH trigger: ${w} (after ${setup.trim().replace(/\r\n/g, '; ') || 'nothing'}) aborts EXEC; ${h} does not`, async () => {
      expect(await watchOutcome(setup, write)).to.equal(ABORTED);
      expect(await watchOutcome(setup, harmless)).to.equal(RAN);
    });
  }

  it('WATCH trigger: the watching client\'s own write before MULTI, and a flushed missing key does not', async () => {
    expect(await watchOutcome('SET k 1\r\n', 'INCR k\r\n', 0)).to.equal(ABORTED);
    expect(await watchOutcome('', 'FLUSHDB\r\nFLUSHALL\r\n')).to.equal(RAN);
    expect(await watchOutcome('SET k 1\r\n', 'FLUSHDB\r\n', 0)).to.equal(ABORTED);
  });

  it('WATCH trigger: eviction (maxmemory 1 evicts every key) aborts EXEC; with noeviction nothing is evicted', async () => {
    expect(await watchOutcome('SET k 1\r\nCONFIG SET maxmemory-policy allkeys-random\r\n', 'CONFIG SET maxmemory 1\r\nGET x\r\nCONFIG SET maxmemory 0\r\nDBSIZE\r\n')).to.equal(ABORTED);
    expect(await watchOutcome('SET k 1\r\nCONFIG SET maxmemory-policy noeviction\r\n', 'CONFIG SET maxmemory 1\r\nGET x\r\nCONFIG SET maxmemory 0\r\nDBSIZE\r\n')).to.equal(RAN);
  });

  it("expiry and WATCH, Redis 7.0's rule: a key alive at WATCH that expires fails EXEC; one already expired at WATCH does not, unless it is written", async () => {
    // DEBUG SLEEP makes sure a 20 ms TTL has passed on the server's own clock; active expiry is off, so only the
    // commands shown expire keys.
    const p = 'DEBUG SET-ACTIVE-EXPIRE 0\r\n';
    const [out] = await same(2, [
      [0, p],
      // Alive at WATCH, expired by EXEC, never deleted: EXEC fails.
      [0, 'SET k v PX 20\r\nWATCH k\r\nDEBUG SLEEP 0.05\r\nMULTI\r\nPING\r\nEXEC\r\n'],
      // Expired before WATCH: EXEC runs.
      [0, 'SET k v PX 20\r\nDEBUG SLEEP 0.05\r\nWATCH k\r\nMULTI\r\nPING\r\nEXEC\r\n'],
      // Expired before WATCH, then lazily deleted by a read (no logical change): EXEC runs.
      [0, 'SET k v PX 20\r\nDEBUG SLEEP 0.05\r\nWATCH k\r\n'], [1, 'GET k\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      // Expired before WATCH, then written: EXEC fails.
      [0, 'SET k v PX 20\r\nDEBUG SLEEP 0.05\r\nWATCH k\r\n'], [1, 'SET k 2\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      // Expired before WATCH, then FLUSHDB deletes it: no change, EXEC runs.
      [0, 'SET k v PX 20\r\nDEBUG SLEEP 0.05\r\nWATCH k\r\n'], [1, 'FLUSHDB\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      // Expired before WATCH, then SWAPDB brings a live k: EXEC fails.
      [0, 'SET k v PX 20\r\nDEBUG SLEEP 0.05\r\nWATCH k\r\n'], [1, 'SELECT 1\r\nSET k live\r\nSELECT 0\r\nSWAPDB 0 1\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      // Missing at WATCH, SWAPDB brings an expired k: still no change, EXEC runs.
      [1, 'FLUSHALL\r\nSELECT 1\r\nSET k v PX 20\r\nSELECT 0\r\nDEBUG SLEEP 0.05\r\n'], [0, 'WATCH k\r\n'], [1, 'SWAPDB 0 1\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      // Alive at WATCH and expired since: a later lazy delete also fails EXEC.
      [0, 'SET k v PX 20\r\nWATCH k\r\nDEBUG SLEEP 0.05\r\n'], [1, 'EXISTS k\r\n'], [0, 'MULTI\r\nPING\r\nEXEC\r\n'],
      [0, 'DEBUG SET-ACTIVE-EXPIRE 1\r\n'],
    ], 80); // each step waits out its DEBUG SLEEP
    const execs = [...out!.matchAll(/\+QUEUED\r\n(\*-1\r\n|\*1\r\n\+PONG\r\n)/g)].map((m) => (m[1] === ABORTED ? 'aborted' : 'ran'));
    expect(execs).to.deep.equal(['aborted', 'ran', 'ran', 'aborted', 'ran', 'aborted', 'ran', 'aborted']);
  });

  it('the clock is frozen for one EXEC: a 1 ms TTL set inside it still reads back after a 10 ms DEBUG SLEEP', async () => {
    // (Redis freezes the time its expiry checks use; its TTL replies read the live clock, so PTTL is left out.)
    const [out] = await same(1, [[0, 'MULTI\r\nSET a 1 PX 1\r\nDEBUG SLEEP 0.01\r\nGET a\r\nEXISTS a\r\nEXEC\r\nGET a\r\n']]);
    expect(out).to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n+OK\r\n+OK\r\n$1\r\n1\r\n:1\r\n$-1\r\n');
  });

  it('SELECT and SWAPDB inside MULTI; SWAPDB errors', async () => {
    const [out] = await same(2, [
      [0, 'SET a db0\r\nMULTI\r\nSELECT 1\r\nSET a db1\r\nGET a\r\nSWAPDB 0 1\r\nGET a\r\nEXEC\r\nGET a\r\nSELECT 0\r\nGET a\r\n'],
      [1, 'SWAPDB\r\nSWAPDB a b\r\nSWAPDB 0 b\r\nSWAPDB 0 16\r\nSWAPDB 16 a\r\nSWAPDB 99999999999 0\r\nSWAPDB -1 0\r\nSWAPDB 0 0\r\nSWAPDB " 1" 0\r\nSWAPDB 1 +0\r\nSWAPDB 0 2147483648\r\n'],
      [1, 'SELECT 1\r\nGET a\r\nSWAPDB 0 1\r\nGET a\r\nDBSIZE\r\nINFO keyspace\r\n'],
    ]);
    expect(out).to.equal('+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*5\r\n+OK\r\n+OK\r\n$3\r\ndb1\r\n+OK\r\n$3\r\ndb0\r\n$3\r\ndb0\r\n+OK\r\n$3\r\ndb1\r\n');
  });

  for (const proto of [2, 3] as const) {
    const hello = proto === 3 ? 'HELLO 3\r\n' : '';
    it(`RESP${proto}: pub/sub inside MULTI: SUBSCRIBE runs (RESP2: the client is then in subscribed mode), SSUBSCRIBE and MONITOR are refused inside EXEC, messages to itself land inside EXEC's array`, async () => {
      await same(2, [
        [0, hello],
        [1, 'SUBSCRIBE ch\r\n'],
        [0, 'MULTI\r\nSUBSCRIBE ch\r\nGET a\r\nPUBLISH ch hi\r\nSSUBSCRIBE x\r\nMONITOR\r\nPING\r\nEXEC\r\nPING\r\n'],
        [0, 'MULTI\r\nEXEC\r\nGET a\r\n'],
        [0, 'UNSUBSCRIBE\r\nMULTI\r\nPSUBSCRIBE p*\r\nPUNSUBSCRIBE\r\nEXEC\r\n'],
      ]);
    });
  }

  it('MONITOR shows MULTI, then each command EXEC ran (in its database), then EXEC; rejected and queued-only commands are not shown', async () => {
    const [mon] = await same(2, [
      [0, 'MONITOR\r\n'],
      [1, 'MULTI\r\nSET a 1\r\nSELECT 2\r\nGET a\r\nEXEC\r\nSELECT 0\r\n'],
      [1, 'MULTI\r\nNOSUCH\r\nINCR a\r\nEXEC\r\nMULTI\r\nSET b 1\r\nDISCARD\r\nEXEC x\r\nWATCH a\r\nUNWATCH\r\n'],
    ]);
    expect(mon).to.equal('+OK\r\n+T [0 A] "MULTI"\r\n+T [0 A] "SET" "a" "1"\r\n+T [2 A] "SELECT" "2"\r\n+T [2 A] "GET" "a"\r\n+T [2 A] "EXEC"\r\n'
      + '+T [0 A] "SELECT" "0"\r\n+T [0 A] "MULTI"\r\n+T [0 A] "EXEC"\r\n+T [0 A] "MULTI"\r\n+T [0 A] "DISCARD"\r\n+T [0 A] "EXEC" "x"\r\n'
      + '+T [0 A] "WATCH" "a"\r\n+T [0 A] "UNWATCH"\r\n');
  });

  it('keyspace events are delivered for the commands an EXEC ran, in order', async () => {
    const [, ev] = await same(2, [
      [0, 'CONFIG SET notify-keyspace-events KEA\r\n'],
      [1, 'PSUBSCRIBE __key*__:*\r\n'],
      [0, 'MULTI\r\nSET a 1\r\nEXPIRE a 100\r\nRENAME a b\r\nDEL b\r\nINCR c\r\nDISCARD\r\nMULTI\r\nSET a 1\r\nEXPIRE a 100\r\nRENAME a b\r\nDEL b\r\nSWAPDB 0 1\r\nEXEC\r\n'],
      [0, 'CONFIG SET notify-keyspace-events ""\r\n'],
    ]);
    expect(ev).to.include('__keyevent@0__:rename_to\r\n$1\r\nb\r\n');
    expect(ev).to.not.include('incrby');
  });

  it("CLIENT LIST and CLIENT INFO: flags x inside MULTI (and during EXEC), d once a watched key is touched, multi= the queued count", async () => {
    const [, c1] = await same(3, [
      [0, 'WATCH a b\r\n'],
      [1, 'SET a 5\r\nMULTI\r\nSET b 1\r\nCLIENT INFO\r\nEXEC\r\nCLIENT LIST\r\n'],
      [0, 'MULTI\r\nGET a\r\nGET b\r\n'],
      [2, 'MULTI\r\nGET a\r\nGET b\r\n'],
      [1, 'CLIENT LIST\r\n'],
    ]);
    expect(c1).to.include('flags=x db=0 sub=0 psub=0 ssub=0 multi=2 BUF events=r cmd=exec');
    expect(c1).to.include('flags=d db=0 sub=0 psub=0 ssub=0 multi=-1 BUF events=r cmd=watch');
    // The dirty client stores nothing more (multi=0); the clean one counts its queue.
    expect(c1).to.include('flags=xd db=0 sub=0 psub=0 ssub=0 multi=0 BUF events=r cmd=get');
    expect(c1).to.include('flags=x db=0 sub=0 psub=0 ssub=0 multi=2 BUF events=r cmd=get');
  });

  it('INFO commandstats: EXEC, MULTI and the commands EXEC ran; rejected and failed calls', async () => {
    const stats = async (port: number): Promise<string[]> => {
      const [out] = await script(port, 1, [[0, 'CONFIG RESETSTAT\r\nMULTI\r\nSET a 1\r\nINCR a\r\nSET\r\nEXEC\r\nMULTI\r\nSET a x\r\nINCR a\r\nGET a\r\nEXEC\r\nEXEC\r\nEXEC a\r\nMULTI\r\nEXEC\r\nWATCH a\r\nUNWATCH\r\nMULTI\r\nDISCARD\r\nINFO commandstats\r\n']]);
      return [...out!.matchAll(/cmdstat_(\S+?):calls=(\d+),usec=\d+,usec_per_call=[\d.]+,(rejected_calls=\d+,failed_calls=\d+)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
    };
    const want = await stats(pair.redis.port);
    expect(want).to.include('exec 4 rejected_calls=1,failed_calls=2');
    expect(await stats(pair.cachette.port)).to.deep.equal(want);
  });

  it('COMMAND INFO and COMMAND DOCS for multi, exec, discard, watch, unwatch, swapdb; COMMAND GETKEYS WATCH', async () => {
    for (const hello of ['', 'HELLO 3\r\n']) {
      await same(1, [[0, `${hello}COMMAND INFO multi exec discard watch unwatch swapdb\r\nCOMMAND DOCS multi exec discard watch unwatch swapdb\r\nCOMMAND GETKEYS WATCH a b c\r\n`]]);
    }
    // COMMAND LIST comes in Redis's dict order: compared as a set.
    const list = async (port: number): Promise<string[]> => (await script(port, 1, [[0, 'COMMAND LIST FILTERBY ACLCAT transaction\r\n']]))[0]!.split('\r\n').filter((l) => /^[a-z]/.test(l)).sort();
    expect(await list(pair.cachette.port)).to.deep.equal(await list(pair.redis.port));
    expect(await list(pair.cachette.port)).to.deep.equal(['discard', 'exec', 'multi', 'unwatch', 'watch']);
  });

  it('a whole transaction pipelined in one TCP write, with other clients writing in between (RESP2 and RESP3)', async () => {
    const [a, b] = await same(2, [
      [0, 'SET counter 10\r\nWATCH counter\r\nGET counter\r\nMULTI\r\nINCRBY counter 5\r\nGET counter\r\nEXEC\r\nHELLO 3\r\nWATCH counter\r\nMULTI\r\nINCR counter\r\nEXEC\r\n'],
      [1, 'WATCH counter\r\nMULTI\r\nINCR counter\r\n'],
      [0, 'INCR counter\r\n'],
      [1, 'EXEC\r\nGET counter\r\n'],
    ]);
    expect(a).to.include('+QUEUED\r\n+QUEUED\r\n*2\r\n:15\r\n$2\r\n15\r\n');
    expect(b).to.equal('+OK\r\n+OK\r\n+QUEUED\r\n*-1\r\n$2\r\n17\r\n');
  });
});

describe('transactions, cachette alone', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  const taps: Tap[] = [];
  afterEach(async () => {
    for (const t of taps.splice(0)) t.socket.destroy();
    await srv?.close();
  });
  async function tap(): Promise<Tap> {
    const t = await Tap.open(srv.port);
    taps.push(t);
    return t;
  }
  /** Sends and waits until the reply ends with `end`. */
  async function ask(t: Tap, req: string, end: string | RegExp): Promise<string> {
    t.send(req);
    const got = await t.waitFor((o) => (typeof end === 'string' ? o.endsWith(end) : end.test(o)));
    t.take();
    return got;
  }
  /** The watching client's CLIENT LIST flags, asked from another connection. */
  async function flagsOf(admin: Tap, id: string): Promise<string> {
    const out = await ask(admin, `CLIENT LIST ID ${id}\r\n`, /\n\r\n$/);
    return /flags=(\w+)/.exec(out)![1]!;
  }
  async function idOf(t: Tap): Promise<string> {
    return /:(\d+)\r\n/.exec(await ask(t, 'CLIENT ID\r\n', /\r\n$/))![1]!;
  }

  it('active expiry deleting a watched key touches the watch (CLIENT LIST flag d); with active expiry off it does not, but EXEC still fails', async () => {
    srv = await startServer({ clock: 'manual', 'enable-debug-command': 'yes' });
    const [w, admin] = [await tap(), await tap()];
    const id = await idOf(w);
    await ask(w, 'SET k v PX 500\r\nWATCH k\r\n', '+OK\r\n+OK\r\n');
    expect(await flagsOf(admin, id)).to.equal('N');
    srv.clock.advance(1000);
    expect(srv.server.dbs[0]!.size).to.equal(0); // deleted by active expiry, not by a lookup
    expect(await flagsOf(admin, id)).to.equal('d');
    expect(await ask(w, 'MULTI\r\nPING\r\nEXEC\r\n', '*-1\r\n')).to.equal('+OK\r\n+QUEUED\r\n*-1\r\n');

    await ask(admin, 'DEBUG SET-ACTIVE-EXPIRE 0\r\n', '+OK\r\n');
    await ask(w, 'SET k v PX 500\r\nWATCH k\r\n', '+OK\r\n+OK\r\n');
    srv.clock.advance(1000);
    expect(srv.server.dbs[0]!.size).to.equal(1);
    expect(await flagsOf(admin, id)).to.equal('N');
    expect(await ask(w, 'MULTI\r\nPING\r\nEXEC\r\n', '*-1\r\n')).to.equal('+OK\r\n+QUEUED\r\n*-1\r\n');
  });

  it('lazy expiry by another client\'s read touches the watch; without the read nothing is touched', async () => {
    srv = await startServer({ clock: 'manual', 'enable-debug-command': 'yes' });
    const [w, other, admin] = [await tap(), await tap(), await tap()];
    const id = await idOf(w);
    await ask(admin, 'DEBUG SET-ACTIVE-EXPIRE 0\r\n', '+OK\r\n');
    await ask(w, 'SET k v PX 500\r\nWATCH k\r\n', '+OK\r\n+OK\r\n');
    srv.clock.advance(1000);
    expect(await flagsOf(admin, id)).to.equal('N');
    expect(await ask(other, 'GET k\r\n', '$-1\r\n')).to.equal('$-1\r\n');
    expect(await flagsOf(admin, id)).to.equal('d');
    expect(srv.server.stats.expiredKeys).to.equal(1);
  });

  it("the test handle's flushAll touches watched keys that exist, not missing ones", async () => {
    srv = await startServer();
    const w = await tap();
    await ask(w, 'SET k 1\r\nWATCH k\r\n', '+OK\r\n+OK\r\n');
    srv.flushAll();
    expect(await ask(w, 'MULTI\r\nPING\r\nEXEC\r\n', '*-1\r\n')).to.equal('+OK\r\n+QUEUED\r\n*-1\r\n');
    await ask(w, 'WATCH missing\r\n', '+OK\r\n');
    srv.flushAll();
    expect(await ask(w, 'MULTI\r\nPING\r\nEXEC\r\n', '+PONG\r\n')).to.equal('+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n');
  });

  it('a connection closed mid-MULTI discards its transaction and leaves no watch behind; so does CLIENT KILL', async () => {
    srv = await startServer();
    const [a, b, admin] = [await tap(), await tap(), await tap()];
    await ask(a, 'SET k 1\r\nWATCH k other\r\nMULTI\r\nSET k 2\r\nSET other 2\r\n', '+QUEUED\r\n+QUEUED\r\n');
    expect(srv.server.dbs[0]!.watched.size).to.equal(2);
    a.socket.destroy();
    for (let i = 0; i < 100 && srv.server.dbs[0]!.watched.size !== 0; i++) await sleep(5);
    expect(srv.server.dbs[0]!.watched.size).to.equal(0);
    expect(srv.get('k')).to.equal('1');
    expect(srv.get('other')).to.equal(null);

    const id = await idOf(b);
    await ask(b, 'WATCH k\r\nMULTI\r\nDEL k\r\n', '+QUEUED\r\n');
    expect(await ask(admin, `CLIENT KILL ID ${id}\r\n`, ':1\r\n')).to.equal(':1\r\n');
    for (let i = 0; i < 100 && srv.server.dbs[0]!.watched.size !== 0; i++) await sleep(5);
    expect(srv.server.dbs[0]!.watched.size).to.equal(0);
    expect(srv.get('k')).to.equal('1');
  });

  it('watches are dropped from the registry by UNWATCH, EXEC, DISCARD and once dirty (nothing grows without bound)', async () => {
    srv = await startServer();
    const [w, other] = [await tap(), await tap()];
    const db = srv.server.dbs[0]!;
    await ask(w, 'WATCH a b c a\r\n', '+OK\r\n');
    expect(db.watched.size).to.equal(3);
    expect(db.watched.get('a')!.length).to.equal(1); // watched once, however often WATCHed
    await ask(w, 'UNWATCH\r\n', '+OK\r\n');
    expect(db.watched.size).to.equal(0);
    await ask(w, 'WATCH a b\r\nMULTI\r\nEXEC\r\n', '*0\r\n');
    expect(db.watched.size).to.equal(0);
    await ask(w, 'WATCH a b\r\nMULTI\r\nDISCARD\r\n', '+OK\r\n+OK\r\n+OK\r\n');
    expect(db.watched.size).to.equal(0);
    await ask(w, 'WATCH a b\r\n', '+OK\r\n');
    await ask(other, 'SET a 1\r\n', '+OK\r\n');
    expect(db.watched.size).to.equal(0); // a dirty client needs no watches
    await ask(w, 'WATCH c\r\n', '+OK\r\n'); // and a dirty client watches nothing more
    expect(db.watched.size).to.equal(0);
  });

  it('injected faults apply to the commands EXEC runs: an error takes that command\'s place, a fault on EXEC aborts the transaction', async () => {
    srv = await startServer();
    const w = await tap();
    const f = srv.faults.inject({ command: 'get', key: 'k', times: 1 }, 'LOADING');
    // Queueing does not fire the fault; running does.
    expect(await ask(w, 'MULTI\r\nSET k 1\r\nGET k\r\nGET k\r\nEXEC\r\n', /\*3\r\n[\s\S]*\$1\r\n1\r\n$/))
      .to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n-LOADING Redis is loading the dataset in memory\r\n$1\r\n1\r\n');
    expect(f.fired).to.equal(1);
    srv.faults.inject({ command: 'exec', times: 1 }, 'LOADING');
    expect(await ask(w, 'MULTI\r\nSET k 2\r\nEXEC\r\nEXEC\r\n', 'MULTI\r\n'))
      .to.equal('+OK\r\n+QUEUED\r\n-EXECABORT Transaction discarded because of: LOADING Redis is loading the dataset in memory\r\n-ERR EXEC without MULTI\r\n');
    expect(srv.get('k')).to.equal('1');
    const info = await ask(w, 'INFO commandstats\r\n', /\r\n\r\n$/);
    expect(info).to.include('cmdstat_get:calls=1,');
    expect(info).to.match(/cmdstat_get:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=0/);
  });

  it("a 'close' fault inside EXEC: the commands before it ran, the rest did not, no partial reply; 'delay' holds the whole reply", async () => {
    srv = await startServer();
    const w = await tap();
    srv.faults.inject({ command: 'incr', times: 1 }, 'close');
    w.send('PING\r\nMULTI\r\nSET a 1\r\nINCR a\r\nSET b 1\r\nEXEC\r\n');
    for (let i = 0; i < 200 && !w.closed; i++) await sleep(5);
    expect(w.closed).to.equal(true);
    expect(w.take()).to.equal('+PONG\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n');
    expect(srv.dump()).to.deep.equal({ 0: { a: { value: '1', ttl: null } } });

    const d = await tap();
    srv.faults.inject({ command: 'get', times: 1 }, { delay: 150 });
    const t0 = Date.now();
    expect(await ask(d, 'MULTI\r\nGET a\r\nPING\r\nEXEC\r\n', '+PONG\r\n')).to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n$1\r\n1\r\n+PONG\r\n');
    expect(Date.now() - t0).to.be.at.least(140);
  });

  it('the manual clock stays frozen for one EXEC: DEBUG JUMP inside it takes effect when EXEC ends', async () => {
    srv = await startServer({ clock: 'manual', clockStart: Date.UTC(2030, 0, 1), 'enable-debug-jump': 'yes' });
    const w = await tap();
    expect(await ask(w, 'MULTI\r\nSET k v PX 100\r\nDEBUG JUMP 5000\r\nGET k\r\nPTTL k\r\nEXEC\r\n', ':100\r\n'))
      .to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n+OK\r\n+OK\r\n$1\r\nv\r\n:100\r\n');
    expect(srv.clock.now()).to.equal(Date.UTC(2030, 0, 1) + 5000);
    expect(await ask(w, 'GET k\r\n', '$-1\r\n')).to.equal('$-1\r\n');
  });

  it("atomicity: another client's commands never run between a transaction's commands", async () => {
    srv = await startServer();
    const [a, b] = [await tap(), await tap()];
    a.send('MULTI\r\n' + 'INCR n\r\n'.repeat(200) + 'EXEC\r\n');
    b.send('GET n\r\n'.repeat(300));
    const out = await b.waitFor((o) => (o.match(/\$/g) ?? []).length >= 300);
    const values = [...out.matchAll(/\$(-1|\d+)\r\n(\d*)\r?\n?/g)].map((m) => (m[1] === '-1' ? 'nil' : m[2]));
    expect(values.length).to.be.at.least(1);
    for (const v of values) expect(['nil', '200']).to.include(v);
    await a.waitFor((o) => o.includes(':200\r\n'));
  });

  it("EXEC's replies leave in one socket write with the rest of the batch", async () => {
    srv = await startServer();
    const w = await tap();
    await ask(w, 'PING\r\n', '+PONG\r\n');
    const client = [...srv.server.clients.values()].find((c) => c.socket.remotePort === w.socket.localPort)!;
    const writes: string[] = [];
    const orig = client.socket.write.bind(client.socket);
    client.socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      writes.push(Buffer.from(chunk).toString('latin1'));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof client.socket.write;
    expect(await ask(w, 'MULTI\r\nSET a 1\r\nGET a\r\nINCR a\r\nEXEC\r\n', ':2\r\n')).to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n$1\r\n1\r\n:2\r\n');
    // However TCP split the request, EXEC's whole array was one write.
    expect(writes.some((b) => b.endsWith('*3\r\n+OK\r\n$1\r\n1\r\n:2\r\n'))).to.equal(true);
  });

  it('while EXEC runs the client denies blocking (the hook blocking commands will read); it is off before and after', async () => {
    srv = await startServer();
    const w = await tap();
    const seen: boolean[] = [];
    // Any command handler sees the flag; PING stands in for a future blocking command.
    const ping = srv.server.commands.lookup('ping')!;
    const handler = ping.handler;
    (ping as { handler: typeof handler }).handler = (c, args) => { seen.push(c.denyBlocking); handler(c, args); };
    await ask(w, 'PING\r\nMULTI\r\nPING\r\nEXEC\r\nPING\r\n', '+PONG\r\n*1\r\n+PONG\r\n+PONG\r\n');
    expect(seen).to.deep.equal([false, true, false]);
  });
});

describe('transactions through client libraries', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });
  beforeEach(() => srv.flushAll());

  for (const protocol of [2, 3] as const) {
    it(`ioredis (RESP${protocol}): multi().set().get().exec(), queue-time errors, and watch() losing to a second client`, async () => {
      const r = new Redis(srv.url, { protocol } as Record<string, unknown>);
      const other = new Redis(srv.url, { protocol } as Record<string, unknown>);
      try {
        expect(await r.multi().set('k', '1').get('k').incr('k').exec()).to.deep.equal([[null, 'OK'], [null, '1'], [null, 2]]);
        // A runtime error is one element; the others run.
        const mixed = await r.multi().set('s', 'x').incr('s').get('s').exec();
        expect(mixed![0]).to.deep.equal([null, 'OK']);
        expect((mixed![1]![0] as Error).message).to.equal('ERR value is not an integer or out of range');
        expect(mixed![2]).to.deep.equal([null, 'x']);
        // A queue-time error aborts the whole transaction.
        const err = await r.multi().set('q', '1').call('nosuch').exec().catch((e: Error) => e);
        expect((err as Error).message).to.match(/EXECABORT Transaction discarded because of previous errors/);
        expect(await r.exists('q')).to.equal(0);

        // Optimistic locking: WATCH, a conflicting write, EXEC gives null.
        await r.watch('k');
        const v = Number(await r.get('k'));
        await other.set('k', '100');
        expect(await r.multi().set('k', String(v + 1)).exec()).to.equal(null);
        expect(await r.get('k')).to.equal('100');
        // Without a conflict it commits.
        await r.watch('k');
        expect(await r.multi().incr('k').exec()).to.deep.equal([[null, 101]]);
      } finally {
        r.disconnect();
        other.disconnect();
      }
    });
  }

  for (const RESP of [2, 3] as const) {
    it(`node-redis (RESP${RESP}): multi().exec(), and WATCH on an isolated pool connection with a conflicting write (WatchError)`, async () => {
      const c = createClient({ url: srv.url, RESP });
      const pool = createClientPool({ url: srv.url, RESP });
      await c.connect();
      await pool.connect();
      try {
        expect(await c.multi().set('k', '1').get('k').incrBy('k', 2).exec()).to.deep.equal(['OK', '1', 3]);
        const attempt = (conflict: boolean): Promise<unknown> => pool.execute(async (iso) => {
          await iso.watch('k');
          const v = Number(await iso.get('k'));
          if (conflict) await c.set('k', '50');
          return iso.multi().set('k', String(v * 2)).exec();
        });
        const lost = await attempt(true).catch((e: unknown) => e);
        expect(lost).to.be.instanceOf(WatchError);
        expect(await c.get('k')).to.equal('50');
        expect(await attempt(false)).to.deep.equal(['OK']);
        expect(await c.get('k')).to.equal('100');
      } finally {
        await c.close();
        await pool.close();
      }
    });
  }
});
