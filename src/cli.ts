/**
 * The command line: `cachette [config-file] [--flag value ...]`.
 *
 * Flags are named like redis-server's directives. A redis.conf-style file may
 * come first (as with `redis-server ./my.conf`); flags given after it win.
 * Logs go to stdout in Redis's format. SIGINT / SIGTERM / SHUTDOWN stop the
 * server cleanly and exit 0; a bad flag or a taken port exits 1 with a message.
 */

import { Command, InvalidArgumentError, Option } from 'commander';
import { readConfigFile } from './config.js';
import { Server } from './server.js';
import { CACHETTE_VERSION, REDIS_VERSION } from './version.js';

/** The flags and the config parameters they set. */
const FLAGS: Array<[string, string]> = [
  ['port', 'TCP port to listen on (default 6379; 0 picks a free port)'],
  ['bind', 'address to bind (default 127.0.0.1)'],
  ['requirepass', 'password clients must AUTH with'],
  ['maxmemory', 'memory limit, with units: 100mb, 1gb, 512k...'],
  ['maxmemory-policy', 'eviction policy: noeviction, allkeys-lru, volatile-lru, allkeys-lfu, volatile-lfu, allkeys-random, volatile-random, volatile-ttl'],
  ['hz', 'background task frequency, 1..500 (default 10)'],
  ['databases', 'number of databases (default 16)'],
  ['loglevel', 'debug, verbose, notice (default) or warning'],
  ['maxclients', 'maximum simultaneous clients (default 10000)'],
  ['protected-mode', "yes (default): with no password, only loopback clients are served; 'no' to turn off"],
  ['timeout', 'close clients idle for more than this many seconds (default 0: never)'],
  ['tcp-keepalive', 'TCP keepalive interval in seconds for client sockets (default 300; 0: off)'],
  ['notify-keyspace-events', "keyspace notification classes, as Redis: K E g $ x e n m A... (default '': off)"],
  ['enable-debug-command', "no (default), yes, or local (loopback clients only): allows DEBUG"],
  ['enable-debug-jump', "yes allows DEBUG JUMP <ms> and DEBUG SET-CLOCK <epoch-ms> (cachette only; default no)"],
  ['save', "accepted for redis-server compatibility; only '' (cachette keeps nothing on disk)"],
  ['appendonly', "accepted for redis-server compatibility; only 'no'"],
];

export async function main(argv: string[]): Promise<void> {
  if (argv[2] === 'demo') return demo(argv);
  const program = new Command('cachette')
    .description(`A Redis ${REDIS_VERSION}-compatible in-memory cache server in pure Node.js`)
    .version(CACHETTE_VERSION, '-v, --version')
    .argument('[config-file]', 'a redis.conf-style configuration file')
    .allowExcessArguments(false);
  for (const [name, help] of FLAGS) program.addOption(new Option(`--${name} <value>`, help));
  program.addOption(new Option('--clock <mode>', "system (default) or manual: time stands still until DEBUG JUMP / SET-CLOCK moves it (needs --enable-debug-jump yes)").choices(['system', 'manual']));
  program.addOption(new Option('--seed <n>', 'seed for the random sampling of eviction, LFU and RANDOMKEY, so runs repeat exactly').argParser((v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a whole number');
    return Number(v);
  }));
  program.parse(argv);

  const file = program.args[0];
  const overrides: Record<string, string> = {};
  try {
    if (file !== undefined) Object.assign(overrides, readConfigFile(file));
  } catch (e) {
    process.stderr.write(`*** FATAL CONFIG FILE ERROR (cachette ${CACHETTE_VERSION}) ***\nReading the configuration file ${file}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const opts = program.opts<Record<string, string>>();
  for (const [name] of FLAGS) {
    const key = name.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    if (opts[key] !== undefined) overrides[name] = opts[key]!;
  }

  let server: Server;
  try {
    // The server owns this process: it may tune the process's GC (gc.ts).
    server = new Server({ ...overrides, clock: opts['clock'] as 'system' | 'manual' | undefined, seed: opts['seed'] as unknown as number | undefined, processGc: true });
  } catch (e) {
    process.stderr.write(`*** FATAL CONFIG ERROR *** ${(e as Error).message}\n`);
    process.exit(1);
  }
  server.log('notice', 'oO0OoO0OoO0Oo cachette is starting oO0OoO0OoO0Oo');
  server.log('notice', `cachette version=${CACHETTE_VERSION} (Redis ${REDIS_VERSION} compatible), node=${process.version}, pid=${process.pid}, just started`);
  server.log('notice', file !== undefined ? `Configuration loaded from ${file}` : 'No config file specified, using the default config.');
  try {
    await server.listen();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    server.log('warning', `Could not create server TCP listening socket ${server.config.bind}:${server.config.port}: ${err.code === 'EADDRINUSE' ? 'bind: Address already in use' : err.message}`);
    process.exit(1);
  }
  server.log('notice', `Running mode=standalone, port=${server.port}.`);
  server.log('notice', 'Server initialized');
  server.log('notice', 'Ready to accept connections tcp');

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (why !== '') server.log('warning', `Received ${why} scheduling shutdown...`);
    await server.close();
    server.log('warning', 'cachette is now ready to exit, bye bye...');
    process.exit(0);
  };
  server.onShutdown = () => { void stop(''); };
  process.on('SIGINT', () => { void stop('SIGINT'); });
  process.on('SIGTERM', () => { void stop('SIGTERM'); });
}

/** `cachette demo [--url redis://...] [--scenario N] [--json] [--db-latency ms]` */
async function demo(argv: string[]): Promise<void> {
  const program = new Command('cachette demo')
    .description('Runs the cache-aside demo against an embedded cachette, or any Redis with --url')
    .option('--url <url>', 'use this server (redis://host:port) instead of an embedded cachette')
    .option('--scenario <n>', 'run only scenario n (1-8)')
    .option('--db-latency <ms>', 'database latency per query in ms (default 20)')
    .option('--json', 'print machine-readable results instead of the report')
    .allowExcessArguments(false);
  program.parse(argv.slice(1));
  const opts = program.opts<{ url?: string; scenario?: string; dbLatency?: string; json?: boolean }>();
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) {
      process.stderr.write(`cachette demo: ${name} must be a whole number, got '${v}'\n`);
      process.exit(1);
    }
    return Number(v);
  };
  const { runDemo } = await import('./demo/run.js');
  let report;
  try {
    report = await runDemo({
      url: opts.url,
      scenario: int('--scenario', opts.scenario),
      dbLatencyMs: int('--db-latency', opts.dbLatency),
      print: opts.json ? undefined : (text) => process.stdout.write(text + '\n'),
    });
  } catch (e) {
    process.stderr.write(`cachette demo: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  process.exit(report.ok ? 0 : 1);
}
