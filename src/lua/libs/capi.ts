/**
 * The Lua 5.1 auxiliary-library behaviour Redis's C libraries rely on, rebuilt over the Lua 5.4
 * C API so that the libraries in this folder raise the same errors and coerce arguments the same
 * way as in Redis (whose Lua is 5.1):
 * - arguments are read as 5.1 reads them: numbers are doubles, and a string is a number when
 *   glibc's strtod takes all of it (5.1 accepts "0x10", "inf", "nan", " 5 "; 5.4 would not);
 *   a number read as a string prints with %.14g;
 * - `error` prefixes the caller's position (luaL_where(L, 1)), `argError`/`typeError` build
 *   "bad argument #n to 'name' (...)" as 5.1's luaL_argerror does;
 * - `checkStack` is 5.1's luaL_checkstack, including its limit of 8000 slots per C call
 *   (LUAI_MAXCSTACK), which bounds how deep or how many results a library call may produce.
 * One `LibCtx` per WASM module (all Lua states share the module's heap): it owns a scratch area
 * for string transfer, interned C strings, a lua_Debug record, and the function pointers of
 * every library function, created once per process with addFunction (never per state).
 */
import {
  LUA_REGISTRYINDEX, LUA_TNIL, LUA_TNONE, LUA_TNUMBER, LUA_TSTRING, type LuaModule,
} from '../vm.js';
import { fmtG, str2number, toInt64 } from './cnum.js';

/** Lua 5.1's LUAI_MAXCSTACK: the most stack slots a C function may use. */
export const LUAI_MAXCSTACK = 8000;

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** Pseudo-index of the i-th upvalue of the running C function. */
export function upvalueIndex(i: number): number {
  return LUA_REGISTRYINDEX - i;
}

const NAN_BITS = new Float64Array(1);
const NAN_WORDS = new Uint32Array(NAN_BITS.buffer);

/** A number as Lua 5.1 prints it (%.14g; NaN with its sign, as glibc prints it). */
export function numberText(x: number): string {
  if (x !== x) {
    NAN_BITS[0] = x;
    return NAN_WORDS[1] >>> 31 ? '-nan' : 'nan';
  }
  return fmtG(x, 14);
}

export class LibCtx {
  readonly m: LuaModule;
  private scratch: number;
  private scratchSize = 64 * 1024;
  private readonly lenPtr: number;
  private readonly ar: number;
  private readonly cstrs = new Map<string, number>();
  private readonly fns = new Map<string, number>();

  constructor(m: LuaModule) {
    this.m = m;
    this.scratch = m._malloc(this.scratchSize);
    this.lenPtr = m._malloc(8);
    this.ar = m._malloc(256);
  }

  /** A NUL-terminated copy of `s` in the WASM heap, kept for the process's life (names only). */
  cstr(s: string): number {
    let p = this.cstrs.get(s);
    if (p === undefined) {
      const b = Buffer.from(s + '\0', 'latin1');
      p = this.m._malloc(b.length);
      this.m.HEAPU8.set(b, p);
      this.cstrs.set(s, p);
    }
    return p;
  }

  /**
   * The lua_CFunction pointer for `impl`, created once per key. A JS exception other than a Lua
   * error (emscripten's longjmp throws a number) would unwind through the WASM frames and take
   * the process down: it becomes a Lua error instead, "internal error in <key>: <message>".
   */
  fn(key: string, impl: (L: number) => number): number {
    let p = this.fns.get(key);
    if (p === undefined) {
      const guarded = (L: number): number => {
        try {
          return impl(L);
        } catch (e) {
          if (typeof e === 'number') throw e; // a Lua error (longjmp) on its way out
          return this.error(L, `internal error in ${key}: ${e instanceof Error ? e.message : String(e)}`);
        }
      };
      p = this.m.addFunction(guarded, 'ii');
      this.fns.set(key, p);
    }
    return p;
  }

  /** t[name] = a C closure of `ptr` with the top `nup` values as upvalues (popped). */
  setClosure(L: number, tableIdx: number, name: string, ptr: number, nup: number): void {
    const t = this.m._lua_absindex(L, tableIdx);
    this.m._lua_pushcclosure(L, ptr, nup);
    this.m._lua_setfield(L, t, this.cstr(name));
  }

  private ensureScratch(n: number): number {
    if (n > this.scratchSize) {
      this.m._free(this.scratch);
      let size = this.scratchSize;
      while (size < n) size *= 2;
      this.scratch = this.m._malloc(size);
      if (!this.scratch) throw new Error('cachette: Lua heap exhausted');
      this.scratchSize = size;
    }
    return this.scratch;
  }

  pushBytes(L: number, b: Uint8Array): void {
    const p = this.ensureScratch(b.length);
    this.m.HEAPU8.set(b, p);
    this.m._lua_pushlstring(L, p, b.length);
  }

  pushText(L: number, s: string): void {
    this.pushBytes(L, Buffer.from(s, 'latin1'));
  }

