/**
 * HashValue (src/types/hash.ts): against a model through seeded random
 * operations, the listpack -> hashtable conversion points, the listpack's
 * insertion order, SCAN completeness while fields come and go, random-field
 * uniformity, the memory account, and HINCRBY/HINCRBYFLOAT arithmetic.
 *
 * Expected orders, encodings and replies marked "recorded" were recorded from
 * redis-server 7.0.15 (OBJECT ENCODING, HGETALL, HSCAN, HINCRBY*).
 */

import { expect } from 'chai';
import { HASH_DEFAULT_LIMITS, HashValue, hashIncrBy, hashIncrByFloat, INDEX_FROM, parseHashFloatIncrement, type HashLimits } from '../../src/types/hash.js';
import { strBytes } from '../../src/types/memory.js';
import { seededRandom } from '../../src/random.js';

function pairs(h: HashValue): [string, string][] {
  const out: [string, string][] = [];
  h.forEach((f, v) => out.push([f, v]));
  return out;
}

function fill(h: HashValue, n: number, limits: HashLimits, prefix = 'f'): void {
  for (let i = 0; i < n; i++) h.set(`${prefix}${i}`, 'v', limits);
}

describe('HashValue', () => {
  it('agrees with an insertion-ordered model through 40,000 random operations, converting when the model says', () => {
    const rnd = seededRandom(17);
    const limits: HashLimits = { maxEntries: 60, maxValue: 20 };
    let converted = 0;
    for (let round = 0; round < 20; round++) {
      const h = new HashValue();
      const model: [string, string][] = []; // insertion order, as a listpack keeps it
      let shouldBeTable = false;
      for (let op = 0; op < 2000; op++) {
        const field = `f${Math.floor(rnd() * (round % 2 === 0 ? 50 : 90))}`;
        const at = model.findIndex((p) => p[0] === field);
        const r = rnd();
        if (r < 0.55) {
          // Long values are rare; odd rounds use more fields than maxEntries.
          const value = rnd() < 0.0003 ? 'x'.repeat(21) : `v${Math.floor(rnd() * 1000)}`;
          if (value.length > limits.maxValue) shouldBeTable = true;
          const isNew = h.set(field, value, limits);
          expect(isNew).to.equal(at === -1);
          if (at === -1) model.push([field, value]); else model[at]![1] = value;
          if (model.length > limits.maxEntries) shouldBeTable = true;
        } else if (r < 0.85) {
          expect(h.delete(field)).to.equal(at !== -1);
          if (at !== -1) model.splice(at, 1);
        } else {
          expect(h.get(field)).to.equal(at === -1 ? undefined : model[at]![1]);
          expect(h.has(field)).to.equal(at !== -1);
          expect(h.strlen(field)).to.equal(at === -1 ? 0 : model[at]![1].length);
        }
        expect(h.encoding).to.equal(shouldBeTable ? 'hashtable' : 'listpack');
        expect(h.size).to.equal(model.length);
        if (op % 50 === 0) {
          if (h.encoding === 'listpack') expect(pairs(h)).to.deep.equal(model);
          else expect(pairs(h).sort()).to.deep.equal(model.slice().sort());
          for (let p = 0; p < h.size; p++) expect(h.get(h.fieldAt(p))).to.equal(h.valueAt(p));
        }
      }
      if (shouldBeTable) converted++;
    }
    expect(converted).to.be.within(3, 19); // both encodings were exercised
  });

  it('a listpack with an index closes up its deleted pairs lazily: order, lookups, positions, clone, scan and conversion stay right', () => {
    const rnd = seededRandom(29);
    const big: HashLimits = { maxEntries: 100_000, maxValue: 64 };
    for (let round = 0; round < 6; round++) {
      const h = new HashValue();
      const model: [string, string][] = [];
      const n = 40 + round * 300;
      for (let i = 0; i < n; i++) {
        // The empty field too: a hole's text must never be taken for it.
        const f = i === 3 ? '' : `f${i}`;
        h.set(f, `v${i}`, big);
        model.push([f, `v${i}`]);
      }
      for (let op = 0; op < 3000; op++) {
        const r = rnd();
        if (r < 0.45 && model.length > 0) {
          // Deletes lean to the front, the worst case for closing up.
          const at = Math.floor(rnd() * rnd() * model.length);
          expect(h.delete(model[at]![0])).to.equal(true);
          model.splice(at, 1);
        } else if (r < 0.75) {
          const f = rnd() < 0.2 ? '' : `f${Math.floor(rnd() * n * 1.5)}`;
          const at = model.findIndex((p) => p[0] === f);
          expect(h.set(f, `w${op}`, big)).to.equal(at === -1);
          if (at === -1) model.push([f, `w${op}`]); else model[at]![1] = `w${op}`;
        } else if (r < 0.9) {
          const f = rnd() < 0.2 ? '' : `f${Math.floor(rnd() * n * 1.5)}`;
          const at = model.findIndex((p) => p[0] === f);
          expect(h.get(f)).to.equal(at === -1 ? undefined : model[at]![1]);
          expect(h.has(f)).to.equal(at !== -1);
        } else if (model.length > 0) {
          const p = Math.floor(rnd() * model.length);
          expect([h.fieldAt(p), h.valueAt(p)]).to.deep.equal(model[p]);
        }
        expect(h.size).to.equal(model.length);
        if (op % 500 === 0) {
          expect(pairs(h.clone())).to.deep.equal(model);
          const scanned: [string, string][] = [];
          expect(h.scan(0, 1, (f, v) => scanned.push([f, v]))).to.equal(0);
          expect(scanned).to.deep.equal(model);
        }
      }
      expect(h.encoding).to.equal('listpack');
      expect(pairs(h)).to.deep.equal(model);
      // Deleting from the front leaves holes; converting closes them up first.
      for (let i = 0; i < Math.floor(model.length / 2); i++) h.delete(model[i]![0]);
      const rest = model.slice(Math.floor(model.length / 2));
      h.set('long', 'x'.repeat(65), big);
      rest.push(['long', 'x'.repeat(65)]);
      expect(h.encoding).to.equal('hashtable');
      expect(pairs(h).sort()).to.deep.equal(rest.slice().sort());
      for (const [f, v] of rest) expect(h.get(f)).to.equal(v);
      for (let p = 0; p < h.size; p++) expect(h.get(h.fieldAt(p))).to.equal(h.valueAt(p));
    }
  });

  it('deleting every field of a 20,000-field listpack front to back touches each pair a bounded number of times', () => {
    const h = new HashValue();
    const big: HashLimits = { maxEntries: 100_000, maxValue: 64 };
    for (let i = 0; i < 20_000; i++) h.set(`field:${i}`, `${i}`, big);
    // Count Map writes: with a renumbering per delete this is ~2e8; closing up lazily keeps it O(n).
    const index = (h as unknown as { index: Map<string, number> }).index;
    let writes = 0;
    const set = index.set.bind(index);
    index.set = (k: string, v: number) => { writes++; return set(k, v); };
    for (let i = 0; i < 20_000; i++) {
      expect(h.delete(`field:${i}`)).to.equal(true);
      if (i === 9_999) expect([h.size, h.fieldAt(0), h.valueAt(9_999)]).to.deep.equal([10_000, 'field:10000', '19999']);
    }
    expect(h.size).to.equal(0);
    expect(writes).to.be.below(3 * 20_000);
    expect(h.encoding).to.equal('listpack');
  });

  it('converts past hash-max-listpack-entries: 512 fields by default (recorded: 512 listpack, 513 hashtable), and never back', () => {
    const h = new HashValue();
    fill(h, 512, HASH_DEFAULT_LIMITS);
    expect(h.encoding).to.equal('listpack');
    h.set('f0', 'updated', HASH_DEFAULT_LIMITS); // an update adds nothing
    expect(h.encoding).to.equal('listpack');
    h.set('one-more', 'v', HASH_DEFAULT_LIMITS);
    expect(h.encoding).to.equal('hashtable');
    for (let i = 0; i < 512; i++) h.delete(`f${i}`);
    expect(h.size).to.equal(1);
    expect(h.encoding).to.equal('hashtable');
    // With the limit set to 128 (CONFIG SET hash-max-listpack-entries 128): 128 stays, 129 converts.
    const limits = { maxEntries: 128, maxValue: 64 };
    const g = new HashValue();
    fill(g, 128, limits);
    expect(g.encoding).to.equal('listpack');
    g.set('f128', 'v', limits);
    expect(g.encoding).to.equal('hashtable');
    // hash-max-listpack-entries 0: the first field converts (recorded).
    const z = new HashValue();
    z.set('a', 'b', { maxEntries: 0, maxValue: 64 });
    expect(z.encoding).to.equal('hashtable');
  });

  it('converts on a field or value longer than hash-max-listpack-value (recorded: 64 bytes listpack, 65 hashtable)', () => {
    for (const [field, value, enc] of [
      ['f', 'x'.repeat(64), 'listpack'],
      ['f', 'x'.repeat(65), 'hashtable'],
      ['y'.repeat(64), 'v', 'listpack'],
      ['y'.repeat(65), 'v', 'hashtable'],
    ] as const) {
      const h = new HashValue();
      h.set(field, value, HASH_DEFAULT_LIMITS);
      expect(h.encoding, `${field.length}/${value.length}`).to.equal(enc);
    }
    // A long new value for an existing field (HINCRBYFLOAT's 71-byte result, recorded) converts too.
    const h = new HashValue();
    h.set('f', '1', HASH_DEFAULT_LIMITS);
    h.set('f', '10000000000000000000222479489586148259025995410601157579323600873193472', HASH_DEFAULT_LIMITS);
    expect(h.encoding).to.equal('hashtable');
    expect(h.get('f')!.length).to.equal(71);
    // convertIfLong (hashTypeTryConversion) looks at the argument range only.
    const g = new HashValue();
    g.convertIfLong(['HSET', 'k', 'f', 'x'.repeat(65)], 2, 2, HASH_DEFAULT_LIMITS);
    expect(g.encoding).to.equal('listpack');
    g.convertIfLong(['HSET', 'k', 'f', 'x'.repeat(65)], 2, 3, HASH_DEFAULT_LIMITS);
    expect(g.encoding).to.equal('hashtable');
  });

  it('keeps a listpack in insertion order: updates stay in place, deletes close the gap (recorded HGETALL)', () => {
    const h = new HashValue();
    for (const [f, v] of [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]) h.set(f!, v!, HASH_DEFAULT_LIMITS);
    h.set('b', '22', HASH_DEFAULT_LIMITS);
    h.delete('a');
    h.set('a', '5', HASH_DEFAULT_LIMITS);
    // HSET hu a 1 b 2 c 3 d 4; HSET hu b 22; HDEL hu a; HSET hu a 5; HGETALL hu
    expect(pairs(h)).to.deep.equal([['b', '22'], ['c', '3'], ['d', '4'], ['a', '5']]);
    // Same once the field index is kept (INDEX_FROM fields and more).
    const g = new HashValue();
    const model: string[] = [];
    for (let i = 0; i < INDEX_FROM * 3; i++) { g.set(`k${i}`, `${i}`, HASH_DEFAULT_LIMITS); model.push(`k${i}`); }
    for (const i of [0, 7, 30, INDEX_FROM * 3 - 1, 12]) { g.delete(`k${i}`); model.splice(model.indexOf(`k${i}`), 1); }
    g.set('k7', 'again', HASH_DEFAULT_LIMITS);
    model.push('k7');
    g.set('k3', 'updated', HASH_DEFAULT_LIMITS);
    expect(pairs(g).map((p) => p[0])).to.deep.equal(model);
    for (const f of model) expect(g.has(f)).to.equal(true);
    expect(g.get('k3')).to.equal('updated');
    expect(g.has('k0')).to.equal(false);
    expect(g.encoding).to.equal('listpack');
  });

  it('scans a listpack whole with cursor 0 (recorded HSCAN ... COUNT 1), and a hashtable completely while fields come and go', () => {
    const h = new HashValue();
    for (const [f, v] of [['b', '22'], ['c', '3'], ['d', '4'], ['a', '5']]) h.set(f!, v!, HASH_DEFAULT_LIMITS);
    const seen: string[] = [];
    expect(h.scan(0, 1, (f, v) => seen.push(f, v))).to.equal(0);
    expect(seen).to.deep.equal(['b', '22', 'c', '3', 'd', '4', 'a', '5']);
    expect(h.scan(12345, 1, () => {})).to.equal(0); // any cursor: the whole listpack

    const rnd = seededRandom(5);
    for (let round = 0; round < 5; round++) {
      const t = new HashValue();
      const limits = { maxEntries: 10, maxValue: 64 };
      for (let i = 0; i < 3000; i++) t.set(`f${i}`, 'v', limits);
      expect(t.encoding).to.equal('hashtable');
      const stable = new Set<string>(); // fields never deleted during the scan
      for (let i = 0; i < 3000; i++) if (rnd() < 0.5) stable.add(`f${i}`);
      const visited = new Set<string>();
      let cursor = 0;
      let steps = 0;
      let added = 0;
      do {
        cursor = t.scan(cursor, 1 + Math.floor(rnd() * 20), (f) => visited.add(f));
        // Between steps: delete some non-stable fields and add new ones.
        for (let k = 0; k < 15; k++) {
          const f = `f${Math.floor(rnd() * 3000)}`;
          if (!stable.has(f)) t.delete(f);
        }
        for (let k = 0; k < 5; k++) t.set(`new${added++}`, 'v', limits);
        steps++;
      } while (cursor !== 0 && steps < 10_000);
      expect(cursor).to.equal(0);
      for (const f of stable) expect(visited.has(f), f).to.equal(true);
    }
  });

  it('picks fields uniformly (seeded, 200,000 draws over 20 fields, each within 4 % of 10,000)', () => {
    for (const limits of [HASH_DEFAULT_LIMITS, { maxEntries: 5, maxValue: 64 }]) {
      const h = new HashValue();
      fill(h, 20, limits);
      const rnd = seededRandom(99);
      const counts = new Map<string, number>();
      for (let i = 0; i < 200_000; i++) {
        const f = h.fieldAt(h.randomIndex(rnd));
        counts.set(f, (counts.get(f) ?? 0) + 1);
      }
      expect(counts.size).to.equal(20);
      for (const c of counts.values()) expect(c).to.be.within(9600, 10_400);
    }
    expect(new HashValue().randomIndex(Math.random)).to.equal(-1);
  });

  it('keeps its memory account consistent: the strings it holds plus a structure cost that depends only on size and encoding', () => {
    const rnd = seededRandom(3);
    const strings = (x: HashValue): number => { let t = 0; x.forEach((f, v) => { t += strBytes(f.length) + strBytes(v.length); }); return t; };
    /** A fresh hash of the same size and encoding, with other strings. */
    const twin = (x: HashValue): HashValue => {
      const t = new HashValue();
      const lim = x.encoding === 'hashtable' ? { maxEntries: 0, maxValue: 64 } : HASH_DEFAULT_LIMITS;
      for (let i = 0; i < x.size; i++) t.set(`t${i}`, 'w', lim);
      return t;
    };
    const h = new HashValue();
    const empty = h.bytes;
    expect(empty).to.be.above(0);
    const limits = { maxEntries: 100, maxValue: 64 };
    for (let i = 0; i < 5000; i++) {
      const f = `field:${Math.floor(rnd() * 150)}`;
      if (rnd() < 0.6) h.set(f, 'v'.repeat(Math.floor(rnd() * 40)), limits); else h.delete(f);
      if (i % 250 === 0) {
        const t = twin(h);
        expect(h.bytes - strings(h), `op ${i}`).to.equal(t.bytes - strings(t));
      }
    }
    expect(h.encoding).to.equal('hashtable');
    const big = new HashValue();
    big.set('f', 'x'.repeat(1000), HASH_DEFAULT_LIMITS);
    expect(big.bytes - new HashValue().bytes).to.be.above(1000);
    // Emptied, it costs what an emptied hashtable costs.
    for (const [f] of pairs(h)) h.delete(f);
    const e = new HashValue();
    e.set('a', 'b', { maxEntries: 0, maxValue: 64 });
    e.delete('a');
    expect(h.bytes).to.equal(e.bytes);
    expect(e.bytes).to.be.above(empty); // the Map stays
  });
});

