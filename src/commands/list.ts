/**
 * List commands, as Redis 7.0's t_list.c: LPUSH RPUSH LPUSHX RPUSHX LPOP
 * RPOP LLEN LINDEX LSET LINSERT LRANGE LREM LTRIM LPOS RPOPLPUSH LMOVE LMPOP,
 * and the blocking forms BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP.
 *
 * The value is a ListValue (types/list.ts). Each command checks its
 * arguments and looks its keys up in Redis's order (which error wins, and
 * whether a missing key answers before a bad argument, is visible), uses the
 * same lookup (read: keyspace hits/misses and keymiss events; write: none),
 * fires the same keyspace events in the same order (the type's event, then
 * `del` when the list was emptied and deleted) and reports every in-place
 * change through Db.valueChanged (memory account, WATCH).
 *
 * Blocking forms: when none of the keys holds a list they block the client
 * (blocking.ts) with a serve function below that does, once a key is ready,
 * what the non-blocking form would have done; inside EXEC (Client's
 * denyBlocking) they answer at once as if the timeout had passed: a null
 * array, or BLMOVE/BRPOPLPUSH's null bulk. A timed-out client gets a null
 * array whatever the command (Redis's replyToBlockedClientTimedOut).
 */

import type { Client } from '../connection.js';
import type { Db } from '../keyspace.js';
import { ListValue } from '../types/list.js';
import { parseInt64 } from '../numbers.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../notify.js';
import { BLOCKED_LIST, parseTimeout, type BlockState } from '../blocking.js';
import {
  INDEX_OUT_OF_RANGE, LPOS_COUNT_NEGATIVE, LPOS_MAXLEN_NEGATIVE, LPOS_RANK_ZERO, COUNT_NOT_POSITIVE, OUT_OF_RANGE_POSITIVE,
  NO_SUCH_KEY, NOT_INT, NUMKEYS_NOT_POSITIVE, SYNTAX, WRONGTYPE, wrongArity,
} from '../errors.js';
import { defineCommand, type Command } from './table.js';
import { notify, opt } from './util.js';

const HEAD = 0;
const TAIL = 1;

/** LONG_MIN: Redis negates some longs in C, where -LONG_MIN stays LONG_MIN. */
const LONG_MIN = -9223372036854775808n;

/** The list at `slot`, or null after replying WRONGTYPE. */
function asList(c: Client, db: Db, slot: number): ListValue | null {
  const v = db.vals[slot]!;
  if (typeof v === 'string' || v.type !== 'list') { c.error(WRONGTYPE); return null; }
  return v as unknown as ListValue;
}

/** Redis's getLongFromObjectOrReply: a long, or null after replying `msg` (default: not an integer). */
function longArg(c: Client, arg: string, msg: string = NOT_INT): number | null {
  const v = parseInt64(arg);
  if (v === null) { c.error(msg); return null; }
  return Number(v);
}

/** Redis's getRangeLongFromObjectOrReply with a message: a long in [min, LONG_MAX], else `msg`. */
function rangeLongArg(c: Client, arg: string, min: number, msg: string): number | null {
  const v = parseInt64(arg);
  if (v === null || v < min) { c.error(msg); return null; }
  return Number(v);
}

/** LEFT or RIGHT (Redis's getListPositionFromObjectOrReply); -1 after a syntax error. */
function position(c: Client, arg: string): number {
  const o = opt(arg);
  if (o === 'right') return TAIL;
  if (o === 'left') return HEAD;
  c.error(SYNTAX);
  return -1;
}

/**
 * Redis's listElementsRemoved: the pop event, then, if the list is now
 * empty, the key's deletion and its `del` event; else the change is
 * accounted. Returns true when the key was deleted.
 */
function elementsRemoved(c: Client, db: Db, key: string, where: number, slot: number, l: ListValue, before: number): boolean {
  notify(c, NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key);
  db.valueChanged(slot, before);
  if (l.size === 0) {
    db.deleteSlot(slot);
    notify(c, NOTIFY_GENERIC, 'del', key);
    return true;
  }
  return false;
}

