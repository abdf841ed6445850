/**
 * ZSetValue (src/types/zset.ts): against a model (member -> score, sorted by
 * score then member bytes) through seeded random operations in both
 * encodings, the listpack -> skiplist conversion points, -0, score and lex
 * ranges against brute force, Redis's listpack answers for BYLEX over unequal
 * scores, ZSCAN completeness, uniform sampling, the memory account, and a
 * 1,000,000-member set checked on samples.
 *
 * Expectations marked "recorded" were recorded from redis-server 7.0.15
 * (ZADD, OBJECT ENCODING, ZSCORE, ZRANGE ... WITHSCORES, ZRANGEBYLEX,
 * ZREVRANGEBYLEX, ZLEXCOUNT, ZSCAN, ZUNIONSTORE).
 */

import { expect } from 'chai';
import { listpackScoreText, ZSET_DEFAULT_LIMITS, ZSetValue, type ZSetLimits } from '../../src/types/zset.js';
import { strBytes } from '../../src/types/memory.js';
import { lexGteMin, lexLteMax, parseLexRange, parseScoreRange, scoreGteMin, scoreLteMax, type LexRange, type ScoreRange } from '../../src/types/score.js';
import { seededRandom } from '../../src/random.js';

type Entry = [string, number];

function cmp(a: Entry, b: Entry): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function sorted(model: Map<string, number>): Entry[] {
  return [...model].sort(cmp);
}

function entries(z: ZSetValue): Entry[] {
  const out: Entry[] = [];
  z.forEach((m, s) => out.push([m, s]));
  return out;
}

function build(list: Entry[], limits: ZSetLimits = ZSET_DEFAULT_LIMITS): ZSetValue {
  const z = new ZSetValue();
  for (const [m, s] of list) z.set(m, s, limits);
  return z;
}

/** Brute-force first/last rank in a score range over the sorted entries. */
function bruteScore(list: Entry[], r: ScoreRange): [number, number] {
  let first = -1;
  let last = -1;
  list.forEach(([, s], i) => { if (scoreGteMin(s, r) && scoreLteMax(s, r)) { if (first === -1) first = i; last = i; } });
  return [first, last];
}

function bruteLex(list: Entry[], r: LexRange): [number, number] {
  let first = -1;
  let last = -1;
  list.forEach(([m], i) => { if (lexGteMin(m, r) && lexLteMax(m, r)) { if (first === -1) first = i; last = i; } });
  return [first, last];
}

