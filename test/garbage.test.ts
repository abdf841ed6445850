/**
 * Hostile input smoke test: seeded random bytes and mangled RESP frames on many
 * connections. The server must stay up and keep answering a well-behaved client
 * correctly throughout. (The deeper property-based fuzz suite is separate.)
 */

import { expect } from 'chai';
import { startServer, type ServerHandle } from '../src/index.js';
import { Raw, resp } from './helpers.js';
import { seededRandom } from '../src/random.js';

/** Seeded, so failures replay. */
const rng = seededRandom;

function garbage(rand: () => number): Buffer {
  const kind = Math.floor(rand() * 4);
  const len = 1 + Math.floor(rand() * 300);
  if (kind === 0) return Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)));
  // Valid frames, then cut or corrupted at a random byte.
  const frame = Buffer.concat([resp('SET', 'k' + Math.floor(rand() * 10), 'v'.repeat(len)), resp('GET', 'k1'), Buffer.from('PING\r\n')]);
  if (kind === 1) return frame.subarray(0, Math.floor(rand() * frame.length));
  const b = Buffer.from(frame);
  for (let i = 0; i < 3; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
  if (kind === 2) return b;
  return Buffer.from(`*${Math.floor(rand() * 4) - 1}\r\n$${['-5', '99999999999', 'x', '3'][Math.floor(rand() * 4)]}\r\n"unbalanced 'q\\x4`);
}

describe('hostile input', function () {
  let srv: ServerHandle;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('survives 300 connections of random and mangled bytes; a bystander is unaffected', async () => {
    const rand = rng(20261126);
    const bystander = await Raw.connect(srv.port);
    await bystander.expect('SET safe 42\r\n', '+OK\r\n');
    for (let round = 0; round < 30; round++) {
      const conns = await Promise.all(Array.from({ length: 10 }, () => Raw.connect(srv.port)));
      for (const c of conns) c.send(garbage(rand));
      await new Promise((r) => setTimeout(r, 5));
      for (const c of conns) c.close();
      await bystander.expect('GET safe\r\n', '$2\r\n42\r\n');
    }
    await bystander.expect('PING\r\n', '+PONG\r\n');
    bystander.close();
  });
});
