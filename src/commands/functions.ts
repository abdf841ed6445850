/**
 * Function commands: FCALL, FCALL_RO and FUNCTION (LOAD LIST DELETE FLUSH DUMP RESTORE STATS
 * KILL HELP), as Redis 7.0's functions.c. The libraries are src/functions.ts; running a
 * function is src/scripting.ts's machinery, shared with EVAL.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from '../connection.js';
import { feedMonitors } from '../monitor.js';
import { parseInt64 } from '../numbers.js';
import { globMatch } from '../glob.js';
import { defineCommand, type Command } from './table.js';
import { helpReply } from './util.js';
import { numkeysAt2 } from './scripting.js';
import { SCRIPT_FLAG_NAMES, scriptFlagsToCmdFlags } from '../scripting.js';
import {
  BUSY_EVAL, FN_BAD_NUMKEYS, FN_CODE_MISSING, FN_FLUSH_MODE, FN_LIBRARYNAME_MISSING, FN_LIBRARY_NOT_FOUND, FN_NOT_FOUND,
  FN_RESTORE_POLICY, NUMKEYS_NEGATIVE, NUMKEYS_TOO_MANY, fnUnknownArgument, fnUnknownOption, unknownSubcommandOrArity,
} from '../errors.js';

function fcallGeneric(c: Client, args: string[], ro: boolean, cmd: Command): void {
  const server = c.server;
  if (server.monitors.size !== 0) feedMonitors(c, cmd, args);
  const f = server.functions.find(args[1]!);
  if (f === undefined) { c.error(FN_NOT_FOUND); return; }
  const n = parseInt64(args[2]!);
  if (n === null) { c.error(FN_BAD_NUMKEYS); return; }
  if (n > BigInt(args.length - 3)) { c.error(NUMKEYS_TOO_MANY); return; }
  if (n < 0n) { c.error(NUMKEYS_NEGATIVE); return; }
  const k = Number(n);
  server.functions.call(c, f, args.slice(3, 3 + k), args.slice(3 + k), ro, cmd, args);
}

/** Redis's fcallGetCommandFlags: a function runs with the flags it was registered with. */
function fcallFlags(c: Client, args: readonly string[]): number {
  const cmdFlags = c.server.commands.lookup(args[0]!)!.flags;
  if (args.length < 2) return cmdFlags;
  const f = c.server.functions.find(args[1]!);
  return f === undefined ? cmdFlags : scriptFlagsToCmdFlags(cmdFlags, f.flags);
}

function functionLoad(c: Client, args: string[]): void {
  let replace = false;
  let i = 2;
  while (i < args.length - 1) {
    const a = args[i++]!;
    if (a.toLowerCase() === 'replace') { replace = true; continue; }
    c.error(fnUnknownOption(a));
    return;
  }
  if (i >= args.length) { c.error(FN_CODE_MISSING); return; }
  const lib = c.server.functions.load(args[i]!, replace);
  if (typeof lib === 'string') { c.error(lib); return; }
  c.w.bulk(lib.name);
}

function functionList(c: Client, args: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!.toLowerCase();
    if (!withCode && a === 'withcode') { withCode = true; continue; }
    if (pattern === null && a === 'libraryname') {
      if (i >= args.length - 1) { c.error(FN_LIBRARYNAME_MISSING); return; }
      pattern = args[++i]!;
      continue;
    }
    c.error(fnUnknownArgument(args[i]!));
    return;
  }
  const libs = [...c.server.functions.libraries.values()].filter((l) => pattern === null || globMatch(pattern, l.name, false));
  const w = c.w;
  w.array(libs.length);
  for (const lib of libs) {
    w.map(withCode ? 4 : 3);
    w.bulk('library_name'); w.bulk(lib.name);
    w.bulk('engine'); w.bulk('LUA');
    w.bulk('functions');
    w.array(lib.functions.size);
    for (const f of lib.functions.values()) {
      w.map(3);
      w.bulk('name'); w.bulk(f.name);
      w.bulk('description'); if (f.description === null) w.nil(); else w.bulk(f.description);
      w.bulk('flags');
      const names = SCRIPT_FLAG_NAMES.filter(([, bit]) => (f.flags & bit) !== 0);
      w.set(names.length);
      for (const [n] of names) w.simple(n);
    }
    if (withCode) { w.bulk('library_code'); w.bulk(lib.code); }
  }
}

function functionDelete(c: Client, args: string[]): void {
  if (!c.server.functions.delete(args[2]!)) { c.error(FN_LIBRARY_NOT_FOUND); return; }
  c.w.ok();
}

