/**
 * The real redis-cli (7.0.15, found on the PATH by test/setup/oracle.ts) against cachette:
 *  - one-shot commands, in raw and formatted output, with -n, -a and -3;
 *  - reading commands from a piped stdin (no tty: raw output);
 *  - a real interactive session on a pseudo-terminal (util-linux `script`),
 *    with prompts and formatted replies;
 *  - mass insertion with --pipe.
 *
 * Every expected output here was recorded from redis-cli against a real
 * redis-server 7.0.15, byte for byte.
 */

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { startServer, type ServerHandle } from '../src/index.js';
import { tool } from './setup/oracle.js';

const REDIS_CLI = tool('redis-cli');
const SCRIPT = tool('script');
const TIMEOUT_MS = 10_000;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Runs a program to completion (killed after TIMEOUT_MS), feeding `input` to its stdin. */
function run(file: string, args: string[], input?: string | Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
    children.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      if (signal !== null) {
        reject(new Error(`${file} ${args.join(' ')} killed by ${signal}; stdout so far: ${Buffer.concat(out).toString('latin1')}`));
        return;
      }
      resolve({ code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1') });
    });
    child.stdin!.on('error', () => {});
    child.stdin!.end(input);
  });
}

/** Counter of calls for a command ('get') or subcommand ('command|docs'). */
function calls(srv: ServerHandle, name: string): number {
  const [top, sub] = name.split('|');
  let cmd = srv.server.commands.lookup(top!)!;
  if (sub !== undefined) cmd = cmd.subcommands!.get(sub)!;
  return cmd.stats.calls;
}

