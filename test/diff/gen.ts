/**
 * Command generators for the differential suite (fast-check arbitraries).
 *
 * Coverage: every command and option in the README's command table, plus
 * invalid forms (wrong arity, bad integers and floats, conflicting options,
 * unknown options and commands), huge/negative/boundary numbers, binary and
 * empty keys and values. Keys come from a small pool so commands collide.
 *
 * Time: relative TTLs are placeholders resolved per command (`{rel}`) to a
 * value unique to that command's position, at least 10 s from any other, so
 * that GT/LT comparisons between two relative expiries can never tie on the
 * millisecond the two servers happened to run them. Absolute times are either
 * in the past or far in the future (year 2100), so nothing expires mid-run.
 *
 * Left out on purpose (each covered elsewhere or deliberately different):
 * SHUTDOWN (would stop Redis), QUIT and CLIENT KILL of a live client
 * (close connections; tested in protocol/CLI tests), CONFIG SET maxmemory > 0
 * and requirepass (cachette's memory account differs from jemalloc's by design,
 * so evictions fall elsewhere / a password would lock clients out),
 * CLIENT SETINFO (7.2 behaviour on purpose), COMMAND / COMMAND INFO / DOCS /
 * COUNT / LIST and CONFIG/CLIENT/MEMORY HELP (cachette lists only what it
 * implements; OBJECT HELP is identical and is generated), and SCAN with a
 * valid non-zero cursor the server never returned (Redis answers from its
 * bucket layout; cachette restarts from the top, see README). SCAN is run as
 * full iterations from 0 and compared as sets; invalid cursors are generated.
 * The same goes for SSCAN; and SPOP's random forms run only on keys of their
 * own (see the sets block). Scripts never call SCRIPT FLUSH or loop (no busy scripts), and
 * leave out commands whose order or value depends on the hash layout or the clock.
 */

import fc from 'fast-check';
import { createHash } from 'node:crypto';

/** An argument: literal bytes (latin1), or a relative TTL resolved at run time. */
export type Arg = string | { rel: 's' | 'ms' };
export interface Cmd { conn: number; args: Arg[] }

export const CONNECTIONS = 3;

const KEYS = ['a', 'b', 'c', 'k:1', '', '\x00\xff', 'h[llo', 'hello', 'n', 'f'];
const key = fc.constantFrom(...KEYS);

const binary = fc.uint8Array({ maxLength: 6 }).map((u) => Buffer.from(u).latin1Slice());
const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('v', 'hello', '', '0', '1', '-1', '10', '42', '007', '-0', '1.5', 'abc', ' 1', '0x10', 'inf', '3.0e3') },
  { weight: 2, arbitrary: fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808', '9007199254740993', '12345678901234567890', '10.6', '0.1', '5e-324') },
  { weight: 2, arbitrary: binary },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => 'x'.repeat(n)) },
);

const int: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -20, max: 100 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('0', '-0', '007', '+1', ' 1', '1.5', 'abc', '', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '9007199254740993', '-9007199254740992', '4294967296') },
);

const float = fc.constantFrom('0.1', '1.5', '-2.25', '1e2', '0x10', '0x1p-2', 'inf', '-inf', 'nan', 'abc', '1e400', '1e5000', '1e-5000', '3', '-0', '.5', '5.', ' 1', '1e', '10.5', '0.000001', '123456789.123456789');

const rel = (unit: 's' | 'ms'): fc.Arbitrary<Arg> => fc.oneof(
  { weight: 6, arbitrary: fc.constant({ rel: unit } as Arg) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '9223372036854775807', '9223372036854774', '-9223372036854775808') },
);
/** Far-future absolute times (2100-01-01 and later) and past ones. */
const absS: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 50 }).map((i) => String(4102444800 + i * 100)) },
  { weight: 2, arbitrary: fc.constantFrom('1', '0', '-5', 'abc', '9223372036854775', '9223372036854776', '9223372036854775807') },
);
const absMs: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 50 }).map((i) => String(4102444800000 + i * 100000)) },
  { weight: 2, arbitrary: fc.constantFrom('1', '0', '-5', 'abc', '9223372036854775807', '9007199254740993') },
);

const cmd = (...parts: Array<fc.Arbitrary<Arg | readonly Arg[]> | Arg>): fc.Arbitrary<Arg[]> =>
  fc.tuple(...parts.map((p) => (typeof p === 'string' || (typeof p === 'object' && 'rel' in p) ? fc.constant(p) : p))).map((xs) => xs.flat() as Arg[]);

const opts = (choices: Array<fc.Arbitrary<Arg[]>>, max = 3): fc.Arbitrary<Arg[]> =>
  fc.array(fc.oneof(...choices), { maxLength: max }).map((xs) => xs.flat());

const tok = (...t: string[]): fc.Arbitrary<Arg[]> => fc.constantFrom(...t).map((x) => [x]);
const caseOf = (s: string): fc.Arbitrary<string> => fc.constantFrom(s, s.toLowerCase(), s[0] + s.slice(1).toLowerCase());

const setOpts = opts([
  tok('NX', 'XX', 'GET', 'KEEPTTL', 'nx', 'get', 'FOO'),
  fc.tuple(caseOf('EX'), rel('s')).map((x) => [...x]),
  fc.tuple(caseOf('PX'), rel('ms')).map((x) => [...x]),
  fc.tuple(caseOf('EXAT'), absS).map((x) => [...x]),
  fc.tuple(caseOf('PXAT'), absMs).map((x) => [...x]),
  tok('EX', 'PXAT'),
]);
const getexOpts = opts([
  tok('PERSIST', 'persist', 'NX', 'KEEPTTL'),
  fc.tuple(fc.constant('EX'), rel('s')).map((x) => [...x]),
  fc.tuple(fc.constant('PX'), rel('ms')).map((x) => [...x]),
  fc.tuple(fc.constant('EXAT'), absS).map((x) => [...x]),
  fc.tuple(fc.constant('PXAT'), absMs).map((x) => [...x]),
], 2);
const expireOpts = opts([tok('NX', 'XX', 'GT', 'LT', 'gt', 'FOO')], 2);
const keys = (min: number, max: number): fc.Arbitrary<Arg[]> => fc.array(key, { minLength: min, maxLength: max });
const pairs = fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());
const pattern = fc.constantFrom('*', 'a*', '?', '*a*', 'h[ae]llo', 'h[^e]llo', 'h\\[llo', 'k:*', '[a-c]', '[c-a]', '**', '', 'h?llo', '[');
const configParam = fc.constantFrom('hz', 'maxmemory', 'maxmemory-policy', 'maxmemory-samples', 'maxmemory-eviction-tenacity', 'lfu-log-factor', 'lfu-decay-time', 'active-expire-effort', 'maxclients', 'proto-max-bulk-len', 'client-query-buffer-limit', 'loglevel', 'lazyfree-lazy-user-del', 'databases', 'HZ', 'lfu-*', 'lazyfree-*', 'maxmemory-p*', 'nosuch', 'h?');
const configSet = fc.oneof(
  fc.tuple(fc.constant('hz'), fc.constantFrom('1', '10', '0', '1000', '-1', '010', 'abc', '2147483648')),
  fc.tuple(fc.constant('maxmemory-policy'), fc.constantFrom('noeviction', 'allkeys-lru', 'volatile-lru', 'allkeys-lfu', 'volatile-lfu', 'allkeys-random', 'volatile-random', 'volatile-ttl', 'ALLKEYS-LRU', 'foo')),
  fc.tuple(fc.constant('maxmemory'), fc.constantFrom('0', '-1', 'foo', '0b', '0kb')),
  fc.tuple(fc.constantFrom('maxmemory-samples', 'lfu-log-factor', 'lfu-decay-time', 'maxmemory-eviction-tenacity', 'active-expire-effort'), int),
  // proto-max-bulk-len above 512mb: V8's string cap is lower (README), so it is not generated.
  fc.tuple(fc.constant('proto-max-bulk-len'), fc.constantFrom('512mb', '1000', '-1', 'abc', '2mb')),
  fc.tuple(fc.constant('client-query-buffer-limit'), fc.constantFrom('512mb', '1gb', '1000', '-1', 'abc', '2mb')),
  fc.tuple(fc.constant('maxclients'), fc.constantFrom('10000', '0', '4294967296', 'abc')),
  fc.tuple(fc.constant('loglevel'), fc.constantFrom('notice', 'warning', 'nothing', 'verbose')),
  fc.tuple(fc.constantFrom('lazyfree-lazy-user-del', 'lazyfree-lazy-expire'), fc.constantFrom('yes', 'no', 'maybe')),
  fc.tuple(fc.constantFrom('databases', 'nosuch', 'save'), fc.constantFrom('5', 'no', '', 'yes', ' ', '-1 5', '3 abc')),
  // appendonly yes / a valid save schedule: cachette refuses persistence on purpose (README).
  fc.tuple(fc.constant('appendonly'), fc.constantFrom('no', 'maybe', '5')),
).map((x) => [...x]);
// ---- transactions: MULTI EXEC DISCARD WATCH UNWATCH, and SWAPDB --------------
/**
 * Transactions come two ways. Stray MULTI / EXEC / DISCARD / WATCH / UNWATCH
 * anywhere in a sequence (so nested MULTI, EXEC and DISCARD without MULTI,
 * WATCH inside MULTI, arity errors and commands queued by a MULTI left open
 * all occur), and whole transaction blocks (txBlock below): an optional
 * WATCH, MULTI, up to 6 random commands, then EXEC (or DISCARD, or a bad
 * EXEC), with up to 4 commands of any connection (the same one included)
 * landing in between, so that watched keys get written by others, the
 * client's own earlier writes and queue-time errors abort transactions, and
 * other clients run while one queues. SWAPDB swaps the few databases SELECT uses.
 */
const dbIndex = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('16', '-1', 'abc', '+1', '2147483648') });
const txArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 2, arbitrary: cmd(fc.constantFrom('MULTI', 'multi')) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('EXEC', 'exec')) },
  { weight: 1, arbitrary: cmd('DISCARD') },
  { weight: 2, arbitrary: cmd('WATCH', keys(1, 3)) },
  { weight: 1, arbitrary: cmd('UNWATCH') },
  { weight: 1, arbitrary: cmd(fc.constantFrom('MULTI', 'EXEC', 'DISCARD', 'UNWATCH', 'WATCH'), fc.constantFrom([] as Arg[], ['x'], ['a', 'b'])) },
  { weight: 2, arbitrary: cmd('SWAPDB', dbIndex, dbIndex) },
  { weight: 1, arbitrary: cmd('SWAPDB', fc.array(dbIndex, { maxLength: 3 })) },
);
// ---- end of the transactions block (txBlock follows commandArgs) -----------

// ---- hashes: HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS
// HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN ------------------------------------
/**
 * Hash commands over the shared key pool (so WRONGTYPE against strings, and
 * RENAME / EXPIRE / DEL / OBJECT ENCODING of hashes, arise by themselves).
 * Fields come from a small pool so commands collide; a 65-byte field or
 * value, and CONFIG SET of hash-max-listpack-entries/-value (and their
 * ziplist aliases) down to a few entries or bytes, make both conversion
 * points common, so hashtable hashes (compared as multisets by the runner)
 * occur as well as listpacks (compared exactly). HRANDFIELD's counts stay
 * small or cheap, or are ones Redis refuses (see hcount).
 */
