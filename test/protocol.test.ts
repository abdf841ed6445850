/**
 * Protocol and keyspace behaviour over raw sockets: framing errors and limits,
 * pipelining and split frames, auth limits, fault isolation, lazy expiry,
 * stats, SCAN guarantees, glob rules and server isolation.
 */

import { expect } from 'chai';
import { startServer, type ServerHandle } from '../src/index.js';
import { defineCommand } from '../src/commands/table.js';
import { Raw, resp } from './helpers.js';
import { withPair } from './diff/servers.js';

const OK = '+OK\r\n';

describe('protocol', function () {
  let srv: ServerHandle;
  const logs: string[] = [];
  before(async () => { srv = await startServer({ logger: (line: string) => logs.push(line) }); });
  after(async () => { await srv.close(); });

  async function conn(): Promise<Raw> { return Raw.connect(srv.port); }

  describe('protocol errors reply, close that connection only', () => {
    const cases: Array<[string, string]> = [
      ['*1\r\n$-1\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
      ['*abc\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
      ['*2147483648\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
      ['*-0\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
      ['*1\r\n+PING\r\n', "-ERR Protocol error: expected '$', got '+'\r\n"],
      ['*1\r\n$abc\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
      ['SET a "b\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
      ['ECHO "b"c\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
      ["ECHO 'a\r\n", '-ERR Protocol error: unbalanced quotes in request\r\n'],
    ];
    for (const [req, reply] of cases) {
      it(JSON.stringify(req), async () => {
        const bystander = await conn();
        const bad = await conn();
        await bystander.expect('SET keep me\r\n', OK);
        await bad.expect(req, reply);
        expect(await bad.waitClosed()).to.equal(true);
        await bystander.expect('GET keep\r\n', '$2\r\nme\r\n');
        bystander.close();
      });
    }

    it('replies to the requests before the error, then stops', async () => {
      const r = await conn();
      await r.expect('PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n+x\r\nPING\r\n', "+PONG\r\n+PONG\r\n-ERR Protocol error: expected '$', got '+'\r\n");
      expect(await r.waitClosed()).to.equal(true);
      expect(r.rest()).to.equal(''); // closed: everything it sent has been read
    });

    it('QUIT replies +OK and closes', async () => {
      const r = await conn();
      await r.expect('QUIT\r\nPING\r\n', OK);
      expect(await r.waitClosed()).to.equal(true);
      expect(r.rest()).to.equal('');
    });
  });

  describe('64 KiB header and inline limits', () => {
    it('inline request without newline over 64 KiB', async () => {
      const r = await conn();
      await r.expect('ECHO ' + 'a'.repeat(70000), '-ERR Protocol error: too big inline request\r\n');
      expect(await r.waitClosed()).to.equal(true);
    });
    it('multibulk count line over 64 KiB', async () => {
      const r = await conn();
      await r.expect('*' + '1'.repeat(70000), '-ERR Protocol error: too big mbulk count string\r\n');
      expect(await r.waitClosed()).to.equal(true);
    });
    it('bulk length line over 64 KiB', async () => {
      const r = await conn();
      await r.expect('*1\r\n$' + '1'.repeat(70000), '-ERR Protocol error: too big bulk count string\r\n');
      expect(await r.waitClosed()).to.equal(true);
    });
    it('a 60 KiB inline line is fine', async () => {
      const r = await conn();
      const v = 'x'.repeat(60000);
      await r.expect(`ECHO ${v}\r\n`, `$60000\r\n${v}\r\n`);
      r.close();
    });
  });

  describe('configurable limits', () => {
    afterEach(async () => {
      const r = await conn();
      await r.expect('CONFIG SET proto-max-bulk-len 512mb client-query-buffer-limit 1gb\r\n', OK);
      r.close();
    });

    it('proto-max-bulk-len rejects a larger bulk', async () => {
      const r = await conn();
      await r.expect('CONFIG SET proto-max-bulk-len 1mb\r\n', OK);
      await r.expect('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n', '-ERR Protocol error: invalid bulk length\r\n');
      expect(await r.waitClosed()).to.equal(true);
    });

    it('a request runs before the next frame is read: a pipelined CONFIG SET proto-max-bulk-len applies to the bulk after it, as in Redis', async () => {
      const r = await conn();
      // Same write: Redis runs CONFIG SET, then checks the next $ header against the new limit.
      await r.expect(resp('CONFIG', 'SET', 'proto-max-bulk-len', '1048576').toString('latin1') + '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n',
        OK + '-ERR Protocol error: invalid bulk length\r\n');
      expect(await r.waitClosed()).to.equal(true);
    });

    it('client-query-buffer-limit closes without a reply', async () => {
      const admin = await conn();
      await admin.expect('CONFIG SET client-query-buffer-limit 1mb\r\n', OK);
      const r = await conn();
      r.send('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n');
      r.send(Buffer.alloc(2 * 1024 * 1024, 97));
      expect(await r.waitClosed()).to.equal(true);
      expect(r.rest()).to.equal('');
      await admin.expect('EXISTS k\r\n', ':0\r\n');
      admin.close();
    });

    it('maxclients refuses extra connections with Redis\'s error', async () => {
      const admin = await conn();
      await admin.expect('CONFIG SET maxclients 1\r\n', OK);
      const extra = await conn();
      expect(await extra.read(36)).to.equal('-ERR max number of clients reached\r\n');
      expect(await extra.waitClosed()).to.equal(true);
      await admin.expect('CONFIG SET maxclients 10000\r\n', OK);
      admin.close();
    });
  });

  describe('pipelining and framing', () => {
    it('runs every request of one write, in order', async () => {
      const r = await conn();
      let req = '';
      let want = '';
      for (let i = 0; i < 500; i++) {
        req += `SET p${i} ${i}\r\n`;
        want += OK;
      }
      for (let i = 0; i < 500; i++) {
        req += resp('GET', `p${i}`).toString('latin1');
        want += `$${String(i).length}\r\n${i}\r\n`;
      }
      await r.expect(req, want);
      r.close();
    });

    it('gives the same replies when a pipeline arrives one byte at a time', async () => {
      const pipeline = 'SET s 1\r\n' + resp('INCR', 's').toString('latin1') + '*0\r\n'
        + resp('APPEND', 's', 'x\r\ny').toString('latin1') + 'GET s\r\n' + resp('ECHO', '').toString('latin1');
      const want = OK + ':2\r\n' + ':5\r\n' + '$5\r\n2x\r\ny\r\n' + '$0\r\n\r\n';
      const r = await conn();
      for (const ch of pipeline) {
        r.send(ch);
        await new Promise((res) => setImmediate(res));
      }
      expect(await r.read(want.length)).to.equal(want);
      r.close();
    });

    it('reassembles a 5 MB value sent in pieces', async () => {
      const r = await conn();
      const v = Buffer.alloc(5 * 1024 * 1024);
      for (let i = 0; i < v.length; i++) v[i] = (i * 7) & 255;
      const req = resp('SET', 'big', v);
      for (let off = 0; off < req.length; off += 65536) r.send(req.subarray(off, off + 65536));
      expect(await r.read(5)).to.equal(OK);
      r.send(resp('GET', 'big'));
      const header = `$${v.length}\r\n`;
      const got = await r.read(header.length + v.length + 2, 10000);
      expect(got.slice(0, header.length)).to.equal(header);
      expect(Buffer.from(got.slice(header.length, header.length + v.length), 'latin1').equals(v)).to.equal(true);
      r.close();
    });

    it('bytes held behind a blocked client survive other clients\' reads (the read buffer is shared)', async () => {
      const blocked = await conn();
      const other = await conn();
      // BLPOP blocks; the two requests behind it wait in its query buffer, one of them cut mid-frame.
      blocked.send(resp('BLPOP', 'held:list', '0').toString('latin1') + resp('SET', 'held:a', 'x'.repeat(300)).toString('latin1') + '*2\r\n$3\r\nGET\r\n$6\r\nhel');
      await new Promise((res) => setTimeout(res, 50));
      // Other reads go through the same buffer meanwhile.
      let req = '';
      let want = '';
      for (let i = 0; i < 200; i++) { req += resp('SET', `held:o${i}`, 'y'.repeat(100)).toString('latin1'); want += OK; }
      await other.expect(req, want);
      blocked.send('d:a\r\n');
      await other.expect(resp('RPUSH', 'held:list', 'v'), ':1\r\n');
      const reply = '*2\r\n$9\r\nheld:list\r\n$1\r\nv\r\n' + OK + `$300\r\n${'x'.repeat(300)}\r\n`;
      expect(await blocked.read(reply.length)).to.equal(reply);
      blocked.close();
      other.close();
    });

    it('is binary safe for keys and values', async () => {
      const r = await conn();
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await r.expect(resp('SET', all, all), OK);
      await r.expect(resp('GET', all), `$256\r\n${all.toString('latin1')}\r\n`);
      await r.expect(resp('STRLEN', all), ':256\r\n');
      r.close();
    });
  });

  describe('an exception inside a handler', () => {
    it('becomes -ERR for that client; the server keeps serving', async () => {
      srv.server.commands.add([defineCommand({
        name: 'test.boom', arity: 1, group: 'server', summary: 'test fault', since: '0.0.0',
        handler: () => { throw new Error('injected fault'); },
      })]);
      const r = await conn();
      await r.expect('TEST.BOOM\r\n', '-ERR injected fault\r\n');
      await r.expect('PING\r\n', '+PONG\r\n');
      // The stack goes to the server's log (this test's own logger), not to the client.
      const line = logs.find((l) => l.includes("Error in command 'test.boom'"));
      expect(line, logs.join('\n')).to.match(/^\d+:M .* # Error in command 'test\.boom' from client id=\d+: Error: injected fault\n {4}at /);
      r.close();
    });
  });
});

describe('introspection', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('CLIENT INFO names the command being run', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('PING\r\n', '+PONG\r\n');
    r.send('CLIENT INFO\r\n');
    const line = await r.reply();
    expect(line).to.match(/^\$\d+\r\nid=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= age=\d+ idle=\d+ flags=N db=0 /);
    expect(line).to.include(' cmd=client|info ');
    expect(line).to.match(/ resp=2 lib-name= lib-ver=\n\r\n$/);
    r.close();
  });

  it('commandstats counts calls, rejections and failures; RESETSTAT is not a failure', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('SET s abc\r\nINCR s\r\nGET\r\nCONFIG RESETSTAT\r\n',
      "+OK\r\n-ERR value is not an integer or out of range\r\n-ERR wrong number of arguments for 'get' command\r\n+OK\r\n");
    await r.expect('INCR s\r\nGET\r\nGET s\r\n', "-ERR value is not an integer or out of range\r\n-ERR wrong number of arguments for 'get' command\r\n$3\r\nabc\r\n");
    r.send('INFO commandstats\r\n');
    const info = await r.reply();
    expect(info).to.match(/cmdstat_incr:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1\r\n/);
    expect(info).to.match(/cmdstat_get:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=0\r\n/);
    expect(info).to.match(/cmdstat_config\|resetstat:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=0\r\n/);
    r.send('INFO errorstats\r\n');
    expect(await r.reply()).to.equal('$37\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n\r\n');
    await r.nothingMore();
    r.close();
  });
});

describe('introspection against a real redis-server', function () {
  const pair = withPair();

  /** What CLIENT LIST, run from a second connection, says of a client after each request: its flags and cmd. */
  async function seen(port: number): Promise<string[]> {
    const a = await Raw.connect(port);
    const b = await Raw.connect(port);
    a.send('CLIENT ID\r\n');
    const id = /^:(\d+)\r\n$/.exec(await a.reply())![1]!;
    const out: string[] = [];
    for (const req of ['GET', 'NOSUCH x', 'CONFIG FOO', 'CONFIG', 'SET k v', 'CLIENT NO-EVICT on', 'RESET', 'CLIENT NO-EVICT off']) {
      a.send(`${req}\r\n`);
      out.push(`${req} -> ${(await a.reply()).trimEnd()}`);
      b.send(`CLIENT LIST ID ${id}\r\n`);
      const line = await b.reply();
      out.push(`  ${/ flags=\S+/.exec(line)![0]}${/ cmd=\S+/.exec(line)![0]}`);
    }
    a.close();
    b.close();
    return out;
  }

  it("CLIENT LIST's cmd= is set before any check (NULL for unknown commands and subcommands); flag e follows CLIENT NO-EVICT and survives RESET", async () => {
    const want = await seen(pair.redis.port);
    expect(want.filter((l) => l.startsWith('  '))).to.deep.equal([
      '   flags=N cmd=get', '   flags=N cmd=NULL', '   flags=N cmd=NULL', '   flags=N cmd=config', '   flags=N cmd=set',
      '   flags=e cmd=client|no-evict', '   flags=e cmd=reset', '   flags=N cmd=client|no-evict',
    ]);
    expect(await seen(pair.cachette.port)).to.deep.equal(want);
  });
});

describe('requirepass', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ requirepass: 's3cret' }); });
  after(async () => { await srv.close(); });

  it('answers NOAUTH before AUTH, but unknown commands first', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('GET a\r\n', '-NOAUTH Authentication required.\r\n');
    await r.expect('FOO\r\n', "-ERR unknown command 'FOO', with args beginning with: \r\n");
    await r.expect('AUTH nope\r\n', '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    await r.expect('HELLO 3\r\n', '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n');
    await r.expect('AUTH s3cret\r\n', OK);
    await r.expect('GET a\r\n', '$-1\r\n');
    await r.expect('RESET\r\n', '+RESET\r\n');
    await r.expect('GET a\r\n', '-NOAUTH Authentication required.\r\n');
    await r.expect('AUTH default s3cret\r\n', OK);
    r.close();
  });

  it('enforces the unauthenticated multibulk and bulk limits', async () => {
    const r1 = await Raw.connect(srv.port);
    await r1.expect('*11\r\n', '-ERR Protocol error: unauthenticated multibulk length\r\n');
    expect(await r1.waitClosed()).to.equal(true);
    const r2 = await Raw.connect(srv.port);
    await r2.expect('*2\r\n$4\r\nECHO\r\n$16385\r\n', '-ERR Protocol error: unauthenticated bulk length\r\n');
    expect(await r2.waitClosed()).to.equal(true);
  });

  it('lifts the limits for requests pipelined after AUTH', async () => {
    const r = await Raw.connect(srv.port);
    const big = 'v'.repeat(20000);
    await r.expect(Buffer.concat([resp('AUTH', 's3cret'), resp('ECHO', big)]), `${OK}$20000\r\n${big}\r\n`);
    r.close();
  });

  it('HELLO AUTH authenticates and switches protocol', async () => {
    const r = await Raw.connect(srv.port);
    r.send('HELLO 3 AUTH default s3cret SETNAME app\r\n');
    expect(await r.reply()).to.match(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n.*\$5\r\nproto\r\n:3\r\n/s);
    await r.expect('CLIENT GETNAME\r\n', '$3\r\napp\r\n');
    await r.expect('GET nokey\r\n', '_\r\n');
    r.close();
  });
});

