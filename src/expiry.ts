/**
 * Active expiry: Redis 7.0's activeExpireCycle, which deletes expired keys
 * that nobody touches (lazy expiry, in keyspace.ts, only catches the ones
 * that are read or written).
 *
 * How it works:
 *  - A slow cycle runs on every server cron tick (hz times a second). It may
 *    use `slow-time-perc` of the tick: 25 % at hz 10, i.e. 25 ms.
 *  - It visits up to 16 databases round-robin, resuming where the last cycle
 *    stopped. In each database it samples up to `keys-per-loop` (20) keys
 *    that have a TTL, deletes the expired ones, and repeats on the same
 *    database while more than `acceptable-stale` (10 %) of the sample was
 *    expired: a database full of stale keys is cleaned hard, a healthy one
 *    costs one sample.
 *  - Every 16 loops it checks the clock; past the budget it stops, counts
 *    `expired_time_cap_reached_count`, and asks for a fast cycle: a 1 ms
 *    cycle run from the event loop (Redis's beforeSleep), at most once per
 *    2 ms, until a cycle finishes within its budget.
 *  - `active-expire-effort` (1..10) scales the sample size, the budgets and
 *    the acceptable stale share, exactly as Redis does.
 *
 * Sampling: Redis walks its expires hash table bucket by bucket from a
 * persistent cursor. cachette keeps every key that has a TTL in a dense array
 * (Db.ttlSlots) and walks that from a persistent cursor: O(1) per key sampled,
 * whatever the size of the keyspace, every key visited within a sweep, and no
 * empty buckets to skip (so Redis's "table too sparse, skip it" rule has no
 * counterpart).
 *
 * Stats kept as Redis does: expired_stale_perc (a 5 %/95 % running average
 * of the expired share of each cycle's samples), expired_time_cap_reached_count,
 * expire_cycle_cpu_milliseconds, and each database's avg_ttl (2 %/98 %).
 */

import type { Db } from './keyspace.js';

const KEYS_PER_LOOP = 20;
const FAST_DURATION_US = 1000;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;
const DBS_PER_CALL = 16;

export const CYCLE_SLOW = 0;
export const CYCLE_FAST = 1;

/** What the cycle needs from the server. */
export interface ExpiryHost {
  readonly dbs: Db[];
  clock(): number;
  readonly config: { hz: number; 'active-expire-effort': number };
  log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void;
}

export class ActiveExpiry {
  enabled = true;
  /** Running average of the expired share of samples (0..1). */
  stalePerc = 0;
  timeCapReachedCount = 0;
  /** Total microseconds spent in cycles. */
  cycleTimeUsedUs = 0;
  /** Whether the last cycle stopped on its time budget (a fast cycle is due). */
  timelimitExit = false;
  /**
   * No time budget: a cycle stops only on the stale share. Set under a manual
   * clock, where a CPU-time budget would make runs differ.
   */
  unbounded = false;
  private currentDb = 0;
  private lastFastCycleUs = 0;

  constructor(private readonly host: ExpiryHost) {}

  resetStats(): void {
    this.stalePerc = 0;
    this.timeCapReachedCount = 0;
    this.cycleTimeUsedUs = 0;
  }

  /**
   * The effects of `k` slow cycles that find nothing expired (no key is due),
   * in O(databases) whatever `k`: the stale share decays by 0.95 per cycle,
   * the databases are visited round-robin and each visit moves that
   * database's sampling cursor by its sample size. (Not replayed: avg_ttl's
   * running average, which the next real cycle refreshes, and the CPU time.)
   */
  skipIdle(k: number): void {
    if (!this.enabled || k <= 0) return;
    const dbs = this.host.dbs;
    const effort = this.host.config['active-expire-effort'] - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const ticks = BigInt(Math.floor(k));
    // The first cycle visits every database when the last one ran out of time.
    let first = 0n;
    if (this.timelimitExit) {
      for (let j = 0; j < dbs.length; j++) this.visitIdle(dbs[(this.currentDb + j) % dbs.length]!, 1n, keysPerLoop);
      this.currentDb += dbs.length;
      this.timelimitExit = false;
      first = 1n;
    }
    const perCall = Math.min(DBS_PER_CALL, dbs.length);
    const visits = visitsOf(dbs.length, this.currentDb, (ticks - first) * BigInt(perCall));
    for (let j = 0; j < dbs.length; j++) this.visitIdle(dbs[j]!, visits[j]!, keysPerLoop);
    this.currentDb = Number((BigInt(this.currentDb) + (ticks - first) * BigInt(perCall)) % BigInt(dbs.length));
    this.stalePerc *= Math.pow(0.95, k);
  }

  private visitIdle(db: Db, times: bigint, keysPerLoop: number): void {
    if (times === 0n) return;
    const num = db.ttlCount;
    if (num === 0) { db.avgTtl = 0; return; }
    const want = num > keysPerLoop ? keysPerLoop : num;
    db.expireCursor = Number((BigInt(db.expireCursor % num) + times * BigInt(want)) % BigInt(num));
  }

