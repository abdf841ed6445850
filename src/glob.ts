/**
 * Redis glob-style pattern matching (KEYS, SCAN MATCH, CONFIG GET, later PSUBSCRIBE).
 *
 * Works byte-wise on binary strings. Rules, as Redis's stringmatchlen:
 *  `*` any run (consecutive stars collapse), `?` one byte, `[abc]` `[^abc]` `[a-z]`
 *  classes (reversed ranges are swapped, an unterminated class ends at the end of
 *  the pattern), and `\x` escapes x both outside and inside classes.
 * `*` is matched by trying every suffix; a depth guard stops pathological patterns.
 */

function lower(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}

/** Bytes as C's signed char, which is how Redis compares class ranges. */
function signed(c: number): number {
  return c > 127 ? c - 256 : c;
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k < slen; k++) {
        if (matchFrom(p, pi + 1, s, k, nocase, depth + 1)) return true;
      }
      return false;
    } else if (pc === 63 /* ? */) {
      pi++; si++;
      if (si === slen) { while (pi < plen && p.charCodeAt(pi) === 42) pi++; break; }
      continue;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = pi < plen && p.charCodeAt(pi) === 94 /* ^ */;
      if (not) pi++;
      let match = false;
      const c = lower(s.charCodeAt(si), nocase);
      for (;;) {
        if (pi >= plen) { break; }
        const q = p.charCodeAt(pi);
        if (q === 92 /* \ */ && pi + 1 < plen) {
          pi++;
          if (lower(p.charCodeAt(pi), nocase) === c) match = true;
        } else if (q === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          // Swap first, then lower-case, comparing as signed chars (Redis's order).
          let a = signed(q);
          let b = signed(p.charCodeAt(pi + 2));
          if (a > b) { const t = a; a = b; b = t; }
          a = nocase ? signed(lower(a & 255, true)) : a;
          b = nocase ? signed(lower(b & 255, true)) : b;
          const sc = signed(c);
          if (sc >= a && sc <= b) match = true;
          pi += 2;
        } else if (lower(q, nocase) === c) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      pi++; si++;
      if (si === slen) { while (pi < plen && p.charCodeAt(pi) === 42) pi++; break; }
      continue;
    } else {
      let lit = pc;
      if (pc === 92 /* \ */ && pi + 1 < plen) { pi++; lit = p.charCodeAt(pi); }
      if (lower(lit, nocase) !== lower(s.charCodeAt(si), nocase)) return false;
      pi++; si++;
      // As in Redis: trailing stars are skipped only once a byte was matched,
      // so an empty string never matches a non-empty pattern.
      if (si === slen) { while (pi < plen && p.charCodeAt(pi) === 42) pi++; break; }
    }
  }
  return pi >= plen && si === slen;
}

/** True when `s` matches the Redis glob `pattern`. */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  if (pattern === '*') return true;
  return matchFrom(pattern, 0, s, 0, nocase, 0);
}
