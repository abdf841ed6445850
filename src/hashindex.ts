/**
 * The key index: key -> slot, for one database (keyspace.ts owns the slots).
 *
 * Why not a JS Map: a V8 Map lookup with a fresh key string costs ~330 ns at
 * 100,000 keys on this machine (chained buckets, and every candidate's key
 * string must be loaded to compare it), against ~90 ns for this table, where
 * a probe reads one cache line of (hash, slot) pairs and only a full 32-bit
 * hash match loads the stored key (measured in isolation; see the README's
 * Performance section for the effect on GET).
 *
 * How it works:
 * - A key's hash is a seeded 32-bit FNV-1a over its bytes (latin1 chars),
 *   finished with murmur3's fmix32 so every bit depends on every input bit.
 *   The seed is random per process, so hash order cannot be predicted;
 *   a server started with `seed` (tests) derives it from that instead, so
 *   the shard sizes, and with them the memory account, repeat exactly.
 * - The top 6 bits pick one of 64 shards; each shard is an open-addressing
 *   table with linear probing, stored as an Int32Array of (hash, slot + 1)
 *   pairs, where slot + 1 = 0 marks an empty cell.
 * - A shard doubles when it becomes half full and halves when it falls under
 *   an eighth full. Rebuilding needs no key strings (the hashes are stored),
 *   and touches only 1/64 of the keys, so it never stalls a command for long.
 * - Deletion uses backward shifting (Knuth's algorithm R): the entries after
 *   the hole that could live in it move back, so there are no tombstones and
 *   probe sequences stay short.
 * - Entries are found for removal and renumbering by (hash, slot), so the
 *   keyspace's swap-remove never needs to compare strings.
 */

const SHARD_BITS = 6;
const SHARDS = 1 << SHARD_BITS;
const MIN_CAP = 16;

/** This process's random hash seed (servers started without `seed`). */
export const RANDOM_HASH_SEED = (Math.random() * 0x100000000) >>> 0;

/** The hash seed of a server started with `seed` (a fixed mix of it). */
export function hashSeedOf(seed: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The 32-bit hash of a key (latin1 string). */
export function hashKey(key: string, seed: number = RANDOM_HASH_SEED): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  const n = key.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

class Shard {
  t: Int32Array;
  mask: number;
  count = 0;

  constructor(cap: number) {
    this.t = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  insert(h: number, v: number): void {
    const t = this.t;
    const mask = this.mask;
    let p = h & mask;
    while (t[2 * p + 1] !== 0) p = (p + 1) & mask;
    t[2 * p] = h;
    t[2 * p + 1] = v;
  }

  /** The cell holding value `v` (slot + 1) for hash `h`; -1 if none. */
  cellOf(h: number, v: number): number {
    const t = this.t;
    const mask = this.mask;
    let p = h & mask;
    for (;;) {
      const x = t[2 * p + 1]!;
      if (x === 0) return -1;
      if (x === v) return p;
      p = (p + 1) & mask;
    }
  }

  /** Empties cell `i` and shifts back the entries that may fill it. */
  removeCell(i: number): void {
    const t = this.t;
    const mask = this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (t[2 * j + 1] === 0) break;
      const home = t[2 * j]! & mask;
      // Entry j may move to the hole i unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        t[2 * i] = t[2 * j]!;
        t[2 * i + 1] = t[2 * j + 1]!;
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = 0;
  }

  resize(cap: number): void {
    const old = this.t;
    this.t = new Int32Array(cap * 2);
    this.mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

export class KeyIndex {
  private shards: Shard[] = KeyIndex.emptyShards();
  /** Bytes held by the tables (kept up to date on every resize). */
  private tableBytes = SHARDS * MIN_CAP * 8;

  private static emptyShards(): Shard[] {
    return Array.from({ length: SHARDS }, () => new Shard(MIN_CAP));
  }

  /** The slot of `key` (whose hash is `h`), or -1. `keys` maps slots to key strings. */
  find(key: string, h: number, keys: readonly string[]): number {
    const sh = this.shards[h >>> (32 - SHARD_BITS)]!;
    const t = sh.t;
    const mask = sh.mask;
    let p = h & mask;
    for (;;) {
      const v = t[2 * p + 1]!;
      if (v === 0) return -1;
      if (t[2 * p] === h && keys[v - 1] === key) return v - 1;
      p = (p + 1) & mask;
    }
  }

  /** Adds slot `slot` under hash `h` (the caller knows the key is absent). */
  insert(h: number, slot: number): void {
    const sh = this.shards[h >>> (32 - SHARD_BITS)]!;
    if ((sh.count + 1) * 2 > sh.mask + 1) {
      this.tableBytes += (sh.mask + 1) * 8;
      sh.resize((sh.mask + 1) * 2);
    }
    sh.insert(h, slot + 1);
    sh.count++;
  }

  /** Removes the entry of slot `slot`, stored under hash `h`. */
  remove(h: number, slot: number): void {
    const sh = this.shards[h >>> (32 - SHARD_BITS)]!;
    const cell = sh.cellOf(h, slot + 1);
    if (cell === -1) throw new Error(`key index: slot ${slot} not found`);
    sh.removeCell(cell);
    sh.count--;
    const cap = sh.mask + 1;
    if (cap > MIN_CAP && sh.count * 8 < cap) {
      this.tableBytes -= cap * 4;
      sh.resize(cap / 2);
    }
  }

  /** The entry of slot `from` (hash `h`) now refers to slot `to`. */
  renumber(h: number, from: number, to: number): void {
    const sh = this.shards[h >>> (32 - SHARD_BITS)]!;
    const cell = sh.cellOf(h, from + 1);
    if (cell === -1) throw new Error(`key index: slot ${from} not found`);
    sh.t[2 * cell + 1] = to + 1;
  }

  clear(): void {
    this.shards = KeyIndex.emptyShards();
    this.tableBytes = SHARDS * MIN_CAP * 8;
  }

  /** Bytes held by the tables. */
  bytes(): number {
    return this.tableBytes;
  }
}
