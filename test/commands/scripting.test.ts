/**
 * Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, the redis object, the Lua 5.1 sandbox.
 *
 *  1. Byte for byte against a real redis-server 7.0.15 (withPair): a corpus of scripts run in
 *     order on both servers, in RESP2 and RESP3: conversions both ways, every error path (the
 *     sandbox, redis.call errors, error()/error tables, syntax errors), number formatting, the
 *     5.1 library; EVAL/EVALSHA/SCRIPT errors and shebang flags; read-only scripts; OOM; MONITOR;
 *     keyspace events; WATCH; COMMAND INFO; errorstats/commandstats.
 *  2. cachette alone: the busy yield (BUSY for others, SCRIPT KILL, UNKILLABLE, SHUTDOWN NOSAVE,
 *     the caller's pipeline held, blocked clients served after the script, `now` frozen across
 *     the suspension), INFO's scripting fields, the documented differences from 5.1.
 *  3. Through real clients: ioredis defineCommand (EVALSHA falling back to EVAL), node-redis
 *     scripts.
 */

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createClient, defineScript } from 'redis';
import { startServer, type ServerHandle } from '../../src/index.js';
import net from 'node:net';
import { encodeCommand, replyLength, RespConn } from '../diff/conn.js';
import { withPair } from '../diff/servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A command of the corpus: a plain string is `EVAL <script> 0`. */
type Step = string | string[];
const argsOf = (s: Step): string[] => (typeof s === 'string' ? ['EVAL', s, '0'] : s);

/** Runs steps on one fresh connection; returns each reply's bytes. */
async function runSteps(port: number, steps: readonly Step[]): Promise<string[]> {
  const c = await RespConn.connect(port);
  const out: string[] = [];
  for (const s of steps) out.push(await c.call(argsOf(s)));
  c.close();
  return out;
}

/** Sends `cmds` in one write on a fresh connection; resolves with the first `cmds.length` replies. */
function pipeline(port: number, cmds: string[][], timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(Buffer.concat(cmds.map((c) => encodeCommand(c)))));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { s.destroy(); reject(new Error('pipeline timed out')); }, timeoutMs);
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const out: string[] = [];
      let p = 0;
      for (;;) {
        const n = replyLength(buf, p);
        if (n === -1) break;
        out.push(buf.latin1Slice(p, p + n));
        p += n;
      }
      if (out.length >= cmds.length) { clearTimeout(timer); s.destroy(); resolve(out); }
    });
  });
}

/** Reads replies until one satisfies `last` (or times out); returns them all, joined. */
async function readUntil(c: RespConn, last: (r: string) => boolean): Promise<string> {
  let out = '';
  for (let i = 0; i < 100; i++) {
    const r = await c.read(2000);
    out += r;
    if (last(r) || r === '<timeout>' || r === '<closed>') break;
  }
  return out;
}

/** HELLO's connection id differs by design. */
const norm = (s: string): string => s.replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n');

// ---- the corpus -----------------------------------------------------------------------------

const CONVERSIONS: Step[] = [
  'return 3.9', 'return -3.9', 'return -0.5', 'return {1.5, 2.7, -2.7}', 'return 1e18', 'return -1e19', 'return 2^63',
  'return 1e308 * 10', 'return -(0/0)', 'return math.huge', 'return 2^53 + 1', 'return 9007199254740993',
  'return {1,2,nil,4}', 'return true', 'return false', "return {true,false,'a'}", 'return nil',
  "return {1, {2, {3, 'x'}}, 'y'}", 'return {1, 2, 3, x=4}', "local t = {} t[1] = 'a' t[3] = 'c' return t",
  "return {err='x'}", "return {err='x\\r\\ny'}", "return {ok='x\\r\\ny'}", "return redis.status_reply('fine')",
  "return redis.error_reply('FOO bar')", "return redis.error_reply('bar')", "return redis.error_reply('-bar')",
  'return {map={a=1}}', 'return {set={a=true}}', 'return {double=3.5}', 'return {double=1/0}',
  "return {big_number='1234567890123456789012'}", "return {verbatim_string={format='txt', string='hello'}}",
  ['HSET', 'h', 'a', '1'], ['SADD', 's', 'm'], ['ZADD', 'z', '1.5', 'a'],
  "redis.setresp(3) return redis.call('hgetall','h')", "redis.setresp(3) local r = redis.call('hgetall','h') return r.map.a",
  "redis.setresp(3) return redis.call('smembers','s')", "redis.setresp(3) local r = redis.call('smembers','s') return type(r.set)",
  "redis.setresp(3) return redis.call('get','nokey')", "redis.setresp(3) return type(redis.call('get','nokey'))",
  "return type(redis.call('get','nokey'))", "redis.setresp(3) return redis.call('zscore','z','a')",
  "redis.setresp(3) local r = redis.call('zscore','z','a') return type(r) == 'table' and r.double",
  "redis.setresp(3) return redis.call('zrange','z',0,-1,'withscores')", "return redis.call('zrange','z',0,-1,'withscores')",
  'redis.setresp(3) return true', 'redis.setresp(3) return false', 'redis.setresp(3) return {double=3.5}',
  "redis.setresp(3) return redis.call('debug', 'protocol', 'verbatim')", "redis.setresp(3) return redis.call('debug', 'protocol', 'bignum')",
  "redis.setresp(3) return redis.call('debug', 'protocol', 'true')", "redis.setresp(3) return redis.call('debug', 'protocol', 'false')",
  "redis.setresp(3) return redis.call('debug', 'protocol', 'double')", "redis.setresp(3) return redis.call('debug', 'protocol', 'null')",
  "redis.setresp(3) return redis.call('debug', 'protocol', 'attrib')", "return redis.call('debug', 'protocol', 'map')",
  "redis.setresp(3) return redis.call('ping')", "return redis.call('ping')", "return redis.call('ping', 'x')",
  "return redis.pcall('set')", "return {redis.pcall('incr','h'), 1}",
  "return redis.call('set','bin', '\\0\\1\\255') and redis.call('get','bin')", "return #redis.call('get', 'bin')",
  ['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}', '2', 'k1', 'k2', 'a1', 'a2'], ['EVAL', 'return #ARGV', '0', 'a', 'b', 'c'],
  "return redis.call('incr', 'cnt') + 0.5", "return tostring(redis.call('incr', 'cnt'))", "return redis.call('incrbyfloat', 'f', '1.5')",
  "return redis.call('select', 1) and redis.call('set','dbkey','1') and redis.call('select', 0) and redis.call('get', 'dbkey')",
  "return redis.call('get', 'dbkey')", ['SELECT', '1'], "return redis.call('get', 'dbkey')", ['SELECT', '0'],
];

