/**
 * Scenario 5, the invalidation race.
 *
 * Part A: two writers update the same product at the same moment while
 * readers keep reading it. Each writer updates the database, then (after a
 * random 0-15 ms pause: a GC, a slow network hop) fixes the cache.
 *   - update-in-place (SET the new value): the two SETs can land in the other
 *     order than the two UPDATEs, leaving the older value cached, and served,
 *     until the TTL runs out;
 *   - write-then-delete (DEL the key): whatever order the DELs land in, the
 *     key ends up absent and the next read loads what the database holds.
 *
 * Part B, the race that remains with write-then-delete: a reader misses,
 * reads the old row, and stalls before its SET; meanwhile a writer updates
 * the row and deletes the (absent) key; the reader's SET then caches the old
 * row. Only the TTL ends it. (Closing it needs versioned writes, e.g. SET only
 * if newer via a script, or leases as in Facebook's memcache paper.)
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { seededRandom } from '../../random.js';
import { sleep, type Product } from '../db.js';
import { check, fmtInt, newResult, type ScenarioResult } from '../report.js';

const ROUNDS = 40;
const READERS = 3;
const CHECK_READS = 5;
const RACE_TTL_S = 1;

interface StrategyRun {
  rounds: number;
  staleRounds: number;
  staleReads: number;
  checkReads: number;
  dbLoads: number;
}

export async function invalidationScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(5, 'Invalidation race', 'Update-in-place lets racing writers leave an old value cached; write-then-delete does not. One narrow race remains, and the TTL bounds it.');
  const prefix = 'cachette-demo:5:';
  const db = await ctx.openDb({ latencyMs: 5, poolSize: Infinity });
  const client = await ctx.client();
  const rnd = seededRandom(5);
  const runs = {} as Record<'update-in-place' | 'write-then-delete', StrategyRun>;
  try {
    // Part A
    for (const strategy of ['update-in-place', 'write-then-delete'] as const) {
      const keyPrefix = `${prefix}${strategy}:`;
      const cache = new CacheAside(client, { prefix: keyPrefix, ttl: 30 });
      db.resetCounters();
      const run: StrategyRun = { rounds: ROUNDS, staleRounds: 0, staleReads: 0, checkReads: 0, dbLoads: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const id = 100 + round;
        const key = `product:${id}`;
        const load = () => db.getProduct(id);
        await cache.get(key, load);
        let writing = true;
        const readers = Array.from({ length: READERS }, async () => {
          while (writing) { await cache.get(key, load); await sleep(1); }
        });
        const base = db.peek(id)!.price_cents;
        const writer = async (price: number): Promise<void> => {
          const pause = rnd() * 15;
          if (strategy === 'update-in-place') {
            const row = await db.updatePrice(id, price);
            await sleep(pause);
            await client.set(keyPrefix + key, JSON.stringify(row), 'EX', 30);
          } else {
            await cache.write(key, async () => { await db.updatePrice(id, price); await sleep(pause); });
          }
        };
        await Promise.all([writer(base + 1), writer(base + 2)]);
        writing = false;
        await Promise.all(readers);
        let stale = 0;
        for (let i = 0; i < CHECK_READS; i++) {
          const v = (await cache.get(key, load)) as Product;
          if (v.price_cents !== db.peek(id)!.price_cents) stale++;
        }
        run.checkReads += CHECK_READS;
        run.staleReads += stale;
        if (stale > 0) run.staleRounds++;
      }
      run.dbLoads = db.reads;
      runs[strategy] = run;
    }
    r.tables.push({
      title: `Part A: ${ROUNDS} rounds of two concurrent writers and ${READERS} readers; then ${CHECK_READS} reads once both writes are done`,
      columns: ['strategy', 'rounds left stale', 'stale reads after the writes', 'DB loads'],
      rows: (['update-in-place', 'write-then-delete'] as const).map((s) => [s, `${runs[s].staleRounds} of ${ROUNDS}`, `${runs[s].staleReads} of ${runs[s].checkReads}`, fmtInt(runs[s].dbLoads)]),
    });

    // Part B: the remaining race, forced.
    const cache = new CacheAside(client, { prefix: `${prefix}race:`, ttl: RACE_TTL_S });
    const id = 500;
    const key = `product:${id}`;
    const oldPrice = db.peek(id)!.price_cents;
    const t0 = Date.now();
    const events: Array<[number, string]> = [];
    const at = (what: string): void => { events.push([Date.now() - t0, what]); };
    const slowReader = cache.get(key, async () => {
      const row = await db.getProduct(id);
      at(`reader: SELECT returned price $${(row!.price_cents / 100).toFixed(2)}, then stalls 150 ms`);
      await sleep(150);
      return row;
    }).then(() => at('reader: SET the row it read (the old price)'));
    await sleep(20);
    await cache.write(key, () => db.updatePrice(id, oldPrice + 1000));
    at(`writer: UPDATE price to $${((oldPrice + 1000) / 100).toFixed(2)}, then DEL (nothing to delete yet)`);
    await slowReader;
    let staleUntil = -1;
    let freshAt = -1;
    const cachedAt = Date.now() - t0;
    while (Date.now() - t0 < cachedAt + RACE_TTL_S * 1000 + 500) {
      const v = (await cache.get(key, () => db.getProduct(id))) as Product;
      const t = Date.now() - t0;
      if (v.price_cents !== db.peek(id)!.price_cents) staleUntil = t;
      else if (freshAt < 0) { freshAt = t; at('a read finally gets the new price: the TTL expired the old row'); }
      if (freshAt >= 0) break;
      await sleep(50);
    }
    r.tables.push({ title: 'Part B: the race write-then-delete leaves (forced here)', columns: ['ms', 'event'], rows: events.map(([t, e]) => [t, e]) });
    const staleFor = staleUntil - cachedAt;
    r.notes.push(
      `Part B: the old price was still served ${staleFor} ms after the reader's SET, never later than the TTL (${RACE_TTL_S * 1000} ms); the first fresh read came at ${freshAt - cachedAt} ms.`,
      'The race needs a read that starts before a write and finishes its SET after the write\'s DEL, so it is rare;',
      'to close it, write versions and SET only if newer (a Lua script or WATCH), or use leases; keep TTLs short as the backstop.',
    );
    r.figures = { rounds: ROUNDS, updateInPlace: runs['update-in-place'], writeThenDelete: runs['write-then-delete'], remainingRace: { lastStaleReadMs: staleFor, firstFreshReadMs: freshAt - cachedAt, ttlMs: RACE_TTL_S * 1000 } };
    check(r, `update-in-place left stale values in ${runs['update-in-place'].staleRounds} of ${ROUNDS} rounds`, runs['update-in-place'].staleRounds > 0);
    check(r, `write-then-delete left stale values in ${runs['write-then-delete'].staleRounds} of ${ROUNDS} rounds`, runs['write-then-delete'].staleRounds === 0);
    check(r, `the remaining race: stale reads for ${staleFor} ms after the bad SET, within the ${RACE_TTL_S * 1000} ms TTL`, staleUntil >= 0 && freshAt > 0 && staleFor <= RACE_TTL_S * 1000);
  } finally {
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
