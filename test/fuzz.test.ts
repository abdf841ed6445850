/**
 * Protocol fuzzing against a real redis-server (see test/fuzz/fuzz.ts).
 *
 * `npm test` runs FUZZ_FRAMES (default 3,000) frames; `npm run test:fuzz --
 * --frames 1000000 --seed 7` runs more. Asserts, for every session: cachette's
 * reply bytes equal Redis's and it closes (or keeps waiting) exactly when
 * Redis does; cachette logs no internal error; and a bystander client on
 * cachette gets every one of its replies right throughout.
 */

import { expect } from 'chai';
import fc from 'fast-check';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, type RealRedis } from './diff/servers.js';
import { RespConn } from './diff/conn.js';
import { frameCount, play, sessionArb, sessionBytes, type Outcome } from './fuzz/fuzz.js';
import { Raw, resp } from './helpers.js';

const FRAMES = Number(process.env['FUZZ_FRAMES'] ?? 3000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261126);
const PARALLEL = Number(process.env["FUZZ_PARALLEL"] ?? 4);

const show = (s: string): string => JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s);
/** Both outputs from a little before their first difference. */
function showDiff(a: string, b: string): [string, string] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  const cut = (s: string): string => (from > 0 ? '…' : '') + JSON.stringify(s.slice(from, from + 240)) + ` (${s.length} bytes)`;
  return [cut(a), cut(b)];
}
/**
 * Replies that differ between any two servers by design: the connection id
 * in HELLO's map (a fuzzed line can spell "hello"). Normalised before comparing.
 */
const normalise = (s: string): string => s.replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n');

/** Lower-case names of the commands Redis has and cachette has not (COMMAND LIST on both). */
async function commandsOnlyInRedis(redisPort: number, cachettePort: number): Promise<string[]> {
  const list = async (port: number): Promise<Set<string>> => {
    const c = await RespConn.connect(port);
    const reply = await c.call(['COMMAND', 'LIST']);
    c.close();
    return new Set([...reply.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]!.toLowerCase()));
  };
  const [r, c] = await Promise.all([list(redisPort), list(cachettePort)]);
  return [...r].filter((n) => !c.has(n));
}

