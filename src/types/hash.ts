/**
 * HashValue: a hash (field -> value, binary strings), with Redis 7.0's two
 * encodings and their visible behaviour; plus HINCRBY/HINCRBYFLOAT's
 * arithmetic on a stored value.
 *
 * Encodings (OBJECT ENCODING):
 * - 'listpack' while the hash has at most hash-max-listpack-entries fields
 *   (Redis 7.0.15's default is 512, not 128: config.c and CONFIG GET agree)
 *   and no field or value longer than hash-max-listpack-value bytes (64).
 *   A long field or value converts the hash before it is stored (Redis's
 *   hashTypeSet / hashTypeTryConversion); one field too many converts it
 *   after it is added.
 * - 'hashtable' after that, for good: deleting never converts back.
 *
 * Structure: one flat array kv = [field0, value0, field1, value1, ...].
 * - 'listpack': kv is in insertion order, which is what HGETALL, HKEYS and
 *   HVALS show in Redis: a new field goes to the end, a new value for an
 *   existing field keeps its place, a deleted field closes up the gap
 *   (splice, O(n), like a listpack). Small hashes find a field by a linear
 *   scan (O(n), like lpFind); from INDEX_FROM fields on, a Map field -> pair
 *   number is kept too, so lookups stay O(1) up to the 512-field default
 *   (and beyond, when the limit is raised). With the Map, a delete leaves a
 *   hole instead (O(1)): the gap is closed, and the Map renumbered, once by
 *   compact() in O(n) before anything reads pairs by position (HGETALL,
 *   HRANDFIELD, HSCAN, a conversion) or when holes outnumber the fields, so
 *   deleting k fields costs O(k + n), not O(k * n) Map updates (20,000
 *   deletes from the front of a 20,000-field listpack: 11.7 s before, as
 *   renumbering each time; Redis's memmove takes 0.15 s).
 * - 'hashtable': the Map always, and a delete moves the last pair into the
 *   hole (O(1)), so kv stays dense; the order is free (Redis's depends on its
 *   hash seed). Dense pairs give an O(1) uniformly random field (HRANDFIELD)
 *   and a SCAN cursor that walks pairs from the top down: a delete only
 *   moves the last pair, which was already visited or is below the cursor,
 *   so every field present for the whole scan is returned at least once
 *   (keyspace.ts's Db.scan does the same for keys). A listpack hash is
 *   scanned whole, with cursor 0, as Redis does.
 *
 * Memory account (`bytes`, V8 heap bytes): the object, the kv array (grown
 * two slots at a time), the Map when there is one, and every field and
 * value string, each sized by memory.ts's model of V8's heap. Measured
 * against whole hashes by bench/types-memory.mjs: within 5 % from 1 to
 * 2,000 fields (figures in that script's output).
 */

import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from '../longdouble.js';
import { INT64_MAX, INT64_MIN, parseInt64 } from '../numbers.js';
import { HASH_VALUE_NOT_FLOAT, HASH_VALUE_NOT_INT, INCR_IS_NAN_OR_INF, INCR_NAN_OR_INF, INCR_OVERFLOW, NOT_FLOAT } from '../errors.js';
import { arrayBytes, mapBytes, objectBytes, strBytes } from './memory.js';

/** hash-max-listpack-entries / hash-max-listpack-value. */
export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

/** Redis 7.0.15's defaults (config.c: 512 entries, 64 bytes). */
export const HASH_DEFAULT_LIMITS: Readonly<HashLimits> = { maxEntries: 512, maxValue: 64 };

/** From this many fields on, a listpack hash keeps a field index too. */
export const INDEX_FROM = 16;

/** The HashValue object itself (4 fields). */
const HASH_OBJECT = objectBytes(4);

export class HashValue {
  /** TYPE's name (keyspace.ts's TypedValue). */
  readonly type = 'hash' as const;
  encoding: 'listpack' | 'hashtable' = 'listpack';
  private kv: string[] = [];
  /** field -> pair number (kv[2p], kv[2p+1]); always in 'hashtable', from INDEX_FROM fields in 'listpack'. */
  private index: Map<string, number> | null = null;
  /** Sum of strBytes() over fields and values. */
  private strings = 0;
  /** Deleted pairs not yet closed up (a listpack with an index only; see compact()). */
  private holes = 0;

  get size(): number {
    return (this.kv.length >>> 1) - this.holes;
  }

  /** Heap bytes of this value (see the memory model above), as if compacted: holes are transient. */
  get bytes(): number {
    const n = this.size;
    return HASH_OBJECT + arrayBytes(2 * n, 2) + (this.index === null ? 0 : mapBytes(n)) + this.strings;
  }

