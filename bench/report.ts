import { writeFileSync } from 'node:fs';

// One row per measured figure: the value, the baseline measured in the same run, and their ratio
// (value / baseline). `better` says which direction is good, so a reader (and the table) can tell
// whether 0.8 is a win (latency) or a loss (throughput).

export type Figure = {
  /** Stable id, e.g. `search.p95@1M`. */
  id: string;
  group: string;
  name: string;
  unit: string;
  better: 'lower' | 'higher';
  /** null = not measured in this run (see `note`). */
  value: number | null;
  baseline: number | null;
  /** value / baseline, null when either is missing or the baseline is 0. */
  ratio: number | null;
  /** What the baseline is, in words. */
  baselineLabel: string;
  goal?: { text: string; met: boolean | null };
  note?: string;
};

export type FigureInput = Omit<Figure, 'ratio'>;

export type Machine = { cpu: string; cores: number; node: string; sqlite: string; platform: string; memoryMb: number; loadAverage?: { start: number[]; end: number[] } };

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: Machine;
  options: { quick: boolean; sizes: number[]; seed: number; backend?: 'sqlite' | 'postgres' };
  /** Workload sizes used (queries, watches, messages…). */
  plan: Record<string, number>;
  /** The corpus databases used and how they were built. */
  corpora: Array<Record<string, unknown>>;
  figures: Figure[];
};

export function figure(input: FigureInput): Figure {
  const { value, baseline } = input;
  const ratio = value !== null && baseline !== null && baseline !== 0 && Number.isFinite(value / baseline) ? value / baseline : null;
  return { ...input, ratio };
}

/**
 * Every expected figure appears exactly once, in the expected order: one that was not produced
 * becomes a row with null values and a note, so a missing measurement is visible, never silently absent.
 */
export function completeFigures(figures: Figure[], expected: Array<Pick<Figure, 'id' | 'group' | 'name' | 'unit' | 'better' | 'baselineLabel'>>): Figure[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const rows = expected.map(
    (e) => byId.get(e.id) ?? figure({ ...e, value: null, baseline: null, note: 'not measured in this run (see the log above)' }),
  );
  const extra = figures.filter((f) => !expected.some((e) => e.id === f.id));
  return [...rows, ...extra];
}

function formatNumber(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

function goalCell(f: Figure): string {
  if (!f.goal) return '';
  const mark = f.goal.met === null ? '?' : f.goal.met ? 'met' : 'MISSED';
  return `${mark}: ${f.goal.text}`;
}

/** A Markdown table (also readable as plain text in a terminal). */
export function formatTable(figures: Figure[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'goal'];
  const rows = figures.map((f) => [
    `${f.group}: ${f.name}`,
    formatNumber(f.value, f.unit),
    f.baseline === null ? `— (${f.baselineLabel})` : `${formatNumber(f.baseline, f.unit)} (${f.baselineLabel})`,
    f.ratio === null ? '—' : `${formatNumber(f.ratio)}×`,
    goalCell(f),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Notes of figures (misses, what was chosen), one per line, for under the table. */
export function formatNotes(figures: Figure[]): string {
  return figures
    .filter((f) => f.note)
    .map((f) => `- ${f.group}: ${f.name}: ${f.note}`)
    .join('\n');
}

export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
