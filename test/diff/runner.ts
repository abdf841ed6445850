/**
 * Runs command sequences against both servers and compares every reply byte
 * for byte. Only replies that are nondeterministic by nature are normalised,
 * each by a named rule below, and only in the part that is nondeterministic
 * (ids, addresses, clocks, buffer sizes; relative TTLs within the measured
 * skew). Errors are always compared exactly. After each sequence a PING
 * sentinel on every connection catches bytes a reply left behind.
 */

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { replyLength, RespConn } from './conn.js';
import { CONNECTIONS, materialize, type Cmd } from './gen.js';

/** Splits an aggregate reply into its header line and its element replies. */
function elements(raw: string): { header: string; items: string[] } | null {
  if (!/^[*~%]/.test(raw)) return null;
  const b = Buffer.from(raw, 'latin1');
  const cr = b.indexOf(13);
  const header = raw.slice(0, cr + 2);
  const items: string[] = [];
  let p = cr + 2;
  while (p < b.length) {
    const n = replyLength(b, p);
    items.push(b.latin1Slice(p, p + n));
    p += n;
  }
  return { header, items };
}

/** An integer reply's value, exactly (BigInt: values past 2^53 must not compare equal). */
function intOf(raw: string): bigint | null {
  const m = /^:(-?\d+)\r\n$/.exec(raw);
  return m === null ? null : BigInt(m[1]!);
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * What the comparison of one reply may depend on besides the reply bytes:
 * `skewMs` bounds how far apart in time the two servers can have run any
 * command of this sequence so far. Both get a command at the same moment and
 * each runs it before replying, so a command's skew is at most its slower
 * round trip; the runner keeps the largest seen (+1 ms for clock rounding).
 */
export interface CompareContext { skewMs: number }

/**
 * Whether an absolute expiry (ms) came from a relative TTL, so that it depends
 * on the millisecond each server ran the command in. The generator's absolute
 * times are either past (the key is deleted), in 2100 or later, or the 2^53+1
 * and int64 edges; its relative ones (gen.ts `rel`, materialize()) are at most
 * a few thousand seconds, or the 9223372036854774 ms edge. So: before 2100, or
 * within a day of now + 9223372036854774 ms.
 */
function fromRelativeTtl(ms: bigint): boolean {
  const now = BigInt(Date.now());
  return ms < 4102444800000n || abs(ms - (now + 9223372036854774n)) < 86400000n;
}

/** INFO fields that only one server has, by design; removed from both sides before comparing. */
export const INFO_ONE_SIDED: Record<string, string> = {
  atomicvar_api: 'Redis: which C atomics its build uses; cachette is single-threaded JavaScript',
  gcc_version: 'Redis: the C compiler of its build; cachette is not compiled (it reports node_version)',
  cachette_version: "cachette's own version (redis_version is the Redis version it is compatible with)",
  node_version: 'cachette: the Node.js running it, in place of gcc_version',
  used_memory_heap: "cachette: V8's heap in use, beside the deterministic used_memory account",
};

/** CLIENT LIST / INFO fields whose values are not deterministic: ids, addresses, times and buffer sizes. */
const CLIENT_MASKED = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem']);
/** CLIENT LIST fields only cachette prints, by design (README, Known differences: 7.2's lib-name/lib-ver). */
const CLIENT_ONE_SIDED = new Set(['lib-name', 'lib-ver']);

/** The text of a bulk or RESP3 verbatim reply whose length header is right, or null. */
function bodyOf(raw: string): string | null {
  const m = /^(?:\$(\d+)\r\n|=(\d+)\r\ntxt:)/.exec(raw);
  if (m === null) return null;
  const body = raw.slice(m[0].length, -2);
  const declared = m[1] !== undefined ? Number(m[1]) : Number(m[2]) - 4;
  return declared === Buffer.byteLength(body, 'latin1') && raw.endsWith('\r\n') ? body : null;
}

/**
 * CLIENT INFO / LIST: every line's fields in order, with the nondeterministic
 * values masked and lib-name/lib-ver dropped; the frame's length (which the
 * masked values change) is replaced by the reply type.
 */
function clientLines(raw: string): string {
  const body = bodyOf(raw);
  if (body === null) return raw;
  const lines = body.split('\n').map((line) => line.split(' ').filter((f) => !CLIENT_ONE_SIDED.has(f.slice(0, f.indexOf('='))))
    .map((f) => { const k = f.slice(0, f.indexOf('=')); return CLIENT_MASKED.has(k) ? `${k}=<masked>` : f; }).join(' '));
  return `${raw[0]}<len> ${lines.join('\n')}`;
}

/**
 * INFO: the section names in order; in each section the set of field names
 * (one-sided ones removed, see INFO_ONE_SIDED); the keyspace lines whole
 * except avg_ttl (from active expiry's samples); errorstats whole (error
 * replies are compared exactly, so their counts must match). Other values
 * (counters, memory, times) are not compared.
 */
function infoShape(raw: string): string {
  const body = bodyOf(raw);
  if (body === null) return raw;
  const out: string[] = [];
  let fields: string[] = [];
  let section = '';
  const end = (): void => { if (section !== '') out.push(`${section} [${fields.sort().join(' ')}]`); fields = []; };
  for (const line of body.split('\r\n')) {
    if (line.startsWith('# ')) { end(); section = line; continue; }
    if (line === '') continue;
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    if (name in INFO_ONE_SIDED) continue;
    if (section === '# Keyspace') fields.push(line.replace(/,avg_ttl=\d+$/, ',avg_ttl=<masked>'));
    else if (section === '# Errorstats') fields.push(line);
    else fields.push(name);
  }
  end();
  return `${raw[0]}<len> ${out.join(' ')}`;
}

/**
 * What the runner knows beyond the two replies, for the rules that need it
 * (the sets block below): whether the keys a set reply was read from are all
 * intsets (from OBJECT ENCODING probes; null when not probed, e.g. inside
 * EXEC), and the set-max-intset-entries in force.
 */
export interface ReplyContext extends CompareContext { intsets: boolean | null; maxIntset: number }
const NO_CONTEXT: ReplyContext = { intsets: null, maxIntset: 512, skewMs: 1 };

/** Normalisation rules, keyed by command (and subcommand). Each names its reason. */
const RULES: Array<{ match: (a: string[]) => boolean; why: string; apply: (r: string, other: string, ctx: ReplyContext, args: string[]) => string }> = [
  {
    match: (a) => a[0] === 'HELLO',
    why: 'HELLO carries the client id, which depends on how many connections each server has seen',
    apply: (r) => r.replace(/(\$2\r\nid\r\n:)\d+/, '$1<id>'),
  },
  {
    match: (a) => a[0] === 'CLIENT' && a[1] === 'ID',
    why: 'CLIENT ID depends on how many connections each server has seen; the reply is compared as an integer',
    apply: (r) => (intOf(r) !== null ? ':<id>' : r),
  },
  {
    match: (a) => a[0] === 'CLIENT' && (a[1] === 'INFO' || a[1] === 'LIST'),
    why: 'CLIENT INFO/LIST: every field is compared except id, addr, laddr, fd, age, idle and the buffer sizes (qbuf, qbuf-free, argv-mem, multi-mem, rbs, rbp, obl, oll, omem, tot-mem); lib-name/lib-ver are cachette-only (7.2 fields, README)',
    apply: (r) => (r.startsWith('-') ? r : clientLines(r)),
  },
  {
    match: (a) => a[0] === 'INFO',
    why: 'INFO: section names, the set of field names in each (minus the one-sided ones in INFO_ONE_SIDED), the keyspace lines (avg_ttl masked) and errorstats are compared; other values (counters, memory, times) differ by nature',
    apply: (r) => (r.startsWith('-') ? r : infoShape(r)),
  },
  {
    match: (a) => a[0] === 'TIME',
    why: 'TIME is the clock; its shape (two bulk integers) is compared',
    apply: (r) => r.replace(/^\*2\r\n\$\d+\r\n\d+\r\n\$\d+\r\n\d+\r\n$/, '<two bulk integers>'),
  },
  {
    match: (a) => a[0] === 'RANDOMKEY',
    why: 'RANDOMKEY picks a random key; only nil versus a key is compared',
    apply: (r) => (r.startsWith('$') && r !== '$-1\r\n' ? '$<key>' : r),
  },
  {
    match: (a) => a[0] === 'KEYS',
    why: 'KEYS order is hash order in Redis; compared as a set',
    apply: (r) => { const e = elements(r); return e === null ? r : e.header + [...e.items].sort().join(''); },
  },
  {
    match: (a) => a[0] === 'CONFIG' && a[1] === 'GET',
    why: 'CONFIG GET order is not defined; compared as a set of pairs',
    apply: (r) => {
      const e = elements(r);
      if (e === null) return r;
      const pairs: string[] = [];
      for (let i = 0; i < e.items.length; i += 2) pairs.push(e.items[i]! + e.items[i + 1]!);
      return e.header + pairs.sort().join('');
    },
  },
  {
    match: (a) => a[0] === 'OBJECT' && (a[1] === 'IDLETIME' || a[1] === 'FREQ'),
    why: 'OBJECT IDLETIME depends on wall-clock seconds (and Redis shares small integer objects); LFU increments are probabilistic; integers are compared by type',
    apply: (r) => (intOf(r) !== null ? ':<n>' : r),
  },
  {
    match: (a) => a[0] === 'MEMORY',
    why: 'MEMORY USAGE reports cachette\'s V8 heap account, not jemalloc size classes (README); integers are compared by type',
    apply: (r) => (intOf(r) !== null ? ':<n>' : r),
  },
  {
    match: (a) => a[0] === 'HRANDFIELD',
    why: 'HRANDFIELD picks at random: errors, nil, the reply\'s shape (lengths, RESP3 pairs) and, for a positive count, that the fields are distinct are compared; the fields themselves are not',
    apply: (r, _other, _ctx, args) => randomPickShape(r, args),
  },
  {
    match: (a) => a[0] === 'PTTL',
    why: 'PTTL of a key counts down from when each server set it: the two may differ by the skew of the command that set it plus that of the PTTL (measured round trips), never more',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && abs(x - y) <= BigInt(2 * ctx.skewMs) ? ':<within skew>' : r; },
  },
  // ---- sorted sets
  {
    match: (a) => a[0] === 'ZRANDMEMBER',
    why: 'ZRANDMEMBER picks random members (Redis\'s four strategies decide only which ones); the reply\'s shape is compared: array lengths, nesting and element types, members and scores left out, except when a positive count exceeds the set (the whole set, highest first: compared exactly)',
    apply: (r, _other, _ctx, args) => {
      const e = elements(r);
      if (e === null || args.length < 3) return shapeOf(r);
      const count = Number(args[2]);
      const members = args.length === 4 && e.items.length > 0 && !e.items[0]!.startsWith('*') ? e.items.length / 2 : e.items.length;
      return Number.isInteger(count) && count > 0 && members < count ? r : shapeOf(r);
    },
  },
  {
    match: (a) => a[0] === 'ZSCAN',
    why: 'ZSCAN from cursor 0 is run to the end on both servers and compared as the set of member/score pairs (a skiplist\'s pages follow Redis\'s hash layout); a page inside EXEC is compared by type',
    apply: (r) => (r.startsWith('ZSCAN-SET') || !r.startsWith('*2\r\n') ? r : '*2 <a ZSCAN page>'),
  },
  // ---- end of sorted sets
  // ---- streams
  {
    match: (a) => a[0] === 'XPENDING',
    why: 'XPENDING\'s extended form reports each entry\'s idle time, counted from when each server delivered it: that integer (the third of each entry) is masked, the rest compared',
    apply: (r) => r.replace(/(\*4\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n[^\r]*\r\n):\d+\r\n(:\d+\r\n)/g, '$1:<idle>\r\n$2'),
  },
  {
    match: (a) => a[0] === 'XINFO' && a[1] === 'CONSUMERS',
    why: 'XINFO CONSUMERS reports each consumer\'s idle time since each server last saw it: that value is masked',
    apply: (r) => r.replace(/(\$4\r\nidle\r\n):\d+\r\n/g, '$1:<idle>\r\n'),
  },
  {
    match: (a) => a[0] === 'XINFO' && a[1] === 'STREAM',
    why: 'XINFO STREAM FULL reports delivery and seen times (unix ms, each server\'s clock): 13-digit integers are masked, the rest compared',
    apply: (r) => r.replace(/:\d{13}\r\n/g, ':<time>\r\n'),
  },
  // ---- end of streams
  {
    match: (a) => a[0] === 'TTL',
    why: 'TTL is PTTL rounded to seconds: within the same skew, at most 1 apart at a rounding edge',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && abs(x - y) <= BigInt(Math.ceil((2 * ctx.skewMs) / 1000)) ? ':<within skew>' : r; },
  },
  {
    match: (a) => a[0] === 'PEXPIRETIME',
    why: 'PEXPIRETIME is exact, except for an expiry set by a relative TTL, which depends on the millisecond each server ran that command in (within the measured skew)',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && fromRelativeTtl(x) && fromRelativeTtl(y) && abs(x - y) <= BigInt(ctx.skewMs) ? ':<within skew>' : r; },
  },
  {
    match: (a) => a[0] === 'EXPIRETIME',
    why: 'EXPIRETIME is exact, except for an expiry set by a relative TTL: within the measured skew, rounded to seconds',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && fromRelativeTtl(x * 1000n) && fromRelativeTtl(y * 1000n) && abs(x - y) <= BigInt(Math.ceil(ctx.skewMs / 1000)) ? ':<within skew>' : r; },
  },
];


