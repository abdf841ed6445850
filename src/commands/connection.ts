/**
 * Connection commands: PING ECHO QUIT RESET HELLO AUTH SELECT, the CLIENT
 * container (ID SETNAME GETNAME SETINFO LIST INFO KILL UNBLOCK PAUSE UNPAUSE
 * HELP), and WAIT (blocking.ts holds the blocked clients).
 *
 * Semantics follow Redis 7.0's networking.c and acl.c for the default user.
 * CLIENT SETINFO is Redis 7.2's (7.0 lacks it; clients send it and ignore
 * errors, so accepting it is the friendlier choice).
 */

import type { Client } from '../connection.js';
import { REDIS_VERSION } from '../version.js';
import { parseInt64 } from '../numbers.js';
import { defineCommand, type Command } from './table.js';
import { dbIndexArg, helpReply, opt } from './util.js';
import {
  AUTH_NO_PASSWORD, CLIENT_ID_NOT_POSITIVE, CLIENT_NAME_INVALID, clientInfoInvalid, DB_INDEX_NOT_INT32, DB_INDEX_OUT_OF_RANGE,
  HELLO_NOAUTH, HELLO_PROTO_NOT_INT, helloSyntax, INVALID_CLIENT_ID, NO_SUCH_CLIENT, noSuchUser, NOPROTO, NOT_INT, SYNTAX,
  unknownClientType, unrecognizedOption, WRONGPASS, wrongArity, unknownSubcommandOrArity, CLIENT_UNBLOCK_REASON, CLIENT_PAUSE_MODE, UNBLOCKED_BY_CLIENT,
} from '../errors.js';
import { DEADLINE_NEVER, PAUSE_ALL, PAUSE_WRITE, parseTimeout } from '../blocking.js';
import { discardTransaction } from '../multi.js';

function ping(c: Client, args: string[]): void {
  if (args.length > 2) { c.error(wrongArity('ping')); return; }
  if (c.resp === 2 && c.subscribed) {
    // A RESP2 subscriber gets PING's answer in the shape of a message.
    c.w.array(2);
    c.w.bulk('pong');
    c.w.bulk(args.length === 2 ? args[1]! : '');
    return;
  }
  if (args.length === 2) c.w.bulk(args[1]!); else c.w.simple('PONG');
}

function echo(c: Client, args: string[]): void {
  c.w.bulk(args[1]!);
}

function quit(c: Client): void {
  c.w.ok();
  c.closeAfterReply = true;
}

/** Checks credentials for the default user (the only user cachette has). */
function credentialsOk(c: Client, user: string, pass: string): boolean {
  if (user !== 'default') return false;
  const want = c.server.config.requirepass;
  return want === '' || pass === want;
}

function auth(c: Client, args: string[]): void {
  if (args.length > 3) { c.error(SYNTAX); return; }
  let user = 'default';
  let pass: string;
  if (args.length === 2) {
    if (c.server.config.requirepass === '') {
      c.error(AUTH_NO_PASSWORD);
      return;
    }
    pass = args[1]!;
  } else {
    user = args[1]!;
    pass = args[2]!;
  }
  if (credentialsOk(c, user, pass)) { c.authenticated = true; c.w.ok(); }
  else c.error(WRONGPASS);
}

