/** Versions: the Redis version whose behaviour cachette matches (what clients see), and cachette's own. */
export const REDIS_VERSION = '7.0.15';
export const CACHETTE_VERSION = '0.1.0';
