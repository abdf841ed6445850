/**
 * Differential glob fuzz: cachette's pattern matcher (src/glob.ts) against a
 * real redis-server 7.0, through every command that matches.
 *
 * Each round loads the same random binary keys into both servers (FLUSHALL,
 * MSET) and subscribes to the same names as channels, then for each random
 * pattern (generators in test/glob/gen.ts) compares, as sets:
 *  - `KEYS pattern`;
 *  - `SCAN 0 MATCH pattern COUNT 1000` (one call covers the round's keys; the
 *    cursor must come back 0 on both);
 *  - `PUBSUB CHANNELS pattern` (which, unlike KEYS and SCAN, has no
 *    shortcut for "*": Redis never matches the empty channel with it).
 * And the case-folding matcher: `CONFIG GET pattern` and `COMMAND LIST
 * FILTERBY PATTERN pattern`, with patterns built from the parameter and
 * command names both servers have, compared on those names.
 *
 * A pattern/key pair is one pattern matched against one key of the round
 * (each pair checked three ways); for the nocase part, against one name.
 * Meanwhile a bystander PINGs cachette (a child process, bin/cachette.js)
 * and the worst PING latency is reported and bounded.
 *
 * Size: GLOB_PAIRS (default 50,000, about a second), GLOB_SEED (default: time).
 * `npm run test:glob -- --pairs 100000 --seed S` runs deeper and prints the time.
 */

import { expect } from 'chai';
import net from 'node:net';
import { startRedis, type RealRedis } from './diff/servers.js';
import { encodeCommand, replyLength } from './diff/conn.js';
import { genKey, genNocasePattern, genPattern, rng } from './glob/gen.js';
import { PingWatch, startChild, type Child } from './costs/child.js';

const PAIRS = Number(process.env['GLOB_PAIRS'] ?? 50_000);
const SEED = process.env['GLOB_SEED'] !== undefined ? Number(process.env['GLOB_SEED']) : (Date.now() & 0x7fffffff);
/** The bystander's worst PING latency allowed while the fuzz runs (generous: the machine is shared). */
const PING_BOUND_MS = 1000;

