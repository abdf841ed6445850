/**
 * Inspection for test suites: read the keyspace synchronously, without a
 * client and without side effects. Nothing here deletes an expired key,
 * stamps LRU/LFU or counts a keyspace hit: a test that looks must not change
 * what it looks at. Logically expired keys read as absent, as a client would
 * see them.
 *
 * Keys and values are stored as binary (latin1) strings; these helpers take
 * and return UTF-8, as a JavaScript test writes them.
 */

import { globMatch } from './glob.js';
import { infoText } from './info.js';
import type { Server } from './server.js';
import type { Value } from './keyspace.js';
import type { BlockedClientInfo } from './blocking.js';

const toRaw = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const fromRaw = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

/**
 * A value as the test handle shows it: a string as text; any other type as
 * `{ type, value }` with a readable value (a hash as an object of fields, a
 * set as an array of members, a sorted set as [member, score] pairs in
 * order...; each type's inspect()).
 */
export type InspectedValue = string | { type: string; value: unknown };

/** One key as dump() shows it: its value and its remaining TTL in ms (null: none). */
export interface DumpEntry { value: InspectedValue; ttl: number | null }

function readable(v: Value): InspectedValue {
  return typeof v === 'string' ? fromRaw(v) : { type: v.type, value: v.inspect(fromRaw) };
}

function dbOf(s: Server, db: number) {
  const d = s.dbs[db];
  if (d === undefined) throw new RangeError(`no database ${db} (databases: ${s.dbs.length})`);
  return d;
}

/** Remaining TTL in ms of an expire time (0 = none gives null). */
function remainingMs(when: number, now: number): number | null {
  return when === 0 ? null : Math.max(0, Math.round(when - now));
}

/** The slot of a live key, or -1. */
function liveSlot(s: Server, key: string, db: number): number {
  const d = dbOf(s, db);
  const slot = d.find(toRaw(key));
  return slot === -1 || d.isExpired(slot, s.clock()) ? -1 : slot;
}

/** The value of `key`, or null when it does not exist (or has expired). */
export function getKey(s: Server, key: string, db = 0): InspectedValue | null {
  const slot = liveSlot(s, key, db);
  return slot === -1 ? null : readable(s.dbs[db]!.vals[slot]!);
}

/** PTTL's answer: remaining ms, -1 for a key with no TTL, -2 for no key. */
export function ttlOf(s: Server, key: string, db = 0): number {
  const slot = liveSlot(s, key, db);
  if (slot === -1) return -2;
  return remainingMs(s.dbs[db]!.expires[slot]!, s.clock()) ?? -1;
}

/** Live keys matching a Redis glob pattern, in storage order. */
export function keysOf(s: Server, pattern = '*', db = 0): string[] {
  const d = dbOf(s, db);
  const now = s.clock();
  const raw = toRaw(pattern);
  const out: string[] = [];
  for (let i = 0; i < d.size; i++) {
    if (d.isExpired(i, now)) continue;
    const k = d.keys[i]!;
    if (raw === '*' || globMatch(raw, k)) out.push(fromRaw(k));
  }
  return out;
}

/** Every live key of every non-empty database: { [db]: { [key]: { value, ttl } } }. */
export function dumpAll(s: Server): Record<number, Record<string, DumpEntry>> {
  const out: Record<number, Record<string, DumpEntry>> = {};
  const now = s.clock();
  for (const d of s.dbs) {
    let keys: Record<string, DumpEntry> | null = null;
    for (let i = 0; i < d.size; i++) {
      if (d.isExpired(i, now)) continue;
      keys ??= {};
      keys[fromRaw(d.keys[i]!)] = { value: readable(d.vals[i]!), ttl: remainingMs(d.expires[i]!, now) };
    }
    if (keys !== null) out[d.id] = keys;
  }
  return out;
}

/** INFO as fields: { used_memory: '1234', ... }. `section` as INFO takes it (default: the default set). */
export function infoFields(s: Server, section?: string): Record<string, string> {
  s.refreshClientsBytes();
  const out: Record<string, string> = {};
  for (const line of infoText(s, section === undefined ? [] : [section]).split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}


/** The blocked clients (blocking.ts), by client id. */
export function blockedClients(s: Server): BlockedClientInfo[] {
  return s.blocking.list();
}