/** Upper-cases the command and subcommand names so rules can match them. */
function names(args: string[]): string[] {
  return [args[0]?.toUpperCase() ?? '', args[1]?.toUpperCase() ?? ''];
}

export function normalise(args: string[], cachette: string, redis: string, given: Partial<ReplyContext> = NO_CONTEXT): [string, string] {
  const ctx: ReplyContext = given === NO_CONTEXT ? NO_CONTEXT : { ...NO_CONTEXT, ...given };
  const n = names(args);
  for (const rule of RULES) {
    if (rule.match(n)) return [rule.apply(cachette, redis, ctx, args), rule.apply(redis, cachette, ctx, args)];
  }
  return [cachette, redis];
}

// ---- sets ---------------------------------------------------------------------
/**
 * Set replies. Redis's hashtable order depends on its per-process hash seed,
 * so a reply in a hashtable's order is compared as a multiset, and only such
 * a reply; an intset's order (ascending numeric) must match exactly:
 * - SMEMBERS, SINTER (the order of the smallest source), SRANDMEMBER with a
 *   count at least the size (the whole set): exact when every key read is an
 *   intset (OBJECT ENCODING probes after the command, on both servers, which
 *   must agree), else a multiset; inside EXEC (no probe) a multiset.
 * - SUNION, SDIFF, SPOP of the whole set: the result is a new set that starts
 *   as an intset, so exact when every member is an integer (string2ll) and
 *   they fit set-max-intset-entries (tracked from CONFIG SET), else a multiset.
 * - Random picks (SRANDMEMBER's samples and negative counts, SPOP on the sp:*
 *   keys): the reply type and count, and for a positive count that the picks
 *   are distinct; a single pick as a member versus nil.
 * - SSCAN from cursor 0 runs as a full iteration on both servers and compares
 *   the set of members (a hashtable's cursors are bucket positions in Redis);
 *   one SSCAN page inside EXEC is compared by reply type.
 */
