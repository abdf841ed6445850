/**
 * Functions: FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP, FCALL, FCALL_RO,
 * redis.register_function and its flags.
 *
 *  1. Byte for byte against a real redis-server 7.0.15 (withPair): every FUNCTION error text,
 *     register_function's argument errors, the load-time environment, FCALL's errors and
 *     flags (no-writes, FCALL_RO), FUNCTION LIST/STATS replies, COMMAND INFO, RESTORE policies,
 *     a DUMP made by Redis restored into cachette.
 *  2. cachette alone: DUMP/RESTORE round trip, a busy function and FUNCTION KILL, the load budget.
 *  3. node-redis `functions` definitions.
 */

import { expect } from 'chai';
import { createClient } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import { RespConn } from '../diff/conn.js';
import { withPair } from '../diff/servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runSteps(port: number, steps: readonly string[][]): Promise<string[]> {
  const c = await RespConn.connect(port);
  const out: string[] = [];
  for (const s of steps) out.push(await c.call(s));
  c.close();
  return out;
}

const LIB = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return {keys[1], args[1]} end)";
// One function per library: Redis lists a library's functions (and its libraries) in dict order,
// which follows a random hash seed per process; with one of each, LIST is deterministic.
const FLAGGED = "#!lua name=flagged\nredis.register_function{function_name='fw', callback=function(k) return redis.call('set', k[1], 'v') end}";
const READER = "#!lua name=reader\nredis.register_function{function_name='fr', callback=function(k) return redis.call('get', k[1]) end, flags={'no-writes'}, description='reads'}";
const x = (body: string): string[] => ['FUNCTION', 'LOAD', `#!lua name=x\n${body}`];

const CORPUS: string[][] = [
  ['FUNCTION', 'LOAD', LIB], ['FCALL', 'myfunc', '1', 'k', 'a'], ['FCALL', 'MYFUNC', '1', 'k', 'a'], ['FCALL_RO', 'myfunc', '0'],
  ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'my*'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'x*'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME'], ['FUNCTION', 'LIST', 'BOGUS'], ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'],
  ['FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('myfunc', function() return 1 end)"],
  ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=mylib\nredis.register_function{function_name='myfunc', callback=function(keys, args) return redis.call('set', keys[1], args[1]) end, flags={'no-writes'}, description='d'}"],
  ['FUNCTION', 'LIST'], ['FCALL', 'myfunc', '1', 'k', 'v'], ['FCALL_RO', 'myfunc', '1', 'k', 'v'],
  ['FUNCTION', 'LOAD', "#!lua name=lib2\nredis.register_function('myfunc', function() return 1 end)"],
  ['FUNCTION', 'LOAD', "#!lua name=lib2\nredis.register_function('f2', function() return redis.call('get', 'x') end)\nredis.register_function{function_name='f3', callback=function() error('boom') end}"],
  ['FCALL', 'f2', '0'], ['FCALL', 'f3', '0'], ['FCALL', 'nosuch', '0'], ['FCALL', 'f2', 'x'], ['FCALL', 'f2', '5'], ['FCALL', 'f2', '-1'],
  ['FUNCTION', 'LOAD', 'return 1'], ['FUNCTION', 'LOAD', '#!lua\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'],
  ['FUNCTION', 'LOAD', '#!lua foo=bar\nreturn 1'], ['FUNCTION', 'LOAD', '#!python name=x\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua name=bad-name\nreturn 1'],
  ['FUNCTION', 'LOAD', '#!lua name=x'], x('return 1'), x('return +'), x("error('boom')"), x('redis.register_function()'),
  x("redis.register_function('a b', function() end)"), x("redis.register_function('a', 'b')"), x("redis.register_function{function_name='a'}"),
  x('redis.register_function{callback=function() end}'), x("redis.register_function{function_name='a', callback=function() end, flags={'bogus'}}"),
  x("redis.register_function{function_name='a', callback=function() end, foo=1}"), x("redis.register_function{function_name='a', callback=function() end, flags='x'}"),
  x("redis.register_function('a', function() end) redis.register_function('a', function() end)"), x("redis.register_function('a', function() end, 3)"),
  x("redis.register_function('a')"), x("redis.call('set','x','y')"), x("return string.len('x')"), x("redis.log(redis.LOG_DEBUG, 'x') return 1"),
  x('redis.register_function(1, function() end)'), ['FCALL', '1', '0'],
  ['FUNCTION', 'LOAD', 'BOGUS', '#!lua name=x\nreturn 1'], ['FUNCTION', 'LOAD'], ['FUNCTION', 'DELETE', 'nosuch'], ['FUNCTION', 'DELETE', 'lib2'],
  ['FCALL', 'f2', '0'], ['FUNCTION', 'FLUSH', 'X'], ['FUNCTION', 'FLUSH', 'SYNC', 'X'], ['FUNCTION', 'RESTORE', 'bad'], ['FUNCTION', 'RESTORE', 'bad', 'X'],
  ['FUNCTION', 'RESTORE', 'bad', 'FLUSH', 'X'], ['FUNCTION', 'KILL'], ['FUNCTION', 'STATS'], ['FUNCTION', 'HELP'], ['FUNCTION', 'NOPE'], ['FUNCTION'],
  ['FUNCTION', 'LOAD', FLAGGED], ['FUNCTION', 'LOAD', READER], ['FCALL_RO', 'fw', '1', 'k'], ['FCALL_RO', 'fr', '1', 'k'], ['FCALL', 'fw', '1', 'k'], ['FCALL_RO', 'fr', '1', 'k'],
  ['EVAL', "return redis.call('fcall','fr','1','k')", '0'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'flagged'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'reader'], ['FUNCTION', 'FLUSH'], ['FCALL', 'fr', '1', 'k'],
  ['FUNCTION', 'LIST'], ['FUNCTION', 'STATS'], ['FUNCTION', 'FLUSH', 'ASYNC'],
  ['COMMAND', 'INFO', 'fcall', 'fcall_ro', 'function|load', 'function|list', 'function|delete', 'function|flush'],
  ['COMMAND', 'INFO', 'function|dump', 'function|restore', 'function|stats', 'function|kill', 'function|help'],
];

