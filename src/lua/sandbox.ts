/**
 * Builds one Lua state as Redis 7.0 gives it to scripts (eval.c's scriptingInit and
 * script_lua.c's luaRegisterRedisAPI): the standard libraries, Redis's cjson/cmsgpack/struct/bit
 * (libs/index.ts), the `redis` object (redis.ts), the Lua 5.1 shims (prelude.ts), then the
 * globals locked read-only. Also the one place that knows how to load a chunk into the state
 * and how to find where an uncaught error was raised.
 *
 * After the lock, the registry's globals (what every loaded chunk sees as _ENV) is the proxy of
 * the real globals; KEYS and ARGV are written into the real globals (rawset), as Redis opens its
 * read-only flag for them.
 */
import { installLibraries } from './libs/index.js';
import { PRELUDE } from './prelude.js';
import { fixSyntax51, installBase51 } from './base51.js';
import { floatLiterals, lua51Source } from './numlit.js';
import { dropRegisterFunction, installRedisApi, registerVm } from './redis.js';
import {
  type LuaModule, LuaVM, LUA_OK, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS, LUA_TFUNCTION, LUA_TSTRING, LUA_TTABLE,
} from './vm.js';

/** Registry references to what the engine uses after the lock. */
export interface Sandbox {
  vm: LuaVM;
  L: number;
  /** The real globals table (KEYS/ARGV go here). */
  globalsRef: number;
  /** The prelude's internal table (getinfo, fix51, collectgarbage, setScriptThread). */
  internalRef: number;
  /** The coroutine scripts run in (the busy yield), and its registry reference. */
  co: number;
  coRef: number;
}

/** The chunk name of the prelude: its frames are skipped when locating an error. */
const PRELUDE_NAME = '=cachette';

/** A state for EVAL scripts, or (`functions`) for function libraries, which also have redis.register_function. */
export function buildSandbox(m: LuaModule, functions: boolean): Sandbox {
  const vm = new LuaVM(m);
  const L = vm.L;
  registerVm(vm);
  m._luaL_openlibs(L);
  installLibraries(vm, L);
  installRedisApi(vm, L);
  if (!functions) dropRegisterFunction(vm, L);
  // The prelude: reshapes the globals into 5.1's and returns its internal table. It is loaded
  // stripped of debug information, so errors raised in its shims carry no position of theirs.
  const boot = "local f = assert(load(...)) return load(string.dump(f, true), '" + PRELUDE_NAME + "', 'b')()";
  const st = loadChunk(vm, L, Buffer.from(boot, 'latin1'), '=boot');
  vm.pushLatin1(L, PRELUDE);
  if (st !== LUA_OK || m._lua_pcallk(L, 1, 1, 0, 0, 0) !== LUA_OK) {
    throw new Error(`cachette: Lua prelude failed: ${vm.toText(L, -1)}`);
  }
  installBase51(vm, L);
  const internalRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(LUA_RIDX_GLOBALS));
  const globalsRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
  // Lock: R.lock() returns the globals' proxy, which becomes the registry's globals.
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(internalRef));
  m._lua_getfield(L, -1, vm.cstr('lock'));
  if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) throw new Error(`cachette: Lua lock failed: ${vm.toText(L, -1)}`);
  m._lua_rawseti(L, LUA_REGISTRYINDEX, BigInt(LUA_RIDX_GLOBALS));
  m._lua_settop(L, 0);
  const co = m._lua_newthread(L);
  const coRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(internalRef));
  m._lua_getfield(L, -1, vm.cstr('setScriptThread'));
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(coRef));
  m._lua_callk(L, 1, 0, 0, 0);
  m._lua_settop(L, 0);
  return { vm, L, globalsRef, internalRef, co, coRef };
}

/** luaL_loadbuffer of `code` under `chunkname` (text only): LUA_OK with the function on top, or an error message. */
export function loadChunk(vm: LuaVM, L: number, code: Buffer, chunkname: string): number {
  const m = vm.m;
  const p = m._malloc(code.length + 1);
  m.HEAPU8.set(code, p);
  const st = m._luaL_loadbufferx(L, p, code.length, vm.cstr(chunkname), vm.cstr('t'));
  m._free(p);
  return st;
}

