/**
 * Sorted-set commands: ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE
 * ZRANK ZREVRANK ZRANGE ZRANGESTORE ZRANGEBYSCORE ZREVRANGEBYSCORE
 * ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZREMRANGEBYRANK ZREMRANGEBYSCORE
 * ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP ZRANDMEMBER ZUNION ZINTER ZDIFF
 * ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZSCAN.
 *
 * Semantics follow Redis 7.0's t_zset.c: the order of checks (options, then
 * arguments, then the key and its type), each error text, which lookups count
 * as reads (keyspace hits/misses, keymiss events) and which as writes, the
 * keyspace events and their order, the reply shapes in RESP2 and RESP3, and
 * the encodings of the values it creates (types/zset.ts owns the structure).
 *
 * Ranges: every range command selects a run of consecutive ranks (a score
 * range, a rank range, or a lex range walked from its first member), so a
 * reply is written straight from a cursor without collecting: O(log n) to
 * place it, O(1) per member. The set operations (ZUNION...) collect their
 * result and sort it by (score, member): O(N + M log M).
 *
 * ZPOPMIN/ZPOPMAX/ZMPOP share zpopGeneric/zpopFrom with the blocking
 * BZPOPMIN/BZPOPMAX/BZMPOP, which pop at once when a key holds members and
 * otherwise block (blocking.ts) until a sorted set is created at one of
 * their keys; serveZpop then pops as the command would have.
 */

import type { Client } from '../connection.js';
import type { Db } from '../keyspace.js';
import { BLOCKED_ZSET, parseTimeout, type BlockState } from '../blocking.js';
import { parseCursor, parseInt64, type Int } from '../numbers.js';
import { globMatch } from '../glob.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../notify.js';
import { SetValue } from '../types/set.js';
import { listpackScoreText, ZSetValue, type ZSetLimits } from '../types/zset.js';
import {
  compareMembers, formatScore, lexGteMin, lexLteMax, parseLexRange, parseScore, parseScoreRange, type LexRange, type ScoreRange,
} from '../types/score.js';
import { defineCommand, type Command } from './table.js';
import { notify, opt, scanOpts, toNum } from './util.js';
import {
  atLeastOneInputKey, COUNT_NOT_POSITIVE, INVALID_CURSOR, LEX_RANGE_INVALID, LIMIT_NEGATIVE, MINMAX_NOT_FLOAT, NOT_FLOAT, NOT_INT,
  NUMKEYS_NOT_POSITIVE, OUT_OF_RANGE, OUT_OF_RANGE_POSITIVE, outOfRangeBetween, SCORE_NAN, SYNTAX, WEIGHT_NOT_FLOAT, WRONGTYPE,
  ZADD_GT_LT_NX, ZADD_INCR_PAIRS, ZADD_XX_AND_NX, ZRANGE_BYLEX_WITHSCORES, ZRANGE_LIMIT_NEEDS_BY,
} from '../errors.js';

// ---- shared helpers ----------------------------------------------------------

/** zset-max-listpack-entries / -value, read live (CONFIG SET applies at once). */
function limitsOf(c: Client): ZSetLimits {
  const cfg = c.server.config;
  return { maxEntries: Number(cfg['zset-max-listpack-entries']), maxValue: Number(cfg['zset-max-listpack-value']) };
}

/** The sorted set at `slot`, or null after replying WRONGTYPE (Redis's checkType). */
function zsetAt(c: Client, slot: number): ZSetValue | null {
  const v = c.db.vals[slot]!;
  if (typeof v === 'string' || v.type !== 'zset') { c.error(WRONGTYPE); return null; }
  return v as ZSetValue;
}

/** getLongFromObjectOrReply: an int64 argument as a number (exact up to 2^53, ordered beyond), or null after NOT_INT. */
function longArg(c: Client, s: string): number | null {
  const v = parseInt64(s);
  if (v === null) { c.error(NOT_INT); return null; }
  return toNum(v);
}

/** Deletes the key of a sorted set a command emptied; true if it did (the caller then fires 'del' after its own event). */
function dropIfEmpty(c: Client, slot: number, z: ZSetValue): boolean {
  if (z.size !== 0) return false;
  c.db.deleteSlot(slot);
  return true;
}

/** RESP2 flat member/score arrays, RESP3 [member, score] pairs (Redis avoids maps so order is kept). */
function pairsHeader(c: Client, n: number, withscores: boolean): void {
  c.w.array(withscores && c.w.resp === 2 ? n * 2 : n);
}

function replyEntry(c: Client, member: string, score: number, withscores: boolean): void {
  const w = c.w;
  if (withscores && w.resp === 3) w.array(2);
  w.bulk(member);
  if (withscores) w.double(score);
}

// ---- ZADD, ZINCRBY -----------------------------------------------------------

const IN_INCR = 1;
const IN_NX = 2;
const IN_XX = 4;
const IN_GT = 8;
const IN_LT = 16;

