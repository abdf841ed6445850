/**
 * Redis's `cmsgpack` library (lua-cmsgpack 0.4.0 on Lua 5.1): MessagePack for Lua values.
 * Encoding, as the 5.1 build decides it:
 * - a number that a 64-bit integer holds exactly is an integer in the smallest MessagePack
 *   form (positive values use the unsigned forms); other numbers are a float32 when the
 *   float holds them exactly (1.5, Inf), else a float64 (0.1, NaN);
 * - a table whose keys are exactly 1..N (numbers that an int holds) is an array, every other
 *   table is a map (in the table's traversal order); the empty table is an empty array;
 * - tables nested 16 deep, and nil, functions, userdata (cjson.null too), become nil (0xc0);
 * - several arguments give the concatenation of their encodings.
 * Decoding pushes doubles (uint64 values above 2^63 come back negative, as Redis's
 * lua_pushinteger cast makes them), nil for 0xc0, and tables for arrays and maps. The Lua
 * 5.1 limit of 8000 stack slots per C call bounds how many values one unpack may return.
 * Errors keep Redis's texts ("Missing bytes in input.", "Bad data format in input.", ...).
 * Costs: linear in the encoded size; a table is walked twice (array check, then encoding).
 */
import type { LuaVM } from '../vm.js';
import { LUA_TBOOLEAN, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from '../vm.js';
import { ByteWriter } from './bytes.js';
import { libCtx, type LibCtx } from './capi.js';
import { int64ToInt32, toInt32, toInt64 } from './cnum.js';

const MAX_NESTING = 16;
const INT_MAX = 2147483647;
const dv = new DataView(new ArrayBuffer(8));

function encodeBytesHeader(w: ByteWriter, len: number): void {
  if (len < 32) w.byte(0xa0 | len);
  else if (len <= 0xff) { w.byte(0xd9); w.byte(len); }
  else if (len <= 0xffff) { w.byte(0xda); w.byte(len >>> 8); w.byte(len & 0xff); }
  else { w.byte(0xdb); w.byte((len >>> 24) & 0xff); w.byte((len >>> 16) & 0xff); w.byte((len >>> 8) & 0xff); w.byte(len & 0xff); }
}

function be32(w: ByteWriter, n: number): void {
  w.byte((n >>> 24) & 0xff); w.byte((n >>> 16) & 0xff); w.byte((n >>> 8) & 0xff); w.byte(n & 0xff);
}
function be64(w: ByteWriter, n: number): void {
  const v = BigInt.asUintN(64, BigInt(n));
  be32(w, Number(v >> 32n));
  be32(w, Number(v & 0xffffffffn));
}

/** mp_encode_int: n is an integer in [-2^63, 2^63). */
function encodeInt(w: ByteWriter, n: number): void {
  if (n >= 0) {
    if (n <= 127) w.byte(n);
    else if (n <= 0xff) { w.byte(0xcc); w.byte(n); }
    else if (n <= 0xffff) { w.byte(0xcd); w.byte(n >>> 8); w.byte(n & 0xff); }
    else if (n <= 0xffffffff) { w.byte(0xce); be32(w, n); }
    else { w.byte(0xcf); be64(w, n); }
  } else if (n >= -32) w.byte(n & 0xff);
  else if (n >= -128) { w.byte(0xd0); w.byte(n & 0xff); }
  else if (n >= -32768) { w.byte(0xd1); w.byte((n >> 8) & 0xff); w.byte(n & 0xff); }
  else if (n >= -2147483648) { w.byte(0xd2); be32(w, n >>> 0); }
  else { w.byte(0xd3); be64(w, n); }
}

function encodeDouble(w: ByteWriter, d: number): void {
  const f = Math.fround(d);
  if (d === f) {
    w.byte(0xca);
    dv.setFloat32(0, f);
    for (let i = 0; i < 4; i++) w.byte(dv.getUint8(i));
  } else {
    w.byte(0xcb);
    dv.setFloat64(0, d);
    for (let i = 0; i < 8; i++) w.byte(dv.getUint8(i));
  }
}

function tableIsAnArray(c: LibCtx, L: number): boolean {
  const m = c.m;
  const top = m._lua_gettop(L);
  let count = 0;
  let max = 0;
  c.checkStack(L, 2, 'in function table_is_an_array');
  m._lua_pushnil(L);
  while (m._lua_next(L, -2)) {
    m._lua_settop(L, -2);
    let n: number;
    if (m._lua_type(L, -1) !== LUA_TNUMBER || (n = m._lua_tonumberx(L, -1, 0)) <= 0 || toInt32(n) !== n) {
      m._lua_settop(L, top);
      return false;
    }
    max = n > max ? n : max;
    count++;
  }
  m._lua_settop(L, top);
  return max === count;
}

/** Encodes the value on top of the stack and pops it. */
function encodeValue(c: LibCtx, L: number, w: ByteWriter, level: number): void {
  const m = c.m;
  let t = m._lua_type(L, -1);
  if (t === LUA_TTABLE && level === MAX_NESTING) t = LUA_TNIL;
  switch (t) {
    case LUA_TSTRING: {
      const p = c.lstr(L, -1);
      const len = c.lastLen;
      encodeBytesHeader(w, len);
      w.bytes(m.HEAPU8, p, p + len);
      break;
    }
    case LUA_TBOOLEAN:
      w.byte(m._lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      break;
    case LUA_TNUMBER: {
      const n = m._lua_tonumberx(L, -1, 0);
      if (Number.isFinite(n) && toInt64(n) === n) encodeInt(w, n);
      else encodeDouble(w, n);
      break;
    }
    case LUA_TTABLE:
      if (tableIsAnArray(c, L)) {
        const len = Number(m._lua_rawlen(L, -1));
        if (len <= 15) w.byte(0x90 | len);
        else if (len <= 65535) { w.byte(0xdc); w.byte(len >>> 8); w.byte(len & 0xff); }
        else { w.byte(0xdd); be32(w, len); }
        c.checkStack(L, 1, 'in function mp_encode_lua_table_as_array');
        for (let j = 1; j <= len; j++) {
          m._lua_pushnumber(L, j);
          m._lua_gettable(L, -2);
          encodeValue(c, L, w, level + 1);
        }
      } else {
        c.checkStack(L, 3, 'in function mp_encode_lua_table_as_map');
        let len = 0;
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) { m._lua_settop(L, -2); len++; }
        if (len <= 15) w.byte(0x80 | len);
        else if (len <= 65535) { w.byte(0xde); w.byte(len >>> 8); w.byte(len & 0xff); }
        else { w.byte(0xdf); be32(w, len); }
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) {
          m._lua_pushvalue(L, -2);
          encodeValue(c, L, w, level + 1);
          encodeValue(c, L, w, level + 1);
        }
      }
      break;
    default:
      w.byte(0xc0);
  }
  m._lua_settop(L, -2);
}

