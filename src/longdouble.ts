/**
 * x87 80-bit long double arithmetic, exactly as INCRBYFLOAT does it in Redis.
 *
 * Redis parses with strtold, adds in long double (64-bit significand, round
 * to nearest even), and prints with "%.17Lf" minus trailing zeros. A JS
 * double would print 0.1 + 0.2 as 0.30000000000000004 where Redis prints 0.3,
 * so cachette emulates the long double with BigInt: a value is m * 2^e with
 * m < 2^64. Every step is exact before one final rounding, which is what the
 * hardware does.
 *
 * Range: finite values are below 2^16384; the smallest subnormal is
 * 2^-16445. strtold sets ERANGE when a result overflows to infinity or
 * underflows to zero, and Redis rejects those inputs as "not a valid float".
 */

export type LongDouble =
  | { inf: false; neg: boolean; m: bigint; e: number } // value = (neg ? -1 : 1) * m * 2^e; m = 0n is zero
  | { inf: true; neg: boolean };

const MANT_BITS = 64;
const EMIN_LSB = -16445;
const EMAX = 16384;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive value num/den * 2^exp to a long double.
 * Returns null on overflow (too large) and 'zero' when it rounds to zero.
 */
function round(neg: boolean, num: bigint, den: bigint, exp: number): LongDouble | null | 'zero' {
  // Scale so the integer quotient has at least MANT_BITS + 2 bits.
  const s = MANT_BITS + 2 - (bitLength(num) - bitLength(den));
  const q0 = s >= 0 ? (num << BigInt(s)) / den : num / (den << BigInt(-s));
  const r0 = s >= 0 ? (num << BigInt(s)) % den : num % (den << BigInt(-s));
  const sticky = r0 !== 0n;
  const baseExp = exp - s; // value ~= q0 * 2^baseExp
  let lsbExp = baseExp + Math.max(0, bitLength(q0) - MANT_BITS);
  if (lsbExp < EMIN_LSB) lsbExp = EMIN_LSB; // subnormal: fewer significant bits
  const drop = lsbExp - baseExp;
  let m = q0 >> BigInt(drop);
  if (drop > 0) {
    const rem = q0 & ((1n << BigInt(drop)) - 1n);
    const half = 1n << BigInt(drop - 1);
    if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) m += 1n;
  }
  if (m >> BigInt(MANT_BITS) !== 0n) { m >>= 1n; lsbExp += 1; }
  if (m === 0n) return 'zero';
  if (bitLength(m) + lsbExp > EMAX) return null;
  return { inf: false, neg, m, e: lsbExp };
}

const DEC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Parses like Redis's getLongDoubleFromObject: strtold on the whole string;
 * leading space, trailing garbage, NaN, overflow and underflow to zero are
 * invalid (null). At most 5119 characters.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= 5120) return null;
  let m = INF.exec(s);
  if (m !== null) return { inf: true, neg: m[1] === '-' };
  let neg: boolean;
  let num: bigint;
  let den = 1n;
  let exp2 = 0;
  if ((m = HEX.exec(s)) !== null) {
    const int = m[2]!;
    const frac = m[3] ?? '';
    if (int.length + frac.length === 0) return null;
    neg = m[1] === '-';
    num = BigInt('0x' + ((int + frac).replace(/^0+/, '') || '0'));
    const p = m[4] === undefined ? 0 : Number(m[4]);
    exp2 = p - 4 * frac.length;
    if (!Number.isFinite(exp2) || Math.abs(exp2) > 1e7) {
      if (num === 0n) return { inf: false, neg, m: 0n, e: 0 };
      return null; // far beyond the range either way
    }
  } else if ((m = DEC.exec(s)) !== null) {
    const int = m[2]!;
    const frac = m[3] ?? '';
    if (int.length + frac.length === 0) return null;
    neg = m[1] === '-';
    const digits = (int + frac).replace(/^0+/, '');
    if (digits === '') return { inf: false, neg, m: 0n, e: 0 };
    const e10 = (m[4] === undefined ? 0 : Number(m[4])) - frac.length;
    const magnitude = digits.length - 1 + e10; // decimal exponent of the leading digit
    if (magnitude > 4933) return null; // overflow (max is ~1.19e4932)
    if (magnitude < -4952) return null; // underflow to zero (min subnormal ~3.6e-4951)
    num = BigInt(digits);
    if (e10 >= 0) num *= 10n ** BigInt(e10);
    else den = 10n ** BigInt(-e10);
  } else {
    return null;
  }
  if (num === 0n) return { inf: false, neg, m: 0n, e: 0 };
  const r = round(neg, num, den, exp2);
  return r === null || r === 'zero' ? null : r;
}

/** a + b, rounded to long double. Returns null when the result is infinite or NaN. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) return null;
  const e = Math.min(a.e, b.e);
  const va = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const vb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = va + vb;
  if (sum === 0n) {
    // Round-to-nearest gives +0 for x + (-x); -0 only for (-0) + (-0).
    return { inf: false, neg: a.neg && b.neg && a.m === 0n && b.m === 0n, m: 0n, e: 0 };
  }
  const r = round(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
  if (r === null) return null;
  // Results too small for a subnormal round to zero (no error when adding).
  return r === 'zero' ? { inf: false, neg: sum < 0n, m: 0n, e: 0 } : r;
}

/** Redis's ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and '.' removed, "-0" as "0". */
export function formatLongDouble(x: LongDouble): string {
  if (x.inf) return x.neg ? '-inf' : 'inf';
  const SCALE = 10n ** 17n;
  let scaled: bigint;
  if (x.e >= 0) {
    scaled = (x.m << BigInt(x.e)) * SCALE;
  } else {
    const den = 1n << BigInt(-x.e);
    const n = x.m * SCALE;
    scaled = n / den;
    const rem = n % den;
    const twice = rem * 2n;
    if (twice > den || (twice === den && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const intPart = scaled / SCALE;
  const frac = (scaled % SCALE).toString().padStart(17, '0').replace(/0+$/, '');
  let out = intPart.toString() + (frac.length > 0 ? '.' + frac : '');
  if (x.neg) out = '-' + out;
  return out === '-0' ? '0' : out;
}

/** a * k for an integer k > 0, rounded to long double; null when the product overflows to infinity. */
export function mulLongDoubleInt(a: LongDouble, k: bigint): LongDouble | null {
  if (a.inf) return null;
  if (a.m === 0n) return a;
  const r = round(a.neg, a.m * k, 1n, a.e);
  if (r === null) return null;
  return r === 'zero' ? { inf: false, neg: a.neg, m: 0n, e: 0 } : r;
}

/** ceill(x) of a finite long double, exactly, as a bigint (-0 gives 0). */
export function ceilLongDouble(x: LongDouble): bigint {
  if (x.inf) throw new RangeError('ceilLongDouble: infinite');
  if (x.e >= 0) { const v = x.m << BigInt(x.e); return x.neg ? -v : v; }
  const q = x.m >> BigInt(-x.e);
  const frac = (x.m & ((1n << BigInt(-x.e)) - 1n)) !== 0n;
  return x.neg ? -q : q + (frac ? 1n : 0n);
}