/** Redis's zaddGenericCommand (ZADD, and ZINCRBY as ZADD INCR). */
function zaddGeneric(c: Client, args: string[], flags: number): void {
  const key = args[1]!;
  let ch = false;
  let scoreidx = 2;
  for (; scoreidx < args.length; scoreidx++) {
    const o = opt(args[scoreidx]!);
    if (o === 'nx') flags |= IN_NX;
    else if (o === 'xx') flags |= IN_XX;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') flags |= IN_INCR;
    else if (o === 'gt') flags |= IN_GT;
    else if (o === 'lt') flags |= IN_LT;
    else break;
  }
  const incr = (flags & IN_INCR) !== 0;
  const nx = (flags & IN_NX) !== 0;
  const xx = (flags & IN_XX) !== 0;
  const gt = (flags & IN_GT) !== 0;
  const lt = (flags & IN_LT) !== 0;
  let elements = args.length - scoreidx;
  if (elements % 2 !== 0 || elements === 0) { c.error(SYNTAX); return; }
  elements /= 2;
  if (nx && xx) { c.error(ZADD_XX_AND_NX); return; }
  if ((gt && nx) || (lt && nx) || (gt && lt)) { c.error(ZADD_GT_LT_NX); return; }
  if (incr && elements > 1) { c.error(ZADD_INCR_PAIRS); return; }
  // Every score is parsed before anything changes: the command runs whole or not at all.
  const scores: number[] = new Array(elements);
  for (let j = 0; j < elements; j++) {
    const s = parseScore(args[scoreidx + j * 2]!);
    if (s === null) { c.error(NOT_FLOAT); return; }
    scores[j] = s;
  }

  const db = c.db;
  const now = c.server.now;
  const limits = limitsOf(c);
  let slot = db.lookupWrite(key, now);
  let z: ZSetValue;
  if (slot === -1) {
    if (xx) {
      // No key and XX: nothing to do.
      if (incr) c.w.nil(); else c.w.integer(0);
      return;
    }
    // Redis sizes the new set by its first member alone; later ones convert it as they come.
    z = new ZSetValue(limits.maxEntries === 0 || limits.maxValue < args[scoreidx + 1]!.length ? 'skiplist' : 'listpack');
    slot = db.add(key, z, now);
  } else {
    const v = zsetAt(c, slot);
    if (v === null) return;
    z = v;
  }

  const before = z.bytes;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let failed = false;
  for (let j = 0; j < elements; j++) {
    const member = args[scoreidx + 1 + j * 2]!;
    let s = scores[j]!;
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue; // NOP
      if (incr) {
        s += cur;
        if (Number.isNaN(s)) { failed = true; break; }
      }
      if ((lt && s >= cur) || (gt && s <= cur)) continue; // NOP
      if (s !== cur) {
        z.set(member, s, limits);
        updated++;
      }
      processed++;
      score = s;
    } else if (!xx) {
      z.set(member, s, limits);
      added++;
      processed++;
      score = s;
    }
  }
  if (added + updated > 0) db.valueChanged(slot, before);
  if (failed) c.error(SCORE_NAN);
  else if (incr) { if (processed > 0) c.w.double(score); else c.w.nil(); }
  else c.w.integer(ch ? added + updated : added);
  if (added + updated > 0) notify(c, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key);
}

function zadd(c: Client, args: string[]): void {
  zaddGeneric(c, args, 0);
}

function zincrby(c: Client, args: string[]): void {
  zaddGeneric(c, args, IN_INCR);
}

// ---- ZREM, ZREMRANGEBY* ------------------------------------------------------

