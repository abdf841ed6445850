/**
 * src/gc.ts: when the idle collection runs. The RSS it reads is the test
 * process's own, so these cases drive it through the used_memory path,
 * which the caller supplies.
 */

import { expect } from 'chai';
import { GROWTH_BYTES, IDLE_MS, IdleGc } from '../src/gc.js';

const MB = 1024 * 1024;

describe('idle GC (gc.ts)', () => {
  it('collects once idle after data was freed, never while reads come in or replies are being sent', () => {
    const g = new IdleGc();
    let used = 200 * MB;
    const u = (): number => used;
    expect(g.tick(0, 1, false, u)).to.equal(-1); // first tick: reads moved
    expect(g.tick(IDLE_MS / 2, 1, false, u)).to.equal(-1); // not idle yet
    expect(g.tick(IDLE_MS + 1, 1, false, u)).to.equal(-1); // idle, nothing freed: the high mark is noted
    expect(g.runs).to.equal(0);
    used = 10 * MB; // FLUSHALL
    expect(g.tick(IDLE_MS + 100, 2, false, u)).to.equal(-1); // the FLUSHALL's read
    expect(g.tick(2 * IDLE_MS + 200, 2, true, u)).to.equal(-1); // a reply still being sent: not idle
    expect(g.tick(2 * IDLE_MS + 300, 2, false, u)).to.equal(-1);
    expect(g.runs).to.equal(0);
    expect(g.tick(3 * IDLE_MS + 400, 2, false, u)).to.be.at.least(0); // idle for IDLE_MS: collects
    expect(g.runs).to.equal(1);
    expect(g.tick(3 * IDLE_MS + 500, 2, false, u)).to.equal(-1); // once per idle period
    expect(g.tick(9 * IDLE_MS, 2, false, u)).to.equal(-1);
    expect(g.runs).to.equal(1);
  });

  it('does not collect for a drop smaller than GROWTH_BYTES', () => {
    const g = new IdleGc();
    let used = 100 * MB;
    const u = (): number => used;
    g.tick(0, 1, false, u);
    g.tick(IDLE_MS + 1, 1, false, u);
    used = 100 * MB - GROWTH_BYTES + 1;
    g.tick(IDLE_MS + 2, 2, false, u);
    expect(g.tick(3 * IDLE_MS, 2, false, u)).to.equal(-1);
    expect(g.runs).to.equal(0);
  });
});
