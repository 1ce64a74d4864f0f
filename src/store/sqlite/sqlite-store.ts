import type { Store } from '../store.ts';
import { alertedAmong, recordAlerts } from './alerts.ts';
import { artifactAlertCandidates, recordArtifactAlerts } from './artifact-alerts.ts';
import { pruneCommandHits, takeCommandSlot } from './command-hits.ts';
import { arxivBackfilledDays, storeArxivBackfillPage } from './arxiv-backfill.ts';
import { arxivAnnouncementStored, arxivPollState, listArxivAnnouncement, recordArxivPoll, storeArxivAnnouncement } from './arxiv-listings.ts';
import { advanceAlertWatermark, alertWatermark, unplannedPaperIds } from './alert-watermark.ts';
import { followupThreads, recordFollowup, regularlyIngestedDays } from './followups.ts';
import { disableDigest, enqueueDigest, getDigest, latestCompleteFeedDay, latestDigestPost, listDigests, pauseTarget, resumeTarget, resumeWorkspace, saveDigest } from './digests.ts';
import { archiveDays, backfillSummary, lastFailedIngest, lastRegularIngest, recentEmptyFeedDays } from './ingest-history.ts';
import { failIngestRun, feedDayFetched, finishIngestRun, lastSuccessfulIngest, latestSuccessfulFeedDay, startIngestRun } from './ingest-runs.ts';
import { matchedTerms } from './matched-terms.ts';
import { getMeta, setMeta } from './meta.ts';
import { closeDb, openDb, type Db } from './open-db.ts';
import {
  claimDue,
  deliveryCounts,
  enqueue,
  failPendingForTarget,
  getDelivery,
  listStuckSending,
  markFailed,
  markSent,
  recentAlertDeliveries,
  recentDigestDeliveries,
  reschedule,
} from './outbox.ts';
import { loadPageCursor, savePageCursor } from './page-cursors.ts';
import {
  countPapersListed,
  getPaperByArxivId,
  getPapersByIds,
  latestFeedDayWithPapers,
  listPapersForDay,
  listRecentPapers,
  storeUnlistedPaper,
  upsertPapers,
} from './papers.ts';
import { recentRateLimitWaits, recordRateLimitWait } from './rate-limits.ts';
import { listReplicas, recordHeartbeat, removeReplica } from './replicas.ts';
import { countMatches, paperIdsMatching, searchQuery } from './search-papers.ts';
import { countRows, databaseBytes, deliveriesByStateAndPlatform, ingestRunsByStatus, lastRegularIngestAt, rateLimitWaitsBySource } from './stats.ts';
import { tokenizeRows } from './tokenize-texts.ts';
import { listSavedPapers, savePaper, unsavePaper } from './saved-papers.ts';
import { termDocumentCounts } from './term-counts.ts';
import { recordUpvoteSnapshots, upvoteHistory } from './upvote-snapshots.ts';
import { clearDmClosed, isDmClosed, listDmClosedUsers, markDmClosed, takeDmClosedNotice } from './users.ts';
import { deleteWatch, insertWatch, listAllWatches, listWatches, readWatchForms, setWatchArtifacts, watchesVersion, writeWatchForms } from './watches.ts';

/** The SQLite store: each method one synchronous better-sqlite3 transaction (never an await inside one). */
export type SqliteStore = Store & {
  /** The drizzle handle, for tests, the bench and the backup command: never for the core. */
  readonly db: Db;
};

