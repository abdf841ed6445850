#!/usr/bin/env node
// Memory per element of the value types: cachette against a real redis-server,
// same keys, same commands, same run (the types' sibling of bench/memory.mjs).
//
// One row per type and encoding: hash (listpack, hashtable), set (intset,
// hashtable), sorted set (listpack, skiplist), list (short, long), stream
// (one field per entry, three fields per entry). Each row
// loads about --elements elements (default 1,000,000) as keys of `perKey`
// elements each, through the real commands (HSET, SADD, ZADD, RPUSH, at most
// 100 elements per command, as an application would add them) over one
// pipelined connection, into a fresh server of each kind, then reports bytes
// per element (the key's own cost is shared among its elements):
//   - Redis: growth of used_memory and of used_memory_rss (INFO memory);
//   - cachette: growth of the V8 heap in use (+ ArrayBuffers) and of the process
//     RSS after two forced GCs (cachette runs in this process so the GC can be
//     forced; the baseline is taken after a warm-up key was written and
//     deleted, so compiled code and connection buffers are not counted), and
//     the growth of its deterministic account (used_memory_dataset), to check
//     the account against the real heap. cachette's RSS also holds V8's young
//     generation and allocator slack, which a small run does not amortise.
// OBJECT ENCODING of the first and last key is checked on both servers: a row
// whose encodings differ from its label is flagged, not hidden.
// Elements: hash fields "field:0000000123" with 16-byte values, set and zset
// members and list elements of 16 bytes, intset members below 2^31 (int32),
// zset scores 13-digit millisecond timestamps (as rate limiters and job queues
// use), stream entries added by one XADD each with explicit IDs (an event log:
// "event" -> 16 bytes, or user/action/ts with a 13-digit timestamp). A row whose command cachette does not know yet is skipped with a note.
//
// `npm run bench:memory` runs it after bench/memory.mjs's strings (passing
// --elements and --rows on); alone:
//   npm run build && node bench/memory-types.mjs [--elements 1000000] [--rows hash-listpack,list-long]
// (each row runs in its own child process; --child <row> marks one)
//
// Not a timing benchmark: memory sizes do not depend on machine load.

import { freePort, parseArgs, root, sleep, writeResult } from './lib.mjs';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = parseArgs();
const ELEMENTS = Number(args.elements ?? 1000000);
const CHUNK = 100; // elements per command

const pad14 = (n) => String(n).padStart(14, '0');
let serial = 0;
/** Each row: id, type, encoding OBJECT ENCODING must report, elements per key, command, args for elements [from, to) of key k. */
const ROWS = [
  { id: 'hash-listpack', type: 'hash', encoding: 'listpack', perKey: 8, cmd: 'HSET',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push('field:' + String(i).padStart(10, '0'), 'v:' + pad14(serial++)); return a; } },
  { id: 'hash-hashtable', type: 'hash', encoding: 'hashtable', perKey: 1000, cmd: 'HSET',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push('field:' + String(i).padStart(10, '0'), 'v:' + pad14(serial++)); return a; } },
  { id: 'set-intset', type: 'set', encoding: 'intset', perKey: 100, cmd: 'SADD',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push(String(100000 + serial++)); return a; } },
  { id: 'set-hashtable', type: 'set', encoding: 'hashtable', perKey: 1000, cmd: 'SADD',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push('m:' + pad14(serial++)); return a; } },
  { id: 'zset-listpack', type: 'zset', encoding: 'listpack', perKey: 64, cmd: 'ZADD',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) { a.push(String(1700000000000 + serial * 37), 'm:' + pad14(serial)); serial++; } return a; } },
  { id: 'zset-skiplist', type: 'zset', encoding: 'skiplist', perKey: 1000, cmd: 'ZADD',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) { a.push(String(1700000000000 + serial * 37), 'm:' + pad14(serial)); serial++; } return a; } },
  { id: 'list-short', type: 'list', encoding: 'quicklist', perKey: 100, cmd: 'RPUSH',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push('e:' + pad14(serial++)); return a; } },
  { id: 'list-long', type: 'list', encoding: 'quicklist', perKey: 10000, cmd: 'RPUSH',
    args: (from, to) => { const a = []; for (let i = from; i < to; i++) a.push('e:' + pad14(serial++)); return a; } },
  // Streams: one entry per XADD (chunk 1), IDs <n>-1 increasing per key.
  { id: 'stream-1field', type: 'stream', encoding: 'stream', perKey: 10000, cmd: 'XADD', chunk: 1,
    args: (from) => [`${from + 1}-1`, 'event', 'e:' + pad14(serial++)] },
  { id: 'stream-3fields', type: 'stream', encoding: 'stream', perKey: 10000, cmd: 'XADD', chunk: 1,
    args: (from) => { const n = serial++; return [`${from + 1}-1`, 'user', 'u:' + String(n % 5000).padStart(6, '0'), 'action', n % 3 === 0 ? 'login' : 'view', 'ts', String(1700000000000 + n * 37)]; } },
];

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function resp(argv) {
  let out = `*${argv.length}\r\n`;
  for (const a of argv) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

/** Sends one command on a fresh connection; returns its reply: a bulk's body, or a simple/error/integer line. */
async function request(port, argv) {
  const s = await connect(port);
  let buf = '';
  return new Promise((resolve) => {
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const nl = buf.indexOf('\r\n');
      if (nl < 0) return;
      if (buf[0] !== '$') { s.destroy(); resolve(buf.slice(0, nl)); return; }
      const len = Number(buf.slice(1, nl));
      if (len < 0) { s.destroy(); resolve(null); return; }
      if (buf.length >= nl + 2 + len + 2) { s.destroy(); resolve(buf.slice(nl + 2, nl + 2 + len)); }
    });
    s.write(resp(argv), 'latin1');
  });
}

