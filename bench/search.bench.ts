import { parseQuery } from '../src/search/parse-query.ts';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { BenchQuery } from './queries.ts';
import { figure, type Figure } from './report.ts';
import { nowMs, percentile, sizeLabel } from './stats.ts';

// Search latency through store.searchPapers(parseQuery(text)) (what /papers search runs) against a raw FTS5
// `MATCH … ORDER BY bm25 LIMIT 10` for the same terms, fetching the 10 rows, as the baseline.
// Each query runs once untimed for both (warm page cache, as in a running bot), then both are
// timed alternately query by query, so machine noise hits both sides alike.

const group = 'Search';

export type SearchSamples = { kind: BenchQuery['kind']; text: string; ms: number; baselineMs: number; total: number; baselineHits: number };

export async function measureSearch(store: SqliteStore, queries: BenchQuery[], now: Date): Promise<SearchSamples[]> {
  // Subquery first: the 10 best rowids, then their rows; a join outside the LIMIT would look up
  // every match and make the baseline look slower than raw FTS5 is.
  const baseline = store.db.$client.prepare(
    'SELECT p.* FROM (SELECT rowid AS id, bm25(papers_fts) AS s FROM papers_fts WHERE papers_fts MATCH ? ORDER BY s LIMIT 10) f JOIN papers p ON p.id = f.id ORDER BY f.s',
  );
  const runOurs = (q: BenchQuery) => store.searchPapers(parseQuery(q.text), { limit: 10, offset: 0, now });
  const runBaseline = (q: BenchQuery) => baseline.all(q.match).length;
  for (const q of queries) {
    await runOurs(q);
    runBaseline(q);
  }
  const samples: SearchSamples[] = [];
  for (const q of queries) {
    let start = nowMs();
    const ours = await runOurs(q);
    const ms = nowMs() - start;
    start = nowMs();
    const baselineHits = runBaseline(q);
    const baselineMs = nowMs() - start;
    samples.push({ kind: q.kind, text: q.text, ms, baselineMs, total: ours.total, baselineHits });
  }
  return samples;
}

export function searchFigures(samples: SearchSamples[], size: number, atLargest: boolean): Figure[] {
  const label = sizeLabel(size);
  const ours = samples.map((s) => s.ms);
  const base = samples.map((s) => s.baselineMs);
  const withResults = samples.filter((s) => s.total > 0).length;
  const baselineLabel = 'raw FTS5 MATCH … ORDER BY bm25 LIMIT 10';
  return [50, 95, 99].map((p) => {
    const value = percentile(ours, p);
    const baseline = percentile(base, p);
    const goal =
      p !== 95
        ? undefined
        : atLargest
          ? { text: '≤ 1.5× baseline and < 20 ms at 1M', met: value <= 1.5 * baseline && value < 20 }
          : { text: '≤ 1.5× baseline', met: value <= 1.5 * baseline };
    return figure({
      id: `search.p${p}@${label}`,
      group,
      name: `p${p} of ${samples.length} mixed queries at ${label} papers`,
      unit: 'ms',
      better: 'lower',
      value,
      baseline,
      baselineLabel,
      ...(goal ? { goal } : {}),
      ...(p === 50 ? { note: `${withResults} of ${samples.length} queries found papers at ${label}` } : {}),
    });
  });
}

/** The slowest queries by kind, for the "where the time goes" notes. */
export function slowestQueries(samples: SearchSamples[], count = 5): string {
  return [...samples]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((s) => `${s.text} (${s.kind}): ${s.ms.toFixed(1)} ms vs ${s.baselineMs.toFixed(1)} ms baseline, ${s.total} matches`)
    .join('; ');
}
