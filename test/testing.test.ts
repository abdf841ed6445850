/**
 * The test-suite features (issue 8), each shown through ioredis the way a
 * user's tests would use them: the manual clock, seeded sampling, fault
 * injection, synchronous inspection, MONITOR and DEBUG JUMP.
 */

import { expect } from 'chai';
import { Redis, ReplyError } from 'ioredis';
import net from 'node:net';
import { startServer, type ServerHandle } from '../src/index.js';
import { withPair } from './diff/servers.js';
import { Raw, rejection } from './helpers.js';

const NOT_ALLOWED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

function client(srv: ServerHandle, extra: Record<string, unknown> = {}): Redis {
  return new Redis(srv.url, { lazyConnect: true, ...extra });
}

describe('testing features: manual clock', function () {
  let srv: ServerHandle;
  let redis: Redis;
  beforeEach(async () => {
    srv = await startServer({ clock: 'manual', clockStart: Date.UTC(2030, 0, 1) });
    redis = client(srv);
    await redis.connect();
  });
  afterEach(async () => {
    redis.disconnect();
    await srv.close();
  });

  it('freezes time: TTL replies do not move until advance()', async () => {
    expect(srv.clock.mode).to.equal('manual');
    expect(srv.clock.now()).to.equal(Date.UTC(2030, 0, 1));
    await redis.set('session', 'abc', 'EX', 3600);
    await new Promise((r) => setTimeout(r, 30));
    expect(await redis.pttl('session')).to.equal(3_600_000);
    srv.clock.advance(1_000);
    expect(await redis.pttl('session')).to.equal(3_599_000);
    expect(await redis.ttl('session')).to.equal(3599);
    // TIME follows the server's clock too.
    expect(await redis.time()).to.deep.equal([String(Date.UTC(2030, 0, 1) / 1000 + 1), '0']);
  });

  it('a one-hour TTL expires in milliseconds of test time (lazy expiry on the next access)', async () => {
    const t0 = Date.now();
    await redis.set('session', 'abc', 'EX', 3600);
    srv.clock.advance(3_600_000);
    expect(await redis.get('session')).to.equal('abc'); // expires strictly after its time
    srv.clock.advance(1);
    expect(await redis.get('session')).to.equal(null);
    expect(srv.info('stats')['expired_keys']).to.equal('1');
    // A real-time version of this test would sleep an hour.
    expect(Date.now() - t0).to.be.below(2_000);
  });

  it('active expiry runs for every tick passed: untouched keys go, and expired_keys counts them', async () => {
    const pipe = redis.pipeline();
    for (let i = 0; i < 1000; i++) pipe.set(`k${i}`, 'v', 'EX', 10);
    for (let i = 0; i < 100; i++) pipe.set(`keep${i}`, 'v');
    await pipe.exec();
    srv.clock.advance(9_999);
    expect(await redis.dbsize()).to.equal(1100);
    srv.clock.advance(2_000); // 20 ticks at hz 10: enough for the sampled cycles to clear all 1000
    expect(await redis.dbsize()).to.equal(100);
    expect(srv.info('stats')['expired_keys']).to.equal('1000');
    expect(srv.keys('k[0-9]*')).to.deep.equal([]);
    expect(srv.keys('keep*').length).to.equal(100);
  });

  it('with no tick in the jump, active expiry has not run: only lazy expiry catches the key', async () => {
    await redis.set('a', '1', 'PX', 10);
    srv.clock.advance(50); // no cron tick is passed over (hz 10: one every 100 ms)
    expect(await redis.dbsize()).to.equal(1);
    expect(await redis.get('a')).to.equal(null);
    expect(await redis.dbsize()).to.equal(0);
  });

  it('ages LRU: OBJECT IDLETIME follows the clock', async () => {
    await redis.set('a', '1');
    srv.clock.advance(125_000);
    expect(await redis.object('IDLETIME', 'a')).to.equal(125);
  });

  it('ages LFU: OBJECT FREQ decays by one per lfu-decay-time minute of clock time', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    await redis.set('a', '1');
    expect(await redis.object('FREQ', 'a')).to.equal(5); // LFU_INIT_VAL
    srv.clock.advance(3 * 60_000);
    expect(await redis.object('FREQ', 'a')).to.equal(2);
    srv.clock.advance(10 * 60_000);
    expect(await redis.object('FREQ', 'a')).to.equal(0);
  });

  it('set() moves to an absolute time; backwards does not resurrect expired keys, forward runs the ticks', async () => {
    const start = srv.clock.now();
    await redis.set('a', '1', 'PXAT', start + 5_000);
    srv.clock.set(start + 10_000);
    expect(srv.dump()).to.deep.equal({});
    srv.clock.set(start);
    expect(srv.clock.now()).to.equal(start);
    expect(await redis.get('a')).to.equal(null);
  });

  it('rejects a negative or non-finite advance', () => {
    expect(() => srv.clock.advance(-1)).to.throw(RangeError);
    expect(() => srv.clock.advance(Number.NaN)).to.throw(RangeError);
  });

  it('a seed makes eviction reproducible: two servers evict the same keys', async () => {
    const survivors: string[][] = [];
    for (let run = 0; run < 2; run++) {
      await using s = await startServer({ clock: 'manual', clockStart: 1_900_000_000_000, seed: 7, maxmemory: '300kb', 'maxmemory-policy': 'allkeys-lru' });
      const r = client(s);
      await r.connect();
      for (let i = 0; i < 3000; i++) {
        await r.set(`key:${i}`, 'x'.repeat(100));
        if (i % 100 === 0) s.clock.advance(1_000);
      }
      survivors.push(s.keys().sort());
      r.disconnect();
    }
    expect(survivors[0]!.length).to.be.within(100, 2999);
    expect(survivors[1]).to.deep.equal(survivors[0]);
  });
});

