/**
 * MONITOR: every command the server runs, as Redis 7.0 shows it, streamed to
 * the clients that asked. Useful to see what a client library really sends.
 *
 * Each line is a status reply (`+...` in RESP2 and RESP3 alike):
 *
 *   +1700000000.123456 [0 127.0.0.1:52110] "SET" "key" "a\"b\x00"
 *
 * the server clock in seconds with microseconds, the database the client is
 * on after the command (so SELECT 2 shows as db 2), the client's address,
 * and each argument quoted as Redis's sdscatrepr does (\\ \" \n \r \t \a \b,
 * other bytes outside printable ASCII as \xHH).
 *
 * Which commands: those that ran (not the ones rejected for being unknown,
 * having the wrong arity, NOAUTH, OOM), except admin commands (CONFIG,
 * DEBUG, MONITOR, SHUTDOWN, CLIENT LIST/KILL...). Secrets are redacted as in
 * Redis: every argument of AUTH, and the username and password of HELLO's
 * AUTH option, show as "(redacted)".
 */

import type { Client } from './connection.js';
import type { Command } from './commands/table.js';

const HEX = '0123456789abcdef';

/** Redis's sdscatrepr of one argument (a binary string). */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92: out += '\\\\'; break;
      case 34: out += '\\"'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      default:
        if (c >= 32 && c <= 126) out += s[i];
        else out += '\\x' + HEX[c >> 4]! + HEX[c & 15]!;
    }
  }
  return out + '"';
}

/** The arguments as MONITOR shows them, secrets redacted. */
function shownArgs(cmd: Command, args: string[]): string[] {
  if (cmd.name === 'auth') return args.map((a, i) => (i === 0 ? a : '(redacted)'));
  if (cmd.name === 'hello') {
    const out = args.slice();
    for (let i = 2; i < out.length; i++) {
      if (out[i]!.toLowerCase() === 'auth' && i + 2 < out.length) { out[i + 1] = '(redacted)'; out[i + 2] = '(redacted)'; i += 2; }
    }
    return out;
  }
  return args;
}

/** Sends the line for `args`, just run by `from`, to every monitor. */
export function feedMonitors(from: Client, cmd: Command, args: string[]): void {
  const server = from.server;
  const us = server.time.nowUs();
  const sec = Math.floor(us / 1e6);
  const frac = String(us - sec * 1e6).padStart(6, '0');
  let line = `${sec}.${frac} [${from.db.id} ${from.addr}]`;
  for (const a of shownArgs(cmd, args)) line += ' ' + repr(a);
  for (const m of server.monitors) m.sendMonitorLine(line);
}
