/**
 * Redis's extra Lua libraries: `cjson`, `cmsgpack`, `struct` and `bit`, each a global table of
 * JS functions registered in the Lua state. One module per library beside this file (with
 * capi.ts for Lua 5.1's argument and error conventions, cnum.ts for C number semantics); this
 * file only installs them. The scripting engine calls `installLibraries` once per Lua state,
 * before it makes the globals read-only.
 */
import type { LuaVM } from '../vm.js';
import { installBit } from './bit.js';
import { installCjson } from './cjson.js';
import { installCmsgpack } from './cmsgpack.js';
import { installStruct } from './struct.js';

/** Installs every library as a global table in the state `L` of `vm`. */
export function installLibraries(vm: LuaVM, L: number): void {
  installCjson(vm, L);
  installStruct(vm, L);
  installCmsgpack(vm, L);
  installBit(vm, L);
}
