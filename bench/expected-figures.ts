import type { Figure } from './report.ts';
import { sizeLabel } from './stats.ts';

// The figures a run must report, in table order: a section that fails or is skipped still shows
// its rows (with a note), so a missing number is never silently absent.

export type ExpectedFigure = Pick<Figure, 'id' | 'group' | 'name' | 'unit' | 'better' | 'baselineLabel'> & { section: SectionId };
export type SectionId = 'search' | 'command' | 'ingest' | 'watches' | 'delivery' | 'memory' | 'postgres';

export function expectedFigures(
  sizes: number[],
  options: { backfillSize: number; ingestDays: number; postgres?: { backfillSize: number; concurrent: number; replicas: number } },
): ExpectedFigure[] {
  const largest = sizeLabel(Math.max(...sizes));
  const backfill = sizeLabel(options.backfillSize);
  const rows: ExpectedFigure[] = [];
  for (const size of sizes) {
    const label = sizeLabel(size);
    for (const p of [50, 95, 99]) {
      rows.push({ section: 'search', id: `search.p${p}@${label}`, group: 'Search', name: `p${p} of 300 mixed queries at ${label} papers`, unit: 'ms', better: 'lower', baselineLabel: 'raw FTS5 MATCH … ORDER BY bm25 LIMIT 10' });
    }
    const knownItem = { section: 'search', group: 'Search', unit: 'share', better: 'higher', baselineLabel: 'raw FTS5 title : "phrase" ORDER BY bm25 LIMIT 1' } as const;
    rows.push({ ...knownItem, id: `search.known-item@${label}`, name: `exact title of 300 papers over the whole time span found first at ${label}` });
    rows.push({ ...knownItem, id: `search.known-item-dropped-word@${label}`, name: `title with one word dropped found first at ${label}` });
  }
  for (const command of ['search', 'today'] as const) {
    for (const platform of ['Discord', 'Slack'] as const) {
      rows.push({
        section: 'command',
        id: `command.${command}.${platform.toLowerCase()}.p99@${largest}`,
        group: 'Command',
        name: `/papers ${command} p99 via dispatchCommand + ${platform} renderer at ${largest}`,
        unit: 'ms',
        better: 'lower',
        baselineLabel: command === 'search' ? 'raw FTS5 query p99' : "raw SQL for the day's top papers p99",
      });
    }
  }
  const plain = 'plain INSERT, no FTS triggers';
  rows.push(
    { section: 'ingest', id: 'ingest.backfill', group: 'Ingest', name: `backfill of ${backfill} papers via the store's backfill path`, unit: 'papers/s', better: 'higher', baselineLabel: plain },
    { section: 'ingest', id: 'ingest.backfill-bulk', group: 'Ingest', name: `backfill of ${backfill} papers via the bulk path (raw statements, triggers on)`, unit: 'papers/s', better: 'higher', baselineLabel: plain },
    { section: 'ingest', id: 'ingest.backfill-rebuild', group: 'Ingest', name: `backfill of ${backfill} papers: plain INSERT, then one FTS rebuild`, unit: 'papers/s', better: 'higher', baselineLabel: plain },
    { section: 'ingest', id: 'ingest.day', group: 'Ingest', name: `one day of 100 new papers into ${backfill} (median of ${options.ingestDays})`, unit: 'papers/s', better: 'higher', baselineLabel: plain },
    { section: 'ingest', id: 'ingest.refresh', group: 'Ingest', name: `refresh of a known day (100 upvote updates, median of ${options.ingestDays})`, unit: 'papers/s', better: 'higher', baselineLabel: plain },
    { section: 'watches', id: 'watches.match', group: 'Watches', name: 'matchWatches, cold (builds its watch index)', unit: 'ms', better: 'lower', baselineLabel: 'one FTS query per watch over the new papers' },
    { section: 'watches', id: 'watches.match-warm', group: 'Watches', name: 'matchWatches, warm (index cached, mean of 2)', unit: 'ms', better: 'lower', baselineLabel: 'one FTS query per watch over the new papers' },
    { section: 'delivery', id: 'delivery.discord.rate', group: 'Delivery', name: 'Discord: achieved request rate', unit: 'req/s', better: 'higher', baselineLabel: 'allowed: 50 req/s' },
    { section: 'delivery', id: 'delivery.discord.429-after-first', group: 'Delivery', name: 'Discord: 429s after the first', unit: '', better: 'lower', baselineLabel: 'requests sent' },
    { section: 'delivery', id: 'delivery.slack.rate', group: 'Delivery', name: 'Slack: achieved message rate over 20 channels', unit: 'msg/s', better: 'higher', baselineLabel: 'allowed: 1 msg/s per channel' },
    { section: 'delivery', id: 'delivery.slack.429-after-first', group: 'Delivery', name: 'Slack: 429s after the first', unit: '', better: 'lower', baselineLabel: 'requests sent' },
    { section: 'memory', id: `memory.peak-rss@${largest}`, group: 'Memory & size', name: `peak RSS serving 300 searches with ${largest} papers`, unit: 'MB', better: 'lower', baselineLabel: 'bare node + better-sqlite3 running the raw FTS query' },
    { section: 'memory', id: `memory.db-bytes-per-paper@${largest}`, group: 'Memory & size', name: `database bytes per paper at ${largest}`, unit: 'B', better: 'lower', baselineLabel: 'raw text bytes per paper (title, abstract, authors, AI fields)' },
    { section: 'memory', id: `memory.startup@${largest}`, group: 'Memory & size', name: `start-up to ready with ${largest} papers (openDb + migrations + first search)`, unit: 'ms', better: 'lower', baselineLabel: 'bare better-sqlite3 open + first raw FTS query' },
  );
  if (options.postgres) rows.push(...postgresFigures(sizes, options.ingestDays, options.postgres));
  return rows;
}

