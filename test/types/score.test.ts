/**
 * Score and range utilities (src/types/score.ts) and score formatting
 * (numbers.ts formatDouble17g, used by Reply.double): tables recorded from
 * redis-server 7.0.15.
 *
 * - ZADD table: `ZADD z <score> m` (accepted, or "-ERR value is not a valid
 *   float"), then `ZSCORE z m` in RESP2 (bulk body) and RESP3 (the whole
 *   double frame), with zset-max-listpack-entries 0 so the set is a skiplist
 *   (a listpack stores -0 as 0: zset.test.ts).
 * - Tie table: values whose decimal expansion ends exactly halfway at the 17th
 *   digit, where C's %.17g rounds half to even (V8's toPrecision rounds half
 *   up), and other shapes (denormals, exponents, integers past 2^53).
 * - Range table: `ZRANGEBYSCORE z <bound> +inf` and `ZRANGEBYSCORE z -inf
 *   <bound>` on ZADD z -inf ninf -1 neg 0 zero 1 one 1.5 onehalf 2 two inf pinf
 *   (members returned, or null for "-ERR min or max is not a float").
 * - Lex table: `ZRANGEBYLEX l <bound> +` and `ZRANGEBYLEX l - <bound>` on
 *   ZADD l 0 a 0 b 0 c 0 d 0 a\x00 0 '' (null: "-ERR min or max not valid
 *   string range item").
 *
 * Beyond these tables, parseScore/parseScoreRange were compared with glibc's
 * strtod on 300,000 generated strings and formatDouble17g with glibc's
 * printf("%.17g") on 1,678,499 doubles, with no difference (a one-off check
 * with a C harness; see the report of the change that added this file).
 */

import { expect } from 'chai';
import {
  formatScore, lexGteMin, lexLteMax, lexRangeEmpty, parseLexRange,
  parseScore, parseScoreRange, scoreGteMin, scoreLteMax, scoreRangeEmpty,
} from '../../src/types/score.js';
import { formatDouble17g } from '../../src/numbers.js';
import { LEX_RANGE_INVALID, MINMAX_NOT_FLOAT, NOT_FLOAT, SCORE_NAN } from '../../src/errors.js';

/** [ZADD score argument, ZSCORE RESP2 body or null when ZADD refused it, ZSCORE RESP3 frame]. Recorded. */
const ZADD_TABLE: [string, string | null, string | null][] = [
  ["1.1", "1.1000000000000001", ",1.1000000000000001\r\n"],
  ["0.1", "0.10000000000000001", ",0.10000000000000001\r\n"],
  ["1e20", "1e+20", ",1e+20\r\n"],
  ["1e-5", "1.0000000000000001e-05", ",1.0000000000000001e-05\r\n"],
  ["-0", "-0", ",-0\r\n"],
  ["0", "0", ",0\r\n"],
  ["+0", "0", ",0\r\n"],
  ["-0.0", "-0", ",-0\r\n"],
  ["inf", "inf", ",inf\r\n"],
  ["+inf", "inf", ",inf\r\n"],
  ["-inf", "-inf", ",-inf\r\n"],
  ["infinity", "inf", ",inf\r\n"],
  ["INF", "inf", ",inf\r\n"],
  ["-Infinity", "-inf", ",-inf\r\n"],
  ["nan", null, null],
  ["NaN", null, null],
  ["-nan", null, null],
  ["0x10", "16", ",16\r\n"],
  ["0x1.8p1", "3", ",3\r\n"],
  ["0X.8", "0.5", ",0.5\r\n"],
  [" 1", null, null],
  ["1 ", null, null],
  ["\t1", null, null],
  ["01", "1", ",1\r\n"],
  ["+1", "1", ",1\r\n"],
  ["1e400", null, null],
  ["-1e400", null, null],
  ["1e-400", null, null],
  ["0e400", "0", ",0\r\n"],
  ["4.9e-324", "4.9406564584124654e-324", ",4.9406564584124654e-324\r\n"],
  ["2.4703282292062327e-324", null, null],
  ["2.4703282292062328e-324", "4.9406564584124654e-324", ",4.9406564584124654e-324\r\n"],
  ["1.7976931348623158e308", "1.7976931348623157e+308", ",1.7976931348623157e+308\r\n"],
  ["1.7976931348623159e308", null, null],
  ["123456789012345678", "1.2345678901234568e+17", ",1.2345678901234568e+17\r\n"],
  ["1e16", "10000000000000000", ",10000000000000000\r\n"],
  ["1e17", "1e+17", ",1e+17\r\n"],
  ["99999999999999999", "1e+17", ",1e+17\r\n"],
  ["3.0000000000000004", "3.0000000000000004", ",3.0000000000000004\r\n"],
  ["0.0001", "0.0001", ",0.0001\r\n"],
  ["0.00001", "1.0000000000000001e-05", ",1.0000000000000001e-05\r\n"],
  ["", null, null],
  ["abc", null, null],
  ["1\x00", null, null],
  ["(1", null, null],
  ["1.", "1", ",1\r\n"],
  [".5", "0.5", ",0.5\r\n"],
  ["1e", null, null],
  ["-", null, null],
  ["2.5", "2.5", ",2.5\r\n"],
  ["100", "100", ",100\r\n"],
  ["-100.5", "-100.5", ",-100.5\r\n"],
  ["1e+20", "1e+20", ",1e+20\r\n"],
  ["1E-7", "9.9999999999999995e-08", ",9.9999999999999995e-08\r\n"],
  ["9007199254740993", "9007199254740992", ",9007199254740992\r\n"],
  ["0.1e-310", "9.9999999999994754e-312", ",9.9999999999994754e-312\r\n"],
  ["12345678.9", "12345678.9", ",12345678.9\r\n"],
  ["3.3333333333333335e-07", "3.3333333333333335e-07", ",3.3333333333333335e-07\r\n"],
  ["1e21", "1e+21", ",1e+21\r\n"],
  ["0.30000000000000004", "0.30000000000000004", ",0.30000000000000004\r\n"],
  ["8.94069671630859375e-08", "8.9406967163085938e-08", ",8.9406967163085938e-08\r\n"],
];