/** A RESP multibulk request, as redis-cli --pipe expects. */
function resp(...args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

describe('redis-cli', function () {
  let srv: ServerHandle;
  let authSrv: ServerHandle;
  let cli: (...args: string[]) => Promise<RunResult>;

  before(async function () {
    srv = await startServer({ port: 0 });
    authSrv = await startServer({ port: 0, requirepass: 'pw' });
    cli = (...args: string[]) => run(REDIS_CLI, ['-p', String(srv.port), ...args]);
  });

  after(async function () {
    for (const c of children) c.kill('SIGKILL');
    await srv.close();
    await authSrv.close();
  });

  beforeEach(async function () {
    expect((await cli('flushall')).stdout).to.equal('OK\n');
  });

  describe('one-shot commands', function () {
    it('PING prints PONG', async function () {
      expect(await cli('ping')).to.deep.equal({ code: 0, stdout: 'PONG\n', stderr: '' });
      expect(await cli('ping', 'hello there')).to.deep.equal({ code: 0, stdout: 'hello there\n', stderr: '' });
    });

    it('SET then GET; output is raw when stdout is not a tty', async function () {
      expect(await cli('set', 'k', 'v')).to.deep.equal({ code: 0, stdout: 'OK\n', stderr: '' });
      expect(await cli('get', 'k')).to.deep.equal({ code: 0, stdout: 'v\n', stderr: '' });
      expect((await cli('get', 'missing')).stdout).to.equal('\n');
      expect((await cli('incr', 'n')).stdout).to.equal('1\n');
      expect((await cli('mget', 'k', 'missing', 'n')).stdout).to.equal('v\n\n1\n');
      expect((await cli('dbsize')).stdout).to.equal('2\n');
    });

    it('--raw and --no-raw formatting', async function () {
      await cli('set', 'k', 'v');
      await cli('set', 'ctl', 'a\nb\tc');
      await cli('set', 'n', '41');
      expect((await cli('--no-raw', 'get', 'k')).stdout).to.equal('"v"\n');
      expect((await cli('--no-raw', 'get', 'missing')).stdout).to.equal('(nil)\n');
      expect((await cli('--no-raw', 'incr', 'n')).stdout).to.equal('(integer) 42\n');
      expect((await cli('--raw', 'incr', 'n')).stdout).to.equal('43\n');
      expect((await cli('--no-raw', 'mget', 'k', 'missing', 'n')).stdout).to.equal('1) "v"\n2) (nil)\n3) "43"\n');
      expect((await cli('--no-raw', 'get', 'ctl')).stdout).to.equal('"a\\nb\\tc"\n');
      expect((await cli('--raw', 'get', 'ctl')).stdout).to.equal('a\nb\tc\n');
      expect((await cli('--no-raw', 'keys', 'nomatch*')).stdout).to.equal('(empty array)\n');
      // Errors: formatted with "(error) ", raw as the bare message plus an empty line.
      expect(await cli('--no-raw', 'incr', 'k')).to.deep.equal({
        code: 0, stdout: '(error) ERR value is not an integer or out of range\n', stderr: '',
      });
      expect(await cli('--raw', 'incr', 'k')).to.deep.equal({
        code: 0, stdout: 'ERR value is not an integer or out of range\n\n', stderr: '',
      });
      expect((await cli('--no-raw', 'set', 'k', 'v', 'bogus')).stdout).to.equal('(error) ERR syntax error\n');
    });

    it('-n selects a database', async function () {
      expect((await cli('-n', '2', 'set', 'x', 'in-db-2')).stdout).to.equal('OK\n');
      expect((await cli('get', 'x')).stdout).to.equal('\n');
      expect((await cli('-n', '2', 'get', 'x')).stdout).to.equal('in-db-2\n');
      expect((await cli('-n', '2', 'dbsize')).stdout).to.equal('1\n');
      expect((await cli('dbsize')).stdout).to.equal('0\n');
      expect(srv.server.dbs[2]!.keys).to.include('x');
      expect(await cli('-n', '16', 'get', 'x')).to.deep.equal({
        code: 0, stdout: '\n', stderr: 'SELECT 16 failed: ERR DB index is out of range\n',
      });
    });

    it('-a authenticates against a requirepass server', async function () {
      const port = String(authSrv.port);
      expect(await run(REDIS_CLI, ['-p', port, '-a', 'pw', '--no-auth-warning', 'set', 'a', '1'])).to.deep.equal({
        code: 0, stdout: 'OK\n', stderr: '',
      });
      expect(await run(REDIS_CLI, ['-p', port, '-a', 'pw', '--no-auth-warning', 'get', 'a'])).to.deep.equal({
        code: 0, stdout: '1\n', stderr: '',
      });
      // Without --no-auth-warning redis-cli warns on stderr, and still works.
      expect(await run(REDIS_CLI, ['-p', port, '-a', 'pw', 'get', 'a'])).to.deep.equal({
        code: 0,
        stdout: '1\n',
        stderr: "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n",
      });
      // --user/--pass goes through AUTH default pw.
      expect((await run(REDIS_CLI, ['-p', port, '--user', 'default', '--pass', 'pw', '--no-auth-warning', 'get', 'a'])).stdout)
        .to.equal('1\n');
      // RESP3 + password: HELLO 3 after AUTH.
      expect((await run(REDIS_CLI, ['-p', port, '-3', '-a', 'pw', '--no-auth-warning', 'get', 'a'])).stdout).to.equal('1\n');
      // No password: NOAUTH.
      expect(await run(REDIS_CLI, ['-p', port, 'get', 'a'])).to.deep.equal({
        code: 0, stdout: 'NOAUTH Authentication required.\n\n', stderr: '',
      });
      expect((await run(REDIS_CLI, ['-p', port, '--no-raw', 'get', 'a'])).stdout).to.equal('(error) NOAUTH Authentication required.\n');
      // Wrong password: AUTH fails (stderr), then the command meets NOAUTH.
      expect(await run(REDIS_CLI, ['-p', port, '-a', 'bad', '--no-auth-warning', 'get', 'a'])).to.deep.equal({
        code: 0,
        stdout: 'NOAUTH Authentication required.\n\n',
        stderr: 'AUTH failed: WRONGPASS invalid username-password pair or user is disabled.\n',
      });
    });

    it('-3 speaks RESP3: HELLO map output, nulls and maps', async function () {
      const formatted = await cli('-3', '--no-raw', 'hello', '3');
      expect(formatted.code).to.equal(0);
      expect(formatted.stderr).to.equal('');
      const f = formatted.stdout.replace(/^4# "id" => \(integer\) \d+$/m, '4# "id" => (integer) N');
      expect(f).to.equal(
        '1# "server" => "redis"\n' +
          '2# "version" => "7.0.15"\n' +
          '3# "proto" => (integer) 3\n' +
          '4# "id" => (integer) N\n' +
          '5# "mode" => "standalone"\n' +
          '6# "role" => "master"\n' +
          '7# "modules" => (empty array)\n',
      );
      const raw = await cli('-3', 'hello', '3');
      expect(raw.stdout.replace(/^id \d+$/m, 'id N')).to.equal(
        'server redis\nversion 7.0.15\nproto 3\nid N\nmode standalone\nrole master\nmodules \n',
      );
      expect((await cli('-3', '--no-raw', 'get', 'missing')).stdout).to.equal('(nil)\n');
      expect((await cli('-3', '--no-raw', 'config', 'get', 'maxmemory')).stdout).to.equal('1# "maxmemory" => "0"\n');
      expect((await cli('-3', '--no-raw', 'incrbyfloat', 'f', '1.5')).stdout).to.equal('"1.5"\n');
      expect((await cli('-3', '--no-raw', 'incr', 'i')).stdout).to.equal('(integer) 1\n');
    });
  });

  describe('commands from stdin', function () {
    it('reads commands from a piped stdin (no tty: raw replies)', async function () {
      const docsBefore = calls(srv, 'command|docs');
      const r = await run(REDIS_CLI, ['-p', String(srv.port)], 'set a 1\nget a\nget nope\nincr a\nincr nope-s\n');
      expect(r).to.deep.equal({ code: 0, stdout: 'OK\n1\n\n2\n1\n', stderr: '' });
      // redis-cli still starts its REPL (it asks for COMMAND DOCS for its hints).
      expect(calls(srv, 'command|docs') - docsBefore).to.equal(1);
      expect((await cli('get', 'a')).stdout).to.equal('2\n');
    });

    it('runs a real interactive session on a pseudo-terminal', async function () {
      const port = String(srv.port);
      const prompt = `127.0.0.1:${port}> `;
      const docsBefore = calls(srv, 'command|docs');
      // `script` gives redis-cli a tty, so it runs its linenoise REPL: prompts, hints, formatted replies.
      const child = spawn(
        SCRIPT,
        ['-q', '-e', '-c', `stty cols 200 rows 50 && exec ${REDIS_CLI} -p ${port}`, '/dev/null'],
        { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm' }, timeout: TIMEOUT_MS, killSignal: 'SIGKILL' },
      );
      children.add(child);
      let out = '';
      const waiters: Array<() => void> = [];
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString('latin1');
        for (const w of waiters.splice(0)) w();
      });
      child.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { children.delete(child); resolve(code); }));

      /** Waits until the output after `from` contains `text`. */
      const waitFor = async (text: string, from: number): Promise<void> => {
        const deadline = Date.now() + TIMEOUT_MS;
        while (!out.slice(from).includes(text)) {
          if (Date.now() > deadline || child.exitCode !== null) {
            throw new Error(`timed out waiting for ${JSON.stringify(text)}; output: ${JSON.stringify(out.slice(from))}`);
          }
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 50);
          });
        }
      };
      /** Types a line and waits for its reply followed by the next prompt. */
      const type = async (line: string, reply: string, nextPrompt = prompt): Promise<void> => {
        const mark = out.length;
        child.stdin!.write(line + '\r');
        await waitFor(`\r\n${reply}\r\n${nextPrompt}`, mark);
      };

      await waitFor(prompt, 0);
      await type('set a 1', 'OK');
      await type('get a', '"1"');
      await type('get nope', '(nil)');
      await type('incr a', '(integer) 2');
      await type('incr nope-s', '(integer) 1');
      await type('set a b c', '(error) ERR syntax error');
      await type('mget a nope', '1) "2"\r\n2) (nil)');
      // Hints come from COMMAND DOCS' argument trees.
      let mark = out.length;
      child.stdin!.write('set ');
      await waitFor('key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]', mark);
      child.stdin!.write('\x15'); // Ctrl-U clears the line
      mark = out.length;
      child.stdin!.write('hello 3\r');
      await waitFor('\r\n7# "modules" => (empty array)\r\n' + prompt, mark);
      expect(out.slice(mark)).to.match(new RegExp(
        '\\r\\n1# "server" => "redis"\\r\\n2# "version" => "7\\.0\\.15"\\r\\n3# "proto" => \\(integer\\) 3\\r\\n' +
          '4# "id" => \\(integer\\) \\d+\\r\\n5# "mode" => "standalone"\\r\\n6# "role" => "master"\\r\\n7# "modules" => \\(empty array\\)\\r\\n',
      ));
      // After SELECT the prompt shows the database.
      const prompt3 = `127.0.0.1:${port}[3]> `;
      await type('select 3', 'OK', prompt3);
      await type('dbsize', '(integer) 0', prompt3);
      await type('set in3 x', 'OK', prompt3);
      await type('select 0', 'OK');
      await type('dbsize', '(integer) 2');

      child.stdin!.write('quit\r');
      expect(await exited).to.equal(0);
      // Interactive start fetched COMMAND DOCS once.
      expect(calls(srv, 'command|docs') - docsBefore).to.equal(1);
      expect((await cli('get', 'a')).stdout).to.equal('2\n');
    });
  });

  describe('--pipe', function () {
    it('mass-inserts 10,000 SETs', async function () {
      let input = '';
      for (let i = 0; i < 10_000; i++) input += resp('SET', `key:${i}`, i % 1000 === 0 ? `value\r\n${i}` : `value:${i}`);
      const setsBefore = calls(srv, 'set');
      const r = await run(REDIS_CLI, ['-p', String(srv.port), '--pipe'], input);
      expect(r).to.deep.equal({
        code: 0,
        stdout: 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 0, replies: 10000\n',
        stderr: '',
      });
      expect(calls(srv, 'set') - setsBefore).to.equal(10_000);
      expect((await cli('dbsize')).stdout).to.equal('10000\n');
      expect((await cli('get', 'key:9999')).stdout).to.equal('value:9999\n');
      expect((await cli('--no-raw', 'get', 'key:3000')).stdout).to.equal('"value\\r\\n3000"\n');
    });

    it('counts and prints errors', async function () {
      await cli('set', 'k', 'v');
      const r = await run(REDIS_CLI, ['-p', String(srv.port), '--pipe'], resp('INCR', 'k') + resp('PING') + resp('INCR', 'n'));
      expect(r).to.deep.equal({
        code: 1,
        stdout: 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 1, replies: 3\n',
        stderr: 'ERR value is not an integer or out of range\n',
      });
      expect((await cli('get', 'n')).stdout).to.equal('1\n');
    });
  });
});
