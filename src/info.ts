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

import { createHash } from 'node:crypto';
import os from 'node:os';
import { BASELINE_BYTES, Stats, type Server } from './server.js';
import { percentilesText } from './latency.js';
import { CACHETTE_VERSION, REDIS_VERSION } from './version.js';
import { bytesToHuman } from './numbers.js';
import { lruClock } from './keyspace.js';

type Section = (s: Server) => string[];

/** A stable build id for this cachette version (Redis prints its build's hash). */
const BUILD_ID = createHash('sha1').update(`cachette-${CACHETTE_VERSION}`).digest('hex').slice(0, 15);

function server(s: Server): string[] {
  const up = Math.floor((Date.now() - s.startTime) / 1000);
  return [
    `redis_version:${REDIS_VERSION}`,
    `cachette_version:${CACHETTE_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    `redis_build_id:${BUILD_ID}`,
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.arch()}`,
    'arch_bits:64',
    // performance.now(), which libuv takes from clock_gettime(CLOCK_MONOTONIC).
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:libuv',
    `node_version:${process.version}`,
    `process_id:${process.pid}`,
    'process_supervised:no',
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
    'io_threads_active:0',
  ];
}

function clients(s: Server): string[] {
  // Redis keeps the largest buffers of the last few seconds; cachette reports the largest now.
  let maxIn = 0;
  let maxOut = 0;
  for (const c of s.clients.values()) {
    maxIn = Math.max(maxIn, c.reader.queryBufferLength);
    maxOut = Math.max(maxOut, c.w.pending);
  }
  return [
    `connected_clients:${s.clients.size}`,
    'cluster_connections:0',
    `maxclients:${s.config.maxclients}`,
    `client_recent_max_input_buffer:${maxIn}`,
    `client_recent_max_output_buffer:${maxOut}`,
    `blocked_clients:${s.blocking.count}`,
    'tracking_clients:0',
    `clients_in_timeout_table:${s.blocking.timeoutCount}`,
  ];
}

const ratio = (a: number, b: number): string => (b === 0 ? '0.00' : (a / b).toFixed(2));

/** The scripting lines of INFO memory (Redis 7.0's order). The Lua figures are each state's heap. */
function scriptingMemory(s: Server): string[] {
  const eng = s.scripting;
  const luaEval = eng.luaMemory();
  const fn = s.functions;
  const luaFn = fn.vmMemory();
  const scriptsEval = eng.scriptsMemory();
  const fnMem = fn.memory();
  return [
    `used_memory_lua:${luaEval}`,
    `used_memory_vm_eval:${luaEval}`,
    `used_memory_lua_human:${bytesToHuman(luaEval)}`,
    `used_memory_scripts_eval:${scriptsEval}`,
    `number_of_cached_scripts:${eng.scripts.size}`,
    `number_of_functions:${fn.functionCount()}`,
    `number_of_libraries:${fn.libraries.size}`,
    `used_memory_vm_functions:${luaFn}`,
    `used_memory_vm_total:${luaEval + luaFn}`,
    `used_memory_vm_total_human:${bytesToHuman(luaEval + luaFn)}`,
    `used_memory_functions:${fnMem}`,
    `used_memory_scripts:${scriptsEval + fnMem}`,
    `used_memory_scripts_human:${bytesToHuman(scriptsEval + fnMem)}`,
  ];
}

function memory(s: Server): string[] {
  const m = process.memoryUsage();
  s.refreshClientsBytes();
  const used = s.usedMemory();
  const max = s.config.maxmemory;
  const dataset = s.datasetBytes();
  const peak = s.peakMemory;
  // The allocator is V8's heap: allocated = heap used, active = heap reserved, resident = RSS.
  const allocated = m.heapUsed;
  const active = m.heapTotal;
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${peak}`,
    `used_memory_peak_human:${bytesToHuman(peak)}`,
    `used_memory_peak_perc:${peak === 0 ? '0.00' : ((used * 100) / peak).toFixed(2)}%`,
    `used_memory_overhead:${used - dataset}`,
    `used_memory_startup:${BASELINE_BYTES}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${used === 0 ? '0.00' : ((dataset * 100) / used).toFixed(2)}%`,
    `allocator_allocated:${allocated}`,
    `allocator_active:${active}`,
    `allocator_resident:${m.rss}`,
    `used_memory_heap:${m.heapUsed}`,
    `total_system_memory:${os.totalmem()}`,
    `total_system_memory_human:${bytesToHuman(os.totalmem())}`,
    ...scriptingMemory(s),
    `maxmemory:${max}`,
    `maxmemory_human:${bytesToHuman(max)}`,
    `maxmemory_policy:${s.config['maxmemory-policy']}`,
    `allocator_frag_ratio:${ratio(active, allocated)}`,
    `allocator_frag_bytes:${active - allocated}`,
    `allocator_rss_ratio:${ratio(m.rss, active)}`,
    `allocator_rss_bytes:${m.rss - active}`,
    'rss_overhead_ratio:1.00',
    'rss_overhead_bytes:0',
    `mem_fragmentation_ratio:${(m.rss / Math.max(1, used)).toFixed(2)}`,
    `mem_fragmentation_bytes:${m.rss - used}`,
    'mem_not_counted_for_evict:0',
    'mem_replication_backlog:0',
    'mem_total_replication_buffers:0',
    'mem_clients_slaves:0',
    `mem_clients_normal:${s.clientsBytes}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    `mem_allocator:v8-${process.versions.v8}`,
    'active_defrag_running:0',
    // Values are freed at once (UNLINK, FLUSHALL ASYNC included): nothing is pending.
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ];
}

