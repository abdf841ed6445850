/**
 * The protocol fuzzer: sessions of well-formed and malformed frames, sent to
 * a real redis-server and to cachette with the same bytes and the same
 * chunking, while a bystander client keeps checking its own replies.
 *
 * A session is a list of frames (valid commands as multibulk or inline,
 * random bytes, truncated frames, huge / negative / non-numeric lengths,
 * length lines without CRLF, inline lines with unbalanced quotes, NUL bytes),
 * concatenated and cut into chunks at random byte boundaries. Both servers
 * must answer with the same bytes and must close, or keep waiting for more
 * bytes, alike. Keys are prefixed per session, so sessions can run at once.
 */

import fc from 'fast-check';
import net from 'node:net';

/** What a frame is, before it becomes bytes (keys get the session's prefix then). */
export type FrameDesc =
  | { t: 'cmd'; args: string[]; inline: boolean }
  | { t: 'bytes'; b: number[] }
  | { t: 'cut'; args: string[]; keep: number }
  | { t: 'raw'; s: string };

const word = fc.constantFrom('a', 'b', 'hello', '12', '-3', '0', 'x y', '', '\u00ff', 'key');
const key = fc.constantFrom('k1', 'k2', 'n');
const command: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant<string[]>(['PING']),
  word.map((w) => ['ECHO', w]),
  fc.tuple(key, word).map(([k, v]) => ['SET', k, v]),
  key.map((k) => ['GET', k]),
  fc.constant<string[]>(['INCR', 'n']),
  key.map((k) => ['DEL', k]),
  fc.tuple(key, word).map(([k, v]) => ['APPEND', k, v]),
  fc.tuple(key, key).map(([a, b]) => ['EXISTS', a, b]),
  fc.constantFrom<string[]>(['NOSUCH', 'x'], ['GET'], ['SET', 'k1'], ['incr', 'k1'], ['Ping', 'a', 'b']),
);

/** Lengths and counts that are huge, negative, non-numeric or just odd. */
const oddNumber = fc.constantFrom('-1', '-7', '0', '2147483647', '2147483648', '536870913', '9223372036854775807',
  '9223372036854775808', '99999999999999999999', 'abc', '', '+5', ' 3', '3 ', '0x10', '1e3', '00', '-0');

const malformed: fc.Arbitrary<string> = fc.oneof(
  oddNumber.map((n) => `*${n}\r\n`),
  oddNumber.map((n) => `*1\r\n$${n}\r\n`),
  oddNumber.map((n) => `*2\r\n$3\r\nGET\r\n$${n}\r\nab\r\n`),
  fc.constantFrom(
    '*3\n', '*1\r\n$4\nPING\r\n', '*1\r', '$4\r\nPING\r\n', '*1\r\n:4\r\nPING\r\n', '*1\r\n+PING\r\n',
    '*1\r\n$4\r\nPINGxx', '*1\r\n$4\r\nPIN', '*\r\n', '*-\r\n', '\r\n', '\n', '\r', '*1\x00\r\n$4\r\nPING\r\n',
    'SET "abc\r\n', "GET 'x\r\n", 'ECHO "a"b\r\n', "ECHO 'a'b\r\n", 'ECHO "\\x4\r\n', 'ECHO "\\x41\\n"\r\n',
    'PING\x00junk\r\n', '   \r\n', '"unterminated\r\n', 'SET k1 "multi word value"\r\n', "ECHO 'it\\'s'\r\n",
  ),
);

const frame: fc.Arbitrary<FrameDesc> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(command, fc.boolean()).map(([args, inline]) => ({ t: 'cmd' as const, args, inline })) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 }).map((b) => ({ t: 'bytes' as const, b })) },
  { weight: 1, arbitrary: fc.tuple(command, fc.nat(40)).map(([args, keep]) => ({ t: 'cut' as const, args, keep })) },
  { weight: 3, arbitrary: malformed.map((s) => ({ t: 'raw' as const, s })) },
);

export interface Session { frames: FrameDesc[]; cuts: number[] }

export const sessionArb: fc.Arbitrary<Session> = fc.record({
  frames: fc.array(frame, { minLength: 1, maxLength: 30 }),
  cuts: fc.array(fc.nat(4000), { maxLength: 8 }),
});

function multibulk(args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
}

function withPrefix(args: string[], prefix: string): string[] {
  const cmd = args[0]!.toUpperCase();
  // Every command here takes keys from its second argument on, except PING and ECHO.
  if (cmd === 'PING' || cmd === 'ECHO' || cmd === 'NOSUCH') return args;
  if (cmd === 'SET' || cmd === 'APPEND') return args.map((a, i) => (i === 1 ? prefix + a : a));
  return args.map((a, i) => (i >= 1 ? prefix + a : a));
}

