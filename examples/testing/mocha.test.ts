// A fresh cachette per test, with mocha. Time is frozen (clock: 'manual'),
// so a one-hour TTL is tested without waiting an hour.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type ServerHandle } from 'cachette';

describe('session store (mocha)', function () {
  let srv: ServerHandle;
  let redis: Redis;

  beforeEach(async () => {
    srv = await startServer({ clock: 'manual' });
    redis = new Redis(srv.url);
  });

  afterEach(async () => {
    redis.disconnect();
    await srv.close();
  });

  it('expires a session after an hour', async () => {
    await redis.set('session:1', 'alice', 'EX', 3600);
    srv.clock.advance(3_600_000);
    assert.equal(await redis.get('session:1'), 'alice');
    srv.clock.advance(1);
    assert.equal(await redis.get('session:1'), null);
  });

  it('sees what the code under test wrote', async () => {
    await redis.set('user:1', 'alice');
    await redis.incr('visits');
    assert.deepEqual(srv.dump(), {
      0: { 'user:1': { value: 'alice', ttl: null }, visits: { value: '1', ttl: null } },
    });
  });
});
