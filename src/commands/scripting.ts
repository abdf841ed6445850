/**
 * Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD EXISTS FLUSH KILL
 * DEBUG HELP), as Redis 7.0's eval.c; FCALL, FCALL_RO and FUNCTION are in functions.ts. The
 * mechanism (script cache, the Lua state, running, the busy yield) is src/scripting.ts.
 */
import type { Client } from '../connection.js';
import { feedMonitors } from '../monitor.js';
import { parseInt64 } from '../numbers.js';
import { F, defineCommand, type Command } from './table.js';
import { helpReply } from './util.js';
import { Scripting } from '../scripting.js';
import {
  NOSCRIPT, NOT_INT, NUMKEYS_NEGATIVE, NUMKEYS_TOO_MANY, SCRIPT_DEBUG_UNSUPPORTED, SCRIPT_DEBUG_USAGE, SCRIPT_FLUSH_MODE,
} from '../errors.js';

/** Keys of EVAL/EVALSHA/FCALL: numkeys at 2, the keys after it (COMMAND GETKEYS). */
export function numkeysAt2(args: readonly string[]): number[] | null {
  const n = parseInt64(args[2] ?? '');
  if (n === null || n < 0n || n > BigInt(args.length - 3)) return null;
  const out: number[] = [];
  for (let i = 0; i < Number(n); i++) out.push(3 + i);
  return out;
}

/** Parses numkeys (Redis's evalGenericCommand checks); null after replying an error. */
export function parseNumkeys(c: Client, args: string[]): number | null {
  const n = parseInt64(args[2]!);
  if (n === null) { c.error(NOT_INT); return null; }
  if (n > BigInt(args.length - 3)) { c.error(NUMKEYS_TOO_MANY); return null; }
  if (n < 0n) { c.error(NUMKEYS_NEGATIVE); return null; }
  return Number(n);
}

function evalGeneric(c: Client, args: string[], evalsha: boolean, cmd: Command): void {
  const server = c.server;
  // Fed here, before the commands the script runs (the command is flagged skip_monitor).
  if (server.monitors.size !== 0) feedMonitors(c, cmd, args);
  if (evalsha && args[1]!.length !== 40) { c.error(NOSCRIPT); return; }
  const numkeys = parseNumkeys(c, args);
  if (numkeys === null) return;
  const eng = server.scripting;
  let script = eng.findScript(args[1]!, evalsha);
  if (script === undefined) {
    if (evalsha) { c.error(NOSCRIPT); return; }
    const s = eng.createScript(args[1]!);
    if (typeof s === 'string') { c.error(s); return; }
    script = s;
  }
  const ro = (cmd.flags & F.READONLY) !== 0;
  eng.runScript(c, eng.sandbox(), script.ref, args.slice(3, 3 + numkeys), args.slice(3 + numkeys), script.sha,
    script.flags, ro, true, cmd, args);
}

function cmdOf(c: Client, name: string): Command {
  return c.server.commands.lookup(name)!;
}

function evalCmd(c: Client, args: string[]): void { evalGeneric(c, args, false, cmdOf(c, 'eval')); }
function evalRo(c: Client, args: string[]): void { evalGeneric(c, args, false, cmdOf(c, 'eval_ro')); }
function evalsha(c: Client, args: string[]): void { evalGeneric(c, args, true, cmdOf(c, 'evalsha')); }
function evalshaRo(c: Client, args: string[]): void { evalGeneric(c, args, true, cmdOf(c, 'evalsha_ro')); }

function scriptLoad(c: Client, args: string[]): void {
  const s = c.server.scripting.createScript(args[2]!);
  if (typeof s === 'string') { c.error(s); return; }
  c.w.bulk(s.sha);
}

function scriptExists(c: Client, args: string[]): void {
  const scripts = c.server.scripting.scripts;
  c.w.array(args.length - 2);
  for (let i = 2; i < args.length; i++) c.w.integer(scripts.has(args[i]!.toLowerCase()) ? 1 : 0);
}

