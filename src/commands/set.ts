/**
 * Set commands: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SRANDMEMBER
 * SPOP SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
 * SDIFFSTORE SSCAN, over SetValue (../types/set.ts).
 *
 * Semantics follow Redis 7.0.15's t_set.c, including what is visible of its
 * algorithms:
 * - Lookups: the read commands and every source set of SINTER/SUNION/SDIFF
 *   (STORE forms too) are reads (keyspace hits/misses, keymiss events); SADD,
 *   SREM, SPOP and both SMOVE keys are writes. Sources are looked up in
 *   argument order and the first one of the wrong type stops the command.
 * - Encodings: a new set, and every temporary result set (SUNION, SDIFF, the
 *   STORE forms, SPOP of the whole set), starts as an intset, so a result
 *   holding only integers (at most set-max-intset-entries) is an intset and
 *   comes out in ascending numeric order whatever its sources were. SINTER
 *   and SMEMBERS reply in the order of their smallest source set. SPOP with a
 *   count that leaves few members rebuilds the set from them (Redis's
 *   "case 3"), so such a set can become an intset again.
 * - SDIFF picks Redis's algorithm 1 or 2 by the same estimate; it decides
 *   the encoding of a stored result (algorithm 2 first copies the whole
 *   first set).
 * - Keyspace events, in Redis's order: sadd, srem (+ del when the last member
 *   goes), spop (+ del), smove as srem on the source (+ del) then sadd on the
 *   destination, sinterstore/sunionstore/sdiffstore (or del when the result
 *   is empty and the destination existed).
 *
 * Random replies use the server's seeded PRNG (`seed`). SRANDMEMBER and SPOP
 * follow Redis's choices for which elements come back (a positive count gives
 * distinct members, a negative one allows repeats, a count at least the size
 * gives the whole set); the order of a sample is free, as in Redis.
 */

import type { Client } from '../connection.js';
import { parseCursor, parseInt64 } from '../numbers.js';
import { globMatch } from '../glob.js';
import { SetValue, type SetLimits } from '../types/set.js';
import { defineCommand, type Command } from './table.js';
import { notify, opt, RANDOM_REPLY_CHECK_EVERY, randomReplyTooLarge, scanOpts } from './util.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../notify.js';
import {
  INVALID_CURSOR, LIMIT_NEGATIVE, NOT_INT, NUMKEYS_EXCEED_ARGS, NUMKEYS_NOT_POSITIVE, OUT_OF_RANGE_POSITIVE,
  outOfRangeBetween, SYNTAX, WRONGTYPE,
} from '../errors.js';

/** set-max-intset-entries, refreshed from the live config by limits() (one object, no allocation per command). */
const LIMITS: SetLimits = { maxIntsetEntries: 512 };

function limits(c: Client): SetLimits {
  LIMITS.maxIntsetEntries = Number(c.server.config['set-max-intset-entries']);
  return LIMITS;
}

/** The set at `slot`, or null after replying WRONGTYPE. */
function asSet(c: Client, slot: number): SetValue | null {
  const v = c.db.vals[slot]!;
  if (typeof v === 'string' || v.type !== 'set') { c.error(WRONGTYPE); return null; }
  return v as SetValue;
}

/** Writes a set reply (RESP3 `~`, RESP2 `*`) of every member, in the set's order. */
function replyMembers(c: Client, set: SetValue): void {
  const w = c.w;
  const n = set.size;
  w.set(n);
  for (let i = 0; i < n; i++) w.bulk(set.memberAt(i));
}

// ---- SADD SREM SMOVE ----------------------------------------------------------

function sadd(c: Client, args: string[]): void {
  const db = c.db;
  const key = args[1]!;
  const now = c.server.now;
  const lim = limits(c);
  const s = db.lookupWrite(key, now);
  let added = 0;
  if (s === -1) {
    // Redis creates the key first (the 'new' event), then adds: same events, same encoding.
    const set = new SetValue();
    for (let i = 2; i < args.length; i++) if (set.add(args[i]!, lim)) added++;
    db.add(key, set, now);
  } else {
    const set = asSet(c, s);
    if (set === null) return;
    const before = set.bytes;
    for (let i = 2; i < args.length; i++) if (set.add(args[i]!, lim)) added++;
    if (added !== 0) db.valueChanged(s, before);
  }
  if (added !== 0) notify(c, NOTIFY_SET, 'sadd', key);
  c.w.integer(added);
}

