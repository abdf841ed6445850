/**
 * Lua scripting: the mechanism behind EVAL/EVALSHA/SCRIPT and FCALL (Redis 7.0's eval.c,
 * script.c and script_lua.c). The commands are in commands/scripting.ts; the Lua state's
 * shape (5.1 shims, read-only globals) in lua/sandbox.ts and lua/prelude.ts; conversions in
 * lua/convert.ts; the `redis` object in lua/redis.ts.
 *
 * Engine: wasmoon's Lua 5.4 compiled to WebAssembly, driven through its C API (lua/vm.ts).
 * Each Server has its own Lua state for EVAL (built on first use, rebuilt by SCRIPT FLUSH) and
 * one for functions; both live in the one WASM module of the process.
 *
 * Script cache: SHA1 (lower-case hex) -> the compiled function, kept in the Lua registry. EVAL
 * compiles a body once; EVALSHA and SCRIPT LOAD/EXISTS use the cache. `#!lua flags=...` shebangs
 * are parsed at compile time (Redis's evalExtractShebangFlags).
 *
 * Running a script: the caller's database, `now` frozen at the script's start (every command
 * the script runs sees it), RESP2 for the script's own client until redis.setresp(3). Commands
 * called from the script run on a script client (a Client with no socket, addr "lua"), through
 * the same checks as Redis's scriptCall (unknown, arity, noscript, read-only, OOM), with
 * blocking commands refused (noscript) or non-blocking (denyBlocking); their reply bytes are
 * parsed into Lua values. Nothing else runs meanwhile: the script runs synchronously inside the
 * EVAL call, so it is atomic; keyspace events, WATCH, MONITOR (as `[db lua]`) happen as each
 * command runs; clients blocked on keys the script readied are served after it ends.
 *
 * Busy scripts (the busy yield): Node cannot answer sockets while JavaScript runs, and a Lua
 * loop is JavaScript running. So the script runs in a Lua coroutine with a count hook (every
 * 100,000 VM instructions, as Redis). Once the script has run `busy-reply-threshold` ms
 * (alias lua-time-limit) the server enters Redis's "timed out" state: it logs the slow script,
 * holds the caller's further requests, and from then on the hook yields the coroutine every
 * few milliseconds. EVAL's handler returns with the script suspended; the script is resumed by
 * setImmediate, so the event loop runs in between and other clients are served: every command
 * not flagged allow_busy gets `-BUSY Redis is busy running a script...` (the dispatcher checks
 * `server.busyScript`), eviction, active expiry and the serving of blocked clients wait, so the
 * script stays atomic: no command that could see or change the keyspace runs until it ends.
 * SCRIPT KILL (or FUNCTION KILL) marks a script that has not written as killed; the hook raises
 * "Script killed by user with SCRIPT KILL..." at its next turn (every line from then on, so
 * pcall cannot keep it alive); a script that wrote is -UNKILLABLE; SHUTDOWN NOSAVE stops the
 * server. When the script ends, its reply is sent and the caller's held requests run.
 * A script that runs inside MULTI/EXEC (or whose caller is not at the top level) cannot yield
 * (EXEC's loop is not resumable): it runs to the end, as in cachette before this mechanism.
 * The hook yields only the script's own coroutine, never one the script created, and never
 * inside a C call that cannot yield (a table.sort comparator): it waits for the next hook.
 *
 * Costs: EVALSHA is a cache lookup, two small tables (KEYS, ARGV) and one coroutine resume;
 * each redis.call copies its arguments out of and its reply into the WASM heap.
 */
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Client } from './connection.js';
import type { Server } from './server.js';
import type { Command } from './commands/table.js';
import { F } from './commands/table.js';
import type { Db } from './keyspace.js';
import { luaModule } from './lua/vm.js';
import {
  type LuaVM, LUA_MASKCOUNT, LUA_MASKLINE, LUA_OK, LUA_REGISTRYINDEX, LUA_TBOOLEAN, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_YIELD,
} from './lua/vm.js';
import { buildSandbox, errorPosition, fix51, fixSyntax51, loadScript, pushInternal, type Sandbox } from './lua/sandbox.js';
import { errorInfo, numberArg, pushErrorTable, pushReply, writeLuaValue, type ReplyTarget } from './lua/convert.js';
import { type ApiHost, Lrand48, mathRandom, raiseError, setApiHost, unregisterVm } from './lua/redis.js';
import {
  BUSY_EVAL, BUSY_FUNCTION, LUA_ACL_INVALID, LUA_CALL_OUTSIDE, LUA_BAD_ARGS, LUA_KILLED, LUA_FUNCTION_KILLED, LUA_LOG_ARGS, LUA_LOG_LEVEL,
  LUA_LOG_LEVEL_TYPE, LUA_NOSCRIPT_COMMAND, LUA_NO_ARGS, LUA_SETRESP_ARGS, LUA_SETRESP_VERSION, LUA_SET_REPL_ARGS,
  LUA_SET_REPL_FLAGS, LUA_UNKNOWN_COMMAND, LUA_WRITE_IN_RO, LUA_WRONG_ARITY, NOTBUSY, OOM, SCRIPT_OOM,
  SCRIPT_RO_WRITE_FLAG, SHEBANG_INVALID, SHEBANG_INVALID_ENGINE, UNKILLABLE, scriptCompileError, scriptErrorAt,
  shebangUnexpectedEngine, shebangUnexpectedFlag, shebangUnknownOption, err,
} from './errors.js';
import { splitInline } from './protocol/request.js';
import { sanitizeError } from './protocol/reply.js';

