/**
 * The `redis` object scripts see (Redis 7.0's luaRegisterRedisAPI and eval.c's additions), and
 * Redis's math.random/randomseed. Functions that need the running script (call, pcall,
 * setresp, set_repl, log, acl_check_cmd, math.random) ask the `ApiHost` that is active while a
 * script runs (scripting.ts sets it around every resume of the script); the others
 * (sha1hex, error_reply, status_reply, breakpoint, debug, replicate_commands) stand alone.
 *
 * The functions are registered with the WASM module once per process (emscripten's function
 * table) and shared by every Lua state; each state gets its own `redis` table pointing at them.
 */
import { createHash } from 'node:crypto';
import { type LuaModule, type LuaVM, LUA_TNUMBER, LUA_TSTRING } from './vm.js';
import { pushErrorTable } from './convert.js';
import {
  LUA_ACL_OUTSIDE, LUA_CALL_OUTSIDE, LUA_RANDOM_OUTSIDE, LUA_RANDOMSEED_OUTSIDE, LUA_SETRESP_OUTSIDE,
  LUA_SET_REPL_OUTSIDE, LUA_WRONG_NUMBER, LUA_WRONG_NUMBER_OR_TYPE,
} from '../errors.js';
import { REDIS_VERSION } from '../version.js';

/** What the running script provides to the API (scripting.ts's Scripting). */
export interface ApiHost {
  readonly vm: LuaVM;
  /** redis.call (raise true) and redis.pcall. */
  call(L: number, raise: boolean): number;
  setresp(L: number): number;
  setRepl(L: number): number;
  log(L: number): number;
  aclCheckCmd(L: number): number;
  random(L: number): number;
  randomseed(L: number): number;
  /** redis.register_function (FUNCTION LOAD). */
  registerFunction(L: number): number;
}

let host: ApiHost | null = null;

/** Makes `h` the host of API calls until the returned previous host is restored. */
export function setApiHost(h: ApiHost | null): ApiHost | null {
  const prev = host;
  host = h;
  return prev;
}

export function apiHost(): ApiHost | null {
  return host;
}

/** Raises `text` as Redis's error table (luaPushError + lua_error). */
export function raiseError(vm: LuaVM, L: number, text: string): never {
  pushErrorTable(vm, L, text, false);
  vm.raiseTop(L);
}

interface Fns {
  call: number; pcall: number; setresp: number; setRepl: number; log: number; acl: number;
  random: number; randomseed: number; sha1hex: number; errorReply: number; statusReply: number;
  breakpoint: number; debug: number; replicate: number; registerFunction: number;
}

let fns: Fns | null = null;
let fnsOf: LuaModule | null = null;

