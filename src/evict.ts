/**
 * maxmemory and eviction: Redis 7.0's performEvictions and eviction pool.
 *
 * When used_memory is over maxmemory, keys are evicted until it is not:
 *
 *  - LRU, LFU and volatile-ttl policies use a pool of the 16 best candidates
 *    seen so far, sorted by score (higher = better to evict). Each round
 *    samples `maxmemory-samples` keys from every database (all keys, or only
 *    keys with a TTL for volatile-*), offers each to the pool, then evicts the
 *    best entry that still exists. The pool persists between rounds, so good
 *    candidates from earlier samples are kept. Scores:
 *      LRU: idle time in ms (24-bit seconds clock, as Redis);
 *      LFU: 255 - the decayed logarithmic counter;
 *      TTL: the sooner the expire time, the higher the score.
 *  - allkeys-random / volatile-random pick one random key from the next
 *    non-empty database, round-robin.
 *  - Every 16 evicted keys the time is checked against the budget set by
 *    `maxmemory-eviction-tenacity` (50 us x tenacity up to 10, then x1.15 per
 *    step, unlimited at 100). Over budget, eviction goes on in the background
 *    (one round per event-loop turn) and the command proceeds.
 *  - The result is FAIL when over the limit with nothing evictable: always for
 *    noeviction, with no TTL keys for volatile-*, with no keys for allkeys-*.
 *    Then commands flagged denyoom get `-OOM ...`; everything else still runs.
 *
 * Sampling is O(1) per key: random slots of the dense slot arrays (keyspace.ts).
 */

import { lruIdleMs, type Db, type KeyspaceEvents } from './keyspace.js';
import { NOTIFY_EVICTED } from './notify.js';
import type { Config } from './config.js';

export const EVICT_OK = 0;
export const EVICT_RUNNING = 1;
export const EVICT_FAIL = 2;

const POOL_SIZE = 16;

interface PoolEntry { score: number; key: string; db: number }

export interface EvictionHost {
  readonly dbs: Db[];
  readonly config: Config;
  clock(): number;
  usedMemory(): number;
  readonly stats: { evictedKeys: number };
  log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void;
  readonly notifier: KeyspaceEvents;
}

export class Evictor {
  private pool: PoolEntry[] = [];
  private nextDb = 0;
  private backgroundPending = false;
  /** When eviction started exceeding its time (for INFO), ms; 0 when not. */
  private overSince = 0;
  totalExceededMs = 0;
  /**
   * No time budget: evict until under the limit in one call. Set under a
   * manual clock, where a CPU-time budget would make runs differ.
   */
  unbounded = false;

  constructor(private readonly host: EvictionHost) {}

  /** Time budget in microseconds for one call, from maxmemory-eviction-tenacity. */
  private timeLimitUs(): number {
    const t = this.host.config['maxmemory-eviction-tenacity'];
    if (t <= 10) return 50 * t;
    if (t < 100) return 500 * Math.pow(1.15, t - 10);
    return Infinity;
  }

  /** Milliseconds spent over the limit in the current episode (INFO current_eviction_exceeded_time). */
  currentExceededMs(): number {
    return this.overSince === 0 ? 0 : Date.now() - this.overSince;
  }

  resetStats(): void {
    this.totalExceededMs = 0;
    if (this.overSince !== 0) this.overSince = Date.now();
  }