/** [ZADD score argument, ZSCORE RESP2 body, RESP3 frame]. Recorded. */
const TIE_TABLE: [string, string, string][] = [
  ["171646604798.265625", "171646604798.26562", ",171646604798.26562\r\n"],
  ["-171646604798.265625", "-171646604798.26562", ",-171646604798.26562\r\n"],
  ["999999999999999.625", "999999999999999.62", ",999999999999999.62\r\n"],
  ["1000000000000000.25", "1000000000000000.2", ",1000000000000000.2\r\n"],
  ["0.00100040435791015625", "0.0010004043579101562", ",0.0010004043579101562\r\n"],
  ["0.00100421905517578125", "0.0010042190551757812", ",0.0010042190551757812\r\n"],
  ["3.0517578125e-05", "3.0517578125e-05", ",3.0517578125e-05\r\n"],
  ["1.52587890625e-05", "1.52587890625e-05", ",1.52587890625e-05\r\n"],
  ["0.000030517578125", "3.0517578125e-05", ",3.0517578125e-05\r\n"],
  ["123456789.123456789", "123456789.12345679", ",123456789.12345679\r\n"],
  ["-1e-300", "-1e-300", ",-1e-300\r\n"],
  ["5e-324", "4.9406564584124654e-324", ",4.9406564584124654e-324\r\n"],
  ["-1.7976931348623157e308", "-1.7976931348623157e+308", ",-1.7976931348623157e+308\r\n"],
  ["4503599627370496.5", "4503599627370496", ",4503599627370496\r\n"],
  ["0.5", "0.5", ",0.5\r\n"],
  ["100000000000000000000000", "9.9999999999999992e+22", ",9.9999999999999992e+22\r\n"],
  ["1e-4", "0.0001", ",0.0001\r\n"],
  ["0.00011", "0.00011", ",0.00011\r\n"],
];

const FIXTURE: [string, number][] = [['ninf', -Infinity], ['neg', -1], ['zero', 0], ['one', 1], ['onehalf', 1.5], ['two', 2], ['pinf', Infinity]];