function persistence(s: Server): string[] {
  // No persistence (README): nothing is ever saved, rewritten or forked.
  return [
    'loading:0', 'async_loading:0', 'current_cow_peak:0', 'current_cow_size:0', 'current_cow_size_age:0', 'current_fork_perc:0.00',
    'current_save_keys_processed:0', 'current_save_keys_total:0', 'rdb_changes_since_last_save:0', 'rdb_bgsave_in_progress:0',
    `rdb_last_save_time:${Math.floor(s.startTime / 1000)}`, 'rdb_last_bgsave_status:ok', 'rdb_last_bgsave_time_sec:-1',
    'rdb_current_bgsave_time_sec:-1', 'rdb_saves:0', 'rdb_last_cow_size:0', 'rdb_last_load_keys_expired:0', 'rdb_last_load_keys_loaded:0',
    'aof_enabled:0', 'aof_rewrite_in_progress:0', 'aof_rewrite_scheduled:0', 'aof_last_rewrite_time_sec:-1', 'aof_current_rewrite_time_sec:-1',
    'aof_last_bgrewrite_status:ok', 'aof_rewrites:0', 'aof_rewrites_consecutive_failures:0', 'aof_last_write_status:ok', 'aof_last_cow_size:0',
    'module_fork_in_progress:0', 'module_fork_last_cow_size:0',
  ];
}

function stats(s: Server): string[] {
  const st = s.stats;
  return [
    `total_connections_received:${st.totalConnectionsReceived}`,
    `total_commands_processed:${st.totalCommandsProcessed}`,
    `instantaneous_ops_per_sec:${st.instantaneousOps()}`,
    `total_net_input_bytes:${st.netInputBytes}`,
    `total_net_output_bytes:${st.netOutputBytes}`,
    'total_net_repl_input_bytes:0',
    'total_net_repl_output_bytes:0',
    `instantaneous_input_kbps:${Stats.mean(st.inSamples).toFixed(2)}`,
    `instantaneous_output_kbps:${Stats.mean(st.outSamples).toFixed(2)}`,
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${st.rejectedConnections}`,
    'sync_full:0',
    'sync_partial_ok:0',
    'sync_partial_err:0',
    `expired_keys:${st.expiredKeys}`,
    `expired_stale_perc:${(s.expiry.stalePerc * 100).toFixed(2)}`,
    `expired_time_cap_reached_count:${s.expiry.timeCapReachedCount}`,
    `expire_cycle_cpu_milliseconds:${Math.floor(s.expiry.cycleTimeUsedUs / 1000)}`,
    `evicted_keys:${st.evictedKeys}`,
    'evicted_clients:0',
    `total_eviction_exceeded_time:${s.evictor.totalExceededMs}`,
    `current_eviction_exceeded_time:${s.evictor.currentExceededMs()}`,
    `keyspace_hits:${st.keyspaceHits}`,
    `keyspace_misses:${st.keyspaceMisses}`,
    `pubsub_channels:${s.pubsub.channels.size}`,
    `pubsub_patterns:${s.pubsub.patterns.size}`,
    `pubsubshard_channels:${s.pubsub.shardChannels.size}`,
    'latest_fork_usec:0',
    'total_forks:0',
    'migrate_cached_sockets:0',
    'slave_expires_tracked_keys:0',
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    'tracking_total_keys:0',
    'tracking_total_items:0',
    'tracking_total_prefixes:0',
    'unexpected_error_replies:0',
    `total_error_replies:${st.totalErrorReplies}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${st.readsProcessed}`,
    `total_writes_processed:${st.writesProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  ];
}

function replication(s: Server): string[] {
  return [
    'role:master', 'connected_slaves:0', 'master_failover_state:no-failover', `master_replid:${s.runId}`,
    'master_replid2:0000000000000000000000000000000000000000', 'master_repl_offset:0', 'second_repl_offset:-1',
    'repl_backlog_active:0', 'repl_backlog_size:1048576', 'repl_backlog_first_byte_offset:0', 'repl_backlog_histlen:0',
  ];
}

function cpu(): string[] {
  // The server runs on the main thread; process.cpuUsage() is its figure.
  const u = process.cpuUsage();
  const t = u;
  return [
    `used_cpu_sys:${(u.system / 1e6).toFixed(6)}`,
    `used_cpu_user:${(u.user / 1e6).toFixed(6)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${(t.system / 1e6).toFixed(6)}`,
    `used_cpu_user_main_thread:${(t.user / 1e6).toFixed(6)}`,
  ];
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

function latencystats(s: Server): string[] {
  const out: string[] = [];
  for (const c of s.commands.each()) {
    if (c.stats.latency !== null) out.push(`latency_percentiles_usec_${c.name}:${percentilesText(c.stats.latency)}`);
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
  ['latencystats', 'Latencystats', latencystats],
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
