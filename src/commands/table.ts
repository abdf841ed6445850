/**
 * The command table: every command is declared once, as Redis does, with its
 * name, arity, flags, key positions, group and handler. Dispatch, arity checks,
 * auth checks, COMMAND INFO/DOCS/LIST/COUNT and INFO commandstats all read it.
 *
 * Arity: a positive N means exactly N arguments (name included); -N means at
 * least N. Key positions: first key index, last key index (-1 = last
 * argument, -2 = the one before...), and step, as in COMMAND INFO.
 *
 * Lookup: the table maps both the lower-case and upper-case spelling of each
 * name, so a client's usual spelling dispatches with one Map lookup and no
 * string building. Mixed case falls back to one toLowerCase.
 */

import type { LatencyHistogram } from '../latency.js';
import type { Client } from '../connection.js';
import { parseSynopsis, type ArgDoc } from './synopsis.js';

/** Command flags, as a bitmask for the hot path. */
export const F = {
  WRITE: 1 << 0,
  READONLY: 1 << 1,
  DENYOOM: 1 << 2,
  FAST: 1 << 3,
  NO_AUTH: 1 << 4,
  LOADING: 1 << 5,
  STALE: 1 << 6,
  NOSCRIPT: 1 << 7,
  ADMIN: 1 << 8,
  ALLOW_BUSY: 1 << 9,
  NOPROPAGATE: 1 << 10,
  SENTINEL: 1 << 11,
  PUBSUB: 1 << 12,
  SKIP_SLOWLOG: 1 << 13,
  NO_MULTI: 1 << 14,
  BLOCKING: 1 << 15,
  MAY_REPLICATE: 1 << 16,
  /** Keys found by parsing the arguments (numkeys), not by position (ZUNION, ZMPOP...). */
  MOVABLEKEYS: 1 << 17,
  /** Not fed to MONITOR by the dispatcher (EVAL feeds itself before its script's commands). */
  SKIP_MONITOR: 1 << 18,
  NO_MANDATORY_KEYS: 1 << 19,
} as const;

const FLAG_NAMES: Record<string, number> = {
  write: F.WRITE, readonly: F.READONLY, denyoom: F.DENYOOM, fast: F.FAST, no_auth: F.NO_AUTH,
  loading: F.LOADING, stale: F.STALE, noscript: F.NOSCRIPT, admin: F.ADMIN, allow_busy: F.ALLOW_BUSY,
  no_propagate: F.NOPROPAGATE, sentinel: F.SENTINEL, pubsub: F.PUBSUB, skip_slowlog: F.SKIP_SLOWLOG,
  no_multi: F.NO_MULTI, blocking: F.BLOCKING, may_replicate: F.MAY_REPLICATE,
  movablekeys: F.MOVABLEKEYS, skip_monitor: F.SKIP_MONITOR, no_mandatory_keys: F.NO_MANDATORY_KEYS,
};

/**
 * A key spec found by a numkeys argument (COMMAND INFO's find_keys type keynum), as EVAL's:
 * begin_search index `begin`; keynum [keynumidx, firstkey, keystep]; optional notes.
 */
export interface KeynumSpec {
  notes?: string;
  begin: number;
  keynum: [number, number, number];
}

export type Handler = (c: Client, args: string[]) => void;

/** Flags that COMMAND INFO hides, as Redis does ("Hidden on purpose"). */
const HIDDEN_FLAGS = new Set(['may_replicate']);

/** Per-command counters for INFO commandstats. */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Call durations for INFO latencystats (latency.ts); null until the first call. */
  latency: LatencyHistogram | null;
}