/** A pipelining RESP connection: send many commands, then read their replies in order. */
class Pipe {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => { /* close follows */ });
  }

  static connect(port: number): Promise<Pipe> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Pipe(s)));
      s.once('error', reject);
    });
  }

  private wake(): void { const w = this.waiter; this.waiter = null; w?.(); }

  send(cmds: readonly (readonly string[])[]): void {
    this.socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
  }

  /** Reads `n` replies (raw bytes each). */
  async replies(n: number, timeoutMs = 60_000): Promise<string[]> {
    const out: string[] = [];
    const deadline = Date.now() + timeoutMs;
    let pos = 0;
    while (out.length < n) {
      const len = replyLength(this.buf, pos);
      if (len !== -1) { out.push(this.buf.latin1Slice(pos, pos + len)); pos += len; continue; }
      this.buf = this.buf.subarray(pos);
      pos = 0;
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n - out.length} replies`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiter = () => { clearTimeout(t); r(); }; });
    }
    this.buf = this.buf.subarray(pos);
    return out;
  }

  async call(cmd: readonly string[]): Promise<string> {
    this.send([cmd]);
    return (await this.replies(1))[0]!;
  }

  close(): void { this.socket.destroy(); }
}

/** The bulk strings of a flat array reply (nested arrays are walked too). */
function bulks(reply: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < reply.length) {
    const t = reply[i];
    const cr = reply.indexOf('\r\n', i);
    if (t === '$') {
      const n = Number(reply.slice(i + 1, cr));
      if (n >= 0) { out.push(reply.slice(cr + 2, cr + 2 + n)); i = cr + 2 + n + 2; } else i = cr + 2;
    } else i = cr + 2;
  }
  return out;
}

const sorted = (a: string[]): string[] => [...a].sort();
const show = (s: string): string => JSON.stringify(s);

interface Side { port: number; main: Pipe; sub: Pipe }

describe(`differential glob fuzz (${PAIRS.toLocaleString('en-US')} pattern/key pairs, seed ${SEED})`, function () {
  this.timeout(0);
  let redis: RealRedis;
  let child: Child;
  let r: Side;
  let c: Side;

  before(async () => {
    redis = await startRedis();
    child = await startChild(['--loglevel', 'warning']);
    const open = async (port: number): Promise<Side> => ({ port, main: await Pipe.connect(port), sub: await Pipe.connect(port) });
    r = await open(redis.port);
    c = await open(child.port);
  });
  after(async () => {
    for (const s of [r, c]) { s?.main.close(); s?.sub.close(); }
    await child?.kill();
    await redis?.stop();
  });

  it('KEYS, SCAN MATCH, PUBSUB CHANNELS, CONFIG GET and COMMAND LIST FILTERBY PATTERN agree with Redis on every pattern; a bystander is answered throughout', async () => {
    const rnd = rng(SEED);
    // The names both servers have, for the case-folding part.
    const names = async (cmd: string[], step: number): Promise<[Set<string>, Set<string>]> => {
      const [a, b] = await Promise.all([r.main.call(cmd), c.main.call(cmd)]);
      const every = (s: string[]): Set<string> => new Set(s.filter((_v, i) => i % step === 0));
      return [every(bulks(a)), every(bulks(b))];
    };
    const [rc, cc] = await names(['CONFIG', 'GET', '*'], 2); // name/value pairs
    const configNames = [...cc].filter((n) => rc.has(n));
    const [rl, cl] = await names(['COMMAND', 'LIST'], 1);
    const commandNames = [...cl].filter((n) => rl.has(n));
    // CONFIG GET replies are name/value pairs: keep the names both servers have.
    const configSet = new Set(configNames);
    const commandSet = new Set(commandNames);
    const configKeysOf = (reply: string): string[] => bulks(reply).filter((_v, i) => i % 2 === 0).filter((n) => configSet.has(n.toLowerCase()));

    const watch = await PingWatch.start(child.port);
    const mismatches: string[] = [];
    let pairs = 0;
    let patterns = 0;
    let nocasePairs = 0;
    let matched = 0;
    let rounds = 0;
    const started = Date.now();
    while (pairs < PAIRS && mismatches.length < 5) {
      rounds++;
      const keySet = new Set<string>();
      const want = 5 + Math.floor(rnd() * 21);
      for (let i = 0; i < want * 2 && keySet.size < want; i++) keySet.add(genKey(rnd));
      const keys = [...keySet];
      const mset = ['MSET', ...keys.flatMap((k) => [k, '1'])];
      for (const s of [r, c]) {
        s.main.send([['FLUSHALL'], mset]);
        s.sub.send([['SUBSCRIBE', ...keys]]);
      }
      for (const s of [r, c]) {
        expect(await s.main.replies(2)).to.deep.equal(['+OK\r\n', '+OK\r\n']);
        await s.sub.replies(keys.length);
      }
      const pats: string[] = [];
      for (let i = 0; i < 40; i++) pats.push(genPattern(rnd, keys));
      const cmds = pats.flatMap((p) => [['KEYS', p], ['SCAN', '0', 'MATCH', p, 'COUNT', '1000'], ['PUBSUB', 'CHANNELS', p]]);
      const nocase = [0, 1, 2, 3].map(() => genNocasePattern(rnd, rnd() < 0.5 ? configNames : commandNames));
      const ncCmds = nocase.flatMap((p) => [['CONFIG', 'GET', p], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', p]]);
      const all = [...cmds, ...ncCmds];
      for (const s of [r, c]) s.main.send(all);
      const [ra, ca] = await Promise.all([r.main.replies(all.length), c.main.replies(all.length)]);
      for (let i = 0; i < pats.length; i++) {
        const p = pats[i]!;
        const [rk, ck] = [sorted(bulks(ra[3 * i]!)), sorted(bulks(ca[3 * i]!))];
        const rs = ra[3 * i + 1]!;
        const cs = ca[3 * i + 1]!;
        const [rch, cch] = [sorted(bulks(ra[3 * i + 2]!)), sorted(bulks(ca[3 * i + 2]!))];
        const scanOk = rs.startsWith('*2\r\n$1\r\n0\r\n') && cs.startsWith('*2\r\n$1\r\n0\r\n') &&
          JSON.stringify(sorted(bulks(rs).slice(1))) === JSON.stringify(sorted(bulks(cs).slice(1)));
        if (JSON.stringify(rk) !== JSON.stringify(ck) || !scanOk || JSON.stringify(rch) !== JSON.stringify(cch)) {
          mismatches.push(`pattern ${show(p)} over keys ${show(JSON.stringify(keys))}\n  KEYS  redis ${show(JSON.stringify(rk))}\n        cachette ${show(JSON.stringify(ck))}\n  SCAN  redis ${show(rs)}\n        cachette ${show(cs)}\n  PUBSUB CHANNELS redis ${show(JSON.stringify(rch))}\n        cachette ${show(JSON.stringify(cch))}`);
        }
        matched += rk.length;
        pairs += keys.length;
        patterns++;
      }
      for (let i = 0; i < nocase.length; i++) {
        const p = nocase[i]!;
        const off = cmds.length + 2 * i;
        const [rg, cg] = [sorted(configKeysOf(ra[off]!)), sorted(configKeysOf(ca[off]!))];
        const [rlist, clist] = [sorted(bulks(ra[off + 1]!).filter((n) => commandSet.has(n))), sorted(bulks(ca[off + 1]!).filter((n) => commandSet.has(n)))];
        if (JSON.stringify(rg) !== JSON.stringify(cg) || JSON.stringify(rlist) !== JSON.stringify(clist)) {
          mismatches.push(`nocase pattern ${show(p)}\n  CONFIG GET   redis ${show(JSON.stringify(rg))}\n               cachette ${show(JSON.stringify(cg))}\n  COMMAND LIST redis ${show(JSON.stringify(rlist))}\n               cachette ${show(JSON.stringify(clist))}`);
        }
        nocasePairs += configNames.length + commandNames.length;
      }
      for (const s of [r, c]) s.sub.send([['UNSUBSCRIBE', ...keys]]);
      await Promise.all([r.sub.replies(keys.length), c.sub.replies(keys.length)]);
    }
    const worst = await watch.stop();
    const secs = (Date.now() - started) / 1000;
    console.log(`      glob fuzz seed ${SEED}: ${pairs.toLocaleString('en-US')} pattern/key pairs (${patterns.toLocaleString('en-US')} patterns over ${rounds} rounds, ${matched.toLocaleString('en-US')} matches), ` +
      `${nocasePairs.toLocaleString('en-US')} nocase pattern/name pairs, ${mismatches.length} differences, ${secs.toFixed(1)} s; bystander: ${watch.pings} PINGs, worst ${worst.toFixed(1)} ms`);
    expect(mismatches, `seed ${SEED}; replay with npm run test:glob -- --pairs ${PAIRS} --seed ${SEED}\n${mismatches.join('\n')}`).to.deep.equal([]);
    expect(watch.wrong).to.equal(0);
    expect(worst, 'worst bystander PING latency (ms)').to.be.below(PING_BOUND_MS);
    expect(matched, 'the patterns match keys, not just nothing').to.be.above(patterns / 10);
  });
});