const SET_REASONS = [
  'SMEMBERS/SINTER/SRANDMEMBER (whole set): exact when every key read is an intset (OBJECT ENCODING probes agree), else compared as a multiset (hashtable order)',
  'SUNION/SDIFF/SPOP (whole set): exact when the result holds only integers within set-max-intset-entries (an intset), else a multiset',
  'SRANDMEMBER samples and SPOP on sp:* keys are random: reply type, count and distinctness compared',
  'SSCAN: a full iteration from cursor 0 compared as a set of members; a page inside EXEC by reply type',
];

/** Redis's string2ll: the members an intset can hold. */
function isIntsetMember(s: string): boolean {
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(s)) return false;
  const b = BigInt(s);
  return b >= -9223372036854775808n && b <= 9223372036854775807n;
}

function bulkText(raw: string): string {
  return raw.replace(/^\$\d+\r\n|\r\n$/g, '');
}

function asMultiset(r: string): string {
  const e = elements(r);
  return e === null ? r : `${e.header}<multiset>${[...e.items].sort().join('')}`;
}

/**
 * SORT / SORT_RO whose order Redis leaves to its hash layout: a constant BY
 * (a set in its iteration order) or ALPHA (C-string ties): the elements, or
 * each element's GET group, compared as a multiset. The generator never adds
 * LIMIT or STORE to these.
 */
const SORT_STALE_ERRNO = "-ERR One or more scores can't be converted into double\r\n";
export const SORT_REASON = 'SORT with a constant BY or ALPHA: order follows the hash layout for ties; compared as a multiset of GET groups';
function sortUnordered(args: string[]): boolean {
  for (let i = 2; i < args.length; i++) {
    const o = args[i]!.toUpperCase();
    if (o === 'ALPHA') return true;
    if (o === 'BY' && i + 1 < args.length && !args[i + 1]!.includes('*')) return true;
  }
  return false;
}
function sortGroups(r: string, args: string[]): string {
  const e = elements(r);
  if (e === null) return r;
  let gets = 0;
  for (let i = 2; i + 1 < args.length; i++) if (args[i]!.toUpperCase() === 'GET') { gets++; i++; }
  const n = Math.max(1, gets);
  const groups: string[] = [];
  for (let i = 0; i < e.items.length; i += n) groups.push(e.items.slice(i, i + n).join(''));
  return `${e.header}<multiset of groups>${groups.sort().join('|')}`;
}

