/**
 * The Lua engine: one Lua state inside wasmoon's WebAssembly build of Lua 5.4, driven through its
 * raw C API (the emscripten exports `_lua_*`), never through wasmoon's high-level wrapper, which
 * converts strings through UTF-8 and allocates per call.
 *
 * What this module owns:
 * - loading the WASM module once per process (`loadLua()`, ~20 ms, awaited by `Server.listen()`);
 * - the one patch that makes Lua 5.4 print numbers as Lua 5.1 does: 5.4 appends ".0" to a float
 *   whose `%.14g` text looks like an integer (`tostring(3/1)` is "3.0"). The C code decides that
 *   with `strspn(buff, "-0123456789")`; we blank that accept-set string in the module's memory
 *   once, so the test never matches and `3/1` prints "3", as in Redis's Lua 5.1;
 * - `LuaVM`: byte-exact string transfer (Lua strings are bytes; we copy them through a scratch
 *   area of the WASM heap, never through UTF-8), C-string interning for names, registering JS
 *   functions as Lua C functions, and raising Lua errors from JS.
 *
 * - calling the WASM exports directly: wasmoon's build wraps every `_lua_*` export in an
 *   assertion closure; loadLua() captures the instance's exports while wasmoon instantiates it
 *   and puts the raw functions on the module in their place (same functions, same arguments).
 *
 * Costs: a string crossing the boundary is one copy each way (HEAPU8.set / subarray copy). A JS
 * function called from Lua is a WASM→JS call through the function table (no allocation).
 * Raising a Lua error from JS (`lua_error`) unwinds through emscripten's longjmp emulation,
 * which throws a JS exception: cheap enough for error paths, never used on success paths.
 */
import { LuaFactory } from 'wasmoon';

/** The subset of the emscripten module's raw exports that cachette uses. Pointers are numbers;
 *  lua_Integer arguments and results are BigInt (wasm64 integers through BigInt). */
export interface LuaModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  HEAPF64: Float64Array;
  _malloc(n: number): number;
  _free(p: number): void;
  addFunction(fn: (...args: number[]) => number | void, sig: string): number;
  _luaL_newstate(): number;
  _luaL_openlibs(L: number): void;
  _lua_close(L: number): void;
  _luaL_loadbufferx(L: number, buf: number, size: number, name: number, mode: number): number;
  _lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_callk(L: number, nargs: number, nresults: number, ctx: number, k: number): void;
  _lua_resume(L: number, from: number, nargs: number, nresults: number): number;
  _lua_yieldk(L: number, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: number): number;
  _lua_newthread(L: number): number;
  _lua_resetthread(L: number): number;
  _lua_tothread(L: number, idx: number): number;
  _lua_pushthread(L: number): number;
  _lua_status(L: number): number;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, idx: number): void;
  _lua_absindex(L: number, idx: number): number;
  _lua_pushvalue(L: number, idx: number): void;
  _lua_rotate(L: number, idx: number, n: number): void;
  _lua_copy(L: number, from: number, to: number): void;
  _lua_checkstack(L: number, n: number): number;
  _lua_xmove(from: number, to: number, n: number): void;
  _lua_type(L: number, idx: number): number;
  _lua_isinteger(L: number, idx: number): number;
  _lua_isnumber(L: number, idx: number): number;
  _lua_isstring(L: number, idx: number): number;
  _lua_tonumberx(L: number, idx: number, isnum: number): number;
  _lua_tointegerx(L: number, idx: number, isnum: number): bigint;
  _lua_toboolean(L: number, idx: number): number;
  _lua_tolstring(L: number, idx: number, len: number): number;
  _lua_rawlen(L: number, idx: number): bigint;
  _lua_topointer(L: number, idx: number): number;
  _lua_touserdata(L: number, idx: number): number;
  _lua_newuserdatauv(L: number, size: number, nuv: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, p: number, len: number): number;
  _lua_pushstring(L: number, p: number): number;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_getglobal(L: number, name: number): number;
  _lua_setglobal(L: number, name: number): void;
  _lua_gettable(L: number, idx: number): number;
  _lua_settable(L: number, idx: number): void;
  _lua_getfield(L: number, idx: number, k: number): number;
  _lua_setfield(L: number, idx: number, k: number): void;
  _lua_rawget(L: number, idx: number): number;
  _lua_rawset(L: number, idx: number): void;
  _lua_rawgeti(L: number, idx: number, n: bigint): number;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_getmetatable(L: number, idx: number): number;
  _lua_setmetatable(L: number, idx: number): number;
  _lua_next(L: number, idx: number): number;
  _lua_error(L: number): number;
  _lua_concat(L: number, n: number): void;
  _lua_arith(L: number, op: number): void;
  _luaL_getmetafield(L: number, obj: number, name: number): number;
  _lua_getupvalue(L: number, fn: number, n: number): number;
  _lua_setupvalue(L: number, fn: number, n: number): number;
  _lua_getstack(L: number, level: number, ar: number): number;
  _lua_getinfo(L: number, what: number, ar: number): number;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
  _luaL_traceback(L: number, L1: number, msg: number, level: number): void;
  _luaL_where(L: number, level: number): void;
  _luaL_requiref(L: number, name: number, fn: number, glb: number): void;
  _luaopen_base(L: number): number;
  _luaopen_table(L: number): number;
  _luaopen_string(L: number): number;
  _luaopen_math(L: number): number;
  _luaopen_coroutine(L: number): number;
}

