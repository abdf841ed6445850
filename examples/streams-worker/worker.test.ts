// The worker against a fresh cachette (run by `npm test`): jobs are shared
// out between two workers, each acknowledged once; a job whose handler failed
// is taken over by a worker after it has been idle for claimIdleMs, which the
// manual clock makes a matter of one call instead of a 30-second wait.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from 'cachette';
import { StreamWorker, type Job } from './worker.js';

/** Waits for `cond`, polling, up to two seconds. */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('streams worker example', function () {
  let srv: ServerHandle;
  let redis: Redis;
  let workers: StreamWorker[] = [];

  beforeEach(async () => {
    srv = await startServer({ clock: 'manual' });
    redis = new Redis(srv.url);
    workers = [];
  });

  afterEach(async () => {
    for (const w of workers) await w.stop(); // even when a test failed: no worker left reconnecting
    redis.disconnect();
    await srv.close();
  });

  it('shares jobs between two workers and acknowledges each once', async () => {
    const done: Array<[string, string]> = [];
    const make = (name: string): StreamWorker => {
      const w = new StreamWorker(redis, {
        stream: 'jobs', group: 'mailers', consumer: name,
        handler: async (job: Job) => { done.push([name, job.fields.to!]); },
      });
      workers.push(w);
      return w;
    };
    const a = make('a');
    const b = make('b');
    await a.start();
    await b.start();
    await until(() => srv.blocked().length === 2);
    for (let i = 0; i < 20; i++) await redis.xadd('jobs', '*', 'to', `user${i}@example.com`);
    await until(async () => done.length === 20 && Number((await redis.xpending('jobs', 'mailers'))[0]) === 0);
    assert.deepEqual(done.map(([, to]) => to).sort(), Array.from({ length: 20 }, (_, i) => `user${i}@example.com`).sort());
    // IDs came from the frozen clock: one millisecond, sequence 0..19.
    const ids = (await redis.xrange('jobs', '-', '+')).map(([id]) => id);
    assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => `${srv.clock.now()}-${i}`));
  });

  it('takes over a job whose handler failed once it has been idle long enough', async () => {
    const seen: Array<[string, number]> = [];
    const w = new StreamWorker(redis, {
      stream: 'jobs', group: 'g', consumer: 'w1', claimIdleMs: 30_000,
      handler: async (job: Job) => {
        seen.push([job.fields.n!, job.deliveries]);
        if (job.fields.n === '1' && job.deliveries === 1) throw new Error('SMTP down');
      },
    });
    workers.push(w);
    await w.start();
    await until(() => srv.blocked().length === 1);
    await redis.xadd('jobs', '*', 'n', '1');
    await until(() => w.failures.length === 1);
    assert.deepEqual(await redis.xpending('jobs', 'g'), [1, w.failures[0], w.failures[0], [['w1', '1']]]);
    // Not idle long enough yet: the next job does not bring it back.
    srv.clock.advance(29_999);
    await redis.xadd('jobs', '*', 'n', '2');
    await until(() => seen.length === 2);
    srv.clock.advance(1);
    // Job 3 wakes the worker; after it, the worker's next round takes job 1 over (second delivery).
    await redis.xadd('jobs', '*', 'n', '3');
    await until(async () => Number((await redis.xpending('jobs', 'g'))[0]) === 0);
    assert.deepEqual(seen, [['1', 1], ['2', 1], ['3', 1], ['1', 2]]);
  });
});
