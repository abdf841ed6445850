// A small SVG bar chart of throughput ratios (cachette / Redis), one bar per
// test and pipeline depth, with the 1.0 line and the targets marked. No
// dependencies: the SVG is written by hand.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * rows: [{ label: 'GET', pipeline: 16, ratio: 0.52 }], targets: { 1: 0.8, 16: 0.7 }
 * Returns the SVG text.
 */
export function ratioChart(rows, { title, targets = {}, subtitle = '' } = {}) {
  const barH = 18, gap = 6, left = 130, width = 460, top = 58, maxRatio = Math.max(1.2, ...rows.map((r) => r.ratio)) * 1.05;
  const h = top + rows.length * (barH + gap) + 40;
  const x = (v) => left + (v / maxRatio) * width;
  const colour = { 1: '#4c78a8', 16: '#f58518' };
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 80}" height="${h}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="38" fill="#555">${esc(subtitle)}</text>`];
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const t = targets[r.pipeline];
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(r.label)} P${r.pipeline}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(r.ratio) - left).toFixed(1)}" height="${barH}" fill="${colour[r.pipeline] ?? '#54a24b'}"/>`);
    out.push(`<text x="${(x(r.ratio) + 4).toFixed(1)}" y="${y + 13}">${r.ratio.toFixed(2)}×${t !== undefined ? (r.ratio >= t ? ' ✓' : '') : ''}</text>`);
    if (t !== undefined) out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y - 2}" y2="${y + barH + 2}" stroke="#d62728" stroke-width="2"/>`);
  });
  const yEnd = top + rows.length * (barH + gap);
  out.push(`<line x1="${x(1).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="${top - 6}" y2="${yEnd}" stroke="#333" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${x(1).toFixed(1)}" y="${yEnd + 14}" text-anchor="middle">Redis = 1.0</text>`);
  out.push(`<text x="${left}" y="${yEnd + 30}" fill="#d62728">red ticks: targets (P1 ${targets[1] ?? '-'}×, P16 ${targets[16] ?? '-'}×)</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
