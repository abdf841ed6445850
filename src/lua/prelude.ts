/**
 * The Lua 5.1 that Redis 7.0 gives scripts, made out of Lua 5.4: the Lua source run once per
 * state (by sandbox.ts) before the globals are locked. It owns the *shape* of the environment:
 *
 * - 5.1 names: `_VERSION` "Lua 5.1", `unpack`, `loadstring`, `gcinfo`, `table.getn/setn/maxn/
 *   foreach/foreachi`, `math.mod/pow/atan2/log10/ldexp/frexp/cosh/sinh/tanh`, `string.gfind`;
 * - 5.4 names Redis lacks are removed (utf8, warn, rawlen, require, package, os, io, print,
 *   dofile, loadfile, debug, table.move/pack/unpack, string.pack/packsize/unpack,
 *   math.maxinteger/mininteger/tointeger/type/ult, coroutine.close/isyieldable);
 * - 5.1 behaviours that 5.4 changed and scripts can see (error, assert, pairs, ipairs, load,
 *   loadstring, table.getn and table.insert are base51.ts's C functions):
 *   `string.format('%d', 3.5)` and the integer arguments of string.sub/byte/rep and unpack
 *   truncate floats, math.fmod is the float one, `pcall` is
 *   Redis's (an error table is returned as its `err` string), runtime error texts are 5.1's;
 * - Redis's read-only globals: every global table (and `_G`) seen by scripts is an empty proxy
 *   whose `__index` is the real table and whose `__newindex` raises "Attempt to modify a
 *   readonly table"; the real globals raise "Script attempted to access nonexistent global
 *   variable" for a missing name. `rawset`, `rawget`, `next`, `setmetatable` know the proxies.
 *
 * Cost: a global read is one miss in the proxy plus one hit in the real table, both done by the
 * VM without calling out; the shims are Lua functions (one extra call where a 5.4 builtin was
 * wrapped). The chunk returns a table of internal values for sandbox.ts (the real globals, the
 * proxy maker, the debug.getinfo it keeps for error positions).
 */
