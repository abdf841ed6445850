/**
 * Lua 5.1 base functions written as C functions (JS registered in the WASM function table):
 * error, assert, pairs, ipairs, load, loadstring, tonumber, math.floor, math.ceil, table.getn and
 * table.insert, string.format's argument checks (5.1's texts and positions, then the prelude's
 * wrapper formats), and the string metatable's arithmetic metamethods (`'10' + 1`: the string is read
 * by strtod and the operation is a float one, as in 5.1). tonumber, floor and ceil return doubles, as 5.1 has no integers (5.4's would
 * return integers that print in full: `tostring(math.floor(1e15))` is `1e+15` in 5.1). They are C, not
 * Lua (prelude.ts), because 5.4 drops the caller's frame when a Lua function is tail-called
 * (`return pairs(x)`), which would lose the "user_script:N:" position and the "script: <sha>,
 * on @user_script:N." suffix of their errors; a C function keeps its caller's frame, as in 5.1.
 * Each follows 5.1's lbaselib.c/ltablib.c: argument checks, messages and results.
 */
import { libCtx, numberText } from './libs/capi.js';
import { str2number } from './libs/cnum.js';
import { floatLiterals, lua51Source, PLACEHOLDERS } from './numlit.js';

/** 5.4 -> 5.1 syntax error texts: 5.1 quotes the end of the chunk ("'<eof>' expected"), does not
 *  say where an unfinished long string started, words a too large escape its own way; the
 *  placeholders of 5.4-only operators (numlit.ts) are shown as the operator. */
