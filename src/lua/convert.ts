/**
 * Conversions between Redis replies and Lua values, both ways, as Redis 7.0's script_lua.c
 * does them (redisProtocolToLuaType and luaReplyToRedisReply).
 *
 * Reply -> Lua (what `redis.call` returns): the command ran on the script's own client, whose
 * reply bytes (RESP2, or RESP3 after `redis.setresp(3)`) are parsed here straight into Lua
 * values: integer -> number (a float, as 5.1's only number type), bulk -> string, null bulk or
 * null array -> false, status -> {ok=s}, error -> {err=s}, array -> table; RESP3: null -> nil,
 * boolean -> boolean, double -> {double=n}, map -> {map={k=v}}, set -> {set={m=true}},
 * big number -> {big_number=s}, verbatim -> {verbatim_string={format=f, string=s}}; attributes
 * are skipped. Cost: one pass over the bytes; each string is one copy into the WASM heap.
 *
 * Lua -> reply (what a script returns): string -> bulk; number -> integer, truncated toward
 * zero (a value C cannot convert gives -9223372036854775808, as Redis on x86-64); true -> 1 and
 * false -> null in RESP2 (RESP3 booleans after setresp(3)); a table with a string `err` -> error,
 * `ok` -> status (CR/LF become spaces), `double`, `big_number`, `verbatim_string`, `map`, `set`;
 * any other table -> array up to its first nil; anything else -> null. Cost: O(size of the value).
 */
import type { ReplyWriter } from '../protocol/reply.js';
import { formatDouble17g } from '../numbers.js';
import { numberText } from './libs/capi.js';
import { LUA_STACK_LIMIT } from '../errors.js';
import { type LuaVM, LUA_TBOOLEAN, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from './vm.js';

const INT64_MIN_TEXT = '-9223372036854775808';
const MAX_DEPTH = 1000;

/** Pushes the error table Redis's luaPushErrorBuff makes from `text` ("-CODE msg" or "msg"). */
export function pushErrorTable(vm: LuaVM, L: number, text: string, ignoreStats: boolean): void {
  const m = vm.m;
  let code = 'ERR';
  let msg: string;
  if (text.charCodeAt(0) === 45) {
    const sp = text.indexOf(' ');
    if (sp === -1) msg = text.slice(1);
    else { code = text.slice(1, sp); msg = text.slice(sp + 1); }
  } else {
    msg = text;
  }
  msg = trimCrlf(msg);
  let full = `${code} ${msg}`;
  // lua_pushstring: the text ends at its first NUL byte.
  const z = full.indexOf('\0');
  if (z !== -1) full = full.slice(0, z);
  m._lua_createtable(L, 0, 2);
  vm.pushLatin1(L, full);
  m._lua_setfield(L, -2, vm.cstr('err'));
  if (ignoreStats) {
    m._lua_pushboolean(L, 1);
    m._lua_setfield(L, -2, vm.cstr('ignore_error_stats_update'));
  }
}

function trimCrlf(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 13 || s.charCodeAt(a) === 10)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 13 || s.charCodeAt(b - 1) === 10)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** A CRLF-terminated line's text from `from` (the type byte's successor); returns [text, next pos]. */
function line(b: Buffer, from: number): [string, number] {
  const cr = b.indexOf(13, from);
  return [b.latin1Slice(from, cr), cr + 2];
}

function parseDouble(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan' || s === '-nan') return NaN;
  return Number(s);
}

/**
 * Pushes the Lua value of the reply at `pos` of `b` (or skips it when `push` is false, for
 * attributes); returns the position after it.
 */
