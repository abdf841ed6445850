/**
 * @socket.io/redis-adapter: two socket.io servers (two HTTP servers on port
 * 0) joined through Redis, each with a client connected to it. A broadcast,
 * a room broadcast and a server-to-server fetchSockets() cross from one to
 * the other, with the classic adapter (PUBLISH, PSUBSCRIBE/SUBSCRIBE,
 * PUBSUB NUMSUB) and with the sharded one (SPUBLISH, SSUBSCRIBE, PUBSUB
 * SHARDNUMSUB), both on node-redis clients.
 */

import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { onBoth, until } from './harness.js';

const redisClient = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof redisClient>;

interface Node { io: Server; http: http.Server; port: number; pub: RedisClient; sub: RedisClient }

async function startNode(url: string, sharded: boolean): Promise<Node> {
  const pub = redisClient(url);
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter: sharded ? createShardedAdapter(pub, sub) : createAdapter(pub, sub, { requestsTimeout: 2000 }),
  });
  io.on('connection', (socket) => {
    socket.on('join', (room: string, ack: () => void) => { void socket.join(room); ack(); });
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  return { io, http: httpServer, port: (httpServer.address() as AddressInfo).port, pub, sub };
}

async function stopNode(n: Node): Promise<void> {
  await new Promise<void>((r) => n.io.close(() => r()));
  await Promise.all([n.pub.close(), n.sub.close()]);
}

function client(port: number): Promise<Socket> {
  const s = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

onBoth('@socket.io/redis-adapter', (t) => {
  for (const sharded of [false, true]) {
    describe(sharded ? 'sharded adapter (SPUBLISH / SSUBSCRIBE)' : 'classic adapter (PUBLISH / SUBSCRIBE)', () => {
      let a: Node;
      let b: Node;
      let ca: Socket;
      let cb: Socket;
      let admin: RedisClient;

      before(async () => {
        admin = redisClient(t.url);
        await admin.connect();
        a = await startNode(t.url, sharded);
        b = await startNode(t.url, sharded);
        ca = await client(a.port);
        cb = await client(b.port);
      });
      after(async () => {
        ca.disconnect();
        cb.disconnect();
        await stopNode(a);
        await stopNode(b);
        await admin.close();
      });

      it('a broadcast from one server reaches the clients of both', async () => {
        const got: string[] = [];
        ca.on('news', (m: string) => got.push(`a:${m}`));
        cb.on('news', (m: string) => got.push(`b:${m}`));
        a.io.emit('news', 'from A');
        b.io.emit('news', 'from B');
        await until(() => got.length === 4, 'both clients got both broadcasts', 5000);
        expect(got.filter((g) => g.startsWith('a:')).sort()).to.deep.equal(['a:from A', 'a:from B']);
        expect(got.filter((g) => g.startsWith('b:')).sort()).to.deep.equal(['b:from A', 'b:from B']);
      });

      it('a room broadcast from the other server reaches only the room', async () => {
        await ca.emitWithAck('join', 'room-1');
        const got: string[] = [];
        ca.on('room', (m: string) => got.push(`a:${m}`));
        cb.on('room', (m: string) => got.push(`b:${m}`));
        b.io.to('room-1').emit('room', 'hello room');
        // A marker broadcast sent after it proves that nothing else is on its way to B's client.
        const marker = new Promise<void>((r) => cb.once('marker', () => r()));
        b.io.emit('marker');
        await marker;
        await until(() => got.length >= 1, 'the room member got the message', 5000);
        expect(got).to.deep.equal(['a:hello room']);
      });

      it('fetchSockets() and serverSideEmit() see the other server', async () => {
        // serverCount() asks Redis how many servers listen (PUBSUB NUMSUB / SHARDNUMSUB).
        const sockets = await a.io.fetchSockets();
        expect(sockets.map((s) => s.id).sort()).to.deep.equal([ca.id, cb.id].sort());
        const inRoom = await b.io.in('room-1').fetchSockets();
        expect(inRoom.map((s) => s.id)).to.deep.equal([ca.id]);
        const heard = new Promise<string>((r) => b.io.on('ping-servers', (m: string) => r(m)));
        a.io.serverSideEmit('ping-servers', 'from A');
        expect(await heard).to.equal('from A');
        // What the adapter asked Redis, asked directly: two servers listen on the request channel.
        const reply = sharded
          ? await admin.sendCommand(['PUBSUB', 'SHARDNUMSUB', 'socket.io#/#'])
          : await admin.sendCommand(['PUBSUB', 'NUMSUB', 'socket.io-request#/#']);
        expect(reply).to.deep.equal([sharded ? 'socket.io#/#' : 'socket.io-request#/#', 2]);
      });
    });
  }
});
