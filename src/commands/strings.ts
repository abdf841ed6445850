/**
 * String commands: GET SET SETEX PSETEX SETNX GETSET GETEX GETDEL MGET MSET
 * MSETNX INCR INCRBY DECR DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SUBSTR SETRANGE.
 *
 * Semantics follow Redis 7.0's t_string.c: option parsing order, the order of
 * checks (syntax, then expire validation, then type), and the exact errors.
 */

import type { Client } from '../connection.js';
import { ENC_ARGV, ENC_AUTO, ENC_EMBSTR, ENC_MASK, ENC_RAW } from '../keyspace.js';
import { INT64_MAX, INT64_MIN, normalizeInt, parseInt64, type Int } from '../numbers.js';
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from '../longdouble.js';
import { defineCommand, type Command } from './table.js';
import { constants as bufferConstants } from 'node:buffer';
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
import { absoluteExpire, applyExpire, intArg, notify, opt, toNum } from './util.js';
import { DECR_OVERFLOW, INCR_NAN_OR_INF, INCR_OVERFLOW, NOT_FLOAT, NOT_INT, OFFSET_OUT_OF_RANGE, STRING_TOO_LONG, SYNTAX, WRONGTYPE, wrongArity } from '../errors.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../notify.js';

const OBJ_NX = 1;
const OBJ_XX = 2;
const OBJ_GET = 4;
const OBJ_KEEPTTL = 8;
const OBJ_EX = 16;
const OBJ_PX = 32;
const OBJ_EXAT = 64;
const OBJ_PXAT = 128;
const OBJ_PERSIST = 256;
const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

interface ExtArgs { flags: number; expire: string | null }

/**
 * Parses SET's or GETEX's options left to right (Redis's
 * parseExtendedStringArgumentsOrReply). A token is accepted only if it does
 * not conflict with what came before; the same option may repeat.
 */