async function infoField(port, field) {
  const body = await request(port, ['INFO', 'memory']);
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(body)[1]);
}

const keyName = (k) => 'k:' + pad14(k);

/**
 * Loads `keys` keys of row.perKey elements each, CHUNK elements per command,
 * pipelined in batches of about 20,000 elements. Every reply is one line
 * (integers), or two for XADD's bulk ID, so replies are counted by line
 * ends; an error reply aborts.
 */
async function load(port, row, keys) {
  serial = 0;
  const s = await connect(port);
  let pending = 0;
  let waiter = null;
  let atLineStart = true;
  let errors = 0;
  s.on('data', (d) => {
    for (let i = 0; i < d.length; i++) {
      const c = d[i];
      if (atLineStart && c === 45 /* - */) errors++;
      atLineStart = c === 10;
      if (c === 10) pending--;
    }
    if (pending === 0 && waiter) { const w = waiter; waiter = null; w(); }
  });
  let req = '';
  let inBatch = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    pending += inBatch * (row.cmd === 'XADD' ? 2 : 1);
    const out = req;
    req = ''; inBatch = 0;
    await new Promise((resolve) => { waiter = resolve; s.write(out, 'latin1'); });
    if (errors > 0) throw new Error(`${row.id}: ${errors} error replies while loading`);
  };
  let elems = 0;
  const chunk = row.chunk ?? CHUNK;
  for (let k = 0; k < keys; k++) {
    for (let from = 0; from < row.perKey; from += chunk) {
      const to = Math.min(row.perKey, from + chunk);
      req += resp([row.cmd, keyName(k), ...row.args(from, to)]);
      inBatch++;
      elems += to - from;
      if (elems >= 20000) { await flush(); elems = 0; }
    }
  }
  await flush();
  s.destroy();
}

/** OBJECT ENCODING of the first and last key, as "enc" or "enc/enc" when they differ. */
async function encodings(port, keys) {
  const a = await request(port, ['OBJECT', 'ENCODING', keyName(0)]);
  const b = await request(port, ['OBJECT', 'ENCODING', keyName(keys - 1)]);
  return a === b ? a : `${a}/${b}`;
}

function gcNow() { global.gc(); global.gc(); }

if (args.child === undefined) {
  const wanted = args.rows ? String(args.rows).split(',') : ROWS.map((r) => r.id);
  const results = [];
  const t0 = Date.now();
  for (const id of wanted) {
    if (!ROWS.some((r) => r.id === id)) { console.error(`unknown row ${id}`); process.exit(1); }
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', id, '--elements', String(ELEMENTS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim().split('\n').pop());
    if (r.skipped) console.error(`note: ${id} skipped: ${r.skipped}`);
    results.push(r);
  }
  report(results, (Date.now() - t0) / 1000);
  process.exit(0);
}

// One row, in a fresh process (a heap grown by an earlier row cannot make a later one look cheaper).
if (typeof global.gc !== 'function') { console.error('run with node --expose-gc'); process.exit(1); }
const { startServer } = await import(path.join(root, 'dist/src/index.js'));
const row = ROWS.find((r) => r.id === args.child);
const keys = Math.max(1, Math.round(ELEMENTS / row.perKey));
const elements = keys * row.perKey;
const base = { id: row.id, type: row.type, encoding: row.encoding, perKey: row.perKey, keys, elements };

