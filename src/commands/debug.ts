/**
 * DEBUG: Redis's debugging command. Like Redis 7.0 it is refused unless
 * `enable-debug-command` is `yes` (or `local`, for loopback clients); the
 * dispatcher refuses it (debugRefused), before queueing or running it.
 * Subcommands: SET-ACTIVE-EXPIRE 0|1 (turns active expiry off and on), SLEEP
 * <seconds> (blocks the server, decimals allowed) and HELP.
 *
 * cachette adds two that Redis does not have, for test suites that drive the
 * server over the wire (any language): DEBUG JUMP <ms> moves the server's
 * clock forward, running the active expiry and eviction ticks passed over;
 * DEBUG SET-CLOCK <epoch-ms> sets it (see clock.ts). They need
 * `enable-debug-jump yes` (default no; it can only be set at start-up), and
 * with that set they work even when the rest of DEBUG is refused. Inside
 * EXEC they take effect when EXEC ends (the clock is frozen for a transaction).
 * Redis parses DEBUG's subcommands itself (it is not a container command), so
 * an unknown one gets DEBUG's own error text.
 */

import type { Client } from '../connection.js';
import { defineCommand, type Command } from './table.js';
import { helpReply, opt } from './util.js';
import { DEBUG_JUMP_NEGATIVE, DEBUG_NOT_ALLOWED, DEBUG_SET_CLOCK_NEGATIVE, NOT_INT, unknownSubcommandOrArity } from '../errors.js';
import { parseInt64 } from '../numbers.js';

/** Whether this client may run a protected command (Redis's allowProtectedAction). */
function allowed(c: Client): boolean {
  const mode = c.server.config['enable-debug-command'];
  if (mode === 'yes') return true;
  if (mode === 'local') return c.socket.remoteAddress === '127.0.0.1' || c.socket.remoteAddress === '::1' || c.socket.remoteAddress === '::ffff:127.0.0.1';
  return false;
}

/** C's atoi: leading whitespace, sign, digits; anything else stops it (0 if none). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

const DEBUG_HELP = [
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/** C's strtod for a decimal: the longest leading number, 0 if none. */
function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/** Blocks the whole server for `ms`, as Redis's DEBUG SLEEP does (nothing else runs meanwhile). */
function sleepBlocking(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** DEBUG JUMP / SET-CLOCK with enable-debug-jump on: allowed even when the rest of DEBUG is refused. */
function isClockCall(c: Client, args: string[]): boolean {
  if (c.server.config['enable-debug-jump'] !== 'yes' || args.length !== 3) return false;
  const sub = opt(args[1]!);
  return sub === 'jump' || sub === 'set-clock';
}

/**
 * Whether the dispatcher must refuse this DEBUG call: Redis rejects a
 * protected command before running it (so inside MULTI it flags the
 * transaction), with DEBUG_NOT_ALLOWED.
 */
export function debugRefused(c: Client, args: string[]): boolean {
  return !isClockCall(c, args) && !allowed(c);
}

/** DEBUG JUMP / SET-CLOCK (cachette only). Returns false when `sub` is not one of them. */
function clockSubcommand(c: Client, sub: string, args: string[]): boolean {
  if ((sub !== 'jump' && sub !== 'set-clock') || args.length !== 3) return false;
  const n = parseInt64(args[2]!);
  if (n === null) { c.error(NOT_INT); return true; }
  let move: () => void;
  if (sub === 'jump') {
    if (n < 0) { c.error(DEBUG_JUMP_NEGATIVE); return true; }
    move = () => c.server.advanceClock(Number(n));
  } else {
    if (n < 0) { c.error(DEBUG_SET_CLOCK_NEGATIVE); return true; }
    move = () => c.server.setClock(Number(n));
  }
  // Inside EXEC the clock stays frozen for the whole transaction: the move happens when EXEC ends.
  if (c.execAfter !== null) c.execAfter.push(move); else move();
  c.w.ok();
  return true;
}

function debug(c: Client, args: string[]): void {
  const sub = opt(args[1]!);
  if (c.server.config['enable-debug-jump'] === 'yes' && clockSubcommand(c, sub, args)) return;
  // Whether DEBUG is allowed at all was checked by the dispatcher (debugRefused).
  if (sub === 'help' && args.length === 2) { helpReply(c, 'DEBUG', DEBUG_HELP); return; }
  if (sub === 'sleep' && args.length === 3) {
    const us = Math.trunc(strtod(args[2]!) * 1e6);
    if (us > 0) sleepBlocking(us / 1000);
    c.w.ok();
    return;
  }
  if (sub === 'set-active-expire' && args.length === 3) {
    c.server.expiry.enabled = atoi(args[2]!) !== 0;
    c.w.ok();
    return;
  }
  c.error(unknownSubcommandOrArity(args[1]!, 'DEBUG'));
}

export const debugCommands: Command[] = [
  defineCommand({ name: 'debug', arity: -2, args: 'subcommand [arg...]', flags: 'admin noscript loading stale', group: 'server', summary: 'A container for debugging commands', since: '1.0.0', complexity: 'Depends on subcommand.', handler: debug }),
];