/** Client names: bytes '!'..'~' only; empty clears the name. */
function validName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function hello(c: Client, args: string[]): void {
  let ver = 0;
  if (args.length >= 2) {
    const v = parseInt64(args[1]!);
    if (v === null) { c.error(HELLO_PROTO_NOT_INT); return; }
    if (v < 2 || v > 3) { c.error(NOPROTO); return; }
    ver = Number(v);
  }
  // Options take effect as they are parsed, as in Redis 7.0: an AUTH or
  // SETNAME before a bad option still applies.
  for (let j = 2; j < args.length; j++) {
    const more = args.length - 1 - j;
    const o = opt(args[j]!);
    if (o === 'auth' && more >= 2) {
      if (!credentialsOk(c, args[j + 1]!, args[j + 2]!)) { c.error(WRONGPASS); return; }
      c.authenticated = true;
      j += 2;
    } else if (o === 'setname' && more >= 1) {
      const name = args[j + 1]!;
      if (!validName(name)) { c.error(CLIENT_NAME_INVALID); return; }
      c.name = name;
      j++;
    } else {
      c.error(helloSyntax(args[j]!));
      return;
    }
  }
  if (c.authRequired()) {
    c.error(HELLO_NOAUTH);
    return;
  }
  if (ver !== 0) c.w.resp = ver;
  const w = c.w;
  w.map(7);
  w.bulk('server'); w.bulk('redis');
  w.bulk('version'); w.bulk(REDIS_VERSION);
  w.bulk('proto'); w.integer(c.resp);
  w.bulk('id'); w.integer(c.id);
  w.bulk('mode'); w.bulk('standalone');
  w.bulk('role'); w.bulk('master');
  w.bulk('modules'); w.array(0);
}

function reset(c: Client): void {
  if (c.monitor) { c.monitor = false; c.server.monitors.delete(c); }
  if (c.subscribed) c.server.pubsub.removeClient(c);
  c.select(0);
  c.w.resp = 2;
  c.name = '';
  c.authenticated = c.server.config.requirepass === '';
  discardTransaction(c);
  c.w.simple('RESET');
}

function select(c: Client, args: string[]): void {
  const n = dbIndexArg(c, args[1]!);
  if (n === null) return;
  c.select(n);
  c.w.ok();
}

// ---- CLIENT -------------------------------------------------------------------

/** One CLIENT LIST / CLIENT INFO line (Redis 7.0's format, plus 7.2's lib-name/lib-ver). */
/** CLIENT LIST flags, in Redis 7.0's order: O monitor, P subscribed, x in MULTI, b blocked, d a watched key was touched, e no-evict; N none. */
export function clientFlags(c: Client): string {
  const f = (c.monitor ? 'O' : '') + (c.subscribed ? 'P' : '') + (c.multi !== null ? 'x' : '') + (c.blocked !== null ? 'b' : '')
    + (c.dirtyCas ? 'd' : '') + (c.noEvict ? 'e' : '');
  return f === '' ? 'N' : f;
}

