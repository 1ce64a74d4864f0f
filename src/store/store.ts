import type { PermanentReason } from '../errors.ts';
import type { ArxivItem, ArxivPaper } from '../papers/arxiv-paper.ts';
import type { FeedPaper } from '../papers/feed-paper.ts';
import type { Message } from '../messages/message.ts';
import type { Query } from '../search/parse-query.ts';
import type { arxivPolls, channelDigests, deliveries, papers, replicas, watches } from './sqlite/schema.ts';
import type { AlertedPair } from './alerted-by-user.ts';

// The one door to persistence. Every method is one atomic unit: it commits everything it
// writes or nothing, so callers never hold a transaction and never see half a change. Rules
// (what a watch may be, when a digest starts, which papers alert) live with their idea in
// watches/, digest/, alerts/…; a method only persists what those rules decided. Where a
// decision needs the row being written (a digest's first feed day), the rule is passed in as a
// pure function and runs inside the unit.
//
// Full text is the one place where the store speaks a dialect: each backend compiles the
// parsed query (search/parse-query.ts) into its own engine's syntax (FTS5 on SQLite, tsquery on PostgreSQL) with bound
// parameters only, and ranks with the same formula (docs/ranking.md).

export type PaperRow = typeof papers.$inferSelect;
export type WatchRow = typeof watches.$inferSelect;
/** One user's watches as the matcher's index reads them: the texts, oldest first. */
export type UserWatches = { platform: string; userId: string; queries: string[] };
export type DigestRow = typeof channelDigests.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type ReplicaRow = typeof replicas.$inferSelect;
export type ArxivPollRow = typeof arxivPolls.$inferSelect;

/** One arXiv announcement to store, with the poll that read it (see src/arxiv/README.md). */
export type ArxivAnnouncementWrite = {
  announcement: string;
  /** categoriesKey of the categories asked for. */
  categories: string;
  items: ArxivItem[];
  /** Items the parser left out. */
  skipped: number;
  warning: string | null;
  trigger: string;
  now: number;
};
/** See Store.storeArxivBackfillPage. */
export type ArxivBackfillPage = { category: string; day: string; papers: ArxivPaper[]; dayDone: boolean; now: number };

/** A poll that stored nothing: it failed, or the feed was empty. */
export type ArxivPollRecord = Pick<ArxivPollRow, 'announcement' | 'categories' | 'warning' | 'error' | 'trigger' | 'fetched' | 'skipped' | 'at'> & { status: 'empty' | 'failed' };

export type UserRef = { platform: string; id: string };
export type ChannelRef = { platform: string; id: string; workspaceId?: string };
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type DeliveryCounts = Record<DeliveryState, number>;
export type IngestStatus = 'ok' | 'empty' | 'failed';

export type NewDelivery = {
  platform: string;
  targetKind: 'channel' | 'user';
  targetId: string;
  kind: 'digest' | 'alert' | 'followup' | 'artifacts';
  /**
   * `digest:<platform>:<channel>:<day[..day]>`, `alert:<platform>:<user>:<ingest run id>`,
   * `followup:<platform>:<channel>:<day>:<n>` or `artifacts:<platform>:<user>:<check time>`; enqueueing a key twice is a no-op.
   */
  idempotencyKey: string;
  message: Message;
  now: number;
  /** 'skipped' records a digest that had nothing to post (visible in status, never sent). */
  state?: 'pending' | 'skipped';
  /** A follow-up: the digest message it answers (deliveries.message_id of the digest) and the thread's name. */
  replyTo?: { messageId: string; threadName: string };
};

/** A paper's upvotes as an ingest run saw them (src/trending/). */
export type UpvoteSnapshot = { paperId: number; at: number; upvotes: number };
/** Document frequencies from the full-text index (similar papers' tf-idf): papers in all, and papers holding each term. */
export type TermCounts = { documents: number; counts: Map<string, number> };

export type SearchOptions = { limit: number; offset: number; now: number };
export type SearchResult = {
  /** Matching papers (within the ranking window when `capped`). */
  total: number;
  /** True when more papers match than were ranked: `total` is then a lower bound. */
  capped: boolean;
  results: Array<{ paper: PaperRow; score: number }>;
  /** Papers in the store: what the search looked through. */
  searched: number;
  /** When capped: about how many papers match in all (extrapolated from the window). */
  estimatedMatches?: number;
};

/** A broad query ranks only this many newest matches (bounded cost at a million papers). */
export const RANK_WINDOW = 1000;

