/**
 * The server's clock: what every TTL, expiry, LRU/LFU stamp, TIME reply and
 * MONITOR line reads.
 *
 * Two modes:
 *  - 'system' (the default): wall time, Date.now(), plus an offset that only
 *    DEBUG JUMP / clock.advance() ever moves (time travel forward).
 *  - 'manual': time stands still until the owner moves it with advance(ms)
 *    or set(epochMs). A test suite can then check a 1-hour TTL in
 *    microseconds, and get the same result on every run.
 *
 * Moving time forward is not just changing a number: the server replays the
 * cron ticks (hz per second) that the jump passed over, each at its own
 * instant, so active expiry and eviction run exactly as if the time had
 * really gone by (see Server.advanceClock). Lazy expiry, TTL replies and
 * LRU/LFU ageing need nothing more: they read the clock when a command runs.
 */

export type ClockMode = 'system' | 'manual';

export class Clock {
  readonly mode: ClockMode;
  /** Manual mode: the current time in ms. */
  private t: number;
  /** System mode: ms added to Date.now() by jumps. */
  private offset = 0;
  /** Built on a custom time source (no sub-ms precision to add). */
  private readonly custom: boolean;
  /** Bound to this clock, for the hot path: `server.clock()` is a plain call. */
  readonly now: () => number;

  constructor(mode: ClockMode | (() => number) = 'system', startMs = Date.now()) {
    if (typeof mode === 'function') {
      // A custom time source (tests of the server itself): jumps add an offset.
      const src = mode;
      this.mode = 'system';
      this.t = 0;
      this.custom = true;
      this.now = () => src() + this.offset;
    } else {
      this.mode = mode;
      this.custom = false;
      this.t = Math.floor(startMs);
      this.now = mode === 'manual' ? () => this.t : () => Date.now() + this.offset;
    }
  }

  /** The current time in microseconds (TIME, MONITOR): sub-ms precision from the system clock. */
  nowUs(): number {
    if (this.mode === 'manual' || this.custom) return Math.floor(this.now() * 1000);
    return Math.floor((performance.timeOrigin + performance.now() + this.offset) * 1000);
  }

  get manual(): boolean { return this.mode === 'manual'; }

  /** Moves the clock by `ms` (may be negative) without running anything. */
  shift(ms: number): void {
    if (this.mode === 'manual') this.t += ms;
    else this.offset += ms;
  }
}