function parseExtended(c: Client, args: string[], from: number, forSet: boolean): ExtArgs | null {
  let flags = 0;
  let expire: string | null = null;
  for (let j = from; j < args.length; j++) {
    const o = opt(args[j]!);
    const hasNext = j + 1 < args.length;
    if (forSet && o === 'nx' && !(flags & OBJ_XX)) flags |= OBJ_NX;
    else if (forSet && o === 'xx' && !(flags & OBJ_NX)) flags |= OBJ_XX;
    else if (forSet && o === 'get') flags |= OBJ_GET;
    else if (forSet && o === 'keepttl' && !(flags & ANY_EXPIRE)) flags |= OBJ_KEEPTTL;
    else if (!forSet && o === 'persist' && !(flags & ANY_EXPIRE)) flags |= OBJ_PERSIST;
    else if ((o === 'ex' || o === 'px' || o === 'exat' || o === 'pxat') && hasNext) {
      const bit = o === 'ex' ? OBJ_EX : o === 'px' ? OBJ_PX : o === 'exat' ? OBJ_EXAT : OBJ_PXAT;
      if (flags & (OBJ_KEEPTTL | OBJ_PERSIST | (ANY_EXPIRE & ~bit))) { c.error(SYNTAX); return null; }
      flags |= bit;
      expire = args[++j]!;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return { flags, expire };
}

/** Absolute ms for a parsed expire option, or null after replying the error. */
function expireFromFlags(c: Client, flags: number, expire: string, cmd: string): Int | null {
  const seconds = (flags & (OBJ_EX | OBJ_EXAT)) !== 0;
  const relative = (flags & (OBJ_EX | OBJ_PX)) !== 0;
  return absoluteExpire(c, expire, seconds, relative, cmd);
}

/**
 * Inside EXEC, a value Redis stores as the command's own argument object
 * (SET, GETSET, MSET, APPEND of a new key store the argument, or the
 * integer object it was encoded into, which replaces the argument;
 * INCRBYFLOAT writes its result back into its arguments) is still referenced
 * by the queued command until EXEC ends: OBJECT REFCOUNT reads 2 meanwhile,
 * unless the value is a shared integer. The slot is flagged ENC_ARGV and the
 * key noted for EXEC to clear.
 */
function markArgv(c: Client, slot: number): void {
  const marks = c.execMarks;
  if (marks === null) return;
  const db = c.db;
  db.enc[slot]! |= ENC_ARGV;
  marks.push(db.keys[slot]!);
}

/** GET's reply for a key: bulk, nil, or WRONGTYPE. Returns false on WRONGTYPE. */
function replyGet(c: Client, key: string): boolean {
  const db = c.db;
  const s = db.lookupRead(key, c.server.now);
  if (s === -1) { c.w.nil(); return true; }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return false; }
  c.w.bulk(v);
  return true;
}

/** What setGeneric replies: +OK / nil (SET, SETEX, PSETEX) or :1 / :0 (SETNX). */
const REPLY_OK = 0;
const REPLY_INT = 1;

/** Redis's setGenericCommand. */
function setGeneric(c: Client, key: string, val: string, flags: number, when: Int | null, reply: number): void {
  if (flags & OBJ_GET) {
    if (!replyGet(c, key)) return;
  }
  const db = c.db;
  const now = c.server.now;
  const h = db.hashOf(key);
  const s = db.lookupWrite(key, now, h);
  const found = s !== -1;
  if (((flags & OBJ_NX) && found) || ((flags & OBJ_XX) && !found)) {
    if (!(flags & OBJ_GET)) { if (reply === REPLY_INT) c.w.integer(0); else c.w.nil(); }
    return;
  }
  const slot = db.setFound(s, key, h, val, now, (flags & OBJ_KEEPTTL) !== 0);
  markArgv(c, slot);
  notify(c, NOTIFY_STRING, 'set', key);
  if (when !== null) {
    applyExpire(c, slot, when);
    notify(c, NOTIFY_GENERIC, 'expire', key);
  }
  if (!(flags & OBJ_GET)) { if (reply === REPLY_INT) c.w.integer(1); else c.w.ok(); }
}

function set(c: Client, args: string[]): void {
  // Plain SET key value: no options to parse.
  if (args.length === 3) { setGeneric(c, args[1]!, args[2]!, 0, null, REPLY_OK); return; }
  const ext = parseExtended(c, args, 3, true);
  if (ext === null) return;
  let when: Int | null = null;
  if (ext.expire !== null) {
    when = expireFromFlags(c, ext.flags, ext.expire, 'set');
    if (when === null) return;
  }
  setGeneric(c, args[1]!, args[2]!, ext.flags, when, REPLY_OK);
}

function setnx(c: Client, args: string[]): void {
  setGeneric(c, args[1]!, args[2]!, OBJ_NX, null, REPLY_INT);
}

function setexGeneric(c: Client, args: string[], seconds: boolean, name: string): void {
  const when = absoluteExpire(c, args[2]!, seconds, true, name);
  if (when === null) return;
  setGeneric(c, args[1]!, args[3]!, 0, when, REPLY_OK);
}

function get(c: Client, args: string[]): void {
  replyGet(c, args[1]!);
}

function getset(c: Client, args: string[]): void {
  if (!replyGet(c, args[1]!)) return;
  markArgv(c, c.db.setKey(args[1]!, args[2]!, c.server.now));
  notify(c, NOTIFY_STRING, 'set', args[1]!);
}

function getex(c: Client, args: string[]): void {
  const ext = parseExtended(c, args, 2, false);
  if (ext === null) return;
  const db = c.db;
  const now = c.server.now;
  const s = db.lookupRead(args[1]!, now);
  if (s === -1) { c.w.nil(); return; }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  let when: Int | null = null;
  if (ext.expire !== null) {
    when = expireFromFlags(c, ext.flags, ext.expire, 'getex');
    if (when === null) return;
  }
  c.w.bulk(v);
  const key = args[1]!;
  if (when !== null) {
    if ((ext.flags & (OBJ_EXAT | OBJ_PXAT)) && when <= now) {
      db.deleteSlot(s);
      notify(c, NOTIFY_GENERIC, 'del', key);
    } else {
      applyExpire(c, s, when);
      notify(c, NOTIFY_GENERIC, 'expire', key);
    }
  } else if (ext.flags & OBJ_PERSIST) {
    if (db.removeExpire(s)) notify(c, NOTIFY_GENERIC, 'persist', key);
  }
}

function getdel(c: Client, args: string[]): void {
  const db = c.db;
  const s = db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.nil(); return; }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  c.w.bulk(v);
  db.deleteSlot(s);
  notify(c, NOTIFY_GENERIC, 'del', args[1]!);
}