// Script flags (Redis's SCRIPT_FLAG_*), from a shebang or redis.register_function.
export const SF_NO_WRITES = 1 << 0;
export const SF_ALLOW_OOM = 1 << 1;
export const SF_ALLOW_STALE = 1 << 2;
export const SF_NO_CLUSTER = 1 << 3;
export const SF_ALLOW_CROSS_SLOT = 1 << 4;
/** No shebang: Redis's backwards-compatible EVAL mode. */
export const SF_EVAL_COMPAT = 1 << 5;

export const SCRIPT_FLAG_NAMES: ReadonlyArray<[string, number]> = [
  ['no-writes', SF_NO_WRITES], ['allow-oom', SF_ALLOW_OOM], ['allow-stale', SF_ALLOW_STALE],
  ['no-cluster', SF_NO_CLUSTER], ['allow-cross-slot-keys', SF_ALLOW_CROSS_SLOT],
];

/** busyScript values (Server.busyScript): what the BUSY reply names. */
export const BUSY_NONE = 0;
export const BUSY_IN_EVAL = 1;
export const BUSY_IN_FUNCTION = 2;

/** Instructions between two runs of the count hook (Redis's luaMaskCountHook period). */
const HOOK_COUNT = 100_000;
/** Once timed out, the script yields when it has run this long since it was last resumed. */
const SLICE_MS = 5;

/** One cached EVAL script. */
export interface CachedScript {
  sha: string;
  body: string;
  flags: number;
  /** Registry reference of the compiled function. */
  ref: number;
}

/** The state of the script being run (Redis's scriptRunCtx). */
export class RunCtx {
  readOnly = false;
  allowOom = false;
  writeDirty = false;
  killed = false;
  timedout = false;
  /** Set by the hook just before it yields, so a resume knows the yield was the hook's. */
  hookYielded = false;
  /** The script may be suspended (its caller is at the top level, not inside EXEC). */
  canYield = false;
  resp = 2;
  db: Db;
  sliceStart = 0;
  /** The caller's command (FUNCTION STATS shows it). */
  argv: readonly string[] = [];
  /** total_error_replies when the script started: errors in between make the call failed (as Redis counts). */
  errorsAtStart = 0;
  constructor(
    readonly caller: Client,
    readonly sb: Sandbox,
    readonly funcname: string,
    readonly evalMode: boolean,
    readonly cmd: Command,
    readonly start: number,
    readonly snapshot: number,
  ) {
    this.db = caller.db;
  }
}

/** A socket stand-in for the script client: it never reads and never writes. */
const NO_SOCKET = {
  remoteAddress: undefined, remotePort: undefined, localAddress: undefined, localPort: undefined,
  write: () => true, cork: () => {}, uncork: () => {}, end: () => {}, destroy: () => {}, writableLength: 0,
} as unknown as Socket;

let hookPtr = 0;
/** The engine loading a function library (its budget is checked by the same hook). */
let loadHookOwner: Scripting | null = null;
let hookOf: unknown = null;
/** The engine whose script is being resumed (the hook has no other way to find it). */
let active: Scripting | null = null;

