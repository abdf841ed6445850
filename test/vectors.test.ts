/**
 * Byte-exact request/reply vectors. Every expected reply here was produced by a
 * real redis-server 7.0.15 for the same bytes (most come from §9 of the shared
 * semantics reference). Each scenario runs on a fresh connection after FLUSHALL.
 */

import { expect } from 'chai';
import { startServer } from '../src/index.js';
import { Raw } from './helpers.js';

type Step = [request: string, reply: string];
interface Scenario { name: string; steps: Step[] }

const NIL = '$-1\r\n';
const OK = '+OK\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const NOTINT = '-ERR value is not an integer or out of range\r\n';

const scenarios: Scenario[] = [
  { name: 'SET option errors', steps: [
    ['SET a b EX 0\r\n', "-ERR invalid expire time in 'set' command\r\n"],
    ['SET a b EX abc\r\n', NOTINT],
    ['SET a b NX XX\r\n', SYNTAX],
    ['SET a\r\n', "-ERR wrong number of arguments for 'set' command\r\n"],
    ['SET a b EX 10 PX 20\r\n', SYNTAX],
    ['SET a b KEEPTTL EX 10\r\n', SYNTAX],
    ['SET a b ex\r\n', SYNTAX],
    ['SET a b EX 9223372036854774\r\n', "-ERR invalid expire time in 'set' command\r\n"],
    ['SET a b FOO\r\n', SYNTAX],
  ] },
  { name: 'SET GET / NX GET', steps: [
    ['SET k v1\r\n', OK],
    ['SET k v2 GET\r\n', '$2\r\nv1\r\n'],
    ['SET n v NX GET\r\n', NIL],
    ['GET n\r\n', '$1\r\nv\r\n'],
    ['SET n w NX GET\r\n', '$1\r\nv\r\n'],
    ['GET n\r\n', '$1\r\nv\r\n'],
    ['SET a b GET GET NX NX\r\n', NIL],
    ['SET x y XX\r\n', NIL],
  ] },
  { name: 'SET expire forms', steps: [
    ['SET a b EX 10 EX 20\r\n', OK],
    ['TTL a\r\n', ':20\r\n'],
    ['SET a b KEEPTTL\r\n', OK],
    ['TTL a\r\n', ':20\r\n'],
    ['SET a c\r\n', OK],
    ['TTL a\r\n', ':-1\r\n'],
    ['SET x v PX 1800\r\n', OK], // TTL rounds: (ms+500) div 1000
    ['TTL x\r\n', ':2\r\n'],
    ['SET p v PXAT 1\r\n', OK],
    ['GET p\r\n', NIL],
    ['SET e b EXAT 9223372036854775\r\n', OK],
    ['PEXPIRETIME e\r\n', ':9223372036854775000\r\n'],
    ['EXPIRETIME e\r\n', ':9223372036854775\r\n'],
    ['PEXPIREAT e 9007199254740993\r\n', ':1\r\n'],
    ['PEXPIRETIME e\r\n', ':9007199254740993\r\n'],
  ] },
  { name: 'unknown commands and subcommands', steps: [
    ['FOO bar baz\r\n', "-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n"],
    ['FOO\r\n', "-ERR unknown command 'FOO', with args beginning with: \r\n"],
    ['CONFIG FOO\r\n', "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n"],
    ['config foo\r\n', "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"],
    ['CLIENT\r\n', "-ERR wrong number of arguments for 'client' command\r\n"],
    ['CLIENT GETNAME x\r\n', "-ERR wrong number of arguments for 'client|getname' command\r\n"],
    ['PING a b\r\n', "-ERR wrong number of arguments for 'ping' command\r\n"],
  ] },
  { name: 'inline escapes and empty requests', steps: [
    ['*0\r\nPING\r\n', '+PONG\r\n'],
    ['SET k "a\\x41\\n"\r\n', OK],
    ['GET k\r\n', '$3\r\naA\n\r\n'],
    ['ECHO "\\q\\x4g"\r\n', '$4\r\nqx4g\r\n'],
    ['ECHO a"b c"\r\n', '$4\r\nab c\r\n'],
    ["ECHO 'it\\'s'\r\n", "$4\r\nit's\r\n"],
    ['ECHO ""\r\n', '$0\r\n\r\n'],
    ['  PING  \r\n', '+PONG\r\n'],
    ['\r\nPING\r\n', '+PONG\r\n'],
    ['*2\r\n$4\r\nECHO\r\n$3\r\nabcde\r\nPING\r\n', '$3\r\nabc\r\n+PONG\r\n'],
  ] },
  { name: 'MSET / EXISTS / MGET', steps: [
    ['MSET a 1 b 2 c\r\n', "-ERR wrong number of arguments for 'mset' command\r\n"],
    ['MSET a 1 b 2\r\n', OK],
    ['EXISTS a a b zz\r\n', ':3\r\n'],
    ['MGET a zz b\r\n', '*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n'],
    ['MSETNX a 1 z 2\r\n', ':0\r\n'],
    ['MSETNX y 1 z 2\r\n', ':1\r\n'],
    ['MSETNX y\r\n', "-ERR wrong number of arguments for 'msetnx' command\r\n"],
  ] },
  { name: 'counters', steps: [
    ['SET n 9223372036854775807\r\n', OK],
    ['INCR n\r\n', '-ERR increment or decrement would overflow\r\n'],
    ['DECRBY n -9223372036854775808\r\n', '-ERR decrement would overflow\r\n'],
    ['INCRBYFLOAT f inf\r\n', '-ERR increment would produce NaN or Infinity\r\n'],
    ['SET a 10\r\n', OK],
    ['INCRBY a abc\r\n', NOTINT],
    ['INCRBY a 5\r\n', ':15\r\n'],
    ['DECRBY a 3\r\n', ':12\r\n'],
    ['INCRBYFLOAT a 1.5\r\n', '$4\r\n13.5\r\n'],
    ['INCRBYFLOAT a abc\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT a 0x10\r\n', '$4\r\n29.5\r\n'],
    ['INCRBYFLOAT a " 1"\r\n', '-ERR value is not a valid float\r\n'],
    ['INCR a\r\n', NOTINT],
    ['SET c 007\r\n', OK],
    ['INCR c\r\n', NOTINT],
    ['SET big 9007199254740993\r\n', OK],
    ['INCR big\r\n', ':9007199254740994\r\n'],
    ['DECRBY big -9223372036854775807\r\n', '-ERR increment or decrement would overflow\r\n'],
  ] },
  { name: 'INCRBYFLOAT in 80-bit long double', steps: [
    ['INCRBYFLOAT h 0.1\r\n', '$3\r\n0.1\r\n'],
    ['INCRBYFLOAT h 0.1\r\n', '$3\r\n0.2\r\n'],
    ['INCRBYFLOAT h 0.1\r\n', '$3\r\n0.3\r\n'],
    ['SET f 10.6\r\n', OK],
    ['INCRBYFLOAT f 5.0e3\r\n', '$22\r\n5010.60000000000000009\r\n'],
    ['INCRBYFLOAT f 1e5000\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT f 1e-5000\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT f nan\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT f 1e\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT g 0x1.8p1\r\n', '$1\r\n3\r\n'],
    ['INCRBYFLOAT g -3\r\n', '$1\r\n0\r\n'],
    ['INCRBYFLOAT g 0x1p16384\r\n', '-ERR value is not a valid float\r\n'],
    ['INCRBYFLOAT g -infinity\r\n', '-ERR increment would produce NaN or Infinity\r\n'],
    ['INCRBYFLOAT big 1e30\r\n', '$31\r\n1000000000000000000024696061952\r\n'],
  ] },
  { name: 'string edits', steps: [
    ['SETRANGE a -1 x\r\n', '-ERR offset is out of range\r\n'],
    ['SETRANGE s2 5 hi\r\n', ':7\r\n'],
    ['GET s2\r\n', '$7\r\n\x00\x00\x00\x00\x00hi\r\n'],
    ['GETRANGE nope 0 -1\r\n', '$0\r\n\r\n'],
    ['APPEND newk hello\r\n', ':5\r\n'],
    ['GETRANGE newk -3 -1\r\n', '$3\r\nllo\r\n'],
    ['GETRANGE newk -1 -3\r\n', '$0\r\n\r\n'],
    ['GETRANGE newk 0 100\r\n', '$5\r\nhello\r\n'],
    ['SETRANGE nok2 3 ""\r\n', ':0\r\n'],
    ['EXISTS nok2\r\n', ':0\r\n'],
    ['SETRANGE newk 1 XY\r\n', ':5\r\n'],
    ['GET newk\r\n', '$5\r\nhXYlo\r\n'],
    ['STRLEN newk\r\n', ':5\r\n'],
    ['STRLEN nokey\r\n', ':0\r\n'],
  ] },
  { name: 'GETEX / GETDEL', steps: [
    ['GETEX nokey EX 0\r\n', NIL],
    ['SET g v\r\n', OK],
    ['GETEX g EX 0\r\n', "-ERR invalid expire time in 'getex' command\r\n"],
    ['GETEX g PX 100 EX 10\r\n', SYNTAX],
    ['GETEX g PERSIST EX 10\r\n', SYNTAX],
    ['GETEX g NX\r\n', SYNTAX],
    ['GETEX g EX 100\r\n', '$1\r\nv\r\n'],
    ['TTL g\r\n', ':100\r\n'],
    ['GETEX g PERSIST\r\n', '$1\r\nv\r\n'],
    ['TTL g\r\n', ':-1\r\n'],
    ['GETEX g EXAT 1\r\n', '$1\r\nv\r\n'],
    ['EXISTS g\r\n', ':0\r\n'],
    ['SET g v\r\n', OK],
    ['GETDEL g\r\n', '$1\r\nv\r\n'],
    ['GETDEL g\r\n', NIL],
  ] },
  { name: 'expire family', steps: [
    ['SET k v\r\n', OK],
    ['EXPIRE k 100 NX XX\r\n', '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n'],
    ['EXPIRE k 100 GT LT\r\n', '-ERR GT and LT options at the same time are not compatible\r\n'],
    ['EXPIRE k 100 FOO\r\n', '-ERR Unsupported option FOO\r\n'],
    ['EXPIRE k abc FOO\r\n', '-ERR Unsupported option FOO\r\n'],
    ['EXPIRE k 9223372036854775807\r\n', "-ERR invalid expire time in 'expire' command\r\n"],
    ['EXPIRE k -9223372036854776\r\n', "-ERR invalid expire time in 'expire' command\r\n"],
    ['TTL missing\r\n', ':-2\r\n'],
    ['TTL k\r\n', ':-1\r\n'],
    ['EXPIRE k 100 XX\r\n', ':0\r\n'],
    ['EXPIRE k 100 GT\r\n', ':0\r\n'],
    ['EXPIRE k 100 LT\r\n', ':1\r\n'],
    ['EXPIRE k 100 NX\r\n', ':0\r\n'],
    ['EXPIRE k 200 GT\r\n', ':1\r\n'],
    ['EXPIRE k 10 GT\r\n', ':0\r\n'],
    ['TTL k\r\n', ':200\r\n'],
    ['PERSIST k\r\n', ':1\r\n'],
    ['PERSIST k\r\n', ':0\r\n'],
    ['EXPIRE k -1\r\n', ':1\r\n'],
    ['EXISTS k\r\n', ':0\r\n'],
    ['EXPIRE zz 10\r\n', ':0\r\n'],
    ['EXPIRETIME zz\r\n', ':-2\r\n'],
  ] },
  { name: 'keyspace commands', steps: [
    ['RENAME nope x\r\n', '-ERR no such key\r\n'],
    ['SET b 2\r\n', OK],
    ['RENAME b b\r\n', OK],
    ['RENAMENX b b\r\n', ':0\r\n'],
    ['EXPIRE b 100\r\n', ':1\r\n'],
    ['RENAME b c\r\n', OK],
    ['TTL c\r\n', ':100\r\n'],
    ['TYPE c\r\n', '+string\r\n'],
    ['TYPE b\r\n', '+none\r\n'],
    ['DEL c c zz\r\n', ':1\r\n'],
    ['SELECT 16\r\n', '-ERR DB index is out of range\r\n'],
    ['SELECT 99999999999\r\n', '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n'],
    ['SCAN 0 COUNT 0\r\n', SYNTAX],
    ['SCAN abc\r\n', '-ERR invalid cursor\r\n'],
    ['FLUSHDB FOO\r\n', SYNTAX],
    ['FLUSHDB SYNC a\r\n', SYNTAX],
    ['FLUSHALL ASYNC\r\n', OK],
    ['RANDOMKEY\r\n', NIL],
    ['DBSIZE\r\n', ':0\r\n'],
  ] },
  { name: 'HELLO / AUTH / CLIENT', steps: [
    ['HELLO 4\r\n', '-NOPROTO unsupported protocol version\r\n'],
    ['HELLO abc\r\n', '-ERR Protocol version is not an integer or out of range\r\n'],
    ['HELLO 3 FOO\r\n', "-ERR Syntax error in HELLO option 'FOO'\r\n"],
    ['HELLO 3 SETNAME\r\n', "-ERR Syntax error in HELLO option 'SETNAME'\r\n"],
    ['HELLO 2 SETNAME "a b"\r\n', '-ERR Client names cannot contain spaces, newlines or special characters.\r\n'],
    ['AUTH foo\r\n', '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n'],
    ['AUTH a b c\r\n', SYNTAX],
    ['AUTH default foo\r\n', OK],
    ['AUTH bob foo\r\n', '-WRONGPASS invalid username-password pair or user is disabled.\r\n'],
    ['CLIENT KILL ID abc\r\n', '-ERR client-id should be greater than 0\r\n'],
    ['CLIENT KILL ID 999\r\n', ':0\r\n'],
    ['CLIENT KILL 1.2.3.4:5\r\n', '-ERR No such client\r\n'],
    ['CLIENT KILL TYPE foo\r\n', "-ERR Unknown client type 'foo'\r\n"],
    ['CLIENT KILL USER bob\r\n', "-ERR No such user 'bob'\r\n"],
    ['CLIENT KILL SKIPME maybe\r\n', SYNTAX],
    ['CLIENT LIST ID abc\r\n', '-ERR Invalid client ID\r\n'],
    ['CLIENT SETNAME ok\r\n', OK],
    ['CLIENT GETNAME\r\n', '$2\r\nok\r\n'],
    ['CLIENT SETNAME ""\r\n', OK],
    ['CLIENT GETNAME\r\n', NIL],
    ['RESET\r\n', '+RESET\r\n'],
  ] },
  { name: 'CONFIG', steps: [
    ['CONFIG SET maxmemory-policy foo\r\n', "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\r\n"],
    ['CONFIG SET nosuch 1\r\n', "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"],
    ['CONFIG SET hz 1000\r\n', OK],
    ['CONFIG GET hz\r\n', '*2\r\n$2\r\nhz\r\n$3\r\n500\r\n'],
    ['CONFIG SET hz 10 hz 11\r\n', "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n"],
    ['CONFIG SET hz 10\r\n', OK],
    ['CONFIG SET databases 4\r\n', "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n"],
    ['CONFIG SET maxmemory foo\r\n', "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"],
    ['CONFIG SET maxmemory 1KB\r\n', OK],
    ['CONFIG GET maxmemory\r\n', '*2\r\n$9\r\nmaxmemory\r\n$4\r\n1024\r\n'],
    ['CONFIG SET maxmemory 0\r\n', OK],
    ['CONFIG SET maxmemory-samples 0\r\n', "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive\r\n"],
    ['CONFIG RESETSTAT x\r\n', "-ERR wrong number of arguments for 'config|resetstat' command\r\n"],
    ['CONFIG GET\r\n', "-ERR wrong number of arguments for 'config|get' command\r\n"],
  ] },
  { name: 'COMMAND INFO / DOCS / GETKEYS', steps: [
    ['COMMAND INFO get\r\n', '*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n'],
    ['COMMAND INFO nosuch\r\n', '*1\r\n$-1\r\n'],
    ['COMMAND DOCS get\r\n', '*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n'],
    ['COMMAND DOCS mset\r\n', '*2\r\n$4\r\nmset\r\n*10\r\n$7\r\nsummary\r\n$36\r\nSet multiple keys to multiple values\r\n$5\r\nsince\r\n$5\r\n1.0.1\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$42\r\nO(N) where N is the number of keys to set.\r\n$9\r\narguments\r\n*1\r\n*8\r\n$4\r\nname\r\n$9\r\nkey_value\r\n$4\r\ntype\r\n$5\r\nblock\r\n$5\r\nflags\r\n*1\r\n+multiple\r\n$9\r\narguments\r\n*2\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n'],
    ['COMMAND DOCS nosuch\r\n', '*0\r\n'],
    ['COMMAND GETKEYS mset a b c d\r\n', '*2\r\n$1\r\na\r\n$1\r\nc\r\n'],
    ['COMMAND GETKEYS get\r\n', "-ERR wrong number of arguments for 'command|getkeys' command\r\n"],
    ['COMMAND GETKEYS get a b\r\n', '-ERR Invalid number of arguments specified for command\r\n'],
    ['COMMAND GETKEYS nosuch a\r\n', '-ERR Invalid command specified\r\n'],
    ['COMMAND GETKEYS ping x\r\n', '-ERR The command has no key arguments\r\n'],
    ['COMMAND COUNT x\r\n', "-ERR wrong number of arguments for 'command|count' command\r\n"],
  ] },
  { name: 'error texts built from user input: CR/LF and NUL', steps: [
    ['SET k v\r\n', OK],
    ['*4\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$2\r\n10\r\n$7\r\nFOO\nBAR\r\n', '-ERR Unsupported option FOO BAR\r\n'],
    ['*4\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$2\r\n10\r\n$5\r\nFOO\r\n\r\n', '-ERR Unsupported option FOO\r\n'],
    ['*3\r\n$5\r\nHELLO\r\n$1\r\n2\r\n$7\r\nFOO\nBAR\r\n', "-ERR Syntax error in HELLO option 'FOO BAR'\r\n"],
    ['*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$4\r\nhz\nx\r\n$2\r\n11\r\n', "-ERR Unknown option or number of arguments for CONFIG SET - 'hz x'\r\n"],
    ['*4\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n$4\r\nTYPE\r\n$3\r\na\nb\r\n', "-ERR Unknown client type 'a b'\r\n"],
    ['*2\r\n$4\r\nFO\x00O\r\n$3\r\nbar\r\n', "-ERR unknown command 'FO', with args beginning with: 'bar' \r\n"],
    ['*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nNX\x00z\r\n', NIL],
  ] },
  { name: 'SCAN cursor, glob and GETRANGE edges', steps: [
    ['SET a 1\r\n', OK],
    ['SCAN ""\r\n', '*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n'],
    ['SET "" e\r\n', OK],
    ['KEYS **\r\n', '*1\r\n$1\r\na\r\n'],
    ['DEL ""\r\n', ':1\r\n'],
    ['*3\r\n$3\r\nSET\r\n$1\r\n\xff\r\n$1\r\n1\r\n', OK],
    ['*2\r\n$4\r\nKEYS\r\n$5\r\n[\x01-\xff]\r\n', '*1\r\n$1\r\n\xff\r\n'],
    ['CONFIG GET [Z-a]z\r\n', '*0\r\n'],
    ['SET s hello\r\n', OK],
    ['GETRANGE s -9007199254740992 -9007199254740993\r\n', '$0\r\n\r\n'],
  ] },
  { name: 'CLIENT and HELLO parsing order', steps: [
    ['CLIENT KILL ID abc ADDR\r\n', '-ERR client-id should be greater than 0\r\n'],
    ['CLIENT KILL TYPE foo SKIPME\r\n', "-ERR Unknown client type 'foo'\r\n"],
    ['CLIENT LIST ID 0\r\n', '$0\r\n\r\n'],
    ['CLIENT LIST TYPE normal ID 5\r\n', SYNTAX],
    ['HELLO 2 SETNAME a FOO\r\n', "-ERR Syntax error in HELLO option 'FOO'\r\n"],
    ['CLIENT GETNAME\r\n', '$1\r\na\r\n'],
    ['HELLO 2 SETNAME "a b" FOO\r\n', '-ERR Client names cannot contain spaces, newlines or special characters.\r\n'],
    ['COMMAND GETKEYS config get\r\n', '-ERR The command has no key arguments\r\n'],
  ] },
  { name: 'CONFIG GET/SET validation details', steps: [
    ['CONFIG GET MAXMEMORY\r\n', '*2\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n'],
    ['CONFIG GET max\\memory\r\n', '*0\r\n'],
    ['CONFIG SET hz 010\r\n', "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"],
    ['CONFIG SET hz -1\r\n', "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive\r\n"],
    ['CONFIG SET HZ abc\r\n', "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"],
    ['CONFIG SET hz abc databases 5\r\n', "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n"],
    ['CONFIG SET hz abc nosuch 5\r\n', "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"],
    ['CONFIG SET hz 1 hz\r\n', SYNTAX],
    ['CONFIG SET maxmemory 100b\r\n', OK],
    ['CONFIG GET maxmemory\r\n', '*2\r\n$9\r\nmaxmemory\r\n$3\r\n100\r\n'],
    ['CONFIG SET maxmemory -1\r\n', "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"],
    ['CONFIG SET maxmemory 99999999999999999999\r\n', OK],
    ['CONFIG GET maxmemory\r\n', '*2\r\n$9\r\nmaxmemory\r\n$20\r\n18446744073709551615\r\n'],
    ['CONFIG SET maxmemory 0\r\n', OK],
    ['CONFIG SET proto-max-bulk-len 1000\r\n', "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n"],
    ['CONFIG SET maxclients 0\r\n', "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n"],
    ['CONFIG SET loglevel nothing\r\n', "-ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning\r\n"],
    ['CONFIG SET appendonly maybe\r\n', "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'\r\n"],
    ['CONFIG SET lazyfree-lazy-user-del maybe\r\n', "-ERR CONFIG SET failed (possibly related to argument 'lazyfree-lazy-user-del') - argument must be 'yes' or 'no'\r\n"],
  ] },
  { name: 'write lookups refresh LFU; OBJECT and MEMORY lookups', steps: [
    ['CONFIG SET maxmemory-policy allkeys-lfu\r\n', OK],
    ['SET k hello\r\n', OK],
    ['APPEND k x\r\n', ':6\r\n'],
    ['OBJECT FREQ k\r\n', ':6\r\n'],
    ['CONFIG SET maxmemory-policy noeviction\r\n', OK],
    ['MEMORY USAGE k SAMPLES -1\r\n', SYNTAX],
    ['MEMORY USAGE nokey SAMPLES -1\r\n', SYNTAX],
  ] },
  { name: 'OBJECT and MEMORY USAGE', steps: [
    ['OBJECT ENCODING zz\r\n', NIL],
    ['SET o 123\r\n', OK],
    ['OBJECT ENCODING o\r\n', '$3\r\nint\r\n'],
    ['OBJECT FREQ o\r\n', '-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n'],
    ['APPEND o 4\r\n', ':4\r\n'],
    ['OBJECT ENCODING o\r\n', '$3\r\nraw\r\n'],
    ['SET o aaaaaaaaaa\r\n', OK],
    ['OBJECT ENCODING o\r\n', '$6\r\nembstr\r\n'],
    ['MEMORY USAGE o\r\n', ':64\r\n'],
    ['INCRBYFLOAT f 3\r\n', '$1\r\n3\r\n'],
    ['OBJECT ENCODING f\r\n', '$6\r\nembstr\r\n'],
    ['CONFIG SET maxmemory-policy allkeys-lfu\r\n', OK],
    ['SET l v\r\n', OK],
    ['OBJECT FREQ l\r\n', ':5\r\n'],
    ['GET l\r\n', '$1\r\nv\r\n'],
    ['OBJECT FREQ l\r\n', ':6\r\n'],
    ['OBJECT IDLETIME l\r\n', '-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n'],
    ['CONFIG SET maxmemory-policy noeviction\r\n', OK],
  ] },
];

