#!/usr/bin/env node
// `npm run test:fuzz -- --frames N --seed S`: the protocol fuzz suite, deeper
// than `npm test` runs it (see test/fuzz.test.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const name = { '--frames': 'FUZZ_FRAMES', '--seed': 'FUZZ_SEED' }[argv[i]];
  if (name === undefined || argv[i + 1] === undefined || !/^\d+$/.test(argv[i + 1])) {
    console.error(`unknown or incomplete option ${argv[i]}; use --frames N --seed S`);
    process.exit(2);
  }
  env[name] = argv[i + 1];
}
const started = Date.now();
const res = spawnSync(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--timeout', '0', path.join(root, 'dist/test/fuzz.test.js')], { stdio: 'inherit', env });
console.log(`test:fuzz finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(res.status ?? 1);