export function pushReply(vm: LuaVM, L: number, b: Buffer, pos: number, push = true): number {
  const m = vm.m;
  const t = b[pos]!;
  switch (t) {
    case 58: { // ':' integer -> number
      const [s, next] = line(b, pos + 1);
      if (push) m._lua_pushnumber(L, Number(s));
      return next;
    }
    case 36: { // '$' bulk
      const [s, next] = line(b, pos + 1);
      const n = Number(s);
      if (n < 0) { if (push) m._lua_pushboolean(L, 0); return next; }
      if (push) vm.pushSlice(L, b, next, next + n);
      return next + n + 2;
    }
    case 43: { // '+' status -> {ok=...}
      const [s, next] = line(b, pos + 1);
      if (push) {
        m._lua_createtable(L, 0, 1);
        vm.pushLatin1(L, s);
        m._lua_setfield(L, -2, vm.cstr('ok'));
      }
      return next;
    }
    case 45: { // '-' error -> {err=...}
      const [s, next] = line(b, pos + 1);
      if (push) pushErrorTable(vm, L, '-' + s, true);
      return next;
    }
    case 42: case 126: case 62: { // '*' array, '~' set, '>' push
      const [s, next] = line(b, pos + 1);
      const n = Number(s);
      if (n < 0) { if (push) m._lua_pushboolean(L, 0); return next; }
      let p = next;
      if (t === 126) {
        if (push) {
          m._lua_checkstack(L, 4);
          m._lua_createtable(L, 0, 1);
          m._lua_createtable(L, 0, n);
        }
        for (let j = 0; j < n; j++) {
          p = pushReply(vm, L, b, p, push);
          if (push) { m._lua_pushboolean(L, 1); m._lua_rawset(L, -3); }
        }
        if (push) m._lua_setfield(L, -2, vm.cstr('set'));
        return p;
      }
      if (push) { m._lua_checkstack(L, 3); m._lua_createtable(L, n, 0); }
      for (let j = 0; j < n; j++) {
        p = pushReply(vm, L, b, p, push);
        if (push) m._lua_rawseti(L, -2, BigInt(j + 1));
      }
      return p;
    }
    case 37: { // '%' map -> {map={...}}
      const [s, next] = line(b, pos + 1);
      const n = Number(s);
      let p = next;
      if (push) {
        m._lua_checkstack(L, 5);
        m._lua_createtable(L, 0, 1);
        m._lua_createtable(L, 0, n);
      }
      for (let j = 0; j < n; j++) {
        p = pushReply(vm, L, b, p, push);
        p = pushReply(vm, L, b, p, push);
        if (push) m._lua_settable(L, -3);
      }
      if (push) m._lua_setfield(L, -2, vm.cstr('map'));
      return p;
    }
    case 95: { // '_' null -> nil
      if (push) m._lua_pushnil(L);
      return pos + 3;
    }
    case 35: { // '#' boolean
      if (push) m._lua_pushboolean(L, b[pos + 1] === 116 ? 1 : 0);
      return pos + 4;
    }
    case 44: { // ',' double -> {double=n}
      const [s, next] = line(b, pos + 1);
      if (push) {
        m._lua_createtable(L, 0, 1);
        m._lua_pushnumber(L, parseDouble(s));
        m._lua_setfield(L, -2, vm.cstr('double'));
      }
      return next;
    }
    case 40: { // '(' big number -> {big_number=s}
      const [s, next] = line(b, pos + 1);
      if (push) {
        m._lua_createtable(L, 0, 1);
        vm.pushLatin1(L, s);
        m._lua_setfield(L, -2, vm.cstr('big_number'));
      }
      return next;
    }
    case 61: { // '=' verbatim -> {verbatim_string={format=, string=}}
      const [s, next] = line(b, pos + 1);
      const n = Number(s);
      if (push) {
        m._lua_createtable(L, 0, 1);
        m._lua_createtable(L, 0, 2);
        vm.pushSlice(L, b, next + 4, next + n);
        m._lua_setfield(L, -2, vm.cstr('string'));
        vm.pushSlice(L, b, next, next + 3);
        m._lua_setfield(L, -2, vm.cstr('format'));
        m._lua_setfield(L, -2, vm.cstr('verbatim_string'));
      }
      return next + n + 2;
    }
    case 124: { // '|' attribute: skipped, then the reply it describes
      const [s, next] = line(b, pos + 1);
      const n = Number(s);
      let p = next;
      for (let j = 0; j < 2 * n; j++) p = pushReply(vm, L, b, p, false);
      return pushReply(vm, L, b, p, push);
    }
    default:
      throw new Error(`cachette: unexpected reply byte ${t} converting a reply for Lua`);
  }
}

