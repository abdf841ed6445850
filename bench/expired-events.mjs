// How many `expired` events does a subscriber get when 100,000 keys expire
// with nobody touching them? All of them, once each, is the answer to check.
// `node bench/expired-events.mjs [--keys 100000] [--ttl 1000]`, against an
// embedded cachette and a real redis-server in the same run.
import net from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../dist/src/index.js';
import { freePort, parseArgs, sleep } from './lib.mjs';

const args = parseArgs();
const N = Number(args.keys ?? 100000);
const TTL = Number(args.ttl ?? 1000);

function open(port) {
  return new Promise((resolve) => { const s = net.connect(port, '127.0.0.1', () => resolve(s)); });
}

export async function measure(port) {
  const admin = await open(port);
  admin.write('FLUSHALL\r\nCONFIG SET notify-keyspace-events Ex\r\n');
  const sub = await open(port);
  const seen = new Map();
  let buf = '';
  let total = 0;
  sub.on('data', (d) => {
    buf += d.toString('latin1');
    // Frames: *3 $7 message $22 __keyevent@0__:expired $<n> key
    const re = /\*3\r\n\$7\r\nmessage\r\n\$22\r\n__keyevent@0__:expired\r\n\$(\d+)\r\n/y;
    let pos = 0;
    for (;;) {
      re.lastIndex = pos;
      const m = re.exec(buf);
      if (m === null) break;
      const len = Number(m[1]);
      const start = re.lastIndex;
      if (start + len + 2 > buf.length) break;
      const key = buf.slice(start, start + len);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      total++;
      pos = start + len + 2;
    }
    buf = buf.slice(pos);
  });
  sub.write('SUBSCRIBE __keyevent@0__:expired\r\n');
  await sleep(100);
  buf = buf.replace(/^\*3\r\n\$9\r\nsubscribe\r\n\$22\r\n__keyevent@0__:expired\r\n:1\r\n/, '');
  const w = await open(port);
  let bytes = 0; // every reply is "+OK\r\n", 5 bytes
  w.on('data', (d) => { bytes += d.length; });
  for (let i = 0; i < N; i += 1000) {
    let batch = '';
    for (let j = i; j < Math.min(N, i + 1000); j++) batch += `SET key:${j} v PX ${TTL}\r\n`;
    w.write(batch);
  }
  while (bytes < N * 5) await sleep(10);
  const t0 = Date.now();
  while (total < N && Date.now() - t0 < TTL + 60_000) await sleep(50);
  const lastEventMs = Date.now() - t0;
  await sleep(500); // anything late or duplicated would show now
  const dups = [...seen.values()].filter((n) => n > 1).length;
  for (const s of [admin, sub, w]) s.destroy();
  return { events: total, distinct: seen.size, dups, allAfterMs: lastEventMs };
}

const srv = await startServer();
const c = await measure(srv.port);
await srv.close();
const port = await freePort();
const dir = mkdtempSync(path.join(tmpdir(), 'cachette-exp-'));
const child = spawn('redis-server', ['--port', String(port), '--save', '', '--dir', dir], { stdio: 'ignore' });
await sleep(300);
const r = await measure(port);
child.kill('SIGKILL');
console.log(`${N} keys, PX ${TTL}, untouched; one SUBSCRIBE __keyevent@0__:expired subscriber`);
console.log(`cachette: ${c.events} expired events, ${c.distinct} distinct keys, ${c.dups} duplicated; all in ${c.allAfterMs} ms after the last SET`);
console.log(`redis:    ${r.events} expired events, ${r.distinct} distinct keys, ${r.dups} duplicated; all in ${r.allAfterMs} ms after the last SET`);
process.exit(c.events === N && c.distinct === N && c.dups === 0 ? 0 : 1);
