/**
 * The cache-aside demo end to end: the whole run against an embedded
 * cachette (every claim must check out, with the figures the issue names),
 * two scenarios against a real redis-server 7.0, and the CLI entry point.
 */

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo, type DemoReport } from '../src/demo/run.js';
import { startRedis, type RealRedis } from './diff/servers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'cachette.js');

function figures(report: DemoReport, id: number): Record<string, any> {
  const s = report.scenarios.find((x) => x.id === id);
  expect(s, `scenario ${id}`).to.not.equal(undefined);
  return s!.figures as Record<string, any>;
}

function failedClaims(report: DemoReport): string[] {
  return report.scenarios.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.id}: ${c.claim}`));
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('cache-aside demo', function () {
  this.timeout(120_000);

  it('the full run against an embedded cachette: every claim checks out', async () => {
    const printed: string[] = [];
    const report = await runDemo({ print: (t) => printed.push(t) });
    expect(failedClaims(report)).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.scenarios.map((s) => s.id)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(report.elapsedMs).to.be.below(60_000);

    const f1 = figures(report, 1);
    expect([f1.loadsAfterFourReads, f1.loadsAfterWriteAndRead]).to.deep.equal([2, 3]);
    const f3 = figures(report, 3);
    expect(f3.withSingleFlight.loads).to.equal(1);
    expect(f3.withoutSingleFlight.loads).to.be.at.least(900);
    const f6 = figures(report, 6);
    expect(f6.failed).to.equal(0);
    expect(f6.finalBreaker).to.equal('closed');
    const f7 = figures(report, 7);
    expect(f7.evictedKeys).to.be.above(0);

    const text = printed.join('\n');
    // Every scenario's header line, whole, once each and in order.
    const titles = ['1. Hit and miss accounting', '2. TTL bounds staleness', '3. Stampede protection (single-flight)', '4. TTL jitter',
      '5. Invalidation race', '6. Cache outage', '7. Eviction keeps the hot set', '8. Watch expiry and eviction happen'];
    expect(text.split('\n').filter((l) => l.startsWith('━━ '))).to.deep.equal(titles.map((t) => `━━ ${t} ━━`));
    expect(text).to.contain('Every claim checked out');
    expect(text).to.not.contain('✗');
  });

  describe('against a real redis-server', () => {
    let redis: RealRedis;
    before(async () => { redis = await startRedis(); });
    after(async () => { await redis.stop(); });

    it('scenarios 1 and 3 give the same figures', async () => {
      const report = await runDemo({ url: `redis://127.0.0.1:${redis.port}`, scenario: 1 });
      expect(report.server).to.match(/^Redis 7\.0\.\d+ at redis:\/\/127\.0\.0\.1:/);
      expect(failedClaims(report)).to.deep.equal([]);
      expect([figures(report, 1).loadsAfterFourReads, figures(report, 1).loadsAfterWriteAndRead]).to.deep.equal([2, 3]);
      const r3 = await runDemo({ url: `redis://127.0.0.1:${redis.port}`, scenario: 3 });
      expect(failedClaims(r3)).to.deep.equal([]);
      expect(figures(r3, 3).withSingleFlight.loads).to.equal(1);
    });
  });

  describe('cachette demo (the CLI)', () => {
    it('--scenario 1 --json prints the results as JSON and exits 0', async () => {
      const { code, stdout } = await run(['demo', '--scenario', '1', '--json']);
      expect(code).to.equal(0);
      const report = JSON.parse(stdout) as DemoReport;
      expect(report.ok).to.equal(true);
      expect(report.scenarios).to.have.length(1);
      expect(report.scenarios[0]!.figures.loadsAfterFourReads).to.equal(2);
    });

    it('rejects a bad --scenario, --db-latency or --url with a message and exit code 1', async () => {
      const a = await run(['demo', '--scenario', '9']);
      expect([a.code, a.stderr]).to.deep.equal([1, 'cachette demo: --scenario must be 1..8\n']);
      const b = await run(['demo', '--db-latency', 'fast']);
      expect([b.code, b.stderr]).to.deep.equal([1, "cachette demo: --db-latency must be a whole number, got 'fast'\n"]);
      const c = await run(['demo', '--url', 'http://example.com']);
      expect([c.code, c.stderr]).to.deep.equal([1, 'cachette demo: --url must be redis://host:port, got http://example.com\n']);
    });
  });
});
