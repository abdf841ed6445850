/**
 * Configuration: the table of parameters, their defaults, validation and
 * Redis's exact error texts for CONFIG SET, plus the redis.conf file reader.
 *
 * Each parameter is declared once (name, kind, default, range or values,
 * mutability). CONFIG GET, CONFIG SET, the CLI flags and config files all go
 * through this table, so they accept and reject the same values.
 */

import { formatNotifyFlags, parseNotifyFlags } from './notify.js';
import { readFileSync } from 'node:fs';
import { globMatch } from './glob.js';
import { cstr } from './protocol/reply.js';
import { configSetFailed, configSetUnknown } from './errors.js';
import { parseInt64 } from './numbers.js';
import { splitInline } from './protocol/request.js';

export const POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'] as const;
export type Policy = typeof POLICIES[number];
export const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

/** The typed configuration every module reads. */
export interface Config {
  port: number;
  bind: string;
  databases: number;
  requirepass: string;
  maxmemory: number;
  'maxmemory-policy': Policy;
  'maxmemory-samples': number;
  'maxmemory-eviction-tenacity': number;
  'lfu-log-factor': number;
  'lfu-decay-time': number;
  hz: number;
  'busy-reply-threshold': number;
  'active-expire-effort': number;
  maxclients: number;
  'proto-max-bulk-len': number;
  'client-query-buffer-limit': number;
  loglevel: typeof LOGLEVELS[number];
  save: string;
  appendonly: string;
  'lazyfree-lazy-eviction': string;
  'lazyfree-lazy-expire': string;
  'lazyfree-lazy-server-del': string;
  'lazyfree-lazy-user-del': string;
  'lazyfree-lazy-user-flush': string;
  'enable-debug-command': string;
  'enable-debug-jump': string;
  'notify-keyspace-events': string;
  'protected-mode': string;
  timeout: number;
  'tcp-keepalive': number;
  'client-output-buffer-limit': string;
  'hash-max-listpack-entries': number;
  'hash-max-listpack-value': number;
  'set-max-intset-entries': number;
  'zset-max-listpack-entries': number;
  'zset-max-listpack-value': number;
  'list-max-listpack-size': number;
  'list-compress-depth': number;
  'stream-node-max-bytes': number;
  'stream-node-max-entries': number;
}

/** One class's output buffer limits (bytes, bytes, seconds; 0 = none). */
export interface ObufLimit { hard: number; soft: number; softSeconds: number }

/** Exact decimal text of memory values beyond 2^53 (stored as numbers), for CONFIG GET. */
const exactText = new WeakMap<Config, Map<string, string>>();

type Kind =
  /** Integer with Redis's range (bigint bounds for 64-bit ones); `clamp` then narrows it further (hz). */
  | { t: 'int'; min: number | bigint; max: number | bigint; clamp?: [number, number] }
  /** Memory value (units), with a signed or unsigned 64-bit range. */
  | { t: 'memory'; min: bigint; max: bigint; signed: boolean }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'bool' }
  | { t: 'string' }
  /** client-output-buffer-limit: `<class> <hard> <soft> <soft seconds>` groups. */
  | { t: 'obuf' }
  /** notify-keyspace-events: class letters, stored normalised (notify.ts). */
  | { t: 'notify' }
  /** A setting cachette only supports in one state (persistence off). */
  | { t: 'fixed'; bool: boolean; accepts: (v: string) => boolean; why: string; check?: (v: string) => string | null };

interface ParamSpec {
  name: keyof Config;
  kind: Kind;
  def: string;
  mutable: boolean;
  /**
   * Redis 7.0's old name for the parameter (hash-max-ziplist-entries for
   * hash-max-listpack-entries...). As in Redis, the alias is a parameter of
   * its own for CONFIG GET patterns and CONFIG SET's duplicate check, and
   * reads and writes the same setting.
   */
  alias?: string;
}

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