function mget(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const w = c.w;
  w.array(args.length - 1);
  for (let i = 1; i < args.length; i++) {
    const s = db.lookupRead(args[i]!, now);
    if (s === -1) { w.nil(); continue; }
    const v = db.vals[s]!;
    if (typeof v !== 'string') w.nil(); else w.bulk(v);
  }
}

function msetGeneric(c: Client, args: string[], nx: boolean): void {
  if (args.length % 2 === 0) {
    c.error(wrongArity(nx ? 'msetnx' : 'mset'));
    return;
  }
  const db = c.db;
  const now = c.server.now;
  if (nx) {
    for (let i = 1; i < args.length; i += 2) {
      if (db.lookupWrite(args[i]!, now) !== -1) { c.w.integer(0); return; }
    }
  }
  for (let i = 1; i < args.length; i += 2) {
    markArgv(c, db.setKey(args[i]!, args[i + 1]!, now));
    notify(c, NOTIFY_STRING, 'set', args[i]!);
  }
  if (nx) c.w.integer(1); else c.w.ok();
}

/** INCR/DECR/INCRBY/DECRBY core (Redis's incrDecrCommand). */
function incrDecr(c: Client, key: string, incr: Int): void {
  const db = c.db;
  const now = c.server.now;
  const s = db.lookupWrite(key, now);
  let old: Int = 0;
  if (s !== -1) {
    const v = db.vals[s]!;
    if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
    const p = parseInt64(v);
    if (p === null) { c.error(NOT_INT); return; }
    old = p;
  }
  let result: Int;
  if (typeof old === 'number' && typeof incr === 'number') {
    const r = old + incr;
    result = Number.isSafeInteger(r) ? r : normalizeInt(BigInt(old) + BigInt(incr));
  } else {
    const r = BigInt(old) + BigInt(incr);
    result = normalizeInt(r);
  }
  if (typeof result === 'bigint' && (result > INT64_MAX || result < INT64_MIN)) {
    c.error(INCR_OVERFLOW);
    return;
  }
  const str = String(result);
  if (s !== -1) db.setValue(s, str);
  else db.add(key, str, now);
  notify(c, NOTIFY_STRING, 'incrby', key);
  c.w.integer(result);
}

function incr(c: Client, args: string[]): void { incrDecr(c, args[1]!, 1); }
function decr(c: Client, args: string[]): void { incrDecr(c, args[1]!, -1); }

function incrby(c: Client, args: string[]): void {
  const n = intArg(c, args[2]!);
  if (n !== null) incrDecr(c, args[1]!, n);
}

function decrby(c: Client, args: string[]): void {
  const n = intArg(c, args[2]!);
  if (n === null) return;
  if (n === INT64_MIN) { c.error(DECR_OVERFLOW); return; }
  incrDecr(c, args[1]!, typeof n === 'number' ? -n : normalizeInt(-n));
}

function incrbyfloat(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const key = args[1]!;
  const s = db.lookupWrite(key, now);
  let old: LongDouble = ZERO;
  if (s !== -1) {
    const v = db.vals[s]!;
    if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
    const p = parseLongDouble(v);
    if (p === null) { c.error(NOT_FLOAT); return; }
    old = p;
  }
  const incr = parseLongDouble(args[2]!);
  if (incr === null) { c.error(NOT_FLOAT); return; }
  const r = addLongDouble(old, incr);
  if (r === null) { c.error(INCR_NAN_OR_INF); return; }
  const str = formatLongDouble(r);
  markArgv(c, s !== -1 ? (db.setValue(s, str, ENC_EMBSTR), s) : db.add(key, str, now, ENC_EMBSTR));
  notify(c, NOTIFY_STRING, 'incrbyfloat', key);
  c.w.bulk(str);
}

