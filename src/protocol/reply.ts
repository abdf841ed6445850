/**
 * Reply encoding: RESP2 and RESP3, written straight into a reusable buffer.
 *
 * Owns: the byte format of every reply type, and the difference between the
 * two protocols (nulls, maps, sets, doubles, verbatim strings, push frames).
 *
 * How it stays fast: each connection has one ReplyWriter. Handlers append
 * replies into its buffer; the connection flushes once per batch of pipelined
 * requests (one socket write) of a view of that buffer; when the socket takes
 * the bytes at once (the usual case) the buffer is reused for the next batch,
 * else the writer moves to a fresh one. Values are binary strings (latin1), written
 * with latin1Write, which is a plain memcpy for one-byte strings. A value
 * larger than LARGE goes out as its own chunk instead of being copied twice.
 */

import { formatDouble17g } from '../numbers.js';

declare module 'node:buffer' {
  interface Buffer {
    latin1Write(s: string, offset?: number, length?: number): number;
    latin1Slice(start?: number, end?: number): string;
  }
}

const CRLF = 0x0a0d; // little-endian "\r\n"
const INITIAL = 4096;
const LARGE = 64 * 1024;

export class ReplyWriter {
  buf: Buffer = Buffer.allocUnsafe(INITIAL);
  pos = 0;
  /** Chunks already finished in this batch (only when a reply was very large). */
  private chunks: Buffer[] | null = null;
  /** Bytes in `chunks`. */
  private chunkBytes = 0;
  /** 2 or 3. */
  resp = 2;

  /** Total bytes pending in this batch. */
  get pending(): number {
    return this.pos + this.chunkBytes;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0 && n > LARGE) {
      this.sealChunk();
      if (n <= this.buf.length) return;
    }
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  private sealChunk(): void {
    if (this.pos === 0) return;
    (this.chunks ??= []).push(Buffer.from(this.buf.subarray(0, this.pos)));
    this.chunkBytes += this.pos;
    this.pos = 0;
  }

  /**
   * Takes everything written since the last take: one Buffer, or several for
   * very large batches. The single Buffer is a view of the writer's own
   * buffer (no copy): the caller writes it to the socket, then calls
   * written() to say whether the socket still holds it.
   */
  take(): Buffer | Buffer[] | null {
    if (this.chunks === null) {
      if (this.pos === 0) return null;
      const out = this.buf.subarray(0, this.pos);
      this.pos = 0;
      return out;
    }
    this.sealChunk();
    const out = this.chunks;
    this.chunks = null;
    this.chunkBytes = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
  }

  /**
   * After a view from take() went to the socket: `kept` = the socket did not
   * take all of it at once and still references it, so the writer moves to a
   * fresh buffer of the same size (a buffer past 1 MiB shrinks back).
   */
  written(kept: boolean): void {
    if (kept || this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(this.buf.length > 1024 * 1024 ? INITIAL : this.buf.length);
  }

  /**
   * Drops what was written after `mark`, a `pending` value read earlier in
   * this batch (a transaction cut short by an injected fault).
   */
  truncate(mark: number): void {
    if (mark >= this.chunkBytes) { this.pos = mark - this.chunkBytes; return; }
    // The mark falls inside a sealed chunk: keep the chunks before it and its head.
    const kept: Buffer[] = [];
    let n = 0;
    for (const c of this.chunks!) {
      if (n + c.length <= mark) { kept.push(c); n += c.length; continue; }
      if (mark > n) kept.push(c.subarray(0, mark - n));
      break;
    }
    this.chunks = kept.length > 0 ? kept : null;
    this.chunkBytes = mark;
    this.pos = 0;
  }

  /** Drops anything written but not taken. */
  discard(): void {
    this.pos = 0;
    this.chunks = null;
    this.chunkBytes = 0;
  }

  // ---- primitive writers ----------------------------------------------------

  private byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  private crlf(): void {
    this.buf.writeUInt16LE(CRLF, this.pos);
    this.pos += 2;
  }

  /** Writes a non-negative integer's decimal digits (caller ensured space). */
  private digits(n: number): void {
    const buf = this.buf;
    if (n < 10) { buf[this.pos++] = 48 + n; return; }
    if (n < 100) {
      buf[this.pos++] = 48 + ((n / 10) | 0);
      buf[this.pos++] = 48 + (n % 10);
      return;
    }
    if (n > Number.MAX_SAFE_INTEGER) { this.pos += buf.latin1Write(String(n), this.pos); return; }
    // Written right to left with integer arithmetic: two to three times cheaper than String(n)
    // plus a native latin1Write (q = floor(n / 10) is exact below 2^53).
    let len = 3;
    for (let p = 1000; p <= n; p *= 10) len++;
    let p = this.pos + len;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
  }

  /** `<prefix><n>\r\n` for a length or count. */
  private header(prefix: number, n: number): void {
    this.ensure(24);
    this.buf[this.pos++] = prefix;
    if (n < 0) { this.buf[this.pos++] = 45; n = -n; }
    this.digits(n);
    this.crlf();
  }

  // ---- reply types ----------------------------------------------------------

  /** `+text\r\n`; text must hold no CR/LF. */
  simple(s: string): void {
    this.ensure(s.length + 3);
    this.byte(43);
    this.pos += this.buf.latin1Write(s, this.pos);
    this.crlf();
  }

  ok(): void {
    this.ensure(5);
    this.buf.latin1Write('+OK\r\n', this.pos);
    this.pos += 5;
  }

  /** `-CODE message\r\n`. `msg` is the full text without '-', e.g. "ERR syntax error". */
  error(msg: string): void {
    this.ensure(msg.length + 3);
    this.byte(45);
    this.pos += this.buf.latin1Write(msg, this.pos);
    this.crlf();
  }

  integer(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      this.ensure(21);
      this.byte(58);
      if (n < 0) { this.byte(45); n = -n; }
      this.digits(n);
      this.crlf();
      return;
    }
    const s = String(n);
    this.ensure(s.length + 3);
    this.byte(58);
    this.pos += this.buf.latin1Write(s, this.pos);
    this.crlf();
  }

