#!/usr/bin/env node
// The Lua engine choice (issue 19): fengari (Lua 5.3 in pure JS) against wasmoon (Lua 5.4 in
// WebAssembly, driven through its raw C API as src/lua/vm.ts does), on a BullMQ-like script:
// 5 redis.call()s to a JS stub (arguments read back as bytes, an integer returned), a table
// of 10 small tables built and concatenated, KEYS/ARGV set per run. No server, no sockets:
// this measures the engines alone. A micro-benchmark: numbers move with the machine's load;
// compare the two engines within one run.
//
//   node bench/lua-engines.mjs [--runs 20000] [--rounds 3]
//
// fengari is a devDependency only for this measurement.
import { createRequire } from 'node:module';
import { LuaFactory } from 'wasmoon';
import { parseArgs } from './lib.mjs';

const args = parseArgs();
const N = Number(args.runs ?? 20000);
const ROUNDS = Number(args.rounds ?? 3);
const CODE = `
local jobId = redis.call('incr', KEYS[1])
local key = KEYS[2] .. jobId
redis.call('hset', key, 'name', ARGV[1], 'data', ARGV[2], 'ts', ARGV[3])
local t = {}
for i=1,10 do t[i] = {id=i, name=ARGV[1]} end
local s = {} for i=1,#t do s[#s+1] = t[i].name .. ':' .. t[i].id end
redis.call('lpush', KEYS[3], table.concat(s, ','))
redis.call('publish', 'ch', jobId)
return {jobId, redis.call('llen', KEYS[3])}
`;
const KEYS = ['id', 'job:', 'wait'];
const ARGV = ['name', '{"x":1}', '123'];

function time(run) {
  for (let i = 0; i < 2000; i++) run();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) run();
  return Number(process.hrtime.bigint() - t0) / 1000 / N;
}

function fengari() {
  const { lua, lauxlib, lualib, to_luastring } = createRequire(import.meta.url)('fengari');
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  let calls = 0;
  lua.lua_newtable(L);
  lua.lua_pushjsfunction(L, (LL) => {
    const n = lua.lua_gettop(LL);
    for (let i = 1; i <= n; i++) lua.lua_tolstring(LL, i);
    lua.lua_pushinteger(LL, ++calls);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring('call'));
  lua.lua_setglobal(L, to_luastring('redis'));
  if (lauxlib.luaL_loadbuffer(L, to_luastring(CODE), null, to_luastring('@user_script')) !== 0) throw new Error('load');
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const k = KEYS.map((s) => to_luastring(s));
  const a = ARGV.map((s) => to_luastring(s));
  const kName = to_luastring('KEYS');
  const aName = to_luastring('ARGV');
  return () => {
    lua.lua_newtable(L); for (let i = 0; i < 3; i++) { lua.lua_pushstring(L, k[i]); lua.lua_rawseti(L, -2, i + 1); } lua.lua_setglobal(L, kName);
    lua.lua_newtable(L); for (let i = 0; i < 3; i++) { lua.lua_pushstring(L, a[i]); lua.lua_rawseti(L, -2, i + 1); } lua.lua_setglobal(L, aName);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    if (lua.lua_pcall(L, 0, 1, 0) !== 0) throw new Error(lua.lua_tojsstring(L, -1));
    lua.lua_settop(L, 0);
  };
}

async function wasmoon() {
  const eng = await new LuaFactory().createEngine({ openStandardLibs: true });
  const m = eng.global.lua.module;
  const L = eng.global.address;
  const enc = new TextEncoder();
  const scratch = m._malloc(65536);
  const lenP = m._malloc(8);
  const cstr = (s) => { const b = enc.encode(s + '\0'); const p = m._malloc(b.length); m.HEAPU8.set(b, p); return p; };
  const pushBytes = (b) => { m.HEAPU8.set(b, scratch); m._lua_pushlstring(L, scratch, b.length); };
  let calls = 0;
  const fn = m.addFunction((LL) => {
    const n = m._lua_gettop(LL);
    for (let i = 1; i <= n; i++) { const p = m._lua_tolstring(LL, i, lenP); m.HEAPU8.slice(p, p + m.HEAPU32[lenP >> 2]); }
    m._lua_pushinteger(LL, BigInt(++calls));
    return 1;
  }, 'ii');
  m._lua_createtable(L, 0, 0);
  m._lua_pushcclosure(L, fn, 0);
  m._lua_setfield(L, -2, cstr('call'));
  m._lua_setglobal(L, cstr('redis'));
  const code = enc.encode(CODE);
  const cp = m._malloc(code.length);
  m.HEAPU8.set(code, cp);
  if (m._luaL_loadbufferx(L, cp, code.length, cstr('@user_script'), 0) !== 0) throw new Error('load');
  const REG = -1001000;
  const ref = m._luaL_ref(L, REG);
  const k = KEYS.map((s) => enc.encode(s));
  const a = ARGV.map((s) => enc.encode(s));
  const kName = cstr('KEYS');
  const aName = cstr('ARGV');
  return () => {
    m._lua_createtable(L, 3, 0); for (let i = 0; i < 3; i++) { pushBytes(k[i]); m._lua_rawseti(L, -2, BigInt(i + 1)); } m._lua_setglobal(L, kName);
    m._lua_createtable(L, 3, 0); for (let i = 0; i < 3; i++) { pushBytes(a[i]); m._lua_rawseti(L, -2, BigInt(i + 1)); } m._lua_setglobal(L, aName);
    m._lua_rawgeti(L, REG, BigInt(ref));
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== 0) throw new Error('run');
    m._lua_settop(L, 0);
  };
}

const engines = { fengari: fengari(), wasmoon: await wasmoon() };
const results = { fengari: [], wasmoon: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 === 0 ? ['fengari', 'wasmoon'] : ['wasmoon', 'fengari']) results[name].push(time(engines[name]));
}
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`Lua engines on a BullMQ-like script (5 redis.call to a JS stub, tables, concat), ${N} runs x ${ROUNDS} rounds, node ${process.version}`);
console.log('| engine | us/script (median) | scripts/s | rounds (us) |');
console.log('|---|---|---|---|');
for (const name of ['fengari', 'wasmoon']) {
  const us = median(results[name]);
  console.log(`| ${name} | ${us.toFixed(1)} | ${Math.round(1e6 / us)} | ${results[name].map((x) => x.toFixed(1)).join(' ')} |`);
}
