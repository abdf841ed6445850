/**
 * ZSetValue: a sorted set, with Redis 7.0's two encodings and their visible
 * behaviour.
 *
 * Encodings (OBJECT ENCODING):
 * - 'listpack' while the set has at most zset-max-listpack-entries members
 *   (default 128) and no member longer than zset-max-listpack-value bytes
 *   (default 64). The check runs before a new member goes in (Redis's
 *   zsetAdd), so the 129th member or a 65-byte one converts the set first.
 * - 'skiplist' after that, for good: deleting never converts back. Only a
 *   value built fresh as a skiplist (ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE
 *   results) is turned into a listpack when it fits
 *   (convertToListpackIfFits, Redis's zsetConvertToListpackIfNeeded).
 * Order is the same in both: by score, then by member bytes.
 *
 * Structure:
 * - The order lives in a RankTree (ranktree.ts): an order-statistic B+tree of
 *   (score, member) keys, O(log n) insert, delete, rank, seek by rank and
 *   score/member bounds, O(1) per step when walking a range.
 * - 'listpack': the tree alone (one leaf up to 128 members). Finding a member
 *   is a linear scan along the leaves, O(n) like Redis's listpack, which is
 *   also what makes ZRANGEBYLEX over unequal scores answer as Redis does
 *   there (zzlFirstInLexRange scans from the head, zzlLastInLexRange from the
 *   tail).
 * - 'skiplist': the tree plus a dictionary member -> slot and dense slot
 *   arrays (member, score), deleted by moving the last slot into the hole:
 *   O(1) score lookup, an O(1) uniformly random member, and a SCAN cursor
 *   that returns every member present for the whole scan (walked from the
 *   top slot down, as keyspace.ts's Db.scan: a delete only moves the last
 *   slot, which was already visited or is below the cursor anyway).
 *
 * Scores: -0 is kept as -0 by a skiplist but stored as 0 by a listpack
 * (Redis writes an integral score as an integer there), as redis-server
 * 7.0.15 shows: ZADD z -0 m; ZSCORE z m gives "0" on a listpack and "-0" on
 * a skiplist. Updating a member to a score equal to its own (-0 == 0)
 * changes nothing, like Redis's zsetAdd. NaN is never stored (the commands
 * refuse it: score.ts).
 *
 * Memory account (`bytes`, V8 heap bytes): the object, the tree
 * (RankTree.bytes), a skiplist's Map and slot arrays, and the member
 * strings, each sized by memory.ts's model of V8's heap. Measured against
 * whole sets by bench/types-memory.mjs (figures in that script's output).
 */

import { arrayBytes, mapBytes, objectBytes, strBytes } from './memory.js';
import { Cursor, RankTree, type Leaf } from './ranktree.js';
import { formatScore, lexGteMin, lexLteMax, lexRangeEmpty, LEX_MAX, LEX_MIN, scoreGteMin, scoreLteMax, scoreRangeEmpty, type LexRange, type ScoreRange } from './score.js';

export { Cursor } from './ranktree.js';

/** zset-max-listpack-entries / zset-max-listpack-value. */
export interface ZSetLimits {
  maxEntries: number;
  maxValue: number;
}

/** Redis 7.0.15's defaults (config.c). */
export const ZSET_DEFAULT_LIMITS: Readonly<ZSetLimits> = { maxEntries: 128, maxValue: 64 };

/** The ZSetValue object itself (7 fields). */
const ZSET_OBJECT = objectBytes(7);

export class ZSetValue {
  /** TYPE's name (keyspace.ts's TypedValue). */
  readonly type = 'zset' as const;
  encoding: 'listpack' | 'skiplist';
  private readonly tree = new RankTree();
  /** skiplist: member -> slot in slotM/slotS. */
  private index: Map<string, number> | null = null;
  private slotM: string[] = [];
  private slotS: number[] = [];
  /** Sum of strBytes() over the members. */
  private memberBytes = 0;

  // Where the last linear search (listpack) found its member.
  private foundLeafScore = 0;

  constructor(encoding: 'listpack' | 'skiplist' = 'listpack') {
    this.encoding = 'listpack';
    if (encoding === 'skiplist') this.toSkiplist();
  }

