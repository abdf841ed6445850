/**
 * Redis's `cjson` library (Lua CJSON 2.1.0 as Redis 7.0 ships it), on Lua 5.1 semantics.
 * Encoding walks the Lua value with the C API and writes JSON bytes:
 * - strings escape '"', '\\', '/', control characters (\b \t \n \f \r, else \u00XX) and DEL;
 * - numbers print with printf's %.14g (encode_number_precision), NaN/Inf are refused
 *   (encode_invalid_numbers: "on" prints nan/inf, "null" prints null);
 * - a table whose keys are all integers >= 1 is an array up to its largest key (holes are
 *   null) unless it is "excessively sparse" (largest key > ratio * items and > safe: an error,
 *   or an object when encode_sparse_array converts); every other table, and the empty table,
 *   is an object in the table's traversal order with number keys printed as strings;
 * - nesting deeper than encode_max_depth (1000) is refused; cjson.null (a NULL light userdata)
 *   is null; functions and other userdata are refused.
 * Decoding is a token scanner as lua_cjson.c's: numbers go through glibc strtod (so "0x10",
 * "Infinity", "nan", "+1", leading zeros decode unless decode_invalid_numbers is off) and are
 * doubles (big integers lose precision, as in Redis); a NUL byte ends the text; null is
 * cjson.null; nesting beyond decode_max_depth (1000) is refused. Error texts are the C texts,
 * with 1-based character positions.
 * The configuration lives in a full userdata (GC'd with the table), upvalue 1 of each function,
 * so `cjson.new()` gets its own configuration as in C. Costs: linear in input and output.
 */
