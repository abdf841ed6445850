/**
 * Server commands: INFO, CONFIG (GET SET RESETSTAT HELP), TIME, SHUTDOWN,
 * COMMAND (COUNT INFO DOCS LIST GETKEYS HELP) and MEMORY (USAGE HELP).
 *
 * COMMAND's replies are generated from the command table, so they always
 * describe exactly what this server implements.
 */

import type { Client } from '../connection.js';
import { configGet, configSet } from '../config.js';
import { infoText } from '../info.js';
import { globMatch } from '../glob.js';
import { parseInt64 } from '../numbers.js';
import { aclCategories, defineCommand, type Command } from './table.js';
import type { ArgDoc } from './synopsis.js';
import { helpReply, opt } from './util.js';
import { GETKEYS_BAD_ARITY, GETKEYS_INVALID_ARGS, GETKEYS_INVALID_COMMAND, GETKEYS_NO_KEYS, NO_SHUTDOWN, NOT_INT, SYNTAX } from '../errors.js';
import { entryBytes } from '../keyspace.js';
import { BUSY_EVAL, BUSY_FUNCTION, MONITOR_DENY_BLOCKING } from '../errors.js';

function info(c: Client, args: string[]): void {
  c.w.verbatim(infoText(c.server, args.slice(1)));
}

function time(c: Client): void {
  const us = BigInt(c.server.time.nowUs());
  c.w.array(2);
  c.w.bulk(String(us / 1000000n));
  c.w.bulk(String(us % 1000000n));
}

/** MONITOR: from now on this client receives every command the server runs (monitor.ts). */
function monitor(c: Client): void {
  // Inside EXEC (Redis's CLIENT_DENY_BLOCKING) a client expects one reply per command.
  if (c.denyBlocking) { c.error(MONITOR_DENY_BLOCKING); return; }
  // As Redis: a client already monitoring gets no reply at all.
  if (c.monitor) return;
  c.monitor = true;
  c.server.monitors.add(c);
  c.w.ok();
}

function shutdown(c: Client, args: string[]): void {
  let abort = false;
  let nosave = false;
  for (let i = 1; i < args.length; i++) {
    const o = opt(args[i]!);
    if (o === 'abort') abort = true;
    if (o === 'nosave') nosave = true;
    else if (o !== 'nosave' && o !== 'save' && o !== 'now' && o !== 'force') { c.error(SYNTAX); return; }
  }
  if (abort) { c.error(NO_SHUTDOWN); return; }
  // While a busy script is suspended only SHUTDOWN NOSAVE may stop the server.
  if (!nosave && c.server.busyScript !== 0) { c.error(c.server.busyScript === 1 ? BUSY_EVAL : BUSY_FUNCTION); return; }
  c.server.log('warning', 'User requested shutdown...');
  c.closeAfterReply = true;
  // Let the current batch finish, then stop.
  setImmediate(() => c.server.onShutdown());
}

// ---- CONFIG -----------------------------------------------------------------

function configGetCmd(c: Client, args: string[]): void {
  const pairs = configGet(c.server.config, args.slice(2));
  c.w.map(pairs.length);
  for (const [k, v] of pairs) { c.w.bulk(k); c.w.bulk(v); }
}

function configSetCmd(c: Client, args: string[]): void {
  if (args.length % 2 !== 0) { c.error(SYNTAX); return; }
  const err = configSet(c.server.config, args.slice(2), (name) => c.server.configChanged(name));
  if (err !== null) c.error(err); else c.w.ok();
}

function configResetstat(c: Client): void {
  c.server.stats.reset();
  c.server.expiry.resetStats();
  c.server.evictor.resetStats();
  for (const cmd of c.server.commands.each()) {
    cmd.stats.calls = cmd.stats.usec = cmd.stats.rejectedCalls = cmd.stats.failedCalls = 0;
    cmd.stats.latency = null;
  }
  c.w.ok();
}

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
];

// ---- COMMAND ----------------------------------------------------------------

function replyFlags(c: Client, names: readonly string[]): void {
  c.w.set(names.length);
  for (const n of names) c.w.simple(n);
}

