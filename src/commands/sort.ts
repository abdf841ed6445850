/**
 * SORT and SORT_RO (Redis 7.0's sort.c) over lists, sets and sorted sets.
 *
 * How it works, in Redis's order:
 *  1. Options are parsed left to right (ASC DESC ALPHA LIMIT BY GET, and STORE
 *     for SORT only); a bad one replies at once, before any lookup.
 *  2. The key is read (a missing key is an empty list; a string or a hash is
 *     WRONGTYPE). A sorted set is converted to its skiplist encoding for good,
 *     as Redis's zsetConvert does.
 *  3. A BY pattern without `*` means "don't sort": lists and sorted sets keep
 *     their own order (and LIMIT picks the range directly), a set keeps its
 *     iteration order, except with STORE, where it is sorted ALPHA so the
 *     stored list does not depend on the set's internal order.
 *  4. Otherwise each element gets a weight: the element itself, or the value
 *     found through BY (`weight_*` a string key, `h_*->field` a hash field;
 *     missing ones weigh 0 or sort first under ALPHA). Numeric weights are
 *     parsed with strtod's rules and any bad one fails the whole command.
 *     Ties are broken by the element's bytes (numeric), and ALPHA compares C
 *     strings (up to a NUL, as strcoll in the C locale does) unless STORE,
 *     where it compares bytes. The sort is stable, as glibc's qsort is.
 *  5. The reply (or the stored list) is each element in the LIMIT window, or
 *     for each element the value of every GET pattern (`#` is the element).
 *
 * Cost: O(N + N log N) for N elements, plus one key lookup per element per
 * BY and GET pattern (each counted as a keyspace hit or miss, as in Redis).
 * Differences: Redis sorts BY+LIMIT with its own partial quicksort, which is
 * not stable, so ALPHA ties under BY+LIMIT may come out in another order.
 */

import type { Client } from '../connection.js';
import type { Db } from '../keyspace.js';
import { ListValue } from '../types/list.js';
import { parseSortWeight } from '../types/score.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../notify.js';
import { NOT_INT, SORT_SCORE_NOT_DOUBLE, SYNTAX, WRONGTYPE } from '../errors.js';
import { parseInt64 } from '../numbers.js';
import { stringEncoding } from './strings.js';
import { defineCommand, type Command } from './table.js';
import { notify, opt } from './util.js';

