/**
 * The keyspace: one `Db` per database, holding keys, values, expire times and
 * per-key access metadata.
 *
 * Layout (why not a plain Map): active expiry and eviction must pick random
 * keys, and random keys that have a TTL, in O(1). A Map cannot do that. So each
 * Db keeps its entries in dense parallel arrays indexed by a "slot":
 *
 *   index: KeyIndex            hash lookup, key -> slot (hashindex.ts)
 *   hashes[slot]               the key's 32-bit hash (Int32Array)
 *   keys[slot], vals[slot]     the key and its value (JS arrays, packed)
 *   expires[slot]              absolute unix ms, 0 = no TTL (Float64Array)
 *   lru[slot]                  24-bit LRU clock, or LFU (minutes<<8 | counter)
 *   enc[slot]                  string encoding hint for OBJECT ENCODING
 *   ttlSlots[0..ttlCount)      dense list of the slots that have a TTL
 *   ttlPos[slot]               where the slot sits in ttlSlots, or -1
 *
 * Deleting swaps the last slot into the hole (and fixes the moved key's index
 * and ttl position), so arrays stay dense and a uniformly random slot is just
 * `floor(random * size)`. Same trick for the TTL list.
 *
 * Values are binary strings (latin1, one char per byte) for the string type,
 * which costs about half of what a Buffer does per value. Other data types
 * will be objects; `typeOfValue` is the single type check.
 *
 * SCAN walks slots from the top down. A delete only moves the *last* slot into
 * a hole, so a key that is present for a whole iteration never moves from the
 * unvisited region into the visited one: every such key is returned at least once.
 *
 * Lazy expiry (Redis's expireIfNeeded): a key is expired when now > when; any
 * lookup deletes an expired key and counts it in expired_keys. `now` is passed
 * in by the caller, frozen for the length of one command.
 *
 * The "key modified" signal (Redis's signalModifiedKey): `signalModified(key)`
 * is the one place every change to a key is reported, for WATCH now (multi.ts)
 * and for client-side caching later. The primitives below that create,
 * replace, change or delete an entry or its TTL (add, setKey, setValue,
 * deleteSlot, setExpire, removeExpire) call it themselves, so every command,
 * lazy and active expiry (expireSlot) and eviction (deleteSlot) signal without
 * having to remember to; a command that changes a typed value in place (HSET,
 * SADD, LPUSH...) reports it with `valueChanged(slot, bytesBefore)`, which
 * signals and keeps the memory account. Whole-database
 * changes signal through `flush()` (FLUSHDB, FLUSHALL, the test handle's
 * flushAll) and `swapWith()` (SWAPDB), Redis's touchAllWatchedKeysInDb. With
 * no client watching a key of this database the signal costs one Map size test.
 *
 * Blocked clients (blocking.ts): `waiters` lists the clients blocked on each
 * key; add() tells the server's Blocking when a waited-on key is created
 * (Redis's dbAdd -> signalKeyAsReady), and swapWith() when SWAPDB brings one.
 * A waited-on stream that is deleted, overwritten, flushed or swapped away is
 * signalled too (Redis's dbGenericDelete / dbOverwrite /
 * scanDatabaseForDeletedStreams), so blocked XREADGROUPs get their error.
 */

import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify.js';
import { hashKey, KeyIndex, RANDOM_HASH_SEED } from './hashindex.js';
import { touchAllWatchedKeysInDb, touchWatchedKey, type WatchedKey } from './multi.js';
import type { Blocking } from './blocking.js';
import type { Client } from './connection.js';

/**
 * A value of a type other than string: a hash, set or sorted set (src/types/),
 * and later a list or stream. Each structure keeps its own heap account
 * (`bytes`) current as it changes, and commands that change a value in place
 * report the difference with Db.resized(), so used_memory stays exact.
 */
export interface TypedValue {
  /** The name TYPE and SCAN TYPE report. */
  readonly type: 'hash' | 'set' | 'zset' | 'list' | 'stream';
  /** The name OBJECT ENCODING reports (Redis 7.0's: listpack, hashtable, intset, skiplist, quicklist, stream). */
  readonly encoding: string;
  /** Heap bytes of the value, calibrated against measured V8 heap growth (see each type's module). */
  readonly bytes: number;
  /** Number of elements. */
  readonly size: number;
  /** A deep copy (COPY). */
  clone(): TypedValue;
  /** A readable JS form for the test handle's inspection (inspect.ts); `decode` turns stored bytes into text. */
  inspect(decode: (raw: string) => string): unknown;
}

