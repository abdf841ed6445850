/**
 * Runs command sequences against both servers and compares every reply byte
 * for byte. Only replies that are nondeterministic by nature are normalised,
 * each by a named rule below, and only in the part that is nondeterministic
 * (ids, addresses, clocks, buffer sizes; relative TTLs within the measured
 * skew). Errors are always compared exactly. After each sequence a PING
 * sentinel on every connection catches bytes a reply left behind.
 */

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { replyLength, RespConn } from './conn.js';
import { CONNECTIONS, materialize, type Cmd } from './gen.js';

/** Splits an aggregate reply into its header line and its element replies. */
function elements(raw: string): { header: string; items: string[] } | null {
  if (!/^[*~%]/.test(raw)) return null;
  const b = Buffer.from(raw, 'latin1');
  const cr = b.indexOf(13);
  const header = raw.slice(0, cr + 2);
  const items: string[] = [];
  let p = cr + 2;
  while (p < b.length) {
    const n = replyLength(b, p);
    items.push(b.latin1Slice(p, p + n));
    p += n;
  }
  return { header, items };
}

/** An integer reply's value, exactly (BigInt: values past 2^53 must not compare equal). */
function intOf(raw: string): bigint | null {
  const m = /^:(-?\d+)\r\n$/.exec(raw);
  return m === null ? null : BigInt(m[1]!);
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * What the comparison of one reply may depend on besides the reply bytes:
 * `skewMs` bounds how far apart in time the two servers can have run any
 * command of this sequence so far. Both get a command at the same moment and
 * each runs it before replying, so a command's skew is at most its slower
 * round trip; the runner keeps the largest seen (+1 ms for clock rounding).
 */
export interface CompareContext { skewMs: number }

/**
 * Whether an absolute expiry (ms) came from a relative TTL, so that it depends
 * on the millisecond each server ran the command in. The generator's absolute
 * times are either past (the key is deleted), in 2100 or later, or the 2^53+1
 * and int64 edges; its relative ones (gen.ts `rel`, materialize()) are at most
 * a few thousand seconds, or the 9223372036854774 ms edge. So: before 2100, or
 * within a day of now + 9223372036854774 ms.
 */
function fromRelativeTtl(ms: bigint): boolean {
  const now = BigInt(Date.now());
  return ms < 4102444800000n || abs(ms - (now + 9223372036854774n)) < 86400000n;
}

/** INFO fields that only one server has, by design; removed from both sides before comparing. */
export const INFO_ONE_SIDED: Record<string, string> = {
  atomicvar_api: 'Redis: which C atomics its build uses; cachette is single-threaded JavaScript',
  gcc_version: 'Redis: the C compiler of its build; cachette is not compiled (it reports node_version)',
  cachette_version: "cachette's own version (redis_version is the Redis version it is compatible with)",
  node_version: 'cachette: the Node.js running it, in place of gcc_version',
  used_memory_heap: "cachette: V8's heap in use, beside the deterministic used_memory account",
};

/** CLIENT LIST / INFO fields whose values are not deterministic: ids, addresses, times and buffer sizes. */
const CLIENT_MASKED = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem']);
/** CLIENT LIST fields only cachette prints, by design (README, Known differences: 7.2's lib-name/lib-ver). */
const CLIENT_ONE_SIDED = new Set(['lib-name', 'lib-ver']);

/** The text of a bulk or RESP3 verbatim reply whose length header is right, or null. */
function bodyOf(raw: string): string | null {
  const m = /^(?:\$(\d+)\r\n|=(\d+)\r\ntxt:)/.exec(raw);
  if (m === null) return null;
  const body = raw.slice(m[0].length, -2);
  const declared = m[1] !== undefined ? Number(m[1]) : Number(m[2]) - 4;
  return declared === Buffer.byteLength(body, 'latin1') && raw.endsWith('\r\n') ? body : null;
}

/**
 * CLIENT INFO / LIST: every line's fields in order, with the nondeterministic
 * values masked and lib-name/lib-ver dropped; the frame's length (which the
 * masked values change) is replaced by the reply type.
 */
function clientLines(raw: string): string {
  const body = bodyOf(raw);
  if (body === null) return raw;
  const lines = body.split('\n').map((line) => line.split(' ').filter((f) => !CLIENT_ONE_SIDED.has(f.slice(0, f.indexOf('='))))
    .map((f) => { const k = f.slice(0, f.indexOf('=')); return CLIENT_MASKED.has(k) ? `${k}=<masked>` : f; }).join(' '));
  return `${raw[0]}<len> ${lines.join('\n')}`;
}

/**
 * INFO: the section names in order; in each section the set of field names
 * (one-sided ones removed, see INFO_ONE_SIDED); the keyspace lines whole
 * except avg_ttl (from active expiry's samples); errorstats whole (error
 * replies are compared exactly, so their counts must match). Other values
 * (counters, memory, times) are not compared.
 */
function infoShape(raw: string): string {
  const body = bodyOf(raw);
  if (body === null) return raw;
  const out: string[] = [];
  let fields: string[] = [];
  let section = '';
  const end = (): void => { if (section !== '') out.push(`${section} [${fields.sort().join(' ')}]`); fields = []; };
  for (const line of body.split('\r\n')) {
    if (line.startsWith('# ')) { end(); section = line; continue; }
    if (line === '') continue;
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    if (name in INFO_ONE_SIDED) continue;
    if (section === '# Keyspace') fields.push(line.replace(/,avg_ttl=\d+$/, ',avg_ttl=<masked>'));
    else if (section === '# Errorstats') fields.push(line);
    else fields.push(name);
  }
  end();
  return `${raw[0]}<len> ${out.join(' ')}`;
}

/** Normalisation rules, keyed by command (and subcommand). Each names its reason. */
const RULES: Array<{ match: (a: string[]) => boolean; why: string; apply: (r: string, other: string, ctx: CompareContext) => string }> = [
  {
    match: (a) => a[0] === 'HELLO',
    why: 'HELLO carries the client id, which depends on how many connections each server has seen',
    apply: (r) => r.replace(/(\$2\r\nid\r\n:)\d+/, '$1<id>'),
  },
  {
    match: (a) => a[0] === 'CLIENT' && a[1] === 'ID',
    why: 'CLIENT ID depends on how many connections each server has seen; the reply is compared as an integer',
    apply: (r) => (intOf(r) !== null ? ':<id>' : r),
  },
  {
    match: (a) => a[0] === 'CLIENT' && (a[1] === 'INFO' || a[1] === 'LIST'),
    why: 'CLIENT INFO/LIST: every field is compared except id, addr, laddr, fd, age, idle and the buffer sizes (qbuf, qbuf-free, argv-mem, multi-mem, rbs, rbp, obl, oll, omem, tot-mem); lib-name/lib-ver are cachette-only (7.2 fields, README)',
    apply: (r) => (r.startsWith('-') ? r : clientLines(r)),
  },
  {
    match: (a) => a[0] === 'INFO',
    why: 'INFO: section names, the set of field names in each (minus the one-sided ones in INFO_ONE_SIDED), the keyspace lines (avg_ttl masked) and errorstats are compared; other values (counters, memory, times) differ by nature',
    apply: (r) => (r.startsWith('-') ? r : infoShape(r)),
  },
  {
    match: (a) => a[0] === 'TIME',
    why: 'TIME is the clock; its shape (two bulk integers) is compared',
    apply: (r) => r.replace(/^\*2\r\n\$\d+\r\n\d+\r\n\$\d+\r\n\d+\r\n$/, '<two bulk integers>'),
  },
  {
    match: (a) => a[0] === 'RANDOMKEY',
    why: 'RANDOMKEY picks a random key; only nil versus a key is compared',
    apply: (r) => (r.startsWith('$') && r !== '$-1\r\n' ? '$<key>' : r),
  },
  {
    match: (a) => a[0] === 'KEYS',
    why: 'KEYS order is hash order in Redis; compared as a set',
    apply: (r) => { const e = elements(r); return e === null ? r : e.header + [...e.items].sort().join(''); },
  },
  {
    match: (a) => a[0] === 'CONFIG' && a[1] === 'GET',
    why: 'CONFIG GET order is not defined; compared as a set of pairs',
    apply: (r) => {
      const e = elements(r);
      if (e === null) return r;
      const pairs: string[] = [];
      for (let i = 0; i < e.items.length; i += 2) pairs.push(e.items[i]! + e.items[i + 1]!);
      return e.header + pairs.sort().join('');
    },
  },
  {
    match: (a) => a[0] === 'OBJECT' && (a[1] === 'IDLETIME' || a[1] === 'FREQ'),
    why: 'OBJECT IDLETIME depends on wall-clock seconds (and Redis shares small integer objects); LFU increments are probabilistic; integers are compared by type',
    apply: (r) => (intOf(r) !== null ? ':<n>' : r),
  },
  {
    match: (a) => a[0] === 'MEMORY',
    why: 'MEMORY USAGE reports cachette\'s V8 heap account, not jemalloc size classes (README); integers are compared by type',
    apply: (r) => (intOf(r) !== null ? ':<n>' : r),
  },
  {
    match: (a) => a[0] === 'PTTL',
    why: 'PTTL of a key counts down from when each server set it: the two may differ by the skew of the command that set it plus that of the PTTL (measured round trips), never more',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && abs(x - y) <= BigInt(2 * ctx.skewMs) ? ':<within skew>' : r; },
  },
  {
    match: (a) => a[0] === 'TTL',
    why: 'TTL is PTTL rounded to seconds: within the same skew, at most 1 apart at a rounding edge',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && abs(x - y) <= BigInt(Math.ceil((2 * ctx.skewMs) / 1000)) ? ':<within skew>' : r; },
  },
  {
    match: (a) => a[0] === 'PEXPIRETIME',
    why: 'PEXPIRETIME is exact, except for an expiry set by a relative TTL, which depends on the millisecond each server ran that command in (within the measured skew)',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && fromRelativeTtl(x) && fromRelativeTtl(y) && abs(x - y) <= BigInt(ctx.skewMs) ? ':<within skew>' : r; },
  },
  {
    match: (a) => a[0] === 'EXPIRETIME',
    why: 'EXPIRETIME is exact, except for an expiry set by a relative TTL: within the measured skew, rounded to seconds',
    apply: (r, other, ctx) => { const x = intOf(r); const y = intOf(other); return x !== null && y !== null && x >= 0n && y >= 0n && fromRelativeTtl(x * 1000n) && fromRelativeTtl(y * 1000n) && abs(x - y) <= BigInt(Math.ceil(ctx.skewMs / 1000)) ? ':<within skew>' : r; },
  },
];