/** Pops up to `count` elements from one end and replies them as an array (Redis's addListRangeReply + listTypeDelRange). */
function popRangeReply(c: Client, l: ListValue, where: number, count: number): number {
  const n = count > l.size ? l.size : count;
  c.w.array(n);
  for (let i = 0; i < n; i++) c.w.bulk(where === HEAD ? l.popHead()! : l.popTail()!);
  return n;
}

// ---- push ---------------------------------------------------------------------

function pushGeneric(c: Client, args: string[], where: number, xx: boolean): void {
  const db = c.db;
  const key = args[1]!;
  const now = c.server.now;
  let slot = db.lookupWrite(key, now);
  let l: ListValue;
  if (slot === -1) {
    if (xx) { c.w.integer(0); return; }
    l = new ListValue();
    slot = db.add(key, l, now);
  } else {
    const v = asList(c, db, slot);
    if (v === null) return;
    l = v;
  }
  const before = l.bytes;
  if (where === HEAD) for (let i = 2; i < args.length; i++) l.pushHead(args[i]!);
  else for (let i = 2; i < args.length; i++) l.pushTail(args[i]!);
  db.valueChanged(slot, before);
  c.w.integer(l.size);
  notify(c, NOTIFY_LIST, where === HEAD ? 'lpush' : 'rpush', key);
}

// ---- pop ------------------------------------------------------------------------

