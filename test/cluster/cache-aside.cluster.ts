/**
 * The way past one machine (issue 21): a real 3-master Redis Cluster
 * (test/cluster/cluster.ts) and the cache-aside library on it through ioredis
 * `Cluster`, only the connection changed. It runs the library's whole suite
 * (cache-aside-suite.ts), then what only a cluster has: keys spread over
 * the three masters' slots, a MOVED redirection followed by the client, a
 * -CROSSSLOT refusal of a multi-key command across slots (and the library's
 * multi-key invalidate() working anyway), and the demo's `--url` mode.
 * `npm run test:cluster`, not part of `npm test`: it starts three
 * redis-server processes and takes about 30 s.
 */

import { expect } from 'chai';
import { Cluster, Redis, ReplyError } from 'ioredis';
import { CacheAside } from '../../src/cache-aside/index.js';
import { runDemo } from '../../src/demo/run.js';
import { describeCacheAside } from '../cache-aside-suite.js';
import { startCluster, type RealCluster } from './cluster.js';
import { rejection } from '../helpers.js';

function clusterClient(c: RealCluster): Cluster {
  // The cache-aside client's fail-fast settings (createCacheClient), for a Cluster.
  return new Cluster(c.nodes, {
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0, commandTimeout: 500, connectTimeout: 500 },
  });
}

async function ready(client: Cluster): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
}

async function keysOnEveryMaster(client: Cluster, pattern: string): Promise<string[]> {
  const all = await Promise.all(client.nodes('master').map((n) => n.keys(pattern)));
  return all.flat().sort();
}

describe('a real Redis Cluster (3 masters) through ioredis Cluster', function () {
  this.timeout(60_000);
  let cluster: RealCluster;

  before(async () => { cluster = await startCluster(3); });
  after(async () => { await cluster?.stop(); });

  it('redis-cli --cluster create assigned the 16384 slots to the three masters', () => {
    expect(cluster.createOutput).to.contain('[OK] All 16384 slots covered.');
    expect(cluster.createOutput).to.match(/Master\[0\] -> Slots 0 - 5460/);
    expect(cluster.createOutput).to.match(/Master\[1\] -> Slots 5461 - 10922/);
    expect(cluster.createOutput).to.match(/Master\[2\] -> Slots 10923 - 16383/);
  });

  describeCacheAside('the cache-aside suite on the cluster', async () => {
    const client = clusterClient(cluster);
    await ready(client);
    return {
      client,
      flush: async () => { await Promise.all(client.nodes('master').map((n) => n.flushall())); },
      keys: (pattern) => keysOnEveryMaster(client, pattern),
      exactTtl: false,
      close: async () => { client.disconnect(); },
    };
  });

  describe('what only a cluster has', () => {
    let client: Cluster;
    before(async () => {
      client = clusterClient(cluster);
      await ready(client);
      await Promise.all(client.nodes('master').map((n) => n.flushall()));
    });
    after(() => { client.disconnect(); });

    it('cached keys land on all three masters, by slot', async () => {
      const cache = new CacheAside(client, { prefix: 'shop:', ttl: 60 });
      for (let i = 0; i < 30; i++) expect(await cache.get(`product:${i}`, async () => ({ id: i }))).to.deep.equal({ id: i });
      const perNode = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
      expect(perNode).to.have.length(3);
      expect(perNode.every((n) => n > 0)).to.equal(true);
      expect(perNode.reduce((a, b) => a + b, 0)).to.equal(30);
      for (let i = 0; i < 30; i++) expect(await cache.get(`product:${i}`, async () => 'not called')).to.deep.equal({ id: i });
      expect(cache.stats().hits).to.equal(30);
    });

    it('a node answers -MOVED for a key of another slot, and the Cluster client follows it', async () => {
      const key = 'shop:product:7';
      const slot = Number(await client.cluster('KEYSLOT', key));
      // Ask each master directly: the owner answers, the two others redirect to it.
      const answers = await Promise.all(cluster.ports.map(async (port) => {
        const direct = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
        await direct.connect();
        try {
          return await direct.get(key).then((v) => `value ${v}`, (e: Error) => e.message);
        } finally {
          direct.disconnect();
        }
      }));
      expect(answers.filter((a) => a.startsWith('value '))).to.deep.equal(['value {"id":7}']);
      const moved = answers.filter((a) => a.startsWith('MOVED'));
      expect(moved).to.have.length(2);
      const owner = cluster.ports.find((_p, i) => answers[i]!.startsWith('value '))!;
      for (const m of moved) expect(m).to.equal(`MOVED ${slot} 127.0.0.1:${owner}`);

      // Make the client's slot map stale (the slot pointed at a wrong node), as after a resharding:
      // the wrong node answers MOVED, the client follows it and fixes its map.
      const slots = (client as unknown as { slots: string[][] }).slots;
      const wrong = `127.0.0.1:${cluster.ports.find((p) => p !== owner)!}`;
      slots[slot] = [wrong];
      expect(await client.get(key)).to.equal('{"id":7}');
      expect(slots[slot]).to.deep.equal([`127.0.0.1:${owner}`]);
    });

    it('a multi-key command across slots is refused with -CROSSSLOT; invalidate() of several keys still works', async () => {
      const a = 'shop:product:1';
      const b = 'shop:product:2';
      expect(await client.cluster('KEYSLOT', a)).to.not.equal(await client.cluster('KEYSLOT', b));
      const err = await rejection(client.del(a, b));
      expect(err).to.be.instanceOf(ReplyError);
      expect(err.message).to.equal("CROSSSLOT Keys in request don't hash to the same slot");
      expect(await client.exists(a)).to.equal(1);
      // Keys sharing a hash tag share a slot, so a multi-key command on them is fine.
      await client.mset('{cart:9}:items', '3', '{cart:9}:total', '42');
      expect(await client.mget('{cart:9}:items', '{cart:9}:total')).to.deep.equal(['3', '42']);
      // The library's multi-key invalidate() sends one DEL per key on a Cluster.
      const cache = new CacheAside(client, { prefix: 'shop:', ttl: 60 });
      expect(await cache.invalidate(['product:1', 'product:2', 'product:3'])).to.equal(true);
      for (const k of [a, b, 'shop:product:3']) expect(await client.exists(k)).to.equal(0);
      expect(cache.stats().invalidations).to.equal(3);
      expect(cache.stats().invalidationErrors).to.equal(0);
    });

    // Scenario 4 (10,000 keys cached at once, then timed expiry bins) runs on the cluster too, but its
    // timing claims do not hold there on a loaded 2-core machine: the 10,000 SETs take ~1.6 s to land
    // across three redis-server processes, so "without jitter all keys expire within 1 s" fails. It is
    // left out of this run; 6, 7 and 8 need a single server (SINGLE_SERVER_SCENARIOS).
    it("the demo's --url mode runs against the cluster (scenarios 1, 2, 3 and 5)", async () => {
      const url = `redis://127.0.0.1:${cluster.ports[0]}`;
      for (const scenario of [1, 2, 3, 5]) {
        const report = await runDemo({ url, scenario });
        expect(report.server).to.match(/^Redis Cluster \(3 masters\) 7\.0\.\d+ at redis:\/\/127\.0\.0\.1:/);
        const failed = report.scenarios.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.id}: ${c.claim}`));
        expect(failed, `scenario ${scenario}`).to.deep.equal([]);
        expect(report.ok).to.equal(true);
      }
      expect(await keysOnEveryMaster(client, 'cachette-demo:*')).to.deep.equal([]);
    });
  });
});