  /** Pair number of `field`, or -1. */
  private find(field: string): number {
    if (this.index !== null) {
      const p = this.index.get(field);
      return p === undefined ? -1 : p;
    }
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === field) return i >>> 1;
    return -1;
  }

  get(field: string): string | undefined {
    const p = this.find(field);
    return p === -1 ? undefined : this.kv[2 * p + 1];
  }

  has(field: string): boolean {
    return this.find(field) !== -1;
  }

  /** HSTRLEN: the value's length in bytes, 0 when absent. */
  strlen(field: string): number {
    const p = this.find(field);
    return p === -1 ? 0 : this.kv[2 * p + 1]!.length;
  }

  /**
   * Sets `field` to `value`. Returns true when the field is new. A field or
   * value longer than limits.maxValue converts a listpack first; a listpack
   * that ends up with more than limits.maxEntries fields converts after.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.encoding === 'listpack' && (field.length > limits.maxValue || value.length > limits.maxValue)) this.toHashtable();
    const p = this.find(field);
    if (p !== -1) {
      const old = this.kv[2 * p + 1]!;
      this.strings += strBytes(value.length) - strBytes(old.length);
      this.kv[2 * p + 1] = value;
      return false;
    }
    const n = this.kv.length >>> 1; // the new pair's position (holes included)
    this.kv.push(field, value);
    this.strings += strBytes(field.length) + strBytes(value.length);
    if (this.index !== null) this.index.set(field, n);
    else if (n + 1 >= INDEX_FROM) this.buildIndex();
    if (this.encoding === 'listpack' && this.size > limits.maxEntries) this.toHashtable();
    return true;
  }

  /**
   * Redis's hashTypeTryConversion, for HSET/HMSET/HSETNX before they store
   * anything: converts a listpack when any of the arguments is longer than
   * limits.maxValue. (set() converts on its own too; this is for callers that
   * must convert even when nothing ends up stored.)
   */
  convertIfLong(args: readonly string[], from: number, to: number, limits: HashLimits): void {
    if (this.encoding !== 'listpack') return;
    for (let i = from; i <= to; i++) {
      if (args[i]!.length > limits.maxValue) { this.toHashtable(); return; }
    }
  }

  /**
   * Removes `field`. Returns false when absent. O(1) but for a listpack
   * without an index (under INDEX_FROM fields: O(n), the others keep their
   * order); a listpack with one leaves a hole (amortised O(1), see compact()).
   */
  delete(field: string): boolean {
    const p = this.find(field);
    if (p === -1) return false;
    if (this.encoding === 'listpack' && this.index !== null) this.leaveHole(p, field);
    else this.removeAt(p);
    return true;
  }

  /** Removes the pair at position p (0 <= p < size, positions as fieldAt() counts them). */
  deleteAt(p: number): void {
    if (this.holes !== 0) this.compact();
    this.removeAt(p);
  }

  /** A listpack's delete with an index: the pair becomes a hole; holes are closed up together. */
  private leaveHole(p: number, field: string): void {
    const kv = this.kv;
    this.strings -= strBytes(field.length) + strBytes(kv[2 * p + 1]!.length);
    this.index!.delete(field);
    if (2 * p + 2 === kv.length) { kv.length -= 2; return; } // the last pair: nothing to close up
    kv[2 * p] = '';
    kv[2 * p + 1] = '';
    this.holes++;
    // Holes may not outnumber the fields, so churn without reads cannot grow the array.
    if (this.holes > INDEX_FROM && this.holes * 2 > kv.length >>> 1) this.compact();
  }

  /**
   * Closes up the holes, keeping the order, and renumbers the index: O(n).
   * A hole is a pair whose field the index does not place there (its field
   * was deleted from the index, and a live field of the same text, if any,
   * sits elsewhere).
   */
  private compact(): void {
    const kv = this.kv;
    const index = this.index!;
    let w = 0;
    for (let r = 0; r < kv.length; r += 2) {
      const f = kv[r]!;
      if (index.get(f) !== r >>> 1) continue;
      if (w !== r) {
        kv[w] = f;
        kv[w + 1] = kv[r + 1]!;
        index.set(f, w >>> 1);
      }
      w += 2;
    }
    kv.length = w;
    this.holes = 0;
  }

  /** Removes the pair at raw position p (no holes). */
  private removeAt(p: number): void {
    const kv = this.kv;
    const field = kv[2 * p]!;
    this.strings -= strBytes(field.length) + strBytes(kv[2 * p + 1]!.length);
    const index = this.index;
    if (index !== null) index.delete(field);
    if (this.encoding === 'listpack') {
      kv.splice(2 * p, 2);
      if (index !== null) for (let q = p; 2 * q < kv.length; q++) index.set(kv[2 * q]!, q);
      return;
    }
    const last = (kv.length >>> 1) - 1;
    if (p !== last) {
      kv[2 * p] = kv[2 * last]!;
      kv[2 * p + 1] = kv[2 * last + 1]!;
      index!.set(kv[2 * p]!, p);
    }
    kv.length -= 2;
  }

  /** The field at position p (0 <= p < size): insertion order for a listpack. */
  fieldAt(p: number): string {
    if (this.holes !== 0) this.compact();
    return this.kv[2 * p]!;
  }

  /** The value at position p. */
  valueAt(p: number): string {
    if (this.holes !== 0) this.compact();
    return this.kv[2 * p + 1]!;
  }

  /** A uniformly random position in [0, size), or -1 when empty. O(1). */
  randomIndex(random: () => number): number {
    if (this.holes !== 0) this.compact();
    const n = this.kv.length >>> 1;
    return n === 0 ? -1 : Math.floor(random() * n);
  }

  /** Calls visit(field, value) for every pair, in position order. */
  forEach(visit: (field: string, value: string) => void): void {
    if (this.holes !== 0) this.compact();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) visit(kv[i]!, kv[i + 1]!);
  }

  /**
   * One HSCAN step: calls visit(field, value) and returns the next cursor
   * (0 = done). A listpack is returned whole, in order, with cursor 0,
   * whatever the cursor and count. A hashtable visits up to `count` pairs
   * below `cursor` (0 = start at the top; a cursor past the end counts from
   * the end); every field present for the whole scan is visited at least
   * once, some maybe twice.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    if (this.encoding === 'listpack') { this.forEach(visit); return 0; }
    const kv = this.kv;
    const n = kv.length >>> 1;
    const hi = cursor === 0 || cursor > n ? n : cursor;
    const lo = hi - count > 0 ? hi - count : 0;
    for (let p = hi - 1; p >= lo; p--) visit(kv[2 * p]!, kv[2 * p + 1]!);
    return lo;
  }

  /** A deep copy in the same encoding and order (COPY; Redis's hashTypeDup keeps the encoding). */
  clone(): HashValue {
    if (this.holes !== 0) this.compact();
    const c = new HashValue();
    c.encoding = this.encoding;
    c.kv = this.kv.slice();
    c.index = this.index === null ? null : new Map(this.index);
    c.strings = this.strings;
    return c;
  }

  /** The test handle's readable form: an object of fields, in position order; `decode` turns bytes into text. */
  inspect(decode: (raw: string) => string): Record<string, string> {
    const out: [string, string][] = [];
    this.forEach((f, v) => out.push([decode(f), decode(v)]));
    return Object.fromEntries(out);
  }

  private buildIndex(): void {
    const index = new Map<string, number>();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) index.set(kv[i]!, i >>> 1);
    this.index = index;
  }

  private toHashtable(): void {
    if (this.holes !== 0) this.compact();
    if (this.index === null) this.buildIndex();
    this.encoding = 'hashtable';
  }
}