// REDIS_PORT=6379 runs the same vectors against a real Redis instead, to re-verify them.
const external = process.env.REDIS_PORT !== undefined ? Number(process.env.REDIS_PORT) : null;

describe(`byte-exact vectors (verified against redis-server 7.0.15)${external !== null ? ' [external server]' : ''}`, function () {
  let srv: { port: number; close(): Promise<void> };
  before(async () => {
    srv = external !== null ? { port: external, close: async () => {} } : await startServer();
  });
  after(async () => { await srv.close(); });

  for (const sc of scenarios) {
    it(sc.name, async () => {
      const admin = await Raw.connect(srv.port);
      await admin.expect('FLUSHALL\r\n', OK);
      admin.close();
      const r = await Raw.connect(srv.port);
      try {
        for (const [req, reply] of sc.steps) {
          r.send(req);
          const got = await r.read(reply.length);
          expect(got, `reply to ${JSON.stringify(req)}`).to.equal(reply);
        }
      } finally {
        r.close();
      }
    });
  }

  it('RESP3: nulls, maps, verbatim INFO, bulk INCRBYFLOAT', async () => {
    const r = await Raw.connect(srv.port);
    try {
      await r.expect('FLUSHALL\r\n', OK);
      r.send('HELLO 3\r\n');
      const hello = await r.read(200, 300);
      expect(hello).to.match(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n$/);
      await r.expect('GET nokey\r\n', '_\r\n');
      await r.expect('MGET nokey\r\n', '*1\r\n_\r\n');
      await r.expect('CONFIG GET maxmemory\r\n', '%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
      await r.expect('INCRBYFLOAT fl 1.5\r\n', '$3\r\n1.5\r\n');
      await r.expect('SET k v\r\n', OK);
      await r.expect('INFO keyspace\r\n', '=48\r\ntxt:# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n\r\n');
      await r.expect('HELLO 2\r\n', '*14\r\n');
      await r.drain(50);
      await r.expect('GET nokey\r\n', NIL);
    } finally {
      r.close();
    }
  });

  it('INFO keyspace in RESP2 is a bulk string with Redis\'s framing', async () => {
    const r = await Raw.connect(srv.port);
    try {
      await r.expect('FLUSHALL\r\n', OK);
      await r.expect('INFO keyspace\r\n', '$12\r\n# Keyspace\r\n\r\n');
      await r.expect('SET a 1\r\n', OK);
      await r.expect('PEXPIRE a 100000\r\n', ':1\r\n');
      await r.expect('SET b 1\r\n', OK);
      await r.expect('INFO keyspace\r\n', '$44\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n\r\n');
      await r.expect('INFO nosuchsection\r\n', '$0\r\n\r\n');
    } finally {
      r.close();
    }
  });
});
