/**
 * StreamValue: Redis's stream type (an append-only log of entries, each an ID
 * and field/value pairs), with its consumer groups, their pending-entries
 * lists (PEL) and consumers. OBJECT ENCODING says 'stream'.
 *
 * IDs: a stream ID is two unsigned 64-bit numbers, <ms>-<seq>. Here it is one
 * 128-bit BigInt, ms * 2^64 + seq, so IDs compare with `<`, the next ID is
 * `+ 1n` and the greatest is 2^128 - 1: every ms up to 2^64-1 is exact. In the
 * nodes they are stored unboxed, two u64 words per entry in a BigUint64Array
 * (16 bytes, as Redis's 128-bit rax keys), and made a BigInt when read.
 *
 * Structure: entries live in nodes (Redis's listpacks), kept in an array in
 * ID order (Redis's radix tree keyed by each node's first ID). A node holds
 * up to stream-node-max-entries entries (deleted ones included) and is closed
 * when its listpack would reach stream-node-max-bytes: the node keeps an
 * estimate of the listpack's size computed with listpack's encoding rules,
 * so nodes split where Redis's do, which XTRIM/XADD's `~` (whole nodes only)
 * and XINFO's radix-tree-keys make visible. Inside a node the entries are a
 * flat array of field/value strings with per-entry offsets; an entry whose
 * fields are those of the node's first entry shares the first entry's field
 * strings (Redis's "same fields" compression: the names are stored once).
 * - Append: O(1) amortised (write into the last node, or open a new one).
 * - Seek to an ID: binary search over node first IDs, then within the node:
 *   O(log n), whatever the position, so XRANGE is as fast at the end of a
 *   1M-entry stream as at its start.
 * - Delete (XDEL): marks a tombstone in the node (as Redis does), O(log n);
 *   a node whose entries are all deleted is dropped.
 * - Trim from the front (XTRIM, XADD MAXLEN/MINID): whole nodes are dropped
 *   with one splice of the node array (a pointer per 100 entries); a partial
 *   node only gets tombstones, as in Redis.
 * Trade-off: a node array rather than a tree makes dropping or adding a node
 * in the middle O(n/100) pointer moves, but streams only grow at the end and
 * shrink at the front, where it is one push or one splice of the directory.
 *
 * Consumer groups (Map by name, listed in byte order as Redis's rax does):
 * each has a last-delivered ID, an entries-read counter (-1: unknown), a PEL
 * of NACKs (delivery time, delivery count, owner) ordered by ID, and its
 * consumers, each with its own PEL holding the same NACK objects. A PEL is an
 * IdIndex: a Map for O(1) lookup plus the same slots in sorted chunks for
 * ordered scans (append O(1) in the usual increasing order, insert elsewhere
 * O(log n + chunk), deletes mark the slot dead and are compacted in bulk, so
 * acknowledging in any order costs O(1) amortised). The Map is keyed by idKey(id), not the
 * ID: V8 hashes a BigInt by its low 64 bits alone, the seq half, so raw IDs
 * from `XADD *` (seq 0) would all share one hash chain (see idKey).
 *
 * Memory account (`bytes`, V8 heap bytes, memory.ts's model): per node its
 * object, ID words, offset and string arrays; every value string, and every
 * field string not shared with the node's first entry; per group, consumer
 * and NACK their objects, Map slots and names. bench/memory-types.mjs
 * (stream rows, 100,000 entries in 10,000-entry streams) measured 94 and 193
 * heap bytes per entry (one 16-byte field; user/action/ts), against Redis's
 * 32 and 37 used_memory bytes; the account is calibrated to that heap.
 */

import { arrayBytes, objectBytes, strBytes } from './memory.js';
import { parseInt64 } from '../numbers.js';

// ---- IDs ---------------------------------------------------------------------------

export const U64_MAX = (1n << 64n) - 1n;
/** The greatest ID, 18446744073709551615-18446744073709551615 (Redis's "+" bound). */
export const ID_MAX = (1n << 128n) - 1n;

export function makeId(ms: bigint, seq: bigint): bigint {
  return (ms << 64n) | seq;
}

export function idMs(id: bigint): bigint {
  return id >> 64n;
}

export function idSeq(id: bigint): bigint {
  return id & U64_MAX;
}

const TWO_53 = 9007199254740992n;