function srem(c: Client, args: string[]): void {
  const db = c.db;
  const key = args[1]!;
  const s = db.lookupWrite(key, c.server.now);
  if (s === -1) { c.w.integer(0); return; }
  const set = asSet(c, s);
  if (set === null) return;
  const before = set.bytes;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < args.length; i++) {
    if (!set.delete(args[i]!)) continue;
    deleted++;
    if (set.size === 0) { db.deleteSlot(s); removed = true; break; }
  }
  if (deleted !== 0) {
    if (!removed) db.valueChanged(s, before);
    notify(c, NOTIFY_SET, 'srem', key);
    if (removed) notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.integer(deleted);
}

function smove(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const src = args[1]!;
  const dst = args[2]!;
  const member = args[3]!;
  let ss = db.lookupWrite(src, now);
  let ds = db.lookupWrite(dst, now);
  if (ss === -1) { c.w.integer(0); return; }
  // The destination's lookup may have expired it, which moves the last slot.
  ss = db.find(src);
  const from = asSet(c, ss);
  if (from === null) return;
  let to: SetValue | null = null;
  if (ds !== -1) {
    to = asSet(c, ds);
    if (to === null) return;
  }
  if (from === to) { c.w.integer(from.has(member) ? 1 : 0); return; }
  const before = from.bytes;
  if (!from.delete(member)) { c.w.integer(0); return; }
  notify(c, NOTIFY_SET, 'srem', src);
  if (from.size === 0) {
    db.deleteSlot(ss);
    notify(c, NOTIFY_GENERIC, 'del', src);
    // Deleting moves the last slot into the hole: find the destination again.
    if (ds !== -1) ds = db.find(dst);
  } else {
    db.valueChanged(ss, before);
  }
  const lim = limits(c);
  if (to === null) {
    const set = new SetValue();
    set.add(member, lim);
    db.add(dst, set, now);
    notify(c, NOTIFY_SET, 'sadd', dst);
  } else {
    const b = to.bytes;
    if (to.add(member, lim)) {
      db.valueChanged(ds, b);
      notify(c, NOTIFY_SET, 'sadd', dst);
    }
  }
  c.w.integer(1);
}

// ---- SCARD SISMEMBER SMISMEMBER ---------------------------------------------------

function scard(c: Client, args: string[]): void {
  const s = c.db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.integer(0); return; }
  const set = asSet(c, s);
  if (set !== null) c.w.integer(set.size);
}

function sismember(c: Client, args: string[]): void {
  const s = c.db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.integer(0); return; }
  const set = asSet(c, s);
  if (set !== null) c.w.integer(set.has(args[2]!) ? 1 : 0);
}

function smismember(c: Client, args: string[]): void {
  const s = c.db.lookupRead(args[1]!, c.server.now);
  let set: SetValue | null = null;
  if (s !== -1) {
    set = asSet(c, s);
    if (set === null) return;
  }
  const w = c.w;
  w.array(args.length - 2);
  for (let i = 2; i < args.length; i++) w.integer(set !== null && set.has(args[i]!) ? 1 : 0);
}

// ---- SPOP SRANDMEMBER ---------------------------------------------------------