function zrem(c: Client, args: string[]): void {
  const key = args[1]!;
  const db = c.db;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const before = z.bytes;
  let deleted = 0;
  for (let j = 2; j < args.length; j++) {
    if (z.delete(args[j]!)) deleted++;
    if (z.size === 0) break;
  }
  if (deleted > 0) {
    db.valueChanged(slot, before);
    const removed = dropIfEmpty(c, slot, z);
    notify(c, NOTIFY_ZSET, 'zrem', key);
    if (removed) notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.integer(deleted);
}

const BY_RANK = 1;
const BY_SCORE = 2;
const BY_LEX = 3;

/** Redis's zremrangeGenericCommand. */
function zremrangeGeneric(c: Client, args: string[], type: number): void {
  const key = args[1]!;
  let start = 0;
  let end = 0;
  let range: ScoreRange | null = null;
  let lex: LexRange | null = null;
  let event: string;
  if (type === BY_RANK) {
    event = 'zremrangebyrank';
    const a = longArg(c, args[2]!);
    if (a === null) return;
    const b = longArg(c, args[3]!);
    if (b === null) return;
    start = a;
    end = b;
  } else if (type === BY_SCORE) {
    event = 'zremrangebyscore';
    range = parseScoreRange(args[2]!, args[3]!);
    if (range === null) { c.error(MINMAX_NOT_FLOAT); return; }
  } else {
    event = 'zremrangebylex';
    lex = parseLexRange(args[2]!, args[3]!);
    if (lex === null) { c.error(LEX_RANGE_INVALID); return; }
  }
  const db = c.db;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const n = z.size;
  let first: number;
  let count: number;
  if (type === BY_RANK) {
    if (start < 0) start = n + start;
    if (end < 0) end = n + end;
    if (start < 0) start = 0;
    if (start > end || start >= n) { c.w.integer(0); return; }
    if (end >= n) end = n - 1;
    first = start;
    count = end - start + 1;
  } else if (type === BY_SCORE) {
    first = z.firstInScoreRange(range!);
    count = first === -1 ? 0 : z.lastInScoreRange(range!) - first + 1;
  } else {
    first = z.firstInLexRange(lex!);
    count = first === -1 ? 0 : lexRunLength(z, first, lex!, false, -1);
  }
  if (count > 0) {
    const before = z.bytes;
    z.deleteRankRange(first, first + count - 1);
    db.valueChanged(slot, before);
    const removed = dropIfEmpty(c, slot, z);
    notify(c, NOTIFY_ZSET, event, key);
    if (removed) notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.integer(count);
}

function zremrangebyrank(c: Client, args: string[]): void { zremrangeGeneric(c, args, BY_RANK); }
function zremrangebyscore(c: Client, args: string[]): void { zremrangeGeneric(c, args, BY_SCORE); }
function zremrangebylex(c: Client, args: string[]): void { zremrangeGeneric(c, args, BY_LEX); }

// ---- reads: ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT --------------

function zcard(c: Client, args: string[]): void {
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const z = zsetAt(c, slot);
  if (z !== null) c.w.integer(z.size);
}

function zscore(c: Client, args: string[]): void {
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.nil(); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const s = z.score(args[2]!);
  if (s === undefined) c.w.nil(); else c.w.double(s);
}

function zmscore(c: Client, args: string[]): void {
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  let z: ZSetValue | null = null;
  if (slot !== -1) {
    z = zsetAt(c, slot);
    if (z === null) return;
  }
  c.w.array(args.length - 2);
  for (let j = 2; j < args.length; j++) {
    const s = z === null ? undefined : z.score(args[j]!);
    if (s === undefined) c.w.nil(); else c.w.double(s);
  }
}

function zrankGeneric(c: Client, args: string[], reverse: boolean): void {
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.nil(); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const r = z.rank(args[2]!);
  if (r === -1) c.w.nil(); else c.w.integer(reverse ? z.size - 1 - r : r);
}

function zrank(c: Client, args: string[]): void { zrankGeneric(c, args, false); }
function zrevrank(c: Client, args: string[]): void { zrankGeneric(c, args, true); }

function zcount(c: Client, args: string[]): void {
  const range = parseScoreRange(args[2]!, args[3]!);
  if (range === null) { c.error(MINMAX_NOT_FLOAT); return; }
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const first = z.firstInScoreRange(range);
  c.w.integer(first === -1 ? 0 : z.lastInScoreRange(range) - first + 1);
}

function zlexcount(c: Client, args: string[]): void {
  const range = parseLexRange(args[2]!, args[3]!);
  if (range === null) { c.error(LEX_RANGE_INVALID); return; }
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const first = z.firstInLexRange(range);
  c.w.integer(first === -1 ? 0 : lexRunLength(z, first, range, false, -1));
}

/**
 * How many members, from rank `from` walking up (or down with `reverse`),
 * stay inside the lex range's far end, up to `limit` (negative: no limit).
 * Redis walks the same way (the members' lex order is only guaranteed when
 * their scores are equal). O(k).
 */
function lexRunLength(z: ZSetValue, from: number, r: LexRange, reverse: boolean, limit: number): number {
  let k = 0;
  for (const cur = z.cursor(from); cur.valid && k !== limit; k++) {
    if (reverse ? !lexGteMin(cur.member, r) : !lexLteMax(cur.member, r)) break;
    if (reverse) cur.prev(); else cur.next();
  }
  return k;
}

// ---- ZRANGE and its forms ----------------------------------------------------

const AUTO = 0;
const FORWARD = 1;
const REVERSE = 2;

/** The run a range selected: `count` members from rank `start`, walking down when reversed. Module-level to avoid an allocation per call. */
let runStart = 0;
let runCount = 0;

/** genericZrangebyrankCommand's index arithmetic. */
function selectRank(z: ZSetValue, start: number, end: number, reverse: boolean): void {
  const n = z.size;
  if (start < 0) start = n + start;
  if (end < 0) end = n + end;
  if (start < 0) start = 0;
  runCount = 0;
  if (start > end || start >= n) return;
  if (end >= n) end = n - 1;
  runStart = reverse ? n - 1 - start : start;
  runCount = end - start + 1;
}

/**
 * genericZrangebyscoreCommand: from the first member in range (the last,
 * reversed), skip `offset` members, then take up to `limit` (negative: all)
 * while in range. A negative offset skips to the end: an empty reply.
 */
function selectScore(z: ZSetValue, r: ScoreRange, offset: number, limit: number, reverse: boolean): void {
  runCount = 0;
  if (offset > 0 && offset >= z.size) return;
  const first = reverse ? z.lastInScoreRange(r) : z.firstInScoreRange(r);
  if (first === -1 || offset < 0) return;
  const other = reverse ? z.firstInScoreRange(r) : z.lastInScoreRange(r);
  const start = reverse ? first - offset : first + offset;
  const avail = reverse ? start - other + 1 : other - start + 1;
  if (avail <= 0) return;
  runStart = start;
  runCount = limit < 0 || limit > avail ? avail : limit;
}

/** genericZrangebylexCommand: as selectScore, the end found by walking (lexRunLength). */
function selectLex(z: ZSetValue, r: LexRange, offset: number, limit: number, reverse: boolean): void {
  runCount = 0;
  const first = reverse ? z.lastInLexRange(r) : z.firstInLexRange(r);
  if (first === -1 || offset < 0) return;
  const start = reverse ? first - offset : first + offset;
  if (start < 0 || start >= z.size || limit === 0) return;
  runStart = start;
  runCount = lexRunLength(z, start, r, reverse, limit < 0 ? -1 : limit);
}

/** Replies with the selected run (the array length is known up front). */
function replyRun(c: Client, z: ZSetValue, reverse: boolean, withscores: boolean): void {
  const n = runCount;
  pairsHeader(c, n, withscores);
  if (n === 0) return;
  const cur = z.cursor(runStart);
  for (let i = 0; i < n; i++) {
    replyEntry(c, cur.member, cur.score, withscores);
    if (reverse) cur.prev(); else cur.next();
  }
}

/**
 * ZRANGESTORE's result (zrangeResultBeginStore/EmitForStore): a skiplist from
 * the start when a rank range is known to be longer than
 * zset-max-listpack-entries, else a listpack that converts as members are
 * added (as ZADD would).
 */
function storeRun(c: Client, z: ZSetValue | null, reverse: boolean, knownLength: number): ZSetValue {
  const limits = limitsOf(c);
  const out = new ZSetValue(knownLength > limits.maxEntries ? 'skiplist' : 'listpack');
  if (z === null || runCount === 0) return out;
  const cur = z.cursor(runStart);
  for (let i = 0; i < runCount; i++) {
    out.set(cur.member, cur.score, limits);
    if (reverse) cur.prev(); else cur.next();
  }
  return out;
}

/** zrangeResultFinalizeStore: store a non-empty result (replacing any value), else delete the destination. */
function finishStore(c: Client, dst: string, out: ZSetValue, event: string): void {
  const db = c.db;
  if (out.size > 0) {
    db.setKey(dst, out, c.server.now);
    c.w.integer(out.size);
    notify(c, NOTIFY_ZSET, event, dst);
  } else {
    c.w.integer(0);
    // dbDelete: no expiry check, a logically expired destination is deleted too.
    if (db.deleteKey(dst)) notify(c, NOTIFY_GENERIC, 'del', dst);
  }
}

/**
 * Redis's zrangeGenericCommand: ZRANGE and ZRANGESTORE (type and direction
 * AUTO), ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX and
 * ZREVRANGE (fixed ones). `at` is the index of the source key.
 */
function zrangeGeneric(c: Client, args: string[], at: number, dst: string | null, type: number, direction: number): void {
  const store = dst !== null;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < args.length; j++) {
    const left = args.length - j - 1;
    const o = opt(args[j]!);
    if (!store && o === 'withscores') {
      withscores = true;
    } else if (o === 'limit' && left >= 2) {
      const a = longArg(c, args[j + 1]!);
      if (a === null) return;
      const b = longArg(c, args[j + 2]!);
      if (b === null) return;
      offset = a;
      limit = b;
      j += 2;
    } else if (direction === AUTO && o === 'rev') {
      direction = REVERSE;
    } else if (type === AUTO && o === 'bylex') {
      type = BY_LEX;
    } else if (type === AUTO && o === 'byscore') {
      type = BY_SCORE;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (direction === AUTO) direction = FORWARD;
  if (type === AUTO) type = BY_RANK;
  if (limit !== -1 && type === BY_RANK) { c.error(ZRANGE_LIMIT_NEEDS_BY); return; }
  if (withscores && type === BY_LEX) { c.error(ZRANGE_BYLEX_WITHSCORES); return; }
  const reverse = direction === REVERSE;
  // Reversed score and lex ranges are given as max, min.
  const minArg = args[reverse && type !== BY_RANK ? at + 2 : at + 1]!;
  const maxArg = args[reverse && type !== BY_RANK ? at + 1 : at + 2]!;
  let start = 0;
  let end = 0;
  let range: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (type === BY_RANK) {
    const a = longArg(c, minArg);
    if (a === null) return;
    const b = longArg(c, maxArg);
    if (b === null) return;
    start = a;
    end = b;
  } else if (type === BY_SCORE) {
    range = parseScoreRange(minArg, maxArg);
    if (range === null) { c.error(MINMAX_NOT_FLOAT); return; }
  } else {
    lex = parseLexRange(minArg, maxArg);
    if (lex === null) { c.error(LEX_RANGE_INVALID); return; }
  }

  const slot = c.db.lookupRead(args[at]!, c.server.now);
  if (slot === -1) {
    if (store) { runCount = 0; finishStore(c, dst, storeRun(c, null, reverse, -1), 'zrangestore'); } else c.w.array(0);
    return;
  }
  const z = zsetAt(c, slot);
  if (z === null) return;
  if (type === BY_RANK) selectRank(z, start, end, reverse);
  else if (type === BY_SCORE) selectScore(z, range!, offset, limit, reverse);
  else selectLex(z, lex!, offset, limit, reverse);
  if (store) finishStore(c, dst, storeRun(c, z, reverse, type === BY_RANK ? runCount : -1), 'zrangestore');
  else replyRun(c, z, reverse, withscores);
}

function zrange(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, AUTO, AUTO); }
function zrangestore(c: Client, args: string[]): void { zrangeGeneric(c, args, 2, args[1]!, AUTO, AUTO); }
function zrevrange(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, BY_RANK, REVERSE); }
function zrangebyscore(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, BY_SCORE, FORWARD); }
function zrevrangebyscore(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, BY_SCORE, REVERSE); }
function zrangebylex(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, BY_LEX, FORWARD); }
function zrevrangebylex(c: Client, args: string[]): void { zrangeGeneric(c, args, 1, null, BY_LEX, REVERSE); }