/** Keys for hash commands: the shared pool, leaning on two of its keys (mostly 'hello') so that hashes grow several fields. */
const hkey: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constant('hello') }, { weight: 1, arbitrary: fc.constant('n') }, { weight: 1, arbitrary: key });
const hfield: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('f', 'g', 'h', 'field', '', '1', '-1', '007', 'a*', '\x00') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(64), 'x'.repeat(65)) },
  { weight: 1, arbitrary: binary },
);
const hvalue: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: value },
  { weight: 1, arbitrary: fc.integer({ min: 62, max: 70 }).map((n) => 'y'.repeat(n)) },
);
const hfields = (min: number, max: number): fc.Arbitrary<Arg[]> => fc.array(hfield, { minLength: min, maxLength: max });
const hpairs: fc.Arbitrary<Arg[]> = fc.array(fc.tuple(hfield, hvalue), { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());
/**
 * HRANDFIELD counts: small ones, and the extremes that are refused or cheap.
 * A huge negative count that is accepted could never be served by either
 * server (Redis would grow its reply until it runs out of memory), so
 * -4611686018427387904 only comes with WITHVALUES, which refuses it.
 */
const hcount: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -12, max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-0', 'abc', '1.5', '', '+1', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '4611686018427387904', '4611686018427387903') },
);
const hrandOpts = fc.constantFrom([] as Arg[], ['WITHVALUES'], ['withvalues'], ['WITHVALUES'], ['FOO'], ['WITHVALUES', 'x']);
const hcursor: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('0') },
  { weight: 1, arbitrary: fc.constantFrom('1', '7', '-1', '18446744073709551615', '18446744073709551616', 'abc', '', '0x1') },
);
const hscanOpts = opts([
  fc.tuple(caseOf('MATCH'), fc.constantFrom('*', 'f*', '?', '[a-g]', '', '\\*', 'x*')).map((x) => [...x]),
  fc.tuple(caseOf('COUNT'), fc.constantFrom('1', '2', '10', '1000', '0', '-1', 'abc', '9223372036854775807')).map((x) => [...x]),
  tok('TYPE', 'FOO', 'MATCH', 'COUNT'),
], 3);
const hashConfig = fc.oneof(
  fc.tuple(fc.constantFrom('hash-max-listpack-entries', 'hash-max-ziplist-entries'), fc.constantFrom('0', '1', '2', '3', '4', '512', '-1', 'abc')),
  fc.tuple(fc.constantFrom('hash-max-listpack-value', 'hash-max-ziplist-value'), fc.constantFrom('0', '1', '3', '5', '64', '1kb', '-1', 'abc')),
).map((x) => [...x]);
const hashNames = ['HSET', 'HSETNX', 'HGET', 'HMGET', 'HMSET', 'HDEL', 'HLEN', 'HSTRLEN', 'HEXISTS', 'HKEYS', 'HVALS', 'HGETALL', 'HINCRBY', 'HINCRBYFLOAT', 'HSCAN', 'hset'];
const hashArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 8, arbitrary: cmd(caseOf('HSET'), hkey, hpairs) },
  { weight: 2, arbitrary: cmd('HMSET', hkey, hpairs) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('HSET', 'HMSET'), hkey, hpairs, hfield) },
  { weight: 3, arbitrary: cmd('HSETNX', hkey, hfield, hvalue) },
  { weight: 4, arbitrary: cmd(caseOf('HGET'), hkey, hfield) },
  { weight: 2, arbitrary: cmd('HMGET', hkey, hfields(1, 4)) },
  { weight: 3, arbitrary: cmd('HDEL', hkey, hfields(1, 3)) },
  { weight: 6, arbitrary: cmd(fc.constantFrom('HLEN', 'HKEYS', 'HVALS', 'HGETALL', 'hgetall'), hkey) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('HSTRLEN', 'HEXISTS'), hkey, hfield) },
  { weight: 3, arbitrary: cmd('HINCRBY', hkey, hfield, int) },
  { weight: 3, arbitrary: cmd('HINCRBYFLOAT', hkey, hfield, float) },
  { weight: 2, arbitrary: cmd('HRANDFIELD', hkey) },
  { weight: 4, arbitrary: cmd('HRANDFIELD', hkey, hcount, hrandOpts) },
  { weight: 1, arbitrary: cmd('HRANDFIELD', hkey, fc.constantFrom('-4611686018427387904', '-9223372036854775807'), fc.constantFrom(['WITHVALUES'], ['withvalues'])) },
  { weight: 3, arbitrary: cmd('HSCAN', hkey, hcursor, hscanOpts) },
  { weight: 2, arbitrary: cmd('CONFIG', 'SET', hashConfig) },
  { weight: 1, arbitrary: cmd('CONFIG', 'GET', fc.constantFrom('hash-max-*', 'hash-max-ziplist-value', '*listpack*')) },
  // invalid forms: arity errors (HRANDFIELD is left out: a random integer count could be a huge negative one)
  { weight: 1, arbitrary: cmd(fc.constantFrom(...hashNames), fc.array(fc.oneof(key, hfield), { maxLength: 2 })) },
);
// ---- end of the hashes block ---------------------------------------------

// ---- sets: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SRANDMEMBER SPOP SMOVE ------
// ----       SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN ------
/**
 * Set commands over the shared key pool, so WRONGTYPE against strings (and
 * the other types) and sets meeting RENAME, DEL, EXPIRE, SWAPDB and
 * transactions all arise. Members mix integers in string2ll's form (intset)
 * with strings and near-integers ('007', '-0', 2^63) that make a hashtable;
 * a few SADDs of 3..513 integers and CONFIG SET set-max-intset-entries
 * (tracked by the runner) move the conversion point.
 *
 * Random replies: SRANDMEMBER is a read, compared by the runner's rules.
 * SPOP's random forms (no count, or a count below the size) would leave the
 * two servers with different members, so on the shared keys SPOP only takes
 * counts that pop the whole set (or 0, or invalid ones); its random forms run
 * on their own keys (sp:1, sp:2) that hold integers only and are touched by
 * nothing that reads members (SADD, SPOP, SCARD, EXISTS): their sizes and
 * encodings stay equal on both servers while their members may not.
 */
const setMember: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 12 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'x', 'hello') },
  { weight: 1, arbitrary: fc.constantFrom('007', '-0', '+1', ' 1', '', '\x00\xff', '1.5', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '9007199254740993', '100', '-100') },
);
const setMembers = (min: number, max: number): fc.Arbitrary<Arg[]> => fc.array(setMember, { minLength: min, maxLength: max });
const spKey = fc.constantFrom('sp:1', 'sp:2');
/** SPOP counts on the shared keys: 0, the whole set (no set in a sequence reaches 1000), invalid. */
const wholeCount = fc.constantFrom('0', '1000', '9223372036854775807', '-1', '-0', 'abc', '1.5', '9223372036854775808');
/**
 * SRANDMEMBER / SPOP counts. Not -(2^63-1): Redis would build that reply
 * until memory runs out (cachette's bound is tested in set.test.ts).
 */
const randCount = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -6, max: 8 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1000', '-1000', '-9223372036854775808', '9223372036854775807', 'abc', '') },
);
const numkeys = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 5) },
);
const sintercard: fc.Arbitrary<Arg[]> = fc.tuple(numkeys, keys(0, 4), opts([fc.tuple(caseOf('LIMIT'), fc.constantFrom('0', '1', '2', '100', '-1', 'abc')).map((x) => [...x]), tok('LIMIT', 'FOO')], 2))
  .map(([n, ks, o]) => ['SINTERCARD', String(n), ...ks, ...o]);
const sscanOpts = opts([
  fc.tuple(caseOf('MATCH'), fc.constantFrom('*', '1*', '-*', '[a-c]', '?', 'h*', '*1*')).map((x) => [...x]),
  fc.tuple(caseOf('COUNT'), fc.constantFrom('1', '2', '10', '1000', '0', '-1', 'abc')).map((x) => [...x]),
  tok('TYPE', 'FOO', 'MATCH'),
], 3);
const setArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 10, arbitrary: cmd(caseOf('SADD'), key, setMembers(1, 6)) },
  { weight: 1, arbitrary: cmd('SADD', key, fc.constantFrom(3, 5, 510, 511, 512, 513).map((n) => Array.from({ length: n }, (_, i) => String(i - 2)))) },
  { weight: 4, arbitrary: cmd('SREM', key, setMembers(1, 4)) },
  { weight: 2, arbitrary: cmd('SCARD', key) },
  { weight: 2, arbitrary: cmd('SISMEMBER', key, setMember) },
  { weight: 2, arbitrary: cmd('SMISMEMBER', key, setMembers(1, 4)) },
  { weight: 3, arbitrary: cmd('SMEMBERS', key) },
  { weight: 2, arbitrary: cmd('SRANDMEMBER', key, fc.oneof(fc.constant([] as Arg[]), randCount.map((n) => [n]), fc.constant(['1', '2']))) },
  { weight: 2, arbitrary: cmd('SPOP', key, fc.oneof({ weight: 4, arbitrary: wholeCount.map((n) => [n]) }, { weight: 1, arbitrary: fc.constant(['1', '2']) })) },
  { weight: 2, arbitrary: cmd('SADD', spKey, fc.array(fc.integer({ min: 0, max: 15 }).map(String), { minLength: 1, maxLength: 6 })) },
  { weight: 2, arbitrary: cmd('SPOP', spKey, fc.oneof(fc.constant([] as Arg[]), randCount.map((n) => [n]))) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('SCARD', 'EXISTS'), spKey) },
  { weight: 3, arbitrary: cmd('SMOVE', key, key, setMember) },
  { weight: 4, arbitrary: cmd(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), keys(1, 4)) },
  { weight: 2, arbitrary: sintercard },
  { weight: 4, arbitrary: cmd(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, keys(1, 3)) },
  { weight: 3, arbitrary: cmd('SSCAN', key, '0', sscanOpts) },
  { weight: 1, arbitrary: cmd('SSCAN', key, fc.constantFrom('abc', ' 0', '-1x', '18446744073709551616', '')) },
  { weight: 1, arbitrary: cmd('CONFIG', 'SET', 'set-max-intset-entries', fc.constantFrom('512', '512', '3', '1', '0', '-1', 'abc')) },
  { weight: 1, arbitrary: cmd('CONFIG', 'GET', 'set-max-intset-entries') },
  // arity errors and stray arguments (SPOP and SSCAN apart: a random pop on a shared key, a cursor never returned)
  { weight: 2, arbitrary: cmd(fc.constantFrom('SADD', 'SREM', 'SCARD', 'SISMEMBER', 'SMISMEMBER', 'SMEMBERS', 'SRANDMEMBER', 'SMOVE', 'SINTER', 'SINTERCARD', 'SINTERSTORE', 'SUNION', 'SUNIONSTORE', 'SDIFF', 'SDIFFSTORE'), fc.array(fc.oneof(key, setMember), { maxLength: 2 })) },
  { weight: 1, arbitrary: cmd('SPOP', fc.constantFrom([] as Arg[], ['a', '0', 'x'])) },
  { weight: 1, arbitrary: cmd('SSCAN', fc.constantFrom([] as Arg[], ['a'], ['a', '0', 'x'])) },
);
// ---- end of the sets block ---------------------------------------------------
// ---- sorted sets: ZADD ... ZSCAN --------------------------------------------
/**
 * Three key spaces, so that every reply is defined by Redis:
 * - the shared pool (`key`): small sorted sets (members from zMember, at most
 *   64 bytes, so they stay listpacks) beside strings and the other types
 *   (WRONGTYPE, RENAME, expiry); every command runs on them, BYLEX included
 *   (a listpack's answer is a scan, which cachette reproduces even when the
 *   scores differ);
 * - ZBIG (zb1, zb2): skiplists, built by a ZADD of 120..140 members (the
 *   128/129 conversion point) or a 65-byte member, with any scores; every
 *   command but BYLEX, whose answer over a skiplist whose scores differ
 *   depends on Redis's random skiplist levels (documented as unspecified);
 *   STORE commands may write there from any input;
 * - ZLEX (zl1, zl2): every score 0 (ZADD 0/-0, STORE commands from ZLEX
 *   inputs only: weights and aggregates of zeros stay zero), listpacks or
 *   skiplists, BYLEX included.
 * A STORE command writes to its inputs' space (or to ZBIG), so a pool key
 * never becomes a skiplist whose scores differ.
 */