/** What luaReplyToRedisReply needs besides the value: the writer and the script's RESP. */
export interface ReplyTarget {
  w: ReplyWriter;
  /** The RESP version the script chose (redis.setresp); decides how booleans go out. */
  scriptResp: number;
  /** Writes an error reply; `countStats` false for errors already counted (from redis.call). */
  error(msg: string, countStats: boolean): void;
}

/** The C cast (long long)d as x86-64 does it: truncation, and INT64_MIN when out of range. */
export function luaNumberToInteger(d: number): string {
  if (Number.isNaN(d) || d >= 9223372036854775807 || d < -9223372036854775808) return INT64_MIN_TEXT;
  const t = Math.trunc(d);
  if (Number.isSafeInteger(t)) return String(t === 0 ? 0 : t);
  return BigInt(t).toString();
}

/** Converts the value on top of the stack of `L` to a reply into `out`, and pops it. */
export function writeLuaValue(vm: LuaVM, L: number, out: ReplyTarget, depth = 0): void {
  const m = vm.m;
  const w = out.w;
  // Redis stops on lua_checkstack (5.1's 8000-slot C stack); cachette bounds the nesting at
  // MAX_DEPTH so a self-referencing table cannot exhaust the JS stack.
  if (depth > MAX_DEPTH || !m._lua_checkstack(L, 4)) {
    out.error(LUA_STACK_LIMIT, true);
    m._lua_settop(L, -2);
    return;
  }
  const t = m._lua_type(L, -1);
  switch (t) {
    case LUA_TSTRING:
      w.bulk(vm.toLatin1(L, -1));
      break;
    case LUA_TBOOLEAN:
      if (out.scriptResp === 2) {
        if (m._lua_toboolean(L, -1)) w.integer(1); else w.nil();
      } else {
        w.bool(m._lua_toboolean(L, -1) !== 0);
      }
      break;
    case LUA_TNUMBER:
      // As a 5.1 number (a double), even when 5.4 holds it as an integer.
      w.raw(`:${luaNumberToInteger(m._lua_tonumberx(L, -1, 0))}\r\n`);
      break;
    case LUA_TTABLE:
      writeTable(vm, L, out, depth);
      break;
    default:
      w.nil();
  }
  m._lua_settop(L, -2);
}

/** Reads t[field] (raw) onto the stack and returns its type. */
function rawField(vm: LuaVM, L: number, field: string): number {
  vm.pushLatin1(L, field);
  return vm.m._lua_rawget(L, -2);
}

