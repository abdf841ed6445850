/**
 * Redis 7.0 functions (functions.c, function_lua.c): libraries of Lua functions loaded with
 * FUNCTION LOAD and called with FCALL/FCALL_RO. The commands are in commands/functions.ts; the
 * running machinery (the coroutine, the busy yield, FUNCTION KILL) is scripting.ts's, shared
 * with EVAL.
 *
 * A library is `#!lua name=<lib>` and Lua code that calls redis.register_function (positional
 * name and callback, or a table with function_name, callback, description and flags). Loading
 * runs the code once in the functions' own Lua state (built on first use), with a 500 ms budget
 * (FUNCTION LOAD timeout); the callbacks stay in the registry. A failed load leaves nothing
 * behind: the new library's functions are unreferenced and the old one (REPLACE) is kept.
 *
 * FUNCTION DUMP writes Redis's payload: per library the RDB opcode FUNCTION2 (245) and the code
 * as an RDB string, then the RDB version (10) and a CRC64 (Jones), little-endian. cachette
 * writes strings uncompressed (Redis can load them) and reads LZF-compressed ones, so Redis's
 * own dumps restore here. Costs: LOAD is one compile and one run of the library; FCALL is a map
 * lookup and a coroutine resume, as EVALSHA.
 */
import { performance } from 'node:perf_hooks';
import type { Server } from './server.js';
import type { Client } from './connection.js';
import type { Command } from './commands/table.js';
import { fixSyntax51, loadScript, pushInternal, type Sandbox } from './lua/sandbox.js';
import { errorInfo, pushErrorTable } from './lua/convert.js';
import { LUA_MASKCOUNT, LUA_OK, LUA_REGISTRYINDEX, LUA_TFUNCTION, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE } from './lua/vm.js';
import { SCRIPT_FLAG_NAMES } from './scripting.js';
import { splitInline } from './protocol/request.js';
import {
  FN_ALREADY_IN_LIBRARY, FN_BAD_NAME, FN_INVALID_METADATA, FN_LOAD_TIMEOUT, FN_MISSING_METADATA, FN_NAME_NOT_GIVEN,
  FN_NAME_TWICE, FN_NO_FUNCTIONS, FN_REGISTER_ARGS, FN_REGISTER_OUTSIDE, fnCompileError, fnEngineNotFound,
  fnFunctionExists, fnInvalidMetadataValue, fnLibraryExists, fnLibraryExistsRestore, fnRegisterError, FN_REGISTER_NAMED,
  FN_REGISTER_KEY, FN_REGISTER_NAME_TYPE, FN_REGISTER_DESC_TYPE, FN_REGISTER_CALLBACK_TYPE, FN_REGISTER_FLAGS_TYPE,
  FN_REGISTER_UNKNOWN_FLAG, FN_REGISTER_UNKNOWN_ARG, FN_REGISTER_NO_NAME, FN_REGISTER_NO_CALLBACK, FN_REGISTER_FIRST,
  FN_REGISTER_SECOND, FN_BAD_NAME_IN_LUA, DUMP_PAYLOAD_BAD, FN_NOT_A_FUNCTION, FN_PAYLOAD_BAD, err,
} from './errors.js';

/** One registered function. */
export interface LibFunction {
  name: string;
  description: string | null;
  flags: number;
  /** Registry reference of the Lua function in the functions state. */
  ref: number;
  lib: Library;
}

/** One library: its code and its functions, in registration order. */
export interface Library {
  name: string;
  code: string;
  functions: Map<string, LibFunction>;
}

const LOAD_TIMEOUT_MS = 500;
const NAME_RE = /^[A-Za-z0-9_]+$/;

export class Functions {
  /** Libraries by name; functions by lower-case name (Redis's dicts compare names without case). */
  readonly libraries = new Map<string, Library>();
  readonly functions = new Map<string, LibFunction>();
  private sbCache: Sandbox | null = null;
  /** The library being loaded (redis.register_function adds to it). */
  private loading: { lib: Library; deadline: number } | null = null;

  constructor(readonly server: Server) {}

  get sb(): Sandbox | null { return this.sbCache; }

  /** The functions' Lua state, built on first use. */
  sandbox(): Sandbox {
    if (this.sbCache === null) this.sbCache = this.server.scripting.newSandbox();
    return this.sbCache;
  }

