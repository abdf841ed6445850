/**
 * One client connection: its socket, query reader, reply writer and session
 * state (selected db, protocol version, name, auth), and the per-request path.
 *
 * The request path mirrors Redis's processCommand, in order:
 *   lookup (unknown command / unknown subcommand) -> arity -> auth (NOAUTH)
 *   -> freeze `now` -> run the handler -> count stats.
 * A handler that throws is caught: the client gets `-ERR ...`, the server
 * logs the stack and goes on.
 *
 * Writes: replies of every request in one read are encoded into the writer
 * and sent with a single socket write at the end of the read.
 */

import { LatencyHistogram } from './latency.js';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Db } from './keyspace.js';
import { cstr, ReplyWriter, sanitizeError } from './protocol/reply.js';
import { RequestReader, type RequestSink } from './protocol/request.js';
import type { Command } from './commands/table.js';
import { F } from './commands/table.js';
import type { Server } from './server.js';
import { EVICT_FAIL } from './evict.js';
import type { FaultAction } from './faults.js';
import { feedMonitors } from './monitor.js';

/** What a RESP2 client may run while subscribed. */
const SUBSCRIBED_OK = new Set(['subscribe', 'ssubscribe', 'psubscribe', 'unsubscribe', 'sunsubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);

/** Replies pending in one batch beyond which output limits are checked before the flush. */
const OBUF_CHECK_BYTES = 1024 * 1024;

export class Client implements RequestSink {
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
    if (res !== null) {
      if (res.kind === 'protocol') {
        this.server.log('verbose', `Protocol error (${res.message}) from client: id=${this.id} addr=${this.addr}`);
        this.error(res.message);
      } else {
        this.server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr}`);
        this.w.discard();
      }
      this.closeAfterReply = true;
    }
    this.flush();
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

  /** RequestSink: runs one request; returns false when reading must stop. */
  onRequest(args: string[]): boolean {
    if (this.hung) return true;
    this.execute(args);
    // Redis checks output limits as replies are added; a batch of big replies
    // must not pile up past the hard limit before the flush at its end.
    if (this.w.pending > OBUF_CHECK_BYTES) this.checkOutputLimits(Date.now());
    return !this.closeAfterReply && !this.closed;
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

  /** The dispatcher: Redis's processCommand checks, then the call. */
  execute(args: string[]): void {
    const server = this.server;
    const name = args[0]!;
    let cmd: Command | undefined = server.commands.lookup(name);
    // As Redis's processCommand: the command looked up becomes CLIENT LIST's
    // cmd= at once, before any check can reject it; an unknown command or
    // subcommand makes it NULL.
    if (cmd === undefined) {
      this.lastCommand = 'NULL';
      let list = '';
      for (let i = 1; i < args.length && list.length < 128; i++) {
        list += `'${cstr(args[i]!).slice(0, 128 - list.length)}' `;
      }
      this.error(`ERR unknown command '${cstr(name).slice(0, 128)}', with args beginning with: ${list}`);
      return;
    }
    if (cmd.subcommands !== null && args.length >= 2) {
      const sub = cmd.subcommands.get(args[1]!.toLowerCase());
      if (sub === undefined) {
        this.lastCommand = 'NULL';
        this.error(`ERR unknown subcommand '${cstr(args[1]!).slice(0, 128)}'. Try ${cstr(name).toUpperCase()} HELP.`);
        return;
      }
      cmd = sub;
    }
    this.lastCommand = cmd.name;
    const arity = cmd.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) {
      cmd.stats.rejectedCalls++;
      this.error(`ERR wrong number of arguments for '${cmd.name}' command`);
      return;
    }
    if ((cmd.flags & F.NO_AUTH) === 0 && this.authRequired()) {
      cmd.stats.rejectedCalls++;
      this.error('NOAUTH Authentication required.');
      return;
    }
    // maxmemory: evict before every command; when nothing can be evicted,
    // only commands that may grow memory (denyoom) are refused.
    if (server.config.maxmemory !== 0 && server.evictor.perform() === EVICT_FAIL && (cmd.flags & F.DENYOOM) !== 0) {
      cmd.stats.rejectedCalls++;
      this.error("OOM command not allowed when used memory > 'maxmemory'.");
      return;
    }
    // RESP2 subscribed mode (Redis's processCommand): only these commands.
    if (this.w.resp === 2 && this.subscribed && !SUBSCRIBED_OK.has(cmd.name)) {
      cmd.stats.rejectedCalls++;
      this.error(`ERR Can't execute '${cmd.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
      return;
    }
    if (this.monitor && (cmd.flags & (F.READONLY | F.WRITE | F.MAY_REPLICATE)) !== 0) {
      cmd.stats.rejectedCalls++;
      this.error("ERR Replica can't interact with the keyspace");
      return;
    }
    if (server.faults.active !== 0) {
      const action = server.faults.check(cmd, args, this.db.id);
      if (action !== null) { this.applyFault(cmd, args, action); return; }
    }
    this.call(cmd, args);
  }

  /** Carries out an injected fault (faults.ts) in place of the normal call. */
  private applyFault(cmd: Command, args: string[], action: FaultAction): void {
    if ('error' in action) {
      cmd.stats.rejectedCalls++;
      this.error(action.error);
    } else if ('delay' in action) {
      this.call(cmd, args);
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

  /** Runs a command whose checks passed, with `now` frozen, and counts it. */
  call(cmd: Command, args: string[]): void {
    const server = this.server;
    server.now = server.clock();
    this.callErrors = 0;
    this.lastCommand = cmd.name;
    const t0 = performance.now();
    try {
      cmd.handler(this, args);
    } catch (e) {
      const err = e as Error;
      server.log('warning', `Error in command '${cmd.name}' from client id=${this.id}: ${err.stack ?? String(err)}`);
      this.error(`ERR ${err.message}`);
    }
    const us = (performance.now() - t0) * 1000;
    const st = cmd.stats;
    st.usec += us;
    (st.latency ??= new LatencyHistogram()).record(us);
    st.calls++;
    if (this.callErrors !== 0) st.failedCalls++;
    server.stats.totalCommandsProcessed++;
    // As Redis's call(): every command that ran, except admin ones, goes to MONITOR clients.
    if (server.monitors.size !== 0 && (cmd.flags & F.ADMIN) === 0) feedMonitors(this, cmd, args);
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
    if (this.holdTimer !== null) { clearTimeout(this.holdTimer); this.holdTimer = null; }
    const s = this.socket;
    s.end();
    // A peer that never reads or never closes must not hold the socket open forever.
    setTimeout(() => s.destroy(), 5000).unref();
  }

  /** This client's share of used_memory: its object and its buffers. */
  memoryBytes(): number {
    return 1024 + this.reader.queryBufferLength + this.reader.queryBufferFree + this.w.buf.length;
  }

  /** Switches to database `index` (caller validated the range). */
  select(index: number): void {
    this.db = this.server.dbs[index]!;
  }
}