function pack(c: LibCtx, L: number): number {
  const m = c.m;
  const nargs = m._lua_gettop(L);
  if (nargs === 0) c.argError(L, 0, 'MessagePack pack needs input.');
  if (!c.luaCheckStack(L, nargs)) c.argError(L, 0, 'Too many arguments for MessagePack pack.');
  const w = new ByteWriter();
  for (let i = 1; i <= nargs; i++) {
    c.checkStack(L, 1, 'in function mp_check');
    m._lua_pushvalue(L, i);
    encodeValue(c, L, w, 0);
    c.pushBytes(L, w.result());
    w.reset();
  }
  m._lua_concat(L, nargs);
  return 1;
}

const EOF_ERR = 1;
const BADFMT = 2;

interface Cur { b: Buffer; p: number; left: number; err: number }

/** Raises the Lua 5.1 table-set error for a nil or NaN key (luaH_set's runtime error). */
function checkKey(c: LibCtx, L: number): void {
  const m = c.m;
  const t = m._lua_type(L, -2);
  if (t === LUA_TNIL) { c.pushText(L, 'table index is nil'); m._lua_error(L); }
  if (t === LUA_TNUMBER && Number.isNaN(m._lua_tonumberx(L, -2, 0))) { c.pushText(L, 'table index is NaN'); m._lua_error(L); }
}

function u32(b: Buffer, p: number): number {
  return b.readUInt32BE(p);
}