export class Scripting implements ApiHost {
  private evalSb: Sandbox | null = null;
  /** The sandbox of the script being run (EVAL's or the functions'), for the API functions. */
  private cur: Sandbox | null = null;
  readonly scripts = new Map<string, CachedScript>();
  /** Bytes of the cached scripts (INFO used_memory_scripts_eval). */
  scriptsBytes = 0;
  /** The script running now (or suspended busy), else null. */
  run: RunCtx | null = null;
  /** The client scripts run their commands on (Redis's lua_client). */
  readonly client: Client;
  readonly rng = new Lrand48();
  private nresPtr = 0;
  private stopped = false;
  private readonly resumeCb = (): void => this.resumeSuspended();

  constructor(readonly server: Server) {
    const c = new Client(server, NO_SOCKET, 0);
    (c as { addr: string }).addr = 'lua';
    c.authenticated = true;
    c.denyBlocking = true;
    this.client = c;
  }

  get vm(): LuaVM { return (this.cur ?? this.sandbox()).vm; }

  /** The EVAL state, built on first use (the WASM module is loaded by Server.listen). */
  sandbox(): Sandbox {
    if (this.evalSb === null) {
      const m = luaModule();
      if (m === undefined) throw new Error('cachette: the Lua engine is not loaded (Server.listen() loads it)');
      this.evalSb = buildSandbox(m, false);
      if (this.nresPtr === 0) this.nresPtr = m._malloc(4);
    }
    return this.evalSb;
  }

  /** Makes a state for the functions engine (functions.ts). */
  newSandbox(): Sandbox {
    const m = luaModule();
    if (m === undefined) throw new Error('cachette: the Lua engine is not loaded (Server.listen() loads it)');
    if (this.nresPtr === 0) this.nresPtr = m._malloc(4);
    return buildSandbox(m, true);
  }

  /** Closes a state (SCRIPT FLUSH, FUNCTION FLUSH, server close). */
  closeSandbox(sb: Sandbox): void {
    unregisterVm(sb.vm);
    sb.vm.m._lua_close(sb.L);
  }

  // ---- the script cache --------------------------------------------------------------

  static sha1hex(body: string): string {
    return createHash('sha1').update(Buffer.from(body, 'latin1')).digest('hex');
  }