/** SPOP with a count: Redis's "case 2" (pop one by one) while remaining * 5 > count, else "case 3" (rebuild). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spop(c: Client, args: string[]): void {
  if (args.length === 3) { spopWithCount(c, args); return; }
  if (args.length > 3) { c.error(SYNTAX); return; }
  const db = c.db;
  const key = args[1]!;
  const s = db.lookupWrite(key, c.server.now);
  if (s === -1) { c.w.nil(); return; }
  const set = asSet(c, s);
  if (set === null) return;
  const before = set.bytes;
  const i = set.randomIndex(c.server.policy.random);
  const member = set.memberAt(i);
  set.deleteAt(i);
  notify(c, NOTIFY_SET, 'spop', key);
  c.w.bulk(member);
  if (set.size === 0) {
    db.deleteSlot(s);
    notify(c, NOTIFY_GENERIC, 'del', key);
  } else {
    db.valueChanged(s, before);
  }
}

function spopWithCount(c: Client, args: string[]): void {
  const n = parseInt64(args[2]!);
  if (n === null || n < 0) { c.error(OUT_OF_RANGE_POSITIVE); return; }
  const db = c.db;
  const key = args[1]!;
  const now = c.server.now;
  const s = db.lookupWrite(key, now);
  if (s === -1) { c.w.set(0); return; }
  const set = asSet(c, s);
  if (set === null) return;
  if (n === 0) { c.w.set(0); return; }
  const size = set.size;
  notify(c, NOTIFY_SET, 'spop', key);
  const w = c.w;
  const lim = limits(c);
  if (n >= size) {
    // Case 1: the whole set, replied as SUNION of the key (a read lookup, a
    // new intset-first set), then the key is deleted.
    db.lookupRead(key, now);
    const all = new SetValue();
    set.forEach((m) => { all.add(m, lim); });
    replyMembers(c, all);
    db.deleteSlot(s);
    notify(c, NOTIFY_GENERIC, 'del', key);
    return;
  }
  let count = Number(n);
  let remaining = size - count;
  const random = c.server.policy.random;
  const before = set.bytes;
  w.set(count);
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Case 2: pop random members one by one.
    while (count-- > 0) {
      const i = set.randomIndex(random);
      w.bulk(set.memberAt(i));
      set.deleteAt(i);
    }
    db.valueChanged(s, before);
    return;
  }
  // Case 3: move the members that stay into a new set (intset-first, as
  // Redis's setTypeCreate), reply what is left of the old one in its order,
  // and store the new set in the key's place (TTL kept).
  const kept = new SetValue();
  while (remaining-- > 0) {
    const i = set.randomIndex(random);
    kept.add(set.memberAt(i), lim);
    set.deleteAt(i);
  }
  set.forEach((m) => { w.bulk(m); });
  db.valueChanged(s, before);
  db.setValue(s, kept);
}

function srandmember(c: Client, args: string[]): void {
  if (args.length === 3) { srandmemberWithCount(c, args); return; }
  if (args.length > 3) { c.error(SYNTAX); return; }
  const s = c.db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.nil(); return; }
  const set = asSet(c, s);
  if (set === null) return;
  c.w.bulk(set.memberAt(set.randomIndex(c.server.policy.random)));
}

const LONG_MAX = 9223372036854775807n;

function srandmemberWithCount(c: Client, args: string[]): void {
  const n = parseInt64(args[2]!);
  if (n === null) { c.error(NOT_INT); return; }
  if (n < -LONG_MAX) { c.error(outOfRangeBetween(-LONG_MAX, LONG_MAX)); return; }
  const s = c.db.lookupRead(args[1]!, c.server.now);
  const w = c.w;
  if (s === -1) { w.array(0); return; }
  const set = asSet(c, s);
  if (set === null) return;
  if (n === 0) { w.array(0); return; }
  const random = c.server.policy.random;
  const size = set.size;
  if (n < 0 || n === 1) {
    // Case 1: with repetitions (or a single member), in random order. The
    // count can be as large as 2^63-1; the reply stops where Redis's would
    // (the client closed by its output limit), or at MAX_RANDOM_REPLY_BYTES.
    const count = n < 0 ? -Number(n) : 1;
    w.array(count);
    for (let k = 1; k <= count; k++) {
      w.bulk(set.memberAt(set.randomIndex(random)));
      if (k % RANDOM_REPLY_CHECK_EVERY === 0 && randomReplyTooLarge(c)) return;
    }
    return;
  }
  const count = Number(n);
  if (count >= size) {
    // Case 2: the whole set, in its order.
    w.array(size);
    for (let i = 0; i < size; i++) w.bulk(set.memberAt(i));
    return;
  }
  // Cases 3 and 4: `count` distinct members, uniformly (a partial Fisher-Yates
  // shuffle over positions, kept sparse: O(count) time and memory).
  w.array(count);
  const swapped = new Map<number, number>();
  for (let k = 0; k < count; k++) {
    const j = k + Math.floor(random() * (size - k));
    const at = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(k) ?? k);
    w.bulk(set.memberAt(at));
  }
}

// ---- SINTER SINTERCARD SINTERSTORE SMEMBERS -----------------------------------

/**
 * Looks up the source sets args[from..to) as reads, in order: a missing key
 * is null. Returns undefined after replying WRONGTYPE for the first key of
 * another type (the keys after it are not looked up).
 */
