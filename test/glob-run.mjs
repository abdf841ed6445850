#!/usr/bin/env node
// `npm run test:glob -- --pairs N --seed S`: runs the differential glob fuzz
// (test/glob-fuzz.test.ts) deeper than `npm test` does, or replays a seed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, value] = [argv[i], argv[i + 1]];
  const name = { '--pairs': 'GLOB_PAIRS', '--seed': 'GLOB_SEED' }[flag];
  if (name === undefined || value === undefined || !/^\d+$/.test(value)) {
    console.error(`unknown or incomplete option ${flag}; use --pairs N --seed S`);
    process.exit(2);
  }
  env[name] = value;
  i++;
}
const started = Date.now();
const res = spawnSync(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--timeout', '0', path.join(root, 'dist/test/glob-fuzz.test.js')], { stdio: 'inherit', env });
console.log(`test:glob finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(res.status ?? 1);