RULES.push({
  match: (a) => a[0] === 'SORT' || a[0] === 'SORT_RO',
  why: SORT_REASON,
  apply: (r, other, _ctx, args) => {
    // Redis's SORT tests errno after strtod without clearing it first, so an
    // ERANGE left by any earlier float parse (HINCRBYFLOAT 1e-5000...) makes a
    // numeric SORT of good numbers fail there. That one stale-errno error,
    // against a sorted array, is the same outcome; anything else is compared.
    // Only for a plain numeric SORT (no BY, GET or LIMIT) whose every element is a plain decimal number.
    const plain = !args.slice(2).some((a) => /^(by|get|limit|alpha)$/i.test(a));
    const arr = r.startsWith('*') ? r : other.startsWith('*') ? other : null;
    const nums = arr === null ? null : elements(arr);
    const allNumbers = nums !== null && nums.items.every((it) => /^-?\d+(\.\d+)?$/.test(bulkText(it)));
    if (plain && allNumbers && ((r === SORT_STALE_ERRNO && other.startsWith('*')) || (other === SORT_STALE_ERRNO && r.startsWith('*')))) return '<SORT numeric: Redis read a stale errno>';
    return sortUnordered(args) ? sortGroups(r, args) : r;
  },
});

/** A random pick: the reply type and count (and distinctness when asked), or member versus nil. */
function asPicks(r: string, distinct: boolean): string {
  const e = elements(r);
  if (e === null) return r.startsWith('$') && r !== '$-1\r\n' ? '$<member>' : r;
  return `${e.header}<${e.items.length} picks${distinct ? (new Set(e.items).size === e.items.length ? ', distinct' : ', repeats') : ''}>`;
}

/** The reply of a new intset-first result set. */
function resultOrder(r: string, ctx: ReplyContext): string {
  const e = elements(r);
  if (e === null) return r;
  const ms = e.items.map(bulkText);
  return ms.every(isIntsetMember) && ms.length <= ctx.maxIntset ? r : asMultiset(r);
}

/** A reply in the order of the keys' own sets. */
const keyOrder = (r: string, ctx: ReplyContext): string => (ctx.intsets === true ? r : asMultiset(r));

RULES.push(
  { match: (a) => a[0] === 'SMEMBERS' || a[0] === 'SINTER', why: SET_REASONS[0]!, apply: (r, _o, ctx) => keyOrder(r, ctx) },
  { match: (a) => a[0] === 'SUNION' || a[0] === 'SDIFF', why: SET_REASONS[1]!, apply: (r, _o, ctx) => resultOrder(r, ctx) },
  {
    match: (a) => a[0] === 'SPOP',
    why: SET_REASONS[2]!,
    apply: (r, _o, ctx, args) => {
      if (r.startsWith('-')) return r;
      if (args.length === 2 || args[1]!.startsWith('sp:')) return asPicks(r, true);
      return resultOrder(r, ctx);
    },
  },
  {
    match: (a) => a[0] === 'SRANDMEMBER',
    why: SET_REASONS[2]!,
    apply: (r, _o, ctx, args) => {
      if (r.startsWith('-') || args.length !== 3) return r.startsWith('-') ? r : asPicks(r, false);
      const n = Number(args[2]);
      const e = elements(r);
      if (e === null || n === 0) return r;
      if (n > 0 && e.items.length < n) return keyOrder(r, ctx); // the whole set
      return asPicks(r, n > 0);
    },
  },
  {
    match: (a) => a[0] === 'SSCAN',
    why: SET_REASONS[3]!,
    apply: (r) => (r.startsWith('-') || r.startsWith('SSCAN-SET') ? r : r[0]!),
  },
);

/** set-max-intset-entries in force in the running sequence (CONFIG SET observed on Redis's replies). */
let maxIntset = 512;

/** Follows CONFIG SET set-max-intset-entries (`reply` is Redis's). */
function observeSetConfig(args: string[], reply: string): void {
  if (reply !== '+OK\r\n' || names(args)[0] !== 'CONFIG' || names(args)[1] !== 'SET') return;
  for (let i = 2; i + 1 < args.length; i += 2) if (args[i]!.toLowerCase() === 'set-max-intset-entries') maxIntset = Number(args[i + 1]);
}

/**
 * After a set read answered with members (not inside MULTI), asks both
 * servers for OBJECT ENCODING of the keys it read, on the same connection
 * (so the same database). OBJECT reads without touching LRU and without
 * keymiss events, and the command has already expired what it would, so the
 * probe changes nothing either side could show. Returns the context, or a
 * mismatch text when the encodings differ.
 */
async function setContext(redis: RespConn, cachette: RespConn, args: string[], reply: string): Promise<ReplyContext | string> {
  const name = names(args)[0];
  let keys: string[] = [];
  if (name === 'SMEMBERS' || name === 'SINTER') keys = args.slice(1);
  else if (name === 'SRANDMEMBER' && args.length === 3 && Number(args[2]) > 0) keys = [args[1]!];
  if (keys.length === 0 || !/^[*~]/.test(reply)) return { intsets: null, maxIntset, skewMs: 1 };
  let intsets = true;
  for (const k of keys) {
    const [a, b] = await Promise.all([redis.call(['OBJECT', 'ENCODING', k]), cachette.call(['OBJECT', 'ENCODING', k])]);
    if (a !== b) return `OBJECT ENCODING ${k} after ${args.join(' ').slice(0, 80)}: redis ${JSON.stringify(a)}, cachette ${JSON.stringify(b)}`;
    if (a.startsWith('$') && a !== '$-1\r\n' && a !== '$6\r\nintset\r\n') intsets = false;
  }
  return { intsets, maxIntset, skewMs: 1 };
}

