/**
 * Generic key commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME
 * RENAMENX DBSIZE FLUSHDB FLUSHALL SWAPDB, the expire family (EXPIRE PEXPIRE EXPIREAT
 * PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST), and OBJECT.
 *
 * Semantics follow Redis 7.0's db.c, expire.c and object.c.
 */

import type { Client } from '../connection.js';
import { ENC_ARGV, ENC_AUTO, ENC_MASK, lruIdleMs, typeOfValue } from '../keyspace.js';
import { globMatch } from '../glob.js';
import { INT64_MAX, INT64_MIN, LLONG_MAX_DIV_1000, normalizeInt, parseCursor, parseInt64, type Int } from '../numbers.js';
import { defineCommand, type Command } from './table.js';
import { applyExpire, dbIndexArg, helpReply, notify, notifyDb, opt, scanOpts } from './util.js';
import {
  EXPIRE_GT_AND_LT, EXPIRE_NX_AND_OTHERS, INVALID_CURSOR, invalidExpireTime, LFU_IDLETIME, NO_SUCH_KEY, NOT_INT, NOT_LFU_FREQ, SYNTAX,
  unsupportedOption,
} from '../errors.js';
import { NOTIFY_GENERIC } from '../notify.js';
import { stringEncoding } from './strings.js';
import { DB_INDEX_OUT_OF_RANGE, SAME_OBJECT, SWAPDB_BAD_FIRST, SWAPDB_BAD_SECOND } from '../errors.js';

function del(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  let n = 0;
  for (let i = 1; i < args.length; i++) {
    const s = db.lookupNoTouch(args[i]!, now);
    if (s !== -1) {
      db.deleteSlot(s);
      notify(c, NOTIFY_GENERIC, 'del', args[i]!);
      n++;
    }
  }
  c.w.integer(n);
}

function exists(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  let n = 0;
  for (let i = 1; i < args.length; i++) if (db.lookupReadNoTouch(args[i]!, now) !== -1) n++;
  c.w.integer(n);
}

function touch(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  let n = 0;
  for (let i = 1; i < args.length; i++) if (db.lookupRead(args[i]!, now) !== -1) n++;
  c.w.integer(n);
}

function type(c: Client, args: string[]): void {
  const db = c.db;
  const s = db.lookupReadNoTouch(args[1]!, c.server.now);
  c.w.simple(s === -1 ? 'none' : typeOfValue(db.vals[s]!));
}

function keys(c: Client, args: string[]): void {
  const db = c.db;
  const now = c.server.now;
  const pattern = args[1]!;
  const all = pattern === '*';
  const out: string[] = [];
  // Logically expired keys are skipped, not deleted (as Redis's KEYS).
  for (let s = 0; s < db.size; s++) {
    if (db.isExpired(s, now)) continue;
    const k = db.keys[s]!;
    if (all || globMatch(pattern, k)) out.push(k);
  }
  c.w.array(out.length);
  for (const k of out) c.w.bulk(k);
}

function scan(c: Client, args: string[]): void {
  const cursor = parseCursor(args[1]!);
  if (cursor === null) { c.error(INVALID_CURSOR); return; }
  const so = scanOpts(c, args, 2, true);
  if (so === null) return;
  const { count, match } = so;
  const typeName = so.type;
  const db = c.db;
  const now = c.server.now;
  const start = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
  const out: string[] = [];
  const wantType = typeName === null ? null : opt(typeName);
  const next = db.scan(start, count, (s) => {
    const k = db.keys[s]!;
    if (match !== null && !globMatch(match, k)) return;
    if (wantType !== null) {
      // Redis looks the key up as a read here (counting hits and misses). An
      // expired key is deleted by that lookup and reads as type "none"; its
      // later expiry check no longer finds it, so TYPE none returns it.
      const t = db.lookupReadNoTouch(k, now);
      if ((t === -1 ? 'none' : typeOfValue(db.vals[t]!)) !== wantType) return;
    } else if (db.isExpired(s, now)) {
      if (!db.expiryPaused()) db.expireSlot(s);
      return;
    }
    out.push(k);
  });
  c.w.array(2);
  c.w.bulk(String(next));
  c.w.array(out.length);
  for (const k of out) c.w.bulk(k);
}