const ZBIG = ['zb1', 'zb2'];
const ZLEX = ['zl1', 'zl2'];
const zbKey = fc.constantFrom(...ZBIG);
const zlKey = fc.constantFrom(...ZLEX);
const zMember = fc.constantFrom('a', 'b', 'c', 'd', 'm1', 'm2', 'm10', '', '\x00', '\xff', 'A', '0', '1', '-1', '10', '1.5', 'nan', 'x'.repeat(64));
const zBigMember = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 150 }).map((i) => `m${i}`) }, { weight: 1, arbitrary: zMember }, { weight: 1, arbitrary: fc.constantFrom('y'.repeat(65), 'w'.repeat(100)) });
const zScore = fc.oneof(
  { weight: 18, arbitrary: fc.constantFrom('0', '1', '2', '-1', '1.5', '-0', '3', '10', '100', '2.5') },
  { weight: 4, arbitrary: fc.constantFrom('inf', '-inf', '+inf', '1e308', '-1e308', '5e-324', '0.1', '0.2', '0.3', '1e17', '123456789012345678', '4611686018427387904', '0x10', '1.1') },
  { weight: 1, arbitrary: fc.constantFrom('abc', 'nan', '', '1e400', ' 1', '(1', '1 ', 'Infinity') },
);
const zBound = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom('-inf', '+inf', 'inf', '(1', '1', '(2', '2', '0', '(0', '-1', '1.5', '(1.5', '(-inf', '(inf', '10', '(10', '3', '(100') },
  { weight: 1, arbitrary: fc.constantFrom('abc', 'nan', '(abc', '', '(', ' 1', '1e400', '(-1e400') },
);
const zLex = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom('-', '+', '[a', '(a', '[b', '(b', '[m1', '(m1', '[', '(', '[\xff', '[c', '(zz', '[m5', '(m50', '[k3') },
  { weight: 1, arbitrary: fc.constantFrom('a', '-x', '+x', '', '{a') },
);
const zInt = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -6, max: 8 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-100', '100', '200', 'abc', '9223372036854775807', '-9223372036854775808', '1.5', '', '+1') },
);
const zCount = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('-1', '-5', '200', 'abc', '9223372036854775807', '0') });
const zKeyP = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c') }, { weight: 1, arbitrary: key });
const zaddOpt = tok('NX', 'XX', 'GT', 'LT', 'CH', 'CH', 'INCR', 'nx', 'ch', 'gt', 'xx', 'lt');
const zaddOpts: fc.Arbitrary<Arg[]> = fc.oneof({ weight: 4, arbitrary: fc.constant([] as Arg[]) }, { weight: 3, arbitrary: zaddOpt }, { weight: 1, arbitrary: fc.tuple(zaddOpt, zaddOpt).map((x) => x.flat()) });
const zPairs = (m: fc.Arbitrary<string>, sc: fc.Arbitrary<string> = zScore): fc.Arbitrary<Arg[]> =>
  fc.array(fc.tuple(sc, m), { minLength: 1, maxLength: 4 }).map((ps) => ps.flat());
const zLimit = fc.tuple(fc.constant('LIMIT'), fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }).map(String) }, { weight: 1, arbitrary: zInt }), fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -1, max: 6 }).map(String) }, { weight: 1, arbitrary: zInt })).map((x) => [...x]);
/** A score range, mostly low end first (reversed for the REV forms), sometimes any two bounds. */
const zLo = fc.constantFrom('-inf', '(-inf', '0', '(0', '1', '(1', '-1', '-5', '1.5');
const zHi = fc.constantFrom('+inf', 'inf', '(inf', '2', '(2', '3', '10', '100', '(100', '2.5');
const zScoreRange = (rev: boolean): fc.Arbitrary<Arg[]> => fc.oneof({ weight: 3, arbitrary: fc.tuple(zLo, zHi) }, { weight: 1, arbitrary: fc.tuple(zBound, zBound) }).map(([a, b]) => (rev ? [b, a] : [a, b]));
const zLexLo = fc.constantFrom('-', '[a', '(a', '[b', '[', '(', '[m1', '[k3', '(k10', '[A');
const zLexHi = fc.constantFrom('+', '[c', '(zz', '[m5', '(m50', '[\xff', '[k8', '(k50', '[d');
const zLexRange = (rev: boolean): fc.Arbitrary<Arg[]> => fc.oneof({ weight: 3, arbitrary: fc.tuple(zLexLo, zLexHi) }, { weight: 1, arbitrary: fc.tuple(zLex, zLex) }).map(([a, b]) => (rev ? [b, a] : [a, b]));
const zWeights = (n: number): fc.Arbitrary<Arg[]> => fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom('1', '2', '0', '-1', '0.5', '3') }, { weight: 1, arbitrary: fc.constantFrom('inf', '-inf', 'nan', 'abc', '-0') }), { minLength: n, maxLength: n }).map((w) => ['WEIGHTS', ...w]);
const zAggregate = fc.tuple(fc.constant('AGGREGATE'), fc.constantFrom('SUM', 'MIN', 'MAX', 'min', 'max', 'avg')).map((x) => [...x]);
/** Options of ZUNION/ZINTER/ZDIFF: mostly valid ones, sometimes a stray or misplaced token. */
const zOpOpts = (n: number): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 6, arbitrary: opts([zWeights(n), zAggregate, tok('WITHSCORES', 'WITHSCORES', 'withscores')], 3) },
  { weight: 1, arbitrary: opts([zWeights(n), zAggregate, tok('WITHSCORES', 'FOO', 'WEIGHTS', 'LIMIT'), fc.tuple(fc.constant('LIMIT'), zCount).map((x) => [...x])], 2) },
);
/** Options of ZDIFF. */
const zDiffOpts = (): fc.Arbitrary<Arg[]> => fc.oneof({ weight: 3, arbitrary: fc.constant([] as Arg[]) }, { weight: 3, arbitrary: tok('WITHSCORES', 'withscores') }, { weight: 1, arbitrary: opts([tok('WITHSCORES', 'FOO', 'AGGREGATE'), zAggregate], 2) });
/** Options of ZINTERCARD. */
const zCardOpts = (): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 3, arbitrary: fc.constant([] as Arg[]) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('LIMIT'), zCount).map((x) => [...x]) },
  { weight: 1, arbitrary: opts([tok('WITHSCORES', 'LIMIT', 'FOO'), fc.tuple(fc.constant('LIMIT'), zCount).map((x) => [...x]), zAggregate], 2) },
);
/** numkeys and that many keys (sometimes a wrong numkeys), then options for that many inputs. */
const zKeysThen = (keyArb: fc.Arbitrary<string>, more: (n: number) => fc.Arbitrary<Arg[]>): fc.Arbitrary<Arg[]> =>
  fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(fc.array(keyArb, { minLength: n, maxLength: n }), more(n), fc.oneof({ weight: 8, arbitrary: fc.constant(String(n)) }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '4', '9223372036854775807') }))
    .map(([ks, rest, nk]) => [nk, ...ks, ...rest]));
/** Any key of the three spaces (inputs of reads). */
const zAnyKey = fc.oneof({ weight: 4, arbitrary: key }, { weight: 2, arbitrary: zbKey }, { weight: 1, arbitrary: zlKey });
/** A bulk ZADD of 120..140 members: a ZBIG skiplist (any scores), or a ZLEX set (score 0). */
const zBulk: fc.Arbitrary<Arg[]> = fc.record({ big: fc.boolean(), n: fc.integer({ min: 120, max: 140 }), mul: fc.integer({ min: 1, max: 40 }), mod: fc.integer({ min: 1, max: 60 }), k: fc.integer({ min: 0, max: 1 }) })
  .map(({ big, n, mul, mod, k }) => {
    const out: Arg[] = ['ZADD', big ? ZBIG[k]! : ZLEX[k]!];
    for (let i = 0; i < n; i++) out.push(big ? String(((i * mul) % mod) - 5) : '0', big ? `m${i}` : `k${(i * 7) % n}`);
    return out;
  });
