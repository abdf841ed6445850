/**
 * Scenario 2, the TTL bounds staleness: the database changes behind the
 * cache's back (no invalidation), the cache keeps serving the old value, and
 * once the TTL has passed the next read loads the new one.
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { sleep, type Product } from '../db.js';
import { check, newResult, type ScenarioResult } from '../report.js';

const TTL_S = 1;
const STEP_MS = 150;
const STEPS = 10;

export async function ttlScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(2, 'TTL bounds staleness', `A change made straight in the database is invisible until the key's TTL (${TTL_S} s here) runs out; then the next read loads it.`);
  const prefix = 'cachette-demo:2:';
  const db = await ctx.openDb();
  const client = await ctx.client();
  const cache = new CacheAside(client, { prefix, ttl: TTL_S });
  const id = 3;
  try {
    const start = Date.now();
    const first = await cache.get(`product:${id}`, () => db.getProduct(id));
    const cachedAt = Date.now();
    const oldPrice = first!.price_cents;
    const newPrice = oldPrice + 500;
    // Someone updates the database directly: no invalidation reaches the cache.
    await db.updatePrice(id, newPrice);
    const rows: Array<Array<string | number>> = [];
    let lastStaleAt = -1;
    let firstFreshAt = -1;
    let staleReads = 0;
    let staleAfterTtl = 0;
    for (let i = 0; i < STEPS; i++) {
      await sleep(STEP_MS);
      const loadsBefore = db.reads;
      const v = (await cache.get(`product:${id}`, () => db.getProduct(id))) as Product;
      const t = Date.now() - cachedAt;
      const stale = v.price_cents !== db.peek(id)!.price_cents;
      if (stale) {
        staleReads++;
        lastStaleAt = t;
        if (t > TTL_S * 1000 + 50) staleAfterTtl++;
      } else if (firstFreshAt < 0) firstFreshAt = t;
      rows.push([`${t} ms`, `$${(v.price_cents / 100).toFixed(2)}`, `$${(db.peek(id)!.price_cents / 100).toFixed(2)}`, stale ? 'stale (cached)' : db.reads > loadsBefore ? 'fresh (reloaded)' : 'fresh (cached)', db.reads]);
    }
    r.tables.push({ title: `Reads every ${STEP_MS} ms after the value was cached (database updated right after caching)`, columns: ['since cached', 'served', 'in database', 'read', 'DB loads'], rows });
    r.figures = { ttlMs: TTL_S * 1000, staleReads, lastStaleAtMs: lastStaleAt, firstFreshAtMs: firstFreshAt, staleAfterTtl, dbLoads: db.reads, elapsedMs: Date.now() - start };
    check(r, `stale reads stop by the TTL: last stale read at ${lastStaleAt} ms, first fresh at ${firstFreshAt} ms (TTL ${TTL_S * 1000} ms)`, staleReads > 0 && staleAfterTtl === 0 && firstFreshAt >= TTL_S * 1000 - 50);
    check(r, `one load, then exactly one reload once the TTL passed (${db.reads} DB loads in all)`, db.reads === 2);
  } finally {
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
