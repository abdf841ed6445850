/**
 * ListValue: a list of binary strings (Redis's list type), as a deque of
 * chunks.
 *
 * Encoding: OBJECT ENCODING says 'quicklist' whatever the size, as Redis 7.0
 * does (7.0 made every list a quicklist; list-max-listpack-size and
 * list-compress-depth only shape its nodes, which nothing visible reports).
 *
 * Structure: the elements live in chunks, each a JS array of at most CHUNK
 * (128) slots holding its elements contiguously in [lo, hi); the chunks sit in
 * a ring buffer (the directory), so a chunk is added or dropped at either end
 * in O(1).
 * - Ends: a push writes into the end chunk's free slot (the head chunk fills
 *   from its back towards slot 0, the tail chunk from its front), and makes a
 *   new end chunk when that one is full; a pop clears the slot (so the string
 *   can be collected) and drops a chunk once it is empty. O(1) amortised.
 *   A small list is one chunk that starts at 4 slots and doubles up to CHUNK,
 *   its elements kept centred, so a 3-element list costs 4 slots, not 128.
 * - Index i (LINDEX, LSET, LRANGE's start, LINSERT's place): walk the chunk
 *   sizes from the nearer end, O(min(i, n - i) / CHUNK) chunk steps, then
 *   one array read. Near either end that is one or two steps.
 * - Middle insert (LINSERT): shift the shorter side of one chunk by one
 *   (at most CHUNK/2 moves); a full chunk is split in two halves first, and
 *   the new chunk is put into the directory by shifting the shorter side of
 *   the ring (n / CHUNK / 2 pointer moves at most: 4,000 for a 1M list).
 * - Middle removal (LREM, a pop-free LSET): compact the affected chunks in
 *   place; chunks left empty are dropped and neighbours that together fit in
 *   half a chunk are merged, in one pass over the touched part of the ring.
 * - LTRIM drops whole chunks at the ends and cuts the two end chunks.
 *
 * Trade-off: a single ring buffer of all elements would give O(1) index
 * anywhere, but a middle insert or removal would move up to n/2 elements (the
 * "rebuild" this avoids); a linked list of nodes (Redis's quicklist) makes
 * the same chunked trade but pays a pointer chase per node. The directory
 * costs one pointer per 128 elements, and a middle index costs a walk over
 * chunk sizes (about n/256 steps on average), the same order as Redis's
 * quicklist node walk. The price is up to half-empty chunks after splits and
 * removals in the middle (merging keeps neighbours from staying tiny), and a
 * partly used chunk at each end.
 *
 * Memory account (`bytes`, V8 heap bytes): the object, the directory array,
 * each chunk (an object and an array of its capacity, sized as
 * `new Array(capacity)` is in V8) and every element string, with memory.ts's
 * model. Measured against whole lists by bench/list-memory.mjs: within
 * 1.5 % from 1 to 100,000 elements, built from either end or by middle
 * inserts. The structure costs 8.7 bytes per element in full chunks (1,120
 * bytes per 128), about 18 after middle inserts have split chunks, and 296
 * bytes for a one-element list.
 */

import { objectBytes, strBytes } from './memory.js';

/** Most slots a chunk has. */
export const CHUNK = 128;
/** Slots of a list's first chunk. */
const FIRST = 4;
/** Neighbour chunks holding this many elements or fewer together are merged. */
const MERGE = CHUNK >> 1;

/** One chunk: elements in a[lo..hi), the other slots undefined. */
class Chunk {
  a: (string | undefined)[];
  lo: number;
  hi: number;
  constructor(cap: number, lo: number) {
    this.a = new Array<string | undefined>(cap);
    this.lo = lo;
    this.hi = lo;
  }
}

/** The ListValue object (11 fields, type and encoding included). */
const LIST_OBJECT = objectBytes(11);
/** A chunk: its object (3 fields), the JS array and its backing store header. */
const CHUNK_FIXED = objectBytes(3) + 32 + 16;
/** Heap bytes of a chunk of `cap` slots. */
function chunkBytes(cap: number): number {
  return CHUNK_FIXED + 8 * cap;
}
/** Heap bytes of the directory array of `cap` slots. */
function ringBytes(cap: number): number {
  return 32 + 16 + 8 * cap;
}

