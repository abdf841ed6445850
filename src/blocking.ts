/**
 * Blocked clients, as Redis 7.0's blocked.c: clients waiting on keys (BLPOP,
 * BLMOVE, BLMPOP...; BZPOP* once sorted sets serve them), on nothing but a
 * timeout (WAIT), or held by CLIENT PAUSE; the ready-keys list that serves
 * them; their timeouts; CLIENT UNBLOCK and CLIENT PAUSE.
 *
 * Blocking: a command that finds nothing to pop calls blockForKeys(). The
 * client gets a BlockState (its type, database, keys, deadline and the
 * `serve` function of its command) and is appended to each key's waiter list
 * (Db.waiters: key -> clients, first blocked first). Its connection stops
 * running requests: what it sends meanwhile stays in its query buffer
 * (protocol/request.ts holds it) and runs once it is unblocked.
 *
 * Serving (Redis's signalKeyAsReady and handleClientsBlockedOnKeys): a key
 * becomes ready only when it is *created* (Db.add: a push to a missing key,
 * LMOVE/BLMOVE's destination, SORT STORE, RENAME, MOVE, COPY...) or by
 * SWAPDB, and only if someone waits on it with the value's type; the key is
 * queued once on the server-wide ready list. Nothing is served while a
 * command runs: the dispatcher (Client.execute) calls handleReadyKeys()
 * after each top-level command, so a transaction (or, later, a script) that
 * pushes twice serves its waiters after both pushes. For each ready key, in
 * the order they became ready, the waiters of the value's type are served
 * first-come first-served until the key is gone (emptied and deleted).
 * Serving a BLMOVE may create its destination, which makes that key ready
 * in turn: it goes on a fresh list handled by the same loop (chains).
 * A client waiting on several keys is served by whichever becomes ready
 * first, and then leaves every key's list. A key that is changed to another
 * type while clients wait is not ready for them (SET does not serve BLPOP);
 * they keep waiting, as in Redis.
 *
 * After being served, timed out or unblocked, a client is queued for
 * reprocessing (Redis's unblocked_clients, run in beforeSleep): on the next
 * turn of the event loop its held requests run and its replies are flushed.
 *
 * Timeouts: deadlines are absolute server-clock ms (0 = forever), kept in an
 * indexed binary heap (O(log n) add and remove). A client times out when the
 * clock is strictly past its deadline. With the system clock one timer is
 * armed for the earliest deadline; with the manual clock nothing fires until
 * the clock is moved (Server.advanceClock calls checkTimeouts), so a test
 * times a client out deterministically.
 *
 * CLIENT PAUSE: while a pause is on, the dispatcher postpones every command
 * (ALL) or every command that may write (WRITE: write or may_replicate
 * flags, or an EXEC holding one): the client is blocked as POSTPONE with the
 * command kept, and runs it from the start when the pause ends (UNPAUSE, or
 * its end time passes: a timer, or advanceClock under the manual clock).
 *
 * Cost when nobody is blocked: Db.add tests one Map size (no waiters in that
 * database); the dispatcher tests the ready list's length after a command.
 */

import type { Client } from './connection.js';
import type { Command } from './commands/table.js';
import type { Db } from './keyspace.js';
import type { Server } from './server.js';
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from './latency.js';
import { ceilLongDouble, mulLongDoubleInt, parseLongDouble } from './longdouble.js';
import { INT64_MAX, INT64_MIN, parseInt64 } from './numbers.js';
import { TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, TIMEOUT_NOT_INT } from './errors.js';

export const BLOCKED_NONE = 0;
export const BLOCKED_LIST = 1;
export const BLOCKED_ZSET = 2;
export const BLOCKED_WAIT = 3;
export const BLOCKED_POSTPONE = 4;
const BLOCKED_TYPES = 5;

const TYPE_NAMES = ['none', 'list', 'zset', 'wait', 'postponed'] as const;

export const PAUSE_OFF = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;

/**
 * Serves a client blocked on keys from `key`, which now holds a value of the
 * client's type at `slot` of `db`: pops, writes the client's reply, fires
 * the events. Returns true when it emptied (and so deleted) the key.
 */
export type ServeFn = (c: Client, st: BlockState, db: Db, key: string, slot: number) => boolean;

/** What a blocked client waits for (Redis's c->bpop). */
export class BlockState {
  /** Position in the timeout heap, -1 when not there. */
  heapPos = -1;
  /** Command-specific parameters for `serve`: where to pop from and push to, BLMOVE's destination, BLMPOP's count. */
  wherefrom = 0;
  whereto = 0;
  target: string | null = null;
  count = -1;

