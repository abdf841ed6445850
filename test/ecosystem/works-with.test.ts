/**
 * The README's "Works with" table cannot go stale: it must be exactly what
 * works-with.ts renders from the installed versions; every package it names
 * must be a devDependency (never a runtime one) at a range the installed
 * version satisfies; and every flow file in test/ecosystem/ has its row.
 * Also, no installed package has an install script (`.npmrc` leaves out
 * optional packages such as msgpackr-extract for that reason).
 */

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, ROWS, installedVersion, worksWithTable } from './works-with.js';

interface Pkg { version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Pkg;

describe('ecosystem: the README "Works with" table', function () {
  it('the README shows the table as the installed versions render it', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = worksWithTable();
    expect(readme.includes(table), `README.md must contain, exactly:\n${table}`).to.equal(true);
  });

  it('each library is a devDependency whose range the installed version matches, never a runtime dependency', () => {
    for (const r of ROWS) {
      for (const p of r.packages) {
        if (p === 'ioredis') {
          // The one runtime dependency in the table: the cache-aside library is built on it.
          expect(pkg.dependencies?.[p], p).to.be.a('string');
          continue;
        }
        const range = pkg.devDependencies?.[p];
        expect(range, `${p} in devDependencies`).to.be.a('string');
        expect(pkg.dependencies?.[p], `${p} must not be a runtime dependency`).to.equal(undefined);
        // Ranges here are ^x.y.z or exact versions: the installed version must be at least x.y.z with the same major.
        const want = /^\^?(\d+)\.(\d+)\.(\d+)(-[\w.]+)?$/.exec(range!);
        expect(want, `${p}: range ${range}`).to.not.equal(null);
        const got = installedVersion(p);
        if (!range!.startsWith('^')) expect(got, p).to.equal(range);
        else expect(got.split('.')[0], p).to.equal(want![1]);
      }
    }
  });

  it('every flow in test/ecosystem/ has a row, and every row a flow', () => {
    const dir = path.join(ROOT, 'test', 'ecosystem');
    const flows = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'works-with.test.ts').sort();
    expect(ROWS.map((r) => r.file).sort()).to.deep.equal(flows);
  });

  it('no installed package has an install script', () => {
    const found: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const p = path.join(dir, e.name);
        if (e.name.startsWith('@')) { walk(p); continue; }
        const pj = path.join(p, 'package.json');
        if (existsSync(pj)) {
          const s = (JSON.parse(readFileSync(pj, 'utf8')) as Pkg).scripts ?? {};
          for (const k of ['preinstall', 'install', 'postinstall']) if (s[k] !== undefined) found.push(`${path.relative(ROOT, p)}: ${k}`);
        }
        walk(path.join(p, 'node_modules'));
      }
    };
    walk(path.join(ROOT, 'node_modules'));
    expect(found).to.deep.equal([]);
  });
});
