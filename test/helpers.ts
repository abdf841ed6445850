/**
 * Test helpers: a raw TCP client that speaks bytes, so tests can assert the
 * exact reply bytes Redis would send.
 *
 * No helper decides what counts as a reply by waiting a fixed time: replies
 * are framed with a RESP2/RESP3 scanner (reply(), replies()) and waited for
 * with a deadline, and "nothing more was sent" is proved with a PING
 * sentinel (nothingMore()): the very next bytes must be the PONG.
 */

import net from 'node:net';
import { expect } from 'chai';
import { replyLength } from './diff/conn.js';

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

  /** Connects to host:port (from `localAddress`, when given). */
  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host, ...(localAddress !== undefined ? { localAddress } : {}) }, () => resolve(new Raw(s)));
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

  /**
   * Waits for one complete RESP2/RESP3 reply (by its framing, not by a quiet
   * period) and returns its bytes. Throws if none is complete by the deadline
   * or when the connection closes first.
   */
  async reply(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.buf.length > 0 ? replyLength(this.buf, 0) : -1;
      if (n !== -1) {
        const out = this.buf.subarray(0, n).toString('latin1');
        this.buf = this.buf.subarray(n);
        return out;
      }
      const partial = JSON.stringify(this.buf.subarray(0, 200).toString('latin1'));
      if (this.closed) throw new Error(`connection closed before a complete reply; have ${partial}`);
      if (Date.now() >= deadline) throw new Error(`no complete reply within ${timeoutMs} ms; have ${partial}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  /** Waits for `n` complete replies (one deadline for all) and returns them. */
  async replies(n: number, timeoutMs = 3000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(await this.reply(Math.max(1, deadline - Date.now())));
    return out;
  }

  /**
   * Proves that the server sent nothing beyond what was already read: sends
   * PING and asserts that the very next bytes are its reply (`pong`: '+PONG'
   * normally, '*2 pong ""' for a RESP2 subscriber).
   */
  async nothingMore(pong = '+PONG\r\n'): Promise<void> {
    this.send('PING\r\n');
    expect(await this.read(pong.length), 'the next bytes after PING').to.equal(pong);
  }

  /** What is buffered now, without waiting (after waitClosed(): everything the server sent). */
  rest(): string {
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

/** Parses an INFO body (bulk or RESP3 verbatim string) into its fields. */
export function infoFields(reply: string): Record<string, string> {
  const m = /^(?:\$\d+\r\n|=\d+\r\ntxt:)/.exec(reply);
  if (m === null) throw new Error(`not an INFO reply: ${JSON.stringify(reply.slice(0, 80))}`);
  const out: Record<string, string> = {};
  for (const line of reply.slice(m[0].length).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Sends `INFO <section>` on a raw connection, waits for its one reply, and returns its fields. */
export async function info(r: Raw, section: string): Promise<Record<string, string>> {
  r.send(`INFO ${section}\r\n`);
  return infoFields(await r.reply());
}

/**
 * Runs one byte-exact scenario (vectors.ts) on a fresh connection after
 * FLUSHALL: each reply must equal the recorded bytes, and a PING sentinel
 * after the last step proves that nothing was sent beyond them.
 */
export async function runScenario(port: number, steps: ReadonlyArray<readonly [string, string]>, label = ''): Promise<void> {
  const admin = await Raw.connect(port);
  await admin.expect('FLUSHALL\r\nCONFIG SET maxmemory-policy noeviction hz 10 maxmemory 0\r\n', '+OK\r\n+OK\r\n');
  admin.close();
  const r = await Raw.connect(port);
  try {
    for (const [req, reply] of steps) {
      r.send(req);
      expect(await r.read(reply.length), `${label}reply to ${JSON.stringify(req)}`).to.equal(reply);
    }
    r.send('PING\r\n');
    expect(await r.read(7), `${label}the bytes after the last expected reply (a PING sentinel)`).to.equal('+PONG\r\n');
  } finally {
    r.close();
  }
}