function functionFlush(c: Client, args: string[]): void {
  if (args.length > 3) { c.error(unknownSubcommandOrArity(args[1]!, 'FUNCTION')); return; }
  if (args.length === 3) {
    const mode = args[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') { c.error(FN_FLUSH_MODE); return; }
  }
  c.server.functions.flush();
  c.w.ok();
}

function functionDump(c: Client): void {
  c.w.bulk(c.server.functions.dump());
}

function functionRestore(c: Client, args: string[]): void {
  if (args.length > 4) { c.error(unknownSubcommandOrArity(args[1]!, 'FUNCTION')); return; }
  let policy = 'append';
  if (args.length === 4) {
    policy = args[3]!.toLowerCase();
    if (policy !== 'append' && policy !== 'replace' && policy !== 'flush') { c.error(FN_RESTORE_POLICY); return; }
  }
  const e = c.server.functions.restore(args[2]!, policy);
  if (e !== null) { c.error(e); return; }
  c.w.ok();
}

function functionStats(c: Client): void {
  const server = c.server;
  const run = server.scripting.run;
  if (run !== null && run.evalMode) { c.error(BUSY_EVAL); return; }
  const w = c.w;
  w.map(2);
  w.bulk('running_script');
  if (run === null) {
    w.nil();
  } else {
    w.map(3);
    w.bulk('name'); w.bulk(run.funcname);
    w.bulk('command');
    w.array(run.argv.length);
    for (const a of run.argv) w.bulk(a);
    w.bulk('duration_ms'); w.integer(Math.floor(performance.now() - run.start));
  }
  w.bulk('engines');
  w.map(1);
  w.bulk('LUA');
  const st = server.functions.stats();
  w.map(2);
  w.bulk('libraries_count'); w.integer(st.libraries);
  w.bulk('functions_count'); w.integer(st.functions);
}

function functionKill(c: Client): void {
  c.server.scripting.kill(c, false);
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

function cmdOf(c: Client, name: string): Command {
  return c.server.commands.lookup(name)!;
}

const G = 'scripting';
const FCALL_FLAGS = 'noscript stale skip_monitor no_mandatory_keys movablekeys';
const ALL_SHARDS = 'request_policy:all_shards response_policy:all_succeeded';
export const functionCommands: Command[] = [
  defineCommand({ name: 'fcall', arity: -3, args: 'function numkeys:integer [key...] [arg...]', flags: FCALL_FLAGS + ' may_replicate', flagsOf: fcallFlags, keysOf: numkeysAt2, keySpec: { notes: 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE', begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RW access update', group: G, summary: 'Invoke a function', since: '7.0.0', complexity: 'Depends on the function that is executed.', handler: (c, a) => fcallGeneric(c, a, false, cmdOf(c, 'fcall')) }),
  defineCommand({ name: 'fcall_ro', arity: -3, args: 'function numkeys:integer [key...] [arg...]', flags: 'readonly ' + FCALL_FLAGS, flagsOf: fcallFlags, acl: '-@read', keysOf: numkeysAt2, keySpec: { notes: 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS', begin: 2, keynum: [0, 1, 1] }, keyFlags: 'RO access', group: G, summary: 'Invoke a read-only function', since: '7.0.0', complexity: 'Depends on the function that is executed.', handler: (c, a) => fcallGeneric(c, a, true, cmdOf(c, 'fcall_ro')) }),
  defineCommand({
    name: 'function', arity: -2, acl: '-@scripting', group: G, summary: 'A container for function commands', since: '7.0.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'flush', arity: -2, args: '[async:[ASYNC|SYNC]]', flags: 'write noscript', tips: ALL_SHARDS, group: G, summary: 'Deleting all functions', since: '7.0.0', complexity: 'O(N) where N is the number of functions deleted', handler: functionFlush },
      { name: 'stats', arity: 2, flags: 'noscript allow_busy', tips: 'nondeterministic_output request_policy:all_shards response_policy:special', group: G, summary: 'Return information about the function currently running (name, description, duration)', since: '7.0.0', handler: functionStats },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '7.0.0', handler: (c) => helpReply(c, 'FUNCTION', FUNCTION_HELP) },
      { name: 'list', arity: -2, args: '[LIBRARYNAME library-name-pattern] [WITHCODE]', flags: 'noscript', tips: 'nondeterministic_output_order', group: G, summary: 'List information about all the functions', since: '7.0.0', complexity: 'O(N) where N is the number of functions', handler: functionList },
      { name: 'load', arity: -3, args: '[REPLACE] function-code', flags: 'write denyoom noscript', tips: ALL_SHARDS, group: G, summary: 'Create a function with the given arguments (name, code, description)', since: '7.0.0', complexity: 'O(1) (considering compilation time is redundant)', handler: functionLoad },
      { name: 'delete', arity: 3, args: 'library-name', flags: 'write noscript', tips: ALL_SHARDS, group: G, summary: 'Delete a function by name', since: '7.0.0', handler: functionDelete },
      { name: 'restore', arity: -3, args: 'serialized-value [policy:[FLUSH|APPEND|REPLACE]]', flags: 'write denyoom noscript', tips: ALL_SHARDS, group: G, summary: 'Restore all the functions on the given payload', since: '7.0.0', complexity: 'O(N) where N is the number of functions on the payload', handler: functionRestore },
      { name: 'kill', arity: 2, flags: 'noscript allow_busy', tips: 'request_policy:all_shards response_policy:one_succeeded', group: G, summary: 'Kill the function currently in execution.', since: '7.0.0', handler: functionKill },
      { name: 'dump', arity: 2, flags: 'noscript', group: G, summary: 'Dump all functions into a serialized binary payload', since: '7.0.0', complexity: 'O(N) where N is the number of functions', handler: functionDump },
    ],
  }),
];