describe('keyspace behaviour', function () {
  let srv: ServerHandle;
  // The manual clock: a TTL runs out when a test moves time, never because
  // the test happened to run late; active expiry runs only in the ticks
  // advance() passes over, and DEBUG SET-ACTIVE-EXPIRE 0 stops even those.
  before(async () => { srv = await startServer({ clock: 'manual', 'enable-debug-command': 'yes' }); });
  after(async () => { await srv.close(); });

  it('expires lazily: stale keys count in DBSIZE until touched, then in expired_keys', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\nCONFIG RESETSTAT\r\nDEBUG SET-ACTIVE-EXPIRE 0\r\n', OK + OK + OK);
    try {
      await r.expect('SET k v PX 30\r\n', OK);
      srv.clock.advance(1000); // passes over 10 cron ticks: active expiry is off, so none reclaims k
      await r.expect('DBSIZE\r\n', ':1\r\n');
      await r.expect('KEYS *\r\n', '*0\r\n');
      await r.expect('GET k\r\n', '$-1\r\n');
      await r.expect('DBSIZE\r\n', ':0\r\n');
      expect(srv.server.stats.expiredKeys).to.equal(1);
    } finally {
      await r.expect('DEBUG SET-ACTIVE-EXPIRE 1\r\n', OK);
      r.close();
    }
  });

  it('counts keyspace hits and misses like Redis', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\nCONFIG RESETSTAT\r\n', OK + OK);
    await r.expect('SET e v PX 20\r\n', OK);
    srv.clock.advance(40);
    await r.expect('GET a\r\nSET a 1\r\nGET a\r\nEXISTS a b\r\nINCR a\r\nTTL a\r\nTYPE nokey\r\n',
      '$-1\r\n+OK\r\n$1\r\n1\r\n:1\r\n:2\r\n:-1\r\n+none\r\n');
    await r.expect('MGET a b c\r\nEXISTS e\r\n', '*3\r\n$1\r\n2\r\n$-1\r\n$-1\r\n:0\r\n');
    r.send('INFO stats\r\n');
    const info = await r.reply();
    expect(info).to.include('keyspace_hits:4\r\n');
    expect(info).to.include('keyspace_misses:6\r\n');
    expect(info).to.include('expired_keys:1\r\n');
    r.close();
  });

  it('SCAN returns every key present for the whole iteration, despite writes', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\n', OK);
    const stable = new Set<string>();
    let req = '';
    for (let i = 0; i < 300; i++) { req += `SET s${i} 1\r\nSET d${i} 1\r\n`; stable.add(`s${i}`); }
    r.send(req);
    await r.read(600 * 5);
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      r.send(resp('SCAN', cursor, 'COUNT', '25'));
      const reply = await r.reply();
      const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n\*(\d+)\r\n([\s\S]*)$/.exec(reply);
      expect(m, reply).to.not.equal(null);
      cursor = m![1]!;
      for (const k of m![3]!.split('\r\n').filter((x) => x !== '' && !x.startsWith('$'))) seen.add(k);
      // Churn between pages: delete some d* keys, add new ones.
      r.send(`DEL d${round * 7} d${round * 7 + 1} d${round * 7 + 2}\r\nSET n${round} 1\r\n`);
      await r.replies(2);
      round++;
    } while (cursor !== '0' && round < 1000);
    expect(cursor).to.equal('0');
    for (const k of stable) expect(seen.has(k), `missing ${k}`).to.equal(true);
    r.close();
  });

  it('matches KEYS patterns with Redis glob rules', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\n', OK);
    await r.expect('MSET hello 1 hallo 1 hxllo 1 hllo 1 heeeello 1 h[llo 1\r\n', OK);
    const keys = async (pat: string): Promise<string[]> => {
      r.send(resp('KEYS', pat));
      const reply = await r.reply();
      return reply.split('\r\n').filter((x) => x !== '' && !x.startsWith('$') && !x.startsWith('*')).sort();
    };
    expect(await keys('h?llo')).to.deep.equal(['h[llo', 'hallo', 'hello', 'hxllo']);
    expect(await keys('h*llo')).to.deep.equal(['h[llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']);
    expect(await keys('h[ae]llo')).to.deep.equal(['hallo', 'hello']);
    expect(await keys('h[^e]llo')).to.deep.equal(['h[llo', 'hallo', 'hxllo']);
    expect(await keys('h[a-b]llo')).to.deep.equal(['hallo']);
    expect(await keys('h[b-a]llo')).to.deep.equal(['hallo']);
    expect(await keys('h\\[llo')).to.deep.equal(['h[llo']);
    expect(await keys('nomatch*')).to.deep.equal([]);
    r.close();
  });

  it('keeps servers in one process isolated', async () => {
    const other = await startServer();
    try {
      const a = await Raw.connect(srv.port);
      const b = await Raw.connect(other.port);
      await a.expect('SET iso 1\r\n', OK);
      await b.expect('GET iso\r\n', '$-1\r\n');
      await b.expect('CONFIG SET hz 50\r\n', OK);
      await a.expect('CONFIG GET hz\r\n', '*2\r\n$2\r\nhz\r\n$2\r\n10\r\n');
      a.close();
      b.close();
    } finally {
      await other.close();
    }
  });

  it('keeps databases apart and SELECT switches between them', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\nSET k db0\r\nSELECT 3\r\nGET k\r\nSET k db3\r\nDBSIZE\r\nSELECT 0\r\nGET k\r\n',
      OK + OK + OK + '$-1\r\n' + OK + ':1\r\n' + OK + '$3\r\ndb0\r\n');
    r.close();
  });
});