  /**
   * Redis's luaCreateFunction: compiles `body` into the cache (once per SHA1). Returns the
   * script, or an error text (shebang or compile error) to reply.
   */
  createScript(body: string): CachedScript | string {
    const sha = Scripting.sha1hex(body);
    const have = this.scripts.get(sha);
    if (have !== undefined) return have;
    const sheb = parseShebang(body);
    if (typeof sheb === 'string') return sheb;
    const sb = this.sandbox();
    const { vm, L } = sb;
    const code = Buffer.from(body.slice(sheb.len), 'latin1');
    if (loadScript(vm, L, code, '@user_script') !== LUA_OK) {
      const msg = fixSyntax51(vm.toLatin1(L, -1));
      vm.m._lua_settop(L, 0);
      return scriptCompileError(msg);
    }
    const ref = vm.m._luaL_ref(L, LUA_REGISTRYINDEX);
    const s: CachedScript = { sha, body, flags: sheb.flags, ref };
    this.scripts.set(sha, s);
    // Redis counts the SHA's sds and the body's: ~ 40 + body bytes + headers.
    this.scriptsBytes += 48 + body.length + 16;
    return s;
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state (Redis's scriptingReset). */
  flush(): void {
    this.lookedUp = null;
    this.scripts.clear();
    this.scriptsBytes = 0;
    if (this.evalSb !== null && this.run?.sb !== this.evalSb) {
      this.closeSandbox(this.evalSb);
      this.evalSb = null;
    }
  }

  /** INFO used_memory_lua: the EVAL state's heap (a fresh state is built to measure one). */
  luaMemory(sb: Sandbox | null = this.evalSb): number {
    const s = sb ?? this.sandbox();
    const m = s.vm.m;
    pushInternal(s, s.L, 'collectgarbage');
    s.vm.pushLatin1(s.L, 'count');
    if (m._lua_pcallk(s.L, 1, 1, 0, 0, 0) !== LUA_OK) { m._lua_settop(s.L, 0); return 0; }
    const kb = m._lua_tonumberx(s.L, -1, 0);
    m._lua_settop(s.L, 0);
    return Math.floor(kb * 1024);
  }

  /** INFO used_memory_scripts_eval: the scripts plus the dictionary's overhead, as evalScriptsMemory. */
  scriptsMemory(): number {
    const n = this.scripts.size;
    let slots = 0;
    if (n > 0) { slots = 4; while (slots < n) slots *= 2; }
    return this.scriptsBytes + n * (24 + 16) + slots * 8;
  }

  /** The script EVAL's flags lookup found for this body or SHA (Redis's c->cur_script), reused by the handler. */
  private lookedUp: { key: string; script: CachedScript } | null = null;

  /** The cached script for EVAL's body or EVALSHA's SHA, using the dispatcher's lookup when it was for the same argument. */
  findScript(arg: string, evalsha: boolean): CachedScript | undefined {
    const l = this.lookedUp;
    if (l !== null && l.key === arg) { this.lookedUp = null; return l.script; }
    return this.scripts.get(evalsha ? arg.toLowerCase() : Scripting.sha1hex(arg));
  }

  /**
   * Redis's evalGetCommandFlags: a script with a shebang runs with the flags it declares (no
   * `write` and no `denyoom` for no-writes, and so on), so the dispatcher's OOM, pause and
   * read-only checks see what the script may do. Scripts without a shebang keep EVAL's flags.
   */
  evalCommandFlags(cmdFlags: number, args: readonly string[], evalsha: boolean): number {
    if (args.length < 3) return cmdFlags;
    const arg = args[1]!;
    if (evalsha && arg.length !== 40) return cmdFlags;
    let flags: number;
    const script = this.scripts.get(evalsha ? arg.toLowerCase() : Scripting.sha1hex(arg));
    if (script !== undefined) {
      this.lookedUp = { key: arg, script };
      flags = script.flags;
    } else {
      if (evalsha) return cmdFlags;
      const sheb = parseShebang(arg);
      if (typeof sheb === 'string') return cmdFlags;
      flags = sheb.flags;
    }
    if ((flags & SF_EVAL_COMPAT) !== 0) return cmdFlags;
    return scriptFlagsToCmdFlags(cmdFlags, flags);
  }

  // ---- running a script ----------------------------------------------------------------

  /**
   * Runs the function at registry `ref` of `sb` for `c` (Redis's scriptPrepareForRun, then
   * luaCallFunction). EVAL passes KEYS/ARGV as globals; functions get them as arguments.
   * Replies to `c` now, or when the script ends if it was suspended busy.
   */
  runScript(c: Client, sb: Sandbox, ref: number, keys: readonly string[], argv: readonly string[],
    funcname: string, scriptFlags: number, ro: boolean, evalMode: boolean, cmd: Command, callArgs: readonly string[]): void {
    const server = this.server;
    const compat = (scriptFlags & SF_EVAL_COMPAT) !== 0;
    if (!compat) {
      if ((scriptFlags & SF_NO_WRITES) === 0 && ro) { c.error(SCRIPT_RO_WRITE_FLAG); return; }
      if (server.oomAtStart && server.config.maxmemory !== 0 && (scriptFlags & (SF_ALLOW_OOM | SF_NO_WRITES)) === 0) {
        c.error(SCRIPT_OOM);
        return;
      }
    }
    const run = new RunCtx(c, sb, funcname, evalMode, cmd, performance.now(), server.now);
    run.readOnly = ro || (!compat && (scriptFlags & SF_NO_WRITES) !== 0);
    run.allowOom = !compat && (scriptFlags & SF_ALLOW_OOM) !== 0;
    run.canYield = server.callDepth === 1 && c.multi === null && c.execMarks === null;
    run.errorsAtStart = server.stats.totalErrorReplies;
    run.argv = callArgs;
    const { vm, L } = sb;
    const m = vm.m;
    const co = sb.co;
    m._lua_settop(co, 0);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(ref));
    let nargs = 0;
    if (evalMode) {
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(sb.globalsRef));
      pushArray(vm, L, keys);
      m._lua_setfield(L, -2, vm.cstr('KEYS'));
      pushArray(vm, L, argv);
      m._lua_setfield(L, -2, vm.cstr('ARGV'));
      m._lua_settop(L, -2);
    } else {
      pushArray(vm, L, keys);
      pushArray(vm, L, argv);
      nargs = 2;
    }
    m._lua_xmove(L, co, nargs + 1);
    if (server.config['busy-reply-threshold'] > 0) m._lua_sethook(co, this.hookPointer(vm), LUA_MASKCOUNT, HOOK_COUNT);
    this.client.select(c.db.id);
    this.run = run;
    this.resume(run, nargs);
  }

