/**
 * Hash commands: HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN HEXISTS HKEYS
 * HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, over the HashValue
 * structure of ../types/hash.ts (its encodings, order and costs are described
 * there).
 *
 * Semantics follow Redis 7.0.15's t_hash.c:
 * - Lookups: the writes look the key up as lookupKeyWrite, the reads as
 *   lookupKeyRead (keyspace hits/misses, keymiss events); a write to a
 *   missing key creates the hash (the 'new' event comes first).
 * - Order of checks: HINCRBY's and HINCRBYFLOAT's increment, HRANDFIELD's
 *   count and options and HSCAN's cursor are checked before the key (so they
 *   win over WRONGTYPE); HSCAN's MATCH/COUNT options after it (a missing key
 *   answers an empty scan whatever they are).
 * - Encodings: HSET, HMSET and HSETNX convert a listpack to a hashtable when
 *   any argument is longer than hash-max-listpack-value, before storing
 *   (hashTypeTryConversion); HINCRBY/HINCRBYFLOAT convert through
 *   HashValue.set on a long field or result; one field past
 *   hash-max-listpack-entries converts after it is added. Both limits are
 *   read live from the config.
 * - Keyspace events: hset (HSET, HMSET, HSETNX when it sets), hdel (once
 *   per HDEL that deleted anything) then del when the last field went,
 *   hincrby, hincrbyfloat.
 * - RESP3: HGETALL is a map; HRANDFIELD ... WITHVALUES gives [field, value]
 *   pairs (a flat array in RESP2); everything else is as in RESP2.
 * - HRANDFIELD follows hrandfieldWithCountCommand's cases with the seeded
 *   PRNG: a negative count (or 1) samples with repetition; a count at least
 *   the size returns the whole hash in its order; a count above a third of
 *   the size removes random fields from a copy; a smaller one picks distinct
 *   random fields (a listpack in one ordered pass, as lpRandomPairsUnique).
 *   A negative count's reply stops when the client's output limit closes it,
 *   as in Redis, or at MAX_RANDOM_REPLY_BYTES (util.ts), where Redis with no
 *   limit would run out of memory.
 */

import type { Client } from '../connection.js';
import { HashValue, hashIncrBy, hashIncrByFloat, parseHashFloatIncrement, type HashLimits } from '../types/hash.js';
import { globMatch } from '../glob.js';
import { parseCursor, parseInt64, type Int } from '../numbers.js';
import { defineCommand, type Command } from './table.js';
import { intArg, notify, opt, RANDOM_REPLY_CHECK_EVERY, randomReplyTooLarge, scanOpts } from './util.js';
import {
  INVALID_CURSOR, NOT_INT, SYNTAX, OUT_OF_RANGE, outOfRangeBetween, WRONGTYPE, wrongArity,
} from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_HASH } from '../notify.js';

/** The limits, read live from the config into one reused object (no allocation per command). */
const LIMITS: HashLimits = { maxEntries: 512, maxValue: 64 };
function limits(c: Client): HashLimits {
  const cfg = c.server.config;
  LIMITS.maxEntries = Number(cfg['hash-max-listpack-entries']);
  LIMITS.maxValue = Number(cfg['hash-max-listpack-value']);
  return LIMITS;
}

/** The hash at a slot, or null after replying WRONGTYPE. */
function hashAt(c: Client, slot: number): HashValue | null {
  const v = c.db.vals[slot]!;
  if (typeof v === 'string' || v.type !== 'hash') { c.error(WRONGTYPE); return null; }
  return v as HashValue;
}

/** A reply's array header for a count that may exceed 2^53 (HRANDFIELD -9223372036854775807). */
function arrayHeader(c: Client, n: Int): void {
  if (typeof n === 'number' || n <= 9007199254740991n) c.w.array(Number(n)); else c.w.raw(`*${n}\r\n`);
}

