import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Db } from '../src/store/sqlite/open-db.ts';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { generateCorpus, generateNewDays, type CorpusDay } from './generate-corpus.ts';
import { createPlainInserter, dropFtsTriggers, rebuildFts, type PlainInserter } from './plain-insert.ts';
import { say } from './progress.ts';
import { figure, type Figure } from './report.ts';
import { nowMs, percentile, sizeLabel } from './stats.ts';
import { openScratchStore } from './temp-db.ts';
import type { Vocabulary } from './vocabulary.ts';

// Ingest throughput: a backfill (one transaction per feed day, as the archive backfill and
// `ingest --from/--to` commit: store.startIngestRun + finishIngestRun with `silent`) and single
// 100-paper days (store.upsertPapers, the daily path's statements), with the FTS triggers on,
// against the same rows written by plain prepared INSERTs with no triggers. Every path writes into
// a fresh on-disk WAL database; the generated feed is materialised first so generation is not timed.

const group = 'Ingest';
const morning = (feedDate: string) => Date.parse(`${feedDate}T06:00:00Z`);

// The store's writes are async, the plain inserter's are not: awaiting either costs the same microtask.
type Writer = (feedDate: string, papers: CorpusDay['papers'], now: number) => unknown;

/** The backfill's write path: a run per day, its papers and status committed in one unit. */
function backfillWriter(store: SqliteStore): Writer {
  return async (feedDate, papers, now) => {
    const runId = await store.startIngestRun(feedDate, 'backfill', now);
    await store.finishIngestRun({ runId, feedDate, papers, skipped: 0, silent: true, now });
  };
}

/** The regular ingest's write path for a day (what the cron run commits). */
function dailyWriter(store: SqliteStore): Writer {
  return async (feedDate, papers, now) => {
    const runId = await store.startIngestRun(feedDate, 'cron', now);
    await store.finishIngestRun({ runId, feedDate, papers, skipped: 0, silent: false, now });
  };
}

async function backfill(write: Writer, days: CorpusDay[]): Promise<{ items: number; seconds: number }> {
  const start = nowMs();
  let items = 0;
  for (const day of days) {
    await write(day.feedDate, day.papers, morning(day.feedDate));
    items += day.papers.length;
  }
  return { items, seconds: (nowMs() - start) / 1000 };
}

/** Per-day papers/s of writing each of `days` (new papers) into an already filled database. */
async function dayRates(write: Writer, days: CorpusDay[]): Promise<number[]> {
  const rates: number[] = [];
  for (const day of days) {
    const start = nowMs();
    await write(day.feedDate, day.papers, morning(day.feedDate));
    rates.push(day.papers.length / ((nowMs() - start) / 1000));
  }
  return rates;
}

/** Everything a paper path leaves behind, hashed: papers, paper_days and the FTS5 index pages. */
function contentHash(db: Db): string {
  const hash = createHash('sha256');
  for (const sqlText of ['SELECT * FROM papers ORDER BY id', 'SELECT * FROM paper_days ORDER BY feed_date, paper_id', 'SELECT id, block FROM papers_fts_data ORDER BY id']) {
    for (const row of db.$client.prepare(sqlText).raw().iterate()) hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
  }
  return hash.digest('hex');
}

/**
 * Do the backfill path, the per-day (cron) path and the plain inserter (triggers on) leave
 * identical papers, paper_days and FTS bytes? Checked on a small corpus.
 */
export async function checkSameRows(seed: number, vocabulary: Vocabulary, size: number): Promise<boolean> {
  const days = [...generateCorpus({ seed: seed + 1, size, vocabulary })];
  const perDay = openScratchStore('same-rows-daily');
  const viaBackfill = openScratchStore('same-rows-backfill');
  const plain = openScratchStore('same-rows-plain');
  try {
    await backfill(dailyWriter(perDay.store), days);
    await backfill(backfillWriter(viaBackfill.store), days);
    await backfill(createPlainInserter(plain.db), days);
    const expected = contentHash(perDay.db);
    return contentHash(viaBackfill.db) === expected && contentHash(plain.db) === expected;
  } finally {
    await perDay.dispose();
    await viaBackfill.dispose();
    await plain.dispose();
  }
}

/**
 * FTS5 indexing alone: the same text into a bare FTS5 table (same tokenizer and columns) in memory,
 * one transaction per day. No table, index or disk write: the ceiling of any path with FTS on.
 */
function ftsFloor(days: CorpusDay[]): number {
  const db = new Database(':memory:');
  try {
    db.exec("CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors, tokenize='porter unicode61 remove_diacritics 2')");
    const insert = db.prepare('INSERT INTO f (title, abstract, authors) VALUES (?, ?, ?)');
    const writeDay = db.transaction((day: CorpusDay) => {
      for (const p of day.papers) insert.run(p.title, p.abstract, JSON.stringify(p.authors));
    });
    const start = nowMs();
    let items = 0;
    for (const day of days) {
      writeDay(day);
      items += day.papers.length;
    }
    return items / ((nowMs() - start) / 1000);
  } finally {
    db.close();
  }
}