describe('ZSetValue', () => {
  it('agrees with a sorted model through 50,000 random operations, converting when the model says', () => {
    const rnd = seededRandom(31);
    const limits: ZSetLimits = { maxEntries: 40, maxValue: 10 };
    let skiplists = 0;
    for (let round = 0; round < 25; round++) {
      const z = new ZSetValue();
      const model = new Map<string, number>();
      let shouldBeSkiplist = false;
      const space = round % 2 === 0 ? 35 : 60;
      for (let op = 0; op < 2000; op++) {
        const m = rnd() < 0.0003 ? 'long-member' : `m${Math.floor(rnd() * space)}`;
        const r = rnd();
        if (r < 0.5) {
          const score = rnd() < 0.3 ? Math.floor(rnd() * 5) : rnd() < 0.05 ? -0 : (rnd() - 0.5) * 100;
          const had = model.has(m);
          if (!had && (model.size + 1 > limits.maxEntries || m.length > limits.maxValue)) shouldBeSkiplist = true;
          expect(z.set(m, score, limits)).to.equal(!had);
          // An equal score (-0 == 0) leaves the member alone; a listpack stores -0 as 0.
          if (!had || model.get(m) !== score) model.set(m, shouldBeSkiplist || score !== 0 ? score : 0);
        } else if (r < 0.8) {
          expect(z.delete(m)).to.equal(model.delete(m));
        } else {
          const list = sorted(model);
          const rank = list.findIndex((e) => e[0] === m);
          expect(z.rank(m)).to.equal(rank);
          expect(z.has(m)).to.equal(rank !== -1);
          const sc = z.score(m);
          expect(sc === undefined ? undefined : Object.is(sc, -0) ? '-0' : sc).to.equal(rank === -1 ? undefined : Object.is(model.get(m), -0) ? '-0' : model.get(m));
        }
        expect(z.encoding).to.equal(shouldBeSkiplist ? 'skiplist' : 'listpack');
        expect(z.size).to.equal(model.size);
        if (op % 50 === 0) {
          const list = sorted(model);
          const got = entries(z);
          expect(got.map((e) => e[0])).to.deep.equal(list.map((e) => e[0]));
          expect(got.map((e) => Object.is(e[1], -0) ? '-0' : e[1])).to.deep.equal(list.map((e) => Object.is(e[1], -0) ? '-0' : e[1]));
          if (list.length > 0) {
            const k = Math.floor(rnd() * list.length);
            const back: string[] = [];
            for (const c = z.cursor(k); c.valid; c.prev()) back.push(c.member);
            expect(back).to.deep.equal(list.slice(0, k + 1).map((e) => e[0]).reverse());
          }
        }
      }
      if (shouldBeSkiplist) skiplists++;
    }
    expect(skiplists).to.be.within(5, 24);
  });

  it('converts past zset-max-listpack-entries (recorded: 128 listpack, an update stays, the 129th member converts) and never back', () => {
    const z = new ZSetValue();
    for (let i = 0; i < 128; i++) z.set(`m${i}`, i, ZSET_DEFAULT_LIMITS);
    expect(z.encoding).to.equal('listpack');
    z.set('m1', 1, ZSET_DEFAULT_LIMITS);
    z.set('m2', 1000, ZSET_DEFAULT_LIMITS);
    expect(z.encoding).to.equal('listpack');
    z.set('new', 1, ZSET_DEFAULT_LIMITS);
    expect(z.encoding).to.equal('skiplist');
    for (let i = 0; i < 128; i++) z.delete(`m${i}`);
    expect(z.encoding).to.equal('skiplist');
    expect(entries(z)).to.deep.equal([['new', 1]]);
    // ZADD zdup 1 a (x129) on a new key: one member, still a listpack (recorded).
    const d = new ZSetValue();
    for (let i = 0; i < 129; i++) d.set('a', 1, ZSET_DEFAULT_LIMITS);
    expect(d.encoding).to.equal('listpack');
    // zset-max-listpack-entries 0: the first member converts.
    const e = new ZSetValue();
    e.set('a', 1, { maxEntries: 0, maxValue: 64 });
    expect(e.encoding).to.equal('skiplist');
  });

  it('converts on a member longer than zset-max-listpack-value (recorded: 64 bytes listpack, 65 skiplist)', () => {
    expect(build([['x'.repeat(64), 1]]).encoding).to.equal('listpack');
    expect(build([['x'.repeat(65), 1]]).encoding).to.equal('skiplist');
    const z = build([['a', 1], ['b', 2]]);
    z.set('y'.repeat(65), 0, ZSET_DEFAULT_LIMITS);
    expect(z.encoding).to.equal('skiplist');
    expect(entries(z)).to.deep.equal([['y'.repeat(65), 0], ['a', 1], ['b', 2]]);
  });

  it('orders by score, then member bytes (recorded ZRANGE zo 0 -1 WITHSCORES)', () => {
    // ZADD zo 2 b 1 c 2 a 1 B 1 b\0 1 \xff 1 a\x80
    const list: Entry[] = [['b', 2], ['c', 1], ['a', 2], ['B', 1], ['b\x00', 1], ['\xff', 1], ['a\x80', 1]];
    const recorded = ['B', 'a\x80', 'b\x00', 'c', '\xff', 'a', 'b'];
    expect(entries(build(list)).map((e) => e[0])).to.deep.equal(recorded);
    expect(entries(build(list, { maxEntries: 0, maxValue: 64 })).map((e) => e[0])).to.deep.equal(recorded);
    // ZSCAN of a listpack: everything, in order, cursor 0 (recorded).
    const seen: string[] = [];
    expect(build(list).scan(0, 1, (m) => seen.push(m))).to.equal(0);
    expect(seen).to.deep.equal(recorded);
  });

  it('keeps -0 in a skiplist and stores it as 0 in a listpack (recorded ZSCORE after ZADD z -0 m)', () => {
    const lp = new ZSetValue();
    lp.set('m', -0, ZSET_DEFAULT_LIMITS);
    expect(Object.is(lp.score('m'), 0)).to.equal(true);
    const sl = new ZSetValue('skiplist');
    sl.set('m', -0, ZSET_DEFAULT_LIMITS);
    expect(Object.is(sl.score('m'), -0)).to.equal(true);
    // ZADD z 0 m on a -0 member: equal, unchanged (recorded: ZSCORE still -0).
    expect(sl.set('m', 0, ZSET_DEFAULT_LIMITS)).to.equal(false);
    expect(Object.is(sl.score('m'), -0)).to.equal(true);
    // ZADD f 1 a (listpack); then with entries 0, ZADD f -0 b converts first and keeps -0 (recorded: b -0, a 1).
    const f = new ZSetValue();
    f.set('a', 1, ZSET_DEFAULT_LIMITS);
    f.set('b', -0, { maxEntries: 0, maxValue: 64 });
    expect(f.encoding).to.equal('skiplist');
    expect(entries(f).map((e) => [e[0], Object.is(e[1], -0) ? '-0' : e[1]])).to.deep.equal([['b', '-0'], ['a', 1]]);
    // ZUNIONSTORE of -0 members into a listpack gives 0 (recorded: m 0, n 0, o 5).
    const u = new ZSetValue('skiplist');
    for (const [m, s] of [['m', -0], ['n', -0], ['o', 5]] as Entry[]) u.set(m, s, ZSET_DEFAULT_LIMITS);
    u.convertToListpackIfFits(ZSET_DEFAULT_LIMITS);
    expect(u.encoding).to.equal('listpack');
    expect(entries(u).map((e) => [e[0], Object.is(e[1], -0) ? '-0' : e[1]])).to.deep.equal([['m', 0], ['n', 0], ['o', 5]]);
  });

  it('becomes a listpack only when a fresh skiplist fits (ZUNIONSTORE, recorded)', () => {
    const limits = { maxEntries: 2, maxValue: 64 };
    const three = new ZSetValue('skiplist');
    for (const [m, s] of [['a', 1], ['b', 2], ['c', 1]] as Entry[]) three.set(m, s, limits);
    three.convertToListpackIfFits(limits);
    expect(three.encoding).to.equal('skiplist');
    three.delete('a');
    expect(three.encoding).to.equal('skiplist'); // never back on its own
    three.convertToListpackIfFits(limits);
    expect(three.encoding).to.equal('listpack');
    expect(entries(three)).to.deep.equal([['c', 1], ['b', 2]]);
    const long = new ZSetValue('skiplist');
    long.set('x'.repeat(65), 1, ZSET_DEFAULT_LIMITS);
    long.convertToListpackIfFits(ZSET_DEFAULT_LIMITS);
    expect(long.encoding).to.equal('skiplist');
  });

  it('finds score ranges like brute force, in both encodings, with exclusive ends and infinities', () => {
    const rnd = seededRandom(41);
    const bounds = ['-inf', '+inf', '(-inf', '(+inf', '0', '(0', '1', '(1', '2.5', '(2.5', '3', '(3', '-1', '(-1', '7', '(7', '10'];
    for (let round = 0; round < 40; round++) {
      const list: Entry[] = [];
      const n = Math.floor(rnd() * 200);
      const used = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = `m${Math.floor(rnd() * 1000)}`;
        if (used.has(m)) continue;
        used.add(m);
        list.push([m, rnd() < 0.1 ? (rnd() < 0.5 ? -Infinity : Infinity) : Math.floor(rnd() * 20) / 2 - 1]);
      }
      const limits = round % 2 === 0 ? ZSET_DEFAULT_LIMITS : { maxEntries: 0, maxValue: 64 };
      const z = build(list, limits);
      const model = list.slice().sort(cmp);
      for (const a of bounds) {
        for (const b of bounds) {
          const r = parseScoreRange(a, b)!;
          const [first, last] = bruteScore(model, r);
          expect(z.firstInScoreRange(r), `${a} ${b}`).to.equal(first);
          expect(z.lastInScoreRange(r), `${a} ${b}`).to.equal(last);
        }
      }
    }
  });

  it('finds lex ranges like brute force when all scores are equal, in both encodings', () => {
    const rnd = seededRandom(43);
    const alphabet = ['', 'a', 'a\x00', 'ab', 'b', 'b\xff', 'c', '\x80', '\xff'];
    const bounds = ['-', '+', ...alphabet.flatMap((s) => ['[' + s, '(' + s])];
    for (let round = 0; round < 30; round++) {
      const list: Entry[] = [];
      for (const s of alphabet) if (rnd() < 0.6) list.push([s, 0]);
      for (let i = 0; i < 150; i++) if (rnd() < 0.5) list.push([`k${i}`, 0]);
      const z = build(list, round % 2 === 0 ? ZSET_DEFAULT_LIMITS : { maxEntries: 0, maxValue: 64 });
      const model = list.slice().sort(cmp);
      for (const a of bounds) {
        for (const b of bounds) {
          const r = parseLexRange(a, b)!;
          const [first, last] = bruteLex(model, r);
          expect(z.firstInLexRange(r), `${JSON.stringify(a)} ${JSON.stringify(b)}`).to.equal(first);
          expect(z.lastInLexRange(r), `${JSON.stringify(a)} ${JSON.stringify(b)}`).to.equal(last);
        }
      }
    }
  });

  it('answers BYLEX over unequal scores as Redis does for a listpack (recorded on ZADD zl 1 c 2 a 3 d 4 b)', () => {
    const z = build([['c', 1], ['a', 2], ['d', 3], ['b', 4]]);
    const walkFwd = (min: string, max: string): string[] => {
      const r = parseLexRange(min, max)!;
      const out: string[] = [];
      const first = z.firstInLexRange(r);
      if (first === -1) return out;
      for (const c = z.cursor(first); c.valid && lexLteMax(c.member, r); c.next()) out.push(c.member);
      return out;
    };
    const walkBack = (max: string, min: string): string[] => {
      const r = parseLexRange(min, max)!;
      const out: string[] = [];
      const last = z.lastInLexRange(r);
      if (last === -1) return out;
      for (const c = z.cursor(last); c.valid && lexGteMin(c.member, r); c.prev()) out.push(c.member);
      return out;
    };
    expect(walkFwd('[b', '+')).to.deep.equal(['c', 'a', 'd', 'b']); // ZRANGEBYLEX zl [b +
    expect(walkFwd('-', '[b')).to.deep.equal([]); // ZRANGEBYLEX zl - [b
    expect(walkBack('+', '[b')).to.deep.equal(['b', 'd']); // ZREVRANGEBYLEX zl + [b
    expect(walkBack('[c', '-')).to.deep.equal(['b', 'd', 'a', 'c']); // ZREVRANGEBYLEX zl [c -
    expect(walkFwd('[a', '[c')).to.deep.equal(['c', 'a']); // ZRANGEBYLEX zl [a [c
    expect(walkFwd('[b', '+').length).to.equal(4); // ZLEXCOUNT zl [b + is 4
    // The first member >= min from the head must itself be <= max, or nothing is in range.
    const x = build([['a', 1], ['d', 2], ['b', 3]]);
    expect(x.firstInLexRange(parseLexRange('[b', '[c')!)).to.equal(-1); // ZRANGEBYLEX x [b [c: empty
    const y = build([['b', 1], ['a', 2], ['d', 3]]);
    expect(y.lastInLexRange(parseLexRange('[b', '[c')!)).to.equal(-1); // ZREVRANGEBYLEX y [c [b: empty
    expect(y.firstInLexRange(parseLexRange('[b', '[c')!)).to.equal(0); // ZRANGEBYLEX y [b [c: b a
  });

  it('removes rank ranges and pops from both ends', () => {
    const list: Entry[] = Array.from({ length: 300 }, (_, i) => [`m${String(i).padStart(3, '0')}`, i % 7] as Entry);
    for (const limits of [{ maxEntries: 1000, maxValue: 64 }, ZSET_DEFAULT_LIMITS]) {
      const z = build(list, limits);
      const model = list.slice().sort(cmp);
      expect(z.deleteRankRange(10, 49)).to.equal(40);
      model.splice(10, 40);
      expect(entries(z)).to.deep.equal(model);
      expect(z.cursor(0).member).to.equal(model[0]![0]);
      z.delete(z.cursor(0).member);
      z.delete(z.cursor(z.size - 1).member);
      model.shift();
      model.pop();
      expect(entries(z)).to.deep.equal(model);
    }
  });

  it('writes a score as a listpack holds it (recorded: ZSCAN on a listpack after ZADD of these scores)', () => {
    // Integral scores with |score| <= 2^62 are listpack integers (double2ll), in full;
    // the rest are d2string's %.17g, inf and -inf.
    const cases: Array<[number, string]> = [
      [0, '0'], [-0, '0'], [1, '1'], [-5, '-5'], [1.5, '1.5'], [1.1, '1.1000000000000001'], [1e17, '100000000000000000'],
      [123456789012345678, '123456789012345680'], [2 ** 53 + 2, '9007199254740994'], [2 ** 62, '4611686018427387904'],
      [-(2 ** 62), '-4611686018427387904'], [2 ** 62 + 1024, '4.6116860184273889e+18'], [-(2 ** 62) - 1024, '-4.6116860184273889e+18'],
      [1e300, '1.0000000000000001e+300'], [Infinity, 'inf'], [-Infinity, '-inf'], [5e-324, '4.9406564584124654e-324'], [0.5, '0.5'],
    ];
    for (const [x, want] of cases) expect(listpackScoreText(x), String(x)).to.equal(want);
  });

  it('scans a skiplist completely while members come and go', () => {
    const rnd = seededRandom(9);
    for (let round = 0; round < 5; round++) {
      const z = new ZSetValue('skiplist');
      for (let i = 0; i < 3000; i++) z.set(`m${i}`, rnd(), ZSET_DEFAULT_LIMITS);
      const stable = new Set<string>();
      for (let i = 0; i < 3000; i++) if (rnd() < 0.5) stable.add(`m${i}`);
      const visited = new Map<string, number>();
      let cursor = 0;
      let steps = 0;
      let added = 0;
      do {
        cursor = z.scan(cursor, 1 + Math.floor(rnd() * 20), (m, s) => visited.set(m, s));
        for (let k = 0; k < 15; k++) { const m = `m${Math.floor(rnd() * 3000)}`; if (!stable.has(m)) z.delete(m); }
        for (let k = 0; k < 5; k++) z.set(`new${added++}`, rnd(), ZSET_DEFAULT_LIMITS);
        // Updating scores moves members in the tree, not in the scan order.
        for (let k = 0; k < 5; k++) { const m = `m${Math.floor(rnd() * 3000)}`; if (z.has(m)) z.set(m, rnd(), ZSET_DEFAULT_LIMITS); }
        steps++;
      } while (cursor !== 0 && steps < 10_000);
      expect(cursor).to.equal(0);
      for (const m of stable) expect(visited.has(m), m).to.equal(true);
    }
  });

  it('picks members uniformly in both encodings (seeded, 200,000 draws over 20 members, each within 4 %)', () => {
    for (const limits of [ZSET_DEFAULT_LIMITS, { maxEntries: 0, maxValue: 64 }]) {
      const z = build(Array.from({ length: 20 }, (_, i) => [`m${i}`, i % 3] as Entry), limits);
      const rnd = seededRandom(6);
      const counts = new Map<string, number>();
      let wrongScore = 0;
      for (let i = 0; i < 200_000; i++) {
        const [m, s] = z.randomEntry(rnd)!;
        if (s !== Number(m.slice(1)) % 3) wrongScore++;
        counts.set(m, (counts.get(m) ?? 0) + 1);
      }
      expect(wrongScore).to.equal(0);
      expect(counts.size).to.equal(20);
      for (const c of counts.values()) expect(c).to.be.within(9600, 10_400);
    }
    expect(new ZSetValue().randomEntry(Math.random)).to.equal(null);
  });

  it('keeps its memory account consistent: member strings plus a structure cost that depends on size, encoding and shape', () => {
    const strings = (x: ZSetValue): number => { let t = 0; x.forEach((m) => { t += strBytes(m.length); }); return t; };
    const empty = new ZSetValue().bytes;
    const z = new ZSetValue();
    const members: string[] = [];
    for (let i = 0; i < 100; i++) { members.push('member:' + i); z.set(members[i]!, i, ZSET_DEFAULT_LIMITS); }
    const lp = z.bytes;
    expect(lp - strings(z)).to.equal(build(Array.from({ length: 100 }, (_, i) => [`o${i}`, -i] as Entry)).bytes - strings(build(Array.from({ length: 100 }, (_, i) => [`o${i}`, -i] as Entry))));
    for (let i = 100; i < 300; i++) { members.push('member:' + i); z.set(members[i]!, i, ZSET_DEFAULT_LIMITS); }
    expect(z.encoding).to.equal('skiplist');
    expect(z.bytes - strings(z)).to.be.above((lp - strings(build([['a', 1]]))) * 2);
    // Score updates move members; only the tree's shape (its leaf count) can change the account.
    const before = z.bytes;
    for (let i = 0; i < 300; i += 3) z.set(members[i]!, -i, ZSET_DEFAULT_LIMITS);
    expect(Math.abs(z.bytes - before)).to.be.below(before * 0.05);
    for (const m of members) z.delete(m);
    const e = new ZSetValue('skiplist');
    expect(z.bytes).to.equal(e.bytes);
    expect(e.bytes).to.be.above(empty);
  });

  it('clones deeply in the same encoding and order, and shows [member, score] pairs', () => {
    for (const limits of [ZSET_DEFAULT_LIMITS, { maxEntries: 0, maxValue: 64 }, { maxEntries: 100, maxValue: 64 }]) {
      const list: Entry[] = Array.from({ length: 300 }, (_, i) => [`m${i}`, (i * 37) % 101] as Entry);
      const z = build(list.slice(0, limits.maxEntries === 100 ? 300 : 50), limits);
      const c = z.clone();
      expect(c.type).to.equal('zset');
      expect(c.encoding).to.equal(z.encoding);
      expect(entries(c)).to.deep.equal(entries(z));
      expect(c.rank('m7')).to.equal(z.rank('m7'));
      expect(c.score('m7')).to.equal(z.score('m7'));
      c.set('m7', -5, limits);
      c.delete('m8');
      expect(z.score('m7')).to.equal(37 * 7 % 101);
      expect(z.has('m8')).to.equal(true);
      expect(z.inspect((r) => r)).to.deep.equal(entries(z));
    }
  });

  it('stays correct at 1,000,000 members: rank, score, seek by rank and score ranges on samples', function () {
    this.timeout(180_000);
    const rnd = seededRandom(1_000_000);
    const n = 1_000_000;
    const z = new ZSetValue();
    const ms: string[] = new Array(n);
    const ss = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ms[i] = `member:${i}`;
      ss[i] = Math.floor(rnd() * 100_000) / 8; // many ties: order falls back to member bytes
      z.set(ms[i]!, ss[i]!, ZSET_DEFAULT_LIMITS);
    }
    expect(z.size).to.equal(n);
    expect(z.encoding).to.equal('skiplist');
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (ss[a]! - ss[b]!) || (ms[a]! < ms[b]! ? -1 : 1));
    for (let q = 0; q < 2000; q++) {
      const r = Math.floor(rnd() * n);
      const i = order[r]!;
      expect(z.rank(ms[i]!)).to.equal(r);
      expect(z.score(ms[i]!)).to.equal(ss[i]);
      const c = z.cursor(r);
      expect(c.member).to.equal(ms[i]);
      // A short range by rank, forward and backward.
      for (let k = 0; k < 5 && r + k < n; k++, c.next()) expect(c.member).to.equal(ms[order[r + k]!]);
      const x = ss[i]!;
      const range = parseScoreRange(String(x), `(${x + 1}`)!;
      let first = r;
      while (first > 0 && ss[order[first - 1]!]! >= x) first--;
      expect(z.firstInScoreRange(range)).to.equal(first);
    }
    // Delete a tenth at random; ranks still right on samples.
    for (let d = 0; d < n / 10; d++) z.delete(ms[Math.floor(rnd() * n)]!);
    const live = order.filter((i) => z.has(ms[i]!));
    expect(live.length).to.equal(z.size);
    for (let q = 0; q < 500; q++) {
      const r = Math.floor(rnd() * live.length);
      expect(z.rank(ms[live[r]!]!)).to.equal(r);
      expect(z.cursor(r).member).to.equal(ms[live[r]!]);
    }
  });
});
