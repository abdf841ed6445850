/**
 * INFO: builds the report sections from the server's live state.
 *
 * Format (Redis's): each section is `# Name\r\n` followed by `field:value\r\n`
 * lines; sections are separated by one extra `\r\n`; no trailing blank line.
 * `INFO` / `INFO default` gives the default set, `all` adds commandstats,
 * `everything` is all of them. Names are case-insensitive; unknown ones add
 * nothing.
 *
 * Memory figures: used_memory is the deterministic account (server.ts
 * usedMemory: baseline + entries + client buffers, calibrated in keyspace.ts);
 * used_memory_rss is the process's real RSS and used_memory_heap V8's heap.
 */

import os from 'node:os';
import { BASELINE_BYTES, type Server } from './server.js';
import { CACHETTE_VERSION, REDIS_VERSION } from './version.js';
import { bytesToHuman } from './numbers.js';
import { lruClock } from './keyspace.js';

type Section = (s: Server) => string[];

function server(s: Server): string[] {
  const up = Math.floor((Date.now() - s.startTime) / 1000);
  return [
    `redis_version:${REDIS_VERSION}`,
    `cachette_version:${CACHETTE_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.arch()}`,
    'arch_bits:64',
    'multiplexing_api:libuv',
    `node_version:${process.version}`,
    `process_id:${process.pid}`,
    `run_id:${s.runId}`,
    `tcp_port:${s.port}`,
    `server_time_usec:${s.time.nowUs()}`,
    `uptime_in_seconds:${up}`,
    `uptime_in_days:${Math.floor(up / 86400)}`,
    `hz:${s.config.hz}`,
    `configured_hz:${s.config.hz}`,
    `lru_clock:${lruClock(s.clock())}`,
    `executable:${process.argv[1] ?? ''}`,
    'config_file:',
  ];
}

function clients(s: Server): string[] {
  return [
    `connected_clients:${s.clients.size}`,
    'cluster_connections:0',
    `maxclients:${s.config.maxclients}`,
    `blocked_clients:${s.blocking.count}`,
    'tracking_clients:0',
    `clients_in_timeout_table:${s.blocking.timeoutCount}`,
  ];
}

