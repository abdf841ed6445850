/**
 * RankTree: the ordered part of a sorted set, an order-statistic B+tree of
 * (score, member) keys, sorted by score, then by member bytes (zset.ts owns
 * the member -> score dictionary beside it).
 *
 * How it works:
 * - Leaves hold up to LEAF_MAX keys in two parallel sorted arrays (members,
 *   scores) and are linked both ways, so a range is a walk along leaves.
 * - Inner nodes hold up to INNER_MAX children, the number of keys under each
 *   child (so a rank is a sum of counts on the way down), and one separator
 *   key per child: a lower bound of that child's keys that is above every key
 *   of the child before it. Separators are set on splits and rebalances and
 *   may go stale after deletes, but stay valid bounds, so lookups never need
 *   them exact.
 * - Insert: descend by key, splice into the leaf, add 1 to the counts on the
 *   path; a full leaf or inner node splits in two, up to a new root. A leaf
 *   overflowing at the very end of the tree (or start) splits off just the
 *   new key, so ascending scores such as timestamps fill leaves completely.
 * - Delete: descend, splice out, subtract 1 on the path; a leaf under
 *   LEAF_MIN merges with a sibling (or takes keys from it when both are too
 *   big to merge); an inner node under INNER_MIN merges with a sibling when
 *   they fit in one; empty nodes go; a root with one child is replaced by it.
 *   All leaves stay at the same depth.
 * - Searches are "first key for which a monotone predicate holds" (key >=,
 *   score >=/>, member >=/>): binary search over separators, then in the leaf.
 *
 * Cost, for n keys: depth is log_32(n) or so (3 inner levels at 1,000,000);
 * each level costs a binary search plus summing up to INNER_MAX counts, and a
 * leaf splice moves up to LEAF_MAX pointers, so insert, delete, rank, seek by
 * rank and every bound search are O(log n) with a small constant; walking on
 * from a cursor is O(1) per key. Memory: 16 bytes per key in the leaves
 * (two array slots) plus spare capacity and per-leaf overhead, about 30
 * bytes per key in all (measured, bench/types-memory.mjs), and a few bytes
 * per key of inner nodes.
 *
 * Why a B+tree rather than Redis's skiplist with spans: both give O(log n)
 * rank and search. A skiplist node in JS is an object with an array of
 * forward pointers and spans (well over 100 bytes a key) and every step is a
 * dependent pointer load; the B+tree keeps keys in packed arrays (a cache
 * line holds 8 of them), needs no random levels (so no PRNG draw per insert
 * and nothing to seed), and its rank sums are over small arrays. The price:
 * an insert or delete moves up to LEAF_MAX array slots, and the rebalancing
 * code is longer than a skiplist's. Redis's order is reproduced exactly; its
 * skiplist shape is not, which only shows in BYLEX queries over unequal
 * scores, which Redis documents as unspecified (and zset.ts reproduces for
 * listpack-encoded sets, where Redis's answer is a linear scan).
 */

import { arrayBytes, objectBytes } from './memory.js';

export const LEAF_MAX = 128;
const LEAF_MIN = 32;
const INNER_MAX = 64;
const INNER_MIN = 16;

/** The RankTree object (12 fields), a Leaf (6), an inner node (5 fields, four arrays). */
const TREE_OBJECT = objectBytes(12);
const LEAF_OBJECT = objectBytes(6);
const INNER_OBJECT = objectBytes(5);

export class Leaf {
  readonly leaf = true;
  m: string[] = [];
  s: number[] = [];
  /** The capacity V8 gives m and s (memory.ts's growth model), for the memory account. */
  cap = 0;
  next: Leaf | null = null;
  prev: Leaf | null = null;
}

class Inner {
  readonly leaf = false;
  kids: Node[] = [];
  cnt: number[] = [];
  /** sepS[i], sepM[i]: a lower bound of child i's keys (i >= 1; slot 0 is only carried along). */
  sepS: number[] = [];
  sepM: string[] = [];
}

type Node = Leaf | Inner;

/** Search predicates, each monotone along the key order. */
const KEY_GTE = 0;
const KEY_GT = 5;
const SCORE_GTE = 1;
const SCORE_GT = 2;
const MEMBER_GTE = 3;
const MEMBER_GT = 4;