import type { LuaVM } from '../vm.js';
import { LUA_TBOOLEAN, LUA_TLIGHTUSERDATA, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from '../vm.js';
import { ByteWriter } from './bytes.js';
import { libCtx, upvalueIndex, type LibCtx } from './capi.js';
import { fmtG, int64ToInt32, strtod, toInt32 } from './cnum.js';

// Configuration fields (int32 slots of the userdata).
const SPARSE_CONVERT = 0;
const SPARSE_RATIO = 1;
const SPARSE_SAFE = 2;
const ENCODE_MAX_DEPTH = 3;
const ENCODE_INVALID_NUMBERS = 4;
const ENCODE_NUMBER_PRECISION = 5;
const ENCODE_KEEP_BUFFER = 6;
const DECODE_INVALID_NUMBERS = 7;
const DECODE_MAX_DEPTH = 8;
const CFG_SLOTS = 9;
const DEFAULTS = [0, 2, 10, 1000, 0, 14, 1, 1, 1000];
const INT_MAX = 2147483647;

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** The escape text of each byte, or undefined when the byte is copied as is. */
const ESCAPES: (Uint8Array | undefined)[] = [];
for (let i = 0; i < 256; i++) {
  let e: string | undefined;
  if (i < 0x20 || i === 0x7f) e = '\\u' + i.toString(16).padStart(4, '0');
  if (i === 8) e = '\\b';
  if (i === 9) e = '\\t';
  if (i === 10) e = '\\n';
  if (i === 12) e = '\\f';
  if (i === 13) e = '\\r';
  if (i === 0x22) e = '\\"';
  if (i === 0x5c) e = '\\\\';
  if (i === 0x2f) e = '\\/';
  ESCAPES.push(e === undefined ? undefined : Buffer.from(e, 'latin1'));
}

class Cfg {
  constructor(private readonly c: LibCtx, readonly p: number) {}
  get(f: number): number { return this.c.m.HEAPU32[(this.p >> 2) + f] | 0; }
  set(f: number, v: number): void { this.c.m.HEAPU32[(this.p >> 2) + f] = v >>> 0; }
}

function fetchConfig(c: LibCtx, L: number): Cfg {
  const p = c.m._lua_touserdata(L, upvalueIndex(1));
  if (!p) c.error(L, 'BUG: Unable to fetch CJSON configuration');
  return new Cfg(c, p);
}

// ---- configuration functions ----

function argInit(c: LibCtx, L: number, args: number): Cfg {
  if (!(c.m._lua_gettop(L) <= args)) c.argError(L, args + 1, 'found too many arguments');
  while (c.m._lua_gettop(L) < args) c.m._lua_pushnil(L);
  return fetchConfig(c, L);
}

function integerOption(c: LibCtx, L: number, idx: number, cfg: Cfg, field: number, min: number, max: number): void {
  if (c.m._lua_type(L, idx) !== LUA_TNIL) {
    const value = int64ToInt32(c.checkInteger(L, idx));
    if (!(min <= value && value <= max)) c.argError(L, 1, `expected integer between ${min} and ${max}`);
    cfg.set(field, value);
  }
  c.m._lua_pushnumber(L, cfg.get(field));
}

const BOOL_OPTIONS = ['off', 'on'];

function enumOption(c: LibCtx, L: number, idx: number, cfg: Cfg, field: number, options: string[] | null, boolTrue: number): void {
  const m = c.m;
  if (!options) { options = BOOL_OPTIONS; boolTrue = 1; }
  if (m._lua_type(L, idx) !== LUA_TNIL) {
    if (boolTrue && m._lua_type(L, idx) === LUA_TBOOLEAN) {
      cfg.set(field, m._lua_toboolean(L, idx) ? boolTrue : 0);
    } else {
      const raw = c.checkLString(L, idx);
      const z = raw.indexOf(0);
      const name = (z < 0 ? raw : raw.subarray(0, z)).toString('latin1');
      const i = options.indexOf(name);
      if (i < 0) c.argError(L, idx, `invalid option '${name}'`);
      cfg.set(field, i);
    }
  }
  const s = cfg.get(field);
  if (boolTrue && (s === 0 || s === boolTrue)) m._lua_pushboolean(L, s);
  else c.pushText(L, options[s]);
}

// ---- encoding ----

function encodeException(c: LibCtx, L: number, idx: number, reason: string): never {
  c.error(L, `Cannot serialise ${TYPE_NAMES[c.m._lua_type(L, idx)]}: ${reason}`);
}

function appendString(c: LibCtx, L: number, w: ByteWriter, idx: number): void {
  const p = c.lstr(L, idx);
  const len = c.lastLen;
  const h = c.m.HEAPU8;
  w.byte(0x22);
  let run = p;
  const end = p + len;
  for (let i = p; i < end; i++) {
    const e = ESCAPES[h[i]];
    if (e !== undefined) {
      if (i > run) w.bytes(h, run, i);
      w.bytes(e);
      run = i + 1;
    }
  }
  if (end > run) w.bytes(h, run, end);
  w.byte(0x22);
}

function appendNumber(c: LibCtx, L: number, cfg: Cfg, w: ByteWriter, idx: number): void {
  const num = c.m._lua_tonumberx(L, idx, 0);
  const mode = cfg.get(ENCODE_INVALID_NUMBERS);
  if (mode === 0) {
    if (!Number.isFinite(num)) encodeException(c, L, idx, 'must not be NaN or Inf');
  } else if (mode === 1) {
    if (num !== num) { w.ascii('nan'); return; }
  } else if (!Number.isFinite(num)) {
    w.ascii('null');
    return;
  }
  w.ascii(fmtG(num, cfg.get(ENCODE_NUMBER_PRECISION)));
}

/** lua_array_length: the array size of the table on top, or -1 for an object. */
function arrayLength(c: LibCtx, L: number, cfg: Cfg): number {
  const m = c.m;
  let max = 0;
  let items = 0;
  m._lua_pushnil(L);
  while (m._lua_next(L, -2) !== 0) {
    let k: number;
    if (m._lua_type(L, -2) === LUA_TNUMBER && (k = m._lua_tonumberx(L, -2, 0))) {
      if (Math.floor(k) === k && k >= 1) {
        if (k > max) max = toInt32(k);
        items++;
        m._lua_settop(L, -2);
        continue;
      }
    }
    m._lua_settop(L, -3);
    return -1;
  }
  const ratio = cfg.get(SPARSE_RATIO);
  if (ratio > 0 && max > Math.imul(items, ratio) && max > cfg.get(SPARSE_SAFE)) {
    if (!cfg.get(SPARSE_CONVERT)) encodeException(c, L, -1, 'excessively sparse array');
    return -1;
  }
  return max;
}

/** A table being written: an array (next index `i` of `len`) or an object (lua_next walk).
 *  `pending` is set while the child value last pushed is still on the stack. */
interface EncFrame { arr: boolean; i: number; len: number; comma: boolean; pending: boolean }

/**
 * Writes the value on top of the stack, or opens it when it is a table: returns the frame to
 * push (the table stays on the stack until its frame closes), else null.
 */
function appendValue(c: LibCtx, L: number, cfg: Cfg, depth: number, w: ByteWriter): EncFrame | null {
  const m = c.m;
  switch (m._lua_type(L, -1)) {
    case LUA_TSTRING:
      appendString(c, L, w, -1);
      return null;
    case LUA_TNUMBER:
      appendNumber(c, L, cfg, w, -1);
      return null;
    case LUA_TBOOLEAN:
      w.ascii(m._lua_toboolean(L, -1) ? 'true' : 'false');
      return null;
    case LUA_TTABLE: {
      depth++;
      if (!(depth <= cfg.get(ENCODE_MAX_DEPTH) && c.luaCheckStack(L, 3))) {
        c.error(L, `Cannot serialise, excessive nesting (${depth})`);
      }
      const len = arrayLength(c, L, cfg);
      if (len > 0) {
        w.byte(0x5b);
        return { arr: true, i: 0, len, comma: false, pending: false };
      }
      w.byte(0x7b);
      m._lua_pushnil(L);
      return { arr: false, i: 0, len: 0, comma: false, pending: false };
    }
    case LUA_TNIL:
      w.ascii('null');
      return null;
    case LUA_TLIGHTUSERDATA:
      if (m._lua_touserdata(L, -1) === 0) { w.ascii('null'); return null; }
      return encodeException(c, L, -1, 'type not supported');
    default:
      return encodeException(c, L, -1, 'type not supported');
  }
}

/** json_append_data without recursion: nested tables are frames of an explicit stack, so the
 *  depth is bounded by encode_max_depth and the 8000-slot check only, never by the JS stack. */
function appendData(c: LibCtx, L: number, cfg: Cfg, w: ByteWriter): void {
  const m = c.m;
  const frames: EncFrame[] = [];
  const first = appendValue(c, L, cfg, 0, w);
  if (first) frames.push(first);
  while (frames.length) {
    const f = frames[frames.length - 1];
    if (f.pending) { m._lua_settop(L, -2); f.pending = false; }
    if (f.arr) {
      if (++f.i > f.len) { w.byte(0x5d); frames.pop(); continue; }
      if (f.i > 1) w.byte(0x2c);
      m._lua_pushnumber(L, f.i);
      m._lua_rawget(L, -2);
    } else {
      if (m._lua_next(L, -2) === 0) { w.byte(0x7d); frames.pop(); continue; }
      if (f.comma) w.byte(0x2c); else f.comma = true;
      const kt = m._lua_type(L, -2);
      if (kt === LUA_TNUMBER) {
        w.byte(0x22);
        appendNumber(c, L, cfg, w, -2);
        w.byte(0x22);
        w.byte(0x3a);
      } else if (kt === LUA_TSTRING) {
        appendString(c, L, w, -2);
        w.byte(0x3a);
      } else {
        encodeException(c, L, -2, 'table key must be a number or string');
      }
    }
    f.pending = true;
    const child = appendValue(c, L, cfg, frames.length, w);
    if (child) frames.push(child);
  }
}

function encode(c: LibCtx, L: number): number {
  const cfg = fetchConfig(c, L);
  if (c.m._lua_gettop(L) !== 1) c.argError(L, 1, 'expected 1 argument');
  const w = new ByteWriter();
  appendData(c, L, cfg, w);
  c.pushBytes(L, w.result());
  return 1;
}

// ---- decoding ----

const T_OBJ_BEGIN: number = 0;
const T_OBJ_END: number = 1;
const T_ARR_BEGIN: number = 2;
const T_ARR_END: number = 3;
const T_STRING: number = 4;
const T_NUMBER: number = 5;
const T_BOOLEAN: number = 6;
const T_NULL: number = 7;
const T_COLON: number = 8;
const T_COMMA: number = 9;
const T_END: number = 10;
const T_WHITESPACE: number = 11;
const T_ERROR: number = 12;
const T_UNKNOWN: number = 13;
const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN',
  'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'];