/** The indexed columns of a paper, in the full-text index's order. */
export const TOKEN_COLUMNS = ['title', 'abstract', 'authors'] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];
/** Stemmed tokens of one row, by column, in position order. */
export type TokenizedRow = Record<TokenColumn, string[]>;

/** Why a channel's digest is paused (channel_digests.paused_reason): the platform refused the channel. */
export type PauseReason = Extract<PermanentReason, 'channel_gone' | 'missing_access'>;

/** The digest values a `digest set` decided, plus the rule for the first feed day of a (re)started digest. */
export type DigestWrite = {
  channel: ChannelRef;
  userId: string;
  /** Only the fields given change; a new digest takes `defaults` for the rest. */
  patch: Partial<Pick<DigestRow, 'time' | 'timezone' | 'top' | 'minUpvotes' | 'query' | 'postWhenEmpty' | 'sort' | 'followups' | 'source'>>;
  /** `sort` left out: 'upvotes'; `followups` is on unless the defaults say otherwise. */
  defaults: Pick<DigestRow, 'time' | 'timezone' | 'top' | 'minUpvotes' | 'query' | 'postWhenEmpty'> & Partial<Pick<DigestRow, 'sort' | 'followups'>>;
  /** Feed day a new, re-enabled or resumed digest starts after, from its time and zone. */
  startFeedDay: (time: string, timezone: string) => string;
  /** The last feed day a digest post's outbox key covers (undefined: not a feed-day post). */
  postedFeedDay: (idempotencyKey: string) => string | undefined;
  now: number;
};

export type AlertBatch = {
  /** Alert planning has seen every paper up to this id (the alert watermark moves there, never back). */
  throughPaperId: number;
  /**
   * At most one DM per user. Inside the unit the papers already alerted to the user are dropped,
   * then `message` builds the DM from the rest (none left: no DM).
   */
  dms: Array<{ user: UserRef; paperIds: number[]; idempotencyKey: string; message: (paperIds: number[]) => Message }>;
  now: number;
};

/** One thing a follow-up tells about one paper: `rank` (a late riser), `github`, `project`, `models`, `datasets`, `spaces`. */
export type FollowupItem = { paperId: number; item: string };

/** A digest post that may get follow-ups, with what its thread was already told. */
export type FollowupThread = {
  /** The digest's outbox row: sent, with the platform's message id. */
  digest: DeliveryRow;
  /** When its latest follow-up was queued (null: none yet). */
  lastFollowupAt: number | null;
  /** Items told to the thread, and the baseline (known before the first check, never told). */
  told: FollowupItem[];
};

export type FollowupWrite = {
  digest: Pick<DeliveryRow, 'platform' | 'targetId' | 'idempotencyKey' | 'messageId'>;
  threadName: string;
  items: FollowupItem[];
  /** Recorded as known without telling (delivery_id 0), even when nothing is queued: what was linked at the first check. */
  baseline: FollowupItem[];
  /** Builds the follow-up from the items not told yet (checked inside the unit). */
  message: (items: FollowupItem[]) => Message;
  /** Nothing is queued when the digest's latest follow-up was queued after this (the interval). */
  quietSince: number;
  now: number;
};

/** One kind of artifact of one paper (src/alerts/artifact-alerts.ts): `github`, `project`, `models`, `datasets`, `spaces`, or `checked`. */
export type ArtifactAlertItem = { paperId: number; kind: string };

/** A paper alerted to a user, with the alert's outbox row and the artifact kinds told (or baselined) to the user since. */
export type AlertedPaperArtifacts = { platform: string; userId: string; paperId: number; alertDeliveryId: number | null; alertedAt: number; known: string[] };

export type ArtifactAlertBatch = {
  /**
   * At most one DM per user. `baseline` is recorded as known without telling; inside the unit the
   * items already known to the user are dropped, then `message` builds the DM from the rest (none left: no DM).
   */
  dms: Array<{ user: UserRef; idempotencyKey: string; items: ArtifactAlertItem[]; baseline: ArtifactAlertItem[]; message: (items: ArtifactAlertItem[]) => Message }>;
  now: number;
};

export type BackfillSummary = {
  /** Distinct feed days a backfill stored (ok or empty). */
  days: number;
  first: string | null;
  last: string | null;
  lastFinishedAt: number;
  /** Days a backfill failed on that no run of any kind ever stored, oldest first. */
  failedDays: string[];
};