  /** One cycle. Returns true when it stopped on its time budget. */
  cycle(type: number): boolean {
    if (!this.enabled) return false;
    // While CLIENT PAUSE is on, the dataset stays as it is (Redis's activeExpireCycle returns).
    if (this.host.dbs[0]?.expiryPaused() === true) return false;
    const host = this.host;
    const effort = host.config['active-expire-effort'] - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const fastDuration = FAST_DURATION_US + (FAST_DURATION_US / 4) * effort;
    const slowTimePerc = SLOW_TIME_PERC + 2 * effort;
    const acceptableStale = ACCEPTABLE_STALE - effort;
    const start = nowUs();

    if (type === CYCLE_FAST) {
      // As in Redis 7.0 the stale test compares a 0..1 fraction with a
      // percentage, so in practice only a time-capped cycle triggers this.
      if (!this.timelimitExit && this.stalePerc < acceptableStale) return false;
      if (start < this.lastFastCycleUs + fastDuration * 2) return false;
      this.lastFastCycleUs = start;
    }
    const dbs = host.dbs;
    let dbsPerCall = DBS_PER_CALL;
    if (dbsPerCall > dbs.length || this.timelimitExit) dbsPerCall = dbs.length;
    let timelimit = Math.floor((slowTimePerc * 1000000) / host.config.hz / 100);
    if (timelimit <= 0) timelimit = 1;
    if (type === CYCLE_FAST) timelimit = fastDuration;
    this.timelimitExit = false;

    let totalSampled = 0;
    let totalExpired = 0;
    let iteration = 0;
    for (let j = 0; j < dbsPerCall && !this.timelimitExit; j++) {
      const db = dbs[this.currentDb % dbs.length]!;
      this.currentDb++;
      let repeat: boolean;
      do {
        iteration++;
        const num = db.ttlCount;
        if (num === 0) { db.avgTtl = 0; break; }
        const now = host.clock();
        const want = num > keysPerLoop ? keysPerLoop : num;
        // Highest slot first: a delete moves only the last slot into the hole,
        // and every slot above the current one has been handled already, so
        // the remaining sampled slots stay valid without a key lookup.
        const slots = sampleTtlSlots(db, want, num).sort((x, y) => y - x);
        let expired = 0;
        let ttlSum = 0;
        let ttlSamples = 0;
        for (let k = 0; k < slots.length; k++) {
          const s = slots[k]!;
          const when = db.expires[s]!;
          const ttl = when - now;
          if (now > when) { db.expireSlot(s); expired++; }
          if (ttl > 0) { ttlSum += ttl; ttlSamples++; }
        }
        const sampled = slots.length;
        totalExpired += expired;
        totalSampled += sampled;
        if (ttlSamples > 0) {
          const avg = Math.floor(ttlSum / ttlSamples);
          db.avgTtl = db.avgTtl === 0 ? avg : Math.floor(db.avgTtl / 50) * 49 + Math.floor(avg / 50);
        }
        if ((iteration & 0xf) === 0 && !this.unbounded && nowUs() - start > timelimit) {
          this.timelimitExit = true;
          this.timeCapReachedCount++;
          break;
        }
        repeat = sampled === 0 || (expired * 100) / sampled > acceptableStale;
      } while (repeat);
    }
    const elapsed = nowUs() - start;
    this.cycleTimeUsedUs += elapsed;
    const current = totalSampled > 0 ? totalExpired / totalSampled : 0;
    this.stalePerc = current * 0.05 + this.stalePerc * 0.95;
    if (totalExpired > 0) {
      const why = this.timelimitExit ? `its ${timelimit} us time limit` : `stale share at or under ${acceptableStale} % in every database`;
      host.log('verbose', `Active expire ${type === CYCLE_FAST ? 'fast' : 'slow'} cycle: sampled ${totalSampled}, expired ${totalExpired}, ${elapsed} us; stopped on ${why}`);
    }
    return this.timelimitExit;
  }
}

/** Visits of each of `n` databases by `total` consecutive round-robin visits starting at `first`. */
function visitsOf(n: number, first: number, total: bigint): bigint[] {
  const N = BigInt(n);
  const base = total / N;
  const extra = total % N;
  const out: bigint[] = [];
  for (let j = 0; j < n; j++) out.push(base + (BigInt((j - (first % n) + n) % n) < extra ? 1n : 0n));
  return out;
}

/**
 * The slots of the next `want` keys with a TTL, walking the db's TTL list from a persistent
 * cursor (Redis walks its expires table from db->expires_cursor the same
 * way), so successive loops and cycles sweep every key with a TTL.
 */
function sampleTtlSlots(db: Db, want: number, num: number): number[] {
  const out: number[] = [];
  let cur = db.expireCursor % num;
  for (let i = 0; i < want; i++) {
    out.push(db.ttlSlots[cur]!);
    if (++cur === num) cur = 0;
  }
  db.expireCursor = cur;
  return out;
}

function nowUs(): number {
  return Math.floor(performance.now() * 1000);
}
