/**
 * Lua 5.1 base functions written as C functions (JS registered in the WASM function table):
 * error, assert, pairs, ipairs, load, loadstring, table.getn and table.insert. They are C, not
 * Lua (prelude.ts), because 5.4 drops the caller's frame when a Lua function is tail-called
 * (`return pairs(x)`), which would lose the "user_script:N:" position and the "script: <sha>,
 * on @user_script:N." suffix of their errors; a C function keeps its caller's frame, as in 5.1.
 * Each follows 5.1's lbaselib.c/ltablib.c: argument checks, messages and results.
 */
import { type LuaVM, upvalueIndex, LUA_TNIL, LUA_TNONE, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_TFUNCTION, LUA_MULTRET } from './vm.js';

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

function typeName(vm: LuaVM, L: number, i: number): string {
  const t = vm.m._lua_type(L, i);
  return t === LUA_TNONE ? 'no value' : (TYPE_NAMES[t] ?? '?');
}

/** luaL_argerror as 5.1 words it, with the caller's position. */
function argError(vm: LuaVM, L: number, n: number, fname: string, extra: string): never {
  vm.raiseWhere(L, `bad argument #${n} to '${fname}' (${extra})`);
}

function checkType(vm: LuaVM, L: number, n: number, t: number, fname: string): void {
  if (vm.m._lua_type(L, n) !== t) argError(vm, L, n, fname, `${TYPE_NAMES[t]} expected, got ${typeName(vm, L, n)}`);
}

/** luaL_checkint: a number (or numeric string), truncated toward zero as C's (int) cast. */
function checkInt(vm: LuaVM, L: number, n: number, fname: string): number {
  const m = vm.m;
  if (m._lua_type(L, n) !== LUA_TNUMBER && !m._lua_isnumber(L, n)) argError(vm, L, n, fname, `number expected, got ${typeName(vm, L, n)}`);
  return Math.trunc(m._lua_tonumberx(L, n, 0)) | 0;
}

let made: { of: unknown; fns: Record<string, number> } | null = null;

