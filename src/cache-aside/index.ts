/**
 * The cache-aside library: `import { CacheAside, createCacheClient } from 'cachette/cache-aside'`.
 * See cache-aside.ts for how it works.
 */

export { CacheAside } from './cache-aside.js';
export type { CacheAsideOptions, CacheClient, CacheStats, ReadOptions } from './cache-aside.js';
export { CircuitBreaker } from './breaker.js';
export type { BreakerOptions, BreakerState, BreakerTransition } from './breaker.js';
export { SingleFlight } from './single-flight.js';
export { createCacheClient, cacheReady } from './client.js';
