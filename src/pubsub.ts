/**
 * Pub/sub: channels, patterns, and delivery (Redis 7.0's pubsub.c).
 *
 *   channels: channel -> the clients subscribed to it (in subscription order)
 *   patterns: pattern -> the clients subscribed to it
 *   each client keeps its own channels and patterns (for counts and
 *   UNSUBSCRIBE / PUNSUBSCRIBE with no arguments)
 *
 * PUBLISH delivers to the channel's subscribers, then to every client of
 * every pattern that matches the channel (Redis glob rules, byte-wise). Its
 * reply counts deliveries: a client subscribed to the channel and to a
 * matching pattern receives (and counts) two messages.
 *
 * Delivery never blocks the publisher: the message is encoded into the
 * subscriber's reply buffer (a `>` push in RESP3, an array in RESP2) and the
 * subscriber is flushed once per event-loop turn. A subscriber whose unsent
 * output passes `client-output-buffer-limit pubsub` (Redis's default hard
 * 32mb, soft 8mb for 60 s) is disconnected, as Redis does.
 */

import type { Client } from './connection.js';
import { globMatch } from './glob.js';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  /** Shard channels (SSUBSCRIBE / SPUBLISH): a namespace of their own, no patterns. */
  readonly shardChannels = new Map<string, Set<Client>>();

  /** Adds `c` to `channel`; false if it was already subscribed. */
  subscribe(c: Client, channel: string): boolean {
    return add(this.channels, c.subChannels, c, channel);
  }

  /** Removes `c` from `channel`; false if it was not subscribed. */
  unsubscribe(c: Client, channel: string): boolean {
    return remove(this.channels, c.subChannels, c, channel);
  }

  psubscribe(c: Client, pattern: string): boolean {
    return add(this.patterns, c.subPatterns, c, pattern);
  }

  punsubscribe(c: Client, pattern: string): boolean {
    return remove(this.patterns, c.subPatterns, c, pattern);
  }

  ssubscribe(c: Client, channel: string): boolean {
    return add(this.shardChannels, c.subShard, c, channel);
  }

  sunsubscribe(c: Client, channel: string): boolean {
    return remove(this.shardChannels, c.subShard, c, channel);
  }

  /** Drops every subscription of a client (RESET, disconnect); no frames are sent. */
  removeClient(c: Client): void {
    for (const ch of [...c.subChannels]) this.unsubscribe(c, ch);
    for (const p of [...c.subPatterns]) this.punsubscribe(c, p);
    for (const ch of [...c.subShard]) this.sunsubscribe(c, ch);
  }

  /** SPUBLISH: only the shard channel's subscribers (patterns do not apply); returns their number. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (subs === undefined) return 0;
    for (const c of subs) c.deliver('smessage', null, channel, message);
    return subs.size;
  }

  /** Redis's pubsubPublishMessage: delivers and returns the number of receivers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      for (const c of subs) {
        c.deliver('message', null, channel, message);
        receivers++;
      }
    }
    if (this.patterns.size !== 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) {
          c.deliver('pmessage', pattern, channel, message);
          receivers++;
        }
      }
    }
    return receivers;
  }
}

/** Subscribes `c` to `name` in a registry (channels or patterns) and in the client's own set. */
function add(registry: Map<string, Set<Client>>, own: Set<string>, c: Client, name: string): boolean {
  if (own.has(name)) return false;
  own.add(name);
  let set = registry.get(name);
  if (set === undefined) registry.set(name, (set = new Set()));
  set.add(c);
  return true;
}

/** The reverse of add(); an empty entry leaves the registry (PUBSUB CHANNELS, NUMPAT). */
function remove(registry: Map<string, Set<Client>>, own: Set<string>, c: Client, name: string): boolean {
  if (!own.delete(name)) return false;
  const set = registry.get(name);
  if (set !== undefined) {
    set.delete(c);
    if (set.size === 0) registry.delete(name);
  }
  return true;
}