/** [bound, members of ZRANGEBYSCORE z bound +inf, members of ZRANGEBYSCORE z -inf bound]; null: refused. Recorded. */
const RANGE_TABLE: [string, string[] | null, string[] | null][] = [
  ["(1", ["onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["1", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["(inf", [], ["ninf","neg","zero","one","onehalf","two"]],
  ["inf", ["pinf"], ["ninf","neg","zero","one","onehalf","two","pinf"]],
  ["+inf", ["pinf"], ["ninf","neg","zero","one","onehalf","two","pinf"]],
  ["(-inf", ["neg","zero","one","onehalf","two","pinf"], []],
  ["-inf", ["ninf","neg","zero","one","onehalf","two","pinf"], ["ninf"]],
  ["(+inf", [], ["ninf","neg","zero","one","onehalf","two"]],
  [" 1", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["\t(1", null, null],
  ["( 1", ["onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["1 ", null, null],
  ["", ["zero","one","onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["(", ["one","onehalf","two","pinf"], ["ninf","neg"]],
  [" ", null, null],
  ["( ", null, null],
  ["1e400", ["pinf"], ["ninf","neg","zero","one","onehalf","two","pinf"]],
  ["(1e400", [], ["ninf","neg","zero","one","onehalf","two"]],
  ["1e-400", ["zero","one","onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["-1e400", ["ninf","neg","zero","one","onehalf","two","pinf"], ["ninf"]],
  ["nan", null, null],
  ["(nan", null, null],
  ["-nan", null, null],
  ["1\x00abc", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["(1\x00", ["onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["\x001", ["zero","one","onehalf","two","pinf"], ["ninf","neg","zero"]],
  ["0x1", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["0x1.8p0", ["onehalf","two","pinf"], ["ninf","neg","zero","one","onehalf"]],
  ["(0x1.8p0", ["two","pinf"], ["ninf","neg","zero","one"]],
  ["abc", null, null],
  ["((1", null, null],
  ["-", null, null],
  ["+", null, null],
  ["(-", null, null],
  ["1e", null, null],
  [".", null, null],
  ["1.", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["01", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["+1", ["one","onehalf","two","pinf"], ["ninf","neg","zero","one"]],
  ["infinity", ["pinf"], ["ninf","neg","zero","one","onehalf","two","pinf"]],
  ["-Infinity", ["ninf","neg","zero","one","onehalf","two","pinf"], ["ninf"]],
  ["(INF", [], ["ninf","neg","zero","one","onehalf","two"]],
  ["\x0b2", ["two","pinf"], ["ninf","neg","zero","one","onehalf","two"]],
  ["\n-1", ["neg","zero","one","onehalf","two","pinf"], ["ninf","neg"]],
];

const LEX_FIXTURE = ['', 'a', 'a\x00', 'b', 'c', 'd'];

/** [bound, members of ZRANGEBYLEX l bound +, members of ZRANGEBYLEX l - bound]; null: refused. Recorded. */
const LEX_TABLE: [string, string[] | null, string[] | null][] = [
  ["[a", ["a","a\x00","b","c","d"], ["","a"]],
  ["(a", ["a\x00","b","c","d"], [""]],
  ["[b", ["b","c","d"], ["","a","a\x00","b"]],
  ["(b", ["c","d"], ["","a","a\x00"]],
  ["-", ["","a","a\x00","b","c","d"], []],
  ["+", [], ["","a","a\x00","b","c","d"]],
  ["a", null, null],
  ["", null, null],
  ["[", ["","a","a\x00","b","c","d"], [""]],
  ["(", ["a","a\x00","b","c","d"], []],
  ["+x", null, null],
  ["-x", null, null],
  ["+\x00x", [], ["","a","a\x00","b","c","d"]],
  ["-\x00", ["","a","a\x00","b","c","d"], []],
  ["[\x00", ["a","a\x00","b","c","d"], [""]],
  ["(a\x00", ["b","c","d"], ["","a"]],
  ["[a\x00", ["a\x00","b","c","d"], ["","a","a\x00"]],
  ["++", null, null],
  ["--", null, null],
  ["[c", ["c","d"], ["","a","a\x00","b","c"]],
  ["(d", [], ["","a","a\x00","b","c"]],
  ["[\xff", [], ["","a","a\x00","b","c","d"]],
];

function byScore(min: string, max: string): string[] | null {
  const r = parseScoreRange(min, max);
  if (r === null) return null;
  if (scoreRangeEmpty(r)) return [];
  return FIXTURE.filter(([, s]) => scoreGteMin(s, r) && scoreLteMax(s, r)).map(([m]) => m);
}

function byLex(min: string, max: string): string[] | null {
  const r = parseLexRange(min, max);
  if (r === null) return null;
  if (lexRangeEmpty(r)) return [];
  return LEX_FIXTURE.filter((m) => lexGteMin(m, r) && lexLteMax(m, r));
}

describe('scores: parsing and formatting as Redis 7.0', () => {
  it('parses ZADD scores with string2d\'s rules and formats them with %.17g (recorded, RESP2 and RESP3)', () => {
    for (const [arg, resp2, resp3] of [...ZADD_TABLE, ...TIE_TABLE]) {
      const x = parseScore(arg);
      if (resp2 === null) {
        expect(x, JSON.stringify(arg)).to.equal(null);
        continue;
      }
      expect(x, JSON.stringify(arg)).to.be.a('number');
      expect(formatScore(x!), JSON.stringify(arg)).to.equal(resp2);
      expect(`,${formatDouble17g(x!)}\r\n`).to.equal(resp3);
    }
  });

  it('keeps the sign of zero and refuses NaN however it is spelled', () => {
    expect(Object.is(parseScore('-0'), -0)).to.equal(true);
    expect(Object.is(parseScore('0'), 0)).to.equal(true);
    expect(Object.is(parseScore('-0x0'), -0)).to.equal(true);
    for (const s of ['nan', 'NAN', '-nan', 'nan(1)', '+nan']) expect(parseScore(s), s).to.equal(null);
    expect(formatScore(-0)).to.equal('-0');
    expect(formatScore(Infinity)).to.equal('inf');
    expect(formatScore(-Infinity)).to.equal('-inf');
  });

  it('parses hex floats with exact rounding, overflow and underflow as glibc\'s strtod', () => {
    expect(parseScore('0x1p-1074')).to.equal(5e-324);
    expect(parseScore('0x1p-1075')).to.equal(null); // rounds to 0: ERANGE
    expect(parseScore('0x1.0000000000001p-1075')).to.equal(5e-324);
    expect(parseScore('0x3p-1076')).to.equal(5e-324);
    expect(parseScore('0x1.fffffffffffffp1023')).to.equal(1.7976931348623157e308);
    expect(parseScore('0x1.fffffffffffff8p1023')).to.equal(null); // rounds up to inf
    expect(parseScore('0x1.fffffffffffff7ffp1023')).to.equal(1.7976931348623157e308);
    expect(parseScore('0x1p1024')).to.equal(null);
    // Checked against glibc's strtod: half way rounds to the even neighbour.
    expect(parseScore('0x10000000000000800')).to.equal(2 ** 64);
    expect(parseScore('0x10000000000001800')).to.equal(2 ** 64 + 2 ** 13);
    expect(parseScore('0x10000000000000801')).to.equal(2 ** 64 + 2 ** 12);
    for (const s of ['0x', '0x.', '0x1p', '0xg', '0x1g', '0x1p+']) expect(parseScore(s), s).to.equal(null);
    expect(parseScore('0x1.')).to.equal(1);
  });

  it('parses score ranges with zslParseRange\'s looser strtod check (recorded)', () => {
    for (const [bound, asMin, asMax] of RANGE_TABLE) {
      expect(byScore(bound, '+inf'), `min ${JSON.stringify(bound)}`).to.deep.equal(asMin);
      expect(byScore('-inf', bound), `max ${JSON.stringify(bound)}`).to.deep.equal(asMax);
    }
    // Recorded: ZRANGEBYSCORE z (1 (1, 1 1, 2 1, (inf +inf, inf +inf, -inf -inf; ZCOUNT z -inf (-inf.
    expect(byScore('(1', '(1')).to.deep.equal([]);
    expect(byScore('1', '1')).to.deep.equal(['one']);
    expect(byScore('2', '1')).to.deep.equal([]);
    expect(byScore('(inf', '+inf')).to.deep.equal([]);
    expect(byScore('inf', '+inf')).to.deep.equal(['pinf']);
    expect(byScore('-inf', '-inf')).to.deep.equal(['ninf']);
    expect(byScore('-inf', '(-inf')).to.deep.equal([]);
    expect(parseScoreRange('(1', '2')).to.deep.equal({ min: 1, max: 2, minex: true, maxex: false });
  });

  it('parses lex ranges (recorded)', () => {
    for (const [bound, asMin, asMax] of LEX_TABLE) {
      expect(byLex(bound, '+'), `min ${JSON.stringify(bound)}`).to.deep.equal(asMin);
      expect(byLex('-', bound), `max ${JSON.stringify(bound)}`).to.deep.equal(asMax);
    }
    // Recorded: ZRANGEBYLEX l + -, - -, + +, [a [a, (a [a, [b [a; ZLEXCOUNT l [a (c is 3.
    expect(byLex('+', '-')).to.deep.equal([]);
    expect(byLex('-', '-')).to.deep.equal([]);
    expect(byLex('+', '+')).to.deep.equal([]);
    expect(byLex('[a', '[a')).to.deep.equal(['a']);
    expect(byLex('(a', '[a')).to.deep.equal([]);
    expect(byLex('[b', '[a')).to.deep.equal([]);
    expect(byLex('[a', '(c')!.length).to.equal(3);
  });

  it('has Redis\'s error texts (recorded replies)', () => {
    expect(`-${NOT_FLOAT}\r\n`).to.equal('-ERR value is not a valid float\r\n');
    expect(`-${MINMAX_NOT_FLOAT}\r\n`).to.equal('-ERR min or max is not a float\r\n');
    expect(`-${LEX_RANGE_INVALID}\r\n`).to.equal('-ERR min or max not valid string range item\r\n');
    expect(`-${SCORE_NAN}\r\n`).to.equal('-ERR resulting score is not a number (NaN)\r\n'); // ZINCRBY z -inf i on inf
  });
});
