/**
 * The demo's report: what a scenario returns (figures, tables, charts, and
 * the claims it checked) and how that is printed: aligned text tables and
 * horizontal bar charts drawn with block characters.
 */

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface Chart {
  title: string;
  /** One bar per entry: label and value. */
  bars: Array<[string, number]>;
  unit?: string;
}

export interface Check {
  claim: string;
  ok: boolean;
}

export interface ScenarioResult {
  id: number;
  title: string;
  /** What the scenario teaches, in a sentence or two. */
  teaches: string;
  /** The key measured figures (also in --json output). */
  figures: Record<string, unknown>;
  tables: Table[];
  charts: Chart[];
  notes: string[];
  checks: Check[];
}

export function newResult(id: number, title: string, teaches: string): ScenarioResult {
  return { id, title, teaches, figures: {}, tables: [], charts: [], notes: [], checks: [] };
}

/** Records a claim and whether the measurement bears it out. */
export function check(r: ScenarioResult, claim: string, ok: boolean): void {
  r.checks.push({ claim, ok });
}

/** The p-th percentile (0..100) of `values` (nearest rank); 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtPct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function renderTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_c, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = t.columns.map((_c, i) => t.rows.length > 0 && t.rows.every((r) => typeof r[i] === 'number' || /^[-+]?[\d,.]+( ms|%|×|x)?$/.test(String(r[i]))));
  const line = (r: string[]): string =>
    '  ' + r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`  ${t.title}`, line(cells[0]!), '  ' + widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of cells.slice(1)) out.push(line(r));
  return out.join('\n');
}

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar chart, `width` characters for the largest value. */
export function renderChart(c: Chart, width = 40): string {
  const max = Math.max(1, ...c.bars.map((b) => b[1]));
  const labelWidth = Math.max(...c.bars.map((b) => b[0].length));
  const valueWidth = Math.max(...c.bars.map((b) => fmtInt(b[1]).length));
  const out = [`  ${c.title}`];
  for (const [label, value] of c.bars) {
    const eighths = value > 0 ? Math.max(1, Math.round((value / max) * width * 8)) : 0;
    const bar = '█'.repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8]!;
    out.push(`  ${label.padStart(labelWidth)} │${bar.padEnd(width)} ${fmtInt(value).padStart(valueWidth)}${c.unit ? ' ' + c.unit : ''}`);
  }
  return out.join('\n');
}

export function renderResult(r: ScenarioResult): string {
  const out = [``, `━━ ${r.id}. ${r.title} ━━`, `  ${r.teaches}`, ''];
  for (const t of r.tables) out.push(renderTable(t), '');
  for (const c of r.charts) out.push(renderChart(c), '');
  for (const n of r.notes) out.push(`  ${n}`);
  if (r.notes.length > 0) out.push('');
  for (const c of r.checks) out.push(`  ${c.ok ? '✓' : '✗'} ${c.claim}`);
  return out.join('\n');
}