/** Commands that may run on any space: every key a read only, BYLEX excluded. */
const zReadArgs = (k: fc.Arbitrary<string>, m: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 2, arbitrary: cmd(fc.constantFrom('ZCARD', 'zcard'), k) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('ZSCORE', 'ZRANK', 'ZREVRANK'), k, m) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('ZRANK', 'ZREVRANK'), k, m, fc.constantFrom('WITHSCORE', 'x')) },
  { weight: 2, arbitrary: cmd('ZMSCORE', k, fc.array(m, { minLength: 1, maxLength: 3 })) },
  { weight: 2, arbitrary: cmd('ZCOUNT', k, zScoreRange(false)) },
  { weight: 4, arbitrary: cmd(fc.constantFrom('ZRANGE', 'ZREVRANGE', 'zrange'), k, zInt, zInt, opts([tok('WITHSCORES', 'REV', 'withscores', 'WITHSCORES', 'REV', 'withscores', 'LIMIT'), zLimit], 2)) },
  { weight: 2, arbitrary: cmd('ZRANGE', k, zScoreRange(false), fc.constantFrom('BYSCORE', 'byscore'), opts([tok('WITHSCORES', 'WITHSCORES', 'FOO'), zLimit], 2)) },
  { weight: 2, arbitrary: cmd('ZRANGE', k, zScoreRange(true), fc.constantFrom('BYSCORE', 'byscore'), 'REV', opts([tok('WITHSCORES', 'REV'), zLimit], 2)) },
  { weight: 2, arbitrary: cmd('ZRANGEBYSCORE', k, zScoreRange(false), opts([tok('WITHSCORES', 'WITHSCORES', 'REV', 'BYLEX'), zLimit], 2)) },
  { weight: 2, arbitrary: cmd('ZREVRANGEBYSCORE', k, zScoreRange(true), opts([tok('WITHSCORES', 'WITHSCORES', 'REV'), zLimit], 2)) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), k, fc.oneof(fc.constant([] as Arg[]), zCount.map((x) => [x]), fc.constant(['1', '2']))) },
  { weight: 2, arbitrary: cmd('ZRANDMEMBER', k, fc.oneof(fc.constant([] as Arg[]), zCount.map((x) => [x]), fc.tuple(fc.oneof(zCount, fc.constantFrom('-3', '-200', '300', '-9223372036854775808', '4611686018427387904')), fc.constantFrom('WITHSCORES', 'withscores', 'FOO')).map((x) => [...x]))) },
  { weight: 2, arbitrary: cmd('ZSCAN', k, '0', opts([fc.tuple(fc.constant('MATCH'), fc.constantFrom('*', 'm1*', '[ab]', 'x*', '*0')).map((x) => [...x]), fc.tuple(fc.constant('COUNT'), fc.constantFrom('1', '5', '100', '0', 'abc')).map((x) => [...x]), tok('TYPE', 'FOO')], 2)) },
  { weight: 1, arbitrary: cmd('ZSCAN', k, fc.constantFrom('abc', ' 0', '18446744073709551616', '')) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('ZREMRANGEBYRANK'), k, zInt, zInt) },
  { weight: 2, arbitrary: cmd('ZREMRANGEBYSCORE', k, zScoreRange(false)) },
  { weight: 2, arbitrary: cmd('ZREM', k, fc.array(m, { minLength: 1, maxLength: 3 })) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('ZUNION', 'ZINTER', 'zunion'), zKeysThen(fc.oneof({ weight: 3, arbitrary: k }, { weight: 1, arbitrary: zAnyKey }), zOpOpts)) },
  { weight: 1, arbitrary: cmd('ZDIFF', zKeysThen(fc.oneof({ weight: 3, arbitrary: k }, { weight: 1, arbitrary: zAnyKey }), zDiffOpts)) },
  { weight: 1, arbitrary: cmd('ZINTERCARD', zKeysThen(fc.oneof({ weight: 3, arbitrary: k }, { weight: 1, arbitrary: zAnyKey }), zCardOpts)) },
  { weight: 2, arbitrary: cmd('ZMPOP', zKeysThen(fc.oneof({ weight: 3, arbitrary: k }, { weight: 1, arbitrary: zAnyKey }), () => fc.tuple(fc.constantFrom('MIN', 'MAX', 'min', 'max', 'MIN', 'MAX', 'FOO'), fc.oneof({ weight: 3, arbitrary: fc.constant([] as Arg[]) }, { weight: 3, arbitrary: fc.tuple(fc.constant('COUNT'), zCount).map((x) => [...x]) }, { weight: 1, arbitrary: tok('COUNT', 'FOO') })).map(([w, o]) => [w, ...o]))) },
);
/** BYLEX commands: only on keys whose answer is defined (pool keys: listpacks; ZLEX: equal scores). */
const zLexArgs = (k: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 2, arbitrary: cmd('ZLEXCOUNT', k, zLexRange(false)) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('ZRANGEBYLEX', 'ZREVRANGEBYLEX'), k, fc.oneof(zLexRange(false), zLexRange(true)), fc.oneof({ weight: 6, arbitrary: fc.constant([] as Arg[]) }, { weight: 4, arbitrary: zLimit }, { weight: 1, arbitrary: tok('WITHSCORES') })) },
  { weight: 2, arbitrary: cmd('ZRANGE', k, zLexRange(false), fc.constantFrom('BYLEX', 'bylex'), opts([tok('REV', 'WITHSCORES'), zLimit, zLimit], 1)) },
  { weight: 2, arbitrary: cmd('ZRANGE', k, zLexRange(true), fc.constantFrom('BYLEX', 'bylex'), 'REV', opts([zLimit], 1)) },
  { weight: 1, arbitrary: cmd('ZREMRANGEBYLEX', k, zLexRange(false)) },
);
/** STORE commands into space `dst` from inputs of `src`. */
const zStoreArgs = (dst: fc.Arbitrary<string>, src: fc.Arbitrary<string>, lexOk: boolean): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 2, arbitrary: cmd(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE'), dst, zKeysThen(src, (n) => fc.oneof({ weight: 6, arbitrary: opts([zWeights(n), zAggregate], 2) }, { weight: 1, arbitrary: tok('WITHSCORES', 'FOO') }))) },
  { weight: 1, arbitrary: cmd('ZDIFFSTORE', dst, zKeysThen(src, () => fc.oneof({ weight: 6, arbitrary: fc.constant([] as Arg[]) }, { weight: 1, arbitrary: tok('WITHSCORES', 'WEIGHTS') }))) },
  { weight: 2, arbitrary: cmd('ZRANGESTORE', dst, src, zInt, zInt, fc.oneof({ weight: 6, arbitrary: fc.constant([] as Arg[]) }, { weight: 3, arbitrary: tok('REV') }, { weight: 1, arbitrary: tok('WITHSCORES') }, { weight: 1, arbitrary: zLimit })) },
  { weight: 1, arbitrary: cmd('ZRANGESTORE', dst, src, zScoreRange(false), 'BYSCORE', opts([zLimit, tok('REV')], 1)) },
  { weight: 1, arbitrary: cmd('ZRANGESTORE', dst, src, zScoreRange(true), 'BYSCORE', 'REV', opts([zLimit], 1)) },
  ...(lexOk ? [{ weight: 1, arbitrary: cmd('ZRANGESTORE', dst, src, zLexRange(false), 'BYLEX', opts([tok('REV'), zLimit], 1)) }] : []),
);
/** The shared pool's sorted-set commands on `k` (mostly a, b, c, so that commands meet). */
const zPoolCmds = (k: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 8, arbitrary: cmd(fc.constantFrom('ZADD', 'zadd'), k, zaddOpts, zPairs(zMember)) },
  { weight: 1, arbitrary: cmd('ZADD', k, zaddOpts, fc.array(fc.oneof(zScore, zMember), { maxLength: 3 })) },
  { weight: 2, arbitrary: cmd('ZINCRBY', k, fc.oneof({ weight: 6, arbitrary: zScore }, { weight: 1, arbitrary: fc.constantFrom('NX', 'incr') }), zMember) },
  { weight: 14, arbitrary: zReadArgs(k, zMember) },
  { weight: 5, arbitrary: zLexArgs(k) },
  { weight: 3, arbitrary: zStoreArgs(k, fc.oneof(k, zKeyP), true) },
);
/** ZBIG's commands on `k`: skiplists with any scores. */
const zBigCmds = (k: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 2, arbitrary: cmd('ZADD', k, zaddOpts, zPairs(zBigMember)) },
  { weight: 1, arbitrary: cmd('ZINCRBY', k, zScore, zBigMember) },
  { weight: 8, arbitrary: zReadArgs(k, zBigMember) },
  { weight: 2, arbitrary: zStoreArgs(k, zAnyKey, false) },
);
const zLexMember = fc.oneof(zMember, fc.integer({ min: 0, max: 140 }).map((i) => `k${i}`));
/** ZLEX's commands on `k`: every score 0. */
const zLexCmds = (k: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 2, arbitrary: cmd('ZADD', k, opts([tok('NX', 'XX', 'CH')], 1), zPairs(zLexMember, fc.constantFrom('0', '-0'))) },
  { weight: 4, arbitrary: zReadArgs(k, zLexMember) },
  { weight: 5, arbitrary: zLexArgs(k) },
  { weight: 1, arbitrary: zStoreArgs(k, fc.oneof(k, zlKey), true) },
);
const zsetArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 12, arbitrary: zPoolCmds(zKeyP) },
  { weight: 1, arbitrary: zBulk },
  { weight: 4, arbitrary: zBigCmds(zbKey) },
  { weight: 4, arbitrary: zLexCmds(zlKey) },
  // generic commands on ZBIG and ZLEX keys (a ZLEX key may only move to ZBIG or ZLEX)
  { weight: 2, arbitrary: cmd(fc.constantFrom('OBJECT'), fc.constantFrom('ENCODING', 'REFCOUNT'), fc.oneof(zbKey, zlKey)) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('TYPE', 'EXISTS', 'DEL', 'PERSIST', 'TTL'), fc.oneof(zbKey, zlKey)) },
  { weight: 1, arbitrary: cmd('PEXPIRE', fc.oneof(zbKey, zlKey), rel('ms')) },
  { weight: 1, arbitrary: fc.oneof(cmd(fc.constantFrom('RENAME', 'RENAMENX'), zbKey, zbKey), cmd(fc.constantFrom('RENAME', 'RENAMENX'), zlKey, fc.oneof(zlKey, zbKey))) },
  // wrong arity and unknown forms
  { weight: 1, arbitrary: cmd(fc.constantFrom('ZADD', 'ZINCRBY', 'ZREM', 'ZCARD', 'ZSCORE', 'ZRANGE', 'ZRANGESTORE', 'ZPOPMIN', 'ZMPOP', 'ZUNION', 'ZUNIONSTORE', 'ZINTERCARD', 'ZSCAN', 'ZRANDMEMBER', 'ZLEXCOUNT', 'ZREMRANGEBYLEX'), fc.array(fc.oneof(key, zMember), { maxLength: 2 })) },
);
const zConn = fc.integer({ min: 0, max: CONNECTIONS - 1 });
/**
 * A run of sorted-set commands that meet on one key: a ZADD that builds it
 * (a bulk ZADD for ZBIG and ZLEX), then 2..6 commands on it (sometimes on
 * another key of its space), on one or more connections.
 */
const zsetBlock: fc.Arbitrary<Cmd[]> = fc.oneof(
  { weight: 4, arbitrary: zKeyP.chain((k) => fc.tuple(cmd('ZADD', k, zPairs(zMember, fc.constantFrom('0', '1', '2', '-1', '1.5', '3', '10', 'inf', '-inf', '2.5', '1e17', '-0', '0.1', '123456789012345678'))), fc.array(zPoolCmds(fc.oneof({ weight: 4, arbitrary: fc.constant(k) }, { weight: 1, arbitrary: zKeyP })), { minLength: 2, maxLength: 6 }))) },
  { weight: 2, arbitrary: zbKey.chain((k) => fc.tuple(zBulk.map((a) => ['ZADD', k, ...a.slice(2)]), fc.array(zBigCmds(fc.oneof({ weight: 4, arbitrary: fc.constant(k) }, { weight: 1, arbitrary: zbKey })), { minLength: 2, maxLength: 6 }))) },
  { weight: 2, arbitrary: zlKey.chain((k) => fc.tuple(fc.oneof(zBulk.filter((a) => a[2] === '0').map((a) => ['ZADD', k, ...a.slice(2)]), cmd('ZADD', k, zPairs(zLexMember, fc.constant('0')))), fc.array(zLexCmds(fc.oneof({ weight: 4, arbitrary: fc.constant(k) }, { weight: 1, arbitrary: zlKey })), { minLength: 2, maxLength: 6 }))) },
).chain(([first, rest]) => fc.array(zConn, { minLength: rest.length + 1, maxLength: rest.length + 1 }).map((conns) => [first, ...rest].map((args, i) => ({ conn: conns[0]! === 0 ? conns[i]! : conns[0]!, args }))));
// ---- end of sorted sets ---------------------------------------------------