export const PRELUDE = String.raw`
local R = {}
local G = _G
local type, tostring, tonumber, select = type, tostring, tonumber, select
local error0, rawget0, rawset0, setmetatable0, getmetatable0, next0, pcall0, load0 = error, rawget, rawset, setmetatable, getmetatable, next, pcall, load
R.error0, R.rawget0, R.rawset0, R.setmetatable0, R.next0, R.load0, R.ipairs0, R.pairs0 = error0, rawget0, rawset0, setmetatable0, next0, load0, ipairs, pairs
local sfind, sgsub, sgmatch, sformat, ssub = string.find, string.gsub, string.gmatch, string.format, string.sub
local mtype, floor, ceil, huge, exp, log, abs, atan = math.type, math.floor, math.ceil, math.huge, math.exp, math.log, math.abs, math.atan
local tunpack = table.unpack
local crunning, cyield = coroutine.running, coroutine.yield
local MININT, tointeger = math.mininteger, math.tointeger
R.getinfo = debug.getinfo
R.traceback = debug.traceback
R.collectgarbage = collectgarbage

local function typeat(n, ...)
  if select('#', ...) < n then return 'no value' end
  return type((select(n, ...)))
end
local function argerr(n, fname, expected, ...)
  return 'bad argument #' .. n .. " to '" .. fname .. "' (" .. expected .. ' expected, got ' .. typeat(n, ...) .. ')'
end

-- 5.4 -> 5.1 runtime error texts: "attempt to index a nil value (local 't')" becomes
-- "attempt to index local 't' (a nil value)"; a 5.4-only "(constant 'x')" is dropped.
local function fix51(m)
  if type(m) ~= 'string' or not sfind(m, 'attempt to', 1, true) then return m end
  m = sgsub(m, "attempt to ([%a ]-) a (%a+) value %((%a+) '([^']*)'%)", function(op, ty, kind, name)
    if kind == 'constant' then return 'attempt to ' .. op .. ' a ' .. ty .. ' value' end
    return 'attempt to ' .. op .. ' ' .. kind .. " '" .. name .. "' (a " .. ty .. ' value)'
  end)
  -- 5.4's string arithmetic: "attempt to add a 'string' with a 'number'".
  m = sgsub(m, "attempt to %a+ a '(%a+)' with a '(%a+)'", function(a, b)
    return 'attempt to perform arithmetic on a ' .. (a == 'string' and a or b) .. ' value'
  end)
  m = sgsub(m, "bad 'for' (%a[%a ]-) %(number expected, got %a+%)", "'for' %1 must be a number")
  return m
end
R.fix51 = fix51

-- ---- base library ---------------------------------------------------------------
_VERSION = 'Lua 5.1'
-- error, assert, pairs, ipairs, load, loadstring, table.getn, table.insert: base51.ts (C functions).
local pairs0 = pairs
local S = { sub = ssub, byte = string.byte, rep = string.rep, unpack = tunpack }
local function toint(n)
  if mtype(n) == 'float' then if n >= 0 then return floor(n) else return ceil(n) end end
  return n
end
unpack = function(t, i, j) return S.unpack(t, toint(i), toint(j)) end
gcinfo = function() return floor(collectgarbage('count')) end
local function pcallret(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  else
    e = fix51(e)
  end
  return false, e
end
pcall = function(...) return pcallret(pcall0(...)) end
print, dofile, loadfile, require, package, os, io, utf8, warn, rawlen, debug = nil
__redis__err__handler = function(err) return err end

-- ---- table ------------------------------------------------------------------------
table.setn = function() error0("'setn' is obsolete", 2) end
table.maxn = function(...)
  local t = ...
  if type(t) ~= 'table' then error0(argerr(1, 'maxn', 'table', ...), 2) end
  local m = 0
  for k in next0, t do if type(k) == 'number' and k > m then m = k end end
  return m
end
table.foreach = function(t, f)
  for k, v in next0, t do local r = f(k, v) if r ~= nil then return r end end
end
table.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
table.move, table.pack, table.unpack = nil

-- ---- math -------------------------------------------------------------------------
local fmod0 = math.fmod
math.fmod = function(a, b)
  local x, y = tonumber(a), tonumber(b)
  if x and y then return fmod0(x + 0.0, y + 0.0) end
  return fmod0(a, b)
end
math.mod = math.fmod
math.pow = function(x, y) return x ^ y end
math.atan2 = function(y, x) return atan(y, x) end
math.log10 = function(x) return log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == huge or x == -huge then return x, 0 end
  local e = floor(log(abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if abs(m) >= 1 then m = m / 2; e = e + 1 elseif abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end
math.cosh = function(x) return (exp(x) + exp(-x)) / 2 end
math.sinh = function(x) return (exp(x) - exp(-x)) / 2 end
math.tanh = function(x) local a, b = exp(x), exp(-x) return (a - b) / (a + b) end
math.maxinteger, math.mininteger, math.tointeger, math.type, math.ult = nil

-- ---- string -----------------------------------------------------------------------
string.gfind = sgmatch
-- Called through the fields of S so that an argument error names 'sub', 'byte', 'rep' as 5.1 does.
string.sub = function(s, i, j) return S.sub(s, toint(i), toint(j)) end
string.byte = function(s, i, j) return S.byte(s, toint(i), toint(j)) end
string.rep = function(s, n) return S.rep(s, toint(n)) end
string.pack, string.packsize, string.unpack = nil
local INTCONV = '%%[-+ #0]*%d*%.?%d*[dicoxX]'
local function toint51(v)
  local n = tonumber(v)
  if n == nil or mtype(n) == 'integer' then return v end
  if n ~= n or n >= 9223372036854775807 or n < -9223372036854775808 then return MININT end
  if n >= 0 then n = floor(n) else n = ceil(n) end
  return n
end
-- 5.1's %o %x %X take (unsigned long)n: gcc's conversion on x86-64 truncates n below 2^63 as a
-- signed value (NaN and -inf give 2^63's bits), and n - 2^63 above, with the top bit set again
-- (0 from 2^64 and inf).
local function touint51(v)
  local n = tonumber(v)
  if n == nil or mtype(n) == 'integer' then return v end
  if n >= 9223372036854775808.0 then
    if n >= 18446744073709551616.0 then return 0 end
    return tointeger(n - 9223372036854775808.0) + MININT
  end
  return toint51(n)
end
local Q51 = { ['\\'] = '\\\\', ['"'] = '\\"', ['\n'] = '\\\n', ['\r'] = '\\r', ['\0'] = '\\000' }
local function quote51(v)
  return '"' .. sgsub(tostring(v), '[\\"\n\r%z]', Q51) .. '"'
end
string.format = function(f, ...)
  if type(f) ~= 'string' or (not sfind(f, INTCONV) and not sfind(f, '%q', 1, true)) then return sformat(f, ...) end
  local n = select('#', ...)
  local args = { ... }
  local i = 0
  local q = false
  for _, conv in sgmatch(f, '%%([-+ #0]*%d*%.?%d*)([%a%%])') do
    if conv ~= '%' then
      i = i + 1
      if conv == 'd' or conv == 'i' or conv == 'c' then
        args[i] = toint51(args[i])
      elseif conv == 'o' or conv == 'x' or conv == 'X' then
        args[i] = touint51(args[i])
      elseif conv == 'q' and (type(args[i]) == 'string' or type(args[i]) == 'number') then
        args[i] = quote51(args[i])
        q = true
      end
    end
  end
  -- 5.1's %q quoting was done above; %s prints it as is.
  if q then f = sgsub(f, '%%%%', '\1'):gsub('%%q', '%%s'):gsub('\1', '%%%%') end
  return sformat(f, tunpack(args, 1, n))
end

-- ---- coroutine ----------------------------------------------------------------------
-- The script itself runs in a coroutine (the busy yield); to scripts it is the main thread.
local SCRIPT = {}
R.setScriptThread = function(co) SCRIPT[1] = co end

coroutine.running = function()
  local co = crunning()
  if co == SCRIPT[1] then return nil end
  return co
end
coroutine.yield = function(...)
  if crunning() == SCRIPT[1] then error0('attempt to yield across metamethod/C-call boundary', 0) end
  return cyield(...)
end
coroutine.close, coroutine.isyieldable = nil

-- ---- read-only globals --------------------------------------------------------------
local real = setmetatable0({}, { __mode = 'k' })
local RO = 'Attempt to modify a readonly table'
local function deny() error0(RO, 2) end
local function proxy(t)
  local p = {}
  local mt = { __index = t, __newindex = deny, __len = function() return #t end,
    __pairs = function() return next0, t, nil end }
  mt.__metatable = p
  real[p] = t
  return setmetatable0(p, mt), mt
end
R.proxy = proxy
rawset = function(t, k, v)
  if real[t] ~= nil then error0(RO, 0) end
  return rawset0(t, k, v)
end
rawget = function(t, k)
  local r = real[t]
  if r ~= nil then return rawget0(r, k) end
  return rawget0(t, k)
end
next = function(t, k)
  local r = real[t]
  if r ~= nil then return next0(r, k) end
  return next0(t, k)
end
setmetatable = function(t, mt)
  if real[t] ~= nil then error0(RO, 0) end
  return setmetatable0(t, mt)
end
-- Locks the globals: each library table becomes a proxy, _G is the globals' proxy.
local Pmt
R.lock = function()
  local P
  P, Pmt = proxy(G)
  -- What a function library sees while it loads (function_lua.c's library API): only
  -- redis.register_function, redis.log and its levels, and the version; nothing else exists.
  local r = rawget0(G, 'redis')
  local api = { register_function = r.register_function, log = r.log, LOG_DEBUG = r.LOG_DEBUG, LOG_VERBOSE = r.LOG_VERBOSE,
    LOG_NOTICE = r.LOG_NOTICE, LOG_WARNING = r.LOG_WARNING, REDIS_VERSION = r.REDIS_VERSION, REDIS_VERSION_NUM = r.REDIS_VERSION_NUM }
  local missing = { __index = function(_, k)
    error0("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end }
  setmetatable0(api, missing)
  local libG = { redis = proxy(api) }
  setmetatable0(libG, missing)
  R.libG = libG
  for _, name in pairs0({ 'string', 'table', 'math', 'coroutine', 'redis', 'cjson', 'cmsgpack', 'struct', 'bit' }) do
    local t = rawget0(G, name)
    if type(t) == 'table' then rawset0(G, name, proxy(t)) end
  end
  rawset0(G, '_G', P)
  -- The string metatable too: its __index is the string library's proxy, and it is hidden.
  local smt = getmetatable0('')
  smt.__index = rawget0(G, 'string')
  smt.__metatable = proxy(smt)
  setmetatable0(G, { __index = function(_, k)
    error0("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end, __metatable = false })
  return P
end
-- Switches what globals resolve to: the library API while a function library loads, else the globals.
R.loadMode = function(on) if on then Pmt.__index = R.libG else Pmt.__index = G end end
return R
`;