  constructor(
    readonly btype: number,
    readonly db: Db,
    /** The distinct keys waited on, in argument order. */
    readonly keys: readonly string[],
    /** Absolute server-clock ms; 0 = no timeout. */
    readonly deadline: number,
    readonly serve: ServeFn | null,
    readonly cmd: Command,
    /** The command's arguments (a postponed command runs them again). */
    readonly args: string[],
    /** Server-clock ms at which the client blocked. */
    readonly since: number,
  ) {}
}

/** One blocked client, as the test handle lists it. */
export interface BlockedClientInfo {
  id: number;
  name: string;
  db: number;
  /** The command, lower-case ('blpop', 'wait', or the postponed command). */
  command: string;
  /** 'list', 'zset', 'wait' or 'postponed'. */
  type: string;
  /** The keys waited on (empty for WAIT and postponed commands), as UTF-8. */
  keys: string[];
  /** Server-clock ms left before the timeout, or null when it waits forever. */
  timeoutMs: number | null;
}

interface ReadyKey { db: Db; key: string }

/**
 * Redis's updateStatsOnUnblock: a blocked command served or unblocked by
 * CLIENT UNBLOCK adds its reply time and a latency sample (its call was not
 * sampled when it blocked), and counts as failed if it replied an error. A
 * timed-out command gets neither, as in Redis.
 */
function unblockStats(st: BlockState, us: number, failed: boolean): void {
  const s = st.cmd.stats;
  s.usec += us;
  (s.latency ??= new LatencyHistogram()).record(us);
  if (failed) s.failedCalls++;
}

/** A deadline that overflowed int64 ms (Redis's wrapped timeout, which never fires). */
export const DEADLINE_NEVER = Infinity;

/**
 * Redis's getTimeoutFromObjectOrReply: a timeout in seconds (a long double,
 * `seconds`) or milliseconds (an integer) as an absolute server-clock
 * deadline: 0 for none (a zero timeout), DEADLINE_NEVER when now + timeout
 * overflows int64. Seconds become ms as ceill(t * 1000.0) in long double;
 * a value whose ms do not fit in int64 (1e16, inf) is "negative", as the C
 * conversion makes it. Returns null after replying the error.
 */
export function parseTimeout(c: Client, arg: string, seconds: boolean): number | null {
  // Fast path: a whole number of at most 12 digits (BRPOP q 0, BLPOP q 5), exact in a double.
  if (arg.length <= 12 && arg.length > 0) {
    let n = 0;
    let i = 0;
    for (; i < arg.length; i++) {
      const ch = arg.charCodeAt(i) - 48;
      if (ch < 0 || ch > 9) break;
      n = n * 10 + ch;
    }
    if (i === arg.length) return n === 0 ? 0 : (seconds ? n * 1000 : n) + c.server.now;
  }
  let ms: bigint;
  if (seconds) {
    const x = parseLongDouble(arg);
    if (x === null) { c.error(TIMEOUT_NOT_FLOAT); return null; }
    const p = mulLongDoubleInt(x, 1000n);
    const v = p === null ? null : ceilLongDouble(p);
    if (v === null || v > INT64_MAX || v < INT64_MIN || v < 0n) { c.error(TIMEOUT_NEGATIVE); return null; }
    ms = v;
  } else {
    const v = parseInt64(arg);
    if (v === null) { c.error(TIMEOUT_NOT_INT); return null; }
    if (v < 0) { c.error(TIMEOUT_NEGATIVE); return null; }
    ms = BigInt(v);
  }
  if (ms === 0n) return 0;
  const deadline = ms + BigInt(c.server.now);
  return deadline > INT64_MAX ? DEADLINE_NEVER : Number(deadline);
}