const ZERO: LongDouble = { inf: false, neg: false, m: 0n, e: 0 };

/** Redis's checkStringLength: the result may not exceed proto-max-bulk-len. */
function checkLength(c: Client, size: number, append: number): boolean {
  // V8 caps a string at MAX_STRING_LENGTH bytes (just under 512 MiB), the same
  // order as Redis's default proto-max-bulk-len; the lower bound applies.
  if (size + append > Math.min(c.server.config['proto-max-bulk-len'], MAX_STRING_LENGTH)) {
    c.error(STRING_TOO_LONG);
    return false;
  }
  return true;
}

function append(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const key = args[1]!;
  const val = args[2]!;
  const s = db.lookupWrite(key, now);
  if (s === -1) {
    markArgv(c, db.add(key, val, now, ENC_AUTO));
    notify(c, NOTIFY_STRING, 'append', key);
    c.w.integer(val.length);
    return;
  }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  if (!checkLength(c, v.length, val.length)) return;
  const nv = v + val;
  db.setValue(s, nv, ENC_RAW);
  notify(c, NOTIFY_STRING, 'append', key);
  c.w.integer(nv.length);
}

function strlen(c: Client, args: string[]): void {
  const db = c.db;
  const s = db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.integer(0); return; }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  c.w.integer(v.length);
}

function getrange(c: Client, args: string[]): void {
  const a = intArg(c, args[2]!);
  if (a === null) return;
  const b = intArg(c, args[3]!);
  if (b === null) return;
  const db = c.db;
  const s = db.lookupRead(args[1]!, c.server.now);
  if (s === -1) { c.w.bulk(''); return; }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  // Compared exactly first (number vs bigint compares exactly in JS).
  if (a < 0 && b < 0 && a > b) { c.w.bulk(''); return; }
  let start = toNum(a);
  let end = toNum(b);
  const len = v.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) { c.w.bulk(''); return; }
  c.w.bulk(v.slice(start, end + 1));
}

function setrange(c: Client, args: string[]): void {
  const off = intArg(c, args[2]!);
  if (off === null) return;
  if (off < 0) { c.error(OFFSET_OUT_OF_RANGE); return; }
  const offset = toNum(off);
  const val = args[3]!;
  const db = c.db;
  const now = c.server.now;
  const key = args[1]!;
  const s = db.lookupWrite(key, now);
  if (s === -1) {
    if (val.length === 0) { c.w.integer(0); return; }
    if (!checkLength(c, offset, val.length)) return;
    const nv = '\0'.repeat(offset) + val;
    db.add(key, nv, now, ENC_RAW);
    notify(c, NOTIFY_STRING, 'setrange', key);
    c.w.integer(nv.length);
    return;
  }
  const v = db.vals[s]!;
  if (typeof v !== 'string') { c.error(WRONGTYPE); return; }
  if (val.length === 0) { c.w.integer(v.length); return; }
  if (!checkLength(c, offset, val.length)) return;
  const padded = offset > v.length ? v + '\0'.repeat(offset - v.length) : v;
  const nv = padded.slice(0, offset) + val + padded.slice(offset + val.length);
  db.setValue(s, nv, ENC_RAW);
  notify(c, NOTIFY_STRING, 'setrange', key);
  c.w.integer(nv.length);
}

/** Exposed for OBJECT ENCODING. */
export function stringEncoding(v: string, enc: number): string {
  enc &= ENC_MASK;
  if (enc === ENC_RAW) return 'raw';
  if (enc === ENC_AUTO && v.length <= 20 && parseInt64(v) !== null) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}

