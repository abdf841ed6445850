/**
 * Loaded by mocha before any spec (.mocharc "require"): maps jest/vitest's
 * beforeAll/afterAll to mocha's before/after, so the jest/vitest example in
 * examples/testing/ runs as written. Mocha defines its globals per file, so
 * they are looked up when called.
 */
const g = globalThis as unknown as Record<string, (...a: unknown[]) => unknown>;
g['beforeAll'] ??= (...a: unknown[]) => g['before']!(...a);
g['afterAll'] ??= (...a: unknown[]) => g['after']!(...a);
export {};