function holds(kind: number, x: number, xm: string, s: number, m: string): boolean {
  switch (kind) {
    case KEY_GTE: return s > x || (s === x && m >= xm);
    case KEY_GT: return s > x || (s === x && m > xm);
    case SCORE_GTE: return s >= x;
    case SCORE_GT: return s > x;
    case MEMBER_GTE: return m >= xm;
    default: return m > xm; // MEMBER_GT
  }
}

/** A position in the tree, for walking in order. Invalidated by any change to the tree. */
export class Cursor {
  constructor(public leafNode: Leaf | null, public i: number) {}
  get valid(): boolean { return this.leafNode !== null; }
  get member(): string { return this.leafNode!.m[this.i]!; }
  get score(): number { return this.leafNode!.s[this.i]!; }
  next(): void {
    const l = this.leafNode!;
    if (++this.i >= l.m.length) { this.leafNode = l.next; this.i = 0; }
  }
  prev(): void {
    if (--this.i < 0) {
      const p = this.leafNode!.prev;
      this.leafNode = p;
      this.i = p === null ? 0 : p.m.length - 1;
    }
  }
}

export class RankTree {
  private root: Node = new Leaf();
  /** Depth of the leaves (0: the root is a leaf). */
  private height = 0;
  head: Leaf = this.root as Leaf;
  tail: Leaf = this.root as Leaf;
  size = 0;
  /** Number of leaves and inner nodes, and the leaves' total modelled capacity (for the memory account). */
  leaves = 1;
  inners = 0;
  capTotal = 0;

  // The path of the last descent: pn[d] is the inner node at depth d, pi[d] the child taken.
  private readonly pn: Inner[] = [];
  private readonly pi: number[] = [];
  /** Keys before the leaf the last descent reached. */
  private base = 0;

  clear(): void {
    this.root = this.head = this.tail = new Leaf();
    this.height = 0;
    this.size = 0;
    this.leaves = 1;
    this.inners = 0;
    this.capTotal = 0;
  }