/** A full SSCAN iteration with the same options; the result is the sorted set of members (or the first error). */
async function sscanAll(conn: RespConn, args: string[]): Promise<string> {
  const members = new Set<string>();
  let cursor = '0';
  for (let i = 0; i < 10000; i++) {
    const reply = await conn.call(['SSCAN', args[1]!, cursor, ...args.slice(3)]);
    const e = elements(reply);
    if (e === null || e.items.length !== 2) return reply;
    cursor = bulkText(e.items[0]!);
    for (const m of elements(e.items[1]!)!.items) members.add(m);
    if (cursor === '0') return `SSCAN-SET ${[...members].sort().join('')}`;
  }
  return '<sscan did not finish>';
}
// ---- end of sets ----------------------------------------------------------------

export const RULE_REASONS = RULES.map((r) => r.why);

// ---- transactions -------------------------------------------------------------
/**
 * EXEC's reply holds the replies of the commands it ran, so each element is
 * normalised by the rule of the command it answers. The runner keeps, per
 * connection, the commands Redis answered +QUEUED since that connection's
 * last MULTI. One extra rule: SCAN inside EXEC is one page of Redis's bucket
 * order (the runner cannot iterate it in a transaction); only its type is compared.
 */
export const TX_REASONS = ['EXEC: each element by the rule of its queued command', 'SCAN inside EXEC: one page in bucket order; the reply type is compared'];

class TxTracker {
  private readonly queued: string[][][] = [];
  constructor(conns: number) { for (let i = 0; i < conns; i++) this.queued.push([]); }

  /** The commands queued on `conn` so far. */
  peek(conn: number): string[][] { return this.queued[conn]!; }

  /** Queued commands of the EXEC just answered on `conn` (and forgets them). */
  take(conn: number): string[][] { const q = this.queued[conn]!; this.queued[conn] = []; return q; }

  normalise(conn: number, args: string[], cachette: string, redis: string, ctx: ReplyContext = NO_CONTEXT): [string, string] {
    const name = names(args)[0];
    if (redis === '+QUEUED\r\n') { this.queued[conn]!.push(args); return [cachette, redis]; }
    if (name === 'EXEC') return normaliseExec(this.take(conn), cachette, redis, ctx);
    // A nested MULTI's error leaves the queue as it was.
    if ((name === 'MULTI' && redis === '+OK\r\n') || name === 'DISCARD' || name === 'RESET') this.queued[conn] = [];
    return normalise(args, cachette, redis, ctx);
  }
}

function normaliseExec(queued: string[][], cachette: string, redis: string, ctx: ReplyContext): [string, string] {
  const ec = elements(cachette);
  const er = elements(redis);
  if (ec === null || er === null || ec.header !== er.header || ec.items.length !== queued.length || er.items.length !== queued.length) return [cachette, redis];
  let c = ec.header;
  let r = er.header;
  for (let i = 0; i < queued.length; i++) {
    const args = queued[i]!;
    observeSetConfig(args, er.items[i]!);
    let [nc, nr] = normalise(args, ec.items[i]!, er.items[i]!, { intsets: null, maxIntset, skewMs: ctx.skewMs });
    if (nc !== nr && HASH_ORDER.has(names(args)[0])) [nc, nr] = [hashMultiset(args, nc), hashMultiset(args, nr)];
    if (names(args)[0] === 'SCAN' && nc[0] === nr[0] && /^[*>]/.test(nc)) { nc = nc[0]!; nr = nr[0]!; }
    c += nc;
    r += nr;
  }
  return [c, r];
}
// ---- end of transactions ------------------------------------------------------

// ---- hashes ---------------------------------------------------------------------
/**
 * A hashtable-encoded hash has no order a client can rely on (Redis's follows
 * its per-process hash seed), while a listpack's is its insertion order. So
 * HGETALL, HKEYS, HVALS and HSCAN replies are compared exactly, and only when
 * they differ does the runner ask both servers (OBJECT ENCODING, on the same
 * connection, right after the reply) how the hash is stored: when both say
 * hashtable, HGETALL/HKEYS/HVALS are compared as multisets (HGETALL's as
 * field/value pairs), and an HSCAN from cursor 0 is run to its end on each
 * server and compared as the set of pairs it returned; an HSCAN from another
 * cursor (Redis's bucket layout) is compared by shape. Inside EXEC the
 * encoding at the time cannot be asked, so these replies are compared as
 * multisets there whatever the encoding, and an HSCAN from a cursor other
 * than 0 by shape (listpack order is checked outside transactions). HRANDFIELD is a RULES entry above (random picks).
 */
export const HASH_REASONS = [
  'HGETALL/HKEYS/HVALS of a hashtable-encoded hash (both servers say so): compared as multisets (Redis\'s order follows its hash seed); listpack hashes exactly',
  'HSCAN of a hashtable-encoded hash: a scan from 0 is run to its end on each server and compared as a set of pairs; from another cursor by shape',
  'HGETALL/HKEYS/HVALS/HSCAN inside EXEC: compared as multisets (the encoding at that moment cannot be asked)',
];

const HASH_ORDER = new Set(['HGETALL', 'HKEYS', 'HVALS', 'HSCAN']);

/** Bulk strings of a flat reply's elements, as raw strings. */
function flatItems(raw: string): string[] | null {
  const e = elements(raw);
  return e === null ? null : e.items;
}

/** An aggregate reply with its elements sorted (pairs kept together when `pairs`). */
function sortedReply(raw: string, pairs: boolean): string {
  const e = elements(raw);
  if (e === null) return raw;
  const out: string[] = [];
  if (pairs) for (let i = 0; i < e.items.length; i += 2) out.push(e.items[i]! + (e.items[i + 1] ?? ''));
  else out.push(...e.items);
  return `${e.header}<multiset>${out.sort().join('')}`;
}

/** A hash-order reply as a multiset: HGETALL by pairs, HKEYS/HVALS by elements, HSCAN from 0 to 0 by its page's pairs, else by shape. */
export function hashMultiset(args: string[], raw: string): string {
  const name = names(args)[0];
  if (raw.startsWith('-')) return raw;
  if (name !== 'HSCAN') return sortedReply(raw, name === 'HGETALL');
  const e = flatItems(raw);
  if (e === null || e.length !== 2) return raw;
  // From a cursor other than 0 a hashtable's page is Redis's bucket arithmetic (README): shape only.
  return e[0] === '$1\r\n0\r\n' && args[2] === '0' ? `HSCAN 0 ${sortedReply(e[1]!, true)}` : 'HSCAN <cursor> <page>';
}

