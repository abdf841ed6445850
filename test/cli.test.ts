/**
 * The `cachette` executable: start-up logs, config file plus flags, bad input,
 * a taken port, and clean exits on SIGTERM and SHUTDOWN.
 */

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Raw } from './helpers.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/cachette.js');

interface Run { child: ChildProcess; out: () => string; exit: Promise<number | null> }

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exit };
}

/** Waits for the "port=N" start-up line and returns N. */
async function portOf(r: Run): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const m = /Running mode=standalone, port=(\d+)\./.exec(r.out());
    if (m && r.out().includes('Ready to accept connections')) return Number(m[1]);
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`server did not start:\n${r.out()}`);
}

describe('cachette CLI', function () {
  const running: Run[] = [];
  afterEach(() => { for (const r of running.splice(0)) r.child.kill('SIGKILL'); });

  it('starts, logs in Redis style, serves, and exits 0 on SIGTERM', async () => {
    const r = run(['--port', '0']);
    running.push(r);
    const port = await portOf(r);
    expect(r.out()).to.match(/^\d+:M \d+ \w{3} \d{4} [\d:.]+ \* oO0OoO0OoO0Oo cachette is starting/);
    expect(r.out()).to.include('(Redis 7.0.15 compatible)');
    const c = await Raw.connect(port);
    await c.expect('PING\r\n', '+PONG\r\n');
    c.close();
    r.child.kill('SIGTERM');
    expect(await r.exit).to.equal(0);
    expect(r.out()).to.include('Received SIGTERM scheduling shutdown...');
  });

  it('reads a config file and lets flags override it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cachette-'));
    const conf = path.join(dir, 'my.conf');
    writeFileSync(conf, '# test config\nport 0\nmaxmemory 64mb\nmaxmemory-policy allkeys-lru\nrequirepass "from file"\n');
    const r = run([conf, '--maxmemory-policy', 'volatile-ttl']);
    running.push(r);
    const port = await portOf(r);
    const c = await Raw.connect(port);
    await c.expect('AUTH "from file"\r\n', '+OK\r\n');
    await c.expect('CONFIG GET maxmemory\r\n', '*2\r\n$9\r\nmaxmemory\r\n$8\r\n67108864\r\n');
    await c.expect('CONFIG GET maxmemory-policy\r\n', '*2\r\n$16\r\nmaxmemory-policy\r\n$12\r\nvolatile-ttl\r\n');
    // SHUTDOWN has no reply: the connection closes with nothing sent, and the process exits 0.
    c.send('SHUTDOWN\r\n');
    expect(await c.waitClosed(5000)).to.equal(true);
    expect(c.rest()).to.equal('');
    expect(await r.exit).to.equal(0);
    expect(r.out()).to.include('# User requested shutdown...');
  });

  it('takes notify-keyspace-events from a config file or a flag, and the manual clock from flags', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cachette-'));
    const conf = path.join(dir, 'events.conf');
    writeFileSync(conf, 'port 0\nnotify-keyspace-events Ex\n');
    const a = run([conf]);
    running.push(a);
    const c = await Raw.connect(await portOf(a));
    await c.expect('CONFIG GET notify-keyspace-events\r\n', '*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nxE\r\n');
    c.close();
    const b = run(['--port', '0', '--notify-keyspace-events', 'KEA', '--clock', 'manual', '--enable-debug-jump', 'yes']);
    running.push(b);
    const d = await Raw.connect(await portOf(b));
    await d.expect('CONFIG GET notify-keyspace-events\r\n', '*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n');
    await d.expect('SET k v PX 100\r\n', '+OK\r\n');
    await d.expect('PTTL k\r\n', ':100\r\n'); // time stands still
    await d.expect('DEBUG JUMP 101\r\nGET k\r\n', '+OK\r\n$-1\r\n');
    d.close();
    const bad = run(['--notify-keyspace-events', 'Kq']);
    expect(await bad.exit).to.equal(1);
    expect(bad.out()).to.include("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  });

  it('exits 1 with a message on a bad flag value, an unknown flag or a bad config file', async () => {
    const bad = run(['--maxmemory', '12xb']);
    expect(await bad.exit).to.equal(1);
    expect(bad.out()).to.include("Invalid argument '12xb' for 'maxmemory': argument must be a memory value");
    const unknown = run(['--bogus', '1']);
    expect(await unknown.exit).to.equal(1);
    expect(unknown.out()).to.include("unknown option '--bogus'");
    const dir = mkdtempSync(path.join(tmpdir(), 'cachette-'));
    writeFileSync(path.join(dir, 'bad.conf'), 'nosuch 1\n');
    const badConf = run([path.join(dir, 'bad.conf')]);
    expect(await badConf.exit).to.equal(1);
    expect(badConf.out()).to.include("line 1: Bad directive or wrong number of arguments: 'nosuch'");
  });

  it('exits 1 when the port is taken', async () => {
    const first = run(['--port', '0']);
    running.push(first);
    const port = await portOf(first);
    const second = run(['--port', String(port)]);
    expect(await second.exit).to.equal(1);
    expect(second.out()).to.include(`Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`);
  });
});