/** An integer reply from a decimal string known to be an int64. */
function integerOf(s: string): Int {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

// ---- writes -------------------------------------------------------------------

/** HSET key field value [field value ...] / HMSET: the same, HMSET replies OK. */
function hsetGeneric(c: Client, args: string[], hmset: boolean): void {
  if (args.length % 2 === 1) { c.error(wrongArity(hmset ? 'hmset' : 'hset')); return; }
  const db = c.db;
  const now = c.server.now;
  const key = args[1]!;
  const lim = limits(c);
  const s = db.lookupWrite(key, now);
  let created = 0;
  if (s === -1) {
    const h = new HashValue();
    h.convertIfLong(args, 2, args.length - 1, lim);
    for (let i = 2; i < args.length; i += 2) if (h.set(args[i]!, args[i + 1]!, lim)) created++;
    db.add(key, h, now);
  } else {
    const h = hashAt(c, s);
    if (h === null) return;
    const before = h.bytes;
    h.convertIfLong(args, 2, args.length - 1, lim);
    for (let i = 2; i < args.length; i += 2) if (h.set(args[i]!, args[i + 1]!, lim)) created++;
    db.valueChanged(s, before);
  }
  if (hmset) c.w.ok(); else c.w.integer(created);
  notify(c, NOTIFY_HASH, 'hset', key);
}

function hset(c: Client, args: string[]): void { hsetGeneric(c, args, false); }
function hmset(c: Client, args: string[]): void { hsetGeneric(c, args, true); }

function hsetnx(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const key = args[1]!;
  const s = db.lookupWrite(key, now);
  const lim = limits(c);
  if (s === -1) {
    const h = new HashValue();
    h.convertIfLong(args, 2, 3, lim);
    h.set(args[2]!, args[3]!, lim);
    db.add(key, h, now);
  } else {
    const h = hashAt(c, s);
    if (h === null) return;
    if (h.has(args[2]!)) { c.w.integer(0); return; }
    const before = h.bytes;
    h.convertIfLong(args, 2, 3, lim);
    h.set(args[2]!, args[3]!, lim);
    db.valueChanged(s, before);
  }
  c.w.integer(1);
  notify(c, NOTIFY_HASH, 'hset', key);
}

function hdel(c: Client, args: string[]): void {
  const db = c.db;
  const key = args[1]!;
  const s = db.lookupWrite(key, c.server.now);
  if (s === -1) { c.w.integer(0); return; }
  const h = hashAt(c, s);
  if (h === null) return;
  const before = h.bytes;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < args.length; i++) {
    if (h.delete(args[i]!)) {
      deleted++;
      if (h.size === 0) { removed = true; break; }
    }
  }
  if (deleted > 0) {
    db.valueChanged(s, before);
    if (removed) db.deleteSlot(s);
    notify(c, NOTIFY_HASH, 'hdel', key);
    if (removed) notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.integer(deleted);
}

/** Stores `value` under `field` of the hash at `s`, creating the key when s is -1. */
function storeField(c: Client, s: number, h: HashValue | null, key: string, field: string, value: string): void {
  const lim = limits(c);
  if (h === null) {
    const n = new HashValue();
    n.set(field, value, lim);
    c.db.add(key, n, c.server.now);
    return;
  }
  const before = h.bytes;
  h.set(field, value, lim);
  c.db.valueChanged(s, before);
}

function hincrby(c: Client, args: string[]): void {
  const incr = intArg(c, args[3]!);
  if (incr === null) return;
  const key = args[1]!;
  const field = args[2]!;
  const s = c.db.lookupWrite(key, c.server.now);
  let h: HashValue | null = null;
  if (s !== -1 && (h = hashAt(c, s)) === null) return;
  const r = hashIncrBy(h === null ? undefined : h.get(field), incr);
  if ('error' in r) { c.error(r.error); return; }
  storeField(c, s, h, key, field, r.value);
  c.w.integer(integerOf(r.value));
  notify(c, NOTIFY_HASH, 'hincrby', key);
}

function hincrbyfloat(c: Client, args: string[]): void {
  const inc = parseHashFloatIncrement(args[3]!);
  if (typeof inc === 'string') { c.error(inc); return; }
  const key = args[1]!;
  const field = args[2]!;
  const s = c.db.lookupWrite(key, c.server.now);
  let h: HashValue | null = null;
  if (s !== -1 && (h = hashAt(c, s)) === null) return;
  const r = hashIncrByFloat(h === null ? undefined : h.get(field), inc);
  if ('error' in r) { c.error(r.error); return; }
  storeField(c, s, h, key, field, r.value);
  c.w.bulk(r.value);
  notify(c, NOTIFY_HASH, 'hincrbyfloat', key);
}

// ---- reads --------------------------------------------------------------------

/** The hash under `key` for a read: null after replying (`missing` for an absent key) or WRONGTYPE. */
function readHash(c: Client, key: string, missing: (c: Client) => void): HashValue | null {
  const s = c.db.lookupRead(key, c.server.now);
  if (s === -1) { missing(c); return null; }
  return hashAt(c, s);
}

const replyNil = (c: Client): void => c.w.nil();
const replyZero = (c: Client): void => c.w.integer(0);
const replyEmptyArray = (c: Client): void => c.w.array(0);
const replyEmptyMap = (c: Client): void => c.w.map(0);
const replyEmptyScan = (c: Client): void => { c.w.array(2); c.w.bulk('0'); c.w.array(0); };

function hget(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyNil);
  if (h === null) return;
  const v = h.get(args[2]!);
  if (v === undefined) c.w.nil(); else c.w.bulk(v);
}

