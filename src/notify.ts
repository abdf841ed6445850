/**
 * Keyspace notifications: Redis 7.0's notify.c. When a command changes a
 * key (or a key expires, is evicted, is created, or a read misses), an event
 * is published over pub/sub, if `notify-keyspace-events` enables its class:
 *
 *   K  __keyspace@<db>__:<key>   message: the event name   ("set", "expired"...)
 *   E  __keyevent@<db>__:<event> message: the key name
 *
 * Classes: g generic (del, expire, rename_from, rename_to, persist), $ string
 * (set, setrange, incrby, incrbyfloat, append), x expired, e evicted,
 * n new (key created), m keymiss (read of a missing key); l s h z t d for
 * types cachette does not have yet (accepted, never fired). A = g$lshzxetd.
 * Without K or E nothing is published. Off ("") by default.
 *
 * The hot path pays one integer test per event site: `flags & class`.
 */

import type { KeyspaceEvents } from './keyspace.js';

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_MODULE = 1 << 12; // d
export const NOTIFY_NEW = 1 << 13; // n
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
  | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const CHARS: Record<string, number> = {
  A: NOTIFY_ALL, g: NOTIFY_GENERIC, $: NOTIFY_STRING, l: NOTIFY_LIST, s: NOTIFY_SET, h: NOTIFY_HASH,
  z: NOTIFY_ZSET, x: NOTIFY_EXPIRED, e: NOTIFY_EVICTED, K: NOTIFY_KEYSPACE, E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM, m: NOTIFY_KEY_MISS, d: NOTIFY_MODULE, n: NOTIFY_NEW,
};

/** Redis's keyspaceEventsStringToFlags: the flags, or -1 for an unknown character. */
export function parseNotifyFlags(s: string): number {
  let flags = 0;
  for (const ch of s) {
    const f = CHARS[ch];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** Redis's keyspaceEventsFlagsToString: 'A' or the letters in g$lshzxetdn order, then K, E, m. */
export function formatNotifyFlags(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    s += 'A';
  } else {
    if (flags & NOTIFY_GENERIC) s += 'g';
    if (flags & NOTIFY_STRING) s += '$';
    if (flags & NOTIFY_LIST) s += 'l';
    if (flags & NOTIFY_SET) s += 's';
    if (flags & NOTIFY_HASH) s += 'h';
    if (flags & NOTIFY_ZSET) s += 'z';
    if (flags & NOTIFY_EXPIRED) s += 'x';
    if (flags & NOTIFY_EVICTED) s += 'e';
    if (flags & NOTIFY_STREAM) s += 't';
    if (flags & NOTIFY_MODULE) s += 'd';
    if (flags & NOTIFY_NEW) s += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}

/** Publishes events; `flags` mirrors the config value (set by the server on CONFIG SET). */
export class Notifier implements KeyspaceEvents {
  flags = 0;
  constructor(private readonly publish: (channel: string, message: string) => number) {}

  /** Redis's notifyKeyspaceEvent. `key` is the binary (latin1) key string. */
  fire(type: number, event: string, key: string, db: number): void {
    const flags = this.flags;
    if ((flags & type) === 0) return;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${db}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${db}__:${event}`, key);
  }
}