function popGeneric(c: Client, args: string[], where: number): void {
  const hasCount = args.length === 3;
  if (args.length > 3) { c.error(wrongArity(where === HEAD ? 'lpop' : 'rpop')); return; }
  let count = 0;
  if (hasCount) {
    const n = rangeLongArg(c, args[2]!, 0, OUT_OF_RANGE_POSITIVE);
    if (n === null) return;
    count = n;
  }
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { if (hasCount) c.w.nilArray(); else c.w.nil(); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  if (hasCount && count === 0) { c.w.array(0); return; }
  const before = l.bytes;
  if (!hasCount) c.w.bulk(where === HEAD ? l.popHead()! : l.popTail()!);
  else popRangeReply(c, l, where, count);
  elementsRemoved(c, db, key, where, slot, l, before);
}

/** LMPOP/BLMPOP's reply: [key, [elements...]], then the removal's events (listPopRangeAndReplyWithKey). */
function popRangeWithKey(c: Client, db: Db, key: string, slot: number, l: ListValue, where: number, count: number): boolean {
  const before = l.bytes;
  c.w.array(2);
  c.w.bulk(key);
  popRangeReply(c, l, where, count);
  return elementsRemoved(c, db, key, where, slot, l, before);
}

interface MpopArgs { keys: string[]; where: number; count: number }

/** LMPOP/BLMPOP's arguments from `numkeysIdx` on (lmpopGenericCommand), or null after an error. */
function parseMpop(c: Client, args: string[], numkeysIdx: number): MpopArgs | null {
  const numkeys = rangeLongArg(c, args[numkeysIdx]!, 1, NUMKEYS_NOT_POSITIVE);
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= args.length) { c.error(SYNTAX); return null; }
  const where = position(c, args[whereIdx]!);
  if (where === -1) return null;
  let count = -1;
  for (let j = whereIdx + 1; j < args.length; j++) {
    const more = args.length - 1 - j;
    if (count === -1 && opt(args[j]!) === 'count' && more > 0) {
      j++;
      const n = rangeLongArg(c, args[j]!, 1, COUNT_NOT_POSITIVE);
      if (n === null) return null;
      count = n;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return { keys: args.slice(numkeysIdx + 1, whereIdx), where, count: count === -1 ? 1 : count };
}

function lmpop(c: Client, args: string[]): void {
  const m = parseMpop(c, args, 1);
  if (m === null) return;
  const db = c.db;
  for (const key of m.keys) {
    const slot = db.lookupWrite(key, c.server.now);
    if (slot === -1) continue;
    const l = asList(c, db, slot);
    if (l === null) return;
    if (l.size === 0) continue;
    popRangeWithKey(c, db, key, slot, l, m.where, m.count);
    return;
  }
  c.w.nilArray();
}

// ---- read ---------------------------------------------------------------------

function llen(c: Client, args: string[]): void {
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const l = asList(c, db, slot);
  if (l !== null) c.w.integer(l.size);
}

function lindex(c: Client, args: string[]): void {
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.nil(); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const index = longArg(c, args[2]!);
  if (index === null) return;
  const v = l.at(index);
  if (v === undefined) c.w.nil(); else c.w.bulk(v);
}

/** LRANGE's and LTRIM's index normalisation: [start, end] within the list, or null when the range is empty. */
function clampRange(start: number, end: number, llen: number): [number, number] | null {
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return null;
  if (end >= llen) end = llen - 1;
  return [start, end];
}

function lrange(c: Client, args: string[]): void {
  const start = longArg(c, args[2]!);
  if (start === null) return;
  const end = longArg(c, args[3]!);
  if (end === null) return;
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { c.w.array(0); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const r = clampRange(start, end, l.size);
  if (r === null) { c.w.array(0); return; }
  c.w.array(r[1] - r[0] + 1);
  l.writeRange(r[0], r[1], c.w);
}

function lpos(c: Client, args: string[]): void {
  const ele = args[2]!;
  let rank = 1;
  let rankMin = false; // RANK LONG_MIN: C's -rank stays negative, so every match counts
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < args.length; j++) {
    const o = opt(args[j]!);
    const more = args.length - 1 - j;
    if (o === 'rank' && more > 0) {
      j++;
      const v = parseInt64(args[j]!);
      if (v === null) { c.error(NOT_INT); return; }
      if (v === 0) { c.error(LPOS_RANK_ZERO); return; }
      rankMin = v === LONG_MIN;
      rank = Number(v);
    } else if (o === 'count' && more > 0) {
      j++;
      const n = rangeLongArg(c, args[j]!, 0, LPOS_COUNT_NEGATIVE);
      if (n === null) return;
      count = n;
    } else if (o === 'maxlen' && more > 0) {
      j++;
      const n = rangeLongArg(c, args[j]!, 0, LPOS_MAXLEN_NEGATIVE);
      if (n === null) return;
      maxlen = n;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let fromTail = false;
  if (rank < 0) { rank = -rank; fromTail = true; }
  const db = c.db;
  const slot = db.lookupRead(args[1]!, c.server.now);
  if (slot === -1) { if (count !== -1) c.w.array(0); else c.w.nil(); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const llen = l.size;
  const found: number[] = [];
  let matches = 0;
  let scanned = 0;
  l.scan(fromTail ? llen - 1 : 0, fromTail, (v, i) => {
    if (maxlen !== 0 && scanned >= maxlen) return true;
    scanned++;
    if (v !== ele) return false;
    matches++;
    if (!rankMin && matches < rank) return false;
    found.push(i);
    if (count === -1) return true;
    return count !== 0 && !rankMin && matches - rank + 1 >= count;
  });
  if (count !== -1) {
    c.w.array(found.length);
    for (const i of found) c.w.integer(i);
  } else if (found.length !== 0) c.w.integer(found[0]!);
  else c.w.nil();
}

// ---- change in place ----------------------------------------------------------------

function lset(c: Client, args: string[]): void {
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.error(NO_SUCH_KEY); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const index = longArg(c, args[2]!);
  if (index === null) return;
  const i = index < 0 ? l.size + index : index;
  if (i < 0 || i >= l.size) { c.error(INDEX_OUT_OF_RANGE); return; }
  const before = l.bytes;
  l.set(i, args[3]!);
  db.valueChanged(slot, before);
  c.w.ok();
  notify(c, NOTIFY_LIST, 'lset', key);
}

function linsert(c: Client, args: string[]): void {
  const o = opt(args[2]!);
  if (o !== 'after' && o !== 'before') { c.error(SYNTAX); return; }
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const pivot = args[3]!;
  const at = l.indexOf(pivot);
  if (at === -1) { c.w.integer(-1); return; }
  const before = l.bytes;
  l.insertAt(o === 'after' ? at + 1 : at, args[4]!);
  db.valueChanged(slot, before);
  notify(c, NOTIFY_LIST, 'linsert', key);
  c.w.integer(l.size);
}

function lrem(c: Client, args: string[]): void {
  const toremove = longArg(c, args[2]!);
  if (toremove === null) return;
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.integer(0); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const before = l.bytes;
  const removed = l.removeMatching(args[3]!, Math.abs(toremove), toremove < 0);
  if (removed !== 0) {
    db.valueChanged(slot, before);
    notify(c, NOTIFY_LIST, 'lrem', key);
  }
  if (l.size === 0) {
    db.deleteSlot(slot);
    notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.integer(removed);
}

function ltrim(c: Client, args: string[]): void {
  const start = longArg(c, args[2]!);
  if (start === null) return;
  const end = longArg(c, args[3]!);
  if (end === null) return;
  const db = c.db;
  const key = args[1]!;
  const slot = db.lookupWrite(key, c.server.now);
  if (slot === -1) { c.w.ok(); return; }
  const l = asList(c, db, slot);
  if (l === null) return;
  const before = l.bytes;
  const r = clampRange(start, end, l.size);
  if (r === null) l.clear(); else l.trim(r[0], r[1]);
  notify(c, NOTIFY_LIST, 'ltrim', key);
  db.valueChanged(slot, before);
  if (l.size === 0) {
    db.deleteSlot(slot);
    notify(c, NOTIFY_GENERIC, 'del', key);
  }
  c.w.ok();
}

// ---- move -------------------------------------------------------------------------

/**
 * Redis's lmoveHandlePush: creates the destination list if needed (which
 * may make it ready for clients blocked on it), pushes, fires the push event
 * and replies the element.
 */
function movePush(c: Client, db: Db, dst: string, dslot: number, value: string, whereto: number): void {
  let d: ListValue;
  if (dslot === -1) {
    d = new ListValue();
    dslot = db.add(dst, d, c.server.now);
  } else {
    d = db.vals[dslot] as unknown as ListValue;
  }
  const before = d.bytes;
  if (whereto === HEAD) d.pushHead(value); else d.pushTail(value);
  db.valueChanged(dslot, before);
  notify(c, NOTIFY_LIST, whereto === HEAD ? 'lpush' : 'rpush', dst);
  c.w.bulk(value);
}

/**
 * Pops from `src` (known to hold a non-empty list) and pushes onto `dst`,
 * unless `dst` holds another type (WRONGTYPE, nothing moves). Returns true
 * when `src` was emptied and deleted.
 */
function moveElement(c: Client, db: Db, src: string, dst: string, wherefrom: number, whereto: number): boolean {
  const dslot = db.lookupWrite(dst, c.server.now);
  if (dslot !== -1) {
    const dv = db.vals[dslot]!;
    if (typeof dv === 'string' || dv.type !== 'list') { c.error(WRONGTYPE); return false; }
  }
  // The destination's lookup may have expired it, which moves slots: find the source again.
  const sslot = db.find(src);
  const l = db.vals[sslot] as unknown as ListValue;
  const before = l.bytes;
  const value = wherefrom === HEAD ? l.popHead()! : l.popTail()!;
  db.valueChanged(sslot, before); // accounted now: the push may go to this same list (src = dst)
  movePush(c, db, dst, db.find(dst), value, whereto);
  notify(c, NOTIFY_LIST, wherefrom === HEAD ? 'lpop' : 'rpop', src);
  if (l.size === 0) {
    db.deleteSlot(db.find(src));
    notify(c, NOTIFY_GENERIC, 'del', src);
    return true;
  }
  return false;
}

function lmoveGeneric(c: Client, src: string, dst: string, wherefrom: number, whereto: number): void {
  const db = c.db;
  const slot = db.lookupWrite(src, c.server.now);
  if (slot === -1) { c.w.nil(); return; }
  if (asList(c, db, slot) === null) return;
  moveElement(c, db, src, dst, wherefrom, whereto);
}

function lmove(c: Client, args: string[]): void {
  const from = position(c, args[3]!);
  if (from === -1) return;
  const to = position(c, args[4]!);
  if (to === -1) return;
  lmoveGeneric(c, args[1]!, args[2]!, from, to);
}

function rpoplpush(c: Client, args: string[]): void {
  lmoveGeneric(c, args[1]!, args[2]!, TAIL, HEAD);
}

// ---- blocking forms -----------------------------------------------------------------

/** Serves BLPOP/BRPOP: [key, element]. */
function servePop(c: Client, st: BlockState, db: Db, key: string, slot: number): boolean {
  const l = db.vals[slot] as unknown as ListValue;
  const before = l.bytes;
  c.w.array(2);
  c.w.bulk(key);
  c.w.bulk(st.wherefrom === HEAD ? l.popHead()! : l.popTail()!);
  return elementsRemoved(c, db, key, st.wherefrom, slot, l, before);
}

/** Serves BLMPOP: [key, [elements...]]. */
function serveMpop(c: Client, st: BlockState, db: Db, key: string, slot: number): boolean {
  return popRangeWithKey(c, db, key, slot, db.vals[slot] as unknown as ListValue, st.wherefrom, st.count);
}

/** Serves BLMOVE/BRPOPLPUSH: the element, moved (or WRONGTYPE when the destination holds another type). */
function serveMove(c: Client, st: BlockState, db: Db, key: string): boolean {
  return moveElement(c, db, key, st.target!, st.wherefrom, st.whereto);
}

/**
 * Redis's blockingPopGenericCommand: pops from the first key holding a
 * list, else blocks on all of them (or, inside EXEC, answers a null array).
 * `count` -1: BLPOP/BRPOP's single element; else BLMPOP's range.
 */
function blockingPop(c: Client, cmd: Command, args: string[], keys: string[], where: number, deadline: number, count: number): void {
  const db = c.db;
  for (const key of keys) {
    const slot = db.lookupWrite(key, c.server.now);
    if (slot === -1) continue;
    const l = asList(c, db, slot);
    if (l === null) return;
    if (l.size === 0) continue;
    if (count !== -1) { popRangeWithKey(c, db, key, slot, l, where, count); return; }
    const before = l.bytes;
    c.w.array(2);
    c.w.bulk(key);
    c.w.bulk(where === HEAD ? l.popHead()! : l.popTail()!);
    elementsRemoved(c, db, key, where, slot, l, before);
    return;
  }
  if (c.denyBlocking) { c.w.nilArray(); return; }
  const st = c.server.blocking.blockForKeys(c, BLOCKED_LIST, keys, deadline, count === -1 ? servePop : serveMpop, cmd, args);
  st.wherefrom = where;
  st.count = count;
}

function bpop(where: number): (c: Client, args: string[]) => void {
  return (c, args) => {
    const deadline = parseTimeout(c, args[args.length - 1]!, true);
    if (deadline === null) return;
    blockingPop(c, cmdOf(c, where === HEAD ? 'blpop' : 'brpop'), args, args.slice(1, -1), where, deadline, -1);
  };
}

function blmpop(c: Client, args: string[]): void {
  const m = parseMpop(c, args, 2);
  if (m === null) return;
  const deadline = parseTimeout(c, args[1]!, true);
  if (deadline === null) return;
  blockingPop(c, cmdOf(c, 'blmpop'), args, m.keys, m.where, deadline, m.count);
}

/** Redis's blmoveGenericCommand. */
function blmoveGeneric(c: Client, cmd: Command, args: string[], wherefrom: number, whereto: number, deadline: number): void {
  const db = c.db;
  const src = args[1]!;
  const slot = db.lookupWrite(src, c.server.now);
  if (slot !== -1 && asList(c, db, slot) === null) return;
  if (slot === -1) {
    if (c.denyBlocking) { c.w.nil(); return; }
    const st = c.server.blocking.blockForKeys(c, BLOCKED_LIST, [src], deadline, serveMove, cmd, args);
    st.wherefrom = wherefrom;
    st.whereto = whereto;
    st.target = args[2]!;
    return;
  }
  lmoveGeneric(c, src, args[2]!, wherefrom, whereto);
}

function blmove(c: Client, args: string[]): void {
  const from = position(c, args[3]!);
  if (from === -1) return;
  const to = position(c, args[4]!);
  if (to === -1) return;
  const deadline = parseTimeout(c, args[5]!, true);
  if (deadline === null) return;
  blmoveGeneric(c, cmdOf(c, 'blmove'), args, from, to, deadline);
}

function brpoplpush(c: Client, args: string[]): void {
  const deadline = parseTimeout(c, args[3]!, true);
  if (deadline === null) return;
  blmoveGeneric(c, cmdOf(c, 'brpoplpush'), args, TAIL, HEAD, deadline);
}

/** This server's own entry for a command (its stats are per server). */
function cmdOf(c: Client, name: string): Command {
  return c.server.commands.lookup(name)!;
}

/**
 * LMPOP/BLMPOP's key positions (COMMAND GETKEYS, fault matching): numkeys at
 * `idx`, then that many keys; null when numkeys is not in 1..(arguments left),
 * as Redis's keynum spec rejects it.
 */
function mpopKeysOf(idx: number): (args: readonly string[]) => number[] | null {
  return (args) => {
    const n = parseInt64(args[idx] ?? '');
    if (n === null || n < 1 || n > args.length - idx - 1) return null;
    const out: number[] = [];
    for (let i = 0; i < Number(n); i++) out.push(idx + 1 + i);
    return out;
  };
}

// ---- the table --------------------------------------------------------------------

const G = 'list';
const PUSH_COMPLEXITY = 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';
const BLOCKING_FLAGS = 'write noscript blocking';

export const listCommands: Command[] = [
  defineCommand({ name: 'lpush', arity: -3, args: 'key element...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW insert', group: G, summary: 'Prepend one or multiple elements to a list', since: '1.0.0', complexity: PUSH_COMPLEXITY, handler: (c, a) => pushGeneric(c, a, HEAD, false) }),
  defineCommand({ name: 'rpush', arity: -3, args: 'key element...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW insert', group: G, summary: 'Append one or multiple elements to a list', since: '1.0.0', complexity: PUSH_COMPLEXITY, handler: (c, a) => pushGeneric(c, a, TAIL, false) }),
  defineCommand({ name: 'lpushx', arity: -3, args: 'key element...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW insert', group: G, summary: 'Prepend an element to a list, only if the list exists', since: '2.2.0', complexity: PUSH_COMPLEXITY, handler: (c, a) => pushGeneric(c, a, HEAD, true) }),
  defineCommand({ name: 'rpushx', arity: -3, args: 'key element...', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW insert', group: G, summary: 'Append an element to a list, only if the list exists', since: '2.2.0', complexity: PUSH_COMPLEXITY, handler: (c, a) => pushGeneric(c, a, TAIL, true) }),
  defineCommand({ name: 'lpop', arity: -2, args: 'key [count:integer]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access delete', group: G, summary: 'Remove and get the first elements in a list', since: '1.0.0', complexity: 'O(N) where N is the number of elements returned', handler: (c, a) => popGeneric(c, a, HEAD) }),
  defineCommand({ name: 'rpop', arity: -2, args: 'key [count:integer]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access delete', group: G, summary: 'Remove and get the last elements in a list', since: '1.0.0', complexity: 'O(N) where N is the number of elements returned', handler: (c, a) => popGeneric(c, a, TAIL) }),
  defineCommand({ name: 'llen', arity: 2, args: 'key', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO', group: G, summary: 'Get the length of a list', since: '1.0.0', handler: llen }),
  defineCommand({ name: 'lindex', arity: 3, args: 'key index:integer', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Get an element from a list by its index', since: '1.0.0', complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).', handler: lindex }),
  defineCommand({ name: 'lset', arity: 4, args: 'key index:integer element', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'RW update', group: G, summary: 'Set the value of an element in a list by its index', since: '1.0.0', complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).', handler: lset }),
  defineCommand({ name: 'linsert', arity: 5, args: 'key where:(BEFORE|AFTER) pivot element', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'RW insert', group: G, summary: 'Insert an element before or after another element in a list', since: '2.2.0', complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).', handler: linsert }),
  defineCommand({ name: 'lrange', arity: 4, args: 'key start:integer stop:integer', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Get a range of elements from a list', since: '1.0.0', complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', handler: lrange }),
  defineCommand({ name: 'lrem', arity: 4, args: 'key count:integer element', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', group: G, summary: 'Remove elements from a list', since: '1.0.0', complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.', handler: lrem }),
  defineCommand({ name: 'ltrim', arity: 4, args: 'key start:integer stop:integer', flags: 'write', keys: [1, 1, 1], keyFlags: 'RW delete', group: G, summary: 'Trim a list to the specified range', since: '1.0.0', complexity: 'O(N) where N is the number of elements to be removed by the operation.', handler: ltrim }),
  defineCommand({ name: 'lpos', arity: -3, args: 'key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Return the index of matching elements on a list', since: '6.0.6', complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', handler: lpos }),
  defineCommand({ name: 'rpoplpush', arity: 3, args: 'source:key destination:key', flags: 'write denyoom', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Remove the last element in a list, prepend it to another list and return it', since: '1.2.0', handler: rpoplpush }),
  defineCommand({ name: 'lmove', arity: 5, args: 'source:key destination:key wherefrom:(LEFT|RIGHT) whereto:(LEFT|RIGHT)', flags: 'write denyoom', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Pop an element from a list, push it to another list and return it', since: '6.2.0', handler: lmove }),
  defineCommand({ name: 'lmpop', arity: -4, args: 'numkeys:integer key... where:(LEFT|RIGHT) [COUNT count:integer]', flags: 'write movablekeys', keysOf: mpopKeysOf(1), keys: [0, 0, 0], keyFlags: 'RW access delete', group: G, summary: 'Pop elements from a list', since: '7.0.0', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', handler: lmpop }),
  defineCommand({ name: 'blpop', arity: -3, args: 'key... timeout:double', flags: BLOCKING_FLAGS, keys: [1, -2, 1], keyFlags: 'RW access delete', group: G, summary: 'Remove and get the first element in a list, or block until one is available', since: '2.0.0', complexity: 'O(N) where N is the number of provided keys.', handler: bpop(HEAD) }),
  defineCommand({ name: 'brpop', arity: -3, args: 'key... timeout:double', flags: BLOCKING_FLAGS, keys: [1, -2, 1], keyFlags: 'RW access delete', group: G, summary: 'Remove and get the last element in a list, or block until one is available', since: '2.0.0', complexity: 'O(N) where N is the number of provided keys.', handler: bpop(TAIL) }),
  defineCommand({ name: 'brpoplpush', arity: 4, args: 'source:key destination:key timeout:double', flags: 'write denyoom noscript blocking', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', since: '2.2.0', handler: brpoplpush }),
  defineCommand({ name: 'blmove', arity: 6, args: 'source:key destination:key wherefrom:(LEFT|RIGHT) whereto:(LEFT|RIGHT) timeout:double', flags: 'write denyoom noscript blocking', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', since: '6.2.0', handler: blmove }),
  defineCommand({ name: 'blmpop', arity: -5, args: 'timeout:double numkeys:integer key... where:(LEFT|RIGHT) [COUNT count:integer]', flags: 'write blocking movablekeys', keysOf: mpopKeysOf(2), keys: [0, 0, 0], keyFlags: 'RW access delete', group: G, summary: 'Pop elements from a list, or block until one is available', since: '7.0.0', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', handler: blmpop }),
];
