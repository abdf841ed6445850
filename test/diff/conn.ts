/**
 * A raw RESP connection for differential testing: sends commands as
 * multibulk requests and returns each reply's exact bytes, framed with a
 * RESP2/RESP3 reply scanner (so replies can be compared byte for byte).
 */

import net from 'node:net';

/** Length of one complete reply starting at `pos`, or -1 if more bytes are needed. */
export function replyLength(b: Buffer, pos: number): number {
  if (pos >= b.length) return -1;
  const cr = b.indexOf(13, pos);
  if (cr === -1 || cr + 1 >= b.length) return -1;
  const head = pos + 1;
  const lineEnd = cr + 2;
  const type = b[pos];
  switch (type) {
    case 43: case 45: case 58: case 95: case 44: case 35: case 40: // + - : _ , # (
      return lineEnd - pos;
    case 36: case 61: case 33: { // $ = ! (blob types)
      const n = Number(b.latin1Slice(head, cr));
      if (n < 0) return lineEnd - pos;
      return lineEnd + n + 2 <= b.length ? lineEnd + n + 2 - pos : -1;
    }
    case 42: case 126: case 62: case 37: case 124: { // * ~ > % | (aggregates)
      let n = Number(b.latin1Slice(head, cr));
      if (n < 0) return lineEnd - pos;
      if (type === 37 || type === 124) n *= 2;
      let p = lineEnd;
      for (let i = 0; i < n; i++) {
        const l = replyLength(b, p);
        if (l === -1) return -1;
        p += l;
      }
      // An attribute (|) is followed by the reply it describes.
      if (type === 124) { const l = replyLength(b, p); if (l === -1) return -1; p += l; }
      return p - pos;
    }
    default:
      throw new Error(`unexpected reply type byte ${type} at ${pos}: ${JSON.stringify(b.latin1Slice(pos, Math.min(b.length, pos + 40)))}`);
  }
}

export function encodeCommand(args: readonly string[]): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

export class RespConn {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => { /* close follows */ });
  }

  static connect(port: number): Promise<RespConn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RespConn(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }

  /** Sends one command and resolves with its reply bytes ('<closed>' if the server closed, '<timeout>'). */
  async call(args: readonly string[], timeoutMs = 5000): Promise<string> {
    this.socket.write(encodeCommand(args));
    return this.read(timeoutMs);
  }

  /** Sends one command without waiting (a blocking command); read() takes its reply later. */
  send(args: readonly string[]): void {
    this.socket.write(encodeCommand(args));
  }

  async read(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.buf.length > 0 ? replyLength(this.buf, 0) : -1;
      if (n !== -1) {
        const out = this.buf.latin1Slice(0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.closed) return '<closed>';
      const left = deadline - Date.now();
      if (left <= 0) return '<timeout>';
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiter = () => { clearTimeout(t); r(); };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs `script` on a fresh connection to `port`, one command at a time, and returns every raw reply in order. */
export async function runScript(port: number, script: readonly (readonly string[])[]): Promise<string[]> {
  const c = await RespConn.connect(port);
  try {
    const out: string[] = [];
    for (const cmd of script) out.push(await c.call(cmd));
    return out;
  } finally {
    c.close();
  }
}

/**
 * Sends `cmds` on one connection in one write, followed by ECHO <end>, and
 * returns every byte received up to that ECHO's reply: replies and any push
 * messages (keyspace events in RESP3) in the order the server wrote them.
 */
export async function runStream(port: number, cmds: readonly (readonly string[])[]): Promise<string> {
  const end = 'end-of-stream-5e1b';
  // HELLO's reply carries the connection id, which differs between the servers.
  const norm = (x: string): string => x.replace(/(\$2\r\nid\r\n:)\d+\r\n/g, '$1N\r\n');
  const s = net.connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => { s.once('connect', () => r()); s.once('error', j); });
  let buf = Buffer.alloc(0);
  const want = `$${end.length}\r\n${end}\r\n`;
  const done = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no end marker; got ${JSON.stringify(buf.latin1Slice(0, 300))}`)), 5000);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // Scan whole frames only, so the marker is never matched inside a value.
      let p = 0;
      for (;;) {
        const n = replyLength(buf, p);
        if (n === -1) break;
        if (buf.latin1Slice(p, p + n) === want) { clearTimeout(t); resolve(norm(buf.latin1Slice(0, p))); return; }
        p += n;
      }
    });
  });
  s.write(Buffer.concat([...cmds, ['ECHO', end]].map((a) => encodeCommand(a))));
  try { return await done; } finally { s.destroy(); }
}