/** A stored value: a binary string (latin1, one char per byte) for the string type, else a TypedValue. */
export type Value = string | TypedValue;

/** The type name TYPE reports, and the type check every command relies on. */
export function typeOfValue(v: Value): string {
  return typeof v === 'string' ? 'string' : v.type;
}

/** The heap account of a value alone. */
export function valueBytes(v: Value): number {
  return typeof v === 'string' ? stringBytes(v.length) : v.bytes;
}

/** Encoding hints kept per slot: Redis's encoding depends on how a value was made. */
export const ENC_AUTO = 0; // int if it looks like a long, embstr if <= 44 bytes, else raw
export const ENC_RAW = 1; // APPEND / SETRANGE results stay raw
export const ENC_EMBSTR = 2; // INCRBYFLOAT results are embstr even when integral
/** Mask of the encoding hint in an enc byte. */
export const ENC_MASK = 3;
/**
 * A flag on top of the hint: the value is (in Redis) the very argument
 * object of a command of the EXEC now running, which the transaction still
 * holds, so OBJECT REFCOUNT says 2 until EXEC ends (Client.execMarks clears it).
 */
export const ENC_ARGV = 4;

/** Counters and hooks shared by every Db of one server. */
export interface KeyspaceStats {
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
}

/**
 * Where the keyspace reports its own events (notify.ts): a key created
 * ('new'), expired ('expired') or missed by a read ('keymiss'). `flags` is
 * checked first, so a server with notifications off pays one integer test.
 */
export interface KeyspaceEvents {
  flags: number;
  fire(type: number, event: string, key: string, db: number): void;
}

const NO_EVENTS: KeyspaceEvents = { flags: 0, fire: () => {} };

/** Access-metadata policy: the server tells the keyspace how to stamp keys on access. */
export interface AccessPolicy {
  /** true when maxmemory-policy is an LFU one. */
  lfu: boolean;
  lfuLogFactor: number;
  lfuDecayTime: number;
  random: () => number;
  /** The key hash seed (hashindex.ts); default: the process's random one. */
  hashSeed?: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Memory account of one entry, in V8 heap bytes (used_memory, MEMORY USAGE,
 * and what eviction frees).
 *
 * Method: load 1,000,000 keys of 16 bytes with values of 16, 100 and 1024
 * bytes, force two GCs, and divide the growth of V8's heap plus ArrayBuffer
 * memory by the key count (bench/memory.mjs). The growth was 128.6, 216.6
 * and 1137.0 bytes per key: the two V8 one-byte strings (a 16-byte header
 * plus the bytes, rounded up to 8), the off-heap slot arrays and key index
 * (counted exactly by Db.tableBytes, 43.7 bytes per key at this size), and a
 * constant 21.6..22.0 bytes: the key's and value's places in the two JS
 * arrays (2 words) plus their growth slack. So an entry costs
 * ENTRY_OVERHEAD + stringBytes(key) + stringBytes(value), and a database adds
 * its tableBytes().
 */
export const ENTRY_OVERHEAD = 22;

/** Heap bytes of a flat one-byte V8 string of `len` chars. */
export function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

/** The account of one key and its value. */
export function entryBytes(key: string, val: Value): number {
  return ENTRY_OVERHEAD + stringBytes(key.length) + valueBytes(val);
}
export const LFU_INIT_VAL = 5;

/** Bytes per slot of the slot arrays: expires 8, lru 4, enc 1, hashes 4, ttlSlots 4, ttlPos 4. */
const SLOT_BYTES = 8 + 4 + 1 + 4 + 4 + 4;
/** tableBytes() of an empty database (16-slot arrays, 64 16-cell index shards). */
const EMPTY_TABLE_BYTES = 16 * SLOT_BYTES + 64 * 16 * 8;

export class Db {
  readonly id: number;
  private readonly stats: KeyspaceStats;
  private readonly policy: AccessPolicy;

