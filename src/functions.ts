/**
 * Redis 7.0 functions (functions.c, function_lua.c): libraries of Lua functions loaded with
 * FUNCTION LOAD, called with FCALL/FCALL_RO. The commands are in commands/functions.ts; the
 * running machinery (the coroutine, the busy yield, KILL) is scripting.ts's, shared with EVAL.
 */
import type { Server } from './server.js';
import type { Sandbox } from './lua/sandbox.js';

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
  engine: string;
  code: string;
  functions: Map<string, LibFunction>;
}

export class Functions {
  readonly libraries = new Map<string, Library>();
  /** Every function by name, across libraries. */
  readonly functions = new Map<string, LibFunction>();
  sb: Sandbox | null = null;

  constructor(readonly server: Server) {}

  functionCount(): number {
    return this.functions.size;
  }

  /** INFO used_memory_vm_functions: the functions state's heap (0 before the first library). */
  vmMemory(): number {
    return this.sb === null ? 0 : this.server.scripting.luaMemory(this.sb);
  }

  /** INFO used_memory_functions: the libraries' code and names, plus the dictionaries (an estimate of Redis's account). */
  memory(): number {
    let n = 200;
    for (const lib of this.libraries.values()) {
      n += 64 + lib.name.length + lib.code.length;
      for (const f of lib.functions.values()) n += 64 + f.name.length + (f.description?.length ?? 0);
    }
    return n;
  }
}