describe('HashValue as a typed value', () => {
  it('clones deeply in the same encoding and order, and shows itself as an object of fields', () => {
    for (const limits of [HASH_DEFAULT_LIMITS, { maxEntries: 0, maxValue: 64 }]) {
      const h = new HashValue();
      for (const [f, v] of [['b', '2'], ['a', '1'], ['\xc3\xa9', '\xe2\x82\xac'], ['__proto__', 'x']]) h.set(f!, v!, limits);
      const c = h.clone();
      expect(c.type).to.equal('hash');
      expect(c.encoding).to.equal(h.encoding);
      expect(pairs(c)).to.deep.equal(pairs(h));
      expect(c.bytes).to.equal(h.bytes);
      c.set('a', 'changed', limits);
      c.delete('b');
      expect(h.get('a')).to.equal('1');
      expect(h.get('b')).to.equal('2');
      const utf8 = (raw: string) => Buffer.from(raw, 'latin1').toString('utf8');
      const shown = h.inspect(utf8);
      expect(Object.keys(shown)).to.deep.equal(['b', 'a', '\u00e9', '__proto__']);
      expect(shown['\u00e9']).to.equal('\u20ac');
      expect(Object.getOwnPropertyDescriptor(shown, '__proto__')?.value).to.equal('x');
    }
  });
});