/**
 * loadChunk of a script's source with its integer literals made floats (numlit.ts), as 5.1 reads
 * them; when the rewritten source does not compile, the source as written is compiled instead, so
 * a syntax error quotes the script's own tokens (5.1's escapes and the placeholders of 5.4-only
 * operators kept, so that it fails where 5.1 fails).
 */
export function loadScript(vm: LuaVM, L: number, code: Buffer, chunkname: string): number {
  const floats = floatLiterals(code);
  const st = loadChunk(vm, L, floats, chunkname);
  if (st === LUA_OK) return st;
  vm.m._lua_settop(L, -2);
  return loadChunk(vm, L, lua51Source(code, false), chunkname);
}

/** Pushes the prelude's internal field `name` on L. */
export function pushInternal(sb: Sandbox, L: number, name: string): void {
  const m = sb.vm.m;
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(sb.internalRef));
  m._lua_getfield(L, -1, sb.vm.cstr(name));
  m._lua_rotate(L, -2, 1);
  m._lua_settop(L, -2);
}

/** 5.4 -> 5.1 runtime error texts (the same rule as the prelude's fix51, for errors met in JS). */
export function fix51(msg: string): string {
  if (msg.indexOf('attempt to') === -1 && msg.indexOf("bad 'for'") === -1) return msg;
  return msg.replace(/attempt to ([A-Za-z ]*?) a ([A-Za-z]+) value \(([A-Za-z]+) '([^']*)'\)/g, (_m, op: string, ty: string, kind: string, name: string) =>
    kind === 'constant' ? `attempt to ${op} a ${ty} value` : `attempt to ${op} ${kind} '${name}' (a ${ty} value)`)
    .replace(/attempt to [A-Za-z]+ a '([A-Za-z]+)' with a '([A-Za-z]+)'/g, (_m, a: string, b: string) =>
      `attempt to perform arithmetic on a ${a === 'string' ? a : b} value`)
    .replace(/bad 'for' ([a-z ]+?) \(number expected, got [a-z]+\)/g, "'for' $1 must be a number");
}

/** 5.4 -> 5.1 syntax error texts: 5.4 writes `<eof>` where 5.1 quotes it ('<eof>'). */
export { fixSyntax51 };

/**
 * Where the uncaught error of the dead coroutine `co` was raised, as Redis's
 * __redis__err__handler finds it: the raising function, or its caller when the raiser is a C
 * function; the prelude's own frames (cachette's shims) are skipped. Returns [source, line] or
 * null. `coRef` is the coroutine's registry reference. Uses debug.getinfo on the dead coroutine, whose stack Lua 5.4 leaves in place.
 */
export function errorPosition(sb: Sandbox, coRef: number): [string, string] | null {
  const { vm, L } = sb;
  const m = vm.m;
  const top = m._lua_gettop(L);
  let skippedC = false;
  let found: [string, string] | null = null;
  for (let level = 0; level < 50; level++) {
    pushInternal(sb, L, 'getinfo');
    if (m._lua_type(L, -1) !== LUA_TFUNCTION) break;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(coRef));
    m._lua_pushnumber(L, level);
    vm.pushLatin1(L, 'Sl');
    if (m._lua_pcallk(L, 3, 1, 0, 0, 0) !== LUA_OK || m._lua_type(L, -1) !== LUA_TTABLE) break;
    m._lua_getfield(L, -1, vm.cstr('what'));
    const what = vm.toLatin1(L, -1);
    m._lua_getfield(L, -2, vm.cstr('source'));
    const source = m._lua_type(L, -1) === LUA_TSTRING ? vm.toLatin1(L, -1) : '';
    m._lua_getfield(L, -3, vm.cstr('currentline'));
    const line = vm.toLatin1(L, -1);
    m._lua_settop(L, top);
    if (what === 'C') {
      if (skippedC) { found = [source, line]; break; }
      skippedC = true;
      continue;
    }
    if (source === PRELUDE_NAME || source === '=?') continue;
    found = [source, line];
    break;
  }
  m._lua_settop(L, top);
  return found;
}