  /**
   * Descends to the leaf where the first key satisfying predicate `kind` is,
   * or would be, and returns its index there (the leaf's length when it is
   * the first key of the next leaf: base + index is its rank either way).
   * At inner nodes the child taken is the last whose separator does not
   * satisfy `route`: `kind` itself for searches; KEY_GT for an exact key, so
   * that a key equal to a separator goes to the child that separator bounds.
   */
  private descend(kind: number, x: number, xm: string, route = kind): number {
    let node = this.root;
    let base = 0;
    for (let d = 0; d < this.height; d++) {
      const n = node as Inner;
      // Last child i >= 1 whose separator does not satisfy the predicate (else 0).
      let lo = 1;
      let hi = n.kids.length - 1;
      let pick = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (holds(route, x, xm, n.sepS[mid]!, n.sepM[mid]!)) hi = mid - 1;
        else { pick = mid; lo = mid + 1; }
      }
      const cnt = n.cnt;
      for (let k = 0; k < pick; k++) base += cnt[k]!;
      this.pn[d] = n;
      this.pi[d] = pick;
      node = n.kids[pick]!;
    }
    this.base = base;
    const leaf = node as Leaf;
    let lo = 0;
    let hi = leaf.m.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (holds(kind, x, xm, leaf.s[mid]!, leaf.m[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    this.found = leaf;
    return lo;
  }

  private found: Leaf = this.head;

  /** Adds a key (the caller knows the member is absent). */
  insert(score: number, member: string): void {
    const j = this.descend(KEY_GTE, score, member, KEY_GT);
    const leaf = this.found;
    leaf.m.splice(j, 0, member);
    leaf.s.splice(j, 0, score);
    this.setCap(leaf, grown(leaf.cap, leaf.m.length));
    this.size++;
    for (let d = 0; d < this.height; d++) this.pn[d]!.cnt[this.pi[d]!]!++;
    if (leaf.m.length > LEAF_MAX) this.splitLeaf(leaf, j);
  }

  /** Removes a key. Returns false when it is not there. */
  delete(score: number, member: string): boolean {
    const j = this.descend(KEY_GTE, score, member, KEY_GT);
    const leaf = this.found;
    if (j >= leaf.m.length || leaf.m[j] !== member || leaf.s[j] !== score) return false;
    if (this.size === 1) { this.clear(); return true; }
    leaf.m.splice(j, 1);
    leaf.s.splice(j, 1);
    this.size--;
    for (let d = 0; d < this.height; d++) this.pn[d]!.cnt[this.pi[d]!]!--;
    if (this.height > 0 && leaf.m.length < LEAF_MIN) this.fixLeaf(leaf);
    return true;
  }

  /** 0-based rank of a key, or -1 when absent. */
  rankOf(score: number, member: string): number {
    const j = this.descend(KEY_GTE, score, member, KEY_GT);
    const leaf = this.found;
    if (j >= leaf.m.length || leaf.m[j] !== member || leaf.s[j] !== score) return -1;
    return this.base + j;
  }

  /** Rank of the first key with score >= x (> x when exclusive); size when none. */
  rankOfScore(x: number, exclusive: boolean): number {
    const j = this.descend(exclusive ? SCORE_GT : SCORE_GTE, x, '');
    return this.base + j;
  }

  /**
   * Rank of the first key with member >= m (> m when exclusive), assuming the
   * keys are in member order too (all scores equal); size when none.
   */
  rankOfMember(m: string, exclusive: boolean): number {
    const j = this.descend(exclusive ? MEMBER_GT : MEMBER_GTE, 0, m);
    return this.base + j;
  }

  /** A cursor on the key of the given rank (not valid when rank is out of [0, size)). */
  cursor(rank: number): Cursor {
    if (rank < 0 || rank >= this.size) return new Cursor(null, 0);
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const n = node as Inner;
      const cnt = n.cnt;
      let i = 0;
      while (rank >= cnt[i]!) { rank -= cnt[i]!; i++; }
      node = n.kids[i]!;
    }
    return new Cursor(node as Leaf, rank);
  }

  /** Calls visit(member, score) for every key in order. */
  forEach(visit: (member: string, score: number) => void): void {
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      const m = l.m;
      const s = l.s;
      for (let i = 0; i < m.length; i++) visit(m[i]!, s[i]!);
    }
  }

  /**
   * Heap bytes of the tree (memory.ts's model): the tree object and its path
   * arrays; per leaf its object, its two arrays' headers and their modelled
   * capacity (V8's growth rule applied as the leaf grows, exact length for
   * the half a split creates); per inner node its object and four arrays
   * sized for the average number of children.
   */
  bytes(): number {
    let b = TREE_OBJECT + 2 * arrayBytes(this.height) + this.leaves * (LEAF_OBJECT + 2 * 48) + 16 * this.capTotal;
    if (this.inners > 0) {
      const kids = (this.leaves + this.inners - 1) / this.inners;
      b += this.inners * (INNER_OBJECT + 4 * (48 + 8 * Math.ceil(kids * 1.25)));
    }
    return b;
  }

