/**
 * Heap sizes shared by the value types' memory accounts (hash.ts, set.ts,
 * zset.ts). The same rule as keyspace.ts's stringBytes, kept here so the
 * type modules do not import the keyspace (which imports them).
 */

/** Heap bytes of a flat one-byte V8 string of `len` chars: a 16-byte header plus the bytes, rounded up to 8. */
export function strBytes(len: number): number {
  return (16 + len + 7) & ~7;
}