  get size(): number {
    return this.tree.size;
  }

  /** Heap bytes of this value (see the memory model above). */
  get bytes(): number {
    const n = this.tree.size;
    const slots = this.index === null ? 2 * 32 : mapBytes(n) + 2 * arrayBytes(n);
    return ZSET_OBJECT + this.tree.bytes() + slots + this.memberBytes;
  }

  /** listpack: rank of `member` by a linear scan (its score in foundLeafScore), or -1. */
  private findLinear(member: string): number {
    let rank = 0;
    for (let l: Leaf | null = this.tree.head; l !== null; l = l.next) {
      const m = l.m;
      for (let i = 0; i < m.length; i++) {
        if (m[i] === member) { this.foundLeafScore = l.s[i]!; return rank + i; }
      }
      rank += m.length;
    }
    return -1;
  }

  /** The member's score, or undefined. O(1) (skiplist), O(n) (listpack). */
  score(member: string): number | undefined {
    if (this.index !== null) {
      const slot = this.index.get(member);
      return slot === undefined ? undefined : this.slotS[slot];
    }
    return this.findLinear(member) === -1 ? undefined : this.foundLeafScore;
  }

  has(member: string): boolean {
    return this.index !== null ? this.index.has(member) : this.findLinear(member) !== -1;
  }

  /**
   * Adds `member` with `score`, or moves it to `score`. Returns true when the
   * member is new. An existing member whose score equals `score` (===, so -0
   * and 0 are equal) is left as it is. A new member converts a listpack to a
   * skiplist first when it would be the (maxEntries+1)th or is longer than
   * maxValue bytes. O(log n) (skiplist), O(n) (listpack).
   */
  set(member: string, score: number, limits: ZSetLimits): boolean {
    if (this.index === null) {
      if (this.findLinear(member) !== -1) {
        const old = this.foundLeafScore;
        if (old === score) return false;
        this.tree.delete(old, member);
        this.tree.insert(score === 0 ? 0 : score, member);
        return false;
      }
      if (this.tree.size + 1 > limits.maxEntries || member.length > limits.maxValue) {
        this.toSkiplist();
      } else {
        this.tree.insert(score === 0 ? 0 : score, member); // a listpack stores -0 as 0
        this.memberBytes += strBytes(member.length);
        return true;
      }
    }
    const index = this.index!;
    const slot = index.get(member);
    if (slot !== undefined) {
      const old = this.slotS[slot]!;
      if (old === score) return false;
      this.tree.delete(old, member);
      this.tree.insert(score, member);
      this.slotS[slot] = score;
      return false;
    }
    index.set(member, this.slotM.length);
    this.slotM.push(member);
    this.slotS.push(score);
    this.tree.insert(score, member);
    this.memberBytes += strBytes(member.length);
    return true;
  }

  /** Removes `member`. Returns false when absent. O(log n) (skiplist), O(n) (listpack). */
  delete(member: string): boolean {
    let score: number;
    if (this.index === null) {
      if (this.findLinear(member) === -1) return false;
      score = this.foundLeafScore;
    } else {
      const slot = this.index.get(member);
      if (slot === undefined) return false;
      score = this.slotS[slot]!;
      this.index.delete(member);
      const last = this.slotM.length - 1;
      if (slot !== last) {
        const moved = this.slotM[last]!;
        this.slotM[slot] = moved;
        this.slotS[slot] = this.slotS[last]!;
        this.index.set(moved, slot);
      }
      this.slotM.pop();
      this.slotS.pop();
    }
    this.tree.delete(score, member);
    this.memberBytes -= strBytes(member.length);
    return true;
  }

  /** 0-based rank of `member` in ascending order, or -1 (ZREVRANK: size - 1 - rank). O(log n) / O(n). */
  rank(member: string): number {
    if (this.index === null) return this.findLinear(member);
    const slot = this.index.get(member);
    return slot === undefined ? -1 : this.tree.rankOf(this.slotS[slot]!, member);
  }

