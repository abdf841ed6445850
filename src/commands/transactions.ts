/**
 * Transaction commands: MULTI EXEC DISCARD WATCH UNWATCH (Redis 7.0's multi.c).
 *
 * The mechanism (the queue, the watched-key registry, what the "key
 * modified" signal does to it) is src/multi.ts; queueing and the queue-time
 * checks that flag a transaction are in Client.execute (connection.ts).
 *
 * EXEC runs the queued commands one after another inside its own call, so no
 * other client's command can run in between (everything is synchronous), the
 * clock stays at EXEC's `now`, each command is counted, fed to MONITOR and
 * notified as when run alone, and the replies go out with the rest of the
 * batch in one write. While EXEC runs, `denyBlocking` is set: blocking
 * commands act as their non-blocking form (see Client.denyBlocking).
 */

import type { Client } from '../connection.js';
import { feedMonitors } from '../monitor.js';
import { ENC_ARGV, type Db } from '../keyspace.js';
import { discardTransaction, MultiState, unwatchAll, watchedKeyExpired, watchKey } from '../multi.js';
import { defineCommand, type Command } from './table.js';
import { DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, execAbortBecause, EXECABORT_PREVIOUS, MULTI_NESTED, WATCH_INSIDE_MULTI } from '../errors.js';

// -------------------------------------------------------------------------------

/**
 * Redis's execCommandAbort, for an EXEC the dispatcher rejected (wrong
 * arity, NOAUTH, OOM...): the transaction is discarded, the reply gives the
 * reason, and MONITOR still sees the EXEC so the transaction shows as over.
 */
export function execAbort(c: Client, cmd: Command, args: string[], msg: string): void {
  discardTransaction(c);
  c.error(execAbortBecause(msg));
  if (c.server.monitors.size !== 0) feedMonitors(c, cmd, args);
}

function multi(c: Client): void {
  if (c.multi !== null) { c.error(MULTI_NESTED); return; }
  c.multi = new MultiState();
  c.w.ok();
}

function discard(c: Client): void {
  if (c.multi === null) { c.error(DISCARD_WITHOUT_MULTI); return; }
  discardTransaction(c);
  c.w.ok();
}

function exec(c: Client): void {
  const m = c.multi;
  if (m === null) { c.error(EXEC_WITHOUT_MULTI); return; }
  // A watched key that was alive at WATCH and has expired since fails EXEC.
  if (c.watched.length !== 0 && watchedKeyExpired(c, c.server.now)) c.dirtyCas = true;
  if (c.dirtyCas || m.dirtyExec) {
    if (m.dirtyExec) c.error(EXECABORT_PREVIOUS); else c.w.nilArray();
    discardTransaction(c);
    return;
  }
  const denied = c.denyBlocking;
  c.denyBlocking = true;
  unwatchAll(c);
  const mark = c.w.pending;
  const n = m.cmds.length;
  c.w.array(n);
  const marks: string[] = c.execMarks = [];
  const after: Array<() => void> = c.execAfter = [];
  try {
    for (let j = 0; j < n; j++) {
      if (!c.runQueued(m.cmds[j]!, m.argv[j]!, mark)) break;
    }
  } finally {
    clearArgvMarks(c.server.dbs, marks);
    c.execMarks = null;
    c.execAfter = null;
    c.denyBlocking = denied;
    discardTransaction(c);
  }
  for (const f of after) f();
}

/**
 * EXEC is over: the queued commands' arguments are released, so values that
 * were those very objects (ENC_ARGV, see strings.ts markArgv) stop counting
 * them. Each noted key is looked up in every database (SWAPDB may have moved it).
 */
function clearArgvMarks(dbs: readonly Db[], keys: readonly string[]): void {
  for (const key of keys) {
    for (const db of dbs) {
      const s = db.find(key);
      if (s !== -1) db.enc[s]! &= ~ENC_ARGV;
    }
  }
}

function watch(c: Client, args: string[]): void {
  if (c.multi !== null) { c.error(WATCH_INSIDE_MULTI); return; }
  // No point watching more once a watched key was touched.
  if (!c.dirtyCas) {
    const now = c.server.now;
    for (let i = 1; i < args.length; i++) watchKey(c, c.db, args[i]!, now);
  }
  c.w.ok();
}

function unwatch(c: Client): void {
  unwatchAll(c);
  c.dirtyCas = false;
  c.w.ok();
}

const G = 'transactions';
const TX = 'noscript loading stale fast allow_busy';
export const transactionCommands: Command[] = [
  defineCommand({ name: 'multi', arity: 1, flags: TX, group: G, summary: 'Mark the start of a transaction block', since: '1.2.0', handler: multi }),
  defineCommand({ name: 'exec', arity: 1, flags: 'noscript loading stale skip_slowlog', group: G, summary: 'Execute all commands issued after MULTI', since: '1.2.0', complexity: 'Depends on commands in the transaction', handler: exec }),
  defineCommand({ name: 'discard', arity: 1, flags: TX, group: G, summary: 'Discard all commands issued after MULTI', since: '2.0.0', complexity: 'O(N), when N is the number of queued commands', handler: discard }),
  defineCommand({ name: 'watch', arity: -2, args: 'key...', flags: TX, keys: [1, -1, 1], keyFlags: 'RO', group: G, summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0', complexity: 'O(1) for every key.', handler: watch }),
  defineCommand({ name: 'unwatch', arity: 1, flags: TX, group: G, summary: 'Forget about all watched keys', since: '2.2.0', handler: unwatch }),
];