export async function runIngestBench(options: { backfillSize: number; seed: number; vocabulary: Vocabulary; days: number; sameRowsSize: number }): Promise<Figure[]> {
  const { backfillSize, seed, vocabulary } = options;
  const label = sizeLabel(backfillSize);
  say(`ingest: generating a ${label}-paper backfill`);
  const days = [...generateCorpus({ seed: seed + 7, size: backfillSize, vocabulary })];
  const newDays = generateNewDays({ seed, days: options.days, perDay: 100, firstDate: '2026-10-01', vocabulary });
  const refreshDays = newDays.map((day) => ({ ...day, papers: day.papers.map((p) => ({ ...p, upvotes: p.upvotes + 3 })) }));

  const sameRows = await checkSameRows(seed, vocabulary, options.sameRowsSize);
  say(`ingest: the backfill path, the per-day path and the plain inserter leave ${sameRows ? 'identical' : 'DIFFERENT'} rows and FTS data`);

  const real = openScratchStore('backfill-upsert');
  const plain = openScratchStore('backfill-plain');
  const bulk = openScratchStore('backfill-bulk');
  try {
    say(`ingest: ${label} backfill through the store's backfill path (FTS triggers on)`);
    const viaUpsert = await backfill(backfillWriter(real.store), days);
    say(`ingest:   ${Math.round(viaUpsert.items / viaUpsert.seconds)} papers/s; plain INSERT without triggers`);
    const plainTriggers = dropFtsTriggers(plain.db);
    const plainInsert: PlainInserter = createPlainInserter(plain.db);
    const viaPlain = await backfill(plainInsert, days);
    say(`ingest:   ${Math.round(viaPlain.items / viaPlain.seconds)} papers/s; bulk path (plain INSERT, triggers on)`);
    const viaBulk = await backfill(createPlainInserter(bulk.db), days);
    const rebuildStart = nowMs();
    const bulkTriggers = dropFtsTriggers(bulk.db);
    rebuildFts(bulk.db, bulkTriggers);
    const rebuildSeconds = (nowMs() - rebuildStart) / 1000;

    say(`ingest: ${options.days} new days of 100 papers into each filled database, then a refresh of each`);
    const upsertDays = await dayRates((d, p, n) => real.store.upsertPapers(d, p, n), newDays);
    const plainDays = await dayRates(plainInsert, newDays);
    const upsertRefresh = await dayRates((d, p, n) => real.store.upsertPapers(d, p, n), refreshDays);
    const plainRefresh = await dayRates(plainInsert, refreshDays);
    rebuildFts(plain.db, plainTriggers);
    const floor = ftsFloor(days);

    const rate = (r: { items: number; seconds: number }) => r.items / r.seconds;
    const plainLabel = 'plain INSERT, no FTS triggers';
    return [
      figure({
        id: 'ingest.backfill', group, name: `backfill of ${label} papers via the store's backfill path`, unit: 'papers/s', better: 'higher',
        value: rate(viaUpsert), baseline: rate(viaPlain), baselineLabel: plainLabel,
        goal: { text: '≥ 20,000 papers/s', met: rate(viaUpsert) >= 20_000 },
        note:
          `same papers, paper_days and FTS bytes as the per-day path: ${sameRows ? 'yes' : 'NO'} (checked on ${sizeLabel(options.sameRowsSize)} papers). ` +
          `FTS5 indexing alone (bare FTS5 table in memory, same text, one transaction per day) runs at ${Math.round(floor)} papers/s here: the ceiling of any path with the triggers on`,
      }),
      figure({
        id: 'ingest.backfill-bulk', group, name: `backfill of ${label} papers via the bulk path (raw statements, triggers on)`, unit: 'papers/s', better: 'higher',
        value: rate(viaBulk), baseline: rate(viaPlain), baselineLabel: plainLabel,
        goal: { text: '≥ 20,000 papers/s', met: rate(viaBulk) >= 20_000 },
        note: `same rows and FTS bytes as the store's paths: ${sameRows ? 'yes' : 'NO'} (checked on ${sizeLabel(options.sameRowsSize)} papers); the corpus databases are built this way`,
      }),
      figure({
        id: 'ingest.backfill-rebuild', group, name: `backfill of ${label} papers: plain INSERT, then one FTS rebuild`, unit: 'papers/s', better: 'higher',
        value: viaPlain.items / (viaPlain.seconds + rebuildSeconds), baseline: rate(viaPlain), baselineLabel: plainLabel,
        note: `FTS5 'rebuild' of ${label} papers took ${rebuildSeconds.toFixed(1)} s`,
      }),
      figure({
        id: 'ingest.day', group, name: `one day of 100 new papers into ${label} (median of ${options.days})`, unit: 'papers/s', better: 'higher',
        value: percentile(upsertDays, 50), baseline: percentile(plainDays, 50), baselineLabel: plainLabel,
      }),
      figure({
        id: 'ingest.refresh', group, name: `refresh of a known day (100 upvote updates, median of ${options.days})`, unit: 'papers/s', better: 'higher',
        value: percentile(upsertRefresh, 50), baseline: percentile(plainRefresh, 50), baselineLabel: plainLabel,
      }),
    ];
  } finally {
    await real.dispose();
    await plain.dispose();
    await bulk.dispose();
  }
}
