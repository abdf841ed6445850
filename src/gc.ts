/**
 * Giving memory back to the system: what a server that owns its process
 * (the CLI; `startServer({ processGc: true })`) does about V8's garbage
 * collector. Off for servers embedded in someone else's process, whose GC
 * is theirs to tune.
 *
 * 1. A full GC when the server goes idle after its memory grew.
 *    Why: V8 starts a major (mark-compact) GC only when allocation pushes
 *    the heap past its limit. After a burst of large values and a FLUSHALL
 *    or DEL, the values are garbage, but an idle server allocates nothing,
 *    so no GC comes and the process keeps the memory (issue 22 measured
 *    336 MB of RSS held 10 s after a FLUSHALL of 300 MB). Redis frees at
 *    once; a JS server has to ask.
 *    How: the server's cron calls tick() (hz times a second). When no socket
 *    read has happened and no reply has been waiting to be sent for IDLE_MS,
 *    it reads the process's RSS (one /proc read, a few µs); if RSS is more
 *    than GROWTH_BYTES above its lowest value since the last collection, or
 *    used_memory is more than GROWTH_BYTES below its value then (the data
 *    was freed after a collection that found it live), it runs one full GC (global.gc,
 *    exposed at run time through V8's --expose-gc flag and a fresh vm
 *    context when the process was not started with it). So a collection
 *    runs at most once per idle period and only after the process grew by
 *    GROWTH_BYTES; never while clients are being served. V8 hands the freed
 *    pages back to the system within about a second (its unmapper thread).
 *    Cost: ~1 ms per 10 MB of live heap, paid while nobody is waiting.
 *
 * 2. Under maxmemory, a tighter old-generation growth factor. V8 lets the
 *    old generation grow to up to 4x what survived the last major GC before
 *    it collects again, so a server evicting at 100 MB of data ran between
 *    325 and 540 MB of RSS (issue 22). With maxmemory set, the heap's
 *    growth factor is set to HEAP_GROWING_PERCENT (V8's
 *    --heap-growing-percent, read at every limit computation, so it acts
 *    when set at run time): major GCs come sooner, the peak comes down, and
 *    the price is more marking work (concurrent, mostly off the main thread).
 *
 * 3. A cap on the young generation (YOUNG_CAP_BYTES below): shorter
 *    scavenge pauses (p99) and less memory kept after a burst. At 8 MB the
 *    GC's share of CPU under SET/GET load measured as uncapped; at 4 MB it
 *    nearly doubled (values then reach the old generation before they are
 *    overwritten), so 8 MB is the default.
 *
 * What cannot be changed once the process runs: the old space limit and
 * glibc's malloc thresholds (README: How it works, Giving memory back).
 *
 * Also (request.ts): values of more than ~1 MB are cut from the query
 * buffer in pieces, so they live on V8's heap, not in malloc'd memory that
 * glibc keeps after it is freed.
 */

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** No socket read for this long = idle. */
export const IDLE_MS = 1000;
/** RSS growth since the last collection that makes an idle collection worth it. */
export const GROWTH_BYTES = 32 * 1024 * 1024;
/** The old generation's growth factor under maxmemory: next GC at 1.25 x the live heap. */
export const HEAP_GROWING_PERCENT = 25;

type GcFn = () => void;
let gcFn: GcFn | null | undefined;

/** The full-GC function, or null when this runtime will not give one. */
function getGc(): GcFn | null {
  if (gcFn !== undefined) return gcFn;
  const g = (globalThis as { gc?: GcFn }).gc;
  if (typeof g === 'function') return (gcFn = g);
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    gcFn = typeof fn === 'function' ? (fn as GcFn) : null;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

/**
 * The young generation's cap (3. in the file comment): V8 grows the new space
 * (two semi-spaces) from 1 MB up to 16 MB each as long as objects survive
 * scavenges, and keeps it at that size for good; a scavenge's pause grows
 * with it (8 ms at 16 MB under SET load, most of cachette's p99 at P1), and
 * the 32 MB stay committed after a burst. The size limit itself can only be
 * set at start-up (--max-semi-space-size), but the growth factor is read at
 * each growth: once the cron sees the new space at this size or more, the
 * factor is set to 1 and it grows no further (a burst can overshoot by a
 * step or two between cron ticks). Default 8 MB; the environment variable
 * CACHETTE_YOUNG_CAP_MB sets another (64 = V8's own behaviour).
 */
export const YOUNG_CAP_BYTES = Number(process.env['CACHETTE_YOUNG_CAP_MB'] ?? 8) * 1024 * 1024;
let youngCapped = false;

/** Freezes the new space once it reaches YOUNG_CAP_BYTES (called by the cron). */
export function capYoungGeneration(): void {
  if (youngCapped) return;
  for (const sp of getHeapSpaceStatistics()) {
    if (sp.space_name === 'new_space' && sp.space_size >= YOUNG_CAP_BYTES) {
      setFlagsFromString('--semi-space-growth-factor=1');
      youngCapped = true;
    }
  }
}

let growthBounded = false;

/** Sets (maxmemory on) or clears V8's old-generation growth factor (see 2. above). */
export function boundHeapGrowth(on: boolean): void {
  if (on === growthBounded) return;
  growthBounded = on;
  setFlagsFromString(`--heap-growing-percent=${on ? HEAP_GROWING_PERCENT : 0}`);
}

export class IdleGc {
  /** Lowest RSS seen since the last collection (or the start). */
  private baseline = process.memoryUsage.rss();
  /** used_memory at the last collection (or the start). */
  private usedAtGc = 0;
  /** The read count seen at the last tick, and since when it has not moved. */
  private lastReads = -1;
  private quietSince = 0;
  /** Collections run. */
  runs = 0;

  /**
   * One cron tick: `now` is Date.now(), `reads` the server's socket-read
   * counter, `busy` true while some reply is still being sent. `used()`
   * gives used_memory (asked only once idle). Returns the RSS freed at once
   * when it collected, else -1.
   */
  tick(now: number, reads: number, busy: boolean, used: () => number): number {
    if (reads !== this.lastReads || busy) {
      this.lastReads = reads;
      this.quietSince = now;
      return -1;
    }
    if (now - this.quietSince < IDLE_MS) return -1;
    const rss = process.memoryUsage.rss();
    if (rss < this.baseline) this.baseline = rss;
    const u = used();
    // Grown since the last collection, or data freed since then (a collection
    // made while the data was still live leaves a high baseline behind).
    if (rss - this.baseline < GROWTH_BYTES && this.usedAtGc - u < GROWTH_BYTES) {
      if (u > this.usedAtGc) this.usedAtGc = u;
      return -1;
    }
    const gc = getGc();
    if (gc === null) return -1;
    gc();
    this.runs++;
    const after = process.memoryUsage.rss();
    // The freed pages leave over the next second: the baseline follows RSS down from here.
    this.baseline = after;
    this.usedAtGc = u;
    return Math.max(0, rss - after);
  }
}