  /** The count hook's function pointer (one per module). */
  hookPointer(vm: LuaVM): number {
    if (hookOf !== vm.m) {
      hookPtr = vm.m.addFunction((L: number) => {
        const a = active;
        if (a !== null) a.onHook(L);
        else if (loadHookOwner !== null) loadHookOwner.loadHook?.();
      }, 'vii');
      hookOf = vm.m;
    }
    return hookPtr;
  }

  /** Runs the script's coroutine until it ends or the hook yields it. */
  private resume(run: RunCtx, nargs: number): void {
    const server = this.server;
    const { vm, L } = run.sb;
    const m = vm.m;
    const prevHost = setApiHost(this);
    const prevActive = active;
    const prevCur = this.cur;
    active = this;
    this.cur = run.sb;
    server.now = run.snapshot;
    server.callDepth++;
    run.sliceStart = performance.now();
    run.hookYielded = false;
    let st: number;
    try {
      st = m._lua_resume(run.sb.co, L, nargs, this.nresPtr);
    } catch (e) {
      // A JS exception crossed the VM (a cachette bug): the coroutine cannot be trusted.
      server.log('warning', `Lua engine error: ${(e as Error).stack ?? String(e)}`);
      m._lua_resetthread(run.sb.co);
      pushErrorTable(vm, run.sb.co, `internal error: ${(e as Error).message}`, false);
      st = 2;
    } finally {
      server.callDepth--;
      setApiHost(prevHost);
      active = prevActive;
      this.cur = prevCur;
    }
    if (st === LUA_YIELD && run.hookYielded) {
      setImmediate(this.resumeCb);
      return;
    }
    this.finish(run, st);
  }

  private resumeSuspended(): void {
    const run = this.run;
    if (run === null) return;
    if (this.stopped) {
      this.run = null;
      this.exitBusy(run);
      run.sb.vm.m._lua_resetthread(run.sb.co);
      return;
    }
    this.resume(run, 0);
  }

  /** The script ended (status `st`): reply to the caller; after a busy suspension, let it and the server go on. */
  private finish(run: RunCtx, st: number): void {
    const { vm } = run.sb;
    const m = vm.m;
    const co = run.sb.co;
    const c = run.caller;
    const w = c.w;
    let counted = false;
    const target: ReplyTarget = {
      w, scriptResp: run.resp,
      error: (msg, count) => { if (count) { counted = true; c.error(msg); } else w.error(sanitizeError(msg)); },
    };
    if (st === LUA_OK) {
      const n = m._lua_gettop(co);
      if (n === 0) m._lua_pushnil(co);
      else if (n > 1) m._lua_settop(co, 1);
      writeLuaValue(vm, co, target);
    } else {
      this.replyError(run, st, target);
    }
    m._lua_sethook(co, 0, 0, 0);
    if (st !== LUA_OK) m._lua_resetthread(co);
    m._lua_settop(co, 0);
    this.run = null;
    // Redis counts the call failed when any error reply was produced during it (its commands'
    // included); an error written to the caller with counting is counted by Client.call.
    const failed = this.server.stats.totalErrorReplies !== run.errorsAtStart;
    if (run.timedout) {
      // The EVAL call was counted when it first returned: add the rest of its time and its failure.
      run.cmd.stats.usec += (performance.now() - run.sliceStart) * 1000;
      if (failed) run.cmd.stats.failedCalls++;
      this.exitBusy(run);
    } else if (failed && !counted) {
      run.cmd.stats.failedCalls++;
    }
  }