/** One COMMAND INFO entry (10 fields, as Redis 7.0). */
function replyCommandInfo(c: Client, cmd: Command): void {
  const w = c.w;
  w.array(10);
  w.bulk(cmd.name);
  w.integer(cmd.arity);
  replyFlags(c, cmd.flagNames);
  w.integer(cmd.firstKey);
  w.integer(cmd.lastKey);
  w.integer(cmd.step);
  replyFlags(c, aclCategories(cmd));
  w.set(cmd.tips.length);
  for (const t of cmd.tips) w.bulk(t);
  if (cmd.firstKey > 0) {
    w.set(1);
    w.map(3);
    w.bulk('flags'); replyFlags(c, cmd.keyFlags);
    w.bulk('begin_search');
    w.map(2); w.bulk('type'); w.bulk('index'); w.bulk('spec'); w.map(1); w.bulk('index'); w.integer(cmd.firstKey);
    w.bulk('find_keys');
    w.map(2); w.bulk('type'); w.bulk('range'); w.bulk('spec'); w.map(3);
    w.bulk('lastkey'); w.integer(cmd.lastKey < 0 ? cmd.lastKey : cmd.lastKey - cmd.firstKey);
    w.bulk('keystep'); w.integer(cmd.step);
    w.bulk('limit'); w.integer(0);
  } else if (cmd.keySpec !== null) {
    const ks = cmd.keySpec;
    w.set(1);
    w.map(ks.notes !== undefined ? 4 : 3);
    if (ks.notes !== undefined) { w.bulk('notes'); w.bulk(ks.notes); }
    w.bulk('flags'); replyFlags(c, cmd.keyFlags);
    w.bulk('begin_search');
    w.map(2); w.bulk('type'); w.bulk('index'); w.bulk('spec'); w.map(1); w.bulk('index'); w.integer(ks.begin);
    w.bulk('find_keys');
    w.map(2); w.bulk('type'); w.bulk('keynum'); w.bulk('spec'); w.map(3);
    w.bulk('keynumidx'); w.integer(ks.keynum[0]);
    w.bulk('firstkey'); w.integer(ks.keynum[1]);
    w.bulk('keystep'); w.integer(ks.keynum[2]);
  } else {
    w.set(0);
  }
  if (cmd.subcommands !== null) {
    w.array(cmd.subcommands.size);
    for (const s of cmd.subcommands.values()) replyCommandInfo(c, s);
  } else {
    w.set(0);
  }
}

/** One argument of COMMAND DOCS: name, type, key_spec_index, token, flags, arguments (Redis's order). */
function replyArgDoc(c: Client, a: ArgDoc): void {
  const w = c.w;
  const flags: string[] = [];
  if (a.optional) flags.push('optional');
  if (a.multiple) flags.push('multiple');
  const n = 2 + (a.keySpecIndex !== undefined ? 1 : 0) + (a.token !== undefined ? 1 : 0) + (flags.length > 0 ? 1 : 0) + (a.arguments !== undefined ? 1 : 0);
  w.map(n);
  w.bulk('name'); w.bulk(a.name);
  w.bulk('type'); w.bulk(a.type);
  if (a.keySpecIndex !== undefined) { w.bulk('key_spec_index'); w.integer(a.keySpecIndex); }
  if (a.token !== undefined) { w.bulk('token'); w.bulk(a.token); }
  if (flags.length > 0) { w.bulk('flags'); replyFlags(c, flags); }
  if (a.arguments !== undefined) {
    w.bulk('arguments');
    w.array(a.arguments.length);
    for (const x of a.arguments) replyArgDoc(c, x);
  }
}

function replyCommandDocs(c: Client, cmd: Command): void {
  const w = c.w;
  const subs = cmd.subcommands;
  const args = cmd.argDocs;
  w.map(4 + (args.length > 0 ? 1 : 0) + (subs !== null ? 1 : 0));
  w.bulk('summary'); w.bulk(cmd.summary);
  w.bulk('since'); w.bulk(cmd.since);
  w.bulk('group'); w.bulk(cmd.group);
  w.bulk('complexity'); w.bulk(cmd.complexity);
  if (args.length > 0) {
    w.bulk('arguments');
    w.array(args.length);
    for (const a of args) replyArgDoc(c, a);
  }
  if (subs !== null) {
    w.bulk('subcommands');
    w.map(subs.size);
    for (const s of subs.values()) { w.bulk(s.name); replyCommandDocs(c, s); }
  }
}