/** Upper-cases the command and subcommand names so rules can match them. */
function names(args: string[]): string[] {
  return [args[0]?.toUpperCase() ?? '', args[1]?.toUpperCase() ?? ''];
}

export function normalise(args: string[], cachette: string, redis: string, ctx: CompareContext = { skewMs: 1 }): [string, string] {
  const n = names(args);
  for (const rule of RULES) {
    if (rule.match(n)) return [rule.apply(cachette, redis, ctx), rule.apply(redis, cachette, ctx)];
  }
  return [cachette, redis];
}

export const RULE_REASONS = RULES.map((r) => r.why);

// ---- transactions -------------------------------------------------------------
/**
 * EXEC's reply holds the replies of the commands it ran, so each element is
 * normalised by the rule of the command it answers. The runner keeps, per
 * connection, the commands Redis answered +QUEUED since that connection's
 * last MULTI. One extra rule: SCAN inside EXEC is one page of Redis's bucket
 * order (the runner cannot iterate it in a transaction); only its type is compared.
 */
export const TX_REASONS = ['EXEC: each element by the rule of its queued command', 'SCAN inside EXEC: one page in bucket order; the reply type is compared'];

class TxTracker {
  private readonly queued: string[][][] = [];
  constructor(conns: number) { for (let i = 0; i < conns; i++) this.queued.push([]); }