function functions(vm: LuaVM): Record<string, number> {
  if (made !== null && made.of === vm.m) return made.fns;
  const m = vm.m;
  const mk = (f: (L: number) => number): number => m.addFunction(f, 'ii');
  // The VM of the calling state: all states share one module, so any LuaVM's helpers work.
  const v = vm;
  const fns: Record<string, number> = {
    error: mk((L) => {
      const level = m._lua_type(L, 2) <= LUA_TNIL ? 1 : Math.trunc(m._lua_tonumberx(L, 2, 0));
      m._lua_settop(L, 1);
      const t = m._lua_type(L, 1);
      if ((t === LUA_TSTRING || t === LUA_TNUMBER) && level > 0) {
        m._luaL_where(L, level);
        m._lua_pushvalue(L, 1);
        m._lua_concat(L, 2);
      }
      return m._lua_error(L);
    }),
    assert: mk((L) => {
      if (m._lua_type(L, 1) === LUA_TNONE) argError(v, L, 1, 'assert', 'value expected');
      if (m._lua_toboolean(L, 1)) return m._lua_gettop(L);
      const t = m._lua_type(L, 2);
      if (t <= LUA_TNIL) v.raiseWhere(L, 'assertion failed!');
      if (t !== LUA_TSTRING && t !== LUA_TNUMBER) argError(v, L, 2, 'assert', `string expected, got ${typeName(v, L, 2)}`);
      m._luaL_where(L, 1);
      m._lua_pushvalue(L, 2);
      m._lua_concat(L, 2);
      return m._lua_error(L);
    }),
    pairs: mk((L) => {
      // 5.4's pairs (it honours __pairs: the read-only proxies iterate their real table).
      checkType(v, L, 1, LUA_TTABLE, 'pairs');
      m._lua_settop(L, 1);
      m._lua_pushvalue(L, upvalueIndex(1));
      m._lua_pushvalue(L, 1);
      m._lua_callk(L, 1, 3, 0, 0);
      return 3;
    }),
    ipairs: mk((L) => {
      checkType(v, L, 1, LUA_TTABLE, 'ipairs');
      m._lua_settop(L, 1);
      m._lua_pushvalue(L, upvalueIndex(1));
      m._lua_pushvalue(L, 1);
      m._lua_callk(L, 1, 3, 0, 0);
      return 3;
    }),
    load: mk((L) => {
      checkType(v, L, 1, LUA_TFUNCTION, 'load');
      m._lua_settop(L, 2);
      m._lua_pushvalue(L, upvalueIndex(1));
      m._lua_pushvalue(L, 1);
      m._lua_pushvalue(L, 2);
      v.pushLatin1(L, 't');
      m._lua_callk(L, 3, LUA_MULTRET, 0, 0);
      return m._lua_gettop(L) - 2;
    }),
    loadstring: mk((L) => {
      const t = m._lua_type(L, 1);
      if (t !== LUA_TSTRING && t !== LUA_TNUMBER) argError(v, L, 1, 'loadstring', `string expected, got ${typeName(v, L, 1)}`);
      const t2 = m._lua_type(L, 2);
      if (t2 > LUA_TNIL && t2 !== LUA_TSTRING && t2 !== LUA_TNUMBER) argError(v, L, 2, 'loadstring', `string expected, got ${typeName(v, L, 2)}`);
      m._lua_settop(L, 2);
      m._lua_pushvalue(L, upvalueIndex(1));
      m._lua_pushvalue(L, 1);
      if (t2 <= LUA_TNIL) m._lua_pushvalue(L, 1); else m._lua_pushvalue(L, 2);
      v.pushLatin1(L, 't');
      m._lua_callk(L, 3, LUA_MULTRET, 0, 0);
      return m._lua_gettop(L) - 2;
    }),
    getn: mk((L) => {
      checkType(v, L, 1, LUA_TTABLE, 'getn');
      m._lua_pushnumber(L, Number(m._lua_rawlen(L, 1)));
      return 1;
    }),
    insert: mk((L) => {
      checkType(v, L, 1, LUA_TTABLE, 'insert');
      let e = Number(m._lua_rawlen(L, 1)) + 1;
      let pos = e;
      switch (m._lua_gettop(L)) {
        case 2: pos = e; break;
        case 3: {
          pos = checkInt(v, L, 2, 'insert');
          if (pos > e) e = pos;
          for (let i = e; i > pos; i--) {
            m._lua_rawgeti(L, 1, BigInt(i - 1));
            m._lua_rawseti(L, 1, BigInt(i));
          }
          break;
        }
        default:
          v.raiseWhere(L, "wrong number of arguments to 'insert'");
      }
      m._lua_rawseti(L, 1, BigInt(pos));
      return 0;
    }),
  };
  made = { of: m, fns };
  return fns;
}

/**
 * Installs the functions into the state `L`, whose stack top holds the prelude's internal
 * table (for the 5.4 originals: next0, ipairs0, load0).
 */
export function installBase51(vm: LuaVM, L: number): void {
  const m = vm.m;
  const f = functions(vm);
  const internal = m._lua_absindex(L, -1);
  const global = (name: string, ptr: number, upvalueFrom: string | null): void => {
    if (upvalueFrom !== null) {
      m._lua_getfield(L, internal, vm.cstr(upvalueFrom));
      m._lua_pushcclosure(L, ptr, 1);
    } else {
      m._lua_pushcclosure(L, ptr, 0);
    }
    m._lua_setglobal(L, vm.cstr(name));
  };
  global('error', f.error!, null);
  global('assert', f.assert!, null);
  global('pairs', f.pairs!, 'pairs0');
  global('ipairs', f.ipairs!, 'ipairs0');
  global('load', f.load!, 'load0');
  global('loadstring', f.loadstring!, 'load0');
  m._lua_getglobal(L, vm.cstr('table'));
  m._lua_pushcclosure(L, f.getn!, 0);
  m._lua_setfield(L, -2, vm.cstr('getn'));
  m._lua_pushcclosure(L, f.insert!, 0);
  m._lua_setfield(L, -2, vm.cstr('insert'));
  m._lua_settop(L, -2);
}