/** <ms>-<seq>, as Redis prints IDs. */
export function formatId(id: bigint): string {
  const ms = id >> 64n;
  const seq = id & U64_MAX;
  // Both below 2^53 (every clock-made ID): Number's toString is cheaper than BigInt's.
  if (ms < TWO_53 && seq < TWO_53) return `${Number(ms)}-${Number(seq)}`;
  return `${ms}-${seq}`;
}

// ---- listpack size model (for node splits) -------------------------------------------

/** Bytes of a listpack entry of `l` encoded bytes plus its back-length. */
function withBacklen(l: number): number {
  return l + (l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5);
}

/** Bytes of an integer listpack element. */
function lpIntSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Bytes of a string listpack element (stored as an integer when it reads as one, as lpAppend does). */
function lpStrSize(s: string): number {
  const len = s.length;
  if (len <= 20 && len > 0) {
    const n = parseInt64(s);
    if (n !== null) return lpIntSize(n);
  }
  if (len <= 63) return withBacklen(1 + len);
  if (len <= 4095) return withBacklen(2 + len);
  return withBacklen(5 + len);
}

/** A listpack's header (total bytes, count) and end byte. */
const LP_HEADER = 7;
/** Redis's STREAM_LISTPACK_MAX_SIZE: 1 GB. */
export const LISTPACK_MAX_SIZE = 1 << 30;

/** Entry flags, as Redis's (only their listpack size matters here: all one byte). */
const FLAG_SAMEFIELDS = 2;

// ---- memory model ------------------------------------------------------------------

/**
 * Per entry, beyond the modelled arrays and strings: measured against V8's
 * heap by bench/memory-types.mjs (10,000-entry streams: the model alone was
 * 5.6 and 6.2 bytes per entry under the heap with one and three fields).
 */
const ENTRY_SLACK = 6;
/** A StreamNode object (11 fields). */
const NODE_OBJECT = objectBytes(11);
/** A BigUint64Array of `cap` u64 (the JSTypedArray, its ArrayBuffer and backing store). */
function u64ArrayBytes(cap: number): number {
  return 160 + 8 * cap;
}
/** The StreamValue object. */
const STREAM_OBJECT = objectBytes(12);
/**
 * One NACK: its object (3 fields); in the group's and the consumer's PEL a
 * slot object (3 fields), a Map entry and an array pointer each; the ID and
 * its idKey as BigInts (32 bytes each). 296 by this model; 302 heap bytes
 * measured per NACK with 200,000 pending in one group (--expose-gc, heapUsed).
 */
export const NACK_BYTES = objectBytes(3) + 2 * (objectBytes(3) + 36 + 8) + 2 * 32;
/** One consumer, beyond its name: the object, its PEL's Map and array, its slot in the group's Map. */
export const CONSUMER_BYTES = objectBytes(3) + 184 + 32 + 28;
/** One group, beyond its name: the object, its PEL and consumers Maps, its slot in the stream's Map. */
export const GROUP_BYTES = objectBytes(6) + 184 + 32 + 184 + 28 + 184;

// ---- nodes ---------------------------------------------------------------------------

/** One node: a run of consecutive entries (Redis's listpack). */
export class StreamNode {
  /** ID words: ms then seq of entry i at 2i, 2i+1. */
  ids: BigUint64Array;
  /** Entries in the node, deleted ones included. */
  n = 0;
  /** Entries not deleted. */
  live = 0;
  /** Tombstones (1 = deleted), made on the first delete. */
  del: Uint8Array | null = null;
  /** Field/value strings of every entry, in order. */
  kv: string[] = [];
  /** Entry i's pairs are kv[off[i] .. off[i+1]). */
  off: number[] = [0];
  /** The first entry's field names (Redis's master entry). */
  readonly master: string[];
  /** The node's first ID (its rax key). */
  readonly first: bigint;
  /** Estimated listpack bytes, without the count and deleted counters. */
  lpBody: number;
  /** Heap account of the node. */
  bytes: number;

  constructor(first: bigint, master: string[]) {
    this.first = first;
    this.master = master;
    this.ids = new BigUint64Array(8);
    let body = LP_HEADER + lpIntSize(master.length) + 2; // num-fields, master terminator 0
    let strs = 0;
    for (const f of master) { body += lpStrSize(f); strs += strBytes(f.length); }
    this.lpBody = body;
    this.bytes = NODE_OBJECT + u64ArrayBytes(16) + arrayBytes(1) + arrayBytes(0) + arrayBytes(master.length) + strs;
  }

  /** Estimated listpack size (Redis's lpBytes). */
  get lpBytes(): number {
    return this.lpBody + lpIntSize(this.live) + lpIntSize(this.n - this.live);
  }