  /** The commands queued on `conn` so far. */
  peek(conn: number): string[][] { return this.queued[conn]!; }

  /** Queued commands of the EXEC just answered on `conn` (and forgets them). */
  take(conn: number): string[][] { const q = this.queued[conn]!; this.queued[conn] = []; return q; }

  normalise(conn: number, args: string[], cachette: string, redis: string, ctx: CompareContext): [string, string] {
    const name = names(args)[0];
    if (redis === '+QUEUED\r\n') { this.queued[conn]!.push(args); return [cachette, redis]; }
    if (name === 'EXEC') return normaliseExec(this.take(conn), cachette, redis, ctx);
    // A nested MULTI's error leaves the queue as it was.
    if ((name === 'MULTI' && redis === '+OK\r\n') || name === 'DISCARD' || name === 'RESET') this.queued[conn] = [];
    return normalise(args, cachette, redis, ctx);
  }
}

function normaliseExec(queued: string[][], cachette: string, redis: string, ctx: CompareContext): [string, string] {
  const ec = elements(cachette);
  const er = elements(redis);
  if (ec === null || er === null || ec.header !== er.header || ec.items.length !== queued.length || er.items.length !== queued.length) return [cachette, redis];
  let c = ec.header;
  let r = er.header;
  for (let i = 0; i < queued.length; i++) {
    const args = queued[i]!;
    let [nc, nr] = normalise(args, ec.items[i]!, er.items[i]!, ctx);
    if (names(args)[0] === 'SCAN' && nc[0] === nr[0] && /^[*>]/.test(nc)) { nc = nc[0]!; nr = nr[0]!; }
    c += nc;
    r += nr;
  }
  return [c, r];
}
// ---- end of transactions ------------------------------------------------------