export class ListValue {
  /** TYPE's name (keyspace.ts's TypedValue). */
  readonly type = 'list' as const;
  /** OBJECT ENCODING: always 'quicklist' in Redis 7.0. */
  readonly encoding = 'quicklist' as const;
  /** The directory: a ring of chunks, capacity a power of two. */
  private ring: (Chunk | undefined)[] = new Array<Chunk | undefined>(1);
  private mask = 0;
  /** Ring position of the head chunk. */
  private head = 0;
  /** Number of chunks. */
  private count = 0;
  /** Number of elements. */
  private n = 0;
  /** Sum of strBytes() over the elements. */
  private strings = 0;
  /** Sum of chunkBytes() over the chunks. */
  private chunkHeap = 0;
  /** Where locate() found an index: chunk number (0 = head) and offset in the chunk. */
  private locK = 0;
  private locOff = 0;

  /** A list of `items`, head first. */
  static from(items: readonly string[]): ListValue {
    const l = new ListValue();
    for (let i = 0; i < items.length; i++) l.pushTail(items[i]!);
    return l;
  }

  get size(): number { return this.n; }
  get length(): number { return this.n; }

  /** Heap bytes of this value (see the memory model above). */
  get bytes(): number {
    return LIST_OBJECT + ringBytes(this.ring.length) + this.chunkHeap + this.strings;
  }

  // ---- the directory -------------------------------------------------------

  /** Chunk number k (0 = head). */
  private chunk(k: number): Chunk {
    return this.ring[(this.head + k) & this.mask]!;
  }

  private growRing(): void {
    const old = this.ring;
    const cap = old.length * 2;
    const ring = new Array<Chunk | undefined>(cap);
    for (let k = 0; k < this.count; k++) ring[k] = old[(this.head + k) & this.mask];
    this.ring = ring;
    this.mask = cap - 1;
    this.head = 0;
  }

  /** Puts chunk `c` at position k (0..count), shifting the shorter side of the ring. */
  private insertChunk(k: number, c: Chunk): void {
    if (this.count === this.ring.length) this.growRing();
    const r = this.ring;
    const m = this.mask;
    if (k < this.count - k) {
      this.head = (this.head - 1) & m;
      for (let j = 0; j < k; j++) r[(this.head + j) & m] = r[(this.head + j + 1) & m];
    } else {
      for (let j = this.count; j > k; j--) r[(this.head + j) & m] = r[(this.head + j - 1) & m];
    }
    r[(this.head + k) & m] = c;
    this.count++;
    this.chunkHeap += chunkBytes(c.a.length);
  }

  /** Removes chunk number k, shifting the shorter side of the ring. */
  private removeChunk(k: number): void {
    const r = this.ring;
    const m = this.mask;
    this.chunkHeap -= chunkBytes(r[(this.head + k) & m]!.a.length);
    if (k < this.count - 1 - k) {
      for (let j = k; j > 0; j--) r[(this.head + j) & m] = r[(this.head + j - 1) & m];
      r[this.head] = undefined;
      this.head = (this.head + 1) & m;
    } else {
      for (let j = k; j < this.count - 1; j++) r[(this.head + j) & m] = r[(this.head + j + 1) & m];
      r[(this.head + this.count - 1) & m] = undefined;
    }
    this.count--;
  }

  /** Replaces chunk c's array by one of `cap` slots with its elements starting at `lo`. */
  private resize(c: Chunk, cap: number, lo: number): void {
    const a = new Array<string | undefined>(cap);
    const len = c.hi - c.lo;
    for (let i = 0; i < len; i++) a[lo + i] = c.a[c.lo + i];
    this.chunkHeap += chunkBytes(cap) - chunkBytes(c.a.length);
    c.a = a;
    c.lo = lo;
    c.hi = lo + len;
  }

  /** Moves chunk c's elements to start at `lo` within its array. */
  private static move(c: Chunk, lo: number): void {
    const len = c.hi - c.lo;
    if (lo === c.lo) return;
    const a = c.a;
    a.copyWithin(lo, c.lo, c.hi);
    if (lo < c.lo) a.fill(undefined, Math.max(lo + len, c.lo), c.hi);
    else a.fill(undefined, c.lo, Math.min(lo, c.hi));
    c.lo = lo;
    c.hi = lo + len;
  }

