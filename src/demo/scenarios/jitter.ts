/**
 * Scenario 4, TTL jitter: 10,000 keys are cached at the same moment (a cold
 * start, a deploy, a bulk import). With one fixed TTL they all expire in the
 * same instant and every one is reloaded at once; with a random extra of up
 * to `jitter` seconds the expiries, and so the reloads, are spread out.
 *
 * Method: cache all keys, read every key's PTTL (the expiry histogram), then
 * read all 10,000 keys through the cache every 500 ms until past the last
 * expiry, and count the database's queries per second.
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { seededRandom } from '../../random.js';
import { sleep } from '../db.js';
import { check, fmtInt, newResult, type ScenarioResult } from '../report.js';

const KEYS = 10_000;
const TTL_S = 2;
const JITTER_S = 4;
const TICK_MS = 500;
const EXPIRY_BIN_MS = 500;

interface Run {
  /** Time between the first and the last key's expiry. */
  expirySpreadMs: number;
  /** Keys expiring in each 500 ms bin, from the moment of caching. */
  expiryBins: number[];
  /** Database loads in each second after caching. */
  loadsPerSecond: number[];
  /** The most loads in any 1 s window (two consecutive 500 ms ticks). */
  peakLoadsPerSecond: number;
  peakDbConcurrency: number;
  reads: number;
  failed: number;
}

export async function jitterScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(4, 'TTL jitter', `${fmtInt(KEYS)} keys cached at once, TTL ${TTL_S} s: without jitter they expire together and hit the database in one burst; with up to ${JITTER_S} s of jitter the reloads spread out.`);
  const prefix = 'cachette-demo:4:';
  const db = await ctx.openDb({ poolSize: Infinity });
  const client = await ctx.client();
  const runs = {} as Record<'without' | 'with', Run>;
  try {
    for (const variant of ['without', 'with'] as const) {
      const jitter = variant === 'with' ? JITTER_S : 0;
      const cache = new CacheAside(client, { prefix: `${prefix}${variant}:`, ttl: TTL_S, jitter, random: seededRandom(42), timeout: 5000 });
      const load = (id: number) => () => db.getProduct(id);
      const readAll = () => Promise.all(Array.from({ length: KEYS }, (_v, i) => cache.get(`product:${i + 1}`, load(i + 1)).then(() => 0, () => 1)));

      await readAll(); // caches every key, all at once
      const t0 = Date.now();
      const pttls = await Promise.all(Array.from({ length: KEYS }, (_v, i) => client.pttl(`${prefix}${variant}:product:${i + 1}`)));
      const measuredAt = Date.now() - t0;
      const horizonMs = (TTL_S + jitter) * 1000;
      const expiryBins = new Array<number>(Math.ceil(horizonMs / EXPIRY_BIN_MS) + 1).fill(0);
      let first = Infinity;
      let last = -Infinity;
      for (const ms of pttls) {
        const at = Math.max(0, measuredAt + ms);
        first = Math.min(first, at);
        last = Math.max(last, at);
        expiryBins[Math.min(expiryBins.length - 1, Math.floor(at / EXPIRY_BIN_MS))]!++;
      }

      db.resetCounters();
      const loadsPerSecond = new Array<number>(Math.ceil(horizonMs / 1000) + 2).fill(0);
      let reads = 0;
      let failed = 0;
      let lastLoads = 0;
      const tickLoads: number[] = [];
      for (let tick = 1; ; tick++) {
        const due = t0 + tick * TICK_MS;
        if (due - t0 > horizonMs + 1000) break;
        await sleep(Math.max(0, due - Date.now()));
        const results = await readAll();
        reads += KEYS;
        failed += results.reduce((a, b) => a + b, 0);
        const second = Math.min(loadsPerSecond.length - 1, Math.floor((due - t0) / 1000));
        loadsPerSecond[second]! += db.reads - lastLoads;
        tickLoads.push(db.reads - lastLoads);
        lastLoads = db.reads;
      }
      runs[variant] = { expirySpreadMs: last - first, expiryBins, loadsPerSecond, peakLoadsPerSecond: Math.max(...tickLoads.map((n, i) => n + (tickLoads[i + 1] ?? 0))), peakDbConcurrency: db.peakInFlight, reads, failed };
    }

    const binLabel = (i: number): string => `${((i * EXPIRY_BIN_MS) / 1000).toFixed(1)}–${(((i + 1) * EXPIRY_BIN_MS) / 1000).toFixed(1)} s`;
    const secLabel = (i: number): string => `${i}–${i + 1} s`;
    for (const variant of ['without', 'with'] as const) {
      const run = runs[variant];
      r.charts.push({ title: `Keys expiring, by time after caching ended — ${variant} jitter`, bars: run.expiryBins.map((n, i) => [binLabel(i), n]) });
    }
    for (const variant of ['without', 'with'] as const) {
      const run = runs[variant];
      r.charts.push({ title: `DB loads per second while all keys are read every ${TICK_MS} ms — ${variant} jitter`, bars: run.loadsPerSecond.map((n, i) => [secLabel(i), n]), unit: 'loads' });
    }
    r.tables.push({
      title: 'Summary',
      columns: ['jitter', 'expiries spread over', 'largest 0.5 s expiry bin', 'peak DB loads in 1 s', 'peak DB concurrency', 'reads', 'failed'],
      rows: (['without', 'with'] as const).map((v) => [v === 'with' ? `0–${JITTER_S} s` : 'none', `${fmtInt(runs[v].expirySpreadMs)} ms`, fmtInt(Math.max(...runs[v].expiryBins)), fmtInt(runs[v].peakLoadsPerSecond), fmtInt(runs[v].peakDbConcurrency), fmtInt(runs[v].reads), runs[v].failed]),
    });
    r.figures = { keys: KEYS, ttlS: TTL_S, jitterS: JITTER_S, without: runs.without, with: runs.with };
    const spikeWithout = Math.max(...runs.without.expiryBins);
    const spikeWith = Math.max(...runs.with.expiryBins);
    check(r, `without jitter all ${fmtInt(KEYS)} keys expire within ${fmtInt(runs.without.expirySpreadMs)} ms of each other (the largest 0.5 s bin holds ${fmtInt(spikeWithout)})`, runs.without.expirySpreadMs < 1000);
    check(r, `with jitter they expire over ${fmtInt(runs.with.expirySpreadMs)} ms`, runs.with.expirySpreadMs >= (JITTER_S - 0.5) * 1000);
    check(r, `with jitter no 0.5 s bin holds more than ${fmtInt(spikeWith)} (${((spikeWith / KEYS) * 100).toFixed(0)}%)`, spikeWith <= KEYS * 0.2);
    check(r, `peak DB load (any 1 s window) falls from ${fmtInt(runs.without.peakLoadsPerSecond)} to ${fmtInt(runs.with.peakLoadsPerSecond)}`, runs.with.peakLoadsPerSecond * 2 <= runs.without.peakLoadsPerSecond);
    check(r, 'no read failed', runs.without.failed === 0 && runs.with.failed === 0);
  } finally {
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
