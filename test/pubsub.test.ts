/**
 * Pub/sub and keyspace notifications, byte for byte against a real
 * redis-server 7.0 (frames in both protocols, counts, the subscribed-mode
 * error, CONFIG's flag handling, the events of every command, expired events
 * from active expiry), then through ioredis and node-redis, and the pubsub
 * output-buffer limit for a subscriber that never reads.
 *
 * Events for random command sequences are compared by the differential
 * suite's watcher (test/diff.test.ts).
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import net from 'node:net';
import { createClient } from 'redis';
import { startServer, type ServerHandle } from '../src/index.js';
import { withPair } from './diff/servers.js';
import { Raw } from './helpers.js';

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
}

/** A step: bytes for one connection, and optionally a time that must pass after it (for a TTL to run out). */
type Step = [conn: number, bytes: string, waitMs?: number];

/**
 * Waits until every open connection has received everything the server sent
 * it so far: each gets `PING <token>`, and its reply (a bulk string, or the
 * ["pong", token] array of a RESP2 subscriber) is the last thing read. The
 * server answers a PING after any message it queued to that connection
 * earlier, so nothing sent before can be missed and nothing is waited for by
 * a timer. The sentinel replies are removed again.
 */
async function barrier(taps: Tap[], token: string, first = 0): Promise<void> {
  const bulk = `$${token.length}\r\n${token}\r\n`;
  const deadline = Date.now() + 5000;
  // The step's own connection first: once its PING is answered, the step ran; only then are the
  // others pinged, so what the step caused reaches them before their PING replies (pinging all at
  // once let a server read another connection's PING before the step and answer it first).
  const order = [taps[first]!, ...taps.filter((_t, i) => i !== first)];
  for (const t of order) {
    if (!t.closed) t.send(`PING ${token}\r\n`);
    while (!t.closed && !t.out.endsWith(bulk)) {
      if (Date.now() > deadline) throw new Error(`no reply to the PING sentinel ${token}; have ${JSON.stringify(t.out.slice(-200))}`);
      await sleep(1);
    }
    for (const r of [`*2\r\n$4\r\npong\r\n${bulk}`, bulk]) {
      if (t.out.endsWith(r)) { t.out = t.out.slice(0, -r.length); break; }
    }
  }
}

/**
 * Runs the same script on a server: steps are [connection, bytes]; returns
 * what each connection received. After each step a PING sentinel on every
 * connection (barrier()) marks the end of what that step caused.
 */
async function script(port: number, conns: number, steps: Step[]): Promise<string[]> {
  const taps: Tap[] = [];
  for (let i = 0; i < conns; i++) taps.push(await Tap.open(port));
  let n = 0;
  for (const [i, bytes, waitMs] of steps) {
    taps[i]!.send(bytes);
    await barrier(taps, `sentinel:${n++}`, i);
    if (waitMs !== undefined) await sleep(waitMs);
  }
  const outs = taps.map((t) => t.take());
  for (const t of taps) t.socket.destroy();
  return outs;
}

