/**
 * The order-statistic B+tree (src/types/ranktree.ts) against a sorted-array
 * model: seeded random inserts and deletes that grow it past several levels
 * and shrink it back to empty, checking every structural invariant (counts,
 * separators, leaf links, depth, fill) as it goes, plus ranks, seeks by rank,
 * bound searches and cursors in both directions.
 */

import { expect } from 'chai';
import { LEAF_MAX, RankTree } from '../../src/types/ranktree.js';
import { seededRandom } from '../../src/random.js';

type Key = [number, string];

function cmp(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** Index of the first model key for which pred holds (model is sorted). */
function firstWhere(model: Key[], pred: (k: Key) => boolean): number {
  let lo = 0;
  let hi = model.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(model[mid]!)) hi = mid; else lo = mid + 1;
  }
  return lo;
}

function insertModel(model: Key[], k: Key): void {
  model.splice(firstWhere(model, (x) => cmp(x, k) >= 0), 0, k);
}

describe('rank tree (order-statistic B+tree)', () => {
  it('agrees with a sorted array through 60,000 random inserts and deletes, growing to 3 levels and shrinking to empty', () => {
    const rnd = seededRandom(1);
    const t = new RankTree();
    const model: Key[] = [];
    const scoreOf = new Map<string, number>();
    let maxLeaves = 0;
    for (let op = 0; op < 60_000; op++) {
      const growing = op < 35_000;
      const member = `m${Math.floor(rnd() * 20_000)}`;
      const have = scoreOf.get(member);
      if (have === undefined && rnd() < (growing ? 0.9 : 0.1)) {
        // Few distinct scores, so many keys tie on score and order by member.
        const score = rnd() < 0.5 ? Math.floor(rnd() * 50) : (rnd() - 0.5) * 1e6;
        t.insert(score, member);
        insertModel(model, [score, member]);
        scoreOf.set(member, score);
      } else if (have !== undefined && rnd() < (growing ? 0.2 : 0.95)) {
        expect(t.delete(have, member)).to.equal(true);
        model.splice(firstWhere(model, (x) => cmp(x, [have, member]) >= 0), 1);
        scoreOf.delete(member);
      } else if (have !== undefined) {
        expect(t.delete(have + 1, member)).to.equal(false); // wrong score: not found
      }
      if (op % 997 === 0) {
        t.check();
        maxLeaves = Math.max(maxLeaves, t.leaves);
        expect(t.size).to.equal(model.length);
        for (let q = 0; q < 50 && model.length > 0; q++) {
          const r = Math.floor(rnd() * model.length);
          const c = t.cursor(r);
          expect([c.score, c.member]).to.deep.equal(model[r]);
          expect(t.rankOf(model[r]![0], model[r]![1])).to.equal(r);
        }
      }
    }
    // Drain what is left, checking as it empties.
    for (const [m, s] of [...scoreOf]) {
      expect(t.delete(s, m)).to.equal(true);
      model.splice(firstWhere(model, (x) => cmp(x, [s, m]) >= 0), 1);
      if (model.length % 500 === 0) { t.check(); expect(t.size).to.equal(model.length); }
    }
    t.check();
    expect(t.size).to.equal(0);
    expect(t.leaves).to.equal(1);
    expect(t.inners).to.equal(0);
    expect(maxLeaves).to.be.above(100); // it did grow past one inner level
  });

  it('merges inner nodes as a 200,000-key tree shrinks at random, keeping ranks right', () => {
    const rnd = seededRandom(3);
    const t = new RankTree();
    const n = 200_000;
    for (let i = 0; i < n; i++) t.insert(i, 'k');
    t.check();
    const innersAtTop = t.inners;
    expect(innersAtTop).to.be.above(40);
    // Delete in a random order; the model is the set of live scores.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
    const live = new Uint8Array(n).fill(1);
    for (let d = 0; d < n - 1000; d++) {
      expect(t.delete(order[d]!, 'k')).to.equal(true);
      live[order[d]!] = 0;
      if (d % 20_000 === 0) t.check();
    }
    t.check();
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (live[i]) rest.push(i);
    expect(t.size).to.equal(1000);
    for (let r = 0; r < 1000; r += 37) {
      expect(t.cursor(r).score).to.equal(rest[r]);
      expect(t.rankOf(rest[r]!, 'k')).to.equal(r);
    }
    // Inner nodes were merged away, not just emptied leaves.
    expect(t.inners).to.be.below(innersAtTop / 4);
  });

  it('leaves full leaves behind under ascending or descending inserts (timestamps), half-full ones under random inserts', () => {
    const up = new RankTree();
    for (let i = 0; i < 128 * 100; i++) up.insert(i, 'k');
    up.check();
    expect(up.leaves).to.equal(100);
    const down = new RankTree();
    for (let i = 0; i < 128 * 100; i++) down.insert(-i, 'k');
    down.check();
    expect(down.leaves).to.equal(100);
    const rnd = seededRandom(4);
    const mixed = new RankTree();
    for (let i = 0; i < 128 * 100; i++) mixed.insert(rnd(), 'k');
    mixed.check();
    expect(mixed.leaves).to.be.within(120, 200);
    // The memory account follows: fuller leaves, fewer bytes.
    expect(up.bytes()).to.be.below(mixed.bytes());
  });

  it('finds score and member bounds like a binary search over the sorted keys', () => {
    const rnd = seededRandom(2);
    const t = new RankTree();
    const model: Key[] = [];
    for (let i = 0; i < 5000; i++) {
      const k: Key = [Math.floor(rnd() * 300) / 4, `k${i}`];
      t.insert(k[0], k[1]);
      insertModel(model, k);
    }
    t.check();
    for (let q = 0; q < 2000; q++) {
      const x = Math.floor(rnd() * 1300) / 16 - 2;
      expect(t.rankOfScore(x, false)).to.equal(firstWhere(model, (k) => k[0] >= x));
      expect(t.rankOfScore(x, true)).to.equal(firstWhere(model, (k) => k[0] > x));
    }
    expect(t.rankOfScore(-Infinity, false)).to.equal(0);
    expect(t.rankOfScore(Infinity, false)).to.equal(5000);
    expect(t.rankOfScore(Infinity, true)).to.equal(5000);
    // Equal scores: member bounds.
    const lex = new RankTree();
    const members: string[] = [];
    for (let i = 0; i < 3000; i++) members.push(Buffer.from([Math.floor(rnd() * 256), Math.floor(rnd() * 256)]).latin1Slice());
    const uniq = [...new Set(members)].sort();
    for (const m of uniq) lex.insert(0, m);
    lex.check();
    for (let q = 0; q < 2000; q++) {
      const probe = Buffer.from([Math.floor(rnd() * 256)]).latin1Slice() + (rnd() < 0.5 ? Buffer.from([Math.floor(rnd() * 256)]).latin1Slice() : '');
      expect(lex.rankOfMember(probe, false)).to.equal(firstWhere(uniq.map((m) => [0, m] as Key), (k) => k[1] >= probe));
      expect(lex.rankOfMember(probe, true)).to.equal(firstWhere(uniq.map((m) => [0, m] as Key), (k) => k[1] > probe));
    }
  });

  it('walks forward and backward across leaf boundaries, and cursors outside the range are not valid', () => {
    const t = new RankTree();
    const n = LEAF_MAX * 5 + 3;
    for (let i = 0; i < n; i++) t.insert(i, 'x');
    const fwd: number[] = [];
    for (const c = t.cursor(0); c.valid; c.next()) fwd.push(c.score);
    expect(fwd).to.deep.equal(Array.from({ length: n }, (_, i) => i));
    const back: number[] = [];
    for (const c = t.cursor(n - 1); c.valid; c.prev()) back.push(c.score);
    expect(back).to.deep.equal(fwd.slice().reverse());
    expect(t.cursor(n).valid).to.equal(false);
    expect(t.cursor(-1).valid).to.equal(false);
    const seen: number[] = [];
    t.forEach((_m, s) => seen.push(s));
    expect(seen).to.deep.equal(fwd);
  });

  it('orders by score, then by member bytes, with -0 equal to 0', () => {
    const t = new RankTree();
    const keys: Key[] = [[1, 'b'], [1, 'B'], [1, 'a\x80'], [1, 'a'], [1, 'a\x00'], [1, ''], [-0, 'z'], [0, 'y'], [-Infinity, 'n'], [Infinity, 'p'], [1, '\xff']];
    for (const [s, m] of keys) t.insert(s, m);
    const out: string[] = [];
    t.forEach((m) => out.push(m));
    // Byte order, a proper prefix first (sdscmp); zset.test.ts checks an order recorded from redis-server.
    expect(out).to.deep.equal(['n', 'y', 'z', '', 'B', 'a', 'a\x00', 'a\x80', 'b', '\xff', 'p']);
    expect(t.rankOf(0, 'z')).to.equal(2);
    expect(t.rankOf(-0, 'y')).to.equal(1);
  });
});