  functionCount(): number {
    return this.functions.size;
  }

  /** INFO used_memory_vm_functions: the functions state's heap (0 before the first library). */
  vmMemory(): number {
    return this.sbCache === null ? 0 : this.server.scripting.luaMemory(this.sbCache);
  }

  /** INFO used_memory_functions: an estimate of Redis's account (names, code, dictionaries). */
  memory(): number {
    let n = 200;
    for (const lib of this.libraries.values()) {
      n += 64 + lib.name.length + lib.code.length;
      for (const f of lib.functions.values()) n += 64 + f.name.length + (f.description?.length ?? 0);
    }
    return n;
  }

  /** Finds a function for FCALL (names compare without case, as Redis's dict). */
  find(name: string): LibFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  /**
   * Redis's functionsCreateWithLibraryCtx: parses the metadata, compiles and runs the library,
   * and links it (replacing a library of the same name when `replace`). Returns the library's
   * name, or an error text. With `into` (RESTORE), the library is only built, not linked.
   */
  load(code: string, replace: boolean, link = true): Library | string {
    const md = parseMetadata(code);
    if (typeof md === 'string') return md;
    if (!NAME_RE.test(md.name)) return FN_BAD_NAME;
    if (md.engine.toLowerCase() !== 'lua') return fnEngineNotFound(md.engine);
    const old = this.libraries.get(md.name);
    if (link && old !== undefined && !replace) return fnLibraryExists(md.name);
    const lib: Library = { name: md.name, code, functions: new Map() };
    const err = this.runLibrary(lib, code.slice(md.codeStart));
    if (err !== null) { this.release(lib); return err; }
    if (lib.functions.size === 0) { this.release(lib); return FN_NO_FUNCTIONS; }
    if (!link) return lib;
    for (const f of lib.functions.values()) {
      const have = this.functions.get(f.name.toLowerCase());
      if (have !== undefined && have.lib !== old) { this.release(lib); return fnFunctionExists(f.name); }
    }
    if (old !== undefined) this.unlink(old, true);
    this.link(lib);
    return lib;
  }

  private link(lib: Library): void {
    this.libraries.set(lib.name, lib);
    for (const f of lib.functions.values()) this.functions.set(f.name.toLowerCase(), f);
  }

  private unlink(lib: Library, free: boolean): void {
    this.libraries.delete(lib.name);
    for (const f of lib.functions.values()) this.functions.delete(f.name.toLowerCase());
    if (free) this.release(lib);
  }

  /** Drops a library's callbacks from the registry. */
  private release(lib: Library): void {
    const sb = this.sbCache;
    if (sb === null) return;
    for (const f of lib.functions.values()) sb.vm.m._luaL_unref(sb.L, LUA_REGISTRYINDEX, f.ref);
    lib.functions.clear();
  }

  /** Compiles and runs the library's code, collecting its functions; an error text or null. */
  private runLibrary(lib: Library, body: string): string | null {
    const sb = this.sandbox();
    const { vm, L } = sb;
    const m = vm.m;
    const eng = this.server.scripting;
    if (loadScript(vm, L, Buffer.from(body, 'latin1'), '@user_function') !== LUA_OK) {
      const msg = vm.toLatin1(L, -1);
      m._lua_settop(L, 0);
      return fnCompileError(fixSyntax51(msg));
    }
    this.loading = { lib, deadline: performance.now() + LOAD_TIMEOUT_MS };
    eng.registrar = (LL) => this.registerFunction(LL);
    eng.loadHook = () => this.loadHook();
    m._lua_sethook(L, eng.hookPointer(vm), LUA_MASKCOUNT, 100_000);
    let st: number;
    setLoadMode(sb, true);
    try {
      st = eng.withHost(sb, () => m._lua_pcallk(L, 0, 0, 0, 0, 0));
    } finally {
      setLoadMode(sb, false);
      m._lua_sethook(L, 0, 0, 0);
      this.loading = null;
      eng.registrar = null;
      eng.loadHook = null;
    }
    if (st === LUA_OK) return null;
    let msg: string;
    if (m._lua_type(L, -1) === LUA_TSTRING || m._lua_type(L, -1) === LUA_TNUMBER) msg = err(vm.toLatin1(L, -1));
    else if (m._lua_type(L, -1) === LUA_TTABLE) msg = errorInfo(vm, L).msg;
    else msg = err('unknown error');
    m._lua_settop(L, 0);
    return fnRegisterError(msg);
  }