  // ---- the ends ------------------------------------------------------------

  /** RPUSH of one element. */
  pushTail(v: string): void {
    const c = this.count === 0 ? undefined : this.ring[(this.head + this.count - 1) & this.mask]!;
    if (c !== undefined && c.hi < c.a.length) c.a[c.hi++] = v;
    else this.pushTailSlow(v);
    this.n++;
    this.strings += strBytes(v.length);
  }

  private pushTailSlow(v: string): void {
    if (this.count === 0) {
      const c = new Chunk(FIRST, FIRST >> 1);
      this.insertChunk(0, c);
      c.a[c.hi++] = v;
      return;
    }
    const c = this.chunk(this.count - 1);
    const len = c.hi - c.lo;
    const cap = c.a.length;
    const single = this.count === 1;
    if (2 * len <= cap) {
      // Room at the other side: slide the elements over (centred in a lone chunk).
      ListValue.move(c, single ? (cap - len) >> 1 : 0);
    } else if (cap < CHUNK) {
      const to = Math.min(cap * 2, CHUNK);
      this.resize(c, to, single ? (to - len) >> 1 : 0);
    } else {
      const t = new Chunk(CHUNK, 0);
      this.insertChunk(this.count, t);
      t.a[t.hi++] = v;
      return;
    }
    c.a[c.hi++] = v;
  }

  /** LPUSH of one element. */
  pushHead(v: string): void {
    const c = this.count === 0 ? undefined : this.ring[this.head]!;
    if (c !== undefined && c.lo > 0) c.a[--c.lo] = v;
    else this.pushHeadSlow(v);
    this.n++;
    this.strings += strBytes(v.length);
  }

  private pushHeadSlow(v: string): void {
    if (this.count === 0) {
      const c = new Chunk(FIRST, FIRST >> 1);
      this.insertChunk(0, c);
      c.a[--c.lo] = v;
      return;
    }
    const c = this.chunk(0);
    const len = c.hi - c.lo;
    const cap = c.a.length;
    const single = this.count === 1;
    if (2 * len <= cap) {
      ListValue.move(c, single ? cap - len - ((cap - len) >> 1) : cap - len);
    } else if (cap < CHUNK) {
      const to = Math.min(cap * 2, CHUNK);
      this.resize(c, to, single ? to - len - ((to - len) >> 1) : to - len);
    } else {
      const h = new Chunk(CHUNK, CHUNK);
      this.insertChunk(0, h);
      h.a[--h.lo] = v;
      return;
    }
    c.a[--c.lo] = v;
  }

  /** LPOP of one element, or undefined when empty. */
  popHead(): string | undefined {
    if (this.n === 0) return undefined;
    const c = this.ring[this.head]!;
    const v = c.a[c.lo]!;
    c.a[c.lo++] = undefined;
    this.n--;
    this.strings -= strBytes(v.length);
    if (c.lo === c.hi && this.count > 1) this.removeChunk(0);
    return v;
  }

  /** RPOP of one element, or undefined when empty. */
  popTail(): string | undefined {
    if (this.n === 0) return undefined;
    const c = this.ring[(this.head + this.count - 1) & this.mask]!;
    const v = c.a[--c.hi]!;
    c.a[c.hi] = undefined;
    this.n--;
    this.strings -= strBytes(v.length);
    if (c.lo === c.hi && this.count > 1) this.removeChunk(this.count - 1);
    return v;
  }

  /** The head element, or undefined. */
  first(): string | undefined {
    if (this.n === 0) return undefined;
    const c = this.ring[this.head]!;
    return c.a[c.lo];
  }

  /** The tail element, or undefined. */
  last(): string | undefined {
    if (this.n === 0) return undefined;
    const c = this.ring[(this.head + this.count - 1) & this.mask]!;
    return c.a[c.hi - 1];
  }

  // ---- by index ------------------------------------------------------------