/** Every parameter cachette knows. Names, defaults and ranges are Redis 7.0's. */
export const PARAMS: readonly ParamSpec[] = [
  { name: 'port', kind: { t: 'int', min: 0, max: 65535 }, def: '6379', mutable: false },
  { name: 'bind', kind: { t: 'string' }, def: '127.0.0.1', mutable: false },
  { name: 'databases', kind: { t: 'int', min: 1, max: INT_MAX }, def: '16', mutable: false },
  { name: 'requirepass', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'maxmemory', kind: { t: 'memory', min: 0n, max: ULLONG_MAX, signed: false }, def: '0', mutable: true },
  { name: 'maxmemory-policy', kind: { t: 'enum', values: POLICIES }, def: 'noeviction', mutable: true },
  { name: 'maxmemory-samples', kind: { t: 'int', min: 1, max: INT_MAX }, def: '5', mutable: true },
  { name: 'maxmemory-eviction-tenacity', kind: { t: 'int', min: 0, max: 100 }, def: '10', mutable: true },
  { name: 'lfu-log-factor', kind: { t: 'int', min: 0, max: INT_MAX }, def: '10', mutable: true },
  { name: 'lfu-decay-time', kind: { t: 'int', min: 0, max: INT_MAX }, def: '1', mutable: true },
  { name: 'busy-reply-threshold', alias: 'lua-time-limit', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '5000', mutable: true },
  { name: 'hz', kind: { t: 'int', min: 0, max: INT_MAX, clamp: [1, 500] }, def: '10', mutable: true },
  { name: 'active-expire-effort', kind: { t: 'int', min: 1, max: 10 }, def: '1', mutable: true },
  { name: 'maxclients', kind: { t: 'int', min: 1, max: UINT_MAX }, def: '10000', mutable: true },
  { name: 'proto-max-bulk-len', kind: { t: 'memory', min: 1048576n, max: LLONG_MAX, signed: true }, def: '536870912', mutable: true },
  { name: 'client-query-buffer-limit', kind: { t: 'memory', min: 1048576n, max: LLONG_MAX, signed: true }, def: '1073741824', mutable: true },
  { name: 'loglevel', kind: { t: 'enum', values: LOGLEVELS }, def: 'notice', mutable: true },
  // cachette keeps nothing on disk: these read as "off" and only accept "off".
  { name: 'save', kind: { t: 'fixed', bool: false, accepts: (v) => v === '', why: 'cachette keeps no data on disk', check: validSave }, def: '', mutable: true },
  { name: 'appendonly', kind: { t: 'fixed', bool: true, accepts: (v) => v.toLowerCase() === 'no', why: 'cachette keeps no data on disk' }, def: 'no', mutable: true },
  // Deletes free memory through the GC, never in the command path, so these
  // are accepted for compatibility and behave alike either way.
  { name: 'lazyfree-lazy-eviction', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-expire', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-server-del', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-del', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-flush', kind: { t: 'bool' }, def: 'no', mutable: true },
  { name: 'enable-debug-command', kind: { t: 'enum', values: ['no', 'yes', 'local'] }, def: 'no', mutable: false },
  // cachette only (not in Redis): allows DEBUG JUMP / DEBUG SET-CLOCK, which move the server's clock.
  { name: 'enable-debug-jump', kind: { t: 'enum', values: ['no', 'yes'] }, def: 'no', mutable: false },
  { name: 'protected-mode', kind: { t: 'bool' }, def: 'yes', mutable: true },
  { name: 'timeout', kind: { t: 'int', min: 0, max: INT_MAX }, def: '0', mutable: true },
  { name: 'tcp-keepalive', kind: { t: 'int', min: 0, max: INT_MAX }, def: '300', mutable: true },
  { name: 'notify-keyspace-events', kind: { t: 'notify' }, def: '', mutable: true },
  { name: 'client-output-buffer-limit', kind: { t: 'obuf' }, def: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true },
  // Encoding thresholds of the data types (types/*.ts): past them a value
  // converts to its big encoding for good. Defaults are Redis 7.0.15's
  // (hash-max-listpack-entries is 512 there, not redis.conf's 128).
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '512', mutable: true },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', kind: { t: 'memory', min: 0n, max: LLONG_MAX, signed: false }, def: '64', mutable: true },
  { name: 'set-max-intset-entries', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '512', mutable: true },
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '128', mutable: true },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', kind: { t: 'memory', min: 0n, max: LLONG_MAX, signed: false }, def: '64', mutable: true },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', kind: { t: 'int', min: -INT_MAX - 1, max: INT_MAX }, def: '-2', mutable: true },
  { name: 'list-compress-depth', kind: { t: 'int', min: 0, max: INT_MAX }, def: '0', mutable: true },
  { name: 'stream-node-max-bytes', kind: { t: 'memory', min: 0n, max: LLONG_MAX, signed: false }, def: '4096', mutable: true },
  { name: 'stream-node-max-entries', kind: { t: 'int', min: 0, max: LLONG_MAX }, def: '100', mutable: true },
];

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;