function lookupSets(c: Client, args: string[], from: number, to: number): Array<SetValue | null> | undefined {
  const db = c.db;
  const now = c.server.now;
  const sets: Array<SetValue | null> = [];
  for (let i = from; i < to; i++) {
    const s = db.lookupRead(args[i]!, now);
    if (s === -1) { sets.push(null); continue; }
    const set = asSet(c, s);
    if (set === null) return undefined;
    sets.push(set);
  }
  return sets;
}

/**
 * Stores a computed result set under `dst` (Redis's setKey: TTL dropped,
 * 'new' when created) with `event`, or, when it is empty, deletes `dst` as
 * Redis's dbDelete does (no expiry check) with a 'del' event if it existed.
 * Replies the result's size.
 */
function storeResult(c: Client, dst: string, result: SetValue, event: string): void {
  const db = c.db;
  if (result.size > 0) {
    db.setKey(dst, result, c.server.now);
    c.w.integer(result.size);
    notify(c, NOTIFY_SET, event, dst);
    return;
  }
  c.w.integer(0);
  if (db.deleteKey(dst)) notify(c, NOTIFY_GENERIC, 'del', dst);
}

/**
 * Redis's sinterGenericCommand over args[from..to): the intersection as a
 * set reply (dst null, cardOnly false), stored under dst, or its size
 * (cardOnly, stopping at `limit` when limit > 0).
 */
