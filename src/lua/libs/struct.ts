/**
 * Redis's `struct` library (Roberto Ierusalimschy's lstruct as Redis 7.0 ships it): binary
 * packing with a format string, for x86-64 sizes (b/B 1, h/H 2, l/L and T 8, i/I 4 or
 * i<n>/I<n> up to 32, f 4, d 8), '<' '>' for endianness (little by default), '!<n>' for
 * alignment, 'x' padding, 'c<n>' fixed strings ('c0' = whole string / previous count),
 * 's' zero-terminated strings, ' ' ignored.
 * Integers follow the C code exactly: a double is cast to 64 bits (unsigned for n >= 0, signed
 * below; NaN and out-of-range values as gcc's x86-64 casts give them), sizes above 8 bytes keep
 * only 64 bits, and sign extension uses the same shift mask (count taken modulo 64).
 * Results are doubles, as in Lua 5.1. pack/unpack/size are linear in the format and the data.
 */
import type { LuaVM } from '../vm.js';
import { libCtx, type LibCtx } from './capi.js';
import { toInt64Big, toUint64Bits } from './cnum.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const INT_MAX = 2147483647;
const BIG = 0;
const LITTLE = 1;
const MASK64 = (1n << 64n) - 1n;

interface Header { endian: number; align: number }
interface Cursor { fmt: Buffer; i: number }

function isDigit(ch: number): boolean { return ch >= 48 && ch <= 57; }
function isAlnum(ch: number): boolean {
  return isDigit(ch) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122);
}
function fmtAt(f: Cursor): number { return f.i < f.fmt.length ? f.fmt[f.i] : 0; }

function getnum(c: LibCtx, L: number, f: Cursor, df: number): number {
  if (!isDigit(fmtAt(f))) return df;
  let a = 0;
  do {
    const d = fmtAt(f) - 48;
    if (a > Math.trunc(INT_MAX / 10) || a * 10 > INT_MAX - d) c.error(L, 'integral size overflow');
    a = a * 10 + d;
    f.i++;
  } while (isDigit(fmtAt(f)));
  return a;
}