function hmget(c: Client, args: string[]): void {
  const s = c.db.lookupRead(args[1]!, c.server.now);
  let h: HashValue | null = null;
  if (s !== -1 && (h = hashAt(c, s)) === null) return;
  const w = c.w;
  w.array(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const v = h === null ? undefined : h.get(args[i]!);
    if (v === undefined) w.nil(); else w.bulk(v);
  }
}

function hlen(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyZero);
  if (h !== null) c.w.integer(h.size);
}

function hstrlen(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyZero);
  if (h !== null) c.w.integer(h.strlen(args[2]!));
}

function hexists(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyZero);
  if (h !== null) c.w.integer(h.has(args[2]!) ? 1 : 0);
}

function hkeys(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyEmptyArray);
  if (h === null) return;
  const n = h.size;
  c.w.array(n);
  for (let p = 0; p < n; p++) c.w.bulk(h.fieldAt(p));
}

function hvals(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyEmptyArray);
  if (h === null) return;
  const n = h.size;
  c.w.array(n);
  for (let p = 0; p < n; p++) c.w.bulk(h.valueAt(p));
}

function hgetall(c: Client, args: string[]): void {
  const h = readHash(c, args[1]!, replyEmptyMap);
  if (h === null) return;
  const n = h.size;
  const w = c.w;
  w.map(n);
  for (let p = 0; p < n; p++) { w.bulk(h.fieldAt(p)); w.bulk(h.valueAt(p)); }
}

// ---- HSCAN ----------------------------------------------------------------------

/** HSCAN key cursor [MATCH pattern] [COUNT count] (scanGenericCommand on a hash). */
function hscan(c: Client, args: string[]): void {
  const cursor = parseCursor(args[2]!);
  if (cursor === null) { c.error(INVALID_CURSOR); return; }
  const h = readHash(c, args[1]!, replyEmptyScan);
  if (h === null) return;
  const so = scanOpts(c, args, 3, false);
  if (so === null) return;
  const { count, match } = so;
  const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
  const out: string[] = [];
  const next = h.scan(start, count, (f, v) => {
    if (match === null || globMatch(match, f)) out.push(f, v);
  });
  c.w.array(2);
  c.w.bulk(String(next));
  c.w.array(out.length);
  for (let i = 0; i < out.length; i++) c.w.bulk(out[i]!);
}

// ---- HRANDFIELD -----------------------------------------------------------------

const LONG_MAX = 9223372036854775807n;
const HALF_LONG_MAX = LONG_MAX / 2n;
/** hrandfieldWithCountCommand's HRANDFIELD_SUB_STRATEGY_MUL. */
const SUB_STRATEGY_MUL = 3;