/** The archive's feed days in a range, as the backfill and `status` see them. */
export type ArchiveDays = {
  /** Days some run (of any trigger) stored successfully, ok or empty. */
  done: string[];
  /** Days no run stored that a backfill failed on, with how many backfill runs failed (interrupted ones aside), oldest first. */
  failed: Array<{ feedDate: string; attempts: number }>;
};

/** ingest_runs.error of a run cut off by a stop or a crash: not an attempt that failed (ArchiveDays). */
export const INTERRUPTED_RUN = 'interrupted (the process stopped before the run finished)';

// Defined with the other paper vocabulary (src/papers/) so messages can read it without the store.
export { NO_FEED_DAY } from '../papers/no-feed-day.ts';

/** Older cursors are refused and pruned: the list they describe has gone stale. */
export const PAGE_CURSOR_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export type PageCursor = { id: string; platform: string; userId: string; command: string; options: Record<string, unknown>; createdAt: number };
export type RateLimitWait = { source: string; route: string | null; waitMs: number; at: number };
/** A command budget's answer: refused, `oldestAt` is the oldest hit in the window (a slot frees when it leaves). */
export type CommandSlot = { taken: true } | { taken: false; oldestAt: number };

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  // Papers and feed days
  /** Records a run as 'running' (an older 'running' row of the same day is marked abandoned); returns its id. */
  startIngestRun(feedDate: string, trigger: string, now: number): Promise<number>;
  /**
   * Papers of one feed day and the run's final status, in one unit: a day is never 'ok' without
   * its papers. `silent` (a backfill): its new papers pass the alert watermark in the same unit
   * when no other paper awaits alert planning, so a running bot never sees them as news; the rows
   * go through the backfill's bulk path (multi-row statements on PostgreSQL), the same rows as a
   * regular run writes.
   */
  finishIngestRun(run: { runId: number; feedDate: string; papers: FeedPaper[]; skipped: number; silent: boolean; now: number }): Promise<{ status: 'ok' | 'empty'; inserted: number[]; updated: number }>;
  /** Inserts new papers and refreshes known ones for one feed day, without a run (seeding, tests, bench). */
  upsertPapers(feedDate: string, list: FeedPaper[], now: number): Promise<{ inserted: number[]; updated: number }>;
  failIngestRun(runId: number, error: string, now: number, counts?: { fetched?: number; skipped?: number }): Promise<void>;
  /**
   * A paper fetched on demand, stored without a feed day (NO_FEED_DAY, no paper_days row): never
   * in a digest or an alert, searchable, listed by neither source. `arxiv` when it came from the
   * arXiv API (its categories, primary first, and version). A paper already stored is returned as it is.
   */
  storeUnlistedPaper(paper: FeedPaper, now: number, arxiv?: { categories: string[]; version: number | null }): Promise<PaperRow>;
  getPaperByArxivId(arxivId: string): Promise<PaperRow | undefined>;
  /** Rows for `ids`, in the order given (unknown ids left out). */
  getPapersByIds(ids: number[]): Promise<PaperRow[]>;
  listPapersForDay(feedDate: string, options: { limit: number; offset: number; sort: 'upvotes' | 'new' }): Promise<{ total: number; papers: PaperRow[] }>;
  latestFeedDayWithPapers(onOrBefore: string): Promise<string | null>;
  /** Autocomplete: newest papers, or by arXiv id prefix, or by title words (last one a prefix). */
  listRecentPapers(options: { limit: number; prefix?: string }): Promise<PaperRow[]>;

  // arXiv listings (src/arxiv/)
  /**
   * One announcement and its poll row, in one unit: `new`/`cross` items insert a paper (or add
   * the listed categories to a stored one), `replace`/`replace-cross` revise a stored paper's
   * title, abstract, authors and version (a revision of a paper never stored is left out and
   * counted in `revisionsSkipped`). Every listed item gets an arxiv_listings row.
   */
  storeArxivAnnouncement(write: ArxivAnnouncementWrite): Promise<{ pollId: number; inserted: number[]; updated: number; revisionsSkipped: number }>;
  recordArxivPoll(poll: ArxivPollRecord): Promise<number>;
  /**
   * One page of the arXiv API backfill (src/backfill/arxiv-backfill.ts), in one unit. Papers never
   * stored are inserted below every stored paper (so alert planning and recency never see them) and
   * dated by their submission day; stored ones gain arXiv as a source, the listed categories and a
   * newer version (their text is left alone). `dayDone`: the page is the day's last, and
   * (category, day) is recorded as done with it.
   */
  storeArxivBackfillPage(write: ArxivBackfillPage): Promise<{ inserted: number; updated: number }>;
  /** The days of [from, to] the backfill has stored for `category` (categoriesKey form), ascending. */
  arxivBackfilledDays(category: string, from: string, to: string): Promise<string[]>;
  /** The latest poll row of any status (status), and the latest announcement stored with papers. */
  arxivPollState(): Promise<{ lastPoll: ArxivPollRow | null; lastStored: ArxivPollRow | null }>;
  /** Whether a poll stored `announcement` with papers for these categories (categoriesKey; the poll skips it then). */
  arxivAnnouncementStored(announcement: string, categories: string): Promise<boolean>;
  /** The announcement's new and cross-listed papers (not revisions), in listing order. */
  listArxivAnnouncement(announcement: string, options: { limit: number; offset: number }): Promise<{ total: number; papers: PaperRow[] }>;

  // Ingest history
  /** Latest-started successful run of any trigger. */
  lastSuccessfulIngest(): Promise<{ feedDate: string; finishedAt: number } | null>;
  /** Latest-started successful run of the regular ingest (not a backfill). */
  lastRegularIngest(): Promise<{ feedDate: string; finishedAt: number } | null>;
  /** Finish time of the latest successful regular run (health checks). */
  lastRegularIngestAt(): Promise<number | null>;
  /** The latest feed day any run stored successfully. */
  latestSuccessfulFeedDay(): Promise<string | null>;
  /** Whether a run stored `feedDate` successfully (an empty day counts). */
  feedDayFetched(feedDate: string): Promise<boolean>;
  lastFailedIngest(): Promise<{ feedDate: string; at: number; error: string } | null>;
  backfillSummary(): Promise<BackfillSummary | null>;
  /** Feed days from `from` to `to` (both included) stored, and failed by a backfill. */
  archiveDays(from: string, to: string): Promise<ArchiveDays>;
  /** Distinct papers listed on a feed day from `from` to `to`, both included (papers fetched on demand never count). */
  countPapersListed(from: string, to: string): Promise<number>;
  recentEmptyFeedDays(sinceFeedDate: string): Promise<string[]>;
  /** Latest day before `today` ingested successfully by a run that started after the day ended. */
  latestCompleteFeedDay(today: string): Promise<string | null>;

  // Full text
  searchPapers(query: Query, options: SearchOptions): Promise<SearchResult>;
  /** Papers matching `query` whose latest feed day is on or after `sinceFeedDate` (watch previews). */
  countMatches(query: Query, sinceFeedDate: string): Promise<number>;
  /** The ids among `paperIds` (a digest's day) that match `query`. */
  paperIdsMatching(query: Query, paperIds: number[]): Promise<Set<number>>;
  /** The words of `query` found in one paper, as the index spells them (alert "matched" lines). */
  matchedTerms(paperId: number, query: Query): Promise<string[]>;
  /** Texts cut into index terms (stemmed as the full-text index stems them). */
  tokenize(rows: Array<Partial<Record<TokenColumn, string>>>): Promise<TokenizedRow[]>;

  /** Index terms' document frequencies (similar papers): how many papers hold each term, and how many papers there are. */
  termDocumentCounts(terms: string[]): Promise<TermCounts>;

  // Upvote history (src/trending/)
  /**
   * Snapshots the upvotes of the feed day's papers whose upvotes changed since their previous
   * snapshot (or that have none), and deletes snapshots older than `pruneBefore` except each
   * paper's newest one before it, in one unit; returns how many snapshots were written.
   */
  recordUpvoteSnapshots(feedDate: string, now: number, pruneBefore: number): Promise<number>;
  /**
   * Snapshots, by paper then time, of the papers with a snapshot after `since` (or of `paperIds`):
   * each paper's newest snapshot at or before `since`, when it has one, and every later one.
   */
  upvoteHistory(since: number, paperIds?: number[]): Promise<UpvoteSnapshot[]>;

  // Reading list (src/reading-list/)
  /** True when the paper was not on the user's list yet (a second save changes nothing). */
  savePaper(user: UserRef, paperId: number, now: number): Promise<boolean>;
  /** True when the paper was on the user's list. */
  unsavePaper(user: UserRef, paperId: number): Promise<boolean>;
  /** The user's saved papers, newest saved first. */
  listSavedPapers(user: UserRef, options: { limit: number; offset: number }): Promise<{ total: number; papers: PaperRow[] }>;

  // Watches
  /** The user's watches, oldest first (the numbering users see). */
  listWatches(user: UserRef): Promise<WatchRow[]>;
  /** Every user's watch texts (oldest first), users by platform and id: what the matcher's index reads at start-up. */
  listAllWatches(): Promise<UserWatches[]>;
  /** Changes whenever the set of watches changes (the matcher rebuilds its index then). */
  watchesVersion(): Promise<string>;
  /** The form stored for each watch text under `version` (the matcher's compiled watch texts, src/watches/watch-form.ts). */
  readWatchForms(version: number): Promise<Map<string, string>>;
  /** Stores each text's form under `version` (replacing any), then, when `prune`, deletes the forms of texts no watch has; one unit. */
  writeWatchForms(version: number, forms: Array<{ query: string; form: string }>, prune: boolean): Promise<void>;
  /** Inserts unless the user has one with the same key or is at `limit`: the check and the insert are one unit. */
  insertWatch(user: UserRef, watch: { query: string; queryKey: string; artifacts?: boolean }, limit: number, now: number): Promise<{ ok: true; watch: WatchRow } | { ok: false; reason: 'duplicate' | 'limit'; mine: WatchRow[] }>;
  /** Deletes the user's watch with this id; undefined when it is gone or not theirs. */
  deleteWatch(user: UserRef, watchId: number, now: number): Promise<WatchRow | undefined>;
  /** Turns the user's watch's artifact alerts on or off; undefined when it is gone or not theirs. */
  setWatchArtifacts(user: UserRef, watchId: number, artifacts: boolean): Promise<WatchRow | undefined>;

  // Alerts
  alertWatermark(): Promise<number>;
  /** Ids of papers first seen after the watermark, oldest first. */
  unplannedPaperIds(limit: number): Promise<number[]>;
  /** Who was already alerted to any of `paperIds` (recordAlerts runs the same query inside its unit). */
  alertedAmong(paperIds: number[]): Promise<AlertedPair[]>;
  /** Moves the watermark (never back) when a batch alerts nobody. */
  advanceAlertWatermark(throughPaperId: number, now: number): Promise<void>;
  /** Queues each DM with its alerted_papers rows and moves the watermark, in one unit. */
  recordAlerts(batch: AlertBatch): Promise<{ deliveries: number; papers: number }>;
  /** Papers alerted at or after `alertedSince`, oldest alert first, with the artifact kinds each user knows of. */
  artifactAlertCandidates(alertedSince: number): Promise<AlertedPaperArtifacts[]>;
  /** Records each DM's baseline, then queues the DM with its artifact_alerts rows for the items the user does not know yet, in one unit. */
  recordArtifactAlerts(batch: ArtifactAlertBatch): Promise<{ deliveries: number; items: number }>;

  // Follow-ups (src/followups/)
  /** The channel's digest posts sent at or after `sentSince` that have a message id, newest first, with what their threads were told. */
  followupThreads(platform: string, channelId: string, sentSince: number): Promise<FollowupThread[]>;
  /**
   * In one unit: drops the items already told to the digest's thread, checks the interval
   * (`quietSince`), then queues the follow-up (`followup:<platform>:<channel>:<day>:<n>`, n = its
   * number in the thread) with its followup_items rows. deliveryId null: nothing to queue.
   */
  recordFollowup(write: FollowupWrite): Promise<{ deliveryId: number | null; items: number }>;
  /** The days among `feedDates` that a run other than a backfill stored successfully. */
  regularlyIngestedDays(feedDates: string[]): Promise<Set<string>>;

  // Users
  markDmClosed(user: UserRef, now: number): Promise<void>;
  /** True exactly once after `markDmClosed`; also clears the mark. */
  takeDmClosedNotice(user: UserRef): Promise<boolean>;
  clearDmClosed(user: UserRef): Promise<void>;
  isDmClosed(user: UserRef): Promise<boolean>;
  listDmClosedUsers(platform: string): Promise<Set<string>>;

  // Digests
  saveDigest(write: DigestWrite): Promise<DigestRow>;
  getDigest(platform: string, channelId: string): Promise<DigestRow | undefined>;
  listDigests(): Promise<DigestRow[]>;
  /** Undefined when the channel has no digest; `wasEnabled` false when it was off already (left as it was). */
  disableDigest(channel: ChannelRef, userId: string, now: number): Promise<{ row: DigestRow; wasEnabled: boolean } | undefined>;
  /** The channel's latest digest that was sent or is on its way; skipped (empty) and failed ones do not count. */
  latestDigestPost(platform: string, channelId: string): Promise<{ idempotencyKey: string; state: 'sent' | 'queued' } | undefined>;
  pauseTarget(platform: string, channelId: string, reason: PauseReason, now: number): Promise<boolean>;
  resumeTarget(platform: string, channelId: string, startFeedDay: (time: string, timezone: string) => string, now: number): Promise<boolean>;
  resumeWorkspace(platform: string, workspaceId: string, startFeedDay: (time: string, timezone: string) => string, now: number): Promise<string[]>;
  /**
   * Queues the digest and moves its watermark to `feedDate` in one unit; false (nothing queued) when another tick got there first.
   * `announcement`: the arXiv announcement the post holds, the second watermark (moves forward only), in the same unit.
   */
  enqueueDigest(delivery: NewDelivery, feedDate: string, announcement?: string): Promise<boolean>;

  // Outbox
  enqueue(row: NewDelivery): Promise<{ id: number; created: boolean }>;
  /** Marks up to `limit` due rows 'sending' (attempts + 1) and returns them; one row per target at a time. */
  claimDue(now: number, options: { limit: number; platforms: string[] }): Promise<DeliveryRow[]>;
  markSent(id: number, messageId: string, now: number): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  reschedule(id: number, nextAttemptAt: number, error: string | null, options?: { refundAttempt?: boolean }): Promise<void>;
  failPendingForTarget(target: Pick<DeliveryRow, 'platform' | 'targetKind' | 'targetId'>, error: string): Promise<number>;
  listStuckSending(inFlightIds?: number[]): Promise<DeliveryRow[]>;
  deliveryCounts(platform?: string): Promise<DeliveryCounts>;
  getDelivery(id: number): Promise<DeliveryRow | undefined>;
  recentDigestDeliveries(platform: string, channelId: string, limit?: number): Promise<DeliveryRow[]>;
  /** A user's latest alert DMs that reached the platform, newest first; a payload that no longer parses is skipped. */
  recentAlertDeliveries(platform: string, userId: string, limit: number): Promise<Array<{ sentAt: number; message: Message }>>;

  // Small state
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string, now: number): Promise<void>;
  savePageCursor(cursor: { platform: string; userId: string; command: string; options: Record<string, unknown> }, now: number): Promise<string>;
  /** Undefined when it never existed or its options no longer parse (the caller judges its age). */
  loadPageCursor(id: string): Promise<PageCursor | undefined>;
  recordRateLimitWait(wait: { source: string; route?: string | null; waitMs: number; at: number }): Promise<void>;
  /** Newest first. */
  recentRateLimitWaits(sinceMs: number, limit?: number): Promise<RateLimitWait[]>;

  // Replicas (src/replicas/) and the shared command budget (commands/rate-limiter.ts)
  /** Inserts or refreshes a replica's heartbeat row and deletes rows last seen before `pruneBefore`, in one unit. */
  recordHeartbeat(beat: ReplicaRow, pruneBefore: number): Promise<void>;
  /** Replicas last seen at or after `aliveSince`, oldest start first. */
  listReplicas(aliveSince: number): Promise<ReplicaRow[]>;
  removeReplica(id: string): Promise<void>;
  /**
   * Takes one of `limit` slots in the sliding window (`now - windowMs`, `now`] for `userKey`, in one
   * unit (two replicas never both take the last slot). Hits older than the window are ignored
   * until pruneCommandHits deletes them.
   */
  takeCommandSlot(userKey: string, now: number, window: { limit: number; windowMs: number }): Promise<CommandSlot>;
  /** Deletes every command hit at or before `before` (users idle for a window); returns how many. */
  pruneCommandHits(before: number): Promise<number>;

  // Figures for /metrics, /healthz and status
  countRows(table: 'papers' | 'watches' | 'channel_digests'): Promise<number>;
  deliveriesByStateAndPlatform(): Promise<Array<{ platform: string; state: string; n: number }>>;
  ingestRunsByStatus(): Promise<Array<{ status: string; n: number }>>;
  rateLimitWaitsBySource(): Promise<Array<{ source: string; n: number; ms: number }>>;
  databaseBytes(): Promise<number>;

  /** A consistent copy of the whole database at `targetPath` (SQLite online backup; PostgreSQL refuses: use pg_dump). */
  backup(targetPath: string): Promise<void>;
  close(): Promise<void>;
}