function randomkey(c: Client): void {
  const db = c.db;
  const now = c.server.now;
  // During CLIENT PAUSE expired keys stay; as Redis 7.2 does (7.0 can loop forever when every key
  // has expired), after 100 expired picks the last one is returned.
  for (let tries = 100; ; ) {
    const s = db.randomSlot();
    if (s === -1) { c.w.nil(); return; }
    if (db.isExpired(s, now)) {
      if (!db.expiryPaused()) { db.expireSlot(s); continue; }
      if (--tries > 0) continue;
    }
    c.w.bulk(db.keys[s]!);
    return;
  }
}

function renameGeneric(c: Client, args: string[], nx: boolean): void {
  const db = c.db;
  const now = c.server.now;
  const src = args[1]!;
  const dst = args[2]!;
  const s = db.lookupWrite(src, now);
  if (s === -1) { c.error(NO_SUCH_KEY); return; }
  if (src === dst) { if (nx) c.w.integer(0); else c.w.ok(); return; }
  const val = db.vals[s]!;
  const when = db.getExpireExact(s);
  const lru = db.lru[s]!;
  const enc = db.enc[s]!;
  const d = db.lookupWrite(dst, now);
  if (d !== -1) {
    if (nx) { c.w.integer(0); return; }
    db.deleteSlot(d);
  }
  // As Redis: the target is added, then the source deleted, so a stream waiter's ready signals
  // come in that order (dst, then src). The delete swap-removes slots: dst's is looked up after.
  db.add(dst, val, now, enc);
  db.deleteKey(src);
  const ns = db.find(dst);
  db.lru[ns] = lru;
  // The value object moves, so a transaction's reference to it (ENC_ARGV) follows.
  if ((enc & ENC_ARGV) !== 0 && c.execMarks !== null) c.execMarks.push(dst);
  if (when !== 0) applyExpire(c, ns, when);
  notify(c, NOTIFY_GENERIC, 'rename_from', src);
  notify(c, NOTIFY_GENERIC, 'rename_to', dst);
  if (nx) c.w.integer(1); else c.w.ok();
}

/**
 * MOVE key db (Redis's moveCommand): the value object itself moves, with its
 * TTL, LRU/LFU stamp and encoding; 0 when the key is missing here or exists
 * there. Both databases get the key-modified signal (add and delete signal).
 */
function move(c: Client, args: string[]): void {
  const key = args[1]!;
  const to = dbIndexArg(c, args[2]!);
  if (to === null) return;
  const src = c.db;
  const dst = c.server.dbs[to]!;
  if (src === dst) { c.error(SAME_OBJECT); return; }
  const now = c.server.now;
  const s = src.lookupWrite(key, now);
  if (s === -1) { c.w.integer(0); return; }
  if (dst.lookupWrite(key, now) !== -1) { c.w.integer(0); return; }
  const val = src.vals[s]!;
  const when = src.getExpireExact(s);
  const lru = src.lru[s]!;
  const enc = src.enc[s]!;
  const ns = dst.add(key, val, now, enc);
  dst.lru[ns] = lru;
  if (when !== 0) dst.setExpire(ns, Number(when), typeof when === 'bigint' ? when : undefined);
  src.deleteSlot(src.find(key));
  notifyDb(c, NOTIFY_GENERIC, 'move_from', key, src.id);
  notifyDb(c, NOTIFY_GENERIC, 'move_to', key, dst.id);
  c.w.integer(1);
}

/**
 * COPY source destination [DB index] [REPLACE] (Redis's copyCommand): a deep
 * copy (TypedValue.clone) with the source's TTL and a fresh access stamp, as
 * Redis duplicates the object. Options are parsed before anything is looked up.
 */
