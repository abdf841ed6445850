/**
 * Redis glob-style pattern matching, with Redis 7.0.15's exact results and a
 * cost that cannot blow up. Every glob in cachette goes through globMatch:
 * KEYS, SCAN MATCH, PSUBSCRIBE deliveries on PUBLISH, PUBSUB CHANNELS and
 * SHARDCHANNELS, CONFIG GET (nocase, C-string pattern), COMMAND LIST FILTERBY
 * PATTERN (nocase) and the test handle's keys(). Callers apply Redis's own
 * shortcuts (KEYS and SCAN treat exactly "*" as "everything", which also
 * takes the empty key; PUBLISH and PUBSUB CHANNELS have no shortcut, so "*"
 * never matches the empty channel, as in Redis).
 *
 * Strings are binary (one char per byte, 0..255). The rules are those of
 * Redis 7.0.15's stringmatchlen_impl (src/util.c), quirks included:
 *  - `*` any run (consecutive stars collapse), `?` one byte, `\x` the byte x
 *    (a `\` at the very end is a literal `\`);
 *  - `[...]` a class; `[^...]` its complement; `a-z` a range, its ends swapped
 *    when reversed and compared as C signed chars (bytes >= 0x80 sort below
 *    0x00); `\x` inside a class is x compared case-sensitively even under
 *    nocase; a class left open runs to the end of the pattern (so `[` alone
 *    matches nothing and `[^` matches any byte);
 *  - nocase folds A-Z only (C locale tolower); range ends are folded after
 *    the swap, and there glibc's tolower also turns a negative char other
 *    than -1 back into its unsigned byte (so under nocase `[\x80-z]` is an
 *    empty range 128..122, while `[\xff-z]` is -1..122);
 *  - the empty string matches only the empty pattern (Redis's loop never
 *    runs), and trailing stars are skipped only once a byte was consumed.
 *
 * The choice: follow Redis's own bound, without its recursion. Redis 7.0.15
 * recurses at each star, trying every later start of the string, but its
 * skipLongerMatches flag makes the whole match fail as soon as one star's
 * loop has tried every start without success. So a try that gets as far as
 * the next star decides the final answer (that star either matches or
 * exhausts its loop, which ends everything), and a star only ever retries
 * while the segment after it fails before the next star. That is exactly
 * the classic "backtrack to the last star only" loop below: the state is the
 * position after the most recent star and the next string offset to try.
 * Cost: each star retries at most n string offsets, each retry scans at most
 * the pattern segment up to the next star, so one match is O(n·m) time for a
 * string of n bytes and a pattern of m bytes, and O(1) space; no recursion,
 * so no stack to exhaust. (Redis 7.0.15 has no nesting limit; its recursion
 * depth is one C frame per star reached, bounded only by its stack. The
 * `nesting > 1000` cut-off is a later release's, 7.2.6, and is not followed
 * here: we return what 7.0.15 computes when its stack suffices.)
 */

const STAR = 42; // *
const QMARK = 63; // ?
const LBRACKET = 91; // [
const RBRACKET = 93; // ]
const BACKSLASH = 92; // \
const CARET = 94; // ^
const DASH = 45; // -

/** C's tolower in the C locale on a byte (0..255): A-Z only. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * glibc's tolower on a signed char value, as Redis calls it on class range
 * ends and the string byte under nocase: A-Z fold, and a negative value other
 * than EOF (-1) comes back as its unsigned byte (tolower(-128) is 128), so
 * under nocase the bytes 0x80..0xfe sort above 0x7f again while 0xff stays -1.
 */
function foldSigned(v: number): number {
  if (v >= 65 && v <= 90) return v + 32;
  return v < -1 ? v + 256 : v;
}

/** A byte as x86-64's signed char, which is how Redis compares class ranges. */
function signed(c: number): number {
  return c > 127 ? c - 256 : c;
}

/**
 * True when `s` matches the Redis glob `p` (stringmatchlen(p, s, nocase)).
 * Time O(len(s) · len(p)) at worst, space O(1).
 */
export function globMatch(p: string, s: string, nocase = false): boolean {
  const plen = p.length;
  const slen = s.length;
  let pi = 0;
  let si = 0;
  // The innermost star still trying starts: pattern index just after it, and
  // the next string offset to try (-1: no star reached yet).
  let starP = -1;
  let starS = 0;
  for (;;) {
    // One stringmatchlen_impl call from (pi, si), up to its first star.
    let ok = true;
    while (pi < plen && si < slen) {
      const pc = p.charCodeAt(pi);
      if (pc === STAR) {
        while (pi + 1 < plen && p.charCodeAt(pi + 1) === STAR) pi++;
        if (pi + 1 === plen) return true;
        // Redis's loop tries si, si+1, ..., slen-1 (never the empty rest).
        starP = pi + 1;
        starS = si + 1;
        pi = starP;
        continue;
      }
      const sc = s.charCodeAt(si);
      if (pc === QMARK) {
        // any byte
      } else if (pc === LBRACKET) {
        pi++;
        const not = pi < plen && p.charCodeAt(pi) === CARET;
        if (not) pi++;
        let match = false;
        for (;;) {
          if (pi >= plen) { pi = plen - 1; break; } // open class: ends with the pattern
          const q = p.charCodeAt(pi);
          if (q === BACKSLASH && plen - pi >= 2) {
            pi++;
            if (p.charCodeAt(pi) === sc) match = true;
          } else if (q === RBRACKET) {
            break;
          } else if (plen - pi >= 3 && p.charCodeAt(pi + 1) === DASH) {
            let start = signed(q);
            let end = signed(p.charCodeAt(pi + 2));
            let c = signed(sc);
            if (start > end) { const t = start; start = end; end = t; }
            if (nocase) { start = foldSigned(start); end = foldSigned(end); c = foldSigned(c); }
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? fold(q) === fold(sc) : q === sc) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) { ok = false; break; }
      } else {
        let lit = pc;
        if (pc === BACKSLASH && plen - pi >= 2) { pi++; lit = p.charCodeAt(pi); }
        if (nocase ? fold(lit) !== fold(sc) : lit !== sc) { ok = false; break; }
      }
      pi++;
      si++;
      if (si === slen) {
        while (pi < plen && p.charCodeAt(pi) === STAR) pi++;
        break;
      }
    }
    if (ok && pi === plen && si === slen) return true;
    // This try failed before reaching another star: the innermost star tries
    // its next start; when it has none left, Redis's skipLongerMatches ends
    // the whole match.
    if (starP === -1 || starS >= slen) return false;
    pi = starP;
    si = starS++;
  }
}
