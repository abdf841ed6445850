// Shared pieces of the benchmark scripts: --flag parsing, free ports, sleeping,
// and writing a result table to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `--name value` pairs from the command line, as an object of strings. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1];
  return out;
}

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes a Markdown result to bench/results/<name>-<timestamp>.md (and extra files beside it). */
export function writeResult(name, markdown, extra = {}) {
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  writeFileSync(path.join(dir, `${name}-${stamp}.md`), markdown + '\n');
  for (const [suffix, content] of Object.entries(extra)) writeFileSync(path.join(dir, `${name}-${stamp}${suffix}`), content);
}

/** Resolves once something accepts connections on 127.0.0.1:port (10 s at most). */
export async function waitPort(port) {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`port ${port} never opened`);
}