function writeTable(vm: LuaVM, L: number, out: ReplyTarget, depth: number): void {
  const m = vm.m;
  const w = out.w;
  // {err=...}: an error reply.
  if (rawField(vm, L, 'err') === LUA_TSTRING) {
    m._lua_settop(L, -2);
    const e = errorInfo(vm, L);
    out.error(e.msg, !e.ignoreStats);
    return;
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'ok') === LUA_TSTRING) {
    const s = vm.toLatin1(L, -1);
    const z = s.indexOf('\0');
    w.simple((z === -1 ? s : s.slice(0, z)).replace(/[\r\n]/g, ' '));
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'double') === LUA_TNUMBER) {
    const x = m._lua_tonumberx(L, -1, 0);
    // printf's %.17g keeps a NaN's sign (5.1's 0/0 is -nan on x86-64).
    if (x !== x) {
      const s = numberText(x);
      if (w.resp === 3) w.raw(`,${s}\r\n`); else w.bulk(s);
    } else {
      w.double(x);
    }
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'big_number') === LUA_TSTRING) {
    const s = vm.toLatin1(L, -1).replace(/[\r\n]/g, ' ');
    if (w.resp === 3) w.raw(`(${s}\r\n`); else w.bulk(s);
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'verbatim_string') === LUA_TTABLE) {
    if (rawField(vm, L, 'format') === LUA_TSTRING) {
      const format = vm.toLatin1(L, -1);
      vm.pushLatin1(L, 'string');
      if (m._lua_rawget(L, -3) === LUA_TSTRING) {
        const s = vm.toLatin1(L, -1);
        if (w.resp === 3) {
          w.raw(`=${s.length + 4}\r\n${format.slice(0, 3).padEnd(3, '\0')}:`);
          w.raw(s);
          w.raw('\r\n');
        } else {
          w.bulk(s);
        }
        m._lua_settop(L, -4);
        return;
      }
      m._lua_settop(L, -2);
    }
    m._lua_settop(L, -2);
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'map') === LUA_TTABLE) {
    let n = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, -2)) { m._lua_settop(L, -2); n++; }
    w.map(n);
    m._lua_pushnil(L);
    while (m._lua_next(L, -2)) {
      m._lua_pushvalue(L, -2);
      writeLuaValue(vm, L, out, depth + 1); // the key
      writeLuaValue(vm, L, out, depth + 1); // the value
    }
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  if (rawField(vm, L, 'set') === LUA_TTABLE) {
    let n = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, -2)) { m._lua_settop(L, -2); n++; }
    w.set(n);
    m._lua_pushnil(L);
    while (m._lua_next(L, -2)) {
      m._lua_settop(L, -2);
      m._lua_pushvalue(L, -1);
      writeLuaValue(vm, L, out, depth + 1);
    }
    m._lua_settop(L, -2);
    return;
  }
  m._lua_settop(L, -2);
  // An array, up to the first nil: counted first, then written.
  let n = 0;
  while (m._lua_rawgeti(L, -1, BigInt(n + 1)) !== LUA_TNIL) { m._lua_settop(L, -2); n++; }
  m._lua_settop(L, -2);
  w.array(n);
  for (let j = 1; j <= n; j++) {
    m._lua_rawgeti(L, -1, BigInt(j));
    writeLuaValue(vm, L, out, depth + 1);
  }
}

/** The error information Redis's luaExtractErrorInformation reads from an error table on top. */
export interface ErrorInfo { msg: string; source: string | null; line: string | null; ignoreStats: boolean }

export function errorInfo(vm: LuaVM, L: number): ErrorInfo {
  const m = vm.m;
  const info: ErrorInfo = { msg: '', source: null, line: null, ignoreStats: false };
  m._lua_getfield(L, -1, vm.cstr('err'));
  if (m._lua_isstring(L, -1)) info.msg = vm.toLatin1(L, -1);
  m._lua_settop(L, -2);
  m._lua_getfield(L, -1, vm.cstr('source'));
  if (m._lua_isstring(L, -1)) info.source = vm.toLatin1(L, -1);
  m._lua_settop(L, -2);
  m._lua_getfield(L, -1, vm.cstr('line'));
  if (m._lua_isstring(L, -1)) info.line = vm.toLatin1(L, -1);
  m._lua_settop(L, -2);
  m._lua_getfield(L, -1, vm.cstr('ignore_error_stats_update'));
  if (m._lua_type(L, -1) === LUA_TBOOLEAN) info.ignoreStats = m._lua_toboolean(L, -1) !== 0;
  m._lua_settop(L, -2);
  return info;
}

/** A Lua number as a redis.call argument: C's "%.17g". */
export function numberArg(d: number): string {
  if (Number.isNaN(d)) return '-nan';
  return formatDouble17g(d);
}
