/**
 * DEBUG: Redis's debugging command. Like Redis 7.0 it is refused unless
 * `enable-debug-command` is `yes` (or `local`, for loopback clients).
 * Subcommands: SET-ACTIVE-EXPIRE 0|1 (turns active expiry off and on) and HELP.
 *
 * cachette adds two that Redis does not have, for test suites that drive the
 * server over the wire (any language): DEBUG JUMP <ms> moves the server's
 * clock forward, running the active expiry and eviction ticks passed over;
 * DEBUG SET-CLOCK <epoch-ms> sets it (see clock.ts). They need
 * `enable-debug-jump yes` (default no; it can only be set at start-up), and
 * with that set they work even when the rest of DEBUG is refused.
 * Redis parses DEBUG's subcommands itself (it is not a container command), so
 * an unknown one gets DEBUG's own error text.
 */

import type { Client } from '../connection.js';
import { defineCommand, type Command } from './table.js';
import { cstr, helpReply, NOT_INT, opt } from './util.js';
import { parseInt64 } from '../numbers.js';

const NOT_ALLOWED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

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
];

/** DEBUG JUMP / SET-CLOCK (cachette only). Returns false when `sub` is not one of them. */
function clockSubcommand(c: Client, sub: string, args: string[]): boolean {
  if ((sub !== 'jump' && sub !== 'set-clock') || args.length !== 3) return false;
  const n = parseInt64(args[2]!);
  if (n === null) { c.error(NOT_INT); return true; }
  if (sub === 'jump') {
    if (n < 0) { c.error('ERR DEBUG JUMP takes a number of milliseconds >= 0 (the clock only moves forward this way)'); return true; }
    c.server.advanceClock(Number(n));
  } else {
    if (n < 0) { c.error('ERR DEBUG SET-CLOCK takes a unix time in milliseconds >= 0'); return true; }
    c.server.setClock(Number(n));
  }
  c.w.ok();
  return true;
}

function debug(c: Client, args: string[]): void {
  const sub = opt(args[1]!);
  if (c.server.config['enable-debug-jump'] === 'yes' && clockSubcommand(c, sub, args)) return;
  if (!allowed(c)) { c.error(NOT_ALLOWED); return; }
  if (sub === 'help' && args.length === 2) { helpReply(c, 'DEBUG', DEBUG_HELP); return; }
  if (sub === 'set-active-expire' && args.length === 3) {
    c.server.expiry.enabled = atoi(args[2]!) !== 0;
    c.w.ok();
    return;
  }
  c.error(`ERR unknown subcommand or wrong number of arguments for '${cstr(args[1]!).slice(0, 128)}'. Try DEBUG HELP.`);
}

export const debugCommands: Command[] = [
  defineCommand({ name: 'debug', arity: -2, args: 'subcommand [arg...]', flags: 'admin noscript loading stale', group: 'server', summary: 'A container for debugging commands', since: '1.0.0', complexity: 'Depends on subcommand.', handler: debug }),
];
