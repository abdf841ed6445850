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

/** Formats a double like C's %.17g (RESP2 bulk doubles and RESP3 ',' doubles). */
export function formatDouble17g(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isNaN(x)) return 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s: string;
  if (exp < -4 || exp >= 17) {
    s = x.toExponential(16);
    let [mant, e] = s.split('e') as [string, string];
    if (mant.indexOf('.') !== -1) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e[0] === '-' ? '-' : '+';
    let digits = e.replace(/^[+-]/, '');
    if (digits.length < 2) digits = '0' + digits;
    s = `${mant}e${sign}${digits}`;
  } else {
    s = x.toPrecision(17);
    if (s.indexOf('e') !== -1) return formatDouble17g(x); // unreachable guard
    if (s.indexOf('.') !== -1) s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  return s;
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