  /** key -> slot (hashindex.ts: 64 open-addressing shards, so no rebuild stalls a command). */
  private index = new KeyIndex();
  private readonly hashSeed: number;
  keys: string[] = [];
  vals: Value[] = [];
  expires: Float64Array;
  lru: Uint32Array;
  enc: Uint8Array;
  /** Each slot's key hash (saves re-hashing on delete and move). */
  hashes: Int32Array;
  ttlSlots: Int32Array;
  ttlPos: Int32Array;
  ttlCount = 0;
  /** Running average TTL of sampled keys (ms), kept by active expiry; INFO keyspace avg_ttl. */
  avgTtl = 0;
  /** Where active expiry's walk over ttlSlots continues. */
  expireCursor = 0;
  /** Sum of entryBytes() over every key: this database's part of used_memory. */
  bytes = 0;
  /** Exact expire times for the rare values beyond 2^53 ms, keyed by key. */
  private exactExpires: Map<string, bigint> | null = null;

  private readonly events: KeyspaceEvents;

  /**
   * Clients' WATCHes on this database's keys, in WATCH order per key
   * (multi.ts). Stays with the database number through SWAPDB, as in Redis.
   */
  readonly watched = new Map<string, WatchedKey[]>();

  /**
   * Clients blocked on this database's keys (blocking.ts), first blocked
   * first, per key; and the keys already queued as ready. Both stay with the
   * database number through SWAPDB, as in Redis.
   */
  readonly waiters = new Map<string, Client[]>();
  readonly readyKeys = new Set<string>();
  /** The server's blocked clients (set by the Server), told when a waited-on key is created. */
  blocking: Blocking | null = null;

  constructor(id: number, stats: KeyspaceStats, policy: AccessPolicy, initialCapacity = 16, events: KeyspaceEvents = NO_EVENTS) {
    this.id = id;
    this.events = events;
    this.stats = stats;
    this.policy = policy;
    this.hashSeed = policy.hashSeed ?? RANDOM_HASH_SEED;
    this.expires = new Float64Array(initialCapacity);
    this.lru = new Uint32Array(initialCapacity);
    this.enc = new Uint8Array(initialCapacity);
    this.hashes = new Int32Array(initialCapacity);
    this.ttlSlots = new Int32Array(initialCapacity);
    this.ttlPos = new Int32Array(initialCapacity).fill(-1);
  }

  get size(): number { return this.keys.length; }

  /**
   * Bytes of the off-heap tables (the slot arrays and the key index) beyond
   * those of an empty database: they grow in steps, as Redis's dict tables do,
   * and count in used_memory exactly.
   */
  tableBytes(): number {
    // Every slot array has the same capacity (grow() doubles them together).
    return this.expires.length * SLOT_BYTES + this.index.bytes() - EMPTY_TABLE_BYTES;
  }

  private grow(): void {
    const cap = this.expires.length * 2;
    const e = new Float64Array(cap); e.set(this.expires); this.expires = e;
    const l = new Uint32Array(cap); l.set(this.lru); this.lru = l;
    const n = new Uint8Array(cap); n.set(this.enc); this.enc = n;
    const hs = new Int32Array(cap); hs.set(this.hashes); this.hashes = hs;
    const ts = new Int32Array(cap); ts.set(this.ttlSlots); this.ttlSlots = ts;
    const tp = new Int32Array(cap).fill(-1); tp.set(this.ttlPos); this.ttlPos = tp;
  }

  // ---- lookups -------------------------------------------------------------

  /** Slot of `key` without any expiry check, or -1. */
  find(key: string): number {
    return this.index.find(key, hashKey(key, this.hashSeed), this.keys);
  }

  /** True when the slot's TTL has passed at `now` (strictly: now > when). */
  isExpired(slot: number, now: number): boolean {
    const when = this.expires[slot]!;
    return when !== 0 && now > when;
  }

  /** The key's hash in this database (for lookupWrite and setFound to share). */
  hashOf(key: string): number {
    return hashKey(key, this.hashSeed);
  }

  /** Write lookup (Redis's lookupKeyWrite): lazy expiry, no stats, stamps LRU/LFU. `h`: the key's hashOf(). */
  lookupWrite(key: string, now: number, h = hashKey(key, this.hashSeed)): number {
    const s = this.index.find(key, h, this.keys);
    if (s === -1) return -1;
    const when = this.expires[s]!;
    if (when !== 0 && now > when) { this.expireSlot(s); return -1; }
    this.touch(s, now);
    return s;
  }

  /** Expiry check only (Redis's expireIfNeeded): no stats, no access stamp. */
  lookupNoTouch(key: string, now: number): number {
    const s = this.index.find(key, hashKey(key, this.hashSeed), this.keys);
    if (s === -1) return -1;
    const when = this.expires[s]!;
    if (when !== 0 && now > when) { this.expireSlot(s); return -1; }
    return s;
  }

