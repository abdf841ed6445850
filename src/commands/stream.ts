/**
 * Stream commands, as Redis 7.0's t_stream.c: XADD XRANGE XREVRANGE XLEN XDEL
 * XTRIM XREAD XREADGROUP XGROUP (CREATE SETID DESTROY CREATECONSUMER
 * DELCONSUMER HELP) XACK XPENDING XCLAIM XAUTOCLAIM XINFO (STREAM GROUPS
 * CONSUMERS HELP) XSETID.
 *
 * The value is a StreamValue (types/stream.ts). Each command parses its
 * arguments and looks its key up in Redis's order (which error wins, and
 * whether a missing key answers before a bad argument, is visible), with
 * the same kind of lookup (read: keyspace hits/misses and keymiss events),
 * fires Redis's keyspace events (xadd, xtrim, xdel, xgroup-create,
 * xgroup-createconsumer, xgroup-delconsumer, xgroup-destroy, xgroup-setid,
 * xsetid; Redis 7.0.15 fires none for XCLAIM, XAUTOCLAIM or XACK), and keeps
 * the memory account: changes Redis signals as a key modification (XADD,
 * XDEL, XTRIM) go through Db.valueChanged (WATCH), the group bookkeeping
 * Redis does not signal (XREADGROUP, XACK, XCLAIM, XGROUP, XSETID) through
 * Db.valueResized.
 *
 * IDs are 128-bit BigInts (ms * 2^64 + seq). `XADD *` takes its ms from the
 * server clock (server.now, so a manual clock makes IDs predictable) and
 * never goes backwards: a clock behind the last ID gives last ID + 1.
 * Times of deliveries and consumers (XPENDING's idle, XCLAIM's IDLE/TIME,
 * XINFO) are server-clock ms too.
 *
 * Blocking: XREAD/XREADGROUP BLOCK with nothing to serve block the client
 * (blocking.ts, BLOCKED_STREAM) with the ID to pass per key (`$` resolved
 * when blocking; `>` follows the group's last ID when served). XADD signals
 * the key ready after every append, XGROUP DESTROY and the key's deletion
 * too, so a waiting XREADGROUP gets -NOGROUP / -UNBLOCKED as in Redis.
 * Inside EXEC (Client.denyBlocking) they answer a null array at once.
 */

import type { Client } from '../connection.js';
import type { Db } from '../keyspace.js';
import { ReplyWriter } from '../protocol/reply.js';
import { parseInt64 } from '../numbers.js';
import { NOTIFY_STREAM } from '../notify.js';
import { xreadBlockFromScript } from '../errors.js';
import { BLOCKED_STREAM, parseTimeout, type BlockState } from '../blocking.js';
import {
  BUSYGROUP, ENTRIESREAD_NEGATIVE, INVALID_END_ID, INVALID_START_ID, NOGROUP_BLOCKED, NOT_INT, NO_SUCH_KEY,
  STREAM_INVALID_ID, SYNTAX, TRIM_BOTH, TRIM_LIMIT_NEGATIVE, TRIM_LIMIT_NOT_APPROX, TRIM_LIMIT_NO_STRATEGY,
  TRIM_MAXLEN_NEGATIVE, UNBLOCKED_STREAM_GONE, WRONGTYPE, XADD_EXHAUSTED, XADD_ID_TOO_SMALL, XADD_ID_ZERO,
  XADD_TOO_LARGE, XAUTOCLAIM_COUNT, XAUTOCLAIM_MIN_IDLE, XCLAIM_IDLE, XCLAIM_MIN_IDLE, XCLAIM_RETRYCOUNT,
  XCLAIM_TIME, XGROUP_NO_KEY, XREADGROUP_DOLLAR, XREADGROUP_MISSING_GROUP, XREAD_GROUP_OPTION, XREAD_GT,
  XREAD_NOACK_OPTION, XREAD_UNBALANCED, XSETID_BELOW_MAX_DELETED, XSETID_ENTRIES_ADDED_NEGATIVE,
  XSETID_ENTRIES_ADDED_SMALL, XSETID_TOO_SMALL, XTRIM_NO_STRATEGY, noGroupForKey, noGroupKey, noGroupXreadgroup,
  unknownSubcommandOrArity, wrongArity, xclaimUnknownOption,
} from '../errors.js';
import {
  ENTRIES_READ_INVALID, ID_MAX, LISTPACK_MAX_SIZE, StreamValue, TRIM_MAXLEN, TRIM_MINID, TRIM_NONE, U64_MAX,
  byteOrder, formatId, idKey, makeId, type Consumer, type Group, type Nack, type StreamLimits, type StreamNode, type TrimArgs,
} from '../types/stream.js';
import { defineCommand, type Command } from './table.js';
import { helpReply, notify, opt } from './util.js';

// ---- ID parsing -----------------------------------------------------------------------

const TWO_64 = 1n << 64n;

/** C's isspace. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Redis's string2ull: a strict long long that is not negative, else what
 * strtoull accepts (leading blanks, a sign, leading zeros; `-n` wraps
 * modulo 2^64), the whole string and at most 2^64-1. null when invalid.
 */
function parseU64(s: string): bigint | null {
  const ll = parseInt64(s);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  const start = i;
  while (i < s.length) { const c = s.charCodeAt(i); if (c < 48 || c > 57) break; i++; }
  if (i === start || i !== s.length) return null;
  const v = BigInt(s.slice(start, i));
  if (v > U64_MAX) return null;
  return neg && v !== 0n ? TWO_64 - v : v;
}

/** A parsed ID; `seqGiven` false for XADD's <ms>-* form. */
interface ParsedId { id: bigint; seqGiven: boolean }

/**
 * Redis's streamGenericParseIDOrReply: <ms>[-<seq>] (a missing seq is
 * `missingSeq`), `-` and `+` unless `strict`, and <ms>-* when `seqStar`.
 * null when invalid (after replying, if `c` is given).
 */
function parseIdArg(c: Client | null, arg: string, missingSeq: bigint, strict: boolean, seqStar = false): ParsedId | null {
  const invalid = (): null => { if (c !== null) c.error(STREAM_INVALID_ID); return null; };
  if (arg.length > 127) return invalid();
  const z = arg.indexOf('\0');
  const s = z === -1 ? arg : arg.slice(0, z);
  if (s === '-' || s === '+') {
    if (strict) return invalid();
    return { id: s === '-' ? 0n : ID_MAX, seqGiven: true };
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash === -1 ? s : s.slice(0, dash));
  if (ms === null) return invalid();
  let seq = missingSeq;
  let seqGiven = true;
  if (dash !== -1) {
    const rest = s.slice(dash + 1);
    if (seqStar && rest === '*') { seq = 0n; seqGiven = false; }
    else {
      const v = parseU64(rest);
      if (v === null) return invalid();
      seq = v;
    }
  }
  return { id: makeId(ms, seq), seqGiven };
}

/**
 * The common shape, `<ms>-<seq>` with 1 to 15 plain digits each (no sign, no
 * leading zero, so below 2^53), as a number pair turned into one ID; -1n for
 * anything else, which goes through parseIdArg. Saves its slices, BigInt
 * parses and result object on every XACK and history read.
 */