function lookupAny(c: Client, name: string): Command | undefined {
  const bar = name.indexOf('|');
  if (bar === -1) return c.server.commands.lookup(name);
  const parent = c.server.commands.lookup(name.slice(0, bar));
  return parent?.subcommands?.get(name.slice(bar + 1).toLowerCase());
}

function command(c: Client): void {
  const all = c.server.commands.all;
  c.w.array(all.length);
  for (const cmd of all) replyCommandInfo(c, cmd);
}

function commandCount(c: Client): void {
  c.w.integer(c.server.commands.all.length);
}

function commandInfo(c: Client, args: string[]): void {
  if (args.length === 2) { command(c); return; }
  c.w.array(args.length - 2);
  for (let i = 2; i < args.length; i++) {
    const cmd = lookupAny(c, args[i]!);
    if (cmd === undefined) c.w.nil(); else replyCommandInfo(c, cmd);
  }
}

function commandDocs(c: Client, args: string[]): void {
  const list: Command[] = [];
  if (args.length === 2) list.push(...c.server.commands.all);
  else for (let i = 2; i < args.length; i++) { const cmd = lookupAny(c, args[i]!); if (cmd !== undefined) list.push(cmd); }
  c.w.map(list.length);
  for (const cmd of list) { c.w.bulk(cmd.name); replyCommandDocs(c, cmd); }
}

function commandList(c: Client, args: string[]): void {
  let pattern: string | null = null;
  let aclcat: string | null = null;
  if (args.length > 2) {
    if (args.length !== 5 || opt(args[2]!) !== 'filterby') { c.error(SYNTAX); return; }
    const kind = opt(args[3]!);
    if (kind === 'pattern') pattern = args[4]!;
    else if (kind === 'aclcat') aclcat = '@' + args[4]!.toLowerCase();
    else if (kind === 'module') { c.w.array(0); return; }
    else { c.error(SYNTAX); return; }
  }
  const names: string[] = [];
  for (const cmd of c.server.commands.each()) {
    if (pattern !== null && !globMatch(pattern, cmd.name, true)) continue;
    if (aclcat !== null && !aclCategories(cmd).includes(aclcat)) continue;
    names.push(cmd.name);
  }
  c.w.array(names.length);
  for (const n of names) c.w.bulk(n);
}

function commandGetkeys(c: Client, args: string[]): void {
  const sub = args.slice(2);
  let cmd = c.server.commands.lookup(sub[0]!);
  if (cmd !== undefined && cmd.subcommands !== null && sub.length >= 2) cmd = cmd.subcommands.get(sub[1]!.toLowerCase());
  if (cmd === undefined) { c.error(GETKEYS_INVALID_COMMAND); return; }
  const n = sub.length;
  // Channel arguments of SSUBSCRIBE / SPUBLISH sit in key specs flagged
  // not_key, which Redis's getkeys leaves out.
  if ((cmd.firstKey === 0 && cmd.keysOf === null) || cmd.keyFlags.includes('not_key')) { c.error(GETKEYS_NO_KEYS); return; }
  if ((cmd.arity > 0 && n !== cmd.arity) || n < -cmd.arity) { c.error(GETKEYS_BAD_ARITY); return; }
  const keys: string[] = [];
  if (cmd.keysOf !== null) {
    const at = cmd.keysOf(sub);
    if (at === null) { c.error(GETKEYS_INVALID_ARGS); return; }
    for (const i of at) keys.push(sub[i]!);
  } else {
    const last = cmd.lastKey < 0 ? n + cmd.lastKey : cmd.lastKey;
    for (let i = cmd.firstKey; i <= last && i < n; i += cmd.step) keys.push(sub[i]!);
  }
  c.w.array(keys.length);
  for (const k of keys) c.w.bulk(k);
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
];

// ---- MEMORY -------------------------------------------------------------------

function memoryUsage(c: Client, args: string[]): void {
  for (let i = 3; i < args.length; i++) {
    if (opt(args[i]!) === 'samples' && i + 1 < args.length) {
      const n = parseInt64(args[++i]!);
      if (n === null) { c.error(NOT_INT); return; }
      if (n < 0) { c.error(SYNTAX); return; }
    } else { c.error(SYNTAX); return; }
  }
  // Redis reads the dict directly here: no expiry check, no stats.
  const db = c.db;
  const s = db.find(args[2]!);
  if (s === -1) { c.w.nil(); return; }
  // The same account as used_memory (keyspace.ts entryBytes), not Redis's jemalloc figure.
  c.w.integer(entryBytes(args[2]!, db.vals[s]!));
}

