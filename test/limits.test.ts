/**
 * Limits and access: protected mode, client-output-buffer-limit, idle
 * timeout, tcp-keepalive, and replies flushed on shutdown. (Query buffer,
 * proto-max-bulk-len, maxclients and the unauthenticated limits are in
 * protocol.test.ts.) Exact texts were checked against redis-server 7.0.15.
 */

import { expect } from 'chai';
import net from 'node:net';
import { startServer, type ServerHandle } from '../src/index.js';
import { DENIED_RESP } from '../src/errors.js';
import { info, Raw, resp } from './helpers.js';

const OK = '+OK\r\n';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('limits and access', () => {
  describe('protected mode', () => {
    let srv: ServerHandle;
    let admin: Raw;
    before(async () => {
      srv = await startServer({ bind: '0.0.0.0' });
      admin = await Raw.connect(srv.port);
    });
    after(async () => { admin.socket.destroy(); await srv.close(); });

    it('is on by default; CONFIG GET shows it', async () => {
      await admin.expect('CONFIG GET protected-mode\r\n', '*2\r\n$14\r\nprotected-mode\r\n$3\r\nyes\r\n');
    });

    it('a client not on 127.0.0.1 / ::1 gets Redis\'s -DENIED text at once, then the close', async () => {
      const before = await info(admin, 'stats');
      const r = await Raw.connect(srv.port, '127.0.0.1', '127.0.0.2');
      r.send('PING\r\n');
      expect(await r.waitClosed()).to.equal(true);
      const data = r.rest(); // closed: this is everything the server sent
      expect(data).to.equal(DENIED_RESP);
      expect(data.length).to.equal(1067);
      const after = await info(admin, 'stats');
      expect(after['total_connections_received']).to.equal(before['total_connections_received']);
    });

    it('a loopback client is served', async () => {
      const r = await Raw.connect(srv.port, '127.0.0.1', '127.0.0.1');
      await r.expect('PING\r\n', '+PONG\r\n');
      await r.nothingMore(); // still open, and nothing else was sent
      r.close();
    });

    it('with a password set, remote clients get in (and need AUTH)', async () => {
      await admin.expect('CONFIG SET requirepass s3cret\r\n', OK);
      try {
        const r = await Raw.connect(srv.port, '127.0.0.1', '127.0.0.2');
        await r.expect('PING\r\nAUTH s3cret\r\nPING\r\n', '-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n');
        await r.nothingMore();
        r.close();
      } finally {
        await admin.expect('AUTH s3cret\r\n', OK);
        await admin.expect('CONFIG SET requirepass ""\r\n', OK);
      }
    });

    it('CONFIG SET protected-mode no lets remote clients in; bad values are refused', async () => {
      await admin.expect('CONFIG SET protected-mode maybe\r\n', "-ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument must be 'yes' or 'no'\r\n");
      await admin.expect('CONFIG SET protected-mode no\r\n', OK);
      try {
        const r = await Raw.connect(srv.port, '127.0.0.1', '127.0.0.2');
        await r.expect('PING\r\n', '+PONG\r\n');
        await r.nothingMore();
        r.close();
      } finally {
        await admin.expect('CONFIG SET protected-mode yes\r\n', OK);
      }
    });
  });

  describe('client-output-buffer-limit', () => {
    let srv: ServerHandle;
    let admin: Raw;
    before(async () => {
      srv = await startServer();
      admin = await Raw.connect(srv.port);
      admin.send(resp('SET', 'big', 'x'.repeat(1024 * 1024)));
      expect(await admin.read(5)).to.equal(OK);
    });
    after(async () => { admin.socket.destroy(); await srv.close(); });

    const DEFAULT = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';
    const get = (v: string): string => `*2\r\n$26\r\nclient-output-buffer-limit\r\n$${v.length}\r\n${v}\r\n`;
    const setErr = (why: string): string => `-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ${why}\r\n`;

    it('has Redis\'s default and validates like Redis', async () => {
      await admin.expect('CONFIG GET client-output-buffer-limit\r\n', get(DEFAULT));
      await admin.expect('CONFIG SET client-output-buffer-limit "normal 1 2"\r\n', setErr('Wrong number of arguments in buffer limit configuration.'));
      await admin.expect('CONFIG SET client-output-buffer-limit "foo 1 2 3"\r\n', setErr('Invalid client class specified in buffer limit configuration.'));
      await admin.expect('CONFIG SET client-output-buffer-limit "normal x 2 3"\r\n', setErr('Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
      await admin.expect('CONFIG SET client-output-buffer-limit "normal -1 2 3"\r\n', setErr('Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
      await admin.expect('CONFIG SET client-output-buffer-limit "NORMAL 5 5 5 replica 1gb 1gb 0 pubsub 1k 1k 1"\r\n', OK);
      await admin.expect('CONFIG GET client-output-buffer-limit\r\n', get('normal 5 5 5 slave 1073741824 1073741824 0 pubsub 1000 1000 1'));
      await admin.expect('CONFIG SET client-output-buffer-limit ""\r\n', OK);
      await admin.expect('CONFIG GET client-output-buffer-limit\r\n', get('normal 5 5 5 slave 1073741824 1073741824 0 pubsub 1000 1000 1'));
      await admin.expect(`CONFIG SET client-output-buffer-limit "${DEFAULT}"\r\n`, OK);
    });

    /**
     * A client that pipelines `n` GETs of the 1 MB value and never reads.
     * Resolves true once the server has dropped it (it is gone from
     * connected_clients), false if it is still there after `waitMs`.
     */
    async function neverReads(n: number, waitMs: number): Promise<boolean> {
      const slow = await Raw.connect(srv.port);
      slow.socket.pause(); // never read a byte
      slow.socket.write(Buffer.concat(Array.from({ length: n }, () => resp('GET', 'big'))));
      const before = srv.server.stats.obufDisconnections;
      const deadline = Date.now() + waitMs;
      let gone = false;
      while (!gone && Date.now() < deadline) {
        await sleep(50);
        gone = (await info(admin, 'clients'))['connected_clients'] === '1';
      }
      slow.socket.destroy();
      return gone && srv.server.stats.obufDisconnections === before + 1;
    }

    it('the hard limit closes a client that never reads, and memory stays bounded', async () => {
      await admin.expect('CONFIG SET client-output-buffer-limit "normal 16mb 0 0"\r\n', OK);
      try {
        const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
        expect(await neverReads(200, 5000)).to.equal(true);
        const stats = await info(admin, 'clients');
        expect(stats['connected_clients']).to.equal('1');
        const grown = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
        expect(grown).to.be.below(100 * 1024 * 1024); // 200 MB of replies were asked for
      } finally {
        await admin.expect(`CONFIG SET client-output-buffer-limit "${DEFAULT}"\r\n`, OK);
      }
    });

    it('the soft limit closes it once exceeded for soft-seconds, not before', async () => {
      await admin.expect('CONFIG SET client-output-buffer-limit "normal 0 8mb 1"\r\n', OK);
      try {
        const t0 = Date.now();
        expect(await neverReads(40, 5000)).to.equal(true);
        expect(Date.now() - t0).to.be.at.least(900);
      } finally {
        await admin.expect(`CONFIG SET client-output-buffer-limit "${DEFAULT}"\r\n`, OK);
      }
    });

    it('with the default (normal 0 0 0), a slow reader is not closed and gets every reply', async () => {
      const reply = `$1048576\r\n${'x'.repeat(1024 * 1024)}\r\n`;
      const want = reply.length * 20;
      const s = net.connect(srv.port, '127.0.0.1');
      let got = 0;
      let closed = false;
      let head = '';
      s.on('close', () => { closed = true; });
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      s.pause(); // a slow reader: nothing is read for a while
      s.write(Buffer.concat(Array.from({ length: 20 }, () => resp('GET', 'big'))));
      await sleep(500);
      const done = new Promise<void>((resolve) => {
        s.on('data', (d: Buffer) => {
          if (head.length < 16) head += d.subarray(0, 16).toString('latin1');
          got += d.length;
          if (got >= want) resolve();
        });
        setTimeout(resolve, 15_000);
      });
      s.resume();
      await done;
      expect(head.startsWith('$1048576\r\nxxxx')).to.equal(true);
      expect(got).to.equal(want);
      expect(closed).to.equal(false);
      s.destroy();
    });
  });

  describe('timeout and tcp-keepalive', () => {
    let srv: ServerHandle;
    before(async () => { srv = await startServer({ hz: 50 }); });
    after(async () => { await srv.close(); });

    it('timeout closes idle clients only; 0 (the default) never does', async () => {
      const admin = await Raw.connect(srv.port);
      await admin.expect('CONFIG GET timeout\r\n', '*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n');
      await admin.expect('CONFIG SET timeout -1\r\n', "-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive\r\n");
      const idle = await Raw.connect(srv.port);
      const busy = await Raw.connect(srv.port);
      await admin.expect('CONFIG SET timeout 1\r\n', OK);
      const deadline = Date.now() + 3500;
      while (Date.now() < deadline && !idle.closed) {
        await busy.expect('PING\r\n', '+PONG\r\n');
        await admin.expect('PING\r\n', '+PONG\r\n');
        await sleep(200);
      }
      expect(idle.closed).to.equal(true);
      expect(busy.closed).to.equal(false);
      await admin.expect('CONFIG SET timeout 0\r\n', OK);
      busy.socket.destroy();
      admin.socket.destroy();
    });

    it('tcp-keepalive defaults to 300 and takes 0 to turn it off', async () => {
      const admin = await Raw.connect(srv.port);
      await admin.expect('CONFIG GET tcp-keepalive\r\n', '*2\r\n$13\r\ntcp-keepalive\r\n$3\r\n300\r\n');
      await admin.expect('CONFIG SET tcp-keepalive 0\r\n', OK);
      await admin.expect('CONFIG SET tcp-keepalive 60\r\n', OK);
      await admin.expect('CONFIG SET tcp-keepalive -1\r\n', "-ERR CONFIG SET failed (possibly related to argument 'tcp-keepalive') - argument must be between 0 and 2147483647 inclusive\r\n");
      admin.socket.destroy();
    });
  });

  describe('shutdown', () => {
    it('SHUTDOWN from another client: every command already run has its reply delivered', async () => {
      const srv = await startServer();
      const a = await Raw.connect(srv.port);
      const b = await Raw.connect(srv.port);
      const n = 20_000;
      a.send(Buffer.concat(Array.from({ length: n }, () => resp('INCR', 'counter'))));
      await a.read(4); // the server has started on the pipeline
      b.send('SHUTDOWN NOSAVE\r\n');
      const rest = await a.read(10_000_000, 5000);
      expect(a.closed).to.equal(true);
      const replies = (':1\r\n' + rest).split('\r\n').filter((x) => x !== '');
      const ran = Number(srv.server.dbs[0]!.vals[0]!);
      expect(ran).to.be.above(0);
      expect(replies.length).to.equal(ran);
      expect(replies[replies.length - 1]).to.equal(`:${ran}`);
      expect(replies.every((r, i) => r === `:${i + 1}`)).to.equal(true);
      await srv.close();
    });

    it('close() (what SIGTERM and SIGINT call) flushes pending replies before closing', async () => {
      const srv = await startServer();
      const a = await Raw.connect(srv.port);
      a.send(Buffer.concat(Array.from({ length: 5000 }, (_v, i) => resp('SET', `k${i}`, 'v'.repeat(200)))));
      await a.read(5);
      const closing = srv.close();
      const rest = await a.read(10_000_000, 5000);
      await closing;
      const replies = 1 + rest.split('+OK\r\n').length - 1;
      expect(replies).to.equal(srv.server.dbs[0]!.size);
      expect(a.closed).to.equal(true);
    });
  });
});
