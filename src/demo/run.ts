/**
 * `cachette demo`: runs the cache-aside scenarios against an embedded
 * cachette (or any Redis with --url) and prints a report, or JSON.
 *
 * Each scenario lives in scenarios/<name>.ts, opens its own database and
 * clients, uses its own key prefix (cachette-demo:N:), and deletes its keys
 * when it ends, so the demo can run against a shared server.
 */

import { watchScenario } from './scenarios/watch.js';
import { DemoContext, type DemoOptions } from './context.js';
import { renderResult, type ScenarioResult } from './report.js';
import { hitsScenario } from './scenarios/hits.js';
import { ttlScenario } from './scenarios/ttl.js';
import { stampedeScenario } from './scenarios/stampede.js';
import { jitterScenario } from './scenarios/jitter.js';
import { invalidationScenario } from './scenarios/invalidation.js';
import { outageScenario } from './scenarios/outage.js';
import { evictionScenario } from './scenarios/eviction.js';

export const SCENARIOS: Array<(ctx: DemoContext) => Promise<ScenarioResult>> = [
  hitsScenario, ttlScenario, stampedeScenario, jitterScenario, invalidationScenario, outageScenario, evictionScenario, watchScenario,
];

/**
 * Scenarios that need one server: 6 cuts and hangs the link at a TCP proxy (a Cluster client
 * would find the nodes behind it), 7 sets one server's maxmemory, 8 watches one server's events.
 */
export const SINGLE_SERVER_SCENARIOS = [6, 7, 8];

export interface RunOptions extends DemoOptions {
  /** Run only this scenario (1-based). */
  scenario?: number;
  /** Called with each scenario's printed report as it finishes. */
  print?: (text: string) => void;
}

export interface DemoReport {
  server: string;
  database: string;
  scenarios: ScenarioResult[];
  /** True when every claim checked out. */
  ok: boolean;
  elapsedMs: number;
}

export async function runDemo(options: RunOptions = {}): Promise<DemoReport> {
  if (options.scenario !== undefined && !(options.scenario >= 1 && options.scenario <= SCENARIOS.length)) {
    throw new RangeError(`--scenario must be 1..${SCENARIOS.length}`);
  }
  const started = Date.now();
  const ctx = await DemoContext.create(options);
  const print = options.print ?? (() => {});
  try {
    const server = await ctx.describe();
    const database = `SQLite ${'(sql.js, WebAssembly)'}, 10,000 products, ${ctx.dbLatencyMs} ms per query unless a scenario says otherwise`;
    print(`cachette demo: cache-aside with a real client (ioredis) and a real database\n  cache:    ${server}\n  database: ${database}`);
    if (ctx.clusterMasters > 0) {
      if (options.scenario !== undefined && SINGLE_SERVER_SCENARIOS.includes(options.scenario)) {
        throw new RangeError(`scenario ${options.scenario} needs a single server (scenarios ${SINGLE_SERVER_SCENARIOS.join(', ')} stop or hang the link, set maxmemory, or watch one server's events); against a cluster run scenarios 1 to 5`);
      }
      print(`  note: a Redis Cluster: scenarios 1 to 5 run through ioredis Cluster; ${SINGLE_SERVER_SCENARIOS.join(', ')} need a single server and are not run.`);
    } else if (!ctx.isEmbedded) print('  note: scenarios 7 and 8 set maxmemory and allkeys-lru on this server for a few seconds (then restore them); other keys there may be evicted. Scenario 8 also sets notify-keyspace-events (restored).');
    const scenarios: ScenarioResult[] = [];
    for (let i = 0; i < SCENARIOS.length; i++) {
      if (options.scenario !== undefined && options.scenario !== i + 1) continue;
      if (ctx.clusterMasters > 0 && SINGLE_SERVER_SCENARIOS.includes(i + 1)) continue;
      const result = await SCENARIOS[i]!(ctx);
      scenarios.push(result);
      print(renderResult(result));
    }
    const ok = scenarios.every((s) => s.checks.every((c) => c.ok));
    const elapsedMs = Date.now() - started;
    print(`\n${ok ? 'Every claim checked out' : 'SOME CLAIMS FAILED (marked ✗)'} in ${(elapsedMs / 1000).toFixed(1)} s.`);
    return { server, database, scenarios, ok, elapsedMs };
  } finally {
    await ctx.close();
  }
}