  /**
   * A cursor on the member of rank `rank` (ascending; not valid outside
   * [0, size)). Walk with next() (ascending) or prev(); read .member and
   * .score. O(log n) to place, O(1) per step. Any change to the set
   * invalidates it.
   */
  cursor(rank: number): Cursor {
    return this.tree.cursor(rank);
  }

  /** Calls visit(member, score) for every member in order. */
  forEach(visit: (member: string, score: number) => void): void {
    this.tree.forEach(visit);
  }

  /** Rank of the first member with score >= x (> x when exclusive); size when none. O(log n). */
  rankOfScore(x: number, exclusive: boolean): number {
    return this.tree.rankOfScore(x, exclusive);
  }

  /** zslIsInRange: false when no member can be in the range. */
  private inScoreRange(r: ScoreRange): boolean {
    if (this.tree.size === 0 || scoreRangeEmpty(r)) return false;
    const tail = this.tree.tail;
    if (!scoreGteMin(tail.s[tail.s.length - 1]!, r)) return false;
    return scoreLteMax(this.tree.head.s[0]!, r);
  }

  /** Rank of the first member in the score range, or -1 (zslFirstInRange / zzlFirstInRange). O(log n). */
  firstInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return -1;
    const rank = this.tree.rankOfScore(r.min, r.minex);
    if (rank >= this.tree.size) return -1;
    return scoreLteMax(this.tree.cursor(rank).score, r) ? rank : -1;
  }

  /** Rank of the last member in the score range, or -1 (zslLastInRange / zzlLastInRange). O(log n). */
  lastInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return -1;
    const rank = this.tree.rankOfScore(r.max, !r.maxex) - 1;
    if (rank < 0) return -1;
    return scoreGteMin(this.tree.cursor(rank).score, r) ? rank : -1;
  }

  /** zslIsInLexRange: false when no member can be in the range. */
  private inLexRange(r: LexRange): boolean {
    if (this.tree.size === 0 || lexRangeEmpty(r)) return false;
    const tail = this.tree.tail;
    if (!lexGteMin(tail.m[tail.m.length - 1]!, r)) return false;
    return lexLteMax(this.tree.head.m[0]!, r);
  }

  /**
   * Rank of the first member in the lex range, or -1. Meant for sets whose
   * scores are all equal; otherwise it answers as Redis does for a listpack
   * (the first member from the head that is >= min, if it is also <= max) and
   * an unspecified member for a skiplist. O(log n) (skiplist), O(n) (listpack).
   */
  firstInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return -1;
    let rank: number;
    if (this.index === null) {
      rank = -1;
      let i = 0;
      for (const c = this.tree.cursor(0); c.valid; c.next(), i++) {
        if (lexGteMin(c.member, r)) { rank = i; break; }
      }
      if (rank === -1) return -1;
    } else {
      rank = r.minKind === LEX_MIN ? 0 : r.minKind === LEX_MAX ? this.tree.size : this.tree.rankOfMember(r.min, r.minex);
      if (rank >= this.tree.size) return -1;
    }
    return lexLteMax(this.tree.cursor(rank).member, r) ? rank : -1;
  }

  /** Rank of the last member in the lex range, or -1 (see firstInLexRange; the listpack scan starts at the tail). */
  lastInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return -1;
    const n = this.tree.size;
    let rank: number;
    if (this.index === null) {
      rank = -1;
      let i = n - 1;
      for (const c = this.tree.cursor(n - 1); c.valid; c.prev(), i--) {
        if (lexLteMax(c.member, r)) { rank = i; break; }
      }
      if (rank === -1) return -1;
    } else {
      rank = (r.maxKind === LEX_MAX ? n : r.maxKind === LEX_MIN ? 0 : this.tree.rankOfMember(r.max, !r.maxex)) - 1;
      if (rank < 0) return -1;
    }
    return lexGteMin(this.tree.cursor(rank).member, r) ? rank : -1;
  }

  /** Removes the members of ranks start..stop (inclusive, 0 <= start <= stop < size). Returns how many. O((m) log n). */
  deleteRankRange(start: number, stop: number): number {
    const members: string[] = [];
    let k = start;
    for (const c = this.tree.cursor(start); c.valid && k <= stop; c.next(), k++) members.push(c.member);
    for (const m of members) this.delete(m);
    return members.length;
  }

  /**
   * A uniformly random member and its score, or null when empty: O(1)
   * (skiplist, a random slot), O(log n) (listpack, a random rank).
   */
  randomEntry(random: () => number): [string, number] | null {
    const n = this.tree.size;
    if (n === 0) return null;
    const k = Math.floor(random() * n);
    if (this.index !== null) return [this.slotM[k]!, this.slotS[k]!];
    const c = this.tree.cursor(k);
    return [c.member, c.score];
  }

  /**
   * One ZSCAN step: calls visit(member, score) and returns the next cursor
   * (0 = done). A listpack is returned whole, in order, with cursor 0,
   * whatever the cursor and count. A skiplist visits up to `count` slots
   * below `cursor` (0 = start at the top); every member present for the
   * whole scan is visited at least once, some maybe twice.
   */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    if (this.index === null) { this.tree.forEach(visit); return 0; }
    const n = this.slotM.length;
    const hi = cursor === 0 || cursor > n ? n : cursor;
    const lo = hi - count > 0 ? hi - count : 0;
    for (let s = hi - 1; s >= lo; s--) visit(this.slotM[s]!, this.slotS[s]!);
    return lo;
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded, for a result built as a skiplist:
   * becomes a listpack when it has at most maxEntries members, none longer
   * than maxValue. (-0 scores become 0, as in a listpack.)
   */
  convertToListpackIfFits(limits: ZSetLimits): void {
    if (this.index === null || this.tree.size > limits.maxEntries) return;
    for (let i = 0; i < this.slotM.length; i++) if (this.slotM[i]!.length > limits.maxValue) return;
    this.index = null;
    this.slotM = [];
    this.slotS = [];
    this.tree.zeroSigns();
    this.encoding = 'listpack';
  }

  /** A deep copy in the same encoding (COPY; Redis's zsetDup keeps the encoding). O(n log n). */
  clone(): ZSetValue {
    const c = new ZSetValue(this.encoding);
    // In order, so the tree fills its leaves (ascending inserts split unevenly).
    this.tree.forEach((m, s) => {
      if (c.index !== null) { c.index.set(m, c.slotM.length); c.slotM.push(m); c.slotS.push(s); }
      c.tree.insert(s, m);
    });
    c.memberBytes = this.memberBytes;
    return c;
  }

  /** The test handle's readable form: [member, score] pairs in order. */
  inspect(decode: (raw: string) => string): [string, number][] {
    const out: [string, number][] = [];
    this.tree.forEach((m, s) => out.push([decode(m), s]));
    return out;
  }

  /** Converts a listpack to a skiplist for good (also SORT's destructive zsetConvert). */
  toSkiplist(): void {
    if (this.encoding === 'skiplist') return;
    const index = new Map<string, number>();
    const slotM: string[] = [];
    const slotS: number[] = [];
    this.tree.forEach((m, s) => { index.set(m, slotM.length); slotM.push(m); slotS.push(s); });
    this.index = index;
    this.slotM = slotM;
    this.slotS = slotS;
    this.encoding = 'skiplist';
  }
}

/** 2^62: Redis's double2ll accepts integral doubles up to (double)(LLONG_MAX/2), which rounds to 2^62. */
const LISTPACK_INT_LIMIT = 2 ** 62;

/**
 * A score as a listpack holds it, which is what ZSCAN returns for a
 * listpack-encoded set (the other commands parse it back into a double and
 * reply with %.17g). Redis's zzlInsertAt stores an integral score with
 * |score| <= 2^62 as an integer (double2ll), so its digits come back in full
 * ("100000000000000000" where ZSCORE says "1e+17"); any other score is
 * stored as d2string's text: %.17g, "inf", "-inf". -0 is integral: "0".
 */
export function listpackScoreText(score: number): string {
  if (Number.isInteger(score) && score >= -LISTPACK_INT_LIMIT && score <= LISTPACK_INT_LIMIT) {
    if (score === 0) return '0';
    return score >= -9007199254740991 && score <= 9007199254740991 ? String(score) : BigInt(score).toString();
  }
  return formatScore(score);
}