  /** A bulk string from a binary (latin1) string. */
  bulk(s: string): void {
    const len = s.length;
    if (len > LARGE) {
      this.header(36, len);
      this.sealChunk();
      (this.chunks ??= []).push(Buffer.from(s, 'latin1'));
      this.chunkBytes += len;
      this.ensure(2);
      this.crlf();
      return;
    }
    this.ensure(len + 24);
    this.buf[this.pos++] = 36;
    this.digits(len);
    this.crlf();
    if (len > 0) this.pos += this.buf.latin1Write(s, this.pos);
    this.crlf();
  }

  /** A bulk string from a JS string of text (ASCII / UTF-8), e.g. names and INFO. */
  bulkText(s: string): void {
    this.bulk(Buffer.from(s, 'utf8').latin1Slice());
  }

  /** Null: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.ensure(5);
    if (this.resp === 3) { this.buf.latin1Write('_\r\n', this.pos); this.pos += 3; }
    else { this.buf.latin1Write('$-1\r\n', this.pos); this.pos += 5; }
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void {
    this.ensure(5);
    if (this.resp === 3) { this.buf.latin1Write('_\r\n', this.pos); this.pos += 3; }
    else { this.buf.latin1Write('*-1\r\n', this.pos); this.pos += 5; }
  }

  array(n: number): void { this.header(42, n); }

  /** A map of n pairs: `%n` in RESP3, a flat `*2n` array in RESP2. */
  map(n: number): void {
    if (this.resp === 3) this.header(37, n); else this.header(42, n * 2);
  }

  /** A set: `~n` in RESP3, an array in RESP2. */
  set(n: number): void {
    if (this.resp === 3) this.header(126, n); else this.header(42, n);
  }

  /** A push frame: `>n` in RESP3, an array in RESP2. */
  push(n: number): void {
    if (this.resp === 3) this.header(62, n); else this.header(42, n);
  }

  /** A double: `,%.17g` in RESP3, a bulk string in RESP2. */
  double(x: number): void {
    const s = formatDouble17g(x);
    if (this.resp === 3) this.raw(`,${s}\r\n`); else this.bulk(s);
  }

  /** A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? '#t\r\n' : '#f\r\n'); else this.integer(b ? 1 : 0);
  }

  /** A verbatim text string (INFO, CLIENT LIST): `=len\r\ntxt:…` in RESP3, bulk in RESP2. */
  verbatim(s: string): void {
    const bin = Buffer.from(s, 'utf8').latin1Slice();
    if (this.resp === 3) {
      this.header(61, bin.length + 4);
      this.ensure(bin.length + 6);
      this.pos += this.buf.latin1Write('txt:', this.pos);
      this.pos += this.buf.latin1Write(bin, this.pos);
      this.crlf();
    } else {
      this.bulk(bin);
    }
  }

  /** Pre-encoded bytes (latin1 string). */
  raw(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }
}

/**
 * Redis's treatment of a formatted error: CR/LF trimmed from both ends, then
 * any CR/LF inside replaced by a space (an error reply is one line). Linear:
 * the ends are trimmed by index (a `[\r\n]+$` regex backtracks quadratically
 * over a long run of newlines inside a client's argument).
 */
export function sanitizeError(s: string): string {
  if (s.indexOf('\r') === -1 && s.indexOf('\n') === -1) return s;
  let a = 0;
  let b = s.length;
  const crlf = (c: number): boolean => c === 13 || c === 10;
  while (a < b && crlf(s.charCodeAt(a))) a++;
  while (b > a && crlf(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b).replace(/[\r\n]/g, ' ');
}

/** A user argument as C's %s prints it: up to the first NUL byte. */
export function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z === -1 ? s : s.slice(0, z);
}
