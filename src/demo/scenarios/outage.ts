/**
 * Scenario 6, cache outage: 16 workers read products through the cache
 * while the cache is stopped, restarted, and then hung.
 *
 * The client reaches the cache through a local TCP proxy (proxy.ts). "Stop"
 * shuts the embedded cachette down and starts a new, empty one on the same
 * port later; against --url it drops the link at the proxy instead (the demo
 * will not shut down someone's server). "Hang" holds every byte at the proxy,
 * like a frozen server: commands time out instead of failing fast, which is
 * what the circuit breaker is for. A last pair of runs hangs the cache with
 * and without the breaker to show the difference.
 */

import { CacheAside, type CacheStats } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { seededRandom } from '../../random.js';
import { sleep } from '../db.js';
import { Proxy } from '../proxy.js';
import { check, fmtInt, fmtMs, fmtPct, newResult, percentile, type ScenarioResult } from '../report.js';

const WORKERS = 16;
const HOT_KEYS = 200;
const SLICE_MS = 500;
const TIMEOUT_MS = 100;
const BREAKER = { failureThreshold: 5, cooldownMs: 500 };
/** Phase boundaries (ms from the start) and what happens there. */
const STOP_AT = 1500;
const RESTART_AT = 3000;
const HANG_AT = 4500;
const RESUME_AT = 6000;
const END_AT = 7000;
const COMPARE_MS = 1000;

interface Sample { t: number; ms: number; ok: boolean }

function phaseOf(t: number): string {
  if (t < STOP_AT) return 'healthy';
  if (t < RESTART_AT) return 'stopped';
  if (t < HANG_AT) return 'back';
  if (t < RESUME_AT) return 'hung';
  return 'back';
}