/** HINCRBY / HINCRBYFLOAT results: the new value, or Redis's error text. */
export type HashIncr = { value: string } | { error: string };

/**
 * HINCRBY's arithmetic (t_hash.c hincrbyCommand) on the stored value
 * (undefined: the field is absent, counts as 0). `incr` has already been
 * parsed by the command ("ERR value is not an integer or out of range").
 */
export function hashIncrBy(current: string | undefined, incr: number | bigint): HashIncr {
  let old: number | bigint = 0;
  if (current !== undefined) {
    const v = parseInt64(current);
    if (v === null) return { error: HASH_VALUE_NOT_INT };
    old = v;
  }
  if (typeof old === 'number' && typeof incr === 'number') {
    const sum = old + incr;
    if (Number.isSafeInteger(sum)) return { value: String(sum) };
  }
  const sum = BigInt(old) + BigInt(incr);
  if (sum > INT64_MAX || sum < INT64_MIN) return { error: INCR_OVERFLOW };
  return { value: sum.toString() };
}

/**
 * HINCRBYFLOAT's increment argument, checked first, before the key is looked
 * up (so a bad increment wins over WRONGTYPE): a long double
 * (getLongDoubleFromObject), or Redis's error text.
 */
export function parseHashFloatIncrement(arg: string): LongDouble | string {
  const inc = parseLongDouble(arg);
  if (inc === null) return NOT_FLOAT;
  if (inc.inf) return INCR_IS_NAN_OR_INF;
  return inc;
}

/**
 * HINCRBYFLOAT's arithmetic (t_hash.c hincrbyfloatCommand) on the stored
 * value (undefined: the field is absent, counts as 0): long double addition
 * (longdouble.ts, as INCRBYFLOAT) printed in ld2string's human format, e.g.
 * "1.6" for 1.5 + 0.1. The new value is also what must be stored (and
 * propagated as HSET).
 */
export function hashIncrByFloat(current: string | undefined, inc: LongDouble): HashIncr {
  let old: LongDouble = ZERO;
  if (current !== undefined) {
    const v = parseLongDouble(current);
    if (v === null) return { error: HASH_VALUE_NOT_FLOAT };
    old = v;
  }
  const sum = addLongDouble(old, inc);
  if (sum === null) return { error: INCR_NAN_OR_INF };
  return { value: formatLongDouble(sum) };
}

const ZERO: LongDouble = { inf: false, neg: false, m: 0n, e: 0 };