  /** The load budget: called by the count hook while a library loads. */
  private loadHook(): void {
    const l = this.loading;
    const sb = this.sbCache;
    if (l === null || sb === null || performance.now() <= l.deadline) return;
    sb.vm.m._lua_sethook(sb.L, this.server.scripting.hookPointer(sb.vm), 4, 0);
    pushErrorTable(sb.vm, sb.L, FN_LOAD_TIMEOUT, false);
    sb.vm.raiseTop(sb.L);
  }

  /** redis.register_function (function_lua.c's luaRegisterFunction). */
  private registerFunction(L: number): number {
    const sb = this.sandbox();
    const vm = sb.vm;
    const m = vm.m;
    const raise = (text: string): never => { pushErrorTable(vm, L, text, false); return vm.raiseTop(L); };
    const l = this.loading;
    if (l === null) raise(FN_REGISTER_OUTSIDE);
    const argc = m._lua_gettop(L);
    if (argc < 1 || argc > 2) raise(FN_REGISTER_ARGS);
    let name: string | null = null;
    let desc: string | null = null;
    let ref = -1;
    let flags = 0;
    const fail = (text: string): never => {
      if (ref !== -1) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
      return raise(text);
    };
    if (argc === 1) {
      if (m._lua_type(L, 1) !== LUA_TTABLE) fail(FN_REGISTER_NAMED);
      m._lua_pushnil(L);
      while (m._lua_next(L, 1)) {
        if (m._lua_type(L, -2) !== LUA_TSTRING && m._lua_type(L, -2) !== LUA_TNUMBER) fail(FN_REGISTER_KEY);
        m._lua_pushvalue(L, -2);
        const key = vm.toLatin1(L, -1).toLowerCase();
        m._lua_settop(L, -2);
        if (key === 'function_name') {
          if (!m._lua_isstring(L, -1)) fail(FN_REGISTER_NAME_TYPE);
          name = vm.toLatin1(L, -1);
        } else if (key === 'description') {
          if (!m._lua_isstring(L, -1)) fail(FN_REGISTER_DESC_TYPE);
          desc = vm.toLatin1(L, -1);
        } else if (key === 'callback') {
          if (m._lua_type(L, -1) !== LUA_TFUNCTION) fail(FN_REGISTER_CALLBACK_TYPE);
          if (ref !== -1) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
          ref = m._luaL_ref(L, LUA_REGISTRYINDEX);
          continue;
        } else if (key === 'flags') {
          if (m._lua_type(L, -1) !== LUA_TTABLE) fail(FN_REGISTER_FLAGS_TYPE);
          const f = readFlags(vm, L);
          if (f === null) fail(FN_REGISTER_UNKNOWN_FLAG);
          flags = f!;
        } else {
          fail(FN_REGISTER_UNKNOWN_ARG);
        }
        m._lua_settop(L, -2);
      }
      if (name === null) fail(FN_REGISTER_NO_NAME);
      if (ref === -1) fail(FN_REGISTER_NO_CALLBACK);
    } else {
      if (!m._lua_isstring(L, 1)) fail(FN_REGISTER_FIRST);
      name = vm.toLatin1(L, 1);
      if (m._lua_type(L, 2) !== LUA_TFUNCTION) fail(FN_REGISTER_SECOND);
      m._lua_settop(L, 2);
      ref = m._luaL_ref(L, LUA_REGISTRYINDEX);
    }
    if (!NAME_RE.test(name!)) fail(FN_BAD_NAME_IN_LUA);
    if (l!.lib.functions.has(name!)) fail(FN_ALREADY_IN_LIBRARY);
    l!.lib.functions.set(name!, { name: name!, description: desc, flags, ref, lib: l!.lib });
    return 0;
  }

