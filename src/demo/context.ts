/**
 * What every demo scenario gets: the cache to talk to (an embedded cachette
 * server, or any Redis given with --url), fresh fail-fast clients, a plain
 * admin client for INFO/CONFIG, a way to stop and restart the cache, and
 * the database.
 *
 * A --url that names a node of a Redis Cluster (INFO says cluster_enabled:1)
 * gets ioredis `Cluster` clients instead, discovered from that node: the
 * scenarios' code is the same, only the connection changes. Clean-up then
 * scans every master and deletes key by key (a node refuses a multi-key
 * UNLINK across slots).
 */

import { Cluster, Redis } from 'ioredis';
import { createCacheClient } from '../cache-aside/client.js';
import { startServer, type ServerHandle } from '../index.js';
import { ProductDb, type DbOptions } from './db.js';

export interface DemoOptions {
  /** Run against this server instead of an embedded cachette. */
  url?: string;
  /** Database latency per query, ms. Default 20. */
  dbLatencyMs?: number;
}

export class DemoContext {
  readonly admin: Redis;
  readonly dbLatencyMs: number;
  private readonly clients = new Set<Redis>();
  /** The number of masters when --url names a Redis Cluster node; 0 for a single server. */
  clusterMasters = 0;

  private constructor(
    private embedded: ServerHandle | null,
    readonly host: string,
    readonly port: number,
    options: DemoOptions,
  ) {
    this.dbLatencyMs = options.dbLatencyMs ?? 20;
    this.admin = new Redis(port, host, { lazyConnect: false, maxRetriesPerRequest: 20 });
    this.admin.on('error', () => { /* reconnects by itself; scenario 6 stops the server on purpose */ });
  }

  static async create(options: DemoOptions): Promise<DemoContext> {
    if (options.url !== undefined) {
      const u = new URL(options.url);
      if (u.protocol !== 'redis:') throw new Error(`--url must be redis://host:port, got ${options.url}`);
      const ctx = new DemoContext(null, u.hostname || '127.0.0.1', Number(u.port || 6379), options);
      await ctx.admin.ping();
      if (/^cluster_enabled:1/m.test(await ctx.admin.info('cluster'))) {
        const nodes = String(await ctx.admin.cluster('NODES'));
        // CLUSTER NODES: `<id> <addr> <flags> <master> <ping> <pong> <epoch> <link> <slots...>`: masters that serve slots.
        ctx.clusterMasters = nodes.split('\n').filter((l) => {
          const f = l.split(' ');
          return f.length > 8 && f[2]!.split(',').includes('master');
        }).length;
      }
      return ctx;
    }
    const handle = await startServer({ port: 0 });
    return new DemoContext(handle, handle.host, handle.port, options);
  }

  /** True when the demo started its own cachette (so it may stop and restart it). */
  get isEmbedded(): boolean {
    return this.embedded !== null || this.stoppedEmbedded;
  }

  private stoppedEmbedded = false;

  /** A description of the server, for the report's header. */
  async describe(): Promise<string> {
    const info = await this.admin.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    const cachette = /cachette_version:(\S+)/.exec(info)?.[1];
    const what = cachette !== undefined ? `cachette ${cachette} (Redis ${version} compatible)`
      : this.clusterMasters > 0 ? `Redis Cluster (${this.clusterMasters} masters) ${version}` : `Redis ${version}`;
    return `${what} at redis://${this.host}:${this.port}${this.isEmbedded ? ', embedded' : ''}`;
  }

  /** A new fail-fast cache client (see createCacheClient), ready to use. */
  async client(port = this.port, host = this.host): Promise<Redis> {
    // A Cluster has the same command methods; scenarios use them through Redis's types.
    const c = this.clusterMasters > 0
      ? new Cluster([{ host, port }], {
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        redisOptions: { maxRetriesPerRequest: 0, commandTimeout: 500, connectTimeout: 500 },
      }) as unknown as Redis
      : createCacheClient(`redis://${host}:${port}`, { enableAutoPipelining: true });
    c.on('error', () => { /* counted by CacheAside as cache errors */ });
    this.clients.add(c);
    await new Promise<void>((resolve, reject) => {
      c.once('ready', resolve);
      c.once('error', reject);
    });
    // A Cluster connects to each master lazily, on its first command: connect them all now, so the
    // first burst of commands does not race the connections (nor fail with enableOfflineQueue off).
    if (this.clusterMasters > 0) await Promise.all((c as unknown as Cluster).nodes('master').map((n) => n.ping()));
    return c;
  }

  async openDb(options: DbOptions = {}): Promise<ProductDb> {
    return ProductDb.open({ latencyMs: this.dbLatencyMs, ...options });
  }

  /** Stops the embedded server (only when embedded). */
  async stopServer(): Promise<void> {
    if (this.embedded === null) throw new Error('only an embedded server can be stopped');
    await this.embedded.close();
    this.embedded = null;
    this.stoppedEmbedded = true;
  }

  /** Starts the embedded server again on the same port, empty. */
  async restartServer(): Promise<void> {
    if (!this.stoppedEmbedded) throw new Error('the server was not stopped');
    this.embedded = await startServer({ port: this.port });
    this.stoppedEmbedded = false;
  }

  /** Deletes every key under `prefix` (so a run against a shared server leaves nothing behind). */
  async cleanup(prefix: string): Promise<void> {
    if (this.clusterMasters > 0) {
      const cluster = new Cluster([{ host: this.host, port: this.port }]);
      try {
        await new Promise<void>((resolve, reject) => { cluster.once('ready', resolve); cluster.once('error', reject); });
        for (const node of cluster.nodes('master')) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
            if (keys.length > 0) {
              const p = node.pipeline();
              for (const k of keys) p.unlink(k);
              await p.exec();
            }
            cursor = next;
          } while (cursor !== '0');
        }
      } finally {
        cluster.disconnect();
      }
      return;
    }
    let cursor = '0';
    do {
      const [next, keys] = await this.admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await this.admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** A field of INFO as a number. */
  async infoNumber(section: string, field: string): Promise<number> {
    const info = await this.admin.info(section);
    const m = new RegExp(`^${field}:(\\S+)`, 'm').exec(info);
    if (m === null) throw new Error(`INFO ${section} has no ${field}`);
    return Number(m[1]);
  }

  closeClient(c: Redis): void {
    this.clients.delete(c);
    c.disconnect();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    this.clients.clear();
    this.admin.disconnect();
    if (this.embedded !== null) await this.embedded.close();
    this.embedded = null;
  }
}
