/**
 * Scenario 3, stampede: a hot key expires while 1,000 requests for it
 * arrive at once. Without single-flight every one of them misses and queries
 * the database (which has a pool of 10 connections, so they queue); with it,
 * one query is made and the other 999 wait for its result.
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { sleep } from '../db.js';
import { check, fmtInt, fmtMs, newResult, percentile, type ScenarioResult } from '../report.js';

const REQUESTS = 1000;
const POOL = 10;

interface Run {
  loads: number;
  peak: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}

export async function stampedeScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(3, 'Stampede protection (single-flight)', `A hot key expires while ${fmtInt(REQUESTS)} requests arrive together. Single-flight turns ${fmtInt(REQUESTS)} database queries into one.`);
  const prefix = 'cachette-demo:3:';
  const db = await ctx.openDb({ poolSize: POOL });
  const client = await ctx.client();
  const runs: Record<'off' | 'on', Run> = {} as Record<'off' | 'on', Run>;
  try {
    for (const mode of ['off', 'on'] as const) {
      const cache = new CacheAside(client, { prefix: `${prefix}${mode}:`, ttl: 60, singleFlight: mode === 'on' });
      const key = 'product:42';
      // Cache the hot key with a short TTL and let it expire.
      await client.set(`${prefix}${mode}:${key}`, JSON.stringify(db.peek(42)), 'PX', 100);
      await sleep(150);
      db.resetCounters();
      const latencies: number[] = [];
      let failed = 0;
      await Promise.all(Array.from({ length: REQUESTS }, async () => {
        const t0 = performance.now();
        try {
          await cache.get(key, () => db.getProduct(42));
        } catch {
          failed++;
        }
        latencies.push(performance.now() - t0);
      }));
      runs[mode] = { loads: db.reads, peak: db.peakInFlight, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), failed };
    }
    const row = (name: string, x: Run): Array<string | number> => [name, fmtInt(x.loads), fmtInt(x.peak), fmtMs(x.p50), fmtMs(x.p99), fmtMs(x.max), x.failed];
    r.tables.push({
      title: `${fmtInt(REQUESTS)} concurrent reads of one expired key (database: ${ctx.dbLatencyMs} ms per query, pool of ${POOL})`,
      columns: ['single-flight', 'DB loads', 'peak DB concurrency', 'p50', 'p99', 'max', 'failed'],
      rows: [row('off', runs.off), row('on', runs.on)],
    });
    r.charts.push({ title: 'DB loads', bars: [['without', runs.off.loads], ['with', runs.on.loads]] });
    r.figures = { requests: REQUESTS, withoutSingleFlight: runs.off, withSingleFlight: runs.on };
    check(r, `without single-flight: ${fmtInt(runs.off.loads)} DB loads (close to ${fmtInt(REQUESTS)})`, runs.off.loads >= REQUESTS * 0.9);
    check(r, `with single-flight: exactly ${runs.on.loads} DB load, peak DB concurrency ${runs.on.peak}`, runs.on.loads === 1 && runs.on.peak === 1);
    check(r, 'no request failed', runs.off.failed === 0 && runs.on.failed === 0);
  } finally {
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