  /** FUNCTION DELETE. */
  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (lib === undefined) return false;
    this.unlink(lib, true);
    return true;
  }

  /** FUNCTION FLUSH: every library, and a fresh Lua state. */
  flush(): void {
    for (const lib of [...this.libraries.values()]) this.unlink(lib, false);
    const sb = this.sbCache;
    if (sb !== null && this.server.scripting.run?.sb !== sb) {
      this.server.scripting.closeSandbox(sb);
      this.sbCache = null;
    }
  }

  /** FUNCTION DUMP's payload (see the file comment). */
  dump(): string {
    const parts: Buffer[] = [];
    for (const lib of this.libraries.values()) {
      parts.push(Buffer.from([245]), rdbLength(lib.code.length), Buffer.from(lib.code, 'latin1'));
    }
    parts.push(Buffer.from([10, 0]));
    const body = Buffer.concat(parts);
    const crc = crc64(body);
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(crc);
    return Buffer.concat([body, tail]).latin1Slice();
  }

  /**
   * FUNCTION RESTORE: an error text or null. `policy` is 'append', 'replace' or 'flush'.
   * Nothing changes unless every library loads and links.
   */
  restore(payload: string, policy: string): string | null {
    const codes = parseDump(Buffer.from(payload, 'latin1'));
    if (typeof codes === 'string') return codes;
    const libs: Library[] = [];
    for (const code of codes) {
      const lib = this.load(code, false, false);
      if (typeof lib === 'string') { for (const l of libs) this.release(l); return lib; }
      libs.push(lib);
    }
    const fail = (e: string): string => { for (const l of libs) this.release(l); return e; };
    if (policy === 'flush') {
      this.flushKeepState();
    } else {
      const replaced: Library[] = [];
      for (const lib of libs) {
        const old = this.libraries.get(lib.name);
        if (old === undefined) continue;
        if (policy !== 'replace') return fail(fnLibraryExistsRestore(lib.name));
        replaced.push(old);
      }
      for (const lib of libs) {
        for (const f of lib.functions.values()) {
          const have = this.functions.get(f.name.toLowerCase());
          if (have !== undefined && !replaced.includes(have.lib)) return fail(fnFunctionExists(f.name));
        }
      }
      for (const old of replaced) this.unlink(old, true);
    }
    for (const lib of libs) this.link(lib);
    return null;
  }

  /** FUNCTION RESTORE FLUSH: forgets the current libraries (their callbacks), keeping the state the new ones live in. */
  private flushKeepState(): void {
    for (const lib of [...this.libraries.values()]) this.unlink(lib, true);
  }

  /** FUNCTION STATS' counts. */
  stats(): { libraries: number; functions: number } {
    return { libraries: this.libraries.size, functions: this.functions.size };
  }

  /** Runs FCALL's function (the commands checked numkeys). */
  call(c: Client, f: LibFunction, keys: string[], argv: string[], ro: boolean, cmd: Command, callArgs: readonly string[]): void {
    const eng = this.server.scripting;
    eng.runScript(c, this.sandbox(), f.ref, keys, argv, f.name, f.flags, ro, false, cmd, callArgs);
  }
}

/** Globals resolve to the library API (`on`) or to the real globals (sandbox.ts's prelude). */
function setLoadMode(sb: Sandbox, on: boolean): void {
  const m = sb.vm.m;
  const top = m._lua_gettop(sb.L);
  pushInternal(sb, sb.L, 'loadMode');
  m._lua_pushboolean(sb.L, on ? 1 : 0);
  m._lua_pcallk(sb.L, 1, 0, 0, 0, 0);
  m._lua_settop(sb.L, top);
}

/** Reads a register_function flags table (on top of the stack): the flags, or null for an unknown one. */
function readFlags(vm: Sandbox['vm'], L: number): number | null {
  const m = vm.m;
  let flags = 0;
  for (let j = 1; ; j++) {
    m._lua_pushnumber(L, j);
    m._lua_gettable(L, -2);
    const t = m._lua_type(L, -1);
    if (t === LUA_TNIL) { m._lua_settop(L, -2); return flags; }
    if (!m._lua_isstring(L, -1)) { m._lua_settop(L, -2); return null; }
    const s = vm.toLatin1(L, -1).toLowerCase();
    m._lua_settop(L, -2);
    const def = SCRIPT_FLAG_NAMES.find(([n]) => n === s);
    if (def === undefined) return null;
    flags |= def[1];
  }
}

