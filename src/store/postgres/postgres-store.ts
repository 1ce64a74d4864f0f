import { UserError } from '../../errors.ts';
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
import { countMatches, paperIdsMatching } from './match-papers.ts';
import { matchedTerms } from './matched-terms.ts';
import { getMeta, setMeta } from './meta.ts';
import { thenMergePending } from './pending-index.ts';
import { countPapersListed, getPaperByArxivId, getPapersByIds, latestFeedDayWithPapers, listPapersForDay, storeUnlistedPaper, upsertPapers } from './papers.ts';
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
import type { PgDb } from './pg-db.ts';
import { recentRateLimitWaits, recordRateLimitWait } from './rate-limits.ts';
import { listReplicas, recordHeartbeat, removeReplica } from './replicas.ts';
import { listRecentPapers } from './recent-papers.ts';
import { searchPapers } from './search.ts';
import { countRows, databaseBytes, deliveriesByStateAndPlatform, ingestRunsByStatus, lastRegularIngestAt, rateLimitWaitsBySource } from './stats.ts';
import { tokenizeRows } from './tokenize-texts.ts';
import { listSavedPapers, savePaper, unsavePaper } from './saved-papers.ts';
import { termDocumentCounts } from './term-counts.ts';
import { recordUpvoteSnapshots, upvoteHistory } from './upvote-snapshots.ts';
import { clearDmClosed, isDmClosed, listDmClosedUsers, markDmClosed, takeDmClosedNotice } from './users.ts';
import { deleteWatch, insertWatch, listAllWatches, listWatches, readWatchForms, setWatchArtifacts, watchesVersion, writeWatchForms } from './watches.ts';

// The PostgreSQL store. Each method is one transaction (or one statement); where two replicas
// could race (a watch's limit, a digest's watermark), an advisory lock or a row lock decides.

export type PostgresStore = Store & {
  readonly dialect: 'postgres';
  /** The drizzle handle, for tests and the bench: never for the core. */
  readonly db: PgDb;
};

