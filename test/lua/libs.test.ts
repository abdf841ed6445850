/**
 * Differential corpus for Redis's Lua libraries (cjson, cmsgpack, struct, bit): every case runs
 * (a) in a standalone Lua state with `installLibraries` (src/lua/libs) and (b) as
 * `EVAL <script> 0` on a real redis-server 7.0, and the two results must be equal byte for byte.
 *
 * A case is a Lua expression E, run as `pcall(function() return E end)`; every value it returns
 * (or the error text, with its "user_script:N:" position: the standalone chunk is named
 * "@user_script" as Redis names it) is serialized by the same Lua prelude on both sides
 * (strings escaped, numbers with %.17g and tostring, tables with sorted keys). Cases are sent in
 * batches, one script per batch. Cases that change cjson's configuration run in their own
 * script, after SCRIPT FLUSH on Redis (which recreates its Lua state) and in a fresh state here.
 *
 * Tables with more than one key outside the array part are serialized in the table's traversal
 * order by cjson.encode and cmsgpack.pack, which differs between Lua 5.1 and 5.4 (see README,
 * "Lua libraries"): such cases compare a canonical form (decoded and re-serialized, or sorted).
 *
 * The random part (seeded; LUALIBS_SEED replays, LUALIBS_RUNS sets the count) generates Lua
 * values and checks cjson and cmsgpack encodings and round trips against Redis.
 */
import { expect } from 'chai';
import { loadLua, LuaVM, type LuaModule } from '../../src/lua/vm.js';
import { installLibraries } from '../../src/lua/libs/index.js';
import { fmtG, strtod } from '../../src/lua/libs/cnum.js';
import { libCtx } from '../../src/lua/libs/capi.js';
import { startRedis, type RealRedis } from '../diff/servers.js';
import { RespConn } from '../diff/conn.js';
import { seededRandom } from '../../src/random.js';

const PRELUDE = [
  'local unpack = unpack or table.unpack',
  'local function esc(s) return (string.gsub(s, "[^%w%p ]", function(c) return string.format("\\\\%02x", string.byte(c)) end)) end',
  'local function hex(s) return (string.gsub(s, ".", function(c) return string.format("%02x", string.byte(c)) end)) end',
  'local ser',
  'ser = function(v, d, key) d = d or 0 local t = type(v)',
  '  if t == "string" then return "\\"" .. esc(v) .. "\\""',
  // A key's number subtype is the table's (5.4 stores integral float keys as integers): %.17g only.
  '  elseif t == "number" then if key then return string.format("%.17g", v) end return string.format("%.17g", v) .. "/" .. tostring(v)',
  '  elseif t == "table" then if d > 40 then return "{...}" end local ks = {}',
  '    for k, x in pairs(v) do ks[#ks + 1] = ser(k, d + 1, true) .. "=" .. ser(x, d + 1) end',
  '    table.sort(ks) return "{" .. table.concat(ks, ",") .. "}"',
  '  elseif t == "userdata" then if v == cjson.null then return "null" end return "userdata"',
  '  else return tostring(v) end end',
  'local function all(...) local n = select("#", ...) local o = {}',
  '  for i = 1, n do o[i] = ser((select(i, ...))) end return n .. "[" .. table.concat(o, " ") .. "]" end',
  'local R = {}',
].join('\n');

function caseLine(expr: string): string {
  return `R[#R + 1] = all(pcall(function() return ${expr} end))`;
}

function script(setup: string, exprs: readonly string[]): string {
  return `${PRELUDE}\n${setup}\n${exprs.map(caseLine).join('\n')}\nreturn table.concat(R, "\\n")`;
}

/** A Lua state as the engine builds one for scripts: the standard libraries plus Redis's four. */
class Standalone {
  private readonly vm: LuaVM;
  constructor(private readonly m: LuaModule) {
    this.vm = new LuaVM(m);
    m._luaL_openlibs(this.vm.L);
    installLibraries(this.vm, this.vm.L);
  }
  run(src: string): string {
    const { m, vm } = this;
    const L = vm.L;
    const b = Buffer.from(src, 'latin1');
    const p = m._malloc(b.length);
    m.HEAPU8.set(b, p);
    let st = m._luaL_loadbufferx(L, p, b.length, vm.cstr('@user_script'), 0);
    m._free(p);
    if (st === 0) st = m._lua_pcallk(L, 0, 1, 0, 0, 0);
    const out = vm.toBuffer(L, -1).toString('latin1');
    m._lua_settop(L, 0);
    return st === 0 ? out : `<error ${out}>`;
  }
  close(): void {
    this.m._lua_close(this.vm.L);
  }
}

function bulk(reply: string): string {
  if (reply.startsWith('$')) {
    const nl = reply.indexOf('\r\n');
    return reply.slice(nl + 2, reply.length - 2);
  }
  return `<reply ${reply.trim()}>`;
}

interface Group { setup?: string; exprs: string[] }

// ---------------------------------------------------------------- corpora

const q = (s: string): string => `"${s}"`;

