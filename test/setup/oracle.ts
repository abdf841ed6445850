/**
 * The test suite's oracle: a real Redis 7.0 and its tools (redis-server,
 * redis-cli, redis-benchmark), plus util-linux `script` for the redis-cli
 * pseudo-terminal test. Everything is found on the PATH, never at fixed
 * paths; CACHETTE_ORACLE=/path/to/redis-server names a 7.0 build that is not
 * on the PATH (its redis-cli and redis-benchmark are looked for beside it
 * first).
 *
 * The version guard: before any test starts a redis-server, its version must
 * be 7.0.x. Any other version stops the run with one message naming the
 * version found and the one wanted, instead of a pile of mismatches.
 */

import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export const WANTED = '7.0';
export const REFERENCE = '7.0.15';

export type Tool = 'redis-server' | 'redis-cli' | 'redis-benchmark' | 'script';

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a program up on the PATH (as the shell would), or returns null. */
export function onPath(name: string, envPath = process.env['PATH'] ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, name);
    if (executable(p)) return p;
  }
  return null;
}

/** Where a tool is: beside CACHETTE_ORACLE first (for the Redis tools), then the PATH. */
export function findTool(name: Tool): string | null {
  const oracle = process.env['CACHETTE_ORACLE'];
  if (oracle !== undefined && oracle !== '') {
    if (name === 'redis-server') return executable(oracle) ? oracle : null;
    if (name !== 'script') {
      const beside = path.join(path.dirname(oracle), name);
      if (executable(beside)) return beside;
    }
  }
  return onPath(name);
}

/** The version a Redis binary reports ("Redis server v=7.0.15 ...", "redis-cli 7.0.15"). */
export function reportedVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  const m = /v=(\d+\.\d+\.\d+)/.exec(out) ?? /(\d+\.\d+\.\d+)/.exec(out);
  return m !== null ? m[1]! : out;
}

/** The version guard's message for a tool at a version other than 7.0.x, or null when it is fine. */
export function versionProblem(name: Tool, bin: string, version: string): string | null {
  if (version.startsWith(`${WANTED}.`)) return null;
  return `${name} at ${bin} is version ${version}, but the tests need Redis ${WANTED}.x ` +
    `(${REFERENCE} is the reference) as their oracle. Install Redis ${WANTED}, or point ` +
    `CACHETTE_ORACLE=/path/to/redis-${WANTED}/src/redis-server at a ${WANTED} build.`;
}

/** The exact command that installs the oracle on this system, for the message when it is missing. */
export function installHint(): string {
  if (onPath('apt-get') !== null) return 'sudo apt-get install -y redis-server redis-tools   (Debian 12 ships Redis 7.0.15)';
  if (onPath('brew') !== null) return 'brew install redis   (then, if that is not 7.0, build 7.0.15 from source and set CACHETTE_ORACLE)';
  if (onPath('dnf') !== null) return 'sudo dnf install -y redis   (then, if that is not 7.0, build 7.0.15 from source and set CACHETTE_ORACLE)';
  return 'install Redis 7.0 (redis-server, redis-cli, redis-benchmark) on the PATH, or set CACHETTE_ORACLE=/path/to/redis-server';
}

const checked = new Map<Tool, string>();

/**
 * The path of a tool the tests need, version-checked once per process.
 * Throws (never skips) when it is missing or is not 7.0.x.
 */
export function tool(name: Tool): string {
  const known = checked.get(name);
  if (known !== undefined) return known;
  const bin = findTool(name);
  if (bin === null) {
    throw new Error(`${name} not found: the tests need a real Redis ${WANTED} as their oracle. Install it with: ${installHint()}`);
  }
  if (name !== 'script') {
    const problem = versionProblem(name, bin, reportedVersion(bin));
    if (problem !== null) throw new Error(problem);
  }
  checked.set(name, bin);
  return bin;
}
