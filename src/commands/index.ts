/**
 * Registers every command family in the table. To find a command's code:
 * strings.ts (string type), keys.ts (generic key and expire commands, OBJECT),
 * connection.ts (PING, HELLO, AUTH, SELECT, CLIENT...), server.ts (INFO,
 * CONFIG, COMMAND, MEMORY, TIME, SHUTDOWN, MONITOR), pubsub.ts (SUBSCRIBE,
 * PUBLISH, PUBSUB...), debug.ts (DEBUG), transactions.ts (MULTI, EXEC, DISCARD,
 * WATCH, UNWATCH), list.ts (the list type and its blocking forms: LPUSH...
 * BLMPOP).
 */

import type { CommandTable } from './table.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { connectionCommands } from './connection.js';
import { serverCommands } from './server.js';
import { debugCommands } from './debug.js';
import { pubsubCommands } from './pubsub.js';
import { transactionCommands } from './transactions.js';
import { sortCommands } from './sort.js';
import { listCommands } from './list.js';

export function registerAll(table: CommandTable): void {
  table.add(stringCommands);
  table.add(keyCommands);
  table.add(connectionCommands);
  table.add(serverCommands);
  table.add(debugCommands);
  table.add(pubsubCommands);
  table.add(transactionCommands);
  table.add(sortCommands);
  table.add(listCommands);
}
