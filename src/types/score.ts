/**
 * Sorted-set scores and ranges, parsed and compared exactly as Redis 7.0 does.
 *
 * Owns:
 * - parseScore: a score argument (ZADD, ZINCRBY, ZADD INCR, WEIGHTS), Redis's
 *   string2d: C strtod over the whole argument, where leading whitespace,
 *   trailing bytes (an embedded NUL included), NaN, and an overflow to +-inf
 *   or an underflow to zero (strtod's ERANGE) are invalid. "inf", "+inf",
 *   "-inf", "infinity" (any case) and hex floats ("0x10", "0x1.8p1") are
 *   valid, as in glibc.
 * - parseScoreRange: the min/max of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE,
 *   ZRANGE BYSCORE (Redis's zslParseRange): an optional '(' for an exclusive
 *   bound, then strtod that must stop at the end of the C string. That check
 *   is looser than string2d: leading whitespace is skipped, "" and "(" read
 *   as 0, "1e400" reads as inf, "1e-400" as 0, and bytes after a NUL are
 *   ignored. Only NaN and trailing bytes are refused.
 * - parseLexRange: the min/max of the BYLEX commands (zslParseLexRange):
 *   "[x" inclusive, "(x" exclusive, "-" and "+" the open ends.
 * - the range tests Redis uses (zslValueGteMin, zslLexValueGteMin...) and
 *   the "range is empty whatever the set holds" test (zslIsInRange's first
 *   step).
 * - formatScore: a score as Redis replies it, C's "%.17g" (numbers.ts owns
 *   the formatter; Reply.double uses the same one).
 *
 * strtod in JS: the syntax is checked with a regular expression, decimal
 * values are converted by Number() (correctly rounded, like glibc), hex
 * floats by exact BigInt arithmetic with round-half-even. Cost: O(length of
 * the argument); no allocation on the common decimal path beyond Number().
 *
 * Members are binary strings (latin1, one char per byte): comparing two with
 * JS `<` compares UTF-16 code units, which for chars 0..255 is byte order,
 * and a proper prefix sorts first, exactly like Redis's sdscmp (memcmp, then
 * length).
 */

import { formatDouble17g } from '../numbers.js';


const DEC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF = /^([+-]?)inf(?:inity)?$/i;
const NONZERO_DIGIT = /[1-9]/;

/** The result of strtod over a whole string: the value and whether errno would be ERANGE; null if not all consumed. */
interface Strtod { v: number; erange: boolean }

/**
 * strtod over the whole of `s` (no leading whitespace here; callers strip it
 * where strtod would). null when strtod would not consume all of `s`, or the
 * value is NaN (every caller refuses NaN).
 */
function strtodWhole(s: string): Strtod | null {
  if (DEC.test(s)) {
    const v = Number(s);
    if (v === Infinity || v === -Infinity) return { v, erange: true };
    // Rounded to zero although a digit of the mantissa is not zero: underflow.
    if (v === 0) {
      const e = s.search(/[eE]/);
      return { v, erange: NONZERO_DIGIT.test(e === -1 ? s : s.slice(0, e)) };
    }
    return { v, erange: false };
  }
  const c = s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45 ? s.charCodeAt(1) : s.charCodeAt(0);
  if (c === 48 /* 0 */) {
    const m = HEX.exec(s);
    if (m !== null && m[2]!.length + (m[3] ?? '').length > 0) return hexValue(m[1] === '-', m[2]!, m[3] ?? '', m[4]);
    return null;
  }
  const m = INF.exec(s);
  if (m !== null) return { v: m[1] === '-' ? -Infinity : Infinity, erange: false };
  return null;
}

/** A hex float's value, rounded to nearest even like glibc. */
function hexValue(neg: boolean, int: string, frac: string, pexp: string | undefined): Strtod {
  const digits = (int + frac).replace(/^0+/, '');
  const sign = neg ? -1 : 1;
  if (digits === '') return { v: sign * 0, erange: false };
  let m = BigInt('0x' + digits);
  // value = m * 2^e
  const p = pexp === undefined ? 0 : Number(pexp);
  const e = p - 4 * frac.length;
  const bits = m.toString(2).length;
  const top = bits - 1 + e; // exponent of the leading bit
  if (top > 1023) return { v: sign * Infinity, erange: true };
  if (top < -1076) return { v: sign * 0, erange: true };
  // Exponent of the last kept bit: 53 significant bits, or fewer below 2^-1022.
  const lsb = Math.max(top - 52, -1074);
  if (lsb > e) {
    const drop = BigInt(lsb - e);
    const rem = m & ((1n << drop) - 1n);
    const half = 1n << (drop - 1n);
    m >>= drop;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  } else {
    m <<= BigInt(e - lsb);
  }
  if (m === 0n) return { v: sign * 0, erange: true };
  const v = sign * Number(m) * 2 ** lsb;
  if (v === Infinity || v === -Infinity) return { v, erange: true };
  return { v, erange: false };
}

/**
 * A score argument, as Redis's getDoubleFromObject/string2d reads it.
 * Returns null for an invalid score (reply errors.ts's NOT_FLOAT). -0 stays -0.
 */
