/**
 * Transactions and WATCH, as Redis 7.0's multi.c: the per-client MULTI state,
 * the registry of watched keys, and what the "key modified" signal
 * (Db.signalModified, keyspace.ts) does to it. The commands themselves are in
 * commands/transactions.ts; the queueing rule is in Client.execute.
 *
 * Queueing: after MULTI, every command that passes the dispatcher's checks is
 * stored (not run) and answered +QUEUED, except EXEC, DISCARD, MULTI, WATCH,
 * QUIT and RESET, which run at once. A command the dispatcher rejects
 * (unknown, wrong arity, NOAUTH, not allowed in MULTI, OOM...) flags the
 * transaction (`dirtyExec`), and EXEC then answers -EXECABORT. Once a
 * transaction is flagged, or a watched key was touched, nothing more is
 * stored (Redis saves the memory; CLIENT LIST's multi= stops counting).
 *
 * WATCH: each watched (database, key) is one WatchedKey, listed both in the
 * client's `watched` array and in its database's `watched` map (key -> the
 * WatchedKeys of every client watching it, in WATCH order). A signal on a
 * key that has watchers marks each watching client `dirtyCas` and drops all
 * its watches (it cannot become less dirty); EXEC of a dirty client answers
 * a null array. Cost: nothing at all while no client watches a key of that
 * database (Db.signalModified tests the map's size); otherwise one Map
 * lookup per signal, plus O(watchers of the key) when the key is watched.
 * WATCH is O(watchers of each key); UNWATCH, DISCARD and EXEC are O(keys
 * the client watches x watchers per key), as in Redis.
 *
 * Expired keys (Redis 7.0's rule): a key that is logically expired when it is
 * WATCHed (still stored, its TTL passed) is marked `expired`. Deleting it
 * later (lazily, actively, by FLUSHDB) is then no change and only clears the
 * mark; any other signal on it while it still exists stops the walk over that
 * key's watchers without marking anyone (7.0's `break`). At EXEC, a watched
 * key that was alive when WATCHed but has expired by now makes EXEC fail even
 * if nothing deleted it yet. FLUSHDB/FLUSHALL touch only keys that exist in
 * the flushed database; SWAPDB touches a key that exists in either of the two,
 * with the same care for expired ones.
 */

import type { Command } from './commands/table.js';
import type { Db } from './keyspace.js';

/** What the registry needs from a client (connection.ts's Client). */
export interface WatchingClient {
  /** A watched key was touched (Redis's CLIENT_DIRTY_CAS): EXEC will fail. */
  dirtyCas: boolean;
  /** The keys this client watches, in WATCH order. */
  readonly watched: WatchedKey[];
  /** The transaction being queued, or null. */
  multi: MultiState | null;
}

/** One client's WATCH on one key of one database. */
export interface WatchedKey {
  readonly key: string;
  readonly db: Db;
  readonly client: WatchingClient;
  /** The key was logically expired when WATCHed (see the file comment). */
  expired: boolean;
}

/** The commands queued after MULTI (Redis's multiState). */
export class MultiState {
  readonly cmds: Command[] = [];
  readonly argv: string[][] = [];
  /** The OR of the queued commands' flags: EXEC counts as denyoom, read or write when one of them is. */
  flags = 0;
  /** Bytes of the queued arguments (CLIENT LIST multi-mem, the client's share of used_memory). */
  bytes = 0;
  /** A command was rejected while queueing (Redis's CLIENT_DIRTY_EXEC): EXEC aborts. */
  dirtyExec = false;

  add(cmd: Command, args: string[]): void {
    this.cmds.push(cmd);
    this.argv.push(args);
    this.flags |= cmd.flags;
    let n = 8 * args.length;
    for (const a of args) n += a.length;
    this.bytes += n;
  }
}

/** Redis's keyIsExpired: the key is stored and its TTL has passed at `now` (nothing is deleted). */
export function keyIsExpired(db: Db, key: string, now: number): boolean {
  const s = db.find(key);
  return s !== -1 && db.isExpired(s, now);
}

/** Redis's watchForKey: `c` watches `key` of `db` (once per database and key). */
export function watchKey(c: WatchingClient, db: Db, key: string, now: number): void {
  let list = db.watched.get(key);
  if (list === undefined) {
    list = [];
    db.watched.set(key, list);
  } else {
    for (const wk of list) if (wk.client === c) return;
  }
  const wk: WatchedKey = { key, db, client: c, expired: keyIsExpired(db, key, now) };
  c.watched.push(wk);
  list.push(wk);
}

/** Redis's unwatchAllKeys: drops every watch of `c` (the dirty flag is the caller's business). */
export function unwatchAll(c: WatchingClient): void {
  const all = c.watched;
  if (all.length === 0) return;
  for (const wk of all) {
    const list = wk.db.watched.get(wk.key)!;
    list.splice(list.indexOf(wk), 1);
    if (list.length === 0) wk.db.watched.delete(wk.key);
  }
  all.length = 0;
}

/** Redis's discardTransaction: leaves MULTI, clears the dirty flags and every watch. */
export function discardTransaction(c: WatchingClient): void {
  c.multi = null;
  c.dirtyCas = false;
  unwatchAll(c);
}

/** Redis's touchWatchedKey: the signal for one key that has watchers in `db`. */
export function touchWatchedKey(db: Db, key: string): void {
  const list = db.watched.get(key);
  if (list === undefined) return;
  // A copy: marking a client dirty drops its watches, this key's entry among them.
  for (const wk of list.slice()) {
    if (wk.expired) {
      if (db.find(key) === -1) {
        // The expired key is now gone: no logical change. Deleted keys are not "expired".
        wk.expired = false;
        continue;
      }
      break; // Redis 7.0 stops walking this key's watchers here.
    }
    wk.client.dirtyCas = true;
    unwatchAll(wk.client);
  }
}

/**
 * Redis's touchAllWatchedKeysInDb: `emptied` is flushed (replacedWith null)
 * or swapped with `replacedWith` (SWAPDB). Watches on keys that exist in
 * either are touched; watched keys are not dropped (as in Redis).
 */
export function touchAllWatchedKeysInDb(emptied: Db, replacedWith: Db | null, now: number): void {
  for (const [key, list] of emptied.watched) {
    const inEmptied = emptied.find(key) !== -1;
    const inReplaced = replacedWith !== null && replacedWith.find(key) !== -1;
    if (!inEmptied && !inReplaced) continue;
    for (const wk of list) {
      if (wk.expired) {
        if (!inReplaced) {
          // The expired key is deleted: no logical change.
          wk.expired = false;
          continue;
        }
        if (keyIsExpired(replacedWith!, key, now)) continue; // stays expired
      } else if (!inEmptied && keyIsExpired(replacedWith!, key, now)) {
        // A missing key replaced by an expired one.
        wk.expired = true;
        continue;
      }
      wk.client.dirtyCas = true;
    }
  }
}

/** Redis's isWatchedKeyExpired: a key alive when WATCHed has expired by `now`. */
export function watchedKeyExpired(c: WatchingClient, now: number): boolean {
  for (const wk of c.watched) {
    if (!wk.expired && keyIsExpired(wk.db, wk.key, now)) return true;
  }
  return false;
}
