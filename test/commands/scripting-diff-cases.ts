/** The corpus of scripting-diff.test.ts, run in order on redis-server 7.0.15 and cachette: a string is `EVAL <script> 0`, an array a command. */
export type Case = string | string[];

export const CASES: Case[] = [
"return tostring(7 // 2)",
"return tostring(5 // 0)",
"return tostring(100000000000000)",
"return tostring(123456789012345678)",
"return tostring(9223372036854775807 + 1)",
"return tostring(9223372036854775807)",
"return tostring(1 % 0)",
"return tostring(1 / 0)",
"return tostring(-1 % 0)",
"return tostring(0x10)",
"return tostring(0xffffffffffffffff)",
"return tostring(0x1ffffffffffffffff)",
"return tostring(0x7fffffffffffffff)",
"return tostring(2^53+1)",
"return tostring(2^63)",
"return tostring(-0)",
"return tostring(-0.0)",
"return tostring(0/-1)",
"return 100000000000000 .. ''",
"return string.format('%s', 100000000000000)",
"return string.format('%d', 100000000000000)",
"return string.format('%g', 100000000000000)",
"return cjson.encode({100000000000000, 1e14, -0, 3})",
"return cjson.encode(-0)",
"local r1 = select(2, pcall(function() return redis.call('get', -0) end)) return cjson.encode({-0, 2^53 + 1})",
"return cjson.encode({-0, 0, -0})",
"return cjson.encode({-0, 0.0, 00, 0e0, 1-0})",
"local a = 0 return cjson.encode({-0})",
"local t = {} t[0] = 1 return cjson.encode({-0, t[0]})",
"return tostring(-0) .. tostring(0)",
"return tostring(- 0) .. tostring(-0) .. tostring(0)",
"local t = {} t[1] = 'a' t[1.0] = 'b' return t[1]",
"local t = {} t[2^53] = 'a' return t[2^53]",
"local s = '' for i = 1, 3 do s = s .. i .. ',' end return s",
"local s = '' for i = 1.0, 3 do s = s .. i .. ',' end return s",
"return tostring(math.huge)",
"return tostring(-math.huge)",
"return tostring(5 % 3)",
"return tostring(5.5 % 2)",
"return tostring(-5 % 0)",
"return tostring(0 % 0)",
"return tostring(3 * 1000000000000000000)",
"return tostring(1000000 * 1000000 * 1000000 * 1000000)",
"return tostring(2^31 * 2^31 * 4)",
"return tostring(tonumber('100000000000000'))",
"return tostring(tonumber('0x10'))",
"return tostring(#'abc' * 100000000000000)",
"return tostring(math.floor(1e15))",
"return tostring(string.len('abcd') * 1e14)",
"return tostring(select('#', 1, 2) * 100000000000000)",
"return tostring(9007199254740993)",
"return 9007199254740993",
"return tostring(1e15)",
"return tostring(-100000000000000)",
"return tostring(100000000000000 - 1)",
"return tostring(99999999999999)",
"return tostring(2^63 == 9223372036854775807)",
"return tostring(9223372036854775807 == 9223372036854775808)",
"return tostring(1 == 1.0)",
"return math.max(1, 2)",
"return tostring(math.max(100000000000000, 2))",
"return tostring(-9223372036854775808)",
"return tostring(math.abs(-9223372036854775808))",
"return tostring(0x7fffffffffffffff + 1)",
"return tostring(1e308 * 10)",
"return tostring(12345678901234567890)",
"return string.format('%d', 2^63)",
"return string.format('%x', 0xffffffffffffffff)",
"return string.format('%5.1f', 100000000000000)",
"return tostring(1/3 * 3)",
"return tostring(3 - 0.0)",
"return tostring(2^1023 * 2)",
"return {1e14, 100000000000000}",
"return cmsgpack.pack(100000000000000) == cmsgpack.pack(1e14)",
"return tostring(bit.tobit(0xffffffff))",
"return tostring(0xA) .. tostring(0Xa)",
"return tostring(1e2) .. tostring(1E2) .. tostring(.5) .. tostring(5.)",
"return tostring(3 == 3.0000000000000001)",
"return string.format('%x', 0/0)",
"return string.format('%x', 2^63)",
"return string.format('%x', 2^63 + 4096)",
"return string.format('%x', 2^64)",
"return string.format('%x', 2^70)",
"return string.format('%x', -1.5)",
"return string.format('%x', -2^63)",
"return string.format('%x', -2^64)",
"return string.format('%x', 1/0)",
"return string.format('%x', -1/0)",
"return string.format('%o', 2^63)",
"return string.format('%X', 1e19)",
"return string.format('%d', 1e19)",
"return string.format('%d', -1e19)",
"return string.format('%d', 0/0)",
"return string.format('%c', 65.9)",
"return string.format('%5.3x', 255)",
"return tostring(tonumber('0xffffffffffffffff'))",
"return tostring(tonumber(' 12 '))",
"return tostring(tonumber('inf'))",
"return tostring(tonumber('-nan'))",
"return tostring(tonumber('1e500'))",
"return tostring(tonumber('ff', 16))",
"return tostring(tonumber('-ff', 16))",
"return tostring(tonumber('0x10', 16))",
"return tostring(tonumber('zz', 36))",
"return tostring(tonumber('ffffffffffffffffff', 16))",
"return tostring(tonumber('12', 37))",
"return tostring(tonumber('12', 1))",
"return tostring(tonumber('12', 'x'))",
"return tostring(tonumber({}, 16))",
"return tostring(tonumber(12, 16))",
"return tostring(tonumber(nil))",
"return tostring(tonumber())",
"return tostring(tonumber({}))",
"return tostring(tonumber('12', 10.5))",
"return tostring(tonumber('1 2'))",
"return tostring(tonumber('', 16))",
"return tostring(tonumber(' ', 16))",
"return tostring(tonumber('8', 8))",
"return tostring(tonumber('0x'))",
"return tostring(math.floor(-0.5)) .. tostring(math.ceil(-0.5)) .. tostring(math.floor('3.5'))",
"return math.floor()",
"return math.ceil('x')",
"return tostring(math.floor(1e300))",
"return tostring(math.floor(0/0))",
"return tostring(math.floor(-1/0))",
"local f = loadstring('return 100000000000000') return tostring(f())",
"local f, e = loadstring('return 1 1') return e",
"local f, e = loadstring('return 0x') return e",
"return tostring(1e15 + 0x10)",
"return '0xffffffffffffffff' + 0",
"return tostring('100000000000000' + 0)",
"return tostring('10' * '10000000000000')",
"return tostring(#'abc' % 0)",
"return tostring(- -0)",
"return tostring(0 * -1)",
"return {0x7fffffffffffffff, -0x8000000000000000}",
"return 0x1p4",
"return tostring(0x10p1)",
"return 1e",
"return 3..2",
"return 0xg",
"return 12abc",
"return tostring(1 --[[ 2 ]] + 1) -- 12",
"return [[12]] .. [==[ 34 ]==] .. \"5\\\"6\" .. '7\\'8'",
"return tostring(3000000000 * 3000000000 * 3000000000)",
"local t = {} for i = 1, 3 do t[#t+1] = i end return t",
"local t = {} t[1.0] = 'a' t[2] = 'b' return t",
"local s = 0 for i = 10, 1, -3 do s = s + i end return s",
"return redis.call('set', 'k', 100000000000000) and redis.call('get', 'k')",
"return redis.call('set', 'k', 2^63) and redis.call('get', 'k')",
"return redis.call('incrby', 'n', 5)",
"return redis.call('set', 'k', 0x10) and redis.call('get', 'k')",
"return -9007199254740993",
"return {-0, 0/0, 1/0}",
"return cjson.encode({-0, 100000000000000, 0x10, 0.1})",
"return cjson.decode('[100000000000000]')[1] .. ''",
"return cmsgpack.unpack(cmsgpack.pack(100000000000000)) .. ''",
"return struct.unpack('<i8', struct.pack('<i8', 100000000000000)) .. ''",
"return bit.tohex(0xffffffff) .. bit.band(0xff, 0x0f)",
"return select('#', 1, 2) .. #{1, 2}",
"return string.rep('ab', 3) .. string.sub('hello', 2, 3) .. string.byte('A')",
"return table.concat({1, 2, 3}, ',', 2, 3)",
"return unpack({1, 2, 3}, 2)",
"return string.format('%d %5.2f %s %g', 42, 42, 42, 42)",
"return tostring(2^53 + 1) .. ' ' .. tostring(9007199254740992 + 1)",
"local x = 5 x = x % 0 return tostring(x)",
"return tostring(math.huge % 2)",
"return tostring(5 / 0) .. tostring(-5 / 0) .. tostring(0 / 0)",
"return tostring(math.fmod(5, 0)) .. tostring(math.fmod(-5, math.huge))",
"return math.max(3, 100000000000000) .. ' ' .. math.min(-100000000000000, 2)",
"return tostring(math.abs(-100000000000000))",
"return string.format('%.0f', 2^63)",
"return tostring(2^63 % 2) .. tostring(-7 % 2.5)",
"return 'abc' + 1",
"return '10' + '5'",
"return tostring('1e14' * 1)",
"return -'2'",
"return tostring(-'0')",
"return '7' % '0'",
"return tostring('7' % '0')",
"return '2' ^ '10'",
"return ' 0x10 ' + 0",
"return 'inf' + 0",
"return tostring('nan' * 1)",
"return '1' + setmetatable({}, {__add = function(a, b) return 'mt' end})",
"return setmetatable({}, {__add = function(a, b) return 'mt' end}) + '1'",
"return 'x' + setmetatable({}, {__add = function(a, b) return 'mt' end})",
"return '5' / '2'",
"return '10' .. 1",
"local a = {} return a + 1",
"return '12' + {}",
"return tostring(0.3 % 0.1)",
"return tostring(5.3 % 2)",
"return tostring(-5.3 % 2)",
"local t = {} for i = 1, 10 do t[i] = i * 1.5 end return cjson.encode(t)",
"local t = {} for i = 1, 5 do t[#t + 1] = tostring(i / 2) end return t",
"return redis.setresp(3)",
"redis.setresp(3) return {double = 100000000000000}",
"redis.setresp(3) return {double = 0/0}",
"redis.setresp(3) return {double = -0}",
"redis.setresp(3) return {double = 1e300}",
"redis.setresp(3) return {double = 0.1}",
"redis.setresp(3) return {double = 1/3}",
"redis.setresp(3) return {double = -1/0}",
"redis.setresp(3) return {double = 'x'}",
"redis.setresp(3) return {double = '3.5'}",
"redis.setresp(3) return {big_number = 12}",
"redis.setresp(3) return {big_number = '12x'}",
"redis.setresp(3) return {map = {}}",
"redis.setresp(3) return {set = {}}",
"redis.setresp(3) return {set = {[1] = true}}",
"redis.setresp(3) return {map = {[1] = 'x'}}",
"redis.setresp(3) return {map = {[1.5] = 'x'}}",
"redis.setresp(3) return {map = {[true] = 'x'}}",
"redis.setresp(3) return {verbatim_string = {format = 'mkd', string = 'x'}}",
"redis.setresp(3) return {verbatim_string = {format = 'mkdx', string = 'x'}}",
"redis.setresp(3) return {verbatim_string = {string = 'x'}}",
"redis.setresp(3) return {verbatim_string = 'x'}",
"redis.setresp(3) return {1, {map = {a = {set = {x = true}}}}}",
"redis.setresp(3) return {err = 'x', map = {a = 1}}",
"redis.setresp(3) return {ok = 'x', double = 1}",
"redis.setresp(3) return nil",
"redis.setresp(3) return {true, false, nil}",
"return {err = 'NOCODE'}",
"return {err = 'lowercase message'}",
"return {err = ''}",
"return {err = 42}",
"return {err = true}",
"return {ok = 42}",
"return {ok = ''}",
"return {ok = {}}",
"return {err = {}}",
"return redis.error_reply('')",
"return redis.error_reply('x y')",
"return redis.status_reply(42)",
"return {redis.pcall('incr', 'nope', 'extra')}",
"return redis.pcall('incr', 'nope', 'extra')",
"redis.call('set', 'str', 'x') return redis.pcall('incr', 'str')",
"redis.call('set', 'str', 'x') return {redis.pcall('incr', 'str')}",
"redis.call('set', 'str', 'x') local r = redis.pcall('incr', 'str') return r.err",
"redis.call('set', 'str', 'x') local r = redis.pcall('lpush', 'str', 1) return r['err']",
"redis.call('set', 'str', 'x') return redis.call('lpush', 'str', 1)",
"redis.call('set', 'str', 'x') local ok, e = pcall(redis.call, 'lpush', 'str', 1) return e",
"redis.call('set', 'str', 'x') local ok, e = pcall(redis.call, 'lpush', 'str', 1) return type(e)",
"local ok, e = pcall(redis.call, 'nosuch') return {ok, e}",
"local ok, e = pcall(redis.call, 'get') return {tostring(ok), e}",
"return redis.call('get', {})",
"return redis.call('get', true)",
"return redis.call('get', nil)",
"return redis.call('get', function() end)",
"return redis.call(1)",
"return redis.call(nil)",
"return redis.pcall('get', {})",
"return redis.pcall()",
"return redis.call('set', 'a', 1.5e300) and redis.call('get', 'a')",
"return redis.call('GET')",
"return redis.call('Get', 'k')",
"return redis.call('config', 'set', 'maxmemory', '0')",
"return redis.call('auth', 'x')",
"return redis.call('hello')",
"return redis.call('client', 'kill', 'id', '1')",
"return redis.call('quit')",
"return redis.call('reset')",
"return redis.call('exec')",
"return redis.call('discard')",
"return redis.call('unwatch')",
"return redis.call('brpop', 'nokey', 1)",
"return redis.call('blmove', 'a', 'b', 'left', 'left', 0)",
"return redis.call('wait', 0, 0)",
"return redis.call('function', 'list')",
"return redis.call('fcall', 'f', 0)",
"return redis.call('script', 'exists', 'x')",
"return redis.call('psubscribe', 'x')",
"return redis.call('ssubscribe', 'x')",
"return redis.call('debug', 'sleep', 0)",
"local function f() error('deep') end local function g() f() end g()",
"local function f() error('deep', 2) end local function g() f() end g()",
"local function f() error('deep', 3) end local function g() f() end g()",
"local function f() local x = nil; return x.y end local function g() return f() end return g()",
"local function f() local x = nil; return x.y end local function g() local r = f() return r end return g()",
"error()",
"error(nil)",
"error(nil, 2)",
"error(1.5)",
"error(true)",
"error({err = 42})",
"error('x', 'y')",
"error('with\\nnewline')",
"error({err = 'ERR custom'})",
"error({err = 'custom no code'})",
"error({err = 'x'}, 2)",
"local t = setmetatable({}, {__index = function(t, k) error('idx ' .. k) end}) return t.foo",
"return ('x'):bad()",
"return nosuch.field",
"nosuch()",
"local a = nosuch",
"return #KEYS + #ARGV",
"return KEYS[1]",
"redis = nil",
"math.floor = nil",
"string = nil",
"return rawget(string, 'len') ~= nil",
"local t = {} t.x.y = 1",
"local t = {} t[1][2] = 3",
"local s = 'x' s.y = 1",
"local n = 5 n.y = 1",
"return (nil)()",
"return ({})()",
"return (1)()",
"return ('x')()",
"return 1 < nil",
"return {} .. 'x'",
"return 'x' .. {}",
"return nil .. 'x'",
"return 1 .. nil",
"local a, b = 1 return a .. b",
"return 2^1024",
"return -2^1024",
"return 2^-1080",
"return {2^63, -2^63, 2^62, -2^62 - 1}",
"return 0.99999999999",
"return -0.5",
"return 1e15 + 0.5",
"return tostring(123.456e-300)",
"return string.format('%g %g %g', 1e14, 1e15, 0.0001)",
"return string.format('%.14g|%.17g|%.20f', 0.1, 0.1, 0.1)",
"return string.format('%e', 12345)",
"return string.format('%i', 42.9)",
"return string.format('%u', 42)",
"return string.format('%5s|%-5s|', 1, 2)",
"return string.format('%q', 1/3)",
"return string.format('%q', 100000000000000)",
"return string.format('%s', nil)",
"return string.format('%d', 'x')",
"return string.format('%d')",
"return string.format('%z', 1)",
"return string.format()",
"return tostring(0/0) .. ' ' .. tostring(-0/1)",
"local a = {1, 2} return tostring(a[1] -0)",
"return cjson.encode({0, -0})",
"redis.setresp(3) return {double = -(0/0)}",
"error(false)",
"error('x', '2')",
"error('x', {})",
"return string.format('%d', '0x10')",
"return string.format(12)",
"return string.format({})",
"return string.format('%-+ #0-d', 1)",
"return string.format('%123d', 1)",
"return string.format('%12.123f', 1)",
"return string.format('%12.12f', 1)",
"return string.format('%q', {})",
"return string.format('%s %s', 1)",
"return string.format('%5.1s|', 'abc')",
"return string.format('%c', 'x')",
"return string.format('%%')",
"return string.format('%d%%', 5)",
"return string.format('%s', true)",
"local ok, e = pcall(string.format, '%d', 'x') return e",
"local f = string.format return f('%y', 1)",
"return ('%d'):format('z')",
[
"FUNCTION",
"LOAD",
"return 1"
],
[
"FUNCTION",
"LOAD",
"#!lua\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=a b\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=a-b\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1 foo=bar\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nreturn 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nreturn +"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nerror('boom')"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', function() return 1 end) x = 1"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', function() return 1 end) return y"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', function() return 1 end) redis.call('ping')"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f 1', function() return 1 end)"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', 'x')"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function()"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1')"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function{function_name='f1', callback=function() return 1 end, flags={'bogus'}}"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function{function_name='f1', callback=function() return 1 end, flags='no-writes'}"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function{function_name='f1', callback=function() return 1 end, bogus=1}"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function{function_name='f1'}"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', function() return 1 end) redis.register_function('f1', function() return 1 end)"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nlocal function f(keys, args) return 100000000000000 end redis.register_function('f1', f) redis.register_function{function_name='f2', callback=function(keys, args) return tostring(100000000000000) .. tostring(-0) end, flags={'no-writes'}} redis.register_function('f3', function(keys, args) return {keys[1], args[1], #keys, #args} end) redis.register_function('f4', function() error('in f4') end) redis.register_function('f5', function() return redis.call('set', 'x', 1) end) redis.register_function('f6', function() local t = nil return t.x end)"
],
[
"FUNCTION",
"LOAD",
"#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"
],
[
"FCALL",
"f1",
"0"
],
[
"FCALL",
"f2",
"0"
],
[
"FCALL",
"f3",
"1",
"k",
"a"
],
[
"FCALL",
"f4",
"0"
],
[
"FCALL",
"f5",
"0"
],
[
"FCALL_RO",
"f5",
"0"
],
[
"FCALL_RO",
"f2",
"0"
],
[
"FCALL",
"f6",
"0"
],
[
"FCALL",
"nosuch",
"0"
],
[
"FCALL",
"f1",
"-1"
],
[
"FCALL",
"f1",
"x"
],
[
"FCALL",
"f1",
"2",
"a"
],
[
"FCALL",
"f1"
],
[
"FUNCTION",
"DELETE",
"nosuch"
],
[
"FUNCTION",
"DELETE"
],
[
"FUNCTION",
"FLUSH",
"bogus"
],
[
"FUNCTION",
"RESTORE",
"garbage"
],
[
"FUNCTION",
"RESTORE",
"garbage",
"BOGUS"
],
[
"FUNCTION",
"STATS",
"x"
],
[
"FUNCTION",
"KILL"
],
[
"FUNCTION",
"LIST",
"BOGUS"
],
[
"FUNCTION",
"LIST",
"LIBRARYNAME"
],
[
"FUNCTION",
"NOPE"
],
[
"EVAL",
"return KEYS[1]",
"1"
],
[
"EVAL",
"return 1",
"1.5"
],
[
"EVAL",
"return 1",
"99999999999999999999"
],
[
"EVAL",
"return 1",
" 1"
],
[
"EVALSHA",
"0000000000000000000000000000000000000000",
"0"
],
[
"EVALSHA",
"abc",
"0"
],
[
"EVALSHA_RO",
"nosuch",
"0"
],
[
"EVAL",
"#!lua flags=no-writes,bogus\nreturn 1",
"0"
],
[
"EVAL",
"#!lua flags=no-writes flags=allow-oom\nreturn 1",
"0"
],
[
"EVAL",
"#!lua  flags=no-writes\nreturn 1",
"0"
],
[
"EVAL",
"#!lua flags=no-writes \nreturn 1",
"0"
],
[
"EVAL",
"#!luax\nreturn 1",
"0"
],
[
"EVAL",
"#!\nreturn 1",
"0"
],
[
"EVAL",
"#!lua\r\nreturn 1",
"0"
],
[
"EVAL",
"#!lua\nreturn 100000000000000",
"0"
],
[
"EVAL",
"#!lua\nreturn tostring(100000000000000)",
"0"
],
[
"EVAL",
"#!lua flags=no-writes\nreturn redis.call('incr','x')",
"0"
],
[
"EVAL",
"#!lua\nreturn redis.call('get',KEYS[1])",
"0"
],
[
"EVAL",
"return redis.call('get',KEYS[1])",
"1",
"k"
],
[
"EVAL",
"#!lua\nlocal x = 1\n\nerror('line3')",
"0"
],
[
"EVAL",
"\n\n\nerror('line4')",
"0"
],
[
"EVAL",
"local function a()\n error('in a')\nend\nlocal function b()\n a()\nend\nb()",
"0"
],
[
"EVAL",
"local function a()\n local t = nil\n return t.x\nend\nlocal function b()\n return a()\nend\nreturn b()",
"0"
],
[
"EVAL",
"local function a()\n redis.call('nosuch')\nend\na()",
"0"
],
[
"EVAL",
"local function a()\n return redis.call('incr', 'str')\nend\nredis.call('set','str','x')\nreturn a()",
"0"
],
[
"EVAL",
"x\n=\n1",
"0"
],
[
"EVAL",
"local t = {}\nt\n.\nx\n.\ny = 1",
"0"
],
[
"EVAL",
"return 1 +",
"0"
],
[
"EVAL",
"return 'abc",
"0"
],
[
"EVAL",
"return [[abc",
"0"
],
[
"EVAL",
"--[[ unfinished",
"0"
],
[
"EVAL",
"local function f(",
"0"
],
[
"EVAL",
"if true then",
"0"
],
[
"EVAL",
"return 1 end",
"0"
],
[
"EVAL",
"local x <const> = 1 return x",
"0"
],
[
"EVAL",
"return '\\u{48}'",
"0"
],
[
"EVAL",
"return 1 & 2",
"0"
],
[
"EVAL",
"return 1 ~ 2",
"0"
],
[
"EVAL",
"return 1 << 2",
"0"
],
[
"EVAL",
"::lbl:: return 1",
"0"
],
[
"EVAL",
"return '\\q'",
"0"
],
[
"EVAL",
"return '\\300'",
"0"
],
[
"EVAL",
"return '\\x41'",
"0"
],
[
"EVAL",
"return 0x",
"0"
],
[
"EVAL",
"return 1e",
"0"
],
[
"EVAL",
"return 3..2",
"0"
],
[
"EVAL",
"local a = 1 local a = 2 return a",
"0"
],
[
"EVAL",
"return {f = function() end}",
"0"
],
[
"EVAL",
"return function() end",
"0"
],
[
"EVAL",
"return coroutine.create(function() end)",
"0"
],
[
"EVAL",
"return {1, function() end, 3}",
"0"
],
[
"EVAL",
"return redis.call('hgetall', 'nokey')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('hgetall', 'nokey')",
"0"
],
[
"EVAL",
"redis.call('hset','h','a','1','b','2') redis.setresp(3) local r = redis.call('hgetall', 'h') local n = 0 for k, v in pairs(r.map) do n = n + 1 end return n",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('hrandfield', 'nokey', 1, 'withvalues')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('zscore', 'nokey', 'a')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('zadd', 'zz', 1, 'a')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('zincrby', 'zz', 1.5, 'a')",
"0"
],
[
"EVAL",
"redis.setresp(3) return type(redis.call('zincrby', 'zz', 1.5, 'a').double)",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('exists', 'zz')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('config', 'get', 'maxmemory')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.pcall('incr', 'zz')",
"0"
],
[
"EVAL",
"redis.setresp(3) local r = redis.pcall('incr', 'zz') return type(r)",
"0"
],
[
"EVAL",
"redis.setresp(2) return redis.call('zincrby', 'zz', 1.5, 'a')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('debug', 'protocol', 'set')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('debug', 'protocol', 'map')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('debug', 'protocol', 'push')",
"0"
],
[
"EVAL",
"redis.setresp(3) return redis.call('debug', 'protocol', 'bignum')",
"0"
],
[
"EVAL",
"redis.setresp(3) local r = redis.call('debug', 'protocol', 'bignum') return type(r) .. tostring(r.big_number)",
"0"
],
[
"EVAL",
"redis.setresp(3) local r = redis.call('debug', 'protocol', 'verbatim') return r.verbatim_string.format .. r.verbatim_string.string",
"0"
],
[
"EVAL",
"redis.setresp(3) local r = redis.call('debug', 'protocol', 'double') return tostring(r.double)",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'double')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'bignum')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'true')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'null')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'set')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'verbatim')",
"0"
],
[
"EVAL",
"return redis.call('debug', 'protocol', 'attrib')",
"0"
],
[
"EVAL",
"return {redis.call('debug', 'protocol', 'false')}",
"0"
],
[
"EVAL",
"return redis.setresp(3) == nil",
"0"
],
[
"EVAL",
"redis.setresp(3) return {1, {double = 2.5}, {big_number = '123'}, {map = {x = {set = {y = true}}}}, true, false}",
"0"
],
[
"EVAL",
"redis.setresp(3) return {ok = 'fine'}",
"0"
],
[
"EVAL",
"redis.setresp(3) return {err = 'bad'}",
"0"
],
[
"EVAL",
"return {ok = 'fine', err = 'bad'}",
"0"
],
[
"EVAL",
"return {err = 'bad', ok = 'fine'}",
"0"
],
[
"EVAL",
"return {1, {err = 'inner'}, 3}",
"0"
],
[
"EVAL",
"return {1, {ok = 'inner'}, 3}",
"0"
],
[
"EVAL",
"return {1, redis.error_reply('E1 x'), redis.status_reply('S')}",
"0"
],
[
"EVAL",
"return {{}, {{}}}",
"0"
],
[
"EVAL",
"return {[1] = 'a', [2] = 'b', [4] = 'd'}",
"0"
],
[
"EVAL",
"return {n = 1}",
"0"
],
[
"EVAL",
"return {1.9, -1.9, 2^53, 0.5}",
"0"
],
[
"EVAL",
"return redis.sha1hex('abc')",
"0"
],
[
"EVAL",
"return redis.sha1hex(100000000000000)",
"0"
],
[
"EVAL",
"return redis.sha1hex({})",
"0"
],
[
"EVAL",
"return redis.sha1hex('a', 'b')",
"0"
],
[
"EVAL",
"return redis.status_reply({})",
"0"
],
[
"EVAL",
"return redis.error_reply({})",
"0"
],
[
"EVAL",
"return redis.log(redis.LOG_NOTICE, 100000000000000)",
"0"
],
[
"EVAL",
"return redis.log(redis.LOG_NOTICE, {})",
"0"
],
[
"EVAL",
"return redis.log(redis.LOG_NOTICE)",
"0"
],
[
"EVAL",
"return redis.log()",
"0"
],
[
"EVAL",
"return redis.log(1.5, 'x')",
"0"
],
[
"EVAL",
"return redis.log(-1, 'x')",
"0"
],
[
"EVAL",
"return redis.setresp(2.5)",
"0"
],
[
"EVAL",
"return redis.setresp('3')",
"0"
],
[
"EVAL",
"return redis.setresp('x')",
"0"
],
[
"EVAL",
"return redis.set_repl(redis.REPL_NONE)",
"0"
],
[
"EVAL",
"return redis.set_repl('x')",
"0"
],
[
"EVAL",
"return {redis.REPL_ALL, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_NONE}",
"0"
],
[
"EVAL",
"return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
"0"
],
[
"EVAL",
"return redis.call('set', 'k', 'v', 'ex', 100000000000000)",
"0"
],
[
"EVAL",
"return redis.call('expire', 'k', 1.5)",
"0"
],
[
"EVAL",
"return redis.call('incrby', 'n', 2^53)",
"0"
],
[
"EVAL",
"return redis.call('incrby', 'n', 0x10)",
"0"
],
[
"EVAL",
"return redis.call('lrange', 'nolist', 0, -1)",
"0"
],
[
"EVAL",
"return redis.call('getrange', 'k', 0, 1e15)",
"0"
],
[
"EVAL",
"return redis.call('setrange', 'k2', 0, 100000000000000)",
"0"
],
[
"EVAL",
"return redis.call('get', 'k2')",
"0"
],
[
"EVAL",
"return redis.call('set', 'k3', -0) and redis.call('get', 'k3')",
"0"
],
[
"EVAL",
"return redis.call('set', 'k3', 0/0) and redis.call('get', 'k3')",
"0"
],
[
"EVAL",
"return redis.call('set', 'k3', tonumber('0x10')) and redis.call('get', 'k3')",
"0"
],
[
"EVAL",
"return redis.call('set', 'k3', 2^63) and redis.call('get', 'k3')",
"0"
],
[
"EVAL",
"return redis.call('set', 'k3', 123456789012345678) and redis.call('get', 'k3')",
"0"
],
[
"EVAL",
"return 'a\\zb'",
"0"
],
[
"EVAL",
"return \"\\x\"",
"0"
],
[
"EVAL",
"return 'ab\\300'",
"0"
],
[
"EVAL",
"return 'a\\1b\\65'",
"0"
],
[
"EVAL",
"return 7 // 2",
"0"
],
[
"EVAL",
"return 1 >> 2",
"0"
],
[
"EVAL",
"local a = 1 | 2",
"0"
],
[
"EVAL",
"return ~1",
"0"
],
[
"EVAL",
"return 1 ~= 2",
"0"
],
[
"EVAL",
"local t = {} return t::x",
"0"
],
[
"EVAL",
"local s = 'a' return s:upper()",
"0"
],
[
"EVAL",
"local x <close> = nil",
"0"
],
[
"EVAL",
"return 2 < 3",
"0"
],
[
"EVAL",
"return 'a&b|c~d<<e' .. [[//]] -- & | ~",
"0"
],
[
"EVAL",
"return 1 1 & 2",
"0"
],
[
"EVAL",
"return [[\nabc",
"0"
],
[
"EVAL",
"local s = loadstring('return 1 & 2') return s",
"0"
],
[
"EVAL",
"local f, e = loadstring('return 1 & 2') return e",
"0"
],
[
"EVAL",
"local f, e = loadstring('return \"\\\\x41\"') return f()",
"0"
],
[
"EVAL",
"return loadstring('return 100000000000000')()",
"0"
],
"return struct.pack('>I4', 0xffffffff) == '\\255\\255\\255\\255'",
"return struct.unpack('>i8', struct.pack('>i8', 9007199254740993))",
"return cmsgpack.pack(0xffffffffffffffff) == cmsgpack.pack(2^64)",
"return cmsgpack.unpack(cmsgpack.pack(-9223372036854775808))",
"return bit.tohex(0x7fffffff + 1)",
"return bit.band(0xffffffffff, 0xff)",
"return bit.lshift(1, 31)",
"return bit.tobit(2^32 + 5)",
"local t = {} for i = 1, 5 do t[i] = i end return #t",
"local t = {10, 20, 30} local s = 0 for i, v in ipairs(t) do s = s + i * v end return s",
"local t = {} t[1] = 1 t[2^53] = 2 local n = 0 for k in pairs(t) do n = n + 1 end return n",
"local s = 0 for i = 3, 1, -1 do s = s * 10 + i end return s",
"local s = '' for i = 0.1, 0.5, 0.1 do s = s .. i .. ',' end return s",
"local s = 0 for i = 1, 2^53 + 10, 2^52 do s = s + 1 end return s",
"return string.rep('a', 3.0) .. string.sub('abc', 2.0) .. string.char(65.0)",
"return select(2.0, 'a', 'b')",
"return table.concat({1, 2, 3}, '-', 1.0, 2.0)",
"local t = {1, 2, 3} table.remove(t, 1.0) return t",
"return unpack({1, 2, 3}, 2.0, 3.0)",
"return {pcall(error)}",
"return {pcall(error, nil)}",
"return {pcall(error, 'x', 1)}",
"local function f() error('lvl2', 2) end local ok, e = pcall(f) return e",
"local ok, e = pcall(function() local t = setmetatable({}, {__newindex = function() error('ni') end}) t.x = 1 end) return e",
"local ok, e = xpcall(function() error({err='T'}) end, function(e) return type(e) end) return {ok, e}",
"local ok, e = pcall(redis.call, 'set', 'k') return e",
"local ok, e = pcall(redis.call) return e",
"local r = redis.pcall('set', 'k') return type(r) .. tostring(r.err)",
"return redis.pcall('eval', 'return 1', 0)",
"return redis.pcall('nosuch', 1)",
"return {redis.pcall('get', 'a', 'b')}",
"return rawequal(string, string)",
"return rawget(KEYS, 1)",
"return #ARGV",
"string.len = nil",
"table.insert = 5",
"redis.foo = 1",
"bit.x = 1",
"cjson.x = 1",
"local g = _G g.y = 1",
"local s = setmetatable({}, {__index = _G}) return s.redis ~= nil",
"return tostring(tonumber('1e1', 10))",
"return tostring(tonumber(100000000000000, 10))",
"return tostring(tonumber(10, 16))",
"return tostring(tonumber('7fffffffffffffff', 16))",
"return tostring(tonumber('-1', 16))",
"return math.floor('x')",
"return math.ceil()",
"return tostring(math.floor(2^53 + 0.5))",
"return tostring(tonumber(' 10 ', 2))",
"return tostring(tonumber('1.5', 16))",
"return '3' + 4 .. ''",
"return 10 .. 20",
"return 1e100 .. ''",
"return -'-2' .. ''",
"return tostring(-'abc')",
"return ('5'):rep(2) + 1",
["EVAL", "local s = [==[ 10 ]] 20 ]==] --[==[ 30 ]] 40 ]==]\r\nreturn s .. tostring(100000000000000)", "0"],
["EVAL", "local s = 'a\\\\' .. \"b\\\"10\" -- 100000000000000\nreturn s .. 100000000000000", "0"],
["EVAL", "local t = {x1 = 10, [20] = 'y'} return t.x1 .. t[20] .. #t", "0"],
["EVAL", "return 1..2", "0"],
["EVAL", "return 1 .. 2", "0"],
["EVAL", "local a = {...} return #a", "0"],
["EVAL", "return 0x10 .. 0XfF .. 1e2 .. 5E-1", "0"],
["EVAL", "local x = 5 return x-0 .. x - -0", "0"]
];

/** Known divergences (README Known differences), checked to still differ so the list stays true. */
export const KNOWN: Case[] = [
[
"EVAL",
"goto x",
"0"
],
[
"EVAL",
"return\n1\n+\nnil",
"0"
],
"local s = 'abc' return -s",
"local s = 'abc' return 1 - s",
"local s = 'abc' return s + 1",
"local t = {} local s = 'abc' return s * t",
"return string.format('%-+ #0d', 1)",
"return tostring(-1e17 % 7)",
"return tostring(-5 % 0) .. tostring(5 % -0) .. tostring(5.5 % math.huge) .. tostring(-5 % math.huge)",
"return tostring(1 - 0) .. tostring(-0)",
"return tostring(1e17 % 3)",
"return tostring(1e300 % 7)",
"return tostring(2^60 % 3.3)",
"return {pcall(error, 'x', 2)}"
];
