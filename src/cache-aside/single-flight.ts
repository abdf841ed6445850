/**
 * Single-flight: concurrent calls for the same key in one process share one
 * execution of the work.
 *
 * The first caller for a key starts the work and parks its promise in a Map;
 * callers that arrive while it runs get that same promise (they are counted
 * as coalesced). When it settles, resolved or rejected, the entry is removed,
 * so every waiter sees the same value or the same error and nothing is kept
 * once the call is done: the next call starts fresh.
 */

export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();
  /** Callers that joined a call already in flight instead of starting one. */
  coalesced = 0;

  /** Runs `work` for `key`, or joins the run already in flight for it. */
  do(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running !== undefined) {
      this.coalesced++;
      return running;
    }
    const p = this.run(key, work);
    this.flights.set(key, p);
    return p;
  }

  /** Is a call for `key` in flight? */
  has(key: string): boolean {
    return this.flights.has(key);
  }

  /** Calls in flight right now. */
  get size(): number {
    return this.flights.size;
  }

  private async run(key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      this.flights.delete(key);
    }
  }
}
