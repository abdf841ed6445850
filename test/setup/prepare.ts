/**
 * The pre-test step of `npm test` (run after a clean build, before mocha):
 * makes sure the oracle is there and is Redis 7.0.
 *
 * - redis-server, redis-cli or redis-benchmark missing, and this machine has
 *   apt-get and we are root: install Debian's redis-server and redis-tools
 *   (one line says so), then stop the service the package starts.
 * - Missing anywhere else: stop before any test runs, with the exact install
 *   command for this system.
 * - Present but not 7.0.x: stop with the version found and the one wanted.
 *
 * Exit code 0 when the oracle is ready, 1 otherwise.
 */

import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { findTool, installHint, onPath, tool, type Tool } from './oracle.js';

const TOOLS: Tool[] = ['redis-server', 'redis-cli', 'redis-benchmark', 'script'];

function missing(): Tool[] {
  return TOOLS.filter((t) => findTool(t) === null);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log('cachette tests: installing the oracle, Debian\'s redis-server and redis-tools (apt-get install)...');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'redis-server', 'redis-tools', 'bsdutils']]) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed:\n${r.stderr}`);
      return false;
    }
  }
  // The package starts a system redis-server on 6379; the tests start their own on free ports.
  const stopped = spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
  if (stopped.status !== 0) {
    const cli = onPath('redis-cli');
    if (cli !== null) spawnSync(cli, ['-p', '6379', 'shutdown', 'nosave'], { stdio: 'ignore', timeout: 5000 });
  }
  return true;
}

function main(): number {
  let lacking = missing();
  const oracleSet = (process.env['CACHETTE_ORACLE'] ?? '') !== '';
  if (lacking.length > 0 && !oracleSet && onPath('apt-get') !== null && isRoot()) {
    if (!aptInstall()) return 1;
    lacking = missing();
  }
  if (lacking.length > 0) {
    console.error(`cachette tests: ${lacking.join(', ')} not found. The tests use a real Redis 7.0 as their oracle.\n` +
      `Install it with:\n  ${installHint()}\n` +
      'or set CACHETTE_ORACLE=/path/to/redis-7.0/src/redis-server.');
    return 1;
  }
  try {
    for (const t of TOOLS) tool(t);
  } catch (e) {
    console.error(`cachette tests: ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

// Importable for tests; runs when executed directly.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
export { main };