export function parseScore(s: string): number | null {
  if (s.length === 0) return null;
  const r = strtodWhole(s);
  if (r === null) return null;
  if (r.erange && (r.v === 0 || r.v === Infinity || r.v === -Infinity)) return null;
  return r.v;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * strtod over a C string (up to its first NUL) that must consume all of it,
 * leading white space allowed: the value and strtod's ERANGE flag, or null
 * when something is left over. An empty string reads as 0 (strtod converts
 * nothing and stops at the terminator).
 */
function strtodC(s: string): Strtod | null {
  const z = s.indexOf('\0');
  if (z !== -1) s = s.slice(0, z); // strtod reads a C string
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  const body = s.slice(i);
  if (body.length === 0) {
    // No conversion: strtod returns 0 and leaves the end pointer at the start,
    // which is the terminator only when the string is empty.
    return s.length === 0 ? { v: 0, erange: false } : null;
  }
  return strtodWhole(body);
}

/** One bound of zslParseRange, after its '(' if any: strtod that must end at the C string's end. */
function parseRangeBound(s: string): number | null {
  const r = strtodC(s);
  return r === null ? null : r.v;
}

/**
 * A SORT weight (sort.c): strtod over the C string, refused when something
 * is left over, on ERANGE (overflow or underflow) or NaN. null: Redis's
 * "One or more scores can't be converted into double".
 */
export function parseSortWeight(s: string): number | null {
  const r = strtodC(s);
  return r === null || r.erange ? null : r.v;
}

/** A score interval: min/max with exclusive flags (Redis's zrangespec). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** Parses the min and max of a score range (zslParseRange). null: reply errors.ts's MINMAX_NOT_FLOAT. */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const minex = min.charCodeAt(0) === 40; /* ( */
  const maxex = max.charCodeAt(0) === 40;
  const lo = parseRangeBound(minex ? min.slice(1) : min);
  if (lo === null) return null;
  const hi = parseRangeBound(maxex ? max.slice(1) : max);
  if (hi === null) return null;
  return { min: lo, max: hi, minex, maxex };
}

/** score >= min (or > min when exclusive). */
export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

/** score <= max (or < max when exclusive). */
export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** True when no score can be in the range (min > max, or min == max with an exclusive end). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** The kind of a lex bound: "-" (below every string), a string, or "+" (above every string). */
export const LEX_MIN = -1;
export const LEX_STRING = 0;
export const LEX_MAX = 1;

/** A lex interval (Redis's zlexrangespec). `min`/`max` are meaningful when the kind is LEX_STRING. */
export interface LexRange {
  minKind: number;
  min: string;
  minex: boolean;
  maxKind: number;
  max: string;
  maxex: boolean;
}

interface LexBound { kind: number; s: string; ex: boolean }

function parseLexBound(item: string): LexBound | null {
  switch (item.charCodeAt(0)) {
    case 43: /* + */
      // Redis tests the byte after '+' against the C terminator.
      if (item.length > 1 && item.charCodeAt(1) !== 0) return null;
      return { kind: LEX_MAX, s: '', ex: true };
    case 45: /* - */
      if (item.length > 1 && item.charCodeAt(1) !== 0) return null;
      return { kind: LEX_MIN, s: '', ex: true };
    case 40: /* ( */
      return { kind: LEX_STRING, s: item.slice(1), ex: true };
    case 91: /* [ */
      return { kind: LEX_STRING, s: item.slice(1), ex: false };
    default:
      return null;
  }
}

/** Parses the min and max of a lex range (zslParseLexRange). null: reply errors.ts's LEX_RANGE_INVALID. */
export function parseLexRange(min: string, max: string): LexRange | null {
  const lo = parseLexBound(min);
  if (lo === null) return null;
  const hi = parseLexBound(max);
  if (hi === null) return null;
  return { minKind: lo.kind, min: lo.s, minex: lo.ex, maxKind: hi.kind, max: hi.s, maxex: hi.ex };
}

/** Redis's sdscmplex: "-" below everything, "+" above, else byte order. */
function cmpLex(aKind: number, a: string, bKind: number, b: string): number {
  if (aKind !== LEX_STRING && aKind === bKind) return 0;
  if (aKind === LEX_MIN || bKind === LEX_MAX) return -1;
  if (aKind === LEX_MAX || bKind === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** member >= min (or > min when exclusive). */
export function lexGteMin(member: string, r: LexRange): boolean {
  const c = cmpLex(LEX_STRING, member, r.minKind, r.min);
  return r.minex ? c > 0 : c >= 0;
}

/** member <= max (or < max when exclusive). */
export function lexLteMax(member: string, r: LexRange): boolean {
  const c = cmpLex(LEX_STRING, member, r.maxKind, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no member can be in the range (min > max, or min == max with an exclusive end). */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = cmpLex(r.minKind, r.min, r.maxKind, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/** A score as Redis 7.0 replies it: "%.17g", "inf", "-inf", "-0". */
export function formatScore(x: number): string {
  return formatDouble17g(x);
}

/** Byte-order comparison of two members (binary strings), like sdscmp: <0, 0, >0. */
export function compareMembers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