// ---- ZPOPMIN ZPOPMAX ZMPOP (and the core the blocking forms will share) --------

export const ZSET_MIN = 0;
export const ZSET_MAX = 1;

/**
 * Redis's genericZpopCommand once a sorted set is found: pops up to `count`
 * members (count -1: one, the plain ZPOPMIN form) from the `where` end of
 * the set at `slot`, replies, fires zpopmin/zpopmax (and del when the set
 * empties). Shapes: flat member/score (nested false, emitKey false:
 * ZPOPMIN/ZPOPMAX in RESP2 or without a count), [member, score] pairs
 * (nested, no key: with a count in RESP3), key then flat (emitKey, flat:
 * BZPOPMIN/BZPOPMAX), [key, [[member, score]...]] (both: ZMPOP/BZMPOP).
 */
export function zpopFrom(c: Client, key: string, slot: number, z: ZSetValue, where: number, count: number, nested: boolean, emitKey: boolean): void {
  const w = c.w;
  const n = z.size;
  const want = count === -1 ? 1 : count;
  const rangelen = want > n ? n : want;
  if (!nested && !emitKey) w.array(rangelen * 2);
  else if (nested && !emitKey) w.array(rangelen);
  else if (!nested && emitKey) { w.array(rangelen * 2 + 1); w.bulk(key); }
  else { w.array(2); w.bulk(key); w.array(rangelen); }
  const before = z.bytes;
  for (let i = 0; i < rangelen; i++) {
    const cur = z.cursor(where === ZSET_MAX ? z.size - 1 : 0);
    const member = cur.member;
    const score = cur.score;
    z.delete(member);
    if (i === 0) notify(c, NOTIFY_ZSET, where === ZSET_MAX ? 'zpopmax' : 'zpopmin', key);
    if (nested) w.array(2);
    w.bulk(member);
    w.double(score);
  }
  c.db.valueChanged(slot, before);
  if (dropIfEmpty(c, slot, z)) notify(c, NOTIFY_GENERIC, 'del', key);
}

/**
 * Redis's genericZpopCommand: the first of keys[from..to) that exists is
 * popped (WRONGTYPE if it is not a sorted set, without looking further).
 * None: a null array (nilWhenEmpty, ZMPOP) or an empty array. count 0: an
 * empty array once the key is found.
 */
export function zpopGeneric(c: Client, keys: readonly string[], from: number, to: number, where: number, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  const db = c.db;
  const now = c.server.now;
  let slot = -1;
  let key = '';
  for (let i = from; i < to; i++) {
    key = keys[i]!;
    slot = db.lookupWrite(key, now);
    if (slot === -1) continue;
    const v = db.vals[slot]!;
    if (typeof v === 'string' || v.type !== 'zset') { c.error(WRONGTYPE); return; }
    break;
  }
  if (slot === -1) {
    if (nilWhenEmpty) c.w.nilArray(); else c.w.array(0);
    return;
  }
  if (count === 0) { c.w.array(0); return; }
  zpopFrom(c, key, slot, db.vals[slot] as ZSetValue, where, count, nested, emitKey);
}

function zpopMinMax(c: Client, args: string[], where: number): void {
  if (args.length > 3) { c.error(SYNTAX); return; }
  let count = -1;
  if (args.length === 3) {
    const v = parseInt64(args[2]!);
    if (v === null || v < 0) { c.error(OUT_OF_RANGE_POSITIVE); return; }
    count = toNum(v);
  }
  // RESP3 with a count: [member, score] pairs; otherwise flat.
  zpopGeneric(c, args, 1, 2, where, false, count, c.w.resp === 3 && count !== -1, false);
}

function zpopmin(c: Client, args: string[]): void { zpopMinMax(c, args, ZSET_MIN); }
function zpopmax(c: Client, args: string[]): void { zpopMinMax(c, args, ZSET_MAX); }

