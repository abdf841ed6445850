/**
 * Pub/sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH and
 * PUBSUB CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/SHARDNUMSUB/HELP (Redis 7.0's
 * pubsub.c). The registry and delivery are in src/pubsub.ts; the RESP2
 * subscribed-mode rule is in Client.execute, and PING's subscribed form in
 * connection.ts.
 *
 * Frames: one confirmation per channel or pattern, `subscribe <channel>
 * <count>` where count is this client's channels + patterns, as a `>` push
 * in RESP3 and an array in RESP2. UNSUBSCRIBE / PUNSUBSCRIBE with no
 * argument confirm each subscription dropped, or send one frame with a nil
 * name when there was none.
 *
 * Sharded pub/sub (SSUBSCRIBE SUNSUBSCRIBE SPUBLISH) is a namespace of its
 * own, as in a standalone Redis 7.0: `smessage` frames, no patterns, and
 * confirmation counts that count shard channels only (while SUBSCRIBE's
 * count channels + patterns).
 */

import type { Client } from '../connection.js';
import { globMatch } from '../glob.js';
import { defineCommand, type Command } from './table.js';
import { helpReply } from './util.js';
import { PSUBSCRIBE_DENY_BLOCKING, SSUBSCRIBE_DENY_BLOCKING, SUBSCRIBE_DENY_BLOCKING } from '../errors.js';

const G = 'pubsub';

/**
 * A (p|s)(un)subscribe confirmation frame. `name` null: the nil frame. The
 * count is the client's shard channels for SSUBSCRIBE / SUNSUBSCRIBE, and
 * its channels + patterns for the others (Redis's two counts).
 */
function confirm(c: Client, kind: string, name: string | null): void {
  const w = c.w;
  w.push(3);
  w.bulk(kind);
  if (name === null) w.nil(); else w.bulk(name);
  const shard = kind === 'ssubscribe' || kind === 'sunsubscribe';
  w.integer(shard ? c.subShard.size : c.subChannels.size + c.subPatterns.size);
}

type Op = (c: Client, name: string) => boolean;

/** SUBSCRIBE / PSUBSCRIBE: one confirmation per name. */
function subscribeGeneric(c: Client, args: string[], kind: string, op: Op): void {
  for (let i = 1; i < args.length; i++) {
    op(c, args[i]!);
    confirm(c, kind, args[i]!);
  }
}

/**
 * UNSUBSCRIBE / PUNSUBSCRIBE: one confirmation per name given (subscribed or
 * not); with none, one per subscription dropped, or a single nil frame.
 */
function unsubscribeGeneric(c: Client, args: string[], kind: string, own: Set<string>, op: Op): void {
  const names = args.length > 1 ? args.slice(1) : [...own];
  if (names.length === 0) { confirm(c, kind, null); return; }
  for (const name of names) {
    op(c, name);
    confirm(c, kind, name);
  }
}

/**
 * A client that expects one reply per command (Client.denyBlocking: inside
 * EXEC, later scripts) may not subscribe; EXEC is let through for SUBSCRIBE and
 * PSUBSCRIBE, for backward compatibility, and not for SSUBSCRIBE (Redis 7.0).
 */
function denied(c: Client, msg: string, multiOk: boolean): boolean {
  if (!c.denyBlocking || (multiOk && c.multi !== null)) return false;
  c.error(msg);
  return true;
}

const subscribe = (c: Client, a: string[]): void => {
  if (!denied(c, SUBSCRIBE_DENY_BLOCKING, true)) subscribeGeneric(c, a, 'subscribe', (cl, n) => cl.server.pubsub.subscribe(cl, n));
};
const psubscribe = (c: Client, a: string[]): void => {
  if (!denied(c, PSUBSCRIBE_DENY_BLOCKING, true)) subscribeGeneric(c, a, 'psubscribe', (cl, n) => cl.server.pubsub.psubscribe(cl, n));
};
const unsubscribe = (c: Client, a: string[]): void => unsubscribeGeneric(c, a, 'unsubscribe', c.subChannels, (cl, n) => cl.server.pubsub.unsubscribe(cl, n));
const punsubscribe = (c: Client, a: string[]): void => unsubscribeGeneric(c, a, 'punsubscribe', c.subPatterns, (cl, n) => cl.server.pubsub.punsubscribe(cl, n));
const ssubscribe = (c: Client, a: string[]): void => {
  if (!denied(c, SSUBSCRIBE_DENY_BLOCKING, false)) subscribeGeneric(c, a, 'ssubscribe', (cl, n) => cl.server.pubsub.ssubscribe(cl, n));
};
const sunsubscribe = (c: Client, a: string[]): void => unsubscribeGeneric(c, a, 'sunsubscribe', c.subShard, (cl, n) => cl.server.pubsub.sunsubscribe(cl, n));

function spublish(c: Client, args: string[]): void {
  c.w.integer(c.server.pubsub.spublish(args[1]!, args[2]!));
}

