/**
 * Fault injection, for test suites: make chosen commands fail the way a real
 * Redis (or the network) can, and check how the application copes.
 *
 *   const f = srv.faults.inject({ command: 'get', key: 'user:1', times: 1 }, 'LOADING');
 *   ...
 *   f.fired   // how many times it fired
 *
 * A fault matches a command by name (GET, or CONFIG|GET for a subcommand, or
 * just CONFIG for all of them), by key (any key argument, by the command
 * table's key positions) and/or by database; with `after: n` the first n
 * matching calls pass untouched; with `times: n` it fires n times and then
 * stays listed, spent. Actions:
 *   - an error reply instead of running the command: 'LOADING', 'OOM',
 *     'READONLY', 'BUSY', 'MASTERDOWN', 'NOSCRIPT' give Redis's own texts;
 *     any other text ('ERR boom') is sent as is;
 *   - { delay: ms }: the command runs, but this connection's replies are held
 *     for ms (later replies queue behind it, so order is kept);
 *   - 'close': earlier replies are sent, then the connection is closed
 *     without running the command;
 *   - 'hang': the command is not run and nothing more is ever answered on
 *     that connection (its later requests are read and dropped).
 *
 * Checked by the dispatcher only when a fault is active (one integer test per
 * command otherwise), after the command passed Redis's checks (unknown
 * command, arity, auth, OOM).
 */

import type { Command } from './commands/table.js';
import { BUSY, err, LOADING, MASTERDOWN, NOSCRIPT, OOM, READONLY } from './errors.js';

/** Redis's texts for the common error replies, by their code (texts in errors.ts). */
export const FAULT_ERRORS: Record<string, string> = { LOADING, OOM, READONLY, BUSY, MASTERDOWN, NOSCRIPT };

export type FaultAction =
  | { error: string }
  | { delay: number }
  | { close: true }
  | { hang: true };

/** An action, or a shorthand: an error code or text, 'close' or 'hang'. */
export type FaultActionSpec = FaultAction | string;

export interface FaultMatch {
  /** Command name, case-insensitive: 'get', 'config|get', or 'config' for every subcommand. One or several. */
  command?: string | string[];
  /** Fires only for commands with this key among their key arguments (UTF-8). */
  key?: string;
  /** Fires only on this database. */
  db?: number;
  /** Fires at most this many times (default: unlimited). */
  times?: number;
  /** Lets this many matching calls through before firing (default 0). */
  after?: number;
}

export interface Fault {
  readonly id: number;
  readonly match: Readonly<FaultMatch>;
  readonly action: FaultAction;
  /** Matching calls seen, including those let through by `after`. */
  readonly seen: number;
  /** Times it fired. */
  readonly fired: number;
  /** False once `times` is used up or it was removed. */
  readonly active: boolean;
  remove(): void;
}

function normaliseAction(a: FaultActionSpec): FaultAction {
  if (typeof a === 'string') {
    if (a === 'close') return { close: true };
    if (a === 'hang') return { hang: true };
    const known = FAULT_ERRORS[a.toUpperCase()];
    if (known !== undefined) return { error: known };
    if (a.length === 0) throw new TypeError('fault action: empty error text');
    return { error: a.includes(' ') ? a : err(a) };
  }
  if ('error' in a) {
    const known = FAULT_ERRORS[a.error.toUpperCase()];
    return { error: known ?? a.error };
  }
  if ('delay' in a) {
    if (!Number.isFinite(a.delay) || a.delay < 0) throw new TypeError('fault action: delay must be a non-negative number of ms');
    return { delay: a.delay };
  }
  if ('close' in a || 'hang' in a) return a;
  throw new TypeError('fault action: expected an error text, { error }, { delay }, "close" or "hang"');
}

class FaultEntry implements Fault {
  seen = 0;
  fired = 0;
  active = true;
  readonly commands: Set<string> | null;
  /** The key as the server stores it (binary string). */
  readonly rawKey: string | null;
  constructor(readonly id: number, readonly match: Readonly<FaultMatch>, readonly action: FaultAction, private readonly owner: Faults) {
    const cmds = match.command === undefined ? null : Array.isArray(match.command) ? match.command : [match.command];
    this.commands = cmds === null ? null : new Set(cmds.map((c) => c.toLowerCase()));
    this.rawKey = match.key === undefined ? null : Buffer.from(match.key, 'utf8').toString('latin1');
  }
  remove(): void { this.owner.remove(this); }
}

export class Faults {
  private readonly all: FaultEntry[] = [];
  private nextId = 1;
  /** Active faults; the dispatcher looks no further when this is 0. */
  active = 0;

  /** Adds a fault; returns it (live: `fired` and `seen` count up). */
  inject(match: FaultMatch, action: FaultActionSpec): Fault {
    if (match.times !== undefined && (!Number.isInteger(match.times) || match.times < 1)) throw new TypeError('fault: times must be a positive integer');
    if (match.after !== undefined && (!Number.isInteger(match.after) || match.after < 0)) throw new TypeError('fault: after must be a non-negative integer');
    const f = new FaultEntry(this.nextId++, { ...match }, normaliseAction(action), this);
    this.all.push(f);
    this.active++;
    return f;
  }

  /** Every fault injected since the last clear(), spent ones included. */
  list(): Fault[] { return [...this.all]; }

  /** Removes every fault. */
  clear(): void {
    for (const f of this.all) f.active = false;
    this.all.length = 0;
    this.active = 0;
  }

  remove(f: Fault): void {
    const i = this.all.indexOf(f as FaultEntry);
    if (i === -1) return;
    this.all.splice(i, 1);
    if (f.active) { (f as FaultEntry).active = false; this.active--; }
  }

  /** The action to take for this call, or null. Counts `seen` and `fired`. */
  check(cmd: Command, args: string[], db: number): FaultAction | null {
    for (const f of this.all) {
      if (!f.active) continue;
      if (f.commands !== null && !f.commands.has(cmd.name) && !f.commands.has(cmd.name.split('|')[0]!)) continue;
      if (f.match.db !== undefined && f.match.db !== db) continue;
      if (f.rawKey !== null && !hasKey(cmd, args, f.rawKey)) continue;
      f.seen++;
      if (f.seen <= (f.match.after ?? 0)) continue;
      f.fired++;
      if (f.match.times !== undefined && f.fired >= f.match.times) { f.active = false; this.active--; }
      return f.action;
    }
    return null;
  }
}

/** Whether `key` is one of the command's key arguments (table key positions). */
function hasKey(cmd: Command, args: string[], key: string): boolean {
  if (cmd.keysOf !== null) return (cmd.keysOf(args) ?? []).some((i) => args[i] === key);
  if (cmd.firstKey <= 0) return false;
  const last = cmd.lastKey < 0 ? args.length + cmd.lastKey : cmd.lastKey;
  const step = cmd.step > 0 ? cmd.step : 1;
  for (let i = cmd.firstKey; i <= last && i < args.length; i += step) if (args[i] === key) return true;
  return false;
}