/**
 * ZMPOP's arguments (zmpopGenericCommand): numkeys (1..LONG_MAX), the keys,
 * MIN|MAX, [COUNT n>=1]. Returns the key range, end and count, or null after
 * replying the error. `numkeysAt` is 1 (ZMPOP) or 2 (BZMPOP).
 */
export function parseZmpop(c: Client, args: string[], numkeysAt: number): { from: number; to: number; where: number; count: number } | null {
  const nk = parseInt64(args[numkeysAt]!);
  if (nk === null || nk < 1) { c.error(NUMKEYS_NOT_POSITIVE); return null; }
  const numkeys = toNum(nk);
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= args.length) { c.error(SYNTAX); return null; }
  const w = opt(args[whereAt]!);
  let where: number;
  if (w === 'min') where = ZSET_MIN;
  else if (w === 'max') where = ZSET_MAX;
  else { c.error(SYNTAX); return null; }
  let count = -1;
  for (let j = whereAt + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && opt(args[j]!) === 'count' && more > 0) {
      const v = parseInt64(args[++j]!);
      if (v === null || v < 1) { c.error(COUNT_NOT_POSITIVE); return null; }
      count = toNum(v);
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return { from: numkeysAt + 1, to: whereAt, where, count: count === -1 ? 1 : count };
}

function zmpop(c: Client, args: string[]): void {
  const p = parseZmpop(c, args, 1);
  if (p === null) return;
  zpopGeneric(c, args, p.from, p.to, p.where, true, p.count, true, true);
}

// ---- ZRANDMEMBER ---------------------------------------------------------------

const LONG_MAX_HALF = 4611686018427387903n;
/** Elements between two output-limit checks in a long random reply (Redis checks CLIENT_CLOSE_ASAP per element). */
const RANDOM_CHECK_EVERY = 1024;

function zrandmember(c: Client, args: string[]): void {
  if (args.length >= 3) {
    const l = parseInt64(args[2]!);
    if (l === null) { c.error(NOT_INT); return; }
    if (l === -9223372036854775808n) { c.error(outOfRangeBetween(-9223372036854775807n, 9223372036854775807n)); return; }
    if (args.length > 4 || (args.length === 4 && opt(args[3]!) !== 'withscores')) { c.error(SYNTAX); return; }
    const withscores = args.length === 4;
    if (withscores && (BigInt(l) < -LONG_MAX_HALF || BigInt(l) > LONG_MAX_HALF)) { c.error(OUT_OF_RANGE); return; }
    zrandmemberWithCount(c, args[1]!, l, withscores);
    return;
  }
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.nil(); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  c.w.bulk(z.randomEntry(c.server.policy.random)![0]);
}

/**
 * Redis's zrandmemberWithCountCommand and its four cases, which decide
 * which members come back, never the reply's shape:
 * 1. negative count (or 1): independent draws, repeats allowed;
 * 2. count >= size: the whole set, from the highest member down (Redis walks
 *    its iterator backwards);
 * 3. count * 3 > size: all members, random ones removed down to count;
 * 4. otherwise: distinct random members (a listpack's in set order, as
 *    lpRandomPairsUnique picks them; a skiplist's in the order drawn).
 */
function zrandmemberWithCount(c: Client, key: string, l: Int, withscores: boolean): void {
  const slot = c.db.lookupRead(key, c.server.now);
  if (slot === -1) { c.w.array(0); return; }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const random = c.server.policy.random;
  const size = z.size;
  const uniq = l >= 0;
  const count = uniq ? toNum(l) : -toNum(l);
  if (count === 0) { c.w.array(0); return; }

  if (!uniq || count === 1) {
    // Beyond 2^53 the header is written exactly (the reply itself ends at the output buffer limit).
    if (count > Number.MAX_SAFE_INTEGER) c.w.raw(`*${(withscores && c.w.resp === 2 ? 2n : 1n) * -BigInt(l)}\r\n`);
    else pairsHeader(c, count, withscores);
    for (let i = 0; i < count; i++) {
      const e = z.randomEntry(random)!;
      replyEntry(c, e[0], e[1], withscores);
      if (i % RANDOM_CHECK_EVERY === RANDOM_CHECK_EVERY - 1 && closedByOutputLimit(c)) return;
    }
    return;
  }

  pairsHeader(c, count < size ? count : size, withscores);
  if (count >= size) {
    for (const cur = z.cursor(size - 1); cur.valid; cur.prev()) replyEntry(c, cur.member, cur.score, withscores);
    return;
  }
  if (count * 3 > size) {
    const ms: string[] = [];
    const ss: number[] = [];
    for (const cur = z.cursor(0); cur.valid; cur.next()) { ms.push(cur.member); ss.push(cur.score); }
    let n = size;
    while (n > count) {
      const k = Math.floor(random() * n);
      n--;
      ms[k] = ms[n]!;
      ss[k] = ss[n]!;
    }
    for (let i = 0; i < count; i++) replyEntry(c, ms[i]!, ss[i]!, withscores);
    return;
  }
  if (z.encoding === 'listpack') {
    // Selection sampling: each member is taken with probability wanted/left, in set order.
    let wanted = count;
    let left = size;
    for (const cur = z.cursor(0); cur.valid && wanted > 0; cur.next(), left--) {
      if (random() * left < wanted) { replyEntry(c, cur.member, cur.score, withscores); wanted--; }
    }
    return;
  }
  const seen = new Set<string>();
  while (seen.size < count) {
    const e = z.randomEntry(random)!;
    if (seen.has(e[0])) continue;
    seen.add(e[0]);
    replyEntry(c, e[0], e[1], withscores);
  }
}

/** Redis stops a long reply when the client was scheduled to close for its output buffer limits. */
function closedByOutputLimit(c: Client): boolean {
  if (c.w.pending > 1024 * 1024) c.checkOutputLimits(Date.now());
  return c.closed;
}

// ---- ZUNION ZINTER ZDIFF ZINTERCARD and the STORE forms ------------------------

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGGR_SUM = 0;
const AGGR_MIN = 1;
const AGGR_MAX = 2;

/** One input of a set operation (Redis's zsetopsrc): a sorted set, a set (every score 1), or a missing key. */
interface OpSrc {
  key: string;
  z: ZSetValue | null;
  s: SetValue | null;
  weight: number;
  size: number;
}