/** mp_cur_need: false (and the EOF error set) when fewer than n bytes are left. */
function need(cur: Cur, n: number): boolean {
  if (cur.left < n) { cur.err = EOF_ERR; return false; }
  return true;
}

/** An array or map being filled: elements left, next array index, whether a map key is pending. */
interface MpFrame { map: boolean; left: number; index: number; haveKey: boolean }

/**
 * mp_decode_to_lua_type without recursion: open arrays and maps are frames of an explicit
 * stack, in the C code's order of pushes, checks and errors, so the depth is bounded by the
 * 8000-slot check, not the JS stack. Leaves one value on the stack, or sets cur.err.
 */
function decodeValue(c: LibCtx, L: number, cur: Cur): void {
  const m = c.m;
  const frames: MpFrame[] = [];
  for (;;) {
    if (!need(cur, 1)) return;
    c.checkStack(L, 1, 'too many return values at once; use unpack_one or unpack_limit instead.');
    const b = cur.b;
    const p = cur.p;
    const t = b[p];
    let hdr = 0;
    let len = 0;
    let isMap = false;
    let str = -1;
    switch (t) {
      case 0xcc: if (!need(cur, 2)) return; m._lua_pushnumber(L, b[p + 1]); hdr = 2; break;
      case 0xd0: if (!need(cur, 2)) return; m._lua_pushnumber(L, b.readInt8(p + 1)); hdr = 2; break;
      case 0xcd: if (!need(cur, 3)) return; m._lua_pushnumber(L, b.readUInt16BE(p + 1)); hdr = 3; break;
      case 0xd1: if (!need(cur, 3)) return; m._lua_pushnumber(L, b.readInt16BE(p + 1)); hdr = 3; break;
      case 0xce: if (!need(cur, 5)) return; m._lua_pushnumber(L, u32(b, p + 1)); hdr = 5; break;
      case 0xd2: if (!need(cur, 5)) return; m._lua_pushnumber(L, b.readInt32BE(p + 1)); hdr = 5; break;
      case 0xcf: case 0xd3: // both reach Lua as a signed 64-bit value converted to a double
        if (!need(cur, 9)) return;
        m._lua_pushnumber(L, Number(b.readBigInt64BE(p + 1)));
        hdr = 9;
        break;
      case 0xc0: m._lua_pushnil(L); hdr = 1; break;
      case 0xc3: m._lua_pushboolean(L, 1); hdr = 1; break;
      case 0xc2: m._lua_pushboolean(L, 0); hdr = 1; break;
      case 0xca: if (!need(cur, 5)) return; m._lua_pushnumber(L, b.readFloatBE(p + 1)); hdr = 5; break;
      case 0xcb: if (!need(cur, 9)) return; m._lua_pushnumber(L, b.readDoubleBE(p + 1)); hdr = 9; break;
      case 0xd9: if (!need(cur, 2)) return; hdr = 2; str = b[p + 1]; break;
      case 0xda: if (!need(cur, 3)) return; hdr = 3; str = b.readUInt16BE(p + 1); break;
      case 0xdb: if (!need(cur, 5)) return; hdr = 5; str = u32(b, p + 1); break;
      case 0xdc: if (!need(cur, 3)) return; cur.p += 3; cur.left -= 3; len = b.readUInt16BE(p + 1); break;
      case 0xdd: if (!need(cur, 5)) return; cur.p += 5; cur.left -= 5; len = u32(b, p + 1); break;
      case 0xde: if (!need(cur, 3)) return; cur.p += 3; cur.left -= 3; len = b.readUInt16BE(p + 1); isMap = true; break;
      case 0xdf: if (!need(cur, 5)) return; cur.p += 5; cur.left -= 5; len = u32(b, p + 1); isMap = true; break;
      default:
        if ((t & 0x80) === 0) { m._lua_pushnumber(L, t); hdr = 1; }
        else if ((t & 0xe0) === 0xe0) { m._lua_pushnumber(L, t - 256); hdr = 1; }
        else if ((t & 0xe0) === 0xa0) { hdr = 1; str = t & 0x1f; }
        else if ((t & 0xf0) === 0x90) { cur.p += 1; cur.left -= 1; len = t & 0xf; }
        else if ((t & 0xf0) === 0x80) { cur.p += 1; cur.left -= 1; len = t & 0xf; isMap = true; }
        else { cur.err = BADFMT; return; }
    }
    if (hdr) {
      if (str >= 0) {
        if (!need(cur, hdr + str)) return;
        c.pushBytes(L, b.subarray(p + hdr, p + hdr + str));
        hdr += str;
      }
      cur.p += hdr;
      cur.left -= hdr;
    } else {
      m._lua_createtable(L, 0, 0);
      if (!isMap) c.checkStack(L, 1, 'in function mp_decode_to_lua_array');
      if (len > 0) {
        frames.push({ map: isMap, left: len, index: 1, haveKey: false });
        if (!isMap) m._lua_pushnumber(L, 1);
        continue;
      }
    }
    // A value is complete: store it, closing the containers it completes.
    let next = false;
    while (frames.length && !next) {
      const f = frames[frames.length - 1];
      if (!f.map) {
        m._lua_settable(L, -3);
        if (--f.left === 0) { frames.pop(); continue; }
        m._lua_pushnumber(L, ++f.index);
      } else if (!f.haveKey) {
        f.haveKey = true;
      } else {
        checkKey(c, L);
        m._lua_settable(L, -3);
        f.haveKey = false;
        if (--f.left === 0) { frames.pop(); continue; }
      }
      next = true;
    }
    if (!next) return;
  }
}