/** The bytes of a Lua string body written with Lua escapes (\\, \ddd, \t...) but with bare quotes. */
function unLua(text: string): string {
  return text.replace(/\\(\d{1,3}|.)/g, (_, e: string) => {
    if (/^\d/.test(e)) return String.fromCharCode(Number(e));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

/** A Lua string literal for any bytes (every byte but letters, digits and space as \ddd). */
function luaStr(bytes: string): string {
  let out = '"';
  for (const ch of bytes) out += /[A-Za-z0-9 ]/.test(ch) ? ch : `\\${String(ch.charCodeAt(0)).padStart(3, '0')}`;
  return out + '"';
}

const BIT_VALUES = ['0', '1', '-1', '2^31', '2^31-1', '-2^31', '2^32', '2^32+5', '2^52', '2^53', '2^53+2', '2^63', '-2^63',
  '2^64', '1.5', '2.5', '-1.5', '0.4999', '1e300', '-1e300', '1/0', '-1/0', '0/0', '"10"', '" 0x10 "', '"inf"', '"-nan"',
  '"1e3"', '"0x1p4"', '"12abc"', '""', '"  "', 'nil', 'true', '{}', '0x7fffffff', '0xdeadbeef', '-0', '1e-300', '2^40+0.5'];
const bitCases: string[] = [];
for (const v of BIT_VALUES) {
  bitCases.push(`bit.tobit(${v})`, `bit.bnot(${v})`, `bit.tohex(${v})`, `bit.bswap(${v})`);
}
for (const [a, b] of [['0xff00ff', '0x0ff0f0'], ['-1', '2^32+1'], ['1.5', '"3"'], ['0xdeadbeef', '-2^31']]) {
  bitCases.push(`bit.band(${a}, ${b})`, `bit.bor(${a}, ${b})`, `bit.bxor(${a}, ${b})`, `bit.band(${a}, ${b}, 0xf0f0)`,
    `bit.bor(${a})`, `bit.bxor(${a}, ${b}, ${a}, 7)`);
}
for (const n of ['0', '1', '4', '31', '32', '33', '-1', '-31', '2^32+3', '"5"', '1.5', '0/0', '1e300']) {
  for (const v of ['1', '0x87654321', '-1', '0x80000000', '7']) {
    bitCases.push(`bit.lshift(${v}, ${n})`, `bit.rshift(${v}, ${n})`, `bit.arshift(${v}, ${n})`, `bit.rol(${v}, ${n})`,
      `bit.ror(${v}, ${n})`);
  }
}
for (const n of ['0', '1', '4', '7', '8', '9', '-1', '-4', '-8', '-9', '"3"', '2^32+2', '-2^31+1', '1.5']) {
  bitCases.push(`bit.tohex(0x12abCDef, ${n})`, `bit.tohex(-5, ${n})`);
}
bitCases.push('bit.tohex(0xabc, -2^31)', 'bit.tohex(0xabc, 2^31)', 'bit.tohex(0xabc, 2^31 + 1)',
  '(function() local f = bit.tobit return f("x") end)()', '(function() local f = bit.tobit local r = f("x") return r end)()',
  'bit:tobit()', 'cjson:encode()', 'cjson:decode()', 'struct:pack()', 'cmsgpack:unpack()', 'cmsgpack.unpack_one(cmsgpack)',
  '(function() local r = cmsgpack.pack() return r end)()', '(function() local r = cjson.encode(1, 2) return r end)()',
  '(function() local t = {f = struct.size} local r = t.f("s") return r end)()', '(function() local t = {f = struct.size} local r = t:f() return r end)()',
  '(function() local r = bit.band(1, {}) return r end)()', 'select(2, pcall(bit.bor, 1, "z"))');
bitCases.push('bit.tobit()', 'bit.band()', 'bit.band(1, "x")', 'bit.bor(1, 2, {})', 'bit.lshift(1)', 'bit.tohex(1, nil)',
  'bit.tohex(1, "z")', 'bit.tobit("x")', 'bit.rol()', 'select("#", bit.tobit(1, 2, 3))', 'type(bit.tobit(5))',
  'bit.tobit(1) == 1', 'tostring(bit.tobit(2^31))', '(bit.tobit(3))', 'bit.band(unpack({1, 3, 7, 15, 31}))',
  'pcall(bit.tobit, "q")', 'pcall(bit.band, 1, nil)', 'bit.tobit("0x")', 'bit.tobit("1e")', 'bit.tobit("  12  ")',
  'bit.tobit("12\\0")', 'bit.tobit(" \\t\\n7")', 'bit.tobit("0x7fffffffff")', 'bit.tobit("-0x10")', 'bit.tobit(".5")',
  'bit.tobit("5.")', 'bit.tobit("infinity")', 'bit.tobit("nan(12)")', 'bit.tobit("+3")');

const STRUCT_FMTS = ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'T', 'i1', 'i2', 'i3', 'i5', 'i7', 'i8', 'i9', 'i12', 'I16',
  'i32', 'I3', 'f', 'd'];
const STRUCT_NUMS = ['0', '1', '-1', '127', '128', '255', '256', '-128', '-129', '65535', '-32768', '2^31', '-2^31', '2^32-1',
  '2^32', '2^53', '2^63', '2^64', '-2^63', '-2^70', '1.9', '-1.9', '0/0', '1/0', '-1/0', '3.14159', '1e-40', '"12"', '" 0x20"'];
const structCases: string[] = [];
for (const f of STRUCT_FMTS) {
  for (const e of ['<', '>']) {
    for (const n of STRUCT_NUMS) structCases.push(`hex(struct.pack(${q(e + f)}, ${n}))`);
    structCases.push(`struct.unpack(${q(e + f)}, struct.pack(${q(e + f)}, -2))`,
      `struct.unpack(${q(e + f)}, string.rep("\\255", 40))`, `struct.unpack(${q(e + f)}, string.rep("\\128", 40))`,
      `struct.unpack(${q(e + f)}, "\\1\\2\\3\\4\\5\\6\\7\\8\\9\\10\\11\\12\\13\\14\\15\\16\\17\\18\\19\\20\\21\\22\\23\\24\\25\\26\\27\\28\\29\\30\\31\\32\\33")`,
      `struct.size(${q(e + f)})`);
  }
}
structCases.push(
  'hex(struct.pack("!4bi", 1, 2))', 'hex(struct.pack("!bi", 1, 2))', 'hex(struct.pack("!8bd", 1, 2))', 'hex(struct.pack("!2bhbi", 1, 2, 3, 4))',
  'hex(struct.pack("!4bxi", 1, 2))', 'hex(struct.pack("!16bi12", 1, 2))', 'hex(struct.pack("!4bi3i5", 1, 2, 3))', 'hex(struct.pack("!", 1))',
  'hex(struct.pack("!3bi", 1, 2))', 'hex(struct.pack("!0bi", 1, 2))', 'hex(struct.pack("!4bc3i", 1, "abc", 2))',
  'struct.size("!4bi")', 'struct.size("!bi")', 'struct.size("!8bd")', 'struct.size("!4bxi")', 'struct.size("bhilTfdxc5")',
  'struct.size("!8bhilTfdxc5")', 'struct.size("s")', 'struct.size("c0")', 'struct.size("c")', 'struct.size("z")', 'struct.size("9")',
  'struct.size("i33")', 'struct.size("i99999999999")', 'struct.size("!3")', 'struct.size("<>! ")', 'struct.size("\\200")',
  'struct.size("c2147483647c2147483647")', 'struct.size("")', 'struct.size(12)', 'struct.size()', 'struct.size({})',
  'hex(struct.pack("s", "hello"))', 'hex(struct.pack("s", "he\\0llo"))', 'hex(struct.pack("c5", "hello world"))', 'hex(struct.pack("c0", "xyz"))',
  'hex(struct.pack("c", "xyz"))', 'struct.pack("c5", "abc")', 'struct.pack("bc5", 1, "abc")', 'struct.pack("s", 12)', 'struct.pack("c2", 1234)',
  'hex(struct.pack("c2", 1234))', 'struct.pack("i")', 'struct.pack("b", "x")', 'struct.pack("b", nil)', 'struct.pack("q", 1)', 'struct.pack("i40", 1)',
  'struct.pack("!5b", 1)', 'struct.pack()', 'struct.pack(nil)', 'hex(struct.pack("", 1, 2))', 'hex(struct.pack("  b  ", 1))',
  'hex(struct.pack("b\\0b", 1, 2))', 'hex(struct.pack("xxb", 1))', 'hex(struct.pack(">i<i", 1, 1))', 'struct.pack("%", 1)', 'struct.pack("bz", 1)',
  'struct.unpack("s", "abc\\0def")', 'struct.unpack("ss", "abc\\0def\\0")', 'struct.unpack("s", "abc")', 'struct.unpack("bc0", "\\3abcdef")',
  'struct.unpack("c0", "abc")', 'struct.unpack("bc0", "\\9abc")', 'struct.unpack("c1c0", "3abcd")', 'struct.unpack("c1c0", "xabcd")',
  'struct.unpack("bc0", "\\255abc")', 'struct.unpack("c3", "abcdef", 2)', 'struct.unpack("c3", "abcdef", 4)', 'struct.unpack("c3", "abcdef", 5)',
  'struct.unpack("b", "abc", 0)', 'struct.unpack("b", "abc", -1)', 'struct.unpack("", "abc", -5)', 'struct.unpack("", "abc", 7)',
  'struct.unpack("", "abc", 2^64)', 'struct.unpack("", "abc", 1.9)', 'struct.unpack("b", "abc", "2")', 'struct.unpack("b", "abc", "x")',
  'struct.unpack("b", "abc", nil)', 'struct.unpack("!4bi", struct.pack("!4bi", 7, 9))', 'struct.unpack("!4bi", "\\1\\0\\0\\0\\2\\0\\0")',
  'struct.unpack("i", "abc")', 'struct.unpack("x", "")', 'struct.unpack("<", "")', 'struct.unpack("b")', 'struct.unpack(nil, "a")',
  'struct.unpack("b", {})', 'struct.unpack("q", "abc")', 'struct.unpack("bbb", "ab")', 'struct.unpack("i0", "")', 'struct.unpack(">i0b", "\\5")',
  'struct.unpack(">c2s", "ab\\0")', 'struct.unpack("f", struct.pack("f", 0.1))', 'struct.unpack(">d", struct.pack(">d", -0.0))',
  'struct.unpack(">f", "\\127\\192\\0\\0")', 'struct.unpack(">d", "\\255\\240\\0\\0\\0\\0\\0\\0")', 'struct.unpack("<I8", string.rep("\\255", 8))',
  'struct.unpack("<i8", "\\0\\0\\0\\0\\0\\0\\0\\128")', 'struct.unpack(">I8", "\\128\\0\\0\\0\\0\\0\\0\\1")', 'struct.unpack("b", 1)',
  'struct.unpack(12, "12")', 'select("#", struct.unpack(string.rep("b", 7997), string.rep("a", 8000)))',
  'select("#", struct.unpack(string.rep("b", 7998), string.rep("a", 8000)))', 'select("#", struct.unpack(string.rep("x", 9000), string.rep("a", 9000)))',
  'struct.unpack("c2147483647", "abc")', 'struct.pack("i2147483648", 1)', 'struct.pack("!2147483648", 1)', 'hex(struct.pack("!1073741824bi", 1, 2))',
  'struct.size("!1073741824bi")', 'struct.size("i0i0")', 'struct.unpack("i1i1i1", "\\1\\2\\3", 2)', 'struct.unpack(">h", "\\255\\254")',
  'struct.unpack("<H", "\\255\\254")', 'struct.unpack("<T", "\\1\\0\\0\\0\\0\\0\\0\\0")', 'struct.unpack(">L", "\\0\\0\\0\\0\\0\\0\\1\\0")');

const CJSON_ENCODE = ['1', '-1', '0', '-0.0', '0.1', '1/3', '-1/3', '1e14', '1e15', '123456789012345', '1e100', '1e-5', '0.0001', '0.00001',
  '1e308', '2^53', '2^63', '-2^63', '3.14159265358979', '100000000000000.5', '100000000000001.5', '2.5', '0.5', '1e21', '12345.678',
  '"hello"', '""', '"a\\"b"', '"a\\\\b"', '"a/b"', '"\\0\\1\\2\\31"', '"\\127\\128\\255"', '"\\8\\9\\10\\11\\12\\13"', '"\\195\\169"',
  'true', 'false', 'nil', 'cjson.null', '{}', '{1,2,3}', '{"a","b"}', '{{}}', '{{{}}}', '{1,{2,{3}}}', '{a=1}', '{a={b={c={}}}}',
  '{[1]=1,[2]=2,[4]=4}', '{[1]=1,[10]=10}', '{[1]=1,[11]=11}', '{[11]=1}', '{[20]=1,[2]=1,[3]=1,[4]=1,[5]=1,[6]=1,[7]=1,[8]=1,[9]=1,[10]=1,[1]=1}',
  '{[0]=1}', '{[-1]=1}', '{[1.5]=1}', '{[2^31]=1}', '{[2^31]=1, [1]=2}', '{[true]=1}', '{[{}]=1}', '{nil, 2}', '{1, nil, 3}',
  '{cjson.null}', '{a=cjson.null}', '{f=function() end}', 'function() end', 'coroutine.create(function() end)', '0/0', '1/0', '-1/0',
  '{0/0}', '{[1/0]=1}', '{["a/b"]="c\\"d"}', '{["\\0"]=0}', '{1.5}', '{[2]=1}', '{[3]=1}', '{1,2,3,nil,5}', 'string.rep("x", 100)',
  '{[1]=1,[2]=2,[3]=3,[4]=4,[5]=5,[6]=6,[7]=7,[8]=8,[9]=9,[10]=10,[11]=11,[30]=30}', '{[12]=1,[1]=1,[2]=1,[3]=1,[4]=1,[5]=1}',
  '{[2^53]=1}', '{[1e15]=1}', '{[0.5]=1}', '{1e300, -1e-300}', '{5e-324}', '{1.7976931348623157e308}', '{[1]={a={[1]={b=2}}}}'];
const CJSON_DECODE = ['1', '-1', '1.5', '-0', '0', '1e5', '1E5', '1e-5', '1.', '.5', '01', '-01', '0x10', '0X1F', '-0x10', '+1', '+', '-',
  '1e', '1e+', '- 1', 'Infinity', '-Infinity', 'inf', 'INF', 'nan', 'NaN', '-nan', 'nan(123)', 'infinity', 'infinit', 'nul', 'tru',
  'fals', 'true', 'false', 'null', 'True', 'NULL', '12345678901234567890', '123456789012345678', '9007199254740993', '1e400',
  '-1e400', '1e-400', '4.9e-324', '0.1', '3.141592653589793238462643383279', '"abc"', '""', '"a\\\\"b"', '"\\\\u0041"', '"\\\\u00e9"',
  '"\\\\u20AC"', '"\\\\ud83d\\\\ude00"', '"\\\\ud83d"', '"\\\\ude00"', '"\\\\ud83dx"', '"\\\\ud83d\\\\u0041"', '"\\\\u12"', '"\\\\u12G4"',
  '"\\\\uD800\\\\uDC00"', '"\\\\u0000"', '"\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t"', '"\\\\x"', '"\\\\a"', '"\\\\\'"', '"abc', '"a\\0b"',
  '"tab\\tin"', '"\\1"', '[]', '[1,2,3]', '[1,[2,[3,[4]]]]', '[1,]', '[,1]', '[1 2]', '[', ']', '[1', '{}', '{"a":1}',
  '{"a":1,"a":2}', '{"a":{"b":{"c":[]}}}', '{"a"}', '{"a":}', '{"a":1,}', '{1:2}', '{"a" 1}', '{"a":1 "b":2}', '{', '}',
  '  [ 1 , 2 ]  ', '\\t\\n\\r [1]', '[1]\\0garbage', '[1] x', '[1] [2]', '', ' ', '\\0', 'a', '@', '[null, null]', '[true,false]',
  '[1e2,-3.5E-2]', '{"\\\\u0000":1}', '"\\195\\169"', '[0.30000000000000004]', '1.7976931348623157e308', '[-0.0]', '1e+2',
  '{"a":[1,{"b":null}]}', '[[[[[[[[[[]]]]]]]]]]', '"\\\\uDFFF"', '"\\\\uFFFF"', '"\\\\u007f"', '[01.5]', '[-]', '[--1]',
  '[0x]', '[0xg]', '[1.5e]', '[.e1]', '[1 , 2 ,3]', '{"x":true ,"y" : false}', '["a" , "b"]', '\\255', '[\\255]'];

const cjsonCases: string[] = [];
for (const v of CJSON_ENCODE) cjsonCases.push(`cjson.encode(${v})`);
/** Inputs whose decoded table has several keys: re-encoding them is order-dependent (orderFreeCases). */
const MULTI_KEY_JSON = new Set(['{"x":true ,"y" : false}']);
for (const s of CJSON_DECODE) {
  cjsonCases.push(`cjson.decode(${luaStr(unLua(s))})`);
  if (!MULTI_KEY_JSON.has(s)) cjsonCases.push(`cjson.encode(cjson.decode(${luaStr(unLua(s))}))`);
}
cjsonCases.push('cjson.encode()', 'cjson.encode(1, 2)', 'cjson.decode()', 'cjson.decode(1, 2)', 'cjson.decode(nil)', 'cjson.decode({})',
  'cjson.decode(123)', 'cjson.decode(1.5)', 'cjson.decode("\\0[")', 'cjson.decode("[\\0")', 'cjson.decode("1\\0")',
  'cjson.null == cjson.decode("null")', 'type(cjson.null)', 'cjson._NAME', 'cjson._VERSION', 'type(cjson.new)',
  'type(cjson.new())', 'cjson.new().encode({1})', 'cjson.new() == cjson', 'cjson.encode_max_depth()', 'cjson.decode_max_depth()',
  'cjson.encode_number_precision()', 'cjson.encode_keep_buffer()', 'cjson.encode_invalid_numbers()', 'cjson.decode_invalid_numbers()',
  'cjson.encode_sparse_array()', 'cjson.encode_max_depth(1, 2)', 'cjson.encode_sparse_array(1, 2, 3, 4)',
  'cjson.encode_max_depth("x")', 'cjson.encode_max_depth(0)', 'cjson.encode_number_precision(15)', 'cjson.encode_number_precision(0)',
  'cjson.encode_sparse_array(nil, -1)', 'cjson.encode_sparse_array(nil, nil, -1)', 'cjson.encode_keep_buffer("maybe")',
  'cjson.encode_invalid_numbers("nul")', 'cjson.encode_invalid_numbers({})', 'cjson.decode_invalid_numbers(2)',
  'cjson.encode_keep_buffer("on\\0x")', 'cjson.encode_max_depth(2^32 + 5)', 'cjson.encode_max_depth(-2^32 + 1000)',
  'cjson.encode(string.rep("[", 10))', 'cjson.decode(string.rep("[", 999) .. string.rep("]", 999))',
  'cjson.decode(string.rep("[", 1000) .. string.rep("]", 1000))', 'cjson.decode(string.rep("[", 1001) .. string.rep("]", 1001))',
  'cjson.decode(string.rep("{\\"a\\":", 1001) .. "1" .. string.rep("}", 1001))', 'cjson.decode(string.rep("[", 1001))',
  '#cjson.encode(cjson.decode(string.rep("[", 1000) .. string.rep("]", 1000)))',
  '(function() local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t) end)()',
  '(function() local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t) end)()',
  '(function() local t = {} t[1] = t return cjson.encode(t) end)()', '(function() local t = {} t.a = t return cjson.encode(t) end)()',
  'cjson.encode(cjson)', 'cjson.encode({cjson.encode})', 'cjson.encode({[cjson.null]=1})', 'cjson.encode(setmetatable({}, {__index=function() return 1 end}))',
  'cjson.encode(setmetatable({1,2}, {__len=function() return 5 end}))', 'cjson.decode("[1,2,3]")[2]', '#cjson.decode("[1,2,3]")',
  'cjson.decode("{\\"1\\":2}")["1"]', 'cjson.decode("[null]")[1] == cjson.null', 'cjson.encode({[1]=1,[2]=2,[3]=cjson.null})',
  'cjson.encode(cjson.decode("[1,null,3]"))', 'cjson.encode({a={}}, nil)', 'pcall(cjson.encode)', 'pcall(cjson.decode, "x")',
  'cjson.encode(string.char(0, 10, 34, 47, 92, 127, 128, 255))', 'cjson.decode(cjson.encode(string.char(0, 10, 34, 47, 92, 127, 128, 255)))');

/** Cases that change cjson's configuration, each group in a fresh Lua state. */
const cjsonConfigGroups: Group[] = [
  { setup: 'cjson.encode_max_depth(2)', exprs: ['cjson.encode({{1}})', 'cjson.encode({{{1}}})', 'cjson.encode_max_depth()', 'cjson.encode({a={b={}}})'] },
  { setup: 'cjson.decode_max_depth(2)', exprs: ['cjson.decode("[[1]]")', 'cjson.decode("[[[1]]]")', 'cjson.decode("{\\"a\\":{\\"b\\":{}}}")', 'cjson.decode("  [ [ [1]]]")'] },
  { setup: 'cjson.encode_number_precision(3)', exprs: ['cjson.encode(3.14159)', 'cjson.encode(12345)', 'cjson.encode({[1234.5]=1})', 'cjson.encode(0.00012345)', 'cjson.encode(2.5)', 'cjson.encode(1e100)'] },
  { setup: 'cjson.encode_number_precision(1)', exprs: ['cjson.encode(0.5)', 'cjson.encode(1.5)', 'cjson.encode(2.5)', 'cjson.encode(25)', 'cjson.encode(35)', 'cjson.encode(-0.05)'] },
  { setup: 'cjson.encode_number_precision(14)', exprs: ['cjson.encode(0.1 + 0.2)', 'cjson.encode(2^63)'] },
  { setup: 'cjson.encode_invalid_numbers(true)', exprs: ['cjson.encode(0/0)', 'cjson.encode(-(0/0))', 'cjson.encode(1/0)', 'cjson.encode(-1/0)', 'cjson.encode({[1/0]=1})', 'cjson.encode_invalid_numbers()'] },
  { setup: 'cjson.encode_invalid_numbers("null")', exprs: ['cjson.encode(0/0)', 'cjson.encode({1/0, -1/0, 1})', 'cjson.encode_invalid_numbers()', 'cjson.encode({[1/0]=1})'] },
  { setup: 'cjson.encode_invalid_numbers("on")', exprs: ['cjson.encode_invalid_numbers()', 'cjson.encode_invalid_numbers(false)', 'cjson.encode(1/0)'] },
  { setup: 'cjson.decode_invalid_numbers(false)', exprs: ['cjson.decode("0x10")', 'cjson.decode("NaN")', 'cjson.decode("Infinity")', 'cjson.decode("-Infinity")', 'cjson.decode("+1")', 'cjson.decode("01")', 'cjson.decode("-01")', 'cjson.decode("1.5")', 'cjson.decode("-0")', 'cjson.decode("-")', 'cjson.decode("[1, nan]")', 'cjson.decode_invalid_numbers()'] },
  { setup: 'cjson.decode_invalid_numbers("off")', exprs: ['cjson.decode("[0x1]")', 'cjson.decode_invalid_numbers("on")', 'cjson.decode("[0x1]")'] },
  { setup: 'cjson.encode_sparse_array(true)', exprs: ['cjson.encode({[1]=1,[20]=2})', 'cjson.encode({[11]=1})', 'cjson.encode({[3]=1})', 'cjson.encode_sparse_array()'] },
  { setup: 'cjson.encode_sparse_array(false, 0)', exprs: ['cjson.encode({[30]=1})', 'cjson.encode({[5]=1})', 'cjson.encode_sparse_array()'] },
  { setup: 'cjson.encode_sparse_array(false, 1, 0)', exprs: ['cjson.encode({[2]=1})', 'cjson.encode({1,2,3})', 'cjson.encode({[1]=1})', 'cjson.encode({[1]=1, [3]=1})'] },
  { setup: 'cjson.encode_sparse_array("on", 3, 2)', exprs: ['cjson.encode({[4]=1, [1]=1})', 'cjson.encode({[7]=1, [1]=1})', 'cjson.encode({[2]=1})', 'cjson.encode_sparse_array()'] },
  { setup: 'cjson.encode_sparse_array(nil, 2^31 - 1, 0)', exprs: ['cjson.encode({[5]=1, [1]=2, [2]=3})', 'cjson.encode_sparse_array()'] },
  { setup: 'cjson.encode_keep_buffer(false)', exprs: ['cjson.encode({1, 2})', 'cjson.encode_keep_buffer()', 'cjson.encode_keep_buffer("on")', 'cjson.encode(0/0)', 'cjson.encode({1})'] },
  { setup: 'local c2 = cjson.new() c2.encode_max_depth(1)', exprs: ['cjson.encode({{1}})', 'cjson.encode_max_depth()', 'c2.encode_max_depth()', 'c2.encode({{1}})', 'c2.decode("[[1]]")'] },
  { setup: 'cjson.encode_max_depth(5000) cjson.decode_max_depth(5000)', exprs: [
    'cjson.decode(string.rep("[", 3990) .. string.rep("]", 3990))', 'cjson.decode(string.rep("[", 4100) .. string.rep("]", 4100))',
    'cjson.decode(string.rep("{\\"a\\":", 2665) .. "1" .. string.rep("}", 2665))', 'cjson.decode(string.rep("{\\"a\\":", 2700) .. "1" .. string.rep("}", 2700))',
    '(function() local t = {} local c = t for i = 1, 2600 do c[1] = {} c = c[1] end return #cjson.encode(t) end)()',
    '(function() local t = {} local c = t for i = 1, 2700 do c[1] = {} c = c[1] end return #cjson.encode(t) end)()'] },
  // Depths where only the 8000-slot limit stops Redis: the JS side must not run out of stack first.
  { setup: 'cjson.encode_max_depth(100000) cjson.decode_max_depth(100000)', exprs: [
    'cjson.decode(string.rep("[", 7999) .. string.rep("]", 7999))', '#cjson.encode(cjson.decode(string.rep("[", 7990) .. string.rep("]", 7990)))',
    'cjson.decode(string.rep("{\\"a\\":", 5000) .. "1" .. string.rep("}", 5000))',
    '(function() local t = {} local c = t for i = 1, 9000 do c[1] = {} c = c[1] end return cjson.encode(t) end)()',
    '(function() local t = {} local c = t for i = 1, 9000 do c.a = {} c = c.a end return cjson.encode(t) end)()',
    '(function() local t = {} local c = t for i = 1, 3990 do c.a = {} c = c.a end return #cjson.encode(t) end)()'] },
];

const MP_VALUES = ['0', '1', '127', '128', '255', '256', '65535', '65536', '2^32-1', '2^32', '2^53', '2^63', '2^64', '-1', '-32', '-33',
  '-128', '-129', '-32768', '-32769', '-2^31', '-2^31-1', '-2^63', '-2^64', '0.5', '0.1', '1.5', '-1.5', '1e300', '1/0', '-1/0', '0/0',
  '-0', '3.4028234663852886e38', '1e-45', '2^-149', 'true', 'false', 'nil', 'cjson.null', '""', '"abc"', 'string.rep("x", 31)',
  'string.rep("x", 32)', 'string.rep("x", 255)', 'string.rep("x", 256)', 'string.rep("x", 65535)', 'string.rep("x", 65536)',
  '"\\0\\255"', '{}', '{1,2,3}', '{{}}', '{a=1}', '{[1]=1,[3]=3}', '{[0]=1}', '{[1.5]=1}', '{[2^31]=1}', '{[-1]=1}', '{nil,2}',
  'function() end', '{1,{2,{3,{4}}}}', '{true,false}', '{[1]="a",[2]="b"}', '{string.rep("y", 40)}'];
const cmsgpackCases: string[] = [];
for (const v of MP_VALUES) {
  cmsgpackCases.push(`hex(cmsgpack.pack(${v}))`, `cmsgpack.unpack(cmsgpack.pack(${v}))`);
}
const deep = (n: number): string => '{'.repeat(n) + '}'.repeat(n);
cmsgpackCases.push(`hex(cmsgpack.pack(${deep(15)}))`, `hex(cmsgpack.pack(${deep(16)}))`, `hex(cmsgpack.pack(${deep(17)}))`,
  `hex(cmsgpack.pack(${deep(20)}))`, `cmsgpack.unpack(cmsgpack.pack(${deep(18)}))`,
  '(function() local t = {} t[1] = t return hex(cmsgpack.pack(t)) end)()', 'hex(cmsgpack.pack(1, 2, "a", {3}))',
  'cmsgpack.unpack(cmsgpack.pack(1, 2, "a", {3}))', 'cmsgpack.pack()', 'cmsgpack.unpack()', 'cmsgpack.unpack("")', 'cmsgpack.unpack(nil)',
  'cmsgpack.unpack({})', 'cmsgpack.unpack(5)', 'cmsgpack.unpack("\\193")', 'cmsgpack.unpack("\\196\\1a")', 'cmsgpack.unpack("\\199")',
  'cmsgpack.unpack("\\212\\1\\1")', 'cmsgpack.unpack("\\204")', 'cmsgpack.unpack("\\205\\1")', 'cmsgpack.unpack("\\217\\5abc")',
  'cmsgpack.unpack("\\218\\0\\3abc")', 'cmsgpack.unpack("\\219\\0\\0\\0\\3abc")', 'cmsgpack.unpack("\\219\\0\\0\\0\\4abc")',
  'cmsgpack.unpack("\\220\\0\\2\\1\\2")', 'cmsgpack.unpack("\\221\\0\\0\\0\\2\\1\\2")', 'cmsgpack.unpack("\\220\\0\\3\\1\\2")',
  'cmsgpack.unpack("\\222\\0\\1\\1\\2")', 'cmsgpack.unpack("\\223\\0\\0\\0\\1\\161a\\2")', 'cmsgpack.unpack("\\129\\192\\1")',
  'cmsgpack.unpack("\\129\\203\\255\\248\\0\\0\\0\\0\\0\\0\\1")', 'cmsgpack.unpack("\\129\\1")', 'cmsgpack.unpack("\\146\\192\\1")',
  'cmsgpack.unpack("\\207\\255\\255\\255\\255\\255\\255\\255\\255")', 'cmsgpack.unpack("\\207\\128\\0\\0\\0\\0\\0\\0\\0")',
  'cmsgpack.unpack("\\211\\128\\0\\0\\0\\0\\0\\0\\0")', 'cmsgpack.unpack("\\211\\0\\32\\0\\0\\0\\0\\0\\1")', 'cmsgpack.unpack("\\208\\128")',
  'cmsgpack.unpack("\\209\\128\\0")', 'cmsgpack.unpack("\\210\\128\\0\\0\\0")', 'cmsgpack.unpack("\\206\\255\\255\\255\\255")',
  'cmsgpack.unpack("\\202\\127\\192\\0\\0")', 'cmsgpack.unpack("\\202\\63\\192\\0\\0")', 'cmsgpack.unpack("\\255\\224\\31")',
  'cmsgpack.unpack("\\1\\2\\3")', 'cmsgpack.unpack_one("\\1\\2\\3")', 'cmsgpack.unpack_one("\\1\\2\\3", 1)', 'cmsgpack.unpack_one("\\1\\2\\3", 2)',
  'cmsgpack.unpack_one("\\1\\2\\3", 3)', 'cmsgpack.unpack_one("\\1\\2\\3", 4)', 'cmsgpack.unpack_one("\\1\\2\\3", -1)', 'cmsgpack.unpack_one("\\1\\2\\3", 0)',
  'cmsgpack.unpack_one("")', 'cmsgpack.unpack_one()', 'cmsgpack.unpack_one("\\1", "x")', 'cmsgpack.unpack_one("\\1\\2", "1")',
  'cmsgpack.unpack_limit("\\1\\2\\3", 2)', 'cmsgpack.unpack_limit("\\1\\2\\3", 2, 1)', 'cmsgpack.unpack_limit("\\1\\2\\3", 5)',
  'cmsgpack.unpack_limit("\\1\\2\\3", 0)', 'cmsgpack.unpack_limit("\\1\\2\\3", 0, 1)', 'cmsgpack.unpack_limit("\\1\\2\\3", -1)',
  'cmsgpack.unpack_limit("\\1\\2\\3", 1, -2)', 'cmsgpack.unpack_limit("\\1\\2\\3", 1, 9)', 'cmsgpack.unpack_limit("\\1\\2\\3")',
  'cmsgpack.unpack_limit("\\1\\2\\3", "2")', 'cmsgpack.unpack_limit("\\1\\2\\3", 1.7)', 'cmsgpack.unpack_limit("\\1\\2\\3", 2^32 + 1)',
  'cmsgpack.unpack_limit("\\1\\204", 2)', 'cmsgpack.unpack_one("\\193")', 'cmsgpack._NAME', 'cmsgpack._VERSION', 'cmsgpack._COPYRIGHT',
  'cmsgpack._DESCRIPTION', 'cmsgpack.unpack(string.rep("\\145", 9000) .. "\\1")', 'cmsgpack.unpack(string.rep("\\129\\1", 9000) .. "\\1")',
  '#cmsgpack.pack(cmsgpack.unpack(string.rep("\\145", 3990) .. "\\1"))', 'cmsgpack.unpack(string.rep("\\220\\0\\1", 9000))',
  'cmsgpack.unpack(string.rep("\\129\\161a", 3000) .. "\\1")', 'cmsgpack.unpack(string.rep("\\130\\1", 3000) .. "\\1")', 'select("#", cmsgpack.unpack(string.rep("\\1", 7990)))', 'select("#", cmsgpack.unpack(string.rep("\\1", 7999)))',
  'select("#", cmsgpack.unpack(string.rep("\\1", 8000)))', 'cmsgpack.unpack(string.rep("\\145", 5000) .. "\\1")',
  'select("#", cmsgpack.unpack(string.rep("\\1", 7998)))', 'cmsgpack.unpack_limit(string.rep("\\1", 9000), 3, 8990)',
  'hex(cmsgpack.pack({[1]=1,[2]=2,[3]=nil,[4]=4}))', 'hex(cmsgpack.pack(setmetatable({}, {__index=function() return 1 end})))',
  'hex(cmsgpack.pack({[1]=cjson.null}))', 'hex(cmsgpack.pack(coroutine.create(function() end)))', 'cmsgpack.pack(unpack({1,2,3}))',
  'hex(cmsgpack.pack(2^63 - 1024))', 'hex(cmsgpack.pack(-2^63 + 1024))', 'hex(cmsgpack.pack(4294967295.5))', 'hex(cmsgpack.pack(16777217))',
  'hex(cmsgpack.pack(16777217.5))');

/** Tables with several keys outside the array part: compared in a canonical form. */
const orderFreeCases = [
  'cjson.decode(cjson.encode({a=1, b=2, c={d=3, e=4}}))', '#cjson.encode({a=1, b=2, c={d=3, e=4}})',
  'cjson.decode(cjson.encode({1, 2, x="y", z=false, [10]=1}))', 'cmsgpack.unpack(cmsgpack.pack({a=1, b="x", c={1, 2}, [5]=5}))',
  '#cmsgpack.pack({a=1, b="x", c={1, 2}, [5]=5})', 'cjson.decode(cjson.encode({[1]=1, [3]=3, [7]=7, [100]=1}))',
  'cjson.encode(cjson.decode(\'{"k":1}\'))', '#cjson.encode(cjson.decode(\'{"x":true ,"y" : false}\'))', 'cmsgpack.unpack(cmsgpack.pack(cjson.decode(\'{"a":[1,2,{"b":null}],"c":"d"}\')))',
];

// ---------------------------------------------------------------- random values


/** A random Lua value as source text; `oneKey` keeps tables to at most one key outside the array part. */
function genValue(r: () => number, depth: number, oneKey: boolean): string {
  const pick = Math.floor(r() * (depth > 3 ? 6 : 9));
  const int = (): number => Math.floor(r() * 2 ** (1 + Math.floor(r() * 60))) * (r() < 0.3 ? -1 : 1);
  switch (pick) {
    case 0: return String(Math.floor(r() * 300) - 100);
    case 1: { const n = int(); return Number.isSafeInteger(n) ? String(n) : `(${n})`; }
    case 2: {
      const forms = [() => `${Math.floor(r() * 1000)}/${1 + Math.floor(r() * 64)}`, () => `${(r() * 1e6).toFixed(3)}`,
        () => `${(r() - 0.5) * 1e-7}`, () => `2^${Math.floor(r() * 70)}`, () => `-2^${Math.floor(r() * 70)}`, () => `${r() * 1e20}`];
      return `(${forms[Math.floor(r() * forms.length)]()})`;
    }
    case 3: case 4: {
      const n = Math.floor(r() * (r() < 0.1 ? 300 : 12));
      let s = '';
      for (let i = 0; i < n; i++) {
        const c = r() < 0.7 ? 32 + Math.floor(r() * 95) : Math.floor(r() * 256);
        s += `\\${String(c).padStart(3, '0')}`;
      }
      return `"${s}"`;
    }
    case 5: return r() < 0.5 ? 'true' : 'false';
    default: {
      const n = Math.floor(r() * 6);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(genValue(r, depth + 1, oneKey));
      const keys = oneKey ? (r() < 0.4 ? 1 : 0) : Math.floor(r() * 4);
      for (let i = 0; i < keys; i++) items.push(`["k${Math.floor(r() * 5)}${i}"]=${genValue(r, depth + 1, oneKey)}`);
      return `{${items.join(', ')}}`;
    }
  }
}

// ---------------------------------------------------------------- the test

describe('Lua libraries against redis-server 7.0 (cjson, cmsgpack, struct, bit)', function () {
  this.timeout(120000);
  let redis: RealRedis;
  let conn: RespConn;
  let m: LuaModule;
  let shared: Standalone;

  before(async () => {
    m = await loadLua();
    shared = new Standalone(m);
    redis = await startRedis();
    conn = await RespConn.connect(redis.port);
  });
  after(async () => {
    conn?.close();
    await redis?.stop();
    shared?.close();
  });

  /** Runs the groups on both sides and returns the per-case differences (empty when all agree). */
  async function compare(groups: Group[], fresh: boolean): Promise<string[]> {
    const diffs: string[] = [];
    let count = 0;
    for (const g of groups) {
      const src = script(g.setup ?? '', g.exprs);
      if (fresh) expect(await conn.call(['SCRIPT', 'FLUSH'])).to.equal('+OK\r\n');
      const theirs = bulk(await conn.call(['EVAL', src, '0'], 30000));
      let ours: string;
      if (fresh) {
        const s = new Standalone(m);
        try { ours = s.run(src); } finally { s.close(); }
      } else {
        ours = shared.run(src);
      }
      const a = ours.split('\n');
      const b = theirs.split('\n');
      expect(b.length, `redis answered ${theirs.slice(0, 300)}`).to.equal(g.exprs.length);
      for (let i = 0; i < g.exprs.length; i++) {
        count++;
        if (a[i] !== b[i]) diffs.push(`${g.setup ?? ''} ${g.exprs[i]}\n  cachette: ${a[i]}\n  redis:    ${b[i]}`);
      }
    }
    expect(count).to.be.greaterThan(0);
    return diffs;
  }

  function batches(exprs: string[], size = 60): Group[] {
    const out: Group[] = [];
    for (let i = 0; i < exprs.length; i += size) out.push({ exprs: exprs.slice(i, i + size) });
    return out;
  }

  async function check(exprs: string[]): Promise<void> {
    const diffs = await compare(batches(exprs), false);
    expect(diffs, diffs.slice(0, 15).join('\n')).to.deep.equal([]);
  }

  it(`bit: ${bitCases.length} cases`, async () => { await check(bitCases); });
  it(`struct: ${structCases.length} cases`, async () => { await check(structCases); });
  it(`cjson: ${cjsonCases.length} cases`, async () => { await check(cjsonCases); });
  it(`cjson configuration: ${cjsonConfigGroups.reduce((n, g) => n + g.exprs.length, 0)} cases in fresh states`, async () => {
    const diffs = await compare(cjsonConfigGroups, true);
    expect(diffs, diffs.slice(0, 15).join('\n')).to.deep.equal([]);
  });
  it(`cmsgpack: ${cmsgpackCases.length} cases`, async () => { await check(cmsgpackCases); });
  it(`multi-key tables, order-free: ${orderFreeCases.length} cases`, async () => { await check(orderFreeCases); });

  it('random values: cjson and cmsgpack encodings and round trips (seeded)', async () => {
    const seed = Number(process.env['LUALIBS_SEED'] ?? 1906);
    const runs = Number(process.env['LUALIBS_RUNS'] ?? 300);
    const r = seededRandom(seed);
    const exprs: string[] = [];
    for (let i = 0; i < runs; i++) {
      const v = genValue(r, 0, true);
      exprs.push(`hex(cmsgpack.pack(${v}))`, `cmsgpack.unpack(cmsgpack.pack(${v}))`, `cjson.encode(${v})`,
        `cjson.decode(cjson.encode(${v}))`);
      const w = genValue(r, 0, false);
      exprs.push(`cmsgpack.unpack(cmsgpack.pack(${w}))`, `#cmsgpack.pack(${w})`, `cjson.decode(cjson.encode(${w}))`);
    }
    const diffs = await compare(batches(exprs, 50), false);
    expect(diffs, `seed ${seed}\n` + diffs.slice(0, 10).join('\n')).to.deep.equal([]);
  });

  it('random struct formats, and mutated JSON / MessagePack inputs (seeded)', async () => {
    const seed = Number(process.env['LUALIBS_SEED'] ?? 1906);
    const runs = Number(process.env['LUALIBS_RUNS'] ?? 300);
    const r = seededRandom(seed + 1);
    const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const ITEMS = ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'T', 'f', 'd', 'x', 'c3', 's', 'i3', 'I5', 'i12', 'c0', '!', '!2', '!4',
      '!8', '<', '>', ' '];
    const NUMS = ['0', '1', '-1', '255', '-129', '65537', '2^31', '-2^33', '2^53', '0.5', '-7.25', '1e10', '2^64', '0/0'];
    const exprs: string[] = [];
    for (let i = 0; i < runs; i++) {
      const n = 1 + Math.floor(r() * 6);
      let fmt = '';
      const args: string[] = [];
      for (let k = 0; k < n; k++) {
        const it = pickOf(ITEMS);
        fmt += it;
        if (/^[bBhHiIlLTfd]/.test(it)) args.push(pickOf(NUMS));
        else if (it === 'c3') args.push(pickOf(['"abc"', '"abcdef"', '"ab"']));
        else if (it === 'c0') args.push(pickOf(['"xyz"', '""']));
        else if (it === 's') args.push(pickOf(['"hi"', '""', '"a\\0b"']));
      }
      const call = `struct.pack(${q(fmt)}${args.map((a) => ', ' + a).join('')})`;
      exprs.push(`hex(${call})`, `struct.unpack(${q(fmt)}, ${call})`, `struct.size(${q(fmt)})`);
      let bytes = '';
      for (let k = Math.floor(r() * 24); k > 0; k--) bytes += String.fromCharCode(Math.floor(r() * 256));
      exprs.push(`struct.unpack(${q(fmt)}, ${luaStr(bytes)}, ${1 + Math.floor(r() * 4)})`);
    }
    const JSON_BITS = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '+', '.', 'e', 'E', 'x', 'n', 'null', 'true', 'f',
      ' ', '\n', 'I', 'N', 'a', '\u00e9', '\0'];
    for (let i = 0; i < runs; i++) {
      const v = genValue(r, 0, true);
      // Mutate the encoding in Lua (same bytes on both sides): cut, insert or replace at a position.
      const pos = Math.floor(r() * 40);
      const bit = JSON_BITS[Math.floor(r() * JSON_BITS.length)];
      const op = Math.floor(r() * 3);
      const mut = (enc: string): string => op === 0 ? `(function(s) return s:sub(1, ${pos}) .. s:sub(${pos + 2}) end)(${enc})`
        : op === 1 ? `(function(s) return s:sub(1, ${pos}) .. ${luaStr(bit)} .. s:sub(${pos + 1}) end)(${enc})`
          : `(function(s) return s:sub(1, ${pos}) .. ${luaStr(bit)} .. s:sub(${pos + 2}) end)(${enc})`;
      exprs.push(`cjson.decode(${mut(`cjson.encode(${v})`)})`);
      const mb = String.fromCharCode(Math.floor(r() * 256));
      const mutMp = op === 0 ? `(function(s) return s:sub(1, ${pos % 12}) .. s:sub(${(pos % 12) + 2}) end)(cmsgpack.pack(${v}))`
        : `(function(s) return s:sub(1, ${pos % 12}) .. ${luaStr(mb)} .. s:sub(${(pos % 12) + 1 + (op === 2 ? 1 : 0)}) end)(cmsgpack.pack(${v}))`;
      exprs.push(`cmsgpack.unpack(${mutMp})`, `cmsgpack.unpack_limit(${mutMp}, 2)`, `cmsgpack.unpack_one(${mutMp}, ${pos % 3})`);
    }
    const diffs = await compare(batches(exprs, 50), false);
    expect(diffs, `seed ${seed}\n` + diffs.slice(0, 10).join('\n')).to.deep.equal([]);
  });

  it('fmtG is printf %.Ng (the WASM libc as oracle): 12,000 doubles x 8 precisions, ties included', () => {
    const r = seededRandom(77);
    const xs: number[] = [0.5, 1.5, 2.5, 0.25, 0.125, 100000000000000.5, 100000000000001.5, 1e21, 1e-5, 1e-4, 123456.5, -0.0, 5e-324,
      1.7976931348623157e308, 2 ** 63, 9.5, 0.95, 99999999999999.5];
    for (let i = 0; i < 12000; i++) {
      const k = i % 5;
      if (k === 0) xs.push((r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
      else if (k === 1) xs.push(Math.floor(r() * 1e6) / 2 ** Math.floor(r() * 12));
      else if (k === 2) xs.push((Math.floor(r() * 1e5) + 0.5) / 10 ** Math.floor(r() * 5));
      else if (k === 3) xs.push(Math.floor(r() * 2 ** 53) + 0.5 * Math.floor(r() * 2));
      else xs.push(r() * 10 ** Math.floor(r() * 600 - 300));
    }
    const precs = [1, 2, 3, 6, 14, 15, 16, 17];
    const exprs: string[] = [];
    const ours: string[] = [];
    for (const x of xs) {
      for (const p of precs) {
        // %a-free exact literal: the shortest round-trip text of x is read back exactly by Lua.
        exprs.push(`string.format("%.${p}g", ${Object.is(x, -0) ? '-0.0' : String(x)})`);
        ours.push(fmtG(x, p));
      }
    }
    const s = new Standalone(m);
    try {
      const out: string[] = [];
      for (let i = 0; i < exprs.length; i += 500) {
        const src = `local R = {}\n${exprs.slice(i, i + 500).map((e) => `R[#R + 1] = ${e}`).join('\n')}\nreturn table.concat(R, "\\n")`;
        out.push(...s.run(src).split('\n'));
      }
      const bad = ours.map((o, i) => (o === out[i] ? '' : `${exprs[i]}: ours ${o}, printf ${out[i]}`)).filter(Boolean);
      expect(out.length).to.equal(ours.length);
      expect(bad.slice(0, 10)).to.deep.equal([]);
    } finally {
      s.close();
    }
  });

  it('strtod reads what glibc reads (value and end)', () => {
    const cases: [string, number, number][] = [['1.5', 1.5, 3], ['  -2e3x', -2000, 6], ['0x10', 16, 4], ['0x1p-2', 0.25, 6],
      ['0x', 0, 1], ['0xg', 0, 1], ['inf', Infinity, 3], ['-Infinity', -Infinity, 9], ['infin', Infinity, 3], ['nan', NaN, 3],
      ['nan(12)', NaN, 7], ['nan(', NaN, 3], ['1e', 1, 1], ['1e+', 1, 1], ['.5', 0.5, 2], ['5.', 5, 2], ['.', 0, 0], ['+-1', 0, 0],
      ['1e400', Infinity, 5], ['4.9e-324', 5e-324, 8], ['0x1.8p1', 3, 7], ['0X.8', 0.5, 4], ['12\0 3', 12, 2]];
    for (const [text, value, end] of cases) {
      const got = strtod(Buffer.from(text.replace('\\0', '\0'), 'latin1'), 0);
      expect([got.value, got.end], text).to.deep.equal([value, end]);
    }
  });

  it('a JS exception inside a library function becomes a Lua error, and the state keeps working', () => {
    const s = new Standalone(m);
    try {
      const c = libCtx(m);
      const L = (s as unknown as { vm: LuaVM }).vm.L;
      m._lua_pushcclosure(L, c.fn('test.throws', () => { throw new TypeError('boom'); }), 0);
      m._lua_setglobal(L, c.cstr('throws'));
      expect(s.run('return select(2, pcall(throws))')).to.equal('internal error in test.throws: boom');
      expect(s.run('return select(2, pcall(bit.tobit, {}))')).to.equal("bad argument #1 to '?' (number expected, got table)");
      expect(s.run('return cjson.encode({1, 2})')).to.equal('[1,2]');
    } finally {
      s.close();
    }
  });

  it('a wrong result is caught: the comparison fails on a corrupted library', async () => {
    // Patch cjson.encode in a fresh standalone state only, and check that the harness reports it.
    const s = new Standalone(m);
    try {
      const src = script('', ['cjson.encode({1})']);
      const theirs = bulk(await conn.call(['EVAL', src, '0']));
      expect(s.run(src)).to.equal(theirs);
      const patched = script('cjson.encode = function() return "[2]" end', ['cjson.encode({1})']);
      expect(s.run(patched)).to.not.equal(theirs);
    } finally {
      s.close();
    }
  });
});
