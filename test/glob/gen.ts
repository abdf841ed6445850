/**
 * Seeded generators for the differential glob fuzz (glob-fuzz.test.ts):
 * binary keys, and patterns built to hit every branch of Redis's matcher:
 * stars (runs of them), `?`, classes (negated, ranges with reversed ends,
 * escapes inside, `]` and `-` in odd places, left open at the end),
 * escapes (including a lone `\` at the very end), and high and NUL bytes.
 * Half the patterns are mutations of a key of the round, so that many of
 * them match something; the rest are random token strings.
 */

import { seededRandom } from '../../src/random.js';

export type Rnd = () => number;
export const rng = (seed: number): Rnd => seededRandom(seed);

const pick = <T>(r: Rnd, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
const int = (r: Rnd, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Bytes keys are made of: letters in both cases, the matcher's special bytes, NUL, DEL, high bytes. */
const KEY_BYTES = ['a', 'a', 'b', 'b', 'c', 'A', 'B', 'z', '-', '[', ']', '^', '\\', '*', '?', '!', ' ', '\x00', '\x7f', '\x80', '\xe9', '\xff', '0', '9'];
/** Bytes for literals and class members in patterns. */
const PAT_BYTES = ['a', 'a', 'b', 'c', 'A', 'B', 'Z', 'z', '-', '^', '!', ' ', '\x00', '\x7f', '\x80', '\xe9', '\xff', '0', '9', ']', '['];

function randomByte(r: Rnd): string {
  return String.fromCharCode(Math.floor(r() * 256));
}

/** A key: mostly short (0..10 bytes), sometimes up to 40; now and then any byte at all. */
export function genKey(r: Rnd): string {
  const len = r() < 0.9 ? int(r, 0, 10) : int(r, 11, 40);
  let s = '';
  for (let i = 0; i < len; i++) s += r() < 0.05 ? randomByte(r) : pick(r, KEY_BYTES);
  return s;
}

function classBody(r: Rnd, around?: string): string {
  let s = r() < 0.3 ? '^' : '';
  const n = int(r, 0, 4);
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.35) {
      // a range, ends in either order; sometimes around the wanted byte
      const a = around !== undefined && r() < 0.5 ? around : pick(r, PAT_BYTES);
      s += a + '-' + (r() < 0.1 ? ']' : pick(r, PAT_BYTES));
    } else if (roll < 0.5) {
      s += '\\' + (r() < 0.2 ? ']' : pick(r, PAT_BYTES));
    } else if (roll < 0.6) {
      s += r() < 0.5 ? '-' : '[';
    } else {
      s += around !== undefined && r() < 0.5 ? around : pick(r, PAT_BYTES);
    }
  }
  if (around !== undefined && r() < 0.5) s += around;
  return s;
}

function token(r: Rnd): string {
  const roll = r();
  if (roll < 0.25) return '*'.repeat(r() < 0.8 ? 1 : int(r, 2, 3));
  if (roll < 0.35) return '?';
  if (roll < 0.5) return '[' + classBody(r) + (r() < 0.85 ? ']' : '');
  if (roll < 0.6) return '\\' + (r() < 0.3 ? pick(r, ['*', '?', '[', ']', '\\']) : pick(r, PAT_BYTES));
  if (roll < 0.63) return randomByte(r);
  return pick(r, PAT_BYTES);
}

/** A pattern made from a key: each byte kept (escaped or not), turned into ? or a class, or folded into a star. */
export function mutate(r: Rnd, key: string, nocase = false): string {
  let p = r() < 0.2 ? '*' : '';
  for (let i = 0; i < key.length; i++) {
    let ch = key[i]!;
    if (nocase && r() < 0.4) ch = r() < 0.5 ? ch.toUpperCase() : ch.toLowerCase();
    const roll = r();
    if (roll < 0.5) p += '*?[]\\'.includes(ch) ? (r() < 0.8 ? '\\' + ch : ch) : ch;
    else if (roll < 0.6) p += '?';
    else if (roll < 0.72) p += '[' + classBody(r, ch) + (r() < 0.9 ? ']' : '');
    else if (roll < 0.85) {
      p += '*'.repeat(r() < 0.8 ? 1 : 2);
      i += int(r, 0, 3);
    } else if (roll < 0.92) p += '\\' + ch;
    else p += token(r);
  }
  if (r() < 0.25) p += '*';
  if (r() < 0.05) p += '\\';
  return p;
}

/** A random pattern of up to 12 tokens (sometimes ending in a lone backslash or an open class). */
export function randomPattern(r: Rnd): string {
  let p = '';
  const n = int(r, 0, 12);
  for (let i = 0; i < n; i++) p += token(r);
  const end = r();
  if (end < 0.05) p += '\\';
  else if (end < 0.1) p += '[' + (r() < 0.3 ? '^' : '') + (r() < 0.5 ? pick(r, PAT_BYTES) : '');
  return p;
}

/** A pattern for a round: a mutated key half the time, otherwise random. */
export function genPattern(r: Rnd, keys: readonly string[]): string {
  if (keys.length > 0 && r() < 0.5) return mutate(r, pick(r, keys));
  return randomPattern(r);
}

/** A case-folding pattern for CONFIG GET / COMMAND LIST: a name mutated with case flips, or random. */
export function genNocasePattern(r: Rnd, names: readonly string[]): string {
  if (names.length > 0 && r() < 0.7) return mutate(r, pick(r, names), true);
  return randomPattern(r);
}
