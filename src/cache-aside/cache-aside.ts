/**
 * Cache-aside (read-through by the application) over an ioredis client.
 *
 * `get(key, loader)`:
 *   1. GET the key. A hit is returned without touching the database.
 *   2. On a miss, run `loader()` (the database read) through single-flight, so
 *      concurrent misses on one key in this process make one database call.
 *   3. SET the loaded value with a TTL of `ttl` seconds plus a random extra of
 *      up to `jitter` seconds (EX when that is whole seconds, PX otherwise),
 *      so keys cached together do not all expire together. The single-flight
 *      entry stays until the SET has been answered: a GET sent on the same
 *      connection after it will hit, one sent before it joins the flight.
 *
 * `write(key, writer)` writes the database first and then DELetes the key (see
 * the README's demo section for why not update-in-place). The TTL is the
 * backstop for the race that remains.
 *
 * When the cache fails: every cache command has a short timeout; any error or
 * timeout falls through to the loader, so the caller still gets correct data.
 * A circuit breaker (breaker.ts) counts consecutive failures and, once open,
 * sends callers straight to the loader, so a dead cache costs no timeouts.
 *
 * Optional early refresh (probabilistic early expiration, "XFetch", Vattani,
 * Chierichetti & Lowenstein, VLDB 2015): a hit also reads the key's PTTL (in the
 * same pipeline), and the value is refreshed in the background when
 *     -beta * loadMs * ln(random()) >= remaining TTL in ms
 * where loadMs is a running average of loader durations. The chance grows as
 * expiry nears and is higher when loads are slow, so a hot key is usually
 * reloaded by one request shortly before it expires, and readers never see a
 * miss. The refresh shares the single-flight table, so it never runs twice.
 *
 * It uses only GET, SET, DEL and PTTL on one key at a time, so it works the
 * same against cachette, Redis, Valkey, or an ioredis Cluster.
 */

import type { Cluster, Redis } from 'ioredis';
import { CircuitBreaker, type BreakerOptions, type BreakerState, type BreakerTransition } from './breaker.js';
import { SingleFlight } from './single-flight.js';

export type CacheClient = Redis | Cluster;

export interface ReadOptions {
  /** Base TTL in seconds. */
  ttl?: number;
  /** Up to this many extra seconds are added at random to each TTL. */
  jitter?: number;
}

export interface CacheAsideOptions extends ReadOptions {
  /** Prepended to every key. Default ''. */
  prefix?: string;
  /** Milliseconds a cache command may take before it counts as failed. Default 100; 0 disables. */
  timeout?: number;
  /** Coalesce concurrent misses on a key into one loader call. Default true. */
  singleFlight?: boolean;
  /** Breaker settings, or false to run without one. */
  breaker?: Partial<BreakerOptions> | false;
  /** Refresh hot keys shortly before they expire (XFetch); `beta` scales how early. Default off. */
  earlyRefresh?: { beta?: number } | false;
  /** How values become strings and back. Default JSON. */
  serialize?: (value: unknown) => string | undefined;
  deserialize?: (text: string) => unknown;
  /** Random numbers in [0, 1) for jitter and early refresh; injectable for tests. */
  random?: () => number;
  /** Clock in ms for the breaker and load timing; injectable for tests. */
  now?: () => number;
}

export interface CacheStats {
  /** Reads answered from the cache. */
  hits: number;
  /** Reads the cache answered with "no such key". */
  misses: number;
  /** Reads that skipped the cache because the breaker was open. */
  bypassed: number;
  /** Loader calls actually made (each coalesced group counts once). */
  loads: number;
  /** Loader calls that threw. */
  loadErrors: number;
  /** Callers that waited on a loader call already in flight. */
  coalesced: number;
  /** Cache commands that failed or timed out (timeouts included). */
  cacheErrors: number;
  /** Of those, the ones that timed out. */
  timeouts: number;
  /** Values written to the cache. */
  sets: number;
  /** Keys deleted by invalidate()/write(). */
  invalidations: number;
  /** Invalidations that could not reach the cache (the TTL bounds the staleness). */
  invalidationErrors: number;
  /** Background refreshes started by early refresh. */
  earlyRefreshes: number;
  breaker: { state: BreakerState | 'disabled'; opened: number; transitions: BreakerTransition[] };
}

