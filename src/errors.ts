/**
 * Every error reply cachette sends, in one place: Redis 7.0's texts as
 * constants, and small builders for the texts that embed an argument (the
 * way Redis keeps its shared.* objects and miniredis its msg* constants).
 *
 * Conventions:
 *   - Constants are UPPER_SNAKE, named after what they mean, with no ERR_
 *     prefix (the error code is part of the text): SYNTAX, NOT_INT, WRONGTYPE.
 *   - Builders are camelCase functions of the varying parts: wrongArity(name).
 *     A builder formats a user argument the way Redis's C format does
 *     (cstr: up to the first NUL for %s; .slice(0, 128) for %.128s), so a
 *     caller passes the argument as received.
 *   - Texts carry no leading '-' and no CRLF: they go to Client.error(), which
 *     adds both (and counts the error). The only exceptions end in _RESP:
 *     complete RESP frames written straight to a socket that has no Client.
 *   - Texts that are cachette's own (no Redis equivalent) say so.
 *
 * New command families add their errors here, under a heading of their own.
 */

import { cstr } from './protocol/reply.js';

// ---- generic argument errors (Redis's shared.*) ----------------------------

export const SYNTAX = 'ERR syntax error';
export const NOT_INT = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NO_SUCH_KEY = 'ERR no such key';
export const INVALID_CURSOR = 'ERR invalid cursor';
/** Any text as a generic ERR reply: a handler's exception message, a fault given as a bare word. */
export function err(text: string): string {
  return `ERR ${text}`;
}

// ---- dispatch: lookup, arity, auth, memory, context (processCommand) -------

/** Redis's unknown-command text: the name and up to 128 characters of the arguments. `argv[0]` is the name. */
export function unknownCommand(argv: readonly string[]): string {
  let list = '';
  for (let i = 1; i < argv.length && list.length < 128; i++) {
    list += `'${cstr(argv[i]!).slice(0, 128 - list.length)}' `;
  }
  return `ERR unknown command '${cstr(argv[0]!).slice(0, 128)}', with args beginning with: ${list}`;
}

/** A container command (CONFIG, CLIENT...) given a subcommand it lacks. */
export function unknownSubcommand(sub: string, cmd: string): string {
  return `ERR unknown subcommand '${cstr(sub).slice(0, 128)}'. Try ${cstr(cmd).toUpperCase()} HELP.`;
}

/** Redis's addReplySubcommandSyntaxError (DEBUG and the like): the subcommand cut at 128 bytes, the command upper-cased. */
export function unknownSubcommandOrArity(sub: string, cmd: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${cstr(sub).slice(0, 128)}'. Try ${cstr(cmd).toUpperCase()} HELP.`;
}

export function wrongArity(cmdName: string): string {
  return `ERR wrong number of arguments for '${cmdName}' command`;
}

