/**
 * Number parsing and formatting with Redis's exact rules.
 *
 * Owns: strict 64-bit integer parsing (Redis's string2ll), cursor parsing,
 * %.17g double formatting and bytesToHuman. (INCRBYFLOAT's long double
 * arithmetic lives in longdouble.ts.)
 *
 * Values travel as "binary strings" (latin1: one char per byte), so all parsing
 * here works on JS strings whose char codes are bytes.
 *
 * Integers: a parse returns a JS number when the value is a safe integer
 * (|v| <= 2^53-1) and a bigint otherwise, so the common case never touches
 * BigInt while values up to int64 stay exact.
 */

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
export const LLONG_MAX_DIV_1000 = 9223372036854775n;

/** The result of parsing an integer: number when safe, bigint when large, null when invalid. */
export type Int = number | bigint;

/**
 * Parses a strict Redis integer (string2ll): optional '-', digits, no leading
 * zeros, no '+', no spaces, no "-0", at most 20 chars, within int64.
 */
export function parseInt64(s: string): Int | null {
  const len = s.length;
  if (len === 0 || len > 20) return null;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    if (len === 1) return null;
    neg = true;
    i = 1;
    c = s.charCodeAt(1);
  }
  if (c === 48 /* 0 */) {
    // "0" is the only number that may start with 0; "-0" and "007" are rejected.
    return len === 1 ? 0 : null;
  }
  if (c < 49 || c > 57) return null;
  if (len - i <= 15) {
    let v = 0;
    for (; i < len; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  for (let j = i; j < len; j++) {
    c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return null;
  return normalizeInt(b);
}

/** Returns a number when the bigint is a safe integer, else the bigint. */
export function normalizeInt(b: bigint): Int {
  if (b >= -9007199254740991n && b <= 9007199254740991n) return Number(b);
  return b;
}

/**
 * Parses an unsigned 64-bit cursor like strtoul as Redis's SCAN does: no leading
 * whitespace, no trailing garbage, no overflow. A leading '-' is accepted and
 * wraps around, as in C ("-1" is 2^64-1). Returns a bigint, or null.
 */
export function parseCursor(s: string): bigint | null {
  const z = s.indexOf('\0');
  if (z !== -1) s = s.slice(0, z); // strtoul reads a C string
  if (s.length === 0) return 0n;
  // One linear pass: sign, digits only, leading zeros skipped. strtoul takes
  // any number of leading zeros; past 20 significant digits the value is over
  // 2^64 (ERANGE). Checked before BigInt, whose parse is not linear, so a
  // cursor of millions of digits costs one scan.
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg || s.charCodeAt(0) === 43) i = 1;
  if (i === s.length) return null;
  let first = -1;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
    if (first === -1 && c !== 48) first = j;
  }
  if (first === -1) return 0n;
  if (s.length - first > 20) return null;
  let v = BigInt(s.slice(first));
  if (v > 18446744073709551615n) return null;
  if (neg) v = (18446744073709551616n - v) % 18446744073709551616n;
  return v;
}

/**
 * Formats a double like C's %.17g (RESP2 bulk doubles, RESP3 ',' doubles,
 * sorted-set scores): 17 significant digits, fixed notation when the decimal
 * exponent X is in [-4, 17), else d.ddde+XX; trailing zeros dropped.
 *
 * V8's toExponential(16) gives the correctly rounded 17 digits except on an
 * exact tie (the value's decimal expansion has exactly 18 significant digits,
 * the last a 5), where it rounds half away from zero and glibc rounds half to
 * even. Ties only occur for m * 2^-k with m odd and 1 <= k <= 25 (see
 * tieDigits), so that case is checked with exact integer arithmetic.
 */
export function formatDouble17g(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const a = neg ? -x : x;
  // Safe integers have at most 16 digits, which String() prints exactly.
  if (a <= 9007199254740991 && Number.isInteger(a)) return neg ? '-' + String(a) : String(a);
  const e = a.toExponential(16);
  let digits = e.charAt(0) + e.slice(2, 18); // 17 significant digits
  let exp = Number(e.slice(19));
  const tie = tieDigits(a);
  if (tie !== null) {
    // tie: the exact 18 digits, ending in 5; round the 17 to even.
    let d17 = BigInt(tie.slice(0, 17));
    if ((d17 & 1n) === 1n) d17 += 1n;
    digits = d17.toString();
    exp = tie.length - 1 + tieExp;
    if (digits.length > 17) { digits = digits.slice(0, 17); exp++; }
  }
  let out: string;
  if (exp < -4 || exp >= 17) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const ae = exp < 0 ? -exp : exp;
    out = digits.charAt(0) + (frac.length > 0 ? '.' + frac : '') + (exp < 0 ? 'e-' : 'e+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp >= 0) {
    const frac = digits.slice(exp + 1).replace(/0+$/, '');
    out = digits.slice(0, exp + 1) + (frac.length > 0 ? '.' + frac : '');
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + digits.replace(/0+$/, '');
  }
  return neg ? '-' + out : out;
}

const tieView = new DataView(new ArrayBuffer(8));
let tieExp = 0;

/**
 * When a > 0 has exactly 18 significant decimal digits (then the last is a
 * 5: an exact tie at 17), returns them and sets tieExp to -k, where
 * a = digits * 10^-k; otherwise null.
 * a = m * 2^-k with m odd and k >= 1 has k digits after the point, and its
 * significant digits are those of m * 5^k; 18 of them need 5^k < 10^18, so
 * k <= 25. Integers (k <= 0) of 18 digits ending in 5 are odd, hence above
 * 2^53 and not doubles.
 */
function tieDigits(a: number): string | null {
  tieView.setFloat64(0, a);
  const hi = tieView.getUint32(0);
  const lo = tieView.getUint32(4);
  const be = (hi >>> 20) & 0x7ff;
  if (be === 0) return null; // subnormals have k > 1000
  // a = mant * 2^(be - 1075), mant a 53-bit integer.
  let mant = (hi & 0xfffff) * 4294967296 + lo + 4503599627370496;
  let k = 1075 - be;
  if (k <= 0 || k > 25 + 52) return null;
  while (mant % 2 === 0 && k > 0) { mant /= 2; k--; }
  if (k < 1 || k > 25) return null;
  if (mant * 5 ** k < 9e16) return null; // far fewer than 18 digits (float estimate is good to 1e-15)
  const d = (BigInt(mant) * 5n ** BigInt(k)).toString();
  if (d.length !== 18) return null;
  // a = d * 10^-k: the first digit's exponent is d.length - 1 - k.
  tieExp = -k;
  return d;
}

/** Redis's bytesToHuman: "<n>B", then %.2f with K/M/G/T/P in base 1024. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(2)}${units[i]}`;
}
