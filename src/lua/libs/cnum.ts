/**
 * The C number semantics Redis's Lua libraries inherit from glibc and x86-64, in JS:
 * - `strtod`: glibc's strtod on a byte string (leading spaces, sign, decimal, hexadecimal
 *   floats, "inf"/"infinity"/"nan(...)" in any case), returning the value and the end offset.
 *   Lua 5.1's string→number coercion (`luaO_str2d`) and cjson's number tokens are built on it.
 * - `fmtG`: printf's `%.<p>g` for a double (round-half-even on the exact binary value, as
 *   glibc does; JS's toExponential rounds exact ties up, so ties are detected and corrected).
 * - `toInt64`/`toUint64Bits`: C casts of a double as gcc emits them on x86-64
 *   (cvttsd2si: NaN and out-of-range give INT64_MIN).
 * Costs: strtod and fmtG are linear in the text; fmtG's tie check uses BigInt only when the
 * digit after the last printed one is a 5 (about one number in ten).
 */

const INF_WORD = 'infinity';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
/** Byte at `i`, or 0 past the end (C strings end with a NUL). */
function at(b: Uint8Array, i: number): number {
  return i < b.length ? b[i] : 0;
}
function matchWord(b: Uint8Array, i: number, w: string): boolean {
  for (let k = 0; k < w.length; k++) if (lower(at(b, i + k)) !== w.charCodeAt(k)) return false;
  return true;
}

export interface Parsed {
  value: number;
  /** Offset just past the number; equal to the start offset when nothing was parsed. */
  end: number;
}

/** glibc strtod on `b` from offset `start` (the text ends at a NUL byte or at the end). */
export function strtod(b: Uint8Array, start: number): Parsed {
  let i = start;
  while (isSpace(at(b, i))) i++;
  let neg = false;
  const s0 = at(b, i);
  if (s0 === 43 || s0 === 45) {
    neg = s0 === 45;
    i++;
  }
  const c = lower(at(b, i));
  if (c === 105) { // i
    if (!matchWord(b, i, 'inf')) return { value: 0, end: start };
    const n = matchWord(b, i, INF_WORD) ? 8 : 3;
    return { value: neg ? -Infinity : Infinity, end: i + n };
  }
  if (c === 110) { // n
    if (!matchWord(b, i, 'nan')) return { value: 0, end: start };
    let e = i + 3;
    let payload = 0n;
    if (at(b, e) === 40) { // "(n-char-sequence)": glibc reads it as an integer (base 0) for the payload
      let k = e + 1;
      for (;;) {
        const ch = at(b, k);
        if (isDigit(ch) || (lower(ch) >= 97 && lower(ch) <= 122) || ch === 95) k++;
        else break;
      }
      if (at(b, k) === 41) {
        payload = nanPayload(Buffer.from(b.subarray(e + 1, k)).toString('latin1'));
        e = k + 1;
      }
    }
    return { value: makeNaN(neg, payload), end: e };
  }
  if (at(b, i) === 48 && lower(at(b, i + 1)) === 120) { // 0x
    const r = hexFloat(b, i + 2);
    if (r) return { value: neg ? -r.value : r.value, end: r.end };
    // "0x" with no hex digit: the "0" alone is the number.
    return { value: neg ? -0 : 0, end: i + 1 };
  }
  const numStart = i;
  let digits = 0;
  while (isDigit(at(b, i))) { i++; digits++; }
  if (at(b, i) === 46) {
    i++;
    while (isDigit(at(b, i))) { i++; digits++; }
  }
  if (digits === 0) return { value: 0, end: start };
  if (lower(at(b, i)) === 101) {
    let k = i + 1;
    if (at(b, k) === 43 || at(b, k) === 45) k++;
    if (isDigit(at(b, k))) {
      while (isDigit(at(b, k))) k++;
      i = k;
    }
  }
  let text = '';
  for (let k = numStart; k < i; k++) text += String.fromCharCode(b[k]);
  if (text.charCodeAt(0) === 46) text = '0' + text;
  const v = Number(text.replace(/\.(?=[eE]|$)/, ''));
  return { value: neg ? -v : v, end: i };
}

const NAN_VIEW = new DataView(new ArrayBuffer(8));

/** A quiet NaN with the sign and the low 51 mantissa bits given, as glibc builds it. */
export function makeNaN(neg: boolean, payload: bigint): number {
  const bits = (neg ? 1n << 63n : 0n) | 0x7ff8000000000000n | (payload & 0x7ffffffffffffn);
  NAN_VIEW.setBigUint64(0, bits);
  return NAN_VIEW.getFloat64(0);
}

/** strtoull(seq, &end, 0) when it takes the whole sequence, else 0. */
function nanPayload(seq: string): bigint {
  let m: RegExpMatchArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(seq))) return BigInt.asUintN(64, BigInt('0x' + m[1]));
  if (/^0[0-7]*$/.test(seq)) return BigInt.asUintN(64, BigInt('0o' + (seq.slice(1) || '0')));
  if (/^[1-9][0-9]*$/.test(seq)) return BigInt.asUintN(64, BigInt(seq));
  return 0n;
}