function unpackFull(c: LibCtx, L: number, limit: number, offset: number): number {
  const m = c.m;
  const s = c.checkLString(L, 1);
  const len = s.length;
  const decodeAll = !limit && !offset;
  if (offset < 0 || limit < 0) {
    c.error(L, `Invalid request to unpack with offset of ${int64ToInt32(offset)} and limit of ${int64ToInt32(len)}.`);
  } else if (offset > len) {
    c.error(L, `Start offset ${int64ToInt32(offset)} greater than input length ${int64ToInt32(len)}.`);
  }
  if (decodeAll) limit = INT_MAX;
  const cur: Cur = { b: s, p: offset, left: len - offset, err: 0 };
  let cnt: number;
  for (cnt = 0; cur.left > 0 && cnt < limit; cnt++) {
    decodeValue(c, L, cur);
    if (cur.err === EOF_ERR) c.error(L, 'Missing bytes in input.');
    else if (cur.err === BADFMT) c.error(L, 'Bad data format in input.');
  }
  if (!decodeAll) {
    c.checkStack(L, 1, 'in function mp_unpack_full');
    m._lua_pushnumber(L, cur.left === 0 ? -1 : len - cur.left);
    m._lua_rotate(L, 2, 1);
    cnt += 1;
  }
  return cnt;
}

/** Creates the global table `cmsgpack`. */
export function installCmsgpack(vm: LuaVM, L: number): void {
  const c = libCtx(vm.m);
  const m = c.m;
  m._lua_createtable(L, 0, 8);
  c.setClosure(L, -1, 'pack', c.fn('cmsgpack.pack', (L) => pack(c, L)), 0);
  c.setClosure(L, -1, 'unpack', c.fn('cmsgpack.unpack', (L) => unpackFull(c, L, 0, 0)), 0);
  c.setClosure(L, -1, 'unpack_one', c.fn('cmsgpack.unpack_one', (L) => {
    const offset = c.optInteger(L, 2, 0);
    m._lua_settop(L, Math.min(1, m._lua_gettop(L)));
    return unpackFull(c, L, 1, offset);
  }), 0);
  c.setClosure(L, -1, 'unpack_limit', c.fn('cmsgpack.unpack_limit', (L) => {
    const limit = c.checkInteger(L, 2);
    const offset = c.optInteger(L, 3, 0);
    m._lua_settop(L, Math.min(1, m._lua_gettop(L)));
    return unpackFull(c, L, limit, offset);
  }), 0);
  const fields: [string, string][] = [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ];
  for (const [k, v] of fields) {
    c.pushText(L, v);
    m._lua_setfield(L, -2, c.cstr(k));
  }
  m._lua_setglobal(L, c.cstr('cmsgpack'));
}
