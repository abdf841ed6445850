/**
 * Helpers shared by the command families: option tokens, the expire-time
 * validation used by SET/GETEX/EXPIRE, and integer argument parsing.
 * (Error texts live in ../errors.ts.)
 */

import type { Client } from '../connection.js';
export { cstr } from '../protocol/reply.js';
import { INT64_MAX, LLONG_MAX_DIV_1000, normalizeInt, parseInt64, type Int } from '../numbers.js';
import { DB_INDEX_NOT_INT32, DB_INDEX_OUT_OF_RANGE, invalidExpireTime, NOT_INT, SYNTAX } from '../errors.js';

/**
 * Lower-cases an option token for comparison. Redis compares options with
 * strcasecmp, which stops at a NUL byte, so "NX\0z" is NX.
 */
export function opt(s: string): string {
  const z = s.indexOf('\0');
  if (z !== -1) s = s.slice(0, z);
  return s.length <= 24 ? s.toLowerCase() : '';
}

/** Parses an integer argument or replies with the integer error. Returns null on error. */
export function intArg(c: Client, s: string): Int | null {
  const v = parseInt64(s);
  if (v === null) c.error(NOT_INT);
  return v;
}

/** Clamps an Int to a JS number (large values keep their sign and order for comparisons). */
export function toNum(v: Int): number {
  return typeof v === 'number' ? v : Number(v);
}

/**
 * SET/GETEX/SETEX expire validation (Redis's getExpireMillisecondsOrReply):
 * strict integer, > 0, seconds scaled by 1000 without overflow, relative
 * forms offset by now without overflow. Returns the absolute ms time (bigint
 * only beyond 2^53), or null after replying with the error.
 */
export function absoluteExpire(c: Client, arg: string, seconds: boolean, relative: boolean, cmd: string): Int | null {
  const v = parseInt64(arg);
  if (v === null) { c.error(NOT_INT); return null; }
  const invalid = (): null => { c.error(invalidExpireTime(cmd)); return null; };
  if (v <= 0) return invalid();
  if (seconds && v > LLONG_MAX_DIV_1000) return invalid();
  if (typeof v === 'number' && v < 4e12) {
    // Fast path: the result stays far below 2^53.
    const ms = (seconds ? v * 1000 : v) + (relative ? c.server.now : 0);
    return ms;
  }
  let ms = BigInt(v);
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(c.server.now);
  if (ms > INT64_MAX) return invalid();
  return normalizeInt(ms);
}

/** Stores an absolute expire time on a slot, keeping exactness beyond 2^53. */
export function applyExpire(c: Client, slot: number, when: Int): void {
  if (typeof when === 'number') c.db.setExpire(slot, when);
  else c.db.setExpire(slot, Number(when), when);
}

/** Fires a keyspace event for `key` in the client's database (notify.ts), if its class is enabled. */
export function notify(c: Client, type: number, event: string, key: string): void {
  const n = c.server.notifier;
  if ((n.flags & type) !== 0) n.fire(type, event, key, c.db.id);
}

/** notify() for a key of another database than the client's (MOVE, COPY DB, SMOVE across...). */
export function notifyDb(c: Client, type: number, event: string, key: string, db: number): void {
  const n = c.server.notifier;
  if ((n.flags & type) !== 0) n.fire(type, event, key, db);
}

/** Redis's addReplyHelp: a header line, the subcommand lines, then HELP, as simple strings. */
export function helpReply(c: Client, cmd: string, lines: readonly string[]): void {
  c.w.array(lines.length + 3);
  c.w.simple(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.w.simple(l);
  c.w.simple('HELP');
  c.w.simple('    Prints this help.');
}

/**
 * A database index argument (SELECT, MOVE, COPY DB, SWAPDB's are its own):
 * Redis's getIntFromObjectOrReply then selectDb. Returns the index, or null
 * after replying the error.
 */
export function dbIndexArg(c: Client, arg: string): number | null {
  const v = parseInt64(arg);
  if (v === null) { c.error(NOT_INT); return null; }
  if (v < -2147483648 || v > 2147483647) { c.error(DB_INDEX_NOT_INT32); return null; }
  const n = Number(v);
  if (n < 0 || n >= c.server.dbs.length) { c.error(DB_INDEX_OUT_OF_RANGE); return null; }
  return n;
}

/**
 * The largest reply a command whose length the client chooses with a
 * negative count (SRANDMEMBER, HRANDFIELD) builds before closing the client
 * (README, Known differences).
 */
export const MAX_RANDOM_REPLY_BYTES = 256 * 1024 * 1024;
/** How often (in elements) such a reply checks its size. */
export const RANDOM_REPLY_CHECK_EVERY = 1024;

/**
 * Redis stops a huge random-sample reply when the client is closed for its
 * output buffer limit (CLIENT_CLOSE_ASAP); cachette also closes it at
 * MAX_RANDOM_REPLY_BYTES, which Redis, with no limit for normal clients,
 * would go past until memory ran out. True when the reply must stop.
 */
export function randomReplyTooLarge(c: Client): boolean {
  c.checkOutputLimits(Date.now());
  if (c.closed) return true;
  if (c.w.pending < MAX_RANDOM_REPLY_BYTES) return false;
  c.closeForOutputLimit();
  return true;
}

/** SCAN's options after the cursor (Redis's scanGenericCommand): COUNT, MATCH, and TYPE for SCAN only. */
export interface ScanOpts { count: number; match: string | null; type: string | null }

/**
 * Parses SCAN/HSCAN/SSCAN/ZSCAN options from `args[from]` on, as Redis's
 * scanGenericCommand does (COUNT must be >= 1; MATCH `*` matches all, so it
 * is dropped; TYPE only where `withType`). null after replying the error.
 */
export function scanOpts(c: Client, args: string[], from: number, withType: boolean): ScanOpts | null {
  const r: ScanOpts = { count: 10, match: null, type: null };
  for (let i = from; i < args.length; i++) {
    const o = opt(args[i]!);
    const more = args.length - i - 1;
    if (o === 'count' && more >= 1) {
      const n = parseInt64(args[++i]!);
      if (n === null) { c.error(NOT_INT); return null; }
      if (n < 1) { c.error(SYNTAX); return null; }
      r.count = typeof n === 'number' ? n : Number.MAX_SAFE_INTEGER;
    } else if (o === 'match' && more >= 1) {
      const m = args[++i]!;
      r.match = m === '*' ? null : m;
    } else if (withType && o === 'type' && more >= 1) {
      r.type = args[++i]!;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return r;
}