/**
 * Parses client-output-buffer-limit groups over `current` (a SET may name only
 * some classes, as in Redis; `replica` is an alias of `slave`). Returns the
 * full normalised value, or Redis's error text.
 */
function parseObuf(raw: string, current: string): { value: string } | { error: string } {
  // Redis splits on every single space (sdssplitlen), so doubled or leading
  // spaces make empty words and a wrong count, as there.
  const words = raw === '' ? [] : raw.split(' ');
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const limits = obufLimits(current);
  const text = obufTexts(current);
  for (let i = 0; i < words.length; i += 4) {
    let cls = cstr(words[i]!).toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!(OBUF_CLASSES as readonly string[]).includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(words[i + 1]!);
    const soft = memtoull(words[i + 2]!);
    const secs = strtollToInt(words[i + 3]!);
    if (hard === null || soft === null || secs === null || secs < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    const c = cls as typeof OBUF_CLASSES[number];
    limits[c] = { hard: Number(hard), soft: Number(soft), softSeconds: secs };
    text[c] = `${c} ${hard} ${soft} ${secs}`;
  }
  return { value: OBUF_CLASSES.map((c) => text[c]).join(' ') };
}

/** Each class's words in a normalised client-output-buffer-limit value (exact, as printed). */
function obufTexts(value: string): Record<typeof OBUF_CLASSES[number], string> {
  const w = value.split(' ');
  const out = {} as Record<typeof OBUF_CLASSES[number], string>;
  for (let i = 0; i + 3 < w.length; i += 4) out[w[i] as typeof OBUF_CLASSES[number]] = w.slice(i, i + 4).join(' ');
  return out;
}

/**
 * `(int) strtoll(s, &end, 10)` with `*end == '\0'` required, as Redis reads
 * soft_seconds: C string (up to a NUL), leading white space, a sign, digits;
 * overflow saturates to the long long limits, then the int keeps the low 32
 * bits. No digits at all parses as 0 only when nothing follows. Linear in the
 * input, whatever its length. null when characters are left over.
 */
function strtollToInt(raw: string): number | null {
  const s = cstr(raw);
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  const digitsFrom = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === digitsFrom) return s.length === 0 ? 0 : null; // no conversion: end points at the start
  if (i !== s.length) return null;
  const d = s.slice(digitsFrom).replace(/^0+/, '');
  let v: bigint;
  if (d.length > 19) v = neg ? -(LLONG_MAX + 1n) : LLONG_MAX; // ERANGE
  else {
    v = BigInt(d === '' ? '0' : d);
    if (neg) v = -v;
    if (v > LLONG_MAX) v = LLONG_MAX;
    if (v < -(LLONG_MAX + 1n)) v = -(LLONG_MAX + 1n);
  }
  return Number(BigInt.asIntN(32, v));
}

/** The limits of each class in a normalised client-output-buffer-limit value. */
export function obufLimits(value: string): Record<typeof OBUF_CLASSES[number], ObufLimit> {
  const w = value.split(' ');
  const out = {} as Record<typeof OBUF_CLASSES[number], ObufLimit>;
  for (let i = 0; i + 3 < w.length; i += 4) {
    out[w[i] as typeof OBUF_CLASSES[number]] = { hard: Number(w[i + 1]), soft: Number(w[i + 2]), softSeconds: Number(w[i + 3]) };
  }
  return out;
}

/** Redis's check of a `save` value: "" or pairs of non-negative integers separated by spaces. */
function validSave(v: string): string | null {
  if (v === '') return null;
  const parts = v.split(' ');
  if (parts.length % 2 !== 0 || parts.some((p) => !/^\d+$/.test(p))) return 'Invalid save parameters';
  return null;
}