  /** Rewrites every -0 score as 0 (order is unchanged: -0 and 0 compare equal). */
  zeroSigns(): void {
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      const s = l.s;
      for (let i = 0; i < s.length; i++) if (s[i] === 0) s[i] = 0;
    }
  }

  // ---- structure -----------------------------------------------------------

  private setCap(l: Leaf, cap: number): void {
    this.capTotal += cap - l.cap;
    l.cap = cap;
  }

  /**
   * Splits a full leaf in two halves, except when the key just inserted at
   * `j` went to the very end of the last leaf (or the start of the first):
   * then the new key alone starts the new leaf, so that ascending (or
   * descending) inserts, such as timestamps, leave full leaves behind rather
   * than half-empty ones.
   */
  private splitLeaf(leaf: Leaf, j: number): void {
    const right = new Leaf();
    const n = leaf.m.length;
    const half = leaf.next === null && j === n - 1 ? n - 1 : leaf.prev === null && j === 0 ? 1 : n >>> 1;
    right.m = leaf.m.splice(half);
    right.s = leaf.s.splice(half);
    this.setCap(right, right.m.length); // splice returns an array of just the removed elements
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right; else this.tail = right;
    leaf.next = right;
    right.prev = leaf;
    this.leaves++;
    this.addSibling(this.height - 1, leaf.m.length, right, right.m.length, right.s[0]!, right.m[0]!);
  }

  /**
   * After node pn[depth].kids[pi[depth]] split: `right` (with `rightCount`
   * keys and lower bound sepS/sepM) goes just after it, which keeps `leftCount`.
   * depth -1 means the split node was the root.
   */
  private addSibling(depth: number, leftCount: number, right: Node, rightCount: number, sepS: number, sepM: string): void {
    if (depth < 0) {
      const root = new Inner();
      root.kids = [this.root, right];
      root.cnt = [leftCount, rightCount];
      root.sepS = [sepS, sepS];
      root.sepM = [sepM, sepM];
      this.root = root;
      this.height++;
      this.inners++;
      return;
    }
    const p = this.pn[depth]!;
    const i = this.pi[depth]!;
    p.kids.splice(i + 1, 0, right);
    p.cnt[i] = leftCount;
    p.cnt.splice(i + 1, 0, rightCount);
    p.sepS.splice(i + 1, 0, sepS);
    p.sepM.splice(i + 1, 0, sepM);
    if (p.kids.length <= INNER_MAX) return;
    const r = new Inner();
    const half = p.kids.length >>> 1;
    r.kids = p.kids.splice(half);
    r.cnt = p.cnt.splice(half);
    r.sepS = p.sepS.splice(half);
    r.sepM = p.sepM.splice(half);
    this.inners++;
    this.addSibling(depth - 1, sum(p.cnt), r, sum(r.cnt), r.sepS[0]!, r.sepM[0]!);
  }

  /** A leaf (not the root) fell under LEAF_MIN keys: merge it with a sibling or even them out. */
  private fixLeaf(leaf: Leaf): void {
    const depth = this.height - 1;
    const p = this.pn[depth]!;
    const i = this.pi[depth]!;
    if (p.kids.length === 1) {
      if (leaf.m.length === 0) { this.setCap(leaf, 0); this.unlinkLeaf(leaf); this.removeChild(depth, i); }
      return;
    }
    // The pair (a, b) with b at index r.
    const r = i > 0 ? i : i + 1;
    const a = p.kids[r - 1] as Leaf;
    const b = p.kids[r] as Leaf;
    if (a.m.length + b.m.length <= LEAF_MAX) {
      for (let k = 0; k < b.m.length; k++) { a.m.push(b.m[k]!); a.s.push(b.s[k]!); this.setCap(a, grown(a.cap, a.m.length)); }
      this.setCap(b, 0);
      this.unlinkLeaf(b);
      p.cnt[r - 1] = a.m.length;
      p.cnt[r] = 0;
      this.removeChild(depth, r);
      return;
    }
    const target = (a.m.length + b.m.length) >>> 1;
    if (a.m.length < target) {
      const k = target - a.m.length;
      const ms = b.m.splice(0, k);
      const ss = b.s.splice(0, k);
      for (let t = 0; t < k; t++) { a.m.push(ms[t]!); a.s.push(ss[t]!); this.setCap(a, grown(a.cap, a.m.length)); }
    } else {
      const k = a.m.length - target;
      b.m.unshift(...a.m.splice(a.m.length - k));
      b.s.unshift(...a.s.splice(a.s.length - k));
      this.setCap(b, grown(b.cap, b.m.length));
    }
    p.cnt[r - 1] = a.m.length;
    p.cnt[r] = b.m.length;
    p.sepS[r] = b.s[0]!;
    p.sepM[r] = b.m[0]!;
  }

  private unlinkLeaf(l: Leaf): void {
    if (l.prev !== null) l.prev.next = l.next; else this.head = l.next!;
    if (l.next !== null) l.next.prev = l.prev; else this.tail = l.prev!;
    this.leaves--;
  }

  /** Removes child r (already emptied or merged away) from pn[depth], then fixes that node. */
  private removeChild(depth: number, r: number): void {
    const p = this.pn[depth]!;
    p.kids.splice(r, 1);
    p.cnt.splice(r, 1);
    p.sepS.splice(r, 1);
    p.sepM.splice(r, 1);
    if (depth === 0) {
      // The root: while it is an inner node with one child, that child becomes the root.
      while (!this.root.leaf && (this.root as Inner).kids.length === 1) {
        this.root = (this.root as Inner).kids[0]!;
        this.height--;
        this.inners--;
      }
      return;
    }
    const gp = this.pn[depth - 1]!;
    const gi = this.pi[depth - 1]!;
    if (p.kids.length === 0) { this.inners--; this.removeChild(depth - 1, gi); return; }
    if (p.kids.length >= INNER_MIN || gp.kids.length === 1) return;
    const rr = gi > 0 ? gi : gi + 1;
    const a = gp.kids[rr - 1] as Inner;
    const b = gp.kids[rr] as Inner;
    if (a.kids.length + b.kids.length > INNER_MAX) return; // the sibling is well filled: leave it
    for (let k = 0; k < b.kids.length; k++) {
      a.kids.push(b.kids[k]!);
      a.cnt.push(b.cnt[k]!);
      // b's first child is bounded below by gp's separator for b.
      a.sepS.push(k === 0 ? gp.sepS[rr]! : b.sepS[k]!);
      a.sepM.push(k === 0 ? gp.sepM[rr]! : b.sepM[k]!);
    }
    gp.cnt[rr - 1] += gp.cnt[rr]!;
    this.inners--;
    this.removeChild(depth - 1, rr);
  }

  /** Checks every structural invariant (for tests). Throws on a violation. */
  check(): void {
    const leaves: Leaf[] = [];
    const walk = (n: Node, depth: number, lo: [number, string] | null, hi: [number, string] | null): number => {
      if (n.leaf) {
        if (depth !== this.height) throw new Error('leaf depth');
        if (n !== this.root && n.m.length === 0) throw new Error('empty leaf');
        if (n.m.length > LEAF_MAX || n.m.length !== n.s.length) throw new Error('leaf size');
        for (let i = 0; i < n.m.length; i++) {
          if (i > 0 && !(n.s[i - 1]! < n.s[i]! || (n.s[i - 1] === n.s[i] && n.m[i - 1]! < n.m[i]!))) throw new Error('leaf order');
          if (lo !== null && !(n.s[i]! > lo[0] || (n.s[i] === lo[0] && n.m[i]! >= lo[1]))) throw new Error('separator bound');
          if (hi !== null && !(n.s[i]! < hi[0] || (n.s[i] === hi[0] && n.m[i]! < hi[1]))) throw new Error('next separator bound');
        }
        leaves.push(n);
        return n.m.length;
      }
      if (n.kids.length === 0 || n.kids.length > INNER_MAX) throw new Error('inner size');
      let total = 0;
      for (let i = 0; i < n.kids.length; i++) {
        const c = walk(n.kids[i]!, depth + 1, i === 0 ? lo : [n.sepS[i]!, n.sepM[i]!], i + 1 < n.kids.length ? [n.sepS[i + 1]!, n.sepM[i + 1]!] : hi);
        if (c !== n.cnt[i]) throw new Error('count');
        total += c;
      }
      return total;
    };
    if (walk(this.root, 0, null, null) !== this.size) throw new Error('size');
    if (leaves[0] !== this.head || leaves[leaves.length - 1] !== this.tail) throw new Error('head/tail');
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i]!.prev !== (leaves[i - 1] ?? null) || leaves[i]!.next !== (leaves[i + 1] ?? null)) throw new Error('links');
    }
    if (leaves.length !== this.leaves) throw new Error('leaf count');
    let prev: [number, string] | null = null;
    for (const l of leaves) {
      for (let i = 0; i < l.m.length; i++) {
        if (prev !== null && !(prev[0] < l.s[i]! || (prev[0] === l.s[i] && prev[1] < l.m[i]!))) throw new Error('global order');
        prev = [l.s[i]!, l.m[i]!];
      }
    }
  }
}

/** The capacity after growing an array of capacity `cap` to `len` elements (V8: len + len/2 + 16 when it does not fit). */
function grown(cap: number, len: number): number {
  return len <= cap ? cap : len + Math.floor(len / 2) + 16;
}

function sum(a: number[]): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]!;
  return t;
}
