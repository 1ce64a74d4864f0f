import { describe, expect, it } from 'vitest';
import { expectedFigures } from '../../bench/expected-figures.ts';

// `--backend postgres` adds its rows after SQLite's, so a run that skips or fails the PostgreSQL
// section still shows each of them (with a note), and a SQLite-only run shows none.

describe('expected figures with --backend postgres', () => {
  const base = { backfillSize: 100_000, ingestDays: 20 };
  const postgres = { backfillSize: 20_000, concurrent: 200, replicas: 3 };

  it('lists load and search at every size, commands and replicas at the largest, and ingest, after the SQLite rows', () => {
    const sqliteOnly = expectedFigures([100_000, 1_000_000], base).map((e) => e.id);
    const both = expectedFigures([100_000, 1_000_000], { ...base, postgres }).map((e) => e.id);
    expect(both.slice(0, sqliteOnly.length)).toEqual(sqliteOnly);
    expect(both.slice(sqliteOnly.length)).toEqual([
      'postgres.load@100k', 'postgres.search.p50@100k', 'postgres.search.p95@100k', 'postgres.search.p99@100k',
      'postgres.load@1M', 'postgres.search.p50@1M', 'postgres.search.p95@1M', 'postgres.search.p99@1M',
      'postgres.command.search.p99@1M', 'postgres.command.today.p99@1M', 'postgres.replicas.p99@1M',
      'postgres.ingest.backfill', 'postgres.ingest.day',
    ]);
    expect(sqliteOnly.some((id) => id.startsWith('postgres.'))).toBe(false);
  });

  it('names the workload it measures', () => {
    const rows = expectedFigures([100_000], { ...base, postgres });
    expect(rows.find((e) => e.id === 'postgres.replicas.p99@100k')?.name).toBe('command p99, 200 at once over 3 replicas (search + today) at 100k');
    expect(rows.find((e) => e.id === 'postgres.ingest.backfill')?.name).toBe('backfill of 20k papers via upsertPapers');
  });
});