/** `--backend postgres`: the same workloads on PostgreSQL, each against SQLite's figure of the run. */
function postgresFigures(sizes: number[], ingestDays: number, options: { backfillSize: number; concurrent: number; replicas: number }): ExpectedFigure[] {
  const largest = sizeLabel(Math.max(...sizes));
  const backfill = sizeLabel(options.backfillSize);
  const section = 'postgres' as const;
  const group = 'PostgreSQL';
  const vsSqlite = 'SQLite, same run';
  const rows: ExpectedFigure[] = [];
  for (const size of sizes) {
    const label = sizeLabel(size);
    rows.push({ section, id: `postgres.load@${label}`, group, name: `load the ${label} corpus (papers, days, GIN index) via migrate-to-postgres`, unit: 'papers/s', better: 'higher', baselineLabel: 'SQLite corpus build (plain INSERTs, FTS triggers on)' });
    for (const p of [50, 95, 99]) {
      rows.push({ section, id: `postgres.search.p${p}@${label}`, group, name: `search p${p} of 300 mixed queries at ${label} papers`, unit: 'ms', better: 'lower', baselineLabel: `${vsSqlite}: store.searchPapers` });
    }
  }
  for (const command of ['search', 'today'] as const) {
    rows.push({ section, id: `postgres.command.${command}.p99@${largest}`, group, name: `/papers ${command} p99 via dispatchCommand + Discord renderer at ${largest}`, unit: 'ms', better: 'lower', baselineLabel: vsSqlite });
  }
  rows.push(
    { section, id: `postgres.replicas.p99@${largest}`, group, name: `command p99, ${options.concurrent} at once over ${options.replicas} replicas (search + today) at ${largest}`, unit: 'ms', better: 'lower', baselineLabel: 'one replica, same load' },
    { section, id: 'postgres.ingest.backfill', group, name: `backfill of ${backfill} papers via upsertPapers`, unit: 'papers/s', better: 'higher', baselineLabel: vsSqlite },
    { section, id: 'postgres.ingest.day', group, name: `one day of 100 new papers into ${backfill} (median of ${ingestDays})`, unit: 'papers/s', better: 'higher', baselineLabel: vsSqlite },
  );
  return rows;
}