const G = 'string';
export const stringCommands: Command[] = [
  { name: 'get', arity: 2, args: 'key', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get the value of a key', since: '1.0.0', handler: get },
  { name: 'set', arity: -3, args: 'key value condition:[NX|XX] [GET] expiration:[EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|KEEPTTL]', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Set the string value of a key', since: '1.0.0', handler: set },
  { name: 'setnx', arity: 3, args: 'key value', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'OW insert', summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0', handler: setnx },
  { name: 'setex', arity: 4, args: 'key seconds:integer value', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'OW update', summary: 'Set the value and expiration of a key', since: '2.0.0', handler: (c: Client, a: string[]) => setexGeneric(c, a, true, 'setex') },
  { name: 'psetex', arity: 4, args: 'key milliseconds:integer value', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'OW update', summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0', handler: (c: Client, a: string[]) => setexGeneric(c, a, false, 'psetex') },
  { name: 'getset', arity: 3, args: 'key value', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Set the string value of a key and return its old value', since: '1.0.0', handler: getset },
  { name: 'getex', arity: -2, args: 'key expiration:[EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|PERSIST]', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0', handler: getex },
  { name: 'getdel', arity: 2, args: 'key', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access delete', summary: 'Get the value of a key and delete the key', since: '6.2.0', handler: getdel },
  { name: 'mget', arity: -2, args: 'key...', flags: 'readonly fast', keys: [1, -1, 1], keyFlags: 'RO access', summary: 'Get the values of all the given keys', since: '1.0.0', complexity: 'O(N) where N is the number of keys to retrieve.', handler: mget },
  { name: 'mset', arity: -3, args: 'key_value:(key value)...', flags: 'write denyoom', keys: [1, -1, 2], keyFlags: 'OW update', summary: 'Set multiple keys to multiple values', since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.', handler: (c: Client, a: string[]) => msetGeneric(c, a, false) },
  { name: 'msetnx', arity: -3, args: 'key_value:(key value)...', flags: 'write denyoom', keys: [1, -1, 2], keyFlags: 'OW insert', summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.', handler: (c: Client, a: string[]) => msetGeneric(c, a, true) },
  { name: 'incr', arity: 2, args: 'key', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Increment the integer value of a key by one', since: '1.0.0', handler: incr },
  { name: 'decr', arity: 2, args: 'key', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Decrement the integer value of a key by one', since: '1.0.0', handler: decr },
  { name: 'incrby', arity: 3, args: 'key increment:integer', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Increment the integer value of a key by the given amount', since: '1.0.0', handler: incrby },
  { name: 'decrby', arity: 3, args: 'key decrement:integer', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Decrement the integer value of a key by the given number', since: '1.0.0', handler: decrby },
  { name: 'incrbyfloat', arity: 3, args: 'key increment:double', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW access update', summary: 'Increment the float value of a key by the given amount', since: '2.6.0', handler: incrbyfloat },
  { name: 'append', arity: 3, args: 'key value', flags: 'write denyoom fast', keys: [1, 1, 1], keyFlags: 'RW insert', summary: 'Append a value to a key', since: '2.0.0', handler: append },
  { name: 'strlen', arity: 2, args: 'key', flags: 'readonly fast', keys: [1, 1, 1], keyFlags: 'RO', summary: 'Get the length of the value stored in a key', since: '2.2.0', handler: strlen },
  { name: 'getrange', arity: 4, args: 'key start:integer end:integer', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get a substring of the string stored at a key', since: '2.4.0', complexity: 'O(N)', handler: getrange },
  { name: 'substr', arity: 4, args: 'key start:integer end:integer', flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', summary: 'Get a substring of the string stored at a key', since: '1.0.0', complexity: 'O(N)', handler: getrange },
  { name: 'setrange', arity: 4, args: 'key offset:integer value', flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'RW update', summary: 'Overwrite part of a string at key starting at the specified offset', since: '2.2.0', handler: setrange },
].map((d) => defineCommand({ ...d, group: G, keys: d.keys as [number, number, number] }));