  /** Redis's performEvictions: EVICT_OK, EVICT_RUNNING or EVICT_FAIL. */
  perform(): number {
    const host = this.host;
    const cfg = host.config;
    const max = cfg.maxmemory;
    if (max === 0) return EVICT_OK;
    // While CLIENT PAUSE is on, nothing is evicted (and nothing is refused for memory), as in Redis.
    if (host.dbs[0]?.expiryPaused() === true) return EVICT_OK;
    let used = host.usedMemory();
    if (used <= max) {
      this.endEpisode();
      return EVICT_OK;
    }
    if (this.overSince === 0) this.overSince = Date.now();
    const policy = cfg['maxmemory-policy'];
    if (policy === 'noeviction') return EVICT_FAIL;
    const toFree = used - max;
    const volatile = policy.startsWith('volatile-');
    const random = policy.endsWith('-random');
    const limit = this.timeLimitUs();
    const start = performance.now();
    let freed = 0;
    let keys = 0;
    while (freed < toFree) {
      const pick = random ? this.pickRandom(volatile) : this.pickFromPool(volatile, policy);
      if (pick === null) return EVICT_FAIL;
      const [db, slot] = pick;
      const before = db.bytes;
      const key = db.keys[slot]!;
      db.deleteSlot(slot);
      freed += before - db.bytes;
      host.stats.evictedKeys++;
      if (host.notifier.flags & NOTIFY_EVICTED) host.notifier.fire(NOTIFY_EVICTED, 'evicted', key, db.id);
      keys++;
      if (keys % 16 === 0 && !this.unbounded && (performance.now() - start) * 1000 > limit) {
        used = host.usedMemory();
        if (used <= max) break;
        this.startBackground();
        host.log('verbose', `Eviction: ${policy}, ${keys} keys / ${freed} bytes freed, time limit reached; continuing in the background`);
        return EVICT_RUNNING;
      }
    }
    host.log('verbose', `Eviction: ${policy}, ${keys} keys / ${freed} bytes freed, pool ${this.pool.length}`);
    if (host.usedMemory() <= max) this.endEpisode();
    return EVICT_OK;
  }

  private endEpisode(): void {
    if (this.overSince !== 0) {
      this.totalExceededMs += Date.now() - this.overSince;
      this.overSince = 0;
    }
  }

  /** Keeps evicting on later event-loop turns after a call ran out of time. */
  private startBackground(): void {
    if (this.backgroundPending) return;
    this.backgroundPending = true;
    setImmediate(() => {
      this.backgroundPending = false;
      if (this.perform() === EVICT_RUNNING) this.startBackground();
    });
  }

  private pickRandom(volatile: boolean): [Db, number] | null {
    const dbs = this.host.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[++this.nextDb % dbs.length]!;
      const s = volatile ? db.randomTtlSlot() : db.randomSlot();
      if (s !== -1) return [db, s];
    }
    return null;
  }

  private score(db: Db, slot: number, policy: string, now: number): number {
    if (policy.endsWith('-lru')) return lruIdleMs(db.lru[slot]!, now);
    if (policy.endsWith('-lfu')) return 255 - db.lfuDecayed(slot, now);
    return Number.MAX_SAFE_INTEGER - db.expires[slot]!; // volatile-ttl: soonest first
  }

  /** Redis's evictionPoolPopulate: offer a sample to the sorted pool of 16. */
  private populate(db: Db, slots: number[], policy: string, now: number): void {
    const pool = this.pool;
    for (const slot of slots) {
      const score = this.score(db, slot, policy, now);
      let k = 0;
      while (k < pool.length && pool[k]!.score < score) k++;
      const entry = { score, key: db.keys[slot]!, db: db.id };
      if (pool.length < POOL_SIZE) {
        pool.splice(k, 0, entry);
      } else if (k === 0) {
        continue; // not better than the worst candidate of a full pool
      } else {
        pool.shift(); // drop the worst, then insert in order
        pool.splice(k - 1, 0, entry);
      }
    }
  }

  private pickFromPool(volatile: boolean, policy: string): [Db, number] | null {
    const host = this.host;
    const samples = host.config['maxmemory-samples'];
    const now = host.clock();
    for (;;) {
      let total = 0;
      for (const db of host.dbs) {
        const n = volatile ? db.ttlCount : db.size;
        if (n === 0) continue;
        total += n;
        this.populate(db, sampleSlots(db, volatile, samples), policy, now);
      }
      if (total === 0) return null;
      // Best candidate first; entries whose key is gone (ghosts) are dropped.
      while (this.pool.length > 0) {
        const e = this.pool.pop()!;
        const db = host.dbs[e.db]!;
        const s = db.find(e.key);
        if (s !== -1 && (!volatile || db.ttlPos[s] !== -1)) return [db, s];
      }
    }
  }
}

/** Up to `n` distinct random slots: of all keys, or of keys with a TTL. */
function sampleSlots(db: Db, volatile: boolean, n: number): number[] {
  const size = volatile ? db.ttlCount : db.size;
  const out: number[] = [];
  if (n >= size) {
    for (let i = 0; i < size; i++) out.push(volatile ? db.ttlSlots[i]! : i);
    return out;
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const s = volatile ? db.randomTtlSlot() : db.randomSlot();
    if (!seen.has(s)) { seen.add(s); out.push(s); }
  }
  return out;
}