/** One field (and value) of a HRANDFIELD reply: [field, value] in RESP3 with values, flat in RESP2. */
function replyPair(c: Client, h: HashValue, p: number, withvalues: boolean): void {
  const w = c.w;
  if (withvalues && w.resp === 3) w.array(2);
  w.bulk(h.fieldAt(p));
  if (withvalues) w.bulk(h.valueAt(p));
}

/** HRANDFIELD key [count [WITHVALUES]]. */
function hrandfield(c: Client, args: string[]): void {
  if (args.length === 2) {
    const h = readHash(c, args[1]!, replyNil);
    if (h === null) return;
    c.w.bulk(h.fieldAt(h.randomIndex(c.server.policy.random)));
    return;
  }
  const l = parseInt64(args[2]!);
  if (l === null) { c.error(NOT_INT); return; }
  if (l < -LONG_MAX) { c.error(outOfRangeBetween(-LONG_MAX, LONG_MAX)); return; }
  if (args.length > 4 || (args.length === 4 && opt(args[3]!) !== 'withvalues')) { c.error(SYNTAX); return; }
  const withvalues = args.length === 4;
  if (withvalues && (l < -HALF_LONG_MAX || l > HALF_LONG_MAX)) { c.error(OUT_OF_RANGE); return; }
  const h = readHash(c, args[1]!, replyEmptyArray);
  if (h === null) return;
  randomFields(c, h, l, withvalues);
}

/** hrandfieldWithCountCommand's cases, for a count already checked. */
function randomFields(c: Client, h: HashValue, l: Int, withvalues: boolean): void {
  const w = c.w;
  const random = c.server.policy.random;
  const uniq = l >= 0;
  const count: Int = typeof l === 'number' ? Math.abs(l) : (l < 0n ? -l : l);
  if (count === 0) { w.array(0); return; }
  const resp2Flat = withvalues && w.resp === 2;

  // Case 1: a negative count (or 1): sampling with repetition, in pick order.
  if (!uniq || count === 1) {
    arrayHeader(c, resp2Flat ? BigInt(count) * 2n : count);
    // Redis stops when the client's output limit closes it; cachette also at
    // MAX_RANDOM_REPLY_BYTES (util.ts), where Redis would run out of memory.
    let left = Number(count);
    while (left-- > 0) {
      replyPair(c, h, h.randomIndex(random), withvalues);
      if (left % RANDOM_REPLY_CHECK_EVERY === 0 && randomReplyTooLarge(c)) return;
    }
    return;
  }

  const size = h.size;
  const n = Number(count); // distinct fields: at most size, so only the comparison below needs precision
  const replySize = n < size ? n : size;
  w.array(resp2Flat ? replySize * 2 : replySize);

  // Case 2: the whole hash, in its order.
  if (n >= size) {
    for (let p = 0; p < size; p++) replyPair(c, h, p, withvalues);
    return;
  }

  // Case 3: most of the hash: drop random positions from a copy until `n` remain.
  if (n * SUB_STRATEGY_MUL > size) {
    const keep: number[] = new Array<number>(size);
    for (let p = 0; p < size; p++) keep[p] = p;
    let left = size;
    while (left > n) {
      const i = Math.floor(random() * left);
      keep[i] = keep[--left]!;
    }
    for (let i = 0; i < n; i++) replyPair(c, h, keep[i]!, withvalues);
    return;
  }

  // Case 4, listpack: one pass, each field picked with probability (wanted left) / (fields left).
  if (h.encoding === 'listpack') {
    let remaining = n;
    for (let p = 0; p < size && remaining > 0; p++) {
      if (random() * (size - p) < remaining) {
        replyPair(c, h, p, withvalues);
        remaining--;
      }
    }
    return;
  }

  // Case 4, hashtable: random fields until `n` distinct ones, replied as they are found.
  const seen = new Set<number>();
  while (seen.size < n) {
    const p = h.randomIndex(random);
    if (seen.has(p)) continue;
    seen.add(p);
    replyPair(c, h, p, withvalues);
  }
}