  /** Finds index i (0 <= i < n) into locK / locOff, walking from the nearer end. */
  private locate(i: number): void {
    if (i < this.n - i) {
      let k = 0;
      for (;;) {
        const c = this.chunk(k);
        const len = c.hi - c.lo;
        if (i < len) break;
        i -= len;
        k++;
      }
      this.locK = k;
      this.locOff = i;
    } else {
      let j = this.n - 1 - i;
      let k = this.count - 1;
      for (;;) {
        const c = this.chunk(k);
        const len = c.hi - c.lo;
        if (j < len) { this.locOff = len - 1 - j; break; }
        j -= len;
        k--;
      }
      this.locK = k;
    }
  }

  /** The element at index i (0-based from the head; negative counts from the tail), or undefined. */
  at(i: number): string | undefined {
    if (i < 0) i += this.n;
    if (i < 0 || i >= this.n) return undefined;
    this.locate(i);
    const c = this.chunk(this.locK);
    return c.a[c.lo + this.locOff];
  }

  /** LSET: replaces the element at index i (0 <= i < n). */
  set(i: number, v: string): void {
    this.locate(i);
    const c = this.chunk(this.locK);
    const p = c.lo + this.locOff;
    this.strings += strBytes(v.length) - strBytes(c.a[p]!.length);
    c.a[p] = v;
  }

  /**
   * Inserts v so that it becomes index i (0 <= i <= n): before the element
   * now at i. Shifts the shorter side of one chunk; splits a full chunk.
   */
  insertAt(i: number, v: string): void {
    if (i <= 0) { this.pushHead(v); return; }
    if (i >= this.n) { this.pushTail(v); return; }
    this.locate(i);
    let k = this.locK;
    let off = this.locOff;
    let c = this.chunk(k);
    let len = c.hi - c.lo;
    if (len === c.a.length) {
      if (len < CHUNK) {
        const to = Math.min(len * 2, CHUNK);
        this.resize(c, to, (to - len) >> 1);
      } else {
        // Split: the second half moves to a new chunk after this one.
        const half = len >> 1;
        const t = new Chunk(CHUNK, (CHUNK - (len - half)) >> 1);
        for (let j = c.lo + half; j < c.hi; j++) { t.a[t.hi++] = c.a[j]; c.a[j] = undefined; }
        c.hi = c.lo + half;
        ListValue.move(c, (CHUNK - half) >> 1);
        this.insertChunk(k + 1, t);
        if (off >= half) { k++; off -= half; c = t; }
        len = c.hi - c.lo;
      }
    }
    const a = c.a;
    if (c.lo > 0 && (off < len - off || c.hi === a.length)) {
      a.copyWithin(c.lo - 1, c.lo, c.lo + off);
      c.lo--;
    } else {
      a.copyWithin(c.lo + off + 1, c.lo + off, c.hi);
      c.hi++;
    }
    a[c.lo + off] = v;
    this.n++;
    this.strings += strBytes(v.length);
  }

  /** Removes and returns the element at index i (0 <= i < n). */
  removeAt(i: number): string {
    this.locate(i);
    const k = this.locK;
    const c = this.chunk(k);
    const a = c.a;
    const p = c.lo + this.locOff;
    const v = a[p]!;
    if (p - c.lo < c.hi - 1 - p) {
      a.copyWithin(c.lo + 1, c.lo, p);
      a[c.lo++] = undefined;
    } else {
      a.copyWithin(p, p + 1, c.hi);
      a[--c.hi] = undefined;
    }
    this.n--;
    this.strings -= strBytes(v.length);
    this.tidy(k, k);
    return v;
  }

  /**
   * After removals in chunks first..last: drops chunks left empty (keeping at
   * least one) and merges neighbours that together hold MERGE or fewer
   * elements, looking one chunk beyond each side.
   */
  private tidy(first: number, last: number): void {
    let k = Math.max(first - 1, 0);
    let end = Math.min(last + 1, this.count - 1);
    while (k <= end && this.count > 1) {
      const c = this.chunk(k);
      const len = c.hi - c.lo;
      if (len === 0) { this.removeChunk(k); end--; continue; }
      if (k + 1 < this.count) {
        const d = this.chunk(k + 1);
        const dl = d.hi - d.lo;
        if (len + dl <= MERGE) {
          // Append d's elements to c (room is made by centring c in a chunk that fits both).
          if (c.a.length - c.lo < len + dl) {
            const to = c.a.length >= len + dl ? c.a.length : CHUNK;
            if (to !== c.a.length) this.resize(c, to, 0); else ListValue.move(c, 0);
          }
          for (let j = d.lo; j < d.hi; j++) c.a[c.hi++] = d.a[j];
          this.removeChunk(k + 1);
          end--;
          continue;
        }
      }
      k++;
    }
  }