/** The shared function pointers, made once per module. */
function functions(vm: LuaVM): Fns {
  if (fns !== null && fnsOf === vm.m) return fns;
  const m = vm.m;
  const mk = (f: (L: number) => number): number => m.addFunction(f, 'ii');
  const withHost = (outside: string, f: (h: ApiHost, L: number) => number) => mk((L) => {
    const h = host;
    if (h === null) raiseError(vmOf(L), L, outside);
    return f(h, L);
  });
  fns = {
    call: withHost(LUA_CALL_OUTSIDE, (h, L) => h.call(L, true)),
    pcall: withHost(LUA_CALL_OUTSIDE, (h, L) => h.call(L, false)),
    setresp: withHost(LUA_SETRESP_OUTSIDE, (h, L) => h.setresp(L)),
    setRepl: withHost(LUA_SET_REPL_OUTSIDE, (h, L) => h.setRepl(L)),
    log: mk((L) => (host === null ? 0 : host.log(L))),
    acl: withHost(LUA_ACL_OUTSIDE, (h, L) => h.aclCheckCmd(L)),
    random: withHost(LUA_RANDOM_OUTSIDE, (h, L) => h.random(L)),
    randomseed: withHost(LUA_RANDOMSEED_OUTSIDE, (h, L) => h.randomseed(L)),
    registerFunction: mk((L) => (host === null ? 0 : host.registerFunction(L))),
    sha1hex: mk((L) => {
      const v = vmOf(L);
      if (m._lua_gettop(L) !== 1) raiseError(v, L, LUA_WRONG_NUMBER);
      const s = m._lua_isstring(L, 1) ? v.toLatin1(L, 1) : '';
      v.pushLatin1(L, createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex'));
      return 1;
    }),
    errorReply: mk((L) => {
      const v = vmOf(L);
      if (m._lua_gettop(L) !== 1 || m._lua_type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(v, L, LUA_WRONG_NUMBER_OR_TYPE, false);
        return 1;
      }
      let e = v.toLatin1(L, -1);
      const z = e.indexOf('\0');
      if (z !== -1) e = e.slice(0, z);
      pushErrorTable(v, L, e.charCodeAt(0) === 45 ? e : '-' + e, false);
      return 1;
    }),
    statusReply: mk((L) => {
      const v = vmOf(L);
      if (m._lua_gettop(L) !== 1 || m._lua_type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(v, L, LUA_WRONG_NUMBER_OR_TYPE, false);
        return 1;
      }
      m._lua_createtable(L, 0, 1);
      m._lua_pushvalue(L, -2);
      m._lua_setfield(L, -2, v.cstr('ok'));
      return 1;
    }),
    breakpoint: mk((L) => { m._lua_pushboolean(L, 0); return 1; }),
    debug: mk(() => 0),
    replicate: mk((L) => { m._lua_pushboolean(L, 1); return 1; }),
  };
  fnsOf = m;
  return fns;
}

/** Every state's VM by its main thread and threads (the functions get a lua_State only). */
const vms = new Map<number, LuaVM>();
let lastVm: LuaVM | null = null;

/** Registers `vm` so shared functions find it from any of its threads. */
export function registerVm(vm: LuaVM): void {
  lastVm = vm;
  vms.set(vm.L, vm);
}

export function unregisterVm(vm: LuaVM): void {
  vms.delete(vm.L);
  if (lastVm === vm) lastVm = null;
}

/** The VM a thread belongs to: the active host's, else any (all share one module and heap). */
function vmOf(L: number): LuaVM {
  if (host !== null) return host.vm;
  return vms.get(L) ?? lastVm!;
}

/** REDIS_VERSION_NUM: 0x00MMmmpp. */
function versionNum(v: string): number {
  const [a, b, c] = v.split('.').map(Number);
  return (a! << 16) | (b! << 8) | c!;
}

/**
 * Builds the `redis` global and replaces math.random/randomseed, in the state `L` (before the
 * globals are locked). `withFunctions` adds redis.register_function (the functions engine).
 */
export function installRedisApi(vm: LuaVM, L: number): void {
  const m = vm.m;
  const f = functions(vm);
  m._lua_createtable(L, 0, 32);
  const set = (name: string, p: number): void => {
    m._lua_pushcclosure(L, p, 0);
    m._lua_setfield(L, -2, vm.cstr(name));
  };
  const num = (name: string, n: number): void => {
    m._lua_pushnumber(L, n);
    m._lua_setfield(L, -2, vm.cstr(name));
  };
  set('call', f.call);
  set('pcall', f.pcall);
  set('log', f.log);
  num('LOG_DEBUG', 0);
  num('LOG_VERBOSE', 1);
  num('LOG_NOTICE', 2);
  num('LOG_WARNING', 3);
  num('REDIS_VERSION_NUM', versionNum(REDIS_VERSION));
  vm.pushLatin1(L, REDIS_VERSION);
  m._lua_setfield(L, -2, vm.cstr('REDIS_VERSION'));
  set('setresp', f.setresp);
  set('sha1hex', f.sha1hex);
  set('error_reply', f.errorReply);
  set('status_reply', f.statusReply);
  set('set_repl', f.setRepl);
  num('REPL_NONE', 0);
  num('REPL_AOF', 1);
  num('REPL_SLAVE', 2);
  num('REPL_REPLICA', 2);
  num('REPL_ALL', 3);
  set('acl_check_cmd', f.acl);
  set('breakpoint', f.breakpoint);
  set('debug', f.debug);
  set('replicate_commands', f.replicate);
  set('register_function', f.registerFunction);
  m._lua_setglobal(L, vm.cstr('redis'));
  m._lua_getglobal(L, vm.cstr('math'));
  set('random', f.random);
  set('randomseed', f.randomseed);
  m._lua_settop(L, -2);
}

/** redis.register_function is only in the functions engine's state: the EVAL state drops it. */
export function dropRegisterFunction(vm: LuaVM, L: number): void {
  const m = vm.m;
  m._lua_getglobal(L, vm.cstr('redis'));
  m._lua_pushnil(L);
  m._lua_setfield(L, -2, vm.cstr('register_function'));
  m._lua_settop(L, -2);
}

/**
 * Redis's redisLrand48 (rand.c): the 48-bit linear congruential generator of lrand48,
 * x = (0x5DEECE66D * x + 0xB) mod 2^48, seeded as 0x1234ABCD330E; returns 31 bits.
 * Each server has its own, starting from the same seed as a fresh redis-server.
 */
export class Lrand48 {
  private hi = 0x1234; // bits 32..47
  private lo = 0xabcd330e; // bits 0..31

  next(): number {
    // (a * x + c) mod 2^48 with a = 0x5DEECE66D, in 16-bit limbs to stay exact in doubles.
    const x0 = this.lo & 0xffff;
    const x1 = this.lo >>> 16;
    const x2 = this.hi & 0xffff;
    const a0 = 0xe66d;
    const a1 = 0xdeec;
    const a2 = 0x5;
    let t = a0 * x0 + 0xb;
    const r0 = t & 0xffff;
    t = Math.floor(t / 65536) + a0 * x1 + a1 * x0;
    const r1 = t % 65536;
    t = Math.floor(t / 65536) + a0 * x2 + a1 * x1 + a2 * x0;
    const r2 = t % 65536;
    this.lo = (r1 * 65536 + r0) >>> 0;
    this.hi = r2;
    // (x[2] << 15) + (x[1] >> 1): the top 31 bits.
    return r2 * 32768 + (r1 >>> 1);
  }

  seed(s: number): void {
    this.hi = (s >>> 16) & 0xffff;
    this.lo = (((s & 0xffff) << 16) | 0x330e) >>> 0;
  }
}

/** Pushes math.random's result for the arguments on the stack (5.1's math_random with Lrand48). */
export function mathRandom(vm: LuaVM, L: number, rng: Lrand48): number {
  const m = vm.m;
  const REDIS_LRAND48_MAX = 2147483647;
  const r = (rng.next() % REDIS_LRAND48_MAX) / REDIS_LRAND48_MAX;
  const checkInt = (i: number): number => {
    if (m._lua_type(L, i) !== LUA_TNUMBER && !m._lua_isnumber(L, i)) {
      vm.raiseWhere(L, `bad argument #${i} to 'random' (number expected, got ${typeName(vm, L, i)})`);
    }
    return Math.trunc(m._lua_tonumberx(L, i, 0)) | 0;
  };
  switch (m._lua_gettop(L)) {
    case 0:
      m._lua_pushnumber(L, r);
      break;
    case 1: {
      const u = checkInt(1);
      if (!(u >= 1)) vm.raiseWhere(L, "bad argument #1 to 'random' (interval is empty)");
      m._lua_pushnumber(L, Math.floor(r * u) + 1);
      break;
    }
    case 2: {
      const l = checkInt(1);
      const u = checkInt(2);
      if (!(l <= u)) vm.raiseWhere(L, "bad argument #2 to 'random' (interval is empty)");
      m._lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      vm.raiseWhere(L, 'wrong number of arguments');
  }
  return 1;
}

function typeName(vm: LuaVM, L: number, i: number): string {
  const t = vm.m._lua_type(L, i);
  return ['no value', 'nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'][t + 1] ?? '?';
}