export interface Command {
  /** Lower-case full name: 'get', or 'config|get' for a subcommand. */
  readonly name: string;
  readonly arity: number;
  readonly flags: number;
  readonly flagNames: readonly string[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly group: string;
  readonly summary: string;
  readonly since: string;
  readonly complexity: string;
  /** Key-spec flags for COMMAND INFO ('RO', 'RW', 'OW', 'access', 'update', 'insert', 'delete'). */
  readonly keyFlags: readonly string[];
  /** ACL categories declared beyond those the flags and group imply ('@keyspace', '@dangerous'...). */
  readonly acl: readonly string[];
  /** COMMAND INFO's tips ('nondeterministic_output_order', 'nondeterministic_output'...). */
  readonly tips: readonly string[];
  /**
   * Movable keys (flag movablekeys, first/last/step 0): the key positions in
   * a call's arguments (name at 0), or null when the arguments are invalid.
   * COMMAND GETKEYS and fault matching use it.
   */
  readonly keysOf: ((args: readonly string[]) => number[] | null) | null;
  /** A keynum key spec for COMMAND INFO (EVAL, FCALL), or null. */
  readonly keySpec: KeynumSpec | null;
  /**
   * The flags of one call, when they depend on its arguments (Redis's getCommandFlags: EVAL of a
   * script with a shebang, FCALL of a function with flags); null for the declared flags.
   */
  readonly flagsOf: ((c: Client, args: readonly string[]) => number) | null;
  readonly handler: Handler;
  /** Argument tree for COMMAND DOCS, from the declaration's synopsis. */
  readonly argDocs: readonly ArgDoc[];
  /** Subcommands of a container command (CONFIG, CLIENT...), by lower-case name. */
  readonly subcommands: Map<string, Command> | null;
  readonly stats: CommandStats;
}

export interface CommandDef {
  name: string;
  arity: number;
  flags?: string;
  keys?: [number, number, number];
  keyFlags?: string;
  /** Extra ACL categories, space-separated ('@keyspace @dangerous'). */
  acl?: string;
  /** COMMAND INFO tips, space-separated, as Redis 7.0 lists them. */
  tips?: string;
  /** Key positions of a movablekeys command (see Command.keysOf). */
  keysOf?: (args: readonly string[]) => number[] | null;
  keySpec?: KeynumSpec;
  flagsOf?: (c: Client, args: readonly string[]) => number;
  group: string;
  summary: string;
  since: string;
  complexity?: string;
  /** Arguments after the name, in the synopsis grammar of synopsis.ts. */
  args?: string;
  handler?: Handler;
  subcommands?: CommandDef[];
}

/** Makes a Command from its declaration. */
export function defineCommand(d: CommandDef, parent?: string): Command {
  const names = (d.flags ?? '').split(/\s+/).filter((s) => s.length > 0);
  let flags = 0;
  for (const n of names) {
    const b = FLAG_NAMES[n];
    if (b === undefined) throw new Error(`unknown command flag ${n} on ${d.name}`);
    flags |= b;
  }
  const full = parent === undefined ? d.name : `${parent}|${d.name}`;
  let subs: Map<string, Command> | null = null;
  if (d.subcommands !== undefined) {
    subs = new Map();
    for (const s of d.subcommands) subs.set(s.name, defineCommand(s, d.name));
  }
  const handler: Handler = d.handler ?? (() => { throw new Error(`container command ${full} has no handler`); });
  const [firstKey, lastKey, step] = d.keys ?? [0, 0, 0];
  return {
    name: full, arity: d.arity, flags, flagNames: names.filter((n) => !HIDDEN_FLAGS.has(n)), firstKey, lastKey, step,
    group: d.group, summary: d.summary, since: d.since, complexity: d.complexity ?? 'O(1)',
    keyFlags: (d.keyFlags ?? '').split(/\s+/).filter((s) => s.length > 0),
    acl: (d.acl ?? '').split(/\s+/).filter((s) => s.length > 0),
    tips: (d.tips ?? '').split(/\s+/).filter((s) => s.length > 0),
    keysOf: d.keysOf ?? null,
    keySpec: d.keySpec ?? null,
    flagsOf: d.flagsOf ?? null,
    argDocs: d.args !== undefined ? parseSynopsis(d.args) : [],
    handler, subcommands: subs, stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, latency: null },
  };
}

/** The registry the dispatcher looks commands up in. */
export class CommandTable {
  private readonly byName = new Map<string, Command>();
  readonly all: Command[] = [];

  /**
   * Adds commands. Each table gets its own copies, so per-command stats are
   * per server (several servers in one process share nothing).
   */
  add(defs: readonly Command[]): void {
    for (const c of defs.map(ownCopy)) {
      if (this.byName.has(c.name)) throw new Error(`duplicate command ${c.name}`);
      this.all.push(c);
      this.byName.set(c.name, c);
      this.byName.set(c.name.toUpperCase(), c);
    }
  }

  /** Finds a top-level command by the name the client sent (any case). */
  lookup(name: string): Command | undefined {
    const c = this.byName.get(name);
    if (c !== undefined) return c;
    return name.length <= 32 ? this.byName.get(name.toLowerCase()) : undefined;
  }

  /** Every command and subcommand, for COMMAND LIST and commandstats. */
  *each(): Generator<Command> {
    for (const c of this.all) {
      yield c;
      if (c.subcommands !== null) for (const s of c.subcommands.values()) yield s;
    }
  }
}

function ownCopy(c: Command): Command {
  let subs: Map<string, Command> | null = null;
  if (c.subcommands !== null) {
    subs = new Map();
    for (const [k, v] of c.subcommands) subs.set(k, ownCopy(v));
  }
  return { ...c, subcommands: subs, stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, latency: null } };
}

/** Redis 7.0's ACL category table order, in which COMMAND INFO lists a command's categories. */
const ACL_ORDER = ['@keyspace', '@read', '@write', '@set', '@sortedset', '@list', '@hash', '@string', '@bitmap', '@hyperloglog',
  '@geo', '@stream', '@pubsub', '@admin', '@fast', '@slow', '@blocking', '@dangerous', '@connection', '@transaction', '@scripting'];

const GROUP_CATEGORY: Record<string, string> = {
  string: '@string', hash: '@hash', set: '@set', list: '@list', generic: '@keyspace', connection: '@connection', pubsub: '@pubsub', transactions: '@transaction',
  'sorted-set': '@sortedset', scripting: '@scripting',
};

/** ACL categories as COMMAND INFO shows them: derived from flags and group, plus the declared ones, in Redis's order. */
export function aclCategories(c: Command): string[] {
  // A declared '-@cat' removes a category the group implies (WAIT: group generic, yet not @keyspace).
  const has = new Set<string>(c.acl.filter((a) => !a.startsWith('-')));
  if (c.flags & F.WRITE) has.add('@write');
  if (c.flags & F.READONLY) has.add('@read');
  const g = GROUP_CATEGORY[c.group];
  if (g !== undefined) has.add(g);
  if (c.flags & F.ADMIN) { has.add('@admin'); has.add('@dangerous'); }
  has.add(c.flags & F.FAST ? '@fast' : '@slow');
  if (c.flags & F.BLOCKING) has.add('@blocking');
  for (const a of c.acl) if (a.startsWith('-')) has.delete(a.slice(1));
  return ACL_ORDER.filter((x) => has.has(x));
}
