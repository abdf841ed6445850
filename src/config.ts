/**
 * Configuration: the table of parameters, their defaults, validation and
 * Redis's exact error texts for CONFIG SET, plus the redis.conf file reader.
 *
 * Each parameter is declared once (name, kind, default, range or values,
 * mutability). CONFIG GET, CONFIG SET, the CLI flags and config files all go
 * through this table, so they accept and reject the same values.
 */

import { readFileSync } from 'node:fs';
import { globMatch } from './glob.js';
import { parseMemory } from './numbers.js';
import { splitInline } from './protocol/request.js';

export const POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'] as const;
export type Policy = typeof POLICIES[number];
export const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;

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
  'active-expire-effort': number;
  maxclients: number;
  'proto-max-bulk-len': number;
  'client-query-buffer-limit': number;
  loglevel: typeof LOGLEVELS[number];
  save: string;
  appendonly: string;
}

type Kind =
  | { t: 'int'; min: number; max: number; clamp?: boolean }
  | { t: 'memory'; min: number; max: number }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'string' }
  | { t: 'fixed'; accepts: (v: string) => boolean; why: string };

interface ParamSpec {
  name: keyof Config;
  kind: Kind;
  def: string;
  mutable: boolean;
}

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

/** Every parameter cachette knows. Names and defaults are Redis 7.0's. */
export const PARAMS: readonly ParamSpec[] = [
  { name: 'port', kind: { t: 'int', min: 0, max: 65535 }, def: '6379', mutable: false },
  { name: 'bind', kind: { t: 'string' }, def: '127.0.0.1', mutable: false },
  { name: 'databases', kind: { t: 'int', min: 1, max: INT_MAX }, def: '16', mutable: false },
  { name: 'requirepass', kind: { t: 'string' }, def: '', mutable: true },
  { name: 'maxmemory', kind: { t: 'memory', min: 0, max: LLONG_MAX }, def: '0', mutable: true },
  { name: 'maxmemory-policy', kind: { t: 'enum', values: POLICIES }, def: 'noeviction', mutable: true },
  { name: 'maxmemory-samples', kind: { t: 'int', min: 1, max: INT_MAX }, def: '5', mutable: true },
  { name: 'maxmemory-eviction-tenacity', kind: { t: 'int', min: 0, max: 100 }, def: '10', mutable: true },
  { name: 'lfu-log-factor', kind: { t: 'int', min: 0, max: INT_MAX }, def: '10', mutable: true },
  { name: 'lfu-decay-time', kind: { t: 'int', min: 0, max: INT_MAX }, def: '1', mutable: true },
  { name: 'hz', kind: { t: 'int', min: 1, max: 500, clamp: true }, def: '10', mutable: true },
  { name: 'active-expire-effort', kind: { t: 'int', min: 1, max: 10 }, def: '1', mutable: true },
  { name: 'maxclients', kind: { t: 'int', min: 1, max: INT_MAX }, def: '10000', mutable: true },
  { name: 'proto-max-bulk-len', kind: { t: 'memory', min: 1024 * 1024, max: LLONG_MAX }, def: '536870912', mutable: true },
  { name: 'client-query-buffer-limit', kind: { t: 'memory', min: 1024 * 1024, max: LLONG_MAX }, def: '1073741824', mutable: true },
  { name: 'loglevel', kind: { t: 'enum', values: LOGLEVELS }, def: 'notice', mutable: true },
  // cachette keeps nothing on disk: these read as "off" and only accept "off".
  { name: 'save', kind: { t: 'fixed', accepts: (v) => v.trim() === '', why: 'cachette keeps no data on disk' }, def: '', mutable: true },
  { name: 'appendonly', kind: { t: 'fixed', accepts: (v) => v.toLowerCase() === 'no', why: 'cachette keeps no data on disk' }, def: 'no', mutable: true },
];

const BY_NAME = new Map<string, ParamSpec>(PARAMS.map((p) => [p.name, p]));

export function findParam(name: string): ParamSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Validates a value; returns the typed value or an error reason (Redis's words). */
export function parseParam(p: ParamSpec, raw: string): { value: string | number } | { error: string } {
  const k = p.kind;
  switch (k.t) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return { error: "argument couldn't be parsed into an integer" };
      let n = Number(raw);
      if (k.clamp) n = Math.min(k.max, Math.max(k.min, n));
      if (n < k.min || n > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: n };
    }
    case 'memory': {
      const n = parseMemory(raw);
      if (Number.isNaN(n)) return { error: 'argument must be a memory value' };
      if (n < k.min || n > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: n };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!k.values.includes(v)) return { error: `argument(s) must be one of the following: ${k.values.join(', ')}` };
      return { value: v };
    }
    case 'string':
      return { value: raw };
    case 'fixed':
      return k.accepts(raw) ? { value: p.def } : { error: k.why };
  }
}

/** Builds a full config from defaults plus overrides; throws Error with Redis-style text on a bad value. */
export function buildConfig(overrides: Partial<Record<string, string | number>> = {}): Config {
  const cfg: Record<string, string | number> = {};
  for (const p of PARAMS) {
    const r = parseParam(p, p.def);
    cfg[p.name] = (r as { value: string | number }).value;
  }
  for (const [name, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    const p = findParam(name);
    if (p === undefined) throw new Error(`Bad directive or wrong number of arguments: '${name}'`);
    const r = parseParam(p, String(v));
    if ('error' in r) throw new Error(`Invalid argument '${v}' for '${p.name}': ${r.error}`);
    cfg[p.name] = r.value;
  }
  return cfg as unknown as Config;
}

/** The value CONFIG GET shows. */
export function formatParam(cfg: Config, p: ParamSpec): string {
  return String(cfg[p.name]);
}

/** CONFIG GET: every parameter matching any of the patterns (case-insensitive glob). */
export function configGet(cfg: Config, patterns: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const p of PARAMS) {
    for (const pat of patterns) {
      if (globMatch(pat, p.name, true)) { out.push([p.name, formatParam(cfg, p)]); break; }
    }
  }
  return out;
}

/**
 * CONFIG SET name value [name value ...]: all or nothing. Returns null on
 * success, or the full error text (without '-').
 */
export function configSet(cfg: Config, pairs: string[], apply: (name: keyof Config) => void): string | null {
  const seen = new Set<string>();
  const staged: Array<[ParamSpec, string | number]> = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const p = findParam(name);
    if (p === undefined) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
    if (seen.has(p.name)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
    seen.add(p.name);
    if (!p.mutable) return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
    const r = parseParam(p, pairs[i + 1]!);
    if ('error' in r) return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${r.error}`;
    staged.push([p, r.value]);
  }
  const c = cfg as unknown as Record<string, string | number>;
  for (const [p, v] of staged) c[p.name] = v;
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
