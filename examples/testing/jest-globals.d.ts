// Types for the jest/vitest globals that vitest.test.ts uses beyond mocha's.
// A real project gets them from @types/jest or vitest/globals. cachette's own
// suite runs the example under mocha, with these two mapped to mocha's
// before/after (test/jest-globals.ts).
declare function beforeAll(fn: () => unknown): void;
declare function afterAll(fn: () => unknown): void;
