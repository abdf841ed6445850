// A fresh cachette per test, with node:test and `await using`: the server
// closes when the test's scope ends, even if the test throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { startServer } from 'cachette';

test('surfaces a LOADING error to the caller', async () => {
  await using srv = await startServer();
  const redis = new Redis(srv.url);
  srv.faults.inject({ command: 'get', times: 1 }, 'LOADING');
  await assert.rejects(redis.get('k'), /^ReplyError: LOADING Redis is loading the dataset in memory$/);
  assert.equal(await redis.get('k'), null); // the fault fired once
  redis.disconnect();
});

test('times out when the cache is slow', async () => {
  await using srv = await startServer();
  const redis = new Redis(srv.url, { commandTimeout: 50 });
  srv.faults.inject({ command: 'get' }, { delay: 200 });
  await assert.rejects(redis.get('k'), /Command timed out/);
  redis.disconnect();
});