function optsize(c: LibCtx, L: number, opt: number, f: Cursor): number {
  switch (opt) {
    case 0x42: case 0x62: return 1; // B b
    case 0x48: case 0x68: return 2; // H h
    case 0x4c: case 0x6c: return 8; // L l
    case 0x54: return 8; // T
    case 0x66: return 4; // f
    case 0x64: return 8; // d
    case 0x78: return 1; // x
    case 0x63: return getnum(c, L, f, 1); // c
    case 0x69: case 0x49: { // i I
      const sz = getnum(c, L, f, 4);
      if (sz > MAXINTSIZE) c.error(L, `integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default: return 0;
  }
}

function gettoalign(len: number, h: Header, opt: number, size: number): number {
  if (size === 0 || opt === 0x63) return 0;
  if (size > h.align) size = h.align;
  // size <= 32 here, so len's low bits are those of len % 64.
  return (size - ((len % 64) & (size - 1))) & (size - 1);
}

function controloptions(c: LibCtx, L: number, opt: number, f: Cursor, h: Header): void {
  switch (opt) {
    case 0x20: return;
    case 0x3e: h.endian = BIG; return;
    case 0x3c: h.endian = LITTLE; return;
    case 0x21: {
      const a = getnum(c, L, f, MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) c.error(L, `alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      c.argError(L, 1, `invalid format option '${String.fromCharCode(opt)}'`);
  }
}

function isIntOpt(opt: number): boolean {
  // b B h H l L T i I
  return opt === 0x62 || opt === 0x42 || opt === 0x68 || opt === 0x48 || opt === 0x6c || opt === 0x4c
    || opt === 0x54 || opt === 0x69 || opt === 0x49;
}

function putinteger(c: LibCtx, L: number, out: number[], arg: number, endian: number, size: number): void {
  const n = c.checkNumber(L, arg);
  let value = n < 0 ? BigInt.asUintN(64, toInt64Big(n)) : toUint64Bits(n);
  const buf = new Array<number>(size);
  if (endian === LITTLE) {
    for (let i = 0; i < size; i++) { buf[i] = Number(value & 0xffn); value >>= 8n; }
  } else {
    for (let i = size - 1; i >= 0; i--) { buf[i] = Number(value & 0xffn); value >>= 8n; }
  }
  for (const b of buf) out.push(b);
}

function getinteger(data: Buffer, pos: number, endian: number, issigned: boolean, size: number): number {
  let l = 0n;
  if (endian === BIG) {
    for (let i = 0; i < size; i++) l = ((l << 8n) | BigInt(data[pos + i])) & MASK64;
  } else {
    for (let i = size - 1; i >= 0; i--) l = ((l << 8n) | BigInt(data[pos + i])) & MASK64;
  }
  if (!issigned) return Number(l);
  const mask = (MASK64 << BigInt((size * 8 - 1) & 63)) & MASK64;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function pack(c: LibCtx, L: number): number {
  const f: Cursor = { fmt: c.checkLString(L, 1), i: 0 };
  const h: Header = { endian: LITTLE, align: 1 };
  let arg = 2;
  let totalsize = 0;
  c.m._lua_pushnil(L); // the C code's mark between the arguments and its buffer: an argument past the last reads it
  const out: number[] = [];
  const chunks: Buffer[] = [];
  const flush = (): void => { if (out.length) { chunks.push(Buffer.from(out)); out.length = 0; } };
  while (fmtAt(f) !== 0) {
    const opt = f.fmt[f.i++];
    let size = optsize(c, L, opt, f);
    let toalign = gettoalign(totalsize, h, opt, size);
    totalsize += toalign;
    while (toalign-- > 0) out.push(0);
    if (isIntOpt(opt)) {
      putinteger(c, L, out, arg++, h.endian, size);
    } else if (opt === 0x78) {
      out.push(0);
    } else if (opt === 0x66 || opt === 0x64) {
      const v = c.checkNumber(L, arg++);
      const b = Buffer.alloc(size);
      if (opt === 0x66) b.writeFloatLE(Math.fround(v)); else b.writeDoubleLE(v);
      if (h.endian === BIG) b.reverse();
      for (const x of b) out.push(x);
    } else if (opt === 0x63 || opt === 0x73) { // c s
      const s = c.checkLString(L, arg++);
      if (size === 0) size = s.length;
      if (!(s.length >= size)) c.argError(L, arg, 'string too short');
      flush();
      chunks.push(s.subarray(0, size));
      if (opt === 0x73) { out.push(0); size++; }
    } else {
      controloptions(c, L, opt, f, h);
    }
    totalsize += size;
  }
  flush();
  c.pushBytes(L, Buffer.concat(chunks));
  return 1;
}

function unpack(c: LibCtx, L: number): number {
  const m = c.m;
  const h: Header = { endian: LITTLE, align: 1 };
  const f: Cursor = { fmt: c.checkLString(L, 1), i: 0 };
  const data = c.checkLString(L, 2);
  const ld = data.length;
  const pos0 = c.optInteger(L, 3, 1);
  if (pos0 === 0) c.argError(L, 3, 'offset must be 1 or greater');
  // A negative offset is a huge size_t in C: every option then fails the length check, and an
  // empty format returns the offset unchanged.
  let pos = pos0 < 0 ? Infinity : pos0 - 1;
  let n = 0;
  while (fmtAt(f) !== 0) {
    const opt = f.fmt[f.i++];
    let size = optsize(c, L, opt, f);
    if (pos !== Infinity) pos += gettoalign(pos, h, opt, size);
    if (!(size <= ld && pos <= ld - size)) c.argError(L, 2, 'data string too short');
    c.checkStack(L, 2, 'too many results');
    if (isIntOpt(opt)) {
      const issigned = opt >= 0x61;
      m._lua_pushnumber(L, getinteger(data, pos, h.endian, issigned, size));
      n++;
    } else if (opt === 0x78) {
      // padding
    } else if (opt === 0x66) {
      m._lua_pushnumber(L, h.endian === LITTLE ? data.readFloatLE(pos) : data.readFloatBE(pos));
      n++;
    } else if (opt === 0x64) {
      m._lua_pushnumber(L, h.endian === LITTLE ? data.readDoubleLE(pos) : data.readDoubleBE(pos));
      n++;
    } else if (opt === 0x63) {
      if (size === 0) {
        const prev = n === 0 ? undefined : c.toNumber(L, -1);
        if (prev === undefined) c.error(L, "format 'c0' needs a previous size");
        const big = toUint64Bits(prev);
        size = big > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(big);
        m._lua_settop(L, -2);
        n--;
        if (!(size <= ld && pos <= ld - size)) c.argError(L, 2, 'data string too short');
      }
      c.pushBytes(L, data.subarray(pos, pos + size));
      n++;
    } else if (opt === 0x73) {
      const e = data.indexOf(0, pos);
      if (e < 0) c.error(L, 'unfinished string in data');
      size = e - pos + 1;
      c.pushBytes(L, data.subarray(pos, e));
      n++;
    } else {
      controloptions(c, L, opt, f, h);
    }
    pos += size;
  }
  m._lua_pushnumber(L, pos === Infinity ? pos0 : pos + 1);
  return n + 1;
}

function size(c: LibCtx, L: number): number {
  const f: Cursor = { fmt: c.checkLString(L, 1), i: 0 };
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (fmtAt(f) !== 0) {
    const opt = f.fmt[f.i++];
    const sz = optsize(c, L, opt, f);
    pos += gettoalign(pos, h, opt, sz);
    if (opt === 0x73) c.argError(L, 1, "option 's' has no fixed size");
    else if (opt === 0x63 && sz === 0) c.argError(L, 1, "option 'c0' has no fixed size");
    if (!isAlnum(opt)) controloptions(c, L, opt, f, h);
    pos += sz;
  }
  c.m._lua_pushnumber(L, pos);
  return 1;
}

/** Creates the global table `struct`. */
export function installStruct(vm: LuaVM, L: number): void {
  const c = libCtx(vm.m);
  c.m._lua_createtable(L, 0, 3);
  c.setClosure(L, -1, 'pack', c.fn('struct.pack', (L) => pack(c, L)), 0);
  c.setClosure(L, -1, 'unpack', c.fn('struct.unpack', (L) => unpack(c, L)), 0);
  c.setClosure(L, -1, 'size', c.fn('struct.size', (L) => size(c, L)), 0);
  c.m._lua_setglobal(L, c.cstr('struct'));
}