export async function outageScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(6, 'Cache outage', 'With the cache stopped or hung, every request still succeeds from the database; the breaker keeps latency at database speed instead of timeout speed; after a restart the cache refills.');
  const prefix = 'cachette-demo:6:';
  const db = await ctx.openDb({ poolSize: 64 });
  const proxy = new Proxy(ctx.host, ctx.port);
  await proxy.listen();
  const client = await ctx.client(proxy.port, '127.0.0.1');
  const rnd = seededRandom(6);
  const how = ctx.isEmbedded ? 'the embedded cachette server is shut down, and a new empty one started on its port' : 'the link is cut at a local proxy (the demo does not shut down a server it did not start)';

  /** Runs the workers against `cache` until `until` (ms after `t0`). */
  const drive = async (cache: CacheAside, t0: number, until: number, samples: Sample[]): Promise<void> => {
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (Date.now() - t0 < until) {
        const id = 1 + Math.floor(rnd() * HOT_KEYS);
        const start = performance.now();
        let ok = true;
        try {
          const v = await cache.get(`product:${id}`, () => db.getProduct(id));
          ok = v !== null && (v as { id: number }).id === id;
        } catch {
          ok = false;
        }
        samples.push({ t: Date.now() - t0, ms: performance.now() - start, ok });
        await sleep(2);
      }
    }));
  };

  try {
    // The timeline
    const cache = new CacheAside(client, { prefix, ttl: 30, timeout: TIMEOUT_MS, breaker: BREAKER });
    const samples: Sample[] = [];
    const slices: Array<{ stats: CacheStats; loads: number }> = [];
    const t0 = Date.now();
    const events: Array<[number, string]> = [];
    const script = (async () => {
      await sleep(STOP_AT - (Date.now() - t0));
      if (ctx.isEmbedded) await ctx.stopServer(); else proxy.setMode('down');
      events.push([Date.now() - t0, 'cache stopped']);
      await sleep(RESTART_AT - (Date.now() - t0));
      if (ctx.isEmbedded) await ctx.restartServer(); else proxy.setMode('pass');
      events.push([Date.now() - t0, ctx.isEmbedded ? 'cache restarted (empty)' : 'link restored']);
      await sleep(HANG_AT - (Date.now() - t0));
      proxy.setMode('hang');
      events.push([Date.now() - t0, 'cache hangs (bytes held at the proxy)']);
      await sleep(RESUME_AT - (Date.now() - t0));
      proxy.setMode('pass');
      events.push([Date.now() - t0, 'cache answers again']);
    })();
    const sampler = (async () => {
      for (let i = 1; i * SLICE_MS <= END_AT; i++) {
        await sleep(t0 + i * SLICE_MS - Date.now());
        slices.push({ stats: cache.stats(), loads: db.reads });
      }
    })();
    await Promise.all([drive(cache, t0, END_AT, samples), script, sampler]);

    const rows: Array<Array<string | number>> = [];
    let prev = { hits: 0, misses: 0, bypassed: 0, cacheErrors: 0, loads: 0 };
    for (let i = 0; i < slices.length; i++) {
      const s = slices[i]!;
      const inSlice = samples.filter((x) => x.t >= i * SLICE_MS && x.t < (i + 1) * SLICE_MS);
      const lat = inSlice.map((x) => x.ms);
      const reads = s.stats.hits + s.stats.misses + s.stats.bypassed - prev.hits - prev.misses - prev.bypassed;
      rows.push([
        `${(i * SLICE_MS / 1000).toFixed(1)}–${((i + 1) * SLICE_MS / 1000).toFixed(1)} s`, phaseOf(i * SLICE_MS + 1), fmtInt(inSlice.length), inSlice.filter((x) => !x.ok).length,
        reads > 0 ? fmtPct((s.stats.hits - prev.hits) / reads) : '-', fmtInt(s.loads - prev.loads), s.stats.cacheErrors - prev.cacheErrors,
        fmtMs(percentile(lat, 50)), fmtMs(percentile(lat, 99)), s.stats.breaker.state,
      ]);
      prev = { hits: s.stats.hits, misses: s.stats.misses, bypassed: s.stats.bypassed, cacheErrors: s.stats.cacheErrors, loads: s.loads };
    }
    r.tables.push({ title: `${WORKERS} workers reading ${HOT_KEYS} products; cache timeout ${TIMEOUT_MS} ms; breaker opens after ${BREAKER.failureThreshold} failures, probes after ${BREAKER.cooldownMs} ms; DB ${ctx.dbLatencyMs} ms/query`, columns: ['time', 'cache', 'requests', 'failed', 'hit ratio', 'DB loads', 'cache errors', 'p50', 'p99', 'breaker'], rows });
    const final = cache.stats();
    const transitions = final.breaker.transitions.map((x) => [x.at - t0, `breaker ${x.from} → ${x.to}`] as [number, string]);
    const timeline = [...events, ...transitions].sort((a, b) => a[0] - b[0]);
    r.tables.push({ title: 'Events and breaker transitions', columns: ['ms', 'event'], rows: timeline.map(([t, e]) => [t, e]) });

    const during = (from: number, to: number) => samples.filter((x) => x.t >= from && x.t < to);
    const stopped = during(STOP_AT, RESTART_AT);
    const hung = during(HANG_AT, RESUME_AT);
    const tail = during(END_AT - SLICE_MS, END_AT);
    const failed = samples.filter((x) => !x.ok).length;
    const lastSlice = slices[slices.length - 1]!;
    const prevSlice = slices[slices.length - 2]!;
    const tailReads = lastSlice.stats.hits + lastSlice.stats.misses + lastSlice.stats.bypassed - prevSlice.stats.hits - prevSlice.stats.misses - prevSlice.stats.bypassed;
    const tailHitRatio = tailReads > 0 ? (lastSlice.stats.hits - prevSlice.stats.hits) / tailReads : 0;

    // Hung cache, with and without the breaker.
    const compare: Record<'with' | 'without', { requests: number; failed: number; p50: number; p99: number; timeouts: number }> = {} as never;
    for (const variant of ['with', 'without'] as const) {
      const c = new CacheAside(client, { prefix, ttl: 30, timeout: TIMEOUT_MS, breaker: variant === 'with' ? BREAKER : false });
      proxy.setMode('hang');
      const xs: Sample[] = [];
      await drive(c, Date.now(), COMPARE_MS, xs);
      proxy.setMode('pass');
      await sleep(100);
      compare[variant] = { requests: xs.length, failed: xs.filter((x) => !x.ok).length, p50: percentile(xs.map((x) => x.ms), 50), p99: percentile(xs.map((x) => x.ms), 99), timeouts: c.stats().timeouts };
    }
    r.tables.push({
      title: `A hung cache for ${COMPARE_MS} ms, with and without the breaker`,
      columns: ['breaker', 'requests', 'failed', 'cache timeouts', 'p50', 'p99'],
      rows: (['with', 'without'] as const).map((v) => [v, fmtInt(compare[v].requests), compare[v].failed, fmtInt(compare[v].timeouts), fmtMs(compare[v].p50), fmtMs(compare[v].p99)]),
    });
    r.notes.push(`Stop: ${how}.`);

    const stoppedP50 = percentile(stopped.map((x) => x.ms), 50);
    const hungP50 = percentile(hung.map((x) => x.ms), 50);
    r.figures = {
      requests: samples.length, failed, breakerOpened: final.breaker.opened, finalBreaker: final.breaker.state,
      stopped: { requests: stopped.length, p50: stoppedP50, p99: percentile(stopped.map((x) => x.ms), 99) },
      hung: { requests: hung.length, p50: hungP50, p99: percentile(hung.map((x) => x.ms), 99) },
      tail: { requests: tail.length, hitRatio: tailHitRatio },
      hungWithBreaker: compare.with, hungWithoutBreaker: compare.without,
      transitions: transitions.map(([t, e]) => ({ t, e })), mode: ctx.isEmbedded ? 'server stopped and restarted' : 'link cut at a proxy',
    };
    check(r, `${fmtInt(samples.length)} requests, ${failed} failed (expected 0), ${fmtInt(stopped.length)} of them while the cache was stopped`, failed === 0 && stopped.length > 0);
    check(r, `the breaker opened (${final.breaker.opened} times) and is ${final.breaker.state} at the end`, final.breaker.opened > 0 && final.breaker.state === 'closed');
    check(r, `while stopped, p50 ${fmtMs(stoppedP50)}; while hung, p50 ${fmtMs(hungP50)}: database speed, not the ${TIMEOUT_MS} ms timeout`, stoppedP50 < TIMEOUT_MS && hungP50 < TIMEOUT_MS);
    check(r, `the cache refilled: hit ratio ${fmtPct(tailHitRatio)} in the last ${SLICE_MS} ms`, tailHitRatio > 0.8);
    check(r, `hung cache: p50 ${fmtMs(compare.with.p50)} with the breaker, ${fmtMs(compare.without.p50)} without; no request failed either way`, compare.with.p50 < TIMEOUT_MS && compare.without.p50 >= TIMEOUT_MS && compare.with.failed === 0 && compare.without.failed === 0);
  } finally {
    ctx.closeClient(client);
    await proxy.close();
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
