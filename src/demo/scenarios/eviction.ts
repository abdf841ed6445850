/**
 * Scenario 7, eviction: the cache is given room for only a slice of the
 * catalogue (maxmemory, allkeys-lru) and read with a skewed (Zipf) workload,
 * as real traffic is. LRU eviction keeps the popular products cached, so the
 * hit ratio stays high though most keys are evicted.
 *
 * The memory budget is set relative to the server's used_memory at the start,
 * and maxmemory / maxmemory-policy are restored at the end.
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { seededRandom } from '../../random.js';
import { check, fmtInt, fmtPct, newResult, type ScenarioResult } from '../report.js';

const PRODUCTS = 10_000;
const READS = 40_000;
const CONCURRENCY = 32;
const BUDGET_BYTES = 256 * 1024;
const ZIPF_S = 1.0;
const HOT = 100;

/** A Zipf(s) sampler over 1..n: rank 1 is the most popular. */
function zipf(n: number, s: number, rnd: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return () => {
    const u = rnd();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1; else hi = mid;
    }
    return lo + 1;
  };
}

export async function evictionScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(7, 'Eviction keeps the hot set', `maxmemory leaves room for a small share of ${fmtInt(PRODUCTS)} products; with allkeys-lru and a skewed workload the popular ones stay cached.`);
  const prefix = 'cachette-demo:7:';
  const db = await ctx.openDb({ latencyMs: 1, poolSize: Infinity });
  const client = await ctx.client();
  const [, oldMaxmemory] = (await ctx.admin.config('GET', 'maxmemory')) as [string, string];
  const [, oldPolicy] = (await ctx.admin.config('GET', 'maxmemory-policy')) as [string, string];
  try {
    const baseline = await ctx.infoNumber('memory', 'used_memory');
    const maxmemory = baseline + BUDGET_BYTES;
    await ctx.admin.config('SET', 'maxmemory', String(maxmemory));
    await ctx.admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const evicted0 = await ctx.infoNumber('stats', 'evicted_keys');
    const hits0 = await ctx.infoNumber('stats', 'keyspace_hits');
    const misses0 = await ctx.infoNumber('stats', 'keyspace_misses');

    const cache = new CacheAside(client, { prefix, ttl: 3600 });
    const next = zipf(PRODUCTS, ZIPF_S, seededRandom(7));
    // Popularity rank r maps to a scattered product id, so "hot" is not "low id".
    const idOf = (rank: number): number => 1 + ((rank * 7919) % PRODUCTS);
    let issued = 0;
    let failed = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (issued < READS) {
        issued++;
        const id = idOf(next());
        try {
          await cache.get(`product:${id}`, () => db.getProduct(id));
        } catch {
          failed++;
        }
      }
    }));
    const evicted = (await ctx.infoNumber('stats', 'evicted_keys')) - evicted0;
    const hits = (await ctx.infoNumber('stats', 'keyspace_hits')) - hits0;
    const misses = (await ctx.infoNumber('stats', 'keyspace_misses')) - misses0;
    const usedMemory = await ctx.infoNumber('memory', 'used_memory');
    const present = async (ranks: number[]): Promise<number> =>
      (await Promise.all(ranks.map((rank) => ctx.admin.exists(`${prefix}product:${idOf(rank)}`)))).reduce((a, b) => a + b, 0);
    const top10Cached = await present(Array.from({ length: 10 }, (_v, i) => i + 1));
    const hotCached = await present(Array.from({ length: HOT }, (_v, i) => i + 1));
    const coldCached = await present(Array.from({ length: HOT }, (_v, i) => PRODUCTS - i));
    let cachedKeys = 0;
    let cursor = '0';
    do {
      const [nextCursor, keys] = await ctx.admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cachedKeys += keys.length;
      cursor = nextCursor;
    } while (cursor !== '0');
    const hitRatio = hits / Math.max(1, hits + misses);
    const s = cache.stats();

    r.tables.push({
      title: `${fmtInt(READS)} Zipf(${ZIPF_S}) reads over ${fmtInt(PRODUCTS)} products; maxmemory = used_memory at start + ${BUDGET_BYTES / 1024} KiB, allkeys-lru`,
      columns: ['reads', 'hit ratio (INFO)', 'DB loads', 'evicted_keys (INFO)', 'keys cached at end', 'used_memory ≤ maxmemory', 'failed'],
      rows: [[fmtInt(READS), fmtPct(hitRatio), fmtInt(db.reads), fmtInt(evicted), fmtInt(cachedKeys), `${fmtInt(usedMemory)} ≤ ${fmtInt(maxmemory)}`, failed]],
    });
    r.charts.push({ title: 'How many of the most and least popular products are cached at the end', bars: [['10 hottest', top10Cached], [`${HOT} hottest`, hotCached], [`${HOT} coldest`, coldCached]] });
    r.notes.push(
      'Redis\'s LRU clock ticks once a second, and this run lasts about two, so eviction here is close to random among',
      'recently used keys: a hot key that gets evicted is simply loaded again at its next read, which comes soon.',
      'That is why the hot set stays cached and the hit ratio is several times the share of keys the cache can hold.',
    );
    r.figures = { reads: READS, products: PRODUCTS, maxmemory, hitRatio, keyspaceHits: hits, keyspaceMisses: misses, dbLoads: db.reads, evictedKeys: evicted, cachedKeys, top10Cached, hotCached, coldCached, failed, libraryHits: s.hits };
    check(r, `evicted_keys ${fmtInt(evicted)} > 0: the cache is smaller than the working set (${fmtInt(cachedKeys)} of ${fmtInt(PRODUCTS)} cached)`, evicted > 0 && cachedKeys < PRODUCTS / 2);
    check(r, `hit ratio ${fmtPct(hitRatio)} with room for ${fmtPct(cachedKeys / PRODUCTS)} of the keys`, hitRatio > 0.5 && hitRatio > (cachedKeys / PRODUCTS) * 2);
    check(r, `the hot set stays: ${top10Cached} of the 10 hottest cached, ${hotCached} of the ${HOT} hottest, ${coldCached} of the ${HOT} coldest`, top10Cached >= 8 && hotCached >= HOT * 0.7 && hotCached >= coldCached * 5);
    check(r, 'no read failed', failed === 0);
  } finally {
    await ctx.admin.config('SET', 'maxmemory', oldMaxmemory);
    await ctx.admin.config('SET', 'maxmemory-policy', oldPolicy);
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