  // ---- bulk ----------------------------------------------------------------

  /** Elements start..stop (inclusive, 0 <= start <= stop < n), head to tail. */
  range(start: number, stop: number): string[] {
    const out = new Array<string>(stop - start + 1);
    if (out.length === 0) return out;
    this.locate(start);
    let k = this.locK;
    let p = this.chunk(k).lo + this.locOff;
    let o = 0;
    while (o < out.length) {
      const c = this.chunk(k);
      const a = c.a;
      const hi = Math.min(c.hi, p + out.length - o);
      while (p < hi) out[o++] = a[p++]!;
      k++;
      if (k < this.count) p = this.chunk(k).lo;
    }
    return out;
  }

  /**
   * Passes elements start..stop (inclusive, 0 <= start <= stop < n), head to
   * tail, to out.bulk() (a ReplyWriter, for LRANGE): no array in between.
   */
  writeRange(start: number, stop: number, out: { bulk(s: string): void }): void {
    let left = stop - start + 1;
    if (left <= 0) return;
    this.locate(start);
    let k = this.locK;
    let p = this.chunk(k).lo + this.locOff;
    while (left > 0) {
      const c = this.chunk(k);
      const a = c.a;
      const hi = Math.min(c.hi, p + left);
      left -= hi - p;
      while (p < hi) out.bulk(a[p++]!);
      k++;
      if (k < this.count) p = this.chunk(k).lo;
    }
  }

  /**
   * Visits elements from index `from` towards the tail (or, `reverse`, towards
   * the head), calling fn(value, index) until it returns true. Returns the
   * index where fn returned true, or -1.
   */
  scan(from: number, reverse: boolean, fn: (v: string, i: number) => boolean): number {
    if (from < 0 || from >= this.n) return -1;
    this.locate(from);
    let k = this.locK;
    let i = from;
    if (!reverse) {
      let p = this.chunk(k).lo + this.locOff;
      for (; k < this.count; k++) {
        const c = this.chunk(k);
        if (p < c.lo) p = c.lo;
        const a = c.a;
        for (; p < c.hi; p++, i++) if (fn(a[p]!, i)) return i;
        p = -1;
      }
    } else {
      let p = this.chunk(k).lo + this.locOff;
      for (; k >= 0; k--) {
        const c = this.chunk(k);
        if (p >= c.hi) p = c.hi - 1;
        const a = c.a;
        for (; p >= c.lo; p--, i--) if (fn(a[p]!, i)) return i;
        p = Infinity;
      }
    }
    return -1;
  }

  /** Index of the first element equal to v (from the head), or -1. */
  indexOf(v: string): number {
    let i = 0;
    for (let k = 0; k < this.count; k++) {
      const c = this.chunk(k);
      const a = c.a;
      for (let p = c.lo; p < c.hi; p++, i++) if (a[p] === v) return i;
    }
    return -1;
  }