const G = 'hash';
const K1: [number, number, number] = [1, 1, 1];
export const hashCommands: Command[] = [
  { name: 'hset', arity: -4, args: 'key field_value:(field value)...', flags: 'write denyoom fast', keyFlags: 'RW update', summary: 'Set the string value of a hash field', since: '2.0.0', complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', handler: hset },
  { name: 'hsetnx', arity: 4, args: 'key field value', flags: 'write denyoom fast', keyFlags: 'RW insert', summary: 'Set the value of a hash field, only if the field does not exist', since: '2.0.0', handler: hsetnx },
  { name: 'hget', arity: 3, args: 'key field', flags: 'readonly fast', keyFlags: 'RO access', summary: 'Get the value of a hash field', since: '2.0.0', handler: hget },
  { name: 'hmget', arity: -3, args: 'key field...', flags: 'readonly fast', keyFlags: 'RO access', summary: 'Get the values of all the given hash fields', since: '2.0.0', complexity: 'O(N) where N is the number of fields being requested.', handler: hmget },
  { name: 'hmset', arity: -4, args: 'key field_value:(field value)...', flags: 'write denyoom fast', keyFlags: 'RW update', summary: 'Set multiple hash fields to multiple values', since: '2.0.0', complexity: 'O(N) where N is the number of fields being set.', handler: hmset },
  { name: 'hdel', arity: -3, args: 'key field...', flags: 'write fast', keyFlags: 'RW delete', summary: 'Delete one or more hash fields', since: '2.0.0', complexity: 'O(N) where N is the number of fields to be removed.', handler: hdel },
  { name: 'hlen', arity: 2, args: 'key', flags: 'readonly fast', keyFlags: 'RO', summary: 'Get the number of fields in a hash', since: '2.0.0', handler: hlen },
  { name: 'hstrlen', arity: 3, args: 'key field', flags: 'readonly fast', keyFlags: 'RO', summary: 'Get the length of the value of a hash field', since: '3.2.0', handler: hstrlen },
  { name: 'hexists', arity: 3, args: 'key field', flags: 'readonly fast', keyFlags: 'RO', summary: 'Determine if a hash field exists', since: '2.0.0', handler: hexists },
  { name: 'hkeys', arity: 2, args: 'key', flags: 'readonly', tips: 'nondeterministic_output_order', keyFlags: 'RO access', summary: 'Get all the fields in a hash', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.', handler: hkeys },
  { name: 'hvals', arity: 2, args: 'key', flags: 'readonly', tips: 'nondeterministic_output_order', keyFlags: 'RO access', summary: 'Get all the values in a hash', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.', handler: hvals },
  { name: 'hgetall', arity: 2, args: 'key', flags: 'readonly', tips: 'nondeterministic_output_order', keyFlags: 'RO access', summary: 'Get all the fields and values in a hash', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.', handler: hgetall },
  { name: 'hincrby', arity: 4, args: 'key field increment:integer', flags: 'write denyoom fast', keyFlags: 'RW access update', summary: 'Increment the integer value of a hash field by the given number', since: '2.0.0', handler: hincrby },
  { name: 'hincrbyfloat', arity: 4, args: 'key field increment:double', flags: 'write denyoom fast', keyFlags: 'RW access update', summary: 'Increment the float value of a hash field by the given amount', since: '2.6.0', handler: hincrbyfloat },
  { name: 'hrandfield', arity: -2, args: 'key options:[count:integer [WITHVALUES]]', flags: 'readonly', tips: 'nondeterministic_output', keyFlags: 'RO access', summary: 'Get one or multiple random fields from a hash', since: '6.2.0', complexity: 'O(N) where N is the number of fields returned', handler: hrandfield },
  { name: 'hscan', arity: -3, args: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]', flags: 'readonly', tips: 'nondeterministic_output', keyFlags: 'RO access', summary: 'Incrementally iterate hash fields and associated values', since: '2.8.0', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', handler: hscan },
].map((d) => defineCommand({ ...d, group: G, keys: K1 }));