/** zunionInterAggregate: SUM turns inf + -inf (NaN) into 0. */
function aggregate(target: number, val: number, how: number): number {
  if (how === AGGR_SUM) {
    const t = target + val;
    return Number.isNaN(t) ? 0 : t;
  }
  if (how === AGGR_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

/** The member's score in an input (1 for a set member), or undefined (zuiFind). */
function findIn(src: OpSrc, member: string): number | undefined {
  if (src.z !== null) return src.z.score(member);
  if (src.s !== null) return src.s.has(member) ? 1 : undefined;
  return undefined;
}

/** Calls visit(member, score) for every member of an input. */
function eachOf(src: OpSrc, visit: (member: string, score: number) => void): void {
  if (src.z !== null) src.z.forEach(visit);
  else if (src.s !== null) src.s.forEach((m) => visit(m, 1));
}

/**
 * Redis's zunionInterDiffGenericCommand. `numkeysAt` is 1 (ZUNION, ZINTER,
 * ZDIFF, ZINTERCARD) or 2 (the STORE forms, `dst` their destination).
 * `name` is the command's name for the numkeys error.
 */
function zsetOp(c: Client, args: string[], dst: string | null, numkeysAt: number, op: number, cardOnly: boolean, name: string): void {
  const nk = parseInt64(args[numkeysAt]!);
  if (nk === null) { c.error(NOT_INT); return; }
  if (nk < 1) { c.error(atLeastOneInputKey(name)); return; }
  if (nk > args.length - (numkeysAt + 1)) { c.error(SYNTAX); return; }
  const setnum = toNum(nk);

  // Every input is looked up (as a read) before the options are parsed.
  const db = c.db;
  const now = c.server.now;
  const srcs: OpSrc[] = new Array(setnum);
  let j = numkeysAt + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const key = args[j]!;
    const slot = db.lookupRead(key, now);
    const src: OpSrc = { key, z: null, s: null, weight: 1, size: 0 };
    if (slot !== -1) {
      const v = db.vals[slot]!;
      if (typeof v === 'string' || (v.type !== 'zset' && v.type !== 'set')) { c.error(WRONGTYPE); return; }
      if (v.type === 'zset') src.z = v as ZSetValue; else src.s = v as SetValue;
      src.size = v.size;
    }
    srcs[i] = src;
  }

  let how = AGGR_SUM;
  let withscores = false;
  let limit = 0;
  let remaining = args.length - j;
  while (remaining > 0) {
    const o = opt(args[j]!);
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && o === 'weights') {
      j++; remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(args[j]!);
        if (w === null) { c.error(WEIGHT_NOT_FLOAT); return; }
        srcs[i]!.weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && o === 'aggregate') {
      j++; remaining--;
      const a = opt(args[j]!);
      if (a === 'sum') how = AGGR_SUM;
      else if (a === 'min') how = AGGR_MIN;
      else if (a === 'max') how = AGGR_MAX;
      else { c.error(SYNTAX); return; }
      j++; remaining--;
    } else if (remaining >= 1 && dst === null && !cardOnly && o === 'withscores') {
      j++; remaining--;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && o === 'limit') {
      j++; remaining--;
      const v = parseInt64(args[j]!);
      if (v === null || v < 0) { c.error(LIMIT_NEGATIVE); return; }
      limit = toNum(v);
      j++; remaining--;
    } else {
      c.error(SYNTAX);
      return;
    }
  }

  // Smallest input first (a stable sort, like glibc's merge sort in qsort):
  // the order the scores are aggregated in.
  if (op !== OP_DIFF) srcs.sort((a, b) => a.size - b.size);

  const resM: string[] = [];
  const resS: number[] = [];
  if (op === OP_INTER) {
    const first = srcs[0]!;
    if (first.size > 0) {
      let card = 0;
      let stop = false;
      eachOf(first, (member, s0) => {
        if (stop) return;
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let i = 1;
        for (; i < setnum; i++) {
          const src = srcs[i]!;
          let value: number | undefined;
          if (src.key === first.key) value = s0 * src.weight;
          else {
            value = findIn(src, member);
            if (value === undefined) break;
            value *= src.weight;
          }
          score = aggregate(score, value, how);
        }
        if (i !== setnum) return;
        if (cardOnly) {
          card++;
          if (limit !== 0 && card >= limit) stop = true;
        } else {
          resM.push(member);
          resS.push(score);
        }
      });
      if (cardOnly) { c.w.integer(card); return; }
    } else if (cardOnly) {
      c.w.integer(0);
      return;
    }
  } else if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (const src of srcs) {
      if (src.size === 0) continue;
      eachOf(src, (member, s) => {
        let score = src.weight * s;
        if (Number.isNaN(score)) score = 0;
        const had = acc.get(member);
        acc.set(member, had === undefined ? score : aggregate(had, score, how));
      });
    }
    for (const [m, s] of acc) { resM.push(m); resS.push(s); }
  } else {
    const first = srcs[0]!;
    // zsetChooseDiffAlgorithm: the first input repeated later leaves nothing.
    let same = false;
    for (let i = 1; i < setnum; i++) if (srcs[i]!.key === first.key) same = true;
    if (first.size > 0 && !same) {
      eachOf(first, (member, s) => {
        for (let i = 1; i < setnum; i++) if (findIn(srcs[i]!, member) !== undefined) return;
        resM.push(member);
        resS.push(s);
      });
    }
  }

  // The result in sorted-set order: by score, then member bytes (-0 and 0 tie).
  const order = new Array<number>(resM.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const sa = resS[a]!;
    const sb = resS[b]!;
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    return compareMembers(resM[a]!, resM[b]!);
  });

  if (dst !== null) {
    const out = new ZSetValue('skiplist');
    const limits = limitsOf(c);
    for (const i of order) out.set(resM[i]!, resS[i]!, limits);
    if (out.size > 0) out.convertToListpackIfFits(limits);
    finishStore(c, dst, out, op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore');
    return;
  }
  pairsHeader(c, order.length, withscores);
  for (const i of order) replyEntry(c, resM[i]!, resS[i]!, withscores);
}

