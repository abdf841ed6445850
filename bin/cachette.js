#!/usr/bin/env node
// cachette's command-line entry point: runs the compiled CLI (npm run build makes dist/).
import { main } from '../dist/src/cli.js';

main(process.argv).catch((e) => {
  process.stderr.write(`cachette: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
