/**
 * ListValue (src/types/list.ts): against a plain-array model through seeded
 * random operations at both ends and in the middle, chunk shapes (small
 * lists stay small, ends stay O(1), middle inserts split one chunk, removals
 * merge neighbours), index walks from either end, scans, LREM from either
 * side, LTRIM, clone and the memory account.
 */

import { expect } from 'chai';
import { CHUNK, ListValue } from '../../src/types/list.js';
import { strBytes } from '../../src/types/memory.js';
import { seededRandom } from '../../src/random.js';

function stringsOf(a: string[]): number {
  return a.reduce((s, v) => s + strBytes(v.length), 0);
}

/** The structure's own invariants: chunk sizes add up, no empty chunk in a list of several. */
function checkShape(l: ListValue): void {
  const shape = l.shape();
  expect(shape.reduce((s, c) => s + c.len, 0)).to.equal(l.size);
  for (const c of shape) {
    expect(c.len).to.be.at.most(c.cap);
    expect(c.cap).to.be.at.most(CHUNK);
    if (shape.length > 1) expect(c.len).to.be.above(0);
  }
}

describe('ListValue', () => {
  it('agrees with an array model through 200,000 random operations', () => {
    const rnd = seededRandom(18);
    let splits = 0;
    for (let round = 0; round < 20; round++) {
      const l = new ListValue();
      const model: string[] = [];
      const vals = round % 2 === 0 ? 5 : 1000; // few distinct values: LREM removes many
      for (let op = 0; op < 10000; op++) {
        const v = `v${Math.floor(rnd() * vals)}`;
        const r = rnd();
        const n = model.length;
        if (r < 0.2) { l.pushTail(v); model.push(v); }
        else if (r < 0.4) { l.pushHead(v); model.unshift(v); }
        else if (r < 0.5) { expect(l.popHead()).to.equal(model.shift()); }
        else if (r < 0.6) { expect(l.popTail()).to.equal(model.pop()); }
        else if (r < 0.7) {
          const i = Math.floor(rnd() * (n + 1));
          const before = l.shape().length;
          l.insertAt(i, v); model.splice(i, 0, v);
          if (l.shape().length > before && i > 0 && i < n) splits++;
        } else if (r < 0.75 && n > 0) {
          const i = Math.floor(rnd() * n);
          expect(l.removeAt(i)).to.equal(model.splice(i, 1)[0]);
        } else if (r < 0.8 && n > 0) {
          const i = Math.floor(rnd() * n);
          l.set(i, v); model[i] = v;
        } else if (r < 0.9) {
          const i = Math.floor(rnd() * (n + 2)) - 1;
          expect(l.at(i)).to.equal(i < 0 ? model[n + i] : model[i]);
        } else if (r < 0.93) {
          const limit = Math.floor(rnd() * 4);
          const fromTail = rnd() < 0.5;
          let want = 0;
          const max = limit === 0 ? Infinity : limit;
          if (!fromTail) { for (let i = 0; i < model.length && want < max;) { if (model[i] === v) { model.splice(i, 1); want++; } else i++; } }
          else { for (let i = model.length - 1; i >= 0 && want < max; i--) if (model[i] === v) { model.splice(i, 1); want++; } }
          expect(l.removeMatching(v, limit, fromTail)).to.equal(want);
        } else if (r < 0.935 && n > 0) {
          const a = Math.floor(rnd() * n);
          const b = a + Math.floor(rnd() * (n - a));
          l.trim(a, b); model.splice(b + 1); model.splice(0, a);
        } else if (r < 0.97 && n > 0) {
          const a = Math.floor(rnd() * n);
          const b = a + Math.floor(rnd() * Math.min(300, n - a));
          expect(l.range(a, b)).to.deep.equal(model.slice(a, b + 1));
          const written: string[] = [];
          l.writeRange(a, b, { bulk: (x: string) => { written.push(x); } });
          expect(written).to.deep.equal(model.slice(a, b + 1));
        } else if (n > 0) {
          const from = Math.floor(rnd() * n);
          const rev = rnd() < 0.5;
          const got = l.scan(from, rev, (x) => x === v);
          let want = -1;
          if (!rev) { for (let i = from; i < n; i++) if (model[i] === v) { want = i; break; } }
          else { for (let i = from; i >= 0; i--) if (model[i] === v) { want = i; break; } }
          expect(got).to.equal(want);
          expect(l.indexOf(v)).to.equal(model.indexOf(v));
        }
        expect(l.size).to.equal(model.length);
        if (op % 500 === 0) {
          expect(l.toArray()).to.deep.equal(model);
          expect([...l.reversed()]).to.deep.equal(model.slice().reverse());
          checkShape(l);
        }
      }
      expect([...l]).to.deep.equal(model);
      checkShape(l);
    }
    expect(splits).to.be.above(10);
  });

  it('builds from an array, reads both ends and by negative index', () => {
    const l = ListValue.from(['a', 'b', 'c']);
    expect(l.toArray()).to.deep.equal(['a', 'b', 'c']);
    expect(l.first()).to.equal('a');
    expect(l.last()).to.equal('c');
    expect(l.at(-1)).to.equal('c');
    expect(l.at(-3)).to.equal('a');
    expect(l.at(-4)).to.equal(undefined);
    expect(l.at(3)).to.equal(undefined);
    expect(l.length).to.equal(3);
    expect(new ListValue().popHead()).to.equal(undefined);
    expect(new ListValue().popTail()).to.equal(undefined);
    expect(new ListValue().first()).to.equal(undefined);
    expect(new ListValue().toArray()).to.deep.equal([]);
  });

  it('keeps a small list in one small chunk, whichever end grows it', () => {
    const l = new ListValue();
    for (let i = 0; i < 3; i++) l.pushTail(String(i));
    expect(l.shape()).to.deep.equal([{ len: 3, cap: 4 }]);
    for (let i = 0; i < 30; i++) { l.pushHead('h'); l.pushTail('t'); }
    expect(l.shape()).to.deep.equal([{ len: 63, cap: 64 }]);
    // Alternating pushes on a lone chunk never make a second chunk before it is full.
    for (let i = 0; i < 32; i++) { l.pushHead('h'); l.pushTail('t'); }
    expect(l.shape().length).to.be.at.most(2);
    expect(l.shape()[0]!.cap).to.equal(CHUNK);
  });

  it('a queue (push at one end, pop at the other) keeps a bounded number of chunks', () => {
    const l = new ListValue();
    for (let i = 0; i < 100; i++) l.pushHead(String(i));
    let next = 0;
    for (let i = 100; i < 100000; i++) {
      l.pushHead(String(i));
      expect(l.popTail()).to.equal(String(next++));
    }
    expect(l.size).to.equal(100);
    expect(l.shape().length).to.be.at.most(3);
  });

  it('a middle insert in a large list touches one chunk (and splits it when full)', () => {
    const items = Array.from({ length: 100000 }, (_, i) => String(i));
    const l = ListValue.from(items);
    const chunks = l.shape().length;
    // The first chunk grew in place (4, 8, ... 128 slots, centred), the rest are full.
    expect(chunks).to.equal(1 + Math.ceil((100000 - l.shape()[0]!.len) / CHUNK));
    l.insertAt(50000, 'x');
    const after = l.shape();
    expect(after.length).to.equal(chunks + 1); // one chunk split in two
    expect(after.filter((c) => c.len !== CHUNK).length).to.be.at.most(4);
    expect(l.at(50000)).to.equal('x');
    expect(l.at(49999)).to.equal('49999');
    expect(l.at(50001)).to.equal('50000');
    // Further inserts at the same place fill the split halves before splitting again.
    for (let i = 0; i < 60; i++) l.insertAt(50000, 'y');
    expect(l.shape().length).to.equal(chunks + 1);
  });

  it('removals in the middle merge small neighbours and drop empty chunks', () => {
    const l = ListValue.from(Array.from({ length: 10 * CHUNK }, (_, i) => (i >= 2 * CHUNK && i < 6 * CHUNK ? 'x' : String(i))));
    const before = l.shape().length;
    expect(l.removeMatching('x', 0, false)).to.equal(4 * CHUNK);
    const shape = l.shape();
    expect(shape.length).to.be.at.most(before - 3);
    for (const c of shape) expect(c.len).to.be.above(0);
    expect(l.toArray()).to.deep.equal(Array.from({ length: 10 * CHUNK }, (_, i) => String(i)).filter((_, i) => i < 2 * CHUNK || i >= 6 * CHUNK));
    // Draining elements from the middle one by one keeps the chunk count falling with it.
    const m = ListValue.from(Array.from({ length: 4 * CHUNK }, (_, i) => String(i)));
    for (let i = 0; i < 3 * CHUNK; i++) m.removeAt(CHUNK >> 1);
    expect(m.size).to.equal(CHUNK);
    expect(m.shape().length).to.be.at.most(3);
  });

  it('LREM with a count stops at the count, from either end', () => {
    const l = ListValue.from(['a', 'x', 'b', 'x', 'c', 'x']);
    expect(l.removeMatching('x', 2, false)).to.equal(2);
    expect(l.toArray()).to.deep.equal(['a', 'b', 'c', 'x']);
    const r = ListValue.from(['x', 'a', 'x', 'b', 'x']);
    expect(r.removeMatching('x', 2, true)).to.equal(2);
    expect(r.toArray()).to.deep.equal(['x', 'a', 'b']);
    expect(r.removeMatching('zz', 0, false)).to.equal(0);
  });

  it('LTRIM keeps the range, or nothing', () => {
    const items = Array.from({ length: 1000 }, (_, i) => String(i));
    const l = ListValue.from(items);
    l.trim(300, 700);
    expect(l.toArray()).to.deep.equal(items.slice(300, 701));
    checkShape(l);
    l.trim(5, 4);
    expect(l.size).to.equal(0);
    l.pushTail('again');
    expect(l.toArray()).to.deep.equal(['again']);
  });

  it('clone is a deep copy', () => {
    const l = ListValue.from(['a', 'b']);
    const c = l.clone();
    c.pushTail('c');
    l.set(0, 'z');
    expect(l.toArray()).to.deep.equal(['z', 'b']);
    expect(c.toArray()).to.deep.equal(['a', 'b', 'c']);
    expect(c.type).to.equal('list');
    expect(c.encoding).to.equal('quicklist');
  });

  it('inspect decodes every element in order', () => {
    const l = ListValue.from(['\xc3\xa9', 'b']);
    expect(l.inspect((s) => Buffer.from(s, 'latin1').toString('utf8'))).to.deep.equal(['é', 'b']);
  });

  it('keeps its memory account: strings exactly, structure per chunk, back to the empty size', () => {
    const empty = new ListValue().bytes;
    const l = new ListValue();
    const model: string[] = [];
    const rnd = seededRandom(7);
    for (let i = 0; i < 5000; i++) {
      const v = 'x'.repeat(Math.floor(rnd() * 40));
      if (rnd() < 0.5) l.pushHead(v); else l.pushTail(v);
      model.push(v);
    }
    const structure = l.bytes - empty - stringsOf(model);
    // About 8.75 bytes of chunk per element when chunks are full, never more than twice that.
    expect(structure / 5000).to.be.within(8, 20);
    l.set(10, 'y'.repeat(1000));
    expect(l.bytes - empty - stringsOf(l.toArray())).to.be.within(8 * 5000, 20 * 5000);
    while (l.size > 0) l.popTail();
    // One chunk and the grown directory remain (an emptied list's key is deleted anyway).
    expect(l.bytes).to.be.at.most(empty + 1200 + 8 * 64);
    l.clear();
    expect(l.bytes).to.equal(empty);
  });
});