/** A full SCAN iteration with the same options; the result is the sorted set of keys (or the first error). */
async function scanAll(conn: RespConn, args: string[]): Promise<string> {
  const keys = new Set<string>();
  let cursor = '0';
  for (let i = 0; i < 10000; i++) {
    const reply = await conn.call(['SCAN', cursor, ...args.slice(2)]);
    const e = elements(reply);
    if (e === null || e.items.length !== 2) return reply;
    cursor = e.items[0]!.replace(/^\$\d+\r\n|\r\n$/g, '');
    const page = elements(e.items[1]!)!;
    for (const k of page.items) keys.add(k);
    if (cursor === '0') return `SCAN-SET ${[...keys].sort().join('')}`;
  }
  return '<scan did not finish>';
}

export interface Side { conns: RespConn[]; admin: RespConn; port: number }

export interface Mismatch { index: number; conn: number; args: string[]; redis: string; cachette: string }

/** Config values the generator may change, restored before every sequence. */
export const RESET_CONFIG = ['hz', '10', 'maxmemory-policy', 'noeviction', 'maxmemory-samples', '5', 'maxmemory-eviction-tenacity', '10',
  'lfu-log-factor', '10', 'lfu-decay-time', '1', 'active-expire-effort', '1', 'maxclients', '10000', 'proto-max-bulk-len', '512mb',
  'client-query-buffer-limit', '1gb', 'loglevel', 'warning', 'lazyfree-lazy-user-del', 'no', 'lazyfree-lazy-expire', 'no', 'maxmemory', '0',
  'notify-keyspace-events', ''];

/**
 * A keyspace-event watcher: a raw connection subscribed to every keyspace
 * and keyevent channel of every database, collecting the bytes it receives.
 */
