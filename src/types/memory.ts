/**
 * Heap-size model shared by the value types' memory accounts (hash.ts,
 * set.ts, zset.ts): what V8 (node 20, x64, no pointer compression) spends
 * on the pieces they are made of. Kept here, rather than imported from
 * keyspace.ts, so the type modules do not import the keyspace (which
 * imports them); strBytes is keyspace.ts's stringBytes rule.
 *
 * Measured with node --expose-gc, building 10,000..20,000 of each piece and
 * dividing the heap growth (bench/types-memory.mjs checks the resulting
 * accounts against whole values):
 * - a flat one-byte string: 16-byte header + its bytes, rounded up to 8;
 * - an object with k fields: 24 + 8k;
 * - a JS array: 32 (the JSArray), plus, once it holds anything, a backing
 *   store of 16 + 8 x capacity (pointers, small integers and unboxed doubles
 *   alike). Growing by push, V8 sets capacity = L + L/2 + 16 when the new
 *   length L no longer fits (measured: 184 bytes for 1..17 elements, 392 for
 *   18..43, 704 for 44..82);
 * - a Map: 32 + a table of 16 + 8 x (3 + 3.5 x capacity), capacity a power
 *   of two, at least 4, doubled when full (measured: 184 bytes for 0..4
 *   entries, 296 for 5..8, 520 for 9..16, 3,656 for 100, 28,744 for 1,000);
 * - a BigInt of one 64-bit digit: 24.
 */

/** Heap bytes of a flat one-byte V8 string of `len` chars. */
export function strBytes(len: number): number {
  return (16 + len + 7) & ~7;
}

/** Heap bytes of an object with `fields` named fields. */
export function objectBytes(fields: number): number {
  return 24 + 8 * fields;
}

export const BIGINT_BYTES = 24;

/** Capacities an array goes through when grown by pushes of `step` elements at a time. */
function capacities(step: number): number[] {
  const caps: number[] = [0];
  let cap = 0;
  while (cap < 2 ** 31) {
    const l = cap - (cap % step) + step; // the first length that does not fit
    cap = l + Math.floor(l / 2) + 16;
    caps.push(cap);
  }
  return caps;
}

const CAPS_1 = capacities(1);
const CAPS_2 = capacities(2);

/**
 * Heap bytes of a JS array of `len` elements grown by pushes of `step`
 * (1, or 2 for field/value pairs). Arrays that shrank keep some capacity in
 * V8; the model counts the capacity of a grown array of the current length.
 */
export function arrayBytes(len: number, step = 1): number {
  if (len === 0) return 32;
  const caps = step === 2 ? CAPS_2 : CAPS_1;
  let i = 1;
  while (caps[i]! < len) i++;
  return 48 + 8 * caps[i]!;
}

/** Heap bytes of a Map of `n` entries. */
export function mapBytes(n: number): number {
  let cap = 4;
  while (cap < n) cap *= 2;
  return 72 + 28 * cap;
}