  idAt(i: number): bigint {
    return (this.ids[2 * i]! << 64n) | this.ids[2 * i + 1]!;
  }

  isDeleted(i: number): boolean {
    return this.del !== null && this.del[i] === 1;
  }

  /**
   * Index of the first entry with ID >= id (n when none). Compares the ms and
   * seq words as they are stored, without building each 128-bit ID (five times
   * faster than idAt in a loop: no BigInt made per step).
   */
  lowerBound(id: bigint): number {
    const ms = id >> 64n;
    const seq = id & U64_MAX;
    const ids = this.ids;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = ids[2 * mid]!;
      if (m < ms || (m === ms && ids[2 * mid + 1]! < seq)) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Appends an entry: fields/values are args[from..). */
  append(id: bigint, args: readonly string[], from: number): void {
    const i = this.n;
    if (2 * i + 2 > this.ids.length) {
      const before = u64ArrayBytes(this.ids.length);
      const grown = new BigUint64Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
      this.bytes += u64ArrayBytes(grown.length) - before;
    }
    this.ids[2 * i] = id >> 64n;
    this.ids[2 * i + 1] = id & U64_MAX;
    const pairs = (args.length - from) >> 1;
    const master = this.master;
    let same = pairs === master.length;
    if (same) for (let p = 0; p < pairs; p++) if (args[from + 2 * p] !== master[p]) { same = false; break; }
    const kvBefore = arrayBytes(this.kv.length);
    const offBefore = arrayBytes(this.off.length);
    let strs = 0;
    // The ms and seq deltas to the node's first ID, as listpack stores them (int64); sizes only need Numbers.
    let lp = lpIntSize(i === 0 ? FLAG_SAMEFIELDS : 0) + lpIntSize(Number(BigInt.asIntN(64, (id >> 64n) - (this.first >> 64n))))
      + lpIntSize(Number(BigInt.asIntN(64, (id & U64_MAX) - (this.first & U64_MAX))));
    if (!same) lp += lpIntSize(pairs);
    for (let p = 0; p < pairs; p++) {
      const f = args[from + 2 * p]!;
      const v = args[from + 2 * p + 1]!;
      if (same) this.kv.push(master[p]!);
      else { this.kv.push(f); strs += strBytes(f.length); lp += lpStrSize(f); }
      this.kv.push(v);
      strs += strBytes(v.length);
      lp += lpStrSize(v);
    }
    lp += lpIntSize(same ? pairs + 3 : 2 * pairs + 4);
    this.off.push(this.kv.length);
    this.n++;
    this.live++;
    this.lpBody += lp;
    this.bytes += ENTRY_SLACK + strs + arrayBytes(this.kv.length) - kvBefore + arrayBytes(this.off.length) - offBefore;
  }

  /** Marks entry i deleted. Returns false if it already was. */
  markDeleted(i: number): boolean {
    if (this.del === null) {
      this.del = new Uint8Array(Math.max(this.n, 8));
      this.bytes += 160 + this.del.length;
    } else if (this.del.length < this.n) {
      const d = new Uint8Array(Math.max(this.n, this.del.length * 2));
      d.set(this.del);
      this.bytes += d.length - this.del.length;
      this.del = d;
    }
    if (this.del[i] === 1) return false;
    this.del[i] = 1;
    this.live--;
    return true;
  }

  /** Number of field/value pairs of entry i. */
  pairs(i: number): number {
    return (this.off[i + 1]! - this.off[i]!) >> 1;
  }

  /** The last entry's ID. */
  lastId(): bigint {
    return this.idAt(this.n - 1);
  }

  clone(): StreamNode {
    const c = new StreamNode(this.first, this.master);
    c.ids = this.ids.slice();
    c.n = this.n;
    c.live = this.live;
    c.del = this.del === null ? null : this.del.slice();
    c.kv = this.kv.slice();
    c.off = this.off.slice();
    c.lpBody = this.lpBody;
    c.bytes = this.bytes;
    return c;
  }
}

// ---- pending entries lists ---------------------------------------------------------------

/**
 * The Map key for a stream ID. V8 hashes a BigInt by its lowest 64-bit digit
 * only, which for a 128-bit stream ID (ms << 64 | seq) is the sequence number:
 * every `XADD *` entry has seq 0, so a Map keyed by raw IDs puts them all in
 * one hash chain and each lookup walks it (measured: 2,000 such keys made
 * set/get/delete 140x slower than small keys). XOR-ing the ms half into the
 * low digit keeps the key one-to-one (the high digit still holds ms) and
 * gives the hash the part that varies. Two BigInt operations per lookup.
 */
export function idKey(id: bigint): bigint {
  return id ^ (id >> 64n);
}

/** One ID in an IdIndex: in the Map and in its chunk, until deleted (then `live` false). */
interface IdSlot<V> {
  readonly id: bigint;
  v: V;
  live: boolean;
}

/** Positions from IdIndex.seek/next: chunk * POS_CHUNK + index in the chunk (chunks never reach it). */
const POS_CHUNK = 1 << 16;

/**
 * An ID-ordered index: a Map from idKey (see above) to a slot for lookup, and
 * the same slots, in ID order, in a list of sorted chunks of at most
 * `chunkMax` slots for ordered scans.
 * - get/delete: one Map operation. A delete marks the slot dead and leaves it
 *   in its chunk; when dead slots are more than half of all, one O(n) pass
 *   rebuilds the chunks from the live ones (amortised O(1) per delete).
 * - insert of the greatest ID (the usual case: entries are delivered in
 *   order): a push onto the last chunk. Elsewhere (XCLAIM, XAUTOCLAIM into a
 *   consumer that holds later IDs, XGROUP SETID backwards): a binary search
 *   over the chunks' first IDs and one inside the chunk, then an insert
 *   moving at most `chunkMax` pointers; a full chunk splits in two (moving
 *   n / chunkMax chunk pointers). O(log n + chunkMax), where one sorted array
 *   made 100,000 claims in descending order take 5.9 s (Redis's rax: 0.3 s).
 * - scans (XPENDING, XAUTOCLAIM, history reads): seek is two binary
 *   searches, next skips dead slots in place, no hashing.
 * The methods take the Map key when the caller already has it (a PEL change
 * touches the group's index and a consumer's with the same key).
 */
export class IdIndex<V> {
  private readonly map = new Map<bigint, IdSlot<V>>();
  private chunks: IdSlot<V>[][] = [];
  /** Slots in the chunks, dead ones included. */
  private total = 0;
  private dead = 0;

