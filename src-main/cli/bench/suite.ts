// A benchmark suite prints tables; ratios are always measured inside one run.

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface BenchOptions {
  /** short settings for smoke runs (CI-sized); the recorded numbers come from full runs */
  quick: boolean;
  /** folder for scratch files */
  workDir: string;
  /** frames of a suite's long clip (preencode: the RSS-per-frame row), instead of its default */
  frames?: number;
  /** frames of the preencode suite's 1080p tiny-shapes clip */
  hdFrames?: number;
  /** clicks of the preencode suite's click-latency rows */
  clicks?: number;
  /** frames of the preencode suite's propagation on/off rows */
  propFrames?: number;
  /** the preencode suite's tables to run (click, propagation, rss); all when absent */
  parts?: string[];
}

export interface BenchSuite {
  name: string;
  summary: string;
  run(opts: BenchOptions): Promise<BenchTable[]>;
}

export function formatTable(t: BenchTable): string {
  const cells = t.rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const lines = [`### ${t.title}`, '', `| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`];
  for (const r of cells) lines.push(`| ${r.join(' | ')} |`);
  if (t.notes?.length) lines.push('', ...t.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