function scriptFlush(c: Client, args: string[]): void {
  if (args.length === 3) {
    const mode = args[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') { c.error(SCRIPT_FLUSH_MODE); return; }
  } else if (args.length !== 2) {
    c.error(SCRIPT_FLUSH_MODE);
    return;
  }
  c.server.scripting.flush();
  c.w.ok();
}

function scriptKill(c: Client): void {
  c.server.scripting.kill(c, true);
}

function scriptDebug(c: Client, args: string[]): void {
  const mode = args[2]!.toLowerCase();
  if (mode === 'no') { c.w.ok(); return; }
  if (mode === 'yes' || mode === 'sync') { c.error(SCRIPT_DEBUG_UNSUPPORTED); return; }
  c.error(SCRIPT_DEBUG_USAGE);
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

export { Scripting };

const evalFlags = (c: Client, args: readonly string[]): number =>
  c.server.scripting.evalCommandFlags(c.server.commands.lookup(args[0]!)!.flags, args, false);
const evalshaFlags = (c: Client, args: readonly string[]): number =>
  c.server.scripting.evalCommandFlags(c.server.commands.lookup(args[0]!)!.flags, args, true);

const G = 'scripting';
const EVAL_FLAGS = 'noscript stale skip_monitor no_mandatory_keys movablekeys';
const EVAL_ARGS = 'script numkeys:integer [key...] [arg...]';
const RW_NOTES = 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE';
const RO_NOTES = 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS';
export const scriptingCommands: Command[] = [
  defineCommand({ name: 'eval', arity: -3, args: EVAL_ARGS, flags: EVAL_FLAGS + ' may_replicate', flagsOf: evalFlags, keysOf: numkeysAt2, keySpec: { notes: RW_NOTES, begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RW access update', group: G, summary: 'Execute a Lua script server side', since: '2.6.0', complexity: 'Depends on the script that is executed.', handler: evalCmd }),
  defineCommand({ name: 'evalsha', arity: -3, args: 'sha1 numkeys:integer [key...] [arg...]', flags: EVAL_FLAGS + ' may_replicate', flagsOf: evalshaFlags, keysOf: numkeysAt2, keySpec: { begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RW access update', group: G, summary: 'Execute a Lua script server side', since: '2.6.0', complexity: 'Depends on the script that is executed.', handler: evalsha }),
  defineCommand({ name: 'eval_ro', arity: -3, args: EVAL_ARGS, flags: 'readonly ' + EVAL_FLAGS, flagsOf: evalFlags, acl: '-@read', keysOf: numkeysAt2, keySpec: { notes: RO_NOTES, begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RO access', group: G, summary: 'Execute a read-only Lua script server side', since: '7.0.0', complexity: 'Depends on the script that is executed.', handler: evalRo }),
  defineCommand({ name: 'evalsha_ro', arity: -3, args: 'sha1 numkeys:integer [key...] [arg...]', flags: 'readonly ' + EVAL_FLAGS, flagsOf: evalshaFlags, acl: '-@read', keysOf: numkeysAt2, keySpec: { begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RO access', group: G, summary: 'Execute a read-only Lua script server side', since: '7.0.0', complexity: 'Depends on the script that is executed.', handler: evalshaRo }),
  defineCommand({
    name: 'script', arity: -2, acl: '-@scripting', group: G, summary: 'A container for Lua scripts management commands', since: '2.6.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'flush', arity: -2, args: '[async:[ASYNC|SYNC]]', flags: 'noscript', tips: 'request_policy:all_nodes response_policy:all_succeeded', group: G, summary: 'Remove all the scripts from the script cache.', since: '2.6.0', complexity: 'O(N) with N being the number of scripts in cache', handler: scriptFlush },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'SCRIPT', SCRIPT_HELP) },
      { name: 'debug', arity: 3, args: 'mode:(YES|SYNC|NO)', flags: 'noscript', group: G, summary: 'Set the debug mode for executed scripts.', since: '3.2.0', handler: scriptDebug },
      { name: 'exists', arity: -3, args: 'sha1...', flags: 'noscript', tips: 'request_policy:all_shards response_policy:agg_logical_and', group: G, summary: 'Check existence of scripts in the script cache.', since: '2.6.0', complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).', handler: scriptExists },
      { name: 'kill', arity: 2, flags: 'noscript allow_busy', tips: 'request_policy:all_shards response_policy:one_succeeded', group: G, summary: 'Kill the script currently in execution.', since: '2.6.0', handler: scriptKill },
      { name: 'load', arity: 3, args: 'script', flags: 'noscript stale', tips: 'request_policy:all_nodes response_policy:all_succeeded', group: G, summary: 'Load the specified Lua script into the script cache.', since: '2.6.0', complexity: 'O(N) with N being the length in bytes of the script body.', handler: scriptLoad },
    ],
  }),
];