function sinterGeneric(c: Client, args: string[], from: number, to: number, dst: string | null, cardOnly: boolean, limit: number): void {
  const found = lookupSets(c, args, from, to);
  if (found === undefined) return;
  if (found.includes(null)) {
    // An empty set among the sources: the result is empty.
    if (dst !== null) {
      c.w.integer(0);
      if (c.db.deleteKey(dst)) notify(c, NOTIFY_GENERIC, 'del', dst);
    } else if (cardOnly) {
      c.w.integer(0);
    } else {
      c.w.set(0);
    }
    return;
  }
  if (found.length === 1 && dst === null && !cardOnly) { replyMembers(c, found[0]!); return; } // SMEMBERS
  // Smallest first (a stable sort, as glibc's qsort); iterate it, probe the others.
  const sets = (found as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const n = first.size;
  const out: string[] | null = dst === null && !cardOnly ? [] : null;
  const result = dst !== null ? new SetValue() : null;
  const lim = limits(c);
  let card = 0;
  for (let i = 0; i < n; i++) {
    const m = first.memberAt(i);
    let j = 1;
    for (; j < sets.length; j++) {
      const other = sets[j]!;
      if (other !== first && !other.has(m)) break;
    }
    if (j < sets.length) continue;
    if (cardOnly) {
      card++;
      if (limit > 0 && card >= limit) break;
    } else if (out !== null) {
      out.push(m);
    } else {
      result!.add(m, lim);
    }
  }
  if (cardOnly) { c.w.integer(card); return; }
  if (out !== null) {
    c.w.set(out.length);
    for (const m of out) c.w.bulk(m);
    return;
  }
  storeResult(c, dst!, result!, 'sinterstore');
}

function sintercard(c: Client, args: string[]): void {
  const keys = parseNumkeys(c, args);
  if (keys === null) return;
  let limit = 0;
  for (let j = 2 + keys; j < args.length; j++) {
    if (opt(args[j]!) === 'limit' && j + 1 < args.length) {
      const l = parseInt64(args[++j]!);
      if (l === null || l < 0) { c.error(LIMIT_NEGATIVE); return; }
      limit = Number(l);
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  sinterGeneric(c, args, 2, 2 + keys, null, true, limit);
}

/** SINTERCARD's numkeys (args[1]), checked against the arguments after it; null after replying the error. */
function parseNumkeys(c: Client, args: string[]): number | null {
  const n = parseInt64(args[1]!);
  if (n === null || n < 1) { c.error(NUMKEYS_NOT_POSITIVE); return null; }
  if (n > args.length - 2) { c.error(NUMKEYS_EXCEED_ARGS); return null; }
  return Number(n);
}

/** COMMAND GETKEYS / fault matching for SINTERCARD: the numkeys keys after numkeys, or null when numkeys is invalid. */
function sintercardKeys(args: readonly string[]): number[] | null {
  const n = parseInt64(args[1] ?? '');
  if (n === null || n < 1 || n > args.length - 2) return null;
  const out: number[] = [];
  for (let i = 0; i < Number(n); i++) out.push(2 + i);
  return out;
}

// ---- SUNION SUNIONSTORE SDIFF SDIFFSTORE --------------------------------------

/**
 * Redis's sunionDiffGenericCommand over args[from..to): the union or the
 * difference, built in a new intset-first set, replied as a set (dst null)
 * or stored under dst.
 */
function sunionDiffGeneric(c: Client, args: string[], from: number, to: number, dst: string | null, diff: boolean): void {
  const sets = lookupSets(c, args, from, to);
  if (sets === undefined) return;
  const first = sets[0]!;
  let sameset = false;
  for (let j = 1; j < sets.length; j++) if (sets[j] !== null && sets[j] === first) sameset = true;
  const result = new SetValue();
  const lim = limits(c);
  if (!diff) {
    for (const set of sets) if (set !== null) set.forEach((m) => { result.add(m, lim); });
  } else if (first !== null && !sameset) {
    // Redis's choice: algorithm 1 (probe each member of the first set) unless
    // copying the first set and removing the others' members is cheaper.
    let one = 0;
    let two = 0;
    for (const set of sets) {
      if (set === null) continue;
      one += first.size;
      two += set.size;
    }
    one = Math.floor(one / 2);
    if (one <= two) {
      first.forEach((m) => {
        for (let j = 1; j < sets.length; j++) {
          const other = sets[j];
          if (other !== null && other !== undefined && other.has(m)) return;
        }
        result.add(m, lim);
      });
    } else {
      for (let j = 0; j < sets.length; j++) {
        const set = sets[j];
        if (set === null || set === undefined) continue;
        if (j === 0) set.forEach((m) => { result.add(m, lim); });
        else set.forEach((m) => { result.delete(m); });
        if (result.size === 0) break;
      }
    }
  }
  if (dst === null) { replyMembers(c, result); return; }
  storeResult(c, dst, result, diff ? 'sdiffstore' : 'sunionstore');
}

// ---- SSCAN ----------------------------------------------------------------------

function sscan(c: Client, args: string[]): void {
  const cursor = parseCursor(args[2]!);
  if (cursor === null) { c.error(INVALID_CURSOR); return; }
  const s = c.db.lookupRead(args[1]!, c.server.now);
  const w = c.w;
  if (s === -1) { w.array(2); w.bulk('0'); w.array(0); return; }
  const set = asSet(c, s);
  if (set === null) return;
  const so = scanOpts(c, args, 3, false);
  if (so === null) return;
  const { count, match } = so;
  const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
  const out: string[] = [];
  const next = set.scan(start, count, (m) => { if (match === null || globMatch(match, m)) out.push(m); });
  w.array(2);
  w.bulk(String(next));
  w.array(out.length);
  for (const m of out) w.bulk(m);
}

// ---- the table ------------------------------------------------------------------

const G = 'set';
const K1: [number, number, number] = [1, 1, 1];
const KALL: [number, number, number] = [1, -1, 1];
const STORE: [number, number, number] = [1, -1, 1];
const SCAN_COMPLEXITY = 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..';
const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';

export const setCommands: Command[] = [
  defineCommand({ name: 'sadd', arity: -3, args: 'key member...', flags: 'write denyoom fast', keys: K1, keyFlags: 'RW insert', group: G, summary: 'Add one or more members to a set', since: '1.0.0', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', handler: sadd }),
  defineCommand({ name: 'srem', arity: -3, args: 'key member...', flags: 'write fast', keys: K1, keyFlags: 'RW delete', group: G, summary: 'Remove one or more members from a set', since: '1.0.0', complexity: 'O(N) where N is the number of members to be removed.', handler: srem }),
  defineCommand({ name: 'scard', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO', group: G, summary: 'Get the number of members in a set', since: '1.0.0', handler: scard }),
  defineCommand({ name: 'sismember', arity: 3, args: 'key member', flags: 'readonly fast', keys: K1, keyFlags: 'RO', group: G, summary: 'Determine if a given value is a member of a set', since: '1.0.0', handler: sismember }),
  defineCommand({ name: 'smismember', arity: -3, args: 'key member...', flags: 'readonly fast', keys: K1, keyFlags: 'RO access', group: G, summary: 'Returns the membership associated with the given elements for a set', since: '6.2.0', complexity: 'O(N) where N is the number of elements being checked for membership', handler: smismember }),
  defineCommand({ name: 'smembers', arity: 2, args: 'key', flags: 'readonly', keys: K1, keyFlags: 'RO access', tips: 'nondeterministic_output_order', group: G, summary: 'Get all the members in a set', since: '1.0.0', complexity: 'O(N) where N is the set cardinality.', handler: (c, a) => sinterGeneric(c, a, 1, 2, null, false, 0) }),
  defineCommand({ name: 'srandmember', arity: -2, args: 'key [count:integer]', flags: 'readonly', keys: K1, keyFlags: 'RO access', tips: 'nondeterministic_output', group: G, summary: 'Get one or multiple random members from a set', since: '1.0.0', complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.', handler: srandmember }),
  defineCommand({ name: 'spop', arity: -2, args: 'key [count:integer]', flags: 'write fast', keys: K1, keyFlags: 'RW access delete', tips: 'nondeterministic_output', group: G, summary: 'Remove and return one or multiple random members from a set', since: '1.0.0', complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', handler: spop }),
  defineCommand({ name: 'smove', arity: 4, args: 'source:key destination:key member', flags: 'write fast', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Move a member from one set to another', since: '1.0.0', handler: smove }),
  defineCommand({ name: 'sinter', arity: -2, args: 'key...', flags: 'readonly', keys: KALL, keyFlags: 'RO access', tips: 'nondeterministic_output_order', group: G, summary: 'Intersect multiple sets', since: '1.0.0', complexity: INTER_COMPLEXITY, handler: (c, a) => sinterGeneric(c, a, 1, a.length, null, false, 0) }),
  defineCommand({ name: 'sintercard', arity: -3, args: 'numkeys:integer key... [LIMIT limit:integer]', flags: 'readonly movablekeys', keyFlags: 'RO access', keysOf: sintercardKeys, group: G, summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0', complexity: INTER_COMPLEXITY, handler: sintercard }),
  defineCommand({ name: 'sinterstore', arity: -3, args: 'destination:key key...', flags: 'write denyoom', keys: STORE, keyFlags: 'RW update', group: G, summary: 'Intersect multiple sets and store the resulting set in a key', since: '1.0.0', complexity: INTER_COMPLEXITY, handler: (c, a) => sinterGeneric(c, a, 2, a.length, a[1]!, false, 0) }),
  defineCommand({ name: 'sunion', arity: -2, args: 'key...', flags: 'readonly', keys: KALL, keyFlags: 'RO access', tips: 'nondeterministic_output_order', group: G, summary: 'Add multiple sets', since: '1.0.0', complexity: UNION_COMPLEXITY, handler: (c, a) => sunionDiffGeneric(c, a, 1, a.length, null, false) }),
  defineCommand({ name: 'sunionstore', arity: -3, args: 'destination:key key...', flags: 'write denyoom', keys: STORE, keyFlags: 'OW update', group: G, summary: 'Add multiple sets and store the resulting set in a key', since: '1.0.0', complexity: UNION_COMPLEXITY, handler: (c, a) => sunionDiffGeneric(c, a, 2, a.length, a[1]!, false) }),
  defineCommand({ name: 'sdiff', arity: -2, args: 'key...', flags: 'readonly', keys: KALL, keyFlags: 'RO access', tips: 'nondeterministic_output_order', group: G, summary: 'Subtract multiple sets', since: '1.0.0', complexity: UNION_COMPLEXITY, handler: (c, a) => sunionDiffGeneric(c, a, 1, a.length, null, true) }),
  defineCommand({ name: 'sdiffstore', arity: -3, args: 'destination:key key...', flags: 'write denyoom', keys: STORE, keyFlags: 'OW update', group: G, summary: 'Subtract multiple sets and store the resulting set in a key', since: '1.0.0', complexity: UNION_COMPLEXITY, handler: (c, a) => sunionDiffGeneric(c, a, 2, a.length, a[1]!, true) }),
  defineCommand({ name: 'sscan', arity: -3, args: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]', flags: 'readonly', keys: K1, keyFlags: 'RO access', tips: 'nondeterministic_output', group: G, summary: 'Incrementally iterate Set elements', since: '2.8.0', complexity: SCAN_COMPLEXITY, handler: sscan }),
];