  constructor(private readonly chunkMax = 1024) {}

  get size(): number { return this.map.size; }

  get(id: bigint, key = idKey(id)): V | undefined {
    const slot = this.map.get(key);
    return slot === undefined ? undefined : slot.v;
  }

  has(id: bigint, key = idKey(id)): boolean { return this.map.has(key); }

  /** Inserts or replaces. */
  set(id: bigint, v: V, key = idKey(id)): void {
    const found = this.map.get(key);
    if (found !== undefined) { found.v = v; return; }
    this.insert(id, v, key);
  }

  /** Inserts an ID known to be absent (the caller has just looked): one Map operation fewer. */
  insert(id: bigint, v: V, key = idKey(id)): void {
    const slot: IdSlot<V> = { id, v, live: true };
    this.map.set(key, slot);
    const chunks = this.chunks;
    const nc = chunks.length;
    if (nc === 0) { chunks.push([slot]); this.total++; return; }
    const last = chunks[nc - 1]!;
    if (last[last.length - 1]!.id < id) {
      last.push(slot);
      this.total++;
      if (last.length > this.chunkMax) this.split(nc - 1);
      return;
    }
    const k = this.chunkFor(id);
    const c = chunks[k]!;
    const i = lowerBoundSlots(c, id);
    if (i < c.length && c[i]!.id === id) { c[i] = slot; this.dead--; return; } // replaces its dead slot
    c.splice(i, 0, slot);
    this.total++;
    if (c.length > this.chunkMax) this.split(k);
  }

  delete(id: bigint, key = idKey(id)): boolean {
    const slot = this.map.get(key);
    if (slot === undefined) return false;
    this.map.delete(key);
    slot.live = false;
    this.dead++;
    if (this.map.size === 0) { this.chunks = []; this.total = 0; this.dead = 0; }
    else if (this.dead > 16 && this.dead * 2 > this.total) this.rebuild();
    return true;
  }

  /** The chunk that holds id or would: the last whose first ID is <= id (0 when none is). */
  private chunkFor(id: bigint): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (chunks[mid]![0]!.id <= id) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  private split(k: number): void {
    const c = this.chunks[k]!;
    const half = c.length >>> 1;
    this.chunks.splice(k + 1, 0, c.slice(half));
    c.length = half;
  }