describe('testing features: DEBUG JUMP over the wire', function () {
  it('moves the clock for any client when enable-debug-jump is yes; refused otherwise', async () => {
    await using srv = await startServer({ clock: 'manual', 'enable-debug-jump': 'yes' });
    const c = await Raw.connect(srv.port);
    await c.expect('SET a 1 PX 1000\r\n', '+OK\r\n');
    await c.expect('DEBUG JUMP 1000\r\n', '+OK\r\n');
    await c.expect('PTTL a\r\n', ':0\r\n');
    await c.expect('DEBUG JUMP 1\r\n', '+OK\r\n');
    await c.expect('GET a\r\n', '$-1\r\n');
    await c.expect('DEBUG JUMP -5\r\n', '-ERR DEBUG JUMP takes a number of milliseconds >= 0 (the clock only moves forward this way)\r\n');
    await c.expect('DEBUG JUMP x\r\n', '-ERR value is not an integer or out of range\r\n');
    await c.expect('DEBUG SET-CLOCK 1893456000000\r\n', '+OK\r\n');
    await c.expect('TIME\r\n', '*2\r\n$10\r\n1893456000\r\n$1\r\n0\r\n');
    // The rest of DEBUG stays refused (enable-debug-command is no).
    await c.expect('DEBUG SET-ACTIVE-EXPIRE 0\r\n', `-${NOT_ALLOWED}\r\n`);
    await c.expect('CONFIG SET enable-debug-jump no\r\n', "-ERR CONFIG SET failed (possibly related to argument 'enable-debug-jump') - can't set immutable config\r\n");
    c.socket.destroy();

    await using off = await startServer();
    const d = await Raw.connect(off.port);
    await d.expect('DEBUG JUMP 1000\r\n', `-${NOT_ALLOWED}\r\n`);
    d.socket.destroy();
  });

  it('works with the system clock too, as time travel forward', async () => {
    await using srv = await startServer({ 'enable-debug-jump': 'yes' });
    const c = await Raw.connect(srv.port);
    await c.expect('SET a 1 EX 100\r\n', '+OK\r\n');
    await c.expect('DEBUG JUMP 101000\r\n', '+OK\r\n');
    await c.expect('DBSIZE\r\n', ':0\r\n'); // active expiry ran in the ticks passed over
    c.socket.destroy();
  });
});