function zunion(c: Client, args: string[]): void { zsetOp(c, args, null, 1, OP_UNION, false, 'zunion'); }
function zinter(c: Client, args: string[]): void { zsetOp(c, args, null, 1, OP_INTER, false, 'zinter'); }
function zdiff(c: Client, args: string[]): void { zsetOp(c, args, null, 1, OP_DIFF, false, 'zdiff'); }
function zintercard(c: Client, args: string[]): void { zsetOp(c, args, null, 1, OP_INTER, true, 'zintercard'); }
function zunionstore(c: Client, args: string[]): void { zsetOp(c, args, args[1]!, 2, OP_UNION, false, 'zunionstore'); }
function zinterstore(c: Client, args: string[]): void { zsetOp(c, args, args[1]!, 2, OP_INTER, false, 'zinterstore'); }
function zdiffstore(c: Client, args: string[]): void { zsetOp(c, args, args[1]!, 2, OP_DIFF, false, 'zdiffstore'); }

// ---- ZSCAN --------------------------------------------------------------------------

/**
 * ZSCAN: the cursor is checked first, then the key (a missing key is an
 * empty scan, whatever the options), then the options. A listpack is
 * returned whole with cursor 0 and its scores as the listpack holds them
 * (listpackScoreText); a skiplist page by page (ZSetValue.scan), scores as
 * %.17g. MATCH filters members, and a filtered member's score goes with it.
 */
function zscan(c: Client, args: string[]): void {
  const cursor = parseCursor(args[2]!);
  if (cursor === null) { c.error(INVALID_CURSOR); return; }
  const slot = c.db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) {
    c.w.array(2); c.w.bulk('0'); c.w.array(0);
    return;
  }
  const z = zsetAt(c, slot);
  if (z === null) return;
  const so = scanOpts(c, args, 3, false);
  if (so === null) return;
  const { count, match } = so;
  const out: string[] = [];
  let next = 0;
  if (z.encoding === 'listpack') {
    z.forEach((m, s) => { if (match === null || globMatch(match, m)) out.push(m, listpackScoreText(s)); });
  } else {
    const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
    next = z.scan(start, count > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : count, (m, s) => {
      if (match === null || globMatch(match, m)) out.push(m, formatScore(s));
    });
  }
  c.w.array(2);
  c.w.bulk(String(next));
  c.w.array(out.length);
  for (const x of out) c.w.bulk(x);
}

// ---- BZPOPMIN BZPOPMAX BZMPOP (blocking.ts holds the clients) -------------------

/**
 * Serves a client blocked in BZPOPMIN/BZPOPMAX/BZMPOP from the sorted set
 * now at `key` (Redis's serveClientsBlockedOnSortedSetKey): the pop as the
 * command would have done it, key first. Returns true when it emptied the key.
 */
function serveZpop(c: Client, st: BlockState, db: Db, key: string, slot: number): boolean {
  const nested = st.cmd.name === 'bzmpop';
  zpopFrom(c, key, slot, db.vals[slot] as ZSetValue, st.wherefrom, st.count, nested, true);
  return db.find(key) === -1;
}

/**
 * Redis's blockingGenericZpopCommand: pops from the first key holding a
 * non-empty sorted set, else blocks on all of them (inside EXEC: a null
 * array). count -1: BZPOPMIN/BZPOPMAX's single member, flat; else BZMPOP's
 * nested reply.
 */
function blockingZpop(c: Client, args: string[], from: number, to: number, where: number, deadline: number, count: number, nested: boolean): void {
  const db = c.db;
  for (let i = from; i < to; i++) {
    const key = args[i]!;
    const slot = db.lookupWrite(key, c.server.now);
    if (slot === -1) continue;
    const z = zsetAt(c, slot);
    if (z === null) return;
    if (z.size === 0) continue;
    zpopFrom(c, key, slot, z, where, count, nested, true);
    return;
  }
  if (c.denyBlocking) { c.w.nilArray(); return; }
  const cmd = c.server.commands.lookup(nested ? 'bzmpop' : where === ZSET_MAX ? 'bzpopmax' : 'bzpopmin')!;
  const st = c.server.blocking.blockForKeys(c, BLOCKED_ZSET, args.slice(from, to), deadline, serveZpop, cmd, args);
  st.wherefrom = where;
  st.count = count;
}

function bzpop(where: number): (c: Client, args: string[]) => void {
  return (c, args) => {
    const deadline = parseTimeout(c, args[args.length - 1]!, true);
    if (deadline === null) return;
    blockingZpop(c, args, 1, args.length - 1, where, deadline, -1, false);
  };
}

function bzmpop(c: Client, args: string[]): void {
  const p = parseZmpop(c, args, 2);
  if (p === null) return;
  const deadline = parseTimeout(c, args[1]!, true);
  if (deadline === null) return;
  blockingZpop(c, args, p.from, p.to, p.where, deadline, p.count, true);
}

/** BZMPOP's key positions: numkeys at 2, then that many keys (null when numkeys is not in 1..arguments left). */
function bzmpopKeys(args: readonly string[]): number[] | null {
  const n = parseInt64(args[2] ?? '');
  if (n === null || n < 1 || n > args.length - 3) return null;
  const out: number[] = [];
  for (let i = 0; i < Number(n); i++) out.push(3 + i);
  return out;
}

// ---- the command table ------------------------------------------------------------

const G = 'sorted-set';
const RANGE = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const BYRANGE = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMRANGE = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const POP = 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';
const UNION = 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const INTER = 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF = 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

