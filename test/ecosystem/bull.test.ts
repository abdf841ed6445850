/**
 * Bull (the older queue, ioredis 5 inside; Lua scripts, pub/sub for its
 * global events): the BullMQ flow, smaller. A processor with concurrency 4
 * through 50 jobs, each completion seen as a `global:completed` event; a
 * delayed job; a job that fails once and succeeds on retry; a job that
 * fails for good (`global:failed`); a repeatable job; getJobCounts; and
 * obliterate leaving no key behind. Bull's own settings keep it fast
 * (drainDelay 1 s, short guard and stalled intervals); nothing sleeps.
 */

import { expect } from 'chai';
import Queue from 'bull';
import { Redis } from 'ioredis';
import { onBoth, until } from './harness.js';

onBoth('Bull', (t) => {
  let queue: Queue.Queue;
  let raw: Redis;
  const completed = new Map<string, string>();
  const failed: Array<[string, string]> = [];
  const processed: string[] = [];
  let failOnce = true;

  before(async () => {
    raw = new Redis(t.url);
    await raw.flushall();
    queue = new Queue('mail', t.url, { settings: { drainDelay: 1, guardInterval: 50, stalledInterval: 1000, retryProcessDelay: 50 } });
    queue.on('error', () => { /* surfaced by the flow's expectations */ });
    queue.on('global:completed', (jobId: string, result: string) => { completed.set(String(jobId), result); });
    queue.on('global:failed', (jobId: string, reason: string) => { failed.push([String(jobId), reason]); });
    void queue.process('*', 4, async (job) => {
      processed.push(job.name);
      if (job.name === 'flaky') {
        if (failOnce) { failOnce = false; throw new Error('temporary failure'); }
        return `ok on attempt ${job.attemptsMade + 1}`;
      }
      if (job.name === 'send') return `sent to ${(job.data as { to: string }).to}`;
      return job.name;
    });
    await queue.isReady();
  });
  after(async () => {
    await queue?.close();
    raw.disconnect();
  });

  it('processes 50 jobs; each completion is a global:completed event with its result', async () => {
    const jobs = await queue.addBulk(Array.from({ length: 50 }, (_, i) => ({ name: 'send', data: { to: `user${i}@example.com` } })));
    await until(() => jobs.every((j) => completed.has(String(j.id))), '50 global:completed events', 10_000);
    for (const [i, j] of jobs.entries()) expect(JSON.parse(completed.get(String(j.id))!)).to.equal(`sent to user${i}@example.com`);
    expect(await (await queue.getJob(jobs[0]!.id))!.getState()).to.equal('completed');
  });

  it('a delayed job waits, then runs', async () => {
    const t0 = Date.now();
    const job = await queue.add('later', {}, { delay: 150 });
    expect(await job.getState()).to.equal('delayed');
    await until(() => completed.has(String(job.id)), 'the delayed job completed', 5000);
    expect(Date.now() - t0).to.be.at.least(150);
  });

  it('a job that fails once succeeds on its retry; one that fails its only attempt ends failed', async () => {
    const job = await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delay: 20 } });
    await until(() => completed.has(String(job.id)), 'the flaky job completed', 5000);
    expect(JSON.parse(completed.get(String(job.id))!)).to.equal('ok on attempt 2');
    expect(failed).to.deep.equal([]);
    failOnce = true;
    const bad = await queue.add('flaky', {}, { attempts: 1 });
    await until(() => failed.length === 1, 'the job failed', 5000);
    expect(failed).to.deep.equal([[String(bad.id), 'temporary failure']]);
    expect(await (await queue.getJob(bad.id))!.getState()).to.equal('failed');
  });

  it('a repeatable job runs every 50 ms until removed', async () => {
    await queue.add('tick', {}, { repeat: { every: 50 } });
    expect((await queue.getRepeatableJobs()).map((r) => [r.name, Number(r.every)])).to.deep.equal([['tick', 50]]);
    await until(() => processed.filter((n) => n === 'tick').length >= 3, 'three repeats ran', 5000);
    await queue.removeRepeatable('tick', { every: 50 });
    expect(await queue.getRepeatableJobs()).to.deep.equal([]);
  });

  it('getJobCounts, then obliterate removes every key of the queue', async () => {
    await until(async () => (await queue.getActiveCount()) === 0, 'the processor is idle', 5000);
    const counts = await queue.getJobCounts();
    expect(counts.failed).to.equal(1);
    expect(counts.active).to.equal(0);
    expect(counts.waiting).to.equal(0);
    expect(counts.completed).to.be.at.least(50 + 1 + 1 + 3);
    await queue.pause(true);
    await queue.obliterate({ force: true });
    expect(await raw.keys('bull:mail:*')).to.deep.equal([]);
  });
});