/** A name CONFIG knows: a parameter's own name or its alias. */
interface ParamName { name: string; spec: ParamSpec }

/** Every name, canonical and alias, in declaration order (CONFIG GET patterns walk this). */
const NAMES: readonly ParamName[] = PARAMS.flatMap((p) => p.alias !== undefined
  ? [{ name: p.name, spec: p }, { name: p.alias, spec: p }]
  : [{ name: p.name, spec: p }]);

const BY_NAME = new Map<string, ParamName>(NAMES.map((n) => [n.name, n]));

function findName(name: string): ParamName | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function findParam(name: string): ParamSpec | undefined {
  return findName(name)?.spec;
}

/**
 * Redis 7.0's memtoull: a C string (up to a NUL) of digits with an optional
 * unit (b k kb m mb g gb, any case); no sign; at most 127 digits (Redis copies
 * them into a 128-byte buffer and refuses more, which also bounds the BigInt
 * work here); strtoull saturates, and the multiplication wraps as in C.
 * null when invalid.
 */
function memtoull(raw: string): bigint | null {
  const s = cstr(raw);
  let u = 0;
  while (u < s.length && s.charCodeAt(u) >= 48 && s.charCodeAt(u) <= 57) u++;
  const unit = s.slice(u).toLowerCase();
  const mul = unit === '' || unit === 'b' ? 1n : unit === 'k' ? 1000n : unit === 'kb' ? 1024n : unit === 'm' ? 1000000n
    : unit === 'mb' ? 1048576n : unit === 'g' ? 1000000000n : unit === 'gb' ? 1073741824n : null;
  if (mul === null || u >= 128) return null;
  let v = BigInt(u === 0 ? '0' : s.slice(0, u));
  if (v > ULLONG_MAX) v = ULLONG_MAX; // strtoull saturates
  return (v * mul) & ULLONG_MAX; // and the multiplication wraps, as in C
}

/** Validates a value; returns the value to store or an error reason (Redis's words). */
export function parseParam(p: ParamSpec, raw: string, cfg?: Config): { value: string | number; exact?: string } | { error: string } {
  const k = p.kind;
  switch (k.t) {
    case 'obuf':
      return parseObuf(raw, cfg !== undefined ? String(cfg[p.name]) : p.def);
    case 'notify': {
      const flags = parseNotifyFlags(raw);
      if (flags === -1) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
      // Stored as given: Redis's normalised form drops 'n' when 'A' is set,
      // but the flag stays on. CONFIG GET shows the normalised form.
      return { value: raw };
    }
    case 'int': {
      const v = parseInt64(raw);
      if (v === null) return { error: "argument couldn't be parsed into an integer" };
      if (v < k.min || v > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      let n = Number(v);
      if (k.clamp) n = Math.min(k.clamp[1], Math.max(k.clamp[0], n));
      return { value: n };
    }
    case 'memory': {
      let v = memtoull(raw);
      if (v === null) return { error: 'argument must be a memory value' };
      if (k.signed && v > LLONG_MAX) v -= 1n << 64n; // stored in a long long
      if (v < k.min || v > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: Number(v), exact: v.toString() };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!k.values.includes(v)) return { error: `argument(s) must be one of the following: ${k.values.join(', ')}` };
      return { value: v };
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { error: "argument must be 'yes' or 'no'" };
      return { value: v };
    }
    case 'string':
      return { value: raw };
    case 'fixed': {
      if (k.bool && raw.toLowerCase() !== 'yes' && raw.toLowerCase() !== 'no') return { error: "argument must be 'yes' or 'no'" };
      const bad = k.check?.(raw) ?? null;
      if (bad !== null) return { error: bad };
      return k.accepts(raw) ? { value: p.def } : { error: k.why };
    }
  }
}