  /** Drops the dead slots: the live ones in chunks of half the maximum, so inserts have room. */
  private rebuild(): void {
    const out: IdSlot<V>[][] = [];
    const size = Math.max(1, this.chunkMax >>> 1);
    let cur: IdSlot<V>[] = [];
    for (const c of this.chunks) {
      for (const x of c) {
        if (!x.live) continue;
        cur.push(x);
        if (cur.length === size) { out.push(cur); cur = []; }
      }
    }
    if (cur.length !== 0) out.push(cur);
    this.chunks = out;
    this.total = this.map.size;
    this.dead = 0;
  }

  /** Live IDs >= from, in order (at most `limit`, 0 = all), as a fresh array. */
  from(from: bigint, limit = 0): bigint[] {
    const out: bigint[] = [];
    for (let p = this.seek(from); ; p = this.next(p)) {
      const id = this.idAt(p);
      if (id === null) break;
      out.push(id);
      if (limit !== 0 && out.length === limit) break;
    }
    return out;
  }

  /**
   * The position of the first live ID >= from; use with idAt/next to walk
   * without copying. Positions hold while the index is not changed; after a
   * delete, seek again (a delete may rebuild the chunks).
   */
  seek(from: bigint): number {
    const chunks = this.chunks;
    if (chunks.length === 0) return 0;
    const k = from === 0n ? 0 : this.chunkFor(from);
    const c = chunks[k]!;
    const i = from === 0n ? 0 : lowerBoundSlots(c, from);
    return this.liveFrom(k, i);
  }

  /** The position of the next live ID after position p. */
  next(p: number): number {
    const k = Math.floor(p / POS_CHUNK);
    return this.liveFrom(k, p - k * POS_CHUNK + 1);
  }

  /** The first live slot at or after index i of chunk k, as a position (past the end: chunks.length * POS_CHUNK). */
  private liveFrom(k: number, i: number): number {
    const chunks = this.chunks;
    for (; k < chunks.length; k++, i = 0) {
      const c = chunks[k]!;
      for (; i < c.length; i++) if (c[i]!.live) return k * POS_CHUNK + i;
    }
    return chunks.length * POS_CHUNK;
  }

  /** The live ID at position p (from seek/next), or null past the end. */
  idAt(p: number): bigint | null {
    const k = Math.floor(p / POS_CHUNK);
    const c = this.chunks[k];
    return c === undefined ? null : c[p - k * POS_CHUNK]!.id;
  }

  first(): bigint | null {
    return this.idAt(this.seek(0n));
  }

  last(): bigint | null {
    const chunks = this.chunks;
    for (let k = chunks.length - 1; k >= 0; k--) {
      const c = chunks[k]!;
      for (let i = c.length - 1; i >= 0; i--) if (c[i]!.live) return c[i]!.id;
    }
    return null;
  }
}

/** Index of the first slot with ID >= id in a sorted chunk (its length when none). */
function lowerBoundSlots<V>(c: readonly IdSlot<V>[], id: bigint): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]!.id < id) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export interface Nack {
  /** Last delivery, unix ms. */
  deliveryTime: number;
  deliveryCount: number;
  /** null only transiently (XCLAIM FORCE before the claim). */
  consumer: Consumer | null;
}

export interface Consumer {
  readonly name: string;
  /** Last time it was seen by a command, unix ms. */
  seenTime: number;
  readonly pel: IdIndex<Nack>;
}

export interface Group {
  readonly name: string;
  lastId: bigint;
  /** Entries read (Redis's entries_read), -1n when unknown. */
  entriesRead: bigint;
  readonly pel: IdIndex<Nack>;
  readonly consumers: Map<string, Consumer>;
}

/** Redis's SCG_INVALID_ENTRIES_READ. */
export const ENTRIES_READ_INVALID = -1n;

/** Names in byte order (Redis's rax order): latin1 strings compare by byte. */
export function byteOrder<T>(m: Map<string, T>): T[] {
  const names = [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => m.get(n)!);
}

// ---- the stream -------------------------------------------------------------------------

/** stream-node-max-entries and stream-node-max-bytes. */
export interface StreamLimits {
  maxEntries: number;
  maxBytes: number;
}

export const TRIM_NONE = 0;
export const TRIM_MAXLEN = 1;
export const TRIM_MINID = 2;

export interface TrimArgs {
  strategy: number;
  approx: boolean;
  /** Max entries to delete (0 = no limit). */
  limit: number;
  maxlen: number;
  minid: bigint;
}