describe('HINCRBY / HINCRBYFLOAT arithmetic', () => {
  it('adds integers within int64, with Redis\'s errors (recorded)', () => {
    expect(hashIncrBy(undefined, -5)).to.deep.equal({ value: '-5' });
    expect(hashIncrBy('10', 5)).to.deep.equal({ value: '15' });
    expect(hashIncrBy('10', -9223372036854775808n)).to.deep.equal({ value: '-9223372036854775798' });
    expect(hashIncrBy('0', -9223372036854775808n)).to.deep.equal({ value: '-9223372036854775808' });
    expect(hashIncrBy('9223372036854775807', 1)).to.deep.equal({ error: 'ERR increment or decrement would overflow' });
    expect(hashIncrBy('-9223372036854775808', -1)).to.deep.equal({ error: 'ERR increment or decrement would overflow' });
    expect(hashIncrBy('9007199254740991', 1)).to.deep.equal({ value: '9007199254740992' });
    for (const bad of ['1.5', ' 1', '01', '', 'abc', '9223372036854775808']) {
      expect(hashIncrBy(bad, 1), bad).to.deep.equal({ error: 'ERR hash value is not an integer' });
    }
  });

  it('adds in long double and prints like Redis (recorded replies)', () => {
    const inc = (s: string) => parseHashFloatIncrement(s) as Exclude<ReturnType<typeof parseHashFloatIncrement>, string>;
    const cases: [string | undefined, string, string][] = [
      ['1.5', '0.1', '1.6'],
      ['0x10', '1', '17'],
      [undefined, '5.0e3', '5000'],
      ['9223372036854775807', '1', '9223372036854775808'],
      ['10', '-10', '0'],
      ['-0', '0', '0'],
      [undefined, '-0', '0'],
      ['0.1', '0.2', '0.3'],
      ['1', '1e70', '10000000000000000000222479489586148259025995410601157579323600873193472'],
    ];
    for (const [cur, by, want] of cases) expect(hashIncrByFloat(cur, inc(by)), `${cur} + ${by}`).to.deep.equal({ value: want });
    expect(parseHashFloatIncrement('inf')).to.equal('ERR value is NaN or Infinity');
    expect(parseHashFloatIncrement('nan')).to.equal('ERR value is not a valid float');
    expect(parseHashFloatIncrement('abc')).to.equal('ERR value is not a valid float');
    expect(parseHashFloatIncrement('1e4933')).to.equal('ERR value is not a valid float');
    expect(hashIncrByFloat(' 1', inc('1'))).to.deep.equal({ error: 'ERR hash value is not a float' });
    const big = hashIncrByFloat(undefined, inc('1.18e4932'));
    expect('value' in big && big.value.length).to.equal(4933);
    expect('value' in big && big.value.startsWith('118000000000000000000065281291809369920269')).to.equal(true);
    expect(hashIncrByFloat('value' in big ? big.value : '', inc('1.18e4932'))).to.deep.equal({ error: 'ERR increment would produce NaN or Infinity' });
  });
});
