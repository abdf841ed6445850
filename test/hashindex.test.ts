/**
 * The key index (src/hashindex.ts) against a Map model: random inserts,
 * lookups, removals with backward shifting, renumbering, growth and shrinking
 * of the shards, and keys that collide in the probe sequence.
 */

import { expect } from 'chai';
import { hashKey, KeyIndex } from '../src/hashindex.js';
import { seededRandom } from '../src/random.js';

describe('key index (open addressing)', () => {
  it('agrees with a Map through 300,000 random operations, growing and shrinking', () => {
    const rnd = seededRandom(11);
    const idx = new KeyIndex();
    const keys: string[] = [];
    const hashes: number[] = [];
    const model = new Map<string, number>();
    const maxBytes: number[] = [];
    let mismatches = 0;
    for (let op = 0; op < 300_000; op++) {
      const phase = op < 120_000 ? 0.7 : 0.05; // grow, then shrink
      const key = `k${Math.floor(rnd() * 60_000)}`;
      const slot = idx.find(key, hashKey(key), keys);
      if (slot !== (model.get(key) ?? -1)) mismatches++;
      if (slot === -1 && rnd() < phase) {
        const s = keys.length;
        keys.push(key);
        hashes.push(hashKey(key));
        idx.insert(hashes[s]!, s);
        model.set(key, s);
      } else if (slot !== -1 && rnd() >= phase) {
        // swap-remove, as the keyspace does
        idx.remove(hashes[slot]!, slot);
        model.delete(key);
        const last = keys.length - 1;
        if (slot !== last) {
          keys[slot] = keys[last]!;
          hashes[slot] = hashes[last]!;
          idx.renumber(hashes[slot]!, last, slot);
          model.set(keys[slot]!, slot);
        }
        keys.pop();
        hashes.pop();
      }
      if (op % 20_000 === 0) maxBytes.push(idx.bytes());
    }
    expect(mismatches).to.equal(0);
    for (const [k, s] of model) expect(idx.find(k, hashKey(k), keys)).to.equal(s);
    expect(idx.find('absent', hashKey('absent'), keys)).to.equal(-1);
    // It grew while keys were added and shrank as they were removed.
    expect(Math.max(...maxBytes)).to.be.above(maxBytes[maxBytes.length - 1]! * 1.5);
    expect(model.size).to.be.below(10_000);
  });

  it('handles entries that share a hash and wrap around the table', () => {
    const idx = new KeyIndex();
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const h = -1; // top bits pick the last shard; home cell is the last cell: probes wrap
    keys.forEach((_k, s) => idx.insert(h, s));
    keys.forEach((k, s) => expect(idx.find(k, h, keys)).to.equal(s));
    idx.remove(h, 1);
    expect(idx.find('b', h, keys)).to.equal(-1);
    for (const [k, s] of [['a', 0], ['c', 2], ['d', 3], ['e', 4]] as const) expect(idx.find(k, h, keys)).to.equal(s);
    idx.renumber(h, 4, 1);
    keys[1] = 'e';
    expect(idx.find('e', h, keys)).to.equal(1);
    expect(() => idx.remove(h, 9)).to.throw('key index: slot 9 not found');
    idx.clear();
    expect(idx.find('a', h, keys)).to.equal(-1);
  });

  it('hashes binary strings by every byte', () => {
    expect(hashKey('\x00')).to.not.equal(hashKey('\x00\x00'));
    expect(hashKey('ab')).to.not.equal(hashKey('ba'));
    const long = 'x'.repeat(10_000);
    expect(hashKey(long + 'a')).to.not.equal(hashKey(long + 'b'));
  });
});
