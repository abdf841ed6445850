/**
 * The server: owns the listening socket, the set of clients, the databases,
 * the configuration, the statistics and the logger. One Server is fully
 * self-contained, so many can run in one process without sharing state.
 *
 * The cron (serverCron in Redis) runs hz times a second (re-armed each tick,
 * so CONFIG SET hz acts at once). Each tick runs a slow active-expire cycle
 * (expiry.ts) and, every 100 ms, samples the commands-per-second figure INFO
 * reports as instantaneous_ops_per_sec (a ring of 16 samples, as Redis does).
 * A cycle that stops on its time budget schedules fast cycles, which Redis
 * runs from beforeSleep, until one finishes in time.
 */

import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Clock, type ClockMode } from './clock.js';
import { Faults } from './faults.js';
import { Notifier, parseNotifyFlags } from './notify.js';
import { PubSub } from './pubsub.js';
import { seededRandom } from './random.js';
import { hashSeedOf } from './hashindex.js';
import { buildConfig, obufLimits, type Config, type ObufLimit } from './config.js';
import { Db, type AccessPolicy, type KeyspaceStats } from './keyspace.js';
import { Client } from './connection.js';
import { CommandTable } from './commands/table.js';
import { registerAll } from './commands/index.js';
import { ActiveExpiry, CYCLE_FAST, CYCLE_SLOW } from './expiry.js';
import { Evictor } from './evict.js';
import { DENIED_RESP, MAX_CLIENTS_RESP } from './errors.js';
import { discardTransaction } from './multi.js';
import { Blocking } from './blocking.js';
import { Scripting } from './scripting.js';
import { Functions } from './functions.js';
import { loadLua } from './lua/vm.js';

/**
 * A server's own heap before any data: measured as the heap growth per idle
 * Server (command table, 16 databases' initial arrays, config), ~36 KB.
 * used_memory = this + every database's entry account + client buffers.
 */
export const BASELINE_BYTES = 36 * 1024;

export { REDIS_VERSION, CACHETTE_VERSION } from './version.js';

const LEVELS = { debug: 0, verbose: 1, notice: 2, warning: 3 } as const;
const LEVEL_MARK = ['.', '-', '*', '#'];

/** Server-wide counters (INFO stats); CONFIG RESETSTAT zeroes them. */
export class Stats implements KeyspaceStats {
  totalCommandsProcessed = 0;
  totalConnectionsReceived = 0;
  rejectedConnections = 0;
  /** Clients closed for going over client-output-buffer-limit. */
  obufDisconnections = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  totalErrorReplies = 0;
  errorCounts = new Map<string, number>();
  /** Bytes read from and handed to client sockets, and the reads and writes that moved them. */
  netInputBytes = 0;
  netOutputBytes = 0;
  readsProcessed = 0;
  writesProcessed = 0;
  opsSamples = new Array<number>(16).fill(0);
  /** Input and output rates (kbps) sampled with the ops rate. */
  inSamples = new Array<number>(16).fill(0);
  outSamples = new Array<number>(16).fill(0);
  opsIdx = 0;
  lastSampleTime = Date.now();
  lastSampleCount = 0;
  lastSampleIn = 0;
  lastSampleOut = 0;

  /** Counts an error reply under its first word (errorstat_ERR, errorstat_WRONGTYPE...). */
  countError(msg: string): void {
    this.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp === -1 ? msg : msg.slice(0, sp);
    this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
  }

  reset(): void {
    this.totalCommandsProcessed = 0;
    this.totalConnectionsReceived = 0;
    this.rejectedConnections = 0;
    this.obufDisconnections = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.totalErrorReplies = 0;
    this.errorCounts.clear();
    this.netInputBytes = this.netOutputBytes = this.readsProcessed = this.writesProcessed = 0;
    this.opsSamples.fill(0);
    this.inSamples.fill(0);
    this.outSamples.fill(0);
    this.lastSampleCount = this.lastSampleIn = this.lastSampleOut = 0;
  }

  instantaneousOps(): number {
    let sum = 0;
    for (const s of this.opsSamples) sum += s;
    return Math.floor(sum / this.opsSamples.length);
  }

  /** The mean of a rate's samples (INFO instantaneous_input_kbps / _output_kbps). */
  static mean(samples: number[]): number {
    let sum = 0;
    for (const s of samples) sum += s;
    return sum / samples.length;
  }
}