export function fixSyntax51(msg: string): string {
  let m = msg.replace(/(^|[^'])<eof>(?!')/g, "$1'<eof>'");
  if (m.includes('<name> expected')) m = m.replace(/(^|[^'])<name> expected/g, "$1'<name>' expected");
  if (m.includes('starting at line')) m = m.replace(/(unfinished long (?:string|comment)) \(starting at line \d+\)/, '$1');
  if (m.includes('decimal escape too large')) m = m.replace(/decimal escape too large near '([^]*)\\\d+[^]?'$/, "escape sequence too large near '$1'");
  if (m.includes("'<\\")) m = m.replace(/'<\\([1-7])>'/g, (_x, d: string) => `'${PLACEHOLDERS[Number(d) - 1]!}'`);
  return m;
}
import { type LuaVM, upvalueIndex, LUA_TNIL, LUA_TNONE, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_TFUNCTION, LUA_MULTRET } from './vm.js';

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

function typeName(vm: LuaVM, L: number, i: number): string {
  const t = vm.m._lua_type(L, i);
  return t === LUA_TNONE ? 'no value' : (TYPE_NAMES[t] ?? '?');
}

/** luaL_argerror as 5.1 words it, with the caller's position; the function's name is the one its
 *  call site gives (`fname` is for the reader: 5.1 says '?' when called through pcall, and
 *  counts from the method's self for `s:format()`). */
function argError(vm: LuaVM, L: number, n: number, _fname: string, extra: string): never {
  return libCtx(vm.m).argError(L, n, extra);
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

/** luaL_checknumber: a number (or numeric string) as a double. */
function checkNumber(vm: LuaVM, L: number, n: number, fname: string): number {
  const m = vm.m;
  if (m._lua_type(L, n) !== LUA_TNUMBER && !m._lua_isnumber(L, n)) argError(vm, L, n, fname, `number expected, got ${typeName(vm, L, n)}`);
  return m._lua_tonumberx(L, n, 0);
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** tonumber(s, base) for base != 10: C's strtoul over the whole text (trailing spaces allowed),
 *  as the double 5.1 makes of the unsigned long; undefined when it is not a number. */
function strtoul(b: Uint8Array, base: number): number | undefined {
  let i = 0;
  const n = b.indexOf(0) === -1 ? b.length : b.indexOf(0);
  while (i < n && isSpace(b[i]!)) i++;
  let neg = false;
  if (b[i] === 43 || b[i] === 45) { neg = b[i] === 45; i++; }
  if (base === 16 && b[i] === 48 && (b[i + 1] === 120 || b[i + 1] === 88)) {
    const d = digit(b[i + 2] ?? 0);
    if (d >= 0 && d < 16) i += 2;
  }
  const first = i;
  let v = 0n;
  let over = false;
  const max = (1n << 64n) - 1n;
  const bb = BigInt(base);
  for (; i < n; i++) {
    const d = digit(b[i]!);
    if (d < 0 || d >= base) break;
    v = v * bb + BigInt(d);
    if (v > max) over = true;
  }
  if (i === first) return undefined;
  while (i < n && isSpace(b[i]!)) i++;
  if (i < n) return undefined;
  if (over) v = max; else if (neg) v = ((1n << 64n) - v) & max;
  return Number(v);
}

function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/** An arithmetic operand as 5.1 coerces it (a number, or a string strtod takes whole), or undefined. */
function num51(vm: LuaVM, L: number, i: number): number | undefined {
  const t = vm.m._lua_type(L, i);
  if (t === LUA_TNUMBER) return vm.m._lua_tonumberx(L, i, 0);
  if (t === LUA_TSTRING) return str2number(vm.toBuffer(L, i));
  return undefined;
}

/** The string metatable's arithmetic metamethods (5.4 moved string coercion there): the
 *  operands are read as 5.1 reads them, as doubles, then the float operation is done by the VM. */
const ARITH: [string, number][] = [['__add', 0], ['__sub', 1], ['__mul', 2], ['__mod', 3], ['__pow', 4], ['__div', 5], ['__unm', 12]];

const FLAGS = [45, 43, 32, 35, 48]; // - + space # 0
const NUMCONV = [99, 100, 105, 111, 117, 120, 88, 101, 69, 102, 103, 71]; // c d i o u x X e E f g G
const isDigitC = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;

let made: { of: unknown; fns: Record<string, number> } | null = null;

function functions(vm: LuaVM): Record<string, number> {
  if (made !== null && made.of === vm.m) return made.fns;
  const m = vm.m;
  const mk = (f: (L: number) => number): number => m.addFunction(f, 'ii');
  // The VM of the calling state: all states share one module, so any LuaVM's helpers work.
  const v = vm;
  const fns: Record<string, number> = {
    error: mk((L) => {
      const level = m._lua_type(L, 2) <= LUA_TNIL ? 1 : checkInt(v, L, 2, 'error');
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
      if (t === LUA_TSTRING) {
        // The chunk's integer literals become floats (numlit.ts), as for a script's body; when
        // that does not compile, the chunk as written is compiled for its error message.
        const src = v.toBuffer(L, 1);
        const fl = floatLiterals(src);
        if (fl !== src) {
          m._lua_pushvalue(L, upvalueIndex(1));
          v.pushBytes(L, fl);
          if (t2 <= LUA_TNIL) m._lua_pushvalue(L, 1); else m._lua_pushvalue(L, 2);
          v.pushLatin1(L, 't');
          m._lua_callk(L, 3, LUA_MULTRET, 0, 0);
          if (m._lua_type(L, 3) === LUA_TFUNCTION) return m._lua_gettop(L) - 2;
          m._lua_settop(L, 2);
        }
      }
      m._lua_pushvalue(L, upvalueIndex(1));
      if (t === LUA_TSTRING) v.pushBytes(L, lua51Source(v.toBuffer(L, 1), false)); else m._lua_pushvalue(L, 1);
      if (t2 <= LUA_TNIL) m._lua_pushvalue(L, 1); else m._lua_pushvalue(L, 2);
      v.pushLatin1(L, 't');
      m._lua_callk(L, 3, LUA_MULTRET, 0, 0);
      if (m._lua_type(L, 3) === LUA_TNIL && m._lua_type(L, 4) === LUA_TSTRING) {
        // 5.1 quotes the end of the chunk: "'<eof>' expected".
        const msg = v.toBuffer(L, 4).latin1Slice();
        const fixed = fixSyntax51(msg);
        if (fixed !== msg) { m._lua_settop(L, 3); v.pushLatin1(L, fixed); }
      }
      return m._lua_gettop(L) - 2;
    }),
    tonumber: mk((L) => {
      // 5.1's luaB_tonumber: every result is a double; strings are read by strtod (luaO_str2d).
      let base = 10;
      if (m._lua_type(L, 2) > LUA_TNIL) base = checkInt(v, L, 2, 'tonumber');
      if (base === 10) {
        const t = m._lua_type(L, 1);
        if (t === LUA_TNONE) argError(v, L, 1, 'tonumber', 'value expected');
        if (t === LUA_TNUMBER) {
          m._lua_pushnumber(L, m._lua_tonumberx(L, 1, 0));
          return 1;
        }
        if (t === LUA_TSTRING) {
          const n = str2number(v.toBuffer(L, 1));
          if (n !== undefined) { m._lua_pushnumber(L, n); return 1; }
        }
        m._lua_pushnil(L);
        return 1;
      }
      const t = m._lua_type(L, 1);
      if (t !== LUA_TSTRING && t !== LUA_TNUMBER) argError(v, L, 1, 'tonumber', `string expected, got ${typeName(v, L, 1)}`);
      if (base < 2 || base > 36) argError(v, L, 2, 'tonumber', 'base out of range');
      const text = t === LUA_TNUMBER ? Buffer.from(numberText(m._lua_tonumberx(L, 1, 0)), 'latin1') : v.toBuffer(L, 1);
      const n = strtoul(text, base);
      if (n === undefined) m._lua_pushnil(L); else m._lua_pushnumber(L, n);
      return 1;
    }),
    floor: mk((L) => {
      m._lua_pushnumber(L, Math.floor(checkNumber(v, L, 1, 'floor')));
      return 1;
    }),
    ceil: mk((L) => {
      m._lua_pushnumber(L, Math.ceil(checkNumber(v, L, 1, 'ceil')));
      return 1;
    }),
    ...Object.fromEntries(ARITH.map(([event, op]) => [event, mk((L) => {
      const x = num51(v, L, 1);
      const y = op === 12 ? x : num51(v, L, 2);
      if (x === undefined || y === undefined) {
        // 5.1's call_binTM: the other operand's metamethod, else the error on the first operand
        // that is not a number.
        for (let i = 1; i <= 2; i++) {
          if (m._lua_type(L, i) !== LUA_TSTRING && m._luaL_getmetafield(L, i, v.cstr(event)) !== LUA_TNIL) {
            m._lua_pushvalue(L, 1);
            m._lua_pushvalue(L, 2);
            m._lua_callk(L, 2, 1, 0, 0);
            return 1;
          }
        }
        return v.raiseWhere(L, `attempt to perform arithmetic on a ${typeName(v, L, x === undefined ? 1 : 2)} value`);
      }
      m._lua_pushnumber(L, x);
      m._lua_pushnumber(L, y);
      m._lua_arith(L, op);
      return 1;
    })])),
    format: mk((L) => {
      // 5.1's str_format argument checks (the formatting itself is the prelude's wrapper, the upvalue).
      const top = m._lua_gettop(L);
      const t1 = m._lua_type(L, 1);
      if (t1 !== LUA_TSTRING && t1 !== LUA_TNUMBER) argError(v, L, 1, 'format', `string expected, got ${typeName(v, L, 1)}`);
      const f = v.toBuffer(L, 1);
      let arg = 1;
      for (let i = 0; i < f.length; i++) {
        if (f[i] !== 37) continue;
        if (f[i + 1] === 37) { i++; continue; }
        if (++arg > top) argError(v, L, arg, 'format', 'no value');
        let p = i + 1;
        while (p < f.length && FLAGS.includes(f[p]!)) p++;
        if (p - (i + 1) >= 6) v.raiseWhere(L, 'invalid format (repeated flags)');
        if (isDigitC(f[p])) p++;
        if (isDigitC(f[p])) p++;
        if (f[p] === 46) { p++; if (isDigitC(f[p])) p++; if (isDigitC(f[p])) p++; }
        if (isDigitC(f[p])) v.raiseWhere(L, 'invalid format (width or precision too long)');
        const c = p < f.length ? f[p]! : 0;
        i = p;
        const t = m._lua_type(L, arg);
        if (NUMCONV.includes(c)) {
          if (t !== LUA_TNUMBER && !(t === LUA_TSTRING && str2number(v.toBuffer(L, arg)) !== undefined)) {
            argError(v, L, arg, 'format', `number expected, got ${typeName(v, L, arg)}`);
          }
        } else if (c === 113 || c === 115) { // q s
          if (t !== LUA_TSTRING && t !== LUA_TNUMBER) argError(v, L, arg, 'format', `string expected, got ${typeName(v, L, arg)}`);
        } else {
          v.raiseWhere(L, `invalid option '%${String.fromCharCode(c)}' to 'format'`);
        }
      }
      m._lua_pushvalue(L, upvalueIndex(1));
      m._lua_rotate(L, 1, 1);
      m._lua_callk(L, top, LUA_MULTRET, 0, 0);
      return m._lua_gettop(L);
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
  global('tonumber', f.tonumber!, null);
  v51StringArith(vm, L, f);
  m._lua_getglobal(L, vm.cstr('math'));
  m._lua_pushcclosure(L, f.floor!, 0);
  m._lua_setfield(L, -2, vm.cstr('floor'));
  m._lua_pushcclosure(L, f.ceil!, 0);
  m._lua_setfield(L, -2, vm.cstr('ceil'));
  m._lua_settop(L, -2);
  m._lua_getglobal(L, vm.cstr('string'));
  m._lua_getfield(L, -1, vm.cstr('format'));
  m._lua_pushcclosure(L, f.format!, 1);
  m._lua_setfield(L, -2, vm.cstr('format'));
  m._lua_settop(L, -2);
  m._lua_getglobal(L, vm.cstr('table'));
  m._lua_pushcclosure(L, f.getn!, 0);
  m._lua_setfield(L, -2, vm.cstr('getn'));
  m._lua_pushcclosure(L, f.insert!, 0);
  m._lua_setfield(L, -2, vm.cstr('insert'));
  m._lua_settop(L, -2);
}

/** Replaces the string metatable's arithmetic metamethods (string coercion as 5.1 does it). */
function v51StringArith(vm: LuaVM, L: number, f: Record<string, number>): void {
  const m = vm.m;
  vm.pushLatin1(L, '');
  m._lua_getmetatable(L, -1);
  for (const [event] of ARITH) {
    m._lua_pushcclosure(L, f[event]!, 0);
    m._lua_setfield(L, -2, vm.cstr(event));
  }
  m._lua_settop(L, -3);
}