/** Builds a full config from defaults plus overrides; throws Error with Redis-style text on a bad value. */
export function buildConfig(overrides: Partial<Record<string, string | number>> = {}): Config {
  const cfg = {} as Config;
  for (const p of PARAMS) store(cfg, p, parseParam(p, p.def) as { value: string | number });
  for (const [name, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    const p = findParam(name);
    if (p === undefined) throw new Error(`Bad directive or wrong number of arguments: '${name}'`);
    const r = parseParam(p, String(v), cfg);
    if ('error' in r) throw new Error(`Invalid argument '${v}' for '${p.name}': ${r.error}`);
    store(cfg, p, r);
  }
  return cfg;
}

/** The value CONFIG GET shows. */
export function formatParam(cfg: Config, p: ParamSpec): string {
  const v = cfg[p.name];
  if (p.kind.t === 'notify') return formatNotifyFlags(parseNotifyFlags(String(v)));
  if (typeof v === 'number' && v > Number.MAX_SAFE_INTEGER) return exactText.get(cfg)?.get(p.name) ?? String(v);
  return String(v);
}

function store(cfg: Config, p: ParamSpec, r: { value: string | number; exact?: string }): void {
  (cfg as unknown as Record<string, string | number>)[p.name] = r.value;
  if (r.exact !== undefined) {
    let m = exactText.get(cfg);
    if (m === undefined) exactText.set(cfg, (m = new Map()));
    m.set(p.name, r.exact);
  }
}

/**
 * CONFIG GET: every parameter matching any of the patterns (case-insensitive
 * glob). A pattern without glob characters is an exact lookup, and the reply
 * names the parameter as the client spelled it (as Redis does).
 */
export function configGet(cfg: Config, patterns: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // Names already in the reply, compared without case (an alias is a name of its own).
  const seen = new Set<string>();
  for (const pat of patterns) {
    // Redis tests for glob characters with strpbrk and matches with
    // stringmatch (strlen): both see the pattern only up to its first NUL.
    const glob = cstr(pat);
    if (!/[[*?]/.test(glob)) {
      const n = findName(pat);
      const lower = pat.toLowerCase();
      if (n !== undefined && !seen.has(lower)) { seen.add(lower); out.push([pat, formatParam(cfg, n.spec)]); }
      continue;
    }
    for (const n of NAMES) {
      if (!seen.has(n.name) && globMatch(glob, n.name, true)) { seen.add(n.name); out.push([n.name, formatParam(cfg, n.spec)]); }
    }
  }
  return out;
}

/**
 * CONFIG SET name value [name value ...]: all or nothing. Names are checked
 * first (unknown, immutable, duplicate), then values. Returns null on success,
 * or the full error text (without '-').
 */
export function configSet(cfg: Config, pairs: string[], apply: (name: keyof Config) => void): string | null {
  const seen = new Set<string>();
  const names: ParamName[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const name = cstr(pairs[i]!);
    const n = findName(name);
    if (n === undefined) return configSetUnknown(name);
    if (!n.spec.mutable) return configSetFailed(name, "can't set immutable config");
    // An alias and its parameter are two names here, as in Redis: both may be set, the last wins.
    if (seen.has(n.name)) return configSetFailed(name, 'duplicate parameter');
    seen.add(n.name);
    names.push(n);
  }
  const staged: Array<[ParamSpec, { value: string | number; exact?: string }]> = [];
  for (let i = 0; i < names.length; i++) {
    const { name, spec: p } = names[i]!;
    const r = parseParam(p, pairs[i * 2 + 1]!, cfg);
    if ('error' in r) return configSetFailed(name, r.error);
    staged.push([p, r]);
  }
  for (const [p, r] of staged) store(cfg, p, r);
  for (const [p] of staged) apply(p.name);
  return null;
}

/**
 * Reads a redis.conf-style file: one directive per line, `#` comments,
 * arguments split with Redis's quoting rules. Returns directive -> value.
 */
export function readConfigFile(path: string): Record<string, string> {
  const text = readFileSync(path);
  const out: Record<string, string> = {};
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf(10, start);
    if (end === -1) end = text.length;
    lineNo++;
    const args = splitInline(text, start, end);
    start = end + 1;
    if (args === null) throw new Error(`line ${lineNo}: unbalanced quotes`);
    if (args.length === 0 || args[0]!.startsWith('#')) continue;
    const name = args[0]!.toLowerCase();
    if (findParam(name) === undefined) throw new Error(`line ${lineNo}: Bad directive or wrong number of arguments: '${args[0]}'`);
    out[name] = args.slice(1).join(' ');
  }
  return out;
}
