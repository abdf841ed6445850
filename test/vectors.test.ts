/**
 * Runs the byte-exact vectors of vectors.ts against cachette. With
 * VECTORS_ORACLE=1 the same file runs against a real redis-server 7.0 that
 * it starts itself on a free port (diff/servers.ts startRedis, version-guarded),
 * to re-verify the vectors; it never touches a server it did not start.
 * (The differential suite also runs the corpus on both servers on every `npm test`.)
 */

import { expect } from 'chai';
import { startServer } from '../src/index.js';
import { startRedis } from './diff/servers.js';
import { Raw, runScenario } from './helpers.js';

import { NIL, OK, scenarios } from './vectors.js';

const oracle = process.env.VECTORS_ORACLE === '1';

describe(`byte-exact vectors (verified against redis-server 7.0.15)${oracle ? ' [against a fresh redis-server]' : ''}`, function () {
  let srv: { port: number; close(): Promise<void> };
  before(async () => {
    if (oracle) {
      const redis = await startRedis();
      srv = { port: redis.port, close: () => redis.stop() };
    } else {
      srv = await startServer();
    }
  });
  after(async () => { await srv?.close(); });

  for (const sc of scenarios) {
    it(sc.name, async () => {
      await runScenario(srv.port, sc.steps);
    });
  }

  it('RESP3: nulls, maps, verbatim INFO, bulk INCRBYFLOAT', async () => {
    const r = await Raw.connect(srv.port);
    try {
      await r.expect('FLUSHALL\r\n', OK);
      r.send('HELLO 3\r\n');
      const hello = await r.read(200, 300);
      expect(hello).to.match(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n$/);
      await r.expect('GET nokey\r\n', '_\r\n');
      await r.expect('MGET nokey\r\n', '*1\r\n_\r\n');
      await r.expect('CONFIG GET maxmemory\r\n', '%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
      await r.expect('INCRBYFLOAT fl 1.5\r\n', '$3\r\n1.5\r\n');
      await r.expect('SET k v\r\n', OK);
      await r.expect('INFO keyspace\r\n', '=48\r\ntxt:# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n\r\n');
      r.send('HELLO 2\r\n');
      expect(await r.reply()).to.match(/^\*14\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n.*\$5\r\nproto\r\n:2\r\n/s);
      await r.expect('GET nokey\r\n', NIL);
      await r.nothingMore();
    } finally {
      r.close();
    }
  });

  it('INFO keyspace in RESP2 is a bulk string with Redis\'s framing', async () => {
    const r = await Raw.connect(srv.port);
    try {
      await r.expect('FLUSHALL\r\n', OK);
      await r.expect('INFO keyspace\r\n', '$12\r\n# Keyspace\r\n\r\n');
      await r.expect('SET a 1\r\n', OK);
      await r.expect('PEXPIRE a 100000\r\n', ':1\r\n');
      await r.expect('SET b 1\r\n', OK);
      // avg_ttl comes from active expiry's samples, so its digits vary; the framing must not.
      r.send('INFO keyspace\r\n');
      const body = await r.reply();
      const m = /^\$(\d+)\r\n(# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n)\r\n$/.exec(body);
      expect(m, body).to.not.equal(null);
      expect(Number(m![1])).to.equal(m![2]!.length);
      await r.expect('INFO nosuchsection\r\n', '$0\r\n\r\n');
      await r.nothingMore();
    } finally {
      r.close();
    }
  });
});
