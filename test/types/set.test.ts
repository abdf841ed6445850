/**
 * SetValue (src/types/set.ts): against a model through seeded random
 * operations, the intset -> hashtable conversion points (entry count and the
 * first non-integer member, with string2ll's exact rules), the intset's
 * ascending numeric order beyond 2^53, SCAN completeness while members come
 * and go, random-member uniformity and the memory account.
 *
 * Expectations marked "recorded" were recorded from redis-server 7.0.15
 * (SADD then OBJECT ENCODING, SMEMBERS, SSCAN).
 */

import { expect } from 'chai';
import { isIntsetMember, SET_DEFAULT_LIMITS, SetValue } from '../../src/types/set.js';
import { strBytes } from '../../src/types/memory.js';
import { seededRandom } from '../../src/random.js';

function members(s: SetValue): string[] {
  const out: string[] = [];
  s.forEach((m) => out.push(m));
  return out;
}

function numericSorted(ms: string[]): string[] {
  return ms.slice().sort((a, b) => { const x = BigInt(a); const y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; });
}

describe('SetValue', () => {
  it('agrees with a model through 60,000 random operations, ascending while an intset', () => {
    const rnd = seededRandom(23);
    const limits = { maxIntsetEntries: 50 };
    const pool = ['01', '-0', '+1', ' 1', '1 ', 'a', '1.0', '00', '9223372036854775808', '-9223372036854775809'];
    const bigs = ['9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808', '4611686018427387904'];
    let tables = 0;
    let wideRounds = 0;
    for (let round = 0; round < 30; round++) {
      const s = new SetValue();
      const model = new Set<string>();
      let shouldBeTable = false;
      const space = round % 3 === 0 ? 70 : 45; // some rounds outgrow maxIntsetEntries
      let wide = false;
      for (let op = 0; op < 2000; op++) {
        let m: string;
        const r = rnd();
        if (r < 0.0001) m = pool[Math.floor(rnd() * pool.length)]!;
        else if (r < 0.01) { m = bigs[Math.floor(rnd() * bigs.length)]!; wide = true; }
        else m = String(Math.floor(rnd() * space) - 20);
        const action = rnd();
        if (action < 0.55) {
          const isNew = s.add(m, limits);
          expect(isNew).to.equal(!model.has(m));
          if (!isIntsetMember(m)) shouldBeTable = true;
          model.add(m);
          if (model.size > limits.maxIntsetEntries) shouldBeTable = true;
        } else if (action < 0.85) {
          expect(s.delete(m)).to.equal(model.delete(m));
        } else {
          expect(s.has(m)).to.equal(model.has(m));
        }
        expect(s.encoding).to.equal(shouldBeTable ? 'hashtable' : 'intset');
        expect(s.size).to.equal(model.size);
        if (op % 40 === 0) {
          const got = members(s);
          if (s.encoding === 'intset') expect(got).to.deep.equal(numericSorted([...model]));
          else expect(got.slice().sort()).to.deep.equal([...model].sort());
          for (let i = 0; i < s.size; i++) expect(s.has(s.memberAt(i))).to.equal(true);
        }
      }
      if (shouldBeTable) tables++;
      if (wide && !shouldBeTable) wideRounds++;
    }
    expect(tables).to.be.within(5, 29);
    expect(wideRounds).to.be.above(0);
  });

  it('holds only string2ll integers in an intset (recorded: SADD si 5 <member>; OBJECT ENCODING)', () => {
    const recorded: [string, string][] = [
      ['01', 'hashtable'], ['+1', 'hashtable'], [' 1', 'hashtable'], ['-0', 'hashtable'], ['1 ', 'hashtable'],
      ['9223372036854775807', 'intset'], ['9223372036854775808', 'hashtable'], ['-9223372036854775808', 'intset'],
      ['-9223372036854775809', 'hashtable'], ['0', 'intset'], ['-1', 'intset'], ['a', 'hashtable'], ['1.0', 'hashtable'], ['00', 'hashtable'],
    ];
    for (const [m, enc] of recorded) {
      const s = new SetValue();
      s.add('5', SET_DEFAULT_LIMITS);
      s.add(m, SET_DEFAULT_LIMITS);
      expect(s.encoding, JSON.stringify(m)).to.equal(enc);
      expect(s.has(m)).to.equal(true);
      expect(s.has('5')).to.equal(true);
    }
    // A non-canonical spelling of a member is another member, not found in an intset.
    const s = new SetValue();
    s.add('1', SET_DEFAULT_LIMITS);
    for (const m of ['01', '+1', ' 1', '1.0']) { expect(s.has(m)).to.equal(false); expect(s.delete(m)).to.equal(false); }
    expect(s.encoding).to.equal('intset');
  });

  it('converts past set-max-intset-entries (recorded: 512 intset, 513 hashtable) and never back', () => {
    const s = new SetValue();
    for (let i = 0; i < 512; i++) s.add(String(i * 7 - 1000), SET_DEFAULT_LIMITS);
    expect(s.encoding).to.equal('intset');
    expect(s.add('-1000', SET_DEFAULT_LIMITS)).to.equal(false); // already there: no change
    expect(s.encoding).to.equal('intset');
    s.add('99999', SET_DEFAULT_LIMITS);
    expect(s.encoding).to.equal('hashtable');
    expect(s.size).to.equal(513);
    // SADD so ... x; SREM so x: stays a hashtable (recorded).
    const t = new SetValue();
    t.add('1', SET_DEFAULT_LIMITS);
    t.add('x', SET_DEFAULT_LIMITS);
    t.delete('x');
    expect(t.encoding).to.equal('hashtable');
    expect(members(t)).to.deep.equal(['1']);
    // set-max-intset-entries 0: the first member converts (recorded).
    const z = new SetValue();
    z.add('1', { maxIntsetEntries: 0 });
    expect(z.encoding).to.equal('hashtable');
  });

  it('orders an intset numerically across 2^53 and int64 (recorded SMEMBERS, and SSCAN returns it whole with cursor 0)', () => {
    const s = new SetValue();
    for (const m of ['10', '-5', '9223372036854775807', '3', '-9223372036854775808', '9007199254740993', '9007199254740992', '0', '100']) s.add(m, SET_DEFAULT_LIMITS);
    const recorded = ['-9223372036854775808', '-5', '0', '3', '10', '100', '9007199254740992', '9007199254740993', '9223372036854775807'];
    expect(members(s)).to.deep.equal(recorded);
    const scanned: string[] = [];
    expect(s.scan(0, 1, (m) => scanned.push(m))).to.equal(0);
    expect(scanned).to.deep.equal(recorded);
    expect(s.has('9007199254740993')).to.equal(true);
    expect(s.has('9007199254740994')).to.equal(false);
    expect(s.delete('9007199254740992')).to.equal(true);
    expect(s.has('9007199254740993')).to.equal(true);
    expect(members(s)).to.deep.equal(recorded.filter((m) => m !== '9007199254740992'));
  });

  it('scans a hashtable completely while members come and go', () => {
    const rnd = seededRandom(8);
    for (let round = 0; round < 5; round++) {
      const s = new SetValue();
      for (let i = 0; i < 3000; i++) s.add(`m${i}`, SET_DEFAULT_LIMITS);
      const stable = new Set<string>();
      for (let i = 0; i < 3000; i++) if (rnd() < 0.5) stable.add(`m${i}`);
      const visited = new Set<string>();
      let cursor = 0;
      let steps = 0;
      let added = 0;
      do {
        cursor = s.scan(cursor, 1 + Math.floor(rnd() * 20), (m) => visited.add(m));
        for (let k = 0; k < 15; k++) { const m = `m${Math.floor(rnd() * 3000)}`; if (!stable.has(m)) s.delete(m); }
        for (let k = 0; k < 5; k++) s.add(`new${added++}`, SET_DEFAULT_LIMITS);
        steps++;
      } while (cursor !== 0 && steps < 10_000);
      expect(cursor).to.equal(0);
      for (const m of stable) expect(visited.has(m), m).to.equal(true);
    }
  });

  it('picks members uniformly in both encodings (seeded, 200,000 draws over 20 members, each within 4 %)', () => {
    for (const prefix of ['', 'x']) {
      const s = new SetValue();
      for (let i = 0; i < 20; i++) s.add(prefix + String(i), SET_DEFAULT_LIMITS);
      expect(s.encoding).to.equal(prefix === '' ? 'intset' : 'hashtable');
      const rnd = seededRandom(4);
      const counts = new Map<string, number>();
      for (let i = 0; i < 200_000; i++) { const m = s.memberAt(s.randomIndex(rnd)); counts.set(m, (counts.get(m) ?? 0) + 1); }
      expect(counts.size).to.equal(20);
      for (const c of counts.values()) expect(c).to.be.within(9600, 10_400);
    }
    expect(new SetValue().randomIndex(Math.random)).to.equal(-1);
  });

  it('pops by position (SPOP) until empty, in both encodings', () => {
    for (const prefix of ['', 'x']) {
      const s = new SetValue();
      const model = new Set<string>();
      for (let i = 0; i < 300; i++) { s.add(prefix + String(i * 3), SET_DEFAULT_LIMITS); model.add(prefix + String(i * 3)); }
      const rnd = seededRandom(12);
      while (s.size > 0) {
        const i = s.randomIndex(rnd);
        const m = s.memberAt(i);
        expect(model.delete(m)).to.equal(true);
        s.deleteAt(i);
        expect(s.has(m)).to.equal(false);
        expect(s.size).to.equal(model.size);
      }
      const e = new SetValue();
      e.add(prefix + '0', SET_DEFAULT_LIMITS);
      e.delete(prefix + '0');
      expect(s.bytes).to.equal(e.bytes); // emptied: the cost of an emptied set of the same encoding
    }
  });

  it('keeps its memory account consistent through changes and conversion', () => {
    const s = new SetValue();
    const empty = s.bytes;
    for (let i = 0; i < 100; i++) s.add(String(i), SET_DEFAULT_LIMITS);
    const narrow = s.bytes;
    expect(narrow).to.be.above(empty);
    s.add('9223372036854775807', SET_DEFAULT_LIMITS); // wide intset: a BigInt per member
    expect(s.bytes - narrow).to.be.above(100 * 16);
    s.add('member', SET_DEFAULT_LIMITS);
    expect(s.encoding).to.equal('hashtable');
    // Structure cost = bytes minus the member strings; the same for any hashtable of that size.
    const strings = (x: SetValue): number => { let t = 0; x.forEach((m) => { t += strBytes(m.length); }); return t; };
    const twin = new SetValue();
    for (let i = 0; i < s.size; i++) twin.add(`other${i}`, SET_DEFAULT_LIMITS);
    expect(s.bytes - strings(s)).to.equal(twin.bytes - strings(twin));
    const rnd = seededRandom(2);
    for (let i = 0; i < 3000; i++) { if (rnd() < 0.5) s.add(`x${Math.floor(rnd() * 500)}`, SET_DEFAULT_LIMITS); else s.delete(`x${Math.floor(rnd() * 500)}`); }
    const twin2 = new SetValue();
    for (let i = 0; i < s.size; i++) twin2.add(`other${i}`, SET_DEFAULT_LIMITS);
    expect(s.bytes - strings(s)).to.equal(twin2.bytes - strings(twin2));
  });

  it('clones deeply in the same encoding and order, and shows its members (ascending for an intset)', () => {
    for (const extra of [null, '9223372036854775807', 'x']) {
      const s = new SetValue();
      for (const m of ['3', '-1', '20']) s.add(m, SET_DEFAULT_LIMITS);
      if (extra !== null) s.add(extra, SET_DEFAULT_LIMITS);
      const c = s.clone();
      expect(c.type).to.equal('set');
      expect(c.encoding).to.equal(s.encoding);
      expect(members(c)).to.deep.equal(members(s));
      expect(c.bytes).to.equal(s.bytes);
      c.add('99', SET_DEFAULT_LIMITS);
      c.delete('3');
      expect(s.has('3')).to.equal(true);
      expect(s.has('99')).to.equal(false);
      expect(s.inspect((r) => r)).to.deep.equal(members(s));
    }
    const s = new SetValue();
    for (const m of ['3', '-1', '20']) s.add(m, SET_DEFAULT_LIMITS);
    expect(s.inspect((r) => r)).to.deep.equal(['-1', '3', '20']);
  });
});