  /** Redis's luaCallFunction error branch: "-<err> script: <name>, on <source>:<line>." */
  private replyError(run: RunCtx, st: number, target: ReplyTarget): void {
    const sb = run.sb;
    const { vm } = sb;
    const m = vm.m;
    const co = sb.co;
    void st;
    const pos = errorPosition(sb, sb.coRef);
    let msg: string;
    let ignore = false;
    if (m._lua_type(co, -1) === LUA_TTABLE) {
      const info = errorInfo(vm, co);
      msg = info.msg === '' ? err('unknown error (an error table without err)') : info.msg;
      ignore = info.ignoreStats;
    } else {
      const t = m._lua_type(co, -1);
      // Redis's error handler makes 'ERR ' .. tostring(err) of a value that is not a table.
      const text = t === LUA_TSTRING || t === LUA_TNUMBER ? vm.toLatin1(co, -1)
        : t === LUA_TBOOLEAN ? (m._lua_toboolean(co, -1) ? 'true' : 'false') : luaTypeText(t);
      msg = err(fix51(text));
    }
    if (pos !== null) msg = scriptErrorAt(msg, run.funcname, pos[0], pos[1]);
    target.error(msg, !ignore);
  }

  /** Enters Redis's timed-out state: BUSY for others, the caller held. */
  private enterBusy(run: RunCtx): void {
    run.timedout = true;
    this.server.busyScript = run.evalMode ? BUSY_IN_EVAL : BUSY_IN_FUNCTION;
    run.caller.scriptHeld = true;
  }

  private exitBusy(run: RunCtx): void {
    const server = this.server;
    server.busyScript = BUSY_NONE;
    const c = run.caller;
    c.scriptHeld = false;
    // The caller's held requests run now; clients blocked on keys the script readied are served.
    c.resumeAfterUnblock();
    server.blocking.processUnblocked();
  }

  /** The count hook: busy detection, the yield, SCRIPT KILL. */
  onHook(L: number): void {
    const run = this.run;
    if (run === null) return;
    const vm = run.sb.vm;
    const m = vm.m;
    if (run.killed) {
      m._lua_sethook(L, this.hookPointer(vm), LUA_MASKLINE, 0);
      if (L !== run.sb.co) m._lua_sethook(run.sb.co, this.hookPointer(vm), LUA_MASKLINE, 0);
      this.server.log('warning', 'Lua script killed by user with SCRIPT KILL.');
      raiseError(vm, L, run.evalMode ? LUA_KILLED : LUA_FUNCTION_KILLED);
    }
    const now = performance.now();
    if (!run.timedout) {
      const elapsed = now - run.start;
      if (elapsed < this.server.config['busy-reply-threshold']) return;
      this.server.log('warning', `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. `
        + `You can try killing the script using the ${run.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.funcname}.`);
      if (!run.canYield) return;
      this.enterBusy(run);
    }
    if (L === run.sb.co && now - run.sliceStart >= SLICE_MS && m._lua_isyieldable(L)) {
      run.hookYielded = true;
      m._lua_yieldk(L, 0, 0, 0);
    }
  }

  /** SCRIPT KILL (isEval) and FUNCTION KILL (Redis's scriptKill). */
  kill(c: Client, isEval: boolean): void {
    const run = this.run;
    if (run === null || !run.timedout) { c.error(NOTBUSY); return; }
    if (run.writeDirty) { c.error(UNKILLABLE); return; }
    if (isEval && !run.evalMode) { c.error(BUSY_FUNCTION); return; }
    if (!isEval && run.evalMode) { c.error(BUSY_EVAL); return; }
    run.killed = true;
    c.w.ok();
  }

  /** The server is closing: a suspended script is dropped at its next resume. */
  stop(): void {
    this.stopped = true;
  }

  // ---- the redis.* API (ApiHost) ---------------------------------------------------------

