/**
 * Per-command latency histograms, for INFO latencystats (Redis 7.0's
 * latency-tracking, reported as latency_percentiles_usec_<cmd>:p50=..,p99=..,p99.9=..).
 *
 * How it works: a log-linear histogram over nanoseconds, 8 buckets per power
 * of two (each bucket spans 9 % of its value), from 1 ns to 2^30 ns (~1.07 s;
 * longer calls land in the last bucket). Recording is one log2, one clamp and
 * one increment of a Uint32Array (allocated on a command's first call, 1 KiB);
 * a percentile walks the 240 buckets and reports the upper edge of the bucket
 * holding it, in microseconds, as Redis does with its HDR histogram.
 */

const PER_OCTAVE = 8;
const BUCKETS = 30 * PER_OCTAVE;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  /** Records one call of `us` microseconds. */
  record(us: number): void {
    const ns = us * 1000;
    let i = ns <= 1 ? 0 : Math.floor(Math.log2(ns) * PER_OCTAVE);
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]!++;
    this.total++;
  }

  /** The value (µs) at or below which `p` percent of the recorded calls fall. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const want = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= want) return 2 ** ((i + 1) / PER_OCTAVE) / 1000;
    }
    return 2 ** (BUCKETS / PER_OCTAVE) / 1000;
  }
}

/** Redis's default latency-tracking-info-percentiles. */
export const INFO_PERCENTILES = [50, 99, 99.9];

/** The INFO latencystats value: `p50=1.003,p99=...,p99.9=...`. */
export function percentilesText(h: LatencyHistogram): string {
  return INFO_PERCENTILES.map((p) => `p${p}=${h.percentile(p).toFixed(3)}`).join(',');
}
