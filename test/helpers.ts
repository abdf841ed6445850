/**
 * Test helpers: a raw TCP client that speaks bytes, so tests can assert the
 * exact reply bytes Redis would send.
 */

import net from 'node:net';
import { expect } from 'chai';

/** Turns a readable escaped string ("\r\n", "\xHH") into bytes. Plain JS strings work too. */
export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export class Raw {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => { /* close follows */ });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new Raw(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? bytes(data) : data);
  }

  /** Waits for exactly n bytes (or a close, or the timeout) and returns them as latin1. */
  async read(n: number, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    const out = this.buf.subarray(0, n).toString('latin1');
    this.buf = this.buf.subarray(Math.min(n, this.buf.length));
    return out;
  }

  /** Returns whatever arrives within `ms` (used to assert that nothing more came). */
  async drain(ms = 100): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const out = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Sends a request and asserts the exact reply bytes. */
  async expect(req: string | Buffer, reply: string): Promise<void> {
    this.send(req);
    const got = await this.read(reply.length);
    expect(got).to.equal(reply);
  }

  /** Resolves true once the server has closed the connection (false on timeout). */
  async waitClosed(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Encodes a command as a RESP multibulk request. */
export function resp(...args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [bytes(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? bytes(a) : a;
    parts.push(bytes(`$${b.length}\r\n`), b, bytes('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the command to fail, but it succeeded');
}

/** Sends `INFO <section>` on a raw connection and returns its fields. */
export async function info(r: Raw, section: string): Promise<Record<string, string>> {
  r.send(`INFO ${section}\r\n`);
  const body = await r.drain(80);
  const out: Record<string, string> = {};
  for (const line of body.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