function publish(c: Client, args: string[]): void {
  c.w.integer(c.server.pubsub.publish(args[1]!, args[2]!));
}

/** PUBSUB CHANNELS / SHARDCHANNELS: active channels, optionally matching a glob. */
function listChannels(c: Client, args: string[], registry: Map<string, Set<Client>>): void {
  const pattern = args.length > 2 ? args[2]! : null;
  const out: string[] = [];
  for (const ch of registry.keys()) if (pattern === null || globMatch(pattern, ch)) out.push(ch);
  c.w.array(out.length);
  for (const ch of out) c.w.bulk(ch);
}

/** PUBSUB NUMSUB / SHARDNUMSUB: each channel given, with its subscriber count. */
function numsub(c: Client, args: string[], registry: Map<string, Set<Client>>): void {
  c.w.array((args.length - 2) * 2);
  for (let i = 2; i < args.length; i++) {
    c.w.bulk(args[i]!);
    c.w.integer(registry.get(args[i]!)?.size ?? 0);
  }
}

function pubsubNumpat(c: Client): void {
  c.w.integer(c.server.pubsub.patterns.size);
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

const SUB = 'pubsub noscript loading stale';
const INFO = 'pubsub loading stale';

export const pubsubCommands: Command[] = [
  defineCommand({ name: 'subscribe', arity: -2, args: 'channel...', flags: SUB, group: G, summary: 'Listen for messages published to the given channels', since: '2.0.0', complexity: 'O(N) where N is the number of channels to subscribe to.', handler: subscribe }),
  defineCommand({ name: 'unsubscribe', arity: -1, args: '[channel...]', flags: SUB, group: G, summary: 'Stop listening for messages posted to the given channels', since: '2.0.0', complexity: 'O(N) where N is the number of clients already subscribed to a channel.', handler: unsubscribe }),
  defineCommand({ name: 'psubscribe', arity: -2, args: 'pattern...', flags: SUB, group: G, summary: 'Listen for messages published to channels matching the given patterns', since: '2.0.0', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', handler: psubscribe }),
  defineCommand({ name: 'punsubscribe', arity: -1, args: '[pattern...]', flags: SUB, group: G, summary: 'Stop listening for messages posted to channels matching the given patterns', since: '2.0.0', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', handler: punsubscribe }),
  defineCommand({ name: 'ssubscribe', arity: -2, args: 'shardchannel...', flags: SUB, keys: [1, -1, 1], keyFlags: 'not_key', group: G, summary: 'Listen for messages published to the given shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of shard channels to subscribe to.', handler: ssubscribe }),
  defineCommand({ name: 'sunsubscribe', arity: -1, args: '[shardchannel...]', flags: SUB, keys: [1, -1, 1], keyFlags: 'not_key', group: G, summary: 'Stop listening for messages posted to the given shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', handler: sunsubscribe }),
  defineCommand({ name: 'spublish', arity: 3, args: 'shardchannel message', flags: 'pubsub loading stale fast may_replicate', keys: [1, 1, 1], keyFlags: 'not_key', group: G, summary: 'Post a message to a shard channel', since: '7.0.0', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', handler: spublish }),
  defineCommand({ name: 'publish', arity: 3, args: 'channel message', flags: 'pubsub loading stale fast may_replicate', group: G, summary: 'Post a message to a channel', since: '2.0.0', complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', handler: publish }),
  defineCommand({
    name: 'pubsub', arity: -2, group: G, summary: 'A container for Pub/Sub commands', since: '2.8.0', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'channels', arity: -2, args: '[pattern]', flags: INFO, group: G, summary: 'List active channels', since: '2.8.0', complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', handler: (c, a) => listChannels(c, a, c.server.pubsub.channels) },
      { name: 'numsub', arity: -2, args: '[channel...]', flags: INFO, group: G, summary: 'Get the count of subscribers for channels', since: '2.8.0', complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', handler: (c, a) => numsub(c, a, c.server.pubsub.channels) },
      { name: 'numpat', arity: 2, flags: INFO, group: G, summary: 'Get the count of unique patterns pattern subscriptions', since: '2.8.0', handler: pubsubNumpat },
      { name: 'shardchannels', arity: -2, args: '[pattern]', flags: INFO, group: G, summary: 'List active shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', handler: (c, a) => listChannels(c, a, c.server.pubsub.shardChannels) },
      { name: 'shardnumsub', arity: -2, args: '[shardchannel...]', flags: INFO, group: G, summary: 'Get the count of subscribers for shard channels', since: '7.0.0', complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', handler: (c, a) => numsub(c, a, c.server.pubsub.shardChannels) },
      { name: 'help', arity: 2, flags: 'loading stale', group: G, summary: 'Show helpful text about the different subcommands', since: '6.2.0', complexity: 'O(1)', handler: (c) => helpReply(c, 'PUBSUB', PUBSUB_HELP) },
    ],
  }),
];