/** OBJECT ENCODING of `key` on a connection (the reply's raw bytes). */
function encodingOf(conn: RespConn, key: string): Promise<string> {
  return conn.call(['OBJECT', 'ENCODING', key]);
}

/** The rest of an HSCAN iteration from the reply `first`: the sorted set of pairs seen, or the first odd reply. */
async function hscanRest(conn: RespConn, args: string[], first: string): Promise<string> {
  const seen = new Set<string>();
  let reply = first;
  for (let i = 0; i < 10000; i++) {
    const e = flatItems(reply);
    if (e === null || e.length !== 2) return reply;
    const page = flatItems(e[1]!) ?? [];
    for (let j = 0; j < page.length; j += 2) seen.add(page[j]! + (page[j + 1] ?? ''));
    const cursor = e[0]!.replace(/^\$\d+\r\n|\r\n$/g, '');
    if (cursor === '0') return `HSCAN-SET ${[...seen].sort().join('')}`;
    reply = await conn.call([args[0]!, args[1]!, cursor, ...args.slice(3)]);
  }
  return '<hscan did not finish>';
}

/** See the block comment: normalises differing hash-order replies of a hashtable-encoded hash. */
async function hashOrder(r: RespConn, c: RespConn, args: string[], a: string, b: string): Promise<[string, string]> {
  if (a.startsWith('-') || b.startsWith('-') || a === '+QUEUED\r\n' || args.length < 2) return [a, b];
  const [er, ec] = await Promise.all([encodingOf(r, args[1]!), encodingOf(c, args[1]!)]);
  const HT = '$9\r\nhashtable\r\n';
  if (er !== HT || ec !== HT) return [a, b];
  if (names(args)[0] !== 'HSCAN') return [hashMultiset(args, a), hashMultiset(args, b)];
  if (args[2] !== '0') return [hashMultiset(args, a), hashMultiset(args, b)];
  return Promise.all([hscanRest(r, args, a), hscanRest(c, args, b)]);
}

/**
 * HRANDFIELD's reply reduced to what does not depend on the picks: errors
 * and nil as they are; otherwise the reply with every bulk string replaced
 * by a placeholder (aggregate headers kept: lengths, RESP3 [field, value]
 * pairs), plus, for a positive count, whether a field came back twice
 * (never, in Redis).
 */
function randomPickShape(raw: string, args: string[]): string {
  if (raw.startsWith('-') || raw === '$-1\r\n' || raw === '_\r\n') return raw;
  if (raw.startsWith('$')) return '$<field>';
  const e = elements(raw);
  if (e === null) return raw;
  const withvalues = args.length >= 4;
  const fields: string[] = [];
  let shape = e.header;
  e.items.forEach((it, i) => {
    const inner = it.startsWith('*') ? elements(it) : null;
    if (inner !== null) {
      shape += inner.header + inner.items.map(() => '$<x>').join('');
      fields.push(inner.items[0] ?? '');
    } else {
      shape += '$<x>';
      if (!withvalues || i % 2 === 0) fields.push(it);
    }
  });
  if (!(Number(args[2]) > 0)) return shape;
  return `${shape}<distinct:${fields.length === new Set(fields).size}>`;
}
// ---- end of hashes --------------------------------------------------------------

// ---- sorted sets ----------------------------------------------------------------

/** A reply with every bulk string and double replaced by its type (random replies). */
function shapeOf(raw: string): string {
  const e = elements(raw);
  if (e !== null) return e.header + e.items.map(shapeOf).join('');
  if (raw.startsWith('$') && raw !== '$-1\r\n') return '$';
  if (raw.startsWith(',')) return ',';
  return raw;
}

/** A full ZSCAN iteration with the same options: the sorted set of member/score pairs (or the first reply that is not a page). */
async function zscanAll(conn: RespConn, args: string[]): Promise<string> {
  const pairs = new Set<string>();
  let cursor = '0';
  for (let i = 0; i < 10000; i++) {
    const reply = await conn.call(['ZSCAN', args[1]!, cursor, ...args.slice(3)]);
    const e = elements(reply);
    if (e === null || e.items.length !== 2) return reply;
    cursor = e.items[0]!.replace(/^\$\d+\r\n|\r\n$/g, '');
    const page = elements(e.items[1]!)!;
    for (let j = 0; j + 1 < page.items.length; j += 2) pairs.add(page.items[j]! + page.items[j + 1]!);
    if (cursor === '0') return `ZSCAN-SET ${[...pairs].sort().join('')}`;
  }
  return '<zscan did not finish>';
}
// ---- end of sorted sets -----------------------------------------------------------

/** A full SCAN iteration with the same options; the result is the sorted set of keys (or the first error). */
async function scanAll(conn: RespConn, args: string[]): Promise<string> {
  const keys = new Set<string>();
  let cursor = '0';
  for (let i = 0; i < 10000; i++) {
    const reply = await conn.call(['SCAN', cursor, ...args.slice(2)]);
    const e = elements(reply);
    if (e === null || e.items.length !== 2) return reply;
    cursor = e.items[0]!.replace(/^\$\d+\r\n|\r\n$/g, '');
    const page = elements(e.items[1]!)!;
    for (const k of page.items) keys.add(k);
    if (cursor === '0') return `SCAN-SET ${[...keys].sort().join('')}`;
  }
  return '<scan did not finish>';
}

export interface Side { conns: RespConn[]; admin: RespConn; port: number }

export interface Mismatch { index: number; conn: number; args: string[]; redis: string; cachette: string }