  /** redis.call / redis.pcall (Redis's luaRedisGenericCommand and scriptCall). */
  call(L: number, raise: boolean): number {
    const run = this.run;
    const vm = this.vm;
    const m = vm.m;
    if (run === null) raiseError(vm, L, LUA_CALL_OUTSIDE);
    const argc = m._lua_gettop(L);
    let bad: string | null = argc === 0 ? LUA_NO_ARGS : null;
    const args: string[] = [];
    for (let j = 1; j <= argc && bad === null; j++) {
      const t = m._lua_type(L, j);
      if (t === LUA_TNUMBER) args.push(numberArg(m._lua_tonumberx(L, j, 0)));
      else if (t === LUA_TSTRING) args.push(vm.toLatin1(L, j));
      else bad = LUA_BAD_ARGS;
    }
    m._lua_settop(L, 0);
    if (bad !== null) {
      pushErrorTable(vm, L, bad, false);
      if (raise) vm.raiseTop(L);
      return 1;
    }
    const server = this.server;
    let cmd: Command | undefined = server.commands.lookup(args[0]!);
    if (cmd !== undefined && cmd.subcommands !== null && args.length >= 2) cmd = cmd.subcommands.get(args[1]!.toLowerCase());
    let fail: string | null = null;
    if (cmd === undefined) fail = LUA_UNKNOWN_COMMAND;
    else {
      const flags = cmd.flags;
      if ((cmd.arity > 0 && args.length !== cmd.arity) || args.length < -cmd.arity) fail = LUA_WRONG_ARITY;
      else if ((flags & F.NOSCRIPT) !== 0) fail = LUA_NOSCRIPT_COMMAND;
      else if (run.readOnly && (flags & (F.WRITE | F.MAY_REPLICATE)) !== 0) fail = LUA_WRITE_IN_RO;
      else if (!run.allowOom && server.config.maxmemory !== 0 && !run.writeDirty && server.oomAtStart && (flags & F.DENYOOM) !== 0) fail = '-' + OOM;
      if (fail === null && (flags & F.WRITE) !== 0) run.writeDirty = true;
    }
    if (fail !== null) {
      // Redis's afterErrorReply on the script client, and the command's rejected_calls.
      server.stats.countError(fail.charCodeAt(0) === 45 ? fail.slice(1) : err(fail));
      if (cmd !== undefined) cmd.stats.rejectedCalls++;
      pushErrorTable(vm, L, fail, true);
      if (raise) vm.raiseTop(L);
      return 1;
    }
    const sc = this.client;
    sc.db = run.db;
    sc.w.resp = run.resp;
    sc.call(cmd!, args);
    run.db = sc.db;
    const w = sc.w;
    let buf: Buffer;
    let end: number;
    if (w.pending === w.pos) {
      buf = w.buf;
      end = w.pos;
      w.pos = 0;
    } else {
      const out = w.take()!;
      buf = Array.isArray(out) ? Buffer.concat(out) : out;
      end = buf.length;
    }
    if (end === 0) {
      m._lua_pushnil(L);
      return 1;
    }
    const isError = buf[0] === 45;
    pushReply(vm, L, buf, 0);
    if (raise && isError) vm.raiseTop(L);
    return 1;
  }

  setresp(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    if (m._lua_gettop(L) !== 1) raiseError(vm, L, LUA_SETRESP_ARGS);
    const resp = Math.trunc(m._lua_tonumberx(L, 1, 0));
    if (resp !== 2 && resp !== 3) raiseError(vm, L, LUA_SETRESP_VERSION);
    if (this.run !== null) this.run.resp = resp;
    return 0;
  }

  setRepl(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    if (m._lua_gettop(L) !== 1) raiseError(vm, L, LUA_SET_REPL_ARGS);
    const flags = Math.trunc(m._lua_tonumberx(L, -1, 0)) | 0;
    if ((flags & ~3) !== 0) raiseError(vm, L, LUA_SET_REPL_FLAGS);
    return 0;
  }

  log(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    const argc = m._lua_gettop(L);
    if (argc < 2) raiseError(vm, L, LUA_LOG_ARGS);
    if (!m._lua_isnumber(L, 1)) raiseError(vm, L, LUA_LOG_LEVEL_TYPE);
    const level = Math.trunc(m._lua_tonumberx(L, 1, 0));
    if (level < 0 || level > 3) raiseError(vm, L, LUA_LOG_LEVEL);
    const names = ['debug', 'verbose', 'notice', 'warning'] as const;
    let text = '';
    let first = true;
    for (let j = 2; j <= argc; j++) {
      if (!m._lua_isstring(L, j)) continue;
      if (!first) text += ' ';
      text += vm.toText(L, j);
      first = false;
    }
    this.server.log(names[level]!, text);
    return 0;
  }

