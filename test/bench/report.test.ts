import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFigures } from '../../bench/expected-figures.ts';
import { completeFigures, figure, formatTable, writeResults, type BenchResults } from '../../bench/report.ts';

const expected = expectedFigures([100_000, 1_000_000], { backfillSize: 100_000, ingestDays: 20 });

describe('bench report', () => {
  it('lists every expected figure with value, baseline and ratio, measured or not', () => {
    const measured = figure({
      id: 'search.p95@1M', group: 'Search', name: 'p95', unit: 'ms', better: 'lower', value: 12, baseline: 8, baselineLabel: 'raw FTS',
      goal: { text: '≤ 1.5× baseline and < 20 ms at 1M', met: true },
    });
    const rows = completeFigures([measured], expected);
    expect(rows.map((row) => row.id)).toEqual(expected.map((e) => e.id));
    for (const row of rows) {
      expect(row).toHaveProperty('value');
      expect(row).toHaveProperty('baseline');
      expect(row).toHaveProperty('ratio');
    }
    expect(rows.find((row) => row.id === 'search.p95@1M')).toMatchObject({ value: 12, baseline: 8, ratio: 1.5 });
    expect(rows.find((row) => row.id === 'watches.match')).toMatchObject({ value: null, baseline: null, ratio: null });
    expect(rows.find((row) => row.id === 'watches.match')?.note).toMatch(/not measured/);
  });

  it('covers each section of the issue: search at both sizes, commands, ingest, watches, delivery, memory', () => {
    const ids = expected.map((e) => e.id);
    for (const id of ['search.p95@100k', 'search.p95@1M', 'command.search.discord.p99@1M', 'command.today.slack.p99@1M', 'ingest.backfill', 'ingest.day',
      'watches.match', 'delivery.discord.rate', 'delivery.discord.429-after-first', 'delivery.slack.rate', 'memory.peak-rss@1M', 'memory.db-bytes-per-paper@1M', 'memory.startup@1M']) {
      expect(ids).toContain(id);
    }
  });

  it('has no ratio when the baseline is zero or missing', () => {
    expect(figure({ id: 'x', group: 'g', name: 'n', unit: '', better: 'lower', value: 3, baseline: 0, baselineLabel: 'b' }).ratio).toBeNull();
    expect(figure({ id: 'x', group: 'g', name: 'n', unit: '', better: 'lower', value: 3, baseline: null, baselineLabel: 'b' }).ratio).toBeNull();
  });

  it('prints a table row per figure and writes results.json that reads back', () => {
    const rows = completeFigures([], expected);
    const table = formatTable(rows);
    expect(table.split('\n')).toHaveLength(rows.length + 2);
    for (const row of rows) expect(table).toContain(row.name);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
    try {
      const results: BenchResults = {
        startedAt: '2026-09-01T00:00:00.000Z', finishedAt: '2026-09-01T00:05:00.000Z', durationSeconds: 300,
        machine: { cpu: 'test', cores: 2, node: 'v20', sqlite: '3', platform: 'linux x64', memoryMb: 1 },
        options: { quick: true, sizes: [10_000], seed: 42 }, plan: { queries: 300 }, corpora: [], figures: rows,
      };
      writeResults(join(dir, 'results.json'), results);
      const read: unknown = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(read).toEqual(results);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