export interface ServerOptions {
  /** Any config parameter by its redis.conf name ('maxmemory', 'maxmemory-policy', ...). */
  [param: string]: unknown;
  /** Where log lines go; default: process.stdout. */
  logger?: (line: string) => void;
  /**
   * The clock (clock.ts): 'system' (default), 'manual' (frozen until
   * advanced), or a custom time source in ms.
   */
  clock?: ClockMode | (() => number);
  /** Start time of a manual clock, epoch ms (default: now). */
  clockStart?: number;
  /** Seeds the random sampling of eviction, LFU and RANDOMKEY, so runs repeat exactly. */
  seed?: number;
}

export class Server {
  readonly config: Config;
  readonly dbs: Db[];
  readonly stats = new Stats();
  readonly commands = new CommandTable();
  readonly clients = new Map<number, Client>();
  readonly runId = randomBytes(20).toString('hex');
  readonly startTime = Date.now();
  /** The clock; `clock()` below is its `now`, for the hot path. */
  readonly time: Clock;
  readonly clock: () => number;
  /** Fault injection (faults.ts); the dispatcher checks it while a fault is active. */
  readonly faults = new Faults();
  /** Pub/sub channels and patterns (pubsub.ts). */
  readonly pubsub = new PubSub();
  /** Keyspace notifications (notify.ts): publishes through `pubsub`. */
  readonly notifier = new Notifier((channel, message) => this.pubsub.publish(channel, message));
  /** Clients in MONITOR mode. */
  readonly monitors = new Set<Client>();
  /** Blocked clients, ready keys, their timeouts, CLIENT PAUSE (blocking.ts). */
  readonly blocking = new Blocking(this);
  /** A manual clock's last replayed cron tick (ms). */
  private lastTickAt = 0;
  /** The time of the command being run, frozen for its whole length (an EXEC's included). */
  now = Date.now();
  /** Depth of nested command calls (EXEC runs its commands inside its own call); `now` is set at depth 0. */
  callDepth = 0;
  /** EVAL/SCRIPT and the Lua states (scripting.ts). */
  readonly scripting: Scripting;
  /** FUNCTION libraries (functions.ts). */
  readonly functions: Functions;
  /** Non-zero while a busy script is suspended (scripting.ts BUSY_IN_EVAL / BUSY_IN_FUNCTION). */
  busyScript = 0;
  /** maxmemory could not be met when the current command started (Redis's pre_command_oom_state). */
  oomAtStart = false;
  /** Highest used_memory seen, for INFO. */
  peakMemory = 0;
  private nextClientId = 1;
  private net: NetServer | null = null;
  private cron: NodeJS.Timeout | null = null;
  private fastPending = false;
  readonly expiry: ActiveExpiry;
  readonly evictor: Evictor;
  /** Client buffers and objects, recomputed every cron tick. */
  clientsBytes = 0;
  private readonly logger: (line: string) => void;
  readonly policy: AccessPolicy;
  /** Called by SHUTDOWN; the owner (CLI or embedding handle) decides what stopping means. */
  onShutdown: () => void = () => { void this.close(); };