// ---- lists (issue 18): LPUSH ... LMPOP, and the blocking forms (BZ* too) where they cannot block ----
/**
 * List commands over the shared key pool (so WRONGTYPE with strings and the
 * other types arises), with a small element alphabet (LREM, LPOS and LINSERT
 * find matches), sometimes long lists (several of cachette's 128-slot chunks),
 * indexes near both ends and at the int64 limits.
 *
 * Blocking commands must never block here (the runner waits for each reply),
 * so they appear three ways: with a timeout that fails to parse (the error
 * paths); right after an RPUSH of their key on the same connection (listBlock:
 * the key then holds a list, or another type and they answer WRONGTYPE; under
 * maxmemory 1 the push may be refused or the key evicted, so the timeout is a
 * few ms and both servers answer a null array); and inside MULTI (listTx:
 * EXEC runs them as if their timeout had passed). WAIT asks for 0 replicas,
 * or runs inside MULTI; CLIENT PAUSE only with timeouts that end at once or
 * fail, CLIENT UNBLOCK only for ids that are not blocked.
 */
const elem: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'x', '1', '-1', '', 'hello') },
  { weight: 2, arbitrary: value },
);
const elems = (min: number, max: number): fc.Arbitrary<Arg[]> => fc.array(elem, { minLength: min, maxLength: max });
const longList: fc.Arbitrary<Arg[]> = fc.integer({ min: 100, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 'x' : String(i % 37))));
const lindex: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -8, max: 8 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -400, max: 400 }).map(String) },
  { weight: 1, arbitrary: int },
);
const lside = fc.constantFrom('LEFT', 'RIGHT', 'left', 'Right', 'UP');
const badTimeout = fc.constantFrom('-1', 'abc', '', '1e16', 'inf', '-inf', 'nan', '1e5000', ' 1', '-0.01', '0x', '9223372036854775807');
const shortTimeout = fc.constantFrom('0.005', '0.01', '0.002');
const anyTimeout = fc.constantFrom('0', '0.01', '1', '1.5', '1e6', '-0.0001', '0x10', '9223372036854775.807');
const lposOpts = opts([
  fc.tuple(caseOf('RANK'), fc.oneof(fc.integer({ min: -4, max: 4 }).map(String), fc.constantFrom('-9223372036854775808', '9223372036854775807', 'abc'))).map((x) => [...x]),
  fc.tuple(caseOf('COUNT'), fc.oneof(fc.integer({ min: -1, max: 4 }).map(String), fc.constantFrom('abc', '9223372036854775807'))).map((x) => [...x]),
  fc.tuple(caseOf('MAXLEN'), fc.oneof(fc.integer({ min: -1, max: 12 }).map(String), fc.constantFrom('abc'))).map((x) => [...x]),
  tok('RANK', 'FOO'),
], 3);
/** numkeys and keys for LMPOP/BLMPOP: usually consistent, sometimes not. */
const mpopKeys: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 5, arbitrary: keys(1, 3).map((ks) => [String(ks.length), ...ks]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('0', '-1', 'abc', '5', '9223372036854775807'), keys(0, 2)).map(([n, ks]) => [n, ...ks]) },
);
const mpopCount = opts([fc.tuple(caseOf('COUNT'), fc.oneof(fc.integer({ min: -1, max: 5 }).map(String), fc.constantFrom('abc', '9223372036854775807'))).map((x) => [...x]), tok('COUNT', 'FOO')], 2);
const listArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 6, arbitrary: cmd(fc.constantFrom('LPUSH', 'RPUSH', 'lpush'), key, elems(1, 5)) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('LPUSHX', 'RPUSHX'), key, elems(1, 3)) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('RPUSH', 'LPUSH'), key, longList) },
  { weight: 4, arbitrary: cmd(fc.constantFrom('LPOP', 'RPOP'), key, fc.oneof(fc.constant([] as Arg[]), fc.oneof(fc.integer({ min: -1, max: 6 }).map(String), fc.constantFrom('abc', '9223372036854775807')).map((n) => [n]), fc.constant(['1', '2']))) },
  { weight: 2, arbitrary: cmd('LLEN', key) },
  { weight: 3, arbitrary: cmd('LINDEX', key, lindex) },
  { weight: 2, arbitrary: cmd('LSET', key, lindex, elem) },
  { weight: 3, arbitrary: cmd('LINSERT', key, fc.constantFrom('BEFORE', 'AFTER', 'after', 'MIDDLE'), elem, elem) },
  { weight: 4, arbitrary: cmd('LRANGE', key, lindex, lindex) },
  { weight: 2, arbitrary: cmd('LTRIM', key, lindex, lindex) },
  { weight: 3, arbitrary: cmd('LREM', key, fc.oneof(fc.integer({ min: -3, max: 3 }).map(String), int), elem) },
  { weight: 3, arbitrary: cmd('LPOS', key, elem, lposOpts) },
  { weight: 2, arbitrary: cmd('RPOPLPUSH', key, key) },
  { weight: 3, arbitrary: cmd('LMOVE', key, key, lside, lside) },
  { weight: 3, arbitrary: cmd('LMPOP', mpopKeys, lside, mpopCount) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('BLPOP', 'BRPOP'), keys(1, 3), badTimeout) },
  { weight: 1, arbitrary: cmd('BLMOVE', key, key, lside, lside, badTimeout) },
  { weight: 1, arbitrary: cmd('BRPOPLPUSH', key, key, badTimeout) },
  { weight: 1, arbitrary: cmd('BLMPOP', badTimeout, mpopKeys, lside, mpopCount) },
  { weight: 1, arbitrary: cmd('BLMPOP', anyTimeout, fc.constantFrom('0', 'abc', '-1'), key, lside) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), keys(1, 3), badTimeout) },
  { weight: 1, arbitrary: cmd('BZMPOP', badTimeout, mpopKeys, fc.constantFrom('MIN', 'max', 'LEFT'), mpopCount) },
  { weight: 1, arbitrary: cmd('WAIT', fc.constantFrom('0', '-1', 'abc'), fc.constantFrom('0', '1', '-1', 'abc', '1.5')) },
  { weight: 1, arbitrary: cmd('CLIENT', fc.constantFrom(['UNBLOCK', '999999'], ['UNBLOCK', 'abc'], ['UNBLOCK', '1', 'FOO'], ['UNBLOCK', '999999', 'error'], ['UNBLOCK', '1', 'TIMEOUT'], ['UNBLOCK'], ['PAUSE', '0'], ['PAUSE', '-1'], ['PAUSE', 'abc'], ['PAUSE', '0', 'WRITE'], ['PAUSE', '0', 'FOO'], ['PAUSE', '0', 'all'], ['UNPAUSE'], ['UNPAUSE', 'x'])) },
);
/** A blocking command on a key an RPUSH on the same connection just filled (see above). */
const listBlock: fc.Arbitrary<Cmd[]> = fc.record({
  conn: fc.integer({ min: 0, max: CONNECTIONS - 1 }),
  k: key,
  dst: key,
  before: keys(0, 2),
  push: elems(1, 3),
  which: fc.constantFrom('BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP'),
  from: lside.filter((s) => s !== 'UP'),
  to: lside.filter((s) => s !== 'UP'),
  timeout: shortTimeout,
  count: mpopCount,
}).map(({ conn, k, dst, before, push, which, from, to, timeout, count }) => {
  let args: Arg[];
  if (which === 'BLPOP' || which === 'BRPOP') args = [which, ...before, k, timeout];
  else if (which === 'BLMOVE') args = [which, k, dst, from, to, timeout];
  else if (which === 'BRPOPLPUSH') args = [which, k, dst, timeout];
  else if (which === 'BZPOPMIN' || which === 'BZPOPMAX') args = [which, ...before, k, timeout];
  else if (which === 'BZMPOP') args = [which, timeout, String(before.length + 1), ...before, k, from === 'LEFT' ? 'MIN' : 'MAX', ...count];
  else args = [which, timeout, String(before.length + 1), ...before, k, from, ...count];
  // The BZ forms get a sorted set (ZADD k 1 e ...), the others a list.
  const fill: Arg[] = which.startsWith('BZ') ? ['ZADD', k, ...push.flatMap((e, i) => [String(i), e])] : ['RPUSH', k, ...push];
  return [{ conn, args: fill }, { conn, args }];
});
/** MULTI, list commands and blocking commands with any timeout, EXEC: none of them blocks. */
const listTx: fc.Arbitrary<Cmd[]> = fc.record({
  conn: fc.integer({ min: 0, max: CONNECTIONS - 1 }),
  body: fc.array(fc.oneof(
    { weight: 3, arbitrary: listArgs },
    { weight: 2, arbitrary: cmd(fc.constantFrom('BLPOP', 'BRPOP'), keys(1, 3), anyTimeout) },
    { weight: 1, arbitrary: cmd('BLMOVE', key, key, lside, lside, anyTimeout) },
    { weight: 1, arbitrary: cmd('BRPOPLPUSH', key, key, anyTimeout) },
    { weight: 1, arbitrary: cmd('BLMPOP', anyTimeout, mpopKeys, lside, mpopCount) },
    { weight: 1, arbitrary: cmd(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), keys(1, 3), anyTimeout) },
    { weight: 1, arbitrary: cmd('BZMPOP', anyTimeout, mpopKeys, fc.constantFrom('MIN', 'MAX'), mpopCount) },
    { weight: 1, arbitrary: cmd('WAIT', fc.constantFrom('1', '5'), fc.constantFrom('0', '100')) },
  ), { minLength: 1, maxLength: 6 }),
}).map(({ conn, body }) => [{ conn, args: ['MULTI'] }, ...body.map((args) => ({ conn, args })), { conn, args: ['EXEC'] }]);
// ---- end of lists ------------------------------------------------------------------


// ---- streams --------------------------------------------------------------------
/**
 * Streams: every command with IDs given explicitly (never `XADD *`, whose ID
 * is each server's clock; `<ms>-*` is deterministic), mostly on two stream
 * keys of their own (x1, x2) and sometimes on the shared pool (WRONGTYPE),
 * with consumer groups g1/g2 and consumers c1..c3 so PELs are shared, moved
 * and acknowledged. Idle filters are 0, negative or an hour and more, and
 * XCLAIM's IDLE sets idle times of days, so which entries pass never depends
 * on the millisecond a server ran in; idle and delivery-time values in
 * replies are masked by the runner (XPENDING's extended form, XINFO CONSUMERS,
 * XINFO STREAM FULL). Node limits are changed now and then
 * (stream-node-max-entries/bytes) so `~` trimming and XINFO's radix-tree
 * counts meet several layouts. BLOCK forms run inside MULTI (never block).
 */