  /**
   * While CLIENT PAUSE is on, Redis keeps the dataset static: a read finds an
   * expired key missing but does not delete it (expireIfNeeded), and active
   * expiry and eviction wait. Only reads run then (writes are held), so only
   * the read lookups below leave such a key in place.
   */
  expiryPaused(): boolean {
    return this.blocking !== null && this.blocking.pauseType !== 0;
  }

  /** Read lookup: lazy expiry, counts keyspace hits/misses (and 'keymiss' events), stamps LRU/LFU. */
  lookupRead(key: string, now: number): number {
    const s = this.index.find(key, hashKey(key, this.hashSeed), this.keys);
    if (s === -1) { this.miss(key); return -1; }
    const when = this.expires[s]!;
    if (when !== 0 && now > when) { if (!this.expiryPaused()) this.expireSlot(s); this.miss(key); return -1; }
    this.stats.keyspaceHits++;
    this.touch(s, now);
    return s;
  }

  /**
   * Read lookup that counts hits/misses but leaves LRU/LFU alone (TTL, EXISTS,
   * TYPE...). `noNotify`: no 'keymiss' event (Redis's LOOKUP_NONOTIFY, OBJECT).
   */
  lookupReadNoTouch(key: string, now: number, noNotify = false): number {
    const s = this.index.find(key, hashKey(key, this.hashSeed), this.keys);
    if (s === -1) { this.miss(key, !noNotify); return -1; }
    const when = this.expires[s]!;
    if (when !== 0 && now > when) {
      if (!this.expiryPaused()) this.expireSlot(s);
      this.miss(key, !noNotify);
      return -1;
    }
    this.stats.keyspaceHits++;
    return s;
  }

  /** A read missed: keyspace_misses, and (unless `notify` is false) a 'keymiss' event (class m). */
  private miss(key: string, notify = true): void {
    this.stats.keyspaceMisses++;
    if (notify && (this.events.flags & NOTIFY_KEY_MISS) !== 0) this.events.fire(NOTIFY_KEY_MISS, 'keymiss', key, this.id);
  }

  /** Deletes an expired slot the way lazy/active expiry does (counted in expired_keys, 'expired' event). */
  expireSlot(slot: number): void {
    this.stats.expiredKeys++;
    const key = this.keys[slot]!;
    this.deleteSlot(slot);
    if (this.events.flags & NOTIFY_EXPIRED) this.events.fire(NOTIFY_EXPIRED, 'expired', key, this.id);
  }

  // ---- the "key modified" signal ---------------------------------------------

  /** Redis's signalModifiedKey: `key` changed or was deleted (see the file comment). */
  signalModified(key: string): void {
    if (this.watched.size !== 0) touchWatchedKey(this, key);
  }

  // ---- access metadata (LRU / LFU) -----------------------------------------

  /** Stamps a key on access: LRU clock, or an LFU decay + logarithmic increment. */
  touch(slot: number, now: number): void {
    const p = this.policy;
    if (!p.lfu) { this.lru[slot] = lruClock(now); return; }
    const counter = this.lfuDecayed(slot, now);
    let c = counter;
    if (c < 255) {
      const base = c - LFU_INIT_VAL < 0 ? 0 : c - LFU_INIT_VAL;
      const prob = 1 / (base * p.lfuLogFactor + 1);
      if (p.random() < prob) c++;
    }
    this.lru[slot] = (lfuMinutes(now) << 8) | c;
  }

  /** The LFU counter after decay (Redis 7.0 subtracts one per elapsed decay period). */
  lfuDecayed(slot: number, now: number): number {
    const v = this.lru[slot]!;
    const ldt = v >>> 8;
    const counter = v & 255;
    const p = this.policy;
    if (p.lfuDecayTime === 0) return counter;
    const nowMin = lfuMinutes(now);
    const elapsed = nowMin >= ldt ? nowMin - ldt : 65535 - ldt + nowMin;
    const periods = Math.floor(elapsed / p.lfuDecayTime);
    return periods > counter ? 0 : counter - periods;
  }