function plainId(arg: string): bigint {
  const n = arg.length;
  let ms = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = arg.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    ms = ms * 10 + d;
  }
  if (i === 0 || i > 15 || i === n || arg.charCodeAt(i) !== 45 /* - */ || (arg.charCodeAt(0) === 48 && i > 1)) return -1n;
  const from = ++i;
  let seq = 0;
  for (; i < n; i++) {
    const d = arg.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1n;
    seq = seq * 10 + d;
  }
  if (i === from || i - from > 15 || (arg.charCodeAt(from) === 48 && i - from > 1)) return -1n;
  return (BigInt(ms) << 64n) | BigInt(seq);
}

function strictId(c: Client | null, arg: string): bigint | null {
  const fast = plainId(arg);
  if (fast !== -1n) return fast;
  const p = parseIdArg(c, arg, 0n, true);
  return p === null ? null : p.id;
}

/**
 * Redis's streamParseIntervalIDOrReply plus the `(` adjustment: a range
 * bound, exclusive with a `(` prefix (then strict, and moved one ID in).
 * null after replying the error.
 */
function intervalId(c: Client, arg: string, missingSeq: bigint, isStart: boolean): bigint | null {
  const exclusive = arg.length > 1 && arg[0] === '(';
  const p = parseIdArg(c, exclusive ? arg.slice(1) : arg, missingSeq, exclusive);
  if (p === null) return null;
  if (!exclusive) return p.id;
  if (isStart) {
    if (p.id === ID_MAX) { c.error(INVALID_START_ID); return null; }
    return p.id + 1n;
  }
  if (p.id === 0n) { c.error(INVALID_END_ID); return null; }
  return p.id - 1n;
}

/** getLongLongFromObjectOrReply: a number (bigint beyond 2^53), or null after replying `msg`. */
function llArg(c: Client, arg: string, msg = NOT_INT): number | null {
  const v = parseInt64(arg);
  if (v === null) { c.error(msg); return null; }
  return Number(v);
}

// ---- shared helpers -----------------------------------------------------------------------

/** The stream at `slot`, or null after replying WRONGTYPE. */
function asStream(c: Client, db: Db, slot: number): StreamValue | null {
  const v = db.vals[slot]!;
  if (typeof v === 'string' || v.type !== 'stream') { c.error(WRONGTYPE); return null; }
  return v as unknown as StreamValue;
}

function limits(c: Client): StreamLimits {
  const cfg = c.server.config;
  return { maxEntries: Number(cfg['stream-node-max-entries']), maxBytes: Number(cfg['stream-node-max-bytes']) };
}

/** One entry as Redis replies it: [id, [field, value, ...]]. */
function writeEntry(w: ReplyWriter, node: StreamNode, i: number, id: bigint): void {
  w.array(2);
  w.bulk(formatId(id));
  const a = node.off[i]!;
  const b = node.off[i + 1]!;
  w.array(b - a);
  const kv = node.kv;
  for (let k = a; k < b; k++) w.bulk(kv[k]!);
}

/** A single entry by ID (Redis's streamReplyWithRange(id, id, 1, RAWENTRIES)); false when it is gone. */
function writeEntryById(w: ReplyWriter, s: StreamValue, id: bigint): boolean {
  const f = s.find(id);
  if (f === null) return false;
  writeEntry(w, f[0], f[1], id);
  return true;
}

/** Plain range reply (no group): the entries with start <= ID <= end, up to count (0 = all). */
function writeRange(w: ReplyWriter, s: StreamValue, start: bigint, end: bigint, count: number, rev: boolean): number {
  // The length comes first in RESP: count the entries, then write them (two passes over the same range).
  const it = s.iter(start, end, rev);
  let n = 0;
  while ((count === 0 || n < count) && it.next()) n++;
  w.array(n);
  const it2 = s.iter(start, end, rev);
  for (let k = 0; k < n && it2.next(); k++) writeEntry(w, it2.node!, it2.i, it2.id);
  return n;
}

/**
 * writeGroupRange's picks (node, index, ID), reused by every call: written by
 * index, the node slots cleared as they are used (no StreamNode outlives its
 * read here), the arrays cut back after a read of more than 1,024 entries.
 */
const pickNodes: Array<StreamNode | null> = [];
const pickIdx: number[] = [];
const pickIds: bigint[] = [];

/**
 * Redis's streamReplyWithRange with a group (XREADGROUP with `>`): entries
 * after `start`, up to count (0 = all); each moves the group's last ID and
 * read counter and, unless NOACK, goes into the PEL (an entry already
 * pending, after XGROUP SETID, changes owner and restarts its count).
 */
function writeGroupRange(c: Client, w: ReplyWriter, s: StreamValue, start: bigint, count: number, g: Group, consumer: Consumer, noack: boolean): void {
  // One pass to pick the entries (RESP wants their count first), then the reply from the picks.
  const it = s.iter(start, ID_MAX, false);
  let n = 0;
  while ((count === 0 || n < count) && it.next()) { pickNodes[n] = it.node; pickIdx[n] = it.i; pickIds[n] = it.id; n++; }
  w.array(n);
  const now = c.server.now;
  for (let k = 0; k < n; k++) {
    const id = pickIds[k]!;
    if (id > g.lastId) s.groupRead(g, id);
    writeEntry(w, pickNodes[k]!, pickIdx[k]!, id);
    pickNodes[k] = null;
    if (noack) continue;
    const key = idKey(id);
    const nack = g.pel.get(id, key);
    if (nack === undefined) {
      s.addNewNack(g, id, { deliveryTime: now, deliveryCount: 1, consumer }, key);
    } else {
      s.moveNack(id, nack, consumer, key);
      nack.deliveryTime = now;
      nack.deliveryCount = 1;
    }
  }
  if (n > 1024) { pickNodes.length = 0; pickIdx.length = 0; pickIds.length = 0; }
}

/**
 * Redis's streamReplyWithRangeFromConsumerPEL (XREADGROUP with an ID): the
 * consumer's pending entries from `start`, up to count; a deleted entry
 * shows as [id, null]; each delivered one counts a delivery.
 */
