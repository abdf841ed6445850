/**
 * DEBUG: Redis's debugging command. Like Redis 7.0 it is refused unless
 * `enable-debug-command` is `yes` (or `local`, for loopback clients).
 * Subcommands: SET-ACTIVE-EXPIRE 0|1 (turns active expiry off and on) and HELP.
 * Redis parses DEBUG's subcommands itself (it is not a container command), so
 * an unknown one gets DEBUG's own error text.
 */

import type { Client } from '../connection.js';
import { defineCommand, type Command } from './table.js';
import { cstr, helpReply, opt } from './util.js';

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

function debug(c: Client, args: string[]): void {
  if (!allowed(c)) { c.error(NOT_ALLOWED); return; }
  const sub = opt(args[1]!);
  if (sub === 'help' && args.length === 2) { helpReply(c, 'DEBUG', DEBUG_HELP); return; }
  if (sub === 'set-active-expire' && args.length === 3) {
    c.server.expiry.enabled = atoi(args[2]!) !== 0;
    c.w.ok();
    return;
  }
  c.error(`ERR unknown subcommand or wrong number of arguments for '${cstr(args[1]!)}'. Try DEBUG HELP.`);
}

export const debugCommands: Command[] = [
  defineCommand({ name: 'debug', arity: -2, args: 'subcommand [arg...]', flags: 'admin noscript loading stale', group: 'server', summary: 'A container for debugging commands', since: '1.0.0', complexity: 'Depends on subcommand.', handler: debug }),
];
