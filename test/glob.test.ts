/**
 * The glob matcher (src/glob.ts) on fixed edge cases, each checked on a real
 * redis-server 7.0 and on cachette in the same test (the expected results
 * were recorded from Redis 7.0.15 and are asserted on both, so a drift of
 * either shows): unterminated classes, escapes at the end, `[^`, reversed and
 * signed ranges, `\` inside classes, NUL and high bytes, and the case-folding
 * rules of CONFIG GET. Then each caller's own shortcut for "*", the test
 * handle's keys(), and the matcher's cost on adversarial input.
 * (Random patterns: glob-fuzz.test.ts; stalls through the server: costs.test.ts.)
 */

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { globMatch } from '../src/glob.js';
import { RespConn } from './diff/conn.js';
import { withPair } from './diff/servers.js';

/** The keys of the table, by index. */
const KEYS = ['', 'a', 'b', 'ab', 'abc', 'a]', ']', '[', '\\', '^', '-', 'a-', '*', '?', 'A', 'z', '\x00', '\x80', '\xff', '\x7f', 'a\\', 'x*y', 'xay', 'a'.repeat(40)];

/** Pattern, and the indexes of KEYS that `KEYS pattern` returns on Redis 7.0.15. */
const TABLE: Array<[string, number[]]> = [
  ['', [0]],
  ['*', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ['**', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]], // not the empty key
  ['?', [1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]],
  ['??', [3, 5, 11, 20]],
  ['[', []], // an open class with nothing in it
  ['[^', [1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]], // its complement: any byte
  ['[]', []],
  ['[]]', []],
  ['[]a]', []],
  ['[^]]', [5]],
  ['[a-]', [1, 6, 9]], // the range a..']' (reversed, swapped), then the class runs open to the end
  ['[-a]', [1, 10]],
  ['[a-', [1, 10]],
  ['[z-a]', [1, 2, 15]],
  ['[\\]]', [6]],
  ['[\\', [8]],
  ['[a\\', [1, 8]],
  ['\\', [8]], // a lone backslash at the end is a literal backslash
  ['a\\', [20]],
  ['\\*', [12]],
  ['\\?', [13]],
  ['\\[', [7]],
  ['x\\*y', [21]],
  ['x*y', [21, 22]],
  ['[\x80-\x7f]', [1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]], // signed: -128..127 is every byte
  ['[\x7f-\x80]', [1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]],
  ['[\x00-\x7f]', [1, 2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 19]],
  ['[\xff]', [18]],
  ['[^\x00-\x7f]', [17, 18]],
  ['[a-c', [1, 2]],
  ['[!a]', [1]], // '!' is no negation in Redis
  ['*[', []],
  ['*\\', [8, 20]],
  ['a*'.repeat(20).slice(0, -1), [23]],
  ['*a', [1, 23]],
  ['a*', [1, 3, 4, 5, 11, 20, 23]],
  ['[^a]*', [2, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22]],
  ['[[]', [7]],
  ['[a-a]', [1]],
  ['[\\-]', [10]],
  ['[\\^a]', [1, 9]],
  ['\x00', [16]],
  ['[\x00]', [16]],
  ['[^\\', [1, 2, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19]],
  ['a?', [3, 5, 11, 20]],
  ['?*', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ['*?*?', [3, 4, 5, 11, 20, 21, 22, 23]],
  ['[a-z]*[a-z]', [3, 4, 21, 22, 23]],
];

/** CONFIG GET patterns (case-folding, C string) and the names Redis 7.0.15 returns among maxmemory, maxmemory-* and port. */
const NOCASE: Array<[string, string[]]> = [
  ['MAXMEMORY', ['MAXMEMORY']], // exact lookup: named as spelled
  ['MaxMem*', ['maxmemory', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']],
  ['[M]axmemory', ['maxmemory']],
  ['[\\M]axmemory', []], // an escape inside a class compares case-sensitively
  ['[\\m]axmemory', ['maxmemory']],
  ['[L-N]axmemory', ['maxmemory']],
  ['[n-L]axmemory', ['maxmemory']],
  ['[Z-a]axmemory', []], // swapped, then folded: 'z'..'a' is empty
  ['[\x80-z]axmemory', []], // glibc's tolower(-128) is 128: 128..122 is empty
  ['[\xff-z]axmemory', ['maxmemory']], // but tolower(-1) is -1 (EOF): -1..122
  ['[\xfe-z]axmemory', []],
  ['[z-\x80]axmemory', []],
  ['P?RT', ['port']],
  ['po*\x00x', ['port']], // the pattern ends at its NUL byte, as a C string
  ['port\x00*', []], // no glob character before the NUL: an exact lookup of "port\0*"
];

/** The bulk strings of an array reply, in order. */
const bulksOf = (reply: string): string[] => {
  const out: string[] = [];
  let i = reply.indexOf('\r\n') + 2;
  while (i < reply.length) {
    const e = reply.indexOf('\r\n', i);
    const n = Number(reply.slice(i + 1, e));
    out.push(reply.slice(e + 2, e + 2 + n));
    i = e + 2 + n + 2;
  }
  return out;
};
const setOf = (reply: string): string[] => bulksOf(reply).sort();

describe('glob matching (src/glob.ts) against Redis 7.0.15', function () {
  this.timeout(30_000);
  const pair = withPair();
  let r: RespConn;
  let c: RespConn;
  before(async () => {
    r = await RespConn.connect(pair.redis.port);
    c = await RespConn.connect(pair.cachette.port);
  });
  after(() => { r?.close(); c?.close(); });
  const both = async (cmd: string[]): Promise<[string, string]> => [await r.call(cmd), await c.call(cmd)];

  it('KEYS: every edge case of the table, on both servers', async () => {
    for (const conn of [r, c]) {
      expect(await conn.call(['FLUSHALL'])).to.equal('+OK\r\n');
      expect(await conn.call(['MSET', ...KEYS.flatMap((k) => [k, '1'])])).to.equal('+OK\r\n');
    }
    for (const [pattern, want] of TABLE) {
      const expected = want.map((i) => KEYS[i]!).sort();
      const [rk, ck] = await both(['KEYS', pattern]);
      expect(setOf(rk), `Redis, KEYS ${JSON.stringify(pattern)}`).to.deep.equal(expected);
      expect(setOf(ck), `cachette, KEYS ${JSON.stringify(pattern)}`).to.deep.equal(expected);
    }
  });

  it('CONFIG GET: case folding, escapes and signed ranges under nocase, and the C-string pattern', async () => {
    // Name/value pairs: the names, among the parameters both servers have (Redis also has maxmemory-clients).
    const common = new Set(['maxmemory', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples', 'port']);
    const names = (reply: string): string[] => bulksOf(reply).filter((n, i) => i % 2 === 0 && common.has(n.toLowerCase())).sort();
    for (const [pattern, want] of NOCASE) {
      const [rg, cg] = await both(['CONFIG', 'GET', pattern]);
      expect(names(rg), `Redis, CONFIG GET ${JSON.stringify(pattern)}`).to.deep.equal([...want].sort());
      expect(names(cg), `cachette, CONFIG GET ${JSON.stringify(pattern)}`).to.deep.equal([...want].sort());
    }
  });

  it('each caller applies Redis\'s own shortcut: KEYS and SCAN take "*" as everything (the empty key too), PUBLISH and PUBSUB CHANNELS never match the empty channel with it', async () => {
    for (const conn of [r, c]) {
      expect(await conn.call(['FLUSHALL'])).to.equal('+OK\r\n');
      expect(await conn.call(['MSET', '', 'empty', 'k', 'v'])).to.equal('+OK\r\n');
    }
    for (const cmd of [['KEYS', '*'], ['KEYS', '**'], ['SCAN', '0', 'MATCH', '*', 'COUNT', '100'], ['SCAN', '0', 'MATCH', '**', 'COUNT', '100']]) {
      const [rk, ck] = await both(cmd);
      expect(setOf(ck.replace(/^\*2\r\n\$1\r\n0\r\n/, '')), cmd.join(' ')).to.deep.equal(setOf(rk.replace(/^\*2\r\n\$1\r\n0\r\n/, '')));
    }
    expect(setOf(await c.call(['KEYS', '*']))).to.deep.equal(['', 'k']);
    expect(setOf(await c.call(['KEYS', '**']))).to.deep.equal(['k']);
    // Pub/sub: a pattern subscriber on "*" and a channel subscriber on "".
    for (const [port, conn] of [[pair.redis.port, r], [pair.cachette.port, c]] as const) {
      const psub = await RespConn.connect(port);
      const sub = await RespConn.connect(port);
      expect(await psub.call(['PSUBSCRIBE', '*'])).to.equal('*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n');
      expect(await sub.call(['SUBSCRIBE', ''])).to.equal('*3\r\n$9\r\nsubscribe\r\n$0\r\n\r\n:1\r\n');
      expect(await conn.call(['PUBLISH', '', 'x'])).to.equal(':1\r\n'); // the channel subscriber only
      expect(await conn.call(['PUBLISH', 'c', 'x'])).to.equal(':1\r\n'); // the pattern subscriber
      expect(await sub.read()).to.equal('*3\r\n$7\r\nmessage\r\n$0\r\n\r\n$1\r\nx\r\n');
      expect(await psub.read()).to.equal('*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\nc\r\n$1\r\nx\r\n');
      expect(await conn.call(['PUBSUB', 'CHANNELS', '*'])).to.equal('*0\r\n');
      expect(await conn.call(['PUBSUB', 'CHANNELS'])).to.equal('*1\r\n$0\r\n\r\n');
      psub.close();
      sub.close();
    }
  });

  it("the test handle's keys() follows KEYS", () => {
    const h = pair.cachette;
    h.flushAll();
    for (const k of ['a'.repeat(40), '', 'a]', '\\']) h.server.dbs[0]!.setKey(k, '1', h.server.clock());
    expect(h.keys().sort()).to.deep.equal(['', '\\', 'a'.repeat(40), 'a]'].sort());
    expect(h.keys('**').sort()).to.deep.equal(['\\', 'a'.repeat(40), 'a]'].sort());
    expect(h.keys('a*'.repeat(20).slice(0, -1))).to.deep.equal(['a'.repeat(40)]);
    expect(h.keys('[^]]')).to.deep.equal(['a]']);
    expect(h.keys('\\')).to.deep.equal(['\\']);
  });
});

describe('glob matching cost', function () {
  this.timeout(30_000);
  // Counted, not timed: the probe counts the string's byte reads and throws
  // past the polynomial budget, so a backtracking matcher (~10^11 tries on
  // the pattern) fails here at once instead of hanging the run.
  const steps = (p: string, s: string, budget = (s.length + 1) * (p.length + 1)): { result: boolean; reads: number } => {
    let reads = 0;
    const probe = {
      length: s.length,
      charCodeAt: (i: number): number => {
        if (++reads > budget) throw new Error(`over budget: more than ${budget} reads of the string`);
        return s.charCodeAt(i);
      },
    };
    return { result: globMatch(p, probe as unknown as string), reads };
  };

  it("the issue's pattern against 40 a's: no match, within (n+1)(m+1) reads of the string", () => {
    expect(steps('a*'.repeat(20) + 'b', 'a'.repeat(40)).result).to.equal(false);
    expect(steps('a*'.repeat(20).slice(0, -1), 'a'.repeat(40)).result).to.equal(true);
  });

  it('nested stars against long strings stay polynomial: 200 stars over 10,000 bytes', () => {
    expect(steps('*a'.repeat(200) + 'b', 'a'.repeat(10_000)).result).to.equal(false);
    expect(steps('*a'.repeat(200), 'a'.repeat(10_000)).result).to.equal(true);
    expect(steps('*' + 'a'.repeat(100) + 'b*', 'a'.repeat(10_000)).result).to.equal(false);
    expect(steps('[a-z]*?*[^b]*\\a'.repeat(30) + 'b', 'a'.repeat(3_000)).result).to.equal(false);
    expect(steps('[a-z]*?*[^b]*\\a'.repeat(30), 'a'.repeat(3_000)).result).to.equal(true);
  });

  // These run in a separate process with a timeout, so that a matcher that
  // recurses or backtracks fails the test instead of hanging the run.
  const inChild = (code: string): string => {
    const dist = (f: string): string => JSON.stringify(new URL(f, import.meta.url).href);
    const wrapped = `const { startServer } = await import(${dist('../src/index.js')});
      const { globMatch } = await import(${dist('../src/glob.js')});
      ${code}`;
    return execFileSync(process.execPath, ['--input-type=module', '-e', wrapped], { encoding: 'utf8', timeout: 15_000 }).trim();
  };

  it('needs no stack: 100,000 star groups against 200,000 bytes (Redis 7.0.15 would recurse 100,000 deep)', () => {
    const out = inChild(`console.log(JSON.stringify([
      globMatch('*a'.repeat(100000) + 'b', 'a'.repeat(200000)),
      globMatch('*a'.repeat(100000), 'a'.repeat(200000)),
    ]));`);
    expect(out).to.equal('[false,true]');
  });

  it("the test handle's keys() on the issue's pattern returns [] at once", () => {
    const out = inChild(`const h = await startServer();
      h.server.dbs[0].setKey('a'.repeat(40), '1', h.server.clock());
      console.log(JSON.stringify(h.keys('a*'.repeat(20) + 'b')));
      await h.close();`);
    expect(out).to.equal('[]');
  });
});