function memory(s: Server): string[] {
  const m = process.memoryUsage();
  s.refreshClientsBytes();
  const used = s.usedMemory();
  const max = s.config.maxmemory;
  const dataset = s.datasetBytes();
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${s.peakMemory}`,
    `used_memory_peak_human:${bytesToHuman(s.peakMemory)}`,
    `used_memory_startup:${BASELINE_BYTES}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${used === 0 ? '0.00' : ((dataset * 100) / used).toFixed(2)}%`,
    `used_memory_heap:${m.heapUsed}`,
    `total_system_memory:${os.totalmem()}`,
    `total_system_memory_human:${bytesToHuman(os.totalmem())}`,
    `maxmemory:${max}`,
    `maxmemory_human:${bytesToHuman(max)}`,
    `maxmemory_policy:${s.config['maxmemory-policy']}`,
    `mem_fragmentation_ratio:${(m.rss / Math.max(1, used)).toFixed(2)}`,
    `mem_clients_normal:${s.clientsBytes}`,
    `mem_allocator:v8-${process.versions.v8}`,
  ];
}

function persistence(): string[] {
  return ['loading:0', 'async_loading:0', 'rdb_changes_since_last_save:0', 'rdb_bgsave_in_progress:0', 'aof_enabled:0', 'aof_rewrite_in_progress:0'];
}

function stats(s: Server): string[] {
  const st = s.stats;
  return [
    `total_connections_received:${st.totalConnectionsReceived}`,
    `total_commands_processed:${st.totalCommandsProcessed}`,
    `instantaneous_ops_per_sec:${st.instantaneousOps()}`,
    `rejected_connections:${st.rejectedConnections}`,
    `expired_keys:${st.expiredKeys}`,
    `expired_stale_perc:${(s.expiry.stalePerc * 100).toFixed(2)}`,
    `expired_time_cap_reached_count:${s.expiry.timeCapReachedCount}`,
    `expire_cycle_cpu_milliseconds:${Math.floor(s.expiry.cycleTimeUsedUs / 1000)}`,
    `evicted_keys:${st.evictedKeys}`,
    `total_eviction_exceeded_time:${s.evictor.totalExceededMs}`,
    `current_eviction_exceeded_time:${s.evictor.currentExceededMs()}`,
    `keyspace_hits:${st.keyspaceHits}`,
    `keyspace_misses:${st.keyspaceMisses}`,
    `pubsub_channels:${s.pubsub.channels.size}`,
    `pubsub_patterns:${s.pubsub.patterns.size}`,
    `pubsubshard_channels:${s.pubsub.shardChannels.size}`,
    'unexpected_error_replies:0',
    `total_error_replies:${st.totalErrorReplies}`,
  ];
}

function replication(s: Server): string[] {
  return ['role:master', 'connected_slaves:0', `master_replid:${s.runId}`, 'master_repl_offset:0'];
}

function cpu(): string[] {
  const u = process.cpuUsage();
  return [`used_cpu_sys:${(u.system / 1e6).toFixed(6)}`, `used_cpu_user:${(u.user / 1e6).toFixed(6)}`];
}

function errorstats(s: Server): string[] {
  const out: string[] = [];
  // Redis keeps these in a radix tree, so they come out sorted by name.
  const codes = [...s.stats.errorCounts.keys()].sort();
  for (const code of codes) out.push(`errorstat_${code}:count=${s.stats.errorCounts.get(code)!}`);
  return out;
}

function cluster(): string[] {
  return ['cluster_enabled:0'];
}

function keyspace(s: Server): string[] {
  const out: string[] = [];
  for (const db of s.dbs) {
    if (db.size === 0 && db.ttlCount === 0) continue;
    out.push(`db${db.id}:keys=${db.size},expires=${db.ttlCount},avg_ttl=${db.avgTtl}`);
  }
  return out;
}

function commandstats(s: Server): string[] {
  const out: string[] = [];
  for (const c of s.commands.each()) {
    const st = c.stats;
    if (st.calls === 0 && st.rejectedCalls === 0 && st.failedCalls === 0) continue;
    const usec = Math.round(st.usec);
    const per = st.calls === 0 ? 0 : st.usec / st.calls;
    out.push(`cmdstat_${c.name}:calls=${st.calls},usec=${usec},usec_per_call=${per.toFixed(2)},rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`);
  }
  return out;
}

const SECTIONS: Array<[string, string, Section]> = [
  ['server', 'Server', server],
  ['clients', 'Clients', clients],
  ['memory', 'Memory', memory],
  ['persistence', 'Persistence', persistence],
  ['stats', 'Stats', stats],
  ['replication', 'Replication', replication],
  ['cpu', 'CPU', cpu],
  ['modules', 'Modules', () => []],
  ['commandstats', 'Commandstats', commandstats],
  ['errorstats', 'Errorstats', errorstats],
  ['cluster', 'Cluster', cluster],
  ['keyspace', 'Keyspace', keyspace],
];
const DEFAULT = new Set(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']);

/** The INFO body for the given section arguments (empty = default). */
export function infoText(s: Server, args: string[]): string {
  const want = new Set<string>();
  if (args.length === 0) for (const d of DEFAULT) want.add(d);
  for (const a of args) {
    const n = a.toLowerCase();
    if (n === 'default') for (const d of DEFAULT) want.add(d);
    else if (n === 'all' || n === 'everything') for (const [k] of SECTIONS) want.add(k);
    else want.add(n);
  }
  const parts: string[] = [];
  for (const [key, title, fn] of SECTIONS) {
    if (!want.has(key)) continue;
    const lines = fn(s);
    parts.push(`# ${title}\r\n` + lines.map((l) => l + '\r\n').join(''));
  }
  return parts.join('\r\n');
}