function copy(c: Client, args: string[]): void {
  let replace = false;
  let dst = c.db;
  for (let j = 3; j < args.length; j++) {
    const o = opt(args[j]!);
    if (o === 'replace') replace = true;
    else if (o === 'db' && j + 1 < args.length) {
      const n = dbIndexArg(c, args[++j]!);
      if (n === null) return;
      dst = c.server.dbs[n]!;
    } else { c.error(SYNTAX); return; }
  }
  const src = c.db;
  const key = args[1]!;
  const newkey = args[2]!;
  if (src === dst && key === newkey) { c.error(SAME_OBJECT); return; }
  const now = c.server.now;
  const s = src.lookupRead(key, now);
  if (s === -1) { c.w.integer(0); return; }
  const v = src.vals[s]!;
  const when = src.getExpireExact(s);
  const enc = src.enc[s]! & ENC_MASK;
  const d = dst.lookupWrite(newkey, now);
  if (d !== -1) {
    if (!replace) { c.w.integer(0); return; }
    dst.deleteSlot(d);
  }
  const ns = dst.add(newkey, typeof v === 'string' ? v : v.clone(), now, enc);
  if (when !== 0) dst.setExpire(ns, Number(when), typeof when === 'bigint' ? when : undefined);
  notifyDb(c, NOTIFY_GENERIC, 'copy_to', newkey, dst.id);
  c.w.integer(1);
}

function dbsize(c: Client): void {
  c.w.integer(c.db.size);
}

/** FLUSHDB / FLUSHALL take at most one argument, SYNC or ASYNC. */
function flushArgsOk(c: Client, args: string[]): boolean {
  if (args.length > 2) { c.error(SYNTAX); return false; }
  if (args.length === 2) {
    const o = opt(args[1]!);
    if (o !== 'sync' && o !== 'async') { c.error(SYNTAX); return false; }
  }
  return true;
}

function flushdb(c: Client, args: string[]): void {
  if (!flushArgsOk(c, args)) return;
  c.db.flush(c.server.now);
  c.w.ok();
}

function flushall(c: Client, args: string[]): void {
  if (!flushArgsOk(c, args)) return;
  c.server.flushAll(c.server.now);
  c.w.ok();
}

/** SWAPDB's index argument: a C int (its own errors, so not util.ts dbIndexArg), or null. */
function swapdbIndex(s: string): number | null {
  const v = parseInt64(s);
  return v === null || v < -2147483648 || v > 2147483647 ? null : Number(v);
}

/**
 * SWAPDB index1 index2: both indexes are parsed before either is range
 * checked, as in Redis. Clients keep their database numbers and see the
 * other database's data at once; WATCHes on keys of either are touched
 * (Db.swapWith). No keyspace events, as in Redis 7.0.
 */
function swapdb(c: Client, args: string[]): void {
  const a = swapdbIndex(args[1]!);
  if (a === null) { c.error(SWAPDB_BAD_FIRST); return; }
  const b = swapdbIndex(args[2]!);
  if (b === null) { c.error(SWAPDB_BAD_SECOND); return; }
  const dbs = c.server.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) { c.error(DB_INDEX_OUT_OF_RANGE); return; }
  dbs[a]!.swapWith(dbs[b]!, c.server.now);
  c.w.ok();
}