const MEMORY_HELP = [
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

const G = 'server';
const ADMIN = 'admin noscript loading stale';
export const serverCommands: Command[] = [
  defineCommand({ name: 'info', arity: -1, args: '[section...]', flags: 'loading stale', group: G, summary: 'Get information and statistics about the server', since: '1.0.0', handler: info }),
  defineCommand({ name: 'monitor', arity: 1, flags: 'admin noscript loading stale', group: G, summary: 'Listen for all requests received by the server in real time', since: '1.0.0', handler: monitor }),
  defineCommand({ name: 'time', arity: 1, flags: 'loading stale fast', group: G, summary: 'Return the current server time', since: '2.6.0', handler: time }),
  defineCommand({ name: 'shutdown', arity: -1, args: 'nosave_save:[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]', flags: 'admin noscript loading stale no_multi allow_busy', group: G, summary: 'Synchronously save the dataset to disk and then shut down the server', since: '1.0.0', complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)', handler: shutdown }),
  defineCommand({
    name: 'config', arity: -2, group: G, summary: 'A container for server configuration commands', since: '2.0.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'get', arity: -3, args: 'parameter...', flags: ADMIN, group: G, summary: 'Get the values of configuration parameters', since: '2.0.0', complexity: 'O(N) when N is the number of configuration parameters provided', handler: configGetCmd },
      { name: 'set', arity: -4, args: 'parameter_value:(parameter value)...', flags: ADMIN, group: G, summary: 'Set configuration parameters to the given values', since: '2.0.0', complexity: 'O(N) when N is the number of configuration parameters provided', handler: configSetCmd },
      { name: 'resetstat', arity: 2, flags: ADMIN, group: G, summary: 'Reset the stats returned by INFO', since: '2.0.0', handler: configResetstat },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'CONFIG', CONFIG_HELP) },
    ],
  }),
  defineCommand({
    name: 'command', arity: -1, flags: 'loading stale', group: G, summary: 'Get array of Redis command details', since: '2.8.13', complexity: 'O(N) where N is the total number of Redis commands', handler: command,
    subcommands: [
      { name: 'count', arity: 2, flags: 'loading stale', group: G, summary: 'Get total number of Redis commands', since: '2.8.13', handler: commandCount },
      { name: 'info', arity: -2, args: '[command-name...]', flags: 'loading stale', group: G, summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13', complexity: 'O(N) where N is the number of commands to look up', handler: commandInfo },
      { name: 'docs', arity: -2, args: '[command-name...]', flags: 'loading stale', group: G, summary: 'Get array of specific Redis command documentation', since: '7.0.0', complexity: 'O(N) where N is the number of commands to look up', handler: commandDocs },
      { name: 'list', arity: -2, args: '[FILTERBY filterby:(MODULE module-name|ACLCAT category|PATTERN pattern:pattern)]', flags: 'loading stale', group: G, summary: 'Get an array of Redis command names', since: '7.0.0', complexity: 'O(N) where N is the total number of Redis commands', handler: commandList },
      { name: 'getkeys', arity: -4, args: 'command arg...', flags: 'loading stale', group: G, summary: 'Extract keys given a full Redis command', since: '2.8.13', complexity: 'O(N) where N is the number of arguments to the command', handler: commandGetkeys },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'COMMAND', COMMAND_HELP) },
    ],
  }),
  defineCommand({
    name: 'memory', arity: -2, group: G, summary: 'A container for memory diagnostics commands', since: '4.0.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'usage', arity: -3, args: 'key [SAMPLES count:integer]', flags: 'readonly', keys: [2, 2, 1], keyFlags: 'RO', group: G, summary: 'Estimate the memory usage of a key', since: '4.0.0', complexity: 'O(N) where N is the number of samples.', handler: memoryUsage },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '4.0.0', handler: (c) => helpReply(c, 'MEMORY', MEMORY_HELP) },
    ],
  }),
];
