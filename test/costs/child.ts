/**
 * Helpers for the stall tests (costs.test.ts, glob-fuzz.test.ts): cachette
 * as a child process (bin/cachette.js, so a stalled event loop shows as
 * unanswered PINGs and a stuck SIGTERM, never as a stuck test process), and
 * a bystander client, in a process of its own, that PINGs it the whole time
 * and keeps the worst latency it saw.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RespConn } from '../diff/conn.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/cachette.js');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface Child {
  port: number;
  proc: ChildProcess;
  /** Everything it printed. */
  log(): string;
  /** Its exit code once it has exited (null while running; -1 for a signal). */
  exitCode(): number | null;
  /** Resolves with the exit code, or 'timeout' if it has not exited within `ms`. */
  waitExit(ms: number): Promise<number | 'timeout'>;
  /** SIGKILL if still running (for after() hooks), then waits for the exit. */
  kill(): Promise<void>;
}

/** Starts bin/cachette.js on a free port with extra flags, and waits until it answers PING. */
export async function startChild(flags: string[] = []): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, '--port', String(port), ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let code: number | null = null;
  const exited = new Promise<number>((resolve) => proc.on('exit', (c) => { code = c ?? -1; resolve(code); }));
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const child: Child = {
    port,
    proc,
    log: () => out,
    exitCode: () => code,
    waitExit: (ms) => Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]),
    kill: async () => {
      if (code === null) { proc.kill('SIGKILL'); await exited; }
    },
  };
  for (let i = 0; i < 200; i++) {
    if (code !== null) throw new Error(`cachette exited at start (${code}): ${out}`);
    try {
      const c = await RespConn.connect(port);
      const pong = await c.call(['PING'], 1000);
      c.close();
      if (pong === '+PONG\r\n') return child;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  await child.kill();
  throw new Error(`cachette did not answer PING: ${out}`);
}

/**
 * The bystander's program, run in a process of its own so that the test
 * process's own work (building ten-megabyte arguments, parsing big replies)
 * never delays its PINGs: one PING at a time on its own connection, the next
 * 2 ms after each PONG, keeping the worst time a PING waited. On "stop" (a
 * line on stdin) it gives a PING in flight up to the grace time, counts its
 * wait so far if still unanswered, prints {pings, worst, wrong} and exits.
 */
const BYSTANDER = `
const net = require('node:net');
const [port, graceMs] = process.argv.slice(1).map(Number);
let pings = 0, worst = 0, wrong = 0, sentAt = 0, running = true, buf = '';
let done = null;
const s = net.connect(port, '127.0.0.1');
s.setNoDelay(true);
s.setEncoding('latin1');
const send = () => { sentAt = performance.now(); s.write('PING\\r\\n'); };
s.on('connect', () => { process.stdout.write('ready\\n'); send(); });
s.on('data', (d) => {
  buf += d;
  while (buf.includes('\\r\\n')) {
    const line = buf.slice(0, buf.indexOf('\\r\\n'));
    buf = buf.slice(line.length + 2);
    const took = performance.now() - sentAt;
    sentAt = 0;
    pings++;
    if (line !== '+PONG') wrong++;
    if (took > worst) worst = took;
    if (done) { done(); return; }
    if (running) setTimeout(send, 2);
  }
});
s.on('error', () => {});
s.on('close', () => { if (done) done(); });
const finish = () => {
  if (sentAt !== 0) worst = Math.max(worst, performance.now() - sentAt);
  process.stdout.write(JSON.stringify({ pings, worst, wrong }) + '\\n', () => process.exit(0));
};
process.stdin.on('data', () => {
  running = false;
  if (sentAt === 0) { finish(); return; }
  const t = setTimeout(finish, graceMs);
  done = () => { clearTimeout(t); finish(); };
});
`;

/**
 * A bystander client on cachette (see BYSTANDER): start() once it is
 * connected and PINGing, stop() for its worst PING latency in ms. A server
 * that never answers shows as a huge latency, not as zero.
 */
export class PingWatch {
  worst = 0;
  pings = 0;
  wrong = 0;

  private constructor(private readonly proc: ChildProcess, private readonly output: Promise<string>) {}

  static async start(port: number, graceMs = 1000): Promise<PingWatch> {
    const proc = spawn(process.execPath, ['-e', BYSTANDER, String(port), String(graceMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let ready: () => void;
    const isReady = new Promise<void>((r) => { ready = r; });
    const output = new Promise<string>((resolve) => {
      proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.startsWith('ready\n')) ready(); });
      proc.on('exit', () => { ready(); resolve(out); });
    });
    await isReady;
    return new PingWatch(proc, output);
  }

  /** Stops the bystander and returns its worst PING latency in ms. */
  async stop(): Promise<number> {
    this.proc.stdin!.end('stop\n');
    const out = await this.output;
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`the bystander printed no result: ${JSON.stringify(out)}`);
    const r = JSON.parse(line) as { pings: number; worst: number; wrong: number };
    this.worst = r.worst;
    this.pings = r.pings;
    this.wrong = r.wrong;
    return this.worst;
  }
}
