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
/** Characters 5.1 accepts after a backslash with a meaning of their own (others stand for themselves). */
const ESCAPES51 = new Set([...'abfnrtv\\"\'0123456789\n\r'].map((ch) => ch.charCodeAt(0)));
const PH = ['\x01', '\x02', '\x03', '\x04', '\x05', '\x06', '\x07'];
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isXDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** The level of a long bracket opening at `i` (`[` `=`* `[`), or -1. */
function longBracket(b: string, i: number): number {
  if (b.charCodeAt(i) !== 91) return -1;
  let j = i + 1;
  while (b.charCodeAt(j) === 61) j++;
  return b.charCodeAt(j) === 91 ? j - i - 1 : -1;
}

/** The offset just past the long bracket of `level` opened at `i` (or the end). */
function skipLong(b: string, i: number, level: number): number {
  const close = ']' + '='.repeat(level) + ']';
  const k = b.indexOf(close, i + level + 2);
  return k === -1 ? b.length : k + close.length;
}

/** The float literal for a numeral 5.1 would read as `v`. */
function floatLiteral(v: number): string {
  if (v === Infinity) return '1e999';
  const s = String(v);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** The chunk with its integer literals made float literals (the same buffer when nothing changes). */
export function floatLiterals(src: Buffer): Buffer {
  return lua51Source(src, true);
}

/** Placeholders for 5.4-only operators (control bytes: no 5.4 grammar rule accepts them, so the
 *  parser stops there as 5.1's does at the operator); fixSyntax51 maps them back in the message. */
export const PLACEHOLDERS = ['&', '|', '~', '<', '>', '/', ':'];

/**
 * The chunk as 5.1 lexes it, in 5.4 syntax: escapes 5.1 does not know (`\x`, `\z`, `\u{}`,
 * `\q`...) lose their backslash (5.1 keeps the character), and 5.4-only operators (`&`, `|`,
 * `~`, `<<`, `>>`, `//`, `::`, `<const>`) get a placeholder byte so that the chunk fails to
 * compile where 5.1's parser fails. With `numbers`, integer literals become float literals.
 */
export function lua51Source(src: Buffer, numbers: boolean): Buffer {
  const b = src.latin1Slice();
  const n = b.length;
  let i = 0;
  let out = '';
  let from = 0;
  let changed = false;
  const replace = (start: number, end: number, text: string): void => {
    out += b.slice(from, start) + text;
    from = end;
    changed = true;
  };
  // 5.1 folds `-0` into a constant, and its constant table holds one entry for 0 and -0: the first
  // zero constant decides the sign of every later one (`0` then `-0`: both 0; `-0` then `0`: both
  // -0). Approximated per chunk (5.1's table is per function): after a 0, a unary minus before a
  // zero numeral is blanked; after a -0, a zero numeral becomes `(-0.0)`.
  let operand = false;
  let zeroSign = 0; // 0: no zero constant yet; 1: the first was 0; -1: it was -0
  let negatedAt = -1;
  while (i < n) {
    const c = b.charCodeAt(i);
    if (c === 45 && b.charCodeAt(i + 1) !== 45 && !operand) {
      let j = i + 1;
      while (b.charCodeAt(j) === 32 || b.charCodeAt(j) === 9) j++;
      const d = b.charCodeAt(j + 1);
      if (zeroSign === 1 && b.charCodeAt(j) === 48 && !isXDigit(d) && d !== 46 && d !== 120 && d !== 88) replace(i, i + 1, ' ');
      negatedAt = j;
      i++;
      continue;
    }
    if (c === 45 && b.charCodeAt(i + 1) === 45) { // -- comment
      const lv = longBracket(b, i + 2);
      if (lv >= 0) { i = skipLong(b, i + 2, lv); continue; }
      while (i < n && b.charCodeAt(i) !== 10 && b.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 34 || c === 39) { // short string
      let j = i + 1;
      for (;;) {
        const d = b.charCodeAt(j);
        if (j >= n || d === c || d === 10 || d === 13) break;
        if (d === 92) {
          if (!ESCAPES51.has(b.charCodeAt(j + 1)) && j + 1 < n) replace(j, j + 1, '');
          j += 2;
        } else {
          j++;
        }
      }
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
      while (i < n && (isAlpha(b.charCodeAt(i)) || isDigit(b.charCodeAt(i)))) i++;
      operand = i - st > 8 || !KEYWORDS.has(b.slice(st, i));
      continue;
    }
    if (c === 46 && !isDigit(b.charCodeAt(i + 1))) { // '.', '..', '...'
      const st = i;
      i++;
      while (b.charCodeAt(i) === 46) i++;
      operand = i - st === 3;
      continue;
    }
    if (isDigit(c) || c === 46) {
      // 5.4's read_numeral.
      const start = i;
      let hex = false;
      let exp1 = 69; let exp2 = 101; // E e
      i++;
      if (c === 48 && (b.charCodeAt(i) === 120 || b.charCodeAt(i) === 88)) { hex = true; exp1 = 80; exp2 = 112; i++; }
      let plain = !hex && c !== 46;
      let zero = c === 48 && !hex;
      for (;;) {
        const d = b.charCodeAt(i);
        if (d === exp1 || d === exp2) {
          plain = false;
          i++;
          if (b.charCodeAt(i) === 43 || b.charCodeAt(i) === 45) i++;
        } else if (isXDigit(d) || d === 46) {
          if (!isDigit(d)) plain = false;
          if (d !== 48 && d !== 46) zero = false;
          i++;
        } else break;
      }
      operand = true;
      if (i < n && isAlpha(b.charCodeAt(i))) continue; // malformed: left for the compiler to report
      if (zero) {
        if (start === negatedAt) {
          if (zeroSign === 0) zeroSign = -1;
        } else if (zeroSign === 0) {
          zeroSign = 1;
        } else if (zeroSign === -1 && numbers) {
          replace(start, i, '(-0.0)');
          continue;
        }
      }
      if (!numbers) continue;
      if (plain) {
        replace(i, i, '.0');
      } else if (hex && i - start > 2) {
        let digitsOnly = true;
        for (let k = start + 2; k < i; k++) if (!isXDigit(b.charCodeAt(k))) digitsOnly = false;
        if (digitsOnly) {
          const text = Buffer.from(b.slice(start, i), 'latin1');
          const r = strtod(text, 0);
          if (r.end === text.length) replace(start, i, floatLiteral(r.value));
        }
      }
      continue;
    }
    // 5.4-only operators.
    const d = b.charCodeAt(i + 1);
    if (c === 38 || c === 124 || (c === 126 && d !== 61)) replace(i, i + 1, PH[c === 38 ? 0 : c === 124 ? 1 : 2]!);
    else if ((c === 60 || c === 62 || c === 47 || c === 58) && d === c) { replace(i + 1, i + 2, PH[c === 60 ? 3 : c === 62 ? 4 : c === 47 ? 5 : 6]!); i++; }
    else if (c === 60 && /^<\s*(const|close)\s*>/.test(b.slice(i, i + 40))) replace(i, i + 1, PH[3]!);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) operand = c === 41 || c === 93 || c === 125; // ) ] }
    i++;
  }
  if (!changed) return src;
  return Buffer.from(out + b.slice(from), 'latin1');
}