const CH2TOKEN = new Uint8Array(256).fill(T_ERROR);
CH2TOKEN[0x7b] = T_OBJ_BEGIN;
CH2TOKEN[0x7d] = T_OBJ_END;
CH2TOKEN[0x5b] = T_ARR_BEGIN;
CH2TOKEN[0x5d] = T_ARR_END;
CH2TOKEN[0x2c] = T_COMMA;
CH2TOKEN[0x3a] = T_COLON;
CH2TOKEN[0] = T_END;
for (const ch of ' \t\n\r') CH2TOKEN[ch.charCodeAt(0)] = T_WHITESPACE;
for (const ch of 'fiInNt"+-0123456789') CH2TOKEN[ch.charCodeAt(0)] = T_UNKNOWN;

const ESCAPE2CHAR = new Uint8Array(256);
ESCAPE2CHAR[0x22] = 0x22;
ESCAPE2CHAR[0x5c] = 0x5c;
ESCAPE2CHAR[0x2f] = 0x2f;
ESCAPE2CHAR[0x62] = 8;
ESCAPE2CHAR[0x74] = 9;
ESCAPE2CHAR[0x6e] = 10;
ESCAPE2CHAR[0x66] = 12;
ESCAPE2CHAR[0x72] = 13;
ESCAPE2CHAR[0x75] = 0x75;

