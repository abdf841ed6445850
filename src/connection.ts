/**
 * One client connection: its socket, query reader, reply writer and session
 * state (selected db, protocol version, name, auth, transaction), and the
 * per-request path.
 *
 * The request path mirrors Redis 7.0's processCommand, in order:
 *   lookup (unknown command / unknown subcommand) -> arity -> DEBUG allowed?
 *   -> auth (NOAUTH) -> not allowed in MULTI -> maxmemory (OOM) -> RESP2
 *   subscribed mode -> busy script (BUSY) -> MONITOR clients off the keyspace -> CLIENT PAUSE
 *   (postpone, blocking.ts) -> queue (inside MULTI, multi.ts) or: injected
 *   fault? -> call: freeze `now`, run the handler, count stats, feed
 *   MONITOR -> serve clients blocked on keys the command made ready.
 * A command that blocks the client (BLPOP...) leaves it `blocked`: its
 * later requests are held by the reader until it is unblocked.
 * Every check that fails rejects the command (Redis's rejectCommand): the
 * error reply, rejected_calls, and inside MULTI the transaction is flagged so
 * EXEC aborts; a rejected EXEC aborts the transaction at once.
 * A handler that throws is caught: the client gets `-ERR ...`, the server
 * logs the stack and goes on.
 *
 * `now` is frozen once per top-level call, so all of EXEC's commands share
 * the time EXEC started at (Redis 7.0 caches the time in the outermost call()).
 *
 * Writes: replies of every request in one read are encoded into the writer
 * and sent with a single socket write at the end of the read.
 */

import { LatencyHistogram } from './latency.js';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Db } from './keyspace.js';
import { ReplyWriter, sanitizeError } from './protocol/reply.js';
import { BUSY_EVAL, BUSY_FUNCTION, DEBUG_NOT_ALLOWED, err, NOAUTH, OOM, REPLICA_KEYSPACE, subscribedContext, unknownCommand, unknownSubcommand, wrongArity } from './errors.js';
import { RequestReader, type RequestSink } from './protocol/request.js';
import type { Command } from './commands/table.js';
import { F } from './commands/table.js';
import type { Server } from './server.js';
import { EVICT_FAIL } from './evict.js';
import type { FaultAction } from './faults.js';
import { feedMonitors } from './monitor.js';
import type { MultiState, WatchedKey, WatchingClient } from './multi.js';
import { execAbort } from './commands/transactions.js';
import { NOT_ALLOWED_IN_MULTI } from './errors.js';
import { debugRefused } from './commands/debug.js';
import type { BlockState } from './blocking.js';

/** Server.busyScript while an EVAL script (not a function) is suspended busy (scripting.ts's BUSY_IN_EVAL). */
const BUSY_IN_EVAL = 1;