const U64S = '18446744073709551615';
const xkey: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('x1', 'x2') }, { weight: 1, arbitrary: key });
const xms = fc.integer({ min: 0, max: 40 });
const xid: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(xms, fc.integer({ min: 0, max: 3 })).map(([m, q]) => `${m}-${q}`) },
  { weight: 2, arbitrary: xms.map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0-0', '0', '-', '+', 'abc', '', `${U64S}-${U64S}`, U64S, '18446744073709551616', `1-${U64S}`, ' 5', '+5', '05-1', '-1', '5-', '5-x', '5-*') },
);
const xaddId: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: xid }, { weight: 3, arbitrary: xms.map((m) => `${m}-*`) }, { weight: 1, arbitrary: fc.constantFrom('0-*', `${U64S}-*`, '*-1') });
const xrangeId: fc.Arbitrary<string> = fc.oneof({ weight: 5, arbitrary: xid }, { weight: 2, arbitrary: xid.map((i) => `(${i}`) }, { weight: 2, arbitrary: fc.constantFrom('-', '+', '(') });
const xids = (min: number, max: number): fc.Arbitrary<Arg[]> => fc.array(xid, { minLength: min, maxLength: max });
const xfield = fc.constantFrom('f', 'g', 'name', '', '1', 'x'.repeat(70));
const xfields: fc.Arbitrary<Arg[]> = fc.array(fc.tuple(xfield, value), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());
const xcount: fc.Arbitrary<string> = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -1, max: 6 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('abc', '9223372036854775807', '') });
const xgroup = fc.constantFrom('g1', 'g2', 'g1', 'nog');
const xconsumer = fc.constantFrom('c1', 'c2', 'c3');
const xtrim: fc.Arbitrary<Arg[]> = fc.tuple(
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom('MAXLEN', 'maxlen'), fc.constantFrom<Arg[]>([], ['~'], ['=']), fc.oneof(fc.integer({ min: 0, max: 12 }).map(String), fc.constantFrom('-1', 'abc', '~'))).map(([a, b, c]) => [a, ...b, c]) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('MINID', 'minid'), fc.constantFrom<Arg[]>([], ['~'], ['=']), xid).map(([a, b, c]) => [a, ...b, c]) },
    { weight: 1, arbitrary: fc.constant<Arg[]>([]) },
  ),
  fc.oneof({ weight: 4, arbitrary: fc.constant<Arg[]>([]) }, { weight: 1, arbitrary: fc.constantFrom('0', '1', '3', '-1', 'abc').map((n) => ['LIMIT', n]) }),
).map(([a, b]) => [...a, ...b]);
const xreadIds = (n: number, dollar: boolean): fc.Arbitrary<Arg[]> => fc.array(fc.oneof({ weight: 4, arbitrary: xid }, { weight: dollar ? 2 : 0, arbitrary: fc.constant('$') }, { weight: dollar ? 0 : 4, arbitrary: fc.constant('>') }, { weight: 1, arbitrary: fc.constantFrom('$', '>') }), { minLength: n, maxLength: n });
const xstreams = (dollar: boolean): fc.Arbitrary<Arg[]> => fc.oneof(
  { weight: 8, arbitrary: fc.array(xkey, { minLength: 1, maxLength: 2 }).chain((ks) => xreadIds(ks.length, dollar).map((ids) => ['STREAMS', ...ks, ...ids])) },
  { weight: 1, arbitrary: fc.constantFrom<Arg[]>(['STREAMS', 'x1'], ['STREAMS'], ['STREAMS', 'x1', 'x2', '0']) },
);
const xminIdle = fc.constantFrom('0', '0', '-5', '3600000000', 'abc');
const xclaimOpts = opts([
  tok('FORCE', 'JUSTID', 'justid', 'BOGUS'),
  fc.tuple(fc.constant('IDLE'), fc.constantFrom('0', '5000000000', '-1', 'abc')).map((x) => [...x]),
  fc.tuple(fc.constant('TIME'), fc.constantFrom('1', '0', '4102444800000', 'abc')).map((x) => [...x]),
  fc.tuple(fc.constant('RETRYCOUNT'), fc.constantFrom('0', '5', '-1', 'abc')).map((x) => [...x]),
  fc.tuple(fc.constant('LASTID'), xid).map((x) => [...x]),
], 3);
const xstreamArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 14, arbitrary: cmd(caseOf('XADD'), xkey, fc.constantFrom<Arg[]>([], [], [], ['NOMKSTREAM']), xtrim, xaddId, xfields) },
  { weight: 1, arbitrary: cmd('XADD', xkey, xaddId, fc.constantFrom<Arg[]>([], ['f'], ['f', 'v', 'g'])) },
  { weight: 5, arbitrary: cmd(fc.constantFrom('XRANGE', 'XREVRANGE', 'xrange'), xkey, xrangeId, xrangeId, fc.oneof({ weight: 3, arbitrary: fc.constant<Arg[]>([]) }, { weight: 2, arbitrary: xcount.map((n) => ['COUNT', n]) }, { weight: 1, arbitrary: fc.constantFrom<Arg[]>(['COUNT'], ['FOO', '1']) })) },
  { weight: 3, arbitrary: cmd('XLEN', xkey) },
  { weight: 3, arbitrary: cmd('XDEL', xkey, xids(1, 3)) },
  { weight: 3, arbitrary: cmd('XTRIM', xkey, xtrim) },
  { weight: 4, arbitrary: cmd('XREAD', fc.oneof(fc.constant<Arg[]>([]), xcount.map((n) => ['COUNT', n]), fc.constantFrom<Arg[]>(['NOACK'], ['GROUP', 'g1', 'c1'], ['FOO'], ['BLOCK', 'abc'], ['BLOCK', '-1'])), xstreams(true)) },
  { weight: 4, arbitrary: cmd('XGROUP', fc.constantFrom('CREATE', 'create'), xkey, xgroup, fc.oneof(xid, fc.constant('$')), opts([tok('MKSTREAM', 'BOGUS'), fc.constantFrom('-1', '0', '2', '-2', 'abc').map((n) => ['ENTRIESREAD', n])], 2)) },
  { weight: 2, arbitrary: cmd('XGROUP', 'SETID', xkey, xgroup, fc.oneof(xid, fc.constant('$')), opts([fc.constantFrom('-1', '0', '3', 'abc').map((n) => ['ENTRIESREAD', n]), tok('MKSTREAM')], 1)) },
  { weight: 1, arbitrary: cmd('XGROUP', 'DESTROY', xkey, xgroup) },
  { weight: 2, arbitrary: cmd('XGROUP', fc.constantFrom('CREATECONSUMER', 'DELCONSUMER'), xkey, xgroup, xconsumer) },
  { weight: 1, arbitrary: cmd('XGROUP', fc.constantFrom<Arg[]>(['HELP'], ['FOO', 'x1', 'g1'], ['CREATE', 'x1'], ['SETID', 'x1', 'g1', '0', 'ENTRIESREAD'], ['DESTROY', 'x1', 'g1', 'x'])) },
  { weight: 7, arbitrary: cmd('XREADGROUP', fc.constant('GROUP'), xgroup, xconsumer, opts([xcount.map((n) => ['COUNT', n]), tok('NOACK')], 2), xstreams(false)) },
  { weight: 1, arbitrary: cmd('XREADGROUP', fc.constantFrom<Arg[]>(['STREAMS', 'x1', '>'], ['GROUP', 'g1', 'c1', 'STREAMS', 'x1', '$'], ['GROUP', 'g1'], ['GROUP', 'g1', 'c1', 'BLOCK', 'x', 'STREAMS', 'x1', '>'])) },
  { weight: 4, arbitrary: cmd('XACK', xkey, xgroup, xids(1, 3)) },
  { weight: 3, arbitrary: cmd('XPENDING', xkey, xgroup) },
  { weight: 3, arbitrary: cmd('XPENDING', xkey, xgroup, fc.oneof({ weight: 3, arbitrary: fc.constant<Arg[]>([]) }, { weight: 1, arbitrary: xminIdle.map((n) => ['IDLE', n]) }), xrangeId, xrangeId, xcount, fc.oneof(fc.constant<Arg[]>([]), xconsumer.map((c) => [c]))) },
  { weight: 1, arbitrary: cmd('XPENDING', xkey, xgroup, fc.constantFrom<Arg[]>(['-'], ['-', '+'], ['IDLE', '0', '-', '+'], ['-', '+', '1', 'c1', 'x'])) },
  { weight: 4, arbitrary: cmd('XCLAIM', xkey, xgroup, xconsumer, xminIdle, xids(1, 3), xclaimOpts) },
  { weight: 3, arbitrary: cmd('XAUTOCLAIM', xkey, xgroup, xconsumer, xminIdle, xrangeId, opts([fc.constantFrom('1', '2', '0', '-1', 'abc', '100').map((n) => ['COUNT', n]), tok('JUSTID', 'FOO')], 2)) },
  { weight: 3, arbitrary: cmd('XINFO', fc.constantFrom('STREAM', 'stream'), xkey, fc.constantFrom<Arg[]>([], [], ['FULL'], ['FULL', 'COUNT', '2'], ['FULL', 'COUNT', '0'], ['FULL', 'COUNT', '-1'], ['FULL', 'COUNT', 'x'], ['FOO'], ['FULL', 'FOO', '1'])) },
  { weight: 2, arbitrary: cmd('XINFO', 'GROUPS', xkey) },
  { weight: 1, arbitrary: cmd('XINFO', 'CONSUMERS', xkey, xgroup) },
  { weight: 1, arbitrary: cmd('XINFO', fc.constantFrom<Arg[]>(['HELP'], ['FOO', 'x1'], ['GROUPS'], ['HELP', 'x'])) },
  { weight: 2, arbitrary: cmd('XSETID', xkey, xid, opts([fc.constantFrom('0', '3', '100', '-1', 'abc').map((n) => ['ENTRIESADDED', n]), xid.map((i) => ['MAXDELETEDID', i]), tok('FOO')], 2)) },
  { weight: 1, arbitrary: cmd('CONFIG', 'SET', fc.constantFrom<Arg[]>(['stream-node-max-entries', '2'], ['stream-node-max-entries', '3'], ['stream-node-max-entries', '100'], ['stream-node-max-entries', '0'], ['stream-node-max-bytes', '60'], ['stream-node-max-bytes', '0'], ['stream-node-max-bytes', '4096'])) },
);
/** MULTI, stream commands and XREAD/XREADGROUP BLOCK with any timeout, EXEC: nothing blocks. */
const streamTx: fc.Arbitrary<Cmd[]> = fc.record({
  conn: fc.integer({ min: 0, max: CONNECTIONS - 1 }),
  body: fc.array(fc.oneof(
    { weight: 3, arbitrary: xstreamArgs },
    { weight: 2, arbitrary: cmd('XREAD', fc.oneof(fc.constant<Arg[]>([]), xcount.map((n) => ['COUNT', n])), 'BLOCK', fc.constantFrom('0', '100'), xstreams(true)) },
    { weight: 2, arbitrary: cmd('XREADGROUP', 'GROUP', xgroup, xconsumer, 'BLOCK', fc.constantFrom('0', '100'), opts([tok('NOACK')], 1), xstreams(false)) },
  ), { minLength: 1, maxLength: 6 }),
}).map(({ conn, body }) => [{ conn, args: ['MULTI'] }, ...body.map((args) => ({ conn, args })), { conn, args: ['EXEC'] }]);
/** A burst of entries and a group read on one stream, so ranges, trims and PELs have something to work on. */
const streamFill: fc.Arbitrary<Cmd[]> = fc.record({
  conn: fc.integer({ min: 0, max: CONNECTIONS - 1 }),
  k: fc.constantFrom('x1', 'x2'),
  from: fc.integer({ min: 0, max: 30 }),
  n: fc.integer({ min: 1, max: 12 }),
  group: fc.constantFrom('g1', 'g2'),
  consumer: xconsumer,
}).map(({ conn, k, from, n, group, consumer }) => {
  const out: Cmd[] = [];
  for (let i = 0; i < n; i++) out.push({ conn, args: ['XADD', k, `${from + i}-*`, 'f', String(i), ...(i % 3 === 0 ? ['g', 'x'] : [])] });
  out.push({ conn, args: ['XGROUP', 'CREATE', k, group, '0'] });
  out.push({ conn, args: ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(1 + (n >> 1)), 'STREAMS', k, '>'] });
  return out;
});
// ---- end of streams ------------------------------------------------------------