export class StreamValue {
  readonly type = 'stream' as const;
  readonly encoding = 'stream';
  nodes: StreamNode[] = [];
  /** Entries (not deleted). */
  length = 0;
  lastId = 0n;
  /** The first entry's ID, 0 when empty (Redis's first_id). */
  firstId = 0n;
  maxDeletedId = 0n;
  /** All-time count of entries added (uint64 in Redis). */
  entriesAdded = 0n;
  groups: Map<string, Group> | null = null;
  /** Heap bytes of the groups, consumers and NACKs. */
  groupBytes = 0;
  /** Heap bytes of the nodes. */
  nodeBytes = 0;

  get size(): number { return this.length; }

  get bytes(): number {
    return STREAM_OBJECT + arrayBytes(this.nodes.length) + this.nodeBytes + this.groupBytes;
  }

  // ---- appending ----

  /**
   * Adds an entry with `id` (known to be > lastId); fields/values are
   * args[from..]. `totLen`: the fields' and values' total length.
   */
  append(id: bigint, args: readonly string[], from: number, totLen: number, lim: StreamLimits): void {
    let node = this.nodes.length === 0 ? null : this.nodes[this.nodes.length - 1]!;
    if (node !== null) {
      let maxBytes = lim.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      if (node.lpBytes + totLen >= maxBytes || (lim.maxEntries !== 0 && node.n >= lim.maxEntries)) node = null;
    }
    if (node === null) {
      const master: string[] = [];
      for (let i = from; i < args.length; i += 2) master.push(args[i]!);
      node = new StreamNode(id, master);
      this.nodes.push(node);
      this.nodeBytes += node.bytes;
    }
    const before = node.bytes;
    node.append(id, args, from);
    this.nodeBytes += node.bytes - before;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  // ---- finding -----

  /** Index of the node that may hold `id`: the last whose first ID is <= id (0 when none). */
  nodeFor(id: bigint): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (nodes[mid]!.first <= id) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** Where `id` is, as [node, index], or null when it is absent or deleted. */
  find(id: bigint): [StreamNode, number] | null {
    if (this.nodes.length === 0) return null;
    const node = this.nodes[this.nodeFor(id)]!;
    const i = node.lowerBound(id);
    if (i < node.n && node.idAt(i) === id && !node.isDeleted(i)) return [node, i];
    return null;
  }

  has(id: bigint): boolean {
    return this.find(id) !== null;
  }

  /** The last entry that is not deleted (Redis's streamLastValidID); 0 when empty. */
  lastValidId(): bigint {
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const node = this.nodes[k]!;
      for (let i = node.n - 1; i >= 0; i--) if (!node.isDeleted(i)) return node.idAt(i);
    }
    return 0n;
  }

  /** The first entry that is not deleted; 0 when empty. */
  firstValidId(): bigint {
    for (const node of this.nodes) {
      for (let i = 0; i < node.n; i++) if (!node.isDeleted(i)) return node.idAt(i);
    }
    return 0n;
  }

  /** An iterator over live entries with start <= ID <= end, forwards or backwards. */
  iter(start: bigint, end: bigint, rev: boolean): StreamIter {
    return new StreamIter(this, start, end, rev);
  }

  // ---- deleting ----

  /** XDEL of one ID: true when it was there. */
  delete(id: bigint): boolean {
    if (this.nodes.length === 0) return false;
    const k = this.nodeFor(id);
    const node = this.nodes[k]!;
    const i = node.lowerBound(id);
    if (i >= node.n || node.idAt(i) !== id || node.isDeleted(i)) return false;
    const before = node.bytes;
    node.markDeleted(i);
    this.length--;
    if (node.live === 0) {
      this.nodes.splice(k, 1);
      this.nodeBytes -= before;
    } else {
      this.nodeBytes += node.bytes - before;
    }
    return true;
  }

