/**
 * A circuit breaker for the cache: it stops a dead or hung cache from adding
 * a timeout to every request.
 *
 *   closed ──(threshold consecutive failures)──▶ open
 *   open ──(cool-down elapsed; next caller becomes the probe)──▶ half-open
 *   half-open ──(probe succeeds)──▶ closed
 *   half-open ──(probe fails)──▶ open (cool-down starts again)
 *
 * While open, `allow()` says no and the caller goes straight to the database.
 * In half-open exactly one caller at a time is let through as the probe; the
 * others keep bypassing the cache until the probe reports back. A success
 * while closed resets the failure count, so only *consecutive* failures trip it.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive cache failures that open the breaker. Default 5. */
  failureThreshold: number;
  /** Milliseconds the breaker stays open before it lets one probe through. Default 1000. */
  cooldownMs: number;
  /** Clock in milliseconds; injectable for tests. Default Date.now. */
  now: () => number;
}

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  /** The clock's time of the transition, in ms. */
  at: number;
}

/** How many transitions `transitions` keeps (the oldest are dropped). */
const HISTORY = 1000;

export class CircuitBreaker {
  readonly options: BreakerOptions;
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  /** Recent transitions, oldest first. */
  readonly transitions: BreakerTransition[] = [];
  /** Times the breaker has opened, in total. */
  opened = 0;

  constructor(options: Partial<BreakerOptions> = {}) {
    this.options = {
      failureThreshold: options.failureThreshold ?? 5,
      cooldownMs: options.cooldownMs ?? 1000,
      now: options.now ?? Date.now,
    };
    if (!(this.options.failureThreshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    if (!(this.options.cooldownMs >= 0)) throw new RangeError('cooldownMs must not be negative');
  }

  get state(): BreakerState {
    return this.current;
  }

  /**
   * May this caller use the cache? When the cool-down has passed, the first
   * caller to ask moves the breaker to half-open and becomes the probe; it must
   * then report `success()` or `failure()`.
   */
  allow(): boolean {
    switch (this.current) {
      case 'closed':
        return true;
      case 'open':
        if (this.options.now() - this.openedAt < this.options.cooldownMs) return false;
        this.move('half-open');
        this.probing = true;
        return true;
      case 'half-open':
        if (this.probing) return false;
        this.probing = true;
        return true;
    }
  }

  /** A cache command worked. */
  success(): void {
    this.failures = 0;
    if (this.current === 'half-open') {
      this.probing = false;
      this.move('closed');
    }
  }

  /** A cache command failed or timed out. */
  failure(): void {
    if (this.current === 'half-open') {
      this.probing = false;
      this.trip();
      return;
    }
    if (this.current === 'closed' && ++this.failures >= this.options.failureThreshold) this.trip();
  }

  private trip(): void {
    this.failures = 0;
    this.openedAt = this.options.now();
    this.opened++;
    this.move('open');
  }

  private move(to: BreakerState): void {
    this.transitions.push({ from: this.current, to, at: this.options.now() });
    if (this.transitions.length > HISTORY) this.transitions.shift();
    this.current = to;
  }
}