/** The session's bytes, keys prefixed with `prefix`. */
export function sessionBytes(s: Session, prefix: string): Buffer {
  const parts: Buffer[] = [];
  for (const f of s.frames) {
    if (f.t === 'cmd') {
      const args = withPrefix(f.args, prefix);
      const inlineOk = f.inline && args.every((a) => a !== '' && !/[\s"'\\\x00-\x1f]/.test(a) && !a.startsWith('*'));
      parts.push(Buffer.from(inlineOk ? args.join(' ') + '\r\n' : multibulk(args), 'latin1'));
    } else if (f.t === 'cut') {
      const b = Buffer.from(multibulk(withPrefix(f.args, prefix)), 'latin1');
      parts.push(b.subarray(0, Math.min(f.keep, b.length - 1)));
    } else if (f.t === 'bytes') {
      parts.push(Buffer.from(f.b));
    } else {
      parts.push(Buffer.from(f.s, 'latin1'));
    }
  }
  return Buffer.concat(parts);
}

/** Frames in a session (for counting). */
export function frameCount(s: Session): number {
  return s.frames.length;
}

export interface Outcome { out: string; closed: boolean }

/**
 * One session's connection: sends `bytes` in chunks cut at `cuts` (byte
 * offsets) and collects what comes back. What counts as the end of the
 * replies is decided by the caller: quiet() (no data for a while after an
 * I/O poll, or the close), or catchUp() (until this side has at least as
 * many bytes as the other server sent, and has closed if it did).
 */
export class Capture implements Outcome {
  out = '';
  closed = false;
  private last = Date.now();
  private readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => { this.out += d.toString('latin1'); this.last = Date.now(); });
    socket.on('error', () => { /* a reset after a protocol error is a close */ });
    socket.on('close', () => { this.closed = true; });
  }

  static open(port: number, bytes: Buffer, cuts: number[]): Promise<Capture> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      // Without TCP_NODELAY, Nagle holds our later chunks until the server ACKs
      // the first one, and a server waiting on an incomplete frame delays that
      // ACK by ~40 ms: the rest of the session would arrive late.
      s.setNoDelay(true);
      const c = new Capture(s);
      s.once('error', (e) => { if (!s.connecting) return; reject(e); });
      s.once('connect', async () => {
        resolve(c);
        const points = [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b);
        let at = 0;
        for (const p of [...points, bytes.length]) {
          if (p > at && !s.destroyed) s.write(bytes.subarray(at, p));
          at = Math.max(at, p);
          await new Promise((r) => setImmediate(r));
        }
        c.last = Date.now();
      });
    });
  }

  /** Resolves once the server has closed, or sent nothing for `quietMs` (checked after an I/O poll), or `maxMs` passed. */
  quiet(quietMs: number, maxMs: number): Promise<void> {
    const started = Date.now();
    return new Promise((resolve) => {
      const tick = (): void => {
        if (this.closed || Date.now() - started > maxMs) { resolve(); return; }
        if (Date.now() - this.last < quietMs) { setTimeout(tick, 5); return; }
        // Quiet means no data for quietMs *after* an I/O poll: a timer can fire
        // before the poll phase delivers data that arrived while the loop was busy.
        setImmediate(() => {
          if (this.closed || Date.now() - this.last >= quietMs) resolve();
          else setTimeout(tick, 5);
        });
      };
      tick();
    });
  }

  /** Resolves once this side has `bytes` bytes (and has closed, if `closed`), or `maxMs` passed. */
  catchUp(bytes: number, closed: boolean, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    return new Promise((resolve) => {
      const tick = (): void => {
        if ((this.out.length >= bytes && (!closed || this.closed)) || this.closed || Date.now() > deadline) resolve();
        else setTimeout(tick, 2);
      };
      tick();
    });
  }

  close(): void { this.socket.destroy(); }
}

/**
 * Plays one session on both servers at once and returns both outcomes. Each
 * side is first read until it is quiet; if one side is then behind the other
 * (its output a prefix of the other's, or open where the other closed), it
 * gets up to `maxMs` more to catch up, then both a second quiet period: a
 * server descheduled for a moment on a loaded machine is waited for, not
 * reported. `same` decides what "equal" means (normalisation).
 */
export async function playBoth(redisPort: number, cachettePort: number, bytes: Buffer, cuts: number[], quietMs: number, maxMs: number,
  same: (a: string, b: string) => boolean, norm: (s: string) => string): Promise<[Outcome, Outcome]> {
  const [r, c] = await Promise.all([Capture.open(redisPort, bytes, cuts), Capture.open(cachettePort, bytes, cuts)]);
  try {
    await Promise.all([r.quiet(quietMs, maxMs), c.quiet(quietMs, maxMs)]);
    const differs = (): boolean => !same(r.out, c.out) || r.closed !== c.closed;
    if (differs()) {
      const [nr, nc] = [norm(r.out), norm(c.out)];
      const behind = (a: Capture, na: string, b: Capture, nb: string): boolean => nb.startsWith(na) && (na.length < nb.length || (b.closed && !a.closed));
      if (behind(c, nc, r, nr)) await c.catchUp(c.out.length + (nr.length - nc.length), r.closed, maxMs);
      else if (behind(r, nr, c, nc)) await r.catchUp(r.out.length + (nc.length - nr.length), c.closed, maxMs);
      await Promise.all([r.quiet(quietMs, maxMs), c.quiet(quietMs, maxMs)]);
    }
    return [{ out: r.out, closed: r.closed }, { out: c.out, closed: c.closed }];
  } finally {
    r.close();
    c.close();
  }
}

/**
 * The rule for a session that spells a command cachette lacks (by name, from
 * COMMAND LIST on both servers): it passes only if everything before
 * cachette's first "unknown command '<name>'" reply for such a name is
 * byte for byte what Redis sent (both normalised). Returns false when there
 * is no such reply, or when anything before it differs.
 */
export function equalUpToUnknown(redisOut: string, cachetteOut: string, lacking: readonly string[]): boolean {
  const lower = cachetteOut.toLowerCase();
  const at = Math.min(...lacking.map((name) => lower.indexOf(`-err unknown command '${name}'`)).filter((i) => i >= 0));
  return Number.isFinite(at) && redisOut.slice(0, at) === cachetteOut.slice(0, at);
}
