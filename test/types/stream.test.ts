/**
 * StreamValue (src/types/stream.ts): against a plain-array model through
 * seeded random operations (appends with several node limits, XDEL, exact
 * and `~` trims with LIMIT, range iteration both ways), the ID helpers at
 * 64-bit edges, the PEL index (IdIndex) against a Map, the lag rules, a deep
 * clone, and the memory account's bookkeeping.
 */

import { expect } from 'chai';
import {
  ENTRIES_READ_INVALID, ID_MAX, IdIndex, StreamValue, idKey, TRIM_MAXLEN, TRIM_MINID, U64_MAX, formatId, idMs, idSeq, makeId,
} from '../../src/types/stream.js';
import { seededRandom } from '../../src/random.js';

interface Entry { id: bigint; fv: string[] }

/** Live entries of `s` from start to end (inclusive), forwards or backwards, as [id, fields]. */
function range(s: StreamValue, start: bigint, end: bigint, rev: boolean): Entry[] {
  const out: Entry[] = [];
  const it = s.iter(start, end, rev);
  while (it.next()) {
    const n = it.node!;
    out.push({ id: it.id, fv: n.kv.slice(n.off[it.i]!, n.off[it.i + 1]!) });
  }
  return out;
}

describe('StreamValue', () => {
  it('IDs: 128-bit, formatted as <ms>-<seq> up to 2^64-1 each', () => {
    expect(formatId(makeId(0n, 0n))).to.equal('0-0');
    expect(formatId(makeId(1700000000000n, 5n))).to.equal('1700000000000-5');
    expect(formatId(ID_MAX)).to.equal('18446744073709551615-18446744073709551615');
    expect(formatId(makeId(2n ** 53n, 1n))).to.equal('9007199254740992-1');
    expect(formatId(makeId(2n ** 53n - 1n, U64_MAX))).to.equal('9007199254740991-18446744073709551615');
    expect(makeId(3n, U64_MAX) + 1n).to.equal(makeId(4n, 0n));
    expect(idMs(makeId(7n, 9n))).to.equal(7n);
    expect(idSeq(makeId(7n, 9n))).to.equal(9n);
  });

  for (const [maxEntries, maxBytes] of [[100, 4096], [3, 4096], [0, 120], [5, 0], [1, 4096]] as const) {
    it(`matches an array model through 3,000 random operations (node limits ${maxEntries} entries, ${maxBytes} bytes)`, () => {
      const rnd = seededRandom(maxEntries * 1000 + maxBytes);
      const int = (n: number): number => Math.floor(rnd() * n);
      const s = new StreamValue();
      let model: Entry[] = [];
      let ms = 0n;
      const lim = { maxEntries, maxBytes };
      for (let step = 0; step < 3000; step++) {
        const op = int(20);
        if (op < 12) {
          ms += BigInt(int(3));
          const id = makeId(ms, BigInt(step));
          const fv: string[] = [];
          const pairs = 1 + int(3);
          for (let p = 0; p < pairs; p++) fv.push(int(4) === 0 ? `f${int(3)}` : 'f', int(5) === 0 ? 'x'.repeat(int(200)) : String(int(1000)));
          s.append(id, fv, 0, fv.reduce((a, x) => a + x.length, 0), lim);
          model.push({ id, fv });
        } else if (op < 16) {
          const pick = model.length > 0 && int(4) !== 0 ? model[int(model.length)]!.id : makeId(BigInt(int(100)), 7n);
          const had = model.some((e) => e.id === pick);
          expect(s.delete(pick)).to.equal(had);
          model = model.filter((e) => e.id !== pick);
          if (s.length === 0) s.firstId = 0n; else s.firstId = s.firstValidId();
        } else if (op < 18) {
          const maxlen = int(model.length + 2);
          const approx = int(2) === 0;
          const limit = approx && int(2) === 0 ? int(10) : 0;
          const before = model.length;
          const deleted = s.trim({ strategy: TRIM_MAXLEN, approx, limit, maxlen, minid: 0n });
          if (!approx) {
            expect(deleted).to.equal(Math.max(0, before - maxlen));
          } else {
            expect(deleted).to.be.at.most(Math.max(0, before - maxlen));
            if (limit !== 0) expect(deleted).to.be.at.most(limit);
          }
          model = model.slice(deleted); // trimming always removes the oldest entries
        } else if (op < 19) {
          const minid = model.length > 0 ? model[int(model.length)]!.id : 0n;
          const approx = int(2) === 0;
          const deleted = s.trim({ strategy: TRIM_MINID, approx, limit: 0, maxlen: 0, minid });
          const below = model.filter((e) => e.id < minid).length;
          if (approx) expect(deleted).to.be.at.most(below); else expect(deleted).to.equal(below);
          model = model.slice(deleted);
        } else {
          // A random range both ways.
          const a = makeId(BigInt(int(Number(ms) + 2)), BigInt(int(3000)));
          const b = makeId(BigInt(int(Number(ms) + 2)), BigInt(int(3000)));
          const want = model.filter((e) => e.id >= a && e.id <= b);
          expect(range(s, a, b, false)).to.deep.equal(want);
          expect(range(s, a, b, true)).to.deep.equal([...want].reverse());
        }
        expect(s.length).to.equal(model.length);
        if (step % 50 === 0 || step > 2950) {
          expect(range(s, 0n, ID_MAX, false)).to.deep.equal(model);
          expect(s.lastValidId()).to.equal(model.length === 0 ? 0n : model[model.length - 1]!.id);
          expect(s.firstId).to.equal(model.length === 0 ? 0n : model[0]!.id);
          for (const n of s.nodes) {
            if (maxEntries !== 0) expect(n.n).to.be.at.most(maxEntries);
            expect(n.live).to.equal(Array.from({ length: n.n }, (_, i) => i).filter((i) => !n.isDeleted(i)).length);
          }
          expect(s.nodeBytes).to.equal(s.nodes.reduce((a, n) => a + n.bytes, 0));
          for (let k = 1; k < s.nodes.length; k++) expect(s.nodes[k]!.first > s.nodes[k - 1]!.lastId()).to.equal(true);
        }
      }
      expect(Number(s.entriesAdded)).to.be.greaterThan(1000);
    });
  }

  it('a node is closed when it reaches the entry limit or its listpack would reach the byte limit', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 250; i++) s.append(makeId(BigInt(i), 0n), ['f', 'v'], 0, 2, { maxEntries: 100, maxBytes: 4096 });
    expect(s.nodes.map((n) => n.n)).to.deep.equal([100, 100, 50]);
    const t = new StreamValue();
    for (let i = 1; i <= 10; i++) t.append(makeId(BigInt(i), 0n), ['f', 'x'.repeat(40)], 0, 41, { maxEntries: 100, maxBytes: 200 });
    // Each entry costs about 48 listpack bytes: a 200-byte node takes three after its header.
    expect(t.nodes.length).to.be.within(3, 5);
    expect(t.nodes.every((n) => n.lpBytes < 200 + 48)).to.equal(true);
  });

  it('groups: lag known, unknown after a deletion ahead of the group, read counters, deep clone', () => {
    const s = new StreamValue();
    for (let i = 1; i <= 5; i++) s.append(makeId(BigInt(i), 0n), ['f', String(i)], 0, 2, { maxEntries: 100, maxBytes: 4096 });
    const g = s.createGroup('g', 0n, ENTRIES_READ_INVALID)!;
    expect(s.createGroup('g', 0n, 0n)).to.equal(null);
    expect(s.lag(g)).to.equal(5n);
    s.groupRead(g, makeId(1n, 0n));
    expect(g.entriesRead).to.equal(1n);
    expect(s.lag(g)).to.equal(4n);
    s.delete(makeId(3n, 0n));
    s.maxDeletedId = makeId(3n, 0n);
    expect(s.lag(g)).to.equal(null);
    s.groupRead(g, makeId(2n, 0n));
    s.groupRead(g, makeId(4n, 0n));
    s.groupRead(g, makeId(5n, 0n));
    expect(g.entriesRead).to.equal(5n);
    expect(s.lag(g)).to.equal(0n);
    const c = s.createConsumer(g, 'c', 1000)!;
    s.addNack(g, makeId(5n, 0n), { deliveryTime: 1000, deliveryCount: 1, consumer: c });
    const copy = s.clone();
    const cg = copy.group('g')!;
    expect(cg.pel.size).to.equal(1);
    expect(cg.consumers.get('c')!.pel.get(makeId(5n, 0n))).to.equal(cg.pel.get(makeId(5n, 0n)));
    copy.removeNack(cg, makeId(5n, 0n), cg.pel.get(makeId(5n, 0n))!);
    expect(g.pel.size).to.equal(1);
    expect(copy.groupBytes).to.be.below(s.groupBytes);
    s.deleteConsumer(g, c);
    expect(g.pel.size).to.equal(0);
    s.destroyGroup(g);
    expect(s.groupBytes).to.equal(0);
  });

  for (const chunkMax of [1024, 4, 1]) {
    it(`IdIndex (chunks of at most ${chunkMax}): ordered scans and lookups match a Map through 20,000 random operations`, () => {
      const rnd = seededRandom(7 + chunkMax);
      const ix = new IdIndex<number>(chunkMax);
      const m = new Map<bigint, number>();
      for (let step = 0; step < 20000; step++) {
        // ms and seq both small, so (ms ^ seq) repeats across IDs: the index must still tell them apart
        const id = (BigInt(Math.floor(rnd() * 100)) << 64n) | BigInt(Math.floor(rnd() * 5));
        if (rnd() < 0.55) { ix.set(id, step); m.set(id, step); } else expect(ix.delete(id)).to.equal(m.delete(id));
        if (step % 250 === 0) {
          const sorted = [...m.keys()].sort((a, b) => (a < b ? -1 : 1));
          expect(ix.from(0n)).to.deep.equal(sorted);
          const from = (BigInt(Math.floor(rnd() * 100)) << 64n) | BigInt(Math.floor(rnd() * 5));
          expect(ix.from(from, 5)).to.deep.equal(sorted.filter((x) => x >= from).slice(0, 5));
          expect(ix.first()).to.equal(sorted[0] ?? null);
          expect(ix.last()).to.equal(sorted[sorted.length - 1] ?? null);
          expect(ix.size).to.equal(m.size);
          for (const [k, v] of m) expect(ix.get(k)).to.equal(v);
          const walk: bigint[] = [];
          for (let p = ix.seek(from); ix.idAt(p) !== null; p = ix.next(p)) walk.push(ix.idAt(p)!);
          expect(walk).to.deep.equal(sorted.filter((x) => x >= from));
        }
      }
    });
  }

  it('IdIndex: 30,000 IDs inserted in random, then descending order (chunks split), half deleted, matches a sorted model', () => {
    const rnd = seededRandom(99);
    const ids = Array.from({ length: 30000 }, (_v, i) => (BigInt(1764633600000 + i) << 64n) | BigInt(i % 3));
    for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [ids[i], ids[j]] = [ids[j]!, ids[i]!]; }
    const ix = new IdIndex<number>(64);
    ids.forEach((id, i) => ix.insert(id, i));
    const sorted = [...ids].sort((a, b) => (a < b ? -1 : 1));
    expect(ix.from(0n)).to.deep.equal(sorted);
    const desc = new IdIndex<number>(64);
    for (let i = sorted.length - 1; i >= 0; i--) desc.insert(sorted[i]!, i);
    expect(desc.from(0n)).to.deep.equal(sorted);
    const kept = sorted.filter((_x, i) => i % 2 === 0);
    for (let i = 1; i < sorted.length; i += 2) expect(ix.delete(sorted[i]!)).to.equal(true);
    expect(ix.from(0n)).to.deep.equal(kept);
    expect(ix.from(sorted[1001]!, 3)).to.deep.equal([sorted[1002], sorted[1004], sorted[1006]]);
    for (const id of sorted.filter((_x, i) => i % 2 === 1).reverse()) ix.insert(id, 0);
    expect(ix.from(0n)).to.deep.equal(sorted);
    expect(ix.size).to.equal(sorted.length);
  });

  it('idKey: one-to-one, and its low 64 bits (all V8 hashes a BigInt by) vary for XADD * IDs, whose seq is 0', () => {
    const low = new Set<bigint>();
    const keys = new Set<bigint>();
    const MASK = (1n << 64n) - 1n;
    const base = 1764633600000n; // ms of 2025-12-02: IDs as XADD * makes them
    for (let ms = 0n; ms < 1000n; ms++) {
      for (let seq = 0n; seq < 3n; seq++) {
        const id = ((base + ms) << 64n) | seq;
        const k = idKey(id);
        keys.add(k);
        if (seq === 0n) low.add(k & MASK);
        expect(k ^ ((k >> 64n) & MASK)).to.equal(id); // the inverse
      }
    }
    expect(keys.size).to.equal(3000);
    expect(low.size).to.equal(1000);
    expect(idKey((2n ** 64n - 1n) << 64n | 5n) >> 64n).to.equal(2n ** 64n - 1n);
  });
});
