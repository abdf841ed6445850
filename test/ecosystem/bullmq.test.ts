/**
 * BullMQ (ioredis inside; Lua scripts for every state change, a stream per
 * queue for its events, BZPOPMIN to wait for work): a Queue, a Worker with
 * concurrency 8, and QueueEvents `completed`/`failed`, through 200 jobs, a
 * delayed job, a job that fails once and succeeds on retry (attempts,
 * fixed backoff), a FlowProducer parent with two children, a job scheduler
 * (every 40 ms), getJobCounts, and obliterate leaving no key behind.
 *
 * Kept fast with BullMQ's own settings: drainDelay 1 s (the blocking wait
 * for work, cut short by close()), a 40 ms scheduler, a 20 ms backoff, short
 * QueueEvents blocking timeouts; nothing sleeps.
 */

import { expect } from 'chai';
import { FlowProducer, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { onBoth, until } from './harness.js';

onBoth('BullMQ', (t) => {
  const name = 'orders';
  let connection: { host: string; port: number; maxRetriesPerRequest: null };
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;
  let raw: Redis;
  const completed = new Map<string, unknown>();
  const failed: Array<[string, string]> = [];
  const processed: string[] = [];
  let failOnce = true;

  before(async () => {
    raw = new Redis(t.url);
    await raw.flushall();
    connection = { host: t.host, port: t.port, maxRetriesPerRequest: null };
    queue = new Queue(name, { connection });
    events = new QueueEvents(name, { connection, blockingTimeout: 200 });
    events.on('completed', ({ jobId, returnvalue }) => { completed.set(jobId, returnvalue); });
    events.on('failed', ({ jobId, failedReason }) => { failed.push([jobId, failedReason]); });
    await events.waitUntilReady();
    await queue.waitUntilReady();
    worker = new Worker(name, async (job: Job) => {
      processed.push(job.name);
      switch (job.name) {
        case 'add': return (job.data as { a: number; b: number }).a + (job.data as { a: number; b: number }).b;
        case 'flaky':
          if (failOnce) { failOnce = false; throw new Error('temporary failure'); }
          return `ok after ${job.attemptsMade} failed attempt(s)`;
        case 'child': return (job.data as { part: string }).part.toUpperCase();
        case 'parent': {
          const values = await job.getChildrenValues();
          return Object.values(values).sort().join('+');
        }
        default: return job.name;
      }
    }, { connection, concurrency: 8, drainDelay: 1 });
    worker.on('error', () => { /* surfaced by the flow's expectations */ });
    await worker.waitUntilReady();
  });
  after(async () => {
    await worker?.close();
    await events?.close();
    await queue?.close();
    raw.disconnect();
  });

  it('processes 200 jobs with concurrency; QueueEvents reports each completion with its value', async () => {
    const jobs = await queue.addBulk(Array.from({ length: 200 }, (_, i) => ({ name: 'add', data: { a: i, b: 1000 } })));
    expect(jobs).to.have.length(200);
    await until(() => jobs.every((j) => completed.has(j.id!)), '200 completed events', 20_000);
    for (const [i, j] of jobs.entries()) expect(completed.get(j.id!)).to.equal(i + 1000);
    const job = await queue.getJob(jobs[10]!.id!);
    expect(job!.returnvalue).to.equal(1010);
    expect(await job!.getState()).to.equal('completed');
  });

  it('a delayed job waits in the delayed set, then runs', async () => {
    const t0 = Date.now();
    const job = await queue.add('delayed', {}, { delay: 150 });
    expect(await job.getState()).to.equal('delayed');
    expect(await queue.getDelayedCount()).to.equal(1);
    await until(() => completed.has(job.id!), 'the delayed job completed', 5000);
    expect(Date.now() - t0).to.be.at.least(150);
    expect(completed.get(job.id!)).to.equal('delayed');
  });

  it('a job that fails once succeeds on its retry (attempts 3, fixed backoff)', async () => {
    const job = await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delay: 20 } });
    await until(() => completed.has(job.id!), 'the flaky job completed', 5000);
    expect(completed.get(job.id!)).to.equal('ok after 1 failed attempt(s)');
    const done = await queue.getJob(job.id!);
    expect(done!.attemptsMade).to.equal(2);
    expect(done!.failedReason).to.equal('temporary failure');
    // A failed attempt that will be retried is not a `failed` event.
    expect(failed).to.deep.equal([]);
  });

  it('a job that fails its only attempt ends failed, and QueueEvents says why', async () => {
    failOnce = true;
    const bad = await queue.add('flaky', {}, { attempts: 1 });
    await until(() => failed.length === 1 || completed.has(bad.id!), 'the job failed', 5000);
    expect(failed).to.deep.equal([[bad.id, 'temporary failure']]);
    expect(completed.has(bad.id!)).to.equal(false);
    expect(await (await queue.getJob(bad.id!))!.getState()).to.equal('failed');
  });

  it('a FlowProducer parent runs after its two children, with their values', async () => {
    const flow = new FlowProducer({ connection });
    try {
      const tree = await flow.add({
        name: 'parent', queueName: name, data: {},
        children: [{ name: 'child', queueName: name, data: { part: 'left' } }, { name: 'child', queueName: name, data: { part: 'right' } }],
      });
      expect(await tree.job.getState()).to.be.oneOf(['waiting-children', 'waiting', 'active', 'completed']);
      await until(() => completed.has(tree.job.id!), 'the parent completed', 5000);
      expect(completed.get(tree.job.id!)).to.equal('LEFT+RIGHT');
      for (const c of tree.children!) expect(completed.get(c.job.id!)).to.equal(c.job.data.part.toUpperCase());
      expect(processed.lastIndexOf('parent')).to.be.above(processed.lastIndexOf('child'));
    } finally {
      await flow.close();
    }
  });

  it('a job scheduler produces a job every 40 ms until removed', async () => {
    const before = processed.filter((n) => n === 'tick').length;
    await queue.upsertJobScheduler('ticker', { every: 40 }, { name: 'tick', data: {} });
    expect((await queue.getJobSchedulers()).map((s) => [s.key, s.every])).to.deep.equal([['ticker', 40]]);
    await until(() => processed.filter((n) => n === 'tick').length >= before + 3, 'three scheduled jobs ran', 5000);
    expect(await queue.removeJobScheduler('ticker')).to.equal(true);
    expect(await queue.getJobSchedulers()).to.deep.equal([]);
    // The scheduler's next job, already delayed when it was removed, goes with it.
    expect(await queue.getDelayedCount()).to.equal(0);
  });

  it('getJobCounts, then obliterate removes every key of the queue', async () => {
    await until(async () => (await queue.getActiveCount()) === 0, 'the worker is idle', 5000);
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active', 'waiting-children');
    expect(counts).to.deep.equal({ completed: counts.completed, failed: 1, waiting: 0, delayed: 0, active: 0, 'waiting-children': 0 });
    // 200 adds, the delayed one, the flaky one, 3 in the flow, and at least 3 ticks.
    expect(counts.completed).to.be.at.least(200 + 1 + 1 + 3 + 3);
    expect(await raw.keys(`bull:${name}:*`)).to.not.deep.equal([]);
    await worker.close();
    await queue.obliterate({ force: true });
    expect(await raw.keys(`bull:${name}:*`)).to.deep.equal([]);
    expect(await queue.getJobCounts('completed', 'failed')).to.deep.equal({ completed: 0, failed: 0 });
  });
});
