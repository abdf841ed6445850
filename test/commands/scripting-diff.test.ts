/**
 * Scripting against a real redis-server 7.0.15, byte for byte: a fixed corpus of scripts
 * (scripting-diff-cases.ts: Lua 5.1 number semantics — integer literals, overflow, `%` and `/` by
 * zero, -0, hex, big literals, tonumber, string coercion, string.format, cjson/cmsgpack of
 * numbers — RESP3 conversions both ways, error and status tables, pcall, redis.call errors and
 * refused commands, error() forms, sandbox errors, syntax errors and 5.1's lexer (escapes, 5.4-only
 * operators), EVAL/EVALSHA/numkeys/shebang errors, FUNCTION LOAD/FCALL errors), run in RESP2 and again after HELLO 3; then seeded random arithmetic expressions over
 * integer, hex and float literals printed through tostring, `..`, string.format and cjson.
 * The known divergences are run too and must still differ (each is in README Known differences).
 */
import { expect } from 'chai';
import { RespConn } from '../diff/conn.js';
import { withPair } from '../diff/servers.js';
import { CASES, KNOWN, type Case } from './scripting-diff-cases.js';
import { seededRandom } from '../../src/random.js';

const norm = (s: string): string => s.replace(/[0-9a-f]{40}/g, 'SHA');

const argsOf = (s: Case): string[] => (typeof s === 'string' ? ['EVAL', s, '0'] : s);
const label = (s: Case): string => JSON.stringify(s);

async function replies(port: number, scripts: readonly Case[], resp3: boolean): Promise<string[]> {
  const c = await RespConn.connect(port);
  try {
    for (const reset of [['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH']]) await c.call(reset);
    if (resp3) await c.call(['HELLO', '3']);
    const out: string[] = [];
    for (const s of scripts) out.push(norm(await c.call(argsOf(s))));
    return out;
  } finally {
    c.close();
  }
}


const LITERALS = ['1', '7', '10', '255', '1000000', '4294967296', '100000000000000', '123456789012345678', '9007199254740993',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '0x10', '0xff', '0x7fffffffffffffff',
  '0xffffffffffffffff', '0x1ffffffffffffffff', '1.5', '0.1', '1e15', '2.5e-3', '3', '1e300'];

function expr(r: () => number, depth: number): string {
  if (depth === 0 || r() < 0.3) return LITERALS[Math.floor(r() * LITERALS.length)]!;
  const ops = ['+', '-', '*', '/', '^'];
  const op = ops[Math.floor(r() * ops.length)]!;
  const rhs = op === '^' ? String(1 + Math.floor(r() * 4)) : expr(r, depth - 1);
  return `(${expr(r, depth - 1)} ${op} ${rhs})`;
}

function randomScripts(seed: number, n: number): string[] {
  const r = seededRandom(seed);
  const out: string[] = [];
  const forms = [
    (e: string) => `return tostring(${e})`, (e: string) => `return ${e} .. ''`, (e: string) => `return string.format('%s|%g|%.3f', ${e}, ${e}, ${e})`,
    (e: string) => `return string.format('%d', ${e})`, (e: string) => `return string.format('%x', ${e})`, (e: string) => `return cjson.encode({${e}})`,
    (e: string) => `return ${e}`, (e: string) => `return redis.call('set', 'k', ${e}) and redis.call('get', 'k')`,
    (e: string) => `return tostring(tonumber(tostring(${e})))`, (e: string) => `return tostring(math.floor(${e})) .. tostring(math.ceil(${e}))`,
    (e: string) => `return tostring(${e} == ${e} + 1)`, (e: string) => `local t = {} t[${e}] = 'v' return t[${e}]`,
  ];
  for (let i = 0; i < n; i++) out.push(forms[Math.floor(r() * forms.length)]!(expr(r, 3)));
  return out;
}

describe('scripting, Lua 5.1 numbers and error paths against Redis 7.0.15', function () {
  this.timeout(120_000);
  const pair = withPair();

  for (const resp3 of [false, true]) {
    it(`the fixed corpus gives Redis's bytes (${resp3 ? 'RESP3' : 'RESP2'})`, async () => {
      const want = await replies(pair.redis.port, CASES, resp3);
      const got = await replies(pair.cachette.port, CASES, resp3);
      for (let i = 0; i < CASES.length; i++) expect(got[i], label(CASES[i]!)).to.equal(want[i]);
    });
  }

  it('seeded random number expressions give Redis\'s bytes (seed 19, 400 scripts)', async () => {
    const scripts = randomScripts(19, 400);
    const want = await replies(pair.redis.port, scripts, false);
    const got = await replies(pair.cachette.port, scripts, false);
    for (let i = 0; i < scripts.length; i++) expect(got[i], label(scripts[i]!)).to.equal(want[i]);
  });

  it('the documented divergences still differ (README Known differences lists each)', async () => {
    const want = await replies(pair.redis.port, KNOWN, false);
    const got = await replies(pair.cachette.port, KNOWN, false);
    for (let i = 0; i < KNOWN.length; i++) expect(got[i], label(KNOWN[i]!)).to.not.equal(want[i]);
  });
});