function writeConsumerHistory(c: Client, w: ReplyWriter, s: StreamValue, start: bigint, count: number, consumer: Consumer): void {
  const ids = consumer.pel.from(start, count);
  w.array(ids.length);
  const now = c.server.now;
  for (const id of ids) {
    if (!writeEntryById(w, s, id)) {
      w.array(2);
      w.bulk(formatId(id));
      w.nilArray();
    } else {
      const nack = consumer.pel.get(id)!;
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
  }
}

/** Redis's streamLookupConsumer (refreshing seen-time) or streamCreateConsumer (with its event). */
function lookupOrCreateConsumer(c: Client, s: StreamValue, g: Group, name: string, key: string): Consumer {
  const found = seenConsumer(c, g, name);
  if (found !== undefined) return found;
  const made = s.createConsumer(g, name, c.server.now)!;
  notify(c, NOTIFY_STREAM, 'xgroup-createconsumer', key);
  return made;
}

/** Redis's streamLookupConsumer with SLC_DEFAULT: the consumer, its seen-time refreshed. */
function seenConsumer(c: Client, g: Group, name: string): Consumer | undefined {
  const found = g.consumers.get(name);
  if (found !== undefined) found.seenTime = c.server.now;
  return found;
}

/**
 * The same without the event, for XCLAIM/XAUTOCLAIM: Redis fires it while
 * their reply is open (after its headers, before the first entry), so they
 * fire it themselves at that point.
 */
function findOrCreateConsumer(c: Client, s: StreamValue, g: Group, name: string): { consumer: Consumer; created: boolean } {
  const found = seenConsumer(c, g, name);
  if (found !== undefined) return { consumer: found, created: false };
  return { consumer: s.createConsumer(g, name, c.server.now)!, created: true };
}

/** Replies an integer Redis prints as long long from a uint64 or long long counter. */
function ll(w: ReplyWriter, v: bigint): void {
  w.integer(BigInt.asIntN(64, v));
}

// ---- XADD, XTRIM ------------------------------------------------------------------------

interface AddTrimArgs extends TrimArgs {
  /** XADD: the ID argument's position. */
  idPos: number;
  id: bigint;
  idGiven: boolean;
  seqGiven: boolean;
  noMkstream: boolean;
}

/** Redis's streamParseAddOrTrimArgsOrReply; null after replying the error. */
function parseAddTrim(c: Client, args: string[], xadd: boolean): AddTrimArgs | null {
  const a: AddTrimArgs = { strategy: TRIM_NONE, approx: false, limit: 0, maxlen: 0, minid: 0n, idPos: 0, id: 0n, idGiven: false, seqGiven: true, noMkstream: false };
  let limitGiven = false;
  let i = 2;
  for (; i < args.length; i++) {
    const more = args.length - 1 - i;
    const arg = args[i]!;
    if (xadd && arg === '*') break;
    const o = opt(arg);
    if (o === 'maxlen' && more > 0) {
      if (a.strategy !== TRIM_NONE) { c.error(TRIM_BOTH); return null; }
      a.approx = false;
      const next = args[i + 1]!;
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const v = parseInt64(args[i + 1]!);
      if (v === null) { c.error(NOT_INT); return null; }
      if (v < 0) { c.error(TRIM_MAXLEN_NEGATIVE); return null; }
      a.maxlen = Number(v);
      i++;
      a.strategy = TRIM_MAXLEN;
    } else if (o === 'minid' && more > 0) {
      if (a.strategy !== TRIM_NONE) { c.error(TRIM_BOTH); return null; }
      a.approx = false;
      const next = args[i + 1]!;
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const id = strictId(c, args[i + 1]!);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = TRIM_MINID;
    } else if (o === 'limit' && more > 0) {
      const v = parseInt64(args[i + 1]!);
      if (v === null) { c.error(NOT_INT); return null; }
      if (v < 0) { c.error(TRIM_LIMIT_NEGATIVE); return null; }
      a.limit = Number(v);
      limitGiven = true;
      i++;
    } else if (xadd && o === 'nomkstream') {
      a.noMkstream = true;
    } else if (xadd) {
      const p = parseIdArg(c, arg, 0n, true, true);
      if (p === null) return null;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      a.idGiven = true;
      break;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  a.idPos = i;
  if (a.limit !== 0 && a.strategy === TRIM_NONE) { c.error(TRIM_LIMIT_NO_STRATEGY); return null; }
  if (!xadd && a.strategy === TRIM_NONE) { c.error(XTRIM_NO_STRATEGY); return null; }
  if (limitGiven) {
    if (!a.approx) { c.error(TRIM_LIMIT_NOT_APPROX); return null; }
  } else if (a.approx) {
    let l = 100 * Number(c.server.config['stream-node-max-entries']);
    if (l <= 0) l = 10000;
    if (l > 1000000) l = 1000000;
    a.limit = l;
  } else {
    a.limit = 0;
  }
  return a;
}

function xadd(c: Client, args: string[]): void {
  const a = parseAddTrim(c, args, true);
  if (a === null) return;
  const fieldPos = a.idPos + 1;
  const nf = args.length - fieldPos;
  if (nf < 2 || nf % 2 === 1) { c.error(wrongArity('xadd')); return; }
  if (a.idGiven && a.seqGiven && a.id === 0n) { c.error(XADD_ID_ZERO); return; }
  const db = c.db;
  const key = args[1]!;
  const now = c.server.now;
  let slot = db.lookupWrite(key, now);
  let s: StreamValue;
  if (slot === -1) {
    if (a.noMkstream) { c.w.nil(); return; }
    s = new StreamValue();
    slot = db.add(key, s as never, now);
  } else {
    const v = asStream(c, db, slot);
    if (v === null) return;
    s = v;
  }
  if (s.lastId === ID_MAX) { c.error(XADD_EXHAUSTED); return; }
  // Redis's streamAppendItem: the new ID.
  let id: bigint;
  const last = s.lastId;
  if (a.idGiven) {
    if (a.seqGiven) id = a.id;
    else if ((last >> 64n) === (a.id >> 64n)) {
      // Redis's streamAppendItem fails here without setting errno, so XADD reports ERANGE's text.
      if ((last & U64_MAX) === U64_MAX) { c.error(XADD_TOO_LARGE); return; }
      id = last + 1n;
    } else id = a.id;
  } else {
    const ms = BigInt(now);
    id = ms > (last >> 64n) ? ms << 64n : last + 1n;
  }
  if (id <= last) { c.error(XADD_ID_TOO_SMALL); return; }
  let tot = 0;
  for (let i = fieldPos; i < args.length; i++) tot += args[i]!.length;
  if (tot > LISTPACK_MAX_SIZE) { c.error(XADD_TOO_LARGE); return; }
  const before = s.bytes;
  s.append(id, args, fieldPos, tot, limits(c));
  c.w.bulk(formatId(id));
  db.valueChanged(slot, before);
  notify(c, NOTIFY_STREAM, 'xadd', key);
  if (a.strategy !== TRIM_NONE) {
    const b2 = s.bytes;
    if (s.trim(a) !== 0) {
      db.valueResized(slot, b2);
      notify(c, NOTIFY_STREAM, 'xtrim', key);
    }
  }
  c.server.blocking.signalKeyAsReady(db, key, 'stream');
}

function xtrim(c: Client, args: string[]): void {
  const a = parseAddTrim(c, args, false);
  if (a === null) return;
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const s = asStream(c, db, slot);
  if (s === null) return;
  const before = s.bytes;
  const deleted = s.trim(a);
  if (deleted !== 0) {
    notify(c, NOTIFY_STREAM, 'xtrim', key);
    db.valueChanged(slot, before);
  }
  c.w.integer(deleted);
}

// ---- XRANGE, XREVRANGE, XLEN, XDEL --------------------------------------------------------

function xrangeGeneric(c: Client, args: string[], rev: boolean): void {
  const start = intervalId(c, rev ? args[3]! : args[2]!, 0n, true);
  if (start === null) return;
  const end = intervalId(c, rev ? args[2]! : args[3]!, U64_MAX, false);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < args.length; j++) {
    if (opt(args[j]!) === 'count' && args.length - j - 1 >= 1) {
      const v = llArg(c, args[j + 1]!);
      if (v === null) return;
      count = v < 0 ? 0 : v;
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.array(0); return; }
  const s = asStream(c, db, slot);
  if (s === null) return;
  if (count === 0) { c.w.nilArray(); return; }
  writeRange(c.w, s, start, end, count === -1 ? 0 : count, rev);
}

function xlen(c: Client, args: string[]): void {
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const s = asStream(c, db, slot);
  if (s !== null) c.w.integer(s.length);
}

function xdel(c: Client, args: string[]): void {
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const s = asStream(c, db, slot);
  if (s === null) return;
  const ids: bigint[] = [];
  for (let j = 2; j < args.length; j++) {
    const id = strictId(c, args[j]!);
    if (id === null) return;
    ids.push(id);
  }
  const before = s.bytes;
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.delete(id)) continue;
    if (id === s.firstId) firstEntry = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted !== 0) {
    if (s.length === 0) s.firstId = 0n;
    else if (firstEntry) s.firstId = s.firstValidId();
    db.valueChanged(slot, before);
    notify(c, NOTIFY_STREAM, 'xdel', key);
  }
  c.w.integer(deleted);
}

// ---- XREAD, XREADGROUP ----------------------------------------------------------------------

/** Blocked XREAD/XREADGROUP's default COUNT (Redis's XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

/**
 * Whether XREAD/XREADGROUP serves `key` now (Redis's serve_synchronously),
 * from after which ID, and from the consumer's history (an ID other than
 * `>`). A read lookup, as Redis's second pass does.
 */
function decideRead(c: Client, db: Db, key: string, id: bigint, g: Group | null): { s: StreamValue; slot: number; gt: bigint; history: boolean } | null {
  const slot = db.lookupRead(key, c.server.now);
  if (slot === -1) return null;
  const s = db.vals[slot] as unknown as StreamValue;
  if (g !== null) {
    if (id !== ID_MAX) return { s, slot, gt: id, history: true };
    if (s.length !== 0 && s.lastValidId() > g.lastId) return { s, slot, gt: g.lastId, history: false };
    return null;
  }
  return s.length !== 0 && s.lastValidId() > id ? { s, slot, gt: id, history: false } : null;
}

function xreadGeneric(c: Client, args: string[], group: boolean): void {
  let timeout = -1; // -1: no BLOCK
  let count = 0;
  let streamsArg = 0;
  let nStreams = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName: string | null = null;
  for (let i = 1; i < args.length; i++) {
    const more = args.length - i - 1;
    const o = opt(args[i]!);
    if (o === 'block' && more > 0) {
      // A script's own client: Redis refuses BLOCK outright there (backward compatibility).
      if (c === c.server.scripting.client) { c.w.error(xreadBlockFromScript(args[0]!)); return; }
      i++;
      const d = parseTimeout(c, args[i]!, false);
      if (d === null) return;
      timeout = d;
    } else if (o === 'count' && more > 0) {
      i++;
      const v = llArg(c, args[i]!);
      if (v === null) return;
      count = v < 0 ? 0 : v;
    } else if (o === 'streams' && more > 0) {
      streamsArg = i + 1;
      nStreams = args.length - streamsArg;
      if (nStreams % 2 !== 0) { c.error(XREAD_UNBALANCED); return; }
      nStreams /= 2;
      break;
    } else if (o === 'group' && more >= 2) {
      if (!group) { c.error(XREAD_GROUP_OPTION); return; }
      groupName = args[i + 1]!;
      consumerName = args[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!group) { c.error(XREAD_NOACK_OPTION); return; }
      noack = true;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (streamsArg === 0) { c.error(SYNTAX); return; }
  if (group && groupName === null) { c.error(XREADGROUP_MISSING_GROUP); return; }
  const db = c.db;
  const now = c.server.now;
  const ids: bigint[] = [];
  const groups: Array<Group | null> = [];
  for (let j = 0; j < nStreams; j++) {
    const key = args[streamsArg + j]!;
    const idArg = args[streamsArg + nStreams + j]!;
    const slot = db.lookupRead(key, now);
    let s: StreamValue | null = null;
    if (slot !== -1) {
      s = asStream(c, db, slot);
      if (s === null) return;
    }
    let g: Group | null = null;
    if (groupName !== null) {
      g = s === null ? null : s.group(groupName) ?? null;
      if (g === null) { c.error(noGroupXreadgroup(key, groupName)); return; }
    }
    groups.push(g);
    if (idArg === '$') {
      if (group) { c.error(XREADGROUP_DOLLAR); return; }
      ids.push(s === null ? 0n : s.lastId);
      continue;
    }
    if (idArg === '>') {
      if (!group) { c.error(XREAD_GT); return; }
      ids.push(ID_MAX);
      continue;
    }
    const id = strictId(c, idArg);
    if (id === null) return;
    ids.push(id);
  }
  // Serve synchronously what can be. RESP wants the count first: each key's decision is taken
  // before anything is written, which is exact unless a group reads the same key twice (the
  // first read moves the group's last ID): then the items go through a scratch writer.
  const dup = group && nStreams > 1 && new Set(args.slice(streamsArg, streamsArg + nStreams)).size !== nStreams;
  const out = dup ? new ReplyWriter() : c.w;
  out.resp = c.w.resp;
  // Without a repeated key, decide every key first (one read lookup each, as Redis's second pass);
  // one stream (the usual read) keeps its decision in `only`, without an array.
  let decided: Array<ReturnType<typeof decideRead>> | null = null;
  let only: ReturnType<typeof decideRead> = null;
  if (!dup) {
    let n = 0;
    if (nStreams === 1) {
      only = decideRead(c, db, args[streamsArg]!, ids[0]!, groups[0]!);
      if (only !== null) n = 1;
    } else {
      decided = [];
      for (let j = 0; j < nStreams; j++) { const d = decideRead(c, db, args[streamsArg + j]!, ids[j]!, groups[j]!); decided.push(d); if (d !== null) n++; }
    }
    if (n !== 0) { if (c.resp === 2) out.array(n); else out.map(n); }
  }
  let written = 0;
  for (let j = 0; j < nStreams; j++) {
    const key = args[streamsArg + j]!;
    const d = dup ? decideRead(c, db, key, ids[j]!, groups[j]!) : nStreams === 1 ? only : decided![j]!;
    if (d === null) continue;
    written++;
    if (c.resp === 2) out.array(2);
    out.bulk(key);
    const s = d.s;
    const start = d.gt + 1n; // gt < ID_MAX, or a history read from past ID_MAX, which finds nothing
    const g = groups[j]!;
    if (g === null) { writeRange(out, s, start > ID_MAX ? ID_MAX : start, ID_MAX, count, false); continue; }
    const before = s.bytes;
    const consumer = lookupOrCreateConsumer(c, s, g, consumerName!, key);
    if (d.history) writeConsumerHistory(c, out, s, start, count, consumer);
    else writeGroupRange(c, out, s, start, count, g, consumer, noack);
    // With one stream nothing since decideRead added or removed a key, so its slot holds; with
    // several, a later key's lookup may have expired a key and moved slots (swap-remove).
    const slot = nStreams === 1 ? d.slot : db.find(key);
    if (slot !== -1) db.valueResized(slot, before);
  }
  if (dup && written !== 0) {
    if (c.resp === 2) c.w.array(written); else c.w.map(written);
    const body = out.take();
    if (body !== null) for (const b of Array.isArray(body) ? body : [body]) c.w.raw(b.latin1Slice());
  }
  if (written !== 0) return;
  if (timeout !== -1) {
    if (c.denyBlocking) { c.w.nilArray(); return; }
    const keys = args.slice(streamsArg, streamsArg + nStreams);
    const st = c.server.blocking.blockForKeys(c, BLOCKED_STREAM, keys, timeout, serveRead, cmdOf(c, group ? 'xreadgroup' : 'xread'), args);
    const m = new Map<string, bigint>();
    for (let j = 0; j < nStreams; j++) if (!m.has(keys[j]!)) m.set(keys[j]!, ids[j]!);
    st.streamIds = m;
    st.count = count !== 0 ? count : BLOCKED_DEFAULT_COUNT;
    st.group = groupName;
    st.consumer = consumerName;
    st.noack = noack;
    return;
  }
  c.w.nilArray();
}

/**
 * Serves a client blocked in XREAD/XREADGROUP (blocking.ts's stream
 * serving): true when it replied. A group reader follows its group's last
 * ID; it gets an error when the group or the key is gone.
 */
function serveRead(c: Client, st: BlockState, db: Db, key: string, slot: number): boolean {
  const v = slot === -1 ? null : db.vals[slot]!;
  if (v === null || typeof v === 'string' || v.type !== 'stream') {
    if (st.group === null) return false;
    c.error(UNBLOCKED_STREAM_GONE);
    return true;
  }
  const s = v as unknown as StreamValue;
  let gt = st.streamIds!.get(key)!;
  let g: Group | null = null;
  if (st.group !== null) {
    g = s.group(st.group) ?? null;
    if (g === null) { c.error(NOGROUP_BLOCKED); return true; }
    gt = g.lastId;
    st.streamIds!.set(key, gt);
  }
  if (s.lastId <= gt) return false;
  const before = s.bytes;
  // Redis finds (or makes) the consumer before it writes the reply's header.
  const consumer = g === null ? null : lookupOrCreateConsumer(c, s, g, st.consumer!, key);
  if (c.resp === 2) { c.w.array(1); c.w.array(2); } else c.w.map(1);
  c.w.bulk(key);
  if (g === null) writeRange(c.w, s, gt + 1n, ID_MAX, st.count, false);
  else writeGroupRange(c, c.w, s, gt + 1n, st.count, g, consumer!, st.noack);
  db.valueResized(slot, before);
  return true;
}

// ---- XGROUP, XSETID -------------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** Redis's xgroupCommand for every subcommand but HELP: options, key, group, then the subcommand. */
function xgroup(c: Client, args: string[]): void {
  const sub = opt(args[1]!);
  let mkstream = false;
  let entriesRead = ENTRIES_READ_INVALID;
  const create = sub === 'create';
  const setid = sub === 'setid';
  for (let i = 5; i < args.length;) {
    const o = opt(args[i]!);
    if (create && o === 'mkstream') { mkstream = true; i++; }
    else if ((create || setid) && o === 'entriesread' && i + 1 < args.length) {
      const v = parseInt64(args[i + 1]!);
      if (v === null) { c.error(NOT_INT); return; }
      if (v < 0 && v !== -1) { c.error(ENTRIESREAD_NEGATIVE); return; }
      entriesRead = BigInt(v);
      i += 2;
    } else {
      c.error(unknownSubcommandOrArity(args[1]!, args[0]!));
      return;
    }
  }
  const db = c.db;
  const key = args[2]!;
  const now = c.server.now;
  let slot = db.lookupWrite(key, now);
  let s: StreamValue | null = null;
  if (slot !== -1) {
    s = asStream(c, db, slot);
    if (s === null) return;
  }
  const name = args[3]!;
  let g: Group | undefined;
  if (!mkstream) {
    if (s === null) { c.error(XGROUP_NO_KEY); return; }
    g = s.group(name);
    if (g === undefined && (setid || sub === 'createconsumer' || sub === 'delconsumer')) { c.error(noGroupForKey(name, key)); return; }
  }
  if (create && args.length >= 5 && args.length <= 8) {
    let id: bigint;
    if (args[4] === '$') id = s === null ? 0n : s.lastId;
    else {
      const p = strictId(c, args[4]!);
      if (p === null) return;
      id = p;
    }
    if (s === null) {
      s = new StreamValue();
      slot = db.add(key, s as never, now);
    }
    const before = s.bytes;
    if (s.createGroup(name, id, entriesRead) === null) { c.error(BUSYGROUP); return; }
    db.valueResized(slot, before);
    c.w.ok();
    notify(c, NOTIFY_STREAM, 'xgroup-create', key);
  } else if (setid && (args.length === 5 || args.length === 7)) {
    let id: bigint;
    if (args[4] === '$') id = s!.lastId;
    else {
      const p = parseIdArg(c, args[4]!, 0n, false);
      if (p === null) return;
      id = p.id;
    }
    g!.lastId = id;
    g!.entriesRead = entriesRead;
    c.w.ok();
    notify(c, NOTIFY_STREAM, 'xgroup-setid', key);
  } else if (sub === 'destroy' && args.length === 4) {
    if (g === undefined) { c.w.integer(0); return; }
    const before = s!.bytes;
    s!.destroyGroup(g);
    db.valueResized(slot, before);
    c.w.integer(1);
    notify(c, NOTIFY_STREAM, 'xgroup-destroy', key);
    c.server.blocking.signalKeyAsReady(db, key, 'stream');
  } else if (sub === 'createconsumer' && args.length === 5) {
    const before = s!.bytes;
    const made = s!.createConsumer(g!, args[4]!, now);
    if (made !== null) {
      db.valueResized(slot, before);
      notify(c, NOTIFY_STREAM, 'xgroup-createconsumer', key);
    }
    c.w.integer(made !== null ? 1 : 0);
  } else if (sub === 'delconsumer' && args.length === 5) {
    const consumer = g!.consumers.get(args[4]!);
    let pending = 0;
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      const before = s!.bytes;
      s!.deleteConsumer(g!, consumer);
      db.valueResized(slot, before);
      notify(c, NOTIFY_STREAM, 'xgroup-delconsumer', key);
    }
    c.w.integer(pending);
  } else {
    c.error(unknownSubcommandOrArity(args[1]!, args[0]!));
  }
}

function xsetid(c: Client, args: string[]): void {
  const id = strictId(c, args[2]!);
  if (id === null) return;
  let entriesAdded = -1n;
  let maxDeleted = 0n;
  for (let i = 3; i < args.length;) {
    const more = args.length - 1 - i;
    const o = opt(args[i]!);
    if (o === 'entriesadded' && more > 0) {
      const v = parseInt64(args[i + 1]!);
      if (v === null) { c.error(NOT_INT); return; }
      if (v < 0) { c.error(XSETID_ENTRIES_ADDED_NEGATIVE); return; }
      entriesAdded = BigInt(v);
      i += 2;
    } else if (o === 'maxdeletedid' && more > 0) {
      const m = strictId(c, args[i + 1]!);
      if (m === null) return;
      if (id < m) { c.error(XSETID_BELOW_MAX_DELETED); return; }
      maxDeleted = m;
      i += 2;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.error(NO_SUCH_KEY); return; }
  const s = asStream(c, db, slot);
  if (s === null) return;
  if (s.length > 0) {
    if (id < s.lastValidId()) { c.error(XSETID_TOO_SMALL); return; }
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) { c.error(XSETID_ENTRIES_ADDED_SMALL); return; }
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (maxDeleted !== 0n) s.maxDeletedId = maxDeleted;
  c.w.ok();
  notify(c, NOTIFY_STREAM, 'xsetid', key);
}

// ---- XACK, XPENDING -------------------------------------------------------------------------

/** The stream at `key` for a read lookup, or null (missing, or WRONGTYPE replied: `bad` set). */
function readStream(c: Client, key: string): { s: StreamValue | null; slot: number; bad: boolean } {
  const db = c.db;
  const slot = db.lookupRead(key, c.server.now);
  if (slot === -1) return { s: null, slot, bad: false };
  const s = asStream(c, db, slot);
  return { s, slot, bad: s === null };
}

function xack(c: Client, args: string[]): void {
  const r = readStream(c, args[1]!);
  if (r.bad) return;
  const g = r.s === null ? undefined : r.s.group(args[2]!);
  if (r.s === null || g === undefined) { c.w.integer(0); return; }
  const ids: bigint[] = [];
  for (let j = 3; j < args.length; j++) {
    const id = strictId(c, args[j]!);
    if (id === null) return;
    ids.push(id);
  }
  const s = r.s;
  const before = s.bytes;
  let acked = 0;
  for (const id of ids) {
    const key = idKey(id);
    const nack = g.pel.get(id, key);
    if (nack === undefined) continue;
    s.removeNack(g, id, nack, key);
    acked++;
  }
  if (acked !== 0) c.db.valueResized(r.slot, before); // nothing above adds or removes keys: the slot holds
  c.w.integer(acked);
}

function xpending(c: Client, args: string[]): void {
  const justInfo = args.length === 3;
  if (args.length !== 3 && (args.length < 6 || args.length > 9)) { c.error(SYNTAX); return; }
  let start = 0n;
  let end = 0n;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (args.length >= 6) {
    let startIdx = 3;
    if (opt(args[3]!) === 'idle') {
      const v = llArg(c, args[4]!);
      if (v === null) return;
      minIdle = v;
      if (args.length < 8) { c.error(SYNTAX); return; }
      startIdx += 2;
    }
    const n = llArg(c, args[startIdx + 2]!);
    if (n === null) return;
    count = n < 0 ? 0 : n;
    const st = intervalId(c, args[startIdx]!, 0n, true);
    if (st === null) return;
    start = st;
    const en = intervalId(c, args[startIdx + 1]!, U64_MAX, false);
    if (en === null) return;
    end = en;
    if (startIdx + 3 < args.length) consumerName = args[startIdx + 3]!;
  }
  const key = args[1]!;
  const r = readStream(c, key);
  if (r.bad) return;
  const g = r.s === null ? undefined : r.s.group(args[2]!);
  if (r.s === null || g === undefined) { c.error(noGroupKey(key, args[2]!)); return; }
  const w = c.w;
  if (justInfo) {
    w.array(4);
    w.integer(g.pel.size);
    if (g.pel.size === 0) { w.nil(); w.nil(); w.nilArray(); return; }
    w.bulk(formatId(g.pel.first()!));
    w.bulk(formatId(g.pel.last()!));
    const withPending = byteOrder(g.consumers).filter((x) => x.pel.size !== 0);
    w.array(withPending.length);
    for (const x of withPending) { w.array(2); w.bulk(x.name); w.bulk(String(x.pel.size)); }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const consumer = g.consumers.get(consumerName);
    if (consumer === undefined) { w.array(0); return; }
    pel = consumer.pel;
  }
  const now = c.server.now;
  const out: Array<[bigint, Nack]> = [];
  for (let p = pel.seek(start); count > 0; p = pel.next(p)) {
    const id = pel.idAt(p);
    if (id === null || id > end) break;
    const nack = pel.get(id)!;
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    out.push([id, nack]);
    count--;
  }
  w.array(out.length);
  for (const [id, nack] of out) {
    w.array(4);
    w.bulk(formatId(id));
    w.bulk(nack.consumer!.name);
    const idle = now - nack.deliveryTime;
    w.integer(idle < 0 ? 0 : idle);
    w.integer(nack.deliveryCount);
  }
}

// ---- XCLAIM, XAUTOCLAIM -----------------------------------------------------------------------

function xclaim(c: Client, args: string[]): void {
  const key = args[1]!;
  const r = readStream(c, key);
  if (r.bad) return;
  const g = r.s === null ? undefined : r.s.group(args[2]!);
  if (r.s === null || g === undefined) { c.error(noGroupKey(key, args[2]!)); return; }
  const s = r.s;
  let minIdle = llArg(c, args[4]!, XCLAIM_MIN_IDLE);
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const ids: bigint[] = [];
  let j = 5;
  for (; j < args.length; j++) {
    const id = strictId(null, args[j]!);
    if (id === null) break;
    ids.push(id);
  }
  const now = c.server.now;
  let force = false;
  let justid = false;
  let deliveryTime = -1;
  let retryCount = -1;
  let lastId = 0n;
  for (; j < args.length; j++) {
    const more = args.length - 1 - j;
    const o = opt(args[j]!);
    if (o === 'force') force = true;
    else if (o === 'justid') justid = true;
    else if (o === 'idle' && more > 0) {
      const v = llArg(c, args[++j]!, XCLAIM_IDLE);
      if (v === null) return;
      deliveryTime = now - v;
    } else if (o === 'time' && more > 0) {
      const v = llArg(c, args[++j]!, XCLAIM_TIME);
      if (v === null) return;
      deliveryTime = v;
    } else if (o === 'retrycount' && more > 0) {
      const v = llArg(c, args[++j]!, XCLAIM_RETRYCOUNT);
      if (v === null) return;
      retryCount = v;
    } else if (o === 'lastid' && more > 0) {
      const v = strictId(c, args[++j]!);
      if (v === null) return;
      lastId = v;
    } else {
      c.error(xclaimUnknownOption(args[j]!));
      return;
    }
  }
  const before = s.bytes;
  if (lastId > g.lastId) g.lastId = lastId;
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  // Claim first (the reply's length comes first), then write.
  const claimed: bigint[] = [];
  let consumer: Consumer | null = null;
  let created = false;
  for (const id of ids) {
    let nack = g.pel.get(id);
    if (!s.has(id)) {
      if (nack !== undefined) s.removeNack(g, id, nack);
      continue;
    }
    if (force && nack === undefined) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      s.addNack(g, id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    if (consumer === null) ({ consumer, created } = findOrCreateConsumer(c, s, g, args[3]!));
    s.moveNack(id, nack, consumer);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justid) nack.deliveryCount++;
    claimed.push(id);
  }
  c.w.array(claimed.length);
  if (created) notify(c, NOTIFY_STREAM, 'xgroup-createconsumer', key);
  for (const id of claimed) {
    if (justid) c.w.bulk(formatId(id));
    else writeEntryById(c.w, s, id);
  }
  c.db.valueResized(c.db.find(key), before);
}

function xautoclaim(c: Client, args: string[]): void {
  // Redis looks the key up first (keyspace hits/misses, keymiss), and checks its type after the arguments.
  const key = args[1]!;
  const slot = c.db.lookupRead(key, c.server.now);
  let minIdle = llArg(c, args[4]!, XAUTOCLAIM_MIN_IDLE);
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const start = intervalId(c, args[5]!, 0n, true);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < args.length; j++) {
    const more = args.length - 1 - j;
    const o = opt(args[j]!);
    if (o === 'count' && more > 0) {
      const v = parseInt64(args[j + 1]!);
      // LONG_MAX / max(sizeof(streamID), 10 attempts): 16.
      if (v === null || v < 1 || BigInt(v) > 9223372036854775807n / 16n) { c.error(XAUTOCLAIM_COUNT); return; }
      count = Number(v);
      j++;
    } else if (o === 'justid') justid = true;
    else { c.error(SYNTAX); return; }
  }
  const s0 = slot === -1 ? null : asStream(c, c.db, slot);
  if (slot !== -1 && s0 === null) return;
  const g = s0 === null ? undefined : s0.group(args[2]!);
  if (s0 === null || g === undefined) { c.error(noGroupKey(key, args[2]!)); return; }
  const s = s0;
  const before = s.bytes;
  const now = c.server.now;
  let attempts = count * 10;
  const pel = g.pel;
  const claimed: bigint[] = [];
  const deleted: bigint[] = [];
  let consumer: Consumer | null = null;
  let created = false;
  let p = pel.seek(start);
  let eof = false;
  while (attempts > 0 && count > 0) {
    attempts--;
    const id = pel.idAt(p);
    if (id === null) { eof = true; break; }
    const nack = pel.get(id)!;
    if (!s.has(id)) {
      s.removeNack(g, id, nack);
      deleted.push(id);
      p = pel.seek(id);
      count--;
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) { p = pel.next(p); continue; }
    if (consumer === null) ({ consumer, created } = findOrCreateConsumer(c, s, g, args[3]!));
    s.moveNack(id, nack, consumer);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    claimed.push(id);
    count--;
    p = pel.next(p);
  }
  const next = eof ? null : pel.idAt(p);
  const w = c.w;
  w.array(3);
  w.bulk(formatId(next ?? 0n));
  w.array(claimed.length);
  if (created) notify(c, NOTIFY_STREAM, 'xgroup-createconsumer', key);
  for (const id of claimed) {
    if (justid) w.bulk(formatId(id));
    else writeEntryById(w, s, id);
  }
  w.array(deleted.length);
  for (const id of deleted) w.bulk(formatId(id));
  c.db.valueResized(c.db.find(key), before);
}

// ---- XINFO ------------------------------------------------------------------------------------

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** XINFO's key: a read lookup, `ERR no such key` when missing. */
function infoStream(c: Client, key: string): StreamValue | null {
  const db = c.db;
  const slot = db.lookupRead(key, c.server.now);
  if (slot === -1) { c.error(NO_SUCH_KEY); return null; }
  return asStream(c, db, slot);
}

function writeLag(w: ReplyWriter, s: StreamValue, g: Group): void {
  const lag = s.lag(g);
  if (lag === null) w.nil(); else w.integer(lag);
}

function writeEntriesRead(w: ReplyWriter, g: Group): void {
  if (g.entriesRead === ENTRIES_READ_INVALID) w.nil(); else ll(w, g.entriesRead);
}

/**
 * Rax node count of the stream's node index (XINFO's radix-tree-nodes): the
 * nodes of a compressed trie over the nodes' 16-byte big-endian first IDs
 * (a chain of single-child bytes is one node, each branching point one
 * node, each key one leaf, plus the head).
 */
function raxNodes(s: StreamValue): number {
  const keys = s.nodes.map((n) => n.first);
  if (keys.length === 0) return 1;
  const byteAt = (k: bigint, d: number): number => Number((k >> BigInt(8 * (15 - d))) & 0xffn);
  const count = (lo: number, hi: number, depth: number): number => {
    if (depth === 16) return 1;
    const a = keys[lo]!;
    const b = keys[hi - 1]!;
    let p = 0;
    while (depth + p < 16 && byteAt(a, depth + p) === byteAt(b, depth + p)) p++;
    if (p > 0) return 1 + count(lo, hi, depth + p);
    let total = 1;
    let i = lo;
    while (i < hi) {
      const byte = byteAt(keys[i]!, depth);
      let k = i + 1;
      while (k < hi && byteAt(keys[k]!, depth) === byte) k++;
      total += count(i, k, depth + 1);
      i = k;
    }
    return total;
  };
  return count(0, keys.length, 0);
}

function xinfoStream(c: Client, args: string[]): void {
  const s = infoStream(c, args[2]!);
  if (s === null) return;
  let full = true;
  let count = 10;
  const optc = args.length - 3;
  if (optc === 0) full = false;
  else {
    if ((optc !== 1 && optc !== 3) || opt(args[3]!) !== 'full') { c.error(unknownSubcommandOrArity(args[1]!, args[0]!)); return; }
    if (optc === 3) {
      if (opt(args[4]!) !== 'count') { c.error(unknownSubcommandOrArity(args[1]!, args[0]!)); return; }
      const v = llArg(c, args[5]!);
      if (v === null) return;
      count = v < 0 ? 10 : v;
    }
  }
  const w = c.w;
  w.map(full ? 9 : 10);
  w.bulk('length'); w.integer(s.length);
  w.bulk('radix-tree-keys'); w.integer(s.nodes.length);
  w.bulk('radix-tree-nodes'); w.integer(raxNodes(s));
  w.bulk('last-generated-id'); w.bulk(formatId(s.lastId));
  w.bulk('max-deleted-entry-id'); w.bulk(formatId(s.maxDeletedId));
  w.bulk('entries-added'); ll(w, s.entriesAdded);
  w.bulk('recorded-first-entry-id'); w.bulk(formatId(s.firstId));
  if (!full) {
    w.bulk('groups'); w.integer(s.groups === null ? 0 : s.groups.size);
    w.bulk('first-entry');
    const first = s.iter(0n, ID_MAX, false);
    if (first.next()) writeEntry(w, first.node!, first.i, first.id); else w.nil();
    w.bulk('last-entry');
    const last = s.iter(0n, ID_MAX, true);
    if (last.next()) writeEntry(w, last.node!, last.i, last.id); else w.nil();
    return;
  }
  w.bulk('entries');
  writeRange(c.w, s, 0n, ID_MAX, count, false);
  w.bulk('groups');
  const groups = s.groups === null ? [] : byteOrder(s.groups);
  w.array(groups.length);
  for (const g of groups) {
    w.map(7);
    w.bulk('name'); w.bulk(g.name);
    w.bulk('last-delivered-id'); w.bulk(formatId(g.lastId));
    w.bulk('entries-read'); writeEntriesRead(w, g);
    w.bulk('lag'); writeLag(w, s, g);
    w.bulk('pel-count'); w.integer(g.pel.size);
    w.bulk('pending');
    const pending = g.pel.from(0n, count);
    w.array(pending.length);
    for (const id of pending) {
      const nack = g.pel.get(id)!;
      w.array(4);
      w.bulk(formatId(id));
      w.bulk(nack.consumer!.name);
      w.integer(nack.deliveryTime);
      w.integer(nack.deliveryCount);
    }
    w.bulk('consumers');
    const consumers = byteOrder(g.consumers);
    w.array(consumers.length);
    for (const x of consumers) {
      w.map(4);
      w.bulk('name'); w.bulk(x.name);
      w.bulk('seen-time'); w.integer(x.seenTime);
      w.bulk('pel-count'); w.integer(x.pel.size);
      w.bulk('pending');
      const mine = x.pel.from(0n, count);
      w.array(mine.length);
      for (const id of mine) {
        const nack = x.pel.get(id)!;
        w.array(3);
        w.bulk(formatId(id));
        w.integer(nack.deliveryTime);
        w.integer(nack.deliveryCount);
      }
    }
  }
}

function xinfoGroups(c: Client, args: string[]): void {
  const s = infoStream(c, args[2]!);
  if (s === null) return;
  const w = c.w;
  const groups = s.groups === null ? [] : byteOrder(s.groups);
  w.array(groups.length);
  for (const g of groups) {
    w.map(6);
    w.bulk('name'); w.bulk(g.name);
    w.bulk('consumers'); w.integer(g.consumers.size);
    w.bulk('pending'); w.integer(g.pel.size);
    w.bulk('last-delivered-id'); w.bulk(formatId(g.lastId));
    w.bulk('entries-read'); writeEntriesRead(w, g);
    w.bulk('lag'); writeLag(w, s, g);
  }
}

function xinfoConsumers(c: Client, args: string[]): void {
  const key = args[2]!;
  const s = infoStream(c, key);
  if (s === null) return;
  const g = s.group(args[3]!);
  if (g === undefined) { c.error(noGroupForKey(args[3]!, key)); return; }
  const w = c.w;
  const now = c.server.now;
  const consumers = byteOrder(g.consumers);
  w.array(consumers.length);
  for (const x of consumers) {
    const idle = now - x.seenTime;
    w.map(3);
    w.bulk('name'); w.bulk(x.name);
    w.bulk('pending'); w.integer(x.pel.size);
    w.bulk('idle'); w.integer(idle < 0 ? 0 : idle);
  }
}

// ---- key positions --------------------------------------------------------------------------

/** XREAD/XREADGROUP keys: after the STREAMS keyword (searched from `from`), the first half of what follows. */
function streamsKeysOf(from: number): (args: readonly string[]) => number[] | null {
  return (args) => {
    for (let i = from; i < args.length; i++) {
      if (opt(args[i]!) !== 'streams') continue;
      const rest = args.length - i - 1;
      if (rest === 0 || rest % 2 !== 0) return null;
      const out: number[] = [];
      for (let k = 0; k < rest / 2; k++) out.push(i + 1 + k);
      return out;
    }
    return null;
  };
}

/** This server's own entry for a command (its stats are per server). */
function cmdOf(c: Client, name: string): Command {
  return c.server.commands.lookup(name)!;
}

// ---- the table ------------------------------------------------------------------------------

const G = 'stream';

export const streamCommands: Command[] = [
  defineCommand({ name: 'xadd', arity: -5, args: 'key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count:integer]] *|id field value...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW update', tips: 'nondeterministic_output', group: G, summary: 'Appends a new entry to a stream', since: '5.0.0', complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.', handler: xadd }),
  defineCommand({ name: 'xtrim', arity: -4, args: 'key MAXLEN|MINID [=|~] threshold [LIMIT count:integer]', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', tips: 'nondeterministic_output', group: G, summary: "Trims the stream to (approximately if '~' is passed) a certain size", since: '5.0.0', complexity: 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.', handler: xtrim }),
  defineCommand({ name: 'xrange', arity: -4, args: 'key start end [COUNT count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', since: '5.0.0', complexity: 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', handler: (c, a) => xrangeGeneric(c, a, false) }),
  defineCommand({ name: 'xrevrange', arity: -4, args: 'key end start [COUNT count:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE', since: '5.0.0', complexity: 'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).', handler: (c, a) => xrangeGeneric(c, a, true) }),
  defineCommand({ name: 'xlen', arity: 2, args: 'key', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO', group: G, summary: 'Return the number of entries in a stream', since: '5.0.0', handler: xlen }),
  defineCommand({ name: 'xdel', arity: -3, args: 'key id...', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW delete', group: G, summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', since: '5.0.0', complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.', handler: xdel }),
  defineCommand({ name: 'xread', arity: -4, args: '[COUNT count:integer] [BLOCK milliseconds:integer] STREAMS key... id...', flags: 'readonly blocking movablekeys', keysOf: streamsKeysOf(1), keyFlags: 'RO access', group: G, summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', since: '5.0.0', complexity: 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.', handler: (c, a) => xreadGeneric(c, a, false) }),
  defineCommand({ name: 'xreadgroup', arity: -7, args: 'GROUP group consumer [COUNT count:integer] [BLOCK milliseconds:integer] [NOACK] STREAMS key... id...', flags: 'write blocking movablekeys', keysOf: streamsKeysOf(4), keyFlags: 'RW access', group: G, summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', since: '5.0.0', complexity: 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.', handler: (c, a) => xreadGeneric(c, a, true) }),
  defineCommand({
    name: 'xgroup', arity: -2, acl: '-@stream', group: G, summary: 'A container for consumer groups commands', since: '5.0.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'create', arity: -5, args: 'key group id|$ [MKSTREAM] [ENTRIESREAD entries_read:integer]', flags: 'write denyoom', keys: [2, 2, 1], keyFlags: 'RW insert', group: G, summary: 'Create a consumer group.', since: '5.0.0', handler: xgroup },
      { name: 'setid', arity: -5, args: 'key group id|$ [ENTRIESREAD entries_read:integer]', flags: 'write', keys: [2, 2, 1], keyFlags: 'RW update', group: G, summary: 'Set a consumer group to an arbitrary last delivered ID value.', since: '5.0.0', handler: xgroup },
      { name: 'destroy', arity: 4, args: 'key group', flags: 'write', keys: [2, 2, 1], keyFlags: 'RW delete', group: G, summary: 'Destroy a consumer group.', since: '5.0.0', complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).", handler: xgroup },
      { name: 'createconsumer', arity: 5, args: 'key group consumer', flags: 'write denyoom', keys: [2, 2, 1], keyFlags: 'RW insert', group: G, summary: 'Create a consumer in a consumer group.', since: '6.2.0', handler: xgroup },
      { name: 'delconsumer', arity: 5, args: 'key group consumer', flags: 'write', keys: [2, 2, 1], keyFlags: 'RW delete', group: G, summary: 'Delete a consumer from a consumer group.', since: '5.0.0', handler: xgroup },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'XGROUP', XGROUP_HELP) },
    ],
  }),
  defineCommand({ name: 'xsetid', arity: -3, args: 'key last-id [ENTRIESADDED entries_added:integer] [MAXDELETEDID max_deleted_entry_id]', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW update', group: G, summary: 'An internal command for replicating stream values', since: '5.0.0', handler: xsetid }),
  defineCommand({ name: 'xack', arity: -4, args: 'key group id...', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW update', group: G, summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', since: '5.0.0', complexity: 'O(1) for each message ID processed.', handler: xack }),
  defineCommand({ name: 'xpending', arity: -3, args: 'key group [[IDLE min-idle-time:integer] start end count:integer [consumer]]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', tips: 'nondeterministic_output', group: G, summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', since: '5.0.0', complexity: 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.', handler: xpending }),
  defineCommand({ name: 'xclaim', arity: -6, args: 'key group consumer min-idle-time id... [IDLE ms:integer] [TIME unix-time-milliseconds:integer] [RETRYCOUNT count:integer] [FORCE] [JUSTID] [LASTID id]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW update', tips: 'nondeterministic_output', group: G, summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', since: '5.0.0', complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.', handler: xclaim }),
  defineCommand({ name: 'xautoclaim', arity: -6, args: 'key group consumer min-idle-time start [COUNT count:integer] [JUSTID]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW delete', tips: 'nondeterministic_output', group: G, summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', since: '6.2.0', complexity: 'O(1) if COUNT is small.', handler: xautoclaim }),
  defineCommand({
    name: 'xinfo', arity: -2, acl: '-@stream', group: G, summary: 'A container for stream introspection commands', since: '5.0.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'stream', arity: -3, args: 'key [FULL [COUNT count:integer]]', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO access', group: G, summary: 'Get information about a stream', since: '5.0.0', handler: xinfoStream },
      { name: 'groups', arity: 3, args: 'key', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO access', group: G, summary: 'List the consumer groups of a stream', since: '5.0.0', handler: xinfoGroups },
      { name: 'consumers', arity: 4, args: 'key group', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO access', tips: 'nondeterministic_output', group: G, summary: 'List the consumers in a consumer group', since: '5.0.0', handler: xinfoConsumers },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'XINFO', XINFO_HELP) },
    ],
  }),
];
