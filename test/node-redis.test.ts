/**
 * node-redis 6 against cachette: RESP3 (node-redis's default, HELLO 3) and
 * RESP2 (`RESP: 2`, no HELLO).
 *
 * Every expectation here was checked against a real redis-server 7.0.15.
 */

import { expect } from 'chai';
import { createClient, ErrorReply } from 'redis';
import { startServer, type ServerHandle } from '../src/index.js';
import { rejection } from './helpers.js';

type Client = ReturnType<typeof createClient>;

async function expectErrorReply(p: Promise<unknown>, message: string): Promise<void> {
  const err = await rejection(p);
  expect(err).to.be.instanceOf(ErrorReply);
  expect(err.message).to.equal(message);
}

describe('node-redis 6', function () {
  let srv: ServerHandle;
  const clients: Client[] = [];

  before(async function () {
    srv = await startServer({ port: 0 });
  });

  after(async function () {
    for (const c of clients) if (c.isOpen) c.destroy();
    await srv.close();
  });

  /** Creates and connects a client; connection errors fail the test that made it. */
  async function open(resp: 2 | 3 | undefined, extra: Record<string, unknown> = {}): Promise<Client> {
    const opts = resp === undefined ? { url: srv.url, ...extra } : { url: srv.url, RESP: resp, ...extra };
    const c = createClient(opts as Parameters<typeof createClient>[0]) as Client;
    c.on('error', () => {});
    clients.push(c);
    await c.connect();
    return c;
  }

  for (const resp of [undefined, 2] as const) {
    const proto = resp ?? 3;
    describe(resp === undefined ? 'default protocol (RESP3)' : 'RESP: 2', function () {
      let client: Client;

      before(async function () {
        client = await open(resp);
      });

      beforeEach(async function () {
        await client.flushAll();
      });

      it('connects and speaks the expected protocol', async function () {
        expect(client.isOpen).to.equal(true);
        expect(client.isReady).to.equal(true);
        expect(await client.ping()).to.equal('PONG');
        const id = await client.clientId();
        expect(id).to.be.a('number');
        expect(srv.server.clients.get(id)!.resp).to.equal(proto);
        const info = await client.clientInfo();
        expect(info.id).to.equal(id);
        expect(info.resp).to.equal(proto);
        // HELLO with no argument reports the connection's protocol.
        const hello = await client.sendCommand(['HELLO']);
        const fields = hello instanceof Map ? Object.fromEntries(hello) : Array.isArray(hello) ? pairsOf(hello) : hello;
        expect(fields).to.include({ server: 'redis', version: '7.0.15', proto, id, mode: 'standalone', role: 'master' });
      });

      it('SET / GET, with options', async function () {
        expect(await client.set('k', 'v')).to.equal('OK');
        expect(await client.get('k')).to.equal('v');
        expect(await client.get('missing')).to.equal(null);
        expect(await client.set('k', 'v2', { GET: true })).to.equal('v');
        expect(await client.set('k', 'x', { condition: 'NX' })).to.equal(null);
        expect(await client.set('k2', 'x', { condition: 'XX' })).to.equal(null);
        expect(await client.set('k', 'v3', { expiration: { type: 'EX', value: 100 } })).to.equal('OK');
        expect(await client.ttl('k')).to.be.within(99, 100);
        expect(await client.set('k', 'v4', { expiration: 'KEEPTTL' })).to.equal('OK');
        expect(await client.ttl('k')).to.be.within(99, 100);
        expect(await client.get('k')).to.equal('v4');
        const bin = Buffer.from([0, 1, 2, 0xfe, 0xff, 13, 10]);
        await client.set('bin', bin);
        expect(await client.withTypeMapping({ 36: Buffer }).get('bin')).to.deep.equal(bin);
      });

      it('mGet returns null for missing keys', async function () {
        expect(await client.mSet({ a: '1', b: '2' })).to.equal('OK');
        expect(await client.mGet(['a', 'missing', 'b', 'also-missing'])).to.deep.equal(['1', null, '2', null]);
        expect(await client.mGet(['nope'])).to.deep.equal([null]);
      });

      it('INCR / INCRBY / DECR and their errors', async function () {
        expect(await client.incr('n')).to.equal(1);
        expect(await client.incrBy('n', 41)).to.equal(42);
        expect(await client.decr('n')).to.equal(41);
        expect(await client.incrByFloat('n', 0.5)).to.equal('41.5');
        await client.set('s', 'abc');
        await expectErrorReply(client.incr('s'), 'ERR value is not an integer or out of range');
        await expectErrorReply(client.incrByFloat('s', 1), 'ERR value is not a valid float');
        await expectErrorReply(client.sendCommand(['SET', 'k', 'v', 'BOGUS']), 'ERR syntax error');
      });

      it('EXPIRE / TTL / PTTL / PERSIST', async function () {
        await client.set('k', 'v');
        expect(await client.ttl('k')).to.equal(-1);
        expect(await client.ttl('missing')).to.equal(-2);
        expect(await client.expire('k', 100)).to.equal(1);
        expect(await client.ttl('k')).to.be.within(99, 100);
        expect(await client.pTTL('k')).to.be.within(99000, 100000);
        expect(await client.expire('missing', 100)).to.equal(0);
        expect(await client.expire('k', 50, 'NX')).to.equal(0);
        expect(await client.expire('k', 50, 'XX')).to.equal(1);
        expect(await client.ttl('k')).to.be.within(49, 50);
        expect(await client.persist('k')).to.equal(1);
        expect(await client.ttl('k')).to.equal(-1);
        expect(await client.pExpireAt('k', 1)).to.equal(1);
        expect(await client.exists('k')).to.equal(0);
      });

      it('pipelines many commands issued together (Promise.all) and keeps their order', async function () {
        const n = 500;
        const sets = await Promise.all(Array.from({ length: n }, (_, i) => client.set(`p:${i}`, `v${i}`)));
        expect(sets).to.deep.equal(new Array(n).fill('OK'));
        const mixed = await Promise.all([
          client.get('p:0'),
          client.incr('ctr'),
          client.get('p:499'),
          client.incr('ctr'),
          client.get('nope'),
          client.dbSize(),
          client.exists(['p:1', 'p:2', 'nope']),
          client.incr('p:3').catch((e: Error) => e),
          client.del(['p:4', 'p:5']),
          client.incr('ctr'),
        ]);
        expect(mixed.slice(0, 7)).to.deep.equal(['v0', 1, 'v499', 2, null, n + 1, 2]);
        expect(mixed[7]).to.be.instanceOf(ErrorReply);
        expect((mixed[7] as Error).message).to.equal('ERR value is not an integer or out of range');
        expect(mixed.slice(8)).to.deep.equal([2, 3]);
        const gets = await Promise.all(Array.from({ length: n }, (_, i) => client.get(`p:${i}`)));
        gets.forEach((v, i) => expect(v).to.equal(i === 4 || i === 5 ? null : `v${i}`));
        // The same batch through the explicit pipeline API (no MULTI/EXEC).
        const replies = await client.multi().set('x', '1').incr('x').get('x').execAsPipeline();
        expect(replies).to.deep.equal(['OK', 2, '2']);
      });

      it('sendCommand sends a raw command', async function () {
        expect(await client.sendCommand(['SET', 'raw', 'value'])).to.equal('OK');
        expect(await client.sendCommand(['GET', 'raw'])).to.equal('value');
        expect(await client.sendCommand(['GET', 'raw-missing'])).to.equal(null);
        expect(await client.sendCommand(['APPEND', 'raw', '!'])).to.equal(6);
        expect(await client.sendCommand(['MGET', 'raw', 'raw-missing'])).to.deep.equal(['value!', null]);
        expect(await client.sendCommand(['ECHO', 'héllo'])).to.equal('héllo');
        const cfg = await client.sendCommand(['CONFIG', 'GET', 'maxmemory']);
        if (proto === 3) {
          // A RESP3 map; node-redis maps it to an object by default.
          const obj = cfg instanceof Map ? Object.fromEntries(cfg) : cfg;
          expect(obj).to.deep.equal({ maxmemory: '0' });
        } else {
          expect(cfg).to.deep.equal(['maxmemory', '0']);
        }
        await expectErrorReply(
          client.sendCommand(['NOSUCHCMD', 'x']),
          "ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' ",
        );
        await expectErrorReply(client.sendCommand(['GET']), "ERR wrong number of arguments for 'get' command");
      });

      it('SELECT via the database option isolates keys', async function () {
        const db5 = await open(resp, { database: 5 });
        await client.set('where', 'db0');
        await db5.set('where', 'db5');
        expect(await client.get('where')).to.equal('db0');
        expect(await db5.get('where')).to.equal('db5');
        expect(await db5.dbSize()).to.equal(1);
        await db5.close();
      });

      it('quit() and close() end the connection cleanly', async function () {
        const a = await open(resp);
        const b = await open(resp);
        const idA = await a.clientId();
        const idB = await b.clientId();
        expect(srv.server.clients.has(idA)).to.equal(true);
        expect(await a.quit()).to.equal('OK');
        expect(a.isOpen).to.equal(false);
        await b.set('before-close', '1');
        await b.close();
        expect(b.isOpen).to.equal(false);
        // The server lets go of both connections.
        for (let i = 0; i < 50 && (srv.server.clients.has(idA) || srv.server.clients.has(idB)); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(srv.server.clients.has(idA)).to.equal(false);
        expect(srv.server.clients.has(idB)).to.equal(false);
        // The write before close() landed.
        expect(await client.get('before-close')).to.equal('1');
      });
    });
  }

  describe('requirepass', function () {
    let authSrv: ServerHandle;
    const authClients: Client[] = [];

    before(async function () {
      authSrv = await startServer({ port: 0, requirepass: 'pw' });
    });

    after(async function () {
      for (const c of authClients) if (c.isOpen) c.destroy();
      await authSrv.close();
    });

    for (const resp of [3, 2] as const) {
      it(`RESP${resp}: connects with the password; a wrong one is WRONGPASS`, async function () {
        const good = createClient({ url: authSrv.url, RESP: resp, password: 'pw' });
        good.on('error', () => {});
        authClients.push(good as Client);
        await good.connect();
        expect(await good.set('k', 'v')).to.equal('OK');
        expect(await good.get('k')).to.equal('v');
        await good.close();

        const bad = createClient({ url: authSrv.url, RESP: resp, password: 'nope', socket: { reconnectStrategy: false } });
        bad.on('error', () => {});
        authClients.push(bad as Client);
        const err = await rejection(bad.connect());
        expect(err).to.be.instanceOf(ErrorReply);
        expect(err.message).to.equal('WRONGPASS invalid username-password pair or user is disabled.');
      });
    }

    it('RESP2 without a password: commands fail with NOAUTH', async function () {
      const c = createClient({ url: authSrv.url, RESP: 2 });
      c.on('error', () => {});
      authClients.push(c as Client);
      await c.connect();
      await expectErrorReply(c.get('k'), 'NOAUTH Authentication required.');
      expect(await c.sendCommand(['AUTH', 'pw'])).to.equal('OK');
      expect(await c.get('k')).to.equal('v');
      await c.close();
    });
  });
});

function pairsOf(a: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < a.length; i += 2) o[String(a[i])] = a[i + 1];
  return o;
}