const commandNames = ['GET', 'SET', 'MGET', 'INCR', 'EXPIRE', 'TTL', 'DEL', 'OBJECT', 'CONFIG', 'CLIENT', 'HELLO', 'PING', 'ECHO', 'SELECT', 'KEYS', 'RENAME', 'GETEX', 'SETRANGE', 'GETRANGE', 'MEMORY', 'NOSUCHCMD', 'get'];

/** One command's arguments. */
// ---- SORT / SORT_RO -----------------------------------------------------------
/**
 * SORT over its own source keys (sortKey below; its STORE writes a list into the
 * shared pool), in two families. Deterministic ones, compared exactly: numeric
 * order (ties broken by the element's bytes), with or without BY `w*` weights,
 * DESC, LIMIT, GET `#`/keys/hash fields, and STORE. Ones whose order Redis
 * leaves to its hash layout (a constant BY, ALPHA: ties between C strings that
 * differ only after a NUL), compared as multisets by the runner, and never
 * with LIMIT or STORE (which would pick or store that order).
 */
/**
 * SORT's sources: keys whose sorted sets are skiplists already (zb*) or have
 * equal scores (zl*), and SPOP's sets (sp:*), besides a missing key. Not the
 * shared pool: SORT converts a small sorted set to a skiplist for good, and
 * BYLEX over a skiplist of unequal scores is undefined in Redis (random levels).
 */
const sortKey = fc.constantFrom('zb1', 'zb2', 'zl1', 'zl2', 'sp:1', 'sp:2', 'nokey');
const sortGet = fc.array(fc.constantFrom('#', 'a', 'w*', 'h*->f', '*->v', 'nostar'), { maxLength: 2 }).map((gs) => gs.flatMap((g) => ['GET', g]));
const sortArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 3, arbitrary: cmd(fc.constantFrom('SORT', 'SORT_RO', 'sort'), sortKey, opts([fc.constant(['BY', 'w*']), tok('DESC', 'ASC'), fc.tuple(fc.constant('LIMIT'), fc.constantFrom('0', '1', '-1', '2', '100'), fc.constantFrom('0', '1', '-1', '3', '100')).map((x) => [...x])], 3), sortGet) },
  { weight: 2, arbitrary: cmd('SORT', sortKey, opts([fc.constant(['BY', 'w*']), tok('DESC')], 2), sortGet, fc.constant('STORE'), key) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('SORT', 'SORT_RO'), sortKey, fc.constantFrom(['ALPHA'], ['BY', 'nosort'], ['BY', 'nosort', 'DESC'], ['ALPHA', 'DESC'], ['BY', 'w*', 'ALPHA']), sortGet) },
  { weight: 1, arbitrary: cmd(fc.constantFrom('SORT', 'SORT_RO'), sortKey, fc.constantFrom(['LIMIT', 'x', '1'], ['LIMIT', '1'], ['FOO'], ['STORE'], ['BY'], ['GET'], ['STORE', 'a'])) },
);
// ---- end of SORT -----------------------------------------------------------------

// ---- scripting (issue 19) --------------------------------------------------------
/**
 * EVAL with a small generated script grammar: redis.call / redis.pcall of string and type
 * commands with random arguments (literal strings, numbers, KEYS/ARGV), pcall around a call,
 * type() of a reply, constant values of every Lua type, and the results returned alone or as
 * a table. Commands whose reply order follows a hash layout (HGETALL, SMEMBERS...) and
 * time-dependent ones (TTL) are left out: inside EVAL's reply the runner cannot reorder them.
 * Plus EVALSHA of a loaded script and SCRIPT EXISTS/LOAD.
 */
const luaStr = (s: string): string => "'" + [...s].map((ch) => {
  const c = ch.charCodeAt(0);
  return c >= 32 && c < 127 && ch !== "'" && ch !== '\\' ? ch : '\\' + String(c).padStart(3, '0');
}).join('') + "'";
const luaArg: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: key.map(luaStr) },
  { weight: 3, arbitrary: value.map(luaStr) },
  { weight: 2, arbitrary: fc.constantFrom('KEYS[1]', 'ARGV[1]', '1', '2.5', '-3', '1e3', '10/4', '3/1', '2^53', '0.1') },
  // Lua 5.1 numbers: every literal a double (numlit.ts).
  { weight: 1, arbitrary: fc.constantFrom('100000000000000', '0xff', '0xffffffffffffffff', '9223372036854775807 + 1', '-0', "'10' * '3'", "tonumber('0x10')", 'math.floor(1e15)') },
);
const luaCmd = fc.constantFrom('get', 'set', 'incr', 'incrby', 'append', 'strlen', 'del', 'exists', 'type', 'lpush', 'rpop', 'lrange', 'llen',
  'hset', 'hget', 'hlen', 'sadd', 'scard', 'sismember', 'zadd', 'zscore', 'zrange', 'mget', 'getrange', 'setrange', 'incrbyfloat', 'getset', 'nosuch');
const luaCall = fc.tuple(luaCmd, fc.array(luaArg, { maxLength: 3 })).map(([name, args]) => `redis.call(${[luaStr(name), ...args].join(', ')})`);
const luaExpr: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: luaCall },
  { weight: 3, arbitrary: luaCall.map((c) => c.replace('redis.call(', 'redis.pcall(')) },
  { weight: 2, arbitrary: luaCall.map((c) => `select(2, pcall(function() return ${c} end))`) },
  { weight: 1, arbitrary: luaCall.map((c) => `type(${c})`) },
  { weight: 2, arbitrary: fc.constantFrom('1', '3.7', '-2.5', "'x'", 'nil', 'true', 'false', '{}', "{ok='fine'}", "{err='MY err'}", '{1, 2, nil, 3}',
    'KEYS[1]', 'ARGV[1]', '#KEYS', "redis.status_reply('s')", "redis.error_reply('E x')", '1/3', "'a' .. 1.5", "tostring(10/2)",
    'tostring(100000000000000)', "100000000000000 .. ''", 'tostring(1 % 0)', 'tostring(0x7fffffffffffffff)', "cjson.encode({-0, 2^53 + 1})",
    "string.format('%d %s %x', 1e15, 2^63, 2^63)", "tostring(tonumber('1e14'))", "'7' % '0'") },
);
const luaScript: fc.Arbitrary<string> = fc.tuple(fc.array(luaExpr, { minLength: 1, maxLength: 4 }), fc.constantFrom('table', 'last', 'none'))
  .map(([es, ret]) => {
    const locals = es.map((e, i) => `local r${i + 1} = ${e}`).join(' ');
    const names = es.map((_, i) => `r${i + 1}`);
    if (ret === 'table') return `${locals} return {${names.join(', ')}}`;
    if (ret === 'last') return `${locals} return ${names[names.length - 1]}`;
    return locals;
  });
const LOADED = "return {redis.call('get', KEYS[1]), ARGV[1]}";
const scriptingArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(luaScript, key, value).map(([s, k, v]) => ['EVAL', s, '1', k, v] as Arg[]) },
  { weight: 1, arbitrary: fc.tuple(luaScript, key, value).map(([s, k, v]) => ['EVAL_RO', s, '1', k, v] as Arg[]) },
  { weight: 1, arbitrary: fc.tuple(luaScript).map(([s]) => ['EVAL', s, '0'] as Arg[]) },
  { weight: 1, arbitrary: cmd('SCRIPT', 'LOAD', fc.constant(LOADED)) },
  { weight: 2, arbitrary: cmd(fc.constantFrom('EVALSHA', 'EVALSHA_RO'), fc.constant(createHash('sha1').update(LOADED).digest('hex')), fc.constantFrom('1', '0', '2', '-1'), key, value) },
  { weight: 1, arbitrary: cmd('SCRIPT', 'EXISTS', fc.constant(createHash('sha1').update(LOADED).digest('hex')), fc.constantFrom('nope', 'ffffffffffffffffffffffffffffffffffffffff')) },
  { weight: 1, arbitrary: cmd('EVAL', fc.constantFrom('return +', 'x = 1', "error('boom')", "error({err='E t'})", 'return undefined_var', "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], '1')", "#!lua\nreturn redis.call('get', KEYS[1])"), fc.constantFrom('1', '0', '2', 'x'), key) },
);
// ---- end of scripting ---------------------------------------------------------------