class Watcher {
  out = '';
  private constructor(private readonly socket: net.Socket, private readonly proto: 2 | 3) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.out += d.latin1Slice(); });
    socket.on('error', () => {});
  }
  static async open(port: number, proto: 2 | 3): Promise<Watcher> {
    const s = await new Promise<net.Socket>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(sock));
      sock.once('error', reject);
    });
    const w = new Watcher(s, proto);
    s.write((proto === 3 ? 'HELLO 3\r\n' : '') + 'PSUBSCRIBE __key*__:*\r\n');
    // Subscribed once the confirmation (after HELLO's map in RESP3) is complete.
    const confirm = `${proto === 3 ? '>' : '*'}3\r\n$10\r\npsubscribe\r\n$10\r\n__key*__:*\r\n:1\r\n`;
    await w.until((out) => out.endsWith(confirm), 'the PSUBSCRIBE confirmation');
    w.out = '';
    return w;
  }
  /** Waits until `done(out)` holds (deadline 5 s). */
  private async until(done: (out: string) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done(this.out)) {
      if (Date.now() > deadline) throw new Error(`keyspace watcher: no ${what}; got ${JSON.stringify(this.out.slice(-200))}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  /**
   * Everything the watcher was sent up to now: a PING sentinel is answered
   * after every event the server queued to it before, so nothing is waited
   * for by a timer. The sentinel's reply is removed.
   */
  async events(): Promise<string> {
    const pong = this.proto === 3 ? '+PONG\r\n' : '*2\r\n$4\r\npong\r\n$0\r\n\r\n';
    this.socket.write('PING\r\n');
    await this.until((out) => out.endsWith(pong), 'reply to the PING sentinel');
    return this.out.slice(0, -pong.length);
  }
  close(): void { this.socket.destroy(); }
}

/**
 * Commands left out of watched sequences, each because Redis's choice of key
 * order is its hash layout or random, so the order of the 'expired' events
 * they cause cannot match (their replies are compared in the plain runs):
 * RANDOMKEY (random keys), SCAN (bucket order). CLIENT KILL could kill the watcher.
 */
export function watchable(cmd: Cmd): boolean {
  const name = typeof cmd.args[0] === 'string' ? cmd.args[0].toUpperCase() : '';
  if (name === 'RANDOMKEY' || name === 'SCAN') return false;
  if (name === 'CLIENT' && typeof cmd.args[1] === 'string' && cmd.args[1].toUpperCase() === 'KILL') return false;
  return true;
}

async function both(redis: RespConn, cachette: RespConn, args: string[]): Promise<[string, string]> {
  if (args[0]?.toUpperCase() === 'SCAN' && args[1] === '0') return Promise.all([scanAll(redis, args), scanAll(cachette, args)]);
  return Promise.all([redis.call(args), cachette.call(args)]);
}

/** Puts both servers in the same clean state and the connections in `proto`. Returns a mismatch if setup differs. */
async function reset(r: Side, c: Side, proto: 2 | 3, extra: string[][]): Promise<Mismatch | null> {
  const setup: string[][] = [['FLUSHALL'], ['CONFIG', 'SET', ...RESET_CONFIG], ...extra];
  for (const args of setup) {
    const [a, b] = await both(r.admin, c.admin, args);
    if (a !== b) return { index: -1, conn: -1, args, redis: a, cachette: b };
  }
  for (let i = 0; i < CONNECTIONS; i++) {
    // RESET keeps CLIENT NO-EVICT (as in Redis), so it is switched off too: each sequence starts alike.
    const steps = proto === 3 ? [['RESET'], ['CLIENT', 'NO-EVICT', 'off'], ['HELLO', '3']] : [['RESET'], ['CLIENT', 'NO-EVICT', 'off']];
    for (const args of steps) {
      const [a, b] = await both(r.conns[i]!, c.conns[i]!, args);
      const [nb, na] = normalise(args, b, a);
      if (na !== nb) return { index: -1, conn: i, args, redis: a, cachette: b };
    }
  }
  return null;
}

/**
 * Runs one sequence on both servers; returns the first mismatch, or null.
 * With `watch` (notify-keyspace-events flags), a watcher on each server
 * collects every keyspace event, and the two event streams must be equal
 * byte for byte after the sequence.
 */
export async function runSequence(r: Side, c: Side, proto: 2 | 3, cmds: Cmd[], extraSetup: string[][] = [], watch?: string): Promise<Mismatch | null> {
  const setup = watch === undefined ? extraSetup : [...extraSetup, ['CONFIG', 'SET', 'notify-keyspace-events', watch]];
  const bad = await reset(r, c, proto, setup);
  if (bad !== null) return bad;
  if (watch === undefined) return runCommands(r, c, cmds);
  const [wr, wc] = await Promise.all([Watcher.open(r.port, proto), Watcher.open(c.port, proto)]);
  try {
    const m = await runCommands(r, c, cmds);
    if (m !== null) return m;
    const [er, ec] = await Promise.all([wr.events(), wc.events()]);
    if (er !== ec) {
      return { index: cmds.length - 1, conn: -1, args: [`(keyspace events, notify-keyspace-events ${watch})`], redis: er, cachette: ec };
    }
    return null;
  } finally {
    wr.close();
    wc.close();
  }
}

async function runCommands(r: Side, c: Side, cmds: Cmd[]): Promise<Mismatch | null> {
  const tx = new TxTracker(CONNECTIONS);
  // The largest round trip so far bounds how far apart the servers ran any command (CompareContext).
  const ctx: CompareContext = { skewMs: 1 };
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    const args = materialize(cmd, i);
    const t0 = performance.now();
    const [a, b] = await both(r.conns[cmd.conn]!, c.conns[cmd.conn]!, args);
    ctx.skewMs = Math.max(ctx.skewMs, Math.ceil(performance.now() - t0) + 1);
    const queuedBefore = names(args)[0] === 'EXEC' ? tx.peek(cmd.conn) : null;
    const [nb, na] = tx.normalise(cmd.conn, args, b, a, ctx);
    if (na !== nb) return { index: i, conn: cmd.conn, args, redis: a, cachette: b };
    const ranRandomkey = (names(args)[0] === 'RANDOMKEY' && a !== '+QUEUED\r\n') || (queuedBefore !== null && queuedBefore.some((q) => names(q)[0] === 'RANDOMKEY'));
    if (ranRandomkey) {
      // RANDOMKEY deletes the expired keys it happens to land on, so the two
      // servers may now hold different not-yet-reclaimed keys (visible to
      // DBSIZE). A full SCAN deletes every expired key it visits, on both,
      // which brings them back to the same state. Its replies are not compared.
      await both(r.conns[cmd.conn]!, c.conns[cmd.conn]!, ['SCAN', '0', 'COUNT', '1000']);
    }
  }
  // A PING sentinel on every connection: a reply the last command left
  // behind (extra bytes) would come back in place of the PONG.
  for (let i = 0; i < CONNECTIONS; i++) {
    const [a, b] = await both(r.conns[i]!, c.conns[i]!, ['PING', 'sentinel']);
    if (a !== b) return { index: cmds.length - 1, conn: i, args: ['PING', 'sentinel', '(after the sequence)'], redis: a, cachette: b };
  }
  return null;
}

/** Quotes an argument the way redis-cli reads it back. */
function cliQuote(a: string): string {
  if (a.length > 0 && /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a)) return a;
  let out = '"';
  for (const ch of a) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** A failing sequence as a script to paste into redis-cli (connection switches as comments). */
export function toScript(proto: 2 | 3, cmds: Cmd[], m: Mismatch): string {
  const lines = [`# differential mismatch (RESP${proto}); paste into: redis-cli${proto === 3 ? ' -3' : ''}`];
  let conn = -1;
  const upto = m.index === -1 ? -1 : m.index;
  for (let i = 0; i <= upto; i++) {
    const c = cmds[i]!;
    if (c.conn !== conn) { lines.push(`# --- connection ${c.conn} ---`); conn = c.conn; }
    lines.push(materialize(c, i).map(cliQuote).join(' '));
  }
  if (m.index === -1) lines.push(`# during setup on connection ${m.conn}: ${m.args.map(cliQuote).join(' ')}`);
  if (m.conn === -1 && m.index >= 0) lines.push(`# compared: ${m.args.join(' ')}, seen by a PSUBSCRIBE __key*__:* watcher`);
  const show = (x: string): string => (x.length > 600 ? `${JSON.stringify(x.slice(0, 600))}... (${x.length} bytes)` : JSON.stringify(x));
  lines.push(`# redis replied:    ${show(m.redis)}`);
  lines.push(`# cachette replied: ${show(m.cachette)}`);
  const [nc, nr] = normalise(m.args, m.cachette, m.redis, { skewMs: 1 });
  if (nc !== m.cachette || nr !== m.redis) {
    // Where the two normalised forms part (what was actually compared).
    let k = 0;
    while (k < nc.length && k < nr.length && nc[k] === nr[k]) k++;
    const from = Math.max(0, k - 80);
    lines.push(`# compared as (from byte ${from}), redis:    ${show(nr.slice(from))}`);
    lines.push(`# compared as (from byte ${from}), cachette: ${show(nc.slice(from))}`);
    if (process.env.DIFF_DEBUG) lines.push(nr, nc);
  }
  return lines.join('\n');
}

export async function openSide(port: number): Promise<Side> {
  const conns: RespConn[] = [];
  for (let i = 0; i < CONNECTIONS; i++) conns.push(await RespConn.connect(port));
  return { conns, admin: await RespConn.connect(port), port };
}

export function closeSide(s: Side): void {
  for (const c of s.conns) c.close();
  s.admin.close();
}