  constructor(opts: ServerOptions = {}) {
    const overrides: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(opts)) {
      if (k === 'logger' || k === 'clock' || k === 'clockStart' || k === 'seed' || v === undefined) continue;
      overrides[k] = v as string | number;
    }
    this.config = buildConfig(overrides);
    this.logger = opts.logger ?? ((line) => process.stdout.write(line + '\n'));
    this.time = new Clock(opts.clock ?? 'system', opts.clockStart ?? Date.now());
    this.clock = this.time.now;
    this.now = this.clock();
    this.lastTickAt = this.now;
    const random = opts.seed !== undefined ? seededRandom(opts.seed) : Math.random;
    const cfg = this.config;
    this.policy = {
      get lfu() { return cfg['maxmemory-policy'].endsWith('-lfu'); },
      get lfuLogFactor() { return cfg['lfu-log-factor']; },
      get lfuDecayTime() { return cfg['lfu-decay-time']; },
      random,
      ...(opts.seed !== undefined ? { hashSeed: hashSeedOf(opts.seed) } : {}),
    };
    this.dbs = [];
    this.notifier.flags = parseNotifyFlags(cfg['notify-keyspace-events']);
    for (let i = 0; i < cfg.databases; i++) this.dbs.push(new Db(i, this.stats, this.policy, 16, this.notifier));
    for (const db of this.dbs) db.blocking = this.blocking;
    registerAll(this.commands);
    this.expiry = new ActiveExpiry(this);
    this.scripting = new Scripting(this);
    this.functions = new Functions(this);
    this.evictor = new Evictor(this);
    // Under a manual clock nothing may depend on how fast the CPU is.
    this.expiry.unbounded = this.evictor.unbounded = this.time.manual;
  }

  /**
   * Moves the clock forward by `ms` and replays every cron tick the jump
   * passes over, each at its own instant: active expiry cycles (with no CPU
   * budget under a manual clock, so a run is the same every time) and
   * eviction.
   *
   * The cost is bounded by the data, not by `ms` (DEBUG JUMP takes any
   * int64): a tick can change something only when some key's TTL has passed
   * or eviction frees a key. Eviction that freed nothing stays idle for the
   * rest of the jump (no command runs, so memory only shrinks). While it is
   * idle and no key is due, the ticks up to the next TTL are idle too and are
   * skipped in one step (ActiveExpiry.skipIdle applies their effects). The
   * TTLs are sorted once (O(k log k) for k keys with a TTL); since only
   * active expiry removes keys from then on, "some key is due" is exactly
   * "more TTLs passed than keys expired". So the ticks actually run are those
   * that expire or evict a key, and those where a due key waits for the
   * sampling cursor to reach it: never more than a full replay would run.
   */
  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance: ms must be a finite number >= 0');
    const period = Math.max(1, Math.floor(1000 / this.config.hz));
    const target = this.clock() + ms;
    let at = this.time.manual ? this.lastTickAt : target - ms;
    let evictionIdle = this.config.maxmemory === 0;
    let ttls: Float64Array | null = null; // sorted TTLs, taken once eviction is idle
    let passed = 0; // how many of them are before the next tick
    let expiredBase = 0;
    while (at + period <= target) {
      // Past 2^53 ms a double cannot hold every millisecond: stop replaying
      // once a tick no longer moves the time (the clock still lands on target).
      if (at + period === at) break;
      if (evictionIdle) {
        if (!this.expiry.enabled) {
          const idle = Math.floor((target - at) / period);
          this.expiry.skipIdle(idle);
          at += idle * period;
          continue;
        }
        if (ttls === null) { ttls = this.sortedTtls(); expiredBase = this.stats.expiredKeys; }
        // A tick at time t expires a key whose TTL is `when` once t > when.
        while (passed < ttls.length && ttls[passed]! < at + period) passed++;
        if (passed === this.stats.expiredKeys - expiredBase) {
          const next = passed < ttls.length ? ttls[passed]! : Infinity;
          const idle = Math.floor((Math.min(next, target) - at) / period);
          this.expiry.skipIdle(idle);
          at += idle * period;
          if (next >= target) continue;
        }
      }
      at += period;
      this.time.shift(at - this.clock());
      this.now = at;
      this.expiry.cycle(CYCLE_SLOW);
      if (this.time.manual) this.refreshClientsBytes();
      if (this.config.maxmemory !== 0) {
        const evicted = this.stats.evictedKeys;
        this.evictor.perform();
        evictionIdle = this.stats.evictedKeys === evicted;
        if (!evictionIdle) { ttls = null; passed = 0; } // evicted keys leave the sorted TTLs behind
      }
    }
    if (this.time.manual) this.lastTickAt = at;
    this.time.shift(target - this.clock());
    this.now = target;
    // Blocked clients whose deadline the jump passed time out now; a CLIENT PAUSE past its end ends.
    if (this.blocking.count !== 0 || this.blocking.pauseType !== 0) this.blocking.checkTimeouts();
  }

  /** Every key's TTL (absolute ms), ascending. */
  private sortedTtls(): Float64Array {
    let n = 0;
    for (const db of this.dbs) n += db.ttlCount;
    const out = new Float64Array(n);
    let i = 0;
    for (const db of this.dbs) {
      for (let j = 0; j < db.ttlCount; j++) out[i++] = db.expires[db.ttlSlots[j]!]!;
    }
    return out.sort();
  }

  /** Sets the clock to `epochMs`: forward runs the ticks passed over (advanceClock); backward just moves it. */
  setClock(epochMs: number): void {
    if (!Number.isFinite(epochMs)) throw new RangeError('set: epochMs must be a finite number');
    const now = this.clock();
    if (epochMs >= now) { this.advanceClock(epochMs - now); return; }
    this.time.shift(epochMs - now);
    this.now = epochMs;
    this.lastTickAt = epochMs;
  }

  /**
   * Empties every database (FLUSHALL, the test handle's flushAll; no keyspace
   * events, as in Redis). Clients watching a key that existed see their EXEC fail.
   */
  flushAll(now = this.clock()): void {
    for (const db of this.dbs) db.flush(now);
  }

  /** Bytes of all databases' entries (INFO used_memory_dataset). */
  datasetBytes(): number {
    let n = 0;
    for (const db of this.dbs) n += db.bytes + db.tableBytes();
    return n;
  }

  /** Recounts client buffers (every cron tick, and when INFO is asked). */
  refreshClientsBytes(): void {
    let cb = 0;
    for (const c of this.clients.values()) cb += c.memoryBytes();
    this.clientsBytes = cb;
  }

  /** The deterministic memory account: baseline + dataset + client buffers (INFO used_memory). */
  usedMemory(): number {
    const used = BASELINE_BYTES + this.datasetBytes() + this.clientsBytes;
    if (used > this.peakMemory) this.peakMemory = used;
    return used;
  }

  log(level: keyof typeof LEVELS, msg: string): void {
    const want = LEVELS[this.config.loglevel];
    const lvl = LEVELS[level];
    if (lvl < want) return;
    const d = new Date();
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const ts = `${d.getUTCDate()} ${mon} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
    this.logger(`${process.pid}:M ${ts} ${LEVEL_MARK[lvl]} ${msg}`);
  }

  /** Starts listening (after loading the Lua engine); resolves once the port is bound. */
  async listen(): Promise<void> {
    await loadLua();
    return new Promise((resolve, reject) => {
      const net = createServer({ noDelay: true }, (s) => this.accept(s));
      this.net = net;
      net.once('error', reject);
      net.listen(this.config.port, this.config.bind, () => {
        net.off('error', reject);
        net.on('error', (e) => this.log('warning', `Listener error: ${e.message}`));
        const a = net.address();
        if (a !== null && typeof a === 'object') this.config.port = a.port;
        this.armCron();
        resolve();
      });
    });
  }

  get port(): number { return this.config.port; }

  private obufCache: { value: string; limits: Record<'normal' | 'slave' | 'pubsub', ObufLimit> } | null = null;

  /** client-output-buffer-limit, parsed (cached until the setting changes). */
  obufLimits(): Record<'normal' | 'slave' | 'pubsub', ObufLimit> {
    const v = this.config['client-output-buffer-limit'];
    if (this.obufCache === null || this.obufCache.value !== v) this.obufCache = { value: v, limits: obufLimits(v) };
    return this.obufCache.limits;
  }

  /**
   * Called after CONFIG SET changed a parameter. Every setting is read live
   * where it is used, so nothing needs re-applying yet.
   */
  configChanged(name: keyof Config): void {
    this.log('verbose', `CONFIG SET ${name}`);
    if (name === 'notify-keyspace-events') this.notifier.flags = parseNotifyFlags(this.config['notify-keyspace-events']);
    if (name === 'maxmemory' && this.config.maxmemory !== 0) {
      const used = this.usedMemory();
      if (this.config.maxmemory < used) {
        this.log('warning', `WARNING: the new maxmemory value set via CONFIG SET (${this.config.maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
      }
      this.evictor.perform();
    }
  }

  private accept(socket: Socket): void {
    if (this.clients.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      socket.end(MAX_CLIENTS_RESP);
      socket.on('error', () => {});
      return;
    }
    // Protected mode (Redis's clientAcceptHandler): with no password, only
    // loopback clients may talk to the server.
    if (this.config['protected-mode'] === 'yes' && this.config.requirepass === '' && !isLoopback(socket.remoteAddress)) {
      socket.on('error', () => {});
      socket.end(DENIED_RESP);
      setTimeout(() => socket.destroy(), 5000).unref();
      return;
    }
    if (this.config['tcp-keepalive'] > 0) socket.setKeepAlive(true, this.config['tcp-keepalive'] * 1000);
    const c = new Client(this, socket, this.nextClientId++);
    this.clients.set(c.id, c);
    this.stats.totalConnectionsReceived++;
    socket.on('data', (chunk: Buffer) => {
      try {
        c.onData(chunk);
      } catch (e) {
        // Nothing a client sends may take the server down: drop that client only.
        this.log('warning', `Closing client id=${c.id} addr=${c.addr} after an internal error: ${(e as Error).stack ?? String(e)}`);
        c.closed = true;
        socket.destroy();
      }
    });
    socket.on('error', () => { c.closed = true; socket.destroy(); });
    // The peer closed its side: a blocked client is gone at once (Redis frees a client on EOF), so
    // nothing is ever served to it; the 'close' event follows.
    socket.on('end', () => { if (c.blocked !== null) { c.closed = true; this.blocking.clientClosed(c); } });
    socket.on('close', () => {
      c.closed = true;
      this.clients.delete(c.id);
      // A blocked client leaves every key's waiter list: nothing is ever served to a closed connection.
      if (c.blocked !== null) this.blocking.clientClosed(c);
      if (c.monitor) this.monitors.delete(c);
      if (c.subscribed) this.pubsub.removeClient(c);
      // A connection closed mid-MULTI discards its transaction; its watches go too.
      if (c.multi !== null || c.watched.length !== 0) discardTransaction(c);
    });
  }

  private armCron(): void {
    this.cron = setTimeout(() => {
      if (this.cron === null) return;
      this.serverCron();
      this.armCron();
    }, Math.max(1, Math.floor(1000 / this.config.hz)));
    this.cron.unref();
  }

  private serverCron(): void {
    const s = this.stats;
    const t = Date.now();
    const dt = t - s.lastSampleTime;
    if (dt >= 100) {
      s.opsSamples[s.opsIdx] = Math.floor(((s.totalCommandsProcessed - s.lastSampleCount) * 1000) / dt);
      s.inSamples[s.opsIdx] = ((s.netInputBytes - s.lastSampleIn) * 1000) / dt / 1024;
      s.outSamples[s.opsIdx] = ((s.netOutputBytes - s.lastSampleOut) * 1000) / dt / 1024;
      s.opsIdx = (s.opsIdx + 1) % s.opsSamples.length;
      s.lastSampleTime = t;
      s.lastSampleCount = s.totalCommandsProcessed;
      s.lastSampleIn = s.netInputBytes;
      s.lastSampleOut = s.netOutputBytes;
    }
    this.clientsCron(t);
    // Under a manual clock, expiry, eviction and the recount of client buffers
    // (part of the memory account eviction reads) run when time is moved
    // (advanceClock), so what gets evicted never depends on when a real timer fired.
    if (this.time.manual) return;
    this.refreshClientsBytes();
    // Nothing may change the keyspace under a suspended busy script.
    if (this.busyScript !== 0) return;
    if (this.expiry.cycle(CYCLE_SLOW)) this.scheduleFastExpire();
    if (this.config.maxmemory !== 0) this.evictor.perform();
  }

  /** Idle timeouts and soft output-buffer limits that ran out while nothing was written. */
  private clientsCron(now: number): void {
    const timeout = this.config.timeout;
    for (const c of this.clients.values()) {
      if (c.closed) continue;
      // As Redis: a blocked client (BLPOP...) is never idle.
      if (timeout > 0 && c.blocked === null && Math.floor((now - c.lastInteraction) / 1000) > timeout) {
        this.log('verbose', 'Closing idle client');
        c.closed = true;
        c.socket.destroy();
        continue;
      }
      c.checkOutputLimits(now);
    }
  }

  /** Fast cycles, as Redis's beforeSleep runs them: at most every 2 ms while cycles hit their budget. */
  private scheduleFastExpire(): void {
    if (this.fastPending) return;
    this.fastPending = true;
    setTimeout(() => {
      this.fastPending = false;
      if (this.cron === null || !this.expiry.timelimitExit) return;
      this.expiry.cycle(CYCLE_FAST);
      if (this.expiry.timelimitExit) this.scheduleFastExpire();
    }, 2).unref();
  }

  /** Stops accepting, flushes and closes every client. Resolves when the listener is closed. */
  async close(): Promise<void> {
    if (this.cron !== null) { clearTimeout(this.cron); this.cron = null; }
    this.blocking.stop();
    this.scripting.stop();
    const net = this.net;
    this.net = null;
    for (const c of this.clients.values()) {
      c.flush();
      c.close();
    }
    if (net === null) return;
    await new Promise<void>((resolve) => {
      net.close(() => resolve());
      // Clients that do not let their socket finish are cut after a grace period.
      setTimeout(() => { for (const c of this.clients.values()) c.socket.destroy(); }, 1000).unref();
    });
    this.clients.clear();
  }
}

/** Redis 7.0's connIsLocal for TCP: exactly 127.0.0.1 or ::1 (IPv4-mapped forms included). */
export function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return a === '127.0.0.1' || a === '::1';
}
