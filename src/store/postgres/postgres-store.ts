import type { Store } from '../store.ts';
import { advanceAlertWatermark, alertWatermark, unplannedPaperIds } from './alert-watermark.ts';
import { failIngestRun, feedDayFetched, finishIngestRun, lastSuccessfulIngest, latestSuccessfulFeedDay, startIngestRun } from './ingest-runs.ts';
import { countMatches, paperIdsMatching } from './match-papers.ts';
import { getMeta, setMeta } from './meta.ts';
import { getPaperByArxivId, getPapersByIds, latestFeedDayWithPapers, listPapersForDay, upsertPapers } from './papers.ts';
import type { PgDb } from './pg-db.ts';
import { searchPapers } from './search.ts';

// The PostgreSQL store, so far: papers, ingest runs, full text, the alert watermark and meta.
// Each method is one transaction (or one statement). It implements a part of Store, named below;
// the rest of the interface is still to do (see the README, "PostgreSQL").

export type PostgresStoreMethods =
  | 'startIngestRun'
  | 'finishIngestRun'
  | 'failIngestRun'
  | 'upsertPapers'
  | 'getPaperByArxivId'
  | 'getPapersByIds'
  | 'listPapersForDay'
  | 'latestFeedDayWithPapers'
  | 'lastSuccessfulIngest'
  | 'latestSuccessfulFeedDay'
  | 'feedDayFetched'
  | 'searchPapers'
  | 'countMatches'
  | 'paperIdsMatching'
  | 'alertWatermark'
  | 'unplannedPaperIds'
  | 'advanceAlertWatermark'
  | 'getMeta'
  | 'setMeta';

export type PostgresStore = Pick<Store, PostgresStoreMethods> & {
  readonly dialect: 'postgres';
  /** The drizzle handle, for tests and the bench: never for the core. */
  readonly db: PgDb;
};

/** The store over a migrated handle (openPostgres, or PGlite in tests). */
export function createPostgresStore(db: PgDb): PostgresStore {
  return {
    dialect: 'postgres',
    db,
    startIngestRun: (feedDate, trigger, now) => startIngestRun(db, feedDate, trigger, now),
    finishIngestRun: (ingest) => finishIngestRun(db, ingest),
    failIngestRun: (runId, error, now, counts) => failIngestRun(db, runId, error, now, counts),
    upsertPapers: (feedDate, list, now) => upsertPapers(db, feedDate, list, now),
    getPaperByArxivId: (arxivId) => getPaperByArxivId(db, arxivId),
    getPapersByIds: (ids) => getPapersByIds(db, ids),
    listPapersForDay: (feedDate, options) => listPapersForDay(db, feedDate, options),
    latestFeedDayWithPapers: (onOrBefore) => latestFeedDayWithPapers(db, onOrBefore),
    lastSuccessfulIngest: () => lastSuccessfulIngest(db),
    latestSuccessfulFeedDay: () => latestSuccessfulFeedDay(db),
    feedDayFetched: (feedDate) => feedDayFetched(db, feedDate),
    searchPapers: (query, options) => searchPapers(db, query, options),
    countMatches: (query, sinceFeedDate) => countMatches(db, query, sinceFeedDate),
    paperIdsMatching: (query, paperIds) => paperIdsMatching(db, query, paperIds),
    alertWatermark: () => alertWatermark(db),
    unplannedPaperIds: (limit) => unplannedPaperIds(db, limit),
    advanceAlertWatermark: (throughPaperId, now) => advanceAlertWatermark(db, throughPaperId, now),
    getMeta: (key) => getMeta(db, key),
    setMeta: (key, value, now) => setMeta(db, key, value, now),
  };
}