describe('pub/sub and keyspace notifications, byte for byte against Redis', function () {
  this.timeout(30_000);
  const pair = withPair();
  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) await script(port, 1, [[0, 'FLUSHALL\r\nCONFIG SET notify-keyspace-events ""\r\n']]);
  });

  async function same(conns: number, steps: Step[]): Promise<string[]> {
    // HELLO's connection id is the only reply that differs by design.
    const norm = (o: string): string => o.replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n');
    const want = (await script(pair.redis.port, conns, steps)).map(norm);
    const got = (await script(pair.cachette.port, conns, steps)).map(norm);
    for (let i = 0; i < conns; i++) expect(got[i], `connection ${i}`).to.equal(want[i]);
    return got;
  }

  for (const proto of [2, 3] as const) {
    const hello = proto === 3 ? 'HELLO 3\r\n' : '';
    it(`RESP${proto}: confirmations and counts, messages and pmessages, PUBLISH receivers, PUBSUB`, async () => {
      const out = await same(3, [
        [0, hello], [1, hello],
        [0, 'UNSUBSCRIBE\r\nPUNSUBSCRIBE\r\n'],
        [0, 'SUBSCRIBE news\r\n'],
        [0, 'SUBSCRIBE news sport\r\n'],
        [0, 'PSUBSCRIBE n* zz*\r\n'],
        [1, 'PSUBSCRIBE s?ort [a-m]*\r\n'],
        [2, 'PUBLISH news hello\r\nPUBLISH sport ""\r\nPUBLISH kitchen "\\x00\\xff"\r\nPUBLISH none x\r\n'],
        [2, 'PUBSUB NUMSUB news sport nothing\r\nPUBSUB NUMSUB\r\nPUBSUB NUMPAT\r\nPUBSUB CHANNELS spo*\r\nPUBSUB CHANNELS zzz\r\nPUBSUB SHARDCHANNELS\r\nPUBSUB SHARDNUMSUB a\r\nPUBSUB HELP\r\nPUBSUB NOPE\r\nPUBSUB\r\nPUBSUB NUMPAT x\r\n'],
        [0, 'UNSUBSCRIBE sport nothing\r\nPUNSUBSCRIBE n* nothing\r\n'],
        [2, 'PUBLISH news again\r\n'],
        [0, 'PUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nUNSUBSCRIBE\r\n'],
        [1, 'PUNSUBSCRIBE [a-m]* s?ort\r\n'],
        [2, 'PUBLISH news gone\r\nSUBSCRIBE\r\nPSUBSCRIBE\r\nPUBLISH a\r\n'],
      ]);
      expect(out[0]).to.include(proto === 3 ? '>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n' : '*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
    });

    it(`RESP${proto}: sharded pub/sub: SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH, its own counts and namespace`, async () => {
      await same(3, [
        [0, hello], [1, hello],
        [0, 'SUNSUBSCRIBE\r\nSSUBSCRIBE x\r\nSSUBSCRIBE x\r\nSUBSCRIBE c\r\nPSUBSCRIBE x*\r\nSSUBSCRIBE y\r\nGET k\r\nPING\r\n'],
        [1, 'SSUBSCRIBE x\r\n'],
        [2, 'SPUBLISH x hi\r\nPUBLISH x hi2\r\nSPUBLISH nobody m\r\nPUBSUB SHARDCHANNELS y*\r\nPUBSUB SHARDNUMSUB x y z\r\nPUBSUB NUMSUB x\r\nSPUBLISH\r\nSSUBSCRIBE\r\n'],
        [2, 'COMMAND GETKEYS SSUBSCRIBE a b\r\nCOMMAND GETKEYS SPUBLISH a b\r\nCOMMAND INFO ssubscribe sunsubscribe spublish\r\n'],
        [0, 'SUNSUBSCRIBE y z\r\nUNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nGET k\r\nSUNSUBSCRIBE\r\nGET k\r\n'],
        [1, 'RESET\r\n'],
        [2, 'PUBSUB SHARDNUMSUB x\r\nPUBSUB SHARDCHANNELS\r\n'],
      ]);
    });

    it(`RESP${proto}: what a subscribed client may run; PING; RESET leaves the mode; CLIENT LIST`, async () => {
      const out = await same(2, [
        [0, hello],
        [0, 'SUBSCRIBE a\r\n'],
        [0, 'GET x\r\nSET x 1\r\nPING\r\nPING hi\r\nCONFIG GET hz\r\nECHO x\r\n'],
        [1, 'CLIENT KILL TYPE pubsub SKIPME yes\r\n'],
      ]);
      if (proto === 2) {
        expect(out[0]).to.include("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
        expect(out[0]).to.include("-ERR Can't execute 'config|get': only");
        expect(out[0]).to.include('*2\r\n$4\r\npong\r\n$0\r\n\r\n*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
      } else {
        expect(out[0]).to.include('_\r\n+OK\r\n+PONG\r\n$2\r\nhi\r\n');
      }
      expect(out[1]).to.match(/:1\r\n$/); // CLIENT KILL TYPE pubsub found the subscriber
      await same(1, [[0, hello], [0, 'SUBSCRIBE a\r\nPSUBSCRIBE b*\r\n'], [0, 'RESET\r\n'], [0, 'GET x\r\nPUBSUB NUMSUB a\r\nPUBSUB NUMPAT\r\n']]);
    });

    it(`RESP${proto}: a client subscribed to its own keyspace events`, async () => {
      await same(1, [
        [0, hello],
        [0, 'CONFIG SET notify-keyspace-events KEA\r\n'],
        [0, 'PSUBSCRIBE __key*@0__:*\r\n'],
        [0, proto === 3 ? 'SET k v EX 100\r\nGET k\r\nDEL k\r\n' : 'PING\r\n'],
      ]);
    });
  }

  it('INFO pubsub_channels / pubsub_patterns and CLIENT LIST sub, psub and flags', async () => {
    const lines = async (port: number): Promise<string> => {
      const out = await script(port, 3, [[0, 'SUBSCRIBE a b\r\nPSUBSCRIBE x* y*\r\n'], [1, 'PSUBSCRIBE x*\r\n'], [2, 'INFO stats\r\nCLIENT LIST TYPE pubsub\r\n']]);
      return [...out[2]!.matchAll(/(pubsub_\w+:\d+)|(flags=\w+ db=\d+ sub=\d+ psub=\d+)/g)].map((m) => m[0]).join(' ');
    };
    const want = await lines(pair.redis.port);
    expect(want).to.equal('pubsub_channels:2 pubsub_patterns:2 flags=P db=0 sub=2 psub=2 flags=P db=0 sub=0 psub=1');
    expect(await lines(pair.cachette.port)).to.equal(want);
  });

  it('notify-keyspace-events: parsing, normalised CONFIG GET, errors', async () => {
    const steps: Step[] = [];
    for (const v of ['KEA', 'AKE', 'A', 'Kg$', 'E$g', 'Ex', 'KEAnm', 'AKEnm', 'gKExe', 'g$lshzxetd', 'K', 'nm', 'mn', 'E$gd', 'KEA$', '', 'KEq', 'kea', ' ', 'K E']) {
      steps.push([0, `CONFIG SET notify-keyspace-events "${v}"\r\nCONFIG GET notify-keyspace-events\r\n`]);
    }
    const [out] = await same(1, steps);
    expect(out).to.include("-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n");
  });

  for (const proto of [2, 3] as const) {
    it(`RESP${proto}: the events of every command, in Redis's order, on __keyspace and __keyevent`, async () => {
      const hello = proto === 3 ? 'HELLO 3\r\n' : '';
      const cmds = [
        'SET a 1', 'SET a 2 EX 100', 'SET a 3 KEEPTTL', 'SET b 1 NX', 'SET b 2 NX', 'SET b 3 XX PX 5000', 'SET c x GET', 'SET c y GET',
        'SETNX d 1', 'SETEX e 100 v', 'PSETEX f 100000 v', 'GETSET g 1', 'GETSET g 2', 'MSET h 1 i 2', 'MSETNX j 1 k 2', 'MSETNX j 1 l 2',
        'INCR n', 'DECR n', 'INCRBY n 5', 'DECRBY n 2', 'INCRBYFLOAT fl 1.5', 'INCRBYFLOAT fl 1', 'APPEND ap x', 'APPEND ap y',
        'SETRANGE sr 3 abc', 'SETRANGE sr 0 ""', 'SETRANGE none 0 ""', 'GETEX a EX 50', 'GETEX a PERSIST', 'GETEX a PERSIST', 'GETEX b EXAT 1',
        'GETDEL c', 'GETDEL c', 'DEL d e nothing', 'UNLINK f', 'EXPIRE g 100', 'PEXPIRE g -1', 'EXPIREAT h 4102444800', 'PEXPIREAT h 4102444800000 XX',
        'EXPIRE h 100 NX', 'PERSIST h', 'PERSIST h', 'RENAME i i2', 'SET j2 old', 'RENAME j j2', 'RENAMENX k j2', 'RENAMENX k k2', 'RENAME k2 k2',
        'GET nothing', 'MGET nothing a also', 'STRLEN nothing', 'GETRANGE nothing 0 1', 'EXISTS nothing', 'TYPE nothing', 'TTL nothing',
        'TOUCH nothing', 'OBJECT ENCODING nothing', 'GETEX nothing', 'SET x 1 PX 1', 'PING', 'GET x', 'SET y 1 PX 1', 'FLUSHDB', 'SELECT 3', 'SET z 1',
        'INCR a', 'INCRBY n abc', 'SET q 1 EX 0',
      ];
      await same(2, [
        [0, hello],
        // Active expiry off on both, so every expiry here is a lazy one at a known point.
        [1, 'CONFIG SET notify-keyspace-events AKEnm\r\nDEBUG SET-ACTIVE-EXPIRE 0\r\n'],
        [0, 'PSUBSCRIBE __key*__:*\r\n'],
        // A PX 1 key must have run out before the next command: wait 5 ms (a lower bound is all that matters).
        ...cmds.map((c): Step => (c.endsWith(' PX 1') ? [1, c + '\r\n', 5] : [1, c + '\r\n'])),
        [1, 'SELECT 0\r\nDEBUG SET-ACTIVE-EXPIRE 1\r\n'],
      ]);
    });
  }

  it('expired events from active expiry, for keys nobody touches (as multisets: sampling order differs)', async () => {
    const run = async (port: number): Promise<string[]> => {
      const sub = await Raw.connect(port);
      const w = await Raw.connect(port);
      await w.expect('CONFIG SET notify-keyspace-events Ex\r\n', '+OK\r\n');
      await sub.expect('SUBSCRIBE __keyevent@0__:expired\r\n', '*3\r\n$9\r\nsubscribe\r\n$22\r\n__keyevent@0__:expired\r\n:1\r\n');
      let cmds = '';
      for (let i = 0; i < 300; i++) cmds += `SET key:${i} v PX ${50 + (i % 100)}\r\n`;
      w.send(cmds);
      await w.replies(300);
      // Active expiry must reclaim all 300 on its own: polled, with a generous deadline.
      const deadline = Date.now() + 10_000;
      for (let n = ''; n !== ':0\r\n';) {
        if (Date.now() > deadline) throw new Error(`active expiry left keys: DBSIZE ${n}`);
        await sleep(50);
        w.send('DBSIZE\r\n');
        n = await w.reply();
      }
      // Every event was queued to the subscriber before DBSIZE read 0; its PING sentinel comes after them.
      sub.send('PING\r\n');
      const got: string[] = [];
      for (let r = await sub.reply(); r !== '*2\r\n$4\r\npong\r\n$0\r\n\r\n'; r = await sub.reply()) got.push(r);
      sub.close();
      w.close();
      return got;
    };
    const [want, got] = [await run(pair.redis.port), await run(pair.cachette.port)];
    expect(want.length).to.equal(300);
    expect(got.length).to.equal(300);
    expect(new Set(got).size).to.equal(300);
    expect([...got].sort()).to.deep.equal([...want].sort());
    expect(got[0]).to.match(/^\*3\r\n\$7\r\nmessage\r\n\$22\r\n__keyevent@0__:expired\r\n\$\d+\r\nkey:\d+\r\n$/);
  });
});

/**
 * Delivers a marker on `channel` and waits until the subscriber's handler has
 * seen it (`seen()`): messages on one connection arrive in order, so every
 * message published before the marker has been handled by then.
 */
async function delivered(publish: (channel: string, msg: string) => Promise<unknown>, seen: () => boolean, channel = 'barrier'): Promise<void> {
  await publish(channel, 'mark');
  const deadline = Date.now() + 5000;
  while (!seen()) {
    if (Date.now() > deadline) throw new Error(`the marker on ${channel} never arrived`);
    await sleep(1);
  }
}

describe('pub/sub through client libraries', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  beforeEach(async () => { srv = await startServer(); });
  afterEach(async () => { await srv.close(); });

  it('ioredis: subscribe / psubscribe, on("message") / on("pmessage"), in RESP2 and RESP3', async () => {
    for (const protocol of [2, 3]) {
      const sub = new Redis(srv.url, { protocol } as Record<string, unknown>);
      const pub = new Redis(srv.url);
      try {
        const got: string[] = [];
        sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
        sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`pmessage ${pat} ${ch} ${msg}`));
        expect(await sub.subscribe('news', 'sport', 'barrier')).to.equal(3);
        expect(await sub.psubscribe('n*')).to.equal(4);
        expect(await pub.publish('news', 'hello')).to.equal(2);
        expect(await pub.publish('sport', 'goal')).to.equal(1);
        await delivered((c, m) => pub.publish(c, m), () => got.includes('message barrier mark'));
        expect(got.sort()).to.deep.equal(['message barrier mark', 'message news hello', 'message sport goal', 'pmessage n* news hello']);
        // (ioredis's argument-less unsubscribe() never resolves while patterns
        // remain, against real Redis too, so channels are named.)
        await sub.unsubscribe('news', 'sport', 'barrier');
        await sub.punsubscribe('n*');
        expect(await sub.get('x')).to.equal(null); // back to normal mode
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    }
  });

  it('ioredis: keyspace notifications of expiry and eviction', async () => {
    // Its own server on the manual clock: active expiry runs in the ticks
    // advance() replays, and the memory account that decides eviction does
    // not depend on when a real timer recounted client buffers.
    await using own = await startServer({ clock: 'manual' });
    const sub = new Redis(own.url);
    const redis = new Redis(own.url);
    try {
      await redis.config('SET', 'notify-keyspace-events', 'Exe');
      const events: string[] = [];
      sub.on('message', (ch: string, key: string) => events.push(`${ch} ${key}`));
      await sub.subscribe('__keyevent@0__:expired', '__keyevent@0__:evicted', 'barrier');
      await redis.set('session', '1', 'PX', 20);
      own.clock.advance(200); // two cron ticks: nobody touches the key, active expiry reclaims it
      expect(await redis.dbsize()).to.equal(0);
      await delivered((c, m) => redis.publish(c, m), () => events.includes('barrier mark'));
      expect(events).to.deep.equal(['__keyevent@0__:expired session', 'barrier mark']);
      events.length = 0;
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      for (let i = 0; i < 50; i++) await redis.set(`k${i}`, 'x'.repeat(1000));
      // 20,000 bytes under the current account: about 19 of the 1 KB keys must go (not all
      // of them, or the SET below would get OOM: client buffers count in the account too).
      const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
      await redis.config('SET', 'maxmemory', String(used - 20_000));
      await redis.set('trigger', '1');
      await delivered((c, m) => redis.publish(c, m), () => events.includes('barrier mark'));
      expect(events.filter((e) => e.startsWith('__keyevent@0__:evicted')).length).to.be.above(10);
      expect(events.filter((e) => !e.startsWith('__keyevent@0__:evicted'))).to.deep.equal(['barrier mark']);
    } finally {
      sub.disconnect();
      redis.disconnect();
    }
  });

  it('node-redis: subscribe and pSubscribe listeners', async () => {
    const pub = createClient({ url: srv.url });
    const sub = pub.duplicate();
    await pub.connect();
    await sub.connect();
    const got: string[] = [];
    await sub.subscribe('news', (msg, ch) => { got.push(`${ch}:${msg}`); });
    await sub.pSubscribe('s*', (msg, ch) => { got.push(`p ${ch}:${msg}`); });
    await sub.subscribe('barrier', (msg, ch) => { got.push(`${ch}:${msg}`); });
    expect(await pub.publish('news', 'hi')).to.equal(1);
    expect(await pub.publish('sport', 'go')).to.equal(1);
    await delivered((c, m) => pub.publish(c, m), () => got.includes('barrier:mark'));
    expect(got.sort()).to.deep.equal(['barrier:mark', 'news:hi', 'p sport:go']);
    await sub.unsubscribe('news');
    await sub.pUnsubscribe('s*');
    expect(await pub.publish('news', 'again')).to.equal(0);
    await sub.quit();
    await pub.quit();
  });
});