// ---- expire family ----------------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Redis's expireGenericCommand. `relative`: add now; `seconds`: scale by 1000. */
function expireGeneric(c: Client, args: string[], relative: boolean, seconds: boolean, name: string): void {
  let flags = 0;
  for (let i = 3; i < args.length; i++) {
    const o = opt(args[i]!);
    if (o === 'nx') flags |= EXPIRE_NX;
    else if (o === 'xx') flags |= EXPIRE_XX;
    else if (o === 'gt') flags |= EXPIRE_GT;
    else if (o === 'lt') flags |= EXPIRE_LT;
    else { c.error(unsupportedOption(args[i]!)); return; }
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    c.error(EXPIRE_NX_AND_OTHERS);
    return;
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    c.error(EXPIRE_GT_AND_LT);
    return;
  }
  const v = parseInt64(args[2]!);
  if (v === null) { c.error(NOT_INT); return; }
  const invalid = (): void => c.error(invalidExpireTime(name));
  const now = c.server.now;
  let when: Int;
  if (typeof v === 'number' && Math.abs(v) < 4e12) {
    when = (seconds ? v * 1000 : v) + (relative ? now : 0);
  } else {
    let b = BigInt(v);
    if (seconds) {
      if (b > LLONG_MAX_DIV_1000 || b < -LLONG_MAX_DIV_1000) { invalid(); return; }
      b *= 1000n;
    }
    if (relative) {
      if (b > INT64_MAX - BigInt(now)) { invalid(); return; }
      b += BigInt(now);
    }
    if (b < INT64_MIN) { invalid(); return; }
    when = normalizeInt(b);
  }
  const db = c.db;
  const s = db.lookupWrite(args[1]!, now);
  if (s === -1) { c.w.integer(0); return; }
  if (flags !== 0) {
    const cur = db.getExpireExact(s);
    const has = cur !== 0;
    if ((flags & EXPIRE_NX) && has) { c.w.integer(0); return; }
    if ((flags & EXPIRE_XX) && !has) { c.w.integer(0); return; }
    if ((flags & EXPIRE_GT) && (!has || when <= cur)) { c.w.integer(0); return; }
    if ((flags & EXPIRE_LT) && has && when >= cur) { c.w.integer(0); return; }
  }
  if (when <= now) {
    // Already in the past: delete now (not counted as expired).
    db.deleteSlot(s);
    notify(c, NOTIFY_GENERIC, 'del', args[1]!);
  } else {
    applyExpire(c, s, when);
    notify(c, NOTIFY_GENERIC, 'expire', args[1]!);
  }
  c.w.integer(1);
}

/** TTL / PTTL / EXPIRETIME / PEXPIRETIME. */
function ttlGeneric(c: Client, args: string[], ms: boolean, absolute: boolean): void {
  const db = c.db;
  const now = c.server.now;
  const s = db.lookupReadNoTouch(args[1]!, now);
  if (s === -1) { c.w.integer(-2); return; }
  const when = db.getExpireExact(s);
  if (when === 0) { c.w.integer(-1); return; }
  if (typeof when === 'number') {
    let t = absolute ? when : when - now;
    if (t < 0) t = 0;
    c.w.integer(ms ? t : Math.floor((t + 500) / 1000));
    return;
  }
  let t = absolute ? when : when - BigInt(now);
  if (t < 0n) t = 0n;
  c.w.integer(normalizeInt(ms ? t : (t + 500n) / 1000n));
}

function persist(c: Client, args: string[]): void {
  const db = c.db;
  const s = db.lookupWrite(args[1]!, c.server.now);
  if (s !== -1 && db.removeExpire(s)) {
    notify(c, NOTIFY_GENERIC, 'persist', args[1]!);
    c.w.integer(1);
  } else {
    c.w.integer(0);
  }
}

// ---- OBJECT -----------------------------------------------------------------

/** OBJECT looks keys up as reads that do not touch them (hits/misses count), nil when missing. */
function objectLookup(c: Client, key: string): number {
  // Redis's objectCommandLookup reads with LOOKUP_NONOTIFY: no keymiss event.
  const s = c.db.lookupReadNoTouch(key, c.server.now, true);
  if (s === -1) c.w.nil();
  return s;
}

function objectEncoding(c: Client, args: string[]): void {
  const s = objectLookup(c, args[2]!);
  if (s === -1) return;
  const v = c.db.vals[s]!;
  c.w.bulk(typeof v === 'string' ? stringEncoding(v, c.db.enc[s]!) : v.encoding);
}

function objectIdletime(c: Client, args: string[]): void {
  const s = objectLookup(c, args[2]!);
  if (s === -1) return;
  if (c.server.policy.lfu) { c.error(LFU_IDLETIME); return; }
  c.w.integer(Math.floor(lruIdleMs(c.db.lru[s]!, c.server.now) / 1000));
}

function objectFreq(c: Client, args: string[]): void {
  const s = objectLookup(c, args[2]!);
  if (s === -1) return;
  if (!c.server.policy.lfu) { c.error(NOT_LFU_FREQ); return; }
  c.w.integer(c.db.lfuDecayed(s, c.server.now));
}