  /** Redis's streamTrim: the number of entries deleted. */
  trim(a: TrimArgs): number {
    if (a.strategy === TRIM_NONE) return 0;
    let deleted = 0;
    let dropped = 0;
    const nodes = this.nodes;
    while (dropped < nodes.length) {
      if (a.strategy === TRIM_MAXLEN && this.length <= a.maxlen) break;
      const node = nodes[dropped]!;
      const entries = node.live;
      if (a.limit !== 0 && deleted + entries > a.limit) break;
      const removeNode = a.strategy === TRIM_MAXLEN ? this.length - entries >= a.maxlen : node.lastId() < a.minid;
      if (removeNode) {
        this.nodeBytes -= node.bytes;
        dropped++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (a.approx) break;
      const before = node.bytes;
      for (let i = 0; i < node.n; i++) {
        if (a.strategy === TRIM_MAXLEN ? this.length <= a.maxlen : node.idAt(i) >= a.minid) break;
        if (node.markDeleted(i)) { this.length--; deleted++; }
      }
      this.nodeBytes += node.bytes - before;
      break;
    }
    if (dropped !== 0) nodes.splice(0, dropped);
    if (this.length === 0) this.firstId = 0n;
    else if (deleted !== 0) this.firstId = this.firstValidId();
    return deleted;
  }

  // ---- groups ----

  group(name: string): Group | undefined {
    return this.groups === null ? undefined : this.groups.get(name);
  }

  /** A new group, or null when the name is taken. */
  createGroup(name: string, lastId: bigint, entriesRead: bigint): Group | null {
    const groups = (this.groups ??= new Map());
    if (groups.has(name)) return null;
    const g: Group = { name, lastId, entriesRead, pel: new IdIndex(), consumers: new Map() };
    groups.set(name, g);
    this.groupBytes += GROUP_BYTES + strBytes(name.length);
    return g;
  }

  destroyGroup(g: Group): void {
    this.groups!.delete(g.name);
    let b = GROUP_BYTES + strBytes(g.name.length) + g.pel.size * NACK_BYTES;
    for (const c of g.consumers.values()) b += CONSUMER_BYTES + strBytes(c.name.length);
    this.groupBytes -= b;
  }

  /** A new consumer, or null when it exists. */
  createConsumer(g: Group, name: string, now: number): Consumer | null {
    if (g.consumers.has(name)) return null;
    const c: Consumer = { name, seenTime: now, pel: new IdIndex() };
    g.consumers.set(name, c);
    this.groupBytes += CONSUMER_BYTES + strBytes(name.length);
    return c;
  }

  /** Redis's streamDelConsumer: its pending entries leave the group's PEL too. */
  deleteConsumer(g: Group, c: Consumer): void {
    for (const id of c.pel.from(0n)) g.pel.delete(id);
    this.groupBytes -= c.pel.size * NACK_BYTES + CONSUMER_BYTES + strBytes(c.name.length);
    g.consumers.delete(c.name);
  }

  /** Adds a NACK to the group's PEL (and its consumer's, when it has one). */
  /** A NACK for an ID not pending in the group (so in none of its consumers' PELs either). */
  addNewNack(g: Group, id: bigint, nack: Nack, key: bigint): void {
    g.pel.insert(id, nack, key);
    if (nack.consumer !== null) nack.consumer.pel.insert(id, nack, key);
    this.groupBytes += NACK_BYTES;
  }

  addNack(g: Group, id: bigint, nack: Nack, key = idKey(id)): void {
    g.pel.set(id, nack, key);
    if (nack.consumer !== null) nack.consumer.pel.set(id, nack, key);
    this.groupBytes += NACK_BYTES;
  }

  /** Removes a NACK from the group's PEL and its owner's. */
  removeNack(g: Group, id: bigint, nack: Nack, key = idKey(id)): void {
    g.pel.delete(id, key);
    if (nack.consumer !== null) nack.consumer.pel.delete(id, key);
    this.groupBytes -= NACK_BYTES;
  }

  /** Moves a NACK to another consumer's PEL. */
  moveNack(id: bigint, nack: Nack, to: Consumer, key = idKey(id)): void {
    if (nack.consumer === to) return;
    if (nack.consumer !== null) nack.consumer.pel.delete(id, key);
    to.pel.set(id, nack, key);
    nack.consumer = to;
  }

  // ---- lag and read counters (Redis 7.0) ----

  /**
   * Redis's streamRangeHasTombstones from `start` to the end: whether an
   * entry at or after `start` may have been deleted.
   */
  rangeHasTombstones(start: bigint): boolean {
    if (this.length === 0 || this.maxDeletedId === 0n) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId;
  }

  /** Redis's streamEstimateDistanceFromFirstEverEntry: the read counter of `id`, or -1n when unknown. */
  estimateDistance(id: bigint): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return ENTRIES_READ_INVALID;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - BigInt(this.length);
      if (id === this.firstId) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return ENTRIES_READ_INVALID;
  }