export const LUA_REGISTRYINDEX = -1000000 - 1000;
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_ERRRUN = 2;
export const LUA_ERRSYNTAX = 3;
export const LUA_ERRMEM = 4;
export const LUA_MULTRET = -1;

export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TUSERDATA = 7;
export const LUA_TTHREAD = 8;

export const LUA_MASKCOUNT = 1 << 3;
export const LUA_MASKLINE = 1 << 2;
/** The registry slot of the globals table (lua.h's LUA_RIDX_GLOBALS). */
export const LUA_RIDX_GLOBALS = 2;

/** The pseudo-index of a C closure's upvalue `i` (lua.h's lua_upvalueindex). */
export function upvalueIndex(i: number): number {
  return LUA_REGISTRYINDEX - i;
}

let loaded: LuaModule | undefined;
let loading: Promise<LuaModule> | undefined;

/** Loads the WASM module once per process; later calls return the same module. */
export function loadLua(): Promise<LuaModule> {
  if (loaded) return Promise.resolve(loaded);
  if (!loading) {
    const capture = captureInstance();
    loading = new LuaFactory().getLuaModule().then((w) => {
      capture.restore();
      const m = (w as unknown as { module: LuaModule }).module;
      bindRawExports(m, capture.exports);
      patchNumberFormat(m);
      loaded = m;
      return m;
    }, (e: unknown) => {
      capture.restore();
      throw e;
    });
  }
  return loading;
}

/**
 * Watches WebAssembly.instantiate while wasmoon loads, to keep the Lua instance's exports.
 * wasmoon's build calls each export through an assertion wrapper (a closure per export that
 * checks the runtime is ready, then `apply`s the real function): about 30% of the time of a
 * C-API-heavy library call such as cjson.encode. The raw exports are the same functions.
 */
type Exports = Record<string, unknown>;

function captureInstance(): { exports: Exports | undefined; restore(): void } {
  const wa = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
  const original = wa['instantiate'] as (...a: unknown[]) => Promise<unknown>;
  const state = {
    exports: undefined as Exports | undefined,
    restore(): void { wa['instantiate'] = original; },
  };
  wa['instantiate'] = async (...args: unknown[]): Promise<unknown> => {
    const r = await original.apply(wa, args);
    const inst = (r as { instance?: { exports: Exports } }).instance ?? (r as { exports: Exports });
    const ex = inst?.exports;
    if (ex && typeof ex['lua_gettop'] === 'function') state.exports = ex;
    return r;
  };
  return state;
}

/** Replaces the module's wrapped `_name` exports with the raw WebAssembly functions. */
function bindRawExports(m: LuaModule, exports: Exports | undefined): void {
  if (!exports) return;
  const mod = m as unknown as Record<string, unknown>;
  for (const key of Object.keys(mod)) {
    if (key.charCodeAt(0) !== 95) continue; // '_'
    const raw = exports[key.slice(1)];
    if (typeof raw === 'function' && typeof mod[key] === 'function') mod[key] = raw;
  }
}

/** The module if `loadLua()` has finished, else undefined (callers that run synchronously). */
export function luaModule(): LuaModule | undefined {
  return loaded;
}

/** Blanks the accept-set "-0123456789" that lobject.c's tostringbuff uses to decide whether a
 *  float's text "looks like an int" and needs ".0" appended. See the file comment. */
function patchNumberFormat(m: LuaModule): void {
  const needle = Buffer.from('-0123456789\0', 'latin1');
  const heap = Buffer.from(m.HEAPU8.buffer, m.HEAPU8.byteOffset, m.HEAPU8.byteLength);
  let at = heap.indexOf(needle);
  let found = 0;
  while (at >= 0) {
    m.HEAPU8[at] = 0;
    found++;
    at = heap.indexOf(needle, at + 1);
  }
  if (found !== 1) throw new Error(`cachette: Lua number-format patch expected 1 site, found ${found}`);
}

const SCRATCH_INITIAL = 64 * 1024;