describe('reply encoding (src/protocol/reply.ts)', () => {
  it('integers and length headers: every digit count, both signs, the safe-integer edge and beyond, against String()', async () => {
    const { ReplyWriter } = await import('../src/protocol/reply.js');
    const values: Array<number | bigint> = [0, -0, 9, 10, 99, 100, 101, 999, 1000, 65535, 1e15 - 1, 1e15, Number.MAX_SAFE_INTEGER, -1, -99, -100, -123456789,
      Number.MIN_SAFE_INTEGER, 2 ** 53, 2 ** 63, 9223372036854775807n, -9223372036854775808n];
    for (let p = 1; p < 1e16; p *= 10) values.push(p - 1, p, p + 1, -p);
    const w = new ReplyWriter();
    let want = '';
    for (const v of values) {
      w.integer(v);
      want += `:${typeof v === 'number' && Object.is(v, -0) ? '0' : String(v)}\r\n`;
    }
    for (const len of [0, 9, 10, 99, 100, 999, 1000, 12345, 100000]) {
      w.bulk('x'.repeat(len));
      want += `$${len}\r\n${'x'.repeat(len)}\r\n`;
      w.array(len);
      want += `*${len}\r\n`;
    }
    const body = w.take();
    const got = body === null ? '' : (Array.isArray(body) ? Buffer.concat(body) : body).latin1Slice();
    expect(got).to.equal(want);
  });
});