const NUMBERS: Step[] = [
  "return redis.call('set','k', 1.1*2) and redis.call('get','k')", "return redis.call('set','k', 3/1) and redis.call('get','k')",
  "return redis.call('set','k', 1e20) and redis.call('get','k')", "return redis.call('set','k', 1/0) and redis.call('get','k')",
  "return redis.call('set','k', 0/0) and redis.call('get','k')", "return redis.call('set', 'x', -0.0) and redis.call('get','x')",
  "return redis.call('set', 'x', 1e-5) and redis.call('get','x')", "return redis.call('set', 'x', 123456789012345678) and redis.call('get','x')",
  "return redis.call('set', 'x', 0.1) and redis.call('get','x')", "return redis.call('set', 'x', 100) and redis.call('get','x')",
  "return tostring(3/1) .. ' ' .. 1e15 .. ' ' .. 2^53 .. ' ' .. tostring(0/0) .. ' ' .. tostring(-0/1) .. ' ' .. 10/3",
  "return tostring(1e14) .. ' ' .. tostring(1e15) .. ' ' .. tostring(12345678901234567890)", 'return tostring(2^63)',
  'return tostring(-2^63)', 'return tostring(2^31 * 2)', 'return tostring(10 / 3 * 3)', 'return tostring(0.1 + 0.2)',
  'return tostring(1e100)', 'return tostring(-1e-300)', "return math.floor(3.7) .. ''", "return math.max(3, 7.5) .. ''",
  "return (2^53) .. ''", "return string.format('%.3f', 1/3)", "return string.format('%5d|%-5d|%05d', 42, 42, 42)",
  "return string.format('%d', '42')", "return string.format('%s %s', 1, 1.5)", "return string.format('%g', 1e20)",
  "return string.format('%x', 255)", "return string.format('%c%c', 72, 105)", "return string.format('%5.2s|', 'abc')",
  "return string.format('%%d %d', 3.9)", "return string.format('%d', 3.5)", "return string.format('%d', 1e20)",
  "return string.format('%x', -1.5)", "return string.format('%5.1f|%s|%q', 3.14159, 'a', 'a\\nb\\0c\\r')",
  "return string.format('%s', 1e15)", "return math.abs(-5) .. ' ' .. math.ceil(4.2) .. ' ' .. math.sqrt(16)", "return math.pi .. ''",
  "return -7 % 3 .. ' ' .. 7.5 % 2", "return 2^0.5 .. ''", 'return tostring(1/3)', 'return 7 % -3', 'return -7 % 3',
  'return math.floor(-0.5)', 'return tostring(1/0) .. tostring(-1/0)', 'return tostring(math.fmod(7, 0))', 'return math.fmod(7, 3)',
  'return math.mod(7, 3)', 'return {math.frexp(-3.5)}', 'return math.ldexp(0.5, 4)', 'return math.atan2(1, 1) * 4',
  "return tonumber('0x10')", "return tonumber('1e2')", "return tonumber('  0x1p4  ')", "return tonumber('1e')", "return tonumber('')",
  "return tonumber('10', 2)", "return tonumber('z', 36)", "return tonumber(' 5 ')", "return tonumber('5x')", 'return tonumber(nil)',
  "return '10' + 1", "return '0x10' + 0", "return #'abc' + '1'", 'return 10 == 10.0', "return 10 == '10'", 'return -2^2',
  "return string.sub('hello', 2.7)", "return string.rep('x', 3, ',')", "return ('x'):rep(3)", 'return 0x10', 'return .5 + .5',
  'return math.random()', 'return math.random(10)', 'return {math.random(1,100), math.random(5)}', 'math.randomseed(7) return math.random(1000)',
  'return math.random(0)', "return math.random('x')",
];

