/**
 * Request reading: framing, validation and decoding of client requests.
 *
 * Owns: the query buffer of one connection, Redis's request grammar and its
 * exact protocol errors (see shared semantics §1.3), and the inline grammar.
 *
 * How it works, per read:
 *  1. The chunk is appended to the pending query buffer (no copy when the
 *     buffer was empty). If unparsed input exceeds client-query-buffer-limit
 *     the connection is closed without a reply, as Redis does.
 *  2. Requests are framed one by one. The first byte decides: `*` = multibulk,
 *     anything else = inline.
 *     - Multibulk: the framer walks the `*<count>` line and each `$<len>` line,
 *       checking them as Redis does (strict integers, proto-max-bulk-len, the
 *       unauthenticated limits, the 64 KiB header-line limit, `$` prefix), and
 *       skips `<len>` bytes plus 2 (the 2 are not checked, like Redis). The
 *       walk is resumable, so a large request arriving in pieces is not
 *       rescanned from the start.
 *     - Inline: a line up to `\n` split with sdssplitargs rules.
 *  3. Each argument is cut out of the buffer as a binary (latin1) string as
 *     soon as its bytes are all there (the framer knows its offset and
 *     length, so nothing decodes the frame a second time).
 *  4. A complete request goes to the sink at once, before the next frame is
 *     validated, as Redis's processInputBuffer runs each command before
 *     parsing the next (an AUTH or a CONFIG SET in a pipeline acts on what
 *     follows it). On a protocol error the requests before it have run; the
 *     error is reported and parsing stops.
 *
 * The chunk fed in may be the server's shared read buffer (server.ts reads
 * every socket into one preallocated buffer): the reader never keeps a
 * reference to it past feed(); unparsed bytes are copied into the
 * connection's own query buffer.
 *
 * Holding (a blocked client, blocking.ts): when a request leaves the client
 * blocked, the sink says so (`holding()`) and nothing more runs. Later bytes
 * stay in the query buffer (still bounded by client-query-buffer-limit), and
 * resume() runs them, in order, once the client is unblocked.
 */

import { constants as bufferConstants } from 'node:buffer';
import {
  PROTO_BULK_COUNT_TOO_BIG, PROTO_INLINE_TOO_BIG, PROTO_INVALID_BULK_LEN, PROTO_INVALID_MBULK_LEN, PROTO_MBULK_COUNT_TOO_BIG,
  PROTO_UNAUTH_BULK_LEN, PROTO_UNAUTH_MBULK_LEN, PROTO_UNBALANCED_QUOTES, protoExpectedDollar,
} from '../errors.js';
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export interface ReaderLimits {
  protoMaxBulkLen: number;
  queryBufferLimit: number;
}

/** What the connection provides to the reader. */
export interface RequestSink {
  /** Runs one request. Returns false when the connection must stop reading (QUIT, close, blocked). */
  onRequest(args: string[]): boolean;
  /** After onRequest returned false: true when the client is only blocked, so later requests must be held, not dropped. */
  holding(): boolean;
  /** True while the client must pass the unauthenticated size limits. */
  unauthenticated(): boolean;
}

export type FeedResult =
  | null // all good (maybe waiting for more bytes)
  | { kind: 'protocol'; message: string } // reply with this error, then close
  | { kind: 'querybuf' }; // close without reply

/** Parses a strict integer from bytes [start, end) like string2ll (int64 range); null if invalid. */
function parseLineInt(buf: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len <= 0 || len > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45) { neg = true; i++; if (i === end) return null; }
  if (buf[i] === 48) return end - i === 1 && !neg ? 0 : null;
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  // Beyond 2^53 the value is only compared against small limits, but int64
  // overflow must still be an error, as in string2ll.
  if (v > 9.2e18) {
    const b = BigInt(buf.latin1Slice(start, end));
    if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  }
  return neg ? -v : v;
}

/**
 * Finds byte `ch` in [from, end) the way Redis's strchr on the query buffer
 * does: a NUL byte before it hides it (C strings end at NUL), so -1.
 */