interface Parser { data: Buffer; ptr: number; depth: number; cfg: Cfg; tmp: ByteWriter }
interface Token { type: number; index: number; str: Uint8Array | null; num: number; err: string }

function at(j: Parser, i: number): number {
  return i < j.data.length ? j.data[i] : 0;
}

function setTokenError(t: Token, j: Parser, err: string): void {
  t.type = T_ERROR;
  t.index = j.ptr;
  t.err = err;
}

function hexDigit(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  const l = ch | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function decodeHex4(j: Parser, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const d = hexDigit(at(j, i + k));
    if (d < 0) return -1;
    v = (v << 4) + d;
  }
  return v;
}

function appendUnicodeEscape(j: Parser): boolean {
  let cp = decodeHex4(j, j.ptr + 2);
  let escapeLen = 6;
  if (cp < 0) return false;
  if ((cp & 0xf800) === 0xd800) {
    if (cp & 0x400) return false;
    if (at(j, j.ptr + 6) !== 0x5c || at(j, j.ptr + 7) !== 0x75) return false;
    let low = decodeHex4(j, j.ptr + 8);
    if (low < 0) return false;
    if ((low & 0xfc00) !== 0xdc00) return false;
    cp = (cp & 0x3ff) << 10;
    low &= 0x3ff;
    cp = (cp | low) + 0x10000;
    escapeLen = 12;
  }
  const w = j.tmp;
  if (cp <= 0x7f) w.byte(cp);
  else if (cp <= 0x7ff) { w.byte((cp >> 6) | 0xc0); w.byte((cp & 0x3f) | 0x80); }
  else if (cp <= 0xffff) { w.byte((cp >> 12) | 0xe0); w.byte(((cp >> 6) & 0x3f) | 0x80); w.byte((cp & 0x3f) | 0x80); }
  else { w.byte((cp >> 18) | 0xf0); w.byte(((cp >> 12) & 0x3f) | 0x80); w.byte(((cp >> 6) & 0x3f) | 0x80); w.byte((cp & 0x3f) | 0x80); }
  j.ptr += escapeLen;
  return true;
}

function nextStringToken(j: Parser, t: Token): void {
  j.ptr++;
  const w = j.tmp;
  w.reset();
  let ch: number;
  while ((ch = at(j, j.ptr)) !== 0x22) {
    if (!ch) { setTokenError(t, j, 'unexpected end of string'); return; }
    if (ch === 0x5c) {
      ch = ESCAPE2CHAR[at(j, j.ptr + 1)];
      if (ch === 0x75) {
        if (appendUnicodeEscape(j)) continue;
        setTokenError(t, j, 'invalid unicode escape code');
        return;
      }
      if (!ch) { setTokenError(t, j, 'invalid escape code'); return; }
      j.ptr++;
    }
    w.byte(ch);
    j.ptr++;
  }
  j.ptr++;
  t.type = T_STRING;
  t.str = w.result();
}

function isInvalidNumber(j: Parser): boolean {
  let p = j.ptr;
  if (at(j, p) === 0x2b) return true;
  if (at(j, p) === 0x2d) p++;
  const ch = at(j, p);
  if (ch === 0x30) {
    const ch2 = at(j, p + 1);
    return (ch2 | 0x20) === 0x78 || (ch2 >= 48 && ch2 <= 57);
  }
  if (ch <= 0x39 || ch >= 0x80) return false; // a C char compare: bytes >= 0x80 are negative
  const word = String.fromCharCode(ch | 0x20, at(j, p + 1) | 0x20, at(j, p + 2) | 0x20);
  return word === 'inf' || word === 'nan';
}

function nextNumberToken(j: Parser, t: Token): void {
  t.type = T_NUMBER;
  const r = strtod(j.data, j.ptr);
  if (r.end === j.ptr) setTokenError(t, j, 'invalid number');
  else { t.num = r.value; j.ptr = r.end; }
}