  /** Redis's streamReplyWithCGLag: the group's lag, or null when it cannot be known. */
  lag(g: Group): bigint | null {
    if (this.entriesAdded === 0n) return 0n;
    if (g.entriesRead !== ENTRIES_READ_INVALID && !this.rangeHasTombstones(g.lastId)) {
      return BigInt.asIntN(64, this.entriesAdded - g.entriesRead);
    }
    const read = this.estimateDistance(g.lastId);
    return read === ENTRIES_READ_INVALID ? null : BigInt.asIntN(64, this.entriesAdded - read);
  }

  /** A group read `id` (newer than its last ID): advance its counter as Redis's streamReplyWithRange does. */
  groupRead(g: Group, id: bigint): void {
    if (g.entriesRead !== ENTRIES_READ_INVALID && !this.rangeHasTombstones(id)) g.entriesRead++;
    else if (this.entriesAdded !== 0n) g.entriesRead = this.estimateDistance(id);
    g.lastId = id;
  }

  // ---- the rest of TypedValue ----

  clone(): StreamValue {
    const s = new StreamValue();
    s.nodes = this.nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    s.nodeBytes = this.nodeBytes;
    s.groupBytes = this.groupBytes;
    if (this.groups !== null) {
      s.groups = new Map();
      for (const g of this.groups.values()) {
        const ng: Group = { name: g.name, lastId: g.lastId, entriesRead: g.entriesRead, pel: new IdIndex(), consumers: new Map() };
        const consumers = new Map<Consumer, Consumer>();
        for (const c of g.consumers.values()) {
          const nc: Consumer = { name: c.name, seenTime: c.seenTime, pel: new IdIndex() };
          consumers.set(c, nc);
          ng.consumers.set(c.name, nc);
        }
        for (const id of g.pel.from(0n)) {
          const n = g.pel.get(id)!;
          const owner = n.consumer === null ? null : consumers.get(n.consumer)!;
          const nn: Nack = { deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount, consumer: owner };
          ng.pel.set(id, nn);
          if (owner !== null) owner.pel.set(id, nn);
        }
        s.groups.set(g.name, ng);
      }
    }
    return s;
  }

  inspect(decode: (raw: string) => string): unknown {
    const entries: Array<[string, string[]]> = [];
    const it = this.iter(0n, ID_MAX, false);
    while (it.next()) {
      const node = it.node!;
      const fv: string[] = [];
      for (let k = node.off[it.i]!; k < node.off[it.i + 1]!; k++) fv.push(decode(node.kv[k]!));
      entries.push([formatId(it.id), fv]);
    }
    const groups = this.groups === null ? [] : byteOrder(this.groups).map((g) => ({
      name: decode(g.name), lastDeliveredId: formatId(g.lastId),
      pending: g.pel.from(0n).map((id) => [formatId(id), decode(g.pel.get(id)!.consumer?.name ?? '')]),
      consumers: byteOrder(g.consumers).map((c) => decode(c.name)),
    }));
    return { lastId: formatId(this.lastId), entries, groups };
  }
}

/** Walks live entries in a range; after next() returns true, `node`, `i` and `id` name the entry. */
export class StreamIter {
  node: StreamNode | null = null;
  i = 0;
  id = 0n;
  private k: number;
  private done = false;

  constructor(private readonly s: StreamValue, private readonly start: bigint, private readonly end: bigint, private readonly rev: boolean) {
    const nodes = s.nodes;
    if (nodes.length === 0 || start > end) { this.done = true; this.k = 0; return; }
    if (!rev) {
      this.k = s.nodeFor(start);
      this.i = nodes[this.k]!.lowerBound(start) - 1;
    } else {
      this.k = s.nodeFor(end);
      const n = nodes[this.k]!;
      // The last index with ID <= end.
      const lb = n.lowerBound(end);
      this.i = lb < n.n && n.idAt(lb) === end ? lb + 1 : lb;
    }
  }

  next(): boolean {
    if (this.done) return false;
    const nodes = this.s.nodes;
    for (;;) {
      const node = nodes[this.k];
      if (node === undefined) { this.done = true; return false; }
      if (!this.rev) {
        this.i++;
        if (this.i >= node.n) { this.k++; this.i = -1; continue; }
      } else {
        this.i--;
        if (this.i < 0) {
          this.k--;
          if (this.k < 0) { this.done = true; return false; }
          this.i = nodes[this.k]!.n;
          continue;
        }
      }
      const id = node.idAt(this.i);
      if (!this.rev ? id > this.end : id < this.start) { this.done = true; return false; }
      if (node.isDeleted(this.i)) continue;
      this.node = node;
      this.id = id;
      return true;
    }
  }
}