const ERRORS: Step[] = [
  'x = 1', 'return y', 'local x; return x + 1', 'local t = {} return t.a.b', 'local t = {} return t.a + 1', 'return string.foo()',
  'local x; x()', 'foo()', "local s = 'a' .. nil", "error('boom')", "error('boom', 0)", "error({err='MY boom'})",
  "error({err='x', source='s', line=3})", 'error(42)', 'error(42, 0)', "assert(false, 'boom')", 'assert(false)', 'assert(nil, 42)',
  'return #nil', "local a = {} .. 'x'", "return 'abc' + 1", 'return {} < {}', "return 1 < 'x'", 'local t = nil; return t[1]',
  "for i = 1, 'x' do end", 'local t = {} t[nil] = 1', 'local t = {} t[0/0] = 1',
  "return redis.call('nosuch')", "return redis.call('get')", 'return redis.call()', 'return redis.call({})', "return redis.pcall('nosuch')",
  "return redis.call('set','a')", "return redis.call('lpush','a','b') and redis.call('get','a')", "return redis.call('set','k', true)",
  "return redis.call('set','k', nil)", "return redis.call('blpop','nokey',0)", "return redis.call('eval','return 1',0)",
  "return redis.call('multi')", "return redis.call('script', 'load', 'return 1')", "return redis.call('subscribe','x')",
  "return redis.call('monitor')", "return redis.call('watch', 'x')", "return redis.call('lmpop','1','l','left')",
  "return redis.call('config', 'nosuch')", "return redis.call('config')",
  'string.x = 1', 'redis.call = nil', '_G.x = 1', 'setmetatable(_G, {})', 'return getmetatable(_G)', "rawset(_G, 'x', 1)",
  "getmetatable('').__index = nil", "local mt = getmetatable('x') mt.__index = nil", 'KEYS = {}', "local f = loadstring('x = 1') f()",
  'coroutine.yield(1)', 'return pairs(nil)', 'for k in pairs(nil) do end', 'for k in ipairs(nil) do end', 'return table.insert(nil, 1)',
  'return table.getn(nil)', "return table.concat({1,2,{}})", "return load('return 1')", 'return loadstring(nil)',
  'return redis.sha1hex()', 'return redis.setresp(4)', 'return redis.setresp()', 'return redis.log(1)', "return redis.log('x', 'y')",
  "return redis.log(9, 'y')", 'return redis.set_repl(99)', 'return redis.set_repl()', 'return redis.error_reply(1)',
  'return redis.error_reply()', 'return redis.status_reply()', "return redis.acl_check_cmd('nosuch')", 'return redis.acl_check_cmd()',
  "error(redis.error_reply('MYERR custom'))", 'return +', 'return (', 'for i=1,2 do', "return 'a", 'x = ', 'return 1 1',
  'return os.time()', "return io.write('x')", "return require('x')", "return dofile('/etc/passwd')", "return loadfile('/etc/passwd')",
  'return debug.getinfo(1)', 'return module', 'return type(utf8)', 'return type(setfenv)', 'return arg', 'return tostring(print)',
  "return pcall(function() error({err='X y'}) end)", "return {pcall(function() redis.call('nosuch') end)}", 'return {pcall(error)}',
  "local ok, e = pcall(redis.acl_check_cmd, 'nosuch') return e", 'local ok, e = pcall(function() local x = nil; return x.y end) return e',
  "local ok, e = pcall(error, {err='ERR x'}) return e", "local ok, e = pcall(error, 'x') return e", "local ok, e = pcall(error, 'x', 0) return e",
  "return {xpcall(function() error('x') end, function(e) return 'handled: ' .. e end)}",
];