function startsWith(j: Parser, w: string): boolean {
  for (let k = 0; k < w.length; k++) if (at(j, j.ptr + k) !== w.charCodeAt(k)) return false;
  return true;
}

function nextToken(j: Parser, t: Token): void {
  let ch: number;
  for (;;) {
    ch = at(j, j.ptr);
    t.type = CH2TOKEN[ch];
    if (t.type !== T_WHITESPACE) break;
    j.ptr++;
  }
  t.index = j.ptr;
  if (t.type === T_ERROR) { setTokenError(t, j, 'invalid token'); return; }
  if (t.type === T_END) return;
  if (t.type !== T_UNKNOWN) { j.ptr++; return; }
  const invalidOk = j.cfg.get(DECODE_INVALID_NUMBERS) !== 0;
  if (ch === 0x22) {
    nextStringToken(j, t);
  } else if (ch === 0x2d || (ch >= 48 && ch <= 57)) {
    if (!invalidOk && isInvalidNumber(j)) { setTokenError(t, j, 'invalid number'); return; }
    nextNumberToken(j, t);
  } else if (startsWith(j, 'true')) {
    t.type = T_BOOLEAN; t.num = 1; j.ptr += 4;
  } else if (startsWith(j, 'false')) {
    t.type = T_BOOLEAN; t.num = 0; j.ptr += 5;
  } else if (startsWith(j, 'null')) {
    t.type = T_NULL; j.ptr += 4;
  } else if (invalidOk && isInvalidNumber(j)) {
    nextNumberToken(j, t);
  } else {
    setTokenError(t, j, 'invalid token');
  }
}

function throwParseError(c: LibCtx, L: number, exp: string, t: Token): never {
  const found = t.type === T_ERROR ? t.err : TOKEN_NAMES[t.type];
  c.error(L, `Expected ${exp} but found ${found} at character ${t.index + 1}`);
}

function descend(c: LibCtx, L: number, j: Parser, slots: number): void {
  j.depth++;
  if (j.depth <= j.cfg.get(DECODE_MAX_DEPTH) && c.luaCheckStack(L, slots)) return;
  c.error(L, `Found too many nested data structures (${j.depth}) at character ${j.ptr}`);
}

/** An array or object being filled: the next array index, or the object marker. */
interface DecFrame { arr: boolean; i: number }

/**
 * json_process_value and the array/object contexts, without recursion: open containers are
 * frames of an explicit stack (the token sequence and every error are those of the recursive C
 * code), so the depth is bounded by decode_max_depth and the 8000-slot check, not the JS stack.
 */
function processValue(c: LibCtx, L: number, j: Parser, t: Token): void {
  const m = c.m;
  const frames: DecFrame[] = [];
  for (;;) {
    // One value starting at token t.
    let done = true;
    switch (t.type) {
      case T_STRING: c.pushBytes(L, t.str!); break;
      case T_NUMBER: m._lua_pushnumber(L, t.num); break;
      case T_BOOLEAN: m._lua_pushboolean(L, t.num); break;
      case T_NULL: m._lua_pushlightuserdata(L, 0); break;
      case T_OBJ_BEGIN:
        descend(c, L, j, 3);
        m._lua_createtable(L, 0, 0);
        nextToken(j, t);
        if (t.type === T_OBJ_END) { j.depth--; break; }
        if (t.type !== T_STRING) throwParseError(c, L, 'object key string', t);
        c.pushBytes(L, t.str!);
        nextToken(j, t);
        if (t.type !== T_COLON) throwParseError(c, L, 'colon', t);
        nextToken(j, t);
        frames.push({ arr: false, i: 0 });
        done = false;
        break;
      case T_ARR_BEGIN:
        descend(c, L, j, 2);
        m._lua_createtable(L, 0, 0);
        nextToken(j, t);
        if (t.type === T_ARR_END) { j.depth--; break; }
        frames.push({ arr: true, i: 1 });
        done = false;
        break;
      default:
        throwParseError(c, L, 'value', t);
    }
    if (!done) continue;
    // The value is complete: store it in its container, closing containers that end here.
    let next = false;
    while (frames.length && !next) {
      const f = frames[frames.length - 1];
      if (f.arr) {
        m._lua_rawseti(L, -2, BigInt(f.i));
        nextToken(j, t);
        if (t.type === T_ARR_END) { j.depth--; frames.pop(); continue; }
        if (t.type !== T_COMMA) throwParseError(c, L, 'comma or array end', t);
        nextToken(j, t);
        f.i++;
      } else {
        m._lua_rawset(L, -3);
        nextToken(j, t);
        if (t.type === T_OBJ_END) { j.depth--; frames.pop(); continue; }
        if (t.type !== T_COMMA) throwParseError(c, L, 'comma or object end', t);
        nextToken(j, t);
        if (t.type !== T_STRING) throwParseError(c, L, 'object key string', t);
        c.pushBytes(L, t.str!);
        nextToken(j, t);
        if (t.type !== T_COLON) throwParseError(c, L, 'colon', t);
        nextToken(j, t);
      }
      next = true;
    }
    if (!next) return;
  }
}