/** The hexadecimal part of a "0x..." float, from just after the "0x"; null without a digit. */
function hexFloat(b: Uint8Array, i: number): Parsed | null {
  let mant = 0n;
  let exp = 0;
  let digits = 0;
  let significant = 0;
  let extraBits = false;
  const take = (d: number, frac: boolean): void => {
    digits++;
    if (significant < 30) { // 120 bits: far more than a double needs
      if (mant !== 0n || d !== 0) significant++;
      mant = mant * 16n + BigInt(d);
      if (frac) exp -= 4;
    } else {
      if (d !== 0) extraBits = true;
      if (!frac) exp += 4;
    }
  };
  while (hexVal(at(b, i)) >= 0) take(hexVal(b[i++]), false);
  if (at(b, i) === 46) {
    const dot = i;
    i++;
    while (hexVal(at(b, i)) >= 0) take(hexVal(b[i++]), true);
    if (digits === 0) { i = dot; }
  }
  if (digits === 0) return null;
  if (lower(at(b, i)) === 112) { // p
    let k = i + 1;
    let eneg = false;
    if (at(b, k) === 43 || at(b, k) === 45) { eneg = at(b, k) === 45; k++; }
    if (isDigit(at(b, k))) {
      let e = 0;
      while (isDigit(at(b, k))) { if (e < 100000) e = e * 10 + (b[k] - 48); k++; }
      exp += eneg ? -e : e;
      i = k;
    }
  }
  if (extraBits) mant = mant * 2n + 1n, exp -= 1; // sticky bit for rounding
  return { value: scale2(mant, exp), end: i };
}

/** mant * 2^exp as the nearest double. */
function scale2(mant: bigint, exp: number): number {
  if (mant === 0n) return 0;
  // Normalize the mantissa to at most 64 bits, keeping a sticky bit, so Number() rounds once.
  let len = mant.toString(2).length;
  if (len > 64) {
    const drop = len - 64;
    const low = mant & ((1n << BigInt(drop)) - 1n);
    mant >>= BigInt(drop);
    if (low !== 0n) mant |= 1n;
    exp += drop;
    len = 64;
  }
  const top = len + exp; // value in [2^(top-1), 2^top)
  if (top > 1025) return Infinity;
  if (top < -1074) return 0;
  if (top - 53 < -1074) {
    // Subnormal result: round at the 2^-1074 position directly.
    const shift = -1074 - exp;
    if (shift > 0) {
      const s = BigInt(shift);
      const q = mant >> s;
      const r = mant & ((1n << s) - 1n);
      const half = 1n << (s - 1n);
      let v = q;
      if (r > half || (r === half && (q & 1n) === 1n)) v = q + 1n;
      return Number(v) * 2 ** -1074;
    }
  }
  const n = Number(mant); // correctly rounded to 53 bits
  return n * 2 ** exp === Infinity && exp > 0 ? Infinity : mulPow2(n, exp);
}
function mulPow2(n: number, e: number): number {
  // Split the power so intermediate factors stay finite.
  while (e > 1000) { n *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { n *= 2 ** -1000; e += 1000; }
  return n * 2 ** e;
}

/** Lua 5.1's string→number coercion (luaO_str2d): strtod over the whole text, trailing spaces
 *  allowed; undefined when the text is not a number. */
export function str2number(b: Uint8Array): number | undefined {
  const r = strtod(b, 0);
  if (r.end === 0) return undefined;
  let i = r.end;
  if (i >= b.length || b[i] === 0) return r.value;
  // The C code retries a trailing 'x' with strtoul, which cannot consume more than strtod did.
  while (i < b.length && isSpace(b[i])) i++;
  if (i < b.length && b[i] !== 0) return undefined;
  return r.value;
}

/** Exact decimal digits (no leading zeros) and the decimal exponent of the first digit of |x| (finite, non-zero). */
function exactDigits(x: number): { digits: string; exp: number } {
  const f = new Float64Array([Math.abs(x)]);
  const u = new BigUint64Array(f.buffer);
  const bits = u[0];
  let e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e === 0) e = 1; else m |= 1n << 52n;
  e -= 1075;
  let digits: string;
  let pointPos: number; // number of digits before the decimal point
  if (e >= 0) {
    digits = (m << BigInt(e)).toString();
    pointPos = digits.length;
  } else {
    digits = (m * 5n ** BigInt(-e)).toString();
    pointPos = digits.length + e;
  }
  let lead = 0;
  while (digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead).replace(/0+$/, '');
  return { digits, exp: pointPos - lead - 1 };
}

