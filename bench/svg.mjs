// A small SVG chart of the throughput benchmark: for each test and pipeline
// depth, two bars, cachette / Redis and cachette / plain Node (the runtime's
// floor, bench/plain-node-server.mjs), with the 1.0 line and each target
// marked; under them, optional memory-return bars (RSS growth kept after a
// burst, Redis against cachette). No dependencies: the SVG is written by hand.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * rows: [{ label: 'GET', pipeline: 16, ratio: 0.52, plainRatio: 1.1 }] (plainRatio optional)
 * targets: { 1: 0.6, 16: 0.5 } (against Redis), plainTarget: 1.0
 * memory: [{ name: 'redis', mb: 1 }, { name: 'cachette', mb: 40 }] and memoryLimit (MB), optional
 * Returns the SVG text.
 */
export function ratioChart(rows, { title, targets = {}, plainTarget, subtitle = '', memory = null, memoryLimit } = {}) {
  const barH = 14, gap = 10, left = 130, width = 460, top = 74;
  const hasPlain = rows.some((r) => r.plainRatio !== undefined);
  const groupH = hasPlain ? barH * 2 + 2 : barH;
  const maxRatio = Math.max(1.2, ...rows.map((r) => Math.max(r.ratio, r.plainRatio ?? 0))) * 1.05;
  const memH = memory ? 40 + memory.length * (barH + 6) : 0;
  const h = top + rows.length * (groupH + gap) + 46 + memH;
  const x = (v) => left + (v / maxRatio) * width;
  const colour = { redis: '#4c78a8', plain: '#f58518' };
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${h}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="38" fill="#555">${esc(subtitle)}</text>`,
    `<rect x="10" y="48" width="12" height="10" fill="${colour.redis}"/><text x="26" y="57">cachette / Redis 7.0</text>`];
  if (hasPlain) out.push(`<rect x="170" y="48" width="12" height="10" fill="${colour.plain}"/><text x="186" y="57">cachette / plain Node (the runtime's floor)</text>`);
  const bar = (y, v, fill, t) => {
    out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="${barH}" fill="${fill}"/>`);
    out.push(`<text x="${(x(v) + 4).toFixed(1)}" y="${y + 11}">${v.toFixed(2)}×${t !== undefined && v >= t ? ' ✓' : ''}</text>`);
    if (t !== undefined) out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y - 1}" y2="${y + barH + 1}" stroke="#d62728" stroke-width="2"/>`);
  };
  rows.forEach((r, i) => {
    const y = top + i * (groupH + gap);
    out.push(`<text x="${left - 8}" y="${y + groupH / 2 + 4}" text-anchor="end">${esc(r.label)} P${r.pipeline}</text>`);
    bar(y, r.ratio, colour.redis, targets[r.pipeline]);
    if (r.plainRatio !== undefined) bar(y + barH + 2, r.plainRatio, colour.plain, plainTarget);
  });
  const yEnd = top + rows.length * (groupH + gap);
  out.push(`<line x1="${x(1).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="${top - 6}" y2="${yEnd}" stroke="#333" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${x(1).toFixed(1)}" y="${yEnd + 14}" text-anchor="middle">1.0 = as fast as the reference</text>`);
  out.push(`<text x="${left}" y="${yEnd + 30}" fill="#d62728">red ticks: targets (vs Redis: P1 ${targets[1] ?? '-'}×, P16 ${targets[16] ?? '-'}×${plainTarget !== undefined ? `; vs plain Node: ${plainTarget}×` : ''})</text>`);
  if (memory) {
    const y0 = yEnd + 56;
    const maxMb = Math.max(1, memoryLimit ?? 0, ...memory.map((m) => m.mb)) * 1.1;
    const mx = (v) => left + (v / maxMb) * width;
    out.push(`<text x="10" y="${y0}" font-weight="bold">Memory return: RSS growth kept 10 s after FLUSHALL of 300 × 1 MB (MB)</text>`);
    memory.forEach((m, i) => {
      const y = y0 + 10 + i * (barH + 6);
      out.push(`<text x="${left - 8}" y="${y + 11}" text-anchor="end">${esc(m.name)}</text>`);
      out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, mx(m.mb) - left).toFixed(1)}" height="${barH}" fill="${m.name === 'redis' ? colour.redis : '#54a24b'}"/>`);
      out.push(`<text x="${(mx(m.mb) + 4).toFixed(1)}" y="${y + 11}">${m.mb.toFixed(0)} MB</text>`);
    });
    if (memoryLimit !== undefined) {
      const yb = y0 + 10 + memory.length * (barH + 6);
      out.push(`<line x1="${mx(memoryLimit).toFixed(1)}" x2="${mx(memoryLimit).toFixed(1)}" y1="${y0 + 6}" y2="${yb}" stroke="#d62728" stroke-width="2"/>`);
      out.push(`<text x="${mx(memoryLimit).toFixed(1)}" y="${yb + 12}" fill="#d62728" text-anchor="middle">target ${memoryLimit.toFixed(0)} MB</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