  aclCheckCmd(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    const argc = m._lua_gettop(L);
    if (argc === 0) raiseError(vm, L, LUA_NO_ARGS);
    const args: string[] = [];
    for (let j = 1; j <= argc; j++) {
      const t = m._lua_type(L, j);
      if (t !== LUA_TNUMBER && t !== LUA_TSTRING) raiseError(vm, L, LUA_BAD_ARGS);
      args.push(t === LUA_TNUMBER ? numberArg(m._lua_tonumberx(L, j, 0)) : vm.toLatin1(L, j));
    }
    let cmd = this.server.commands.lookup(args[0]!);
    if (cmd !== undefined && cmd.subcommands !== null && args.length >= 2) cmd = cmd.subcommands.get(args[1]!.toLowerCase());
    if (cmd === undefined) raiseError(vm, L, LUA_ACL_INVALID);
    m._lua_settop(L, 0);
    // cachette has only the default user, who may run every command.
    m._lua_pushboolean(L, 1);
    return 1;
  }

  random(L: number): number {
    return mathRandom(this.vm, L, this.rng);
  }

  randomseed(L: number): number {
    const vm = this.vm;
    const m = vm.m;
    if (!m._lua_isnumber(L, 1)) vm.raiseWhere(L, `bad argument #1 to 'randomseed' (number expected, got ${m._lua_gettop(L) === 0 ? 'no value' : 'nil'})`);
    this.rng.seed(Math.trunc(m._lua_tonumberx(L, 1, 0)) | 0);
    return 0;
  }

  /** Set by the functions engine while a library loads (functions.ts); EVAL scripts never see it. */
  registrar: ((L: number) => number) | null = null;

  registerFunction(L: number): number {
    if (this.registrar === null) return 0;
    return this.registrar(L);
  }

  /** Set by the functions engine while a library loads: its time budget (FUNCTION LOAD timeout). */
  loadHook: (() => void) | null = null;

  /** Runs `fn` with this engine as the API host and `sb` as the current state (library loading). */
  withHost<T>(sb: Sandbox, fn: () => T): T {
    const prevHost = setApiHost(this);
    const prevCur = this.cur;
    const prevLoad = loadHookOwner;
    this.cur = sb;
    loadHookOwner = this;
    try {
      return fn();
    } finally {
      setApiHost(prevHost);
      this.cur = prevCur;
      loadHookOwner = prevLoad;
    }
  }
}

/** Redis's scriptFlagsToCmdFlags: the command flags of a call of a script declaring `scriptFlags`. */
export function scriptFlagsToCmdFlags(cmdFlags: number, scriptFlags: number): number {
  let f = cmdFlags & ~(F.STALE | F.DENYOOM | F.WRITE);
  if ((scriptFlags & (SF_ALLOW_OOM | SF_NO_WRITES)) === 0) f |= F.DENYOOM;
  if ((scriptFlags & SF_NO_WRITES) === 0) f |= F.WRITE;
  if ((scriptFlags & SF_ALLOW_STALE) !== 0) f |= F.STALE;
  return f & ~F.MAY_REPLICATE;
}

function pushArray(vm: LuaVM, L: number, items: readonly string[]): void {
  const m = vm.m;
  m._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    vm.pushLatin1(L, items[i]!);
    m._lua_rawseti(L, -2, BigInt(i + 1));
  }
}

function luaTypeText(t: number): string {
  return ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'][t] ?? 'nil';
}

/**
 * Redis's evalExtractShebangFlags: `#!lua [flags=a,b]` on the first line. Returns the flags and
 * the shebang's length (the code starts at its newline, so line numbers stay right), or an
 * error text.
 */
export function parseShebang(body: string): { flags: number; len: number } | string {
  if (!body.startsWith('#!')) return { flags: SF_EVAL_COMPAT, len: 0 };
  const nl = body.indexOf('\n');
  if (nl === -1) return SHEBANG_INVALID;
  const parts = splitInline(Buffer.from(body.slice(0, nl), 'latin1'), 0, nl);
  if (parts === null || parts.length === 0) return SHEBANG_INVALID_ENGINE;
  if (parts[0] !== '#!lua') return shebangUnexpectedEngine(parts[0]!);
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j]!;
    if (!p.startsWith('flags=')) return shebangUnknownOption(p);
    const list = p.slice(6);
    if (list.length === 0) continue;
    for (const f of list.split(',')) {
      const def = SCRIPT_FLAG_NAMES.find(([n]) => n === f);
      if (def === undefined) return shebangUnexpectedFlag(f);
      flags |= def[1];
    }
  }
  return { flags, len: nl };
}
