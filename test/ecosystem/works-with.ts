/**
 * The README's "Works with" table, as data: one row per library flow in
 * test/ecosystem/ (the file that proves it), the packages whose installed
 * versions the row names, and what the flow does. `worksWithTable()` renders
 * the Markdown the README must contain; works-with.test.ts checks that the
 * README shows exactly it, that every named package is a devDependency at
 * the installed version, and that every flow file has a row.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Row {
  /** The flow's test file, under test/ecosystem/. */
  file: string;
  /** The packages the flow exercises; the first is the library the row is about. */
  packages: string[];
  what: string;
  /** How the README names the library, when not by its package name. */
  label?: string;
}

export const ROWS: Row[] = [
  { file: 'bullmq.test.ts', packages: ['bullmq'], what: 'Queue, Worker (concurrency 8) and QueueEvents: 200 jobs, a delayed job, a retry after one failure (attempts, backoff), a final failure, a FlowProducer parent with two children, a job scheduler, getJobCounts, obliterate' },
  { file: 'bull.test.ts', packages: ['bull'], what: '50 jobs with `global:completed` events, a delayed job, a retry, a failure, a repeatable job, getJobCounts, obliterate' },
  { file: 'rate-limiter-flexible.test.ts', packages: ['rate-limiter-flexible'], what: '`RateLimiterRedis` on ioredis: exact allowed/rejected counts, `msBeforeNext`, penalty/reward, `block`, `get`, `delete`' },
  { file: 'rate-limit-redis.test.ts', packages: ['rate-limit-redis', 'express-rate-limit', 'express'], what: 'exact 200/429 counts over HTTP, one budget shared by two app instances, `resetKey`' },
  { file: 'redlock.test.ts', packages: ['redlock'], what: 'acquire, contention (retries, then refusal), extend, release, multi-resource locks, `using`' },
  { file: 'connect-redis.test.ts', packages: ['connect-redis', 'express-session'], what: 'login over HTTP, the session read back with the cookie, touch resetting the TTL, listing, expiry, destroy, `clear`' },
  { file: 'socket-io.test.ts', packages: ['@socket.io/redis-adapter', 'socket.io', 'socket.io-client'], what: 'two socket.io servers: broadcasts, room broadcasts, `fetchSockets` and `serverSideEmit` across them, with the classic adapter (PUBLISH) and the sharded one (SPUBLISH)' },
  { file: 'keyv-cache-manager.test.ts', packages: ['@keyv/redis', 'keyv', 'cache-manager'], what: 'set/get/TTL/has/delete, `setMany`/`getMany`, namespace-scoped `clear`; cache-manager `mset`/`mget`/`ttl`/`del`/`clear`, `wrap` calling its function once' },
  { file: 'ioredis-tour.test.ts', packages: ['ioredis'], what: 'RESP2 and RESP3: pipelines, MULTI/EXEC, WATCH, hashes, lists (BLPOP), sets, sorted sets, Lua (`defineCommand`, eval), streams with a consumer group, pub/sub, scan streams' },
  { file: 'node-redis-tour.test.ts', packages: ['redis'], label: 'node-redis (`redis`)', what: 'RESP2 and RESP3: pipelines, MULTI/EXEC, WATCH, hashes, lists (blPop), sets, sorted sets, Lua (`scripts`, eval), streams with a consumer group, pub/sub, scan iterators' },
];

/** The version of `pkg` installed in node_modules. */
export function installedVersion(pkg: string): string {
  const v = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return v.replace(/^v/, ''); // redlock's beta writes its version as v5.0.0-beta.2
}

/** The README table, rendered from ROWS and the installed versions. */
export function worksWithTable(): string {
  const lines = [
    '| Library | Tested version | What the test does | Result |',
    '|---|---|---|---|',
  ];
  for (const r of ROWS) {
    const [main, ...rest] = r.packages;
    const also = rest.length > 0 ? ` (with ${rest.map((p) => `${p} ${installedVersion(p)}`).join(', ')})` : '';
    lines.push(`| ${r.label ?? main} | ${installedVersion(main!)}${also} | ${r.what} | passes on cachette and on Redis 7.0 ([test](test/ecosystem/${r.file})) |`);
  }
  return lines.join('\n') + '\n';
}