export const NOAUTH = 'NOAUTH Authentication required.';
export const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** A RESP2 client in subscribed mode ran a command other than the (un)subscribe family, PING, QUIT or RESET. */
export function subscribedContext(cmdName: string): string {
  return `ERR Can't execute '${cmdName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

/** A MONITOR client (a replica, to Redis) ran a keyspace command. */
export const REPLICA_KEYSPACE = "ERR Replica can't interact with the keyspace";

// ---- server states (also injectable as faults, see faults.ts) --------------

export const LOADING = 'LOADING Redis is loading the dataset in memory';
export const READONLY = "READONLY You can't write against a read only replica.";
export const BUSY = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
export const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

// ---- accepting a connection (raw RESP, written before any Client exists) ---

export const MAX_CLIENTS_RESP = '-ERR max number of clients reached\r\n';

/** The reply a non-loopback client gets in protected mode, then the connection closes (Redis 7.0's text). */
export const DENIED_RESP = '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command \'CONFIG SET protected-mode no\' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to \'no\', and then restarting the server. 3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

// ---- RESP protocol errors (the reply before the connection closes) ---------

export const PROTO_INLINE_TOO_BIG = 'ERR Protocol error: too big inline request';
export const PROTO_UNBALANCED_QUOTES = 'ERR Protocol error: unbalanced quotes in request';
export const PROTO_MBULK_COUNT_TOO_BIG = 'ERR Protocol error: too big mbulk count string';
export const PROTO_INVALID_MBULK_LEN = 'ERR Protocol error: invalid multibulk length';
export const PROTO_UNAUTH_MBULK_LEN = 'ERR Protocol error: unauthenticated multibulk length';
export const PROTO_BULK_COUNT_TOO_BIG = 'ERR Protocol error: too big bulk count string';
export const PROTO_INVALID_BULK_LEN = 'ERR Protocol error: invalid bulk length';
export const PROTO_UNAUTH_BULK_LEN = 'ERR Protocol error: unauthenticated bulk length';
/** `got` is the offending byte, already printable. */
export function protoExpectedDollar(got: string): string {
  return `ERR Protocol error: expected '$', got '${got}'`;
}

// ---- connection: AUTH, HELLO, SELECT, CLIENT -------------------------------

export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const AUTH_NO_PASSWORD = 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const HELLO_PROTO_NOT_INT = 'ERR Protocol version is not an integer or out of range';
export const NOPROTO = 'NOPROTO unsupported protocol version';
export const HELLO_NOAUTH = 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
export function helloSyntax(option: string): string {
  return `ERR Syntax error in HELLO option '${cstr(option)}'`;
}
/** SELECT's index outside the C int range. */
export const DB_INDEX_NOT_INT32 = 'ERR value is out of range, value must between -2147483648 and 2147483647';
export const DB_INDEX_OUT_OF_RANGE = 'ERR DB index is out of range';
/** MOVE to its own database, COPY onto itself. */
export const SAME_OBJECT = 'ERR source and destination objects are the same';
export const CLIENT_NAME_INVALID = 'ERR Client names cannot contain spaces, newlines or special characters.';
/** CLIENT SETINFO (Redis 7.2): the attribute is printed as given, NULs included. */
export function unrecognizedOption(option: string): string {
  return `ERR Unrecognized option '${option}'`;
}
/** CLIENT SETINFO (Redis 7.2): `attr` is lib-name or lib-ver. */
export function clientInfoInvalid(attr: string): string {
  return `ERR ${attr} cannot contain spaces, newlines or special characters.`;
}
export function unknownClientType(type: string): string {
  return `ERR Unknown client type '${cstr(type)}'`;
}
export const INVALID_CLIENT_ID = 'ERR Invalid client ID';
export const NO_SUCH_CLIENT = 'ERR No such client';
export const CLIENT_ID_NOT_POSITIVE = 'ERR client-id should be greater than 0';
export function noSuchUser(user: string): string {
  return `ERR No such user '${cstr(user)}'`;
}

// ---- keys: EXPIRE family, OBJECT -------------------------------------------

/** SET/GETEX/SETEX/EXPIRE...: the time is <= 0 or overflows; `cmd` is the command's name. */
export function invalidExpireTime(cmd: string): string {
  return `ERR invalid expire time in '${cmd}' command`;
}
export function unsupportedOption(option: string): string {
  return `ERR Unsupported option ${cstr(option)}`;
}
export const EXPIRE_NX_AND_OTHERS = 'ERR NX and XX, GT or LT options at the same time are not compatible';
export const EXPIRE_GT_AND_LT = 'ERR GT and LT options at the same time are not compatible';
/** OBJECT IDLETIME under an LFU policy. */
export const LFU_IDLETIME = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
/** OBJECT FREQ under an LRU policy. */
export const NOT_LFU_FREQ = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

// ---- strings ---------------------------------------------------------------

export const INCR_OVERFLOW = 'ERR increment or decrement would overflow';
/** DECRBY with INT64_MIN, whose negation does not fit. */
export const DECR_OVERFLOW = 'ERR decrement would overflow';
export const INCR_NAN_OR_INF = 'ERR increment would produce NaN or Infinity';
export const STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const OFFSET_OUT_OF_RANGE = 'ERR offset is out of range';

// ---- server: SHUTDOWN, CONFIG SET, COMMAND GETKEYS, DEBUG ------------------

export const NO_SHUTDOWN = 'ERR No shutdown in progress.';
export function configSetUnknown(name: string): string {
  return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
}
/** `why` is the reason after the dash: "can't set immutable config", "duplicate parameter", or the value's error. */
export function configSetFailed(name: string, why: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
}
export const GETKEYS_INVALID_COMMAND = 'ERR Invalid command specified';
export const GETKEYS_NO_KEYS = 'ERR The command has no key arguments';
export const GETKEYS_BAD_ARITY = 'ERR Invalid number of arguments specified for command';
/** A movablekeys command whose arguments do not locate its keys (SINTERCARD's numkeys). */
export const GETKEYS_INVALID_ARGS = 'ERR Invalid arguments specified for command';
export const DEBUG_NOT_ALLOWED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';
/** cachette's own (DEBUG JUMP is not Redis's). */
export const DEBUG_JUMP_NEGATIVE = 'ERR DEBUG JUMP takes a number of milliseconds >= 0 (the clock only moves forward this way)';
/** cachette's own (DEBUG SET-CLOCK is not Redis's). */
export const DEBUG_SET_CLOCK_NEGATIVE = 'ERR DEBUG SET-CLOCK takes a unix time in milliseconds >= 0';

// ---- transactions (MULTI/EXEC/WATCH, multi.c) and SWAPDB ------------------------

export const MULTI_NESTED = 'ERR MULTI calls can not be nested';
export const EXEC_WITHOUT_MULTI = 'ERR EXEC without MULTI';
export const DISCARD_WITHOUT_MULTI = 'ERR DISCARD without MULTI';
export const WATCH_INSIDE_MULTI = 'ERR WATCH inside MULTI is not allowed';
export const EXECABORT_PREVIOUS = 'EXECABORT Transaction discarded because of previous errors.';
/** Followed by the rejection's text without its "ERR " (Redis's execCommandAbort). */
/** EXEC rejected by the dispatcher (execCommandAbort): the reason, with its leading "ERR " dropped as Redis does. */
export function execAbortBecause(reason: string): string {
  return `EXECABORT Transaction discarded because of: ${reason.startsWith('ERR ') ? reason.slice(4) : reason}`;
}
export const NOT_ALLOWED_IN_MULTI = 'ERR Command not allowed inside a transaction';
export const MONITOR_DENY_BLOCKING = "ERR MONITOR isn't allowed for DENY BLOCKING client";
export const SSUBSCRIBE_DENY_BLOCKING = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client";
export const SUBSCRIBE_DENY_BLOCKING = "ERR SUBSCRIBE isn't allowed for a DENY BLOCKING client";
export const PSUBSCRIBE_DENY_BLOCKING = "ERR PSUBSCRIBE isn't allowed for a DENY BLOCKING client";
export const SWAPDB_BAD_FIRST = 'ERR invalid first DB index';
export const SWAPDB_BAD_SECOND = 'ERR invalid second DB index';

// ---- SORT / SORT_RO (sort.c) ------------------------------------------------

/** A weight (the element, or a BY value) that strtod refuses. */
export const SORT_SCORE_NOT_DOUBLE = "ERR One or more scores can't be converted into double";


// ---- sets (t_set.c) ---------------------------------------------------------

/** getPositiveLongFromObjectOrReply without a message (SPOP's count): not an integer, or negative. */
export const OUT_OF_RANGE_POSITIVE = 'ERR value is out of range, must be positive';
/** getRangeLongFromObjectOrReply without a message (SRANDMEMBER's count in [-LONG_MAX, LONG_MAX]): `min`/`max` as %ld. */
export function outOfRangeBetween(min: bigint | number, max: bigint | number): string {
  return `ERR value is out of range, value must between ${min} and ${max}`;
}
/** SINTERCARD's numkeys not an integer or below 1. */
export const NUMKEYS_NOT_POSITIVE = 'ERR numkeys should be greater than 0';
/** SINTERCARD's numkeys above the number of arguments after it. */
export const NUMKEYS_EXCEED_ARGS = "ERR Number of keys can't be greater than number of args";
/** SINTERCARD's LIMIT not an integer or negative (the same text for both). */
export const LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

// ---- sorted sets (t_zset.c); they share LIMIT_NEGATIVE, NUMKEYS_NOT_POSITIVE,
// OUT_OF_RANGE_POSITIVE and outOfRangeBetween with the sets above -------------

/** A score range bound that is not a float (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE, ZRANGE BYSCORE). */
export const MINMAX_NOT_FLOAT = 'ERR min or max is not a float';
/** A lex range bound that does not start with '[', '(', or is not exactly '-' or '+'. */
export const LEX_RANGE_INVALID = 'ERR min or max not valid string range item';
/** ZINCRBY / ZADD INCR reaching NaN (inf + -inf). */
export const SCORE_NAN = 'ERR resulting score is not a number (NaN)';
export const ZADD_XX_AND_NX = 'ERR XX and NX options at the same time are not compatible';
export const ZADD_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
export const ZADD_INCR_PAIRS = 'ERR INCR option supports a single increment-element pair';
export const ZRANGE_LIMIT_NEEDS_BY = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
export const ZRANGE_BYLEX_WITHSCORES = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
export const WEIGHT_NOT_FLOAT = 'ERR weight value is not a float';
/** ZMPOP's COUNT not an integer or below 1. */
export const COUNT_NOT_POSITIVE = 'ERR count should be greater than 0';
/** ZRANDMEMBER count WITHSCORES beyond +-LONG_MAX/2. */
export const OUT_OF_RANGE = 'ERR value is out of range';
/** ZUNION/ZINTER/ZDIFF/ZINTERCARD and their STORE forms with numkeys < 1; `cmd` is the lower-case full name. */
export function atLeastOneInputKey(cmd: string): string {
  return `ERR at least 1 input key is needed for '${cmd}' command`;
}

// ---- hashes (t_hash.c) -------------------------------------------------------

/** HINCRBY on a field whose value is not an integer (string2ll). */
export const HASH_VALUE_NOT_INT = 'ERR hash value is not an integer';
/** HINCRBYFLOAT on a field whose value is not a float (string2ld). */
export const HASH_VALUE_NOT_FLOAT = 'ERR hash value is not a float';
/** HINCRBYFLOAT's increment parsed as inf (checked before the key is looked up). */
export const INCR_IS_NAN_OR_INF = 'ERR value is NaN or Infinity';
/* HRANDFIELD's count out of [-LONG_MAX, LONG_MAX]: outOfRangeBetween (sets); with WITHVALUES beyond
   +-LONG_MAX/2: OUT_OF_RANGE (sorted sets). */

// ---- lists (t_list.c) and blocking (blocked.c, timeout.c); LPOP's count shares
// OUT_OF_RANGE_POSITIVE, LMPOP's NUMKEYS_NOT_POSITIVE and COUNT_NOT_POSITIVE above ---

export const INDEX_OUT_OF_RANGE = 'ERR index out of range';
export const LPOS_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
export const LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
export const LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
/** A blocking command's timeout in seconds that is not a number. */
export const TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
/** WAIT's and CLIENT PAUSE's timeout in milliseconds that is not an integer. */
export const TIMEOUT_NOT_INT = 'ERR timeout is not an integer or out of range';
export const TIMEOUT_NEGATIVE = 'ERR timeout is negative';
/** What a client blocked on keys gets from CLIENT UNBLOCK <id> ERROR. */
export const UNBLOCKED_BY_CLIENT = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
export const CLIENT_UNBLOCK_REASON = 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR';
export const CLIENT_PAUSE_MODE = 'ERR CLIENT PAUSE mode must be WRITE or ALL';

// ---- scripting: EVAL, SCRIPT, FUNCTION, the redis.* API (eval.c, script.c, script_lua.c, functions.c)

export const NUMKEYS_TOO_MANY = "ERR Number of keys can't be greater than number of args";
export const NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
export const BUSY_EVAL = BUSY;
export const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
export const NOTBUSY = 'NOTBUSY No scripts in execution right now.';
export const UNKILLABLE = 'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';
export const SCRIPT_FLUSH_MODE = 'ERR SCRIPT FLUSH only support SYNC|ASYNC option';
export const SCRIPT_DEBUG_USAGE = 'ERR Use SCRIPT DEBUG YES/SYNC/NO';
export const SCRIPT_DEBUG_UNSUPPORTED = "ERR cachette does not implement the Lua debugger (SCRIPT DEBUG YES/SYNC)";
export const SCRIPT_RO_WRITE_FLAG = 'ERR Can not execute a script with write flag using *_ro command.';
export const SCRIPT_OOM = "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
export const SHEBANG_INVALID = 'ERR Invalid script shebang';
export const SHEBANG_INVALID_ENGINE = 'ERR Invalid engine in script shebang';
export function shebangUnexpectedEngine(engine: string): string { return `ERR Unexpected engine in script shebang: ${engine}`; }
export function shebangUnexpectedFlag(flag: string): string { return `ERR Unexpected flag in script shebang: ${flag}`; }
export function shebangUnknownOption(opt: string): string { return `ERR Unknown lua shebang option: ${opt}`; }
export function scriptCompileError(msg: string): string { return `ERR Error compiling script (new function): ${msg}`; }
/** An error table's text with the script's name and position (luaCallFunction). */
export function scriptErrorAt(msg: string, funcname: string, source: string, line: string): string {
  return `${msg} script: ${funcname}, on ${source}:${line}.`;
}
/** The final reply when the error object is not a table (Redis's "Error running script"). */
export function scriptRunError(funcname: string, msg: string): string {
  return `ERR Error running script ${funcname}, ${msg.slice(0, 100)}`;
}
/** The reply for a script whose returned value nests deeper than the converter goes. */
export const LUA_STACK_LIMIT = 'ERR reached lua stack limit';
// Errors raised inside scripts: luaPushError prefixes "ERR " to these.
export const LUA_CALL_OUTSIDE = 'redis.call/pcall can only be called inside a script invocation';
export const LUA_NO_ARGS = 'Please specify at least one argument for this redis lib call';
export const LUA_BAD_ARGS = 'Lua redis lib command arguments must be strings or integers';
export const LUA_UNKNOWN_COMMAND = 'Unknown Redis command called from script';
export const LUA_WRONG_ARITY = 'Wrong number of args calling Redis command from script';
export const LUA_NOSCRIPT_COMMAND = 'This Redis command is not allowed from script';
export const LUA_WRITE_IN_RO = 'Write commands are not allowed from read-only scripts.';
export const LUA_WRONG_NUMBER = 'wrong number of arguments';
export const LUA_WRONG_NUMBER_OR_TYPE = 'wrong number or type of arguments';
export const LUA_SET_REPL_OUTSIDE = 'redis.set_repl can only be called inside a script invocation';
export const LUA_SET_REPL_ARGS = 'redis.set_repl() requires two arguments.';
export const LUA_SET_REPL_FLAGS = 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.';
export const LUA_SETRESP_OUTSIDE = 'redis.setresp can only be called inside a script invocation';
export const LUA_SETRESP_ARGS = 'redis.setresp() requires one argument.';
export const LUA_SETRESP_VERSION = 'RESP version must be 2 or 3.';
export const LUA_LOG_ARGS = 'redis.log() requires two arguments or more.';
export const LUA_LOG_LEVEL_TYPE = 'First argument must be a number (log level).';
export const LUA_LOG_LEVEL = 'Invalid debug level.';
export const LUA_ACL_OUTSIDE = 'redis.acl_check_cmd can only be called inside a script invocation';
export const LUA_ACL_INVALID = 'Invalid command passed to redis.acl_check_cmd()';
export const LUA_RANDOM_OUTSIDE = 'math.random can only be called inside a script invocation';
export const LUA_RANDOMSEED_OUTSIDE = 'math.randomseed can only be called inside a script invocation';
export const LUA_KILLED = 'Script killed by user with SCRIPT KILL...';
export const LUA_FUNCTION_KILLED = 'Script killed by user with FUNCTION KILL...';
// FUNCTION / FCALL (functions.c, function_lua.c)
export const FN_MISSING_METADATA = 'ERR Missing library metadata';
export const FN_INVALID_METADATA = 'ERR Invalid library metadata';
export const FN_NAME_TWICE = 'ERR Invalid metadata value, name argument was given multiple times';
export function fnInvalidMetadataValue(part: string): string { return `ERR Invalid metadata value given: ${part}`; }
export const FN_NAME_NOT_GIVEN = 'ERR Library name was not given';
export const FN_BAD_NAME = 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
/** The same text raised inside redis.register_function (luaPushError adds "ERR "). */
export const FN_BAD_NAME_IN_LUA = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
export function fnEngineNotFound(engine: string): string { return `ERR Engine '${engine}' not found`; }
export function fnLibraryExists(name: string): string { return `ERR Library '${name}' already exists`; }
export function fnLibraryExistsRestore(name: string): string { return `ERR Library ${name} already exists`; }
export function fnFunctionExists(name: string): string { return `ERR Function ${name} already exists`; }
export const FN_NO_FUNCTIONS = 'ERR No functions registered';
export function fnCompileError(msg: string): string { return `ERR Error compiling function: ${msg}`; }
export function fnRegisterError(msg: string): string { return `ERR Error registering functions: ${msg}`; }
export const FN_LOAD_TIMEOUT = 'FUNCTION LOAD timeout';
export const FN_REGISTER_OUTSIDE = 'redis.register_function can only be called on FUNCTION LOAD command';
export const FN_REGISTER_ARGS = 'wrong number of arguments to redis.register_function';
export const FN_REGISTER_NAMED = 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).';
export const FN_REGISTER_KEY = 'named argument key given to redis.register_function is not a string';
export const FN_REGISTER_NAME_TYPE = 'function_name argument given to redis.register_function must be a string';
export const FN_REGISTER_DESC_TYPE = 'description argument given to redis.register_function must be a string';
export const FN_REGISTER_CALLBACK_TYPE = 'callback argument given to redis.register_function must be a function';
export const FN_REGISTER_FLAGS_TYPE = 'flags argument to redis.register_function must be a table representing function flags';
export const FN_REGISTER_UNKNOWN_FLAG = 'unknown flag given';
export const FN_REGISTER_UNKNOWN_ARG = 'unknown argument given to redis.register_function';
export const FN_REGISTER_NO_NAME = 'redis.register_function must get a function name argument';
export const FN_REGISTER_NO_CALLBACK = 'redis.register_function must get a callback argument';
export const FN_REGISTER_FIRST = 'first argument to redis.register_function must be a string';
export const FN_REGISTER_SECOND = 'second argument to redis.register_function must be a function';
export const FN_ALREADY_IN_LIBRARY = 'Function already exists in the library';
export const FN_NOT_FOUND = 'ERR Function not found';
export const FN_BAD_NUMKEYS = 'ERR Bad number of keys provided';
export const FN_LIBRARY_NOT_FOUND = 'ERR Library not found';
export const FN_LIBRARYNAME_MISSING = 'ERR library name argument was not given';
export function fnUnknownArgument(arg: string): string { return `ERR Unknown argument ${arg}`; }
export function fnUnknownOption(arg: string): string { return `ERR Unknown option given: ${arg}`; }
export const FN_CODE_MISSING = 'ERR Function code is missing';
export const FN_RESTORE_POLICY = 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.';
export const FN_FLUSH_MODE = 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option';
export const DUMP_PAYLOAD_BAD = 'ERR DUMP payload version or checksum are wrong';
export const FN_NOT_A_FUNCTION = 'ERR given type is not a function';
export const FN_PAYLOAD_BAD = 'ERR failed loading the given functions payload';