describe('testing features: fault injection', function () {
  let srv: ServerHandle;
  beforeEach(async () => { srv = await startServer(); });
  afterEach(async () => { await srv.close(); });

  it('an injected LOADING error reaches ioredis as a ReplyError, once, and is counted', async () => {
    const redis = client(srv);
    await redis.connect();
    await redis.set('user:1', 'ann');
    const fault = srv.faults.inject({ command: 'get', key: 'user:1', times: 1 }, 'LOADING');
    const err = await rejection(redis.get('user:1'));
    expect(err).to.be.instanceOf(ReplyError);
    expect(err.message).to.equal('LOADING Redis is loading the dataset in memory');
    expect(await redis.get('user:1')).to.equal('ann');
    expect(fault.fired).to.equal(1);
    expect(fault.active).to.equal(false);
    expect(srv.info('errorstats')['errorstat_LOADING']).to.equal('count=1');
    redis.disconnect();
  });

  it('matches by command, key, db and after; leaves other commands alone; list and clear', async () => {
    const c = await Raw.connect(srv.port);
    const f = srv.faults.inject({ command: ['set', 'config|get'], key: 'k', after: 1 }, 'ERR boom');
    await c.expect('SET k 1\r\n', '+OK\r\n'); // let through by `after`
    await c.expect('SET k 2\r\n', '-ERR boom\r\n');
    await c.expect('SET other 2\r\n', '+OK\r\n');
    await c.expect('GET k\r\n', '$1\r\n1\r\n');
    const g = srv.faults.inject({ command: 'config' }, { error: 'READONLY' });
    await c.expect('CONFIG GET hz\r\n', "-READONLY You can't write against a read only replica.\r\n");
    const h = srv.faults.inject({ db: 3 }, 'OOM');
    await c.expect('PING\r\n', '+PONG\r\n');
    await c.expect('SELECT 3\r\n', '+OK\r\n'); // matched on the db the client is on when the command arrives
    await c.expect('PING\r\n', "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(srv.faults.list().map((x) => [x.id, x.fired, x.seen])).to.deep.equal([[f.id, 1, 2], [g.id, 1, 1], [h.id, 1, 1]]);
    srv.faults.clear();
    expect(srv.faults.list()).to.deep.equal([]);
    await c.expect('SET k 3\r\n', '+OK\r\n');
    c.socket.destroy();
    expect(() => srv.faults.inject({ times: 0 }, 'LOADING')).to.throw(TypeError);
    expect(() => srv.faults.inject({}, { delay: -1 })).to.throw(TypeError);
  });

  it('a delayed reply trips an ioredis command timeout; replies keep their order', async () => {
    const redis = client(srv, { commandTimeout: 100, maxRetriesPerRequest: 0 });
    await redis.connect();
    await redis.set('a', '1');
    srv.faults.inject({ command: 'get', times: 1 }, { delay: 400 });
    const err = await rejection(redis.get('a'));
    expect(err.message).to.equal('Command timed out');
    // On a raw socket: the delayed reply and the ones behind it arrive together, in order.
    srv.faults.inject({ command: 'get', times: 1 }, { delay: 150 });
    const c = await Raw.connect(srv.port);
    const t0 = Date.now();
    await c.expect('GET a\r\nPING\r\n', '$1\r\n1\r\n+PONG\r\n');
    expect(Date.now() - t0).to.be.at.least(140);
    c.socket.destroy();
    redis.disconnect();
  });

  it('a closed connection: ioredis reconnects and the command succeeds on retry', async () => {
    const redis = client(srv, { retryStrategy: () => 10 });
    await redis.connect();
    await redis.set('a', '1');
    let reconnects = 0;
    redis.on('reconnecting', () => { reconnects++; });
    const fault = srv.faults.inject({ command: 'get', times: 1 }, 'close');
    expect(await redis.get('a')).to.equal('1');
    expect(fault.fired).to.equal(1);
    expect(reconnects).to.equal(1);
    redis.disconnect();
  });

  it('hang: the command is not run and nothing more is answered on that connection', async () => {
    srv.faults.inject({ command: 'set', times: 1 }, 'hang');
    const c = await Raw.connect(srv.port);
    const sent = Buffer.from('PING\r\nSET a 1\r\nPING\r\nSET b 1\r\nPING\r\n');
    c.send(sent);
    expect(await c.read(7, 1000)).to.equal('+PONG\r\n');
    // A hung connection answers no sentinel, so the proof is on the server's
    // side of the socket: once it has read every byte sent (each read is
    // handled at once), it has written the one PONG and nothing else.
    const conn = [...srv.server.clients.values()].find((x) => x.hung)!;
    expect(conn, 'the hung connection').to.not.equal(undefined);
    const deadline = Date.now() + 3000;
    while (conn.socket.bytesRead < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(conn.socket.bytesRead).to.equal(sent.length);
    expect(conn.socket.bytesWritten).to.equal(7);
    expect(c.rest()).to.equal('');
    expect(srv.get('a')).to.equal(null);
    expect(srv.get('b')).to.equal(null);
    // Other connections are unaffected.
    const d = await Raw.connect(srv.port);
    await d.expect('SET a 2\r\n', '+OK\r\n');
    c.socket.destroy();
    d.socket.destroy();
  });
});

describe('testing features: inspection', function () {
  it('get, ttl, keys, dump, info and flushAll, without side effects', async () => {
    await using srv = await startServer({ clock: 'manual' });
    const redis = client(srv);
    await redis.connect();
    await redis.set('user:1', 'Zoë');
    await redis.set('user:2', 'bob', 'PX', 5000);
    await redis.incrby('hits', 3);
    await redis.append('user:1', '!');
    await redis.set('gone', 'x', 'PX', 10);
    await redis.select(2);
    await redis.set('other', 'db2');
    srv.clock.advance(20);

    expect(srv.get('user:1')).to.equal('Zoë!');
    expect(srv.get('gone')).to.equal(null);
    expect(srv.get('other', 2)).to.equal('db2');
    expect(srv.ttl('user:2')).to.equal(4980);
    expect(srv.ttl('user:1')).to.equal(-1);
    expect(srv.ttl('nope')).to.equal(-2);
    expect(srv.keys('user:*').sort()).to.deep.equal(['user:1', 'user:2']);
    expect(srv.dump()).to.deep.equal({
      0: { 'user:1': { value: 'Zoë!', ttl: null }, 'user:2': { value: 'bob', ttl: 4980 }, hits: { value: '3', ttl: null } },
      2: { other: { value: 'db2', ttl: null } },
    });
    // Looking changed nothing: the expired key is still stored, no hit or miss was counted.
    const stats = srv.info('stats');
    expect(stats['keyspace_hits']).to.equal('0');
    expect(stats['keyspace_misses']).to.equal('0');
    expect(srv.info('keyspace')['db0']).to.equal('keys=4,expires=2,avg_ttl=0');
    expect(() => srv.get('a', 99)).to.throw(RangeError);
    srv.flushAll();
    expect(srv.dump()).to.deep.equal({});
    redis.disconnect();
  });
});

describe('testing features: MONITOR, byte for byte against Redis', function () {
  this.timeout(20_000);
  const pair = withPair();

  /** What a monitor sees while another client sends `script`; timestamps and ports normalised. */
  async function monitorLines(port: number): Promise<{ monitor: string; client: string }> {
    const m = await Raw.connect(port);
    await m.expect('MONITOR\r\n', '+OK\r\n');
    const c = await Raw.connect(port);
    const port2 = (c.socket.address() as net.AddressInfo).port;
    const script = [
      '*3\r\n$3\r\nSET\r\n$5\r\na"\\b \r\n$6\r\nx\ny\x01\xff\t\r\n', 'GET nosuch\r\n', 'AUTH foo\r\n', 'AUTH a b\r\n',
      'HELLO 3 AUTH u p SETNAME n\r\n', 'HELLO 2\r\n', 'NOSUCH x\r\n', 'GET\r\n', 'CONFIG GET maxmemory\r\n', 'SELECT 2\r\n',
      'INCR n\r\n', 'CLIENT GETNAME\r\n', 'DEBUG SET-ACTIVE-EXPIRE 1\r\n', 'ECHO "\\x00\\x7f\\x80"\r\n', 'MONITOR\r\n', 'GET x\r\n', 'MONITOR\r\n',
      'PING\r\n', 'RESET\r\n', 'GET x\r\n', 'QUIT\r\n',
    ];
    // One pipeline: both servers run it in order; it ends with QUIT, so the
    // close marks the end of what the client is sent.
    c.send(Buffer.from(script.join(''), 'latin1'));
    expect(await c.waitClosed(5000), 'the client is closed by its QUIT').to.equal(true);
    // The monitor's end: a PING sentinel, answered after every line already fed to it.
    m.send('PING\r\n');
    let monitor = '';
    for (let reply = ''; reply !== '+PONG\r\n';) { reply = await m.reply(5000); monitor += reply; }
    const norm = (s: string): string => s.replace(/\+\d{10}\.\d{6} /g, '+T ').replaceAll(`:${port2}]`, ':P]').replace(/:\d+\]/g, ':M]')
      .replace(/id\r\n:\d+/, 'id\r\n:N');
    const out = { monitor: norm(monitor), client: norm(c.rest()) };
    m.socket.destroy();
    c.socket.destroy();
    return out;
  }

  it('shows every command that ran, redacts secrets, skips admin and rejected ones; monitor mode rules', async () => {
    const want = await monitorLines(pair.redis.port);
    const got = await monitorLines(pair.cachette.port);
    expect(got.monitor).to.equal(want.monitor);
    expect(got.client).to.equal(want.client);
    expect(got.monitor).to.include('+T [0 127.0.0.1:P] "AUTH" "(redacted)" "(redacted)"\r\n');
    expect(got.monitor).to.include('+T [0 127.0.0.1:P] "SET" "a\\"\\\\b " "x\\ny\\x01\\xff\\t"\r\n');
    expect(got.client).to.include("-ERR Replica can't interact with the keyspace\r\n");
  });
});

describe('testing features: log output', function () {
  this.timeout(20_000);

  /** Runs a child that starts an embedded server and makes it log a warning (SHUTDOWN); returns its stdout. */
  async function childOutput(env: Record<string, string>, withLogger: boolean): Promise<string> {
    const index = new URL('../src/index.js', import.meta.url).href;
    const code = `
      import { startServer } from ${JSON.stringify(index)};
      import net from 'node:net';
      const lines = [];
      const srv = await startServer(${withLogger ? '{ logger: (l) => lines.push(l) }' : '{}'});
      const s = net.connect(srv.port, '127.0.0.1', () => s.write('SHUTDOWN\\r\\n'));
      s.on('close', async () => { await srv.close(); if (lines.length) process.stdout.write('captured: ' + lines.join('|') + '\\n'); });
    `;
    const { execFile } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, CACHETTE_LOG: '', ...env }, timeout: 15_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
  }

  it('an embedded server prints nothing unless asked: a logger option, or CACHETTE_LOG=1 for stdout', async () => {
    expect(await childOutput({}, false)).to.equal('');
    expect(await childOutput({ CACHETTE_LOG: '1' }, false)).to.match(/^\d+:M \d+ \w{3} \d{4} [\d:.]+ # User requested shutdown\.\.\.\n$/);
    expect(await childOutput({}, true)).to.match(/^captured: \d+:M .* # User requested shutdown\.\.\.\n$/);
  });
});
