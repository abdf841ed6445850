#!/usr/bin/env node
// `npm run test:diff -- --runs N --seed S [--max M] [--path P]`: runs the
// differential suite deeper than `npm test` does (and the blocking scenarios,
// N / 10 of them), and replays a failure.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, value] = [argv[i], argv[i + 1]];
  const name = { '--runs': 'DIFF_RUNS', '--seed': 'DIFF_SEED', '--max': 'DIFF_MAX', '--path': 'DIFF_PATH' }[flag];
  if (name === undefined || value === undefined) {
    console.error(`unknown or incomplete option ${flag}; use --runs N --seed S --max M --path P`);
    process.exit(2);
  }
  env[name] = value;
  i++;
}
const started = Date.now();
// The blocking scenarios (diff-blocking.test.ts) run too: --runs N gives them N / 10.
const res = spawnSync(process.execPath, [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--timeout', '0', path.join(root, 'dist/test/diff.test.js'), path.join(root, 'dist/test/diff-blocking.test.js')], { stdio: 'inherit', env });
console.log(`test:diff finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(res.status ?? 1);