function objectRefcount(c: Client, args: string[]): void {
  const s = objectLookup(c, args[2]!);
  if (s === -1) return;
  // Redis shares the integers 0..9999 (refcount INT_MAX) unless maxmemory
  // with an LRU/LFU policy needs per-object access metadata.
  const v = c.db.vals[s]!;
  const enc = c.db.enc[s]!;
  const cfg = c.server.config;
  const lruOrLfu = cfg['maxmemory-policy'].includes('-lru') || cfg['maxmemory-policy'].includes('-lfu');
  const shared = typeof v === 'string' && (enc & ENC_MASK) === ENC_AUTO && stringEncoding(v, ENC_AUTO) === 'int'
    && Number(v) >= 0 && Number(v) < 10000 && (cfg.maxmemory === 0 || !lruOrLfu);
  // Not shared, but still referenced by a command of the running EXEC (strings.ts markArgv).
  c.w.integer(shared ? 2147483647 : (enc & ENC_ARGV) !== 0 ? 2 : 1);
}

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

const G = 'generic';
const K1: [number, number, number] = [1, 1, 1];
const KALL: [number, number, number] = [1, -1, 1];
export const keyCommands: Command[] = [
  defineCommand({ name: 'del', arity: -2, args: 'key...', flags: 'write', keys: KALL, keyFlags: 'RM delete', group: G, summary: 'Delete a key', since: '1.0.0', complexity: 'O(N)', handler: del }),
  defineCommand({ name: 'unlink', arity: -2, args: 'key...', flags: 'write fast', keys: KALL, keyFlags: 'RM delete', group: G, summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', since: '4.0.0', complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.', handler: del }),
  defineCommand({ name: 'exists', arity: -2, args: 'key...', flags: 'readonly fast', keys: KALL, keyFlags: 'RO', group: G, summary: 'Determine if a key exists', since: '1.0.0', complexity: 'O(N) where N is the number of keys to check.', handler: exists }),
  defineCommand({ name: 'touch', arity: -2, args: 'key...', flags: 'readonly fast', keys: KALL, keyFlags: 'RO', group: G, summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', since: '3.2.1', complexity: 'O(N) where N is the number of keys that will be touched.', handler: touch }),
  defineCommand({ name: 'type', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO', group: G, summary: 'Determine the type stored at key', since: '1.0.0', handler: type }),
  defineCommand({ name: 'keys', arity: 2, args: 'pattern:pattern', flags: 'readonly', group: G, summary: 'Find all keys matching the given pattern', since: '1.0.0', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', handler: keys }),
  defineCommand({ name: 'scan', arity: -2, args: 'cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type]', flags: 'readonly', group: G, summary: 'Incrementally iterate the keys space', since: '2.8.0', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', handler: scan }),
  defineCommand({ name: 'randomkey', arity: 1, flags: 'readonly', group: G, summary: 'Return a random key from the keyspace', since: '1.0.0', handler: randomkey }),
  defineCommand({ name: 'move', arity: 3, args: 'key db:integer', flags: 'write fast', keys: [1, 1, 1], keyFlags: 'RW access update', group: G, summary: 'Move a key to another database', since: '1.0.0', handler: move }),
  defineCommand({ name: 'copy', arity: -3, args: 'source:key destination:key [DB destination-db:integer] [REPLACE]', flags: 'write denyoom', keys: [1, 2, 1], keyFlags: 'RO access', group: G, summary: 'Copy a key', since: '6.2.0', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', handler: copy }),
  defineCommand({ name: 'rename', arity: 3, args: 'key newkey:key', flags: 'write', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Rename a key', since: '1.0.0', handler: (c, a) => renameGeneric(c, a, false) }),
  defineCommand({ name: 'renamenx', arity: 3, args: 'key newkey:key', flags: 'write fast', keys: [1, 2, 1], keyFlags: 'RW access delete', group: G, summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', handler: (c, a) => renameGeneric(c, a, true) }),
  defineCommand({ name: 'dbsize', arity: 1, flags: 'readonly fast', group: 'server', summary: 'Return the number of keys in the selected database', since: '1.0.0', handler: dbsize }),
  defineCommand({ name: 'flushdb', arity: -1, args: 'async:[ASYNC|SYNC]', flags: 'write', group: 'server', summary: 'Remove all keys from the current database', since: '1.0.0', complexity: 'O(N) where N is the number of keys in the selected database', handler: flushdb }),
  defineCommand({ name: 'swapdb', arity: 3, args: 'index1:integer index2:integer', flags: 'write fast', acl: '@keyspace @dangerous', group: 'server', summary: 'Swaps two Redis databases', since: '4.0.0', complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.', handler: swapdb }),
  defineCommand({ name: 'flushall', arity: -1, args: 'async:[ASYNC|SYNC]', flags: 'write', group: 'server', summary: 'Remove all keys from all databases', since: '1.0.0', complexity: 'O(N) where N is the total number of keys in all databases', handler: flushall }),
  defineCommand({ name: 'expire', arity: -3, args: 'key seconds:integer condition:[NX|XX|GT|LT]', flags: 'write fast', keys: K1, keyFlags: 'RW update', group: G, summary: "Set a key's time to live in seconds", since: '1.0.0', handler: (c, a) => expireGeneric(c, a, true, true, 'expire') }),
  defineCommand({ name: 'pexpire', arity: -3, args: 'key milliseconds:integer condition:[NX|XX|GT|LT]', flags: 'write fast', keys: K1, keyFlags: 'RW update', group: G, summary: "Set a key's time to live in milliseconds", since: '2.6.0', handler: (c, a) => expireGeneric(c, a, true, false, 'pexpire') }),
  defineCommand({ name: 'expireat', arity: -3, args: 'key unix-time-seconds:unix-time condition:[NX|XX|GT|LT]', flags: 'write fast', keys: K1, keyFlags: 'RW update', group: G, summary: 'Set the expiration for a key as a UNIX timestamp', since: '1.2.0', handler: (c, a) => expireGeneric(c, a, false, true, 'expireat') }),
  defineCommand({ name: 'pexpireat', arity: -3, args: 'key unix-time-milliseconds:unix-time condition:[NX|XX|GT|LT]', flags: 'write fast', keys: K1, keyFlags: 'RW update', group: G, summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0', handler: (c, a) => expireGeneric(c, a, false, false, 'pexpireat') }),
  defineCommand({ name: 'ttl', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO access', group: G, summary: 'Get the time to live for a key in seconds', since: '1.0.0', handler: (c, a) => ttlGeneric(c, a, false, false) }),
  defineCommand({ name: 'pttl', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO access', group: G, summary: 'Get the time to live for a key in milliseconds', since: '2.6.0', handler: (c, a) => ttlGeneric(c, a, true, false) }),
  defineCommand({ name: 'expiretime', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO access', group: G, summary: 'Get the expiration Unix timestamp for a key', since: '7.0.0', handler: (c, a) => ttlGeneric(c, a, false, true) }),
  defineCommand({ name: 'pexpiretime', arity: 2, args: 'key', flags: 'readonly fast', keys: K1, keyFlags: 'RO access', group: G, summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0', handler: (c, a) => ttlGeneric(c, a, true, true) }),
  defineCommand({ name: 'persist', arity: 2, args: 'key', flags: 'write fast', keys: K1, keyFlags: 'RW update', group: G, summary: 'Remove the expiration from a key', since: '2.2.0', handler: persist }),
  defineCommand({
    name: 'object', arity: -2, group: G, summary: 'A container for object introspection commands', since: '2.2.3', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'encoding', arity: 3, args: 'key', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO', group: G, summary: 'Inspect the internal encoding of a Redis object', since: '2.2.3', handler: objectEncoding },
      { name: 'freq', arity: 3, args: 'key', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO', group: G, summary: 'Get the logarithmic access frequency counter of a Redis object', since: '4.0.0', handler: objectFreq },
      { name: 'idletime', arity: 3, args: 'key', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO', group: G, summary: 'Get the time since a Redis object was last accessed', since: '2.2.3', handler: objectIdletime },
      { name: 'refcount', arity: 3, args: 'key', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO', group: G, summary: 'Get the number of references to the value of the key', since: '2.2.3', handler: objectRefcount },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '6.2.0', handler: (c) => helpReply(c, 'OBJECT', OBJECT_HELP) },
    ],
  }),
];
