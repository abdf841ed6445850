/**
 * src/errors.ts: the builders give Redis 7.0.15's exact texts (as its
 * server.c / networking.c format them), and no other file under src/ writes
 * an error reply from a literal (a source scan, with a positive control so
 * the scan itself is shown to catch what it looks for).
 */

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  configSetFailed, helloSyntax, invalidExpireTime, NOT_INT, SYNTAX, unknownCommand, unknownSubcommand,
  unknownSubcommandOrArity, WRONGTYPE, wrongArity,
} from '../src/errors.js';

describe('errors.ts builders give Redis\'s texts', () => {
  it('shared texts', () => {
    expect(SYNTAX).to.equal('ERR syntax error');
    expect(NOT_INT).to.equal('ERR value is not an integer or out of range');
    expect(WRONGTYPE).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('wrongArity', () => {
    expect(wrongArity('get')).to.equal("ERR wrong number of arguments for 'get' command");
    expect(wrongArity('config|get')).to.equal("ERR wrong number of arguments for 'config|get' command");
  });

  it('unknownSubcommand: %.128s of the subcommand, the container upper-cased', () => {
    expect(unknownSubcommand('nope', 'config')).to.equal("ERR unknown subcommand 'nope'. Try CONFIG HELP.");
    expect(unknownSubcommand('x'.repeat(200), 'Client')).to.equal(`ERR unknown subcommand '${'x'.repeat(128)}'. Try CLIENT HELP.`);
    expect(unknownSubcommand('ab\0cd', 'object')).to.equal("ERR unknown subcommand 'ab'. Try OBJECT HELP.");
  });

  it('unknownCommand: name and up to 128 characters of quoted arguments', () => {
    expect(unknownCommand(['foo'])).to.equal("ERR unknown command 'foo', with args beginning with: ");
    expect(unknownCommand(['foo', 'a', 'b c'])).to.equal("ERR unknown command 'foo', with args beginning with: 'a' 'b c' ");
    const long = unknownCommand(['foo', 'y'.repeat(300), 'z']);
    expect(long).to.equal(`ERR unknown command 'foo', with args beginning with: '${'y'.repeat(128)}' `);
  });

  it('other builders', () => {
    expect(invalidExpireTime('set')).to.equal("ERR invalid expire time in 'set' command");
    expect(unknownSubcommandOrArity('bad', 'DEBUG')).to.equal("ERR unknown subcommand or wrong number of arguments for 'bad'. Try DEBUG HELP.");
    // Recorded from redis-server 7.0.15: `DEBUG <200 x>` cuts the subcommand at 128 bytes.
    expect(unknownSubcommandOrArity('x'.repeat(200), 'dEbUg')).to.equal(`ERR unknown subcommand or wrong number of arguments for '${'x'.repeat(128)}'. Try DEBUG HELP.`);
    expect(helloSyntax('x\0y')).to.equal("ERR Syntax error in HELLO option 'x'");
    expect(configSetFailed('maxmemory', 'duplicate parameter'))
      .to.equal("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
  });
});

// ---- no literal error replies outside src/errors.ts -------------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = path.join(ROOT, 'src');

/** Redis's error codes: a string literal that starts with one of these and a space is an error text. */
const CODES = 'ERR|WRONGTYPE|NOAUTH|WRONGPASS|NOPERM|NOPROTO|OOM|LOADING|READONLY|BUSY|BUSYKEY|BUSYGROUP|MASTERDOWN|NOSCRIPT'
  + '|MISCONF|EXECABORT|DENIED|NOGROUP|UNBLOCKED|UNKILLABLE|NOTBUSY|NOREPLICAS|CROSSSLOT|CLUSTERDOWN|TRYAGAIN|MOVED|ASK';
/** A literal error text, with or without RESP's leading '-'. */
const LITERAL = new RegExp(`['"\`]-?(?:${CODES}) `);
/** An error reply written from a literal of any content: c.error('...'), this.error(`...`). */
const ERROR_CALL = /\.error\(\s*['"`]/;

/** The offending lines of one source text; comment lines are skipped. */
function offences(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const t = line.trimStart();
    if (t.startsWith('*') || t.startsWith('/*') || t.startsWith('//')) return;
    if (LITERAL.test(line) || ERROR_CALL.test(line)) out.push(`${i + 1}: ${t}`);
  });
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('error texts live in src/errors.ts only', () => {
  it('the scan catches literal error replies and passes comments (positive control)', () => {
    expect(offences("  if (x) { c.error('ERR boom'); return; }")).to.have.length(1);
    expect(offences('    this.error(`WRONGTYPE ${x}`);')).to.have.length(1);
    expect(offences("      socket.end('-ERR max number of clients reached\\r\\n');")).to.have.length(1);
    expect(offences("  const E = \"NOAUTH Authentication required.\";")).to.have.length(1);
    expect(offences("  c.error('something new');")).to.have.length(1);
    expect(offences(" * A handler that throws is caught: the client gets `-ERR ...`")).to.deep.equal([]);
    expect(offences("  /** e.g. \"ERR syntax error\". */")).to.deep.equal([]);
    expect(offences('  c.error(SYNTAX); c.error(wrongArity(cmd.name));')).to.deep.equal([]);
    // errors.ts itself is full of them: the scan would see a stray one.
    expect(offences(readFileSync(path.join(SRC, 'errors.ts'), 'utf8')).length).to.be.greaterThan(40);
  });

  it('no file under src/ but errors.ts holds a literal error text', () => {
    const files = tsFiles(SRC).filter((f) => f !== path.join(SRC, 'errors.ts'));
    const rel = files.map((f) => path.relative(ROOT, f));
    // The scan really reads the sources (not an empty or wrong directory).
    expect(rel).to.include.members(['src/connection.ts', 'src/commands/strings.ts', 'src/protocol/request.ts', 'src/server.ts']);
    const found: string[] = [];
    for (const f of files) {
      for (const o of offences(readFileSync(f, 'utf8'))) found.push(`${path.relative(ROOT, f)}:${o}`);
    }
    expect(found, `literal error texts outside src/errors.ts:\n${found.join('\n')}`).to.deep.equal([]);
  });
});