describe('pub/sub: slow subscribers', function () {
  this.timeout(30_000);

  it('a subscriber that never reads is dropped at the pubsub hard limit; the publisher is never blocked', async () => {
    const logs: string[] = [];
    await using srv = await startServer({ 'client-output-buffer-limit': 'pubsub 4mb 1mb 60', logger: (l: string) => logs.push(l) });
    const slow = await Tap.open(srv.port);
    const confirmed = '*3\r\n$9\r\nsubscribe\r\n$8\r\nfirehose\r\n:1\r\n';
    const subscribed = async (t: Tap): Promise<void> => {
      t.send('SUBSCRIBE firehose\r\n');
      for (const deadline = Date.now() + 5000; t.out !== confirmed;) {
        if (Date.now() > deadline) throw new Error(`no SUBSCRIBE confirmation: ${JSON.stringify(t.out)}`);
        await sleep(1);
      }
      t.take();
    };
    await subscribed(slow);
    slow.socket.pause(); // never reads again: the kernel buffers fill, then the server's
    const fast = await Tap.open(srv.port);
    await subscribed(fast);
    const pub = new Redis(srv.url);
    const payload = 'x'.repeat(64 * 1024);
    const before = process.memoryUsage().rss;
    let maxLatency = 0;
    let receivers: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t0 = Date.now();
      receivers.push(await pub.publish('firehose', payload));
      maxLatency = Math.max(maxLatency, Date.now() - t0);
      if (i % 50 === 0) await sleep(5);
    }
    // Every message was queued to `fast` before PUBLISH returned; a PING
    // sentinel on `fast` is answered after all of them.
    fast.send('PING\r\n');
    const pong = '*2\r\n$4\r\npong\r\n$0\r\n\r\n';
    for (const deadline = Date.now() + 10_000; !fast.out.endsWith(pong);) {
      if (Date.now() > deadline) throw new Error('no reply to the PING sentinel');
      await sleep(1);
    }
    fast.out = fast.out.slice(0, -pong.length);
    // 400 x 64 KiB = 25 MiB published; the slow subscriber was cut at 4 MB.
    expect(receivers[0]).to.equal(2);
    expect(receivers.at(-1)).to.equal(1);
    expect(logs.some((l) => l.includes('scheduled to be closed ASAP for overcoming of output buffer limits'))).to.equal(true);
    expect(maxLatency).to.be.below(1000);
    expect(process.memoryUsage().rss - before).to.be.below(200 * 1024 * 1024);
    // The reader that kept up got everything.
    expect(fast.out.split('$7\r\nmessage\r\n').length - 1).to.equal(400);
    receivers = [];
    pub.disconnect();
    fast.socket.destroy();
    slow.socket.destroy();
  });
});