  private stampNew(slot: number, now: number): void {
    this.lru[slot] = this.policy.lfu ? (lfuMinutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
  }

  // ---- writes --------------------------------------------------------------

  /** Adds a new key (caller knows it is absent). Returns its slot. */
  add(key: string, val: Value, now: number, enc = ENC_AUTO, h = hashKey(key, this.hashSeed)): number {
    const slot = this.keys.length;
    if (slot === this.expires.length) this.grow();
    this.keys.push(key);
    this.vals.push(val);
    this.hashes[slot] = h;
    this.index.insert(h, slot);
    this.bytes += entryBytes(key, val);
    this.expires[slot] = 0;
    this.ttlPos[slot] = -1;
    this.enc[slot] = enc;
    this.stampNew(slot, now);
    // Redis's dbAdd signals the key as ready for clients blocked on it (one Map size test when none are).
    if (this.waiters.size !== 0 && typeof val !== 'string') this.blocking!.signalKeyAsReady(this, key, val.type);
    if (this.events.flags & NOTIFY_NEW) this.events.fire(NOTIFY_NEW, 'new', key, this.id);
    this.signalModified(key);
    return slot;
  }

  /**
   * Redis's setKey: store `val` under `key`, creating it or overwriting it.
   * The TTL is removed unless keepTtl. Overwriting keeps the LRU/LFU field
   * (as Redis's dbSetValue does). A key found logically expired is expired
   * first (Redis's setKey looks the key up for writing), so it is created anew.
   */
  setKey(key: string, val: Value, now: number, keepTtl = false, enc = ENC_AUTO): number {
    const h = hashKey(key, this.hashSeed);
    let s = this.index.find(key, h, this.keys);
    if (s !== -1 && this.isExpired(s, now)) { this.expireSlot(s); s = -1; }
    return this.setFound(s, key, h, val, now, keepTtl, enc);
  }

  /**
   * setKey() right after lookupWrite(key, now, h) found slot `s` (-1: absent
   * or just expired): the same effect, without hashing and probing the index
   * again (SET's path: one hash and one probe for a new key, then the insert).
   */
  setFound(s: number, key: string, h: number, val: Value, now: number, keepTtl = false, enc = ENC_AUTO): number {
    if (s === -1) return this.add(key, val, now, enc, h);
    if (this.waiters.size !== 0) this.streamGone(key, this.vals[s]!);
    this.bytes += valueBytes(val) - valueBytes(this.vals[s]!);
    this.vals[s] = val;
    this.enc[s] = enc;
    // A new value object under LRU gets a fresh stamp; LFU keeps the old counter.
    if (!this.policy.lfu) this.lru[s] = lruClock(now);
    if (!keepTtl && this.ttlPos[s] !== -1) this.dropExpire(s);
    this.signalModified(key);
    return s;
  }

  /** Replaces the value at a slot, keeping TTL and access metadata (INCR, APPEND...). */
  setValue(slot: number, val: Value, enc = ENC_AUTO): void {
    if (this.waiters.size !== 0) this.streamGone(this.keys[slot]!, this.vals[slot]!);
    this.bytes += valueBytes(val) - valueBytes(this.vals[slot]!);
    this.vals[slot] = val;
    this.enc[slot] = enc;
    this.signalModified(this.keys[slot]!);
  }

  /**
   * A typed value changed in place (HSET, SADD, ZADD...): `before` is its
   * `bytes` before the change. Keeps used_memory exact without re-measuring,
   * and sends the key-modified signal (WATCH). Every in-place change of a
   * hash, set, sorted set, list or stream goes through here.
   */
  valueChanged(slot: number, before: number): void {
    this.valueResized(slot, before);
    this.signalModified(this.keys[slot]!);
  }

  /**
   * A typed value changed its representation but not its contents (SORT's
   * conversion of a sorted set to a skiplist): the account follows, and
   * nothing is signalled, as Redis signals nothing for it.
   */
  valueResized(slot: number, before: number): void {
    const v = this.vals[slot]!;
    if (typeof v !== 'string') this.bytes += v.bytes - before;
  }

  /** Removes a slot, moving the last slot into its place. */
  deleteSlot(slot: number): void {
    const key = this.keys[slot]!;
    if (this.waiters.size !== 0) this.streamGone(key, this.vals[slot]!);
    this.bytes -= entryBytes(key, this.vals[slot]!);
    if (this.ttlPos[slot] !== -1) this.dropExpire(slot);
    this.index.remove(this.hashes[slot]!, slot);
    const last = this.keys.length - 1;
    if (slot !== last) {
      const movedKey = this.keys[last]!;
      this.keys[slot] = movedKey;
      this.vals[slot] = this.vals[last]!;
      this.expires[slot] = this.expires[last]!;
      this.lru[slot] = this.lru[last]!;
      this.enc[slot] = this.enc[last]!;
      const movedHash = this.hashes[last]!;
      this.hashes[slot] = movedHash;
      const tp = this.ttlPos[last]!;
      this.ttlPos[slot] = tp;
      if (tp !== -1) this.ttlSlots[tp] = slot;
      this.index.renumber(movedHash, last, slot);
    }
    this.keys.pop();
    this.vals.pop();
    this.expires[last] = 0;
    this.ttlPos[last] = -1;
    this.signalModified(key);
  }

  /** A stream value leaves `key` (deleted or overwritten): clients blocked in XREADGROUP on it must hear of it. */
  private streamGone(key: string, old: Value): void {
    if (typeof old !== 'string' && old.type === 'stream') this.blocking!.signalKeyAsReady(this, key, 'stream');
  }

  /** Waited-on keys holding a stream (before a flush or swap: scanDatabaseForDeletedStreams). */
  private waitedStreams(): string[] {
    const out: string[] = [];
    for (const key of this.waiters.keys()) {
      const s = this.find(key);
      if (s === -1) continue;
      const v = this.vals[s]!;
      if (typeof v !== 'string' && v.type === 'stream') out.push(key);
    }
    return out;
  }

  /** After a flush or swap: the keys of `was` that no longer hold a stream are signalled. */
  private signalStreamsGone(was: string[]): void {
    for (const key of was) {
      const s = this.find(key);
      const v = s === -1 ? null : this.vals[s]!;
      if (v === null || typeof v === 'string' || v.type !== 'stream') this.blocking!.signalKeyAsReady(this, key, 'stream');
    }
  }

  /** Deletes a key if present (no expiry semantics). Returns true if something was removed. */
  deleteKey(key: string): boolean {
    const s = this.index.find(key, hashKey(key, this.hashSeed), this.keys);
    if (s === -1) return false;
    this.deleteSlot(s);
    return true;
  }

  // ---- expire times --------------------------------------------------------

  /** Sets an absolute expire time in ms. `exact` carries values beyond 2^53 exactly. */
  setExpire(slot: number, when: number, exact?: bigint): void {
    this.expires[slot] = when;
    if (exact !== undefined && (exact > BigInt(MAX_SAFE) || exact < -BigInt(MAX_SAFE))) {
      (this.exactExpires ??= new Map()).set(this.keys[slot]!, exact);
    } else if (this.exactExpires !== null) {
      this.exactExpires.delete(this.keys[slot]!);
    }
    if (this.ttlPos[slot] === -1) {
      this.ttlPos[slot] = this.ttlCount;
      this.ttlSlots[this.ttlCount++] = slot;
    }
    this.signalModified(this.keys[slot]!);
  }

  /** Removes a TTL (PERSIST, GETEX PERSIST). Returns true if the key had one (and signals it). */
  removeExpire(slot: number): boolean {
    if (!this.dropExpire(slot)) return false;
    this.signalModified(this.keys[slot]!);
    return true;
  }

  /** Removes a TTL without signalling (inside a write that signals once itself). */
  private dropExpire(slot: number): boolean {
    const pos = this.ttlPos[slot]!;
    if (pos === -1) return false;
    const lastPos = --this.ttlCount;
    if (pos !== lastPos) {
      const moved = this.ttlSlots[lastPos]!;
      this.ttlSlots[pos] = moved;
      this.ttlPos[moved] = pos;
    }
    this.ttlPos[slot] = -1;
    this.expires[slot] = 0;
    if (this.exactExpires !== null) this.exactExpires.delete(this.keys[slot]!);
    return true;
  }

  /** The exact expire time of a slot: a number, or a bigint beyond 2^53. 0 = none. */
  getExpireExact(slot: number): number | bigint {
    const when = this.expires[slot]!;
    if (this.exactExpires !== null && (when > MAX_SAFE || when < -MAX_SAFE)) {
      const e = this.exactExpires.get(this.keys[slot]!);
      if (e !== undefined) return e;
    }
    return when;
  }

  // ---- sampling ------------------------------------------------------------

  /** A uniformly random slot, or -1 when empty. O(1). */
  randomSlot(): number {
    const n = this.keys.length;
    return n === 0 ? -1 : Math.floor(this.policy.random() * n);
  }

  /** A uniformly random slot among those with a TTL, or -1. O(1). */
  randomTtlSlot(): number {
    const n = this.ttlCount;
    return n === 0 ? -1 : this.ttlSlots[Math.floor(this.policy.random() * n)]!;
  }

  // ---- whole-table operations ----------------------------------------------

  /**
   * FLUSHDB, and this database's part of FLUSHALL: WATCHes on keys it holds
   * are touched first (Redis's signalFlushedDb), then every key is dropped.
   * No keyspace events, as in Redis.
   */
  flush(now: number): void {
    if (this.watched.size !== 0) touchAllWatchedKeysInDb(this, null, now);
    const streams = this.waiters.size !== 0 ? this.waitedStreams() : null;
    this.clear();
    if (streams !== null) this.signalStreamsGone(streams);
  }

  /**
   * SWAPDB: exchanges the contents of two databases (keys, TTLs, expiry
   * state), so clients that selected either number see the other's data at
   * once. The number, its WATCHes and its clients stay; WATCHes are touched
   * first as Redis's touchAllWatchedKeysInDb does for a swap.
   */
  swapWith(other: Db, now: number): void {
    if (other === this) return;
    if (this.watched.size !== 0) touchAllWatchedKeysInDb(this, other, now);
    if (other.watched.size !== 0) touchAllWatchedKeysInDb(other, this, now);
    const streamsA = this.waiters.size !== 0 ? this.waitedStreams() : null;
    const streamsB = other.waiters.size !== 0 ? other.waitedStreams() : null;
    const a = this as unknown as Record<string, unknown>;
    const b = other as unknown as Record<string, unknown>;
    for (const f of SWAPPED) { const t = a[f]; a[f] = b[f]; b[f] = t; }
    if (streamsA !== null) this.signalStreamsGone(streamsA);
    if (streamsB !== null) other.signalStreamsGone(streamsB);
    // Clients blocked on a key that now exists in either database are served (scanDatabaseForReadyKeys).
    if (this.waiters.size !== 0) this.blocking!.scanReadyKeys(this);
    if (other.waiters.size !== 0) other.blocking!.scanReadyKeys(other);
  }

  /** Drops every key. */
  private clear(): void {
    this.index.clear();
    this.keys = [];
    this.vals = [];
    this.expires = new Float64Array(16);
    this.lru = new Uint32Array(16);
    this.enc = new Uint8Array(16);
    this.hashes = new Int32Array(16);
    this.ttlSlots = new Int32Array(16);
    this.ttlPos = new Int32Array(16).fill(-1);
    this.ttlCount = 0;
    this.avgTtl = 0;
    this.expireCursor = 0;
    this.bytes = 0;
    this.exactExpires = null;
  }

  /**
   * One SCAN step. The cursor is the slot to continue below (0 = start from the
   * top). Visits up to `count` slots and returns the next cursor (0 = done).
   */
  scan(cursor: number, count: number, visit: (slot: number) => void): number {
    let hi = cursor === 0 || cursor > this.keys.length ? this.keys.length : cursor;
    const lo = hi - count > 0 ? hi - count : 0;
    // Collect first: the visitor may delete expired keys, which moves slots.
    const slots: number[] = [];
    for (let s = hi - 1; s >= lo; s--) slots.push(s);
    const keys = slots.map((s) => this.keys[s]!);
    for (let i = 0; i < keys.length; i++) {
      const s = this.find(keys[i]!);
      if (s !== -1) visit(s);
    }
    hi = lo;
    return hi;
  }
}

/** What SWAPDB exchanges between two databases: everything but the number, WATCHes and shared hooks. */
const SWAPPED = ['index', 'keys', 'vals', 'expires', 'lru', 'enc', 'hashes', 'ttlSlots', 'ttlPos', 'ttlCount',
  'avgTtl', 'expireCursor', 'bytes', 'exactExpires'] as const;

/** Redis's LRU clock: unix seconds modulo 2^24. */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000) & 0xffffff;
}

/** LFU decrement time: unix minutes modulo 2^16. */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 0xffff;
}

/** Idle ms of an LRU stamp at `now` (wraps like Redis's estimateObjectIdleTime). */
export function lruIdleMs(stamp: number, now: number): number {
  const clock = lruClock(now);
  return clock >= stamp ? (clock - stamp) * 1000 : (clock + (0xffffff - stamp)) * 1000;
}