const fromRaw = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export class Blocking {
  private readonly server: Server;
  /** Blocked clients, all types (INFO blocked_clients). */
  count = 0;
  /** Blocked clients per type. */
  readonly byType = new Array<number>(BLOCKED_TYPES).fill(0);
  /** Keys that became ready, in order; handled after the command that readied them. */
  ready: ReadyKey[] = [];
  /** Clients held by CLIENT PAUSE, in the order they were postponed. */
  private readonly postponed = new Set<Client>();
  /** Clients to reprocess on the next turn (served, timed out, unblocked). */
  private unblocked: Client[] = [];
  private reprocessQueued = false;
  /** Deadline heap: states with a timeout, earliest first (ties: lower client id). */
  private readonly heap: Client[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  /** CLIENT PAUSE: PAUSE_OFF, PAUSE_WRITE or PAUSE_ALL, and its end (server-clock ms). */
  pauseType = PAUSE_OFF;
  pauseEnd = 0;
  private pauseTimer: NodeJS.Timeout | null = null;

  constructor(server: Server) {
    this.server = server;
  }

  /** Clients in the timeout table (INFO clients_in_timeout_table). */
  get timeoutCount(): number { return this.heap.length; }

  // ---- blocking -----------------------------------------------------------

  /**
   * Blocks `c` on `keys` of its database until one is ready (served by
   * `serve`), the deadline passes or it is unblocked. Returns the state, for
   * the command to set its serve parameters on.
   */
  blockForKeys(c: Client, btype: number, keys: readonly string[], deadline: number, serve: ServeFn, cmd: Command, args: string[]): BlockState {
    const distinct: string[] = [];
    for (const k of keys) if (!distinct.includes(k)) distinct.push(k);
    const st = new BlockState(btype, c.db, distinct, deadline, serve, cmd, args, this.server.now);
    const waiters = c.db.waiters;
    for (const k of distinct) {
      const l = waiters.get(k);
      if (l === undefined) waiters.set(k, [c]); else l.push(c);
    }
    this.block(c, st);
    return st;
  }

  /** WAIT with no replicas to wait for: blocks until the deadline (0: until unblocked). */
  blockWait(c: Client, deadline: number, cmd: Command, args: string[]): void {
    this.block(c, new BlockState(BLOCKED_WAIT, c.db, [], deadline, null, cmd, args, this.server.now));
  }

  /** CLIENT PAUSE holds this command: it runs again, from the dispatcher's checks on, when the pause ends. */
  postpone(c: Client, cmd: Command, args: string[]): void {
    this.block(c, new BlockState(BLOCKED_POSTPONE, c.db, [], 0, null, cmd, args, this.server.now));
    this.postponed.add(c);
  }

  private block(c: Client, st: BlockState): void {
    c.blocked = st;
    this.count++;
    this.byType[st.btype]!++;
    if (st.deadline !== 0) this.heapAdd(c);
  }

  /**
   * Redis's unblockClient: removes `c` from every list it waits in and
   * queues it for reprocessing (its held requests run on the next turn).
   */
  unblock(c: Client, reprocess = true): void {
    const st = c.blocked;
    if (st === null) return;
    if (st.keys.length !== 0) {
      const waiters = st.db.waiters;
      for (const k of st.keys) {
        const l = waiters.get(k);
        if (l === undefined) continue;
        const i = l.indexOf(c);
        if (i !== -1) l.splice(i, 1);
        if (l.length === 0) waiters.delete(k);
      }
    }
    if (st.btype === BLOCKED_POSTPONE) this.postponed.delete(c);
    if (st.heapPos !== -1) this.heapRemove(st);
    this.count--;
    this.byType[st.btype]!--;
    c.blocked = null;
    if (st.btype === BLOCKED_POSTPONE) c.pendingArgs = st.args;
    if (reprocess) this.queueReprocess(c);
  }

  /** A blocked client's connection is going away: it leaves every list, nothing is replied. */
  clientClosed(c: Client): void {
    if (c.blocked !== null) this.unblock(c, false);
  }

  /** Runs the held requests of unblocked clients on the next turn of the event loop. */
  private queueReprocess(c: Client): void {
    if (c.reprocessQueued) return;
    c.reprocessQueued = true;
    this.unblocked.push(c);
    if (!this.reprocessQueued) {
      this.reprocessQueued = true;
      setImmediate(() => this.processUnblocked());
    }
  }

  /** Redis's processUnblockedClients (beforeSleep). */
  processUnblocked(): void {
    this.reprocessQueued = false;
    // A busy script is suspended: nothing runs until it ends (scripting.ts calls this then).
    if (this.server.busyScript !== 0) return;
    if (this.ready.length !== 0) this.handleReadyKeys();
    while (this.unblocked.length !== 0) {
      const list = this.unblocked;
      this.unblocked = [];
      for (const c of list) {
        c.reprocessQueued = false;
        if (!c.closed && c.blocked === null) c.resumeAfterUnblock();
      }
    }
  }

  // ---- ready keys -----------------------------------------------------------

  /** Redis's signalKeyAsReady: `key` of `db` now holds a value of `type`; queue it if someone waits for that. */
  signalKeyAsReady(db: Db, key: string, type: string): void {
    const btype = type === 'list' ? BLOCKED_LIST : type === 'zset' ? BLOCKED_ZSET : BLOCKED_NONE;
    if (btype === BLOCKED_NONE || this.byType[btype] === 0) return;
    if (!db.waiters.has(key) || db.readyKeys.has(key)) return;
    db.readyKeys.add(key);
    this.ready.push({ db, key });
  }

  /** SWAPDB (Redis's scanDatabaseForReadyKeys): every waited-on key that now exists is ready. */
  scanReadyKeys(db: Db): void {
    for (const key of db.waiters.keys()) {
      const s = db.find(key);
      if (s === -1) continue;
      const v = db.vals[s]!;
      if (typeof v !== 'string') this.signalKeyAsReady(db, key, v.type);
    }
  }

  /**
   * Redis's handleClientsBlockedOnKeys: serves the waiters of every ready
   * key, in the order the keys became ready; keys readied meanwhile (a
   * BLMOVE's destination) are handled in the same call.
   */
  handleReadyKeys(): void {
    const server = this.server;
    if (server.busyScript !== 0) return;
    while (this.ready.length !== 0) {
      const list = this.ready;
      this.ready = [];
      for (const { db, key } of list) {
        db.readyKeys.delete(key);
        // As Redis, each key is served at a fixed time (its own cached time).
        if (server.callDepth === 0) server.now = server.clock();
        const slot = db.lookupWrite(key, server.now);
        if (slot === -1) continue;
        const v = db.vals[slot]!;
        if (typeof v === 'string') continue;
        const btype = v.type === 'list' ? BLOCKED_LIST : v.type === 'zset' ? BLOCKED_ZSET : BLOCKED_NONE;
        if (btype === BLOCKED_NONE || this.byType[btype] === 0) continue;
        const waiters = db.waiters.get(key);
        if (waiters === undefined) continue;
        // First blocked, first served. Serving removes the client from this array (unblock), so the
        // next one moves into place; nothing can block meanwhile (held requests run on a later turn).
        let i = 0;
        while (i < waiters.length) {
          const c = waiters[i]!;
          const st = c.blocked;
          if (st === null || st.btype !== btype || st.db !== db || c.closed) { i++; continue; }
          // Serving may move slots (a lazily expired destination is deleted): look the key up again.
          const s = db.find(key);
          if (s === -1) break;
          const errorsBefore = server.stats.totalErrorReplies;
          const t0 = performance.now();
          const deleted = st.serve!(c, st, db, key, s);
          unblockStats(st, (performance.now() - t0) * 1000, server.stats.totalErrorReplies !== errorsBefore);
          this.unblock(c);
          if (deleted) break;
        }
      }
    }
  }

  // ---- timeouts ---------------------------------------------------------------

  /** Redis's handleBlockedClientsTimeout: times out every client whose deadline is strictly past. */
  checkTimeouts(): void {
    const now = this.server.clock();
    while (this.heap.length !== 0) {
      const c = this.heap[0]!;
      const st = c.blocked!;
      if (st.deadline >= now) break;
      this.replyTimedOut(c, st);
      this.unblock(c);
    }
    this.checkPause(now);
    this.arm();
  }

  /** Redis's replyToBlockedClientTimedOut: a null array for key waits, WAIT's count of acknowledging replicas (0). */
  private replyTimedOut(c: Client, st: BlockState): void {
    if (st.btype === BLOCKED_WAIT) c.w.integer(0);
    else c.w.nilArray();
  }

  /**
   * CLIENT UNBLOCK: a client blocked on keys or in WAIT gets its timeout
   * reply (or, `error`, the -UNBLOCKED error) and is unblocked. Returns false
   * when `c` is not blocked that way (Redis 7.0.15 crashes on a client held
   * by CLIENT PAUSE; cachette answers 0, as Redis 7.2 does).
   */
  unblockByCommand(c: Client, error: string | null): boolean {
    const st = c.blocked;
    if (st === null || st.btype === BLOCKED_POSTPONE) return false;
    if (error !== null) c.error(error); else this.replyTimedOut(c, st);
    this.unblock(c);
    // Redis's updateStatsOnUnblock(target, 0, 0, 1) counts the call failed either way.
    unblockStats(st, 0, true);
    return true;
  }

  /** Arms the timer for the earliest deadline (system clock only; a manual clock moves by advanceClock). */
  private arm(): void {
    if (this.server.time.manual || this.heap.length === 0) return;
    const at = this.heap[0]!.blocked!.deadline;
    if (!Number.isFinite(at)) return; // a deadline beyond int64 ms: never (Redis's overflowed timeout)
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    const delay = Math.min(Math.max(at - this.server.clock() + 1, 1), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.checkTimeouts();
      this.processUnblocked();
    }, delay);
    this.timer.unref();
  }

  private less(a: Client, b: Client): boolean {
    const da = a.blocked!.deadline;
    const db = b.blocked!.deadline;
    return da < db || (da === db && a.id < b.id);
  }

  private heapAdd(c: Client): void {
    const h = this.heap;
    c.blocked!.heapPos = h.length;
    h.push(c);
    this.siftUp(h.length - 1);
    if (c.blocked!.heapPos === 0) this.arm();
  }

  private heapRemove(st: BlockState): void {
    const h = this.heap;
    const i = st.heapPos;
    st.heapPos = -1;
    const last = h.pop()!;
    if (i === h.length) return;
    h[i] = last;
    last.blocked!.heapPos = i;
    this.siftUp(i);
    this.siftDown(last.blocked!.heapPos);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    const c = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(c, h[p]!)) break;
      h[i] = h[p]!;
      h[i]!.blocked!.heapPos = i;
      i = p;
    }
    h[i] = c;
    c.blocked!.heapPos = i;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    const c = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[m]!, c)) break;
      h[i] = h[m]!;
      h[i]!.blocked!.heapPos = i;
      i = m;
    }
    h[i] = c;
    c.blocked!.heapPos = i;
  }

  // ---- CLIENT PAUSE -----------------------------------------------------------

  /** Redis's pauseClients: the more restrictive type and the later end win. */
  pause(end: number, type: number): void {
    if (this.pauseType === PAUSE_OFF) { this.pauseType = type; this.pauseEnd = end; }
    else { this.pauseType = Math.max(this.pauseType, type); this.pauseEnd = Math.max(this.pauseEnd, end); }
    this.checkPause(this.server.clock());
    if (this.pauseType !== PAUSE_OFF && !this.server.time.manual) {
      if (this.pauseTimer !== null) clearTimeout(this.pauseTimer);
      const delay = Math.min(Math.max(this.pauseEnd - this.server.clock() + 1, 1), 2 ** 31 - 1);
      this.pauseTimer = setTimeout(() => { this.pauseTimer = null; this.checkPause(this.server.clock()); this.processUnblocked(); }, delay);
      this.pauseTimer.unref();
    }
  }

  /** CLIENT UNPAUSE: postponed clients run their commands again. */
  unpause(): void {
    if (this.pauseTimer !== null) { clearTimeout(this.pauseTimer); this.pauseTimer = null; }
    if (this.pauseType === PAUSE_OFF) return;
    this.pauseType = PAUSE_OFF;
    this.pauseEnd = 0;
    for (const c of [...this.postponed]) this.unblock(c);
  }

  /** Ends a pause whose end time is strictly past. */
  checkPause(now: number): void {
    if (this.pauseType !== PAUSE_OFF && this.pauseEnd < now) this.unpause();
  }

  /** Whether the dispatcher must postpone a command with these flags (`mayWrite`: write/may_replicate, or an EXEC holding one). */
  holds(mayWrite: boolean): boolean {
    return this.pauseType === PAUSE_ALL || (this.pauseType === PAUSE_WRITE && mayWrite);
  }

  // ---- inspection -------------------------------------------------------------

  /** Every blocked client, by client id. */
  list(): BlockedClientInfo[] {
    const now = this.server.clock();
    const out: BlockedClientInfo[] = [];
    for (const c of this.server.clients.values()) {
      const st = c.blocked;
      if (st === null) continue;
      out.push({
        id: c.id, name: c.name, db: st.db.id, command: st.cmd.name, type: TYPE_NAMES[st.btype]!,
        keys: st.keys.map(fromRaw), timeoutMs: st.deadline === 0 || !Number.isFinite(st.deadline) ? null : Math.max(0, st.deadline - now),
      });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Stops the timers (server close). */
  stop(): void {
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
    if (this.pauseTimer !== null) { clearTimeout(this.pauseTimer); this.pauseTimer = null; }
  }
}