function clientLine(c: Client, now: number): string {
  const qbuf = c.reader.queryBufferLength;
  const obl = c.w.pending;
  const multi = c.multi === null ? -1 : c.multi.cmds.length;
  const multiMem = c.multi === null ? 0 : c.multi.bytes;
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${(c.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1}`
    + ` name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}`
    + ` flags=${clientFlags(c)} db=${c.db.id} sub=${c.subChannels.size} psub=${c.subPatterns.size} ssub=${c.subShard.size} multi=${multi} qbuf=${qbuf} qbuf-free=${c.reader.queryBufferFree}`
    + ` argv-mem=0 multi-mem=${multiMem} rbs=${qbuf} rbp=${qbuf} obl=${obl} oll=0 omem=0 tot-mem=${qbuf + obl + multiMem}`
    + ` events=r cmd=${c.lastCommand} user=default redir=-1 resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}\n`;
}

function clientId(c: Client): void { c.w.integer(c.id); }

function clientSetname(c: Client, args: string[]): void {
  const name = args[2]!;
  if (!validName(name)) { c.error(CLIENT_NAME_INVALID); return; }
  c.name = name;
  c.w.ok();
}

function clientGetname(c: Client): void {
  if (c.name === '') c.w.nil(); else c.w.bulk(c.name);
}

function clientSetinfo(c: Client, args: string[]): void {
  const attr = opt(args[2]!);
  const val = args[3]!;
  if (attr !== 'lib-name' && attr !== 'lib-ver') { c.error(unrecognizedOption(args[2]!)); return; }
  if (!validName(val)) { c.error(clientInfoInvalid(attr)); return; }
  if (attr === 'lib-name') c.libName = val; else c.libVer = val;
  c.w.ok();
}

function clientInfo(c: Client): void {
  c.w.verbatim(clientLine(c, Date.now()));
}

const CLIENT_TYPES = new Set(['normal', 'master', 'replica', 'slave', 'pubsub']);

/** Redis's getClientType: 'pubsub' while subscribed, else 'normal' (monitors too; there are no replicas). */
function clientType(cl: Client): string {
  return cl.subscribed ? 'pubsub' : 'normal';
}

function clientList(c: Client, args: string[]): void {
  const now = Date.now();
  const live = (cl: Client | undefined): cl is Client => cl !== undefined && !cl.closed;
  let out = '';
  if (args.length === 4 && opt(args[2]!) === 'type') {
    const t = opt(args[3]!);
    if (!CLIENT_TYPES.has(t)) { c.error(unknownClientType(args[3]!)); return; }
    for (const cl of c.server.clients.values()) if (live(cl) && clientType(cl) === t) out += clientLine(cl, now);
  } else if (args.length > 3 && opt(args[2]!) === 'id') {
    // Redis lists the given ids in argument order, repeats included.
    const ids: number[] = [];
    for (let i = 3; i < args.length; i++) {
      const v = parseInt64(args[i]!);
      if (v === null) { c.error(INVALID_CLIENT_ID); return; }
      ids.push(Number(v));
    }
    for (const id of ids) {
      const cl = c.server.clients.get(id);
      if (live(cl)) out += clientLine(cl, now);
    }
  } else if (args.length !== 2) {
    c.error(SYNTAX);
    return;
  } else {
    for (const cl of c.server.clients.values()) if (live(cl)) out += clientLine(cl, now);
  }
  c.w.verbatim(out);
}

function clientKill(c: Client, args: string[]): void {
  const server = c.server;
  if (args.length === 3) {
    // Old form: CLIENT KILL ip:port.
    const target = [...server.clients.values()].find((cl) => cl.addr === args[2] && !cl.closed);
    if (target === undefined) { c.error(NO_SUCH_CLIENT); return; }
    c.w.ok();
    if (target === c) c.closeAfterReply = true; else target.close();
    return;
  }
  let id: number | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: string | null = null;
  let skipme = true;
  // Options are parsed left to right; each error is reported where it occurs.
  for (let i = 2; i < args.length; i += 2) {
    const o = opt(args[i]!);
    if (i + 1 >= args.length) { c.error(SYNTAX); return; }
    const v = args[i + 1]!;
    if (o === 'id') {
      const n = parseInt64(v);
      if (n === null || n <= 0) { c.error(CLIENT_ID_NOT_POSITIVE); return; }
      id = Number(n);
    } else if (o === 'addr') addr = v;
    else if (o === 'laddr') laddr = v;
    else if (o === 'type') {
      const t = opt(v);
      if (!CLIENT_TYPES.has(t)) { c.error(unknownClientType(v)); return; }
      type = t;
    } else if (o === 'user') {
      if (v !== 'default') { c.error(noSuchUser(v)); return; }
      user = v;
    } else if (o === 'skipme') {
      const sk = opt(v);
      if (sk === 'yes') skipme = true;
      else if (sk === 'no') skipme = false;
      else { c.error(SYNTAX); return; }
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let killed = 0;
  for (const cl of server.clients.values()) {
    if (cl.closed) continue;
    if (id !== null && cl.id !== id) continue;
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (type !== null && clientType(cl) !== type) continue;
    if (user !== null && user !== 'default') continue;
    if (cl === c && skipme) continue;
    killed++;
    if (cl === c) c.closeAfterReply = true; else cl.close();
  }
  c.w.integer(killed);
}

/**
 * CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: a client blocked on keys or in WAIT
 * gets its timeout reply, or the -UNBLOCKED error (1); anything else, 0.
 */
function clientUnblock(c: Client, args: string[]): void {
  if (args.length > 4) { c.error(unknownSubcommandOrArity(args[1]!, 'client')); return; }
  let error: string | null = null;
  if (args.length === 4) {
    const o = opt(args[3]!);
    if (o === 'error') error = UNBLOCKED_BY_CLIENT;
    else if (o !== 'timeout') { c.error(CLIENT_UNBLOCK_REASON); return; }
  }
  const id = parseInt64(args[2]!);
  if (id === null) { c.error(NOT_INT); return; }
  const target = c.server.clients.get(Number(id));
  c.w.integer(target !== undefined && !target.closed && c.server.blocking.unblockByCommand(target, error) ? 1 : 0);
}

/** CLIENT PAUSE <ms> [WRITE|ALL]: holds every command, or those that may write, until the time has passed. */
function clientPause(c: Client, args: string[]): void {
  if (args.length > 4) { c.error(unknownSubcommandOrArity(args[1]!, 'client')); return; }
  let type = PAUSE_ALL;
  if (args.length === 4) {
    const o = opt(args[3]!);
    if (o === 'write') type = PAUSE_WRITE;
    else if (o !== 'all') { c.error(CLIENT_PAUSE_MODE); return; }
  }
  const end = parseTimeout(c, args[2]!, false);
  if (end === null) return;
  // An end that overflows int64 wraps negative in Redis: a pause that is already over.
  c.server.blocking.pause(end === DEADLINE_NEVER ? -1 : end, type);
  c.w.ok();
}

function clientUnpause(c: Client): void {
  c.server.blocking.unpause();
  c.w.ok();
}

/**
 * WAIT numreplicas timeout: there are no replicas, so 0 acknowledge. Asked
 * for none (or inside MULTI) it answers 0 at once; asked for more it waits
 * for the timeout (0: until CLIENT UNBLOCK), as Redis does, then answers 0.
 */
function wait(c: Client, args: string[]): void {
  const n = parseInt64(args[1]!);
  if (n === null) { c.error(NOT_INT); return; }
  const deadline = parseTimeout(c, args[2]!, false);
  if (deadline === null) return;
  if (n <= 0 || c.multi !== null || c.denyBlocking) { c.w.integer(0); return; }
  c.server.blocking.blockWait(c, deadline, c.server.commands.lookup('wait')!, args);
}

/** CLIENT NO-EVICT ON|OFF: cachette never evicts clients, but the flag is kept and shown ('e'), as Redis does; RESET keeps it. */
function clientNoEvict(c: Client, args: string[]): void {
  const o = opt(args[2]!);
  if (o === 'on' || o === 'off') { c.noEvict = o === 'on'; c.w.ok(); } else c.error(SYNTAX);
}

const CLIENT_HELP = [
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'SETINFO <LIB-NAME|LIB-VER> <value>',
  '    Set the client library name or version (as in Redis 7.2).',
];

const G = 'connection';
const CONN = 'noscript loading stale';
export const connectionCommands: Command[] = [
  defineCommand({ name: 'ping', arity: -1, args: '[message]', flags: 'fast', group: G, summary: 'Ping the server', since: '1.0.0', handler: ping }),
  defineCommand({ name: 'echo', arity: 2, args: 'message', flags: 'loading stale fast', group: G, summary: 'Echo the given string', since: '1.0.0', handler: echo }),
  defineCommand({ name: 'quit', arity: -1, flags: 'noscript loading stale fast no_auth allow_busy', group: G, summary: 'Close the connection', since: '1.0.0', handler: quit }),
  defineCommand({ name: 'reset', arity: 1, flags: 'noscript loading stale fast no_auth allow_busy', group: G, summary: 'Reset the connection', since: '6.2.0', handler: reset }),
  defineCommand({ name: 'hello', arity: -1, args: 'arguments:[protover:integer [AUTH username password] [SETNAME clientname]]', flags: 'noscript loading stale fast no_auth allow_busy', group: G, summary: 'Handshake with Redis', since: '6.0.0', handler: hello }),
  defineCommand({ name: 'auth', arity: -2, args: '[username] password', flags: 'noscript loading stale fast no_auth allow_busy', group: G, summary: 'Authenticate to the server', since: '1.0.0', complexity: 'O(N) where N is the number of passwords defined for the user', handler: auth }),
  defineCommand({ name: 'wait', arity: 3, args: 'numreplicas:integer timeout:integer', flags: 'noscript', acl: '@connection -@keyspace', tips: 'request_policy:all_shards response_policy:agg_min', group: 'generic', summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection', since: '3.0.0', handler: wait }),
  defineCommand({ name: 'select', arity: 2, args: 'index:integer', flags: 'loading stale fast', group: G, summary: 'Change the selected database for the current connection', since: '1.0.0', handler: select }),
  defineCommand({
    name: 'client', arity: -2, group: G, summary: 'A container for client connection commands', since: '2.4.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'id', arity: 2, flags: CONN, group: G, summary: 'Returns the client ID for the current connection', since: '5.0.0', handler: clientId },
      { name: 'setname', arity: 3, args: 'connection-name', flags: CONN, group: G, summary: 'Set the current connection name', since: '2.6.9', handler: clientSetname },
      { name: 'getname', arity: 2, flags: CONN, group: G, summary: 'Get the current connection name', since: '2.6.9', handler: clientGetname },
      { name: 'setinfo', arity: 4, args: 'attr:(LIB-NAME libname|LIB-VER libver)', flags: CONN, group: G, summary: 'Set client or connection specific info', since: '7.2.0', handler: clientSetinfo },
      { name: 'info', arity: 2, flags: CONN, group: G, summary: 'Returns information about the current client connection.', since: '6.2.0', handler: clientInfo },
      { name: 'list', arity: -2, args: '[TYPE type] [ID client-id:integer...]', flags: 'admin ' + CONN, group: G, summary: 'Get the list of client connections', since: '2.4.0', complexity: 'O(N) where N is the number of client connections', handler: clientList },
      { name: 'kill', arity: -3, args: 'filter:(old-format|new-format:([ID client-id:integer] [TYPE type] [USER username] [ADDR ip-port] [LADDR ip-port] [SKIPME yes-no]))', flags: 'admin ' + CONN, group: G, summary: 'Kill the connection of a client', since: '2.4.0', complexity: 'O(N) where N is the number of client connections', handler: clientKill },
      { name: 'unblock', arity: -3, args: 'client-id:integer [timeout_error:(TIMEOUT|ERROR)]', flags: 'admin ' + CONN, group: G, summary: 'Unblock a client blocked in a blocking command from a different connection', since: '5.0.0', complexity: 'O(log N) where N is the number of client connections', handler: clientUnblock },
      { name: 'pause', arity: -3, args: 'timeout:integer [mode:(WRITE|ALL)]', flags: 'admin ' + CONN, group: G, summary: 'Stop processing commands from clients for some time', since: '2.9.50', handler: clientPause },
      { name: 'unpause', arity: 2, flags: 'admin ' + CONN, group: G, summary: 'Resume processing of clients that were paused', since: '6.2.0', complexity: 'O(N) Where N is the number of paused clients', handler: clientUnpause },
      { name: 'no-evict', arity: 3, args: 'enabled:(ON|OFF)', flags: 'admin ' + CONN, group: G, summary: 'Set client eviction mode for the current connection', since: '7.0.0', handler: clientNoEvict },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '5.0.0', handler: (c) => helpReply(c, 'CLIENT', CLIENT_HELP) },
    ],
  }),
];