class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache command timed out after ${ms} ms`);
    this.name = 'CacheTimeoutError';
  }
}

const ignore = (): void => {};

export class CacheAside {
  readonly client: CacheClient;
  readonly breaker: CircuitBreaker | null;
  private readonly prefix: string;
  private readonly ttl: number;
  private readonly jitter: number;
  private readonly timeout: number;
  private readonly singleFlight: boolean;
  private readonly beta: number;
  private readonly serialize: (value: unknown) => string | undefined;
  private readonly deserialize: (text: string) => unknown;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly flights = new SingleFlight<unknown>();
  /** Running average of loader durations, for early refresh. */
  private loadMs = 0;
  private readonly counters = {
    hits: 0, misses: 0, bypassed: 0, loads: 0, loadErrors: 0, cacheErrors: 0, timeouts: 0,
    sets: 0, invalidations: 0, invalidationErrors: 0, earlyRefreshes: 0,
  };

  constructor(client: CacheClient, options: CacheAsideOptions = {}) {
    this.client = client;
    this.prefix = options.prefix ?? '';
    this.ttl = options.ttl ?? 60;
    this.jitter = options.jitter ?? 0;
    this.timeout = options.timeout ?? 100;
    this.singleFlight = options.singleFlight ?? true;
    this.beta = options.earlyRefresh ? (options.earlyRefresh.beta ?? 1) : 0;
    this.serialize = options.serialize ?? JSON.stringify;
    this.deserialize = options.deserialize ?? JSON.parse;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.breaker = options.breaker === false ? null : new CircuitBreaker({ now: this.now, ...options.breaker });
    checkTtl(this.ttl, this.jitter);
  }

  /**
   * Returns the cached value for `key`, or loads it with `loader`, caches it
   * and returns it. Cache failures never reach the caller; loader errors do
   * (to every coalesced waiter), and nothing is cached for them.
   */
  async get<T>(key: string, loader: () => Promise<T>, options: ReadOptions = {}): Promise<T> {
    const full = this.prefix + key;
    let cacheUp = this.useCache();
    if (cacheUp) {
      try {
        let text: string | null;
        let pttl = -1;
        if (this.beta > 0) {
          const res = await this.timed(this.client.pipeline().get(full).pttl(full).exec());
          const [[getErr, value], [pttlErr, ms]] = res as [[Error | null, string | null], [Error | null, number]];
          if (getErr) throw getErr;
          if (pttlErr) throw pttlErr;
          text = value;
          pttl = ms;
        } else {
          text = await this.timed(this.client.get(full));
        }
        this.breaker?.success();
        if (text !== null) {
          const value = this.decode(text);
          if (value !== undefined) {
            this.counters.hits++;
            if (pttl > 0 && this.shouldRefreshEarly(pttl)) this.refreshEarly(full, loader, options);
            return value as T;
          }
        }
        this.counters.misses++;
      } catch (e) {
        this.cacheFailed(e);
        cacheUp = false;
      }
    }
    return this.load(full, loader, options, cacheUp);
  }

  /** Deletes `key` from the cache. Resolves true if the cache confirmed it. Never rejects. */
  async invalidate(key: string | string[]): Promise<boolean> {
    const keys = (Array.isArray(key) ? key : [key]).map((k) => this.prefix + k);
    if (keys.length === 0) return true;
    // Tried even when the breaker is open: serving stale data is worse than one timeout on a write.
    try {
      // One DEL for all the keys on a single server. A cluster refuses a multi-key DEL whose keys hash
      // to different slots (-CROSSSLOT), so there each key gets its own DEL, routed to its slot's node.
      if (this.client.isCluster && keys.length > 1) await this.timed(Promise.all(keys.map((k) => this.client.del(k))));
      else await this.timed(this.client.del(...keys));
      this.breaker?.success();
      this.counters.invalidations += keys.length;
      return true;
    } catch (e) {
      this.cacheFailed(e);
      this.counters.invalidationErrors += keys.length;
      return false;
    }
  }

  /**
   * Runs `writer` (the database write), then invalidates `key`. If the writer
   * throws, nothing is invalidated and the error reaches the caller.
   */
  async write<R>(key: string | string[], writer: () => Promise<R>): Promise<R> {
    const result = await writer();
    await this.invalidate(key);
    return result;
  }

  /** A snapshot of the counters and the breaker. */
  stats(): CacheStats {
    return {
      ...this.counters,
      coalesced: this.flights.coalesced,
      breaker: this.breaker === null
        ? { state: 'disabled', opened: 0, transitions: [] }
        : { state: this.breaker.state, opened: this.breaker.opened, transitions: [...this.breaker.transitions] },
    };
  }

  /** The TTL in milliseconds for one SET: ttl plus a random share of jitter. */
  ttlMs(options: ReadOptions = {}): number {
    const ttl = options.ttl ?? this.ttl;
    const jitter = options.jitter ?? this.jitter;
    if (options.ttl !== undefined || options.jitter !== undefined) checkTtl(ttl, jitter);
    return Math.max(1, Math.round((ttl + this.random() * jitter) * 1000));
  }

  private useCache(): boolean {
    if (this.breaker === null || this.breaker.allow()) return true;
    this.counters.bypassed++;
    return false;
  }

  private load<T>(full: string, loader: () => Promise<T>, options: ReadOptions, store: boolean): Promise<T> {
    const work = (): Promise<T> => this.loadAndStore(full, loader, options, store);
    return this.singleFlight ? (this.flights.do(full, work) as Promise<T>) : work();
  }

  private async loadAndStore<T>(full: string, loader: () => Promise<T>, options: ReadOptions, store: boolean): Promise<T> {
    this.counters.loads++;
    const started = this.now();
    let value: T;
    try {
      value = await loader();
    } catch (e) {
      this.counters.loadErrors++;
      throw e;
    }
    const took = this.now() - started;
    this.loadMs = this.loadMs === 0 ? took : this.loadMs * 0.9 + took * 0.1;
    // Only write back if the cache answered this request's GET (or the early
    // refresh's), and the breaker still allows it.
    if (store && (this.breaker === null || this.breaker.state === 'closed')) await this.store(full, value, options);
    return value;
  }

  private async store(full: string, value: unknown, options: ReadOptions): Promise<void> {
    const text = this.serialize(value);
    if (text === undefined) return;
    const ms = this.ttlMs(options);
    try {
      if (ms % 1000 === 0) await this.timed(this.client.set(full, text, 'EX', ms / 1000));
      else await this.timed(this.client.set(full, text, 'PX', ms));
      this.breaker?.success();
      this.counters.sets++;
    } catch (e) {
      this.cacheFailed(e);
    }
  }

  private shouldRefreshEarly(pttl: number): boolean {
    if (this.loadMs <= 0) return false;
    const u = this.random();
    return -this.beta * this.loadMs * Math.log(u > 0 ? u : Number.MIN_VALUE) >= pttl;
  }

  private refreshEarly<T>(full: string, loader: () => Promise<T>, options: ReadOptions): void {
    if (this.flights.has(full)) return;
    this.counters.earlyRefreshes++;
    this.flights.do(full, () => this.loadAndStore(full, loader, options, true)).catch(ignore);
  }

  private decode(text: string): unknown {
    try {
      return this.deserialize(text);
    } catch {
      return undefined; // a value we cannot read is treated as a miss and overwritten
    }
  }

  private cacheFailed(e: unknown): void {
    this.counters.cacheErrors++;
    if (e instanceof CacheTimeoutError) this.counters.timeouts++;
    this.breaker?.failure();
  }

  /** `p`, or a CacheTimeoutError if it takes longer than the timeout. */
  private timed<R>(p: Promise<R>): Promise<R> {
    if (this.timeout <= 0) return p;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CacheTimeoutError(this.timeout)), this.timeout);
      timer.unref();
      p.then(
        (v) => { clearTimeout(timer); resolve(v); },
        (e: unknown) => { clearTimeout(timer); reject(e); },
      );
    });
  }
}

function checkTtl(ttl: number, jitter: number): void {
  if (!(ttl > 0) || !Number.isFinite(ttl)) throw new RangeError(`ttl must be a positive number of seconds, got ${ttl}`);
  if (!(jitter >= 0) || !Number.isFinite(jitter)) throw new RangeError(`jitter must be zero or more seconds, got ${jitter}`);
}