/** What a RESP2 client may run while subscribed. */
const SUBSCRIBED_OK = new Set(['subscribe', 'ssubscribe', 'psubscribe', 'unsubscribe', 'sunsubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);

/** Commands that run at once inside MULTI instead of being queued (Redis's processCommand). */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Inside MULTI under OOM, every command but these is refused (queueing could grow memory without bound). */
const OOM_IN_MULTI_OK = new Set(['exec', 'discard', 'quit', 'reset']);

/** Flags of commands that touch the keyspace, refused to MONITOR clients (Redis calls them replicas). */
const KEYSPACE_FLAGS = F.READONLY | F.WRITE | F.MAY_REPLICATE;

/** Flags of commands CLIENT PAUSE WRITE holds (Redis's is_may_replicate_command). */
const MAY_WRITE = F.WRITE | F.MAY_REPLICATE;


/** Replies pending in one batch beyond which output limits are checked before the flush. */
const OBUF_CHECK_BYTES = 1024 * 1024;

export class Client implements RequestSink, WatchingClient {
  readonly id: number;
  readonly server: Server;
  readonly socket: Socket;
  readonly w = new ReplyWriter();
  readonly reader: RequestReader;
  db: Db;
  name = '';
  libName = '';
  libVer = '';
  authenticated: boolean;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  readonly addr: string;
  readonly laddr: string;
  /** Set by QUIT, protocol errors and CLIENT KILL: reply, then close. */
  closeAfterReply = false;
  closed = false;
  /** In MONITOR mode (Redis flags it a replica: no keyspace commands). */
  monitor = false;
  /** A 'hang' fault fired: nothing more is run or answered. */
  hung = false;
  /** CLIENT NO-EVICT ON (shown as flag 'e'; cachette never evicts clients). */
  noEvict = false;
  /** A 'delay' fault holds replies until this time (Date.now ms); 0 = not held. */
  private holdUntil = 0;
  private holdTimer: NodeJS.Timeout | null = null;
  /** Output was queued by another client (MONITOR line, pub/sub message) and a flush is scheduled. */
  private flushQueued = false;
  /** Pub/sub channels and patterns this client is subscribed to (pubsub.ts). */
  readonly subChannels = new Set<string>();
  readonly subPatterns = new Set<string>();
  /** Shard channels (SSUBSCRIBE); counted apart from the others, as in Redis. */
  readonly subShard = new Set<string>();
  /** The transaction being queued after MULTI, or null (multi.ts). */
  multi: MultiState | null = null;
  /** A watched key was touched (Redis's CLIENT_DIRTY_CAS): the next EXEC answers a null array. */
  dirtyCas = false;
  /** The keys this client WATCHes (multi.ts). */
  readonly watched: WatchedKey[] = [];
  /**
   * Redis's CLIENT_DENY_BLOCKING: set while EXEC runs the queued commands
   * (and, later, while a script runs), when the client expects one reply per
   * command. MONITOR and SSUBSCRIBE refuse to run then. The hook for blocking
   * commands: a blocking command (BLPOP, BLMOVE, XREAD BLOCK...) must check
   * this flag and, when it is set, act as its non-blocking form whose timeout
   * has already passed (serve if it can, else reply as on timeout), never block.
   */
  denyBlocking = false;
  /**
   * While this client's EXEC runs: keys whose value is flagged ENC_ARGV
   * (commands/strings.ts markArgv), for EXEC to clear when it ends; else null.
   */
  execMarks: string[] | null = null;
  /** While this client's EXEC runs: what must happen once it ends (a DEBUG JUMP's clock move); else null. */
  execAfter: Array<() => void> | null = null;
  /**
   * What this client is blocked on (BLPOP, WAIT, CLIENT PAUSE...; blocking.ts),
   * or null. While set, its requests are held, not run (CLIENT LIST flag b).
   */
  blocked: BlockState | null = null;
  /** A command CLIENT PAUSE postponed, to run again (from the dispatcher's checks) once unblocked. */
  pendingArgs: string[] | null = null;
  /** Queued for reprocessing after being unblocked (Redis's CLIENT_UNBLOCKED). */
  reprocessQueued = false;
  /**
   * This client's script is suspended busy (scripting.ts, Redis's protectClient): its later
   * requests are held until the script ends.
   */
  scriptHeld = false;

  constructor(server: Server, socket: Socket, id: number) {
    this.server = server;
    this.socket = socket;
    this.id = id;
    this.db = server.dbs[0]!;
    // As Redis's clientSetDefaultAuth: with no password set, a client is
    // authenticated for good, even if a password is set later.
    this.authenticated = server.config.requirepass === '';
    this.createdAt = this.lastInteraction = Date.now();
    this.addr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.laddr = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    this.reader = new RequestReader({
      get protoMaxBulkLen() { return server.config['proto-max-bulk-len']; },
      get queryBufferLimit() { return server.config['client-query-buffer-limit']; },
    });
  }

  get resp(): number { return this.w.resp; }

  /** Called for every chunk the socket reads. */
  onData(chunk: Buffer): void {
    if (this.closed || this.closeAfterReply) return;
    this.lastInteraction = Date.now();
    const st = this.server.stats;
    st.netInputBytes += chunk.length;
    st.readsProcessed++;
    const res = this.reader.feed(chunk, this);
    if (res !== null) this.readFailed(res);
    this.flush();
  }

  /** The reader stopped on a protocol error or the query-buffer limit: reply (or drop replies), then close. */
  private readFailed(res: NonNullable<ReturnType<RequestReader['feed']>>): void {
    if (res.kind === 'protocol') {
      this.server.log('verbose', `Protocol error (${res.message}) from client: id=${this.id} addr=${this.addr}`);
      this.error(res.message);
    } else {
      this.server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr}`);
      this.w.discard();
    }
    this.closeAfterReply = true;
  }

  /**
   * Redis's authRequired: a password is set and this client has not passed
   * AUTH. Checked live, so clearing requirepass frees every connection.
   */
  authRequired(): boolean {
    return !this.authenticated && this.server.config.requirepass !== '';
  }

  /** RequestSink: true while the size limits for unauthenticated clients apply. */
  unauthenticated(): boolean {
    return this.authRequired();
  }

  /** RequestSink: runs one request; returns false when reading must stop (closing, or blocked). */
  onRequest(args: string[]): boolean {
    if (this.hung) return true;
    this.execute(args);
    // Redis checks output limits as replies are added; a batch of big replies
    // must not pile up past the hard limit before the flush at its end.
    if (this.w.pending > OBUF_CHECK_BYTES) this.checkOutputLimits(Date.now());
    return !this.closeAfterReply && !this.closed && this.blocked === null && !this.scriptHeld;
  }

  /** RequestSink: a blocked client's (or a busy script's caller's) later requests are held until it is unblocked. */
  holding(): boolean {
    return (this.blocked !== null || this.scriptHeld) && !this.closeAfterReply && !this.closed;
  }

  /**
   * Unblocked (served, timed out, CLIENT UNBLOCK, pause over): runs a
   * postponed command again, then the requests held meanwhile, and flushes
   * (Redis's processUnblockedClients). Called on the turn after the unblock.
   */
  resumeAfterUnblock(): void {
    if (this.closed) return;
    const pending = this.pendingArgs;
    if (pending !== null) {
      this.pendingArgs = null;
      this.execute(pending);
    }
    if (this.blocked === null && !this.scriptHeld && !this.closeAfterReply && !this.closed) {
      const res = this.reader.resume(this);
      if (res !== null) this.readFailed(res);
    }
    this.flush();
  }

  /** Error replies written during the current call (for commandstats failed_calls). */
  private callErrors = 0;

  /** Writes an error reply and counts it for INFO errorstats. `msg` has no leading '-'. */
  error(msg: string): void {
    msg = sanitizeError(msg);
    this.w.error(msg);
    this.server.stats.countError(msg);
    this.callErrors++;
  }

  /** The dispatcher: Redis's processCommand checks, then queueing or the call. */
  execute(args: string[]): void {
    const server = this.server;
    const name = args[0]!;
    let cmd: Command | undefined = server.commands.lookup(name);
    // As Redis's processCommand: the command looked up becomes CLIENT LIST's
    // cmd= at once, before any check can reject it; an unknown command or
    // subcommand makes it NULL.
    if (cmd === undefined) {
      this.lastCommand = 'NULL';
      this.reject(null, args, unknownCommand(args));
      return;
    }
    if (cmd.subcommands !== null && args.length >= 2) {
      const sub = cmd.subcommands.get(args[1]!.toLowerCase());
      if (sub === undefined) {
        this.lastCommand = 'NULL';
        this.reject(null, args, unknownSubcommand(args[1]!, name));
        return;
      }
      cmd = sub;
    }
    // Redis's lastcmd (CLIENT LIST cmd=): the command as received, queued or not.
    this.lastCommand = cmd.name;
    const flags = cmd.flagsOf === null ? cmd.flags : cmd.flagsOf(this, args);
    const arity = cmd.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) {
      this.reject(cmd, args, wrongArity(cmd.name));
      return;
    }
    // DEBUG is a protected command: refused here unless enable-debug-command allows it.
    if ((flags & F.ADMIN) !== 0 && cmd.name === 'debug' && debugRefused(this, args)) {
      this.reject(cmd, args, DEBUG_NOT_ALLOWED);
      return;
    }
    if ((flags & F.NO_AUTH) === 0 && this.authRequired()) {
      this.reject(cmd, args, NOAUTH);
      return;
    }
    const multi = this.multi;
    if (multi !== null && (flags & F.NO_MULTI) !== 0) {
      this.reject(cmd, args, NOT_ALLOWED_IN_MULTI);
      return;
    }
    // maxmemory: evict before every command; when nothing can be evicted,
    // commands that may grow memory (denyoom, or EXEC of a transaction holding
    // one) are refused, and inside MULTI everything but EXEC/DISCARD/QUIT/RESET.
    // Not while a busy script is suspended (nothing may change under it). The
    // result is kept for scripts (Redis's pre_command_oom_state).
    if (server.config.maxmemory !== 0 && server.busyScript === 0) {
      const oom = server.evictor.perform() === EVICT_FAIL;
      server.oomAtStart = oom;
      if (oom) {
        const isExec = cmd.name === 'exec';
        if ((flags & F.DENYOOM) !== 0
          || (isExec && multi !== null && (multi.flags & F.DENYOOM) !== 0)
          || (multi !== null && !OOM_IN_MULTI_OK.has(cmd.name))) {
          this.reject(cmd, args, OOM);
          return;
        }
      }
    }
    // RESP2 subscribed mode (Redis's processCommand): only these commands.
    if (this.w.resp === 2 && this.subscribed && !SUBSCRIBED_OK.has(cmd.name)) {
      this.reject(cmd, args, subscribedContext(cmd.name));
      return;
    }
    // A busy script is suspended (scripting.ts): only allow_busy commands run.
    if (server.busyScript !== 0 && (flags & F.ALLOW_BUSY) === 0) {
      this.reject(cmd, args, server.busyScript === BUSY_IN_EVAL ? BUSY_EVAL : BUSY_FUNCTION);
      return;
    }
    if (this.monitor && ((flags & KEYSPACE_FLAGS) !== 0 || (cmd.name === 'exec' && multi !== null && (multi.flags & KEYSPACE_FLAGS) !== 0))) {
      this.reject(cmd, args, REPLICA_KEYSPACE);
      return;
    }
    // CLIENT PAUSE (ALL, or WRITE for commands that may write): hold the command until the pause ends.
    // MONITOR clients are replicas to Redis, which are never paused.
    if (server.blocking.pauseType !== 0 && !this.monitor
      && server.blocking.holds((flags & MAY_WRITE) !== 0 || (cmd.name === 'exec' && multi !== null && (multi.flags & MAY_WRITE) !== 0))) {
      server.blocking.postpone(this, cmd, args);
      return;
    }
    if (multi !== null && !NOT_QUEUED.has(cmd.name)) {
      // Nothing more is stored once the transaction is bound to fail.
      if (!this.dirtyCas && !multi.dirtyExec) multi.add(cmd, args);
      this.w.simple('QUEUED');
      return;
    }
    if (server.faults.active !== 0) {
      const action = server.faults.check(cmd, args, this.db.id);
      if (action !== null) { this.applyFault(cmd, args, action); return; }
    }
    this.call(cmd, args);
    // Clients blocked on keys this command (or transaction) created are served now that it is over.
    if (server.blocking.ready.length !== 0) server.blocking.handleReadyKeys();
  }

  /**
   * Redis's rejectCommand: the error reply and rejected_calls; inside MULTI
   * the transaction is flagged (EXEC will abort); a rejected EXEC aborts the
   * transaction now with -EXECABORT and the reason.
   */
  private reject(cmd: Command | null, args: string[], msg: string): void {
    if (this.multi !== null) this.multi.dirtyExec = true;
    if (cmd === null) { this.error(msg); return; }
    cmd.stats.rejectedCalls++;
    if (cmd.name === 'exec') execAbort(this, cmd, args, msg);
    else this.error(msg);
  }

  /** Carries out an injected fault (faults.ts) in place of the normal call. */
  private applyFault(cmd: Command, args: string[], action: FaultAction): void {
    if ('error' in action) {
      // An error fault stands for a rejection (LOADING, OOM, BUSY... are Redis's processCommand refusals).
      this.reject(cmd, args, action.error);
    } else if ('delay' in action) {
      this.call(cmd, args);
      if (this.server.blocking.ready.length !== 0) this.server.blocking.handleReadyKeys();
      this.hold(action.delay);
    } else if ('close' in action) {
      this.flush();
      this.closed = true;
      this.w.discard();
      this.socket.destroy();
    } else {
      this.hung = true;
    }
  }

  /**
   * Runs one queued command inside EXEC (Redis's execCommand calls it with
   * no processCommand checks). Injected faults apply as to a plain command:
   * an error fault puts its error in this command's place in EXEC's array;
   * a delay holds the whole reply. 'close' and 'hang' cut the transaction
   * short: the commands before this one ran, this one and the rest do not,
   * EXEC's reply (from `mark`) is dropped, and the connection closes or goes
   * silent. Returns false when the transaction must stop.
   */
  runQueued(cmd: Command, args: string[], mark: number): boolean {
    const server = this.server;
    if (server.faults.active !== 0) {
      const action = server.faults.check(cmd, args, this.db.id);
      if (action !== null) {
        if ('error' in action) {
          cmd.stats.rejectedCalls++;
          this.error(action.error);
          return true;
        }
        if ('delay' in action) {
          this.call(cmd, args);
          this.hold(action.delay);
          return true;
        }
        this.w.truncate(mark);
        if ('close' in action) {
          this.flush();
          this.closed = true;
          this.w.discard();
          this.socket.destroy();
        } else {
          this.hung = true;
        }
        return false;
      }
    }
    this.call(cmd, args);
    return true;
  }

  /** Holds this connection's replies for `ms` (later ones queue behind, in order). */
  private hold(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.holdUntil) return;
    this.holdUntil = until;
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      this.holdUntil = 0;
      this.flush();
    }, ms);
  }

  /** Appends a MONITOR line (a status reply, already formatted) and schedules one flush per batch. */
  sendMonitorLine(line: string): void {
    if (this.closed) return;
    this.w.simple(line);
    this.scheduleFlush();
  }

  /** True while subscribed to any channel, pattern or shard channel (Redis's CLIENT_PUBSUB). */
  get subscribed(): boolean {
    return this.subChannels.size + this.subPatterns.size + this.subShard.size !== 0;
  }

  /**
   * A published message for this subscriber: a `message` or `smessage` frame
   * (pattern null) or a `pmessage` frame, pushed into the reply buffer and
   * flushed on the next turn. The publisher never waits; a subscriber over
   * its pubsub output limit is dropped.
   */
  deliver(kind: string, pattern: string | null, channel: string, message: string): void {
    if (this.closed) return;
    const w = this.w;
    if (pattern === null) {
      w.push(3);
      w.bulk(kind);
    } else {
      w.push(4);
      w.bulk(kind);
      w.bulk(pattern);
    }
    w.bulk(channel);
    w.bulk(message);
    if (w.pending > OBUF_CHECK_BYTES || this.socket.writableLength !== 0) this.checkOutputLimits(Date.now());
    this.scheduleFlush();
  }

  /** One flush on the next event-loop turn, for output written by other clients. */
  private scheduleFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    setImmediate(() => { this.flushQueued = false; this.flush(); });
  }

  /**
   * Runs a command whose checks passed, with `now` frozen, and counts it.
   * Nested calls (EXEC's commands) keep the outer call's `now`. failed_calls
   * counts a call that wrote an error after the last nested call ended, as
   * Redis's error counter does (EXEC is not failed by its commands' errors).
   */
  call(cmd: Command, args: string[]): void {
    const server = this.server;
    if (server.callDepth++ === 0) server.now = server.clock();
    this.callErrors = 0;
    const t0 = performance.now();
    try {
      cmd.handler(this, args);
    } catch (e) {
      const ex = e as Error;
      server.log('warning', `Error in command '${cmd.name}' from client id=${this.id}: ${ex.stack ?? String(ex)}`);
      this.error(err(ex.message));
    }
    server.callDepth--;
    const us = (performance.now() - t0) * 1000;
    const st = cmd.stats;
    st.usec += us;
    // A call that blocked the client is recorded when it is served or unblocked (Redis's updateStatsOnUnblock).
    if (this.blocked === null) (st.latency ??= new LatencyHistogram()).record(us);
    st.calls++;
    if (this.callErrors !== 0) st.failedCalls++;
    this.callErrors = 0;
    server.stats.totalCommandsProcessed++;
    // As Redis's call(): every command that ran, except admin ones, goes to MONITOR clients.
    if (server.monitors.size !== 0 && (cmd.flags & (F.ADMIN | F.SKIP_MONITOR)) === 0) feedMonitors(this, cmd, args);
  }

  /** Sends everything the writer holds in one write; closes if a close was requested. */
  flush(): void {
    if (this.closed) { this.w.discard(); return; }
    if (this.holdUntil !== 0) return;
    const out = this.w.take();
    if (out !== null) {
      const st = this.server.stats;
      if (Array.isArray(out)) {
        this.socket.cork();
        for (const b of out) { this.socket.write(b); st.netOutputBytes += b.length; }
        this.socket.uncork();
      } else {
        this.socket.write(out);
        st.netOutputBytes += out.length;
      }
      st.writesProcessed++;
      this.lastInteraction = Date.now();
      // Only replies the kernel would not take are left in Node's buffer.
      if (this.socket.writableLength !== 0) this.checkOutputLimits(this.lastInteraction);
    }
    if (this.closeAfterReply) this.close();
  }

  /** When the soft output-buffer limit was first exceeded (0 = it is not). */
  private obufSoftSince = 0;

  /**
   * Redis's client-output-buffer-limit for this client's class: over the hard
   * limit, or over the soft limit for longer than soft-seconds, the client is
   * closed at once and its pending replies are dropped.
   */
  checkOutputLimits(now: number): void {
    const pending = this.socket.writableLength + this.w.pending;
    const limits = this.server.obufLimits();
    const lim = this.subscribed ? limits.pubsub : limits.normal;
    if (pending === 0 || (lim.hard === 0 && lim.soft === 0)) { this.obufSoftSince = 0; return; }
    let over = lim.hard !== 0 && pending >= lim.hard;
    if (!over && lim.soft !== 0 && pending >= lim.soft) {
      if (this.obufSoftSince === 0) this.obufSoftSince = now;
      else over = now - this.obufSoftSince >= lim.softSeconds * 1000;
    } else if (!over) {
      this.obufSoftSince = 0;
    }
    if (!over) return;
    this.closeForOutputLimit();
  }

  /**
   * Closes the client at once for its output, dropping its pending replies
   * (Redis's CLIENT_CLOSE_ASAP for overcoming output buffer limits): the
   * limits above, and a reply a command bounds itself (set.ts's SRANDMEMBER).
   */
  closeForOutputLimit(): void {
    this.server.log('warning', `Client id=${this.id} addr=${this.addr} laddr=${this.laddr} name=${this.name} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.server.stats.obufDisconnections++;
    this.closed = true;
    this.w.discard();
    this.socket.destroy();
  }

  /**
   * Closes after pending output is written: sends FIN and lets the peer close
   * its side; input that still arrives is read and dropped. Destroying the
   * socket at once would make the kernel answer unread input with a RST, and
   * a RST can destroy the last reply (a protocol error's text) before the
   * peer has read it. Redis has that race; cachette avoids it.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.blocked !== null) this.server.blocking.clientClosed(this);
    if (this.holdTimer !== null) { clearTimeout(this.holdTimer); this.holdTimer = null; }
    const s = this.socket;
    s.end();
    // A peer that never reads or never closes must not hold the socket open forever.
    setTimeout(() => s.destroy(), 5000).unref();
  }

  /** This client's share of used_memory: its object, its buffers and its queued transaction. */
  memoryBytes(): number {
    return 1024 + this.reader.queryBufferLength + this.reader.queryBufferFree + this.w.buf.length + (this.multi?.bytes ?? 0);
  }

  /** Switches to database `index` (caller validated the range). */
  select(index: number): void {
    this.db = this.server.dbs[index]!;
  }
}