/** Redis's functionExtractLibMetaData. */
function parseMetadata(code: string): { name: string; engine: string; codeStart: number } | string {
  if (!code.startsWith('#!')) return FN_MISSING_METADATA;
  const nl = code.indexOf('\n');
  if (nl === -1) return FN_INVALID_METADATA;
  const parts = splitInline(Buffer.from(code.slice(0, nl), 'latin1'), 0, nl);
  if (parts === null || parts.length === 0) return FN_INVALID_METADATA;
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return FN_NAME_TWICE;
      name = p.slice(5);
      continue;
    }
    return fnInvalidMetadataValue(p);
  }
  if (name === null) return FN_NAME_NOT_GIVEN;
  return { name, engine, codeStart: nl };
}

// ---- the DUMP payload -----------------------------------------------------------------------

/** RDB length encoding (rdbSaveLen). */
function rdbLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

let CRC_TABLE: BigUint64Array | null = null;

/** Redis's crc64 (Jones polynomial, reflected), as DUMP/RESTORE use. */
export function crc64(b: Buffer): bigint {
  if (CRC_TABLE === null) {
    CRC_TABLE = new BigUint64Array(256);
    const poly = 0x95ac9329ac4bc9b5n;
    for (let i = 0; i < 256; i++) {
      let c = BigInt(i);
      for (let k = 0; k < 8; k++) c = (c & 1n) !== 0n ? (c >> 1n) ^ poly : c >> 1n;
      CRC_TABLE[i] = c;
    }
  }
  let crc = 0n;
  for (const byte of b) crc = CRC_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

/** The library codes in a FUNCTION DUMP payload, or the error text RESTORE replies. */
function parseDump(b: Buffer): string[] | string {
  if (b.length < 10) return DUMP_PAYLOAD_BAD;
  const ver = b.readUInt16LE(b.length - 10);
  const crc = b.readBigUInt64LE(b.length - 8);
  if (ver > 10 || crc64(b.subarray(0, b.length - 8)) !== crc) return DUMP_PAYLOAD_BAD;
  const end = b.length - 10;
  const codes: string[] = [];
  let p = 0;
  while (end - p > 0) {
    const type = b[p++]!;
    if (type !== 245 && type !== 246) return FN_NOT_A_FUNCTION;
    if (type === 246) return FN_PAYLOAD_BAD;
    const s = readRdbString(b, p, end);
    if (s === null) return FN_PAYLOAD_BAD;
    codes.push(s[0].latin1Slice());
    p = s[1];
  }
  return codes;
}

/** An RDB string at `p` (plain, or LZF-compressed); [bytes, next] or null. */
function readRdbString(b: Buffer, p: number, end: number): [Buffer, number] | null {
  const len = readLen(b, p, end);
  if (len === null) return null;
  const [n, enc, q] = len;
  if (!enc) {
    if (q + n > end) return null;
    return [b.subarray(q, q + n), q + n];
  }
  if (n !== 3) return null; // only LZF among the special encodings holds a library's code
  const c = readLen(b, q, end);
  if (c === null) return null;
  const u = readLen(b, c[2], end);
  if (u === null) return null;
  const from = u[2];
  if (from + c[0] > end) return null;
  const out = lzfDecompress(b.subarray(from, from + c[0]), u[0]);
  return out === null ? null : [out, from + c[0]];
}

function readLen(b: Buffer, p: number, end: number): [number, boolean, number] | null {
  if (p >= end) return null;
  const first = b[p]!;
  const type = first >> 6;
  if (type === 0) return [first & 0x3f, false, p + 1];
  if (type === 1) return p + 1 < end ? [((first & 0x3f) << 8) | b[p + 1]!, false, p + 2] : null;
  if (type === 3) return [first & 0x3f, true, p + 1];
  if (first === 0x80) return p + 4 < end ? [b.readUInt32BE(p + 1), false, p + 5] : null;
  if (first === 0x81) return p + 8 < end ? [Number(b.readBigUInt64BE(p + 1)), false, p + 9] : null;
  return null;
}

/** LZF decompression (lzf_d.c): literal runs and back references. */
function lzfDecompress(src: Buffer, outLen: number): Buffer | null {
  const out = Buffer.alloc(outLen);
  let ip = 0;
  let op = 0;
  while (ip < src.length) {
    let ctrl = src[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > src.length) return null;
      src.copy(out, op, ip, ip + ctrl);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += src[ip++]!;
      ref -= src[ip++]!;
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  return op === outLen ? out : null;
}