/** The store over a migrated handle (openPostgres, or PGlite in tests). */
export function createPostgresStore(db: PgDb, end: () => Promise<void> = async () => {}): PostgresStore {
  let closing: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    db,
    startIngestRun: (feedDate, trigger, now) => startIngestRun(db, feedDate, trigger, now),
    finishIngestRun: (ingest) => finishIngestRun(db, ingest),
    failIngestRun: (runId, error, now, counts) => failIngestRun(db, runId, error, now, counts),
    upsertPapers: (feedDate, list, now) => thenMergePending(db, upsertPapers(db, feedDate, list, now)),
    storeUnlistedPaper: (paper, now, arxiv) => thenMergePending(db, storeUnlistedPaper(db, paper, now, arxiv)),
    getPaperByArxivId: (arxivId) => getPaperByArxivId(db, arxivId),
    getPapersByIds: (ids) => getPapersByIds(db, ids),
    listPapersForDay: (feedDate, options) => listPapersForDay(db, feedDate, options),
    latestFeedDayWithPapers: (onOrBefore) => latestFeedDayWithPapers(db, onOrBefore),
    listRecentPapers: (options) => listRecentPapers(db, options),
    storeArxivAnnouncement: (write) => thenMergePending(db, storeArxivAnnouncement(db, write)),
    recordArxivPoll: (poll) => recordArxivPoll(db, poll),
    storeArxivBackfillPage: (write) => thenMergePending(db, storeArxivBackfillPage(db, write)),
    arxivBackfilledDays: (category, from, to) => arxivBackfilledDays(db, category, from, to),
    arxivPollState: () => arxivPollState(db),
    arxivAnnouncementStored: (announcement, categories) => arxivAnnouncementStored(db, announcement, categories),
    listArxivAnnouncement: (announcement, options) => listArxivAnnouncement(db, announcement, options),

    lastSuccessfulIngest: () => lastSuccessfulIngest(db),
    latestSuccessfulFeedDay: () => latestSuccessfulFeedDay(db),
    feedDayFetched: (feedDate) => feedDayFetched(db, feedDate),
    lastRegularIngest: () => lastRegularIngest(db),
    lastRegularIngestAt: () => lastRegularIngestAt(db),
    lastFailedIngest: () => lastFailedIngest(db),
    backfillSummary: () => backfillSummary(db),
    archiveDays: (from, to) => archiveDays(db, from, to),
    countPapersListed: (from, to) => countPapersListed(db, from, to),
    recentEmptyFeedDays: (since) => recentEmptyFeedDays(db, since),

    countRows: (table) => countRows(db, table),
    deliveriesByStateAndPlatform: () => deliveriesByStateAndPlatform(db),
    ingestRunsByStatus: () => ingestRunsByStatus(db),
    rateLimitWaitsBySource: () => rateLimitWaitsBySource(db),
    databaseBytes: () => databaseBytes(db),
    searchPapers: (query, options) => searchPapers(db, query, options),
    countMatches: (query, sinceFeedDate) => countMatches(db, query, sinceFeedDate),
    paperIdsMatching: (query, paperIds) => paperIdsMatching(db, query, paperIds),
    matchedTerms: (paperId, query) => matchedTerms(db, paperId, query),
    tokenize: (rows) => tokenizeRows(db, rows),
    alertWatermark: () => alertWatermark(db),
    unplannedPaperIds: (limit) => unplannedPaperIds(db, limit),
    advanceAlertWatermark: (throughPaperId, now) => advanceAlertWatermark(db, throughPaperId, now),
    alertedAmong: (paperIds) => alertedAmong(db, paperIds),
    recordAlerts: (batch) => recordAlerts(db, batch),
    artifactAlertCandidates: (alertedSince) => artifactAlertCandidates(db, alertedSince),
    recordArtifactAlerts: (batch) => recordArtifactAlerts(db, batch),
    followupThreads: (platform, channelId, sentSince) => followupThreads(db, platform, channelId, sentSince),
    recordFollowup: (write) => recordFollowup(db, write),
    regularlyIngestedDays: (feedDates) => regularlyIngestedDays(db, feedDates),

    termDocumentCounts: (terms) => termDocumentCounts(db, terms),
    recordUpvoteSnapshots: (feedDate, now, pruneBefore) => recordUpvoteSnapshots(db, feedDate, now, pruneBefore),
    upvoteHistory: (since, paperIds) => upvoteHistory(db, since, paperIds),
    savePaper: (user, paperId, now) => savePaper(db, user, paperId, now),
    unsavePaper: (user, paperId) => unsavePaper(db, user, paperId),
    listSavedPapers: (user, options) => listSavedPapers(db, user, options),
    listWatches: (user) => listWatches(db, user),
    listAllWatches: () => listAllWatches(db),
    watchesVersion: () => watchesVersion(db),
    readWatchForms: (version) => readWatchForms(db, version),
    writeWatchForms: (version, forms, prune) => writeWatchForms(db, version, forms, prune),
    insertWatch: (user, watch, limit, now) => insertWatch(db, user, watch, limit, now),
    deleteWatch: (user, watchId, now) => deleteWatch(db, user, watchId, now),
    setWatchArtifacts: (user, watchId, artifacts) => setWatchArtifacts(db, user, watchId, artifacts),

    markDmClosed: (user, now) => markDmClosed(db, user, now),
    takeDmClosedNotice: (user) => takeDmClosedNotice(db, user),
    clearDmClosed: (user) => clearDmClosed(db, user),
    isDmClosed: (user) => isDmClosed(db, user),
    listDmClosedUsers: (platform) => listDmClosedUsers(db, platform),

    saveDigest: (write) => saveDigest(db, write),
    getDigest: (platform, channelId) => getDigest(db, platform, channelId),
    listDigests: () => listDigests(db),
    disableDigest: (channel, userId, now) => disableDigest(db, channel, userId, now),
    latestDigestPost: (platform, channelId) => latestDigestPost(db, platform, channelId),
    pauseTarget: (platform, channelId, reason, now) => pauseTarget(db, platform, channelId, reason, now),
    resumeTarget: (platform, channelId, startFeedDay, now) => resumeTarget(db, platform, channelId, startFeedDay, now),
    resumeWorkspace: (platform, workspaceId, startFeedDay, now) => resumeWorkspace(db, platform, workspaceId, startFeedDay, now),
    enqueueDigest: (delivery, feedDate, announcement) => enqueueDigest(db, delivery, feedDate, announcement),
    latestCompleteFeedDay: (today) => latestCompleteFeedDay(db, today),

    enqueue: (row) => enqueue(db, row),
    claimDue: (now, options) => claimDue(db, now, options),
    markSent: (id, messageId, now) => markSent(db, id, messageId, now),
    markFailed: (id, error) => markFailed(db, id, error),
    reschedule: (id, nextAttemptAt, error, options) => reschedule(db, id, nextAttemptAt, error, options),
    failPendingForTarget: (target, error) => failPendingForTarget(db, target, error),
    listStuckSending: (inFlightIds) => listStuckSending(db, inFlightIds),
    deliveryCounts: (platform) => deliveryCounts(db, platform),
    getDelivery: (id) => getDelivery(db, id),
    recentDigestDeliveries: (platform, channelId, limit) => recentDigestDeliveries(db, platform, channelId, limit),
    recentAlertDeliveries: (platform, userId, limit) => recentAlertDeliveries(db, platform, userId, limit),

    getMeta: (key) => getMeta(db, key),
    setMeta: (key, value, now) => setMeta(db, key, value, now),
    savePageCursor: (cursor, now) => savePageCursor(db, cursor, now),
    loadPageCursor: (id) => loadPageCursor(db, id),
    recordRateLimitWait: (wait) => recordRateLimitWait(db, wait),
    recentRateLimitWaits: (sinceMs, limit) => recentRateLimitWaits(db, sinceMs, limit),

    recordHeartbeat: (beat, pruneBefore) => recordHeartbeat(db, beat, pruneBefore),
    listReplicas: (aliveSince) => listReplicas(db, aliveSince),
    removeReplica: (id) => removeReplica(db, id),
    takeCommandSlot: (userKey, now, window) => takeCommandSlot(db, userKey, now, window),
    pruneCommandHits: (before) => pruneCommandHits(db, before),

    backup: () => Promise.reject(new UserError('bad_option', 'backup copies a SQLite database; with DATABASE_URL (PostgreSQL) use pg_dump instead.')),
    close: () => (closing ??= end()),
  };
}
