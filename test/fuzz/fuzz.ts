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
 * Sends `bytes` in chunks cut at `cuts` (byte offsets), then waits until the
 * server has been quiet for `quietMs` (or closed), and returns what came back.
 */
export function play(port: number, bytes: Buffer, cuts: number[], quietMs = 40, maxMs = 3000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    // Without TCP_NODELAY, Nagle holds our later chunks until the server ACKs
    // the first one, and a server waiting on an incomplete frame delays that
    // ACK by ~40 ms: the rest of the session would arrive after the quiet
    // period ended.
    s.setNoDelay(true);
    let out = '';
    let closed = false;
    let last = Date.now();
    const started = Date.now();
    s.on('data', (d) => { out += d.toString('latin1'); last = Date.now(); });
    s.on('error', () => { /* a reset after a protocol error is a close */ });
    s.on('close', () => { closed = true; });
    s.once('connect', async () => {
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      let at = 0;
      for (const p of [...points, bytes.length]) {
        if (p > at && !s.destroyed) s.write(bytes.subarray(at, p));
        at = Math.max(at, p);
        await new Promise((r) => setImmediate(r));
      }
      last = Date.now();
      // Quiet means no data for quietMs *after* an I/O poll: a timer can fire
      // before the poll phase delivers data that arrived while the loop was busy.
      const finish = (): void => { s.destroy(); resolve({ out, closed }); };
      const tick = (): void => {
        if (closed || Date.now() - started > maxMs) { finish(); return; }
        if (Date.now() - last < quietMs) { setTimeout(tick, 5); return; }
        setImmediate(() => {
          if (closed || Date.now() - last >= quietMs) finish();
          else setTimeout(tick, 5);
        });
      };
      tick();
    });
    let connected = false;
    s.once('connect', () => { connected = true; });
    s.once('error', (e) => { if (!connected) reject(e); });
  });
}
