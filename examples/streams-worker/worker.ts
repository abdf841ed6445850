// A small consumer-group worker: each job is a stream entry, each worker a
// consumer of one group. A job is acknowledged (XACK) once its handler
// succeeds; a job whose worker failed or died stays pending, and any worker
// takes it over (XAUTOCLAIM) once it has been idle for `claimIdleMs`.
import type { Redis } from 'ioredis';

export interface Job { id: string; fields: Record<string, string>; deliveries: number }

export interface WorkerOptions {
  stream: string;
  group: string;
  consumer: string;
  handler: (job: Job) => Promise<void>;
  /** How long XREADGROUP waits for new jobs (ms); 0 waits until stop(). */
  blockMs?: number;
  /** A pending job idle this long (ms) is taken over. */
  claimIdleMs?: number;
  count?: number;
}

type Entry = [id: string, fields: string[] | null];

export class StreamWorker {
  private readonly conn: Redis;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private clientId = 0;
  private claimCursor = '0-0';
  /** Jobs whose handler threw (they stay pending until claimed again). */
  readonly failures: string[] = [];

  constructor(private readonly redis: Redis, private readonly opts: WorkerOptions) {
    // A blocking read holds its connection: the worker gets its own.
    this.conn = redis.duplicate();
  }

  async start(): Promise<void> {
    const { stream, group } = this.opts;
    try {
      await this.redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    } catch (e) {
      if (!String(e).includes('BUSYGROUP')) throw e;
    }
    this.clientId = Number(await this.conn.client('ID'));
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops after the job in hand: a worker blocked in XREADGROUP is woken with CLIENT UNBLOCK. */
  async stop(): Promise<void> {
    this.running = false;
    try {
      await this.redis.client('UNBLOCK', this.clientId);
      await this.loopDone;
    } finally {
      this.conn.disconnect();
    }
  }

  private async loop(): Promise<void> {
    const { stream, group, consumer, count = 10, blockMs = 0, claimIdleMs = 30_000 } = this.opts;
    while (this.running) {
      // 1. Jobs other workers left pending for too long.
      const [cursor, claimed] = (await this.conn.xautoclaim(stream, group, consumer, claimIdleMs, this.claimCursor, 'COUNT', count)) as [string, Entry[], string[]];
      this.claimCursor = cursor;
      for (const e of claimed) await this.run(e);
      // 2. New jobs.
      const res = (await this.conn.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as Array<[string, Entry[]]> | null;
      if (res === null) continue; // timed out, or unblocked by stop()
      for (const e of res[0]![1]) await this.run(e);
    }
  }

  private async run([id, fields]: Entry): Promise<void> {
    if (fields === null) { await this.conn.xack(this.opts.stream, this.opts.group, id); return; } // deleted meanwhile
    const obj: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) obj[fields[i]!] = fields[i + 1]!;
    const pending = (await this.conn.xpending(this.opts.stream, this.opts.group, id, id, 1)) as Array<[string, string, number, number]>;
    try {
      await this.opts.handler({ id, fields: obj, deliveries: pending[0]?.[3] ?? 1 });
      await this.conn.xack(this.opts.stream, this.opts.group, id);
    } catch {
      this.failures.push(id);
    }
  }
}