/** Opens (creating and migrating) the database at `path` (':memory:' for tests). */
export function openSqliteStore(path: string): SqliteStore {
  const db = openDb(path);
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    dialect: 'sqlite',
    db,

    startIngestRun: (feedDate, trigger, now) => run(() => startIngestRun(db, feedDate, trigger, now)),
    finishIngestRun: (ingest) => run(() => finishIngestRun(db, ingest)),
    failIngestRun: (runId, error, now, counts) => run(() => failIngestRun(db, runId, error, now, counts)),
    upsertPapers: (feedDate, list, now) => run(() => upsertPapers(db, feedDate, list, now)),
    storeUnlistedPaper: (paper, now, arxiv) => run(() => storeUnlistedPaper(db, paper, now, arxiv)),
    getPaperByArxivId: (arxivId) => run(() => getPaperByArxivId(db, arxivId)),
    getPapersByIds: (ids) => run(() => getPapersByIds(db, ids)),
    listPapersForDay: (feedDate, options) => run(() => listPapersForDay(db, feedDate, options)),
    latestFeedDayWithPapers: (onOrBefore) => run(() => latestFeedDayWithPapers(db, onOrBefore)),
    listRecentPapers: (options) => run(() => listRecentPapers(db, options)),

    storeArxivAnnouncement: (write) => run(() => storeArxivAnnouncement(db, write)),
    recordArxivPoll: (poll) => run(() => recordArxivPoll(db, poll)),
    storeArxivBackfillPage: (write) => run(() => storeArxivBackfillPage(db, write)),
    arxivBackfilledDays: (category, from, to) => run(() => arxivBackfilledDays(db, category, from, to)),
    arxivPollState: () => run(() => arxivPollState(db)),
    arxivAnnouncementStored: (announcement, categories) => run(() => arxivAnnouncementStored(db, announcement, categories)),
    listArxivAnnouncement: (announcement, options) => run(() => listArxivAnnouncement(db, announcement, options)),

    lastSuccessfulIngest: () => run(() => lastSuccessfulIngest(db)),
    lastRegularIngest: () => run(() => lastRegularIngest(db)),
    lastRegularIngestAt: () => run(() => lastRegularIngestAt(db)),
    latestSuccessfulFeedDay: () => run(() => latestSuccessfulFeedDay(db)),
    feedDayFetched: (feedDate) => run(() => feedDayFetched(db, feedDate)),
    lastFailedIngest: () => run(() => lastFailedIngest(db)),
    backfillSummary: () => run(() => backfillSummary(db)),
    archiveDays: (from, to) => run(() => archiveDays(db, from, to)),
    countPapersListed: (from, to) => run(() => countPapersListed(db, from, to)),
    recentEmptyFeedDays: (since) => run(() => recentEmptyFeedDays(db, since)),
    latestCompleteFeedDay: (today) => run(() => latestCompleteFeedDay(db, today)),

    searchPapers: (query, options) => run(() => searchQuery(db, query, options)),
    countMatches: (query, sinceFeedDate) => run(() => countMatches(db, query, { sinceFeedDate })),
    paperIdsMatching: (query, paperIds) => run(() => paperIdsMatching(db, query, paperIds)),
    matchedTerms: (paperId, query) => run(() => matchedTerms(db, paperId, query)),
    tokenize: (rows) => run(() => tokenizeRows(db, rows)),

    termDocumentCounts: (terms) => run(() => termDocumentCounts(db, terms)),
    recordUpvoteSnapshots: (feedDate, now, pruneBefore) => run(() => recordUpvoteSnapshots(db, feedDate, now, pruneBefore)),
    upvoteHistory: (since, paperIds) => run(() => upvoteHistory(db, since, paperIds)),
    savePaper: (user, paperId, now) => run(() => savePaper(db, user, paperId, now)),
    unsavePaper: (user, paperId) => run(() => unsavePaper(db, user, paperId)),
    listSavedPapers: (user, options) => run(() => listSavedPapers(db, user, options)),
    listWatches: (user) => run(() => listWatches(db, user)),
    listAllWatches: () => run(() => listAllWatches(db)),
    watchesVersion: () => run(() => watchesVersion(db)),
    readWatchForms: (version) => run(() => readWatchForms(db, version)),
    writeWatchForms: (version, forms, prune) => run(() => writeWatchForms(db, version, forms, prune)),
    insertWatch: (user, watch, limit, now) => run(() => insertWatch(db, user, watch, limit, now)),
    deleteWatch: (user, watchId, now) => run(() => deleteWatch(db, user, watchId, now)),
    setWatchArtifacts: (user, watchId, artifacts) => run(() => setWatchArtifacts(db, user, watchId, artifacts)),

    alertWatermark: () => run(() => alertWatermark(db)),
    unplannedPaperIds: (limit) => run(() => unplannedPaperIds(db, limit)),
    alertedAmong: (paperIds) => run(() => alertedAmong(db, paperIds)),
    advanceAlertWatermark: (throughPaperId, now) => run(() => advanceAlertWatermark(db, throughPaperId, now)),
    recordAlerts: (batch) => run(() => recordAlerts(db, batch)),
    artifactAlertCandidates: (alertedSince) => run(() => artifactAlertCandidates(db, alertedSince)),
    recordArtifactAlerts: (batch) => run(() => recordArtifactAlerts(db, batch)),
    followupThreads: (platform, channelId, sentSince) => run(() => followupThreads(db, platform, channelId, sentSince)),
    recordFollowup: (write) => run(() => recordFollowup(db, write)),
    regularlyIngestedDays: (feedDates) => run(() => regularlyIngestedDays(db, feedDates)),

    markDmClosed: (user, now) => run(() => markDmClosed(db, user, now)),
    takeDmClosedNotice: (user) => run(() => takeDmClosedNotice(db, user)),
    clearDmClosed: (user) => run(() => clearDmClosed(db, user)),
    isDmClosed: (user) => run(() => isDmClosed(db, user)),
    listDmClosedUsers: (platform) => run(() => listDmClosedUsers(db, platform)),

    saveDigest: (write) => run(() => saveDigest(db, write)),
    getDigest: (platform, channelId) => run(() => getDigest(db, platform, channelId)),
    listDigests: () => run(() => listDigests(db)),
    disableDigest: (channel, userId, now) => run(() => disableDigest(db, channel, userId, now)),
    latestDigestPost: (platform, channelId) => run(() => latestDigestPost(db, platform, channelId)),
    pauseTarget: (platform, channelId, reason, now) => run(() => pauseTarget(db, platform, channelId, reason, now)),
    resumeTarget: (platform, channelId, startFeedDay, now) => run(() => resumeTarget(db, platform, channelId, startFeedDay, now)),
    resumeWorkspace: (platform, workspaceId, startFeedDay, now) => run(() => resumeWorkspace(db, platform, workspaceId, startFeedDay, now)),
    enqueueDigest: (delivery, feedDate, announcement) => run(() => enqueueDigest(db, delivery, feedDate, announcement)),

    enqueue: (row) => run(() => enqueue(db, row)),
    claimDue: (now, options) => run(() => claimDue(db, now, options)),
    markSent: (id, messageId, now) => run(() => markSent(db, id, messageId, now)),
    markFailed: (id, error) => run(() => markFailed(db, id, error)),
    reschedule: (id, nextAttemptAt, error, options) => run(() => reschedule(db, id, nextAttemptAt, error, options)),
    failPendingForTarget: (target, error) => run(() => failPendingForTarget(db, target, error)),
    listStuckSending: (inFlightIds) => run(() => listStuckSending(db, inFlightIds)),
    deliveryCounts: (platform) => run(() => deliveryCounts(db, platform)),
    getDelivery: (id) => run(() => getDelivery(db, id)),
    recentDigestDeliveries: (platform, channelId, limit) => run(() => recentDigestDeliveries(db, platform, channelId, limit)),
    recentAlertDeliveries: (platform, userId, limit) => run(() => recentAlertDeliveries(db, platform, userId, limit)),

    getMeta: (key) => run(() => getMeta(db, key)),
    setMeta: (key, value, now) => run(() => setMeta(db, key, value, now)),
    savePageCursor: (cursor, now) => run(() => savePageCursor(db, cursor, now)),
    loadPageCursor: (id) => run(() => loadPageCursor(db, id)),
    recordRateLimitWait: (wait) => run(() => recordRateLimitWait(db, wait)),
    recentRateLimitWaits: (sinceMs, limit) => run(() => recentRateLimitWaits(db, sinceMs, limit)),

    recordHeartbeat: (beat, pruneBefore) => run(() => recordHeartbeat(db, beat, pruneBefore)),
    listReplicas: (aliveSince) => run(() => listReplicas(db, aliveSince)),
    removeReplica: (id) => run(() => removeReplica(db, id)),
    takeCommandSlot: (userKey, now, window) => run(() => takeCommandSlot(db, userKey, now, window)),
    pruneCommandHits: (before) => run(() => pruneCommandHits(db, before)),

    countRows: (table) => run(() => countRows(db, table)),
    deliveriesByStateAndPlatform: () => run(() => deliveriesByStateAndPlatform(db)),
    ingestRunsByStatus: () => run(() => ingestRunsByStatus(db)),
    rateLimitWaitsBySource: () => run(() => rateLimitWaitsBySource(db)),
    databaseBytes: () => run(() => databaseBytes(db)),

    backup: async (targetPath) => {
      // After the first step, copy every remaining page in one step: SQLite restarts a backup whose
      // source another connection wrote between steps, so small steps never finish beside a busy
      // writer (a running bot). One step is one read transaction: a consistent copy.
      await db.$client.backup(targetPath, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
    },
    close: () => run(() => closeDb(db)),
  };
}