// cachette first: a command it does not know yet skips the row (before starting Redis).
const srv = await startServer();
const probe = await request(srv.port, [row.cmd]);
if (/^-ERR unknown command/.test(probe)) {
  await srv.close();
  console.log(JSON.stringify({ ...base, skipped: `cachette: ${probe.slice(1).replace(/, with args.*/, '')}` }));
  process.exit(0);
}
// Warm-up (the command's code compiled, the connection's buffers met once), then the baseline.
await request(srv.port, [row.cmd, 'warm', ...row.args(0, Math.min(row.perKey, row.chunk ?? CHUNK))]);
await request(srv.port, ['DEL', 'warm']);
gcNow();
await new Promise((r) => setTimeout(r, 200));
gcNow();
const m0 = process.memoryUsage();
const a0 = srv.server.datasetBytes();
await load(srv.port, row, keys);
const cEnc = await encodings(srv.port, keys);
gcNow();
await new Promise((r) => setTimeout(r, 200));
gcNow();
const m1 = process.memoryUsage();
const a1 = srv.server.datasetBytes();
await srv.close();

// Real Redis.
const rport = await freePort();
const redis = spawn('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { (await connect(rport)).destroy(); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
// used_memory_rss is sampled by Redis's cron (every 100 ms): let it run before each reading.
await sleep(300);
const rUsed0 = await infoField(rport, 'used_memory');
const rRss0 = await infoField(rport, 'used_memory_rss');
await load(rport, row, keys);
const rEnc = await encodings(rport, keys);
await sleep(300);
const rUsed1 = await infoField(rport, 'used_memory');
const rRss1 = await infoField(rport, 'used_memory_rss');
redis.kill('SIGKILL');

console.log(JSON.stringify({
  ...base, redisEncoding: rEnc, cachetteEncoding: cEnc,
  redisUsed: (rUsed1 - rUsed0) / elements,
  redisRss: (rRss1 - rRss0) / elements,
  cachetteHeap: (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / elements,
  cachetteRss: (m1.rss - m0.rss) / elements,
  account: (a1 - a0) / elements,
}));
process.exit(0);

function report(results, seconds) {
  const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ')[2];
  const lines = [
    `Bytes per element (the key's own cost shared among its elements), about ${ELEMENTS.toLocaleString('en-US')} elements per row, loaded by HSET/SADD/ZADD/RPUSH (<= ${CHUNK} elements per command) and XADD (one entry per command); Redis ${version}, node ${process.version}; ${seconds.toFixed(0)} s.`,
    'Elements: 16-byte hash fields and 16-byte values (a hash element is a field-value pair), 16-byte set/zset members and list elements, intset members below 2^31, zset scores 13-digit integers; a stream element is an entry (1 field of 16 bytes, or user/action/ts).',
    '',
    '| Type | Encoding (Redis / cachette) | Elements per key | Keys | Redis used_memory | Redis RSS | cachette heap | cachette RSS | heap / Redis used_memory | cachette account | account / heap |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const notes = [];
  for (const r of results) {
    const label = `| ${r.type} | `;
    if (r.skipped) {
      lines.push(`${label}${r.encoding} | ${r.perKey.toLocaleString('en-US')} | ${r.keys.toLocaleString('en-US')} | skipped: ${r.skipped} | | | | | | |`);
      continue;
    }
    const ok = r.redisEncoding === r.encoding && r.cachetteEncoding === r.encoding;
    if (!ok) notes.push(`**${r.id}: encodings differ from the row's label (${r.encoding}): Redis ${r.redisEncoding}, cachette ${r.cachetteEncoding}.**`);
    const enc = r.redisEncoding === r.cachetteEncoding ? r.redisEncoding : `${r.redisEncoding} / ${r.cachetteEncoding}`;
    lines.push(`${label}${enc}${ok ? '' : ' (!)'} | ${r.perKey.toLocaleString('en-US')} | ${r.keys.toLocaleString('en-US')} | ${r.redisUsed.toFixed(1)} | ${r.redisRss.toFixed(1)} | ${r.cachetteHeap.toFixed(1)} | ${r.cachetteRss.toFixed(1)} | **${(r.cachetteHeap / r.redisUsed).toFixed(2)}×** | ${r.account.toFixed(1)} | ${(100 * (r.account / r.cachetteHeap - 1)).toFixed(1)} % |`);
  }
  const table = [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
  console.log(table);
  writeResult('memory-types', table);
}
