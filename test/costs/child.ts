/**
 * Helpers for the stall tests (costs.test.ts, glob-fuzz.test.ts): cachette
 * as a child process (bin/cachette.js, so a stalled event loop shows as
 * unanswered PINGs and a stuck SIGTERM, never as a stuck test process), and
 * a bystander client that PINGs it the whole time and keeps the worst
 * latency it saw.
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
 * A bystander: its own connection, one PING at a time (each sent as soon as
 * the last PONG came back, after a 2 ms pause), recording the worst time a
 * PING waited for its PONG. A PING still unanswered when stop() is called
 * counts with its wait so far, so a server that never answers shows as a
 * huge latency, not as zero.
 */
export class PingWatch {
  private running = true;
  private sentAt = 0;
  private loop: Promise<void>;
  worst = 0;
  pings = 0;
  wrong = 0;

  private constructor(private readonly conn: RespConn) {
    this.loop = this.run();
  }

  static async start(port: number): Promise<PingWatch> {
    return new PingWatch(await RespConn.connect(port));
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.sentAt = performance.now();
      const reply = await this.conn.call(['PING'], 600_000);
      const took = performance.now() - this.sentAt;
      this.sentAt = 0;
      if (reply === '<closed>') return;
      if (reply !== '+PONG\r\n') this.wrong++;
      this.pings++;
      if (took > this.worst) this.worst = took;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /**
   * Stops and returns the worst PING latency in ms. A PING still in flight
   * gets up to `graceMs` to be answered; if it is not, its wait so far counts.
   */
  async stop(graceMs = 1000): Promise<number> {
    this.running = false;
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, graceMs))]);
    const pending = this.sentAt !== 0 ? performance.now() - this.sentAt : 0;
    if (pending > this.worst) this.worst = pending;
    this.conn.close();
    return this.worst;
  }
}
