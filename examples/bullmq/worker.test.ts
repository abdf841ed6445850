// Testing a BullMQ worker against an embedded cachette, with mocha: one
// server for the file, emptied between tests, and the real Queue, Worker and
// QueueEvents your application uses. No Docker, no shared Redis.
import assert from 'node:assert/strict';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { startServer, type ServerHandle } from 'cachette';

// The code under test: a processor that "sends" an email and fails on a bad address.
interface Email { to: string; template: string }
const sent: Email[] = [];
async function sendEmail(job: Job<Email>): Promise<{ delivered: string }> {
  if (!job.data.to.includes('@')) throw new Error(`bad address: ${job.data.to}`);
  sent.push(job.data);
  return { delivered: job.data.to };
}

describe('email worker (BullMQ on cachette, mocha)', function () {
  let srv: ServerHandle;
  let queue: Queue<Email>;
  let events: QueueEvents;
  let worker: Worker<Email>;

  before(async () => {
    srv = await startServer();
    const connection = { host: srv.host, port: srv.port, maxRetriesPerRequest: null };
    queue = new Queue<Email>('email', { connection });
    events = new QueueEvents('email', { connection });
    // drainDelay: how long the idle worker blocks waiting for work (seconds); close() cuts it short.
    worker = new Worker<Email>('email', sendEmail, { connection, concurrency: 4, drainDelay: 1 });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
  });

  after(async () => {
    await worker.close();
    await events.close();
    await queue.close();
    await srv.close();
  });

  beforeEach(async () => {
    sent.length = 0;
    await queue.obliterate({ force: true });
  });

  it('delivers a welcome email', async () => {
    const job = await queue.add('welcome', { to: 'ada@example.com', template: 'welcome' });
    assert.deepEqual(await job.waitUntilFinished(events), { delivered: 'ada@example.com' });
    assert.deepEqual(sent, [{ to: 'ada@example.com', template: 'welcome' }]);
  });

  it('fails a bad address after its retries, and says why', async () => {
    const job = await queue.add('welcome', { to: 'nobody', template: 'welcome' }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await assert.rejects(job.waitUntilFinished(events), /bad address: nobody/);
    assert.equal(await job.getState(), 'failed');
    assert.equal((await queue.getJob(job.id!))!.attemptsMade, 2);
    assert.deepEqual(await queue.getJobCounts('failed', 'completed'), { failed: 1, completed: 0 });
  });
});