function findInLine(buf: Buffer, ch: number, from: number, end: number): number {
  // Header lines are short: a plain loop over the first bytes beats a native
  // indexOf call (~20 against ~70 ns); longer lines go to memchr.
  const stop = from + 64 < end ? from + 64 : end;
  for (let j = from; j < stop; j++) {
    const c = buf[j]!;
    if (c === ch) return j;
    if (c === 0) return -1;
  }
  if (stop === end) return -1;
  const i = buf.indexOf(ch, stop);
  if (i === -1 || i >= end) return -1;
  for (let j = stop; j < i; j++) if (buf[j] === 0) return -1;
  return i;
}

/**
 * Redis reads 16 KiB at a time and checks the 64 KiB line limit after each
 * read, so a line whose end lies more than 64 + 16 KiB away was necessarily
 * seen over the limit at some read.
 */
const LINE_LIMIT_WITH_READS = PROTO_INLINE_MAX_SIZE + 16 * 1024;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/**
 * Splits an inline request line with Redis's sdssplitargs rules. Returns null
 * on unbalanced quotes. The line is treated as a C string: a NUL byte ends it.
 */
export function splitInline(buf: Buffer, start: number, end: number): string[] | null {
  for (let z = start; z < end; z++) if (buf[z] === 0) { end = z; break; }
  const args: string[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(buf[p]!)) p++;
    if (p >= end) return args;
    let inq = false;
    let insq = false;
    let done = false;
    const cur: number[] = [];
    while (!done) {
      const c = p < end ? buf[p]! : 0;
      if (inq) {
        if (p >= end) return null;
        const n1 = p + 1 < end ? buf[p + 1]! : 0;
        if (c === 92 && n1 === 120 && p + 3 < end && isHex(buf[p + 2]!) && isHex(buf[p + 3]!)) {
          cur.push(hexVal(buf[p + 2]!) * 16 + hexVal(buf[p + 3]!));
          p += 3;
        } else if (c === 92 && p + 1 < end) {
          p++;
          const e = buf[p]!;
          cur.push(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34) {
          if (p + 1 < end && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else {
          cur.push(c);
        }
      } else if (insq) {
        if (p >= end) return null;
        if (c === 92 && p + 1 < end && buf[p + 1] === 39) {
          p++;
          cur.push(39);
        } else if (c === 39) {
          if (p + 1 < end && !isSpace(buf[p + 1]!)) return null;
          done = true;
        } else {
          cur.push(c);
        }
      } else if (p >= end || c === 32 || c === 10 || c === 13 || c === 9) {
        done = true;
      } else if (c === 34) {
        inq = true;
      } else if (c === 39) {
        insq = true;
      } else {
        cur.push(c);
      }
      if (p < end) p++;
    }
    args.push(String.fromCharCode.apply(null, cur));
  }
}

/**
 * Node turns a slice of more than ~1 MB (its EXTERN_APEX, 0xFBEE9 bytes) into
 * an external string, whose bytes live in malloc'd memory; glibc keeps such
 * memory after it is freed (the heap is only trimmed from its top), so a
 * burst of large values left the process hundreds of MB larger after they
 * were deleted. Slices up to this size stay on V8's heap, whose pages go
 * back to the system when a GC frees them.
 */
const HEAP_SLICE_MAX = 1000000;

/** proto-max-bulk-len's floor (CONFIG refuses less, as Redis): a shorter bulk never needs the config read. */
const PROTO_MAX_BULK_LEN_MIN = 1048576;

/** Bytes [start, end) of `buf` as a binary (latin1) string kept on V8's heap (see HEAP_SLICE_MAX). */
export function heapLatin1(buf: Buffer, start: number, end: number): string {
  if (end - start <= HEAP_SLICE_MAX) return buf.latin1Slice(start, end);
  let s = '';
  for (let p = start; p < end; p += HEAP_SLICE_MAX) s += buf.latin1Slice(p, Math.min(end, p + HEAP_SLICE_MAX));
  return s;
}

export class RequestReader {
  private buf: Buffer | null = null;
  /** `buf` is this reader's own copy (false: it is the chunk being fed, which must not be kept). */
  private owned = false;
  private pos = 0;
  private len = 0;

  // Resumable multibulk walk: where the current frame started, how many args
  // are left, where the walk has got to, and the arguments cut out so far.
  // frameStart === -1: no frame open.
  private frameStart = -1;
  private argsLeft = 0;
  private scan = 0;
  private frameArgs: string[] = [];

  private readonly limits: ReaderLimits;
  private sink!: RequestSink;
  private stopped = false;
  /** The sink is blocked: requests are held (see the file comment). */
  private held = false;

  constructor(limits: ReaderLimits) {
    this.limits = limits;
  }

  /** Bytes received but not yet parsed. */
  get queryBufferLength(): number { return this.len - this.pos; }

  /** Capacity of the query buffer, for CLIENT LIST's qbuf-free. */
  get queryBufferFree(): number { return this.buf === null || !this.owned ? 0 : this.buf.length - this.len; }

  /** The sink refused more requests: hold them (blocked) or drop them (closing). */
  private stop(): void {
    if (this.sink.holding()) this.held = true; else this.stopped = true;
  }

  /** True while requests are held for a blocked client. */
  get holding(): boolean { return this.held; }

  /**
   * The client was unblocked: runs whatever the query buffer holds, until it
   * blocks again or closes.
   */
  resume(sink: RequestSink): FeedResult {
    this.sink = sink;
    this.held = false;
    this.stopped = false;
    if (this.buf === null) return null;
    return this.parseAndKeep();
  }

  private append(chunk: Buffer): void {
    if (this.buf === null || this.pos === this.len) {
      // Parsed in place; whatever is left unparsed is copied out by keep().
      this.buf = chunk;
      this.owned = false;
      this.pos = 0;
      this.len = chunk.length;
      this.rebase(0);
      return;
    }
    const rest = this.len - this.pos;
    const need = rest + chunk.length;
    if (this.owned && this.len + chunk.length <= this.buf.length) {
      chunk.copy(this.buf, this.len);
      this.len += chunk.length;
      return;
    }
    let cap = Math.max(16 * 1024, this.buf.length);
    while (cap < need) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, this.pos, this.len);
    chunk.copy(nb, rest);
    const shift = this.pos;
    this.buf = nb;
    this.owned = true;
    this.pos = 0;
    this.len = need;
    this.rebase(shift);
  }

  /** Adjusts the resumable walk after the buffer's start moved by `shift` bytes. */
  private rebase(shift: number): void {
    if (this.frameStart !== -1) {
      this.frameStart -= shift;
      this.scan -= shift;
    }
  }

  /** Parses, then keeps only the unparsed tail, in a buffer of the reader's own. */
  private parseAndKeep(): FeedResult {
    const res = this.parseAll();
    if (res === null) this.keep();
    else this.release();
    return res;
  }

  /** Releases consumed input; the unparsed tail is moved into an owned buffer. */
  private keep(): void {
    if (this.pos === this.len) {
      this.release();
      return;
    }
    if (!this.owned || this.pos > 0) {
      const rest = this.len - this.pos;
      const nb = Buffer.allocUnsafe(Math.max(rest * 2, 4096));
      this.buf!.copy(nb, 0, this.pos, this.len);
      const shift = this.pos;
      this.buf = nb;
      this.owned = true;
      this.pos = 0;
      this.len = rest;
      this.rebase(shift);
    }
  }

  /** Drops the query buffer (all parsed, or the connection is closing). */
  private release(): void {
    this.buf = null;
    this.owned = false;
    this.pos = this.len = 0;
    this.frameStart = -1;
    this.frameArgs = [];
  }

  /**
   * Feeds bytes from the socket. Runs every complete request through the
   * sink. `chunk` may be reused by the caller once this returns.
   */
  feed(chunk: Buffer, sink: RequestSink): FeedResult {
    this.sink = sink;
    this.append(chunk);
    if (this.len - this.pos > this.limits.queryBufferLimit) { this.release(); return { kind: 'querybuf' }; }
    // A blocked client's input waits in the buffer (Redis reads it but does not run it).
    if (this.held) { this.keep(); return null; }
    this.stopped = false;
    return this.parseAndKeep();
  }

  private parseAll(): FeedResult {
    const buf = this.buf!;
    while (this.pos < this.len && !this.stopped && !this.held) {
      if (this.frameStart === -1 && buf[this.pos] !== 42 /* * */) {
        // Inline request.
        const nl = findInLine(buf, 10, this.pos, this.len);
        if (nl === -1 || nl - this.pos > LINE_LIMIT_WITH_READS) {
          if (this.len - this.pos > PROTO_INLINE_MAX_SIZE) return { kind: 'protocol', message: PROTO_INLINE_TOO_BIG };
          return null;
        }
        let lineEnd = nl;
        if (lineEnd > this.pos && buf[lineEnd - 1] === 13) lineEnd--;
        const args = splitInline(buf, this.pos, lineEnd);
        if (args === null) return { kind: 'protocol', message: PROTO_UNBALANCED_QUOTES };
        this.pos = nl + 1;
        if (args.length > 0 && !this.sink.onRequest(args)) { this.stop(); return null; }
        continue;
      }
      // Multibulk request.
      if (this.frameStart === -1) {
        const cr = findInLine(buf, 13, this.pos, this.len);
        if (cr === -1 || cr - this.pos > LINE_LIMIT_WITH_READS) {
          if (this.len - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(PROTO_MBULK_COUNT_TOO_BIG);
          break;
        }
        if (cr + 1 >= this.len) break; // wait for the byte after \r
        const count = parseLineInt(buf, this.pos + 1, cr);
        if (count === null || count > INT_MAX) return this.fail(PROTO_INVALID_MBULK_LEN);
        if (count > 10 && this.sink.unauthenticated()) return this.fail(PROTO_UNAUTH_MBULK_LEN);
        if (count <= 0) {
          // Empty request: skipped silently.
          this.pos = cr + 2;
          continue;
        }
        this.frameStart = this.pos;
        this.argsLeft = count;
        this.scan = cr + 2;
        this.frameArgs = [];
      }
      // Walk the arguments, cutting each out once its bytes are all there.
      const args = this.frameArgs;
      while (this.argsLeft > 0) {
        const p = this.scan;
        if (p >= this.len) break;
        const cr = findInLine(buf, 13, p, this.len);
        if (cr === -1 || cr - p > LINE_LIMIT_WITH_READS) {
          if (this.len - p > PROTO_INLINE_MAX_SIZE) return this.fail(PROTO_BULK_COUNT_TOO_BIG);
          break;
        }
        if (cr + 1 >= this.len) break;
        if (buf[p] !== 36 /* $ */) {
          const got = buf[p] === 13 || buf[p] === 10 ? ' ' : String.fromCharCode(buf[p]!);
          return this.fail(protoExpectedDollar(got));
        }
        const blen = parseLineInt(buf, p + 1, cr);
        if (blen === null || blen < 0 || (blen > PROTO_MAX_BULK_LEN_MIN && (blen > this.limits.protoMaxBulkLen || blen > MAX_STRING_LENGTH))) {
          return this.fail(PROTO_INVALID_BULK_LEN);
        }
        if (blen > 16384 && this.sink.unauthenticated()) return this.fail(PROTO_UNAUTH_BULK_LEN);
        const end = cr + 2 + blen + 2;
        if (end > this.len) {
          // Make room for the whole argument at once, so a large value is not re-copied per chunk.
          if (end - this.frameStart > 2 * PROTO_INLINE_MAX_SIZE) this.reserve(end - this.frameStart);
          break;
        }
        args.push(blen <= HEAP_SLICE_MAX ? buf.latin1Slice(cr + 2, cr + 2 + blen) : heapLatin1(buf, cr + 2, cr + 2 + blen));
        this.scan = end;
        this.argsLeft--;
      }
      if (this.argsLeft !== 0) break;
      // A complete, valid request: run it before looking at the next.
      this.pos = this.scan;
      this.frameStart = -1;
      this.frameArgs = [];
      if (!this.sink.onRequest(args)) { this.stop(); return null; }
    }
    return null;
  }

  private reserve(total: number): void {
    if (this.pos !== this.frameStart || (this.owned && this.buf!.length >= total)) return;
    const nb = Buffer.allocUnsafe(total);
    this.buf!.copy(nb, 0, this.pos, this.len);
    const shift = this.pos;
    this.len -= this.pos;
    this.pos = 0;
    this.buf = nb;
    this.owned = true;
    this.rebase(shift);
  }

  private fail(message: string): FeedResult {
    this.frameStart = -1;
    this.frameArgs = [];
    return { kind: 'protocol', message };
  }
}
