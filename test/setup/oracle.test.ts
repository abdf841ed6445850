/**
 * The oracle's set-up and version guard (setup/prepare.ts, setup/oracle.ts):
 * a redis-server that is not 7.0.x stops the run with one message naming the
 * version found and the one wanted; a missing oracle on a machine where it
 * cannot be installed stops with the install command; the real one passes.
 */

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { versionProblem } from './oracle.js';

const PREPARE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prepare.js');

function runPrepare(env: NodeJS.ProcessEnv): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [PREPARE], { env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('test set-up: the oracle and its version guard', function () {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cachette-oracle-'));
    // A fake redis-server 8.0.0, put first on the PATH.
    const fake = path.join(dir, 'redis-server');
    writeFileSync(fake, '#!/bin/sh\necho "Redis server v=8.0.0 sha=00000000:0 malloc=libc bits=64 build=1"\n');
    chmodSync(fake, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes with the installed Redis 7.0', () => {
    const r = runPrepare({ ...process.env, CACHETTE_ORACLE: '' });
    expect(r.out).to.equal('');
    expect(r.code).to.equal(0);
  });

  it('stops at once on a redis-server 8.0.0 first on the PATH, naming both versions', () => {
    const r = runPrepare({ ...process.env, CACHETTE_ORACLE: '', PATH: `${dir}${path.delimiter}${process.env['PATH'] ?? ''}` });
    expect(r.code).to.equal(1);
    expect(r.out).to.equal(`cachette tests: redis-server at ${path.join(dir, 'redis-server')} is version 8.0.0, but the tests need ` +
      'Redis 7.0.x (7.0.15 is the reference) as their oracle. Install Redis 7.0, or point ' +
      'CACHETTE_ORACLE=/path/to/redis-7.0/src/redis-server at a 7.0 build.\n');
  });

  it('applies the same guard to CACHETTE_ORACLE', () => {
    const r = runPrepare({ ...process.env, CACHETTE_ORACLE: path.join(dir, 'redis-server') });
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('is version 8.0.0, but the tests need Redis 7.0.x');
  });

  it('stops before any test with the install command when the tools are missing and cannot be installed', () => {
    // An empty PATH: no redis tools, and no apt-get to install them with.
    const r = runPrepare({ ...process.env, CACHETTE_ORACLE: '', PATH: dir.replace(/$/, '-none') });
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('cachette tests: redis-server, redis-cli, redis-benchmark, script not found. The tests use a real Redis 7.0 as their oracle.\nInstall it with:\n  ');
    expect(r.out).to.not.contain('installing');
  });

  it('accepts every 7.0.x and nothing else', () => {
    expect(versionProblem('redis-server', '/x', '7.0.15')).to.equal(null);
    expect(versionProblem('redis-server', '/x', '7.0.0')).to.equal(null);
    for (const v of ['7.2.4', '6.2.14', '8.0.0', '70.0.1']) expect(versionProblem('redis-server', '/x', v)).to.be.a('string');
  });
});
