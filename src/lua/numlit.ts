/**
 * Lua 5.1 numbers out of Lua 5.4 source: the numeric literals of a script (or function library,
 * or loadstring chunk) are rewritten to float literals before 5.4 compiles it, because 5.1 has
 * only doubles and 5.4 makes `10` an integer, which leaks: `tostring(100000000000000)` prints
 * every digit (5.1: `1e+14`), integer arithmetic wraps on overflow, `1 % 0` raises an error (5.1:
 * `-nan`), `-0` is `0` and `0xffffffffffffffff` is `-1`. After the rewrite every literal is a
 * double, so arithmetic on literals is float arithmetic as in 5.1.
 *
 * How: one pass of a tokenizer that follows 5.4's lexer (llex.c) just far enough to find
 * numerals: it skips short strings (with their escapes), long strings `[==[ ]==]`, comments
 * (`--` and `--[==[ ]==]`), names (so `x1` is left alone) and the `..`/`...` operators. A
 * numeral (5.4's read_numeral: digits, hex digits, `.`, an exponent and its sign) made only of
 * decimal digits gets `.0` appended (`10` -> `10.0`; 5.4 then reads it with strtod, as 5.1 does,
 * so big literals round the same way); a hexadecimal integer `0x...` becomes the decimal float
 * literal of the double 5.1's strtod gives it (`0xffffffffffffffff` -> `18446744073709552000.0`).
 * Every other numeral (already a float, or malformed) is left as written. Newlines are never
 * added or removed, so line numbers in errors are the original ones; a chunk that does not
 * compile after the rewrite is compiled as written by the caller, for 5.4's own syntax error text.
 *
 * Cost: linear in the source, once per script body (scripts are cached by SHA1); a body with no
 * digit is returned as is.
 */
import { strtod } from './libs/cnum.js';

/** Words after which a `-` is unary (5.1's reserved words; `end`, `nil`, `true`, `false` included
 *  as none of them is followed by a binary minus but `nil`/`true`/`false`, which then error anyway). */
const KEYWORDS = new Set(['and', 'break', 'do', 'else', 'elseif', 'end', 'for', 'function', 'if', 'in', 'local', 'not', 'or',
  'repeat', 'return', 'then', 'until', 'while']);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isXDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** The level of a long bracket opening at `i` (`[` `=`* `[`), or -1. */
function longBracket(b: Uint8Array, i: number): number {
  if (b[i] !== 91) return -1;
  let j = i + 1;
  while (j < b.length && b[j] === 61) j++;
  return j < b.length && b[j] === 91 ? j - i - 1 : -1;
}

/** The offset just past the long bracket of `level` opened at `i` (or the end). */
function skipLong(b: Uint8Array, i: number, level: number): number {
  let j = i + level + 2;
  for (;;) {
    const k = b.indexOf(93, j); // ']'
    if (k === -1) return b.length;
    let e = k + 1;
    while (e < b.length && b[e] === 61) e++;
    if (e - k - 1 === level && b[e] === 93) return e + 1;
    j = k + 1;
  }
}

/** The float literal for a numeral 5.1 would read as `v`. */
function floatLiteral(v: number): string {
  if (v === Infinity) return '1e999';
  const s = String(v);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** The chunk with its integer literals made float literals (the same buffer when nothing changes). */
export function floatLiterals(src: Buffer): Buffer {
  const b = src;
  const n = b.length;
  let i = 0;
  let out: Buffer[] | null = null;
  let from = 0;
  const replace = (start: number, end: number, text: string): void => {
    if (out === null) out = [];
    out.push(b.subarray(from, start), Buffer.from(text, 'latin1'));
    from = end;
  };
  // 5.1 folds `-0` into a constant, and its constant table holds one entry for 0 and -0: after a
  // 0 constant, `-0` is 0. Approximated per chunk (5.1's table is per function): a unary minus
  // before a zero numeral, once a zero numeral was seen, is blanked.
  let operand = false;
  let seenZero = false;
  while (i < n) {
    const c = b[i]!;
    if (c === 45 && b[i + 1] !== 45 && !operand) {
      let j = i + 1;
      while (j < n && (b[j] === 32 || b[j] === 9)) j++;
      if (seenZero && b[j] === 48 && !isXDigit(b[j + 1] ?? 0) && b[j + 1] !== 46 && b[j + 1] !== 120 && b[j + 1] !== 88) {
        replace(i, i + 1, ' ');
      }
      i++;
      continue;
    }
    if (c === 45 && b[i + 1] === 45) { // -- comment
      const lv = longBracket(b, i + 2);
      if (lv >= 0) { i = skipLong(b, i + 2, lv); continue; }
      const nl = b.indexOf(10, i + 2);
      const cr = b.indexOf(13, i + 2);
      const e = nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr);
      i = e === -1 ? n : e;
      continue;
    }
    if (c === 34 || c === 39) { // short string
      let j = i + 1;
      while (j < n && b[j] !== c && b[j] !== 10 && b[j] !== 13) j += b[j] === 92 ? 2 : 1;
      i = j + 1;
      operand = true;
      continue;
    }
    if (c === 91) {
      const lv = longBracket(b, i);
      if (lv >= 0) { i = skipLong(b, i, lv); operand = true; continue; }
      i++;
      operand = false;
      continue;
    }
    if (isAlpha(c)) {
      const st = i;
      i++;
      while (i < n && (isAlpha(b[i]!) || isDigit(b[i]!))) i++;
      operand = !KEYWORDS.has(b.latin1Slice(st, i));
      continue;
    }
    if (c === 46 && !isDigit(b[i + 1] ?? 0)) { // '.', '..', '...'
      const st = i;
      i++;
      while (i < n && b[i] === 46) i++;
      operand = i - st === 3;
      continue;
    }
    if (isDigit(c) || c === 46) {
      // 5.4's read_numeral.
      const start = i;
      let hex = false;
      let exp1 = 69; let exp2 = 101; // E e
      i++;
      if (c === 48 && (b[i] === 120 || b[i] === 88)) { hex = true; exp1 = 80; exp2 = 112; i++; }
      let plain = !hex && c !== 46;
      for (;;) {
        const d = b[i] ?? 0;
        if (d === exp1 || d === exp2) {
          plain = false;
          i++;
          if (b[i] === 43 || b[i] === 45) i++;
        } else if (isXDigit(d) || d === 46) {
          if (!isDigit(d)) plain = false;
          i++;
        } else break;
      }
      operand = true;
      if (i < n && isAlpha(b[i]!)) continue; // malformed: left for the compiler to report
      if (strtod(b.subarray(start, i), 0).value === 0) seenZero = true;
      if (plain) {
        replace(i, i, '.0');
      } else if (hex && i - start > 2) {
        let digitsOnly = true;
        for (let k = start + 2; k < i; k++) if (!isXDigit(b[k]!) || b[k] === 80 || b[k] === 112) digitsOnly = false;
        if (digitsOnly) {
          const r = strtod(b.subarray(start, i), 0);
          if (r.end === i - start) replace(start, i, floatLiteral(r.value));
        }
      }
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) operand = c === 41 || c === 93 || c === 125; // ) ] }
    i++;
  }
  if (out === null) return src;
  const parts: Buffer[] = out;
  parts.push(b.subarray(from));
  return Buffer.concat(parts);
}
