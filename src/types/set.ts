/**
 * SetValue: a set of binary strings, with Redis 7.0's two encodings and
 * their visible behaviour.
 *
 * Encodings (OBJECT ENCODING):
 * - 'intset' while every member is an integer written the way Redis's
 *   string2ll accepts (isSdsRepresentableAsLongLong): an optional '-', no
 *   leading zeros, no '+', no spaces, no "-0", within int64; and the set has
 *   at most set-max-intset-entries members (default 512; Redis caps the
 *   setting at 2^30). A new set starts as an intset (SADD's setTypeCreate
 *   makes a hashtable for a non-integer first member, which converting on
 *   that first add gives too).
 * - 'hashtable' from the first non-integer member (converted before it is
 *   added) or the (max+1)th member (converted after), for good.
 *
 * Structure:
 * - 'intset': the members as numbers in an ascending array (all safe
 *   integers), or, once a member beyond +-(2^53-1) arrives, as bigints
 *   (exact int64 comparison). SMEMBERS, SSCAN and iteration give them in
 *   ascending numeric order, as Redis's intset does. Lookup is a binary
 *   search, O(log n); add and remove shift the array, O(n) (n <= 512 by
 *   default), like Redis's intset.
 * - 'hashtable': a Map member -> slot and a dense member array; a delete
 *   moves the last slot into the hole. O(1) add, remove and lookup; the order
 *   is free (Redis's depends on its hash seed).
 * Both give an O(1) uniformly random member (SRANDMEMBER, SPOP) by position.
 * SCAN: an intset is returned whole with cursor 0 (as Redis does); a
 * hashtable is walked from the top slot down (as keyspace.ts's Db.scan), so
 * every member present for the whole scan is returned at least once.
 *
 * Memory account (`bytes`, V8 heap bytes): the object, its arrays, the
 * BigInts of a wide intset, the Map and the member strings of a hashtable,
 * each sized by memory.ts's model of V8's heap. Measured against whole sets
 * by bench/types-memory.mjs (figures in that script's output). (Redis's
 * intset takes 2, 4 or 8 bytes a member; a number in a JS array takes 8.)
 */

import { parseInt64 } from '../numbers.js';
import { arrayBytes, BIGINT_BYTES, mapBytes, objectBytes, strBytes } from './memory.js';

/** set-max-intset-entries. */
export interface SetLimits {
  maxIntsetEntries: number;
}

/** Redis 7.0.15's default (config.c). */
export const SET_DEFAULT_LIMITS: Readonly<SetLimits> = { maxIntsetEntries: 512 };

/** Redis limits the intset to 2^30 entries whatever the setting (t_set.c setTypeAdd). */
const INTSET_HARD_MAX = 1 << 30;

/** The SetValue object itself (6 fields). */
const SET_OBJECT = objectBytes(6);
/** An empty array. */
const EMPTY_ARRAY = 32;

export class SetValue {
  /** TYPE's name (keyspace.ts's TypedValue). */
  readonly type = 'set' as const;
  encoding: 'intset' | 'hashtable' = 'intset';
  /** intset of safe integers, ascending. */
  private ints: number[] = [];
  /** intset holding a member beyond 2^53: every member as a bigint, ascending (ints is then unused). */
  private wide: bigint[] | null = null;
  /** hashtable: dense members, and member -> slot. */
  private members: string[] = [];
  private index: Map<string, number> | null = null;
  /** hashtable: sum of strBytes() over the members. */
  private strings = 0;

  get size(): number {
    return this.index !== null ? this.members.length : this.wide !== null ? this.wide.length : this.ints.length;
  }

  /** Heap bytes of this value (see the memory model above). */
  get bytes(): number {
    if (this.index !== null) {
      const n = this.members.length;
      return SET_OBJECT + EMPTY_ARRAY + arrayBytes(n) + mapBytes(n) + this.strings;
    }
    if (this.wide !== null) return SET_OBJECT + 2 * EMPTY_ARRAY + arrayBytes(this.wide.length) + this.wide.length * BIGINT_BYTES;
    return SET_OBJECT + EMPTY_ARRAY + arrayBytes(this.ints.length);
  }