describe(`protocol fuzz (${FRAMES.toLocaleString('en-US')} frames, seed ${SEED})`, function () {
  this.timeout(0);
  let redis: RealRedis;
  // cachette runs in its own process, like Redis: the fuzzer's event loop must
  // not delay the server's, and a crash must show as an exit.
  let child: ChildProcess;
  let exited: number | null = null;
  let log = '';
  const srv = { port: 0 };
  const internalErrors = (): string[] => log.split('\n').filter((l) => /internal error|Error in command/.test(l));

  before(async () => {
    redis = await startRedis();
    srv.port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    });
    const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'cachette.js');
    child = spawn(process.execPath, [bin, '--port', String(srv.port), '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    child.on('exit', (code) => { exited = code ?? -1; });
    for (let i = 0; i < 100; i++) {
      try { (await Raw.connect(srv.port)).socket.destroy(); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
    }
  });
  after(async () => {
    if (exited === null) { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); }
    await redis.stop();
  });

  it('cachette answers malformed and valid frames byte for byte like Redis; a bystander is never disturbed', async () => {
    // The bystander: SET/GET/INCR with checked replies, until the fuzzing ends.
    const by = await Raw.connect(srv.port);
    let byOps = 0;
    let byWrong = 0;
    let fuzzing = true;
    const bystander = (async () => {
      for (let i = 0; fuzzing; i++) {
        const v = `value-${i}`;
        by.send(Buffer.concat([resp('SET', `bystander:${i % 100}`, v), resp('GET', `bystander:${i % 100}`), resp('INCR', 'bystander:n')]));
        const want = `+OK\r\n$${v.length}\r\n${v}\r\n:${i + 1}\r\n`;
        const got = await by.read(want.length, 5000);
        byOps += 3;
        if (got !== want) { byWrong++; break; }
        // Paced, so that it never starves the two servers of CPU (this
        // machine has 2 cores; a late reply would look like a missing one).
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    let frames = 0;
    let sessions = 0;
    const mismatches: string[] = [];
    let retried = 0;
    let unimplemented = 0;
    const lacking = await commandsOnlyInRedis(redis.port, srv.port);
    const gen = fc.sample(sessionArb, { seed: SEED, numRuns: Math.ceil(FRAMES / 2) + 10 });
    let next = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (frames < FRAMES && next < gen.length && mismatches.length < 5) {
        const s = gen[next]!;
        const id = next++;
        frames += frameCount(s);
        // A session's outcome is judged on up to 3 attempts, each with fresh
        // keys (same width, so bulk lengths are equal) and a longer quiet
        // period: on this 2-core machine either server can be descheduled for
        // longer than the quiet period, or a close with unread input can race
        // the last reply (TCP RST). A real divergence is deterministic and
        // shows on every attempt; a capture artefact does not. First-attempt
        // mismatches are counted and reported.
        let last = '';
        let lastOut = '';
        let ok = false;
        for (let attempt = 0; attempt < 3 && !ok; attempt++) {
          const bytes = sessionBytes(s, `s${id}r${attempt}:`);
          const quiet = [40, 300, 1000][attempt]!;
          const [r, c]: Outcome[] = await Promise.all([play(redis.port, bytes, s.cuts, quiet, 10_000), play(srv.port, bytes, s.cuts, quiet, 10_000)]);
          ok = normalise(r.out) === normalise(c.out) && r.closed === c.closed;
          if (!ok) {
            if (attempt === 0) retried++;
            if (process.env['FUZZ_LOG']) appendFileSync(process.env['FUZZ_LOG'], `attempt ${attempt} session ${id}\n  redis:    ${showDiff(normalise(r.out), normalise(c.out))[0]} closed=${r.closed}\n  cachette: ${showDiff(normalise(r.out), normalise(c.out))[1]} closed=${c.closed}\n`);
            lastOut = c.out;
            const [rd, cd] = showDiff(normalise(r.out), normalise(c.out));
            last = `session ${id}: sent ${show(bytes.toString('latin1'))} cut at ${JSON.stringify(s.cuts)}\n  redis:    ${rd} closed=${r.closed}\n  cachette: ${cd} closed=${c.closed}`;
          }
        }
        sessions++;
        if (!ok && lacking.some((name) => lastOut.toLowerCase().includes(`unknown command '${name}'`))) {
          // Random bytes spelled a Redis command cachette does not have yet
          // (HGET, HSET...): a known difference, not a protocol one.
          unimplemented++;
          ok = true;
        }
        if (!ok) mismatches.push(last);
        if (sessions % 2000 === 0) process.stderr.write(`  fuzz: ${sessions} sessions, ${frames} frames, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    fuzzing = false;
    await bystander;
    by.socket.destroy();
    const secs = (Date.now() - started) / 1000;
    process.stderr.write(`  fuzz: ${frames} frames in ${sessions} sessions, ${secs.toFixed(1)} s; ${retried} sessions needed a second capture, ${mismatches.length} diverged on every attempt, ${unimplemented} skipped for a command cachette lacks; bystander ${byOps} replies, ${byWrong} wrong; internal errors ${internalErrors().length}; server ${exited === null ? 'running' : 'EXITED ' + exited}\n`);
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    expect(internalErrors()).to.deep.equal([]);
    expect(exited).to.equal(null);
    expect(byWrong).to.equal(0);
    expect(byOps).to.be.above(0);
    expect(frames).to.be.at.least(Math.min(FRAMES, 1));
    // The server is still up and answering.
    const probe = await Raw.connect(srv.port);
    await probe.expect('PING\r\n', '+PONG\r\n');
    probe.socket.destroy();
  });
});