const LIBRARY: Step[] = [
  'return _VERSION', 'return type(table.getn)', 'return type(math.mod)', 'return type(string.gfind)',
  'local t={} for k in pairs(_G) do t[#t+1]=k end table.sort(t) return t',
  'local t={} for k in pairs(string) do t[#t+1]=k end table.sort(t) return t',
  'local t={} for k in pairs(table) do t[#t+1]=k end table.sort(t) return t',
  'local t={} for k in pairs(math) do t[#t+1]=k end table.sort(t) return t',
  'local t={} for k in pairs(coroutine) do t[#t+1]=k end table.sort(t) return t',
  'local t={} for k in pairs(redis) do t[#t+1]=k end table.sort(t) return t',
  'return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}', 'return redis.sha1hex(\'\')', 'return redis.sha1hex(123)',
  "return redis.log(redis.LOG_WARNING, 'hi', 'there')", 'return redis.breakpoint()', "return redis.debug('x')",
  'return redis.replicate_commands()', 'return redis.set_repl(redis.REPL_ALL)', "return redis.acl_check_cmd('get','x')",
  'return table.getn({1,2,3})', 'return unpack({1,2,3})', "return loadstring('return 1+1')()", "return loadstring('return +')",
  "return {loadstring('return +')}", "return select('#', unpack({1,nil,3}))", "local t = {} table.insert(t, 5, 'x') return t[5]",
  "return table.concat({1,2,3}, ',')", "return table.concat({1.5, 2}, ',')", 'local t = {3,1,2} table.sort(t) return t',
  'local t = {3,1,2} table.sort(t, function(a,b) return a > b end) return t', 'local t = {1,2,3} table.remove(t, 1) return t',
  'return table.maxn({1,2,[10]=3})', "return string.len('abc') .. string.upper('x') .. string.lower('Y')",
  "return string.find('a.b', '.', 1, true)", "return string.match('key:123', 'key:(%d+)')", "return {string.match('a=1', '(%w+)=(%w+)')}",
  "local r = {} for w in string.gfind('a b c', '%a') do r[#r+1] = w end return r", "return string.gsub('abc', 'b', '%%')",
  "return string.gsub('hello', 'l', {l='L'})", "return string.reverse('abc')", 'return string.char(65, 66)',
  "return string.byte('abc', 1, -1)", "return type(string.dump(function() end))", "return select(2, 'a', 'b', 'c')",
  'return next({})', "return rawequal('a', 'a')", "return rawget({a=1}, 'a')", "local t = {} rawset(t, 'a', 1) return t.a",
  'return rawget(_G, \'redis\') ~= nil', 'return next(_G) ~= nil', "return getmetatable('').__index == string", 'return coroutine.running()',
  'local co = coroutine.create(function(a) local b = coroutine.yield(a+1) return b*2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co)}',
  'return #_G', 'local t = setmetatable({}, {__index=function() return 5 end}) return t.x', "return setmetatable({}, {__metatable = 'no'})",
  'return _G.KEYS ~= nil', 'return _G._G == _G', ['EVAL', "local f = loadstring('return KEYS') return f()", '1', 'kk'],
  'return {unpack({1,2,3}, 2, 3)}', 'local function f(...) return select(\'#\', ...) end return f(1, nil, 3)',
  'local s = 0 for i = 1, 3, 0.5 do s = s + i end return tostring(s)', "return #'\\0ab'", "return 'x' .. 1 .. 2", "return 1 .. ''",
  'return gcinfo() > 0', "return collectgarbage('count') > 0", 'return not nil', 'return 1 and nil',
];

const COMMANDS: Step[] = [
  ['EVAL', 'return 1', '-1'], ['EVAL', 'return 1', '5', 'a'], ['EVAL', 'return 1', 'x'], ['EVAL', 'return 1'], ['EVALSHA', 'abc', '0'],
  ['EVALSHA', 'abc', 'x'], ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], ['EVAL', 'return 1', '0'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], ['EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', '0'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '-1'],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', 'nope'],
  ['SCRIPT', 'LOAD', 'return 2'], ['SCRIPT', 'LOAD', 'return +'], ['SCRIPT', 'LOAD'], ['SCRIPT', 'EXISTS'], ['SCRIPT', 'FLUSH', 'X'],
  ['SCRIPT', 'FLUSH', 'ASYNC', 'X'], ['SCRIPT', 'FLUSH'], ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['SCRIPT', 'FLUSH', 'sync'], ['SCRIPT', 'FLUSH', 'ASYNC'], ['SCRIPT', 'KILL'], ['SCRIPT', 'KILL', 'x'], ['SCRIPT', 'DEBUG', 'NO'],
  ['SCRIPT', 'DEBUG', 'MAYBE'], ['SCRIPT', 'HELP'], ['SCRIPT', 'NOPE'], ['SCRIPT'],
  ['EVAL_RO', "return redis.call('set','x','1')", '0'], ['EVAL_RO', "return redis.call('get','x')", '0'],
  ['EVAL_RO', "return redis.call('publish','c','m')", '0'], ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['EVAL', "#!lua flags=no-writes\nreturn redis.call('set','x','1')", '0'], ['EVAL', "#!lua flags=no-writes\nreturn redis.call('get','x')", '0'],
  ['EVAL', "#!lua\nreturn redis.call('set','x','1')", '0'], ['EVAL_RO', '#!lua\nreturn 1', '0'], ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', '0'],
  ['EVAL', '#!lua flags=bogus\nreturn 1', '0'], ['EVAL', '#!lua name=x\nreturn 1', '0'], ['EVAL', '#!python\nreturn 1', '0'],
  ['EVAL', '#!lua', '0'], ['EVAL', '#!lua flags=\nreturn 1', '0'], ['EVAL', '#!lua flags=no-writes,allow-oom\nreturn 1', '0'],
  ['EVAL', '#!lua flags=allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1', '0'],
  ['EVAL', "#!lua\nerror('x')", '0'], ['EVAL', '#!lua\n\nlocal x = nil + 1', '0'], ['EVAL', '\nlocal x = nil + 1', '0'],
  ['EVAL', "return redis.call('publish', 'ch', 'm')", '0'], ['EVAL', "return redis.call('client', 'setname', 'x')", '0'],
  ['EVAL', "return redis.call('dbsize')", '0'], ['EVAL', "return redis.call('config','get','maxmemory')", '0'],
  ['EVAL', "return redis.call('lpush','l','a','b') and redis.call('rpop','l')", '0'],
];