  /** intset: position of v, or -(insertion point) - 1. */
  private search(v: number | bigint): number {
    let lo = 0;
    if (this.wide !== null) {
      const a = this.wide;
      const b = BigInt(v);
      let hi = a.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const x = a[mid]!;
        if (x < b) lo = mid + 1; else if (x > b) hi = mid - 1; else return mid;
      }
      return -lo - 1;
    }
    if (typeof v === 'bigint') {
      // Beyond 2^53: not among safe integers; sorts after or before all of them.
      return v > 0n ? -this.ints.length - 1 : -1;
    }
    const a = this.ints;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = a[mid]!;
      if (x < v) lo = mid + 1; else if (x > v) hi = mid - 1; else return mid;
    }
    return -lo - 1;
  }

  has(member: string): boolean {
    if (this.index !== null) return this.index.has(member);
    const v = parseInt64(member);
    return v !== null && this.search(v) >= 0;
  }

  /**
   * SADD one member. Returns true when it was not there. A non-integer member
   * converts an intset to a hashtable before it is added; an intset that
   * grows past limits.maxIntsetEntries converts after.
   */
  add(member: string, limits: SetLimits): boolean {
    if (this.index === null) {
      const v = parseInt64(member);
      if (v !== null) {
        const at = this.search(v);
        if (at >= 0) return false;
        const pos = -at - 1;
        if (typeof v === 'bigint' && this.wide === null) { this.wide = this.ints.map((x) => BigInt(x)); this.ints = []; }
        if (this.wide !== null) this.wide.splice(pos, 0, BigInt(v));
        else this.ints.splice(pos, 0, v as number);
        const max = limits.maxIntsetEntries < INTSET_HARD_MAX ? limits.maxIntsetEntries : INTSET_HARD_MAX;
        if (this.size > max) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    const index = this.index!;
    if (index.has(member)) return false;
    index.set(member, this.members.length);
    this.members.push(member);
    this.strings += strBytes(member.length);
    return true;
  }

  /** SREM one member. Returns false when absent. */
  delete(member: string): boolean {
    if (this.index !== null) {
      const slot = this.index.get(member);
      if (slot === undefined) return false;
      this.deleteAt(slot);
      return true;
    }
    const v = parseInt64(member);
    if (v === null) return false;
    const at = this.search(v);
    if (at < 0) return false;
    this.deleteAt(at);
    return true;
  }

  /** Removes the member at position i (0 <= i < size). O(1) hashtable, O(n) intset. */
  deleteAt(i: number): void {
    if (this.index === null) {
      if (this.wide !== null) this.wide.splice(i, 1); else this.ints.splice(i, 1);
      return;
    }
    const members = this.members;
    const member = members[i]!;
    this.index.delete(member);
    this.strings -= strBytes(member.length);
    const last = members.length - 1;
    if (i !== last) {
      members[i] = members[last]!;
      this.index.set(members[i]!, i);
    }
    members.pop();
  }

  /** The member at position i (0 <= i < size): ascending numeric order for an intset. */
  memberAt(i: number): string {
    if (this.index !== null) return this.members[i]!;
    if (this.wide !== null) return this.wide[i]!.toString();
    return String(this.ints[i]!);
  }

  /** A uniformly random position in [0, size), or -1 when empty. O(1). */
  randomIndex(random: () => number): number {
    const n = this.size;
    return n === 0 ? -1 : Math.floor(random() * n);
  }

  /** Calls visit(member) for every member in position order. */
  forEach(visit: (member: string) => void): void {
    const n = this.size;
    for (let i = 0; i < n; i++) visit(this.memberAt(i));
  }

  /**
   * One SSCAN step: calls visit(member) and returns the next cursor (0 =
   * done). An intset is returned whole, in order, with cursor 0, whatever
   * the cursor and count. A hashtable visits up to `count` slots below
   * `cursor` (0 = start at the top); every member present for the whole
   * scan is visited at least once, some maybe twice.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    if (this.index === null) { this.forEach(visit); return 0; }
    const m = this.members;
    const n = m.length;
    const hi = cursor === 0 || cursor > n ? n : cursor;
    const lo = hi - count > 0 ? hi - count : 0;
    for (let s = hi - 1; s >= lo; s--) visit(m[s]!);
    return lo;
  }

  /** A deep copy in the same encoding and order (COPY; Redis's setTypeDup keeps the encoding). */
  clone(): SetValue {
    const c = new SetValue();
    c.encoding = this.encoding;
    c.ints = this.ints.slice();
    c.wide = this.wide === null ? null : this.wide.slice();
    c.members = this.members.slice();
    c.index = this.index === null ? null : new Map(this.index);
    c.strings = this.strings;
    return c;
  }

  /** The test handle's readable form: the members, in position order (ascending for an intset). */
  inspect(decode: (raw: string) => string): string[] {
    const out: string[] = [];
    this.forEach((m) => out.push(decode(m)));
    return out;
  }

  private toHashtable(): void {
    const members: string[] = [];
    const index = new Map<string, number>();
    let strings = 0;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const m = this.memberAt(i);
      index.set(m, i);
      members.push(m);
      strings += strBytes(m.length);
    }
    this.members = members;
    this.index = index;
    this.strings = strings;
    this.ints = [];
    this.wide = null;
    this.encoding = 'hashtable';
  }
}

/** True when `member` is an integer an intset can hold (string2ll's rules). */
export function isIntsetMember(member: string): boolean {
  return parseInt64(member) !== null;
}
