/**
 * Redis's `bit` library (LuaBitOp 1.0.2 on Lua 5.1): 32-bit operations on Lua numbers.
 * An argument becomes 32 bits the way LuaBitOp does it on doubles: add 2^52+2^51 and keep the
 * low word of the result (so 2^32+5 is 5, 1.5 rounds to 2 by the FPU's round-to-even, and
 * NaN/Inf give their bit patterns' low word). Results are signed 32-bit values pushed as doubles.
 * Arguments that are not numbers (nor numeric strings, by Lua 5.1's rules) raise
 * "bad argument #n to 'f' (number expected, got <type>)". Every call is O(number of arguments).
 */
import type { LuaVM } from '../vm.js';
import { LUA_TNONE } from '../vm.js';
import { libCtx, type LibCtx } from './capi.js';

const F = new Float64Array(1);
const W = new Uint32Array(F.buffer);

/** barg(): the argument as 32 unsigned bits. */
function barg(c: LibCtx, L: number, idx: number): number {
  const n = c.toNumber(L, idx);
  F[0] = (n ?? 0) + 6755399441055744.0;
  const b = W[0];
  if (b === 0 && n === undefined) c.typeError(L, idx, 'number');
  return b;
}

function ret(c: LibCtx, L: number, b: number): number {
  c.m._lua_pushnumber(L, b | 0);
  return 1;
}

const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';

/** Creates the global table `bit`. */
export function installBit(vm: LuaVM, L: number): void {
  const c = libCtx(vm.m);
  const m = c.m;
  const fns: [string, (L: number) => number][] = [
    ['tobit', (L) => ret(c, L, barg(c, L, 1))],
    ['bnot', (L) => ret(c, L, ~barg(c, L, 1))],
    ['band', (L) => { let b = barg(c, L, 1); for (let i = m._lua_gettop(L); i > 1; i--) b &= barg(c, L, i); return ret(c, L, b); }],
    ['bor', (L) => { let b = barg(c, L, 1); for (let i = m._lua_gettop(L); i > 1; i--) b |= barg(c, L, i); return ret(c, L, b); }],
    ['bxor', (L) => { let b = barg(c, L, 1); for (let i = m._lua_gettop(L); i > 1; i--) b ^= barg(c, L, i); return ret(c, L, b); }],
    ['lshift', (L) => { const b = barg(c, L, 1); const n = barg(c, L, 2) & 31; return ret(c, L, b << n); }],
    ['rshift', (L) => { const b = barg(c, L, 1); const n = barg(c, L, 2) & 31; return ret(c, L, b >>> n); }],
    ['arshift', (L) => { const b = barg(c, L, 1); const n = barg(c, L, 2) & 31; return ret(c, L, (b | 0) >> n); }],
    ['rol', (L) => { const b = barg(c, L, 1); const n = barg(c, L, 2) & 31; return ret(c, L, (b << n) | (b >>> ((32 - n) & 31) & (n === 0 ? 0 : -1))); }],
    ['ror', (L) => { const b = barg(c, L, 1); const n = barg(c, L, 2) & 31; return ret(c, L, (b >>> n) | ((b << ((32 - n) & 31)) & (n === 0 ? 0 : -1))); }],
    ['bswap', (L) => {
      const b = barg(c, L, 1);
      return ret(c, L, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
    }],
    ['tohex', (L) => {
      let b = barg(c, L, 1);
      let n = m._lua_type(L, 2) === LUA_TNONE ? 8 : barg(c, L, 2) | 0;
      let digits = HEX_LOWER;
      if (n < 0) { n = -n; digits = HEX_UPPER; }
      if (n > 8 || n === 2147483648) n = 8; // -(-2^31) overflows in C; gcc's code then takes 8 digits
      const out = new Array<string>(n);
      for (let i = n; --i >= 0;) { out[i] = digits[b & 15]; b >>>= 4; }
      c.pushText(L, out.join(''));
      return 1;
    }],
  ];
  m._lua_createtable(L, 0, fns.length);
  for (const [name, impl] of fns) c.setClosure(L, -1, name, c.fn('bit.' + name, impl), 0);
  m._lua_setglobal(L, c.cstr('bit'));
}
