/**
 * Scenario 8, watch expiry and eviction happen: a subscriber listens to the
 * keyspace notifications `__keyevent@0__:expired` and `__keyevent@0__:evicted`
 * while the cache does its work, and the report is the timeline it saw.
 *
 *  1. Twenty products are cached with TTLs from 300 to 1,250 ms, and nobody
 *     reads them again: each `expired` event comes from the server's active
 *     expiry (it samples keys with a TTL hz times a second), shortly after
 *     the key's TTL.
 *  2. maxmemory is lowered to leave room for a few dozen products and 300
 *     more are cached: each `evicted` event is a key allkeys-lru pushed out.
 *
 * notify-keyspace-events, maxmemory and the policy are restored at the end.
 */

import { Redis } from 'ioredis';
import type { DemoContext } from '../context.js';
import { sleep } from '../db.js';
import { check, newResult, type ScenarioResult } from '../report.js';

const TTL_KEYS = 20;
const FILL_KEYS = 300;

export async function watchScenario(ctx: DemoContext): Promise<ScenarioResult> {
  const r = newResult(8, 'Watch expiry and eviction happen', 'Keyspace notifications (notify-keyspace-events Exe) let a subscriber see each key the server expires or evicts, as it happens.');
  const prefix = 'cachette-demo:8:';
  const db = await ctx.openDb({ latencyMs: 0, poolSize: Infinity });
  const client = await ctx.client();
  const sub = new Redis(ctx.port, ctx.host, { maxRetriesPerRequest: 1 });
  sub.on('error', () => {});
  const [, oldEvents] = (await ctx.admin.config('GET', 'notify-keyspace-events')) as [string, string];
  const [, oldMaxmemory] = (await ctx.admin.config('GET', 'maxmemory')) as [string, string];
  const [, oldPolicy] = (await ctx.admin.config('GET', 'maxmemory-policy')) as [string, string];
  const events: Array<{ at: number; kind: string; key: string }> = [];
  let t0 = Date.now();
  let allEvicted = 0;
  try {
    await ctx.admin.config('SET', 'notify-keyspace-events', 'Exe');
    sub.on('message', (channel: string, key: string) => {
      if (channel.endsWith(':evicted')) allEvicted++;
      if (!key.startsWith(prefix)) return; // a shared server may expire or evict other keys too
      events.push({ at: Date.now() - t0, kind: channel.endsWith(':expired') ? 'expired' : 'evicted', key: key.slice(prefix.length) });
    });
    await sub.subscribe('__keyevent@0__:expired', '__keyevent@0__:evicted');

    // 1. Expiry: cache with staggered TTLs, then leave the keys alone.
    const ttls = new Map<string, number>();
    t0 = Date.now();
    for (let i = 0; i < TTL_KEYS; i++) {
      const id = i + 1;
      const ttl = 300 + i * 50;
      const p = await db.getProduct(id);
      await client.set(`${prefix}product:${id}`, JSON.stringify(p), 'PX', ttl);
      ttls.set(`product:${id}`, ttl);
    }
    for (let i = 0; i < 40 && events.filter((e) => e.kind === 'expired').length < TTL_KEYS; i++) await sleep(50);
    const expired = events.filter((e) => e.kind === 'expired');
    const lags = expired.map((e) => e.at - ttls.get(e.key)!);
    r.tables.push({
      title: `expired events as they arrived (TTL set at 0 ms; nobody read the keys)`,
      columns: ['arrived', 'key', 'TTL', 'after its TTL'],
      rows: expired.slice(0, 12).map((e) => [`${e.at} ms`, e.key, `${ttls.get(e.key)} ms`, `+${e.at - ttls.get(e.key)!} ms`]),
    });
    if (expired.length > 12) r.notes.push(`… and ${expired.length - 12} more expired events.`);
    const buckets = new Map<number, number>();
    for (const e of expired) buckets.set(Math.floor(e.at / 250), (buckets.get(Math.floor(e.at / 250)) ?? 0) + 1);
    r.charts.push({ title: 'expired events per 250 ms', bars: [...Array(8).keys()].map((b) => [`${b * 250}–${b * 250 + 250} ms`, buckets.get(b) ?? 0]) });

    // 2. Eviction: room for a few dozen products, then cache many more.
    const baseline = await ctx.infoNumber('memory', 'used_memory');
    const evicted0 = await ctx.infoNumber('stats', 'evicted_keys');
    await ctx.admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await ctx.admin.config('SET', 'maxmemory', String(baseline + 32 * 1024));
    t0 = Date.now();
    for (let i = 0; i < FILL_KEYS; i++) {
      const id = 100 + i;
      const p = await db.getProduct(id);
      await client.set(`${prefix}product:${id}`, JSON.stringify(p) + ' '.repeat(512));
    }
    await sleep(100);
    const evictedEvents = events.filter((e) => e.kind === 'evicted');
    const evictedAll = allEvicted;
    const evictedStat = (await ctx.infoNumber('stats', 'evicted_keys')) - evicted0;
    r.tables.push({
      title: `evicted events (maxmemory = used_memory + 32 KiB, allkeys-lru, ${FILL_KEYS} products of ~0.7 KB cached)`,
      columns: ['first evicted', 'last evicted', 'evicted events (demo keys)', 'evicted events (all)', 'INFO evicted_keys delta'],
      rows: [[evictedEvents[0]?.key ?? '-', evictedEvents.at(-1)?.key ?? '-', evictedEvents.length, evictedAll, evictedStat]],
    });
    r.figures = { expiredEvents: expired.length, maxLagMs: Math.max(...lags), minLagMs: Math.min(...lags), evictedEvents: evictedAll, evictedKeys: evictedStat };
    check(r, `every untouched key announced its expiry: ${expired.length} of ${TTL_KEYS} expired events`, expired.length === TTL_KEYS && new Set(expired.map((e) => e.key)).size === TTL_KEYS);
    check(r, `each expired event came after its TTL and within 1 s of it (lag ${Math.min(...lags)}..${Math.max(...lags)} ms)`, lags.every((l) => l >= 0 && l < 1000));
    check(r, `one evicted event per evicted key: ${evictedAll} events, evicted_keys +${evictedStat}`, evictedEvents.length > 0 && evictedAll === evictedStat);
    r.notes.push('expired comes from active expiry here: Redis (and cachette) sample keys with a TTL hz (10) times a second, so an untouched key goes within about 100 ms of its TTL, not at the exact millisecond.');
  } finally {
    await ctx.admin.config('SET', 'maxmemory', oldMaxmemory);
    await ctx.admin.config('SET', 'maxmemory-policy', oldPolicy);
    await ctx.admin.config('SET', 'notify-keyspace-events', oldEvents);
    sub.disconnect();
    ctx.closeClient(client);
    db.close();
    await ctx.cleanup(prefix);
  }
  return r;
}
