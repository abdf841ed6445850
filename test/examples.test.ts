/**
 * The README's "Testing with cachette" examples (examples/testing/) must not
 * rot: the mocha and jest/vitest ones run as part of this suite (`npm test`
 * picks up dist/examples/**\/*.test.js); the node:test one runs here under
 * `node --test`; and the README must show each file exactly as it is.
 */

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('README testing examples', function () {
  this.timeout(30_000);

  it('the node:test example passes under node --test', () => {
    const res = spawnSync(process.execPath, ['--test', path.join(root, 'dist/examples/testing/node-test.js')], { encoding: 'utf8', cwd: root });
    expect(res.stdout, res.stderr).to.match(/^# pass 2$/m);
    expect(res.stdout).to.match(/^# fail 0$/m);
    expect(res.status).to.equal(0);
  });

  for (const file of ['mocha.test.ts', 'node-test.ts', 'vitest.test.ts']) {
    it(`README shows examples/testing/${file} as it is`, () => {
      const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
      const code = readFileSync(path.join(root, 'examples/testing', file), 'utf8');
      expect(readme.includes('```ts\n' + code + '```\n'), `README is missing the current examples/testing/${file}`).to.equal(true);
    });
  }
});