/** printf("%.<prec>g", x) as glibc prints it (prec >= 1). */
export function fmtG(x: number, prec: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Fast path: an integer with at most `prec` digits prints as itself.
  if (Number.isInteger(x) && x < 1e15 && x > -1e15 && Math.abs(x) < 10 ** prec) return String(x);
  const neg = x < 0;
  const ax = neg ? -x : x;
  let digits: string;
  let exp: number;
  const short = prec <= 15 && ax >= 2.2250738585072014e-308 ? shortestDigits(ax) : null; // normal numbers only
  if (short && short.digits.length <= prec) {
    // The shortest round-trip digits fit: for up to 15 digits the decimal grid is coarser than
    // the doubles', so they are the correctly rounded %.<prec>g digits, and no tie is possible.
    digits = short.digits;
    exp = short.exp;
  } else {
    let s = ax.toExponential(prec - 1);
    let e = s.indexOf('e');
    exp = Number(s.slice(e + 1));
    // An exact tie (the value is n + 0.5 units of the last printed digit) is rounded up by JS and
    // to even by glibc. A cheap float filter finds candidates; the exact check uses BigInt.
    if (mayBeTie(ax, prec - 1 - exp) || mayBeTie(ax, prec - exp)) {
      const more = ax.toExponential(Math.min(prec, 100));
      const ePos = more.indexOf('e');
      const ex = exactDigits(ax);
      const moreDigits = more.slice(0, ePos).replace('.', '');
      if (more.charCodeAt(ePos - 1) === 53 && ex.digits.length === prec + 1 && moreDigits === ex.digits) {
        const kept = ex.digits.slice(0, prec);
        if ((kept.charCodeAt(prec - 1) - 48) % 2 === 0) {
          s = kept[0] + (prec > 1 ? '.' + kept.slice(1) : '') + 'e' + (ex.exp < 0 ? '-' : '+') + Math.abs(ex.exp);
          e = s.indexOf('e');
          exp = ex.exp;
        }
      }
    }
    // Significant digits without the point, trailing zeros dropped.
    let end = e;
    while (end > 1 && s.charCodeAt(end - 1) === 48) end--;
    if (end > 1 && s.charCodeAt(end - 1) === 46) end--;
    digits = end > 2 ? s[0] + s.slice(2, end) : s[0];
  }
  let out: string;
  if (exp < -4 || exp >= prec) {
    const ae = exp < 0 ? -exp : exp;
    out = (digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits) + (exp < 0 ? 'e-' : 'e+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp >= 0) {
    out = digits.length > exp + 1 ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1) : digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  }
  return neg ? '-' + out : out;
}

/** The shortest round-trip digits of ax > 0 (JS's Number→String), trailing zeros dropped, and
 *  the decimal exponent of the first digit. */
function shortestDigits(ax: number): { digits: string; exp: number } {
  const t = String(ax);
  const ei = t.indexOf('e');
  const mant = ei < 0 ? t : t.slice(0, ei);
  const e10 = ei < 0 ? 0 : Number(t.slice(ei + 1));
  const dot = mant.indexOf('.');
  const intLen = dot < 0 ? mant.length : dot;
  const all = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  let lead = 0;
  while (all.charCodeAt(lead) === 48) lead++;
  let end = all.length;
  while (end > lead + 1 && all.charCodeAt(end - 1) === 48) end--;
  return { digits: all.slice(lead, end), exp: e10 + intLen - 1 - lead };
}

/** Whether ax * 10^k may be exactly n + 1/2 (a necessary condition, checked in floating point). */
function mayBeTie(ax: number, k: number): boolean {
  if (k > 300 || k < -300) return true;
  const y = k >= 0 ? ax * 10 ** k : ax / 10 ** -k;
  if (y >= 2 ** 53) return true; // too big to see the half in floating point: check exactly
  const f = y - Math.floor(y);
  return f > 0.4999999 && f < 0.5000001;
}

const TWO63 = 2 ** 63;

/** (int64_t)x as gcc compiles it on x86-64, as an exactly representable double (NaN and
 *  out-of-range give INT64_MIN). */
export function toInt64(x: number): number {
  if (x >= -TWO63 && x < TWO63) return Math.trunc(x) || 0;
  return -TWO63;
}

/** (int64_t)x as a BigInt. */
export function toInt64Big(x: number): bigint {
  return BigInt(toInt64(x));
}

/** (uint64_t)x as gcc compiles it on x86-64, as a BigInt of 64 bits. */
export function toUint64Bits(x: number): bigint {
  if (x < TWO63 || x !== x) return BigInt.asUintN(64, toInt64Big(x));
  return BigInt.asUintN(64, toInt64Big(x - TWO63) ^ (1n << 63n));
}

/** (int)x for an int64 value held exactly in a double: its low 32 bits, signed. */
export function int64ToInt32(n: number): number {
  if (n >= -2147483648 && n <= 2147483647) return n;
  return Number(BigInt.asIntN(32, BigInt(n)));
}

/** (int)x for a double, as cvttsd2si does (NaN and out-of-range give INT_MIN). */
export function toInt32(x: number): number {
  if (x > -2147483649 && x < 2147483648) return Math.trunc(x) | 0;
  return -2147483648;
}