describe('functions, byte for byte against Redis', function () {
  this.timeout(60_000);
  const pair = withPair();
  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) await runSteps(port, [['FLUSHALL'], ['FUNCTION', 'FLUSH'], ['CONFIG', 'SET', 'maxmemory', '0']]);
  });

  /** HELLO's connection id differs by design. */
  const norm = (s: string): string => s.replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n');

  async function same(steps: string[][]): Promise<string[]> {
    const want = (await runSteps(pair.redis.port, steps)).map(norm);
    const got = (await runSteps(pair.cachette.port, steps)).map(norm);
    for (let i = 0; i < steps.length; i++) expect(got[i], `step ${i}: ${JSON.stringify(steps[i])}`).to.equal(want[i]);
    return got;
  }

  it('LOAD/LIST/DELETE/FLUSH/STATS, register_function\'s errors, FCALL and FCALL_RO, flags, COMMAND INFO', async () => {
    const out = await same(CORPUS);
    expect(out[0]).to.equal('$5\r\nmylib\r\n');
    expect(out[1]).to.equal('*2\r\n$1\r\nk\r\n$1\r\na\r\n');
  });

  it('in RESP3: FUNCTION LIST and STATS maps, FCALL replies', async () => {
    const out = await same([['HELLO', '3'], ['FUNCTION', 'LOAD', READER], ['FUNCTION', 'LIST'], ['FUNCTION', 'STATS'], ['FCALL', 'fr', '1', 'k'], ['FCALL_RO', 'fr', '1', 'k']]);
    expect(out[3]).to.match(/^%2\r\n/);
  });

  it('a DUMP made by Redis (LZF-compressed strings) restores into cachette; RESTORE policies and collisions', async () => {
    const r = await RespConn.connect(pair.redis.port);
    await r.call(['FUNCTION', 'LOAD', READER]);
    const bulk = await r.call(['FUNCTION', 'DUMP']);
    await r.call(['FUNCTION', 'FLUSH']);
    r.close();
    const payload = bulk.slice(bulk.indexOf('\r\n') + 2, -2);
    const out = await same([
      ['FUNCTION', 'RESTORE', payload], ['FCALL', 'fr', '1', 'k'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'RESTORE', payload],
      ['FUNCTION', 'RESTORE', payload, 'APPEND'], ['FUNCTION', 'RESTORE', payload, 'REPLACE'], ['FUNCTION', 'DELETE', 'reader'],
      ['FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('fr', function() return 2 end)"],
      ['FUNCTION', 'RESTORE', payload, 'REPLACE'], ['FUNCTION', 'RESTORE', payload, 'FLUSH'], ['FCALL', 'fr', '1', 'k'],
      ['FUNCTION', 'RESTORE', payload.slice(0, -1) + String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1)],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'other'],
    ]);
    expect(out[0]).to.equal('+OK\r\n');
    expect(out[3]).to.equal('-ERR Library reader already exists\r\n');
  });

  it('a DUMP made by cachette restores into Redis and back', async () => {
    const c = await RespConn.connect(pair.cachette.port);
    await c.call(['FUNCTION', 'LOAD', FLAGGED]);
    const bulk = await c.call(['FUNCTION', 'DUMP']);
    c.close();
    const payload = bulk.slice(bulk.indexOf('\r\n') + 2, -2);
    const out = await same([['FUNCTION', 'FLUSH'], ['FUNCTION', 'RESTORE', payload], ['FUNCTION', 'LIST', 'WITHCODE'], ['FCALL', 'fw', '1', 'z']]);
    expect(out[1]).to.equal('+OK\r\n');
    expect(out[3]).to.equal('+OK\r\n');
  });

  it('MONITOR shows FCALL before the function\'s commands', async () => {
    const lines = async (port: number): Promise<string> => {
      const c = await RespConn.connect(port);
      await c.call(['FUNCTION', 'LOAD', FLAGGED]);
      const m = await RespConn.connect(port);
      await m.call(['MONITOR']);
      await c.call(['FCALL', 'fw', '1', 'key']);
      await sleep(50);
      let out = '';
      for (let i = 0; i < 2; i++) out += await m.read(2000);
      m.close();
      c.close();
      return out.replace(/\+\d+\.\d{6} \[(\d+) (?:127\.0\.0\.1:\d+|lua)\]/g, (s, db: string) => `+T [${db} ${s.includes('lua') ? 'lua' : 'A'}]`);
    };
    const want = await lines(pair.redis.port);
    expect(await lines(pair.cachette.port)).to.equal(want);
    expect(want).to.include('[0 lua] "set" "key" "v"');
  });
});