/**
 * One Lua state plus the helpers to move values across the JS/WASM boundary.
 * All methods operate on the state `L` unless one is passed (coroutines share the heap).
 */
export class LuaVM {
  readonly m: LuaModule;
  readonly L: number;
  private scratch: number;
  private scratchSize: number;
  private readonly lenPtr: number;
  private readonly cstrings = new Map<string, number>();

  constructor(m: LuaModule) {
    this.m = m;
    this.L = m._luaL_newstate();
    if (!this.L) throw new Error('cachette: cannot create a Lua state');
    this.scratchSize = SCRATCH_INITIAL;
    this.scratch = m._malloc(this.scratchSize);
    this.lenPtr = m._malloc(8);
  }

  /** A NUL-terminated C string for `s`, allocated once and kept for the VM's life (names only). */
  cstr(s: string): number {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const b = Buffer.from(s + '\0', 'utf8');
      p = this.m._malloc(b.length);
      this.m.HEAPU8.set(b, p);
      this.cstrings.set(s, p);
    }
    return p;
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

  private heapView: Buffer | null = null;

  /** A Buffer over the whole WASM heap (re-made when the heap grows). */
  heap(): Buffer {
    const h = this.m.HEAPU8;
    let v = this.heapView;
    if (v === null || v.buffer !== h.buffer) v = this.heapView = Buffer.from(h.buffer, h.byteOffset, h.byteLength);
    return v;
  }

  /** Pushes a binary (latin1) JS string as a Lua string: one byte per char, no allocation. */
  pushLatin1(L: number, s: string): void {
    const n = s.length;
    const p = this.ensureScratch(n);
    if (n !== 0) this.heap().latin1Write(s, p, n);
    this.m._lua_pushlstring(L, p, n);
  }

  /** The string (or number, converted in place) at `idx` as a binary (latin1) JS string. */
  toLatin1(L: number, idx: number): string {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    if (!p) return '';
    const n = this.m.HEAPU32[this.lenPtr >> 2]!;
    return this.heap().latin1Slice(p, p + n);
  }

  /** Pushes bytes `b[from, to)` as a Lua string (a slice of a reply buffer). */
  pushSlice(L: number, b: Buffer, from: number, to: number): void {
    const n = to - from;
    const p = this.ensureScratch(n);
    if (n !== 0) b.copy(this.heap(), p, from, to);
    this.m._lua_pushlstring(L, p, n);
  }

  /** Pushes the bytes of `b` as a Lua string. */
  pushBytes(L: number, b: Uint8Array): void {
    const p = this.ensureScratch(b.length);
    this.m.HEAPU8.set(b, p);
    this.m._lua_pushlstring(L, p, b.length);
  }

  /** Pushes a JS string as a Lua string: UTF-8 for text (names, messages). */
  pushString(L: number, s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    const p = this.ensureScratch(n);
    Buffer.from(this.m.HEAPU8.buffer, p, n).write(s, 'utf8');
    this.m._lua_pushlstring(L, p, n);
  }

  /** The bytes of the string (or number, converted in place as Lua does) at `idx`, copied out. */
  toBuffer(L: number, idx: number): Buffer {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return Buffer.from(this.m.HEAPU8.subarray(p, p + n));
  }

  /** The string at `idx` as JS text (UTF-8), for names and messages; '' when not a string. */
  toText(L: number, idx: number): string {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    if (!p) return '';
    const n = this.m.HEAPU32[this.lenPtr >> 2];
    return Buffer.from(this.m.HEAPU8.buffer, p, n).toString('utf8');
  }

  /** Makes a JS function callable from Lua (a lua_CFunction: receives the state, returns the
   *  number of results it pushed). The pointer lives as long as the process. */
  cfunction(fn: (L: number) => number): number {
    return this.m.addFunction(fn, 'ii');
  }

  /** Sets t[name] = fn for the table at `tableIdx`. */
  setFunction(L: number, tableIdx: number, name: string, fn: (L: number) => number): void {
    const t = this.m._lua_absindex(L, tableIdx);
    this.m._lua_pushcclosure(L, this.cfunction(fn), 0);
    this.m._lua_setfield(L, t, this.cstr(name));
  }

  /** Raises a Lua error with `msg` (a string value) from inside a C function. Never returns. */
  raise(L: number, msg: string): never {
    this.pushString(L, msg);
    this.m._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }

  /** Raises `msg` with the caller's position ("user_script:1: msg"), as luaL_error does. */
  raiseWhere(L: number, msg: string): never {
    this.m._luaL_where(L, 1);
    this.pushString(L, msg);
    this.m._lua_concat(L, 2);
    this.m._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }

  /** Raises the value on top of the stack as the Lua error. Never returns. */
  raiseTop(L: number): never {
    this.m._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }
}