/** Config values the generator may change, restored before every sequence. */
export const RESET_CONFIG = ['hz', '10', 'maxmemory-policy', 'noeviction', 'maxmemory-samples', '5', 'maxmemory-eviction-tenacity', '10',
  'lfu-log-factor', '10', 'lfu-decay-time', '1', 'active-expire-effort', '1', 'maxclients', '10000', 'proto-max-bulk-len', '512mb',
  'client-query-buffer-limit', '1gb', 'loglevel', 'warning', 'lazyfree-lazy-user-del', 'no', 'lazyfree-lazy-expire', 'no', 'maxmemory', '0',
  'notify-keyspace-events', '', 'set-max-intset-entries', '512', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64'];

/**
 * A keyspace-event watcher: a raw connection subscribed to every keyspace
 * and keyevent channel of every database, collecting the bytes it receives.
 */
class Watcher {
  out = '';
  private constructor(private readonly socket: net.Socket, private readonly proto: 2 | 3) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.out += d.latin1Slice(); });
    socket.on('error', () => {});
  }
  static async open(port: number, proto: 2 | 3): Promise<Watcher> {
    const s = await new Promise<net.Socket>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(sock));
      sock.once('error', reject);
    });
    const w = new Watcher(s, proto);
    s.write((proto === 3 ? 'HELLO 3\r\n' : '') + 'PSUBSCRIBE __key*__:*\r\n');
    // Subscribed once the confirmation (after HELLO's map in RESP3) is complete.
    const confirm = `${proto === 3 ? '>' : '*'}3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n`;
    await w.until((out) => out.endsWith(confirm), 'the PSUBSCRIBE confirmation');
    w.out = '';
    return w;
  }
  /** Waits until `done(out)` holds (deadline 5 s). */
  private async until(done: (out: string) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done(this.out)) {
      if (Date.now() > deadline) throw new Error(`keyspace watcher: no ${what}; got ${JSON.stringify(this.out.slice(-200))}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  /**
   * Everything the watcher was sent up to now: a PING sentinel is answered
   * after every event the server queued to it before, so nothing is waited
   * for by a timer. The sentinel's reply is removed.
   */
  async events(): Promise<string> {
    const pong = this.proto === 3 ? '+PONG\r\n' : '*2\r\n$4\r\npong\r\n$0\r\n\r\n';
    this.socket.write('PING\r\n');
    await this.until((out) => out.endsWith(pong), 'reply to the PING sentinel');
    return this.out.slice(0, -pong.length);
  }
  close(): void { this.socket.destroy(); }
}

/**
 * Commands left out of watched sequences, each because Redis's choice of key
 * order is its hash layout or random, so the order of the 'expired' events
 * they cause cannot match (their replies are compared in the plain runs):
 * RANDOMKEY (random keys), SCAN (bucket order), SORT with BY or GET patterns
 * (their lookups, and so their keymiss events, follow a set's or sorted set's
 * dict order). CLIENT KILL could kill the watcher.
 */
export function watchable(cmd: Cmd): boolean {
  const name = typeof cmd.args[0] === 'string' ? cmd.args[0].toUpperCase() : '';
  if (name === 'RANDOMKEY' || name === 'SCAN') return false;
  if ((name === 'SORT' || name === 'SORT_RO') && cmd.args.some((a) => typeof a === 'string' && /^(by|get)$/i.test(a))) return false;
  if (name === 'CLIENT' && typeof cmd.args[1] === 'string' && cmd.args[1].toUpperCase() === 'KILL') return false;
  return true;
}

async function both(redis: RespConn, cachette: RespConn, args: string[]): Promise<[string, string]> {
  if (args[0]?.toUpperCase() === 'SCAN' && args[1] === '0') return Promise.all([scanAll(redis, args), scanAll(cachette, args)]);
  if (args[0]?.toUpperCase() === 'SSCAN' && args.length >= 3 && args[2] === '0') return Promise.all([sscanAll(redis, args), sscanAll(cachette, args)]);
  if (args[0]?.toUpperCase() === 'ZSCAN' && args[2] === '0') return Promise.all([zscanAll(redis, args), zscanAll(cachette, args)]);
  return Promise.all([redis.call(args), cachette.call(args)]);
}

/** Puts both servers in the same clean state and the connections in `proto`. Returns a mismatch if setup differs. */
async function reset(r: Side, c: Side, proto: 2 | 3, extra: string[][]): Promise<Mismatch | null> {
  maxIntset = 512;
  const setup: string[][] = [['FLUSHALL'], ['CONFIG', 'SET', ...RESET_CONFIG], ...extra];
  for (const args of setup) {
    const [a, b] = await both(r.admin, c.admin, args);
    if (a !== b) return { index: -1, conn: -1, args, redis: a, cachette: b };
  }
  for (let i = 0; i < CONNECTIONS; i++) {
    // RESET keeps CLIENT NO-EVICT (as in Redis), so it is switched off too: each sequence starts alike.
    const steps = proto === 3 ? [['RESET'], ['CLIENT', 'NO-EVICT', 'off'], ['HELLO', '3']] : [['RESET'], ['CLIENT', 'NO-EVICT', 'off']];
    for (const args of steps) {
      const [a, b] = await both(r.conns[i]!, c.conns[i]!, args);
      const [nb, na] = normalise(args, b, a);
      if (na !== nb) return { index: -1, conn: i, args, redis: a, cachette: b };
    }
  }
  return null;
}

/**
 * Runs one sequence on both servers; returns the first mismatch, or null.
 * With `watch` (notify-keyspace-events flags), a watcher on each server
 * collects every keyspace event, and the two event streams must be equal
 * byte for byte after the sequence.
 */
export async function runSequence(r: Side, c: Side, proto: 2 | 3, cmds: Cmd[], extraSetup: string[][] = [], watch?: string): Promise<Mismatch | null> {
  const setup = watch === undefined ? extraSetup : [...extraSetup, ['CONFIG', 'SET', 'notify-keyspace-events', watch]];
  const bad = await reset(r, c, proto, setup);
  if (bad !== null) return bad;
  if (watch === undefined) return runCommands(r, c, cmds);
  const [wr, wc] = await Promise.all([Watcher.open(r.port, proto), Watcher.open(c.port, proto)]);
  try {
    const m = await runCommands(r, c, cmds);
    if (m !== null) return m;
    const [er, ec] = await Promise.all([wr.events(), wc.events()]);
    if (er !== ec) {
      return { index: cmds.length - 1, conn: -1, args: [`(keyspace events, notify-keyspace-events ${watch})`], redis: er, cachette: ec };
    }
    return null;
  } finally {
    wr.close();
    wc.close();
  }
}

async function runCommands(r: Side, c: Side, cmds: Cmd[]): Promise<Mismatch | null> {
  const tx = new TxTracker(CONNECTIONS);
  const inMulti = new Set<number>();
  // The largest round trip so far bounds how far apart the servers ran any command (CompareContext).
  const ctx: CompareContext = { skewMs: 1 };
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    const args = materialize(cmd, i);
    const n0 = names(args)[0];
    if ((n0 === 'SORT' || n0 === 'SORT_RO') && !inMulti.has(cmd.conn)) {
      // Redis's SORT reads errno without clearing it (SORT_STALE_ERRNO): clear it first
      // with a float parse that succeeds and changes nothing (ZADD XX of a missing key).
      await both(r.conns[cmd.conn]!, c.conns[cmd.conn]!, ['ZADD', 'errno:reset', 'XX', '0', 'm']);
    }
    const t0 = performance.now();
    let [a, b] = await both(r.conns[cmd.conn]!, c.conns[cmd.conn]!, args);
    if (n0 === 'MULTI' && a === '+OK\r\n') inMulti.add(cmd.conn);
    else if (n0 === 'EXEC' || n0 === 'DISCARD' || n0 === 'RESET') inMulti.delete(cmd.conn);
    ctx.skewMs = Math.max(ctx.skewMs, Math.ceil(performance.now() - t0) + 1);
    if (a !== b && HASH_ORDER.has(names(args)[0])) [a, b] = await hashOrder(r.conns[cmd.conn]!, c.conns[cmd.conn]!, args, a, b);
    const queuedBefore = names(args)[0] === 'EXEC' ? tx.peek(cmd.conn) : null;
    observeSetConfig(args, a);
    const sctx = await setContext(r.conns[cmd.conn]!, c.conns[cmd.conn]!, args, a);
    if (typeof sctx === 'string') return { index: i, conn: cmd.conn, args, redis: a, cachette: sctx };
    const rctx: ReplyContext = { ...sctx, skewMs: ctx.skewMs };
    const [nb, na] = tx.normalise(cmd.conn, args, b, a, rctx);
    if (na !== nb) return { index: i, conn: cmd.conn, args, redis: a, cachette: b };
    const ranRandomkey = (names(args)[0] === 'RANDOMKEY' && a !== '+QUEUED\r\n') || (queuedBefore !== null && queuedBefore.some((q) => names(q)[0] === 'RANDOMKEY'));
    if (ranRandomkey) {
      // RANDOMKEY deletes the expired keys it happens to land on, so the two
      // servers may now hold different not-yet-reclaimed keys (visible to
      // DBSIZE). A full SCAN deletes every expired key it visits, on both,
      // which brings them back to the same state. Its replies are not compared.
      await both(r.conns[cmd.conn]!, c.conns[cmd.conn]!, ['SCAN', '0', 'COUNT', '1000']);
    }
  }
  // A PING sentinel on every connection: a reply the last command left
  // behind (extra bytes) would come back in place of the PONG.
  for (let i = 0; i < CONNECTIONS; i++) {
    const [a, b] = await both(r.conns[i]!, c.conns[i]!, ['PING', 'sentinel']);
    if (a !== b) return { index: cmds.length - 1, conn: i, args: ['PING', 'sentinel', '(after the sequence)'], redis: a, cachette: b };
  }
  return null;
}

/** Quotes an argument the way redis-cli reads it back. */
function cliQuote(a: string): string {
  if (a.length > 0 && /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a)) return a;
  let out = '"';
  for (const ch of a) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** A failing sequence as a script to paste into redis-cli (connection switches as comments). */
export function toScript(proto: 2 | 3, cmds: Cmd[], m: Mismatch): string {
  const lines = [`# differential mismatch (RESP${proto}); paste into: redis-cli${proto === 3 ? ' -3' : ''}`];
  let conn = -1;
  const upto = m.index === -1 ? -1 : m.index;
  for (let i = 0; i <= upto; i++) {
    const c = cmds[i]!;
    if (c.conn !== conn) { lines.push(`# --- connection ${c.conn} ---`); conn = c.conn; }
    lines.push(materialize(c, i).map(cliQuote).join(' '));
  }
  if (m.index === -1) lines.push(`# during setup on connection ${m.conn}: ${m.args.map(cliQuote).join(' ')}`);
  if (m.conn === -1 && m.index >= 0) lines.push(`# compared: ${m.args.join(' ')}, seen by a PSUBSCRIBE __key*__:* watcher`);
  const show = (x: string): string => (x.length > 600 ? `${JSON.stringify(x.slice(0, 600))}... (${x.length} bytes)` : JSON.stringify(x));
  lines.push(`# redis replied:    ${show(m.redis)}`);
  lines.push(`# cachette replied: ${show(m.cachette)}`);
  const [nc, nr] = normalise(m.args, m.cachette, m.redis, { skewMs: 1 });
  if (nc !== m.cachette || nr !== m.redis) {
    // Where the two normalised forms part (what was actually compared).
    let k = 0;
    while (k < nc.length && k < nr.length && nc[k] === nr[k]) k++;
    const from = Math.max(0, k - 80);
    lines.push(`# compared as (from byte ${from}), redis:    ${show(nr.slice(from))}`);
    lines.push(`# compared as (from byte ${from}), cachette: ${show(nc.slice(from))}`);
    if (process.env.DIFF_DEBUG) lines.push(nr, nc);
  }
  return lines.join('\n');
}

export async function openSide(port: number): Promise<Side> {
  const conns: RespConn[] = [];
  for (let i = 0; i < CONNECTIONS; i++) conns.push(await RespConn.connect(port));
  return { conns, admin: await RespConn.connect(port), port };
}

export function closeSide(s: Side): void {
  for (const c of s.conns) c.close();
  s.admin.close();
}
