/**
 * Registers every command family in the table. To find a command's code:
 * strings.ts (string type), hash.ts (hash type), set.ts (set type), keys.ts (generic key and expire commands, OBJECT),
 * connection.ts (PING, HELLO, AUTH, SELECT, CLIENT...), server.ts (INFO,
 * CONFIG, COMMAND, MEMORY, TIME, SHUTDOWN, MONITOR), pubsub.ts (SUBSCRIBE,
 * PUBLISH, PUBSUB...), debug.ts (DEBUG), transactions.ts (MULTI, EXEC, DISCARD,
 * WATCH, UNWATCH), zset.ts (sorted sets: ZADD, ZRANGE, ZUNIONSTORE...), list.ts
 * (the list type and its blocking forms: LPUSH... BLMPOP), scripting.ts (EVAL, EVALSHA, SCRIPT...), functions.ts (FCALL, FUNCTION...).
 */

import type { CommandTable } from './table.js';
import { stringCommands } from './strings.js';
import { hashCommands } from './hash.js';
import { setCommands } from './set.js';
import { keyCommands } from './keys.js';
import { connectionCommands } from './connection.js';
import { serverCommands } from './server.js';
import { debugCommands } from './debug.js';
import { pubsubCommands } from './pubsub.js';
import { transactionCommands } from './transactions.js';
import { sortCommands } from './sort.js';
import { zsetCommands } from './zset.js';
import { listCommands } from './list.js';
import { scriptingCommands } from './scripting.js';
import { functionCommands } from './functions.js';

export function registerAll(table: CommandTable): void {
  table.add(stringCommands);
  table.add(hashCommands);
  table.add(setCommands);
  table.add(keyCommands);
  table.add(connectionCommands);
  table.add(serverCommands);
  table.add(debugCommands);
  table.add(pubsubCommands);
  table.add(transactionCommands);
  table.add(sortCommands);
  table.add(zsetCommands);
  table.add(listCommands);
  table.add(scriptingCommands);
  table.add(functionCommands);
}