export const zsetCommands: Command[] = [
  { name: 'zadd', arity: -4, args: 'key condition:[NX|XX] comparison:[GT|LT] [CH] [INCR] score_member:(score:double member)...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW update', summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', handler: zadd },
  { name: 'zincrby', arity: 4, args: 'key increment:integer member', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Increment the score of a member in a sorted set', since: '1.2.0', complexity: 'O(log(N)) where N is the number of elements in the sorted set.', handler: zincrby },
  { name: 'zrem', arity: -3, args: 'key member...', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW delete', summary: 'Remove one or more members from a sorted set', since: '1.2.0', complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', handler: zrem },
  { name: 'zcard', arity: 2, args: 'key', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO', summary: 'Get the number of members in a sorted set', since: '1.2.0', handler: zcard },
  { name: 'zcount', arity: 4, args: 'key min:double max:double', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: zcount },
  { name: 'zlexcount', arity: 4, args: 'key min max', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: zlexcount },
  { name: 'zscore', arity: 3, args: 'key member', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0', handler: zscore },
  { name: 'zmscore', arity: -3, args: 'key member...', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0', complexity: 'O(N) where N is the number of members being requested.', handler: zmscore },
  { name: 'zrank', arity: 3, args: 'key member', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Determine the index of a member in a sorted set', since: '2.0.0', complexity: 'O(log(N))', handler: zrank },
  { name: 'zrevrank', arity: 3, args: 'key member', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', since: '2.0.0', complexity: 'O(log(N))', handler: zrevrank },
  { name: 'zrange', arity: -4, args: 'key min max sortby:[BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer] [WITHSCORES]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set', since: '1.2.0', complexity: RANGE, handler: zrange },
  { name: 'zrangestore', arity: -5, args: 'dst:key src:key min max sortby:[BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer]', flags: 'write denyoom', keys: [1, 2, 1], keyFlags: 'OW update', summary: 'Store a range of members from sorted set into another key', since: '6.2.0', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', handler: zrangestore },
  { name: 'zrangebyscore', arity: -4, args: 'key min:double max:double [WITHSCORES] [LIMIT offset:integer count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set, by score', since: '1.0.5', complexity: BYRANGE, handler: zrangebyscore },
  { name: 'zrevrangebyscore', arity: -4, args: 'key max:double min:double [WITHSCORES] [LIMIT offset:integer count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', since: '2.2.0', complexity: BYRANGE, handler: zrevrangebyscore },
  { name: 'zrangebylex', arity: -4, args: 'key min max [LIMIT offset:integer count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9', complexity: BYRANGE, handler: zrangebylex },
  { name: 'zrevrangebylex', arity: -4, args: 'key max min [LIMIT offset:integer count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', since: '2.8.9', complexity: BYRANGE, handler: zrevrangebylex },
  { name: 'zrevrange', arity: -4, args: 'key start:integer stop:integer [WITHSCORES]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', since: '1.2.0', complexity: RANGE, handler: zrevrange },
  { name: 'zremrangebyrank', arity: 4, args: 'key start:integer stop:integer', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0', complexity: REMRANGE, handler: zremrangebyrank },
  { name: 'zremrangebyscore', arity: 4, args: 'key min:double max:double', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0', complexity: REMRANGE, handler: zremrangebyscore },
  { name: 'zremrangebylex', arity: 4, args: 'key min max', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9', complexity: REMRANGE, handler: zremrangebylex },
  { name: 'zpopmin', arity: -2, args: 'key [count:integer]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access delete', summary: 'Remove and return members with the lowest scores in a sorted set', since: '5.0.0', complexity: POP, handler: zpopmin },
  { name: 'zpopmax', arity: -2, args: 'key [count:integer]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access delete', summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0', complexity: POP, handler: zpopmax },
  { name: 'bzpopmin', arity: -3, args: 'key... timeout:double', flags: 'write noscript blocking fast', keys: [1, -2, 1], keyFlags: 'RW access delete', summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', since: '5.0.0', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: bzpop(ZSET_MIN) },
  { name: 'bzpopmax', arity: -3, args: 'key... timeout:double', flags: 'write noscript blocking fast', keys: [1, -2, 1], keyFlags: 'RW access delete', summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', since: '5.0.0', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: bzpop(ZSET_MAX) },
  { name: 'bzmpop', arity: -5, args: 'timeout:double numkeys:integer key... where:[MIN|MAX] [COUNT count:integer]', flags: 'write blocking movablekeys', keysOf: bzmpopKeys, keyFlags: 'RW access delete', summary: 'Remove and return members with scores in a sorted set or block until one is available', since: '7.0.0', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', handler: bzmpop },
  { name: 'zmpop', arity: -4, args: 'numkeys:integer key... where:[MIN|MAX] [COUNT count:integer]', flags: 'write movablekeys', keyFlags: 'RW access delete', summary: 'Remove and return members with scores in a sorted set', since: '7.0.0', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', handler: zmpop },
  { name: 'zrandmember', arity: -2, args: 'key options:[count:integer [WITHSCORES]]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0', complexity: 'O(N) where N is the number of elements returned', handler: zrandmember },
  { name: 'zunion', arity: -3, args: 'numkeys:integer key... [WEIGHTS weight:integer...] [AGGREGATE aggregate:[SUM|MIN|MAX]] [WITHSCORES]', flags: 'readonly movablekeys', keyFlags: 'RO access', summary: 'Add multiple sorted sets', since: '6.2.0', complexity: UNION, handler: zunion },
  { name: 'zinter', arity: -3, args: 'numkeys:integer key... [WEIGHTS weight:integer...] [AGGREGATE aggregate:[SUM|MIN|MAX]] [WITHSCORES]', flags: 'readonly movablekeys', keyFlags: 'RO access', summary: 'Intersect multiple sorted sets', since: '6.2.0', complexity: INTER, handler: zinter },
  { name: 'zdiff', arity: -3, args: 'numkeys:integer key... [WITHSCORES]', flags: 'readonly movablekeys', keyFlags: 'RO access', summary: 'Subtract multiple sorted sets', since: '6.2.0', complexity: DIFF, handler: zdiff },
  { name: 'zunionstore', arity: -4, args: 'destination:key numkeys:integer key... [WEIGHTS weight:integer...] [AGGREGATE aggregate:[SUM|MIN|MAX]]', flags: 'write denyoom movablekeys', keys: [1, 1, 1], keyFlags: 'OW update', summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0', complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', handler: zunionstore },
  { name: 'zinterstore', arity: -4, args: 'destination:key numkeys:integer key... [WEIGHTS weight:integer...] [AGGREGATE aggregate:[SUM|MIN|MAX]]', flags: 'write denyoom movablekeys', keys: [1, 1, 1], keyFlags: 'OW update', summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0', complexity: INTER, handler: zinterstore },
  { name: 'zdiffstore', arity: -4, args: 'destination:key numkeys:integer key...', flags: 'write denyoom movablekeys', keys: [1, 1, 1], keyFlags: 'OW update', summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0', complexity: DIFF, handler: zdiffstore },
  { name: 'zintercard', arity: -3, args: 'numkeys:integer key... [LIMIT limit:integer]', flags: 'readonly movablekeys', keyFlags: 'RO access', summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0', complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', handler: zintercard },
  { name: 'zscan', arity: -3, args: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', handler: zscan },
].map((d) => defineCommand({ ...d, group: G, keys: d.keys as [number, number, number] | undefined }));