  /** Calls fn(value, index) for every element, head to tail. */
  forEach(fn: (v: string, i: number) => void): void {
    let i = 0;
    for (let k = 0; k < this.count; k++) {
      const c = this.chunk(k);
      const a = c.a;
      for (let p = c.lo; p < c.hi; p++) fn(a[p]!, i++);
    }
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    return this.n === 0 ? [] : this.range(0, this.n - 1);
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let k = 0; k < this.count; k++) {
      const c = this.chunk(k);
      for (let p = c.lo; p < c.hi; p++) yield c.a[p]!;
    }
  }

  /** Every element, tail to head. */
  *reversed(): IterableIterator<string> {
    for (let k = this.count - 1; k >= 0; k--) {
      const c = this.chunk(k);
      for (let p = c.hi - 1; p >= c.lo; p--) yield c.a[p]!;
    }
  }

  /**
   * LREM: removes up to `limit` elements equal to v (0 = all) scanning from
   * the head, or from the tail when `fromTail`. Returns how many went. Each
   * touched chunk is compacted in place, once.
   */
  removeMatching(v: string, limit: number, fromTail: boolean): number {
    let removed = 0;
    let first = -1;
    let last = -1;
    const max = limit === 0 ? Infinity : limit;
    const sb = strBytes(v.length);
    if (!fromTail) {
      for (let k = 0; k < this.count && removed < max; k++) {
        const c = this.chunk(k);
        const a = c.a;
        let w = -1;
        for (let p = c.lo; p < c.hi; p++) {
          const e = a[p]!;
          if (w === -1) {
            if (e === v && removed < max) { w = p; removed++; }
          } else if (e === v && removed < max) removed++;
          else a[w++] = e;
        }
        if (w !== -1) {
          a.fill(undefined, w, c.hi);
          c.hi = w;
          if (first === -1) first = k;
          last = k;
        }
      }
    } else {
      for (let k = this.count - 1; k >= 0 && removed < max; k--) {
        const c = this.chunk(k);
        const a = c.a;
        let w = -1;
        for (let p = c.hi - 1; p >= c.lo; p--) {
          const e = a[p]!;
          if (w === -1) {
            if (e === v && removed < max) { w = p; removed++; }
          } else if (e === v && removed < max) removed++;
          else a[w--] = e;
        }
        if (w !== -1) {
          a.fill(undefined, c.lo, w + 1);
          c.lo = w + 1;
          if (last === -1) last = k;
          first = k;
        }
      }
    }
    if (removed > 0) {
      this.n -= removed;
      this.strings -= removed * sb;
      this.tidy(first, last);
    }
    return removed;
  }

  /** LTRIM: keeps elements start..stop (inclusive, clamped by the caller); start > stop empties the list. */
  trim(start: number, stop: number): void {
    if (start > stop || start >= this.n || stop < 0) {
      this.clear();
      return;
    }
    let dropHead = start;
    let dropTail = this.n - 1 - stop;
    while (dropHead > 0) {
      const c = this.chunk(0);
      const len = c.hi - c.lo;
      const take = Math.min(len, dropHead);
      for (let p = c.lo; p < c.lo + take; p++) { this.strings -= strBytes(c.a[p]!.length); c.a[p] = undefined; }
      c.lo += take;
      dropHead -= take;
      this.n -= take;
      if (c.lo === c.hi && this.count > 1) this.removeChunk(0);
    }
    while (dropTail > 0) {
      const c = this.chunk(this.count - 1);
      const len = c.hi - c.lo;
      const take = Math.min(len, dropTail);
      for (let p = c.hi - take; p < c.hi; p++) { this.strings -= strBytes(c.a[p]!.length); c.a[p] = undefined; }
      c.hi -= take;
      dropTail -= take;
      this.n -= take;
      if (c.lo === c.hi && this.count > 1) this.removeChunk(this.count - 1);
    }
  }

  /** Removes every element. */
  clear(): void {
    this.ring = new Array<Chunk | undefined>(1);
    this.mask = 0;
    this.head = 0;
    this.count = 0;
    this.n = 0;
    this.strings = 0;
    this.chunkHeap = 0;
  }

  /** A deep copy (COPY): same elements, in full chunks. */
  clone(): ListValue {
    const l = new ListValue();
    this.forEach((v) => l.pushTail(v));
    return l;
  }

  /** The test handle's view: the elements, head first. */
  inspect(decode: (raw: string) => string): string[] {
    const out: string[] = [];
    this.forEach((v) => out.push(decode(v)));
    return out;
  }

  /** Internal shape, for tests: chunk sizes and capacities, head first. */
  shape(): { len: number; cap: number }[] {
    const out: { len: number; cap: number }[] = [];
    for (let k = 0; k < this.count; k++) { const c = this.chunk(k); out.push({ len: c.hi - c.lo, cap: c.a.length }); }
    return out;
  }
}
