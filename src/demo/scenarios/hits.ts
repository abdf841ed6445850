/**
 * Scenario 1, hit and miss accounting: four reads of two keys make two
 * database loads; a write through write-then-delete invalidates, and the
 * next read reloads, for three.
 */

import { CacheAside } from '../../cache-aside/cache-aside.js';
import type { DemoContext } from '../context.js';
import { check, newResult, type ScenarioResult } from '../report.js';

export async function hitsScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(1, 'Hit and miss accounting', 'A hit never touches the database; a write deletes the key, so the next read reloads fresh data.');
  const prefix = 'cachette-demo:1:';
  const db = await ctx.openDb();
  const client = await ctx.client();
  const cache = new CacheAside(client, { prefix, ttl: 60 });
  const rows: Array<Array<string | number>> = [];
  let before = cache.stats();
  const step = async (label: string, op: () => Promise<unknown>, show: (v: unknown) => string): Promise<void> => {
    const v = await op();
    const s = cache.stats();
    const outcome = s.hits > before.hits ? 'hit' : s.misses > before.misses ? 'miss' : s.invalidations > before.invalidations ? 'DEL' : '';
    before = s;
    rows.push([rows.length + 1, label, outcome, show(v), db.reads, db.writes]);
  };
  const read = (id: number) => cache.get(`product:${id}`, () => db.getProduct(id));
  const price = (v: unknown): string => `$${((v as { price_cents: number }).price_cents / 100).toFixed(2)}`;
  try {
    await step('read product:1', () => read(1), price);
    await step('read product:1', () => read(1), price);
    await step('read product:2', () => read(2), price);
    await step('read product:2', () => read(2), price);
    const loadsAfterReads = db.reads;
    const newPrice = db.peek(1)!.price_cents + 100;
    await step('write product:1 (UPDATE, then DEL)', () => cache.write('product:1', () => db.updatePrice(1, newPrice)), price);
    await step('read product:1', () => read(1), price);
    await step('read product:1', () => read(1), price);
    const loadsAfterWrite = db.reads;
    const served = (await read(1)) as { price_cents: number };

    r.tables.push({ title: 'Each step, with the database\'s own query counters', columns: ['step', 'operation', 'cache', 'value', 'DB loads', 'DB writes'], rows });
    r.figures = { loadsAfterFourReads: loadsAfterReads, loadsAfterWriteAndRead: loadsAfterWrite, dbWrites: db.writes, servedPriceCents: served.price_cents, dbPriceCents: newPrice };
    check(r, `4 reads of 2 keys → ${loadsAfterReads} DB loads (expected 2)`, loadsAfterReads === 2);
    check(r, `write, then reads of the written key → ${loadsAfterWrite} DB loads in all (expected 3)`, loadsAfterWrite === 3);
    check(r, 'the read after the write serves the new price', served.price_cents === newPrice);
  } finally {
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