describe('scripting, byte for byte against Redis', function () {
  this.timeout(60_000);
  const pair = withPair();
  beforeEach(async () => {
    for (const port of [pair.redis.port, pair.cachette.port]) {
      await runSteps(port, [['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    }
  });

  /** Runs the steps on both servers (in RESP2, then again after HELLO 3); every reply must be equal. */
  async function same(steps: readonly Step[], resp3 = true): Promise<string[]> {
    const all: Step[] = [...steps];
    if (resp3) all.push(['FLUSHALL'], ['HELLO', '3'], ...steps);
    const want = (await runSteps(pair.redis.port, all)).map(norm);
    const got = (await runSteps(pair.cachette.port, all)).map(norm);
    for (let i = 0; i < all.length; i++) {
      expect(got[i], `step ${i}: ${JSON.stringify(argsOf(all[i]!))}`).to.equal(want[i]);
    }
    return got;
  }

  it('conversions both ways: integers truncated, tables to the first nil, status/error tables, RESP3 types (RESP2 and RESP3 clients)', async () => {
    const out = await same(CONVERSIONS);
    // A few that must hold whatever Redis says (the comparison above could pass on two equal mistakes).
    expect(out[0]).to.equal(':3\r\n');
    expect(out[12]).to.equal('*2\r\n:1\r\n:2\r\n');
    expect(out[14]).to.equal('$-1\r\n');
  });

  it('number formatting: %.17g for redis.call arguments, %.14g for tostring, string.format as 5.1', async () => {
    const out = await same(NUMBERS, false);
    expect(out[0]).to.equal('$18\r\n2.2000000000000002\r\n');
    expect(out[1]).to.equal('$1\r\n3\r\n');
  });

  it('every error path: sandbox, redis.call, error() with strings and tables, syntax errors, 5.1 message forms', async () => {
    const out = await same(ERRORS, false);
    expect(out[0]).to.match(/^-ERR user_script:1: Attempt to modify a readonly table script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
    expect(out[2]).to.match(/^-ERR user_script:1: attempt to perform arithmetic on local 'x' \(a nil value\) script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
  });

  it('the 5.1 library: globals, table/string/math/coroutine contents, redis object fields', async () => {
    await same(LIBRARY, false);
  });

  it('EVAL/EVALSHA/SCRIPT arguments and errors, shebang flags, read-only scripts', async () => {
    await same(COMMANDS, false);
  });

  it('under maxmemory: a plain script may run but its first write is refused; a #!lua script that may write is refused at start', async () => {
    await same([
      ['SET', 'big', 'x'.repeat(1000)], ['CONFIG', 'SET', 'maxmemory', '1'],
      "return redis.call('get', 'big') ~= nil", "return redis.call('set', 'a', '1')", "return redis.pcall('set', 'a', '1')",
      "redis.call('del', 'nokey') return redis.call('set', 'a', '1')",
      ['EVAL', "#!lua\nreturn redis.call('get', 'big') ~= nil", '0'], ['EVAL', "#!lua flags=allow-oom\nreturn redis.call('set', 'a', '1')", '0'],
      ['EVAL', "#!lua flags=no-writes\nreturn 1", '0'], ['CONFIG', 'SET', 'maxmemory', '0'],
    ], false);
  });

  it('keyspace notifications, and WATCH: a script that writes a watched key fails the EXEC', async () => {
    const steps = async (port: number): Promise<string[]> => {
      const sub = await RespConn.connect(port);
      const c = await RespConn.connect(port);
      const w = await RespConn.connect(port);
      await c.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
      await sub.call(['PSUBSCRIBE', '__key*__:*']);
      const out: string[] = [];
      out.push(await w.call(['WATCH', 'k']), await w.call(['MULTI']), await w.call(['PING']));
      out.push(await c.call(['EVAL', "redis.call('set', KEYS[1], 'v') redis.call('lpush', 'l', 'a') return redis.call('del', 'nokey')", '1', 'k']));
      out.push(await w.call(['EXEC']));
      out.push(await w.call(['WATCH', 'k']), await w.call(['MULTI']), await w.call(['PING']));
      out.push(await c.call(['EVAL', "return redis.call('get', KEYS[1])", '1', 'k']));
      out.push(await w.call(['EXEC']));
      await sleep(50);
      await sub.call(['PUNSUBSCRIBE']).then(async (first) => { out.push(first + await readUntil(sub, (r) => r.includes('punsubscribe'))); });
      for (const x of [sub, c, w]) x.close();
      return out;
    };
    const want = await steps(pair.redis.port);
    const got = await steps(pair.cachette.port);
    expect(got).to.deep.equal(want);
    expect(got[4]).to.equal('*-1\r\n');
    expect(got[9]).to.equal('*1\r\n+PONG\r\n');
    expect(got[10]).to.include('__keyevent@0__:set').and.include('__keyevent@0__:lpush');
  });

  it('MONITOR shows EVAL, then the script\'s commands as [db lua]', async () => {
    const lines = async (port: number): Promise<string> => {
      const m = await RespConn.connect(port);
      const c = await RespConn.connect(port);
      await m.call(['MONITOR']);
      await c.call(['SELECT', '2']);
      await c.call(['EVAL', "redis.call('set', KEYS[1], ARGV[1]) redis.call('select', 3) return redis.call('get', KEYS[1])", '1', 'k', 'v"\n']);
      await c.call(['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0']);
      await sleep(50);
      const out = await readUntil(m, (r) => r.includes('ffffffff'));
      m.close();
      c.close();
      return out.replace(/\+\d+\.\d{6} \[(\d+) (?:127\.0\.0\.1:\d+|lua)\]/g, (s, db: string) => `+T [${db} ${s.includes('lua') ? 'lua' : 'A'}]`);
    };
    const want = await lines(pair.redis.port);
    const got = await lines(pair.cachette.port);
    expect(got).to.equal(want);
    expect(got).to.include('+T [2 lua] "set" "k" "v\\"\\n"');
  });

  it('COMMAND INFO of EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (flags, keynum key specs, categories, tips); GETKEYS', async () => {
    await same([
      // A container's subcommands come in Redis's dict order (random per process): asked one by one.
      ['COMMAND', 'INFO', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro'], ['COMMAND', 'INFO', 'script|flush', 'script|help', 'script|debug'],
      ['COMMAND', 'INFO', 'script|exists', 'script|kill', 'script|load'],
      ['COMMAND', 'GETKEYS', 'EVAL', 'return 1', '2', 'a', 'b', 'c'], ['COMMAND', 'DOCS', 'eval'], ['COMMAND', 'DOCS', 'script|load'],
      ['CONFIG', 'GET', 'lua-time-limit'], ['CONFIG', 'GET', 'busy-reply-threshold'], ['CONFIG', 'SET', 'lua-time-limit', '100'],
      ['CONFIG', 'GET', 'busy-reply-threshold'], ['CONFIG', 'SET', 'busy-reply-threshold', '5000'], ['CONFIG', 'SET', 'busy-reply-threshold', '-1'],
    ], false);
  });

  it('errorstats and commandstats: a script\'s command errors are counted once, rejected script calls as rejected', async () => {
    const stats = async (port: number): Promise<string> => {
      const c = await RespConn.connect(port);
      await c.call(['CONFIG', 'RESETSTAT']);
      await c.call(['SET', 's', 'x']);
      for (const s of ["return redis.call('incr', 's')", "return redis.pcall('incr', 's')", "return redis.call('nosuch')", "error('x')", "return {err='MINE x'}", 'return 1']) {
        await c.call(['EVAL', s, '0']);
      }
      const info = await c.call(['INFO', 'stats']);
      const es = await c.call(['INFO', 'errorstats']);
      const cs = await c.call(['INFO', 'commandstats']);
      c.close();
      const pick = (t: string, re: RegExp): string => [...t.matchAll(re)].map((m) => m[0]).join(' ');
      return [pick(info, /total_error_replies:\d+/g), pick(es, /errorstat_\w+:count=\d+/g),
        // commandstats lists commands in Redis's dict order (random per process): compared sorted.
        pick(cs, /cmdstat_(?:eval|incr):calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=\d+,failed_calls=\d+/g).replace(/usec=\d+,usec_per_call=[\d.]+/g, 'U').split(' ').sort().join(' ')].join('\n');
    };
    const want = await stats(pair.redis.port);
    const got = await stats(pair.cachette.port);
    expect(got).to.equal(want);
  });
});

// ---- cachette alone -----------------------------------------------------------------------

describe('scripting, cachette alone', function () {
  this.timeout(30_000);
  let srv: ServerHandle;
  const logs: string[] = [];
  before(async () => { srv = await startServer({ port: 0, logger: (l: string) => { logs.push(l); } }); });
  after(async () => { await srv.close(); });
  beforeEach(async () => {
    const c = await RespConn.connect(srv.port);
    await c.call(['FLUSHALL']);
    await c.call(['SCRIPT', 'FLUSH']);
    await c.call(['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    c.close();
  });

  /** A loop that runs until the script has run `ms` of real time (TIME moves inside scripts). */
  const spin = (ms: number): string => `local t0 = redis.call('time') local function now(t) return t[1] * 1000 + t[2] / 1000 end
    local n = 0 while now(redis.call('time')) - now(t0) < ${ms} do for i = 1, 10000 do n = n + 1 end end`;

  it('a busy script: others get BUSY, allow_busy commands run, SCRIPT KILL stops it, the server is fully alive after', async () => {
    const a = await RespConn.connect(srv.port);
    const b = await RespConn.connect(srv.port);
    expect(await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50'])).to.equal('+OK\r\n');
    const reply = a.call(['EVAL', 'local i = 0 while true do i = i + 1 end', '0'], 10_000);
    await sleep(300);
    expect(await b.call(['PING'])).to.equal('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(await b.call(['GET', 'x'])).to.equal('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(await b.call(['MULTI'])).to.equal('+OK\r\n');
    expect(await b.call(['DISCARD'])).to.equal('+OK\r\n');
    expect(await b.call(['FUNCTION', 'KILL'])).to.equal('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(await b.call(['SHUTDOWN'])).to.equal('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    expect(logs.some((l) => l.includes('Slow script detected: still in execution after'))).to.equal(true);
    expect(await b.call(['SCRIPT', 'KILL'])).to.equal('+OK\r\n');
    expect(await reply).to.match(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
    expect(await b.call(['SCRIPT', 'KILL'])).to.equal('-NOTBUSY No scripts in execution right now.\r\n');
    expect(await b.call(['PING'])).to.equal('+PONG\r\n');
    expect(await a.call(['EVAL', "return redis.call('set', 'x', '1')", '0'])).to.equal('+OK\r\n');
    expect(await b.call(['GET', 'x'])).to.equal('$1\r\n1\r\n');
    a.close();
    b.close();
  });

  it('pcall cannot keep a killed script alive', async () => {
    const a = await RespConn.connect(srv.port);
    const b = await RespConn.connect(srv.port);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    const reply = a.call(['EVAL', 'while true do pcall(function() local i = 0 while true do i = i + 1 end end) end', '0'], 10_000);
    await sleep(200);
    expect(await b.call(['SCRIPT', 'KILL'])).to.equal('+OK\r\n');
    expect(await reply).to.match(/^-ERR Script killed by user with SCRIPT KILL\.\.\./);
    expect(await b.call(['PING'])).to.equal('+PONG\r\n');
    a.close();
    b.close();
  });

  it('a busy script that wrote is UNKILLABLE; it ends on its own, atomically: the caller\'s pipeline waits, blocked clients are served after', async () => {
    const a = await RespConn.connect(srv.port);
    const b = await RespConn.connect(srv.port);
    const waiter = await RespConn.connect(srv.port);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    const popped = waiter.call(['BLPOP', 'q', '0'], 10_000);
    await sleep(50);
    // The script pushes, spins 600 ms (busy), then checks that nobody popped meanwhile.
    const reply = a.call(['EVAL', `redis.call('rpush', 'q', 'job') redis.call('set', 'k', 'v', 'PX', 100) ${spin(600)} return {redis.call('llen', 'q'), redis.call('pttl', 'k')}`, '0'], 10_000);
    await sleep(250);
    expect(await b.call(['SCRIPT', 'KILL'])).to.equal('-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n');
    expect(await b.call(['LLEN', 'q'])).to.match(/^-BUSY /);
    // `now` is frozen: 600 ms later the key's 100 ms TTL is still whole.
    expect(await reply).to.equal('*2\r\n:1\r\n:100\r\n');
    expect(await popped).to.equal('*2\r\n$1\r\nq\r\n$3\r\njob\r\n');
    expect(await b.call(['LLEN', 'q'])).to.equal(':0\r\n');
    a.close();
    b.close();
    waiter.close();
  });

  it('the busy caller\'s pipelined requests run after its script, in order', async () => {
    const a = await RespConn.connect(srv.port);
    const b = await RespConn.connect(srv.port);
    await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50']);
    const out = pipeline(srv.port, [['EVAL', `${spin(300)} return 'done'`, '0'], ['SET', 'after', '1'], ['GET', 'after']], 10_000);
    await sleep(150);
    expect(await b.call(['GET', 'after'])).to.match(/^-BUSY /);
    expect(await out).to.deep.equal(['$4\r\ndone\r\n', '+OK\r\n', '$1\r\n1\r\n']);
    a.close();
    b.close();
  });

  it('SHUTDOWN NOSAVE stops the server while a script is busy', async () => {
    const s2 = await startServer({ port: 0, 'busy-reply-threshold': 50, logger: () => {} });
    let shut = false;
    s2.server.onShutdown = () => { shut = true; void s2.server.close(); };
    const a = await RespConn.connect(s2.port);
    const b = await RespConn.connect(s2.port);
    const reply = a.call(['EVAL', "redis.call('set', 'x', 1) while true do end", '0'], 10_000);
    await sleep(200);
    expect(await b.call(['SCRIPT', 'KILL'])).to.match(/^-UNKILLABLE /);
    expect(await b.call(['SHUTDOWN', 'NOSAVE'])).to.equal('<closed>');
    expect(await reply).to.equal('<closed>');
    expect(shut).to.equal(true);
    await s2.close();
  });

  it('inside MULTI/EXEC a long script runs to its end (EXEC cannot be suspended)', async () => {
    const a = await RespConn.connect(srv.port);
    await a.call(['CONFIG', 'SET', 'busy-reply-threshold', '20']);
    expect(await a.call(['MULTI'])).to.equal('+OK\r\n');
    expect(await a.call(['EVAL', `${spin(100)} return 1`, '0'])).to.equal('+QUEUED\r\n');
    expect(await a.call(['EXEC'])).to.equal('*1\r\n:1\r\n');
    a.close();
  });

  it('INFO memory: number_of_cached_scripts, used_memory_scripts_eval and used_memory_lua follow the cache', async () => {
    const c = await RespConn.connect(srv.port);
    const field = async (name: string): Promise<number> => Number(new RegExp(`${name}:(\\d+)`).exec(await c.call(['INFO', 'memory']))![1]);
    expect(await field('number_of_cached_scripts')).to.equal(0);
    expect(await field('used_memory_scripts_eval')).to.equal(0);
    await c.call(['SCRIPT', 'LOAD', 'return 1']);
    await c.call(['EVAL', 'return 2', '0']);
    expect(await field('number_of_cached_scripts')).to.equal(2);
    expect(await field('used_memory_scripts_eval')).to.be.greaterThan(0);
    expect(await field('used_memory_lua')).to.be.greaterThan(10_000);
    expect(await c.call(['SCRIPT', 'FLUSH'])).to.equal('+OK\r\n');
    expect(await field('number_of_cached_scripts')).to.equal(0);
    expect(await c.call(['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'])).to.equal('-NOSCRIPT No matching script. Please use EVAL.\r\n');
    c.close();
  });

  it('redis.log writes to the server log at the level given', async () => {
    const c = await RespConn.connect(srv.port);
    expect(await c.call(['EVAL', "redis.log(redis.LOG_WARNING, 'from', 'lua', 42) redis.log(redis.LOG_DEBUG, 'hidden')", '0'])).to.equal('$-1\r\n');
    expect(logs.some((l) => / # from lua 42$/.test(l))).to.equal(true);
    expect(logs.some((l) => l.includes('hidden'))).to.equal(false);
    c.close();
  });

  it('documented differences from Lua 5.1 (README "Known differences"): goto compiles, float % as 5.4, integers from #', async () => {
    const c = await RespConn.connect(srv.port);
    // 5.1: '=' expected near 'x' (goto is a name there).
    expect(await c.call(['EVAL', 'goto x', '0'])).to.equal("-ERR Error compiling script (new function): user_script:1: no visible label 'x' for <goto> at line 1\r\n");
    // 5.1 computes a - floor(a/b)*b (0 here); 5.4's fmod is exact.
    expect(await c.call(['EVAL', 'return tostring(1e17 % 3)', '0'])).to.equal('$1\r\n1\r\n');
    // `#` gives a 5.4 integer: integer % 0 raises where 5.1 gives nan.
    expect(await c.call(['EVAL', "return #'' % #''", '0'])).to.match(/^-ERR user_script:1: attempt to perform 'n%0'/);
    c.close();
  });

  it('a self-referencing table reply is bounded', async () => {
    const c = await RespConn.connect(srv.port);
    const r = await c.call(['EVAL', 'local t = {} t[1] = t return t', '0']);
    expect(r.endsWith('-ERR reached lua stack limit\r\n')).to.equal(true);
    expect(await c.call(['PING'])).to.equal('+PONG\r\n');
    c.close();
  });
});

// ---- through real clients -------------------------------------------------------------------

describe('scripting through ioredis and node-redis', function () {
  this.timeout(20_000);
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ port: 0 }); });
  after(async () => { await srv.close(); });

  for (const protocol of [2, 3] as const) {
    it(`ioredis defineCommand: EVALSHA, falling back to EVAL after SCRIPT FLUSH (RESP${protocol})`, async () => {
      const r = new Redis(srv.url, { protocol, lazyConnect: true, retryStrategy: () => null });
      await r.connect();
      r.defineCommand('incrTo', { numberOfKeys: 1, lua: "local v = redis.call('incrby', KEYS[1], ARGV[1]) return {v, redis.call('type', KEYS[1])}" });
      const seen: string[] = [];
      srv.server.commands.lookup('evalsha')!.stats.calls = 0;
      const run = (r as unknown as { incrTo(k: string, n: number): Promise<unknown> }).incrTo.bind(r);
      const key = `c${protocol}`;
      expect(await run(key, 5)).to.deep.equal([5, 'string']);
      await r.script('FLUSH');
      expect(await run(key, 2)).to.deep.equal([7, 'string']);
      seen.push(String(srv.server.commands.lookup('evalsha')!.stats.calls));
      expect(Number(seen[0])).to.be.greaterThan(0);
      expect(await r.eval('return redis.call("get", KEYS[1])', 1, key)).to.equal('7');
      r.disconnect();
    });
  }

  it('node-redis scripts (defineScript), in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({
        url: srv.url, RESP,
        scripts: {
          add: defineScript({
            NUMBER_OF_KEYS: 1, SCRIPT: "return redis.call('incrby', KEYS[1], ARGV[1])",
            parseCommand(parser: { pushKey(k: string): void; push(...a: string[]): void }, key: string, n: number) { parser.pushKey(key); parser.push(String(n)); },
            transformReply: (reply: unknown) => reply as number,
          }),
        },
      });
      await client.connect();
      await client.del('n');
      expect(await (client as unknown as { add(k: string, n: number): Promise<number> }).add('n', 3)).to.equal(3);
      await client.scriptFlush();
      expect(await (client as unknown as { add(k: string, n: number): Promise<number> }).add('n', 4)).to.equal(7);
      await client.quit();
    }
  });
});