  /** Pointer to the bytes of the string at `idx`; its length is then in `lastLen`. */
  lstr(L: number, idx: number): number {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    this.lastLen = this.m.HEAPU32[this.lenPtr >> 2];
    return p;
  }
  lastLen = 0;

  /** A copy of the bytes of the string at `idx` (which must be a string or a number). */
  rawBytes(L: number, idx: number): Buffer {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return Buffer.from(this.m.HEAPU8.subarray(p, p + n));
  }

  /** luaL_typename as 5.1 names types ("no value" for an absent argument). */
  typeName(L: number, idx: number): string {
    const t = this.m._lua_type(L, idx);
    return t === LUA_TNONE ? 'no value' : TYPE_NAMES[t] ?? '?';
  }

  /** luaL_error: the caller's position ("user_script:1: ") then `msg`. Never returns. */
  error(L: number, msg: string | Uint8Array): never {
    this.m._luaL_where(L, 1);
    if (typeof msg === 'string') this.pushText(L, msg); else this.pushBytes(L, msg);
    this.m._lua_concat(L, 2);
    this.m._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }

  private cstringAt(p: number): string {
    const h = this.m.HEAPU8;
    let e = p;
    while (h[e] !== 0) e++;
    return Buffer.from(h.subarray(p, e)).toString('latin1');
  }

  /** luaL_argerror of Lua 5.1. Never returns. */
  argError(L: number, narg: number, extramsg: string): never {
    const m = this.m;
    if (!m._lua_getstack(L, 0, this.ar)) this.error(L, `bad argument #${narg} (${extramsg})`);
    m._lua_getinfo(L, this.cstr('n'), this.ar);
    const namePtr = m.HEAPU32[(this.ar + 4) >> 2];
    const whatPtr = m.HEAPU32[(this.ar + 8) >> 2];
    const name = namePtr ? this.cstringAt(namePtr) : '?';
    if (whatPtr && this.cstringAt(whatPtr) === 'method') {
      narg--;
      if (narg === 0) this.error(L, `calling '${name}' on bad self (${extramsg})`);
    }
    this.error(L, `bad argument #${narg} to '${name}' (${extramsg})`);
  }

  /** luaL_typerror of Lua 5.1. Never returns. */
  typeError(L: number, narg: number, tname: string): never {
    this.argError(L, narg, `${tname} expected, got ${this.typeName(L, narg)}`);
  }

  /** lua_tonumber of Lua 5.1: the number, or a string strtod takes whole; undefined otherwise. */
  toNumber(L: number, idx: number): number | undefined {
    const t = this.m._lua_type(L, idx);
    if (t === LUA_TNUMBER) return this.m._lua_tonumberx(L, idx, 0);
    if (t === LUA_TSTRING) return str2number(this.rawBytes(L, idx));
    return undefined;
  }

  /** luaL_checknumber of Lua 5.1. */
  checkNumber(L: number, idx: number): number {
    const n = this.toNumber(L, idx);
    if (n === undefined) this.typeError(L, idx, 'number');
    return n;
  }

  /** luaL_checkinteger of Lua 5.1: the (int64) truncation of the number, held in a double. */
  checkInteger(L: number, idx: number): number {
    return toInt64(this.checkNumber(L, idx));
  }

  /** luaL_optinteger of Lua 5.1. */
  optInteger(L: number, idx: number, def: number): number {
    return this.m._lua_type(L, idx) <= LUA_TNIL ? def : this.checkInteger(L, idx);
  }

  /** luaL_checklstring of Lua 5.1: a string's bytes, or a number printed as 5.1 prints it. */
  checkLString(L: number, idx: number): Buffer {
    const t = this.m._lua_type(L, idx);
    if (t === LUA_TSTRING) return this.rawBytes(L, idx);
    if (t === LUA_TNUMBER) return Buffer.from(numberText(this.m._lua_tonumberx(L, idx, 0)), 'latin1');
    this.typeError(L, idx, 'string');
  }

  /** lua_checkstack of Lua 5.1 (false past LUAI_MAXCSTACK slots), growing the 5.4 stack. */
  luaCheckStack(L: number, size: number): boolean {
    if (size > LUAI_MAXCSTACK || this.m._lua_gettop(L) + size > LUAI_MAXCSTACK) return false;
    if (!this.m._lua_checkstack(L, size + 1)) return false;
    return true;
  }

  /** luaL_checkstack of Lua 5.1. */
  checkStack(L: number, size: number, mes: string): void {
    if (!this.luaCheckStack(L, size)) this.error(L, `stack overflow (${mes})`);
  }
}

const contexts = new WeakMap<LuaModule, LibCtx>();

/** The context of module `m`, created on first use. */
export function libCtx(m: LuaModule): LibCtx {
  let c = contexts.get(m);
  if (!c) {
    c = new LibCtx(m);
    contexts.set(m, c);
  }
  return c;
}
