/**
 * Active expiry (expiry.ts): keys nobody touches are reclaimed in the
 * background; DEBUG SET-ACTIVE-EXPIRE switches it; the INFO fields exist and
 * move; DEBUG is refused unless enable-debug-command allows it.
 */

import { expect } from 'chai';
import { startServer, type ServerHandle } from '../src/index.js';
import { info, Raw } from './helpers.js';

const OK = '+OK\r\n';

/**
 * Polls DBSIZE (each reply read by its framing) until it equals `want`, for
 * at most `ms`: a deadline for something that must happen, generous enough
 * for a loaded machine; returns the last value.
 */
async function dbsizeSettles(r: Raw, want: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let n = -1;
  while (Date.now() < deadline) {
    r.send('DBSIZE\r\n');
    n = Number(/^:(\d+)\r\n$/.exec(await r.reply())?.[1]);
    if (n === want) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  return n;
}

describe('active expiry', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer({ 'enable-debug-command': 'yes' }); });
  after(async () => { await srv.close(); });

  it('reclaims keys that are never touched again, and counts them', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\nCONFIG RESETSTAT\r\n', OK + OK);
    let req = '';
    for (let i = 0; i < 3000; i++) req += `SET t${i} v PX 30\r\n`;
    for (let i = 0; i < 100; i++) req += `SET keep${i} v EX 1000\r\n`;
    r.send(req);
    await r.read(3100 * OK.length);
    // No reads: only the background cycle can remove them.
    expect(await dbsizeSettles(r, 100, 5000)).to.equal(100);
    const st = await info(r, 'stats');
    expect(Number(st['expired_keys'])).to.equal(3000);
    expect(Number(st['expired_stale_perc'])).to.be.greaterThan(0);
    expect(st).to.have.property('expired_time_cap_reached_count');
    expect(st).to.have.property('expire_cycle_cpu_milliseconds');
    const ks = await info(r, 'keyspace');
    const m = /^keys=100,expires=100,avg_ttl=(\d+)$/.exec(ks['db0']!);
    expect(m, ks['db0']).to.not.equal(null);
    expect(Number(m![1])).to.be.within(900000, 1000000); // the kept keys have ~1000 s left
    r.close();
  });

  it('DEBUG SET-ACTIVE-EXPIRE 0 leaves expired keys to lazy expiry; 1 turns it back on', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('FLUSHALL\r\nDEBUG SET-ACTIVE-EXPIRE 0\r\n', OK + OK);
    await r.expect('SET a v PX 10\r\nSET b v PX 10\r\n', OK + OK);
    await new Promise((res) => setTimeout(res, 400)); // several cron ticks at hz 10
    await r.expect('DBSIZE\r\n', ':2\r\n');
    await r.expect('DEBUG SET-ACTIVE-EXPIRE 1\r\n', OK);
    expect(await dbsizeSettles(r, 0, 3000)).to.equal(0);
    r.close();
  });

  it('resets its stats with CONFIG RESETSTAT and clears avg_ttl with FLUSHALL', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('CONFIG RESETSTAT\r\n', OK);
    const st = await info(r, 'stats');
    expect(st['expired_keys']).to.equal('0');
    expect(st['expired_stale_perc']).to.equal('0.00');
    expect(st['expired_time_cap_reached_count']).to.equal('0');
    await r.expect('FLUSHALL\r\n', OK);
    r.send('INFO keyspace\r\n');
    expect(await r.reply()).to.equal('$12\r\n# Keyspace\r\n\r\n');
    await r.nothingMore();
    r.close();
  });

  it('takes hz from CONFIG SET at once', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('CONFIG SET hz 100\r\n', OK);
    expect((await info(r, 'server'))['hz']).to.equal('100');
    await r.expect('SET q v PX 5\r\n', OK);
    expect(await dbsizeSettles(r, 0, 2000)).to.equal(0);
    await r.expect('CONFIG SET hz 10\r\n', OK);
    r.close();
  });

  it('DEBUG answers with Redis\'s errors', async () => {
    const r = await Raw.connect(srv.port);
    await r.expect('DEBUG NOSUCH\r\n', "-ERR unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP.\r\n");
    await r.expect('DEBUG SET-ACTIVE-EXPIRE\r\n', "-ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. Try DEBUG HELP.\r\n");
    await r.expect('DEBUG\r\n', "-ERR wrong number of arguments for 'debug' command\r\n");
    await r.expect('CONFIG SET enable-debug-command no\r\n', "-ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config\r\n");
    r.close();
  });

  it('refuses DEBUG by default, as Redis 7.0 does', async () => {
    const plain = await startServer();
    try {
      const r = await Raw.connect(plain.port);
      await r.expect('DEBUG SET-ACTIVE-EXPIRE 0\r\n', '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n');
      r.close();
    } finally {
      await plain.close();
    }
  });
});