describe('functions, cachette alone', function () {
  this.timeout(30_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ port: 0, logger: () => {} }); });
  after(async () => { await srv.close(); });

  it('DUMP then FLUSH then RESTORE gives back the same libraries', async () => {
    const c = await RespConn.connect(srv.port);
    await c.call(['FUNCTION', 'FLUSH']);
    expect(await c.call(['FUNCTION', 'LOAD', FLAGGED])).to.equal('$7\r\nflagged\r\n');
    expect(await c.call(['FUNCTION', 'LOAD', LIB])).to.equal('$5\r\nmylib\r\n');
    const list = await c.call(['FUNCTION', 'LIST', 'WITHCODE']);
    const bulk = await c.call(['FUNCTION', 'DUMP']);
    const payload = bulk.slice(bulk.indexOf('\r\n') + 2, -2);
    expect(await c.call(['FUNCTION', 'FLUSH'])).to.equal('+OK\r\n');
    expect(await c.call(['FUNCTION', 'LIST'])).to.equal('*0\r\n');
    expect(await c.call(['FUNCTION', 'RESTORE', payload])).to.equal('+OK\r\n');
    expect(await c.call(['FUNCTION', 'LIST', 'WITHCODE'])).to.equal(list);
    expect(await c.call(['FCALL', 'myfunc', '1', 'a', 'b'])).to.equal('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    c.close();
  });

  it('a busy function: BUSY names FUNCTION KILL, SCRIPT KILL is refused, FUNCTION STATS shows it, FUNCTION KILL stops it', async () => {
    const a = await RespConn.connect(srv.port);
    const b = await RespConn.connect(srv.port);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    await b.call(['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=spin\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}"]);
    const reply = a.call(['FCALL', 'spin', '0'], 10_000);
    await sleep(250);
    expect(await b.call(['PING'])).to.equal('-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n');
    expect(await b.call(['SCRIPT', 'KILL'])).to.equal('-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n');
    const stats = await b.call(['FUNCTION', 'STATS']);
    expect(stats).to.match(/^\*4\r\n\$14\r\nrunning_script\r\n\*6\r\n\$4\r\nname\r\n\$4\r\nspin\r\n\$7\r\ncommand\r\n\*3\r\n\$5\r\nFCALL\r\n\$4\r\nspin\r\n\$1\r\n0\r\n\$11\r\nduration_ms\r\n:\d+\r\n/);
    expect(await b.call(['FUNCTION', 'KILL'])).to.equal('+OK\r\n');
    expect(await reply).to.match(/^-ERR Script killed by user with FUNCTION KILL\.\.\. script: spin, on @user_function:2\.\r\n$/);
    expect(await b.call(['PING'])).to.equal('+PONG\r\n');
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    a.close();
    b.close();
  });

  it('a library whose load runs past 500 ms is stopped (FUNCTION LOAD timeout)', async () => {
    const c = await RespConn.connect(srv.port);
    expect(await c.call(['FUNCTION', 'LOAD', '#!lua name=slow\nlocal i = 0 while true do i = i + 1 end'], 10_000))
      .to.equal('-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n');
    expect(await c.call(['PING'])).to.equal('+PONG\r\n');
    c.close();
  });
});

describe('functions through node-redis', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ port: 0 }); });
  after(async () => { await srv.close(); });

  it('node-redis `functions` definitions call FCALL / FCALL_RO (RESP2 and RESP3)', async () => {
    for (const RESP of [2, 3] as const) {
      const admin = createClient({ url: srv.url, RESP });
      await admin.connect();
      await admin.functionLoad("#!lua name=math\nredis.register_function{function_name='add', callback=function(k, a) return redis.call('incrby', k[1], a[1]) end}", { REPLACE: true });
      await admin.quit();
      const client = createClient({
        url: srv.url, RESP,
        functions: {
          math: {
            add: {
              NUMBER_OF_KEYS: 1,
              parseCommand(parser: { pushKey(k: string): void; push(...a: string[]): void }, key: string, n: number) { parser.pushKey(key); parser.push(String(n)); },
              transformReply: (reply: unknown) => reply as number,
            },
          },
        },
      });
      await client.connect();
      await client.del(`n${RESP}`);
      const math = (client as unknown as { math: { add(k: string, n: number): Promise<number> } }).math;
      expect(await math.add(`n${RESP}`, 2)).to.equal(2);
      expect(await math.add(`n${RESP}`, 5)).to.equal(7);
      await client.quit();
    }
  });
});