export const commandArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  // scripting (the block above)
  { weight: 6, arbitrary: scriptingArgs },
  // strings
  { weight: 8, arbitrary: cmd(caseOf('GET'), key) },
  { weight: 8, arbitrary: cmd(caseOf('SET'), key, value, setOpts) },
  { weight: 2, arbitrary: cmd('SETNX', key, value) },
  { weight: 2, arbitrary: cmd('SETEX', key, rel('s'), value) },
  { weight: 2, arbitrary: cmd('PSETEX', key, rel('ms'), value) },
  { weight: 2, arbitrary: cmd('GETSET', key, value) },
  { weight: 3, arbitrary: cmd('GETEX', key, getexOpts) },
  { weight: 2, arbitrary: cmd('GETDEL', key) },
  { weight: 3, arbitrary: cmd('MGET', keys(1, 4)) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('MSET', 'MSETNX'), pairs, fc.oneof(fc.constant([] as Arg[]), key.map((k) => [k]))) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('INCR', 'DECR'), key) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('INCRBY', 'DECRBY'), key, int) },
  { weight: 3, arbitrary: cmd('INCRBYFLOAT', key, float) },
  { weight: 3, arbitrary: cmd('APPEND', key, value) },
  { weight: 2, arbitrary: cmd('STRLEN', key) },
  { weight: 3, arbitrary: cmd(fc.constantFrom('GETRANGE', 'SUBSTR'), key, int, int) },
  { weight: 3, arbitrary: cmd('SETRANGE', key, fc.oneof(fc.integer({ min: 0, max: 12 }).map(String), int, fc.constant('536870912')), value) },
  // keys and expiry
  { weight: 3, arbitrary: cmd(fc.constantFrom('DEL', 'UNLINK', 'EXISTS', 'TOUCH'), keys(1, 4)) },
  { weight: 2, arbitrary: cmd('TYPE', key) },
  { weight: 2, arbitrary: cmd('KEYS', pattern) },
  { weight: 2, arbitrary: cmd('SCAN', '0', opts([fc.tuple(fc.constant('MATCH'), pattern).map((x) => [...x]), fc.tuple(fc.constant('COUNT'), fc.constantFrom('1', '3', '10', '1000', '0', '-1', 'abc')).map((x) => [...x]), fc.tuple(fc.constant('TYPE'), fc.constantFrom('string', 'STRING', 'list', 'none')).map((x) => [...x]), tok('FOO', 'MATCH')], 3)) },
  { weight: 1, arbitrary: cmd('SCAN', fc.constantFrom('abc', ' 0', '18446744073709551616', '0x1')) },
  { weight: 1, arbitrary: cmd('RANDOMKEY') },
  { weight: 3, arbitrary: cmd(fc.constantFrom('RENAME', 'RENAMENX'), key, key) },
  { weight: 2, arbitrary: cmd('DBSIZE') },
  { weight: 1, arbitrary: cmd('FLUSHDB', fc.oneof(fc.constant([] as Arg[]), tok('ASYNC', 'SYNC', 'sync', 'FOO'))) },
  { weight: 4, arbitrary: cmd('EXPIRE', key, rel('s'), expireOpts) },
  { weight: 3, arbitrary: cmd('PEXPIRE', key, rel('ms'), expireOpts) },
  { weight: 3, arbitrary: cmd('EXPIREAT', key, absS, expireOpts) },
  { weight: 3, arbitrary: cmd('PEXPIREAT', key, absMs, expireOpts) },
  { weight: 4, arbitrary: cmd(fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'PERSIST'), key) },
  { weight: 3, arbitrary: cmd('OBJECT', fc.constantFrom('ENCODING', 'encoding', 'REFCOUNT', 'IDLETIME', 'FREQ', 'NOSUCH'), key) },
  { weight: 1, arbitrary: cmd('OBJECT', fc.constantFrom('HELP', 'ENCODING')) },
  { weight: 1, arbitrary: cmd('MEMORY', 'USAGE', key, opts([fc.tuple(fc.constant('SAMPLES'), int).map((x) => [...x]), tok('FOO')], 1)) },
  // connection
  { weight: 2, arbitrary: cmd('PING', fc.oneof(fc.constant([] as Arg[]), value.map((v) => [v]), fc.tuple(value, value).map((x) => [...x]))) },
  { weight: 1, arbitrary: cmd('ECHO', value) },
  { weight: 3, arbitrary: cmd('SELECT', fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('15', '16', '-1', 'abc', '99999999999') })) },
  { weight: 1, arbitrary: cmd('HELLO', fc.oneof(fc.constant([] as Arg[]), fc.constantFrom('2', '3', '4', 'abc').map((v) => [v]), fc.tuple(fc.constantFrom('2', '3'), fc.constantFrom('SETNAME', 'setname'), fc.constantFrom('app', 'a b', '')).map((x) => [...x]), fc.tuple(fc.constantFrom('2', '3'), fc.constant('AUTH'), fc.constantFrom('default', 'bob'), fc.constant('pw')).map((x) => [...x]), fc.tuple(fc.constant('3'), fc.constant('FOO')).map((x) => [...x]))) },
  { weight: 1, arbitrary: cmd('AUTH', fc.oneof(fc.constant(['pw']), fc.constant(['default', 'pw']), fc.constant(['bob', 'pw']), fc.constant(['a', 'b', 'c']))) },
  { weight: 2, arbitrary: cmd('CLIENT', fc.oneof(fc.constant(['GETNAME']), fc.constantFrom('app', 'x-1', 'a b', '').map((n) => ['SETNAME', n]), fc.constant(['ID']), fc.constant(['INFO']), fc.constant(['LIST']), fc.constantFrom(['LIST', 'TYPE', 'normal'], ['LIST', 'TYPE', 'pubsub'], ['LIST', 'TYPE', 'foo'], ['LIST', 'ID', 'abc'], ['LIST', 'ID', '999999'], ['KILL', 'ID', '999999'], ['KILL', 'ID', 'abc'], ['KILL', '1.2.3.4:5'], ['KILL', 'TYPE', 'foo'], ['KILL', 'USER', 'bob'], ['KILL', 'SKIPME', 'maybe'], ['NO-EVICT', 'on'], ['NO-EVICT', 'maybe'], ['GETNAME', 'x'], ['NOSUCH']))) },
  { weight: 1, arbitrary: cmd('RESET') },
  // server
  { weight: 1, arbitrary: cmd('INFO', fc.oneof(fc.constant([] as Arg[]), fc.constantFrom('keyspace', 'stats', 'server', 'nosuch', 'all').map((s) => [s]))) },
  { weight: 2, arbitrary: cmd('CONFIG', 'GET', fc.array(configParam, { minLength: 1, maxLength: 2 })) },
  { weight: 2, arbitrary: cmd('CONFIG', 'SET', configSet, fc.oneof({ weight: 4, arbitrary: fc.constant([] as Arg[]) }, { weight: 1, arbitrary: configSet }, { weight: 1, arbitrary: tok('hz') })) },
  { weight: 1, arbitrary: cmd('CONFIG', fc.constantFrom(['RESETSTAT'], ['RESETSTAT', 'x'], ['FOO'])) },
  { weight: 1, arbitrary: cmd('TIME') },
  { weight: 1, arbitrary: cmd('COMMAND', 'GETKEYS', fc.constantFrom(['set', 'a', 'b'], ['mset', 'a', 'b', 'c', 'd'], ['get'], ['get', 'a', 'b'], ['ping', 'x'], ['nosuch', 'a'], ['config', 'get'], ['rename', 'a', 'b'])) },
  // invalid forms: any name with random arguments (arity errors, unknown commands)
  { weight: 3, arbitrary: cmd(fc.constantFrom(...commandNames), fc.array(fc.oneof(key, value, int), { maxLength: 3 })) },
  // MOVE and COPY (generic, issue 17): across databases, with REPLACE and bad indexes
  { weight: 2, arbitrary: cmd('MOVE', key, dbIndex) },
  { weight: 2, arbitrary: cmd('COPY', key, key, opts([fc.tuple(caseOf('DB'), dbIndex).map((x) => [...x]), tok('REPLACE', 'replace', 'FOO', 'DB')], 2)) },
  // transactions (the block above)
  { weight: 5, arbitrary: txArgs },
  // hashes (the block above)
  { weight: 30, arbitrary: hashArgs },
  // sets (the block above)
  { weight: 24, arbitrary: setArgs },
  // sorted sets (the block above)
  { weight: 20, arbitrary: zsetArgs },
  // SORT (the block above)
  { weight: 4, arbitrary: sortArgs },
  // lists (the block above)
  { weight: 20, arbitrary: listArgs },
  // streams (the block above)
  { weight: 24, arbitrary: xstreamArgs },
);

export const command: fc.Arbitrary<Cmd> = fc.record({ conn: fc.integer({ min: 0, max: CONNECTIONS - 1 }), args: commandArgs });

// ---- transactions: whole blocks (see the transactions block above) ---------
const connIndex = fc.integer({ min: 0, max: CONNECTIONS - 1 });
/** Queued commands: anything but SCAN and RANDOMKEY (their pages and picks follow Redis's hash layout). */
const txBody = commandArgs.filter((a) => typeof a[0] !== 'string' || !['SCAN', 'RANDOMKEY'].includes(a[0].toUpperCase()));
/** A write of the `n`th watched key (or a no-op read), to make WATCH conflicts common. */
const conflict = fc.record({ at: fc.nat(), conn: connIndex, n: fc.nat(), op: fc.constantFrom('SET', 'INCR', 'DEL', 'APPEND', 'PEXPIRE', 'PERSIST', 'GET', 'FLUSHDB', 'SWAPDB') });
function conflictArgs(op: string, k: Arg): Arg[] {
  if (op === 'SET' || op === 'APPEND') return [op, k, 'v'];
  if (op === 'PEXPIRE') return [op, k, { rel: 'ms' }];
  if (op === 'FLUSHDB') return [op];
  if (op === 'SWAPDB') return [op, '0', '1'];
  return [op, k];
}
export const txBlock: fc.Arbitrary<Cmd[]> = fc.record({
  conn: connIndex,
  watch: fc.option(keys(1, 3), { nil: null }),
  body: fc.array(txBody, { maxLength: 6 }),
  end: fc.constantFrom<Arg[]>(['EXEC'], ['EXEC'], ['EXEC'], ['EXEC'], ['DISCARD'], ['EXEC', 'x']),
  others: fc.array(fc.record({ at: fc.nat(), conn: connIndex, args: commandArgs }), { maxLength: 3 }),
  conflicts: fc.array(conflict, { maxLength: 2 }),
}).map(({ conn, watch, body, end, others, conflicts }) => {
  const out: Cmd[] = [];
  if (watch !== null) out.push({ conn, args: ['WATCH', ...watch] });
  out.push({ conn, args: ['MULTI'] });
  for (const b of body) out.push({ conn, args: b });
  out.push({ conn, args: end });
  // Others' commands land after the first and before the last of the block.
  const land = (at: number, c: Cmd): void => { out.splice(1 + (at % (out.length - 1)), 0, c); };
  for (const o of others) land(o.at, { conn: o.conn, args: o.args });
  if (watch !== null) for (const x of conflicts) land(x.at, { conn: x.conn, args: conflictArgs(x.op, watch[x.n % watch.length]!) });
  return out;
});
const step: fc.Arbitrary<Cmd[]> = fc.oneof({ weight: 14, arbitrary: command.map((c) => [c]) }, { weight: 1, arbitrary: txBlock }, { weight: 2, arbitrary: zsetBlock },
  { weight: 1, arbitrary: listBlock }, { weight: 1, arbitrary: listTx }, { weight: 1, arbitrary: streamTx }, { weight: 2, arbitrary: streamFill });
// ---- end of transaction blocks ---------------------------------------------

/** A sequence of up to `max` steps (a command, or a transaction block), and the protocol the connections speak. */
export function sequence(max = 50): fc.Arbitrary<{ proto: 2 | 3; cmds: Cmd[] }> {
  return fc.record({ proto: fc.constantFrom(2 as const, 3 as const), cmds: fc.array(step, { minLength: 1, maxLength: max, size: 'max' }).map((xs) => xs.flat()) });
}

/** Resolves placeholders: relative TTLs unique to the command's position. */
export function materialize(c: Cmd, index: number): string[] {
  return c.args.map((a) => {
    if (typeof a === 'string') return a;
    const seconds = 2000 + index * 10;
    return a.rel === 's' ? String(seconds) : String(seconds * 1000);
  });
}