/** C's long: LIMIT's arguments (getLongFromObjectOrReply). */
function longArg(s: string): number | null {
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/**
 * Redis's lookupKeyByPattern: `#` is the element; otherwise the first `*` is
 * replaced by the element, and a `->field` after it reads a hash field. A
 * pattern without `*` finds nothing. Lookups count as reads (hits, misses).
 */
function lookupByPattern(c: Client, db: Db, pattern: string, ele: string): string | null {
  if (pattern === '#') return ele;
  const at = patternKey(pattern, ele);
  if (at === null) return null;
  const field = at.field;
  const s = db.lookupRead(at.key, c.server.now);
  if (s === -1) return null;
  const v = db.vals[s]!;
  if (field !== null) {
    if (typeof v === 'string' || v.type !== 'hash') return null;
    return (v as unknown as { get(f: string): string | undefined }).get(field) ?? null;
  }
  return typeof v === 'string' ? v : null;
}

/** The key a BY/GET pattern names for an element, and its `->field` (null: none); null without `*`. */
function patternKey(pattern: string, ele: string): { key: string; field: string | null } | null {
  const star = pattern.indexOf('*');
  if (star === -1) return null;
  const arrow = pattern.indexOf('->', star + 1);
  let field: string | null = null;
  let keyPat = pattern;
  if (arrow !== -1 && arrow + 2 < pattern.length) {
    field = pattern.slice(arrow + 2);
    keyPat = pattern.slice(0, arrow);
  }
  return { key: keyPat.slice(0, star) + ele + keyPat.slice(star + 1), field };
}

/** The smallest positive normal double: below it (and above 0) strtod reports ERANGE. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Whether Redis holds SORT's compared value `by` as an integer-encoded object:
 * a sorted set's member never (no BY); a string key's value when it is stored
 * as `int`; a hash field's value when the hash is a listpack and the value an
 * integer listpack stores as one (hashTypeGetValueObject makes it from the
 * integer). `#` gives the member itself.
 */
function intEncoded(db: Db, sortby: string | null, ele: string, by: string): boolean {
  if (sortby === null || sortby === '#') return false;
  const at = patternKey(sortby, ele);
  const s = at === null ? -1 : db.find(at.key);
  if (s === -1) return false;
  const v = db.vals[s]!;
  if (at!.field === null) return typeof v === 'string' && stringEncoding(v, db.enc[s]!) === 'int';
  return typeof v !== 'string' && (v as unknown as { encoding: string }).encoding === 'listpack' && by.length <= 20 && parseInt64(by) !== null;
}

/** strcoll in the C locale: byte order of the C strings (up to a NUL). */
function collate(a: string, b: string): number {
  const za = a.indexOf('\0');
  const zb = b.indexOf('\0');
  if (za !== -1) a = a.slice(0, za);
  if (zb !== -1) b = b.slice(0, zb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Binary comparison of two strings (Redis's compareStringObjects, memcmp then length). */
function binary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortItem { ele: string; score: number; cmp: string | null }

function sortGeneric(c: Client, args: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let sortby: string | null = null;
  let storekey: string | null = null;
  let dontsort = false;
  const gets: string[] = [];
  for (let j = 2; j < args.length; j++) {
    const left = args.length - j - 1;
    const o = opt(args[j]!);
    if (o === 'asc') desc = false;
    else if (o === 'desc') desc = true;
    else if (o === 'alpha') alpha = true;
    else if (o === 'limit' && left >= 2) {
      const a = longArg(args[j + 1]!);
      const b = a === null ? null : longArg(args[j + 2]!);
      if (a === null || b === null) { c.error(NOT_INT); return; }
      limitStart = a;
      limitCount = b;
      j += 2;
    } else if (!readonly && o === 'store' && left >= 1) {
      storekey = args[++j]!;
    } else if (o === 'by' && left >= 1) {
      sortby = args[++j]!;
      // A constant BY pattern: nothing to sort by, nothing to look up.
      if (!sortby.includes('*')) dontsort = true;
    } else if (o === 'get' && left >= 1) {
      gets.push(args[++j]!);
    } else {
      c.error(SYNTAX);
      return;
    }
  }

  const db = c.db;
  const now = c.server.now;
  const slot = db.lookupRead(args[1]!, now);
  const val = slot === -1 ? null : db.vals[slot]!;
  if (val !== null && (typeof val === 'string' || (val.type !== 'list' && val.type !== 'set' && val.type !== 'zset'))) {
    c.error(WRONGTYPE);
    return;
  }
  const type = val === null ? 'list' : val.type;
  if (dontsort && type === 'set' && storekey !== null) {
    // Force ALPHA sorting, so the stored list does not depend on the set's order.
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  // Redis's errno after the conversion below (see SORT_STALE_ERRNO in the README): its sort.c
  // checks `errno == ERANGE` after each strtod without clearing errno first.
  let staleErange = false;
  if (val !== null && type === 'zset') {
    // Redis converts a listpack sorted set to a skiplist for good here. It reads each score back
    // from its listpack string with strtod, which sets errno to ERANGE for a subnormal score.
    const z = val as unknown as { encoding: string; toSkiplist(): void; bytes: number; forEach(f: (m: string, s: number) => void): void };
    if (z.encoding !== 'skiplist') {
      z.forEach((_m, sc) => { if (sc !== 0 && Math.abs(sc) < MIN_NORMAL) staleErange = true; });
      const before = z.bytes;
      z.toSkiplist();
      db.valueResized(slot, before);
    }
  }

  const len = val === null ? 0 : val.size;
  let start = Math.min(Math.max(limitStart, 0), len);
  const count = Math.min(Math.max(limitCount, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) { start = len - 1; end = len - 2; }
  if (end >= len) end = len - 1;

  // Load the elements: directly as the window when the native order stands.
  let items: SortItem[];
  const item = (ele: string): SortItem => ({ ele, score: 0, cmp: null });
  if (val === null) {
    items = [];
  } else if (dontsort && (type === 'list' || type === 'zset')) {
    items = [];
    if (end >= start) {
      const n = end - start + 1;
      if (type === 'list') {
        const l = val as unknown as ListValue;
        l.scan(desc ? len - start - 1 : start, desc, (v) => { items.push(item(v)); return items.length >= n; });
      } else {
        const z = val as unknown as { cursor(rank: number): { valid: boolean; member: string; next(): void; prev(): void } };
        const cur = z.cursor(desc ? len - 1 - start : start);
        for (let k = 0; k < n && cur.valid; k++) {
          items.push(item(cur.member));
          if (desc) cur.prev(); else cur.next();
        }
      }
      end -= start;
      start = 0;
    }
  } else {
    items = [];
    if (type === 'list') (val as unknown as ListValue).forEach((v) => { items.push(item(v)); });
    else if (type === 'set') (val as unknown as { forEach(f: (m: string) => void): void }).forEach((m) => { items.push(item(m)); });
    else (val as unknown as { forEach(f: (m: string, s: number) => void): void }).forEach((m) => { items.push(item(m)); });
  }

  if (!dontsort) {
    let bad = false;
    for (const it of items) {
      let by: string | null;
      if (sortby !== null) {
        by = lookupByPattern(c, db, sortby, it.ele);
        if (by === null) continue;
      } else {
        by = it.ele;
      }
      if (alpha) {
        if (sortby !== null) it.cmp = by;
      } else {
        const w = parseSortWeight(by);
        if (w === null) bad = true; else it.score = w;
        // Redis checks errno only for a value held as a string (an integer-encoded one is read
        // without strtod), and errno stays ERANGE once set.
        if (staleErange && !intEncoded(db, sortby, it.ele, by)) bad = true;
      }
    }
    if (bad) { c.error(SORT_SCORE_NOT_DOUBLE); return; }
    const store = storekey !== null;
    const sign = desc ? -1 : 1;
    let compare: (a: SortItem, b: SortItem) => number;
    if (!alpha) {
      compare = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : binary(a.ele, b.ele));
    } else if (sortby !== null) {
      compare = (a, b) => {
        if (a.cmp === null || b.cmp === null) return sign * (a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1);
        return sign * (store ? binary(a.cmp, b.cmp) : collate(a.cmp, b.cmp));
      };
    } else {
      compare = store ? (a, b) => sign * binary(a.ele, b.ele) : (a, b) => sign * collate(a.ele, b.ele);
    }
    items.sort(compare);
  }

  const outputlen = gets.length > 0 ? gets.length * (end - start + 1) : end - start + 1;
  if (storekey === null) {
    c.w.array(outputlen);
    for (let j = start; j <= end; j++) {
      const ele = items[j]!.ele;
      if (gets.length === 0) c.w.bulk(ele);
      for (const g of gets) {
        const v = lookupByPattern(c, db, g, ele);
        if (v === null) c.w.nil(); else c.w.bulk(v);
      }
    }
    return;
  }
  const out: string[] = [];
  for (let j = start; j <= end; j++) {
    const ele = items[j]!.ele;
    if (gets.length === 0) out.push(ele);
    for (const g of gets) out.push(lookupByPattern(c, db, g, ele) ?? '');
  }
  if (outputlen > 0) {
    db.setKey(storekey, ListValue.from(out), now);
    notify(c, NOTIFY_LIST, 'sortstore', storekey);
  } else if (db.deleteKey(storekey)) {
    notify(c, NOTIFY_GENERIC, 'del', storekey);
  }
  c.w.integer(outputlen);
}

const G = 'generic';
const SYNOPSIS = 'key [BY pattern] [LIMIT offset:integer count:integer] [GET pattern...] order:[ASC|DESC] [ALPHA]';
export const sortCommands: Command[] = [
  defineCommand({ name: 'sort', arity: -2, args: `${SYNOPSIS} [STORE destination:key]`, flags: 'write denyoom', keys: [1, 1, 1], keyFlags: 'RO access', group: 'generic', summary: 'Sort the elements in a list, set or sorted set', since: '1.0.0', complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', handler: (c, a) => sortGeneric(c, a, false) }),
  defineCommand({ name: 'sort_ro', arity: -2, args: SYNOPSIS, flags: 'readonly', keys: [1, 1, 1], keyFlags: 'RO access', group: G, summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', since: '7.0.0', complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', handler: (c, a) => sortGeneric(c, a, true) }),
];