function decode(c: LibCtx, L: number): number {
  if (c.m._lua_gettop(L) !== 1) c.argError(L, 1, 'expected 1 argument');
  const cfg = fetchConfig(c, L);
  const data = c.checkLString(L, 1);
  if (data.length >= 2 && (!data[0] || !data[1])) c.error(L, 'JSON parser does not support UTF-16 or UTF-32');
  const j: Parser = { data, ptr: 0, depth: 0, cfg, tmp: new ByteWriter(64) };
  const t: Token = { type: 0, index: 0, str: null, num: 0, err: '' };
  nextToken(j, t);
  processValue(c, L, j, t);
  nextToken(j, t);
  if (t.type !== T_END) throwParseError(c, L, 'the end', t);
  return 1;
}

// ---- module ----

/** lua_cjson_new: pushes a new cjson module table with its own configuration. */
function cjsonNew(c: LibCtx, L: number): number {
  const m = c.m;
  m._lua_createtable(L, 0, 13);
  const p = m._lua_newuserdatauv(L, CFG_SLOTS * 4, 0);
  for (let i = 0; i < CFG_SLOTS; i++) m.HEAPU32[(p >> 2) + i] = DEFAULTS[i];
  const fns: [string, (L: number) => number][] = [
    ['encode', (L) => encode(c, L)],
    ['decode', (L) => decode(c, L)],
    ['encode_sparse_array', (L) => {
      const cfg = argInit(c, L, 3);
      enumOption(c, L, 1, cfg, SPARSE_CONVERT, null, 1);
      integerOption(c, L, 2, cfg, SPARSE_RATIO, 0, INT_MAX);
      integerOption(c, L, 3, cfg, SPARSE_SAFE, 0, INT_MAX);
      return 3;
    }],
    ['encode_max_depth', (L) => { integerOption(c, L, 1, argInit(c, L, 1), ENCODE_MAX_DEPTH, 1, INT_MAX); return 1; }],
    ['decode_max_depth', (L) => { integerOption(c, L, 1, argInit(c, L, 1), DECODE_MAX_DEPTH, 1, INT_MAX); return 1; }],
    ['encode_number_precision', (L) => { integerOption(c, L, 1, argInit(c, L, 1), ENCODE_NUMBER_PRECISION, 1, 14); return 1; }],
    ['encode_keep_buffer', (L) => { enumOption(c, L, 1, argInit(c, L, 1), ENCODE_KEEP_BUFFER, null, 1); return 1; }],
    ['encode_invalid_numbers', (L) => {
      enumOption(c, L, 1, argInit(c, L, 1), ENCODE_INVALID_NUMBERS, ['off', 'on', 'null'], 1);
      return 1;
    }],
    ['decode_invalid_numbers', (L) => { enumOption(c, L, 1, argInit(c, L, 1), DECODE_INVALID_NUMBERS, null, 1); return 1; }],
    ['new', (L) => cjsonNew(c, L)],
  ];
  for (const [name, impl] of fns) {
    m._lua_pushvalue(L, -1);
    c.setClosure(L, -3, name, c.fn('cjson.' + name, impl), 1);
  }
  m._lua_settop(L, -2); // the userdata
  m._lua_pushlightuserdata(L, 0);
  m._lua_setfield(L, -2, c.cstr('null'));
  c.pushText(L, 'cjson');
  m._lua_setfield(L, -2, c.cstr('_NAME'));
  c.pushText(L, '2.1.0');
  m._lua_setfield(L, -2, c.cstr('_VERSION'));
  return 1;
}

/** Creates the global table `cjson`. */
export function installCjson(vm: LuaVM, L: number): void {
  const c = libCtx(vm.m);
  cjsonNew(c, L);
  c.m._lua_setglobal(L, c.cstr('cjson'));
}
